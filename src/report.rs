//! The session report a clinician files in the record: the summary, the trend plot, the
//! infusion's steps, every alarm and how it was handled, side effects, discharge, as an
//! A4 PDF (printpdf: standard fonts, vector lines). Pure: bytes from a summary.

use crate::alerts::Profile;
use crate::clock::Time;
use crate::log::read::read_for_review;
use crate::session::events::{InfusionChange, Priority, Source};
use crate::session::reading::{Vital, format_value};
use crate::session::summary::{Acknowledged, AlarmRecord, InfusionStep, SessionSummary};
use crate::session::{Event, SessionState};
use chrono::{Duration, FixedOffset};
use printpdf::{
    BuiltinFont, Color, Line, LineDashPattern, LinePoint, Mm, Op, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rgb, TextItem,
};

/// What the log's seal said, as the report's first line says it.
#[derive(Clone, Debug, PartialEq)]
pub enum SealLine {
    Intact {
        sealed_at: Time,
        sha256: String,
    },
    /// Altered, cut short...: the reason, naming the row. Only what came before it is shown.
    NotIntact(String),
}

/// A log read for review or report: its events up to any fault, their fold, the
/// summary, and what its seal said.
pub struct ReviewedLog {
    pub events: Vec<Event>,
    pub state: SessionState,
    /// The built-in profile the session recorded, else the default: its thresholds and
    /// baseline window.
    pub profile: Profile,
    pub summary: SessionSummary,
    pub seal: SealLine,
}

/// Reads a log's bytes for review; refused only when nothing in it can be trusted.
pub fn review_log(bytes: &[u8]) -> Result<ReviewedLog, String> {
    let read = read_for_review(bytes);
    if read.events.is_empty() {
        return Err(read
            .seal
            .err()
            .map_or_else(|| "it holds no event".to_string(), |e| e.to_string()));
    }
    let state = SessionState::fold(&read.events).map_err(|e| e.to_string())?;
    let profile = state
        .info
        .as_ref()
        .and_then(|i| Profile::builtin_by_recorded_name(&i.profile_name))
        .unwrap_or_else(Profile::default_profile);
    let summary = SessionSummary::of(&profile, &read.events, &state);
    let seal = match read.seal {
        Ok((sealed_at, sha256)) => SealLine::Intact { sealed_at, sha256 },
        Err(e) => SealLine::NotIntact(e.to_string()),
    };
    Ok(ReviewedLog {
        events: read.events,
        state,
        profile,
        summary,
        seal,
    })
}

/// Everything the report shows besides the summary.
pub struct ReportInput<'a> {
    pub summary: &'a SessionSummary,
    pub state: &'a SessionState,
    /// The log's file name.
    pub source: &'a str,
    pub seal: &'a SealLine,
    pub generated_at: Time,
}

const WIDTH_MM: f32 = 210.0;
const HEIGHT_MM: f32 = 297.0;
const MARGIN_MM: f32 = 18.0;
const BOTTOM_MM: f32 = 20.0;

type Rgb3 = (f32, f32, f32);
const BLACK: Rgb3 = (0.0, 0.0, 0.0);
const GREY: Rgb3 = (0.55, 0.55, 0.55);
const RED: Rgb3 = (0.75, 0.05, 0.05);
const BLUE: Rgb3 = (0.05, 0.25, 0.7);
const GREEN: Rgb3 = (0.0, 0.45, 0.2);

/// Pages being written, top to bottom; `y` is the next line's baseline from the top.
struct Pages {
    done: Vec<Vec<Op>>,
    ops: Vec<Op>,
    y: f32,
}

fn rgb((r, g, b): Rgb3) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn point(x_mm: f32, y_from_top_mm: f32) -> Point {
    Point::new(Mm(x_mm), Mm(HEIGHT_MM - y_from_top_mm))
}

/// The standard fonts speak WinAnsi: anything outside Latin-1 is shown as '?', never lost
/// silently from a line that is otherwise printed.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '≥' => ">=".to_string(),
            '≤' => "<=".to_string(),
            '–' | '—' => "-".to_string(),
            c if (c as u32) < 0x100 && !c.is_control() => c.to_string(),
            _ => "?".to_string(),
        })
        .collect()
}

impl Pages {
    fn new() -> Pages {
        Pages {
            done: Vec::new(),
            ops: Vec::new(),
            y: MARGIN_MM,
        }
    }

    fn text_at(&mut self, x: f32, y: f32, size: f32, font: BuiltinFont, color: Rgb3, text: &str) {
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: rgb(color) },
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(size),
            },
            Op::SetTextCursor { pos: point(x, y) },
            Op::ShowText {
                items: vec![TextItem::Text(printable(text))],
            },
            Op::EndTextSection,
        ]);
    }

    /// Room for `height` mm more on this page, or a new page.
    fn room(&mut self, height: f32) {
        if self.y + height > HEIGHT_MM - BOTTOM_MM {
            self.done.push(std::mem::take(&mut self.ops));
            self.y = MARGIN_MM;
        }
    }

    fn line_of(&mut self, size: f32, font: BuiltinFont, color: Rgb3, text: &str) {
        let height = size * 0.45;
        self.room(height);
        self.y += height;
        self.text_at(MARGIN_MM, self.y, size, font, color, text);
    }

    /// Body text, wrapped at the page's width.
    fn para(&mut self, text: &str) {
        // Helvetica at 9 pt averages about 1.75 mm a character.
        let per_line = ((WIDTH_MM - 2.0 * MARGIN_MM) / 1.75) as usize;
        for line in wrap(text, per_line) {
            self.line_of(9.0, BuiltinFont::Helvetica, BLACK, &line);
        }
    }

    fn heading(&mut self, text: &str) {
        self.room(14.0);
        self.y += 3.0;
        self.line_of(11.0, BuiltinFont::HelveticaBold, BLACK, text);
        self.y += 1.0;
    }

    fn polyline(&mut self, points: &[(f32, f32)], color: Rgb3, width_pt: f32, dash: Option<i64>) {
        if points.len() < 2 {
            return;
        }
        self.ops.extend([
            Op::SetOutlineColor { col: rgb(color) },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::SetLineDashPattern {
                dash: LineDashPattern {
                    dash_1: dash,
                    ..LineDashPattern::default()
                },
            },
            Op::DrawLine {
                line: Line {
                    points: points
                        .iter()
                        .map(|(x, y)| LinePoint {
                            p: point(*x, *y),
                            bezier: false,
                        })
                        .collect(),
                    is_closed: false,
                },
            },
        ]);
    }

    fn finish(mut self) -> Vec<Vec<Op>> {
        self.done.push(self.ops);
        self.done
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// The session report as PDF bytes.
pub fn session_pdf(input: &ReportInput) -> Vec<u8> {
    let s = input.summary;
    let told = Told::of(input.seal, input.state);
    let offset = s.offset();
    let clock = |t: &Time| t.with_timezone(&offset).format("%H:%M").to_string();
    let mut p = Pages::new();
    p.line_of(
        16.0,
        BuiltinFont::HelveticaBold,
        BLACK,
        "Infusion session report",
    );
    p.y += 1.0;
    let title = format!(
        "Patient {}   {}",
        if s.patient_id.is_empty() {
            "(no identifier)"
        } else {
            &s.patient_id
        },
        s.protocol.name
    );
    p.line_of(11.0, BuiltinFont::HelveticaBold, BLACK, &title);
    match input.seal {
        SealLine::Intact { sealed_at, sha256 } => {
            let intact = format!(
                "Log {}: seal intact, sealed {}",
                input.source,
                sealed_at.format("%Y-%m-%d %H:%M%:z"),
            );
            p.line_of(8.5, BuiltinFont::Helvetica, GREEN, &intact);
            p.line_of(
                7.5,
                BuiltinFont::Courier,
                GREEN,
                &format!("seal sha256 {sha256}"),
            );
        }
        SealLine::NotIntact(why) => {
            let text = format!(
                "LOG NOT INTACT ({}): {why}. Only the rows before the fault are shown; the rest cannot be trusted.",
                input.source
            );
            for line in wrap(&text, 95) {
                p.line_of(9.5, BuiltinFont::HelveticaBold, RED, &line);
            }
        }
    }
    p.heading("Summary");
    for line in summary_lines(s, &offset) {
        p.para(&line);
    }
    p.heading("Trends");
    trend_plot(&mut p, s, input.state, &offset);
    p.heading("Infusion");
    if s.infusion.is_empty() {
        p.para("No infusion recorded.");
    }
    for step in &s.infusion {
        p.para(&step_line(step, &clock));
    }
    p.heading("Alarms and how each was handled");
    if s.alarms.is_empty() {
        p.para("No alarm was raised.");
    }
    for a in &s.alarms {
        p.para(&alarm_line(a, &clock, told));
    }
    p.heading("Side effects and interventions");
    if s.side_effects.is_empty() && s.interventions.is_empty() {
        p.para("None recorded.");
    }
    for (kind, notes) in [
        ("side effect", &s.side_effects),
        ("intervention", &s.interventions),
    ] {
        for n in notes {
            p.para(&format!("{}  {kind}: {} ({})", clock(&n.at), n.text, n.by));
        }
    }
    p.heading("Discharge");
    p.para(&discharge_text(s, &clock, told));
    if let Some(note) = &s.recovered {
        p.para(note);
    }
    p.y += 4.0;
    p.line_of(
        7.5,
        BuiltinFont::HelveticaOblique,
        GREY,
        &format!(
            "Generated {} by Infusion Vitals {} from the session log. Times at UTC{}. Not a medical device.",
            input.generated_at.format("%Y-%m-%d %H:%M%:z"),
            env!("CARGO_PKG_VERSION"),
            offset
        ),
    );
    let pages = p
        .finish()
        .into_iter()
        .map(|ops| PdfPage::new(Mm(WIDTH_MM), Mm(HEIGHT_MM), ops))
        .collect();
    let title = format!("Infusion session report {}", s.patient_id);
    PdfDocument::new(&printable(&title))
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new())
}

/// One infusion step in words: "08:10  started at 0.75 mg/kg/h, by RN-7".
pub fn step_line(step: &InfusionStep, clock: &dyn Fn(&Time) -> String) -> String {
    let what = match &step.change {
        InfusionChange::Started { rate_mg_per_kg_h } => match rate_mg_per_kg_h {
            Some(r) => format!("started at {} mg/kg/h", format_value(*r)),
            None => "started".to_string(),
        },
        InfusionChange::RateChanged { rate_mg_per_kg_h } => {
            format!(
                "rate changed to {} mg/kg/h",
                format_value(*rate_mg_per_kg_h)
            )
        }
        other => other.name().to_string(),
    };
    let why = step
        .reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    format!("{}  {what}, by {}{why}", clock(&step.at), step.by)
}

pub fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// A duration as a reader says it: "25 min", "1 h 52 min".
pub fn minutes(d: Duration) -> String {
    let m = d.num_minutes();
    if m >= 60 {
        format!("{} h {:02} min", m / 60, m % 60)
    } else {
        format!("{m} min")
    }
}

/// The summary in lines of words, for the PDF and the review screen alike.
pub fn summary_lines(s: &SessionSummary, offset: &FixedOffset) -> Vec<String> {
    let at = |t: &Time| t.with_timezone(offset).format("%H:%M").to_string();
    let day = |t: &Time| t.with_timezone(offset).format("%Y-%m-%d %H:%M").to_string();
    let value = |v: Option<f64>| v.map_or("-".to_string(), |v| format_value(v.round()));
    let protocol = &s.protocol;
    let mut dose = Vec::new();
    if let Some(d) = protocol.dose_mg_per_kg {
        dose.push(format!("{} mg/kg", format_value(d)));
    }
    if let Some(r) = protocol.rate_mg_per_kg_h {
        dose.push(format!("{} mg/kg/h", format_value(r)));
    }
    if let Some(m) = protocol.planned_min {
        dose.push(format!("{m} min planned"));
    }
    if let Some(w) = s.weight_kg {
        dose.push(format!("weight {} kg", format_value(w)));
    }
    let mut lines = vec![format!(
        "Protocol: {}{}; profile {}",
        if protocol.name.is_empty() {
            "-"
        } else {
            &protocol.name
        },
        if dose.is_empty() {
            String::new()
        } else {
            format!(" ({})", dose.join(", "))
        },
        s.profile
    )];
    if let (Some(from), Some(to)) = (s.opened_at, s.ended_at) {
        lines.push(format!(
            "Session: {} to {}, {}",
            day(&from),
            at(&to),
            minutes(to - from)
        ));
    }
    lines.push(format!(
        "Baseline (mean before the start): BP {}/{} mmHg, heart rate {} /min, SpO2 {} %",
        value(s.baseline_of(Vital::Systolic)),
        value(s.baseline_of(Vital::Diastolic)),
        value(s.baseline_of(Vital::HeartRate)),
        value(s.baseline_of(Vital::Spo2)),
    ));
    lines.push(match (s.peak_systolic, s.systolic_rise()) {
        (Some(peak), Some(rise)) => format!(
            "Peak systolic: {} mmHg at {}, {}{} mmHg from baseline",
            format_value(peak.value),
            at(&peak.at),
            if rise >= 0.0 { "+" } else { "" },
            format_value(rise.round())
        ),
        (Some(peak), None) => format!(
            "Peak systolic: {} mmHg at {} (no baseline)",
            format_value(peak.value),
            at(&peak.at)
        ),
        _ => "Peak systolic: no blood pressure recorded".to_string(),
    });
    lines.push(match s.lowest_spo2 {
        Some(low) => format!(
            "Lowest SpO2: {} % at {}",
            format_value(low.value),
            at(&low.at)
        ),
        None => "Lowest SpO2: none recorded".to_string(),
    });
    let [low, medium, high] = s.alarms_by_priority();
    lines.push(format!(
        "Alarms by highest priority: high {high}, medium {medium}, low {low}"
    ));
    lines.push(format!(
        "Readings: {} valid; {} corrected, {} entered in error",
        s.readings, s.corrected, s.entered_in_error
    ));
    lines
}

/// How much of the session a log can tell, which decides how an absence is worded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Told {
    /// An intact log of a session at the chair: what is absent did not happen.
    Whole,
    /// An intact log read from a monitor's file: no acknowledgement or discharge is in it.
    Imported,
    /// Only the rows before a fault: what came after cannot be known.
    BeforeFault,
}

impl Told {
    pub fn of(seal: &SealLine, state: &SessionState) -> Told {
        match seal {
            SealLine::NotIntact(_) => Told::BeforeFault,
            SealLine::Intact { .. } if matches!(state.opened_source, Source::Imported { .. }) => {
                Told::Imported
            }
            SealLine::Intact { .. } => Told::Whole,
        }
    }

    /// What stands where a record is absent.
    fn absent(self, what: &str) -> String {
        match self {
            Told::Whole => format!("NOT {what}"),
            // An imported file never holds one: say so without naming it a failure.
            Told::Imported => "not recorded (imported)".to_string(),
            Told::BeforeFault => format!("not {what} in the rows before the fault"),
        }
    }
}

/// How an alarm was acknowledged, in words, and whether that falls short of the
/// protocol (a medium or high alarm not acknowledged at its highest priority).
pub fn acknowledgement_text(
    a: &AlarmRecord,
    clock: &dyn Fn(&Time) -> String,
    told: Told,
) -> (String, bool) {
    let said = |k: &Acknowledged| {
        let action = k
            .action
            .as_deref()
            .map(|x| format!(" ({x})"))
            .unwrap_or_default();
        format!("{} by {}{action}", clock(&k.at), k.by)
    };
    if let Some(k) = a.acknowledged_at_highest() {
        let waited = minutes(k.at - a.highest_since);
        return (format!("acknowledged {} after {waited}", said(k)), false);
    }
    let missing = told.absent(&format!("acknowledged at {}", a.highest));
    let short = a.highest >= Priority::Medium && told == Told::Whole;
    match a.acknowledgements.first() {
        Some(k) => (
            format!("acknowledged at {} {}; {missing}", k.priority, said(k)),
            short,
        ),
        None if a.highest >= Priority::Medium => (missing, short),
        None => ("no acknowledgement needed (low)".to_string(), false),
    }
}

/// How an alarm ended, in words.
pub fn resolution_text(a: &AlarmRecord, clock: &dyn Fn(&Time) -> String, told: Told) -> String {
    match (a.resolved_at, a.lasted()) {
        (Some(at), Some(lasted)) if a.not_rechecked => format!(
            "not rechecked: ended {} after {}",
            clock(&at),
            minutes(lasted)
        ),
        (Some(at), Some(lasted)) => format!("resolved {} after {}", clock(&at), minutes(lasted)),
        _ if told == Told::BeforeFault => "no resolution in the rows before the fault".to_string(),
        _ => "still active at the end".to_string(),
    }
}

/// One alarm from raised to resolved, in one line of words.
pub fn alarm_line(a: &AlarmRecord, clock: &dyn Fn(&Time) -> String, told: Told) -> String {
    let marker = a.highest.marker();
    let mut line = format!(
        "{}  {marker} {} ({} priority): raised",
        clock(&a.raised_at),
        a.key.describe(),
        a.highest
    );
    if a.highest > Priority::Low && a.highest_since != a.raised_at {
        line.push_str(&format!(", {} from {}", a.highest, clock(&a.highest_since)));
    }
    let (acknowledged, _) = acknowledgement_text(a, clock, told);
    line.push_str(&format!(
        "; {acknowledged}; {}",
        resolution_text(a, clock, told)
    ));
    line
}

/// The discharge in words.
pub fn discharge_text(s: &SessionSummary, clock: &dyn Fn(&Time) -> String, told: Told) -> String {
    match &s.discharge {
        Some((at, c, reason)) => format!(
            "{}  modified Aldrete {}, escort {}, vitals near baseline {}{}",
            clock(at),
            c.aldrete_score,
            yes_no(c.escort_present),
            yes_no(c.vitals_near_baseline),
            reason
                .as_deref()
                .map(|r| format!("; {r}"))
                .unwrap_or_default()
        ),
        None => {
            let absent = told.absent("recorded");
            let mut text = absent[..1].to_uppercase() + &absent[1..];
            text.push('.');
            text
        }
    }
}

/// Blood pressure and heart rate in one panel, SpO2 under it, over the session's time,
/// with the baseline systolic and the infusion's start and stop marked.
fn trend_plot(p: &mut Pages, s: &SessionSummary, state: &SessionState, offset: &FixedOffset) {
    let (Some(from), Some(to)) = (s.opened_at, s.ended_at) else {
        p.para("No readings.");
        return;
    };
    let span = (to - from).num_seconds().max(60) as f32;
    let (left, right) = (MARGIN_MM + 14.0, WIDTH_MM - MARGIN_MM - 26.0);
    let x = |t: &Time| {
        left + (right - left) * ((*t - from).num_seconds() as f32 / span).clamp(0.0, 1.0)
    };
    let readings: Vec<_> = state.valid_readings().map(|(_, v)| v).collect();
    let series = |vital: Vital| {
        let mut points: Vec<(Time, f64)> = readings
            .iter()
            .filter_map(|v| v.values.get(vital).map(|value| (v.at, value)))
            .collect();
        points.sort_by_key(|(at, _)| *at);
        points
    };
    let panels = [
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
    for (unit, height, vitals) in panels {
        p.room(height + 14.0);
        let top = p.y + 7.0;
        let bottom = top + height;
        let data: Vec<_> = vitals.iter().map(|(v, ..)| series(*v)).collect();
        let values = data.iter().flatten().map(|(_, v)| *v);
        let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (lo, hi, step) = if unit.starts_with("SpO2") {
            ((lo.min(90.0) / 5.0).floor() * 5.0, 100.0, 5.0)
        } else if lo <= hi {
            (
                (lo / 20.0).floor() * 20.0 - 20.0,
                (hi / 20.0).ceil() * 20.0 + 20.0,
                20.0,
            )
        } else {
            (40.0, 200.0, 20.0)
        };
        let y = |v: f64| bottom - height * ((v - lo) / (hi - lo)) as f32;
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
            && let Some(base) = s.baseline_of(Vital::Systolic)
        {
            p.polyline(&[(left, y(base)), (right, y(base))], RED, 0.4, Some(1));
            names.push((y(base), RED, "baseline systolic"));
        }
        for ((_, color, dash, name), points) in vitals.iter().zip(&data) {
            let line: Vec<(f32, f32)> = points.iter().map(|(t, v)| (x(t), y(*v))).collect();
            p.polyline(&line, *color, 1.2, *dash);
            for (px, py) in &line {
                p.polyline(&[(*px - 0.6, *py), (*px + 0.6, *py)], *color, 1.2, None);
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
    // Time ticks under the last panel: whole quarter hours.
    let local = |t: &Time| t.with_timezone(offset);
    let first = local(&from);
    let quarter = 15 - i64::from(chrono::Timelike::minute(&first)) % 15;
    let mut tick = from + Duration::minutes(quarter)
        - Duration::seconds(i64::from(chrono::Timelike::second(&first)));
    let every = if span > 4.0 * 3600.0 {
        60
    } else if span > 2.0 * 3600.0 {
        30
    } else {
        15
    };
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
