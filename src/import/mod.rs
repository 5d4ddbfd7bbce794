//! Importing readings from files into a session.
//!
//! Parsing never fails because of one row: it returns the readings it could read and a
//! problem for each value or row it could not. Only a file that cannot be read at all,
//! or whose times cannot be placed without a guess, is refused whole.

pub mod readings_csv;
pub mod session;
pub mod times;

pub use readings_csv::{LineProblem, Parsed, ParsedRow, Refusal};
pub use session::{ImportOptions, ImportReport, import_session};
