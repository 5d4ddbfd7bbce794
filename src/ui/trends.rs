//! Trends over the session: blood pressure and heart rate, and SpO2, with the profile's
//! thresholds, the baseline, and markers for infusion events and alarms.
//!
//! Read at a glance: the legend is a row of labels above each plot, never over the data;
//! both plots share one time axis in clock time (the same moment at the same x: linked
//! x bounds and y axes of one width); each reading is a marker as well as a point of the
//! line, so a vital read once still shows.

use crate::alerts::Profile;
use crate::alerts::profile::Direction;
use crate::clock::Time;
use crate::session::baseline;
use crate::session::events::Priority;
use crate::session::reading::format_value;
use crate::session::trend::{self, MARKERS_UP_TO};
use crate::session::{SessionState, Vital};
use crate::ui::theme;
use chrono::{Duration, NaiveTime};
use egui::{Color32, Id, Rangef, RichText, Sense, Shape, Stroke, Ui, pos2, vec2};
use egui_plot::{
    GridInput, GridMark, HLine, HoverPosition, Line, LineStyle, Plot, PlotPoints, Points, VLine,
};

/// The shortest time axis shown, in minutes: a first reading shows as a point at the
/// left of a half-hour axis rather than on an axis stretched over one instant.
const MIN_SPAN_MIN: f64 = 30.0;

/// Width of both plots' y axes, in points: one width for both puts a moment at the same
/// x in both. Wide enough for "300" and "-100" at the body size with egui_plot's margins,
/// so that egui_plot never widens one of them for its labels and not the other.
const Y_AXIS_WIDTH: f32 = 52.0;

/// Grid lines closer than this (points) are not drawn; the grid spacers turn egui_plot's
/// `GridInput::base_step_size` back into points per unit with it.
const GRID_MIN: f32 = 8.0;

/// Least distance between time labels, in points: "09:30" is about 48 wide at the body
/// size, and egui_plot fades x labels closer than 80.
const TIME_LABEL_SPACING: f64 = 90.0;

/// Least distance between value labels, in points: egui_plot fades y labels closer than 30.
const VALUE_LABEL_SPACING: f64 = 30.0;

/// Steps between time labels, in minutes: whole clock times.
const TIME_STEPS_MIN: [f64; 14] = [
    1.0, 2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0, 120.0, 180.0, 240.0, 360.0, 720.0, 1440.0,
];

/// Steps between value labels.
const VALUE_STEPS: [f64; 8] = [1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0];

/// Height of a legend row, in points: the vitals' names at 16 points.
const LEGEND_ROW: f32 = 22.0;
/// A legend entry's swatch.
const SWATCH: egui::Vec2 = vec2(24.0, 16.0);
/// Between a swatch and its words, and between one entry and the next.
const LEGEND_GAP: f32 = 6.0;
const LEGEND_ENTRY_GAP: f32 = 16.0;

/// Height of the time labels under the lower plot (body text and egui_plot's margin).
const TIME_LABELS: f32 = 26.0;
/// The upper plot's share of the height both plots' data have: three vitals over
/// 60-200 need more of it than SpO2 over 88-100.
const UPPER_SHARE: f32 = 0.62;
/// The least height of both plots' data, in points, however little the window gives.
const MIN_PLOTS: f32 = 120.0;

/// The series of the upper plot and of the lower one, with their colours.
const BP_HR: [(Vital, Color32); 3] = [
    (Vital::Systolic, Color32::from_rgb(255, 120, 120)),
    (Vital::Diastolic, Color32::from_rgb(255, 180, 120)),
    (Vital::HeartRate, Color32::from_rgb(120, 200, 255)),
];
const SPO2: (Vital, Color32) = (Vital::Spo2, Color32::from_rgb(140, 230, 140));
const RESP_RATE: (Vital, Color32) = (Vital::RespRate, Color32::from_rgb(200, 160, 255));
/// Scores are written along the top of the upper plot (mmHg), a line a scale, in their
/// own colour.
const SCORES_AT: f64 = 200.0;
const SCORE_LINE: f64 = 22.0;
const SCORE_COLOR: Color32 = Color32::from_rgb(230, 200, 90);

/// The plots' ids, fixed so that tests can read what each plot showed
/// (`egui_plot::PlotMemory::load`): BP and heart rate, SpO2, and respiratory rate (drawn
/// only once the session has one).
pub const PLOT_IDS: [&str; 3] = ["trend-bp-hr", "trend-spo2", "trend-resp-rate"];

/// The group both plots link their x axes and cursors in.
const TIME_LINK: &str = "trend-time";

/// Times as plot x values: minutes since midnight of the day the session opened, in the
/// session's UTC offset, so that grid marks at whole minutes are whole clock times.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeAxis {
    origin: Time,
}

impl TimeAxis {
    /// The axis of a session opened at `opened`.
    pub fn of(opened: Time) -> TimeAxis {
        TimeAxis {
            origin: opened - opened.time().signed_duration_since(NaiveTime::MIN),
        }
    }

    /// Where `t` is on the axis.
    pub fn x(&self, t: Time) -> f64 {
        (t - self.origin).num_milliseconds() as f64 / 60_000.0
    }

    /// The clock time at `x`, in the session's offset; `None` far outside any date (a
    /// plot zoomed out that far has no time to show).
    pub fn time(&self, x: f64) -> Option<Time> {
        let ms = (x * 60_000.0).round();
        if !ms.is_finite() || ms.abs() > 1e15 {
            return None;
        }
        self.origin
            .checked_add_signed(Duration::milliseconds(ms as i64))
    }

    /// The label at `x`: HH:MM.
    pub fn label(&self, x: f64) -> String {
        self.time(x)
            .map_or(String::new(), |t| t.format("%H:%M").to_string())
    }
}

/// The time span both plots show (before egui_plot's margins): from the opening (or an
/// earlier reading) to the last reading or marked event, at least `MIN_SPAN_MIN` long.
pub fn x_range(state: &SessionState, axis: TimeAxis) -> Option<(f64, f64)> {
    let opened = state.opened_at?;
    let mut readings = state.measured_between(None, None);
    let first = readings.next().map(|(_, v)| v.at);
    let last = readings.next_back().map(|(_, v)| v.at).or(first);
    let inf = &state.infusion;
    let events = [inf.started_at, inf.stopped_at, first, last]
        .into_iter()
        .flatten()
        .chain(state.alerts.iter().map(|a| a.raised_at));
    let (mut lo, mut hi) = (axis.x(opened), axis.x(opened));
    for at in events {
        lo = lo.min(axis.x(at));
        hi = hi.max(axis.x(at));
    }
    Some((lo, hi.max(lo + MIN_SPAN_MIN)))
}

/// Both plots, each under its legend, in `height` points.
pub fn ui(ui: &mut Ui, profile: &Profile, state: &SessionState, height: f32) {
    let Some(opened) = state.opened_at else {
        return;
    };
    let axis = TimeAxis::of(opened);
    let Some(range) = x_range(state, axis) else {
        return;
    };
    let series = |vital: Vital| trend::series(state, vital, |at| axis.x(at));
    let markers = |plot: &mut egui_plot::PlotUi| {
        let inf = &state.infusion;
        for at in [inf.started_at, inf.stopped_at].into_iter().flatten() {
            plot.vline(VLine::new("", axis.x(at)).color(theme::OK_GREEN).width(2.0));
        }
        for alert in &state.alerts {
            let color = theme::priority_color(alert.priority);
            plot.vline(
                VLine::new("", axis.x(alert.raised_at))
                    .color(color)
                    .style(LineStyle::dotted_dense()),
            );
        }
    };
    let width = ui.available_width();
    let upper = legend_rows(
        ui,
        BP_HR.map(|(vital, color)| (Key::Series(color), name(vital))),
        width,
    );
    let lower = legend_rows(
        ui,
        [
            (Key::Series(SPO2.1), name(SPO2.0)),
            (Key::Event(theme::OK_GREEN), "infusion start/stop".into()),
            (Key::Alarm, "alarm raised".into()),
            (Key::Limit, "alarm limits".into()),
            (Key::Baseline, "baseline".into()),
        ],
        width,
    );
    // Respiratory rate gets a plot of its own under SpO2's once there is one to show (its
    // 5-40 /min fits neither other scale).
    let resp_rate = series(RESP_RATE.0);
    let third = (!resp_rate.is_empty())
        .then(|| legend_rows(ui, [(Key::Series(RESP_RATE.1), name(RESP_RATE.0))], width));
    let spacing = ui.spacing().item_spacing.y;
    let rows = upper.len() + lower.len() + third.as_ref().map_or(0, Vec::len);
    let legends = rows as f32 * (LEGEND_ROW + spacing);
    let plots = if third.is_some() { 3.0 } else { 2.0 };
    // The time labels under the last plot are inside its height; the others have none
    // (the axes are linked, and their grid lines are the last plot's).
    let data = (height - legends - plots * spacing - TIME_LABELS).max(MIN_PLOTS);
    // With a third plot, the upper one gives up a little and the lower two share the rest.
    let (upper_share, lower_share) = match third {
        Some(_) => (UPPER_SHARE - 0.12, (1.0 - UPPER_SHARE + 0.12) / 2.0),
        None => (UPPER_SHARE, 1.0 - UPPER_SHARE),
    };
    let top = ui.cursor().top();
    show_legend(ui, upper);
    plot(PLOT_IDS[0], axis, range, data * upper_share)
        .show_axes([false, true])
        .include_y(60.0)
        .include_y(200.0)
        .show(ui, |plot| {
            for (vital, color) in BP_HR {
                draw_series(plot, name(vital), series(vital), color);
            }
            // Each valid score at its time, along the top, on the time axis the readings
            // share: sedation or pain beside the pressures they go with.
            // At most as many as the plot draws markers for: a file of a score a second
            // must not cost a frame its time (the newest are written).
            let first = state.assessments.len().saturating_sub(MARKERS_UP_TO);
            for a in &state.assessments[first..] {
                if let Some(v) = a.current() {
                    // One line a scale, downwards from the top, so that scores given at
                    // the same time stand apart.
                    let line = profile.scales.iter().position(|s| s.name == a.scale);
                    let y = SCORES_AT - SCORE_LINE * line.unwrap_or(profile.scales.len()) as f64;
                    let text = egui::RichText::new(format!("{} {}", a.scale, v.score)).size(11.0);
                    plot.text(
                        egui_plot::Text::new("", egui_plot::PlotPoint::new(axis.x(v.at), y), text)
                            .color(SCORE_COLOR)
                            .anchor(egui::Align2::LEFT_TOP),
                    );
                }
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
    // SpO2's plot, with the time labels when it is the last.
    let spo2_plot = |ui: &mut Ui, height: f32, last: bool| {
        plot(PLOT_IDS[1], axis, range, height)
            .show_axes([last, true])
            // Below the lowest limit (90), with room for its line.
            .include_y(88.0)
            .include_y(100.0)
            .show(ui, |plot| {
                draw_series(plot, name(SPO2.0), series(SPO2.0), SPO2.1);
                thresholds(plot, profile, Vital::Spo2, Direction::Low);
                markers(plot);
            });
    };
    show_legend(ui, lower);
    let Some(third) = third else {
        let used = ui.cursor().top() - top;
        let rest = (height - used).max(MIN_PLOTS * lower_share + TIME_LABELS);
        spo2_plot(ui, rest, true);
        return;
    };
    spo2_plot(ui, data * lower_share, false);
    show_legend(ui, third);
    let used = ui.cursor().top() - top;
    let rest = (height - used).max(MIN_PLOTS * lower_share + TIME_LABELS);
    plot(PLOT_IDS[2], axis, range, rest)
        // Around the alarm bands (<= 8, >= 25), with room for their lines.
        .include_y(6.0)
        .include_y(30.0)
        .show(ui, |plot| {
            draw_series(plot, name(RESP_RATE.0), resp_rate, RESP_RATE.1);
            thresholds(plot, profile, Vital::RespRate, Direction::Low);
            thresholds(plot, profile, Vital::RespRate, Direction::High);
            markers(plot);
        });
}

/// A vital's name in the legend and on hover, e.g. "Systolic mmHg".
fn name(vital: Vital) -> String {
    format!("{} {}", vital.label(), vital.unit())
}

/// What both plots have in common: the time axis and its labels, the linked x bounds
/// and cursor, the y axis's width and labels.
fn plot(id: &'static str, axis: TimeAxis, (lo, hi): (f64, f64), height: f32) -> Plot<'static> {
    Plot::new(id)
        .id(Id::unique(id))
        .height(height)
        .include_x(lo)
        .include_x(hi)
        .link_axis(Id::unique(TIME_LINK), [true, false])
        .link_cursor(Id::unique(TIME_LINK), [true, false])
        .y_axis_min_width(Y_AXIS_WIDTH)
        // Room above the highest reading and below the lowest for their markers; the
        // x margin is egui_plot's, the same for both plots.
        .set_margin_fraction(vec2(0.05, 0.1))
        .grid_spacing(Rangef::new(GRID_MIN, 300.0))
        .x_grid_spacer(|input| marks(input, &TIME_STEPS_MIN, TIME_LABEL_SPACING))
        .y_grid_spacer(|input| marks(input, &VALUE_STEPS, VALUE_LABEL_SPACING))
        .x_axis_formatter(move |mark, _| axis.label(mark.value))
        .y_axis_formatter(|mark, _| format!("{:.0}", mark.value))
        .label_formatter(move |hover| Some(hover_text(axis, hover)))
        .allow_scroll(false)
}

/// One vital: its line, and a marker on each reading while they are few enough to tell
/// apart.
fn draw_series(plot: &mut egui_plot::PlotUi, name: String, points: Vec<[f64; 2]>, color: Color32) {
    if points.len() <= MARKERS_UP_TO {
        plot.points(
            Points::new(name.clone(), PlotPoints::from(points.clone()))
                .color(color)
                .radius(4.0)
                .filled(true),
        );
    }
    plot.line(
        Line::new(name, PlotPoints::from(points))
            .color(color)
            .width(2.5),
    );
}

/// What the pointer is near: the value and its clock time, or the time alone.
fn hover_text(axis: TimeAxis, hover: &HoverPosition) -> String {
    match hover {
        HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } if !plot_name.is_empty() => format!(
            "{plot_name}: {} at {}",
            format_value((position.y * 10.0).round() / 10.0),
            axis.label(position.x)
        ),
        HoverPosition::NearDataPoint { position, .. } | HoverPosition::Elsewhere { position } => {
            axis.label(position.x)
        }
    }
}

/// Grid marks at the smallest of `steps` whose labels are at least `spacing` points
/// apart: whole numbers, or whole clock times.
fn marks(input: GridInput, steps: &[f64], spacing: f64) -> Vec<GridMark> {
    // Units per point; egui_plot's base step is the step of lines GRID_MIN points apart.
    let per_point = input.base_step_size / f64::from(GRID_MIN);
    if !(per_point > 0.0 && per_point.is_finite()) {
        return Vec::new();
    }
    let Some(step) = steps
        .iter()
        .copied()
        .find(|s| s / per_point >= spacing)
        .or(steps.last().copied())
    else {
        return Vec::new();
    };
    let (lo, hi) = input.bounds;
    let (first, last) = ((lo / step).ceil(), (hi / step).floor());
    // Zoomed out that far, labels would not fit anyway: no marks rather than millions.
    let count = last - first;
    if !count.is_finite() || count > 500.0 {
        return Vec::new();
    }
    (first as i64..=last as i64)
        .map(|i| GridMark {
            value: i as f64 * step,
            step_size: step,
        })
        .collect()
}

/// What a legend entry's swatch shows: a series' line and marker, or the look of a
/// line drawn across the plot.
#[derive(Clone, Copy)]
enum Key {
    Series(Color32),
    Event(Color32),
    Alarm,
    Limit,
    Baseline,
}

impl Key {
    /// The vitals' names are larger than the keys to the lines across the plots.
    fn text_size(self) -> f32 {
        match self {
            Key::Series(_) => 16.0,
            _ => 14.0,
        }
    }
}

/// A legend's entries in rows that fit `width`, each entry whole: its words never part
/// from its swatch, and the rows are known before the plots are given their heights.
fn legend_rows(
    ui: &Ui,
    entries: impl IntoIterator<Item = (Key, String)>,
    width: f32,
) -> Vec<Vec<(Key, String)>> {
    let mut rows: Vec<Vec<(Key, String)>> = vec![Vec::new()];
    let mut used = 0.0;
    for (key, text) in entries {
        let words = ui
            .painter()
            .layout_no_wrap(
                text.clone(),
                egui::FontId::proportional(key.text_size()),
                Color32::WHITE,
            )
            .size()
            .x;
        let entry = SWATCH.x + LEGEND_GAP + words + LEGEND_ENTRY_GAP;
        if used > 0.0 && used + entry > width {
            rows.push(Vec::new());
            used = 0.0;
        }
        used += entry;
        if let Some(row) = rows.last_mut() {
            row.push((key, text));
        }
    }
    rows
}

/// A legend above a plot, drawn by us outside the plot so that it never covers a
/// reading.
fn show_legend(ui: &mut Ui, rows: Vec<Vec<(Key, String)>>) {
    for row in rows {
        let size = vec2(ui.available_width(), LEGEND_ROW);
        let layout = egui::Layout::left_to_right(egui::Align::Center);
        ui.allocate_ui_with_layout(size, layout, |ui| {
            ui.spacing_mut().item_spacing.x = LEGEND_GAP;
            for (key, text) in row {
                swatch(ui, key);
                let words = RichText::new(text).size(key.text_size());
                ui.add(egui::Label::new(words).wrap_mode(egui::TextWrapMode::Extend));
                ui.add_space(LEGEND_ENTRY_GAP - LEGEND_GAP);
            }
        });
    }
}

fn swatch(ui: &mut Ui, key: Key) {
    let (rect, _) = ui.allocate_exact_size(SWATCH, Sense::hover());
    let painter = ui.painter();
    let (left, right) = (rect.left_center(), rect.right_center());
    let (top, bottom) = (rect.center_top(), rect.center_bottom());
    match key {
        Key::Series(color) => {
            painter.line_segment([left, right], Stroke::new(2.5, color));
            painter.circle_filled(rect.center(), 4.0, color);
        }
        Key::Event(color) => {
            painter.line_segment([top, bottom], Stroke::new(2.0, color));
        }
        Key::Alarm => {
            let color = theme::priority_color(Priority::High);
            painter.extend(Shape::dotted_line(&[top, bottom], color, 3.0, 1.0));
        }
        Key::Limit => {
            // Limits are drawn in their priority's colour: low, medium, high.
            let third = rect.width() / 3.0;
            for (i, p) in [Priority::Low, Priority::Medium, Priority::High]
                .into_iter()
                .enumerate()
            {
                let x = left.x + third * i as f32;
                let stroke = Stroke::new(2.0, theme::priority_color(p));
                painter.line_segment([pos2(x, left.y), pos2(x + third - 2.0, left.y)], stroke);
            }
        }
        Key::Baseline => {
            let stroke = Stroke::new(1.5, Color32::GRAY);
            painter.extend(Shape::dashed_line(&[left, right], stroke, 6.0, 5.0));
        }
    }
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
            // Unnamed: the hover label names only the vitals.
            plot.hline(
                HLine::new("", t.limit)
                    .color(theme::priority_color(p))
                    .style(LineStyle::dashed_dense()),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::commands::{Command, OnReject, OnWarning, ReadingEntry, Session};
    use crate::session::VitalSet;
    use crate::session::events::{Protocol, SessionInfo, Source};

    fn t(hhmm: &str) -> Time {
        chrono::DateTime::parse_from_rfc3339(&format!("2026-03-14T{hhmm}:00+01:00")).unwrap()
    }

    /// A session opened at 09:00 with one reading of each given time and systolic value.
    fn session(readings: &[(&str, f64)]) -> Session {
        let profile = Profile::default_profile();
        let info = SessionInfo {
            patient_id: "MRN-1".into(),
            weight_kg: None,
            protocol: Protocol {
                name: "test".into(),
                dose_mg_per_kg: None,
                rate_mg_per_kg_h: None,
                planned_min: None,
            },
            profile_name: profile.name.clone(),
            profile_version: profile.version.clone(),
        };
        let mut session =
            Session::open(profile, info, t("09:00"), "RN", &FixedClock(t("09:00"))).unwrap();
        for (at, systolic) in readings {
            let entry = ReadingEntry {
                at: t(at),
                values: VitalSet::of(&[(Vital::Systolic, *systolic)]),
                by: "RN".into(),
                source: Source::Manual,
                on_warning: OnWarning::Confirmed,
                on_reject: OnReject::RejectEntry,
                via: Default::default(),
            };
            session
                .execute(Command::RecordReading(entry), &FixedClock(t(at)))
                .unwrap();
        }
        session
    }

    #[test]
    fn times_are_clock_times_in_the_sessions_offset() {
        let axis = TimeAxis::of(t("09:00"));
        assert_eq!(axis.x(t("09:00")), 540.0, "minutes since midnight");
        assert_eq!(axis.label(axis.x(t("17:06"))), "17:06");
        // The same instant written in another offset is the same x, labelled in the
        // session's offset.
        let utc = chrono::DateTime::parse_from_rfc3339("2026-03-14T16:06:00+00:00").unwrap();
        assert_eq!(axis.label(axis.x(utc)), "17:06");
        assert_eq!(axis.label(1440.0 + 30.0), "00:30", "past midnight");
        assert_eq!(axis.label(f64::MAX), "", "no time that far out");
    }

    #[test]
    fn time_labels_are_whole_clock_times_far_enough_apart_to_read() {
        // 60 minutes over 400 points.
        let input = GridInput {
            bounds: (540.0, 600.0),
            base_step_size: 60.0 / 400.0 * f64::from(GRID_MIN),
        };
        let found = marks(input, &TIME_STEPS_MIN, TIME_LABEL_SPACING);
        let values: Vec<f64> = found.iter().map(|m| m.value).collect();
        assert_eq!(values, [540.0, 555.0, 570.0, 585.0, 600.0], "every 15 min");
        let points_apart = 15.0 * 400.0 / 60.0;
        assert!(points_apart >= TIME_LABEL_SPACING);
        // Zoomed out absurdly far: nothing rather than millions of marks.
        let far = GridInput {
            bounds: (-1e12, 1e12),
            base_step_size: 1e10,
        };
        assert!(marks(far, &TIME_STEPS_MIN, TIME_LABEL_SPACING).is_empty());
    }

    #[test]
    fn a_single_reading_is_inside_a_time_axis_of_half_an_hour() {
        let session = session(&[("09:00", 124.0)]);
        let axis = TimeAxis::of(t("09:00"));
        let (lo, hi) = x_range(session.state(), axis).unwrap();
        assert_eq!((lo, hi), (540.0, 570.0));
    }

    #[test]
    fn the_time_axis_reaches_the_last_reading_and_an_earlier_late_entry() {
        let session = session(&[("09:10", 124.0), ("10:20", 130.0), ("08:55", 120.0)]);
        let axis = TimeAxis::of(t("09:00"));
        let (lo, hi) = x_range(session.state(), axis).unwrap();
        assert_eq!((lo, hi), (axis.x(t("08:55")), axis.x(t("10:20"))));
    }
}
