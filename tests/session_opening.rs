//! The rules for opening a session are the core's: `Session::open_stored` refuses what the
//! start screen refuses, naming the field, the value and the accepted range, and the
//! rate is the total dose over the planned minutes. No window here.

mod common;

use common::*;
use infusion_vitals::alerts::Profile;
use infusion_vitals::alerts::profile::ProfileError;
use infusion_vitals::clock::FixedClock;
use infusion_vitals::commands::{CommandError, EventStore, Session};
use infusion_vitals::session::Source;
use infusion_vitals::session::events::{Event, Protocol, SessionInfo};
use infusion_vitals::session::opening::{Accepted, InfoField, InfoProblem};
use std::sync::{Arc, Mutex};

const DEFAULT: &str = include_str!("../assets/profiles/ketamine-iv-adult.toml");

/// A store that keeps what it is given, so a test can see nothing was stored.
#[derive(Clone, Default)]
struct Kept(Arc<Mutex<Vec<Event>>>);

impl EventStore for Kept {
    fn store(&mut self, event: &Event) -> std::io::Result<()> {
        self.0.lock().unwrap().push(event.clone());
        Ok(())
    }
}

/// The start screen's first protocol: 72 kg, 0.5 mg/kg over 40 min.
fn info(weight_kg: f64, dose: f64, minutes: u32) -> SessionInfo {
    let profile = Profile::default_profile();
    SessionInfo {
        patient_id: "P-0042".into(),
        weight_kg: Some(weight_kg),
        protocol: Protocol::planned("test".into(), dose, minutes),
        profile_name: profile.name,
        profile_version: profile.version,
    }
}

fn open_stored(profile: Profile, info: SessionInfo) -> (Result<Session, CommandError>, Kept) {
    let kept = Kept::default();
    let opened = Session::open_stored(
        profile,
        info,
        t("09:00"),
        NURSE,
        Box::new(kept.clone()),
        &FixedClock(t("09:00")),
    );
    (opened, kept)
}

fn refused(info: SessionInfo) -> Vec<InfoProblem> {
    let (opened, kept) = open_stored(Profile::default_profile(), info);
    assert!(kept.0.lock().unwrap().is_empty(), "nothing stored");
    match opened {
        Err(CommandError::InfoRejected(problems)) => problems,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_session_opens_only_with_a_weight_dose_and_duration_its_profile_accepts() {
    let cases = [
        (
            info(5.0, 0.5, 40),
            InfoField::Weight,
            5.0,
            Accepted::Between(20.0, 300.0),
            "Weight 5 kg: below the accepted range (accepted 20-300 kg)",
        ),
        (
            info(72.0, 0.0, 40),
            InfoField::Dose,
            0.0,
            Accepted::AboveZeroUpTo(10.0),
            "Total dose 0 mg/kg: below the accepted range (accepted above 0, up to 10 mg/kg)",
        ),
        (
            info(72.0, 11.0, 40),
            InfoField::Dose,
            11.0,
            Accepted::AboveZeroUpTo(10.0),
            "Total dose 11 mg/kg: above the accepted range (accepted above 0, up to 10 mg/kg)",
        ),
        (
            info(72.0, 0.5, 5),
            InfoField::PlannedMinutes,
            5.0,
            Accepted::Between(10.0, 600.0),
            "Planned minutes 5 min: below the accepted range (accepted 10-600 min)",
        ),
        (
            info(72.0, 0.5, 700),
            InfoField::PlannedMinutes,
            700.0,
            Accepted::Between(10.0, 600.0),
            "Planned minutes 700 min: above the accepted range (accepted 10-600 min)",
        ),
    ];
    for (info, field, value, accepted, text) in cases {
        let problems = refused(info);
        assert_eq!(
            problems,
            [InfoProblem {
                field,
                value,
                accepted
            }],
            "{text}"
        );
        assert_eq!(problems[0].to_string(), text);
    }
    // Every number wrong: each named, in the start screen's order.
    let all = refused(info(400.0, -1.0, 0));
    let fields: Vec<InfoField> = all.iter().map(|p| p.field).collect();
    assert_eq!(
        fields,
        [
            InfoField::Weight,
            InfoField::Dose,
            InfoField::PlannedMinutes
        ]
    );
    assert_eq!(
        CommandError::InfoRejected(all[..1].to_vec()).to_string(),
        "not opened: Weight 400 kg: above the accepted range (accepted 20-300 kg)"
    );
    // The ends of each range are accepted.
    for ok in [info(20.0, 10.0, 10), info(300.0, 0.01, 600)] {
        assert!(open_stored(Profile::default_profile(), ok).0.is_ok());
    }
}

#[test]
fn a_session_in_memory_is_refused_alike() {
    let opened = Session::open(
        Profile::default_profile(),
        info(5.0, 0.5, 40),
        t("09:00"),
        NURSE,
        &FixedClock(t("09:00")),
    );
    assert!(
        matches!(opened, Err(CommandError::InfoRejected(p)) if p[0].field == InfoField::Weight)
    );
}

#[test]
fn the_rate_is_the_total_dose_over_the_planned_minutes() {
    for (dose, minutes, rate) in [(0.5, 40, 0.75), (1.0, 60, 1.0), (4.0, 240, 1.0)] {
        let protocol = Protocol::planned("p".into(), dose, minutes);
        assert_eq!(
            protocol.rate_mg_per_kg_h,
            Some(rate),
            "{dose} over {minutes}"
        );
        assert_eq!(
            Protocol::rate_for(dose, minutes),
            dose * 60.0 / f64::from(minutes)
        );
    }
    let (opened, kept) = open_stored(Profile::default_profile(), info(72.0, 0.5, 40));
    let session = opened.unwrap();
    let recorded = &session.state().info.as_ref().unwrap().protocol;
    assert_eq!(recorded.rate_mg_per_kg_h, Some(0.75));
    assert_eq!(kept.0.lock().unwrap().len(), 1, "the opening, stored");

    // A rate that does not follow from the dose and the minutes is refused.
    let mut wrong = info(72.0, 0.5, 40);
    wrong.protocol.rate_mg_per_kg_h = Some(1.5);
    let problems = refused(wrong);
    assert_eq!(
        problems[0].to_string(),
        "Rate 1.5 mg/kg/h: not the total dose over the planned minutes (accepted 0.75 mg/kg/h)"
    );
}

#[test]
fn an_import_that_knows_no_weight_or_dose_still_opens() {
    let kept = Kept::default();
    let opened = Session::open_from_stored(
        Profile::default_profile(),
        SessionInfo::default(),
        t("09:00"),
        NURSE,
        Source::Imported {
            file: "monitor.csv".into(),
            line: 0,
        },
        Box::new(kept),
        &FixedClock(t("09:00")),
    );
    assert!(opened.is_ok());
}

#[test]
fn the_ranges_are_the_profiles() {
    let children = DEFAULT.replace("weight_kg = [20, 300]", "weight_kg = [3, 60]");
    let children = Profile::from_toml(&children, "paediatric.toml").unwrap();
    assert!(open_stored(children.clone(), info(5.0, 0.5, 40)).0.is_ok());
    let (opened, _) = open_stored(children, info(72.0, 0.5, 40));
    assert!(
        opened
            .unwrap_err()
            .to_string()
            .contains("Weight 72 kg: above the accepted range (accepted 3-60 kg)")
    );
    for (text, expected) in [
        (
            DEFAULT.replace("weight_kg = [20, 300]", "weight_kg = [300, 20]"),
            "session.weight_kg",
        ),
        (
            DEFAULT.replace("max_dose_mg_per_kg = 10", "max_dose_mg_per_kg = 0"),
            "session.max_dose_mg_per_kg",
        ),
        (
            DEFAULT.replace("planned_min = [10, 600]", "planned_min = [0, 600]"),
            "session.planned_min",
        ),
        (
            DEFAULT.replace("planned_min = [10, 600]", "planned_min = [10, 5000]"),
            "session.planned_min",
        ),
    ] {
        match Profile::from_toml(&text, "clinic.toml") {
            Err(ProfileError::Invalid { message, .. }) => {
                assert!(message.contains(expected), "{message}")
            }
            other => panic!("expected {expected}, got {other:?}"),
        }
    }
}
