//! `infusion-vitals capture --listen HOST:PORT -o LOG [--patient ID] [--accept-device ID]
//! [--profile NAME] [--data-dir DIR]`: a session recorded from a monitor without a
//! window. It is journalled like a chair's session (every acknowledged reading is on
//! disk first, so a crash loses nothing: `recover` writes it), and on SIGINT or SIGTERM
//! it closes the session and seals the log. Exit 0: the log is written; 2: nothing was
//! (no message taken, the address or the log's folder unusable).

use crate::capture::chair_zone::chair_zone;
use crate::capture::intake::{Rules, take};
use crate::capture::listener::{Delivery, Listener};
use crate::capture::receiver::{Receiver, addressee};
use crate::chair::Chair;
use crate::cli::exit;
use crate::clock::Clock;
use crate::commands::{Command, Session};
use crate::hl7::ack::{Addressee, Answer, ErrorCondition, acknowledgement};
use crate::hl7::codes::CodeTable;
use crate::journal::{self, Journal};
use crate::log::file::save_log;
use crate::log::seal::SealKey;
use crate::session::events::{Protocol, SessionInfo, Source};
use crate::shown::say;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Who the capture's events are entered by.
pub const BY: &str = "capture";

#[derive(clap::Args, Debug)]
pub struct CaptureArgs {
    /// Where to listen for MLLP connections, e.g. 127.0.0.1:2575. Any other address than
    /// the loopback one is listened on only when given here.
    #[arg(long, value_name = "HOST:PORT")]
    pub listen: String,
    /// Where to write the sealed session log when the capture is stopped (SIGINT,
    /// Ctrl+C, or SIGTERM). An existing file is never replaced.
    #[arg(short = 'o', long = "output", value_name = "LOG")]
    pub output: PathBuf,
    /// The patient: a message naming another in PID-3 is rejected (AR). Without it, the
    /// first message's PID-3 is the session's patient.
    #[arg(long, value_name = "ID")]
    pub patient: Option<String>,
    /// The one device whose messages are taken, by MSH-3 or OBX-18 (an EUI-64, or the
    /// sending application's name); others are rejected (AR). Without it, the first
    /// device to send one.
    #[arg(long = "accept-device", value_name = "ID")]
    pub accept_device: Option<String>,
    /// The threshold profile: a built-in name or a .toml file (default: the built-in
    /// adult ketamine profile).
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
}

/// A session opened by the first message that names its patient.
struct Capturing {
    chair: Chair,
    receiver: Receiver,
    journal: PathBuf,
}

pub fn run(
    args: &CaptureArgs,
    data: &Path,
    key: &SealKey,
    clock: &dyn Clock,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let profile = match &args.profile {
        Some(name) => match crate::profiles::load(name) {
            Ok(profile) => profile,
            Err(e) => {
                say(err, format_args!("capture: threshold profile: {e}"));
                return exit::NOTHING_WRITTEN;
            }
        },
        None => crate::alerts::Profile::default_profile(),
    };
    if let Err(why) = output_usable(&args.output) {
        say(err, format_args!("capture: {why}"));
        return exit::NOTHING_WRITTEN;
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        if let Err(e) = signal_hook::flag::register(signal, stop.clone()) {
            say(err, format_args!("capture: cannot watch for signals: {e}"));
            return exit::NOTHING_WRITTEN;
        }
    }
    let listener = match Listener::bind(&args.listen, Arc::new(|| {})) {
        Ok(l) => l,
        Err(e) => {
            say(
                err,
                format_args!("capture: cannot listen on '{}': {e}", args.listen),
            );
            return exit::NOTHING_WRITTEN;
        }
    };
    let (zone, zone_note) = chair_zone();
    if let Some(note) = zone_note {
        say(err, format_args!("capture: {note}"));
    }
    if !listener.address().ip().is_loopback() {
        say(
            err,
            format_args!(
                "capture: listening on {}, which other computers can reach",
                listener.address()
            ),
        );
    }
    say(
        out,
        format_args!(
            "listening on {}; stop with Ctrl+C or SIGTERM to seal {}",
            listener.address(),
            args.output.display()
        ),
    );
    let _ = out.flush();
    let rules = Rules {
        device: args.accept_device.clone(),
        patient: args.patient.clone(),
        zone,
    };
    let silent_after = profile.stream.monitor_silent_after_s;
    let mut capturing: Option<Capturing> = None;
    while !stop.load(Ordering::SeqCst) {
        let delivery = listener.next(Duration::from_millis(250));
        let now = clock.now();
        match delivery {
            Some(Delivery::Message { bytes, reply, .. }) => {
                if capturing.is_none() {
                    match open(&bytes, &rules, &profile, data, clock) {
                        Ok(opened) => {
                            say(
                                out,
                                format_args!(
                                    "session opened; journal {}",
                                    opened.journal.display()
                                ),
                            );
                            capturing = Some(opened);
                        }
                        Err(refused) => {
                            let (to, answer) = *refused;
                            let _ = reply.send(acknowledgement(&to, &answer, now, 0));
                            continue;
                        }
                    }
                }
                if let Some(c) = capturing.as_mut() {
                    let received = c.receiver.receive(&mut c.chair, &bytes, now);
                    let _ = reply.send(received.ack);
                }
            }
            Some(Delivery::Problem { peer, text }) => {
                if let Some(c) = capturing.as_mut() {
                    c.receiver
                        .connection_problem(&mut c.chair, now, &peer.to_string(), &text);
                }
                say(err, format_args!("capture: {peer}: {text}"));
            }
            None => {}
        }
        if let Some(c) = capturing.as_mut() {
            c.chair.tick(now);
            c.receiver.check_silence(&mut c.chair, now, silent_after);
        }
    }
    drop(listener);
    let Some(mut c) = capturing else {
        say(
            err,
            format_args!(
                "capture: stopped before any message was taken; {} was not written",
                args.output.display()
            ),
        );
        return exit::NOTHING_WRITTEN;
    };
    seal(&mut c, &args.output, key, clock, out, err)
}

/// Closes the session and writes its sealed log.
fn seal(
    c: &mut Capturing,
    output: &Path,
    key: &SealKey,
    clock: &dyn Clock,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let now = clock.now();
    let close = Command::Close {
        at: now,
        by: BY.into(),
        source: Source::Manual,
        reason: "capture stopped (SIGINT or SIGTERM)".into(),
    };
    if let Err(e) = c.chair.execute(close, now) {
        say(
            err,
            format_args!("capture: the session could not be closed: {e}"),
        );
    }
    let events = c.chair.session().events();
    if let Err(e) = save_log(output, events, &now, key) {
        say(
            err,
            format_args!(
                "capture: cannot write {}: {e}; the journal {} keeps every reading: run `infusion-vitals recover`",
                output.display(),
                c.journal.display()
            ),
        );
        return exit::NOTHING_WRITTEN;
    }
    let state = c.receiver.state();
    say(
        out,
        format_args!(
            "sealed log written to {}: {} reading(s) from {}; messages answered AA {}, AE {}, AR {}",
            output.display(),
            c.chair.session().state().readings.len(),
            state.device.as_deref().unwrap_or("no device"),
            state.accepted,
            state.errors,
            state.rejected
        ),
    );
    exit::OK
}

/// The session the first message opens: its patient is `--patient`, else the message's
/// PID-3. The session journals in the data directory, as a chair's does.
fn open(
    message: &[u8],
    rules: &Rules,
    profile: &crate::alerts::Profile,
    data: &Path,
    clock: &dyn Clock,
) -> Result<Capturing, Box<(Addressee, Answer)>> {
    let oru = crate::hl7::oru::read(message).map_err(|why| {
        Box::new((
            Addressee::default(),
            Answer::error(ErrorCondition::DataTypeError, why.to_string()),
        ))
    })?;
    let to = addressee(&oru);
    let Some(patient) = rules.patient.clone().or(oru.patient.clone()) else {
        return Err(Box::new((
            to,
            Answer::error(
                ErrorCondition::RequiredFieldMissing,
                "no patient: the capture was started without --patient and the message has no PID-3",
            ),
        )));
    };
    let rules = Rules {
        patient: Some(patient.clone()),
        ..rules.clone()
    };
    // Only a message that would be taken opens the session (and its journal): not
    // garbage, not another message type, not another patient's.
    let codes = CodeTable::built_in();
    if let Err(answer) = take(&oru, &codes, &rules, BY) {
        return Err(Box::new((to, answer)));
    }
    let internal = |why: String| {
        Box::new((
            to.clone(),
            Answer::error(ErrorCondition::ApplicationInternalError, why),
        ))
    };
    let folder = crate::data_dir::sessions(data);
    std::fs::create_dir_all(&folder)
        .map_err(|e| internal(format!("cannot create {}: {e}", folder.display())))?;
    let path = journal::new_path(&folder, &clock.now());
    let store = Journal::create(&path)
        .map_err(|e| internal(format!("cannot create the journal {}: {e}", path.display())))?;
    let info = SessionInfo {
        patient_id: patient.clone(),
        weight_kg: None,
        protocol: Protocol::default(),
        profile_name: profile.name.clone(),
        profile_version: profile.version.clone(),
    };
    let session = Session::open_stored(
        profile.clone(),
        info,
        clock.now(),
        BY,
        Box::new(store),
        clock,
    )
    .map_err(|e| internal(e.to_string()))?;
    let mut chair = Chair::new(session, None);
    chair.set_sound_unavailable(Some(
        "the capture runs without a window: alarms are recorded in the log, not sounded".into(),
    ));
    Ok(Capturing {
        chair,
        receiver: Receiver::new(codes, rules, BY),
        journal: path,
    })
}

/// The log's folder exists and no file is at its path: found out now, not hours later
/// when the capture stops.
fn output_usable(output: &Path) -> Result<(), String> {
    if output.exists() {
        return Err(format!(
            "{} exists; a sealed log is never replaced: name another",
            output.display()
        ));
    }
    let folder = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(format!("the folder {} does not exist", folder.display()));
    }
    Ok(())
}
