//! Turns parsed rows into a session: every reading validated, in time order, with the
//! alert engine run after each as if the nurse had entered it then.

use crate::alerts::Profile;
use crate::clock::Clock;
use crate::commands::{Command, CommandError, OnReject, OnWarning, ReadingEntry, Session};
use crate::import::readings_csv::{LineProblem, Parsed};
use crate::session::events::{EventKind, Protocol, SessionInfo, Source};

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
    pub empty_rows: Vec<u64>,
    pub ignored_columns: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("no reading could be imported ({rows_read} rows read, {} problems)", .rejected.len())]
pub struct NothingImported {
    pub rows_read: usize,
    pub rejected: Vec<LineProblem>,
}

pub fn import_session(
    parsed: Parsed,
    options: ImportOptions,
    clock: &dyn Clock,
) -> Result<ImportReport, NothingImported> {
    let Parsed {
        mut rows,
        problems: mut rejected,
        rows_read,
        empty_rows,
        ignored_columns,
    } = parsed;
    // Stable: rows with the same time keep the file's order.
    rows.sort_by_key(|r| r.at);
    let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
        return Err(NothingImported {
            rows_read,
            rejected,
        });
    };
    let (opened_at, closed_at) = (first.at, last.at);
    let info = SessionInfo {
        patient_id: options.patient_id,
        weight_kg: None,
        protocol: Protocol::default(),
        profile_name: options.profile.name.clone(),
        profile_version: options.profile.version.clone(),
    };
    let entered_at = clock.now();
    let whole_file = Source::Imported {
        file: options.file_label.clone(),
        line: 0,
    };
    let mut session = Session::open_from(
        options.profile,
        info,
        opened_at,
        &options.by,
        whole_file,
        clock,
    );
    let mut unconfirmed = Vec::new();
    let mut readings_written = 0;
    for row in rows {
        let entry = ReadingEntry {
            at: row.at,
            values: row.values,
            by: options.by.clone(),
            source: Source::Imported {
                file: options.file_label.clone(),
                line: row.line,
            },
            on_warning: OnWarning::KeepUnconfirmed,
            on_reject: OnReject::DropValues,
        };
        let at_line = |problems: Vec<_>| {
            problems
                .into_iter()
                .map(|problem| LineProblem {
                    line: row.line,
                    problem,
                })
                .collect::<Vec<_>>()
        };
        match session.apply(Command::RecordReading(entry), entered_at) {
            Ok(outcome) => {
                readings_written += 1;
                rejected.extend(at_line(outcome.dropped));
                unconfirmed.extend(at_line(outcome.warnings));
            }
            Err(CommandError::Rejected(problems)) => rejected.extend(at_line(problems)),
            Err(other) => unreachable!("an import reading is either kept or rejected: {other}"),
        }
        session.run_alerts(row.at, entered_at);
    }
    rejected.sort_by_key(|p| p.line);
    if readings_written == 0 {
        return Err(NothingImported {
            rows_read,
            rejected,
        });
    }
    let close = Command::Close {
        at: closed_at,
        by: options.by.clone(),
        reason: format!("imported from {}", options.file_label),
    };
    session
        .apply(close, entered_at)
        .expect("an imported session has no infusion running and can be closed");
    Ok(ImportReport {
        session,
        rows_read,
        readings_written,
        rejected,
        unconfirmed,
        empty_rows,
        ignored_columns,
    })
}

impl ImportReport {
    /// Alerts raised during the import, by priority: (low, medium, high).
    pub fn alerts_raised(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for alert in &self.session.state().alerts {
            match alert.priority {
                crate::session::events::Priority::Low => counts.0 += 1,
                crate::session::events::Priority::Medium => counts.1 += 1,
                crate::session::events::Priority::High => counts.2 += 1,
            }
        }
        counts
    }

    pub fn alert_messages(&self) -> Vec<String> {
        self.session
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::Alert(a) => Some(format!("{} {}", e.at.format("%H:%M"), a.message)),
                _ => None,
            })
            .collect()
    }
}
