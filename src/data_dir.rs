//! Where sessions are kept: the platform's data directory unless the person names one
//! (the command line's `--data-dir`). The window and the commands both use it.

use std::path::{Path, PathBuf};

/// Journals live in this folder of the data directory.
pub const SESSIONS: &str = "sessions";

/// The data directory the user named, or the platform's (e.g.
/// `~/.local/share/infusion-vitals` on Linux).
pub fn resolve(given: Option<&Path>) -> Option<PathBuf> {
    given.map(Path::to_path_buf).or_else(|| {
        directories::ProjectDirs::from("", "", "infusion-vitals")
            .map(|d| d.data_dir().to_path_buf())
    })
}

/// The folder of session journals in `data_dir`: `DATA/sessions`.
pub fn sessions(data_dir: &Path) -> PathBuf {
    data_dir.join(SESSIONS)
}

/// The installation's seal-signing key in the data directory.
pub const SEAL_KEY: &str = "seal-key.ed25519";

/// The installation's seal-signing key's file: `DATA/seal-key.ed25519`.
pub fn seal_key(data_dir: &Path) -> PathBuf {
    data_dir.join(SEAL_KEY)
}
