//! The alert thresholds of the default profile "Ketamine IV, adult" (DOMAIN.md, "Alert
//! thresholds" and "How a manual reading confirms"), each at and beside its boundary,
//! through the app's commands.
//!
//! Unless a test says otherwise the infusion started at 09:00 with no readings before
//! it, so there is no baseline and only the absolute thresholds speak; readings come
//! every 5 min, so no reading is ever overdue.

mod common;

use common::*;
use infusion_vitals::clock::FixedClock;
use infusion_vitals::commands::{Command, OnReject, OnWarning, ReadingEntry, Session};
use infusion_vitals::session::events::{AlertKey, Priority};
use infusion_vitals::session::events::{EventKind, Source};
use infusion_vitals::session::{Event, VitalSet};

/// The active alerts after one reading at 09:05.
fn after_one(values: VitalSet) -> Vec<Shown> {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), values);
    active_alerts(&s)
}

/// The active alerts after a reading at 09:05 and the next one at 09:10.
fn after_two(first: VitalSet, second: VitalSet) -> Vec<Shown> {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), first);
    record(&mut s, t("09:10"), second);
    active_alerts(&s)
}

fn message_of(s: &Session, key: AlertKey) -> String {
    s.state()
        .active_alert(key)
        .map(|a| a.message.clone())
        .unwrap_or_default()
}

// ================================================================ systolic, high side

#[test]
fn systolic_159_raises_no_alert() {
    assert_eq!(after_one(bp(159, 85)), []);
}

#[test]
fn systolic_160_is_a_low_advisory() {
    assert_eq!(after_one(bp(160, 85)), [low(SYSTOLIC_HIGH)]);
}

#[test]
fn systolic_179_is_a_low_advisory_without_recheck() {
    assert_eq!(after_one(bp(179, 85)), [low(SYSTOLIC_HIGH)]);
}

#[test]
fn systolic_180_on_a_first_reading_asks_for_a_recheck_in_5_min() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(180, 90));
    assert_eq!(active_alerts(&s), [recheck(SYSTOLIC_HIGH)]);
    let alert = s.state().active_alert(SYSTOLIC_HIGH).unwrap();
    assert_eq!(alert.recheck.as_ref().unwrap().due, t("09:10"));
    let message = message_of(&s, SYSTOLIC_HIGH);
    assert!(message.starts_with("* "), "{message}");
    assert!(message.contains("recheck at 09:10"), "{message}");
}

#[test]
fn systolic_180_again_on_the_next_reading_is_medium() {
    assert_eq!(after_two(bp(180, 90), bp(180, 90)), [medium(SYSTOLIC_HIGH)]);
}

#[test]
fn systolic_179_on_the_recheck_does_not_confirm_medium() {
    assert_eq!(after_two(bp(180, 90), bp(179, 90)), [low(SYSTOLIC_HIGH)]);
}

#[test]
fn systolic_199_is_not_high_but_asks_for_a_recheck() {
    assert_eq!(after_one(bp(199, 99)), [recheck(SYSTOLIC_HIGH)]);
}

#[test]
fn systolic_200_on_one_reading_is_high() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(200, 100));
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), Some(high(SYSTOLIC_HIGH)));
    let message = message_of(&s, SYSTOLIC_HIGH);
    assert!(message.starts_with("*** "), "{message}");
    assert!(message.contains("pause the infusion"), "{message}");
}

// ================================================================ systolic, low side

#[test]
fn systolic_90_raises_no_alert() {
    assert_eq!(after_one(bp(90, 60)), []);
}

#[test]
fn systolic_89_is_high() {
    assert_eq!(after_one(bp(89, 60)), [high(SYSTOLIC_LOW)]);
}

// ================================================================ diastolic

#[test]
fn diastolic_99_raises_no_alert() {
    assert_eq!(after_one(bp(150, 99)), []);
}

#[test]
fn diastolic_100_is_a_low_advisory() {
    assert_eq!(after_one(bp(150, 100)), [low(DIASTOLIC_HIGH)]);
}

#[test]
fn diastolic_109_is_a_low_advisory_without_recheck() {
    assert_eq!(after_one(bp(150, 109)), [low(DIASTOLIC_HIGH)]);
}

#[test]
fn diastolic_110_on_a_first_reading_asks_for_a_recheck() {
    assert_eq!(after_one(bp(150, 110)), [recheck(DIASTOLIC_HIGH)]);
}

#[test]
fn diastolic_110_confirmed_on_the_next_reading_is_medium() {
    assert_eq!(
        after_two(bp(150, 110), bp(150, 110)),
        [medium(DIASTOLIC_HIGH)]
    );
}

#[test]
fn diastolic_119_is_not_high() {
    assert_eq!(after_one(bp(150, 119)), [recheck(DIASTOLIC_HIGH)]);
}

#[test]
fn diastolic_120_on_one_reading_is_high() {
    assert_eq!(after_one(bp(150, 120)), [high(DIASTOLIC_HIGH)]);
}

// ================================================================ heart rate, fast

#[test]
fn heart_rate_100_raises_no_alert() {
    assert_eq!(after_one(hr(100)), []);
}

#[test]
fn heart_rate_101_is_a_low_advisory() {
    assert_eq!(after_one(hr(101)), [low(HEART_RATE_HIGH)]);
}

#[test]
fn heart_rate_120_is_a_low_advisory_without_recheck() {
    assert_eq!(after_one(hr(120)), [low(HEART_RATE_HIGH)]);
}

#[test]
fn heart_rate_121_on_a_first_reading_asks_for_a_recheck() {
    assert_eq!(after_one(hr(121)), [recheck(HEART_RATE_HIGH)]);
}

#[test]
fn heart_rate_121_on_two_readings_5_min_apart_is_medium() {
    assert_eq!(after_two(hr(121), hr(121)), [medium(HEART_RATE_HIGH)]);
}

#[test]
fn heart_rate_120_on_the_recheck_does_not_confirm_medium() {
    assert_eq!(after_two(hr(121), hr(120)), [low(HEART_RATE_HIGH)]);
}

#[test]
fn heart_rate_over_120_rechecked_only_2_min_later_is_not_yet_medium() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), hr(125));
    record(&mut s, t("09:07"), hr(125));
    assert_eq!(active_alerts(&s), [recheck(HEART_RATE_HIGH)]);
    // Five minutes after the first reading, it counts.
    record(&mut s, t("09:10"), hr(125));
    assert_eq!(active_alerts(&s), [medium(HEART_RATE_HIGH)]);
}

#[test]
fn heart_rate_140_is_not_high_but_asks_for_a_recheck() {
    assert_eq!(after_one(hr(140)), [recheck(HEART_RATE_HIGH)]);
}

#[test]
fn heart_rate_141_on_one_reading_is_high() {
    assert_eq!(after_one(hr(141)), [high(HEART_RATE_HIGH)]);
}

// ================================================================ heart rate, slow

#[test]
fn heart_rate_55_raises_no_alert() {
    assert_eq!(after_one(hr(55)), []);
}

#[test]
fn heart_rate_54_is_a_low_advisory() {
    assert_eq!(after_one(hr(54)), [low(HEART_RATE_LOW)]);
}

#[test]
fn heart_rate_50_is_a_low_advisory_without_recheck() {
    assert_eq!(after_one(hr(50)), [low(HEART_RATE_LOW)]);
}

#[test]
fn heart_rate_49_on_a_first_reading_asks_for_a_recheck() {
    assert_eq!(after_one(hr(49)), [recheck(HEART_RATE_LOW)]);
}

#[test]
fn heart_rate_49_confirmed_on_the_next_reading_is_medium() {
    assert_eq!(after_two(hr(49), hr(49)), [medium(HEART_RATE_LOW)]);
}

#[test]
fn heart_rate_40_is_not_high_but_asks_for_a_recheck() {
    assert_eq!(after_one(hr(40)), [recheck(HEART_RATE_LOW)]);
}

#[test]
fn heart_rate_39_on_one_reading_is_high() {
    assert_eq!(after_one(hr(39)), [high(HEART_RATE_LOW)]);
}

// ================================================================ SpO2

#[test]
fn spo2_95_raises_no_alert() {
    assert_eq!(after_one(spo2(95)), []);
}

#[test]
fn spo2_94_is_a_low_advisory() {
    assert_eq!(after_one(spo2(94)), [low(SPO2_LOW)]);
}

#[test]
fn spo2_92_is_a_low_advisory_without_recheck() {
    assert_eq!(after_one(spo2(92)), [low(SPO2_LOW)]);
}

#[test]
fn spo2_91_on_a_first_reading_asks_for_a_recheck() {
    assert_eq!(after_one(spo2(91)), [recheck(SPO2_LOW)]);
}

#[test]
fn spo2_91_confirmed_on_the_next_reading_is_medium() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(91));
    let confirmed = record(&mut s, t("09:10"), spo2(91));
    assert_eq!(active_alerts(&s), [medium(SPO2_LOW)]);
    assert_eq!(
        alert_changes(&confirmed.events),
        [(SPO2_LOW, "escalated", Priority::Medium)]
    );
    let message = message_of(&s, SPO2_LOW);
    assert!(message.starts_with("** "), "{message}");
    assert!(message.contains("notify the clinician"), "{message}");
}

#[test]
fn spo2_90_is_not_high_but_asks_for_a_recheck() {
    assert_eq!(after_one(spo2(90)), [recheck(SPO2_LOW)]);
}

#[test]
fn spo2_89_on_one_reading_is_high() {
    assert_eq!(after_one(spo2(89)), [high(SPO2_LOW)]);
}

// ================================================================ the recheck

#[test]
fn systolic_recheck_below_180_but_still_160_ends_the_recheck_and_stays_low() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(185, 95));
    let recheck_reading = record(&mut s, t("09:10"), bp(170, 90));
    assert_eq!(active_alerts(&s), [low(SYSTOLIC_HIGH)]);
    assert_eq!(
        alert_changes(&recheck_reading.events),
        [(SYSTOLIC_HIGH, "recheck-ended", Priority::Low)]
    );
}

#[test]
fn systolic_recheck_back_to_normal_resolves_the_advisory() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(185, 95));
    let recheck_reading = record(&mut s, t("09:10"), bp(140, 85));
    assert_eq!(active_alerts(&s), []);
    assert_eq!(
        alert_changes(&recheck_reading.events),
        [(SYSTOLIC_HIGH, "resolved", Priority::Low)]
    );
}

#[test]
fn spo2_recheck_at_93_ends_the_recheck_and_stays_low() {
    assert_eq!(after_two(spo2(91), spo2(93)), [low(SPO2_LOW)]);
}

#[test]
fn spo2_recheck_back_to_98_resolves_the_advisory() {
    assert_eq!(after_two(spo2(91), spo2(98)), []);
}

#[test]
fn heart_rate_recheck_at_52_ends_the_recheck_and_stays_low() {
    assert_eq!(after_two(hr(48), hr(52)), [low(HEART_RATE_LOW)]);
}

#[test]
fn heart_rate_recheck_back_to_70_resolves_the_advisory() {
    assert_eq!(after_two(hr(48), hr(70)), []);
}

#[test]
fn an_advisory_already_showing_asks_for_a_recheck_when_the_medium_condition_is_met() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(94));
    assert_eq!(active_alerts(&s), [low(SPO2_LOW)]);
    let worse = record(&mut s, t("09:10"), spo2(91));
    assert_eq!(active_alerts(&s), [recheck(SPO2_LOW)]);
    assert_eq!(
        alert_changes(&worse.events),
        [(SPO2_LOW, "recheck-requested", Priority::Low)]
    );
    record(&mut s, t("09:15"), spo2(91));
    assert_eq!(active_alerts(&s), [medium(SPO2_LOW)]);
}

#[test]
fn a_recheck_taken_late_still_confirms() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(91));
    // Recheck due 09:10; the nurse is busy and it is taken 20 min later, before it
    // expires at 10:05.
    record(&mut s, t("09:25"), spo2(91));
    assert_eq!(active_alerts(&s), [medium(SPO2_LOW)]);
}

#[test]
fn a_recheck_taken_after_its_overdue_reminder_still_confirms() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(91));
    tick(&mut s, t("09:12"));
    assert_eq!(recheck_overdue_count(&s), 1);
    record(&mut s, t("09:14"), spo2(90));
    assert_eq!(active_alerts(&s), [medium(SPO2_LOW)]);
}

#[test]
fn a_recheck_not_taken_by_its_due_time_is_announced_once() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(91));
    assert!(tick(&mut s, t("09:09")).is_empty(), "not yet due");
    assert_eq!(recheck_overdue_count(&s), 0);

    let events = tick(&mut s, t("09:11"));
    assert_eq!(
        alert_changes(&events),
        [(SPO2_LOW, "recheck-overdue", Priority::Low)]
    );
    let message = message_of(&s, SPO2_LOW);
    assert!(message.contains("recheck was due at 09:10"), "{message}");

    tick(&mut s, t("09:12"));
    tick(&mut s, t("09:14"));
    assert_eq!(recheck_overdue_count(&s), 1);
    assert_eq!(active_alerts(&s), [recheck(SPO2_LOW)]);
}

// ================================================================ the recheck expires
//
// A recheck is a second look at the same moment: one not taken within the profile's
// `recheck.expires_after_min` (60) of the reading that asked for it ends the advisory, not
// rechecked, and a later reading is a condition of its own (issue 14, item 9: a home
// cuff's reading two days later had "confirmed" the first).

/// The changes to the systolic-high alert among `events`: (change, priority after).
fn on_systolic(events: &[Event]) -> Vec<(&'static str, Priority)> {
    alert_changes(events)
        .into_iter()
        .filter(|(key, _, _)| *key == SYSTOLIC_HIGH)
        .map(|(_, change, priority)| (change, priority))
        .collect()
}

/// The messages of the systolic-high alert's changes among `events`.
fn systolic_messages(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Alert(a) if a.key == SYSTOLIC_HIGH => Some(a.message.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_recheck_taken_in_the_last_second_before_it_expires_still_confirms() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(186, 90));
    // It expires at 10:05, the minute 60 min after 09:05.
    record(&mut s, at("10:04", 59), bp(184, 90));
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), Some(medium(SYSTOLIC_HIGH)));
}

#[test]
fn a_recheck_not_taken_within_60_min_ends_the_advisory_at_the_expiry() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(186, 90));
    assert_eq!(
        on_systolic(&tick(&mut s, t("09:10"))),
        [("recheck-overdue", Priority::Low)]
    );
    assert_eq!(on_systolic(&tick(&mut s, at("10:04", 59))), []);
    let ended = tick(&mut s, t("10:05"));
    assert_eq!(on_systolic(&ended), [("recheck-expired", Priority::Low)]);
    assert_eq!(
        systolic_messages(&ended),
        ["* Systolic high 186 mmHg (measured 09:05): not rechecked within 60 min; advisory ended"]
    );
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), None);
    // The reading that asked is not asked about again, however long nothing comes.
    assert_eq!(on_systolic(&tick(&mut s, t("10:06"))), []);
    assert_eq!(on_systolic(&tick(&mut s, t("11:30"))), []);
}

#[test]
fn a_reading_after_the_expiry_does_not_confirm_it_but_asks_a_fresh_recheck() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(186, 90));
    tick(&mut s, t("10:05"));
    let later = record(&mut s, t("10:20"), bp(186, 90));
    assert_eq!(on_systolic(&later.events), [("raised", Priority::Low)]);
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), Some(recheck(SYSTOLIC_HIGH)));
    let fresh = s.state().active_alert(SYSTOLIC_HIGH).unwrap();
    assert_eq!(fresh.raised_at, t("10:20"));
    assert_eq!(fresh.recheck.as_ref().unwrap().due, t("10:25"));
    // And it is confirmed as any other: by the next reading from its recheck time.
    record(&mut s, t("10:25"), bp(187, 90));
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), Some(medium(SYSTOLIC_HIGH)));
}

#[test]
fn with_no_timer_run_since_a_reading_after_the_expiry_ends_the_advisory_then_starts_afresh() {
    // A session resumed after a crash, or a reading entered with no tick between: the
    // advisory still ends as not rechecked, before the new reading's own advisory.
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(186, 90));
    let later = record(&mut s, t("10:20"), bp(186, 90));
    assert_eq!(
        on_systolic(&later.events),
        [
            ("recheck-expired", Priority::Low),
            ("raised", Priority::Low)
        ]
    );
    assert!(
        systolic_messages(&later.events)[0].contains("not rechecked within 60 min"),
        "{:?}",
        systolic_messages(&later.events)
    );
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), Some(recheck(SYSTOLIC_HIGH)));
}

#[test]
fn a_normal_reading_after_the_expiry_leaves_the_advisory_ended_as_not_rechecked() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(186, 90));
    let later = record(&mut s, t("10:20"), bp(130, 80));
    assert_eq!(
        on_systolic(&later.events),
        [("recheck-expired", Priority::Low)]
    );
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), None);
}

#[test]
fn a_reading_too_early_to_confirm_does_not_ask_again_once_the_recheck_expired() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(186, 90));
    record(&mut s, t("09:07"), bp(188, 90));
    assert_eq!(
        on_systolic(&tick(&mut s, t("10:05"))),
        [("recheck-expired", Priority::Low)]
    );
    // 09:07's own hour runs to 10:07, but it was part of the advisory that ended.
    assert_eq!(on_systolic(&tick(&mut s, t("10:06"))), []);
    assert_eq!(alert_on(&s, SYSTOLIC_HIGH), None);
}

#[test]
fn a_recheck_measured_in_time_but_entered_after_the_expiry_still_confirms() {
    // Whether or not the timers ran at the expiry (10:05) before it was typed in.
    for timers_ran in [false, true] {
        let mut s = infusion_running_without_baseline();
        record(&mut s, t("09:05"), bp(186, 90));
        if timers_ran {
            tick(&mut s, t("10:05"));
            assert_eq!(alert_on(&s, SYSTOLIC_HIGH), None);
        }
        // Measured at 09:40, typed in at 10:20: it would have confirmed, entered then.
        try_record_entered_at(
            &mut s,
            t("09:40"),
            t("10:20"),
            bp(185, 90),
            OnWarning::Confirmed,
            OnReject::RejectEntry,
        )
        .unwrap();
        assert_eq!(
            alert_on(&s, SYSTOLIC_HIGH),
            Some(medium(SYSTOLIC_HIGH)),
            "timers ran at the expiry: {timers_ran}"
        );
    }
}

#[test]
fn an_advisory_not_rechecked_reads_back_from_the_log_and_the_review_says_so() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(186, 90));
    tick(&mut s, t("10:05"));
    let bytes = infusion_vitals::log::write::log_bytes(s.events(), &t("10:06"));
    let read = infusion_vitals::log::read::read_log_bytes(&bytes).unwrap();
    assert_eq!(read.events, s.events());
    let alarms = infusion_vitals::session::summary::alarm_history(&read.events);
    let advisory = alarms.iter().find(|a| a.key == SYSTOLIC_HIGH).unwrap();
    let clock = |at: &infusion_vitals::clock::Time| at.format("%H:%M").to_string();
    assert_eq!(
        infusion_vitals::review::wording::resolution_text(
            advisory,
            &clock,
            infusion_vitals::review::wording::Told::Whole
        ),
        "not rechecked: ended 10:05 after 1 h 00 min"
    );
}

#[test]
fn the_expiry_is_the_profiles() {
    let text = include_str!("../assets/profiles/ketamine-iv-adult.toml")
        .replace("expires_after_min = 60", "expires_after_min = 30");
    let profile = infusion_vitals::alerts::Profile::from_toml(&text, "clinic.toml").unwrap();
    let mut s = open_session_with(profile, t("08:45"));
    start_infusion(&mut s, t("09:00"));
    record(&mut s, t("09:05"), bp(186, 90));
    tick(&mut s, t("09:10"));
    assert_eq!(on_systolic(&tick(&mut s, at("09:34", 59))), []);
    let ended = tick(&mut s, t("09:35"));
    assert_eq!(
        systolic_messages(&ended),
        ["* Systolic high 186 mmHg (measured 09:05): not rechecked within 30 min; advisory ended"]
    );
}

// ================================================================ baseline-relative

/// Opened 08:45; two baseline sets 6 min apart (systolic 128 and 132: baseline 130;
/// diastolic 78 and 82: baseline 80); infusion started at 09:00.
fn infusion_running_after_baseline_130_over_80() -> Session {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), full_set(128, 78, 72, 98));
    record(&mut s, t("08:56"), full_set(132, 82, 76, 98));
    start_infusion(&mut s, t("09:00"));
    assert_eq!(active_alerts(&s), []);
    s
}

#[test]
fn systolic_155_is_below_20_percent_above_a_baseline_of_130() {
    let mut s = infusion_running_after_baseline_130_over_80();
    record(&mut s, t("09:10"), bp(155, 85));
    assert_eq!(active_alerts(&s), []);
}

#[test]
fn systolic_156_is_20_percent_above_a_baseline_of_130_and_low() {
    let mut s = infusion_running_after_baseline_130_over_80();
    record(&mut s, t("09:10"), bp(156, 85));
    assert_eq!(active_alerts(&s), [low(SYSTOLIC_HIGH)]);
    let message = message_of(&s, SYSTOLIC_HIGH);
    assert!(message.contains("baseline 130"), "{message}");
}

#[test]
fn the_baseline_is_the_mean_of_the_readings_before_the_start_only() {
    let mut s = infusion_running_after_baseline_130_over_80();
    // Were this reading part of the baseline (mean 136.7), 156 would be under 20 %.
    record(&mut s, t("09:05"), bp(150, 85));
    assert_eq!(active_alerts(&s), []);
    record(&mut s, t("09:10"), bp(156, 85));
    assert_eq!(active_alerts(&s), [low(SYSTOLIC_HIGH)]);
}

#[test]
fn systolic_169_is_39_above_a_baseline_of_130_and_only_low() {
    let mut s = infusion_running_after_baseline_130_over_80();
    record(&mut s, t("09:10"), bp(169, 85));
    assert_eq!(active_alerts(&s), [low(SYSTOLIC_HIGH)]);
}

#[test]
fn systolic_170_is_40_above_a_baseline_of_130_and_asks_for_a_recheck() {
    let mut s = infusion_running_after_baseline_130_over_80();
    record(&mut s, t("09:10"), bp(170, 85));
    assert_eq!(active_alerts(&s), [recheck(SYSTOLIC_HIGH)]);
}

#[test]
fn systolic_40_above_baseline_confirmed_on_the_next_reading_is_medium() {
    let mut s = infusion_running_after_baseline_130_over_80();
    record(&mut s, t("09:10"), bp(170, 85));
    record(&mut s, t("09:15"), bp(172, 85));
    assert_eq!(active_alerts(&s), [medium(SYSTOLIC_HIGH)]);
    let message = message_of(&s, SYSTOLIC_HIGH);
    assert!(message.contains("above baseline 130"), "{message}");
}

#[test]
fn diastolic_104_is_24_above_a_baseline_of_80_and_only_low() {
    let mut s = infusion_running_after_baseline_130_over_80();
    record(&mut s, t("09:10"), bp(150, 104));
    assert_eq!(active_alerts(&s), [low(DIASTOLIC_HIGH)]);
}

#[test]
fn diastolic_105_is_25_above_a_baseline_of_80_and_asks_for_a_recheck() {
    let mut s = infusion_running_after_baseline_130_over_80();
    record(&mut s, t("09:10"), bp(150, 105));
    assert_eq!(active_alerts(&s), [recheck(DIASTOLIC_HIGH)]);
}

#[test]
fn diastolic_25_above_baseline_confirmed_on_the_next_reading_is_medium() {
    let mut s = infusion_running_after_baseline_130_over_80();
    record(&mut s, t("09:10"), bp(150, 105));
    record(&mut s, t("09:15"), bp(150, 106));
    assert_eq!(active_alerts(&s), [medium(DIASTOLIC_HIGH)]);
}

#[test]
fn baseline_rules_do_not_apply_to_a_reading_measured_before_the_start() {
    let mut s = infusion_running_after_baseline_130_over_80();
    // Entered late: measured at 08:58, before the start, typed in at 09:02.
    try_record_entered_at(
        &mut s,
        t("08:58"),
        t("09:02"),
        bp(157, 85),
        OnWarning::Confirmed,
        OnReject::RejectEntry,
    )
    .unwrap();
    assert_eq!(active_alerts(&s), []);
}

#[test]
fn baseline_rules_do_not_apply_to_baseline_readings_taken_before_the_start() {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), full_set(128, 78, 72, 98));
    // The second baseline BP, 8 min later: 155 is over 20 % above 128, but the
    // infusion has not started, so it is a baseline reading, not a rise.
    record(&mut s, t("08:58"), full_set(155, 85, 76, 98));
    assert_eq!(active_alerts(&s), []);
    start_infusion(&mut s, t("09:00"));
    assert_eq!(active_alerts(&s), []);
}

// ================================================================ clearing
//
// DOMAIN.md: an alert clears "only with hysteresis (SpO2 +2 %, HR +-5, SBP -10) or a
// normal next manual reading". A spot reading that is normal clears it; a device value
// must be past the threshold by the margin.

#[test]
fn a_normal_next_manual_reading_clears_an_spo2_advisory() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(94));
    assert_eq!(active_alerts(&s), [low(SPO2_LOW)]);
    record(&mut s, t("09:10"), spo2(95));
    assert_eq!(active_alerts(&s), []);
}

#[test]
fn device_spo2_94_does_not_clear_at_95_or_96_but_clears_at_97() {
    let mut s = infusion_running_without_baseline();
    record_from_device(&mut s, t("09:05"), spo2(94));
    assert_eq!(active_alerts(&s), [low(SPO2_LOW)]);
    record_from_device(&mut s, t("09:06"), spo2(95));
    record_from_device(&mut s, t("09:07"), spo2(96));
    assert_eq!(active_alerts(&s), [low(SPO2_LOW)]);
    record_from_device(&mut s, t("09:08"), spo2(97));
    assert_eq!(active_alerts(&s), []);
}

#[test]
fn device_systolic_advisory_at_160_or_more_clears_only_below_150() {
    let mut s = infusion_running_without_baseline();
    record_from_device(&mut s, t("09:05"), bp(165, 90));
    record_from_device(&mut s, t("09:06"), bp(150, 90));
    assert_eq!(active_alerts(&s), [low(SYSTOLIC_HIGH)]);
    record_from_device(&mut s, t("09:07"), bp(149, 90));
    assert_eq!(active_alerts(&s), []);
}

#[test]
fn device_heart_rate_advisories_clear_only_5_bpm_past_the_threshold() {
    let mut s = infusion_running_without_baseline();
    record_from_device(&mut s, t("09:05"), hr(105));
    record_from_device(&mut s, t("09:06"), hr(96));
    assert_eq!(active_alerts(&s), [low(HEART_RATE_HIGH)]);
    record_from_device(&mut s, t("09:07"), hr(95));
    assert_eq!(active_alerts(&s), []);
    record_from_device(&mut s, t("09:08"), hr(52));
    record_from_device(&mut s, t("09:09"), hr(59));
    assert_eq!(active_alerts(&s), [low(HEART_RATE_LOW)]);
    record_from_device(&mut s, t("09:10"), hr(60));
    assert_eq!(active_alerts(&s), []);
}

#[test]
fn a_confirmed_medium_systolic_steps_down_to_low_on_a_manual_reading_below_180() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(182, 95));
    record(&mut s, t("09:10"), bp(182, 95));
    assert_eq!(active_alerts(&s), [medium(SYSTOLIC_HIGH)]);
    record(&mut s, t("09:15"), bp(179, 90));
    assert_eq!(active_alerts(&s), [low(SYSTOLIC_HIGH)]);
    record(&mut s, t("09:20"), bp(159, 90));
    assert_eq!(active_alerts(&s), []);
}

// ================================================================ high alerts latch

#[test]
fn a_high_alert_latches_until_acknowledged_even_when_the_next_reading_is_normal() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(205, 105));
    assert_eq!(
        active_alerts(&s),
        [high(SYSTOLIC_HIGH), low(DIASTOLIC_HIGH)]
    );
    record(&mut s, t("09:15"), bp(135, 80));
    // The advisory clears with a normal reading; the high alert stays until seen.
    assert_eq!(active_alerts(&s), [high(SYSTOLIC_HIGH)]);
    acknowledge(&mut s, SYSTOLIC_HIGH, t("09:16"));
    assert_eq!(active_alerts(&s), []);
}

#[test]
fn an_acknowledged_high_alert_stays_while_the_value_is_still_high() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(88));
    acknowledge(&mut s, SPO2_LOW, t("09:06"));
    assert_eq!(active_alerts(&s), [high(SPO2_LOW)]);
    assert!(s.state().active_alert(SPO2_LOW).unwrap().is_acknowledged());

    record(&mut s, t("09:08"), spo2(87));
    assert_eq!(active_alerts(&s), [high(SPO2_LOW)]);
    assert!(s.state().active_alert(SPO2_LOW).unwrap().is_acknowledged());

    record(&mut s, t("09:12"), spo2(98));
    assert_eq!(active_alerts(&s), []);
}

#[test]
fn an_acknowledged_medium_that_escalates_to_high_needs_a_new_acknowledgement() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(91));
    record(&mut s, t("09:10"), spo2(91));
    acknowledge(&mut s, SPO2_LOW, t("09:11"));
    assert!(s.state().active_alert(SPO2_LOW).unwrap().is_acknowledged());

    let worse = record(&mut s, t("09:13"), spo2(88));
    assert_eq!(
        alert_changes(&worse.events),
        [(SPO2_LOW, "escalated", Priority::High)]
    );
    assert!(!s.state().active_alert(SPO2_LOW).unwrap().is_acknowledged());

    // Latched: a normal reading does not clear it until the high is acknowledged.
    record(&mut s, t("09:16"), spo2(98));
    assert_eq!(active_alerts(&s), [high(SPO2_LOW)]);
    acknowledge(&mut s, SPO2_LOW, t("09:17"));
    assert_eq!(active_alerts(&s), []);
}

// ================================================================ the engine is idempotent

#[test]
fn running_the_alert_engine_again_at_the_same_time_adds_no_events() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), full_set(185, 112, 125, 91));
    let before = s.events().len();
    assert!(tick(&mut s, t("09:05")).is_empty());
    assert!(tick(&mut s, t("09:05")).is_empty());
    assert_eq!(s.events().len(), before);
    assert_eq!(
        active_alerts(&s),
        [
            recheck(SYSTOLIC_HIGH),
            recheck(DIASTOLIC_HIGH),
            recheck(HEART_RATE_HIGH),
            recheck(SPO2_LOW),
        ]
    );
}

#[test]
fn an_overdue_tick_repeated_at_the_same_time_adds_no_events() {
    let mut s = infusion_running_without_baseline();
    assert_eq!(alert_changes(&tick(&mut s, t("09:12"))).len(), 1);
    assert!(tick(&mut s, t("09:12")).is_empty());
}

// ================================================================ the reading schedule

#[test]
fn the_first_reading_of_a_40_min_infusion_is_overdue_2_min_after_it_was_due() {
    let mut s = infusion_running_without_baseline();
    // Due at 09:10, 10 min after the start.
    assert!(tick(&mut s, t("09:11")).is_empty());
    assert_eq!(
        alert_changes(&tick(&mut s, t("09:12"))),
        [(READING_OVERDUE, "raised", Priority::Low)]
    );
}

#[test]
fn a_reading_due_every_10_min_is_low_2_min_late_medium_10_min_late_and_a_reading_resolves_it() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:10"), full_set(128, 80, 78, 98));
    // Next reading due 09:20.
    assert!(tick(&mut s, t("09:21")).is_empty());
    assert_eq!(active_alerts(&s), []);

    assert_eq!(
        alert_changes(&tick(&mut s, t("09:22"))),
        [(READING_OVERDUE, "raised", Priority::Low)]
    );
    assert_eq!(active_alerts(&s), [low(READING_OVERDUE)]);
    let message = message_of(&s, READING_OVERDUE);
    assert!(message.contains("since 09:20"), "{message}");

    assert!(tick(&mut s, t("09:29")).is_empty());
    assert_eq!(
        alert_changes(&tick(&mut s, t("09:30"))),
        [(READING_OVERDUE, "escalated", Priority::Medium)]
    );
    assert_eq!(active_alerts(&s), [medium(READING_OVERDUE)]);

    let taken = record(&mut s, t("09:31"), full_set(130, 82, 80, 98));
    assert_eq!(
        alert_changes(&taken.events),
        [(READING_OVERDUE, "resolved", Priority::Medium)]
    );
    assert_eq!(active_alerts(&s), []);
}

#[test]
fn no_reading_is_overdue_after_the_infusion_is_stopped_and_the_end_set_taken_on_time() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:10"), full_set(128, 80, 78, 98));
    record(&mut s, t("09:20"), full_set(128, 80, 78, 98));
    record(&mut s, t("09:30"), full_set(128, 80, 78, 98));
    stop_infusion(&mut s, t("09:40"));
    record(&mut s, t("09:40"), full_set(128, 80, 78, 98));
    // Observation: every 15 min, so due 09:55 and overdue from 09:57.
    assert!(tick(&mut s, t("09:56")).is_empty());
    assert_eq!(
        alert_changes(&tick(&mut s, t("09:57"))),
        [(READING_OVERDUE, "raised", Priority::Low)]
    );
}

// ================================================================ late entries

#[test]
fn a_high_reading_entered_late_still_raises_a_high_alert() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:10"), bp(120, 80));
    let late = try_record_entered_at(
        &mut s,
        t("09:05"),
        t("09:12"),
        bp(210, 95),
        OnWarning::Confirmed,
        OnReject::RejectEntry,
    )
    .unwrap();
    assert!(alert_changes(&late.events).contains(&(SYSTOLIC_HIGH, "raised", Priority::High)));
    assert!(
        message_of(&s, SYSTOLIC_HIGH).contains("measured at 09:05"),
        "{}",
        message_of(&s, SYSTOLIC_HIGH)
    );
    assert!(tick(&mut s, t("09:13")).is_empty(), "raised once");
    acknowledge(&mut s, SYSTOLIC_HIGH, t("09:14"));
    tick(&mut s, t("09:14"));
    assert_eq!(
        active_alerts(&s),
        [],
        "the newest reading is normal, so it resolves once acknowledged"
    );
}

#[test]
fn an_older_reading_corrected_to_a_high_value_raises_a_high_alert() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(120, 80));
    record(&mut s, t("09:10"), bp(122, 80));
    let amend = Command::AmendReading {
        reading_id: 1,
        entry: ReadingEntry {
            at: t("09:05"),
            values: bp(210, 100),
            by: "RN-7".into(),
            source: Source::Manual,
            on_warning: OnWarning::Confirmed,
            on_reject: OnReject::RejectEntry,
            via: Default::default(),
        },
        reason: "monitor showed 210".into(),
    };
    s.execute(amend, &FixedClock(t("09:12"))).unwrap();
    assert_eq!(active_alerts(&s), [high(SYSTOLIC_HIGH)]);
}

#[test]
fn an_early_recheck_does_not_cancel_the_overdue_reminder() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), hr(125));
    record(&mut s, t("09:07"), hr(126));
    assert_eq!(active_alerts(&s), [recheck(HEART_RATE_HIGH)]);
    tick(&mut s, t("09:11"));
    assert_eq!(recheck_overdue_count(&s), 1);
}

#[test]
fn an_alert_whose_only_reading_was_entered_in_error_resolves_and_says_why() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), bp(165, 90));
    let void = Command::MarkEnteredInError {
        reading_id: 1,
        by: "RN-7".into(),
        reason: "wrong patient".into(),
    };
    s.execute(void, &FixedClock(t("09:06"))).unwrap();
    assert_eq!(active_alerts(&s), []);
    let resolved = s.events().last().unwrap();
    match &resolved.kind {
        EventKind::Alert(a) => assert!(a.message.contains("entered in error"), "{}", a.message),
        other => panic!("expected the alert to resolve, got {other:?}"),
    }
}

// ================================================================ escalation

fn confirmed_medium_spo2_at_09_10() -> Session {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(91));
    record(&mut s, t("09:10"), spo2(91));
    assert_eq!(active_alerts(&s), [medium(SPO2_LOW)]);
    s
}

#[test]
fn a_medium_alarm_nobody_acknowledges_for_5_min_escalates_to_high() {
    let mut s = confirmed_medium_spo2_at_09_10();
    assert!(tick(&mut s, t("09:14")).is_empty(), "not yet");
    let events = tick(&mut s, t("09:15"));
    assert_eq!(
        alert_changes(&events),
        [(SPO2_LOW, "escalated", Priority::High)]
    );
    assert!(message_of(&s, SPO2_LOW).contains("medium alarm not acknowledged for 5 min"));
    assert!(tick(&mut s, t("09:16")).is_empty(), "once");
}

#[test]
fn an_acknowledged_medium_alarm_does_not_escalate() {
    let mut s = confirmed_medium_spo2_at_09_10();
    acknowledge(&mut s, SPO2_LOW, t("09:11"));
    // (By 09:30 the next reading is overdue: that reminder is another alarm.)
    let events = tick(&mut s, t("09:30"));
    assert!(
        !alert_changes(&events)
            .iter()
            .any(|(key, _, _)| *key == SPO2_LOW),
        "{events:?}"
    );
    assert_eq!(alert_on(&s, SPO2_LOW), Some(medium(SPO2_LOW)));
}

#[test]
fn an_escalated_alarm_once_acknowledged_stays_while_the_value_does_then_resolves() {
    let mut s = confirmed_medium_spo2_at_09_10();
    tick(&mut s, t("09:15"));
    acknowledge(&mut s, SPO2_LOW, t("09:16"));
    record(&mut s, t("09:17"), spo2(91));
    assert_eq!(
        active_alerts(&s),
        [high(SPO2_LOW)],
        "no new medium alarm to acknowledge again"
    );
    record(&mut s, t("09:20"), spo2(97));
    assert_eq!(active_alerts(&s), []);
}

// ================================================================ limit changes

fn change_limit(
    s: &mut Session,
    key: AlertKey,
    priority: Priority,
    limit: f64,
    reason: &str,
) -> Result<(), infusion_vitals::commands::CommandError> {
    let cmd = Command::ChangeLimit {
        key,
        priority,
        limit,
        by: "DR-OKAFOR".into(),
        reason: reason.into(),
    };
    s.execute(cmd, &FixedClock(t("09:01"))).map(|_| ())
}

#[test]
fn a_limit_adjusted_for_this_patient_is_used_and_says_the_default() {
    let mut s = infusion_running_without_baseline();
    change_limit(
        &mut s,
        SYSTOLIC_HIGH,
        Priority::Low,
        170.0,
        "usual BP runs 165, agreed with the clinician",
    )
    .unwrap();
    record(&mut s, t("09:05"), bp(165, 90));
    assert_eq!(active_alerts(&s), [], "165 is under this patient's 170");
    record(&mut s, t("09:10"), bp(172, 90));
    assert_eq!(active_alerts(&s), [low(SYSTOLIC_HIGH)]);
    let message = message_of(&s, SYSTOLIC_HIGH);
    assert!(
        message.contains(">= 170 (limit for this patient; default 160)"),
        "{message}"
    );
    let change = s
        .events()
        .iter()
        .find(|e| matches!(e.kind, EventKind::LimitChanged { .. }))
        .unwrap();
    assert_eq!(
        (change.by.as_str(), change.reason.as_deref()),
        (
            "DR-OKAFOR",
            Some("usual BP runs 165, agreed with the clinician")
        )
    );
    let log = infusion_vitals::log::write::log_bytes(s.events(), &t("10:00"));
    assert_eq!(
        infusion_vitals::log::read_log(log.as_slice())
            .unwrap()
            .events,
        s.events()
    );
}

#[test]
fn a_limit_change_needs_a_reason_a_level_that_exists_and_a_plausible_value() {
    let mut s = infusion_running_without_baseline();
    let refused =
        |r: Result<(), infusion_vitals::commands::CommandError>| r.unwrap_err().to_string();
    assert!(
        refused(change_limit(
            &mut s,
            SYSTOLIC_HIGH,
            Priority::Low,
            170.0,
            ""
        ))
        .contains("needs a reason")
    );
    assert!(
        refused(change_limit(
            &mut s,
            AlertKey::Low(infusion_vitals::session::Vital::Systolic),
            Priority::Low,
            95.0,
            "x"
        ))
        .contains("has no low threshold")
    );
    assert!(
        refused(change_limit(&mut s, SPO2_LOW, Priority::High, 30.0, "x"))
            .contains("outside what spo2 accepts (50-100 %)")
    );
    assert!(
        !s.events()
            .iter()
            .any(|e| matches!(e.kind, EventKind::LimitChanged { .. }))
    );
}

// ================================================================ times shown to the minute
//
// The card says "recheck at HH:MM" and the top bar "Next reading HH:MM": the rules count
// from those same minutes (docs/ARCHITECTURE.md, "Times shown to the minute").

/// `hhmm` plus `seconds`, e.g. `at("09:05", 13)` is 09:05:13.
fn at(hhmm: &str, seconds: i64) -> infusion_vitals::clock::Time {
    t(hhmm) + infusion_vitals::chrono::Duration::seconds(seconds)
}

#[test]
fn a_recheck_asked_at_09_05_13_is_due_at_09_10_the_minute_the_card_shows() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, at("09:05", 13), spo2(91));
    let alert = s.state().active_alert(SPO2_LOW).unwrap();
    // 5 min later is 09:10:13; shown to the minute as 09:10, and due from 09:10:00.
    assert_eq!(alert.recheck.as_ref().unwrap().due, t("09:10"));
    let message = message_of(&s, SPO2_LOW);
    assert!(message.contains("recheck at 09:10"), "{message}");
}

#[test]
fn a_recheck_asked_on_a_whole_minute_stays_5_min_later() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, t("09:05"), spo2(91));
    let due = s.state().active_alert(SPO2_LOW).unwrap().recheck.clone();
    assert_eq!(due.unwrap().due, t("09:10"));
}

#[test]
fn a_reading_at_the_start_of_the_shown_minute_confirms() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, at("09:05", 13), spo2(91));
    // The case: the card says 09:10, a reading at 09:10:08 counts.
    let confirming = record(&mut s, at("09:10", 8), spo2(91));
    assert_eq!(active_alerts(&s), [medium(SPO2_LOW)]);
    assert_eq!(confirming.notes, Vec::<String>::new());
}

#[test]
fn a_monitor_cycling_every_5_min_confirms_on_its_next_cycle() {
    // NIBP every 5 min drifts by seconds: 09:05:30 then 09:10:20 still confirms.
    let mut s = infusion_running_without_baseline();
    record(&mut s, at("09:05", 30), spo2(91));
    record(&mut s, at("09:10", 20), spo2(91));
    assert_eq!(active_alerts(&s), [medium(SPO2_LOW)]);
}

#[test]
fn a_reading_10_s_before_the_shown_minute_does_not_confirm_and_says_from_when() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, at("09:05", 13), spo2(91));
    let early = record(&mut s, at("09:09", 50), spo2(91));
    assert_eq!(active_alerts(&s), [recheck(SPO2_LOW)]);
    assert_eq!(
        early.notes,
        ["SpO2 low: too early to confirm: recheck from 09:10"]
    );
    let message = message_of(&s, SPO2_LOW);
    assert!(message.contains("recheck at 09:10"), "{message}");
    assert!(
        s.notes_on_reading(2)
            .contains(&"SpO2 low: too early to confirm: recheck from 09:10".to_string())
    );
    // The card keeps waiting, and the reading at the shown minute confirms.
    record(&mut s, t("09:10"), spo2(91));
    assert_eq!(active_alerts(&s), [medium(SPO2_LOW)]);
}

#[test]
fn an_early_reading_that_no_longer_meets_the_condition_ends_the_wait_without_a_note() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, at("09:05", 13), spo2(91));
    let early = record(&mut s, at("09:07", 0), spo2(93));
    assert_eq!(active_alerts(&s), [low(SPO2_LOW)]);
    assert_eq!(early.notes, Vec::<String>::new());
}

#[test]
fn a_reading_of_another_vital_is_not_called_too_early() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, at("09:05", 13), spo2(91));
    let other = record(&mut s, at("09:07", 0), bp(130, 80));
    assert_eq!(other.notes, Vec::<String>::new());
}

#[test]
fn a_recheck_is_overdue_from_the_minute_the_card_shows() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, at("09:05", 13), spo2(91));
    assert!(
        tick(&mut s, at("09:09", 59)).is_empty(),
        "not due before 09:10"
    );
    assert_eq!(
        alert_changes(&tick(&mut s, t("09:10"))),
        [(SPO2_LOW, "recheck-overdue", Priority::Low)]
    );
    let message = message_of(&s, SPO2_LOW);
    assert!(message.contains("recheck was due at 09:10"), "{message}");
}

#[test]
fn the_next_reading_is_due_on_its_shown_minute_and_overdue_2_min_after_it() {
    let mut s = infusion_running_without_baseline();
    record(&mut s, at("09:10", 30), full_set(128, 80, 78, 98));
    let due = infusion_vitals::schedule::next_due(s.profile(), s.state()).unwrap();
    // 10 min after 09:10:30 is 09:20:30, shown as "Next reading 09:20": due from 09:20,
    // so no gap between readings is ever longer than the cadence before the reminder.
    assert_eq!(due.at, t("09:20"));
    assert!(tick(&mut s, at("09:21", 59)).is_empty());
    assert_eq!(
        alert_changes(&tick(&mut s, t("09:22"))),
        [(READING_OVERDUE, "raised", Priority::Low)]
    );
    let message = message_of(&s, READING_OVERDUE);
    assert!(message.contains("since 09:20"), "{message}");
}

/// The minute a message shows after `marker`, e.g. "09:10" after "recheck at ", as a time
/// on the session's day.
fn shown_minute(message: &str, marker: &str) -> infusion_vitals::clock::Time {
    let from = message.find(marker).expect("the marker is in the message") + marker.len();
    t(&message[from..from + 5])
}

mod shown_minute_property {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    fn config() -> Config {
        Config {
            cases: 256,
            // Only tests/import_robustness.rs keeps a regressions file; none is written here.
            failure_persistence: None,
            ..Config::default()
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// Whatever the second (and millisecond) of the first reading, the minute the card
        /// shows starts exactly at the first instant a reading confirms.
        #[test]
        fn the_shown_minute_is_the_first_instant_that_confirms(ms in 0i64..60_000) {
            let first = t("09:05") + infusion_vitals::chrono::Duration::milliseconds(ms);
            let started = || {
                let mut s = infusion_running_without_baseline();
                record(&mut s, first, spo2(91));
                s
            };
            let s = started();
            let shown = shown_minute(&message_of(&s, SPO2_LOW), "recheck at ");
            prop_assert_eq!(s.state().active_alert(SPO2_LOW).unwrap().recheck.as_ref().unwrap().due, shown);
            // DOMAIN.md's "two readings >= 5 min apart", kept to the minute shown.
            prop_assert!(shown - first > infusion_vitals::chrono::Duration::minutes(4));
            prop_assert!(shown - first <= infusion_vitals::chrono::Duration::minutes(5));

            let mut before = started();
            let just_before = shown - infusion_vitals::chrono::Duration::milliseconds(1);
            let early = record(&mut before, just_before, spo2(91));
            prop_assert_eq!(active_alerts(&before), [recheck(SPO2_LOW)]);
            let note = format!("SpO2 low: too early to confirm: recheck from {}", shown.format("%H:%M"));
            prop_assert_eq!(early.notes, [note]);

            let mut on_time = started();
            let confirming = record(&mut on_time, shown, spo2(91));
            prop_assert_eq!(active_alerts(&on_time), [medium(SPO2_LOW)]);
            prop_assert!(confirming.notes.is_empty());
        }
    }
}
