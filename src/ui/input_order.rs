//! Input taken strictly in the order it was given, whatever the frame rate, and one
//! click for one action.
//!
//! egui hands a frame all the input that arrived since the last one, and the field that
//! has the focus at the start of the frame takes every character in it. On a slow clinic
//! computer a nurse typing `121 Tab 80` can put Tab and the next digits in one frame: the
//! digits then land in the field being left (1218 / 0). So a key that moves the focus
//! (Tab, Enter, Escape) or a press of the pointer (which may focus another field or press
//! a button that changes the screen) gets a frame of its own: what was typed before it
//! is handed on first, what follows waits for the next frame, when the focus has moved.
//! A release of the pointer gets a frame of its own too: a field clicked gains the focus
//! on the release, and what is typed straight after belongs to it. Every form gets this
//! at once.
//!
//! One click, one action: the second click of a double-click (a press within
//! [`theme::ONE_ACTION_S`] of the last, where it was) is dropped with its release. A
//! click that changes the screen often puts another control under the pointer (Pause
//! becomes Resume, "Keep paused" gives way to Stop, "Next patient" to the start screen's
//! fields), and the double-click's second half would act on that. Nothing in this program
//! is meant to be double-clicked.
//!
//! It is an egui plugin rather than eframe's `App::raw_input_hook` so that the same code
//! runs in the window and under egui_kittest. egui calls plugins only for frames that are
//! painted, never while the window is hidden, so what is held is always older than what
//! comes next and order is kept.

use crate::ui::theme;
use egui::{Event, Key, Pos2, RawInput};

/// How far apart (points) two presses may be and still be one double-click.
const SAME_PLACE: f32 = 16.0;

/// The plugin: the input held back for the next frame, and the last press handed on.
#[derive(Default)]
pub struct InputOrder {
    held: Vec<Event>,
    /// When (the frame's input time, s) and where the last press was handed on.
    last_press: Option<(f64, Pos2)>,
    /// A press was dropped as a double-click's second: its release goes too.
    dropping_release: bool,
}

impl InputOrder {
    /// Puts the held input before `input`'s and hands on only what comes before the first
    /// event that moves the focus, or that event alone when it comes first; the rest is
    /// held. A focus move then always starts a frame of its own: egui moves the focus
    /// while the frame is drawn, so characters sharing a frame with a Tab would be taken
    /// by the field after it, and those after it by the field before. Returns whether
    /// something is held (the next frame must then come at once).
    pub fn hold_after_focus_moves(&mut self, input: &mut RawInput) -> bool {
        let mut events = std::mem::take(&mut self.held);
        events.append(&mut input.events);
        let cut = match events.iter().position(moves_focus) {
            Some(0) => 1,
            Some(i) => i,
            None => events.len(),
        };
        self.held = events.split_off(cut);
        input.events = events;
        if let Some(now) = input.time {
            input.events.retain(|e| self.one_click_one_action(e, now));
        }
        !self.held.is_empty()
    }

    /// Whether `event`, handed on at `now`, is kept: not the press of a double-click's
    /// second click, nor that press's release.
    fn one_click_one_action(&mut self, event: &Event, now: f64) -> bool {
        match event {
            Event::PointerButton {
                pressed: true, pos, ..
            } => {
                let second = self.last_press.is_some_and(|(at, place)| {
                    now - at < theme::ONE_ACTION_S && place.distance(*pos) <= SAME_PLACE
                });
                if second {
                    self.dropping_release = true;
                } else {
                    self.last_press = Some((now, *pos));
                }
                !second
            }
            Event::PointerButton { pressed: false, .. } if self.dropping_release => {
                self.dropping_release = false;
                false
            }
            _ => true,
        }
    }
}

/// A key press that moves the focus or submits a form, or a pointer press or release.
fn moves_focus(event: &Event) -> bool {
    matches!(
        event,
        Event::Key {
            key: Key::Tab | Key::Enter | Key::Escape,
            pressed: true,
            ..
        } | Event::PointerButton { .. }
    )
}

/// A field that should have the cursor: asked for before the field is drawn each frame
/// until the field has it. Asked for once only, it can be lost in the same frame: egui
/// may run a frame's input twice (a second layout pass), and the click that opened the
/// screen then reads as a click elsewhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PendingFocus {
    id: Option<egui::Id>,
    /// Select the field's text when it gets the cursor: a refused value, so that what is
    /// typed next replaces it instead of joining it (350 then 190 made 350190).
    select: bool,
}

impl PendingFocus {
    /// The cursor goes to `id`.
    pub fn set(&mut self, id: egui::Id) {
        *self = PendingFocus {
            id: Some(id),
            select: false,
        };
    }

    /// The cursor goes to `id`, its text selected.
    pub fn set_selecting(&mut self, id: egui::Id) {
        *self = PendingFocus {
            id: Some(id),
            select: true,
        };
    }

    /// Before the fields are drawn: asks for the focus, unless the field has it. (Asking
    /// again each frame would interrupt the input method each time, which keeps a real
    /// window busy repainting.)
    pub fn request(&self, ui: &egui::Ui) {
        if let Some(id) = self.id
            && !ui.memory(|m| m.has_focus(id))
        {
            ui.memory_mut(|m| m.request_focus(id));
        }
    }

    /// After a field holding `text` is drawn: once the wanted field holds the focus,
    /// nothing more is asked. (Held by egui, whether or not the window itself has the
    /// keyboard yet: a window that opens in the background gets it later, and the field
    /// keeps it.)
    pub fn check(&mut self, response: &egui::Response, text: &str) {
        if self.id != Some(response.id) || !response.ctx.memory(|m| m.has_focus(response.id)) {
            return;
        }
        if self.select
            && let Some(mut state) = egui::TextEdit::load_state(&response.ctx, response.id)
        {
            let all = egui::text::CCursorRange::select_all_str(text);
            state.cursor.set_char_range(Some(all));
            state.store(&response.ctx, response.id);
        }
        *self = PendingFocus::default();
    }
}

impl egui::Plugin for InputOrder {
    fn debug_name(&self) -> &'static str {
        "InputOrder"
    }

    fn input_hook(&mut self, ctx: &egui::Context, input: &mut RawInput) {
        // The window gives each frame its time; a harness may leave it to egui, which
        // then steps on by the predicted frame time: the same, said here.
        if input.time.is_none() {
            input.time = Some(ctx.input(|i| i.time + f64::from(i.predicted_dt)));
        }
        if self.hold_after_focus_moves(input) {
            ctx.request_repaint();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: Key, pressed: bool) -> Event {
        Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: egui::Modifiers::NONE,
        }
    }

    fn typed(s: &str) -> Vec<Event> {
        s.chars().map(|c| Event::Text(c.to_string())).collect()
    }

    /// The frames the events are handed over in, until nothing is held.
    fn frames(order: &mut InputOrder, arriving: Vec<Vec<Event>>) -> Vec<Vec<Event>> {
        let mut out = Vec::new();
        for events in arriving {
            let mut input = RawInput {
                events,
                ..RawInput::default()
            };
            order.hold_after_focus_moves(&mut input);
            out.push(input.events);
        }
        while !order.held.is_empty() {
            let mut input = RawInput::default();
            order.hold_after_focus_moves(&mut input);
            out.push(input.events);
        }
        out
    }

    fn button(x: f32, pressed: bool) -> Event {
        Event::PointerButton {
            pos: Pos2::new(x, 10.0),
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        }
    }

    /// What is handed on when `events` arrive at `time`, frame after frame, until
    /// nothing is held.
    fn handed_on(order: &mut InputOrder, events: Vec<Event>, time: f64) -> Vec<Event> {
        let mut input = RawInput {
            events,
            time: Some(time),
            ..RawInput::default()
        };
        let mut out = Vec::new();
        loop {
            let held = order.hold_after_focus_moves(&mut input);
            out.append(&mut input.events);
            if !held {
                return out;
            }
            input = RawInput {
                time: Some(time),
                ..RawInput::default()
            };
        }
    }

    #[test]
    fn a_double_clicks_second_click_is_dropped_a_later_or_elsewhere_click_is_not() {
        let mut order = InputOrder::default();
        let click = |x| vec![button(x, true), button(x, false)];
        assert_eq!(handed_on(&mut order, click(50.0), 1.0), click(50.0));
        assert_eq!(
            handed_on(&mut order, click(52.0), 1.3),
            vec![],
            "0.3 s later"
        );
        assert_eq!(
            handed_on(&mut order, click(50.0), 2.5),
            click(50.0),
            "a new click"
        );
        assert_eq!(
            handed_on(&mut order, click(300.0), 2.7),
            click(300.0),
            "another control"
        );
        // Both clicks in one batch, as a slow computer delivers them.
        let mut order = InputOrder::default();
        let both = [click(50.0), click(50.0)].concat();
        assert_eq!(handed_on(&mut order, both, 1.0), click(50.0));
    }

    #[test]
    fn nothing_is_held_without_a_focus_move() {
        let mut order = InputOrder::default();
        assert_eq!(frames(&mut order, vec![typed("121")]), vec![typed("121")]);
    }

    #[test]
    fn what_follows_a_tab_waits_for_the_next_frame_and_order_is_kept() {
        let mut order = InputOrder::default();
        let mut burst = typed("121");
        burst.push(key(Key::Tab, true));
        burst.push(key(Key::Tab, false));
        burst.extend(typed("80"));
        burst.push(key(Key::Tab, true));
        burst.extend(typed("7"));
        let mut later = typed("0");
        later.push(key(Key::Enter, true));
        later.extend(typed("9"));
        let out = frames(&mut order, vec![burst.clone(), later.clone()]);
        assert_eq!(out[0], typed("121"));
        assert_eq!(out[1], vec![key(Key::Tab, true)]);
        // Nothing is lost or reordered, and a focus move is alone in its frame.
        let all: Vec<Event> = out.concat();
        assert_eq!(all, [burst, later].concat());
        for frame in &out {
            if frame.iter().any(moves_focus) {
                assert_eq!(frame.len(), 1, "{frame:?}");
            }
        }
        assert_eq!(out.len(), 7, "{out:?}");
    }
}
