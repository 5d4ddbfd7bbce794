//! Tamper evidence: each row's SHA-256 covers its cells and the hash of the row before,
//! starting from the header, so changing, dropping, adding or swapping any row breaks
//! every hash from there on.

use sha2::{Digest, Sha256};

const DOMAIN: &[u8] = b"infusion-vitals session log v1";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chain([u8; 32]);

impl Chain {
    /// The chain's first link: the format's name and the header row.
    pub fn start<'a>(header: impl IntoIterator<Item = &'a [u8]>) -> Chain {
        let mut h = Sha256::new();
        h.update(DOMAIN);
        update_cells(&mut h, header);
        Chain(h.finalize().into())
    }

    /// Hashes one row's cells (every cell but the hash itself, as written in the file)
    /// onto the chain and returns the row's hash.
    pub fn link<'a>(&mut self, cells: impl IntoIterator<Item = &'a [u8]>) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.0);
        update_cells(&mut h, cells);
        self.0 = h.finalize().into();
        self.0
    }
}

/// Each cell with its length first, so no text can move between cells unnoticed.
fn update_cells<'a>(h: &mut Sha256, cells: impl IntoIterator<Item = &'a [u8]>) {
    for cell in cells {
        h.update((cell.len() as u64).to_le_bytes());
        h.update(cell);
    }
}

pub fn to_hex(hash: &[u8; 32]) -> String {
    hex::encode(hash)
}

/// Compares a hash cell with a computed hash without allocating (the audit's hot path).
pub fn matches_hex(cell: &[u8], hash: &[u8; 32]) -> bool {
    let mut decoded = [0u8; 32];
    hex::decode_to_slice(cell, &mut decoded).is_ok()
        && decoded == *hash
        && cell.iter().all(|c| !c.is_ascii_uppercase())
}
