//! Where to save a file: a path typed (which works on any machine), or one chosen in the
//! platform's dialog; and what the last save said. The sealed log's export (the End tab)
//! and the review's PDF report share it, so both ask before they destroy: a path is
//! checked before anything is written, a file already there is replaced only after the
//! person says Replace, a file that must never be written over (the session's journal,
//! the log under review) is refused, and the message names the full path written.

use crate::ui::theme;
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};

/// The path field, the question about a file already there, and the last message.
#[derive(Default)]
pub struct SaveTo {
    /// The path as typed, or as the dialog chose it.
    pub path: String,
    /// A file already at the path asked for, waiting for Replace or Cancel; with the
    /// field's text it was asked for, so a path typed or chosen since drops the question.
    replace: Option<(String, PathBuf)>,
    /// What the last save or refusal said: whether it worked, and the words.
    message: Option<(bool, String)>,
    /// The question or message is new: scroll it into view once. It appears under the
    /// buttons, which in a short panel is below the fold, where nobody would see it.
    reveal: bool,
}

/// What one save form is for.
pub struct SaveForm<'a> {
    /// The field's label, e.g. "Save the log to (path)".
    pub label: &'a str,
    /// Shown in the empty field.
    pub hint: &'a str,
    /// The save button's text.
    pub button: &'a str,
    /// What is saved, for the messages, e.g. "Sealed log".
    pub what: &'a str,
    /// Where an empty field saves (a place the hint names, e.g. beside the log), or
    /// `None`: an empty field is refused rather than saved somewhere unsaid.
    pub default: Option<&'a Path>,
    /// Files never to be written over, with what each is (e.g. the session's journal).
    pub keep: &'a [(&'a Path, &'a str)],
}

pub enum SaveAsk {
    /// Open the save dialog.
    Choose,
    /// Write here: an absolute path in a folder that exists, not a kept file, and, if a
    /// file was there, the person chose to replace it.
    Save(PathBuf),
}

impl SaveTo {
    pub fn ui(&mut self, ui: &mut Ui, form: &SaveForm) -> Option<SaveAsk> {
        let label = ui.label(form.label);
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut self.path)
                    .hint_text(form.hint)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        if field.changed() {
            // What was said was about the path before this edit.
            self.message = None;
        }
        if self
            .replace
            .as_ref()
            .is_some_and(|(typed, _)| *typed != self.path)
        {
            self.replace = None;
        }
        let mut ask = None;
        ui.horizontal(|ui| {
            if ui
                .add_sized([130.0, theme::TOUCH], egui::Button::new("Choose..."))
                .clicked()
            {
                ask = Some(SaveAsk::Choose);
            }
            if ui
                .add_sized([200.0, theme::TOUCH], egui::Button::new(form.button))
                .clicked()
            {
                self.replace = None;
                self.message = None;
                self.reveal = true;
                match target(&self.path, form) {
                    Err(why) => self.message = Some((false, why)),
                    // Anything there counts, a dangling link included: the save would
                    // replace it.
                    Ok(path) if path.symlink_metadata().is_ok() => {
                        self.replace = Some((self.path.clone(), path))
                    }
                    Ok(path) => ask = Some(SaveAsk::Save(path)),
                }
            }
        });
        if let Some((_, path)) = &self.replace {
            let mut answer = None;
            let asked = ui.group(|ui| {
                let question = format!("{} exists: Replace it?", path.display());
                ui.label(
                    RichText::new(question)
                        .color(theme::priority_color(
                            crate::session::events::Priority::Medium,
                        ))
                        .strong(),
                );
                ui.horizontal(|ui| {
                    if ui
                        .add_sized([130.0, theme::TOUCH], egui::Button::new("Replace"))
                        .clicked()
                    {
                        answer = Some(true);
                    }
                    if ui
                        .add_sized([130.0, theme::TOUCH], egui::Button::new("Cancel"))
                        .clicked()
                    {
                        answer = Some(false);
                    }
                });
            });
            if std::mem::take(&mut self.reveal) {
                asked.response.scroll_to_me(Some(egui::Align::BOTTOM));
            }
            match answer {
                Some(true) => ask = self.replace.take().map(|(_, path)| SaveAsk::Save(path)),
                Some(false) => self.replace = None,
                None => {}
            }
        }
        if let Some(shown) = said(ui, &self.message)
            && std::mem::take(&mut self.reveal)
        {
            shown.scroll_to_me(Some(egui::Align::BOTTOM));
        }
        ask
    }

    /// The file was written to `path` (or not): says so, naming the full path.
    pub fn saved(&mut self, path: &Path, what: &str, result: std::io::Result<()>) {
        self.message = Some(match result {
            Ok(()) => (true, format!("{what} saved to {}", path.display())),
            Err(e) => (false, format!("NOT SAVED to {}: {e}", path.display())),
        });
        self.reveal = true;
    }
}

/// Where a save asked for with the field's `typed` text goes, or why it cannot: the full
/// path (its folder resolved, so the message says exactly where), before anything is
/// written.
pub fn target(typed: &str, form: &SaveForm) -> Result<PathBuf, String> {
    let typed = typed.trim();
    let asked = match (typed.is_empty(), form.default) {
        (false, _) => PathBuf::from(typed),
        (true, Some(default)) => default.to_path_buf(),
        (true, None) => {
            return Err(format!(
                "Not saved: no path. Type where to save the {} (folder and file name), or \
                 press Choose...",
                form.what.to_lowercase()
            ));
        }
    };
    let Some(name) = asked.file_name() else {
        return Err(format!(
            "Not saved: '{}' names no file; add a file name",
            asked.display()
        ));
    };
    let folder = match asked.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        // A bare name lands in the folder the program runs in: said in full below.
        _ => Path::new("."),
    };
    let folder = folder.canonicalize().map_err(|e| {
        let shown = std::path::absolute(folder).unwrap_or_else(|_| folder.to_path_buf());
        format!(
            "Not saved: the folder {} cannot be used ({e})",
            shown.display()
        )
    })?;
    let path = folder.join(name);
    if path.is_dir() {
        return Err(format!(
            "Not saved: {} is a folder; add a file name",
            path.display()
        ));
    }
    // Through links too: a link to the journal is the journal.
    let resolved = path.canonicalize().unwrap_or_else(|_| path.clone());
    for (kept, what) in form.keep {
        let kept = kept
            .canonicalize()
            .or_else(|_| std::path::absolute(kept))
            .unwrap_or_else(|_| kept.to_path_buf());
        if kept == resolved {
            return Err(format!(
                "Not saved: {} is {what}; save to another file",
                path.display()
            ));
        }
    }
    Ok(path)
}

/// What the last save (or other step) said: green when it worked, red when not; the
/// label, if anything was said.
pub fn said(ui: &mut Ui, message: &Option<(bool, String)>) -> Option<egui::Response> {
    let (ok, text) = message.as_ref()?;
    let color = if *ok {
        theme::OK_GREEN
    } else {
        theme::ERROR_RED
    };
    Some(ui.label(RichText::new(text).color(color).strong()))
}
