//! The guided import: pick a file, see its first rows and the column found for each vital
//! (changeable), answer what the file leaves open (date order, zone, start time), watch
//! the progress, read the summary, then open the imported session in review; or, from a
//! live session, add the file's readings to it.

use crate::alerts::Profile;
use crate::clock::Clock;
use crate::commands::EventStore;
use crate::import::columns::{ColumnTable, Role, RrChannel};
use crate::import::plan::{
    Answers, Flag, Question, ScoreChoices, VitalColumns, Wording, patient_column_name,
};
use crate::import::session::{ImportError, Tally};
use crate::import::times::{DateOrder, OffsetUnit, Zone, start_time};
use crate::import::{
    ImportOptions, LineProblem, Opened, Parsed, Plan, Refusal, import_opened, summary,
};
use crate::log::seal::SealKey;
use crate::log::stream::LogStream;
use crate::session::via::{BpChannel, HrChannel};
use crate::ui::app::SealKeyOrWhy;
use crate::ui::{PathPicker, PathRequest, theme};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

const PREVIEW_ROWS: usize = 8;

/// The vital columns a user can set, in the order shown. The respiratory rate's slot
/// stands for every source of it: one column a file is read.
const SLOTS: [Role; 10] = [
    Role::Systolic(BpChannel::NonInvasive),
    Role::Diastolic(BpChannel::NonInvasive),
    Role::Systolic(BpChannel::Arterial),
    Role::Diastolic(BpChannel::Arterial),
    Role::HeartRate(HrChannel::Ecg),
    Role::HeartRate(HrChannel::Oximeter),
    Role::HeartRate(HrChannel::Unspecified),
    Role::HeartRate(HrChannel::BpCuff),
    Role::Spo2,
    Role::RespRate(RrChannel::Unspecified),
];

/// What the screen asks the window to do.
pub enum ImportIntent {
    Back,
    /// Ask for the file (the open dialog).
    Browse,
    /// Open the imported log in review.
    Review(PathBuf),
    /// Add the file's readings to the live session.
    Enter(ToEnter),
}

/// A file read for the live session, waiting to be entered into it.
pub struct ToEnter {
    pub parsed: Parsed,
    pub by: String,
    /// How the file is named in each reading's source.
    pub file_label: String,
}

/// Where the imported readings go.
pub enum Target {
    /// A session of their own, sealed into `FOLDER/NAME.log.csv` and signed with `key`
    /// (or, when the installation has no key, refused with its reason).
    NewLog { folder: PathBuf, key: SealKeyOrWhy },
    /// The live session on screen, as late entries.
    LiveSession,
}

/// What the import thread gives back.
enum Done {
    Logged(Finished),
    Read(Parsed),
}

/// An import running on its own thread, so the window keeps drawing.
struct Job {
    progress: Arc<(AtomicU64, AtomicU64)>,
    thread: JoinHandle<Result<Done, String>>,
    plan: Plan,
    by: String,
    file_label: String,
}

struct Finished {
    summary: Vec<String>,
    /// The sealed log of an import into a session of its own.
    log: Option<PathBuf>,
}

pub struct ImportScreen {
    pub path: String,
    patient: String,
    nurse: String,
    target: Target,
    /// Validation and stream rules the readings are read with.
    profile: Profile,
    clock: Arc<dyn Clock + Send + Sync>,
    opened: Option<Arc<Opened>>,
    preview: Vec<(u64, Vec<String>)>,
    vitals: VitalColumns,
    /// Score columns chosen by hand; the others are found by name.
    scores: ScoreChoices,
    date_order: Option<DateOrder>,
    zone: String,
    start: String,
    offset_unit: Option<OffsetUnit>,
    time_column: Option<String>,
    /// Of a file whose rows name several patients, the one to import.
    patient_in_file: Option<String>,
    /// Flags the file asked about at least once: their fields stay shown.
    asked: Vec<Flag>,
    pub message: Option<String>,
    job: Option<Job>,
    /// Read for the live session, with the plan it was read by, until it is entered.
    to_enter: Option<(ToEnter, Plan)>,
    /// The plan of the readings handed to the live session, until it says what became
    /// of them.
    entering: Option<Plan>,
    finished: Option<Finished>,
}

impl ImportScreen {
    /// An import into a session of its own, its log written in `folder` and signed with
    /// `key`.
    pub fn new(
        folder: PathBuf,
        key: SealKeyOrWhy,
        clock: Arc<dyn Clock + Send + Sync>,
    ) -> ImportScreen {
        ImportScreen::with_target(
            Target::NewLog { folder, key },
            Profile::default_profile(),
            String::new(),
            clock,
        )
    }

    /// An import into the live session, read with its profile, by its nurse.
    pub fn into_session(
        profile: Profile,
        nurse: &str,
        clock: Arc<dyn Clock + Send + Sync>,
    ) -> ImportScreen {
        ImportScreen::with_target(Target::LiveSession, profile, nurse.to_string(), clock)
    }

    fn with_target(
        target: Target,
        profile: Profile,
        nurse: String,
        clock: Arc<dyn Clock + Send + Sync>,
    ) -> ImportScreen {
        ImportScreen {
            path: String::new(),
            patient: String::new(),
            nurse,
            target,
            profile,
            clock,
            opened: None,
            preview: Vec::new(),
            vitals: VitalColumns::default(),
            scores: ScoreChoices::new(),
            date_order: None,
            zone: String::new(),
            start: String::new(),
            offset_unit: None,
            time_column: None,
            patient_in_file: None,
            asked: Vec::new(),
            message: None,
            job: None,
            to_enter: None,
            entering: None,
            finished: None,
        }
    }

    /// The whole window's import screen.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<ImportIntent> {
        let mut intent = None;
        egui::CentralPanel::default().show(ui, |ui| intent = self.contents(ui));
        intent
    }

    /// The screen's contents, in whatever part of the window holds them.
    pub fn contents(&mut self, ui: &mut Ui) -> Option<ImportIntent> {
        let mut intent = None;
        self.collect_job();
        if let Some((entry, plan)) = self.to_enter.take() {
            self.entering = Some(plan);
            return Some(ImportIntent::Enter(entry));
        }
        let live = matches!(self.target, Target::LiveSession);
        egui::ScrollArea::vertical().id_salt("import-scroll").show(ui, |ui| {
                let heading = if live {
                    "Import readings into this session"
                } else {
                    "Import readings from a file"
                };
                ui.heading(RichText::new(heading).size(28.0));
                ui.label("A monitor's export, a spreadsheet, a home cuff's app: comma, semicolon or tab separated.");
                if live {
                    ui.label("Each reading is added as a late entry, with its file and line; readings from before the session's window or from the future are rejected.");
                }
                intent = self.file_row(ui);
                if let Some(m) = &self.message {
                    ui.label(RichText::new(m).color(theme::ERROR_RED).strong());
                }
                if let Some(done) = &self.finished {
                    ui.add_space(8.0);
                    ui.heading(if live { "Added to this session" } else { "Imported" });
                    for line in &done.summary {
                        ui.label(line);
                    }
                    if let Some(log) = &done.log {
                        ui.label(format!("Sealed log: {}", log.display()));
                        if ui
                            .add_sized([260.0, theme::TOUCH], egui::Button::new("Open in review"))
                            .clicked()
                        {
                            intent = Some(ImportIntent::Review(log.clone()));
                        }
                    }
                } else if let Some(job) = &self.job {
                    let done = job.progress.0.load(Ordering::Relaxed);
                    let total = job.progress.1.load(Ordering::Relaxed).max(1);
                    ui.add(
                        egui::ProgressBar::new(done as f32 / total as f32)
                            .show_percentage()
                            .text("Importing..."),
                    );
                    ui.ctx().request_repaint();
                } else if self.opened.is_some() {
                    self.guided(ui);
                }
        });
        intent
    }

    /// Asks for the file with the open dialog and reads it.
    pub fn browse(&mut self, picker: &PathPicker) {
        let chosen = picker
            .lock()
            .ok()
            .and_then(|mut pick| pick(PathRequest::ImportFile));
        if let Some(path) = chosen {
            self.path = path.display().to_string();
            self.read_file();
        }
    }

    /// What became of the readings handed to the live session: the summary, or why
    /// nothing was added.
    pub fn entered(&mut self, result: Result<Tally, ImportError>) {
        let (Some(opened), Some(plan)) = (self.opened.clone(), self.entering.take()) else {
            return;
        };
        match result {
            Ok(tally) => {
                self.message = None;
                let delay = self.profile.stream.condition_delay_s;
                let mut summary = vec![format!(
                    "alerts were checked at {} as after readings entered late: the newest value of each vital decides, and a high-priority value among the file's raises its alarm",
                    self.clock.now().format("%H:%M:%S")
                )];
                summary.extend(summary::lines(&opened, &plan, &tally, delay));
                summary.extend(rejected_lines(&tally.rejected));
                self.finished = Some(Finished { summary, log: None });
            }
            Err(e) => {
                let mut lines = vec![format!("Nothing was added to the session: {e}")];
                lines.extend(rejected_lines(e.rejected()));
                self.message = Some(lines.join("\n"));
            }
        }
    }

    fn file_row(&mut self, ui: &mut Ui) -> Option<ImportIntent> {
        let mut intent = None;
        let label = ui.label("File to import (path)");
        ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        // Wrapped: in the live screen's middle a row wider than it would widen the whole
        // scrolling page, and every line under it would run off its right edge.
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_sized([110.0, theme::TOUCH], egui::Button::new("Browse..."))
                .clicked()
            {
                intent = Some(ImportIntent::Browse);
            }
            if ui
                .add_sized([120.0, theme::TOUCH], egui::Button::new("Read file"))
                .clicked()
            {
                self.read_file();
            }
            let back = match self.target {
                Target::NewLog { .. } => "Back",
                Target::LiveSession => "Back to the trends",
            };
            if ui
                .add_sized([190.0, theme::TOUCH], egui::Button::new(back))
                .clicked()
            {
                intent = Some(ImportIntent::Back);
            }
        });
        intent
    }

    /// Opens the file named in the path field and shows its preview.
    pub fn read_file(&mut self) {
        let path = PathBuf::from(self.path.trim());
        self.finished = None;
        let opened = std::fs::read(&path)
            .map_err(|e| format!("Cannot read {}: {e}", path.display()))
            .and_then(|bytes| {
                Opened::new(bytes, ColumnTable::built_in()).map_err(|e| e.to_string())
            });
        match opened {
            Ok(opened) => {
                self.preview = opened.preview(PREVIEW_ROWS);
                self.vitals = VitalColumns::detected(&opened.layout, &opened.survey.probe).0;
                self.scores.clear();
                self.patient_in_file = None;
                self.opened = Some(Arc::new(opened));
                self.message = None;
            }
            Err(e) => {
                self.opened = None;
                self.message = Some(e);
            }
        }
    }

    fn answers(&self) -> Result<Answers, String> {
        let zone = match self.zone.trim() {
            "" => None,
            z => Some(
                z.parse::<Zone>()
                    .map_err(|e| format!("{}: {e}", Flag::Tz.field()))?,
            ),
        };
        let start = match self.start.trim() {
            "" => None,
            s => Some(start_time(s, zone, Wording::Fields)?),
        };
        Ok(Answers {
            date_order: self.date_order,
            zone,
            start,
            offset_unit: self.offset_unit,
            time_column: self.time_column.clone(),
            patient: self.patient_in_file.clone(),
            vitals: Some(self.vitals.clone()),
            columns: Vec::new(),
            scores: self.scores.clone(),
            wording: Wording::Fields,
        })
    }

    fn guided(&mut self, ui: &mut Ui) {
        let Some(opened) = self.opened.clone() else {
            return;
        };
        ui.add_space(8.0);
        // Side by side on the whole window; one under the other beside a live session's
        // panels, where two columns would squeeze the preview to nothing.
        if ui.available_width() >= 900.0 {
            ui.columns(2, |cols| {
                self.columns_part(&mut cols[0], &opened);
                self.decide(&mut cols[1], opened.clone());
            });
        } else {
            self.columns_part(ui, &opened);
            ui.add_space(8.0);
            self.decide(ui, opened);
        }
    }

    /// The preview and the column chosen for each vital.
    fn columns_part(&mut self, ui: &mut Ui, opened: &Opened) {
        self.preview_table(ui, opened);
        ui.add_space(8.0);
        ui.heading(Flag::Column.field());
        self.column_choices(ui, opened);
    }

    /// The questions, who imports, and the Import button once nothing is left open.
    fn decide(&mut self, ui: &mut Ui, opened: Arc<Opened>) {
        let answers = self.answers();
        let plan = answers
            .as_ref()
            .map_err(Clone::clone)
            .and_then(|a| opened.plan(a).map_err(|e| self.note_questions(e)));
        self.questions(ui, &opened);
        ui.add_space(8.0);
        let live = matches!(self.target, Target::LiveSession);
        ui.heading("Session");
        egui::Grid::new("import-session")
            .num_columns(2)
            .show(ui, |ui| {
                if !live {
                    let l = ui.label("Patient identifier");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.patient)
                            .hint_text("MRN or pseudonym, no names"),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                }
                let l = ui.label("Imported by");
                ui.add(egui::TextEdit::singleline(&mut self.nurse).hint_text("your identifier"))
                    .labelled_by(l.id);
                ui.end_row();
            });
        match plan {
            Ok(plan) => {
                for note in &plan.time_notes {
                    ui.label(note);
                }
                // Before the import, not only in its summary: a column can still be chosen.
                for caution in &plan.cautions {
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!("Warning: {caution}")).color(theme::ERROR_RED),
                        )
                        .wrap(),
                    );
                }
                let button = if live {
                    "Add to this session"
                } else {
                    "Import"
                };
                if ui
                    .add_sized([260.0, theme::TOUCH], egui::Button::new(button))
                    .clicked()
                {
                    self.start_job(opened, plan);
                }
            }
            Err(why) => {
                ui.add(egui::Label::new(RichText::new(why).color(theme::ERROR_RED)).wrap());
            }
        }
    }

    fn note_questions(&mut self, refusal: Refusal) -> String {
        if let Refusal::Questions { questions } = &refusal {
            for q in questions {
                if !self.asked.contains(&q.flag) {
                    self.asked.push(q.flag);
                }
            }
            return questions
                .iter()
                .map(|q: &Question| format!("To import, answer: {}.", q.why))
                .collect::<Vec<_>>()
                .join("\n");
        }
        refusal.to_string()
    }

    fn preview_table(&self, ui: &mut Ui, opened: &Opened) {
        let layout = &opened.layout;
        ui.label(format!(
            "Preview: {}, {}-separated, header on line {}; the first {} rows",
            opened.decoded.encoding,
            layout.delimiter_name(),
            layout.header_line,
            self.preview.len()
        ));
        egui::ScrollArea::horizontal()
            .id_salt("preview")
            .show(ui, |ui| {
                egui::Grid::new("preview-grid")
                    .striped(true)
                    .show(ui, |ui| {
                        ui.label(RichText::new("line").strong());
                        for name in &layout.names {
                            ui.label(RichText::new(name).strong());
                        }
                        ui.end_row();
                        for (line, cells) in &self.preview {
                            ui.label(line.to_string());
                            for cell in cells {
                                ui.label(cell);
                            }
                            ui.end_row();
                        }
                    });
            });
    }

    fn column_choices(&mut self, ui: &mut Ui, opened: &Opened) {
        let names = &opened.layout.names;
        let vitals = &self.vitals;
        let scores = opened.scale_columns(&self.profile.scales, &self.scores, |c| {
            vitals.columns.iter().any(|(_, col)| *col == c)
        });
        egui::Grid::new("import-columns")
            .num_columns(2)
            .show(ui, |ui| {
                for role in SLOTS {
                    let chosen = match role {
                        Role::RespRate(_) => self.vitals.resp_rate().map(|(_, c)| c),
                        _ => self.vitals.column(role),
                    };
                    let label = match role {
                        Role::RespRate(_) => "respiratory rate".to_string(),
                        _ => role.to_string(),
                    };
                    if let Some(picked) = column_choice(ui, &label, names, chosen) {
                        // A respiratory rate keeps the source its column's name tells.
                        let role = match (role, picked.and_then(|c| opened.layout.roles[c])) {
                            (Role::RespRate(_), Some(named @ Role::RespRate(_))) => named,
                            _ => role,
                        };
                        self.vitals.set(role, picked);
                    }
                }
                for scale in &self.profile.scales {
                    let chosen = scores
                        .iter()
                        .find(|s| s.scale == scale.name)
                        .map(|s| s.column);
                    let label = format!("score: {}", scale.name);
                    if let Some(picked) = column_choice(ui, &label, names, chosen) {
                        self.scores.retain(|(name, _)| *name != scale.name);
                        self.scores.push((scale.name.clone(), picked));
                    }
                }
            });
    }

    fn questions(&mut self, ui: &mut Ui, opened: &Opened) {
        if self.asked.is_empty() {
            return;
        }
        ui.heading("Questions about this file");
        if self.asked.contains(&Flag::DateOrder) {
            ui.label(format!(
                "{} (which comes first in dates such as 05/03/2018)",
                Flag::DateOrder.field()
            ));
            one_of(ui, &DateOrder::ALL, &mut self.date_order, 190.0, |o| {
                o.pattern()
            });
        }
        if self.asked.contains(&Flag::Tz) {
            let l = ui.label(format!(
                "{} (e.g. Europe/Berlin or +01:00)",
                Flag::Tz.field()
            ));
            ui.add_sized(
                [300.0, theme::TOUCH],
                egui::TextEdit::singleline(&mut self.zone),
            )
            .labelled_by(l.id);
        }
        if self.asked.contains(&Flag::Start) {
            let l = ui.label(format!(
                "{} (e.g. 2026-03-14T09:30:00+01:00)",
                Flag::Start.field()
            ));
            ui.add_sized(
                [300.0, theme::TOUCH],
                egui::TextEdit::singleline(&mut self.start),
            )
            .labelled_by(l.id);
        }
        if self.asked.contains(&Flag::OffsetUnit) {
            ui.label(format!(
                "{} (the header does not say)",
                Flag::OffsetUnit.field()
            ));
            one_of(ui, &OffsetUnit::ALL, &mut self.offset_unit, 150.0, |u| {
                u.word()
            });
        }
        if self.asked.contains(&Flag::Patient)
            && let Some((column, ids)) = opened.survey.patients()
        {
            let l = ui.label(format!(
                "{} (its rows name {} patients in {}; one session is one patient)",
                Flag::Patient.field(),
                ids.len(),
                patient_column_name(&opened.layout, column)
            ));
            egui::ComboBox::from_id_salt("patient-in-file")
                .selected_text(self.patient_in_file.as_deref().unwrap_or("(choose)"))
                .show_ui(ui, |ui| {
                    for (id, rows) in &ids {
                        let text = format!("{id} ({rows} rows)");
                        ui.selectable_value(&mut self.patient_in_file, Some(id.clone()), text);
                    }
                })
                .response
                .labelled_by(l.id);
        }
        if self.asked.contains(&Flag::TimeColumn) {
            let l = ui.label(Flag::TimeColumn.field());
            egui::ComboBox::from_id_salt("time-column")
                .selected_text(self.time_column.as_deref().unwrap_or("(detected)"))
                .show_ui(ui, |ui| {
                    for name in &opened.layout.names {
                        ui.selectable_value(&mut self.time_column, Some(name.clone()), name);
                    }
                })
                .response
                .labelled_by(l.id);
        }
    }

    fn start_job(&mut self, opened: Arc<Opened>, plan: Plan) {
        self.message = None;
        let progress = Arc::new((AtomicU64::new(0), AtomicU64::new(1)));
        let file_name = Path::new(self.path.trim())
            .file_name()
            .map_or_else(|| "import.csv".into(), |n| n.to_string_lossy().into_owned());
        let by = match self.nurse.trim() {
            "" => "unknown".to_string(),
            n => n.to_string(),
        };
        let shared = progress.clone();
        let mut report_progress = move |done: u64, total: u64| {
            shared.0.store(done, Ordering::Relaxed);
            shared.1.store(total, Ordering::Relaxed);
        };
        let profile = self.profile.clone();
        let thread_plan = plan.clone();
        let thread = match &self.target {
            Target::LiveSession => std::thread::spawn(move || {
                let parsed = opened.read(&thread_plan, &profile, &mut report_progress);
                Ok(Done::Read(parsed))
            }),
            Target::NewLog { folder, key } => {
                let key = match key {
                    Ok(key) => key.clone(),
                    Err(why) => {
                        self.message =
                            Some(format!("Nothing imported: the log cannot be signed: {why}"));
                        return;
                    }
                };
                let log = imported_log_path(folder, &file_name, &self.clock.now());
                let options = ImportOptions {
                    file_label: file_name.clone(),
                    // The file's own identifier of the patient chosen, unless one is typed.
                    patient_id: match self.patient.trim() {
                        "" => self.patient_in_file.clone().unwrap_or_default(),
                        typed => typed.to_string(),
                    },
                    by: by.clone(),
                    profile,
                };
                let clock = self.clock.clone();
                std::thread::spawn(move || {
                    write_log(
                        &log,
                        key,
                        &opened,
                        &thread_plan,
                        options,
                        clock.as_ref(),
                        &mut report_progress,
                    )
                    .map(Done::Logged)
                })
            }
        };
        self.job = Some(Job {
            progress,
            thread,
            plan,
            by,
            file_label: file_name,
        });
    }

    fn collect_job(&mut self) {
        if !self.job.as_ref().is_some_and(|j| j.thread.is_finished()) {
            return;
        }
        let Some(job) = self.job.take() else { return };
        match job.thread.join() {
            Ok(Ok(Done::Logged(done))) => self.finished = Some(done),
            Ok(Ok(Done::Read(parsed))) => {
                let entry = ToEnter {
                    parsed,
                    by: job.by,
                    file_label: job.file_label,
                };
                self.to_enter = Some((entry, job.plan));
            }
            Ok(Err(e)) => self.message = Some(e),
            Err(_) => {
                self.message = Some("The import stopped unexpectedly; nothing was saved.".into())
            }
        }
    }

    /// Whether an import is still running (tests wait on it).
    pub fn is_busy(&self) -> bool {
        self.job.is_some()
    }
}

/// `FOLDER/NAME.log.csv`, with the import's time when that name is taken.
fn imported_log_path(folder: &Path, file_name: &str, now: &crate::clock::Time) -> PathBuf {
    let stem = Path::new(file_name)
        .file_stem()
        .map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
    let plain = folder.join(format!("{stem}.log.csv"));
    if !plain.exists() {
        return plain;
    }
    folder.join(format!("{stem}-{}.log.csv", now.format("%Y%m%d-%H%M%S")))
}

/// Imports into a session of its own, its log streamed to `log` and sealed.
fn write_log(
    log: &Path,
    key: Arc<SealKey>,
    opened: &Opened,
    plan: &Plan,
    options: ImportOptions,
    clock: &dyn Clock,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Finished, String> {
    // `log` is always named inside its folder (`imported_log_path`).
    let folder = log.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("Cannot create {}: {e}", folder.display()))?;
    let (stream, store) =
        LogStream::create(log, key).map_err(|e| format!("Cannot write {}: {e}", log.display()))?;
    let delay = options.profile.stream.condition_delay_s;
    let store = Some(Box::new(store) as Box<dyn EventStore + Send>);
    let report =
        import_opened(opened, plan, options, clock, progress, store).map_err(|e| e.to_string())?;
    stream
        .finish(&clock.now())
        .map_err(|e| format!("Cannot write {}: {e}", log.display()))?;
    let mut summary = summary::lines(opened, plan, &report.tally, delay);
    summary.extend(rejected_lines(&report.tally.rejected));
    Ok(Finished {
        summary,
        log: Some(log.to_path_buf()),
    })
}

/// The first rejected values and rows, each at its line.
fn rejected_lines(rejected: &[LineProblem]) -> impl Iterator<Item = String> + '_ {
    rejected
        .iter()
        .take(20)
        .map(|p| format!("line {}: {}", p.line, p.problem))
}

/// An answer chosen from a few: one large button each, the chosen one lit.
fn one_of<T: Copy + PartialEq>(
    ui: &mut Ui,
    options: &[T],
    chosen: &mut Option<T>,
    width: f32,
    name: impl Fn(T) -> &'static str,
) {
    ui.horizontal_wrapped(|ui| {
        for &option in options {
            let button = egui::Button::selectable(*chosen == Some(option), name(option));
            if ui.add_sized([width, theme::TOUCH], button).clicked() {
                *chosen = Some(option);
            }
        }
    });
}

/// A row of the columns' grid: `label` and the file's columns to choose from, `chosen`
/// shown. Gives the column picked (none: "(none)") when the person changed it.
fn column_choice(
    ui: &mut Ui,
    label: &str,
    names: &[String],
    chosen: Option<usize>,
) -> Option<Option<usize>> {
    let l = ui.label(label);
    let mut picked = chosen;
    egui::ComboBox::from_id_salt(("column", label))
        .selected_text(chosen.map_or("(none)", |c| names[c].as_str()))
        // Narrower in the live screen's middle than on a screen of its own.
        .width(ui.available_width().min(300.0))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut picked, None, "(none)");
            for (i, name) in names.iter().enumerate() {
                ui.selectable_value(&mut picked, Some(i), name);
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
    (picked != chosen).then_some(picked)
}
