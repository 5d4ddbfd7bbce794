//! One file's audit: integrity (verify every row's hash and the seal's signature, parse,
//! fold) and the protocol checks, on the two-hour session the audit's folder benchmark
//! writes by the thousand; and one Ed25519 verification of a seal alone.
//! Run with `cargo bench --bench audit`; the README records the numbers.

use criterion::{Criterion, criterion_group, criterion_main};
use infusion_vitals::audit::checks::audit_session;
use infusion_vitals::audit::file::{Profiles, audit_bytes};
use infusion_vitals::chrono::{DateTime, Duration};
use infusion_vitals::log::read_log;
use infusion_vitals::log::seal::{Chain, SealKey, Unverified, verify_all};
use infusion_vitals::log::write::signed_log_bytes;
use infusion_vitals::sample_session::{Departures, completed_session};
use infusion_vitals::session::SessionState;
use std::hint::black_box;
use std::path::PathBuf;

fn benches(c: &mut Criterion) {
    let start = DateTime::parse_from_rfc3339("2026-03-16T08:00:00+01:00").unwrap();
    let session = completed_session(1, start, "RN-7", &Departures::none()).unwrap();
    let key = SealKey::from_secret(&[7; 32]);
    let log = signed_log_bytes(session.events(), &(start + Duration::hours(3)), Some(&key));
    let profiles = Profiles::as_recorded();
    eprintln!(
        "2-hour log: {} events, {} bytes",
        session.events().len(),
        log.len()
    );
    c.bench_function(
        "audit one signed 2-hour log (integrity and protocol)",
        |b| b.iter(|| audit_bytes(PathBuf::from("one.csv"), black_box(&log), &profiles)),
    );
    let read = read_log(log.as_slice()).unwrap();
    let state = SessionState::fold(&read.events).unwrap();
    let profile = infusion_vitals::alerts::Profile::default_profile();
    c.bench_function("protocol checks of one 2-hour session", |b| {
        b.iter(|| audit_session(&profile, black_box(&read.events), &state, read.version))
    });
}

/// The signature's share of a log's audit: one strict Ed25519 verification over a seal
/// row's length of bytes (the public key decompressed each time, as `check` does), and
/// the same in a batch of 32, as the audit's workers verify them.
fn verification(c: &mut Criterion) {
    let key = SealKey::from_secret(&[7; 32]);
    let before = Chain::start(b"seq,record,event");
    let row = [b'x'; 220];
    let one = Unverified::new(key.public(), &before, &row, key.sign(&before, &row));
    assert!(one.verify());
    c.bench_function("verify one seal's Ed25519 signature", |b| {
        b.iter(|| black_box(&one).verify())
    });
    let batch: Vec<&Unverified> = std::iter::repeat_n(&one, 32).collect();
    assert!(verify_all(&batch));
    c.bench_function("verify 32 seals' signatures in one batch", |b| {
        b.iter(|| verify_all(black_box(&batch)))
    });
}

criterion_group!(audit, benches, verification);
criterion_main!(audit);
