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
    state.means_before(end)[vital]
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

/// What the pre-infusion blood pressure rule says about the baseline (DOMAIN.md, from the
/// esketamine label).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreInfusionBp {
    Acceptable,
    /// At or above the review level: a clinician reviews before the start.
    ClinicianReview,
    /// At or above the hold level: hold until a clinician decides.
    Hold,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BaselineStatus {
    pub full_sets: usize,
    /// Two blood pressures at least 5 minutes apart: DOMAIN.md's good practice.
    pub two_bp_five_min_apart: bool,
    /// At least one full set: enough to start.
    pub complete: bool,
    pub systolic_mmhg: Option<f64>,
    pub diastolic_mmhg: Option<f64>,
    pub pre_infusion_bp: Option<PreInfusionBp>,
}

/// The baseline as the nurse builds it: the readings before the infusion started (all of
/// them while it has not).
pub fn status(profile: &Profile, state: &SessionState) -> BaselineStatus {
    let before: Vec<_> = state
        .measured_between(None, state.infusion.started_at)
        .map(|(_, v)| v)
        .collect();
    let full_set = &profile.session.full_set;
    let full_sets = before.iter().filter(|v| v.values.has_all(full_set)).count();
    let bp_times: Vec<Time> = before
        .iter()
        .filter(|v| v.values.has_all(&[Vital::Systolic, Vital::Diastolic]))
        .map(|v| v.at)
        .collect();
    let two_bp_five_min_apart = match (bp_times.first(), bp_times.last()) {
        (Some(first), Some(last)) => *last - *first >= Duration::minutes(5),
        _ => false,
    };
    let mean_of = |vital: Vital| mean(before.iter().filter_map(|v| v.values.get(vital)));
    let systolic = mean_of(Vital::Systolic);
    let diastolic = mean_of(Vital::Diastolic);
    let b = &profile.baseline;
    let pre_infusion_bp = match (systolic, diastolic) {
        (Some(s), Some(d)) if s >= b.hold_at.systolic || d >= b.hold_at.diastolic => {
            Some(PreInfusionBp::Hold)
        }
        (Some(s), Some(d)) if s >= b.review_at.systolic || d >= b.review_at.diastolic => {
            Some(PreInfusionBp::ClinicianReview)
        }
        (Some(_), Some(_)) => Some(PreInfusionBp::Acceptable),
        _ => None,
    };
    BaselineStatus {
        full_sets,
        two_bp_five_min_apart,
        complete: full_sets >= 1,
        systolic_mmhg: systolic,
        diastolic_mmhg: diastolic,
        pre_infusion_bp,
    }
}
