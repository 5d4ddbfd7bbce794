//! Everything that happens in a session, appended in order and never changed.

use crate::clock::Time;
use crate::session::reading::VitalSet;
use crate::session::via::Via;
use std::fmt;

/// Where an event came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Source {
    /// Typed at the chair.
    #[default]
    Manual,
    /// A row of an imported file (1-based physical line; 0 for the file as a whole, as
    /// when an import opens the session).
    Imported { file: String, line: u64 },
    /// Read from a connected device.
    Device { id: String },
    /// Decided by the alert engine or the schedule, not by a person.
    AlertEngine,
}

impl Source {
    /// The text in the log's `source` column: `manual`, `import:FILE:LINE`, `device:ID`,
    /// `alert-engine`.
    pub fn to_cell(&self) -> String {
        match self {
            Source::Manual => "manual".into(),
            Source::Imported { file, line } => format!("import:{file}:{line}"),
            Source::Device { id } => format!("device:{id}"),
            Source::AlertEngine => "alert-engine".into(),
        }
    }

    pub fn from_cell(cell: &str) -> Option<Source> {
        match cell {
            "manual" => Some(Source::Manual),
            "alert-engine" => Some(Source::AlertEngine),
            _ => {
                if let Some(rest) = cell.strip_prefix("import:") {
                    // The file name may itself hold colons; the line is after the last one.
                    let (file, line) = rest.rsplit_once(':')?;
                    Some(Source::Imported {
                        file: file.to_string(),
                        line: line.parse().ok()?,
                    })
                } else {
                    cell.strip_prefix("device:")
                        .map(|id| Source::Device { id: id.to_string() })
                }
            }
        }
    }
}

/// What the protocol says will be given. Every number is optional: an import knows none.
/// A session opens only with numbers its profile accepts (`session::opening::check`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Protocol {
    /// e.g. "Depression 0.5 mg/kg over 40 min"; empty for an import that did not say.
    pub name: String,
    /// Total dose, mg/kg.
    pub dose_mg_per_kg: Option<f64>,
    /// Infusion rate, mg/kg/h: the total dose over the planned minutes
    /// ([`Protocol::rate_for`]).
    pub rate_mg_per_kg_h: Option<f64>,
    /// Planned infusion length, minutes.
    pub planned_min: Option<u32>,
}

impl Protocol {
    /// A protocol of `dose_mg_per_kg` (total, mg/kg) over `planned_min` minutes, with the
    /// rate that gives it ([`Protocol::rate_for`]). Nothing is checked here: opening a
    /// session checks the numbers against its profile.
    pub fn planned(name: String, dose_mg_per_kg: f64, planned_min: u32) -> Protocol {
        Protocol {
            name,
            dose_mg_per_kg: Some(dose_mg_per_kg),
            rate_mg_per_kg_h: Some(Protocol::rate_for(dose_mg_per_kg, planned_min)),
            planned_min: Some(planned_min),
        }
    }

    /// The rate in mg/kg/h that gives `dose_mg_per_kg` (mg/kg) over `planned_min`
    /// minutes: dose x 60 / minutes (0.5 mg/kg over 40 min: 0.75 mg/kg/h). Infinite for
    /// 0 minutes, which no profile accepts.
    pub fn rate_for(dose_mg_per_kg: f64, planned_min: u32) -> f64 {
        dose_mg_per_kg * 60.0 / f64::from(planned_min)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionInfo {
    /// An MRN or pseudonym; names do not belong in exports.
    pub patient_id: String,
    /// Body weight, kg; none for an import.
    pub weight_kg: Option<f64>,
    pub protocol: Protocol,
    pub profile_name: String,
    pub profile_version: String,
}

/// A value the validation's warning tier questioned, and whether a person confirmed it.
#[derive(Clone, Debug, PartialEq)]
pub struct Doubt {
    pub note: String,
    pub confirmed: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum InfusionChange {
    Started { rate_mg_per_kg_h: Option<f64> },
    Paused,
    Resumed,
    RateChanged { rate_mg_per_kg_h: f64 },
    Stopped,
}

impl InfusionChange {
    pub fn name(&self) -> &'static str {
        match self {
            InfusionChange::Started { .. } => "started",
            InfusionChange::Paused => "paused",
            InfusionChange::Resumed => "resumed",
            InfusionChange::RateChanged { .. } => "rate-changed",
            InfusionChange::Stopped => "stopped",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    Low,
    Medium,
    High,
}

impl Priority {
    pub fn name(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Medium => "medium",
            Priority::High => "high",
        }
    }

    pub fn from_name(s: &str) -> Option<Priority> {
        [Priority::Low, Priority::Medium, Priority::High]
            .into_iter()
            .find(|p| p.name() == s)
    }

    /// The text prefix that tells priorities apart without colour.
    pub fn marker(self) -> &'static str {
        match self {
            Priority::Low => "*",
            Priority::Medium => "**",
            Priority::High => "***",
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A scale's name as an alert key holds it (`MOAA/S`): interned, so that alert keys stay
/// `Copy` like a vital. A session knows a few scales, and a name from a log is at most
/// [`ScaleName::LONGEST`] characters, so what is interned stays small.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScaleName(&'static str);

impl ScaleName {
    /// The longest scale name, in characters (a profile's are checked to it).
    pub const LONGEST: usize = 40;

    /// The name as a key; `None` for an empty name or one past [`ScaleName::LONGEST`].
    pub fn new(name: &str) -> Option<ScaleName> {
        use std::collections::BTreeSet;
        use std::sync::Mutex;
        static NAMES: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
        if name.is_empty() || name.chars().count() > ScaleName::LONGEST {
            return None;
        }
        let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
        let interned = match names.get(name) {
            Some(known) => *known,
            None => {
                let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
                names.insert(leaked);
                leaked
            }
        };
        Some(ScaleName(interned))
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// What an alert is about: a vital or an assessment's score out of range in one
/// direction, or the schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertKey {
    High(crate::session::Vital),
    Low(crate::session::Vital),
    ReadingOverdue,
    /// A score at or above a scale's threshold (RASS agitation).
    ScoreHigh(ScaleName),
    /// A score at or below a scale's threshold (MOAA/S sedation).
    ScoreLow(ScaleName),
}

impl AlertKey {
    pub fn vital(self) -> Option<crate::session::Vital> {
        match self {
            AlertKey::High(v) | AlertKey::Low(v) => Some(v),
            _ => None,
        }
    }

    /// The `alert_vital` cell: the vital's name (`systolic`), the scale's (`MOAA/S`), or
    /// empty for the schedule's alert.
    pub fn subject_name(self) -> &'static str {
        match self {
            AlertKey::High(v) | AlertKey::Low(v) => v.name(),
            AlertKey::ScoreHigh(s) | AlertKey::ScoreLow(s) => s.as_str(),
            AlertKey::ReadingOverdue => "",
        }
    }

    /// The scale a score's alert is about.
    pub fn scale(self) -> Option<ScaleName> {
        match self {
            AlertKey::ScoreHigh(s) | AlertKey::ScoreLow(s) => Some(s),
            _ => None,
        }
    }

    /// The `alert_condition` cell: `high`, `low` or `reading-overdue`.
    pub fn condition(self) -> &'static str {
        match self {
            AlertKey::High(_) | AlertKey::ScoreHigh(_) => "high",
            AlertKey::Low(_) | AlertKey::ScoreLow(_) => "low",
            AlertKey::ReadingOverdue => "reading-overdue",
        }
    }

    /// The key of an alert row: its `alert_vital` cell (a vital's name, a scale's, or
    /// empty) and its `alert_condition`.
    pub fn from_cells(name: &str, condition: &str) -> Option<AlertKey> {
        let vital = crate::session::Vital::from_name(name);
        match (condition, vital) {
            ("high", Some(v)) => Some(AlertKey::High(v)),
            ("low", Some(v)) => Some(AlertKey::Low(v)),
            ("reading-overdue", None) if name.is_empty() => Some(AlertKey::ReadingOverdue),
            // Any other name is a scale's: an assessment's alert names its scale.
            ("high", None) => ScaleName::new(name).map(AlertKey::ScoreHigh),
            ("low", None) => ScaleName::new(name).map(AlertKey::ScoreLow),
            _ => None,
        }
    }

    pub fn describe(self) -> String {
        match self {
            AlertKey::High(v) => format!("{} high", v.label()),
            AlertKey::Low(v) => format!("{} low", v.label()),
            AlertKey::ReadingOverdue => "Reading overdue".into(),
            AlertKey::ScoreHigh(s) => format!("{} high", s.as_str()),
            AlertKey::ScoreLow(s) => format!("{} low", s.as_str()),
        }
    }
}

/// What happened to an alert.
#[derive(Clone, Debug, PartialEq)]
pub enum AlertChange {
    Raised {
        recheck_by: Option<Time>,
    },
    /// A medium condition was met once: the next reading of the vital decides.
    RecheckRequested {
        recheck_by: Time,
    },
    /// The recheck did not confirm the medium condition; the alert goes on at its level.
    RecheckEnded,
    /// The recheck time passed with no new reading: itself a reminder.
    RecheckOverdue,
    /// No reading confirmed or cleared the condition before the recheck expired
    /// (`recheck.expires_after_min` after the reading that asked for it): the advisory
    /// ends, not rechecked, and a later reading of the vital starts a condition of its own.
    RecheckExpired,
    Escalated,
    Acknowledged,
    Resolved,
}

impl AlertChange {
    pub fn name(&self) -> &'static str {
        match self {
            AlertChange::Raised { .. } => "raised",
            AlertChange::RecheckRequested { .. } => "recheck-requested",
            AlertChange::RecheckEnded => "recheck-ended",
            AlertChange::RecheckOverdue => "recheck-overdue",
            AlertChange::RecheckExpired => "recheck-expired",
            AlertChange::Escalated => "escalated",
            AlertChange::Acknowledged => "acknowledged",
            AlertChange::Resolved => "resolved",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AlertEvent {
    pub alert_id: u32,
    pub key: AlertKey,
    /// The alert's priority once this change applies.
    pub priority: Priority,
    pub change: AlertChange,
    /// The reading that caused the change, if one did.
    pub reading_id: Option<u32>,
    /// What the nurse is shown, e.g. "* Systolic high 186 mmHg >= 180: recheck at 09:45".
    pub message: String,
}

/// The modified Aldrete score's highest value: five items (activity, respiration,
/// circulation, consciousness, oxygen saturation) scored 0-2 each. A fact of the scale,
/// not a clinic's choice; the score a patient needs to leave is the profile's
/// (`discharge.aldrete_min`).
pub const ALDRETE_MAX: u8 = 10;

#[derive(Clone, Debug, PartialEq)]
pub struct DischargeCriteria {
    /// Modified Aldrete score, 0 to [`ALDRETE_MAX`].
    pub aldrete_score: u8,
    pub escort_present: bool,
    pub vitals_near_baseline: bool,
}

/// In a [`EventKind::SessionRecovered`] note, before the row where the journal broke:
/// the rows from there on are not in the log, which the audit's `complete` check fails.
pub const RECOVERED_CUT: &str = "recovered: cut at row";

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    SessionOpened(SessionInfo),
    ReadingRecorded {
        reading_id: u32,
        values: VitalSet,
        doubt: Option<Doubt>,
        via: Via,
    },
    /// A corrected value for a reading; the original stays in the history.
    ReadingAmended {
        reading_id: u32,
        values: VitalSet,
        doubt: Option<Doubt>,
    },
    ReadingEnteredInError {
        reading_id: u32,
    },
    /// A score on one of the profile's scales (`alerts::scales`: MOAA/S, pain NRS): its
    /// number among the session's assessments (1, 2, ...), the scale's name, the score.
    AssessmentRecorded {
        assessment_id: u32,
        scale: String,
        score: i32,
    },
    /// A corrected score; the original stays in the history.
    AssessmentAmended {
        assessment_id: u32,
        score: i32,
    },
    AssessmentEnteredInError {
        assessment_id: u32,
    },
    Infusion(InfusionChange),
    SideEffectNoted {
        effect: String,
    },
    Intervention {
        action: String,
    },
    Alert(AlertEvent),
    Discharged(DischargeCriteria),
    SessionClosed,
    /// An alarm's tone was played (first announcement or re-announcement).
    AlarmSounded {
        alert_id: u32,
        key: AlertKey,
        priority: Priority,
    },
    /// Alarm sound paused by the nurse until `until`.
    AudioPaused {
        until: Time,
    },
    /// One vital's alarm silenced up to `priority` until `until`; anything worse sounds.
    Snoozed {
        key: AlertKey,
        priority: Priority,
        until: Time,
    },
    /// A snooze ended: expired, or the session closed.
    SnoozeEnded {
        key: AlertKey,
    },
    /// Something wrong with the machine rather than the patient (no sound device, the
    /// clock moved back, the journal could not be written for a while).
    TechnicalAlarm {
        condition: String,
    },
    /// A threshold adjusted for this patient: the absolute limit of one level of one
    /// vital's rule (the comparison stays the profile's).
    LimitChanged {
        key: AlertKey,
        priority: Priority,
        limit: f64,
    },
    /// A log made from the journal of a session that was never closed, or of one whose
    /// journal breaks at a bad row: when, and what the journal lost (a last line cut by a
    /// crash; from [`RECOVERED_CUT`] on, the rows from a bad one on).
    SessionRecovered {
        note: String,
    },
    /// A value or row of an imported file that could not be kept, and why: the log says
    /// what was dropped, not only the terminal.
    InputRejected {
        problem: String,
    },
}

/// An event as the log and the journal keep it.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Position in the session, from 1, without gaps.
    pub seq: u64,
    /// When it happened (for a reading: when it was measured).
    pub at: Time,
    /// When it was entered into the record.
    pub entered_at: Time,
    /// Who: a nurse or clinician identifier, or `alert-engine`.
    pub by: String,
    pub source: Source,
    /// Why, or the action taken; required for corrections and infusion changes.
    pub reason: Option<String>,
    pub kind: EventKind,
}

/// An event not yet given its place in the session.
#[derive(Clone, Debug, PartialEq)]
pub struct NewEvent {
    pub at: Time,
    pub by: String,
    pub source: Source,
    pub reason: Option<String>,
    pub kind: EventKind,
}

impl NewEvent {
    pub fn into_event(self, seq: u64, entered_at: Time) -> Event {
        Event {
            seq,
            at: self.at,
            entered_at,
            by: self.by,
            source: self.source,
            reason: self.reason,
            kind: self.kind,
        }
    }
}

/// Who the alert engine signs its events as.
pub const ALERT_ENGINE: &str = "alert-engine";
