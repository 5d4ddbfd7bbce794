//! `infusion-vitals report LOG -o OUT.pdf`: the session's summary and trend plot as a PDF
//! for the record. A log that is not intact still gives a report, marked as such, of the
//! rows before the fault. Exit 0: written from an intact log; 1: written from a log that
//! is not intact; 2: nothing written.

use crate::cli::exit;
use crate::clock::Clock;
use crate::log::file::save_bytes;
use crate::report::{ReportInput, session_pdf};
use crate::review::{SealLine, review_log};
use crate::shown::say;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The sealed session log.
    #[arg(value_name = "LOG")]
    pub log: PathBuf,
    /// Where to write the PDF.
    #[arg(short = 'o', long = "output", value_name = "OUT.pdf")]
    pub output: PathBuf,
}

/// The report of the log at `path`, and whether its seal was intact.
pub fn report_bytes(path: &Path, clock: &dyn Clock) -> Result<(Vec<u8>, bool), String> {
    let bytes = crate::log::file::read_log_file(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let log =
        review_log(&bytes).map_err(|why| format!("{} gives no report: {why}", path.display()))?;
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let input = ReportInput {
        log: &log,
        source: &source,
        generated_at: clock.now(),
    };
    let intact = matches!(log.seal, SealLine::Intact { .. });
    Ok((session_pdf(&input), intact))
}

pub fn run(args: &ReportArgs, clock: &dyn Clock, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if crate::log::file::is_a_log(&args.output) {
        say(
            err,
            format_args!(
                "report: {} is a session log, which a report never replaces; name another file",
                args.output.display()
            ),
        );
        return exit::NOTHING_WRITTEN;
    }
    let (pdf, intact) = match report_bytes(&args.log, clock) {
        Ok(made) => made,
        Err(message) => {
            say(err, format_args!("report: {message}"));
            return exit::NOTHING_WRITTEN;
        }
    };
    // Written whole or not at all (a temporary file beside it, synced, then renamed): an
    // older report at the path is never left cut short or empty.
    if let Err(e) = save_bytes(&args.output, &pdf) {
        say(
            err,
            format_args!("report: cannot write {}: {e}", args.output.display()),
        );
        return exit::NOTHING_WRITTEN;
    }
    say(
        out,
        format_args!("report written to {}", args.output.display()),
    );
    if intact {
        exit::OK
    } else {
        say(
            err,
            format_args!(
                "report: {} is not intact; the report says so and shows only the rows before the fault",
                args.log.display()
            ),
        );
        exit::PROBLEMS
    }
}
