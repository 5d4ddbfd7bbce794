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

pub enum EndIntent {
    Command(Command),
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
    pub message: Option<(bool, String)>,
}

impl EndForm {
    /// `journal`: the session's journal, which an export must never write over.
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
        let phase = state.infusion.phase;
        if state.closed_at.is_none() {
            ui.label(RichText::new("Discharge checklist").strong());
            if matches!(phase, InfusionPhase::Running | InfusionPhase::Paused) {
                ui.label("Stop the infusion first (top bar); then take observation readings every 15 min.");
            }
            match &state.discharge {
                Some((at, c)) => {
                    ui.label(format!(
                        "Discharge recorded at {}: Aldrete {}, escort {}, vitals near baseline {}",
                        at.format("%H:%M"),
                        c.aldrete_score,
                        yes_no(c.escort_present),
                        yes_no(c.vitals_near_baseline)
                    ));
                }
                None => intent = self.checklist(ui, profile, state, now, nurse),
            }
            ui.separator();
            let label = ui.label("Reason for closing");
            ui.add(
                egui::TextEdit::singleline(&mut self.reason)
                    .hint_text("e.g. discharged home with escort")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            if ui
                .add_sized([200.0, theme::TOUCH], egui::Button::new("Close session"))
                .clicked()
            {
                intent = Some(EndIntent::Command(Command::Close {
                    at: now,
                    by: nurse.to_string(),
                    source: Source::Manual,
                    reason: self.reason.clone(),
                }));
            }
        } else {
            ui.label(RichText::new("Session closed.").strong());
        }
        ui.separator();
        ui.label(RichText::new("Export the sealed session log").strong());
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
        intent = match asked {
            Some(SaveAsk::Choose) => Some(EndIntent::ChoosePath(suggested)),
            Some(SaveAsk::Save(path)) => Some(EndIntent::Export(path)),
            None => intent,
        };
        said(ui, &self.message);
        intent
    }

    fn checklist(
        &mut self,
        ui: &mut Ui,
        profile: &Profile,
        state: &SessionState,
        now: Time,
        nurse: &str,
    ) -> Option<EndIntent> {
        let label = ui.label(format!(
            "Modified Aldrete score (0-{ALDRETE_MAX}, {} or more to discharge)",
            profile.discharge.aldrete_min
        ));
        ui.add_sized(
            [70.0, theme::TOUCH],
            egui::TextEdit::singleline(&mut self.aldrete),
        )
        .labelled_by(label.id);
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
        if !ui
            .add_sized([200.0, theme::TOUCH], egui::Button::new("Record discharge"))
            .clicked()
        {
            return None;
        }
        let score = match self.aldrete.trim().parse::<u8>() {
            Ok(s) if s <= ALDRETE_MAX => s,
            _ => {
                self.message = Some((
                    false,
                    format!(
                        "Aldrete score '{}' must be a whole number 0-{ALDRETE_MAX}",
                        self.aldrete.trim()
                    ),
                ));
                return None;
            }
        };
        Some(EndIntent::Command(Command::Discharge {
            at: now,
            by: nurse.to_string(),
            criteria: DischargeCriteria {
                aldrete_score: score,
                escort_present: self.escort,
                vitals_near_baseline: self.near_baseline,
            },
            reason: self.reason.clone(),
        }))
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
