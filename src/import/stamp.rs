//! One time cell as written, before the file's date order and zone are known: the forms
//! monitors, oximeter and blood-pressure apps and spreadsheets write (see
//! `docs/importing.md`, "Times").
//!
//! Read by hand rather than by a general date parser (`dtparse`, `qsv-dateparser`): those
//! settle `03/04/2026` by a default order, where this program asks unless the file
//! settles it, and they parse each cell from scratch, where a file here is read at
//! 250,000 rows a second. What a cell cannot settle (the order of a numeric date) is kept
//! as written, for the file's survey to settle once.

use crate::import::times::DateOrder;
use chrono::{FixedOffset, NaiveDate, NaiveTime};

/// A date as written: three numbers (year first or last), or a month written as a word.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WrittenDate {
    fields: [u32; 3],
    form: DateForm,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum DateForm {
    /// `yyyy-MM-dd`: year, month, day (never year, day, month).
    YearFirst,
    /// `dd.MM.yyyy` or `MM/dd/yyyy`: which comes first is the file's date order. A year
    /// of two digits (`dd.MM.yy`) is 20yy, and may also stand first (`yy/MM/dd`).
    YearLast { short_year: bool },
    /// The month as a word (`Jun 19, 2026`, `19. Juni 2026`): year, month, day, with
    /// nothing left to settle.
    MonthNamed,
}

impl WrittenDate {
    /// The order this date proves on its own, if any: a first field over 12 is a day.
    pub fn proves(&self) -> Option<DateOrder> {
        let [a, b, _] = self.fields;
        match self.form {
            DateForm::YearFirst => Some(DateOrder::Ymd),
            DateForm::MonthNamed => None,
            // `26/03/05` may be 2026-03-05 as well: a two-digit year can stand first
            // unless the last field cannot be a day.
            DateForm::YearLast { short_year: true } if self.fields[2] <= 31 => None,
            DateForm::YearLast { .. } => match (a > 12, b > 12) {
                (true, false) => Some(DateOrder::Dmy),
                (false, true) => Some(DateOrder::Mdy),
                _ => None,
            },
        }
    }

    /// Whether the date reads the same in any order (`05/05/2018`, `2018-05-03`,
    /// `3 May 2018`).
    pub fn needs_no_order(&self) -> bool {
        match self.form {
            DateForm::YearFirst | DateForm::MonthNamed => true,
            DateForm::YearLast { short_year: true } => {
                self.fields[0] == self.fields[1] && self.fields[1] == self.fields[2]
            }
            DateForm::YearLast { .. } => self.fields[0] == self.fields[1],
        }
    }

    /// The calendar date, read in `order` where the date needs one. None for a date that
    /// does not exist (`31.02.2026`) or an order the date cannot be read in.
    pub fn date(&self, order: Option<DateOrder>) -> Option<NaiveDate> {
        let [a, b, c] = self.fields;
        let (y, m, d) = match self.form {
            DateForm::YearFirst | DateForm::MonthNamed => (a, b, c),
            DateForm::YearLast { short_year } => {
                let year = if short_year { 2000 + c } else { c };
                match order {
                    _ if self.needs_no_order() => (year, a, b),
                    Some(DateOrder::Dmy) => (year, b, a),
                    Some(DateOrder::Mdy) => (year, a, b),
                    // `yy/MM/dd`: only a two-digit year can stand first unmarked.
                    Some(DateOrder::Ymd) if short_year => (2000 + a, b, c),
                    Some(DateOrder::Ymd) | None => return None,
                }
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
///
/// Read: a date (`yyyy-MM-dd`, `dd.MM.yyyy`, `MM/dd/yy`, or with the month as a word in
/// English, German, French or Spanish: `Jan 12 2025`, `12 Jan 2025`, `19-Jun-2026`,
/// `Jun 19, 2026`, `19. Juni 2026`, `19 juin 2026`, `19 de junio de 2026`), a weekday
/// before it (`Fri Jun 19 23:59:44 2026`, C's `ctime`; `date`'s own output adds a zone
/// abbreviation such as `CET`, which is not read: `CST` is Chicago's or China's), a time of day before or after it, with `T`,
/// spaces, `,`, `-` or `@` between; clocks `23:59:44`, `23.59.44`, `14h33`, with a
/// fraction of a second, and 12-hour clocks with or without a space before AM/PM
/// (12:00:00AM is midnight); an offset after the time (`Z`, `+01:00`, `+0100`,
/// `UTC+1`, `GMT`); and the compact forms `yyyyMMdd`, `yyyyMMddHHmm[ss]` and ISO 8601's
/// basic `yyyyMMddTHHmmss[Z]`, with a year from 1900 to 2199 (a number that is no such
/// date stays a number). A number alone (an epoch or an offset) is a `Number`.
pub fn read_stamp(text: &str) -> Option<Stamp> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut s = Scanner::new(text);
    if let Some(stamp) = s.attempt(Scanner::compact).filter(|_| s.at_end()) {
        return Some(stamp);
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && let Ok(n) = text.parse::<f64>()
    {
        return Some(Stamp::Number(n));
    }
    let mut s = Scanner::new(text);
    if let Some(stamp) = s.stamp() {
        return Some(stamp);
    }
    // A weekday before the rest (`Fri Jun 19 23:59:44 2026`, `Mo, 16.12.2022`): tried
    // only when the whole cell does not read, as `Mar` is also March.
    let mut s = Scanner::new(text);
    let word = s.word()?;
    if !is_weekday(word) {
        return None;
    }
    s.eat(b'.');
    s.spaces();
    if s.eat(b',') {
        s.spaces();
    }
    s.stamp()
}

/// A number that reads as a dotted clock, `H.mm` (`07.08`, `19.45`): a time of day where
/// the file has it beside a date column (a cell alone reads as the number 7.08).
pub fn dotted_clock(text: &str) -> Option<NaiveTime> {
    let (hour, minute) = text.trim().split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(hour) && hour.len() <= 2 && digits(minute) && minute.len() == 2) {
        return None;
    }
    NaiveTime::from_hms_opt(hour.parse().ok()?, minute.parse().ok()?, 0)
}

/// Month names in the languages whose headers the importer reads, lower case, with and
/// without their accents, full and abbreviated (a dot after an abbreviation is allowed).
const MONTHS: [&[&str]; 12] = [
    &[
        "january", "jan", "januar", "jänner", "janner", "jän", "janvier", "janv", "enero", "ene",
    ],
    &[
        "february", "feb", "februar", "feber", "février", "fevrier", "févr", "fevr", "febrero",
    ],
    &[
        "march", "mar", "märz", "maerz", "marz", "mrz", "mär", "mars", "marzo",
    ],
    &["april", "apr", "avril", "avr", "abril", "abr"],
    &["may", "mai", "mayo"],
    &["june", "jun", "juni", "juin", "junio"],
    &["july", "jul", "juli", "juillet", "juil", "julio"],
    &["august", "aug", "août", "aout", "agosto", "ago"],
    &[
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setiembre",
        "set",
    ],
    &["october", "oct", "oktober", "okt", "octobre", "octubre"],
    &["november", "nov", "novembre", "noviembre"],
    &[
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "decembre",
        "déc",
        "diciembre",
        "dic",
    ],
];

const WEEKDAYS: &[&str] = &[
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thur",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
    "montag",
    "mo",
    "dienstag",
    "di",
    "mittwoch",
    "mi",
    "donnerstag",
    "do",
    "freitag",
    "fr",
    "samstag",
    "sonnabend",
    "sa",
    "sonntag",
    "so",
    "lundi",
    "lun",
    "mardi",
    "mar",
    "mercredi",
    "mer",
    "jeudi",
    "jeu",
    "vendredi",
    "ven",
    "samedi",
    "sam",
    "dimanche",
    "dim",
    "lunes",
    "martes",
    "miércoles",
    "miercoles",
    "mié",
    "mie",
    "jueves",
    "jue",
    "viernes",
    "vie",
    "sábado",
    "sabado",
    "sáb",
    "sab",
    "domingo",
    "dom",
];

/// The month (1-12) a word names, in any case.
fn month_number(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&word.as_str()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn is_weekday(word: &str) -> bool {
    WEEKDAYS.contains(&word.to_lowercase().as_str())
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Scanner<'a> {
        Scanner {
            text,
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

    /// Runs `read`, putting the scanner back where it was when it finds nothing.
    fn attempt<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<T> {
        let start = self.at;
        let found = read(self);
        if found.is_none() {
            self.at = start;
        }
        found
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

    /// A run of letters (ASCII or not): a month, a weekday, `de`, `PM`.
    fn word(&mut self) -> Option<&'a str> {
        let start = self.at;
        while let Some(b) = self.peek()
            && (b.is_ascii_alphabetic() || b >= 0x80)
        {
            self.at += 1;
        }
        // The run stops at an ASCII byte or the end: a character boundary.
        (self.at > start).then(|| &self.text[start..self.at])
    }

    /// The word `expected` (any case), whole.
    fn eat_word(&mut self, expected: &str) -> bool {
        self.attempt(|s| s.word().filter(|w| w.eq_ignore_ascii_case(expected)))
            .is_some()
    }

    /// A whole cell: a date with a time after it, a time with a date after it, a date,
    /// or a time of day.
    fn stamp(&mut self) -> Option<Stamp> {
        if let Some(stamp) = self.attempt(Scanner::date_first) {
            return Some(stamp);
        }
        if let Some(stamp) = self.attempt(Scanner::time_first) {
            return Some(stamp);
        }
        let time = self.time_of_day()?;
        self.at_end().then_some(Stamp::TimeOfDay(time))
    }

    /// `20260305`, `202603050708`, `20260305070809`, `20260305T070809Z`: a year from 1900
    /// to 2199 and a real date and time, or none (`10000001` is an identifier).
    fn compact(&mut self) -> Option<Stamp> {
        let (ymd, 8) = self.digits(8)? else {
            return None;
        };
        let (year, month, day) = (ymd / 10_000, ymd / 100 % 100, ymd % 100);
        if !(1900..=2199).contains(&year) {
            return None;
        }
        NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
        let date = WrittenDate {
            fields: [year, month, day],
            form: DateForm::YearFirst,
        };
        let basic = self.eat(b'T');
        if self.at_end() {
            return (!basic).then_some(Stamp::Date {
                date,
                time: None,
                offset: None,
            });
        }
        let (hm_s, len) = self.digits(6)?;
        let (h, m, sec) = match len {
            4 => (hm_s / 100, hm_s % 100, 0),
            6 => (hm_s / 10_000, hm_s / 100 % 100, hm_s % 100),
            _ => return None,
        };
        let time = NaiveTime::from_hms_opt(h, m, sec)?;
        let offset = if basic { self.offset()? } else { None };
        Some(Stamp::Date {
            date,
            time: Some(time),
            offset,
        })
    }

    /// `2026-06-19T23:59:44+02:00`, `16.12.2022 - 14:33`, `Jun 19, 2026 11:59 PM`,
    /// `Jun 19 23:59:44 2026` (the year after the time).
    fn date_first(&mut self) -> Option<Stamp> {
        let (date, has_year) = self.date()?;
        if self.at_end() {
            return has_year.then_some(Stamp::Date {
                date,
                time: None,
                offset: None,
            });
        }
        if !self.gap() {
            return None;
        }
        let time = self.time_of_day()?;
        let date = if has_year {
            date
        } else {
            self.spaces().then_some(())?;
            let (year, _) = self.digits(4).filter(|(_, len)| *len == 4)?;
            WrittenDate {
                fields: [year, date.fields[1], date.fields[2]],
                ..date
            }
        };
        let offset = self.offset()?;
        self.at_end().then_some(Stamp::Date {
            date,
            time: Some(time),
            offset,
        })
    }

    /// `23:59:54 03/04/2026`, `11:59:44PM Jun 19, 2026`.
    fn time_first(&mut self) -> Option<Stamp> {
        let time = self.time_of_day()?;
        if !self.gap() {
            return None;
        }
        let (date, true) = self.date()? else {
            return None;
        };
        self.spaces();
        let offset = self.offset()?;
        self.at_end().then_some(Stamp::Date {
            date,
            time: Some(time),
            offset,
        })
    }

    /// What stands between a date and a time: `T`, spaces, or `,`, `-`, `@` with or
    /// without spaces around it, or a spaced `at` (`um`, `à`).
    fn gap(&mut self) -> bool {
        if self.eat(b'T') {
            return true;
        }
        let spaced = self.spaces();
        if self.eat(b',') || self.eat(b'-') || self.eat(b'@') {
            self.spaces();
            return true;
        }
        if spaced
            && self
                .attempt(|s| {
                    ["at", "um", "à"]
                        .into_iter()
                        .any(|w| s.eat_word(w))
                        .then_some(())
                        .filter(|()| s.spaces())
                })
                .is_some()
        {
            return true;
        }
        spaced
    }

    /// A date, and whether it has its year (`Jun 19` before a time does not).
    fn date(&mut self) -> Option<(WrittenDate, bool)> {
        if let Some(date) = self.attempt(Scanner::numeric_date) {
            return Some((date, true));
        }
        if let Some(date) = self.attempt(Scanner::day_then_month_name) {
            return Some((date, true));
        }
        if let Some(date) = self.attempt(Scanner::year_then_month_name) {
            return Some((date, true));
        }
        self.attempt(Scanner::month_name_then_day)
    }

    /// `2026-06-19`, `19.06.2026`, `06/19/26`.
    fn numeric_date(&mut self) -> Option<WrittenDate> {
        let (a, a_len) = self.digits(4)?;
        let sep = self.peek().filter(|b| matches!(b, b'/' | b'-' | b'.'))?;
        self.at += 1;
        let (b, b_len) = self.digits(2)?;
        if !self.eat(sep) {
            return None;
        }
        let (c, c_len) = self.digits(4)?;
        if a_len == 4 && c_len <= 2 {
            return Some(WrittenDate {
                fields: [a, b, c],
                form: DateForm::YearFirst,
            });
        }
        // Neither of the first two fields can be the month (`23.59.44`): a dotted
        // clock, not a date.
        let year_last = a_len <= 2 && b_len <= 2 && (c_len == 4 || c_len == 2);
        (year_last && (a <= 12 || b <= 12)).then_some(WrittenDate {
            fields: [a, b, c],
            form: DateForm::YearLast {
                short_year: c_len == 2,
            },
        })
    }

    /// `12 Jan 2025`, `19-Jun-2026`, `12. Januar 2025`, `19 de junio de 2026`.
    fn day_then_month_name(&mut self) -> Option<WrittenDate> {
        let day = self.day()?;
        // `05.Mrz.2026`: a dot may be all that stands between.
        let dotted = self.eat(b'.');
        self.named_separator().or(dotted.then_some(()))?;
        let month = self.month()?;
        let dotted = self.bytes[self.at - 1] == b'.';
        self.named_separator().or(dotted.then_some(()))?;
        let year = self.year()?;
        Some(named(year, month, day))
    }

    /// `2025-Jan-12`.
    fn year_then_month_name(&mut self) -> Option<WrittenDate> {
        let (year, 4) = self.digits(4)? else {
            return None;
        };
        self.eat(b'-').then_some(())?;
        let month = self.month()?;
        self.eat(b'-').then_some(())?;
        let day = self.day()?;
        Some(named(year, month, day))
    }

    /// `Jan 12 2025`, `Jun 19, 2026`, `January 12th, 2025`, and `Jun 19` (its year
    /// after the time, as C's `ctime` writes it: the bool is false).
    fn month_name_then_day(&mut self) -> Option<(WrittenDate, bool)> {
        let month = self.month()?;
        self.named_separator()?;
        let day = self.day()?;
        let before_year = self.at;
        match self.attempt(|s| {
            s.named_separator()?;
            s.year()
        }) {
            Some(year) => Some((named(year, month, day), true)),
            None => {
                self.at = before_year;
                Some((named(0, month, day), false))
            }
        }
    }

    /// A day of the month, 1 or 2 digits, with an ordinal's ending (`12th`, French `1er`).
    fn day(&mut self) -> Option<u32> {
        let (day, _) = self.digits(2)?;
        if self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
            let ending = self.word()?.to_ascii_lowercase();
            if !["st", "nd", "rd", "th", "er"].contains(&ending.as_str()) {
                return None;
            }
        }
        Some(day)
    }

    /// A month's name, with a dot after an abbreviation.
    fn month(&mut self) -> Option<u32> {
        let month = month_number(self.word()?)?;
        self.eat(b'.');
        Some(month)
    }

    /// A year of four digits, or two (20yy).
    fn year(&mut self) -> Option<u32> {
        match self.digits(4)? {
            (year, 4) => Some(year),
            // `Jun 19 23:59:44 2026`: the 23 is the hour, not the year.
            (_, 2) if matches!(self.peek(), Some(b':' | b'.' | b'h')) => None,
            (year, 2) => Some(2000 + year),
            _ => None,
        }
    }

    /// Between a day, a month's name and a year: spaces, `-`, `/`, `,`, or Spanish `de`.
    fn named_separator(&mut self) -> Option<()> {
        let start = self.at;
        self.spaces();
        if self.eat(b'-') || self.eat(b'/') || self.eat(b',') {
            self.spaces();
        } else if self.at > start && self.eat_word("de") {
            self.spaces().then_some(())?;
        }
        (self.at > start).then_some(())
    }

    /// `H:mm[:ss[.fff]]`, `H.mm[.ss]`, `HhMM`, 24-hour or with AM/PM, and a German `Uhr`.
    fn time_of_day(&mut self) -> Option<NaiveTime> {
        let (hour, _) = self.digits(2)?;
        let sep = self.peek().filter(|b| matches!(b, b':' | b'.' | b'h'))?;
        self.at += 1;
        let (minute, 2) = self.digits(2)? else {
            return None;
        };
        let mut second = 0;
        let mut nanos = 0;
        if sep != b'h' && self.eat(sep) {
            let (s, 2) = self.digits(2)? else {
                return None;
            };
            second = s;
            // After a dotted clock only a comma can start the fraction.
            if (sep == b':' && self.eat(b'.')) || self.eat(b',') {
                let (fraction, f_len) = self.digits(9)?;
                nanos = fraction * 10u32.pow(9 - f_len as u32);
            }
        }
        let hour = match self.meridiem() {
            None => hour,
            Some(_) if !(1..=12).contains(&hour) => return None,
            Some(pm) => hour % 12 + if pm { 12 } else { 0 },
        };
        self.attempt(|s| {
            s.spaces();
            s.eat_word("uhr").then_some(())
        });
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
    }

    /// ` AM` / `PM` (also `a.m.`, any case), with or without a space before it:
    /// whether it is PM.
    fn meridiem(&mut self) -> Option<bool> {
        let start = self.at;
        self.spaces();
        let rest = &self.bytes[self.at..];
        let lower: Vec<u8> = rest.iter().take(5).map(u8::to_ascii_lowercase).collect();
        for (word, pm) in [
            // Spanish writes `p. m.`.
            (&b"a. m."[..], false),
            (b"p. m.", true),
            (b"a.m.", false),
            (b"p.m.", true),
            (b"am", false),
            (b"pm", true),
        ] {
            let whole = rest
                .get(word.len())
                .is_none_or(|b| !b.is_ascii_alphabetic());
            if lower.starts_with(word) && whole {
                self.at += word.len();
                return Some(pm);
            }
        }
        self.at = start;
        None
    }

    /// `Z`, `+hh:mm`, `+hhmm` or `+hh` after a time, also after `UTC` or `GMT` (which
    /// alone is +00:00). `Some(None)` when there is none; `None` when something is there
    /// that is not an offset.
    fn offset(&mut self) -> Option<Option<FixedOffset>> {
        self.spaces();
        if self.eat(b'Z') {
            return Some(FixedOffset::east_opt(0));
        }
        let named_utc = self.eat_word("utc") || self.eat_word("gmt");
        let sign = match self.peek() {
            Some(b'+') => 1,
            Some(b'-') => -1,
            _ if named_utc => return Some(FixedOffset::east_opt(0)),
            _ => return Some(None),
        };
        self.at += 1;
        let (hours, h_len) = self.digits(2)?;
        let minutes = if self.eat(b':') || self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.digits(2)?.0
        } else {
            0
        };
        // `UTC+1` writes its hours with one digit; a bare offset always has two.
        if (h_len != 2 && !named_utc) || hours > 23 || minutes > 59 {
            return None;
        }
        FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60) as i32).map(Some)
    }
}

fn named(year: u32, month: u32, day: u32) -> WrittenDate {
    WrittenDate {
        fields: [year, month, day],
        form: DateForm::MonthNamed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDateTime, Timelike};
    use proptest::prelude::*;

    /// A cell read as a local date and time, in the order given or the one it proves.
    fn local(text: &str, order: Option<DateOrder>) -> Option<NaiveDateTime> {
        match read_stamp(text)? {
            Stamp::Date {
                date,
                time: Some(time),
                offset: None,
            } => Some(date.date(order.or(date.proves()))?.and_time(time)),
            _ => None,
        }
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .and_then(|d| d.and_hms_opt(h, mi, s))
            .expect("a valid test time")
    }

    #[test]
    fn the_field_cases_forms() {
        let cases = [
            ("11:59:44PM Jun 19, 2026", at(2026, 6, 19, 23, 59, 44)),
            ("12:00:00AM Jun 20, 2026", at(2026, 6, 20, 0, 0, 0)),
            ("12:00:00PM Jun 20, 2026", at(2026, 6, 20, 12, 0, 0)),
            ("16.12.2022 - 14:33", at(2022, 12, 16, 14, 33, 0)),
            ("Fri Jun 19 23:59:44 2026", at(2026, 6, 19, 23, 59, 44)),
            ("Jan 12 2025 08:12", at(2025, 1, 12, 8, 12, 0)),
            ("12 Jan 2025 08:12", at(2025, 1, 12, 8, 12, 0)),
            ("19-Jun-2026 23.59.44", at(2026, 6, 19, 23, 59, 44)),
            ("19. Juni 2026, 14:33 Uhr", at(2026, 6, 19, 14, 33, 0)),
            ("19 juin 2026 14h33", at(2026, 6, 19, 14, 33, 0)),
            ("19 de junio de 2026 14:33", at(2026, 6, 19, 14, 33, 0)),
            ("Mo, 16. Dez. 2022 - 14:33", at(2022, 12, 16, 14, 33, 0)),
            ("mar. 17 févr. 2026 09:05", at(2026, 2, 17, 9, 5, 0)),
            ("January 12th, 2025 at 8:12 pm", at(2025, 1, 12, 20, 12, 0)),
            ("2025-Jan-12 08:12:00", at(2025, 1, 12, 8, 12, 0)),
            ("05.Mrz.2026 07:08", at(2026, 3, 5, 7, 8, 0)),
            ("5. Mär. 2026 07:08", at(2026, 3, 5, 7, 8, 0)),
            ("1er janvier 2026 07:08", at(2026, 1, 1, 7, 8, 0)),
            ("5 de marzo de 2026 7:08 p. m.", at(2026, 3, 5, 19, 8, 0)),
            ("5. Feber 2026 07:08", at(2026, 2, 5, 7, 8, 0)),
        ];
        for (text, want) in cases {
            assert_eq!(local(text, None), Some(want), "{text}");
        }
        // The time before a numeric date: the file's order still decides.
        let text = "23:59:54 03/04/2026";
        assert_eq!(local(text, None), None);
        assert_eq!(
            local(text, Some(DateOrder::Dmy)),
            Some(at(2026, 4, 3, 23, 59, 54))
        );
        assert_eq!(
            local(text, Some(DateOrder::Mdy)),
            Some(at(2026, 3, 4, 23, 59, 54))
        );
    }

    #[test]
    fn compact_dates_and_times() {
        for (text, want) in [
            ("20260305070809", at(2026, 3, 5, 7, 8, 9)),
            ("202603050708", at(2026, 3, 5, 7, 8, 0)),
            ("20260305T070809", at(2026, 3, 5, 7, 8, 9)),
        ] {
            assert_eq!(local(text, None), Some(want), "{text}");
        }
        assert!(matches!(
            read_stamp("20260305"),
            Some(Stamp::Date { time: None, .. })
        ));
        let Some(Stamp::Date { offset, .. }) = read_stamp("20260305T070809Z") else {
            panic!("basic ISO 8601 not read");
        };
        assert_eq!(offset, FixedOffset::east_opt(0));
        // Identifiers and epoch counts stay numbers.
        for text in ["10000001", "1795183200001", "1741158489", "20261305"] {
            assert!(matches!(read_stamp(text), Some(Stamp::Number(_))), "{text}");
        }
    }

    #[test]
    fn offsets_after_the_time() {
        for (text, seconds) in [
            ("2026-06-19 23:59:44 UTC", 0),
            ("2026-06-19 23:59:44 GMT+1", 3600),
            ("Jun 19, 2026 11:59 PM -0500", -5 * 3600),
            ("2026-06-19T23:59:44Z", 0),
        ] {
            let Some(Stamp::Date { offset, .. }) = read_stamp(text) else {
                panic!("{text} not read");
            };
            assert_eq!(offset, FixedOffset::east_opt(seconds), "{text}");
        }
    }

    #[test]
    fn what_is_not_a_time() {
        for text in [
            "Junk 19 2026",
            "13:00 PM",
            "0:30 AM",
            "19 Jun",
            "Jun 19",
            "2026-06-19 23:59:44 CEST",
            "Fri",
            "120/80",
        ] {
            assert_eq!(read_stamp(text), None, "{text}");
        }
        // A dotted clock is a time of day, not the 23rd of the 59th month.
        assert_eq!(
            read_stamp("23.59.44"),
            NaiveTime::from_hms_opt(23, 59, 44).map(Stamp::TimeOfDay)
        );
    }

    /// Month names by language, full, as the forms below write them.
    const NAMES: [[&str; 12]; 3] = [
        [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
    ];

    /// Writes `t` in date form `form`: the text and the order a reader needs for it.
    fn write_date(t: NaiveDateTime, form: usize) -> (String, Option<DateOrder>) {
        let m = t.month0() as usize;
        let d = t.day();
        let y = t.year();
        match form {
            0 => (t.format("%Y-%m-%d").to_string(), None),
            1 => (t.format("%d.%m.%Y").to_string(), Some(DateOrder::Dmy)),
            2 => (t.format("%m/%d/%Y").to_string(), Some(DateOrder::Mdy)),
            3 => (t.format("%d/%m/%y").to_string(), Some(DateOrder::Dmy)),
            4 => (t.format("%b %d %Y").to_string(), None),
            5 => (t.format("%B %-d, %Y").to_string(), None),
            6 => (t.format("%d %b %Y").to_string(), None),
            7 => (t.format("%d-%b-%Y").to_string(), None),
            8 => (format!("{d}. {} {y}", NAMES[0][m]), None),
            9 => (format!("{d} {} {y}", NAMES[1][m]), None),
            _ => (format!("{d} de {} de {y}", NAMES[2][m]), None),
        }
    }

    /// Writes `t`'s time in clock form `form`, and the time that form keeps.
    fn write_time(t: NaiveDateTime, form: usize) -> (String, NaiveTime) {
        let whole = t.time().with_nanosecond(0).expect("second");
        let minute = whole.with_second(0).expect("minute");
        match form {
            0 => (t.format("%H:%M:%S").to_string(), whole),
            1 => (t.format("%H:%M").to_string(), minute),
            2 => (t.format("%H.%M.%S").to_string(), whole),
            3 => (t.format("%I:%M:%S%p").to_string(), whole),
            4 => (t.format("%-I:%M %P").to_string(), minute),
            _ => (t.format("%H:%M:%S%.3f").to_string(), {
                let millis = t.nanosecond() / 1_000_000 * 1_000_000;
                t.time().with_nanosecond(millis).expect("millis")
            }),
        }
    }

    proptest! {
        /// Every date form with every clock form, the date first or the time first, with
        /// each separator: read back to the same instant; a numeric date that does not
        /// prove its order is never read without one.
        #[test]
        fn each_form_reads_back_to_its_instant(
            seconds in 946_684_800i64..4_102_444_800i64,
            millis in 0u32..1000,
            date_form in 0usize..11,
            time_form in 0usize..6,
            join in 0usize..5,
            time_first: bool,
        ) {
            let t = chrono::DateTime::from_timestamp(seconds, millis * 1_000_000)
                .expect("in range")
                .naive_utc();
            let (date, order) = write_date(t, date_form);
            let (clock, kept) = write_time(t, time_form);
            let between = [" ", ", ", " - ", "T", " @ "][join];
            let text = if time_first {
                format!("{clock} {date}")
            } else {
                format!("{date}{between}{clock}")
            };
            let want = t.date().and_time(kept);
            prop_assert_eq!(local(&text, order), Some(want), "{}", text);
            let Some(Stamp::Date { date: written, .. }) = read_stamp(&text) else {
                return Err(TestCaseError::fail(format!("{text}: not a date")));
            };
            if order.is_some() && t.day() != t.month() {
                match written.proves() {
                    None => prop_assert_eq!(written.date(None), None, "{}", text),
                    Some(proved) => {
                        prop_assert!(t.day() > 12);
                        prop_assert_eq!(Some(proved), order);
                    }
                }
            }
        }

        /// The ctime form (`Fri Jun 19 23:59:44 2026`), its day padded with a space.
        #[test]
        fn the_ctime_form(seconds in 946_684_800i64..4_102_444_800i64) {
            let t = chrono::DateTime::from_timestamp(seconds, 0).expect("in range").naive_utc();
            let text = t.format("%a %b %e %H:%M:%S %Y").to_string();
            prop_assert_eq!(local(&text, None), Some(t), "{}", text);
        }
    }
}
