//! `infusion-vitals check LOG...`: is each log intact (structure and seal), and does it
//! hold what the program writes (`log::content`)?

use crate::alerts::Profile;
use crate::cli::exit;
use crate::clock::format_time;
use crate::log::LogError;
use crate::log::content::check_content;
use crate::log::file::{LARGEST_LOG, read_regular};
use crate::log::read::{fold_sealed, read_log_bytes};
use crate::shown::{excerpt, say};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What `check` found in one file.
pub fn check_file(path: &Path) -> Result<String, LogError> {
    // Refused before it is opened: a pipe would wait forever, a 2 GiB file fill memory.
    let log = read_log_bytes(&read_regular(path, Some(LARGEST_LOG))?)?;
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
    // The fingerprint says which installation sealed it; whether that one is trusted is
    // for `audit --trusted-keys` to say.
    let signed = log.signed_by.map_or_else(
        || "unsigned".to_string(),
        |key| format!("signed by key {}", key.fingerprint()),
    );
    Ok(format!(
        "intact: {} events, {} readings, patient {}, sealed {}, seal sha256 {}, {signed}",
        log.events.len(),
        state.readings.len(),
        // Text from the file cannot fake a line of this report: `say` prints it on one.
        patient,
        format_time(&log.sealed_at),
        log.seal_sha256
    ))
}

/// Prints one line per file; exit 0 only when every file is intact.
pub fn run(logs: &[PathBuf], out: &mut dyn Write) -> i32 {
    let mut all_intact = true;
    for path in logs {
        let line = check_file(path).unwrap_or_else(|e| {
            all_intact = false;
            format!("NOT INTACT: {e}")
        });
        say(out, format_args!("{}: {line}", path.display()));
    }
    if all_intact { exit::OK } else { exit::PROBLEMS }
}
