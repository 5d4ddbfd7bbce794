//! The command line as a user runs it: exit codes, messages, and the files it writes.

mod common;

use infusion_vitals::session::EventKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The program, its platform data directory (where `import` keeps its signing key) in the
/// build's scratch folder rather than the user's.
fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infusion-vitals"));
    command.env("XDG_DATA_HOME", env!("CARGO_TARGET_TMPDIR"));
    command
}

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join(name)
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("the binary runs");
    (
        status.code().expect("exited normally"),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

fn import(input: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    run(bin()
        .arg("import")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(extra))
}

fn check(logs: &[&Path]) -> (i32, String, String) {
    run(bin().arg("check").args(logs))
}

#[test]
fn a_clean_file_imports_with_exit_0_and_a_log_that_checks() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("normal.log.csv");
    let (code, out, err) = import(
        &sample("normal-40min.csv"),
        &log,
        &["--patient", "P-1", "--nurse", "RN-1"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("10 readings written"), "{out}");
    let (code, out, _) = check(&[&log]);
    assert_eq!(code, 0);
    assert!(out.contains("intact"), "{out}");
}

#[test]
fn bad_rows_are_reported_by_line_and_everything_else_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("bad.log.csv");
    let input = sample("bad-rows.csv");
    let (code, out, err) = import(&input, &log, &[]);
    assert_eq!(code, 1, "{err}");
    let name = input.display().to_string();
    for expected in [
        format!("{name}:4: systolic 1200: "),
        format!("{name}:5: diastolic 128: "),
        format!("{name}:6: spo2 9: "),
        format!("{name}:7: heart_rate 7O: not a number (accepted 20-300 bpm)"),
        format!("{name}:10: time '2026-03-28T25:10:00+01:00': "),
    ] {
        assert!(err.contains(&expected), "stderr lacks {expected:?}:\n{err}");
    }
    assert!(
        err.contains("(accepted 40-300 mmHg)") && err.contains("(accepted 50-100 %)"),
        "{err}"
    );
    assert!(
        err.contains(&format!("{name}:8: warning: spo2 84")),
        "{err}"
    );
    // 13 data rows: one rejected whole (bad time), one with no values; 11 readings kept.
    assert!(out.contains("13 rows read, 11 readings written"), "{out}");
    let (code, _, _) = check(&[&log]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&log).unwrap();
    // Line 4 kept its diastolic, HR and SpO2; line 5 kept HR and SpO2.
    assert!(text.contains("import:bad-rows.csv:4"));
    assert!(text.contains("import:bad-rows.csv:5"));
    // The typo is not a value of the reading, but the log records that it was rejected.
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<_> = rows.records().map(Result::unwrap).collect();
    let line_4: Vec<_> = rows
        .iter()
        .filter(|r| &r[col("source")] == "import:bad-rows.csv:4")
        .collect();
    let reading = line_4
        .iter()
        .find(|r| &r[col("record")] == "reading")
        .unwrap();
    assert_eq!(&reading[col("systolic_mmhg")], "");
    assert_eq!(&reading[col("diastolic_mmhg")], "80");
    let rejected = line_4
        .iter()
        .find(|r| &r[col("record")] == "import")
        .unwrap();
    assert_eq!(&rejected[col("event")], "rejected");
    assert!(
        rejected[col("detail")].starts_with("systolic 1200: "),
        "{:?}",
        rejected
    );
    let rejections = rows
        .iter()
        .filter(|r| &r[col("event")] == "rejected")
        .count();
    assert_eq!(rejections, 5, "one row per rejected value or row");
    // The doubtful SpO2 84 is kept, marked unconfirmed, and it raised the high alert.
    assert!(text.contains(",84,") && text.contains("unusually low"));
    assert!(text.contains("spo2,low,high"));
}

#[test]
fn local_times_without_tz_are_refused_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("local.csv");
    std::fs::write(
        &input,
        "time,systolic,diastolic,heart_rate,spo2\n2026-03-14 09:00,120,80,70,98\n",
    )
    .unwrap();
    let log = dir.path().join("local.log.csv");
    let (code, _, err) = import(&input, &log, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("--tz"), "{err}");
    assert!(!log.exists(), "nothing is written");
    let (code, _, err) = import(&input, &log, &["--tz", "Europe/Berlin"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("2026-03-14T09:00:00+01:00")
    );
}

#[test]
fn a_local_time_that_happened_twice_is_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dst.csv");
    std::fs::write(
        &input,
        "time,systolic,diastolic,heart_rate,spo2\n2026-10-25 02:30,120,80,70,98\n2026-10-25 03:30,122,80,70,98\n",
    )
    .unwrap();
    let (code, _, err) = import(
        &input,
        &dir.path().join("dst.log.csv"),
        &["--tz", "Europe/Berlin"],
    );
    assert_eq!(code, 1);
    assert!(err.contains(":2: time") && err.contains("twice"), "{err}");
}

#[test]
fn unusable_input_writes_nothing_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("x.log.csv");
    let missing = dir.path().join("missing.csv");
    let (code, _, err) = import(&missing, &log, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot open"), "{err}");
    let no_time = dir.path().join("no-time.csv");
    std::fs::write(&no_time, "when,systolic\n1,120\n").unwrap();
    let (code, _, err) = import(&no_time, &log, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no column holds times (columns: when, systolic)")
            && err.contains("Add a column with each reading's date and time")
            // Advice that cannot work is never given: no column could be read.
            && !err.contains("--time-column"),
        "{err}"
    );
    let all_bad = dir.path().join("all-bad.csv");
    std::fs::write(&all_bad, "time,systolic\n2026-03-14T09:00:00+01:00,999\n").unwrap();
    let (code, _, err) = import(&all_bad, &log, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains(":2: systolic 999") && err.contains("nothing was written"),
        "{err}"
    );
    let (code, _, err) = import(
        &sample("normal-40min.csv"),
        &log,
        &["--profile", "no-such-profile"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("no-such-profile"), "{err}");
    assert!(!log.exists());
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, _) = run(bin().arg("import"));
    assert_eq!(code, 2);
    let (code, _, _) = run(bin().arg("check"));
    assert_eq!(code, 2);
}

#[test]
fn check_names_the_altered_row_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.log.csv");
    assert_eq!(import(&sample("hypertensive-rise.csv"), &good, &[]).0, 0);
    let text = std::fs::read_to_string(&good).unwrap();
    let bad = dir.path().join("bad.log.csv");
    std::fs::write(&bad, text.replacen(",186,", ",168,", 1)).unwrap();
    let missing = dir.path().join("missing.log.csv");
    let (code, out, _) = check(&[&good, &bad, &missing]);
    assert_eq!(code, 1);
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].ends_with("good.log.csv: intact") || lines[0].contains(": intact:"),
        "{out}"
    );
    assert!(lines[1].contains("NOT INTACT: altered at row"), "{out}");
    assert!(lines[2].contains("NOT INTACT: cannot read"), "{out}");
}

/// The logs in sample_data/ are what the importer makes of the inputs beside them.
#[test]
fn the_sample_logs_match_what_import_produces_today() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["normal-40min", "hypertensive-rise", "bad-rows"] {
        let committed = sample(&format!("{name}.log.csv"));
        assert_eq!(check(&[&committed]).0, 0, "{name}.log.csv is intact");
        let fresh = dir.path().join(format!("{name}.log.csv"));
        let args = ["--patient", &format!("DEMO-{name}"), "--nurse", "RN-DEMO"];
        import(&sample(&format!("{name}.csv")), &fresh, &args);
        let strip = |p: &Path| {
            let log = infusion_vitals::log::read_log(std::fs::File::open(p).unwrap()).unwrap();
            log.events
                .into_iter()
                .map(|e| {
                    // A rejection happens when the import runs, like the entry times.
                    let at = match e.kind {
                        EventKind::InputRejected { .. } => None,
                        _ => Some(e.at),
                    };
                    (e.seq, at, e.by, e.source, e.reason, e.kind)
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            strip(&committed),
            strip(&fresh),
            "{name}: regenerate with the command in sample_data/README.md"
        );
    }
}

#[test]
fn import_refuses_to_overwrite_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("readings.csv");
    std::fs::copy(sample("normal-40min.csv"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let (code, _, err) = import(&input, &input, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("is the input itself"), "{err}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn of_two_columns_for_one_vital_the_first_is_read_and_the_summary_names_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("dup.csv");
    std::fs::write(
        &input,
        "Time,Systolic,systolic,diastolic\n2026-03-14T09:00:00+01:00,121,180,80\n",
    )
    .unwrap();
    let (code, out, err) = import(&input, &dir.path().join("dup.log.csv"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("systolic (non-invasive) <- 'Systolic'")
            && out.contains("columns not used: 'systolic' (systolic (non-invasive), already read from another column)"),
        "{out}"
    );
}

#[test]
fn windows_1252_text_is_read_and_a_bad_value_rejects_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("latin1.csv");
    let mut bytes = b"time,systolic,diastolic,note\n2026-03-14T09:00:00+01:00,120,80,ok\n".to_vec();
    bytes.extend_from_slice(b"2026-03-14T09:05:00+01:00,12\xe9,80,naus\xe9e\n");
    std::fs::write(&input, bytes).unwrap();
    let log = dir.path().join("latin1.log.csv");
    let (code, out, err) = import(&input, &log, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(":3: systolic 12é: not a number"), "{err}");
    assert!(out.contains("2 readings written"), "{out}");
    assert!(out.contains("file: Windows-1252"), "{out}");
    assert!(out.contains("columns ignored (1): note"), "{out}");
}

#[test]
fn a_row_from_the_future_neither_opens_nor_closes_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("future.csv");
    std::fs::write(
        &input,
        "time,systolic,diastolic\n2026-03-14T09:00:00+01:00,120,80\n2026-03-14T09:10:00+01:00,122,80\n2099-01-01T00:00:00+01:00,121,80\n",
    )
    .unwrap();
    let log = dir.path().join("future.log.csv");
    let (code, out, err) = import(&input, &log, &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains(":4: time 2099-01-01T00:00:00+01:00: is in the future"),
        "{err}"
    );
    assert!(
        out.contains("readings span 2026-03-14T09:00:00+01:00 to 2026-03-14T09:10:00+01:00"),
        "{out}"
    );
    assert!(
        !std::fs::read_to_string(&log)
            .unwrap()
            .contains("2099-01-01T00:00:00+01:00,"),
        "no event happens in 2099"
    );
}

#[test]
fn a_header_without_rows_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("empty.csv");
    std::fs::write(&input, "time,systolic,diastolic,heart_rate,spo2\n").unwrap();
    let (code, _, err) = import(&input, &dir.path().join("e.log.csv"), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("has a header (line 1) but no rows"), "{err}");
}

// ---------------------------------------------------------------- hostile files and names (issue 15, items 6 and 7)

/// Runs `cmd`, killing it if it has not ended within 20 s: a command waiting on a pipe
/// must fail the test, not hang it.
fn run_bounded(cmd: &mut Command) -> (i32, String, String) {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if child.try_wait().unwrap().is_some() {
            let o = child.wait_with_output().unwrap();
            return (
                o.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&o.stdout).into_owned(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    panic!("the command still waits after 20 s");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.log.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (code, out, _) = run_bounded(bin().arg("check").arg(&fifo));
    assert_eq!(code, 1);
    assert!(out.contains("not a regular file"), "{out}");
    let (code, _, err) = run_bounded(
        bin()
            .arg("import")
            .arg(&fifo)
            .arg("-o")
            .arg(dir.path().join("x.log.csv")),
    );
    assert_eq!(code, 2);
    assert!(err.contains("not a regular file"), "{err}");
    let (code, _, err) = run_bounded(
        bin()
            .arg("report")
            .arg(&fifo)
            .arg("-o")
            .arg(dir.path().join("x.pdf")),
    );
    assert_ne!(code, 0);
    assert!(err.contains("not a regular file"), "{err}");
    // The audit lists it, unreadable, rather than leave it out.
    let (_, out, _) = run_bounded(bin().arg("audit").arg(dir.path()));
    assert!(
        out.contains("pipe.log.csv") && out.contains("unreadable"),
        "{out}"
    );
}

#[test]
fn recover_names_a_journal_that_is_a_folder() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("sessions/20260314-090000.journal.csv")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, _) = run_bounded(
        bin()
            .arg("recover")
            .arg("--data-dir")
            .arg(data.path())
            .arg("-o")
            .arg(out.path()),
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains(
            "20260314-090000.journal.csv: NOT RECOVERED: cannot read the file: it is a folder"
        ),
        "{stdout}"
    );
}

#[test]
fn a_file_name_or_a_cell_cannot_forge_a_line_or_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    // A name with a line break, that would print a fake "intact:" line below it.
    let forged = dir.path().join("x.csv\nintact: all fine.csv");
    std::fs::write(&forged, "not a log").unwrap();
    let (_, out, _) = run_bounded(bin().arg("check").arg(&forged));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("x.csv\\nintact: all fine.csv"), "{out}");
    // A file named as a formula, audited by its relative name: the path cell would run.
    std::fs::write(dir.path().join("=HYPERLINK(1).csv"), "not a log").unwrap();
    let (_, written, _) = run_bounded(
        bin()
            .current_dir(dir.path())
            .arg("audit")
            .arg("=HYPERLINK(1).csv")
            .arg("--csv"),
    );
    assert!(written.contains("'=HYPERLINK(1).csv"), "{written}");
    assert!(
        written.lines().all(|l| !l.starts_with("=HYPERLINK")),
        "{written}"
    );
    // An escape sequence in a header reaches the terminal escaped.
    let input = dir.path().join("esc.csv");
    std::fs::write(&input, "time,HR\x1b[2J\n2026-03-14T09:00:00+01:00,72\n").unwrap();
    let (_, out, _) = run_bounded(
        bin()
            .arg("import")
            .arg(&input)
            .arg("-o")
            .arg(dir.path().join("esc.log.csv")),
    );
    assert!(!out.contains('\x1b') && out.contains("\\u{1b}[2J"), "{out}");
}

/// The log before signatures (`tests/fixtures`), a cell of its first reading row
/// (`column`, counted from 0) replaced by `value` and every hash after it recomputed, as
/// a forger with the format's description can.
fn rechained_with(column: usize, value: &str) -> Vec<u8> {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/unsigned-before-signatures.log.csv");
    common::forge(&std::fs::read(fixture).unwrap(), |i, row| {
        let mut cells: Vec<&str> = row.split(',').collect();
        if i == 1 {
            cells[column] = value;
        }
        cells.join(",")
    })
}

#[test]
fn a_huge_cell_in_any_column_is_quoted_as_an_excerpt_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let huge = "7".repeat(1 << 20);
    // Every column but the row's hash; the identifying ones on the opening row as well.
    for column in 0..34 {
        let path = dir.path().join(format!("c{column:02}.log.csv"));
        std::fs::write(&path, rechained_with(column, &huge)).unwrap();
        let (_, out, err) = run_bounded(bin().arg("check").arg(&path));
        assert!(
            out.len() + err.len() < 1000,
            "check, column {column}: {out:.300}"
        );
        let pdf = dir.path().join(format!("c{column:02}.pdf"));
        let (_, out, err) = run_bounded(bin().arg("report").arg(&path).arg("-o").arg(&pdf));
        assert!(
            out.len() + err.len() < 1000,
            "report, column {column}: {err:.300}"
        );
        let size = std::fs::metadata(&pdf).map_or(0, |m| m.len());
        assert!(size < 200_000, "report, column {column}: {size} bytes");
    }
    for format in [None, Some("--json"), Some("--csv")] {
        let (_, out, err) = run_bounded(bin().arg("audit").arg(dir.path()).args(format));
        assert!(
            out.len() + err.len() < 34 * 1000,
            "audit {format:?}: {} bytes",
            out.len() + err.len()
        );
    }
}
