//! What an import did, in words: the same lines at the end of `import` and in the
//! window's summary.

use crate::clock::format_time;
use crate::import::plan::{Flag, Plan, TimeSource, Wording, ZoneSource, patient_column_name};
use crate::import::reader::Opened;
use crate::import::session::Tally;
use crate::session::Vital;
use std::collections::BTreeMap;

/// One line per topic, each starting with its topic (`time:`, `columns used:`...).
pub fn lines(opened: &Opened, plan: &Plan, report: &Tally, profile_delay_s: u32) -> Vec<String> {
    let layout = &opened.layout;
    let name = |c: usize| format!("'{}'", layout.names[c]);
    let mut out = vec![format!(
        "{} rows read, {} readings written, {} values or rows rejected, {} warnings kept unconfirmed, {} rows without values",
        report.rows_read,
        report.readings_written,
        report.rejected.len(),
        report.unconfirmed.len(),
        report.empty_rows
    )];
    let mut file = format!(
        "file: {}, {}-separated, header on line {}",
        opened.decoded.encoding,
        layout.delimiter_name(),
        layout.header_line
    );
    let named = layout.names.len();
    if plan.row_width > named {
        file += &format!(
            "; every row has {} cells, the header names {named}: the {} at the end of each row have no name and are ignored",
            plan.row_width,
            plan.row_width - named
        );
    }
    if layout.lines_above() > 0 {
        file += &format!(" ({} lines above it skipped)", layout.lines_above());
    }
    if !report.repeated_headers.is_empty() {
        file += &format!(
            "; header repeated on {} (skipped)",
            lines_list(&report.repeated_headers)
        );
    }
    out.push(file);
    let tz = Flag::Tz.said(plan.wording);
    let zone = match plan.zone {
        ZoneSource::InFile(None) => match plan.time {
            TimeSource::Epoch { .. } => "offsets in the file (UTC for Unix times)".to_string(),
            // Time since the start takes its offset from the start given.
            TimeSource::SinceStart { .. } => "the start's offset".to_string(),
            _ => "offsets in the file".to_string(),
        },
        ZoneSource::InFile(Some(z)) if matches!(plan.time, TimeSource::Epoch { .. }) => {
            format!("Unix times shown in {z} ({tz})")
        }
        ZoneSource::InFile(Some(z)) => match plan.wording {
            Wording::Flags => {
                format!("offsets in the file, kept as written ({tz} {z} was not needed)")
            }
            Wording::Fields => {
                format!("offsets in the file, kept as written ({tz}: {z} was not needed)")
            }
        },
        ZoneSource::Column(c) => format!("the zone column {}, row by row", name(c)),
        ZoneSource::Given(z) => format!("{z} ({tz})"),
    };
    let order = plan
        .date_order
        .map(|o| format!(", dates {}", o.pattern()))
        .unwrap_or_default();
    out.push(format!(
        "time: {}{order}; zone: {zone}",
        plan.time.describe(layout)
    ));
    out.extend(plan.time_notes.iter().map(|n| format!("time: {n}")));
    if let (Some((column, id)), Some((_, ids))) = (&plan.patient, opened.survey.patients()) {
        let others: usize = ids.iter().filter(|(v, _)| v != id).map(|(_, n)| n).sum();
        let blank = opened
            .survey
            .ids
            .get(column)
            .and_then(|values| values.get(""))
            .map_or(0, |(rows, _)| *rows);
        let mut line = format!(
            "patient: '{id}' of {} in {}",
            ids.len(),
            patient_column_name(layout, *column)
        );
        if ids.len() > 1 {
            line += &format!("; {others} rows of the {} others not read", ids.len() - 1);
        }
        if blank > 0 {
            line += &format!("; {blank} rows without a patient identifier not read");
        }
        out.push(line);
    }
    let used: Vec<String> = plan
        .vitals
        .columns
        .iter()
        .map(|(role, c)| format!("{role} <- {}", name(*c)))
        .collect();
    out.push(format!("columns used: {}", used.join("; ")));
    if !report.score_columns.is_empty() {
        // The columns named after a scale of the profile, and how many of each scale's
        // scores were kept (a score refused is among the rejected).
        let read: Vec<String> = report
            .score_columns
            .iter()
            .map(|(column, scale)| {
                let n = report.scores.get(scale).copied().unwrap_or(0);
                format!("{n} {scale} from '{column}'")
            })
            .collect();
        out.push(format!("scores read: {}", read.join("; ")));
    }
    out.extend(plan.column_notes.iter().map(|n| format!("columns: {n}")));
    out.extend(channel_counts(report));
    if !plan.unused_vitals.is_empty() {
        let unused: Vec<String> = plan
            .unused_vitals
            .iter()
            .map(|c| {
                let role = layout.roles[*c].map(|r| r.to_string()).unwrap_or_default();
                format!("{} ({role}, already read from another column)", name(*c))
            })
            .collect();
        out.push(format!("columns not used: {}", unused.join(", ")));
    }
    let ignored = opened.ignored_columns(plan);
    if !ignored.is_empty() {
        let unused: Vec<&str> = plan
            .unused_vitals
            .iter()
            .map(|c| layout.names[*c].as_str())
            .chain(report.score_columns.iter().map(|(c, _)| c.as_str()))
            .collect();
        let ignored: Vec<&str> = ignored
            .iter()
            .map(String::as_str)
            .filter(|n| !unused.contains(n))
            .collect();
        if !ignored.is_empty() {
            out.push(format!(
                "columns ignored ({}): {}",
                ignored.len(),
                ignored.join(", ")
            ));
        }
    }
    out.extend(plan.cautions.iter().map(|c| format!("warning: {c}")));
    for (why, (count, first)) in &report.set_aside {
        out.push(format!(
            "read as no value: {count} x {} (first on line {first})",
            why.describe(&opened.table, &layout.names)
        ));
    }
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for p in &report.rejected {
        *reasons
            .entry(format!("{} {}", p.problem.field, p.problem.reason))
            .or_default() += 1;
    }
    for (reason, count) in reasons {
        out.push(format!("rejected: {count} x {reason}"));
    }
    out.push(rhythm(report, profile_delay_s));
    if let Some((from, to)) = report.span {
        out.push(format!(
            "readings span {} to {}",
            format_time(&from),
            format_time(&to)
        ));
    }
    out
}

/// How many readings took each pressure channel and heart-rate source.
fn channel_counts(report: &Tally) -> Vec<String> {
    let show = |what: &str, parts: Vec<String>| {
        (!parts.is_empty()).then(|| format!("{what}: {}", parts.join(", ")))
    };
    [
        show(
            "blood pressure readings by channel",
            report
                .bp_channels
                .iter()
                .map(|(c, n)| format!("{n} {}", c.name()))
                .collect(),
        ),
        show(
            "heart rate readings by source",
            report
                .hr_sources
                .iter()
                .map(|(c, n)| format!("{n} {}", c.name()))
                .collect(),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn rhythm(report: &Tally, delay_s: u32) -> String {
    if report.streams.is_empty() {
        return "rhythm: spot readings (a medium condition is confirmed by a recheck)".into();
    }
    let streamed: Vec<String> = report
        .streams
        .iter()
        .map(|(v, median)| format!("{} every {median} s", v.label()))
        .collect();
    let spot: Vec<&str> = Vital::ALL
        .into_iter()
        .filter(|v| report.kept[*v] > 0 && !report.streams.iter().any(|(s, _)| s == v))
        .map(Vital::label)
        .collect();
    let mut text = format!(
        "rhythm: a device stream ({}, median): alerts wait until a condition lasts {delay_s} s",
        streamed.join(", ")
    );
    if !spot.is_empty() {
        text += &format!("; {} as spot readings", spot.join(", "));
    }
    text
}

fn lines_list(lines: &[u64]) -> String {
    let shown: Vec<String> = lines.iter().take(5).map(|l| l.to_string()).collect();
    let more = lines.len().saturating_sub(5);
    let word = if lines.len() == 1 { "line" } else { "lines" };
    if more > 0 {
        format!("{word} {} and {more} more", shown.join(", "))
    } else {
        format!("{word} {}", shown.join(", "))
    }
}
