//! Scored assessments in a session (MOAA/S, pain NRS: the profile's scales,
//! `alerts::scales`): each score with who recorded it and when, its corrections kept, as
//! a reading keeps its own. Pure: folded from events by `SessionState`.

use crate::clock::Time;
use crate::session::events::{Event, Source};

/// One version of a score: as first recorded, or as a correction made it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreVersion {
    pub seq: u64,
    /// When the patient was assessed.
    pub at: Time,
    pub entered_at: Time,
    pub by: String,
    pub source: Source,
    /// Why it was corrected (none on the original).
    pub reason: Option<String>,
    pub score: i32,
}

impl ScoreVersion {
    pub fn of(event: &Event, score: i32) -> ScoreVersion {
        ScoreVersion {
            seq: event.seq,
            at: event.at,
            entered_at: event.entered_at,
            by: event.by.clone(),
            source: event.source.clone(),
            reason: event.reason.clone(),
            score,
        }
    }
}

/// An assessment and its history.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentRecord {
    /// Its number among the session's assessments: 1, 2, ...
    pub id: u32,
    /// The scale's name, as the profile gives it (`MOAA/S`).
    pub scale: String,
    /// The original first, then each correction in order.
    pub versions: Vec<ScoreVersion>,
    /// The event that marked it entered-in-error, with its reason.
    pub entered_in_error: Option<(u64, Option<String>)>,
}

impl AssessmentRecord {
    /// The version in force, or `None` when it was entered in error.
    pub fn current(&self) -> Option<&ScoreVersion> {
        match self.entered_in_error {
            Some(_) => None,
            None => self.versions.last(),
        }
    }
}
