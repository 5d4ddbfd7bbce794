//! The journal on this machine's disk: how long one reading takes to be saved (write and
//! fsync), as percentiles over 1,000 saves, and how long a 4-hour session takes to replay.
//! Run with `cargo bench --bench journal`. The folder is made under `target/`, on the
//! project's disk (a /tmp in memory would flatter fsync).

use infusion_vitals::alerts::Profile;
use infusion_vitals::chrono::{DateTime, Duration};
use infusion_vitals::clock::{FixedClock, Time};
use infusion_vitals::commands::{Command, OnReject, OnWarning, ReadingEntry, Session};
use infusion_vitals::journal::{self, Journal};
use infusion_vitals::session::Vital;
use infusion_vitals::session::VitalSet;
use infusion_vitals::session::events::{SessionInfo, Source};
use std::time::Instant;

fn start() -> Time {
    DateTime::parse_from_rfc3339("2026-03-14T09:00:00+01:00").unwrap()
}

fn reading(at: Time, source: Source) -> Command {
    Command::RecordReading(ReadingEntry {
        at,
        values: VitalSet::of(&[
            (Vital::Systolic, 124.0),
            (Vital::Diastolic, 78.0),
            (Vital::HeartRate, 72.0),
            (Vital::Spo2, 98.0),
        ]),
        by: "RN-7".into(),
        source,
        on_warning: OnWarning::Confirmed,
        on_reject: OnReject::RejectEntry,
        via: Default::default(),
    })
}

/// A journaled session with one reading every `every_s` seconds for `readings` readings.
fn journaled(
    folder: &std::path::Path,
    readings: usize,
    every_s: i64,
    source: Source,
) -> (Session, Vec<f64>) {
    let path = journal::new_path(folder, &start());
    let store = Box::new(Journal::create(&path).unwrap());
    let clock = FixedClock(start());
    let mut s = Session::open_stored(
        Profile::default_profile(),
        SessionInfo::default(),
        start(),
        "RN-7",
        store,
        &clock,
    )
    .unwrap();
    let mut latencies_ms = Vec::with_capacity(readings);
    for i in 0..readings {
        let at = start() + Duration::seconds(every_s * (i as i64 + 1));
        let began = Instant::now();
        s.execute(reading(at, source.clone()), &FixedClock(at))
            .unwrap();
        latencies_ms.push(began.elapsed().as_secs_f64() * 1000.0);
    }
    (s, latencies_ms)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn replay_ms(path: &std::path::Path) -> (f64, usize) {
    let mut times: Vec<f64> = (0..21)
        .map(|_| {
            let began = Instant::now();
            let (_, contents) = Journal::reopen(path).unwrap();
            let session =
                Session::resume(Profile::default_profile(), contents.events, None).unwrap();
            std::hint::black_box(&session);
            began.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    let events = journal::read(path).unwrap().events.len();
    (percentile(&times, 0.5), events)
}

fn main() {
    std::fs::create_dir_all("target").unwrap();
    let dir = tempfile::tempdir_in("target").unwrap();

    let (_, mut latencies) = journaled(dir.path(), 1000, 300, Source::Manual);
    latencies.sort_by(f64::total_cmp);
    println!(
        "save one reading (validate, alert engine, write, fsync), 1,000 saves: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().unwrap()
    );

    let manual = tempfile::tempdir_in("target").unwrap();
    journaled(manual.path(), 48, 300, Source::Manual);
    let (ms, events) = replay_ms(&journal::find(manual.path()).unwrap()[0]);
    println!("replay a 4-hour session, a reading every 5 min ({events} events): median {ms:.2} ms");

    let stream = tempfile::tempdir_in("target").unwrap();
    journaled(
        stream.path(),
        4 * 3600,
        1,
        Source::Device {
            id: "monitor-1".into(),
        },
    );
    let (ms, events) = replay_ms(&journal::find(stream.path()).unwrap()[0]);
    println!("replay a 4-hour 1-Hz device session ({events} events): median {ms:.2} ms");
}
