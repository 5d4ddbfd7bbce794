//! The importer against one small file per quirk of real monitor and spreadsheet exports
//! (`tests/fixtures/import/`, see DOMAIN.md "What monitor and spreadsheet exports look
//! like"). Each test checks what a user would notice: the exit code, the messages on
//! stderr, the summary, and the readings in the sealed log (times, values, channels).

use import_run::{Run, show};
use infusion_vitals::alerts::Profile;
use infusion_vitals::chrono::DateTime;
use infusion_vitals::clock::{FixedClock, format_time};
use infusion_vitals::import::plan::Flag;
use infusion_vitals::import::{Answers, ImportFailure, ImportOptions, Refusal, import_bytes};
use infusion_vitals::session::events::{AlertKey, Priority};
use infusion_vitals::session::via::{BpChannel, HrChannel};
use infusion_vitals::session::{Event, EventKind, Source, Via, Vital};
use std::path::{Path, PathBuf};

mod import_run;

// ---------------------------------------------------------------- running an import

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn import(name: &str, flags: &[&str]) -> Run {
    import_run::import(&fixture(name), flags)
}

impl Run {
    /// [`Run::exits`], and for a clean import (0) nothing on stderr.
    fn exits_clean(&self, code: i32) -> &Run {
        self.exits(code);
        if code == 0 {
            assert!(self.err.is_empty(), "stderr should be empty:\n{}", self.err);
        }
        self
    }

    /// The first line of the summary without the input's name.
    fn counts(&self) -> &str {
        let first = self.out.lines().next().unwrap_or_default();
        first
            .strip_prefix(&format!("{}: ", self.input))
            .unwrap_or_else(|| panic!("the summary starts with the input: {first}"))
    }

    /// The stderr messages about the file's line `line`, without the `INPUT:LINE: ` prefix.
    fn problems_on(&self, line: u64) -> Vec<&str> {
        let prefix = format!("{}:{line}: ", self.input);
        self.err
            .lines()
            .filter_map(|l| l.strip_prefix(&prefix))
            .collect()
    }

    fn readings(&self) -> Vec<Reading> {
        readings(&self.events)
    }

    fn alerts(&self) -> Vec<Alert> {
        alerts(&self.events)
    }
}

// ---------------------------------------------------------------- the library, for the questions

fn clock() -> FixedClock {
    // After every fixture's data: validation rejects readings from the future.
    FixedClock(DateTime::parse_from_rfc3339("2026-11-01T00:00:00+00:00").unwrap())
}

fn import_lib(name: &str, answers: &Answers) -> Result<Vec<Event>, ImportFailure> {
    let options = ImportOptions {
        file_label: name.into(),
        patient_id: "P-IMPORT".into(),
        by: "RN-TEST".into(),
        profile: Profile::default_profile(),
    };
    let bytes = std::fs::read(fixture(name)).unwrap();
    import_bytes(bytes, answers, options, &clock(), &mut |_, _| {})
        .map(|imported| imported.report.session.events().to_vec())
}

/// The flags a refused file asks for, in order.
fn questions(name: &str, answers: &Answers) -> Vec<Flag> {
    match import_lib(name, answers) {
        Err(ImportFailure::Refused(Refusal::Questions { questions })) => {
            questions.iter().map(|q| q.flag).collect()
        }
        Err(other) => panic!("{name}: expected questions, got: {other}"),
        Ok(_) => panic!("{name}: expected questions, but it was imported"),
    }
}

fn tz(zone: &str) -> Answers {
    Answers {
        zone: Some(zone.parse().unwrap()),
        ..Answers::default()
    }
}

// ---------------------------------------------------------------- what the log holds

/// A reading as the log has it: the file line it came from, its time, and its values as
/// `SYS/DIA hr HR spo2 SPO2` with `-` for a vital not measured.
#[derive(Clone, Debug, PartialEq)]
struct Reading {
    line: u64,
    at: String,
    values: String,
    via: Via,
}

fn readings(events: &[Event]) -> Vec<Reading> {
    events
        .iter()
        .filter_map(|e| match (&e.kind, &e.source) {
            (EventKind::ReadingRecorded { values, via, .. }, Source::Imported { line, .. }) => {
                Some(Reading {
                    line: *line,
                    at: format_time(&e.at),
                    values: show(values),
                    via: *via,
                })
            }
            _ => None,
        })
        .collect()
}

/// Asserts every reading's (file line, time, values), in the log's order.
fn assert_readings(readings: &[Reading], expected: &[(u64, &str, &str)]) {
    let got: Vec<(u64, &str, &str)> = readings
        .iter()
        .map(|r| (r.line, r.at.as_str(), r.values.as_str()))
        .collect();
    assert_eq!(got, expected);
}

fn reading_from_line(readings: &[Reading], line: u64) -> &Reading {
    readings
        .iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no reading from line {line} in {readings:#?}"))
}

/// An alert change as the log has it.
#[derive(Debug, PartialEq)]
struct Alert {
    at: String,
    key: AlertKey,
    priority: Priority,
    change: &'static str,
}

fn alerts(events: &[Event]) -> Vec<Alert> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Alert(a) => Some(Alert {
                at: format_time(&e.at),
                key: a.key,
                priority: a.priority,
                change: a.change.name(),
            }),
            _ => None,
        })
        .collect()
}

/// The five spot readings most spreadsheet fixtures hold, one every five minutes.
const FIVE_SPOT_VALUES: [&str; 5] = [
    "122/78 hr 72 spo2 98",
    "120/76 hr 70 spo2 97",
    "124/79 hr 74 spo2 98",
    "126/80 hr 75 spo2 98",
    "121/77 hr 71 spo2 99",
];

/// Asserts the five spot readings at `times`, from lines 2 to 6.
fn assert_five_spot_readings<S: AsRef<str>>(run: &Run, times: [S; 5]) {
    let expected: Vec<(u64, &str, &str)> = (0..5)
        .map(|i| (i as u64 + 2, times[i].as_ref(), FIVE_SPOT_VALUES[i]))
        .collect();
    assert_readings(&run.readings(), &expected);
}

/// `HH:MM` on 14 March 2026, Central European Time.
fn cet(hhmm: &str) -> String {
    format!("2026-03-14T{hhmm}:00+01:00")
}

/// 09:00 to 09:20 every five minutes, Central European Time.
fn cet_every_five_minutes() -> [String; 5] {
    ["09:00", "09:05", "09:10", "09:15", "09:20"].map(cet)
}

// ---------------------------------------------------------------- layout: encoding, delimiter, header

#[test]
fn a_utf8_bom_and_crlf_line_ends_read_like_plain_text() {
    let run = import("bom_crlf.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("file:"),
        "file: UTF-8 with BOM, comma-separated, header on line 1"
    );
    // The BOM is not part of the first column's name.
    assert!(
        run.summary("time:")
            .starts_with("time: 'time' (date and time)")
    );
    assert!(
        run.counts()
            .starts_with("6 rows read, 6 readings written, 0 values or rows rejected")
    );
    let values: Vec<(String, String)> = run
        .readings()
        .into_iter()
        .map(|r| (r.at, r.values))
        .collect();
    assert_eq!(values[0], (cet("09:00"), "122/78 hr 72 spo2 98".into()));
    assert_eq!(values[5], (cet("09:25"), "119/75 hr 69 spo2 98".into()));
}

#[test]
fn crlf_rows_keep_their_physical_line_numbers() {
    let run = import("bom_crlf.csv", &[]);
    let lines: Vec<u64> = run.readings().iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 6, 7]);
}

#[test]
fn a_german_excel_file_with_semicolons_decimal_commas_and_date_and_time_columns() {
    let run = import(
        "semicolon_decimal_comma_german.csv",
        &["--tz", "Europe/Berlin"],
    );
    run.exits_clean(0);
    assert_eq!(
        run.summary("file:"),
        "file: UTF-8, semicolon-separated, header on line 1"
    );
    assert_eq!(
        run.summary("time:"),
        "time: 'Datum' with 'Uhrzeit' (date and time of day), dates day first (dd/MM/yyyy); zone: Europe/Berlin (--tz)"
    );
    assert_eq!(
        run.summary("columns used:"),
        "columns used: systolic (non-invasive) <- 'Systolisch'; diastolic (non-invasive) <- 'Diastolisch'; heart rate (unspecified) <- 'Puls'; SpO2 <- 'SpO2 (%)'"
    );
    assert_readings(
        &run.readings(),
        &[
            (2, &cet("09:00"), "122/78 hr 72 spo2 97.5"),
            (3, &cet("09:05"), "118/76 hr 70 spo2 98"),
            (4, &cet("09:10"), "125/80 hr 74 spo2 96.5"),
            (5, &cet("09:15"), "121/77 hr 71 spo2 97"),
            (6, &cet("09:20"), "119/75 hr 69 spo2 98.5"),
        ],
    );
}

#[test]
fn a_tab_separated_file() {
    let run = import("tab_separated.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("file:"),
        "file: UTF-8, tab-separated, header on line 1"
    );
    assert_readings(
        &run.readings(),
        &[
            (2, &cet("09:00"), "122/78 hr 72 spo2 98"),
            (3, &cet("09:05"), "120/77 hr 71 spo2 98"),
            (4, &cet("09:10"), "127/81 hr 75 spo2 97"),
            (5, &cet("09:15"), "123/79 hr 73 spo2 98"),
            (6, &cet("09:20"), "118/75 hr 70 spo2 99"),
        ],
    );
}

#[test]
fn quoted_numbers_and_a_unit_inside_a_cell_are_numbers() {
    let run = import("quoted_numbers.csv", &[]);
    run.exits_clean(0);
    let readings = run.readings();
    assert_eq!(readings.len(), 5);
    assert_eq!(
        reading_from_line(&readings, 2).values,
        "122/78 hr 72 spo2 98"
    );
    // "98 %"
    assert_eq!(
        reading_from_line(&readings, 3).values,
        "119/76 hr 70 spo2 98"
    );
    assert_eq!(reading_from_line(&readings, 3).at, cet("09:05"));
}

#[test]
fn metadata_lines_above_the_header_are_skipped_and_rows_keep_their_file_lines() {
    let run = import("metadata_above_header.csv", &[]);
    run.exits_clean(1);
    // Line 8 of the file (three metadata lines and a blank line above the header).
    assert_eq!(
        run.problems_on(8),
        ["heart_rate 7O: not a number (accepted 20-300 bpm)"]
    );
    assert!(
        run.counts()
            .starts_with("5 rows read, 5 readings written, 1 values or rows rejected")
    );
    let readings = run.readings();
    let lines: Vec<u64> = readings.iter().map(|r| r.line).collect();
    assert_eq!(lines, [6, 7, 8, 9, 10]);
    // The rest of the row with the typo is kept.
    assert_eq!(
        reading_from_line(&readings, 8).values,
        "124/79 hr - spo2 98"
    );
}

#[test]
fn the_summary_names_the_header_line_even_after_a_blank_line() {
    let run = import("metadata_above_header.csv", &[]);
    assert_eq!(
        run.summary("file:"),
        "file: UTF-8, comma-separated, header on line 5 (4 lines above it skipped)"
    );
}

#[test]
fn a_header_repeated_mid_file_is_skipped_not_rejected() {
    let run = import("repeated_header_mid_file.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("file:"),
        "file: UTF-8, comma-separated, header on line 1; header repeated on line 6 (skipped)"
    );
    assert!(
        run.counts()
            .starts_with("8 rows read, 8 readings written, 0 values or rows rejected")
    );
    let lines: Vec<u64> = run.readings().iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4, 5, 7, 8, 9, 10]);
}

#[test]
fn columns_that_are_not_vitals_are_listed_as_ignored() {
    let run = import("many_non_vital_columns.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("columns used:"),
        "columns used: respiratory rate (unspecified) <- 'RR'; systolic (non-invasive) <- 'NIBP_Systolic'; diastolic (non-invasive) <- 'NIBP_Diastolic'; heart rate (ecg) <- 'ECG_HR'; SpO2 <- 'SpO2'"
    );
    assert_eq!(
        run.summary("columns ignored"),
        "columns ignored (10): Bed, Patient, EtCO2, Temp, NIBP_Mean, PVC, ST_II, Perfusion, Alarm, Comment"
    );
    assert_eq!(
        run.summary("heart rate readings by source:"),
        "heart rate readings by source: 6 ecg"
    );
    let readings = run.readings();
    assert_eq!(readings.len(), 6);
    // The quoted comment with a comma in it does not shift the columns.
    assert_eq!(
        reading_from_line(&readings, 4).values,
        "124/80 hr 74 spo2 98 rr 14"
    );
    assert_eq!(reading_from_line(&readings, 4).via.hr, Some(HrChannel::Ecg));
}

#[test]
fn windows_1252_text_is_decoded_and_its_accented_header_matched() {
    let run = import("windows_1252.csv", &["--tz", "Europe/Paris"]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("file:"),
        "file: Windows-1252, semicolon-separated, header on line 1"
    );
    assert!(
        run.summary("columns used:")
            .contains("heart rate (unspecified) <- 'Fréquence cardiaque'"),
        "{}",
        run.out
    );
    assert_eq!(
        run.summary("columns ignored"),
        "columns ignored (1): Commentaire"
    );
    assert_five_spot_readings(&run, cet_every_five_minutes());
}

// ---------------------------------------------------------------- column names

#[test]
fn ieee_11073_names_with_month_first_dates() {
    let run = import("ieee_nom_names_mdy.csv", &["--tz", "Europe/Berlin"]);
    run.exits_clean(0);
    assert!(
        run.summary("time:")
            .starts_with("time: 'Time' (date and time), dates month first (MM/dd/yyyy)"),
        "{}",
        run.out
    );
    assert_eq!(
        run.summary("columns used:"),
        "columns used: systolic (non-invasive) <- 'NOM_PRESS_BLD_NONINV_SYS'; diastolic (non-invasive) <- 'NOM_PRESS_BLD_NONINV_DIA'; heart rate (ecg) <- 'NOM_ECG_CARD_BEAT_RATE'; SpO2 <- 'NOM_PULS_OXIM_SAT_O2'; heart rate (oximeter) <- 'NOM_PLETH_PULS_RATE'"
    );
    assert_eq!(
        run.summary("blood pressure readings by channel:"),
        "blood pressure readings by channel: 4 non-invasive"
    );
    // ECG first; the oximeter's rate where the ECG has none (line 4).
    assert_eq!(
        run.summary("heart rate readings by source:"),
        "heart rate readings by source: 5 ecg, 1 oximeter"
    );
    let readings = run.readings();
    assert_eq!(reading_from_line(&readings, 3).values, "-/- hr 71 spo2 97");
    let line_4 = reading_from_line(&readings, 4);
    assert_eq!(
        (line_4.at.as_str(), line_4.values.as_str(), line_4.via.hr),
        (
            "2026-03-14T09:10:00+01:00",
            "125/80 hr 74 spo2 98",
            Some(HrChannel::Oximeter)
        )
    );
}

#[test]
fn vitaldb_device_prefixed_names_with_seconds_since_the_start() {
    assert_eq!(
        questions("vitaldb_seconds_since_start.csv", &Answers::default()),
        [Flag::Start, Flag::OffsetUnit]
    );
    let refused = import("vitaldb_seconds_since_start.csv", &[]);
    refused.exits_clean(2);
    assert!(
        refused.err.contains("answer with --start TIME"),
        "{}",
        refused.err
    );

    // VitalDB's 'Time' counts seconds, but its header does not say so.
    let run = import(
        "vitaldb_seconds_since_start.csv",
        &["--start", "2026-03-14T09:00:00+01:00", "--offset-unit", "s"],
    );
    run.exits_clean(0);
    assert!(
        run.summary("time:")
            .starts_with("time: 'Time' (seconds since the start)"),
        "{}",
        run.out
    );
    assert_eq!(
        run.summary("columns used:"),
        "columns used: systolic (non-invasive) <- 'Solar8000/NIBP_SBP'; diastolic (non-invasive) <- 'Solar8000/NIBP_DBP'; heart rate (unspecified) <- 'Solar8000/HR'; SpO2 <- 'Solar8000/PLETH_SPO2'"
    );
    let readings = run.readings();
    assert_eq!(readings.len(), 10);
    assert_eq!(
        (readings[0].at.as_str(), readings[0].values.as_str()),
        ("2026-03-14T09:00:00+01:00", "122/78 hr 72 spo2 97")
    );
    assert_eq!(
        (readings[5].at.as_str(), readings[5].values.as_str()),
        ("2026-03-14T09:05:00+01:00", "120/77 hr 74 spo2 98")
    );
    assert_eq!(readings[9].at, "2026-03-14T09:09:00+01:00");

    // A local start time is placed with --tz.
    let local = import(
        "vitaldb_seconds_since_start.csv",
        &[
            "--start",
            "2026-03-14 09:00:00",
            "--tz",
            "Europe/Berlin",
            "--offset-unit",
            "s",
        ],
    );
    local.exits_clean(0);
    assert_eq!(local.readings(), readings);
}

#[test]
fn time_since_the_start_is_read_in_the_unit_its_header_states_or_the_one_given() {
    // eICU's offsets count minutes, and the header does not say so: asked, never assumed.
    let refused = import(
        "eicu_offset_minutes.csv",
        &["--start", "2026-03-14T00:00:00Z"],
    );
    refused.exits_clean(2);
    assert!(
        refused
            .err
            .contains("'observationoffset' counts time since the recording started, and its header does not say in what unit"),
        "{}",
        refused.err
    );
    assert!(
        refused.err.contains("answer with --offset-unit s|min|ms"),
        "{}",
        refused.err
    );
    let run = import(
        "eicu_offset_minutes.csv",
        &[
            "--start",
            "2026-03-14T00:00:00+00:00",
            "--offset-unit",
            "min",
        ],
    );
    run.exits_clean(0);
    assert_eq!(
        run.summary("time:"),
        "time: 'observationoffset' (minutes since the start); zone: the start's offset"
    );
    let at: Vec<String> = run.readings().into_iter().map(|r| r.at).collect();
    // 1179 minutes is 19:39, not 19 min 39 s.
    assert_eq!(
        at,
        [
            "2026-03-14T19:39:00+00:00",
            "2026-03-14T19:44:00+00:00",
            "2026-03-14T19:49:00+00:00"
        ]
    );
    // A header that says seconds is read in seconds without a question.
    let seconds = import(
        "relative_time_seconds_header.csv",
        &["--start", "2026-03-14T09:00:00+01:00"],
    );
    seconds.exits_clean(0);
    let at: Vec<String> = seconds.readings().into_iter().map(|r| r.at).collect();
    assert_eq!(
        at,
        [
            "2026-03-14T09:00:00+01:00",
            "2026-03-14T09:01:00.500+01:00",
            "2026-03-14T09:02:00+01:00"
        ]
    );
    let bad = import(
        "eicu_offset_minutes.csv",
        &[
            "--start",
            "2026-03-14T00:00:00+00:00",
            "--offset-unit",
            "hours",
        ],
    );
    bad.exits_clean(2);
    assert!(
        bad.err
            .contains("--offset-unit 'hours' is not a unit of time: use s, min or ms"),
        "{}",
        bad.err
    );
}

#[test]
fn units_glued_onto_header_names() {
    let run = import("units_glued_on_headers.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("columns used:"),
        "columns used: systolic (non-invasive) <- 'SYS(mmHg)'; diastolic (non-invasive) <- 'DIA(mmHg)'; heart rate (unspecified) <- 'Pulse (bpm)'; SpO2 <- 'SpO2 (%)'"
    );
    assert_five_spot_readings(&run, cet_every_five_minutes());
}

#[test]
fn an_arterial_line_only_file_with_the_p1_disatolic_typo() {
    let run = import("arterial_only_typo_header.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("columns used:"),
        "columns used: heart rate (arterial) <- 'P1_HR'; systolic (arterial) <- 'P1_Systolic'; diastolic (arterial) <- 'P1_Disatolic'; SpO2 <- 'SpO2'"
    );
    assert_eq!(
        run.summary("blood pressure readings by channel:"),
        "blood pressure readings by channel: 6 arterial"
    );
    let readings = run.readings();
    assert_eq!(readings.len(), 6);
    assert_eq!(readings[0].values, "118/64 hr 72 spo2 98");
    assert!(
        readings
            .iter()
            .all(|r| r.via.bp == Some(BpChannel::Arterial) && r.via.hr == Some(HrChannel::Arterial)),
        "{readings:#?}"
    );
}

#[test]
fn blood_pressure_written_as_one_120_over_80_cell() {
    let run = import("bp_in_one_cell.csv", &[]);
    run.exits_clean(0);
    assert!(
        run.summary("columns used:")
            .starts_with("columns used: blood pressure as sys/dia (non-invasive) <- 'BP'"),
        "{}",
        run.out
    );
    assert_readings(
        &run.readings(),
        &[
            (2, &cet("09:00"), "120/80 hr 72 spo2 98"),
            (3, &cet("09:05"), "118/76 hr 70 spo2 97"),
            (4, &cet("09:10"), "-/- hr 74 spo2 98"),
            (5, &cet("09:15"), "126/84 hr 75 spo2 98"),
            (6, &cet("09:20"), "121/77 hr 71 spo2 99"),
        ],
    );
}

#[test]
fn french_and_spanish_headers_with_accents() {
    struct Case {
        file: &'static str,
        tz: &'static str,
        time: &'static str,
        used: &'static str,
        day: &'static str,
    }
    let cases = [
        Case {
            file: "french_headers.csv",
            tz: "Europe/Paris",
            time: "time: 'Horodatage' (date and time), dates day first (dd/MM/yyyy); zone: Europe/Paris (--tz)",
            used: "columns used: systolic (non-invasive) <- 'Pression systolique'; diastolic (non-invasive) <- 'Pression diastolique'; heart rate (unspecified) <- 'Pouls'; SpO2 <- 'Saturation en oxygène'",
            day: "2026-03-14",
        },
        Case {
            file: "spanish_headers.csv",
            tz: "Europe/Madrid",
            time: "time: 'Fecha' with 'Hora' (date and time of day), dates day first (dd/MM/yyyy); zone: Europe/Madrid (--tz)",
            used: "columns used: systolic (non-invasive) <- 'Presión sistólica'; diastolic (non-invasive) <- 'Presión diastólica'; heart rate (unspecified) <- 'Frecuencia cardíaca'; SpO2 <- 'Saturación de oxígeno'",
            day: "2026-03-15",
        },
    ];
    for case in cases {
        let run = import(case.file, &["--tz", case.tz]);
        run.exits_clean(0);
        assert_eq!(run.summary("time:"), case.time);
        assert_eq!(run.summary("columns used:"), case.used);
        let times = ["09:00", "09:05", "09:10", "09:15", "09:20"]
            .map(|hhmm| format!("{}T{hhmm}:00+01:00", case.day));
        assert_five_spot_readings(&run, times);
    }
}

// ---------------------------------------------------------------- times

#[test]
fn iso_times_with_offsets_written_with_t_space_z_and_fractions() {
    let run = import("iso_with_offset_t_and_space.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("time:"),
        "time: 'time' (date and time); zone: offsets in the file"
    );
    assert_five_spot_readings(
        &run,
        [
            "2026-03-14T09:00:00+01:00",
            "2026-03-14T09:05:00+01:00",
            "2026-03-14T08:10:00+00:00",
            "2026-03-14T09:15:00+01:00",
            "2026-03-14T09:20:00.500+01:00",
        ],
    );
}

#[test]
fn times_with_offsets_are_kept_as_written_and_the_summary_says_tz_was_not_needed() {
    let run = import(
        "iso_with_offset_t_and_space.csv",
        &["--tz", "Europe/Berlin"],
    );
    assert!(
        run.summary("time:")
            .ends_with("offsets in the file, kept as written (--tz Europe/Berlin was not needed)"),
        "{}",
        run.out
    );
    assert_eq!(
        reading_from_line(&run.readings(), 4).at,
        "2026-03-14T08:10:00+00:00"
    );
}

#[test]
fn iso_times_without_an_offset_are_refused_until_tz_names_the_zone() {
    assert_eq!(
        questions("iso_without_offset.csv", &Answers::default()),
        [Flag::Tz]
    );
    let refused = import("iso_without_offset.csv", &[]);
    refused.exits_clean(2);
    assert!(
        refused.err.contains("answer with --tz ZONE"),
        "{}",
        refused.err
    );
    assert!(
        refused.err.contains("nothing was written."),
        "{}",
        refused.err
    );

    let berlin = import("iso_without_offset.csv", &["--tz", "Europe/Berlin"]);
    berlin.exits_clean(0);
    assert!(
        berlin
            .summary("time:")
            .ends_with("zone: Europe/Berlin (--tz)")
    );
    assert_five_spot_readings(&berlin, cet_every_five_minutes());

    let offset = import("iso_without_offset.csv", &["--tz", "+05:30"]);
    offset.exits_clean(0);
    assert_eq!(offset.readings()[0].at, "2026-03-14T09:00:00+05:30");
}

#[test]
fn a_local_time_that_never_happened_is_rejected_not_guessed() {
    // Europe/Berlin moved from 02:00 to 03:00 on 29 March 2026.
    let run = import(
        "local_times_across_dst_change.csv",
        &["--tz", "Europe/Berlin"],
    );
    run.exits_clean(1);
    let problems = run.problems_on(4);
    assert_eq!(problems.len(), 1, "{}", run.err);
    assert!(
        problems[0].starts_with(
            "time '2026-03-29T02:30:00': does not exist in Europe/Berlin (clocks went forward)"
        ),
        "{}",
        problems[0]
    );
    let times: Vec<String> = run.readings().into_iter().map(|r| r.at).collect();
    assert_eq!(
        times,
        [
            "2026-03-29T01:30:00+01:00",
            "2026-03-29T01:55:00+01:00",
            "2026-03-29T03:05:00+02:00",
            "2026-03-29T03:30:00+02:00",
        ]
    );
}

#[test]
fn twelve_hour_times_with_am_and_pm() {
    let run = import("twelve_hour_am_pm.csv", &["--tz", "America/New_York"]);
    run.exits_clean(0);
    assert_five_spot_readings(
        &run,
        [
            "2026-03-14T11:50:00-04:00",
            "2026-03-14T12:00:00-04:00",
            "2026-03-14T12:10:00-04:00",
            "2026-03-14T13:20:00-04:00",
            "2026-03-14T13:30:15-04:00",
        ],
    );
}

#[test]
fn unix_epoch_seconds_milliseconds_and_fractions() {
    // 1773475200 is 2026-03-14T08:00:00Z.
    for (file, column, first) in [
        (
            "epoch_seconds.csv",
            "'unix_time' (Unix time in seconds)",
            "2026-03-14T08:00:00+00:00",
        ),
        (
            "epoch_milliseconds.csv",
            "'timestamp_ms' (Unix time in milliseconds)",
            "2026-03-14T08:00:00.250+00:00",
        ),
        (
            "epoch_fractional_seconds.csv",
            "'Timestamp' (Unix time in seconds)",
            "2026-03-14T08:00:00.500+00:00",
        ),
    ] {
        let run = import(file, &[]);
        run.exits_clean(0);
        assert_eq!(
            run.summary("time:"),
            format!("time: {column}; zone: offsets in the file (UTC for Unix times)")
        );
        let readings = run.readings();
        assert_eq!(readings.len(), 5, "{file}");
        assert_eq!(
            (readings[0].at.as_str(), readings[0].values.as_str()),
            (first, FIVE_SPOT_VALUES[0]),
            "{file}"
        );
        assert_eq!(
            readings[4].at.get(..19),
            Some("2026-03-14T08:20:00"),
            "{file}"
        );
    }
    assert_eq!(
        import("epoch_fractional_seconds.csv", &[]).readings()[1].at,
        "2026-03-14T08:05:00.250+00:00"
    );
    // --tz only changes how the instant is shown.
    let berlin = import("epoch_seconds.csv", &["--tz", "Europe/Berlin"]);
    berlin.exits_clean(0);
    assert_five_spot_readings(&berlin, cet_every_five_minutes());
}

mod exact_counts_of_time {
    use infusion_vitals::import::times::{NANOS_PER_MILLISECOND, NANOS_PER_SECOND, exact_nanos};
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    fn config() -> Config {
        Config {
            cases: 512,
            // Only tests/import_robustness.rs keeps a regressions file.
            failure_persistence: None,
            ..Config::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// Any instant up to 2100, written as Unix seconds with a fraction of 0 to 9
        /// digits, or as milliseconds with 0 to 6, reads back to the same nanosecond.
        #[test]
        fn a_unix_time_written_with_its_fraction_reads_back_exactly(
            seconds in 0i64..4_102_444_800,
            nanos in 0u32..1_000_000_000,
            digits in 0usize..=9,
            comma in any::<bool>(),
        ) {
            let kept = i128::from(nanos) / 10i128.pow(9 - digits as u32)
                * 10i128.pow(9 - digits as u32);
            let point = if comma { "," } else { "." };
            let fraction = format!("{nanos:09}");
            let text = if digits == 0 {
                seconds.to_string()
            } else {
                format!("{seconds}{point}{}", &fraction[..digits])
            };
            let want = i128::from(seconds) * NANOS_PER_SECOND + kept;
            prop_assert_eq!(exact_nanos(&text, NANOS_PER_SECOND), Some(want), "{}", text);
            // The same instant in milliseconds: the point moves three places.
            if digits >= 3 {
                let ms = format!("{seconds}{}{point}{}", &fraction[..3], &fraction[3..digits]);
                let ms = ms.trim_end_matches(point);
                prop_assert_eq!(exact_nanos(ms, NANOS_PER_MILLISECOND), Some(want), "{}", ms);
            }
        }

        /// What is not a count of time is refused, never read as a part of one.
        #[test]
        fn text_that_is_not_a_count_is_refused(text in "[0-9]{0,4}[.,][0-9]{0,3}[.,a-z ][0-9]{1,3}") {
            prop_assert_eq!(exact_nanos(&text, NANOS_PER_SECOND), None, "{}", text);
        }
    }
}

#[test]
fn a_zone_column_places_each_row_in_its_own_zone() {
    let run = import("zone_column_asia_bangkok.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("time:"),
        "time: 'Date/Time' (date and time); zone: the zone column 'Zone', row by row"
    );
    let readings = run.readings();
    assert_five_spot_readings(
        &run,
        ["16:00", "16:05", "16:10", "16:15", "16:20"].map(|t| format!("2026-03-14T{t}:00+07:00")),
    );
    // 16:00 in Bangkok is 09:00 UTC.
    let first = DateTime::parse_from_rfc3339(&readings[0].at).unwrap();
    assert_eq!(first.naive_utc().to_string(), "2026-03-14 09:00:00");
}

#[test]
fn dates_that_never_settle_day_or_month_first_are_refused_until_answered() {
    let name = "dates_never_settle_order.csv";
    assert_eq!(
        questions(name, &Answers::default()),
        [Flag::DateOrder, Flag::Tz]
    );
    assert_eq!(questions(name, &tz("Europe/London")), [Flag::DateOrder]);

    let refused = import(name, &["--tz", "Europe/London"]);
    refused.exits_clean(2);
    assert!(
        refused
            .err
            .contains("line 2: '05/03/2026 09:00:00' could be read more than one way")
            && refused.err.contains("answer with --date-order dmy|mdy|ymd"),
        "{}",
        refused.err
    );

    for (order, first) in [
        ("dmy", "2026-03-05T09:00:00+00:00"),
        ("mdy", "2026-05-03T09:00:00+01:00"),
    ] {
        let run = import(name, &["--tz", "Europe/London", "--date-order", order]);
        run.exits_clean(0);
        let readings = run.readings();
        assert_eq!(readings.len(), 5);
        assert_eq!(readings[0].at, first, "--date-order {order}");
    }
}

#[test]
fn two_time_columns_whose_clocks_disagree_by_months() {
    let name = "two_time_columns_clocks_disagree.csv";
    let run = import(name, &["--tz", "Europe/Berlin"]);
    run.exits_clean(0);
    let notes = run.summaries("time:");
    assert_eq!(notes.len(), 2, "{}", run.out);
    assert!(notes[0].starts_with("time: 'Time' (date and time), dates month first"));
    assert!(
        notes[1].starts_with("time: 'SystemLocalTime' is 128 days 5 h ahead of the time used")
            && notes[1].ends_with("--time-column 'SystemLocalTime' picks the other"),
        "{}",
        notes[1]
    );
    assert_eq!(run.readings()[0].at, cet("09:00"));

    let other = import(
        name,
        &["--tz", "Europe/Berlin", "--time-column", "SystemLocalTime"],
    );
    other.exits_clean(0);
    assert!(
        other
            .summary("time: 'SystemLocalTime'")
            .starts_with("time: 'SystemLocalTime' (date and time), dates day first"),
        "{}",
        other.out
    );
    let readings = other.readings();
    assert_eq!(
        (readings[0].at.as_str(), readings[0].values.as_str()),
        ("2026-07-20T14:31:07.120+02:00", "-/- hr 72 spo2 98")
    );

    let unknown = Answers {
        time_column: Some("Uhrzeit".into()),
        ..tz("Europe/Berlin")
    };
    assert_eq!(questions(name, &unknown), [Flag::TimeColumn]);
    let refused = import(name, &["--tz", "Europe/Berlin", "--time-column", "Uhrzeit"]);
    refused.exits_clean(2);
    assert!(
        refused
            .err
            .contains("the file has no column 'Uhrzeit' (columns: Time, RelativeTime,")
            && refused.err.contains("answer with --time-column NAME"),
        "{}",
        refused.err
    );
}

#[test]
fn the_clock_note_names_the_column_chosen_with_time_column() {
    let run = import(
        "two_time_columns_clocks_disagree.csv",
        &["--tz", "Europe/Berlin", "--time-column", "SystemLocalTime"],
    );
    let note = run.summary("time: 'Time' is");
    assert!(
        !note.contains("the first time column of the file is used"),
        "SystemLocalTime, the second time column, is used: {note}"
    );
}

// ---------------------------------------------------------------- values

#[test]
fn missing_marks_sentinels_and_unplugged_zeros_are_no_value_never_rejected() {
    let run = import("missing_tokens_and_sentinels.csv", &[]);
    run.exits_clean(0);
    assert!(
        run.counts().starts_with(
            "9 rows read, 8 readings written, 0 values or rows rejected, 0 warnings kept unconfirmed, 1 rows without values"
        ),
        "{}",
        run.out
    );
    assert_eq!(
        run.summaries("read as no value:"),
        [
            "read as no value: 4 x a no-value number such as -999 (first on line 6)",
            "read as no value: 2 x 0 in 'heart_rate' (a device's code for no reading) (first on line 8)",
            "read as no value: 2 x 0 in 'spo2' (a device's code for no reading) (first on line 9)",
        ]
    );
    assert_readings(
        &run.readings(),
        &[
            (2, &cet("09:00"), "122/78 hr 72 spo2 98"),
            (3, &cet("09:05"), "-/- hr 71 spo2 97"),   // -
            (4, &cet("09:10"), "-/- hr - spo2 98"),    // -- and --.-
            (5, &cet("09:15"), "-/- hr 73 spo2 -"),    // N/A and -nan(ind)
            (6, &cet("09:20"), "-/- hr 74 spo2 99"),   // -999
            (7, &cet("09:25"), "121/77 hr - spo2 -"),  // -100
            (8, &cet("09:30"), "120/76 hr - spo2 97"), // 0 heart rate
            (9, &cet("09:35"), "123/79 hr 72 spo2 -"), // 0 SpO2
        ],
    );
}

/// `text` written to a temporary CSV file and imported with `flags`.
fn import_text(text: &str, flags: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.csv");
    std::fs::write(&path, text).unwrap();
    import_run::import(&path, flags)
}

#[test]
fn half_a_blood_pressure_is_a_warning_and_exit_1() {
    for (header, given, missing) in [
        ("ABPSys", "systolic (arterial)", "arterial-diastolic"),
        ("NBPDias", "diastolic (non-invasive)", "systolic"),
    ] {
        let text =
            format!("time,HR,{header}\n2026-11-20T09:00:00Z,72,118\n2026-11-20T09:05:00Z,73,121\n");
        let run = import_text(&text, &[]);
        run.exits(1);
        let warning = run.summary("warning:");
        assert!(
            warning.contains(&format!("'{header}' gives the {given} but no column gives"))
                && warning.ends_with(&format!("--column {missing}=NAME")),
            "{warning}"
        );
    }
    // With both halves there is nothing to warn about.
    let both = import_text("time,ABPSys,ABPDias\n2026-11-20T09:00:00Z,118,64\n", &[]);
    both.exits_clean(0);
}

#[test]
fn a_column_that_looks_like_the_missing_spo2_is_a_warning_and_column_maps_it() {
    let mut text = String::from("Time,Oxy Sat Lvl,Pulse Rate,Motion\n");
    for s in 0..5 {
        text += &format!("2026-06-26T00:17:{:02}Z,{},88,0\n", s * 2, 96 - s);
    }
    let run = import_text(&text, &[]);
    run.exits(1);
    assert_eq!(
        run.summary("warning:"),
        "warning: no column gives SpO2, but 'Oxy Sat Lvl' looks like one (its name speaks of it and its values lie in 50-100 %); it is not read: to read it, --column spo2='Oxy Sat Lvl'"
    );
    // Motion's zeros do not look like a heart rate, and the pulse is read anyway.
    assert_eq!(run.summaries("warning:").len(), 1);

    let mapped = import_text(&text, &["--column", "spo2=Oxy Sat Lvl"]);
    mapped.exits_clean(0);
    assert_eq!(mapped.readings()[4].values, "-/- hr 88 spo2 92");

    let wrong = import_text(&text, &["--column", "spo2=Oxygen"]);
    wrong.exits(2);
    assert!(
        wrong
            .err
            .contains("the file has no column 'Oxygen' for SpO2")
            && wrong.err.contains("answer with --column VITAL=NAME"),
        "{}",
        wrong.err
    );
    let bad = import_text(&text, &["--column", "oxygen=Oxy Sat Lvl"]);
    bad.exits(2);
    assert!(
        bad.err
            .contains("'oxygen' is not a vital: use one of spo2,"),
        "{}",
        bad.err
    );
}

#[test]
fn an_oximeters_no_reading_codes_are_no_value_counted_per_column() {
    // SpO2 255 / pulse 65535 while the finger is out, 127 / 511 from other models, and a
    // pulse of 0: none is a value, none is an error, and the import stays clean.
    let run = import("oximeter_no_reading_codes.csv", &["--tz", "UTC"]);
    run.exits_clean(0);
    assert!(
        run.counts().starts_with(
            "6 rows read, 3 readings written, 0 values or rows rejected, 0 warnings kept unconfirmed, 3 rows without values"
        ),
        "{}",
        run.out
    );
    assert_eq!(
        run.summaries("read as no value:"),
        [
            "read as no value: 1 x 127 in 'SpO2(%)' (a device's code for no reading) (first on line 5)",
            "read as no value: 2 x 255 in 'SpO2(%)' (a device's code for no reading) (first on line 3)",
            "read as no value: 1 x 0 in 'Pulse Rate(bpm)' (a device's code for no reading) (first on line 6)",
            "read as no value: 1 x 511 in 'Pulse Rate(bpm)' (a device's code for no reading) (first on line 5)",
            "read as no value: 2 x 65535 in 'Pulse Rate(bpm)' (a device's code for no reading) (first on line 3)",
        ]
    );
    let values: Vec<String> = run.readings().into_iter().map(|r| r.values).collect();
    assert_eq!(
        values,
        ["-/- hr 72 spo2 97", "-/- hr - spo2 96", "-/- hr 74 spo2 96"]
    );
}

#[test]
fn an_arterial_line_with_equal_systolic_and_diastolic_gives_no_blood_pressure() {
    let run = import("arterial_line_flat.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("read as no value:"),
        "read as no value: 1 x arterial pressure with systolic and diastolic less than 5 mmHg apart (line not connected or damped): no blood pressure (first on line 4)"
    );
    assert_eq!(
        run.summary("blood pressure readings by channel:"),
        "blood pressure readings by channel: 4 arterial"
    );
    let readings = run.readings();
    assert_eq!(readings.len(), 5);
    // 80/80 is dropped; the row's heart rate and SpO2 are kept.
    assert_eq!(reading_from_line(&readings, 4).values, "-/- hr 74 spo2 97");
    assert_eq!(
        reading_from_line(&readings, 5).values,
        "119/65 hr 72 spo2 98"
    );
}

#[test]
fn a_bad_value_is_reported_at_its_line_with_the_accepted_range_and_the_rest_kept() {
    let run = import("bad_values.csv", &[]);
    run.exits_clean(1);
    assert_eq!(
        run.problems_on(3),
        ["systolic abc: not a number (accepted 40-300 mmHg)"]
    );
    let line_4 = run.problems_on(4);
    assert_eq!(line_4.len(), 1, "{}", run.err);
    assert!(
        line_4[0].starts_with("systolic 400: ") && line_4[0].ends_with("(accepted 40-300 mmHg)"),
        "{}",
        line_4[0]
    );
    assert!(
        run.counts()
            .starts_with("5 rows read, 5 readings written, 2 values or rows rejected")
    );
    assert_eq!(
        run.summaries("rejected:"),
        [
            "rejected: 1 x systolic above the accepted range, cannot be saved",
            "rejected: 1 x systolic not a number",
        ]
    );
    let readings = run.readings();
    assert_eq!(reading_from_line(&readings, 3).values, "-/76 hr 70 spo2 98");
    assert_eq!(reading_from_line(&readings, 4).values, "-/80 hr 74 spo2 97");
    assert_eq!(
        reading_from_line(&readings, 5).values,
        "121/77 hr 71 spo2 98"
    );
}

// ---------------------------------------------------------------- device streams

#[test]
fn a_one_hz_stream_beside_sparse_nibp() {
    let run = import("stream_1hz_with_sparse_nibp.csv", &[]);
    run.exits_clean(0);
    // 150 seconds; leads and probe off for 3 s (09:00:30 to 09:00:32).
    assert!(
        run.counts().starts_with(
            "150 rows read, 147 readings written, 0 values or rows rejected, 0 warnings kept unconfirmed, 3 rows without values"
        ),
        "{}",
        run.out
    );
    assert_eq!(
        run.summary("rhythm:"),
        "rhythm: a device stream (Heart rate every 1 s, SpO2 every 1 s, median): alerts wait until a condition lasts 15 s; Systolic, Diastolic as spot readings"
    );
    assert_eq!(
        run.summary("blood pressure readings by channel:"),
        "blood pressure readings by channel: 3 non-invasive"
    );
    let readings = run.readings();
    // Each reading at its row's time: line L is 09:00:00 + (L - 2) s.
    for r in &readings {
        let second = r.line - 2;
        assert_eq!(
            r.at,
            format!("2026-03-14T09:0{}:{:02}+01:00", second / 60, second % 60)
        );
        assert!(r.via.is_streamed(Vital::HeartRate) && r.via.is_streamed(Vital::Spo2));
        assert!(!r.via.is_streamed(Vital::Systolic));
    }
    assert!(readings.iter().all(|r| !(32..=34).contains(&r.line)));
    let with_bp: Vec<(&str, &str)> = readings
        .iter()
        .filter(|r| !r.values.starts_with("-/-"))
        .map(|r| (r.at.as_str(), r.values.as_str()))
        .collect();
    assert_eq!(
        with_bp,
        [
            ("2026-03-14T09:00:00+01:00", "122/78 hr 70 spo2 97"),
            ("2026-03-14T09:01:00+01:00", "124/79 hr 70 spo2 97"),
            ("2026-03-14T09:02:00+01:00", "121/77 hr 70 spo2 97"),
        ]
    );
}

#[test]
fn a_five_second_spo2_dip_in_a_stream_raises_no_alert() {
    let run = import("spo2_dip_5s.csv", &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("alerts:"),
        "alerts: 0 (0 reached high, 0 medium, 0 low)"
    );
    assert_eq!(run.alerts(), []);
}

#[test]
fn spo2_below_90_for_20_seconds_raises_a_high_alert_15_seconds_in() {
    let run = import("spo2_dip_20s.csv", &[]);
    run.exits_clean(0);
    assert!(
        run.summary("alerts:")
            .starts_with("alerts: 1 (1 reached high"),
        "{}",
        run.out
    );
    // SpO2 86 % from 09:00:20 to 09:00:39.
    let raised: Vec<Alert> = run
        .alerts()
        .into_iter()
        .filter(|a| a.change == "raised")
        .collect();
    assert_eq!(
        raised,
        [Alert {
            at: "2026-03-14T09:00:35+01:00".into(),
            key: AlertKey::Low(Vital::Spo2),
            priority: Priority::High,
            change: "raised",
        }]
    );
    // The library says the same.
    let events = import_lib("spo2_dip_20s.csv", &Answers::default()).unwrap();
    assert_eq!(alerts(&events)[0].at, "2026-03-14T09:00:35+01:00");
}

/// A home cuff's readings, days apart: a high systolic on Jan 10 at 07:54 asks for a
/// recheck, and the next reading comes on Jan 12. Time passes between the rows as at the
/// chair: the recheck falls due, then expires an hour after the reading, and the advisory
/// ends not rechecked; the Jan 12 reading is a condition of its own, never the recheck
/// of the first (issue 14, item 9: it had "confirmed" it).
#[test]
fn a_recheck_expires_between_readings_days_apart_and_the_next_starts_afresh() {
    let run = import(
        "home_cuff_readings_days_apart.csv",
        &["--tz", "America/New_York"],
    );
    run.exits_clean(0);
    assert_readings(
        &run.readings(),
        &[
            (2, "2025-01-10T07:54:00-05:00", "186/92 hr 78 spo2 -"),
            (3, "2025-01-12T08:03:00-05:00", "184/90 hr 76 spo2 -"),
        ],
    );
    let systolic = AlertKey::High(Vital::Systolic);
    let alert = |at: &str, change| Alert {
        at: at.into(),
        key: systolic,
        priority: Priority::Low,
        change,
    };
    assert_eq!(
        run.alerts(),
        [
            alert("2025-01-10T07:54:00-05:00", "raised"),
            alert("2025-01-10T07:59:00-05:00", "recheck-overdue"),
            alert("2025-01-10T08:54:00-05:00", "recheck-expired"),
            alert("2025-01-12T08:03:00-05:00", "raised"),
        ]
    );
    let messages: Vec<(u32, &str)> = run
        .events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Alert(a) => Some((a.alert_id, a.message.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        messages[2],
        (
            1,
            "* Systolic high 186 mmHg (measured 07:54): not rechecked within 60 min; advisory ended"
        )
    );
    assert_eq!(
        messages[3],
        (2, "* Systolic high 184 mmHg >= 180: recheck at 08:08")
    );
    assert_eq!(
        run.summary("alerts:"),
        "alerts: 2 (0 reached high, 0 medium, 2 low)"
    );
}

#[test]
fn a_row_whose_year_was_mistyped_is_rejected_rather_than_stretching_the_session() {
    let run = import("year_typo_in_one_row.csv", &["--tz", "+01:00"]);
    run.exits(1);
    assert_eq!(
        run.problems_on(4),
        [
            "time 1016-03-14T09:10:00+01:00: is more than 30 days apart from the file's other readings (a mistyped date or a reset clock) (the file's other readings run from 2026-03-14T09:00:00+01:00 to 2026-03-14T09:20:00+01:00 (4 rows))"
        ]
    );
    assert_readings(
        &run.readings(),
        &[
            (2, &cet("09:00"), "128/82 hr 74 spo2 97"),
            (3, &cet("09:05"), "126/80 hr 73 spo2 98"),
            (5, &cet("09:15"), "124/79 hr 72 spo2 98"),
            (6, &cet("09:20"), "122/78 hr 71 spo2 98"),
        ],
    );
    assert_eq!(
        run.summary("readings span"),
        format!("readings span {} to {}", cet("09:00"), cet("09:20"))
    );
}

/// Rows of a 1-Hz stream from 2026-03-14T00:00:00Z, with filler columns as monitors
/// write them: `rows` lines after the header.
fn long_stream(rows: u32) -> String {
    let mut text = String::from("Time,HR,SpO2,ST_I,ST_II,ST_III,QT,QTc,Temp\n");
    for i in 0..rows {
        let t = DateTime::parse_from_rfc3339("2026-03-14T00:00:00+00:00").unwrap()
            + infusion_vitals::chrono::Duration::seconds(i64::from(i));
        text += &format!(
            "{},{},{},0.1,0.2,-0.1,380,412,36.{}\n",
            t.to_rfc3339(),
            60 + i % 20,
            95 + i % 4,
            i % 10
        );
    }
    text
}

#[test]
fn a_long_file_read_on_several_threads_keeps_every_row_and_its_line() {
    // Large enough to be read in parts: a header repeated and a bad value past the middle.
    let mut text = long_stream(60_000);
    text += "Time,HR,SpO2,ST_I,ST_II,ST_III,QT,QTc,Temp\n";
    text += "2026-03-14T16:40:00+00:00,abc,97,0.1,0.2,-0.1,380,412,36.5\n";
    text += "2026-03-14T16:40:01+00:00,71,96,0.1,0.2,-0.1,380,412,36.5\n";
    assert!(
        text.len() > 3 << 20,
        "{} bytes: too small to be split",
        text.len()
    );
    let options = ImportOptions {
        file_label: "long.csv".into(),
        patient_id: "P-LONG".into(),
        by: "RN-TEST".into(),
        profile: Profile::default_profile(),
    };
    let imported = import_bytes(
        text.into_bytes(),
        &Answers::default(),
        options,
        &clock(),
        &mut |_, _| {},
    )
    .unwrap();
    let tally = &imported.report.tally;
    assert_eq!(tally.rows_read, 60_002);
    assert_eq!(tally.readings_written, 60_002);
    assert_eq!(tally.repeated_headers, [60_002]);
    let rejected: Vec<(u64, String)> = tally
        .rejected
        .iter()
        .map(|p| (p.line, p.problem.value.clone()))
        .collect();
    assert_eq!(rejected, [(60_003, "abc".to_string())]);
    let readings = readings(imported.report.session.events());
    assert_eq!(readings.len(), 60_002);
    // Every line once, in order: the first, one from each half, and the last two.
    let lines: Vec<u64> = readings.iter().map(|r| r.line).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(lines[..2], [2, 3]);
    assert_eq!(lines[60_000..], [60_003, 60_004]);
    let middle = reading_from_line(&readings, 30_001);
    assert_eq!(middle.values, "-/- hr 79 spo2 98");
    assert_eq!(middle.at, "2026-03-14T08:19:59+00:00");
}

#[test]
fn a_home_cuff_with_a_reading_a_day_keeps_every_day() {
    let mut text = String::from("Date,Time,SYS,DIA,Pulse\n");
    for day in 1..=20 {
        text += &format!("2026-03-{day:02},08:{:02},128,82,70\n", day % 60);
    }
    let options = ImportOptions {
        file_label: "cuff.csv".into(),
        patient_id: "P-HOME".into(),
        by: "RN-TEST".into(),
        profile: Profile::default_profile(),
    };
    let imported = import_bytes(
        text.into_bytes(),
        &tz("+01:00"),
        options,
        &clock(),
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(imported.report.tally.readings_written, 20);
    assert!(imported.report.tally.rejected.is_empty());
}

// ---------------------------------------------------------------- found by a new user's attack

#[test]
fn a_spreadsheets_midnight_dates_beside_a_time_column_are_read_with_it() {
    let text = "Datum;Uhrzeit;Systole;Diastole;Puls\n13.03.2026 00:00;07:08;128;82;70\n13.03.2026 00:00;19:45;165;98;88\n";
    for flags in [
        &["--tz", "Europe/Berlin"][..],
        &["--tz", "Europe/Berlin", "--time-column", "Uhrzeit"],
    ] {
        let run = import_text(text, flags);
        run.exits_clean(0);
        let at: Vec<String> = run.readings().into_iter().map(|r| r.at).collect();
        assert_eq!(
            at,
            ["2026-03-13T07:08:00+01:00", "2026-03-13T19:45:00+01:00"]
        );
    }
}

#[test]
fn a_surplus_in_every_row_is_read_by_position_with_a_warning() {
    // A decimal comma in a comma file adds a cell mid-row: nothing tells it from a surplus
    // at the end, so the import says what it assumed and exits 1.
    let run = import_text(
        "Time,Weight (kg),HR,SpO2\n2026-03-05 07:00,81,60,88,97\n",
        &["--tz", "UTC"],
    );
    run.exits(1);
    let warning = run.summary("warning:");
    assert!(
        warning.starts_with("warning: most rows have 5 cells but the header names 4")
            && warning.contains("(line 2: '2026-03-05 07:00,81,60,88,97')"),
        "{warning}"
    );
}

#[test]
fn two_digit_years_ask_the_order_as_the_year_may_come_first() {
    let text = "Date,HR\n26/03/05 07:08,70\n";
    let refused = import_text(text, &["--tz", "UTC"]);
    refused.exits(2);
    assert!(
        refused.err.contains("could be read more than one way"),
        "{}",
        refused.err
    );
    let ymd = import_text(text, &["--tz", "UTC", "--date-order", "ymd"]);
    assert_eq!(ymd.readings()[0].at, "2026-03-05T07:08:00+00:00");
    let dmy = import_text(text, &["--tz", "UTC", "--date-order", "dmy"]);
    assert_eq!(dmy.readings()[0].at, "2005-03-26T07:08:00+00:00");
}

#[test]
fn unix_seconds_under_a_milliseconds_name_are_read_as_seconds_and_said() {
    let run = import_text("timestamp_ms,HR\n1741158489,70\n", &[]);
    run.exits_clean(0);
    assert_eq!(run.readings()[0].at, "2025-03-05T07:08:09+00:00");
    assert!(
        run.summaries("time:")
            .iter()
            .any(|l| l.contains("'timestamp_ms' is named for milliseconds but holds Unix seconds")),
        "{}",
        run.out
    );
}

/// `RR` is a respiratory rate's name, and a blood pressure's in German charts
/// (Riva-Rocci): a column of `128/82` pairs under it is read as a blood pressure, and
/// the summary says why.
#[test]
fn an_averaged_spo2_is_warned_of_and_pairs_under_rr_are_a_blood_pressure() {
    let run = import_text("Time,SpO2 Avg,RR,HR\n2026-03-05T07:00Z,97,128/82,70\n", &[]);
    run.exits(1);
    let warnings = run.summaries("warning:");
    assert_eq!(warnings.len(), 1, "{}", run.out);
    assert!(
        warnings[0].ends_with("--column spo2='SpO2 Avg'"),
        "{}",
        warnings[0]
    );
    assert_eq!(
        run.summary("columns used:"),
        "columns used: blood pressure as sys/dia (non-invasive) <- 'RR'; heart rate (unspecified) <- 'HR'"
    );
    assert!(
        run.summary("columns:").contains(
            "'RR' holds systolic/diastolic pairs (120/80), so it is read as a blood pressure"
        ),
        "{}",
        run.out
    );
    assert_readings(
        &run.readings(),
        &[(2, "2026-03-05T07:00:00+00:00", "128/82 hr 70 spo2 -")],
    );
}

#[test]
fn column_finds_a_header_of_names_the_table_does_not_know() {
    let text = "Time,SpO2 Avg,HR Avg\n2026-03-05T07:00Z,97,70\n";
    let refused = import_text(text, &[]);
    refused.exits(2);
    assert!(
        refused
            .err
            .contains("--column VITAL=NAME reads a column under any name"),
        "{}",
        refused.err
    );
    let run = import_text(
        text,
        &["--column", "spo2=SpO2 Avg", "--column", "heart-rate=HR Avg"],
    );
    run.exits_clean(0);
    assert_eq!(run.readings()[0].values, "-/- hr 70 spo2 97");
}

#[test]
fn a_blood_pressure_cell_is_whole_or_rejected_and_its_mean_left_aside() {
    let run = import_text(
        "Time,NIBP,HR\n2026-03-05T07:00Z,128/82 (97),70\n2026-03-05T07:05Z,128/82/70,71\n2026-03-05T07:10Z,165/,72\n",
        &[],
    );
    run.exits(1);
    let values: Vec<String> = run.readings().into_iter().map(|r| r.values).collect();
    assert_eq!(
        values,
        [
            "128/82 hr 70 spo2 -",
            "-/- hr 71 spo2 -",
            "-/- hr 72 spo2 -"
        ]
    );
    assert_eq!(run.problems_on(4).len(), 1, "{}", run.err);
    assert_eq!(
        run.problems_on(3),
        [
            "systolic 128/82/70: not a blood pressure written systolic/diastolic (accepted 40-300 mmHg)"
        ]
    );
}

#[test]
fn a_vitals_column_is_never_the_time() {
    let run = import_text(
        "time,SYS,DIA\n2026-03-05T07:00Z,128,82\n",
        &["--time-column", "SYS"],
    );
    run.exits(2);
    assert!(
        run.err
            .contains("'SYS' is read as systolic (non-invasive), so it cannot give the times"),
        "{}",
        run.err
    );
}

#[test]
fn utf16_without_its_byte_order_mark_is_read() {
    let text = "time,HR\n2026-03-05T07:00Z,70\n";
    for big_endian in [false, true] {
        let bytes: Vec<u8> = text
            .encode_utf16()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("utf16.csv");
        std::fs::write(&path, bytes).unwrap();
        let run = import_run::import(&path, &[]);
        run.exits_clean(0);
        assert!(
            run.summary("file:").starts_with("file: UTF-16"),
            "{}",
            run.out
        );
    }
}

#[test]
fn a_quote_never_closed_is_rejected_naming_the_lines_it_swallowed() {
    let mut text = String::from("Time,HR,SpO2,Note\n");
    for i in 0..20 {
        let note = if i == 5 { "\"cuff changed" } else { "" };
        text += &format!("2026-03-05T07:{i:02}:00Z,70,97,{note}\n");
    }
    let run = import_text(&text, &[]);
    run.exits(1);
    assert_eq!(
        run.problems_on(7),
        [
            "row with a quote (\") never closed: the 14 lines after it were read into one of its cells, and their readings are lost; close the quote (or remove it) and import again (a quote closed within its cell)"
        ]
    );
    // A note with a line break in its quotes is a note.
    let fine = import_text(
        "Time,HR,Note\n2026-03-05T07:00:00Z,70,\"two\nlines\"\n2026-03-05T07:05:00Z,71,\n",
        &[],
    );
    fine.exits_clean(0);
}

#[test]
fn a_header_naming_more_columns_than_the_rows_hold_is_a_warning() {
    let run = import_text(
        "Time,Note (free text, optional),HR,SpO2\n2026-03-05 07:00,,70,97\n",
        &["--tz", "UTC"],
    );
    run.exits(1);
    assert!(
        run.summary("warning:")
            .starts_with("warning: most rows have 4 cells but the header names 5 ('Time', 'Note (free text', 'optional)', 'HR', 'SpO2')"),
        "{}",
        run.out
    );
}

#[test]
fn values_beyond_the_header_in_a_later_row_only_are_out_of_step() {
    let mut text = String::from("Time,Weight,HR,SpO2\n");
    for i in 0..700 {
        text += &format!("2026-03-05T{:02}:{:02}:00Z,81,72,95,\n", 7 + i / 60, i % 60);
    }
    // Line 702: a decimal comma in the weight, where the first rows had no such cell.
    text += "2026-03-05T19:00:00Z,81,5,70,97\n";
    let run = import_text(&text, &[]);
    run.exits(1);
    assert_eq!(run.problems_on(702).len(), 1, "{}", run.err);
    assert!(run.problems_on(702)[0].starts_with("row of 5 cells: out of step"));
}

#[test]
fn of_two_time_of_day_columns_the_named_one_is_used_and_the_other_said() {
    let text = "Date,Entered,Time,SYS,DIA,Pulse\n2026-03-13,09:00,07:08,120,80,70\n";
    let run = import_text(text, &["--tz", "UTC"]);
    run.exits_clean(0);
    assert_eq!(run.readings()[0].at, "2026-03-13T07:08:00+00:00");
    assert_eq!(
        run.summaries("time:")[1],
        "time: 'Entered' also holds times of day; 'Time' is used, and --time-column 'Entered' takes the other"
    );
    let entered = import_text(text, &["--tz", "UTC", "--time-column", "Entered"]);
    assert_eq!(entered.readings()[0].at, "2026-03-13T09:00:00+00:00");
}

#[test]
fn another_columns_dates_never_stand_in_for_the_time() {
    // A named time column that cannot be read: refused, not replaced by a calibration date.
    let refused = import_text(
        "Time,Last calibration,HR\nThu Mar 5 07:08:09 CET 2026,2026-03-01 09:00,70\n",
        &["--tz", "UTC"],
    );
    refused.exits(2);
    assert!(
        refused.err.contains("'Time' looks like the time column, but 1 of its 1 cells")
            && refused.err.contains("if 'Last calibration' (date and time) holds each reading's time instead, say so with --time-column NAME"),
        "{}",
        refused.err
    );
    // A date of birth, the same on every row, ranks after the readings' times.
    let births = import_text(
        "Geburtsdatum;Messung;Puls\n12.05.1950 00:00;13.03.2026 07:08;70\n12.05.1950 00:00;13.03.2026 07:18;71\n",
        &["--tz", "UTC"],
    );
    assert_eq!(births.readings()[0].at, "2026-03-13T07:08:00+00:00");
    // MIMIC's charttime is when it was measured, storetime when it was typed.
    let mimic = import_text(
        "storetime,charttime,heartrate\n2026-07-23 07:46:00,2026-07-23 05:54:00,70\n",
        &["--tz", "UTC"],
    );
    assert_eq!(mimic.readings()[0].at, "2026-07-23T05:54:00+00:00");
}

#[test]
fn a_dotted_clock_beside_a_date_is_the_time_of_day() {
    let run = import_text(
        "Datum;Uhrzeit;Puls\n13.03.2026;07.08;70\n13.03.2026;19.45;71\n",
        &["--tz", "UTC"],
    );
    run.exits_clean(0);
    let at: Vec<String> = run.readings().into_iter().map(|r| r.at).collect();
    assert_eq!(
        at,
        ["2026-03-13T07:08:00+00:00", "2026-03-13T19:45:00+00:00"]
    );
}

#[test]
fn digits_that_make_a_date_are_a_date_only_where_the_name_says_time() {
    // An identifier beside a time of day is no date.
    let ids = import_text("Record,Time,HR\n20260305,07:08,70\n", &["--tz", "UTC"]);
    ids.exits(2);
    // A header with a unit counts time: 20260305 ms since the start.
    let counts = import_text(
        "Time [ms],HR\n20260305,70\n",
        &["--start", "2026-03-05T00:00:00Z"],
    );
    counts.exits_clean(0);
    assert_eq!(counts.readings()[0].at, "2026-03-05T05:37:40.305+00:00");
}

#[test]
fn patient_columns_that_do_not_nest_tell_the_patients_apart_together() {
    let text = "caseid,MRN,Time,HR\n1,P1,2026-03-05T07:00Z,70\n2,P1,2026-03-05T07:05Z,71\n1,P2,2026-03-05T07:10Z,72\n";
    let refused = import_text(text, &[]);
    refused.exits(2);
    assert!(
        refused.err.contains("the rows name 3 patients in 'caseid' with 'MRN' (1 | P1: 1 rows, 2 | P1: 1 rows, 1 | P2: 1 rows)"),
        "{}",
        refused.err
    );
    let p2 = import_text(text, &["--select-patient", "1 | P2"]);
    let values: Vec<String> = p2.readings().into_iter().map(|r| r.values).collect();
    assert_eq!(values, ["-/- hr 72 spo2 -"]);
}

#[test]
fn brackets_that_tell_columns_apart_are_read() {
    let run = import_text(
        "Time,NIBP (S),NIBP (D),HR\n2026-03-05T07:00Z,120,80,70\n",
        &[],
    );
    run.exits_clean(0);
    assert_eq!(run.readings()[0].values, "120/80 hr 70 spo2 -");
}

#[test]
fn the_look_alike_warnings_skip_other_measures_and_name_both_halves() {
    // Venous saturation and a pulmonary pressure are not the patient's SpO2 and BP.
    let other = import_text(
        "Time,HR,NOM_SAT_O2_VEN,NOM_PRESS_BLD_ART_PULM_SYS\n2026-03-05T07:00Z,70,72,25\n",
        &[],
    );
    other.exits_clean(0);
    let halves = import_text("Time,Syst,Diast,HR\n2026-03-05T07:00Z,120,80,70\n", &[]);
    halves.exits(1);
    assert!(
        halves
            .summary("warning:")
            .ends_with("to read it, --column systolic='Syst'; --column diastolic='Diast'"),
        "{}",
        halves.out
    );
}

// ---------------------------------------------------------------- respiratory rate

/// A header with each vital as its log names it, and a time in UTC.
const FIVE_VITALS: &str = "time,systolic,diastolic,heart_rate,spo2,resp_rate\n";

#[test]
fn a_respiratory_rate_column_is_read_and_a_row_of_it_alone_is_a_reading() {
    let text = format!(
        "{FIVE_VITALS}2026-03-05T07:00:00Z,122,78,72,98,16\n2026-03-05T07:05:00Z,,,,,14\n2026-03-05T07:10:00Z,120,76,70,97,-\n"
    );
    let run = import_text(&text, &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("columns used:"),
        "columns used: systolic (non-invasive) <- 'systolic'; diastolic (non-invasive) <- 'diastolic'; heart rate (unspecified) <- 'heart_rate'; SpO2 <- 'spo2'; respiratory rate (unspecified) <- 'resp_rate'"
    );
    assert_readings(
        &run.readings(),
        &[
            (2, "2026-03-05T07:00:00+00:00", "122/78 hr 72 spo2 98 rr 16"),
            (3, "2026-03-05T07:05:00+00:00", "-/- hr - spo2 - rr 14"),
            (4, "2026-03-05T07:10:00+00:00", "120/76 hr 70 spo2 97"),
        ],
    );
    assert!(
        run.counts()
            .starts_with("3 rows read, 3 readings written, 0 values or rows rejected"),
        "{}",
        run.out
    );
}

#[test]
fn the_respiratory_rate_names_of_other_programs_and_languages_are_known() {
    for name in [
        "NOM_RESP_RATE",
        "NOM_AWAY_RESP_RATE",
        "MDC_RESP_RATE",
        "MDC_AWAY_RESP_RATE",
        "MDC_TTHOR_RESP_RATE",
        "RESP",
        "RR",
        "resprate",
        "respiration",
        "Respiratory rate",
        "Resp Rate",
        "Resp. rate (/min)",
        "Atemfrequenz",
        "AF",
        "FR",
        "frecuencia respiratoria",
        "Fréquence respiratoire",
        "CO2_RR",
        "awRR",
        "etCO2 RR",
        "Impedance RR",
        "RR [br/min]",
    ] {
        let text = format!("time,HR,\"{name}\"\n2026-03-05T07:00:00Z,72,16\n");
        let run = import_text(&text, &[]);
        run.exits_clean(0);
        assert!(
            run.summary("columns used:")
                .contains(&format!("<- '{name}'")),
            "{name}: {}",
            run.out
        );
        assert_eq!(run.readings()[0].values, "-/- hr 72 spo2 - rr 16", "{name}");
    }
}

/// The profile's bands (NEWS2): 8 breaths a minute or fewer is respiratory depression,
/// high at once; 21-24 is a low advisory.
#[test]
fn an_imported_respiratory_rate_raises_its_alerts() {
    for (rr, key, priority) in [
        ("7", AlertKey::Low(Vital::RespRate), Priority::High),
        ("24", AlertKey::High(Vital::RespRate), Priority::Low),
    ] {
        let text = format!(
            "{FIVE_VITALS}2026-03-05T07:00:00Z,122,78,72,98,14\n2026-03-05T07:05:00Z,121,77,71,97,{rr}\n"
        );
        let run = import_text(&text, &[]);
        run.exits_clean(0);
        let raised: Vec<Alert> = run
            .alerts()
            .into_iter()
            .filter(|a| a.change == "raised")
            .collect();
        assert_eq!(
            raised,
            [Alert {
                at: "2026-03-05T07:05:00+00:00".into(),
                key,
                priority,
                change: "raised",
            }],
            "RR {rr}: {}",
            run.out
        );
    }
}

/// In German charts `RR` (Riva-Rocci) is the cuff pressure: a column of `120/80` under it
/// is a blood pressure, and a pair among a respiratory rate's numbers is rejected, never
/// read as a rate.
#[test]
fn a_german_rr_column_of_pairs_is_a_blood_pressure_never_a_respiratory_rate() {
    let text = "Datum;Uhrzeit;RR;Puls\n13.03.2026;07:00;120/80;72\n13.03.2026;07:05;118/79;70\n";
    let run = import_text(text, &["--tz", "Europe/Berlin"]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("columns used:"),
        "columns used: blood pressure as sys/dia (non-invasive) <- 'RR'; heart rate (unspecified) <- 'Puls'"
    );
    assert_readings(
        &run.readings(),
        &[
            (2, "2026-03-13T07:00:00+01:00", "120/80 hr 72 spo2 -"),
            (3, "2026-03-13T07:05:00+01:00", "118/79 hr 70 spo2 -"),
        ],
    );

    // Mostly rates: the one pair is rejected at its line, the rest of the row kept.
    let text = "time,HR,RR\n2026-03-05T07:00:00Z,72,16\n2026-03-05T07:05:00Z,70,120/80\n2026-03-05T07:10:00Z,71,18\n";
    let run = import_text(text, &[]);
    run.exits(1);
    assert_eq!(
        run.problems_on(3),
        [
            "resp_rate 120/80: a blood pressure written systolic/diastolic, not a respiratory rate (in German charts RR is the cuff pressure, Riva-Rocci) (accepted 2-80 /min)"
        ]
    );
    assert_readings(
        &run.readings(),
        &[
            (2, "2026-03-05T07:00:00+00:00", "-/- hr 72 spo2 - rr 16"),
            (3, "2026-03-05T07:05:00+00:00", "-/- hr 70 spo2 -"),
            (4, "2026-03-05T07:10:00+00:00", "-/- hr 71 spo2 - rr 18"),
        ],
    );
}

/// Of several respiratory-rate columns one is read for the whole file: the airway's
/// (capnography) before one not named before impedance, and a column with no rates in
/// its first rows after those with rates. The summary says which, and `--column` takes
/// another.
#[test]
fn of_several_respiratory_rate_columns_one_is_read_by_its_source() {
    let text = "Time,NOM_RESP_RATE,NOM_AWAY_RESP_RATE,HR\n2026-03-05T07:00:00Z,15,20,72\n2026-03-05T07:05:00Z,16,,70\n";
    let run = import_text(text, &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("columns used:"),
        "columns used: respiratory rate (airway) <- 'NOM_AWAY_RESP_RATE'; heart rate (unspecified) <- 'HR'"
    );
    assert!(
        run.summary("columns:").starts_with(
            "columns: respiratory rate from 'NOM_AWAY_RESP_RATE' (airway) only, not 'NOM_RESP_RATE' (unspecified): one source for the whole file, never mixed row by row"
        ),
        "{}",
        run.out
    );
    assert_eq!(
        run.summary("columns not used:"),
        "columns not used: 'NOM_RESP_RATE' (respiratory rate (unspecified), already read from another column)"
    );
    // Never the other column's 16 where the airway gave nothing.
    assert_readings(
        &run.readings(),
        &[
            (2, "2026-03-05T07:00:00+00:00", "-/- hr 72 spo2 - rr 20"),
            (3, "2026-03-05T07:05:00+00:00", "-/- hr 70 spo2 -"),
        ],
    );

    let other = import_text(text, &["--column", "resp-rate=NOM_RESP_RATE"]);
    other.exits_clean(0);
    assert!(
        other
            .summary("columns used:")
            .contains("respiratory rate (unspecified) <- 'NOM_RESP_RATE'"),
        "{}",
        other.out
    );
    assert!(
        other
            .summary("columns:")
            .ends_with("never mixed row by row; the column named with --column"),
        "{}",
        other.out
    );
    assert_eq!(
        other.readings()[1].values,
        "-/- hr 70 spo2 - rr 16",
        "{}",
        other.out
    );

    // A capnograph left unplugged (0 and `-` throughout) does not hide a counted rate.
    let text =
        "Time,CO2_RR,Impedance RR,HR\n2026-03-05T07:00:00Z,0,15,72\n2026-03-05T07:05:00Z,-,16,70\n";
    let run = import_text(text, &[]);
    run.exits_clean(0);
    assert!(
        run.summary("columns:").starts_with(
            "columns: respiratory rate from 'Impedance RR' (impedance) only, not 'CO2_RR' (airway)"
        ),
        "{}",
        run.out
    );
    assert_eq!(
        run.readings()
            .iter()
            .map(|r| r.values.as_str())
            .collect::<Vec<_>>(),
        ["-/- hr 72 spo2 - rr 15", "-/- hr 70 spo2 - rr 16"]
    );
}

/// A capnograph without its sampling line writes 0 breaths a minute: no reading, counted
/// in the summary, never an error.
#[test]
fn a_respiratory_rate_of_0_is_a_device_without_a_reading() {
    let text = "Time,SpO2,CO2_RR\n2026-03-05T07:00:00Z,98,0\n2026-03-05T07:05:00Z,97,12\n";
    let run = import_text(text, &[]);
    run.exits_clean(0);
    assert_eq!(
        run.summary("read as no value:"),
        "read as no value: 1 x 0 in 'CO2_RR' (a device's code for no reading) (first on line 2)"
    );
    assert_readings(
        &run.readings(),
        &[
            (2, "2026-03-05T07:00:00+00:00", "-/- hr - spo2 98"),
            (3, "2026-03-05T07:05:00+00:00", "-/- hr - spo2 97 rr 12"),
        ],
    );
}

/// A column that looks like a respiratory rate under a name the table does not know is a
/// warning naming the `--column` that reads it.
#[test]
fn an_unread_column_that_looks_like_a_respiratory_rate_is_warned_of() {
    let text = "Time,HR,Atemzuege\n2026-03-05T07:00:00Z,72,16\n";
    let run = import_text(text, &[]);
    run.exits(1);
    let warning = run.summary("warning:");
    assert!(
        warning.starts_with(
            "warning: no column gives a respiratory rate, but 'Atemzuege' looks like one"
        ) && warning.ends_with("--column resp-rate='Atemzuege'"),
        "{warning}"
    );
    let read = import_text(text, &["--column", "resp-rate=Atemzuege"]);
    read.exits_clean(0);
    assert_eq!(read.readings()[0].values, "-/- hr 72 spo2 - rr 16");
    // Names that only hold the letters: a response, a statement.
    let text = "Time,HR,Response,Statement\n2026-03-05T07:00:00Z,72,16,12\n";
    import_text(text, &[]).exits_clean(0);
}

// ---------------------------------------------------------------- scores

/// A score as the log has it: file line, time, scale, score.
fn assessments(events: &[Event]) -> Vec<(u64, String, String, i32)> {
    events
        .iter()
        .filter_map(|e| match (&e.kind, &e.source) {
            (EventKind::AssessmentRecorded { scale, score, .. }, Source::Imported { line, .. }) => {
                Some((*line, format_time(&e.at), scale.clone(), *score))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn columns_named_after_a_scale_are_read_as_its_scores() {
    let run = import("scores_moaas_pain.csv", &[]);
    run.exits_clean(1);
    // The vitals: heart rate only, never a score read as a vital. Line 4 has a score
    // only; line 8 nothing at all.
    assert_readings(
        &run.readings(),
        &[
            (2, "2026-03-14T09:00:00+01:00", "-/- hr 72 spo2 -"),
            (3, "2026-03-14T09:05:00+01:00", "-/- hr 74 spo2 -"),
            (5, "2026-03-14T09:15:00+01:00", "-/- hr 70 spo2 -"),
            (6, "2026-03-14T09:20:00+01:00", "-/- hr 76 spo2 -"),
            (7, "2026-03-14T09:25:00+01:00", "-/- hr 75 spo2 -"),
        ],
    );
    let at = |hhmm: &str| format!("2026-03-14T{hhmm}:00+01:00");
    let score = |line, hhmm: &str, scale: &str, n| (line, at(hhmm), scale.to_string(), n);
    assert_eq!(
        assessments(&run.events),
        [
            score(2, "09:00", "MOAA/S", 5),
            score(2, "09:00", "pain NRS", 2),
            score(4, "09:10", "MOAA/S", 4),
            score(5, "09:15", "MOAA/S", 2),
            score(5, "09:15", "pain NRS", 3),
            score(6, "09:20", "pain NRS", 1),
        ]
    );
    // 7 is no MOAA/S score: rejected with its line, column and range; the row's heart
    // rate and pain score are kept (above).
    assert_eq!(
        run.problems_on(6),
        ["score MOAA/S 7 in column 'MOAA/S': is not a score of this scale (accepted 0-5)"]
    );
    assert_eq!(
        run.problems_on(7),
        [
            "score MOAA/S '2.5' in column 'MOAA/S': is not a whole number on the scale (accepted 0-5)"
        ]
    );
    // A row with a score only is not a row without values.
    assert!(
        run.counts().starts_with(
            "7 rows read, 5 readings written, 2 values or rows rejected, 0 warnings kept unconfirmed, 1 rows without values"
        ),
        "{}",
        run.out
    );
    assert_eq!(
        run.summary("scores read:"),
        "scores read: 3 MOAA/S from 'MOAA/S'; 3 pain NRS from 'pain'"
    );
    assert_eq!(
        run.summary("columns used:"),
        "columns used: heart rate (unspecified) <- 'heart_rate'"
    );
    assert!(run.summaries("columns ignored").is_empty(), "{}", run.out);
    // MOAA/S 2 at 09:15 raises the scale's high alert, at the score's own time.
    let moaas = infusion_vitals::session::events::ScaleName::new("MOAA/S").unwrap();
    let raised: Vec<Alert> = run
        .alerts()
        .into_iter()
        .filter(|a| a.key.scale() == Some(moaas))
        .collect();
    assert!(
        raised
            .iter()
            .any(|a| a.at == at("09:15") && a.priority == Priority::High),
        "{raised:?}"
    );
}

#[test]
fn a_vitals_column_is_never_a_score_nor_a_score_column_a_vital() {
    // A clinic's scale whose import names include a vital's column name: the table's
    // vital keeps its column.
    let mut profile = Profile::default_profile();
    let pain = profile
        .scales
        .iter_mut()
        .find(|s| s.name == "pain NRS")
        .unwrap();
    pain.import_names.push("heart_rate".into());
    let options = ImportOptions {
        file_label: "scores_moaas_pain.csv".into(),
        patient_id: "P-IMPORT".into(),
        by: "RN-TEST".into(),
        profile,
    };
    let bytes = std::fs::read(fixture("scores_moaas_pain.csv")).unwrap();
    let imported = import_bytes(
        bytes,
        &Answers::default(),
        options,
        &clock(),
        &mut |_, _| {},
    )
    .unwrap();
    let events = imported.report.session.events();
    let heart_rates: Vec<String> = readings(events).into_iter().map(|r| r.values).collect();
    assert_eq!(heart_rates.len(), 5);
    assert!(heart_rates[0].contains("hr 72"), "{heart_rates:?}");
    // pain NRS from `pain` only, never from `heart_rate`.
    assert_eq!(
        imported.report.tally.score_columns,
        [
            ("MOAA/S".to_string(), "MOAA/S".to_string()),
            ("pain".to_string(), "pain NRS".to_string()),
        ]
    );

    // A score column a person gives a vital by hand is that vital, and no score.
    let run = import("scores_moaas_pain.csv", &["--column", "spo2=pain"]);
    assert!(
        run.summary("columns used:").contains("<- 'pain'"),
        "{}",
        run.out
    );
    assert_eq!(
        run.summary("scores read:"),
        "scores read: 3 MOAA/S from 'MOAA/S'"
    );
    assert!(
        assessments(&run.events)
            .iter()
            .all(|(_, _, scale, _)| scale == "MOAA/S")
    );
}

#[test]
fn a_score_column_chosen_by_hand_replaces_the_one_found_by_name_and_none_reads_none() {
    // As the window's "Columns for each vital and score" gives them: the MOAA/S column
    // read as pain, and MOAA/S not read at all.
    let answers = Answers {
        zone: Some("Europe/Berlin".parse().unwrap()),
        scores: vec![("MOAA/S".into(), None), ("pain NRS".into(), Some(2))],
        ..Answers::default()
    };
    let events = import_lib("scores_moaas_pain.csv", &answers).unwrap();
    let at = |hhmm: &str| format!("2026-03-14T{hhmm}:00+01:00");
    let pain = |line, hhmm: &str, n| (line, at(hhmm), "pain NRS".to_string(), n);
    assert_eq!(
        assessments(&events),
        [
            pain(2, "09:00", 5),
            pain(4, "09:10", 4),
            pain(5, "09:15", 2),
            pain(6, "09:20", 7),
        ],
        "the pain column is not read: the scale has its column"
    );
}
