//! Every reading and every score as entered, in the order they were recorded, corrections
//! included: an amended reading shows its original and each correction; one entered in
//! error stays, struck through. A score (MOAA/S, pain NRS) is a row of its own, numbered
//! `A1`, `A2`... as the log numbers assessments apart from readings. Only the rows on
//! screen are laid out, so four hours of one-second readings cost no more than ten.
//!
//! Each column is as wide as its widest words (the score and status columns as their
//! widest in this session), never cut; a table wider than its place scrolls sideways, its
//! header with it.

use crate::session::SessionState;
use crate::session::Vital;
use crate::session::assessment::AssessmentRecord;
use crate::session::events::Doubt;
use crate::session::events::Source;
use crate::session::reading::format_value;
use crate::session::state::ReadingRecord;
use egui::{RichText, Ui};

const HEADER: [&str; 9] = [
    "#", "measured", "BP mmHg", "HR bpm", "SpO2 %", "RR /min", "score", "status", "entered",
];
/// The widest value each of the columns before the score holds (its header may be wider).
const WIDEST: [&str; SCORE] = ["A0000", "00:00:00", "000/000", "000", "100.0", "00.0"];
const SCORE: usize = 6;
const STATUS: usize = 7;
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
    let rows = rows(state);
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
            for &row_at in &rows[visible] {
                let (cells, current) = cells(state, row_at);
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

/// A row of the table: a version of a reading or of a score, by (record, version) index.
#[derive(Clone, Copy)]
enum Row {
    Reading(usize, usize),
    Score(usize, usize),
}

/// Every row, in the order the readings and scores were first recorded (their original
/// events' sequence), each record's corrections under it. Both lists are in recording
/// order already, so they are merged, not sorted: four hours of one-second readings are
/// walked once a frame.
fn rows(state: &SessionState) -> Vec<Row> {
    let (readings, scores) = (&state.readings, &state.assessments);
    let mut rows = Vec::with_capacity(readings.len() + scores.len());
    let (mut r, mut a) = (0, 0);
    loop {
        let reading_next = match (readings.get(r), scores.get(a)) {
            (Some(reading), Some(score)) => reading.versions[0].seq < score.versions[0].seq,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return rows,
        };
        if reading_next {
            rows.extend((0..readings[r].versions.len()).map(|v| Row::Reading(r, v)));
            r += 1;
        } else {
            rows.extend((0..scores[a].versions.len()).map(|v| Row::Score(a, v)));
            a += 1;
        }
    }
}

/// A row's words, and whether it is in force (a superseded or voided version is struck
/// through).
fn cells(state: &SessionState, at: Row) -> ([String; HEADER.len()], bool) {
    let measured = |at: crate::clock::Time| at.format("%H:%M:%S").to_string();
    match at {
        Row::Reading(r, v) => {
            let record = &state.readings[r];
            let version = &record.versions[v];
            let get = |vital| version.values.get(vital).map_or("-".into(), format_value);
            let (status, doubt) = reading_status(record, v);
            let cells = [
                record.id.to_string(),
                measured(version.at),
                format!("{}/{}", get(Vital::Systolic), get(Vital::Diastolic)),
                get(Vital::HeartRate),
                get(Vital::Spo2),
                get(Vital::RespRate),
                String::new(),
                format!("{status}{doubt}"),
                entered(version.entered_at, &version.by, &version.source),
            ];
            (cells, in_force(status))
        }
        Row::Score(a, v) => {
            let record = &state.assessments[a];
            let version = &record.versions[v];
            let (status, _) = score_status(record, v);
            let cells = [
                format!("A{}", record.id),
                measured(version.at),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format!("{} {}", record.scale, version.score),
                status.to_string(),
                entered(version.entered_at, &version.by, &version.source),
            ];
            (cells, in_force(status))
        }
    }
}

/// When, by whom and from where a version was entered: `09:41 by RN Lee - device:...`.
fn entered(at: crate::clock::Time, by: &str, source: &Source) -> String {
    let source = match source {
        Source::Manual => String::new(),
        other => format!(" - {}", other.to_cell()),
    };
    format!("{} by {by}{source}", at.format("%H:%M"))
}

fn in_force(status: &str) -> bool {
    status == FINAL || status == AMENDED
}

const FINAL: &str = "final";
const AMENDED: &str = "amended";

/// What a version of a record is now, from its place among the record's versions and
/// whether the record was entered in error. The words are these literals, which the
/// width measure tells apart by address.
fn version_status(entered_in_error: bool, last: bool, v: usize) -> &'static str {
    match (entered_in_error, last, v) {
        (true, true, _) => "entered in error",
        (false, true, 0) => FINAL,
        (false, true, _) => AMENDED,
        (_, false, _) => "superseded",
    }
}

/// What a version of a reading is now, and what was said of a doubtful value in it.
fn reading_status(record: &ReadingRecord, v: usize) -> (&'static str, &'static str) {
    let last = v + 1 == record.versions.len();
    let status = version_status(record.entered_in_error.is_some(), last, v);
    let doubt = record.versions[v].doubt.as_ref().map_or("", |d: &Doubt| {
        if d.confirmed {
            " (confirmed)"
        } else {
            " (unconfirmed)"
        }
    });
    (status, doubt)
}

/// What a version of a score is now (a score has no doubt: its range is the scale's).
fn score_status(record: &AssessmentRecord, v: usize) -> (&'static str, &'static str) {
    let last = v + 1 == record.versions.len();
    (
        version_status(record.entered_in_error.is_some(), last, v),
        "",
    )
}

/// The widths of the columns up to the status: the widest of the header and what the column
/// holds; for the score and the status, what they hold in this session (a scale's name and
/// a few words of a dozen kinds, measured once each). The last column takes what its words
/// need.
fn widths(ui: &Ui, state: &SessionState, rows: &[Row]) -> [f32; STATUS + 1] {
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
    for &row in rows {
        let kind = match row {
            Row::Reading(r, v) => reading_status(&state.readings[r], v),
            Row::Score(a, v) => score_status(&state.assessments[a], v),
        };
        let same = |k: &(&str, &str)| std::ptr::eq(k.0, kind.0) && std::ptr::eq(k.1, kind.1);
        if !statuses.iter().any(same) {
            statuses.push(kind);
        }
    }
    let widest_status = statuses
        .iter()
        .map(|(s, d)| width(&format!("{s}{d}")))
        .fold(width(HEADER[STATUS]), f32::max);
    // Scores are a few dozen at most; each scale is measured with a two-digit score.
    let mut scales: Vec<&str> = Vec::new();
    for record in &state.assessments {
        if !scales.contains(&record.scale.as_str()) {
            scales.push(&record.scale);
        }
    }
    let widest_score = scales
        .iter()
        .map(|scale| width(&format!("{scale} 00")))
        .fold(width(HEADER[SCORE]), f32::max);
    let mut widths = [0.0; STATUS + 1];
    for (i, w) in widths.iter_mut().enumerate().take(SCORE) {
        *w = width(HEADER[i]).max(width(WIDEST[i]));
    }
    widths[SCORE] = widest_score;
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
