//! The signed seal: a forger who recomputes the hash chain is caught by the signature,
//! a log signed elsewhere is untrusted under `--trusted-keys`, logs written before
//! signatures still check as intact and unsigned, and the key is made once, private.

mod common;

use common::forge;
use infusion_vitals::log::LogError;
use infusion_vitals::log::read::read_log_bytes;
use infusion_vitals::log::seal::SealKey;
use infusion_vitals::log::write::signed_log_bytes;
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_infusion-vitals"))
}

/// A log written before signatures existed (a copy of the sample
/// `normal-40min.log.csv` as it was then, kept apart so that regenerating the samples
/// leaves it as it is).
fn unsigned_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/unsigned-before-signatures.log.csv")
}

/// The sample's events, sealed again and signed with `key`.
fn signed_by(key: &SealKey) -> Vec<u8> {
    let log = read_log_bytes(&std::fs::read(unsigned_sample()).unwrap()).unwrap();
    signed_log_bytes(&log.events, &log.sealed_at, Some(key))
}

/// The first reading's systolic (column 10) set to 999.
fn systolic_999(i: usize, row: &str) -> String {
    let mut cells: Vec<&str> = row.split(',').collect();
    if i == 1 {
        assert_eq!(cells[1], "reading");
        cells[9] = "999";
    }
    cells.join(",")
}

fn check(path: &Path) -> (i32, String) {
    let out = bin().arg("check").arg(path).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn a_forged_value_with_the_chain_recomputed_is_altered() {
    let key = SealKey::from_secret(&[1; 32]);
    let forged = forge(&signed_by(&key), systolic_999);
    // The chain alone is satisfied: every row's hash matches, as it did before signing.
    match read_log_bytes(&forged) {
        Err(LogError::Altered { row, reason }) => {
            assert_eq!(row, 14, "the seal row");
            assert!(reason.contains("signature does not verify"), "{reason}");
        }
        other => panic!("a forged log must be altered, got {other:?}"),
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forged.log.csv");
    std::fs::write(&path, &forged).unwrap();
    let (code, line) = check(&path);
    assert_eq!(code, 1, "{line}");
    assert!(line.contains("NOT INTACT: altered at row 14"), "{line}");
}

#[test]
fn a_signature_moved_to_another_key_or_cut_is_altered() {
    let key = SealKey::from_secret(&[1; 32]);
    let other = SealKey::from_secret(&[2; 32]).public();
    // Naming another key (and its fingerprint) beside the original signature.
    let renamed = forge(&signed_by(&key), |_, row| {
        row.replace(&key.public().hex(), &other.hex())
            .replace(&key.public().fingerprint(), &other.fingerprint())
    });
    assert!(matches!(
        read_log_bytes(&renamed),
        Err(LogError::Altered { row: 14, .. })
    ));
    // A signature cell cut short.
    let cut = forge(&signed_by(&key), |_, row| {
        match row.contains(",seal,sealed,") {
            true => row[..row.len() - 2].to_string(),
            false => row.to_string(),
        }
    });
    assert!(matches!(
        read_log_bytes(&cut),
        Err(LogError::Altered { row: 14, .. })
    ));
}

#[test]
fn a_signed_log_reads_back_with_its_key() {
    let key = SealKey::from_secret(&[1; 32]);
    let log = read_log_bytes(&signed_by(&key)).unwrap();
    assert_eq!(log.signed_by, Some(key.public()));
}

#[test]
fn a_log_from_before_signatures_checks_intact_and_unsigned() {
    let (code, line) = check(&unsigned_sample());
    assert_eq!(code, 0, "{line}");
    assert!(line.contains(": intact: "), "{line}");
    assert!(line.trim_end().ends_with(", unsigned"), "{line}");
}

fn audit_json(dir: &Path, trusted: &Path) -> (i32, serde_json::Value) {
    let out = bin()
        .arg("audit")
        .arg(dir)
        .arg("--json")
        .arg("--trusted-keys")
        .arg(trusted)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

#[test]
fn under_trusted_keys_another_key_is_untrusted_and_no_key_unsigned() {
    let clinic = SealKey::from_secret(&[1; 32]);
    let elsewhere = SealKey::from_secret(&[2; 32]);
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    std::fs::write(logs.join("a-clinic.log.csv"), signed_by(&clinic)).unwrap();
    std::fs::write(logs.join("b-elsewhere.log.csv"), signed_by(&elsewhere)).unwrap();
    std::fs::copy(unsigned_sample(), logs.join("c-old.log.csv")).unwrap();
    let trusted = dir.path().join("trusted-keys.txt");
    let line = format!(
        "# the clinic's chairs\n\ned25519:{} chair 1, ward B\n",
        clinic.public().hex()
    );
    std::fs::write(&trusted, line).unwrap();

    let (code, report) = audit_json(&logs, &trusted);
    assert_eq!(code, 1, "{report}");
    let files = report.as_array().unwrap();
    let status: Vec<&str> = files
        .iter()
        .map(|f| f["status"].as_str().unwrap())
        .collect();
    assert_eq!(status, ["intact", "untrusted", "unsigned"], "{report}");
    assert_eq!(files[0]["trusted_as"], "chair 1, ward B");
    assert_eq!(files[0]["passed"], true);
    for f in &files[1..] {
        assert_eq!(f["passed"], false, "{f}");
        assert_eq!(f["checks"]["seal"], "fail", "{f}");
        // Still read: the protocol checks ran.
        assert_ne!(f["checks"]["reading_gaps"], "not-checked", "{f}");
    }
    assert_eq!(
        files[1]["signed_by"].as_str(),
        Some(elsewhere.public().fingerprint().as_str())
    );
    // `check` judges the same way, one line a file.
    let out = bin()
        .arg("check")
        .args(["a-clinic", "b-elsewhere", "c-old"].map(|n| logs.join(format!("{n}.log.csv"))))
        .arg("--trusted-keys")
        .arg(&trusted)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert!(lines[0].ends_with("(chair 1, ward B)"), "{lines:?}");
    assert!(lines[1].contains(": NOT TRUSTED: intact:"), "{lines:?}");
    assert!(
        lines[1].contains("which the trusted keys do not name"),
        "{lines:?}"
    );
    assert!(lines[2].contains(": NOT TRUSTED: intact:"), "{lines:?}");
    assert!(lines[2].contains("but unsigned"), "{lines:?}");
}

#[test]
fn a_trusted_keys_line_that_is_not_a_key_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let trusted = dir.path().join("keys.txt");
    std::fs::write(&trusted, "# ok\nnot-a-key chair 2\n").unwrap();
    let out = bin()
        .arg("audit")
        .arg(unsigned_sample())
        .arg("--trusted-keys")
        .arg(&trusted)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("line 2"), "{err}");
}

#[cfg(unix)]
#[test]
fn the_key_file_is_readable_by_its_user_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    infusion_vitals::seal_key::load_or_create(dir.path()).unwrap();
    let path = infusion_vitals::data_dir::seal_key(dir.path());
    let mode = std::fs::metadata(path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn threads_making_the_key_at_once_end_with_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let start = std::sync::Barrier::new(8);
    let keys: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    infusion_vitals::seal_key::load_or_create(dir.path())
                        .unwrap()
                        .public()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
    let again = infusion_vitals::seal_key::load_or_create(dir.path()).unwrap();
    assert_eq!(again.public(), keys[0]);
}

#[test]
fn processes_making_the_key_at_once_print_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..6)
        .map(|_| {
            bin()
                .arg("--data-dir")
                .arg(dir.path())
                .arg("key")
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let printed: Vec<String> = children
        .into_iter()
        .map(|c| String::from_utf8(c.wait_with_output().unwrap().stdout).unwrap())
        .collect();
    assert!(printed[0].starts_with("ed25519:"), "{}", printed[0]);
    assert!(printed.iter().all(|p| *p == printed[0]), "{printed:?}");
}

#[test]
fn import_signs_with_the_installation_key() {
    let data = tempfile::tempdir().unwrap();
    let key = bin()
        .arg("--data-dir")
        .arg(data.path())
        .arg("key")
        .output()
        .unwrap();
    let key = String::from_utf8(key.stdout).unwrap();
    let fingerprint = key
        .lines()
        .nth(1)
        .unwrap()
        .strip_prefix("# fingerprint ")
        .unwrap();
    let log = data.path().join("imported.log.csv");
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data/normal-40min.csv");
    let status = bin()
        .arg("--data-dir")
        .arg(data.path())
        .arg("import")
        .arg(&input)
        .arg("-o")
        .arg(&log)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0), "{status:?}");
    let (code, line) = check(&log);
    assert_eq!(code, 0, "{line}");
    assert!(
        line.contains(&format!("signed by key {fingerprint}")),
        "{line}"
    );
}

#[test]
fn one_forgery_among_many_is_found_by_the_audit_and_no_other() {
    // More logs than a worker's batch (32), so the forgery fails a batch of signatures
    // that is then verified one by one.
    let key = SealKey::from_secret(&[1; 32]);
    let dir = tempfile::tempdir().unwrap();
    let signed = signed_by(&key);
    for n in 0..40 {
        let bytes = match n {
            17 => forge(&signed, systolic_999),
            _ => signed.clone(),
        };
        std::fs::write(dir.path().join(format!("{n:02}.log.csv")), bytes).unwrap();
    }
    let out = bin()
        .arg("audit")
        .arg(dir.path())
        .arg("--json")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let altered: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "altered")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(altered.len(), 1, "{report}");
    assert!(altered[0].ends_with("17.log.csv"), "{altered:?}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_key_file_still_being_written_by_another_process_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = infusion_vitals::data_dir::seal_key(dir.path());
    // As another process leaves it between create_new (mode 0600) and its write.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&path).unwrap();
    let secret = "07".repeat(32);
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            std::fs::write(path, format!("{secret}\n")).unwrap();
        })
    };
    let key = infusion_vitals::seal_key::load_or_create(dir.path()).unwrap();
    writer.join().unwrap();
    assert_eq!(key.public(), SealKey::from_secret(&[7; 32]).public());
}

/// Every cell of a reading row, one at a time, given text no chair writes there.
fn each_cell_unreadable(log: &[u8]) -> impl Iterator<Item = (usize, Vec<u8>)> + '_ {
    // Columns 1 (`seq`) to 34: all but the row's own hash; column 2 (`record`) too.
    (0..34).map(move |column| {
        let forged = forge(log, |i, row| {
            let mut cells: Vec<String> = row.split(',').map(str::to_string).collect();
            if i == 1 {
                cells[column] = format!(" {}x", cells[column]);
            }
            cells.join(",")
        });
        (column, forged)
    })
}

#[test]
fn a_forged_cell_that_reads_as_no_event_is_altered_when_signed_and_invalid_when_not() {
    let key = SealKey::from_secret(&[1; 32]);
    for (column, forged) in each_cell_unreadable(&signed_by(&key)) {
        // A signed seal that no longer verifies is the finding, whatever the cell holds.
        match read_log_bytes(&forged) {
            Err(LogError::Altered { row: 14, reason }) => {
                assert!(reason.contains("signature"), "column {column}: {reason}")
            }
            other => panic!("column {column}: a forged signed log must be altered, got {other:?}"),
        }
    }
    // Unsigned, the chain is all there is: the row is invalid (a free-text cell such as
    // `by` may hold the text), never altered.
    let unsigned = std::fs::read(unsigned_sample()).unwrap();
    for (column, forged) in each_cell_unreadable(&unsigned) {
        let read = read_log_bytes(&forged);
        assert!(
            matches!(read, Ok(_) | Err(LogError::Invalid { row: 3, .. })),
            "column {column}: {:?}",
            read.err()
        );
    }
}

#[cfg(unix)]
#[test]
fn a_key_file_others_may_read_is_not_used_until_it_is_private_again() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let made = infusion_vitals::seal_key::load_or_create(dir.path()).unwrap();
    let path = infusion_vitals::data_dir::seal_key(dir.path());
    for mode in [0o640, 0o604, 0o660, 0o644] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let why = infusion_vitals::seal_key::load_or_create(dir.path())
            .expect_err("a key others may read must not sign")
            .to_string();
        assert!(why.contains(&format!("mode {mode:03o}")), "{why}");
        assert!(why.contains("chmod 600"), "{why}");
        // Never replaced: logs already signed name it.
        let out = bin()
            .arg("key")
            .arg("--data-dir")
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let again = infusion_vitals::seal_key::load_or_create(dir.path()).unwrap();
    assert_eq!(again.public(), made.public());
}
