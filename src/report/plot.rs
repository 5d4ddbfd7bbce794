//! The report's trend plot: blood pressure and heart rate over the session, SpO2 under it,
//! and respiratory rate under that when the session has one.
//! Bounded on any log: its series are thinned as the window's trends are
//! (`session::trend`), values that are not finite numbers are left out, and its value
//! axes never reach beyond the profile's accepted ranges (a forged 1e9 is drawn at the
//! top edge), so the number of grid lines and points is fixed, whatever the log holds.

use super::pages::{BLUE, GREEN, GREY, MARGIN_MM, PURPLE, Pages, RED, Rgb3, WIDTH_MM};
use crate::alerts::Profile;
use crate::clock::Time;
use crate::session::SessionState;
use crate::session::events::InfusionChange;
use crate::session::reading::{Vital, format_value};
use crate::session::summary::SessionSummary;
use crate::session::trend::{self, MARKERS_UP_TO};
use chrono::{Duration, FixedOffset};
use printpdf::BuiltinFont;

/// Steps between time labels, minutes: whole clock times.
const TIME_STEPS_MIN: [i64; 9] = [15, 30, 60, 120, 180, 240, 360, 720, 1440];

/// Most time labels under the plot (140 mm wide): 15 min apart up to 2 h, as before.
const TIME_TICKS: f64 = 8.0;

/// Blood pressure and heart rate in one panel, SpO2 under it, over the session's time,
/// with the baseline systolic and the infusion's start and stop marked.
pub fn trend_plot(
    p: &mut Pages,
    s: &SessionSummary,
    state: &SessionState,
    profile: &Profile,
    offset: &FixedOffset,
) {
    let (Some(from), Some(to)) = (s.opened_at, s.ended_at) else {
        p.para("No readings.");
        return;
    };
    let span_s = (to - from).num_seconds().max(60) as f64;
    let (left, right) = (MARGIN_MM + 14.0, WIDTH_MM - MARGIN_MM - 26.0);
    // Seconds since the opening to millimetres, inside the plot.
    let x_of = |seconds: f64| left + (right - left) * (seconds / span_s).clamp(0.0, 1.0) as f32;
    let seconds = |t: Time| (t - from).num_milliseconds() as f64 / 1000.0;
    let x = |t: &Time| x_of(seconds(*t));
    let series = |vital: Vital| trend::series(state, vital, seconds);
    let mut panels = vec![
        (
            "mmHg, /min",
            55.0_f32,
            vec![
                (Vital::Systolic, RED, None, "systolic"),
                (Vital::Diastolic, RED, Some(3), "diastolic"),
                (Vital::HeartRate, BLUE, None, "heart rate"),
            ],
        ),
        ("SpO2 %", 25.0, vec![(Vital::Spo2, GREEN, None, "SpO2")]),
    ];
    // Respiratory rate under SpO2, in a panel of its own, when the session has one.
    if !series(Vital::RespRate).is_empty() {
        panels.push((
            "RR /min",
            25.0,
            vec![(Vital::RespRate, PURPLE, None, "resp. rate")],
        ));
    }
    for (unit, height, vitals) in panels {
        p.room(height + 14.0);
        let top = p.y + 7.0;
        let bottom = top + height;
        let data: Vec<_> = vitals.iter().map(|(v, ..)| series(*v)).collect();
        // The widest the axis may be: the accepted ranges of the panel's vitals.
        let (least, most) = vitals
            .iter()
            .map(|(v, ..)| profile.validation.range(*v).accept)
            .fold((f64::MAX, f64::MIN), |(lo, hi), (a, b)| {
                (lo.min(a), hi.max(b))
            });
        let values = data.iter().flatten().map(|[_, v]| v.clamp(least, most));
        let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (lo, hi, step) = if unit.starts_with("SpO2") {
            let lo = ((lo.min(90.0) / 5.0).floor() * 5.0).max(least);
            (lo, 100.0_f64.min(most).max(lo + 5.0), 5.0)
        } else if lo <= hi {
            (
                ((lo / 20.0).floor() * 20.0 - 20.0).max((least / 20.0).floor() * 20.0),
                ((hi / 20.0).ceil() * 20.0 + 20.0).min((most / 20.0).ceil() * 20.0),
                20.0,
            )
        } else {
            (40.0, 200.0, 20.0)
        };
        // A value outside the axis (only a forged or damaged log has one) at its edge.
        let y = |v: f64| bottom - height * ((v.clamp(lo, hi) - lo) / (hi - lo)) as f32;
        p.polyline(
            &[
                (left, top),
                (right, top),
                (right, bottom),
                (left, bottom),
                (left, top),
            ],
            GREY,
            0.5,
            None,
        );
        let mut tick = lo;
        while tick <= hi {
            p.polyline(
                &[(left, y(tick)), (right, y(tick))],
                (0.88, 0.88, 0.88),
                0.3,
                None,
            );
            p.text_at(
                left - 9.0,
                y(tick) + 1.0,
                6.5,
                BuiltinFont::Helvetica,
                GREY,
                &format_value(tick),
            );
            tick += step;
        }
        p.text_at(
            left - 12.0,
            top - 3.0,
            6.5,
            BuiltinFont::Helvetica,
            GREY,
            unit,
        );
        for step in &s.infusion {
            let label = match step.change {
                InfusionChange::Started { .. } => "start",
                InfusionChange::Stopped => "stop",
                _ => continue,
            };
            p.polyline(
                &[(x(&step.at), top), (x(&step.at), bottom)],
                GREY,
                0.6,
                Some(2),
            );
            p.text_at(
                x(&step.at) + 0.8,
                top + 3.0,
                6.5,
                BuiltinFont::Helvetica,
                GREY,
                label,
            );
        }
        // Each line's name at the right, where it ends, moved apart so none overlap.
        let mut names: Vec<(f32, Rgb3, &str)> = Vec::new();
        if vitals[0].0 == Vital::Systolic
            && let Some(base) = s.baseline_of(Vital::Systolic).filter(|b| b.is_finite())
        {
            p.polyline(&[(left, y(base)), (right, y(base))], RED, 0.4, Some(1));
            names.push((y(base), RED, "baseline systolic"));
        }
        for ((_, color, dash, name), points) in vitals.iter().zip(&data) {
            let line: Vec<(f32, f32)> = points.iter().map(|[t, v]| (x_of(*t), y(*v))).collect();
            p.polyline(&line, *color, 1.2, *dash);
            if line.len() <= MARKERS_UP_TO {
                for (px, py) in &line {
                    p.polyline(&[(*px - 0.6, *py), (*px + 0.6, *py)], *color, 1.2, None);
                }
            }
            if let Some((_, last_y)) = line.last() {
                names.push((*last_y, *color, name));
            }
        }
        names.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut below = f32::MIN;
        for (at, color, name) in names {
            let at = at.max(below + 3.0);
            p.text_at(
                right + 1.0,
                at + 1.0,
                6.5,
                BuiltinFont::Helvetica,
                color,
                name,
            );
            below = at;
        }
        p.y = bottom;
    }
    // Time ticks under the last panel: whole quarter hours, at most `TIME_TICKS` of them
    // however long the log says the session was.
    let local = |t: &Time| t.with_timezone(offset);
    let first = local(&from);
    let quarter = 15 - i64::from(chrono::Timelike::minute(&first)) % 15;
    let mut tick = from + Duration::minutes(quarter)
        - Duration::seconds(i64::from(chrono::Timelike::second(&first)));
    let span_min = span_s / 60.0;
    let every = TIME_STEPS_MIN
        .into_iter()
        .find(|step| span_min / *step as f64 <= TIME_TICKS)
        .unwrap_or_else(|| (span_min / TIME_TICKS / 1440.0).ceil() as i64 * 1440);
    while tick <= to {
        let label = local(&tick).format("%H:%M").to_string();
        p.text_at(
            x(&tick) - 3.5,
            p.y + 3.5,
            6.5,
            BuiltinFont::Helvetica,
            GREY,
            &label,
        );
        tick += Duration::minutes(every);
    }
    p.y += 5.0;
}
