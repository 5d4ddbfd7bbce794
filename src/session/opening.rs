//! The rules for opening a session: the weight, total dose and planned minutes it may
//! have (the profile's `[session]` ranges) and the rate they make. `Session::open` and the
//! start screen ask the same question here, so the window cannot let through what the
//! core refuses. Every message names the field, the value and the accepted range.

use crate::alerts::profile::SessionRules;
use crate::session::events::{Protocol, SessionInfo};
use crate::session::reading::format_value;
use std::fmt;

/// A number of a session's opening information, named as the start screen labels it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InfoField {
    /// `SessionInfo::weight_kg`.
    Weight,
    /// `Protocol::dose_mg_per_kg`.
    Dose,
    /// `Protocol::planned_min`.
    PlannedMinutes,
    /// `Protocol::rate_mg_per_kg_h`.
    Rate,
}

impl InfoField {
    /// The field as the start screen labels it: "Weight", "Total dose", ...
    pub fn label(self) -> &'static str {
        match self {
            InfoField::Weight => "Weight",
            InfoField::Dose => "Total dose",
            InfoField::PlannedMinutes => "Planned minutes",
            InfoField::Rate => "Rate",
        }
    }

    /// The unit its value and range are in: kg, mg/kg, min, mg/kg/h.
    pub fn unit(self) -> &'static str {
        match self {
            InfoField::Weight => "kg",
            InfoField::Dose => "mg/kg",
            InfoField::PlannedMinutes => "min",
            InfoField::Rate => "mg/kg/h",
        }
    }
}

/// What a field accepts, in the field's unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Accepted {
    /// From the first to the second, both included.
    Between(f64, f64),
    /// Above 0, up to this, included: a total dose.
    AboveZeroUpTo(f64),
    /// Above 0: a rate with no dose and minutes to follow from.
    AboveZero,
    /// Exactly this, within rounding: the rate the dose and the minutes make.
    Exactly(f64),
}

impl Accepted {
    fn holds(self, value: f64) -> bool {
        value.is_finite()
            && match self {
                Accepted::Between(lo, hi) => lo <= value && value <= hi,
                Accepted::AboveZeroUpTo(hi) => 0.0 < value && value <= hi,
                Accepted::AboveZero => 0.0 < value,
                Accepted::Exactly(x) => (value - x).abs() <= 1e-9 * x.abs().max(1.0),
            }
    }
}

/// One number a session cannot open with. Displays as `Field value unit: reason
/// (accepted range)`, e.g. "Weight 5 kg: below the accepted range (accepted 20-300 kg)".
#[derive(Clone, Debug, PartialEq)]
pub struct InfoProblem {
    pub field: InfoField,
    /// The value given, in the field's unit.
    pub value: f64,
    /// What the profile (or, for the rate, the dose and minutes) accepts.
    pub accepted: Accepted,
}

impl fmt::Display for InfoProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = self.field.unit();
        let reason = match self.accepted {
            _ if !self.value.is_finite() => "not a number",
            Accepted::Exactly(_) => "not the total dose over the planned minutes",
            Accepted::Between(lo, _) if self.value < lo => "below the accepted range",
            Accepted::AboveZeroUpTo(_) | Accepted::AboveZero if self.value <= 0.0 => {
                "below the accepted range"
            }
            _ => "above the accepted range",
        };
        let accepted = match self.accepted {
            Accepted::Between(lo, hi) => {
                format!("{}-{} {unit}", format_value(lo), format_value(hi))
            }
            Accepted::AboveZeroUpTo(hi) => format!("above 0, up to {} {unit}", format_value(hi)),
            Accepted::AboveZero => format!("above 0 {unit}"),
            Accepted::Exactly(x) => format!("{} {unit}", format_value(x)),
        };
        write!(
            f,
            "{} {} {unit}: {reason} (accepted {accepted})",
            self.field.label(),
            format_value(self.value)
        )
    }
}

/// What in `info` a session cannot open with under `rules`, in the order the start screen
/// shows its fields; empty when it may open. A number left out (an import knows no weight
/// or dose) is not checked. The rate, when given, must be above 0 and, with the dose and
/// the minutes known, be what they make ([`Protocol::rate_for`]).
pub fn check(rules: &SessionRules, info: &SessionInfo) -> Vec<InfoProblem> {
    let p = &info.protocol;
    let (m_lo, m_hi) = rules.planned_min;
    let rate = match (p.dose_mg_per_kg, p.planned_min) {
        (Some(dose), Some(minutes)) if minutes > 0 => {
            Some(Accepted::Exactly(Protocol::rate_for(dose, minutes)))
        }
        // No rate follows from 0 minutes, which are refused as such.
        (Some(_), Some(_)) => None,
        _ => Some(Accepted::AboveZero),
    };
    let checks = [
        (
            InfoField::Weight,
            info.weight_kg
                .map(|w| (w, Accepted::Between(rules.weight_kg.0, rules.weight_kg.1))),
        ),
        (
            InfoField::Dose,
            p.dose_mg_per_kg
                .map(|d| (d, Accepted::AboveZeroUpTo(rules.max_dose_mg_per_kg))),
        ),
        (
            InfoField::PlannedMinutes,
            p.planned_min.map(|m| {
                let range = Accepted::Between(f64::from(m_lo), f64::from(m_hi));
                (f64::from(m), range)
            }),
        ),
        (InfoField::Rate, p.rate_mg_per_kg_h.zip(rate)),
    ];
    checks
        .into_iter()
        .filter_map(|(field, checked)| {
            let (value, accepted) = checked?;
            (!accepted.holds(value)).then_some(InfoProblem {
                field,
                value,
                accepted,
            })
        })
        .collect()
}
