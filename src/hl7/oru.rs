//! An HL7 v2 `ORU^R01` (unsolicited observation result) as a monitor or its gateway sends
//! it under IHE PCD-01 (IHE PCD Technical Framework, vol. 2, "Communicate PCD Data"):
//! MSH, PID, OBR, then an OBX per observation. Only what the chair needs is read: who
//! sent it, for which patient, and each observation's code, value, unit, time and
//! device. The structure is parsed by the `hl7-parser` crate; this module names the
//! fields. Pure: no sockets, no clock.

use hl7_parser::Message;
pub use hl7_parser::message::Separators;
use hl7_parser::message::{Field, Segment};

/// A coded element (HL7 CE/CWE): `identifier^text^coding system`, e.g.
/// `150456^MDC_PULS_OXIM_SAT_O2^MDC` or `8867-4^Heart rate^LN`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coded {
    pub identifier: String,
    pub text: String,
    pub system: String,
}

impl Coded {
    /// As the message wrote it, for a note: `150456^MDC_PULS_OXIM_SAT_O2^MDC`.
    pub fn shown(&self) -> String {
        let parts = [&self.identifier, &self.text, &self.system];
        let last = parts.iter().rposition(|p| !p.is_empty()).unwrap_or(0);
        parts[..=last]
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("^")
    }
}

/// One OBX segment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Obx {
    /// OBX-1, for a note naming it.
    pub set_id: String,
    /// OBX-2: `NM` for a number; others (`ST`, `CWE`...) carry no vital.
    pub value_type: String,
    /// OBX-3: what was observed.
    pub code: Coded,
    /// OBX-5, as text.
    pub value: String,
    /// OBX-6.
    pub unit: Coded,
    /// OBX-11: `F` final, `R` not verified, `X` cannot be obtained, `D` delete...
    pub status: String,
    /// OBX-14 as written (`20260314094107+0100`), empty when not given.
    pub time: String,
    /// OBX-18, the equipment instance: its first component (an EUI-64 under PCD-01).
    pub device: String,
    /// OBR-7 of the OBR this OBX follows (an ORU^R01 repeats its order groups, each with
    /// its own time): the time of an OBX without OBX-14.
    pub group_time: String,
}

/// The parts of an ORU^R01 the chair reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Oru {
    /// MSH-3, the sending application, every component (`MONITOR^0123456789ABCDEF^EUI-64`).
    pub sending_application: Coded,
    /// MSH-4.
    pub sending_facility: String,
    /// MSH-5 and MSH-6, echoed back in the acknowledgement.
    pub receiving_application: String,
    pub receiving_facility: String,
    /// MSH-7 as written.
    pub time: String,
    /// MSH-9, e.g. `ORU^R01^ORU_R01`, as written.
    pub message_type: String,
    /// MSH-9's message code and trigger event (`ORU`, `R01`), read with the message's
    /// own component separator.
    pub message_code: String,
    pub trigger_event: String,
    /// MSH-10, which the acknowledgement names.
    pub control_id: String,
    /// MSH-11 (`P` production, `T` training, `D` debugging).
    pub processing_id: String,
    /// MSH-12, e.g. `2.6`.
    pub version: String,
    /// PID-3's first identifier, when there is a PID.
    pub patient: Option<String>,
    /// Every PID's first identifier, in order: an ORU^R01 may repeat its patient group.
    pub patients: Vec<String>,
    pub observations: Vec<Obx>,
}

impl Oru {
    /// The device that sent the message, as MSH-3 names it: the universal identifier (an
    /// EUI-64 under PCD-01) when given, else the namespace (an application's name).
    pub fn sender(&self) -> &str {
        if self.sending_application.text.is_empty() {
            &self.sending_application.identifier
        } else {
            &self.sending_application.text
        }
    }

    /// Whether MSH-9 says ORU^R01.
    pub fn is_oru_r01(&self) -> bool {
        self.message_code == "ORU" && self.trigger_event == "R01"
    }
}

/// Why a message could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotHl7 {
    #[error("the message does not start with an MSH segment")]
    NoMsh,
    #[error("the message is not HL7 v2: {0}")]
    Unparsable(String),
}

/// Reads a message (without its MLLP framing). Text that is not UTF-8 is read as
/// Windows-1252, the usual 8-bit character set of monitors' gateways (MSH-18 `8859/1`).
///
/// # Errors
/// [`NotHl7`] when the bytes hold no MSH segment or cannot be parsed as HL7 v2. A panic
/// of the parser on bytes it did not foresee (they come from the network) is caught and
/// is one of these too: a message must never stop the program.
pub fn read(bytes: &[u8]) -> Result<Oru, NotHl7> {
    std::panic::catch_unwind(|| read_unguarded(bytes)).unwrap_or_else(|_| {
        Err(NotHl7::Unparsable(
            "the HL7 parser failed on it (see the program's fault log)".into(),
        ))
    })
}

fn read_unguarded(bytes: &[u8]) -> Result<Oru, NotHl7> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0,
    };
    // Segments end with CR; a gateway that writes CR LF or LF is read the same.
    let text = text.trim_start_matches(['\r', '\n', ' ']);
    if !text.starts_with("MSH") {
        return Err(NotHl7::NoMsh);
    }
    let text = without_truncation_character(text);
    let message = Message::parse_with_lenient_newlines(&text, true)
        .map_err(|e| NotHl7::Unparsable(crate::shown::excerpt(&e.to_string())))?;
    let seps = &message.separators;
    let msh = message.segment("MSH").ok_or(NotHl7::NoMsh)?;
    let sending = msh.field(3);
    let mut oru = Oru {
        sending_application: sending.map(|f| coded(f, seps)).unwrap_or_default(),
        sending_facility: text_of(msh, 4, seps),
        receiving_application: text_of(msh, 5, seps),
        receiving_facility: text_of(msh, 6, seps),
        time: text_of(msh, 7, seps),
        message_type: raw_of(msh, 9),
        message_code: msh
            .field(9)
            .map(|f| component(f, 1, seps))
            .unwrap_or_default(),
        trigger_event: msh
            .field(9)
            .map(|f| component(f, 2, seps))
            .unwrap_or_default(),
        control_id: text_of(msh, 10, seps),
        processing_id: text_of(msh, 11, seps),
        version: text_of(msh, 12, seps),
        patient: None,
        patients: Vec::new(),
        observations: Vec::new(),
    };
    // The segments in order: each OBX belongs to the OBR before it; every PID is kept.
    let mut group_time = String::new();
    for segment in message.segments() {
        let obx = match segment.name {
            "PID" => {
                let patient = segment
                    .field(3)
                    .map(|f| component(f, 1, seps))
                    .filter(|id| !id.is_empty());
                oru.patients.extend(patient);
                continue;
            }
            "OBR" => {
                group_time = text_of(segment, 7, seps);
                continue;
            }
            "OBX" => segment,
            _ => continue,
        };
        oru.observations.push(Obx {
            set_id: text_of(obx, 1, seps),
            value_type: text_of(obx, 2, seps),
            code: obx.field(3).map(|f| coded(f, seps)).unwrap_or_default(),
            value: text_of(obx, 5, seps),
            unit: obx.field(6).map(|f| coded(f, seps)).unwrap_or_default(),
            status: text_of(obx, 11, seps),
            time: text_of(obx, 14, seps),
            device: obx
                .field(18)
                .map(|f| component(f, 1, seps))
                .unwrap_or_default(),
            group_time: group_time.clone(),
        });
    }
    oru.patient = oru.patients.first().cloned();
    Ok(oru)
}

/// The message with MSH-2's fifth character, HL7 v2.7's truncation character (`^~\&#`),
/// taken out: the parser knows four encoding characters, and a value this program reads
/// is never truncated.
fn without_truncation_character(text: &str) -> std::borrow::Cow<'_, str> {
    let mut chars = text.char_indices().skip(3);
    let Some((_, field)) = chars.next() else {
        return text.into();
    };
    let encoding: Vec<(usize, char)> = chars.take_while(|(_, c)| *c != field).collect();
    match encoding.as_slice() {
        [_, _, _, _, (at, fifth)] => {
            let mut owned = text.to_string();
            owned.replace_range(*at..*at + fifth.len_utf8(), "");
            owned.into()
        }
        _ => text.into(),
    }
}

/// A field's first component, its escapes decoded (`\S\` is `^`).
fn text_of(segment: &Segment, n: usize, seps: &Separators) -> String {
    segment
        .field(n)
        .map(|f| component(f, 1, seps))
        .unwrap_or_default()
}

/// A field as written, repeats and components included.
fn raw_of(segment: &Segment, n: usize) -> String {
    segment
        .field(n)
        .map(|f| f.raw_value().to_string())
        .unwrap_or_default()
}

/// Component `n` (from 1) of a field's first repeat, decoded.
fn component(field: &Field, n: usize, seps: &Separators) -> String {
    field
        .component(n)
        .map(|c| decode(c.raw_value(), seps).trim().to_string())
        .unwrap_or_default()
}

/// A value's HL7 escape sequences decoded (`\F\` `\S\` `\T\` `\R\` `\E\`,
/// `\X0D\` `\X0A\` `\.br\`); another sequence is kept as its letters, an escape left
/// open is dropped. Done here rather than by `hl7-parser`'s `display`, whose decoder
/// slices the text by character counts as if they were byte offsets and panics on a
/// value with a non-ASCII letter before an escape (`Müller\S\...`), which the property
/// test over broken messages found.
pub fn decode(raw: &str, seps: &Separators) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut parts = raw.split(seps.escape);
    out.push_str(parts.next().unwrap_or_default());
    // Between two escape characters: a sequence; after it, plain text again.
    let mut pending: Option<&str> = None;
    for part in parts {
        match pending.take() {
            None => pending = Some(part),
            Some(sequence) => {
                match sequence {
                    "F" => out.push(seps.field),
                    "S" => out.push(seps.component),
                    "T" => out.push(seps.subcomponent),
                    "R" => out.push(seps.repetition),
                    "E" => out.push(seps.escape),
                    "X0D" | ".br" => out.push('\r'),
                    "X0A" => out.push('\n'),
                    other => out.push_str(other),
                }
                out.push_str(part);
            }
        }
    }
    out
}

fn coded(field: &Field, seps: &Separators) -> Coded {
    Coded {
        identifier: component(field, 1, seps),
        text: component(field, 2, seps),
        system: component(field, 3, seps),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PCD01: &str = "MSH|^~\\&|MONITOR^0123456789ABCDEF^EUI-64|WARD|INFUSION-VITALS|CHAIR|20260314094107+0100||ORU^R01^ORU_R01|MSG00042|P|2.6|||NE|AL||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\rPID|||P-0042^^^CLINIC^MR||DOE^JANE\rOBR|1|||182777000^monitoring of patient^SNOMED-CT|||20260314094107+0100\rOBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.1.1.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||20260314094107+0100||||0123456789ABCDEF^EUI-64\rOBX|2|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.2.1|142|266016^MDC_DIM_MMHG^MDC|||||F|||20260314094000+0100\r";

    #[test]
    fn a_pcd01_message_gives_its_sender_patient_and_observations() {
        let oru = read(PCD01.as_bytes()).unwrap();
        assert!(oru.is_oru_r01());
        assert_eq!(oru.sender(), "0123456789ABCDEF");
        assert_eq!(oru.control_id, "MSG00042");
        assert_eq!(oru.patient.as_deref(), Some("P-0042"));
        assert_eq!(oru.observations.len(), 2);
        let spo2 = &oru.observations[0];
        assert_eq!(spo2.code.identifier, "150456");
        assert_eq!(spo2.code.shown(), "150456^MDC_PULS_OXIM_SAT_O2^MDC");
        assert_eq!(spo2.value, "97");
        assert_eq!(spo2.unit.text, "MDC_DIM_PERCENT");
        assert_eq!(spo2.time, "20260314094107+0100");
        assert_eq!(spo2.device, "0123456789ABCDEF");
        assert_eq!(oru.observations[1].status, "F");
    }

    #[test]
    fn escapes_are_decoded_beside_letters_of_any_alphabet() {
        let seps = Separators::default();
        assert_eq!(
            decode("M\u{fc}ller\\S\\Jos\u{e9}", &seps),
            "M\u{fc}ller^Jos\u{e9}"
        );
        assert_eq!(decode("a\\F\\b\\E\\c", &seps), "a|b\\c");
        assert_eq!(
            decode("\u{20ac}\\", &seps),
            "\u{20ac}",
            "an escape left open"
        );
        assert_eq!(decode("x\\Zfoo\\y", &seps), "xZfooy");
    }

    #[test]
    fn what_is_not_hl7_says_so() {
        assert_eq!(read(b"hello"), Err(NotHl7::NoMsh));
        assert_eq!(read(b""), Err(NotHl7::NoMsh));
    }

    #[test]
    fn newlines_and_latin1_are_read() {
        let text = PCD01.replace('\r', "\r\n").replace("DOE", "M\u{fc}LLER");
        let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        let oru = read(&latin1).unwrap();
        assert_eq!(oru.observations.len(), 2);
    }
}
