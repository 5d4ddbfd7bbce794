//! `infusion-vitals capture` on a real loopback socket: the simulator's messages each
//! acknowledged, a malformed one answered AE with the session going on, the readings in
//! the sealed log as device readings after SIGTERM; and after SIGKILL, `recover` keeps
//! every reading that was acknowledged.

mod common;

use common::capture::{DEVICE, start_capture};
use infusion_vitals::capture::simulator::SimulatedMonitor;
use infusion_vitals::hl7::mllp::{Deframer, Piece, frame};
use infusion_vitals::session::Vital;
use infusion_vitals::session::events::Source;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Sends `text` and gives MSA-1 and the whole acknowledgement.
fn send(stream: &mut TcpStream, deframer: &mut Deframer, text: &str) -> (String, String) {
    stream.write_all(&frame(text.as_bytes())).unwrap();
    let mut buffer = [0u8; 4096];
    loop {
        let n = stream.read(&mut buffer).unwrap();
        assert!(n > 0, "the capture closed the connection");
        for piece in deframer.push(&buffer[..n]) {
            if let Piece::Message(ack) = piece {
                let ack = String::from_utf8(ack).unwrap();
                let code = ack.split("MSA|").nth(1).unwrap()[..2].to_string();
                return (code, ack);
            }
        }
    }
}

fn connect(address: &str) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// The simulator's last `seconds` seconds up to now, sent; how many readings were
/// acknowledged (a message carries one, two when its NIBP set has its own time).
fn send_minute(stream: &mut TcpStream, deframer: &mut Deframer, seconds: i64) -> usize {
    let now = chrono::Local::now().fixed_offset();
    let started = now - chrono::Duration::seconds(seconds);
    let mut monitor = SimulatedMonitor::new(DEVICE, Some("P-0042"), started);
    let mut readings = 0;
    for s in 0..seconds {
        let text = monitor
            .message_at(started + chrono::Duration::seconds(s))
            .unwrap();
        let (code, ack) = send(stream, deframer, &text);
        assert_eq!(code, "AA", "{ack}");
        readings += if text.contains("150021^") { 2 } else { 1 };
    }
    readings
}

fn device_readings(log: &Path) -> usize {
    let log = infusion_vitals::log::read_log(std::fs::File::open(log).unwrap()).unwrap();
    let state = infusion_vitals::session::SessionState::fold(&log.events).unwrap();
    state
        .readings
        .iter()
        .filter(|r| r.versions[0].source == Source::Device { id: DEVICE.into() })
        .filter(|r| {
            r.versions[0].values.get(Vital::HeartRate).is_some()
                || r.versions[0].values.get(Vital::Systolic).is_some()
        })
        .count()
}

#[test]
fn each_message_is_acknowledged_a_broken_one_gets_ae_and_sigterm_seals_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("captured.log.csv");
    let (child, address) = start_capture(
        &dir.path().join("data"),
        &log,
        Some("P-0042"),
        Stdio::piped(),
    );
    let mut stream = connect(&address);
    let mut deframer = Deframer::new();
    let mut readings = send_minute(&mut stream, &mut deframer, 30);
    let (code, ack) = send(
        &mut stream,
        &mut deframer,
        &format!(
            "MSH|^~\\&|MON^{DEVICE}^EUI-64|Y|||20260314||ORU^R01|BAD1|P|2.6\rOBX|1|NM|150456^^MDC||abc\r"
        ),
    );
    assert_eq!(code, "AE", "{ack}");
    readings += send_minute(&mut stream, &mut deframer, 5);
    drop(stream);
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("sealed log written to"), "{stdout}");
    assert_eq!(device_readings(&log), readings);
    // The log checks intact.
    let check = Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        .arg("check")
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn after_sigkill_recover_keeps_every_acknowledged_reading() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (mut child, address) = start_capture(
        &data,
        &dir.path().join("never.log.csv"),
        Some("P-0042"),
        Stdio::piped(),
    );
    let mut stream = connect(&address);
    let mut deframer = Deframer::new();
    let readings = send_minute(&mut stream, &mut deframer, 40);
    child.kill().unwrap();
    child.wait().unwrap();
    let out = dir.path().join("recovered");
    let recover = Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        .args(["recover", "-o"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(
        recover.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&recover.stdout)
    );
    let logs: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert_eq!(device_readings(&logs[0]), readings);
}

#[test]
fn a_client_that_stops_mid_message_or_tears_a_frame_leaves_the_capture_answering() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("captured.log.csv");
    let (child, address) = start_capture(
        &dir.path().join("data"),
        &log,
        Some("P-0042"),
        Stdio::piped(),
    );
    // A torn frame: the connection closes in the middle of a message.
    let mut torn = connect(&address);
    torn.write_all(&[0x0B]).unwrap();
    torn.write_all(b"MSH|^~\\&|half a mess").unwrap();
    drop(torn);
    // A sender that stops mid-message and stays connected holds no one else up.
    let mut stalled = connect(&address);
    stalled.write_all(&[0x0B]).unwrap();
    stalled.write_all(b"MSH|^~\\&|and then nothing").unwrap();
    // Garbage without framing, then a whole message on a fresh connection.
    let mut noisy = connect(&address);
    noisy.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
    let mut deframer = Deframer::new();
    let readings = send_minute(&mut noisy, &mut deframer, 3);
    assert!(readings >= 3);
    drop(stalled);
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("torn frame"), "{stderr}");
    assert!(stderr.contains("bytes outside an MLLP frame"), "{stderr}");
}
