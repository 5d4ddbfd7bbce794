//! `infusion-vitals check LOG...`: is each log intact (structure and seal)?

use crate::cli::exit;
use crate::clock::format_time;
use crate::log::read::fold_sealed;
use crate::log::{LogError, read_log};
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

/// What `check` found in one file.
pub fn check_file(path: &Path) -> Result<String, LogError> {
    let log = read_log(BufReader::new(File::open(path)?))?;
    let state = fold_sealed(&log)?;
    let patient = state
        .info
        .as_ref()
        .map(|i| i.patient_id.as_str())
        .filter(|p| !p.is_empty())
        .unwrap_or("(no patient identifier)");
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
        // Text from the file must not be able to fake a line of this report.
        patient.escape_debug(),
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
            format!("NOT INTACT: {}", e.to_string().escape_debug())
        });
        let _ = writeln!(out, "{}: {line}", path.display());
    }
    if all_intact { exit::OK } else { exit::PROBLEMS }
}
