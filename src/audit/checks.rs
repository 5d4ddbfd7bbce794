//! The protocol checks an auditor runs on one session: DOMAIN.md's cadence table, its
//! baseline and pre-infusion blood pressure rule, and its alarm conventions. Pure
//! functions of the profile, the session's events and their fold: no files, no clock.
//!
//! A session imported from a monitor's file holds no infusion, acknowledgement or
//! discharge events, so the checks that need them do not apply to it; its readings are
//! still checked against the observation cadence, the phase being unknown.

use crate::alerts::Profile;
use crate::clock::{Time, minute_floor};
use crate::log::columns::Version;
use crate::schedule;
use crate::session::baseline::{self, PreInfusionBp};
use crate::session::events::{Event, EventKind, InfusionChange, Priority, RECOVERED_CUT, Source};
use crate::session::state::SessionState;
use crate::session::summary::{AlarmRecord, alarm_history};
use chrono::Duration;

/// What an audit checks in each file, in the order it reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    Seal,
    Baseline,
    ReadingGaps,
    EndOfInfusionSet,
    AlertsAcknowledged,
    Discharge,
    Corrections,
    /// Every row of the session is in the log: not a recovery cut at a bad row.
    Complete,
    /// A score on each scale the profile requires during the infusion (MOAA/S).
    Assessments,
}

impl Check {
    pub const ALL: [Check; 9] = [
        Check::Seal,
        Check::Baseline,
        Check::ReadingGaps,
        Check::EndOfInfusionSet,
        Check::AlertsAcknowledged,
        Check::Discharge,
        Check::Corrections,
        Check::Complete,
        Check::Assessments,
    ];

    /// The key in `--json` and the column in `--csv`: a contract for `seal`.
    pub fn key(self) -> &'static str {
        match self {
            Check::Seal => "seal",
            Check::Baseline => "baseline",
            Check::ReadingGaps => "reading_gaps",
            Check::EndOfInfusionSet => "end_of_infusion_set",
            Check::AlertsAcknowledged => "alerts_acknowledged",
            Check::Discharge => "discharge",
            Check::Corrections => "corrections",
            Check::Complete => "complete",
            Check::Assessments => "assessments",
        }
    }

    /// In a person's words, for the table and the window.
    pub fn title(self) -> &'static str {
        match self {
            Check::Seal => "seal",
            Check::Baseline => "baseline before the start",
            Check::ReadingGaps => "gap in readings",
            Check::EndOfInfusionSet => "full set at the end of the infusion",
            Check::AlertsAcknowledged => "alert not acknowledged",
            Check::Discharge => "discharge",
            Check::Corrections => "correction without a reason",
            Check::Complete => "rows lost in recovery",
            Check::Assessments => "score required during the infusion",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    Fail,
    /// The check does not apply to this session (an imported one, an infusion never
    /// started).
    NotApplicable,
    /// The file could not be trusted far enough to check it (altered, not a log).
    NotChecked,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::NotApplicable => "n/a",
            Verdict::NotChecked => "not-checked",
        }
    }
}

/// One thing that did not follow the protocol, in words an auditor can act on.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub check: Check,
    pub text: String,
}

/// What the protocol checks found in one session.
#[derive(Clone, Debug, PartialEq)]
pub struct ProtocolAudit {
    /// Every check but the seal, which the file's reading decides.
    pub verdicts: Vec<(Check, Verdict)>,
    pub findings: Vec<Finding>,
    /// Every alarm that reached medium or high, with its acknowledgement.
    pub alerts: Vec<AlarmRecord>,
}

/// Runs every protocol check on a session whose log was intact; `version`, the log's
/// layout, says whether it could hold assessments (a version-1 log predates them: its
/// `assessments` check is `n/a`).
pub fn audit_session(
    profile: &Profile,
    events: &[Event],
    state: &SessionState,
    version: Version,
) -> ProtocolAudit {
    let imported = matches!(state.opened_source, Source::Imported { .. });
    let infused = !imported && state.infusion.started_at.is_some();
    let mut alerts = alarm_history(events);
    alerts.retain(|a| a.highest >= Priority::Medium);
    let results: [(Check, Option<Vec<String>>); 8] = [
        (
            Check::Baseline,
            infused.then(|| baseline_findings(profile, events, state)),
        ),
        (
            Check::ReadingGaps,
            if imported {
                Some(imported_gaps(profile, state))
            } else {
                infused.then(|| infusion_gaps(profile, events, state))
            },
        ),
        (
            Check::EndOfInfusionSet,
            infused.then(|| end_of_infusion_findings(profile, state)),
        ),
        (
            Check::AlertsAcknowledged,
            (!imported).then(|| unacknowledged(&alerts)),
        ),
        (
            Check::Discharge,
            infused.then(|| discharge_findings(profile, events)),
        ),
        (Check::Corrections, Some(corrections_without_reason(events))),
        (Check::Complete, Some(rows_lost_in_recovery(events))),
        (
            Check::Assessments,
            (infused
                && version != Version::V1
                && profile.scales.iter().any(|s| s.required_during_infusion))
            .then(|| missing_scores(profile, state)),
        ),
    ];
    let mut audit = ProtocolAudit {
        verdicts: Vec::new(),
        findings: Vec::new(),
        alerts,
    };
    for (check, found) in results {
        let verdict = match &found {
            None => Verdict::NotApplicable,
            Some(texts) if texts.is_empty() => Verdict::Pass,
            Some(_) => Verdict::Fail,
        };
        audit.verdicts.push((check, verdict));
        let texts = found.into_iter().flatten();
        audit
            .findings
            .extend(texts.map(|text| Finding { check, text }));
    }
    audit
}

/// A time as an auditor reads it: with its offset, the date being the file's.
fn clock(t: &Time) -> String {
    t.format("%H:%M%:z").to_string()
}

/// How a finding that names two times, a span from one to the other, writes every time
/// in it: as [`clock`] while both ends fall on the same calendar day (each in its own
/// offset), else each with its date, so that a gap across midnight, or across days (a
/// home cuff's file), is not read as a few hours within one day.
#[derive(Clone, Copy)]
struct Span {
    dated: bool,
}

impl Span {
    fn between(from: &Time, to: &Time) -> Span {
        Span {
            dated: from.date_naive() != to.date_naive(),
        }
    }

    fn show(self, t: &Time) -> String {
        if self.dated {
            t.format("%Y-%m-%d %H:%M%:z").to_string()
        } else {
            clock(t)
        }
    }
}

/// Why a reading was due during the infusion or the observation, and when.
enum Due {
    /// The cadence of the phase: one every `every` minutes, by `by`.
    Cadence {
        every: u32,
        phase: &'static str,
        by: Time,
    },
    /// The rate changed at this moment.
    RateChange(Time),
    /// The infusion stopped at this moment, which asks for a full set.
    Stop(Time),
}

impl Due {
    fn text(&self, span: Span, profile: &Profile) -> String {
        match self {
            Due::Cadence { every, phase, by } => {
                format!(
                    "one was due every {every} min {phase}, by {}",
                    span.show(by)
                )
            }
            Due::RateChange(at) => {
                format!("one was due at the rate change at {}", span.show(at))
            }
            Due::Stop(at) => format!(
                "a full set was due at the stop at {} (within {} min)",
                span.show(at),
                profile.cadence.overdue_medium_after_min
            ),
        }
    }
}

fn minutes(m: u32) -> Duration {
    Duration::minutes(i64::from(m))
}

/// A full set before the start, and the pre-infusion blood pressure rule: a baseline at
/// or above the review level needs a clinician's decision recorded with the start.
fn baseline_findings(profile: &Profile, events: &[Event], state: &SessionState) -> Vec<String> {
    let Some(start) = state.infusion.started_at else {
        return Vec::new();
    };
    let status = baseline::status(profile, state);
    let mut found = Vec::new();
    if !status.complete {
        found.push(format!(
            "no full set (BP, HR, SpO2) before the infusion started at {}",
            clock(&start)
        ));
    }
    let b = &profile.baseline;
    let level = match status.pre_infusion_bp {
        Some(PreInfusionBp::ClinicianReview) => Some(("clinician-review", b.review_at)),
        Some(PreInfusionBp::Hold) => Some(("hold", b.hold_at)),
        _ => None,
    };
    let decided = events.iter().any(|e| {
        matches!(e.kind, EventKind::Infusion(InfusionChange::Started { .. }))
            && e.reason.as_deref().is_some_and(|r| !r.trim().is_empty())
    });
    if let (Some((name, at)), Some(s), Some(d), false) =
        (level, status.systolic_mmhg, status.diastolic_mmhg, decided)
    {
        found.push(format!(
            "baseline BP {s:.0}/{d:.0} is at or above the {name} level {}/{}, and the start \
             at {} records no clinician decision",
            at.systolic,
            at.diastolic,
            clock(&start)
        ));
    }
    found
}

/// Readings during the infusion and the observation, at the cadence the protocol asks:
/// every few minutes during the infusion (by its planned length and elapsed time), at
/// every rate change, every 15 min after it, until the discharge (or the session's end).
/// A reading counts as missing once it is as late as the app's own reminder.
fn infusion_gaps(profile: &Profile, events: &[Event], state: &SessionState) -> Vec<String> {
    let Some(start) = state.infusion.started_at else {
        return Vec::new();
    };
    let stop = state.infusion.stopped_at;
    let planned = schedule::planned_min(state);
    let grace = minutes(profile.cadence.overdue_low_after_min);
    let mut rate_changes: Vec<Time> = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                EventKind::Infusion(InfusionChange::RateChanged { .. })
            )
        })
        .map(|e| e.at)
        .collect();
    rate_changes.sort();
    let end = session_end(events, state);
    let stop_window = minutes(profile.cadence.overdue_medium_after_min);
    // When the next reading was due after one at `from`, why, and how late it may come.
    let due_after = |from: Time| -> (Time, Due, Duration) {
        let during = stop.is_none_or(|s| from < s);
        let (every, phase) = if during {
            let every = schedule::interval_during(profile, planned, from - start);
            (every, "during the infusion")
        } else {
            (profile.cadence.observation_every_min, "after the infusion")
        };
        // Whole minutes, as the app's reminder counts them (`schedule::next_due`).
        let by = minute_floor(from + minutes(every));
        let mut due = (by, Due::Cadence { every, phase, by }, grace);
        if let Some(change) = rate_changes.iter().find(|c| **c > from && during)
            && minute_floor(*change) < due.0
        {
            due = (minute_floor(*change), Due::RateChange(*change), grace);
        }
        // The full set the stop asks for, with the end-of-infusion check's tolerance.
        if let Some(stop) = stop.filter(|s| during && minute_floor(*s) < due.0) {
            due = (minute_floor(stop), Due::Stop(stop), stop_window);
        }
        due
    };
    // A reading taken at the very moment of the discharge still counts as one.
    let readings = state
        .measured_between(Some(start), end.map(|(at, _)| at + Duration::seconds(1)))
        .map(|(_, v)| (v.at, None));
    let ends = end.map(|(at, what)| (at, Some(what)));
    let mut from = start;
    let mut found = Vec::new();
    for (next, what) in readings.chain(ends) {
        let (due, why, late) = due_after(from);
        if next > due + late {
            let span = Span::between(&from, &next);
            let to = match what {
                Some(what) => format!("{what} at {}", span.show(&next)),
                None => span.show(&next),
            };
            found.push(format!(
                "no reading from {} to {to} ({} min): {}",
                span.show(&from),
                (next - from).num_minutes(),
                why.text(span, profile)
            ));
        }
        from = next;
    }
    found
}

/// Where the observation ends: the discharge, else the session's close.
fn session_end(events: &[Event], state: &SessionState) -> Option<(Time, &'static str)> {
    let discharged = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::Discharged(_)))
        .map(|e| (e.at, "the discharge"));
    discharged.or(state.closed_at.map(|at| (at, "the session's end")))
}

/// An imported session: readings no further apart than the observation cadence and its
/// grace, from the first reading to the last.
fn imported_gaps(profile: &Profile, state: &SessionState) -> Vec<String> {
    let every = profile.cadence.observation_every_min;
    let allowed = minutes(every + profile.cadence.overdue_low_after_min);
    let times: Vec<Time> = state
        .measured_between(None, None)
        .map(|(_, v)| v.at)
        .collect();
    times
        .windows(2)
        .filter(|pair| pair[1] - pair[0] > allowed)
        .map(|pair| {
            let span = Span::between(&pair[0], &pair[1]);
            format!(
                "no reading from {} to {} ({} min): more than {every} min apart (+{} min \
                 grace), the phase being unknown",
                span.show(&pair[0]),
                span.show(&pair[1]),
                (pair[1] - pair[0]).num_minutes(),
                profile.cadence.overdue_low_after_min
            )
        })
        .collect()
}

/// A full set measured at the stop or within the overdue window after it: the app asks for
/// it at the stop and raises its reminder to medium once that window has gone by.
fn end_of_infusion_findings(profile: &Profile, state: &SessionState) -> Vec<String> {
    let Some(stop) = state.infusion.stopped_at else {
        return vec!["the infusion has no stop recorded".into()];
    };
    let window = minutes(profile.cadence.overdue_medium_after_min);
    let full = state
        .measured_between(Some(stop), Some(stop + window + Duration::seconds(1)))
        .any(|(_, v)| v.values.has_all(&profile.session.full_set));
    if full {
        Vec::new()
    } else {
        vec![format!(
            "no full set (BP, HR, SpO2) from the stop at {} to {} min after it",
            clock(&stop),
            profile.cadence.overdue_medium_after_min
        )]
    }
}

fn unacknowledged(alerts: &[AlarmRecord]) -> Vec<String> {
    alerts
        .iter()
        .filter(|a| a.acknowledged_at_highest().is_none())
        .map(|a| {
            format!(
                "{} alert {} ({}) from {} was never acknowledged",
                a.highest,
                a.alert_id,
                a.key.describe(),
                clock(&a.highest_since)
            )
        })
        .collect()
}

/// A discharge recorded, with its criteria met (the profile's) or a reason why the patient
/// left anyway.
fn discharge_findings(profile: &Profile, events: &[Event]) -> Vec<String> {
    let discharge = events.iter().find_map(|e| match &e.kind {
        EventKind::Discharged(c) => Some((e, c)),
        _ => None,
    });
    let Some((event, c)) = discharge else {
        return vec!["no discharge recorded".into()];
    };
    let unmet = profile.discharge.unmet(c);
    let reasoned = event
        .reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if unmet.is_empty() || reasoned {
        Vec::new()
    } else {
        vec![format!(
            "discharged at {} with {} and no reason recorded",
            clock(&event.at),
            unmet.join(", ")
        )]
    }
}

fn corrections_without_reason(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| {
            let (what, id) = match &e.kind {
                EventKind::ReadingAmended { reading_id, .. } => ("amended", reading_id),
                EventKind::ReadingEnteredInError { reading_id } => {
                    ("marked entered-in-error", reading_id)
                }
                _ => return None,
            };
            let reasoned = e.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
            (!reasoned).then(|| {
                format!(
                    "reading {id} {what} at {} by {} without a reason (event {})",
                    clock(&e.entered_at),
                    crate::shown::excerpt(&e.by),
                    e.seq
                )
            })
        })
        .collect()
}

/// A log `recover` made from a journal that broke at a bad row (a disk fault, an edit):
/// the rows from there on were left out, so the session in it is not the whole session.
fn rows_lost_in_recovery(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::SessionRecovered { note } => note.find(RECOVERED_CUT).map(|at| {
                format!(
                    "the log was recovered from a journal that breaks at a bad row, and the rows from there on are not in it ({}); the journal, kept as it was, shows what followed",
                    crate::shown::excerpt(&note[at..])
                )
            }),
            _ => None,
        })
        .collect()
}

/// Each scale the profile requires during the infusion (MOAA/S: the sedation standards
/// and the esketamine REMS ask a chair to watch sedation) with no valid score from the
/// start to the stop (or the session's end when it never stopped).
fn missing_scores(profile: &Profile, state: &SessionState) -> Vec<String> {
    let Some(start) = state.infusion.started_at else {
        return Vec::new();
    };
    let end = state.infusion.stopped_at.or(state.closed_at);
    profile
        .scales
        .iter()
        .filter(|s| s.required_during_infusion)
        .filter(|scale| {
            !state.assessments.iter().any(|a| {
                a.scale == scale.name
                    && a.current()
                        .is_some_and(|v| v.at >= start && end.is_none_or(|e| v.at <= e))
            })
        })
        .map(|scale| match end {
            Some(end) => format!(
                "no {} score during the infusion ({} to {})",
                scale.name,
                clock(&start),
                clock(&end)
            ),
            None => format!(
                "no {} score since the infusion started at {}",
                scale.name,
                clock(&start)
            ),
        })
        .collect()
}
