//! Every reading as entered, corrections included: an amended reading shows its original
//! and each correction; one entered in error stays, struck through. Only the rows on
//! screen are laid out, so four hours of one-second readings cost no more than ten.

use crate::session::SessionState;
use crate::session::Vital;
use crate::session::events::Source;
use crate::session::reading::format_value;
use egui::{RichText, Ui};

const WIDTHS: [f32; 7] = [36.0, 80.0, 84.0, 72.0, 72.0, 130.0, 200.0];
const ROW_HEIGHT: f32 = 26.0;

pub fn ui(ui: &mut Ui, state: &SessionState) {
    row(
        ui,
        [
            "#", "measured", "BP mmHg", "HR bpm", "SpO2 %", "status", "entered",
        ]
        .map(|t| RichText::new(t).strong()),
    );
    // (reading index, version index) of every row, oldest first.
    let rows: Vec<(usize, usize)> = state
        .readings
        .iter()
        .enumerate()
        .flat_map(|(r, record)| (0..record.versions.len()).map(move |v| (r, v)))
        .collect();
    egui::ScrollArea::vertical()
        .id_salt("readings-table")
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        .show_rows(ui, ROW_HEIGHT, rows.len(), |ui, visible| {
            for &(r, v) in &rows[visible] {
                let record = &state.readings[r];
                let version = &record.versions[v];
                let last = v + 1 == record.versions.len();
                let status = match (&record.entered_in_error, last, v) {
                    (Some(_), true, _) => "entered in error",
                    (None, true, 0) => "final",
                    (None, true, _) => "amended",
                    (_, false, _) => "superseded",
                };
                let current = last && record.entered_in_error.is_none();
                let get = |vital| version.values.get(vital).map_or("-".into(), format_value);
                let doubt = version.doubt.as_ref().map_or("", |d| {
                    if d.confirmed {
                        " (confirmed)"
                    } else {
                        " (unconfirmed)"
                    }
                });
                let source = match &version.source {
                    Source::Manual => String::new(),
                    other => format!(" - {}", other.to_cell()),
                };
                let cells = [
                    record.id.to_string(),
                    version.at.format("%H:%M:%S").to_string(),
                    format!("{}/{}", get(Vital::Systolic), get(Vital::Diastolic)),
                    get(Vital::HeartRate),
                    get(Vital::Spo2),
                    format!("{status}{doubt}"),
                    format!(
                        "{} by {}{source}",
                        version.entered_at.format("%H:%M"),
                        version.by
                    ),
                ];
                row(
                    ui,
                    cells.map(|text| {
                        let t = RichText::new(text);
                        if current { t } else { t.strikethrough().weak() }
                    }),
                );
            }
        });
}

fn row(ui: &mut Ui, cells: [RichText; 7]) {
    ui.horizontal(|ui| {
        ui.set_height(ROW_HEIGHT);
        for (cell, width) in cells.into_iter().zip(WIDTHS) {
            ui.add_sized([width, ROW_HEIGHT], egui::Label::new(cell).truncate());
        }
    });
}
