//! Baseline: the mean of the readings before the infusion started; with no start
//! recorded, of the readings in the first minutes of the session (DOMAIN.md).

use crate::alerts::Profile;
use crate::clock::Time;
use crate::session::events::Source;
use crate::session::reading::Vital;
use crate::session::state::SessionState;
use chrono::Duration;

/// Readings measured before this moment make the baseline: the infusion start. A
/// session entered at the chair has no baseline until the start is recorded (its
/// readings before then are the baseline being taken); a session read from a file,
/// where no start is ever recorded, takes its first minutes as DOMAIN.md says.
pub fn window_end(profile: &Profile, state: &SessionState) -> Option<Time> {
    if let Some(start) = state.infusion.started_at {
        return Some(start);
    }
    let from_file = matches!(state.opened_source, Source::Imported { .. });
    let opened = state.opened_at.filter(|_| from_file)?;
    Some(opened + Duration::minutes(i64::from(profile.baseline.window_min)))
}

/// The baseline of one vital, or `None` while no reading makes one.
pub fn baseline(profile: &Profile, state: &SessionState, vital: Vital) -> Option<f64> {
    let end = window_end(profile, state)?;
    mean(
        state
            .measured_between(None, Some(end))
            .filter_map(|(_, v)| v.values.get(vital)),
    )
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}
