//! The live session: what the nurse looks at and touches during the infusion.

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
use crate::ui::correct::CorrectForm;
use crate::ui::end::{EndForm, EndIntent};
use crate::ui::entry::{EntryIntent, ReadingForm};
use crate::ui::import::{ImportIntent, ImportScreen};
use crate::ui::limits::LimitsForm;
use crate::ui::notes::NotesForm;
use crate::ui::sound::{AlarmPlayer, Unattached};
use crate::ui::{PathPicker, PathRequest};
use crate::ui::{readings_table, theme, tiles, trends};
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Reading,
    Correct,
    Notes,
    Limits,
    End,
}

/// The last thing the nurse did, and how it went.
enum Status {
    None,
    Saved(String),
    Failed(String),
}

pub struct LiveScreen {
    session: Session,
    clock: Arc<dyn Clock + Send + Sync>,
    nurse: String,
    journal: PathBuf,
    demo: Option<DemoScript>,
    form: ReadingForm,
    alarms: AlarmList,
    reason: String,
    rate: String,
    status: Status,
    tab: Tab,
    correct: CorrectForm,
    notes: NotesForm,
    limits: LimitsForm,
    end: EndForm,
    /// A file being imported into this session, shown in place of the trends; the
    /// alarms and the entry forms stay where they are.
    import: Option<Box<ImportScreen>>,
    picker: PathPicker,
    player: Box<dyn AlarmPlayer>,
    /// Technical conditions, shown apart from clinical alarms.
    sound_error: Option<String>,
    journal_failed: Option<String>,
    clock_moved_back: Option<String>,
    last_now: Option<Time>,
    /// Technical conditions already in the log (each is logged once).
    logged_technical: std::collections::BTreeSet<&'static str>,
    /// When the journal first refused a write, until one succeeds again.
    journal_failed_since: Option<Time>,
    /// Said once on opening, e.g. what a crash cut from the journal.
    notice: Option<String>,
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
            session,
            clock,
            nurse: nurse.to_string(),
            journal,
            demo,
            form,
            alarms: AlarmList::default(),
            reason: String::new(),
            rate: String::new(),
            status: Status::None,
            tab: Tab::Reading,
            correct: CorrectForm::default(),
            notes: NotesForm::default(),
            limits: LimitsForm::default(),
            end: EndForm::default(),
            import: None,
            picker: crate::ui::app::file_dialogs(),
            player: Box::new(Unattached),
            sound_error: None,
            journal_failed: None,
            clock_moved_back: None,
            last_now: None,
            logged_technical: std::collections::BTreeSet::new(),
            journal_failed_since: None,
            notice,
        }
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
        &self.session
    }

    /// Whether a file is still being read for this session (tests wait on it).
    pub fn is_importing(&self) -> bool {
        self.import.as_ref().is_some_and(|i| i.is_busy())
    }

    /// Runs the demo's due steps and the alert engine at the clock's time.
    pub fn tick(&mut self) {
        let now = self.clock.now();
        if let Some(demo) = self.demo.as_mut() {
            for command in demo.due(now) {
                if let Err(e) = self.session.execute(command, self.clock.as_ref()) {
                    self.status = Status::Failed(e.to_string());
                }
            }
        }
        if let Some(last) = self.last_now
            && now + chrono::Duration::seconds(1) < last
        {
            self.clock_moved_back = Some(format!(
                "the computer's clock moved back from {} to {}: check the time before entering readings",
                last.format("%H:%M:%S"),
                now.format("%H:%M:%S")
            ));
        }
        self.last_now = Some(self.last_now.map_or(now, |l| l.max(now)));
        if let Err(e) = self.session.run_alerts(now, now) {
            self.status = Status::Failed(format!("alarms could not be saved: {e}"));
        }
        self.log_technical();
        // With no sound device nothing is heard, so nothing is logged as sounded: the
        // logged "no sound" technical alarm says why.
        if self.player.unavailable().is_some() {
            return;
        }
        match self.session.run_audio(now) {
            Ok(events) => {
                for e in events {
                    if let crate::session::EventKind::AlarmSounded { priority, .. } = e.kind
                        && let Err(why) = self.player.play(priority)
                    {
                        self.sound_error = Some(why);
                    }
                }
            }
            Err(e) => self.status = Status::Failed(format!("alarm sounds could not be saved: {e}")),
        }
    }

    /// Records each technical condition in the log once.
    fn log_technical(&mut self) {
        let conditions = [
            (
                "no-sound",
                self.player
                    .unavailable()
                    .or_else(|| self.sound_error.clone())
                    .map(|why| format!("no sound: alarms are visual only ({why})")),
            ),
            ("clock", self.clock_moved_back.clone()),
        ];
        for (name, condition) in conditions {
            if let Some(condition) = condition
                && !self.logged_technical.contains(name)
                && self
                    .session
                    .execute(Command::TechnicalAlarm { condition }, self.clock.as_ref())
                    .is_ok()
            {
                self.logged_technical.insert(name);
            }
        }
    }

    /// What is wrong with the machine rather than the patient.
    fn technical(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(why) = self
            .player
            .unavailable()
            .or_else(|| self.sound_error.clone())
        {
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

    fn execute(&mut self, command: Command) -> Result<(), CommandError> {
        let result = self.session.execute(command, self.clock.as_ref());
        match &result {
            Err(CommandError::NotSaved(why)) => self.journal_refused(why.clone()),
            Ok(_) => self.journal_accepted(),
            Err(_) => {}
        }
        let outcome = result?;
        let saved_at = self.clock.now().format("%H:%M:%S");
        self.status = match outcome.alerts_not_saved {
            Some(why) => Status::Failed(format!(
                "saved at {saved_at}, but its alarms were not: {why}"
            )),
            None => Status::Saved(format!("Saved at {saved_at}, on disk")),
        };
        Ok(())
    }

    /// The journal took a write: the technical alarm ends, and the log says for how long
    /// entries were not saved.
    fn journal_accepted(&mut self) {
        self.journal_failed = None;
        if let Some(since) = self.journal_failed_since.take() {
            let condition = format!(
                "the journal could not be written from {} to {}; entries made then were not saved",
                since.format("%H:%M:%S"),
                self.clock.now().format("%H:%M:%S")
            );
            let _ = self
                .session
                .execute(Command::TechnicalAlarm { condition }, self.clock.as_ref());
        }
    }

    /// The journal refused a write: a technical alarm until one succeeds again.
    fn journal_refused(&mut self, why: String) {
        self.journal_failed = Some(why);
        self.journal_failed_since.get_or_insert(self.clock.now());
    }

    pub fn ui(&mut self, ui: &mut Ui, dark: &mut bool) {
        self.tick();
        let now = self.clock.now();
        let time = ui.input(|i| i.time);
        egui::Panel::top("live-top").show(ui, |ui| self.top_bar(ui, now, dark));
        egui::Panel::top("live-tiles").show(ui, |ui| {
            tiles::ui(ui, self.session.state(), now, time);
            ui.add_space(4.0);
        });
        egui::Panel::left("live-entry")
            .exact_size(350.0)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.spacing_mut().button_padding.x = 7.0;
                    ui.spacing_mut().item_spacing.x = 4.0;
                    for (tab, name) in [
                        (Tab::Reading, "Reading"),
                        (Tab::Correct, "Correct"),
                        (Tab::Notes, "Notes"),
                        (Tab::Limits, "Limits"),
                        (Tab::End, "End"),
                    ] {
                        ui.selectable_value(&mut self.tab, tab, name);
                    }
                });
                ui.separator();
                egui::ScrollArea::vertical()
                    .id_salt("entry-scroll")
                    .show(ui, |ui| match self.tab {
                        Tab::Reading => self.entry(ui, now),
                        Tab::Correct => self.correct(ui),
                        Tab::Notes => self.notes(ui, now),
                        Tab::Limits => self.limits(ui),
                        Tab::End => self.end(ui, now),
                    });
            });
        egui::Panel::right("live-alarms")
            .exact_size(420.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("alarm-scroll")
                    .show(ui, |ui| {
                        let technical = self.technical();
                        let max_snooze = self.session.profile().audio.snooze_max_min;
                        let state = self.session.state();
                        let view = AlarmView {
                            state,
                            now,
                            time,
                            technical: &technical,
                            max_snooze_min: max_snooze,
                        };
                        let intent = self.alarms.ui(ui, &view);
                        let command = match intent {
                            Some(AlarmIntent::Acknowledge { alert_id, action }) => {
                                Some(Command::Acknowledge {
                                    alert_id,
                                    by: self.nurse.clone(),
                                    action,
                                })
                            }
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
                                self.status = Status::Failed(e.to_string());
                            }
                        }
                    });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            if self.import.is_some() {
                self.import(ui);
                return;
            }
            crate::ui::notes_list::ui(ui, self.session.state());
            let plot_height = (ui.available_height() * 0.62).max(220.0);
            trends::ui(
                ui,
                self.session.profile(),
                self.session.state(),
                plot_height,
            );
            ui.separator();
            readings_table::ui(ui, self.session.state());
        });
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_millis(200));
    }

    /// Three lines that never wrap, so nothing below moves when an alarm's text grows:
    /// who and when; the infusion and its controls; the schedule.
    fn top_bar(&mut self, ui: &mut Ui, now: Time, dark: &mut bool) {
        let state = self.session.state();
        ui.horizontal(|ui| {
            theme::toggle(ui, dark);
            if self.demo.is_some() {
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
            ui.label(RichText::new(now.format("%H:%M:%S").to_string()).monospace());
        });
        self.infusion(ui, now);
        let state = self.session.state();
        let profile = self.session.profile();
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
                self.import = Some(Box::new(ImportScreen::into_session(
                    self.session.profile().clone(),
                    &self.nurse,
                    self.clock.clone(),
                )));
            }
            if let Some(notice) = &self.notice {
                ui.label(RichText::new(notice).color(theme::priority_color(Priority::Medium)));
            }
        });
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
                    &mut self.session,
                    entry.parsed,
                    &entry.by,
                    &entry.file_label,
                    self.clock.as_ref(),
                );
                // A disk that refuses the import is the same technical alarm as one that
                // refuses a reading typed at the chair.
                let journal = match &result {
                    Ok(_) => Ok(()),
                    Err(ImportError::Session(CommandError::NotSaved(why))) => {
                        Err(Some(why.clone()))
                    }
                    Err(_) => Err(None),
                };
                import.entered(result);
                match journal {
                    Ok(()) => self.journal_accepted(),
                    Err(Some(why)) => self.journal_refused(why),
                    Err(None) => {}
                }
            }
            Some(ImportIntent::Review(_)) | None => {}
        }
    }

    fn correct(&mut self, ui: &mut Ui) {
        let Some(command) = self.correct.ui(ui, self.session.state(), &self.nurse) else {
            return;
        };
        match self.execute(command) {
            Ok(()) => self.correct.done(),
            Err(CommandError::NeedsConfirmation(problems)) => {
                let what: Vec<String> = problems.iter().map(ToString::to_string).collect();
                self.correct.message = Some(format!(
                    "Check, tick the box, then save again: {}",
                    what.join("; ")
                ));
            }
            Err(e) => self.correct.message = Some(e.to_string()),
        }
        self.show_status(ui);
    }

    fn notes(&mut self, ui: &mut Ui, now: Time) {
        if let Some(command) = self.notes.ui(ui, now, &self.nurse)
            && let Err(e) = self.execute(command)
        {
            self.status = Status::Failed(e.to_string());
        }
        self.show_status(ui);
    }

    fn limits(&mut self, ui: &mut Ui) {
        let form = self.limits.ui(
            ui,
            self.session.profile(),
            self.session.state(),
            &self.nurse,
        );
        if let Some(command) = form {
            let result = self.execute(command);
            self.limits.done(result.map_err(|e| e.to_string()));
        }
    }

    fn end(&mut self, ui: &mut Ui, now: Time) {
        ui.label(RichText::new(format!("Journal: {}", self.journal.display())).small());
        let intent = self.end.ui(
            ui,
            self.session.profile(),
            self.session.state(),
            now,
            &self.nurse,
        );
        match intent {
            Some(EndIntent::Command(command)) => {
                if let Err(e) = self.execute(command) {
                    self.status = Status::Failed(e.to_string());
                }
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
                self.end.message = Some(match save_log(&path, self.session.events(), &now) {
                    Ok(()) => (true, format!("Sealed log saved to {}", path.display())),
                    Err(e) => (false, format!("NOT SAVED to {}: {e}", path.display())),
                });
            }
            None => {}
        }
        self.show_status(ui);
    }

    fn show_status(&self, ui: &mut Ui) {
        match &self.status {
            Status::None => {}
            Status::Saved(text) => {
                ui.label(
                    RichText::new(format!("OK - {text}"))
                        .color(theme::OK_GREEN)
                        .strong(),
                );
            }
            Status::Failed(text) => {
                ui.label(RichText::new(text).color(theme::ERROR_RED).strong());
            }
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
                Ok(()) => self.form.saved(),
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
        self.show_status(ui);
    }

    /// The infusion's state and what can be done with it, on one line.
    fn infusion(&mut self, ui: &mut Ui, now: Time) {
        let state = self.session.state();
        let phase_now = state.infusion.phase;
        let mut change = None;
        ui.horizontal(|ui| {
            if phase_now == InfusionPhase::NotStarted {
                baseline_status(ui, self.session.profile(), state);
            } else {
                ui.label(RichText::new(phase(state, now)).strong().size(20.0));
            }
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
                InfusionPhase::Paused => {
                    if button(ui, "Resume infusion") {
                        change = Some(InfusionChange::Resumed);
                    }
                }
                InfusionPhase::Stopped => {}
            }
            if matches!(phase_now, InfusionPhase::Running | InfusionPhase::Paused) {
                if button(ui, "Stop infusion") {
                    change = Some(InfusionChange::Stopped);
                }
                let label = ui.label("New rate mg/kg/h");
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
                            self.status = Status::Failed(format!(
                                "'{}' is not a rate in mg/kg/h",
                                self.rate.trim()
                            ))
                        }
                    }
                }
            }
            if matches!(phase_now, InfusionPhase::Running | InfusionPhase::Paused) {
                let label = ui.label("Reason");
                ui.add_sized(
                    [230.0, theme::TOUCH],
                    egui::TextEdit::singleline(&mut self.reason)
                        .hint_text("to pause, stop, change rate"),
                )
                .labelled_by(label.id);
            }
        });
        if let Some(change) = change {
            let command = Command::Infusion {
                at: now,
                by: self.nurse.clone(),
                change,
                reason: self.reason.clone(),
            };
            match self.execute(command) {
                Ok(()) => {
                    self.reason.clear();
                    self.rate.clear();
                }
                Err(e) => self.status = Status::Failed(e.to_string()),
            }
        }
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
        InfusionPhase::Paused => "INFUSION PAUSED".into(),
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
    ui.label(RichText::new(sets).strong().size(18.0));
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
        match priority {
            Some(p) => ui.label(RichText::new(text).color(theme::priority_color(p)).strong()),
            None => ui.label(text),
        };
    }
}
