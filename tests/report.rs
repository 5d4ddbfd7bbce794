//! `infusion-vitals report LOG -o OUT.pdf`: the PDF's text, extracted as a records system
//! or a reader would, says who, the peak systolic and the alarms; a log that is not intact
//! gives a report that says so.

use chrono::{DateTime, Duration, Utc};
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::sample_session::{Departures, completed_session};
use infusion_vitals::session::{Event, EventKind, Vital};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn write_log(path: &Path, departures: &Departures) {
    write_forged_log(path, departures, |_| {});
}

/// A sample session's log with its events changed by `forge` and its hash chain
/// recomputed, as a forger would: intact as far as the seal can tell.
fn write_forged_log(path: &Path, departures: &Departures, forge: impl FnOnce(&mut Vec<Event>)) {
    let start = DateTime::parse_from_rfc3339("2026-03-16T08:00:00+01:00").unwrap();
    let session = completed_session(13, start, "RN-7", departures).unwrap();
    let mut events = session.events().to_vec();
    forge(&mut events);
    std::fs::write(path, log_bytes(&events, &(start + Duration::hours(3)))).unwrap();
}

/// Every recorded reading, to be changed.
fn readings(events: &mut [Event]) -> impl Iterator<Item = &mut infusion_vitals::session::VitalSet> {
    events.iter_mut().filter_map(|e| match &mut e.kind {
        EventKind::ReadingRecorded { values, .. } => Some(values),
        _ => None,
    })
}

/// The session's patient identifier and protocol name, changed.
fn rename(events: &mut [Event], patient: &str, protocol: &str) {
    for e in events {
        if let EventKind::SessionOpened(info) = &mut e.kind {
            info.patient_id = patient.to_string();
            info.protocol.name = protocol.to_string();
        }
    }
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
    page_texts(pdf).concat()
}

/// Each page's text, in order.
fn page_texts(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).expect("a PDF lopdf can read");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(!pages.is_empty());
    pages
        .iter()
        .map(|p| doc.extract_text(&[*p]).expect("its text"))
        .collect()
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

#[test]
fn a_forged_log_with_infinite_and_huge_values_gives_a_report_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (dir.path().join("forged.csv"), dir.path().join("report.pdf"));
    write_forged_log(&log, &Departures::none(), |events| {
        let forged = [
            (Vital::Systolic, f64::INFINITY),
            (Vital::Systolic, 1e9),
            (Vital::Diastolic, f64::NEG_INFINITY),
            (Vital::HeartRate, f64::NAN),
            (Vital::Spo2, -1e12),
            (Vital::Systolic, 1e300),
        ];
        for (values, (vital, value)) in readings(events).skip(2).zip(forged) {
            values.set(vital, Some(value));
        }
    });
    // Before the fix the plot's ticks counted up to infinity (memory without limit) or
    // to 1e9 a step of 20 at a time: the run is bounded here so that it fails, not hangs.
    let mut child = Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        .arg("report")
        .arg(&log)
        .arg("-o")
        .arg(&pdf)
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed().as_secs() > 20 {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("report still running after 20 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    // The chain was recomputed, but no chair writes such values: written, headed invalid.
    assert_eq!(status.code(), Some(1));
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size < 200_000, "{size} bytes");
    let text = pdf_text(&pdf);
    assert!(text.contains("Patient MRN-00013"), "{text}");
    assert!(text.contains("invalid: row"), "{text}");
}

#[test]
fn latin_1_prints_as_itself_and_other_text_is_transliterated_or_marked() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (
        dir.path().join("session.csv"),
        dir.path().join("report.pdf"),
    );
    write_forged_log(&log, &Departures::none(), |events| {
        rename(events, "Zoë Ñúñez", "Dvořák 患者 protocol – 0.5 mg/kg")
    });
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&pdf);
    assert!(text.contains("Patient Zoë Ñúñez"), "{text}");
    assert!(!text.contains("Ã"), "{text}");
    assert!(text.contains("Dvorák ?? protocol – 0.5 mg/kg"), "{text}");
    assert!(
        text.contains("shown as ?"),
        "the substitution is said: {text}"
    );
}

#[test]
fn long_header_lines_wrap_inside_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (
        dir.path().join("session.csv"),
        dir.path().join("report.pdf"),
    );
    let patient = format!("MRN-{}", "7".repeat(180));
    let protocol = "Depression protocol with a very long name ".repeat(5);
    write_forged_log(&log, &Departures::none(), |events| {
        rename(events, &patient, &protocol)
    });
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&pdf);
    // Wrapped, the identifier is whole across its lines, and no line runs off the page.
    assert!(text.replace('\n', "").contains(&patient), "{text}");
    // At most about 75 characters of 11-point bold, 120 of 7.5-point text.
    for line in text.lines() {
        let limit = if line.contains("777") { 80 } else { 125 };
        assert!(
            line.chars().count() <= limit,
            "{} characters: {line}",
            line.len()
        );
    }
}

#[test]
fn the_pdf_carries_its_creation_date_and_every_page_names_the_patient() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (
        dir.path().join("session.csv"),
        dir.path().join("report.pdf"),
    );
    // A protocol name of 3,300 characters: printed up to 2,000, over more than one page.
    let protocol = "Depression ".repeat(300);
    write_forged_log(&log, &Departures::none(), |events| {
        rename(events, "MRN-00013", &protocol)
    });
    let before = Utc::now();
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 0, "{err}");
    let doc = lopdf::Document::load(&pdf).unwrap();
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|i| doc.dereference(i))
        .and_then(|(_, o)| o.as_dict())
        .unwrap()
        .clone();
    let created = info.get(b"CreationDate").unwrap().as_str().unwrap();
    let created = String::from_utf8_lossy(created);
    let today = before.format("D:%Y%m%d").to_string();
    let after = Utc::now().format("D:%Y%m%d").to_string();
    assert!(
        created.starts_with(&today) || created.starts_with(&after),
        "{created}, made on {today}"
    );
    let pages = page_texts(&pdf);
    assert!(pages.len() >= 2, "{pages:?}");
    let joined = pages.concat().replace('\n', " ");
    assert!(
        joined.contains("(cut here: 1320 more characters in the log)"),
        "{joined}"
    );
    for (i, page) in pages.iter().enumerate() {
        let footer = format!("Patient MRN-00013 - page {} of {}", i + 1, pages.len());
        assert!(
            page.contains(&footer),
            "{footer:?} not on page {}:\n{page}",
            i + 1
        );
    }
}

#[test]
fn a_report_replaces_a_file_only_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (
        dir.path().join("session.csv"),
        dir.path().join("report.pdf"),
    );
    write_log(&log, &Departures::none());
    std::fs::write(&pdf, "the older report").unwrap();
    // The new report cannot be written in full beside it (its temporary file cannot be
    // made): the older one is left as it was, not cut or emptied.
    let partial = dir.path().join(".report.pdf.partial");
    std::fs::create_dir(&partial).unwrap();
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert_eq!(std::fs::read(&pdf).unwrap(), b"the older report");
    // Once it can be, the older one is replaced whole and nothing is left beside it.
    std::fs::remove_dir(&partial).unwrap();
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn the_report_lists_every_score_with_its_words_and_the_summary_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let (log, pdf) = (dir.path().join("s.csv"), dir.path().join("s.pdf"));
    write_forged_log(&log, &Departures::none(), |_| {});
    let (code, err) = report(&log, &pdf);
    assert_eq!(code, 0, "{err}");
    let text = pdf_text(&pdf).replace('\n', " ");
    assert!(text.contains("Assessments"), "{text}");
    assert!(
        text.contains("MOAA/S 4 (lethargic response to name spoken in a normal tone) by RN-7"),
        "{text}"
    );
    assert!(text.contains("MOAA/S: 1 score(s)"), "{text}");
}
