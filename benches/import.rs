//! Importing a 4-hour monitor stream (one row a second, blood pressure every 15 minutes):
//! parse, validate, alert and seal. Run with `cargo bench --bench import`.

use criterion::{Criterion, criterion_group, criterion_main};
use infusion_vitals::alerts::Profile;
use infusion_vitals::chrono::{DateTime, Duration};
use infusion_vitals::clock::FixedClock;
use infusion_vitals::import::{ImportOptions, import_bytes};
use infusion_vitals::log::write::log_bytes;
use std::fmt::Write;
use std::hint::black_box;

fn four_hour_stream() -> String {
    let start = DateTime::parse_from_rfc3339("2026-03-14T09:00:00+01:00").unwrap();
    let mut csv = String::from("time,systolic,diastolic,heart_rate,spo2\n");
    for s in 0..4 * 3600 {
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
    let csv = four_hour_stream();
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

criterion_group!(import, benches);
criterion_main!(import);
