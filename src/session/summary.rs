//! A finished session at a glance, for the clinician who reads it a week later and for
//! its PDF: who, what protocol, how long, the baseline, the peak systolic and its rise,
//! the lowest SpO2, the alarms and how each was handled, the infusion's steps, the
//! discharge. Pure: built from the events and their fold.

use crate::alerts::Profile;
use crate::clock::Time;
use crate::session::baseline;
use crate::session::events::{
    AlertChange, AlertKey, DischargeCriteria, Event, EventKind, InfusionChange, Priority, Protocol,
};
use crate::session::reading::{Vital, VitalMap};
use crate::session::state::{Note, SessionState};
use chrono::Duration;

/// One alarm from raised to resolved, as the log tells it.
#[derive(Clone, Debug, PartialEq)]
pub struct AlarmRecord {
    pub alert_id: u32,
    pub key: AlertKey,
    pub raised_at: Time,
    /// The highest priority it reached, and from when.
    pub highest: Priority,
    pub highest_since: Time,
    /// Each acknowledgement: when, by whom, the action taken, at which priority.
    pub acknowledgements: Vec<Acknowledged>,
    /// When it ended: resolved, or (with `not_rechecked`) its recheck expired.
    pub resolved_at: Option<Time>,
    /// It ended because its recheck expired untaken, not because a reading cleared it.
    pub not_rechecked: bool,
    /// What it said when raised.
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Acknowledged {
    pub at: Time,
    pub by: String,
    pub action: Option<String>,
    pub priority: Priority,
}

impl AlarmRecord {
    /// The acknowledgement of its highest priority, if it had one.
    pub fn acknowledged_at_highest(&self) -> Option<&Acknowledged> {
        self.acknowledgements
            .iter()
            .find(|a| a.priority >= self.highest && a.at >= self.highest_since)
    }

    /// From reaching its highest priority to that acknowledgement.
    pub fn time_to_acknowledge(&self) -> Option<Duration> {
        self.acknowledged_at_highest()
            .map(|a| a.at - self.highest_since)
    }

    /// From raised to resolved.
    pub fn lasted(&self) -> Option<Duration> {
        self.resolved_at.map(|r| r - self.raised_at)
    }
}

/// Every alarm of the session, in the order raised, from its alert events.
pub fn alarm_history(events: &[Event]) -> Vec<AlarmRecord> {
    let mut alarms: Vec<AlarmRecord> = Vec::new();
    for e in events {
        let EventKind::Alert(a) = &e.kind else {
            continue;
        };
        let known = alarms.iter().position(|r| r.alert_id == a.alert_id);
        match (&a.change, known) {
            (AlertChange::Raised { .. }, None) => alarms.push(AlarmRecord {
                alert_id: a.alert_id,
                key: a.key,
                raised_at: e.at,
                highest: a.priority,
                highest_since: e.at,
                acknowledgements: Vec::new(),
                resolved_at: None,
                not_rechecked: false,
                message: a.message.clone(),
            }),
            (AlertChange::Escalated, Some(i)) if a.priority > alarms[i].highest => {
                alarms[i].highest = a.priority;
                alarms[i].highest_since = e.at;
            }
            (AlertChange::Acknowledged, Some(i)) => alarms[i].acknowledgements.push(Acknowledged {
                at: e.at,
                by: e.by.clone(),
                action: e.reason.clone(),
                priority: a.priority,
            }),
            (AlertChange::Resolved, Some(i)) => alarms[i].resolved_at = Some(e.at),
            (AlertChange::RecheckExpired, Some(i)) => {
                alarms[i].resolved_at = Some(e.at);
                alarms[i].not_rechecked = true;
            }
            _ => {}
        }
    }
    alarms
}

/// One step of the infusion: started, paused, resumed, rate changed, stopped.
#[derive(Clone, Debug, PartialEq)]
pub struct InfusionStep {
    pub at: Time,
    pub change: InfusionChange,
    pub by: String,
    pub reason: Option<String>,
}

/// A value and when it was measured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Measured {
    pub value: f64,
    pub at: Time,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionSummary {
    pub patient_id: String,
    pub weight_kg: Option<f64>,
    pub protocol: Protocol,
    pub profile: String,
    pub opened_at: Option<Time>,
    /// The session's close, or its last event when it was never closed.
    pub ended_at: Option<Time>,
    pub infusion: Vec<InfusionStep>,
    /// The mean of each vital before the infusion started.
    pub baseline: VitalMap<Option<f64>>,
    pub peak_systolic: Option<Measured>,
    pub lowest_spo2: Option<Measured>,
    /// The lowest respiratory rate: ketamine's rare serious risk is respiratory
    /// depression (DOMAIN.md). `None` when none was recorded (every log before it was).
    pub lowest_resp_rate: Option<Measured>,
    /// Each scale scored in the session (in the order first scored): the scores around
    /// the infusion (pain before and after it), its extremes, how many.
    pub scores: Vec<ScaleScores>,
    pub alarms: Vec<AlarmRecord>,
    pub readings: usize,
    pub corrected: usize,
    pub entered_in_error: usize,
    pub side_effects: Vec<Note>,
    pub interventions: Vec<Note>,
    pub discharge: Option<(Time, DischargeCriteria, Option<String>)>,
    /// Set when the log is a recovered copy of a session that was never closed.
    pub recovered: Option<String>,
}

/// One scale's valid scores in a session.
#[derive(Clone, Debug, PartialEq)]
pub struct ScaleScores {
    /// The scale's name (`pain NRS`).
    pub scale: String,
    /// Every valid score, in assessed order: (when, score).
    pub scores: Vec<(Time, i32)>,
    /// The last score before the infusion started (with no start: none).
    pub before: Option<(Time, i32)>,
    /// The last score after the infusion stopped (with no stop: none).
    pub after: Option<(Time, i32)>,
}

impl ScaleScores {
    /// Every scale scored in `state`, in the order first scored.
    pub fn of(state: &SessionState) -> Vec<ScaleScores> {
        let mut all: Vec<ScaleScores> = Vec::new();
        for a in &state.assessments {
            let Some(v) = a.current() else { continue };
            let i = match all.iter().position(|s| s.scale == a.scale) {
                Some(i) => i,
                None => {
                    all.push(ScaleScores {
                        scale: a.scale.clone(),
                        scores: Vec::new(),
                        before: None,
                        after: None,
                    });
                    all.len() - 1
                }
            };
            all[i].scores.push((v.at, v.score));
        }
        let inf = &state.infusion;
        for s in &mut all {
            s.scores.sort();
            s.before = inf
                .started_at
                .and_then(|start| s.scores.iter().rev().find(|(at, _)| *at < start).copied());
            s.after = inf
                .stopped_at
                .and_then(|stop| s.scores.iter().rev().find(|(at, _)| *at >= stop).copied());
        }
        all
    }

    /// The lowest and the highest score, each with when it was first given.
    pub fn range(&self) -> Option<((Time, i32), (Time, i32))> {
        let lowest = self.scores.iter().min_by_key(|(at, s)| (*s, *at))?;
        let highest = self
            .scores
            .iter()
            .max_by_key(|(at, s)| (*s, std::cmp::Reverse(*at)))?;
        Some((*lowest, *highest))
    }
}

impl SessionSummary {
    pub fn of(profile: &Profile, events: &[Event], state: &SessionState) -> SessionSummary {
        let info = state.info.clone().unwrap_or_default();
        let extreme = |vital: Vital, highest: bool| {
            state
                .valid_readings()
                .filter_map(|(_, v)| {
                    v.values
                        .get(vital)
                        .map(|value| Measured { value, at: v.at })
                })
                .reduce(|a, b| {
                    let better = if highest {
                        b.value > a.value
                    } else {
                        b.value < a.value
                    };
                    if better { b } else { a }
                })
        };
        let baseline = match baseline::window_end(profile, state) {
            Some(end) => state.means_before(end),
            None => VitalMap::default(),
        };
        let infusion = events
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Infusion(change) => Some(InfusionStep {
                    at: e.at,
                    change: change.clone(),
                    by: e.by.clone(),
                    reason: e.reason.clone(),
                }),
                _ => None,
            })
            .collect();
        let discharge = events.iter().find_map(|e| match &e.kind {
            EventKind::Discharged(c) => Some((e.at, c.clone(), e.reason.clone())),
            _ => None,
        });
        let count =
            |matches: fn(&EventKind) -> bool| events.iter().filter(|e| matches(&e.kind)).count();
        SessionSummary {
            patient_id: info.patient_id,
            weight_kg: info.weight_kg,
            protocol: info.protocol,
            profile: info.profile_name,
            opened_at: state.opened_at,
            ended_at: state.closed_at.or(events.last().map(|e| e.at)),
            infusion,
            baseline,
            peak_systolic: extreme(Vital::Systolic, true),
            lowest_spo2: extreme(Vital::Spo2, false),
            lowest_resp_rate: extreme(Vital::RespRate, false),
            scores: ScaleScores::of(state),
            alarms: alarm_history(events),
            readings: state.valid_readings().count(),
            corrected: count(|k| matches!(k, EventKind::ReadingAmended { .. })),
            entered_in_error: count(|k| matches!(k, EventKind::ReadingEnteredInError { .. })),
            side_effects: state.side_effects.clone(),
            interventions: state.interventions.clone(),
            discharge,
            recovered: state.recovered.clone(),
        }
    }

    /// The offset the session's times are shown in: the one it opened in.
    pub fn offset(&self) -> chrono::FixedOffset {
        self.opened_at.map_or_else(
            || chrono::FixedOffset::east_opt(0).expect("UTC"),
            |t| *t.offset(),
        )
    }

    pub fn baseline_of(&self, vital: Vital) -> Option<f64> {
        self.baseline[vital]
    }

    /// How far the peak systolic rose above the baseline systolic, in mmHg.
    pub fn systolic_rise(&self) -> Option<f64> {
        Some(self.peak_systolic?.value - self.baseline_of(Vital::Systolic)?)
    }

    /// Alarms by the highest priority each reached: low, medium, high.
    pub fn alarms_by_priority(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for a in &self.alarms {
            counts[a.highest as usize] += 1;
        }
        counts
    }
}
