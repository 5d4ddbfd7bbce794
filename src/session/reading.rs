//! A reading is a set of vitals measured at one moment; any of them may be missing.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Vital {
    Systolic,
    Diastolic,
    HeartRate,
    Spo2,
}

impl Vital {
    pub const ALL: [Vital; 4] = [
        Vital::Systolic,
        Vital::Diastolic,
        Vital::HeartRate,
        Vital::Spo2,
    ];

    /// The name used in profiles, log cells and messages.
    pub fn name(self) -> &'static str {
        match self {
            Vital::Systolic => "systolic",
            Vital::Diastolic => "diastolic",
            Vital::HeartRate => "heart_rate",
            Vital::Spo2 => "spo2",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Vital::Systolic => "Systolic",
            Vital::Diastolic => "Diastolic",
            Vital::HeartRate => "Heart rate",
            Vital::Spo2 => "SpO2",
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            Vital::Systolic | Vital::Diastolic => "mmHg",
            Vital::HeartRate => "bpm",
            Vital::Spo2 => "%",
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

/// Values of one measurement. Missing is `None`, never a sentinel.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct VitalSet {
    pub systolic_mmhg: Option<f64>,
    pub diastolic_mmhg: Option<f64>,
    pub heart_rate_bpm: Option<f64>,
    pub spo2_pct: Option<f64>,
}

impl VitalSet {
    pub fn get(&self, vital: Vital) -> Option<f64> {
        match vital {
            Vital::Systolic => self.systolic_mmhg,
            Vital::Diastolic => self.diastolic_mmhg,
            Vital::HeartRate => self.heart_rate_bpm,
            Vital::Spo2 => self.spo2_pct,
        }
    }

    pub fn set(&mut self, vital: Vital, value: Option<f64>) {
        let slot = match vital {
            Vital::Systolic => &mut self.systolic_mmhg,
            Vital::Diastolic => &mut self.diastolic_mmhg,
            Vital::HeartRate => &mut self.heart_rate_bpm,
            Vital::Spo2 => &mut self.spo2_pct,
        };
        *slot = value;
    }

    pub fn is_empty(&self) -> bool {
        Vital::ALL.iter().all(|v| self.get(*v).is_none())
    }

    /// A full set: blood pressure, heart rate and SpO2 all measured.
    pub fn is_full(&self) -> bool {
        Vital::ALL.iter().all(|v| self.get(*v).is_some())
    }

    pub fn present(&self) -> impl Iterator<Item = (Vital, f64)> + '_ {
        Vital::ALL
            .into_iter()
            .filter_map(|v| self.get(v).map(|x| (v, x)))
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
