//! Writing a sealed log while its events are still being made: a second thread formats,
//! chains and writes each row as the session appends it, so a long import does its
//! reading and its writing on both cores. The log appears under its name only once it
//! is sealed and on disk, as with [`crate::log::file::save_log`].

use crate::clock::Time;
use crate::commands::EventStore;
use crate::log::file::{commit, partial_path};
use crate::log::seal::SealKey;
use crate::log::write::RowWriter;
use crate::session::Event;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Messages (each one event or a batch) queued before the session waits for the writer.
/// A few batches keep both threads busy; more would only hold events in memory twice.
const QUEUE: usize = 4;

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
    /// Starts writing the log for `path` beside it; its seal will be signed with `key`.
    pub fn create(path: &Path, key: Arc<SealKey>) -> io::Result<(LogStream, StreamStore)> {
        let partial = partial_path(path)?;
        let file = File::create(&partial)?;
        let (sender, receiver) = sync_channel(QUEUE);
        let writer = std::thread::Builder::new()
            .name("log-writer".into())
            .spawn(move || write_rows(BufWriter::with_capacity(1 << 20, file), &receiver, &key))?;
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

fn write_rows(
    mut out: BufWriter<File>,
    messages: &Receiver<Message>,
    key: &SealKey,
) -> io::Result<()> {
    let (mut rows, header) = RowWriter::start()?;
    out.write_all(&header)?;
    let mut writeback = Writeback::start(out.get_ref())?;
    let mut events = 0;
    let mut lines = Vec::new();
    for message in messages {
        match message {
            Message::Events(batch) => {
                lines.clear();
                for event in &batch {
                    rows.event_line(event, &mut lines)?;
                }
                out.write_all(&lines)?;
                events += batch.len();
                writeback.written(lines.len(), &mut out)?;
            }
            Message::Seal(at) => {
                lines.clear();
                rows.seal_line(events, &at, Some(key), &mut lines);
                out.write_all(&lines)?;
                out.flush()?;
                writeback.finish()?;
                return out.get_ref().sync_all();
            }
        }
    }
    Err(io::Error::other("the log was abandoned before its seal"))
}

/// Bytes written between two early syncs.
const WRITEBACK_EVERY: usize = 4 << 20;

/// Syncs what is written so far on a thread of its own, while rows are still being made,
/// so the sync at the seal has only the last few megabytes left to wait for. Waiting on
/// the disk takes no processor, so this costs the two busy threads nothing.
struct Writeback {
    requests: SyncSender<()>,
    syncer: JoinHandle<io::Result<()>>,
    unsynced: usize,
}

impl Writeback {
    fn start(file: &File) -> io::Result<Writeback> {
        let file = file.try_clone()?;
        // One request waiting at most: a sync asked for while one runs covers both.
        let (requests, pending) = sync_channel::<()>(1);
        let syncer = std::thread::Builder::new()
            .name("log-sync".into())
            .spawn(move || pending.iter().try_for_each(|()| file.sync_data()))?;
        Ok(Writeback {
            requests,
            syncer,
            unsynced: 0,
        })
    }

    /// `bytes` more went to `out`; past a few megabytes, they go to the disk early.
    fn written(&mut self, bytes: usize, out: &mut BufWriter<File>) -> io::Result<()> {
        self.unsynced += bytes;
        if self.unsynced < WRITEBACK_EVERY {
            return Ok(());
        }
        out.flush()?;
        self.unsynced = 0;
        // Full: a sync is already waiting to start, and it will cover these bytes. Gone:
        // a sync failed, and `finish` says so.
        let _ = self.requests.try_send(());
        Ok(())
    }

    /// Waits for the early syncs; an error in one is the log's error.
    fn finish(self) -> io::Result<()> {
        drop(self.requests);
        self.syncer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the log's sync failed")))
    }
}
