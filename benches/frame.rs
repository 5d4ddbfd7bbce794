//! One frame of the live screen (layout, plots, tessellation of shapes) with a 4-hour
//! session of one reading a second: the target is under 4 ms of CPU. And what the
//! window's logic step costs when it wakes (the chair's tick and next deadline). Run
//! with `cargo bench --bench frame`.

use criterion::{Criterion, criterion_group, criterion_main};
use infusion_vitals::alerts::Profile;
use infusion_vitals::chrono::{DateTime, Duration};
use infusion_vitals::clock::{Clock, FixedClock, Time};
use infusion_vitals::commands::{Command, OnReject, OnWarning, ReadingEntry, Session};
use infusion_vitals::demo::vitals_at;
use infusion_vitals::session::events::{InfusionChange, SessionInfo, Source};
use infusion_vitals::ui::live::LiveScreen;
use std::hint::black_box;
use std::sync::Arc;

fn start() -> Time {
    DateTime::parse_from_rfc3339("2026-03-14T09:00:00+01:00").unwrap()
}

/// Four hours of a monitor streaming once a second, through the real commands.
fn four_hours_at_1_hz() -> (Session, Time) {
    let mut s = Session::open(
        Profile::default_profile(),
        SessionInfo::default(),
        start(),
        "RN-7",
        &FixedClock(start()),
    )
    .expect("the session opens");
    let begin = start() + Duration::minutes(10);
    let cmd = Command::Infusion {
        at: begin,
        by: "RN-7".into(),
        change: InfusionChange::Started {
            rate_mg_per_kg_h: Some(1.0),
        },
        reason: "bench".into(),
    };
    s.execute(cmd, &FixedClock(begin)).unwrap();
    let end = begin + Duration::hours(4);
    let mut at = begin;
    while at < end {
        at += Duration::seconds(1);
        let minutes = (at - start()).num_seconds() as f64 / 60.0 / 6.0; // a slow rise and fall
        let entry = ReadingEntry {
            at,
            values: vitals_at(minutes),
            by: "monitor".into(),
            source: Source::Device { id: "bench".into() },
            on_warning: OnWarning::KeepUnconfirmed,
            on_reject: OnReject::DropValues,
            via: Default::default(),
        };
        s.execute(Command::RecordReading(entry), &FixedClock(at))
            .unwrap();
    }
    (s, at)
}

/// What `App::logic` costs when it wakes: the chair's timed work at a time when nothing
/// is due, and the search for its next deadline (the alert engine and the audio manager
/// asked about the seconds ahead), over 4 hours of 1-Hz readings.
fn chair(c: &mut Criterion) {
    let (session, now) = four_hours_at_1_hz();
    let mut chair = infusion_vitals::chair::Chair::new(session, None);
    chair.tick(now);
    c.bench_function(
        "the chair's next deadline, 4 hours at 1 Hz (engine and audio asked ahead)",
        |b| b.iter(|| black_box(chair.next_deadline(black_box(now)))),
    );
    c.bench_function("the chair's tick with nothing due, 4 hours at 1 Hz", |b| {
        b.iter(|| black_box(chair.tick(black_box(now))))
    });
}

fn benches(c: &mut Criterion) {
    let (session, now) = four_hours_at_1_hz();
    let readings = session.state().readings.len();
    let clock: Arc<dyn Clock + Send + Sync> = Arc::new(FixedClock(now));
    let mut live = LiveScreen::new(
        session,
        clock,
        "RN-7",
        "bench.journal.csv".into(),
        None,
        None,
    );
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let mut dark = true;
    // Warm the fonts and layout caches as a running window has them.
    for _ in 0..3 {
        let _ = ctx.run_ui(input(), |ui| {
            live.ui(ui, &mut dark);
        });
    }
    eprintln!("live screen with {readings} readings");
    c.bench_function(
        "one frame of the live screen, 4 hours at 1 Hz (layout and tessellation)",
        |b| {
            b.iter(|| {
                let output = ctx.run_ui(input(), |ui| {
                    live.ui(ui, &mut dark);
                });
                black_box(ctx.tessellate(output.shapes, output.pixels_per_point))
            })
        },
    );
}

criterion_group!(frame, benches, chair);
criterion_main!(frame);
