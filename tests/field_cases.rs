//! The field cases (`tests/fixtures/field-cases/`, copied from `../shared/field-cases/`):
//! small inputs cut from public exports that the importer once got wrong, each with the
//! outcome its README gives. Each test imports as a user does and checks what they would
//! notice: the exit code, the message, and the readings' instants and values in the log.

use import_run::Run;
use infusion_vitals::chrono::{DateTime, Utc};
use infusion_vitals::session::{EventKind, VitalSet};
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

fn show(v: &VitalSet) -> String {
    let n = |x: Option<f64>| x.map_or("-".to_string(), |x| x.to_string());
    format!(
        "{}/{} hr {} spo2 {}",
        n(v.systolic_mmhg),
        n(v.diastolic_mmhg),
        n(v.heart_rate_bpm),
        n(v.spo2_pct)
    )
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a test time")
        .with_timezone(&Utc)
}

fn one_reading(name: &str, flags: &[&str], at: &str, values: &str) -> Run {
    let run = import(name, flags);
    run.exits(0);
    assert_eq!(readings(&run), [(utc(at), values.to_string())], "{}", run.out);
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
    assert!(readings.iter().all(|(_, v)| v.ends_with("spo2 82")), "{readings:?}");
    let alerts = run.summary("alerts:");
    assert!(alerts.starts_with("alerts: 1 (1 reached high"), "{}", run.out);
    assert!(run.out.contains("SpO2 low 82 % < 90"), "{}", run.out);
}

#[test]
fn systemic_pressures_are_arterial_blood_pressure() {
    let run = import("systemic_bp_ignored.csv", &[]);
    run.exits(0);
    assert_eq!(
        readings(&run),
        [
            (utc("2026-11-20T09:00:00Z"), "118/64 hr 72 spo2 -".to_string()),
            (utc("2026-11-20T09:05:00Z"), "121/66 hr 73 spo2 -".to_string()),
        ]
    );
    assert_eq!(
        run.summary("blood pressure readings by channel:"),
        "blood pressure readings by channel: 2 arterial"
    );
}
