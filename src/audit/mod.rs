//! Auditing folders of session logs: is each file a log, is it intact, and did the
//! session follow the protocol. `checks` is pure (the core's kind of code); `file` and
//! `walk` read the files; `report` writes what was found.

pub mod checks;
pub mod file;
pub mod report;
pub mod trusted;
pub mod walk;
