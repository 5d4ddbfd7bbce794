//! Capture from a patient monitor: HL7 v2 ORU^R01 over MLLP (IHE PCD-01) into the
//! session, as device readings. `intake` decides what a message gives (pure),
//! `receiver` records it through the chair and answers it (no sockets, no clock),
//! `listener` owns the sockets and threads.

pub mod chair_zone;
pub mod intake;
pub mod listener;
pub mod receiver;
pub mod simulator;
