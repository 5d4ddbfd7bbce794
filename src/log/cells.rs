//! Cells a spreadsheet would run as a formula are neutralised on the way out and
//! restored on the way in, so the text survives exactly.

use std::borrow::Cow;

/// First characters that make Excel, LibreOffice or Sheets treat a cell as a formula,
/// and the apostrophe that marks a neutralised cell (so it round-trips too).
const DANGEROUS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(DANGEROUS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(DANGEROUS) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_restored() {
        for text in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=x",
            "'plain",
        ] {
            let cell = neutralise(text);
            assert!(cell.starts_with('\''), "{text:?} was written as {cell:?}");
            assert_eq!(restore(&cell), text);
        }
    }

    #[test]
    fn ordinary_text_is_untouched() {
        for text in ["MRN-1234", "2026-03-14T09:00:00+01:00", "120", "", "nausea"] {
            assert_eq!(neutralise(text), text);
            assert_eq!(restore(text), text);
        }
    }
}
