//! `export LOG --fhir -o BUNDLE.json` (issue 17 part 2): the bundle is valid FHIR R4 by
//! a real model (the Python package fhir.resources 6.1.0, FHIR 4.0.1, in a venv that
//! `tests/fhir/install.sh` makes), every reading's values come back with their times and
//! nothing else, statuses map, offsets stay, and a log that is not intact is refused.
//! docs/fhir-export.md gives the mapping.

mod common;

use common::{NURSE, forge};
use infusion_vitals::chrono::DateTime;
use infusion_vitals::clock::{FixedClock, Time, format_time};
use infusion_vitals::commands::{
    AssessmentEntry, Command, OnReject, OnWarning, ReadingEntry, Session,
};
use infusion_vitals::log::seal::SealKey;
use infusion_vitals::log::write::{log_bytes, signed_log_bytes};
use infusion_vitals::review::review_log;
use infusion_vitals::session::events::{InfusionChange, Protocol, SessionInfo};
use infusion_vitals::session::{Source, Vital, VitalSet};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

// ---------------------------------------------------------------- running

fn bin() -> Process {
    let mut command = Process::new(env!("CARGO_BIN_EXE_infusion-vitals"));
    command.env("XDG_DATA_HOME", env!("CARGO_TARGET_TMPDIR"));
    command
}

fn run(cmd: &mut Process) -> (i32, String, String) {
    let out = cmd.output().expect("the binary runs");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn export(log: &Path, out: &Path) -> (i32, String, String) {
    run(bin()
        .arg("export")
        .arg(log)
        .arg("--fhir")
        .arg("-o")
        .arg(out))
}

/// Exports `log` with the binary; the bundle as JSON.
fn exported(log: &Path) -> Value {
    let out = log.with_extension("fhir.json");
    let (code, stdout, stderr) = export(log, &out);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("FHIR bundle written to"), "{stdout}");
    assert!(stderr.is_empty(), "{stderr}");
    serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap()
}

/// The Python with fhir.resources: `FHIR_PYTHON`, else the venv that
/// `tests/fhir/install.sh` makes in the repository's `target/fhir-venv`.
fn fhir_python() -> PathBuf {
    std::env::var_os("FHIR_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fhir-venv/bin/python"),
        PathBuf::from,
    )
}

/// Validates the bundle at `path` with fhir.resources' R4 models; fails (never skips)
/// when the model is not installed, saying how to install it.
fn validate(path: &Path) -> String {
    let python = fhir_python();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fhir/validate.py");
    let how = "install the FHIR R4 model with `bash tests/fhir/install.sh` (a venv in \
               target/fhir-venv with fhir.resources 6.1.0; Debian needs python3-venv), or \
               point FHIR_PYTHON at a Python that has it";
    let out = Process::new(&python)
        .arg(&script)
        .arg(path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}; {how}", python.display()));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("ModuleNotFoundError") {
        panic!(
            "{} has no fhir.resources: {stderr}; {how}",
            python.display()
        );
    }
    assert!(
        out.status.success(),
        "{} is not valid FHIR R4: {stderr}",
        path.display()
    );
    String::from_utf8(out.stdout).unwrap()
}

// ---------------------------------------------------------------- a session

/// `at(offset, "09:05:30")`: that time on 14 March 2026 at the UTC offset given.
fn at(offset: &str, hms: &str) -> Time {
    DateTime::parse_from_rfc3339(&format!("2026-03-14T{hms}{offset}")).unwrap()
}

fn all(s: f64, d: f64, hr: f64, spo2: f64, rr: f64) -> VitalSet {
    VitalSet::of(&[
        (Vital::Systolic, s),
        (Vital::Diastolic, d),
        (Vital::HeartRate, hr),
        (Vital::Spo2, spo2),
        (Vital::RespRate, rr),
    ])
}

/// A chair session at the UTC offset given, with every vital, a device's reading, a
/// corrected reading (its value and its time), a voided one, a pause, a resume and a
/// rate change, scores (one corrected, one voided), discharge and close.
fn session_at(offset: &str) -> Session {
    let t = |hms: &str| at(offset, hms);
    let profile = infusion_vitals::alerts::Profile::default_profile();
    let info = SessionInfo {
        patient_id: "P-0042".into(),
        weight_kg: Some(72.0),
        protocol: Protocol::planned("Depression 0.5 mg/kg over 40 min".into(), 0.5, 40),
        profile_name: profile.name.clone(),
        profile_version: profile.version.clone(),
    };
    let mut s = Session::open(
        profile,
        info,
        t("08:45:00"),
        NURSE,
        &FixedClock(t("08:45:00")),
    )
    .unwrap();
    let mut run = |cmd: Command, now: &str| {
        s.execute(cmd, &FixedClock(t(now)))
            .unwrap_or_else(|e| panic!("at {now}: {e}"));
    };
    let entry = |hms: &str, values: VitalSet, source: Source| ReadingEntry {
        at: t(hms),
        values,
        by: NURSE.into(),
        source,
        on_warning: OnWarning::Confirmed,
        on_reject: OnReject::RejectEntry,
        via: Default::default(),
    };
    let infusion = |hms: &str, change: InfusionChange, reason: &str| Command::Infusion {
        at: t(hms),
        by: NURSE.into(),
        change,
        reason: reason.into(),
    };
    let score = |hms: &str, scale: &str, score: i32| {
        Command::RecordAssessment(AssessmentEntry {
            at: t(hms),
            scale: scale.into(),
            score,
            by: NURSE.into(),
            source: Source::Manual,
        })
    };
    let manual = Source::Manual;
    let device = Source::Device {
        id: "monitor-7".into(),
    };
    run(
        Command::RecordReading(entry(
            "09:00:00",
            all(124.0, 78.0, 72.0, 98.0, 14.0),
            manual.clone(),
        )),
        "09:00:30",
    );
    run(score("09:02:00", "pain NRS", 6), "09:02:00");
    run(
        Command::RecordReading(entry(
            "09:05:00",
            all(122.0, 76.0, 70.0, 98.0, 15.0),
            manual.clone(),
        )),
        "09:06:00",
    );
    run(
        infusion(
            "09:10:00",
            InfusionChange::Started {
                rate_mg_per_kg_h: Some(0.75),
            },
            "baseline reviewed",
        ),
        "09:10:00",
    );
    run(
        infusion("09:21:00", InfusionChange::Paused, "nausea"),
        "09:21:00",
    );
    run(
        Command::AmendReading {
            reading_id: 2,
            entry: entry(
                "09:04:30",
                all(126.0, 77.0, 70.0, 97.0, 16.0),
                manual.clone(),
            ),
            reason: "transcription error, monitor showed 126".into(),
        },
        "09:22:00",
    );
    run(score("09:25:00", "MOAA/S", 4), "09:25:00");
    run(
        Command::RecordReading(entry(
            "09:26:00",
            all(150.0, 90.0, 80.0, 97.0, 18.0),
            manual.clone(),
        )),
        "09:26:00",
    );
    run(
        Command::MarkEnteredInError {
            reading_id: 3,
            by: NURSE.into(),
            reason: "wrong patient's chart".into(),
        },
        "09:27:00",
    );
    run(
        infusion("09:28:00", InfusionChange::Resumed, "nausea settled"),
        "09:28:00",
    );
    run(
        infusion(
            "09:30:00",
            InfusionChange::RateChanged {
                rate_mg_per_kg_h: 0.5,
            },
            "BP rise",
        ),
        "09:30:00",
    );
    run(
        Command::AmendAssessment {
            assessment_id: 2,
            at: t("09:25:00"),
            score: 5,
            by: NURSE.into(),
            reason: "tapped the wrong score".into(),
        },
        "09:31:00",
    );
    run(
        Command::RecordReading(entry(
            "09:35:12.5",
            all(118.0, 74.0, 80.0, 96.5, 12.0),
            device,
        )),
        "09:35:13",
    );
    run(
        Command::RecordReading(entry(
            "09:40:00",
            VitalSet::of(&[(Vital::HeartRate, 78.0), (Vital::Spo2, 97.0)]),
            manual.clone(),
        )),
        "09:40:00",
    );
    run(
        infusion("09:50:00", InfusionChange::Stopped, "dose complete"),
        "09:50:00",
    );
    run(
        Command::RecordReading(entry(
            "09:51:00",
            all(120.0, 75.0, 74.0, 98.0, 14.0),
            manual,
        )),
        "09:51:00",
    );
    run(score("09:55:00", "pain NRS", 2), "09:55:00");
    run(
        Command::MarkAssessmentEnteredInError {
            assessment_id: 3,
            by: NURSE.into(),
            reason: "scored the wrong patient".into(),
        },
        "09:56:00",
    );
    run(
        Command::Close {
            at: t("10:30:00"),
            by: NURSE.into(),
            source: Source::Manual,
            reason: "discharge not recorded in this test".into(),
        },
        "10:30:00",
    );
    s
}

/// The session's log in a folder of its own (unsigned: `check` calls it intact).
fn session_log(offset: &str) -> (tempfile::TempDir, PathBuf) {
    let s = session_at(offset);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.log.csv");
    std::fs::write(&path, log_bytes(s.events(), &at(offset, "10:31:00"))).unwrap();
    (dir, path)
}

// ---------------------------------------------------------------- reading the bundle

fn resources<'a>(bundle: &'a Value, kind: &'a str) -> impl Iterator<Item = &'a Value> + 'a {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(move |r| r["resourceType"] == kind)
}

fn codes(concept: &Value) -> Vec<String> {
    concept["coding"]
        .as_array()
        .map(|c| {
            c.iter()
                .map(|c| c["code"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// (time, LOINC code, value, status) of every vital-sign value in the bundle, the unit
/// checked on the way: a blood-pressure panel gives one per component.
fn vital_values(bundle: &Value) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for obs in resources(bundle, "Observation") {
        let category = codes(&obs["category"][0]);
        if category != ["vital-signs"] {
            continue;
        }
        let time = obs["effectiveDateTime"].as_str().unwrap().to_string();
        let status = obs["status"].as_str().unwrap().to_string();
        let mut take = |code: &[String], quantity: &Value| {
            assert_eq!(quantity["system"], "http://unitsofmeasure.org", "{obs}");
            let unit = match code[0].as_str() {
                "8480-6" | "8462-4" => "mm[Hg]",
                "8867-4" | "9279-1" => "/min",
                "2708-6" => "%",
                other => panic!("unexpected code {other}"),
            };
            assert_eq!(quantity["code"], unit, "{obs}");
            out.push((
                time.clone(),
                code.join("+"),
                quantity["value"].as_f64().unwrap().to_string(),
                status.clone(),
            ));
        };
        let code = codes(&obs["code"]);
        if code == ["85354-9"] {
            assert!(obs.get("valueQuantity").is_none(), "{obs}");
            for component in obs["component"].as_array().unwrap() {
                if let Some(q) = component.get("valueQuantity") {
                    take(&codes(&component["code"]), q);
                }
            }
        } else {
            take(&code, &obs["valueQuantity"]);
        }
    }
    out.sort();
    out
}

/// The same, from the log itself: each reading's version in force (a voided one's last
/// version), each value it holds.
fn log_values(log: &[u8]) -> Vec<(String, String, String, String)> {
    let reviewed = review_log(log).unwrap();
    let mut out = Vec::new();
    for record in &reviewed.state.readings {
        let version = record.versions.last().unwrap();
        let status = if record.entered_in_error.is_some() {
            "entered-in-error"
        } else if record.versions.len() > 1 {
            "amended"
        } else {
            "final"
        };
        for vital in Vital::ALL {
            let Some(value) = version.values.get(vital) else {
                continue;
            };
            let code = match vital {
                Vital::Systolic => "8480-6",
                Vital::Diastolic => "8462-4",
                Vital::HeartRate => "8867-4",
                Vital::Spo2 => "2708-6+59408-5",
                Vital::RespRate => "9279-1",
            };
            out.push((
                format_time(&version.at),
                code.to_string(),
                value.to_string(),
                status.to_string(),
            ));
        }
    }
    out.sort();
    out
}

fn v1_fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/log-v1");
    vec![
        dir.join("chair-session.log.csv"),
        dir.join("imported.log.csv"),
    ]
}

fn sample_logs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    [
        "bad-rows.log.csv",
        "hypertensive-rise.log.csv",
        "normal-40min.log.csv",
    ]
    .into_iter()
    .map(|n| dir.join(n))
    .collect()
}

/// A copy of `log` in a folder of its own, so that the bundle is written there.
fn copied(log: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(log.file_name().unwrap());
    std::fs::copy(log, &path).unwrap();
    (dir, path)
}

// ---------------------------------------------------------------- 1. valid FHIR R4

#[test]
fn the_bundle_validates_as_fhir_r4_by_the_fhir_resources_model() {
    let (_dir, log) = session_log("+01:00");
    let bundle = exported(&log);
    let said = validate(&log.with_extension("fhir.json"));
    assert!(
        said.contains("1 Encounter, 3 MedicationAdministration, 25 Observation, 1 Patient"),
        "{said}"
    );
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
}

#[test]
fn the_sample_logs_and_the_version_1_fixtures_export_as_valid_fhir_r4() {
    for original in sample_logs().into_iter().chain(v1_fixtures()) {
        let (_dir, log) = copied(&original);
        let bundle = exported(&log);
        validate(&log.with_extension("fhir.json"));
        assert_eq!(
            vital_values(&bundle),
            log_values(&std::fs::read(&log).unwrap()),
            "{}",
            original.display()
        );
    }
}

// ---------------------------------------------------------------- 2. round trip

#[test]
fn every_value_of_every_reading_comes_back_once_with_its_time_and_nothing_else() {
    let (_dir, log) = session_log("+01:00");
    let bundle = exported(&log);
    let expected = log_values(&std::fs::read(&log).unwrap());
    // Five full sets with respiratory rate (one voided, one corrected) and a heart rate
    // with an SpO2.
    assert_eq!(expected.len(), 5 * 5 + 2);
    assert_eq!(vital_values(&bundle), expected);
    // The corrected reading is there at its corrected time and values only.
    let got = vital_values(&bundle);
    assert!(
        got.iter()
            .any(|(t, c, v, _)| t == "2026-03-14T09:04:30+01:00" && c == "8480-6" && v == "126")
    );
    assert!(!got.iter().any(|(_, c, v, _)| c == "8480-6" && v == "122"));
    // Every resource refers to the patient and the encounter of the bundle.
    let urls: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fullUrl"].as_str().unwrap())
        .collect();
    let patient = urls[0];
    let encounter = urls[1];
    for obs in resources(&bundle, "Observation") {
        assert_eq!(obs["subject"]["reference"], patient);
        assert_eq!(obs["encounter"]["reference"], encounter);
    }
    let mut unique = urls.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), urls.len(), "full URLs are unique");
    assert!(
        urls.iter()
            .all(|u| u.starts_with("urn:uuid:") && u.len() == 45)
    );
}

#[test]
fn the_same_log_gives_the_same_bundle_byte_for_byte() {
    let (_dir, log) = session_log("+01:00");
    let first = log.with_extension("1.json");
    let second = log.with_extension("2.json");
    assert_eq!(export(&log, &first).0, 0);
    assert_eq!(export(&log, &second).0, 0);
    assert_eq!(
        std::fs::read(first).unwrap(),
        std::fs::read(second).unwrap()
    );
}

#[test]
fn spo2_carries_both_codes_and_every_observation_its_profile_and_source() {
    let (_dir, log) = session_log("+01:00");
    let bundle = exported(&log);
    let spo2: Vec<&Value> = resources(&bundle, "Observation")
        .filter(|o| codes(&o["code"]).contains(&"2708-6".to_string()))
        .collect();
    assert_eq!(spo2.len(), 6);
    for obs in &spo2 {
        assert_eq!(codes(&obs["code"]), ["2708-6", "59408-5"]);
        assert_eq!(obs["valueQuantity"]["unit"], "%");
    }
    let device: Vec<&Value> = resources(&bundle, "Observation")
        .filter(|o| o["id"].as_str().unwrap().starts_with("reading-4-"))
        .collect();
    assert_eq!(device.len(), 4, "BP panel, HR, SpO2, RR");
    for obs in device {
        assert_eq!(obs["method"]["text"], "device:monitor-7");
        assert_eq!(obs["device"]["display"], "monitor-7");
    }
    let manual = resources(&bundle, "Observation")
        .find(|o| o["id"] == "reading-1-bp")
        .unwrap();
    assert_eq!(manual["method"]["text"], "manual");
    assert_eq!(manual["performer"][0]["display"], NURSE);
    assert_eq!(
        manual["meta"]["profile"],
        serde_json::json!([
            "http://hl7.org/fhir/StructureDefinition/vitalsigns",
            "http://hl7.org/fhir/StructureDefinition/bp"
        ])
    );
    assert_eq!(
        codes(&manual["category"][0]),
        ["vital-signs"],
        "category vital-signs"
    );
}

// ---------------------------------------------------------------- 3. statuses

#[test]
fn statuses_map_final_amended_and_entered_in_error() {
    let (_dir, log) = session_log("+01:00");
    let bundle = exported(&log);
    let status_of = |id: &str| {
        resources(&bundle, "Observation")
            .find(|o| o["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status_of("reading-1-bp"), "final");
    assert_eq!(status_of("reading-1-rr"), "final");
    assert_eq!(status_of("reading-2-bp"), "amended");
    assert_eq!(status_of("reading-2-spo2"), "amended");
    assert_eq!(status_of("reading-3-bp"), "entered-in-error");
    assert_eq!(status_of("reading-3-hr"), "entered-in-error");
    assert_eq!(status_of("reading-4-hr"), "final");
    // The amended reading holds the current value and says what it replaced and why.
    let amended = resources(&bundle, "Observation")
        .find(|o| o["id"] == "reading-2-bp")
        .unwrap();
    assert_eq!(amended["component"][0]["valueQuantity"]["value"], 126.0);
    let note = amended["note"][0]["text"].as_str().unwrap();
    assert!(
        note.contains("transcription error, monitor showed 126"),
        "{note}"
    );
    assert!(note.contains("replaced 122/76"), "{note}");
    let voided = resources(&bundle, "Observation")
        .find(|o| o["id"] == "reading-3-bp")
        .unwrap();
    let note = voided["note"][0]["text"].as_str().unwrap();
    assert!(note.contains("wrong patient's chart"), "{note}");
    // Scores too.
    assert_eq!(status_of("assessment-1"), "final");
    assert_eq!(status_of("assessment-2"), "amended");
    assert_eq!(status_of("assessment-3"), "entered-in-error");
}

#[test]
fn scores_are_survey_observations_with_the_scale_loinc_code_where_there_is_one() {
    let (_dir, log) = session_log("+01:00");
    let bundle = exported(&log);
    let scores: Vec<&Value> = resources(&bundle, "Observation")
        .filter(|o| codes(&o["category"][0]) == ["survey"])
        .collect();
    assert_eq!(scores.len(), 3);
    let pain = scores.iter().find(|o| o["id"] == "assessment-1").unwrap();
    assert_eq!(codes(&pain["code"]), ["72514-3"]);
    assert_eq!(pain["valueInteger"], 6);
    assert_eq!(pain["effectiveDateTime"], "2026-03-14T09:02:00+01:00");
    let moaas = scores.iter().find(|o| o["id"] == "assessment-2").unwrap();
    assert!(codes(&moaas["code"]).is_empty(), "MOAA/S has no LOINC code");
    assert_eq!(moaas["code"]["text"], "MOAA/S");
    assert_eq!(moaas["valueInteger"], 5, "the corrected score");
}

#[test]
fn the_infusion_is_one_administration_per_rate_period_and_the_session_an_encounter() {
    let (_dir, log) = session_log("+01:00");
    let bundle = exported(&log);
    let periods: Vec<(String, String, Option<f64>, String)> =
        resources(&bundle, "MedicationAdministration")
            .map(|m| {
                assert_eq!(codes(&m["medicationCodeableConcept"]), ["6130"]);
                (
                    m["effectivePeriod"]["start"].as_str().unwrap().to_string(),
                    m["effectivePeriod"]["end"].as_str().unwrap().to_string(),
                    m["dosage"]["rateQuantity"]["value"].as_f64(),
                    m["status"].as_str().unwrap().to_string(),
                )
            })
            .collect();
    let t = |hm: &str| format!("2026-03-14T{hm}:00+01:00");
    assert_eq!(
        periods,
        vec![
            (t("09:10"), t("09:21"), Some(0.75), "completed".into()),
            (t("09:28"), t("09:30"), Some(0.75), "completed".into()),
            (t("09:30"), t("09:50"), Some(0.5), "completed".into()),
        ]
    );
    let first = resources(&bundle, "MedicationAdministration")
        .next()
        .unwrap();
    assert_eq!(first["dosage"]["rateQuantity"]["code"], "mg/kg/h");
    let dosage = first["dosage"]["text"].as_str().unwrap();
    assert!(dosage.contains("planned total dose 0.5 mg/kg"), "{dosage}");
    let notes = first["note"].to_string();
    assert!(
        notes.contains("baseline reviewed") && notes.contains("paused"),
        "{notes}"
    );
    let encounter = resources(&bundle, "Encounter").next().unwrap();
    assert_eq!(encounter["status"], "finished");
    assert_eq!(encounter["period"]["start"], t("08:45"));
    assert_eq!(encounter["period"]["end"], t("10:30"));
    let patient = resources(&bundle, "Patient").next().unwrap();
    assert_eq!(patient["identifier"][0]["value"], "P-0042");
    assert!(patient.get("name").is_none());
}

// ---------------------------------------------------------------- 4. refused

fn refused(bytes: &[u8], expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("tampered.log.csv");
    std::fs::write(&log, bytes).unwrap();
    let out = dir.path().join("bundle.json");
    let (code, stdout, stderr) = export(&log, &out);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains(expect), "{stderr}");
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert!(!out.exists(), "no file is written");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );
}

#[test]
fn a_tampered_log_is_refused_with_exit_2_and_no_file() {
    let s = session_at("+01:00");
    let sealed = at("+01:00", "10:31:00");
    // A digit changed by hand: the chain breaks at that row.
    let plain = String::from_utf8(log_bytes(s.events(), &sealed)).unwrap();
    let edited = plain.replacen(",124,78,", ",134,78,", 1);
    assert_ne!(edited, plain);
    refused(edited.as_bytes(), "altered at row");
    // A digit changed and the chain recomputed: the signature no longer verifies.
    let key = SealKey::from_secret(&[7; 32]);
    let signed = signed_log_bytes(s.events(), &sealed, Some(&key));
    let forged = forge(&signed, |_, row| row.replacen(",124,78,", ",134,78,", 1));
    assert_ne!(forged, signed);
    refused(&forged, "signature does not verify");
    // Recomputed to a value no chair writes: invalid.
    let invalid = forge(&log_bytes(s.events(), &sealed), |_, row| {
        row.replacen(",124,78,", ",124,780,", 1)
    });
    refused(&invalid, "not intact");
    // Not a log at all.
    refused(b"time,systolic\r\n09:00,120\r\n", "not a session log");
}

#[test]
fn export_needs_the_fhir_flag() {
    let (_dir, log) = session_log("+01:00");
    let out = log.with_extension("json");
    let (code, _, stderr) = run(bin().arg("export").arg(&log).arg("-o").arg(&out));
    assert_eq!(code, 2);
    assert!(stderr.contains("--fhir"), "{stderr}");
    assert!(!out.exists());
}

// ---------------------------------------------------------------- 5. offsets

#[test]
fn times_keep_their_utc_offset_exactly_as_the_log_writes_them() {
    for offset in ["+01:00", "-05:00", "+05:30", "+00:00"] {
        let (_dir, log) = session_log(offset);
        let bundle = exported(&log);
        // The log's own time cells of its reading rows.
        let mut reader = csv::Reader::from_path(&log).unwrap();
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let (record, time, status) = (col("record"), col("time"), col("status"));
        let mut in_log: Vec<String> = reader
            .records()
            .map(|r| r.unwrap())
            .filter(|r| r[record] == *"reading" && r[status] != *"entered-in-error")
            .map(|r| r[time].to_string())
            .collect();
        // An amendment's row holds the time in force; the first row of reading 2 was
        // replaced by it. A voided reading keeps its last time (the voiding row's time
        // is when it was voided).
        in_log.retain(|t| !t.starts_with("2026-03-14T09:05:00"));
        in_log.sort();
        in_log.dedup();
        let mut in_bundle: Vec<String> = resources(&bundle, "Observation")
            .filter(|o| codes(&o["category"][0]) == ["vital-signs"])
            .map(|o| o["effectiveDateTime"].as_str().unwrap().to_string())
            .collect();
        in_bundle.sort();
        in_bundle.dedup();
        assert_eq!(in_bundle, in_log, "{offset}");
        assert!(
            in_bundle.iter().all(|t| t.ends_with(offset)),
            "{in_bundle:?}"
        );
        assert!(
            in_bundle.contains(&format!("2026-03-14T09:35:12.500{offset}")),
            "a fraction of a second is kept: {in_bundle:?}"
        );
        let encounter = resources(&bundle, "Encounter").next().unwrap();
        assert_eq!(
            encounter["period"]["start"],
            format!("2026-03-14T08:45:00{offset}")
        );
        assert_eq!(bundle["timestamp"], format!("2026-03-14T10:31:00{offset}"));
    }
}

#[test]
fn values_are_written_with_the_digits_the_log_gives_them() {
    let (_dir, log) = session_log("+01:00");
    exported(&log);
    let json = std::fs::read_to_string(log.with_extension("fhir.json")).unwrap();
    let csv = std::fs::read_to_string(&log).unwrap();
    assert!(
        csv.contains(",126,77,") && csv.contains(",96.5,"),
        "the log's cells"
    );
    assert!(
        json.contains("\"value\": 126,"),
        "a whole number stays whole"
    );
    assert!(json.contains("\"value\": 96.5,"));
    assert!(!json.contains(".0,"), "no digit the log does not have");
}
