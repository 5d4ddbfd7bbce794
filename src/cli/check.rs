//! `infusion-vitals check LOG...`: is each log intact (structure and seal), and does it
//! hold what the program writes (`log::content`)?

use crate::alerts::Profile;
use crate::audit::trusted::{Trust, TrustedKeys};
use crate::cli::exit;
use crate::clock::format_time;
use crate::log::LogError;
use crate::log::content::check_content;
use crate::log::file::read_log_file;
use crate::log::read::{fold_sealed, read_log_bytes};
use crate::log::seal::PublicKey;
use crate::shown::{excerpt, say};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `check LOG... [--trusted-keys FILE]`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    /// The public keys trusted to sign logs, as for `audit --trusted-keys`: a log signed by
    /// another key, or unsigned, is reported NOT TRUSTED and the exit is 1.
    #[arg(long, value_name = "FILE")]
    pub trusted_keys: Option<PathBuf>,
}

/// What `check` found in one intact file, and who signed its seal.
fn check_file(path: &Path) -> Result<(String, Option<PublicKey>), LogError> {
    // Refused before it is opened: a pipe would wait forever, a 2 GiB file fill memory.
    let log = read_log_bytes(&read_log_file(path)?)?;
    let state = fold_sealed(&log)?;
    // Checked against the profile the log names, where this program knows it.
    let recorded = state.info.as_ref().map_or("", |i| i.profile_name.as_str());
    let profile =
        Profile::builtin_by_recorded_name(recorded).unwrap_or_else(Profile::default_profile);
    check_content(&log.events, &profile.validation)?;
    let patient = state
        .info
        .as_ref()
        .map(|i| excerpt(&i.patient_id))
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "(no patient identifier)".into());
    Ok((
        format!(
            "intact: {} events, {} readings, patient {}, sealed {}, seal sha256 {}",
            log.events.len(),
            state.readings.len(),
            // Text from the file cannot fake a line of this report: `say` prints it on one.
            patient,
            format_time(&log.sealed_at),
            log.seal_sha256
        ),
        log.signed_by,
    ))
}

/// The line for one file: intact and who signed it, or why not (intact but not vouched
/// for by `trusted`, when given); and whether it passed.
fn line(path: &Path, trusted: Option<&TrustedKeys>) -> (String, bool) {
    let (intact, signer) = match check_file(path) {
        Ok(found) => found,
        Err(e) => return (format!("NOT INTACT: {e}"), false),
    };
    // The fingerprint says which installation sealed it; whether that one is trusted is
    // for the trusted keys, when given, to say.
    let signed = signer.map_or_else(
        || "unsigned".to_string(),
        |key| format!("signed by key {}", key.fingerprint()),
    );
    match trusted.map(|keys| keys.judge(signer.as_ref())) {
        None => (format!("{intact}, {signed}"), true),
        Some(Trust::Trusted(name)) => (format!("{intact}, {signed} ({})", excerpt(&name)), true),
        Some(Trust::Untrusted) => (
            format!("NOT TRUSTED: {intact}, but {signed}, which the trusted keys do not name"),
            false,
        ),
        Some(Trust::Unsigned) => (
            format!("NOT TRUSTED: {intact}, but unsigned: its seal carries no signature"),
            false,
        ),
    }
}

/// Prints one line per file; exit 0 only when every file is intact (and, with trusted
/// keys, signed by one of them).
pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let trusted = match args.trusted_keys.as_deref().map(TrustedKeys::load) {
        None => None,
        Some(Ok(keys)) => Some(keys),
        Some(Err(e)) => {
            let file = args.trusted_keys.as_deref().unwrap_or(Path::new(""));
            say(
                err,
                format_args!("check: --trusted-keys {}: {e}", file.display()),
            );
            return exit::NOTHING_WRITTEN;
        }
    };
    let mut all_passed = true;
    for path in &args.logs {
        let (line, passed) = line(path, trusted.as_ref());
        all_passed &= passed;
        say(out, format_args!("{}: {line}", path.display()));
    }
    if all_passed { exit::OK } else { exit::PROBLEMS }
}
