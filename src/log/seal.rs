//! Tamper evidence: each row's SHA-256 covers the row's exact bytes in the file (up to
//! the comma before its own hash) and the hash of the row before, starting from the
//! header. Changing, dropping, adding or swapping any row breaks every hash from there on.

use sha2::{Digest, Sha256};

const DOMAIN: &[u8] = b"infusion-vitals session log v1\n";

/// Hex digits of a row hash, as the `row_sha256` cell holds them.
pub const HEX_LEN: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chain([u8; 32]);

impl Chain {
    /// The chain's first link: the format's name and the header row as written.
    pub fn start(header: &[u8]) -> Chain {
        Chain(
            Sha256::new()
                .chain_update(DOMAIN)
                .chain_update(header)
                .finalize()
                .into(),
        )
    }

    /// Hashes one row's bytes onto the chain and returns the row's hash, as hex.
    pub fn link(&mut self, row: &[u8]) -> [u8; HEX_LEN] {
        self.0 = Sha256::new()
            .chain_update(self.0)
            .chain_update(row)
            .finalize()
            .into();
        let mut hex = [0u8; HEX_LEN];
        hex::encode_to_slice(self.0, &mut hex).expect("64 hex digits hold 32 bytes");
        hex
    }
}

/// Splits a row as written (no line end) into the bytes its hash covers and its hash
/// cell; `None` when the row does not end with `,` and 64 hex digits.
pub fn split_row(row: &[u8]) -> Option<(&[u8], &[u8])> {
    let cut = row.len().checked_sub(HEX_LEN + 1)?;
    let (content, rest) = row.split_at(cut);
    let hash = rest.strip_prefix(b",")?;
    Some((content, hash))
}
