//! The sentences a reviewed log is told in, shared by the review screen and the PDF
//! report so both say the same thing: the summary's lines, each alarm from raised to
//! resolved, the infusion's steps, the discharge. What an absence means depends on what
//! the log can tell (`Told`).

use crate::clock::Time;
use crate::log::seal::PublicKey;
use crate::review::SealLine;
use crate::session::SessionState;
use crate::session::events::{InfusionChange, Priority, Source};
use crate::session::reading::{Vital, format_value};
use crate::session::summary::{
    Acknowledged, AlarmRecord, InfusionStep, ScaleScores, SessionSummary,
};
use chrono::{Duration, FixedOffset};

/// One infusion step in words: "08:10  started at 0.75 mg/kg/h, by RN-7".
pub fn step_line(step: &InfusionStep, clock: &dyn Fn(&Time) -> String) -> String {
    let what = match &step.change {
        InfusionChange::Started { rate_mg_per_kg_h } => match rate_mg_per_kg_h {
            Some(r) => format!("started at {} mg/kg/h", format_value(*r)),
            None => "started".to_string(),
        },
        InfusionChange::RateChanged { rate_mg_per_kg_h } => {
            format!(
                "rate changed to {} mg/kg/h",
                format_value(*rate_mg_per_kg_h)
            )
        }
        other => other.name().to_string(),
    };
    let why = step
        .reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    format!("{}  {what}, by {}{why}", clock(&step.at), step.by)
}

/// "yes" or "no", as the discharge's criteria are said.
pub fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// A duration as a reader says it: "25 min", "1 h 52 min".
pub fn minutes(d: Duration) -> String {
    let m = d.num_minutes();
    if m >= 60 {
        format!("{} h {:02} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

/// The summary in lines of words, for the PDF and the review screen alike.
pub fn summary_lines(s: &SessionSummary, offset: &FixedOffset) -> Vec<String> {
    let at = |t: &Time| t.with_timezone(offset).format("%H:%M").to_string();
    let day = |t: &Time| t.with_timezone(offset).format("%Y-%m-%d %H:%M").to_string();
    let value = |v: Option<f64>| v.map_or("-".to_string(), |v| format_value(v.round()));
    let protocol = &s.protocol;
    let mut dose = Vec::new();
    if let Some(d) = protocol.dose_mg_per_kg {
        dose.push(format!("{} mg/kg", format_value(d)));
    }
    if let Some(r) = protocol.rate_mg_per_kg_h {
        dose.push(format!("{} mg/kg/h", format_value(r)));
    }
    if let Some(m) = protocol.planned_min {
        dose.push(format!("{m} min planned"));
    }
    if let Some(w) = s.weight_kg {
        dose.push(format!("weight {} kg", format_value(w)));
    }
    let mut lines = vec![format!(
        "Protocol: {}{}; profile {}",
        if protocol.name.is_empty() {
            "-"
        } else {
            &protocol.name
        },
        if dose.is_empty() {
            String::new()
        } else {
            format!(" ({})", dose.join(", "))
        },
        s.profile
    )];
    if let (Some(from), Some(to)) = (s.opened_at, s.ended_at) {
        lines.push(format!(
            "Session: {} to {}, {}",
            day(&from),
            at(&to),
            minutes(to - from)
        ));
    }
    // Respiratory rate only where it was measured: logs before it never hold one.
    let resp_rate = s.baseline_of(Vital::RespRate).map_or(String::new(), |rr| {
        format!(", resp. rate {} /min", value(Some(rr)))
    });
    lines.push(format!(
        "Baseline (mean before the start): BP {}/{} mmHg, heart rate {} /min, SpO2 {} %{resp_rate}",
        value(s.baseline_of(Vital::Systolic)),
        value(s.baseline_of(Vital::Diastolic)),
        value(s.baseline_of(Vital::HeartRate)),
        value(s.baseline_of(Vital::Spo2)),
    ));
    lines.push(match (s.peak_systolic, s.systolic_rise()) {
        (Some(peak), Some(rise)) => format!(
            "Peak systolic: {} mmHg at {}, {}{} mmHg from baseline",
            format_value(peak.value),
            at(&peak.at),
            if rise >= 0.0 { "+" } else { "" },
            format_value(rise.round())
        ),
        (Some(peak), None) => format!(
            "Peak systolic: {} mmHg at {} (no baseline)",
            format_value(peak.value),
            at(&peak.at)
        ),
        _ => "Peak systolic: no blood pressure recorded".to_string(),
    });
    lines.push(match s.lowest_spo2 {
        Some(low) => format!(
            "Lowest SpO2: {} % at {}",
            format_value(low.value),
            at(&low.at)
        ),
        None => "Lowest SpO2: none recorded".to_string(),
    });
    for scale in &s.scores {
        lines.push(score_line(scale, &at));
    }
    if let Some(low) = s.lowest_resp_rate {
        lines.push(format!(
            "Lowest respiratory rate: {} /min at {}",
            format_value(low.value),
            at(&low.at)
        ));
    }
    let [low, medium, high] = s.alarms_by_priority();
    lines.push(format!(
        "Alarms by highest priority: high {high}, medium {medium}, low {low}"
    ));
    lines.push(format!(
        "Readings: {} valid; {} corrected, {} entered in error",
        s.readings, s.corrected, s.entered_in_error
    ));
    lines
}

/// How much of the session a log can tell, which decides how an absence is worded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Told {
    /// An intact log of a session at the chair: what is absent did not happen.
    Whole,
    /// An intact log read from a monitor's file: no acknowledgement or discharge is in it.
    Imported,
    /// Only the rows before a fault: what came after cannot be known.
    BeforeFault,
}

/// Who signed an intact log's seal, as the review and the report say it after "seal
/// intact": the key's fingerprint (which installation; whether the clinic trusts it is
/// for `audit --trusted-keys`), or that the seal is unsigned.
pub fn signer_text(signed_by: Option<&PublicKey>) -> String {
    match signed_by {
        Some(key) => format!("signed by key {}", key.fingerprint()),
        None => "unsigned (sealed before signatures, or its signature was removed)".into(),
    }
}

/// One scale's scores in a line: how many, the ones around the infusion (pain before and
/// after it), the lowest and highest.
fn score_line(s: &ScaleScores, at: &dyn Fn(&Time) -> String) -> String {
    let mut parts = vec![format!("{} score(s)", s.scores.len())];
    if let Some((when, score)) = s.before {
        parts.push(format!("{score} before the infusion ({})", at(&when)));
    }
    if let Some((when, score)) = s.after {
        parts.push(format!("{score} after it ({})", at(&when)));
    }
    if let Some(((low_at, low), (high_at, high))) = s.range() {
        parts.push(format!(
            "lowest {low} at {}, highest {high} at {}",
            at(&low_at),
            at(&high_at)
        ));
    }
    format!("{}: {}", s.scale, parts.join("; "))
}

impl Told {
    /// What a log with this seal, of a session opened this way, can tell.
    pub fn of(seal: &SealLine, state: &SessionState) -> Told {
        match seal {
            SealLine::NotIntact(_) => Told::BeforeFault,
            SealLine::Intact { .. } if matches!(state.opened_source, Source::Imported { .. }) => {
                Told::Imported
            }
            SealLine::Intact { .. } => Told::Whole,
        }
    }

    /// What stands where a record is absent.
    fn absent(self, what: &str) -> String {
        match self {
            Told::Whole => format!("NOT {what}"),
            // An imported file never holds one: say so without naming it a failure.
            Told::Imported => "not recorded (imported)".to_string(),
            Told::BeforeFault => format!("not {what} in the rows before the fault"),
        }
    }
}

/// How an alarm was acknowledged, in words, and whether that falls short of the
/// protocol (a medium or high alarm not acknowledged at its highest priority).
pub fn acknowledgement_text(
    a: &AlarmRecord,
    clock: &dyn Fn(&Time) -> String,
    told: Told,
) -> (String, bool) {
    let said = |k: &Acknowledged| {
        let action = k
            .action
            .as_deref()
            .map(|x| format!(" ({x})"))
            .unwrap_or_default();
        format!("{} by {}{action}", clock(&k.at), k.by)
    };
    if let Some(k) = a.acknowledged_at_highest() {
        let waited = minutes(k.at - a.highest_since);
        return (format!("acknowledged {} after {waited}", said(k)), false);
    }
    let missing = told.absent(&format!("acknowledged at {}", a.highest));
    let short = a.highest >= Priority::Medium && told == Told::Whole;
    match a.acknowledgements.first() {
        Some(k) => (
            format!("acknowledged at {} {}; {missing}", k.priority, said(k)),
            short,
        ),
        None if a.highest >= Priority::Medium => (missing, short),
        None => ("no acknowledgement needed (low)".to_string(), false),
    }
}

/// How an alarm ended, in words.
pub fn resolution_text(a: &AlarmRecord, clock: &dyn Fn(&Time) -> String, told: Told) -> String {
    match (a.resolved_at, a.lasted()) {
        (Some(at), Some(lasted)) if a.not_rechecked => format!(
            "not rechecked: ended {} after {}",
            clock(&at),
            minutes(lasted)
        ),
        (Some(at), Some(lasted)) => format!("resolved {} after {}", clock(&at), minutes(lasted)),
        _ if told == Told::BeforeFault => "no resolution in the rows before the fault".to_string(),
        _ => "still active at the end".to_string(),
    }
}

/// One alarm from raised to resolved, in one line of words.
pub fn alarm_line(a: &AlarmRecord, clock: &dyn Fn(&Time) -> String, told: Told) -> String {
    let marker = a.highest.marker();
    let mut line = format!(
        "{}  {marker} {} ({} priority): raised",
        clock(&a.raised_at),
        a.key.describe(),
        a.highest
    );
    if a.highest > Priority::Low && a.highest_since != a.raised_at {
        line.push_str(&format!(", {} from {}", a.highest, clock(&a.highest_since)));
    }
    let (acknowledged, _) = acknowledgement_text(a, clock, told);
    line.push_str(&format!(
        "; {acknowledged}; {}",
        resolution_text(a, clock, told)
    ));
    line
}

/// The discharge in words.
pub fn discharge_text(s: &SessionSummary, clock: &dyn Fn(&Time) -> String, told: Told) -> String {
    match &s.discharge {
        Some((at, c, reason)) => format!(
            "{}  modified Aldrete {}, escort {}, vitals near baseline {}{}",
            clock(at),
            c.aldrete_score,
            yes_no(c.escort_present),
            yes_no(c.vitals_near_baseline),
            reason
                .as_deref()
                .map(|r| format!("; {r}"))
                .unwrap_or_default()
        ),
        None => {
            let absent = told.absent("recorded");
            let mut text = absent[..1].to_uppercase() + &absent[1..];
            text.push('.');
            text
        }
    }
}

/// Every score recorded, in assessed order, for the report, the review and the chair: its time, scale, score and words, who gave it,
/// and what became of it (corrected from what, or entered in error, and why).
pub fn assessment_lines(
    state: &SessionState,
    profile: &crate::alerts::Profile,
    clock: &dyn Fn(&Time) -> String,
) -> Vec<String> {
    let mut records: Vec<_> = state.assessments.iter().collect();
    records.sort_by_key(|a| a.versions.last().map(|v| v.at));
    records
        .into_iter()
        .filter_map(|a| {
            let last = a.versions.last()?;
            let meaning = crate::alerts::scales::by_name(&profile.scales, &a.scale)
                .and_then(|s| s.meaning(last.score).ok())
                .map_or(String::new(), |m| format!(" ({m})"));
            let mut line = format!(
                "{}  {} {}{meaning} by {}",
                clock(&last.at),
                a.scale,
                last.score,
                last.by
            );
            if a.versions.len() > 1 {
                let first = &a.versions[0];
                line.push_str(&format!(
                    "; corrected from {}: {}",
                    first.score,
                    last.reason.as_deref().unwrap_or("no reason")
                ));
            }
            if let Some((_, reason)) = &a.entered_in_error {
                line.push_str(&format!(
                    "; ENTERED IN ERROR: {}",
                    reason.as_deref().unwrap_or("no reason")
                ));
            }
            Some(line)
        })
        .collect()
}
