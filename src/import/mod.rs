//! Importing readings from other programs' CSV files into a session.
//!
//! Reading never fails because of one row: it returns the readings it could read and a
//! problem for each value or row it could not. Only a file that cannot be read at all,
//! or whose times cannot be placed without a guess, is refused whole, and the refusal
//! names the flag (or the question in the window) that settles it.

pub mod columns;
pub mod layout;
pub mod plan;
pub mod probe;
pub mod reader;
pub mod session;
pub mod stamp;
pub mod summary;
pub mod times;
pub mod values;

pub use plan::{Answers, Plan, Question, Refusal};
pub use reader::{LineProblem, Opened, Parsed, ParsedRow};
pub use session::{ImportOptions, ImportReport, import_session};

use crate::clock::Clock;
use crate::commands::EventStore;
use crate::import::columns::ColumnTable;
use crate::import::session::ImportError;

/// A finished import: how the file was read, and the session it gave.
pub struct Imported {
    pub opened: Opened,
    pub plan: Plan,
    pub report: ImportReport,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// The file cannot be read, or needs answers first.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// It was read, but no session could be made of it.
    #[error(transparent)]
    Failed(#[from] ImportError),
}

/// Reads a file's bytes with the user's answers into an imported session, reporting
/// progress (bytes read, total) as it goes.
pub fn import_bytes(
    bytes: Vec<u8>,
    answers: &Answers,
    options: ImportOptions,
    clock: &dyn Clock,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Imported, ImportFailure> {
    import_bytes_to(bytes, answers, options, clock, progress, None)
}

/// [`import_bytes`], each event of the session going to `store` as it is made.
pub fn import_bytes_to(
    bytes: Vec<u8>,
    answers: &Answers,
    options: ImportOptions,
    clock: &dyn Clock,
    progress: &mut dyn FnMut(u64, u64),
    store: Option<Box<dyn EventStore + Send>>,
) -> Result<Imported, ImportFailure> {
    let opened = Opened::new(bytes, ColumnTable::built_in())?;
    let plan = opened.plan(answers)?;
    let report = import_opened(&opened, &plan, options, clock, progress, store)?;
    Ok(Imported {
        opened,
        plan,
        report,
    })
}

/// Reads an opened file by a plan already decided (the window's guided import).
pub fn import_opened(
    opened: &Opened,
    plan: &Plan,
    options: ImportOptions,
    clock: &dyn Clock,
    progress: &mut dyn FnMut(u64, u64),
    store: Option<Box<dyn EventStore + Send>>,
) -> Result<ImportReport, ImportError> {
    let parsed = opened.read(plan, &options.profile, progress);
    import_session(parsed, options, clock, store)
}
