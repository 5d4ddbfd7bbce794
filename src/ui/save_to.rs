//! Where to save a file: a path typed (which works on any machine), or one chosen in the
//! platform's dialog; and what the last save said.

use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

#[derive(Default)]
pub struct SaveTo {
    /// The path as typed, or as the dialog chose it.
    pub path: String,
}

pub enum SaveAsk {
    /// Open the save dialog.
    Choose,
    Save(PathBuf),
}

impl SaveTo {
    /// `hint` shows while nothing is typed; an empty field saves to `default`.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        label: &str,
        hint: &str,
        button: &str,
        default: &Path,
    ) -> Option<SaveAsk> {
        let label = ui.label(label);
        ui.add(
            egui::TextEdit::singleline(&mut self.path)
                .hint_text(hint)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        let mut ask = None;
        ui.horizontal(|ui| {
            if ui
                .add_sized([130.0, theme::TOUCH], egui::Button::new("Choose..."))
                .clicked()
            {
                ask = Some(SaveAsk::Choose);
            }
            if ui
                .add_sized([200.0, theme::TOUCH], egui::Button::new(button))
                .clicked()
            {
                let typed = self.path.trim();
                ask = Some(SaveAsk::Save(if typed.is_empty() {
                    default.to_path_buf()
                } else {
                    PathBuf::from(typed)
                }));
            }
        });
        ask
    }
}

/// What the last save (or other step) said: green when it worked, red when not.
pub fn said(ui: &mut Ui, message: &Option<(bool, String)>) {
    if let Some((ok, text)) = message {
        let color = if *ok {
            theme::OK_GREEN
        } else {
            theme::ERROR_RED
        };
        ui.label(RichText::new(text).color(color).strong());
    }
}
