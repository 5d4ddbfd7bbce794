//! Nothing is lost: every event is on disk before the session shows it, a crash loses
//! at most the line being written, and `recover` turns any journal into a sealed log.

mod common;

use common::*;
use infusion_vitals::alerts::Profile;
use infusion_vitals::clock::FixedClock;
use infusion_vitals::commands::{
    Command, CommandError, EventStore, OnReject, OnWarning, ReadingEntry, Session,
};
use infusion_vitals::journal::{self, Journal};
use infusion_vitals::session::events::{Event, EventKind, SessionInfo, Source};
use std::io::Write;
use std::path::Path;
use std::process::Command as Process;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

fn stored_session(folder: &Path) -> Session {
    let path = journal::new_path(folder, &t("08:45"));
    let store = Box::new(Journal::create(&path).unwrap());
    Session::open_stored(
        Profile::default_profile(),
        SessionInfo {
            patient_id: "P-7".into(),
            ..SessionInfo::default()
        },
        t("08:45"),
        NURSE,
        store,
        &FixedClock(t("08:45")),
    )
    .unwrap()
}

fn only_journal(folder: &Path) -> std::path::PathBuf {
    let found = journal::find(folder).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    found.into_iter().next().unwrap()
}

#[test]
fn every_event_is_on_disk_when_the_command_returns() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = stored_session(dir.path());
    start_infusion(&mut s, t("09:00"));
    record(&mut s, t("09:05"), bp(205, 100));
    // Read by someone else, right now: the reading and its high alert are there.
    let on_disk = journal::read(&only_journal(dir.path())).unwrap();
    assert_eq!(on_disk.events, s.events());
    assert!(
        on_disk
            .events
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Alert(_)))
    );
}

#[test]
fn a_line_cut_by_a_crash_is_dropped_and_said_and_the_session_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = stored_session(dir.path());
    record(&mut s, t("08:50"), bp(120, 80));
    let shown = s.events().to_vec();
    drop(s);
    let path = only_journal(dir.path());
    // The machine died while writing the next row.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(b"4,reading,recorded,2026-03-14T08:55:00+01:00,2026-03-14T08:55")
        .unwrap();
    drop(file);

    let (store, contents) = Journal::reopen(&path).unwrap();
    assert_eq!(contents.events, shown, "everything shown as saved is kept");
    let (row, text) = contents.cut.clone().expect("the cut line is reported");
    assert_eq!(row, 4, "header, opened, reading, then the cut line");
    assert!(text.starts_with("4,reading,recorded"), "{text}");

    let mut s = Session::resume(
        Profile::default_profile(),
        contents.events,
        Some(Box::new(store)),
    )
    .unwrap();
    record(&mut s, t("08:56"), bp(122, 80));
    let again = journal::read(&path).unwrap();
    assert_eq!(again.events, s.events());
    assert_eq!(again.cut, None, "the journal is whole again");
}

#[derive(Clone, Default)]
struct FlakyDisk {
    full: Arc<AtomicBool>,
}

impl EventStore for FlakyDisk {
    fn store(&mut self, _: &Event) -> std::io::Result<()> {
        if self.full.load(Ordering::SeqCst) {
            Err(std::io::Error::other("No space left on device"))
        } else {
            Ok(())
        }
    }
}

#[test]
fn a_reading_that_cannot_be_written_is_not_shown_as_saved() {
    let disk = FlakyDisk::default();
    let mut s = Session::open_stored(
        Profile::default_profile(),
        SessionInfo::default(),
        t("08:45"),
        NURSE,
        Box::new(disk.clone()),
        &FixedClock(t("08:45")),
    )
    .unwrap();
    disk.full.store(true, Ordering::SeqCst);
    let entry = ReadingEntry {
        at: t("08:50"),
        values: bp(120, 80),
        by: NURSE.into(),
        source: Source::Manual,
        on_warning: OnWarning::Confirmed,
        on_reject: OnReject::RejectEntry,
        via: Default::default(),
    };
    let refused = s.execute(
        Command::RecordReading(entry.clone()),
        &FixedClock(t("08:50")),
    );
    match refused {
        Err(CommandError::NotSaved(why)) => assert!(why.contains("No space left"), "{why}"),
        other => panic!("expected NOT SAVED, got {other:?}"),
    }
    assert!(
        s.state().readings.is_empty(),
        "nothing unsaved is in the session"
    );
    assert_eq!(s.events().len(), 1);
    disk.full.store(false, Ordering::SeqCst);
    s.execute(Command::RecordReading(entry), &FixedClock(t("08:51")))
        .unwrap();
    assert_eq!(s.state().readings.len(), 1);
}

fn recover(data: &Path, out: &Path) -> (i32, String) {
    let o = Process::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        .args(["recover", "--data-dir"])
        .arg(data)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

#[test]
fn recover_writes_a_sealed_log_per_journal_that_check_accepts() {
    let data = tempfile::tempdir().unwrap();
    let sessions = data.path().join("sessions");
    std::fs::create_dir(&sessions).unwrap();
    // A finished session, an unfinished one, and one cut by a crash.
    let mut finished = stored_session(&sessions);
    record(&mut finished, t("08:50"), bp(120, 80));
    let close = Command::Close {
        at: t("09:00"),
        by: NURSE.into(),
        source: Source::Manual,
        reason: "done".into(),
    };
    finished.execute(close, &FixedClock(t("09:00"))).unwrap();
    let mut open = stored_session(&sessions);
    record(&mut open, t("08:52"), bp(124, 82));
    let before = journal::find(&sessions).unwrap();
    let mut cut = stored_session(&sessions);
    record(&mut cut, t("08:53"), bp(126, 84));
    let cut_path = journal::find(&sessions)
        .unwrap()
        .into_iter()
        .find(|p| !before.contains(p))
        .unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(&cut_path)
        .unwrap()
        .write_all(b"4,reading,rec")
        .unwrap();

    let out = tempfile::tempdir().unwrap();
    let (code, report) = recover(data.path(), out.path());
    assert_eq!(code, 0, "{report}");
    assert_eq!(report.lines().count(), 3, "{report}");
    assert!(report.contains("finished ->"), "{report}");
    assert!(report.contains("unfinished, marked recovered"), "{report}");
    assert!(report.contains("cut short by a crash"), "{report}");

    let logs: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(logs.len(), 3);
    let check = Process::new(env!("CARGO_BIN_EXE_infusion-vitals"))
        .arg("check")
        .args(&logs)
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // Each signed with the installation's key, made in the data directory at first use.
    let key = infusion_vitals::seal_key::load_or_create(data.path()).unwrap();
    let signed = format!("signed by key {}", key.public().fingerprint());
    let checked = String::from_utf8(check.stdout).unwrap();
    assert_eq!(checked.matches(&signed).count(), 3, "{checked}");
    let recovered = logs
        .iter()
        .filter(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("session,recovered")
        })
        .count();
    assert_eq!(
        recovered, 2,
        "the two unfinished sessions say they were recovered"
    );
}

/// A data folder whose one journal holds a session with one reading, left as a crash
/// leaves it: the folder (kept alive by the guard) and the journal's path.
fn journal_with_a_reading() -> (tempfile::TempDir, std::path::PathBuf) {
    let data = tempfile::tempdir().unwrap();
    let sessions = data.path().join("sessions");
    std::fs::create_dir(&sessions).unwrap();
    let mut s = stored_session(&sessions);
    record(&mut s, t("08:50"), bp(120, 80));
    drop(s);
    let path = only_journal(&sessions);
    (data, path)
}

/// The one log `recover` wrote into `out`, read back with its seal verified.
fn only_recovered(out: &Path) -> infusion_vitals::log::SealedLog {
    read_log_at(&first_file(out))
}

fn first_file(folder: &Path) -> std::path::PathBuf {
    std::fs::read_dir(folder)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

fn read_log_at(path: &Path) -> infusion_vitals::log::SealedLog {
    infusion_vitals::log::read_log(std::fs::File::open(path).unwrap()).unwrap()
}

/// The journal at `path` reopened and its session resumed, as the start screen does;
/// with the line a crash cut, if any.
fn resume_and(path: &Path) -> (Session, Option<(u64, String)>) {
    let (store, contents) = Journal::reopen(path).unwrap();
    let cut = contents.cut.clone();
    let s = Session::resume(
        Profile::default_profile(),
        contents.events,
        Some(Box::new(store)),
    )
    .unwrap();
    (s, cut)
}

#[test]
fn a_last_row_that_lost_its_line_end_is_finished_before_the_next_is_appended() {
    let (data, path) = journal_with_a_reading();
    // The machine died after the row and before its CRLF.
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, bytes.strip_suffix(b"\r\n").unwrap()).unwrap();

    let (mut s, cut) = resume_and(&path);
    assert_eq!(cut, None, "the row verified: it is kept, not cut");
    record(&mut s, t("08:56"), bp(122, 80));
    let shown = s.events().to_vec();
    assert_eq!(
        journal::read(&path).unwrap().events,
        shown,
        "no row glued to another"
    );
    let out = tempfile::tempdir().unwrap();
    let (code, report) = recover(data.path(), out.path());
    assert_eq!(code, 0, "{report}");
}

/// Cut the journal at every byte of its last row (the machine dying at each point of
/// the write), resume, enter a reading, and recover: every event the session showed as
/// saved is in the recovered log.
#[test]
fn a_crash_at_any_byte_of_the_last_row_then_a_resume_loses_nothing_shown() {
    let (data, path) = journal_with_a_reading();
    let whole = std::fs::read(&path).unwrap();
    let last_row_start = whole[..whole.len() - 2]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap()
        + 1;
    for cut in last_row_start..=whole.len() {
        std::fs::write(&path, &whole[..cut]).unwrap();
        let (mut s, _) = resume_and(&path);
        record(&mut s, t("08:56"), bp(122, 80));
        let shown = s.events().to_vec();
        drop(s);
        let out = tempfile::tempdir().unwrap();
        let (code, report) = recover(data.path(), out.path());
        assert_eq!(code, 0, "cut at byte {cut}: {report}");
        let sealed = only_recovered(out.path());
        for event in &shown {
            assert!(
                sealed.events.contains(event),
                "cut at byte {cut}: {event:?} lost"
            );
        }
    }
}

#[test]
fn an_altered_journal_is_recovered_up_to_its_last_good_row_and_marked_cut() {
    let data = tempfile::tempdir().unwrap();
    let sessions = data.path().join("sessions");
    std::fs::create_dir(&sessions).unwrap();
    let mut s = stored_session(&sessions);
    record(&mut s, t("08:50"), bp(120, 80));
    let path = only_journal(&sessions);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen(",120,", ",190,", 1);
    std::fs::write(&path, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let (code, report) = recover(data.path(), out.path());
    assert_eq!(code, 1);
    assert!(
        report.contains("recovered: cut at row 3: altered at row 3"),
        "{report}"
    );
    // What verified (the session's opening) is sealed, with the cut said in the log.
    let sealed = only_recovered(out.path());
    assert!(matches!(sealed.events[0].kind, EventKind::SessionOpened(_)));
    assert!(sealed.events.iter().any(|e| matches!(
        &e.kind,
        EventKind::SessionRecovered { note } if note.contains("recovered: cut at row 3")
    )));
    // The audit does not pass a session that lost rows in recovery.
    let recovered = first_file(out.path());
    let audit = infusion_vitals::audit::file::audit_bytes(
        recovered.clone(),
        &std::fs::read(&recovered).unwrap(),
        &infusion_vitals::audit::file::Profiles::as_recorded(),
    );
    use infusion_vitals::audit::checks::{Check, Verdict};
    assert_eq!(audit.verdict(Check::Complete), Verdict::Fail);
    assert!(
        audit
            .problems()
            .iter()
            .any(|p| p.starts_with("complete: ") && p.contains("recovered: cut at row 3")),
        "{:?}",
        audit.problems()
    );
}

#[test]
fn recovering_again_never_replaces_an_earlier_recovered_log() {
    let data = tempfile::tempdir().unwrap();
    let sessions = data.path().join("sessions");
    std::fs::create_dir(&sessions).unwrap();
    let mut s = stored_session(&sessions);
    record(&mut s, t("08:50"), bp(120, 80));
    let out = tempfile::tempdir().unwrap();
    assert_eq!(recover(data.path(), out.path()).0, 0);
    let first = only_recovered(out.path());
    let first_bytes = std::fs::read(first_file(out.path())).unwrap();
    // The chair goes on after the first recovery; a second one holds more.
    record(&mut s, t("08:55"), bp(124, 82));
    for n in 2..=3 {
        let (code, report) = recover(data.path(), out.path());
        assert_eq!(code, 0, "{report}");
        assert!(report.contains(&format!("-{n}.log.csv")), "{report}");
        assert!(report.contains("kept as they were"), "{report}");
    }
    let mut logs: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    logs.sort();
    assert_eq!(logs.len(), 3, "{logs:?}");
    let unchanged = logs
        .iter()
        .any(|p| std::fs::read(p).unwrap() == first_bytes);
    assert!(unchanged, "the first recovered log was replaced");
    // Sorted, `-2` and `-3` come before the first: the later recoveries hold more.
    assert!(first.events.len() < read_log_at(&logs[0]).events.len());
}

/// The child of [`a_kill_9_at_any_moment_of_resuming_and_appending_loses_nothing_shown`]:
/// resumes the journal named by `IV_CHILD_JOURNAL` as the start screen does, records a
/// reading, says `saved SEQ` once the session returned (the row fsynced), and again,
/// until it is killed. Without that variable (a plain `cargo test --ignored`) it does
/// nothing.
#[test]
#[ignore = "a child process of the kill -9 test, run by it"]
fn resume_and_append_until_killed() {
    let Some(path) = std::env::var_os("IV_CHILD_JOURNAL") else {
        return;
    };
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let (mut s, _) = resume_and(Path::new(&path));
        record(&mut s, t("08:56"), bp(110 + i % 40, 80));
        let seq = s.events().last().unwrap().seq;
        writeln!(out, "saved {seq}").unwrap();
        out.flush().unwrap();
    }
}

/// Real crashes, not cut bytes: a process resuming the journal and appending to it is
/// killed (SIGKILL on Unix) at a random moment, again and again, each time while it
/// reopens, finishes a row a crash left without its line end, or appends; `recover` then
/// holds every reading any of them had reported saved, and the log checks intact.
#[test]
fn a_kill_9_at_any_moment_of_resuming_and_appending_loses_nothing_shown() {
    let (data, path) = journal_with_a_reading();
    let mut saved = Vec::new();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..40 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let mut child = Process::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "resume_and_append_until_killed",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("IV_CHILD_JOURNAL", &path)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20 + (seed >> 33) % 60));
        child.kill().unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        // A line the kill cut short was never seen whole by anyone: only whole ones count.
        saved.extend(text.split_inclusive('\n').filter_map(|l| {
            l.strip_prefix("saved ")?
                .strip_suffix('\n')?
                .parse::<u64>()
                .ok()
        }));
    }
    assert!(
        saved.len() >= 40,
        "the children saved too little to test: {saved:?}"
    );
    let out = tempfile::tempdir().unwrap();
    let (code, report) = recover(data.path(), out.path());
    assert_eq!(code, 0, "{report}");
    let sealed = only_recovered(out.path());
    let seqs: Vec<u64> = sealed.events.iter().map(|e| e.seq).collect();
    for seq in &saved {
        assert!(
            seqs.contains(seq),
            "event {seq} was reported saved and is lost: {report}"
        );
    }
    let log = first_file(out.path());
    let check = Process::new(env!("CARGO_BIN_EXE_infusion-vitals"))
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
