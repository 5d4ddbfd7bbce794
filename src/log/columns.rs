//! The log's columns, in file order. The names are a contract: other tools read them.
//!
//! The format grows by columns appended before `row_sha256` (which stays last: it covers
//! the row up to itself), never by changing one. Version 1 (every log before issue 16)
//! ends `detail,reason,row_sha256`; version 2 adds `resp_rate_per_min`, `scale` and
//! `score` after `reason`. A reader tells them apart by the header
//! (docs/session-log-format.md).

use crate::session::Vital;

macro_rules! columns {
    ($($variant:ident => $name:literal),+ $(,)?) => {
        /// A column of the session log.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Col { $($variant),+ }

        /// The header row, exactly.
        pub const HEADER: &[&str] = &[$($name),+];

        impl Col {
            pub fn name(self) -> &'static str {
                HEADER[self as usize]
            }
        }
    };
}

columns! {
    Seq => "seq",
    Record => "record",
    Event => "event",
    Time => "time",
    EnteredAt => "entered_at",
    By => "by",
    Source => "source",
    ReadingId => "reading_id",
    Status => "status",
    Systolic => "systolic_mmhg",
    Diastolic => "diastolic_mmhg",
    HeartRate => "heart_rate_bpm",
    Spo2 => "spo2_pct",
    Warning => "warning",
    WarningConfirmed => "warning_confirmed",
    AlertId => "alert_id",
    AlertVital => "alert_vital",
    AlertCondition => "alert_condition",
    AlertPriority => "alert_priority",
    RecheckBy => "recheck_by",
    Until => "until",
    PatientId => "patient_id",
    WeightKg => "weight_kg",
    Protocol => "protocol",
    DoseMgPerKg => "dose_mg_per_kg",
    RateMgPerKgH => "rate_mg_per_kg_h",
    PlannedMin => "planned_min",
    Profile => "profile",
    ProfileVersion => "profile_version",
    AldreteScore => "aldrete_score",
    EscortPresent => "escort_present",
    VitalsNearBaseline => "vitals_near_baseline",
    Detail => "detail",
    Reason => "reason",
    RespRate => "resp_rate_per_min",
    Scale => "scale",
    Score => "score",
    RowSha256 => "row_sha256",
}

/// Cells in a row of the newest version.
pub const COUNT: usize = HEADER.len();

/// Cells after `reason` and before `row_sha256` in a row of `version`: a seal row's are
/// empty, after the signature in `reason`.
pub fn trailing_after_reason(version: Version) -> usize {
    version.count() - 2 - Col::Reason as usize
}

/// A version of the log's layout: which columns its header names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// Before respiratory rate and assessments: up to `reason`, then `row_sha256`.
    V1,
    /// `resp_rate_per_min`, `scale` and `score` after `reason`.
    V2,
}

/// The columns version 2 added, between `reason` and `row_sha256`.
const ADDED_IN_V2: usize = 3;

impl Version {
    /// What every log and journal is written as.
    pub const NEWEST: Version = Version::V2;

    /// Its header's names, in order.
    pub fn header(self) -> Vec<&'static str> {
        let mut names = HEADER.to_vec();
        if self == Version::V1 {
            names.drain(Col::RespRate as usize..Col::RowSha256 as usize);
        }
        names
    }

    /// Cells in each of its rows.
    pub fn count(self) -> usize {
        match self {
            Version::V1 => COUNT - ADDED_IN_V2,
            Version::V2 => COUNT,
        }
    }

    /// The version whose header is `cells`, if any.
    pub fn of_header(cells: &[&str]) -> Option<Version> {
        [Version::V2, Version::V1]
            .into_iter()
            .find(|v| v.header() == cells)
    }

    /// Where a cell of a row of this version goes in a row of the newest (`Col` order):
    /// a version-1 row's hash moves past the columns it lacks, which stay empty.
    pub fn newest_index(self, cell: usize) -> usize {
        match self {
            Version::V1 if cell >= Col::RespRate as usize => cell + ADDED_IN_V2,
            _ => cell,
        }
    }

    /// The columns this version cannot hold (empty for the newest).
    pub fn lacks(self) -> &'static [Col] {
        match self {
            Version::V1 => &[Col::RespRate, Col::Scale, Col::Score],
            Version::V2 => &[],
        }
    }
}

impl Col {
    /// The column holding a reading's value of `vital`.
    pub fn of_vital(vital: Vital) -> Col {
        match vital {
            Vital::Systolic => Col::Systolic,
            Vital::Diastolic => Col::Diastolic,
            Vital::HeartRate => Col::HeartRate,
            Vital::Spo2 => Col::Spo2,
            Vital::RespRate => Col::RespRate,
        }
    }
}
