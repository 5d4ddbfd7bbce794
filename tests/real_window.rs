//! The release binary in a real window, driven as a nurse drives it: an X server (Xvfb)
//! with a window manager (openbox, so the window can be minimized), keys typed by
//! `xdotool` at 25 ms a key, and the journal on disk read back for what was saved.
//!
//! Run by `cargo test --release --test real_window` (the README's test command and
//! `.ci/run` do): only a release build has these tests, since the window must be the one
//! a clinic runs. Needs `xvfb`, `openbox`, `xdotool` and Mesa's software renderer
//! (`.ci/run` installs them); a missing tool fails the test saying which.

#![cfg(not(debug_assertions))]

use infusion_vitals::journal;
use infusion_vitals::session::events::{AlertChange, EventKind, Priority};
use infusion_vitals::session::{Event, Vital};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The program under test: this build's, or another given in `INFUSION_VITALS_BIN` (to
/// see a test fail on the build before a fix).
fn app() -> String {
    std::env::var("INFUSION_VITALS_BIN")
        .unwrap_or_else(|_| env!("CARGO_BIN_EXE_infusion-vitals").to_string())
}

/// An X server with a window manager, stopped when dropped.
struct Screen {
    display: String,
    children: Vec<Child>,
    /// XDG_RUNTIME_DIR for the programs on it.
    runtime: tempfile::TempDir,
}

static NEXT_DISPLAY: AtomicU32 = AtomicU32::new(0);

fn tool(name: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        found,
        "{name} is missing: apt-get install -y xvfb openbox xdotool x11-utils"
    );
}

impl Screen {
    fn new(size: &str) -> Screen {
        for t in ["Xvfb", "openbox", "xdotool", "xprop"] {
            tool(t);
        }
        // A display number no other test of this run (nor, likely, anything else) uses.
        let n = 200 + (std::process::id() % 200) * 4 + NEXT_DISPLAY.fetch_add(1, Ordering::SeqCst);
        let display = format!(":{n}");
        let xvfb = Command::new("Xvfb")
            .args([
                &display,
                "-screen",
                "0",
                &format!("{size}x24"),
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts");
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        wait_for(Duration::from_secs(10), "the X server", || socket.exists());
        let runtime = tempfile::tempdir().expect("a runtime folder");
        let mut screen = Screen {
            display,
            children: vec![xvfb],
            runtime,
        };
        let wm = screen
            .command("openbox")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("openbox starts");
        screen.children.push(wm);
        std::thread::sleep(Duration::from_millis(800));
        screen
    }

    fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.display)
            .env("XDG_RUNTIME_DIR", self.runtime.path())
            // No sound device here: the program says so as a technical alarm.
            .env_remove("WAYLAND_DISPLAY");
        c
    }

    fn xdotool(&self, args: &[&str]) -> String {
        let out = self
            .command("xdotool")
            .args(args)
            .output()
            .expect("xdotool runs");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Starts the program with `args` and waits for its window.
    fn launch(&self, args: &[&str]) -> Window {
        let child = self
            .command(&app())
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the program starts");
        let pid = child.id().to_string();
        let mut id = String::new();
        wait_for(Duration::from_secs(30), "the program's window", || {
            id = self
                .xdotool(&["search", "--onlyvisible", "--pid", &pid])
                .lines()
                .last()
                .unwrap_or_default()
                .to_string();
            !id.is_empty()
        });
        // The first frames: fonts, the renderer.
        std::thread::sleep(Duration::from_secs(2));
        self.xdotool(&["windowactivate", "--sync", &id]);
        Window { child, id }
    }

    /// Types `text` at 25 ms a key; a Tab is the Tab key, a newline the Return key (as a
    /// keyboard sends it: `xdotool type` would send a Linefeed, which no keyboard has).
    fn type_keys(&self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.xdotool(&["key", "--delay", "25", "Return"]);
                std::thread::sleep(Duration::from_millis(25));
            }
            if !line.is_empty() {
                self.xdotool(&["type", "--delay", "25", line]);
            }
        }
    }

    /// Whether the window is minimized, as the window manager says.
    fn is_minimized(&self, window: &Window) -> bool {
        let out = self
            .command("xprop")
            .args(["-id", &window.id, "_NET_WM_STATE"])
            .output()
            .expect("xprop runs");
        String::from_utf8_lossy(&out.stdout).contains("_NET_WM_STATE_HIDDEN")
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        for c in self.children.iter_mut().rev() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

struct Window {
    child: Child,
    id: String,
}

impl Drop for Window {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether `ready` comes true within `limit`, asked every 100 ms.
fn poll(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if ready() {
            return true;
        }
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn wait_for(limit: Duration, what: &str, ready: impl FnMut() -> bool) {
    assert!(poll(limit, ready), "{what} did not come within {limit:?}");
}

/// The events of the one journal in `data`'s sessions folder, as saved so far.
fn journal_events(data: &Path) -> Vec<Event> {
    journal_events_in(&data.join("sessions"))
}

/// The events of the one journal in `folder`, as saved so far.
fn journal_events_in(folder: &Path) -> Vec<Event> {
    let found = journal::find(folder).unwrap_or_default();
    match found.as_slice() {
        [] => Vec::new(),
        [one] => journal::read(one).map(|c| c.events).unwrap_or_default(),
        many => panic!("one session expected, found {many:?}"),
    }
}

fn readings(events: &[Event]) -> Vec<[Option<f64>; Vital::COUNT]> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ReadingRecorded { values, .. } => Some(Vital::ALL.map(|v| values.get(v))),
            _ => None,
        })
        .collect()
}

/// A new session opened from the start screen with the keyboard alone (the cursor waits
/// in the patient identifier; Enter starts).
fn new_session_by_keyboard(screen: &Screen, data: &Path) -> Window {
    let data = data.to_str().expect("a UTF-8 temporary path");
    let window = screen.launch(&["--data-dir", data]);
    screen.type_keys("MRN-E2E\t72\tRN-E2E\n");
    let folder = Path::new(data);
    wait_for(Duration::from_secs(10), "the session's journal", || {
        !journal_events(folder).is_empty()
    });
    std::thread::sleep(Duration::from_millis(500));
    window
}

fn typed_readings_are_saved_exactly(size: &str) {
    let screen = Screen::new(size);
    let data = tempfile::tempdir().unwrap();
    let _window = new_session_by_keyboard(&screen, data.path());
    // No click: the cursor starts in Systolic and comes back there after each save;
    // the respiratory rate follows SpO2 in the Tab order.
    screen.type_keys("121\t80\t70\t98\t16\n");
    screen.type_keys("118\t76\t72\t97\t14\n");
    let want = vec![
        [Some(121.0), Some(80.0), Some(70.0), Some(98.0), Some(16.0)],
        [Some(118.0), Some(76.0), Some(72.0), Some(97.0), Some(14.0)],
    ];
    let mut got = Vec::new();
    poll(Duration::from_secs(10), || {
        got = readings(&journal_events(data.path()));
        got.len() >= 2
    });
    assert_eq!(got, want, "at {size}: the journal holds what was typed");
}

#[test]
fn readings_typed_at_25_ms_a_key_are_saved_as_typed_at_1600x1000() {
    typed_readings_are_saved_exactly("1600x1000");
}

#[test]
fn readings_typed_at_25_ms_a_key_are_saved_as_typed_at_1366x768() {
    typed_readings_are_saved_exactly("1366x768");
}

/// The demo minimized for 40 s: its simulated monitor keeps writing, and a medium alarm
/// left unacknowledged while hidden is escalated when it falls due.
#[test]
fn the_demo_runs_on_time_while_its_window_is_minimized() {
    let screen = Screen::new("1600x1000");
    let data = tempfile::tempdir().unwrap();
    let window = screen.launch(&["--demo", "--data-dir", data.path().to_str().unwrap()]);
    // The demo's blood pressure reaches a medium alarm some 90 s in; hide the window
    // before it does, and leave it hidden for its escalation 5 simulated minutes later.
    std::thread::sleep(Duration::from_secs(10));
    screen.xdotool(&["windowminimize", "--sync", &window.id]);
    assert!(
        screen.is_minimized(&window),
        "the window manager minimized it"
    );
    let mut counts = Vec::new();
    let hidden_since = Instant::now();
    let mut escalation = None;
    while hidden_since.elapsed() < Duration::from_secs(130) {
        std::thread::sleep(Duration::from_secs(10));
        // The demo journals apart from real sessions: DIR/demo with --data-dir.
        let events = journal_events_in(&data.path().join("demo").join("sessions"));
        counts.push(readings(&events).len());
        escalation = escalated_to_high(&events);
        if escalation.is_some() && counts.len() >= 4 {
            break;
        }
    }
    assert!(screen.is_minimized(&window), "still minimized throughout");
    assert!(
        counts.windows(2).all(|w| w[1] > w[0]),
        "readings every 10 s while hidden: {counts:?}"
    );
    let (medium_at, high_at) = escalation.expect("the medium alarm escalated while hidden");
    let late = (high_at - medium_at - infusion_vitals::chrono::Duration::minutes(5)).num_seconds();
    // 5 s of the demo's clock is a sixth of a second of the computer's.
    assert!(
        (0..=5).contains(&late),
        "escalated {late} s (simulated) after it fell due ({medium_at} -> {high_at})"
    );
}

/// When an alarm became medium, and when it was escalated to high for want of an
/// acknowledgement (as the journal entered them).
fn escalated_to_high(
    events: &[Event],
) -> Option<(infusion_vitals::clock::Time, infusion_vitals::clock::Time)> {
    let mut medium_since = std::collections::HashMap::new();
    for e in events {
        if let EventKind::Alert(a) = &e.kind {
            match (&a.change, a.priority) {
                (AlertChange::Raised { .. } | AlertChange::Escalated, Priority::Medium) => {
                    medium_since.insert(a.alert_id, e.entered_at);
                }
                (AlertChange::Escalated, Priority::High) => {
                    if let Some(since) = medium_since.get(&a.alert_id) {
                        return Some((*since, e.entered_at));
                    }
                }
                _ => {}
            }
        }
    }
    None
}

/// The infusion changes in the journal, by name.
fn infusion_changes(events: &[Event]) -> Vec<&'static str> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Infusion(c) => Some(c.name()),
            _ => None,
        })
        .collect()
}

/// Where the infusion's first control (Start, then Pause or Resume) and the reason field
/// are, in the window: the top bar's second row starts with the controls, at a fixed
/// place whatever the words beside them (`ui/live.rs`), in a window 1366 wide.
const FIRST_CONTROL: (i32, i32) = (88, 84);
const REASON_FIELD: (i32, i32) = (700, 83);

impl Screen {
    fn click_at(&self, window: &Window, (x, y): (i32, i32), clicks: u32) {
        self.xdotool(&[
            "mousemove",
            "--window",
            &window.id,
            &x.to_string(),
            &y.to_string(),
        ]);
        std::thread::sleep(Duration::from_millis(200));
        self.xdotool(&[
            "click",
            "--repeat",
            &clicks.to_string(),
            "--delay",
            "90",
            "1",
        ]);
    }
}

#[test]
fn a_double_click_on_pause_pauses_once() {
    let screen = Screen::new("1600x1000");
    let data = tempfile::tempdir().unwrap();
    let window = new_session_by_keyboard(&screen, data.path());
    screen.type_keys("124\t78\t72\t98\n");
    screen.click_at(&window, FIRST_CONTROL, 1);
    let started = poll(Duration::from_secs(5), || {
        infusion_changes(&journal_events(data.path())) == ["started"]
    });
    assert!(
        started,
        "a click at {FIRST_CONTROL:?} did not start the infusion: has the top bar moved? {:?}",
        infusion_changes(&journal_events(data.path()))
    );
    screen.click_at(&window, REASON_FIELD, 1);
    screen.type_keys("nausea");
    std::thread::sleep(Duration::from_millis(1500));
    // Pause turns into Resume under the pointer: the second click must not resume.
    screen.click_at(&window, FIRST_CONTROL, 2);
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(
        infusion_changes(&journal_events(data.path())),
        ["started", "paused"]
    );
}

/// Where "Connect a monitor..." is (the top bar's first line, at its right end, whatever
/// the names before it) and the monitor form's port field and Listen button, in a window
/// 1366 wide (`ui/live.rs`, `ui/monitor.rs`).
const CONNECT_MONITOR: (i32, i32) = (1264, 32);
const MONITOR_PORT: (i32, i32) = (711, 503);
const MONITOR_LISTEN: (i32, i32) = (496, 608);

/// Sends `text` framed and gives its acknowledgement (unframed), or none within 10 s.
fn exchange(stream: &mut std::net::TcpStream, text: &str) -> Option<String> {
    use infusion_vitals::hl7::mllp::{Deframer, Piece, frame};
    use std::io::{Read, Write};
    stream.write_all(&frame(text.as_bytes())).ok()?;
    let mut deframer = Deframer::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = stream.read(&mut buffer).ok().filter(|n| *n > 0)?;
        for piece in deframer.push(&buffer[..n]) {
            if let Piece::Message(ack) = piece {
                return Some(String::from_utf8_lossy(&ack).into_owned());
            }
        }
    }
}

#[test]
fn a_monitor_is_acknowledged_and_its_silence_alarmed_while_the_window_is_minimized() {
    use infusion_vitals::capture::simulator::SimulatedMonitor;
    use infusion_vitals::session::events::Source;
    let screen = Screen::new("1366x768");
    let data = tempfile::tempdir().unwrap();
    let window = new_session_by_keyboard(&screen, data.path());
    screen.click_at(&window, CONNECT_MONITOR, 1);
    std::thread::sleep(Duration::from_secs(1));
    // A port nothing listens on now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    screen.click_at(&window, MONITOR_PORT, 1);
    screen.xdotool(&["key", "ctrl+a"]);
    screen.type_keys(&port.to_string());
    screen.click_at(&window, MONITOR_LISTEN, 1);
    let mut stream = None;
    let listening = poll(Duration::from_secs(10), || {
        stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok();
        stream.is_some()
    });
    assert!(
        listening,
        "the window did not listen on {port} after clicks at {CONNECT_MONITOR:?}, {MONITOR_PORT:?}, {MONITOR_LISTEN:?}: has the top bar or the form moved?"
    );
    let mut stream = stream.unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    screen.xdotool(&["windowminimize", "--sync", &window.id]);
    assert!(
        screen.is_minimized(&window),
        "the window manager minimized it"
    );
    // Twenty seconds of a monitor, each message acknowledged by the hidden window.
    let now = infusion_vitals::chrono::Local::now().fixed_offset();
    let started = now - infusion_vitals::chrono::Duration::seconds(20);
    let mut monitor = SimulatedMonitor::new("0012340000000000", Some("MRN-E2E"), started);
    for s in 0..20 {
        let text = monitor
            .message_at(started + infusion_vitals::chrono::Duration::seconds(s))
            .unwrap();
        let ack = exchange(&mut stream, &text);
        assert!(
            ack.as_deref().is_some_and(|a| a.contains("MSA|AA|")),
            "message {s} while minimized: {ack:?}"
        );
    }
    let from_monitor = |events: &[Event]| {
        events
            .iter()
            .filter(|e| {
                matches!(e.kind, EventKind::ReadingRecorded { .. })
                    && matches!(&e.source, Source::Device { id } if id == "0012340000000000")
            })
            .count()
    };
    // 20 messages; the first carries the NIBP set too, at its own time.
    assert_eq!(from_monitor(&journal_events(data.path())), 21);
    // Then nothing: after the profile's 30 s the silence is a technical alarm, hidden or not.
    wait_for(
        Duration::from_secs(60),
        "the technical alarm of a silent monitor, while minimized",
        || {
            journal_events(data.path()).iter().any(|e| {
                matches!(&e.kind, EventKind::TechnicalAlarm { condition }
                    if condition.starts_with("monitor silent since"))
            })
        },
    );
    assert!(screen.is_minimized(&window), "still minimized throughout");
}
