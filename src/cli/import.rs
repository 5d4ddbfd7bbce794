//! `infusion-vitals import INPUT -o LOG`: a readings CSV into a sealed session log.

use crate::alerts::Profile;
use crate::cli::exit;
use crate::clock::{Clock, format_time};
use crate::import::readings_csv;
use crate::import::session::{ImportOptions, import_session};
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
    let profile = match Profile::load(args.profile) {
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
        Err(nothing) => {
            for p in &nothing.rejected {
                let _ = writeln!(err, "{input}:{}: {}", p.line, p.problem);
            }
            return fail(err, nothing.to_string());
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
    let (low, medium, high) = report.alerts_raised();
    let state = report.session.state();
    let span = match (state.opened_at, state.closed_at) {
        (Some(a), Some(b)) => format!("{} to {}", format_time(&a), format_time(&b)),
        _ => String::new(),
    };
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
    let _ = writeln!(out, "readings span {span}");
    let _ = writeln!(
        out,
        "alerts raised: {high} high, {medium} medium, {low} low"
    );
    for message in report.alert_messages() {
        let _ = writeln!(out, "  {message}");
    }
    let _ = writeln!(
        out,
        "sealed session log written to {}",
        args.output.display()
    );
    if report.rejected.is_empty() {
        exit::OK
    } else {
        exit::PROBLEMS
    }
}
