//! Deciding how to read a file before reading its values: which columns feed each vital,
//! which column gives the time and in what form, and which questions the file leaves
//! open (date order, zone, start time) that only the user can answer.

use crate::clock::Time;
use crate::import::columns::{BpChannel, HrChannel, Role, RrChannel};
use crate::import::layout::{self, Chunk, Layout};
use crate::import::probe::Probe;
use crate::import::stamp::{Stamp, dotted_clock, read_stamp};
use crate::import::times::{DateOrder, OffsetUnit, Zone};
use crate::shown::excerpt;
use chrono::NaiveDateTime;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// What the user told the importer (CLI flags, or answers in the window).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Answers {
    pub date_order: Option<DateOrder>,
    pub zone: Option<Zone>,
    /// When a recording with seconds since its start began (`--start`).
    pub start: Option<Time>,
    /// The unit of a count of time since the start (`--offset-unit`), where the header
    /// does not say.
    pub offset_unit: Option<OffsetUnit>,
    /// The time column to use (`--time-column`), by its name in the file.
    pub time_column: Option<String>,
    /// Columns for vitals chosen by the user, replacing the detected ones.
    pub vitals: Option<VitalColumns>,
    /// The patient whose rows to read, by their identifier in the file's patient column
    /// (`--select-patient`), when the file holds several.
    pub patient: Option<String>,
    /// Columns given a vital by hand (`--column VITAL=NAME`), by their names in the file,
    /// on top of the detected (or chosen) ones.
    pub columns: Vec<(Role, String)>,
    /// Columns for the profile's scales chosen by the user: (scale's name, column or none
    /// for "not in this file"). A scale not listed is read from the column named after it.
    pub scores: ScoreChoices,
    /// How the answers were given, so the plan's notes and summary name what the person
    /// sees: a flag of the command line or a field of the window.
    pub wording: Wording,
}

/// Score columns chosen by hand: (scale's name as the profile gives it, the column's place
/// in the file or none).
pub type ScoreChoices = Vec<(String, Option<usize>)>;

/// How a person gives the importer its answers, so that a message naming one speaks
/// their language: the command line's flag (`--tz`) or the window's field ("Time zone of
/// the file's times").
#[derive(Clone, Copy, Debug, Default, Eq, PartialEq)]
pub enum Wording {
    /// The command line (`infusion-vitals import`).
    #[default]
    Flags,
    /// The window's guided import.
    Fields,
}

/// Why a whole file was not imported.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("cannot read the file: {0}")]
    Unreadable(#[from] std::io::Error),
    #[error("{0}")]
    Format(String),
    #[error("{}", questions.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Questions { questions: Vec<Question> },
}

/// A question the file leaves open, named by the flag that answers it.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub flag: Flag,
    pub why: String,
}

/// An answer the importer may ask for: a flag of the command line, a field of the window.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
pub enum Flag {
    DateOrder,
    Tz,
    Start,
    TimeColumn,
    OffsetUnit,
    Column,
    Patient,
}

impl Flag {
    /// The flag with what it takes, as `Question`'s text says it: `--tz ZONE`.
    pub fn name(self) -> &'static str {
        match self {
            Flag::DateOrder => "--date-order dmy|mdy|ymd",
            Flag::Tz => "--tz ZONE",
            Flag::Start => "--start TIME",
            Flag::TimeColumn => "--time-column NAME",
            Flag::OffsetUnit => "--offset-unit s|min|ms",
            Flag::Column => "--column VITAL=NAME",
            Flag::Patient => "--select-patient ID (or --split-patients DIR for one log each)",
        }
    }

    /// The window's field for this answer, as its label begins: "Time zone of the file's
    /// times". The window builds its labels from these, so its messages name them alike.
    pub fn field(self) -> &'static str {
        match self {
            Flag::DateOrder => "Date order",
            Flag::Tz => "Time zone of the file's times",
            Flag::Start => "Recording started at",
            Flag::TimeColumn => "Time column",
            Flag::OffsetUnit => "Unit of the time since the start",
            Flag::Column => "Columns for each vital and score",
            Flag::Patient => "Patient in this file",
        }
    }

    /// The answer as `wording` names it: the bare flag (`--tz`) or the field.
    pub fn said(self, wording: Wording) -> &'static str {
        match (wording, self) {
            (Wording::Fields, _) => self.field(),
            (Wording::Flags, Flag::DateOrder) => "--date-order",
            (Wording::Flags, Flag::Tz) => "--tz",
            (Wording::Flags, Flag::Start) => "--start",
            (Wording::Flags, Flag::TimeColumn) => "--time-column",
            (Wording::Flags, Flag::OffsetUnit) => "--offset-unit",
            (Wording::Flags, Flag::Column) => "--column",
            (Wording::Flags, Flag::Patient) => "--select-patient",
        }
    }
}

impl fmt::Display for Question {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; answer with {}", self.why, self.flag.name())
    }
}

/// Which column feeds which vital: at most one column per role.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VitalColumns {
    pub columns: Vec<(Role, usize)>,
}

impl VitalColumns {
    /// The first column of each vital role, in the file's order; of the respiratory-rate
    /// columns one only (see [`VitalColumns::best_resp_rate`]). The second list holds the
    /// vital columns not read, as another column gives their vital.
    pub fn detected(layout: &Layout, probe: &Probe) -> (VitalColumns, Vec<usize>) {
        let mut chosen = VitalColumns::default();
        let mut unused = Vec::new();
        let best_rr = VitalColumns::best_resp_rate(layout, probe);
        for (i, role) in layout.roles.iter().enumerate() {
            match role {
                Some(Role::RespRate(_)) if Some(i) != best_rr => unused.push(i),
                Some(role) if role.is_vital() => {
                    if chosen.column(*role).is_some() {
                        unused.push(i);
                    } else {
                        chosen.columns.push((*role, i));
                    }
                }
                _ => {}
            }
        }
        (chosen, unused)
    }

    /// The respiratory-rate column a file is read from, of several: one for the whole
    /// file, never one row from this and the next from that, as sources differ by
    /// several breaths a minute (IntelliVue's airway 20 beside its impedance 15) and a
    /// mix would show changes that are not the patient's. Columns with numbers in the
    /// first rows before those without (an unplugged capnograph's `-` or `0` column must
    /// not hide a counted rate), then by [`RrChannel`]'s order, then the file's.
    pub fn best_resp_rate(layout: &Layout, probe: &Probe) -> Option<usize> {
        (0..layout.names.len())
            .filter_map(|i| match layout.roles[i] {
                Some(Role::RespRate(channel)) => Some((i, channel)),
                _ => None,
            })
            .min_by_key(|&(i, channel)| {
                // Numbers above 0: a zero is a device's "no reading".
                let counted = probe
                    .numbers
                    .get(i)
                    .copied()
                    .flatten()
                    .is_some_and(|(_, _, max)| max > 0.0);
                (!counted, channel, i)
            })
            .map(|(i, _)| i)
    }

    /// The respiratory-rate column, whatever its source.
    pub fn resp_rate(&self) -> Option<(RrChannel, usize)> {
        self.columns.iter().find_map(|(r, c)| match r {
            Role::RespRate(channel) => Some((*channel, *c)),
            _ => None,
        })
    }

    pub fn column(&self, role: Role) -> Option<usize> {
        self.columns
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, c)| *c)
    }

    /// Sets the column of `role` (none: no column). A respiratory rate has one column
    /// whatever its source: setting one replaces another's.
    pub fn set(&mut self, role: Role, column: Option<usize>) {
        let rr = |r: &Role| matches!(r, Role::RespRate(_));
        self.columns
            .retain(|(r, _)| *r != role && !(rr(r) && rr(&role)));
        if let Some(c) = column {
            self.columns.push((role, c));
        }
    }

    /// Heart-rate columns in the order a row's rates are preferred.
    pub fn heart_rates(&self) -> Vec<(HrChannel, usize)> {
        HrChannel::ALL
            .into_iter()
            .filter_map(|ch| self.column(Role::HeartRate(ch)).map(|c| (ch, c)))
            .collect()
    }

    pub fn pressure(&self, channel: BpChannel) -> [Option<usize>; 3] {
        [
            self.column(Role::Systolic(channel)),
            self.column(Role::Diastolic(channel)),
            self.column(Role::BloodPressure(channel)),
        ]
    }
}

/// Where a row's time comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TimeSource {
    /// Dates with times in one column.
    Stamped(usize),
    /// A date column and a time-of-day column.
    DateAndTime { date: usize, time: usize },
    /// Unix time, in seconds or milliseconds.
    Epoch { column: usize, millis: bool },
    /// Time since the recording started, in a unit the header states or the person
    /// gives (never assumed; None until then).
    SinceStart {
        column: usize,
        unit: Option<OffsetUnit>,
    },
}

impl TimeSource {
    /// The file columns this time is read from.
    pub fn columns(self) -> Vec<usize> {
        match self {
            TimeSource::Stamped(c) | TimeSource::SinceStart { column: c, .. } => vec![c],
            TimeSource::Epoch { column, .. } => vec![column],
            TimeSource::DateAndTime { date, time } => vec![date, time],
        }
    }

    pub fn describe(self, layout: &Layout) -> String {
        let name = |c: usize| format!("'{}'", layout.names[c]);
        match self {
            TimeSource::Stamped(c) => format!("{} (date and time)", name(c)),
            TimeSource::DateAndTime { date, time } => {
                format!("{} with {} (date and time of day)", name(date), name(time))
            }
            TimeSource::Epoch { column, millis } => format!(
                "{} (Unix time in {})",
                name(column),
                if millis { "milliseconds" } else { "seconds" }
            ),
            TimeSource::SinceStart { column, unit } => format!(
                "{} ({} since the start)",
                name(column),
                unit.map_or("time, in a unit not stated,", OffsetUnit::word)
            ),
        }
    }
}

/// What the first pass over a time column found.
#[derive(Clone, Debug, Default)]
pub struct ColumnSurvey {
    /// Whether this column was surveyed (a time column by its name or its cells, or the
    /// one the user named).
    pub surveyed: bool,
    /// Cells with any text, and those that read as no time at all, with the first.
    pub cells: usize,
    pub unread: usize,
    pub first_unread: Option<(u64, String)>,
    pub dated: usize,
    pub dated_with_time: usize,
    /// Whether the column's cells differ (a date of birth or a calibration holds one
    /// time on every row, and is not when the readings were taken); the first cell's text.
    pub varies: bool,
    pub first_text: Option<String>,
    /// Dates written as plain digits (`20260305`): a header that states a unit makes
    /// them counts of time instead.
    pub compact: usize,
    /// Numbers that read as a dotted clock (`07.08`): a time of day beside a date column.
    pub dotted_clocks: usize,
    /// Dates whose time is not midnight: a column of dates at 00:00 beside a column of
    /// times of day is Excel's way of writing a date (`13.03.2026 00:00`, `07:08`).
    pub past_midnight: usize,
    pub times_of_day: usize,
    pub numbers: usize,
    pub max_number: f64,
    pub local: usize,
    /// The first line whose date proves each order.
    pub proves_dmy: Option<u64>,
    pub proves_mdy: Option<u64>,
    /// A date that reads two ways, for the question.
    pub undecided: Option<(u64, String)>,
    /// The first date and time, for comparing clocks.
    pub first: Option<Stamp>,
}

impl ColumnSurvey {
    /// Adds what a later part of the file showed: the firsts stay this part's.
    fn merge(&mut self, later: ColumnSurvey) {
        self.surveyed |= later.surveyed;
        self.varies |= later.varies
            || (self.first_text.is_some()
                && later.first_text.is_some()
                && self.first_text != later.first_text);
        self.first_text = self.first_text.take().or(later.first_text);
        self.compact += later.compact;
        self.dotted_clocks += later.dotted_clocks;
        self.cells += later.cells;
        self.unread += later.unread;
        self.first_unread = self.first_unread.take().or(later.first_unread);
        self.dated += later.dated;
        self.dated_with_time += later.dated_with_time;
        self.past_midnight += later.past_midnight;
        self.times_of_day += later.times_of_day;
        self.numbers += later.numbers;
        self.max_number = self.max_number.max(later.max_number);
        self.local += later.local;
        self.proves_dmy = self.proves_dmy.or(later.proves_dmy);
        self.proves_mdy = self.proves_mdy.or(later.proves_mdy);
        self.undecided = self.undecided.take().or(later.undecided);
        self.first = self.first.take().or(later.first);
    }

    pub fn add(&mut self, line: u64, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.cells += 1;
        match &self.first_text {
            None => self.first_text = Some(text.trim().to_string()),
            Some(first) if !self.varies && first != text.trim() => self.varies = true,
            Some(_) => {}
        }
        let Some(stamp) = read_stamp(text) else {
            self.unread += 1;
            if self.first_unread.is_none() {
                self.first_unread = Some((line, text.trim().to_string()));
            }
            return;
        };
        if self.first.is_none() && matches!(stamp, Stamp::Date { time: Some(_), .. }) {
            self.first = Some(stamp);
        }
        match stamp {
            Stamp::Date { date, time, offset } => {
                self.dated += 1;
                if text.trim().bytes().all(|b| b.is_ascii_digit()) {
                    // Also a number: a header that states a unit counts time with it.
                    self.compact += 1;
                    self.numbers += 1;
                    self.max_number = self.max_number.max(text.trim().parse().unwrap_or(0.0));
                }
                if let Some(time) = time {
                    self.dated_with_time += 1;
                    self.past_midnight += usize::from(time != chrono::NaiveTime::MIN);
                }
                if offset.is_none() {
                    self.local += 1;
                }
                match date.proves() {
                    Some(DateOrder::Dmy) => {
                        self.proves_dmy.get_or_insert(line);
                    }
                    Some(DateOrder::Mdy) => {
                        self.proves_mdy.get_or_insert(line);
                    }
                    _ if !date.needs_no_order() && self.undecided.is_none() => {
                        self.undecided = Some((line, text.trim().to_string()));
                    }
                    _ => {}
                }
            }
            Stamp::TimeOfDay(_) => self.times_of_day += 1,
            Stamp::Number(n) => {
                self.dotted_clocks += usize::from(dotted_clock(text).is_some());
                self.numbers += 1;
                self.max_number = self.max_number.max(n);
            }
        }
    }

    /// The order the file settles, if one row proves it and none contradicts it.
    fn settled(&self) -> Result<Option<DateOrder>, (u64, u64)> {
        match (self.proves_dmy, self.proves_mdy) {
            (Some(d), Some(m)) => Err((d, m)),
            (Some(_), None) => Ok(Some(DateOrder::Dmy)),
            (None, Some(_)) => Ok(Some(DateOrder::Mdy)),
            (None, None) => Ok(None),
        }
    }

    fn first_local(&self, order: Option<DateOrder>) -> Option<NaiveDateTime> {
        match self.first? {
            Stamp::Date {
                date,
                time: Some(time),
                ..
            } => date.date(order).map(|d| d.and_time(time)),
            _ => None,
        }
    }
}

/// The first pass: every time-like column's cells, and how many data rows there are.
#[derive(Clone, Debug, Default)]
pub struct Survey {
    /// One per column of the layout; only time columns are filled.
    pub columns: Vec<ColumnSurvey>,
    pub rows: usize,
    /// How many rows have each number of cells.
    pub widths: BTreeMap<usize, usize>,
    /// The first rows of every column, as looked at before the survey.
    pub probe: Probe,
    /// Each patient-identifier column's values: rows and first line of each.
    pub ids: BTreeMap<usize, HashMap<String, (usize, u64)>>,
}

impl Survey {
    /// Surveys `columns` (see [`Probe::time_candidates`]) over the whole file, and the
    /// values of each patient-identifier column, its parts on as many threads as the
    /// computer has cores.
    pub fn take(text: &str, layout: &Layout, columns: &[usize]) -> Survey {
        let timeish = columns;
        let patients: Vec<usize> = (0..layout.names.len())
            .filter(|&i| layout.roles[i] == Some(Role::Patient))
            .collect();
        let chunks = layout.chunks(text, layout::threads());
        let survey_of = |chunk: &Chunk| {
            let mut survey = Survey {
                columns: vec![ColumnSurvey::default(); layout.names.len()],
                rows: 0,
                widths: BTreeMap::new(),
                probe: Probe::default(),
                ids: patients.iter().map(|c| (*c, HashMap::new())).collect(),
            };
            if patients.len() > 1 {
                survey.ids.insert(ALL_PATIENT_COLUMNS, HashMap::new());
            }
            for &c in timeish {
                survey.columns[c].surveyed = true;
            }
            chunk.for_each_record(|line, cells| {
                survey.rows += 1;
                *survey.widths.entry(cells.width()).or_default() += 1;
                for (c, values) in survey.ids.iter_mut() {
                    let cell = |i: usize| {
                        cells
                            .get(i)
                            .and_then(|b| std::str::from_utf8(b).ok())
                            .map_or("", str::trim)
                    };
                    let id = patient_key(&patients, *c, cell);
                    match values.get_mut(id.as_ref()) {
                        Some((rows, _)) => *rows += 1,
                        None => {
                            values.insert(id.into_owned(), (1, line));
                        }
                    }
                }
                for &c in timeish {
                    if let Some(cell) = cells.get(c).and_then(|b| std::str::from_utf8(b).ok()) {
                        survey.columns[c].add(line, cell);
                    }
                }
            });
            survey
        };
        let mut parts = std::thread::scope(|s| {
            let later: Vec<_> = chunks[1..]
                .iter()
                .map(|c| s.spawn(move || survey_of(c)))
                .collect();
            let mut parts = vec![survey_of(&chunks[0])];
            parts.extend(
                later
                    .into_iter()
                    .map(|h| h.join().expect("a survey thread")),
            );
            parts
        })
        .into_iter();
        let mut survey = parts.next().expect("one chunk at least");
        for later in parts {
            survey.rows += later.rows;
            for (width, n) in later.widths {
                *survey.widths.entry(width).or_default() += n;
            }
            for (c, values) in later.ids {
                let ours = survey.ids.entry(c).or_default();
                for (id, (rows, first)) in values {
                    let entry = ours.entry(id).or_insert((0, first));
                    entry.0 += rows;
                    entry.1 = entry.1.min(first);
                }
            }
            for (column, more) in survey.columns.iter_mut().zip(later.columns) {
                column.merge(more);
            }
        }
        survey
    }

    /// The column that tells the file's patients apart, and each patient's identifier
    /// with its rows, in the order they first appear: of the patient-identifier columns,
    /// the one with the most values (the first of equals). Rows with an empty identifier
    /// are not a patient. None when the file has no such column.
    pub fn patients(&self) -> Option<(usize, Vec<(String, usize)>)> {
        let count = |values: &HashMap<String, (usize, u64)>| {
            values.keys().filter(|id| !id.is_empty()).count()
        };
        let single = self
            .ids
            .iter()
            .filter(|(c, _)| **c != ALL_PATIENT_COLUMNS)
            .rev()
            .max_by_key(|(_, values)| count(values));
        // Where no one column tells the patients apart (`caseid` 1 holds P1 and P2 of
        // `MRN`), the columns together do.
        let (column, values) = match (single, self.ids.get_key_value(&ALL_PATIENT_COLUMNS)) {
            (Some(single), Some(all)) if count(all.1) > count(single.1) => all,
            (single, _) => single?,
        };
        let mut ids: Vec<(&String, &(usize, u64))> =
            values.iter().filter(|(id, _)| !id.is_empty()).collect();
        ids.sort_by_key(|(_, (_, first))| *first);
        let ids = ids
            .into_iter()
            .map(|(id, (rows, _))| (id.clone(), *rows))
            .collect();
        Some((*column, ids))
    }

    /// How many cells the file's rows have: the most common number (the header's, if
    /// as common as any), or the header's for a file without rows.
    pub fn row_width(&self, layout: &Layout) -> usize {
        let header = layout.names.len();
        self.widths
            .iter()
            .max_by_key(|(width, n)| (**n, **width == header))
            .map_or(header, |(width, _)| *width)
    }
}

/// The patient column that stands for all of a file's patient-identifier columns
/// together (`caseid` and `MRN`), where no one of them tells the patients apart.
pub const ALL_PATIENT_COLUMNS: usize = usize::MAX;

/// A row's patient identifier in `column` (one of `patients`, the file's identifier
/// columns, or [`ALL_PATIENT_COLUMNS`]: their identifiers joined by ` | `); `cell` gives a
/// cell's trimmed text by column.
pub fn patient_key<'c>(
    patients: &[usize],
    column: usize,
    cell: impl Fn(usize) -> &'c str,
) -> std::borrow::Cow<'c, str> {
    if column == ALL_PATIENT_COLUMNS {
        let all: Vec<&str> = patients.iter().map(|&c| cell(c)).collect();
        if all.iter().all(|id| id.is_empty()) {
            "".into()
        } else {
            all.join(" | ").into()
        }
    } else {
        cell(column).into()
    }
}

/// A patient column's name for messages: its header, or the headers of all of them.
pub fn patient_column_name(layout: &Layout, column: usize) -> String {
    if column == ALL_PATIENT_COLUMNS {
        let names: Vec<String> = (0..layout.names.len())
            .filter(|&c| layout.roles[c] == Some(Role::Patient))
            .map(|c| format!("'{}'", layout.names[c]))
            .collect();
        names.join(" with ")
    } else {
        format!("'{}'", layout.names[column])
    }
}

/// How the rows will be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub time: TimeSource,
    pub date_order: Option<DateOrder>,
    pub zone: ZoneSource,
    pub start: Option<Time>,
    pub vitals: VitalColumns,
    /// Vital columns that name a vital already fed by an earlier column.
    pub unused_vitals: Vec<usize>,
    /// Why this time column, when there was a choice, in the answers' wording.
    pub time_notes: Vec<String>,
    /// How a column's vital was decided where the name alone did not: which of several
    /// respiratory-rate columns is read, an `RR` column of pairs read as a blood pressure.
    pub column_notes: Vec<String>,
    /// How the answers were given (`Answers::wording`), for the summary's words.
    pub wording: Wording,
    /// Only the rows of this patient are read: the identifier column and the value.
    pub patient: Option<(usize, String)>,
    /// What looks wrong with the columns read for the vitals ([`Probe::cautions`]): the
    /// summary's warnings, each making the import's exit code 1.
    pub cautions: Vec<String>,
    /// How many cells a row has ([`Survey::row_width`]): a row with another number may
    /// be shifted and is not read by position.
    pub row_width: usize,
    /// The file's first rows have values beyond the header's names (a surplus read by
    /// position, with a warning); where they do not, a later row that does is shifted.
    pub surplus_expected: bool,
    /// Score columns chosen by hand ([`Answers::scores`]).
    pub scores: ScoreChoices,
}

/// Where a local time's offset comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ZoneSource {
    /// Every time carries its offset (or is an instant: epoch seconds).
    InFile(Option<Zone>),
    /// A zone column, row by row.
    Column(usize),
    Given(Zone),
}

impl Plan {
    pub fn decide(layout: &Layout, survey: &Survey, answers: &Answers) -> Result<Plan, Refusal> {
        let (detected, mut unused_vitals) = VitalColumns::detected(layout, &survey.probe);
        let mut vitals = answers.vitals.clone().unwrap_or(detected);
        let sources = time_sources(layout, survey);
        let mut questions = Vec::new();
        for (role, name) in &answers.columns {
            match layout.column_named(name) {
                Some(c) => {
                    // A respiratory rate named by hand replaces the one chosen from the
                    // file's: that one is listed as not used.
                    if let (Role::RespRate(_), Some((_, before))) = (role, vitals.resp_rate())
                        && before != c
                    {
                        unused_vitals.push(before);
                    }
                    // The column now feeds this vital only; a respiratory rate keeps the
                    // source its name tells (`--column resp-rate=CO2_RR` is the airway's).
                    let role = match (role, layout.roles[c]) {
                        (Role::RespRate(_), Some(named @ Role::RespRate(_))) => named,
                        _ => *role,
                    };
                    vitals.columns.retain(|(_, col)| *col != c);
                    unused_vitals.retain(|u| *u != c);
                    vitals.set(role, Some(c));
                }
                None => questions.push(Question {
                    flag: Flag::Column,
                    why: format!(
                        "the file has no column '{name}' for {role} (columns: {})",
                        layout.names.join(", ")
                    ),
                }),
            }
        }
        let chosen = match &answers.time_column {
            Some(name) => match layout.column_named(name) {
                Some(c)
                    if let Some((role, _)) = vitals.columns.iter().find(|(_, col)| *col == c) =>
                {
                    Err(Refusal::Format(format!(
                        "'{name}' is read as {role}, so it cannot give the times; name the column that holds each reading's time"
                    )))
                }
                Some(c) => sources
                    .iter()
                    .find(|s| s.columns().contains(&c))
                    .copied()
                    .ok_or_else(|| Refusal::Format(unreadable_column(layout, survey, c))),
                None => Err(Refusal::Questions {
                    questions: vec![Question {
                        flag: Flag::TimeColumn,
                        why: format!(
                            "the file has no column '{name}' (columns: {})",
                            layout.names.join(", ")
                        ),
                    }],
                }),
            },
            None => match sources.first() {
                None => Err(Refusal::Format(no_readable_times(layout, survey))),
                Some(source) => passed_over(layout, survey, *source)
                    .map_or(Ok(*source), |why| Err(Refusal::Format(why))),
            },
        };
        let mut time = chosen?;
        let zone_column = layout.roles.iter().position(|r| *r == Some(Role::Zone));
        let mut plan = Plan {
            time,
            date_order: answers.date_order,
            zone: ZoneSource::InFile(answers.zone),
            start: answers.start,
            vitals,
            unused_vitals,
            time_notes: Vec::new(),
            column_notes: Vec::new(),
            wording: answers.wording,
            cautions: Vec::new(),
            row_width: survey.row_width(layout),
            surplus_expected: survey.probe.surplus.is_some(),
            patient: None,
            scores: answers.scores.clone(),
        };
        match one_patient(layout, survey, answers.patient.as_deref()) {
            Ok(patient) => plan.patient = patient,
            Err(why) => questions.push(Question {
                flag: Flag::Patient,
                why,
            }),
        }
        let dates = match time {
            TimeSource::Stamped(c) | TimeSource::DateAndTime { date: c, .. } => {
                Some(&survey.columns[c])
            }
            _ => None,
        };
        if let Some(dates) = dates {
            let column = &layout.names[time.columns()[0]];
            match dates.settled() {
                Err((d, m)) if answers.date_order.is_none() => questions.push(Question {
                    flag: Flag::DateOrder,
                    why: format!(
                        "the dates in '{column}' disagree: line {d} can only be day first, line {m} only month first"
                    ),
                }),
                Ok(Some(order)) if answers.date_order.is_none() => plan.date_order = Some(order),
                Ok(None) if answers.date_order.is_none() && dates.undecided.is_some() => {
                    let (line, text) = dates.undecided.clone().unwrap_or_default();
                    questions.push(Question {
                        flag: Flag::DateOrder,
                        why: format!(
                            "no date in '{column}' settles which of its fields is the day and which the month (line {line}: '{text}' could be read more than one way), and a guess could move readings by months"
                        ),
                    });
                }
                _ => {}
            }
            if dates.local > 0 {
                plan.zone = match (zone_column, answers.zone) {
                    (Some(c), _) => ZoneSource::Column(c),
                    (None, Some(z)) => ZoneSource::Given(z),
                    (None, None) => {
                        questions.push(Question {
                            flag: Flag::Tz,
                            why: format!(
                                "the times in '{column}' have no UTC offset and the file has no zone column, so every reading's time would be a guess"
                            ),
                        });
                        ZoneSource::InFile(None)
                    }
                };
            }
        }
        if let TimeSource::SinceStart { column, unit } = time {
            let unit = answers.offset_unit.or(unit);
            time = TimeSource::SinceStart { column, unit };
            plan.time = time;
            let counts = unit.map_or("time", OffsetUnit::word);
            if answers.start.is_none() {
                questions.push(Question {
                    flag: Flag::Start,
                    why: format!(
                        "'{}' counts {counts} since the recording started, and the file does not say when that was",
                        layout.names[column]
                    ),
                });
            }
            if unit.is_none() {
                questions.push(Question {
                    flag: Flag::OffsetUnit,
                    why: format!(
                        "'{}' counts time since the recording started, and its header does not say in what unit (seconds, minutes or milliseconds: a guess could put an hour at a minute)",
                        layout.names[column]
                    ),
                });
            }
        }
        if !questions.is_empty() {
            return Err(Refusal::Questions { questions });
        }
        let zone = plan.zone;
        let unread = |c: usize| {
            layout.roles[c].is_none_or(|r| !r.is_vital())
                && !time.columns().contains(&c)
                && zone != ZoneSource::Column(c)
                && !plan.vitals.columns.iter().any(|(_, col)| *col == c)
        };
        plan.cautions = survey.probe.cautions(
            layout,
            plan.row_width,
            &plan.vitals,
            unread,
            answers.wording,
        );
        let rr_by_hand = answers
            .columns
            .iter()
            .any(|(role, _)| matches!(role, Role::RespRate(_)));
        plan.column_notes = column_notes(layout, survey, &plan, answers.wording, rr_by_hand);
        let chosen_by_user = answers.time_column.is_some();
        if let TimeSource::DateAndTime { date, time: used } = time {
            // Two columns of times of day (`Entered`, `Time`): say which was used and how
            // to take the other.
            for other in sources.iter().filter_map(|s| match s {
                TimeSource::DateAndTime { date: d, time: t } if *d == date && *t != used => {
                    Some(*t)
                }
                _ => None,
            }) {
                plan.time_notes.push(format!(
                    "'{}' also holds times of day; '{}' is used, and {} '{}' takes the other",
                    layout.names[other],
                    layout.names[used],
                    Flag::TimeColumn.said(answers.wording),
                    layout.names[other]
                ));
            }
        }
        if let TimeSource::Epoch {
            column,
            millis: false,
        } = time
            && names_milliseconds(layout, column)
        {
            plan.time_notes.push(format!(
                "'{}' is named for milliseconds but holds Unix seconds (up to {:.0}; as milliseconds that would be January 1970): read as seconds",
                layout.names[column], survey.columns[column].max_number
            ));
        }
        plan.time_notes.extend(clock_notes(
            layout,
            survey,
            &sources,
            time,
            plan.date_order,
            chosen_by_user,
            answers.wording,
        ));
        Ok(plan)
    }
}

/// Why `chosen`, a column the table does not name, must not stand in for one it names as
/// the time whose cells cannot be read (`Time` in a form not read, beside a `Last
/// calibration` date): the readings would all take the other column's time. None when
/// no named time column was passed over.
fn passed_over(layout: &Layout, survey: &Survey, chosen: TimeSource) -> Option<String> {
    if chosen.columns().iter().any(|&c| layout.roles[c].is_some()) {
        return None;
    }
    let (c, s) = (0..layout.names.len())
        .filter(|&c| matches!(layout.roles[c], Some(Role::Time { .. } | Role::Date)))
        .map(|c| (c, &survey.columns[c]))
        .find(|(_, s)| s.unread * 2 > s.cells)?;
    let (line, text) = s.first_unread.as_ref()?;
    Some(format!(
        "'{}' looks like the time column, but {} of its {} cells are not times this program can read (line {line}: '{}'); {FORMS_READ}. Write the column in one of these forms and import again; if {} holds each reading's time instead, say so with {}",
        layout.names[c],
        s.unread,
        s.cells,
        excerpt(text),
        chosen.describe(layout),
        Flag::TimeColumn.name()
    ))
}

/// The summary's words on columns whose vital was decided by more than their names.
/// `rr_by_hand`: the respiratory-rate column was named with `--column`.
fn column_notes(
    layout: &Layout,
    survey: &Survey,
    plan: &Plan,
    wording: Wording,
    rr_by_hand: bool,
) -> Vec<String> {
    let name = |c: usize| format!("'{}'", layout.names[c]);
    let mut notes: Vec<String> = survey
        .probe
        .pairs_read_as_blood_pressure
        .iter()
        .map(|c| {
            format!(
                "{} holds systolic/diastolic pairs (120/80), so it is read as a blood pressure (in German charts RR is the cuff pressure, Riva-Rocci), not as a respiratory rate",
                name(*c)
            )
        })
        .collect();
    if let Some((channel, used)) = plan.vitals.resp_rate() {
        let others: Vec<String> = plan
            .unused_vitals
            .iter()
            .filter_map(|&c| match layout.roles[c] {
                Some(Role::RespRate(ch)) => Some(format!("{} ({})", name(c), ch.name())),
                _ => None,
            })
            .collect();
        if !others.is_empty() {
            // The window offers no respiratory-rate choice yet: only the command line's
            // flag reads another column.
            let flag = Flag::Column.said(wording);
            let why = match (rr_by_hand, Role::RespRate(channel).key()) {
                (true, _) => format!("the column named with {flag}"),
                (false, Some(key)) if wording == Wording::Flags => format!(
                    "airway (capnography) first, then unspecified, then impedance, a column with no rates in its first rows last; {flag} {key}=NAME reads another"
                ),
                _ => "airway (capnography) first, then unspecified, then impedance, a column with no rates in its first rows last".to_string(),
            };
            notes.push(format!(
                "respiratory rate from {} ({}) only, not {}: one source for the whole file, never mixed row by row; {why}",
                name(used),
                channel.name(),
                others.join(", ")
            ));
        }
    }
    notes
}

/// Whether a time column's name says it counts milliseconds (`timestamp_ms`).
fn names_milliseconds(layout: &Layout, column: usize) -> bool {
    matches!(layout.roles[column], Some(Role::Time { millis: true }))
        || OffsetUnit::from_header(&layout.names[column]) == Some(OffsetUnit::Milliseconds)
}

/// Whose rows to read: one session is one patient, so a file whose rows name several
/// (a patient, subject, stay, encounter, case or MRN column with more than one value) is
/// never merged. None reads every row (the file names one patient, or none).
///
/// # Errors
/// Why the file cannot be read as it is, naming the column and its patients: several
/// and none selected, or a selected one the file does not hold.
fn one_patient(
    layout: &Layout,
    survey: &Survey,
    selected: Option<&str>,
) -> Result<Option<(usize, String)>, String> {
    let Some((column, ids)) = survey.patients() else {
        return match selected {
            None => Ok(None),
            Some(id) => Err(format!(
                "no column of the file names patients, so there is no patient '{id}' to select"
            )),
        };
    };
    let name = patient_column_name(layout, column);
    // Rows with no identifier may be anyone's: a patient of their own in the count.
    let blank = survey
        .ids
        .get(&column)
        .and_then(|values| values.get(""))
        .map_or(0, |(rows, _)| *rows);
    let listed = || {
        let mut shown: Vec<String> = ids
            .iter()
            .take(5)
            .map(|(id, rows)| format!("{id}: {rows} rows"))
            .collect();
        if blank > 0 {
            shown.push(format!("no identifier: {blank} rows"));
        }
        let more = ids.len().saturating_sub(5);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("{}{more}", shown.join(", "))
    };
    match selected {
        Some(id) if ids.iter().any(|(v, _)| v == id.trim()) => {
            Ok(Some((column, id.trim().to_string())))
        }
        Some(id) => Err(format!(
            "{name} holds no patient '{id}' (patients: {})",
            listed()
        )),
        None if ids.len() > 1 => Err(format!(
            "the rows name {} patients in {name} ({}), and one session is one patient: a second patient's readings would be judged against the first one's baseline",
            ids.len(),
            listed()
        )),
        None if blank > 0 && !ids.is_empty() => Err(format!(
            "{name} names one patient, but some rows have no identifier and may be another patient's ({}); --select-patient {} reads that patient's rows only",
            listed(),
            ids[0].0
        )),
        None => Ok(None),
    }
}

/// The time columns a file offers, by what their cells hold, best first: dates with
/// times, then a date column with a time-of-day column, then Unix times, then time since
/// the start; among equals a column whose name the table knows first (the name only
/// breaks ties), then the file's order.
fn time_sources(layout: &Layout, survey: &Survey) -> Vec<TimeSource> {
    let surveyed = |i: usize| survey.columns[i].surveyed;
    let named = |i: usize| layout.roles[i].is_some();
    // Columns of times of day, those the table names first (`Time` before `Entered`).
    let mut of_day: Vec<usize> = (0..layout.names.len())
        .filter(|&i| {
            let s = &survey.columns[i];
            surveyed(i)
                && s.times_of_day + s.dotted_clocks > s.dated
                && s.times_of_day + s.dotted_clocks >= s.numbers
        })
        .collect();
    of_day.sort_by_key(|&i| !named(i));
    let mut out = Vec::new();
    for i in (0..layout.names.len()).filter(|&i| surveyed(i)) {
        let s = &survey.columns[i];
        // A header that states a unit counts time: `Time [ms]` of 20260305 is no date.
        let counts = s.dated > 0
            && s.compact == s.dated
            && OffsetUnit::from_header(&layout.names[i]).is_some();
        let midnight_dates = s.dated_with_time > 0 && s.past_midnight == 0 && !counts;
        // A spreadsheet's date at midnight pairs only with a column the table names as
        // a time (`Uhrzeit`), never with a duration or a bedtime beside it.
        let midnight_partners: Vec<usize> = of_day
            .iter()
            .copied()
            .filter(|&t| t != i && named(t))
            .collect();
        if midnight_dates && !midnight_partners.is_empty() {
            out.extend(
                midnight_partners
                    .into_iter()
                    .map(|time| TimeSource::DateAndTime { date: i, time }),
            );
        } else if s.dated_with_time > 0 && s.dated_with_time * 2 >= s.dated && !counts {
            out.push(TimeSource::Stamped(i));
        } else if s.dated > 0 && s.dated >= s.numbers && !counts {
            out.extend(
                of_day
                    .iter()
                    .filter(|&&t| t != i)
                    .map(|&time| TimeSource::DateAndTime { date: i, time }),
            );
        } else if s.numbers > 0 && s.numbers >= s.times_of_day {
            // The numbers decide, whatever the name says: below 10^11, milliseconds would
            // be 1970 (see `Plan::decide`'s note on a name that says otherwise).
            out.push(if s.max_number >= 1e11 && !counts {
                TimeSource::Epoch {
                    column: i,
                    millis: true,
                }
            } else if s.max_number >= 1e8 && !counts {
                TimeSource::Epoch {
                    column: i,
                    millis: false,
                }
            } else {
                TimeSource::SinceStart {
                    column: i,
                    unit: OffsetUnit::from_header(&layout.names[i]),
                }
            });
        }
    }
    // Dates with times first, then Unix times, then time since the start; among equals,
    // a column whose cells change before one that holds the same time on every row (a
    // date of birth, a calibration), then the names the table knows, then the file's order
    // (the sort is stable).
    let rank = |s: &TimeSource| {
        let kind = match s {
            TimeSource::Stamped(_) | TimeSource::DateAndTime { .. } => 0,
            TimeSource::Epoch { .. } => 1,
            TimeSource::SinceStart { .. } => 2,
        };
        let columns = s.columns();
        let constant = survey.rows > 1 && !survey.columns[columns[0]].varies;
        (
            kind,
            constant,
            columns.iter().filter(|&&c| !named(c)).count(),
        )
    };
    out.sort_by_key(rank);
    out
}

/// The forms of time the importer reads, for a refusal's advice.
const FORMS_READ: &str = "it reads dates and times such as 2026-03-14T09:30:00+01:00, \
     14.03.2026 09:30, 03/14/2026 9:30 AM, Mar 14, 2026 09:30 or 09:30 14 März 2026, \
     a date column beside a time-of-day column, Unix seconds or milliseconds, or time \
     since the start";

/// Why no column gives times, in words that can be acted on: which column looked like
/// times and which of its cells could not be read, or that no column holds times at all.
/// Never the advice to name a time column, as none could be read.
fn no_readable_times(layout: &Layout, survey: &Survey) -> String {
    let unread = (0..layout.names.len()).find_map(|i| {
        let s = &survey.columns[i];
        let (line, text) = s.first_unread.as_ref()?;
        Some(format!(
            "'{}' looks like the time column, but {} of its {} cells are not times this program can read (line {line}: '{}')",
            layout.names[i],
            s.unread,
            s.cells,
            excerpt(text)
        ))
    });
    let of_day_only = (0..layout.names.len()).find(|&i| {
        let s = &survey.columns[i];
        s.surveyed && s.times_of_day > 0 && s.dated == 0
    });
    match (unread, of_day_only) {
        (Some(why), _) => format!(
            "{why}; {FORMS_READ}. Write the column in one of these forms (a spreadsheet can reformat it) and import again"
        ),
        (None, Some(i)) => format!(
            "'{}' holds times of day without dates, and no column holds the dates; add a column with each reading's date (or write dates and times in one column) and import again. A column of dates written as plain digits (20260305) is taken for one only under a name that speaks of dates, or when {} names it",
            layout.names[i],
            Flag::TimeColumn.name()
        ),
        (None, None) => format!(
            "no column holds times (columns: {}); {FORMS_READ}. Add a column with each reading's date and time and import again",
            layout.names.join(", ")
        ),
    }
}

/// Why the column the user named gives no times.
fn unreadable_column(layout: &Layout, survey: &Survey, column: usize) -> String {
    let name = &layout.names[column];
    let s = &survey.columns[column];
    match &s.first_unread {
        Some((line, text)) => format!(
            "'{name}' cannot give the times: {} of its {} cells are not times (line {line}: '{}'); {FORMS_READ}",
            s.unread,
            s.cells,
            excerpt(text)
        ),
        None if s.cells == 0 => format!("'{name}' cannot give the times: it is empty"),
        None => format!(
            "'{name}' cannot give the times: it holds times of day without dates, and no column holds the dates"
        ),
    }
}

/// When the file has other date-time columns whose clocks disagree with the chosen one.
fn clock_notes(
    layout: &Layout,
    survey: &Survey,
    sources: &[TimeSource],
    chosen: TimeSource,
    order: Option<DateOrder>,
    chosen_by_user: bool,
    wording: Wording,
) -> Vec<String> {
    let first = |s: TimeSource| match s {
        TimeSource::Stamped(c) => {
            let col = &survey.columns[c];
            let own = col.settled().ok().flatten().or(order);
            col.first_local(own)
        }
        _ => None,
    };
    let Some(ours) = first(chosen) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    for other in sources.iter().filter(|s| **s != chosen) {
        let Some(theirs) = first(*other) else {
            continue;
        };
        let apart = theirs - ours;
        if apart.num_minutes().abs() < 5 {
            continue;
        }
        let TimeSource::Stamped(c) = *other else {
            continue;
        };
        let said = Flag::TimeColumn.said(wording);
        let why = match (chosen_by_user, wording) {
            (true, Wording::Flags) => format!("the column named with {said} is used"),
            (true, Wording::Fields) => format!("the column chosen as {said} is used"),
            (false, _) => format!(
                "the first time column of the file is used, and {said} '{}' picks the other",
                layout.names[c]
            ),
        };
        notes.push(format!(
            "'{}' is {} {} the time used (first row: {} against {}): two clocks that disagree; {why}",
            layout.names[c],
            describe_span(apart.abs()),
            if apart > chrono::Duration::zero() { "ahead of" } else { "behind" },
            theirs.format("%Y-%m-%d %H:%M:%S"),
            ours.format("%Y-%m-%d %H:%M:%S"),
        ));
    }
    notes
}

fn describe_span(d: chrono::Duration) -> String {
    let days = d.num_days();
    let hours = d.num_hours() % 24;
    let minutes = d.num_minutes() % 60;
    match (days, hours) {
        (0, 0) => format!("{minutes} min"),
        (0, h) => format!("{h} h {minutes} min"),
        (d, h) => format!("{d} days {h} h"),
    }
}
