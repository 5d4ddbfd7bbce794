//! The installation's seal-signing key on disk: made at first use, then read. The file
//! (`DATA/seal-key.ed25519`, see [`crate::data_dir::seal_key`]) holds the key's 32-byte
//! secret as 64 hex digits and a line end, readable only by its user (mode 0600 on Unix;
//! elsewhere the data directory's own permissions, the user's profile on Windows).

use crate::log::file::sync_folder;
use crate::log::seal::SealKey;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

/// How long a process that finds the key file being made by another waits for it.
const WAIT_FOR_OTHER: Duration = Duration::from_secs(2);

/// The installation's key in `data_dir`, made there if there is none yet.
///
/// Two processes starting at once end with one key: the file is created with
/// `create_new`, so one of them makes it and the other reads it, waiting up to two
/// seconds for it to be written. Errors: the folder or file cannot be made or read, the
/// system has no source of randomness, or the file does not hold a key (damaged, edited):
/// then it is left as it is, never replaced, since logs signed with it name it.
pub fn load_or_create(data_dir: &Path) -> io::Result<SealKey> {
    let path = crate::data_dir::seal_key(data_dir);
    match read(&path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        // Another process created it a moment ago and is still writing it.
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return wait_for_other(&path),
        read => return read.map_err(|e| named(&path, e)),
    }
    fs::create_dir_all(data_dir)?;
    let mut secret = [0; 32];
    getrandom::fill(&mut secret).map_err(|e| io::Error::other(format!("no randomness: {e}")))?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            let written = file
                .write_all(format!("{}\n", hex::encode(secret)).as_bytes())
                .and_then(|()| file.sync_all())
                .and_then(|()| sync_folder(&path));
            if let Err(e) = written {
                // Half a key would stop every later start; without it, the next makes one.
                let _ = fs::remove_file(&path);
                return Err(named(&path, e));
            }
            Ok(SealKey::from_secret(&secret))
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => wait_for_other(&path),
        Err(e) => Err(named(&path, e)),
    }
}

/// Another process created the file a moment ago: read it once it holds a whole key.
fn wait_for_other(path: &Path) -> io::Result<SealKey> {
    let started = std::time::Instant::now();
    loop {
        match read(path) {
            Err(e)
                if e.kind() == io::ErrorKind::UnexpectedEof
                    && started.elapsed() < WAIT_FOR_OTHER =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            read => return read.map_err(|e| named(path, e)),
        }
    }
}

/// The key in `path`; `UnexpectedEof` while it holds fewer than 64 digits,
/// `PermissionDenied` when other users may read or change it (see [`private`]).
fn read(path: &Path) -> io::Result<SealKey> {
    let file = fs::File::open(path)?;
    private(&file)?;
    let text = io::read_to_string(file)?;
    let digits = text.trim_end();
    let mut secret = [0; 32];
    if digits.len() < 64 && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the key file is incomplete",
        ));
    }
    hex::decode_to_slice(digits, &mut secret).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "the key file does not hold a key (64 hex digits)",
        )
    })?;
    Ok(SealKey::from_secret(&secret))
}

/// A key other users can read signs for anyone who read it, and one they can write is
/// no longer this installation's: as ssh does with a private key, such a file is not
/// used (its mode was loosened after it was made 0600: a copy, a restore, a chmod) until
/// its owner says which it is. On systems without Unix modes the data directory's own
/// permissions (the user's profile on Windows) are all there is to check.
fn private(file: &fs::File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "other users of this computer may read or change it (mode {mode:03o}), and anyone who read it can sign logs as this installation; if nobody else can have copied it, make it readable only by you (chmod 600 on the file); otherwise move it away, so that a new key is made, and register the new one (infusion-vitals key)"
                ),
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

fn named(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("the seal key {}: {e}", path.display()))
}
