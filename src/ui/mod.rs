//! The desktop window (eframe/egui): a view that sends commands to the core.

pub mod alarms;
pub mod app;
pub mod audit_view;
pub mod correct;
pub mod end;
pub mod entry;
pub mod import;
pub mod key_order;
pub mod limits;
pub mod live;
pub mod notes;
pub mod notes_list;
pub mod readings_table;
pub mod review;
pub mod save_to;
pub mod sound;
pub mod start;
pub mod theme;
pub mod tiles;
pub mod trends;

pub use app::{App, PathPicker, PathRequest, PlayerFactory};

pub fn run(app: App) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Infusion Vitals")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([1024.0, 700.0]),
        ..Default::default()
    };
    eframe::run_native("Infusion Vitals", options, Box::new(|_| Ok(Box::new(app))))
}
