//! Scored assessments (the profile's scales: MOAA/S, pain NRS): recorded, validated,
//! corrected as readings are, kept in the log as `assessment` rows with `scale` and
//! `score`, and read back.

mod common;

use common::*;
use infusion_vitals::alerts::Profile;
use infusion_vitals::clock::FixedClock;
use infusion_vitals::commands::{AssessmentEntry, Command, CommandError, Session};
use infusion_vitals::log::read::read_log_bytes;
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::session::Source;
use infusion_vitals::session::events::{EventKind, Priority};

fn assess(s: &mut Session, at: &str, scale: &str, score: i32) -> Result<(), CommandError> {
    let entry = AssessmentEntry {
        at: t(at),
        scale: scale.into(),
        score,
        by: NURSE.into(),
        source: Source::Manual,
    };
    s.execute(Command::RecordAssessment(entry), &FixedClock(t(at)))
        .map(drop)
}

#[test]
fn the_built_in_profile_has_moaas_and_pain_nrs_with_words_for_every_score() {
    let profile = Profile::default_profile();
    let names: Vec<&str> = profile.scales.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["MOAA/S", "pain NRS"]);
    let moaas = &profile.scales[0];
    assert_eq!(moaas.range, (0, 5));
    assert_eq!(
        moaas.meaning(5).unwrap(),
        "responds readily to name spoken in a normal tone"
    );
    assert_eq!(profile.scales[1].loinc.as_deref(), Some("72514-3"));
    assert_eq!(profile.scales[1].scores().count(), 11);
}

#[test]
fn a_score_is_recorded_logged_and_read_back() {
    let mut s = open_session(t("08:45"));
    assess(&mut s, "08:50", "pain NRS", 6).unwrap();
    assess(&mut s, "08:55", "MOAA/S", 5).unwrap();
    let state = s.state();
    assert_eq!(state.assessments.len(), 2);
    assert_eq!(state.assessments[0].scale, "pain NRS");
    assert_eq!(state.assessments[1].current().unwrap().score, 5);
    let bytes = log_bytes(s.events(), &t("09:00"));
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.contains(",assessment,recorded,") && text.contains(",pain NRS,6,"),
        "{text}"
    );
    assert_eq!(read_log_bytes(&bytes).unwrap().events, s.events().to_vec());
}

#[test]
fn a_score_off_its_scale_or_on_no_scale_is_refused_naming_it() {
    let mut s = open_session(t("08:45"));
    let off = assess(&mut s, "08:50", "MOAA/S", 6)
        .unwrap_err()
        .to_string();
    assert!(off.contains("MOAA/S 6") && off.contains("0-5"), "{off}");
    let none = assess(&mut s, "08:50", "RASS", 0).unwrap_err().to_string();
    assert!(none.contains("no scale 'RASS'"), "{none}");
    assess(&mut s, "08:50", "pain NRS", 3).unwrap();
    assert_eq!(s.state().assessments.len(), 1, "only the valid one");
}

#[test]
fn a_score_is_corrected_with_a_reason_and_the_original_kept() {
    let mut s = open_session(t("08:45"));
    assess(&mut s, "08:50", "MOAA/S", 2).unwrap();
    let clock = FixedClock(t("08:52"));
    let amend = |reason: &str| Command::AmendAssessment {
        assessment_id: 1,
        at: t("08:50"),
        score: 4,
        by: NURSE.into(),
        reason: reason.into(),
    };
    assert!(matches!(
        s.execute(amend(""), &clock),
        Err(CommandError::ReasonRequired(_))
    ));
    s.execute(amend("tapped the wrong score"), &clock).unwrap();
    let record = &s.state().assessments[0];
    assert_eq!(record.versions.len(), 2);
    assert_eq!(record.current().unwrap().score, 4);
    s.execute(
        Command::MarkAssessmentEnteredInError {
            assessment_id: 1,
            by: NURSE.into(),
            reason: "wrong patient".into(),
        },
        &clock,
    )
    .unwrap();
    assert!(s.state().assessments[0].current().is_none());
    assert!(matches!(
        s.events().last().unwrap().kind,
        EventKind::AssessmentEnteredInError { assessment_id: 1 }
    ));
    let missing = Command::AmendAssessment {
        assessment_id: 9,
        at: t("08:50"),
        score: 4,
        by: NURSE.into(),
        reason: "x".into(),
    };
    assert!(matches!(
        s.execute(missing, &clock),
        Err(CommandError::NoSuchAssessment(9))
    ));
}

#[test]
fn a_clinic_profile_defines_its_own_scales_or_keeps_the_built_in_ones() {
    let built_in = include_str!("../assets/profiles/ketamine-iv-adult.toml");
    let cut = built_in.find("[[scale]]").unwrap();
    let without = Profile::from_toml(&built_in[..cut], "old.toml").unwrap();
    assert_eq!(
        without.scales.len(),
        2,
        "a profile from before scales keeps the built-in ones"
    );
    let rass = format!(
        "{}\n[[scale]]\nname = \"RASS\"\ntitle = \"Richmond Agitation-Sedation Scale\"\nrange = [-5, 4]\nmeanings = [\"unarousable\", \"deep sedation\", \"moderate sedation\", \"light sedation\", \"drowsy\", \"alert and calm\", \"restless\", \"agitated\", \"very agitated\", \"combative\"]\n",
        &built_in[..cut]
    );
    let clinic = Profile::from_toml(&rass, "clinic.toml").unwrap();
    assert_eq!(clinic.scales.len(), 1);
    assert_eq!(clinic.scales[0].meaning(-5).unwrap(), "unarousable");
    let short = rass.replace("\"combative\"]", "]");
    let why = Profile::from_toml(&short, "clinic.toml")
        .unwrap_err()
        .to_string();
    assert!(why.contains("9 meanings for 10 scores"), "{why}");
    let twice = format!("{rass}{}", &rass[rass.find("[[scale]]").unwrap()..]);
    let why = Profile::from_toml(&twice, "clinic.toml")
        .unwrap_err()
        .to_string();
    assert!(why.contains("defined twice"), "{why}");
}

#[test]
fn moaas_2_raises_a_high_alarm_at_its_time_and_3_a_low_advisory() {
    let mut s = open_session(t("08:45"));
    assess(&mut s, "08:50", "MOAA/S", 3).unwrap();
    let low = active_alerts(&s);
    assert_eq!(low.len(), 1, "{low:?}");
    assert_eq!(low[0].priority, Priority::Low);
    assess(&mut s, "09:00", "MOAA/S", 2).unwrap();
    let high = s
        .state()
        .active_alerts()
        .find(|a| a.key.scale().is_some_and(|n| n.as_str() == "MOAA/S"))
        .expect("an alarm on MOAA/S")
        .clone();
    assert_eq!(high.priority, Priority::High);
    assert_eq!(high.priority_since, t("09:00"), "at the score's time");
    assert!(
        high.message.starts_with("*** MOAA/S 2 (responds only after mild prodding or shaking): deep sedation: check the airway, call the clinician"),
        "{}",
        high.message
    );
    // Back to 5: a high alarm stays until acknowledged.
    assess(&mut s, "09:05", "MOAA/S", 5).unwrap();
    assert_eq!(s.state().active_alerts().count(), 1);
    let key = high.key;
    acknowledge(&mut s, key, t("09:06"));
    assess(&mut s, "09:10", "MOAA/S", 5).unwrap();
    assert_eq!(
        s.state().active_alerts().count(),
        0,
        "resolved once acknowledged and back"
    );
    // Pain scores never alarm.
    assess(&mut s, "09:12", "pain NRS", 10).unwrap();
    assert_eq!(s.state().active_alerts().count(), 0);
    // The log names the scale in alert_vital.
    let text = String::from_utf8(log_bytes(s.events(), &t("09:20"))).unwrap();
    assert!(text.contains(",MOAA/S,low,high,"), "{text}");
    assert_eq!(
        read_log_bytes(text.as_bytes()).unwrap().events,
        s.events().to_vec()
    );
}

#[test]
fn the_summary_gives_pain_before_and_after_the_infusion() {
    use infusion_vitals::review::wording::summary_lines;
    use infusion_vitals::session::summary::SessionSummary;
    let mut s = open_session(t("08:45"));
    assess(&mut s, "08:50", "pain NRS", 7).unwrap();
    assess(&mut s, "08:55", "pain NRS", 6).unwrap();
    start_infusion(&mut s, t("09:00"));
    assess(&mut s, "09:20", "MOAA/S", 4).unwrap();
    stop_infusion(&mut s, t("09:40"));
    assess(&mut s, "09:45", "pain NRS", 3).unwrap();
    assess(&mut s, "10:10", "pain NRS", 2).unwrap();
    let profile = Profile::default_profile();
    let summary = SessionSummary::of(&profile, s.events(), s.state());
    let lines = summary_lines(&summary, t("09:00").offset());
    assert!(
        lines.contains(&"pain NRS: 4 score(s); 6 before the infusion (08:55); 2 after it (10:10); lowest 2 at 10:10, highest 7 at 08:50".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("MOAA/S: 1 score(s); lowest 4 at 09:20")),
        "{lines:#?}"
    );
}

#[test]
fn a_sedation_advisory_is_snoozed_as_a_vitals_is_and_a_deeper_score_sounds_through_it() {
    use infusion_vitals::alerts::audio::is_silenced;
    let mut s = open_session(t("08:45"));
    assess(&mut s, "09:00", "MOAA/S", 3).unwrap();
    let low = active_alerts(&s)[0];
    let snooze = Command::Snooze {
        key: low.key,
        by: NURSE.into(),
        minutes: 10,
        reason: "patient resting, watched at the chair".into(),
    };
    s.execute(snooze, &FixedClock(t("09:01"))).unwrap();
    let snoozed = s.state().active_alert(low.key).unwrap().clone();
    assert!(is_silenced(s.state(), &snoozed, t("09:05")));
    // MOAA/S 2 within the snooze: the high alarm is not silenced by the low's snooze.
    assess(&mut s, "09:06", "MOAA/S", 2).unwrap();
    let high = s
        .state()
        .active_alerts()
        .find(|a| a.priority == Priority::High)
        .expect("MOAA/S 2 is high")
        .clone();
    assert!(!is_silenced(s.state(), &high, t("09:06")));
}
