//! Reads an export (CSV/TSV text in any common encoding, or XLSX) into a raw table of
//! strings, keeping each row's physical line so every problem can name it.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Reader, Xlsx};

use crate::error::{InputError, Problem};
use crate::input::decode::decode;

/// A raw text table: trimmed header names and rows of untouched fields.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: PathBuf,
    pub headers: Vec<String>,
    /// The question texts of a second header row (Qualtrics), when there is one.
    pub descriptions: Option<Vec<String>>,
    pub rows: Vec<Row>,
    /// How the file was read: "UTF-8", "windows-1252", "xlsx", ...
    pub encoding: String,
    /// The delimiter of a text file; `None` for XLSX.
    pub delimiter: Option<char>,
    /// Rows above the data, the column names included.
    pub header_rows: usize,
}

/// One data row and the physical line (1-based, header included) where it starts; for
/// XLSX the spreadsheet row number.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    /// The cells, in one buffer (a row of 60 cells is one allocation, not 60).
    pub fields: csv::StringRecord,
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
        parse_table(path, &bytes, opts)
    }
}

/// Parses the bytes of a text export.
pub fn parse_table(path: &Path, bytes: &[u8], opts: ReadOptions) -> Result<Table, InputError> {
    let decoded = decode(path, bytes)?;
    if decoded.text.trim().is_empty() {
        return Err(InputError::Empty {
            file: path.to_path_buf(),
        });
    }
    let delimiter = sniff_delimiter(&decoded.text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            InputError::Problems {
                file: path.to_path_buf(),
                problems: vec![Problem::at(
                    line,
                    None,
                    format!("cannot parse the row: {e}"),
                )],
            }
        })?;
        let line = record.position().map_or(0, |p| p.line());
        records.push(Row {
            line,
            fields: record,
            wave: None,
        });
    }
    let mut table = assemble(path, records, opts)?;
    table.encoding = decoded.encoding.to_string();
    table.delimiter = Some(delimiter as char);
    Ok(table)
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
    let records = range
        .rows()
        .enumerate()
        .map(|(i, cells)| Row {
            line: first_row + i as u64 + 1,
            fields: cells
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .into(),
            wave: None,
        })
        .collect();
    let mut table = assemble(path, records, opts)?;
    table.encoding = format!("xlsx, sheet \"{sheet}\"");
    Ok(table)
}

/// Splits raw records into header rows and data rows, and checks the field counts.
fn assemble(path: &Path, records: Vec<Row>, opts: ReadOptions) -> Result<Table, InputError> {
    let mut records: Vec<Row> = records
        .into_iter()
        .filter(|r| r.fields.iter().any(|f| !f.trim().is_empty()))
        .collect();
    if records.is_empty() {
        return Err(InputError::Empty {
            file: path.to_path_buf(),
        });
    }
    let header_rows = opts
        .header_rows
        .unwrap_or_else(|| detect_header_rows(&records));
    if header_rows == 0 {
        return Err(InputError::Usage("--header-rows must be at least 1".into()));
    }
    if records.len() <= header_rows {
        return Err(InputError::HeaderOnly {
            file: path.to_path_buf(),
        });
    }
    let rows = records.split_off(header_rows);
    let headers: Vec<String> = records[0]
        .fields
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let descriptions = records
        .get(1)
        .map(|r| r.fields.iter().map(str::to_string).collect());

    let mut problems = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            problems.push(Problem::at(
                records[0].line,
                None,
                format!("column {} has no name", i + 1),
            ));
        } else if let Some(j) = headers[..i]
            .iter()
            .position(|o| o.to_lowercase() == h.to_lowercase())
        {
            problems.push(Problem::at(
                records[0].line,
                Some(h),
                format!(
                    "the column name repeats column {} (names must be unique)",
                    j + 1
                ),
            ));
        }
    }
    let mut data = Vec::with_capacity(rows.len());
    for mut row in rows {
        // Spreadsheets and some exports pad rows with empty trailing cells.
        while row.fields.len() > headers.len()
            && row
                .fields
                .get(row.fields.len() - 1)
                .is_some_and(|f| f.trim().is_empty())
        {
            row.fields.truncate(row.fields.len() - 1);
        }
        if row.fields.len() != headers.len() {
            problems.push(Problem::at(
                row.line,
                None,
                format!(
                    "the row has {} fields, the header has {}",
                    row.fields.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        data.push(row);
    }
    if !problems.is_empty() {
        return Err(InputError::Problems {
            file: path.to_path_buf(),
            problems,
        });
    }
    Ok(Table {
        file: path.to_path_buf(),
        headers,
        descriptions,
        rows: data,
        encoding: String::new(),
        delimiter: None,
        header_rows,
    })
}

/// Qualtrics writes three header rows: names, question texts, and ImportId JSON.
fn detect_header_rows(records: &[Row]) -> usize {
    records
        .iter()
        .take(4)
        .position(|r| {
            r.fields
                .iter()
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
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(&t.rows[0].fields[1], "x\ny");
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
        assert_eq!(&t.rows[0].fields[1], "Læge");
    }

    #[test]
    fn every_row_with_a_wrong_field_count_is_reported_with_its_line() {
        let err = parse("a,b\n1\n2,3\n4,5,6\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("t.csv:2: the row has 1 fields, the header has 2"));
        assert!(text.contains("t.csv:4: the row has 3 fields, the header has 2"));
    }

    #[test]
    fn blank_lines_and_trailing_empty_cells_are_not_rows() {
        let t = parse("a,b\n\n1,2,,\n,\n3,4\n").unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].line, 5);
    }

    #[test]
    fn qualtrics_header_rows_are_detected_and_the_question_text_kept() {
        let t = parse(
            "respondent,Q1\nRespondent ID,How timely?\n\"{\"\"ImportId\"\":\"\"QID1\"\"}\",\"{\"\"ImportId\"\":\"\"QID2\"\"}\"\nr1,4\n",
        )
        .unwrap();
        assert_eq!(t.header_rows, 3);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].line, 4);
        assert_eq!(t.descriptions.unwrap()[1], "How timely?");
        let t = parse_table(
            Path::new("t.csv"),
            b"a,b\nquestion a,question b\n1,2\n",
            ReadOptions {
                header_rows: Some(2),
            },
        )
        .unwrap();
        assert_eq!((t.rows.len(), t.rows[0].line), (1, 3));
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
