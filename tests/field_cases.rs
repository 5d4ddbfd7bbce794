//! The field cases (`tests/fixtures/field-cases/`, copied from `../shared/field-cases/`):
//! small inputs cut from public exports that the importer once got wrong, each with the
//! outcome its README gives. Each test imports as a user does and checks what they would
//! notice: the exit code, the message, and the readings' instants and values in the log.

use import_run::{Run, show};
use infusion_vitals::chrono::{DateTime, Utc};
use infusion_vitals::session::EventKind;
use std::path::{Path, PathBuf};

mod import_run;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/field-cases")
        .join(name)
}

fn import(name: &str, flags: &[&str]) -> Run {
    import_run::import(&fixture(name), flags)
}

/// Each reading in the log: its instant in UTC and `SYS/DIA hr HR spo2 SPO2`.
fn readings(run: &Run) -> Vec<(DateTime<Utc>, String)> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ReadingRecorded { values, .. } => {
                Some((e.at.with_timezone(&Utc), show(values)))
            }
            _ => None,
        })
        .collect()
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test time")
        .with_timezone(&Utc)
}

fn one_reading(name: &str, flags: &[&str], at: &str, values: &str) -> Run {
    let run = import(name, flags);
    run.exits(0);
    assert_eq!(
        readings(&run),
        [(utc(at), values.to_string())],
        "{}",
        run.out
    );
    run
}

#[test]
fn omron_month_name_date_beside_a_time_column() {
    one_reading(
        "omron_monthname_date.csv",
        &["--tz", "America/New_York"],
        "2025-01-12T13:12:00Z",
        "114/74 hr 47 spo2 -",
    );
}

#[test]
fn o2ring_time_first_with_month_name_and_pm_glued_on() {
    let run = import(
        "o2ring_time_first_monthname.csv",
        &["--tz", "America/Chicago"],
    );
    run.exits(0);
    assert_eq!(
        readings(&run),
        [
            (utc("2026-06-20T04:59:44Z"), "-/- hr 60 spo2 89".to_string()),
            // 12:00:00AM is midnight.
            (utc("2026-06-20T05:00:00Z"), "-/- hr 61 spo2 96".to_string()),
        ]
    );
    let ignored = run.summary("columns ignored");
    assert!(ignored.contains("Motion"), "{ignored}");
}

#[test]
fn a_date_a_dash_and_a_time() {
    one_reading(
        "date_dash_time.csv",
        &["--tz", "Europe/Berlin"],
        "2022-12-16T13:33:00Z",
        "135/83 hr 83 spo2 -",
    );
}

#[test]
fn a_column_of_iso_times_is_the_time_column_whatever_its_name() {
    one_reading(
        "charttime_not_a_time_column.csv",
        &["--tz", "UTC"],
        "2026-07-23T05:54:00Z",
        "-/- hr 70 spo2 -",
    );
    // Naming it is no longer refused either.
    one_reading(
        "charttime_not_a_time_column.csv",
        &["--tz", "UTC", "--time-column", "charttime"],
        "2026-07-23T05:54:00Z",
        "-/- hr 70 spo2 -",
    );
}

#[test]
fn epoch_milliseconds_keep_their_last_digit() {
    let run = one_reading(
        "epoch_ms_fraction.csv",
        &[],
        "2026-11-20T14:00:00.001Z",
        "-/- hr 67 spo2 -",
    );
    assert!(
        run.events
            .iter()
            .any(|e| e.at.to_rfc3339() == "2026-11-20T14:00:00.001+00:00")
    );
}

#[test]
fn a_row_longer_than_the_others_is_rejected_not_read_shifted() {
    let run = import("row_longer_than_header.csv", &[]);
    run.exits(1);
    assert_eq!(
        readings(&run),
        [(utc("2026-11-20T09:00:00Z"), "-/- hr 70 spo2 98".to_string())]
    );
    let on_line_3: Vec<&str> = run
        .err
        .lines()
        .filter(|l| l.starts_with(&format!("{}:3: ", run.input)))
        .collect();
    assert_eq!(on_line_3.len(), 1, "{}", run.err);
    assert!(on_line_3[0].contains("row of 4 cells"), "{}", on_line_3[0]);
}

#[test]
fn an_oximeters_oxygen_level_is_spo2_and_its_desaturation_alarms() {
    let run = import("oxygen_level_ignored_desat.csv", &["--tz", "UTC"]);
    let readings = readings(&run);
    assert_eq!(readings.len(), 20);
    assert!(
        readings.iter().all(|(_, v)| v.ends_with("spo2 82")),
        "{readings:?}"
    );
    let alerts = run.summary("alerts:");
    assert!(
        alerts.starts_with("alerts: 1 (1 reached high"),
        "{}",
        run.out
    );
    assert!(run.out.contains("SpO2 low 82 % < 90"), "{}", run.out);
}

#[test]
fn systemic_pressures_are_arterial_blood_pressure() {
    let run = import("systemic_bp_ignored.csv", &[]);
    run.exits(0);
    assert_eq!(
        readings(&run),
        [
            (
                utc("2026-11-20T09:00:00Z"),
                "118/64 hr 72 spo2 -".to_string()
            ),
            (
                utc("2026-11-20T09:05:00Z"),
                "121/66 hr 73 spo2 -".to_string()
            ),
        ]
    );
    assert_eq!(
        run.summary("blood pressure readings by channel:"),
        "blood pressure readings by channel: 2 arterial"
    );
}

#[test]
fn two_patients_are_never_merged() {
    let name = "two_patients_one_file.csv";
    let refused = import(name, &["--tz", "UTC"]);
    refused.exits(2);
    assert!(
        refused.err.contains(
            "the rows name 2 patients in 'subject_id' (10000001: 3 rows, 10000002: 1 rows)"
        ) && refused.err.contains("answer with --select-patient ID"),
        "{}",
        refused.err
    );

    let first = import(name, &["--tz", "UTC", "--select-patient", "10000001"]);
    first.exits(0);
    // MIMIC's `resprate` is read as the respiratory rate (16, 16, 18 in the file).
    assert!(
        first
            .summary("columns used:")
            .contains("respiratory rate (unspecified) <- 'resprate'"),
        "{}",
        first.out
    );
    assert_eq!(
        readings(&first),
        [
            (
                utc("2026-07-23T05:54:00Z"),
                "106/63 hr 70 spo2 97 rr 16".to_string()
            ),
            (
                utc("2026-07-23T08:01:00Z"),
                "112/68 hr 72 spo2 98 rr 16".to_string()
            ),
            (
                utc("2026-07-23T10:20:00Z"),
                "118/71 hr 76 spo2 96 rr 18".to_string()
            ),
        ]
    );
    // MIMIC's `pain` (0-10) is read as the profile's pain NRS, not ignored, and never as
    // a vital: the three rows' 0, 0 and 2, at their times.
    assert_eq!(
        scores(&first),
        [
            (utc("2026-07-23T05:54:00Z"), "pain NRS".to_string(), 0),
            (utc("2026-07-23T08:01:00Z"), "pain NRS".to_string(), 0),
            (utc("2026-07-23T10:20:00Z"), "pain NRS".to_string(), 2),
        ]
    );
    assert_eq!(
        first.summary("scores read:"),
        "scores read: 3 pain NRS from 'pain'"
    );
    assert!(
        !first.summary("columns ignored").contains("pain"),
        "{}",
        first.out
    );
    assert!(
        first
            .out
            .contains("patient: '10000001' of 2 in 'subject_id'"),
        "{}",
        first.out
    );
    // Its log names the file's patient, unless --patient names another.
    assert!(patient_of(&first) == "10000001");
    let named = import(
        name,
        &[
            "--tz",
            "UTC",
            "--select-patient",
            "10000001",
            "--patient",
            "P-7",
        ],
    );
    assert_eq!(patient_of(&named), "P-7");

    let unknown = import(name, &["--tz", "UTC", "--select-patient", "42"]);
    unknown.exits(2);
    assert!(
        unknown.err.contains("'subject_id' holds no patient '42'"),
        "{}",
        unknown.err
    );
}

/// The scores in a run's log: time, scale, score.
fn scores(run: &Run) -> Vec<(DateTime<Utc>, String, i32)> {
    run.events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::AssessmentRecorded { scale, score, .. } => {
                Some((e.at.with_timezone(&Utc), scale.clone(), *score))
            }
            _ => None,
        })
        .collect()
}

fn patient_of(run: &Run) -> String {
    run.events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::SessionOpened(opening) => Some(opening.patient_id.clone()),
            _ => None,
        })
        .expect("an opening")
}

/// `import INPUT --split-patients OUT FLAGS...`, as a user runs it.
fn split_patients(input: &Path, out: &Path, flags: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        // The signing key in the build's scratch folder, not the user's data.
        .env("XDG_DATA_HOME", env!("CARGO_TARGET_TMPDIR"))
        .arg("import")
        .arg(input)
        .arg("--split-patients")
        .arg(out)
        .args(flags)
        .output()
        .unwrap()
}

#[test]
fn split_patients_writes_one_sealed_log_each() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("split");
    let status = split_patients(
        &fixture("two_patients_one_file.csv"),
        &out,
        &["--tz", "UTC"],
    );
    assert_eq!(status.status.code(), Some(0));
    let mut logs: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    logs.sort();
    assert_eq!(
        logs,
        ["patient-10000001.log.csv", "patient-10000002.log.csv"]
    );
    let second = infusion_vitals::log::read_log(
        std::fs::File::open(out.join("patient-10000002.log.csv")).unwrap(),
    )
    .expect("sealed");
    let values: Vec<String> = second
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ReadingRecorded { values, .. } => Some(show(values)),
            _ => None,
        })
        .collect();
    // The second patient's 142 is their own baseline, not a rise over the first's.
    assert_eq!(values, ["142/88 hr 104 spo2 94 rr 20"]);
    // Their pain 8 is theirs alone too.
    let pain: Vec<(String, i32)> = second
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::AssessmentRecorded { scale, score, .. } => Some((scale.clone(), *score)),
            _ => None,
        })
        .collect();
    assert_eq!(pain, [("pain NRS".to_string(), 8)]);
}

mod split_round_trip {
    use infusion_vitals::alerts::Profile;
    use infusion_vitals::chrono::DateTime;
    use infusion_vitals::clock::FixedClock;
    use infusion_vitals::import::columns::ColumnTable;
    use infusion_vitals::import::{Answers, ImportOptions, Opened, import_opened};
    use infusion_vitals::session::{EventKind, Source};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]
        /// Rows of one to four patients, interleaved: imported one patient at a time (as
        /// `--split-patients` does), the logs together hold every row's reading once, each
        /// under the patient its row names.
        #[test]
        fn every_reading_once_under_its_patient(
            patients in proptest::collection::vec(1u32..=4, 1..24),
        ) {
            let mut text = String::from("time,patient_id,HR\n");
            let mut want: BTreeMap<u64, String> = BTreeMap::new();
            for (i, p) in patients.iter().enumerate() {
                // The heart rate tells the rows apart; line 1 is the header.
                text += &format!("2026-07-23T05:{:02}:00Z,P{p},{}\n", i * 2, 60 + i);
                want.insert(i as u64 + 2, format!("P{p}"));
            }
            let opened = Opened::new(text.into_bytes(), ColumnTable::built_in()).unwrap();
            let (_, ids) = opened.survey.patients().expect("a patient column");
            let clock = FixedClock(DateTime::parse_from_rfc3339("2026-11-01T00:00:00Z").unwrap());
            let mut got: BTreeMap<u64, String> = BTreeMap::new();
            for (id, _) in ids {
                let answers = Answers {
                    patient: Some(id.clone()),
                    ..Answers::default()
                };
                let plan = opened.plan(&answers).unwrap();
                let options = ImportOptions {
                    file_label: "mixed.csv".into(),
                    patient_id: id.clone(),
                    by: "RN".into(),
                    profile: Profile::default_profile(),
                };
                let report = import_opened(&opened, &plan, options, &clock, &mut |_, _| {}, None)
                    .unwrap();
                for e in report.session.events() {
                    if let (EventKind::ReadingRecorded { .. }, Source::Imported { line, .. }) =
                        (&e.kind, &e.source)
                    {
                        prop_assert!(got.insert(*line, id.clone()).is_none(), "line {line} twice");
                    }
                }
            }
            prop_assert_eq!(got, want);
        }
    }
}

mod shifted_rows {
    use infusion_vitals::alerts::Profile;
    use infusion_vitals::chrono::DateTime;
    use infusion_vitals::clock::FixedClock;
    use infusion_vitals::import::{Answers, ImportOptions, import_bytes};
    use infusion_vitals::session::validate::Field;
    use infusion_vitals::session::{EventKind, Source};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]
        /// A file of time, SpO2, heart rate, systolic, diastolic and a note, one row of
        /// which gains or loses a cell somewhere: that row is rejected with its line (a
        /// value would otherwise be read in another vital's place), every other row is read
        /// exactly as written.
        #[test]
        fn a_row_with_a_cell_more_or_fewer_is_never_read_by_position(
            rows in 2usize..12,
            broken in any::<prop::sample::Index>(),
            at in 0usize..6,
            extra: bool,
        ) {
            let broken = broken.index(rows);
            let mut text = String::from("time,SpO2,HR,Systolic,Diastolic,note\n");
            let mut want = BTreeMap::new();
            for i in 0..rows {
                let (spo2, hr, sys, dia) = (90 + i % 10, 60 + i, 110 + i, 70 + i);
                let mut cells = vec![
                    format!("2026-11-20T09:{:02}:00Z", i * 5),
                    spo2.to_string(),
                    hr.to_string(),
                    sys.to_string(),
                    dia.to_string(),
                    "ok".to_string(),
                ];
                if i == broken {
                    if extra {
                        cells.insert(at + 1, "97".into());
                    } else {
                        cells.remove(at.min(4) + 1);
                    }
                } else {
                    want.insert(i as u64 + 2, (Some(sys as f64), Some(dia as f64), Some(hr as f64), Some(spo2 as f64)));
                }
                text += &cells.join(",");
                text += "\n";
            }
            let options = ImportOptions {
                file_label: "shifted.csv".into(),
                patient_id: "P".into(),
                by: "RN".into(),
                profile: Profile::default_profile(),
            };
            let clock = FixedClock(DateTime::parse_from_rfc3339("2026-11-21T00:00:00Z").unwrap());
            let imported = import_bytes(text.into_bytes(), &Answers::default(), options, &clock, &mut |_, _| {})
                .expect("imported");
            let mut got = BTreeMap::new();
            for e in imported.report.session.events() {
                if let (EventKind::ReadingRecorded { values, .. }, Source::Imported { line, .. }) = (&e.kind, &e.source) {
                    got.insert(*line, (values.get(infusion_vitals::session::Vital::Systolic), values.get(infusion_vitals::session::Vital::Diastolic), values.get(infusion_vitals::session::Vital::HeartRate), values.get(infusion_vitals::session::Vital::Spo2)));
                }
            }
            prop_assert_eq!(got, want);
            let line = broken as u64 + 2;
            prop_assert!(
                imported.report.tally.rejected.iter().any(|p| p.line == line && p.problem.field == Field::Row),
                "line {line} not rejected as a row out of step: {:?}",
                imported.report.tally.rejected
            );
        }
    }
}

#[test]
fn split_patients_never_replaces_a_log() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("mixed.csv");
    std::fs::write(
        &input,
        "MRN,Time,HR\na/b,2026-03-05T07:00Z,70\na_b,2026-03-05T07:05Z,71\na?b,2026-03-05T07:10Z,72\n",
    )
    .unwrap();
    let out = dir.path().join("split");
    let split = || split_patients(&input, &out, &[]);
    assert_eq!(split().status.code(), Some(0));
    let mut logs: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    logs.sort();
    // Three identifiers, one file name: each patient keeps a log of their own.
    assert_eq!(
        logs,
        [
            "patient-a_b-2.log.csv",
            "patient-a_b-3.log.csv",
            "patient-a_b.log.csv"
        ]
    );
    let again = split();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds patient-a_b.log.csv"));
}

#[test]
fn rows_without_a_patient_identifier_are_nobodys() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("blank.csv");
    std::fs::write(
        &input,
        "person_id,Time,HR,SpO2\nP1,2026-03-05T07:00Z,70,97\n,2026-03-05T07:05Z,130,85\n",
    )
    .unwrap();
    let refused = import_run::import(&input, &[]);
    refused.exits(2);
    assert!(
        refused
            .err
            .contains("'person_id' names one patient, but some rows have no identifier"),
        "{}",
        refused.err
    );
    let p1 = import_run::import(&input, &["--select-patient", "P1"]);
    p1.exits(0);
    assert_eq!(readings(&p1).len(), 1);
    assert!(
        p1.out.contains(
            "patient: 'P1' of 1 in 'person_id'; 1 rows without a patient identifier not read"
        ),
        "{}",
        p1.out
    );
}

#[test]
fn split_patients_says_which_rows_went_to_no_log() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("blank.csv");
    std::fs::write(
        &input,
        "MRN,Time,HR\nP1,2026-03-05T07:00Z,70\n,2026-03-05T07:05Z,71\nP2,2026-03-05T07:10Z,72\n",
    )
    .unwrap();
    let run = split_patients(&input, &dir.path().join("split"), &[]);
    // Two logs written, one row in none: not a clean 0, not a "nothing written" 2.
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&run.stderr)
            .contains("1 rows have no patient identifier and went to no log")
    );
}
