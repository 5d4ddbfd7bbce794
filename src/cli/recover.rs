//! `infusion-vitals recover --data-dir DIR -o OUTDIR`: every session journal in the data
//! directory as a sealed session log, finished or not.

use crate::cli::exit;
use crate::clock::{Clock, format_time};
use crate::data_dir;
use crate::journal;
use crate::log::LogError;
use crate::log::file::{read_log_file, save_log};
use crate::log::read::salvage_journal_bytes;
use crate::log::seal::SealKey;
use crate::session::SessionState;
use crate::session::events::{Event, EventKind, RECOVERED_CUT, Source};
use crate::shown::say;
use std::io::Write;
use std::path::Path;

pub fn run(data: &Path, out_dir: &Path, clock: &dyn Clock, out: &mut dyn Write) -> i32 {
    let folder = data_dir::sessions(data);
    let journals = match journal::find(&folder) {
        Ok(j) => j,
        Err(e) => {
            say(
                out,
                format_args!(
                    "cannot read {}: {e}; nothing was written.",
                    folder.display()
                ),
            );
            return exit::NOTHING_WRITTEN;
        }
    };
    if let Err(e) = std::fs::create_dir_all(out_dir) {
        say(
            out,
            format_args!(
                "cannot create {}: {e}; nothing was written.",
                out_dir.display()
            ),
        );
        return exit::NOTHING_WRITTEN;
    }
    // Loaded once: every log this run writes is signed with the installation's key.
    let key = match crate::seal_key::load_or_create(data) {
        Ok(key) => key,
        Err(e) => {
            say(
                out,
                format_args!("cannot sign the logs: {e}; nothing was written."),
            );
            return exit::NOTHING_WRITTEN;
        }
    };
    let mut all_recovered = true;
    for path in &journals {
        let line = match recover_one(path, out_dir, clock, &key) {
            Ok((line, whole)) => {
                all_recovered &= whole;
                line
            }
            Err(why) => {
                all_recovered = false;
                format!("NOT RECOVERED: {why}")
            }
        };
        say(out, format_args!("{}: {line}", path.display()));
    }
    if journals.is_empty() {
        say(
            out,
            format_args!("no session journals in {}", folder.display()),
        );
    }
    if all_recovered {
        exit::OK
    } else {
        exit::PROBLEMS
    }
}

/// Seals one journal into `out_dir`, signed with `key`: what it said, and whether the
/// journal was whole (false: rows from a bad one on were left out, and the log says where
/// it was cut).
fn recover_one(
    path: &Path,
    out_dir: &Path,
    clock: &dyn Clock,
    key: &SealKey,
) -> Result<(String, bool), String> {
    let bytes = read_log_file(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let contents = salvage_journal_bytes(&bytes).map_err(|e| e.to_string())?;
    let mut events = contents.events;
    let state = SessionState::fold(&events).map_err(|e| e.to_string())?;
    if state.info.is_none() {
        let why = contents
            .broken
            .map_or_else(String::new, |e| format!(" before it breaks ({e})"));
        return Err(format!(
            "the journal holds no session (only its header){why}"
        ));
    }
    // Everything that verified is kept: a bad row cuts the journal there, never loses it.
    let broken = contents
        .broken
        .map(|e| format!("; {RECOVERED_CUT} {}: {e}", broken_row(&e)));
    let now = clock.now();
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let whole = broken.is_none();
    let cut = contents
        .cut
        .as_ref()
        .map(|(row, text)| {
            format!("; its last line (row {row}) was cut short by a crash and dropped: {text}")
        })
        .or(broken);
    let finished = state.closed_at.is_some();
    if !finished || !whole {
        let closed = if finished {
            "the session was closed"
        } else {
            "the session was not closed"
        };
        let note = format!(
            "recovered from journal {name} at {}; {closed}{}",
            format_time(&now),
            cut.clone().unwrap_or_default()
        );
        events.push(Event {
            seq: state.last_seq + 1,
            at: now,
            entered_at: now,
            by: "infusion-vitals recover".into(),
            source: Source::Manual,
            reason: None,
            kind: EventKind::SessionRecovered { note },
        });
    }
    let stem = name.strip_suffix(journal::EXTENSION).unwrap_or(&name);
    let (target, earlier) = free_target(out_dir, stem);
    save_log(&target, &events, &now, key)
        .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
    let kept = if earlier > 0 {
        format!(
            " ({earlier} earlier recovered log(s) of this journal beside it, kept as they were)"
        )
    } else {
        String::new()
    };
    Ok((
        format!(
            "{} events, {}{} -> {}{kept}",
            events.len(),
            if finished {
                "finished"
            } else {
                "unfinished, marked recovered"
            },
            cut.unwrap_or_default(),
            target.display()
        ),
        whole,
    ))
}

/// Where a journal named `stem` is recovered to in `out_dir`: `stem.log.csv`, or where an
/// earlier recovery left that, `stem-2.log.csv`, `-3`...: a log is evidence and is never
/// replaced (a second crash's recovery may hold more rows, or fewer). Also how many
/// earlier ones there are.
fn free_target(out_dir: &Path, stem: &str) -> (std::path::PathBuf, usize) {
    let taken = |p: &Path| p.exists() || p.is_symlink();
    let mut target = out_dir.join(format!("{stem}.log.csv"));
    let mut n = 1;
    while taken(&target) {
        n += 1;
        target = out_dir.join(format!("{stem}-{n}.log.csv"));
    }
    (target, n - 1)
}

/// The row a journal's first bad row is.
fn broken_row(e: &LogError) -> u64 {
    match e {
        LogError::Altered { row, .. } | LogError::Invalid { row, .. } => *row,
        LogError::Truncated { last_row } => *last_row + 1,
        LogError::Io(_) | LogError::NotALog(_) => 0,
    }
}
