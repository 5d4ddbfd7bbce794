//! `infusion-vitals audit DIR... [--json|--csv] [--profile NAME]`: every `.csv` below
//! the folders, checked for integrity and protocol. Exit 0 when every file passed, 1
//! when some did not, 2 when the audit could not run.

use crate::audit::file::Profiles;
use crate::audit::report::{Format, Report, Totals};
use crate::audit::trusted::TrustedKeys;
use crate::audit::walk::{audit_folders, workers};
use crate::cli::exit;
use crate::profiles;
use crate::shown::say;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Folders (searched with their sub-folders) or files.
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// One JSON array, one object per file.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// A CSV table, one row per file.
    #[arg(long)]
    pub csv: bool,
    /// Check every session against this profile (a built-in name or a .toml file)
    /// instead of the one each log records.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The public keys trusted to sign logs, one a line with a name (`ed25519:HEX NAME`,
    /// as `infusion-vitals key` prints it; `#` starts a comment): a log signed by another
    /// key is `untrusted`, an unsigned one `unsigned`, and neither passes.
    #[arg(long, value_name = "FILE")]
    pub trusted_keys: Option<PathBuf>,
}

pub fn run(args: &AuditArgs, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let could_not = |err: &mut dyn Write, message: String| {
        say(err, format_args!("audit: {message}"));
        exit::NOTHING_WRITTEN
    };
    if let Some(missing) = args.dirs.iter().find(|d| !d.exists()) {
        return could_not(err, format!("{} does not exist", missing.display()));
    }
    let profiles = match &args.profile {
        None => Profiles::as_recorded().naming_another_with("give it with --profile"),
        Some(name) => match profiles::load(name) {
            Ok(p) => Profiles::chosen(p),
            Err(e) => return could_not(err, format!("--profile: {e}")),
        },
    };
    let profiles = match &args.trusted_keys {
        None => profiles,
        Some(file) => match TrustedKeys::load(file) {
            Ok(keys) => profiles.trusting(keys),
            Err(e) => return could_not(err, format!("--trusted-keys {}: {e}", file.display())),
        },
    };
    let format = match (args.json, args.csv) {
        (true, _) => Format::Json,
        (_, true) => Format::Csv,
        _ => Format::Table,
    };
    let mut totals = Totals::default();
    // Written in blocks, not a system call per field; flushed at the end.
    let mut out = std::io::BufWriter::with_capacity(64 << 10, out);
    let written = Report::start(format, &mut out).and_then(|mut report| {
        let mut failed = Ok(());
        // A report that cannot be written (a closed pipe) ends the audit there.
        let stop = AtomicBool::new(false);
        audit_folders(&args.dirs, &profiles, workers(), &stop, |audit| {
            totals.add(&audit);
            if failed.is_ok() {
                failed = report.file(&audit);
                stop.store(failed.is_err(), Ordering::Relaxed);
            }
        });
        failed?;
        report.finish(&totals)
    });
    if let Err(e) = written {
        return could_not(err, format!("cannot write the report: {e}"));
    }
    if totals.files == 0 {
        let dirs: Vec<String> = args.dirs.iter().map(|d| d.display().to_string()).collect();
        return could_not(err, format!("no .csv file under {}", dirs.join(", ")));
    }
    if totals.passed == totals.files {
        exit::OK
    } else {
        exit::PROBLEMS
    }
}
