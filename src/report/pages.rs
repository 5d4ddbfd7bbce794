//! Pages being drawn: text lines top to bottom, paragraphs wrapped, polylines, a new page
//! when the next block would not fit.

use printpdf::{
    BuiltinFont, Color, Line, LineDashPattern, LinePoint, Mm, Op, PdfFontHandle, Point, Pt, Rgb,
    TextItem,
};

pub const WIDTH_MM: f32 = 210.0;
pub const HEIGHT_MM: f32 = 297.0;
pub const MARGIN_MM: f32 = 18.0;
pub const BOTTOM_MM: f32 = 20.0;

pub type Rgb3 = (f32, f32, f32);
pub const BLACK: Rgb3 = (0.0, 0.0, 0.0);
pub const GREY: Rgb3 = (0.55, 0.55, 0.55);
pub const RED: Rgb3 = (0.75, 0.05, 0.05);
pub const BLUE: Rgb3 = (0.05, 0.25, 0.7);
pub const GREEN: Rgb3 = (0.0, 0.45, 0.2);

/// Pages being written, top to bottom; `y` is the next line's baseline from the top.
pub struct Pages {
    done: Vec<Vec<Op>>,
    ops: Vec<Op>,
    pub y: f32,
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

/// The standard fonts speak WinAnsi: anything outside Latin-1 is shown as '?', never lost
/// silently from a line that is otherwise printed.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '≥' => ">=".to_string(),
            '≤' => "<=".to_string(),
            '–' | '—' => "-".to_string(),
            c if (c as u32) < 0x100 && !c.is_control() => c.to_string(),
            _ => "?".to_string(),
        })
        .collect()
}

impl Pages {
    pub fn new() -> Pages {
        Pages {
            done: Vec::new(),
            ops: Vec::new(),
            y: MARGIN_MM,
        }
    }

    pub fn text_at(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        font: BuiltinFont,
        color: Rgb3,
        text: &str,
    ) {
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: rgb(color) },
            Op::SetFont {
                font: PdfFontHandle::Builtin(font),
                size: Pt(size),
            },
            Op::SetTextCursor { pos: point(x, y) },
            Op::ShowText {
                items: vec![TextItem::Text(printable(text))],
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

    pub fn line_of(&mut self, size: f32, font: BuiltinFont, color: Rgb3, text: &str) {
        let height = size * 0.45;
        self.room(height);
        self.y += height;
        self.text_at(MARGIN_MM, self.y, size, font, color, text);
    }

    /// Body text, wrapped at the page's width.
    pub fn para(&mut self, text: &str) {
        // Helvetica at 9 pt averages about 1.75 mm a character.
        let per_line = ((WIDTH_MM - 2.0 * MARGIN_MM) / 1.75) as usize;
        for line in wrap(text, per_line) {
            self.line_of(9.0, BuiltinFont::Helvetica, BLACK, &line);
        }
    }

    pub fn heading(&mut self, text: &str) {
        self.room(14.0);
        self.y += 3.0;
        self.line_of(11.0, BuiltinFont::HelveticaBold, BLACK, text);
        self.y += 1.0;
    }

    pub fn polyline(
        &mut self,
        points: &[(f32, f32)],
        color: Rgb3,
        width_pt: f32,
        dash: Option<i64>,
    ) {
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

    pub fn finish(mut self) -> Vec<Vec<Op>> {
        self.done.push(self.ops);
        self.done
    }
}

pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line at least");
        if !last.is_empty() && last.len() + 1 + word.len() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}
