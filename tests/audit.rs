//! `infusion-vitals audit` on a folder of generated logs with planted faults: each fault
//! found with the right reason, nothing else flagged, the JSON contract kept.

use chrono::{DateTime, Duration};
use infusion_vitals::clock::Time;
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::sample_session::{Departures, completed_session};
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::Command;

fn monday() -> Time {
    DateTime::parse_from_rfc3339("2026-03-16T08:00:00+01:00").unwrap()
}

/// A sealed log of patient `n`'s session, written to `path`.
fn write_session(path: &Path, n: u32, departures: &Departures) {
    let start = monday() + Duration::hours(i64::from(n % 5) * 2) + Duration::days(i64::from(n / 5));
    let session = completed_session(n, start, "RN-7", departures).unwrap();
    let sealed_at = start + Duration::hours(3);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, log_bytes(session.events(), &sealed_at)).unwrap();
}

/// Two chairs, nested by month, clean logs and one of each fault.
fn planted_folder(root: &Path) {
    for n in 0..6 {
        let chair = if n % 2 == 0 { "chair-1" } else { "chair-2" };
        write_session(
            &root
                .join(chair)
                .join("2026-03")
                .join(format!("clean-{n}.csv")),
            n,
            &Departures::none(),
        );
    }
    let faults = root.join("chair-3").join("2026-03");
    // One digit of a systolic value changed after sealing.
    let edited = faults.join("edited.csv");
    write_session(&edited, 10, &Departures::none());
    let text = fs::read_to_string(&edited).unwrap();
    let altered = text.replacen(",final,12", ",final,13", 1);
    assert!(altered != text, "the edit changed the file");
    fs::write(&edited, altered).unwrap();
    // A copy that stopped before the end.
    let truncated = faults.join("truncated.csv");
    write_session(&truncated, 11, &Departures::none());
    let bytes = fs::read(&truncated).unwrap();
    fs::write(&truncated, &bytes[..bytes.len() * 2 / 3]).unwrap();
    fs::write(faults.join("empty.csv"), b"").unwrap();
    fs::write(
        faults.join("monitor-export.csv"),
        "Time,NIBP_Systolic,NIBP_Diastolic\r\n2026-03-16 08:00:00,120,80\r\n",
    )
    .unwrap();
    // The readings at 30 and 40 minutes were not taken.
    write_session(
        &faults.join("gap.csv"),
        12,
        &Departures {
            skipped_minutes: vec![30, 40],
            acknowledges_alarms: true,
        },
    );
    write_session(
        &faults.join("unacknowledged.csv"),
        13,
        &Departures {
            skipped_minutes: Vec::new(),
            acknowledges_alarms: false,
        },
    );
    // Not a .csv: not audited.
    fs::write(faults.join("notes.txt"), "not a log").unwrap();
}

fn audit(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        .arg("audit")
        .arg(dir)
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn by_name<'a>(files: &'a [Value], name: &str) -> &'a Value {
    files
        .iter()
        .find(|f| f["file"].as_str().unwrap().ends_with(name))
        .unwrap_or_else(|| panic!("{name} not in the report"))
}

fn problems(file: &Value) -> Vec<String> {
    file["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_planted_fault_is_found_with_its_reason_and_nothing_else_is_flagged() {
    let dir = tempfile::tempdir().unwrap();
    planted_folder(dir.path());
    let (code, out, err) = audit(&["--json"], dir.path());
    assert_eq!(code, 1, "some files fail: {err}");
    let files: Vec<Value> = serde_json::from_str(&out).expect("one JSON array");
    assert_eq!(files.len(), 12, "every .csv, and only .csv: {out}");

    for n in 0..6 {
        let clean = by_name(&files, &format!("clean-{n}.csv"));
        assert_eq!(clean["passed"], true, "{clean}");
        assert!(problems(clean).is_empty(), "{clean}");
        assert_eq!(clean["checks"]["seal"], "pass");
        for check in [
            "baseline",
            "reading_gaps",
            "end_of_infusion_set",
            "alerts_acknowledged",
            "discharge",
            "corrections",
        ] {
            assert_eq!(clean["checks"][check], "pass", "{check} in {clean}");
        }
    }

    let edited = by_name(&files, "edited.csv");
    assert_eq!(edited["passed"], false);
    assert_eq!(edited["status"], "altered");
    assert_eq!(edited["checks"]["seal"], "fail");
    assert!(problems(edited)[0].contains("altered at row"), "{edited}");

    let truncated = by_name(&files, "truncated.csv");
    assert_eq!(truncated["status"], "truncated");
    assert_eq!(truncated["checks"]["seal"], "fail");

    let empty = by_name(&files, "empty.csv");
    assert_eq!(empty["status"], "empty");
    assert!(problems(empty)[0].contains("empty"), "{empty}");

    let export = by_name(&files, "monitor-export.csv");
    assert_eq!(export["status"], "not-a-log");
    assert!(
        problems(export)[0].contains("not a session log"),
        "{export}"
    );

    let gap = by_name(&files, "gap.csv");
    assert_eq!(gap["status"], "intact");
    assert_eq!(gap["checks"]["seal"], "pass");
    assert_eq!(gap["checks"]["reading_gaps"], "fail");
    let gaps = problems(gap);
    assert_eq!(gaps.len(), 1, "one gap, from 25 to 50 min: {gaps:?}");
    // Patient 12's session opens at 12:00; its infusion runs from 12:10 to 12:50.
    assert!(
        gaps[0].contains("from 12:25+01:00 to 12:50+01:00 (25 min)")
            && gaps[0].contains("every 10 min during the infusion"),
        "{gaps:?}"
    );

    let unacknowledged = by_name(&files, "unacknowledged.csv");
    assert_eq!(unacknowledged["checks"]["alerts_acknowledged"], "fail");
    assert_eq!(unacknowledged["checks"]["reading_gaps"], "pass");
    let found = problems(unacknowledged);
    assert!(
        found.iter().all(|p| p.starts_with("alerts_acknowledged: ")
            && p.contains("was never acknowledged")),
        "{found:?}"
    );
    assert!(found.iter().any(|p| p.contains("high")), "{found:?}");
}

#[test]
fn the_file_field_is_the_folder_given_joined_with_the_path_below_it() {
    let dir = tempfile::tempdir().unwrap();
    write_session(
        &dir.path().join("a").join("b").join("one.csv"),
        1,
        &Departures::none(),
    );
    let (code, out, err) = audit(&["--json"], dir.path());
    assert_eq!(code, 0, "{err}");
    let files: Vec<Value> = serde_json::from_str(&out).unwrap();
    let expected = dir.path().join("a").join("b").join("one.csv");
    assert_eq!(files[0]["file"], expected.to_string_lossy().as_ref());
    assert_eq!(files[0]["passed"], true);
}

#[test]
fn the_table_gives_each_failure_and_the_totals() {
    let dir = tempfile::tempdir().unwrap();
    planted_folder(dir.path());
    let (code, out, _) = audit(&[], dir.path());
    assert_eq!(code, 1);
    assert!(
        out.contains("files: 12 (intact 8, altered 1, truncated 1, empty 1, not a log 1)"),
        "{out}"
    );
    assert!(out.contains("passed: 6, failed: 6"), "{out}");
    assert!(out.contains("gap in readings: 1"), "{out}");
    assert!(out.contains("alert not acknowledged:"), "{out}");
    let edited = out.lines().find(|l| l.contains("edited.csv")).unwrap();
    assert!(edited.starts_with("FAIL    altered"), "{edited}");
}

#[test]
fn csv_output_has_one_row_per_file_with_each_check() {
    let dir = tempfile::tempdir().unwrap();
    planted_folder(dir.path());
    let (_, out, _) = audit(&["--csv"], dir.path());
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header = rows.headers().unwrap().clone();
    assert_eq!(&header[0], "file");
    assert_eq!(&header[1], "passed");
    assert!(header.iter().any(|h| h == "seal"));
    assert_eq!(rows.records().count(), 12);
}

#[test]
fn an_audit_that_cannot_run_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = audit(&[], &dir.path().join("missing"));
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");
    let (code, _, err) = audit(&[], dir.path());
    assert_eq!(code, 2, "an empty folder holds nothing to audit");
    assert!(err.contains("no .csv file"), "{err}");
    write_session(&dir.path().join("one.csv"), 1, &Departures::none());
    let (code, _, err) = audit(&["--profile", "No such profile"], dir.path());
    assert_eq!(code, 2);
    assert!(err.contains("--profile"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_linked_folder_is_audited_and_a_loop_of_links_is_reported_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    write_session(
        &elsewhere.path().join("chair-9.csv"),
        9,
        &Departures::none(),
    );
    let root = dir.path().join("logs");
    fs::create_dir_all(&root).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), root.join("chair-9")).unwrap();
    std::os::unix::fs::symlink(&root, root.join("loop")).unwrap();
    let (code, out, err) = audit(&["--json"], &root);
    let files: Vec<Value> = serde_json::from_str(&out).expect(&err);
    let linked = by_name(&files, "chair-9.csv");
    assert_eq!(linked["passed"], true, "{linked}");
    let looped = files
        .iter()
        .find(|f| f["status"] == "unreadable")
        .expect("the loop is named");
    assert!(problems(looped)[0].contains("loop"), "{looped}");
    assert_eq!(code, 1, "the loop is a finding");
}

mod mutated_logs {
    use super::*;
    use infusion_vitals::audit::file::{Integrity, Profiles, audit_bytes};
    use infusion_vitals::log::read_log;
    use proptest::prelude::*;
    use std::path::PathBuf;

    fn original() -> Vec<u8> {
        let start = monday();
        let session = completed_session(3, start, "RN-7", &Departures::none()).unwrap();
        log_bytes(session.events(), &(start + Duration::hours(3)))
    }

    proptest! {
        // No regressions file beside the tests: a failure is printed, shrunk, in full.
        #![proptest_config(ProptestConfig {
            cases: 300,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Whatever is done to a log's bytes, the audit answers, and it calls the log
        /// intact only when what it says is what was sealed.
        #[test]
        fn an_edited_log_is_never_taken_for_the_original(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..4),
            cut in proptest::option::of(any::<prop::sample::Index>()),
        ) {
            let log = original();
            let mut bytes = log.clone();
            for (at, byte, how) in edits {
                let i = at.index(bytes.len());
                match how {
                    0 => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    _ => { bytes.remove(i); }
                }
            }
            if let Some(at) = cut {
                bytes.truncate(at.index(bytes.len()));
            }
            let audit = audit_bytes(PathBuf::from("mutated.csv"), &bytes, &Profiles::as_recorded());
            if audit.integrity == Integrity::Intact {
                let read = read_log(bytes.as_slice()).unwrap();
                let sealed = read_log(log.as_slice()).unwrap();
                prop_assert_eq!(read.events, sealed.events);
            } else {
                prop_assert!(!audit.passed());
                prop_assert!(audit.reason.is_some());
            }
        }
    }
}
