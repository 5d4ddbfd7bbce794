//! Entering a reading, keyboard first: four values (any subset) and a time that defaults
//! to now. Enter saves. Messages stand beside the field they are about.

use crate::clock::Time;
use crate::session::reading::VitalMap;
use crate::session::validate::{Field, Problem};
use crate::session::{Vital, VitalSet};
use crate::ui::input_order::PendingFocus;
use crate::ui::theme;
use chrono::{NaiveTime, TimeZone};
use egui::{Key, RichText, Ui};

/// What the nurse asked for.
pub enum EntryIntent {
    Save {
        at: Time,
        values: VitalSet,
        /// The nurse confirmed the doubtful values shown.
        confirmed: bool,
    },
}

#[derive(Default)]
pub struct ReadingForm {
    text: VitalMap<String>,
    /// `HH:MM` today; empty means now.
    time: String,
    /// Messages by field, shown beside it.
    messages: Vec<(Field, String)>,
    /// Doubtful values waiting for the nurse's confirmation.
    to_confirm: Vec<Problem>,
    /// What the core said about the reading last saved (e.g. too early to confirm a
    /// recheck), shown under the form until the next save.
    notes: Vec<String>,
    /// The field to put the cursor in.
    focus: PendingFocus,
}

/// Entry fields a row of the form, and how wide each is: three fit the forms' column
/// (330 points) with the spacing between them.
const FIELDS_A_ROW: usize = 3;
const FIELD_WIDTH: f32 = 95.0;

/// The entry field of `field`: fixed, so the focus can be asked for before it is drawn.
fn field_id(field: Field) -> egui::Id {
    egui::Id::unique(("reading-form", field))
}

impl ReadingForm {
    pub fn ui(&mut self, ui: &mut Ui, now: Time) -> Option<EntryIntent> {
        // Asked first, where the eye is: nothing else is saved until it is answered.
        let confirmed = if self.to_confirm.is_empty() {
            None
        } else {
            self.confirmation(ui, now)
        };
        // Before the fields are drawn, so that the field has the focus for this frame's
        // keys (typed on straight after Enter saved the previous reading).
        self.focus.request(ui);
        let focus = &mut self.focus;
        let refused: Vec<Field> = self.messages.iter().map(|(f, _)| *f).collect();
        let mut submit = false;
        let mut field =
            |ui: &mut Ui, field: Field, label: &str, text: &mut String, hint: String| {
                ui.vertical(|ui| {
                    // A long name wraps onto a second line over its field, as narrow as
                    // the field: three fields a row fit the forms' column.
                    ui.set_max_width(FIELD_WIDTH);
                    let label = ui.add(egui::Label::new(RichText::new(label).size(15.0)).wrap());
                    // Every name takes two lines' height, so the fields of a row line up.
                    let two_lines =
                        2.0 * ui.fonts_mut(|f| f.row_height(&egui::FontId::proportional(15.0)));
                    ui.add_space((two_lines - label.rect.height()).max(0.0));
                    let mut edit = egui::TextEdit::singleline(text)
                        .id(field_id(field))
                        .font(egui::TextStyle::Heading)
                        .hint_text(hint);
                    if refused.contains(&field) {
                        // The value a message is about, in the message's red.
                        edit = edit.text_color(theme::ERROR_RED);
                    }
                    let response = ui
                        .add_sized([FIELD_WIDTH, theme::TOUCH], edit)
                        .labelled_by(label.id);
                    focus.check(&response, text);
                    submit |= response.lost_focus() && ui.input(|inp| inp.key_pressed(Key::Enter));
                });
            };
        // Three a row, in `Vital::ALL` order and then the time, which is also the Tab order;
        // each cell's top aligned, whether its name took one line or two.
        egui::Grid::new("reading-form")
            .num_columns(FIELDS_A_ROW)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                for (i, (vital, text)) in self.text.iter_mut().enumerate() {
                    let label = format!("{} ({})", vital.label(), vital.unit());
                    field(ui, Field::Vital(vital), &label, text, String::new());
                    if i % FIELDS_A_ROW == FIELDS_A_ROW - 1 {
                        ui.end_row();
                    }
                }
                field(
                    ui,
                    Field::Time,
                    "Time (HH:MM)",
                    &mut self.time,
                    now.format("%H:%M").to_string(),
                );
                ui.end_row();
            });
        let clicked = ui
            .horizontal(|ui| {
                let clicked = ui
                    .add_sized(
                        [190.0, theme::TOUCH],
                        egui::Button::new("Save reading (Enter)"),
                    )
                    .clicked();
                ui.label(RichText::new("time empty = now").size(15.0));
                clicked
            })
            .inner;
        for field in Vital::ALL
            .map(Field::Vital)
            .into_iter()
            .chain([Field::Time])
        {
            self.message_for(ui, field);
        }
        self.message_for(ui, Field::PulsePressure);
        for note in &self.notes {
            ui.label(
                RichText::new(note)
                    .color(theme::priority_color(crate::session::events::Priority::Low))
                    .strong(),
            );
        }
        if confirmed.is_some() {
            return confirmed;
        }
        if submit || (clicked && self.to_confirm.is_empty()) {
            return self.intent(now, false);
        }
        None
    }

    fn confirmation(&mut self, ui: &mut Ui, now: Time) -> Option<EntryIntent> {
        ui.group(|ui| {
            ui.label(RichText::new("Check these values before saving:").strong());
            for p in &self.to_confirm {
                ui.label(RichText::new(format!("? {}", p.for_person())).color(
                    theme::priority_color(crate::session::events::Priority::Medium),
                ));
            }
            ui.horizontal(|ui| {
                // Both inside the forms' column: the box is as wide as the form.
                let confirm =
                    ui.add_sized([180.0, theme::TOUCH], egui::Button::new("Confirm and save"));
                let cancel = ui.add_sized([100.0, theme::TOUCH], egui::Button::new("Cancel"));
                if cancel.clicked() {
                    self.to_confirm.clear();
                    None
                } else if confirm.clicked() {
                    self.intent(now, true)
                } else {
                    None
                }
            })
            .inner
        })
        .inner
    }

    /// The messages about one field, in red, right under the fields.
    fn message_for(&self, ui: &mut Ui, field: Field) {
        for (_, message) in self.messages.iter().filter(|(f, _)| *f == field) {
            ui.label(RichText::new(message).color(theme::ERROR_RED).strong());
        }
    }

    fn intent(&mut self, now: Time, confirmed: bool) -> Option<EntryIntent> {
        self.messages.clear();
        // They were about the reading before this one.
        self.notes.clear();
        let values = match parse_values(&self.text) {
            Ok(values) => values,
            Err(bad) => {
                for (vital, message) in bad {
                    self.messages.push((Field::Vital(vital), message));
                }
                VitalSet::default()
            }
        };
        let at = match parse_time(self.time.trim(), now) {
            Ok(at) => at,
            Err(message) => {
                self.messages.push((Field::Time, message));
                self.focus_on_message();
                return None;
            }
        };
        if values.is_empty() && self.messages.is_empty() {
            self.messages.push((
                Field::Vital(Vital::Systolic),
                "Nothing saved: enter at least one value".into(),
            ));
        }
        if !self.messages.is_empty() {
            self.focus_on_message();
            return None;
        }
        Some(EntryIntent::Save {
            at,
            values,
            confirmed,
        })
    }

    /// The reading was saved: clear the form for the next one, keeping `notes` (what the
    /// core said about the reading) in view beside it.
    pub fn saved(&mut self, notes: Vec<String>) {
        *self = ReadingForm {
            notes,
            ..ReadingForm::default()
        };
        self.focus();
    }

    /// The reading was refused: show why beside each field, keep what was typed.
    pub fn rejected(&mut self, problems: &[Problem]) {
        self.to_confirm.clear();
        self.messages = problems.iter().map(|p| (p.field, p.for_person())).collect();
        self.focus_on_message();
    }

    /// The cursor goes to the first field a message is about, to correct it.
    fn focus_on_message(&mut self) {
        let field = self
            .messages
            .iter()
            .map(|(f, _)| *f)
            .find(|f| matches!(f, Field::Vital(_) | Field::Time))
            .unwrap_or(Field::Vital(Vital::Systolic));
        self.focus.set_selecting(field_id(field));
    }

    /// The reading has doubtful values: ask before saving.
    pub fn confirm(&mut self, problems: Vec<Problem>) {
        self.messages.clear();
        self.to_confirm = problems;
    }

    /// Puts the cursor in Systolic on the next frame.
    pub fn focus(&mut self) {
        self.focus.set(field_id(Field::Vital(Vital::Systolic)));
    }
}

/// `HH:MM` or `HH:MM:SS` on the day of `now`, in its offset; empty is `now`.
pub fn parse_time(text: &str, now: Time) -> Result<Time, String> {
    if text.is_empty() {
        return Ok(now);
    }
    let time = NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map_err(|_| format!("'{text}' is not a time; write it as HH:MM"))?;
    now.offset()
        .from_local_datetime(&now.date_naive().and_time(time))
        .single()
        .ok_or_else(|| format!("'{text}' cannot be placed today"))
}

/// A number as a nurse types it: `97.5` or, from a European keyboard, `97,5`.
pub fn parse_number(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// The vitals as typed; empty means not measured. Every cell that is not a number is
/// named.
pub fn parse_values(text: &VitalMap<String>) -> Result<VitalSet, Vec<(Vital, String)>> {
    let mut values = VitalSet::default();
    let mut bad = Vec::new();
    for (vital, cell) in text {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        match parse_number(cell) {
            Some(v) => values.set(vital, Some(v)),
            None => bad.push((vital, format!("{} '{cell}' is not a number", vital.label()))),
        }
    }
    if bad.is_empty() { Ok(values) } else { Err(bad) }
}
