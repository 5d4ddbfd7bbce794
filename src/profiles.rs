//! Finding the threshold profile a person names, built in or a clinic's own `.toml` file:
//! the command line's `--profile` and the window's "Threshold profile" field alike. Reading
//! the file is this files layer's job; the core (`alerts::profile`) only parses the TOML.
//! Its messages name neither a flag nor a field: each caller says which it asked with.

use crate::alerts::Profile;
use crate::alerts::profile::ProfileError;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error("cannot read profile {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
}

/// A built-in profile by name (e.g. `ketamine-iv-adult`), or a `.toml` file by path.
///
/// # Errors
/// [`LoadError::Profile`] for a name that is neither built in nor a `.toml` path, or a
/// profile that does not parse or fails its load-time checks; [`LoadError::Read`] for a
/// file that cannot be read.
pub fn load(name_or_path: &str) -> Result<Profile, LoadError> {
    if Profile::is_builtin(name_or_path) {
        return Ok(Profile::builtin(name_or_path)?);
    }
    let path = Path::new(name_or_path);
    if path.extension().is_some_and(|e| e == "toml") {
        let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
            path: name_or_path.to_string(),
            source,
        })?;
        return Ok(Profile::from_toml(&text, name_or_path)?);
    }
    Err(ProfileError::Unknown(name_or_path.to_string()).into())
}
