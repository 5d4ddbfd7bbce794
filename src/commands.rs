//! App commands: the one place that applies a user's intent. The GUI and the CLI build a
//! `Command`; the session validates it, appends its events and runs the alert engine.

use crate::alerts::{self, Profile};
use crate::clock::{Clock, Time, first_due};
use crate::session::baseline::PreInfusionBp;
use crate::session::events::{
    AlertKey, DischargeCriteria, Doubt, Event, EventKind, InfusionChange, NewEvent, Priority,
    SessionInfo, Source,
};
use crate::session::opening::{self, InfoProblem};
use crate::session::state::{FoldError, InfusionPhase, SessionState};
use crate::session::validate::{self, Context, Problem};
use crate::session::{Via, VitalSet};
use chrono::Duration;

/// What to do when a value is in the warning tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnWarning {
    /// Refuse until the person confirms (the entry form asks).
    AskForConfirmation,
    /// The person has confirmed; the confirmation is recorded.
    Confirmed,
    /// Keep the value, marked unconfirmed (import: an alarm on a doubtful value beats
    /// silence).
    KeepUnconfirmed,
}

/// What to do when a value is outside the accepted range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnReject {
    /// Save nothing: the form shows the message and the nurse corrects it.
    RejectEntry,
    /// Drop the bad values, keep the rest of the set (import).
    DropValues,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ReadingEntry {
    pub at: Time,
    pub values: VitalSet,
    pub by: String,
    pub source: Source,
    pub on_warning: OnWarning,
    pub on_reject: OnReject,
    /// How an imported value was measured; empty for a reading typed at the chair.
    pub via: Via,
}

/// A score on one of the profile's scales, as entered: when the patient was assessed,
/// the scale's name (`MOAA/S`), the whole score.
#[derive(Clone, Debug, PartialEq)]
pub struct AssessmentEntry {
    pub at: Time,
    pub scale: String,
    pub score: i32,
    pub by: String,
    pub source: Source,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    RecordReading(ReadingEntry),
    /// A score on a scale of the profile (refused for a scale it does not define, a
    /// score outside the scale's range, or a time in the future or long before the
    /// session).
    RecordAssessment(AssessmentEntry),
    /// A corrected score (on the assessment's own scale) and when it was assessed.
    AmendAssessment {
        assessment_id: u32,
        at: Time,
        score: i32,
        by: String,
        reason: String,
    },
    MarkAssessmentEnteredInError {
        assessment_id: u32,
        by: String,
        reason: String,
    },
    AmendReading {
        reading_id: u32,
        entry: ReadingEntry,
        reason: String,
    },
    MarkEnteredInError {
        reading_id: u32,
        by: String,
        reason: String,
    },
    Infusion {
        at: Time,
        by: String,
        change: InfusionChange,
        reason: String,
    },
    NoteSideEffect {
        at: Time,
        by: String,
        effect: String,
    },
    Intervention {
        at: Time,
        by: String,
        action: String,
    },
    Acknowledge {
        alert_id: u32,
        by: String,
        action: String,
    },
    Discharge {
        at: Time,
        by: String,
        criteria: DischargeCriteria,
        reason: String,
    },
    Close {
        at: Time,
        by: String,
        source: Source,
        reason: String,
    },
    /// Silences alarm sound for the profile's pause time (at most 2 min).
    PauseAudio {
        by: String,
    },
    /// Silences one vital's alarm (up to its present priority) for `minutes` (1 to the
    /// profile's `snooze_max_min`), ending on the whole minute: up to a minute less than
    /// asked, never more.
    Snooze {
        key: AlertKey,
        by: String,
        minutes: u32,
        reason: String,
    },
    /// Adjusts one threshold for this patient (a nurse or clinician, with why).
    ChangeLimit {
        key: AlertKey,
        priority: Priority,
        limit: f64,
        by: String,
        reason: String,
    },
    /// Records a technical alarm raised by the program.
    TechnicalAlarm {
        condition: String,
    },
    /// Records in the session what an import could not keep.
    NoteRejectedInput {
        at: Time,
        by: String,
        source: Source,
        problem: String,
    },
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CommandError {
    #[error("not saved: {}", join(.0))]
    Rejected(Vec<Problem>),
    #[error("confirm before saving: {}", join(.0))]
    NeedsConfirmation(Vec<Problem>),
    #[error("not saved: no value was entered")]
    NothingToRecord,
    #[error("not saved: {0} needs a reason")]
    ReasonRequired(&'static str),
    #[error("not saved: the session is closed")]
    Closed,
    #[error("not saved: there is no assessment {0}")]
    NoSuchAssessment(u32),
    #[error("not saved: the profile has no scale '{0}'")]
    UnknownScale(String),
    #[error("not saved: alert {0} is not active")]
    NoSuchAlert(u32),
    #[error("not saved: stop the infusion before closing the session")]
    InfusionRunning,
    #[error("not saved: a snooze lasts 1 to {max} minutes, not {asked}")]
    SnoozeTooLong { asked: u32, max: u32 },
    #[error("not saved: there is no active {0} alarm to snooze")]
    NothingToSnooze(String),
    #[error("not saved: {0}")]
    BadLimit(String),
    #[error("not saved: {0}")]
    Invalid(#[from] FoldError),
    /// A session refused at its opening: each weight, dose, planned duration or rate its
    /// profile does not accept, with the value and the accepted range.
    #[error("not opened: {}", join(.0))]
    InfoRejected(Vec<InfoProblem>),
    #[error("NOT SAVED: the record could not be written to disk ({0}); nothing was recorded")]
    NotSaved(String),
}

fn join(problems: &[impl ToString]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// What a command did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Every event appended, the alert engine's included.
    pub events: Vec<Event>,
    /// Values dropped because they were outside the accepted range (import only).
    pub dropped: Vec<Problem>,
    /// Warning-tier findings kept with the reading.
    pub warnings: Vec<Problem>,
    /// The command was saved but the alerts it raised could not be: why. The engine
    /// raises them again on its next run.
    pub alerts_not_saved: Option<String>,
    /// What the person should be told about what was saved, beside the form, e.g.
    /// "Systolic high: too early to confirm: recheck from 17:05". Filled by
    /// [`Session::execute`], once the alert engine has judged the reading.
    pub notes: Vec<String>,
}

/// Where a session's events are kept as they happen (the journal). An event enters the
/// session, and so the screen, only once its store has it safely.
pub trait EventStore {
    fn store(&mut self, event: &Event) -> std::io::Result<()>;

    /// Stores several events together. The journal makes it one write and one sync; this
    /// default stores them one by one, and may keep the first when a later one fails.
    fn store_all(&mut self, events: &[Event]) -> std::io::Result<()> {
        events.iter().try_for_each(|e| self.store(e))
    }
}

pub struct Session {
    profile: Profile,
    events: Vec<Event>,
    state: SessionState,
    /// None: the session lives in memory only (an import, a test).
    store: Option<Box<dyn EventStore + Send>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile.name)
            .field("events", &self.events.len())
            .field("stored", &self.store.is_some())
            .finish()
    }
}

impl Session {
    /// Opens a session at the chair, in memory only (a test, a sample).
    ///
    /// # Errors
    /// [`CommandError::InfoRejected`] when `info` holds a weight, dose, planned duration
    /// or rate `profile` does not accept (`session::opening::check`).
    pub fn open(
        profile: Profile,
        info: SessionInfo,
        at: Time,
        by: &str,
        clock: &dyn Clock,
    ) -> Result<Session, CommandError> {
        Session::opened(profile, info, at, by, Source::Manual, None, clock)
    }

    /// Opens a session whose readings come from `source` (a file, for an import), in
    /// memory only.
    ///
    /// # Errors
    /// As [`Session::open`].
    pub fn open_from(
        profile: Profile,
        info: SessionInfo,
        at: Time,
        by: &str,
        source: Source,
        clock: &dyn Clock,
    ) -> Result<Session, CommandError> {
        Session::opened(profile, info, at, by, source, None, clock)
    }

    /// Opens a session at the chair whose every event goes to `store` before it counts.
    ///
    /// # Errors
    /// As [`Session::open`]; [`CommandError::NotSaved`] when the store refuses the
    /// opening event.
    pub fn open_stored(
        profile: Profile,
        info: SessionInfo,
        at: Time,
        by: &str,
        store: Box<dyn EventStore + Send>,
        clock: &dyn Clock,
    ) -> Result<Session, CommandError> {
        Session::opened(profile, info, at, by, Source::Manual, Some(store), clock)
    }

    /// Opens a session whose readings come from `source`, every event going to `store`.
    ///
    /// # Errors
    /// As [`Session::open_stored`].
    pub fn open_from_stored(
        profile: Profile,
        info: SessionInfo,
        at: Time,
        by: &str,
        source: Source,
        store: Box<dyn EventStore + Send>,
        clock: &dyn Clock,
    ) -> Result<Session, CommandError> {
        Session::opened(profile, info, at, by, source, Some(store), clock)
    }

    /// Whether a session may open with `info` under `profile`: the start screen asks
    /// before it creates a journal, and every `open` asks again.
    ///
    /// # Errors
    /// [`CommandError::InfoRejected`] with every number `profile` does not accept.
    pub fn check_info(profile: &Profile, info: &SessionInfo) -> Result<(), CommandError> {
        let problems = opening::check(&profile.session, info);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(CommandError::InfoRejected(problems))
        }
    }

    fn opened(
        profile: Profile,
        info: SessionInfo,
        at: Time,
        by: &str,
        source: Source,
        store: Option<Box<dyn EventStore + Send>>,
        clock: &dyn Clock,
    ) -> Result<Session, CommandError> {
        Session::check_info(&profile, &info)?;
        let mut session = Session {
            profile,
            events: Vec::new(),
            state: SessionState::default(),
            store,
        };
        let opened = NewEvent {
            at,
            by: by.to_string(),
            source,
            reason: None,
            kind: EventKind::SessionOpened(info),
        };
        session.append(opened, clock.now())?;
        Ok(session)
    }

    /// A session replayed from the events its store already holds, going on with it.
    pub fn resume(
        profile: Profile,
        events: Vec<Event>,
        store: Option<Box<dyn EventStore + Send>>,
    ) -> Result<Session, FoldError> {
        let state = SessionState::fold(&events)?;
        Ok(Session {
            profile,
            events,
            state,
            store,
        })
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// Makes room for `readings` more readings and their events at once: an import knows
    /// how many it brings, and growing a long session's lists step by step copies them
    /// over and over.
    pub fn reserve(&mut self, readings: usize) {
        // Room for the alerts, notes and closing event too: one event past the room
        // doubles the list, copying every event into fresh memory. Room never written to
        // costs address space, not memory.
        self.events.reserve(readings + readings / 4 + 64);
        self.state.readings.reserve(readings);
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn into_events(self) -> Vec<Event> {
        self.events
    }

    pub fn state(&self) -> &SessionState {
        &self.state
    }

    /// Runs `f` with the events it appends held in memory, then hands them all to the
    /// store at once: a file imported into a live session adds thousands of events, and
    /// one disk sync each would take minutes. When `f` fails or the store refuses, the
    /// session is as it was before. (A crash in the middle of the one write can leave its
    /// first rows in the journal, whole and chained; resuming keeps them.)
    pub fn in_one_write<T>(
        &mut self,
        f: impl FnOnce(&mut Session) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        let before = self.events.len();
        let store = self.store.take();
        let result = f(self);
        self.store = store;
        let stored = match (&result, self.store.as_mut()) {
            (Ok(_), Some(store)) => store
                .store_all(&self.events[before..])
                .map_err(|e| CommandError::NotSaved(e.to_string())),
            _ => Ok(()),
        };
        if result.is_err() || stored.is_err() {
            self.events.truncate(before);
            self.state = SessionState::fold(&self.events)?;
        }
        stored?;
        result
    }

    /// Applies a command and then lets the alert engine look at the result, all at the
    /// clock's time.
    pub fn execute(
        &mut self,
        command: Command,
        clock: &dyn Clock,
    ) -> Result<Outcome, CommandError> {
        let now = clock.now();
        let mut outcome = self.apply(command, now)?;
        match self.run_alerts(now, now) {
            Ok(alerts) => outcome.events.extend(alerts),
            Err(e) => outcome.alerts_not_saved = Some(e.to_string()),
        }
        // A reading that meets a medium condition again before its recheck time leaves the
        // card unchanged; without a word the nurse would take the recheck as done.
        let reading = outcome.events.iter().find_map(|e| match e.kind {
            EventKind::ReadingRecorded { reading_id, .. }
            | EventKind::ReadingAmended { reading_id, .. } => Some(reading_id),
            _ => None,
        });
        if let Some(id) = reading {
            outcome.notes = self.notes_on_reading(id);
        }
        Ok(outcome)
    }

    /// What to tell the person who saved reading `reading_id`, as things stand now: each
    /// recheck it came too early to confirm, e.g. "Systolic high: too early to confirm:
    /// recheck from 17:05". [`Session::execute`] puts it in [`Outcome::notes`].
    pub fn notes_on_reading(&self, reading_id: u32) -> Vec<String> {
        alerts::engine::too_early(&self.state, reading_id)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// Lets the alert engine look at the session at `now` (a timer tick, or an import
    /// replaying readings at their own times); its events are entered at `entered_at`.
    pub fn run_alerts(&mut self, now: Time, entered_at: Time) -> Result<Vec<Event>, CommandError> {
        self.append_all(
            alerts::evaluate(&self.profile, &self.state, now),
            entered_at,
        )
    }

    /// Lets the alert engine act at each moment after `from` and before `until` at which
    /// time alone asks something of it (a recheck falling due or expiring), in order and
    /// at that moment, as the chair's timer would have: a file replayed at its readings'
    /// own times, between one reading and the next, the engine having looked at `from`.
    /// Its events are entered at `entered_at`.
    ///
    /// # Errors
    /// `NotSaved` when the store refused the events.
    pub fn run_timers_between(
        &mut self,
        from: Time,
        until: Time,
        entered_at: Time,
    ) -> Result<(), CommandError> {
        let mut from = from;
        let before_until = until - Duration::nanoseconds(1);
        while let Some(at) = first_due(from, before_until, Duration::nanoseconds(1), |at| {
            !alerts::engine::evaluate_timers(&self.profile, &self.state, at).is_empty()
        }) {
            let events = alerts::engine::evaluate_timers(&self.profile, &self.state, at);
            self.append_all(events, entered_at)?;
            // The engine is idempotent, so the next search starts after this moment.
            from = at;
        }
        Ok(())
    }

    /// [`Session::run_alerts`] for the readings' values only, not for what time asks
    /// (reminders, rechecks gone by): a file entered row by row into a live session.
    pub fn run_value_alerts(
        &mut self,
        now: Time,
        entered_at: Time,
    ) -> Result<Vec<Event>, CommandError> {
        let events = alerts::engine::evaluate_values(&self.profile, &self.state, now);
        self.append_all(events, entered_at)
    }

    fn append_all(
        &mut self,
        events: Vec<NewEvent>,
        entered_at: Time,
    ) -> Result<Vec<Event>, CommandError> {
        events
            .into_iter()
            .map(|e| self.append(e, entered_at))
            .collect()
    }

    /// Lets the alarm audio manager decide what sounds at `now`; the events it appends say
    /// what the nurse heard.
    pub fn run_audio(&mut self, now: Time) -> Result<Vec<Event>, CommandError> {
        crate::alerts::audio::announce(&self.profile, &self.state, now)
            .into_iter()
            .map(|e| self.append(e, now))
            .collect()
    }

    /// Applies a command without running the alert engine.
    pub fn apply(&mut self, command: Command, entered_at: Time) -> Result<Outcome, CommandError> {
        if !self.state.is_open() {
            return Err(CommandError::Closed);
        }
        let new = |at, by: String, source, reason: Option<String>, kind| NewEvent {
            at,
            by,
            source,
            reason: reason.filter(|r| !r.trim().is_empty()),
            kind,
        };
        let required = |reason: String, what| {
            if reason.trim().is_empty() {
                Err(CommandError::ReasonRequired(what))
            } else {
                Ok(Some(reason))
            }
        };
        // Events a command appends before its own (the snoozes a close ends).
        let mut before = Vec::new();
        let (event, dropped, warnings) = match command {
            Command::RecordReading(entry) => {
                let checked = self.check_reading(&entry, entered_at, None)?;
                let reading_id = self.state.readings.len() as u32 + 1;
                let kind = EventKind::ReadingRecorded {
                    reading_id,
                    values: checked.values,
                    doubt: checked.doubt,
                    via: entry.via,
                };
                let event = new(entry.at, entry.by, entry.source, None, kind);
                (event, checked.dropped, checked.warnings)
            }
            Command::AmendReading {
                reading_id,
                entry,
                reason,
            } => {
                let reason = required(reason, "a correction")?;
                let checked = self.check_reading(&entry, entered_at, Some(reading_id))?;
                let kind = EventKind::ReadingAmended {
                    reading_id,
                    values: checked.values,
                    doubt: checked.doubt,
                };
                let event = new(entry.at, entry.by, entry.source, reason, kind);
                (event, checked.dropped, checked.warnings)
            }
            Command::RecordAssessment(entry) => {
                self.check_score(&entry.scale, entry.score, entry.at, entered_at)?;
                let kind = EventKind::AssessmentRecorded {
                    assessment_id: self.state.assessments.len() as u32 + 1,
                    scale: entry.scale,
                    score: entry.score,
                };
                (
                    new(entry.at, entry.by, entry.source, None, kind),
                    vec![],
                    vec![],
                )
            }
            Command::AmendAssessment {
                assessment_id,
                at,
                score,
                by,
                reason,
            } => {
                let reason = required(reason, "a correction")?;
                let scale = self
                    .state
                    .assessments
                    .get((assessment_id as usize).wrapping_sub(1))
                    .map(|a| a.scale.clone())
                    .ok_or(CommandError::NoSuchAssessment(assessment_id))?;
                self.check_score(&scale, score, at, entered_at)?;
                let kind = EventKind::AssessmentAmended {
                    assessment_id,
                    score,
                };
                (new(at, by, Source::Manual, reason, kind), vec![], vec![])
            }
            Command::MarkAssessmentEnteredInError {
                assessment_id,
                by,
                reason,
            } => {
                let reason = required(reason, "marking an assessment entered-in-error")?;
                let kind = EventKind::AssessmentEnteredInError { assessment_id };
                (
                    new(entered_at, by, Source::Manual, reason, kind),
                    vec![],
                    vec![],
                )
            }
            Command::MarkEnteredInError {
                reading_id,
                by,
                reason,
            } => {
                let reason = required(reason, "marking a reading entered-in-error")?;
                let kind = EventKind::ReadingEnteredInError { reading_id };
                (
                    new(entered_at, by, Source::Manual, reason, kind),
                    vec![],
                    vec![],
                )
            }
            Command::Infusion {
                at,
                by,
                change,
                reason,
            } => {
                let review_due = matches!(
                    crate::session::baseline::status(&self.profile, &self.state).pre_infusion_bp,
                    Some(PreInfusionBp::ClinicianReview | PreInfusionBp::Hold)
                );
                let reason = match change {
                    // DOMAIN.md's pre-infusion rule: at or above 140/90 a clinician reviews,
                    // and the record says what they decided.
                    InfusionChange::Started { .. } if review_due => required(
                        reason,
                        "the start (baseline BP at or above the review level: type the clinician's decision)",
                    )?,
                    InfusionChange::Started { .. } => Some(reason),
                    _ => required(reason, "pausing, resuming, stopping or changing the rate")?,
                };
                let kind = EventKind::Infusion(change);
                (new(at, by, Source::Manual, reason, kind), vec![], vec![])
            }
            Command::NoteSideEffect { at, by, effect } => {
                let effect = required(effect, "a side effect")?.unwrap_or_default();
                let kind = EventKind::SideEffectNoted { effect };
                (new(at, by, Source::Manual, None, kind), vec![], vec![])
            }
            Command::Intervention { at, by, action } => {
                let action = required(action, "an intervention")?.unwrap_or_default();
                let kind = EventKind::Intervention { action };
                (new(at, by, Source::Manual, None, kind), vec![], vec![])
            }
            Command::Acknowledge {
                alert_id,
                by,
                action,
            } => {
                let action = required(action, "acknowledging an alert (the action taken)")?;
                let alert = self
                    .state
                    .alerts
                    .iter()
                    .find(|a| a.id == alert_id && a.is_active())
                    .ok_or(CommandError::NoSuchAlert(alert_id))?;
                let kind = EventKind::Alert(crate::session::events::AlertEvent {
                    alert_id,
                    key: alert.key,
                    priority: alert.priority,
                    change: crate::session::events::AlertChange::Acknowledged,
                    reading_id: None,
                    message: alert.message.clone(),
                });
                (
                    new(entered_at, by, Source::Manual, action, kind),
                    vec![],
                    vec![],
                )
            }
            Command::Discharge {
                at,
                by,
                criteria,
                reason,
            } => {
                let met = self.profile.discharge.unmet(&criteria).is_empty();
                let reason = if met {
                    Some(reason)
                } else {
                    required(reason, "a discharge with criteria not met")?
                };
                let kind = EventKind::Discharged(criteria);
                (new(at, by, Source::Manual, reason, kind), vec![], vec![])
            }
            Command::PauseAudio { by } => {
                let seconds = i64::from(self.profile.audio.pause_max_s);
                let until = entered_at + Duration::seconds(seconds);
                let kind = EventKind::AudioPaused { until };
                (
                    new(entered_at, by, Source::Manual, None, kind),
                    vec![],
                    vec![],
                )
            }
            Command::Snooze {
                key,
                by,
                minutes,
                reason,
            } => {
                let reason = required(reason, "a snooze")?;
                let max = self.profile.audio.snooze_max_min;
                if minutes == 0 || minutes > max {
                    return Err(CommandError::SnoozeTooLong {
                        asked: minutes,
                        max,
                    });
                }
                let priority = self
                    .state
                    .active_alert(key)
                    .map(|a| a.priority)
                    .ok_or_else(|| CommandError::NothingToSnooze(key.describe()))?;
                // Exactly as long as asked; the alarm card shows the end to the second.
                let until = entered_at + Duration::minutes(i64::from(minutes));
                let kind = EventKind::Snoozed {
                    key,
                    priority,
                    until,
                };
                (
                    new(entered_at, by, Source::Manual, reason, kind),
                    vec![],
                    vec![],
                )
            }
            Command::ChangeLimit {
                key,
                priority,
                limit,
                by,
                reason,
            } => {
                let reason = required(reason, "a limit change")?;
                self.check_limit(key, priority, limit)?;
                let kind = EventKind::LimitChanged {
                    key,
                    priority,
                    limit,
                };
                (
                    new(entered_at, by, Source::Manual, reason, kind),
                    vec![],
                    vec![],
                )
            }
            Command::TechnicalAlarm { condition } => {
                let kind = EventKind::TechnicalAlarm { condition };
                let by = "infusion-vitals".to_string();
                (
                    new(entered_at, by, Source::AlertEngine, None, kind),
                    vec![],
                    vec![],
                )
            }
            Command::NoteRejectedInput {
                at,
                by,
                source,
                problem,
            } => {
                let kind = EventKind::InputRejected { problem };
                (new(at, by, source, None, kind), vec![], vec![])
            }
            Command::Close {
                at,
                by,
                source,
                reason,
            } => {
                if matches!(
                    self.state.infusion.phase,
                    InfusionPhase::Running | InfusionPhase::Paused
                ) {
                    return Err(CommandError::InfusionRunning);
                }
                // Snoozes end with the session, and the log says so.
                let snoozed: Vec<AlertKey> = self.state.audio.snoozes.keys().copied().collect();
                for key in snoozed {
                    let ended = new(
                        at,
                        by.clone(),
                        source.clone(),
                        None,
                        EventKind::SnoozeEnded { key },
                    );
                    before.push(self.append(ended, entered_at)?);
                }
                let kind = EventKind::SessionClosed;
                (new(at, by, source, Some(reason), kind), vec![], vec![])
            }
        };
        before.push(self.append(event, entered_at)?);
        Ok(Outcome {
            events: before,
            dropped,
            warnings,
            alerts_not_saved: None,
            notes: Vec::new(),
        })
    }

    /// A limit the profile's rule has at that priority, within what the vital accepts.
    fn check_limit(
        &self,
        key: AlertKey,
        priority: Priority,
        limit: f64,
    ) -> Result<(), CommandError> {
        let bad = |why: String| Err(CommandError::BadLimit(why));
        let Some(vital) = key.vital() else {
            return bad("only a vital's alert has a limit to change here".into());
        };
        let direction = match key {
            AlertKey::High(_) => crate::alerts::profile::Direction::High,
            _ => crate::alerts::profile::Direction::Low,
        };
        let has_level = self
            .profile
            .alerts
            .iter()
            .find(|r| r.vital == vital && r.direction == direction)
            .and_then(|r| r.level(priority))
            .is_some_and(|l| l.when.is_some());
        if !has_level {
            return bad(format!(
                "{} has no {priority} threshold to adjust",
                key.describe()
            ));
        }
        let (lo, hi) = self.profile.validation.range(vital).accept;
        if !limit.is_finite() || limit < lo || limit > hi {
            return bad(format!(
                "{} {} is outside what {vital} accepts ({}-{} {})",
                key.describe(),
                crate::session::reading::format_value(limit),
                crate::session::reading::format_value(lo),
                crate::session::reading::format_value(hi),
                vital.unit()
            ));
        }
        Ok(())
    }

    /// A score on the profile's scale named `scale`, assessed at `at`: refused when the
    /// profile has no such scale, or as `validate::validate_score` says.
    fn check_score(
        &self,
        scale: &str,
        score: i32,
        at: Time,
        now: Time,
    ) -> Result<(), CommandError> {
        let defined = crate::alerts::scales::by_name(&self.profile.scales, scale)
            .ok_or_else(|| CommandError::UnknownScale(scale.to_string()))?;
        let ctx = validate::Context {
            now,
            session_opened_at: self.state.opened_at,
            earlier: &[],
        };
        let problems = validate::validate_score(&self.profile.validation, defined, score, at, &ctx);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(CommandError::Rejected(problems))
        }
    }

    fn check_reading(
        &self,
        entry: &ReadingEntry,
        now: Time,
        amending: Option<u32>,
    ) -> Result<CheckedReading, CommandError> {
        // Validation compares with the readings at the same time and, for each vital
        // entered, the one before it within the jump window: never the whole session.
        let at = entry.at;
        let window = Duration::minutes(i64::from(self.profile.validation.jump.window_min));
        let earlier = match self.state.last_reading_at() {
            // Newer than every reading (a stream, the usual entry): none at the same time,
            // and the one before is the newest of each vital, without a search.
            Some(last) if last < at && amending.is_none() => entry
                .values
                .present()
                .filter_map(|(vital, _)| self.state.newest_with(vital))
                .filter(|(_, v)| v.at >= at - window)
                .map(|(_, v)| (v.at, v.values))
                .collect(),
            _ => self.earlier_readings(entry, window, amending),
        };
        // A device's clock may run a little ahead of the chair's (the profile says how
        // far); a person's entry may never be in the future.
        let latest = match entry.source {
            Source::Device { .. } => {
                now + Duration::seconds(i64::from(
                    self.profile.validation.time.device_clock_ahead_s,
                ))
            }
            _ => now,
        };
        let ctx = Context {
            now: latest,
            session_opened_at: self.state.opened_at,
            earlier: &earlier,
        };
        let problems = validate::validate(&self.profile.validation, &entry.values, entry.at, &ctx);
        let (rejected, warnings) = validate::partition(problems);
        if !rejected.is_empty() && entry.on_reject == OnReject::RejectEntry {
            return Err(CommandError::Rejected(rejected));
        }
        let values = validate::without_rejected(&entry.values, &rejected);
        if values.is_empty() {
            return if rejected.is_empty() {
                Err(CommandError::NothingToRecord)
            } else {
                Err(CommandError::Rejected(rejected))
            };
        }
        let doubt = match (warnings.is_empty(), entry.on_warning) {
            (true, _) => None,
            (false, OnWarning::AskForConfirmation) => {
                return Err(CommandError::NeedsConfirmation(warnings));
            }
            (false, policy) => Some(Doubt {
                note: join(&warnings),
                confirmed: policy == OnWarning::Confirmed,
            }),
        };
        Ok(CheckedReading {
            values,
            doubt,
            dropped: rejected,
            warnings,
        })
    }

    /// The readings validation compares an entry with, searched for: those at the same
    /// time, and the one before it within `window` for each vital entered.
    fn earlier_readings(
        &self,
        entry: &ReadingEntry,
        window: Duration,
        amending: Option<u32>,
    ) -> Vec<(Time, VitalSet)> {
        let at = entry.at;
        let others = |from, to| {
            self.state
                .measured_between(Some(from), Some(to))
                .filter(|(id, _)| Some(*id) != amending)
                .map(|(_, v)| (v.at, v.values))
        };
        // One reading at the same time per vital says "duplicate"; more would only cost
        // (a file of thousands of rows with one timestamp).
        let mut earlier: Vec<(Time, VitalSet)> = Vec::new();
        let mut covered = VitalSet::default();
        for (t, v) in others(at, at + Duration::seconds(1)).rev() {
            if t != at {
                continue;
            }
            let adds = v.present().any(|(vital, _)| covered.get(vital).is_none());
            if adds {
                for (vital, x) in v.present() {
                    covered.set(vital, Some(x));
                }
                earlier.push((t, v));
            }
            if entry
                .values
                .present()
                .all(|(vital, _)| covered.get(vital).is_some())
            {
                break;
            }
        }
        for (vital, _) in entry.values.present() {
            let previous = others(at - window, at)
                .rev()
                .find(|(_, v)| v.get(vital).is_some());
            earlier.extend(previous);
        }
        earlier
    }

    fn append(&mut self, new: NewEvent, entered_at: Time) -> Result<Event, CommandError> {
        let event = new.into_event(self.state.last_seq + 1, entered_at);
        self.state.apply(&event)?;
        if let Some(store) = self.store.as_mut()
            && let Err(e) = store.store(&event)
        {
            // Not on disk, so not in the session: go back to what was saved.
            self.state = SessionState::fold(&self.events)?;
            return Err(CommandError::NotSaved(e.to_string()));
        }
        self.events.push(event.clone());
        Ok(event)
    }
}

struct CheckedReading {
    values: VitalSet,
    doubt: Option<Doubt>,
    dropped: Vec<Problem>,
    warnings: Vec<Problem>,
}
