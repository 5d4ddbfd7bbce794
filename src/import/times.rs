//! Placing a file's times on the timeline: with their own offset, or in a zone the user
//! names. An ambiguous local time is never guessed.

use crate::clock::{Time, parse_time_with_offset};
use chrono::{FixedOffset, LocalResult, NaiveDateTime, TimeZone};
use std::fmt;
use std::str::FromStr;

/// The zone given with `--tz`: an IANA name or a fixed offset.
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

/// A time as the file wrote it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FileTime {
    WithOffset(Time),
    Local(NaiveDateTime),
}

const LOCAL_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
];

/// Reads an ISO 8601 time, with or without its offset (`Z` counts as one).
pub fn parse_iso(text: &str) -> Option<FileTime> {
    let text = text.trim();
    if let Some(t) = parse_time_with_offset(text) {
        return Some(FileTime::WithOffset(t));
    }
    LOCAL_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .map(FileTime::Local)
}

/// Places a local time in a zone. Errors say why, for the row's message.
pub fn place(local: NaiveDateTime, zone: Zone) -> Result<Time, String> {
    match zone {
        Zone::Fixed(offset) => match offset.from_local_datetime(&local) {
            LocalResult::Single(t) => Ok(t),
            _ => Err(format!("cannot be placed at offset {offset}")),
        },
        Zone::Iana(tz) => match tz.from_local_datetime(&local) {
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
