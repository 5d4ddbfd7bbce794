//! Reading a file's times: each cell as written (a date in some order, a time of day, a
//! number), then placed on the timeline with its own offset or in a zone the user names.
//! An ambiguous date or local time is never guessed.

use crate::clock::{Time, parse_time_with_offset};
use crate::import::plan::{Flag, Wording};
use crate::import::stamp::{Stamp, read_stamp};
use chrono::{FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone};
use std::fmt;
use std::str::FromStr;

/// The zone given with `--tz`, or in a zone column: an IANA name or a fixed offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zone {
    Iana(chrono_tz::Tz),
    Fixed(FixedOffset),
}

impl FromStr for Zone {
    type Err = String;

    fn from_str(s: &str) -> Result<Zone, String> {
        let s = s.trim();
        if let Ok(tz) = s.parse::<chrono_tz::Tz>() {
            return Ok(Zone::Iana(tz));
        }
        if let Ok(offset) = s.parse::<FixedOffset>() {
            return Ok(Zone::Fixed(offset));
        }
        Err(format!(
            "'{s}' is neither an IANA zone (such as Europe/Berlin) nor an offset (such as +01:00)"
        ))
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Iana(tz) => write!(f, "{tz}"),
            Zone::Fixed(o) => write!(f, "{o}"),
        }
    }
}

/// Which of a date's first two fields is the day, when the year comes last.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum DateOrder {
    Dmy,
    Mdy,
    Ymd,
}

impl DateOrder {
    pub const ALL: [DateOrder; 3] = [DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd];

    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
            DateOrder::Ymd => "ymd",
        }
    }

    /// How the order reads to a person, e.g. `dd/MM/yyyy`.
    pub fn pattern(self) -> &'static str {
        match self {
            DateOrder::Dmy => "day first (dd/MM/yyyy)",
            DateOrder::Mdy => "month first (MM/dd/yyyy)",
            DateOrder::Ymd => "year first (yyyy/MM/dd)",
        }
    }
}

impl FromStr for DateOrder {
    type Err = String;

    fn from_str(s: &str) -> Result<DateOrder, String> {
        DateOrder::ALL
            .into_iter()
            .find(|o| o.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("'{s}' is not one of dmy, mdy, ymd"))
    }
}

impl fmt::Display for DateOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Places a local time in a zone. Errors say why, for the row's message.
pub fn place(local: NaiveDateTime, zone: Zone) -> Result<Time, String> {
    match zone {
        Zone::Fixed(offset) => match offset.from_local_datetime(&local) {
            LocalResult::Single(t) => Ok(t),
            _ => Err(format!("cannot be placed at offset {offset}")),
        },
        Zone::Iana(tz) => match tz.from_local_datetime(&local) {
            // Before standard time a zone's offset was local mean time, in odd seconds
            // (Berlin +00:53:28): no monitor recorded then, so the date is wrong.
            LocalResult::Single(t) if t.offset().fix().local_minus_utc() % 60 != 0 => Err(format!(
                "is before standard time in {tz} (offset {}); check the date",
                t.offset().fix()
            )),
            LocalResult::Single(t) => Ok(t.fixed_offset()),
            LocalResult::Ambiguous(a, b) => Err(format!(
                "happened twice in {tz} (clocks went back: {} or {}); write the offset in the file",
                a.fixed_offset().offset(),
                b.fixed_offset().offset()
            )),
            LocalResult::None => Err(format!(
                "does not exist in {tz} (clocks went forward); check the time"
            )),
        },
    }
}

/// When a recording that counts seconds since its start began, as the person typed it:
/// ISO 8601 with an offset (`2026-03-14T09:30:00+01:00`), or a local date and time
/// placed in `zone`.
///
/// # Errors
/// A message naming the answer as `wording` says it (`--start '...'` on the command line,
/// `Recording started at '...'` in the window) with the text typed: not a time, a local
/// time with no zone to place it in (it asks for the zone the same way), or one the zone
/// skips or repeats.
pub fn start_time(text: &str, zone: Option<Zone>, wording: Wording) -> Result<Time, String> {
    let start = Flag::Start.said(wording);
    if let Some(t) = parse_time_with_offset(text.trim()) {
        return Ok(t);
    }
    let local = match read_stamp(text) {
        Some(Stamp::Date {
            date,
            time: Some(time),
            offset: None,
        }) if date.needs_no_order() => date.date(None).map(|d| d.and_time(time)),
        _ => None,
    };
    let Some(local) = local else {
        return Err(format!(
            "{start} '{text}' is not an ISO 8601 time such as 2026-03-14T09:30:00+01:00"
        ));
    };
    let give_zone = match wording {
        Wording::Flags => format!("give {}", Flag::Tz.name()),
        Wording::Fields => format!("fill in {}", Flag::Tz.field()),
    };
    match zone {
        Some(zone) => place(local, zone).map_err(|e| format!("{start} '{text}' {e}")),
        None => Err(format!(
            "{start} '{text}' has no UTC offset; add one (2026-03-14T09:30:00+01:00) or {give_zone}"
        )),
    }
}

/// Nanoseconds in one unit a count of time is written in.
pub const NANOS_PER_SECOND: i128 = 1_000_000_000;
pub const NANOS_PER_MILLISECOND: i128 = 1_000_000;

/// A count of time as written (`1795183200001`, `1795183200.25`, `12,5`), in units of
/// `unit_nanos` nanoseconds, read digit by digit to whole nanoseconds: never through a
/// floating-point number, which turned `1795183200001` ms into `...00.000999928`. A
/// fraction finer than a nanosecond is cut. None for anything but digits with at most
/// one decimal point or comma, or a count beyond ±10^12 seconds.
pub fn exact_nanos(text: &str, unit_nanos: i128) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match digits.split_once(['.', ',']) {
        Some((w, f)) => (w, f),
        None => (digits, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    // 19 digits hold any count this program takes (10^12 s is 10^21 ns: checked below).
    if whole.len() > 19 {
        return None;
    }
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut nanos = whole.checked_mul(unit_nanos)?;
    // Each fractional digit is worth a tenth of the one before, down to a nanosecond.
    let mut place = unit_nanos;
    for digit in fraction.bytes() {
        place /= 10;
        if place == 0 {
            break;
        }
        nanos += i128::from(digit - b'0') * place;
    }
    if nanos > 1_000_000_000_000 * NANOS_PER_SECOND {
        return None;
    }
    Some(if negative { -nanos } else { nanos })
}

/// The unit a count of time since the recording's start is written in. Never assumed
/// (issue 14): eICU's `observationoffset` counts minutes, and read as seconds it would put
/// 1179 minutes at 19 min 39 s. The header settles it where it says so (`Time [s]`,
/// `RelativeTime`, `offset_min`); otherwise it is asked (`--offset-unit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetUnit {
    Milliseconds,
    Seconds,
    Minutes,
}

impl OffsetUnit {
    pub const ALL: [OffsetUnit; 3] = [
        OffsetUnit::Seconds,
        OffsetUnit::Minutes,
        OffsetUnit::Milliseconds,
    ];

    /// Nanoseconds in one unit.
    pub fn nanos(self) -> i128 {
        match self {
            OffsetUnit::Milliseconds => NANOS_PER_MILLISECOND,
            OffsetUnit::Seconds => NANOS_PER_SECOND,
            OffsetUnit::Minutes => 60 * NANOS_PER_SECOND,
        }
    }

    /// The unit in words: "seconds".
    pub fn word(self) -> &'static str {
        match self {
            OffsetUnit::Milliseconds => "milliseconds",
            OffsetUnit::Seconds => "seconds",
            OffsetUnit::Minutes => "minutes",
        }
    }

    /// The unit a column's header states, if it states one: a unit in brackets or after
    /// an underscore (`Time [s]`, `offset (min)`, `elapsed_ms`), or a word (`seconds`,
    /// `minutes`, `milliseconds`; VSCapture's `RelativeTime` counts seconds).
    pub fn from_header(name: &str) -> Option<OffsetUnit> {
        let name = name.trim().to_ascii_lowercase();
        let tagged = |unit: &str| {
            name.contains(&format!("[{unit}]"))
                || name.contains(&format!("({unit})"))
                || name.ends_with(&format!("_{unit}"))
                || name.ends_with(&format!(" {unit}"))
        };
        if tagged("ms") || name.contains("millisec") {
            Some(OffsetUnit::Milliseconds)
        } else if tagged("min") || name.contains("minute") {
            Some(OffsetUnit::Minutes)
        } else if tagged("s") || name.contains("sec") || name.contains("relativetime") {
            Some(OffsetUnit::Seconds)
        } else {
            None
        }
    }
}

impl std::str::FromStr for OffsetUnit {
    type Err = String;

    /// `s`, `min` or `ms` (or the unit's word).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ms" | "milliseconds" => Ok(OffsetUnit::Milliseconds),
            "s" | "seconds" => Ok(OffsetUnit::Seconds),
            "min" | "minutes" => Ok(OffsetUnit::Minutes),
            other => Err(format!("'{other}' is not a unit of time: use s, min or ms")),
        }
    }
}

/// A Unix time as written, counted in units of `unit_nanos` (seconds or milliseconds),
/// as an instant at `offset`, exact to the nanosecond (see [`exact_nanos`]). None when
/// the text is not such a count or lies before 1970.
pub fn from_epoch(text: &str, unit_nanos: i128, offset: FixedOffset) -> Option<Time> {
    let nanos = exact_nanos(text, unit_nanos)?;
    if nanos < 0 {
        return None;
    }
    let seconds = i64::try_from(nanos / NANOS_PER_SECOND).ok()?;
    let rest = u32::try_from(nanos % NANOS_PER_SECOND).ok()?;
    chrono::DateTime::from_timestamp(seconds, rest).map(|t| t.with_timezone(&offset))
}
