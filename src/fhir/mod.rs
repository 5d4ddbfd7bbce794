//! A sealed session log as a FHIR R4 (4.0.1) `Bundle` for the record
//! (docs/fhir-export.md holds the mapping and the choices): the patient by identifier, the
//! session as an `Encounter`, the ketamine as one `MedicationAdministration` per period at
//! one rate, each reading as vital-signs `Observation`s
//! (<http://hl7.org/fhir/R4/observation-vitalsigns.html>, LOINC codes), each scored
//! assessment as a `survey` `Observation`. Pure: a value from a log read for review
//! ([`ReviewedLog`]), no file, no clock, no drawing. Only an intact log is exported.

pub mod model;

use crate::clock::{Time, format_time};
use crate::review::{ReviewedLog, SealLine};
use crate::session::events::{EventKind, InfusionChange, Source};
use crate::session::state::ReadingRecord;
use crate::session::{Event, Vital};
use model::{
    Annotation, Bundle, CodeableConcept, Coding, Component, Dosage, Encounter, Entry, Identifier,
    MedicationAdministration, Meta, Observation, Patient, Performer, Period, Quantity, Reference,
    Resource,
};
use sha2::{Digest, Sha256};

/// LOINC's system URI.
pub const LOINC: &str = "http://loinc.org";
/// UCUM's system URI, for every quantity.
pub const UCUM: &str = "http://unitsofmeasure.org";
/// FHIR's observation categories (`vital-signs`, `survey`).
pub const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
/// FHIR's reasons for a missing value (`not-performed`: half a blood pressure).
pub const DATA_ABSENT_REASON: &str = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
/// RxNorm's system URI; ketamine, the ingredient, is RxCUI 6130.
pub const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";
/// SNOMED CT's system URI; the intravenous route is 47625008.
pub const SNOMED: &str = "http://snomed.info/sct";
/// HL7 v3 ActCode, for the encounter's class (`AMB`, ambulatory).
pub const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
/// The base of the FHIR R4 vital-signs profiles (`vitalsigns`, `bp`, `heartrate`, ...).
pub const PROFILE_BASE: &str = "http://hl7.org/fhir/StructureDefinition/";

/// The LOINC codes of one vital-sign observation: the panel's code(s), with their
/// displays, and its profile's name under [`PROFILE_BASE`].
pub struct VitalCode {
    /// The observation's codes: one, or for SpO2 two (2708-6 of the FHIR vital-signs
    /// profile and 59408-5, pulse oximetry, which US Core asks for too).
    pub codes: &'static [(&'static str, &'static str)],
    /// Its words, `code.text`.
    pub text: &'static str,
    /// The FHIR R4 vital-signs profile it meets.
    pub profile: &'static str,
    /// Its id's suffix (`reading-3-bp`).
    pub suffix: &'static str,
}

/// Blood pressure panel, LOINC 85354-9, its components systolic 8480-6 and diastolic
/// 8462-4 in `mm[Hg]`.
pub const BP_PANEL: VitalCode = VitalCode {
    codes: &[("85354-9", "Blood pressure panel with all children optional")],
    text: "Blood pressure",
    profile: "bp",
    suffix: "bp",
};

/// The code of a vital measured alone (not blood pressure): heart rate 8867-4 (`/min`),
/// SpO2 2708-6 and 59408-5 (`%`), respiratory rate 9279-1 (`/min`).
pub fn vital_code(vital: Vital) -> Option<VitalCode> {
    Some(match vital {
        Vital::Systolic | Vital::Diastolic => return None,
        Vital::HeartRate => VitalCode {
            codes: &[("8867-4", "Heart rate")],
            text: "Heart rate",
            profile: "heartrate",
            suffix: "hr",
        },
        Vital::Spo2 => VitalCode {
            codes: &[
                ("2708-6", "Oxygen saturation in Arterial blood"),
                (
                    "59408-5",
                    "Oxygen saturation in Arterial blood by Pulse oximetry",
                ),
            ],
            text: "SpO2",
            profile: "oxygensat",
            suffix: "spo2",
        },
        Vital::RespRate => VitalCode {
            codes: &[("9279-1", "Respiratory rate")],
            text: "Respiratory rate",
            profile: "resprate",
            suffix: "rr",
        },
    })
}

/// The LOINC code of a blood-pressure component: systolic 8480-6, diastolic 8462-4.
pub fn component_code(vital: Vital) -> Option<(&'static str, &'static str)> {
    match vital {
        Vital::Systolic => Some(("8480-6", "Systolic blood pressure")),
        Vital::Diastolic => Some(("8462-4", "Diastolic blood pressure")),
        _ => None,
    }
}

/// A vital's value as a UCUM quantity: `mm[Hg]`, `/min` (heart and respiratory rate),
/// `%`.
pub fn quantity(vital: Vital, value: f64) -> Quantity {
    let (unit, code) = match vital {
        Vital::Systolic | Vital::Diastolic => ("mmHg", "mm[Hg]"),
        Vital::HeartRate => ("beats/minute", "/min"),
        Vital::Spo2 => ("%", "%"),
        Vital::RespRate => ("breaths/minute", "/min"),
    };
    Quantity {
        value,
        unit,
        system: UCUM,
        code,
    }
}

/// Why a log is not exported.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum NotExported {
    /// Its seal did not verify, or it holds what no chair writes: the reason, naming the
    /// row.
    #[error("the log is not intact ({0}), and only an intact log is exported")]
    NotIntact(String),
    /// It holds no session opening (cannot happen in an intact log; said rather than
    /// assumed).
    #[error("the log opens no session")]
    NoSession,
}

/// The bundle of an intact log; refused for any other.
pub fn session_bundle(log: &ReviewedLog) -> Result<Bundle, NotExported> {
    let (sealed_at, seal_hash) = match &log.seal {
        SealLine::Intact {
            sealed_at, sha256, ..
        } => (sealed_at, sha256),
        SealLine::NotIntact(why) => return Err(NotExported::NotIntact(why.clone())),
    };
    let state = &log.state;
    let (Some(info), Some(opened_at)) = (&state.info, state.opened_at) else {
        return Err(NotExported::NoSession);
    };
    let ids = Ids {
        namespace: format!("{}\n{}", info.patient_id, format_time(&opened_at)),
    };
    let patient_url = ids.url("patient");
    let encounter_url = ids.url("encounter");
    let mut entries = vec![
        Resource::Patient(Patient {
            id: "patient".into(),
            identifier: vec![Identifier {
                system: None,
                value: info.patient_id.clone(),
            }],
        }),
        Resource::Encounter(Encounter {
            id: "encounter".into(),
            status: if state.closed_at.is_some() {
                "finished"
            } else {
                "unknown"
            },
            class: Coding {
                system: ACT_CODE,
                code: "AMB".into(),
                display: Some("ambulatory".into()),
            },
            kind: if info.protocol.name.is_empty() {
                Vec::new()
            } else {
                vec![CodeableConcept::text(info.protocol.name.clone())]
            },
            subject: Reference::to(&patient_url),
            period: Period {
                start: Some(format_time(&opened_at)),
                end: state.closed_at.as_ref().map(format_time),
            },
        }),
    ];
    let refs = Refs {
        patient: &patient_url,
        encounter: &encounter_url,
    };
    entries.extend(
        infusion_periods(&log.events, state.closed_at.is_some())
            .into_iter()
            .enumerate()
            .map(|(i, p)| {
                Resource::MedicationAdministration(administration(i + 1, &p, log, &refs))
            }),
    );
    for record in &state.readings {
        entries.extend(
            reading_observations(record, &refs)
                .into_iter()
                .map(Resource::Observation),
        );
    }
    for assessment in &state.assessments {
        entries.extend(assessment_observation(assessment, log, &refs).map(Resource::Observation));
    }
    Ok(Bundle {
        id: format!("session-{}", &seal_hash[..seal_hash.len().min(32)]),
        identifier: Identifier {
            system: Some("urn:ietf:rfc:3986".into()),
            value: format!("urn:sha256:{seal_hash}"),
        },
        kind: "collection",
        timestamp: format_time(sealed_at),
        entry: entries
            .into_iter()
            .map(|resource| Entry {
                full_url: ids.url(resource.id()),
                resource,
            })
            .collect(),
    })
}

/// The bundle of an intact log as JSON (UTF-8, indented), or why not.
pub fn bundle_json(log: &ReviewedLog) -> Result<Vec<u8>, NotExported> {
    let bundle = session_bundle(log)?;
    // Serializing plain structs of strings and finite numbers cannot fail; a non-finite
    // number would be written `null`, and an intact log holds none (`check_content`).
    Ok(serde_json::to_vec_pretty(&bundle).unwrap_or_default())
}

/// Deterministic `urn:uuid:` full URLs: a UUID (version 8, RFC 9562) of the SHA-256 of
/// the session (patient identifier and opening time) and the resource's id, so the same
/// log always gives the same bundle, and two sessions' resources never share a URL.
struct Ids {
    namespace: String,
}

impl Ids {
    fn url(&self, id: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(b"infusion-vitals fhir v1\n");
        hash.update(self.namespace.as_bytes());
        hash.update(b"\n");
        hash.update(id.as_bytes());
        let digest = hash.finalize();
        let mut b = [0u8; 16];
        b.copy_from_slice(&digest[..16]);
        b[6] = (b[6] & 0x0f) | 0x80;
        b[8] = (b[8] & 0x3f) | 0x80;
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "urn:uuid:{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }
}

struct Refs<'a> {
    patient: &'a str,
    encounter: &'a str,
}

/// One period of the infusion at one rate: from a start, a resume or a rate change to
/// the next pause, rate change or stop.
#[derive(Clone, Debug, PartialEq)]
pub struct RatePeriod {
    pub start: Time,
    /// `None` while it had not ended when the log was sealed.
    pub end: Option<Time>,
    /// mg/kg/h; `None` when the start gave none (an infusion started without a rate).
    pub rate_mg_per_kg_h: Option<f64>,
    /// The event that began it, and the one that ended it.
    pub began: Step,
    pub ended: Option<Step>,
    /// The session was closed.
    pub session_closed: bool,
}

/// An infusion event as a period's note tells it.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub what: &'static str,
    pub at: Time,
    pub by: String,
    pub reason: Option<String>,
}

/// The infusion's periods at one rate, in order, from the log's infusion events.
pub fn infusion_periods(events: &[Event], session_closed: bool) -> Vec<RatePeriod> {
    let mut periods: Vec<RatePeriod> = Vec::new();
    let mut open: Option<RatePeriod> = None;
    let mut rate: Option<f64> = None;
    for event in events {
        let EventKind::Infusion(change) = &event.kind else {
            continue;
        };
        let step = Step {
            what: change.name(),
            at: event.at,
            by: event.by.clone(),
            reason: event.reason.clone(),
        };
        if let Some(mut period) = open.take() {
            period.end = Some(event.at);
            period.ended = Some(step.clone());
            periods.push(period);
        }
        let begins = match change {
            InfusionChange::Started { rate_mg_per_kg_h } => {
                rate = *rate_mg_per_kg_h;
                true
            }
            InfusionChange::RateChanged { rate_mg_per_kg_h } => {
                rate = Some(*rate_mg_per_kg_h);
                true
            }
            InfusionChange::Resumed => true,
            InfusionChange::Paused | InfusionChange::Stopped => false,
        };
        if begins {
            open = Some(RatePeriod {
                start: event.at,
                end: None,
                rate_mg_per_kg_h: rate,
                began: step,
                ended: None,
                session_closed,
            });
        }
    }
    periods.extend(open);
    periods
}

fn step_text(step: &Step) -> String {
    let mut text = format!(
        "infusion {} at {} by {}",
        step.what,
        format_time(&step.at),
        step.by
    );
    if let Some(reason) = &step.reason {
        text.push_str(": ");
        text.push_str(reason);
    }
    text
}

fn administration(
    n: usize,
    period: &RatePeriod,
    log: &ReviewedLog,
    refs: &Refs,
) -> MedicationAdministration {
    let info = log.state.info.as_ref();
    let protocol = info.map(|i| &i.protocol);
    let mut text = Vec::new();
    if let Some(p) = protocol {
        if !p.name.is_empty() {
            text.push(format!("protocol: {}", p.name));
        }
        if let Some(dose) = p.dose_mg_per_kg {
            text.push(format!("planned total dose {dose} mg/kg"));
        }
        if let Some(min) = p.planned_min {
            text.push(format!("over {min} min"));
        }
        if let Some(rate) = p.rate_mg_per_kg_h {
            text.push(format!("planned rate {rate} mg/kg/h"));
        }
    }
    if let Some(weight) = info.and_then(|i| i.weight_kg) {
        text.push(format!("weight {weight} kg"));
    }
    match period.rate_mg_per_kg_h {
        Some(rate) => text.push(format!("rate period {n}: {rate} mg/kg/h")),
        None => text.push(format!("rate period {n}: no rate recorded")),
    }
    let mut note = vec![Annotation {
        author_string: Some(period.began.by.clone()),
        time: Some(format_time(&period.began.at)),
        text: step_text(&period.began),
    }];
    if let Some(ended) = &period.ended {
        note.push(Annotation {
            author_string: Some(ended.by.clone()),
            time: Some(format_time(&ended.at)),
            text: step_text(ended),
        });
    }
    MedicationAdministration {
        id: format!("infusion-{n}"),
        status: match (&period.ended, period.session_closed) {
            (Some(_), _) => "completed",
            (None, false) => "in-progress",
            (None, true) => "unknown",
        },
        medication_codeable_concept: CodeableConcept {
            coding: vec![Coding {
                system: RXNORM,
                code: "6130".into(),
                display: Some("ketamine".into()),
            }],
            text: Some("ketamine".into()),
        },
        subject: Reference::to(refs.patient),
        context: Reference::to(refs.encounter),
        effective_period: Period {
            start: Some(format_time(&period.start)),
            end: period.end.as_ref().map(format_time),
        },
        performer: vec![Performer {
            actor: Reference::display(period.began.by.clone()),
        }],
        note,
        dosage: Dosage {
            text: Some(text.join("; ")),
            route: CodeableConcept {
                coding: vec![Coding {
                    system: SNOMED,
                    code: "47625008".into(),
                    display: Some("Intravenous route".into()),
                }],
                text: Some("intravenous".into()),
            },
            rate_quantity: period.rate_mg_per_kg_h.map(|value| Quantity {
                value,
                unit: "mg/kg/h",
                system: UCUM,
                code: "mg/kg/h",
            }),
        },
    }
}

/// A reading's or a score's status in FHIR: `entered-in-error` once voided, `amended`
/// once corrected, else `final`, as the log's `status` column says.
fn status(corrections: usize, entered_in_error: bool) -> &'static str {
    match (entered_in_error, corrections) {
        (true, _) => "entered-in-error",
        (false, 0) => "final",
        (false, _) => "amended",
    }
}

fn category(code: &str, display: &str) -> Vec<CodeableConcept> {
    vec![CodeableConcept {
        coding: vec![Coding {
            system: OBSERVATION_CATEGORY,
            code: code.into(),
            display: Some(display.into()),
        }],
        text: Some(display.into()),
    }]
}

/// How the value came: the log's `source` cell as `method.text` (`manual`,
/// `import:FILE:LINE`, `device:ID`), with how an imported reading was measured
/// (`bp arterial; hr ecg`); a device's identifier as `device.display` too.
fn method_and_device(source: &Source, via: &str) -> (Option<CodeableConcept>, Option<Reference>) {
    let mut text = source.to_cell();
    if !via.is_empty() {
        text.push_str("; ");
        text.push_str(via);
    }
    let device = match source {
        Source::Device { id } => Some(Reference::display(id.clone())),
        _ => None,
    };
    (Some(CodeableConcept::text(text)), device)
}

/// A correction's note: who, when it was entered, and why.
fn amended_note(by: &str, entered_at: &Time, reason: Option<&str>) -> Annotation {
    Annotation {
        author_string: Some(by.to_string()),
        time: Some(format_time(entered_at)),
        text: format!(
            "amended{}",
            reason.map_or(String::new(), |r| format!(": {r}"))
        ),
    }
}

/// The notes of a reading or a score: every earlier value it replaced and why, why it
/// was voided, and a doubtful value's warning.
fn history_notes<T>(
    versions: &[T],
    entered_in_error: Option<&(u64, Option<String>)>,
    earlier: impl Fn(&T) -> String,
    version_note: impl Fn(&T) -> Annotation,
) -> Vec<Annotation> {
    let mut notes = Vec::new();
    for pair in versions.windows(2) {
        let mut note = version_note(&pair[1]);
        note.text = format!("{}; it replaced {}", note.text, earlier(&pair[0]));
        notes.push(note);
    }
    if let Some((seq, reason)) = entered_in_error {
        notes.push(Annotation {
            author_string: None,
            time: None,
            text: format!(
                "entered in error (log event {seq}){}",
                reason.as_ref().map_or(String::new(), |r| format!(": {r}"))
            ),
        });
    }
    notes
}

/// The vital-signs observations of one reading: the blood-pressure panel (if either
/// pressure was measured) and one observation for each other vital measured, each with
/// the values of the version in force (for a voided reading, of the last version,
/// marked `entered-in-error`).
fn reading_observations(record: &ReadingRecord, refs: &Refs) -> Vec<Observation> {
    let Some(version) = record.versions.last() else {
        return Vec::new();
    };
    let status = status(record.versions.len() - 1, record.entered_in_error.is_some());
    let via = version.via.to_string();
    let (method, device) = method_and_device(&version.source, &via);
    let mut notes = history_notes(
        &record.versions,
        record.entered_in_error.as_ref(),
        |v| format!("{} measured {}", v.values.brief(), format_time(&v.at)),
        |v| amended_note(&v.by, &v.entered_at, v.reason.as_deref()),
    );
    if let Some(doubt) = &version.doubt {
        notes.push(Annotation {
            author_string: None,
            time: None,
            text: format!(
                "warning: {} (confirmed: {})",
                doubt.note,
                if doubt.confirmed { "yes" } else { "no" }
            ),
        });
    }
    let base = |id: String, code: &VitalCode| Observation {
        id,
        meta: Some(Meta {
            profile: vec![
                format!("{PROFILE_BASE}vitalsigns"),
                format!("{PROFILE_BASE}{}", code.profile),
            ],
        }),
        identifier: Vec::new(),
        status,
        category: category("vital-signs", "Vital Signs"),
        code: CodeableConcept {
            coding: code
                .codes
                .iter()
                .map(|(c, d)| Coding {
                    system: LOINC,
                    code: (*c).into(),
                    display: Some((*d).into()),
                })
                .collect(),
            text: Some(code.text.into()),
        },
        subject: Reference::to(refs.patient),
        encounter: Reference::to(refs.encounter),
        effective_date_time: format_time(&version.at),
        performer: vec![Reference::display(version.by.clone())],
        value_quantity: None,
        value_integer: None,
        data_absent_reason: None,
        note: notes.clone(),
        method: method.clone(),
        device: device.clone(),
        component: Vec::new(),
    };
    let values = &version.values;
    let mut out = Vec::new();
    if values.get(Vital::Systolic).is_some() || values.get(Vital::Diastolic).is_some() {
        let mut panel = base(
            format!("reading-{}-{}", record.id, BP_PANEL.suffix),
            &BP_PANEL,
        );
        panel.component = [Vital::Systolic, Vital::Diastolic]
            .into_iter()
            .filter_map(|vital| {
                let (code, display) = component_code(vital)?;
                let value = values.get(vital);
                Some(Component {
                    code: CodeableConcept {
                        coding: vec![Coding {
                            system: LOINC,
                            code: code.into(),
                            display: Some(display.into()),
                        }],
                        text: Some(vital.label().into()),
                    },
                    value_quantity: value.map(|v| quantity(vital, v)),
                    // The profile wants both components; half a pressure says why.
                    data_absent_reason: value.is_none().then(|| CodeableConcept {
                        coding: vec![Coding {
                            system: DATA_ABSENT_REASON,
                            code: "not-performed".into(),
                            display: Some("Not Performed".into()),
                        }],
                        text: None,
                    }),
                })
            })
            .collect();
        out.push(panel);
    }
    for vital in Vital::ALL {
        let (Some(code), Some(value)) = (vital_code(vital), values.get(vital)) else {
            continue;
        };
        let mut obs = base(format!("reading-{}-{}", record.id, code.suffix), &code);
        obs.value_quantity = Some(quantity(vital, value));
        out.push(obs);
    }
    out
}

/// A scored assessment as an `Observation` of category `survey`: the scale's LOINC code
/// where the profile gives one (pain NRS 72514-3), else the scale's name in words
/// (MOAA/S has no LOINC code); the score as `valueInteger`.
fn assessment_observation(
    record: &crate::session::assessment::AssessmentRecord,
    log: &ReviewedLog,
    refs: &Refs,
) -> Option<Observation> {
    let version = record.versions.last()?;
    let scale = crate::alerts::scales::by_name(&log.profile.scales, &record.scale);
    let coding = scale
        .and_then(|s| s.loinc.as_ref())
        .map(|code| Coding {
            system: LOINC,
            code: code.clone(),
            display: scale.map(|s| s.title.clone()),
        })
        .into_iter()
        .collect();
    let (method, device) = method_and_device(&version.source, "");
    Some(Observation {
        id: format!("assessment-{}", record.id),
        meta: None,
        identifier: Vec::new(),
        status: status(record.versions.len() - 1, record.entered_in_error.is_some()),
        category: category("survey", "Survey"),
        code: CodeableConcept {
            coding,
            text: Some(record.scale.clone()),
        },
        subject: Reference::to(refs.patient),
        encounter: Reference::to(refs.encounter),
        effective_date_time: format_time(&version.at),
        performer: vec![Reference::display(version.by.clone())],
        value_quantity: None,
        value_integer: Some(version.score),
        data_absent_reason: None,
        note: history_notes(
            &record.versions,
            record.entered_in_error.as_ref(),
            |v| format!("score {} assessed {}", v.score, format_time(&v.at)),
            |v| amended_note(&v.by, &v.entered_at, v.reason.as_deref()),
        ),
        method,
        device,
        component: Vec::new(),
    })
}
