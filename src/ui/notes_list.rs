//! The side effects and interventions noted so far, newest first, on the live screen:
//! what was given and seen stays in view while the nurse watches the trends.

use crate::session::SessionState;
use crate::session::state::Note;
use egui::{RichText, Ui};

/// Lines shown before the list scrolls: enough for the latest few, little enough to
/// leave the trends their room.
const VISIBLE_LINES: f32 = 3.0;

/// Space above and below the list inside its strip, in points.
const MARGIN: i8 = 4;

/// The notes as a strip along the bottom of `ui` (nothing when there are none). Call it
/// before the rest of `ui`'s content, which then takes the space above.
pub fn ui(ui: &mut Ui, state: &SessionState) {
    let notes = newest_first(state);
    if notes.is_empty() {
        return;
    }
    // The strip's height is worked out here rather than left to its content: a panel
    // sizes itself from the frame before, and a list in a scroll area would only ever
    // take the room that frame gave it.
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let step = line + ui.spacing().item_spacing.y;
    let list = step * (notes.len() as f32).min(VISIBLE_LINES);
    let height = f32::from(MARGIN) * 2.0 + step + list;
    egui::Panel::bottom("notes-list")
        .resizable(false)
        .exact_size(height)
        .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(0, MARGIN)))
        .show(ui, |ui| {
            ui.label(RichText::new("Side effects and interventions").strong());
            egui::ScrollArea::vertical()
                .id_salt("notes-list-scroll")
                .max_height(list)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for (kind, note) in notes {
                        // One line each, the rest on hover: compact, and each note's
                        // time stays at the left edge.
                        ui.add(egui::Label::new(line_text(kind, note)).truncate());
                    }
                });
        });
}

/// "09:12  side effect: nausea: mild (RN-ALVAREZ)".
fn line_text(kind: &str, note: &Note) -> String {
    format!(
        "{}  {kind}: {} ({})",
        note.at.format("%H:%M"),
        note.text,
        note.by
    )
}

/// Side effects and interventions together, the newest first.
fn newest_first(state: &SessionState) -> Vec<(&'static str, &Note)> {
    let mut notes: Vec<(&'static str, &Note)> = state
        .side_effects
        .iter()
        .map(|n| ("side effect", n))
        .chain(state.interventions.iter().map(|n| ("intervention", n)))
        .collect();
    // A stable sort then reversed: of two notes of one kind at the same time, the one
    // noted later comes first.
    notes.sort_by_key(|(_, n)| n.at);
    notes.reverse();
    notes
}
