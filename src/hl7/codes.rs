//! Which OBX-3 codes give which vital, in which unit: the table in
//! `assets/hl7/observation-codes.toml` (IEEE 11073-10101 as IHE PCD-01 sends them, LOINC,
//! vendors' text codes). Data, as the importer's column names are.

use crate::hl7::oru::Coded;
use crate::import::columns::{Role, RrChannel};
use crate::session::via::{BpChannel, HrChannel};
use serde::Deserialize;

const BUILT_IN: &str = include_str!("../../assets/hl7/observation-codes.toml");

/// One kind of observation the chair reads.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// The vital and where it was measured.
    pub role: Role,
    /// A continuous value (its alarms wait for the condition delay), or a spot one.
    pub streamed: bool,
    /// Units accepted in OBX-6, folded to lower case.
    units: Vec<String>,
    /// Numbers that mean "no value" for this vital (`[no_reading]`).
    no_reading: Vec<f64>,
}

impl Observation {
    /// Whether OBX-6 names a unit this observation is read in (empty: the usual one).
    pub fn accepts_unit(&self, unit: &Coded) -> bool {
        let fold = |s: &str| s.trim().to_lowercase();
        (unit.identifier.is_empty() && unit.text.is_empty())
            || self
                .units
                .iter()
                .any(|u| *u == fold(&unit.identifier) || *u == fold(&unit.text))
    }

    /// Whether `value` is a number the monitor sends for "no value" (0 from an unplugged
    /// lead, 255 from an oximeter without a signal, -999...).
    pub fn is_no_reading(&self, value: f64) -> bool {
        self.no_reading.contains(&value)
    }

    /// The unit it is read in, for a message (the table's last spelling, UCUM or plain).
    pub fn unit(&self) -> &str {
        self.units.last().map_or("", String::as_str)
    }
}

/// What the table says of a code.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lookup<'t> {
    Read(&'t Observation),
    /// Known and not read (a mean pressure, a temperature, a pleth wave).
    NotRead,
    Unknown,
}

/// The codes, by coding system.
#[derive(Clone, Debug)]
pub struct CodeTable {
    /// (folded code, observation index) for each coding system.
    mdc: Vec<(String, usize)>,
    loinc: Vec<(String, usize)>,
    text: Vec<(String, usize)>,
    not_read: Vec<String>,
    observations: Vec<Observation>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    observation: Vec<ObservationFile>,
    no_reading: NoReadingFile,
    not_read: NotReadFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct NoReadingFile {
    any: Vec<f64>,
    #[serde(default)]
    systolic: Vec<f64>,
    #[serde(default)]
    diastolic: Vec<f64>,
    #[serde(default)]
    heart_rate: Vec<f64>,
    #[serde(default)]
    spo2: Vec<f64>,
    #[serde(default)]
    resp_rate: Vec<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObservationFile {
    vital: String,
    channel: Option<String>,
    streamed: bool,
    #[serde(default)]
    mdc: Vec<String>,
    #[serde(default)]
    loinc: Vec<String>,
    #[serde(default)]
    text: Vec<String>,
    units: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotReadFile {
    #[serde(default)]
    mdc: Vec<String>,
    #[serde(default)]
    loinc: Vec<String>,
    #[serde(default)]
    text: Vec<String>,
}

fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

impl CodeTable {
    pub fn built_in() -> CodeTable {
        CodeTable::parse(BUILT_IN).expect("the built-in observation code table is valid")
    }

    /// # Errors
    /// The TOML's own error, or the entry whose vital or channel is not one of the table's.
    pub fn parse(text: &str) -> Result<CodeTable, String> {
        let file: TableFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut table = CodeTable {
            mdc: Vec::new(),
            loinc: Vec::new(),
            text: Vec::new(),
            not_read: [file.not_read.mdc, file.not_read.loinc, file.not_read.text]
                .concat()
                .iter()
                .map(|c| fold(c))
                .collect(),
            observations: Vec::new(),
        };
        for (i, entry) in file.observation.into_iter().enumerate() {
            let role = role(&entry.vital, entry.channel.as_deref())
                .map_err(|why| format!("observation {}: {why}", i + 1))?;
            let n = &file.no_reading;
            let for_vital = match role {
                Role::Systolic(_) | Role::BloodPressure(_) => &n.systolic,
                Role::Diastolic(_) => &n.diastolic,
                Role::HeartRate(_) => &n.heart_rate,
                Role::RespRate(_) => &n.resp_rate,
                _ => &n.spo2,
            };
            let index = table.observations.len();
            let add = |list: &mut Vec<(String, usize)>, codes: &[String]| {
                list.extend(codes.iter().map(|c| (fold(c), index)));
            };
            add(&mut table.mdc, &entry.mdc);
            add(&mut table.loinc, &entry.loinc);
            add(&mut table.text, &entry.text);
            table.observations.push(Observation {
                role,
                streamed: entry.streamed,
                units: entry.units.iter().map(|u| fold(u)).collect(),
                no_reading: [n.any.as_slice(), for_vital].concat(),
            });
        }
        Ok(table)
    }

    /// What `code` (an OBX-3) is. By its coding system: MDC (or none, as some gateways
    /// leave it out) against the IEEE codes, LN against LOINC; then, whatever the
    /// system, its identifier and its text against the vendors' codes.
    pub fn lookup(&self, code: &Coded) -> Lookup<'_> {
        let (id, text) = (fold(&code.identifier), fold(&code.text));
        let find = |list: &Vec<(String, usize)>, key: &str| {
            list.iter()
                .find(|(c, _)| !key.is_empty() && c == key)
                .map(|(_, i)| *i)
        };
        let system = code.system.trim().to_ascii_uppercase();
        let by_system = match system.as_str() {
            "MDC" | "" | "ISO11073" | "IEEE11073" => {
                find(&self.mdc, &id).or(find(&self.mdc, &text))
            }
            "LN" | "LOINC" => find(&self.loinc, &id),
            _ => None,
        };
        if let Some(i) = by_system
            .or(find(&self.text, &id))
            .or(find(&self.text, &text))
        {
            return Lookup::Read(&self.observations[i]);
        }
        if [&id, &text]
            .iter()
            .any(|k| !k.is_empty() && self.not_read.contains(k))
        {
            Lookup::NotRead
        } else {
            Lookup::Unknown
        }
    }
}

fn role(vital: &str, channel: Option<&str>) -> Result<Role, String> {
    let channel_named =
        |what: &str| channel.ok_or_else(|| format!("{vital} needs a channel ({what})"));
    let unknown = |c: &str| format!("'{c}' is not a channel of {vital}");
    match vital {
        "systolic" | "diastolic" => {
            let c = channel_named("non-invasive or arterial")?;
            let ch = BpChannel::from_name(c).ok_or_else(|| unknown(c))?;
            Ok(if vital == "systolic" {
                Role::Systolic(ch)
            } else {
                Role::Diastolic(ch)
            })
        }
        "heart-rate" => {
            let c = channel_named("ecg, oximeter, unspecified, bp-cuff or arterial")?;
            Ok(Role::HeartRate(
                HrChannel::from_name(c).ok_or_else(|| unknown(c))?,
            ))
        }
        "resp-rate" => {
            let c = channel_named("airway, unspecified or impedance")?;
            Ok(Role::RespRate(
                RrChannel::from_name(c).ok_or_else(|| unknown(c))?,
            ))
        }
        "spo2" => Ok(Role::Spo2),
        other => Err(format!(
            "'{other}' is not a vital of the table (systolic, diastolic, heart-rate, spo2, resp-rate)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coded(identifier: &str, text: &str, system: &str) -> Coded {
        Coded {
            identifier: identifier.into(),
            text: text.into(),
            system: system.into(),
        }
    }

    #[test]
    fn the_codes_pcd01_sends_loinc_and_vendor_text_are_read() {
        let table = CodeTable::built_in();
        let role = |c: Coded| match table.lookup(&c) {
            Lookup::Read(o) => Some(o.role),
            _ => None,
        };
        let nibp = Role::Systolic(BpChannel::NonInvasive);
        assert_eq!(
            role(coded("150021", "MDC_PRESS_BLD_NONINV_SYS", "MDC")),
            Some(nibp)
        );
        assert_eq!(role(coded("150021", "", "")), Some(nibp));
        assert_eq!(
            role(coded("8480-6", "Systolic blood pressure", "LN")),
            Some(nibp)
        );
        assert_eq!(
            role(coded("150037", "", "MDC")),
            Some(Role::Systolic(BpChannel::Arterial))
        );
        assert_eq!(
            role(coded("147842", "", "MDC")),
            Some(Role::HeartRate(HrChannel::Ecg))
        );
        assert_eq!(
            role(coded("149530", "", "MDC")),
            Some(Role::HeartRate(HrChannel::Oximeter))
        );
        assert_eq!(role(coded("150456", "", "MDC")), Some(Role::Spo2));
        assert_eq!(
            role(coded("151562", "", "MDC")),
            Some(Role::RespRate(RrChannel::Unspecified))
        );
        assert_eq!(role(coded("SPO2", "", "99PHILIPS")), Some(Role::Spo2));
        // A LOINC code is not read as an IEEE one, nor the reverse.
        assert_eq!(role(coded("150456", "", "LN")), None);
        assert_eq!(table.lookup(&coded("150023", "", "MDC")), Lookup::NotRead);
        assert_eq!(table.lookup(&coded("999999", "", "MDC")), Lookup::Unknown);
    }

    #[test]
    fn units_are_checked_and_an_empty_unit_is_the_usual_one() {
        let table = CodeTable::built_in();
        let Lookup::Read(sys) = table.lookup(&coded("150021", "", "MDC")) else {
            panic!()
        };
        assert!(sys.accepts_unit(&coded("266016", "MDC_DIM_MMHG", "MDC")));
        assert!(sys.accepts_unit(&coded("mm[Hg]", "", "UCUM")));
        assert!(sys.accepts_unit(&Coded::default()));
        assert!(!sys.accepts_unit(&coded("266032", "MDC_DIM_KILO_PASCAL", "MDC")));
    }

    #[test]
    fn a_table_with_a_wrong_vital_or_channel_is_refused_naming_it() {
        let bad = "[[observation]]\nvital = \"temperature\"\nstreamed = true\nunits = []\n[no_reading]\nany = []\n[not_read]\n";
        assert!(
            CodeTable::parse(bad)
                .unwrap_err()
                .contains("'temperature' is not a vital")
        );
        let bad = "[[observation]]\nvital = \"systolic\"\nchannel = \"cuff\"\nstreamed = true\nunits = []\n[no_reading]\nany = []\n[not_read]\n";
        assert!(
            CodeTable::parse(bad)
                .unwrap_err()
                .contains("'cuff' is not a channel")
        );
    }
}
