//! What a sealed log's rows say, checked against what the program ever writes: the seal
//! proves the rows were not changed after sealing, not that they hold a session. A log
//! whose values no chair or import could have saved (systolic 999, NaN, a diastolic at or
//! above its systolic) or that lacks its opening is `invalid`, naming its row. Reading
//! stays tolerant: review opens such a log, marked with this finding.

use crate::alerts::profile::ValidationRules;
use crate::log::LogError;
use crate::session::{Event, EventKind, Vital, VitalSet};

/// The first row whose content the program could not have written, as
/// [`LogError::Invalid`] (rows counted as in a spreadsheet: the header is row 1).
///
/// # Errors
/// A first event that is not the session's opening; a reading's value that is not a
/// finite number or lies outside `rules`' accepted range for its vital (the log's
/// profile's, the ranges its entries were validated against); a diastolic not below its
/// systolic.
pub fn check_content(events: &[Event], rules: &ValidationRules) -> Result<(), LogError> {
    let invalid = |index: usize, reason: String| LogError::Invalid {
        row: index as u64 + 2,
        reason,
    };
    match events.first().map(|e| &e.kind) {
        Some(EventKind::SessionOpened(_)) => {}
        _ => {
            return Err(invalid(
                0,
                "the log lacks its opening event (session opened), which every session log begins with".into(),
            ));
        }
    }
    for (i, event) in events.iter().enumerate() {
        let values = match &event.kind {
            EventKind::ReadingRecorded { values, .. }
            | EventKind::ReadingAmended { values, .. } => values,
            _ => continue,
        };
        values_problem(values, rules).map_or(Ok(()), |why| Err(invalid(i, why)))?;
    }
    Ok(())
}

/// What is wrong with a reading's values, if anything.
fn values_problem(values: &VitalSet, rules: &ValidationRules) -> Option<String> {
    for vital in Vital::ALL {
        let Some(v) = values.get(vital) else {
            continue;
        };
        let (lo, hi) = rules.range(vital).accept;
        if !v.is_finite() {
            return Some(format!("{} is {v}, not a number", vital.name()));
        }
        if !(lo..=hi).contains(&v) {
            return Some(format!(
                "{} {v} {} lies outside the accepted {lo}-{hi}",
                vital.name(),
                vital.unit()
            ));
        }
    }
    match (values.get(Vital::Systolic), values.get(Vital::Diastolic)) {
        (Some(s), Some(d)) if d >= s => {
            Some(format!("diastolic {d} mmHg is not below systolic {s} mmHg"))
        }
        _ => None,
    }
}
