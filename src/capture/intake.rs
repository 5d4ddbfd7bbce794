//! A monitor's ORU^R01 made into readings for the session, or the reason it is not:
//! which device sent it, whether it is this session's patient and device, which of its
//! observations are vitals (the code table), and at what time. The values themselves are
//! validated by the session, as every reading's are. Pure: no sockets, no clock, no
//! session.
//!
//! The observations of one message that share a time form one reading at that time (an
//! NIBP set and the continuous values beside it, under PCD-01 stamped alike); a message
//! whose values carry different times gives a reading for each time, as the monitor
//! measured them. Of two observations of one vital at one time, the channel the code
//! table lists first is read (ECG before the oximeter's pulse, NIBP before arterial,
//! capnography's respiratory rate before impedance).

use crate::clock::Time;
use crate::commands::{OnReject, OnWarning, ReadingEntry};
use crate::hl7::ack::{Answer, ErrorCondition};
use crate::hl7::codes::{CodeTable, Lookup, Observation};
use crate::hl7::oru::{Obx, Oru};
use crate::import::columns::{Role, RrChannel};
use crate::import::times::{Zone, place};
use crate::session::events::Source;
use crate::session::reading::format_value;
use crate::session::via::{BpChannel, HrChannel, Via};
use crate::session::{Vital, VitalSet};
use chrono::{FixedOffset, NaiveDate, TimeZone};
use std::collections::BTreeMap;

/// What a message must be to be taken.
#[derive(Clone, Debug)]
pub struct Rules {
    /// The one device whose messages are taken (MSH-3 or OBX-18, any of its parts);
    /// none: any.
    pub device: Option<String>,
    /// The session's patient: a message naming another in PID-3 is rejected. A message
    /// without PID is taken (many monitors do not know the patient; the chair does).
    pub patient: Option<String>,
    /// Where a time without an offset is read: the chair's zone.
    pub zone: Zone,
}

/// A message taken: its readings, and what in it was not read.
#[derive(Clone, Debug, PartialEq)]
pub struct Taken {
    /// The device the readings are from (OBX-18, else MSH-3).
    pub device: String,
    /// One a time, oldest first; to be recorded with the session's own validation.
    pub readings: Vec<ReadingEntry>,
    /// Observations not read, each with why (`OBX 3 SpO2 '9x': not a number`): kept in
    /// the log as rejected input.
    pub not_read: Vec<String>,
    /// Codes the table does not know, as the message wrote them: noted once a session.
    pub unknown_codes: Vec<String>,
    /// Values that mean "no value" (0 from an unplugged lead, 255 from an oximeter
    /// without a signal): counted, not noted.
    pub no_reading: usize,
}

/// The device a message is from: an OBX-18 of its observations, else MSH-3.
pub fn device_of(oru: &Oru) -> String {
    oru.observations
        .iter()
        .map(|o| o.device.as_str())
        .find(|d| !d.is_empty())
        .unwrap_or(oru.sender())
        .to_string()
}

/// The longest device identifier kept: an EUI-64 is 16 hex digits, an application's name
/// a few words. A longer one is a broken or hostile message, not a device.
pub const DEVICE_ID_MAX: usize = 64;

/// A device or patient identifier the log can name: 1 to [`DEVICE_ID_MAX`] characters,
/// none a control or a bidirectional override (which would make `P-\u{202e}2400` show
/// as another patient's).
///
/// # Errors
/// Why not, for the acknowledgement: `what` names it (`device identifier`).
pub fn check_identifier(what: &str, id: &str) -> Result<(), String> {
    let hidden = |c: char| {
        c.is_control()
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if id.is_empty() || id.chars().count() > DEVICE_ID_MAX || id.chars().any(hidden) {
        return Err(format!(
            "{what} '{}' is not 1-{DEVICE_ID_MAX} printable characters",
            crate::shown::excerpt(id)
        ));
    }
    Ok(())
}

/// Whether every observation of the message comes from `device`: its OBX-18, or where
/// it has none, any part of MSH-3.
fn is_from(oru: &Oru, device: &str) -> bool {
    let a = &oru.sending_application;
    let sender = [&a.identifier, &a.text, &a.system]
        .into_iter()
        .any(|d| !d.is_empty() && d.eq_ignore_ascii_case(device));
    oru.observations.iter().all(|o| {
        if o.device.is_empty() {
            sender
        } else {
            o.device.eq_ignore_ascii_case(device)
        }
    }) && (sender || !oru.observations.is_empty())
}

/// The devices the observations name (OBX-18, else MSH-3), each once.
fn devices(oru: &Oru) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for o in &oru.observations {
        let d = if o.device.is_empty() {
            oru.sender()
        } else {
            &o.device
        };
        if !out.iter().any(|x| x.eq_ignore_ascii_case(d)) {
            out.push(d);
        }
    }
    out
}

/// The readings of `oru` under `rules`, entered `by` (the nurse at the chair, or the
/// capture).
///
/// # Errors
/// The acknowledgement to send instead: `AR` for a message that is not an ORU^R01, from
/// another device or for another patient; `AE` for one without a control ID or without
/// a single value this program reads.
pub fn take(oru: &Oru, codes: &CodeTable, rules: &Rules, by: &str) -> Result<Taken, Answer> {
    if !oru.is_oru_r01() {
        return Err(Answer::reject(
            ErrorCondition::UnsupportedMessageType,
            format!(
                "message type '{}' is not taken: only ORU^R01 (observations)",
                oru.message_type
            ),
        ));
    }
    if oru.control_id.is_empty() {
        return Err(Answer::error(
            ErrorCondition::RequiredFieldMissing,
            "MSH-10 (message control ID) is empty",
        ));
    }
    if let Some(device) = &rules.device
        && !is_from(oru, device)
    {
        return Err(Answer::reject(
            ErrorCondition::UnknownKeyIdentifier,
            format!(
                "device '{}' is not the one this session takes ('{device}')",
                device_of(oru)
            ),
        ));
    }
    if let [_, second, ..] = devices(oru).as_slice() {
        return Err(Answer::reject(
            ErrorCondition::UnknownKeyIdentifier,
            format!(
                "the observations name more than one device ('{}', '{second}'): one chair, one monitor",
                device_of(oru)
            ),
        ));
    }
    for theirs in &oru.patients {
        if let Err(why) = check_identifier("patient identifier (PID-3)", theirs) {
            return Err(Answer::error(ErrorCondition::DataTypeError, why));
        }
        // Every patient group of the message (ORU^R01 may repeat PID): one other
        // patient's and the message is not taken.
        if let Some(ours) = &rules.patient
            && ours != theirs
        {
            return Err(Answer::reject(
                ErrorCondition::UnknownKeyIdentifier,
                format!(
                    "the message is for patient '{}'; this session is patient '{ours}'",
                    crate::shown::excerpt(theirs)
                ),
            ));
        }
    }
    let device = device_of(oru);
    if device.is_empty() {
        return Err(Answer::error(
            ErrorCondition::RequiredFieldMissing,
            "no device is named (MSH-3 and OBX-18 are empty)",
        ));
    }
    if let Err(why) = check_identifier("device identifier", &device) {
        return Err(Answer::error(ErrorCondition::DataTypeError, why));
    }
    let mut taken = Taken {
        device: device.clone(),
        readings: Vec::new(),
        not_read: Vec::new(),
        unknown_codes: Vec::new(),
        no_reading: 0,
    };
    let mut at_times: BTreeMap<Time, Group> = BTreeMap::new();
    for obx in &oru.observations {
        let observation = match codes.lookup(&obx.code) {
            Lookup::Read(o) => o,
            Lookup::NotRead => continue,
            Lookup::Unknown => {
                taken.unknown_codes.push(obx.code.shown());
                continue;
            }
        };
        // X: the monitor could not obtain it; D, W: withdrawn. No value, no note.
        if matches!(obx.status.as_str(), "X" | "D" | "W") {
            continue;
        }
        match value_of(obx, observation, oru, rules.zone) {
            Ok((_, value)) if observation.is_no_reading(value) => taken.no_reading += 1,
            Ok((at, value)) => {
                let named = format!("OBX {} {}", obx.set_id, obx.code.shown());
                at_times
                    .entry(at)
                    .or_default()
                    .add(observation, value, named);
            }
            Err(why) => taken.not_read.push(format!(
                "OBX {} {} '{}': {why}",
                obx.set_id,
                obx.code.shown(),
                crate::shown::excerpt(&obx.value)
            )),
        }
    }
    if at_times.is_empty() && taken.not_read.is_empty() && taken.no_reading > 0 {
        // A monitor with every probe off: nothing to record, nothing wrong with the message.
        return Ok(taken);
    }
    if at_times.is_empty() {
        return Err(
            match (taken.not_read.first(), taken.unknown_codes.first()) {
                (Some(first), _) => Answer::error(
                    ErrorCondition::DataTypeError,
                    format!("no value could be read: {first}"),
                ),
                (None, Some(_)) => Answer::error(
                    ErrorCondition::TableValueNotFound,
                    format!(
                        "no observation this program reads (codes: {})",
                        crate::shown::excerpt(&taken.unknown_codes.join(", "))
                    ),
                ),
                (None, None) => Answer::error(
                    ErrorCondition::RequiredFieldMissing,
                    "no observation this program reads: the message has no OBX with a value",
                ),
            },
        );
    }
    for (at, group) in at_times {
        let (values, via, notes) = group.reading();
        taken.not_read.extend(notes);
        taken.readings.push(ReadingEntry {
            at,
            values,
            by: by.to_string(),
            source: Source::Device { id: device.clone() },
            on_warning: OnWarning::KeepUnconfirmed,
            on_reject: OnReject::DropValues,
            via,
        });
    }
    Ok(taken)
}

/// An observation's time and number.
fn value_of(
    obx: &Obx,
    observation: &Observation,
    oru: &Oru,
    zone: Zone,
) -> Result<(Time, f64), String> {
    if !matches!(obx.value_type.as_str(), "NM" | "") {
        return Err(format!(
            "value type {} is not a number (NM)",
            obx.value_type
        ));
    }
    if !observation.accepts_unit(&obx.unit) {
        return Err(format!(
            "unit {} is not {}",
            obx.unit.shown(),
            observation.unit()
        ));
    }
    let value: f64 = obx
        .value
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or("not a number")?;
    // OBX-14, else its group's OBR-7, else the message's own time (MSH-7).
    let written = [&obx.time, &obx.group_time, &oru.time]
        .into_iter()
        .find(|t| !t.is_empty())
        .ok_or("no time (OBX-14, OBR-7 and MSH-7 are empty)")?;
    let at = hl7_time(written, zone).map_err(|why| format!("time '{written}' {why}"))?;
    Ok((at, value))
}

/// An HL7 DTM (`YYYYMMDDHHMM[SS[.S…]][+/-ZZZZ]`), to the minute at least, with its
/// offset; one without is placed in `zone` (a time the clocks went back over is
/// refused, never guessed).
///
/// # Errors
/// Why the time cannot be used, for the note.
pub fn hl7_time(text: &str, zone: Zone) -> Result<Time, String> {
    let text = text.trim();
    // A DTM has at most four decimal places (HL7 v2.5 2.A.22); more are refused, never cut.
    if let Some((_, fraction)) = text.split_once('.') {
        let digits = fraction.chars().take_while(char::is_ascii_digit).count();
        if digits > 4 {
            return Err("has more than 4 decimal places of a second".into());
        }
    }
    let ts: hl7_parser::datetime::TimeStamp =
        text.parse().map_err(|_| "is not an HL7 time".to_string())?;
    let (Some(month), Some(day), Some(hour), Some(minute)) = (ts.month, ts.day, ts.hour, ts.minute)
    else {
        return Err("is not given to the minute".into());
    };
    let micro = ts.microsecond.unwrap_or(0);
    let local = NaiveDate::from_ymd_opt(ts.year.into(), month.into(), day.into())
        .and_then(|d| {
            d.and_hms_micro_opt(
                hour.into(),
                minute.into(),
                ts.second.unwrap_or(0).into(),
                micro,
            )
        })
        .ok_or("is not a date and time")?;
    match ts.offset {
        Some(o) => {
            let minutes = i32::from(o.hours.unsigned_abs()) * 60 + i32::from(o.minutes);
            // `-0030` has 0 hours: the sign is the text's (a DTM has no other '-').
            let sign = if text.contains('-') { -1 } else { 1 };
            // Offsets in use run from -12:00 to +14:00, minutes 00-59: `+0199` or
            // `+1500` is a broken clock, not a place.
            if o.minutes > 59 || !(-12 * 60..=14 * 60).contains(&(sign * minutes)) {
                return Err("has an offset no place has (from -1200 to +1400)".into());
            }
            let offset = FixedOffset::east_opt(sign * minutes * 60).ok_or("has no valid offset")?;
            offset
                .from_local_datetime(&local)
                .single()
                .ok_or_else(|| "cannot be placed at its offset".into())
        }
        None => place(local, zone),
    }
}

/// The values of one time, as the message gave them; [`Group::reading`] chooses.
#[derive(Default)]
struct Group {
    values: Vec<GroupValue>,
}

struct GroupValue {
    vital: Vital,
    /// Its channel's place in the table's order of preference (0 first).
    rank: usize,
    value: f64,
    role: Role,
    streamed: bool,
    /// `OBX 3 150456^...`, for a note.
    obx: String,
}

impl Group {
    fn add(&mut self, observation: &Observation, value: f64, obx: String) {
        let (vital, rank) = vital_of(observation.role);
        self.values.push(GroupValue {
            vital,
            rank,
            value,
            role: observation.role,
            streamed: observation.streamed,
            obx,
        });
    }

    /// The reading: each vital from its preferred channel, a blood pressure's two values
    /// always from one channel (the first that gives both, else the first that gives
    /// either); how each was measured; and a note for each value that disagreed with
    /// another of the same vital and channel (the first is kept).
    fn reading(&self) -> (VitalSet, Via, Vec<String>) {
        let is_bp = |v: Vital| matches!(v, Vital::Systolic | Vital::Diastolic);
        let has = |rank: usize, vital: Vital| {
            self.values
                .iter()
                .any(|g| g.vital == vital && g.rank == rank)
        };
        let mut bp_ranks: Vec<usize> = self
            .values
            .iter()
            .filter(|g| is_bp(g.vital))
            .map(|g| g.rank)
            .collect();
        bp_ranks.sort_unstable();
        let bp_rank = bp_ranks
            .iter()
            .find(|r| has(**r, Vital::Systolic) && has(**r, Vital::Diastolic))
            .or(bp_ranks.first())
            .copied();
        let mut set = VitalSet::default();
        let mut via = Via::default();
        let mut notes = Vec::new();
        let mut chosen: Vec<&GroupValue> = Vec::new();
        for g in &self.values {
            if is_bp(g.vital) && Some(g.rank) != bp_rank {
                continue;
            }
            match chosen.iter().position(|c| c.vital == g.vital) {
                Some(i) if chosen[i].rank < g.rank => {}
                Some(i) if chosen[i].rank > g.rank => chosen[i] = g,
                Some(i) => {
                    if chosen[i].value != g.value {
                        notes.push(format!(
                            "{} '{}': a second {} of the same source at this time; {} kept",
                            g.obx,
                            format_value(g.value),
                            g.vital.label(),
                            format_value(chosen[i].value)
                        ));
                    }
                }
                None => chosen.push(g),
            }
        }
        for g in chosen {
            set.set(g.vital, Some(g.value));
            via.set_streamed(g.vital, g.streamed);
            match g.role {
                Role::Systolic(ch) | Role::Diastolic(ch) => via.bp = Some(ch),
                Role::HeartRate(ch) => via.hr = Some(ch),
                _ => {}
            }
        }
        (set, via, notes)
    }
}

/// The vital of a role, and its channel's rank (0 preferred).
fn vital_of(role: Role) -> (Vital, usize) {
    let rank_bp = |ch: BpChannel| BpChannel::ALL.iter().position(|c| *c == ch).unwrap_or(0);
    let rank_hr = |ch: HrChannel| HrChannel::ALL.iter().position(|c| *c == ch).unwrap_or(0);
    let rank_rr = |ch: RrChannel| RrChannel::ALL.iter().position(|c| *c == ch).unwrap_or(0);
    match role {
        Role::Systolic(ch) | Role::BloodPressure(ch) => (Vital::Systolic, rank_bp(ch)),
        Role::Diastolic(ch) => (Vital::Diastolic, rank_bp(ch)),
        Role::HeartRate(ch) => (Vital::HeartRate, rank_hr(ch)),
        Role::RespRate(ch) => (Vital::RespRate, rank_rr(ch)),
        _ => (Vital::Spo2, 0),
    }
}
