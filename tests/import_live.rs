//! A file imported into a live session: its readings join the session as late entries,
//! each from its file and line, saved with one journal write, all or nothing.

mod common;

use common::*;
use infusion_vitals::alerts::Profile;
use infusion_vitals::clock::{FixedClock, Time};
use infusion_vitals::commands::{CommandError, EventStore, Session};
use infusion_vitals::import::columns::ColumnTable;
use infusion_vitals::import::session::{ImportError, import_into};
use infusion_vitals::import::times::Zone;
use infusion_vitals::import::{Answers, Opened, Parsed};
use infusion_vitals::journal::{self, Journal};
use infusion_vitals::session::events::{Event, EventKind, Priority, SessionInfo};
use infusion_vitals::session::{Source, Vital};
use std::path::Path;

const FIXTURES: &str = "tests/fixtures/import";

fn parsed(name: &str, answers: &Answers) -> Parsed {
    let bytes = std::fs::read(Path::new(FIXTURES).join(name)).unwrap();
    let opened = Opened::new(bytes, ColumnTable::built_in()).unwrap();
    let plan = opened.plan(answers).unwrap();
    opened.read(&plan, &Profile::default_profile(), &mut |_, _| {})
}

fn berlin() -> Answers {
    Answers {
        zone: Some("Europe/Berlin".parse::<Zone>().unwrap()),
        ..Answers::default()
    }
}

/// A session at the chair opened at 08:55, journaled in `folder`, with one reading by hand.
fn live_session(folder: &Path) -> (Session, std::path::PathBuf) {
    let path = journal::new_path(folder, &t("08:55"));
    let mut s = Session::open_stored(
        Profile::default_profile(),
        SessionInfo {
            patient_id: "P-7".into(),
            ..SessionInfo::default()
        },
        t("08:55"),
        NURSE,
        Box::new(Journal::create(&path).unwrap()),
        &FixedClock(t("08:55")),
    )
    .unwrap();
    record(&mut s, t("09:02"), full_set(118, 76, 70, 98));
    (s, path)
}

fn imported_lines(s: &Session, file: &str) -> Vec<(u64, Time)> {
    s.state()
        .readings
        .iter()
        .filter_map(|r| {
            let v = r.current()?;
            match &v.source {
                Source::Imported { file: f, line } if f == file => Some((*line, v.at)),
                _ => None,
            }
        })
        .collect()
}

#[test]
fn a_file_joins_a_live_session_beside_the_readings_entered_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, path) = live_session(dir.path());
    let clock = FixedClock(t("09:30"));
    let tally = import_into(
        &mut s,
        parsed("bad_values.csv", &Answers::default()),
        "nurse-bo",
        "bad_values.csv",
        &clock,
    )
    .unwrap();
    // Lines 2, 5 and 6 are whole; line 3 keeps all but its systolic, line 4 likewise.
    assert_eq!(tally.readings_written, 5);
    assert_eq!(
        imported_lines(&s, "bad_values.csv"),
        [
            (2, t("09:00")),
            (3, t("09:05")),
            (4, t("09:10")),
            (5, t("09:15")),
            (6, t("09:20"))
        ]
    );
    let by_hand = s.state().latest(Vital::Systolic).unwrap();
    assert_eq!(
        by_hand.at,
        t("09:20"),
        "the newest reading is the file's last"
    );
    assert_eq!(s.state().readings.len(), 6, "the reading by hand is kept");
    // Each rejected value is noted in the session at its line.
    let noted: Vec<u64> = s
        .events()
        .iter()
        .filter_map(|e| match (&e.kind, &e.source) {
            (EventKind::InputRejected { .. }, Source::Imported { line, .. }) => Some(*line),
            _ => None,
        })
        .collect();
    assert_eq!(noted, [3, 4]);
    let on_disk = journal::read(&path).unwrap();
    assert_eq!(on_disk.events, s.events(), "the journal holds every event");
    let every_imported_by_the_importer = s
        .events()
        .iter()
        .filter(|e| matches!(e.source, Source::Imported { .. }))
        .all(|e| e.by == "nurse-bo" && e.entered_at == t("09:30"));
    assert!(every_imported_by_the_importer);
}

#[test]
fn rows_after_the_moment_of_import_are_rejected_as_in_the_future() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = live_session(dir.path());
    let tally = import_into(
        &mut s,
        parsed("spot_readings_one_spo2_low.csv", &berlin()),
        NURSE,
        "spot.csv",
        &FixedClock(t("09:12")),
    )
    .unwrap();
    assert_eq!(tally.readings_written, 2);
    let future: Vec<(u64, String)> = tally
        .rejected
        .iter()
        .map(|p| (p.line, p.problem.reason.clone()))
        .collect();
    assert_eq!(
        future,
        [
            (4, "is in the future".to_string()),
            (5, "is in the future".to_string())
        ]
    );
}

#[test]
fn a_low_spo2_in_the_file_raises_a_high_alarm_that_stays_until_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _) = live_session(dir.path());
    import_into(
        &mut s,
        parsed("spot_readings_one_spo2_low.csv", &berlin()),
        NURSE,
        "spot.csv",
        &FixedClock(t("09:30")),
    )
    .unwrap();
    assert_eq!(s.state().latest(Vital::Spo2).unwrap().value, 98.0);
    let alarm = s
        .state()
        .active_alert(SPO2_LOW)
        .expect("an active SpO2 alarm");
    assert_eq!(alarm.priority, Priority::High);
    assert!(!alarm.is_acknowledged());
}

#[test]
fn a_file_with_nothing_to_keep_leaves_the_session_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, path) = live_session(dir.path());
    let before = s.events().to_vec();
    // Every row is from after 09:04.
    let result = import_into(
        &mut s,
        parsed("spot_readings_one_spo2_low.csv", &berlin()),
        NURSE,
        "spot.csv",
        &FixedClock(t("09:04")),
    );
    match result {
        Err(ImportError::NothingKept { rejected, .. }) => assert_eq!(rejected.len(), 4),
        other => panic!(
            "expected nothing kept, got {:?}",
            other.map(|t| t.readings_written)
        ),
    }
    assert_eq!(s.events(), before);
    assert_eq!(journal::read(&path).unwrap().events, before);
}

/// A disk that takes single events but fails a batch, as a full disk fails a large write.
struct FullForBatches;

impl EventStore for FullForBatches {
    fn store(&mut self, _: &Event) -> std::io::Result<()> {
        Ok(())
    }
    fn store_all(&mut self, _: &[Event]) -> std::io::Result<()> {
        Err(std::io::Error::other("No space left on device"))
    }
}

#[test]
fn an_import_the_disk_refuses_adds_nothing_and_says_so() {
    let mut s = Session::open_stored(
        Profile::default_profile(),
        SessionInfo::default(),
        t("08:55"),
        NURSE,
        Box::new(FullForBatches),
        &FixedClock(t("08:55")),
    )
    .unwrap();
    let before = s.events().to_vec();
    let result = import_into(
        &mut s,
        parsed("bad_values.csv", &Answers::default()),
        NURSE,
        "bad_values.csv",
        &FixedClock(t("09:30")),
    );
    match result {
        Err(ImportError::Session(CommandError::NotSaved(why))) => {
            assert!(why.contains("No space left"), "{why}")
        }
        other => panic!(
            "expected not saved, got {:?}",
            other.map(|t| t.readings_written)
        ),
    }
    assert_eq!(s.events(), before);
    assert!(s.state().readings.is_empty());
}

#[test]
fn a_files_scores_join_a_live_session_as_late_entries() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _path) = live_session(dir.path());
    let clock = FixedClock(t("09:40"));
    let tally = import_into(
        &mut s,
        parsed("scores_moaas_pain.csv", &Answers::default()),
        "nurse-bo",
        "scores_moaas_pain.csv",
        &clock,
    )
    .unwrap();
    assert_eq!(tally.readings_written, 5);
    assert_eq!(
        tally
            .scores
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect::<Vec<_>>(),
        [("MOAA/S", 3), ("pain NRS", 3)]
    );
    let scores: Vec<(String, i32, Time, u64)> = s
        .state()
        .assessments
        .iter()
        .map(|a| {
            let v = a.current().unwrap();
            let line = match &v.source {
                Source::Imported { line, .. } => *line,
                other => panic!("not imported: {other:?}"),
            };
            assert_eq!((v.by.as_str(), v.entered_at), ("nurse-bo", t("09:40")));
            (a.scale.clone(), v.score, v.at, line)
        })
        .collect();
    assert_eq!(
        scores,
        [
            ("MOAA/S".to_string(), 5, t("09:00"), 2),
            ("pain NRS".to_string(), 2, t("09:00"), 2),
            ("MOAA/S".to_string(), 4, t("09:10"), 4),
            ("MOAA/S".to_string(), 2, t("09:15"), 5),
            ("pain NRS".to_string(), 3, t("09:15"), 5),
            ("pain NRS".to_string(), 1, t("09:20"), 6),
        ]
    );
    // The 7 and the 2.5 under MOAA/S are noted at their lines.
    let lines: Vec<u64> = tally.rejected.iter().map(|p| p.line).collect();
    assert_eq!(lines, [6, 7]);
}
