//! Every reading as entered, corrections included: an amended reading shows its original
//! and each correction; one entered in error stays, struck through.

use crate::session::SessionState;
use crate::session::events::Source;
use crate::session::reading::format_value;
use egui::{RichText, Ui};

pub fn ui(ui: &mut Ui, state: &SessionState) {
    egui::ScrollArea::vertical()
        .id_salt("readings-table")
        .max_height(ui.available_height())
        .stick_to_bottom(true)
        .show(ui, |ui| {
            egui::Grid::new("readings")
                .striped(true)
                .num_columns(7)
                .show(ui, |ui| {
                    for title in [
                        "#", "measured", "BP mmHg", "HR bpm", "SpO2 %", "status", "entered",
                    ] {
                        ui.label(RichText::new(title).strong());
                    }
                    ui.end_row();
                    for record in &state.readings {
                        let last = record.versions.len() - 1;
                        for (i, v) in record.versions.iter().enumerate() {
                            let status = match (&record.entered_in_error, i == last, i) {
                                (Some(_), true, _) => "entered in error",
                                (None, true, 0) => "final",
                                (None, true, _) => "amended",
                                (_, false, _) => "superseded",
                            };
                            let current = i == last && record.entered_in_error.is_none();
                            let cell = |text: String| {
                                let t = RichText::new(text);
                                if current { t } else { t.strikethrough().weak() }
                            };
                            let get = |vital| v.values.get(vital).map_or("-".into(), format_value);
                            ui.label(cell(record.id.to_string()));
                            ui.label(cell(v.at.format("%H:%M:%S").to_string()));
                            ui.label(cell(format!(
                                "{}/{}",
                                get(crate::session::Vital::Systolic),
                                get(crate::session::Vital::Diastolic)
                            )));
                            ui.label(cell(get(crate::session::Vital::HeartRate)));
                            ui.label(cell(get(crate::session::Vital::Spo2)));
                            let doubt = v.doubt.as_ref().map_or("", |d| {
                                if d.confirmed {
                                    " (confirmed)"
                                } else {
                                    " (unconfirmed)"
                                }
                            });
                            ui.label(cell(format!("{status}{doubt}")));
                            let source = match &v.source {
                                Source::Manual => String::new(),
                                other => format!(" - {}", other.to_cell()),
                            };
                            ui.label(cell(format!(
                                "{} by {}{source}",
                                v.entered_at.format("%H:%M"),
                                v.by
                            )));
                            ui.end_row();
                        }
                    }
                });
        });
}
