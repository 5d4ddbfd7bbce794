//! The project's simple readings CSV: `time,systolic,diastolic,heart_rate,spo2`.

use crate::alerts::profile::ValidationRules;
use crate::clock::Time;
use crate::import::times::{FileTime, Zone, parse_iso, place};
use crate::session::Vital;
use crate::session::VitalSet;
use crate::session::validate::{Field, Problem, Severity, accepted_range};
use std::io;

pub const TIME_COLUMN: &str = "time";

/// A row that gave a time and at least one value.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedRow {
    /// 1-based physical line of the file.
    pub line: u64,
    pub at: Time,
    pub values: VitalSet,
}

/// A problem with one value or one row, at its line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineProblem {
    pub line: u64,
    pub problem: Problem,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub problems: Vec<LineProblem>,
    /// Data rows in the file.
    pub rows_read: usize,
    /// Lines of rows whose vitals were all empty: no reading, and not an error.
    pub empty_rows: Vec<u64>,
    /// Columns the file has that are not read.
    pub ignored_columns: Vec<String>,
}

/// Why a whole file was not imported.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("cannot read the file: {0}")]
    Unreadable(#[from] io::Error),
    #[error("{0}")]
    Format(String),
    #[error(
        "line {line}: time '{value}' has no UTC offset, and without one the time of every such row would be a guess; rerun with --tz ZONE (an IANA zone such as Europe/Berlin, or an offset such as +01:00)"
    )]
    NeedsZone { line: u64, value: String },
}

pub fn parse(
    input: impl io::Read,
    rules: &ValidationRules,
    zone: Option<Zone>,
) -> Result<Parsed, Refusal> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut read = |record: &mut csv::ByteRecord| {
        reader
            .read_byte_record(record)
            .map_err(|e| match e.into_kind() {
                csv::ErrorKind::Io(io) => Refusal::Unreadable(io),
                other => Refusal::Format(format!("the file is not CSV: {other:?}")),
            })
    };
    if !read(&mut record)? {
        return Err(Refusal::Format("the file is empty".into()));
    }
    let header = Header::read(&record)?;
    let mut parsed = Parsed {
        ignored_columns: header.ignored.clone(),
        ..Parsed::default()
    };
    while read(&mut record)? {
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(<[u8]>::is_empty) {
            continue;
        }
        parsed.rows_read += 1;
        let cell = |col: usize| std::str::from_utf8(record.get(col).unwrap_or_default());
        let time_text = match cell(header.time) {
            Ok(text) => text,
            Err(_) => {
                let problem = bad_time("(not UTF-8 text)", "is not readable text");
                parsed.problems.push(LineProblem { line, problem });
                continue;
            }
        };
        let at = match parse_iso(time_text) {
            Some(FileTime::WithOffset(t)) => Ok(t),
            Some(FileTime::Local(local)) => match zone {
                Some(zone) => place(local, zone),
                None => {
                    return Err(Refusal::NeedsZone {
                        line,
                        value: time_text.to_string(),
                    });
                }
            },
            None if time_text.is_empty() => Err("is missing".to_string()),
            None => Err("is not an ISO 8601 time".to_string()),
        };
        let at = match at {
            Ok(at) => at,
            Err(reason) => {
                let problem = bad_time(time_text, &reason);
                parsed.problems.push(LineProblem { line, problem });
                continue;
            }
        };
        let mut values = VitalSet::default();
        for (col, vital) in &header.vitals {
            let text = cell(*col).unwrap_or("(not UTF-8 text)");
            match parse_value(text) {
                Ok(value) => values.set(*vital, value),
                Err(()) => parsed.problems.push(LineProblem {
                    line,
                    problem: not_a_number(rules, *vital, text),
                }),
            }
        }
        if values.is_empty() {
            parsed.empty_rows.push(line);
        } else {
            parsed.rows.push(ParsedRow { line, at, values });
        }
    }
    Ok(parsed)
}

/// Which column holds what.
struct Header {
    time: usize,
    vitals: Vec<(usize, Vital)>,
    ignored: Vec<String>,
}

impl Header {
    fn read(record: &csv::ByteRecord) -> Result<Header, Refusal> {
        let names = record
            .iter()
            .map(|h| {
                std::str::from_utf8(h)
                    .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| Refusal::Format("line 1: the header is not UTF-8 text".into()))?;
        let time = names.iter().position(|h| h == TIME_COLUMN).ok_or_else(|| {
            Refusal::Format(format!(
                "line 1: no 'time' column; the header should be time,systolic,diastolic,heart_rate,spo2 (found {})",
                names.join(",")
            ))
        })?;
        let vitals: Vec<(usize, Vital)> = names
            .iter()
            .enumerate()
            .filter_map(|(i, h)| Vital::from_name(h).map(|v| (i, v)))
            .collect();
        if vitals.is_empty() {
            return Err(Refusal::Format(
                "line 1: no vital column; name them systolic, diastolic, heart_rate, spo2".into(),
            ));
        }
        for (n, (col, vital)) in vitals.iter().enumerate() {
            if let Some((other, _)) = vitals[..n].iter().find(|(_, v)| v == vital) {
                return Err(Refusal::Format(format!(
                    "line 1: columns {} and {} are both '{vital}'; keep the one that holds the readings",
                    other + 1,
                    col + 1
                )));
            }
        }
        let ignored = names
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != time && !vitals.iter().any(|(c, _)| c == i))
            .map(|(_, h)| h.clone())
            .collect();
        Ok(Header {
            time,
            vitals,
            ignored,
        })
    }
}

/// A number, or nothing for an empty cell.
fn parse_value(text: &str) -> Result<Option<f64>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or(())
}

fn not_a_number(rules: &ValidationRules, vital: Vital, text: &str) -> Problem {
    Problem {
        field: Field::Vital(vital),
        // Quoted cells may hold line breaks: keep each message on one line.
        value: text.escape_debug().to_string(),
        severity: Severity::Reject,
        reason: "not a number".into(),
        accepted: accepted_range(rules, vital),
        drops: vec![vital],
    }
}

fn bad_time(text: &str, reason: &str) -> Problem {
    Problem {
        field: Field::Time,
        value: format!("'{}'", text.escape_debug()),
        severity: Severity::Reject,
        reason: format!("{reason}, the row is rejected"),
        accepted: "accepted ISO 8601 such as 2026-03-14T09:30:00+01:00".into(),
        drops: Vital::ALL.to_vec(),
    }
}
