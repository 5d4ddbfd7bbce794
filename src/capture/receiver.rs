//! The session's side of a monitor connection: each message read, taken into the session
//! through the chair (validated, journalled, alerted on like any reading) and answered.
//! An `AA` is only sent once the message's readings are on disk: the journal syncs
//! before [`Chair::execute`] returns. No sockets, no clock: the listener passes the
//! bytes and the time in.

use crate::capture::intake::{Rules, Taken, take};
use crate::chair::Chair;
use crate::clock::Time;
use crate::commands::ReadingEntry;
use crate::commands::{Command, CommandError};
use crate::hl7::ack::{AckCode, Addressee, Answer, ErrorCondition, acknowledgement};
use crate::hl7::codes::CodeTable;
use crate::hl7::oru::{self, Oru};
use crate::session::events::Source;
use std::collections::{BTreeSet, VecDeque};

/// How many of the latest readings taken are remembered, so that a message sent again
/// (its acknowledgement lost) is not recorded twice: a quarter of an hour at 1 Hz. A
/// reading is the same when its device, time and values are, whatever the control ID: a
/// monitor that restarts and numbers its messages from 1 again, or stamps its time in
/// MSH-7 under one constant ID, loses nothing; a gateway that resends under a new ID
/// records nothing twice.
const REMEMBERED: usize = 1000;

/// What came of a message.
#[derive(Clone, Debug, PartialEq)]
pub struct Received {
    /// The acknowledgement to send back, unframed.
    pub ack: String,
    pub answer: Answer,
    /// Readings recorded from it.
    pub saved: usize,
}

/// The monitor connection's state, for the top bar and the technical alarm.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonitorState {
    /// The device whose messages are taken: as told, or the first to send one.
    pub device: Option<String>,
    /// When the last message was taken.
    pub last_taken: Option<Time>,
    /// Messages answered AA, AE and AR.
    pub accepted: u64,
    pub errors: u64,
    pub rejected: u64,
    /// Values the monitor sent for "no value" (0 from an unplugged lead, 255 from an
    /// oximeter without a signal): not readings, not errors.
    pub no_reading: u64,
}

pub struct Receiver {
    codes: CodeTable,
    rules: Rules,
    by: String,
    state: MonitorState,
    /// The latest readings taken, as `device|time|values`.
    recent: VecDeque<String>,
    /// Codes not known and kinds of refusal already noted in the log: each once.
    noted: BTreeSet<String>,
    /// The silence already raised as a technical alarm, by when it began.
    silence_raised: Option<Time>,
    acks: u64,
}

impl Receiver {
    /// Takes messages under `rules` with `codes`, recording them `by` (the nurse at the
    /// chair, or the capture command).
    pub fn new(codes: CodeTable, rules: Rules, by: &str) -> Receiver {
        let state = MonitorState {
            device: rules.device.clone(),
            ..MonitorState::default()
        };
        Receiver {
            codes,
            rules,
            by: by.to_string(),
            state,
            recent: VecDeque::new(),
            noted: BTreeSet::new(),
            silence_raised: None,
            acks: 0,
        }
    }

    pub fn state(&self) -> &MonitorState {
        &self.state
    }

    /// Reads one message (without its framing), records its readings in `chair`'s
    /// session at `now`, and gives the acknowledgement.
    pub fn receive(&mut self, chair: &mut Chair, message: &[u8], now: Time) -> Received {
        let (addressee, answer, saved) = match oru::read(message) {
            Err(why) => {
                let answer = Answer::error(ErrorCondition::DataTypeError, why.to_string());
                self.note_once(chair, now, "not-hl7", "connection", &answer.text);
                (Addressee::default(), answer, 0)
            }
            Ok(oru) => {
                let addressee = addressee(&oru);
                let (answer, saved) = self.take(chair, &oru, now);
                (addressee, answer, saved)
            }
        };
        match answer.code {
            crate::hl7::ack::AckCode::Accept => self.state.accepted += 1,
            crate::hl7::ack::AckCode::Error => self.state.errors += 1,
            crate::hl7::ack::AckCode::Reject => self.state.rejected += 1,
        }
        self.acks += 1;
        Received {
            ack: acknowledgement(&addressee, &answer, now, self.acks),
            answer,
            saved,
        }
    }

    fn take(&mut self, chair: &mut Chair, oru: &Oru, now: Time) -> (Answer, usize) {
        // The first device to send is the session's, unless one was named.
        let rules = Rules {
            device: self.state.device.clone(),
            ..self.rules.clone()
        };
        let taken = match take(oru, &self.codes, &rules, &self.by) {
            Ok(taken) => taken,
            Err(answer) => {
                let from = crate::capture::intake::device_of(oru);
                // A refusal (another patient, device, message type) is noted once a
                // kind and a sender; an error in a message's content once a problem.
                let (kind, again) = match answer.code {
                    AckCode::Reject => (
                        format!("{:?}", answer.condition),
                        " (further messages like it are answered alike and not noted again)",
                    ),
                    _ => (answer.text.clone(), ""),
                };
                let text = format!(
                    "message {} from '{}' answered {}: {}{again}",
                    oru.control_id,
                    from,
                    answer.code.code(),
                    answer.text
                );
                self.note_once(chair, now, &kind, &from, &text);
                return (answer, 0);
            }
        };
        // A reading already recorded from this device (the same time and values: a
        // message sent again, its acknowledgement lost, under its control ID or a new
        // one) is not recorded twice.
        let mut taken = taken;
        let key = |r: &ReadingEntry| format!("{}|{}|{:?}", taken_device(r), r.at, r.values);
        let sent = taken.readings.len();
        taken.readings.retain(|r| !self.recent.contains(&key(r)));
        if sent > 0 && taken.readings.is_empty() {
            self.state.last_taken = Some(now);
            return (Answer::accept("already received: not recorded again"), 0);
        }
        let (answer, saved) = self.record(chair, oru, &taken, now);
        self.state.no_reading += taken.no_reading as u64;
        // A message accepted, readings in it or not (every probe off): the monitor is
        // there, and this message must not be recorded again.
        if answer.code == crate::hl7::ack::AckCode::Accept {
            self.state.device.get_or_insert(taken.device.clone());
            self.state.last_taken = Some(now);
            self.silence_raised = None;
            for reading in &taken.readings {
                if self.recent.len() == REMEMBERED {
                    self.recent.pop_front();
                }
                self.recent.push_back(key(reading));
            }
        }
        (answer, saved)
    }

    /// Records the readings of a message taken, and what in it was not read.
    fn record(
        &mut self,
        chair: &mut Chair,
        oru: &Oru,
        taken: &Taken,
        now: Time,
    ) -> (Answer, usize) {
        let mut saved = 0;
        let mut problems: Vec<String> = taken.not_read.clone();
        for reading in &taken.readings {
            match chair.execute(Command::RecordReading(reading.clone()), now) {
                Ok(outcome) => {
                    saved += 1;
                    problems.extend(outcome.dropped.iter().map(|p| p.to_string()));
                }
                Err(CommandError::NotSaved(why)) => {
                    return (
                        Answer::error(
                            ErrorCondition::ApplicationInternalError,
                            format!("not saved: {why}"),
                        ),
                        saved,
                    );
                }
                Err(other) => problems.push(format!(
                    "reading at {}: {other}",
                    reading.at.format("%H:%M:%S")
                )),
            }
        }
        for code in &taken.unknown_codes {
            let text = format!("observation code {code} is not one this program reads");
            self.note_once(chair, now, &format!("code {code}"), &taken.device, &text);
        }
        for problem in &problems {
            let text = format!("message {}: {problem}", oru.control_id);
            note(chair, now, &self.by, &taken.device, text);
        }
        if saved == 0 && problems.is_empty() && taken.no_reading > 0 {
            return (
                Answer::accept("no value: the monitor sent none (a lead or probe off)"),
                0,
            );
        }
        if saved == 0 {
            let why = problems.first().cloned().unwrap_or_default();
            return (
                Answer::error(
                    ErrorCondition::DataTypeError,
                    format!("nothing recorded: {why}"),
                ),
                0,
            );
        }
        let text = match problems.len() {
            0 => String::new(),
            n => format!("{n} value(s) not recorded: {}", problems.join("; ")),
        };
        (Answer::accept(text), saved)
    }

    /// A problem of the connection itself (a torn frame, bytes outside frames, a sender
    /// that stopped mid-message), noted in the log once a kind and a sender.
    pub fn connection_problem(&mut self, chair: &mut Chair, now: Time, peer: &str, text: &str) {
        let kind = text.split(':').next().unwrap_or(text).to_string();
        // Once a kind and a computer (not a port: each connection has its own), so a
        // sender opening connection after connection does not flood the log.
        let host = peer.rsplit_once(':').map_or(peer, |(host, _)| host);
        if self.noted.insert(format!("{host}\u{0}{kind}")) {
            note(chair, now, &self.by, peer, text.to_string());
        }
    }

    /// The technical alarm when no message was taken for longer than `limit_s`
    /// (the profile's `stream.monitor_silent_after_s`): raised once a silence, and said
    /// again only after messages came back and stopped again.
    pub fn check_silence(&mut self, chair: &mut Chair, now: Time, limit_s: u32) {
        let Some(last) = self.state.last_taken else {
            return;
        };
        if (now - last).num_seconds() <= i64::from(limit_s) || self.silence_raised == Some(last) {
            return;
        }
        let device = self.state.device.clone().unwrap_or_default();
        let condition = format!(
            "monitor silent since {}: no message from '{device}' for over {limit_s} s; check its cable or network, and take readings by hand meanwhile",
            last.format("%H:%M:%S")
        );
        if chair
            .execute(Command::TechnicalAlarm { condition }, now)
            .is_ok()
        {
            self.silence_raised = Some(last);
        }
    }

    /// Whether the technical alarm for the present silence was raised.
    pub fn is_silent(&self) -> bool {
        self.silence_raised.is_some()
    }

    fn note_once(&mut self, chair: &mut Chair, now: Time, kind: &str, from: &str, text: &str) {
        if self.noted.insert(format!("{from}\u{0}{kind}")) {
            note(chair, now, &self.by, from, text.to_string());
        }
    }
}

/// What a monitor sent that was not recorded, kept in the log as a rejected input from
/// the device.
fn note(chair: &mut Chair, now: Time, by: &str, device: &str, problem: String) {
    let note = Command::NoteRejectedInput {
        at: now,
        by: by.to_string(),
        source: Source::Device {
            id: device.to_string(),
        },
        problem,
    };
    // A note the journal refuses raises the journal's technical alarm (the chair's).
    let _ = chair.execute(note, now);
}

/// Whom the acknowledgement of `oru` answers.
pub fn addressee(oru: &Oru) -> Addressee {
    let app = &oru.sending_application;
    Addressee {
        application: vec![app.identifier.clone(), app.text.clone(), app.system.clone()],
        facility: oru.sending_facility.clone(),
        us_application: oru.receiving_application.clone(),
        us_facility: oru.receiving_facility.clone(),
        control_id: oru.control_id.clone(),
        processing_id: oru.processing_id.clone(),
        version: oru.version.clone(),
    }
}

/// The device a reading came from, as its source names it.
fn taken_device(reading: &ReadingEntry) -> &str {
    match &reading.source {
        Source::Device { id } => id,
        _ => "",
    }
}
