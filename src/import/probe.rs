//! The first rows of every column, looked at before the file is surveyed: which columns
//! hold times by their cells (whatever their names), and which columns left unread look
//! like a vital the file otherwise lacks (an SpO2 column under a name the table does not
//! know must not pass as a clean import without SpO2).

use crate::import::columns::{BpChannel, ColumnTable, Role};
use crate::import::layout::Layout;
use crate::import::plan::{ColumnSurvey, Flag, VitalColumns, Wording};
use crate::import::values::{self, Cell};
use crate::shown::excerpt;

/// How many data rows are looked at: enough for a spot reading every few minutes among
/// rows a second apart to show up in most files, few enough to take a millisecond or two.
const PROBE_ROWS: usize = 600;

/// What the first rows' cells read as, per column.
#[derive(Clone, Debug, Default)]
pub struct Probe {
    /// As times.
    pub times: Vec<ColumnSurvey>,
    /// As a vital's numbers (units and decimal commas read as for the vitals): how many,
    /// the lowest and the highest.
    pub numbers: Vec<Option<(usize, f64, f64)>>,
    /// As `120/80` pairs: how many, the lowest and the highest of either side.
    pub pairs: Vec<Option<(usize, f64, f64)>>,
    /// The first row with something in a cell beyond the header's names, and its line.
    pub surplus: Option<(u64, String)>,
    /// Columns the table names as a respiratory rate (`RR`) whose first rows hold more
    /// `120/80` pairs than numbers: blood pressures (see [`Probe::pairs_as_blood_pressure`]).
    pub pairs_read_as_blood_pressure: Vec<usize>,
}

impl Probe {
    pub fn take(text: &str, layout: &Layout, table: &ColumnTable) -> Probe {
        let width = layout.names.len();
        let mut probe = Probe {
            times: vec![ColumnSurvey::default(); width],
            numbers: vec![None; width],
            pairs: vec![None; width],
            surplus: None,
            pairs_read_as_blood_pressure: Vec::new(),
        };
        let mut rdr = layout.reader(text);
        let mut lines = layout.lines(text);
        let mut record = csv::ByteRecord::new();
        let _header = rdr.read_byte_record(&mut record);
        for _ in 0..PROBE_ROWS {
            if !matches!(rdr.read_byte_record(&mut record), Ok(true)) {
                break;
            }
            let line = lines.of(&record).0;
            if probe.surplus.is_none()
                && record
                    .iter()
                    .skip(width)
                    .any(|c| !c.trim_ascii().is_empty())
            {
                let cells: Vec<String> = record
                    .iter()
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect();
                let delimiter = char::from(layout.delimiter).to_string();
                probe.surplus = Some((line, cells.join(&delimiter)));
            }
            for (i, cell) in record.iter().take(width).enumerate() {
                let Ok(cell) = std::str::from_utf8(cell) else {
                    continue;
                };
                probe.times[i].add(line, cell);
                if let Cell::Number(v) = values::number(table, cell, layout.decimal_comma) {
                    let seen = probe.numbers[i].get_or_insert((0, v, v));
                    *seen = (seen.0 + 1, seen.1.min(v), seen.2.max(v));
                } else if let (Cell::Number(a), Cell::Number(b)) =
                    values::pair(table, cell, layout.decimal_comma)
                {
                    let seen = probe.pairs[i].get_or_insert((0, a, a));
                    *seen = (seen.0 + 1, seen.1.min(a).min(b), seen.2.max(a).max(b));
                }
            }
        }
        probe
    }

    /// Gives a blood pressure's role to each column the table names as a respiratory rate
    /// under a name that also means a blood pressure (`RR`, the table's
    /// `pairs_are_blood_pressure`) whose first rows hold more `120/80` pairs than numbers:
    /// a German chart's `RR` column. Noted in [`Probe::pairs_read_as_blood_pressure`].
    pub fn pairs_as_blood_pressure(&mut self, layout: &mut Layout, table: &ColumnTable) {
        for c in 0..layout.names.len() {
            let count = |seen: &[Option<(usize, f64, f64)>]| seen[c].map_or(0, |s| s.0);
            if matches!(layout.roles[c], Some(Role::RespRate(_)))
                && table.pairs_are_blood_pressure(&layout.names[c])
                && count(&self.pairs) > count(&self.numbers)
            {
                layout.roles[c] = Some(Role::BloodPressure(BpChannel::NonInvasive));
                self.pairs_read_as_blood_pressure.push(c);
            }
        }
    }

    /// The columns worth surveying for times: those whose name says time, date or time of
    /// day, and any other column that is not a vital's whose first cells read mostly as
    /// dates or times of day (`charttime`, `Datum - Uhrzeit`: the cells decide, not the
    /// name), or as numbers or dates of plain digits under a name that speaks of time
    /// (`timestampUnixMs`, `Datum` of `20260305`). A column
    /// of plain numbers under any other name (an identifier, a counter) is never taken for
    /// a time.
    pub fn time_candidates(&self, layout: &Layout) -> Vec<usize> {
        (0..layout.names.len())
            .filter(|&i| match layout.roles[i] {
                Some(Role::Time { .. } | Role::Date | Role::TimeOfDay) => true,
                Some(_) => false,
                None => {
                    // Dates of plain digits (`20260305`) could be identifiers: only
                    // under a name that speaks of time.
                    let p = &self.times[i];
                    let read = p.cells - p.unread;
                    (p.dated - p.compact + p.times_of_day) * 2 > p.cells
                        || (read * 2 > p.cells && speaks_of(&layout.names[i], TIME_WORDS))
                }
            })
            .collect()
    }

    /// What is wrong with the columns chosen for the vitals, for the summary's warnings
    /// (each turns the import's exit code to 1):
    /// - rows with values beyond the header's names (`row_width` cells a row): read by
    ///   position, which is right only if the surplus is at the end;
    /// - half a blood pressure: a systolic column without its diastolic, or the reverse;
    /// - a vital the file gives nothing for while a column left unread looks like it: its
    ///   name speaks of it and its first numbers lie in its range.
    ///
    /// `unread` tells which columns nothing reads (neither a vital nor the time).
    pub fn cautions(
        &self,
        layout: &Layout,
        row_width: usize,
        vitals: &VitalColumns,
        unread: impl Fn(usize) -> bool,
        wording: Wording,
    ) -> Vec<String> {
        let name = |c: usize| layout.names[c].as_str();
        let mut out = Vec::new();
        let named = layout.names.len();
        if let Some((line, row)) = self.surplus.as_ref().filter(|_| row_width > named) {
            out.push(format!(
                "most rows have {row_width} cells but the header names {named}: the values are read by the header's positions, taking the surplus to be at the end of each row; if a value holds a decimal comma in this file (81,60) or the header lost a name, every value after it is in another column's place: check the readings (line {line}: '{}')",
                excerpt(row)
            ));
        }
        // The header names more than the rows hold: a name with the delimiter in it
        // (`Note (free text, optional)`) moves every later name on by one.
        if row_width < named
            && layout.names[row_width..]
                .iter()
                .any(|n| !n.trim().is_empty())
        {
            out.push(format!(
                "most rows have {row_width} cells but the header names {named} ({}): the values are read by the header's positions, taking the missing cells to be the last columns; if a name holds the delimiter, every value after it is read under the next name: check the readings",
                layout.names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
            ));
        }
        for channel in BpChannel::ALL {
            let [sys, dia, pair] = vitals.pressure(channel);
            let (given, missing) = match (sys, dia, pair) {
                (Some(c), None, None) => (c, Role::Diastolic(channel)),
                (None, Some(c), None) => (c, Role::Systolic(channel)),
                _ => continue,
            };
            out.push(format!(
                "'{}' gives the {} but no column gives the {missing}: each reading has half a blood pressure; {}",
                name(given),
                layout.roles[given].map_or_else(String::new, |r| r.to_string()),
                how_to_read(missing, "NAME", wording)
            ));
        }
        for suspect in SUSPECTS {
            if vitals
                .columns
                .iter()
                .any(|(role, _)| (suspect.gives)(*role))
            {
                continue;
            }
            let (lo, hi) = suspect.range;
            let in_range = |seen: Option<(usize, f64, f64)>| {
                seen.is_some_and(|(_, min, max)| lo <= min && max <= hi)
            };
            // The column, and the role `--column` would give it: a column of `120/80`
            // pairs is read as one.
            let like = |c: usize, words: &[&str]| {
                unread(c) && speaks_of(name(c), words) && !mentions(name(c), suspect.unlike)
            };
            let looks_like = (0..layout.names.len()).find_map(|c| {
                if like(c, suspect.words) && in_range(self.numbers[c]) {
                    Some((c, suspect.role))
                } else if like(c, suspect.pair_words) && in_range(self.pairs[c]) {
                    Some((c, Role::BloodPressure(BpChannel::NonInvasive)))
                } else {
                    None
                }
            });
            let Some((c, role)) = looks_like else {
                continue;
            };
            // A pressure comes in two columns: name both, or the advice gives half of one.
            let mut reads = vec![(c, role)];
            if let Role::Systolic(channel) = role {
                let is_dia = |c: usize| speaks_of(name(c), &["dia"]);
                if is_dia(c) {
                    reads[0].1 = Role::Diastolic(channel);
                }
                let partner = (0..layout.names.len()).find(|&p| {
                    p != c
                        && like(p, suspect.words)
                        && in_range(self.numbers[p])
                        && is_dia(p) != is_dia(c)
                });
                if let Some(p) = partner {
                    let other = if is_dia(p) {
                        Role::Diastolic(channel)
                    } else {
                        Role::Systolic(channel)
                    };
                    reads.push((p, other));
                }
            }
            let shown: Vec<String> = reads
                .iter()
                .map(|(c, _)| format!("'{}'", name(*c)))
                .collect();
            let advice: Vec<String> = reads
                .iter()
                .enumerate()
                .map(|(i, (c, role))| {
                    let advice = how_to_read(*role, &format!("'{}'", name(*c)), wording);
                    match i {
                        0 => advice,
                        _ => advice.trim_start_matches("to read it, ").to_string(),
                    }
                })
                .collect();
            out.push(format!(
                "no column gives {}, but {} looks like one (its name speaks of it and its values lie in {lo}-{hi} {}); it is not read: {}",
                suspect.what,
                shown.join(" with "),
                suspect.unit,
                advice.join("; ")
            ));
        }
        out
    }
}

/// How a person makes a column feed `role`: the flag, or the window's choice.
fn how_to_read(role: Role, column: &str, wording: Wording) -> String {
    match (wording, role.key()) {
        (Wording::Flags, Some(key)) => {
            format!("to read it, {} {key}={column}", Flag::Column.said(wording))
        }
        // The window offers no respiratory-rate choice yet.
        (Wording::Fields, Some(key)) if matches!(role, Role::RespRate(_)) => format!(
            "to read it, import the file on the command line with {} {key}={column}",
            Flag::Column.said(Wording::Flags)
        ),
        _ => format!(
            "to read it, choose it for {role} under \"{}\"",
            Flag::Column.field()
        ),
    }
}

/// A vital whose absence, beside a column that looks like it, is worth a warning.
struct Suspect {
    what: &'static str,
    /// Whether a role chosen for the file gives this vital.
    gives: fn(Role) -> bool,
    /// The role `--column` would give the column.
    role: Role,
    /// Words its columns' names use (lower case, compared within the name).
    words: &'static [&'static str],
    /// Words a column of `120/80` pairs uses for it (German `RR`, French `PA`, `TA`).
    pair_words: &'static [&'static str],
    /// Words of columns that speak of it but hold something else (venous or inspired
    /// oxygen, pulmonary or mean pressures, beats per minute beside a pressure).
    unlike: &'static [&'static str],
    /// The range its values lie in, and their unit.
    range: (f64, f64),
    unit: &'static str,
}

const SUSPECTS: [Suspect; 4] = [
    Suspect {
        what: "SpO2",
        gives: |r| r == Role::Spo2,
        role: Role::Spo2,
        words: &["oxygen", "o2", "spo", "sat", "oxi", "sauerstoff", "oxyg"],
        pair_words: &[],
        unlike: &[
            "ven", "svo", "scvo", "rso", "cereb", "tiss", "fio", "eto", "insp", "conc", "away",
            "flow", "remind", "alarm",
        ],
        range: (50.0, 100.0),
        unit: "%",
    },
    Suspect {
        what: "a heart rate",
        gives: |r| matches!(r, Role::HeartRate(_)),
        role: Role::HeartRate(crate::import::columns::HrChannel::Unspecified),
        words: &[
            "pulse", "puls", "pul", "heart", "herz", "hr", "pr", "bpm", "beat", "cardi",
        ],
        pair_words: &[],
        unlike: &["press", "resp", "var", "remind", "alarm"],
        range: (20.0, 250.0),
        unit: "/min",
    },
    Suspect {
        what: "a blood pressure",
        gives: |r| {
            matches!(
                r,
                Role::Systolic(_) | Role::Diastolic(_) | Role::BloodPressure(_)
            )
        },
        role: Role::Systolic(BpChannel::NonInvasive),
        words: &["sys", "dia", "bp", "press", "blut", "tension"],
        pair_words: &[
            "sys", "dia", "bp", "press", "blut", "tension", "rr", "pa", "ta", "druck",
        ],
        unlike: &[
            "pulm", "pap", "bpm", "cvp", "icp", "pcwp", "cpp", "mean", "map", "remind",
        ],
        range: (20.0, 300.0),
        unit: "mmHg",
    },
    Suspect {
        what: "a respiratory rate",
        gives: |r| matches!(r, Role::RespRate(_)),
        role: Role::RespRate(crate::import::columns::RrChannel::Unspecified),
        // Longer words match anywhere in a name: `atem` alone would find `Statement`.
        words: &["resp", "rr", "atemf", "atemz", "atmung", "breath"],
        pair_words: &[],
        // The ECG's R-R interval, a ventilator's mode or alarm limits, a pressure, a
        // response.
        unlike: &[
            "interval", "rri", "mode", "alarm", "remind", "limit", "sys", "dia", "press", "vol",
            "respon",
        ],
        range: (2.0, 80.0),
        unit: "/min",
    },
];

/// Words for time in the languages whose headers are read.
const TIME_WORDS: &[&str] = &[
    "time", "stamp", "epoch", "unix", "date", "offset", "elapsed", "second", "zeit", "datum",
    "heure", "hora", "fecha",
];

/// Whether a column's name holds any of `words` anywhere (lower case).
fn mentions(name: &str, words: &[&str]) -> bool {
    let name = name.to_lowercase();
    words.iter().any(|w| name.contains(w))
}

/// Whether a column's name speaks of one of `words`: a short word (`hr`, `o2`) as a whole
/// word of the name or its start (`HR_ECG`, `O2 Level`), a longer one anywhere in it.
fn speaks_of(name: &str, words: &[&str]) -> bool {
    let name = name.to_lowercase();
    let parts: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    words.iter().any(|w| {
        if w.len() <= 3 {
            parts.iter().any(|p| p == w || p.starts_with(w))
        } else {
            name.contains(w)
        }
    })
}
