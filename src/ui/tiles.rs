//! The current value of each vital, large, coloured by its alert and never by colour
//! alone: the priority marker and words say the same.
//!
//! A tile says only what is true of the value beside it: "no reading yet" before the
//! first; a high alarm that stays latched after the value came back says so, with the
//! reading that raised it; an acknowledged alarm says when it was acknowledged.

use crate::clock::Time;
use crate::session::events::{AlertKey, Priority};
use crate::session::reading::format_value;
use crate::session::state::{AlertState, LatestValue};
use crate::session::{SessionState, Vital};
use crate::ui::theme;
use egui::{RichText, Ui};

/// One tile per vital, side by side. `time` (seconds) drives the flashing.
pub fn ui(ui: &mut Ui, state: &SessionState, now: Time, time: f64) {
    ui.columns(Vital::COUNT, |columns| {
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
                    // Wraps in the space beside the value rather than widen the tile.
                    ui.label(
                        RichText::new(status(state, vital, alert, latest))
                            .color(text)
                            .strong(),
                    );
                    if let Some(l) = latest {
                        let age = format!(
                            "at {} ({} min ago)",
                            l.at.format("%H:%M"),
                            (now - l.at).num_minutes().max(0)
                        );
                        ui.label(RichText::new(age).color(text).size(14.0));
                    }
                });
            });
        });
}

/// What the tile says of the vital's state, beside its newest value (`latest`) and the
/// most urgent active alert of the vital (`alert`).
pub fn status(
    state: &SessionState,
    vital: Vital,
    alert: Option<&AlertState>,
    latest: Option<LatestValue>,
) -> String {
    let Some(a) = alert else {
        return match latest {
            Some(_) => "within limits".into(),
            None => "no reading yet".into(),
        };
    };
    let marker = a.priority.marker();
    if let Some(ack) = a.acknowledged.as_ref().filter(|_| a.is_acknowledged()) {
        // Still active, so its condition still holds: the engine resolves or steps down
        // an acknowledged alarm as soon as the value allows.
        return format!(
            "{marker} {}, acknowledged {}",
            word(a.priority),
            ack.at.format("%H:%M")
        );
    }
    if a.priority == Priority::High && a.escalated_unacknowledged {
        return format!(
            "{marker} HIGH ALARM: not acknowledged since {}",
            a.raised_at.format("%H:%M")
        );
    }
    if a.priority == Priority::High && latched(a, latest, cause(state, a, vital)) {
        return match cause(state, a, vital) {
            Some((_, value, at)) => format!(
                "{marker} HIGH ALARM, latched: {} at {}",
                format_value(value),
                at.format("%H:%M")
            ),
            None => format!(
                "{marker} HIGH ALARM, latched since {}",
                a.priority_since.format("%H:%M")
            ),
        };
    }
    format!("{marker} {}", word(a.priority))
}

/// Whether a high alarm is held by its latch rather than by the value beside it: the
/// newest reading is not the one that raised it and is less extreme (the engine keeps
/// an unacknowledged high alarm whatever later readings say).
fn latched(a: &AlertState, latest: Option<LatestValue>, cause: Option<(u32, f64, Time)>) -> bool {
    let (Some(l), Some((id, value, _))) = (latest, cause) else {
        // No value beside it, or none known that raised it: only the latch explains it.
        return true;
    };
    if l.reading_id == id {
        return false;
    }
    match a.key {
        AlertKey::High(_) => l.value < value,
        AlertKey::Low(_) => l.value > value,
        _ => false,
    }
}

/// The reading that raised the alert or last raised its priority: its id, and its value
/// and time as they were when the alert took its priority (a later correction does not
/// change what raised it).
fn cause(state: &SessionState, a: &AlertState, vital: Vital) -> Option<(u32, f64, Time)> {
    let id = *a.raised_by.last()?;
    let versions = &state.reading(id)?.versions;
    let version = versions
        .iter()
        .rev()
        .find(|v| v.entered_at <= a.priority_since)
        .or(versions.first())?;
    Some((id, version.values.get(vital)?, version.at))
}

fn word(p: Priority) -> &'static str {
    match p {
        Priority::High => "HIGH ALARM",
        Priority::Medium => "ALARM",
        Priority::Low => "advisory",
    }
}
