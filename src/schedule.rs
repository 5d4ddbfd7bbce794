//! When the next reading is due, from the protocol's cadence (DOMAIN.md), and how late
//! it is.

use crate::alerts::Profile;
use crate::clock::{Time, minute_floor};
use crate::session::events::Priority;
use crate::session::state::{InfusionPhase, SessionState};
use chrono::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct Due {
    /// When the reading is due: always a whole minute (see [`next_due`]).
    pub at: Time,
    /// A full set (BP, HR, SpO2) is wanted, not just any reading.
    pub full_set: bool,
    /// Why it is due, in the nurse's words.
    pub reason: String,
}

fn minutes(m: u32) -> Duration {
    Duration::minutes(i64::from(m))
}

/// The next reading the protocol asks for. Before the infusion starts the baseline is
/// taken when the nurse is ready, so nothing is due; after the session closes, nothing.
///
/// The time is rounded down to its whole minute: the screen says "Next reading HH:MM" and
/// the reminders count from that minute ("overdue 2 min after it was due"), so what is
/// shown and what the rule does agree. Down, not up, so a reading is never asked for
/// later than the cadence says (every 10 min at most).
pub fn next_due(profile: &Profile, state: &SessionState) -> Option<Due> {
    by_cadence(profile, state).map(|due| Due {
        at: minute_floor(due.at),
        ..due
    })
}

fn by_cadence(profile: &Profile, state: &SessionState) -> Option<Due> {
    if !state.is_open() {
        return None;
    }
    let c = &profile.cadence;
    let inf = &state.infusion;
    let readings_since = |from: Time| state.measured_between(Some(from), None).map(|(_, v)| v);
    match inf.phase {
        InfusionPhase::NotStarted => None,
        InfusionPhase::Running | InfusionPhase::Paused => {
            let start = inf.started_at?;
            let last = state.last_reading_at().filter(|at| *at >= start);
            if let Some(change) = inf.last_rate_change_at
                && last.is_none_or(|l| l < change)
            {
                return Some(Due {
                    at: change,
                    full_set: false,
                    reason: format!("the rate changed at {}", change.format("%H:%M")),
                });
            }
            let from = last.unwrap_or(start);
            let every = interval_during(profile, planned_min(state), from - start);
            Some(Due {
                at: from + minutes(every),
                full_set: false,
                reason: format!("every {every} min during the infusion"),
            })
        }
        InfusionPhase::Stopped => {
            let stop = inf.stopped_at?;
            if !readings_since(stop).any(|v| v.values.has_all(&profile.session.full_set)) {
                return Some(Due {
                    at: stop,
                    full_set: true,
                    reason: "a full set at the end of the infusion".into(),
                });
            }
            let last = state
                .last_reading_at()
                .filter(|at| *at >= stop)
                .unwrap_or(stop);
            Some(Due {
                at: last + minutes(c.observation_every_min),
                full_set: false,
                reason: format!("every {} min after the infusion", c.observation_every_min),
            })
        }
    }
}

/// The infusion's planned length in minutes; 0 when the protocol does not say.
pub fn planned_min(state: &SessionState) -> u32 {
    state
        .info
        .as_ref()
        .and_then(|i| i.protocol.planned_min)
        .unwrap_or(0)
}

/// Minutes between readings during an infusion planned for `planned_min`, `elapsed` after
/// its start.
pub fn interval_during(profile: &Profile, planned_min: u32, elapsed: Duration) -> u32 {
    let c = &profile.cadence;
    if planned_min > c.long_infusion_over_min {
        if elapsed < minutes(60) {
            c.long_first_hour_every_min
        } else {
            c.long_then_every_min
        }
    } else {
        match (c.early_every_min, c.early_until_min) {
            (Some(every), Some(until)) if elapsed < minutes(until) => every,
            _ => c.short_every_min,
        }
    }
}

/// How urgent a due reading is at `now`: low 2 min after it was due, medium 10 min after.
pub fn overdue(profile: &Profile, due: &Due, now: Time) -> Option<Priority> {
    let late = now - due.at;
    let c = &profile.cadence;
    if late >= minutes(c.overdue_medium_after_min) {
        Some(Priority::Medium)
    } else if late >= minutes(c.overdue_low_after_min) {
        Some(Priority::Low)
    } else {
        None
    }
}
