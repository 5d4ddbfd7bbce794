//! The log's columns, in file order. The names are a contract: other tools read them.

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
    RowSha256 => "row_sha256",
}

pub const COUNT: usize = HEADER.len();

impl Col {
    /// The column holding a reading's value of `vital`.
    pub fn of_vital(vital: Vital) -> Col {
        match vital {
            Vital::Systolic => Col::Systolic,
            Vital::Diastolic => Col::Diastolic,
            Vital::HeartRate => Col::HeartRate,
            Vital::Spo2 => Col::Spo2,
        }
    }
}
