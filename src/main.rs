//! Command-line parsing and dispatch: no logic lives here.

use clap::{Parser, Subcommand};
use infusion_vitals::clock::SystemClock;
use infusion_vitals::{cli, ui};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "infusion-vitals",
    version,
    about = "Vital signs at the chair during IV ketamine infusion",
    long_about = "Without a command, opens the window."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Open the window on a simulated patient with an accelerated clock.
    #[arg(long)]
    demo: bool,
    /// Where sessions and the key that signs logs are kept (default: the platform's data
    /// directory). The demo's own journal goes to DIR/demo, or without this option to a
    /// temporary folder.
    #[arg(long, value_name = "DIR", global = true)]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Read a readings CSV (a monitor's export, a spreadsheet...), validate every value,
    /// run the alert engine, and write a sealed session log.
    Import(Box<cli::import::ImportArgs>),
    /// Verify session logs (structure and seal); one line per file.
    Check(cli::check::CheckArgs),
    /// Open the window on a sealed session log, for review.
    Open {
        #[arg(value_name = "LOG")]
        log: PathBuf,
    },
    /// Check every .csv below the folders: which are intact session logs, which were
    /// altered or are not logs, and where the protocol was not followed.
    Audit(cli::audit::AuditArgs),
    /// Write a session's summary and trend plot as a PDF for the record.
    Report(cli::report::ReportArgs),
    /// Record a session from a patient monitor without a window: HL7 v2 ORU^R01 over
    /// MLLP (IHE PCD-01), each message acknowledged once on disk; SIGINT or SIGTERM
    /// closes the session and seals the log.
    Capture(cli::capture::CaptureArgs),
    /// Write an intact session log for the record system: `--fhir`, a FHIR R4 Bundle
    /// (JSON), the one format for now. An altered or invalid log is refused.
    Export(cli::export::ExportArgs),
    /// Print this installation's public key (made at first use), which signs every log
    /// it seals, as a line for an `audit --trusted-keys` file.
    Key,
    /// Write every session journal in the data directory as a sealed session log,
    /// finished or not (after a crash, or to hand over unfinished sessions).
    Recover {
        /// Where to write the logs.
        #[arg(short = 'o', long = "output", value_name = "OUTDIR")]
        output: PathBuf,
    },
}

fn main() {
    let cli = Cli::parse();
    // The program's own faults go to the data folder (no patient data); without one (no
    // home directory) they go nowhere, as before.
    if let Some(data) = infusion_vitals::data_dir::resolve(cli.data_dir.as_deref()) {
        let _ = infusion_vitals::fault_log::install(&data);
    }
    let mut out = std::io::stdout();
    let Some(command) = &cli.command else {
        std::process::exit(window(cli.demo, cli.data_dir.as_deref(), None));
    };
    let code = match command {
        Command::Import(args) => {
            let mut err = std::io::stderr();
            match cli::key::installation(cli.data_dir.as_deref(), &mut err) {
                Ok(key) => cli::import::run(args, &SystemClock, &key, &mut out, &mut err),
                Err(code) => code,
            }
        }
        Command::Key => cli::key::run(cli.data_dir.as_deref(), &mut out, &mut std::io::stderr()),
        Command::Check(args) => cli::check::run(args, &mut out, &mut std::io::stderr()),
        Command::Open { log } => window(false, cli.data_dir.as_deref(), Some(log)),
        Command::Audit(args) => cli::audit::run(args, &mut out, &mut std::io::stderr()),
        Command::Report(args) => {
            cli::report::run(args, &SystemClock, &mut out, &mut std::io::stderr())
        }
        Command::Capture(args) => {
            let mut err = std::io::stderr();
            let data = infusion_vitals::data_dir::resolve(cli.data_dir.as_deref());
            match (
                data,
                cli::key::installation(cli.data_dir.as_deref(), &mut err),
            ) {
                (Some(data), Ok(key)) => {
                    cli::capture::run(args, &data, &key, &SystemClock, &mut out, &mut err)
                }
                (_, Err(code)) => code,
                (None, Ok(_)) => cli::exit::NOTHING_WRITTEN,
            }
        }
        Command::Export(args) => cli::export::run(args, &mut out, &mut std::io::stderr()),
        Command::Recover { output } => {
            match infusion_vitals::data_dir::resolve(cli.data_dir.as_deref()) {
                Some(data) => cli::recover::run(&data, output, &SystemClock, &mut out),
                None => {
                    eprintln!(
                        "no data directory could be found on this system; give one with --data-dir DIR"
                    );
                    cli::exit::NOTHING_WRITTEN
                }
            }
        }
    };
    std::process::exit(code);
}

fn window(demo: bool, data_dir: Option<&std::path::Path>, log: Option<&std::path::Path>) -> i32 {
    let Some(data) = infusion_vitals::data_dir::resolve(data_dir) else {
        eprintln!("no data directory could be found on this system; give one with --data-dir DIR");
        return cli::exit::NOTHING_WRITTEN;
    };
    let app = if demo {
        // Real sessions started from the demo (Next patient) go with the others; the
        // demo's own journal is kept apart (in DIR/demo with --data-dir, else temporary).
        ui::App::demo(&data, data_dir.map(|d| d.join("demo")).as_deref())
    } else {
        ui::App::new(&data, None, std::sync::Arc::new(SystemClock))
    };
    let app = match log {
        Some(log) => app.reviewing(log),
        None => app,
    };
    match ui::run(app) {
        Ok(()) => cli::exit::OK,
        Err(e) => {
            eprintln!("the window could not open: {e}");
            cli::exit::NOTHING_WRITTEN
        }
    }
}

/// mimalloc: a long import makes its events on one thread and frees them on another,
/// where it is markedly faster than the system's allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
