//! Normalizes a citizen survey (citizen, unit, optional municipality, quality:<item>
//! columns) into the Answers.

use crate::answers::{AnswersBuilder, Asked, FirstLines, Question, Respondent};
use crate::config::Settings;
use crate::error::{InputError, Problem};
use crate::input::labels::{self, parse_answer, Memo};
use crate::input::read::Table;

/// The source name of citizen answers in the Answers.
pub const SOURCE: &str = "citizens";
/// The instrument and construct of citizen-experienced quality.
pub const QUALITY: &str = "quality";

#[derive(Debug, Clone)]
pub struct CitizensFile {
    pub rows: usize,
    pub citizens: usize,
    /// The quality items, in column order.
    pub items: Vec<String>,
    pub ignored_columns: Vec<String>,
    pub problems: Vec<Problem>,
}

/// Reads the citizens table; every problem is reported together.
pub fn normalize(
    table: &Table,
    settings: &Settings,
    lenient: bool,
    answers: &mut AnswersBuilder,
) -> Result<CitizensFile, InputError> {
    let required = |name: &str| {
        table.find(name).ok_or_else(|| InputError::MissingColumn {
            file: table.file.clone(),
            column: name.into(),
            found: table.headers.join(", "),
        })
    };
    let citizen = required("citizen")?;
    let unit = required("unit")?;
    let municipality = table.find("municipality");
    let items: Vec<(usize, String)> = table
        .headers
        .iter()
        .enumerate()
        .filter_map(|(i, h)| {
            let (prefix, item) = h.split_once(':')?;
            (prefix.trim().eq_ignore_ascii_case(QUALITY) && !item.trim().is_empty())
                .then(|| (i, item.trim().to_string()))
        })
        .collect();
    if items.is_empty() {
        return Err(InputError::Usage(format!(
            "{}: no quality items; expected columns named quality:<item>, for example quality:sammenhaeng",
            table.file.display()
        )));
    }
    let scale = labels::builtin("quality").expect("built in");
    let mut row_problems = Vec::new();
    let mut answer_problems = Vec::new();
    let mut seen = FirstLines::default();
    let questions: Vec<Asked> = items
        .iter()
        .map(|(_, item)| {
            answers.question(Question {
                instrument: QUALITY,
                construct: QUALITY,
                target: None,
                item: Some(item),
            })
        })
        .collect();
    answers.reserve(table.rows_hint(), &questions);
    let mut memo: Vec<Memo> = vec![Memo::default(); items.len()];
    let rows = table.each_row(|row| {
        let who = Respondent {
            id: row.fields[citizen].trim(),
            role: "citizen",
            municipality: municipality
                .map(|i| row.fields[i].trim())
                .filter(|s| !s.is_empty()),
            unit: Some(row.fields[unit].trim()).filter(|s| !s.is_empty()),
            position: None,
            wave: row.wave.as_deref(),
        };
        let r = answers.respondent(SOURCE, &who);
        if who.id.is_empty() {
            row_problems.push(Problem::at(
                row.line,
                Some(&table.headers[citizen]),
                "the citizen id is empty",
            ));
        } else if let Some(first) = seen.see(answers, r, row.line) {
            row_problems.push(Problem::at(
                row.line,
                Some(&table.headers[citizen]),
                format!("citizen \"{}\" already has a row on line {first}", who.id),
            ));
        }
        if who.unit.is_none() {
            row_problems.push(Problem::at(
                row.line,
                Some(&table.headers[unit]),
                "the unit is empty",
            ));
        }
        for (((i, _), &q), memo) in items.iter().zip(&questions).zip(&mut memo) {
            let raw = &row.fields[*i];
            let value = match memo.read(raw, |raw| {
                parse_answer(raw, &scale, |r| settings.is_missing(r))
            }) {
                Ok(v) => v,
                Err(msg) => {
                    answer_problems.push(Problem::at(row.line, Some(&table.headers[*i]), msg));
                    None
                }
            };
            answers.push(r, q, value);
        }
    })?;
    let problems = crate::error::settle(&table.file, lenient, row_problems, answer_problems)?;
    let used: Vec<usize> = [Some(citizen), Some(unit), municipality]
        .into_iter()
        .flatten()
        .chain(items.iter().map(|(i, _)| *i))
        .collect();
    Ok(CitizensFile {
        rows,
        citizens: seen.len(),
        items: items.into_iter().map(|(_, n)| n).collect(),
        ignored_columns: (0..table.headers.len())
            .filter(|i| !used.contains(i))
            .map(|i| table.headers[i].clone())
            .collect(),
        problems,
    })
}
