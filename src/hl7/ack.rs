//! The HL7 v2 acknowledgement (original mode) a receiver returns for each message: MSH,
//! MSA (`AA` accepted, `AE` error, `AR` rejected, with the message's control ID) and,
//! for an error or a rejection, an ERR segment that says why (HL7 v2.5+ ERR-3 code from
//! table 0357, ERR-4 severity, ERR-8 the words for a person).

use crate::clock::Time;

/// MSA-1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckCode {
    /// Accepted: its readings are on disk.
    Accept,
    /// An error in the message's content: nothing of it was kept. The sender may send it
    /// again once corrected.
    Error,
    /// Rejected: not for this receiver (another patient, a device not accepted, not an
    /// ORU^R01). Sending it again changes nothing.
    Reject,
}

impl AckCode {
    pub fn code(self) -> &'static str {
        match self {
            AckCode::Accept => "AA",
            AckCode::Error => "AE",
            AckCode::Reject => "AR",
        }
    }
}

/// HL7 table 0357 (message error condition codes) as used here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCondition {
    /// 101: a required field (MSH-10, OBX-5...) is missing.
    RequiredFieldMissing,
    /// 102: a value of the wrong data type (a number that is not one, a bad time).
    DataTypeError,
    /// 103: a code not in the table (an observation code not known).
    TableValueNotFound,
    /// 200: a message type this receiver does not take.
    UnsupportedMessageType,
    /// 204: a patient other than the session's.
    UnknownKeyIdentifier,
    /// 207: anything else (the journal refused the write, a value out of range).
    ApplicationInternalError,
}

impl ErrorCondition {
    fn coded(self) -> &'static str {
        match self {
            ErrorCondition::RequiredFieldMissing => "101^Required field missing^HL70357",
            ErrorCondition::DataTypeError => "102^Data type error^HL70357",
            ErrorCondition::TableValueNotFound => "103^Table value not found^HL70357",
            ErrorCondition::UnsupportedMessageType => "200^Unsupported message type^HL70357",
            ErrorCondition::UnknownKeyIdentifier => "204^Unknown key identifier^HL70357",
            ErrorCondition::ApplicationInternalError => "207^Application internal error^HL70357",
        }
    }
}

/// What a message is answered with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub code: AckCode,
    /// Why, for an error or a rejection (and for an acceptance with something dropped).
    pub text: String,
    pub condition: Option<ErrorCondition>,
}

impl Answer {
    pub fn accept(text: impl Into<String>) -> Answer {
        Answer {
            code: AckCode::Accept,
            text: text.into(),
            condition: None,
        }
    }

    pub fn error(condition: ErrorCondition, text: impl Into<String>) -> Answer {
        Answer {
            code: AckCode::Error,
            text: text.into(),
            condition: Some(condition),
        }
    }

    pub fn reject(condition: ErrorCondition, text: impl Into<String>) -> Answer {
        Answer {
            code: AckCode::Reject,
            text: text.into(),
            condition: Some(condition),
        }
    }
}

/// Whom an acknowledgement answers: the message's MSH fields, as far as they were read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Addressee {
    /// MSH-3 (its components) and MSH-4 of the message: the acknowledgement's MSH-5
    /// and MSH-6.
    pub application: Vec<String>,
    pub facility: String,
    /// MSH-5 and MSH-6 of the message: the acknowledgement's MSH-3 and MSH-4.
    pub us_application: String,
    pub us_facility: String,
    /// MSH-10 of the message (empty when it could not be read).
    pub control_id: String,
    /// MSH-11 and MSH-12, echoed.
    pub processing_id: String,
    pub version: String,
}

/// The longest reason an acknowledgement carries: a few problems, each naming its OBX
/// and value (a value quoted is itself cut to 80 characters).
pub const ACK_TEXT_CHARS: usize = 400;

/// The name this program gives itself in MSH-3 when the message did not name its
/// receiver.
pub const RECEIVER: &str = "INFUSION-VITALS";

/// The acknowledgement of the message `to`, sent at `now`, numbered `ack_id`.
pub fn acknowledgement(to: &Addressee, answer: &Answer, now: Time, ack_id: u64) -> String {
    let or = |s: &str, default: &'static str| {
        if s.is_empty() {
            default.to_string()
        } else {
            escape(s)
        }
    };
    let mut out = format!(
        "MSH|^~\\&|{}|{}|{}|{}|{}||ACK^R01^ACK|IV{ack_id}|{}|{}\r",
        or(&to.us_application, RECEIVER),
        escape(&to.us_facility),
        to.application
            .iter()
            .map(|c| escape(c))
            .collect::<Vec<_>>()
            .join("^")
            .trim_end_matches('^'),
        escape(&to.facility),
        now.format("%Y%m%d%H%M%S%z"),
        or(&to.processing_id, "P"),
        or(&to.version, "2.6"),
    );
    out += &format!(
        "MSA|{}|{}|{}\r",
        answer.code.code(),
        escape(&to.control_id),
        escape(&crate::shown::cut(&answer.text, ACK_TEXT_CHARS))
    );
    if let Some(condition) = answer.condition {
        // ERR-3 the condition, ERR-4 severity E (error), ERR-8 the words.
        out += &format!(
            "ERR|||{}|E||||{}\r",
            condition.coded(),
            escape(&crate::shown::cut(&answer.text, ACK_TEXT_CHARS))
        );
    }
    out
}

/// Text made safe for a field (HL7 v2 escape sequences for the delimiters), line breaks
/// made spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\E\\"),
            '|' => out.push_str("\\F\\"),
            '^' => out.push_str("\\S\\"),
            '&' => out.push_str("\\T\\"),
            '~' => out.push_str("\\R\\"),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_acknowledgement_names_the_message_and_says_why_escaped() {
        let to = Addressee {
            application: vec!["MONITOR".into(), String::new()],
            control_id: "MSG1".into(),
            version: "2.6".into(),
            ..Addressee::default()
        };
        let answer = Answer::error(
            ErrorCondition::DataTypeError,
            "OBX 3 value '9|7' is not a number",
        );
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-14T09:41:08+01:00").unwrap();
        let ack = acknowledgement(&to, &answer, now, 7);
        let parsed = hl7_parser::Message::parse(&ack).unwrap();
        let msa = parsed.segment("MSA").unwrap();
        assert_eq!(msa.field(1).unwrap().raw_value(), "AE");
        assert_eq!(msa.field(2).unwrap().raw_value(), "MSG1");
        assert!(ack.starts_with(
            "MSH|^~\\&|INFUSION-VITALS||MONITOR||20260314094108+0100||ACK^R01^ACK|IV7|P|2.6\r"
        ));
        assert!(ack.contains("value '9\\F\\7' is not"), "{ack}");
        assert!(
            ack.contains("ERR|||102^Data type error^HL70357|E||||OBX 3"),
            "{ack}"
        );
    }
}
