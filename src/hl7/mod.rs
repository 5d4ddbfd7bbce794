//! HL7 v2 as monitors speak it (IHE PCD-01): the MLLP framing over TCP, the ORU^R01
//! message read by the `hl7-parser` crate, the acknowledgement, and the table of
//! observation codes. Pure: no sockets, no clock, no session; `capture` joins them to a
//! session.

pub mod ack;
pub mod codes;
pub mod mllp;
pub mod oru;
