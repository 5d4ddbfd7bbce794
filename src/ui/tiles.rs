//! The current value of each vital, large, coloured by its alert and never by colour
//! alone: the priority marker and words say the same.

use crate::clock::Time;
use crate::session::events::Priority;
use crate::session::reading::format_value;
use crate::session::{SessionState, Vital};
use crate::ui::theme;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, state: &SessionState, now: Time, time: f64) {
    ui.columns(4, |columns| {
        for (column, vital) in columns.iter_mut().zip(Vital::ALL) {
            tile(column, state, vital, now, time);
        }
    });
}

fn tile(ui: &mut Ui, state: &SessionState, vital: Vital, now: Time, time: f64) {
    let alert = state
        .active_alerts()
        .filter(|a| a.key.vital() == Some(vital))
        .max_by_key(|a| a.priority);
    let latest = state.latest(vital);
    let (fill, text) = match alert {
        Some(a) if a.is_acknowledged() || theme::lit(a.priority, time) => (
            theme::priority_color(a.priority),
            theme::on_priority(a.priority),
        ),
        Some(a) => (ui.visuals().panel_fill, theme::priority_color(a.priority)),
        None => (
            ui.visuals().faint_bg_color,
            ui.visuals().strong_text_color(),
        ),
    };
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(
            2.0,
            alert.map_or(ui.visuals().weak_text_color(), |a| {
                theme::priority_color(a.priority)
            }),
        ))
        .inner_margin(10.0)
        .corner_radius(6.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(
                RichText::new(format!("{} · {}", vital.label(), vital.unit()))
                    .color(text)
                    .size(17.0),
            );
            ui.horizontal(|ui| {
                let value = latest.map_or("--".to_string(), |l| format_value(l.value));
                ui.label(
                    RichText::new(value)
                        .color(text)
                        .size(theme::VALUE_SIZE)
                        .strong(),
                );
                ui.vertical(|ui| {
                    ui.add_space(8.0);
                    let status = match alert {
                        Some(a) => format!("{} {}", a.priority.marker(), word(a.priority)),
                        None => "within limits".into(),
                    };
                    ui.label(RichText::new(status).color(text).strong());
                    let age = latest.map_or("no reading yet".into(), |l| {
                        format!(
                            "at {} ({} min ago)",
                            l.at.format("%H:%M"),
                            (now - l.at).num_minutes().max(0)
                        )
                    });
                    ui.label(RichText::new(age).color(text).size(14.0));
                });
            });
        });
}

fn word(p: Priority) -> &'static str {
    match p {
        Priority::High => "HIGH ALARM",
        Priority::Medium => "ALARM",
        Priority::Low => "advisory",
    }
}
