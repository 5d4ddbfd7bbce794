//! The alarm list: technical alarms apart, then clinical ones by priority, flashing until
//! acknowledged with who (the nurse signed in), when (now) and the action taken; the
//! audio pause with its countdown; snoozes with their reason and remaining time.
//!
//! Each alarm is a compact card, its words beside its buttons, so three alarms and their
//! Acknowledge buttons fit a laptop's screen. The action taken stays in its field after
//! an acknowledgement for the other alarms of the same event (see [`KeptAction`]).

use crate::alerts::audio;
use crate::clock::Time;
use crate::session::SessionState;
use crate::session::events::{AlertKey, Priority};
use crate::session::state::AlertState;
use crate::ui::theme;
use egui::{Color32, RichText, Ui};
use std::collections::BTreeSet;

pub enum AlarmIntent {
    Acknowledge {
        alert_id: u32,
        action: String,
    },
    PauseSound,
    Snooze {
        key: AlertKey,
        minutes: u32,
        reason: String,
    },
}

#[derive(Default)]
pub struct AlarmList {
    action: String,
    /// Set when `action` was last used to acknowledge and not edited since.
    kept: Option<KeptAction>,
    message: Option<String>,
    snooze_target: Option<AlertKey>,
    snooze_minutes: String,
    snooze_reason: String,
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

/// The action taken, kept in its field after an acknowledgement for the alarms of the
/// same clinical event: those already waiting for an acknowledgement when it was used
/// (an alarm by its id and priority, since an escalation asks for a new one). The kept
/// text goes as soon as none of them waits any more, or another alarm starts to wait (a
/// new alarm, or an escalation: something new happened, and a different action may have
/// been taken). Text the nurse typed or edited since is theirs and is never cleared.
struct KeptAction {
    waiting: BTreeSet<(u32, Priority)>,
}

impl KeptAction {
    /// Whether `now_waiting` is still the event the text was kept for.
    fn holds(&self, now_waiting: &BTreeSet<(u32, Priority)>) -> bool {
        !now_waiting.is_empty() && now_waiting.is_subset(&self.waiting)
    }
}

/// The alarms waiting for an acknowledgement, each by id and priority.
fn waiting(active: &[&AlertState]) -> BTreeSet<(u32, Priority)> {
    active
        .iter()
        .filter(|a| !a.is_acknowledged())
        .map(|a| (a.id, a.priority))
        .collect()
}

/// What the alarm panel shows.
pub struct AlarmView<'a> {
    pub state: &'a SessionState,
    pub now: Time,
    /// Seconds since the window opened: the flashing.
    pub time: f64,
    pub technical: &'a [String],
    pub max_snooze_min: u32,
}

/// Technical alarms look unlike clinical ones: white on purple, "TECHNICAL".
const TECHNICAL: Color32 = Color32::from_rgb(120, 40, 160);

impl AlarmList {
    pub fn ui(&mut self, ui: &mut Ui, view: &AlarmView<'_>) -> Option<AlarmIntent> {
        let AlarmView {
            state,
            now,
            time,
            technical,
            max_snooze_min,
        } = *view;
        let mut intent = None;
        // The heading beside the pause button: a row saved for the cards.
        ui.horizontal(|ui| {
            ui.heading("Alarms");
            match audio::pause_left(state, now) {
                Some(left) => {
                    let text = format!("Sound paused: {}:{:02} left", left / 60, left % 60);
                    ui.label(RichText::new(text).strong().size(22.0));
                }
                None => {
                    let pause =
                        egui::Button::new(RichText::new("Pause alarm sound (2 min)").size(20.0));
                    if ui
                        .add_sized([ui.available_width(), theme::TOUCH], pause)
                        .clicked()
                    {
                        intent = Some(AlarmIntent::PauseSound);
                    }
                }
            }
        });
        for text in technical {
            egui::Frame::new()
                .fill(TECHNICAL)
                .inner_margin(6.0)
                .corner_radius(4.0)
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(
                        RichText::new(format!("TECHNICAL: {text}"))
                            .color(Color32::WHITE)
                            .strong(),
                    );
                });
        }
        let active = by_priority(state);
        let waiting = waiting(&active);
        if self.kept.as_ref().is_some_and(|k| !k.holds(&waiting)) {
            self.kept = None;
            self.action.clear();
        }
        if active.is_empty() {
            ui.label("No active alarm.");
            return intent;
        }
        let label = ui.label(RichText::new("Action taken (needed to acknowledge)").size(15.0));
        let field = ui
            .add(egui::TextEdit::singleline(&mut self.action).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        if field.changed() {
            // Edited: the nurse's own words now, for whatever they are acknowledging.
            self.kept = None;
        }
        if let Some(m) = &self.message {
            ui.label(RichText::new(m).color(theme::ERROR_RED).strong());
        }
        // Asked at the top, where the eye is, as soon as a Snooze button was pressed.
        if let Some(key) = self.snooze_target {
            intent = intent.or(self.snooze_form(ui, key, max_snooze_min));
        }
        let mut acknowledge = None;
        for alert in active {
            let (ack, snooze) = row(ui, state, alert, now, time);
            acknowledge = acknowledge.or(ack.then_some(alert.id));
            if snooze {
                self.snooze_target = Some(alert.key);
                self.snooze_minutes = max_snooze_min.min(10).to_string();
            }
        }
        if let Some(alert_id) = acknowledge {
            if self.action.trim().is_empty() {
                self.message = Some(
                    "Write the action taken first (e.g. rechecked, infusion paused, clinician called).".into(),
                );
                return intent;
            }
            self.message = None;
            // Kept for the alarms waiting now, which are of the same event (the nurse
            // acknowledges them one after the other) unless something new comes. This one
            // included: a click ignored as a double-click's second leaves it waiting.
            self.kept = Some(KeptAction { waiting });
            return Some(AlarmIntent::Acknowledge {
                alert_id,
                action: self.action.clone(),
            });
        }
        intent
    }

    fn snooze_form(&mut self, ui: &mut Ui, key: AlertKey, max: u32) -> Option<AlarmIntent> {
        let mut intent = None;
        ui.group(|ui| {
            ui.label(
                RichText::new(format!(
                    "Snooze {}: anything worse still sounds",
                    key.describe()
                ))
                .strong(),
            );
            ui.horizontal(|ui| {
                let label = ui.label(format!("Minutes (at most {max})"));
                ui.add_sized(
                    [60.0, theme::TOUCH],
                    egui::TextEdit::singleline(&mut self.snooze_minutes),
                )
                .labelled_by(label.id);
            });
            let label = ui.label("Reason for the snooze (required)");
            ui.add(
                egui::TextEdit::singleline(&mut self.snooze_reason).desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            ui.horizontal(|ui| {
                if ui
                    .add_sized([170.0, theme::TOUCH], egui::Button::new("Confirm snooze"))
                    .clicked()
                {
                    match self.snooze_minutes.trim().parse::<u32>() {
                        Ok(minutes) => {
                            intent = Some(AlarmIntent::Snooze {
                                key,
                                minutes,
                                reason: self.snooze_reason.clone(),
                            });
                        }
                        Err(_) => {
                            self.message = Some(format!(
                                "'{}' is not a number of minutes",
                                self.snooze_minutes.trim()
                            ))
                        }
                    }
                }
                if ui
                    .add_sized([110.0, theme::TOUCH], egui::Button::new("Cancel"))
                    .clicked()
                {
                    self.snooze_target = None;
                }
            });
        });
        intent
    }

    /// An acknowledgement or the sound's pause was refused: why, under the action field.
    pub fn refused(&mut self, message: String) {
        self.message = Some(message);
    }

    /// The snooze was recorded (or refused with `message`).
    pub fn snoozed(&mut self, result: Result<(), String>) {
        match result {
            Ok(()) => {
                self.snooze_target = None;
                self.snooze_reason.clear();
                self.message = None;
            }
            Err(message) => self.message = Some(message),
        }
    }
}

/// One alarm as a compact card: its message and its state, a line each, beside its
/// buttons; a snooze adds a line. Returns whether Acknowledge and Snooze were clicked.
fn row(
    ui: &mut Ui,
    state: &SessionState,
    alert: &AlertState,
    now: Time,
    time: f64,
) -> (bool, bool) {
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
    let (mut ack, mut snooze) = (false, false);
    egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(
            2.0,
            theme::priority_color(alert.priority),
        ))
        .inner_margin(6.0)
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            // Buttons first, from the right, so the words take the room they leave; as
            // high as a button, unless a snooze adds a line.
            let row = egui::vec2(ui.available_width(), theme::TOUCH);
            let layout = egui::Layout::right_to_left(egui::Align::Center);
            ui.allocate_ui_with_layout(row, layout, |ui| {
                ui.spacing_mut().button_padding.x = 8.0;
                ui.spacing_mut().item_spacing.x = 6.0;
                let id = alert.id;
                snooze = theme::named_button(ui, "Snooze", &format!("Snooze alarm {id}")).clicked();
                if !acknowledged {
                    ack =
                        theme::named_button(ui, "Acknowledge", &format!("Acknowledge alarm {id}"))
                            .clicked();
                }
                ui.with_layout(egui::Layout::top_down(egui::Align::Min), |ui| {
                    ui.spacing_mut().item_spacing.y = 2.0;
                    card_text(ui, state, alert, now, text_color);
                });
            });
        });
    (ack, snooze)
}

/// The words of an alarm's card, cut to the card's width (whole on hover): the message
/// in two rows, so that what to do ("pause the infusion and call the clinician") is read
/// without a hover; the status and a snooze in one.
fn card_text(ui: &mut Ui, state: &SessionState, alert: &AlertState, now: Time, color: Color32) {
    let message = RichText::new(&alert.message)
        .color(color)
        .strong()
        .size(16.0);
    theme::label_in_rows(ui, message, 2);
    let since = format!("since {}", alert.raised_at.format("%H:%M"));
    let status = match &alert.acknowledged {
        Some(a) if alert.is_acknowledged() => format!(
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
    theme::label_in_rows(ui, RichText::new(status).color(color).size(15.0), 1);
    if let Some(s) = state
        .audio
        .snoozes
        .get(&alert.key)
        .filter(|s| now < s.until)
    {
        // Whole minutes, rounded up: "1 min left" until it ends.
        let left = ((s.until - now).num_seconds() + 59) / 60;
        let text = format!(
            "snoozed until {} ({left} min left), up to {} - {}",
            // To the second: a snooze lasts exactly what was asked.
            s.until.format("%H:%M:%S"),
            s.priority,
            s.reason.as_deref().unwrap_or("")
        );
        theme::label_in_rows(ui, RichText::new(text).color(color).italics().size(15.0), 1);
    }
}
