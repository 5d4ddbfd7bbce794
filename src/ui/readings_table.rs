//! Every reading as entered, corrections included: an amended reading shows its original
//! and each correction; one entered in error stays, struck through. Only the rows on
//! screen are laid out, so four hours of one-second readings cost no more than ten.
//!
//! Each column is as wide as its widest words (the status column as its widest status in
//! this session), never cut; a table wider than its place scrolls sideways, its header
//! with it.

use crate::session::SessionState;
use crate::session::Vital;
use crate::session::events::Source;
use crate::session::reading::format_value;
use crate::session::state::ReadingRecord;
use egui::{RichText, Ui};

const HEADER: [&str; 8] = [
    "#", "measured", "BP mmHg", "HR bpm", "SpO2 %", "RR /min", "status", "entered",
];
/// The widest value each of the columns before the status holds (its header may be
/// wider).
const WIDEST: [&str; STATUS] = ["0000", "00:00:00", "000/000", "000", "100.0", "00.0"];
const STATUS: usize = 6;
/// A row's height and pitch: rows touch, as in a spreadsheet, so a short screen shows one
/// more.
const ROW_HEIGHT: f32 = 25.0;

/// The height the table asks for: its header and two readings.
pub const WANTED_HEIGHT: f32 = 3.0 * ROW_HEIGHT;

/// The table in the height left in `ui`, never more: what is below it (the notes' strip)
/// is never drawn over. With no room for its header and a row it is left out.
pub fn ui(ui: &mut Ui, state: &SessionState) {
    if ui.available_height() < 2.0 * ROW_HEIGHT {
        return;
    }
    ui.spacing_mut().item_spacing.y = 0.0;
    // (reading index, version index) of every row, oldest first.
    let rows: Vec<(usize, usize)> = state
        .readings
        .iter()
        .enumerate()
        .flat_map(|(r, record)| (0..record.versions.len()).map(move |v| (r, v)))
        .collect();
    let widths = widths(ui, state, &rows);
    // The header's place; drawn after the rows, so that it follows their sideways scroll.
    let (header_rect, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), ROW_HEIGHT),
        egui::Sense::hover(),
    );
    let body = egui::ScrollArea::both()
        .id_salt("readings-table")
        .stick_to_bottom(true)
        .auto_shrink([false, false])
        .min_scrolled_height(0.0)
        .show_rows(ui, ROW_HEIGHT, rows.len(), |ui, visible| {
            for &(r, v) in &rows[visible] {
                let record = &state.readings[r];
                let version = &record.versions[v];
                let last = v + 1 == record.versions.len();
                let current = last && record.entered_in_error.is_none();
                let get = |vital| version.values.get(vital).map_or("-".into(), format_value);
                let (status, doubt) = status(record, v);
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
                    get(Vital::RespRate),
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
                    &widths,
                );
            }
        });
    // Where the rows are drawn, rubber-banding past an edge included.
    let offset = body.state.unclamped_offset().x;
    let mut header = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(header_rect.translate(egui::vec2(-offset, 0.0)))
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    header.set_clip_rect(header_rect.intersect(ui.clip_rect()));
    row(
        &mut header,
        HEADER.map(|t| RichText::new(t).strong()),
        &widths,
    );
}

/// What a version of a reading is now, and what was said of a doubtful value in it.
fn status(record: &ReadingRecord, v: usize) -> (&'static str, &'static str) {
    let last = v + 1 == record.versions.len();
    let status = match (&record.entered_in_error, last, v) {
        (Some(_), true, _) => "entered in error",
        (None, true, 0) => "final",
        (None, true, _) => "amended",
        (_, false, _) => "superseded",
    };
    let doubt = record.versions[v].doubt.as_ref().map_or("", |d| {
        if d.confirmed {
            " (confirmed)"
        } else {
            " (unconfirmed)"
        }
    });
    (status, doubt)
}

/// The widths of the columns up to the status: the widest of the header and what the column
/// holds; for the status, what it holds in this session (a few words of a dozen kinds,
/// measured once each). The last column takes what its words need.
fn widths(ui: &Ui, state: &SessionState, rows: &[(usize, usize)]) -> [f32; STATUS + 1] {
    let width = |text: &str| {
        let font = egui::TextStyle::Body.resolve(ui.style());
        ui.fonts_mut(|f| {
            f.layout_no_wrap(text.to_string(), font, egui::Color32::WHITE)
                .size()
                .x
        })
        // A pixel's rounding either side.
        .ceil()
            + 2.0
    };
    // A dozen kinds among thousands of rows: told apart by where their words live (each
    // is a literal), not by comparing the words, which took a quarter of a 4-hour
    // session's frame. A kind seen twice under two addresses is only measured twice.
    let mut statuses: Vec<(&str, &str)> = Vec::new();
    for &(r, v) in rows {
        let kind = status(&state.readings[r], v);
        let same = |k: &(&str, &str)| std::ptr::eq(k.0, kind.0) && std::ptr::eq(k.1, kind.1);
        if !statuses.iter().any(same) {
            statuses.push(kind);
        }
    }
    let widest_status = statuses
        .iter()
        .map(|(s, d)| width(&format!("{s}{d}")))
        .fold(width(HEADER[STATUS]), f32::max);
    let mut widths = [0.0; STATUS + 1];
    for (i, w) in widths.iter_mut().enumerate().take(STATUS) {
        *w = width(HEADER[i]).max(width(WIDEST[i]));
    }
    widths[STATUS] = widest_status;
    widths
}

/// One row, exactly `ROW_HEIGHT` high: the height the scroll area counts rows by.
fn row(ui: &mut Ui, cells: [RichText; HEADER.len()], widths: &[f32; STATUS + 1]) {
    let size = egui::vec2(ui.available_width(), ROW_HEIGHT);
    let layout = egui::Layout::left_to_right(egui::Align::Center);
    ui.allocate_ui_with_layout(size, layout, |ui| {
        let [fixed @ .., last] = cells;
        for (cell, width) in fixed.into_iter().zip(widths) {
            ui.add_sized([*width, ROW_HEIGHT], egui::Label::new(cell).extend());
        }
        ui.add(egui::Label::new(last).extend());
    });
}
