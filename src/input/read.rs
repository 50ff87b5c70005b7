//! Reads a delimited text export into a raw table of strings, keeping each row's physical line.

use std::path::{Path, PathBuf};

use crate::error::{InputError, Problem};

/// A raw text table: trimmed header names and rows of untouched fields.
#[derive(Debug, Clone)]
pub struct Table {
    pub file: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One data row and the physical line (1-based, header included) where it starts.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

impl Table {
    /// The position of a column, matched case-insensitively on the trimmed name.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }
}

/// Reads `path` as a CSV table. Rows whose field count differs from the header are
/// reported together, with their lines, rather than failing on the first.
pub fn read_table(path: &Path) -> Result<Table, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Unreadable {
        file: path.to_path_buf(),
        source,
    })?;
    parse_table(path, &bytes)
}

/// Parses the bytes of a CSV export (UTF-8, optional BOM; `,` `;` or TAB delimited).
pub fn parse_table(path: &Path, bytes: &[u8]) -> Result<Table, InputError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let line = 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        return Err(InputError::Problems {
            file: path.to_path_buf(),
            problems: vec![Problem::at(
                line,
                None,
                "the file is not valid UTF-8; save the export as UTF-8 (CSV UTF-8 in Excel)",
            )],
        });
    }
    let delimiter = sniff_delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);

    let mut records = reader.records();
    let header = match records.next() {
        None => {
            return Err(InputError::Empty {
                file: path.to_path_buf(),
                expected: "respondent and role".into(),
            })
        }
        Some(r) => r.map_err(|e| csv_problem(path, &e))?,
    };
    let headers: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();

    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for record in records {
        let record = record.map_err(|e| csv_problem(path, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
            continue; // a blank line
        }
        if record.len() != headers.len() {
            problems.push(Problem::at(
                line,
                None,
                format!(
                    "the row has {} fields, the header has {}",
                    record.len(),
                    headers.len()
                ),
            ));
            continue;
        }
        rows.push(Row {
            line,
            fields: record.iter().map(str::to_string).collect(),
        });
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
        rows,
    })
}

fn csv_problem(path: &Path, e: &csv::Error) -> InputError {
    let line = e.position().map_or(0, |p| p.line());
    InputError::Problems {
        file: path.to_path_buf(),
        problems: vec![Problem::at(
            line,
            None,
            format!("cannot parse the row: {e}"),
        )],
    }
}

/// Picks the delimiter that occurs most often in the header line, outside quotes.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in bytes {
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
        parse_table(Path::new("t.csv"), text.as_bytes())
    }

    #[test]
    fn rows_keep_their_physical_line_across_quoted_newlines() {
        let t = parse("a,b\n1,\"x\ny\"\n2,z\n").unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(t.rows[0].fields[1], "x\ny");
    }

    #[test]
    fn semicolon_and_tab_delimiters_are_sniffed_from_the_header() {
        assert_eq!(parse("a;b\n1;2\n").unwrap().headers, ["a", "b"]);
        assert_eq!(parse("a\tb\n1\t2\n").unwrap().headers, ["a", "b"]);
        assert_eq!(parse("\"a;x\",b\n1,2\n").unwrap().headers, ["a;x", "b"]);
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = parse("\u{feff}respondent,role\r\nr1,Læge\r\n").unwrap();
        assert_eq!(t.headers[0], "respondent");
        assert_eq!(t.rows[0].fields[1], "Læge");
    }

    #[test]
    fn every_row_with_a_wrong_field_count_is_reported_with_its_line() {
        let err = parse("a,b\n1\n2,3\n4,5,6\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("t.csv:2: the row has 1 fields, the header has 2"));
        assert!(text.contains("t.csv:4: the row has 3 fields, the header has 2"));
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let err = parse_table(Path::new("t.csv"), b"a,b\n1,\xe6\n").unwrap_err();
        assert!(err
            .to_string()
            .starts_with("t.csv:2: the file is not valid UTF-8"));
    }

    #[test]
    fn an_empty_file_is_an_error() {
        assert!(matches!(parse(""), Err(InputError::Empty { .. })));
    }
}
