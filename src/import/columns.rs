//! The table of column names other programs use (`assets/import/columns.toml`): which
//! name means which vital or time, and which cells mean "no value".

use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use unicode_normalization::UnicodeNormalization;

const BUILT_IN: &str = include_str!("../../assets/import/columns.toml");

use crate::session::Vital;
pub use crate::session::via::{BpChannel, HrChannel};

/// What a column holds, by its name.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq)]
pub enum Role {
    Systolic(BpChannel),
    Diastolic(BpChannel),
    /// One `120/80` cell.
    BloodPressure(BpChannel),
    HeartRate(HrChannel),
    Spo2,
    /// Breaths a minute, counted where [`RrChannel`] says. One column per file is read
    /// ([`crate::import::plan::VitalColumns::detected`]).
    RespRate(RrChannel),
    /// A date and time, an epoch, or seconds since the start: the cells tell which.
    Time {
        millis: bool,
    },
    Date,
    TimeOfDay,
    Zone,
    /// An identifier of the patient (or their stay, encounter, case): one session is one
    /// patient, so a file naming several is never merged.
    Patient,
}

/// The vitals a person can give a column by hand (`--column VITAL=NAME`), by key.
pub const VITAL_KEYS: [(&str, Role); 10] = [
    ("spo2", Role::Spo2),
    ("heart-rate", Role::HeartRate(HrChannel::Unspecified)),
    ("pulse-rate", Role::HeartRate(HrChannel::Oximeter)),
    ("ecg-heart-rate", Role::HeartRate(HrChannel::Ecg)),
    ("systolic", Role::Systolic(BpChannel::NonInvasive)),
    ("diastolic", Role::Diastolic(BpChannel::NonInvasive)),
    ("bp", Role::BloodPressure(BpChannel::NonInvasive)),
    ("arterial-systolic", Role::Systolic(BpChannel::Arterial)),
    ("arterial-diastolic", Role::Diastolic(BpChannel::Arterial)),
    ("resp-rate", Role::RespRate(RrChannel::Unspecified)),
];

/// Where a respiratory rate was counted, in the order a file's columns are preferred:
/// the airway (capnography: each breath's CO2, so an obstructed or absent breath is not
/// counted), then a source not named (a chart's count, a ventilator), then thoracic
/// impedance (chest movement through the ECG leads, which goes on counting an obstructed
/// airway and picks up the heartbeat and movement).
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, PartialOrd, Ord)]
pub enum RrChannel {
    Airway,
    Unspecified,
    Impedance,
}

impl RrChannel {
    pub const ALL: [RrChannel; 3] = [
        RrChannel::Airway,
        RrChannel::Unspecified,
        RrChannel::Impedance,
    ];

    pub fn name(self) -> &'static str {
        match self {
            RrChannel::Airway => "airway",
            RrChannel::Unspecified => "unspecified",
            RrChannel::Impedance => "impedance",
        }
    }

    pub fn from_name(name: &str) -> Option<RrChannel> {
        RrChannel::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl Role {
    /// The role's key for `--column` (see [`VITAL_KEYS`]), if it has one.
    pub fn key(self) -> Option<&'static str> {
        // `--column resp-rate=NAME` reads a respiratory rate from any source.
        let role = match self {
            Role::RespRate(_) => Role::RespRate(RrChannel::Unspecified),
            other => other,
        };
        VITAL_KEYS
            .iter()
            .find(|(_, r)| *r == role)
            .map(|(key, _)| *key)
    }

    /// The role a `--column` key names (any case).
    ///
    /// # Errors
    /// The keys there are, when `key` is none of them.
    pub fn from_key(key: &str) -> Result<Role, String> {
        VITAL_KEYS
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key.trim()))
            .map(|(_, role)| *role)
            .ok_or_else(|| {
                let keys: Vec<&str> = VITAL_KEYS.iter().map(|(k, _)| *k).collect();
                format!("'{key}' is not a vital: use one of {}", keys.join(", "))
            })
    }

    pub fn is_vital(self) -> bool {
        matches!(
            self,
            Role::Systolic(_)
                | Role::Diastolic(_)
                | Role::BloodPressure(_)
                | Role::HeartRate(_)
                | Role::Spo2
                | Role::RespRate(_)
        )
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Systolic(c) => write!(f, "systolic ({})", c.name()),
            Role::Diastolic(c) => write!(f, "diastolic ({})", c.name()),
            Role::BloodPressure(c) => write!(f, "blood pressure as sys/dia ({})", c.name()),
            Role::HeartRate(c) => write!(f, "heart rate ({})", c.name()),
            Role::Spo2 => f.write_str("SpO2"),
            Role::RespRate(c) => write!(f, "respiratory rate ({})", c.name()),
            Role::Time { .. } => f.write_str("time"),
            Role::Date => f.write_str("date"),
            Role::TimeOfDay => f.write_str("time of day"),
            Role::Zone => f.write_str("time zone"),
            Role::Patient => f.write_str("patient identifier"),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    units: Vec<String>,
    device_stream_max_median_s: f64,
    flat_line_below_mmhg: f64,
    missing: MissingFile,
    /// Respiratory-rate names that also name a blood pressure (German `RR`, Riva-Rocci):
    /// such a column of `120/80` cells is a blood pressure.
    #[serde(default)]
    pairs_are_blood_pressure: Vec<String>,
    column: Vec<ColumnFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MissingFile {
    texts: Vec<String>,
    sentinels: Vec<f64>,
    #[serde(default)]
    no_reading: HashMap<String, Vec<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnFile {
    means: String,
    channel: Option<String>,
    unit: Option<String>,
    names: Vec<String>,
}

/// The loaded table.
#[derive(Clone, Debug)]
pub struct ColumnTable {
    units: Vec<String>,
    roles: HashMap<String, Role>,
    missing_texts: Vec<String>,
    pub sentinels: Vec<f64>,
    /// Numbers a device writes for "no reading" in each vital's column (`[missing.no_reading]`).
    no_reading: HashMap<Vital, Vec<f64>>,
    /// `pairs_are_blood_pressure`, folded.
    pairs_are_blood_pressure: Vec<String>,
    pub device_stream_max_median_s: f64,
    pub flat_line_below_mmhg: f64,
}

impl ColumnTable {
    pub fn built_in() -> ColumnTable {
        ColumnTable::parse(BUILT_IN).expect("the built-in column table is valid")
    }

    pub fn parse(text: &str) -> Result<ColumnTable, String> {
        let file: TableFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let units = file.units.iter().map(|u| u.to_lowercase()).collect();
        let mut table = ColumnTable {
            units,
            roles: HashMap::new(),
            missing_texts: file
                .missing
                .texts
                .iter()
                .map(|t| t.to_lowercase())
                .collect(),
            sentinels: file.missing.sentinels,
            no_reading: HashMap::new(),
            pairs_are_blood_pressure: Vec::new(),
            device_stream_max_median_s: file.device_stream_max_median_s,
            flat_line_below_mmhg: file.flat_line_below_mmhg,
        };
        for (what, codes) in file.missing.no_reading {
            let vital = match what.as_str() {
                "systolic" => Vital::Systolic,
                "diastolic" => Vital::Diastolic,
                "heart-rate" => Vital::HeartRate,
                "spo2" => Vital::Spo2,
                "resp-rate" => Vital::RespRate,
                other => return Err(format!("no_reading: unknown vital '{other}'")),
            };
            table.no_reading.insert(vital, codes);
        }
        for column in &file.column {
            let role = role_of(column)?;
            for name in &column.names {
                let key = table.fold(name);
                if key.is_empty() {
                    return Err(format!("'{name}' has no letters or digits"));
                }
                if let Some(other) = table.roles.insert(key.clone(), role)
                    && other != role
                {
                    return Err(format!(
                        "'{name}' (compared as '{key}') means both {other} and {role}"
                    ));
                }
            }
        }
        for name in &file.pairs_are_blood_pressure {
            let key = table.fold(name);
            if !matches!(table.roles.get(&key), Some(Role::RespRate(_))) {
                return Err(format!(
                    "pairs_are_blood_pressure: '{name}' is not a respiratory rate's name"
                ));
            }
            table.pairs_are_blood_pressure.push(key);
        }
        Ok(table)
    }

    /// Whether a column of this name, read as a respiratory rate by the table, is a blood
    /// pressure when its cells are `120/80` pairs (`RR`: Riva-Rocci in German charts).
    pub fn pairs_are_blood_pressure(&self, name: &str) -> bool {
        let key = self.fold(name);
        let last = name.rsplit_once('/').map(|(_, last)| self.fold(last));
        self.pairs_are_blood_pressure
            .iter()
            .any(|k| *k == key || last.as_ref() == Some(k))
    }

    /// The table with the names a person gave a vital by hand (`--column VITAL=NAME`),
    /// so that a header of names the table does not know is found by them too.
    pub fn with_columns(mut self, columns: &[(Role, String)]) -> ColumnTable {
        for (role, name) in columns {
            let key = self.fold(name);
            if !key.is_empty() {
                self.roles.insert(key, *role);
            }
        }
        self
    }

    /// What a column named `name` holds, if the table knows the name.
    pub fn role(&self, name: &str) -> Option<Role> {
        // `NIBP (S)` and `NIBP (D)` are told apart by what is in their brackets, which the
        // fold drops as a unit (`SYS(mmHg)`): the name with it is looked up first.
        let bracketed: String = name
            .chars()
            .filter(|c| !matches!(c, '(' | ')' | '[' | ']'))
            .collect();
        if bracketed != name
            && let Some(role) = self.roles.get(&self.fold(&bracketed)).copied()
        {
            return Some(role);
        }
        let whole = self.roles.get(&self.fold(name)).copied();
        // A device prefix ("Solar8000/NIBP_SBP"), unless the whole name is known ("Date/Time").
        whole.or_else(|| {
            let (_, last) = name.rsplit_once('/')?;
            self.roles.get(&self.fold(last)).copied()
        })
    }

    /// The numbers that mean "no reading" in a column of `vital` (empty if none).
    pub fn no_reading(&self, vital: Vital) -> &[f64] {
        self.no_reading.get(&vital).map_or(&[], Vec::as_slice)
    }

    /// Whether a trimmed cell means "not measured".
    pub fn is_missing_text(&self, cell: &str) -> bool {
        cell.is_empty()
            || self
                .missing_texts
                .iter()
                .any(|t| t.eq_ignore_ascii_case(cell))
    }

    /// A name as it is compared: see the table's header comment.
    pub fn fold(&self, name: &str) -> String {
        let mut kept = String::with_capacity(name.len());
        let mut depth = 0u32;
        for c in name.trim_start_matches('\u{feff}').nfd() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ if depth == 0 => kept.extend(c.to_lowercase()),
                _ => {}
            }
        }
        let mut words: Vec<&str> = kept
            .split(|c: char| c.is_whitespace() || c == '_')
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() > 1
            && words
                .last()
                .is_some_and(|w| self.units.iter().any(|u| u == w))
        {
            words.pop();
        }
        words
            .concat()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(|c| if c == '₂' { '2' } else { c })
            .collect()
    }
}

fn role_of(column: &ColumnFile) -> Result<Role, String> {
    let channel = column.channel.as_deref();
    let bp = || {
        channel
            .and_then(BpChannel::from_name)
            .ok_or_else(|| format!("{}: channel must be non-invasive or arterial", column.means))
    };
    let role = match column.means.as_str() {
        "systolic" => Role::Systolic(bp()?),
        "diastolic" => Role::Diastolic(bp()?),
        "blood-pressure" => Role::BloodPressure(bp()?),
        "heart-rate" => Role::HeartRate(channel.and_then(HrChannel::from_name).ok_or(
            "heart-rate: channel must be ecg, oximeter, unspecified, bp-cuff or arterial",
        )?),
        "spo2" => Role::Spo2,
        "resp-rate" => Role::RespRate(
            channel
                .and_then(RrChannel::from_name)
                .ok_or("resp-rate: channel must be airway, unspecified or impedance")?,
        ),
        "time" => Role::Time {
            millis: match column.unit.as_deref() {
                None => false,
                Some("ms") => true,
                Some(other) => return Err(format!("time: unknown unit '{other}'")),
            },
        },
        "date" => Role::Date,
        "time-of-day" => Role::TimeOfDay,
        "zone" => Role::Zone,
        "patient" => Role::Patient,
        other => return Err(format!("unknown meaning '{other}'")),
    };
    Ok(role)
}
