//! The desktop window (eframe/egui): a view that sends commands to the core.

pub mod alarms;
pub mod app;
pub mod audit_view;
pub mod correct;
pub mod end;
pub mod entry;
pub mod import;
pub mod input_order;
pub mod limits;
pub mod live;
pub mod monitor;
pub mod notes;
pub mod notes_list;
pub mod readings_table;
pub mod review;
pub mod save_to;
pub mod scores;
pub mod sound;
pub mod start;
pub mod theme;
pub mod tiles;
pub mod trends;

pub use app::{App, PathPicker, PathRequest, PlayerFactory};

/// Opens the window and runs `app` in it until it is closed.
pub fn run(app: App) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Infusion Vitals")
            // A clinic laptop's 1366x768 leaves about 1366x700 under a title bar and a
            // taskbar: the live screen is laid out to fit it, so the window may be that
            // small (a minimum of 700 would not fit that screen at all).
            .with_inner_size([1366.0, 700.0])
            .with_min_inner_size([1024.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native("Infusion Vitals", options, Box::new(|_| Ok(Box::new(app))))
}
