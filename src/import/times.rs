//! Reading a file's times: each cell as written (a date in some order, a time of day, a
//! number), then placed on the timeline with its own offset or in a zone the user names.
//! An ambiguous date or local time is never guessed.

use crate::clock::{Time, parse_time_with_offset};
use crate::import::plan::{Flag, Wording};
use chrono::{FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone};
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

/// A date as written: three numbers, the year first or last.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WrittenDate {
    fields: [u32; 3],
    /// The first field has four digits: year, month, day (never year, day, month).
    year_first: bool,
    /// The year has two digits (`dd.MM.yy`): 20yy.
    short_year: bool,
}

impl WrittenDate {
    /// The order this date proves on its own, if any: a first field over 12 is a day.
    pub fn proves(&self) -> Option<DateOrder> {
        let [a, b, _] = self.fields;
        if self.year_first {
            return Some(DateOrder::Ymd);
        }
        match (a > 12, b > 12) {
            (true, false) => Some(DateOrder::Dmy),
            (false, true) => Some(DateOrder::Mdy),
            _ => None,
        }
    }

    /// Whether the date reads the same in either order (`05/05/2018`).
    pub fn needs_no_order(&self) -> bool {
        self.year_first || self.fields[0] == self.fields[1]
    }

    pub fn date(&self, order: Option<DateOrder>) -> Option<NaiveDate> {
        let [a, b, c] = self.fields;
        let (y, m, d) = if self.year_first {
            (a, b, c)
        } else {
            let year = if self.short_year { 2000 + c } else { c };
            match order {
                _ if a == b => (year, a, b),
                Some(DateOrder::Dmy) => (year, b, a),
                Some(DateOrder::Mdy) => (year, a, b),
                Some(DateOrder::Ymd) | None => return None,
            }
        };
        NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
    }
}

/// A time cell as written, before the file's date order and zone are known.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Stamp {
    Date {
        date: WrittenDate,
        time: Option<NaiveTime>,
        offset: Option<FixedOffset>,
    },
    TimeOfDay(NaiveTime),
    Number(f64),
}

/// Reads one time cell; `None` when it is not a time at all.
pub fn read_stamp(text: &str) -> Option<Stamp> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && let Ok(n) = text.parse::<f64>()
    {
        return Some(Stamp::Number(n));
    }
    let mut s = Scanner::new(text);
    if let Some(date) = s.date() {
        let time = if s.at_end() {
            None
        } else {
            if !(s.eat(b'T') || s.eat(b',') | s.spaces()) {
                return None;
            }
            s.spaces();
            Some(s.time_of_day()?)
        };
        let offset = if time.is_some() { s.offset()? } else { None };
        return s.at_end().then_some(Stamp::Date { date, time, offset });
    }
    let mut s = Scanner::new(text);
    let time = s.time_of_day()?;
    s.at_end().then_some(Stamp::TimeOfDay(time))
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn at_end(&self) -> bool {
        self.at == self.bytes.len()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.at += usize::from(hit);
        hit
    }

    fn spaces(&mut self) -> bool {
        let start = self.at;
        while self.peek() == Some(b' ') {
            self.at += 1;
        }
        self.at > start
    }

    /// Up to `max` digits: the number and how many there were.
    fn digits(&mut self, max: usize) -> Option<(u32, usize)> {
        let start = self.at;
        let mut n = 0u32;
        while self.at - start < max
            && let Some(b @ b'0'..=b'9') = self.peek()
        {
            n = n * 10 + u32::from(b - b'0');
            self.at += 1;
        }
        let count = self.at - start;
        (count > 0).then_some((n, count))
    }

    fn date(&mut self) -> Option<WrittenDate> {
        let start = self.at;
        let found = (|| {
            let (a, a_len) = self.digits(4)?;
            let sep = self.peek().filter(|b| matches!(b, b'/' | b'-' | b'.'))?;
            self.at += 1;
            let (b, b_len) = self.digits(2)?;
            if !self.eat(sep) {
                return None;
            }
            let (c, c_len) = self.digits(4)?;
            let year_first = a_len == 4 && c_len <= 2;
            let year_last = a_len <= 2 && b_len <= 2 && (c_len == 4 || c_len == 2);
            (year_first || year_last).then_some(WrittenDate {
                fields: [a, b, c],
                year_first,
                short_year: year_last && c_len == 2,
            })
        })();
        if found.is_none() {
            self.at = start;
        }
        found
    }

    /// `H:mm[:ss[.fff]]`, 24-hour or with AM/PM.
    fn time_of_day(&mut self) -> Option<NaiveTime> {
        let (hour, _) = self.digits(2)?;
        if !self.eat(b':') {
            return None;
        }
        let (minute, m_len) = self.digits(2)?;
        let mut second = 0;
        let mut nanos = 0;
        if m_len != 2 {
            return None;
        }
        if self.eat(b':') {
            let (s, s_len) = self.digits(2)?;
            if s_len != 2 {
                return None;
            }
            second = s;
            if self.eat(b'.') || self.eat(b',') {
                let (fraction, f_len) = self.digits(9)?;
                nanos = fraction * 10u32.pow(9 - f_len as u32);
            }
        }
        let hour = match self.meridiem() {
            None => hour,
            Some(_) if !(1..=12).contains(&hour) => return None,
            Some(pm) => hour % 12 + if pm { 12 } else { 0 },
        };
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
    }

    /// ` AM` / ` PM` (also `a.m.`, any case): whether it is PM.
    fn meridiem(&mut self) -> Option<bool> {
        let start = self.at;
        self.spaces();
        let rest = &self.bytes[self.at..];
        let lower: Vec<u8> = rest.iter().take(4).map(u8::to_ascii_lowercase).collect();
        for (word, pm) in [
            (&b"a.m."[..], false),
            (b"p.m.", true),
            (b"am", false),
            (b"pm", true),
        ] {
            if lower.starts_with(word) {
                self.at += word.len();
                return Some(pm);
            }
        }
        self.at = start;
        None
    }

    /// `Z`, `+hh:mm`, `+hhmm` or `+hh` after a time. `Some(None)` when there is none;
    /// `None` when something is there that is not an offset.
    fn offset(&mut self) -> Option<Option<FixedOffset>> {
        self.spaces();
        if self.eat(b'Z') {
            return Some(FixedOffset::east_opt(0));
        }
        let sign = match self.peek() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ => return Some(None),
        };
        self.at += 1;
        let (hours, h_len) = self.digits(2)?;
        let minutes = if self.eat(b':') || self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.digits(2)?.0
        } else {
            0
        };
        if h_len != 2 || hours > 23 || minutes > 59 {
            return None;
        }
        FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60) as i32).map(Some)
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
