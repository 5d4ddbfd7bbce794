//! Text from files shown to a person, at a terminal or in a report: a file's name or a
//! cell may hold a line break (forging an "intact:" line below it) or an escape sequence
//! (ESC, NUL) that the terminal would obey. Shown on one line, such characters escaped.

use std::borrow::Cow;

/// Text as one line: control characters (a line break in a file name or a cell) shown
/// escaped, everything else as it is.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// How many characters of a cell or row a message quotes: enough to recognise the value,
/// never the whole of a hostile 200 MB cell.
pub const EXCERPT_CHARS: usize = 80;

/// A cell or row quoted in a message: its first [`EXCERPT_CHARS`] characters on one line
/// ([`one_line`]), and "..." when there was more.
pub fn excerpt(text: &str) -> String {
    cut(text, EXCERPT_CHARS)
}

/// `text`'s first `chars` characters on one line ([`one_line`]), and "..." when there was
/// more: for text shown whole up to a bound, as a report's header shows an identifier.
pub fn cut(text: &str, chars: usize) -> String {
    let mut rest = text.chars();
    let first: String = rest.by_ref().take(chars).collect();
    let shown = one_line(&first);
    if rest.next().is_some() {
        format!("{shown}...")
    } else {
        shown.into_owned()
    }
}

/// Writes `text` as one line (see [`one_line`]) and a line end. A terminal that cannot be
/// written to has nowhere else to say so: the error is dropped.
pub fn say(out: &mut dyn std::io::Write, text: std::fmt::Arguments) {
    let _ = writeln!(out, "{}", one_line(&text.to_string()));
}
