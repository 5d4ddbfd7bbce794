//! One cell of a vital column: a number, a `120/80` pair, or one of the ways files say
//! "no value" (tokens, sentinels, a zero from an unplugged lead).

use crate::import::columns::ColumnTable;
use crate::session::Vital;

/// What a cell gave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    Number(f64),
    Missing(Missing),
    NotANumber,
}

/// Why a cell counts as no value; kept for the summary.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, PartialOrd, Ord)]
pub enum Missing {
    /// Empty, or a token such as `-`, `--`, `N/A`, `-nan(ind)`.
    Blank,
    /// A number monitors write for "no value", such as `-999`.
    Sentinel,
    /// A number a device writes in a vital's column while it has no reading (`0` from an
    /// unplugged lead, `255` from an oximeter without a signal): the columns table's
    /// `[missing.no_reading]`.
    NoReading(u32),
}

impl Missing {
    pub fn describe(self) -> &'static str {
        match self {
            Missing::Blank => "empty or a no-value mark (-, --, N/A, ...)",
            Missing::Sentinel => "a no-value number such as -999",
            Missing::NoReading(_) => "a device's code for no reading",
        }
    }
}

/// Reads a number as files write it: quotes already gone, maybe a decimal comma, maybe a
/// unit after it (`98 %`, `120 mmHg`).
pub fn number(table: &ColumnTable, raw: &str, decimal_comma: bool) -> Cell {
    let text = raw.trim();
    // A cell starting with a digit is a number or nothing: skip the no-value marks.
    let plain = text.as_bytes().first().is_some_and(u8::is_ascii_digit);
    if !plain && table.is_missing_text(text) {
        return Cell::Missing(Missing::Blank);
    }
    let text = strip_unit(text);
    let parsed = if decimal_comma && text.contains(',') {
        text.replacen(',', ".", 1).parse::<f64>()
    } else {
        text.parse::<f64>()
    };
    match parsed {
        Ok(v) if v.is_finite() => {
            if table.sentinels.contains(&v) {
                Cell::Missing(Missing::Sentinel)
            } else {
                Cell::Number(v)
            }
        }
        _ => Cell::NotANumber,
    }
}

/// A number for `vital`, where the table's no-reading codes for it are no value.
pub fn vital_number(table: &ColumnTable, raw: &str, decimal_comma: bool, vital: Vital) -> Cell {
    match number(table, raw, decimal_comma) {
        // Codes are whole numbers below 2^32 (the table's are at most 65535).
        Cell::Number(v) if table.no_reading(vital).contains(&v) => {
            Cell::Missing(Missing::NoReading(v as u32))
        }
        other => other,
    }
}

/// A `120/80` cell: each side read as its own number. A mean pressure after it in
/// parentheses (`120/80 (93)`, as cuffs and monitors show it) is left aside.
pub fn pair(table: &ColumnTable, raw: &str, decimal_comma: bool) -> (Cell, Cell) {
    let text = raw.trim();
    let text = match text.strip_suffix(')').and_then(|t| t.rsplit_once('(')) {
        Some((pair, _mean)) => pair.trim_end(),
        None => text,
    };
    if table.is_missing_text(text) {
        return (Cell::Missing(Missing::Blank), Cell::Missing(Missing::Blank));
    }
    match text.split_once('/') {
        Some((s, d)) => (
            number(table, s, decimal_comma),
            number(table, d, decimal_comma),
        ),
        None => (Cell::NotANumber, Cell::NotANumber),
    }
}

fn strip_unit(text: &str) -> &str {
    let end = text.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%' || c == '/');
    match &text[end.len()..] {
        "" => text,
        unit if ["%", "mmhg", "bpm", "/min"]
            .iter()
            .any(|u| unit.eq_ignore_ascii_case(u)) =>
        {
            end.trim_end()
        }
        _ => text,
    }
}
