//! `infusion-vitals import INPUT -o LOG`: any vendor's readings CSV into a sealed session log.

use crate::cli::exit;
use crate::clock::Clock;
use crate::commands::EventStore;
use crate::import::columns::ColumnTable;
use crate::import::columns::Role;
use crate::import::plan::{Answers, Wording, patient_column_name};
use crate::import::session::{ImportOptions, ImportReport};
use crate::import::summary;
use crate::import::times::{DateOrder, OffsetUnit, Zone, start_time};
use crate::import::{Opened, Plan, import_opened};
use crate::log::file::{LARGEST_LOG, read_regular};
use crate::log::seal::SealKey;
use crate::log::stream::LogStream;
use crate::profiles;
use crate::shown::say;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Debug, clap::Args)]
pub struct ImportArgs {
    /// The readings CSV: a monitor's export, a spreadsheet, or the simple
    /// time,systolic,diastolic,heart_rate,spo2 form.
    pub input: PathBuf,
    /// Where to write the sealed session log.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "LOG",
        required_unless_present = "split_patients"
    )]
    pub output: Option<PathBuf>,
    /// Patient identifier or pseudonym (no names). Without it, a file's own patient
    /// identifier (--select-patient, --split-patients) is the session's.
    #[arg(long, value_name = "ID")]
    pub patient: Option<String>,
    /// Of a file whose rows name several patients, import this one's rows (by the
    /// identifier in the file's patient column).
    #[arg(long, value_name = "ID", conflicts_with = "split_patients")]
    pub select_patient: Option<String>,
    /// Of a file whose rows name several patients, write one sealed log per patient
    /// into DIR, named by the patient's identifier.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub split_patients: Option<PathBuf>,
    /// Who is importing.
    #[arg(long, value_name = "ID")]
    pub nurse: Option<String>,
    /// Threshold profile: a built-in name or the path of a .toml file.
    #[arg(long, value_name = "NAME", default_value = crate::alerts::profile::DEFAULT_PROFILE)]
    pub profile: String,
    /// Zone for times written without an offset: IANA name (Europe/Berlin) or offset (+01:00).
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Which of day and month comes first in dates such as 05/03/2018, when no row says.
    #[arg(long, value_name = "dmy|mdy|ymd")]
    pub date_order: Option<String>,
    /// When the recording began, for files that count seconds since the start.
    #[arg(long, value_name = "TIME")]
    pub start: Option<String>,
    /// The time column to use, by its name in the header: any column whose cells are times.
    #[arg(long, value_name = "NAME")]
    pub time_column: Option<String>,
    /// The unit of a column counting time since the start, when its header does not say.
    #[arg(long, value_name = "s|min|ms")]
    pub offset_unit: Option<String>,
    /// Read a column as a vital, by its name in the header; repeat for more. VITAL is
    /// one of spo2, heart-rate, pulse-rate, ecg-heart-rate, systolic, diastolic, bp
    /// (a 120/80 cell), arterial-systolic, arterial-diastolic, resp-rate
    #[arg(long = "column", value_name = "VITAL=NAME")]
    pub columns: Vec<String>,
}

/// Runs the import; problems go to `err` as `INPUT:LINE: field value: reason (range)`,
/// the summary to `out`. With `--split-patients`, one import per patient, the worst exit
/// code of them. Every log's seal is signed with `key`.
pub fn run(
    args: &ImportArgs,
    clock: &dyn Clock,
    key: &Arc<SealKey>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let input = args.input.display().to_string();
    let fail = |err: &mut dyn Write, message: String| {
        say(err, format_args!("{input}: {message}"));
        say(err, format_args!("nothing was written."));
        exit::NOTHING_WRITTEN
    };
    if let Some(output) = &args.output
        && same_file(&args.input, output)
    {
        let message = format!(
            "-o {} is the input itself; name another file for the session log",
            output.display()
        );
        return fail(err, message);
    }
    let profile = match profiles::load(&args.profile) {
        Ok(p) => p,
        Err(e) => return fail(err, format!("--profile: {e}")),
    };
    let answers = match answers(args) {
        Ok(a) => a,
        Err(e) => return fail(err, e),
    };
    // A readings file past 1 GiB is no export of a session (a 24-hour 1-Hz one is 16 MB),
    // and reading it whole would take the machine's memory: refused unread.
    let bytes = match read_regular(&args.input, Some(LARGEST_LOG)) {
        Ok(b) => b,
        Err(e) => return fail(err, format!("cannot open: {e}")),
    };
    let table = ColumnTable::built_in().with_columns(&answers.columns);
    let opened = match Opened::new(bytes, table) {
        Ok(o) => o,
        Err(refused) => return fail(err, refused.to_string()),
    };
    let file_label = args
        .input
        .file_name()
        .map_or(input.clone(), |n| n.to_string_lossy().into_owned());
    let one = |answers: &Answers,
               output: &Path,
               patient: Option<&str>,
               out: &mut dyn Write,
               err: &mut dyn Write| {
        let options = ImportOptions {
            file_label: file_label.clone(),
            patient_id: args
                .patient
                .as_deref()
                .or(patient)
                .unwrap_or_default()
                .to_string(),
            by: args.nurse.clone().unwrap_or_else(|| "unknown".into()),
            profile: profile.clone(),
        };
        import_one(
            &input, &opened, answers, options, output, key, clock, out, err,
        )
    };
    let Some(dir) = &args.split_patients else {
        let output = args
            .output
            .as_deref()
            .expect("clap requires -o without --split-patients");
        return one(&answers, output, answers.patient.as_deref(), out, err);
    };
    let Some((column, ids)) = opened.survey.patients() else {
        return fail(
            err,
            "--split-patients: no column of the file names patients (such as subject_id, patient_id, stay_id, MRN)".into(),
        );
    };
    let names = log_names(&ids);
    if let Some(taken) = names.iter().find(|n| dir.join(n).exists()) {
        return fail(
            err,
            format!(
                "--split-patients: {} already holds {taken}; name an empty folder (no log is replaced)",
                dir.display()
            ),
        );
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        return fail(
            err,
            format!("--split-patients: cannot make {}: {e}", dir.display()),
        );
    }
    say(
        out,
        format_args!(
            "{input}: {} patients in {}, one log each in {}",
            ids.len(),
            patient_column_name(&opened.layout, column),
            dir.display()
        ),
    );
    let codes: Vec<i32> = ids
        .iter()
        .zip(&names)
        .map(|((id, _), name)| {
            let answers = Answers {
                patient: Some(id.clone()),
                ..answers.clone()
            };
            one(&answers, &dir.join(name), Some(id), out, err)
        })
        .collect();
    let blank = opened
        .survey
        .ids
        .get(&column)
        .and_then(|values| values.get(""))
        .map_or(0, |(rows, _)| *rows);
    if blank > 0 {
        say(
            err,
            format_args!("{input}: {blank} rows have no patient identifier and went to no log"),
        );
    }
    // Nothing written only when no log was; otherwise whatever went wrong is a 1.
    if codes.iter().all(|c| *c == exit::NOTHING_WRITTEN) {
        exit::NOTHING_WRITTEN
    } else if blank > 0 || codes.iter().any(|c| *c != exit::OK) {
        exit::PROBLEMS
    } else {
        exit::OK
    }
}

/// Each patient's log file name: `patient-ID.log.csv`, the identifier's letters, digits,
/// `.`, `-` and `_` kept and anything else (a path separator, a space) made `_`; where two
/// identifiers give one name (`a/b`, `a?b`), the later ones get `-2`, `-3`... so that no
/// log replaces another.
fn log_names(ids: &[(String, usize)]) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(ids.len());
    for (id, _) in ids {
        let safe: String = id
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        // Never a hidden file or a parent directory.
        let stem = format!("patient-{}", safe.trim_start_matches('.'));
        let mut name = format!("{stem}.log.csv");
        let mut n = 1;
        while names.contains(&name) {
            n += 1;
            name = format!("{stem}-{n}.log.csv");
        }
        names.push(name);
    }
    names
}

/// One import of an opened file into the sealed log `output`.
#[allow(clippy::too_many_arguments)]
fn import_one(
    input: &str,
    opened: &Opened,
    answers: &Answers,
    options: ImportOptions,
    output: &Path,
    key: &Arc<SealKey>,
    clock: &dyn Clock,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let fail = |err: &mut dyn Write, message: String| {
        say(err, format_args!("{input}: {message}"));
        say(err, format_args!("nothing was written."));
        exit::NOTHING_WRITTEN
    };
    let plan = match opened.plan(answers) {
        Ok(p) => p,
        Err(refused) => return fail(err, refused.to_string()),
    };
    let delay_s = options.profile.stream.condition_delay_s;
    let (stream, store) = match LogStream::create(output, key.clone()) {
        Ok(s) => s,
        Err(e) => return fail(err, format!("cannot write {}: {e}", output.display())),
    };
    let progress = &mut |_, _| {};
    let store = Some(Box::new(store) as Box<dyn EventStore + Send>);
    let report = match import_opened(opened, &plan, options, clock, progress, store) {
        Ok(r) => r,
        Err(failure) => {
            for p in failure.rejected() {
                say(err, format_args!("{input}:{}: {}", p.line, p.problem));
            }
            return fail(err, failure.to_string());
        }
    };
    for p in &report.tally.rejected {
        say(err, format_args!("{input}:{}: {}", p.line, p.problem));
    }
    for p in &report.tally.unconfirmed {
        say(
            err,
            format_args!(
                "{input}:{}: warning: {} (kept, marked unconfirmed)",
                p.line, p.problem
            ),
        );
    }
    if let Err(e) = stream.finish(&clock.now()) {
        return fail(err, format!("cannot write {}: {e}", output.display()));
    }
    summarise(input, opened, &plan, &report, delay_s, output, out);
    // A warning about the columns (half a blood pressure, a vital left unread) is no
    // clean import either.
    let code = if report.tally.rejected.is_empty() && plan.cautions.is_empty() {
        exit::OK
    } else {
        exit::PROBLEMS
    };
    // The process ends now: freeing a long session event by event would only delay it.
    std::mem::forget(report);
    code
}

/// The flags as answers to the file's questions; a malformed flag is an error here.
fn answers(args: &ImportArgs) -> Result<Answers, String> {
    let zone = parsed::<Zone>(args.tz.as_deref(), "--tz")?;
    let date_order = parsed::<DateOrder>(args.date_order.as_deref(), "--date-order")?;
    let start = args
        .start
        .as_deref()
        .map(|s| start_time(s, zone, Wording::Flags))
        .transpose()?;
    let offset_unit = parsed::<OffsetUnit>(args.offset_unit.as_deref(), "--offset-unit")?;
    Ok(Answers {
        date_order,
        zone,
        start,
        offset_unit,
        time_column: args.time_column.clone(),
        patient: args.select_patient.clone(),
        vitals: None,
        columns: args
            .columns
            .iter()
            .map(|given| column(given))
            .collect::<Result<_, _>>()?,
        // Read by name: a clinic names its own score columns in its profile's scales
        // (`import_names`).
        scores: Vec::new(),
        wording: Wording::Flags,
    })
}

/// One `--column VITAL=NAME`.
fn column(given: &str) -> Result<(Role, String), String> {
    let (key, name) = given.split_once('=').ok_or_else(|| {
        format!("--column '{given}' is not VITAL=NAME (e.g. spo2=\"Oxygen Level\")")
    })?;
    let role = Role::from_key(key).map_err(|e| format!("--column {e}"))?;
    Ok((role, name.trim().to_string()))
}

/// A flag's value, if given, read as a `T`; what is wrong with it is said after the flag
/// (`--tz 'Mars/Base' is not a zone ...`).
fn parsed<T: std::str::FromStr>(value: Option<&str>, flag: &str) -> Result<Option<T>, String>
where
    T::Err: std::fmt::Display,
{
    value
        .map(str::parse::<T>)
        .transpose()
        .map_err(|e| format!("{flag} {e}"))
}

fn summarise(
    input: &str,
    opened: &Opened,
    plan: &Plan,
    report: &ImportReport,
    delay_s: u32,
    output: &Path,
    out: &mut dyn Write,
) {
    let mut lines = summary::lines(opened, plan, &report.tally, delay_s).into_iter();
    if let Some(first) = lines.next() {
        say(out, format_args!("{input}: {first}"));
    }
    for line in lines {
        say(out, format_args!("{line}"));
    }
    let (low, medium, high) = report.alerts_by_priority();
    say(
        out,
        format_args!(
            "alerts: {} ({high} reached high, {medium} medium, {low} low)",
            low + medium + high
        ),
    );
    for message in report.alert_messages() {
        say(out, format_args!("  {message}"));
    }
    say(
        out,
        format_args!("sealed session log written to {}", output.display()),
    );
}

/// Whether two paths name one existing file (so writing one would destroy the other).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
