//! Entry validation (DOMAIN.md, "Entry validation"): every row at and beside its
//! boundary, as the entry form meets it. The form asks for a confirmation on a warning
//! (`OnWarning::AskForConfirmation`) and saves nothing on a rejection
//! (`OnReject::RejectEntry`). Every message names the field, the value and the range.
//!
//! The session opened at 09:00; readings are measured and entered at 09:05 unless a
//! test says otherwise.

mod common;

use common::*;
use infusion_vitals::clock::Time;
use infusion_vitals::commands::{CommandError, OnReject, OnWarning, Outcome, Session};
use infusion_vitals::session::Vital;
use infusion_vitals::session::VitalSet;
use infusion_vitals::session::validate::{Field, Severity};

fn session() -> Session {
    open_session(t("09:00"))
}

/// What the entry form gets for `values` measured and entered at `at`.
fn enter(s: &mut Session, at: Time, values: VitalSet) -> Result<Outcome, CommandError> {
    try_record(
        s,
        at,
        values,
        OnWarning::AskForConfirmation,
        OnReject::RejectEntry,
    )
}

fn assert_mentions(text: &str, fragments: &[&str]) {
    for fragment in fragments {
        assert!(
            text.contains(fragment),
            "expected {fragment:?} in the message: {text}"
        );
    }
}

/// `values` measured at `at` are saved without any question.
fn saved_at(s: &mut Session, at: Time, values: VitalSet) {
    match enter(s, at, values) {
        Ok(outcome) => {
            assert!(outcome.warnings.is_empty(), "{:?}", outcome.warnings);
            let reading = s.state().readings.last().expect("a reading was saved");
            assert_eq!(reading.current().unwrap().values, values);
            assert_eq!(reading.current().unwrap().doubt, None);
        }
        Err(e) => panic!("expected {values:?} to be saved, got: {e}"),
    }
}

/// `values` measured at `at` need a confirmation; the message names `fragments`.
fn needs_confirmation_at(s: &mut Session, at: Time, values: VitalSet, fragments: &[&str]) {
    let readings = s.state().readings.len();
    match enter(s, at, values) {
        Err(e @ CommandError::NeedsConfirmation(_)) => {
            let CommandError::NeedsConfirmation(problems) = &e else {
                unreachable!()
            };
            assert!(problems.iter().all(|p| p.severity == Severity::Warn));
            let text = problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            assert_mentions(&text, fragments);
            let shown = e.to_string();
            assert!(shown.starts_with("confirm before saving: "), "{shown}");
            assert_mentions(&shown, fragments);
        }
        other => panic!("expected a confirmation to be asked for {values:?}, got {other:?}"),
    }
    assert_eq!(s.state().readings.len(), readings, "nothing saved yet");
}

/// `values` measured at `at` are rejected; the message names `fragments`.
fn rejected_at(s: &mut Session, at: Time, values: VitalSet, fragments: &[&str]) {
    let events = s.events().len();
    match enter(s, at, values) {
        Err(e @ CommandError::Rejected(_)) => {
            let CommandError::Rejected(problems) = &e else {
                unreachable!()
            };
            assert!(problems.iter().all(|p| p.severity == Severity::Reject));
            let text = problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ");
            assert_mentions(&text, fragments);
            let shown = e.to_string();
            assert!(shown.starts_with("not saved: "), "{shown}");
            assert_mentions(&shown, fragments);
        }
        other => panic!("expected {values:?} to be rejected, got {other:?}"),
    }
    assert_eq!(s.events().len(), events, "a rejected entry saves nothing");
}

fn saved(values: VitalSet) {
    saved_at(&mut session(), t("09:05"), values);
}

fn needs_confirmation(values: VitalSet, fragments: &[&str]) {
    needs_confirmation_at(&mut session(), t("09:05"), values, fragments);
}

fn rejected(values: VitalSet, fragments: &[&str]) {
    rejected_at(&mut session(), t("09:05"), values, fragments);
}

// ================================================================ systolic

#[test]
fn systolic_39_is_rejected() {
    rejected(systolic(39), &["systolic 39", "40-300 mmHg"]);
}

#[test]
fn systolic_40_is_accepted_only_with_confirmation() {
    needs_confirmation(systolic(40), &["systolic 40", "80-220 mmHg"]);
}

#[test]
fn systolic_79_is_accepted_only_with_confirmation() {
    needs_confirmation(systolic(79), &["systolic 79", "80-220 mmHg"]);
}

#[test]
fn systolic_80_is_saved() {
    saved(systolic(80));
}

#[test]
fn systolic_220_is_saved() {
    saved(systolic(220));
}

#[test]
fn systolic_221_is_accepted_only_with_confirmation() {
    needs_confirmation(systolic(221), &["systolic 221", "80-220 mmHg"]);
}

#[test]
fn systolic_300_is_accepted_only_with_confirmation() {
    needs_confirmation(systolic(300), &["systolic 300", "80-220 mmHg"]);
}

#[test]
fn systolic_301_is_rejected() {
    rejected(systolic(301), &["systolic 301", "40-300 mmHg"]);
}

// ================================================================ diastolic

#[test]
fn diastolic_19_is_rejected() {
    rejected(diastolic(19), &["diastolic 19", "20-200 mmHg"]);
}

#[test]
fn diastolic_20_is_accepted_only_with_confirmation() {
    needs_confirmation(diastolic(20), &["diastolic 20", "40-130 mmHg"]);
}

#[test]
fn diastolic_39_is_accepted_only_with_confirmation() {
    needs_confirmation(diastolic(39), &["diastolic 39", "40-130 mmHg"]);
}

#[test]
fn diastolic_40_is_saved() {
    saved(diastolic(40));
}

#[test]
fn diastolic_130_is_saved() {
    saved(diastolic(130));
}

#[test]
fn diastolic_131_is_accepted_only_with_confirmation() {
    needs_confirmation(diastolic(131), &["diastolic 131", "40-130 mmHg"]);
}

#[test]
fn diastolic_200_is_accepted_only_with_confirmation() {
    needs_confirmation(diastolic(200), &["diastolic 200", "40-130 mmHg"]);
}

#[test]
fn diastolic_201_is_rejected() {
    rejected(diastolic(201), &["diastolic 201", "20-200 mmHg"]);
}

#[test]
fn diastolic_equal_to_systolic_rejects_the_pair() {
    rejected(
        bp(120, 120),
        &["diastolic 120", "not below systolic 120", "below systolic"],
    );
}

#[test]
fn diastolic_above_systolic_rejects_the_pair() {
    rejected(bp(80, 120), &["diastolic 120", "not below systolic 80"]);
}

#[test]
fn a_pair_rejection_also_rejects_the_rest_of_a_typed_entry() {
    rejected(full_set(120, 125, 72, 98), &["diastolic 125"]);
}

// ================================================================ pulse pressure

#[test]
fn pulse_pressure_15_is_saved() {
    saved(bp(120, 105));
}

#[test]
fn pulse_pressure_14_is_accepted_only_with_confirmation() {
    needs_confirmation(
        bp(120, 106),
        &["pulse_pressure 14", "120/106", "15-100 mmHg"],
    );
}

#[test]
fn diastolic_just_below_systolic_is_accepted_only_with_confirmation() {
    needs_confirmation(bp(120, 119), &["pulse_pressure 1", "15-100 mmHg"]);
}

#[test]
fn pulse_pressure_100_is_saved() {
    saved(bp(170, 70));
}

#[test]
fn pulse_pressure_101_is_accepted_only_with_confirmation() {
    needs_confirmation(
        bp(171, 70),
        &["pulse_pressure 101", "171/70", "15-100 mmHg"],
    );
}

// ================================================================ heart rate

#[test]
fn heart_rate_19_is_rejected() {
    rejected(hr(19), &["heart_rate 19", "20-300 bpm"]);
}

#[test]
fn heart_rate_20_is_accepted_only_with_confirmation() {
    needs_confirmation(hr(20), &["heart_rate 20", "40-150 bpm"]);
}

#[test]
fn heart_rate_39_is_accepted_only_with_confirmation() {
    needs_confirmation(hr(39), &["heart_rate 39", "40-150 bpm"]);
}

#[test]
fn heart_rate_40_is_saved() {
    saved(hr(40));
}

#[test]
fn heart_rate_150_is_saved() {
    saved(hr(150));
}

#[test]
fn heart_rate_151_is_accepted_only_with_confirmation() {
    needs_confirmation(hr(151), &["heart_rate 151", "40-150 bpm"]);
}

#[test]
fn heart_rate_300_is_accepted_only_with_confirmation() {
    needs_confirmation(hr(300), &["heart_rate 300", "40-150 bpm"]);
}

#[test]
fn heart_rate_301_is_rejected() {
    rejected(hr(301), &["heart_rate 301", "20-300 bpm"]);
}

// ================================================================ SpO2

#[test]
fn spo2_49_is_rejected() {
    rejected(spo2(49), &["spo2 49", "50-100 %"]);
}

#[test]
fn spo2_50_is_accepted_only_with_confirmation() {
    needs_confirmation(spo2(50), &["spo2 50", "85-100 %"]);
}

#[test]
fn spo2_84_is_accepted_only_with_confirmation() {
    needs_confirmation(spo2(84), &["spo2 84", "85-100 %"]);
}

#[test]
fn spo2_85_is_saved() {
    saved(spo2(85));
}

#[test]
fn spo2_100_is_saved() {
    saved(spo2(100));
}

#[test]
fn spo2_101_is_rejected() {
    rejected(spo2(101), &["spo2 101", "50-100 %"]);
}

// ================================================================ time

#[test]
fn a_reading_measured_now_is_saved() {
    saved_at(&mut session(), t("09:05"), hr(72));
}

#[test]
fn a_reading_measured_in_the_future_is_rejected() {
    let mut s = session();
    let entry = try_record_entered_at(
        &mut s,
        t("09:06"),
        t("09:05"),
        hr(72),
        OnWarning::AskForConfirmation,
        OnReject::RejectEntry,
    );
    let Err(e @ CommandError::Rejected(_)) = entry else {
        panic!("expected a rejection, got {entry:?}");
    };
    let CommandError::Rejected(problems) = &e else {
        unreachable!()
    };
    assert_eq!(problems[0].field, Field::Time);
    assert_mentions(
        &e.to_string(),
        &[
            "time 2026-03-14T09:06:00+01:00",
            "in the future",
            "up to now, 2026-03-14T09:05:00+01:00",
        ],
    );
    assert!(s.state().readings.is_empty());
}

#[test]
fn a_reading_measured_24_h_before_the_session_opened_is_saved() {
    saved_at(&mut session(), on("2026-03-13", "09:00"), hr(72));
}

#[test]
fn a_reading_measured_more_than_24_h_before_the_session_opened_is_rejected() {
    rejected_at(
        &mut session(),
        on("2026-03-13", "08:59"),
        hr(72),
        &[
            "time 2026-03-13T08:59:00+01:00",
            "long before the session",
            "from 2026-03-13T09:00:00+01:00",
        ],
    );
}

#[test]
fn a_second_reading_of_the_same_vital_at_the_same_time_needs_confirmation() {
    let mut s = session();
    saved_at(&mut s, t("09:05"), hr(72));
    needs_confirmation_at(
        &mut s,
        t("09:05"),
        hr(74),
        &[
            "time 2026-03-14T09:05:00+01:00",
            "heart_rate already has a reading at this time",
        ],
    );
}

#[test]
fn another_vital_at_the_same_time_is_saved() {
    let mut s = session();
    saved_at(&mut s, t("09:05"), hr(72));
    saved_at(&mut s, t("09:05"), spo2(98));
}

// ================================================================ jumps

fn after_first(values: VitalSet) -> Session {
    let mut s = session();
    saved_at(&mut s, t("09:00"), values);
    s
}

#[test]
fn systolic_rise_of_40_within_5_min_needs_confirmation() {
    let mut s = after_first(systolic(100));
    needs_confirmation_at(
        &mut s,
        t("09:05"),
        systolic(140),
        &[
            "systolic 140",
            "changed by 40 mmHg from 100 at 09:00",
            "5 min",
        ],
    );
}

#[test]
fn systolic_fall_of_40_within_5_min_needs_confirmation() {
    let mut s = after_first(systolic(140));
    needs_confirmation_at(
        &mut s,
        t("09:03"),
        systolic(100),
        &["systolic 100", "changed by 40 mmHg from 140"],
    );
}

#[test]
fn systolic_change_of_39_within_5_min_is_saved() {
    let mut s = after_first(systolic(100));
    saved_at(&mut s, t("09:05"), systolic(139));
}

#[test]
fn systolic_change_of_40_after_6_min_is_saved() {
    let mut s = after_first(systolic(100));
    saved_at(&mut s, t("09:06"), systolic(140));
}

#[test]
fn heart_rate_rise_of_40_within_5_min_needs_confirmation() {
    let mut s = after_first(hr(70));
    needs_confirmation_at(
        &mut s,
        t("09:04"),
        hr(110),
        &["heart_rate 110", "changed by 40 bpm from 70 at 09:00"],
    );
}

#[test]
fn heart_rate_change_of_39_within_5_min_is_saved() {
    let mut s = after_first(hr(70));
    saved_at(&mut s, t("09:05"), hr(109));
}

#[test]
fn heart_rate_change_of_40_after_6_min_is_saved() {
    let mut s = after_first(hr(70));
    saved_at(&mut s, t("09:06"), hr(110));
}

// ================================================================ what is kept

#[test]
fn a_confirmed_warning_tier_value_is_saved_with_the_confirmation_recorded() {
    let mut s = session();
    needs_confirmation_at(&mut s, t("09:05"), bp(221, 130), &["systolic 221"]);

    let outcome = try_record(
        &mut s,
        t("09:05"),
        bp(221, 130),
        OnWarning::Confirmed,
        OnReject::RejectEntry,
    )
    .expect("saved once confirmed");
    assert_eq!(outcome.warnings.len(), 1);
    assert_mentions(&outcome.warnings[0].to_string(), &["systolic 221"]);

    let reading = s.state().readings.last().unwrap().current().unwrap();
    assert_eq!(reading.values, bp(221, 130));
    let doubt = reading.doubt.as_ref().expect("the doubt is recorded");
    assert!(doubt.confirmed);
    assert_mentions(&doubt.note, &["systolic 221", "80-220 mmHg"]);
}

#[test]
fn dropping_rejected_values_keeps_the_rest_of_the_row_marked_unconfirmed() {
    let mut s = session();
    let outcome = try_record(
        &mut s,
        t("09:05"),
        full_set(301, 80, 35, 97),
        OnWarning::KeepUnconfirmed,
        OnReject::DropValues,
    )
    .expect("the valid values are kept");

    assert_eq!(outcome.dropped.len(), 1);
    assert_mentions(
        &outcome.dropped[0].to_string(),
        &["systolic 301", "40-300 mmHg"],
    );

    let reading = s.state().readings.last().unwrap().current().unwrap();
    assert_eq!(
        reading.values,
        VitalSet::of(&[
            (Vital::Diastolic, 80.0),
            (Vital::HeartRate, 35.0),
            (Vital::Spo2, 97.0)
        ])
    );
    let doubt = reading.doubt.as_ref().expect("the doubt is recorded");
    assert!(!doubt.confirmed);
    assert_mentions(&doubt.note, &["heart_rate 35", "40-150 bpm"]);
    assert!(
        !doubt.note.contains("systolic"),
        "a dropped value raises no second doubt: {}",
        doubt.note
    );
}

#[test]
fn dropping_a_pair_with_diastolic_not_below_systolic_keeps_the_other_vitals() {
    let mut s = session();
    let outcome = try_record(
        &mut s,
        t("09:05"),
        full_set(120, 125, 72, 98),
        OnWarning::KeepUnconfirmed,
        OnReject::DropValues,
    )
    .expect("heart rate and SpO2 are kept");
    assert_mentions(&outcome.dropped[0].to_string(), &["diastolic 125"]);
    let reading = s.state().readings.last().unwrap().current().unwrap();
    assert_eq!(
        reading.values,
        VitalSet::of(&[(Vital::HeartRate, 72.0), (Vital::Spo2, 98.0)])
    );
    assert_eq!(reading.doubt, None);
}

#[test]
fn dropping_every_value_of_a_row_saves_nothing() {
    let mut s = session();
    let events = s.events().len();
    let entry = try_record(
        &mut s,
        t("09:05"),
        spo2(101),
        OnWarning::KeepUnconfirmed,
        OnReject::DropValues,
    );
    assert!(
        matches!(&entry, Err(CommandError::Rejected(p)) if p[0].to_string().contains("spo2 101")),
        "{entry:?}"
    );
    assert_eq!(s.events().len(), events);
}
