//! Trends over the session: blood pressure and heart rate, and SpO2, with the profile's
//! thresholds, the baseline, and markers for infusion events and alarms.

use crate::alerts::Profile;
use crate::alerts::profile::Direction;
use crate::clock::Time;
use crate::session::baseline;
use crate::session::events::Priority;
use crate::session::{SessionState, Vital};
use crate::ui::theme;
use egui::{Color32, Ui};
use egui_plot::{HLine, Legend, Line, LineStyle, Plot, PlotPoints, VLine};

/// More points than this per series are decimated: a plot a few hundred pixels wide
/// cannot show more, and drawing them would cost the frame.
pub const MAX_POINTS: usize = 1200;

const COLORS: [Color32; 4] = [
    Color32::from_rgb(255, 120, 120),
    Color32::from_rgb(255, 180, 120),
    Color32::from_rgb(120, 200, 255),
    Color32::from_rgb(140, 230, 140),
];

pub fn ui(ui: &mut Ui, profile: &Profile, state: &SessionState, height: f32) {
    let Some(opened) = state.opened_at else {
        return;
    };
    let minutes = |t: Time| (t - opened).num_seconds() as f64 / 60.0;
    let series = |vital: Vital| -> Vec<[f64; 2]> {
        let points: Vec<[f64; 2]> = state
            .measured_between(None, None)
            .filter_map(|(_, v)| v.values.get(vital).map(|x| [minutes(v.at), x]))
            .collect();
        decimate(&points, MAX_POINTS)
    };
    let markers = |plot: &mut egui_plot::PlotUi| {
        let inf = &state.infusion;
        for at in [inf.started_at, inf.stopped_at].into_iter().flatten() {
            plot.vline(
                VLine::new("", minutes(at))
                    .color(theme::OK_GREEN)
                    .width(2.0),
            );
        }
        for alert in &state.alerts {
            let color = theme::priority_color(alert.priority);
            plot.vline(
                VLine::new("", minutes(alert.raised_at))
                    .color(color)
                    .style(LineStyle::dotted_dense()),
            );
        }
    };
    let half = (height - 10.0) / 2.0;
    Plot::new("trend-bp-hr")
        .height(half * 1.3)
        .legend(Legend::default())
        .x_axis_label("minutes since the session opened")
        .include_y(60.0)
        .include_y(200.0)
        .allow_scroll(false)
        .show(ui, |plot| {
            for (i, vital) in [Vital::Systolic, Vital::Diastolic, Vital::HeartRate]
                .into_iter()
                .enumerate()
            {
                let name = format!("{} {}", vital.label(), vital.unit());
                plot.line(
                    Line::new(name, PlotPoints::from(series(vital)))
                        .color(COLORS[i])
                        .width(2.5),
                );
            }
            thresholds(plot, profile, Vital::Systolic, Direction::High);
            if let Some(base) = baseline::baseline(profile, state, Vital::Systolic) {
                plot.hline(
                    HLine::new("", base)
                        .color(Color32::GRAY)
                        .style(LineStyle::dashed_loose()),
                );
            }
            markers(plot);
        });
    Plot::new("trend-spo2")
        .height(half * 0.7)
        .legend(Legend::default())
        .include_y(85.0)
        .include_y(100.0)
        .allow_scroll(false)
        .show(ui, |plot| {
            plot.line(
                Line::new("SpO2 %", PlotPoints::from(series(Vital::Spo2)))
                    .color(COLORS[3])
                    .width(2.5),
            );
            thresholds(plot, profile, Vital::Spo2, Direction::Low);
            markers(plot);
        });
}

/// The absolute thresholds of one rule, as lines in their priority's colour.
fn thresholds(plot: &mut egui_plot::PlotUi, profile: &Profile, vital: Vital, direction: Direction) {
    let Some(rule) = profile
        .alerts
        .iter()
        .find(|r| r.vital == vital && r.direction == direction)
    else {
        return;
    };
    for p in [Priority::Low, Priority::Medium, Priority::High] {
        if let Some(t) = rule.level(p).and_then(|l| l.when) {
            // Unnamed: thresholds are drawn, not listed in the legend.
            plot.hline(
                HLine::new("", t.limit)
                    .color(theme::priority_color(p))
                    .style(LineStyle::dashed_dense()),
            );
        }
    }
}

/// At most `max` points: each bucket of the time axis keeps its lowest and highest value,
/// so a spike stays visible however long the session.
pub fn decimate(points: &[[f64; 2]], max: usize) -> Vec<[f64; 2]> {
    if points.len() <= max || max < 2 {
        return points.to_vec();
    }
    let buckets = max / 2;
    let per = points.len().div_ceil(buckets);
    points
        .chunks(per)
        .flat_map(|chunk| {
            let (mut lo, mut hi) = (chunk[0], chunk[0]);
            for p in chunk {
                if p[1] < lo[1] {
                    lo = *p;
                }
                if p[1] > hi[1] {
                    hi = *p;
                }
            }
            if lo[0] <= hi[0] { [lo, hi] } else { [hi, lo] }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimation_keeps_spikes_and_bounds_the_points() {
        let mut points: Vec<[f64; 2]> = (0..14_400).map(|i| [i as f64, 97.0]).collect();
        points[7_000][1] = 84.0;
        let kept = decimate(&points, MAX_POINTS);
        assert!(kept.len() <= MAX_POINTS);
        assert!(kept.iter().any(|p| p[1] == 84.0), "the dip is still drawn");
        assert!(kept.windows(2).all(|w| w[0][0] <= w[1][0]), "in time order");
    }
}
