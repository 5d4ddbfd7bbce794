//! The journal: a session's events on disk as they happen, one fsynced row each. It is
//! an unsealed session log (same rows, same hash chain), so recovering it is sealing it.

use crate::commands::EventStore;
use crate::log::LogError;
use crate::log::file::{read_log_file, sync_folder};
use crate::log::read::{JournalContents, read_journal_bytes};
use crate::log::write::{LINE_END, RowWriter};
use crate::session::Event;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Journals end with this; a folder of sessions holds nothing else of ours.
pub const EXTENSION: &str = ".journal.csv";

pub struct Journal {
    file: File,
    path: PathBuf,
    rows: RowWriter,
    /// Bytes known to be on disk: a failed write is cut back to this.
    len: u64,
}

impl Journal {
    /// Starts a new journal at `path`, which must not exist yet.
    pub fn create(path: &Path) -> io::Result<Journal> {
        let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
        let (rows, header) = RowWriter::start()?;
        file.write_all(&header)?;
        file.sync_all()?;
        sync_folder(path)?;
        Ok(Journal {
            file,
            path: path.to_path_buf(),
            rows,
            len: header.len() as u64,
        })
    }

    /// Reads a journal back to go on writing it: a last line cut by a crash is removed
    /// from the file (it was never shown as saved) and reported in `contents.cut`; a last
    /// row that verified but lost its line end (a crash between the row and its CRLF) gets
    /// it back, so the next event starts a row of its own instead of being glued on.
    pub fn reopen(path: &Path) -> Result<(Journal, JournalContents), LogError> {
        let bytes = read_log_file(path)?;
        let contents = read_journal_bytes(&bytes)?;
        let mut file = OpenOptions::new().read(true).write(true).open(path)?;
        let mut len = contents.good_len as u64;
        file.set_len(len)?;
        file.seek(SeekFrom::End(0))?;
        let unended = bytes[..contents.good_len]
            .last()
            .is_some_and(|b| !matches!(b, b'\n' | b'\r'));
        if unended {
            file.write_all(LINE_END)?;
            len += LINE_END.len() as u64;
        }
        file.sync_all()?;
        let journal = Journal {
            file,
            path: path.to_path_buf(),
            rows: RowWriter::resume(contents.chain, contents.version),
            len,
        };
        Ok((journal, contents))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl EventStore for Journal {
    /// Appends the event and waits until the disk has it.
    fn store(&mut self, event: &Event) -> io::Result<()> {
        self.store_all(std::slice::from_ref(event))
    }

    /// Appends the events with one write and one sync.
    fn store_all(&mut self, events: &[Event]) -> io::Result<()> {
        let before = self.rows;
        let mut lines = Vec::new();
        for e in events {
            if let Err(e) = self.rows.event_line(e, &mut lines) {
                // None of the batch is written: the chain goes on from where it was.
                self.rows = before;
                return Err(e);
            }
        }
        let written = self
            .file
            .write_all(&lines)
            .and_then(|()| self.file.sync_data());
        match written {
            Ok(()) => {
                self.len += lines.len() as u64;
                Ok(())
            }
            Err(e) => {
                // Leave the file and the chain as they were, so a retry continues cleanly.
                self.rows = before;
                let _ = self.file.set_len(self.len);
                let _ = self.file.seek(SeekFrom::End(0));
                Err(e)
            }
        }
    }
}

/// Reads a journal without changing it (a folder or a pipe under its name is refused).
pub fn read(path: &Path) -> Result<JournalContents, LogError> {
    read_journal_bytes(&read_log_file(path)?)
}

/// What in a folder is named as a journal, in name order (their names start with when
/// they opened). Everything so named is listed, a folder or a pipe too: those who read
/// the list (`recover`, the start screen) say why it cannot be read, never skip it.
pub fn find(folder: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found: Vec<PathBuf> = fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(EXTENSION))
        .collect();
    found.sort();
    Ok(found)
}

/// A new journal's path in `folder`, named by when the session opened.
pub fn new_path(folder: &Path, opened: &crate::clock::Time) -> PathBuf {
    let stem = opened.format("%Y%m%d-%H%M%S").to_string();
    (0..)
        .map(|n| match n {
            0 => folder.join(format!("{stem}{EXTENSION}")),
            n => folder.join(format!("{stem}-{n}{EXTENSION}")),
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}
