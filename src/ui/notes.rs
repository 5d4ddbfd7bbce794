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
    /// Two columns: a side effect with its details; an intervention.
    pub fn ui(&mut self, ui: &mut Ui, now: Time, nurse: &str) -> Option<Command> {
        ui.columns(2, |columns| {
            let side_effect = self.side_effect(&mut columns[0], now, nurse);
            let intervention = self.intervention(&mut columns[1], now, nurse);
            side_effect.or(intervention)
        })
    }

    fn side_effect(&mut self, ui: &mut Ui, now: Time, nurse: &str) -> Option<Command> {
        let label = ui.label(egui::RichText::new("Side effect").strong());
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
        if !ui
            .add_sized([200.0, theme::TOUCH], egui::Button::new("Note side effect"))
            .clicked()
        {
            return None;
        }
        let detail = self.detail.trim();
        let effect = if detail.is_empty() {
            SIDE_EFFECTS[self.effect].to_string()
        } else {
            format!("{}: {detail}", SIDE_EFFECTS[self.effect])
        };
        self.detail.clear();
        Some(Command::NoteSideEffect {
            at: now,
            by: nurse.to_string(),
            effect,
        })
    }

    fn intervention(&mut self, ui: &mut Ui, now: Time, nurse: &str) -> Option<Command> {
        let label = ui.label(egui::RichText::new("Intervention given").strong());
        ui.add(
            egui::TextEdit::singleline(&mut self.intervention)
                .hint_text("e.g. ondansetron 4 mg IV")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        if !ui
            .add_sized(
                [200.0, theme::TOUCH],
                egui::Button::new("Note intervention"),
            )
            .clicked()
        {
            return None;
        }
        Some(Command::Intervention {
            at: now,
            by: nurse.to_string(),
            action: std::mem::take(&mut self.intervention),
        })
    }
}
