//! Pages being drawn: text lines top to bottom, paragraphs wrapped, polylines, a new page
//! when the next block would not fit, and a footer naming the patient on every page.
//! Sizes in mm from the page's top-left corner, font sizes in points.

use super::win_ansi;
use printpdf::{
    BuiltinFont, Color, DictItem, Line, LineDashPattern, LinePoint, Mm, Op, PdfFontHandle, Point,
    Pt, Rgb,
};

/// An A4 page, mm.
pub const WIDTH_MM: f32 = 210.0;
/// An A4 page, mm.
pub const HEIGHT_MM: f32 = 297.0;
/// Left, right and top margin, mm.
pub const MARGIN_MM: f32 = 18.0;
/// Bottom margin of the body, mm: the footer is inside it.
pub const BOTTOM_MM: f32 = 20.0;

/// A colour: red, green, blue, each 0-1.
pub type Rgb3 = (f32, f32, f32);
/// Body text.
pub const BLACK: Rgb3 = (0.0, 0.0, 0.0);
/// Grid, labels, footer.
pub const GREY: Rgb3 = (0.55, 0.55, 0.55);
/// Blood pressure; a log not intact.
pub const RED: Rgb3 = (0.75, 0.05, 0.05);
/// Heart rate.
pub const BLUE: Rgb3 = (0.05, 0.25, 0.7);
/// SpO2; an intact seal.
pub const GREEN: Rgb3 = (0.0, 0.45, 0.2);
pub const PURPLE: Rgb3 = (0.45, 0.2, 0.65);

/// Pages being written, top to bottom; `y` is the next line's baseline from the top.
pub struct Pages {
    done: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// The next line's baseline, mm from the page's top.
    pub y: f32,
    /// Some character had no WinAnsi form and was printed as `?`.
    pub replaced: bool,
}

fn rgb((r, g, b): Rgb3) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn point(x_mm: f32, y_from_top_mm: f32) -> Point {
    Point::new(Mm(x_mm), Mm(HEIGHT_MM - y_from_top_mm))
}

/// Longest text printed of one paragraph, in characters: a forged log's note of
/// megabytes would otherwise fill thousands of pages. The rest is named, not hidden.
const MAX_TEXT_CHARS: usize = 2_000;

/// The width the text may take, mm.
const TEXT_WIDTH_MM: f32 = WIDTH_MM - 2.0 * MARGIN_MM;

/// Millimetres in a point.
const MM_PER_PT: f32 = 25.4 / 72.0;

/// Where the footer's baseline is, mm from the top: under the body's `BOTTOM_MM`.
const FOOTER_MM: f32 = HEIGHT_MM - 10.0;

impl Pages {
    /// A first page, empty.
    pub fn new() -> Pages {
        Pages {
            done: Vec::new(),
            ops: Vec::new(),
            y: MARGIN_MM,
            replaced: false,
        }
    }

    /// `text` at `x`, `y` (its baseline, mm from the top-left corner), `size` points,
    /// in WinAnsi (`win_ansi::encode`): whether a `?` stood in is remembered in `replaced`.
    pub fn text_at(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        font: BuiltinFont,
        color: Rgb3,
        text: &str,
    ) {
        let (bytes, replaced) = win_ansi::encode(text);
        self.replaced |= replaced;
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: rgb(color) },
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(size),
            },
            Op::SetTextCursor { pos: point(x, y) },
            // printpdf would write the text's UTF-8 bytes under a WinAnsi font; the
            // encoded bytes go in as the text operator's string instead.
            Op::Unknown {
                key: "Tj".to_string(),
                value: vec![DictItem::String {
                    data: bytes,
                    literal: false,
                }],
            },
            Op::EndTextSection,
        ]);
    }

    /// Room for `height` mm more on this page, or a new page.
    pub fn room(&mut self, height: f32) {
        if self.y + height > HEIGHT_MM - BOTTOM_MM {
            self.done.push(std::mem::take(&mut self.ops));
            self.y = MARGIN_MM;
        }
    }

    /// One line of text at the left margin: `text` must fit the width.
    pub fn line_of(&mut self, size: f32, font: BuiltinFont, color: Rgb3, text: &str) {
        let height = size * 0.45;
        self.room(height);
        self.y += height;
        self.text_at(MARGIN_MM, self.y, size, font, color, text);
    }

    /// Text wrapped at the page's width, as many lines as it takes; beyond
    /// `MAX_TEXT_CHARS` it is cut and says how much more the log holds.
    pub fn lines_of(&mut self, size: f32, font: BuiltinFont, color: Rgb3, text: &str) {
        let mut text = text.to_string();
        if let Some((cut, _)) = text.char_indices().nth(MAX_TEXT_CHARS) {
            let more = text[cut..].chars().count();
            text.truncate(cut);
            text.push_str(&format!(
                "... (cut here: {more} more characters in the log)"
            ));
        }
        for line in wrap(&text, chars_per_line(size, font)) {
            self.line_of(size, font, color, &line);
        }
    }

    /// Body text, wrapped at the page's width.
    pub fn para(&mut self, text: &str) {
        self.lines_of(9.0, BuiltinFont::Helvetica, BLACK, text);
    }

    /// A section's heading, moved to the next page with room for a few lines under it.
    pub fn heading(&mut self, text: &str) {
        self.room(14.0);
        self.y += 3.0;
        self.line_of(11.0, BuiltinFont::HelveticaBold, BLACK, text);
        self.y += 1.0;
    }

    /// A line through `points` (mm from the top-left corner), `width_pt` wide, dashed
    /// `dash` points on and off if asked.
    pub fn polyline(
        &mut self,
        points: &[(f32, f32)],
        color: Rgb3,
        width_pt: f32,
        dash: Option<i64>,
    ) {
        // A point no page can place (a value the plot could not clamp) is left out
        // rather than written as NaN, which readers reject.
        let points: Vec<&(f32, f32)> = points
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        if points.len() < 2 {
            return;
        }
        self.ops.extend([
            Op::SetOutlineColor { col: rgb(color) },
            Op::SetOutlineThickness { pt: Pt(width_pt) },
            Op::SetLineDashPattern {
                dash: LineDashPattern {
                    dash_1: dash,
                    ..LineDashPattern::default()
                },
            },
            Op::DrawLine {
                line: Line {
                    points: points
                        .iter()
                        .map(|(x, y)| LinePoint {
                            p: point(*x, *y),
                            bezier: false,
                        })
                        .collect(),
                    is_closed: false,
                },
            },
        ]);
    }

    /// The pages, each with `footer` and its number under the body: "... - page 2 of 3".
    pub fn finish(mut self, footer: &str) -> Vec<Vec<Op>> {
        self.done.push(std::mem::take(&mut self.ops));
        let pages = std::mem::take(&mut self.done);
        let count = pages.len();
        pages
            .into_iter()
            .enumerate()
            .map(|(i, ops)| {
                self.ops = ops;
                let text = format!("{footer} - page {} of {count}", i + 1);
                self.text_at(
                    MARGIN_MM,
                    FOOTER_MM,
                    7.5,
                    BuiltinFont::Helvetica,
                    GREY,
                    &text,
                );
                std::mem::take(&mut self.ops)
            })
            .collect()
    }
}

/// About how many characters of `font` at `size` points fit the text's width: Helvetica
/// averages about 0.55 of its size a character, its bold and Courier 0.6.
fn chars_per_line(size: f32, font: BuiltinFont) -> usize {
    let em = match font {
        BuiltinFont::Helvetica | BuiltinFont::HelveticaOblique => 0.55,
        _ => 0.6,
    };
    (TEXT_WIDTH_MM / (size * MM_PER_PT * em)) as usize
}

/// `text` in lines of at most `width` characters, broken at spaces; a word longer than a
/// line (an identifier, a hash) is broken inside.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let mut word: Vec<char> = word.chars().collect();
        let last = lines.last_mut().expect("one line at least");
        let used = last.chars().count();
        if used > 0 && used + 1 + word.len() > width {
            lines.push(String::new());
        } else if used > 0 {
            last.push(' ');
        }
        while word.len() > width {
            let last = lines.last_mut().expect("one line at least");
            let room = width - last.chars().count();
            last.extend(word.drain(..room));
            lines.push(String::new());
        }
        lines.last_mut().expect("one line at least").extend(word);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_at_spaces_and_inside_words_longer_than_a_line() {
        assert_eq!(wrap("ab cd ef", 5), ["ab cd", "ef"]);
        assert_eq!(wrap("abcdefghij k", 4), ["abcd", "efgh", "ij k"]);
        assert_eq!(wrap("Zoë Ñúñez", 4), ["Zoë", "Ñúñe", "z"]);
    }
}
