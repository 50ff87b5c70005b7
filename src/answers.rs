//! The canonical answers every analysis reads: one sheet per instrument.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use polars::prelude::*;

use crate::texts::Texts;

/// Column names of the Answers sheets and of `Answers::long`.
pub mod col {
    pub const SOURCE: &str = "source";
    pub const RESPONDENT: &str = "respondent";
    pub const MUNICIPALITY: &str = "municipality";
    pub const UNIT: &str = "unit";
    pub const ROLE: &str = "role";
    pub const POSITION: &str = "position";
    pub const INSTRUMENT: &str = "instrument";
    pub const CONSTRUCT: &str = "construct";
    pub const TARGET: &str = "target";
    pub const ITEM: &str = "item";
    pub const VALUE: &str = "value";
    pub const WAVE: &str = "wave";
    /// A sheet's row's respondent: a row of [`super::Answers`]'s people (see
    /// [`super::Answers::take_rows`]).
    pub const PERSON: &str = "person";
}

/// Who answered: the respondent and the grouping columns that travel with every answer,
/// borrowed from the row being read (the builder keeps each string once).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Respondent<'a> {
    pub id: &'a str,
    pub role: &'a str,
    pub municipality: Option<&'a str>,
    pub unit: Option<&'a str>,
    /// "leader" or "staff", when the export has a position column.
    pub position: Option<&'a str>,
    /// The survey wave (a year, a date or a label), when the inputs have waves.
    pub wave: Option<&'a str>,
}

/// The canonical answers: one sheet per instrument, one row per respondent and rated target,
/// one value column per question of the instrument (null = missing or not asked): UInt8
/// where every answer to the question is a whole number from 0 to 255, else Float64. A
/// measure reads them as floats through [`Answers::spread`].
///
/// A measure reads a sheet with the coded columns source, respondent, municipality, unit,
/// role, position, wave and target — each a UInt32 code into [`Names`] — followed by its
/// value columns. Codes are numbered in the sort order of their strings, so sorting or
/// grouping by a code gives the same order as by the text. A sheet holds what the long
/// table of one row per answer held, without repeating who answered on every answer: at
/// national scale that repetition was most of the memory and every measure's first step
/// was to spread it back. Nor does it repeat the respondent's seven codes on each of their
/// rows: a row holds its person, a row of `people`, and its target, and the seven are
/// gathered from `people` when a measure reads the sheet (a staff member rates some seven
/// roles, so the RC sheet held each person's codes seven times, 200 MB at national scale).
#[derive(Debug, Clone, Default)]
pub struct Answers {
    sheets: BTreeMap<String, Sheet>,
    pub names: Names,
    /// The coded columns of [`PEOPLE`], a row a person.
    people: DataFrame,
}

/// The answers to one instrument.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// The columns person (a row of the people, never null) and target, then the value
    /// columns.
    pub df: DataFrame,
    /// The question (construct, item) behind each value column, in the order first asked.
    pub questions: Vec<(String, Option<String>)>,
}

/// The coded columns of every sheet, in order.
pub const CODED: [&str; 8] = [
    col::SOURCE,
    col::RESPONDENT,
    col::MUNICIPALITY,
    col::UNIT,
    col::ROLE,
    col::POSITION,
    col::WAVE,
    col::TARGET,
];

/// The coded columns of a person, in order: those of [`CODED`] but the target, its last.
pub const PEOPLE: &[&str] = CODED.split_at(CODED.len() - 1).0;

/// Which answers of an instrument one column of [`Answers::spread`] holds.
#[derive(Debug, Clone, Copy)]
pub enum Pick<'a> {
    /// Every question of a construct (a dimension's items are averaged).
    Construct(&'a str),
    /// Every question with this item name.
    Item(&'a str),
    /// One question.
    Question(&'a str, Option<&'a str>),
}

impl Pick<'_> {
    fn takes(&self, construct: &str, item: Option<&str>) -> bool {
        match *self {
            Pick::Construct(c) => c == construct,
            Pick::Item(i) => item == Some(i),
            Pick::Question(c, i) => c == construct && i == item,
        }
    }
}

/// The mean of the non-null columns `dims` of a row, or null when fewer than `min` are set.
pub fn mean_if_enough(dims: &[&str], min: usize) -> PolarsResult<Expr> {
    let answered: Vec<Expr> = dims
        .iter()
        .map(|d| col(*d).is_not_null().cast(DataType::Float64))
        .collect();
    // As floats: a sum of byte columns would wrap.
    let values: Vec<Expr> = dims
        .iter()
        .map(|d| col(*d).cast(DataType::Float64))
        .collect();
    let count = polars::lazy::dsl::sum_horizontal(answered, true)?;
    let sum = polars::lazy::dsl::sum_horizontal(values, true)?;
    Ok(when(count.clone().gt_eq(lit(min as f64)))
        .then(sum / count)
        .otherwise(lit(NULL)))
}

/// For each `(name, pick)`, the column `name` of [`Answers::spread`]: the mean of the
/// picked answers of a row, or with `floats` false, a picked question as it is stored.
fn picked(sheet: &Sheet, picks: &[(&str, Pick<'_>)], floats: bool) -> PolarsResult<Vec<Expr>> {
    picks
        .iter()
        .map(|(name, pick)| {
            let taken = sheet.taken(pick);
            let e = match taken.as_slice() {
                [] => lit(NULL).cast(DataType::Float64),
                [one] if floats => polars::prelude::col(one.as_str()).cast(DataType::Float64),
                [one] => polars::prelude::col(one.as_str()),
                many => {
                    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
                    mean_if_enough(&refs, 1)?
                }
            };
            Ok(e.alias(*name))
        })
        .collect()
}

impl Sheet {
    /// The names of the value columns `pick` takes, in the order first asked.
    fn taken(&self, pick: &Pick<'_>) -> Vec<String> {
        self.questions
            .iter()
            .enumerate()
            .filter(|(_, (c, i))| pick.takes(c, i.as_deref()))
            .map(|(k, _)| value_col(k))
            .collect()
    }
}

/// The name of a sheet's `i`th value column.
fn value_col(i: usize) -> String {
    format!("v{i}")
}

impl Answers {
    /// Whether any respondent answered `instrument`.
    pub fn has(&self, instrument: &str) -> bool {
        self.sheets
            .get(instrument)
            .is_some_and(|s| s.df.height() > 0)
    }

    /// The questions of `instrument`, in the order first asked.
    pub fn questions(&self, instrument: &str) -> &[(String, Option<String>)] {
        self.sheets
            .get(instrument)
            .map_or(&[], |s| s.questions.as_slice())
    }

    /// The rows of `instrument` with the coded columns and, for each `(name, pick)`, a
    /// column `name` with the mean of the picked answers of the row (null when none of them
    /// is answered; in practice a pick names one question, or a dimension's items). Every
    /// row that answered the instrument at all is kept, even when all its picks are null.
    pub fn spread(&self, instrument: &str, picks: &[(&str, Pick<'_>)]) -> PolarsResult<LazyFrame> {
        self.spread_as(instrument, picks, true)
    }

    /// Like [`Answers::spread`], but a column that picks one question keeps the type it is
    /// stored in: UInt8 where every answer is a whole number from 0 to 255, which is what
    /// surveys hold, else Float64. At national scale the RC answers are tens of millions of
    /// cells, a byte each here and eight as floats.
    pub fn spread_compact(
        &self,
        instrument: &str,
        picks: &[(&str, Pick<'_>)],
    ) -> PolarsResult<LazyFrame> {
        self.spread_as(instrument, picks, false)
    }

    /// The rows of `instrument` as [`Answers::spread_compact`] gives them, but with the
    /// columns person and target where that has the eight coded columns, and the people
    /// whose rows the person column gives (see [`Answers`]): for a measure that gathers its
    /// rows anyway, and then gathers the people's codes once, in its own order. The sheet
    /// is taken out of the answers: for a measure that is its only reader, which then frees
    /// it as soon as it is done with it (at national scale the RC sheet is hundreds of
    /// megabytes).
    pub fn take_rows(
        &mut self,
        instrument: &str,
        picks: &[(&str, Pick<'_>)],
    ) -> PolarsResult<(LazyFrame, DataFrame)> {
        let people = self.people.clone();
        let Some(sheet) = self.sheets.remove(instrument) else {
            let mut columns = vec![
                Column::new_empty(col::PERSON.into(), &DataType::UInt32),
                Column::new_empty(col::TARGET.into(), &DataType::UInt32),
            ];
            columns.extend(
                picks
                    .iter()
                    .map(|(n, _)| Column::new_empty((*n).into(), &DataType::Float64)),
            );
            return Ok((DataFrame::new(0, columns)?.lazy(), people));
        };
        let mut exprs = vec![
            polars::prelude::col(col::PERSON),
            polars::prelude::col(col::TARGET),
        ];
        exprs.extend(picked(&sheet, picks, false)?);
        Ok((sheet.df.lazy().select(exprs), people))
    }

    /// The sheet of `instrument` as stored, with the people its person column points
    /// into, and for each pick the names of the sheet's value columns it takes (in the
    /// order asked): for a measure that reads the answers in place rather than through
    /// [`Answers::spread`], whose copies of every column as floats were hundreds of
    /// megabytes at national scale. `None` when the answers hold no sheet of it.
    pub fn in_place(
        &self,
        instrument: &str,
        picks: &[Pick<'_>],
    ) -> Option<(&Sheet, &DataFrame, Vec<Vec<String>>)> {
        let sheet = self.sheets.get(instrument)?;
        let taken = picks.iter().map(|pick| sheet.taken(pick)).collect();
        Some((sheet, &self.people, taken))
    }

    /// The sheet's coded columns ([`CODED`], in order), the people's gathered by each
    /// row's person, a column a task.
    fn coded_of(&self, sheet: &Sheet) -> PolarsResult<Vec<Column>> {
        let person = sheet.df.column(col::PERSON)?.u32()?;
        let mut columns: Vec<Column> = PEOPLE
            .par_iter()
            .map(|c| self.people.column(c)?.take(person))
            .collect::<PolarsResult<_>>()?;
        columns.push(sheet.df.column(col::TARGET)?.clone());
        Ok(columns)
    }

    /// The sheet with its coded columns ([`Answers::coded_of`]) in place of person and
    /// target, then its value columns.
    fn spread_out(&self, sheet: &Sheet) -> PolarsResult<DataFrame> {
        let mut columns = self.coded_of(sheet)?;
        columns.extend(sheet.df.columns()[2..].iter().cloned());
        DataFrame::new(sheet.df.height(), columns)
    }

    fn spread_as(
        &self,
        instrument: &str,
        picks: &[(&str, Pick<'_>)],
        floats: bool,
    ) -> PolarsResult<LazyFrame> {
        let Some(sheet) = self.sheets.get(instrument) else {
            let mut columns: Vec<Column> = CODED
                .iter()
                .map(|c| Column::new_empty((*c).into(), &DataType::UInt32))
                .collect();
            columns.extend(
                picks
                    .iter()
                    .map(|(n, _)| Column::new_empty((*n).into(), &DataType::Float64)),
            );
            return Ok(DataFrame::new(0, columns)?.lazy());
        };
        let mut exprs: Vec<Expr> = CODED.iter().map(|c| polars::prelude::col(*c)).collect();
        exprs.extend(picked(sheet, picks, floats)?);
        Ok(self.spread_out(sheet)?.lazy().select(exprs))
    }

    /// The wave labels present, in their order: as `order` gives them (the order the
    /// labelled files were named in), then any others by label — numerically when every
    /// label is a number, else as text (ISO dates sort by time).
    pub fn waves(&self, order: &[String]) -> PolarsResult<Vec<String>> {
        let mut codes: Vec<u32> = Vec::new();
        for sheet in self.sheets.values() {
            let person = sheet.df.column(col::PERSON)?.u32()?;
            let present = self
                .people
                .column(col::WAVE)?
                .take(person)?
                .as_materialized_series()
                .drop_nulls()
                .unique()?;
            codes.extend(present.u32()?.into_no_null_iter());
        }
        codes.sort_unstable();
        codes.dedup();
        let mut labels: Vec<String> = codes
            .into_iter()
            .map(|c| self.names.name(c).to_string())
            .collect();
        let numeric: Option<Vec<f64>> = labels.iter().map(|l| l.trim().parse().ok()).collect();
        match numeric {
            Some(_) => labels.sort_by(|x, y| {
                let (a, b): (f64, f64) = (
                    x.trim().parse().unwrap_or(0.0),
                    y.trim().parse().unwrap_or(0.0),
                );
                a.total_cmp(&b).then_with(|| x.cmp(y))
            }),
            None => labels.sort(),
        }
        let mut out: Vec<String> = Vec::new();
        for w in order {
            if labels.contains(w) && !out.contains(w) {
                out.push(w.clone());
            }
        }
        for l in labels {
            if !out.contains(&l) {
                out.push(l);
            }
        }
        Ok(out)
    }

    /// Frees the sheets and the people, keeping the names: for when no measure reads the
    /// answers any more but the names are still looked up.
    pub fn free_tables(&mut self) {
        self.sheets.clear();
        self.people = DataFrame::empty();
    }

    /// The dictionary of names alone, the sheets dropped.
    pub fn into_names(self) -> Names {
        self.names
    }

    /// The answers of one wave, with the same names.
    pub fn only_wave(&self, label: &str) -> PolarsResult<Answers> {
        let mut sheets = BTreeMap::new();
        for (instrument, sheet) in &self.sheets {
            // The wave of each row's person; filtered eagerly, so the columns stay in one
            // chunk.
            let person = sheet.df.column(col::PERSON)?.u32()?;
            let wave = self.people.column(col::WAVE)?.take(person)?;
            let keep = match self.names.code(label) {
                Some(code) => wave.u32()?.equal(code),
                None => BooleanChunked::full(PlSmallStr::EMPTY, false, wave.len()),
            };
            let df = sheet.df.filter(&keep)?;
            sheets.insert(
                instrument.clone(),
                Sheet {
                    df,
                    questions: sheet.questions.clone(),
                },
            );
        }
        Ok(Answers {
            sheets,
            names: self.names.clone(),
            people: self.people.clone(),
        })
    }

    /// The answers as one long table, one row per answer cell of every sheet (a question
    /// the row was not asked reads as missing), with the coded columns plus instrument,
    /// construct and item as text and value: for tests and inspection, not for measures.
    pub fn long(&self) -> PolarsResult<DataFrame> {
        let mut out = DataFrame::empty();
        for (instrument, sheet) in &self.sheets {
            let df = self.spread_out(sheet)?;
            let mut cells: Option<DataFrame> = None;
            for (k, (construct, item)) in sheet.questions.iter().enumerate() {
                let mut exprs: Vec<Expr> = CODED.iter().map(|c| polars::prelude::col(*c)).collect();
                exprs.push(lit(instrument.as_str()).alias(col::INSTRUMENT));
                exprs.push(lit(construct.as_str()).alias(col::CONSTRUCT));
                exprs.push(match item {
                    Some(i) => lit(i.as_str()).alias(col::ITEM),
                    None => lit(NULL).cast(DataType::String).alias(col::ITEM),
                });
                exprs.push(
                    polars::prelude::col(value_col(k).as_str())
                        .cast(DataType::Float64)
                        .alias(col::VALUE),
                );
                let part = df
                    .clone()
                    .lazy()
                    .select(exprs)
                    .with_row_index("row", None)
                    .with_columns([lit(k as u32).alias("question")])
                    .collect()?;
                match &mut cells {
                    Some(c) => {
                        c.vstack_mut(&part)?;
                    }
                    None => cells = Some(part),
                }
            }
            let Some(cells) = cells else { continue };
            // Row by row, each row's questions in the order asked.
            let sorted = cells
                .lazy()
                .sort(["row", "question"], SortMultipleOptions::default())
                .select(
                    CODED
                        .iter()
                        .chain(&[col::INSTRUMENT, col::CONSTRUCT, col::ITEM, col::VALUE])
                        .map(|c| polars::prelude::col(*c))
                        .collect::<Vec<_>>(),
                )
                .collect()?;
            if out.width() == 0 {
                out = sorted;
            } else {
                out.vstack_mut(&sorted)?;
            }
        }
        Ok(out)
    }
}

/// The strings behind the codes of the Answers, sorted; a code is an index. They are the
/// builder's texts, held end to end in one string as [`Texts`] holds them (at national
/// scale two million ids, an allocation each as separate strings), and shared with the
/// audit's ids ([`crate::audit::Ids`]), with the order that sorts them: a sorted copy was
/// another thirty megabytes held the whole run.
#[derive(Debug, Clone, Default)]
pub struct Names {
    texts: Arc<Texts>,
    /// The text of each code.
    order: Arc<[u32]>,
}

impl PartialEq for Names {
    fn eq(&self, other: &Self) -> bool {
        self.order.len() == other.order.len()
            && (0..self.order.len() as u32).all(|c| self.name(c) == other.name(c))
    }
}

impl Eq for Names {}

impl Names {
    /// The texts in the order `order` gives them (which must sort them).
    fn sorted(texts: Arc<Texts>, order: Vec<u32>) -> Self {
        Names {
            texts,
            order: order.into(),
        }
    }

    /// The code of `text`, when any answer uses it.
    pub fn code(&self, text: &str) -> Option<u32> {
        let (mut low, mut high) = (0, self.order.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.name(mid as u32).cmp(text) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid as u32),
            }
        }
        None
    }

    pub fn name(&self, code: u32) -> &str {
        self.texts.get(self.order[code as usize])
    }

    /// An expression that is true where `column` holds `text` (never, when no answer does).
    pub fn is(&self, column: &str, text: &str) -> Expr {
        match self.code(text) {
            Some(c) => polars::prelude::col(column).eq(lit(c)),
            None => lit(false),
        }
    }

    /// The strings of a coded column of `df` (a table derived from the Answers).
    pub fn strings(&self, df: &DataFrame, column: &str) -> PolarsResult<Vec<Option<String>>> {
        let c = df.column(column)?.cast(&DataType::UInt32)?;
        Ok(c.u32()?
            .iter()
            .map(|v| v.map(|c| self.name(c).to_string()))
            .collect())
    }
}

/// A person's codes of source, respondent, municipality, unit, role, position and wave,
/// [`NO_CODE`] for none: half the memory of seven options, at national scale two million
/// people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Person([u32; 7]);

impl Person {
    fn new(codes: [Option<u32>; 7]) -> Self {
        Person(codes.map(|c| c.unwrap_or(NO_CODE)))
    }

    /// The `k`th code, if any.
    fn get(&self, k: usize) -> Option<u32> {
        let c = self.0[k];
        (c != NO_CODE).then_some(c)
    }

    /// Each code put through `f`; none stays none.
    fn map(self, f: impl Fn(u32) -> u32) -> Self {
        Person(self.0.map(|c| if c == NO_CODE { c } else { f(c) }))
    }
}

/// A respondent registered with [`AnswersBuilder::respondent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Who(u32);

/// A question registered with [`AnswersBuilder::question`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asked(u32);

/// The code of a cell never written, and of a written missing answer; a value's code is
/// its level's index plus [`FIRST_LEVEL`].
const UNSET: u8 = 0;
const MISSING: u8 = 1;
const FIRST_LEVEL: u8 = 2;
/// How many distinct values a column keeps as codes before it holds f64s: survey answers
/// take a handful of values, and a byte per cell is an eighth of what an f64 takes.
const MAX_LEVELS: usize = 64;

/// The cells of one value column while it is being filled.
#[derive(Debug)]
enum Cells {
    /// A byte per cell: [`UNSET`], [`MISSING`] or a level's code; `known[b]` is the code of
    /// the whole number `b` once it is a level (0 before), so most answers find their code
    /// without being compared with every level.
    Coded {
        codes: Vec<u8>,
        levels: Vec<f64>,
        known: Box<[u8; 256]>,
    },
    /// An f64 per cell (a column with many distinct values): never written is infinity,
    /// missing is NaN.
    Full(Vec<f64>),
}

impl Cells {
    fn unset(rows: usize) -> Self {
        Cells::Coded {
            codes: vec![UNSET; rows],
            levels: Vec::new(),
            known: Box::new([0; 256]),
        }
    }

    fn push_unset(&mut self) {
        match self {
            Cells::Coded { codes, .. } => codes.push(UNSET),
            Cells::Full(v) => v.push(f64::INFINITY),
        }
    }

    fn reserve(&mut self, rows: usize) {
        match self {
            Cells::Coded { codes, .. } => codes.reserve(rows),
            Cells::Full(v) => v.reserve(rows),
        }
    }

    /// Writes a cell (`None` = missing, never a value that is not finite); says whether it
    /// had been written before.
    fn set(&mut self, row: usize, value: Option<f64>) -> bool {
        match self {
            Cells::Coded {
                codes,
                levels,
                known,
            } => {
                let code = match value {
                    None => MISSING,
                    Some(v) if is_byte(v) && known[v as usize] != 0 => known[v as usize],
                    Some(v) => match level_of(levels, v) {
                        Some(i) => i as u8 + FIRST_LEVEL,
                        None if levels.len() < MAX_LEVELS => {
                            levels.push(v);
                            let code = (levels.len() - 1) as u8 + FIRST_LEVEL;
                            if is_byte(v) {
                                known[v as usize] = code;
                            }
                            code
                        }
                        None => {
                            *self = Cells::Full(self.decoded());
                            return self.set(row, value);
                        }
                    },
                };
                let before = codes[row];
                codes[row] = code;
                before != UNSET
            }
            Cells::Full(v) => {
                let before = v[row];
                v[row] = value.unwrap_or(f64::NAN);
                before != f64::INFINITY
            }
        }
    }

    /// The answer a code stands for; none for a cell never written or missing (and for a
    /// code no level has).
    fn level(levels: &[f64], code: u8) -> Option<f64> {
        let i = code.checked_sub(FIRST_LEVEL)?;
        levels.get(i as usize).copied()
    }

    /// The cells as f64: never written is infinity, missing is NaN.
    fn decoded(&self) -> Vec<f64> {
        match self {
            Cells::Coded { codes, levels, .. } => codes
                .iter()
                .map(|&c| match Cells::level(levels, c) {
                    Some(v) => v,
                    None if c == UNSET => f64::INFINITY,
                    None => f64::NAN,
                })
                .collect(),
            Cells::Full(v) => v.clone(),
        }
    }

    /// The column of answers: null where never written or missing.
    fn into_column(self, name: &str) -> Column {
        let ca: Float64Chunked = match self {
            Cells::Coded { codes, levels, .. } => {
                // Every code's answer, looked up by table; 0 under a null, as polars has it.
                let answer: [Option<f64>; 256] =
                    std::array::from_fn(|c| Cells::level(&levels, c as u8));
                let valid = mask(codes.iter().map(|&c| answer[c as usize].is_some()));
                if levels.iter().all(|&l| is_byte(l)) {
                    let byte = answer.map(|a| a.map_or(0, |v| v as u8));
                    let values = codes.iter().map(|&c| byte[c as usize]).collect();
                    return with_mask::<UInt8Type>(name, values, valid).into_column();
                }
                let values = codes.iter().map(|&c| answer[c as usize].unwrap_or(0.0));
                with_mask(name, values.collect(), valid)
            }
            Cells::Full(v) => {
                let valid = mask(v.iter().map(|x| x.is_finite()));
                let values = v.into_iter().map(|x| if x.is_finite() { x } else { 0.0 });
                with_mask(name, values.collect(), valid)
            }
        };
        Column::from(ca.into_series())
    }
}

/// Whether `v` is a whole number from 0 to 255, which a byte holds exactly (not -0.0).
fn is_byte(v: f64) -> bool {
    (v as u8 as f64).to_bits() == v.to_bits()
}

/// The index of `v` among `levels`. Every level is compared, with no early exit: the
/// loop then runs as often for every cell of a column, where stopping at the match
/// mispredicted a branch on most cells (answers 1–5 come in no order).
fn level_of(levels: &[f64], v: f64) -> Option<usize> {
    let bits = v.to_bits();
    let mut found = usize::MAX;
    for (i, l) in levels.iter().enumerate() {
        if l.to_bits() == bits {
            found = i;
        }
    }
    (found != usize::MAX).then_some(found)
}

/// The first eight bytes of `text` as a big-endian number, zero-padded: ordering by it and
/// then by the text is ordering by the text.
fn first_bytes(text: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = text.len().min(8);
    b[..n].copy_from_slice(&text.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// Where values are valid; none when all are. Columns are built from whole vectors: a
/// value at a time took seconds at national scale.
pub(crate) fn mask(valid: impl Iterator<Item = bool> + Clone) -> Option<BooleanChunked> {
    if valid.clone().all(|v| v) {
        None
    } else {
        Some(BooleanChunked::from_iter_values(PlSmallStr::EMPTY, valid))
    }
}

/// `values` as a column, null where `valid` is false.
pub(crate) fn with_mask<T: PolarsNumericType>(
    name: &str,
    values: Vec<T::Native>,
    valid: Option<BooleanChunked>,
) -> ChunkedArray<T> {
    let validity = valid.and_then(|m| m.downcast_iter().next().map(|a| a.values().clone()));
    ChunkedArray::from_vec_validity(name.into(), values, validity)
}

/// A column of codes, [`NO_CODE`] for none (and 0 under the null).
fn coded(name: &str, mut codes: Vec<u32>) -> Column {
    let valid = mask(codes.iter().map(|&c| c != NO_CODE));
    if valid.is_some() {
        for c in codes.iter_mut().filter(|c| **c == NO_CODE) {
            *c = 0;
        }
    }
    Column::from(with_mask::<UInt32Type>(name, codes, valid).into_series())
}

/// No name: a null in a column of codes. There are never that many names.
const NO_CODE: u32 = u32::MAX;

/// No row: the end of a person's list of rows.
const NONE: u32 = u32::MAX;

/// One instrument's sheet while it is being filled.
#[derive(Debug, Default)]
struct SheetBuilder {
    /// (person, target) of each row, in the order first answered; [`NO_CODE`] for no
    /// target (two thirds of the memory of an option, at national scale millions of rows).
    rows: Vec<(u32, u32)>,
    /// Each person's latest row, and each row's previous row of the same person: a person
    /// has a handful of rows, so finding one walks a few steps and never hashes.
    latest: Vec<u32>,
    previous: Vec<u32>,
    /// (construct, item) of each value column.
    questions: Vec<[Option<u32>; 2]>,
    /// Column-major values: `values[question][row]`.
    values: Vec<Cells>,
    /// The last row found: (person, target, row). A wide file's columns come a target at a
    /// time, so most answers land in the row of the one before.
    last: Option<(u32, Option<u32>, u32)>,
}

impl SheetBuilder {
    fn row(&mut self, person: u32, target: Option<u32>) -> usize {
        if let Some((p, t, r)) = self.last {
            if p == person && t == target {
                return r as usize;
            }
        }
        let r = self.find_or_add(person, target);
        self.last = Some((person, target, r as u32));
        r
    }

    fn find_or_add(&mut self, person: u32, target: Option<u32>) -> usize {
        let p = person as usize;
        if p >= self.latest.len() {
            self.latest.resize(p + 1, NONE);
        }
        let target = target.unwrap_or(NO_CODE);
        let mut r = self.latest[p];
        while r != NONE {
            if self.rows[r as usize].1 == target {
                return r as usize;
            }
            r = self.previous[r as usize];
        }
        let r = self.rows.len();
        self.rows.push((person, target));
        self.previous.push(self.latest[p]);
        self.latest[p] = r as u32;
        for v in &mut self.values {
            v.push_unset();
        }
        r
    }
}

/// Collects answers and turns them into [`Answers`]. Every string is interned once; an
/// answer costs a look-up of its row and, mostly, one byte (see `Cells`).
#[derive(Debug, Default)]
pub struct AnswersBuilder {
    /// Every text, numbered: names, ids, roles, ...
    names: Texts,
    /// Every person registered, by number.
    people: Vec<Person>,
    /// The first person of each (source, id, wave), found by the id's code: one id must be
    /// one person within a wave. `with_id[id]` is the last first person registered with
    /// that id ([`NONE`] for none), and `with_same_id[p]` the one before person `p` (a
    /// person not first with their source, id and wave is in no chain). An id has one first
    /// person per source and wave, so a chain is a step or two, where a hash table of the
    /// three codes was a hundred megabytes at national scale and a hash an answer.
    with_id: Vec<u32>,
    with_same_id: Vec<u32>,
    /// How many people are in the chains (or in none, being no one's first); the people
    /// of builders taken in by [`AnswersBuilder::append`] go in when another respondent is
    /// registered. Their sources are new here, so none of their ids is already held. At
    /// national scale a million citizen ids, which after the reading no one looks up.
    chained: usize,
    /// The first person with each person's source, id and wave: the person, but for one
    /// whose id was taken (see `others`).
    holders: Vec<u32>,
    /// Room for people and names of builders to be taken in later (see
    /// [`AnswersBuilder::keep_room_for`]), made by the next [`AnswersBuilder::reserve`].
    later: usize,
    /// The other people with an id already taken in its wave (an error, reported by
    /// [`AnswersBuilder::id_clash`]; kept so each still answers as one person).
    others: FxHashMap<Person, u32>,
    /// The last text and code of each grouping field: consecutive rows mostly share their
    /// source, municipality, unit, role, position and wave.
    last: [Option<(String, u32)>; 7],
    /// The first id given to two people (different role or grouping): (first, second).
    clash: Option<(u32, u32)>,
    sheets: Vec<SheetBuilder>,
    /// The instrument of each sheet.
    instruments: Vec<u32>,
    /// The sheet, value column and target of each question.
    questions: Vec<(u32, u32, Option<u32>)>,
    question_index: FxHashMap<[Option<u32>; 4], u32>,
    answers: usize,
    missing: usize,
    /// The first cell answered twice: (person, question).
    twice: Option<(u32, u32)>,
}

/// The line of each respondent's first row in one file, by [`AnswersBuilder::id_holder`]:
/// a list, where a hash map of the ids cost a random memory access a row.
#[derive(Debug, Default)]
pub struct FirstLines {
    /// 0 where the respondent has no row yet; lines count from 1.
    lines: Vec<u64>,
    count: usize,
}

impl FirstLines {
    /// Records that `who` has a row on `line`; the line of their first row when they had
    /// one before.
    pub fn see(&mut self, answers: &AnswersBuilder, who: Who, line: u64) -> Option<u64> {
        let h = answers.id_holder(who);
        if h >= self.lines.len() {
            self.lines.resize((h + 1).max(answers.people.len()), 0);
        }
        match self.lines[h] {
            0 => {
                self.lines[h] = line;
                self.count += 1;
                None
            }
            first => Some(first),
        }
    }

    /// How many respondents have a row.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// What one answer is about.
#[derive(Debug, Clone, Copy)]
pub struct Question<'a> {
    pub instrument: &'a str,
    pub construct: &'a str,
    pub target: Option<&'a str>,
    pub item: Option<&'a str>,
}

impl AnswersBuilder {
    fn intern(&mut self, text: &str) -> u32 {
        self.names.add(text).0
    }

    /// Makes room for `more` respondents who each may answer every question of `asked`, so
    /// the tables grow once rather than by doubling: at national scale, every doubling of a
    /// sheet's columns copied them and touched twice the memory they end up using.
    pub fn reserve(&mut self, more: usize, asked: &[Asked]) {
        // The room for later is an estimate: when the system will not give it, it is
        // left out.
        let with_later = more.saturating_add(std::mem::take(&mut self.later));
        if self.people.try_reserve(with_later).is_err() {
            self.people.reserve(more);
        }
        if self.holders.try_reserve(with_later).is_err() {
            self.holders.reserve(more);
        }
        if self.with_same_id.try_reserve(with_later).is_err() {
            self.with_same_id.reserve(more);
        }
        if !self.names.try_reserve(with_later) {
            self.names.reserve(more);
        }
        // Every respondent's id may be a new name.
        if self.with_id.try_reserve(with_later).is_err() {
            self.with_id.reserve(more);
        }
        // A respondent has one row per rated target of each sheet.
        let mut targets: Vec<(u32, Option<u32>)> = asked
            .iter()
            .map(|q| {
                let (sheet, _, target) = self.questions[q.0 as usize];
                (sheet, target)
            })
            .collect();
        targets.sort_unstable();
        targets.dedup();
        for (sheet, sb) in self.sheets.iter_mut().enumerate() {
            let rows = more * targets.iter().filter(|t| t.0 == sheet as u32).count();
            sb.rows.reserve(rows);
            sb.previous.reserve(rows);
            for v in &mut sb.values {
                v.reserve(rows);
            }
        }
    }

    /// Keeps room, at the next [`AnswersBuilder::reserve`], for about `later` people (and
    /// their names) of builders taken in after this one is filled: at national scale a
    /// million citizens, whose taking in grew the list of people and the table of names
    /// to twice their size, copying one and hashing every name of the other again. Room
    /// not used is address space, never touched.
    pub fn keep_room_for(&mut self, later: usize) {
        self.later = later;
    }

    /// Registers who answered; the same respondent gives the same handle.
    pub fn respondent(&mut self, source: &str, who: &Respondent<'_>) -> Who {
        if self.chained < self.people.len() {
            self.chain_appended();
        }
        let person = Person::new([
            Some(self.intern_as_last(0, source)),
            Some(self.intern(who.id)),
            who.municipality.map(|m| self.intern_as_last(2, m)),
            who.unit.map(|u| self.intern_as_last(3, u)),
            Some(self.intern_as_last(4, who.role)),
            who.position.map(|p| self.intern_as_last(5, p)),
            who.wave.map(|w| self.intern_as_last(6, w)),
        ]);
        let first = self.first_with(&person);
        if let Some(p) = first.filter(|&p| self.people[p as usize] == person) {
            return Who(p);
        }
        if let Some(&p) = self.others.get(&person) {
            return Who(p);
        }
        let p = self.people.len() as u32;
        self.people.push(person);
        self.holders.push(first.unwrap_or(p));
        self.with_same_id.push(NONE);
        match first {
            Some(first) => {
                self.clash.get_or_insert((first, p));
                self.others.insert(person, p);
            }
            None => self.chain(p),
        }
        self.chained = self.people.len();
        Who(p)
    }

    /// The first person registered with the source, id and wave of `person`.
    fn first_with(&self, person: &Person) -> Option<u32> {
        let id = person.0[1] as usize;
        let mut p = self.with_id.get(id).copied().unwrap_or(NONE);
        while p != NONE {
            let q = &self.people[p as usize];
            if q.0[0] == person.0[0] && q.0[6] == person.0[6] {
                return Some(p);
            }
            p = self.with_same_id[p as usize];
        }
        None
    }

    /// Puts person `p`, the first with their source, id and wave, at the head of their id's
    /// chain.
    fn chain(&mut self, p: u32) {
        let id = self.people[p as usize].0[1] as usize;
        if id >= self.with_id.len() {
            self.with_id.resize(id + 1, NONE);
        }
        self.with_same_id[p as usize] = self.with_id[id];
        self.with_id[id] = p;
    }

    /// Puts the people of the builders taken in, each the first with their source, id and
    /// wave, in the chains.
    fn chain_appended(&mut self) {
        self.with_same_id.resize(self.people.len(), NONE);
        for p in self.chained..self.people.len() {
            if self.holders[p] == p as u32 {
                self.chain(p as u32);
            }
        }
        self.chained = self.people.len();
    }

    /// Takes in `other`, filled from other files on another thread: its names, people,
    /// sheets and questions follow this builder's, as if its files had been read after
    /// this one's. Its instruments must be new here (`Err` names one that is not, and
    /// nothing is taken in), and so must its sources: each kind of file has its own.
    pub fn append(&mut self, other: AnswersBuilder) -> Result<(), String> {
        for &i in &other.instruments {
            let name = other.names.get(i);
            if let Some(c) = self.names.find(name) {
                if self.instruments.contains(&c) {
                    return Err(format!(
                        "the instrument \"{name}\" is read from two kinds of file"
                    ));
                }
            }
        }
        // Room for all of them at once (at national scale a million citizen ids), so the
        // tables grow once.
        self.names.reserve(other.names.len());
        let code: Vec<u32> = other.names.iter().map(|n| self.intern(n)).collect();
        let m = |c: Option<u32>| c.map(|c| code[c as usize]);
        let people = self.people.len() as u32;
        let person = |p: u32| p + people;
        self.people
            .extend(other.people.iter().map(|p| p.map(|c| code[c as usize])));
        self.holders
            .extend(other.holders.iter().map(|&h| person(h)));
        self.others.extend(
            other
                .others
                .into_iter()
                .map(|(k, p)| (k.map(|c| code[c as usize]), person(p))),
        );
        if self.clash.is_none() {
            self.clash = other.clash.map(|(a, b)| (person(a), person(b)));
        }
        let sheets = self.sheets.len() as u32;
        let questions = self.questions.len() as u32;
        for mut sb in other.sheets {
            for row in &mut sb.rows {
                let target = (row.1 != NO_CODE).then(|| code[row.1 as usize]);
                *row = (person(row.0), target.unwrap_or(NO_CODE));
            }
            // A person's latest row, by this builder's numbering of people.
            let mut latest = vec![NONE; people as usize];
            latest.append(&mut sb.latest);
            sb.latest = latest;
            for q in &mut sb.questions {
                *q = q.map(m);
            }
            sb.last = None;
            self.sheets.push(sb);
        }
        self.instruments
            .extend(other.instruments.iter().map(|&i| code[i as usize]));
        self.questions.extend(
            other
                .questions
                .iter()
                .map(|&(sheet, column, target)| (sheet + sheets, column, m(target))),
        );
        self.question_index.extend(
            other
                .question_index
                .into_iter()
                .map(|(k, q)| (k.map(m), q + questions)),
        );
        self.answers += other.answers;
        self.missing += other.missing;
        if self.twice.is_none() {
            self.twice = other.twice.map(|(p, q)| (person(p), q + questions));
        }
        Ok(())
    }

    /// The code of grouping field `k`'s text, remembering it for the next row.
    fn intern_as_last(&mut self, k: usize, text: &str) -> u32 {
        if let Some((last, code)) = &self.last[k] {
            if last == text {
                return *code;
            }
        }
        let code = self.intern(text);
        self.last[k] = Some((text.to_string(), code));
        code
    }

    /// The first person with the source, id and wave of `who`: within one file, two rows
    /// with the same holder are the same respondent answering twice.
    pub fn id_holder(&self, who: Who) -> usize {
        self.holders[who.0 as usize] as usize
    }

    /// The first id that two people share within a wave, said in words. The readers refuse
    /// that within a file (a respondent's role and grouping must not change), so it means
    /// two files of one wave that number their respondents alike; grouping by id would
    /// merge them.
    pub fn id_clash(&self) -> Option<String> {
        let (first, second) = self.clash?;
        let name = |c: Option<u32>| c.map_or("–", |c| self.names.get(c));
        let describe = |p: &Person| {
            format!(
                "role {}, municipality {}, unit {}",
                name(p.get(4)),
                name(p.get(2)),
                name(p.get(3))
            )
        };
        let (a, b) = (&self.people[first as usize], &self.people[second as usize]);
        Some(format!(
            "the id \"{}\" belongs to two respondents ({}; and {}): ids must be unique within a wave, so when files number their respondents alike, give the ids a prefix per file, or give each file its wave (2024=FILE)",
            name(a.get(1)),
            describe(a),
            describe(b)
        ))
    }

    /// Registers a question; the same question gives the same handle.
    pub fn question(&mut self, q: Question<'_>) -> Asked {
        let key = [
            Some(self.intern(q.instrument)),
            Some(self.intern(q.construct)),
            q.target.map(|t| self.intern(t)),
            q.item.map(|i| self.intern(i)),
        ];
        if let Some(&i) = self.question_index.get(&key) {
            return Asked(i);
        }
        let instrument = key[0].unwrap_or_default();
        let sheet = match self.instruments.iter().position(|&s| s == instrument) {
            Some(s) => s,
            None => {
                self.instruments.push(instrument);
                self.sheets.push(SheetBuilder::default());
                self.sheets.len() - 1
            }
        };
        let column = [key[1], key[3]];
        let sb = &mut self.sheets[sheet];
        let value = match sb.questions.iter().position(|&c| c == column) {
            Some(v) => v,
            None => {
                sb.questions.push(column);
                sb.values.push(Cells::unset(sb.rows.len()));
                sb.questions.len() - 1
            }
        };
        let i = self.questions.len() as u32;
        self.questions.push((sheet as u32, value as u32, key[2]));
        self.question_index.insert(key, i);
        Asked(i)
    }

    /// Records an answer (`None` = missing; a value that is not finite reads as missing).
    pub fn push(&mut self, who: Who, q: Asked, value: Option<f64>) {
        let (sheet, column, target) = self.questions[q.0 as usize];
        let sb = &mut self.sheets[sheet as usize];
        let row = sb.row(who.0, target);
        let value = value.filter(|v| v.is_finite());
        if sb.values[column as usize].set(row, value) && self.twice.is_none() {
            self.twice = Some((who.0, q.0));
        }
        self.answers += 1;
        self.missing += usize::from(value.is_none());
    }

    /// How many answers were pushed.
    pub fn len(&self) -> usize {
        self.answers
    }

    /// How many of the answers pushed so far are missing.
    pub fn missing(&self) -> usize {
        self.missing
    }

    pub fn is_empty(&self) -> bool {
        self.answers == 0
    }

    /// The codes of the respondent ids of every source but `except` that `keep` accepts.
    fn id_codes(&self, except: &str, keep: impl Fn(&str) -> bool) -> Vec<u32> {
        let skip = self.names.find(except);
        let mut codes: Vec<u32> = self
            .people
            .iter()
            .filter(|p| p.get(0) != skip)
            .filter_map(|p| p.get(1))
            .collect();
        codes.par_sort_unstable();
        codes.dedup();
        codes.retain(|&c| keep(self.names.get(c)));
        codes
    }

    /// The first answer given twice, said in words: the readers refuse that within a file,
    /// so it means the same respondent in two files of one wave.
    pub fn answered_twice(&self) -> Option<String> {
        let (who, q) = self.twice?;
        let name = |c: Option<u32>| c.map_or("", |c| self.names.get(c));
        let (sheet, column, target) = self.questions[q as usize];
        let [construct, item] = self.sheets[sheet as usize].questions[column as usize];
        let item = item
            .map(|_| format!(" ({})", name(item)))
            .unwrap_or_default();
        let about = target
            .map(|_| format!(" about \"{}\"", name(target)))
            .unwrap_or_default();
        Some(format!(
            "respondent \"{}\" answered \"{}\"{item}{about} twice: the same respondent is in two files of one wave; give each file its wave (2024=FILE) or remove the duplicate",
            name(self.people[who as usize].get(1)),
            name(construct)
        ))
    }

    /// The sheets. Fails when a respondent answered one question twice
    /// ([`AnswersBuilder::answered_twice`]).
    pub fn finish(self) -> PolarsResult<Answers> {
        Ok(self.finish_with_names()?.0)
    }

    /// The sheets, and the respondent ids of every source but `except` that `keep` accepts,
    /// for the output audit. The ids are found among the builder's own texts, which the
    /// audit shares with the names: hashing the two million ids of a national survey into
    /// a table of their own took most of a second.
    pub fn finish_with_ids(
        self,
        except: &str,
        keep: impl Fn(&str) -> bool,
    ) -> PolarsResult<(Answers, crate::audit::Ids)> {
        let codes = self.id_codes(except, keep);
        let (answers, names) = self.finish_with_names()?;
        Ok((answers, crate::audit::Ids::within(names, codes)))
    }

    fn finish_with_names(self) -> PolarsResult<(Answers, Arc<Texts>)> {
        if let Some(message) = self.answered_twice() {
            polars_bail!(ComputeError: "{message}");
        }
        // What only reading needed is freed first, and the people once renumbered: the
        // memory goes to the sheets built next (at national scale two million people).
        drop((
            self.with_id,
            self.with_same_id,
            self.holders,
            self.others,
            self.question_index,
        ));
        // Renumber the codes in the sort order of their strings. Each text's first eight
        // bytes, as a number, order most pairs without reading the texts (at national scale
        // two million ids, most of them as long as that); equal ones compare the texts.
        let mut keyed: Vec<(u64, &str, u32)> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (first_bytes(n), n, i as u32))
            .collect();
        // On both cores: every key is distinct, so the order is the same however it is
        // sorted.
        keyed.par_sort_unstable();
        let order: Vec<u32> = keyed.into_iter().map(|(_, _, i)| i).collect();
        let mut renumber = vec![0u32; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        // Renumbered, with NO_CODE for none.
        let code = |c: Option<u32>| c.map_or(NO_CODE, |c| renumber[c as usize]);
        // The people's coded columns, side by side.
        let people_columns: Vec<Column> = PEOPLE
            .par_iter()
            .enumerate()
            .map(|(k, name)| coded(name, self.people.iter().map(|p| code(p.get(k))).collect()))
            .collect();
        let people = DataFrame::new(self.people.len(), people_columns)?;
        drop(self.people);
        let text = |c: Option<u32>| c.map(|c| self.names.get(c).to_string());
        let mut sheets = BTreeMap::new();
        for (sb, &instrument) in self.sheets.into_iter().zip(&self.instruments) {
            // Each row's person and target (at national scale millions of rows each).
            let rows = &sb.rows;
            let (person, target) = rayon::join(
                || {
                    let person = rows.iter().map(|&(p, _)| p).collect();
                    UInt32Chunked::from_vec(col::PERSON.into(), person).into_column()
                },
                || {
                    let target = |t: u32| code((t != NO_CODE).then_some(t));
                    coded(col::TARGET, rows.iter().map(|&(_, t)| target(t)).collect())
                },
            );
            let mut columns = vec![person, target];
            // The answer columns, each a pass over millions of cells at national scale, side
            // by side (in order).
            let values: Vec<Column> = sb
                .values
                .into_par_iter()
                .enumerate()
                .map(|(k, v)| v.into_column(&value_col(k)))
                .collect();
            columns.extend(values);
            let questions = sb
                .questions
                .iter()
                .map(|&[c, i]| (text(c).unwrap_or_default(), text(i)))
                .collect();
            let df = DataFrame::new(sb.rows.len(), columns)?;
            sheets.insert(
                text(Some(instrument)).unwrap_or_default(),
                Sheet { df, questions },
            );
        }
        let texts = Arc::new(self.names);
        let answers = Answers {
            sheets,
            names: Names::sorted(Arc::clone(&texts), order),
            people,
        };
        Ok((answers, texts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_find_every_code_and_nothing_else() {
        let mut texts = Texts::default();
        for t in ["Læge", "", "b", "a", "ab", "Z"] {
            texts.add(t);
        }
        // The order of the strings' bytes: upper case before lower.
        let names = Names::sorted(Arc::new(texts), vec![1, 0, 5, 3, 4, 2]);
        for (code, name) in ["", "Læge", "Z", "a", "ab", "b"].iter().enumerate() {
            assert_eq!(names.name(code as u32), *name);
            assert_eq!(names.code(name), Some(code as u32));
        }
        for absent in ["A", "aa", "c", "Lægen", " "] {
            assert_eq!(names.code(absent), None);
        }
        assert_eq!(Names::default().code("a"), None);
    }

    fn person<'a>(id: &'a str, role: &'a str) -> Respondent<'a> {
        Respondent {
            id,
            role,
            ..Default::default()
        }
    }

    fn question<'a>(construct: &'a str, target: &'a str) -> Question<'a> {
        Question {
            instrument: "rc",
            construct,
            target: Some(target),
            item: None,
        }
    }

    /// Staff rating roles, into `b`.
    fn staff_part(b: &mut AnswersBuilder) {
        for (id, role, unit) in [
            ("s1", "Læge", "A"),
            ("s2", "Jurist", "B"),
            ("s3", "Læge", "B"),
        ] {
            let who = Respondent {
                unit: Some(unit),
                ..person(id, role)
            };
            let r = b.respondent("staff", &who);
            let q = b.question(question("timely", "Jurist"));
            b.push(r, q, Some(4.0));
            let q = b.question(question("accurate", "Læge"));
            b.push(r, q, (id != "s2").then_some(3.0));
        }
    }

    /// Citizen `id` of `unit` rating quality `v`, into `b`.
    fn citizen(b: &mut AnswersBuilder, id: &str, unit: &str, v: f64) -> Who {
        let who = Respondent {
            unit: Some(unit),
            ..person(id, "citizen")
        };
        let r = b.respondent("citizens", &who);
        let q = b.question(Question {
            instrument: "quality",
            construct: "quality",
            target: None,
            item: Some("respekt"),
        });
        b.push(r, q, Some(v));
        r
    }

    /// Leader `id` rating a relation, into `b`.
    fn leader(b: &mut AnswersBuilder, id: &str) -> Who {
        let r = b.respondent("leaders", &person(id, "leader"));
        let q = b.question(Question {
            instrument: "relations",
            construct: "importance",
            target: Some("Leder B"),
            item: None,
        });
        b.push(r, q, Some(5.0));
        r
    }

    /// Citizens and leaders, some in the units of the staff, into `b`.
    fn other_part(b: &mut AnswersBuilder) {
        for (id, unit, v) in [("c1", "B", 5.0), ("c2", "C", 2.0), ("s1", "A", 1.0)] {
            citizen(b, id, unit, v);
        }
        leader(b, "l1");
    }

    #[test]
    fn a_sheet_taken_out_is_the_sheet_spread_and_is_gone_after() {
        let mut b = AnswersBuilder::default();
        staff_part(&mut b);
        other_part(&mut b);
        let mut answers = b.finish().unwrap();
        let picks = [("timely", Pick::Construct("timely"))];
        let spread = answers
            .spread_compact("rc", &picks)
            .unwrap()
            .collect()
            .unwrap();
        let quality = answers.sheets["quality"].df.clone();
        let (taken, people) = answers.take_rows("rc", &picks).unwrap();
        let taken = taken.collect().unwrap();
        assert_eq!(taken.height(), 6);
        // The people's codes gathered by each row's person, the target and the picks are
        // the spread's columns.
        let person = taken.column(col::PERSON).unwrap().u32().unwrap();
        let mut columns: Vec<Column> = PEOPLE
            .iter()
            .map(|c| people.column(c).unwrap().take(person).unwrap())
            .collect();
        columns.extend([
            taken.column(col::TARGET).unwrap().clone(),
            taken.column("timely").unwrap().clone(),
        ]);
        let gathered = DataFrame::new(6, columns).unwrap();
        assert!(gathered.equals_missing(&spread), "{gathered} {spread}");
        assert!(spread.column(col::RESPONDENT).unwrap().null_count() == 0);
        assert_eq!(taken.column("timely").unwrap().dtype(), &DataType::UInt8);
        assert!(!answers.has("rc") && answers.has("quality"));
        assert!(answers.sheets["quality"].df.equals_missing(&quality));
    }

    #[test]
    fn a_builder_appended_gives_the_answers_of_one_builder_fed_in_turn() {
        let mut one = AnswersBuilder::default();
        staff_part(&mut one);
        other_part(&mut one);
        let mut joined = AnswersBuilder::default();
        staff_part(&mut joined);
        let mut other = AnswersBuilder::default();
        other_part(&mut other);
        joined.append(other).unwrap();
        assert_eq!((joined.len(), joined.missing()), (one.len(), one.missing()));
        let finish = |b: AnswersBuilder| b.finish_with_ids("leaders", |_| true).unwrap();
        let ((one, one_ids), (joined, joined_ids)) = (finish(one), finish(joined));
        assert_eq!(joined_ids.len(), one_ids.len());
        assert!(one_ids.len() > 2);
        assert_eq!(one.names, joined.names);
        assert_eq!(
            one.sheets.keys().collect::<Vec<_>>(),
            joined.sheets.keys().collect::<Vec<_>>()
        );
        assert_eq!(one.sheets.len(), 3);
        for (name, sheet) in &one.sheets {
            let other = &joined.sheets[name];
            assert_eq!(sheet.questions, other.questions, "{name}");
            assert!(sheet.df.equals_missing(&other.df), "{name}");
        }
        // An answer given twice in the appended part is still found.
        let mut joined = AnswersBuilder::default();
        staff_part(&mut joined);
        let mut other = AnswersBuilder::default();
        other_part(&mut other);
        other_part(&mut other);
        joined.append(other).unwrap();
        assert!(joined.answered_twice().is_some());
    }

    #[test]
    fn respondents_registered_after_an_append_are_found_as_in_one_builder() {
        // More respondents after the files: one already met, one whose id was met in
        // another unit, a leader already met and a new one.
        let after = |b: &mut AnswersBuilder| {
            [
                b.respondent(
                    "citizens",
                    &Respondent {
                        unit: Some("B"),
                        ..person("c1", "citizen")
                    },
                ),
                b.respondent(
                    "citizens",
                    &Respondent {
                        unit: Some("D"),
                        ..person("c2", "citizen")
                    },
                ),
                b.respondent("leaders", &person("l1", "leader")),
                b.respondent("leaders", &person("l2", "leader")),
            ]
        };
        let mut one = AnswersBuilder::default();
        staff_part(&mut one);
        citizen(&mut one, "c1", "B", 4.0);
        citizen(&mut one, "c2", "C", 4.0);
        leader(&mut one, "l1");
        let one_after = after(&mut one);
        // The leaders' builder taken in by the citizens' one, taken in by the staff's.
        let mut leaders = AnswersBuilder::default();
        leader(&mut leaders, "l1");
        let mut citizens = AnswersBuilder::default();
        citizen(&mut citizens, "c1", "B", 4.0);
        citizen(&mut citizens, "c2", "C", 4.0);
        citizens.append(leaders).unwrap();
        let mut joined = AnswersBuilder::default();
        staff_part(&mut joined);
        joined.append(citizens).unwrap();
        let joined_after = after(&mut joined);
        assert_eq!(joined_after, one_after);
        assert_eq!(one_after[0], citizen(&mut one, "c1", "B", 4.0));
        assert_ne!(one_after[1], one_after[0]);
        assert!(one.id_clash().is_some());
        assert_eq!(joined.id_clash(), one.id_clash());
        assert_eq!(
            joined.id_holder(joined_after[1]),
            one.id_holder(one_after[1])
        );
    }

    #[test]
    fn room_kept_for_a_builder_taken_in_later_is_made_once() {
        let mut b = AnswersBuilder::default();
        b.keep_room_for(10);
        b.reserve(3, &[]);
        let room = (b.people.capacity(), b.holders.capacity());
        assert!(room.0 >= 13 && room.1 >= 13, "{room:?}");
        staff_part(&mut b);
        let mut other = AnswersBuilder::default();
        other_part(&mut other);
        b.append(other).unwrap();
        assert_eq!(b.people.len(), 7);
        assert_eq!((b.people.capacity(), b.holders.capacity()), room);
        // The room is made once: the next reserve is for what it is asked.
        assert_eq!(b.later, 0);
        // Room the system will not give is left out.
        let mut b = AnswersBuilder::default();
        b.keep_room_for(usize::MAX / 2);
        b.reserve(3, &[]);
        assert!(b.people.capacity() >= 3 && b.people.capacity() < 1 << 40);
        staff_part(&mut b);
    }

    #[test]
    fn a_builder_with_an_instrument_already_held_is_not_appended() {
        let mut a = AnswersBuilder::default();
        staff_part(&mut a);
        let mut b = AnswersBuilder::default();
        staff_part(&mut b);
        let names = a.names.len();
        let err = a.append(b).unwrap_err();
        assert!(err.contains("\"rc\""), "{err}");
        assert_eq!(a.names.len(), names);
    }

    #[test]
    fn builder_keeps_missing_answers_as_nulls_one_row_per_respondent_and_target() {
        let mut b = AnswersBuilder::default();
        let who = person("r1", "Læge");
        let r = b.respondent("staff", &who);
        let timely = b.question(question("timely", "Sygeplejerske"));
        let accurate = b.question(question("accurate", "Sygeplejerske"));
        let other = b.question(question("timely", "Jurist"));
        b.push(r, timely, Some(4.0));
        b.push(r, accurate, None);
        let again = b.respondent("staff", &who);
        assert_eq!(again, r);
        b.push(again, other, Some(2.0));
        assert_eq!((b.len(), b.missing()), (3, 1));
        let a = b.finish().unwrap();
        let sheet = a
            .spread(
                "rc",
                &[
                    ("t", Pick::Construct("timely")),
                    ("a", Pick::Construct("accurate")),
                ],
            )
            .unwrap()
            .collect()
            .unwrap();
        assert_eq!(sheet.height(), 2);
        let values = |c: &str| -> Vec<Option<f64>> {
            sheet.column(c).unwrap().f64().unwrap().iter().collect()
        };
        assert_eq!(values("t"), [Some(4.0), Some(2.0)]);
        assert_eq!(values("a"), [None, None]);
        assert_eq!(sheet.column(col::UNIT).unwrap().null_count(), 2);
        let long = a.long().unwrap();
        assert_eq!(long.height(), 4);
        assert_eq!(long.column(col::VALUE).unwrap().null_count(), 2);
    }

    #[test]
    fn values_are_kept_exactly_however_many_distinct_values_a_column_takes() {
        let mut b = AnswersBuilder::default();
        let q = b.question(question("timely", "Sygeplejerske"));
        // 200 respondents with 100 distinct values: the column outgrows its byte codes
        // half way and holds f64s from then on, the values written before carried over.
        let value = |i: usize| (i % 100) as f64 / 7.0 + 0.1;
        let ids: Vec<String> = (0..200).map(|i| format!("r{i:03}")).collect();
        for (i, id) in ids.iter().enumerate() {
            let r = b.respondent("staff", &person(id, "Læge"));
            let v = match i % 10 {
                3 => None,
                _ => Some(value(i)),
            };
            b.push(r, q, v);
        }
        let r = b.respondent("staff", &person(&ids[0], "Læge"));
        assert_eq!(b.answered_twice(), None);
        b.push(r, q, Some(1.0));
        assert!(
            b.answered_twice().is_some(),
            "a cell written twice is found"
        );
        let mut b2 = AnswersBuilder::default();
        let q2 = b2.question(question("timely", "Sygeplejerske"));
        for (i, id) in ids.iter().enumerate() {
            let r = b2.respondent("staff", &person(id, "Læge"));
            b2.push(r, q2, (i % 10 != 3).then(|| value(i)));
        }
        let a = b2.finish().unwrap();
        let sheet = a
            .spread("rc", &[("t", Pick::Construct("timely"))])
            .unwrap()
            .collect()
            .unwrap();
        let got: Vec<Option<f64>> = sheet.column("t").unwrap().f64().unwrap().iter().collect();
        let want: Vec<Option<f64>> = (0..200).map(|i| (i % 10 != 3).then(|| value(i))).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn one_respondent_is_one_handle_and_an_id_on_two_people_is_a_clash() {
        let mut b = AnswersBuilder::default();
        let a = b.respondent("staff", &person("r1", "Læge"));
        let other = b.respondent("staff", &person("r2", "Læge"));
        assert_eq!(b.respondent("staff", &person("r1", "Læge")), a);
        assert_ne!(a, other);
        assert_eq!(b.id_clash(), None);
        // The same id as a citizen is another person, and no clash.
        let citizen = b.respondent("citizens", &person("r1", "citizen"));
        assert_ne!(citizen, a);
        assert_eq!(b.id_clash(), None);
        // The same id in the same wave with another role: a second person, and a clash.
        let second = b.respondent("staff", &person("r1", "Pædagog"));
        assert_ne!(second, a);
        assert_eq!(b.respondent("staff", &person("r1", "Pædagog")), second);
        assert_eq!(b.respondent("staff", &person("r1", "Læge")), a);
        let clash = b.id_clash().unwrap();
        assert!(
            clash.contains("the id \"r1\" belongs to two respondents (role Læge"),
            "{clash}"
        );
        assert!(clash.contains("and role Pædagog"), "{clash}");
        // In another wave the id is free again.
        let later = Respondent {
            wave: Some("2025"),
            ..person("r1", "Sygeplejerske")
        };
        let mut b = AnswersBuilder::default();
        b.respondent("staff", &person("r1", "Læge"));
        b.respondent("staff", &later);
        assert_eq!(b.id_clash(), None);
    }

    #[test]
    fn an_answer_given_twice_is_refused_by_name() {
        let mut b = AnswersBuilder::default();
        let who = person("r1", "Læge");
        let q = b.question(question("timely", "Jurist"));
        for v in [Some(4.0), None] {
            let r = b.respondent("staff", &who);
            b.push(r, q, v);
        }
        let err = b.finish().unwrap_err().to_string();
        assert!(
            err.contains("respondent \"r1\" answered \"timely\" about \"Jurist\" twice"),
            "{err}"
        );
    }

    #[test]
    fn a_dimension_with_items_is_spread_as_the_mean_of_its_answered_items() {
        let mut b = AnswersBuilder::default();
        let who = person("r1", "Læge");
        let r = b.respondent("staff", &who);
        for (item, v) in [("a", Some(2.0)), ("b", Some(5.0)), ("c", None)] {
            let q = b.question(Question {
                instrument: "leadership",
                construct: "framing",
                target: None,
                item: Some(item),
            });
            b.push(r, q, v);
        }
        let a = b.finish().unwrap();
        let df = a
            .spread(
                "leadership",
                &[
                    ("framing", Pick::Construct("framing")),
                    ("b", Pick::Item("b")),
                    ("none", Pick::Construct("engaging")),
                ],
            )
            .unwrap()
            .collect()
            .unwrap();
        let get = |c: &str| df.column(c).unwrap().f64().unwrap().get(0);
        assert_eq!(get("framing"), Some(3.5));
        assert_eq!(get("b"), Some(5.0));
        assert_eq!(get("none"), None);
        assert_eq!(a.questions("leadership").len(), 3);
        // An instrument nobody answered spreads to an empty table with the same columns.
        let empty = a
            .spread("quality", &[("q", Pick::Item("x"))])
            .unwrap()
            .collect()
            .unwrap();
        assert_eq!((empty.height(), empty.width()), (0, CODED.len() + 1));
        assert!(!a.has("quality") && a.has("leadership"));
    }

    #[test]
    fn codes_sort_like_their_strings() {
        let mut b = AnswersBuilder::default();
        for (id, role) in [
            ("r2", "Sygeplejerske"),
            ("r1", "Læge"),
            ("r3", "Jobkonsulent"),
        ] {
            let who = person(id, role);
            let r = b.respondent("staff", &who);
            let q = b.question(Question {
                instrument: "rc",
                construct: "timely",
                target: Some("Læge"),
                item: None,
            });
            b.push(r, q, Some(3.0));
        }
        let a = b.finish().unwrap();
        let sorted = a
            .spread("rc", &[])
            .unwrap()
            .sort([col::ROLE], SortMultipleOptions::default())
            .collect()
            .unwrap();
        assert_eq!(
            a.names.strings(&sorted, col::ROLE).unwrap(),
            ["Jobkonsulent", "Læge", "Sygeplejerske"].map(|s| Some(s.to_string()))
        );
        assert_eq!(a.names.code("Læge"), a.names.code("Læge"));
        assert_eq!(a.names.code("nobody"), None);
    }

    fn with_waves(waves: &[&str]) -> Answers {
        let mut b = AnswersBuilder::default();
        for (i, w) in waves.iter().enumerate() {
            let id = format!("r{i}");
            let who = Respondent {
                id: &id,
                role: "A",
                wave: Some(w),
                ..Default::default()
            };
            let r = b.respondent("staff", &who);
            let q = b.question(Question {
                instrument: "rc",
                construct: "timely",
                target: Some("B"),
                item: None,
            });
            b.push(r, q, Some(3.0));
        }
        b.finish().unwrap()
    }

    #[test]
    fn waves_are_ordered_as_given_else_by_number_else_by_text() {
        let a = with_waves(&["2025", "9", "2024"]);
        assert_eq!(a.waves(&[]).unwrap(), ["9", "2024", "2025"]);
        assert_eq!(a.waves(&["2025".into()]).unwrap(), ["2025", "9", "2024"]);
        // Staff and citizens labelled alike give each wave once.
        let order: Vec<String> = ["2024", "2025", "2024", "2025"].map(String::from).to_vec();
        assert_eq!(a.waves(&order).unwrap(), ["2024", "2025", "9"]);
        let b = with_waves(&["2025-03-01", "2024-11-15", "baseline"]);
        assert_eq!(
            b.waves(&[]).unwrap(),
            ["2024-11-15", "2025-03-01", "baseline"]
        );
        assert_eq!(b.only_wave("baseline").unwrap().long().unwrap().height(), 1);
    }

    proptest::proptest! {
        #[test]
        fn ordering_by_the_first_bytes_then_the_text_is_ordering_by_the_text(
            texts in proptest::collection::vec("[a\\x00ø0-9 ]{0,12}", 0..40)
        ) {
            let mut by_text = texts.clone();
            by_text.sort();
            let mut keyed: Vec<(u64, &str)> =
                texts.iter().map(|t| (first_bytes(t), t.as_str())).collect();
            keyed.sort_unstable();
            let by_key: Vec<&str> = keyed.into_iter().map(|(_, t)| t).collect();
            proptest::prop_assert_eq!(by_key, by_text);
        }
    }

    #[test]
    fn a_column_has_nulls_where_no_answer_is_and_none_when_all_are_there() {
        let codes = Cells::Coded {
            codes: vec![FIRST_LEVEL + 1, MISSING, FIRST_LEVEL, UNSET],
            levels: vec![2.0, 4.0],
            known: Box::new([0; 256]),
        };
        // Whole numbers from 0 to 255 are held as bytes ...
        let c = codes.into_column("v");
        let v: Vec<Option<u8>> = c.u8().unwrap().iter().collect();
        assert_eq!(v, [Some(4), None, Some(2), None]);
        // ... any other level makes the column floats.
        for other in [2.5, 256.0, -1.0, -0.0] {
            let codes = Cells::Coded {
                codes: vec![FIRST_LEVEL + 1, MISSING, FIRST_LEVEL, UNSET],
                levels: vec![2.0, other],
                known: Box::new([0; 256]),
            };
            let v: Vec<Option<f64>> = codes.into_column("v").f64().unwrap().iter().collect();
            assert_eq!(v, [Some(other), None, Some(2.0), None]);
            assert!(v[0].unwrap().is_sign_negative() == other.is_sign_negative());
        }
        assert!(is_byte(0.0) && is_byte(255.0) && is_byte(7.0));
        let full = Cells::Full(vec![1.5, f64::NAN, f64::INFINITY, 3.0]);
        let v: Vec<Option<f64>> = full.into_column("v").f64().unwrap().iter().collect();
        assert_eq!(v, [Some(1.5), None, None, Some(3.0)]);
        let all = Cells::Full(vec![1.0, 2.0]).into_column("v");
        assert_eq!(all.null_count(), 0);
        let ids = coded("c", vec![3, NO_CODE, 0]);
        let v: Vec<Option<u32>> = ids.u32().unwrap().iter().collect();
        assert_eq!(v, [Some(3), None, Some(0)]);
        assert_eq!(coded("c", vec![1, 2]).null_count(), 0);
    }
}
