//! The running of a session at the chair, without a window: what must happen on time
//! happens when the chair is woken at the deadlines it names, as `App::logic` wakes it
//! while the window is minimized.

mod common;

use common::*;
use infusion_vitals::chair::{Chair, LOOKAHEAD_S};
use infusion_vitals::chrono::Duration;
use infusion_vitals::clock::Time;
use infusion_vitals::commands::Command;
use infusion_vitals::demo::DemoScript;
use infusion_vitals::session::events::{AlertChange, EventKind, Priority};
use proptest::prelude::*;

/// Wakes the chair only when it asks to be (as the window's timer does), until `until`.
/// Returns the sounds played, with when.
fn run_unattended(chair: &mut Chair, from: Time, until: Time) -> Vec<(Time, Priority)> {
    let mut played = Vec::new();
    let mut now = from;
    while now <= until {
        played.extend(chair.tick(now).into_iter().map(|p| (now, p)));
        match chair.next_deadline(now) {
            Some(next) => {
                assert!(next > now, "a deadline must lie ahead: {next} at {now}");
                assert!(next <= now + Duration::seconds(LOOKAHEAD_S));
                now = next;
            }
            None => break,
        }
    }
    played
}

fn escalations(chair: &Chair) -> Vec<Time> {
    chair
        .session()
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Alert(a)
                if matches!(a.change, AlertChange::Escalated) && a.priority == Priority::High =>
            {
                Some(e.entered_at)
            }
            _ => None,
        })
        .collect()
}

/// A session whose systolic 185 is confirmed at 09:05:20: a medium alarm nobody
/// acknowledges.
fn medium_alarm_left_alone() -> Chair {
    let mut s = infusion_running_without_baseline();
    let first = t("09:00") + Duration::seconds(20);
    record(&mut s, first, full_set(185, 85, 80, 97));
    record(
        &mut s,
        first + Duration::minutes(5),
        full_set(186, 85, 80, 97),
    );
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), Some(medium(SYSTOLIC_HIGH)));
    Chair::new(s, None)
}

#[test]
fn an_unacknowledged_medium_alarm_escalates_on_time_with_no_one_looking() {
    let mut chair = medium_alarm_left_alone();
    let became_medium = t("09:05") + Duration::seconds(20);
    run_unattended(&mut chair, became_medium, t("09:20"));
    let due = became_medium + Duration::minutes(5);
    let at = escalations(&chair);
    assert_eq!(at.len(), 1, "escalated once: {at:?}");
    assert!(
        at[0] >= due && at[0] - due <= Duration::seconds(1),
        "escalated at {} for {due}",
        at[0]
    );
    assert_eq!(
        alert_on(chair.session(), SYSTOLIC_HIGH),
        Some(high(SYSTOLIC_HIGH))
    );
}

#[test]
fn an_advisory_not_rechecked_ends_when_its_recheck_expires_with_no_one_looking() {
    let mut s = infusion_running_without_baseline();
    let first = t("09:00") + Duration::seconds(20);
    record(&mut s, first, full_set(186, 85, 80, 97));
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), Some(recheck(SYSTOLIC_HIGH)));
    let mut chair = Chair::new(s, None);
    run_unattended(&mut chair, first, t("10:02"));
    // 60 min after 09:00:20, from the start of that minute, as the recheck's own time is.
    let expired: Vec<Time> = chair
        .session()
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Alert(a) if a.change == AlertChange::RecheckExpired => Some(e.at),
            _ => None,
        })
        .collect();
    assert_eq!(expired, [t("10:00")]);
    assert_eq!(alert_on(chair.session(), SYSTOLIC_HIGH), None);
}

#[test]
fn an_alarm_sounds_when_raised_and_again_every_150_s_while_unacknowledged() {
    let mut chair = medium_alarm_left_alone();
    let start = t("09:05") + Duration::seconds(20);
    let played = run_unattended(&mut chair, start, start + Duration::seconds(299));
    let times: Vec<i64> = played
        .iter()
        .map(|(at, _)| (*at - start).num_seconds())
        .collect();
    assert_eq!(times, vec![0, 150], "{played:?}");
    assert!(played.iter().all(|(_, p)| *p == Priority::Medium));
    // The escalation at 300 s is heard at once, as high.
    let played = run_unattended(
        &mut chair,
        start + Duration::seconds(300),
        start + Duration::seconds(301),
    );
    assert_eq!(
        played,
        vec![(start + Duration::seconds(300), Priority::High)]
    );
}

#[test]
fn with_no_sound_device_nothing_is_logged_as_heard_and_the_technical_alarm_is() {
    let mut chair = medium_alarm_left_alone();
    chair.set_sound_unavailable(Some("no audio device found".into()));
    let start = t("09:05") + Duration::seconds(20);
    let played = run_unattended(&mut chair, start, start + Duration::minutes(4));
    assert!(played.is_empty());
    let events = chair.session().events();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e.kind, EventKind::AlarmSounded { .. }))
    );
    let technical: Vec<&EventKind> = events
        .iter()
        .map(|e| &e.kind)
        .filter(|k| matches!(k, EventKind::TechnicalAlarm { .. }))
        .collect();
    assert_eq!(technical.len(), 1, "logged once: {technical:?}");
    assert!(chair.technical()[0].contains("no audio device found"));
}

#[test]
fn the_clock_moving_back_is_a_technical_alarm_logged_once() {
    let mut chair = medium_alarm_left_alone();
    chair.tick(t("09:30"));
    chair.tick(t("09:10"));
    chair.tick(t("09:11"));
    assert!(
        chair.technical().iter().any(|t| t.contains("moved back")),
        "{:?}",
        chair.technical()
    );
    let logged = chair
        .session()
        .events()
        .iter()
        .filter(|e| matches!(&e.kind, EventKind::TechnicalAlarm { condition } if condition.contains("moved back")))
        .count();
    assert_eq!(logged, 1);
}

#[test]
fn the_demo_records_its_readings_with_no_window_at_its_own_times() {
    let start = t("09:00");
    let session = open_session(start);
    let mut chair = Chair::new(session, Some(DemoScript::new(start, NURSE)));
    // 40 simulated minutes, woken only at the deadlines the chair names.
    run_unattended(&mut chair, start, start + Duration::minutes(40));
    let state = chair.session().state();
    // Two baseline sets, then one a minute from the infusion's start at 10 min.
    assert_eq!(state.readings.len(), 2 + 30, "{}", state.readings.len());
    assert!(state.infusion.started_at == Some(start + Duration::minutes(10)));
    for (i, r) in state.readings.iter().enumerate().skip(2) {
        assert_eq!(
            r.current().unwrap().at,
            start + Duration::minutes(11 + i as i64 - 2),
            "reading {i}"
        );
    }
}

#[test]
fn a_refused_journal_write_is_a_technical_alarm_until_one_succeeds() {
    let mut chair = medium_alarm_left_alone();
    let not_saved = infusion_vitals::commands::CommandError::NotSaved("disk full".into());
    chair.stored(t("09:20"), Err(&not_saved));
    assert!(chair.technical().iter().any(|t| t.contains("disk full")));
    chair.stored(t("09:22"), Ok(()));
    assert!(chair.technical().is_empty());
    assert!(chair.session().events().iter().any(|e| matches!(
        &e.kind,
        EventKind::TechnicalAlarm { condition } if condition.contains("from 09:20:00 to 09:22:00")
    )));
}

#[test]
fn a_closed_session_asks_for_no_more_wakeups() {
    let mut s = open_session(t("09:00"));
    record(&mut s, t("09:01"), full_set(120, 80, 70, 98));
    let mut chair = Chair::new(s, None);
    chair
        .execute(
            Command::Close {
                at: t("09:02"),
                by: NURSE.into(),
                source: infusion_vitals::session::Source::Manual,
                reason: "done".into(),
            },
            t("09:02"),
        )
        .unwrap();
    assert_eq!(chair.next_deadline(t("09:02")), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The deadline the chair names is the first whole second at which the alert engine
    /// or the audio manager has something to do: a second-by-second scan finds nothing
    /// sooner, and something at it (unless it is the look-ahead's end).
    #[test]
    fn the_next_deadline_is_the_first_second_anything_is_due(
        readings in proptest::collection::vec((0i64..900, 100u32..230, 40u32..140, 80u32..100), 1..6),
        acknowledge in any::<bool>(),
        after in 0i64..1200,
    ) {
        let mut s = infusion_running_without_baseline();
        let mut at = t("09:00");
        for (gap, sys, hr_bpm, sat) in readings {
            at += Duration::seconds(gap + 1);
            let dia = (sys / 2).max(40);
            let _ = try_record(
                &mut s,
                at,
                full_set(sys, dia, hr_bpm, sat),
                infusion_vitals::commands::OnWarning::Confirmed,
                infusion_vitals::commands::OnReject::RejectEntry,
            );
        }
        let mut chair = Chair::new(s, None);
        let now = at + Duration::seconds(after);
        chair.tick(now);
        if acknowledge {
            let ids: Vec<u32> = chair.session().state().active_alerts().map(|a| a.id).collect();
            for id in ids {
                let _ = chair.execute(
                    Command::Acknowledge { alert_id: id, by: NURSE.into(), action: "seen".into() },
                    now,
                );
            }
            chair.tick(now);
        }
        let deadline = chair.next_deadline(now).expect("open session");
        let seconds = (deadline - now).num_seconds();
        prop_assert!((1..=LOOKAHEAD_S).contains(&seconds));
        for k in 1..seconds {
            let mut probe = Chair::new(
                infusion_vitals::commands::Session::resume(
                    chair.session().profile().clone(),
                    chair.session().events().to_vec(),
                    None,
                ).unwrap(),
                None,
            );
            let before = probe.session().events().len();
            probe.tick(now + Duration::seconds(k));
            let added: Vec<_> = probe.session().events()[before..]
                .iter()
                .filter(|e| !matches!(e.kind, EventKind::TechnicalAlarm { .. }))
                .map(|e| format!("{:?}", e.kind))
                .collect();
            prop_assert!(added.is_empty(), "at +{k}s before the deadline +{seconds}s: {added:?}");
        }
    }
}
