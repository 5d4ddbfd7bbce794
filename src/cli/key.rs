//! `infusion-vitals key`: the installation's public key, for the clinic to register (a
//! line of an `audit --trusted-keys` file). Made at first use, like the key itself.

use crate::cli::exit;
use crate::log::seal::SealKey;
use crate::shown::say;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// Prints the public key as a trusted-keys line (`ed25519:HEX NAME`, with `chair-` and
/// the fingerprint's first 8 digits as a name the clinic may change), then the whole
/// fingerprint, as seal rows show it, after a `#`.
pub fn run(data_dir: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let key = match installation(data_dir, err) {
        Ok(key) => key,
        Err(code) => return code,
    };
    let public = key.public();
    let fingerprint = public.fingerprint();
    let _ = writeln!(out, "ed25519:{} chair-{}", public.hex(), &fingerprint[..8]);
    let _ = writeln!(out, "# fingerprint {fingerprint}");
    exit::OK
}

/// The installation's key in the data directory (`--data-dir`, else the platform's),
/// made at first use; a message on `err` and the exit code when it cannot be had.
pub fn installation(data_dir: Option<&Path>, err: &mut dyn Write) -> Result<Arc<SealKey>, i32> {
    let Some(data) = crate::data_dir::resolve(data_dir) else {
        let _ = writeln!(
            err,
            "no data directory could be found on this system; give one with --data-dir DIR"
        );
        return Err(exit::NOTHING_WRITTEN);
    };
    crate::seal_key::load_or_create(&data)
        .map(Arc::new)
        .map_err(|e| {
            say(err, format_args!("cannot sign logs: {e}"));
            exit::NOTHING_WRITTEN
        })
}
