//! A threshold profile: the numbers a clinic lead owns, loaded from TOML.

use crate::alerts::scales::Scale;
use crate::session::Vital;
use crate::session::events::{ALDRETE_MAX, AlertKey, DischargeCriteria, Priority};
use serde::Deserialize;
use std::fmt;

/// Longest interval a profile may set: a day. Keeps every date calculation in range.
const MAX_MINUTES: u32 = 24 * 60;
/// Longest a reading may be backdated before its session: 30 days.
const MAX_BACKDATE_H: u32 = 30 * 24;

/// The profile every new session gets unless another is chosen.
pub const DEFAULT_PROFILE: &str = "ketamine-iv-adult";

const BUILTIN: &[(&str, &str)] = &[(
    "ketamine-iv-adult",
    include_str!("../../assets/profiles/ketamine-iv-adult.toml"),
)];

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(
        "no profile named '{0}': use one of {builtin}, or the path of a .toml profile",
        builtin = BUILTIN.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    )]
    Unknown(String),
    #[error("profile {origin} is not valid: {message}")]
    Invalid { origin: String, message: String },
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub name: String,
    pub version: String,
    pub actions: Actions,
    pub baseline: BaselineRules,
    pub recheck: RecheckRules,
    pub stream: StreamRules,
    pub escalation: EscalationRules,
    pub audio: AudioRules,
    pub cadence: Cadence,
    #[serde(rename = "alert")]
    pub alerts: Vec<AlertRule>,
    pub validation: ValidationRules,
    /// Absent from a clinic's profile written before it existed: the built-in profile's.
    #[serde(default)]
    pub session: SessionRules,
    /// Absent from a clinic's profile written before it existed: the built-in profile's.
    #[serde(default)]
    pub discharge: DischargeRules,
    /// The scored assessments a nurse records (`[[scale]]`). Absent from a clinic's
    /// profile written before them: the built-in profile's (MOAA/S and pain NRS).
    #[serde(default = "built_in_scales", rename = "scale")]
    pub scales: Vec<Scale>,
}

/// The built-in profile's scales (one copy of them: the built-in TOML).
fn built_in_scales() -> Vec<Scale> {
    Profile::default_profile().scales
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actions {
    pub low: String,
    pub medium: String,
    pub high: String,
}

impl Actions {
    pub fn for_priority(&self, p: Priority) -> &str {
        match p {
            Priority::Low => &self.low,
            Priority::Medium => &self.medium,
            Priority::High => &self.high,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BloodPressure {
    pub systolic: f64,
    pub diastolic: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineRules {
    pub window_min: u32,
    pub review_at: BloodPressure,
    pub hold_at: BloodPressure,
}

/// How a spot reading that meets a medium condition is confirmed (`[recheck]`): by a
/// second reading of the vital, at least `after_min` later and before `expires_after_min`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecheckRules {
    /// Minutes from the first reading to the first moment a reading counts as its recheck
    /// (the start of that minute: the card shows "recheck at HH:MM"). Built in: 5,
    /// DOMAIN.md's "two readings 5 min apart" (a published academic clinic protocol).
    /// Checked at load: at most a day.
    pub after_min: u32,
    /// Minutes from the first reading to the moment its recheck expires (the start of
    /// that minute, as for `after_min`): with no reading that confirmed or cleared the
    /// condition by then, the advisory ends as not rechecked, and a later reading is a
    /// condition of its own, asking a fresh recheck. Built in: 60. DOMAIN.md gives no
    /// number: a recheck is a second look at the same moment, and at the chair readings
    /// come every 10 to 30 min (its cadence), so within the hour two would have come; a
    /// reading later than that tells of another moment of the session (ketamine's rise
    /// peaks near 40 min). A home cuff's file holds a reading a day or so, and one taken
    /// two days later had "confirmed" the first (issue 14). Checked at load: more than
    /// `after_min`, at most a day. Absent from a clinic's profile written before it
    /// existed: the built-in profile's.
    #[serde(default = "default_recheck_expires_after_min")]
    pub expires_after_min: u32,
}

/// The built-in profile's `recheck.expires_after_min` (one copy of it: the built-in TOML).
fn default_recheck_expires_after_min() -> u32 {
    Profile::default_profile().recheck.expires_after_min
}

/// Values a device streams every few seconds: confirmed by lasting, not by a recheck.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamRules {
    pub condition_delay_s: u32,
    pub gap_breaks_after_s: u32,
    /// Seconds without a message from a connected monitor before the technical alarm
    /// "monitor silent since ...": a monitor streaming SpO2 at 1 Hz that is silent this
    /// long has lost its cable, its network or its patient. Profiles written before
    /// monitor capture get the built-in profile's 30 s.
    #[serde(default = "StreamRules::default_monitor_silent_after_s")]
    pub monitor_silent_after_s: u32,
}

impl StreamRules {
    fn default_monitor_silent_after_s() -> u32 {
        30
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudioRules {
    pub reannounce_unacknowledged_s: u32,
    pub reannounce_acknowledged_s: u32,
    pub pause_max_s: u32,
    pub snooze_max_min: u32,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationRules {
    pub unacknowledged_medium_after_min: u32,
}

/// What a session may be opened with (`[session]`): the start screen and `Session::open`
/// refuse a weight, total dose or planned duration outside these, naming the field, the
/// value and the range (`session::opening::check`). They are plausibility limits, there
/// to catch a slip of the keyboard, not to judge a prescription; they depend on the
/// patients and the drug, so they are the clinic's. The built-in values are the ones the
/// start screen had, around DOMAIN.md's protocols: 0.5-1 mg/kg over 40-60 min for
/// depression, 0.5-2 mg/kg/h over 2-4 h for chronic pain (so at most 8 mg/kg over 240 min).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionRules {
    /// Accepted body weight in kg, both ends included (built in: 20-300, an adult's with
    /// a wide margin). Checked at load: finite, above 0, low <= high.
    pub weight_kg: (f64, f64),
    /// Largest accepted total dose in mg/kg, included (built in: 10, above DOMAIN.md's
    /// largest, 8). A dose must also be above 0, which is what a dose is, not a choice.
    /// Checked at load: finite, above 0.
    pub max_dose_mg_per_kg: f64,
    /// Accepted planned infusion length in minutes, both ends included (built in: 10-600;
    /// DOMAIN.md: 40 min to 4 h). Checked at load: at least 1, low <= high, at most a day.
    pub planned_min: (u32, u32),
    /// The vitals of "a full set", which the baseline, the set due at the stop and their
    /// audit ask for (built in: BP, heart rate and SpO2, DOMAIN.md's). Absent from a
    /// clinic's profile written before it existed: those four. Checked at load: not
    /// empty, and a blood pressure has both halves.
    #[serde(default = "protocol_full_set", deserialize_with = "vitals_from_names")]
    pub full_set: Vec<Vital>,
}

/// DOMAIN.md's full set: blood pressure, heart rate and SpO2.
fn protocol_full_set() -> Vec<Vital> {
    vec![
        Vital::Systolic,
        Vital::Diastolic,
        Vital::HeartRate,
        Vital::Spo2,
    ]
}

/// When a patient may leave without a reason recorded: the discharge command asks for one
/// otherwise, and the audit fails a discharge that has neither.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DischargeRules {
    /// The modified Aldrete score (0 to [`ALDRETE_MAX`]) from which the patient may go,
    /// with an escort and vitals near baseline. Default 9: DOMAIN.md's discharge
    /// criteria, "modified Aldrete >= 9" (Aldrete 1995). Checked at load to lie on the
    /// scale.
    pub aldrete_min: u8,
}

/// A clinic's profile written before these settings existed still loads, with the
/// built-in profile's numbers (one copy of them: the built-in TOML).
impl Default for SessionRules {
    fn default() -> Self {
        Profile::default_profile().session
    }
}

impl Default for DischargeRules {
    fn default() -> Self {
        Profile::default_profile().discharge
    }
}

impl DischargeRules {
    /// The discharge criteria `c` does not meet, in words an auditor and the nurse read
    /// ("modified Aldrete 8 (< 9)", "no escort", "vitals not near baseline"); empty
    /// when the patient may leave without a reason.
    pub fn unmet(&self, c: &DischargeCriteria) -> Vec<String> {
        let mut unmet = Vec::new();
        if c.aldrete_score < self.aldrete_min {
            unmet.push(format!(
                "modified Aldrete {} (< {})",
                c.aldrete_score, self.aldrete_min
            ));
        }
        if !c.escort_present {
            unmet.push("no escort".to_string());
        }
        if !c.vitals_near_baseline {
            unmet.push("vitals not near baseline".to_string());
        }
        unmet
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    pub overdue_low_after_min: u32,
    pub overdue_medium_after_min: u32,
    pub long_infusion_over_min: u32,
    pub short_every_min: u32,
    pub early_every_min: Option<u32>,
    pub early_until_min: Option<u32>,
    pub long_first_hour_every_min: u32,
    pub long_then_every_min: u32,
    pub observation_every_min: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    High,
    Low,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertRule {
    #[serde(deserialize_with = "vital_from_name")]
    pub vital: Vital,
    pub direction: Direction,
    pub clear_margin: f64,
    pub low: Option<Level>,
    pub medium: Option<Level>,
    pub high: Option<Level>,
}

impl AlertRule {
    /// The kind of alert this rule raises: its vital, high or low.
    pub fn key(&self) -> AlertKey {
        match self.direction {
            Direction::High => AlertKey::High(self.vital),
            Direction::Low => AlertKey::Low(self.vital),
        }
    }

    /// Whether any level compares with the baseline.
    pub fn is_relative(&self) -> bool {
        [&self.low, &self.medium, &self.high]
            .into_iter()
            .flatten()
            .any(|l| {
                l.above_baseline.is_some()
                    || l.above_baseline_pct.is_some()
                    || l.below_baseline.is_some()
                    || l.below_baseline_pct.is_some()
            })
    }

    pub fn level(&self, p: Priority) -> Option<&Level> {
        match p {
            Priority::Low => self.low.as_ref(),
            Priority::Medium => self.medium.as_ref(),
            Priority::High => self.high.as_ref(),
        }
    }
}

/// One priority's condition: an absolute threshold and/or one relative to baseline.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub when: Option<Threshold>,
    pub above_baseline: Option<f64>,
    pub above_baseline_pct: Option<f64>,
    pub below_baseline: Option<f64>,
    pub below_baseline_pct: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    AtLeast,
    Above,
    AtMost,
    Below,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::Above => ">",
            Comparison::AtMost => "<=",
            Comparison::Below => "<",
        }
    }

    pub fn holds(self, value: f64, limit: f64) -> bool {
        match self {
            Comparison::AtLeast => value >= limit,
            Comparison::Above => value > limit,
            Comparison::AtMost => value <= limit,
            Comparison::Below => value < limit,
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            Comparison::AtLeast | Comparison::Above => Direction::High,
            Comparison::AtMost | Comparison::Below => Direction::Low,
        }
    }
}

/// A condition such as `>= 160`, written that way in the profile.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
#[serde(try_from = "String")]
pub struct Threshold {
    pub comparison: Comparison,
    pub limit: f64,
}

impl TryFrom<String> for Threshold {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let t = text.trim();
        let (comparison, rest) = [
            (">=", Comparison::AtLeast),
            ("<=", Comparison::AtMost),
            (">", Comparison::Above),
            ("<", Comparison::Below),
        ]
        .into_iter()
        .find_map(|(sym, c)| t.strip_prefix(sym).map(|rest| (c, rest)))
        .ok_or_else(|| format!("condition '{text}' must start with >=, >, <= or <"))?;
        let limit = rest
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("condition '{text}' must end with a number"))?;
        Ok(Threshold { comparison, limit })
    }
}

impl fmt::Display for Threshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.comparison.symbol(), self.limit)
    }
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    pub accept: (f64, f64),
    pub usual: (f64, f64),
}

/// The built-in profile's respiratory-rate range (one copy of it: the built-in TOML).
fn built_in_resp_rate() -> Range {
    Profile::default_profile().validation.resp_rate
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsualRange {
    pub usual: (f64, f64),
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JumpRule {
    pub window_min: u32,
    pub systolic: f64,
    pub heart_rate: f64,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimeRule {
    pub max_before_session_h: u32,
    /// Seconds a connected device's clock may run ahead of the chair's: monitors are
    /// rarely synchronized, and one a second ahead would otherwise lose every reading as
    /// "in the future". A reading within this is kept at the time the device gave (never
    /// moved); typed readings may never be in the future. Profiles written before
    /// monitor capture get the built-in 120 s.
    #[serde(default = "TimeRule::default_device_clock_ahead_s")]
    pub device_clock_ahead_s: u32,
}

impl TimeRule {
    fn default_device_clock_ahead_s() -> u32 {
        120
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationRules {
    pub systolic: Range,
    pub diastolic: Range,
    pub heart_rate: Range,
    pub spo2: Range,
    /// Absent from a clinic's profile written before respiratory rate was recorded: the
    /// built-in range (DOMAIN.md: reject < 2 or > 80, warn < 6 or > 40 breaths/min).
    #[serde(default = "built_in_resp_rate")]
    pub resp_rate: Range,
    pub pulse_pressure: UsualRange,
    pub jump: JumpRule,
    pub time: TimeRule,
}

impl ValidationRules {
    pub fn range(&self, vital: Vital) -> &Range {
        match vital {
            Vital::Systolic => &self.systolic,
            Vital::Diastolic => &self.diastolic,
            Vital::HeartRate => &self.heart_rate,
            Vital::Spo2 => &self.spo2,
            Vital::RespRate => &self.resp_rate,
        }
    }
}

fn vital_from_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vital, D::Error> {
    let name = String::deserialize(d)?;
    named_vital(&name).map_err(serde::de::Error::custom)
}

fn vitals_from_names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Vital>, D::Error> {
    let names = Vec::<String>::deserialize(d)?;
    names
        .iter()
        .map(|n| named_vital(n))
        .collect::<Result<_, _>>()
        .map_err(serde::de::Error::custom)
}

/// The vital a profile names, or why none.
fn named_vital(name: &str) -> Result<Vital, String> {
    Vital::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = Vital::ALL.iter().map(|v| v.name()).collect();
        format!("unknown vital '{name}' ({})", names.join(", "))
    })
}

impl Profile {
    /// The default profile, built into the program.
    pub fn default_profile() -> Profile {
        // The built-in TOML is tested, so failing here is a build defect, not user input.
        Profile::builtin(DEFAULT_PROFILE).expect("the built-in default profile is valid")
    }

    /// Whether `name` is a profile built into the program.
    pub fn is_builtin(name: &str) -> bool {
        BUILTIN.iter().any(|(n, _)| *n == name)
    }

    /// The built-in profile whose name a session recorded (e.g. "Ketamine IV, adult").
    pub fn builtin_by_recorded_name(name: &str) -> Option<Profile> {
        BUILTIN
            .iter()
            .filter_map(|(id, _)| Profile::builtin(id).ok())
            .find(|p| p.name == name)
    }

    pub fn builtin(name: &str) -> Result<Profile, ProfileError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| ProfileError::Unknown(name.to_string()))?;
        Profile::from_toml(text, name)
    }

    pub fn from_toml(text: &str, origin: &str) -> Result<Profile, ProfileError> {
        let invalid = |message: String| ProfileError::Invalid {
            origin: origin.to_string(),
            message,
        };
        let profile: Profile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        profile.check().map_err(invalid)?;
        Ok(profile)
    }

    /// Rules a TOML schema cannot say: conditions point the way their rule does, the
    /// warning range lies inside the accepted one, intervals fit in a day, a recheck
    /// expires after it falls due, the ranges a session opens with are ranges, the
    /// discharge score is on its scale.
    fn check(&self) -> Result<(), String> {
        for rule in &self.alerts {
            for p in [Priority::Low, Priority::Medium, Priority::High] {
                let Some(level) = rule.level(p) else { continue };
                let what = format!("{} {:?} {}", rule.vital, rule.direction, p);
                if let Some(t) = level.when
                    && t.comparison.direction() != rule.direction
                {
                    return Err(format!("{what}: condition '{t}' points the other way"));
                }
                let (wrong_a, wrong_b) = match rule.direction {
                    Direction::High => (level.below_baseline, level.below_baseline_pct),
                    Direction::Low => (level.above_baseline, level.above_baseline_pct),
                };
                if wrong_a.is_some() || wrong_b.is_some() {
                    return Err(format!(
                        "{what}: a baseline change must point the way of the rule"
                    ));
                }
            }
            if rule.clear_margin < 0.0 {
                return Err(format!("{} clear_margin must not be negative", rule.vital));
            }
        }
        let c = &self.cadence;
        let minutes = [
            ("baseline.window_min", Some(self.baseline.window_min)),
            ("recheck.after_min", Some(self.recheck.after_min)),
            (
                "recheck.expires_after_min",
                Some(self.recheck.expires_after_min),
            ),
            (
                "escalation.unacknowledged_medium_after_min",
                Some(self.escalation.unacknowledged_medium_after_min),
            ),
            (
                "cadence.overdue_low_after_min",
                Some(c.overdue_low_after_min),
            ),
            (
                "cadence.overdue_medium_after_min",
                Some(c.overdue_medium_after_min),
            ),
            (
                "cadence.long_infusion_over_min",
                Some(c.long_infusion_over_min),
            ),
            ("cadence.short_every_min", Some(c.short_every_min)),
            ("cadence.early_every_min", c.early_every_min),
            ("cadence.early_until_min", c.early_until_min),
            (
                "cadence.long_first_hour_every_min",
                Some(c.long_first_hour_every_min),
            ),
            ("cadence.long_then_every_min", Some(c.long_then_every_min)),
            (
                "cadence.observation_every_min",
                Some(c.observation_every_min),
            ),
            (
                "validation.jump.window_min",
                Some(self.validation.jump.window_min),
            ),
        ];
        for (name, value) in minutes {
            if value.is_some_and(|m| m > MAX_MINUTES) {
                return Err(format!(
                    "{name} must be at most {MAX_MINUTES} minutes (a day)"
                ));
            }
        }
        let r = &self.recheck;
        if r.expires_after_min <= r.after_min {
            return Err(format!(
                "recheck.expires_after_min {} must be more than recheck.after_min {}: a recheck \
                 must be able to come before it expires",
                r.expires_after_min, r.after_min
            ));
        }
        let a = &self.audio;
        let seconds = [
            a.reannounce_unacknowledged_s,
            a.reannounce_acknowledged_s,
            a.pause_max_s,
            self.stream.condition_delay_s,
            self.stream.gap_breaks_after_s,
            self.stream.monitor_silent_after_s,
            self.validation.time.device_clock_ahead_s,
        ];
        if seconds.iter().any(|s| *s > MAX_MINUTES * 60) || a.snooze_max_min > MAX_MINUTES {
            return Err(format!(
                "audio and stream intervals must be at most {MAX_MINUTES} minutes (a day)"
            ));
        }
        if self.stream.monitor_silent_after_s == 0 {
            return Err(
                "stream.monitor_silent_after_s must be at least 1 second: 0 would call a monitor silent between two messages".into(),
            );
        }
        if self.validation.time.max_before_session_h > MAX_BACKDATE_H {
            return Err(format!(
                "validation.time.max_before_session_h must be at most {MAX_BACKDATE_H} hours"
            ));
        }
        let s = &self.session;
        let (w_lo, w_hi) = s.weight_kg;
        if !(w_lo.is_finite() && w_hi.is_finite() && 0.0 < w_lo && w_lo <= w_hi) {
            return Err(format!(
                "session.weight_kg {:?} must be two finite weights above 0, the lower first",
                s.weight_kg
            ));
        }
        if !(s.max_dose_mg_per_kg.is_finite() && s.max_dose_mg_per_kg > 0.0) {
            return Err(format!(
                "session.max_dose_mg_per_kg {} must be a finite dose above 0",
                s.max_dose_mg_per_kg
            ));
        }
        let (m_lo, m_hi) = s.planned_min;
        if !(1 <= m_lo && m_lo <= m_hi && m_hi <= MAX_MINUTES) {
            return Err(format!(
                "session.planned_min {:?} must be 1 to {MAX_MINUTES} minutes (a day), the lower first",
                s.planned_min
            ));
        }
        crate::alerts::scales::check_all(&self.scales)?;
        if self.discharge.aldrete_min > ALDRETE_MAX {
            return Err(format!(
                "discharge.aldrete_min {} is not a modified Aldrete score (0-{ALDRETE_MAX})",
                self.discharge.aldrete_min
            ));
        }
        for vital in Vital::ALL {
            let r = self.validation.range(vital);
            if !(r.accept.0 <= r.usual.0 && r.usual.0 <= r.usual.1 && r.usual.1 <= r.accept.1) {
                return Err(format!(
                    "validation.{vital}: usual {:?} must lie inside accept {:?}",
                    r.usual, r.accept
                ));
            }
        }
        Ok(())
    }
}
