//! Writes a session's events as a sealed CSV log.

use crate::clock::Time;
use crate::log::cells::neutralise;
use crate::log::columns::{COUNT, HEADER};
use crate::log::rows::{Row, event_to_row, seal_row};
use crate::log::seal::Chain;
use crate::session::Event;
use std::io;

const LINE_END: &[u8] = b"\r\n";

/// Writes the header, one row per event, and the seal row. RFC 4180 (CRLF line ends,
/// quotes only where needed), UTF-8 without a byte-order mark.
pub fn write_log<W: io::Write>(mut out: W, events: &[Event], sealed_at: &Time) -> io::Result<()> {
    let header = encode(&mut HEADER.iter().copied())?;
    out.write_all(&header)?;
    out.write_all(LINE_END)?;
    let mut chain = Chain::start(&header);
    let mut write_row = |row: &Row<'_>| -> io::Result<()> {
        let content = encode(&mut row.0[..COUNT - 1].iter().map(|c| c.as_ref()))?;
        let hash = chain.link(&content);
        out.write_all(&content)?;
        out.write_all(b",")?;
        out.write_all(&hash)?;
        out.write_all(LINE_END)
    };
    for event in events {
        write_row(&event_to_row(event))?;
    }
    write_row(&seal_row(events.len(), sealed_at))?;
    out.flush()
}

/// One row as CSV without its line end: its hash covers exactly these bytes.
fn encode(cells: &mut dyn Iterator<Item = &str>) -> io::Result<Vec<u8>> {
    let mut encoder = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .buffer_capacity(1024)
        .from_writer(Vec::with_capacity(512));
    encoder.write_record(cells.map(|cell| neutralise(cell).into_owned()))?;
    let mut bytes = encoder.into_inner().map_err(|e| e.into_error())?;
    bytes.pop(); // the '\n' that ended the record
    Ok(bytes)
}

/// The whole log as bytes: for tests, benchmarks and small exports.
pub fn log_bytes(events: &[Event], sealed_at: &Time) -> Vec<u8> {
    let mut out = Vec::new();
    write_log(&mut out, events, sealed_at).expect("writing to memory does not fail");
    out
}
