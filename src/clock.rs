//! Time is injected: the core never reads the wall clock, so every rule is testable
//! with a fixed time and the demo can run faster than life.

use chrono::{DateTime, FixedOffset, Timelike};

/// A moment with its UTC offset: every time in this program carries one.
pub type Time = DateTime<FixedOffset>;

pub trait Clock {
    fn now(&self) -> Time;

    /// How long the computer waits until this clock shows `at` (zero if it already has):
    /// what a timer is set to. The demo's clock runs faster than the computer's.
    fn real_time_until(&self, at: Time) -> std::time::Duration {
        (at - self.now()).to_std().unwrap_or_default()
    }
}

/// A clock that always says the same time: tests, and replaying a batch import.
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub Time);

impl Clock for FixedClock {
    fn now(&self) -> Time {
        self.0
    }
}

/// The computer's clock, in the computer's local offset. Lives here so the binary and
/// the GUI share it; nothing in the core calls it.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Time {
        // Milliseconds are plenty for a record; nanoseconds would only clutter the log.
        let now = chrono::Local::now().fixed_offset();
        now.with_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000)
            .unwrap_or(now)
    }
}

/// Formats a time as the session log writes it: ISO 8601 with offset, fractions of a
/// second only when the time has them.
pub fn format_time(t: &Time) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

/// The start of the minute `t` falls in, on the clock of its own offset: 17:04:13.5 gives
/// 17:04:00. A deadline shown as HH:MM (a recheck, the next reading due) is held to this,
/// so the minute shown is the first moment that counts.
pub fn minute_floor(t: Time) -> Time {
    // A fixed offset maps every local time to exactly one instant, so these never fail.
    t.with_nanosecond(0)
        .and_then(|t| t.with_second(0))
        .unwrap_or(t)
}

/// The first of the moments `from + step`, `from + 2 step`, ... up to `to` at which
/// `due` holds; None when it does not hold at the last of them. `due` must stay true once
/// true, as a deadline passed stays passed until an event answers it: then bisection
/// asks it about log2((to - from) / step) moments rather than every one. Finds when the
/// chair must wake next (a step of a second) and when time alone asks the alert engine
/// for something between two readings of an imported file (a step of a nanosecond:
/// the exact moment).
pub fn first_due(
    from: Time,
    to: Time,
    step: chrono::Duration,
    due: impl Fn(Time) -> bool,
) -> Option<Time> {
    let step_ns = step.num_nanoseconds().filter(|ns| *ns > 0)?;
    let steps = (to - from).num_nanoseconds()? / step_ns;
    let at = |k: i64| from + chrono::Duration::nanoseconds(k * step_ns);
    if steps < 1 || !due(at(steps)) {
        return None;
    }
    let (mut not_due, mut is_due) = (0, steps);
    while is_due - not_due > 1 {
        let mid = not_due + (is_due - not_due) / 2;
        if due(at(mid)) {
            is_due = mid;
        } else {
            not_due = mid;
        }
    }
    Some(at(is_due))
}

/// Parses an ISO 8601 time that carries its offset (`T` or a space before the time).
pub fn parse_time_with_offset(s: &str) -> Option<Time> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z").ok())
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z").ok())
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M%:z").ok())
}
