//! Reads an export (CSV/TSV text in any common encoding, or XLSX) into a table: its header,
//! read at once, and its data rows, read one at a time by [`Table::each_row`] so that a
//! national export is never held as a table of strings. A UTF-8 file is not even held as
//! text: its rows are read from the disk a piece at a time. Every row keeps its physical
//! line so every problem can name it.

use std::cell::RefCell;
use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
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
    /// About how many data rows there are.
    hint: usize,
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
    /// A UTF-8 file, read again from the disk at each pass: from byte `start` (after any
    /// byte-order mark), which is on line `line`.
    File {
        start: u64,
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
        self.hint
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
                let rest = Cursor::new(&text.as_bytes()[*start..]);
                text_rows(rest, *delimiter, *line, &mut raw, &mut pass, &mut visit)
                    .map_err(|source| self.unreadable(source))?;
            }
            Body::File {
                start,
                line,
                delimiter,
            } => {
                let mut file = File::open(&self.file).map_err(|source| self.unreadable(source))?;
                file.seek(SeekFrom::Start(*start))
                    .map_err(|source| self.unreadable(source))?;
                text_rows(
                    Window::new(file),
                    *delimiter,
                    *line,
                    &mut raw,
                    &mut pass,
                    &mut visit,
                )
                .map_err(|source| self.unreadable(source))?;
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

    fn unreadable(&self, source: std::io::Error) -> InputError {
        InputError::Unreadable {
            file: self.file.clone(),
            source,
        }
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

/// Reads the data rows of a text, the first on line `line`, into `pass`. A row that cannot
/// be parsed ends the reading with a problem; only a failure to read the file is an error.
fn text_rows<S: Read + Seen>(
    source: S,
    delimiter: u8,
    line: u64,
    raw: &mut StringRecord,
    pass: &mut Pass<'_>,
    visit: &mut impl FnMut(&Row),
) -> std::io::Result<()> {
    let mut reader = text_reader(source, delimiter);
    loop {
        match reader.read_record(raw) {
            Ok(true) => {
                let (at, _) = begins(reader.get_ref(), raw);
                pass.take(at + line - 1, raw, visit);
                let next = reader.position().byte();
                reader.get_mut().forget_before(next);
            }
            Ok(false) => return Ok(()),
            Err(e) => {
                let at = e.position().map_or(0, |p| p.line()) + line - 1;
                let problem = format!("cannot parse the row: {e}");
                if let csv::ErrorKind::Io(source) = e.into_kind() {
                    return Err(source);
                }
                pass.problems.push(Problem::at(at, None, problem));
                return Ok(());
            }
        }
    }
}

/// Bytes the csv reader reads at a time; small in tests, so records cross its reads.
const READ_BUFFER: usize = if cfg!(test) { 5 } else { 1 << 16 };

fn text_reader<R: Read>(source: R, delimiter: u8) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(READ_BUFFER)
        .from_reader(source)
}

/// A source of text that can show again what it has handed out, from the start of the
/// record being read: for the line a record begins on.
trait Seen {
    /// The bytes from `byte` (counted from the start of the source) to the last read.
    fn seen_from(&self, byte: u64) -> &[u8];
    /// Nothing before `byte` will be asked for again.
    fn forget_before(&mut self, byte: u64);
}

/// A text in memory, read from its start.
impl Seen for Cursor<&[u8]> {
    fn seen_from(&self, byte: u64) -> &[u8] {
        let at = usize::try_from(self.position()).unwrap_or(usize::MAX);
        let byte = usize::try_from(byte).unwrap_or(usize::MAX);
        self.get_ref().get(byte..at).unwrap_or_default()
    }

    fn forget_before(&mut self, _: u64) {}
}

/// Bytes kept back before they are let go: what a record's start needs is a few bytes.
const KEPT: usize = if cfg!(test) { 16 } else { 1 << 20 };

/// A file read a piece at a time, keeping what was handed out since the record being read
/// began (and up to [`KEPT`] bytes before it, let go in one move).
struct Window<R> {
    inner: R,
    kept: Vec<u8>,
    /// The byte of the source at `kept[0]`.
    base: u64,
    /// The first byte that may still be asked for.
    wanted: u64,
}

impl<R> Window<R> {
    fn new(inner: R) -> Self {
        Window {
            inner,
            kept: Vec::new(),
            base: 0,
            wanted: 0,
        }
    }
}

impl<R: Read> Read for Window<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let unwanted = usize::try_from(self.wanted.saturating_sub(self.base))
            .unwrap_or(usize::MAX)
            .min(self.kept.len());
        if unwanted > KEPT {
            self.kept.drain(..unwanted);
            self.base += unwanted as u64;
        }
        let n = self.inner.read(buf)?;
        self.kept.extend_from_slice(&buf[..n]);
        Ok(n)
    }
}

impl<R> Seen for Window<R> {
    fn seen_from(&self, byte: u64) -> &[u8] {
        // Never before `wanted`, so never before `base`.
        let at = byte.saturating_sub(self.base);
        let at = usize::try_from(at).unwrap_or(usize::MAX);
        self.kept.get(at..).unwrap_or_default()
    }

    fn forget_before(&mut self, byte: u64) {
        self.wanted = self.wanted.max(byte);
    }
}

/// The line and byte where `record`, read from `source`, begins. The csv reader's position
/// is where it began reading, before any empty lines it skipped.
fn begins(source: &impl Seen, record: &StringRecord) -> (u64, u64) {
    let (mut line, mut byte) = record.position().map_or((1, 0), |p| (p.line(), p.byte()));
    for &b in source.seen_from(byte) {
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

/// Reads `path`: XLSX when it is a ZIP file, text otherwise. A UTF-8 text is read from the
/// disk a piece at a time; any other file is read whole.
pub fn read_table(path: &Path, opts: ReadOptions) -> Result<Table, InputError> {
    let unreadable = |source| InputError::Unreadable {
        file: path.to_path_buf(),
        source,
    };
    let mut file = File::open(path).map_err(unreadable)?;
    // Only a file on the disk can be read again; a pipe (`<(gunzip -c staff.csv.gz)`) is
    // read once, whole.
    let on_disk = file.metadata().map_err(unreadable)?.is_file();
    if on_disk {
        if let Some(bom) = plain_utf8(&mut file).map_err(unreadable)? {
            return streamed_table(path, file, bom, opts);
        }
        file.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(path, bytes, opts)
    } else {
        text_table(path, bytes, opts)
    }
}

/// Bytes read at a time when a file is checked.
const BLOCK: usize = if cfg!(test) { 7 } else { 1 << 20 };

/// The length of its byte-order mark when `file` is UTF-8 text with no NUL byte (a text
/// [`decode`](crate::input::decode::decode) would take as it is); `None` for a workbook,
/// a UTF-16 file, a binary file or any other encoding, which are read whole. Reads the
/// whole file, a block at a time.
fn plain_utf8(file: &mut File) -> std::io::Result<Option<u64>> {
    // On the heap: outside tests a block is a megabyte.
    #[allow(clippy::useless_vec)]
    let mut block = vec![0; BLOCK + 3];
    // Bytes of a character cut at the end of the block before, moved to the front.
    let mut cut = 0;
    let mut first = true;
    loop {
        let mut n = cut;
        // Fill the block, so the byte-order mark and the workbook's signature are whole.
        while n < block.len() {
            match file.read(&mut block[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        let bytes = &block[..n];
        if first {
            first = false;
            if bytes.starts_with(b"PK\x03\x04")
                || bytes.starts_with(&[0xFF, 0xFE])
                || bytes.starts_with(&[0xFE, 0xFF])
            {
                return Ok(None);
            }
        }
        if bytes.contains(&0) {
            return Ok(None);
        }
        let whole = n < block.len();
        match std::str::from_utf8(bytes) {
            Ok(_) => cut = 0,
            // A character cut by the end of the block, to be read whole with the next.
            Err(e) if e.error_len().is_none() && !whole => {
                let from = e.valid_up_to();
                cut = n - from;
                block.copy_within(from..n, 0);
            }
            Err(_) => return Ok(None),
        }
        if whole {
            break;
        }
    }
    file.seek(SeekFrom::Start(0))?;
    let mut mark = [0; 3];
    let n = file.read(&mut mark)?;
    Ok(Some(if mark[..n] == [0xEF, 0xBB, 0xBF] {
        3
    } else {
        0
    }))
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
    let delimiter = sniff_delimiter(text.as_bytes());
    let head = head(path, Cursor::new(text.as_bytes()), delimiter, opts)?;
    let hint = head.hint(text.len() as u64);
    let (line, start) = (head.line, head.start as usize);
    Ok(head.header.table(
        path,
        Body::Text {
            text,
            start,
            line,
            delimiter,
        },
        encoding.to_string(),
        Some(delimiter as char),
        hint,
    ))
}

/// Reads the header rows of a UTF-8 file whose text starts after a byte-order mark of
/// `bom` bytes; its data rows are read from the disk by [`Table::each_row`].
fn streamed_table(
    path: &Path,
    mut file: File,
    bom: u64,
    opts: ReadOptions,
) -> Result<Table, InputError> {
    let unreadable = |source| InputError::Unreadable {
        file: path.to_path_buf(),
        source,
    };
    let length = file
        .metadata()
        .map_err(unreadable)?
        .len()
        .saturating_sub(bom);
    // The header line, read until it ends, for the delimiter.
    let mut line = Vec::new();
    file.seek(SeekFrom::Start(bom)).map_err(unreadable)?;
    loop {
        let before = line.len();
        (&mut file)
            .take(1 << 16)
            .read_to_end(&mut line)
            .map_err(unreadable)?;
        if line.len() == before || header_line(&line).is_some() {
            break;
        }
    }
    let delimiter = sniff_delimiter(&line);
    file.seek(SeekFrom::Start(bom)).map_err(unreadable)?;
    let head = head(path, Window::new(file), delimiter, opts)?;
    let hint = head.hint(length);
    let (line, start) = (head.line, bom + head.start);
    Ok(head.header.table(
        path,
        Body::File {
            start,
            line,
            delimiter,
        },
        "UTF-8".to_string(),
        Some(delimiter as char),
        hint,
    ))
}

/// The header rows of a text, and where its data begins.
struct Head {
    header: Header,
    /// The line and byte (from the start of the text) of the first data row.
    line: u64,
    start: u64,
    /// The bytes of the first data row's line, its line end included.
    first: u64,
}

impl Head {
    /// About how many data rows a text of `length` bytes holds.
    fn hint(&self, length: u64) -> usize {
        let rows = length.saturating_sub(self.start) / self.first.max(1) + 1;
        usize::try_from(rows).unwrap_or(usize::MAX)
    }
}

/// Reads the header rows of a text and finds its first data row.
fn head<S: Read + Seen>(
    path: &Path,
    source: S,
    delimiter: u8,
    opts: ReadOptions,
) -> Result<Head, InputError> {
    // Enough records to find the header rows and the first data row.
    let wanted = opts.header_rows.map_or(5, |h| h.saturating_add(1));
    let mut head: Vec<(u64, StringRecord)> = Vec::new();
    let mut starts: Vec<u64> = Vec::new();
    let mut firsts: Vec<u64> = Vec::new();
    let mut reader = text_reader(source, delimiter);
    let mut record = StringRecord::new();
    while head.len() < wanted {
        match reader.read_record(&mut record) {
            Ok(true) if is_blank(&record) => {}
            Ok(true) => {
                let (line, byte) = begins(reader.get_ref(), &record);
                let rest = reader.get_ref().seen_from(byte);
                let first = rest
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(rest.len(), |i| i + 1);
                head.push((line, record.clone()));
                starts.push(byte);
                firsts.push(first as u64);
            }
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let message = format!("cannot parse the row: {e}");
                let file = path.to_path_buf();
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(source) => InputError::Unreadable { file, source },
                    _ => InputError::Problems {
                        file,
                        problems: vec![Problem::at(line, None, message)],
                    },
                });
            }
        }
    }
    let header = header(path, &head, opts)?;
    let r = header.rows;
    Ok(Head {
        line: head[r].0,
        start: starts[r],
        first: firsts[r],
        header,
    })
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
    let hint = data.len();
    Ok(header.table(
        path,
        Body::Records(data),
        format!("xlsx, sheet \"{sheet}\""),
        None,
        hint,
    ))
}

/// The header rows of an export.
struct Header {
    rows: usize,
    names: Vec<String>,
    descriptions: Option<Vec<String>>,
}

impl Header {
    fn table(
        self,
        path: &Path,
        body: Body,
        encoding: String,
        delimiter: Option<char>,
        hint: usize,
    ) -> Table {
        Table {
            file: path.to_path_buf(),
            width: self.names.len(),
            hint,
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

/// The header line of a text: the bytes before its first line end outside quotes; `None`
/// when the text ends first.
fn header_line(text: &[u8]) -> Option<&[u8]> {
    let mut quoted = false;
    for (i, &b) in text.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => return Some(&text[..i]),
            _ => {}
        }
    }
    None
}

/// Picks the delimiter that occurs most often in the header line, outside quotes.
fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in header_line(text).unwrap_or(text) {
        match b {
            b'"' => quoted = !quoted,
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

    /// What a reading of `table` gives: how it was read, its rows (line, fields, wave) and
    /// its problems.
    fn read_out(table: Result<Table, InputError>) -> String {
        let mut t = match table {
            Ok(t) => t,
            Err(e) => return format!("error: {e}"),
        };
        if t.headers.first().is_some_and(|h| h == "wave") {
            t.wave_column(0);
        }
        let mut out = format!(
            "{:?} {:?} {} {:?} {} hint {}\n",
            t.headers,
            t.descriptions,
            t.encoding,
            t.delimiter,
            t.header_rows,
            t.rows_hint()
        );
        let read = t.each_row(|r| {
            let fields: Vec<&str> = r.fields.iter().collect();
            out.push_str(&format!("{} {fields:?} {:?}\n", r.line, r.wave));
        });
        match read {
            Ok(n) => out.push_str(&format!("{n} rows, waves {:?}", t.waves())),
            Err(e) => out.push_str(&format!("error: {e}")),
        }
        out
    }

    /// A long text with every kind of line a messy export has: blank lines, CRLF and LF,
    /// quoted line ends and delimiters, doubled quotes, letters of more than one byte,
    /// short rows, and a wave column.
    fn messy(rows: usize) -> String {
        let mut text = String::from("wave;id;\"navn; fuldt\";x\r\n");
        for i in 0..rows {
            let end = if i % 3 == 0 { "\r\n" } else { "\n" };
            match i % 11 {
                0 => text.push_str(&format!("2024;r{i};\"Åse\r\nØstergård\";{i}{end}")),
                1 => text.push_str(&format!(
                    "\n\r\n2025;r{i};\"sagde \"\"hej\"\"; ok\";{i}{end}"
                )),
                2 => text.push_str(&format!("2024;r{i};kort{end}")),
                3 => text.push_str(&format!("{end}{end}")),
                _ => text.push_str(&format!(
                    "2025;r{i};Søren Ærø{};{i}{end}",
                    "x".repeat(i % 7)
                )),
            }
        }
        text
    }

    #[test]
    fn a_file_read_from_the_disk_reads_as_the_same_text_in_memory() {
        // Reading blocks of 7 bytes and records 5 bytes at a time, keeping 16 bytes back,
        // cuts characters, records and runs of blank lines at every place.
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("s.csv");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a\tb\n1\t2\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let texts: Vec<(Vec<u8>, bool)> = [
            ("a,b\n1,\"x\ny\"\n2,z\n", true),
            ("a,b\n\n1,\"x\ny\"\n\n2,z\n", true),
            ("\r\na,b\r\n\r\n1,\"x\r\ny\"\r\n\r\n\r\n2,z", true),
            ("\u{feff}respondent;role\r\nr1;Læge\r\n", true),
            ("a,b\n1\n2,3\n4,5,6\n", true),
            ("a\tb\n\"1\t2\"\tx\"y\n", true),
            ("respondent,Q1\nRespondent ID,How timely?\n\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\"\nr1,4\n", true),
            ("a,,a\n1,2,3\n", true),
            ("a,b\n", true),
            ("", true),
            ("\n \n", true),
            ("wave,id\n2024,r1\n,r2\n2025,r3\n", true),
        ]
        .into_iter()
        .map(|(t, streamed)| (t.as_bytes().to_vec(), streamed))
        .chain([
            (messy(400).into_bytes(), true),
            // Windows-1252, a character cut at the end, a NUL byte and UTF-16: read whole.
            (b"navn;x\nSor\xf8;1\n".to_vec(), false),
            (b"navn;x\nS\xc3\xb8;1\n\xc3".to_vec(), false),
            (b"a,b\n\x00\x01\x02".to_vec(), false),
            (utf16, false),
        ])
        .collect();
        for (bytes, streamed) in texts {
            std::fs::write(&path, &bytes).unwrap();
            let from_disk = read_table(&path, ReadOptions::default());
            if let Ok(t) = &from_disk {
                assert_eq!(matches!(t.body, Body::File { .. }), streamed, "{bytes:?}");
            }
            let in_memory = parse_table(&path, &bytes, ReadOptions::default());
            assert_eq!(read_out(from_disk), read_out(in_memory), "{bytes:?}");
        }
        // The messy text has all its rows, and its problems, at their lines.
        std::fs::write(&path, messy(400)).unwrap();
        let out = read_out(read_table(&path, ReadOptions::default()));
        assert!(
            out.contains("the row has 3 fields, the header has 4"),
            "{out}"
        );
        assert!(out.contains("\"Åse\\r\\nØstergård\""), "{out}");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_read_once_and_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("staff.csv");
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // No mkfifo here: nothing to test.
        }
        let text = messy(50);
        let writer = {
            let (path, text) = (path.clone(), text.clone());
            std::thread::spawn(move || std::fs::write(path, text).unwrap())
        };
        let from_pipe = read_out(read_table(&path, ReadOptions::default()));
        writer.join().unwrap();
        let in_memory = read_out(parse_table(&path, text.as_bytes(), ReadOptions::default()));
        assert_eq!(from_pipe, in_memory);
    }

    #[test]
    fn a_file_gone_before_its_rows_are_read_cannot_be_read() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("s.csv");
        std::fs::write(&path, "a,b\n1,2\n").unwrap();
        let t = read_table(&path, ReadOptions::default()).unwrap();
        std::fs::remove_file(&path).unwrap();
        let err = t.rows().unwrap_err();
        assert!(matches!(err, InputError::Unreadable { .. }), "{err}");
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
