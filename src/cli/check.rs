//! `infusion-vitals check LOG...`: is each log intact (structure and seal)?

use crate::cli::exit;
use crate::clock::format_time;
use crate::log::{LogError, read_log};
use crate::session::SessionState;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

/// What `check` found in one file.
pub fn check_file(path: &Path) -> Result<String, LogError> {
    let log = read_log(BufReader::new(File::open(path)?))?;
    let state = SessionState::fold(&log.events).map_err(|e| {
        // Spreadsheet row: the header is row 1, the first event row 2.
        let index = e
            .seq()
            .and_then(|seq| log.events.iter().position(|ev| ev.seq == seq));
        LogError::Invalid {
            row: index.map_or(0, |i| i as u64 + 2),
            reason: e.to_string(),
        }
    })?;
    let patient = state
        .info
        .as_ref()
        .map(|i| i.patient_id.as_str())
        .filter(|p| !p.is_empty())
        .unwrap_or("(no patient identifier)");
    Ok(format!(
        "intact: {} events, {} readings, patient {}, sealed {}, seal sha256 {}",
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
