//! Writes a session's events as a sealed CSV log.

use crate::clock::Time;
use crate::log::cells::neutralise;
use crate::log::columns::{COUNT, HEADER};
use crate::log::rows::{Row, event_to_row, seal_row};
use crate::log::seal::{Chain, to_hex};
use crate::session::Event;
use std::io;

/// Writes the header, one row per event, and the seal row. RFC 4180 (CRLF line ends,
/// quotes only where needed), UTF-8 without a byte-order mark.
pub fn write_log<W: io::Write>(
    out: W,
    events: &[Event],
    sealed_at: &Time,
) -> Result<(), csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(HEADER)?;
    let mut chain = Chain::start(HEADER.iter().map(|h| h.as_bytes()));
    for event in events {
        write_row(&mut writer, &mut chain, &event_to_row(event))?;
    }
    write_row(&mut writer, &mut chain, &seal_row(events.len(), sealed_at))?;
    writer.flush()?;
    Ok(())
}

fn write_row<W: io::Write>(
    writer: &mut csv::Writer<W>,
    chain: &mut Chain,
    row: &Row<'_>,
) -> Result<(), csv::Error> {
    let cells: Vec<_> = row.0[..COUNT - 1].iter().map(|c| neutralise(c)).collect();
    let hash = chain.link(cells.iter().map(|c| c.as_bytes()));
    let hash = to_hex(&hash);
    writer.write_record(cells.iter().map(|c| c.as_bytes()).chain([hash.as_bytes()]))
}

/// The whole log as bytes: for tests, benchmarks and small exports.
pub fn log_bytes(events: &[Event], sealed_at: &Time) -> Vec<u8> {
    let mut out = Vec::new();
    write_log(&mut out, events, sealed_at).expect("writing to memory does not fail");
    out
}
