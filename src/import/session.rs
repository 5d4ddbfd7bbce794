//! Turns parsed rows into a session: every reading validated, in time order, with the
//! alert engine run after each as if the nurse had entered it then. What cannot be kept
//! is recorded in the session too, so the log itself says what was dropped.

use crate::alerts::Profile;
use crate::clock::{Clock, Time};
use crate::commands::{
    AssessmentEntry, Command, CommandError, EventStore, OnReject, OnWarning, ReadingEntry, Session,
};
use crate::import::reader::{LineProblem, Parsed, ParsedRow, SetAside};
use crate::session::Vital;
use crate::session::events::{Event, EventKind, Priority, Protocol, SessionInfo, Source};
use crate::session::reading::VitalMap;
use crate::session::validate::{Field, Problem, Severity};
use crate::session::via::{BpChannel, HrChannel};
use chrono::Duration;
use std::collections::BTreeMap;

pub struct ImportOptions {
    /// How the file is named in each reading's source (`import:FILE:LINE`).
    pub file_label: String,
    pub patient_id: String,
    /// Who imported; recorded as the author of every imported event.
    pub by: String,
    pub profile: Profile,
}

/// What an import read and kept, whether into a session of its own or a live one.
#[derive(Debug, Default)]
pub struct Tally {
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
    /// Readings kept with a pressure, by channel.
    pub bp_channels: BTreeMap<BpChannel, usize>,
    /// Readings kept with a heart rate, by source.
    pub hr_sources: BTreeMap<HrChannel, usize>,
    /// Readings kept with a value of each vital.
    pub kept: VitalMap<usize>,
    /// The first and last time of the readings and scores kept.
    pub span: Option<(Time, Time)>,
    /// The columns read as scores: (column's name, scale's name).
    pub score_columns: Vec<(String, String)>,
    /// Scores kept, by scale (every score column's scale is here, 0 if none was kept).
    pub scores: BTreeMap<String, usize>,
}

pub struct ImportReport {
    pub session: Session,
    pub tally: Tally,
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
    #[error("the imported readings could not be saved: {0}")]
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

/// Rows entered between two hand-overs to the store.
const ROWS_PER_WRITE: usize = 1024;

/// Who imports which file, as every imported event records it.
struct Importer<'a> {
    by: &'a str,
    file_label: &'a str,
    entered_at: Time,
}

/// When the alert engine looks at each imported reading.
#[derive(Clone, Copy)]
enum AlertsAt {
    /// At the reading's own time, as if the nurse had entered it then (a session of its
    /// own, built from the file alone); and between two readings, at each moment time
    /// alone asks something (a recheck falling due, or expiring), as the chair's timer
    /// would have.
    ReadingTime,
    /// Now, as after a late entry by hand (a live session, whose engine has already
    /// looked at it up to now): the values after each reading, and what time asks for
    /// (reminders, rechecks gone by) once, after the last.
    EntryTime,
}

/// Splits what was parsed into the rows to enter, in time order, and the tally so far.
fn start_tally(parsed: Parsed) -> Result<(Vec<ParsedRow>, Tally), ImportError> {
    let Parsed {
        mut rows,
        problems,
        rows_read,
        empty_rows,
        repeated_headers,
        set_aside,
        streams,
        score_columns,
    } = parsed;
    if rows_read == 0 {
        return Err(ImportError::NoRows);
    }
    // Stable: rows with the same time keep the file's order.
    rows.sort_by_key(|r| r.at);
    let tally = Tally {
        score_columns: score_columns
            .iter()
            .map(|c| (c.name.clone(), c.scale.clone()))
            .collect(),
        scores: score_columns.iter().map(|c| (c.scale.clone(), 0)).collect(),
        rows_read,
        rejected: problems,
        empty_rows,
        repeated_headers,
        set_aside,
        streams,
        ..Tally::default()
    };
    Ok((rows, tally))
}

/// Builds the session; with a `store`, each event goes to it as it is made (the log
/// is written while the session is still being built).
pub fn import_session(
    parsed: Parsed,
    options: ImportOptions,
    clock: &dyn Clock,
    store: Option<Box<dyn EventStore + Send>>,
) -> Result<ImportReport, ImportError> {
    let (rows, mut tally) = start_tally(parsed)?;
    let entered_at = clock.now();
    let rows = set_apart_strays(rows, entered_at, &mut tally.rejected);
    // A row from the future is rejected by validation; it must not open the session.
    let opened_at = rows
        .iter()
        .map(|r| r.at)
        .find(|at| *at <= entered_at)
        .or_else(|| rows.first().map(|r| r.at));
    let Some(opened_at) = opened_at else {
        return Err(ImportError::NothingKept {
            rows_read: tally.rows_read,
            rejected: tally.rejected,
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
        )?,
    };
    let importer = Importer {
        by: &options.by,
        file_label: &options.file_label,
        entered_at,
    };
    importer.enter(&mut session, rows, &mut tally, AlertsAt::ReadingTime)?;
    let Some((_, closed_at)) = tally.span else {
        return Err(ImportError::NothingKept {
            rows_read: tally.rows_read,
            rejected: tally.rejected,
        });
    };
    let close = Command::Close {
        at: closed_at,
        by: options.by.clone(),
        source: whole_file,
        reason: format!("imported from {}", options.file_label),
    };
    session.apply(close, entered_at)?;
    Ok(ImportReport { session, tally })
}

/// Readings further apart than this are not one recording: a home cuff's app may hold a
/// reading a day, but not a month's silence between two of the same session's.
const STRAY_GAP_DAYS: i64 = 30;

/// Keeps the file's main run of readings: times in order with no gap longer than
/// [`STRAY_GAP_DAYS`], the run with the most rows. A row apart from it (a year typed 1016
/// for 2026, a clock reset to 2000) would otherwise open the session years early and
/// stretch every plot and gap check; it is rejected by line instead. Rows from the future
/// are left to validation, which rejects them.
fn set_apart_strays(
    rows: Vec<ParsedRow>,
    now: Time,
    rejected: &mut Vec<LineProblem>,
) -> Vec<ParsedRow> {
    let max_gap = Duration::days(STRAY_GAP_DAYS);
    let past = rows.partition_point(|r| r.at <= now);
    let mut best = 0..0;
    let mut start = 0;
    for i in 1..=past {
        if i == past || rows[i].at - rows[i - 1].at > max_gap {
            // On a tie the later run wins: a typo is likelier in an old-looking date.
            if i - start >= best.len() {
                best = start..i;
            }
            start = i;
        }
    }
    if best.len() == past {
        return rows;
    }
    let (from, to) = (rows[best.start].at, rows[best.end - 1].at);
    let accepted = format!(
        "the file's other readings run from {} to {} ({} rows)",
        crate::clock::format_time(&from),
        crate::clock::format_time(&to),
        best.len()
    );
    let mut kept = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        if i < past && !best.contains(&i) {
            rejected.push(LineProblem {
                line: row.line,
                problem: Problem {
                    field: Field::Time,
                    value: crate::clock::format_time(&row.at),
                    severity: Severity::Reject,
                    reason: format!(
                        "is more than {STRAY_GAP_DAYS} days apart from the file's other readings (a mistyped date or a reset clock)"
                    ),
                    accepted: accepted.clone(),
                    drops: Vital::ALL.to_vec(),
                },
            });
        } else {
            kept.push(row);
        }
    }
    kept
}

/// Adds a file's readings to a live session, each a late entry from its file and line,
/// with one write to the session's journal: all of them are saved, or none.
pub fn import_into(
    session: &mut Session,
    parsed: Parsed,
    by: &str,
    file_label: &str,
    clock: &dyn Clock,
) -> Result<Tally, ImportError> {
    let (rows, mut tally) = start_tally(parsed)?;
    let importer = Importer {
        by,
        file_label,
        entered_at: clock.now(),
    };
    let entered = session.in_one_write(|session| {
        importer.enter(session, rows, &mut tally, AlertsAt::EntryTime)?;
        session.run_alerts(importer.entered_at, importer.entered_at)?;
        // Nothing kept: the session is left as it was, notes of the rejections included.
        match tally.readings_written + tally.scores.values().sum::<usize>() {
            0 => Err(CommandError::NothingToRecord),
            _ => Ok(()),
        }
    });
    match entered {
        Ok(()) => Ok(tally),
        Err(CommandError::NothingToRecord) => Err(ImportError::NothingKept {
            rows_read: tally.rows_read,
            rejected: tally.rejected,
        }),
        Err(e) => Err(e.into()),
    }
}

impl Importer<'_> {
    /// Enters each row as a reading, then notes in the session each value and row that
    /// could not be kept, so the log itself says what was dropped.
    fn enter(
        &self,
        session: &mut Session,
        rows: Vec<ParsedRow>,
        tally: &mut Tally,
        alerts: AlertsAt,
    ) -> Result<(), CommandError> {
        session.reserve(rows.len());
        let mut rows = rows.into_iter().peekable();
        while rows.peek().is_some() {
            // A thousand rows to the store at a time, rather than an event at a time.
            session.in_one_write(|session| {
                for row in rows.by_ref().take(ROWS_PER_WRITE) {
                    self.enter_row(session, row, tally, alerts)?;
                }
                Ok(())
            })?;
        }
        tally.rejected.sort_by_key(|p| p.line);
        tally.unconfirmed.sort_by_key(|p| p.line);
        for p in &tally.rejected {
            let note = Command::NoteRejectedInput {
                at: self.entered_at,
                by: self.by.to_string(),
                source: Source::Imported {
                    file: self.file_label.to_string(),
                    line: p.line,
                },
                problem: p.problem.to_string(),
            };
            session.apply(note, self.entered_at)?;
        }
        Ok(())
    }

    /// Enters one row as a reading and lets the alert engine look; a row the session
    /// refuses is counted as rejected, at its line.
    fn enter_row(
        &self,
        session: &mut Session,
        row: ParsedRow,
        tally: &mut Tally,
        alerts: AlertsAt,
    ) -> Result<(), CommandError> {
        let at_line = |problems: Vec<Problem>| {
            problems
                .into_iter()
                .map(|problem| LineProblem {
                    line: row.line,
                    problem,
                })
                .collect::<Vec<_>>()
        };
        if let AlertsAt::ReadingTime = alerts
            && let Some(previous) = session.state().last_reading_at()
        {
            // Rows come in time order, and the engine looked last at the newest reading.
            session.run_timers_between(previous, row.at, self.entered_at)?;
        }
        let mut kept = false;
        if !row.values.is_empty() {
            match session.apply(self.reading(&row), self.entered_at) {
                Ok(outcome) => {
                    tally.count_kept(&outcome.events, row.at);
                    tally.rejected.extend(at_line(outcome.dropped));
                    tally.unconfirmed.extend(at_line(outcome.warnings));
                    kept = true;
                }
                Err(CommandError::Rejected(problems)) => tally.rejected.extend(at_line(problems)),
                Err(other) => tally
                    .rejected
                    .extend(at_line(vec![not_recorded(&row, &other)])),
            }
        }
        // Each score through the command a score entered by hand takes, validated
        // against its scale; one refused leaves the row's readings and other scores.
        for &(i, score) in &row.scores {
            let (column, scale) = tally.score_columns[i].clone();
            let entry = AssessmentEntry {
                at: row.at,
                scale: scale.clone(),
                score,
                by: self.by.to_string(),
                source: self.source(row.line),
            };
            match session.apply(Command::RecordAssessment(entry), self.entered_at) {
                Ok(_) => {
                    *tally.scores.entry(scale).or_default() += 1;
                    tally.extend_span(row.at);
                    kept = true;
                }
                Err(CommandError::Rejected(problems)) => {
                    // A time the row's reading was refused for is said once, not again
                    // for each of its scores.
                    let time_said = |p: &Problem| {
                        p.field == Field::Time
                            && tally
                                .rejected
                                .iter()
                                .any(|r| r.line == row.line && r.problem.field == Field::Time)
                    };
                    let named: Vec<Problem> = problems
                        .into_iter()
                        .filter(|p| !time_said(p))
                        .map(|mut p| {
                            if p.field == Field::Score {
                                p.value = format!("{} in column '{column}'", p.value);
                            }
                            p
                        })
                        .collect();
                    tally.rejected.extend(at_line(named));
                }
                Err(other) => {
                    let mut problem = not_recorded(&row, &other);
                    problem.drops = vec![];
                    problem.accepted = format!("the score in column '{column}' is rejected");
                    tally.rejected.push(LineProblem {
                        line: row.line,
                        problem,
                    });
                }
            }
        }
        if kept {
            match alerts {
                AlertsAt::ReadingTime => session.run_alerts(row.at, self.entered_at)?,
                AlertsAt::EntryTime => {
                    session.run_value_alerts(self.entered_at, self.entered_at)?
                }
            };
        }
        Ok(())
    }

    fn source(&self, line: u64) -> Source {
        Source::Imported {
            file: self.file_label.to_string(),
            line,
        }
    }

    fn reading(&self, row: &ParsedRow) -> Command {
        Command::RecordReading(ReadingEntry {
            at: row.at,
            values: row.values,
            by: self.by.to_string(),
            source: Source::Imported {
                file: self.file_label.to_string(),
                line: row.line,
            },
            on_warning: OnWarning::KeepUnconfirmed,
            on_reject: OnReject::DropValues,
            via: row.via,
        })
    }
}

impl Tally {
    /// Widens the span of what was kept to `at`.
    fn extend_span(&mut self, at: Time) {
        self.span = Some(
            self.span
                .map_or((at, at), |(from, to)| (from.min(at), to.max(at))),
        );
    }

    /// Counts a reading kept, by its channels, from the events that recorded it.
    fn count_kept(&mut self, events: &[Event], at: Time) {
        self.readings_written += 1;
        self.extend_span(at);
        for e in events {
            if let EventKind::ReadingRecorded { values, via, .. } = &e.kind {
                for (vital, _) in values.present() {
                    self.kept[vital] += 1;
                }
                if values.get(Vital::Systolic).is_some() || values.get(Vital::Diastolic).is_some() {
                    let channel = via.bp.unwrap_or(BpChannel::NonInvasive);
                    *self.bp_channels.entry(channel).or_default() += 1;
                }
                if values.get(Vital::HeartRate).is_some() {
                    let source = via.hr.unwrap_or(HrChannel::Unspecified);
                    *self.hr_sources.entry(source).or_default() += 1;
                }
            }
        }
    }
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
