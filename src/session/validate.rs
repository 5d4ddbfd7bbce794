//! Entry validation in two tiers: outside the accepted range a value cannot be saved;
//! outside the usual range it is saved only with a confirmation that is recorded.
//! Every message names the field, the value and the accepted range.

use crate::alerts::profile::ValidationRules;
use crate::alerts::scales::Scale;
use crate::clock::Time;
use crate::session::reading::{Vital, VitalSet, format_value};
use chrono::Duration;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Cannot be saved.
    Reject,
    /// Saved only with a recorded confirmation.
    Warn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Vital(Vital),
    PulsePressure,
    Time,
    /// A whole row of an imported file (its cells out of step with the header).
    Row,
    /// An assessment's score (the problem's value names its scale).
    Score,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::Vital(v) => f.write_str(v.name()),
            Field::PulsePressure => f.write_str("pulse_pressure"),
            Field::Time => f.write_str("time"),
            Field::Row => f.write_str("row"),
            Field::Score => f.write_str("score"),
        }
    }
}

impl Field {
    /// The field as the screen names it ("Heart rate", "Pulse pressure"); `Display` gives
    /// the machine name the command line's messages and the log use.
    pub fn label(self) -> &'static str {
        match self {
            Field::Vital(v) => v.label(),
            Field::PulsePressure => "Pulse pressure",
            Field::Time => "Time",
            Field::Row => "Row",
            Field::Score => "Score",
        }
    }
}

/// One finding about one value. Displays as `field value: reason (accepted range)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub field: Field,
    pub value: String,
    pub severity: Severity,
    pub reason: String,
    /// What would have been accepted without question, e.g. `accepted 40-300 mmHg`.
    pub accepted: String,
    /// The vitals this finding removes from the reading when it rejects.
    pub drops: Vec<Vital>,
}

impl Problem {
    /// The finding in the screen's words: `Heart rate 250: ... (accepted ...)`.
    pub fn for_person(&self) -> String {
        format!(
            "{} {}: {} ({})",
            self.field.label(),
            self.value,
            self.reason,
            self.accepted
        )
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} ({})",
            self.field, self.value, self.reason, self.accepted
        )
    }
}

/// What validation needs to know about the session around a reading.
pub struct Context<'a> {
    pub now: Time,
    pub session_opened_at: Option<Time>,
    /// Valid readings to compare with, (measured at, values): at least those measured at
    /// the same time and, for each vital entered, the previous one within the jump window.
    pub earlier: &'a [(Time, VitalSet)],
}

pub fn validate(
    rules: &ValidationRules,
    values: &VitalSet,
    at: Time,
    ctx: &Context,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_time(rules, at, ctx, &mut problems);
    for (vital, value) in without_rejected(values, &problems).present() {
        check_accepted(rules, vital, value, &mut problems);
    }
    check_pair(rules, &without_rejected(values, &problems), &mut problems);
    // Warnings only about what will be kept: a rejected typo raises no second doubt.
    let kept = without_rejected(values, &problems);
    for (vital, value) in kept.present() {
        check_usual(rules, vital, value, &mut problems);
    }
    check_history(rules, &kept, at, ctx, &mut problems);
    problems
}

/// Checks an assessment's score on `scale`, measured at `at`: a whole score within the
/// scale's range, a time neither in the future nor long before the session (as a
/// reading's). Every problem rejects: a score has no warning tier.
pub fn validate_score(
    rules: &ValidationRules,
    scale: &Scale,
    score: i32,
    at: Time,
    ctx: &Context,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    check_time(rules, at, ctx, &mut problems);
    if scale.meaning(score).is_err() {
        let (lo, hi) = scale.range;
        problems.push(Problem {
            field: Field::Score,
            value: format!("{} {score}", scale.name),
            severity: Severity::Reject,
            reason: "is not a score of this scale".into(),
            accepted: format!("accepted {lo}-{hi}"),
            drops: vec![],
        });
    }
    problems
}

fn range_text(lo: f64, hi: f64, unit: &str) -> String {
    format!("{}-{} {unit}", format_value(lo), format_value(hi))
}

/// What a vital's hard range accepts, as messages say it: `accepted 40-300 mmHg`.
pub fn accepted_range(rules: &ValidationRules, vital: Vital) -> String {
    let (lo, hi) = rules.range(vital).accept;
    format!("accepted {}", range_text(lo, hi, vital.unit()))
}

fn check_accepted(rules: &ValidationRules, vital: Vital, value: f64, out: &mut Vec<Problem>) {
    let (lo, hi) = rules.range(vital).accept;
    if !value.is_finite() || value < lo || value > hi {
        let reason = if value < lo {
            "below the accepted range"
        } else {
            "above the accepted range"
        };
        out.push(Problem {
            field: Field::Vital(vital),
            value: format_value(value),
            severity: Severity::Reject,
            reason: format!("{reason}, cannot be saved"),
            accepted: accepted_range(rules, vital),
            drops: vec![vital],
        });
    }
}

fn check_usual(rules: &ValidationRules, vital: Vital, value: f64, out: &mut Vec<Problem>) {
    let unit = vital.unit();
    let (ulo, uhi) = rules.range(vital).usual;
    if value < ulo || value > uhi {
        let side = if value < ulo {
            "unusually low"
        } else {
            "unusually high"
        };
        out.push(Problem {
            field: Field::Vital(vital),
            value: format_value(value),
            severity: Severity::Warn,
            reason: format!("{side}, confirm it was measured"),
            accepted: format!("usual {}", range_text(ulo, uhi, unit)),
            drops: vec![],
        });
    }
}

fn check_pair(rules: &ValidationRules, values: &VitalSet, out: &mut Vec<Problem>) {
    let (Some(sys), Some(dia)) = (values.get(Vital::Systolic), values.get(Vital::Diastolic)) else {
        return;
    };
    if dia >= sys {
        out.push(Problem {
            field: Field::Vital(Vital::Diastolic),
            value: format_value(dia),
            severity: Severity::Reject,
            reason: format!(
                "not below systolic {} mmHg, the pair cannot be saved",
                format_value(sys)
            ),
            accepted: "accepted below systolic".into(),
            drops: vec![Vital::Systolic, Vital::Diastolic],
        });
        return;
    }
    let pulse_pressure = sys - dia;
    let (lo, hi) = rules.pulse_pressure.usual;
    if pulse_pressure < lo || pulse_pressure > hi {
        let side = if pulse_pressure < lo {
            "unusually narrow"
        } else {
            "unusually wide"
        };
        out.push(Problem {
            field: Field::PulsePressure,
            value: format_value(pulse_pressure),
            severity: Severity::Warn,
            reason: format!(
                "{side} for {}/{}, confirm it was measured",
                format_value(sys),
                format_value(dia)
            ),
            accepted: format!("usual {}", range_text(lo, hi, "mmHg")),
            drops: vec![],
        });
    }
}

fn check_time(rules: &ValidationRules, at: Time, ctx: &Context, out: &mut Vec<Problem>) {
    let every_vital = Vital::ALL.to_vec();
    if at > ctx.now {
        out.push(Problem {
            field: Field::Time,
            value: crate::clock::format_time(&at),
            severity: Severity::Reject,
            reason: "is in the future".into(),
            accepted: format!(
                "accepted up to now, {}",
                crate::clock::format_time(&ctx.now)
            ),
            drops: every_vital,
        });
        return;
    }
    if let Some(opened) = ctx.session_opened_at {
        let earliest = opened - Duration::hours(i64::from(rules.time.max_before_session_h));
        if at < earliest {
            out.push(Problem {
                field: Field::Time,
                value: crate::clock::format_time(&at),
                severity: Severity::Reject,
                reason: "is long before the session opened".into(),
                accepted: format!(
                    "accepted from {}, {} h before the session",
                    crate::clock::format_time(&earliest),
                    rules.time.max_before_session_h
                ),
                drops: every_vital,
            });
        }
    }
}

fn check_history(
    rules: &ValidationRules,
    values: &VitalSet,
    at: Time,
    ctx: &Context,
    out: &mut Vec<Problem>,
) {
    for (vital, _) in values.present() {
        if ctx
            .earlier
            .iter()
            .any(|(t, v)| *t == at && v.get(vital).is_some())
        {
            out.push(Problem {
                field: Field::Time,
                value: crate::clock::format_time(&at),
                severity: Severity::Warn,
                reason: format!(
                    "{vital} already has a reading at this time, confirm it is another one"
                ),
                accepted: "usual one reading per vital and time".into(),
                drops: vec![],
            });
        }
    }
    let window = Duration::minutes(i64::from(rules.jump.window_min));
    for (vital, limit) in [
        (Vital::Systolic, rules.jump.systolic),
        (Vital::HeartRate, rules.jump.heart_rate),
    ] {
        let Some(value) = values.get(vital) else {
            continue;
        };
        // The closest earlier reading of this vital within the window.
        let previous = ctx
            .earlier
            .iter()
            .filter(|(t, v)| *t < at && at - *t <= window && v.get(vital).is_some())
            .max_by_key(|(t, _)| *t);
        if let Some((t, v)) = previous {
            let before = v.get(vital).unwrap_or(value);
            if (value - before).abs() >= limit {
                out.push(Problem {
                    field: Field::Vital(vital),
                    value: format_value(value),
                    severity: Severity::Warn,
                    reason: format!(
                        "changed by {} {} from {} at {} within {} min, confirm it was measured",
                        format_value((value - before).abs()),
                        vital.unit(),
                        format_value(before),
                        t.format("%H:%M"),
                        rules.jump.window_min
                    ),
                    accepted: format!(
                        "usual change under {} {} within {} min",
                        format_value(limit),
                        vital.unit(),
                        rules.jump.window_min
                    ),
                    drops: vec![],
                });
            }
        }
    }
}

/// Splits findings into what rejects and what only warns.
pub fn partition(problems: Vec<Problem>) -> (Vec<Problem>, Vec<Problem>) {
    problems
        .into_iter()
        .partition(|p| p.severity == Severity::Reject)
}

/// The reading with every rejected value removed; the rest is kept.
pub fn without_rejected(values: &VitalSet, rejected: &[Problem]) -> VitalSet {
    let mut kept = *values;
    for vital in rejected.iter().flat_map(|p| p.drops.iter()) {
        kept.set(*vital, None);
    }
    kept
}
