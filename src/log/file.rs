//! Saving a log so that a crash never leaves half a file under the log's name.

use crate::clock::Time;
use crate::log::seal::SealKey;
use crate::log::write::write_log;
use crate::session::Event;
use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Writes the log, its seal signed with `key`, beside `path`, syncs it to disk, then
/// renames it into place.
pub fn save_log(path: &Path, events: &[Event], sealed_at: &Time, key: &SealKey) -> io::Result<()> {
    save_with(path, |out| write_log(out, events, sealed_at, Some(key)))
}

/// Saves `bytes` (a report) the same way: a file already at `path` is replaced only by a
/// complete one, never left cut short by a full disk.
pub fn save_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    save_with(path, |out| out.write_all(bytes))
}

fn save_with(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> io::Result<()>,
) -> io::Result<()> {
    let temp = partial_path(path)?;
    let result = (|| {
        let mut out = BufWriter::new(File::create(&temp)?);
        write(&mut out)?;
        out.flush()?;
        out.get_ref().sync_all()?;
        commit(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Where a log is written before it is complete: beside it, hidden.
pub fn partial_path(path: &Path) -> io::Result<PathBuf> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, "the output path names no file")
    })?;
    Ok(dir.join(format!(".{}.partial", name.to_string_lossy())))
}

/// Puts a complete, synced file under its name, durably.
pub fn commit(partial: &Path, path: &Path) -> io::Result<()> {
    fs::rename(partial, path)?;
    sync_folder(path)
}

/// A new or renamed file's name is durable only once its folder is synced: on Unix, by
/// fsyncing the folder (POSIX leaves a rename in the page cache until then).
#[cfg(unix)]
pub fn sync_folder(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => File::open(dir)?.sync_all(),
        _ => Ok(()),
    }
}

/// Elsewhere (Windows) a folder cannot be opened as a file (`File::open` on one fails, and
/// failing here stopped every session from starting), and std offers no way to flush one.
/// Nothing is done: NTFS journals its metadata, so a crash leaves either the old name or
/// the new one, never a half file (every caller synced the contents first); a rename in
/// the last moments before a crash may be undone, leaving the `.partial` file or the
/// journal under its name, which `recover` reads. Said in docs/ARCHITECTURE.md.
#[cfg(not(unix))]
pub fn sync_folder(_path: &Path) -> io::Result<()> {
    Ok(())
}

/// The largest file read as a session log: a 4-hour session at 1 Hz is about 15 MB, so a
/// file past this is no log of ours, and reading it whole would take the machine's memory.
pub const LARGEST_LOG: u64 = 1 << 30;

/// Reads a file that must be a regular one, refusing anything else (a folder, a named pipe,
/// a device) before opening it: opening a pipe for reading waits for a writer forever.
/// With `largest`, a file past that many bytes is refused unread.
///
/// # Errors
/// Not a regular file, too large, or an error reading it.
pub fn read_regular(path: &Path, largest: Option<u64>) -> io::Result<Vec<u8>> {
    let (file, len) = open_regular(path, largest)?;
    let mut bytes = Vec::with_capacity(len as usize);
    // A file that grew since it was measured is read only as far as the cap.
    file.take(largest.unwrap_or(u64::MAX))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// How much of a file is read to find its first row before the rest: a session log's
/// header is about 400 bytes.
const HEAD: u64 = 8 << 10;

/// Reads a session log or journal as [`read_regular`] does with [`LARGEST_LOG`], but reads
/// past its first 8 KiB only when its first row is the session-log header: a 900 MB file
/// that is no log took 3 GB of memory and 7 s to be called "not a session log". When it
/// is not, the bytes read so far are returned, from which the log reader says so.
///
/// # Errors
/// As [`read_regular`].
pub fn read_log_file(path: &Path) -> io::Result<Vec<u8>> {
    let (file, len) = open_regular(path, Some(LARGEST_LOG))?;
    let mut file = file.take(LARGEST_LOG);
    let mut bytes = Vec::with_capacity(len.min(HEAD) as usize);
    file.by_ref().take(HEAD).read_to_end(&mut bytes)?;
    if crate::log::read::begins_with_header(&bytes) {
        bytes.reserve(len.saturating_sub(HEAD) as usize);
        file.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

/// Whether a session log or journal is at `path`: a report or an export written there
/// would replace the record itself (`export LOG --fhir -o LOG`, a slip of the hand).
pub fn is_a_log(path: &Path) -> bool {
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    file.take(HEAD).read_to_end(&mut head).is_ok() && crate::log::read::begins_with_header(&head)
}

/// Opens a file that must be regular and at most `largest` bytes (see [`read_regular`]),
/// with its length.
fn open_regular(path: &Path, largest: Option<u64>) -> io::Result<(File, u64)> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a named pipe, a socket or a device)"
        };
        return Err(io::Error::other(format!("it is {what}; not read")));
    }
    if let Some(largest) = largest
        && meta.len() > largest
    {
        return Err(io::Error::other(format!(
            "{} MB, too large for a session log; not read",
            meta.len() >> 20
        )));
    }
    Ok((File::open(path)?, meta.len()))
}
