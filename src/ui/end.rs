//! The end of a session: the discharge checklist, closing, and exporting the sealed log.

use crate::alerts::Profile;
use crate::clock::Time;
use crate::commands::Command;
use crate::session::baseline;
use crate::session::events::{ALDRETE_MAX, DischargeCriteria, Source};
use crate::session::reading::format_value;
use crate::session::state::InfusionPhase;
use crate::session::{SessionState, Vital};
use crate::ui::save_to::{SaveAsk, SaveForm, SaveTo, said};
use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

/// Which step of the End tab a command is, so that what it says is said beside its
/// button.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndStep {
    Discharge,
    Close,
}

pub enum EndIntent {
    /// Execute this, then tell the form how it went ([`EndForm::done`]).
    Command(EndStep, Command),
    /// Ask for a path (the save dialog) for a log with this suggested name.
    ChoosePath(String),
    /// Write the sealed log here (absolute; any file there the nurse chose to replace),
    /// then tell `export` how it went (`SaveTo::saved`).
    Export(PathBuf),
}

#[derive(Default)]
pub struct EndForm {
    aldrete: String,
    escort: bool,
    near_baseline: bool,
    reason: String,
    pub export: SaveTo,
    /// Why the discharge or the close was refused, said beside its button.
    refused: Option<(EndStep, String)>,
    /// What choosing a path said, under the export.
    pub message: Option<(bool, String)>,
}

/// Width of the End tab's buttons.
const BUTTON_WIDTH: f32 = 200.0;

impl EndForm {
    /// Two columns: the discharge checklist; closing and the export. `journal`: the
    /// session's journal, which an export must never write over.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        profile: &Profile,
        state: &SessionState,
        now: Time,
        nurse: &str,
        journal: &Path,
    ) -> Option<EndIntent> {
        let mut intent = None;
        ui.columns(2, |columns| {
            intent = self.discharge(&mut columns[0], profile, state, now, nurse);
            let closing = self.closing(&mut columns[1], state, now, nurse);
            let export = self.export(&mut columns[1], state, journal);
            intent = intent.take().or(closing).or(export);
            // Its name, which says the session's day and time; where it is, on hover.
            let name = journal.file_name().map_or_else(
                || journal.display().to_string(),
                |n| n.to_string_lossy().into(),
            );
            columns[1]
                .label(RichText::new(format!("Journal: {name}")).small())
                .on_hover_text(journal.display().to_string());
        });
        intent
    }

    /// The discharge: the checklist, or what was recorded.
    fn discharge(
        &mut self,
        ui: &mut Ui,
        profile: &Profile,
        state: &SessionState,
        now: Time,
        nurse: &str,
    ) -> Option<EndIntent> {
        if state.closed_at.is_some() {
            ui.label(RichText::new("Session closed.").strong());
            return None;
        }
        // On the heading's line, as high as its words, so the checklist's button stays
        // above the status.
        ui.horizontal_top(|ui| {
            ui.label(RichText::new("Discharge checklist").strong());
            if matches!(
                state.infusion.phase,
                InfusionPhase::Running | InfusionPhase::Paused
            ) {
                ui.label(RichText::new("stop the infusion first (top bar)").size(15.0));
            }
        });
        match &state.discharge {
            Some((at, c)) => {
                ui.label(format!(
                    "Discharge recorded at {}: Aldrete {}, escort {}, vitals near baseline {}",
                    at.format("%H:%M"),
                    c.aldrete_score,
                    yes_no(c.escort_present),
                    yes_no(c.vitals_near_baseline)
                ));
                None
            }
            None => self.checklist(ui, profile, state, now, nurse),
        }
    }

    /// The reason and the close, with why a close was refused beside its button.
    fn closing(
        &mut self,
        ui: &mut Ui,
        state: &SessionState,
        now: Time,
        nurse: &str,
    ) -> Option<EndIntent> {
        if state.closed_at.is_some() {
            return None;
        }
        let mut intent = None;
        ui.horizontal(|ui| {
            let label = ui.label(RichText::new("Reason for closing").size(15.0));
            ui.add_sized(
                [ui.available_width(), theme::TOUCH],
                egui::TextEdit::singleline(&mut self.reason)
                    .hint_text("e.g. discharged home with escort"),
            )
            .labelled_by(label.id);
        });
        let clicked = self.button_and_refusal(ui, "Close session", EndStep::Close);
        if clicked {
            intent = Some(EndIntent::Command(
                EndStep::Close,
                Command::Close {
                    at: now,
                    by: nurse.to_string(),
                    source: Source::Manual,
                    reason: self.reason.clone(),
                },
            ));
        }
        ui.separator();
        intent
    }

    /// The sealed log's export: where to, and what it said.
    fn export(&mut self, ui: &mut Ui, state: &SessionState, journal: &Path) -> Option<EndIntent> {
        let suggested = suggested_name(state);
        // No default for an empty field: the suggested name alone would land in whatever
        // folder the program was started from, which nobody at the chair knows.
        let form = SaveForm {
            label: "Save the log to (path)",
            hint: &format!("a folder and a name such as {suggested}"),
            button: "Export sealed log",
            what: "Sealed log",
            default: None,
            keep: &[(journal, "this session's journal")],
        };
        let asked = self.export.ui(ui, &form);
        if asked.is_some() {
            // A "no path chosen" from before would contradict what happens now.
            self.message = None;
        }
        said(ui, &self.message);
        match asked {
            Some(SaveAsk::Choose) => Some(EndIntent::ChoosePath(suggested)),
            Some(SaveAsk::Save(path)) => Some(EndIntent::Export(path)),
            None => None,
        }
    }

    /// A step's button with why it was last refused beside it, in the rows the button
    /// gives, so nothing under it moves. Whether it was clicked.
    fn button_and_refusal(&mut self, ui: &mut Ui, text: &str, step: EndStep) -> bool {
        ui.horizontal(|ui| {
            let clicked = ui
                .add_sized([BUTTON_WIDTH, theme::TOUCH], egui::Button::new(text))
                .clicked();
            if let Some((_, why)) = self.refused.as_ref().filter(|(s, _)| *s == step) {
                let why = RichText::new(why)
                    .color(theme::ERROR_RED)
                    .strong()
                    .size(15.0);
                theme::label_in_rows(ui, why, 2);
            }
            clicked
        })
        .inner
    }

    /// How the command of `step` went: a refusal is said beside its button.
    pub fn done(&mut self, step: EndStep, result: Result<(), String>) {
        self.refused = result.err().map(|why| (step, why));
    }

    fn checklist(
        &mut self,
        ui: &mut Ui,
        profile: &Profile,
        state: &SessionState,
        now: Time,
        nurse: &str,
    ) -> Option<EndIntent> {
        ui.horizontal(|ui| {
            let field = 70.0;
            let label = ui.allocate_ui(
                egui::vec2(
                    ui.available_width() - field - ui.spacing().item_spacing.x,
                    theme::TOUCH,
                ),
                |ui| {
                    ui.label(
                        RichText::new(format!(
                            "Modified Aldrete score (0-{ALDRETE_MAX}, {} or more to discharge)",
                            profile.discharge.aldrete_min
                        ))
                        .size(15.0),
                    )
                },
            );
            ui.add_sized(
                [field, theme::TOUCH],
                egui::TextEdit::singleline(&mut self.aldrete),
            )
            .labelled_by(label.inner.id);
        });
        ui.checkbox(
            &mut self.escort,
            "Escort present (no driving until the next day)",
        );
        ui.checkbox(&mut self.near_baseline, "Vitals near baseline");
        let base = baseline::status(profile, state);
        let latest = |v| {
            state
                .latest(v)
                .map_or("-".into(), |l| format_value(l.value))
        };
        if let (Some(s), Some(d)) = (base.systolic_mmhg, base.diastolic_mmhg) {
            ui.label(format!(
                "Baseline {}/{}; latest {}/{}, HR {}, SpO2 {}",
                format_value(s.round()),
                format_value(d.round()),
                latest(Vital::Systolic),
                latest(Vital::Diastolic),
                latest(Vital::HeartRate),
                latest(Vital::Spo2)
            ));
        }
        if !self.button_and_refusal(ui, "Record discharge", EndStep::Discharge) {
            return None;
        }
        let score = match self.aldrete.trim().parse::<u8>() {
            Ok(s) if s <= ALDRETE_MAX => s,
            _ => {
                self.refused = Some((
                    EndStep::Discharge,
                    format!(
                        "Aldrete score '{}' must be a whole number 0-{ALDRETE_MAX}",
                        self.aldrete.trim()
                    ),
                ));
                return None;
            }
        };
        Some(EndIntent::Command(
            EndStep::Discharge,
            Command::Discharge {
                at: now,
                by: nurse.to_string(),
                criteria: DischargeCriteria {
                    aldrete_score: score,
                    escort_present: self.escort,
                    vitals_near_baseline: self.near_baseline,
                },
                reason: self.reason.clone(),
            },
        ))
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// A name that says whose session and when, without a patient name.
pub fn suggested_name(state: &SessionState) -> String {
    let patient: String = state
        .info
        .as_ref()
        .map(|i| {
            i.patient_id
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect()
        })
        .unwrap_or_default();
    let opened = state
        .opened_at
        .map(|t| t.format("%Y%m%d-%H%M").to_string())
        .unwrap_or_default();
    format!("{patient}-{opened}.log.csv")
}
