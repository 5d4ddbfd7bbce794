//! The start screen: a new session, an unfinished one to resume, or the demo.

use crate::session::events::Protocol;
use crate::ui::input_order::PendingFocus;
use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::PathBuf;

/// Protocols a clinic starts from; every number stays editable.
pub const PROTOCOLS: [(&str, f64, u32); 3] = [
    ("Depression 0.5 mg/kg over 40 min", 0.5, 40),
    ("Depression 1 mg/kg over 60 min", 1.0, 60),
    ("Chronic pain 1 mg/kg/h over 4 h", 4.0, 240),
];

/// A new session as typed on the start screen, its numbers not yet checked against the
/// profile (the session's opening does that).
pub struct NewSession {
    pub patient_id: String,
    /// Body weight, kg.
    pub weight_kg: f64,
    /// The dose and planned minutes typed, the rate worked out (`Protocol::planned`).
    pub protocol: Protocol,
    pub nurse: String,
    /// A built-in profile name or the path of a clinic's `.toml` profile.
    pub profile: String,
}

pub enum StartIntent {
    New(NewSession),
    Resume(PathBuf),
    Demo,
    Review(PathBuf),
    /// Ask for the log to review (the open dialog).
    ChooseLog,
    /// The guided import of a monitor's or spreadsheet's file.
    Import,
    /// The audit of a folder of logs.
    Audit,
    /// Back to the start screen.
    Back,
}

/// An unfinished session found on disk, with what to call it.
pub struct Unfinished {
    pub journal: PathBuf,
    pub summary: String,
    /// Why it cannot be resumed and what to do, for a journal that does not verify.
    pub problem: Option<String>,
}

pub struct StartScreen {
    patient: String,
    weight: String,
    protocol: usize,
    dose: String,
    minutes: String,
    profile: String,
    nurse: String,
    pub unfinished: Vec<Unfinished>,
    pub message: Option<String>,
    /// Why this installation cannot seal logs (its key cannot be read or made), if so.
    pub sealing_problem: Option<String>,
    pub review_path: String,
    /// Where the cursor goes: the patient identifier when the screen opens.
    focus: PendingFocus,
}

impl Default for StartScreen {
    fn default() -> Self {
        let (_, dose, minutes) = PROTOCOLS[0];
        StartScreen {
            patient: String::new(),
            weight: String::new(),
            protocol: 0,
            dose: dose.to_string(),
            minutes: minutes.to_string(),
            profile: crate::alerts::profile::DEFAULT_PROFILE.to_string(),
            nurse: String::new(),
            unfinished: Vec::new(),
            message: None,
            sealing_problem: None,
            review_path: String::new(),
            focus: {
                let mut focus = PendingFocus::default();
                focus.set(egui::Id::unique("new-session-patient"));
                focus
            },
        }
    }
}

impl StartScreen {
    pub fn ui(&mut self, ui: &mut Ui) -> Option<StartIntent> {
        let mut intent = None;
        egui::CentralPanel::default().show(ui, |ui| {
            // A laptop's 700 px do not hold every choice: what is below scrolls into view
            // rather than being cut off.
            egui::ScrollArea::vertical()
                .id_salt("start-scroll")
                .show(ui, |ui| {
                    ui.heading(RichText::new("Infusion Vitals").size(34.0));
                    ui.label("Vital signs at the chair during IV ketamine infusion.");
                    for m in self.message.iter().chain(&self.sealing_problem) {
                        ui.label(RichText::new(m).color(theme::ERROR_RED).strong());
                    }
                    ui.add_space(12.0);
                    ui.columns(2, |cols| {
                        intent = intent.take().or(self.new_session(&mut cols[0]));
                        intent = intent.take().or(self.others(&mut cols[1]));
                    });
                });
        });
        intent
    }

    fn new_session(&mut self, ui: &mut Ui) -> Option<StartIntent> {
        ui.heading("New session");
        let patient_id = egui::Id::unique("new-session-patient");
        // Keyboard first: the cursor waits in the first field.
        self.focus.request(ui);
        let focus = &mut self.focus;
        let mut entered = false;
        egui::Grid::new("new-session")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                let mut field = |ui: &mut Ui, label: &str, text: &mut String, hint: &str| {
                    let l = ui.label(label);
                    let mut edit = egui::TextEdit::singleline(text)
                        .hint_text(hint)
                        .desired_width(260.0);
                    if label == "Patient identifier" {
                        edit = edit.id(patient_id);
                    }
                    let response = ui.add(edit).labelled_by(l.id);
                    focus.check(&response, text);
                    // Enter in any field starts the session, as the button does.
                    entered |=
                        response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
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
                let before = self.protocol;
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
                if self.protocol != before {
                    let (_, dose, minutes) = PROTOCOLS[self.protocol];
                    self.dose = dose.to_string();
                    self.minutes = minutes.to_string();
                }
                field(ui, "Total dose (mg/kg)", &mut self.dose, "e.g. 0.5");
                field(ui, "Planned minutes", &mut self.minutes, "e.g. 40");
                field(
                    ui,
                    "Threshold profile",
                    &mut self.profile,
                    "built-in name or .toml path",
                );
            });
        if ui
            .add_sized(
                [260.0, theme::TOUCH],
                egui::Button::new("Start new session"),
            )
            .clicked()
            || entered
        {
            return self.validated();
        }
        None
    }

    fn validated(&mut self) -> Option<StartIntent> {
        match self.typed() {
            Ok(new) => Some(StartIntent::New(new)),
            Err(message) => {
                self.message = Some(message);
                None
            }
        }
    }

    /// What was typed, as a new session. Only what is missing or not a number is refused
    /// here: whether the numbers are acceptable is the profile's to say, and the core's
    /// to check when the session opens (`Session::check_info`), whose messages this screen
    /// shows.
    fn typed(&self) -> Result<NewSession, String> {
        let number = crate::ui::entry::parse_number;
        if self.patient.trim().is_empty() {
            return Err("Enter the patient identifier.".into());
        }
        if self.nurse.trim().is_empty() {
            return Err("Enter your nurse identifier.".into());
        }
        let weight = number(&self.weight)
            .ok_or_else(|| format!("Weight '{}' is not a number of kg.", self.weight.trim()))?;
        let dose = number(&self.dose).ok_or_else(|| {
            format!(
                "Total dose '{}' is not a number of mg/kg.",
                self.dose.trim()
            )
        })?;
        let minutes = self.minutes.trim().parse::<u32>().map_err(|_| {
            format!(
                "Planned minutes '{}' is not a whole number of minutes.",
                self.minutes.trim()
            )
        })?;
        let (preset, preset_dose, preset_minutes) = PROTOCOLS[self.protocol];
        let name = if (dose, minutes) == (preset_dose, preset_minutes) {
            preset.to_string()
        } else {
            format!(
                "{} mg/kg over {minutes} min",
                crate::session::reading::format_value(dose)
            )
        };
        Ok(NewSession {
            patient_id: self.patient.trim().to_string(),
            weight_kg: weight,
            protocol: Protocol::planned(name, dose, minutes),
            nurse: self.nurse.trim().to_string(),
            profile: self.profile.trim().to_string(),
        })
    }

    fn others(&mut self, ui: &mut Ui) -> Option<StartIntent> {
        let mut intent = None;
        ui.heading("Unfinished sessions");
        if self.unfinished.is_empty() {
            ui.label("None on this computer.");
        }
        for (i, u) in self.unfinished.iter().enumerate() {
            if let Some(problem) = &u.problem {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("{}. {problem}", u.summary)).color(theme::ERROR_RED),
                    )
                    .wrap(),
                );
                continue;
            }
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
        let field = ui
            .add(egui::TextEdit::singleline(&mut self.review_path).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
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
                || entered
            {
                intent = Some(StartIntent::Review(PathBuf::from(self.review_path.trim())));
            }
        });
        if ui
            .add_sized(
                [260.0, theme::TOUCH],
                egui::Button::new("Audit a folder of logs..."),
            )
            .clicked()
        {
            intent = Some(StartIntent::Audit);
        }
        ui.add_space(20.0);
        ui.heading("Import readings from a file");
        ui.label("A monitor's export or a spreadsheet, read into a sealed log to review.");
        if ui
            .add_sized([220.0, theme::TOUCH], egui::Button::new("Import a file..."))
            .clicked()
        {
            intent = Some(StartIntent::Import);
        }
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
