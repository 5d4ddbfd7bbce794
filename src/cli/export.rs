//! `infusion-vitals export LOG --fhir -o BUNDLE.json`: an intact session log as a FHIR R4
//! `Bundle` for the record (`crate::fhir`; docs/fhir-export.md gives the mapping). Only an
//! intact log is exported: one altered, invalid or unreadable is refused with nothing
//! written. Exit 0: written; 2: nothing written.

use crate::cli::exit;
use crate::fhir::bundle_json;
use crate::log::file::save_bytes;
use crate::review::review_log;
use crate::shown::say;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// The sealed session log.
    #[arg(value_name = "LOG")]
    pub log: PathBuf,
    /// Write a FHIR R4 Bundle (JSON): the one format for now, so always given.
    #[arg(long, required = true)]
    pub fhir: bool,
    /// Where to write the bundle.
    #[arg(short = 'o', long = "output", value_name = "BUNDLE.json")]
    pub output: PathBuf,
}

/// The FHIR bundle of the intact log at `path`, as JSON, or why there is none.
pub fn fhir_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let bytes = crate::log::file::read_log_file(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let log = review_log(&bytes).map_err(|why| {
        format!(
            "{} is not a session log that can be exported: {why}",
            path.display()
        )
    })?;
    bundle_json(&log).map_err(|why| format!("{}: {why}", path.display()))
}

pub fn run(args: &ExportArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if crate::log::file::is_a_log(&args.output) {
        say(
            err,
            format_args!(
                "export: {} is a session log, which a bundle never replaces; name another file; nothing written",
                args.output.display()
            ),
        );
        return exit::NOTHING_WRITTEN;
    }
    let json = match fhir_bytes(&args.log) {
        Ok(json) => json,
        Err(message) => {
            say(err, format_args!("export: {message}; nothing written"));
            return exit::NOTHING_WRITTEN;
        }
    };
    // Written whole or not at all, as the report is.
    if let Err(e) = save_bytes(&args.output, &json) {
        say(
            err,
            format_args!("export: cannot write {}: {e}", args.output.display()),
        );
        return exit::NOTHING_WRITTEN;
    }
    say(
        out,
        format_args!("FHIR bundle written to {}", args.output.display()),
    );
    exit::OK
}
