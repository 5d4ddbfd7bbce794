//! The window: the start screen or a live session, and the theme.

use crate::alerts::Profile;
use crate::clock::{Clock, SystemClock, Time};
use crate::commands::{CommandError, Session};
use crate::demo::{DemoClock, DemoScript};
use crate::journal::{self, Journal};
use crate::log::file::save_bytes;
use crate::log::seal::SealKey;
use crate::report::{ReportInput, session_pdf};
use crate::session::SessionState;
use crate::session::events::{Protocol, SessionInfo};
use crate::ui::audit_view::{AuditIntent, AuditScreen};
use crate::ui::import::{ImportIntent, ImportScreen};
use crate::ui::input_order::InputOrder;
use crate::ui::live::{LiveIntent, LiveScreen};
use crate::ui::review::{ReviewIntent, ReviewScreen};
use crate::ui::sound::{AlarmPlayer, SystemPlayer};
use crate::ui::start::{NewSession, StartIntent, StartScreen, Unfinished};
use crate::ui::theme;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a path is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathRequest<'a> {
    /// Where to save a sealed log; the suggested file name.
    SaveLog(&'a str),
    /// Which sealed log to open for review.
    OpenLog,
    /// Which monitor export or spreadsheet to import.
    ImportFile,
    /// Where to save a session's PDF report; the suggested file name.
    SaveReport(&'a str),
    /// Where to save a session's FHIR bundle; the suggested file name.
    SaveBundle(&'a str),
    /// Which folder of logs to audit.
    Folder,
}

/// Asks the user for a path: the platform's file dialogs in the program, a stand-in in
/// tests (dialogs never open there).
pub type PathPicker = Arc<Mutex<dyn FnMut(PathRequest) -> Option<PathBuf> + Send>>;

/// The platform's file dialogs. Where no dialog service runs, they return nothing and the
/// nurse types the path instead.
pub fn file_dialogs() -> PathPicker {
    Arc::new(Mutex::new(|request: PathRequest| {
        let dialog = rfd::FileDialog::new();
        match request {
            PathRequest::SaveLog(name) => dialog
                .add_filter("CSV session log", &["csv"])
                .set_file_name(name)
                .save_file(),
            PathRequest::OpenLog => dialog.add_filter("CSV session log", &["csv"]).pick_file(),
            PathRequest::Folder => dialog.pick_folder(),
            PathRequest::SaveReport(name) => dialog
                .add_filter("PDF report", &["pdf"])
                .set_file_name(name)
                .save_file(),
            PathRequest::SaveBundle(name) => dialog
                .add_filter("FHIR bundle (JSON)", &["json"])
                .set_file_name(name)
                .save_file(),
            PathRequest::ImportFile => dialog
                .add_filter("CSV or text export", &["csv", "txt", "tsv"])
                .pick_file(),
        }
    }))
}

/// Makes the sound player for a live session: the system's audio in the program, a
/// recorder of what would have sounded in tests.
pub type PlayerFactory = Arc<dyn Fn() -> Box<dyn AlarmPlayer> + Send + Sync>;

pub enum Screen {
    Start(Box<StartScreen>),
    Import(Box<ImportScreen>),
    Live(Box<LiveScreen>),
    Review(Box<ReviewScreen>),
    Audit(Box<AuditScreen>),
}

pub struct App {
    pub screen: Screen,
    /// Where real sessions are journaled: `DATA/sessions`.
    sessions: PathBuf,
    /// Where the demo journals: a temporary folder unless `--data-dir` was given.
    demo_sessions: PathBuf,
    /// The clock real sessions use: the computer's, or a test's.
    clock: Arc<dyn Clock + Send + Sync>,
    picker: PathPicker,
    player: PlayerFactory,
    /// The audit a file was opened from: Back from its review returns to it, results kept.
    parked_audit: Option<Box<AuditScreen>>,
    dark: bool,
    styled: Option<bool>,
    /// Whether the window's context has the plugin that keeps keystrokes in order.
    input_order: bool,
    /// The window was asked to close while a session is open: the nurse is asked first.
    closing: Closing,
    /// The installation's key that signs every log the window seals, loaded once; why
    /// not, when it could not be read or made (a session still runs and journals, but
    /// its log cannot be sealed until that is fixed).
    seal_key: SealKeyOrWhy,
}

/// The key that signs seals, or why there is none.
pub type SealKeyOrWhy = Result<Arc<SealKey>, String>;

/// Closing the window while a session is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Closing {
    /// Nothing asked.
    No,
    /// Asked to close with a session open: the question is on screen.
    Asked,
    /// The nurse said close: the window may go.
    Confirmed,
}

impl App {
    pub fn new(
        data_dir: &Path,
        demo_dir: Option<&Path>,
        clock: Arc<dyn Clock + Send + Sync>,
    ) -> App {
        let sessions = crate::data_dir::sessions(data_dir);
        let demo_sessions = demo_dir.map_or_else(temporary_demo_folder, crate::data_dir::sessions);
        let seal_key = crate::seal_key::load_or_create(data_dir)
            .map(Arc::new)
            .map_err(|e| e.to_string());
        let start = start_screen(&sessions, &seal_key);
        App {
            screen: Screen::Start(Box::new(start)),
            sessions,
            demo_sessions,
            clock,
            picker: file_dialogs(),
            player: Arc::new(|| Box::new(SystemPlayer::open())),
            parked_audit: None,
            dark: true,
            styled: None,
            input_order: false,
            closing: Closing::No,
            seal_key,
        }
    }

    /// Replaces how alarms are played (tests).
    pub fn with_player(mut self, player: PlayerFactory) -> App {
        self.player = player;
        self
    }

    /// Replaces how paths are asked for (tests).
    pub fn with_path_picker(mut self, picker: PathPicker) -> App {
        self.picker = picker;
        self
    }

    /// The window opened straight on the demo. Real sessions (a nurse may go on to the
    /// next patient from it) are kept in `data_dir` as always; the demo's journal in
    /// `demo_dir`, or a temporary folder, never among them.
    pub fn demo(data_dir: &Path, demo_dir: Option<&Path>) -> App {
        let mut app = App::new(data_dir, demo_dir, Arc::new(SystemClock));
        app.start(StartIntent::Demo);
        app
    }

    /// The window opened straight on a log for review (`infusion-vitals open LOG`); a log
    /// that cannot be opened leaves the start screen saying why.
    pub fn reviewing(mut self, path: &Path) -> App {
        self.start(StartIntent::Review(path.to_path_buf()));
        self
    }

    pub fn live(&self) -> Option<&LiveScreen> {
        match &self.screen {
            Screen::Live(live) => Some(live),
            Screen::Start(_) | Screen::Import(_) | Screen::Review(_) | Screen::Audit(_) => None,
        }
    }

    pub fn audit(&self) -> Option<&AuditScreen> {
        match &self.screen {
            Screen::Audit(audit) => Some(audit),
            _ => None,
        }
    }

    pub fn review(&self) -> Option<&ReviewScreen> {
        match &self.screen {
            Screen::Review(review) => Some(review),
            Screen::Start(_) | Screen::Import(_) | Screen::Live(_) | Screen::Audit(_) => None,
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if !self.input_order {
            ui.ctx().add_plugin(InputOrder::default());
            self.input_order = true;
        }
        if self.styled != Some(self.dark) {
            theme::apply(ui.ctx(), self.dark);
            self.styled = Some(self.dark);
        }
        self.ask_before_closing(ui.ctx());
        let intent = match &mut self.screen {
            Screen::Start(start) => {
                egui::Panel::bottom("app-bar").show(ui, |ui| {
                    ui.horizontal(|ui| {
                        theme::toggle(ui, &mut self.dark);
                        ui.label(
                            egui::RichText::new(
                                "Infusion Vitals - not a medical device; check every alarm at the patient",
                            )
                            .small(),
                        );
                    });
                });
                start.ui(ui)
            }
            Screen::Import(import) => match import.ui(ui) {
                Some(ImportIntent::Back) => Some(StartIntent::Back),
                Some(ImportIntent::Review(path)) => Some(StartIntent::Review(path)),
                Some(ImportIntent::Browse) => {
                    import.browse(&self.picker);
                    None
                }
                // Only an import into a live session hands readings over.
                Some(ImportIntent::Enter(_)) | None => None,
            },
            Screen::Live(live) => live
                .ui(ui, &mut self.dark)
                .map(|LiveIntent::StartScreen| StartIntent::Back),
            Screen::Review(review) => match review.ui(ui) {
                Some(ReviewIntent::Back) => Some(StartIntent::Back),
                Some(ReviewIntent::SaveReport(path)) => {
                    let result = save_report(review, &path, self.clock.now());
                    review.report_saved(&path, result);
                    None
                }
                Some(ReviewIntent::ExportBundle(path)) => {
                    let result = save_bundle(review, &path);
                    review.bundle_saved(&path, result);
                    None
                }
                None => None,
            },
            Screen::Audit(audit) => audit.ui(ui).map(|intent| match intent {
                AuditIntent::Back => StartIntent::Back,
                AuditIntent::Review(path) => StartIntent::Review(path),
            }),
        };
        if let Some(intent) = intent.or_else(|| self.dropped_log(ui)) {
            self.start(intent);
        }
    }

    /// A window closed by accident (Alt+F4, the title bar's cross) in the middle of a
    /// session would leave the chair without its alarms: the nurse is asked. Nothing is
    /// lost either way (every entry is in the journal, and the start screen offers the
    /// session for resuming), so one question is enough.
    fn ask_before_closing(&mut self, ctx: &egui::Context) {
        let open = self
            .live()
            .and_then(|live| live.session().state().info.clone().map(|i| (live, i)))
            .filter(|(live, _)| live.session().state().closed_at.is_none())
            .map(|(_, info)| info.patient_id);
        let Some(patient) = open else {
            return;
        };
        if ctx.input(|i| i.viewport().close_requested()) && self.closing != Closing::Confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.closing = Closing::Asked;
        }
        if self.closing != Closing::Asked {
            return;
        }
        egui::Modal::new(egui::Id::unique("close-with-a-session-open")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            ui.heading("Close the window during a session?");
            ui.label(format!(
                "The session of patient {patient} is still open. While the window is closed, its alarms are neither shown nor heard. Everything entered is saved: the start screen offers it for resuming."
            ));
            ui.horizontal(|ui| {
                let touch = egui::vec2(theme::TOUCH, theme::TOUCH);
                if ui
                    .add(egui::Button::new("Keep the session open").min_size(touch))
                    .clicked()
                {
                    self.closing = Closing::No;
                }
                if ui
                    .add(egui::Button::new("Close the window").min_size(touch))
                    .clicked()
                {
                    self.closing = Closing::Confirmed;
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    }

    /// A file dropped on the window opens for review, from the start screen or another
    /// review; never over a live session or an import in progress.
    fn dropped_log(&self, ui: &egui::Ui) -> Option<StartIntent> {
        if !matches!(self.screen, Screen::Start(_) | Screen::Review(_)) {
            return None;
        }
        let dropped = ui.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        dropped.map(StartIntent::Review)
    }

    fn start(&mut self, intent: StartIntent) {
        let opened = match intent {
            StartIntent::New(new) => open_new(&self.sessions, new, self.clock.clone()),
            StartIntent::Resume(path) => resume(&path, self.clock.clone()),
            StartIntent::Demo => open_demo(&self.demo_sessions),
            StartIntent::Review(path) => {
                match ReviewScreen::open(&path) {
                    Ok(review) => {
                        let review = review.with_path_picker(self.picker.clone());
                        let from =
                            std::mem::replace(&mut self.screen, Screen::Review(Box::new(review)));
                        if let Screen::Audit(audit) = from {
                            self.parked_audit = Some(audit);
                        }
                    }
                    Err(message) => self.refused(message),
                }
                return;
            }
            StartIntent::Audit => {
                self.screen = Screen::Audit(Box::new(AuditScreen::new(self.picker.clone())));
                return;
            }
            StartIntent::Import => {
                let folder = self
                    .sessions
                    .parent()
                    .map_or_else(|| self.sessions.join("imports"), |d| d.join("imports"));
                self.screen = Screen::Import(Box::new(ImportScreen::new(
                    folder,
                    self.seal_key.clone(),
                    self.clock.clone(),
                )));
                return;
            }
            StartIntent::Back
                if matches!(self.screen, Screen::Review(_)) && self.parked_audit.is_some() =>
            {
                if let Some(audit) = self.parked_audit.take() {
                    self.screen = Screen::Audit(audit);
                }
                return;
            }
            StartIntent::Back => {
                self.parked_audit = None;
                self.screen = Screen::Start(Box::new(start_screen(&self.sessions, &self.seal_key)));
                return;
            }
            StartIntent::ChooseLog => {
                let chosen = self
                    .picker
                    .lock()
                    .ok()
                    .and_then(|mut pick| pick(PathRequest::OpenLog));
                if let (Screen::Start(start), Some(path)) = (&mut self.screen, chosen) {
                    start.review_path = path.display().to_string();
                }
                return;
            }
        };
        match opened {
            Ok(live) => {
                let live = live
                    .with_path_picker(self.picker.clone())
                    .with_player((self.player)())
                    .signing_with(self.seal_key.clone());
                self.screen = Screen::Live(Box::new(live));
            }
            Err(message) => self.refused(message),
        }
    }

    /// Says on the screen that asked why what it asked for could not be opened.
    fn refused(&mut self, message: String) {
        match &mut self.screen {
            Screen::Start(start) => start.message = Some(message),
            Screen::Import(import) => import.message = Some(message),
            Screen::Review(review) => review.refused(message),
            Screen::Live(_) => {}
            Screen::Audit(audit) => audit.message = Some(message),
        }
    }
}

impl App {
    /// What must run on time whether or not the window is shown: a live session's
    /// alarms, sounds and demo. eframe calls it before every frame and, while the window
    /// is minimized or covered, on its own when a repaint was asked for.
    pub fn logic(&mut self, ctx: &egui::Context) {
        if let Screen::Live(live) = &mut self.screen {
            live.logic(ctx);
        }
    }
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        App::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }
}

fn temporary_demo_folder() -> PathBuf {
    std::env::temp_dir().join(format!("infusion-vitals-demo-{}", std::process::id()))
}

fn create_journal(folder: &Path, clock: &dyn Clock) -> Result<Journal, String> {
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let path = journal::new_path(folder, &clock.now());
    Journal::create(&path).map_err(|e| format!("cannot create the journal {}: {e}", path.display()))
}

fn open_new(
    folder: &Path,
    new: NewSession,
    clock: Arc<dyn Clock + Send + Sync>,
) -> Result<LiveScreen, String> {
    let profile =
        crate::profiles::load(&new.profile).map_err(|e| format!("Threshold profile: {e}"))?;
    let info = SessionInfo {
        patient_id: new.patient_id,
        weight_kg: Some(new.weight_kg),
        protocol: new.protocol,
        profile_name: profile.name.clone(),
        profile_version: profile.version.clone(),
    };
    // Asked before the journal is created, so a session refused leaves no file behind.
    Session::check_info(&profile, &info).map_err(opening_refused)?;
    let journal = create_journal(folder, clock.as_ref())?;
    let path = journal.path().to_path_buf();
    let session = Session::open_stored(
        profile,
        info,
        clock.now(),
        &new.nurse,
        Box::new(journal),
        clock.as_ref(),
    )
    .map_err(opening_refused)?;
    Ok(LiveScreen::new(
        session, clock, &new.nurse, path, None, None,
    ))
}

/// A session refused at its opening as the start screen says it: a line for each number
/// the profile does not accept ("Weight 5 kg: below the accepted range (accepted 20-300
/// kg)"), else the reason.
fn opening_refused(e: CommandError) -> String {
    match e {
        CommandError::InfoRejected(problems) => problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

fn open_demo(folder: &Path) -> Result<LiveScreen, String> {
    let start = SystemClock.now();
    let clock = DemoClock::new(start);
    let profile = Profile::default_profile();
    let info = SessionInfo {
        patient_id: "DEMO-0001".into(),
        weight_kg: Some(70.0),
        protocol: Protocol::planned("DEMO: depression 0.5 mg/kg over 40 min".into(), 0.5, 40),
        profile_name: profile.name.clone(),
        profile_version: profile.version.clone(),
    };
    let nurse = "DEMO-NURSE";
    let journal = create_journal(folder, &clock)?;
    let path = journal.path().to_path_buf();
    let session = Session::open_stored(profile, info, start, nurse, Box::new(journal), &clock)
        .map_err(|e| e.to_string())?;
    let script = DemoScript::new(start, nurse);
    Ok(LiveScreen::new(
        session,
        Arc::new(clock),
        nurse,
        path,
        Some(script),
        None,
    ))
}

fn resume(path: &Path, clock: Arc<dyn Clock + Send + Sync>) -> Result<LiveScreen, String> {
    let (journal, contents) =
        Journal::reopen(path).map_err(|e| format!("cannot resume {}: {e}", path.display()))?;
    let profile = Profile::default_profile();
    let cut = contents.cut.as_ref().map(|(row, text)| {
        format!("Resumed after a crash: the journal's last line (row {row}) was cut short and dropped; it was never shown as saved: {text}")
    });
    let session = Session::resume(profile, contents.events, Some(Box::new(journal)))
        .map_err(|e| e.to_string())?;
    let notice = [cut, profile_mismatch(&session)]
        .into_iter()
        .flatten()
        .reduce(|a, b| format!("{a} {b}"));
    let nurse = session.state().opened_by.clone();
    Ok(LiveScreen::new(
        session,
        clock,
        &nurse,
        path.to_path_buf(),
        None,
        notice,
    ))
}

/// The journal names the profile the session opened with but not where it came from, so a
/// session opened with a clinic's own profile resumes with the built-in one: say so, rather
/// than let its thresholds change unseen.
fn profile_mismatch(session: &Session) -> Option<String> {
    let info = session.state().info.as_ref()?;
    let now = session.profile();
    (info.profile_name != now.name || info.profile_version != now.version).then(|| {
        format!(
            "This session opened with profile '{}' {}; it continues with '{}' {}: check the thresholds in the Limits tab.",
            info.profile_name, info.profile_version, now.name, now.version
        )
    })
}

/// The start screen, listing the unfinished sessions in `sessions` and saying, when the
/// installation's key cannot be had, that logs cannot be sealed until it is fixed: the
/// nurse learns it before a session, not at its end.
fn start_screen(sessions: &Path, seal_key: &SealKeyOrWhy) -> StartScreen {
    let mut start = StartScreen::default();
    start.unfinished = unfinished(sessions);
    start.sealing_problem = seal_key.as_ref().err().map(|why| {
        format!("Logs cannot be sealed on this computer: {why}. Sessions are still saved as they go; a log can be sealed once this is fixed.")
    });
    start
}

/// Sessions on disk that were never closed, newest last.
pub fn unfinished(folder: &Path) -> Vec<Unfinished> {
    let Ok(paths) = journal::find(folder) else {
        return Vec::new();
    };
    paths
        .into_iter()
        .filter_map(|path| {
            // A journal that does not verify is listed with its problem, never left out.
            let broken = |why: String| Unfinished {
                summary: format!(
                    "{}: {why}",
                    path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                ),
                problem: Some(format!(
                    "It cannot be resumed. To keep what verified, run: infusion-vitals recover --data-dir {} -o FOLDER (a sealed log of every row before the problem).",
                    folder.parent().unwrap_or(folder).display()
                )),
                journal: path.clone(),
            };
            let contents = match journal::read(&path) {
                Ok(c) => c,
                Err(e) => return Some(broken(e.to_string())),
            };
            let state = match SessionState::fold(&contents.events) {
                Ok(s) => s,
                Err(e) => return Some(broken(e.to_string())),
            };
            if state.closed_at.is_some() {
                return None;
            }
            let info = state.info.as_ref()?;
            let summary = format!(
                "Patient {} - opened {} by {} - {} readings{}",
                info.patient_id,
                state.opened_at?.format("%d %b %H:%M"),
                state.opened_by,
                state.readings.len(),
                if contents.cut.is_some() {
                    " - cut by a crash"
                } else {
                    ""
                }
            );
            Some(Unfinished {
                journal: path,
                summary,
                problem: None,
            })
        })
        .collect()
}

/// The PDF report of the log under review, written whole or not at all (a temporary
/// file beside it, then renamed), so a report replacing an older one never leaves it cut
/// short.
fn save_report(review: &ReviewScreen, path: &Path, generated_at: Time) -> std::io::Result<()> {
    let source = review.file_name();
    let input = ReportInput {
        log: review.log(),
        source: &source,
        generated_at,
    };
    save_bytes(path, &session_pdf(&input))
}

/// Writes the FHIR bundle of the log under review, as `export --fhir` does; a log that
/// is not intact is refused, nothing written.
fn save_bundle(review: &ReviewScreen, path: &Path) -> std::io::Result<()> {
    let json = crate::fhir::bundle_json(review.log())
        .map_err(|why| std::io::Error::other(format!("not exported: {why}")))?;
    save_bytes(path, &json)
}
