//! One frame of the live screen (layout, plots, tessellation of shapes) with a 4-hour
//! session of one reading a second: the target is under 4 ms of CPU. Run with
//! `cargo bench --bench frame`.

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

criterion_group!(frame, benches);
criterion_main!(frame);
