//! Deciding how to read a file before reading its values: which columns feed each vital,
//! which column gives the time and in what form, and which questions the file leaves
//! open (date order, zone, start time) that only the user can answer.

use crate::clock::Time;
use crate::import::columns::{BpChannel, HrChannel, Role};
use crate::import::layout::{self, Chunk, Layout};
use crate::import::times::{DateOrder, OffsetUnit, Stamp, Zone, read_stamp};
use chrono::NaiveDateTime;
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
    /// How the answers were given, so the plan's notes and summary name what the person
    /// sees: a flag of the command line or a field of the window.
    pub wording: Wording,
}

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
    /// The first column of each vital role, in the file's order.
    pub fn detected(layout: &Layout) -> (VitalColumns, Vec<usize>) {
        let mut chosen = VitalColumns::default();
        let mut unused = Vec::new();
        for (i, role) in layout.roles.iter().enumerate() {
            match role {
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

    pub fn column(&self, role: Role) -> Option<usize> {
        self.columns
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, c)| *c)
    }

    pub fn set(&mut self, role: Role, column: Option<usize>) {
        self.columns.retain(|(r, _)| *r != role);
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
    pub dated: usize,
    pub dated_with_time: usize,
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
        self.dated += later.dated;
        self.dated_with_time += later.dated_with_time;
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
        let Some(stamp) = read_stamp(text) else {
            return;
        };
        if self.first.is_none() && matches!(stamp, Stamp::Date { time: Some(_), .. }) {
            self.first = Some(stamp);
        }
        match stamp {
            Stamp::Date { date, time, offset } => {
                self.dated += 1;
                if time.is_some() {
                    self.dated_with_time += 1;
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
}

impl Survey {
    pub fn take(text: &str, layout: &Layout) -> Survey {
        let timeish: Vec<usize> = layout
            .roles
            .iter()
            .enumerate()
            .filter(|(_, r)| matches!(r, Some(Role::Time { .. } | Role::Date | Role::TimeOfDay)))
            .map(|(i, _)| i)
            .collect();
        let chunks = layout.chunks(text, layout::threads());
        let survey_of = |chunk: &Chunk| {
            let mut survey = Survey {
                columns: vec![ColumnSurvey::default(); layout.names.len()],
                rows: 0,
            };
            chunk.for_each_record(|line, cells| {
                survey.rows += 1;
                for &c in &timeish {
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
            for (column, more) in survey.columns.iter_mut().zip(later.columns) {
                column.merge(more);
            }
        }
        survey
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
    /// How the answers were given (`Answers::wording`), for the summary's words.
    pub wording: Wording,
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
    pub fn decide(
        layout: &Layout,
        survey: &Survey,
        answers: &Answers,
    ) -> Result<Plan, Vec<Question>> {
        let (detected, unused_vitals) = VitalColumns::detected(layout);
        let vitals = answers.vitals.clone().unwrap_or(detected);
        let sources = time_sources(layout, survey);
        let mut questions = Vec::new();
        let chosen = match &answers.time_column {
            Some(name) => {
                let wanted = layout
                    .names
                    .iter()
                    .position(|n| n.trim().eq_ignore_ascii_case(name.trim()));
                match wanted.and_then(|c| sources.iter().find(|s| s.columns().contains(&c))) {
                    Some(s) => Some(*s),
                    None => {
                        questions.push(Question {
                            flag: Flag::TimeColumn,
                            why: format!(
                                "'{name}' is not a time column of this file (time columns: {})",
                                list(layout, &sources)
                            ),
                        });
                        None
                    }
                }
            }
            None => sources
                .iter()
                .find(|s| !matches!(s, TimeSource::SinceStart { .. }))
                .or(sources.first())
                .copied(),
        };
        let Some(mut time) = chosen else {
            if questions.is_empty() {
                questions.push(Question {
                    flag: Flag::TimeColumn,
                    why: no_time_column(layout),
                });
            }
            return Err(questions);
        };
        let zone_column = layout.roles.iter().position(|r| *r == Some(Role::Zone));
        let mut plan = Plan {
            time,
            date_order: answers.date_order,
            zone: ZoneSource::InFile(answers.zone),
            start: answers.start,
            vitals,
            unused_vitals,
            time_notes: Vec::new(),
            wording: answers.wording,
        };
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
                            "no date in '{column}' shows whether the day or the month comes first (line {line}: '{text}' could be either), and a guess could move readings by months"
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
            return Err(questions);
        }
        let chosen_by_user = answers.time_column.is_some();
        plan.time_notes = clock_notes(
            layout,
            survey,
            &sources,
            time,
            plan.date_order,
            chosen_by_user,
            answers.wording,
        );
        Ok(plan)
    }
}

/// The time columns a file offers, in the file's order, by what their cells hold.
fn time_sources(layout: &Layout, survey: &Survey) -> Vec<TimeSource> {
    let of_day = layout.roles.iter().enumerate().position(|(i, r)| {
        matches!(r, Some(Role::TimeOfDay | Role::Time { .. }))
            && survey.columns[i].times_of_day > survey.columns[i].dated
    });
    let mut out = Vec::new();
    for (i, role) in layout.roles.iter().enumerate() {
        let s = &survey.columns[i];
        let millis = matches!(role, Some(Role::Time { millis: true }));
        match role {
            Some(Role::Time { .. } | Role::Date)
                if s.dated_with_time > 0 && s.dated_with_time * 2 >= s.dated =>
            {
                out.push(TimeSource::Stamped(i));
            }
            Some(Role::Time { .. } | Role::Date) if s.dated > 0 => {
                if let Some(time) = of_day {
                    out.push(TimeSource::DateAndTime { date: i, time });
                }
            }
            Some(Role::Time { .. }) if s.numbers > 0 && s.numbers >= s.times_of_day => {
                out.push(if millis || s.max_number >= 1e11 {
                    TimeSource::Epoch {
                        column: i,
                        millis: true,
                    }
                } else if s.max_number >= 1e8 {
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
            _ => {}
        }
    }
    out
}

fn list(layout: &Layout, sources: &[TimeSource]) -> String {
    if sources.is_empty() {
        return "none".into();
    }
    sources
        .iter()
        .map(|s| s.describe(layout))
        .collect::<Vec<_>>()
        .join(", ")
}

fn no_time_column(layout: &Layout) -> String {
    format!(
        "no column holds readable times (columns: {}); name the column that does",
        layout.names.join(", ")
    )
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
