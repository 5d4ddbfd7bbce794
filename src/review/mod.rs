//! A sealed log read for review: its events up to any fault, their fold, the recorded
//! profile, the summary, and what its seal said. The review screen and the PDF report
//! (`crate::report`) both start here; `wording` holds the sentences both show. Pure: a
//! value from the log's bytes, no file, no clock, no drawing.

/// The sentences the review screen and the report share.
pub mod wording;

use crate::alerts::Profile;
use crate::clock::Time;
use crate::log::content::check_content;
use crate::log::read::read_for_review;
use crate::log::seal::PublicKey;
use crate::session::summary::SessionSummary;
use crate::session::{Event, SessionState};

/// What the log's seal said, as the report's first line says it.
#[derive(Clone, Debug, PartialEq)]
pub enum SealLine {
    /// Every row verified up to the seal: when it was sealed, the seal's hash (hex), and
    /// the key whose signature of it verified (`None`: unsigned, as every log written
    /// before signatures).
    Intact {
        sealed_at: Time,
        sha256: String,
        signed_by: Option<PublicKey>,
    },
    /// Altered, cut short...: the reason, naming the row. Only what came before it is shown.
    NotIntact(String),
}

/// A log read for review or report: its events up to any fault, their fold, the
/// summary, and what its seal said.
pub struct ReviewedLog {
    /// The events of the rows that verified, in order.
    pub events: Vec<Event>,
    /// Their fold.
    pub state: SessionState,
    /// The built-in profile the session recorded, else the default: its thresholds and
    /// baseline window.
    pub profile: Profile,
    /// What a reviewer sees first: baseline, peaks, alarms, infusion, discharge.
    pub summary: SessionSummary,
    /// What the seal said.
    pub seal: SealLine,
}

/// Reads a log's bytes for review; refused only when nothing in it can be trusted.
pub fn review_log(bytes: &[u8]) -> Result<ReviewedLog, String> {
    let read = read_for_review(bytes);
    if read.events.is_empty() {
        return Err(read
            .seal
            .err()
            .map_or_else(|| "it holds no event".to_string(), |e| e.to_string()));
    }
    let state = SessionState::fold(&read.events).map_err(|e| e.to_string())?;
    let profile = state
        .info
        .as_ref()
        .and_then(|i| Profile::builtin_by_recorded_name(&i.profile_name))
        .unwrap_or_else(Profile::default_profile);
    let summary = SessionSummary::of(&profile, &read.events, &state);
    let seal = match (read.seal, check_content(&read.events, &profile.validation)) {
        // Sealed as written but holding what no chair or import writes (a forger's
        // recomputed chain): the review and the report say so in red, as for an edit.
        (Ok(_), Err(invalid)) => SealLine::NotIntact(format!(
            "invalid: {invalid} (sealed as written, but no chair or import writes this)"
        )),
        (Ok((sealed_at, sha256, signed_by)), Ok(())) => SealLine::Intact {
            sealed_at,
            sha256,
            signed_by,
        },
        (Err(e), _) => SealLine::NotIntact(e.to_string()),
    };
    Ok(ReviewedLog {
        events: read.events,
        state,
        profile,
        summary,
        seal,
    })
}
