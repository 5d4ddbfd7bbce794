//! The log format grows without breaking old logs: version-1 logs and journals, written
//! by the program before respiratory rate (tests/fixtures/log-v1), still check, audit,
//! recover, open in review and report; a version-2 log holds the respiratory rate and
//! its alerts; a version-1 journal resumed goes on in version 1 and refuses what it
//! cannot hold.

mod common;

use common::*;
use infusion_vitals::alerts::Profile;
use infusion_vitals::audit::file::{Integrity, Profiles, audit_bytes};
use infusion_vitals::commands::Session;
use infusion_vitals::journal::{self, Journal};
use infusion_vitals::log::read::read_log_bytes;
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::review::{SealLine, review_log};
use infusion_vitals::session::events::EventKind;
use infusion_vitals::session::{Vital, VitalSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/log-v1")
}

fn v1_logs() -> [PathBuf; 2] {
    ["chair-session.log.csv", "imported.log.csv"].map(|n| fixtures().join(n))
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
}

#[test]
fn version_1_logs_check_audit_review_and_report_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    for path in v1_logs() {
        let bytes = std::fs::read(&path).unwrap();
        let log = read_log_bytes(&bytes).unwrap();
        assert!(log.signed_by.is_some(), "{path:?} was signed");
        let out = bin().arg("check").arg(&path).output().unwrap();
        let line = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{line}");
        assert!(line.contains(": intact: "), "{line}");
        let audit = audit_bytes(path.clone(), &bytes, &Profiles::as_recorded());
        assert_eq!(audit.integrity, Integrity::Intact, "{:?}", audit.problems());
        let reviewed = review_log(&bytes).unwrap();
        assert!(matches!(
            reviewed.seal,
            SealLine::Intact {
                signed_by: Some(_),
                ..
            }
        ));
        assert_eq!(reviewed.events, log.events, "every event, as read");
        let pdf = dir.path().join("report.pdf");
        let out = bin()
            .arg("report")
            .arg(&path)
            .arg("-o")
            .arg(&pdf)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        assert!(std::fs::metadata(&pdf).unwrap().len() > 1000);
    }
}

#[test]
fn version_1_journals_recover_into_version_2_logs_keeping_every_event() {
    let data = tempfile::tempdir().unwrap();
    let sessions = data.path().join("sessions");
    std::fs::create_dir(&sessions).unwrap();
    for entry in std::fs::read_dir(fixtures().join("sessions")).unwrap() {
        let from = entry.unwrap().path();
        std::fs::copy(&from, sessions.join(from.file_name().unwrap())).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let run = bin()
        .args(["recover", "--data-dir"])
        .arg(data.path())
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    let report = String::from_utf8(run.stdout).unwrap();
    assert_eq!(run.status.code(), Some(0), "{report}");
    for journal_path in journal::find(&sessions).unwrap() {
        let kept = journal::read(&journal_path).unwrap().events;
        let name = journal_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".journal.csv", ".log.csv");
        let log_bytes = std::fs::read(out.path().join(name)).unwrap();
        assert!(
            log_bytes.starts_with(b"seq,")
                && std::str::from_utf8(&log_bytes[..600])
                    .unwrap()
                    .contains(",resp_rate_per_min,scale,score,row_sha256"),
            "written in the newest version"
        );
        let log = read_log_bytes(&log_bytes).unwrap();
        assert_eq!(log.events[..kept.len()], kept[..], "{journal_path:?}");
        assert!(matches!(
            log.events.last().unwrap().kind,
            EventKind::SessionRecovered { .. }
        ));
    }
}

/// The unfinished version-1 journal, copied to a folder of its own and resumed.
fn resumed_v1_journal() -> (tempfile::TempDir, PathBuf, Session) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("20260105-080000.journal.csv");
    std::fs::copy(
        fixtures().join("sessions/20260105-080000.journal.csv"),
        &path,
    )
    .unwrap();
    let (store, contents) = Journal::reopen(&path).unwrap();
    let s = Session::resume(
        Profile::default_profile(),
        contents.events,
        Some(Box::new(store)),
    )
    .unwrap();
    (dir, path, s)
}

#[test]
fn a_resumed_version_1_journal_goes_on_in_version_1_and_refuses_a_respiratory_rate() {
    let (_dir, path, mut s) = resumed_v1_journal();
    let at = on("2026-01-05", "09:40");
    record(&mut s, at, full_set(126, 80, 74, 97));
    let before = std::fs::read(&path).unwrap();
    let refused = try_record(
        &mut s,
        on("2026-01-05", "09:45"),
        VitalSet::of(&[
            (Vital::Systolic, 124.0),
            (Vital::Diastolic, 79.0),
            (Vital::RespRate, 14.0),
        ]),
        infusion_vitals::commands::OnWarning::Confirmed,
        infusion_vitals::commands::OnReject::RejectEntry,
    )
    .expect_err("a version-1 journal has no column for it");
    assert!(
        refused.to_string().contains("resp_rate_per_min"),
        "{refused}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing appended");
    // The journal still verifies to its end, the reading without RR in it.
    let read = journal::read(&path).unwrap();
    assert_eq!(read.events, s.events().to_vec());
}

#[test]
fn a_version_2_log_holds_the_respiratory_rate_and_its_alert() {
    let mut s = open_session(t("08:45"));
    record(
        &mut s,
        t("08:50"),
        VitalSet::of(&[(Vital::HeartRate, 72.0), (Vital::RespRate, 7.0)]),
    );
    let bytes = log_bytes(s.events(), &t("09:00"));
    let text = String::from_utf8(bytes.clone()).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert!(records.iter().any(|r| &r[col("resp_rate_per_min")] == "7"));
    let alert = records
        .iter()
        .find(|r| &r[col("alert_vital")] == "resp_rate")
        .expect("an alert on the respiratory rate");
    assert_eq!(&alert[col("alert_priority")], "high", "RR 7: high at once");
    assert_eq!(read_log_bytes(&bytes).unwrap().events, s.events().to_vec());
}
