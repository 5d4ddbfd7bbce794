//! Running `infusion-vitals import` as a user does, for the import tests: the exit code,
//! stdout's summary, stderr's messages, and the sealed log read back.

#![allow(dead_code)]

use infusion_vitals::log::read_log;
use infusion_vitals::session::Vital;
use infusion_vitals::session::{Event, VitalSet};
use std::path::Path;
use std::process::Command;

/// One `infusion-vitals import INPUT -o LOG FLAGS...`, as the user sees it.
pub struct Run {
    /// The input as given on the command line: the prefix of each stderr message.
    pub input: String,
    pub code: i32,
    pub out: String,
    pub err: String,
    /// The sealed log's events, read back with its seal verified; empty if none was written.
    pub events: Vec<Event>,
}

pub fn import(input: &Path, flags: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("session.log.csv");
    let output = Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        // The signing key in the build's scratch folder, not the user's data.
        .env("XDG_DATA_HOME", env!("CARGO_TARGET_TMPDIR"))
        .arg("import")
        .arg(input)
        .arg("-o")
        .arg(&log)
        .args(flags)
        .output()
        .expect("the binary runs");
    let events = match std::fs::File::open(&log) {
        Ok(file) => {
            read_log(file)
                .expect("the written log reads back sealed")
                .events
        }
        Err(_) => Vec::new(),
    };
    Run {
        input: input.display().to_string(),
        code: output.status.code().expect("exited normally"),
        out: String::from_utf8(output.stdout).unwrap(),
        err: String::from_utf8(output.stderr).unwrap(),
        events,
    }
}

impl Run {
    /// Asserts the exit code, showing what the run printed if it differs; on 2, that
    /// nothing was written.
    pub fn exits(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}--- stderr\n{}",
            self.out, self.err
        );
        if code == 2 {
            assert!(self.events.is_empty(), "nothing should be written");
        }
        self
    }

    /// The summary line that starts with `topic` ("file:", "columns used:"...).
    pub fn summary(&self, topic: &str) -> &str {
        let found = self.summaries(topic);
        assert_eq!(
            found.len(),
            1,
            "one '{topic}' line expected in:\n{}",
            self.out
        );
        found[0]
    }

    pub fn summaries(&self, topic: &str) -> Vec<&str> {
        self.out.lines().filter(|l| l.starts_with(topic)).collect()
    }
}

/// A reading's values as the import tests compare them: `SYS/DIA hr HR spo2 SPO2`, `-` for
/// a vital not measured.
pub fn show(v: &VitalSet) -> String {
    let n = |x: Option<f64>| x.map_or("-".to_string(), |x| x.to_string());
    let shown = format!(
        "{}/{} hr {} spo2 {}",
        n(v.get(Vital::Systolic)),
        n(v.get(Vital::Diastolic)),
        n(v.get(Vital::HeartRate)),
        n(v.get(Vital::Spo2))
    );
    // The respiratory rate only where there is one, so files without one read as before.
    match v.get(Vital::RespRate) {
        Some(rr) => format!("{shown} rr {rr}"),
        None => shown,
    }
}
