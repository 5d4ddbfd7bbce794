//! The session's current state is a fold over its events. Nothing else is stored.

use crate::clock::Time;
use crate::session::assessment::{AssessmentRecord, ScoreVersion};
use crate::session::events::{
    AlertChange, AlertEvent, AlertKey, DischargeCriteria, Doubt, Event, EventKind, InfusionChange,
    Priority, SessionInfo, Source,
};
use crate::session::reading::{Vital, VitalMap, VitalSet};
use crate::session::via::Via;
use std::collections::BTreeSet;
use std::ops::Bound;

/// One version of a reading: the original, or a correction of it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadingVersion {
    pub seq: u64,
    pub at: Time,
    pub entered_at: Time,
    pub by: String,
    pub source: Source,
    pub reason: Option<String>,
    pub values: VitalSet,
    pub doubt: Option<Doubt>,
    /// How the reading was measured, from its first recording (a correction keeps it).
    pub via: Via,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReadingRecord {
    pub id: u32,
    /// The original first, then each correction in order.
    pub versions: Vec<ReadingVersion>,
    /// The event that marked it entered-in-error, with its reason.
    pub entered_in_error: Option<(u64, Option<String>)>,
}

impl ReadingRecord {
    /// The version in force, or `None` when the reading was entered in error.
    pub fn current(&self) -> Option<&ReadingVersion> {
        match self.entered_in_error {
            Some(_) => None,
            None => self.versions.last(),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum InfusionPhase {
    #[default]
    NotStarted,
    Running,
    Paused,
    Stopped,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct InfusionState {
    pub phase: InfusionPhase,
    pub started_at: Option<Time>,
    pub stopped_at: Option<Time>,
    pub rate_mg_per_kg_h: Option<f64>,
    pub last_rate_change_at: Option<Time>,
    /// When the present pause began; None while not paused.
    pub paused_at: Option<Time>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Recheck {
    /// The reading that met the medium condition and asked for the recheck.
    pub reading_id: u32,
    pub due: Time,
    pub overdue_announced: bool,
    /// It expired untaken and ended its advisory (`AlertChange::RecheckExpired`): the
    /// readings measured before it expired belonged to that advisory, so they do not ask
    /// again.
    pub expired: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AlertState {
    pub id: u32,
    pub key: AlertKey,
    pub priority: Priority,
    pub raised_at: Time,
    /// When it took its present priority.
    pub priority_since: Time,
    /// Raised to high because a medium alarm went unacknowledged, not by a value.
    pub escalated_unacknowledged: bool,
    /// Priority at which it was last acknowledged, when, by whom, the action taken.
    pub acknowledged: Option<Acknowledgement>,
    pub recheck: Option<Recheck>,
    pub message: String,
    pub resolved_at: Option<Time>,
    /// Readings that raised or escalated it.
    pub raised_by: Vec<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Acknowledgement {
    pub priority: Priority,
    pub at: Time,
    pub by: String,
    pub action: Option<String>,
}

impl AlertState {
    pub fn is_active(&self) -> bool {
        self.resolved_at.is_none()
    }

    /// Acknowledged at its present priority: an escalation needs a new acknowledgement.
    pub fn is_acknowledged(&self) -> bool {
        self.acknowledged
            .as_ref()
            .is_some_and(|a| a.priority >= self.priority)
    }
}

/// What the alarm sound is doing: pauses, snoozes, and when each alarm last sounded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AudioState {
    /// Until when sound is paused, and the most urgent alarm active when it was paused:
    /// anything more urgent still sounds.
    pub paused: Option<(Time, Option<Priority>)>,
    /// When each alarm last sounded, and at what priority.
    pub last_sounded: std::collections::BTreeMap<u32, (Time, Priority)>,
    pub snoozes: std::collections::BTreeMap<AlertKey, Snooze>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Snooze {
    /// Alarms of this key up to this priority are silent; a worse one sounds.
    pub priority: Priority,
    pub until: Time,
    pub at: Time,
    pub by: String,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub at: Time,
    pub by: String,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionState {
    pub info: Option<SessionInfo>,
    pub opened_at: Option<Time>,
    pub opened_by: String,
    /// Manual for a session kept at the chair; the file for one opened by an import.
    pub opened_source: Source,
    pub readings: Vec<ReadingRecord>,
    /// Scored assessments (MOAA/S, pain NRS), in the order they were recorded.
    pub assessments: Vec<AssessmentRecord>,
    pub infusion: InfusionState,
    pub alerts: Vec<AlertState>,
    pub side_effects: Vec<Note>,
    pub interventions: Vec<Note>,
    pub rejected_inputs: Vec<Note>,
    pub technical_alarms: Vec<Note>,
    pub audio: AudioState,
    /// Thresholds adjusted for this patient: (alert, priority) -> absolute limit.
    pub limits: std::collections::BTreeMap<(AlertKey, Priority), f64>,
    pub discharge: Option<(Time, DischargeCriteria)>,
    pub closed_at: Option<Time>,
    /// Set when this is a recovered copy of a session that was never closed.
    pub recovered: Option<String>,
    pub last_seq: u64,
    /// The reading recorded or corrected by the newest reading event: a late entry that
    /// is not the newest measurement still gets its say on high alerts.
    pub last_entered_reading: Option<u32>,
    /// Valid readings in measured order, (time, id): alerts, baseline, cadence and
    /// validation look up by time without scanning the whole session.
    by_time: BTreeSet<(Time, u32)>,
    /// The newest valid reading of each vital: a vital that a
    /// stream never carries must not cost a scan of the session on every reading.
    newest: VitalMap<Option<(Time, u32)>>,
    /// For each reading event, the earliest measured time it changed: a baseline cached
    /// over readings before some time stays right while no change reaches before it.
    reading_changes: Vec<Time>,
    baseline_cache: BaselineCache,
}

/// Means of each vital over the readings before `end`, valid up to `checked` changes.
#[derive(Clone, Debug, Default)]
struct BaselineCache(std::cell::RefCell<Option<CachedMeans>>);

/// (end, changes checked, mean of each vital).
type CachedMeans = (Time, usize, VitalMap<Option<f64>>);

/// A cache says nothing about the session: two states are equal whatever they cached.
impl PartialEq for BaselineCache {
    fn eq(&self, _: &BaselineCache) -> bool {
        true
    }
}

/// An event that cannot follow the ones before it. A log whose seal verifies never has
/// one; a hand-made or damaged file may.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FoldError {
    #[error("event {seq} follows event {last}: events must be numbered 1, 2, 3, ...")]
    OutOfOrder { seq: u64, last: u64 },
    #[error("event {0} comes before the session was opened")]
    NotOpened(u64),
    #[error("event {0} opens a session that is already open")]
    OpenedTwice(u64),
    #[error("event {0} comes after the session was closed")]
    AfterClose(u64),
    #[error("event {seq} refers to reading {reading_id}, which {problem}")]
    Reading {
        seq: u64,
        reading_id: u32,
        problem: &'static str,
    },
    #[error("event {seq} refers to assessment {assessment_id}, which {problem}")]
    Assessment {
        seq: u64,
        assessment_id: u32,
        problem: &'static str,
    },
    #[error("event {seq} refers to alert {alert_id}, which {problem}")]
    Alert {
        seq: u64,
        alert_id: u32,
        problem: &'static str,
    },
    #[error("event {seq}: the infusion cannot be {change} while it is {phase:?}")]
    Infusion {
        seq: u64,
        change: &'static str,
        phase: InfusionPhase,
    },
}

impl FoldError {
    /// The event at fault.
    pub fn seq(&self) -> Option<u64> {
        match self {
            FoldError::OutOfOrder { seq, .. }
            | FoldError::Reading { seq, .. }
            | FoldError::Alert { seq, .. }
            | FoldError::Assessment { seq, .. }
            | FoldError::Infusion { seq, .. } => Some(*seq),
            FoldError::NotOpened(seq)
            | FoldError::OpenedTwice(seq)
            | FoldError::AfterClose(seq) => Some(*seq),
        }
    }
}

/// The newest value of one vital, as alerting and display use it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatestValue {
    pub reading_id: u32,
    pub at: Time,
    pub value: f64,
    /// Measured by a device (hysteresis clears its alerts) rather than by hand.
    pub from_device: bool,
    /// Part of a stream of values seconds apart (a condition must last before it alerts).
    pub streamed: bool,
}

impl SessionState {
    pub fn fold<'a>(
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<SessionState, FoldError> {
        let mut state = SessionState::default();
        for event in events {
            state.apply(event)?;
        }
        Ok(state)
    }

    pub fn apply(&mut self, event: &Event) -> Result<(), FoldError> {
        let seq = event.seq;
        if seq != self.last_seq + 1 {
            return Err(FoldError::OutOfOrder {
                seq,
                last: self.last_seq,
            });
        }
        if self.closed_at.is_some() {
            return Err(FoldError::AfterClose(seq));
        }
        match &event.kind {
            EventKind::SessionOpened(info) => {
                if self.info.is_some() {
                    return Err(FoldError::OpenedTwice(seq));
                }
                self.info = Some(info.clone());
                self.opened_at = Some(event.at);
                self.opened_by = event.by.clone();
                self.opened_source = event.source.clone();
            }
            _ if self.info.is_none() => return Err(FoldError::NotOpened(seq)),
            EventKind::ReadingRecorded {
                reading_id,
                values,
                doubt,
                via,
            } => {
                if *reading_id as usize != self.readings.len() + 1 {
                    return Err(FoldError::Reading {
                        seq,
                        reading_id: *reading_id,
                        problem: "is not the next reading number",
                    });
                }
                self.readings.push(ReadingRecord {
                    id: *reading_id,
                    versions: vec![version(event, values, doubt, *via)],
                    entered_in_error: None,
                });
                self.by_time.insert((event.at, *reading_id));
                self.reading_changes.push(event.at);
                self.last_entered_reading = Some(*reading_id);
                for (vital, _) in values.present() {
                    let slot = &mut self.newest[vital];
                    *slot = (*slot).max(Some((event.at, *reading_id)));
                }
            }
            EventKind::ReadingAmended {
                reading_id,
                values,
                doubt,
            } => {
                let record = self.correctable(seq, *reading_id)?;
                let before = record.versions.last().map(|v| v.at);
                let via = record.versions.first().map(|v| v.via).unwrap_or_default();
                record.versions.push(version(event, values, doubt, via));
                if let Some(before) = before {
                    self.by_time.remove(&(before, *reading_id));
                }
                self.by_time.insert((event.at, *reading_id));
                self.reading_changes
                    .push(before.map_or(event.at, |b| b.min(event.at)));
                self.last_entered_reading = Some(*reading_id);
                self.find_newest();
            }
            EventKind::ReadingEnteredInError { reading_id } => {
                let record = self.correctable(seq, *reading_id)?;
                record.entered_in_error = Some((seq, event.reason.clone()));
                if let Some(at) = record.versions.last().map(|v| v.at) {
                    self.by_time.remove(&(at, *reading_id));
                    self.reading_changes.push(at);
                }
                self.find_newest();
            }
            EventKind::AssessmentRecorded {
                assessment_id,
                scale,
                score,
            } => {
                if *assessment_id as usize != self.assessments.len() + 1 {
                    return Err(FoldError::Assessment {
                        seq,
                        assessment_id: *assessment_id,
                        problem: "is not the next assessment number",
                    });
                }
                self.assessments.push(AssessmentRecord {
                    id: *assessment_id,
                    scale: scale.clone(),
                    versions: vec![ScoreVersion::of(event, *score)],
                    entered_in_error: None,
                });
            }
            EventKind::AssessmentAmended {
                assessment_id,
                score,
            } => {
                let record = self.correctable_assessment(seq, *assessment_id)?;
                record.versions.push(ScoreVersion::of(event, *score));
            }
            EventKind::AssessmentEnteredInError { assessment_id } => {
                let record = self.correctable_assessment(seq, *assessment_id)?;
                record.entered_in_error = Some((seq, event.reason.clone()));
            }
            EventKind::Infusion(change) => self.apply_infusion(seq, event.at, change)?,
            EventKind::SideEffectNoted { effect } => self.side_effects.push(note(event, effect)),
            EventKind::Intervention { action } => self.interventions.push(note(event, action)),
            EventKind::Alert(alert) => self.apply_alert(event, alert)?,
            EventKind::Discharged(criteria) => self.discharge = Some((event.at, criteria.clone())),
            EventKind::SessionClosed => self.closed_at = Some(event.at),
            EventKind::SessionRecovered { note } => self.recovered = Some(note.clone()),
            EventKind::AlarmSounded {
                alert_id, priority, ..
            } => {
                self.audio
                    .last_sounded
                    .insert(*alert_id, (event.at, *priority));
            }
            EventKind::AudioPaused { until } => {
                let ceiling = self.active_alerts().map(|a| a.priority).max();
                self.audio.paused = Some((*until, ceiling));
            }
            EventKind::Snoozed {
                key,
                priority,
                until,
            } => {
                let snooze = Snooze {
                    priority: *priority,
                    until: *until,
                    at: event.at,
                    by: event.by.clone(),
                    reason: event.reason.clone(),
                };
                self.audio.snoozes.insert(*key, snooze);
            }
            EventKind::TechnicalAlarm { condition } => {
                self.technical_alarms.push(note(event, condition));
            }
            EventKind::LimitChanged {
                key,
                priority,
                limit,
            } => {
                self.limits.insert((*key, *priority), *limit);
            }
            EventKind::SnoozeEnded { key } => {
                self.audio.snoozes.remove(key);
            }
            EventKind::InputRejected { problem } => {
                self.rejected_inputs.push(note(event, problem));
            }
        }
        self.last_seq = seq;
        Ok(())
    }

    fn correctable(&mut self, seq: u64, reading_id: u32) -> Result<&mut ReadingRecord, FoldError> {
        correctable(&mut self.readings, reading_id, |r| {
            r.entered_in_error.is_some()
        })
        .map_err(|problem| FoldError::Reading {
            seq,
            reading_id,
            problem,
        })
    }

    fn correctable_assessment(
        &mut self,
        seq: u64,
        assessment_id: u32,
    ) -> Result<&mut AssessmentRecord, FoldError> {
        correctable(&mut self.assessments, assessment_id, |a| {
            a.entered_in_error.is_some()
        })
        .map_err(|problem| FoldError::Assessment {
            seq,
            assessment_id,
            problem,
        })
    }

    fn apply_infusion(
        &mut self,
        seq: u64,
        at: Time,
        change: &InfusionChange,
    ) -> Result<(), FoldError> {
        use InfusionPhase::*;
        let inf = &mut self.infusion;
        let allowed = match change {
            InfusionChange::Started { .. } => inf.phase == NotStarted,
            InfusionChange::Paused => inf.phase == Running,
            InfusionChange::Resumed => inf.phase == Paused,
            InfusionChange::RateChanged { .. } => matches!(inf.phase, Running | Paused),
            InfusionChange::Stopped => matches!(inf.phase, Running | Paused),
        };
        if !allowed {
            return Err(FoldError::Infusion {
                seq,
                change: change.name(),
                phase: inf.phase,
            });
        }
        match change {
            InfusionChange::Started { rate_mg_per_kg_h } => {
                inf.phase = Running;
                inf.started_at = Some(at);
                inf.rate_mg_per_kg_h = *rate_mg_per_kg_h;
            }
            InfusionChange::Paused => {
                inf.phase = Paused;
                inf.paused_at = Some(at);
            }
            InfusionChange::Resumed => {
                inf.phase = Running;
                inf.paused_at = None;
            }
            InfusionChange::RateChanged { rate_mg_per_kg_h } => {
                inf.rate_mg_per_kg_h = Some(*rate_mg_per_kg_h);
                inf.last_rate_change_at = Some(at);
            }
            InfusionChange::Stopped => {
                inf.phase = Stopped;
                inf.stopped_at = Some(at);
            }
        }
        Ok(())
    }

    fn apply_alert(&mut self, event: &Event, alert: &AlertEvent) -> Result<(), FoldError> {
        let seq = event.seq;
        let problem = |problem| FoldError::Alert {
            seq,
            alert_id: alert.alert_id,
            problem,
        };
        if let AlertChange::Raised { recheck_by } = &alert.change {
            if alert.alert_id as usize != self.alerts.len() + 1 {
                return Err(problem("is not the next alert number"));
            }
            if self.active_alert(alert.key).is_some() {
                return Err(problem(
                    "is raised while another alert of its kind is active",
                ));
            }
            self.alerts.push(AlertState {
                id: alert.alert_id,
                key: alert.key,
                priority: alert.priority,
                raised_at: event.at,
                priority_since: event.at,
                escalated_unacknowledged: false,
                acknowledged: None,
                recheck: recheck_by.map(|due| Recheck {
                    reading_id: alert.reading_id.unwrap_or_default(),
                    due,
                    overdue_announced: false,
                    expired: false,
                }),
                message: alert.message.clone(),
                resolved_at: None,
                raised_by: alert.reading_id.into_iter().collect(),
            });
            return Ok(());
        }
        let state = alert
            .alert_id
            .checked_sub(1)
            .and_then(|i| self.alerts.get_mut(i as usize))
            .ok_or(problem("does not exist"))?;
        if !state.is_active() {
            return Err(problem("was already resolved"));
        }
        if state.key != alert.key {
            return Err(problem("is about another vital or condition"));
        }
        match &alert.change {
            AlertChange::Raised { .. } => unreachable!("handled above"),
            AlertChange::RecheckRequested { recheck_by } => {
                state.recheck = Some(Recheck {
                    reading_id: alert.reading_id.unwrap_or_default(),
                    due: *recheck_by,
                    overdue_announced: false,
                    expired: false,
                });
            }
            AlertChange::RecheckEnded => state.recheck = None,
            AlertChange::RecheckOverdue => {
                if let Some(r) = state.recheck.as_mut() {
                    r.overdue_announced = true;
                }
            }
            AlertChange::RecheckExpired => {
                if let Some(r) = state.recheck.as_mut() {
                    r.expired = true;
                }
                state.resolved_at = Some(event.at);
            }
            AlertChange::Escalated => {
                state.escalated_unacknowledged =
                    alert.reading_id.is_none() && state.priority == Priority::Medium;
                state.priority = alert.priority;
                state.priority_since = event.at;
                state.recheck = None;
                state.raised_by.extend(alert.reading_id);
            }
            AlertChange::Acknowledged => {
                state.acknowledged = Some(Acknowledgement {
                    priority: state.priority,
                    at: event.at,
                    by: event.by.clone(),
                    action: event.reason.clone(),
                });
            }
            AlertChange::Resolved => state.resolved_at = Some(event.at),
        }
        if !alert.message.is_empty() {
            state.message = alert.message.clone();
        }
        Ok(())
    }

    pub fn is_open(&self) -> bool {
        self.info.is_some() && self.closed_at.is_none()
    }

    pub fn active_alert(&self, key: AlertKey) -> Option<&AlertState> {
        self.alerts
            .iter()
            .rev()
            .find(|a| a.key == key && a.is_active())
    }

    pub fn active_alerts(&self) -> impl Iterator<Item = &AlertState> {
        self.alerts.iter().filter(|a| a.is_active())
    }

    pub fn reading(&self, id: u32) -> Option<&ReadingRecord> {
        id.checked_sub(1)
            .and_then(|i| self.readings.get(i as usize))
    }

    /// Readings in force (not entered in error), in the order they were entered.
    pub fn valid_readings(&self) -> impl Iterator<Item = (u32, &ReadingVersion)> {
        self.readings
            .iter()
            .filter_map(|r| r.current().map(|v| (r.id, v)))
    }

    /// Valid readings measured in `[from, to)` (either end open when `None`), in
    /// measured order.
    pub fn measured_between(
        &self,
        from: Option<Time>,
        to: Option<Time>,
    ) -> impl DoubleEndedIterator<Item = (u32, &ReadingVersion)> {
        let lower = from.map_or(Bound::Unbounded, |t| Bound::Included((t, 0)));
        let upper = to.map_or(Bound::Unbounded, |t| Bound::Excluded((t, 0)));
        self.by_time.range((lower, upper)).filter_map(|(_, id)| {
            self.reading(*id)
                .and_then(|r| r.current().map(|v| (*id, v)))
        })
    }

    /// The mean of each vital over the valid readings measured
    /// before `end`. Cached: a 1-Hz stream asks on every value, and the window's readings
    /// rarely change once it has passed.
    pub fn means_before(&self, end: Time) -> VitalMap<Option<f64>> {
        let mut cache = self.baseline_cache.0.borrow_mut();
        if let Some((at, checked, means)) = cache.as_mut()
            && *at == end
            && self.reading_changes[*checked..].iter().all(|t| *t >= end)
        {
            *checked = self.reading_changes.len();
            return *means;
        }
        let mut sums: VitalMap<(f64, u32)> = VitalMap::default();
        for (_, v) in self.measured_between(None, Some(end)) {
            for (vital, x) in v.values.present() {
                let (s, n) = &mut sums[vital];
                *s += x;
                *n += 1;
            }
        }
        let means = sums.map(|_, (s, n)| (n > 0).then(|| s / f64::from(n)));
        *cache = Some((end, self.reading_changes.len(), means));
        means
    }

    /// The most recently measured value of a vital; on equal times, the later entry.
    pub fn latest(&self, vital: Vital) -> Option<LatestValue> {
        let (id, version) = self.newest_with(vital)?;
        LatestValue::of(id, version, vital)
    }

    /// The most recently measured valid reading that has a value of `vital`.
    pub fn newest_with(&self, vital: Vital) -> Option<(u32, &ReadingVersion)> {
        let (_, id) = self.newest[vital]?;
        Some((id, self.reading(id)?.current()?))
    }

    /// After a correction, the newest reading of each vital may have changed.
    fn find_newest(&mut self) {
        for vital in Vital::ALL {
            let newest = self
                .measured_between(None, None)
                .rev()
                .find(|(_, v)| v.values.get(vital).is_some())
                .map(|(id, v)| (v.at, id));
            self.newest[vital] = newest;
        }
    }

    /// When the newest reading of any vital was measured.
    pub fn last_reading_at(&self) -> Option<Time> {
        self.by_time.last().map(|(at, _)| *at)
    }
}

impl LatestValue {
    pub fn of(reading_id: u32, version: &ReadingVersion, vital: Vital) -> Option<LatestValue> {
        version.values.get(vital).map(|value| LatestValue {
            reading_id,
            at: version.at,
            value,
            from_device: matches!(version.source, Source::Device { .. })
                || version.via.is_streamed(vital),
            streamed: version.via.is_streamed(vital),
        })
    }
}

fn version(event: &Event, values: &VitalSet, doubt: &Option<Doubt>, via: Via) -> ReadingVersion {
    ReadingVersion {
        seq: event.seq,
        at: event.at,
        entered_at: event.entered_at,
        by: event.by.clone(),
        source: event.source.clone(),
        reason: event.reason.clone(),
        values: *values,
        doubt: doubt.clone(),
        via,
    }
}

fn note(event: &Event, text: &str) -> Note {
    Note {
        at: event.at,
        by: event.by.clone(),
        text: text.to_string(),
    }
}

/// The record numbered `id` (from 1) among `records`, if it may still be corrected: why
/// not otherwise.
fn correctable<T>(
    records: &mut [T],
    id: u32,
    entered_in_error: impl Fn(&T) -> bool,
) -> Result<&mut T, &'static str> {
    let record = id
        .checked_sub(1)
        .and_then(|i| records.get_mut(i as usize))
        .ok_or("does not exist")?;
    if entered_in_error(record) {
        return Err("was already marked entered-in-error");
    }
    Ok(record)
}
