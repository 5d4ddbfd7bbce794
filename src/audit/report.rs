//! The audit's output, written file by file as results come: a table for people, one
//! JSON array or a CSV for other tools. The JSON fields `file`, `passed`, `checks` and
//! `checks.seal` are a contract.

use crate::audit::checks::Check;
use crate::audit::file::{FileAudit, Integrity, Trust};
use crate::clock::format_time;
use crate::log::cells::neutralise;
use crate::shown::{excerpt, one_line};
use chrono::Duration;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Counts over every file so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Totals {
    pub files: usize,
    pub passed: usize,
    pub by_integrity: BTreeMap<Integrity, usize>,
    /// Protocol findings by check.
    pub findings: BTreeMap<Check, usize>,
    /// How many medium or high alerts waited how many whole minutes for their
    /// acknowledgement: a count per minute, so the totals stay small however many
    /// files there are.
    pub waits_min: BTreeMap<i64, usize>,
    /// Intact logs whose seal is signed (a key that verified), and unsigned.
    pub signed: usize,
    pub unsigned: usize,
    /// Signed logs the trusted keys do not name (with `--trusted-keys`).
    pub untrusted: usize,
}

impl Totals {
    pub fn add(&mut self, audit: &FileAudit) {
        self.files += 1;
        self.passed += usize::from(audit.passed());
        *self.by_integrity.entry(audit.integrity).or_default() += 1;
        if audit.integrity == Integrity::Intact {
            self.signed += usize::from(audit.signed_by.is_some());
            self.unsigned += usize::from(audit.signed_by.is_none());
            self.untrusted += usize::from(audit.trust == Some(Trust::Untrusted));
        }
        if let Some(p) = &audit.protocol {
            for f in &p.findings {
                *self.findings.entry(f.check).or_default() += 1;
            }
            for waited in p.alerts.iter().filter_map(|a| a.time_to_acknowledge()) {
                *self.waits_min.entry(waited.num_minutes()).or_default() += 1;
            }
        }
    }

    pub fn count(&self, integrity: Integrity) -> usize {
        self.by_integrity.get(&integrity).copied().unwrap_or(0)
    }

    /// The totals as lines of text.
    pub fn lines(&self) -> Vec<String> {
        // The three an auditor looks for first, then whatever else turned up.
        let shown = |i: &Integrity| {
            matches!(
                i,
                Integrity::Intact | Integrity::Altered | Integrity::NotALog
            ) || self.count(*i) > 0
        };
        let kinds: Vec<String> = Integrity::ALL
            .iter()
            .filter(|i| shown(i))
            .map(|i| format!("{} {}", i.title(), self.count(*i)))
            .collect();
        // On the files' line, so the window's table keeps its place below the totals.
        let untrusted = match self.untrusted {
            0 => String::new(),
            n => format!(" ({n} untrusted)"),
        };
        let mut lines = vec![
            format!(
                "files: {} ({}); intact logs signed: {}{untrusted}, unsigned: {}",
                self.files,
                kinds.join(", "),
                self.signed,
                self.unsigned
            ),
            format!(
                "passed: {}, failed: {}",
                self.passed,
                self.files - self.passed
            ),
        ];
        if self.findings.is_empty() {
            lines.push("protocol findings: none".into());
        } else {
            let by_kind: Vec<String> = self
                .findings
                .iter()
                .map(|(check, n)| format!("{}: {n}", check.title()))
                .collect();
            lines.push(format!("protocol findings: {}", by_kind.join(", ")));
        }
        let acknowledged: usize = self.waits_min.values().sum();
        if acknowledged > 0 {
            let mut below = 0;
            let median = self.waits_min.iter().find_map(|(minutes, n)| {
                below += n;
                (below * 2 > acknowledged).then_some(*minutes)
            });
            let longest = self.waits_min.keys().next_back();
            if let (Some(median), Some(longest)) = (median, longest) {
                lines.push(format!(
                    "medium and high alerts acknowledged: {acknowledged}, median {median} min, \
                     longest {longest} min"
                ));
            }
        }
        lines
    }
}

/// How the results are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Writes each file's result as it comes, then the end.
pub struct Report<'w> {
    format: Format,
    out: &'w mut dyn Write,
    written: usize,
}

impl<'w> Report<'w> {
    pub fn start(format: Format, out: &'w mut dyn Write) -> io::Result<Report<'w>> {
        match format {
            Format::Table => writeln!(out, "result  integrity   file")?,
            Format::Json => out.write_all(b"[")?,
            Format::Csv => {
                let mut header = vec!["file", "passed", "status"];
                header.extend(Check::ALL.iter().map(|c| c.key()));
                header.push("problems");
                write_csv(out, &header)?;
            }
        }
        Ok(Report {
            format,
            out,
            written: 0,
        })
    }

    pub fn file(&mut self, audit: &FileAudit) -> io::Result<()> {
        match self.format {
            Format::Table => self.table_row(audit)?,
            Format::Json => {
                let separator: &[u8] = if self.written == 0 { b"\n" } else { b",\n" };
                self.out.write_all(separator)?;
                serde_json::to_writer(&mut *self.out, &json(audit))?;
            }
            Format::Csv => {
                let mut record = vec![
                    audit.path.to_string_lossy().into_owned(),
                    audit.passed().to_string(),
                    audit.status().to_string(),
                ];
                record.extend(
                    Check::ALL
                        .iter()
                        .map(|c| audit.verdict(*c).name().to_string()),
                );
                record.push(audit.problems().join("; "));
                write_csv(self.out, &record)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    fn table_row(&mut self, audit: &FileAudit) -> io::Result<()> {
        let result = if audit.passed() { "pass" } else { "FAIL" };
        let status = audit.status_title();
        // A file's own text must not be able to forge a line of the report.
        let path = audit.path.to_string_lossy();
        writeln!(self.out, "{result:<6}  {status:<10}  {}", one_line(&path))?;
        for problem in audit.problems().iter().chain(&audit.notes) {
            writeln!(self.out, "        - {}", one_line(problem))?;
        }
        Ok(())
    }

    pub fn finish(self, totals: &Totals) -> io::Result<()> {
        match self.format {
            Format::Table => {
                writeln!(self.out)?;
                for line in totals.lines() {
                    writeln!(self.out, "{line}")?;
                }
            }
            Format::Json => self.out.write_all(b"\n]\n")?,
            Format::Csv => {}
        }
        self.out.flush()
    }
}

/// One row of `--csv`, each cell neutralised as in a session log: a file named
/// `=HYPERLINK(...)` must not become a live formula in the auditor's spreadsheet.
fn write_csv<S: AsRef<str>>(out: &mut dyn Write, record: &[S]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(
        record
            .iter()
            .map(|cell| neutralise(cell.as_ref()).into_owned()),
    )?;
    writer.flush()
}

fn minutes(d: Duration) -> f64 {
    d.num_seconds() as f64 / 60.0
}

fn json(audit: &FileAudit) -> serde_json::Value {
    let checks: serde_json::Map<String, serde_json::Value> = Check::ALL
        .iter()
        .map(|c| (c.key().to_string(), audit.verdict(*c).name().into()))
        .collect();
    let alerts: Vec<serde_json::Value> = audit
        .protocol
        .iter()
        .flat_map(|p| &p.alerts)
        .map(|a| {
            let acknowledged = a.acknowledged_at_highest();
            serde_json::json!({
                "alert_id": a.alert_id,
                "condition": a.key.describe(),
                "priority": a.highest.to_string(),
                "since": format_time(&a.highest_since),
                "acknowledged_at": acknowledged.map(|k| format_time(&k.at)),
                "acknowledged_by": acknowledged.map(|k| excerpt(&k.by)),
                "minutes_to_acknowledge": a.time_to_acknowledge().map(minutes),
            })
        })
        .collect();
    serde_json::json!({
        "file": audit.path.to_string_lossy(),
        "passed": audit.passed(),
        "status": audit.status(),
        "signed_by": audit.signed_by.map(|k| k.fingerprint()),
        "trusted_as": match &audit.trust {
            Some(Trust::Trusted(name)) => Some(name.as_str()),
            _ => None,
        },
        "checks": checks,
        "problems": audit.problems(),
        "notes": audit.notes,
        "patient_id": audit.patient_id,
        "profile": audit.profile,
        "alerts": alerts,
    })
}
