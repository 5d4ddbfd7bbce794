//! The protocol checks on sessions made through the commands, as an auditor would read
//! them: each rule that fails says why, in words with times; what does not apply is n/a.

mod common;

use common::*;
use infusion_vitals::alerts::Profile;
use infusion_vitals::audit::checks::{Check, ProtocolAudit, Verdict, audit_session};
use infusion_vitals::audit::file::{Integrity, Profiles, audit_bytes};
use infusion_vitals::clock::FixedClock;
use infusion_vitals::commands::{
    Command, CommandError, OnReject, OnWarning, ReadingEntry, Session,
};
use infusion_vitals::import::{Answers, ImportOptions, import_bytes};
use infusion_vitals::log::read_log;
use infusion_vitals::log::write::log_bytes;
use infusion_vitals::session::events::{DischargeCriteria, EventKind, InfusionChange};
use infusion_vitals::session::{Event, SessionState, Source, VitalSet};

fn audit(s: &Session) -> ProtocolAudit {
    audit_events(s.events())
}

fn audit_events(events: &[Event]) -> ProtocolAudit {
    let state = SessionState::fold(events).unwrap();
    audit_session(
        &Profile::default_profile(),
        events,
        &state,
        infusion_vitals::log::columns::Version::NEWEST,
    )
}

fn verdict(a: &ProtocolAudit, check: Check) -> Verdict {
    a.verdicts.iter().find(|(c, _)| *c == check).unwrap().1
}

fn findings(a: &ProtocolAudit, check: Check) -> Vec<String> {
    a.findings
        .iter()
        .filter(|f| f.check == check)
        .map(|f| f.text.clone())
        .collect()
}

fn discharge(s: &mut Session, at: infusion_vitals::clock::Time, criteria: DischargeCriteria) {
    let command = Command::Discharge {
        at,
        by: NURSE.into(),
        criteria,
        reason: String::new(),
    };
    s.execute(command, &FixedClock(at)).unwrap();
}

fn met() -> DischargeCriteria {
    DischargeCriteria {
        aldrete_score: 10,
        escort_present: true,
        vitals_near_baseline: true,
    }
}

/// Baseline at 08:50 and 08:55, a start at 09:00, readings every 10 minutes to the stop
/// at 09:40 and a MOAA/S at 09:20, then every 15 minutes to the discharge at 10:25: by the
/// protocol.
fn by_the_protocol() -> Session {
    let mut s = until_the_discharge(Profile::default_profile());
    discharge(&mut s, t("10:25"), met());
    s
}

/// [`by_the_protocol`] with `profile`, up to the last reading at 10:25, not discharged.
fn until_the_discharge(profile: Profile) -> Session {
    let mut s = open_session_with(profile, t("08:45"));
    record(&mut s, t("08:50"), full_set(124, 78, 72, 98));
    record(&mut s, t("08:55"), full_set(122, 77, 70, 98));
    start_infusion(&mut s, t("09:00"));
    for at in ["09:10", "09:20", "09:30"] {
        record(&mut s, t(at), full_set(128, 80, 74, 98));
    }
    score(&mut s, t("09:20"), "MOAA/S", 4);
    stop_infusion(&mut s, t("09:40"));
    for at in ["09:40", "09:55", "10:10", "10:25"] {
        record(&mut s, t(at), full_set(124, 78, 72, 98));
    }
    s
}

/// A clinic's profile that lets a patient go from a modified Aldrete score of 8.
fn discharging_from_8() -> Profile {
    let text = include_str!("../assets/profiles/ketamine-iv-adult.toml")
        .replace(
            "name = \"Ketamine IV, adult\"",
            "name = \"Clinic, Aldrete 8\"",
        )
        .replace("aldrete_min = 9", "aldrete_min = 8");
    Profile::from_toml(&text, "clinic.toml").unwrap()
}

#[test]
fn a_profile_discharging_from_aldrete_8_takes_an_8_without_a_reason_and_the_audit_agrees() {
    let eight = DischargeCriteria {
        aldrete_score: 8,
        ..met()
    };
    let clinic = discharging_from_8();
    assert_eq!(clinic.discharge.aldrete_min, 8);
    let mut s = until_the_discharge(clinic.clone());
    discharge(&mut s, t("10:25"), eight.clone());
    let discharged = s.events().last().unwrap();
    assert!(matches!(discharged.kind, EventKind::Discharged(_)));
    assert_eq!(discharged.reason, None);

    // The audit, with the clinic's profile, agrees; the default (9) does not.
    let state = SessionState::fold(s.events()).unwrap();
    let a = audit_session(
        &clinic,
        s.events(),
        &state,
        infusion_vitals::log::columns::Version::NEWEST,
    );
    assert_eq!(verdict(&a, Check::Discharge), Verdict::Pass);
    assert!(findings(&a, Check::Discharge).is_empty());
    let a = audit_events(s.events());
    assert_eq!(verdict(&a, Check::Discharge), Verdict::Fail);
    assert_eq!(
        findings(&a, Check::Discharge),
        ["discharged at 10:25+01:00 with modified Aldrete 8 (< 9) and no reason recorded"]
    );

    // A file's audit takes the profile it is given, as for the other thresholds.
    let bytes = log_bytes(s.events(), &t("11:00"));
    let chosen = audit_bytes("clinic.csv".into(), &bytes, &Profiles::chosen(clinic));
    assert!(chosen.passed(), "{:?}", chosen.problems());
    let recorded = audit_bytes("clinic.csv".into(), &bytes, &Profiles::as_recorded());
    assert_eq!(recorded.verdict(Check::Discharge), Verdict::Fail);

    // With the default profile, the same 8 needs a reason.
    let mut s = until_the_discharge(Profile::default_profile());
    let refused = s.execute(
        Command::Discharge {
            at: t("10:25"),
            by: NURSE.into(),
            criteria: eight,
            reason: String::new(),
        },
        &FixedClock(t("10:25")),
    );
    assert_eq!(
        refused.unwrap_err(),
        CommandError::ReasonRequired("a discharge with criteria not met")
    );
}

#[test]
fn a_session_by_the_protocol_passes_every_check() {
    let a = audit(&by_the_protocol());
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    for (check, v) in &a.verdicts {
        assert_eq!(*v, Verdict::Pass, "{check:?}");
    }
}

#[test]
fn a_high_baseline_needs_a_clinician_decision_recorded_with_the_start() {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), full_set(166, 102, 80, 98));
    let start = |reason: &str| Command::Infusion {
        at: t("09:00"),
        by: "Dr-Lee".into(),
        change: InfusionChange::Started {
            rate_mg_per_kg_h: Some(0.75),
        },
        reason: reason.into(),
    };
    let refused = s.execute(start(""), &FixedClock(t("09:00"))).unwrap_err();
    assert!(
        refused.to_string().contains("the clinician's decision"),
        "the program asks for it: {refused}"
    );
    s.execute(
        start("reviewed by Dr Lee: white-coat effect, proceed"),
        &FixedClock(t("09:00")),
    )
    .unwrap();
    assert_eq!(verdict(&audit(&s), Check::Baseline), Verdict::Pass);

    // A log from another tool, or from before the decision was asked for, may lack it.
    let mut events = s.events().to_vec();
    let started = events
        .iter_mut()
        .find(|e| matches!(e.kind, EventKind::Infusion(InfusionChange::Started { .. })))
        .unwrap();
    started.reason = None;
    let found = findings(&audit_events(&events), Check::Baseline);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("baseline BP 166/102 is at or above the hold level 160/100")
            && found[0].contains("09:00+01:00"),
        "{found:?}"
    );
}

#[test]
fn no_full_set_before_the_start_fails_the_baseline() {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), bp(124, 78));
    start_infusion(&mut s, t("09:00"));
    let found = findings(&audit(&s), Check::Baseline);
    assert_eq!(
        found,
        ["no full set (BP, HR, SpO2) before the infusion started at 09:00+01:00"]
    );
}

#[test]
fn a_rate_change_asks_for_a_reading_and_a_late_one_is_a_gap() {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), full_set(124, 78, 72, 98));
    start_infusion(&mut s, t("09:00"));
    record(&mut s, t("09:10"), full_set(128, 80, 74, 98));
    let change = Command::Infusion {
        at: t("09:12"),
        by: NURSE.into(),
        change: InfusionChange::RateChanged {
            rate_mg_per_kg_h: 0.5,
        },
        reason: "dizziness".into(),
    };
    s.execute(change, &FixedClock(t("09:12"))).unwrap();
    record(&mut s, t("09:20"), full_set(128, 80, 74, 98));
    let found = findings(&audit(&s), Check::ReadingGaps);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("no reading from 09:10+01:00 to 09:20+01:00 (10 min)")
            && found[0].contains("due at the rate change at 09:12+01:00"),
        "{found:?}"
    );
}

#[test]
fn the_last_reading_long_before_the_discharge_is_a_gap_and_a_missing_discharge_fails() {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), full_set(124, 78, 72, 98));
    start_infusion(&mut s, t("09:00"));
    for at in ["09:10", "09:20", "09:30"] {
        record(&mut s, t(at), full_set(128, 80, 74, 98));
    }
    stop_infusion(&mut s, t("09:40"));
    record(&mut s, t("09:41"), full_set(124, 78, 72, 98));
    let close = Command::Close {
        at: t("10:30"),
        by: NURSE.into(),
        source: Source::Manual,
        reason: "patient left".into(),
    };
    s.execute(close, &FixedClock(t("10:30"))).unwrap();
    let a = audit(&s);
    assert_eq!(
        findings(&a, Check::ReadingGaps),
        [
            "no reading from 09:41+01:00 to the session's end at 10:30+01:00 (49 min): one was \
          due every 15 min after the infusion, by 09:56+01:00"
        ]
    );
    assert_eq!(findings(&a, Check::Discharge), ["no discharge recorded"]);
    assert_eq!(verdict(&a, Check::EndOfInfusionSet), Verdict::Pass);
}

#[test]
fn no_full_set_near_the_stop_fails_the_end_of_infusion_check() {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), full_set(124, 78, 72, 98));
    start_infusion(&mut s, t("09:00"));
    for at in ["09:10", "09:20", "09:29"] {
        record(&mut s, t(at), full_set(128, 80, 74, 98));
    }
    stop_infusion(&mut s, t("09:40"));
    record(&mut s, t("09:45"), bp(124, 78));
    assert_eq!(
        findings(&audit(&s), Check::EndOfInfusionSet),
        ["no full set (BP, HR, SpO2) from the stop at 09:40+01:00 to 10 min after it"]
    );
}

#[test]
fn the_stop_asks_for_a_full_set_and_one_taken_before_it_does_not_count() {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), full_set(124, 78, 72, 98));
    start_infusion(&mut s, t("09:00"));
    for at in ["09:10", "09:20", "09:30", "09:38"] {
        record(&mut s, t(at), full_set(128, 80, 74, 98));
    }
    stop_infusion(&mut s, t("09:40"));
    record(&mut s, t("10:01"), full_set(124, 78, 72, 98));
    discharge(&mut s, t("10:01"), met());
    let a = audit(&s);
    assert_eq!(
        findings(&a, Check::EndOfInfusionSet),
        ["no full set (BP, HR, SpO2) from the stop at 09:40+01:00 to 10 min after it"],
        "the set at 09:38 was before the stop"
    );
    assert_eq!(
        findings(&a, Check::ReadingGaps),
        [
            "no reading from 09:38+01:00 to 10:01+01:00 (23 min): a full set was due at the \
          stop at 09:40+01:00 (within 10 min)"
        ]
    );
}

#[test]
fn a_correction_whose_reason_is_missing_is_named() {
    let mut s = by_the_protocol();
    let amend = Command::AmendReading {
        reading_id: 3,
        entry: ReadingEntry {
            at: t("09:10"),
            values: full_set(130, 80, 74, 98),
            by: NURSE.into(),
            source: Source::Manual,
            on_warning: OnWarning::Confirmed,
            on_reject: OnReject::RejectEntry,
            via: Default::default(),
        },
        reason: "typo".into(),
    };
    s.execute(amend, &FixedClock(t("10:26"))).unwrap();
    assert_eq!(verdict(&audit(&s), Check::Corrections), Verdict::Pass);
    // A log written by another tool, or before reasons were required, may lack one.
    let mut events = s.events().to_vec();
    let amended = events
        .iter_mut()
        .find(|e| matches!(e.kind, EventKind::ReadingAmended { .. }))
        .unwrap();
    amended.reason = None;
    let found = audit_events(&events);
    let found = findings(&found, Check::Corrections);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].starts_with("reading 3 amended at 10:26+01:00 by nurse-ak without a reason"),
        "{found:?}"
    );
}

#[test]
fn an_imported_session_is_checked_only_for_its_readings() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample_data")
        .join("bad-rows.log.csv");
    let log = read_log(std::fs::File::open(path).unwrap()).unwrap();
    let a = audit_events(&log.events);
    for check in [
        Check::Baseline,
        Check::EndOfInfusionSet,
        Check::AlertsAcknowledged,
        Check::Discharge,
    ] {
        assert_eq!(verdict(&a, check), Verdict::NotApplicable, "{check:?}");
    }
    // Its readings at 10:20 and 10:38 are 18 minutes apart: more than 15 + 2.
    assert_eq!(verdict(&a, Check::ReadingGaps), Verdict::Fail);
    let found = findings(&a, Check::ReadingGaps);
    assert!(
        found[0].contains("from 10:20+01:00 to 10:38+01:00 (18 min)")
            && found[0].contains("the phase being unknown"),
        "{found:?}"
    );
}

#[test]
fn a_gap_across_midnight_names_the_dates_and_one_within_a_day_only_the_times() {
    // An evening infusion: the reading due by 23:50 came at 23:55, the next after midnight.
    let mut s = open_session(t("23:15"));
    record(&mut s, t("23:20"), full_set(124, 78, 72, 98));
    start_infusion(&mut s, t("23:30"));
    record(&mut s, t("23:40"), full_set(128, 80, 74, 98));
    record(&mut s, t("23:55"), full_set(128, 80, 74, 98));
    record(&mut s, on("2026-03-15", "00:10"), full_set(128, 80, 74, 98));
    assert_eq!(
        findings(&audit(&s), Check::ReadingGaps),
        [
            "no reading from 23:40+01:00 to 23:55+01:00 (15 min): one was due every 10 min \
             during the infusion, by 23:50+01:00",
            "no reading from 2026-03-14 23:55+01:00 to 2026-03-15 00:10+01:00 (15 min): one \
             was due every 10 min during the infusion, by 2026-03-15 00:05+01:00",
        ]
    );
}

#[test]
fn a_gap_of_days_in_an_imported_file_names_the_dates() {
    // A home cuff's readings on Jan 10 and Jan 12 (tests/import_formats.rs has it too).
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/home_cuff_readings_days_apart.csv");
    let answers = Answers {
        zone: Some("America/New_York".parse().unwrap()),
        ..Answers::default()
    };
    let options = ImportOptions {
        file_label: "home_cuff_readings_days_apart.csv".into(),
        patient_id: "P-HOME".into(),
        by: "RN-TEST".into(),
        profile: Profile::default_profile(),
    };
    let imported = import_bytes(
        std::fs::read(path).unwrap(),
        &answers,
        options,
        &FixedClock(on("2026-03-14", "09:00")),
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(
        findings(&audit(&imported.report.session), Check::ReadingGaps),
        [
            "no reading from 2025-01-10 07:54-05:00 to 2025-01-12 08:03-05:00 (2889 min): more \
             than 15 min apart (+2 min grace), the phase being unknown"
        ]
    );
}

// ---------------------------------------------------------------- content (issue 15, item 2)

/// A forger's log: a session's events with one changed, chained and sealed afresh, as
/// anyone can with the format's own recipe. The chain verifies; the content must not.
fn forged(change: impl FnOnce(&mut Vec<Event>)) -> Vec<u8> {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), bp(120, 80));
    record(&mut s, t("08:55"), hr(72));
    let mut events = s.events().to_vec();
    change(&mut events);
    infusion_vitals::log::write::log_bytes(&events, &t("09:00"))
}

fn set_values(events: &mut [Event], values: VitalSet) {
    for e in events.iter_mut() {
        if let EventKind::ReadingRecorded { values: v, .. } = &mut e.kind {
            *v = values;
            return;
        }
    }
}

fn check_cli(bytes: &[u8]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.log.csv");
    std::fs::write(&path, bytes).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

#[test]
fn a_log_holding_what_no_chair_writes_is_invalid_naming_its_row() {
    for (values, why) in [
        (
            bp(999, 80),
            "systolic 999 mmHg lies outside the accepted 40-300",
        ),
        (bp(f64::NAN, 80), "systolic is NaN, not a number"),
        (
            bp(120, 130),
            "diastolic 130 mmHg is not below systolic 120 mmHg",
        ),
        (hr(f64::INFINITY), "heart_rate is inf, not a number"),
    ] {
        let bytes = forged(|events| set_values(events, values));
        // The chain was recomputed: it reads as sealed...
        assert!(read_log(&bytes[..]).is_ok());
        // ...and check names the row and what is wrong.
        let (code, out) = check_cli(&bytes);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("NOT INTACT: row 3 is sealed but does not describe an event: ")
                && out.contains(why),
            "{why}: {out}"
        );
    }
    let no_opening = forged(|events| {
        events.remove(0);
        for (i, e) in events.iter_mut().enumerate() {
            e.seq = i as u64 + 1;
        }
    });
    let (code, out) = check_cli(&no_opening);
    assert_eq!(code, 1);
    assert!(out.contains("row 2 is sealed but does not describe an event: event 1 comes before the session was opened"), "{out}");
    // A log with no events at all: sealed, and no session.
    let (code, out) = check_cli(&forged(Vec::clear));
    assert_eq!(code, 1);
    assert!(out.contains("lacks its opening event"), "{out}");
}

#[test]
fn the_audit_calls_such_a_log_invalid() {
    let bytes = forged(|events| set_values(events, bp(999, 80)));
    let file = audit_bytes("forged.csv".into(), &bytes, &Profiles::as_recorded());
    assert_eq!(file.integrity, Integrity::Invalid);
    assert!(
        file.reason
            .as_deref()
            .is_some_and(|r| r.contains("row 3") && r.contains("systolic 999")),
        "{:?}",
        file.reason
    );
    // A tool that keeps the logs whose seal check passes must not keep this one.
    assert_eq!(file.verdict(Check::Seal), Verdict::Fail);
    assert!(!file.passed());
}

#[test]
fn a_report_of_such_a_log_is_headed_invalid_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("forged.log.csv");
    std::fs::write(
        &log,
        forged(|events| set_values(events, bp(f64::INFINITY, 80))),
    )
    .unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        .arg("report")
        .arg(&log)
        .arg("-o")
        .arg(dir.path().join("forged.pdf"))
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let review = infusion_vitals::review::review_log(&std::fs::read(&log).unwrap()).unwrap();
    assert!(
        matches!(&review.seal, infusion_vitals::review::SealLine::NotIntact(why) if why.starts_with("invalid: row 3")),
        "the review and the report say it in red"
    );
}

#[test]
fn an_infusion_without_a_sedation_score_fails_unless_its_log_predates_scores() {
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), full_set(124, 78, 72, 98));
    start_infusion(&mut s, t("09:00"));
    record(&mut s, t("09:10"), full_set(128, 80, 74, 98));
    stop_infusion(&mut s, t("09:20"));
    let state = SessionState::fold(s.events()).unwrap();
    let profile = Profile::default_profile();
    use infusion_vitals::log::columns::Version;
    let a = audit_session(&profile, s.events(), &state, Version::NEWEST);
    assert_eq!(verdict(&a, Check::Assessments), Verdict::Fail);
    assert_eq!(
        findings(&a, Check::Assessments),
        ["no MOAA/S score during the infusion (09:00+01:00 to 09:20+01:00)"]
    );
    let old = audit_session(&profile, s.events(), &state, Version::V1);
    assert_eq!(verdict(&old, Check::Assessments), Verdict::NotApplicable);
}
