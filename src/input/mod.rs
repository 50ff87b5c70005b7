//! Everything that knows about files, encodings, labels and column names.

pub mod citizens;
pub mod codebook;
pub mod decode;
pub mod example;
pub mod labels;
pub mod leaders;
pub mod read;
pub mod staff;

use std::path::Path;

use crate::answers::AnswersBuilder;
use crate::config::Settings;
use crate::error::InputError;
use codebook::Codebook;
use read::{read_table, ReadOptions};
use staff::{StaffFile, StaffOptions};

/// How one run reads its inputs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Source<'a> {
    pub codebook: Option<&'a Codebook>,
    /// Overrides the codebook's `header_rows` and the detection.
    pub header_rows: Option<usize>,
    pub lenient: bool,
    /// Read the embedded demo data instead of files.
    pub example: bool,
}

/// Reads a file, or the embedded demo file of that name under `--example`.
fn read(
    path: &Path,
    source: Source<'_>,
    header_rows: Option<usize>,
) -> Result<read::Table, InputError> {
    let opts = ReadOptions { header_rows };
    match (source.example, example::bytes(path)) {
        (true, Some(bytes)) => read::parse_table(path, bytes, opts),
        _ => read_table(path, opts),
    }
}

/// An input file read and normalized, with how it was read.
#[derive(Debug, Clone)]
pub struct Loaded<F> {
    pub file: F,
    pub encoding: String,
    pub delimiter: Option<char>,
    pub header_rows: usize,
}

/// Reads a staff export and normalizes it into `answers`.
pub fn load_staff(
    path: &Path,
    source: Source<'_>,
    settings: &Settings,
    answers: &mut AnswersBuilder,
) -> Result<Loaded<StaffFile>, InputError> {
    let header_rows = source
        .header_rows
        .or_else(|| source.codebook.and_then(|c| c.header_rows));
    let table = read(path, source, header_rows)?;
    let opts = StaffOptions {
        codebook: source.codebook,
        lenient: source.lenient,
    };
    let file = staff::normalize(&table, settings, opts, answers)?;
    Ok(Loaded {
        file,
        encoding: table.encoding,
        delimiter: table.delimiter,
        header_rows: table.header_rows,
    })
}

/// Reads a leader-relations export and normalizes it into `answers`.
pub fn load_leaders(
    path: &Path,
    source: Source<'_>,
    settings: &Settings,
    answers: &mut AnswersBuilder,
) -> Result<Loaded<leaders::LeadersFile>, InputError> {
    let table = read(path, source, source.header_rows)?;
    let file = leaders::normalize(&table, settings, source.lenient, answers)?;
    Ok(Loaded {
        file,
        encoding: table.encoding,
        delimiter: table.delimiter,
        header_rows: table.header_rows,
    })
}

/// Reads a citizen survey and normalizes it into `answers`.
pub fn load_citizens(
    path: &Path,
    source: Source<'_>,
    settings: &Settings,
    answers: &mut AnswersBuilder,
) -> Result<Loaded<citizens::CitizensFile>, InputError> {
    let table = read(path, source, source.header_rows)?;
    let file = citizens::normalize(&table, settings, source.lenient, answers)?;
    Ok(Loaded {
        file,
        encoding: table.encoding,
        delimiter: table.delimiter,
        header_rows: table.header_rows,
    })
}
