//! A fault a tester found: an export (or a report) written over the session log it reads.

use std::process::Command;

/// `export LOG --fhir -o LOG` (a slip of the hand: the log's own path as the output)
/// replaces the sealed session log with the JSON bundle, exit 0: the record the seal
/// vouched for is gone. The export must refuse to write over its input (exit 2,
/// nothing written), as `capture` refuses to replace a sealed log.
#[test]
fn export_never_writes_over_the_log_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_infusion-vitals");
    let log = dir.path().join("s.log.csv");
    let input = dir.path().join("in.csv");
    std::fs::write(
        &input,
        "time,systolic,diastolic,heart_rate,spo2\n2026-03-14T09:00:00+01:00,121,77,71,98\n",
    )
    .unwrap();
    let made = Command::new(bin)
        .args(["import"])
        .arg(&input)
        .arg("-o")
        .arg(&log)
        .args(["--patient", "P-1", "--data-dir"])
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    assert!(log.exists(), "{}", String::from_utf8_lossy(&made.stderr));
    let before = std::fs::read(&log).unwrap();
    let out = Command::new(bin)
        .arg("export")
        .arg(&log)
        .args(["--fhir", "-o"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        std::fs::read(&log).unwrap() == before,
        "the sealed log was replaced (export exit {:?})",
        out.status.code()
    );
    assert_eq!(out.status.code(), Some(2));
    // Nor a report, nor over another session log.
    let report = Command::new(bin)
        .arg("report")
        .arg(&log)
        .arg("-o")
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(report.status.code(), Some(2));
    assert!(
        std::fs::read(&log).unwrap() == before,
        "the report replaced the log"
    );
}
