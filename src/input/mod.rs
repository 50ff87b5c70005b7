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

/// Reads a file's header, or the embedded demo file of that name under `--example`, and
/// says where every row's wave comes from.
fn read(
    input: Input<'_>,
    source: Source<'_>,
    header_rows: Option<usize>,
) -> Result<read::Table, InputError> {
    let opts = ReadOptions { header_rows };
    let mut table = match (source.example, example::bytes(input.path)) {
        (true, Some(bytes)) => read::parse_table(input.path, bytes, opts)?,
        _ => read_table(input.path, opts)?,
    };
    assign_waves(&mut table, input.wave)?;
    Ok(table)
}

/// The names a wave column may have.
pub const WAVE_COLUMNS: [&str; 2] = ["wave", "bølge"];

/// One input file, with the wave label it was given on the command line (`2024=FILE`).
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub path: &'a Path,
    pub wave: Option<&'a str>,
}

impl<'a> Input<'a> {
    pub fn new(path: &'a Path) -> Self {
        Input { path, wave: None }
    }
}

/// Gives each row its wave: the file's label, or its wave column, which is then taken out
/// so the readers never see it.
fn assign_waves(table: &mut read::Table, label: Option<&str>) -> Result<(), InputError> {
    let column = table
        .headers
        .iter()
        .position(|h| WAVE_COLUMNS.iter().any(|w| labels::same_text(h, w)));
    match (column, label) {
        (Some(c), Some(label)) => {
            return Err(InputError::Usage(format!(
                "{}: the file has a wave column (\"{}\") and is also given the wave label \"{label}\"; use one of them",
                table.file.display(),
                table.headers[c]
            )))
        }
        (None, Some(label)) => table.label_wave(label),
        (Some(c), None) => table.wave_column(c),
        (None, None) => {}
    }
    Ok(())
}

/// An input file read and normalized, with how it was read.
#[derive(Debug, Clone)]
pub struct Loaded<F> {
    pub file: F,
    /// The waves of the file's rows, in the order they first occur; empty without waves.
    pub waves: Vec<String>,
    pub encoding: String,
    pub delimiter: Option<char>,
    pub header_rows: usize,
}

/// Reads `input` and normalizes its table with `normalize`, keeping how it was read.
fn load<F>(
    input: Input<'_>,
    source: Source<'_>,
    header_rows: Option<usize>,
    normalize: impl FnOnce(&read::Table) -> Result<F, InputError>,
) -> Result<Loaded<F>, InputError> {
    let table = read(input, source, header_rows)?;
    Ok(Loaded {
        file: normalize(&table)?,
        waves: table.waves(),
        encoding: table.encoding,
        delimiter: table.delimiter,
        header_rows: table.header_rows,
    })
}

/// Reads a staff export and normalizes it into `answers`.
pub fn load_staff(
    input: Input<'_>,
    source: Source<'_>,
    settings: &Settings,
    answers: &mut AnswersBuilder,
) -> Result<Loaded<StaffFile>, InputError> {
    let header_rows = source
        .header_rows
        .or_else(|| source.codebook.and_then(|c| c.header_rows));
    let opts = StaffOptions {
        codebook: source.codebook,
        lenient: source.lenient,
    };
    load(input, source, header_rows, |t| {
        staff::normalize(t, settings, opts, answers)
    })
}

/// Reads a leader-relations export and normalizes it into `answers`.
pub fn load_leaders(
    input: Input<'_>,
    source: Source<'_>,
    settings: &Settings,
    answers: &mut AnswersBuilder,
) -> Result<Loaded<leaders::LeadersFile>, InputError> {
    load(input, source, source.header_rows, |t| {
        leaders::normalize(t, settings, source.lenient, answers)
    })
}

/// Reads a citizen survey and normalizes it into `answers`.
pub fn load_citizens(
    input: Input<'_>,
    source: Source<'_>,
    settings: &Settings,
    answers: &mut AnswersBuilder,
) -> Result<Loaded<citizens::CitizensFile>, InputError> {
    load(input, source, source.header_rows, |t| {
        citizens::normalize(t, settings, source.lenient, answers)
    })
}
