//! A reading is a set of vitals measured at one moment; any of them may be missing.

use std::fmt;

/// The vital signs, in the order the program shows, stores and iterates them: the one
/// list of them (docs/ARCHITECTURE.md, "Adding a vital sign"). Whatever holds one thing per
/// vital is a [`VitalMap`], sized by this enum, never by a number written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, enum_map::Enum)]
pub enum Vital {
    Systolic,
    Diastolic,
    HeartRate,
    Spo2,
    /// Respiratory rate, breaths per minute (LOINC 9279-1): ketamine's rare serious risk is
    /// respiratory depression (DOMAIN.md, "Respiration and assessments").
    RespRate,
}

/// One value per vital sign (`enum-map`): sized by [`Vital`], indexed by it.
pub type VitalMap<T> = enum_map::EnumMap<Vital, T>;

impl Vital {
    /// How many vital signs there are.
    pub const COUNT: usize = <Vital as enum_map::Enum>::LENGTH;

    /// Every vital sign, in the enum's order.
    pub const ALL: [Vital; Vital::COUNT] = [
        Vital::Systolic,
        Vital::Diastolic,
        Vital::HeartRate,
        Vital::Spo2,
        Vital::RespRate,
    ];

    /// The name used in profiles, log cells (`alert_vital`) and messages.
    pub fn name(self) -> &'static str {
        match self {
            Vital::Systolic => "systolic",
            Vital::Diastolic => "diastolic",
            Vital::HeartRate => "heart_rate",
            Vital::Spo2 => "spo2",
            Vital::RespRate => "resp_rate",
        }
    }

    /// As the screen and the report name it.
    pub fn label(self) -> &'static str {
        match self {
            Vital::Systolic => "Systolic",
            Vital::Diastolic => "Diastolic",
            Vital::HeartRate => "Heart rate",
            Vital::Spo2 => "SpO2",
            Vital::RespRate => "Resp. rate",
        }
    }

    /// Its unit as people write it (UCUM's for respiratory rate, `/min`).
    pub fn unit(self) -> &'static str {
        match self {
            Vital::Systolic | Vital::Diastolic => "mmHg",
            Vital::HeartRate => "bpm",
            Vital::Spo2 => "%",
            Vital::RespRate => "/min",
        }
    }

    pub fn from_name(name: &str) -> Option<Vital> {
        Vital::ALL.into_iter().find(|v| v.name() == name)
    }
}

impl fmt::Display for Vital {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Values of one measurement, one slot per [`Vital`]. Missing is `None`, never a
/// sentinel.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct VitalSet(VitalMap<Option<f64>>);

impl VitalSet {
    /// The set holding these values, every other vital missing.
    pub fn of(values: &[(Vital, f64)]) -> VitalSet {
        let mut set = VitalSet::default();
        for (vital, value) in values {
            set.set(*vital, Some(*value));
        }
        set
    }

    pub fn get(&self, vital: Vital) -> Option<f64> {
        self.0[vital]
    }

    pub fn set(&mut self, vital: Vital, value: Option<f64>) {
        self.0[vital] = value;
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(Option::is_none)
    }

    /// Whether every vital of `full_set` (the profile's full set, e.g. BP, HR and SpO2)
    /// was measured.
    pub fn has_all(&self, full_set: &[Vital]) -> bool {
        full_set.iter().all(|v| self.get(*v).is_some())
    }

    /// The values in a line, as a list shows a reading: `120/80 72 98`, the blood
    /// pressure as a pair, then every other vital in order, `-` for each missing.
    pub fn brief(&self) -> String {
        let get = |vital| self.get(vital).map_or("-".into(), format_value);
        let mut line = format!("{}/{}", get(Vital::Systolic), get(Vital::Diastolic));
        for vital in Vital::ALL
            .into_iter()
            .filter(|v| !matches!(v, Vital::Systolic | Vital::Diastolic))
        {
            line.push(' ');
            line.push_str(&get(vital));
        }
        line
    }

    pub fn present(&self) -> impl Iterator<Item = (Vital, f64)> + '_ {
        self.0.iter().filter_map(|(v, x)| x.map(|x| (v, x)))
    }
}

/// Formats a value the way people write it: `120`, `97.5`; an absurd typo such as
/// `1e308` stays short.
pub fn format_value(value: f64) -> String {
    if value.abs() >= 1e9 {
        format!("{value:e}")
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_vital_in_the_enum_order() {
        for (i, vital) in Vital::ALL.into_iter().enumerate() {
            assert_eq!(enum_map::Enum::into_usize(vital), i);
        }
    }
}
