//! Writing a sealed log while its events are still being made: a second thread formats,
//! chains and writes each row as the session appends it, so a long import does its
//! reading and its writing on both cores. The log appears under its name only once it
//! is sealed and on disk, as with [`crate::log::file::save_log`].

use crate::clock::Time;
use crate::commands::EventStore;
use crate::log::file::{commit, partial_path};
use crate::log::write::RowWriter;
use crate::session::Event;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Messages (each one event or a batch) queued before the session waits for the writer.
const QUEUE: usize = 64;

enum Message {
    Events(Vec<Event>),
    Seal(Time),
}

/// The writing side: [`LogStream::finish`] seals and commits, dropping it abandons.
pub struct LogStream {
    sender: SyncSender<Message>,
    writer: Option<JoinHandle<io::Result<()>>>,
    partial: PathBuf,
    path: PathBuf,
}

/// The session's side: hands each event to the writer.
pub struct StreamStore(SyncSender<Message>);

impl EventStore for StreamStore {
    fn store(&mut self, event: &Event) -> io::Result<()> {
        self.store_all(std::slice::from_ref(event))
    }

    /// One message for many events: an import hands them over a thousand at a time.
    fn store_all(&mut self, events: &[Event]) -> io::Result<()> {
        self.0
            .send(Message::Events(events.to_vec()))
            .map_err(|_| io::Error::other("the log writer stopped"))
    }
}

impl LogStream {
    pub fn create(path: &Path) -> io::Result<(LogStream, StreamStore)> {
        let partial = partial_path(path)?;
        let file = File::create(&partial)?;
        let (sender, receiver) = sync_channel(QUEUE);
        let writer = std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || write_rows(BufWriter::with_capacity(1 << 20, file), &receiver))?;
        let stream = LogStream {
            sender: sender.clone(),
            writer: Some(writer),
            partial,
            path: path.to_path_buf(),
        };
        Ok((stream, StreamStore(sender)))
    }

    /// Writes the seal row, syncs the file and puts it under its name.
    pub fn finish(mut self, sealed_at: &Time) -> io::Result<()> {
        let sent = self.sender.send(Message::Seal(*sealed_at));
        let written = self.join();
        let result = sent
            .map_err(|_| io::Error::other("the log writer stopped"))
            .and(written)
            .and_then(|()| commit(&self.partial, &self.path));
        if result.is_err() {
            let _ = fs::remove_file(&self.partial);
        }
        result
    }

    fn join(&mut self) -> io::Result<()> {
        match self.writer.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the log writer failed")),
            None => Ok(()),
        }
    }
}

impl Drop for LogStream {
    /// Not finished: the partial file goes, and nothing takes the log's name.
    fn drop(&mut self) {
        if self.writer.is_some() {
            let (closed, _) = sync_channel(0);
            drop(std::mem::replace(&mut self.sender, closed));
            let _ = self.join();
            let _ = fs::remove_file(&self.partial);
        }
    }
}

fn write_rows(mut out: BufWriter<File>, messages: &Receiver<Message>) -> io::Result<()> {
    let (mut rows, header) = RowWriter::start()?;
    out.write_all(&header)?;
    let mut events = 0;
    for message in messages {
        match message {
            Message::Events(batch) => {
                for event in &batch {
                    out.write_all(&rows.event_line(event)?)?;
                }
                events += batch.len();
            }
            Message::Seal(at) => {
                out.write_all(&rows.seal_line(events, &at)?)?;
                out.flush()?;
                return out.get_ref().sync_all();
            }
        }
    }
    Err(io::Error::other("the log was abandoned before its seal"))
}
