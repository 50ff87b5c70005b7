//! The errors a user can cause, each naming the file, line and column it is about.

use std::fmt;
use std::path::PathBuf;

/// One problem found in an input file, at a physical line (1-based, header included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn at(line: u64, column: Option<&str>, message: impl Into<String>) -> Self {
        Problem {
            line,
            column: column.map(str::to_string),
            message: message.into(),
        }
    }
}

/// How many problems of one file are printed before the rest are only counted.
pub const MAX_PROBLEMS_SHOWN: usize = 20;

/// Errors in the input or the command line: they end the run with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{file}: cannot read the file: {source}")]
    Unreadable {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{file}: the file is empty; expected a header row with the column names, then data rows"
    )]
    Empty { file: PathBuf },
    #[error("{file}: the file has a header but no data rows")]
    HeaderOnly { file: PathBuf },
    #[error(
        "{codebook}: {key} names column \"{name}\", which {file} does not have (it has: {found})"
    )]
    CodebookColumn {
        codebook: PathBuf,
        file: PathBuf,
        key: String,
        name: String,
        found: String,
    },
    #[error("{file}: required column \"{column}\" is missing (the header has: {found})")]
    MissingColumn {
        file: PathBuf,
        column: String,
        found: String,
    },
    #[error("{file}: no answer columns found; expected wide columns named <dimension>:<target role> (for example \"timely:Jobkonsulent\") or the long layout with columns target, dimension and value")]
    NoAnswerColumns { file: PathBuf },
    #[error("{}", ProblemList { file, problems })]
    Problems {
        file: PathBuf,
        problems: Vec<Problem>,
    },
    #[error("{failed} of {total} files have problems")]
    Invalid { failed: usize, total: usize },
    #[error("{0}")]
    Usage(String),
}

struct ProblemList<'a> {
    file: &'a PathBuf,
    problems: &'a [Problem],
}

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        for (i, p) in self.problems.iter().take(MAX_PROBLEMS_SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match &p.column {
                Some(c) => write!(f, "{file}:{}: column \"{c}\": {}", p.line, p.message)?,
                None => write!(f, "{file}:{}: {}", p.line, p.message)?,
            }
        }
        let rest = self.problems.len().saturating_sub(MAX_PROBLEMS_SHOWN);
        if rest > 0 {
            write!(f, "\n{file}: … and {rest} more problems")?;
        }
        Ok(())
    }
}

/// The process exit code for an error: 2 for input and usage errors, 1 for everything else.
pub fn exit_code(err: &anyhow::Error) -> i32 {
    if err.chain().any(|c| c.is::<InputError>()) {
        2
    } else {
        1
    }
}

/// How a file's problems end: problems with rows always fail the file, and so do invalid
/// answers unless `lenient`, which keeps them as the returned record instead.
pub fn settle(
    file: &std::path::Path,
    lenient: bool,
    mut rows: Vec<Problem>,
    answers: Vec<Problem>,
) -> Result<Vec<Problem>, InputError> {
    let recorded = if lenient {
        answers
    } else {
        rows.extend(answers);
        Vec::new()
    };
    rows.sort_by_key(|p| p.line);
    refuse(file, rows)?;
    Ok(recorded)
}

/// Fails with all of `problems` in `file`, when there are any.
pub fn refuse(file: &std::path::Path, problems: Vec<Problem>) -> Result<(), InputError> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(InputError::Problems {
            file: file.to_path_buf(),
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_render_as_file_line_column_message() {
        let e = InputError::Problems {
            file: PathBuf::from("staff.csv"),
            problems: vec![
                Problem::at(
                    6,
                    Some("timely:Jobkonsulent"),
                    "\"7\" is not an answer on the 1–5 scale",
                ),
                Problem::at(9, None, "the row has 3 fields, the header has 4"),
            ],
        };
        assert_eq!(
            e.to_string(),
            "staff.csv:6: column \"timely:Jobkonsulent\": \"7\" is not an answer on the 1–5 scale\n\
             staff.csv:9: the row has 3 fields, the header has 4"
        );
    }

    #[test]
    fn long_problem_lists_are_cut_with_a_count() {
        let problems = (1..=25).map(|i| Problem::at(i, None, "bad")).collect();
        let e = InputError::Problems {
            file: PathBuf::from("s.csv"),
            problems,
        };
        let text = e.to_string();
        assert_eq!(text.lines().count(), MAX_PROBLEMS_SHOWN + 1);
        assert!(text.ends_with("… and 5 more problems"));
    }

    #[test]
    fn input_errors_exit_with_two_and_others_with_one() {
        let input: anyhow::Error = InputError::Usage("x".into()).into();
        assert_eq!(exit_code(&input.context("while reading")), 2);
        assert_eq!(exit_code(&anyhow::anyhow!("boom")), 1);
    }
}
