//! Thresholds for this patient: each level of each rule with the profile's default beside
//! any limit a nurse or clinician set, and a way to set one (with why).

use crate::alerts::Profile;
use crate::commands::Command;
use crate::session::SessionState;
use crate::session::events::{AlertKey, Priority};
use crate::session::reading::format_value;
use crate::ui::entry::parse_number;
use crate::ui::theme;
use egui::{RichText, Ui};

#[derive(Default)]
pub struct LimitsForm {
    selected: Option<(AlertKey, Priority)>,
    value: String,
    reason: String,
    pub message: Option<String>,
}

impl LimitsForm {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        profile: &Profile,
        state: &SessionState,
        nurse: &str,
    ) -> Option<Command> {
        ui.label(RichText::new("Alarm limits for this patient").strong());
        let mut command = None;
        if let Some((key, priority)) = self.selected {
            ui.group(|ui| {
                ui.label(
                    RichText::new(format!("New {priority} limit for {}", key.describe())).strong(),
                );
                let label = ui.label("New limit");
                ui.add_sized(
                    [90.0, theme::TOUCH],
                    egui::TextEdit::singleline(&mut self.value),
                )
                .labelled_by(label.id);
                let label = ui.label("Why (required; who is recorded)");
                ui.add(egui::TextEdit::singleline(&mut self.reason).desired_width(f32::INFINITY))
                    .labelled_by(label.id);
                if ui
                    .add_sized([150.0, theme::TOUCH], egui::Button::new("Set limit"))
                    .clicked()
                {
                    match parse_number(&self.value) {
                        Some(limit) => {
                            command = Some(Command::ChangeLimit {
                                key,
                                priority,
                                limit,
                                by: nurse.to_string(),
                                reason: self.reason.clone(),
                            });
                        }
                        None => {
                            self.message = Some(format!("'{}' is not a number", self.value.trim()))
                        }
                    }
                }
            });
        }
        if let Some(m) = &self.message {
            ui.label(RichText::new(m).color(theme::ERROR_RED).strong());
        }
        egui::Grid::new("limits")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                for rule in &profile.alerts {
                    let key = rule.key();
                    for p in [Priority::Low, Priority::Medium, Priority::High] {
                        let Some(t) = rule.level(p).and_then(|l| l.when) else {
                            continue;
                        };
                        let name = format!("{} {} {}", key.describe(), p.marker(), p);
                        let chosen = self.selected == Some((key, p));
                        let row = egui::Button::selectable(chosen, name)
                            .min_size(egui::vec2(150.0, theme::TOUCH));
                        if ui.add(row).clicked() {
                            self.selected = Some((key, p));
                            self.value.clear();
                        }
                        let shown = match state.limits.get(&(key, p)) {
                            Some(limit) => RichText::new(format!(
                                "{} {} (default {})",
                                t.comparison.symbol(),
                                format_value(*limit),
                                format_value(t.limit)
                            ))
                            .strong(),
                            None => RichText::new(t.to_string()),
                        };
                        ui.label(shown);
                        ui.end_row();
                    }
                }
            });
        command
    }

    pub fn done(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => *self = LimitsForm::default(),
            Err(message) => self.message = Some(message),
        }
    }
}
