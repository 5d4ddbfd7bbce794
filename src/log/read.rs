//! Reads a session log back into events, verifying its seal row by row first.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1. Auditing reads
//! thousands of logs, so each thread keeps one CSV parser and resets it per file rather
//! than building a new one.

use crate::clock::Time;
use crate::log::cells::restore;
use crate::log::columns::{COUNT, Col, HEADER};
use crate::log::rows::{RECORD_SEAL, Row, parse_seal, row_to_event};
use crate::log::seal::{Chain, split_row};
use crate::session::Event;
use csv_core::ReadRecordResult;
use std::borrow::Cow;
use std::cell::RefCell;
use std::io;

#[derive(Clone, Debug, PartialEq)]
pub struct SealedLog {
    pub events: Vec<Event>,
    pub sealed_at: Time,
    /// Rows in the file, header and seal included.
    pub rows: u64,
    /// The seal row's hash: it covers the whole file.
    pub seal_sha256: String,
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

thread_local! {
    static PARSER: RefCell<csv_core::Reader> = RefCell::new(csv_core::Reader::new());
}

pub fn read_log<R: io::Read>(mut input: R) -> Result<SealedLog, LogError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    read_log_bytes(&bytes)
}

pub fn read_log_bytes(bytes: &[u8]) -> Result<SealedLog, LogError> {
    // A byte-order mark some editors add is not content.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    PARSER.with_borrow_mut(|parser| {
        parser.reset();
        let mut records = Records {
            parser,
            input: bytes,
            pos: 0,
            cells: vec![0; 4096],
            ends: vec![0; COUNT + 1],
        };
        verify(&mut records)
    })
}

/// One CSV record at a time over the whole file, cells as text.
struct Records<'p, 'i> {
    parser: &'p mut csv_core::Reader,
    input: &'i [u8],
    pos: usize,
    cells: Vec<u8>,
    ends: Vec<usize>,
}

/// A record's cells (the text and where each cell ends) and its bytes as written.
struct Record<'r> {
    text: &'r str,
    ends: &'r [usize],
    raw: &'r [u8],
}

impl Record<'_> {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn cells(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts.zip(self.ends.iter()).map(|(s, e)| &self.text[s..*e])
    }
}

impl Records<'_, '_> {
    /// The next record, `Ok(None)` at the end of the file, `Err(())` when it is not text.
    fn next(&mut self) -> Result<Option<Record<'_>>, ()> {
        let (mut out, mut end) = (0, 0);
        let start = self.pos;
        loop {
            let (result, read, written, ended) = self.parser.read_record(
                &self.input[self.pos..],
                &mut self.cells[out..],
                &mut self.ends[end..],
            );
            self.pos += read;
            out += written;
            end += ended;
            match result {
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let grow = self.cells.len().max(512);
                    self.cells.resize(self.cells.len() + grow, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let grow = self.ends.len();
                    self.ends.resize(self.ends.len() + grow, 0);
                }
                ReadRecordResult::Record => {
                    let text = std::str::from_utf8(&self.cells[..out]).map_err(|_| ())?;
                    // Text valid as a whole may still be split mid-character by a comma.
                    if !self.ends[..end].iter().all(|e| text.is_char_boundary(*e)) {
                        return Err(());
                    }
                    // The parser may leave the '\n' of a CRLF for the next record.
                    let raw = &self.input[start..self.pos];
                    let raw = raw.strip_prefix(b"\n").unwrap_or(raw);
                    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
                    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                    return Ok(Some(Record {
                        text,
                        ends: &self.ends[..end],
                        raw,
                    }));
                }
                ReadRecordResult::End => return Ok(None),
            }
        }
    }
}

fn verify(records: &mut Records) -> Result<SealedLog, LogError> {
    let not_text = |row| LogError::NotALog(format!("row {row} is not UTF-8 text"));
    let header = records.next().map_err(|()| not_text(1))?;
    let Some(header) = header else {
        return Err(LogError::NotALog("the file is empty".into()));
    };
    check_header(&header)?;
    let mut chain = Chain::start(header.raw);
    let mut row_no = 1;
    let mut events = Vec::new();
    let mut sealed_at = None;
    let mut seal_sha256 = String::new();
    loop {
        let record = records.next().map_err(|()| not_text(row_no + 1))?;
        let Some(record) = record else { break };
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
        let verified = split_row(record.raw)
            .is_some_and(|(content, written)| chain.link(content).as_slice() == written);
        if !verified {
            return Err(altered(
                "its row_sha256 does not match its cells and the row before it (a cell was changed, or rows were removed, added or reordered)".into(),
            ));
        }
        let invalid = |reason: String| LogError::Invalid {
            row: row_no,
            reason,
        };
        let row = Row(record.cells().map(|c| Cow::Borrowed(restore(c))).collect());
        if row.get(Col::Record) == RECORD_SEAL {
            let (count, at) = parse_seal(&row).map_err(|e| invalid(e.to_string()))?;
            if count != events.len() {
                return Err(invalid(format!(
                    "the seal covers {count} events but the log holds {}",
                    events.len()
                )));
            }
            sealed_at = Some(at);
            seal_sha256 = row.get(Col::RowSha256).to_string();
            continue;
        }
        events.push(row_to_event(&row).map_err(|e| invalid(e.to_string()))?);
    }
    match sealed_at {
        Some(sealed_at) => Ok(SealedLog {
            events,
            sealed_at,
            rows: row_no,
            seal_sha256,
        }),
        None => Err(LogError::Truncated { last_row: row_no }),
    }
}

fn check_header(header: &Record) -> Result<(), LogError> {
    if header.cells().eq(HEADER.iter().copied()) {
        return Ok(());
    }
    let found: Vec<&str> = header.cells().collect();
    let first_difference = HEADER
        .iter()
        .zip(&found)
        .position(|(want, got)| want != got)
        .unwrap_or(HEADER.len().min(found.len()));
    Err(LogError::NotALog(format!(
        "the first row is not the session-log header (column {} should be '{}'; found '{}')",
        first_difference + 1,
        HEADER.get(first_difference).unwrap_or(&"nothing"),
        found.join(",").chars().take(80).collect::<String>()
    )))
}
