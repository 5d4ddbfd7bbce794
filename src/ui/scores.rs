//! Scored assessments at the chair: for each of the profile's scales (MOAA/S, pain NRS),
//! a row of large buttons, one a score with what it means, so a score is one tap; the
//! time of the assessment is now unless one is typed. The newest score of each scale is
//! said above its buttons.

use crate::alerts::Profile;
use crate::alerts::scales::Scale;
use crate::clock::Time;
use crate::commands::{AssessmentEntry, Command};
use crate::review::wording::assessment_lines;
use crate::session::SessionState;
use crate::session::events::Source;
use crate::ui::entry::parse_time;
use crate::ui::theme;
use egui::{RichText, Ui};

/// Height of a score's button: its number and up to three lines of words.
const TALL_BUTTON: f32 = 60.0;
const SHORT_BUTTON: f32 = 64.0;
/// Meanings longer than this many characters take the tall buttons.
const SHORT_MEANING: usize = 24;
/// The widest a score's button grows, so a short scale's words stay near their number.
const BUTTON_MAX_WIDTH: f32 = 150.0;

#[derive(Default)]
pub struct ScoreForm {
    /// `HH:MM` today; empty means now.
    time: String,
    /// Why the time typed cannot be used.
    pub message: Option<String>,
    /// The score being corrected, its new value as typed, and why.
    correcting: Option<u32>,
    corrected: String,
    reason: String,
}

impl ScoreForm {
    /// The form; the command for the score tapped, if one was.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        profile: &Profile,
        state: &SessionState,
        now: Time,
        nurse: &str,
    ) -> Option<Command> {
        // Both scales' buttons in view on a laptop's screen.
        ui.spacing_mut().item_spacing.y = 4.0;
        let mut tapped = None;
        ui.horizontal(|ui| {
            let label = ui.label("Time of the assessment (HH:MM, empty = now)");
            ui.add_sized(
                [90.0, theme::TOUCH],
                egui::TextEdit::singleline(&mut self.time)
                    .hint_text(now.format("%H:%M").to_string()),
            )
            .labelled_by(label.id);
        });
        if let Some(m) = &self.message {
            ui.label(RichText::new(m).color(theme::ERROR_RED).strong());
        }
        for scale in &profile.scales {
            ui.label(
                RichText::new(format!(
                    "{}: {} - {}",
                    scale.name,
                    scale.title,
                    newest(state, scale)
                ))
                .strong(),
            );
            if let Some(score) = buttons(ui, scale) {
                tapped = Some((scale.name.clone(), score));
            }
        }
        if let Some(command) = self.correction(ui, state, nurse) {
            return Some(command);
        }
        // Every score of the session, newest first, with its words, who gave it and what
        // became of it, as the review and the report list them.
        let clock = |t: &Time| t.format("%H:%M").to_string();
        for line in assessment_lines(state, profile, &clock).into_iter().rev() {
            ui.label(line);
        }
        let (scale, score) = tapped?;
        match parse_time(self.time.trim(), now) {
            Ok(at) => {
                self.message = None;
                self.time.clear();
                Some(Command::RecordAssessment(AssessmentEntry {
                    at,
                    scale,
                    score,
                    by: nurse.to_string(),
                    source: Source::Manual,
                }))
            }
            Err(why) => {
                self.message = Some(format!("Not saved: {why}"));
                None
            }
        }
    }
}

impl ScoreForm {
    /// A score tapped by mistake, corrected with a reason or marked entered in error: the
    /// original stays in the history, as a reading's does.
    fn correction(&mut self, ui: &mut Ui, state: &SessionState, nurse: &str) -> Option<Command> {
        if state.assessments.is_empty() {
            return None;
        }
        ui.add_space(6.0);
        ui.separator();
        let describe = |id: u32| {
            state
                .assessments
                .get((id as usize).wrapping_sub(1))
                .and_then(|a| a.current().map(|v| (a, v)))
                .map_or(format!("#{id}"), |(a, v)| {
                    format!("#{id} {} - {} {}", v.at.format("%H:%M"), a.scale, v.score)
                })
        };
        let mut command = None;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Score to correct");
            egui::ComboBox::from_id_salt("score-to-correct")
                .selected_text(self.correcting.map_or("choose a score".into(), describe))
                .show_ui(ui, |ui| {
                    for a in state
                        .assessments
                        .iter()
                        .rev()
                        .filter(|a| a.current().is_some())
                    {
                        ui.selectable_value(&mut self.correcting, Some(a.id), describe(a.id));
                    }
                })
                .response
                .labelled_by(label.id);
            let label = ui.label("Corrected score");
            ui.add_sized(
                [60.0, theme::TOUCH],
                egui::TextEdit::singleline(&mut self.corrected),
            )
            .labelled_by(label.id);
            let label = ui.label("Reason (required)");
            ui.add_sized(
                [220.0, theme::TOUCH],
                egui::TextEdit::singleline(&mut self.reason),
            )
            .labelled_by(label.id);
            let Some(id) = self.correcting else { return };
            let at = state
                .assessments
                .get((id as usize).wrapping_sub(1))
                .and_then(|a| a.current())
                .map(|v| v.at);
            if ui
                .add_sized(
                    [170.0, theme::TOUCH],
                    egui::Button::new("Save corrected score"),
                )
                .clicked()
                && let Some(at) = at
            {
                match self.corrected.trim().parse::<i32>() {
                    Ok(score) => {
                        command = Some(Command::AmendAssessment {
                            assessment_id: id,
                            at,
                            score,
                            by: nurse.to_string(),
                            reason: self.reason.clone(),
                        });
                    }
                    Err(_) => {
                        self.message = Some(format!(
                            "Not saved: corrected score '{}' is not a whole number",
                            crate::shown::excerpt(self.corrected.trim())
                        ));
                    }
                }
            }
            if ui
                .add_sized(
                    [200.0, theme::TOUCH],
                    egui::Button::new("Mark score entered in error"),
                )
                .clicked()
            {
                command = Some(Command::MarkAssessmentEnteredInError {
                    assessment_id: id,
                    by: nurse.to_string(),
                    reason: self.reason.clone(),
                });
            }
        });
        command
    }

    /// The correction was saved: the next starts afresh.
    pub fn corrected(&mut self) {
        self.correcting = None;
        self.corrected.clear();
        self.reason.clear();
        self.message = None;
    }
}

/// The scale's buttons, wrapping onto more rows on a narrow screen; the score tapped.
fn buttons(ui: &mut Ui, scale: &Scale) -> Option<i32> {
    // Eleven pain scores fit a laptop's row: little room around each word.
    ui.spacing_mut().button_padding = egui::vec2(3.0, 3.0);
    ui.spacing_mut().item_spacing.x = 4.0;
    let count = scale.scores().count().max(1) as f32;
    let spacing = ui.spacing().item_spacing.x;
    // A pixel to spare, so that rounding never pushes the last button onto a row of its
    // own.
    let width = (((ui.available_width() - spacing * (count - 1.0)) / count).floor() - 1.0)
        .clamp(theme::TOUCH, BUTTON_MAX_WIDTH);
    let longest = scale.meanings.iter().map(|m| m.chars().count()).max();
    let tall = longest.unwrap_or(0) > SHORT_MEANING;
    let height = if tall { TALL_BUTTON } else { SHORT_BUTTON };
    let mut tapped = None;
    // Tops aligned, wrapping onto another row on a narrow screen.
    let layout = egui::Layout::left_to_right(egui::Align::Min).with_main_wrap(true);
    ui.with_layout(layout, |ui| {
        for (score, meaning) in scale.scores() {
            // Long words run on after the number, wrapped; a word or two go under it, a
            // word a line (never broken inside a word on a narrow button).
            let (text, wrap) = if tall {
                (format!("{score} - {meaning}"), egui::TextWrapMode::Wrap)
            } else {
                (
                    format!("{score}\n{}", meaning.replace(' ', "\n")),
                    egui::TextWrapMode::Extend,
                )
            };
            let button = egui::Button::new(RichText::new(text).size(12.5)).wrap_mode(wrap);
            let response = ui
                .add_sized([width, height], button)
                .on_hover_text(format!("{} {score}: {meaning}", scale.name));
            if response.clicked() {
                tapped = Some(score);
            }
        }
    });
    tapped
}

/// The newest valid score of the scale, as "last: 4 (lethargic ...) at 09:40", or that
/// there is none yet.
fn newest(state: &SessionState, scale: &Scale) -> String {
    let newest = state
        .assessments
        .iter()
        .filter(|a| a.scale == scale.name)
        .filter_map(|a| a.current())
        .max_by_key(|v| v.at);
    match newest {
        Some(v) => format!(
            "last: {} ({}) at {}",
            v.score,
            scale.meaning(v.score).unwrap_or_default(),
            v.at.format("%H:%M")
        ),
        None => "no score yet".into(),
    }
}
