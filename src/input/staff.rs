//! Normalizes a staff survey table (wide or long layout, default convention or codebook)
//! into the Answers.

use rustc_hash::FxHashMap;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::answers::{AnswersBuilder, Asked, FirstLines, Question, Respondent, Who};
use crate::config::Settings;
use crate::error::{InputError, Problem};
use crate::input::codebook::Codebook;
use crate::input::labels::{self, parse_answer, same_text, Memo, Scale};
use crate::input::read::{Row, Table};
use crate::instruments::{leadership_group, rc_dimension, LEADERSHIP, RC, RC_DIMENSIONS};
use crate::measures::leadership::Design;
use crate::texts::Strings;

/// The source name of staff answers in the Answers.
pub const SOURCE: &str = "staff";

/// Which of the two accepted layouts a staff file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One row per respondent, one column per answer.
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

/// How to read a staff table.
#[derive(Debug, Clone, Copy, Default)]
pub struct StaffOptions<'a> {
    pub codebook: Option<&'a Codebook>,
    /// Read answer-level problems (out of range, unknown label) as missing answers and
    /// record them, instead of stopping.
    pub lenient: bool,
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
    /// Answer-level problems read as missing under `lenient`; empty otherwise.
    pub problems: Vec<Problem>,
    /// The leadership dimensions and their groups, when the file has leadership items.
    pub leadership: Design,
}

/// Normalizes a staff table into `answers`; every problem in the file is reported together.
pub fn normalize(
    table: &Table,
    settings: &Settings,
    opts: StaffOptions<'_>,
    answers: &mut AnswersBuilder,
) -> Result<StaffFile, InputError> {
    let schema = Schema::new(table, opts.codebook)?;
    let mut n = Normalizer {
        table,
        settings,
        schema: &schema,
        people: People {
            headers: &table.headers,
            schema: &schema,
            problems: Vec::new(),
            roles: BTreeSet::new(),
        },
        answer_problems: Vec::new(),
        targets: BTreeSet::new(),
    };
    let (rows, respondents) = match &schema.answers {
        AnswerColumns::Wide(items) => n.wide(items, answers)?,
        AnswerColumns::Long(columns) => n.long(*columns, answers)?,
    };
    let Normalizer {
        people:
            People {
                problems: row_problems,
                roles,
                ..
            },
        answer_problems,
        targets,
        ..
    } = n;
    let problems = crate::error::settle(&table.file, opts.lenient, row_problems, answer_problems)?;
    let used = schema.used_columns();
    Ok(StaffFile {
        layout: match schema.answers {
            AnswerColumns::Wide(_) => Layout::Wide,
            AnswerColumns::Long(_) => Layout::Long,
        },
        rows,
        respondents,
        has_municipality: schema.grouping.municipality.is_some(),
        has_unit: schema.grouping.unit.is_some(),
        has_position: schema.grouping.position.is_some(),
        ignored_columns: (0..table.headers.len())
            .filter(|i| !used.contains(i))
            .map(|i| table.headers[i].clone())
            .collect(),
        targets_without_raters: targets.difference(&roles).cloned().collect(),
        problems,
        leadership: schema.leadership_design(),
    })
}

/// Reads "leader"/"staff" and their Danish forms.
pub fn parse_position(raw: &str) -> Option<&'static str> {
    let is = |word: &str| same_text(raw, word);
    if is("leader") || is("leder") {
        Some("leader")
    } else if is("staff") || is("medarbejder") || is("employee") {
        Some("staff")
    } else {
        None
    }
}

/// What each column of the table means.
struct Schema {
    grouping: Grouping,
    answers: AnswerColumns,
    /// Raw position value → leader/staff, from the codebook.
    positions: Vec<(String, String)>,
    /// Missing-answer codes from the codebook, lower case.
    missing: Vec<String>,
}

struct Grouping {
    respondent: usize,
    role: usize,
    municipality: Option<usize>,
    unit: Option<usize>,
    position: Option<usize>,
}

impl Grouping {
    /// The grouping columns the table has.
    fn columns(&self) -> Vec<usize> {
        [Some(self.respondent), Some(self.role)]
            .into_iter()
            .chain([self.municipality, self.unit, self.position])
            .flatten()
            .collect()
    }
}

enum AnswerColumns {
    Wide(Vec<ItemColumn>),
    /// target, dimension and value columns.
    Long([usize; 3]),
}

struct ItemColumn {
    index: usize,
    instrument: String,
    construct: String,
    target: Option<String>,
    item: Option<String>,
    /// The leadership group of a leadership item.
    group: Option<String>,
    scale: Arc<Scale>,
    reverse: bool,
}

impl Schema {
    fn new(table: &Table, codebook: Option<&Codebook>) -> Result<Self, InputError> {
        let names = codebook.map(|c| c.columns.clone()).unwrap_or_default();
        let column = |key: &str,
                      named: &Option<String>,
                      required: bool|
         -> Result<Option<usize>, InputError> {
            match (named, codebook) {
                (Some(name), Some(book)) => {
                    table
                        .find(name)
                        .map(Some)
                        .ok_or_else(|| InputError::CodebookColumn {
                            codebook: book.path.clone(),
                            file: table.file.clone(),
                            key: format!("columns.{key}"),
                            name: name.clone(),
                            found: table.headers.join(", "),
                        })
                }
                _ => match table.find(key) {
                    Some(i) => Ok(Some(i)),
                    None if required => Err(InputError::MissingColumn {
                        file: table.file.clone(),
                        column: key.to_string(),
                        found: table.headers.join(", "),
                    }),
                    None => Ok(None),
                },
            }
        };
        let grouping = Grouping {
            respondent: column("respondent", &names.respondent, true)?.expect("required"),
            role: column("role", &names.role, true)?.expect("required"),
            municipality: column("municipality", &names.municipality, false)?,
            unit: column("unit", &names.unit, false)?,
            position: column("position", &names.position, false)?,
        };
        let wide = match codebook {
            Some(book) => codebook_items(table, book)?,
            None => default_items(table)?,
        };
        let answers = if !wide.is_empty() {
            AnswerColumns::Wide(wide)
        } else {
            let t = column("target", &names.target, false)?;
            let d = column("dimension", &names.dimension, false)?;
            let v = column("value", &names.value, false)?;
            match (t, d, v) {
                (Some(t), Some(d), Some(v)) => AnswerColumns::Long([t, d, v]),
                _ => {
                    return Err(InputError::NoAnswerColumns {
                        file: table.file.clone(),
                    })
                }
            }
        };
        Ok(Schema {
            grouping,
            answers,
            positions: codebook
                .map(|c| {
                    c.positions
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            missing: codebook
                .map(|c| c.missing.iter().map(|m| m.trim().to_lowercase()).collect())
                .unwrap_or_default(),
        })
    }

    fn used_columns(&self) -> Vec<usize> {
        let g = &self.grouping;
        let mut used: Vec<usize> = [
            Some(g.respondent),
            Some(g.role),
            g.municipality,
            g.unit,
            g.position,
        ]
        .into_iter()
        .flatten()
        .collect();
        match &self.answers {
            AnswerColumns::Wide(items) => used.extend(items.iter().map(|c| c.index)),
            AnswerColumns::Long(cols) => used.extend(cols),
        }
        used
    }

    fn leadership_design(&self) -> Design {
        let mut design: Design = Vec::new();
        if let AnswerColumns::Wide(items) = &self.answers {
            for c in items.iter().filter(|c| c.instrument == LEADERSHIP) {
                let entry = (c.group.clone().unwrap_or_default(), c.construct.clone());
                if !design.contains(&entry) {
                    design.push(entry);
                }
            }
        }
        design
    }

    fn is_missing(&self, settings: &Settings, raw: &str) -> bool {
        settings.is_missing(raw) || self.missing.iter().any(|m| same_text(m, raw))
    }

    fn position(&self, raw: &str) -> Option<&str> {
        // The last of two values that read alike wins, as when they were map keys.
        self.positions
            .iter()
            .rev()
            .find(|(k, _)| same_text(k, raw))
            .map(|(_, v)| v.as_str())
            .or_else(|| parse_position(raw))
    }
}

/// The `<dimension>:<target role>` columns of the default convention; a column with a
/// colon whose prefix is not an RC dimension is an error, not a column to skip silently.
fn default_items(table: &Table) -> Result<Vec<ItemColumn>, InputError> {
    let mut columns: Vec<ItemColumn> = Vec::new();
    let mut problems = Vec::new();
    let mut scales: HashMap<&str, Arc<Scale>> = HashMap::new();
    for (index, header) in table.headers.iter().enumerate() {
        let Some((dim, target)) = header.split_once(':') else {
            continue;
        };
        if dim.trim().eq_ignore_ascii_case(LEADERSHIP) {
            match leadership_column(index, target) {
                Ok(c) => {
                    let clash = columns.iter().find(|o| {
                        o.instrument == LEADERSHIP
                            && o.construct == c.construct
                            && (o.group != c.group || o.item == c.item)
                    });
                    if let Some(o) = clash {
                        problems.push(Problem::at(
                            1,
                            Some(header),
                            format!(
                                "leadership dimension \"{}\" is already in column \"{}\"; a dimension belongs to one group, and its items need distinct names",
                                c.construct, table.headers[o.index]
                            ),
                        ));
                    }
                    columns.push(c);
                }
                Err(msg) => problems.push(Problem::at(1, Some(header), msg)),
            }
            continue;
        }
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
                    .find(|c| c.construct == dimension && c.target.as_deref() == Some(&target))
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
                let scale = scales
                    .entry(dimension)
                    .or_insert_with(|| Arc::new(labels::for_rc_dimension(dimension)))
                    .clone();
                columns.push(ItemColumn {
                    index,
                    instrument: RC.into(),
                    construct: dimension.into(),
                    target: Some(target),
                    item: None,
                    group: None,
                    scale,
                    reverse: false,
                });
            }
        }
    }
    crate::error::refuse(&table.file, problems)?;
    Ok(columns)
}

/// A `leadership:<group>:<dimension>[:<item>]` column (`rest` is what follows the first colon).
fn leadership_column(index: usize, rest: &str) -> Result<ItemColumn, String> {
    let parts: Vec<&str> = rest.split(':').map(str::trim).collect();
    let (group, dimension, item) = match parts.as_slice() {
        [g, d] if !g.is_empty() && !d.is_empty() => (g, d, None),
        [g, d, i] if !g.is_empty() && !d.is_empty() && !i.is_empty() => (g, d, Some(i.to_string())),
        _ => return Err("a leadership column is named leadership:<group>:<dimension> or leadership:<group>:<dimension>:<item>".into()),
    };
    Ok(ItemColumn {
        index,
        instrument: LEADERSHIP.into(),
        construct: dimension.to_string(),
        target: None,
        item,
        group: Some(leadership_group(group)),
        scale: Arc::new(labels::builtin("common").expect("built in")),
        reverse: false,
    })
}

fn codebook_items(table: &Table, book: &Codebook) -> Result<Vec<ItemColumn>, InputError> {
    let mut scales: HashMap<String, Arc<Scale>> = HashMap::new();
    let mut out = Vec::new();
    for item in &book.items {
        let index = table
            .find(&item.column)
            .ok_or_else(|| InputError::CodebookColumn {
                codebook: book.path.clone(),
                file: table.file.clone(),
                key: "an item".into(),
                name: item.column.clone(),
                found: table.headers.join(", "),
            })?;
        let scale_name = match &item.scale {
            Some(s) => s.clone(),
            None if item.instrument == RC => format!("rc_{}", item.construct),
            None => "common".into(),
        };
        let scale = scales
            .entry(scale_name.clone())
            .or_insert_with(|| {
                Arc::new(
                    book.scale(&scale_name)
                        .expect("checked when the codebook was read"),
                )
            })
            .clone();
        out.push(ItemColumn {
            index,
            instrument: item.instrument.clone(),
            construct: item.construct.clone(),
            target: item.target.as_ref().map(|t| t.trim().to_string()),
            item: item.item.clone(),
            group: item.group.as_deref().map(leadership_group),
            scale,
            reverse: item.reverse,
        });
    }
    Ok(out)
}

/// Rows a block holds, and blocks read ahead of the thread that fills the answers.
const BLOCK_ROWS: usize = 1024;
const BLOCKS_IN_FLIGHT: usize = 8;

/// Rows of a wide table on their way to the answers: who answered, and the answers parsed.
/// Blocks go back to the reading thread to be filled again, so rows cost no allocation.
#[derive(Default)]
struct Block {
    lines: Vec<u64>,
    /// Whether the rows have a wave (the last of their cells).
    waved: bool,
    /// Each row's cells in the grouping columns ([`Grouping::columns`]) and its wave, one
    /// after another.
    cells: Strings,
    /// Each row's answer to every item column in turn; NaN where there is none.
    values: Vec<f64>,
}

impl Block {
    fn clear(&mut self) {
        self.lines.clear();
        self.cells.clear();
        self.values.clear();
    }

    fn push(&mut self, row: &Row, columns: &[usize]) {
        self.lines.push(row.line);
        for &c in columns {
            self.cells.push(&row.fields[c]);
        }
        self.waved = row.wave.is_some();
        self.cells.push(row.wave.as_deref().unwrap_or_default());
    }

    /// Cell `k` of row `j`, of `width` cells a row.
    fn cell(&self, j: usize, width: usize, k: usize) -> &str {
        self.cells.get(j * width + k)
    }
}

struct Normalizer<'a> {
    table: &'a Table,
    settings: &'a Settings,
    schema: &'a Schema,
    people: People<'a>,
    answer_problems: Vec<Problem>,
    targets: BTreeSet<String>,
}

/// Who answered each row, and the problems with who they are (row problems: never read
/// leniently). Kept apart from the rest so the answers can be filled on another thread.
struct People<'a> {
    headers: &'a [String],
    schema: &'a Schema,
    problems: Vec<Problem>,
    roles: BTreeSet<String>,
}

impl<'a> People<'a> {
    /// Reads who answered a row, recording any problem with the id, role or position.
    /// `cell` gives the row's cell in a grouping column.
    fn respondent<'r>(
        &mut self,
        line: u64,
        wave: Option<&'r str>,
        cell: impl Fn(usize) -> &'r str,
    ) -> Respondent<'r>
    where
        'a: 'r,
    {
        let schema: &'a Schema = self.schema;
        let g = &schema.grouping;
        let text = |i: usize| cell(i).trim();
        let optional = |i: Option<usize>| i.map(text).filter(|s| !s.is_empty());
        let header = |i: usize| Some(self.headers[i].as_str());
        let mut who = Respondent {
            id: text(g.respondent),
            role: text(g.role),
            municipality: optional(g.municipality),
            unit: optional(g.unit),
            position: None,
            wave,
        };
        if who.id.is_empty() {
            self.problems.push(Problem::at(
                line,
                header(g.respondent),
                "the respondent id is empty",
            ));
        }
        if who.role.is_empty() {
            self.problems
                .push(Problem::at(line, header(g.role), "the role is empty"));
        }
        if let Some(i) = g.position {
            let raw = text(i);
            if !raw.is_empty() {
                who.position = schema.position(raw);
                if who.position.is_none() {
                    self.problems.push(Problem::at(
                        line,
                        header(i),
                        format!("\"{raw}\" is not a position; expected leader or staff (leder or medarbejder), or map it in the codebook's [positions]"),
                    ));
                }
            }
        }
        if !self.roles.contains(who.role) {
            self.roles.insert(who.role.to_string());
        }
        who
    }
}

impl Normalizer<'_> {
    fn answer(&mut self, row: &Row, index: usize, scale: &Scale, reverse: bool) -> Option<f64> {
        let raw = &row.fields[index];
        match parse_answer(raw, scale, |r| self.schema.is_missing(self.settings, r)) {
            Ok(v) => v.map(|v| if reverse { 6.0 - v } else { v }),
            Err(msg) => {
                self.answer_problems.push(Problem::at(
                    row.line,
                    Some(&self.table.headers[index]),
                    msg,
                ));
                None
            }
        }
    }

    /// Reads the wide layout; returns the rows read and the respondents. The rows are read
    /// and their answers parsed on this thread while another fills `answers` with them, a
    /// block at a time in file order, so the answers are the same as from one thread.
    fn wide(
        &mut self,
        items: &[ItemColumn],
        answers: &mut AnswersBuilder,
    ) -> Result<(usize, usize), InputError> {
        let Normalizer {
            table,
            settings,
            schema,
            people,
            answer_problems,
            targets,
        } = self;
        let (table, settings, schema) = (*table, *settings, *schema);
        let questions: Vec<Asked> = items
            .iter()
            .map(|c| {
                answers.question(Question {
                    instrument: &c.instrument,
                    construct: &c.construct,
                    target: c.target.as_deref(),
                    item: c.item.as_deref(),
                })
            })
            .collect();
        let hint = table.rows_hint();
        answers.reserve(hint, &questions);
        let columns = &schema.grouping.columns();
        let (rows, respondents) = std::thread::scope(|scope| {
            // Made in the scope, so a panic here drops the sender and the filler stops.
            let (blocks, received) = std::sync::mpsc::sync_channel::<Block>(BLOCKS_IN_FLIGHT);
            let (spare, spares) = std::sync::mpsc::channel::<Block>();
            let filler = scope.spawn(move || {
                let mut seen = FirstLines::default();
                let width = columns.len() + 1;
                for block in received {
                    // Never empty: a wide table has answer columns.
                    let answered = block.values.chunks_exact(questions.len());
                    for (j, (&line, values)) in block.lines.iter().zip(answered).enumerate() {
                        let wave = block.waved.then(|| block.cell(j, width, columns.len()));
                        let cell = |i| {
                            let k = columns.iter().position(|&c| c == i);
                            block.cell(j, width, k.expect("a grouping column"))
                        };
                        let who = people.respondent(line, wave, cell);
                        let r = answers.respondent(SOURCE, &who);
                        if !who.id.is_empty() {
                            if let Some(first) = seen.see(answers, r, line) {
                                let column = &people.headers[schema.grouping.respondent];
                                people.problems.push(Problem::at(
                                    line,
                                    Some(column),
                                    format!(
                                        "respondent \"{}\" already has a row on line {first}",
                                        who.id
                                    ),
                                ));
                            }
                        }
                        for (&q, &v) in questions.iter().zip(values) {
                            answers.push(r, q, Some(v).filter(|v| !v.is_nan()));
                        }
                    }
                    let mut block = block;
                    block.clear();
                    // The reader may be done and gone: then the block is dropped here.
                    let _ = spare.send(block);
                }
                seen.len()
            });
            // Each column's few distinct cells ("1"–"5", "", "Ved ikke") parsed once.
            let mut memo: Vec<Memo> = vec![Memo::default(); items.len()];
            let mut block = Block::default();
            let read = table.each_row(|row| {
                block.push(row, columns);
                for (c, memo) in items.iter().zip(&mut memo) {
                    let raw = &row.fields[c.index];
                    let value = match memo.read(raw, |raw| {
                        parse_answer(raw, &c.scale, |r| schema.is_missing(settings, r))
                    }) {
                        Ok(v) => v.map(|v| if c.reverse { 6.0 - v } else { v }),
                        Err(msg) => {
                            answer_problems.push(Problem::at(
                                row.line,
                                Some(&table.headers[c.index]),
                                msg,
                            ));
                            None
                        }
                    };
                    block.values.push(value.unwrap_or(f64::NAN));
                }
                if block.lines.len() == BLOCK_ROWS {
                    let next = spares.try_recv().unwrap_or_default();
                    // Fails only when the filler has stopped, by a panic that `joined`
                    // passes on.
                    let _ = blocks.send(std::mem::replace(&mut block, next));
                }
            });
            if !block.lines.is_empty() {
                let _ = blocks.send(block);
            }
            drop(blocks);
            let respondents = crate::joined(filler);
            read.map(|rows| (rows, respondents))
        })?;
        targets.extend(
            items
                .iter()
                .filter(|c| c.instrument == RC)
                .filter_map(|c| c.target.clone()),
        );
        Ok((rows, respondents))
    }

    /// Reads the long layout; returns the rows read and the respondents.
    fn long(
        &mut self,
        [t, d, v]: [usize; 3],
        answers: &mut AnswersBuilder,
    ) -> Result<(usize, usize), InputError> {
        // Keyed by the id within its wave (`AnswersBuilder::id_holder`): who they are, and
        // their first line.
        let mut people: FxHashMap<usize, (Who, u64)> = FxHashMap::default();
        let mut asked: FxHashMap<(usize, String, &'static str), u64> = FxHashMap::default();
        let scales: HashMap<&str, Scale> = RC_DIMENSIONS
            .iter()
            .map(|(d, _)| (*d, labels::for_rc_dimension(d)))
            .collect();
        let table = self.table;
        let rows = table.each_row(|row| {
            let who = self.people.respondent(row.line, row.wave.as_deref(), |i| &row.fields[i]);
            let r = answers.respondent(SOURCE, &who);
            let key = answers.id_holder(r);
            match people.get(&key) {
                Some((first, line)) if *first != r => self.people.problems.push(Problem::at(
                    row.line,
                    None,
                    format!(
                        "respondent \"{}\" has other role or grouping values than on line {line}",
                        who.id
                    ),
                )),
                Some(_) => {}
                None => {
                    people.insert(key, (r, row.line));
                }
            }
            let target = row.fields[t].trim().to_string();
            if target.is_empty() {
                self.people.problems.push(Problem::at(
                    row.line,
                    Some(&self.table.headers[t]),
                    "the rated role is empty",
                ));
                return;
            }
            let raw_dim = row.fields[d].trim();
            let Some(dimension) = rc_dimension(raw_dim) else {
                self.people.problems.push(Problem::at(
                    row.line,
                    Some(&self.table.headers[d]),
                    format!(
                        "\"{raw_dim}\" is not a relational-coordination dimension; expected one of {}",
                        RC_DIMENSIONS.map(|(d, _)| d).join(", ")
                    ),
                ));
                return;
            };
            if let Some(first) = asked.insert((key, target.clone(), dimension), row.line) {
                self.people.problems.push(Problem::at(
                    row.line,
                    None,
                    format!(
                        "respondent \"{}\" already rated {dimension} of \"{target}\" on line {first}",
                        who.id
                    ),
                ));
            }
            let value = self.answer(row, v, &scales[dimension], false);
            let q = answers.question(Question {
                instrument: RC,
                construct: dimension,
                target: Some(&target),
                item: None,
            });
            answers.push(r, q, value);
            self.targets.insert(target);
        })?;
        Ok((rows, people.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{col, Answers};
    use crate::input::codebook;
    use crate::input::read::{parse_table, ReadOptions};
    use std::path::Path;

    fn table(text: &str) -> Table {
        parse_table(
            Path::new("staff.csv"),
            text.as_bytes(),
            ReadOptions::default(),
        )
        .unwrap()
    }

    fn run_with(text: &str, opts: StaffOptions<'_>) -> Result<(StaffFile, Answers), InputError> {
        let mut b = AnswersBuilder::default();
        let f = normalize(&table(text), &Settings::default(), opts, &mut b)?;
        Ok((f, b.finish().unwrap()))
    }

    fn run(text: &str) -> Result<(StaffFile, Answers), InputError> {
        run_with(text, StaffOptions::default())
    }

    fn values(a: &Answers) -> Vec<Option<f64>> {
        a.long()
            .unwrap()
            .column(col::VALUE)
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .collect()
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
        assert_eq!(values(&a), [Some(4.0), None, Some(5.0), Some(3.0)]);
        assert!(f.targets_without_raters.is_empty());
    }

    #[test]
    fn text_labels_are_read_by_dimension() {
        let (_, a) = run(
            "respondent,role,frequent:Læge,timely:Læge,problem_solving:Læge\n\
                          r1,Læge,Just the right amount,Ofte,Mostly blame\n",
        )
        .unwrap();
        assert_eq!(values(&a), [Some(5.0), Some(4.0), Some(2.0)]);
    }

    #[test]
    fn long_layout_is_read_and_checked_for_consistency() {
        let (f, a) = run("respondent,role,target,dimension,value\n\
                          r1,Læge,Sygeplejerske,timely,4\n\
                          r1,Læge,Sygeplejerske,Mutual respect,NA\n")
        .unwrap();
        assert_eq!(f.layout, Layout::Long);
        assert_eq!((f.rows, f.respondents), (2, 1));
        assert_eq!(a.long().unwrap().height(), 2);
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
        assert!(
            err.contains("staff.csv:3: column \"timely:Læge\": \"x\" is not a known answer label")
        );
    }

    #[test]
    fn rows_in_later_blocks_keep_their_answers_lines_and_waves() {
        // Blocks of rows go to another thread to fill the answers: rows past the first
        // block must come out as read on one thread, with their own lines.
        let rows = 3 * BLOCK_ROWS + 17;
        let mut text = String::from("respondent,role,unit,wave,timely:Læge,accurate:Læge\n");
        for i in 0..rows {
            let wave = if i % 3 == 0 { "2024" } else { "2025" };
            text.push_str(&format!(
                "r{i},Læge,u{},{wave},{},{}\n",
                i % 7,
                i % 5 + 1,
                (i + 2) % 5 + 1
            ));
        }
        let waved = |text: &str| {
            let mut t = table(text);
            t.wave_column(t.find("wave").unwrap());
            let mut b = AnswersBuilder::default();
            let f = normalize(&t, &Settings::default(), StaffOptions::default(), &mut b)?;
            Ok::<_, InputError>((f, b.finish().unwrap()))
        };
        let (file, answers) = waved(&text).unwrap();
        assert_eq!((file.rows, file.respondents), (rows, rows));
        let rc = answers.long().unwrap();
        assert_eq!(rc.height(), 2 * rows);
        let total: f64 = values(&answers).iter().flatten().sum();
        let expected: usize = (0..rows).map(|i| i % 5 + 1 + (i + 2) % 5 + 1).sum();
        assert_eq!(total, expected as f64);
        assert_eq!(answers.waves(&[]).unwrap(), ["2024", "2025"]);

        // A duplicate id and a bad answer far past the first block name their lines.
        let late = 2 * BLOCK_ROWS + 5;
        text.push_str(&format!("r{late},Læge,u1,2025,9,3\n"));
        let err = waved(&text).unwrap_err().to_string();
        let line = rows + 2;
        assert!(err.contains(&format!(
            "staff.csv:{line}: column \"respondent\": respondent \"r{late}\" already has a row on line {}",
            late + 2
        )), "{err}");
        assert!(
            err.contains(&format!(
                "staff.csv:{line}: column \"timely:Læge\": \"9\" is not an answer on the 1–5 scale"
            )),
            "{err}"
        );
    }

    #[test]
    fn lenient_reads_bad_answers_as_missing_and_records_them() {
        let opts = StaffOptions {
            lenient: true,
            ..Default::default()
        };
        let (f, a) = run_with(
            "respondent,role,timely:Læge,accurate:Læge\nr1,Læge,7,4\n",
            opts,
        )
        .unwrap();
        assert_eq!(values(&a), [None, Some(4.0)]);
        assert_eq!(f.problems.len(), 1);
        assert_eq!(f.problems[0].line, 2);
        assert_eq!(f.problems[0].column.as_deref(), Some("timely:Læge"));
        // Row-level problems still stop the run.
        assert!(run_with("respondent,role,timely:Læge\nr1,,4\n", opts).is_err());
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
        assert_eq!(parse_position("Leder"), Some("leader"));
        assert_eq!(parse_position("medarbejder"), Some("staff"));
        assert_eq!(parse_position(" EMPLOYEE "), Some("staff"));
        assert_eq!(parse_position("chef"), None);
        let err = run("respondent,role,position,timely:Læge\nr1,Læge,chef,4\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("staff.csv:2: column \"position\": \"chef\" is not a position"));
    }

    #[test]
    fn a_codebook_maps_columns_scales_missing_codes_positions_and_reversals() {
        let book = codebook::parse(
            Path::new("cb.toml"),
            r#"
missing = ["9"]
[columns]
respondent = "ID"
role = "Faggruppe"
position = "Stilling"
[positions]
"Chef" = "leader"
[scales.enig]
"Helt uenig" = 1
"Helt enig" = 5
[[items]]
column = "Q1"
instrument = "rc"
construct = "timely"
target = "Læge"
[[items]]
column = "Q2"
instrument = "trivsel"
construct = "tilfreds"
scale = "enig"
reverse = true
"#,
        )
        .unwrap();
        let opts = StaffOptions {
            codebook: Some(&book),
            lenient: false,
        };
        let (f, a) = run_with(
            "ID,Faggruppe,Stilling,Q1,Q2,Q3\nr1,Læge,Chef,9,Helt enig\nr2,Læge,,Altid,2\n"
                .replace("Helt enig\n", "Helt enig,x\n")
                .replace(",2\n", ",2,y\n")
                .as_str(),
            opts,
        )
        .unwrap();
        // Instrument by instrument, then row by row.
        assert_eq!(values(&a), [None, Some(5.0), Some(1.0), Some(4.0)]);
        assert_eq!(f.ignored_columns, ["Q3"]);
        assert!(f.has_position);
        let long = a.long().unwrap();
        let instruments: Vec<Option<&str>> = long
            .column(col::INSTRUMENT)
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(instruments, ["rc", "rc", "trivsel", "trivsel"].map(Some));

        let err = run_with("ID,Role,Q1,Q2\nr1,Læge,4,4\n", opts)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "cb.toml: columns.role names column \"Faggruppe\", which staff.csv does not have"
            ),
            "{err}"
        );
    }
}
