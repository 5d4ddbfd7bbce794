//! Reads a session log back into events, verifying its seal row by row first.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1.

use crate::clock::Time;
use crate::log::cells::restore;
use crate::log::columns::{COUNT, Col, HEADER};
use crate::log::rows::{RECORD_SEAL, Row, parse_seal, row_to_event};
use crate::log::seal::{Chain, matches_hex};
use crate::session::Event;
use std::borrow::Cow;
use std::io;

#[derive(Clone, Debug, PartialEq)]
pub struct SealedLog {
    pub events: Vec<Event>,
    pub sealed_at: Time,
    /// Rows in the file, header and seal included.
    pub rows: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("cannot read the file: {0}")]
    Io(#[from] io::Error),
    #[error("not a session log: {0}")]
    NotALog(String),
    #[error("altered at row {row}: {reason}")]
    Altered { row: u64, reason: String },
    #[error("cut short: the file ends at row {last_row} without its seal row")]
    Truncated { last_row: u64 },
    #[error("row {row} is sealed but does not describe an event: {reason}")]
    Invalid { row: u64, reason: String },
}

impl From<csv::Error> for LogError {
    fn from(e: csv::Error) -> Self {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => LogError::Io(io),
            other => LogError::NotALog(format!("{other:?}")),
        }
    }
}

pub fn read_log<R: io::Read>(input: R) -> Result<SealedLog, LogError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    if !reader.read_byte_record(&mut record)? {
        return Err(LogError::NotALog("the file is empty".into()));
    }
    check_header(&record)?;
    let mut chain = Chain::start(record.iter());
    let mut row_no = 1;
    let mut events = Vec::new();
    let mut sealed_at = None;
    while reader.read_byte_record(&mut record)? {
        row_no += 1;
        let altered = |reason: String| LogError::Altered {
            row: row_no,
            reason,
        };
        if sealed_at.is_some() {
            return Err(altered(
                "a row follows the seal row (added after sealing)".into(),
            ));
        }
        if record.len() != COUNT {
            return Err(altered(format!(
                "it has {} cells; every row has {COUNT}",
                record.len()
            )));
        }
        let hash = chain.link(record.iter().take(COUNT - 1));
        if !matches_hex(&record[COUNT - 1], &hash) {
            return Err(altered(
                "its row_sha256 does not match its cells and the row before it (a cell was changed, or rows were removed, added or reordered)".into(),
            ));
        }
        let invalid = |reason: String| LogError::Invalid {
            row: row_no,
            reason,
        };
        let cells = record
            .iter()
            .map(|c| std::str::from_utf8(c).map(|s| Cow::Borrowed(restore(s))))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| invalid("a cell is not UTF-8 text".into()))?;
        let row = Row(cells);
        if row.get(Col::Record) == RECORD_SEAL {
            let (count, at) = parse_seal(&row).map_err(|e| invalid(e.to_string()))?;
            if count != events.len() {
                return Err(invalid(format!(
                    "the seal covers {count} events but the log holds {}",
                    events.len()
                )));
            }
            sealed_at = Some(at);
            continue;
        }
        events.push(row_to_event(&row).map_err(|e| invalid(e.to_string()))?);
    }
    match sealed_at {
        Some(sealed_at) => Ok(SealedLog {
            events,
            sealed_at,
            rows: row_no,
        }),
        None => Err(LogError::Truncated { last_row: row_no }),
    }
}

fn check_header(record: &csv::ByteRecord) -> Result<(), LogError> {
    if record.iter().eq(HEADER.iter().map(|h| h.as_bytes())) {
        return Ok(());
    }
    let found = String::from_utf8_lossy(record.as_slice());
    let first_difference = HEADER
        .iter()
        .zip(record.iter())
        .position(|(want, got)| want.as_bytes() != got)
        .unwrap_or(HEADER.len().min(record.len()));
    Err(LogError::NotALog(format!(
        "the first row is not the session-log header (column {} should be '{}'; found '{}')",
        first_difference + 1,
        HEADER.get(first_difference).unwrap_or(&"nothing"),
        found.chars().take(80).collect::<String>()
    )))
}
