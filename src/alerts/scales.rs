//! Scored assessments a profile defines: a sedation scale (MOAA/S), a pain scale (NRS), or
//! a clinic's own (RASS, CADSS). Each is data in the profile's TOML (`[[scale]]`): its
//! name, its range of whole scores, what each score means in words, and a LOINC code where
//! one exists. DOMAIN.md, "Respiration and assessments", gives the built-in ones.

use crate::alerts::profile::{Direction, Threshold};
use crate::session::events::Priority;
use serde::Deserialize;

/// One scored scale, as the profile defines it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Its short name, as the log's `scale` cell and the screen show it (`MOAA/S`,
    /// `pain NRS`): unique in the profile, 1-40 characters, no line break.
    pub name: String,
    /// Its full name, for the screen's hover and the report.
    pub title: String,
    /// The LOINC code of the score, where one exists (pain NRS: 72514-3); `None` for a
    /// scale LOINC has no code for (MOAA/S).
    #[serde(default)]
    pub loinc: Option<String>,
    /// The lowest and highest score, both included: whole numbers, lowest first.
    pub range: (i32, i32),
    /// What each score means in words, one for each score from the lowest to the highest
    /// (MOAA/S 5: "responds readily to name spoken in a normal tone").
    pub meanings: Vec<String>,
    /// The column names the importer reads as this scale's score (besides its name).
    #[serde(default)]
    pub import_names: Vec<String>,
    /// Whether the audit asks for at least one score during every infusion (the
    /// `assessments` check); built in, MOAA/S's.
    #[serde(default)]
    pub required_during_infusion: bool,
    /// Its alert rules, one a direction (`[[scale.alert]]`); none for a scale that only
    /// records (pain NRS).
    #[serde(default, rename = "alert")]
    pub alerts: Vec<ScoreRule>,
}

/// Alert levels on a scale's score in one direction: MOAA/S low, at 3 a low advisory, at
/// 2 or less high. A score alerts at once (it is a person's assessment, not a sensor's
/// value to recheck), and a high one stays until acknowledged, as a vital's does.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScoreRule {
    pub direction: Direction,
    pub low: Option<ScoreLevel>,
    pub medium: Option<ScoreLevel>,
    pub high: Option<ScoreLevel>,
}

/// One level: its condition (`<= 2`) and what the alarm says to do.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScoreLevel {
    pub when: Threshold,
    pub says: String,
}

impl ScoreRule {
    /// The highest level `score` meets, with its level.
    pub fn met(&self, score: i32) -> Option<(Priority, &ScoreLevel)> {
        [
            (Priority::High, &self.high),
            (Priority::Medium, &self.medium),
            (Priority::Low, &self.low),
        ]
        .into_iter()
        .find_map(|(p, level)| {
            level
                .as_ref()
                .filter(|l| l.when.comparison.holds(f64::from(score), l.when.limit))
                .map(|l| (p, l))
        })
    }
}

impl Scale {
    /// What `score` means, or why it is not a score of this scale: not within its range.
    ///
    /// # Errors
    /// The score outside `range`, naming the scale, the score and the range.
    pub fn meaning(&self, score: i32) -> Result<&str, String> {
        let (lo, hi) = self.range;
        if !(lo..=hi).contains(&score) {
            return Err(format!(
                "{} {score} is not a score of the scale ({lo} to {hi})",
                self.name
            ));
        }
        Ok(&self.meanings[(score - lo) as usize])
    }

    /// Every score, lowest first, with its meaning.
    pub fn scores(&self) -> impl Iterator<Item = (i32, &str)> {
        (self.range.0..=self.range.1).zip(self.meanings.iter().map(String::as_str))
    }

    /// What a TOML schema cannot say: a range of at most 101 scores, lowest first; one
    /// meaning a score; a usable name.
    pub fn check(&self) -> Result<(), String> {
        let what = format!("scale '{}'", self.name);
        if self.name.trim().is_empty()
            || self.name.chars().count() > crate::session::events::ScaleName::LONGEST
            || self.name.chars().any(char::is_control)
        {
            return Err(format!(
                "{what}: a name is 1-40 characters without a line break"
            ));
        }
        let (lo, hi) = self.range;
        if !(lo <= hi && hi - lo <= 100) {
            return Err(format!(
                "{what}: range {:?} must be the lowest and the highest score, at most 100 apart",
                self.range
            ));
        }
        for rule in &self.alerts {
            for level in [&rule.low, &rule.medium, &rule.high].into_iter().flatten() {
                if level.when.comparison.direction() != rule.direction {
                    return Err(format!(
                        "{what}: alert condition '{}' points the other way",
                        level.when
                    ));
                }
            }
        }
        let count = (hi - lo + 1) as usize;
        if self.meanings.len() != count {
            return Err(format!(
                "{what}: {} meanings for {count} scores ({lo} to {hi}); give one for each",
                self.meanings.len()
            ));
        }
        Ok(())
    }
}

/// The profile's scales have one name each.
pub fn check_all(scales: &[Scale]) -> Result<(), String> {
    for (i, scale) in scales.iter().enumerate() {
        scale.check()?;
        if scales[..i].iter().any(|s| s.name == scale.name) {
            return Err(format!("scale '{}' is defined twice", scale.name));
        }
    }
    Ok(())
}

/// The scale named `name` among `scales`.
pub fn by_name<'a>(scales: &'a [Scale], name: &str) -> Option<&'a Scale> {
    scales.iter().find(|s| s.name == name)
}
