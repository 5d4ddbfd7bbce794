//! Writing and sealing a 4-hour session log, checking a 2-hour one, folding 10,000 events.
//! Run with `cargo bench --bench session_log`; the README records the numbers.

use criterion::{Criterion, criterion_group, criterion_main};
use infusion_vitals::alerts::Profile;
use infusion_vitals::chrono::{DateTime, Duration};
use infusion_vitals::clock::{FixedClock, Time};
use infusion_vitals::commands::{Command, OnReject, OnWarning, ReadingEntry, Session};
use infusion_vitals::log::read_log;
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::session::Vital;
use infusion_vitals::session::events::{
    AlertChange, EventKind, InfusionChange, Protocol, SessionInfo, Source,
};
use infusion_vitals::session::{Event, SessionState, VitalSet};
use std::hint::black_box;

fn start() -> Time {
    DateTime::parse_from_rfc3339("2026-03-14T09:00:00+01:00").unwrap()
}

/// A session as a busy chair makes it: baseline, an infusion of `hours` with a reading
/// every `every_min` minutes and a blood-pressure rise that raises, escalates and resolves
/// alerts (each acknowledged), then an hour of observation.
fn realistic_session(hours: i64, every_min: i64) -> Session {
    let t0 = start();
    let info = SessionInfo {
        patient_id: "MRN-0042".into(),
        weight_kg: Some(72.5),
        protocol: Protocol {
            name: "Chronic pain 1 mg/kg/h".into(),
            dose_mg_per_kg: Some(hours as f64),
            rate_mg_per_kg_h: Some(1.0),
            planned_min: Some(hours as u32 * 60),
        },
        profile_name: "Ketamine IV, adult".into(),
        profile_version: "1.0".into(),
    };
    let mut s = Session::open(
        Profile::default_profile(),
        info,
        t0,
        "RN-7",
        &FixedClock(t0),
    )
    .expect("the session opens");
    let reading = |s: &mut Session, at: Time, sys: f64| {
        let entry = ReadingEntry {
            at,
            values: VitalSet::of(&[
                (Vital::Systolic, sys),
                (Vital::Diastolic, sys * 0.6),
                (Vital::HeartRate, 72.0 + (sys - 125.0) / 3.0),
                (Vital::Spo2, 97.0),
            ]),
            by: "RN-7".into(),
            source: Source::Manual,
            on_warning: OnWarning::Confirmed,
            via: Default::default(),
            on_reject: OnReject::RejectEntry,
        };
        let out = s
            .execute(Command::RecordReading(entry), &FixedClock(at))
            .unwrap();
        for e in out.events {
            if let EventKind::Alert(a) = e.kind
                && matches!(
                    a.change,
                    AlertChange::Raised { .. } | AlertChange::Escalated
                )
            {
                let ack = Command::Acknowledge {
                    alert_id: a.alert_id,
                    by: "RN-7".into(),
                    action: "rechecked, clinician informed".into(),
                };
                s.execute(ack, &FixedClock(at + Duration::minutes(1)))
                    .unwrap();
            }
        }
    };
    reading(&mut s, t0, 124.0);
    reading(&mut s, t0 + Duration::minutes(5), 122.0);
    let infusion = |s: &mut Session, at: Time, change| {
        let cmd = Command::Infusion {
            at,
            by: "RN-7".into(),
            change,
            reason: "per protocol".into(),
        };
        s.execute(cmd, &FixedClock(at)).unwrap();
    };
    let begin = t0 + Duration::minutes(10);
    infusion(
        &mut s,
        begin,
        InfusionChange::Started {
            rate_mg_per_kg_h: Some(1.0),
        },
    );
    let end = begin + Duration::hours(hours);
    let mut at = begin + Duration::minutes(5);
    while at <= end + Duration::hours(1) {
        if at > end && s.state().infusion.stopped_at.is_none() {
            infusion(&mut s, end, InfusionChange::Stopped);
        }
        // A rise to about 190 and back, peaking 40 minutes in, as ketamine does.
        let minutes = (at - begin).num_minutes() as f64;
        let rise = 65.0 * (-((minutes - 40.0) / 25.0).powi(2)).exp();
        reading(&mut s, at, (123.0 + rise).round());
        at += Duration::minutes(every_min);
    }
    s
}

/// 10,000 events: a long device-fed session.
fn ten_thousand_events() -> Vec<Event> {
    let t0 = start();
    let mut events = realistic_session(4, 5).into_events();
    events.truncate(events.len() - 1); // keep it open
    let mut seq = events.len() as u64;
    let mut reading_id = SessionState::fold(&events).unwrap().readings.len() as u32;
    while events.len() < 10_000 {
        seq += 1;
        reading_id += 1;
        let at = t0 + Duration::seconds(6 * 3600 + seq as i64);
        events.push(Event {
            seq,
            at,
            entered_at: at,
            by: "RN-7".into(),
            source: Source::Device {
                id: "monitor-3".into(),
            },
            reason: None,
            kind: EventKind::ReadingRecorded {
                reading_id,
                values: VitalSet::of(&[(Vital::HeartRate, 70.0), (Vital::Spo2, 98.0)]),
                doubt: None,
                via: Default::default(),
            },
        });
    }
    events
}

fn benches(c: &mut Criterion) {
    let sealed_at = start() + Duration::hours(6);
    // Every 5 minutes: three times what the multi-hour cadence asks (15, then 30 minutes).
    let four_hours = realistic_session(4, 5);
    let two_hours_dense = log_bytes(realistic_session(2, 5).events(), &sealed_at);
    let two_hours = log_bytes(realistic_session(2, 15).events(), &sealed_at);
    let events = ten_thousand_events();
    eprintln!(
        "4-hour log: {} events, {} bytes; 2-hour logs: {} bytes (every 15 min), {} bytes (every 5 min); fold: {} events",
        four_hours.events().len(),
        log_bytes(four_hours.events(), &sealed_at).len(),
        two_hours.len(),
        two_hours_dense.len(),
        events.len()
    );
    c.bench_function("write and seal a 4-hour session log", |b| {
        b.iter(|| log_bytes(black_box(four_hours.events()), &sealed_at))
    });
    for (name, log) in [
        (
            "check a 2-hour session log, a reading every 15 min (verify seal, parse, fold)",
            &two_hours,
        ),
        (
            "check a 2-hour session log, a reading every 5 min (verify seal, parse, fold)",
            &two_hours_dense,
        ),
    ] {
        c.bench_function(name, |b| {
            b.iter(|| {
                let log = read_log(black_box(log.as_slice())).unwrap();
                SessionState::fold(&log.events).unwrap()
            })
        });
    }
    c.bench_function("fold 10,000 events", |b| {
        b.iter(|| SessionState::fold(black_box(&events)).unwrap())
    });
}

criterion_group!(session_log, benches);
criterion_main!(session_log);
