//! Shared helpers for the integration tests: a chair-side session on Saturday
//! 14 March 2026, in Central European Time (+01:00), with the default profile.

#![allow(dead_code)]

pub mod capture;

use infusion_vitals::alerts::Profile;
use infusion_vitals::chrono::{DateTime, FixedOffset};
use infusion_vitals::clock::{FixedClock, Time};
use infusion_vitals::commands::{
    Command, CommandError, OnReject, OnWarning, Outcome, ReadingEntry, Session,
};
use infusion_vitals::session::events::{
    AlertChange, AlertKey, EventKind, InfusionChange, Priority, Protocol, SessionInfo,
};
use infusion_vitals::session::{Event, Source, Vital, VitalSet};

pub const NURSE: &str = "nurse-ak";

pub const SYSTOLIC_HIGH: AlertKey = AlertKey::High(Vital::Systolic);
pub const SYSTOLIC_LOW: AlertKey = AlertKey::Low(Vital::Systolic);
pub const DIASTOLIC_HIGH: AlertKey = AlertKey::High(Vital::Diastolic);
pub const HEART_RATE_HIGH: AlertKey = AlertKey::High(Vital::HeartRate);
pub const HEART_RATE_LOW: AlertKey = AlertKey::Low(Vital::HeartRate);
pub const SPO2_LOW: AlertKey = AlertKey::Low(Vital::Spo2);
pub const READING_OVERDUE: AlertKey = AlertKey::ReadingOverdue;

// ---------------------------------------------------------------- time

/// `t("09:30")` is 2026-03-14T09:30:00+01:00, the day of the session.
pub fn t(hhmm: &str) -> Time {
    on("2026-03-14", hhmm)
}

/// A time on another day, e.g. `on("2026-03-13", "08:59")`.
pub fn on(date: &str, hhmm: &str) -> Time {
    DateTime::<FixedOffset>::parse_from_rfc3339(&format!("{date}T{hhmm}:00+01:00"))
        .unwrap_or_else(|e| panic!("bad test time {date} {hhmm}: {e}"))
}

// ---------------------------------------------------------------- values

fn some(x: impl Into<f64>) -> Option<f64> {
    Some(x.into())
}

pub fn bp(systolic: impl Into<f64>, diastolic: impl Into<f64>) -> VitalSet {
    VitalSet::of(&[
        (Vital::Systolic, systolic.into()),
        (Vital::Diastolic, diastolic.into()),
    ])
}

pub fn systolic(x: impl Into<f64>) -> VitalSet {
    VitalSet::of(&[(Vital::Systolic, x.into())])
}

pub fn diastolic(x: impl Into<f64>) -> VitalSet {
    VitalSet::of(&[(Vital::Diastolic, x.into())])
}

pub fn hr(x: impl Into<f64>) -> VitalSet {
    VitalSet::of(&[(Vital::HeartRate, x.into())])
}

pub fn spo2(x: impl Into<f64>) -> VitalSet {
    VitalSet::of(&[(Vital::Spo2, x.into())])
}

pub fn full_set(
    systolic: impl Into<f64>,
    diastolic: impl Into<f64>,
    heart_rate: impl Into<f64>,
    spo2: impl Into<f64>,
) -> VitalSet {
    VitalSet::of(&[
        (Vital::Systolic, systolic.into()),
        (Vital::Diastolic, diastolic.into()),
        (Vital::HeartRate, heart_rate.into()),
        (Vital::Spo2, spo2.into()),
    ])
}

// ---------------------------------------------------------------- session

/// Opens a session at `at` with the default profile: depression protocol,
/// 0.5 mg/kg over 40 min.
pub fn open_session(at: Time) -> Session {
    open_session_with(Profile::default_profile(), at)
}

/// [`open_session`] with another profile (a clinic's).
pub fn open_session_with(profile: Profile, at: Time) -> Session {
    let info = SessionInfo {
        patient_id: "P-0042".into(),
        weight_kg: Some(72.0),
        protocol: Protocol {
            name: "Depression 0.5 mg/kg over 40 min".into(),
            dose_mg_per_kg: Some(0.5),
            rate_mg_per_kg_h: Some(0.75),
            planned_min: Some(40),
        },
        profile_name: profile.name.clone(),
        profile_version: profile.version.clone(),
    };
    Session::open(profile, info, at, NURSE, &FixedClock(at)).unwrap()
}

/// A session opened at 08:45 whose infusion started at 09:00 with no readings before
/// it: no baseline, so only the absolute thresholds speak.
pub fn infusion_running_without_baseline() -> Session {
    let mut s = open_session(t("08:45"));
    start_infusion(&mut s, t("09:00"));
    s
}

/// Records a manual reading measured and entered at `at`; warnings are confirmed by
/// the nurse, out-of-range values reject the entry. Panics if it is not saved.
pub fn record(s: &mut Session, at: Time, values: VitalSet) -> Outcome {
    try_record(s, at, values, OnWarning::Confirmed, OnReject::RejectEntry)
        .unwrap_or_else(|e| panic!("reading at {at} was not saved: {e}"))
}

/// Records a value streamed by a monitor, measured and entered at `at`.
pub fn record_from_device(s: &mut Session, at: Time, values: VitalSet) -> Outcome {
    let entry = ReadingEntry {
        at,
        values,
        by: NURSE.into(),
        source: Source::Device {
            id: "monitor-1".into(),
        },
        on_warning: OnWarning::Confirmed,
        on_reject: OnReject::RejectEntry,
        via: Default::default(),
    };
    s.execute(Command::RecordReading(entry), &FixedClock(at))
        .unwrap_or_else(|e| panic!("device reading at {at} was not saved: {e}"))
}

/// Records a manual reading measured and entered at `at` with the given policies.
pub fn try_record(
    s: &mut Session,
    at: Time,
    values: VitalSet,
    on_warning: OnWarning,
    on_reject: OnReject,
) -> Result<Outcome, CommandError> {
    try_record_entered_at(s, at, at, values, on_warning, on_reject)
}

/// Records a reading measured at `at` and entered at `now`.
pub fn try_record_entered_at(
    s: &mut Session,
    at: Time,
    now: Time,
    values: VitalSet,
    on_warning: OnWarning,
    on_reject: OnReject,
) -> Result<Outcome, CommandError> {
    let entry = ReadingEntry {
        at,
        values,
        by: NURSE.into(),
        source: Source::Manual,
        on_warning,
        on_reject,
        via: Default::default(),
    };
    s.execute(Command::RecordReading(entry), &FixedClock(now))
}

pub fn start_infusion(s: &mut Session, at: Time) -> Outcome {
    infusion(
        s,
        at,
        InfusionChange::Started {
            rate_mg_per_kg_h: Some(0.75),
        },
        // Needed when the baseline BP is at or above the review level; harmless below it.
        "baseline reviewed by the clinician",
    )
}

pub fn stop_infusion(s: &mut Session, at: Time) -> Outcome {
    infusion(s, at, InfusionChange::Stopped, "dose complete")
}

fn infusion(s: &mut Session, at: Time, change: InfusionChange, reason: &str) -> Outcome {
    let command = Command::Infusion {
        at,
        by: NURSE.into(),
        change,
        reason: reason.into(),
    };
    s.execute(command, &FixedClock(at))
        .unwrap_or_else(|e| panic!("infusion change at {at} failed: {e}"))
}

/// Acknowledges the active alert of `key` at `at`, recording the action taken.
pub fn acknowledge(s: &mut Session, key: AlertKey, at: Time) -> Outcome {
    let alert_id = s
        .state()
        .active_alert(key)
        .unwrap_or_else(|| panic!("no active {key:?} alert to acknowledge"))
        .id;
    let command = Command::Acknowledge {
        alert_id,
        by: NURSE.into(),
        action: "infusion paused, clinician called".into(),
    };
    s.execute(command, &FixedClock(at))
        .unwrap_or_else(|e| panic!("acknowledging {key:?} failed: {e}"))
}

/// The alert engine's timer tick at `now`.
pub fn tick(s: &mut Session, now: Time) -> Vec<Event> {
    s.run_alerts(now, now)
        .expect("a session in memory saves everything")
}

// ---------------------------------------------------------------- alerts

/// An active alert as the nurse sees it: what, how urgent, and whether a recheck is
/// pending.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shown {
    pub key: AlertKey,
    pub priority: Priority,
    pub recheck: bool,
}

pub fn low(key: AlertKey) -> Shown {
    Shown {
        key,
        priority: Priority::Low,
        recheck: false,
    }
}

/// A low advisory "recheck by HH:MM": a medium condition met once.
pub fn recheck(key: AlertKey) -> Shown {
    Shown {
        key,
        priority: Priority::Low,
        recheck: true,
    }
}

pub fn medium(key: AlertKey) -> Shown {
    Shown {
        key,
        priority: Priority::Medium,
        recheck: false,
    }
}

pub fn high(key: AlertKey) -> Shown {
    Shown {
        key,
        priority: Priority::High,
        recheck: false,
    }
}

/// Every active alert, oldest first.
pub fn active_alerts(s: &Session) -> Vec<Shown> {
    s.state()
        .active_alerts()
        .map(|a| Shown {
            key: a.key,
            priority: a.priority,
            recheck: a.recheck.is_some(),
        })
        .collect()
}

/// The active alert of one kind, if any.
pub fn alert_on(s: &Session, key: AlertKey) -> Option<Shown> {
    active_alerts(s).into_iter().find(|a| a.key == key)
}

/// Alert changes among `events`: (key, change name such as "raised", priority after).
pub fn alert_changes(events: &[Event]) -> Vec<(AlertKey, &'static str, Priority)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Alert(a) => Some((a.key, a.change.name(), a.priority)),
            _ => None,
        })
        .collect()
}

/// How many `recheck-overdue` events the whole session holds.
pub fn recheck_overdue_count(s: &Session) -> usize {
    s.events()
        .iter()
        .filter(|e| {
            matches!(
                &e.kind,
                EventKind::Alert(a) if a.change == AlertChange::RecheckOverdue
            )
        })
        .count()
}

/// Records a score on one of the profile's scales, assessed and entered at `at`.
pub fn score(s: &mut Session, at: Time, scale: &str, score: i32) -> Outcome {
    let entry = infusion_vitals::commands::AssessmentEntry {
        at,
        scale: scale.into(),
        score,
        by: NURSE.into(),
        source: Source::Manual,
    };
    s.execute(Command::RecordAssessment(entry), &FixedClock(at))
        .unwrap_or_else(|e| panic!("{scale} {score} at {at} was not saved: {e}"))
}

// ---------------------------------------------------------------- logs

/// What a forger with the format's description does: edits a cell, then recomputes
/// every row's hash with the program's own chain, the seal row's cells kept as they were.
pub fn forge(log: &[u8], edit: impl Fn(usize, &str) -> String) -> Vec<u8> {
    let text = std::str::from_utf8(log).unwrap();
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let header = lines.next().unwrap();
    let mut chain = infusion_vitals::log::seal::Chain::start(header.as_bytes());
    let mut out = format!("{header}\r\n");
    for (i, line) in lines.enumerate() {
        let (content, _) = infusion_vitals::log::seal::split_row(line.as_bytes()).unwrap();
        let content = edit(i, std::str::from_utf8(content).unwrap());
        let hash = chain.link(content.as_bytes());
        out.push_str(&format!(
            "{content},{}\r\n",
            std::str::from_utf8(&hash).unwrap()
        ));
    }
    out.into_bytes()
}
