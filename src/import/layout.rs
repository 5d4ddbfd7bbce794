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

/// UTF-8 (a BOM dropped) as it is; UTF-16 with a BOM, or without one where its zero
/// bytes show it, converted; anything that is not
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
    if let Some(encoding) = utf16_without_bom(&bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes);
        return Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
        };
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

/// UTF-16 written without its BOM (some Windows tools do): text of Latin letters and
/// digits then has a zero byte in every other place, which no CSV in UTF-8 or a code
/// page has. Judged on the first 512 bytes: zeros in at least a third of the odd places
/// and almost none of the even ones is little-endian, and the reverse big-endian.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(512)];
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 3 >= pairs && even * 20 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 3 >= pairs && odd * 20 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
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

    /// The column a person names (`--time-column`, `--column`), compared without case
    /// or surrounding spaces.
    pub fn column_named(&self, name: &str) -> Option<usize> {
        self.names
            .iter()
            .position(|n| n.trim().eq_ignore_ascii_case(name.trim()))
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
        let quoted = memchr::memchr(b'"', bytes).is_some();
        let plain = !quoted && !has_lone_cr(bytes);
        let chunk = |start: usize, end: usize, first_line| Chunk {
            bytes: &bytes[start..end],
            first_line,
            delimiter: self.delimiter,
            has_header: start == 0,
            plain,
        };
        if n < 2 || bytes.len() < 2 * MIN_CHUNK_BYTES || quoted {
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
    /// No quote and no line ended by a bare carriage return: each line is a record and
    /// each delimiter ends a cell.
    plain: bool,
}

impl<'t> Chunk<'t> {
    /// Calls `each` with every record after the header and the line it starts on. A plain
    /// run of lines is split only as far as a cell is asked for: the survey wants a time
    /// column or two of forty, and parsing all forty took most of its time.
    pub fn for_each_record(&self, each: impl FnMut(u64, Cells<'_>)) {
        if self.plain {
            self.each_line(each);
        } else {
            self.each_parsed(each);
        }
    }

    fn each_parsed(&self, mut each: impl FnMut(u64, Cells<'_>)) {
        let mut rdr = self.reader();
        let mut lines = self.lines();
        let mut record = csv::ByteRecord::new();
        if self.has_header {
            let _header = rdr.read_byte_record(&mut record);
        }
        while let Ok(true) = rdr.read_byte_record(&mut record) {
            let (line, _) = lines.of(&record);
            each(line, Cells::Parsed(&record));
        }
    }

    /// As the CSV reader reads a plain run: a line break (CRLF or LF) ends a record, and
    /// an empty line is none.
    fn each_line(&self, mut each: impl FnMut(u64, Cells<'_>)) {
        let mut header = self.has_header;
        let mut line = self.first_line;
        let mut rest = self.bytes;
        while !rest.is_empty() {
            let (text, next) = match memchr::memchr(b'\n', rest) {
                Some(end) => (&rest[..end], &rest[end + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            if !text.is_empty() && !std::mem::take(&mut header) {
                each(
                    line,
                    Cells::Line {
                        text,
                        delimiter: self.delimiter,
                    },
                );
            }
            line += 1;
            rest = next;
        }
    }

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

/// The cells of one record, parsed or still a line of text.
pub enum Cells<'r> {
    Parsed(&'r csv::ByteRecord),
    Line { text: &'r [u8], delimiter: u8 },
}

impl Cells<'_> {
    /// How many cells the record has.
    pub fn width(&self) -> usize {
        match self {
            Cells::Parsed(record) => record.len(),
            Cells::Line { text, delimiter } => memchr::memchr_iter(*delimiter, text).count() + 1,
        }
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        match self {
            Cells::Parsed(record) => record.get(i),
            Cells::Line { text, delimiter } => text.split(|b| b == delimiter).nth(i),
        }
    }
}

/// A carriage return not followed by a line feed: the CSV reader ends a record there.
fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
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
            // Cut: a file of one endless line (or of zeros) must not become the message.
            format!(
                "it begins: {}",
                crate::shown::excerpt(&first_rows.join(" | "))
            )
        };
        format!(
            "no row in the first {HEADER_SEARCH_ROWS} names a vital sign, so no column can be read (names such as systolic, SYS, NIBP_Systolic, HR, Pulse, SpO2, RR are known; docs/importing.md lists them; on the command line --column VITAL=NAME reads a column under any name); {seen}"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every record as (line, cells), read one way or the other.
    fn records(chunk: &Chunk, plain: bool) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut out = Vec::new();
        let cells = |c: Cells<'_>| -> Vec<Vec<u8>> {
            (0..).map_while(|i| c.get(i).map(<[u8]>::to_vec)).collect()
        };
        if plain {
            chunk.each_line(|line, c| out.push((line, cells(c))));
        } else {
            chunk.each_parsed(|line, c| out.push((line, cells(c))));
        }
        out
    }

    proptest! {
        /// Splitting plain lines gives what the CSV reader gives: the same records on the
        /// same lines with the same cells, through blank lines, CRLF, a missing last line
        /// break and cells of any number.
        #[test]
        fn plain_lines_read_as_the_csv_reader_reads_them(
            pieces in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just("12"), Just(" "), Just(","), Just(";"), Just("\t"),
                    Just("\n"), Just("\r\n"), Just("\n\n"),
                ],
                0..60,
            ),
            has_header: bool,
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t')],
        ) {
            let text = pieces.concat();
            prop_assume!(!has_lone_cr(text.as_bytes()));
            let chunk = Chunk {
                bytes: text.as_bytes(),
                first_line: 7,
                delimiter,
                has_header,
                plain: true,
            };
            prop_assert_eq!(records(&chunk, true), records(&chunk, false));
        }
    }

    #[test]
    fn a_quote_or_a_bare_carriage_return_leaves_a_file_to_the_csv_reader() {
        let layout = |text: &str| find(text, &ColumnTable::built_in()).unwrap();
        for (text, plain) in [
            ("time,SYS\n09:00,120\r\n09:05,121\n", true),
            ("time,SYS\n09:00,\"120\"\n", false),
            ("time,SYS\r09:00,120\r", false),
        ] {
            let chunks = layout(text).chunks(text, 2);
            assert_eq!(chunks[0].plain, plain, "{text:?}");
        }
    }
}
