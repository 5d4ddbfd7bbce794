//! Turns parsed rows into a session: every reading validated, in time order, with the
//! alert engine run after each as if the nurse had entered it then. What cannot be kept
//! is recorded in the session too, so the log itself says what was dropped.

use crate::alerts::Profile;
use crate::clock::{Clock, Time};
use crate::commands::{
    Command, CommandError, EventStore, OnReject, OnWarning, ReadingEntry, Session,
};
use crate::import::reader::{LineProblem, Parsed, ParsedRow, SetAside};
use crate::session::Vital;
use crate::session::events::{Priority, Protocol, SessionInfo, Source};
use crate::session::validate::{Field, Problem, Severity};
use std::collections::BTreeMap;

pub struct ImportOptions {
    /// How the file is named in each reading's source (`import:FILE:LINE`).
    pub file_label: String,
    pub patient_id: String,
    /// Who imported; recorded as the author of every imported event.
    pub by: String,
    pub profile: Profile,
}

pub struct ImportReport {
    pub session: Session,
    pub rows_read: usize,
    pub readings_written: usize,
    /// Values and rows rejected, by line.
    pub rejected: Vec<LineProblem>,
    /// Warning-tier values kept unconfirmed, by line.
    pub unconfirmed: Vec<LineProblem>,
    pub empty_rows: usize,
    pub repeated_headers: Vec<u64>,
    pub set_aside: BTreeMap<SetAside, (usize, u64)>,
    pub streams: Vec<(Vital, f64)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file has a header but no rows of readings")]
    NoRows,
    #[error(
        "no reading could be kept: every row of the {rows_read} read was rejected (see the messages above)"
    )]
    NothingKept {
        rows_read: usize,
        rejected: Vec<LineProblem>,
    },
    #[error("the imported session could not be completed: {0}")]
    Session(#[from] CommandError),
}

impl ImportError {
    /// Problems found before the import gave up, by line.
    pub fn rejected(&self) -> &[LineProblem] {
        match self {
            ImportError::NothingKept { rejected, .. } => rejected,
            _ => &[],
        }
    }
}

/// Builds the session; with a `store`, each event goes to it as it is made (the log
/// is written while the session is still being built).
pub fn import_session(
    parsed: Parsed,
    options: ImportOptions,
    clock: &dyn Clock,
    store: Option<Box<dyn EventStore + Send>>,
) -> Result<ImportReport, ImportError> {
    let Parsed {
        mut rows,
        problems: mut rejected,
        rows_read,
        empty_rows,
        repeated_headers,
        set_aside,
        streams,
    } = parsed;
    if rows_read == 0 {
        return Err(ImportError::NoRows);
    }
    // Stable: rows with the same time keep the file's order.
    rows.sort_by_key(|r| r.at);
    let entered_at = clock.now();
    // A row from the future is rejected by validation; it must not open the session.
    let opened_at = rows
        .iter()
        .map(|r| r.at)
        .find(|at| *at <= entered_at)
        .or_else(|| rows.first().map(|r| r.at));
    let Some(opened_at) = opened_at else {
        return Err(ImportError::NothingKept {
            rows_read,
            rejected,
        });
    };
    let info = SessionInfo {
        patient_id: options.patient_id,
        weight_kg: None,
        protocol: Protocol::default(),
        profile_name: options.profile.name.clone(),
        profile_version: options.profile.version.clone(),
    };
    let whole_file = Source::Imported {
        file: options.file_label.clone(),
        line: 0,
    };
    let mut session = match store {
        Some(store) => Session::open_from_stored(
            options.profile,
            info,
            opened_at,
            &options.by,
            whole_file.clone(),
            store,
            clock,
        )?,
        None => Session::open_from(
            options.profile,
            info,
            opened_at,
            &options.by,
            whole_file.clone(),
            clock,
        ),
    };
    let mut unconfirmed = Vec::new();
    let mut last_kept: Option<Time> = None;
    let mut readings_written = 0;
    for row in rows {
        let at_line = |problems: Vec<Problem>| {
            problems
                .into_iter()
                .map(|problem| LineProblem {
                    line: row.line,
                    problem,
                })
                .collect::<Vec<_>>()
        };
        match session.apply(reading(&row, &options.by, &options.file_label), entered_at) {
            Ok(outcome) => {
                readings_written += 1;
                last_kept = last_kept.max(Some(row.at));
                rejected.extend(at_line(outcome.dropped));
                unconfirmed.extend(at_line(outcome.warnings));
                session.run_alerts(row.at, entered_at)?;
            }
            Err(CommandError::Rejected(problems)) => rejected.extend(at_line(problems)),
            Err(other) => rejected.extend(at_line(vec![not_recorded(&row, &other)])),
        }
    }
    rejected.sort_by_key(|p| p.line);
    unconfirmed.sort_by_key(|p| p.line);
    let Some(closed_at) = last_kept else {
        return Err(ImportError::NothingKept {
            rows_read,
            rejected,
        });
    };
    for p in &rejected {
        let note = Command::NoteRejectedInput {
            at: entered_at,
            by: options.by.clone(),
            source: Source::Imported {
                file: options.file_label.clone(),
                line: p.line,
            },
            problem: p.problem.to_string(),
        };
        session.apply(note, entered_at)?;
    }
    let close = Command::Close {
        at: closed_at,
        by: options.by.clone(),
        source: whole_file,
        reason: format!("imported from {}", options.file_label),
    };
    session.apply(close, entered_at)?;
    Ok(ImportReport {
        session,
        rows_read,
        readings_written,
        rejected,
        unconfirmed,
        empty_rows,
        repeated_headers,
        set_aside,
        streams,
    })
}

fn reading(row: &ParsedRow, by: &str, file: &str) -> Command {
    Command::RecordReading(ReadingEntry {
        at: row.at,
        values: row.values,
        by: by.to_string(),
        source: Source::Imported {
            file: file.to_string(),
            line: row.line,
        },
        on_warning: OnWarning::KeepUnconfirmed,
        on_reject: OnReject::DropValues,
        via: row.via,
    })
}

/// A row the session refused for a reason other than its values.
fn not_recorded(row: &ParsedRow, error: &CommandError) -> Problem {
    Problem {
        field: Field::Time,
        value: crate::clock::format_time(&row.at),
        severity: Severity::Reject,
        reason: error.to_string(),
        accepted: "the row is rejected".into(),
        drops: crate::session::Vital::ALL.to_vec(),
    }
}

impl ImportReport {
    /// Alerts of the session by the highest priority each reached: (low, medium, high).
    pub fn alerts_by_priority(&self) -> (usize, usize, usize) {
        let state = self.session.state();
        let count = |p| state.alerts.iter().filter(|a| a.priority == p).count();
        (
            count(Priority::Low),
            count(Priority::Medium),
            count(Priority::High),
        )
    }

    /// What the nurse would have seen, in order: each alert event's time and message.
    pub fn alert_messages(&self) -> Vec<String> {
        self.session
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                crate::session::events::EventKind::Alert(a) => {
                    Some(format!("{} {}", e.at.format("%H:%M"), a.message))
                }
                _ => None,
            })
            .collect()
    }
}
