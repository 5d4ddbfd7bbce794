//! The alert engine: a pure function of (profile, session so far, now) to new alert events.
//!
//! It is called after every appended event and on a timer. Each call compares what the
//! newest reading of every vital (and the schedule) asks for with the alerts already
//! recorded, and returns only the difference, so calling it twice in a row adds nothing.

use crate::alerts::profile::{AlertRule, Comparison, Direction, Profile, Threshold};
use crate::clock::{Time, minute_floor};
use crate::schedule;
use crate::session::baseline;
use crate::session::events::{
    ALERT_ENGINE, AlertChange, AlertEvent, AlertKey, EventKind, NewEvent, Priority, ScaleName,
    Source,
};
use crate::session::reading::format_value;
use crate::session::state::{AlertState, LatestValue, Recheck, SessionState};
use chrono::{Duration, FixedOffset};

/// The alert events the session lacks at `now`: what the newest readings and scores ask
/// for, then what time asks for (see [`evaluate_timers`]).
pub fn evaluate(profile: &Profile, state: &SessionState, now: Time) -> Vec<NewEvent> {
    let mut out = Changes::new(state, now);
    if state.is_open() {
        value_rules(profile, state, &mut out);
        score_rules(profile, state, &mut out);
        timers(profile, state, &mut out);
    }
    out.events
}

/// Only what time asks for at `now`: the reading reminder, rechecks falling due or
/// expiring, escalation. Once the engine has looked at the newest readings, this is all
/// that a later `now` can change, so it is what an import asks between one reading and
/// the next (`Session::run_timers_between`).
pub fn evaluate_timers(profile: &Profile, state: &SessionState, now: Time) -> Vec<NewEvent> {
    let mut out = Changes::new(state, now);
    if state.is_open() {
        timers(profile, state, &mut out);
    }
    out.events
}

fn timers(profile: &Profile, state: &SessionState, out: &mut Changes) {
    overdue_reading(profile, state, out);
    // Before the reminder: a recheck past its expiry is not called overdue first.
    expire_rechecks(profile, state, out);
    overdue_rechecks(state, out);
    escalate_unacknowledged(profile, state, out);
}

/// Only what the readings' values ask for, not what time asks for (reminders, rechecks
/// gone by, escalation): while a file's readings are entered into a live session one by
/// one, the readings still to come may answer what the clock would otherwise call late.
pub fn evaluate_values(profile: &Profile, state: &SessionState, now: Time) -> Vec<NewEvent> {
    let mut out = Changes::new(state, now);
    if state.is_open() {
        value_rules(profile, state, &mut out);
        score_rules(profile, state, &mut out);
    }
    out.events
}

/// Each scale's alert rules against its newest valid score (by when the patient was
/// assessed). A score alerts at once, at the highest level it meets; a high alert stays
/// until acknowledged, whatever later scores say, as a vital's does.
fn score_rules(profile: &Profile, state: &SessionState, out: &mut Changes) {
    for scale in &profile.scales {
        let Some(name) = ScaleName::new(&scale.name) else {
            continue;
        };
        let newest = state
            .assessments
            .iter()
            .filter(|a| a.scale == scale.name)
            .filter_map(|a| a.current().map(|v| (v.at, a.id, v.score)))
            .max();
        for rule in &scale.alerts {
            let key = match rule.direction {
                Direction::High => AlertKey::ScoreHigh(name),
                Direction::Low => AlertKey::ScoreLow(name),
            };
            let active = state.active_alert(key);
            let latched =
                active.is_some_and(|a| a.priority == Priority::High && !a.is_acknowledged());
            let met = newest.and_then(|(_, _, score)| rule.met(score).map(|m| (score, m)));
            let shown = |score: i32| {
                let meaning = scale.meaning(score).unwrap_or_default();
                format!("{} {score} ({meaning})", scale.name)
            };
            let raise = |out: &mut Changes, priority: Priority, score: i32, says: &str, change| {
                let alert_id = match change {
                    AlertChange::Raised { .. } => {
                        out.next_alert_id += 1;
                        out.next_alert_id - 1
                    }
                    _ => active.map_or(0, |a| a.id),
                };
                out.push(AlertEvent {
                    alert_id,
                    key,
                    priority,
                    change,
                    reading_id: None,
                    message: format!("{} {}: {says}", priority.marker(), shown(score)),
                });
            };
            match (active, met) {
                (None, None) => {}
                (Some(_), None) if latched => {}
                (Some(a), None) => out.push(AlertEvent {
                    alert_id: a.id,
                    key,
                    priority: a.priority,
                    change: AlertChange::Resolved,
                    reading_id: None,
                    message: match newest {
                        Some((_, _, score)) => format!("{}: back within limits", shown(score)),
                        None => format!("{}: no valid score left (entered in error)", scale.name),
                    },
                }),
                (None, Some((score, (p, level)))) => {
                    raise(
                        out,
                        p,
                        score,
                        &level.says,
                        AlertChange::Raised { recheck_by: None },
                    );
                }
                (Some(a), Some((score, (p, level)))) if p > a.priority => {
                    raise(out, p, score, &level.says, AlertChange::Escalated);
                }
                (Some(a), Some((score, (p, level)))) if p < a.priority && !latched => {
                    out.push(AlertEvent {
                        alert_id: a.id,
                        key,
                        priority: a.priority,
                        change: AlertChange::Resolved,
                        reading_id: None,
                        message: format!(
                            "{}: no longer {}, continues as {p}",
                            shown(score),
                            a.priority
                        ),
                    });
                    raise(
                        out,
                        p,
                        score,
                        &level.says,
                        AlertChange::Raised { recheck_by: None },
                    );
                }
                (Some(_), Some(_)) => {}
            }
        }
    }
}

fn value_rules(profile: &Profile, state: &SessionState, out: &mut Changes) {
    let expires_after = recheck_expires_after(profile);
    for rule in &profile.alerts {
        let key = rule.key();
        let mut active = state.active_alert(key);
        let latest = state.latest(rule.vital);
        // A reading measured once the recheck had expired is not that recheck: the
        // advisory ended, not rechecked (said now, when no timer said it at the time),
        // and the reading is judged as a condition of its own.
        if let Some(a) = active
            && let Some(expires) = recheck_expires(state, a, expires_after)
            && latest.is_some_and(|l| l.at >= expires)
        {
            let event = not_rechecked(profile, state, a, out);
            out.push(event);
            active = None;
        }
        let judge = Judge::new(profile, state, rule, latest);
        let wanted = judge.wanted(state, active, latest);
        let wanted = match late_entry_high(profile, state, rule, key, latest) {
            Some(late) if wanted.as_ref().is_none_or(|w| w.priority < Priority::High) => Some(late),
            _ => wanted,
        };
        out.apply(profile, key, active, wanted, latest);
    }
}

/// A recheck of a medium condition: which reading asked for it, and from when the next
/// reading counts as the second of "two readings 5 min apart".
#[derive(Clone, Copy, Debug, PartialEq)]
struct RecheckFrom {
    reading_id: u32,
    /// A whole minute (`recheck_after`): the card says "recheck at HH:MM", and a reading
    /// from HH:MM:00 on confirms.
    due: Time,
}

/// When a recheck asked for by a reading at `first` is due (`interval` the recheck
/// interval) or expires (`interval` the expiry): that long later, from the start of that
/// minute. The card shows the time to the minute ("recheck at 17:04" for 16:59:13), and
/// any reading from 17:04:00 counts, as the nurse reads it (issue 13). Rounding up
/// instead would keep the two readings a full 5 min apart, but a monitor cycling NIBP
/// every 5 min (09:05:30, 09:10:20) would then confirm a cycle late. The expiry is held
/// to the same minutes, so the time between the two is exactly the profile's.
fn recheck_after(first: Time, interval: Duration) -> Time {
    minute_floor(first + interval)
}

/// The profile's `recheck.expires_after_min`.
fn recheck_expires_after(profile: &Profile) -> Duration {
    Duration::minutes(i64::from(profile.recheck.expires_after_min))
}

/// When `recheck` was asked for and when it expires (`expires_after` from then, see
/// [`recheck_after`]); None once the reading that asked for it no longer stands.
fn recheck_window(
    state: &SessionState,
    recheck: &Recheck,
    expires_after: Duration,
) -> Option<(Time, Time)> {
    let asked_at = state.reading(recheck.reading_id)?.current()?.at;
    Some((asked_at, recheck_after(asked_at, expires_after)))
}

/// When the recheck that `alert` waits for expires; None when it waits for none.
fn recheck_expires(
    state: &SessionState,
    alert: &AlertState,
    expires_after: Duration,
) -> Option<Time> {
    let recheck = alert.recheck.as_ref()?;
    recheck_window(state, recheck, expires_after).map(|(_, expires)| expires)
}

/// A reading that still met a medium condition but came before the time its recheck was
/// asked for, so it could not confirm it: the advisory keeps waiting. Said to the person
/// who entered it, so the card's "recheck at HH:MM" is not taken as done.
#[derive(Clone, Debug, PartialEq)]
pub struct TooEarly {
    /// The alert still waiting for its recheck.
    pub key: AlertKey,
    /// The first moment a reading counts as the recheck (a whole minute).
    pub recheck_from: Time,
}

impl std::fmt::Display for TooEarly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: too early to confirm: recheck from {}",
            self.key.describe(),
            self.recheck_from.format("%H:%M")
        )
    }
}

/// The rechecks that reading `reading_id` (just saved, and the engine run after it) came
/// too early for: alerts still waiting for a recheck asked by an earlier reading of a vital
/// this one measured, whose time this one is before. A reading that no longer met the
/// condition has already ended the wait, so it is not among them.
pub fn too_early(state: &SessionState, reading_id: u32) -> Vec<TooEarly> {
    let Some(reading) = state.reading(reading_id).and_then(|r| r.current()) else {
        return Vec::new();
    };
    state
        .active_alerts()
        .filter_map(|alert| {
            let recheck = alert.recheck.as_ref()?;
            let vital = alert.key.vital()?;
            let asked_at = state.reading(recheck.reading_id)?.current()?.at;
            let early = recheck.reading_id != reading_id
                && reading.values.get(vital).is_some()
                && asked_at <= reading.at
                && reading.at < recheck.due;
            early.then_some(TooEarly {
                key: alert.key,
                recheck_from: recheck.due,
            })
        })
        .collect()
}

/// What an alert of one kind should be after the newest reading.
#[derive(Clone, Debug, PartialEq)]
struct Wanted {
    priority: Priority,
    recheck_from: Option<RecheckFrom>,
    /// Why, e.g. ">= 180" or ">= 40 above baseline 129 (>= 169)".
    why: String,
    /// The reading that decides, when it is not the newest (a late entry).
    reading: Option<LatestValue>,
}

/// One condition of a level, with its limit worked out.
struct Condition {
    comparison: Comparison,
    limit: f64,
    kind: ConditionKind,
}

/// Where a condition's limit came from; its words are written only for a condition met,
/// since a 1-Hz stream checks tens of thousands that are not.
enum ConditionKind {
    Profile(Threshold),
    Patient {
        default: f64,
    },
    Relative {
        amount: f64,
        pct: bool,
        word: &'static str,
        base: f64,
    },
}

impl Condition {
    fn text(&self) -> String {
        let symbol = self.comparison.symbol();
        match &self.kind {
            ConditionKind::Profile(t) => t.to_string(),
            ConditionKind::Patient { default } => format!(
                "{symbol} {} (limit for this patient; default {})",
                format_value(self.limit),
                format_value(*default)
            ),
            ConditionKind::Relative {
                amount,
                pct,
                word,
                base,
            } => format!(
                "{symbol} {}{} {word} baseline {} ({symbol} {})",
                format_value(*amount),
                if *pct { " %" } else { "" },
                format_value(base.round()),
                format_value((self.limit * 10.0).round() / 10.0)
            ),
        }
    }
}

/// Decides levels for one alert rule, with the baseline in force for the reading.
struct Judge<'a> {
    rule: &'a AlertRule,
    /// This patient's adjusted limits, by priority, for this rule.
    limits: [Option<f64>; 3],
    baseline: Option<f64>,
    recheck_after: Duration,
    recheck_expires_after: Duration,
    stream_delay: Duration,
    stream_gap: Duration,
}

impl<'a> Judge<'a> {
    fn new(
        profile: &Profile,
        state: &SessionState,
        rule: &'a AlertRule,
        latest: Option<LatestValue>,
    ) -> Judge<'a> {
        // Relative thresholds compare a reading with a baseline it is not part of.
        let after_window = match (baseline::window_end(profile, state), latest) {
            (Some(end), Some(l)) => l.at >= end,
            _ => false,
        };
        let baseline = (after_window && rule.is_relative())
            .then(|| baseline::baseline(profile, state, rule.vital))
            .flatten();
        let key = rule.key();
        let limit = |p| state.limits.get(&(key, p)).copied();
        Judge {
            rule,
            limits: [
                limit(Priority::Low),
                limit(Priority::Medium),
                limit(Priority::High),
            ],
            baseline,
            recheck_after: Duration::minutes(i64::from(profile.recheck.after_min)),
            recheck_expires_after: recheck_expires_after(profile),
            stream_delay: Duration::seconds(i64::from(profile.stream.condition_delay_s)),
            stream_gap: Duration::seconds(i64::from(profile.stream.gap_breaks_after_s)),
        }
    }

    /// The conditions of level `p`, worked out lazily: most values meet none.
    fn conditions(&self, p: Priority) -> impl Iterator<Item = Condition> + '_ {
        let level = self.rule.level(p);
        let absolute = level
            .and_then(|l| l.when)
            .map(|t| match self.limits[p as usize] {
                Some(limit) => Condition {
                    comparison: t.comparison,
                    limit,
                    kind: ConditionKind::Patient { default: t.limit },
                },
                None => Condition {
                    comparison: t.comparison,
                    limit: t.limit,
                    kind: ConditionKind::Profile(t),
                },
            });
        let relative = level
            .zip(self.baseline)
            .into_iter()
            .flat_map(|(level, base)| {
                [
                    (level.above_baseline, Comparison::AtLeast, "above", false),
                    (level.above_baseline_pct, Comparison::AtLeast, "above", true),
                    (level.below_baseline, Comparison::AtMost, "below", false),
                    (level.below_baseline_pct, Comparison::AtMost, "below", true),
                ]
                .into_iter()
                .filter_map(move |(amount, comparison, word, pct)| {
                    let amount = amount?;
                    let sign = if word == "above" { 1.0 } else { -1.0 };
                    let change = if pct { base * amount / 100.0 } else { amount };
                    Some(Condition {
                        comparison,
                        limit: base + sign * change,
                        kind: ConditionKind::Relative {
                            amount,
                            pct,
                            word,
                            base,
                        },
                    })
                })
            });
        absolute.into_iter().chain(relative)
    }

    /// The first condition of level `p` that `value` meets, the limit moved back toward
    /// normal by `margin` (hysteresis for an alert already active).
    fn meets(&self, p: Priority, value: f64, margin: f64) -> Option<String> {
        let toward_normal = match self.rule.direction {
            Direction::High => -margin,
            Direction::Low => margin,
        };
        self.conditions(p)
            .find(|c| c.comparison.holds(value, c.limit + toward_normal))
            .map(|c| c.text())
    }

    /// The highest level a fresh reading meets.
    fn entry(&self, value: f64) -> Option<(Priority, String)> {
        [Priority::High, Priority::Medium, Priority::Low]
            .into_iter()
            .find_map(|p| self.meets(p, value, 0.0).map(|why| (p, why)))
    }

    /// The highest level a new value meets. A streamed value's level counts only once it
    /// has held on every value of the vital for the condition delay, without a gap.
    fn entry_of(&self, state: &SessionState, l: LatestValue) -> Option<(Priority, String)> {
        if !l.streamed {
            return self.entry(l.value);
        }
        [Priority::High, Priority::Medium, Priority::Low]
            .into_iter()
            .find_map(|p| {
                let why = self.meets(p, l.value, 0.0)?;
                self.sustained(state, p, l).then_some((p, why))
            })
    }

    fn sustained(&self, state: &SessionState, p: Priority, l: LatestValue) -> bool {
        let conditions: Vec<Condition> = self.conditions(p).collect();
        let since = l.at - self.stream_delay;
        let mut later = l.at;
        let upto = l.at + Duration::nanoseconds(1);
        let values = state
            .measured_between(None, Some(upto))
            .rev()
            .filter_map(|(_, v)| v.values.get(self.rule.vital).map(|x| (v.at, x)));
        for (at, value) in values {
            let holds = conditions
                .iter()
                .any(|c| c.comparison.holds(value, c.limit));
            if !holds || later - at > self.stream_gap {
                return false;
            }
            if at <= since {
                return true;
            }
            later = at;
        }
        false
    }

    /// Whether an active alert of level `p` still holds: a spot reading clears it when it
    /// is normal again, a device value only once past the hysteresis margin (DOMAIN.md).
    fn holds(&self, p: Priority, reading: LatestValue) -> Option<String> {
        let margin = if reading.from_device {
            self.rule.clear_margin
        } else {
            0.0
        };
        self.meets(p, reading.value, margin)
    }

    /// The last recheck of this rule that expired untaken, when `l` was measured while it
    /// waited (from the reading that asked for it until it expired): `l` belongs to that
    /// advisory, whenever it was entered.
    fn expired_recheck_around<'s>(
        &self,
        state: &'s SessionState,
        l: LatestValue,
    ) -> Option<&'s Recheck> {
        let key = self.rule.key();
        let recheck = state
            .alerts
            .iter()
            .rev()
            .filter(|a| a.key == key)
            .find_map(|a| a.recheck.as_ref().filter(|r| r.expired))?;
        let (asked_at, expires) = recheck_window(state, recheck, self.recheck_expires_after)?;
        (asked_at <= l.at && l.at < expires).then_some(recheck)
    }

    fn wanted(
        &self,
        state: &SessionState,
        active: Option<&AlertState>,
        latest: Option<LatestValue>,
    ) -> Option<Wanted> {
        let want = |priority, recheck_from, why| {
            Some(Wanted {
                priority,
                recheck_from,
                why,
                reading: None,
            })
        };
        let latched = active.filter(|a| a.priority == Priority::High && !a.is_acknowledged());
        let Some(l) = latest else {
            // Every reading of the vital was entered in error: only a latch remains.
            return latched.and_then(|a| want(Priority::High, None, a.message.clone()));
        };
        let entry = self.entry_of(state, l);
        let priority_of = |a: &AlertState| a.priority;
        if let Some((Priority::High, why)) = &entry {
            return want(Priority::High, None, why.clone());
        }
        if let Some(a) = active.filter(|a| a.priority == Priority::High) {
            if let Some(why) = self.holds(Priority::High, l) {
                return want(Priority::High, None, why);
            }
            if latched.is_some() {
                return want(Priority::High, None, a.message.clone());
            }
            // Acknowledged after escalating for want of an acknowledgement: it stays while
            // the medium condition does, rather than stepping down to a new medium alarm.
            if a.escalated_unacknowledged
                && let Some(why) = self.holds(Priority::Medium, l)
            {
                return want(Priority::High, None, why);
            }
        }
        if active.map(priority_of) >= Some(Priority::Medium)
            && let Some(why) = self.holds(Priority::Medium, l)
        {
            return want(Priority::Medium, None, why);
        }
        if let Some((Priority::Medium, why)) = &entry {
            // A stream has already confirmed it by lasting.
            if l.streamed {
                return want(Priority::Medium, None, why.clone());
            }
            // The second of two readings at least the recheck interval apart, and before
            // the recheck expired (a reading after that ended the wait in `value_rules`).
            let confirms = |r: &Recheck| r.reading_id != l.reading_id && l.at >= r.due;
            let pending = active
                .and_then(|a| a.recheck.as_ref())
                .filter(|r| asked_by_valid_earlier_reading(state, r.reading_id, l));
            match pending {
                Some(r) if confirms(r) => return want(Priority::Medium, None, why.clone()),
                // Too soon to count as the recheck: the advisory keeps waiting (until the
                // recheck expires: `expire_rechecks`).
                Some(r) => {
                    return want(
                        Priority::Low,
                        Some(RecheckFrom {
                            reading_id: r.reading_id,
                            due: r.due,
                        }),
                        why.clone(),
                    );
                }
                None => {}
            }
            match self.expired_recheck_around(state, l) {
                // Measured in time to be the recheck, entered after it had expired: it
                // confirms, as it would have, had it been entered then.
                Some(r) if confirms(r) => return want(Priority::Medium, None, why.clone()),
                // The reading that asked, or one too soon to count: part of an advisory
                // that has ended, so it asks for nothing more.
                Some(_) => {}
                None => {
                    return want(
                        Priority::Low,
                        Some(RecheckFrom {
                            reading_id: l.reading_id,
                            due: recheck_after(l.at, self.recheck_after),
                        }),
                        why.clone(),
                    );
                }
            }
        }
        if let Some((Priority::Low, why)) = entry {
            return want(Priority::Low, None, why);
        }
        if active.is_some()
            && let Some(why) = self.holds(Priority::Low, l)
        {
            return want(Priority::Low, None, why);
        }
        None
    }
}

/// A recheck still counts while the reading that asked for it stands and is not newer
/// than the reading now deciding.
fn asked_by_valid_earlier_reading(
    state: &SessionState,
    asked_by: u32,
    latest: LatestValue,
) -> bool {
    state
        .reading(asked_by)
        .and_then(|r| r.current())
        .is_some_and(|v| v.at <= latest.at)
}

struct Changes {
    now: Time,
    next_alert_id: u32,
    events: Vec<NewEvent>,
}

impl Changes {
    fn new(state: &SessionState, now: Time) -> Changes {
        Changes {
            now,
            next_alert_id: state.alerts.len() as u32 + 1,
            events: Vec::new(),
        }
    }

    /// Whether this evaluation has already changed alert `alert_id` (a reading answered
    /// it), so a timer has nothing to add to it.
    fn changed(&self, alert_id: u32) -> bool {
        self.events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Alert(a) if a.alert_id == alert_id))
    }

    /// `value` with its unit as an alarm shows it now: with when it was measured when
    /// that was a while ago (readings imported into a live session, an advisory ending an
    /// hour after its reading), so nobody takes an old value for the present one.
    fn shown(&self, key: AlertKey, value: Option<LatestValue>) -> String {
        let long_ago =
            value.is_some_and(|v| self.now - v.at > Duration::minutes(MEASURED_LONG_AGO_MIN));
        describe_value(key, value, long_ago.then(|| *self.now.offset()))
    }

    fn push(&mut self, alert: AlertEvent) {
        self.events.push(NewEvent {
            at: self.now,
            by: ALERT_ENGINE.to_string(),
            source: Source::AlertEngine,
            reason: None,
            kind: EventKind::Alert(alert),
        });
    }

    fn apply(
        &mut self,
        profile: &Profile,
        key: AlertKey,
        active: Option<&AlertState>,
        wanted: Option<Wanted>,
        latest: Option<LatestValue>,
    ) {
        if active.is_none() && wanted.is_none() {
            // Nothing to say, and nothing to format: the common case on a stream.
            return;
        }
        let decisive = wanted.as_ref().and_then(|w| w.reading).or(latest);
        let reading_id = decisive.map(|l| l.reading_id);
        // A late entry's reason already says when it was measured.
        let late = wanted.as_ref().is_some_and(|w| w.reading.is_some());
        let shown = if late {
            describe_value(key, decisive, None)
        } else {
            self.shown(key, decisive)
        };
        match (active, wanted) {
            (None, None) => {}
            (Some(a), None) => self.push(AlertEvent {
                alert_id: a.id,
                key,
                priority: a.priority,
                change: AlertChange::Resolved,
                reading_id,
                message: match decisive {
                    Some(_) => format!("{} {shown}: back within limits", key.describe()),
                    None => format!(
                        "{}: no valid reading left (entered in error)",
                        key.describe()
                    ),
                },
            }),
            (None, Some(w)) => self.raise(profile, key, w, &shown, reading_id),
            (Some(a), Some(w)) if w.priority > a.priority => self.push(AlertEvent {
                alert_id: a.id,
                key,
                priority: w.priority,
                change: AlertChange::Escalated,
                reading_id,
                message: message(profile, key, w.priority, &shown, &w.why),
            }),
            (Some(a), Some(w)) if w.priority < a.priority => {
                self.push(AlertEvent {
                    alert_id: a.id,
                    key,
                    priority: a.priority,
                    change: AlertChange::Resolved,
                    reading_id,
                    message: format!(
                        "{} {shown}: no longer {}, continues as {}",
                        key.describe(),
                        a.priority,
                        w.priority
                    ),
                });
                self.raise(profile, key, w, &shown, reading_id);
            }
            (Some(a), Some(w)) => {
                let asked = a.recheck.as_ref().map(|r| r.reading_id);
                match (asked, w.recheck_from) {
                    (asked, Some(from)) if asked != Some(from.reading_id) => {
                        self.push(AlertEvent {
                            alert_id: a.id,
                            key,
                            priority: a.priority,
                            change: AlertChange::RecheckRequested {
                                recheck_by: from.due,
                            },
                            reading_id,
                            message: recheck_message(key, &shown, &w.why, from.due),
                        });
                    }
                    (Some(_), None) => self.push(AlertEvent {
                        alert_id: a.id,
                        key,
                        priority: a.priority,
                        change: AlertChange::RecheckEnded,
                        reading_id,
                        message: format!(
                            "{} {} {shown}: the recheck did not confirm it; stays {} ({})",
                            a.priority.marker(),
                            key.describe(),
                            a.priority,
                            w.why
                        ),
                    }),
                    _ => {}
                }
            }
        }
    }

    fn raise(
        &mut self,
        profile: &Profile,
        key: AlertKey,
        w: Wanted,
        shown: &str,
        reading_id: Option<u32>,
    ) {
        let alert_id = self.next_alert_id;
        self.next_alert_id += 1;
        let (recheck_by, message) = match w.recheck_from {
            Some(from) => (
                Some(from.due),
                recheck_message(key, shown, &w.why, from.due),
            ),
            None => (None, message(profile, key, w.priority, shown, &w.why)),
        };
        self.push(AlertEvent {
            alert_id,
            key,
            priority: w.priority,
            change: AlertChange::Raised { recheck_by },
            reading_id,
            message,
        });
    }
}

/// The value and its unit; with when it was measured, in `with_time`, the offset of the
/// screen's clock (see [`Changes::shown`]).
fn describe_value(
    key: AlertKey,
    latest: Option<LatestValue>,
    with_time: Option<FixedOffset>,
) -> String {
    match (key.vital(), latest) {
        (Some(v), Some(l)) if let Some(offset) = with_time => format!(
            "{} {} (measured {})",
            format_value(l.value),
            v.unit(),
            l.at.with_timezone(&offset).format("%H:%M")
        ),
        (Some(v), Some(l)) => format!("{} {}", format_value(l.value), v.unit()),
        _ => String::new(),
    }
}

/// A value measured longer ago than this is shown with its time in an alarm.
const MEASURED_LONG_AGO_MIN: i64 = 5;

fn message(profile: &Profile, key: AlertKey, p: Priority, shown: &str, why: &str) -> String {
    let action = match key {
        AlertKey::ReadingOverdue => "take a reading now",
        _ => profile.actions.for_priority(p),
    };
    let described = key.describe();
    let what: Vec<&str> = [described.as_str(), shown, why]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    format!("{} {}: {action}", p.marker(), what.join(" "))
}

/// A reading entered after a newer one (a late entry, or a correction of an older
/// reading) that meets a high condition: "high on any single reading" holds for it too,
/// once per reading.
fn late_entry_high(
    profile: &Profile,
    state: &SessionState,
    rule: &AlertRule,
    key: AlertKey,
    latest: Option<LatestValue>,
) -> Option<Wanted> {
    let id = state.last_entered_reading?;
    if latest.is_some_and(|l| l.reading_id == id) {
        return None;
    }
    let late = LatestValue::of(id, state.reading(id)?.current()?, rule.vital)?;
    if state
        .alerts
        .iter()
        .any(|a| a.key == key && a.raised_by.contains(&id))
    {
        return None;
    }
    match Judge::new(profile, state, rule, Some(late)).entry(late.value)? {
        (Priority::High, why) => Some(Wanted {
            priority: Priority::High,
            recheck_from: None,
            why: format!("{why}, measured at {}", late.at.format("%H:%M")),
            reading: Some(late),
        }),
        _ => None,
    }
}

fn recheck_message(key: AlertKey, shown: &str, why: &str, due: Time) -> String {
    format!(
        "{} {} {shown} {why}: recheck at {}",
        Priority::Low.marker(),
        key.describe(),
        due.format("%H:%M")
    )
}

/// The schedule's reminder: low 2 min after a reading was due, medium after 10.
fn overdue_reading(profile: &Profile, state: &SessionState, out: &mut Changes) {
    let key = AlertKey::ReadingOverdue;
    let active = state.active_alert(key);
    let due = schedule::next_due(profile, state);
    let wanted = due.as_ref().and_then(|due| {
        schedule::overdue(profile, due, out.now).map(|priority| Wanted {
            priority,
            recheck_from: None,
            reading: None,
            why: format!(
                "since {} ({})",
                due.at.format("%H:%M"),
                if due.full_set {
                    "a full set"
                } else {
                    &due.reason
                }
            ),
        })
    });
    if let (Some(a), None) = (active, &wanted) {
        let entered_since = state
            .readings
            .iter()
            .rev()
            .find(|r| r.versions.iter().any(|v| v.entered_at >= a.raised_at));
        out.push(AlertEvent {
            alert_id: a.id,
            key,
            priority: a.priority,
            change: AlertChange::Resolved,
            reading_id: entered_since.map(|r| r.id),
            message: match entered_since {
                Some(_) => "Reading overdue: resolved, a reading was entered".into(),
                None => "Reading overdue: resolved, no reading is due now".into(),
            },
        });
        return;
    }
    out.apply(profile, key, active, wanted, None);
}

/// A recheck not taken by the time it expires ends its advisory, not rechecked: a
/// reading later than that is no second look at the same moment, and must not confirm
/// what it never saw (issue 14: a home cuff's reading two days later had).
fn expire_rechecks(profile: &Profile, state: &SessionState, out: &mut Changes) {
    let expires_after = recheck_expires_after(profile);
    for alert in state.active_alerts() {
        let Some(expires) = recheck_expires(state, alert, expires_after) else {
            continue;
        };
        // A reading in this same evaluation already answered it (measured in time, if
        // entered late); a reading taken too soon to count did not.
        if out.now < expires || out.changed(alert.id) {
            continue;
        }
        let event = not_rechecked(profile, state, alert, out);
        out.push(event);
    }
}

/// The event that ends `alert`, whose recheck expired with no reading to confirm or
/// clear it. Time ended it, not a reading, so it names none; the value shown is the one
/// that asked for the recheck.
fn not_rechecked(
    profile: &Profile,
    state: &SessionState,
    alert: &AlertState,
    out: &Changes,
) -> AlertEvent {
    let asked = alert.recheck.as_ref().and_then(|r| {
        let version = state.reading(r.reading_id)?.current()?;
        LatestValue::of(r.reading_id, version, alert.key.vital()?)
    });
    AlertEvent {
        alert_id: alert.id,
        key: alert.key,
        priority: alert.priority,
        change: AlertChange::RecheckExpired,
        reading_id: None,
        message: format!(
            "{} {} {}: not rechecked within {} min; advisory ended",
            alert.priority.marker(),
            alert.key.describe(),
            out.shown(alert.key, asked),
            profile.recheck.expires_after_min
        ),
    }
}

/// A recheck whose time has passed with no new reading is itself a reminder, once.
fn overdue_rechecks(state: &SessionState, out: &mut Changes) {
    for alert in state.active_alerts() {
        let Some(recheck) = &alert.recheck else {
            continue;
        };
        if recheck.overdue_announced || out.now < recheck.due {
            continue;
        }
        // A reading in this same evaluation already answered it, or it expired; a
        // reading taken too soon to count did not (the advisory still waits).
        if out.changed(alert.id) {
            continue;
        }
        out.push(AlertEvent {
            alert_id: alert.id,
            key: alert.key,
            priority: alert.priority,
            change: AlertChange::RecheckOverdue,
            reading_id: None,
            message: format!(
                "{} {} recheck was due at {}: take a reading now",
                alert.priority.marker(),
                alert.key.describe(),
                recheck.due.format("%H:%M")
            ),
        });
    }
}

/// A medium alarm nobody acknowledged within the profile's time becomes high: someone must
/// come. Only at the chair: an imported session has no one to acknowledge.
fn escalate_unacknowledged(profile: &Profile, state: &SessionState, out: &mut Changes) {
    if state.opened_source != Source::Manual {
        return;
    }
    let after = Duration::minutes(i64::from(
        profile.escalation.unacknowledged_medium_after_min,
    ));
    for alert in state.active_alerts() {
        let overdue = alert.priority == Priority::Medium
            && !alert.is_acknowledged()
            && alert.key != AlertKey::ReadingOverdue
            && out.now - alert.priority_since >= after;
        if !overdue || out.changed(alert.id) {
            continue;
        }
        out.push(AlertEvent {
            alert_id: alert.id,
            key: alert.key,
            priority: Priority::High,
            change: AlertChange::Escalated,
            reading_id: None,
            message: format!(
                "{} {}: medium alarm not acknowledged for {} min: {}",
                Priority::High.marker(),
                alert.key.describe(),
                profile.escalation.unacknowledged_medium_after_min,
                profile.actions.for_priority(Priority::High)
            ),
        });
    }
}
