//! The start screen: a new session, an unfinished one to resume, or the demo.

use crate::session::events::Protocol;
use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::PathBuf;

/// Protocols a clinic starts from; every number stays editable.
pub const PROTOCOLS: [(&str, f64, u32); 3] = [
    ("Depression 0.5 mg/kg over 40 min", 0.5, 40),
    ("Depression 1 mg/kg over 60 min", 1.0, 60),
    ("Chronic pain 1 mg/kg/h over 4 h", 4.0, 240),
];

pub struct NewSession {
    pub patient_id: String,
    pub weight_kg: f64,
    pub protocol: Protocol,
    pub nurse: String,
}

pub enum StartIntent {
    New(NewSession),
    Resume(PathBuf),
    Demo,
    Review(PathBuf),
    /// Ask for the log to review (the open dialog).
    ChooseLog,
}

/// An unfinished session found on disk, with what to call it.
pub struct Unfinished {
    pub journal: PathBuf,
    pub summary: String,
}

#[derive(Default)]
pub struct StartScreen {
    patient: String,
    weight: String,
    protocol: usize,
    nurse: String,
    pub unfinished: Vec<Unfinished>,
    pub message: Option<String>,
    pub review_path: String,
}

impl StartScreen {
    pub fn ui(&mut self, ui: &mut Ui) -> Option<StartIntent> {
        let mut intent = None;
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading(RichText::new("Infusion Vitals").size(34.0));
            ui.label("Vital signs at the chair during IV ketamine infusion.");
            if let Some(m) = &self.message {
                ui.label(RichText::new(m).color(theme::ERROR_RED).strong());
            }
            ui.add_space(12.0);
            ui.columns(2, |cols| {
                intent = intent.take().or(self.new_session(&mut cols[0]));
                intent = intent.take().or(self.others(&mut cols[1]));
            });
        });
        intent
    }

    fn new_session(&mut self, ui: &mut Ui) -> Option<StartIntent> {
        ui.heading("New session");
        egui::Grid::new("new-session")
            .num_columns(2)
            .spacing([12.0, 10.0])
            .show(ui, |ui| {
                let field = |ui: &mut Ui, label: &str, text: &mut String, hint: &str| {
                    let l = ui.label(label);
                    ui.add(
                        egui::TextEdit::singleline(text)
                            .hint_text(hint)
                            .desired_width(260.0),
                    )
                    .labelled_by(l.id);
                    ui.end_row();
                };
                field(
                    ui,
                    "Patient identifier",
                    &mut self.patient,
                    "MRN or pseudonym, no names",
                );
                field(ui, "Weight (kg)", &mut self.weight, "e.g. 72");
                field(ui, "Nurse", &mut self.nurse, "your identifier");
                let l = ui.label("Protocol");
                egui::ComboBox::from_id_salt("protocol")
                    .selected_text(PROTOCOLS[self.protocol].0)
                    .width(260.0)
                    .show_ui(ui, |ui| {
                        for (i, (name, _, _)) in PROTOCOLS.iter().enumerate() {
                            ui.selectable_value(&mut self.protocol, i, *name);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
            });
        ui.label("Threshold profile: Ketamine IV, adult (built in)");
        if ui
            .add_sized(
                [260.0, theme::TOUCH],
                egui::Button::new("Start new session"),
            )
            .clicked()
        {
            return self.validated();
        }
        None
    }

    fn validated(&mut self) -> Option<StartIntent> {
        let weight = self.weight.trim().replace(',', ".").parse::<f64>();
        let problem = if self.patient.trim().is_empty() {
            Some("Enter the patient identifier.".to_string())
        } else if self.nurse.trim().is_empty() {
            Some("Enter your nurse identifier.".to_string())
        } else {
            match weight {
                Ok(w) if (20.0..=300.0).contains(&w) => None,
                _ => Some(format!(
                    "Weight '{}' is not a weight in kg (accepted 20-300).",
                    self.weight.trim()
                )),
            }
        };
        if let Some(p) = problem {
            self.message = Some(p);
            return None;
        }
        let (name, dose, minutes) = PROTOCOLS[self.protocol];
        Some(StartIntent::New(NewSession {
            patient_id: self.patient.trim().to_string(),
            weight_kg: weight.unwrap_or_default(),
            protocol: Protocol {
                name: name.to_string(),
                dose_mg_per_kg: Some(dose),
                rate_mg_per_kg_h: Some(dose * 60.0 / f64::from(minutes)),
                planned_min: Some(minutes),
            },
            nurse: self.nurse.trim().to_string(),
        }))
    }

    fn others(&mut self, ui: &mut Ui) -> Option<StartIntent> {
        let mut intent = None;
        ui.heading("Unfinished sessions");
        if self.unfinished.is_empty() {
            ui.label("None on this computer.");
        }
        for (i, u) in self.unfinished.iter().enumerate() {
            ui.label(&u.summary);
            if ui
                .add_sized(
                    [220.0, theme::TOUCH],
                    egui::Button::new(format!("Resume session {}", i + 1)),
                )
                .clicked()
            {
                intent = Some(StartIntent::Resume(u.journal.clone()));
            }
        }
        ui.add_space(20.0);
        ui.heading("Review a finished log");
        let label = ui.label("Session log to review (path)");
        ui.add(egui::TextEdit::singleline(&mut self.review_path).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        ui.horizontal(|ui| {
            if ui
                .add_sized([130.0, theme::TOUCH], egui::Button::new("Browse..."))
                .clicked()
            {
                intent = Some(StartIntent::ChooseLog);
            }
            if ui
                .add_sized([200.0, theme::TOUCH], egui::Button::new("Open for review"))
                .clicked()
            {
                intent = Some(StartIntent::Review(PathBuf::from(self.review_path.trim())));
            }
        });
        ui.add_space(20.0);
        ui.heading("Demo");
        ui.label("A simulated patient on a clock 30 times faster than life: a whole 40-minute infusion and an hour of observation in about 4 minutes. Kept apart from real sessions and marked DEMO.");
        if ui
            .add_sized([220.0, theme::TOUCH], egui::Button::new("Start the demo"))
            .clicked()
        {
            intent = Some(StartIntent::Demo);
        }
        intent
    }
}
