//! The auditor's screen: a folder of logs checked on a thread of its own (the same audit
//! as `infusion-vitals audit`), with a progress bar, the totals, and a table of files that
//! sorts by any column and filters by text or result; a file opens in review.

use crate::audit::checks::{Check, Verdict};
use crate::audit::file::{FileAudit, Integrity, Profiles};
use crate::audit::report::Totals;
use crate::audit::walk::{audit_folders, count, workers};
use crate::ui::app::{PathPicker, PathRequest};
use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

/// What the audit's thread reports.
enum Progress {
    /// How many files the folder holds, once counted.
    Found(usize),
    File(Box<FileAudit>),
    Done,
}

struct Running {
    progress: Receiver<Progress>,
    cancel: Arc<AtomicBool>,
}

impl Drop for Running {
    /// Leaving the screen stops the audit between two files.
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Result,
    Status,
    File,
    Patient,
    Problems,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Show {
    All,
    Failed,
    Passed,
}

/// What the table keeps of a file's audit: what it shows, sorts and filters by, and no
/// more (a folder may hold a hundred thousand logs).
struct AuditRow {
    path: PathBuf,
    integrity: Integrity,
    passed: bool,
    patient_id: Option<String>,
    problems: Vec<String>,
    /// What the filter searches, in lower case.
    search: String,
}

impl AuditRow {
    fn of(f: &FileAudit) -> AuditRow {
        let failed: Vec<&str> = Check::ALL
            .iter()
            .filter(|c| f.verdict(**c) == Verdict::Fail)
            .map(|c| c.title())
            .collect();
        let problems = f.problems();
        let search = format!(
            "{} {} {} {} {}",
            f.path.display(),
            f.integrity.title(),
            f.patient_id.as_deref().unwrap_or(""),
            problems.join(" "),
            failed.join(" ")
        )
        .to_lowercase();
        AuditRow {
            path: f.path.clone(),
            integrity: f.integrity,
            passed: f.passed(),
            patient_id: f.patient_id.clone(),
            problems,
            search,
        }
    }
}

pub enum AuditIntent {
    Back,
    Review(PathBuf),
}

pub struct AuditScreen {
    folder: String,
    picker: PathPicker,
    running: Option<Running>,
    found: Option<usize>,
    files: Vec<AuditRow>,
    /// The rows shown (indices into `files`), and what they were worked out for.
    view: Vec<usize>,
    view_for: Option<(String, Show, (Column, bool), usize)>,
    totals: Totals,
    filter: String,
    show: Show,
    sort: (Column, bool),
    pub message: Option<String>,
}

const ROW_HEIGHT: f32 = 30.0;
const WIDTHS: [f32; 5] = [60.0, 100.0, 420.0, 130.0, 0.0];

impl AuditScreen {
    pub fn new(picker: PathPicker) -> AuditScreen {
        AuditScreen {
            folder: String::new(),
            picker,
            running: None,
            found: None,
            files: Vec::new(),
            view: Vec::new(),
            view_for: None,
            totals: Totals::default(),
            filter: String::new(),
            show: Show::All,
            sort: (Column::File, true),
            message: None,
        }
    }

    /// Whether an audit is still going.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    fn start(&mut self) {
        let folder = PathBuf::from(self.folder.trim());
        if self.folder.trim().is_empty() || !folder.is_dir() {
            self.message = Some(format!(
                "'{}' is not a folder: type or choose the folder that holds the logs",
                self.folder.trim()
            ));
            return;
        }
        self.message = None;
        self.files.clear();
        self.view_for = None;
        self.totals = Totals::default();
        self.found = None;
        let (send, progress) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = cancel.clone();
        std::thread::spawn(move || {
            let roots = [folder];
            let found = count(&roots, &stop);
            if send.send(Progress::Found(found)).is_err() {
                return;
            }
            let profiles = Profiles::as_recorded();
            audit_folders(&roots, &profiles, workers(), &stop, |audit| {
                let _ = send.send(Progress::File(Box::new(audit)));
            });
            let _ = send.send(Progress::Done);
        });
        self.running = Some(Running { progress, cancel });
    }

    /// Takes what the audit's thread has found since the last frame.
    fn receive(&mut self) {
        let Some(running) = &self.running else {
            return;
        };
        let mut done = false;
        for progress in running.progress.try_iter() {
            match progress {
                Progress::Found(n) => self.found = Some(n),
                Progress::File(audit) => {
                    self.totals.add(&audit);
                    self.files.push(AuditRow::of(&audit));
                }
                Progress::Done => done = true,
            }
        }
        if done {
            self.running = None;
            if self.files.is_empty() {
                self.message = Some(format!("No .csv file under {}", self.folder.trim()));
            }
        }
    }

    pub fn ui(&mut self, ui: &mut Ui) -> Option<AuditIntent> {
        self.receive();
        let mut intent = None;
        egui::Panel::top("audit-top").show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .add_sized([120.0, theme::TOUCH], egui::Button::new("Back"))
                    .clicked()
                {
                    intent = Some(AuditIntent::Back);
                }
                ui.heading("Audit a folder of session logs");
            });
            self.folder_form(ui);
            self.progress(ui);
            ui.add_space(4.0);
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if self.files.is_empty() {
                ui.label("Every .csv below the folder is checked: is it a session log, is it intact, and did the session follow the protocol (docs/auditing.md).");
                return;
            }
            self.table_controls(ui);
            ui.separator();
            intent = intent.take().or(self.table(ui));
        });
        if self.running.is_some() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(100));
        }
        intent
    }

    fn folder_form(&mut self, ui: &mut Ui) {
        let label = ui.label("Folder to audit (path)");
        let field = ui
            .add(egui::TextEdit::singleline(&mut self.folder).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        // A refusal names the path that was tried; once it is retyped, it no longer applies.
        if field.changed() {
            self.message = None;
        }
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal(|ui| {
            let idle = self.running.is_none();
            if ui
                .add_enabled(
                    idle,
                    egui::Button::new("Choose...").min_size(egui::vec2(130.0, theme::TOUCH)),
                )
                .clicked()
            {
                let chosen = self
                    .picker
                    .lock()
                    .ok()
                    .and_then(|mut pick| pick(PathRequest::Folder));
                if let Some(path) = chosen {
                    self.folder = path.display().to_string();
                }
            }
            if ui
                .add_enabled(
                    idle,
                    egui::Button::new("Audit").min_size(egui::vec2(200.0, theme::TOUCH)),
                )
                .clicked()
                || (idle && entered)
            {
                self.start();
            }
            if !idle
                && ui
                    .add_sized([120.0, theme::TOUCH], egui::Button::new("Stop"))
                    .clicked()
            {
                self.running = None;
                self.message = Some(format!("Stopped after {} files", self.files.len()));
            }
        });
        if let Some(m) = &self.message {
            ui.label(RichText::new(m).color(theme::ERROR_RED).strong());
        }
    }

    fn progress(&self, ui: &mut Ui) {
        let done = self.files.len();
        match (self.running.is_some(), self.found) {
            (true, None) => {
                ui.label("Looking for logs...");
            }
            (true, Some(found)) => {
                let fraction = done as f32 / found.max(1) as f32;
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .text(format!("{done} of {found} files checked")),
                );
            }
            (false, _) if done > 0 => {
                ui.label(RichText::new(format!("Done: {done} files checked")).strong());
            }
            _ => {}
        }
        if done > 0 {
            for line in self.totals.lines() {
                ui.label(line);
            }
        }
    }

    fn table_controls(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            let label = ui.label("Filter (file, patient or problem)");
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(300.0))
                .labelled_by(label.id);
            for (show, name) in [
                (Show::All, "All files"),
                (Show::Failed, "Failed only"),
                (Show::Passed, "Passed only"),
            ] {
                ui.selectable_value(&mut self.show, show, name);
            }
        });
    }

    /// The rows to show, sorted and filtered, worked out again only when the filter, the
    /// sort or the files changed.
    fn refresh_view(&mut self) {
        let key = (
            self.filter.trim().to_lowercase(),
            self.show,
            self.sort,
            self.files.len(),
        );
        if self.view_for.as_ref() == Some(&key) {
            return;
        }
        let (needle, show, (column, ascending), _) = &key;
        let files = &self.files;
        let mut rows: Vec<usize> = (0..files.len())
            .filter(|i| match show {
                Show::All => true,
                Show::Failed => !files[*i].passed,
                Show::Passed => files[*i].passed,
            })
            .filter(|i| needle.is_empty() || files[*i].search.contains(needle.as_str()))
            .collect();
        rows.sort_by(|a, b| {
            let (fa, fb) = (&files[*a], &files[*b]);
            let order = match column {
                Column::Result => fa.passed.cmp(&fb.passed),
                Column::Status => fa.integrity.cmp(&fb.integrity),
                Column::File => fa.path.cmp(&fb.path),
                Column::Patient => fa.patient_id.cmp(&fb.patient_id),
                Column::Problems => fa.problems.len().cmp(&fb.problems.len()),
            };
            let order = order.then_with(|| fa.path.cmp(&fb.path));
            if *ascending { order } else { order.reverse() }
        });
        self.view = rows;
        self.view_for = Some(key);
    }

    fn table(&mut self, ui: &mut Ui) -> Option<AuditIntent> {
        let mut intent = None;
        ui.horizontal(|ui| {
            for (i, (column, name)) in [
                (Column::Result, "result"),
                (Column::Status, "status"),
                (Column::File, "file"),
                (Column::Patient, "patient"),
                (Column::Problems, "problems"),
            ]
            .into_iter()
            .enumerate()
            {
                let arrow = match self.sort {
                    (c, true) if c == column => " ^",
                    (c, false) if c == column => " v",
                    _ => "",
                };
                let width = if WIDTHS[i] > 0.0 { WIDTHS[i] } else { 200.0 };
                let button = egui::Button::new(RichText::new(format!("{name}{arrow}")).strong())
                    .frame(false);
                if ui
                    .add_sized([width, ROW_HEIGHT], button)
                    .on_hover_text("Sort by this column")
                    .clicked()
                {
                    self.sort = match self.sort {
                        (c, ascending) if c == column => (c, !ascending),
                        _ => (column, true),
                    };
                }
            }
        });
        self.refresh_view();
        let folder = PathBuf::from(self.folder.trim());
        egui::ScrollArea::vertical()
            .id_salt("audit-table")
            .auto_shrink([false, false])
            .show_rows(ui, ROW_HEIGHT, self.view.len(), |ui, visible| {
                for f in self.view[visible].iter().map(|i| &self.files[*i]) {
                    ui.horizontal(|ui| {
                        ui.set_height(ROW_HEIGHT);
                        let (result, color) = if f.passed {
                            ("pass", theme::OK_GREEN)
                        } else {
                            ("FAIL", theme::ERROR_RED)
                        };
                        ui.add_sized(
                            [WIDTHS[0], ROW_HEIGHT],
                            egui::Label::new(RichText::new(result).color(color).strong()),
                        );
                        ui.add_sized(
                            [WIDTHS[1], ROW_HEIGHT],
                            egui::Label::new(f.integrity.title()),
                        );
                        let shown = f.path.strip_prefix(&folder).unwrap_or(&f.path);
                        let open = egui::Button::new(shown.display().to_string()).truncate();
                        if ui
                            .add_sized([WIDTHS[2], ROW_HEIGHT], open)
                            .on_hover_text("Open in review")
                            .clicked()
                        {
                            intent = Some(AuditIntent::Review(f.path.clone()));
                        }
                        ui.add_sized(
                            [WIDTHS[3], ROW_HEIGHT],
                            egui::Label::new(f.patient_id.as_deref().unwrap_or("-")).truncate(),
                        );
                        let problems = &f.problems;
                        let text = match problems.first() {
                            None => "-".to_string(),
                            Some(first) if problems.len() == 1 => first.clone(),
                            Some(first) => format!("{first} (+{} more)", problems.len() - 1),
                        };
                        ui.add(egui::Label::new(text).truncate())
                            .on_hover_text(problems.join("\n"));
                    });
                }
            });
        intent
    }
}
