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

impl Chain {
    /// The chain's digest so far: the hash of the last row linked, as 32 raw bytes.
    pub fn digest(&self) -> [u8; 32] {
        self.0
    }
}

/// What the signature of a seal row covers, before the chain's digest and the row.
const SIGNED_DOMAIN: &[u8] = b"infusion-vitals seal signature v1\n";

/// Before the public key's hex digits in the seal row's `source` cell, and before the
/// signature's in its `reason` cell: names the algorithm, so another can follow.
pub const ED25519: &str = "ed25519:";

/// Before the key's fingerprint in the seal row's `by` cell.
pub const KEY: &str = "key:";

/// An installation's Ed25519 key that signs the seals it writes. Loaded from its file by
/// [`crate::seal_key`]; this type only signs and never touches a file.
pub struct SealKey(ed25519_dalek::SigningKey);

impl SealKey {
    /// The key whose 32-byte secret (RFC 8032's seed) is `secret`.
    pub fn from_secret(secret: &[u8; 32]) -> SealKey {
        SealKey(ed25519_dalek::SigningKey::from_bytes(secret))
    }

    /// The public half, which verifies what this key signs.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }

    /// Signs a seal row: `before` is the chain after the last event row, `row` the seal
    /// row's bytes as written up to its empty `reason` cell (ending with its comma).
    pub fn sign(&self, before: &Chain, row: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer;
        self.0.sign(&signed_message(before, row)).to_bytes()
    }
}

impl std::fmt::Debug for SealKey {
    /// The public key only: the secret never goes into a message or a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SealKey({})", self.public().fingerprint())
    }
}

/// An Ed25519 public key (32 bytes), as a seal row and a trusted-keys file name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 32]);

impl PublicKey {
    /// 64 lowercase hex digits.
    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads 64 hex digits; `None` for anything else.
    pub fn from_hex(text: &str) -> Option<PublicKey> {
        let mut key = [0; 32];
        hex::decode_to_slice(text, &mut key).ok()?;
        Some(PublicKey(key))
    }

    /// A shorter name for the key, for people: the first 16 bytes of the SHA-256 of its
    /// 32 bytes, as 32 hex digits.
    pub fn fingerprint(&self) -> String {
        hex::encode(&Sha256::digest(self.0)[..16])
    }
}

/// A seal's signature read but not yet verified: what the audit gathers from a batch of
/// files to verify at once ([`verify_all`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unverified {
    key: PublicKey,
    message: Vec<u8>,
    signature: [u8; 64],
}

impl Unverified {
    /// `key`'s `signature` over a seal row (see [`SealKey::sign`]).
    pub fn new(key: PublicKey, before: &Chain, row: &[u8], signature: [u8; 64]) -> Unverified {
        Unverified {
            key,
            message: signed_message(before, row),
            signature,
        }
    }

    /// The key it claims.
    pub fn key(&self) -> PublicKey {
        self.key
    }

    /// Verifies it alone, strictly: a weak key or a signature in a second form is refused.
    pub fn verify(&self) -> bool {
        ed25519_dalek::VerifyingKey::from_bytes(&self.key.0).is_ok_and(|key| {
            let signature = ed25519_dalek::Signature::from_bytes(&self.signature);
            key.verify_strict(&self.message, &signature).is_ok()
        })
    }
}

/// Verifies many signatures at once, about twice as fast a signature as one by one
/// (`ed25519_dalek::verify_batch`); `true` when every one verifies. When the batch fails,
/// the caller verifies each alone to find which. A weak key (of small order, for which
/// signatures are easy to make) fails the batch, as [`Unverified::verify`] refuses it.
pub fn verify_all(signatures: &[&Unverified]) -> bool {
    let mut keys = Vec::with_capacity(signatures.len());
    // Logs of one folder are mostly signed by a few keys: decompress each key once.
    let mut last: Option<(PublicKey, ed25519_dalek::VerifyingKey)> = None;
    for s in signatures {
        let key = match last {
            Some((bytes, key)) if bytes == s.key => key,
            _ => match ed25519_dalek::VerifyingKey::from_bytes(&s.key.0) {
                Ok(key) if !key.is_weak() => key,
                _ => return false,
            },
        };
        last = Some((s.key, key));
        keys.push(key);
    }
    let messages: Vec<&[u8]> = signatures.iter().map(|s| s.message.as_slice()).collect();
    let signed: Vec<ed25519_dalek::Signature> = signatures
        .iter()
        .map(|s| ed25519_dalek::Signature::from_bytes(&s.signature))
        .collect();
    ed25519_dalek::verify_batch(&messages, &signed, &keys).is_ok()
}

/// `SIGNED_DOMAIN || digest of the chain before the seal row || the seal row's bytes up
/// to its signature`: everything in the file before the signature, through the chain.
fn signed_message(before: &Chain, row: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(SIGNED_DOMAIN.len() + 32 + row.len());
    message.extend_from_slice(SIGNED_DOMAIN);
    message.extend_from_slice(&before.digest());
    message.extend_from_slice(row);
    message
}
