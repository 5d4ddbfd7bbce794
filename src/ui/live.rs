//! The live session: what the nurse looks at and touches during the infusion.

use crate::chair::Chair;
use crate::clock::{Clock, Time};
use crate::commands::{Command, CommandError, OnReject, OnWarning, ReadingEntry, Session};
use crate::demo::DemoScript;
use crate::import::session::{ImportError, import_into};
use crate::log::file::save_log;
use crate::schedule;
use crate::session::baseline::PreInfusionBp;
use crate::session::events::{InfusionChange, Priority, Source};
use crate::session::state::InfusionPhase;
use crate::ui::alarms::{AlarmIntent, AlarmList, AlarmView};
use crate::ui::app::SealKeyOrWhy;
use crate::ui::correct::CorrectForm;
use crate::ui::end::{EndForm, EndIntent};
use crate::ui::entry::{EntryIntent, ReadingForm};
use crate::ui::import::{ImportIntent, ImportScreen};
use crate::ui::limits::LimitsForm;
use crate::ui::monitor::{Connection, MonitorForm, MonitorIntent};
use crate::ui::notes::NotesForm;
use crate::ui::sound::{AlarmPlayer, Unattached};
use crate::ui::{PathPicker, PathRequest};
use crate::ui::{readings_table, theme, tiles, trends};
use chrono::Timelike;
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Reading,
    Scores,
    Correct,
    Notes,
    Limits,
    End,
}

impl Tab {
    /// Whether the tab's form takes the middle of the screen too, in place of the trends:
    /// a form whose controls must all be seen together and do not fit the column (the
    /// reading to correct beside its new values and reason; a side effect beside an
    /// intervention, over the list of those noted; discharge, closing and export side by
    /// side). The reading form stays beside the trends, and the limits are a list to
    /// scroll.
    fn takes_the_middle(self) -> bool {
        matches!(self, Tab::Scores | Tab::Correct | Tab::Notes | Tab::End)
    }
}

/// Width of the forms' column beside the trends: its six tabs in one row (the reading
/// form's three fields a row need less) and the panel's margins.
const FORMS_WIDTH: f32 = 380.0;
/// Width of the alarm list: an alarm's two lines of words beside its two buttons.
const ALARMS_WIDTH: f32 = 460.0;
/// Width of the reason for an infusion action, in the top bar.
const REASON_WIDTH: f32 = 180.0;
/// Rows of the status slot under the forms: a failure to save said in full, mostly.
const STATUS_ROWS: usize = 2;

/// Leaving the live screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveIntent {
    /// The session is closed: the start screen, for the next patient.
    StartScreen,
}

/// The last thing the nurse did, and how it went.
enum Status {
    None,
    Saved(String),
    Failed(String),
}

pub struct LiveScreen {
    /// The session being run: timers, sounds and technical alarms live there, not here.
    chair: Chair,
    clock: Arc<dyn Clock + Send + Sync>,
    nurse: String,
    journal: PathBuf,
    form: ReadingForm,
    alarms: AlarmList,
    reason: String,
    rate: String,
    /// The nurse asked to leave the screen (the session is closed).
    leaving: Option<LiveIntent>,
    /// Resume was asked for while a high alarm is active: the nurse confirms first.
    resume_asked: bool,
    status: Status,
    /// What the last infusion action said when it was refused, beside its controls.
    infusion_said: Option<String>,
    tab: Tab,
    correct: CorrectForm,
    notes: NotesForm,
    score_form: crate::ui::scores::ScoreForm,
    limits: LimitsForm,
    end: EndForm,
    /// A file being imported into this session, shown in place of the trends; the
    /// alarms and the entry forms stay where they are.
    import: Option<Box<ImportScreen>>,
    /// The monitor connection, when one is listening; its form, when shown in the middle.
    monitor: Option<Connection>,
    monitor_form: Option<MonitorForm>,
    picker: PathPicker,
    player: Box<dyn AlarmPlayer>,
    /// Said once on opening, e.g. what a crash cut from the journal.
    notice: Option<String>,
    /// Signs the exported log's seal (see [`LiveScreen::signing_with`]).
    seal_key: SealKeyOrWhy,
}

impl LiveScreen {
    pub fn new(
        session: Session,
        clock: Arc<dyn Clock + Send + Sync>,
        nurse: &str,
        journal: PathBuf,
        demo: Option<DemoScript>,
        notice: Option<String>,
    ) -> LiveScreen {
        let mut form = ReadingForm::default();
        form.focus();
        LiveScreen {
            chair: Chair::new(session, demo),
            clock,
            nurse: nurse.to_string(),
            journal,
            form,
            alarms: AlarmList::default(),
            reason: String::new(),
            rate: String::new(),
            resume_asked: false,
            leaving: None,
            status: Status::None,
            infusion_said: None,
            tab: Tab::Reading,
            correct: CorrectForm::default(),
            notes: NotesForm::default(),
            score_form: Default::default(),
            limits: LimitsForm::default(),
            end: EndForm::default(),
            import: None,
            monitor: None,
            monitor_form: None,
            picker: crate::ui::app::file_dialogs(),
            player: Box::new(Unattached),
            notice,
            seal_key: Err("this window was given no key to sign logs with".into()),
        }
    }

    /// Signs the exported log with `key` (the installation's): until this is called, an
    /// export is refused, never written unsigned.
    pub fn signing_with(mut self, key: SealKeyOrWhy) -> LiveScreen {
        self.seal_key = key;
        self
    }

    /// Plays alarm tones through `player`.
    pub fn with_player(mut self, player: Box<dyn AlarmPlayer>) -> LiveScreen {
        self.player = player;
        self
    }

    pub fn with_path_picker(mut self, picker: PathPicker) -> LiveScreen {
        self.picker = picker;
        self
    }

    pub fn session(&self) -> &Session {
        self.chair.session()
    }

    /// Where the monitor connection listens, when there is one (a port asked as 0 is
    /// the one chosen).
    pub fn monitor_address(&self) -> Option<std::net::SocketAddr> {
        self.monitor.as_ref().map(Connection::address)
    }

    /// Whether a file is still being read for this session (tests wait on it).
    pub fn is_importing(&self) -> bool {
        self.import.as_ref().is_some_and(|i| i.is_busy())
    }

    /// Runs the session's timed work at the clock's time (alarms, sounds, the demo), plays
    /// what is due, and asks to be woken at the next deadline. Called from `App::logic`,
    /// which eframe calls while the window is hidden too.
    pub fn logic(&mut self, ctx: &egui::Context) {
        let now = self.clock.now();
        if let Some(monitor) = self.monitor.as_mut() {
            // Each message is acknowledged from here: its readings on disk first.
            monitor.take_waiting(&mut self.chair, now);
            // Woken by each message; once a second besides, to notice a silence.
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
        self.chair.set_sound_unavailable(self.player.unavailable());
        for priority in self.chair.tick(now) {
            if let Err(why) = self.player.play(priority) {
                self.chair.sound_failed(why);
            }
        }
        if let Some(at) = self.chair.next_deadline(now) {
            ctx.request_repaint_after(self.clock.real_time_until(at));
        }
    }

    fn execute(&mut self, command: Command) -> Result<(), CommandError> {
        let now = self.clock.now();
        // What the status said was about an earlier command: a refusal of this one is said
        // beside its control, and a "Saved" left under it would seem to contradict it.
        self.status = Status::None;
        let outcome = self.chair.execute(command, now)?;
        let saved_at = now.format("%H:%M:%S");
        self.status = match outcome.alerts_not_saved {
            Some(why) => Status::Failed(format!(
                "saved at {saved_at}, but its alarms were not: {why}"
            )),
            None => Status::Saved(format!("Saved at {saved_at}, on disk")),
        };
        Ok(())
    }

    /// Draws the live screen and applies what the nurse did; `Some` when the nurse
    /// leaves it.
    pub fn ui(&mut self, ui: &mut Ui, dark: &mut bool) -> Option<LiveIntent> {
        let now = self.clock.now();
        let time = ui.input(|i| i.time);
        egui::Panel::top("live-top").show(ui, |ui| self.top_bar(ui, now, dark));
        egui::Panel::top("live-tiles").show(ui, |ui| {
            tiles::ui(ui, self.chair.session().state(), now, time);
            ui.add_space(4.0);
        });
        egui::Panel::right("live-alarms")
            .exact_size(ALARMS_WIDTH)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("alarm-scroll")
                    .show(ui, |ui| self.alarms(ui, now, time));
            });
        // A form that needs the width takes the middle as well; the trends come back with
        // the other tabs.
        let wide = self.tab.takes_the_middle();
        let forms_width = if wide {
            ui.available_width()
        } else {
            FORMS_WIDTH
        };
        egui::Panel::left("live-entry")
            .exact_size(forms_width)
            .show(ui, |ui| self.forms(ui, now));
        if !wide {
            egui::CentralPanel::default().show(ui, |ui| {
                if self.import.is_some() {
                    self.import(ui);
                    return;
                }
                if self.monitor_form.is_some() {
                    self.monitor_form(ui);
                    return;
                }
                crate::ui::notes_list::ui(ui, self.chair.session().state());
                // The trends take most, but leave the table its header and two readings
                // when the screen is short (a laptop, the notes' strip below).
                let available = ui.available_height();
                let table = readings_table::WANTED_HEIGHT + 2.0 * ui.spacing().item_spacing.y;
                let plot_height = (available * 0.62).max(220.0).min(available - table);
                trends::ui(
                    ui,
                    self.chair.session().profile(),
                    self.chair.session().state(),
                    plot_height,
                );
                ui.separator();
                readings_table::ui(ui, self.chair.session().state());
            });
        }
        ui.ctx().request_repaint_after(self.next_paint(now, time));
        std::mem::take(&mut self.leaving)
    }

    /// The tabs, the open tab's form, and the last action's outcome in a slot of its own
    /// at the bottom, where a message neither moves nor hides a control.
    fn forms(&mut self, ui: &mut Ui, now: Time) {
        // Six tabs: on a second row where the column is too narrow for them all, never cut.
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().button_padding.x = 3.0;
            ui.spacing_mut().item_spacing.x = 2.0;
            for (tab, name) in [
                (Tab::Reading, "Reading"),
                (Tab::Scores, "Scores"),
                (Tab::Correct, "Correct"),
                (Tab::Notes, "Notes"),
                (Tab::Limits, "Limits"),
                (Tab::End, "End"),
            ] {
                ui.selectable_value(&mut self.tab, tab, name);
            }
        });
        ui.separator();
        let status_height = STATUS_ROWS as f32 * ui.text_style_height(&egui::TextStyle::Body)
            + ui.spacing().item_spacing.y;
        egui::Panel::bottom("live-status")
            .resizable(false)
            .exact_size(status_height)
            .frame(egui::Frame::new())
            .show(ui, |ui| self.show_status(ui));
        if self.tab == Tab::Notes {
            // What was noted, over the status, in view of the forms that add to it.
            crate::ui::notes_list::ui(ui, self.chair.session().state());
        }
        egui::ScrollArea::vertical()
            .id_salt("entry-scroll")
            .show(ui, |ui| match self.tab {
                Tab::Reading => self.entry(ui, now),
                Tab::Scores => self.scores(ui, now),
                Tab::Correct => self.correct(ui),
                Tab::Notes => self.notes(ui, now),
                Tab::Limits => self.limits(ui),
                Tab::End => self.end(ui, now),
            });
    }

    /// The alarm list, and the commands it asks for.
    fn alarms(&mut self, ui: &mut Ui, now: Time, time: f64) {
        let mut technical = self.chair.technical();
        technical.extend(self.monitor.as_ref().and_then(Connection::technical));
        let max_snooze = self.chair.session().profile().audio.snooze_max_min;
        let state = self.chair.session().state();
        let view = AlarmView {
            state,
            now,
            time,
            technical: &technical,
            max_snooze_min: max_snooze,
        };
        let intent = self.alarms.ui(ui, &view);
        let command = match intent {
            Some(AlarmIntent::Acknowledge { alert_id, action }) => Some(Command::Acknowledge {
                alert_id,
                by: self.nurse.clone(),
                action,
            }),
            Some(AlarmIntent::PauseSound) => Some(Command::PauseAudio {
                by: self.nurse.clone(),
            }),
            Some(AlarmIntent::Snooze {
                key,
                minutes,
                reason,
            }) => Some(Command::Snooze {
                key,
                by: self.nurse.clone(),
                minutes,
                reason,
            }),
            None => None,
        };
        let snoozing = matches!(command, Some(Command::Snooze { .. }));
        if let Some(command) = command {
            let result = self.execute(command);
            if snoozing {
                // Said beside the snooze form, where it was asked.
                self.alarms.snoozed(result.map_err(|e| e.to_string()));
            } else if let Err(e) = result {
                self.alarms.refused(e.to_string());
            }
        }
    }

    /// When the screen changes by itself: an unacknowledged alarm's flash, the sound
    /// pause's countdown, the minute on the clock. Between these only an event (a key, a
    /// click, the chair's logic) repaints, so an idle screen costs little.
    fn next_paint(&self, now: Time, time: f64) -> std::time::Duration {
        let state = self.chair.session().state();
        let flash = state
            .active_alerts()
            .filter(|a| !a.is_acknowledged())
            .filter_map(|a| theme::next_flash_change(a.priority, time))
            .reduce(f64::min);
        let countdown = crate::alerts::audio::pause_left(state, now).map(|_| 1.0);
        let next_minute = now
            .with_second(0)
            .and_then(|t| t.with_nanosecond(0))
            .map(|t| t + chrono::Duration::minutes(1))
            .map_or(60.0, |t| self.clock.real_time_until(t).as_secs_f64());
        let seconds = [flash, countdown, Some(next_minute)]
            .into_iter()
            .flatten()
            .fold(60.0, f64::min);
        std::time::Duration::from_secs_f64(seconds.max(0.01))
    }

    /// Three lines that never wrap, so nothing below moves when an alarm's text grows:
    /// who and when; the infusion and its controls; the schedule.
    fn top_bar(&mut self, ui: &mut Ui, now: Time, dark: &mut bool) {
        let state = self.chair.session().state();
        ui.horizontal(|ui| {
            theme::toggle(ui, dark);
            if self.chair.is_demo() {
                let demo = RichText::new(" DEMO - simulated patient ")
                    .strong()
                    .background_color(theme::priority_color(Priority::Medium))
                    .color(egui::Color32::BLACK);
                ui.label(demo);
            }
            let info = state.info.as_ref();
            let patient = info.map_or("-", |i| i.patient_id.as_str());
            ui.label(RichText::new(format!("Patient {patient}")).strong());
            if let Some(i) = info {
                ui.label(&i.protocol.name);
            }
            ui.label(format!("Nurse {}", self.nurse));
            // To the minute: seconds would repaint the screen every second for nothing.
            ui.label(RichText::new(now.format("%H:%M").to_string()).monospace());
            // Here, where the line has room (the lines below fill up with the schedule,
            // the infusion's controls and the clinician's decision), at its right end: a
            // place that does not move with the patient's or nurse's name.
            let right = egui::Layout::right_to_left(egui::Align::Center);
            let pressed = ui
                .with_layout(right, |ui| monitor_button(ui, self.monitor.as_ref()))
                .inner;
            if pressed && self.monitor_form.is_none() {
                // The form shows in the middle, which a wide tab would be covering.
                if self.tab.takes_the_middle() {
                    self.tab = Tab::Reading;
                }
                self.import = None;
                self.monitor_form = Some(MonitorForm::default());
            }
        });
        self.infusion(ui, now);
        let state = self.chair.session().state();
        let profile = self.chair.session().profile();
        ui.horizontal(|ui| {
            match schedule::next_due(profile, state) {
                Some(d) => {
                    let text = format!(
                        "Next reading {}{} ({})",
                        d.at.format("%H:%M"),
                        if d.full_set { ", a full set" } else { "" },
                        d.reason
                    );
                    match schedule::overdue(profile, &d, now) {
                        Some(p) => ui.label(
                            RichText::new(format!("{} OVERDUE: {text}", p.marker()))
                                .color(theme::priority_color(p))
                                .strong(),
                        ),
                        None => ui.label(text),
                    };
                }
                None => {
                    ui.label("No reading due");
                }
            }
            if let Some(last) = state.last_reading_at() {
                ui.label(format!(
                    "last set {} min ago",
                    (now - last).num_minutes().max(0)
                ));
            }
            if state.infusion.phase == InfusionPhase::NotStarted
                && matches!(
                    crate::session::baseline::status(profile, state).pre_infusion_bp,
                    Some(PreInfusionBp::ClinicianReview | PreInfusionBp::Hold)
                )
            {
                // Here, not beside Start: the baseline's words fill that line.
                let label = ui.label("Clinician's decision");
                ui.add_sized(
                    [380.0, theme::TOUCH],
                    egui::TextEdit::singleline(&mut self.reason)
                        .hint_text("who reviewed the BP, and what they decided"),
                )
                .labelled_by(label.id);
            }
            if self.import.is_none() && ui.button("Import readings from a file...").clicked() {
                // The import shows in the middle, which a wide tab would be covering.
                if self.tab.takes_the_middle() {
                    self.tab = Tab::Reading;
                }
                self.import = Some(Box::new(ImportScreen::into_session(
                    self.chair.session().profile().clone(),
                    &self.nurse,
                    self.clock.clone(),
                )));
            }
            if let Some(notice) = &self.notice {
                ui.label(RichText::new(notice).color(theme::priority_color(Priority::Medium)));
            }
        });
    }

    /// The monitor's form, in the middle of the screen.
    fn monitor_form(&mut self, ui: &mut Ui) {
        let Some(form) = self.monitor_form.as_mut() else {
            return;
        };
        let patient = self
            .chair
            .session()
            .state()
            .info
            .as_ref()
            .map_or(String::new(), |i| i.patient_id.clone());
        match form.ui(ui, self.monitor.as_ref(), &patient, &self.nurse) {
            Some(MonitorIntent::Connect(connection)) => {
                self.monitor = Some(*connection);
                self.monitor_form = None;
            }
            Some(MonitorIntent::Disconnect) => self.monitor = None,
            Some(MonitorIntent::Close) => self.monitor_form = None,
            None => {}
        }
    }

    /// The guided import, in the middle of the screen; the readings it reads are entered
    /// here, where the session is.
    fn import(&mut self, ui: &mut Ui) {
        let Some(import) = self.import.as_mut() else {
            return;
        };
        match import.contents(ui) {
            Some(ImportIntent::Back) => self.import = None,
            Some(ImportIntent::Browse) => import.browse(&self.picker),
            Some(ImportIntent::Enter(entry)) => {
                let result = import_into(
                    self.chair.session_mut(),
                    entry.parsed,
                    &entry.by,
                    &entry.file_label,
                    self.clock.as_ref(),
                );
                // A disk that refuses the import is the same technical alarm as one that
                // refuses a reading typed at the chair.
                match &result {
                    Ok(_) => self.chair.stored(self.clock.now(), Ok(())),
                    Err(ImportError::Session(e)) => self.chair.stored(self.clock.now(), Err(e)),
                    Err(_) => {}
                }
                import.entered(result);
            }
            Some(ImportIntent::Review(_)) | None => {}
        }
    }

    fn correct(&mut self, ui: &mut Ui) {
        let Some(command) = self
            .correct
            .ui(ui, self.chair.session().state(), &self.nurse)
        else {
            return;
        };
        match self.execute(command) {
            Ok(()) => self.correct.done(),
            Err(CommandError::NeedsConfirmation(problems)) => {
                let what: Vec<String> = problems.iter().map(|p| p.for_person()).collect();
                self.correct.message = Some(format!(
                    "Check, tick the box, then save again: {}",
                    what.join("; ")
                ));
            }
            Err(e) => self.correct.message = Some(e.to_string()),
        }
    }

    fn notes(&mut self, ui: &mut Ui, now: Time) {
        if let Some(command) = self.notes.ui(ui, now, &self.nurse)
            && let Err(e) = self.execute(command)
        {
            self.status = Status::Failed(e.to_string());
        }
    }

    fn scores(&mut self, ui: &mut Ui, now: Time) {
        let session = self.chair.session();
        let command = self
            .score_form
            .ui(ui, session.profile(), session.state(), now, &self.nurse);
        let Some(command) = command else { return };
        let correction = matches!(
            command,
            Command::AmendAssessment { .. } | Command::MarkAssessmentEnteredInError { .. }
        );
        match self.execute(command) {
            Ok(()) if correction => self.score_form.corrected(),
            Ok(()) => {}
            Err(e) => self.status = Status::Failed(e.to_string()),
        }
    }

    fn limits(&mut self, ui: &mut Ui) {
        let form = self.limits.ui(
            ui,
            self.chair.session().profile(),
            self.chair.session().state(),
            &self.nurse,
        );
        if let Some(command) = form {
            let result = self.execute(command);
            self.limits.done(result.map_err(|e| e.to_string()));
        }
    }

    fn end(&mut self, ui: &mut Ui, now: Time) {
        let intent = self.end.ui(
            ui,
            self.chair.session().profile(),
            self.chair.session().state(),
            now,
            &self.nurse,
            &self.journal,
        );
        match intent {
            Some(EndIntent::Command(step, command)) => {
                let result = self.execute(command);
                self.end.done(step, result.map_err(|e| e.to_string()));
            }
            Some(EndIntent::ChoosePath(name)) => {
                let chosen = self
                    .picker
                    .lock()
                    .ok()
                    .and_then(|mut pick| pick(PathRequest::SaveLog(&name)));
                match chosen {
                    Some(path) => self.end.export.path = path.display().to_string(),
                    None => {
                        self.end.message =
                            Some((false, "No path chosen: type where to save the log.".into()));
                    }
                }
            }
            Some(EndIntent::Export(path)) => {
                let result = match &self.seal_key {
                    Ok(key) => save_log(&path, self.chair.session().events(), &now, key),
                    Err(why) => Err(std::io::Error::other(format!(
                        "the log cannot be signed: {why}"
                    ))),
                };
                self.end.export.saved(&path, "Sealed log", result);
            }
            None => {}
        }
    }

    /// What the chair could not save, and how the last action went, in the status slot:
    /// each cut to the slot's rows (whole on hover), so nothing above it moves.
    fn show_status(&self, ui: &mut Ui) {
        let status = match &self.status {
            Status::None => None,
            Status::Saved(text) => {
                Some(RichText::new(format!("OK - {text}")).color(theme::OK_GREEN))
            }
            Status::Failed(text) => Some(RichText::new(text).color(theme::ERROR_RED)),
        };
        let failure = self
            .chair
            .failure()
            .map(|f| RichText::new(f).color(theme::ERROR_RED));
        let lines: Vec<RichText> = failure.into_iter().chain(status).collect();
        let rows = STATUS_ROWS / lines.len().max(1);
        for line in lines {
            theme::label_in_rows(ui, line.strong(), rows);
        }
    }

    fn entry(&mut self, ui: &mut Ui, now: Time) {
        if let Some(EntryIntent::Save {
            at,
            values,
            confirmed,
        }) = self.form.ui(ui, now)
        {
            let entry = ReadingEntry {
                at,
                values,
                by: self.nurse.clone(),
                source: Source::Manual,
                on_warning: if confirmed {
                    OnWarning::Confirmed
                } else {
                    OnWarning::AskForConfirmation
                },
                on_reject: OnReject::RejectEntry,
                via: Default::default(),
            };
            match self.execute(Command::RecordReading(entry)) {
                Ok(()) => {
                    // What the core says about it (e.g. too early to confirm a recheck),
                    // read from the session the save left.
                    let notes = self.chair.session().state().last_entered_reading;
                    let notes = notes.map(|id| self.chair.session().notes_on_reading(id));
                    self.form.saved(notes.unwrap_or_default());
                }
                Err(CommandError::Rejected(problems)) => {
                    self.form.rejected(&problems);
                    self.status =
                        Status::Failed("Not saved: correct the values marked in red".into());
                }
                Err(CommandError::NeedsConfirmation(problems)) => {
                    self.form.confirm(problems);
                    self.status = Status::None;
                }
                Err(e) => self.status = Status::Failed(e.to_string()),
            }
        }
    }

    /// The infusion's line: its controls first, at a place that never moves (the hand
    /// knows them; nothing before them changes width); where it stands, in two short
    /// lines; the reason and the new rate; and in the room left, what its last action
    /// said, beside the controls that caused it, never pushing them.
    fn infusion(&mut self, ui: &mut Ui, now: Time) {
        let state = self.chair.session().state();
        let phase_now = state.infusion.phase;
        let high_active = state.active_alerts().any(|a| a.priority == Priority::High);
        let mut change = None;
        let mut confirm_resume = false;
        let mut next_patient = false;
        ui.horizontal(|ui| {
            let button = |ui: &mut Ui, text: &str| {
                ui.add(egui::Button::new(text).min_size(egui::vec2(theme::TOUCH, theme::TOUCH)))
                    .clicked()
            };
            match phase_now {
                InfusionPhase::NotStarted => {
                    if button(ui, "Start infusion") {
                        let rate = state
                            .info
                            .as_ref()
                            .and_then(|i| i.protocol.rate_mg_per_kg_h);
                        change = Some(InfusionChange::Started {
                            rate_mg_per_kg_h: rate,
                        });
                    }
                }
                InfusionPhase::Running => {
                    if button(ui, "Pause infusion") {
                        change = Some(InfusionChange::Paused);
                    }
                }
                // The question itself is asked in the message's place, at the end.
                InfusionPhase::Paused if self.resume_asked => {
                    if button(ui, "Resume anyway") {
                        confirm_resume = true;
                        change = Some(InfusionChange::Resumed);
                    }
                    if button(ui, "Keep paused") {
                        self.resume_asked = false;
                    }
                }
                InfusionPhase::Paused => {
                    if button(ui, "Resume infusion") {
                        change = Some(InfusionChange::Resumed);
                    }
                }
                InfusionPhase::Stopped => {}
            }
            if state.closed_at.is_some()
                && ui
                    .add(
                        egui::Button::new(
                            RichText::new("Next patient: back to the start screen").strong(),
                        )
                        .min_size(egui::vec2(theme::TOUCH, theme::TOUCH)),
                    )
                    .clicked()
            {
                next_patient = true;
            }
            let running = matches!(phase_now, InfusionPhase::Running | InfusionPhase::Paused);
            if running && button(ui, "Stop infusion") {
                change = Some(InfusionChange::Stopped);
            }
            ui.vertical(|ui| {
                // Two lines in the height of a button.
                ui.spacing_mut().item_spacing.y = 0.0;
                if phase_now == InfusionPhase::NotStarted {
                    baseline_status(ui, self.chair.session().profile(), state);
                } else {
                    infusion_phase(ui, state, now);
                }
            });
            if running {
                let label = ui.label(RichText::new("Reason").size(15.0));
                ui.add_sized(
                    [REASON_WIDTH, theme::TOUCH],
                    egui::TextEdit::singleline(&mut self.reason).hint_text("why (required)"),
                )
                .labelled_by(label.id);
            }
            // While the question waits, its answer is the only thing to do.
            if running && !self.resume_asked {
                // The unit under the words, to keep the line short.
                let label = ui.label(RichText::new("New rate\nmg/kg/h").size(14.0));
                ui.add_sized(
                    [60.0, theme::TOUCH],
                    egui::TextEdit::singleline(&mut self.rate),
                )
                .labelled_by(label.id);
                if button(ui, "Change rate") {
                    match crate::ui::entry::parse_number(&self.rate) {
                        Some(r) if r >= 0.0 => {
                            change = Some(InfusionChange::RateChanged {
                                rate_mg_per_kg_h: r,
                            })
                        }
                        _ => {
                            let typed = self.rate.trim();
                            self.infusion_said = Some(if typed.is_empty() {
                                "Rate not changed: type the new rate in mg/kg/h first".into()
                            } else {
                                format!("Rate not changed: '{typed}' is not a rate in mg/kg/h")
                            })
                        }
                    }
                }
            }
            let said = if self.resume_asked {
                Some(
                    RichText::new("A high alarm is active: resume anyway?")
                        .color(theme::priority_color(Priority::High)),
                )
            } else {
                self.infusion_said
                    .as_ref()
                    .map(|m| RichText::new(m).color(theme::ERROR_RED))
            };
            if let Some(said) = said {
                theme::label_in_rows(ui, said.strong().size(15.0), 2);
            }
        });
        if next_patient {
            self.leaving = Some(LiveIntent::StartScreen);
        }
        let Some(change) = change else {
            return;
        };
        if change == InfusionChange::Resumed && high_active && !confirm_resume {
            self.resume_asked = true;
            return;
        }
        self.resume_asked = false;
        let command = Command::Infusion {
            at: now,
            by: self.nurse.clone(),
            change: change.clone(),
            reason: self.reason.clone(),
        };
        match self.execute(command) {
            Ok(()) => {
                self.reason.clear();
                self.rate.clear();
                self.infusion_said = None;
            }
            Err(e) => self.infusion_said = Some(refusal(&change, &e)),
        }
    }
}

/// Why an infusion action was refused, in the words of what did not happen: "Not paused:
/// write the reason first" says more, beside the Pause button, than the core's list of
/// every action that needs one.
fn refusal(change: &InfusionChange, error: &CommandError) -> String {
    let not_done = match change {
        InfusionChange::Paused => "Not paused",
        InfusionChange::Resumed => "Not resumed",
        InfusionChange::Stopped => "Not stopped",
        InfusionChange::RateChanged { .. } => "Rate not changed",
        // Its reason is the clinician's decision, typed in a field of its own: the core's
        // words say which.
        InfusionChange::Started { .. } => return error.to_string(),
    };
    match error {
        CommandError::ReasonRequired(_) => format!("{not_done}: write the reason first"),
        other => other.to_string(),
    }
}

/// The infusion's phase, large; a pause in the medium alarm's colours so it is not taken
/// for running; the rate in force under it.
fn infusion_phase(ui: &mut Ui, state: &crate::session::SessionState, now: Time) {
    let text = RichText::new(phase(state, now)).strong().size(20.0);
    let text = if state.infusion.phase == InfusionPhase::Paused && state.closed_at.is_none() {
        text.background_color(theme::priority_color(Priority::Medium))
            .color(egui::Color32::BLACK)
    } else {
        text
    };
    ui.label(text);
    if let (InfusionPhase::Running | InfusionPhase::Paused, Some(rate)) =
        (state.infusion.phase, state.infusion.rate_mg_per_kg_h)
    {
        ui.label(
            RichText::new(format!(
                "rate {} mg/kg/h",
                crate::session::reading::format_value(rate)
            ))
            .strong()
            .size(16.0),
        );
    }
}

/// Where the session stands, in the nurse's words.
fn phase(state: &crate::session::SessionState, now: Time) -> String {
    let minutes = |t: Option<Time>| t.map_or(0, |t| (now - t).num_minutes().max(0));
    let inf = &state.infusion;
    if state.closed_at.is_some() {
        return "Session closed".into();
    }
    match inf.phase {
        InfusionPhase::NotStarted => "Baseline: infusion not started".into(),
        InfusionPhase::Running => format!("Infusion running for {} min", minutes(inf.started_at)),
        InfusionPhase::Paused => format!(" INFUSION PAUSED {} min ", minutes(inf.paused_at)),
        InfusionPhase::Stopped => format!(
            "Observation: infusion stopped {} min ago",
            minutes(inf.stopped_at)
        ),
    }
}

/// Before the start: is the baseline complete, and what does the pre-infusion blood
/// pressure rule say?
fn baseline_status(
    ui: &mut Ui,
    profile: &crate::alerts::Profile,
    state: &crate::session::SessionState,
) {
    use crate::session::baseline;
    let b = baseline::status(profile, state);
    let sets = match (b.complete, b.two_bp_five_min_apart) {
        (false, _) => "Baseline: take a full set (BP, HR, SpO2)".to_string(),
        (true, false) => format!(
            "Baseline: {} full set(s); ideally a second BP 5 min later",
            b.full_sets
        ),
        (true, true) => format!(
            "Baseline complete: {} full set(s), BP twice 5 min apart",
            b.full_sets
        ),
    };
    ui.label(RichText::new(sets).strong().size(16.0));
    {
        let (Some(s), Some(d), Some(rule)) = (b.systolic_mmhg, b.diastolic_mmhg, b.pre_infusion_bp)
        else {
            return;
        };
        let bp = format!("mean BP {:.0}/{:.0}", s, d);
        let r = &profile.baseline;
        let (text, priority) = match rule {
            PreInfusionBp::Acceptable => (
                format!(
                    "{bp}: below {}/{}, acceptable to start",
                    r.review_at.systolic, r.review_at.diastolic
                ),
                None,
            ),
            PreInfusionBp::ClinicianReview => (
                format!(
                    "** {bp} >= {}/{}: clinician review before the start",
                    r.review_at.systolic, r.review_at.diastolic
                ),
                Some(Priority::Medium),
            ),
            PreInfusionBp::Hold => (
                format!(
                    "*** {bp} >= {}/{}: HOLD until a clinician decides",
                    r.hold_at.systolic, r.hold_at.diastolic
                ),
                Some(Priority::High),
            ),
        };
        let text = RichText::new(text).size(16.0);
        match priority {
            Some(p) => ui.label(text.color(theme::priority_color(p)).strong()),
            None => ui.label(text),
        };
    }
}

/// "Connect a monitor...", or the connection's state as the button to its form (one
/// button, so the first line of the top bar keeps room); whether it was pressed.
fn monitor_button(ui: &mut Ui, monitor: Option<&Connection>) -> bool {
    let text = match monitor {
        None => RichText::new("Connect a monitor..."),
        Some(connection) => {
            let (text, alarm) = connection.status();
            let shown = RichText::new(text);
            if alarm {
                shown.color(theme::ERROR_RED).strong()
            } else {
                shown
            }
        }
    };
    ui.button(text).clicked()
}
