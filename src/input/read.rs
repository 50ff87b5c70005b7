//! Reads an export (CSV/TSV text in any common encoding, or XLSX) into a table: its header,
//! read at once, and its data rows, read one at a time by [`Table::each_row`] so that a
//! national export is never held as a table of strings. Every row keeps its physical line
//! so every problem can name it.

use std::cell::RefCell;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx};
use csv::StringRecord;

use crate::error::{refuse, InputError, Problem};
use crate::input::decode::decode_owned;

/// An export: trimmed header names, how it was read, and its data rows, read on demand.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: PathBuf,
    pub headers: Vec<String>,
    /// The question texts of a second header row (Qualtrics), when there is one.
    pub descriptions: Option<Vec<String>>,
    /// How the file was read: "UTF-8", "windows-1252", "xlsx", ...
    pub encoding: String,
    /// The delimiter of a text file; `None` for XLSX.
    pub delimiter: Option<char>,
    /// Rows above the data, the column names included.
    pub header_rows: usize,
    body: Body,
    /// Fields in a raw row: the headers, and the wave column when it is taken out.
    width: usize,
    wave: Wave,
    /// The waves met by the last [`Table::each_row`], in the order they first occur.
    waves: RefCell<Vec<String>>,
}

/// Where the data rows come from.
#[derive(Debug, Clone)]
enum Body {
    /// The decoded text, from the byte where the data starts; `line` is that byte's line.
    Text {
        text: String,
        start: usize,
        line: u64,
        delimiter: u8,
    },
    /// The data rows of a workbook (line = spreadsheet row number).
    Records(Vec<(u64, StringRecord)>),
}

/// How the rows get their wave.
#[derive(Debug, Clone)]
enum Wave {
    None,
    /// Every row has this wave (the file's label).
    Label(String),
    /// The wave is in raw column `index`, named `name`, which the rows handed out do not
    /// have.
    Column {
        index: usize,
        name: String,
    },
}

/// One data row and the physical line (1-based, header included) where it starts; for
/// XLSX the spreadsheet row number.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    /// The cells, in one buffer.
    pub fields: StringRecord,
    /// The survey wave of the row: the file's label, or its wave column (then removed).
    pub wave: Option<String>,
}

/// How to read an export.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Rows above the data, the column names first. `None`: 1, or 3 when Qualtrics'
    /// ImportId row is found.
    pub header_rows: Option<usize>,
}

impl Table {
    /// The position of a column, matched case-insensitively on the trimmed name.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.to_lowercase() == name.trim().to_lowercase())
    }

    /// Gives every row the wave `label`.
    pub fn label_wave(&mut self, label: &str) {
        self.wave = Wave::Label(label.to_string());
    }

    /// Takes column `c` out of the headers and reads each row's wave from it.
    pub fn wave_column(&mut self, c: usize) {
        let name = self.headers.remove(c);
        if let Some(d) = &mut self.descriptions {
            if c < d.len() {
                d.remove(c);
            }
        }
        self.wave = Wave::Column { index: c, name };
    }

    /// The waves of the rows read by the last [`Table::each_row`], in the order they first
    /// occur; the label of a labelled file.
    pub fn waves(&self) -> Vec<String> {
        match &self.wave {
            Wave::None => Vec::new(),
            Wave::Label(l) => vec![l.clone()],
            Wave::Column { .. } => self.waves.borrow().clone(),
        }
    }

    /// About how many data rows there are, to size tables before reading them.
    pub fn rows_hint(&self) -> usize {
        match &self.body {
            Body::Records(r) => r.len(),
            Body::Text { text, start, .. } => {
                let rest = &text.as_bytes()[*start..];
                let first = rest
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(rest.len(), |i| i + 1);
                rest.len() / first.max(1) + 1
            }
        }
    }

    /// Reads the data rows one by one and hands each to `visit`, with one buffer reused for
    /// every row. Blank rows are skipped and empty trailing cells beyond the header trimmed.
    /// A row with the wrong number of fields, an empty wave or broken quoting is not handed
    /// out; all of them are reported together after the last row. Returns the number of
    /// rows handed out.
    pub fn each_row(&self, mut visit: impl FnMut(&Row)) -> Result<usize, InputError> {
        let mut pass = Pass {
            table: self,
            row: Row {
                line: 0,
                fields: StringRecord::new(),
                wave: match &self.wave {
                    Wave::Label(l) => Some(l.clone()),
                    _ => None,
                },
            },
            problems: Vec::new(),
            rows: 0,
            waves: Vec::new(),
        };
        let mut raw = StringRecord::new();
        match &self.body {
            Body::Text {
                text,
                start,
                line,
                delimiter,
            } => {
                let rest = &text.as_bytes()[*start..];
                let mut reader = text_reader(rest, *delimiter);
                loop {
                    match reader.read_record(&mut raw) {
                        Ok(true) => {
                            let (at, _) = begins(rest, &raw);
                            pass.take(at + line - 1, &mut raw, &mut visit);
                        }
                        Ok(false) => break,
                        Err(e) => {
                            let at = e.position().map_or(0, |p| p.line()) + line - 1;
                            pass.problems.push(Problem::at(
                                at,
                                None,
                                format!("cannot parse the row: {e}"),
                            ));
                            break;
                        }
                    }
                }
            }
            Body::Records(records) => {
                for (at, record) in records {
                    raw.clone_from(record);
                    pass.take(*at, &mut raw, &mut visit);
                }
            }
        }
        let Pass {
            problems,
            rows,
            waves,
            ..
        } = pass;
        *self.waves.borrow_mut() = waves;
        refuse(&self.file, problems)?;
        Ok(rows)
    }

    /// Every data row, read at once: for small files and tests.
    pub fn rows(&self) -> Result<Vec<Row>, InputError> {
        let mut rows = Vec::new();
        self.each_row(|r| rows.push(r.clone()))?;
        Ok(rows)
    }
}

/// One reading of the rows of a table.
struct Pass<'a> {
    table: &'a Table,
    /// The row handed out, reused.
    row: Row,
    problems: Vec<Problem>,
    rows: usize,
    waves: Vec<String>,
}

impl Pass<'_> {
    fn take(&mut self, line: u64, raw: &mut StringRecord, visit: &mut impl FnMut(&Row)) {
        if is_blank(raw) {
            return;
        }
        let width = self.table.width;
        // Spreadsheets and some exports pad rows with empty trailing cells.
        while raw.len() > width && raw.get(raw.len() - 1).is_some_and(|f| f.trim().is_empty()) {
            raw.truncate(raw.len() - 1);
        }
        if raw.len() != width {
            self.problems.push(Problem::at(
                line,
                None,
                format!("the row has {} fields, the header has {width}", raw.len()),
            ));
            return;
        }
        match &self.table.wave {
            &Wave::Column { index: c, ref name } => {
                let wave = raw[c].trim();
                if wave.is_empty() {
                    self.problems
                        .push(Problem::at(line, Some(name), "the wave is empty"));
                    return;
                }
                if !self.waves.iter().any(|w| w == wave) {
                    self.waves.push(wave.to_string());
                }
                let slot = self.row.wave.get_or_insert_with(String::new);
                if slot != wave {
                    slot.clear();
                    slot.push_str(wave);
                }
                self.row.fields.clear();
                for (i, f) in raw.iter().enumerate() {
                    if i != c {
                        self.row.fields.push_field(f);
                    }
                }
            }
            _ => std::mem::swap(&mut self.row.fields, raw),
        }
        self.row.line = line;
        self.rows += 1;
        visit(&self.row);
    }
}

fn text_reader(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
}

/// The line and byte where `record`, read from `text`, begins. The csv reader's position is
/// where it began reading, before any empty lines it skipped.
fn begins(text: &[u8], record: &StringRecord) -> (u64, usize) {
    let (mut line, mut byte) = record
        .position()
        .map_or((1, 0), |p| (p.line(), p.byte() as usize));
    while let Some(&b) = text.get(byte) {
        match b {
            b'\n' => line += 1,
            b'\r' => {}
            _ => break,
        }
        byte += 1;
    }
    (line, byte)
}

fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(|f| f.trim().is_empty())
}

/// Reads `path`: XLSX when it is a ZIP file, text otherwise.
pub fn read_table(path: &Path, opts: ReadOptions) -> Result<Table, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Unreadable {
        file: path.to_path_buf(),
        source,
    })?;
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(path, bytes, opts)
    } else {
        text_table(path, bytes, opts)
    }
}

/// Parses the bytes of a text export.
pub fn parse_table(path: &Path, bytes: &[u8], opts: ReadOptions) -> Result<Table, InputError> {
    text_table(path, bytes.to_vec(), opts)
}

/// Decodes a text export and reads its header rows; the data rows are read by
/// [`Table::each_row`].
fn text_table(path: &Path, bytes: Vec<u8>, opts: ReadOptions) -> Result<Table, InputError> {
    let (text, encoding) = decode_owned(path, bytes)?;
    if text.trim().is_empty() {
        return Err(InputError::Empty {
            file: path.to_path_buf(),
        });
    }
    let delimiter = sniff_delimiter(&text);
    // Enough records to find the header rows and the first data row.
    let wanted = opts.header_rows.map_or(5, |h| h.saturating_add(1));
    let mut head: Vec<(u64, StringRecord)> = Vec::new();
    let mut starts: Vec<usize> = Vec::new();
    let mut reader = text_reader(text.as_bytes(), delimiter);
    let mut record = StringRecord::new();
    while head.len() < wanted {
        match reader.read_record(&mut record) {
            Ok(true) if is_blank(&record) => {}
            Ok(true) => {
                let (line, byte) = begins(text.as_bytes(), &record);
                head.push((line, record.clone()));
                starts.push(byte);
            }
            Ok(false) => break,
            Err(e) => {
                return Err(InputError::Problems {
                    file: path.to_path_buf(),
                    problems: vec![Problem::at(
                        e.position().map_or(0, |p| p.line()),
                        None,
                        format!("cannot parse the row: {e}"),
                    )],
                })
            }
        }
    }
    let header = header(path, &head, opts)?;
    let (line, start) = (head[header.rows].0, starts[header.rows]);
    Ok(header.table(
        path,
        Body::Text {
            text,
            start,
            line,
            delimiter,
        },
        encoding.to_string(),
        Some(delimiter as char),
    ))
}

/// Reads the data sheet of an XLSX workbook: "Dataset" (SurveyXact) or "Data" when there
/// is one, else the first sheet.
fn read_xlsx(path: &Path, bytes: Vec<u8>, opts: ReadOptions) -> Result<Table, InputError> {
    let bad = |message: String| InputError::Problems {
        file: path.to_path_buf(),
        problems: vec![Problem::at(1, None, message)],
    };
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(format!("cannot read the workbook: {e}")))?;
    let names = book.sheet_names();
    let sheet = names
        .iter()
        .find(|n| ["dataset", "data", "datasæt"].contains(&n.to_lowercase().as_str()))
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| bad("the workbook has no sheets".into()))?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| bad(format!("cannot read sheet \"{sheet}\": {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let mut records: Vec<(u64, StringRecord)> = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let record: StringRecord = cells.iter().map(|c| c.to_string()).collect();
            (first_row + i as u64 + 1, record)
        })
        .filter(|(_, r)| !is_blank(r))
        .collect();
    let header = header(path, &records, opts)?;
    let data = records.split_off(header.rows);
    Ok(header.table(
        path,
        Body::Records(data),
        format!("xlsx, sheet \"{sheet}\""),
        None,
    ))
}

/// The header rows of an export.
struct Header {
    rows: usize,
    names: Vec<String>,
    descriptions: Option<Vec<String>>,
}

impl Header {
    fn table(self, path: &Path, body: Body, encoding: String, delimiter: Option<char>) -> Table {
        Table {
            file: path.to_path_buf(),
            width: self.names.len(),
            headers: self.names,
            descriptions: self.descriptions,
            encoding,
            delimiter,
            header_rows: self.rows,
            body,
            wave: Wave::None,
            waves: RefCell::new(Vec::new()),
        }
    }
}

/// Finds the header rows among the first non-blank records (`head`, with their lines),
/// checks the column names, and makes sure a data row follows.
fn header(
    path: &Path,
    head: &[(u64, StringRecord)],
    opts: ReadOptions,
) -> Result<Header, InputError> {
    if head.is_empty() {
        return Err(InputError::Empty {
            file: path.to_path_buf(),
        });
    }
    let rows = opts.header_rows.unwrap_or_else(|| detect_header_rows(head));
    if rows == 0 {
        return Err(InputError::Usage("--header-rows must be at least 1".into()));
    }
    if head.len() <= rows {
        return Err(InputError::HeaderOnly {
            file: path.to_path_buf(),
        });
    }
    let (line, first) = &head[0];
    let names: Vec<String> = first.iter().map(|h| h.trim().to_string()).collect();
    let descriptions = (rows > 1).then(|| head[1].1.iter().map(str::to_string).collect());
    let mut problems = Vec::new();
    for (i, h) in names.iter().enumerate() {
        if h.is_empty() {
            problems.push(Problem::at(
                *line,
                None,
                format!("column {} has no name", i + 1),
            ));
        } else if let Some(j) = names[..i]
            .iter()
            .position(|o| o.to_lowercase() == h.to_lowercase())
        {
            problems.push(Problem::at(
                *line,
                Some(h),
                format!(
                    "the column name repeats column {} (names must be unique)",
                    j + 1
                ),
            ));
        }
    }
    refuse(path, problems)?;
    Ok(Header {
        rows,
        names,
        descriptions,
    })
}

/// Qualtrics writes three header rows: names, question texts, and ImportId JSON.
fn detect_header_rows(head: &[(u64, StringRecord)]) -> usize {
    head.iter()
        .take(4)
        .position(|(_, r)| {
            r.iter()
                .any(|f| f.trim_start().starts_with("{\"ImportId\""))
        })
        .map_or(1, |i| i + 1)
}

/// Picks the delimiter that occurs most often in the header line, outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in text.as_bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                if let Some(c) = counts.iter_mut().find(|(d, _)| *d == b) {
                    c.1 += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}
#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Table, InputError> {
        parse_table(Path::new("t.csv"), text.as_bytes(), ReadOptions::default())
    }

    #[test]
    fn rows_keep_their_physical_line_across_quoted_newlines() {
        let t = parse("a,b\n1,\"x\ny\"\n2,z\n").unwrap();
        assert_eq!(t.rows().unwrap().len(), 2);
        assert_eq!(t.rows().unwrap()[0].line, 2);
        assert_eq!(t.rows().unwrap()[1].line, 4);
        assert_eq!(&t.rows().unwrap()[0].fields[1], "x\ny");
    }

    #[test]
    fn semicolon_and_tab_delimiters_are_sniffed_from_the_header() {
        assert_eq!(parse("a;b\n1;2\n").unwrap().headers, ["a", "b"]);
        assert_eq!(parse("a\tb\n1\t2\n").unwrap().delimiter, Some('\t'));
        assert_eq!(parse("\"a;x\",b\n1,2\n").unwrap().headers, ["a;x", "b"]);
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = parse("\u{feff}respondent,role\r\nr1,Læge\r\n").unwrap();
        assert_eq!(t.headers[0], "respondent");
        assert_eq!(&t.rows().unwrap()[0].fields[1], "Læge");
    }

    #[test]
    fn every_row_with_a_wrong_field_count_is_reported_with_its_line() {
        let t = parse("a,b\n1\n2,3\n4,5,6\n").unwrap();
        let mut good = Vec::new();
        let err = t.each_row(|r| good.push(r.line)).unwrap_err();
        // The good row is read; the bad ones are reported together after the last row.
        assert_eq!(good, [3]);
        let text = err.to_string();
        assert!(text.contains("t.csv:2: the row has 1 fields, the header has 2"));
        assert!(text.contains("t.csv:4: the row has 3 fields, the header has 2"));
    }

    #[test]
    fn data_rows_keep_their_line_after_blank_lines_and_quoted_newlines() {
        let t = parse("a,b\n\n1,\"x\ny\"\n\n2,z\n").unwrap();
        let lines: Vec<u64> = t.rows().unwrap().iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 6]);
        // Reading twice reads the same rows.
        assert_eq!(t.rows().unwrap().len(), 2);
        let t = parse("\r\na,b\r\n\r\n1,\"x\r\ny\"\r\n\r\n\r\n2,z\r\n").unwrap();
        let lines: Vec<u64> = t.rows().unwrap().iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 8]);
        let err = parse("\n\na,a\n1,2\n").unwrap_err().to_string();
        assert!(err.starts_with("t.csv:3: column \"a\""), "{err}");
    }

    #[test]
    fn a_wave_column_is_taken_out_and_its_waves_kept_in_order() {
        let mut t = parse("id,wave,x\nr1,2024,1\nr2, 2023 ,2\nr3,2024,3\n").unwrap();
        t.wave_column(1);
        assert_eq!(t.headers, ["id", "x"]);
        let rows: Vec<(String, String)> = t
            .rows()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r.wave.clone().unwrap(),
                    r.fields.iter().collect::<Vec<_>>().join("|"),
                )
            })
            .collect();
        let want = [("2024", "r1|1"), ("2023", "r2|2"), ("2024", "r3|3")];
        assert_eq!(rows, want.map(|(w, f)| (w.to_string(), f.to_string())));
        assert_eq!(t.waves(), ["2024", "2023"]);

        let mut t = parse("id,wave\nr1,\nr2,2024\n").unwrap();
        t.wave_column(1);
        let err = t.rows().unwrap_err().to_string();
        assert!(
            err.contains("t.csv:2: column \"wave\": the wave is empty"),
            "{err}"
        );

        let mut t = parse("id,x\nr1,1\n").unwrap();
        t.label_wave("2025");
        assert_eq!(t.rows().unwrap()[0].wave.as_deref(), Some("2025"));
        assert_eq!(t.waves(), ["2025"]);
    }

    #[test]
    fn blank_lines_and_trailing_empty_cells_are_not_rows() {
        let t = parse("a,b\n\n1,2,,\n,\n3,4\n").unwrap();
        assert_eq!(t.rows().unwrap().len(), 2);
        assert_eq!(t.rows().unwrap()[1].line, 5);
    }

    #[test]
    fn qualtrics_header_rows_are_detected_and_the_question_text_kept() {
        let t = parse(
            "respondent,Q1\nRespondent ID,How timely?\n\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\"\nr1,4\n",
        )
        .unwrap();
        assert_eq!(t.header_rows, 3);
        assert_eq!(t.rows().unwrap().len(), 1);
        assert_eq!(t.rows().unwrap()[0].line, 4);
        assert_eq!(t.descriptions.unwrap()[1], "How timely?");
        let t = parse_table(
            Path::new("t.csv"),
            b"a,b\nquestion a,question b\n1,2\n",
            ReadOptions {
                header_rows: Some(2),
            },
        )
        .unwrap();
        assert_eq!((t.rows().unwrap().len(), t.rows().unwrap()[0].line), (1, 3));
    }

    #[test]
    fn empty_header_only_and_unnamed_columns_are_errors() {
        assert!(matches!(parse(""), Err(InputError::Empty { .. })));
        assert!(matches!(parse("\n \n"), Err(InputError::Empty { .. })));
        assert!(matches!(parse("a,b\n"), Err(InputError::HeaderOnly { .. })));
        let err = parse("a,,a\n1,2,3\n").unwrap_err().to_string();
        assert!(err.contains("t.csv:1: column 2 has no name"), "{err}");
        assert!(
            err.contains("t.csv:1: column \"a\": the column name repeats column 1"),
            "{err}"
        );
    }

    #[test]
    fn a_broken_workbook_is_an_input_error() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("s.xlsx");
        std::fs::write(&path, b"PK\x03\x04not really a zip").unwrap();
        let err = read_table(&path, ReadOptions::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("s.xlsx:1: cannot read the workbook"), "{err}");
    }
}
