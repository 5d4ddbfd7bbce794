//! The one mapping between events and log rows, used both to write and to read.

use crate::clock::{Time, format_time, parse_time_with_offset};
use crate::log::columns::{COUNT, Col};
use crate::log::seal::{ED25519, KEY, PublicKey};
use crate::session::events::{
    AlertChange, AlertEvent, AlertKey, DischargeCriteria, Doubt, Event, EventKind, InfusionChange,
    Priority, Protocol, SessionInfo, Source,
};
use crate::session::reading::{Vital, VitalSet, format_value};
use crate::session::via::Via;
use std::borrow::Cow;

/// One row's cells as text (restored, not neutralised), missing as empty. Reading
/// borrows the cells from the CSV record; writing owns them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<'a>(pub Vec<Cow<'a, str>>);

impl Default for Row<'_> {
    fn default() -> Self {
        Row(vec![Cow::Borrowed(""); COUNT])
    }
}

impl<'a> Row<'a> {
    pub fn get(&self, col: Col) -> &str {
        &self.0[col as usize]
    }

    fn set(&mut self, col: Col, value: impl Into<Cow<'a, str>>) {
        self.0[col as usize] = value.into();
    }

    fn set_opt<T>(&mut self, col: Col, value: Option<T>, show: impl Fn(T) -> String) {
        if let Some(v) = value {
            self.set(col, show(v));
        }
    }
}

/// A row that does not describe an event: which column, what it held (an excerpt, see
/// [`crate::shown::excerpt`]), what was expected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("column {column}: '{value}' {expected}")]
pub struct RowError {
    pub column: &'static str,
    pub value: String,
    pub expected: String,
}

pub const RECORD_SEAL: &str = "seal";

pub fn event_to_row(e: &Event) -> Row<'_> {
    let mut row = Row::default();
    row.set(Col::Seq, e.seq.to_string());
    row.set(Col::Time, format_time(&e.at));
    row.set(Col::EnteredAt, format_time(&e.entered_at));
    row.set(Col::By, e.by.as_str());
    row.set(Col::Source, e.source.to_cell());
    if let Some(reason) = &e.reason {
        row.set(Col::Reason, reason.as_str());
    }
    let (record, event) = match &e.kind {
        EventKind::SessionOpened(info) => {
            row.set(Col::PatientId, info.patient_id.as_str());
            row.set_opt(Col::WeightKg, info.weight_kg, format_value);
            row.set(Col::Protocol, info.protocol.name.as_str());
            row.set_opt(Col::DoseMgPerKg, info.protocol.dose_mg_per_kg, format_value);
            row.set_opt(
                Col::RateMgPerKgH,
                info.protocol.rate_mg_per_kg_h,
                format_value,
            );
            row.set_opt(Col::PlannedMin, info.protocol.planned_min, |m| {
                m.to_string()
            });
            row.set(Col::Profile, info.profile_name.as_str());
            row.set(Col::ProfileVersion, info.profile_version.as_str());
            ("session", "opened")
        }
        EventKind::SessionClosed => ("session", "closed"),
        EventKind::ReadingRecorded {
            reading_id,
            values,
            doubt,
            via,
        } => {
            reading_cells(&mut row, *reading_id, "final", Some(values), doubt.as_ref());
            if !via.is_empty() {
                row.set(Col::Detail, via.to_string());
            }
            ("reading", "recorded")
        }
        EventKind::ReadingAmended {
            reading_id,
            values,
            doubt,
        } => {
            reading_cells(
                &mut row,
                *reading_id,
                "amended",
                Some(values),
                doubt.as_ref(),
            );
            ("reading", "amended")
        }
        EventKind::ReadingEnteredInError { reading_id } => {
            reading_cells(&mut row, *reading_id, "entered-in-error", None, None);
            ("reading", "entered-in-error")
        }
        // An assessment's number goes in `reading_id`, its row telling it apart by
        // `record`; the scale is named on its first row, the score on every score.
        EventKind::AssessmentRecorded {
            assessment_id,
            scale,
            score,
        } => {
            row.set(Col::ReadingId, assessment_id.to_string());
            row.set(Col::Status, "final");
            row.set(Col::Scale, scale.as_str());
            row.set(Col::Score, score.to_string());
            ("assessment", "recorded")
        }
        EventKind::AssessmentAmended {
            assessment_id,
            score,
        } => {
            row.set(Col::ReadingId, assessment_id.to_string());
            row.set(Col::Status, "amended");
            row.set(Col::Score, score.to_string());
            ("assessment", "amended")
        }
        EventKind::AssessmentEnteredInError { assessment_id } => {
            row.set(Col::ReadingId, assessment_id.to_string());
            row.set(Col::Status, "entered-in-error");
            ("assessment", "entered-in-error")
        }
        EventKind::Infusion(change) => {
            let rate = match change {
                InfusionChange::Started { rate_mg_per_kg_h } => *rate_mg_per_kg_h,
                InfusionChange::RateChanged { rate_mg_per_kg_h } => Some(*rate_mg_per_kg_h),
                _ => None,
            };
            row.set_opt(Col::RateMgPerKgH, rate, format_value);
            ("infusion", change.name())
        }
        EventKind::SideEffectNoted { effect } => {
            row.set(Col::Detail, effect.as_str());
            ("side-effect", "noted")
        }
        EventKind::Intervention { action } => {
            row.set(Col::Detail, action.as_str());
            ("intervention", "performed")
        }
        EventKind::Alert(a) => {
            row.set(Col::AlertId, a.alert_id.to_string());
            row.set(Col::AlertVital, a.key.subject_name());
            row.set(Col::AlertCondition, a.key.condition());
            row.set(Col::AlertPriority, a.priority.name());
            row.set_opt(Col::ReadingId, a.reading_id, |id| id.to_string());
            let recheck_by = match &a.change {
                AlertChange::Raised { recheck_by } => *recheck_by,
                AlertChange::RecheckRequested { recheck_by } => Some(*recheck_by),
                _ => None,
            };
            row.set_opt(Col::RecheckBy, recheck_by.as_ref(), format_time);
            row.set(Col::Detail, a.message.as_str());
            ("alert", a.change.name())
        }
        EventKind::AlarmSounded {
            alert_id,
            key,
            priority,
        } => {
            alert_cells(&mut row, *key, *priority);
            row.set(Col::AlertId, alert_id.to_string());
            ("alarm-audio", "sounded")
        }
        EventKind::AudioPaused { until } => {
            row.set(Col::Until, format_time(until));
            ("alarm-audio", "paused")
        }
        EventKind::Snoozed {
            key,
            priority,
            until,
        } => {
            alert_cells(&mut row, *key, *priority);
            row.set(Col::Until, format_time(until));
            ("alarm-audio", "snoozed")
        }
        EventKind::SnoozeEnded { key } => {
            row.set(Col::AlertVital, key.subject_name());
            row.set(Col::AlertCondition, key.condition());
            ("alarm-audio", "snooze-ended")
        }
        EventKind::TechnicalAlarm { condition } => {
            row.set(Col::Detail, condition.as_str());
            ("technical", "raised")
        }
        EventKind::LimitChanged {
            key,
            priority,
            limit,
        } => {
            alert_cells(&mut row, *key, *priority);
            row.set(Col::Detail, format_value(*limit));
            ("limit", "changed")
        }
        EventKind::SessionRecovered { note } => {
            row.set(Col::Detail, note.as_str());
            ("session", "recovered")
        }
        EventKind::InputRejected { problem } => {
            row.set(Col::Detail, problem.as_str());
            ("import", "rejected")
        }
        EventKind::Discharged(c) => {
            row.set(Col::AldreteScore, c.aldrete_score.to_string());
            row.set(Col::EscortPresent, yes_no(c.escort_present));
            row.set(Col::VitalsNearBaseline, yes_no(c.vitals_near_baseline));
            ("discharge", "discharged")
        }
    };
    row.set(Col::Record, record);
    row.set(Col::Event, event);
    row
}

fn reading_cells<'a>(
    row: &mut Row<'a>,
    id: u32,
    status: &'static str,
    values: Option<&VitalSet>,
    doubt: Option<&'a Doubt>,
) {
    row.set(Col::ReadingId, id.to_string());
    row.set(Col::Status, status);
    if let Some(v) = values {
        for vital in Vital::ALL {
            row.set_opt(Col::of_vital(vital), v.get(vital), format_value);
        }
    }
    if let Some(d) = doubt {
        row.set(Col::Warning, d.note.as_str());
        row.set(Col::WarningConfirmed, yes_no(d.confirmed));
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Reads typed cells out of a row, naming the column on failure.
struct Cells<'a>(&'a Row<'a>);

impl Cells<'_> {
    fn fail<T>(&self, col: Col, expected: &str) -> Result<T, RowError> {
        Err(RowError {
            column: col.name(),
            value: crate::shown::excerpt(self.0.get(col)),
            expected: expected.to_string(),
        })
    }

    fn text(&self, col: Col) -> String {
        self.0.get(col).to_string()
    }

    fn optional_text(&self, col: Col) -> Option<String> {
        Some(self.0.get(col))
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    fn time(&self, col: Col) -> Result<Time, RowError> {
        parse_time_with_offset(self.0.get(col))
            .map_or_else(|| self.fail(col, "is not an ISO 8601 time with offset"), Ok)
    }

    fn optional_time(&self, col: Col) -> Result<Option<Time>, RowError> {
        match self.0.get(col) {
            "" => Ok(None),
            _ => self.time(col).map(Some),
        }
    }

    fn number<T: std::str::FromStr>(&self, col: Col) -> Result<T, RowError> {
        self.0
            .get(col)
            .parse()
            .map_or_else(|_| self.fail(col, "is not a number"), Ok)
    }

    fn optional_number<T: std::str::FromStr>(&self, col: Col) -> Result<Option<T>, RowError> {
        match self.0.get(col) {
            "" => Ok(None),
            _ => self.number(col).map(Some),
        }
    }

    fn yes_no(&self, col: Col) -> Result<bool, RowError> {
        match self.0.get(col) {
            "yes" => Ok(true),
            "no" => Ok(false),
            _ => self.fail(col, "is not yes or no"),
        }
    }

    fn values(&self) -> Result<VitalSet, RowError> {
        let mut values = VitalSet::default();
        for vital in Vital::ALL {
            values.set(vital, self.optional_number(Col::of_vital(vital))?);
        }
        Ok(values)
    }

    fn doubt(&self) -> Result<Option<Doubt>, RowError> {
        match self.optional_text(Col::Warning) {
            None => Ok(None),
            Some(note) => Ok(Some(Doubt {
                note,
                confirmed: self.yes_no(Col::WarningConfirmed)?,
            })),
        }
    }

    fn via(&self) -> Result<Via, RowError> {
        Via::parse(self.0.get(Col::Detail)).or_else(|e| self.fail(Col::Detail, &e))
    }

    fn status(&self, expected: &str) -> Result<(), RowError> {
        if self.0.get(Col::Status) == expected {
            Ok(())
        } else {
            self.fail(Col::Status, &format!("should be {expected} for this event"))
        }
    }
}

pub fn row_to_event(row: &Row<'_>) -> Result<Event, RowError> {
    let c = Cells(row);
    let kind = match (row.get(Col::Record), row.get(Col::Event)) {
        ("session", "opened") => EventKind::SessionOpened(SessionInfo {
            patient_id: c.text(Col::PatientId),
            weight_kg: c.optional_number(Col::WeightKg)?,
            protocol: Protocol {
                name: c.text(Col::Protocol),
                dose_mg_per_kg: c.optional_number(Col::DoseMgPerKg)?,
                rate_mg_per_kg_h: c.optional_number(Col::RateMgPerKgH)?,
                planned_min: c.optional_number(Col::PlannedMin)?,
            },
            profile_name: c.text(Col::Profile),
            profile_version: c.text(Col::ProfileVersion),
        }),
        ("session", "closed") => EventKind::SessionClosed,
        ("reading", "recorded") => {
            c.status("final")?;
            EventKind::ReadingRecorded {
                reading_id: c.number(Col::ReadingId)?,
                values: c.values()?,
                doubt: c.doubt()?,
                via: c.via()?,
            }
        }
        ("reading", "amended") => {
            c.status("amended")?;
            EventKind::ReadingAmended {
                reading_id: c.number(Col::ReadingId)?,
                values: c.values()?,
                doubt: c.doubt()?,
            }
        }
        ("reading", "entered-in-error") => {
            c.status("entered-in-error")?;
            EventKind::ReadingEnteredInError {
                reading_id: c.number(Col::ReadingId)?,
            }
        }
        ("assessment", "recorded") => {
            c.status("final")?;
            let scale = c.text(Col::Scale);
            if scale.is_empty() {
                return c.fail(Col::Scale, "should name the scale");
            }
            EventKind::AssessmentRecorded {
                assessment_id: c.number(Col::ReadingId)?,
                scale,
                score: c.number(Col::Score)?,
            }
        }
        ("assessment", "amended") => {
            c.status("amended")?;
            EventKind::AssessmentAmended {
                assessment_id: c.number(Col::ReadingId)?,
                score: c.number(Col::Score)?,
            }
        }
        ("assessment", "entered-in-error") => {
            c.status("entered-in-error")?;
            EventKind::AssessmentEnteredInError {
                assessment_id: c.number(Col::ReadingId)?,
            }
        }
        ("infusion", name) => EventKind::Infusion(match name {
            "started" => InfusionChange::Started {
                rate_mg_per_kg_h: c.optional_number(Col::RateMgPerKgH)?,
            },
            "paused" => InfusionChange::Paused,
            "resumed" => InfusionChange::Resumed,
            "rate-changed" => InfusionChange::RateChanged {
                rate_mg_per_kg_h: c.number(Col::RateMgPerKgH)?,
            },
            "stopped" => InfusionChange::Stopped,
            _ => return c.fail(Col::Event, "is not an infusion event"),
        }),
        ("side-effect", "noted") => EventKind::SideEffectNoted {
            effect: c.text(Col::Detail),
        },
        ("intervention", "performed") => EventKind::Intervention {
            action: c.text(Col::Detail),
        },
        ("alert", name) => EventKind::Alert(alert_from_cells(&c, name)?),
        ("alarm-audio", "sounded") => EventKind::AlarmSounded {
            alert_id: c.number(Col::AlertId)?,
            key: alert_key(&c)?,
            priority: alert_priority(&c)?,
        },
        ("alarm-audio", "paused") => EventKind::AudioPaused {
            until: c.time(Col::Until)?,
        },
        ("alarm-audio", "snoozed") => EventKind::Snoozed {
            key: alert_key(&c)?,
            priority: alert_priority(&c)?,
            until: c.time(Col::Until)?,
        },
        ("alarm-audio", "snooze-ended") => EventKind::SnoozeEnded {
            key: alert_key(&c)?,
        },
        ("technical", "raised") => EventKind::TechnicalAlarm {
            condition: c.text(Col::Detail),
        },
        ("limit", "changed") => EventKind::LimitChanged {
            key: alert_key(&c)?,
            priority: alert_priority(&c)?,
            limit: c.number(Col::Detail)?,
        },
        ("session", "recovered") => EventKind::SessionRecovered {
            note: c.text(Col::Detail),
        },
        ("import", "rejected") => EventKind::InputRejected {
            problem: c.text(Col::Detail),
        },
        ("discharge", "discharged") => EventKind::Discharged(DischargeCriteria {
            aldrete_score: c.number(Col::AldreteScore)?,
            escort_present: c.yes_no(Col::EscortPresent)?,
            vitals_near_baseline: c.yes_no(Col::VitalsNearBaseline)?,
        }),
        _ => return c.fail(Col::Record, "with its event is not a known kind of row"),
    };
    Ok(Event {
        seq: c.number(Col::Seq)?,
        at: c.time(Col::Time)?,
        entered_at: c.time(Col::EnteredAt)?,
        by: c.text(Col::By),
        source: Source::from_cell(row.get(Col::Source)).map_or_else(
            || {
                c.fail(
                    Col::Source,
                    "is not manual, import:FILE:LINE, device:ID or alert-engine",
                )
            },
            Ok,
        )?,
        reason: c.optional_text(Col::Reason),
        kind,
    })
}

fn alert_from_cells(c: &Cells<'_>, name: &str) -> Result<AlertEvent, RowError> {
    let recheck_by = c.optional_time(Col::RecheckBy)?;
    let change = match name {
        "raised" => AlertChange::Raised { recheck_by },
        "recheck-requested" => match recheck_by {
            Some(recheck_by) => AlertChange::RecheckRequested { recheck_by },
            None => return c.fail(Col::RecheckBy, "is needed for a recheck request"),
        },
        "recheck-ended" => AlertChange::RecheckEnded,
        "recheck-overdue" => AlertChange::RecheckOverdue,
        "recheck-expired" => AlertChange::RecheckExpired,
        "escalated" => AlertChange::Escalated,
        "acknowledged" => AlertChange::Acknowledged,
        "resolved" => AlertChange::Resolved,
        _ => return c.fail(Col::Event, "is not an alert event"),
    };
    let key = alert_key(c)?;
    let priority = alert_priority(c)?;
    Ok(AlertEvent {
        alert_id: c.number(Col::AlertId)?,
        key,
        priority,
        change,
        reading_id: c.optional_number(Col::ReadingId)?,
        message: c.text(Col::Detail),
    })
}

/// The last row of every log: how many events it seals, when it was sealed, and (when
/// it is signed) the key's fingerprint in `by` and the public key in `source`. The
/// signature itself goes in `reason` once the row before it is written.
pub fn seal_row(events: usize, sealed_at: &Time, key: Option<&PublicKey>) -> Row<'static> {
    let mut row = Row::default();
    if let Some(key) = key {
        row.set(Col::By, format!("{KEY}{}", key.fingerprint()));
        row.set(Col::Source, format!("{ED25519}{}", key.hex()));
    }
    // Numbered after the last event, so `seq` stays a whole-number column.
    row.set(Col::Seq, (events + 1).to_string());
    row.set(Col::Record, RECORD_SEAL);
    row.set(Col::Event, "sealed");
    row.set(Col::Time, format_time(sealed_at));
    row.set(Col::Detail, format!("{events} events"));
    row
}

/// Reads a seal row back: the number of events it seals and when.
pub fn parse_seal(row: &Row<'_>) -> Result<(usize, Time), RowError> {
    let c = Cells(row);
    let count = row
        .get(Col::Detail)
        .strip_suffix(" events")
        .and_then(|n| n.parse::<usize>().ok());
    match count {
        Some(n) if Some(c.number::<usize>(Col::Seq)?) == n.checked_add(1) => {
            Ok((n, c.time(Col::Time)?))
        }
        Some(_) => c.fail(Col::Seq, "should follow the last event's number"),
        None => c.fail(
            Col::Detail,
            "should say how many events the seal covers, as 'N events'",
        ),
    }
}

fn alert_cells(row: &mut Row<'_>, key: AlertKey, priority: Priority) {
    row.set(Col::AlertVital, key.subject_name());
    row.set(Col::AlertCondition, key.condition());
    row.set(Col::AlertPriority, priority.name());
}

fn alert_key(c: &Cells<'_>) -> Result<AlertKey, RowError> {
    AlertKey::from_cells(c.0.get(Col::AlertVital), c.0.get(Col::AlertCondition)).map_or_else(
        || {
            c.fail(
                Col::AlertCondition,
                "with alert_vital is not a known alert (high or low of a vital, or reading-overdue)",
            )
        },
        Ok,
    )
}

fn alert_priority(c: &Cells<'_>) -> Result<Priority, RowError> {
    Priority::from_name(c.0.get(Col::AlertPriority)).map_or_else(
        || c.fail(Col::AlertPriority, "is not low, medium or high"),
        Ok,
    )
}
