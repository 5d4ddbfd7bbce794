//! Profiles are data a clinic lead owns, and the cadence follows the protocol.

mod common;

use common::*;
use infusion_vitals::alerts::Profile;
use infusion_vitals::alerts::profile::ProfileError;
use infusion_vitals::clock::FixedClock;
use infusion_vitals::commands::{Command, Session};
use infusion_vitals::schedule::{next_due, overdue};
use infusion_vitals::session::events::{InfusionChange, Priority, Protocol, SessionInfo};

const DEFAULT: &str = include_str!("../assets/profiles/ketamine-iv-adult.toml");

#[test]
fn the_built_in_profile_is_the_file_in_assets() {
    let p = Profile::default_profile();
    assert_eq!(
        (p.name.as_str(), p.version.as_str()),
        ("Ketamine IV, adult", "1.0")
    );
    assert_eq!(
        Profile::from_toml(DEFAULT, "x").unwrap().alerts.len(),
        p.alerts.len()
    );
}

#[test]
fn a_clinic_profile_written_before_session_and_discharge_rules_still_loads_with_the_defaults() {
    // Cut the two sections this version added from the built-in file, as a clinic's
    // older copy lacks them.
    let older: String = DEFAULT
        .split("\n[")
        .filter(|section| !section.starts_with("session]") && !section.starts_with("discharge]"))
        .collect::<Vec<_>>()
        .join("\n[");
    assert!(!older.contains("aldrete_min"));
    let profile = Profile::from_toml(&older, "clinic-2025.toml").expect("still loads");
    let builtin = Profile::default_profile();
    assert_eq!(profile.discharge.aldrete_min, builtin.discharge.aldrete_min);
    assert_eq!(profile.session.weight_kg, builtin.session.weight_kg);
}

#[test]
fn a_clinic_profile_written_before_rechecks_expired_still_loads_with_the_default() {
    let older = DEFAULT.replace("expires_after_min = 60\n", "");
    assert!(!older.contains("expires_after_min"));
    let profile = Profile::from_toml(&older, "clinic-2025.toml").expect("still loads");
    assert_eq!(profile.recheck.expires_after_min, 60);
    assert_eq!(
        profile.recheck.expires_after_min,
        Profile::default_profile().recheck.expires_after_min
    );
}

#[test]
fn a_clinic_can_lower_a_threshold_in_its_own_profile_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("strict.toml");
    let strict = DEFAULT
        .replace("name = \"Ketamine IV, adult\"", "name = \"Strict\"")
        .replace(
            "low = { when = \">= 160\", above_baseline_pct = 20 }",
            "low = { when = \">= 150\" }",
        );
    std::fs::write(&path, strict).unwrap();
    let profile = infusion_vitals::profiles::load(path.to_str().unwrap()).unwrap();
    assert_eq!(profile.name, "Strict");

    let mut s = Session::open(
        profile,
        SessionInfo::default(),
        t("09:00"),
        "RN-1",
        &FixedClock(t("09:00")),
    )
    .unwrap();
    record(&mut s, t("09:05"), bp(152, 80));
    assert_eq!(active_alerts(&s), [low(SYSTOLIC_HIGH)]);
}

#[test]
fn a_broken_profile_is_refused_with_the_reason() {
    let cases = [
        (
            DEFAULT.replace(
                "high = { when = \">= 200\" }",
                "high = { when = \"< 200\" }",
            ),
            "points the other way",
        ),
        (
            DEFAULT.replace("accept = [40, 300]", "accept = [90, 300]"),
            "inside accept",
        ),
        (
            DEFAULT.replace("when = \"> 140\"", "when = \"about 140\""),
            "must start with",
        ),
        (
            DEFAULT.replace("vital = \"spo2\"", "vital = \"spO2\""),
            "unknown vital",
        ),
        (DEFAULT.replace("[recheck]", "[rechek]"), "rechek"),
        (
            DEFAULT.replace("aldrete_min = 9", "aldrete_min = 11"),
            "discharge.aldrete_min 11 is not a modified Aldrete score (0-10)",
        ),
        (
            DEFAULT.replace("aldrete_min = 9\n", ""),
            "missing field `aldrete_min`",
        ),
        (
            DEFAULT.replace("expires_after_min = 60", "expires_after_min = 5"),
            "recheck.expires_after_min 5 must be more than recheck.after_min 5",
        ),
        (
            DEFAULT.replace("expires_after_min = 60", "expires_after_min = 1441"),
            "recheck.expires_after_min must be at most 1440 minutes (a day)",
        ),
    ];
    for (text, expected) in cases {
        match Profile::from_toml(&text, "clinic.toml") {
            Err(ProfileError::Invalid { origin, message }) => {
                assert_eq!(origin, "clinic.toml");
                assert!(message.contains(expected), "{message}");
            }
            other => panic!("expected {expected:?}, got {other:?}"),
        }
    }
    assert!(matches!(
        infusion_vitals::profiles::load("no-such-profile"),
        Err(infusion_vitals::profiles::LoadError::Profile(
            ProfileError::Unknown(_)
        ))
    ));
}

fn long_session(planned_min: u32) -> Session {
    let info = SessionInfo {
        protocol: Protocol {
            name: "Chronic pain".into(),
            planned_min: Some(planned_min),
            ..Protocol::default()
        },
        ..SessionInfo::default()
    };
    Session::open(
        Profile::default_profile(),
        info,
        t("08:50"),
        "RN-1",
        &FixedClock(t("08:50")),
    )
    .unwrap()
}

fn infusion(s: &mut Session, at: &str, change: InfusionChange) {
    let cmd = Command::Infusion {
        at: t(at),
        by: "RN-1".into(),
        change,
        reason: "per protocol".into(),
    };
    s.execute(cmd, &FixedClock(t(at))).unwrap();
}

#[test]
fn nothing_is_due_before_the_infusion_starts() {
    let mut s = long_session(40);
    record(&mut s, t("08:55"), full_set(120, 80, 70, 98));
    assert_eq!(next_due(s.profile(), s.state()), None);
}

#[test]
fn a_short_infusion_wants_a_reading_every_10_min() {
    let mut s = long_session(40);
    infusion(
        &mut s,
        "09:00",
        InfusionChange::Started {
            rate_mg_per_kg_h: Some(0.75),
        },
    );
    assert_eq!(next_due(s.profile(), s.state()).unwrap().at, t("09:10"));
    record(&mut s, t("09:12"), full_set(120, 80, 70, 98));
    assert_eq!(next_due(s.profile(), s.state()).unwrap().at, t("09:22"));
}

#[test]
fn a_multi_hour_infusion_wants_every_15_min_in_the_first_hour_then_every_30() {
    let mut s = long_session(240);
    infusion(
        &mut s,
        "09:00",
        InfusionChange::Started {
            rate_mg_per_kg_h: Some(1.0),
        },
    );
    record(&mut s, t("09:45"), full_set(120, 80, 70, 98));
    assert_eq!(next_due(s.profile(), s.state()).unwrap().at, t("10:00"));
    record(&mut s, t("10:00"), full_set(120, 80, 70, 98));
    assert_eq!(next_due(s.profile(), s.state()).unwrap().at, t("10:30"));
}

#[test]
fn a_rate_change_makes_a_reading_due_at_once() {
    let mut s = long_session(240);
    infusion(
        &mut s,
        "09:00",
        InfusionChange::Started {
            rate_mg_per_kg_h: Some(1.0),
        },
    );
    record(&mut s, t("09:15"), full_set(120, 80, 70, 98));
    infusion(
        &mut s,
        "09:20",
        InfusionChange::RateChanged {
            rate_mg_per_kg_h: 1.5,
        },
    );
    let due = next_due(s.profile(), s.state()).unwrap();
    assert_eq!(due.at, t("09:20"));
    assert!(due.reason.contains("rate changed"), "{}", due.reason);
    record(&mut s, t("09:21"), full_set(120, 80, 70, 98));
    assert_eq!(next_due(s.profile(), s.state()).unwrap().at, t("09:36"));
}

#[test]
fn the_end_of_the_infusion_wants_a_full_set_then_every_15_min() {
    let mut s = long_session(40);
    infusion(
        &mut s,
        "09:00",
        InfusionChange::Started {
            rate_mg_per_kg_h: Some(0.75),
        },
    );
    infusion(&mut s, "09:40", InfusionChange::Stopped);
    let due = next_due(s.profile(), s.state()).unwrap();
    assert!(due.full_set && due.at == t("09:40"));
    record(&mut s, t("09:41"), bp(120, 80));
    assert!(
        next_due(s.profile(), s.state()).unwrap().full_set,
        "a BP alone is not the full set"
    );
    record(&mut s, t("09:42"), full_set(120, 80, 70, 98));
    let due = next_due(s.profile(), s.state()).unwrap();
    assert!(!due.full_set && due.at == t("09:57"));
}

#[test]
fn overdue_is_low_from_2_min_and_medium_from_10_min_late() {
    let mut s = long_session(40);
    infusion(
        &mut s,
        "09:00",
        InfusionChange::Started {
            rate_mg_per_kg_h: Some(0.75),
        },
    );
    let due = next_due(s.profile(), s.state()).unwrap();
    let p = s.profile();
    assert_eq!(overdue(p, &due, t("09:11")), None);
    assert_eq!(overdue(p, &due, t("09:12")), Some(Priority::Low));
    assert_eq!(overdue(p, &due, t("09:19")), Some(Priority::Low));
    assert_eq!(overdue(p, &due, t("09:20")), Some(Priority::Medium));
}

#[test]
fn nothing_is_due_once_the_session_is_closed() {
    let mut s = long_session(40);
    infusion(
        &mut s,
        "09:00",
        InfusionChange::Started {
            rate_mg_per_kg_h: Some(0.75),
        },
    );
    infusion(&mut s, "09:40", InfusionChange::Stopped);
    let close = Command::Close {
        source: infusion_vitals::session::events::Source::Manual,
        at: t("10:30"),
        by: "RN-1".into(),
        reason: "discharged".into(),
    };
    s.execute(close, &FixedClock(t("10:30"))).unwrap();
    assert_eq!(next_due(s.profile(), s.state()), None);
}

#[test]
fn a_profile_with_absurd_intervals_is_refused_rather_than_overflowing_a_date() {
    let huge = DEFAULT.replace(
        "max_before_session_h = 24",
        "max_before_session_h = 4000000000",
    );
    assert!(matches!(
        Profile::from_toml(&huge, "x"),
        Err(ProfileError::Invalid { .. })
    ));
    let huge = DEFAULT.replace("after_min = 5", "after_min = 4000000000");
    assert!(matches!(
        Profile::from_toml(&huge, "x"),
        Err(ProfileError::Invalid { .. })
    ));
}
