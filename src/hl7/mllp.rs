//! MLLP, the Minimal Lower Layer Protocol that carries HL7 v2 over TCP (HL7 v2.x,
//! Implementation Guide, appendix C; IHE PCD TF-2 uses it for PCD-01): each message is
//! framed `0x0B` (vertical tab) … `0x1C 0x0D` (file separator, carriage return).
//!
//! [`Deframer`] takes the bytes as the socket gives them, in pieces of any size, and
//! gives back whole messages. What is not a message is said, never silently dropped:
//! bytes outside a frame, a frame larger than [`MAX_FRAME`], a frame the connection
//! closed in the middle of. Pure: no sockets, no clock.

/// Starts a frame (VT).
pub const START: u8 = 0x0B;
/// Ends a frame, followed by [`END_2`] (FS).
pub const END_1: u8 = 0x1C;
/// The frame's last byte (CR).
pub const END_2: u8 = 0x0D;

/// The largest message accepted, in bytes: an ORU^R01 of a monitor's whole parameter
/// list is a few kilobytes; a megabyte is far beyond any, and bounds what a broken or
/// hostile sender can make the program hold.
pub const MAX_FRAME: usize = 1 << 20;

/// What the byte stream gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// A whole message, without its framing bytes.
    Message(Vec<u8>),
    /// Bytes that were not inside a frame (a sender without MLLP, line noise): how many.
    Outside(usize),
    /// A frame grew past [`MAX_FRAME`]: it is dropped, and the bytes up to the next
    /// frame's start are counted as outside.
    TooLarge,
}

/// Reassembles MLLP frames from a byte stream.
#[derive(Debug, Default)]
pub struct Deframer {
    /// The frame being read, after its start byte; none between frames.
    frame: Option<Vec<u8>>,
    /// Bytes seen outside a frame since the last piece given.
    outside: usize,
    /// A frame was too large: skip to the next start byte.
    skipping: bool,
}

impl Deframer {
    pub fn new() -> Deframer {
        Deframer::default()
    }

    /// Takes the next bytes from the stream; gives every piece they complete, in order.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut rest = bytes;
        while !rest.is_empty() {
            match self.frame.as_mut() {
                None => {
                    // Between frames: everything up to the start byte is outside.
                    let at = memchr::memchr(START, rest);
                    let skipped = at.unwrap_or(rest.len());
                    if !self.skipping {
                        self.outside += skipped;
                    }
                    let Some(at) = at else { break };
                    self.skipping = false;
                    if self.outside > 0 {
                        pieces.push(Piece::Outside(std::mem::take(&mut self.outside)));
                    }
                    self.frame = Some(Vec::new());
                    rest = &rest[at + 1..];
                }
                Some(frame) => {
                    // In a frame: up to FS CR. A start byte inside a frame starts it
                    // again (the sender gave up on the one before).
                    let end = memchr::memchr2(END_2, START, rest);
                    let take = end.unwrap_or(rest.len());
                    frame.extend_from_slice(&rest[..take]);
                    if frame.len() > MAX_FRAME + 1 {
                        self.frame = None;
                        self.skipping = true;
                        pieces.push(Piece::TooLarge);
                        rest = &rest[take..];
                        continue;
                    }
                    let Some(end) = end else { break };
                    if rest[end] == START {
                        let dropped = frame.len() + 1;
                        pieces.push(Piece::Outside(dropped));
                        frame.clear();
                        rest = &rest[end + 1..];
                        continue;
                    }
                    if frame.last() == Some(&END_1) {
                        frame.pop();
                        let message = self.frame.take().unwrap_or_default();
                        pieces.push(Piece::Message(message));
                    } else {
                        // A CR inside the message: HL7's segment separator.
                        frame.push(END_2);
                    }
                    rest = &rest[end + 1..];
                }
            }
        }
        pieces
    }

    /// Whether a frame has begun and not ended: a connection closed now tore it.
    pub fn in_frame(&self) -> bool {
        self.frame.is_some()
    }

    /// How many bytes of a torn frame there are, when the connection ends; and the bytes
    /// outside any frame not yet reported.
    pub fn finish(self) -> (Option<usize>, usize) {
        (self.frame.map(|f| f.len()), self.outside)
    }
}

/// `message` framed for the wire.
pub fn frame(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len() + 3);
    out.push(START);
    out.extend_from_slice(message);
    out.extend_from_slice(&[END_1, END_2]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_at_once(bytes: &[u8]) -> Vec<Piece> {
        Deframer::new().push(bytes)
    }

    #[test]
    fn a_message_in_pieces_of_any_size_comes_out_whole() {
        let text = b"MSH|^~\\&|A\rPID|||P1\rOBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97\r";
        let mut wire = frame(text);
        wire.extend(frame(b"MSH|^~\\&|B\r"));
        for size in 1..wire.len() {
            let mut d = Deframer::new();
            let pieces: Vec<Piece> = wire.chunks(size).flat_map(|c| d.push(c)).collect();
            assert_eq!(
                pieces,
                [
                    Piece::Message(text.to_vec()),
                    Piece::Message(b"MSH|^~\\&|B\r".to_vec())
                ],
                "chunks of {size}"
            );
            assert!(!d.in_frame());
        }
    }

    #[test]
    fn bytes_outside_a_frame_are_counted_not_read() {
        let mut wire = b"hello\r\n".to_vec();
        wire.extend(frame(b"MSH|^~\\&|A"));
        assert_eq!(
            all_at_once(&wire),
            [Piece::Outside(7), Piece::Message(b"MSH|^~\\&|A".to_vec())]
        );
    }

    #[test]
    fn a_frame_started_again_drops_the_first_and_keeps_the_second() {
        let mut wire = vec![START];
        wire.extend(b"MSH|cut");
        wire.extend(frame(b"MSH|whole"));
        assert_eq!(
            all_at_once(&wire),
            [Piece::Outside(8), Piece::Message(b"MSH|whole".to_vec())]
        );
    }

    #[test]
    fn a_frame_over_the_limit_is_dropped_and_the_next_one_read() {
        let mut wire = vec![START];
        wire.extend(std::iter::repeat_n(b'x', MAX_FRAME + 10));
        wire.extend([END_1, END_2]);
        wire.extend(frame(b"MSH|next"));
        let mut d = Deframer::new();
        let pieces: Vec<Piece> = wire.chunks(4096).flat_map(|c| d.push(c)).collect();
        assert_eq!(
            pieces,
            [Piece::TooLarge, Piece::Message(b"MSH|next".to_vec())]
        );
    }

    #[test]
    fn a_torn_frame_is_known_when_the_connection_ends() {
        let mut d = Deframer::new();
        assert!(d.push(&[START, b'M', b'S']).is_empty());
        assert!(d.in_frame());
        assert_eq!(d.finish(), (Some(2), 0));
    }
}
