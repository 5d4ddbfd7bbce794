//! Look and feel for a dimmed infusion room: dark and high-contrast by default, large
//! numbers, touch targets of at least 44 px, priorities told apart by colour and text.

use crate::session::events::Priority;
use egui::{Color32, FontId, TextStyle, Vec2};

/// Minimum size of anything a gloved finger must hit.
pub const TOUCH: f32 = 44.0;
/// Current values, readable from 2 m.
pub const VALUE_SIZE: f32 = 56.0;

pub fn apply(ctx: &egui::Context, dark: bool) {
    ctx.set_visuals(if dark {
        let mut v = egui::Visuals::dark();
        v.panel_fill = Color32::from_gray(14);
        v.window_fill = Color32::from_gray(20);
        v.override_text_color = Some(Color32::from_gray(235));
        // Fields must stand out from the panel in a dark room.
        v.extreme_bg_color = Color32::from_gray(45);
        v.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, Color32::from_gray(110));
        v
    } else {
        egui::Visuals::light()
    });
    ctx.all_styles_mut(|style| {
        // A steady cursor: a blinking one repaints the whole window twice a second for
        // as long as a field has the focus, which is always at the chair.
        style.visuals.text_cursor.blink = false;
        style.spacing.interact_size = Vec2::new(TOUCH, TOUCH);
        style.spacing.button_padding = Vec2::new(14.0, 10.0);
        style.spacing.item_spacing = Vec2::new(10.0, 8.0);
        for (text_style, font) in [
            (TextStyle::Body, FontId::proportional(18.0)),
            (TextStyle::Button, FontId::proportional(18.0)),
            (TextStyle::Heading, FontId::proportional(24.0)),
            (TextStyle::Small, FontId::proportional(14.0)),
            (TextStyle::Monospace, FontId::monospace(17.0)),
        ] {
            style.text_styles.insert(text_style, font);
        }
    });
}

/// The button that switches between the dark and the light theme.
pub fn toggle(ui: &mut egui::Ui, dark: &mut bool) {
    let other = if *dark { "Light theme" } else { "Dark theme" };
    if ui.button(other).clicked() {
        *dark = !*dark;
    }
}

/// IEC 60601-1-8-style colours: high red, medium yellow, low cyan.
pub fn priority_color(p: Priority) -> Color32 {
    match p {
        Priority::High => Color32::from_rgb(230, 40, 40),
        Priority::Medium => Color32::from_rgb(245, 205, 0),
        Priority::Low => Color32::from_rgb(0, 200, 225),
    }
}

/// Text that reads on top of a priority colour.
pub fn on_priority(p: Priority) -> Color32 {
    match p {
        Priority::High => Color32::WHITE,
        Priority::Medium | Priority::Low => Color32::BLACK,
    }
}

/// Whether an unacknowledged alarm's colour is lit at `time` seconds: high flashes at
/// about 2 Hz, medium at about 0.5 Hz, low is steady.
pub fn lit(p: Priority, time: f64) -> bool {
    match p {
        Priority::High => (time * 2.0).fract() < 0.5,
        Priority::Medium => (time * 0.5).fract() < 0.5,
        Priority::Low => true,
    }
}

/// Seconds from `time` until an unacknowledged alarm of priority `p` next turns on or
/// off (see [`lit`]): when the window must be painted again for the flash. None for a
/// steady (low) alarm.
pub fn next_flash_change(p: Priority, time: f64) -> Option<f64> {
    let half_period = match p {
        Priority::High => 0.25,
        Priority::Medium => 1.0,
        Priority::Low => return None,
    };
    Some(half_period - time.rem_euclid(half_period))
}

/// Seconds after a press during which another at the same place is taken for a
/// double-click's second and dropped (`ui::input_order`): it would land on whatever
/// replaced the first click's control.
pub const ONE_ACTION_S: f64 = 1.0;

pub const OK_GREEN: Color32 = Color32::from_rgb(60, 200, 90);
pub const ERROR_RED: Color32 = Color32::from_rgb(255, 90, 90);

/// `text` wrapped in the width left, in at most `rows` rows; the rest is cut with "…" and
/// shown whole on hover (a screen reader gets it whole too). A message in a slot of fixed
/// size keeps to it instead of pushing the controls after it out of view.
pub fn label_in_rows(
    ui: &mut egui::Ui,
    text: impl Into<egui::WidgetText>,
    rows: usize,
) -> egui::Response {
    let mut job =
        text.into()
            .into_layout_job(ui.style(), egui::FontSelection::Default, ui.text_valign());
    std::sync::Arc::make_mut(&mut job).wrap.max_rows = rows;
    ui.add(egui::Label::new(job).wrap())
}

/// A button that shows `shown` and is named `name` to a screen reader (and to tests):
/// "Acknowledge" on an alarm's card, which says which alarm, is "Acknowledge alarm 3" to
/// someone who cannot see the card. At least a touch target in size.
pub fn named_button(ui: &mut egui::Ui, shown: &str, name: &str) -> egui::Response {
    let response = ui.add(egui::Button::new(shown).min_size(egui::vec2(TOUCH, TOUCH)));
    let enabled = ui.is_enabled();
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, name));
    response
}
