//! Importing a monitor stream (one row a second, blood pressure every 15 minutes): parse,
//! validate, alert and seal; and the part of an import into a live session that runs on
//! the window's thread. Run with `cargo bench --bench import`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use infusion_vitals::alerts::Profile;
use infusion_vitals::chrono::{DateTime, Duration};
use infusion_vitals::clock::FixedClock;
use infusion_vitals::commands::Session;
use infusion_vitals::import::columns::ColumnTable;
use infusion_vitals::import::session::import_into;
use infusion_vitals::import::{ImportOptions, Opened, Parsed, import_bytes};
use infusion_vitals::journal::{self, Journal};
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::session::events::SessionInfo;
use std::fmt::Write;
use std::hint::black_box;

fn stream(hours: i64) -> String {
    let start = DateTime::parse_from_rfc3339("2026-03-14T09:00:00+01:00").unwrap();
    let mut csv = String::from("time,systolic,diastolic,heart_rate,spo2\n");
    for s in 0..hours * 3600 {
        let at = (start + Duration::seconds(s)).to_rfc3339();
        let bp = if s % 900 == 0 {
            format!("{},{}", 120 + (s / 900) % 12, 78)
        } else {
            ",".into()
        };
        writeln!(csv, "{at},{bp},{},{}", 70 + s % 7, 96 + s % 3).unwrap();
    }
    csv
}

fn benches(c: &mut Criterion) {
    let csv = stream(4);
    let profile = Profile::default_profile();
    let clock = FixedClock(DateTime::parse_from_rfc3339("2026-03-15T09:00:00+01:00").unwrap());
    c.bench_function(
        "import a 4-hour 1-Hz stream (14,400 rows) into a sealed log",
        |b| {
            b.iter(|| {
                let options = ImportOptions {
                    file_label: "stream.csv".into(),
                    patient_id: "P-1".into(),
                    by: "RN-1".into(),
                    profile: profile.clone(),
                };
                let bytes = black_box(csv.as_bytes().to_vec());
                let report =
                    import_bytes(bytes, &Default::default(), options, &clock, &mut |_, _| {})
                        .unwrap()
                        .report;
                log_bytes(report.session.events(), &clock.0)
            })
        },
    );
}

/// The file as the guided import's thread hands it to the live screen: read and parsed.
fn parsed(csv: &str, profile: &Profile) -> Parsed {
    let opened = Opened::new(csv.as_bytes().to_vec(), ColumnTable::built_in()).unwrap();
    let plan = opened.plan(&Default::default()).unwrap();
    opened.read(&plan, profile, &mut |_, _| {})
}

/// What the window waits for: the parsed rows entered into a session at the chair as late
/// entries, with the alert engine, and the one journal write (and fsync) that saves them.
fn into_live_session(c: &mut Criterion) {
    let profile = Profile::default_profile();
    let opened_at = DateTime::parse_from_rfc3339("2026-03-14T08:55:00+01:00").unwrap();
    let clock = FixedClock(DateTime::parse_from_rfc3339("2026-03-15T09:00:00+01:00").unwrap());
    let folder = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("into a live session (the window's thread)");
    group.sample_size(10);
    for hours in [4, 24] {
        let rows = parsed(&stream(hours), &profile);
        group.bench_function(format!("{hours}-hour 1-Hz stream"), |b| {
            b.iter_batched(
                || {
                    let path = journal::new_path(folder.path(), &opened_at);
                    let store = Box::new(Journal::create(&path).unwrap());
                    let info = SessionInfo::default();
                    let session = Session::open_stored(
                        profile.clone(),
                        info,
                        opened_at,
                        "RN-1",
                        store,
                        &FixedClock(opened_at),
                    )
                    .unwrap();
                    (session, rows.clone(), path)
                },
                |(mut session, rows, path)| {
                    import_into(&mut session, rows, "RN-1", "stream.csv", &clock).unwrap();
                    std::fs::remove_file(path).unwrap();
                    session
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(import, benches, into_live_session);
criterion_main!(import);
