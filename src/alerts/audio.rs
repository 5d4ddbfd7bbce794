//! The alarm audio manager: a pure function of (profile, session, now) to what sounds
//! now, following DOMAIN.md's alarm conventions. Every sound is recorded as an event, so
//! review shows what the nurse heard; the player that makes the noise is an adapter.

use crate::alerts::Profile;
use crate::clock::Time;
use crate::session::events::{ALERT_ENGINE, EventKind, NewEvent, Source};
use crate::session::state::{AlertState, SessionState};
use chrono::Duration;

/// The sounds (and ended snoozes) due at `now`. Only sessions kept at the chair sound.
pub fn announce(profile: &Profile, state: &SessionState, now: Time) -> Vec<NewEvent> {
    let mut out = Vec::new();
    if !state.is_open() || state.opened_source != Source::Manual {
        return out;
    }
    let event = |kind| NewEvent {
        at: now,
        by: ALERT_ENGINE.to_string(),
        source: Source::AlertEngine,
        reason: None,
        kind,
    };
    for (key, snooze) in &state.audio.snoozes {
        if now >= snooze.until {
            out.push(event(EventKind::SnoozeEnded { key: *key }));
        }
    }
    for alert in state.active_alerts() {
        if is_silenced(state, alert, now) || !is_due(profile, state, alert, now) {
            continue;
        }
        out.push(event(EventKind::AlarmSounded {
            alert_id: alert.id,
            key: alert.key,
            priority: alert.priority,
        }));
    }
    out
}

/// First announcement, a rise in priority, or the re-announcement interval passed.
fn is_due(profile: &Profile, state: &SessionState, alert: &AlertState, now: Time) -> bool {
    let audio = &profile.audio;
    match state.audio.last_sounded.get(&alert.id) {
        None => true,
        Some((_, priority)) if alert.priority > *priority => true,
        Some((at, _)) => {
            let every = if alert.is_acknowledged() {
                audio.reannounce_acknowledged_s
            } else {
                audio.reannounce_unacknowledged_s
            };
            now - *at >= Duration::seconds(i64::from(every))
        }
    }
}

/// Paused (unless more urgent than everything active when the pause began), or snoozed
/// (unless worse than what was snoozed).
pub fn is_silenced(state: &SessionState, alert: &AlertState, now: Time) -> bool {
    let paused = state
        .audio
        .paused
        .is_some_and(|(until, ceiling)| now < until && Some(alert.priority) <= ceiling);
    let snoozed = state
        .audio
        .snoozes
        .get(&alert.key)
        .is_some_and(|s| now < s.until && alert.priority <= s.priority);
    paused || snoozed
}

/// Seconds of audio pause left at `now`, if paused.
pub fn pause_left(state: &SessionState, now: Time) -> Option<i64> {
    let (until, _) = state.audio.paused?;
    (now < until).then(|| (until - now).num_seconds())
}
