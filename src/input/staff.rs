//! Normalizes a staff survey table (wide or long layout) into the Answers table.

use std::collections::{BTreeSet, HashMap};

use crate::answers::{AnswersBuilder, Question, Respondent};
use crate::config::Settings;
use crate::error::{InputError, Problem};
use crate::input::read::{Row, Table};
use crate::instruments::{rc_dimension, RC, RC_DIMENSIONS};

/// The source name of staff answers in the Answers table.
pub const SOURCE: &str = "staff";

/// Which of the two accepted layouts a staff file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One row per respondent, one column per `<dimension>:<target role>`.
    Wide,
    /// One row per answer: respondent, role, target, dimension, value.
    Long,
}

impl Layout {
    pub fn name(self) -> &'static str {
        match self {
            Layout::Wide => "wide",
            Layout::Long => "long",
        }
    }
}

/// What normalizing one staff file found, besides the answers themselves.
#[derive(Debug, Clone)]
pub struct StaffFile {
    pub layout: Layout,
    /// Data rows in the file.
    pub rows: usize,
    pub respondents: usize,
    pub has_municipality: bool,
    pub has_unit: bool,
    pub has_position: bool,
    /// Columns that are neither grouping nor answer columns; they are not read.
    pub ignored_columns: Vec<String>,
    /// Rated roles that no respondent has as their own role (a typo shows up here).
    pub targets_without_raters: Vec<String>,
}

struct Grouping {
    respondent: usize,
    role: usize,
    municipality: Option<usize>,
    unit: Option<usize>,
    position: Option<usize>,
}

impl Grouping {
    fn find(table: &Table) -> Result<Self, InputError> {
        let required = |name: &str| {
            table.find(name).ok_or_else(|| InputError::MissingColumn {
                file: table.file.clone(),
                column: name.to_string(),
                found: table.headers.join(", "),
            })
        };
        Ok(Grouping {
            respondent: required("respondent")?,
            role: required("role")?,
            municipality: table.find("municipality"),
            unit: table.find("unit"),
            position: table.find("position"),
        })
    }

    fn columns(&self) -> Vec<usize> {
        [
            Some(self.respondent),
            Some(self.role),
            self.municipality,
            self.unit,
            self.position,
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Reads who answered a row, recording any problem with the id, role or position.
    fn respondent(&self, table: &Table, row: &Row, problems: &mut Vec<Problem>) -> Respondent {
        let text = |i: usize| row.fields[i].trim().to_string();
        let optional = |i: Option<usize>| i.map(text).filter(|s| !s.is_empty());
        let who = Respondent {
            id: text(self.respondent),
            role: text(self.role),
            municipality: optional(self.municipality),
            unit: optional(self.unit),
            position: None,
        };
        if who.id.is_empty() {
            problems.push(Problem::at(
                row.line,
                Some("respondent"),
                "the respondent id is empty",
            ));
        }
        if who.role.is_empty() {
            problems.push(Problem::at(row.line, Some("role"), "the role is empty"));
        }
        let position = self.position.and_then(|i| {
            let raw = text(i);
            if raw.is_empty() {
                return None;
            }
            let p = parse_position(&raw);
            if p.is_none() {
                problems.push(Problem::at(
                    row.line,
                    Some(&table.headers[i]),
                    format!("\"{raw}\" is not a position; expected leader or staff (leder or medarbejder)"),
                ));
            }
            p
        });
        Respondent { position, ..who }
    }
}

/// Reads "leader"/"staff" and their Danish forms.
pub fn parse_position(raw: &str) -> Option<String> {
    match raw.trim().to_lowercase().as_str() {
        "leader" | "leder" => Some("leader".into()),
        "staff" | "medarbejder" | "employee" => Some("staff".into()),
        _ => None,
    }
}

/// Reads one answer on the 1–5 scale: `Ok(None)` for a missing-answer code, an error
/// message for anything else that is not a whole number from 1 to 5.
pub fn parse_answer(raw: &str, settings: &Settings) -> Result<Option<f64>, String> {
    if settings.is_missing(raw) {
        return Ok(None);
    }
    match raw.trim().parse::<f64>() {
        Ok(v) if (1.0..=5.0).contains(&v) && v.fract() == 0.0 => Ok(Some(v)),
        _ => Err(format!(
            "\"{}\" is not an answer on the 1–5 scale",
            raw.trim()
        )),
    }
}

/// Normalizes a staff table into `answers`; every problem in the file is reported together.
pub fn normalize(
    table: &Table,
    settings: &Settings,
    answers: &mut AnswersBuilder,
) -> Result<StaffFile, InputError> {
    let grouping = Grouping::find(table)?;
    let wide = wide_columns(table)?;
    let long = ["target", "dimension", "value"].map(|c| table.find(c));
    let (layout, read) = if !wide.is_empty() {
        (
            Layout::Wide,
            normalize_wide(table, &grouping, &wide, settings, answers),
        )
    } else if let [Some(t), Some(d), Some(v)] = long {
        (
            Layout::Long,
            normalize_long(table, &grouping, [t, d, v], settings, answers),
        )
    } else {
        return Err(InputError::NoAnswerColumns {
            file: table.file.clone(),
        });
    };
    let (respondents, roles, targets) = read?;

    let mut used: Vec<usize> = grouping.columns();
    match layout {
        Layout::Wide => used.extend(wide.iter().map(|c| c.index)),
        Layout::Long => used.extend(long.iter().flatten()),
    }
    let ignored_columns = (0..table.headers.len())
        .filter(|i| !used.contains(i))
        .map(|i| table.headers[i].clone())
        .collect();
    Ok(StaffFile {
        layout,
        rows: table.rows.len(),
        respondents,
        has_municipality: grouping.municipality.is_some(),
        has_unit: grouping.unit.is_some(),
        has_position: grouping.position.is_some(),
        ignored_columns,
        targets_without_raters: targets.difference(&roles).cloned().collect(),
    })
}

/// Respondents read, their roles, and the roles they rated.
type Read = Result<(usize, BTreeSet<String>, BTreeSet<String>), InputError>;

struct AnswerColumn {
    index: usize,
    dimension: &'static str,
    target: String,
}

/// Finds the `<dimension>:<target role>` columns; a column with a colon whose prefix
/// is not an RC dimension is an error, not a column to skip silently.
fn wide_columns(table: &Table) -> Result<Vec<AnswerColumn>, InputError> {
    let mut columns: Vec<AnswerColumn> = Vec::new();
    let mut problems = Vec::new();
    for (index, header) in table.headers.iter().enumerate() {
        let Some((dim, target)) = header.split_once(':') else {
            continue;
        };
        let target = target.trim().to_string();
        match rc_dimension(dim) {
            None => problems.push(Problem::at(
                1,
                Some(header),
                format!(
                    "\"{}\" is not a relational-coordination dimension; expected one of {}",
                    dim.trim(),
                    RC_DIMENSIONS.map(|(d, _)| d).join(", ")
                ),
            )),
            Some(_) if target.is_empty() => problems.push(Problem::at(
                1,
                Some(header),
                "the rated role after the colon is empty",
            )),
            Some(dimension) => {
                if let Some(first) = columns
                    .iter()
                    .find(|c| c.dimension == dimension && c.target == target)
                {
                    problems.push(Problem::at(
                        1,
                        Some(header),
                        format!(
                            "repeats column \"{}\" (the same dimension and rated role)",
                            table.headers[first.index]
                        ),
                    ));
                }
                columns.push(AnswerColumn {
                    index,
                    dimension,
                    target,
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(InputError::Problems {
            file: table.file.clone(),
            problems,
        })
    }
}

fn normalize_wide(
    table: &Table,
    grouping: &Grouping,
    columns: &[AnswerColumn],
    settings: &Settings,
    answers: &mut AnswersBuilder,
) -> Read {
    let mut problems = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut roles = BTreeSet::new();
    for row in &table.rows {
        let who = grouping.respondent(table, row, &mut problems);
        if !who.id.is_empty() {
            if let Some(first) = seen.insert(who.id.clone(), row.line) {
                problems.push(Problem::at(
                    row.line,
                    Some("respondent"),
                    format!(
                        "respondent \"{}\" already has a row on line {first}",
                        who.id
                    ),
                ));
            }
        }
        roles.insert(who.role.clone());
        for c in columns {
            match parse_answer(&row.fields[c.index], settings) {
                Ok(value) => answers.push(SOURCE, &who, rc_question(c.dimension, &c.target), value),
                Err(msg) => {
                    problems.push(Problem::at(row.line, Some(&table.headers[c.index]), msg))
                }
            }
        }
    }
    let targets = columns.iter().map(|c| c.target.clone()).collect();
    finish(table, problems, seen.len(), roles, targets)
}

fn normalize_long(
    table: &Table,
    grouping: &Grouping,
    [t, d, v]: [usize; 3],
    settings: &Settings,
    answers: &mut AnswersBuilder,
) -> Read {
    let mut problems = Vec::new();
    let mut people: HashMap<String, (Respondent, u64)> = HashMap::new();
    let mut asked: HashMap<(String, String, &'static str), u64> = HashMap::new();
    let mut roles = BTreeSet::new();
    let mut targets = BTreeSet::new();
    for row in &table.rows {
        let who = grouping.respondent(table, row, &mut problems);
        if let Some((first, line)) = people.get(&who.id) {
            if *first != who {
                problems.push(Problem::at(
                    row.line,
                    None,
                    format!(
                        "respondent \"{}\" has other role or grouping values than on line {line}",
                        who.id
                    ),
                ));
            }
        } else {
            people.insert(who.id.clone(), (who.clone(), row.line));
        }
        roles.insert(who.role.clone());
        let target = row.fields[t].trim().to_string();
        if target.is_empty() {
            problems.push(Problem::at(
                row.line,
                Some(&table.headers[t]),
                "the rated role is empty",
            ));
            continue;
        }
        let raw_dim = row.fields[d].trim();
        let Some(dimension) = rc_dimension(raw_dim) else {
            problems.push(Problem::at(
                row.line,
                Some(&table.headers[d]),
                format!(
                    "\"{raw_dim}\" is not a relational-coordination dimension; expected one of {}",
                    RC_DIMENSIONS.map(|(d, _)| d).join(", ")
                ),
            ));
            continue;
        };
        let key = (who.id.clone(), target.clone(), dimension);
        if let Some(first) = asked.insert(key, row.line) {
            problems.push(Problem::at(
                row.line,
                None,
                format!(
                    "respondent \"{}\" already rated {dimension} of \"{target}\" on line {first}",
                    who.id
                ),
            ));
        }
        match parse_answer(&row.fields[v], settings) {
            Ok(value) => answers.push(SOURCE, &who, rc_question(dimension, &target), value),
            Err(msg) => problems.push(Problem::at(row.line, Some(&table.headers[v]), msg)),
        }
        targets.insert(target);
    }
    finish(table, problems, people.len(), roles, targets)
}

fn rc_question<'a>(dimension: &'a str, target: &'a str) -> Question<'a> {
    Question {
        instrument: RC,
        construct: dimension,
        target: Some(target),
        item: None,
    }
}

fn finish(
    table: &Table,
    problems: Vec<Problem>,
    respondents: usize,
    roles: BTreeSet<String>,
    targets: BTreeSet<String>,
) -> Read {
    if problems.is_empty() {
        Ok((respondents, roles, targets))
    } else {
        Err(InputError::Problems {
            file: table.file.clone(),
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::col;
    use crate::input::read::parse_table;
    use std::path::Path;

    fn run(text: &str) -> Result<(StaffFile, crate::answers::Answers), InputError> {
        let table = parse_table(Path::new("staff.csv"), text.as_bytes()).unwrap();
        let mut b = AnswersBuilder::default();
        let f = normalize(&table, &Settings::default(), &mut b)?;
        Ok((f, b.finish().unwrap()))
    }

    #[test]
    fn answers_are_whole_numbers_from_one_to_five_or_missing() {
        let s = Settings::default();
        assert_eq!(parse_answer(" 4 ", &s), Ok(Some(4.0)));
        assert_eq!(parse_answer("5.0", &s), Ok(Some(5.0)));
        assert_eq!(parse_answer("Ved ikke", &s), Ok(None));
        assert_eq!(parse_answer("", &s), Ok(None));
        for bad in ["0", "6", "3.5", "-1", "x", "NaN", "inf"] {
            assert!(parse_answer(bad, &s).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn wide_layout_gives_one_answer_row_per_answer_cell() {
        let (f, a) = run("respondent,role,unit,timely:Læge,accurate:Læge,note\n\
                          r1,Sygeplejerske,A,4,Ved ikke,x\n\
                          r2,Læge,A,5,3,y\n")
        .unwrap();
        assert_eq!(f.layout, Layout::Wide);
        assert_eq!((f.rows, f.respondents), (2, 2));
        assert_eq!(f.ignored_columns, ["note"]);
        assert!(f.has_unit && !f.has_municipality && !f.has_position);
        assert_eq!(a.df.height(), 4);
        assert_eq!(a.df.column(col::VALUE).unwrap().null_count(), 1);
        assert!(f.targets_without_raters.is_empty());
    }

    #[test]
    fn long_layout_is_read_and_checked_for_consistency() {
        let (f, a) = run("respondent,role,target,dimension,value\n\
                          r1,Læge,Sygeplejerske,timely,4\n\
                          r1,Læge,Sygeplejerske,Mutual respect,NA\n")
        .unwrap();
        assert_eq!(f.layout, Layout::Long);
        assert_eq!((f.rows, f.respondents), (2, 1));
        assert_eq!(a.df.height(), 2);
        assert_eq!(f.targets_without_raters, ["Sygeplejerske"]);

        let err = run("respondent,role,target,dimension,value\n\
                       r1,Læge,Sygeplejerske,timely,4\n\
                       r1,Jurist,Sygeplejerske,timely,4\n")
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("staff.csv:3: respondent \"r1\" has other role"),
            "{err}"
        );
        assert!(
            err.contains("staff.csv:3: respondent \"r1\" already rated timely"),
            "{err}"
        );
    }

    #[test]
    fn every_bad_cell_is_reported_with_line_and_column() {
        let err = run("respondent,role,timely:Læge\nr1,Læge,7\nr1,,x\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains(
            "staff.csv:2: column \"timely:Læge\": \"7\" is not an answer on the 1–5 scale"
        ));
        assert!(err.contains(
            "staff.csv:3: column \"respondent\": respondent \"r1\" already has a row on line 2"
        ));
        assert!(err.contains("staff.csv:3: column \"role\": the role is empty"));
        assert!(err.contains("staff.csv:3: column \"timely:Læge\": \"x\" is not an answer"));
    }

    #[test]
    fn unknown_dimension_columns_and_missing_columns_are_errors() {
        let err = run("respondent,role,timeliness:Læge\nr1,Læge,4\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("staff.csv:1: column \"timeliness:Læge\": \"timeliness\" is not a relational-coordination dimension"));
        let err = run("respondent,timely:Læge\nr1,4\n").unwrap_err();
        assert!(matches!(err, InputError::MissingColumn { ref column, .. } if column == "role"));
        let err = run("respondent,role,score\nr1,Læge,4\n").unwrap_err();
        assert!(matches!(err, InputError::NoAnswerColumns { .. }));
    }

    #[test]
    fn positions_accept_danish_and_english_words_only() {
        assert_eq!(parse_position("Leder").as_deref(), Some("leader"));
        assert_eq!(parse_position("medarbejder").as_deref(), Some("staff"));
        assert_eq!(parse_position("chef"), None);
        let err = run("respondent,role,position,timely:Læge\nr1,Læge,chef,4\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("staff.csv:2: column \"position\": \"chef\" is not a position"));
    }
}
