//! Walks the folders given and audits every `.csv` below them on all cores, handing
//! each result back in the walk's order as soon as it and those before it are done:
//! memory holds a few files at a time, however many the folders hold.

use crate::audit::file::{Audited, FileAudit, Profiles, audit_bytes_unverified, verify_batch};
use crate::log::file::read_log_file;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Mutex};
use walkdir::WalkDir;

/// One thing the walk found: a file to audit, or a place it could not look into.
enum Found {
    File(PathBuf),
    Unreadable(PathBuf, String),
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Every `.csv` below the roots (a root may itself be a file), by name within each
/// folder, so two audits of the same folders list the files alike.
fn walk(roots: &[PathBuf]) -> impl Iterator<Item = Found> + '_ {
    roots.iter().flat_map(|root| {
        // Links are followed (a clinic may link each chair's folder in); a loop is reported.
        WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|entry| match entry {
                Ok(e) if e.file_type().is_file() && is_csv(e.path()) => {
                    Some(Found::File(e.into_path()))
                }
                // A pipe, a socket or a device named like a log: listed, never opened.
                Ok(e) if !e.file_type().is_dir() && is_csv(e.path()) => Some(Found::Unreadable(
                    e.into_path(),
                    "not a regular file (a named pipe, a socket or a device); not read".into(),
                )),
                Ok(_) => None,
                Err(e) => {
                    let path = e.path().map_or_else(PathBuf::new, Path::to_path_buf);
                    Some(Found::Unreadable(path, e.to_string()))
                }
            })
    })
}

/// How many `.csv` files the folders hold (for a progress bar), without reading them.
pub fn count(roots: &[PathBuf], cancel: &AtomicBool) -> usize {
    walk(roots)
        .take_while(|_| !cancel.load(Ordering::Relaxed))
        .count()
}

fn audit_found(found: Found, profiles: &Profiles) -> Audited {
    let refused = Audited::from;
    match found {
        Found::Unreadable(path, why) => refused(FileAudit::unreadable(path, why)),
        Found::File(path) => match read_log_file(&path) {
            Err(e) => refused(FileAudit::unreadable(
                path,
                format!("cannot read the file: {e}"),
            )),
            Ok(bytes) => {
                // Whatever a file holds, one file must never stop the audit of the others.
                let audited = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    audit_bytes_unverified(path.clone(), &bytes, profiles)
                }));
                audited.unwrap_or_else(|_| {
                    refused(FileAudit::unreadable(
                        path,
                        "the checker failed on this file".into(),
                    ))
                })
            }
        },
    }
}

/// Files handed to a worker at a time: a log takes some 40 µs, so one file a message
/// would spend as long switching threads as checking; and their signatures are verified
/// together, which costs about half as much a signature in a batch this size.
const FILES_PER_JOB: usize = 32;

/// Audits every `.csv` below `roots` on `workers` threads; `each` gets the results in
/// the walk's order. Stops early, between files, once `cancel` is set.
pub fn audit_folders(
    roots: &[PathBuf],
    profiles: &Profiles,
    workers: usize,
    cancel: &AtomicBool,
    mut each: impl FnMut(FileAudit),
) {
    let workers = workers.max(1);
    // At most this many batches between the walk and the report: a batch stuck on a slow
    // file holds the others back instead of letting results pile up behind it.
    let ahead = workers * 4;
    let (permits, permit) = sync_channel::<()>(ahead);
    for _ in 0..ahead {
        let _ = permits.send(());
    }
    let (jobs, pending) = sync_channel::<(usize, Vec<Found>)>(ahead);
    let pending = Arc::new(Mutex::new(pending));
    let (finished, done) = sync_channel::<(usize, Vec<FileAudit>)>(ahead);
    std::thread::scope(|s| {
        // Owned here, so that were the report to panic, the walk would see it gone.
        let permits = permits;
        s.spawn(move || {
            let mut found = walk(roots).take_while(|_| !cancel.load(Ordering::Relaxed));
            for job in 0.. {
                // No permit: the report stopped (it is dropped), so stop walking too.
                if permit.recv().is_err() {
                    break;
                }
                let batch: Vec<Found> = found.by_ref().take(FILES_PER_JOB).collect();
                if batch.is_empty() || jobs.send((job, batch)).is_err() {
                    break;
                }
            }
        });
        for _ in 0..workers {
            let finished = finished.clone();
            let pending = pending.clone();
            s.spawn(move || {
                loop {
                    let job = match pending.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => break,
                    };
                    let Ok((i, batch)) = job else { break };
                    let audits = batch
                        .into_iter()
                        .take_while(|_| !cancel.load(Ordering::Relaxed))
                        .map(|found| audit_found(found, profiles))
                        .collect();
                    // The batch's signatures at once: about half the cost of one by one.
                    let audits = verify_batch(audits);
                    if finished.send((i, audits)).is_err() {
                        break;
                    }
                }
            });
        }
        drop((finished, pending));
        // Batches come back as workers finish them; hand them on in the walk's order.
        let mut next = 0;
        let mut early = BTreeMap::new();
        for (i, audits) in done {
            early.insert(i, audits);
            while let Some(audits) = early.remove(&next) {
                audits.into_iter().for_each(&mut each);
                next += 1;
                let _ = permits.send(());
            }
        }
    });
}

/// The threads an audit uses: every core.
pub fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}
