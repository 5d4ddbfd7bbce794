//! Reads a session log back into events, verifying its seal row by row first.
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1. Auditing reads
//! thousands of logs, so each thread keeps one CSV parser and resets it per file rather
//! than building a new one.

use crate::clock::Time;
use crate::log::cells::restore;
use crate::log::columns::{COUNT, Col, HEADER, Version, trailing_after_reason};
use crate::log::rows::{RECORD_SEAL, Row, parse_seal, row_to_event};
use crate::log::seal::{Chain, ED25519, KEY, PublicKey, Unverified, split_row};
use crate::session::{Event, SessionState};
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
    /// The key whose signature of the seal verified; `None` for an unsigned log (every
    /// log written before signatures).
    pub signed_by: Option<PublicKey>,
    /// Its layout: a version-1 log predates respiratory rate and assessments.
    pub version: Version,
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
    let (log, signature) = read_log_bytes_unverified(bytes)?;
    match signature {
        Some(s) if !s.verify() => Err(signature_altered(log.rows, &s)),
        _ => Ok(log),
    }
}

/// The error of a log whose seal's signature (on its last row, `row`) did not verify.
pub fn signature_altered(row: u64, signature: &Unverified) -> LogError {
    LogError::Altered {
        row,
        reason: format!(
            "its signature does not verify: the log was changed after key {} signed it, or signed by another key",
            signature.key().fingerprint()
        ),
    }
}

/// Reads a log as [`read_log_bytes`] does but leaves its seal's signature (when it has
/// one) for the caller to verify, so that an audit can verify a batch of logs' at once
/// ([`crate::log::seal::verify_all`]). Until it has verified, `signed_by` is a claim, not
/// a fact; one that does not verify makes the log [`signature_altered`].
pub fn read_log_bytes_unverified(
    bytes: &[u8],
) -> Result<(SealedLog, Option<Unverified>), LogError> {
    let verified = verify_bytes(bytes, Expect::Sealed)?;
    match verified.seal {
        Some(Seal {
            at: sealed_at,
            sha256: seal_sha256,
            signature,
        }) => Ok((
            SealedLog {
                events: verified.events,
                sealed_at,
                rows: verified.rows,
                seal_sha256,
                signed_by: signature.as_ref().map(Unverified::key),
                version: verified.version,
            },
            signature,
        )),
        None => Err(LogError::Truncated {
            last_row: verified.rows,
        }),
    }
}

/// Whether `head`, a file's first bytes, begins with a whole row that is the session-log
/// header (after a byte-order mark, if any): whether the file is worth reading on.
pub fn begins_with_header(head: &[u8]) -> bool {
    head.iter()
        .position(|b| matches!(b, b'\n' | b'\r'))
        .is_some_and(|end| verify_bytes(&head[..=end], Expect::Journal).is_ok())
}

/// A log as a reviewer sees it: what its seal says, and every event that verified.
#[derive(Debug)]
pub struct Reviewed {
    /// The events up to the first row that did not verify (all of them when intact).
    pub events: Vec<Event>,
    /// `Ok`: intact, sealed at, seal hash, the key whose signature verified (`None`:
    /// unsigned). `Err`: why not, naming the row.
    pub seal: Result<(Time, String, Option<PublicKey>), LogError>,
}

/// Reads a log for review: an altered or cut log still shows the rows before the fault,
/// never those after it, which cannot be trusted.
pub fn read_for_review(bytes: &[u8]) -> Reviewed {
    let mut events = Vec::new();
    let seal = verify_bytes_keeping(bytes, Expect::Sealed, &mut events).and_then(|v| {
        events = v.events;
        match v.seal {
            Some(Seal {
                signature: Some(s), ..
            }) if !s.verify() => Err(signature_altered(v.rows, &s)),
            Some(seal) => Ok((
                seal.at,
                seal.sha256,
                seal.signature.as_ref().map(Unverified::key),
            )),
            None => Err(LogError::Truncated { last_row: v.rows }),
        }
    });
    Reviewed { events, seal }
}

/// The session a sealed log describes. Its events verified, so a fold error means rows
/// that were sealed as written but do not make a session (a defect, not an edit).
pub fn fold_sealed(log: &SealedLog) -> Result<SessionState, LogError> {
    SessionState::fold(&log.events).map_err(|e| {
        // Spreadsheet row: the header is row 1, the first event row 2.
        let index = e
            .seq()
            .and_then(|seq| log.events.iter().position(|ev| ev.seq == seq));
        LogError::Invalid {
            row: index.map_or(0, |i| i as u64 + 2),
            reason: e.to_string(),
        }
    })
}

/// A journal as found on disk: the events it holds, and where to go on appending.
#[derive(Clone, Debug, PartialEq)]
pub struct JournalContents {
    pub events: Vec<Event>,
    /// The chain after the last good row: appends continue it.
    pub chain: Chain,
    /// Bytes of the file up to the end of the last good row.
    pub good_len: usize,
    /// A last line cut short by a crash: its row number and text. It is not an event.
    pub cut: Option<(u64, String)>,
    /// Its layout, which appends go on in.
    pub version: Version,
}

/// Reads a journal: an unsealed log that may end in a line cut by a crash. Everything
/// before that line is kept; a bad row anywhere else is an alteration, as in a log.
pub fn read_journal_bytes(bytes: &[u8]) -> Result<JournalContents, LogError> {
    let verified = verify_bytes(bytes, Expect::Journal)?;
    if verified.seal.is_some() {
        return Err(LogError::NotALog(
            "this is a sealed session log, not a journal".into(),
        ));
    }
    Ok(JournalContents {
        events: verified.events,
        chain: verified.chain,
        good_len: verified.good_len,
        cut: verified.cut,
        version: verified.version,
    })
}

/// What of a journal can be saved when it does not verify to its end: the events of
/// every row that verified before the first that does not, and why that one does not.
pub struct Salvaged {
    pub events: Vec<Event>,
    /// A last line cut short by a crash (as in [`JournalContents::cut`]).
    pub cut: Option<(u64, String)>,
    /// The first row that does not verify (altered, or not an event), if any: everything
    /// from it on is left out.
    pub broken: Option<LogError>,
}

/// Reads a journal keeping everything that verified: where [`read_journal_bytes`] refuses a
/// journal with a bad row, this keeps the rows before it (`recover` seals them, marked
/// cut at that row). A sealed log or a file that is no journal has nothing to save: Err.
pub fn salvage_journal_bytes(bytes: &[u8]) -> Result<Salvaged, LogError> {
    let mut events = Vec::new();
    match verify_bytes_keeping(bytes, Expect::Journal, &mut events) {
        Ok(verified) if verified.seal.is_some() => Err(LogError::NotALog(
            "this is a sealed session log, not a journal".into(),
        )),
        Ok(verified) => Ok(Salvaged {
            events: verified.events,
            cut: verified.cut,
            broken: None,
        }),
        Err(e @ (LogError::Altered { .. } | LogError::Invalid { .. })) => Ok(Salvaged {
            events,
            cut: None,
            broken: Some(e),
        }),
        Err(e) => Err(e),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A finished log: ends with its seal row.
    Sealed,
    /// A journal being written: may stop anywhere, even mid-row.
    Journal,
}

/// A seal row whose hash verified: when, its hash, and its signature, not yet verified.
struct Seal {
    at: Time,
    sha256: String,
    signature: Option<Unverified>,
}

struct Verified {
    version: Version,
    events: Vec<Event>,
    seal: Option<Seal>,
    rows: u64,
    chain: Chain,
    good_len: usize,
    cut: Option<(u64, String)>,
}

fn verify_bytes(bytes: &[u8], expect: Expect) -> Result<Verified, LogError> {
    verify_bytes_keeping(bytes, expect, &mut Vec::new())
}

fn verify_bytes_keeping(
    bytes: &[u8],
    expect: Expect,
    events: &mut Vec<Event>,
) -> Result<Verified, LogError> {
    // A byte-order mark some editors add is not content.
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    PARSER.with_borrow_mut(|parser| {
        parser.reset();
        let mut records = Records {
            parser,
            input: &bytes[bom..],
            pos: 0,
            cells: vec![0; 4096],
            ends: vec![0; COUNT + 1],
        };
        let mut verified = verify(&mut records, expect, events)?;
        verified.good_len += bom;
        Ok(verified)
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
    /// Where its bytes start in the input.
    offset: usize,
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
    /// The next record, `Ok(None)` at the end of the file, `Err(end)` when it is not text
    /// (`end`: where the record ends in the input).
    fn next(&mut self) -> Result<Option<Record<'_>>, usize> {
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
                    let text = std::str::from_utf8(&self.cells[..out]).map_err(|_| self.pos)?;
                    // Text valid as a whole may still be split mid-character by a comma.
                    if !self.ends[..end].iter().all(|e| text.is_char_boundary(*e)) {
                        return Err(self.pos);
                    }
                    // The parser may leave the '\n' of a CRLF for the next record.
                    let raw = &self.input[start..self.pos];
                    let (offset, raw) = match raw.strip_prefix(b"\n") {
                        Some(rest) => (start + 1, rest),
                        None => (start, raw),
                    };
                    let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
                    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
                    return Ok(Some(Record {
                        text,
                        ends: &self.ends[..end],
                        raw,
                        offset,
                    }));
                }
                ReadRecordResult::End => return Ok(None),
            }
        }
    }
}

/// `events` holds every event verified so far, also when a later row fails.
///
/// A row that is sealed but does not describe an event (a value ` 130`) makes the log
/// invalid, but the rows after it are still verified, up to the seal: when the seal is
/// signed and its signature does not verify, the row was forged after signing, and the
/// log is altered, not merely invalid.
fn verify(
    records: &mut Records,
    expect: Expect,
    events: &mut Vec<Event>,
) -> Result<Verified, LogError> {
    let mut invalid = None;
    let verified = verify_chain(records, expect, events, &mut invalid)?;
    let Some(invalid) = invalid else {
        return Ok(verified);
    };
    *events = verified.events;
    Err(match verified.seal {
        Some(Seal {
            signature: Some(s), ..
        }) if !s.verify() => signature_altered(verified.rows, &s),
        _ => invalid,
    })
}

/// Verifies the chain row by row; the first row that does not describe an event goes to
/// `invalid`, and no event is kept from it on.
fn verify_chain(
    records: &mut Records,
    expect: Expect,
    events: &mut Vec<Event>,
    invalid_row: &mut Option<LogError>,
) -> Result<Verified, LogError> {
    let not_text = |row| LogError::NotALog(format!("row {row} is not UTF-8 text"));
    let input = records.input;
    let header = records.next().map_err(|_| not_text(1))?;
    let Some(header) = header else {
        return Err(LogError::NotALog("the file is empty".into()));
    };
    let version = check_header(&header)?;
    let mut chain = Chain::start(header.raw);
    let mut good_len = line_end(input, header.offset + header.raw.len());
    let mut row_no = 1;
    let mut seal = None;
    // A last row that ends the file with no line end was being written when the writing
    // stopped: a journal's as the machine died, a log's copy cut short.
    let unterminated =
        |end: usize| end == input.len() && !input.ends_with(b"\n") && !input.ends_with(b"\r");
    let cut_short = |end: usize| expect == Expect::Journal && unterminated(end);
    let truncated = |end: usize, row_no: u64| {
        (expect == Expect::Sealed && unterminated(end))
            .then_some(LogError::Truncated { last_row: row_no })
    };
    loop {
        let record = match records.next() {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(end) if let Some(e) = truncated(end, row_no) => return Err(e),
            Err(end) if cut_short(end) => {
                let text = String::from_utf8_lossy(&input[good_len..])
                    .trim()
                    .to_string();
                let cut = Some((row_no + 1, text));
                return Ok(Verified {
                    version,
                    events: std::mem::take(events),
                    seal,
                    rows: row_no,
                    chain,
                    good_len,
                    cut,
                });
            }
            Err(_) => return Err(not_text(row_no + 1)),
        };
        row_no += 1;
        let altered = |reason: String| LogError::Altered {
            row: row_no,
            reason,
        };
        if seal.is_some() {
            return Err(altered(
                "a row follows the seal row (added after sealing)".into(),
            ));
        }
        let mut linked = chain;
        let content = split_row(record.raw).map(|(content, _)| content);
        let verified = record.len() == version.count()
            && split_row(record.raw)
                .is_some_and(|(content, written)| linked.link(content).as_slice() == written);
        if !verified && cut_short(record.offset + record.raw.len()) {
            let cut = Some((row_no, String::from_utf8_lossy(record.raw).into_owned()));
            let rows = row_no - 1;
            return Ok(Verified {
                version,
                events: std::mem::take(events),
                seal,
                rows,
                chain,
                good_len,
                cut,
            });
        }
        if !verified && let Some(e) = truncated(record.offset + record.raw.len(), row_no - 1) {
            return Err(e);
        }
        if record.len() != version.count() {
            return Err(altered(format!(
                "it has {} cells; every row has {}",
                record.len(),
                version.count()
            )));
        }
        if !verified {
            return Err(altered(
                "its row_sha256 does not match its cells and the row before it (a cell was changed, or rows were removed, added or reordered)".into(),
            ));
        }
        let before = std::mem::replace(&mut chain, linked);
        good_len = line_end(input, record.offset + record.raw.len());
        let invalid = |reason: String| LogError::Invalid {
            row: row_no,
            reason,
        };
        let row = row_of(&record, version);
        if row.get(Col::Record) == RECORD_SEAL {
            let signature = signature(&row, version, &before, content.unwrap_or_default())
                .map_err(|why| altered(format!("its signature does not verify: {why}")))?;
            let at = parse_seal(&row)
                .map_err(|e| invalid(e.to_string()))
                .and_then(|(count, at)| match invalid_row {
                    // Events after an invalid row were not counted: that row is the fault.
                    None if count != events.len() => Err(invalid(format!(
                        "the seal covers {count} events but the log holds {}",
                        events.len()
                    ))),
                    _ => Ok(at),
                });
            match at {
                Ok(at) => {
                    seal = Some(Seal {
                        at,
                        sha256: row.get(Col::RowSha256).to_string(),
                        signature,
                    });
                }
                Err(e) => {
                    return Err(match signature {
                        Some(s) if !s.verify() => signature_altered(row_no, &s),
                        _ => invalid_row.take().unwrap_or(e),
                    });
                }
            }
            continue;
        }
        if invalid_row.is_none() {
            match row_to_event(&row) {
                Ok(event) => events.push(event),
                Err(e) => *invalid_row = Some(invalid(e.to_string())),
            }
        }
    }
    Ok(Verified {
        version,
        events: std::mem::take(events),
        seal,
        rows: row_no,
        chain,
        good_len,
        cut: None,
    })
}

/// A seal row's signature, to verify; `None` when it is unsigned (its `by`, `source` and
/// `reason` empty), or why its cells do not hold one. `before` is the chain before the
/// seal row, `content` the row's bytes as written up to its hash.
fn signature(
    row: &Row<'_>,
    version: Version,
    before: &Chain,
    content: &[u8],
) -> Result<Option<Unverified>, String> {
    let (by, source, signature) = (row.get(Col::By), row.get(Col::Source), row.get(Col::Reason));
    if by.is_empty() && source.is_empty() && signature.is_empty() {
        return Ok(None);
    }
    let key = source
        .strip_prefix(ED25519)
        .and_then(PublicKey::from_hex)
        .ok_or("source should be ed25519: and a 64-digit public key")?;
    if by.strip_prefix(KEY) != Some(key.fingerprint().as_str()) {
        return Err("by should be key: and the public key's fingerprint".into());
    }
    let mut bytes = [0; 64];
    signature
        .strip_prefix(ED25519)
        .and_then(|hex| hex::decode_to_slice(hex, &mut bytes).ok())
        .ok_or("reason should be ed25519: and a 128-digit signature")?;
    // The signature is the `reason` cell, written as it reads (hex needs no quotes),
    // followed only by the empty cells of the columns after it: what it signs is the row
    // before it.
    let after = ",".repeat(trailing_after_reason(version));
    let signed = content
        .strip_suffix(after.as_bytes())
        .and_then(|c| c.strip_suffix(signature.as_bytes()))
        .ok_or("the signature cell is not as written")?;
    Ok(Some(Unverified::new(key, before, signed, bytes)))
}

/// Where the line that ends at `end` really ends: after its CRLF, LF or CR.
fn line_end(input: &[u8], end: usize) -> usize {
    let rest = &input[end..];
    end + if rest.starts_with(b"\r\n") {
        2
    } else {
        usize::from(rest.starts_with(b"\n") || rest.starts_with(b"\r"))
    }
}

/// The log's version, from its header (`Version::of_header`); not a log when the header
/// is neither version's, naming the first column that differs from the newest's.
fn check_header(header: &Record) -> Result<Version, LogError> {
    let found: Vec<&str> = header.cells().collect();
    if let Some(version) = Version::of_header(&found) {
        return Ok(version);
    }
    let first_difference = HEADER
        .iter()
        .zip(&found)
        .position(|(want, got)| want != got)
        .unwrap_or(HEADER.len().min(found.len()));
    Err(LogError::NotALog(format!(
        "the first row is not the session-log header (column {} should be '{}'; found '{}')",
        first_difference + 1,
        HEADER.get(first_difference).unwrap_or(&"nothing"),
        crate::shown::excerpt(&found.join(","))
    )))
}

/// A verified record as a row of the newest version: the columns its version lacks are
/// empty.
fn row_of<'r>(record: &'r Record, version: Version) -> Row<'r> {
    let mut cells: Vec<Cow<'r, str>> = Vec::with_capacity(COUNT);
    cells.extend(record.cells().map(|c| Cow::Borrowed(restore(c))));
    for col in version.lacks() {
        cells.insert(*col as usize, Cow::Borrowed(""));
    }
    Row(cells)
}
