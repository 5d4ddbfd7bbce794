//! A finished session as a chair makes one by the protocol: two baseline sets, a
//! 40-minute infusion read every 10 minutes (every 5 for the first 20), a full set at the
//! stop, an hour of observation every 15 minutes, the discharge. Its blood pressure rises
//! as ketamine's does, so it raises alerts, each acknowledged a minute or two later.
//!
//! Built through the same commands the window sends, at the times they would be sent: it
//! is what the audit's tests plant faults into, and what its benchmark audits by the
//! thousand.

use crate::alerts::Profile;
use crate::clock::{FixedClock, Time};
use crate::commands::{
    AssessmentEntry, Command, CommandError, OnReject, OnWarning, ReadingEntry, Session,
};
use crate::demo::vitals_at;
use crate::session::Vital;
use crate::session::events::{
    AlertChange, DischargeCriteria, EventKind, InfusionChange, Protocol, SessionInfo, Source,
};
use chrono::Duration;

/// Minutes from the session's start.
const BASELINE_MIN: [i64; 2] = [0, 5];
const START_MIN: i64 = 10;
const INFUSION_MIN: i64 = 40;
const OBSERVATION_MIN: i64 = 60;

/// The minutes at which the nurse takes a reading: at the cadence DOMAIN.md gives for a
/// 40-minute infusion, then for the observation.
fn reading_minutes() -> impl Iterator<Item = i64> {
    let stop = START_MIN + INFUSION_MIN;
    let early = (START_MIN + 5..=START_MIN + 20).step_by(5);
    let later = (START_MIN + 30..stop).step_by(10);
    let observation = (stop..=stop + OBSERVATION_MIN).step_by(15);
    BASELINE_MIN
        .into_iter()
        .chain(early)
        .chain(later)
        .chain(observation)
}

/// How the nurse departs from the protocol, if at all: the audit must find it.
#[derive(Clone, Debug)]
pub struct Departures {
    /// Readings not taken, by minute from the session's start.
    pub skipped_minutes: Vec<i64>,
    pub acknowledges_alarms: bool,
}

impl Departures {
    pub fn none() -> Departures {
        Departures {
            skipped_minutes: Vec::new(),
            acknowledges_alarms: true,
        }
    }
}

/// The session of patient number `patient`, opened at `start`, by nurse `by`; each
/// patient's readings differ a little from the others'.
pub fn completed_session(
    patient: u32,
    start: Time,
    by: &str,
    departures: &Departures,
) -> Result<Session, CommandError> {
    let at = |m: i64| start + Duration::minutes(m);
    // Parsed once: the benchmark's folder builds thousands of these.
    let profile = Profile::default_profile();
    let info = SessionInfo {
        patient_id: format!("MRN-{patient:05}"),
        weight_kg: Some(60.0 + f64::from(patient % 40)),
        protocol: Protocol::planned(
            "Depression 0.5 mg/kg over 40 min".into(),
            0.5,
            INFUSION_MIN as u32,
        ),
        profile_name: profile.name.clone(),
        profile_version: profile.version.clone(),
    };
    let mut session = Session::open(profile, info, start, by, &FixedClock(start))?;
    let shift = f64::from(patient % 7) - 3.0;
    let stop = START_MIN + INFUSION_MIN;
    let infusion = |change, reason: &str, m: i64| Command::Infusion {
        at: at(m),
        by: by.to_string(),
        change,
        reason: reason.into(),
    };
    let mut minutes: std::collections::BTreeSet<i64> = reading_minutes().collect();
    while let Some(m) = minutes.pop_first() {
        if m == START_MIN + 5 {
            let started = InfusionChange::Started {
                rate_mg_per_kg_h: Some(0.75),
            };
            session.execute(infusion(started, "", START_MIN), &FixedClock(at(START_MIN)))?;
            // Sedation scored while the infusion runs, as the profile asks (MOAA/S 4:
            // lethargic, within the usual for ketamine).
            let scored = Command::RecordAssessment(AssessmentEntry {
                at: at(m),
                scale: "MOAA/S".into(),
                score: 4,
                by: by.to_string(),
                source: Source::Manual,
            });
            session.execute(scored, &FixedClock(at(m)))?;
        }
        if m == stop {
            let stopped = infusion(InfusionChange::Stopped, "dose complete", stop);
            session.execute(stopped, &FixedClock(at(stop)))?;
        }
        if departures.skipped_minutes.contains(&m) {
            continue;
        }
        let mut values = vitals_at(m as f64);
        values.set(
            Vital::Systolic,
            values.get(Vital::Systolic).map(|s| s + shift),
        );
        let reading = Command::RecordReading(ReadingEntry {
            at: at(m),
            values,
            by: by.to_string(),
            source: Source::Manual,
            on_warning: OnWarning::Confirmed,
            on_reject: OnReject::RejectEntry,
            via: Default::default(),
        });
        let outcome = session.execute(reading, &FixedClock(at(m)))?;
        // A recheck asked for is taken when it is due.
        minutes.extend(outcome.events.iter().filter_map(|e| match &e.kind {
            EventKind::Alert(a) => match a.change {
                AlertChange::Raised {
                    recheck_by: Some(by),
                }
                | AlertChange::RecheckRequested { recheck_by: by } => {
                    Some((by - start).num_minutes())
                }
                _ => None,
            },
            _ => None,
        }));
        if departures.acknowledges_alarms {
            let later = at(m) + Duration::minutes(1);
            acknowledge_alarms(&mut session, &outcome.events, later, by)?;
        }
    }
    let end = at(stop + OBSERVATION_MIN);
    let discharge = Command::Discharge {
        at: end,
        by: by.to_string(),
        criteria: DischargeCriteria {
            aldrete_score: 10,
            escort_present: true,
            vitals_near_baseline: true,
        },
        reason: String::new(),
    };
    session.execute(discharge, &FixedClock(end))?;
    let close = Command::Close {
        at: end + Duration::minutes(2),
        by: by.to_string(),
        source: Source::Manual,
        reason: "discharged".into(),
    };
    session.execute(close, &FixedClock(end + Duration::minutes(2)))?;
    Ok(session)
}

/// The nurse acknowledges every alert raised or escalated to medium or high, with what
/// was done.
fn acknowledge_alarms(
    session: &mut Session,
    events: &[crate::session::Event],
    at: Time,
    by: &str,
) -> Result<(), CommandError> {
    for e in events {
        let EventKind::Alert(a) = &e.kind else {
            continue;
        };
        let raised = matches!(
            a.change,
            AlertChange::Raised { .. } | AlertChange::Escalated
        );
        if raised && a.priority >= crate::session::events::Priority::Medium {
            let ack = Command::Acknowledge {
                alert_id: a.alert_id,
                by: by.to_string(),
                action: "rechecked; clinician informed".into(),
            };
            session.execute(ack, &FixedClock(at))?;
        }
    }
    Ok(())
}
