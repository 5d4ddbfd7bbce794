//! Writes a session's events as chained CSV rows: a sealed log at once, or a journal
//! one row at a time (the same rows, without the seal until the log is exported).

use crate::clock::Time;
use crate::log::cells::neutralise;
use crate::log::columns::{COUNT, Col, HEADER, Version, trailing_after_reason};
use crate::log::rows::{Row, event_to_row, seal_row};
use crate::log::seal::{Chain, ED25519, SealKey};
use crate::session::Event;
use std::io;

/// What ends every row of a log or journal.
pub const LINE_END: &[u8] = b"\r\n";

/// Turns events into the lines of a log, each hashed onto the chain of those before.
#[derive(Clone, Copy, Debug)]
pub struct RowWriter {
    chain: Chain,
    /// The layout of the file it writes: the newest, except for a journal an earlier
    /// version began, which goes on in its own.
    version: Version,
}

impl RowWriter {
    /// A new log or journal (the newest version), and the header line to write first.
    pub fn start() -> io::Result<(RowWriter, Vec<u8>)> {
        let mut header = Vec::new();
        encode(HEADER, &mut header);
        let writer = RowWriter {
            chain: Chain::start(&header),
            version: Version::NEWEST,
        };
        header.extend_from_slice(LINE_END);
        Ok((writer, header))
    }

    /// Goes on from the chain a journal of `version` was read back with.
    pub fn resume(chain: Chain, version: Version) -> RowWriter {
        RowWriter { chain, version }
    }

    /// Appends the line for one event, line end included, to `out`.
    ///
    /// # Errors
    /// The event holds what the file's version has no column for (a respiratory rate or
    /// an assessment in a journal an earlier version began): nothing is appended.
    pub fn event_line(&mut self, event: &Event, out: &mut Vec<u8>) -> io::Result<()> {
        let row = event_to_row(event);
        if let Some(col) = self
            .version
            .lacks()
            .iter()
            .find(|c| !row.get(**c).is_empty())
        {
            return Err(io::Error::other(format!(
                "this session's journal was begun by an earlier version of the program, whose rows have no {} column: close this session and open a new one to record it",
                col.name()
            )));
        }
        self.line(&row, out);
        Ok(())
    }

    /// Appends the seal row that ends a log of `events` events to `out`, signed with
    /// `key` (`None`: unsigned, as every log was before signatures, for tests and
    /// fixtures of such logs). The key's fingerprint goes in `by`, the public key in
    /// `source`, the signature in `reason`, the last cell its hash covers.
    pub fn seal_line(
        &mut self,
        events: usize,
        sealed_at: &Time,
        key: Option<&SealKey>,
        out: &mut Vec<u8>,
    ) {
        let Some(key) = key else {
            self.line(&seal_row(events, sealed_at, None), out);
            return;
        };
        let row = seal_row(events, sealed_at, Some(&key.public()));
        let start = out.len();
        // `reason` is empty here, so the cells up to it end with the comma before it.
        encode(&row.0[..=Col::Reason as usize], out);
        let signature = key.sign(&self.chain, &out[start..]);
        out.extend_from_slice(ED25519.as_bytes());
        out.extend_from_slice(hex::encode(signature).as_bytes());
        // The columns after `reason` are empty on a seal row.
        out.extend(std::iter::repeat_n(
            b',',
            trailing_after_reason(self.version),
        ));
        self.finish_line(start, out);
    }

    fn line(&mut self, row: &Row<'_>, out: &mut Vec<u8>) {
        let start = out.len();
        let lacks = self.version.lacks();
        let cells = row.0[..COUNT - 1]
            .iter()
            .enumerate()
            .filter(|(i, _)| !lacks.iter().any(|c| *c as usize == *i))
            .map(|(_, cell)| cell);
        encode_cells(cells, out);
        self.finish_line(start, out);
    }

    /// Hashes the row that starts at `start` in `out` onto the chain and ends its line.
    fn finish_line(&mut self, start: usize, out: &mut Vec<u8>) {
        let hash = self.chain.link(&out[start..]);
        out.push(b',');
        out.extend_from_slice(&hash);
        out.extend_from_slice(LINE_END);
    }
}

/// Writes the header, one row per event, and the seal row, signed with `key` (`None`:
/// unsigned, for tests and fixtures of logs written before signatures). RFC 4180 (CRLF
/// line ends, quotes only where needed), UTF-8 without a byte-order mark.
pub fn write_log<W: io::Write>(
    mut out: W,
    events: &[Event],
    sealed_at: &Time,
    key: Option<&SealKey>,
) -> io::Result<()> {
    let (mut rows, header) = RowWriter::start()?;
    out.write_all(&header)?;
    let mut line = Vec::new();
    for event in events {
        line.clear();
        rows.event_line(event, &mut line)?;
        out.write_all(&line)?;
    }
    line.clear();
    rows.seal_line(events.len(), sealed_at, key, &mut line);
    out.write_all(&line)?;
    out.flush()
}

/// Appends one row as CSV, without its line end, to `line`: its hash covers exactly
/// these bytes. RFC 4180 quoting, only where needed, by `csv_core` straight into the
/// line (a log of 86,400 readings writes as many rows).
fn encode<S: AsRef<str>>(cells: &[S], line: &mut Vec<u8>) {
    encode_cells(cells.iter(), line);
}

fn encode_cells<S: AsRef<str>>(cells: impl Iterator<Item = S> + Clone, line: &mut Vec<u8>) {
    // Room for the worst case (every cell neutralised and quoted, every byte a doubled
    // quote, a delimiter after each): `csv_core` then never runs out of space.
    let room = 2 + cells
        .clone()
        .map(|c| 6 + 2 * c.as_ref().len())
        .sum::<usize>();
    let start = line.len();
    line.resize(start + room, 0);
    let mut at = start;
    let mut writer = csv_core::Writer::new();
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            at += writer.delimiter(&mut line[at..]).1;
        }
        let cell = neutralise(cell.as_ref());
        at += writer.field(cell.as_bytes(), &mut line[at..]).2;
    }
    at += writer.finish(&mut line[at..]).1;
    line.truncate(at);
}

/// The whole log as bytes, unsigned: for tests, benchmarks and fixtures.
pub fn log_bytes(events: &[Event], sealed_at: &Time) -> Vec<u8> {
    signed_log_bytes(events, sealed_at, None)
}

/// The whole log as bytes, signed with `key` when there is one.
pub fn signed_log_bytes(events: &[Event], sealed_at: &Time, key: Option<&SealKey>) -> Vec<u8> {
    let mut out = Vec::new();
    write_log(&mut out, events, sealed_at, key).expect("writing to memory does not fail");
    out
}
