//! Capture from a monitor, without sockets: PCD-01 messages (the simulator's and
//! hand-written ones, good and broken) through the receiver into a session, and the
//! acknowledgement each gets.

mod common;

use common::capture::*;
use common::*;
use infusion_vitals::capture::intake::hl7_time;
use infusion_vitals::capture::simulator::SimulatedMonitor;
use infusion_vitals::chair::Chair;
use infusion_vitals::session::Vital;
use infusion_vitals::session::events::{EventKind, Priority, Source};
use infusion_vitals::session::via::{BpChannel, HrChannel};
use proptest::prelude::*;

/// A message with `obx` (each `CODE|VALUE|UNIT|TIME`) from `device` for `patient`.
fn message(control: &str, device: &str, patient: &str, obx: &[&str]) -> String {
    let mut text = format!(
        "MSH|^~\\&|MON^{device}^EUI-64|W|IV||20260314090000+0100||ORU^R01^ORU_R01|{control}|P|2.6\rPID|||{patient}\rOBR|1||||||20260314090000+0100\r"
    );
    for (i, o) in obx.iter().enumerate() {
        let [code, value, unit, time] = o.split('|').collect::<Vec<_>>()[..] else {
            panic!("{o}")
        };
        text += &format!("OBX|{}|NM|{code}||{value}|{unit}|||||R|||{time}\r", i + 1);
    }
    text
}

#[test]
fn a_minute_of_the_simulator_is_recorded_as_device_readings_each_acknowledged() {
    let mut chair = chair();
    let mut r = receiver(None);
    let mut monitor = SimulatedMonitor::new(DEVICE, Some("P-0042"), t("09:00"));
    for s in 0..61 {
        let now = t("09:00") + chrono::Duration::seconds(s);
        let text = monitor.message_at(now).unwrap();
        let got = r.receive(&mut chair, text.as_bytes(), now);
        assert_eq!(msa(&got.ack), "AA", "{s}: {}", got.ack);
    }
    let state = chair.session().state();
    // 61 continuous readings and the NIBP set at its own time (20 s before 09:00).
    assert_eq!(state.readings.len(), 62);
    let nibp = state
        .readings
        .iter()
        .find(|r| r.versions[0].values.get(Vital::Systolic).is_some())
        .unwrap();
    let v = &nibp.versions[0];
    assert_eq!(v.at, t("09:00") - chrono::Duration::seconds(20));
    assert_eq!(v.values.get(Vital::HeartRate), None, "the cuff's set alone");
    let first = &state.readings[1].versions[0];
    assert_eq!(first.source, Source::Device { id: DEVICE.into() });
    assert!(first.values.get(Vital::Spo2).is_some());
    assert!(first.values.get(Vital::RespRate).is_some());
    assert_eq!(r.state().device.as_deref(), Some(DEVICE));
    assert_eq!(r.state().accepted, 61);
}

#[test]
fn the_ecg_heart_rate_is_read_before_the_oximeters_and_streams_wait_for_the_delay() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let text = message(
        "M1",
        DEVICE,
        "P-0042",
        &[
            &format!("149530^MDC_PULS_OXIM_PULS_RATE^MDC|90|264864^MDC_DIM_BEAT_PER_MIN^MDC|{at}"),
            &format!("147842^MDC_ECG_HEART_RATE^MDC|88|264864^MDC_DIM_BEAT_PER_MIN^MDC|{at}"),
            &format!("150456^MDC_PULS_OXIM_SAT_O2^MDC|85|262688^MDC_DIM_PERCENT^MDC|{at}"),
        ],
    );
    let got = r.receive(&mut chair, text.as_bytes(), t("09:00"));
    assert_eq!(msa(&got.ack), "AA", "{}", got.ack);
    let state = chair.session().state();
    let v = &state.readings[0].versions[0];
    assert_eq!(v.values.get(Vital::HeartRate), Some(88.0));
    // SpO2 85 from a stream: no alarm until it has lasted the condition delay.
    assert!(active_alerts(chair.session()).is_empty());
}

#[test]
fn an_nibp_of_200_from_the_monitor_raises_its_alarm() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let mmhg = "266016^MDC_DIM_MMHG^MDC";
    let text = message(
        "M1",
        DEVICE,
        "P-0042",
        &[
            &format!("150021^MDC_PRESS_BLD_NONINV_SYS^MDC|200|{mmhg}|{at}"),
            &format!("150022^MDC_PRESS_BLD_NONINV_DIA^MDC|95|{mmhg}|{at}"),
        ],
    );
    let got = r.receive(&mut chair, text.as_bytes(), t("09:00"));
    assert_eq!(msa(&got.ack), "AA");
    let v = &chair.session().state().readings[0].versions[0];
    assert_eq!(v.values.get(Vital::Systolic), Some(200.0));
    let alert = alert_on(chair.session(), SYSTOLIC_HIGH).expect("systolic 200 alarms");
    assert_eq!(alert.priority, Priority::High);
    let _ = (BpChannel::NonInvasive, HrChannel::Ecg);
}

#[test]
fn a_message_sent_again_is_acknowledged_and_not_recorded_twice() {
    let mut chair = chair();
    let mut r = receiver(None);
    let mut monitor = SimulatedMonitor::new(DEVICE, Some("P-0042"), t("09:00"));
    let text = monitor.message_at(t("09:01")).unwrap();
    for _ in 0..3 {
        let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
        assert_eq!(msa(&got.ack), "AA");
    }
    assert_eq!(chair.session().state().readings.len(), 1);
}

#[test]
fn another_patient_or_another_device_is_rejected_and_noted_once() {
    let mut chair = chair();
    let mut r = receiver(None);
    let ok = SimulatedMonitor::new(DEVICE, Some("P-0042"), t("09:00"))
        .message_at(t("09:01"))
        .unwrap();
    assert_eq!(
        msa(&r.receive(&mut chair, ok.as_bytes(), t("09:01")).ack),
        "AA"
    );
    // The first device to send is the session's: another is refused.
    let mut other = SimulatedMonitor::new("00AAAA0000000001", Some("P-0042"), t("09:00"));
    for s in 2..5 {
        let text = other
            .message_at(t("09:00") + chrono::Duration::seconds(s * 60))
            .unwrap();
        let got = r.receive(&mut chair, text.as_bytes(), t("09:05"));
        assert_eq!(msa(&got.ack), "AR", "{}", got.ack);
        assert!(
            got.ack.contains("is not the one this session takes"),
            "{}",
            got.ack
        );
    }
    let wrong = SimulatedMonitor::new(DEVICE, Some("P-9999"), t("09:00"))
        .message_at(t("09:02"))
        .unwrap();
    let got = r.receive(&mut chair, wrong.as_bytes(), t("09:02"));
    assert_eq!(msa(&got.ack), "AR");
    assert!(got.ack.contains("patient 'P-9999'"), "{}", got.ack);
    let state = chair.session().state();
    assert_eq!(state.readings.len(), 1);
    let rejected: Vec<&str> = state
        .rejected_inputs
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(rejected.len(), 2, "each kind once: {rejected:#?}");
    assert_eq!(r.state().rejected, 4);
}

#[test]
fn broken_messages_get_an_error_and_the_session_goes_on() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let pct = "262688^MDC_DIM_PERCENT^MDC";
    let cases: [(String, &str, &str); 6] = [
        ("not hl7 at all".into(), "AE", "MSH"),
        (
            message(
                "M1",
                DEVICE,
                "P-0042",
                &[&format!("999999^MDC_UNKNOWN^MDC|5||{at}")],
            ),
            "AE",
            // The code's ^ escaped as HL7 writes it in a field.
            "103^Table value not found^HL70357|E||||no observation this program reads (codes: 999999\\S\\MDC_UNKNOWN\\S\\MDC)",
        ),
        (
            message(
                "M2",
                DEVICE,
                "P-0042",
                &[&format!("150456^^MDC|9x|{pct}|{at}")],
            ),
            "AE",
            "not a number",
        ),
        (
            message(
                "M3",
                DEVICE,
                "P-0042",
                &[&format!("150456^^MDC|97|266016^MDC_DIM_MMHG^MDC|{at}")],
            ),
            "AE",
            "is not %",
        ),
        (
            message(
                "M4",
                DEVICE,
                "P-0042",
                &[&format!("150456^^MDC|97|{pct}|2026031409")],
            ),
            "AE",
            "is not given to the minute",
        ),
        (
            message(
                "",
                DEVICE,
                "P-0042",
                &[&format!("150456^^MDC|97|{pct}|{at}")],
            ),
            "AE",
            "MSH-10",
        ),
    ];
    for (text, code, says) in &cases {
        let got = r.receive(&mut chair, text.as_bytes(), t("09:00"));
        assert_eq!(msa(&got.ack), *code, "{text:?}: {}", got.ack);
        assert!(got.ack.contains(says), "{text:?}: {}", got.ack);
    }
    assert!(chair.session().state().readings.is_empty());
    // The session goes on: the next good message is taken.
    let good = message(
        "M9",
        DEVICE,
        "P-0042",
        &[&format!("150456^^MDC|97|{pct}|{at}")],
    );
    assert_eq!(
        msa(&r.receive(&mut chair, good.as_bytes(), t("09:00")).ack),
        "AA"
    );
    assert_eq!(chair.session().state().readings.len(), 1);
}

#[test]
fn a_value_out_of_range_is_dropped_with_a_note_and_the_rest_kept() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let text = message(
        "M1",
        DEVICE,
        "P-0042",
        &[
            &format!("150456^^MDC|130|%|{at}"),
            &format!("147842^^MDC|72|/min|{at}"),
            "150021^^MDC|abc|mm[Hg]|20260314090000+0100",
        ],
    );
    let got = r.receive(&mut chair, text.as_bytes(), t("09:00"));
    assert_eq!(msa(&got.ack), "AA", "{}", got.ack);
    assert!(got.ack.contains("2 value(s) not recorded"), "{}", got.ack);
    let state = chair.session().state();
    let v = &state.readings[0].versions[0];
    assert_eq!(v.values.get(Vital::HeartRate), Some(72.0));
    assert_eq!(v.values.get(Vital::Spo2), None);
    let notes: Vec<&str> = state
        .rejected_inputs
        .iter()
        .map(|n| n.text.as_str())
        .collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(
        notes.iter().any(|n| n.contains("'abc': not a number")),
        "{notes:#?}"
    );
    assert!(notes.iter().any(|n| n.contains("130")), "{notes:#?}");
}

#[test]
fn times_keep_their_offset_and_a_local_time_the_clocks_went_back_over_is_refused() {
    let t1 = hl7_time("20260314094107.25+0100", berlin()).unwrap();
    assert_eq!(t1.to_rfc3339(), "2026-03-14T09:41:07.250+01:00");
    let t2 = hl7_time("20260314094107-0330", berlin()).unwrap();
    assert_eq!(t2.to_rfc3339(), "2026-03-14T09:41:07-03:30");
    let t3 = hl7_time("20260314094107-0030", berlin()).unwrap();
    assert_eq!(t3.to_rfc3339(), "2026-03-14T09:41:07-00:30");
    // No offset: the chair's zone, summer or winter.
    let t4 = hl7_time("202607010900", berlin()).unwrap();
    assert_eq!(t4.to_rfc3339(), "2026-07-01T09:00:00+02:00");
    // 25 October 2026, 02:30 in Berlin happened twice.
    let why = hl7_time("202610250230", berlin()).unwrap_err();
    assert!(why.contains("happened twice"), "{why}");
    assert!(hl7_time("2026-03-14", berlin()).is_err());
}

#[test]
fn a_silent_monitor_raises_a_technical_alarm_once_a_silence() {
    let mut chair = chair();
    let mut r = receiver(None);
    let mut monitor = SimulatedMonitor::new(DEVICE, Some("P-0042"), t("09:00"));
    let text = monitor.message_at(t("09:01")).unwrap();
    r.receive(&mut chair, text.as_bytes(), t("09:01"));
    let technical = |chair: &Chair| {
        chair
            .session()
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::TechnicalAlarm { condition } => Some(condition.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let at = |s: i64| t("09:01") + chrono::Duration::seconds(s);
    r.check_silence(&mut chair, at(30), 30);
    assert!(technical(&chair).is_empty(), "30 s is not over 30 s");
    r.check_silence(&mut chair, at(31), 30);
    r.check_silence(&mut chair, at(90), 30);
    let raised = technical(&chair);
    assert_eq!(raised.len(), 1, "{raised:#?}");
    assert!(
        raised[0].starts_with("monitor silent since 09:01:00"),
        "{}",
        raised[0]
    );
    assert!(r.is_silent());
    // Back, then silent again: said again.
    let text = monitor.message_at(at(100)).unwrap();
    r.receive(&mut chair, text.as_bytes(), at(100));
    assert!(!r.is_silent());
    r.check_silence(&mut chair, at(200), 30);
    assert_eq!(technical(&chair).len(), 2);
}

proptest! {
    /// Whatever the bytes (a good message with bytes changed, cut or added), the
    /// receiver answers and never panics; a reading it records has a vital in range.
    #[test]
    fn any_bytes_get_an_answer_and_never_a_panic(
        flips in proptest::collection::vec((0usize..2000, any::<u8>()), 0..12),
        cut in 0usize..2000,
        tail in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let mut chair = chair();
        let mut r = receiver(None);
        let mut monitor = SimulatedMonitor::new(DEVICE, Some("P-0042"), t("09:00"));
        let mut bytes = monitor.message_at(t("09:05")).unwrap().into_bytes();
        for (at, b) in flips {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = b;
            }
        }
        bytes.truncate(cut.max(1));
        bytes.extend(tail);
        let got = r.receive(&mut chair, &bytes, t("09:05"));
        prop_assert!(["AA", "AE", "AR"].contains(&msa(&got.ack)), "{}", got.ack);
        for reading in &chair.session().state().readings {
            let v = &reading.versions[0].values;
            if let Some(spo2) = v.get(Vital::Spo2) {
                prop_assert!((50.0..=100.0).contains(&spo2));
            }
        }
    }

    /// Any text in any field (letters of every alphabet, HL7 delimiters and escapes,
    /// control characters), as a gateway's free text or a patient's name may bring:
    /// answered, never a panic. (Found: the parser crate's escape decoding panicked on a
    /// non-ASCII letter before an escape.)
    #[test]
    fn any_text_in_any_field_gets_an_answer(
        field in 0usize..40,
        text in "[\\PC\\\\|^&~\\r\\n\u{0}-\u{1f}]{0,24}",
    ) {
        let mut chair = chair();
        let mut r = receiver(None);
        let mut monitor = SimulatedMonitor::new(DEVICE, Some("P-0042"), t("09:00"));
        let message = monitor.message_at(t("09:05")).unwrap();
        // Replace the field'th field of the message (counting across segments).
        let mut fields: Vec<String> = message.split('|').map(str::to_string).collect();
        let i = 2 + field % (fields.len() - 2);
        fields[i] = text;
        let bytes = fields.join("|").into_bytes();
        let got = r.receive(&mut chair, &bytes, t("09:05"));
        prop_assert!(["AA", "AE", "AR"].contains(&msa(&got.ack)), "{}", got.ack);
    }

    /// The MLLP deframer gives back every message of a stream cut anywhere, with noise
    /// between frames counted, never read as a message.
    #[test]
    fn frames_cut_anywhere_come_out_whole(
        sizes in proptest::collection::vec(1usize..300, 1..40),
        noise in proptest::collection::vec(any::<u8>().prop_filter("not a frame start", |b| *b != 0x0B), 0..20),
    ) {
        use infusion_vitals::hl7::mllp::{Deframer, Piece, frame};
        let mut monitor = SimulatedMonitor::new(DEVICE, Some("P-0042"), t("09:00"));
        let messages: Vec<String> = (0..3)
            .map(|s| monitor.message_at(t("09:00") + chrono::Duration::seconds(s)).unwrap())
            .collect();
        let mut wire = noise.clone();
        for m in &messages {
            wire.extend(frame(m.as_bytes()));
        }
        let mut d = Deframer::new();
        let mut got = Vec::new();
        let mut rest = &wire[..];
        for size in sizes.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let n = (*size).min(rest.len());
            got.extend(d.push(&rest[..n]));
            rest = &rest[n..];
        }
        let read: Vec<Vec<u8>> = got
            .into_iter()
            .filter_map(|p| match p {
                Piece::Message(m) => Some(m),
                _ => None,
            })
            .collect();
        let expected: Vec<Vec<u8>> = messages.iter().map(|m| m.as_bytes().to_vec()).collect();
        prop_assert_eq!(read, expected);
    }
}

#[test]
fn a_monitor_that_restarts_its_control_ids_is_not_taken_for_one_resending() {
    let mut chair = chair();
    let mut r = receiver(None);
    let mut before = SimulatedMonitor::new(DEVICE, Some("P-0042"), t("09:00"));
    let mut after = SimulatedMonitor::new(DEVICE, Some("P-0042"), t("09:00"));
    let first = before.message_at(t("09:01")).unwrap();
    let restarted = after.message_at(t("09:02")).unwrap();
    assert!(first.contains("|SIM1|") && restarted.contains("|SIM1|"));
    for text in [first, restarted] {
        assert_eq!(
            msa(&r.receive(&mut chair, text.as_bytes(), t("09:02")).ack),
            "AA"
        );
    }
    assert_eq!(chair.session().state().readings.len(), 2);
}

#[test]
fn a_lead_or_probe_off_sends_no_value_which_is_neither_a_reading_nor_an_error() {
    let mut chair = chair();
    let mut r = receiver(None);
    let at = "20260314090000+0100";
    let off = message(
        "M1",
        DEVICE,
        "P-0042",
        &[
            &format!("147842^^MDC|0|/min|{at}"),
            &format!("150456^^MDC|255|%|{at}"),
        ],
    );
    let got = r.receive(&mut chair, off.as_bytes(), t("09:00"));
    assert_eq!(msa(&got.ack), "AA", "{}", got.ack);
    let half = message(
        "M2",
        DEVICE,
        "P-0042",
        &[
            &format!("147842^^MDC|0|/min|{at}"),
            &format!("150456^^MDC|97|%|{at}"),
        ],
    );
    assert_eq!(
        msa(&r.receive(&mut chair, half.as_bytes(), t("09:00")).ack),
        "AA"
    );
    let state = chair.session().state();
    assert_eq!(state.readings.len(), 1);
    let v = &state.readings[0].versions[0].values;
    assert_eq!(
        (v.get(Vital::HeartRate), v.get(Vital::Spo2)),
        (None, Some(97.0))
    );
    assert!(state.rejected_inputs.is_empty());
    assert_eq!(r.state().no_reading, 3);
}

#[test]
fn fifty_monitors_a_millisecond_apart_on_one_device_each_have_their_readings_recorded() {
    let mut chair = chair();
    let mut r = receiver(None);
    let mut monitors: Vec<SimulatedMonitor> = (0..50)
        .map(|i| {
            let mut m = SimulatedMonitor::new(
                DEVICE,
                Some("P-0042"),
                t("09:00") - chrono::Duration::milliseconds(i),
            );
            m.control_prefix = format!("SIM{i}-");
            m
        })
        .collect();
    let mut not_saved = Vec::new();
    for s in 0..20 {
        for m in monitors.iter_mut() {
            let at = m.started + chrono::Duration::seconds(s);
            let text = m.message_at(at).unwrap();
            let got = r.receive(&mut chair, text.as_bytes(), t("09:01"));
            assert_eq!(msa(&got.ack), "AA", "{}", got.ack);
            if got.saved == 0 {
                not_saved.push(got.ack.clone());
            }
        }
    }
    assert!(
        not_saved.is_empty(),
        "{} not saved, first: {:?}",
        not_saved.len(),
        not_saved.first()
    );
    assert_eq!(chair.session().state().readings.len(), 20 * 50 + 50);
}
