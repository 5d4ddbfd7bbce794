//! The session report a clinician files in the record: the summary, the trend plot, the
//! infusion's steps, every alarm and how it was handled, side effects, discharge, as an
//! A4 PDF (printpdf: standard fonts, vector lines). Pure: bytes from a reviewed log
//! (`crate::review`), in its words (`crate::review::wording`).

mod pages;
mod plot;

use crate::clock::Time;
use crate::review::wording::{Told, alarm_line, discharge_text, step_line, summary_lines};
use crate::review::{ReviewedLog, SealLine};
use pages::{BLACK, GREEN, GREY, HEIGHT_MM, Pages, RED, WIDTH_MM, printable, wrap};
use plot::trend_plot;
use printpdf::{BuiltinFont, Mm, PdfDocument, PdfPage, PdfSaveOptions};

/// Everything the report shows besides the summary.
pub struct ReportInput<'a> {
    /// The log as read for review: summary, fold, recorded profile, seal.
    pub log: &'a ReviewedLog,
    /// The log's file name.
    pub source: &'a str,
    /// When the report is made: its footer and the PDF's creation date.
    pub generated_at: Time,
}

/// The session report as PDF bytes.
pub fn session_pdf(input: &ReportInput) -> Vec<u8> {
    let s = &input.log.summary;
    let told = Told::of(&input.log.seal, &input.log.state);
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
    match &input.log.seal {
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
    trend_plot(&mut p, s, &input.log.state, &offset);
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
