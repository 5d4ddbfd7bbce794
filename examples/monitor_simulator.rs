//! Simulated patient monitors sending IHE PCD-01 ORU^R01 messages over MLLP, one a
//! second each, and counting the acknowledgements (`infusion_vitals::capture::simulator`
//! makes the messages).
//!
//! ```sh
//! cargo run --example monitor_simulator -- --to 127.0.0.1:2575 --patient P-0042
//! cargo run --release --example monitor_simulator -- --to 127.0.0.1:2575 --monitors 50 --seconds 600
//! ```
//!
//! Each monitor is a thread with its own connection and EUI-64. `--fast` sends the next
//! message as soon as the last is acknowledged, the simulated time a second further
//! (ending now), for tests. `--same-device` gives every monitor the first one's EUI-64, so
//! that a capture, which takes one device, records every message (a load test's worst
//! case). Prints one line a monitor: messages sent and answered AA,
//! AE, AR; exits 1 when a message got no answer.

use infusion_vitals::capture::simulator::SimulatedMonitor;
use infusion_vitals::hl7::mllp::{Deframer, Piece, frame};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

struct Options {
    to: String,
    monitors: usize,
    seconds: i64,
    patient: Option<String>,
    fast: bool,
    same_device: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        to: "127.0.0.1:2575".into(),
        monitors: 1,
        seconds: 60,
        patient: None,
        fast: false,
        same_device: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--to" => o.to = value()?,
            "--monitors" => {
                o.monitors = value()?.parse().map_err(|e| format!("--monitors: {e}"))?
            }
            "--seconds" => o.seconds = value()?.parse().map_err(|e| format!("--seconds: {e}"))?,
            "--patient" => o.patient = Some(value()?),
            "--fast" => o.fast = true,
            "--same-device" => o.same_device = true,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

#[derive(Default)]
struct Count {
    sent: u64,
    aa: u64,
    ae: u64,
    ar: u64,
    unanswered: u64,
}

/// Monitor `i`, its clock read at `now` by the main thread: read in each thread, the
/// threads' start would shift the millisecond that sets the monitors apart.
fn run_monitor(
    i: usize,
    o: &Options,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Result<Count, String> {
    let n = if o.same_device { 0 } else { i as u64 };
    let device = format!("{:016X}", 0x0012_3400_0000_0000u64 + n);
    let mut stream = TcpStream::connect(&o.to).map_err(|e| format!("{}: {e}", o.to))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    // Each monitor a millisecond apart: monitors sharing a device (`--same-device`) then
    // send readings of their own times, none taken for another's resending.
    let started = if o.fast {
        now - chrono::Duration::seconds(o.seconds)
    } else {
        now
    } - chrono::Duration::milliseconds(i as i64);
    let mut monitor = SimulatedMonitor::new(&device, o.patient.as_deref(), started);
    monitor.control_prefix = format!("SIM{i}-");
    let mut count = Count::default();
    let began = Instant::now();
    let mut deframer = Deframer::new();
    let mut buffer = [0u8; 4096];
    for s in 0..o.seconds {
        if !o.fast {
            let due = Duration::from_secs(s as u64);
            if let Some(wait) = due.checked_sub(began.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        let at = started + chrono::Duration::seconds(s);
        let Some(message) = monitor.message_at(at) else {
            continue;
        };
        stream
            .write_all(&frame(message.as_bytes()))
            .map_err(|e| e.to_string())?;
        count.sent += 1;
        let ack = loop {
            let n = match stream.read(&mut buffer) {
                Ok(0) | Err(_) => break None,
                Ok(n) => n,
            };
            if let Some(Piece::Message(ack)) = deframer
                .push(&buffer[..n])
                .into_iter()
                .find(|p| matches!(p, Piece::Message(_)))
            {
                break Some(ack);
            }
        };
        let text = ack.map(|a| String::from_utf8_lossy(&a).into_owned());
        match text
            .as_deref()
            .and_then(|t| t.split("MSA|").nth(1))
            .map(|m| &m[..2])
        {
            Some("AA") => count.aa += 1,
            Some("AE") => count.ae += 1,
            Some("AR") => count.ar += 1,
            _ => {
                count.unanswered += 1;
                break;
            }
        }
    }
    Ok(count)
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("monitor_simulator: {e}");
            std::process::exit(2);
        }
    };
    let o = std::sync::Arc::new(o);
    let now = chrono::Local::now().fixed_offset();
    let threads: Vec<_> = (0..o.monitors)
        .map(|i| {
            let o = o.clone();
            std::thread::spawn(move || run_monitor(i, &o, now))
        })
        .collect();
    let mut failed = false;
    for (i, t) in threads.into_iter().enumerate() {
        match t.join() {
            Ok(Ok(c)) => {
                failed |= c.unanswered > 0;
                println!(
                    "monitor {i}: sent {}, AA {}, AE {}, AR {}, unanswered {}",
                    c.sent, c.aa, c.ae, c.ar, c.unanswered
                );
            }
            Ok(Err(e)) => {
                failed = true;
                println!("monitor {i}: {e}");
            }
            Err(_) => failed = true,
        }
    }
    std::process::exit(i32::from(failed));
}
