//! The importer against real monitor exports (Philips IntelliVue and GE Datex-Ohmeda S/5,
//! from VSCapture; see ../shared/real-exports/README.md). They are read where they are,
//! never copied into the repository; without the folder every test says it was skipped
//! and passes. Expected values are counted from the files themselves.

use infusion_vitals::clock::format_time;
use infusion_vitals::session::Vital;
use infusion_vitals::session::via::{BpChannel, HrChannel};
use infusion_vitals::session::{EventKind, Via, VitalSet};
use std::path::{Path, PathBuf};

mod import_run;

/// A real export's path, or `None` (with a note on stderr) when the folder is absent.
fn real_export(name: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports");
    if !dir.is_dir() {
        eprintln!("skipped: ../shared/real-exports not found");
        return None;
    }
    Some(dir.join(name))
}

use import_run::{Run, import};

impl Run {
    fn readings(&self) -> Vec<Reading> {
        self.events
            .iter()
            .filter_map(|e| match (&e.kind, &e.source) {
                (
                    EventKind::ReadingRecorded { values, via, .. },
                    infusion_vitals::session::Source::Imported { line, .. },
                ) => Some(Reading {
                    line: *line,
                    at: format_time(&e.at),
                    values: *values,
                    via: *via,
                }),
                _ => None,
            })
            .collect()
    }
}

#[derive(Debug)]
struct Reading {
    line: u64,
    at: String,
    values: VitalSet,
    via: Via,
}

impl Reading {
    fn bp(&self) -> Option<(f64, f64)> {
        self.values
            .get(Vital::Systolic)
            .zip(self.values.get(Vital::Diastolic))
    }
}

/// A real export read with the csv crate, for the expected values: each data row by its
/// file line (these files hold one record per line).
struct Export {
    header: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Export {
    fn read(path: &Path) -> Export {
        let text = std::fs::read_to_string(path).unwrap();
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let header = rdr.headers().unwrap().iter().map(String::from).collect();
        let rows = rdr
            .records()
            .map(|r| {
                let r = r.unwrap();
                (r.position().unwrap().line(), r)
            })
            .collect();
        Export { header, rows }
    }

    /// The number in column `name` on `row`, if it is a number above zero (the files
    /// write `-` for missing and `0` for an unplugged lead).
    fn positive(&self, row: &csv::StringRecord, name: &str) -> Option<f64> {
        let column = self.header.iter().position(|h| h == name).unwrap();
        row.get(column)
            .and_then(|c| c.trim().parse::<f64>().ok())
            .filter(|v| *v > 0.0)
    }

    /// A GE S/5 row's heart rate: ECG, else the arterial line's, unless that line has no
    /// pulse wave (systolic within 5 of diastolic) and so counts nothing.
    fn ge_heart_rate(&self, row: &csv::StringRecord) -> Option<f64> {
        let p1_flat = match (
            self.positive(row, "P1_Systolic"),
            self.positive(row, "P1_Disatolic"),
        ) {
            (Some(s), Some(d)) => (s - d).abs() < 5.0,
            _ => false,
        };
        self.positive(row, "ECG_HR")
            .or_else(|| self.positive(row, "P1_HR").filter(|_| !p1_flat))
    }

    fn row(&self, line: u64) -> &csv::StringRecord {
        &self
            .rows
            .iter()
            .find(|(l, _)| *l == line)
            .unwrap_or_else(|| panic!("no row on line {line}"))
            .1
    }
}

const TZ: &str = "Europe/London";

// ---------------------------------------------------------------- Philips IntelliVue

#[test]
fn intellivue_export_with_only_an_arterial_line_gives_its_arterial_readings() {
    let Some(input) = real_export("MPDataExport.csv") else {
        return;
    };
    let refused = import(&input, &[]);
    refused.exits(2);
    assert!(
        refused.err.contains("answer with --tz ZONE"),
        "{}",
        refused.err
    );

    let export = Export::read(&input);
    let arterial: Vec<(u64, f64, f64)> = export
        .rows
        .iter()
        .filter_map(|(line, row)| {
            let sys = export.positive(row, "NOM_PRESS_BLD_ART_SYS")?;
            let dia = export.positive(row, "NOM_PRESS_BLD_ART_DIA")?;
            Some((*line, sys, dia))
        })
        .collect();
    assert!(
        arterial.len() > 200,
        "the file has arterial pressure on most rows"
    );

    let run = import(&input, &["--tz", TZ]);
    run.exits(0);
    assert_eq!(
        run.summary("blood pressure readings by channel:"),
        format!(
            "blood pressure readings by channel: {} arterial",
            arterial.len()
        )
    );
    let note = run.summary("time: 'SystemLocalTime'");
    assert!(
        note.contains("ahead of the time used")
            && note.contains("two clocks that disagree")
            && note.ends_with("--time-column 'SystemLocalTime' picks the other"),
        "{note}"
    );
    let readings = run.readings();
    let with_bp: Vec<(u64, f64, f64)> = readings
        .iter()
        .filter_map(|r| r.bp().map(|(s, d)| (r.line, s, d)))
        .collect();
    assert_eq!(with_bp, arterial);
    assert!(
        readings
            .iter()
            .filter(|r| r.bp().is_some())
            .all(|r| r.via.bp == Some(BpChannel::Arterial)),
        "every pressure is from the arterial line"
    );
    let first = &readings[0];
    assert_eq!(first.at, "2020-04-23T02:57:35+01:00");
    assert_eq!(
        (
            first.bp(),
            first.values.get(Vital::HeartRate),
            first.values.get(Vital::Spo2),
            first.via.hr
        ),
        (
            Some((120.0, 70.0)),
            Some(60.0),
            Some(95.0),
            Some(HrChannel::Ecg)
        )
    );

    // The respiratory rate from the airway (capnography, 20 /min) rather than the
    // impedance-like NOM_RESP_RATE (15 /min): one source for the whole file.
    assert!(
        run.summary("columns used:")
            .contains("respiratory rate (airway) <- 'NOM_AWAY_RESP_RATE'"),
        "{}",
        run.out
    );
    assert!(
        run.summary("columns:").starts_with(
            "columns: respiratory rate from 'NOM_AWAY_RESP_RATE' (airway) only, not 'NOM_RESP_RATE' (unspecified)"
        ),
        "{}",
        run.out
    );
    for r in &readings {
        let row = export.row(r.line);
        assert_eq!(
            r.values.get(Vital::RespRate),
            export.positive(row, "NOM_AWAY_RESP_RATE"),
            "respiratory rate at line {}",
            r.line
        );
    }
    assert_eq!(first.values.get(Vital::RespRate), Some(20.0));

    // The other clock, about nine months ahead, when asked for.
    let other = import(&input, &["--tz", TZ, "--time-column", "SystemLocalTime"]);
    other.exits(0);
    assert_eq!(other.readings()[0].at, "2021-01-27T13:15:01.479+00:00");
}

#[test]
fn intellivue_nibp_export_asks_for_the_date_order_then_gives_every_nibp_set() {
    let Some(input) = real_export("MPDataExport2.csv") else {
        return;
    };
    let refused = import(&input, &[]);
    refused.exits(2);
    assert!(
        refused.err.contains("answer with --date-order dmy|mdy|ymd"),
        "{}",
        refused.err
    );

    let export = Export::read(&input);
    let nibp_rows = export
        .rows
        .iter()
        .filter(|(_, row)| {
            export.positive(row, "NOM_PRESS_BLD_NONINV_SYS") == Some(120.0)
                && export.positive(row, "NOM_PRESS_BLD_NONINV_DIA") == Some(80.0)
        })
        .count();
    assert_eq!(nibp_rows, export.rows.len(), "every data row holds 120/80");

    let run = import(&input, &["--date-order", "dmy", "--tz", TZ]);
    run.exits(0);
    assert_eq!(
        run.summary("blood pressure readings by channel:"),
        format!("blood pressure readings by channel: {nibp_rows} non-invasive")
    );
    let readings = run.readings();
    assert_eq!(readings.len(), nibp_rows);
    for r in &readings {
        assert_eq!(r.bp(), Some((120.0, 80.0)), "line {}", r.line);
        assert_eq!(r.via.bp, None, "a cuff reading: line {}", r.line);
        assert!(
            r.at.starts_with("2018-03-05T18:1"),
            "5 March, day first: {}",
            r.at
        );
    }
    assert_eq!(readings[0].at, "2018-03-05T18:15:13+00:00");
    // Its one respiratory-rate column, NOM_RESP_RATE, holds 15 on every row.
    assert!(
        run.summary("columns used:")
            .contains("respiratory rate (unspecified) <- 'NOM_RESP_RATE'"),
        "{}",
        run.out
    );
    for r in &readings {
        assert_eq!(r.values.get(Vital::RespRate), Some(15.0), "line {}", r.line);
    }
}

// ---------------------------------------------------------------- GE Datex-Ohmeda S/5

const GE_EXPORTS: [&str; 2] = ["AS3DataExport.csv", "AS3DataExport2.csv"];
const GE_FLAGS: [&str; 4] = ["--date-order", "mdy", "--tz", TZ];

#[test]
fn ge_s5_exports_give_their_spo2_and_heart_rate_and_no_impossible_pressure() {
    for name in GE_EXPORTS {
        let Some(input) = real_export(name) else {
            return;
        };
        let refused = import(&input, &[]);
        refused.exits(2);
        assert!(
            refused.err.contains("answer with --date-order dmy|mdy|ymd")
                && refused.err.contains("answer with --tz ZONE"),
            "{}",
            refused.err
        );

        let export = Export::read(&input);
        let run = import(&input, &GE_FLAGS);
        run.exits(0);
        let readings = run.readings();
        for r in &readings {
            let row = export.row(r.line);
            let at = format!("{name}:{} ({})", r.line, r.at);
            assert_eq!(
                r.values.get(Vital::Spo2),
                export.positive(row, "SpO2"),
                "SpO2 at {at}"
            );
            let heart_rate = export.ge_heart_rate(row);
            assert_eq!(
                r.values.get(Vital::HeartRate),
                heart_rate,
                "heart rate at {at}"
            );
            // The capnograph's CO2_RR (0 while it has no sampling line), never the
            // ventilator's RR column, which holds only `-` in these files.
            assert_eq!(
                r.values.get(Vital::RespRate),
                export.positive(row, "CO2_RR"),
                "respiratory rate at {at}"
            );
            for value in [
                r.values.get(Vital::RespRate),
                r.values.get(Vital::Systolic),
                r.values.get(Vital::Diastolic),
                r.values.get(Vital::HeartRate),
                r.values.get(Vital::Spo2),
            ]
            .into_iter()
            .flatten()
            {
                assert!(value > 0.0, "no noise such as -1 or -2 at {at}: {value}");
            }
            if let Some((sys, dia)) = r.bp() {
                assert!((40.0..=300.0).contains(&sys), "systolic {sys} at {at}");
                assert!((20.0..=200.0).contains(&dia), "diastolic {dia} at {at}");
                assert_ne!(sys, dia, "a flat line gives no pressure, at {at}");
                // The arterial line P1, never the P2 channel's noise.
                let p1 = (
                    export.positive(row, "P1_Systolic"),
                    export.positive(row, "P1_Disatolic"),
                );
                assert_eq!((Some(sys), Some(dia)), p1, "pressure at {at}");
                assert_eq!(r.via.bp, Some(BpChannel::Arterial), "channel at {at}");
            }
        }
        // Every SpO2 and heart rate of the file is in the log.
        let count = |f: &dyn Fn(&csv::StringRecord) -> bool| {
            export.rows.iter().filter(|(_, row)| f(row)).count()
        };
        let spo2_rows = count(&|row| export.positive(row, "SpO2").is_some());
        let hr_rows = count(&|row| export.ge_heart_rate(row).is_some());
        let has = |f: fn(&VitalSet) -> bool| readings.iter().filter(|r| f(&r.values)).count();
        assert_eq!(
            has(|v| v.get(Vital::Spo2).is_some()),
            spo2_rows,
            "{name}: SpO2 readings"
        );
        assert_eq!(
            has(|v| v.get(Vital::HeartRate).is_some()),
            hr_rows,
            "{name}: heart rates"
        );
        let rr_rows = count(&|row| export.positive(row, "CO2_RR").is_some());
        assert_eq!(
            has(|v| v.get(Vital::RespRate).is_some()),
            rr_rows,
            "{name}: respiratory rates"
        );
        assert!(
            run.summary("columns:").starts_with(
                "columns: respiratory rate from 'CO2_RR' (airway) only, not 'RR' (unspecified)"
            ),
            "{}",
            run.out
        );
        assert!(spo2_rows > 0, "{name} has SpO2");
        assert_eq!(
            readings[0].at, "2016-08-05T11:07:10+01:00",
            "{name}: month first"
        );
    }
}

#[test]
fn ge_s5_long_export_keeps_the_arterial_pressure_of_a_connected_line() {
    let Some(input) = real_export("AS3DataExport.csv") else {
        return;
    };
    let export = Export::read(&input);
    let connected = export
        .rows
        .iter()
        .filter(|(_, row)| {
            match (
                export.positive(row, "P1_Systolic"),
                export.positive(row, "P1_Disatolic"),
            ) {
                (Some(s), Some(d)) => s - d >= 5.0,
                _ => false,
            }
        })
        .count();
    let run = import(&input, &GE_FLAGS);
    run.exits(0);
    assert_eq!(
        run.summary("blood pressure readings by channel:"),
        format!("blood pressure readings by channel: {connected} arterial")
    );
    let flat_rows = export.rows.len() - connected;
    assert!(
        run.out.lines().any(|l| l.starts_with("read as no value: ")
            && l.contains("arterial pressure with systolic and diastolic less than 5 mmHg apart")),
        "the flat line is counted: {}",
        run.out
    );
    assert!(flat_rows > 0);
    // The export's first connected-line pressure: 68/60 at 11:13:02.
    let first = run
        .readings()
        .into_iter()
        .find(|r| r.bp().is_some())
        .expect("a pressure reading");
    assert_eq!(
        (first.at.as_str(), first.bp()),
        ("2016-08-05T11:13:02+01:00", Some((68.0, 60.0)))
    );
}

#[test]
fn ge_s5_heart_rate_is_not_taken_from_an_arterial_line_without_a_pulse_wave() {
    let Some(input) = real_export("AS3DataExport.csv") else {
        return;
    };
    let export = Export::read(&input);
    let run = import(&input, &GE_FLAGS);
    for r in run.readings() {
        if r.via.hr != Some(HrChannel::Arterial) {
            continue;
        }
        let row = export.row(r.line);
        let (sys, dia) = (
            export.positive(row, "P1_Systolic"),
            export.positive(row, "P1_Disatolic"),
        );
        let flat = matches!((sys, dia), (Some(s), Some(d)) if (s - d).abs() < 5.0);
        assert!(
            !flat,
            "line {}: heart rate {:?} from an arterial line at {sys:?}/{dia:?}, set aside as flat",
            r.line,
            r.values.get(Vital::HeartRate)
        );
    }
}
