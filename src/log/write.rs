//! Writes a session's events as chained CSV rows: a sealed log at once, or a journal
//! one row at a time (the same rows, without the seal until the log is exported).

use crate::clock::Time;
use crate::log::cells::neutralise;
use crate::log::columns::{COUNT, HEADER};
use crate::log::rows::{Row, event_to_row, seal_row};
use crate::log::seal::Chain;
use crate::session::Event;
use std::io;

const LINE_END: &[u8] = b"\r\n";

/// Turns events into the lines of a log, each hashed onto the chain of those before.
#[derive(Clone, Copy, Debug)]
pub struct RowWriter {
    chain: Chain,
}

impl RowWriter {
    /// A new log or journal, and the header line to write first.
    pub fn start() -> io::Result<(RowWriter, Vec<u8>)> {
        let header = encode(&mut HEADER.iter().copied())?;
        let writer = RowWriter {
            chain: Chain::start(&header),
        };
        Ok((writer, [header.as_slice(), LINE_END].concat()))
    }

    /// Goes on from the chain a journal was read back with.
    pub fn resume(chain: Chain) -> RowWriter {
        RowWriter { chain }
    }

    /// The line for one event, line end included.
    pub fn event_line(&mut self, event: &Event) -> io::Result<Vec<u8>> {
        self.line(&event_to_row(event))
    }

    /// The seal row that ends a log of `events` events.
    pub fn seal_line(&mut self, events: usize, sealed_at: &Time) -> io::Result<Vec<u8>> {
        self.line(&seal_row(events, sealed_at))
    }

    fn line(&mut self, row: &Row<'_>) -> io::Result<Vec<u8>> {
        let mut line = encode(&mut row.0[..COUNT - 1].iter().map(|c| c.as_ref()))?;
        let hash = self.chain.link(&line);
        line.push(b',');
        line.extend_from_slice(&hash);
        line.extend_from_slice(LINE_END);
        Ok(line)
    }
}

/// Writes the header, one row per event, and the seal row. RFC 4180 (CRLF line ends,
/// quotes only where needed), UTF-8 without a byte-order mark.
pub fn write_log<W: io::Write>(mut out: W, events: &[Event], sealed_at: &Time) -> io::Result<()> {
    let (mut rows, header) = RowWriter::start()?;
    out.write_all(&header)?;
    for event in events {
        out.write_all(&rows.event_line(event)?)?;
    }
    out.write_all(&rows.seal_line(events.len(), sealed_at)?)?;
    out.flush()
}

/// One row as CSV without its line end: its hash covers exactly these bytes. RFC 4180
/// quoting, only where needed, by `csv_core` straight into the line (a log of 86,400
/// readings writes as many rows).
fn encode(cells: &mut dyn Iterator<Item = &str>) -> io::Result<Vec<u8>> {
    let mut writer = csv_core::Writer::new();
    let mut line = Vec::with_capacity(256);
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            append(&mut line, 2, |out| writer.delimiter(out).1);
        }
        let cell = neutralise(cell);
        let bytes = cell.as_bytes();
        append(&mut line, 2 + 2 * bytes.len(), |out| {
            writer.field(bytes, out).2
        });
    }
    append(&mut line, 2, |out| writer.finish(out).1);
    Ok(line)
}

/// Lets `write` put at most `room` bytes at the end of `line`: given room for its worst
/// case, a `csv_core` call never runs out of space.
fn append(line: &mut Vec<u8>, room: usize, write: impl FnOnce(&mut [u8]) -> usize) {
    let start = line.len();
    line.resize(start + room, 0);
    let written = write(&mut line[start..]);
    line.truncate(start + written);
}

/// The whole log as bytes: for tests, benchmarks and small exports.
pub fn log_bytes(events: &[Event], sealed_at: &Time) -> Vec<u8> {
    let mut out = Vec::new();
    write_log(&mut out, events, sealed_at).expect("writing to memory does not fail");
    out
}
