//! How a file is laid out: its text encoding, its delimiter, and which row is the header
//! (the first that names vitals; metadata lines above it are skipped).

use crate::import::columns::{ColumnTable, Role};

/// How many records are searched for the header row.
const HEADER_SEARCH_ROWS: usize = 64;
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// A file's text, whatever encoding it came in.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub text: String,
    /// What it was, for the summary: `UTF-8`, `UTF-8 with BOM`, `Windows-1252`...
    pub encoding: &'static str,
}

/// UTF-8 (a BOM dropped) as it is; UTF-16 with a BOM converted; anything that is not
/// UTF-8 read as Windows-1252, the code page of Excel's "CSV" on Western Windows (every
/// byte is a character there, so nothing is lost).
pub fn decode(bytes: Vec<u8>) -> Decoded {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(&bytes) {
        if encoding == encoding_rs::UTF_8 {
            if std::str::from_utf8(&bytes[bom..]).is_ok() {
                let mut text = String::from_utf8(bytes).expect("checked above");
                text.drain(..bom);
                return Decoded {
                    text,
                    encoding: "UTF-8 with BOM",
                };
            }
        } else {
            let (text, _) = encoding.decode_with_bom_removal(&bytes);
            return Decoded {
                text: text.into_owned(),
                encoding: encoding.name(),
            };
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded {
            text,
            encoding: "UTF-8",
        },
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
            Decoded {
                text: text.into_owned(),
                encoding: "Windows-1252",
            }
        }
    }
}

/// Where the header is and what its columns hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub delimiter: u8,
    /// 1-based physical line of the header row.
    pub header_line: u64,
    /// Byte offset of the header row in the text.
    pub header_offset: usize,
    pub names: Vec<String>,
    /// What each column holds, by the table of names.
    pub roles: Vec<Option<Role>>,
    /// Numbers may use a comma for the decimal point (the delimiter is not a comma).
    pub decimal_comma: bool,
}

impl Layout {
    pub fn delimiter_name(&self) -> &'static str {
        match self.delimiter {
            b',' => "comma",
            b';' => "semicolon",
            _ => "tab",
        }
    }

    /// Lines above the header that were skipped (metadata).
    pub fn lines_above(&self) -> u64 {
        self.header_line - 1
    }

    /// A CSV reader positioned on the header row.
    pub fn reader<'t>(&self, text: &'t str) -> csv::Reader<&'t [u8]> {
        reader(&text.as_bytes()[self.header_offset..], self.delimiter)
    }

    /// The rows from the header on, in up to `n` runs of whole lines, in file order. A
    /// file with a quote anywhere in its rows stays whole: a quoted cell may hold a line
    /// break, and only reading from the top tells where its record ends.
    pub fn chunks<'t>(&self, text: &'t str, n: usize) -> Vec<Chunk<'t>> {
        let bytes = &text.as_bytes()[self.header_offset..];
        let chunk = |start: usize, end: usize, first_line| Chunk {
            bytes: &bytes[start..end],
            first_line,
            delimiter: self.delimiter,
            has_header: start == 0,
        };
        if n < 2 || bytes.len() < 2 * MIN_CHUNK_BYTES || memchr::memchr(b'"', bytes).is_some() {
            return vec![chunk(0, bytes.len(), self.header_line)];
        }
        let mut out = Vec::with_capacity(n);
        let (mut start, mut line) = (0, self.header_line);
        for k in 1..n {
            let target = bytes.len() * k / n;
            let Some(newline) = memchr::memchr(b'\n', &bytes[target..]) else {
                break;
            };
            let end = target + newline + 1;
            out.push(chunk(start, end, line));
            line += memchr::memchr_iter(b'\n', &bytes[start..end]).count() as u64;
            start = end;
        }
        out.push(chunk(start, bytes.len(), line));
        out
    }

    /// Counts the lines of the records of [`Layout::reader`].
    pub fn lines<'t>(&self, text: &'t str) -> Lines<'t> {
        Lines {
            bytes: &text.as_bytes()[self.header_offset..],
            at: 0,
            line: self.header_line,
        }
    }
}

/// Below this many bytes a file is read on one thread: starting another costs more.
const MIN_CHUNK_BYTES: usize = 1 << 20;

/// A run of whole lines of the file, read on a thread of its own: the first starts at the
/// header row, the others at the start of a line.
#[derive(Clone, Copy, Debug)]
pub struct Chunk<'t> {
    bytes: &'t [u8],
    first_line: u64,
    delimiter: u8,
    pub has_header: bool,
}

impl<'t> Chunk<'t> {
    pub fn reader(&self) -> csv::Reader<&'t [u8]> {
        reader(self.bytes, self.delimiter)
    }

    pub fn lines(&self) -> Lines<'t> {
        Lines {
            bytes: self.bytes,
            at: 0,
            line: self.first_line,
        }
    }

    /// How many bytes of the file it holds.
    pub fn bytes(&self) -> usize {
        self.bytes.len()
    }
}

/// How many threads reading a file is split over.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Physical line numbers of records, counted from their byte offsets: the CSV reader's
/// own count falls one short after a CRLF line end or a blank line.
pub struct Lines<'t> {
    bytes: &'t [u8],
    at: usize,
    line: u64,
}

impl Lines<'_> {
    /// The line a record starts on, and its first byte, records taken in order.
    pub fn of(&mut self, record: &csv::ByteRecord) -> (u64, usize) {
        let byte = record.position().map_or(0, |p| p.byte() as usize);
        let mut start = byte.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.at {
            self.line += memchr::memchr_iter(b'\n', &self.bytes[self.at..start]).count() as u64;
            self.at = start;
        }
        (self.line, start)
    }
}

pub fn reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// Finds the header: of the first rows, in each delimiter, the one naming the most
/// vitals (ties: more columns, then the earlier row).
pub fn find(text: &str, table: &ColumnTable) -> Result<Layout, String> {
    let mut best: Option<(usize, usize, Layout)> = None;
    let mut first_rows: Vec<String> = Vec::new();
    for delimiter in DELIMITERS {
        let mut rdr = reader(text.as_bytes(), delimiter);
        let mut record = csv::ByteRecord::new();
        let mut lines = Lines {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        };
        for _ in 0..HEADER_SEARCH_ROWS {
            match rdr.read_byte_record(&mut record) {
                Ok(true) => {}
                // A quote left open runs to the end of the file: not this delimiter.
                Ok(false) | Err(_) => break,
            }
            let names: Vec<String> = record
                .iter()
                .map(|c| String::from_utf8_lossy(c).trim().to_string())
                .collect();
            let (line, start) = lines.of(&record);
            if delimiter == b',' && first_rows.len() < 3 {
                first_rows.push(names.join(","));
            }
            let roles: Vec<Option<Role>> = names.iter().map(|n| table.role(n)).collect();
            let vitals = roles.iter().flatten().filter(|r| r.is_vital()).count();
            if vitals == 0 {
                continue;
            }
            let better = best
                .as_ref()
                .is_none_or(|(v, n, _)| (vitals, names.len()) > (*v, *n));
            if better {
                let layout = Layout {
                    delimiter,
                    header_line: line,
                    header_offset: start,
                    decimal_comma: delimiter != b',',
                    names,
                    roles,
                };
                best = Some((vitals, layout.names.len(), layout));
            }
        }
    }
    best.map(|(_, _, layout)| layout).ok_or_else(|| {
        let seen = if first_rows.is_empty() {
            "the file is empty".to_string()
        } else {
            format!("it begins: {}", first_rows.join(" | "))
        };
        format!(
            "no row in the first {HEADER_SEARCH_ROWS} names a vital sign, so no column can be read (names such as systolic, SYS, NIBP_Systolic, HR, Pulse, SpO2 are known; docs/importing.md lists them); {seen}"
        )
    })
}
