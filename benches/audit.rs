//! One file's audit: integrity (verify every row's hash, parse, fold) and the protocol
//! checks, on the two-hour session the audit's folder benchmark writes by the thousand.
//! Run with `cargo bench --bench audit`; the README records the numbers.

use criterion::{Criterion, criterion_group, criterion_main};
use infusion_vitals::audit::checks::audit_session;
use infusion_vitals::audit::file::{Profiles, audit_bytes};
use infusion_vitals::chrono::{DateTime, Duration};
use infusion_vitals::log::read_log;
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::sample_session::{Departures, completed_session};
use infusion_vitals::session::SessionState;
use std::hint::black_box;
use std::path::PathBuf;

fn benches(c: &mut Criterion) {
    let start = DateTime::parse_from_rfc3339("2026-03-16T08:00:00+01:00").unwrap();
    let session = completed_session(1, start, "RN-7", &Departures::none()).unwrap();
    let log = log_bytes(session.events(), &(start + Duration::hours(3)));
    let profiles = Profiles::as_recorded();
    eprintln!(
        "2-hour log: {} events, {} bytes",
        session.events().len(),
        log.len()
    );
    c.bench_function("audit one 2-hour log (integrity and protocol)", |b| {
        b.iter(|| audit_bytes(PathBuf::from("one.csv"), black_box(&log), &profiles))
    });
    let read = read_log(log.as_slice()).unwrap();
    let state = SessionState::fold(&read.events).unwrap();
    let profile = infusion_vitals::alerts::Profile::default_profile();
    c.bench_function("protocol checks of one 2-hour session", |b| {
        b.iter(|| audit_session(&profile, black_box(&read.events), &state))
    });
}

criterion_group!(audit, benches);
criterion_main!(audit);
