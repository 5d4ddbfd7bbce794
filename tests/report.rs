//! `infusion-vitals report LOG -o OUT.pdf`: the PDF's text, extracted as a records system
//! or a reader would, says who, the peak systolic and the alarms; a log that is not intact
//! gives a report that says so.

use chrono::{DateTime, Duration};
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::sample_session::{Departures, completed_session};
use std::path::Path;
use std::process::Command;

fn write_log(path: &Path, departures: &Departures) {
    let start = DateTime::parse_from_rfc3339("2026-03-16T08:00:00+01:00").unwrap();
    let session = completed_session(13, start, "RN-7", departures).unwrap();
    std::fs::write(
        path,
        log_bytes(session.events(), &(start + Duration::hours(3))),
    )
    .unwrap();
}

fn report(log: &Path, pdf: &Path) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        .arg("report")
        .arg(log)
        .arg("-o")
        .arg(pdf)
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The text of every page, as lopdf extracts it.
fn pdf_text(pdf: &Path) -> String {
    let doc = lopdf::Document::load(pdf).expect("a PDF lopdf can read");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(!pages.is_empty());
    doc.extract_text(&pages).expect("its text")
}

#[test]
fn the_report_names_the_patient_the_peak_systolic_and_each_alarm() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (
        dir.path().join("session.csv"),
        dir.path().join("report.pdf"),
    );
    write_log(&log, &Departures::none());
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&pdf);
    for expected in [
        "Infusion session report",
        "Patient MRN-00013",
        "seal intact",
        "Peak systolic: 190 mmHg at 08:45, +62 mmHg from baseline",
        "Lowest SpO2: 95 % at 08:30",
        "Alarms by highest priority: high 0, medium 1, low 1",
        "Systolic high (medium priority): raised",
        "medium from 08:45; acknowledged 08:46 by RN-7",
        "(rechecked; clinician informed) after 1 min; resolved 09:05 after 25 min",
        "modified Aldrete 10, escort yes",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
}

#[test]
fn an_unacknowledged_alarm_is_called_so() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (
        dir.path().join("session.csv"),
        dir.path().join("report.pdf"),
    );
    let departures = Departures {
        skipped_minutes: Vec::new(),
        acknowledges_alarms: false,
    };
    write_log(&log, &departures);
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&pdf);
    assert!(text.contains("NOT acknowledged at high"), "{text}");
    assert!(text.contains("high 1, medium 0"), "{text}");
}

#[test]
fn an_altered_log_gives_a_report_marked_not_intact() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (
        dir.path().join("session.csv"),
        dir.path().join("report.pdf"),
    );
    write_log(&log, &Departures::none());
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.replacen(",final,19", ",final,15", 1)).unwrap();
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 1, "written, from a log that is not intact: {err}");
    assert!(err.contains("not intact"), "{err}");
    let text = pdf_text(&pdf);
    assert!(text.contains("LOG NOT INTACT"), "{text}");
    assert!(text.contains("altered at row"), "{text}");
}

#[test]
fn a_file_that_is_not_a_log_gives_no_report() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (dir.path().join("export.csv"), dir.path().join("report.pdf"));
    std::fs::write(&log, "Time,SYS\n08:00,120\n").unwrap();
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 2);
    assert!(err.contains("not a session log"), "{err}");
    assert!(!pdf.exists());
}
