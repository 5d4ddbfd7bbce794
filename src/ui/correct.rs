//! Correcting a reading: a new value with a reason, or entered-in-error. The original
//! stays in the history; nothing is deleted.

use crate::commands::{Command, OnReject, OnWarning, ReadingEntry};
use crate::session::SessionState;
use crate::session::events::Source;
use crate::session::reading::VitalMap;
use crate::session::reading::format_value;
use crate::ui::entry::parse_values;
use crate::ui::theme;
use egui::{RichText, Ui};

#[derive(Default)]
pub struct CorrectForm {
    reading: Option<u32>,
    text: VitalMap<String>,
    reason: String,
    /// The nurse ticked that the unusual values were checked.
    checked: bool,
    pub message: Option<String>,
}

impl CorrectForm {
    /// Two columns: the reading and its corrected values; the reason and the buttons, with
    /// what the last try said under them.
    pub fn ui(&mut self, ui: &mut Ui, state: &SessionState, nurse: &str) -> Option<Command> {
        ui.columns(2, |columns| {
            let [values, reason] = columns else {
                unreachable!("two columns were asked for")
            };
            let chosen = self.values(values, state);
            self.reason_and_buttons(reason, nurse, chosen)
        })
    }

    /// The reading to correct and its new values; the reading chosen and when it was
    /// measured, if one is.
    fn values(&mut self, ui: &mut Ui, state: &SessionState) -> Option<(u32, crate::clock::Time)> {
        let describe = |id: u32| {
            state
                .reading(id)
                .and_then(|r| r.current())
                .map_or(format!("#{id}"), |v| {
                    format!("#{id} {} - {}", v.at.format("%H:%M"), v.values.brief())
                })
        };
        let label = ui.label("Reading to correct");
        let before = self.reading;
        egui::ComboBox::from_id_salt("reading-to-correct")
            .selected_text(self.reading.map_or("choose a reading".into(), describe))
            .width(ui.available_width())
            .show_ui(ui, |ui| {
                for (id, _) in state.valid_readings().collect::<Vec<_>>().into_iter().rev() {
                    ui.selectable_value(&mut self.reading, Some(id), describe(id));
                }
            })
            .response
            .labelled_by(label.id);
        let current = self
            .reading
            .and_then(|id| state.reading(id))
            .and_then(|r| r.current());
        if self.reading != before
            && let Some(v) = current
        {
            for (vital, text) in &mut self.text {
                *text = v.values.get(vital).map_or(String::new(), format_value);
            }
        }
        let (Some(id), Some(original)) = (self.reading, current) else {
            return None;
        };
        let measured = original.at;
        egui::Grid::new("correct-values")
            .num_columns(2)
            .show(ui, |ui| {
                for (i, (vital, text)) in self.text.iter_mut().enumerate() {
                    ui.vertical(|ui| {
                        let name = format!("Corrected {}", vital.label());
                        let label = ui.add(
                            egui::Label::new(RichText::new(name).size(15.0))
                                .wrap_mode(egui::TextWrapMode::Extend),
                        );
                        ui.add_sized([90.0, theme::TOUCH], egui::TextEdit::singleline(text))
                            .labelled_by(label.id);
                    });
                    if i % 2 == 1 {
                        ui.end_row();
                    }
                }
            });
        Some((id, measured))
    }

    fn reason_and_buttons(
        &mut self,
        ui: &mut Ui,
        nurse: &str,
        chosen: Option<(u32, crate::clock::Time)>,
    ) -> Option<Command> {
        let (id, measured) = chosen?;
        let label = ui.label("Reason for the correction (required)");
        ui.add(egui::TextEdit::singleline(&mut self.reason).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        ui.checkbox(&mut self.checked, "I have checked any unusual value");
        let mut command = None;
        ui.horizontal_wrapped(|ui| {
            if ui
                .add_sized([170.0, theme::TOUCH], egui::Button::new("Save correction"))
                .clicked()
            {
                command = self.amendment(id, measured, nurse);
            }
            if ui
                .add_sized(
                    [190.0, theme::TOUCH],
                    egui::Button::new("Mark entered in error"),
                )
                .clicked()
            {
                command = Some(Command::MarkEnteredInError {
                    reading_id: id,
                    by: nurse.to_string(),
                    reason: self.reason.clone(),
                });
            }
        });
        if let Some(m) = &self.message {
            ui.label(RichText::new(m).color(theme::ERROR_RED).strong());
        }
        command
    }

    fn amendment(&mut self, id: u32, at: crate::clock::Time, nurse: &str) -> Option<Command> {
        let values = match parse_values(&self.text) {
            Ok(values) => values,
            Err(bad) => {
                let what: Vec<String> = bad.into_iter().map(|(_, m)| m).collect();
                self.message = Some(what.join("; "));
                return None;
            }
        };
        Some(Command::AmendReading {
            reading_id: id,
            entry: ReadingEntry {
                at,
                values,
                by: nurse.to_string(),
                source: Source::Manual,
                on_warning: if self.checked {
                    OnWarning::Confirmed
                } else {
                    OnWarning::AskForConfirmation
                },
                on_reject: OnReject::RejectEntry,
                via: Default::default(),
            },
            reason: self.reason.clone(),
        })
    }

    /// The correction was saved.
    pub fn done(&mut self) {
        *self = CorrectForm::default();
    }
}
