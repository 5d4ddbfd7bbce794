//! The command-line tools. Each returns the process exit code; `main` only parses
//! arguments and dispatches.

pub mod audit;
pub mod capture;
pub mod check;
pub mod export;
pub mod import;
pub mod key;
pub mod recover;
pub mod report;

/// Exit codes shared by the commands.
pub mod exit {
    /// Everything was clean (import) or intact (check).
    pub const OK: i32 = 0;
    /// Done, but something was rejected (import) or not intact (check).
    pub const PROBLEMS: i32 = 1;
    /// Nothing was written: usage error, unreadable or refused file.
    pub const NOTHING_WRITTEN: i32 = 2;
}
