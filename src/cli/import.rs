//! `infusion-vitals import INPUT -o LOG`: a readings CSV into a sealed session log.

use crate::cli::{exit, profile};
use crate::clock::{Clock, format_time};
use crate::import::readings_csv;
use crate::import::session::{ImportOptions, ImportReport, import_session};
use crate::import::times::Zone;
use crate::log::file::save_log;
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::Path;

pub struct ImportArgs<'a> {
    pub input: &'a Path,
    pub output: &'a Path,
    pub patient: Option<&'a str>,
    pub nurse: Option<&'a str>,
    pub profile: &'a str,
    pub tz: Option<&'a str>,
}

/// Runs the import; problems go to `err` as `INPUT:LINE: field value: reason (range)`,
/// the summary to `out`.
pub fn run(args: &ImportArgs, clock: &dyn Clock, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let input = args.input.display().to_string();
    let fail = |err: &mut dyn Write, message: String| {
        let _ = writeln!(err, "{input}: {message}\nnothing was written.");
        exit::NOTHING_WRITTEN
    };
    if same_file(args.input, args.output) {
        let message = format!(
            "-o {} is the input itself; name another file for the session log",
            args.output.display()
        );
        return fail(err, message);
    }
    let profile = match profile::load(args.profile) {
        Ok(p) => p,
        Err(e) => return fail(err, e.to_string()),
    };
    let zone = match args.tz.map(str::parse::<Zone>).transpose() {
        Ok(z) => z,
        Err(e) => return fail(err, format!("--tz {e}")),
    };
    let file = match File::open(args.input) {
        Ok(f) => f,
        Err(e) => return fail(err, format!("cannot open: {e}")),
    };
    let parsed = match readings_csv::parse(BufReader::new(file), &profile.validation, zone) {
        Ok(p) => p,
        Err(e) => return fail(err, e.to_string()),
    };
    let options = ImportOptions {
        file_label: args
            .input
            .file_name()
            .map_or(input.clone(), |n| n.to_string_lossy().into_owned()),
        patient_id: args.patient.unwrap_or_default().to_string(),
        by: args.nurse.unwrap_or("unknown").to_string(),
        profile,
    };
    let report = match import_session(parsed, options, clock) {
        Ok(r) => r,
        Err(failure) => {
            for p in failure.rejected() {
                let _ = writeln!(err, "{input}:{}: {}", p.line, p.problem);
            }
            return fail(err, failure.to_string());
        }
    };
    for p in &report.rejected {
        let _ = writeln!(err, "{input}:{}: {}", p.line, p.problem);
    }
    for p in &report.unconfirmed {
        let _ = writeln!(
            err,
            "{input}:{}: warning: {} (kept, marked unconfirmed)",
            p.line, p.problem
        );
    }
    if let Err(e) = save_log(args.output, report.session.events(), &clock.now()) {
        return fail(err, format!("cannot write {}: {e}", args.output.display()));
    }
    summarise(&input, &report, args.output, out);
    if report.rejected.is_empty() {
        exit::OK
    } else {
        exit::PROBLEMS
    }
}

fn summarise(input: &str, report: &ImportReport, output: &Path, out: &mut dyn Write) {
    let state = report.session.state();
    let _ = writeln!(
        out,
        "{input}: {} rows read, {} readings written, {} values or rows rejected, {} warnings kept unconfirmed, {} rows without values",
        report.rows_read,
        report.readings_written,
        report.rejected.len(),
        report.unconfirmed.len(),
        report.empty_rows.len()
    );
    if !report.ignored_columns.is_empty() {
        let _ = writeln!(
            out,
            "columns ignored: {}",
            report.ignored_columns.join(", ")
        );
    }
    if let (Some(from), Some(to)) = (state.opened_at, state.closed_at) {
        let _ = writeln!(
            out,
            "readings span {} to {}",
            format_time(&from),
            format_time(&to)
        );
    }
    let (low, medium, high) = report.alerts_by_priority();
    let _ = writeln!(
        out,
        "alerts: {} ({high} reached high, {medium} medium, {low} low)",
        low + medium + high
    );
    for message in report.alert_messages() {
        let _ = writeln!(out, "  {message}");
    }
    let _ = writeln!(out, "sealed session log written to {}", output.display());
}

/// Whether two paths name one existing file (so writing one would destroy the other).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
