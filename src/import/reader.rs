//! Reading a CSV export into readings: the file is opened and surveyed once, a plan is
//! decided (with the user's answers), then every row is read by that plan. One bad row
//! never stops the import: it gives a problem at its line, and everything valid is kept.

use crate::alerts::Profile;
use crate::alerts::profile::ValidationRules;
use crate::alerts::scales::Scale;
use crate::clock::Time;
use crate::import::columns::{BpChannel, ColumnTable, HrChannel, Role};
use crate::import::layout::{self, Chunk, Decoded, Layout};
use crate::import::plan::{
    ALL_PATIENT_COLUMNS, Answers, Plan, Refusal, Survey, TimeSource, ZoneSource, patient_key,
};
use crate::import::probe::Probe;
use crate::import::stamp::{Stamp, dotted_clock, read_stamp};
use crate::import::times::{
    NANOS_PER_MILLISECOND, NANOS_PER_SECOND, Zone, exact_nanos, from_epoch, place,
};
use crate::import::values::{self, Cell, Missing};
use crate::session::validate::{Field, Problem, Severity, accepted_range};
use crate::session::{Via, Vital, VitalSet};
use crate::shown::excerpt;
use chrono::{FixedOffset, NaiveDateTime, Offset, TimeZone};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// A row that gave a time and at least one value or score.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedRow {
    /// 1-based physical line of the file.
    pub line: u64,
    pub at: Time,
    pub values: VitalSet,
    pub via: Via,
    /// The row's scores, each with its column's place in [`Parsed::score_columns`]; empty
    /// (and unallocated) for a file without score columns.
    pub scores: Vec<(usize, i32)>,
}

/// A column read as the scores of one of the profile's scales: its name (or one of its
/// `import_names`) is the column's, compared as the table compares column names.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreColumn {
    /// The column's place in the file, and its name there.
    pub column: usize,
    pub name: String,
    /// The scale's name, as the profile gives it (`MOAA/S`).
    pub scale: String,
    /// The scale's range, for a cell that is not a whole number.
    pub range: (i32, i32),
}

/// A problem with one value or one row, at its line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineProblem {
    pub line: u64,
    pub problem: Problem,
}

/// Values read as "no value" and why, for the summary: count and first line.
#[derive(Clone, Copy, Debug, Eq, Hash, PartialEq, PartialOrd, Ord)]
pub enum SetAside {
    Missing(Missing),
    /// A device's code for no reading, in one column (by its index): counted per column.
    NoReading {
        column: usize,
        code: u32,
    },
    /// An arterial line without a pulse wave (systolic close to diastolic).
    FlatArterialLine,
    /// The heart rate such a line counted.
    FlatLineRate,
}

impl SetAside {
    /// In words, for the summary; `names` are the file's column names.
    pub fn describe(self, table: &ColumnTable, names: &[String]) -> String {
        match self {
            SetAside::Missing(m) => m.describe().to_string(),
            SetAside::NoReading { column, code } => format!(
                "{code} in '{}' (a device's code for no reading)",
                names.get(column).map_or("", String::as_str)
            ),
            SetAside::FlatArterialLine => format!(
                "arterial pressure with systolic and diastolic less than {} mmHg apart (line not connected or damped): no blood pressure",
                table.flat_line_below_mmhg
            ),
            SetAside::FlatLineRate => {
                "heart rate counted by that flat arterial line: no heart rate from it".into()
            }
        }
    }
}

/// What reading the file gave, before the session is built.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parsed {
    pub rows: Vec<ParsedRow>,
    pub problems: Vec<LineProblem>,
    /// Data rows in the file (not blank lines or repeated headers).
    pub rows_read: usize,
    /// Rows whose vitals were all missing: no reading, and not an error.
    pub empty_rows: usize,
    pub repeated_headers: Vec<u64>,
    pub set_aside: BTreeMap<SetAside, (usize, u64)>,
    /// Vitals that came as a stream, and the median time between their values.
    pub streams: Vec<(Vital, f64)>,
    /// The columns read as scores ([`Opened::score_columns`]).
    pub score_columns: Vec<ScoreColumn>,
}

/// A file opened and surveyed, ready for a plan.
pub struct Opened {
    pub decoded: Decoded,
    pub layout: Layout,
    pub survey: Survey,
    pub table: ColumnTable,
}

impl Opened {
    pub fn new(bytes: Vec<u8>, table: ColumnTable) -> Result<Opened, Refusal> {
        let decoded = layout::decode(bytes);
        let mut layout = layout::find(&decoded.text, &table).map_err(Refusal::Format)?;
        let mut probe = Probe::take(&decoded.text, &layout, &table);
        probe.pairs_as_blood_pressure(&mut layout, &table);
        let mut survey = Survey::take(&decoded.text, &layout, &probe.time_candidates(&layout));
        survey.probe = probe;
        Ok(Opened {
            decoded,
            layout,
            survey,
            table,
        })
    }

    pub fn plan(&self, answers: &Answers) -> Result<Plan, Refusal> {
        if self.survey.rows == 0 {
            return Err(Refusal::Format(format!(
                "the file has a header (line {}) but no rows of readings",
                self.layout.header_line
            )));
        }
        // `--time-column` may name any column: one not surveyed yet is surveyed now.
        let named = answers
            .time_column
            .as_deref()
            .and_then(|name| self.layout.column_named(name))
            .filter(|&c| !self.survey.columns[c].surveyed);
        match named {
            Some(c) => {
                let mut survey = self.survey.clone();
                let more = Survey::take(&self.decoded.text, &self.layout, &[c]);
                survey.columns[c] = more.columns[c].clone();
                Plan::decide(&self.layout, &survey, answers)
            }
            None => Plan::decide(&self.layout, &self.survey, answers),
        }
    }

    /// The first `n` data rows as text, for a preview.
    pub fn preview(&self, n: usize) -> Vec<(u64, Vec<String>)> {
        let mut rdr = self.layout.reader(&self.decoded.text);
        let mut lines = self.layout.lines(&self.decoded.text);
        let mut record = csv::ByteRecord::new();
        let _header = rdr.read_byte_record(&mut record);
        let mut out = Vec::new();
        while out.len() < n && matches!(rdr.read_byte_record(&mut record), Ok(true)) {
            let cells = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).trim().to_string())
                .collect();
            out.push((lines.of(&record).0, cells));
        }
        out
    }

    /// The columns the table names as patient identifiers.
    pub fn patient_columns(&self) -> Vec<usize> {
        (0..self.layout.names.len())
            .filter(|&c| self.layout.roles[c] == Some(Role::Patient))
            .collect()
    }

    /// The columns read as scores of `scales` by `plan`: those chosen by hand
    /// ([`Plan::scores`]), then, for each scale not chosen, the first column (in the
    /// file's order) the table does not name (a vital, a time, a patient, a zone), not
    /// chosen for a vital or the time by hand, whose name folds (as [`ColumnTable::fold`]
    /// folds it) to the scale's name or one of its `import_names`. One column a scale:
    /// two would give two scores for one assessment.
    pub fn score_columns(&self, plan: &Plan, scales: &[Scale]) -> Vec<ScoreColumn> {
        self.scale_columns(scales, &plan.scores, |c| {
            plan.vitals.columns.iter().any(|(_, col)| *col == c)
                || plan.time.columns().contains(&c)
                || plan.zone == ZoneSource::Column(c)
        })
    }

    /// The columns read as scores of `scales`, before a plan is made (the import window
    /// shows them as the vitals' columns): `chosen` by hand first, then by name among
    /// the columns neither the table names nor `taken` says are another's. In the
    /// file's order.
    pub fn scale_columns(
        &self,
        scales: &[Scale],
        chosen: &[(String, Option<usize>)],
        taken: impl Fn(usize) -> bool,
    ) -> Vec<ScoreColumn> {
        let table = &self.table;
        let column = |c: usize, scale: &Scale| ScoreColumn {
            column: c,
            name: self.layout.names[c].clone(),
            scale: scale.name.clone(),
            range: scale.range,
        };
        let choice = |scale: &Scale| chosen.iter().find(|(name, _)| *name == scale.name);
        let mut out: Vec<ScoreColumn> = scales
            .iter()
            .filter_map(|scale| match choice(scale)? {
                (_, Some(c)) if *c < self.layout.names.len() => Some(column(*c, scale)),
                _ => None,
            })
            .collect();
        for (c, name) in self.layout.names.iter().enumerate() {
            let key = table.fold(name);
            if self.layout.roles[c].is_some()
                || taken(c)
                || key.is_empty()
                || out.iter().any(|s| s.column == c)
            {
                continue;
            }
            let scale = scales.iter().find(|s| {
                choice(s).is_none()
                    && std::iter::once(&s.name)
                        .chain(&s.import_names)
                        .any(|n| table.fold(n) == key)
            });
            if let Some(scale) = scale
                && !out.iter().any(|s| s.scale == scale.name)
            {
                out.push(column(c, scale));
            }
        }
        out.sort_by_key(|s| s.column);
        out
    }

    /// Columns that feed no vital and no time, and tell no patients apart.
    pub fn ignored_columns(&self, plan: &Plan) -> Vec<String> {
        let used = |i: usize| {
            plan.vitals.columns.iter().any(|(_, c)| *c == i)
                || plan.time.columns().contains(&i)
                || plan.zone == ZoneSource::Column(i)
                || plan.patient.as_ref().is_some_and(|(c, _)| {
                    *c == i
                        || (*c == ALL_PATIENT_COLUMNS
                            && self.layout.roles[i] == Some(Role::Patient))
                })
        };
        (0..self.layout.names.len())
            .filter(|i| !used(*i))
            .map(|i| self.layout.names[i].clone())
            .collect()
    }

    /// Reads every row by the plan, the file's parts on as many threads as the computer
    /// has cores. `progress(done, total)` is called now and then with bytes read, for a
    /// progress bar.
    pub fn read(
        &self,
        plan: &Plan,
        profile: &Profile,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Parsed {
        let rules = &profile.validation;
        let score_columns = self.score_columns(plan, &profile.scales);
        let text = &self.decoded.text;
        let total = (text.len() - self.layout.header_offset) as u64;
        let chunks = self.layout.chunks(text, layout::threads());
        let header = {
            let mut record = csv::ByteRecord::new();
            let _ = self.layout.reader(text).read_byte_record(&mut record);
            record
        };
        let done = AtomicU64::new(0);
        // The survey counted the rows: the first part's list takes them all at the end.
        let expected = |chunk: &Chunk| match chunk.has_header {
            true => self.survey.rows,
            false => self.survey.rows / chunks.len() + 1,
        };
        let read_part = |chunk: &Chunk, progress: &mut dyn FnMut(u64, u64)| {
            let mut rows = RowReader {
                opened: self,
                plan,
                rules,
                score_columns: &score_columns,
                zone_cache: None,
                patient_columns: self.patient_columns(),
                parsed: Parsed {
                    rows: Vec::with_capacity(expected(chunk)),
                    ..Parsed::default()
                },
            };
            let mut rdr = chunk.reader();
            let mut lines = chunk.lines();
            let mut record = csv::ByteRecord::new();
            if chunk.has_header {
                let _header = rdr.read_byte_record(&mut record);
            }
            let mut counted = 0;
            while let Ok(true) = rdr.read_byte_record(&mut record) {
                if record.iter().all(|c| c.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                let (line, start) = lines.of(&record);
                if is_repeated_header(&record, &header) {
                    rows.parsed.repeated_headers.push(line);
                    continue;
                }
                rows.row(line, &record);
                if rows.parsed.rows_read.is_multiple_of(4096) {
                    let delta = (start - counted) as u64;
                    counted = start;
                    progress(done.fetch_add(delta, Ordering::Relaxed) + delta, total);
                }
            }
            done.fetch_add((chunk.bytes() - counted) as u64, Ordering::Relaxed);
            rows.parsed
        };
        let mut parsed = std::thread::scope(|s| {
            let later: Vec<_> = chunks[1..]
                .iter()
                .map(|c| s.spawn(|| read_part(c, &mut |_, _| {})))
                .collect();
            let mut parsed = read_part(&chunks[0], progress);
            for part in later {
                parsed.append(part.join().expect("a reading thread"));
            }
            parsed
        });
        progress(total, total);
        mark_streams(&mut parsed, self.table.device_stream_max_median_s);
        parsed.score_columns = score_columns;
        parsed
    }
}

impl Parsed {
    /// Adds what a later part of the file gave: the first lines stay this part's.
    fn append(&mut self, later: Parsed) {
        self.rows.extend(later.rows);
        self.problems.extend(later.problems);
        self.rows_read += later.rows_read;
        self.empty_rows += later.empty_rows;
        self.repeated_headers.extend(later.repeated_headers);
        for (why, (count, first)) in later.set_aside {
            self.set_aside.entry(why).or_insert((0, first)).0 += count;
        }
    }
}

/// A header row repeated mid-file (files joined by copy and paste, or a monitor that
/// writes its header again after each restart).
/// More than half of its cells are the header's; asked of every row, so it stops as soon
/// as the answer is known.
fn is_repeated_header(record: &csv::ByteRecord, header: &csv::ByteRecord) -> bool {
    let needed = header.len() / 2 + 1;
    let mut same = 0;
    for (left, (a, b)) in (0..header.len())
        .rev()
        .zip(record.iter().zip(header.iter()))
    {
        if !b.is_empty() && a.trim_ascii() == b.trim_ascii() {
            same += 1;
            if same >= needed {
                return true;
            }
        } else if same + left < needed {
            return false;
        }
    }
    false
}

struct RowReader<'a> {
    opened: &'a Opened,
    plan: &'a Plan,
    rules: &'a ValidationRules,
    score_columns: &'a [ScoreColumn],
    /// The last zone cell read and what it gave: zones rarely change between rows.
    zone_cache: Option<(String, Result<Zone, String>)>,
    /// The file's patient-identifier columns, for a patient told apart by all of them.
    patient_columns: Vec<usize>,
    parsed: Parsed,
}

impl RowReader<'_> {
    fn cell<'r>(&self, record: &'r csv::ByteRecord, column: usize) -> &'r str {
        record
            .get(column)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    fn row(&mut self, line: u64, record: &csv::ByteRecord) {
        if let Some((column, id)) = &self.plan.patient
            && patient_key(&self.patient_columns, *column, |c| {
                self.cell(record, c).trim()
            }) != *id
        {
            // Another patient's row (the survey counted them for the summary).
            return;
        }
        self.parsed.rows_read += 1;
        if let Some(lines) = self.swallowed(record) {
            let problem = unclosed_quote(lines);
            self.parsed.problems.push(LineProblem { line, problem });
            return;
        }
        if self.shifted(record) {
            let problem = shifted_row(record.len(), self.plan.row_width);
            self.parsed.problems.push(LineProblem { line, problem });
            return;
        }
        let at = match self.time(record) {
            Ok(at) => at,
            Err((text, reason)) => {
                let problem = bad_time(&text, &reason, &self.accepted_time());
                self.parsed.problems.push(LineProblem { line, problem });
                return;
            }
        };
        let mut values = VitalSet::default();
        let mut via = Via::default();
        let line_flat = self.pressure(line, record, &mut values, &mut via);
        self.heart_rate(line, record, &mut values, &mut via, line_flat);
        if let Some(c) = self.plan.vitals.column(Role::Spo2)
            && let Some(v) = self.value(line, record, c, Vital::Spo2)
        {
            values.set(Vital::Spo2, Some(v));
        }
        // One respiratory-rate column for the whole file (`VitalColumns::best_resp_rate`).
        if let Some((_, c)) = self.plan.vitals.resp_rate()
            && let Some(v) = self.value(line, record, c, Vital::RespRate)
        {
            values.set(Vital::RespRate, Some(v));
        }
        let scores = self.scores(line, record);
        // A row with a score and no vital is a row with values: the score is kept.
        if values.is_empty() && scores.is_empty() {
            self.parsed.empty_rows += 1;
        } else {
            self.parsed.rows.push(ParsedRow {
                line,
                at,
                values,
                via,
                scores,
            });
        }
    }

    /// Whether a row's cells may have moved from their columns: it has another number of
    /// cells than the file's rows (beyond blank cells at its end), and a vital's column
    /// holds something in it. Which cell moved cannot be told, so none is trusted.
    fn shifted(&self, record: &csv::ByteRecord) -> bool {
        let width = self.plan.row_width;
        let blank_from = |n: usize| record.iter().skip(n).all(|c| c.trim_ascii().is_empty());
        // Values beyond the header's names where the file's first rows had none.
        let unexpected_surplus =
            !self.plan.surplus_expected && !blank_from(self.opened.layout.names.len());
        if !unexpected_surplus
            && (record.len() == width || (record.len() > width && blank_from(width)))
        {
            return false;
        }
        let table = &self.opened.table;
        self.plan
            .vitals
            .columns
            .iter()
            .any(|(_, c)| !table.is_missing_text(self.cell(record, *c).trim()))
            || self
                .score_columns
                .iter()
                .any(|s| !table.is_missing_text(self.cell(record, s.column).trim()))
    }

    /// The row's scores: each score column's whole number, by the column's place in
    /// `score_columns`. A cell that is not a whole number is a problem at its line, naming
    /// the column; whether a whole number is on the scale the session decides, as for a
    /// score entered by hand.
    fn scores(&mut self, line: u64, record: &csv::ByteRecord) -> Vec<(usize, i32)> {
        let mut scores = Vec::new();
        for (i, column) in self.score_columns.iter().enumerate() {
            let text = self.cell(record, column.column);
            let cell = values::number(&self.opened.table, text, self.opened.layout.decimal_comma);
            match cell {
                Cell::Number(v) if v.fract() == 0.0 && v.abs() <= f64::from(i32::MAX) => {
                    scores.push((i, v as i32));
                }
                Cell::Missing(Missing::Blank) => {}
                Cell::Missing(why) => self.set_aside(line, SetAside::Missing(why)),
                Cell::Number(_) | Cell::NotANumber => {
                    let problem = not_a_score(column, text);
                    self.parsed.problems.push(LineProblem { line, problem });
                }
            }
        }
        scores
    }

    /// How many lines a quote opened in this row and never closed swallowed: a cell that
    /// runs over line ends where the lines look like the file's rows (as many delimiters
    /// as a row has, less one). None for a row without such a cell (a quoted note with a
    /// line break in it is fine).
    fn swallowed(&self, record: &csv::ByteRecord) -> Option<usize> {
        memchr::memchr(b'\n', record.as_slice())?;
        let delimiters = self.plan.row_width.saturating_sub(1).max(1);
        let delimiter = self.opened.layout.delimiter;
        record.iter().find_map(|cell| {
            let mut lines = cell
                .split(|b| *b == b'\n')
                .skip(1)
                .filter(|l| !l.trim_ascii().is_empty())
                .peekable();
            lines.peek()?;
            let row_like = lines
                .clone()
                .any(|l| memchr::memchr_iter(delimiter, l).count() >= delimiters);
            row_like.then(|| lines.count())
        })
    }

    /// One number cell for a vital; problems and set-aside values are noted.
    fn value(
        &mut self,
        line: u64,
        record: &csv::ByteRecord,
        column: usize,
        vital: Vital,
    ) -> Option<f64> {
        let text = self.cell(record, column);
        let cell = values::vital_number(
            &self.opened.table,
            text,
            self.opened.layout.decimal_comma,
            vital,
        );
        if let Cell::Missing(Missing::NoReading(code)) = cell {
            self.set_aside(line, SetAside::NoReading { column, code });
            return None;
        }
        self.take(line, cell, vital, text)
    }

    fn take(&mut self, line: u64, cell: Cell, vital: Vital, text: &str) -> Option<f64> {
        match cell {
            Cell::Number(v) => Some(v),
            Cell::Missing(Missing::Blank) => None,
            Cell::Missing(why) => {
                self.set_aside(line, SetAside::Missing(why));
                None
            }
            Cell::NotANumber => {
                let table = &self.opened.table;
                let pair = values::pair(table, text, self.opened.layout.decimal_comma);
                let problem = match (vital, pair) {
                    // `120/80` under `RR`: a German chart's blood pressure, never a rate.
                    (Vital::RespRate, (Cell::Number(_), Cell::Number(_))) => {
                        pair_as_rate(self.rules, text)
                    }
                    _ => not_a_number(self.rules, vital, text),
                };
                self.parsed.problems.push(LineProblem { line, problem });
                None
            }
        }
    }

    fn set_aside(&mut self, line: u64, why: SetAside) {
        self.parsed.set_aside.entry(why).or_insert((0, line)).0 += 1;
    }

    /// Non-invasive pressure when the row has it, else a connected arterial line.
    /// Whether the row's arterial line was flat (no pulse wave: nothing to count either).
    fn pressure(
        &mut self,
        line: u64,
        record: &csv::ByteRecord,
        values: &mut VitalSet,
        via: &mut Via,
    ) -> bool {
        let mut flat = false;
        for channel in BpChannel::ALL {
            let [sys_col, dia_col, pair_col] = self.plan.vitals.pressure(channel);
            let mut sys = sys_col.and_then(|c| self.value(line, record, c, Vital::Systolic));
            let mut dia = dia_col.and_then(|c| self.value(line, record, c, Vital::Diastolic));
            if let Some(c) = pair_col.filter(|_| sys.is_none() && dia.is_none()) {
                let text = self.cell(record, c);
                let (s, d) =
                    values::pair(&self.opened.table, text, self.opened.layout.decimal_comma);
                let half = matches!(
                    (s, d),
                    (Cell::Number(_), Cell::Missing(_)) | (Cell::Missing(_), Cell::Number(_))
                );
                if s == Cell::NotANumber || d == Cell::NotANumber || half {
                    // Half of `128/82/70`, or `165/`, is no blood pressure: the cell goes whole.
                    let problem = not_a_pair(self.rules, text);
                    self.parsed.problems.push(LineProblem { line, problem });
                } else {
                    sys = self.take(line, s, Vital::Systolic, text);
                    dia = self.take(line, d, Vital::Diastolic, text);
                }
            }
            if sys.is_none() && dia.is_none() {
                continue;
            }
            if let (BpChannel::Arterial, Some(s), Some(d)) = (channel, sys, dia)
                && (s - d).abs() < self.opened.table.flat_line_below_mmhg
            {
                self.set_aside(line, SetAside::FlatArterialLine);
                flat = true;
                continue;
            }
            values.set(Vital::Systolic, sys);
            values.set(Vital::Diastolic, dia);
            // A cuff is what a blood pressure reading means unless the log says otherwise.
            via.bp = Some(channel).filter(|c| *c == BpChannel::Arterial);
            return flat;
        }
        flat
    }

    /// The first heart rate the row has, ECG before oximeter before the rest.
    fn heart_rate(
        &mut self,
        line: u64,
        record: &csv::ByteRecord,
        values: &mut VitalSet,
        via: &mut Via,
        arterial_flat: bool,
    ) {
        for (channel, column) in self.plan.vitals.heart_rates() {
            if let Some(v) = self.value(line, record, column, Vital::HeartRate) {
                if arterial_flat && channel == HrChannel::Arterial {
                    self.set_aside(line, SetAside::FlatLineRate);
                    continue;
                }
                values.set(Vital::HeartRate, Some(v));
                // A rate from a named source is worth recording; "Pulse" says nothing more.
                via.hr = Some(channel).filter(|c| *c != HrChannel::Unspecified);
                return;
            }
        }
    }

    /// The row's time, or the text and why it could not be read.
    fn time(&mut self, record: &csv::ByteRecord) -> Result<Time, (String, String)> {
        let plan = self.plan;
        match plan.time {
            TimeSource::Stamped(c) => {
                let text = self.cell(record, c);
                let local = match read_stamp(text) {
                    Some(Stamp::Date {
                        date,
                        time: Some(time),
                        offset,
                    }) => match date.date(plan.date_order) {
                        Some(d) => (d.and_time(time), offset),
                        None => return Err((text.into(), self.not_a_date())),
                    },
                    _ if text.trim().is_empty() => {
                        return Err((String::new(), "is missing".into()));
                    }
                    _ => return Err((text.into(), "is not a date and time".into())),
                };
                self.locate(record, local.0, local.1)
                    .map_err(|reason| (text.to_string(), reason))
            }
            TimeSource::DateAndTime { date, time } => {
                let (date_text, time_text) = (self.cell(record, date), self.cell(record, time));
                let both = format!("{} {}", date_text.trim(), time_text.trim());
                // A date alone, or at midnight (a spreadsheet's date cell).
                let day = match read_stamp(date_text) {
                    Some(Stamp::Date { date, time, .. })
                        if time.is_none_or(|t| t == chrono::NaiveTime::MIN) =>
                    {
                        date.date(plan.date_order)
                    }
                    _ => None,
                };
                let Some(day) = day else {
                    return Err((both, self.not_a_date()));
                };
                let t = match read_stamp(time_text) {
                    Some(Stamp::TimeOfDay(t)) => t,
                    Some(Stamp::Number(_)) if let Some(t) = dotted_clock(time_text) => t,
                    _ => return Err((both, "has no readable time of day".into())),
                };
                self.locate(record, day.and_time(t), None)
                    .map_err(|reason| (both, reason))
            }
            TimeSource::Epoch { column, millis } => {
                let text = self.cell(record, column);
                if !matches!(read_stamp(text), Some(Stamp::Number(_))) {
                    return Err((text.into(), "is not a Unix time".into()));
                }
                let unit = if millis {
                    NANOS_PER_MILLISECOND
                } else {
                    NANOS_PER_SECOND
                };
                let utc = FixedOffset::east_opt(0).expect("zero offset");
                let instant = from_epoch(text, unit, utc)
                    .ok_or_else(|| (text.to_string(), "is out of range".to_string()))?;
                Ok(match plan.zone {
                    ZoneSource::InFile(Some(zone)) | ZoneSource::Given(zone) => {
                        shift(instant, zone)
                    }
                    _ => instant,
                })
            }
            TimeSource::SinceStart { column, unit } => {
                let text = self.cell(record, column);
                let start = plan
                    .start
                    .ok_or_else(|| (text.to_string(), "has no start".into()))?;
                // The plan holds a unit: it is asked when the header does not say.
                let unit = unit.ok_or_else(|| (text.to_string(), "has no unit".to_string()))?;
                // Up to 10^7 s (115 days) either side of the start, read digit by digit:
                // exact to the nanosecond.
                let limit = 10_000_000 * NANOS_PER_SECOND;
                match exact_nanos(text, unit.nanos()) {
                    Some(n) if (-limit..=limit).contains(&n) => {
                        let nanos = i64::try_from(n)
                            .map_err(|_| (text.to_string(), "is out of range".to_string()))?;
                        Ok(start + chrono::Duration::nanoseconds(nanos))
                    }
                    _ => Err((text.into(), format!("is not a number of {}", unit.word()))),
                }
            }
        }
    }

    fn not_a_date(&self) -> String {
        match self.plan.date_order {
            Some(order) => format!("is not a date when read {}", order.pattern()),
            None => "is not a date".into(),
        }
    }

    /// A local time given its offset: its own, the row's zone column, or `--tz`.
    fn locate(
        &mut self,
        record: &csv::ByteRecord,
        local: NaiveDateTime,
        offset: Option<FixedOffset>,
    ) -> Result<Time, String> {
        if let Some(offset) = offset {
            return place(local, Zone::Fixed(offset));
        }
        let zone = match self.plan.zone {
            ZoneSource::Given(zone) | ZoneSource::InFile(Some(zone)) => zone,
            ZoneSource::Column(c) => {
                let text = self.cell(record, c).trim();
                let cached = self.zone_cache.as_ref().filter(|(t, _)| t == text);
                let zone = match cached {
                    Some((_, z)) => z.clone(),
                    None => {
                        let z = text.parse::<Zone>();
                        self.zone_cache = Some((text.to_string(), z.clone()));
                        z
                    }
                };
                zone.map_err(|e| format!("has no zone: the zone column says {e}"))?
            }
            ZoneSource::InFile(None) => return Err("has no UTC offset".into()),
        };
        place(local, zone)
    }

    fn accepted_time(&self) -> String {
        let layout = &self.opened.layout;
        let example = match self.plan.time {
            TimeSource::Stamped(_) | TimeSource::DateAndTime { .. } => match self.plan.date_order {
                Some(order) => format!("a date and time, {},", order.pattern()),
                None => "a date and time such as 2026-03-14T09:30:00+01:00".into(),
            },
            TimeSource::Epoch { millis, .. } => format!(
                "Unix time in {}",
                if millis { "milliseconds" } else { "seconds" }
            ),
            TimeSource::SinceStart { unit, .. } => format!(
                "{} since the start",
                unit.map_or("time", crate::import::times::OffsetUnit::word)
            ),
        };
        format!("accepted: {example} in {}", self.plan.time.describe(layout))
    }
}

/// An instant shown at the zone's offset for that instant.
fn shift(instant: Time, zone: Zone) -> Time {
    let offset = match zone {
        Zone::Fixed(o) => o,
        Zone::Iana(tz) => tz.offset_from_utc_datetime(&instant.naive_utc()).fix(),
    };
    instant.with_timezone(&offset)
}

/// Marks the vitals whose values come every few seconds as streamed.
fn mark_streams(parsed: &mut Parsed, max_median_s: f64) {
    for vital in Vital::ALL {
        let mut times: Vec<Time> = parsed
            .rows
            .iter()
            .filter(|r| r.values.get(vital).is_some())
            .map(|r| r.at)
            .collect();
        if times.len() < 3 {
            continue;
        }
        times.sort();
        let mut gaps: Vec<f64> = times
            .windows(2)
            .map(|w| (w[1] - w[0]).num_milliseconds() as f64 / 1000.0)
            .filter(|g| *g > 0.0)
            .collect();
        if gaps.is_empty() {
            continue;
        }
        let middle = gaps.len() / 2;
        let (_, &mut median, _) = gaps.select_nth_unstable_by(middle, f64::total_cmp);
        if median <= max_median_s {
            parsed.streams.push((vital, median));
            for row in parsed.rows.iter_mut() {
                if row.values.get(vital).is_some() {
                    row.via.set_streamed(vital, true);
                }
            }
        }
    }
}

fn not_a_number(rules: &ValidationRules, vital: Vital, text: &str) -> Problem {
    Problem {
        field: Field::Vital(vital),
        // Quoted cells may hold line breaks: keep each message on one line.
        value: excerpt(text.trim()),
        severity: Severity::Reject,
        reason: "not a number".into(),
        accepted: accepted_range(rules, vital),
        drops: vec![vital],
    }
}

/// A score cell that is not a whole number (`2.5`, `drowsy`).
pub fn not_a_score(column: &ScoreColumn, text: &str) -> Problem {
    let (lo, hi) = column.range;
    Problem {
        field: Field::Score,
        value: format!(
            "{} '{}' in column '{}'",
            column.scale,
            excerpt(text.trim()),
            column.name
        ),
        severity: Severity::Reject,
        reason: "is not a whole number on the scale".into(),
        accepted: format!("accepted {lo}-{hi}"),
        drops: vec![],
    }
}

fn not_a_pair(rules: &ValidationRules, text: &str) -> Problem {
    Problem {
        drops: vec![Vital::Systolic, Vital::Diastolic],
        reason: "not a blood pressure written systolic/diastolic".into(),
        ..not_a_number(rules, Vital::Systolic, text)
    }
}

fn pair_as_rate(rules: &ValidationRules, text: &str) -> Problem {
    Problem {
        reason: "a blood pressure written systolic/diastolic, not a respiratory rate (in German charts RR is the cuff pressure, Riva-Rocci)".into(),
        ..not_a_number(rules, Vital::RespRate, text)
    }
}

fn unclosed_quote(lines: usize) -> Problem {
    Problem {
        field: Field::Row,
        value: "with a quote (\") never closed".into(),
        severity: Severity::Reject,
        reason: format!(
            "the {lines} lines after it were read into one of its cells, and their readings are lost; close the quote (or remove it) and import again"
        ),
        accepted: "a quote closed within its cell".into(),
        drops: Vital::ALL.to_vec(),
    }
}

fn shifted_row(cells: usize, width: usize) -> Problem {
    Problem {
        field: Field::Row,
        value: format!("of {cells} cells"),
        severity: Severity::Reject,
        reason: format!(
            "out of step with the file's rows of {width} cells: a value may sit in another column's place, the row is rejected"
        ),
        accepted: format!("{width} cells a row"),
        drops: Vital::ALL.to_vec(),
    }
}

fn bad_time(text: &str, reason: &str, accepted: &str) -> Problem {
    Problem {
        field: Field::Time,
        value: format!("'{}'", excerpt(text.trim())),
        severity: Severity::Reject,
        reason: format!("{reason}, the row is rejected"),
        accepted: accepted.into(),
        drops: Vital::ALL.to_vec(),
    }
}
