//! The program's own faults, for whoever looks after the computer: warnings and errors
//! logged through the `log` facade (eframe, wgpu and winit log there already) and any
//! panic with its backtrace, written to `DATA/logs/infusion-vitals.log`. Small and
//! rotated: past [`MAX_BYTES`] the file becomes `infusion-vitals.log.1` (the one before is
//! dropped), so it never grows past twice that. It holds no patient data by design: this
//! program logs no readings or identifiers, and a panic's message is the code's own text.
//!
//! A sink of our own rather than `flexi_logger` or `log4rs`: one file, one level and one
//! rotation rule are forty lines, where those crates bring configuration languages,
//! colour and regular expressions into a program that must stay small to audit.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file's size past which it is rotated: a few thousand lines of faults.
pub const MAX_BYTES: u64 = 512 * 1024;

/// The fault log's path in a data directory.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join("logs").join("infusion-vitals.log")
}

struct FaultLog {
    path: PathBuf,
    file: Mutex<Option<File>>,
}

impl FaultLog {
    /// Appends one entry, rotating first when the file is full. A fault log that cannot
    /// be written must not stop the program: errors are dropped.
    fn write(&self, entry: &str) {
        let Ok(mut file) = self.file.lock() else {
            return;
        };
        let full = file
            .as_ref()
            .and_then(|f| f.metadata().ok())
            .is_some_and(|m| m.len() > MAX_BYTES);
        if full || file.is_none() {
            if full {
                let _ = fs::rename(&self.path, self.path.with_extension("log.1"));
            }
            // Made at the first fault, so that a run without one leaves no trace.
            if let Some(folder) = self.path.parent() {
                let _ = fs::create_dir_all(folder);
            }
            *file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .ok();
        }
        if let Some(f) = file.as_mut() {
            let _ = f.write_all(entry.as_bytes());
            let _ = f.sync_data();
        }
    }
}

impl ::log::Log for FaultLog {
    fn enabled(&self, metadata: &::log::Metadata) -> bool {
        metadata.level() <= ::log::Level::Warn
    }

    fn log(&self, record: &::log::Record) {
        if self.enabled(record.metadata()) {
            self.write(&format!(
                "{} {} {}: {}\n",
                chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                record.level(),
                record.target(),
                record.args()
            ));
        }
    }

    fn flush(&self) {}
}

/// Starts the fault log in `data_dir` (its `logs` folder made at the first fault) and a
/// panic hook that writes the panic and its backtrace there, then tells the user on
/// stderr where the file is and that what was saved can be recovered. Returns the file's
/// path.
///
/// # Errors
/// A logger is already installed (this process called it before).
pub fn install(data_dir: &Path) -> std::io::Result<PathBuf> {
    let path = path_in(data_dir);
    let sink: &'static FaultLog = Box::leak(Box::new(FaultLog {
        path: path.clone(),
        file: Mutex::new(None),
    }));
    ::log::set_logger(sink).map_err(|e| std::io::Error::other(e.to_string()))?;
    ::log::set_max_level(::log::LevelFilter::Warn);
    let shown = path.clone();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        sink.write(&format!(
            "{} PANIC {info}\n{}\n",
            chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            std::backtrace::Backtrace::force_capture()
        ));
        eprintln!(
            "Infusion Vitals stopped on a fault of its own; what happened is written to {}. \
             Every reading shown as saved is in the session's journal: start the program \
             again to resume, or run `infusion-vitals recover`.",
            shown.display()
        );
        previous(info);
    }));
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_log_is_rotated_and_never_grows_past_twice_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let log = FaultLog {
            path: path_in(dir.path()),
            file: Mutex::new(None),
        };
        let line = format!("{}\n", "x".repeat(1023));
        for _ in 0..(3 * MAX_BYTES / 1024) {
            log.write(&line);
        }
        let size = |p: &Path| fs::metadata(p).map_or(0, |m| m.len());
        let rotated = log.path.with_extension("log.1");
        assert!(rotated.exists());
        assert!(size(&log.path) + size(&rotated) <= 2 * MAX_BYTES + 2048);
    }
}
