//! The session report a clinician files in the record: the summary, the trend plot, the
//! infusion's steps, every alarm and how it was handled, side effects, discharge, as an
//! A4 PDF (printpdf: standard fonts, vector lines). Pure: bytes from a reviewed log
//! (`crate::review`), in its words (`crate::review::wording`).

mod pages;
mod plot;
mod win_ansi;

use crate::clock::Time;
use crate::review::wording::{
    Told, alarm_line, assessment_lines, discharge_text, signer_text, step_line, summary_lines,
};
use crate::review::{ReviewedLog, SealLine};
use chrono::{Datelike, Timelike};
use pages::{BLACK, GREEN, GREY, HEIGHT_MM, Pages, RED, WIDTH_MM};
use plot::trend_plot;
use printpdf::{BuiltinFont, Mm, PdfDocument, PdfPage, PdfSaveOptions};

/// Longest patient identifier in a page's footer, in characters: the header has it whole.
const FOOTER_PATIENT_CHARS: usize = 40;

/// Longest patient identifier in the header, in characters (about five wrapped lines):
/// past it, cut and "...".
const HEADER_PATIENT_CHARS: usize = 400;

/// Everything the report shows besides the summary.
pub struct ReportInput<'a> {
    /// The log as read for review: summary, fold, recorded profile, seal.
    pub log: &'a ReviewedLog,
    /// The log's file name.
    pub source: &'a str,
    /// When the report is made: its footer and the PDF's creation date.
    pub generated_at: Time,
}

/// The session report as PDF bytes: A4 pages, each naming the patient and its number,
/// the creation date `generated_at`. Bounded on any log, a forged one too: the trend plot
/// draws at most `session::trend::MAX_POINTS` points a vital on axes clamped to the
/// profile's accepted ranges, and a paragraph at most a few thousand characters.
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
    // Whole up to a few lines (an identifier is a few characters, a long one wraps), but a
    // forged 10 MB one must not fill thousands of pages.
    let patient = if s.patient_id.is_empty() {
        "(no identifier)".to_string()
    } else {
        crate::shown::cut(&s.patient_id, HEADER_PATIENT_CHARS)
    };
    let title = format!("Patient {patient}   {}", s.protocol.name);
    p.lines_of(11.0, BuiltinFont::HelveticaBold, BLACK, &title);
    match &input.log.seal {
        SealLine::Intact {
            sealed_at,
            sha256,
            signed_by,
        } => {
            let intact = format!(
                "Log {}: seal intact, sealed {}, {}",
                input.source,
                sealed_at.format("%Y-%m-%d %H:%M%:z"),
                signer_text(signed_by.as_ref())
            );
            p.lines_of(8.5, BuiltinFont::Helvetica, GREEN, &intact);
            p.lines_of(
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
            p.lines_of(9.5, BuiltinFont::HelveticaBold, RED, &text);
        }
    }
    p.heading("Summary");
    for line in summary_lines(s, &offset) {
        p.para(&line);
    }
    p.heading("Trends");
    trend_plot(&mut p, s, &input.log.state, &input.log.profile, &offset);
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
    p.heading("Assessments");
    let assessments = assessment_lines(&input.log.state, &input.log.profile, &clock);
    if assessments.is_empty() {
        p.para("None recorded.");
    }
    for line in assessments {
        p.para(&line);
    }
    p.heading("Discharge");
    p.para(&discharge_text(s, &clock, told));
    if let Some(note) = &s.recovered {
        p.para(note);
    }
    p.y += 4.0;
    p.lines_of(
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
    if p.replaced {
        p.lines_of(
            7.5,
            BuiltinFont::HelveticaOblique,
            GREY,
            "Some characters have no form in this PDF's fonts and are shown as ?; the log holds them as written.",
        );
    }
    let mut footer = format!("Patient {patient}");
    if let Some((cut, _)) = footer
        .char_indices()
        .nth("Patient ".len() + FOOTER_PATIENT_CHARS)
    {
        footer.truncate(cut);
        footer.push_str("...");
    }
    let pages = p
        .finish(&footer)
        .into_iter()
        .map(|ops| PdfPage::new(Mm(WIDTH_MM), Mm(HEIGHT_MM), ops))
        .collect();
    // The info dictionary's title is UTF-16: it needs no WinAnsi.
    let mut document = PdfDocument::new(&format!("Infusion session report {patient}"));
    let created = pdf_date(input.generated_at);
    let info = &mut document.metadata.info;
    (
        info.creation_date,
        info.modification_date,
        info.metadata_date,
    ) = (created, created, created);
    let options = PdfSaveOptions {
        // The text goes in as raw text operators (`pages::Pages::text_at`), which printpdf
        // writes only when not `secure`; the report makes no other unknown operator.
        secure: false,
        ..PdfSaveOptions::default()
    };
    document.with_pages(pages).save(&options, &mut Vec::new())
}

/// `at` as printpdf's date, in UTC: printpdf writes every date as UTC (`+00'00'`).
fn pdf_date(at: Time) -> printpdf::OffsetDateTime {
    let utc = at.naive_utc();
    printpdf::OffsetDateTime::new_in_offset(
        printpdf::Date {
            year: utc.year(),
            month: utc.month() as u8,
            day: utc.day() as u8,
        },
        printpdf::Time {
            hour: utc.hour() as u8,
            minute: utc.minute() as u8,
            second: utc.second() as u8,
            millisecond: 0,
        },
        printpdf::Offset {
            hours: 0,
            minutes: 0,
            seconds: 0,
            milliseconds: 0,
        },
    )
}
