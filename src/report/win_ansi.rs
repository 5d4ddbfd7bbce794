//! Text in the standard PDF fonts' encoding, WinAnsi (Windows-1252), which is all that
//! Helvetica and Courier without an embedded font can show.
//!
//! printpdf 0.9 writes a built-in font's text as its UTF-8 bytes under a WinAnsi font
//! ("Zoë" printed as "ZoÃ«"), so the report encodes its text here and hands printpdf the
//! bytes. Latin-1 and the other WinAnsi characters (–, €, “ ”) print as themselves; a
//! character outside it is transliterated when its compatibility decomposition is made
//! of WinAnsi letters and accents (ř as r, ﬁ as fi), and otherwise shown as `?`, which
//! the caller is told so that the report can say so: never dropped from a line that is
//! otherwise printed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// WinAnsi's bytes 0x80-0x9F, which Latin-1 leaves to control characters; `None` where
/// WinAnsi has no character either.
const HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

/// The WinAnsi byte of `c`, if it has one; control characters have none.
fn byte(c: char) -> Option<u8> {
    match c as u32 {
        0x20..=0x7E | 0xA0..=0xFF => Some(c as u8),
        _ => HIGH
            .iter()
            .position(|h| *h == Some(c))
            .map(|i| 0x80 + i as u8),
    }
}

/// Characters with no decomposition that a reader still knows in plain letters.
fn spelled(c: char) -> Option<&'static str> {
    Some(match c {
        '≥' => ">=",
        '≤' => "<=",
        '≠' => "!=",
        '−' => "-",
        '→' => "->",
        '←' => "<-",
        'Ł' => "L",
        'ł' => "l",
        'Đ' => "D",
        'đ' => "d",
        'Ħ' => "H",
        'ħ' => "h",
        'ı' => "i",
        _ => return None,
    })
}

/// `text` in WinAnsi bytes, and whether some character had to be shown as `?`.
pub fn encode(text: &str) -> (Vec<u8>, bool) {
    let mut bytes = Vec::with_capacity(text.len());
    let mut replaced = false;
    for c in text.chars() {
        if let Some(b) = byte(c) {
            bytes.push(b);
        } else if let Some(spelled) = spelled(c) {
            bytes.extend(spelled.bytes());
        } else if let Some(letters) = transliterated(c) {
            bytes.extend(letters);
        } else {
            bytes.push(b'?');
            replaced = true;
        }
    }
    (bytes, replaced)
}

/// `c` by its compatibility decomposition without its accents (ř as r), when every
/// character left has a WinAnsi byte.
fn transliterated(c: char) -> Option<Vec<u8>> {
    let letters: Option<Vec<u8>> = std::iter::once(c)
        .nfkd()
        .filter(|d| !is_combining_mark(*d))
        .map(byte)
        .collect();
    letters.filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_1_and_winansi_print_as_themselves() {
        let (bytes, replaced) = encode("Zoë Ñúñez – 5 €");
        assert_eq!(bytes, b"Zo\xEB \xD1\xFA\xF1ez \x96 5 \x80");
        assert!(!replaced);
    }

    #[test]
    fn other_letters_are_transliterated_and_the_rest_marked() {
        assert_eq!(
            encode("Dvořák Łódź ≥ ﬁ"),
            (b"Dvor\xE1k L\xF3dz >= fi".to_vec(), false)
        );
        assert_eq!(encode("患者 a\u{1b}"), (b"?? a?".to_vec(), true));
    }
}
