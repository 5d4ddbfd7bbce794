//! The session log as clinicians and auditors receive it: it reads back into the same
//! session, and any change to it is caught with the row that no longer verifies.

use infusion_vitals::alerts::Profile;
use infusion_vitals::chrono::DateTime;
use infusion_vitals::clock::{FixedClock, Time};
use infusion_vitals::commands::{Command, OnReject, OnWarning, ReadingEntry, Session};
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::log::{LogError, read_log};
use infusion_vitals::session::Vital;
use infusion_vitals::session::events::{
    DischargeCriteria, InfusionChange, Protocol, SessionInfo, Source,
};
use infusion_vitals::session::{SessionState, VitalSet};

fn t(hhmm: &str) -> Time {
    DateTime::parse_from_rfc3339(&format!("2026-03-14T{hhmm}:00+01:00")).unwrap()
}

fn set(sys: f64, dia: f64, hr: f64, spo2: f64) -> VitalSet {
    VitalSet::of(&[
        (Vital::Systolic, sys),
        (Vital::Diastolic, dia),
        (Vital::HeartRate, hr),
        (Vital::Spo2, spo2),
    ])
}

fn entry(at: &str, values: VitalSet) -> ReadingEntry {
    ReadingEntry {
        at: t(at),
        values,
        by: "RN-7".into(),
        source: Source::Manual,
        on_warning: OnWarning::Confirmed,
        on_reject: OnReject::RejectEntry,
        via: Default::default(),
    }
}

/// A whole session touching every kind of event, with text a spreadsheet would run.
fn full_session(patient_id: &str) -> Session {
    let info = SessionInfo {
        patient_id: patient_id.into(),
        weight_kg: Some(72.5),
        protocol: Protocol {
            name: "Depression 0.5 mg/kg over 40 min".into(),
            dose_mg_per_kg: Some(0.5),
            rate_mg_per_kg_h: Some(0.75),
            planned_min: Some(40),
        },
        profile_name: "Ketamine IV, adult".into(),
        profile_version: "1.0".into(),
    };
    let mut s = Session::open(
        Profile::default_profile(),
        info,
        t("09:00"),
        "RN-7",
        &FixedClock(t("09:00")),
    )
    .unwrap();
    let mut run = |cmd: Command, at: &str| {
        s.execute(cmd, &FixedClock(t(at))).unwrap();
    };
    run(
        Command::RecordReading(entry("09:00", set(124.0, 78.0, 72.0, 98.0))),
        "09:01",
    );
    run(
        Command::RecordReading(entry("09:05", set(122.0, 76.0, 70.0, 98.0))),
        "09:06",
    );
    run(
        Command::Infusion {
            at: t("09:10"),
            by: "RN-7".into(),
            change: InfusionChange::Started {
                rate_mg_per_kg_h: Some(0.75),
            },
            reason: "baseline complete".into(),
        },
        "09:10",
    );
    run(
        Command::RecordReading(entry("09:20", set(205.0, 98.0, 88.0, 97.0))),
        "09:20",
    );
    run(
        Command::Acknowledge {
            alert_id: 1,
            by: "RN-7".into(),
            action: "-paused infusion, called Dr. Okafor".into(),
        },
        "09:21",
    );
    run(
        Command::Infusion {
            at: t("09:21"),
            by: "RN-7".into(),
            change: InfusionChange::Paused,
            reason: "systolic 205".into(),
        },
        "09:21",
    );
    run(
        Command::AmendReading {
            reading_id: 2,
            entry: entry("09:05", set(126.0, 76.0, 70.0, 98.0)),
            reason: "transcription error, monitor showed 126".into(),
        },
        "09:22",
    );
    run(
        Command::RecordReading(entry("09:26", set(150.0, 90.0, 80.0, 97.0))),
        "09:26",
    );
    run(
        Command::MarkEnteredInError {
            reading_id: 3,
            by: "RN-7".into(),
            reason: "cuff on the wrong arm, \"wrong patient\" chart, line1\nline2".into(),
        },
        "09:27",
    );
    run(
        Command::Infusion {
            at: t("09:28"),
            by: "RN-7".into(),
            change: InfusionChange::Resumed,
            reason: "nausea settled".into(),
        },
        "09:28",
    );
    run(
        Command::Infusion {
            at: t("09:30"),
            by: "RN-7".into(),
            change: InfusionChange::RateChanged {
                rate_mg_per_kg_h: 0.5,
            },
            reason: "BP rise".into(),
        },
        "09:30",
    );
    run(
        Command::NoteSideEffect {
            at: t("09:31"),
            by: "RN-7".into(),
            effect: "nausea, mild".into(),
        },
        "09:31",
    );
    run(
        Command::Intervention {
            at: t("09:32"),
            by: "RN-7".into(),
            action: "+ondansetron 4 mg IV".into(),
        },
        "09:32",
    );
    run(
        Command::Infusion {
            at: t("09:50"),
            by: "RN-7".into(),
            change: InfusionChange::Stopped,
            reason: "dose complete".into(),
        },
        "09:50",
    );
    run(
        Command::RecordReading(entry("09:50", set(132.0, 80.0, 76.0, 98.0))),
        "09:50",
    );
    run(
        Command::Discharge {
            at: t("10:40"),
            by: "RN-7".into(),
            criteria: DischargeCriteria {
                aldrete_score: 10,
                escort_present: true,
                vitals_near_baseline: true,
            },
            reason: String::new(),
        },
        "10:40",
    );
    run(
        Command::Close {
            source: Source::Manual,
            at: t("10:41"),
            by: "RN-7".into(),
            reason: "discharged home".into(),
        },
        "10:41",
    );
    s
}

fn sealed(session: &Session) -> String {
    String::from_utf8(log_bytes(session.events(), &t("10:45"))).unwrap()
}

fn check(text: &str) -> Result<infusion_vitals::log::SealedLog, LogError> {
    read_log(text.as_bytes())
}

fn lines(text: &str) -> Vec<&str> {
    text.split_terminator("\r\n").collect()
}

fn altered_row(text: &str) -> u64 {
    match check(text) {
        Err(LogError::Altered { row, .. }) => row,
        other => panic!("expected the change to be caught, got {other:?}"),
    }
}

#[test]
fn a_log_reads_back_into_the_same_events_and_state() {
    let session = full_session("MRN-0042");
    let log = check(&sealed(&session)).expect("a fresh log is intact");
    assert_eq!(log.events, session.events());
    assert_eq!(SessionState::fold(&log.events).unwrap(), *session.state());
    assert_eq!(log.sealed_at, t("10:45"));
}

#[test]
fn the_log_is_plain_csv_with_one_header_row_and_the_contract_columns() {
    let text = sealed(&full_session("MRN-0042"));
    let header = lines(&text)[0];
    for column in [
        "record",
        "time",
        "status",
        "systolic_mmhg",
        "diastolic_mmhg",
        "heart_rate_bpm",
        "spo2_pct",
        "alert_vital",
        "alert_priority",
        "row_sha256",
    ] {
        assert!(
            header.split(',').any(|c| c == column),
            "header lacks {column}: {header}"
        );
    }
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let width = reader.headers().unwrap().len();
    let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
    assert!(rows.iter().all(|r| r.len() == width));
    let statuses: Vec<_> = rows
        .iter()
        .filter(|r| &r[1] == "reading")
        .map(|r| r[8].to_string())
        .collect();
    assert!(statuses.contains(&"final".to_string()));
    assert!(statuses.contains(&"amended".to_string()));
    assert!(statuses.contains(&"entered-in-error".to_string()));
    let alert = rows.iter().find(|r| &r[1] == "alert").unwrap();
    assert_eq!((&alert[16], &alert[18]), ("systolic", "high"));
    assert_eq!(&rows.last().unwrap()[1], "seal");
}

#[test]
fn times_carry_their_offset() {
    let text = sealed(&full_session("MRN-0042"));
    assert!(text.contains("2026-03-14T09:20:00+01:00"));
}

#[test]
fn formula_injection_in_the_patient_identifier_is_neutralised_and_read_back_intact() {
    let patient = "=HYPERLINK(\"http://evil\",\"click\")";
    let session = full_session(patient);
    let text = sealed(&session);
    assert!(
        !text.contains(",=HYPERLINK"),
        "a cell must not start with ="
    );
    assert!(text.contains("'=HYPERLINK"));
    let log = check(&text).unwrap();
    let state = SessionState::fold(&log.events).unwrap();
    assert_eq!(state.info.unwrap().patient_id, patient);
    // Free text starting with - or + (an acknowledgement, an intervention) too.
    assert!(text.contains("'-paused infusion") && text.contains("'+ondansetron"));
}

#[test]
fn an_edited_digit_is_caught_at_its_row() {
    let text = sealed(&full_session("MRN-0042"));
    let rows = lines(&text);
    let (i, row) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.contains(",205,"))
        .unwrap();
    let edited = text.replacen(row, &row.replacen(",205,", ",105,", 1), 1);
    assert_eq!(altered_row(&edited), i as u64 + 1);
}

#[test]
fn an_edited_hash_is_caught() {
    let text = sealed(&full_session("MRN-0042"));
    let row = lines(&text)[3];
    let last = row.chars().last().unwrap();
    let other = if last == '0' { '1' } else { '0' };
    let edited = text.replacen(row, &format!("{}{other}", &row[..row.len() - 1]), 1);
    assert_eq!(altered_row(&edited), 4);
}

#[test]
fn a_dropped_last_line_is_caught_as_cut_short() {
    let text = sealed(&full_session("MRN-0042"));
    let rows = lines(&text);
    let cut = rows[..rows.len() - 1].join("\r\n") + "\r\n";
    match check(&cut) {
        Err(LogError::Truncated { last_row }) => assert_eq!(last_row, rows.len() as u64 - 1),
        other => panic!("expected cut short, got {other:?}"),
    }
}

#[test]
fn a_file_cut_mid_row_is_caught() {
    let text = sealed(&full_session("MRN-0042"));
    let cut = &text[..text.len() / 2];
    assert!(check(cut).is_err());
}

#[test]
fn swapped_rows_are_caught_at_the_first_of_them() {
    let text = sealed(&full_session("MRN-0042"));
    let mut rows = lines(&text);
    rows.swap(4, 5);
    let swapped = rows.join("\r\n") + "\r\n";
    assert_eq!(altered_row(&swapped), 5);
}

#[test]
fn a_removed_middle_row_is_caught() {
    let text = sealed(&full_session("MRN-0042"));
    let mut rows = lines(&text);
    rows.remove(6);
    assert_eq!(altered_row(&(rows.join("\r\n") + "\r\n")), 7);
}

#[test]
fn a_row_appended_after_the_seal_is_caught() {
    let text = sealed(&full_session("MRN-0042"));
    let rows = lines(&text);
    let appended = format!("{text}{}\r\n", rows[3]);
    assert_eq!(altered_row(&appended), rows.len() as u64 + 1);
}

#[test]
fn a_row_added_in_the_middle_is_caught() {
    let text = sealed(&full_session("MRN-0042"));
    let mut rows = lines(&text);
    let copy = rows[3];
    rows.insert(5, copy);
    assert_eq!(altered_row(&(rows.join("\r\n") + "\r\n")), 6);
}

#[test]
fn files_that_are_not_logs_say_so() {
    for (text, expect) in [
        ("", "empty"),
        (
            "time,systolic\r\n2026-03-14T09:00:00+01:00,120\r\n",
            "header",
        ),
    ] {
        match check(text) {
            Err(LogError::NotALog(why)) => assert!(why.contains(expect), "{why}"),
            other => panic!("expected not a log, got {other:?}"),
        }
    }
}

#[test]
fn quotes_commas_and_newlines_in_free_text_survive() {
    let session = full_session("MRN-0042");
    let log = check(&sealed(&session)).unwrap();
    let state = SessionState::fold(&log.events).unwrap();
    let reason = state.readings[2]
        .entered_in_error
        .as_ref()
        .unwrap()
        .1
        .as_deref()
        .unwrap();
    assert_eq!(
        reason,
        "cuff on the wrong arm, \"wrong patient\" chart, line1\nline2"
    );
}

#[test]
fn converting_line_ends_to_lf_keeps_the_seal() {
    let text = sealed(&full_session("MRN-0042"));
    let lf = text.replace("\r\n", "\n");
    assert!(check(&lf).is_ok());
}

#[test]
fn a_line_break_inside_a_quoted_cell_is_content_and_covered() {
    let text = sealed(&full_session("MRN-0042"));
    let edited = text.replacen("line1\nline2", "line1 line2", 1);
    assert_ne!(edited, text);
    assert!(matches!(check(&edited), Err(LogError::Altered { .. })));
}

#[test]
fn a_character_split_by_a_comma_is_not_a_log_not_a_crash() {
    match check("seq\u{c3},\u{a9}record\r\n") {
        Err(LogError::NotALog(_)) => {}
        other => panic!("expected not a log, got {other:?}"),
    }
    let bytes: &[u8] = b"seq\xc3,\xa9record\r\n";
    assert!(matches!(read_log(bytes), Err(LogError::NotALog(_))));
}

#[test]
fn a_byte_order_mark_added_by_an_editor_keeps_the_seal() {
    let text = sealed(&full_session("MRN-0042"));
    assert!(check(&format!("\u{feff}{text}")).is_ok());
}

#[test]
fn spaces_put_before_a_row_are_caught_as_an_alteration() {
    let text = sealed(&full_session("MRN-0042"));
    let mut rows = lines(&text);
    let spaced = format!("  {}", rows[4]);
    rows[4] = &spaced;
    assert_eq!(altered_row(&(rows.join("\r\n") + "\r\n")), 5);
}

#[test]
fn a_file_whose_first_row_is_no_log_header_is_not_read_past_its_head() {
    use infusion_vitals::log::file::read_log_file;
    let dir = tempfile::tempdir().unwrap();
    // One endless row, and a spreadsheet's header over many rows.
    let endless = dir.path().join("endless.csv");
    std::fs::write(&endless, vec![b'a'; 4 << 20]).unwrap();
    let sheet = dir.path().join("sheet.csv");
    std::fs::write(
        &sheet,
        "time,hr\n".to_string() + &"2026-03-14T09:00:00Z,72\n".repeat(200_000),
    )
    .unwrap();
    for path in [&endless, &sheet] {
        let head = read_log_file(path).unwrap();
        assert!(head.len() <= 8 << 10, "{} bytes read", head.len());
        let why = infusion_vitals::log::read::read_log_bytes(&head).unwrap_err();
        assert!(why.to_string().starts_with("not a session log"), "{why}");
    }
    // A log is read whole, with or without a byte-order mark, with CRLF or a lone CR.
    let sample =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/normal-40min.log.csv");
    let whole = std::fs::read(&sample).unwrap();
    assert_eq!(read_log_file(&sample).unwrap(), whole);
    let marked = dir.path().join("bom.log.csv");
    std::fs::write(&marked, [b"\xEF\xBB\xBF".as_slice(), &whole].concat()).unwrap();
    assert_eq!(read_log_file(&marked).unwrap().len(), whole.len() + 3);
    let text = String::from_utf8(whole.clone()).unwrap();
    let cr = dir.path().join("cr.log.csv");
    std::fs::write(&cr, text.replace("\r\n", "\r")).unwrap();
    assert_eq!(
        read_log_file(&cr).unwrap().len(),
        std::fs::metadata(&cr).unwrap().len() as usize
    );
}
