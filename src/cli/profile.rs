//! Finding the profile a command names: built in, or a clinic's own `.toml` file.

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

/// A built-in profile by name, or a `.toml` file by path.
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
