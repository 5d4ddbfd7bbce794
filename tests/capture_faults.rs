//! Faults a tester found by trying to break the monitor capture, each a kind of message
//! or sender the first version got wrong, kept as tests of what the capture must do.
//! Receiver-level (no sockets) except the last two, which run the binary.

mod common;

use common::capture::*;
use common::*;
use infusion_vitals::capture::intake::hl7_time;
use infusion_vitals::chair::Chair;
use infusion_vitals::hl7::mllp::frame;
use infusion_vitals::session::Vital;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const HR: &str = "147842^MDC_ECG_HEART_RATE^MDC";
const SPO2: &str = "150456^MDC_PULS_OXIM_SAT_O2^MDC";

fn msh(control: &str, time: &str) -> String {
    format!("MSH|^~\\&|MON^{DEVICE}^EUI-64|W|IV||{time}||ORU^R01^ORU_R01|{control}|P|2.6")
}

fn obx(i: usize, code: &str, value: &str, time: &str) -> String {
    format!("OBX|{i}|NM|{code}||{value}||||||R|||{time}")
}

fn hr_values(chair: &Chair) -> Vec<f64> {
    chair
        .session()
        .state()
        .readings
        .iter()
        .filter_map(|r| r.versions.last().unwrap().values.get(Vital::HeartRate))
        .collect()
}

/// A monitor that keeps one control ID (or wraps its counter) and stamps its messages in
/// MSH-7 only: a new message with the same values at a new time is a new reading, not
/// one "already received". Found: AA "already received: not recorded again", the
/// readings lost (the duplicate check hashes the OBX segments only, not MSH-7/OBR-7
/// that give their time).
#[test]
fn same_control_id_and_values_at_a_new_message_time_are_recorded() {
    let mut chair = chair();
    let mut r = receiver(None);
    for (i, time) in [
        "20260314090000+0100",
        "20260314090001+0100",
        "20260314090002+0100",
    ]
    .iter()
    .enumerate()
    {
        let text = format!(
            "{}\rPID|||P-0042\r{}\r",
            msh("1", time),
            obx(1, HR, "72", "")
        );
        let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
        assert_eq!(msa(&got.ack), "AA", "{i}: {}", got.ack);
        assert!(!got.ack.contains("already received"), "{i}: {}", got.ack);
    }
    assert_eq!(chair.session().state().readings.len(), 3);
}

/// An ORU^R01 holds repeating ORDER_OBSERVATION groups (OBR, then its OBX): an OBX
/// without OBX-14 is at its own OBR's OBR-7. Found: every OBX takes the FIRST OBR's
/// OBR-7, so SpO2 88 measured at 09:00:25 is put at 09:00:20, where it collides with
/// 91 and is silently dropped (AA, no note).
#[test]
fn each_obr_group_gives_its_own_time() {
    let mut chair = chair();
    let mut r = receiver(None);
    let text = [
        msh("B1", "20260314090030+0100"),
        "PID|||P-0042".into(),
        "OBR|1||||||20260314090020+0100".into(),
        obx(1, SPO2, "91", ""),
        "OBR|2||||||20260314090025+0100".into(),
        obx(2, SPO2, "88", ""),
    ]
    .join("\r");
    let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
    assert_eq!(msa(&got.ack), "AA", "{}", got.ack);
    let spo2: Vec<(String, f64)> = chair
        .session()
        .state()
        .readings
        .iter()
        .filter_map(|r| {
            let v = r.versions.last().unwrap();
            v.values
                .get(Vital::Spo2)
                .map(|x| (v.at.format("%H:%M:%S").to_string(), x))
        })
        .collect();
    assert_eq!(
        spo2,
        [
            ("09:00:20".to_string(), 91.0),
            ("09:00:25".to_string(), 88.0)
        ]
    );
}

/// An ORU^R01 may repeat its PATIENT_RESULT group (PID, then its OBR/OBX). Found: only
/// the first PID is checked; HR 130 of patient P-9999 is recorded in P-0042's session.
#[test]
fn observations_under_another_patients_pid_are_not_recorded() {
    let mut chair = chair();
    let mut r = receiver(None);
    let text = [
        msh("C1", "20260314090000+0100"),
        "PID|||P-0042".into(),
        obx(1, HR, "70", "20260314090000+0100"),
        "PID|||P-9999".into(),
        obx(2, HR, "130", "20260314090001+0100"),
    ]
    .join("\r");
    let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
    assert!(
        !hr_values(&chair).contains(&130.0),
        "another patient's HR recorded; ack {}",
        got.ack
    );
}

/// NIBP systolic, arterial systolic and arterial diastolic at one time: a blood pressure
/// is a pair from one channel. Found: recorded 120/80 "bp arterial" — the cuff's
/// systolic paired with the arterial line's diastolic, the arterial systolic 160 dropped.
#[test]
fn a_pressure_pair_is_never_made_of_two_channels() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let text = [
        msh("V24", at),
        "PID|||P-0042".into(),
        obx(1, "150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "120", at),
        obx(2, "150038^MDC_PRESS_BLD_ART_ABP_DIA^MDC", "80", at),
        obx(3, "150037^MDC_PRESS_BLD_ART_ABP_SYS^MDC", "160", at),
    ]
    .join("\r");
    let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
    assert_eq!(msa(&got.ack), "AA", "{}", got.ack);
    let v = chair.session().state().readings[0].versions[0].clone();
    let pair = (
        v.values.get(Vital::Systolic),
        v.values.get(Vital::Diastolic),
    );
    assert!(
        pair == (Some(160.0), Some(80.0)) || pair == (Some(120.0), None),
        "a pair from two channels: {pair:?}"
    );
}

/// Two values of one vital from the same channel at one time that disagree (97 and 85):
/// one is recorded, the other vanishes with a plain AA. It should at least be said.
#[test]
fn a_conflicting_value_of_the_same_channel_is_not_dropped_silently() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let text = [
        msh("V23", at),
        "PID|||P-0042".into(),
        obx(1, SPO2, "97", at),
        obx(2, SPO2, "85", at),
    ]
    .join("\r");
    let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
    let noted = chair.session().state().rejected_inputs.len();
    assert!(
        got.ack.contains("85") || noted > 0,
        "SpO2 85 dropped without a word: {}",
        got.ack
    );
}

/// docs/monitor-capture.md: "nothing recorded ... AE (102, 103) | each problem as a
/// rejected input". Found: the first AE's note says "further messages like it are
/// answered alike and not noted again" and every later AE 102 (a wrong unit, NaN, ST
/// type...) is missing from the log, though each is a different problem.
#[test]
fn each_message_answered_ae_is_noted() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let bodies = [
        format!("OBX|1|NM|{SPO2}||97,5||||||R|||{at}"),
        format!("OBX|1|NM|{SPO2}||97|266016^MDC_DIM_MMHG^MDC|||||R|||{at}"),
        format!("OBX|1|ST|{SPO2}||97||||||R|||{at}"),
    ];
    for (i, body) in bodies.iter().enumerate() {
        let text = format!("{}\rPID|||P-0042\r{body}\r", msh(&format!("E{i}"), at));
        let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
        assert_eq!(msa(&got.ack), "AE", "{}", got.ack);
    }
    let notes = &chair.session().state().rejected_inputs;
    assert_eq!(notes.len(), 3, "{notes:#?}");
}

/// An HL7 offset's minutes are 00-59 and offsets run from -12:00 to +14:00. Found:
/// `+0199` read as +02:39 and `+1500` kept (a FHIR R4 dateTime cannot hold +15:00: the
/// export then writes an invalid bundle that tests/fhir/validate.py does not catch).
#[test]
fn an_impossible_offset_is_refused() {
    assert!(hl7_time("20261201020010+0199", berlin()).is_err());
    assert!(hl7_time("20261201020011+1500", berlin()).is_err());
}

/// A DTM has at most 4 decimal places. Found: `.123456` silently read as .1234 (the log
/// says 02:00:07.123400), `.1234567` refused: either keep it exactly or refuse it.
#[test]
fn fractional_seconds_are_kept_or_refused_never_cut() {
    // Refused: a DTM has at most four decimal places.
    let why = hl7_time("20261201020007.123456", berlin()).unwrap_err();
    assert!(why.contains("4 decimal places"), "{why}");
    let kept = hl7_time("20261201020007.1234", berlin()).unwrap();
    assert_eq!(kept.format("%S%.6f").to_string(), "07.123400");
}

/// HL7 v2.7+ sends MSH-2 `^~\&#` (the truncation character). Found: answered AR
/// "message type '' is not taken", MSA-2 names 'ORU' as the control ID.
#[test]
fn msh_2_with_the_truncation_character_is_read() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let text = format!(
        "MSH|^~\\&#|MON^{DEVICE}^EUI-64|W|IV||{at}||ORU^R01^ORU_R01|T1|P|2.7\rPID|||P-0042\r{}\r",
        obx(1, HR, "73", at)
    );
    let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
    assert_eq!(msa(&got.ack), "AA", "{}", got.ack);
    assert!(got.ack.contains("|T1|"), "{}", got.ack);
}

/// One chair, one monitor: the session's device took the first message; a later one
/// whose MSH-3 names that device but whose OBX-18 says another device measured it.
/// Found: AA, recorded as `device:AAAAAAAAAAAAAAAA` in the one-device session.
#[test]
fn an_obx_18_of_another_device_is_rejected() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let first = format!(
        "{}\rPID|||P-0042\r{}\r",
        msh("F1", at),
        obx(1, HR, "70", at)
    );
    assert_eq!(
        msa(&r.receive(&mut chair, first.as_bytes(), t("09:01")).ack),
        "AA"
    );
    let other = format!(
        "MSH|^~\\&|{DEVICE}|W|IV||{at}||ORU^R01^ORU_R01|F2|P|2.6\rPID|||P-0042\rOBX|1|NM|{HR}||77||||||R|||20260314090001+0100||||AAAAAAAAAAAAAAAA^EUI-64\r"
    );
    let got = r.receive(&mut chair, other.as_bytes(), t("09:01"));
    assert_eq!(msa(&got.ack), "AR", "{}", got.ack);
}

fn sigterm(child: &std::process::Child) {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
}

fn wait_for_exit(child: &mut std::process::Child, limit: Duration) -> Option<i32> {
    let began = Instant::now();
    while began.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// docs: "opens the session at the first message it takes ... Exit 2: nothing was (no
/// message taken ...)". Found: a first frame that is not HL7 (or an ADT, or another
/// patient's) opens the session; SIGTERM then seals an empty log and exits 0. Without
/// --patient, an ADT^A01's PID-3 even becomes the session's patient, and the real
/// patient's messages are all answered AR.
#[test]
fn a_frame_not_taken_opens_no_session() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, address) = start_capture(
        &dir.path().join("data"),
        &dir.path().join("session.log.csv"),
        Some("P-0042"),
        Stdio::null(),
    );
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(&frame(b"\x00\x01garbage")).unwrap();
    let mut buffer = [0u8; 4096];
    let _ = stream.read(&mut buffer);
    drop(stream);
    std::thread::sleep(Duration::from_millis(300));
    sigterm(&child);
    let code = wait_for_exit(&mut child, Duration::from_secs(20));
    if code.is_none() {
        let _ = child.kill();
    }
    assert_eq!(code, Some(2), "no message was taken");
    assert!(!dir.path().join("session.log.csv").exists());
}

/// A sender that never reads its acknowledgements fills the socket; the connection's
/// thread then blocks in write_all (no write timeout). Found: SIGTERM never seals, the
/// capture hangs until that client goes away (the listener's drop joins the thread).
#[test]
fn sigterm_seals_even_when_a_client_does_not_read_its_acks() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, address) = start_capture(
        &dir.path().join("data"),
        &dir.path().join("session.log.csv"),
        Some("P-0042"),
        Stdio::null(),
    );
    let now = chrono::Local::now().fixed_offset() - chrono::Duration::seconds(60);
    let at = now.format("%Y%m%d%H%M%S%z").to_string();
    let good = format!(
        "{}\rPID|||P-0042\r{}\r",
        msh("G1", &at),
        obx(1, HR, "70", &at)
    );
    let mut ok = TcpStream::connect(&address).unwrap();
    ok.write_all(&frame(good.as_bytes())).unwrap();
    let mut buffer = [0u8; 4096];
    ok.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = ok.read(&mut buffer);
    let mut greedy = TcpStream::connect(&address).unwrap();
    greedy
        .set_write_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let junk: Vec<u8> = std::iter::repeat_n(frame(b"x"), 1000).flatten().collect();
    let began = Instant::now();
    while began.elapsed() < Duration::from_secs(10) {
        if greedy.write_all(&junk).is_err() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    sigterm(&child);
    let code = wait_for_exit(&mut child, Duration::from_secs(15));
    drop(greedy);
    if code.is_none() {
        let _ = wait_for_exit(&mut child, Duration::from_secs(15));
        let _ = child.kill();
    }
    assert_eq!(code, Some(0), "SIGTERM did not seal within 15 s");
}

/// A monitor's clock a little ahead of the chair's (monitors are rarely NTP-synced):
/// found, a reading stamped even 1 s after the chair's `now` is answered AE "is in the
/// future" and nothing is recorded; with the monitor 0.5 s ahead, every message whose
/// stamp rounds up past `now` (about half) is lost. A small skew should be tolerated
/// (and noted), not turn the capture off.
#[test]
fn a_monitor_clock_a_second_ahead_is_still_recorded() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090102+0100";
    let text = format!(
        "{}\rPID|||P-0042\r{}\r",
        msh("K1", at),
        obx(1, HR, "70", at)
    );
    let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
    assert_eq!(msa(&got.ack), "AA", "{}", got.ack);
    assert_eq!(chair.session().state().readings.len(), 1);
}
