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

/// Parses an ISO 8601 time that carries its offset (`T` or a space before the time).
pub fn parse_time_with_offset(s: &str) -> Option<Time> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z").ok())
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M%:z").ok())
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M%:z").ok())
}
