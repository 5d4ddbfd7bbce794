//! The running of a session at the chair: what must happen on time whether or not anyone
//! looks at the window. The alert engine's timers (rechecks, reminders, the escalation of
//! an unacknowledged medium alarm), the alarm sounds and their re-announcement, the
//! technical alarms (no sound, the journal refusing a write, the clock moving back) and
//! the demo's simulated monitor all live here.
//!
//! No egui, no files, no clock: the caller passes the time in. The window drives it from
//! `App::logic`, which eframe calls even while the window is minimized or covered (its
//! `App::ui` is not called then), and asks to be woken at [`Chair::next_deadline`].
//! Tests drive it with a hand-moved time, without a window.

use crate::alerts::{self, audio};
use crate::clock::{FixedClock, Time, first_due};
use crate::commands::{Command, CommandError, Outcome, Session};
use crate::demo::DemoScript;
use crate::session::events::{EventKind, Priority};
use chrono::Duration;
use std::collections::BTreeSet;

/// How far ahead [`Chair::next_deadline`] looks for something falling due. Beyond it the
/// chair is woken anyway, so a wait is never longer than this.
pub const LOOKAHEAD_S: i64 = 30;

/// A session being run at the chair.
pub struct Chair {
    session: Session,
    /// The demo's simulated nurse and monitor, when this is the demo.
    demo: Option<DemoScript>,
    /// Why no sound can be made at all (no device), as the sound player says.
    sound_unavailable: Option<String>,
    /// Why the last sound could not be played.
    sound_failed: Option<String>,
    clock_moved_back: Option<String>,
    /// The latest time the chair has been run at: the clock moving back is measured from it.
    latest: Option<Time>,
    /// Technical conditions already in the log (each is logged once).
    logged_technical: BTreeSet<&'static str>,
    /// Why the journal refused the last write, until one succeeds again.
    journal_failed: Option<String>,
    /// When the journal first refused a write, until one succeeds again.
    journal_failed_since: Option<Time>,
    /// What the chair's own timed work could not save (the alarms, the sounds, a demo
    /// step): shown to the nurse until the next success.
    failure: Option<String>,
}

impl Chair {
    /// Runs `session`; `demo` when the simulated patient and nurse drive it.
    pub fn new(session: Session, demo: Option<DemoScript>) -> Chair {
        Chair {
            session,
            demo,
            sound_unavailable: None,
            sound_failed: None,
            clock_moved_back: None,
            latest: None,
            logged_technical: BTreeSet::new(),
            journal_failed: None,
            journal_failed_since: None,
            failure: None,
        }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The session itself, for work that goes through it in one piece (a file imported
    /// into it); say how the store took it with [`Chair::stored`].
    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    pub fn is_demo(&self) -> bool {
        self.demo.is_some()
    }

    /// What the chair's timed work could not save, if anything.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Applies a person's command at `now`, runs the alert engine, and keeps the journal's
    /// technical alarm up to date.
    ///
    /// # Errors
    /// The command's own refusal ([`CommandError`]); `NotSaved` when the journal refused
    /// the write, which also raises the journal's technical alarm.
    pub fn execute(&mut self, command: Command, now: Time) -> Result<Outcome, CommandError> {
        let result = self.session.execute(command, &FixedClock(now));
        self.stored(now, result.as_ref().map(|_| ()));
        result
    }

    /// Says how the journal took a write made through [`Chair::session_mut`]: a refusal
    /// starts the journal's technical alarm; the next success ends it and logs for how
    /// long entries were not saved.
    pub fn stored(&mut self, now: Time, result: Result<(), &CommandError>) {
        match result {
            Ok(()) => {
                self.journal_failed = None;
                if let Some(since) = self.journal_failed_since.take() {
                    let condition = format!(
                        "the journal could not be written from {} to {}; entries made then were not saved",
                        since.format("%H:%M:%S"),
                        now.format("%H:%M:%S")
                    );
                    let _ = self
                        .session
                        .execute(Command::TechnicalAlarm { condition }, &FixedClock(now));
                }
            }
            Err(CommandError::NotSaved(why)) => {
                self.journal_failed = Some(why.clone());
                self.journal_failed_since.get_or_insert(now);
            }
            Err(_) => {}
        }
    }

    /// The sound player says whether it can make a sound at all. With no device nothing
    /// is heard, so nothing is logged as sounded; the logged "no sound" technical alarm
    /// says why.
    pub fn set_sound_unavailable(&mut self, why: Option<String>) {
        self.sound_unavailable = why;
    }

    /// A sound the chair asked for could not be played.
    pub fn sound_failed(&mut self, why: String) {
        self.sound_failed = Some(why);
    }

    /// Everything due by `now`: the demo's steps, the clock's check, the alert engine's
    /// timers, the technical alarms, and the sounds. Returns the priorities to play now,
    /// each already recorded as an `AlarmSounded` event.
    pub fn tick(&mut self, now: Time) -> Vec<Priority> {
        self.failure = None;
        let demo_steps = self.demo.as_mut().map(|d| d.due(now)).unwrap_or_default();
        for command in demo_steps {
            if let Err(e) = self.execute(command, now) {
                self.failure = Some(format!("the demo's step could not be saved: {e}"));
            }
        }
        if let Some(latest) = self.latest
            && now + Duration::seconds(1) < latest
        {
            self.clock_moved_back = Some(format!(
                "the computer's clock moved back from {} to {}: check the time before entering readings",
                latest.format("%H:%M:%S"),
                now.format("%H:%M:%S")
            ));
        }
        self.latest = Some(self.latest.map_or(now, |l| l.max(now)));
        if let Err(e) = self.session.run_alerts(now, now) {
            self.failure = Some(format!("alarms could not be saved: {e}"));
        }
        self.log_technical(now);
        if self.sound_unavailable.is_some() {
            return Vec::new();
        }
        match self.session.run_audio(now) {
            Ok(events) => events
                .into_iter()
                .filter_map(|e| match e.kind {
                    EventKind::AlarmSounded { priority, .. } => Some(priority),
                    _ => None,
                })
                .collect(),
            Err(e) => {
                self.failure = Some(format!("alarm sounds could not be saved: {e}"));
                Vec::new()
            }
        }
    }

    /// When the chair must next be run, after a [`Chair::tick`] at `now`: the first whole
    /// second at which the alert engine or the audio manager has something to do, or the
    /// demo's next step; at most [`LOOKAHEAD_S`] ahead. None once the session is closed
    /// and nothing more can happen.
    ///
    /// The engine and the audio manager are pure functions of (profile, state, time), so
    /// asking them about a later time finds their deadlines without a second copy of their
    /// rules. Once something is due it stays due until an event answers it, so the first
    /// second is found by bisection (a test holds it to a second-by-second scan).
    pub fn next_deadline(&self, now: Time) -> Option<Time> {
        let state = self.session.state();
        let demo = self.demo.as_ref().and_then(DemoScript::next_at);
        if !state.is_open() {
            return demo;
        }
        let lookahead = now + Duration::seconds(LOOKAHEAD_S);
        let alarm = first_due(now, lookahead, Duration::seconds(1), |at| {
            self.something_due(at)
        })
        .unwrap_or(lookahead);
        Some(demo.map_or(alarm, |d| d.min(alarm)))
    }

    /// Whether the alert engine or (when sound can be made) the audio manager would add
    /// an event at `at`.
    fn something_due(&self, at: Time) -> bool {
        let (profile, state) = (self.session.profile(), self.session.state());
        !alerts::evaluate(profile, state, at).is_empty()
            || (self.sound_unavailable.is_none() && !audio::announce(profile, state, at).is_empty())
    }

    /// Records each technical condition in the log once.
    fn log_technical(&mut self, now: Time) {
        let conditions = [
            (
                "no-sound",
                self.no_sound()
                    .map(|why| format!("no sound: alarms are visual only ({why})")),
            ),
            ("clock", self.clock_moved_back.clone()),
        ];
        for (name, condition) in conditions {
            if let Some(condition) = condition
                && !self.logged_technical.contains(name)
                && self
                    .session
                    .execute(Command::TechnicalAlarm { condition }, &FixedClock(now))
                    .is_ok()
            {
                self.logged_technical.insert(name);
            }
        }
    }

    fn no_sound(&self) -> Option<String> {
        self.sound_unavailable
            .clone()
            .or_else(|| self.sound_failed.clone())
    }

    /// What is wrong with the machine rather than the patient, in the nurse's words.
    pub fn technical(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(why) = self.no_sound() {
            out.push(format!("No sound: alarms are visual only ({why})"));
        }
        if let Some(why) = &self.journal_failed {
            out.push(format!(
                "The journal could not be written ({why}): the last entry was NOT saved. Free disk space or fix the folder's permissions, then enter it again; call IT if it persists."
            ));
        }
        out.extend(self.clock_moved_back.clone());
        out
    }
}
