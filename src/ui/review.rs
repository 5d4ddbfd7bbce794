//! A finished session for the clinician who reads it later: its seal first (intact, or
//! altered at row N in red: then only the rows before the fault are shown), the summary,
//! the trends, every reading with its corrections, every alarm from raised to resolved,
//! the infusion's steps and the notes; and the report as a PDF for the record. Nothing
//! can be entered here.

use crate::clock::Time;
use crate::log::file::read_log_file;
use crate::review::wording::{
    Told, acknowledgement_text, assessment_lines, discharge_text, resolution_text, signer_text,
    step_line, summary_lines,
};
use crate::review::{ReviewedLog, SealLine, review_log};
use crate::session::events::Priority;
use crate::session::{Event, SessionState};
use crate::ui::app::{PathPicker, PathRequest, file_dialogs};
use crate::ui::save_to::{SaveAsk, SaveForm, SaveTo};
use crate::ui::{readings_table, theme, trends};
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Readings,
    Alarms,
    Infusion,
}

/// What the review asks of the window.
#[derive(Clone, Debug, PartialEq)]
pub enum ReviewIntent {
    Back,
    /// Write the report of the log under review to this path, already checked by the
    /// save form (and a file there agreed to be replaced); the window writes it and
    /// hands the outcome back through [`ReviewScreen::report_saved`], so this screen
    /// needs the reader and the wording only, never the PDF drawing.
    SaveReport(PathBuf),
    /// Write the log's FHIR R4 bundle to this path, checked as for the report; the window
    /// writes it (`crate::fhir`) and hands the outcome back through
    /// [`ReviewScreen::bundle_saved`].
    ExportBundle(PathBuf),
}

/// The files the review saves for the record, each through its own form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Saved {
    /// The PDF report.
    Report,
    /// The FHIR R4 bundle (JSON).
    Bundle,
}

/// What a save form says for one kind of file.
struct SavedWords {
    title: &'static str,
    extension: &'static str,
    label: &'static str,
    button: &'static str,
    what: &'static str,
}

impl Saved {
    fn words(self) -> SavedWords {
        match self {
            Saved::Report => SavedWords {
                title: "Report for the record (PDF)",
                extension: "pdf",
                label: "Save the report to (path)",
                button: "Save report as PDF",
                what: "Report",
            },
            Saved::Bundle => SavedWords {
                title: "Export to the record system (FHIR R4 bundle)",
                extension: "fhir.json",
                label: "Export the FHIR bundle to (path)",
                button: "Export FHIR bundle",
                what: "FHIR bundle",
            },
        }
    }
}

pub struct ReviewScreen {
    path: PathBuf,
    log: ReviewedLog,
    tab: Tab,
    report_to: SaveTo,
    bundle_to: SaveTo,
    notice: Option<String>,
    picker: PathPicker,
}

impl ReviewScreen {
    /// Opens the log at `path`: refused only when nothing in it can be trusted.
    pub fn open(path: &Path) -> Result<ReviewScreen, String> {
        let bytes =
            read_log_file(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let log = review_log(&bytes)
            .map_err(|why| format!("{} cannot be reviewed: {why}", path.display()))?;
        Ok(ReviewScreen {
            path: path.to_path_buf(),
            log,
            tab: Tab::Readings,
            report_to: SaveTo::default(),
            bundle_to: SaveTo::default(),
            notice: None,
            picker: file_dialogs(),
        })
    }

    /// Something asked of this screen could not be done (a file dropped on it that is not
    /// a log): said at the top, where it is seen.
    pub fn refused(&mut self, message: String) {
        self.notice = Some(message);
    }

    pub fn with_path_picker(mut self, picker: PathPicker) -> ReviewScreen {
        self.picker = picker;
        self
    }

    pub fn state(&self) -> &SessionState {
        &self.log.state
    }

    pub fn events(&self) -> &[Event] {
        &self.log.events
    }

    fn told(&self) -> Told {
        Told::of(&self.log.seal, &self.log.state)
    }

    pub fn is_intact(&self) -> bool {
        matches!(self.log.seal, SealLine::Intact { .. })
    }

    /// The log under review, as read.
    pub fn log(&self) -> &ReviewedLog {
        &self.log
    }

    /// The log's file name, as the report names its source.
    pub fn file_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }

    /// What became of a [`ReviewIntent::SaveReport`], said under the form.
    pub fn report_saved(&mut self, path: &Path, result: std::io::Result<()>) {
        self.report_to
            .saved(path, Saved::Report.words().what, result);
    }

    /// What became of a [`ReviewIntent::ExportBundle`], said under its form.
    pub fn bundle_saved(&mut self, path: &Path, result: std::io::Result<()>) {
        self.bundle_to
            .saved(path, Saved::Bundle.words().what, result);
    }

    pub fn ui(&mut self, ui: &mut Ui) -> Option<ReviewIntent> {
        let mut intent = None;
        egui::Panel::top("review-top").show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui
                    .add_sized([120.0, theme::TOUCH], egui::Button::new("Back"))
                    .clicked()
                {
                    intent = Some(ReviewIntent::Back);
                }
                let s = &self.log.summary;
                let patient = if s.patient_id.is_empty() {
                    "-"
                } else {
                    &s.patient_id
                };
                ui.label(
                    RichText::new(format!("Patient {patient}"))
                        .strong()
                        .size(18.0),
                );
                ui.label(&s.protocol.name);
                ui.label(RichText::new(format!("Review, read-only: {}", self.file_name())).weak());
            });
            self.seal_banner(ui);
            if let Some(notice) = &self.notice {
                ui.label(RichText::new(notice).color(theme::ERROR_RED).strong());
            }
            ui.add_space(4.0);
        });
        egui::Panel::left("review-summary")
            .exact_size(400.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("review-summary-scroll")
                    .show(ui, |ui| {
                        self.summary_panel(ui);
                        ui.separator();
                        if let Some(path) = self.save_form(ui, Saved::Report) {
                            intent = Some(ReviewIntent::SaveReport(path));
                        }
                        ui.separator();
                        if let Some(path) = self.save_form(ui, Saved::Bundle) {
                            intent = Some(ReviewIntent::ExportBundle(path));
                        }
                    });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            let plot_height = (ui.available_height() * 0.5).max(220.0);
            trends::ui(ui, &self.log.profile, &self.log.state, plot_height);
            ui.separator();
            ui.horizontal(|ui| {
                for (tab, name) in [
                    (Tab::Readings, "Readings"),
                    (Tab::Alarms, "Alarm history"),
                    (Tab::Infusion, "Infusion and notes"),
                ] {
                    ui.selectable_value(&mut self.tab, tab, name);
                }
            });
            ui.separator();
            match self.tab {
                Tab::Readings => readings_table::ui(ui, &self.log.state),
                Tab::Alarms => self.alarm_history(ui),
                Tab::Infusion => self.infusion_and_notes(ui),
            }
        });
        intent
    }

    fn seal_banner(&self, ui: &mut Ui) {
        let (text, background) = match &self.log.seal {
            SealLine::Intact {
                sealed_at,
                sha256,
                signed_by,
            } => (
                format!(
                    " Seal intact: sealed {}, sha256 {}..., {} ",
                    sealed_at.format("%Y-%m-%d %H:%M%:z"),
                    &sha256[..sha256.len().min(16)],
                    signer_text(signed_by.as_ref())
                ),
                theme::OK_GREEN,
            ),
            SealLine::NotIntact(why) => (
                format!(
                    " NOT INTACT - {why}. Read-only; only the rows before the fault are shown. "
                ),
                theme::priority_color(Priority::High),
            ),
        };
        ui.add(
            egui::Label::new(
                RichText::new(text)
                    .strong()
                    .color(egui::Color32::BLACK)
                    .background_color(background),
            )
            .wrap(),
        );
    }

    fn summary_panel(&self, ui: &mut Ui) {
        ui.label(RichText::new("Session summary").strong().size(18.0));
        for line in summary_lines(&self.log.summary, &self.log.summary.offset()) {
            ui.label(line);
        }
        ui.add_space(6.0);
        ui.label(RichText::new("Discharge").strong());
        let clock = |t: &Time| self.clock_text(t);
        ui.label(discharge_text(&self.log.summary, &clock, self.told()));
        if let Some(note) = &self.log.summary.recovered {
            ui.label(RichText::new(note).color(theme::priority_color(Priority::Medium)));
        }
    }

    fn clock_text(&self, t: &Time) -> String {
        t.with_timezone(&self.log.summary.offset())
            .format("%H:%M")
            .to_string()
    }

    /// The save form of the report or the FHIR bundle; the path to write to once it is
    /// asked for and checked. Both share the path field, Choose... and the question
    /// before replacing (`ui::save_to`).
    fn save_form(&mut self, ui: &mut Ui, saved: Saved) -> Option<PathBuf> {
        let words = saved.words();
        ui.label(RichText::new(words.title).strong());
        if saved == Saved::Bundle && !self.is_intact() {
            // The record system takes only what the seal vouches for: no button that
            // can only fail (the window's save refuses it too, as `export` does).
            ui.label(
                RichText::new(
                    "Not offered: the log is not intact, so nothing of it is exported \
                     (the red line at the top says why).",
                )
                .color(theme::ERROR_RED),
            );
            return None;
        }
        let suggested = self.path.with_extension(words.extension);
        let name = suggested
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let hint = format!("{name}, beside the log");
        // An empty field saves beside the log, as the hint says: a place the reader
        // knows, unlike the folder the program happened to start in.
        let form = SaveForm {
            label: words.label,
            hint: &hint,
            button: words.button,
            what: words.what,
            default: Some(&suggested),
            keep: &[(&self.path, "the log under review")],
        };
        let to = match saved {
            Saved::Report => &mut self.report_to,
            Saved::Bundle => &mut self.bundle_to,
        };
        match to.ui(ui, &form) {
            Some(SaveAsk::Choose) => {
                let request = match saved {
                    Saved::Report => PathRequest::SaveReport(&name),
                    Saved::Bundle => PathRequest::SaveBundle(&name),
                };
                let chosen = self.picker.lock().ok().and_then(|mut pick| pick(request));
                if let Some(path) = chosen {
                    to.path = path.display().to_string();
                }
            }
            Some(SaveAsk::Save(path)) => return Some(path),
            None => {}
        }
        None
    }

    fn alarm_history(&self, ui: &mut Ui) {
        if self.log.summary.alarms.is_empty() {
            ui.label("No alarm was raised.");
            return;
        }
        // Sideways too: an acknowledgement's action or a long alarm is never cut.
        egui::ScrollArea::both()
            .id_salt("review-alarms")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let clock = |t: &Time| self.clock_text(t);
                let told = self.told();
                egui::Grid::new("alarm-history")
                    .striped(true)
                    .num_columns(4)
                    .show(ui, |ui| {
                        for title in ["raised", "alarm", "acknowledged", "ended"] {
                            ui.label(RichText::new(title).strong());
                        }
                        ui.end_row();
                        for a in &self.log.summary.alarms {
                            ui.label(clock(&a.raised_at));
                            ui.label(
                                RichText::new(format!(
                                    "{} {} ({})",
                                    a.highest.marker(),
                                    a.key.describe(),
                                    a.highest
                                ))
                                .color(theme::priority_color(a.highest)),
                            );
                            let (acknowledged, short) = acknowledgement_text(a, &clock, told);
                            let acknowledged = RichText::new(acknowledged);
                            ui.label(if short {
                                acknowledged.color(theme::ERROR_RED).strong()
                            } else {
                                acknowledged
                            });
                            ui.label(resolution_text(a, &clock, told));
                            ui.end_row();
                        }
                    });
            });
    }

    fn infusion_and_notes(&self, ui: &mut Ui) {
        let clock = |t: &Time| self.clock_text(t);
        egui::ScrollArea::vertical()
            .id_salt("review-infusion")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.label(RichText::new("Infusion").strong());
                if self.log.summary.infusion.is_empty() {
                    ui.label("No infusion recorded.");
                }
                for step in &self.log.summary.infusion {
                    ui.label(step_line(step, &clock));
                }
                ui.add_space(6.0);
                ui.label(RichText::new("Assessments").strong());
                let scores = assessment_lines(&self.log.state, &self.log.profile, &clock);
                if scores.is_empty() {
                    ui.label("None recorded.");
                }
                for line in scores {
                    ui.label(line);
                }
                for (title, notes) in [
                    ("Side effects", &self.log.summary.side_effects),
                    ("Interventions", &self.log.summary.interventions),
                ] {
                    ui.add_space(6.0);
                    ui.label(RichText::new(title).strong());
                    if notes.is_empty() {
                        ui.label("None recorded.");
                    }
                    for n in notes {
                        ui.label(format!("{}  {} ({})", clock(&n.at), n.text, n.by));
                    }
                }
            });
    }
}
