//! Infusion Vitals: vital signs at the chair during IV ketamine infusion.
//!
//! The core (`session`, `alerts`, `schedule`, `commands`, `chair`) knows nothing about files, the
//! wall clock or any GUI; `log`, `import` and `cli` are the formats and files around it.
//! `docs/ARCHITECTURE.md` is the map.

pub mod alerts;
pub mod audit;
pub mod capture;
pub mod chair;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod data_dir;
pub mod demo;
pub mod fault_log;
pub mod fhir;
pub mod hl7;
pub mod import;
pub mod journal;
pub mod log;
pub mod profiles;
pub mod report;
pub mod review;
pub mod sample_session;
pub mod schedule;
pub mod seal_key;
pub mod session;
pub mod shown;
pub mod ui;

pub use chrono;
