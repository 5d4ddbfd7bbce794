//! `audit --trusted-keys FILE`: the public keys a clinic registered (each printed by
//! `infusion-vitals key` on its computer), with a name for each.
//!
//! The format, one key a line: `ed25519:HEX NAME` (the `ed25519:` is optional; `HEX` the
//! 64 hex digits of the public key; `NAME` the rest of the line, spaces allowed, e.g.
//! `chair-3 ward B`). Blank lines and lines starting with `#` are ignored.

use crate::log::seal::{ED25519, PublicKey};
use std::collections::HashMap;

/// The keys a clinic trusts to sign logs, by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedKeys(HashMap<PublicKey, String>);

impl TrustedKeys {
    /// Reads the file's text. Errors: a line that is not a key and a name, naming the
    /// line (1-based), or the same key twice with different names.
    pub fn parse(text: &str) -> Result<TrustedKeys, String> {
        let mut keys = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, name) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let name = name.trim();
            let key = PublicKey::from_hex(key.strip_prefix(ED25519).unwrap_or(key));
            let (Some(key), false) = (key, name.is_empty()) else {
                return Err(format!(
                    "line {}: should be a public key (64 hex digits, as `infusion-vitals key` prints it) and a name",
                    i + 1
                ));
            };
            if let Some(other) = keys.insert(key, name.to_string())
                && other != name
            {
                return Err(format!(
                    "line {}: this key is already named '{other}'",
                    i + 1
                ));
            }
        }
        Ok(TrustedKeys(keys))
    }

    /// Reads a trusted-keys file. Errors: it is not a regular file or past 1 MiB (a
    /// clinic's keys are a few lines: a pipe or a disk image is a mistake), cannot be read,
    /// or does not parse ([`TrustedKeys::parse`]).
    pub fn load(path: &std::path::Path) -> Result<TrustedKeys, String> {
        let bytes =
            crate::log::file::read_regular(path, Some(1 << 20)).map_err(|e| e.to_string())?;
        let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
        TrustedKeys::parse(&text)
    }

    /// What the keys say of a log whose seal was signed by `signed_by` (`None`: unsigned).
    pub fn judge(&self, signed_by: Option<&PublicKey>) -> Trust {
        match signed_by {
            None => Trust::Unsigned,
            Some(key) => self
                .name(key)
                .map_or(Trust::Untrusted, |name| Trust::Trusted(name.to_string())),
        }
    }

    /// The name the clinic gave `key`; `None` when it is not trusted.
    pub fn name(&self, key: &PublicKey) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }
}

/// A readable log's signature against the trusted keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trust {
    /// Signed by a key the file names: its name.
    Trusted(String),
    /// Signed by a key the file does not name: sealed on another installation, or by
    /// someone who made a key of their own.
    Untrusted,
    /// No signature: written before signatures, or by someone who removed it.
    Unsigned,
}
