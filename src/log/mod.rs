//! The session log: one sealed CSV file per session, the file clinicians and auditors
//! receive. `docs/session-log-format.md` is its specification.
//!
//! Writing and reading share one mapping between events and rows (`rows`), so a log
//! opened for review folds into exactly the session that wrote it.

pub mod cells;
pub mod columns;
pub mod content;
pub mod file;
pub mod read;
pub mod rows;
pub mod seal;
pub mod stream;
pub mod write;

pub use read::{LogError, SealedLog, read_log};
pub use write::write_log;
