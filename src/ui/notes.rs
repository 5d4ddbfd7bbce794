//! Side effects and interventions, noted as they happen.

use crate::clock::Time;
use crate::commands::Command;
use crate::ui::theme;
use egui::Ui;

/// The side effects DOMAIN.md lists for sub-anaesthetic ketamine, most common first.
pub const SIDE_EFFECTS: [&str; 10] = [
    "nausea",
    "dizziness",
    "dissociation",
    "blurred vision",
    "sedation",
    "confusion",
    "headache",
    "anxiety",
    "hallucinations",
    "respiratory depression",
];

#[derive(Default)]
pub struct NotesForm {
    effect: usize,
    detail: String,
    intervention: String,
}

impl NotesForm {
    pub fn ui(&mut self, ui: &mut Ui, now: Time, nurse: &str) -> Option<Command> {
        let mut command = None;
        ui.label(egui::RichText::new("Side effect").strong());
        let label = ui.label("Side effect");
        egui::ComboBox::from_id_salt("side-effect")
            .selected_text(SIDE_EFFECTS[self.effect])
            .width(250.0)
            .show_ui(ui, |ui| {
                for (i, name) in SIDE_EFFECTS.iter().enumerate() {
                    ui.selectable_value(&mut self.effect, i, *name);
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("Details (severity, what the patient said)");
        ui.add(egui::TextEdit::singleline(&mut self.detail).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if ui
            .add_sized([200.0, theme::TOUCH], egui::Button::new("Note side effect"))
            .clicked()
        {
            let detail = self.detail.trim();
            let effect = if detail.is_empty() {
                SIDE_EFFECTS[self.effect].to_string()
            } else {
                format!("{}: {detail}", SIDE_EFFECTS[self.effect])
            };
            self.detail.clear();
            command = Some(Command::NoteSideEffect {
                at: now,
                by: nurse.to_string(),
                effect,
            });
        }
        ui.separator();
        ui.label(egui::RichText::new("Intervention").strong());
        let label = ui.label("Intervention given");
        ui.add(
            egui::TextEdit::singleline(&mut self.intervention)
                .hint_text("e.g. ondansetron 4 mg IV")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        if ui
            .add_sized(
                [200.0, theme::TOUCH],
                egui::Button::new("Note intervention"),
            )
            .clicked()
        {
            command = Some(Command::Intervention {
                at: now,
                by: nurse.to_string(),
                action: std::mem::take(&mut self.intervention),
            });
        }
        command
    }
}
