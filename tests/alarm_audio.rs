//! What the nurse hears: first announcement, re-announcement, audio pause and its
//! exception, snooze that never hides worse and ends with the session. Every sound is an
//! event in the log.

mod common;

use common::*;
use infusion_vitals::clock::{FixedClock, Time};
use infusion_vitals::commands::{Command, CommandError, Session};
use infusion_vitals::log::read_log;
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::session::events::{AlertKey, Event, EventKind, Priority, Source};

/// (key, priority) of each alarm sound among `events`.
fn sounds(events: &[Event]) -> Vec<(AlertKey, Priority)> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::AlarmSounded { key, priority, .. } => Some((*key, *priority)),
            _ => None,
        })
        .collect()
}

fn audio(s: &mut Session, at: &str) -> Vec<(AlertKey, Priority)> {
    sounds(&s.run_audio(t(at)).unwrap())
}

fn at_seconds(hhmm: &str, seconds: i64) -> Time {
    t(hhmm) + infusion_vitals::chrono::Duration::seconds(seconds)
}

fn spo2_advisory_at_09_05() -> Session {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(94));
    s
}

#[test]
fn a_new_alarm_sounds_once_then_every_150_s_while_unacknowledged() {
    let mut s = spo2_advisory_at_09_05();
    assert_eq!(audio(&mut s, "09:05"), [(SPO2_LOW, Priority::Low)]);
    assert_eq!(audio(&mut s, "09:05"), [], "once");
    assert_eq!(
        sounds(&s.run_audio(at_seconds("09:07", 29)).unwrap()),
        [],
        "149 s later"
    );
    assert_eq!(
        sounds(&s.run_audio(at_seconds("09:07", 30)).unwrap()),
        [(SPO2_LOW, Priority::Low)]
    );
}

#[test]
fn an_acknowledged_alarm_still_active_re_announces_after_10_min() {
    let mut s = spo2_advisory_at_09_05();
    audio(&mut s, "09:05");
    acknowledge(&mut s, SPO2_LOW, t("09:06"));
    assert_eq!(audio(&mut s, "09:14"), []);
    assert_eq!(audio(&mut s, "09:15"), [(SPO2_LOW, Priority::Low)]);
}

#[test]
fn an_escalation_sounds_at_once() {
    let mut s = spo2_advisory_at_09_05();
    audio(&mut s, "09:05");
    record(&mut s, t("09:06"), spo2(88));
    assert_eq!(audio(&mut s, "09:06"), [(SPO2_LOW, Priority::High)]);
}

#[test]
fn an_audio_pause_lasts_2_min_and_is_logged_with_who() {
    let mut s = spo2_advisory_at_09_05();
    audio(&mut s, "09:05");
    let pause = Command::PauseAudio { by: NURSE.into() };
    let out = s.execute(pause, &FixedClock(t("09:07"))).unwrap();
    assert_eq!(out.events[0].by, NURSE);
    assert!(matches!(out.events[0].kind, EventKind::AudioPaused { until } if until == t("09:09")));
    // The re-announcement due at 09:07:30 waits for the end of the pause.
    assert_eq!(audio(&mut s, "09:08"), []);
    assert_eq!(audio(&mut s, "09:09"), [(SPO2_LOW, Priority::Low)]);
}

#[test]
fn during_a_pause_a_more_urgent_new_alarm_still_sounds_but_not_an_equal_one() {
    let mut s = spo2_advisory_at_09_05();
    audio(&mut s, "09:05");
    s.execute(
        Command::PauseAudio { by: NURSE.into() },
        &FixedClock(t("09:06")),
    )
    .unwrap();
    record(&mut s, t("09:06"), hr(105));
    assert_eq!(
        audio(&mut s, "09:06"),
        [],
        "a low alarm like the one paused stays silent"
    );
    record(&mut s, t("09:07"), bp(205, 110));
    let heard = audio(&mut s, "09:07");
    assert!(
        heard.contains(&(SYSTOLIC_HIGH, Priority::High)),
        "{heard:?}"
    );
    assert!(
        !heard.iter().any(|(k, _)| *k == HEART_RATE_HIGH),
        "{heard:?}"
    );
}

fn snooze(
    s: &mut Session,
    key: AlertKey,
    minutes: u32,
    reason: &str,
    at: &str,
) -> Result<Vec<Event>, CommandError> {
    let cmd = Command::Snooze {
        key,
        by: NURSE.into(),
        minutes,
        reason: reason.into(),
    };
    s.execute(cmd, &FixedClock(t(at))).map(|o| o.events)
}

#[test]
fn a_snooze_needs_a_reason_and_a_duration_the_profile_allows() {
    let mut s = spo2_advisory_at_09_05();
    assert!(matches!(
        snooze(&mut s, SPO2_LOW, 10, " ", "09:06"),
        Err(CommandError::ReasonRequired(_))
    ));
    assert!(matches!(
        snooze(&mut s, SPO2_LOW, 60, "probe on a cold finger", "09:06"),
        Err(CommandError::SnoozeTooLong { max: 15, .. })
    ));
    assert!(matches!(
        snooze(&mut s, HEART_RATE_HIGH, 10, "no such alarm", "09:06"),
        Err(CommandError::NothingToSnooze(_))
    ));
    let events = snooze(&mut s, SPO2_LOW, 10, "probe on a cold finger", "09:06").unwrap();
    assert_eq!(events[0].reason.as_deref(), Some("probe on a cold finger"));
}

#[test]
fn a_snooze_silences_its_alarm_but_never_a_worse_one_and_ends_when_it_expires() {
    let mut s = spo2_advisory_at_09_05();
    audio(&mut s, "09:05");
    snooze(&mut s, SPO2_LOW, 10, "probe on a cold finger", "09:06").unwrap();
    assert_eq!(audio(&mut s, "09:09"), [], "the snoozed advisory is silent");
    record(&mut s, t("09:10"), spo2(88));
    assert_eq!(
        audio(&mut s, "09:10"),
        [(SPO2_LOW, Priority::High)],
        "a worse SpO2 alarm sounds"
    );
    let ended = s.run_audio(t("09:16")).unwrap();
    assert!(
        ended
            .iter()
            .any(|e| matches!(e.kind, EventKind::SnoozeEnded { key } if key == SPO2_LOW))
    );
    assert!(s.state().audio.snoozes.is_empty());
}

#[test]
fn a_snooze_lasts_exactly_what_was_asked_and_ends_at_the_second_it_shows() {
    let mut s = spo2_advisory_at_09_05();
    audio(&mut s, "09:05");
    let cmd = Command::Snooze {
        key: SPO2_LOW,
        by: NURSE.into(),
        minutes: 10,
        reason: "probe on a cold finger".into(),
    };
    s.execute(cmd, &FixedClock(at_seconds("09:06", 30)))
        .unwrap();
    // The card says "snoozed until 09:16:30", to the second.
    assert_eq!(
        s.state().audio.snoozes[&SPO2_LOW].until,
        at_seconds("09:16", 30)
    );
    assert!(
        s.run_audio(at_seconds("09:16", 29)).unwrap().is_empty(),
        "still snoozed"
    );
    let ended = s.run_audio(at_seconds("09:16", 30)).unwrap();
    assert!(
        ended
            .iter()
            .any(|e| matches!(e.kind, EventKind::SnoozeEnded { key } if key == SPO2_LOW))
    );
}

#[test]
fn a_snooze_ends_with_the_session() {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), spo2(94));
    snooze(&mut s, SPO2_LOW, 15, "probe on a cold finger", "08:51").unwrap();
    let close = Command::Close {
        at: t("08:55"),
        by: NURSE.into(),
        source: Source::Manual,
        reason: "done".into(),
    };
    let events = s.execute(close, &FixedClock(t("08:55"))).unwrap().events;
    assert!(matches!(events[0].kind, EventKind::SnoozeEnded { key } if key == SPO2_LOW));
    assert!(matches!(events[1].kind, EventKind::SessionClosed));
}

#[test]
fn sounds_pauses_and_snoozes_are_in_the_log_and_read_back() {
    let mut s = spo2_advisory_at_09_05();
    audio(&mut s, "09:05");
    s.execute(
        Command::PauseAudio { by: NURSE.into() },
        &FixedClock(t("09:06")),
    )
    .unwrap();
    snooze(&mut s, SPO2_LOW, 10, "probe on a cold finger", "09:06").unwrap();
    let bytes = log_bytes(s.events(), &t("10:00"));
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.contains("alarm-audio,sounded")
            && text.contains("alarm-audio,paused")
            && text.contains("alarm-audio,snoozed")
    );
    assert_eq!(read_log(bytes.as_slice()).unwrap().events, s.events());
}

#[test]
fn a_session_read_from_a_file_makes_no_sound() {
    let from_file = Source::Imported {
        file: "readings.csv".into(),
        line: 0,
    };
    let profile = infusion_vitals::alerts::Profile::default_profile();
    let info = infusion_vitals::session::events::SessionInfo::default();
    let mut s = Session::open_from(
        profile,
        info,
        t("09:00"),
        NURSE,
        from_file,
        &FixedClock(t("09:00")),
    )
    .unwrap();
    record(&mut s, t("09:05"), spo2(88));
    assert_eq!(
        alert_on(&s, SPO2_LOW),
        Some(high(SPO2_LOW)),
        "the alarm is there"
    );
    assert_eq!(
        audio(&mut s, "09:05"),
        [],
        "but nobody is at the chair to hear it"
    );
}
