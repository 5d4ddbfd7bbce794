//! What the monitor-capture tests share: the receiver of a session for P-0042 opened at
//! 08:55, the acknowledgement's code, and the `capture` command on a free loopback port.

use super::{open_session, t};
use infusion_vitals::capture::intake::Rules;
use infusion_vitals::capture::receiver::Receiver;
use infusion_vitals::chair::Chair;
use infusion_vitals::hl7::codes::CodeTable;
use infusion_vitals::import::times::Zone;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The simulated monitor's EUI-64.
pub const DEVICE: &str = "0012340000000000";

pub fn berlin() -> Zone {
    "Europe/Berlin".parse().unwrap()
}

/// A receiver for patient P-0042 in Berlin, taking `device` (none: the first to send).
pub fn receiver(device: Option<&str>) -> Receiver {
    let rules = Rules {
        device: device.map(str::to_string),
        patient: Some("P-0042".into()),
        zone: berlin(),
    };
    Receiver::new(CodeTable::built_in(), rules, "capture")
}

/// A chair running a session for P-0042 opened at 08:55, in memory.
pub fn chair() -> Chair {
    Chair::new(open_session(t("08:55")), None)
}

/// MSA-1 of an acknowledgement.
pub fn msa(ack: &str) -> &str {
    ack.split("MSA|").nth(1).map_or("", |m| &m[..2])
}

/// `infusion-vitals capture` on a free loopback port in Berlin, sealing to `log`, for
/// `patient` (none: the first message's); the child and the address it listens on.
pub fn start_capture(
    data: &Path,
    log: &Path,
    patient: Option<&str>,
    stderr: Stdio,
) -> (Child, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_infusion-vitals"));
    command
        .args(["capture", "--listen", "127.0.0.1:0", "-o"])
        .arg(log)
        .arg("--data-dir")
        .arg(data)
        .env("TZ", "Europe/Berlin")
        .stdout(Stdio::piped())
        .stderr(stderr);
    if let Some(p) = patient {
        command.args(["--patient", p]);
    }
    let mut child = command.spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first
        .strip_prefix("listening on ")
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("{first}"))
        .to_string();
    (child, address)
}
