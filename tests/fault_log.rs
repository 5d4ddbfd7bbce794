//! The program's own faults leave a trace: a warning through the `log` facade and a
//! panic with its backtrace are written to the data folder's fault log, with no patient
//! data in it, and the user is told where the file is.

mod common;

use common::*;
use infusion_vitals::fault_log;

#[test]
fn a_forced_panic_and_a_warning_are_written_with_no_patient_data() {
    let data = tempfile::tempdir().unwrap();
    let path = fault_log::install(data.path()).unwrap();
    assert_eq!(path, data.path().join("logs").join("infusion-vitals.log"));
    assert!(!path.exists(), "nothing is written before a fault");

    // A session with a patient, as at the chair, before the fault.
    let mut s = open_session(t("08:45"));
    record(&mut s, t("08:50"), bp(120, 80));
    let patient = s.state().info.as_ref().unwrap().patient_id.clone();
    assert!(!patient.is_empty());

    log::warn!("the sound device went away");
    let caught = std::panic::catch_unwind(|| panic!("a forced fault in a test build"));
    assert!(caught.is_err());

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("WARN") && text.contains("the sound device went away"),
        "{text}"
    );
    assert!(
        text.contains("PANIC") && text.contains("a forced fault in a test build"),
        "{text}"
    );
    assert!(
        text.contains("fault_log.rs"),
        "the backtrace or location names the code: {text}"
    );
    assert!(
        !text.contains(&patient),
        "no patient identifier in the fault log"
    );
}
