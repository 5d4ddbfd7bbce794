//! Saving a log so that a crash never leaves half a file under the log's name.

use crate::clock::Time;
use crate::log::seal::SealKey;
use crate::log::write::write_log;
use crate::session::Event;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
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

/// A new or renamed file's name is durable only once its folder is synced.
pub fn sync_folder(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => File::open(dir)?.sync_all(),
        _ => Ok(()),
    }
}
