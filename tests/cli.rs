//! The command line as a user runs it: exit codes, messages, and the files it writes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
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
    assert!(!text.contains("1200"));
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
    assert!(err.contains("no 'time' column"), "{err}");
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
                .map(|e| (e.seq, e.at, e.by, e.source, e.reason, e.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            strip(&committed),
            strip(&fresh),
            "{name}: regenerate with the command in sample_data/README.md"
        );
    }
}
