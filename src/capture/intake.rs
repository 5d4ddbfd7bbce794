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

/// A device identifier the log can name: 1 to [`DEVICE_ID_MAX`] printable characters.
///
/// # Errors
/// Why not, for the acknowledgement.
pub fn check_device_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("no device is named (MSH-3 and OBX-18 are empty)".into());
    }
    if id.chars().count() > DEVICE_ID_MAX || id.chars().any(char::is_control) {
        return Err(format!(
            "device identifier '{}' is not 1-{DEVICE_ID_MAX} printable characters",
            crate::shown::excerpt(id)
        ));
    }
    Ok(())
}

/// Whether the message comes from `device`: any part of MSH-3, or any OBX-18.
fn is_from(oru: &Oru, device: &str) -> bool {
    let a = &oru.sending_application;
    [&a.identifier, &a.text, &a.system]
        .into_iter()
        .map(String::as_str)
        .chain(oru.observations.iter().map(|o| o.device.as_str()))
        .any(|d| !d.is_empty() && d.eq_ignore_ascii_case(device))
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
    if let (Some(ours), Some(theirs)) = (&rules.patient, &oru.patient)
        && ours != theirs
    {
        return Err(Answer::reject(
            ErrorCondition::UnknownKeyIdentifier,
            format!("the message is for patient '{theirs}'; this session is patient '{ours}'"),
        ));
    }
    let device = device_of(oru);
    if let Err(why) = check_device_id(&device) {
        return Err(Answer::error(ErrorCondition::RequiredFieldMissing, why));
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
            Ok((at, value)) => at_times.entry(at).or_default().add(observation, value),
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
        let (values, via) = group.reading();
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
    // OBX-14, else OBR-7, else the message's own time (MSH-7).
    let written = [&obx.time, &oru.observed, &oru.time]
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
    let ts: hl7_parser::datetime::TimeStamp = text
        .trim()
        .parse()
        .map_err(|_| "is not an HL7 time".to_string())?;
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
            let offset = FixedOffset::east_opt(sign * minutes * 60).ok_or("has no valid offset")?;
            offset
                .from_local_datetime(&local)
                .single()
                .ok_or_else(|| "cannot be placed at its offset".into())
        }
        None => place(local, zone),
    }
}

/// The values of one time, each vital from its preferred channel.
#[derive(Default)]
struct Group {
    /// (vital, its channel's rank, value, role, streamed).
    chosen: Vec<(Vital, usize, f64, Role, bool)>,
}

impl Group {
    fn add(&mut self, observation: &Observation, value: f64) {
        let (vital, rank) = vital_of(observation.role);
        if let Some(i) = self.chosen.iter().position(|(v, ..)| *v == vital) {
            if self.chosen[i].1 <= rank {
                return;
            }
            self.chosen.remove(i);
        }
        self.chosen
            .push((vital, rank, value, observation.role, observation.streamed));
    }

    /// The reading's values, and how each was measured.
    fn reading(&self) -> (VitalSet, Via) {
        let mut set = VitalSet::default();
        let mut via = Via::default();
        for (vital, _, value, role, streamed) in &self.chosen {
            set.set(*vital, Some(*value));
            via.set_streamed(*vital, *streamed);
            match role {
                Role::Systolic(ch) | Role::Diastolic(ch) => via.bp = Some(*ch),
                Role::HeartRate(ch) => via.hr = Some(*ch),
                _ => {}
            }
        }
        (set, via)
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
