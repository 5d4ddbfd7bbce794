//! The alarm list: by priority, flashing until acknowledged, acknowledged with who (the
//! nurse signed in), when (now) and the action taken.

use crate::session::SessionState;
use crate::session::state::AlertState;
use crate::ui::theme;
use egui::{RichText, Ui};

pub struct Acknowledge {
    pub alert_id: u32,
    pub action: String,
}

#[derive(Default)]
pub struct AlarmList {
    action: String,
    message: Option<String>,
}

/// Active alerts, most urgent first, then oldest first.
pub fn by_priority(state: &SessionState) -> Vec<&AlertState> {
    let mut active: Vec<&AlertState> = state.active_alerts().collect();
    active.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(a.raised_at.cmp(&b.raised_at))
    });
    active
}

impl AlarmList {
    /// `read_only`: a log under review; alarms are shown as they ended, not acknowledged.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        state: &SessionState,
        time: f64,
        read_only: bool,
    ) -> Option<Acknowledge> {
        ui.heading("Alarms");
        let active = by_priority(state);
        if active.is_empty() {
            ui.label("No active alarm.");
            return None;
        }
        if !read_only {
            let label = ui.label("Action taken (needed to acknowledge)");
            ui.add(egui::TextEdit::singleline(&mut self.action).desired_width(f32::INFINITY))
                .labelled_by(label.id);
        }
        if let Some(m) = &self.message {
            ui.label(RichText::new(m).color(theme::ERROR_RED));
        }
        let mut intent = None;
        for alert in active {
            let acknowledged = alert.is_acknowledged();
            let lit = acknowledged || theme::lit(alert.priority, time);
            let fill = if lit {
                theme::priority_color(alert.priority)
            } else {
                ui.visuals().panel_fill
            };
            let text_color = if lit {
                theme::on_priority(alert.priority)
            } else {
                theme::priority_color(alert.priority)
            };
            egui::Frame::new()
                .fill(fill)
                .stroke(egui::Stroke::new(
                    2.0,
                    theme::priority_color(alert.priority),
                ))
                .inner_margin(8.0)
                .corner_radius(4.0)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new(&alert.message).color(text_color).strong());
                    let since = format!("since {}", alert.raised_at.format("%H:%M"));
                    let status = match &alert.acknowledged {
                        Some(a) if acknowledged => format!(
                            "{since} - acknowledged by {} at {}{}",
                            a.by,
                            a.at.format("%H:%M"),
                            a.action
                                .as_deref()
                                .map(|x| format!(": {x}"))
                                .unwrap_or_default()
                        ),
                        _ => format!("{since} - not acknowledged"),
                    };
                    ui.label(RichText::new(status).color(text_color));
                    if !acknowledged && !read_only {
                        let button = egui::Button::new(format!("Acknowledge alarm {}", alert.id));
                        if ui.add_sized([240.0, theme::TOUCH], button).clicked() {
                            intent = Some(alert.id);
                        }
                    }
                });
        }
        let alert_id = intent?;
        if self.action.trim().is_empty() {
            self.message = Some(
                "Write the action taken first (e.g. rechecked, infusion paused, clinician called)."
                    .into(),
            );
            return None;
        }
        self.message = None;
        Some(Acknowledge {
            alert_id,
            action: std::mem::take(&mut self.action),
        })
    }
}
