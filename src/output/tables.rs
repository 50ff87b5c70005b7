//! The tables: typed rows (held, or made as they are written), written as CSV (plain or
//! for Danish Excel) or Parquet. Outputs never compute a statistic; they arrange the
//! Results.

use std::collections::BTreeSet;

use crate::results::{
    Direction, Estimate, Leadership, LeadershipFigure, Model, Quality, Rc, Relations,
};

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(Option<String>),
    Number(Option<f64>),
    Count(Option<u64>),
    Flag(bool),
}

use Cell::{Count, Flag, Number, Text};

fn text(s: impl Into<String>) -> Cell {
    Text(Some(s.into()))
}

fn opt_text(s: &Option<String>) -> Cell {
    Text(s.clone())
}

fn count(n: usize) -> Cell {
    Count(Some(n as u64))
}

/// A count that privacy may have hidden (null: fewer than min-n).
fn maybe(n: Option<usize>) -> Cell {
    Count(n.map(|n| n as u64))
}

/// Rows made as they are read: each is handed to the visitor as it is made.
type Made<'a> = Box<dyn Fn(&mut dyn FnMut(&[Cell])) + 'a>;

/// A named table: `name.csv` / `name.parquet` in the output folder. Its rows are held, or,
/// for the tables of a row per unit or leader pair, made from the results as they are
/// written: at national scale those are hundreds of thousands of rows, which held as
/// cells were two hundred megabytes while the outputs were written.
pub struct Table<'a> {
    pub name: &'static str,
    pub header: Vec<String>,
    held: Vec<Vec<Cell>>,
    made: Option<Made<'a>>,
}

impl std::fmt::Debug for Table<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("name", &self.name)
            .field("header", &self.header)
            .field("rows", &self.rows())
            .finish()
    }
}

impl<'a> Table<'a> {
    /// An empty table whose header is the concatenation of `parts`.
    fn new(name: &'static str, parts: &[&[&str]]) -> Self {
        Table {
            name,
            header: parts
                .iter()
                .flat_map(|p| p.iter())
                .map(|h| h.to_string())
                .collect(),
            held: Vec::new(),
            made: None,
        }
    }

    /// The table with its rows made by `made`, which hands each row to its visitor in
    /// order, whenever the rows are read.
    fn made_by(self, made: impl Fn(&mut dyn FnMut(&[Cell])) + 'a) -> Self {
        Table {
            made: Some(Box::new(made)),
            ..self
        }
    }

    fn push(&mut self, row: Vec<Cell>) {
        self.held.push(row);
    }

    /// Hands every row to `visit`, in order.
    pub fn each_row(&self, visit: &mut dyn FnMut(&[Cell])) {
        for row in &self.held {
            visit(row);
        }
        if let Some(made) = &self.made {
            made(visit);
        }
    }

    /// Every row, held.
    pub fn rows(&self) -> Vec<Vec<Cell>> {
        let mut rows = Vec::new();
        self.each_row(&mut |row| rows.push(row.to_vec()));
        rows
    }
}

const ESTIMATE_HEADER: [&str; 7] = [
    "score",
    "sd",
    "n",
    "ci_low",
    "ci_high",
    "band",
    "suppressed",
];

fn estimate_cells(e: &Estimate) -> [Cell; 7] {
    [
        Number(e.score),
        Number(e.sd),
        maybe(e.n),
        Number(e.ci_low),
        Number(e.ci_high),
        opt_text(&e.band),
        Flag(e.suppressed),
    ]
}

/// Every table of a run, in the order they are written, each built when it is taken: at
/// national scale the tables' cells are hundreds of megabytes, so a writer that takes one
/// at a time holds one at a time.
pub fn all(r: &crate::results::Results) -> impl Iterator<Item = Table<'_>> + '_ {
    type Make<'a> = Box<dyn Fn() -> Table<'a> + 'a>;
    let mut out: Vec<Make<'_>> = Vec::new();
    if let Some(rc) = &r.rc {
        out.push(Box::new(move || pairs(rc)));
        out.push(Box::new(move || matrix(rc)));
        out.push(Box::new(move || units(rc)));
        out.push(Box::new(move || municipalities(rc)));
        out.push(Box::new(move || dimensions(rc)));
    }
    if let Some(l) = &r.leadership {
        out.push(Box::new(move || leadership(l)));
        out.push(Box::new(move || leadership_units(l)));
        out.push(Box::new(move || leadership_municipalities(l)));
    }
    if let Some(q) = &r.quality {
        out.push(Box::new(move || quality_units(q)));
    }
    if !r.models.is_empty() {
        out.push(Box::new(|| models(&r.models)));
    }
    if !r.changes.is_empty() {
        out.push(Box::new(|| changes(&r.changes)));
    }
    if let Some(rel) = &r.relations {
        out.push(Box::new(move || relations_dyads(rel)));
        out.push(Box::new(move || relations_dialogue(rel)));
        out.push(Box::new(move || relations_leaders(rel)));
    }
    out.into_iter().map(|make| make())
}

/// pairs: one row per directed role pair.
pub fn pairs(rc: &Rc) -> Table<'_> {
    let mut t = Table::new("pairs", &[&["rater_role", "target_role"], &ESTIMATE_HEADER]);
    for p in &rc.pairs {
        let mut row = vec![text(&p.rater_role), text(&p.target_role)];
        row.extend(estimate_cells(&p.estimate));
        t.push(row);
    }
    t
}

/// matrix: rater roles as rows, rated roles as columns, the cell score in each cell; an
/// empty cell is a suppressed pair or a pair nobody rated (pairs says which).
pub fn matrix(rc: &Rc) -> Table<'_> {
    let raters: BTreeSet<&str> = rc.pairs.iter().map(|p| p.rater_role.as_str()).collect();
    let targets: BTreeSet<&str> = rc.pairs.iter().map(|p| p.target_role.as_str()).collect();
    let mut t = Table {
        name: "matrix",
        header: std::iter::once("rater_role".to_string())
            .chain(targets.iter().map(|s| s.to_string()))
            .collect(),
        held: Vec::new(),
        made: None,
    };
    for r in &raters {
        let mut row = vec![text(*r)];
        for c in &targets {
            let score = rc
                .pairs
                .iter()
                .find(|p| p.rater_role == *r && p.target_role == *c)
                .and_then(|p| p.estimate.score);
            row.push(Number(score));
        }
        t.push(row);
    }
    t
}

pub fn units(rc: &Rc) -> Table<'_> {
    let mut t = Table::new("units", &[&["municipality", "unit"], &ESTIMATE_HEADER]);
    for u in &rc.units {
        let mut row = vec![opt_text(&u.municipality), text(&u.unit)];
        row.extend(estimate_cells(&u.estimate));
        t.push(row);
    }
    t
}

pub fn municipalities(rc: &Rc) -> Table<'_> {
    let mut t = Table::new("municipalities", &[&["municipality"], &ESTIMATE_HEADER]);
    for m in &rc.municipalities {
        let mut row = vec![text(&m.municipality)];
        row.extend(estimate_cells(&m.estimate));
        t.push(row);
    }
    t
}

/// dimensions: the seven dimensions in their canonical order.
pub fn dimensions(rc: &Rc) -> Table<'_> {
    let mut t = Table::new(
        "dimensions",
        &[&[
            "dimension",
            "subindex",
            "mean",
            "sd",
            "n",
            "n_respondents",
            "ci_low",
            "ci_high",
            "suppressed",
        ]],
    );
    for d in &rc.dimensions {
        t.push(vec![
            text(&d.dimension),
            text(&d.subindex),
            Number(d.mean),
            Number(d.sd),
            maybe(d.n),
            maybe(d.n_respondents),
            Number(d.ci_low),
            Number(d.ci_high),
            Flag(d.suppressed),
        ]);
    }
    t
}

const LEADERSHIP_HEADER: [&str; 10] = [
    "level",
    "group",
    "dimension",
    "mean",
    "sd",
    "n",
    "ci_low",
    "ci_high",
    "rank",
    "suppressed",
];

fn leadership_rows(
    score: &Estimate,
    groups: &[LeadershipFigure],
    dims: &[LeadershipFigure],
) -> Vec<Vec<Cell>> {
    let mut rows = vec![vec![
        text("score"),
        Text(None),
        Text(None),
        Number(score.score),
        Number(score.sd),
        maybe(score.n),
        Number(score.ci_low),
        Number(score.ci_high),
        Count(None),
        Flag(score.suppressed),
    ]];
    for (level, figures) in [("group", groups), ("dimension", dims)] {
        for f in figures {
            rows.push(vec![
                text(level),
                text(&f.group),
                opt_text(&f.dimension),
                Number(f.mean),
                Number(f.sd),
                maybe(f.n),
                Number(f.ci_low),
                Number(f.ci_high),
                Count(f.rank.map(|r| r as u64)),
                Flag(f.suppressed),
            ]);
        }
    }
    rows
}

/// leadership: the leadership score, the groups (with rank) and the dimensions.
pub fn leadership(l: &Leadership) -> Table<'_> {
    let mut t = Table::new("leadership", &[&LEADERSHIP_HEADER]);
    t.held = leadership_rows(&l.score, &l.groups, &l.dimensions);
    t
}

/// leadership_units: the same figures per unit, long.
pub fn leadership_units(l: &Leadership) -> Table<'_> {
    Table::new(
        "leadership_units",
        &[&["municipality", "unit"], &LEADERSHIP_HEADER],
    )
    .made_by(move |visit| {
        for u in &l.units {
            for row in leadership_rows(&u.score, &u.groups, &u.dimensions) {
                let mut full = vec![opt_text(&u.municipality), text(&u.unit)];
                full.extend(row);
                visit(&full);
            }
        }
    })
}

/// leadership_municipalities: per municipality, long, with the spread of the leadership
/// score between its shown units on the score row.
pub fn leadership_municipalities(l: &Leadership) -> Table<'_> {
    let spread = [
        "units_shown",
        "between_units_sd",
        "between_units_min",
        "between_units_max",
    ];
    let mut t = Table::new(
        "leadership_municipalities",
        &[&["municipality"], &LEADERSHIP_HEADER, &spread],
    );
    for m in &l.municipalities {
        for (i, row) in leadership_rows(&m.score, &m.groups, &m.dimensions)
            .into_iter()
            .enumerate()
        {
            let mut full = vec![text(&m.municipality)];
            full.extend(row);
            let s = &m.between_units;
            if i == 0 {
                full.extend([count(s.units), Number(s.sd), Number(s.min), Number(s.max)]);
            } else {
                full.extend([Count(None), Number(None), Number(None), Number(None)]);
            }
            t.push(full);
        }
    }
    t
}

/// quality_units: citizen-experienced quality per unit.
pub fn quality_units(q: &Quality) -> Table<'_> {
    let mut t = Table::new(
        "quality_units",
        &[&["municipality", "unit"], &ESTIMATE_HEADER],
    );
    for u in &q.units {
        let mut row = vec![opt_text(&u.municipality), text(&u.unit)];
        row.extend(estimate_cells(&u.estimate));
        t.push(row);
    }
    t
}

/// models: one row per model coefficient, with the model's fit on every row.
pub fn models(models: &[Model]) -> Table<'_> {
    let mut t = Table::new(
        "models",
        &[&[
            "model",
            "transform",
            "se_type",
            "n",
            "clusters",
            "r2",
            "term",
            "estimate",
            "std_error",
            "t",
            "p",
            "ci_low",
            "ci_high",
            "bootstrap_p",
            "effect_10pct",
            "effect_ci_low",
            "effect_ci_high",
        ]],
    );
    for m in models {
        for c in &m.coefficients {
            let e = c.effect_10pct.as_ref();
            t.push(vec![
                text(&m.name),
                text(&m.transform),
                text(&m.se_type),
                count(m.n),
                Count(m.clusters.map(|g| g as u64)),
                Number(m.r2),
                text(&c.term),
                Number(Some(c.estimate)),
                Number(Some(c.std_error)),
                Number(c.t),
                Number(c.p),
                Number(Some(c.ci_low)),
                Number(Some(c.ci_high)),
                Number(c.bootstrap_p),
                Number(e.map(|e| e.y_change_pct)),
                Number(e.map(|e| e.ci_low)),
                Number(e.map(|e| e.ci_high)),
            ]);
        }
    }
    t
}

/// relations_dyads: one row per pair of leaders, both directions side by side.
pub fn relations_dyads(r: &Relations) -> Table<'_> {
    let t = Table::new(
        "relations_dyads",
        &[&[
            "leader_a",
            "leader_b",
            "a_importance",
            "a_functioning",
            "a_flagged",
            "b_importance",
            "b_functioning",
            "b_flagged",
            "mutual_functioning",
            "importance_gap",
            "functioning_gap",
            "flagged",
            "priority",
            "one_direction_only",
            "flagged_by_one_side_only",
            "important_to_one_side_only",
        ]],
    );
    let side = |d: &Option<Direction>| match d {
        Some(d) => [Number(d.importance), Number(d.functioning), Flag(d.flagged)],
        None => [Number(None), Number(None), Text(None)],
    };
    t.made_by(move |visit| {
        for d in &r.dyads {
            let mut row = vec![text(&d.leader_a), text(&d.leader_b)];
            row.extend(side(&d.a_to_b));
            row.extend(side(&d.b_to_a));
            row.extend([
                Number(d.mutual_functioning),
                Number(d.importance_gap),
                Number(d.functioning_gap),
                Flag(d.flagged),
                Number(d.priority),
                Flag(d.one_direction_only),
                Flag(d.flagged_by_one_side_only),
                Flag(d.important_to_one_side_only),
            ]);
            visit(&row);
        }
    })
}

/// relations_dialogue: the dialogue list, its own file so it can go to the leaders alone.
pub fn relations_dialogue(r: &Relations) -> Table<'_> {
    let mut t = Table::new(
        "relations_dialogue",
        &[&[
            "rank",
            "inviter",
            "invitee",
            "priority",
            "importance",
            "functioning",
            "invitee_importance",
            "invitee_functioning",
            "flagged_by_both",
        ]],
    );
    for e in &r.dialogue {
        t.push(vec![
            count(e.rank),
            text(&e.inviter),
            text(&e.invitee),
            Number(Some(e.priority)),
            Number(e.importance),
            Number(e.functioning),
            Number(e.invitee_importance),
            Number(e.invitee_functioning),
            Flag(e.flagged_by_both),
        ]);
    }
    t
}

/// relations_leaders: per leader, relations rated and flagged, and how many flag them.
pub fn relations_leaders(r: &Relations) -> Table<'_> {
    let mut t = Table::new(
        "relations_leaders",
        &[&[
            "leader",
            "municipality",
            "unit",
            "relations_rated",
            "relations_flagged",
            "flagged_by",
        ]],
    );
    for l in &r.leaders {
        t.push(vec![
            text(&l.leader),
            opt_text(&l.municipality),
            opt_text(&l.unit),
            count(l.relations_rated),
            count(l.relations_flagged),
            count(l.flagged_by),
        ]);
    }
    t
}

/// How CSV files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// UTF-8, `,`, decimal point: for scripts and BI tools.
    #[default]
    Plain,
    /// UTF-8 with BOM, `;`, decimal comma: what Danish Excel opens without an import wizard.
    ExcelDa,
}

/// The one way numbers are written in CSV: full precision, shortest form that reads back
/// to the same f64; missing as an empty field; a decimal comma for Danish Excel.
pub fn format_number(x: f64, dialect: Dialect) -> String {
    let mut s = String::new();
    write_number(&mut s, x, dialect);
    s
}

/// [`format_number`] into `out`, which is cleared first.
fn write_number(out: &mut String, x: f64, dialect: Dialect) {
    use std::fmt::Write;
    out.clear();
    write!(out, "{x}").expect("writing to a String cannot fail");
    if dialect == Dialect::ExcelDa {
        if let Some(dot) = out.find('.') {
            out.replace_range(dot..=dot, ",");
        }
    }
}

/// The table as CSV bytes.
pub fn to_csv(t: &Table, dialect: Dialect) -> csv::Result<Vec<u8>> {
    write_csv(t, dialect, Vec::new())
}

/// [`to_csv`] into `out`, as it is made (at national scale a table is tens of megabytes);
/// gives `out` back.
pub fn write_csv<W: std::io::Write>(t: &Table, dialect: Dialect, mut out: W) -> csv::Result<W> {
    let (delimiter, bom): (u8, &[u8]) = match dialect {
        Dialect::Plain => (b',', b""),
        Dialect::ExcelDa => (b';', b"\xEF\xBB\xBF"),
    };
    out.write_all(bom)?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(out);
    w.write_record(&t.header)?;
    // Field by field: text cells borrowed, decimal numbers written into one buffer. A row
    // at a time as the table hands them over; the first error ends the writing.
    let mut number = String::new();
    let mut written: csv::Result<()> = Ok(());
    t.each_row(&mut |row| {
        if written.is_ok() {
            written = write_row(&mut w, row, &mut number, dialect);
        }
    });
    written?;
    w.into_inner().map_err(|e| e.into_error().into())
}

fn write_row<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    row: &[Cell],
    number: &mut String,
    dialect: Dialect,
) -> csv::Result<()> {
    for c in row {
        match c {
            Text(s) => w.write_field(s.as_deref().unwrap_or(""))?,
            Number(Some(x)) => {
                write_number(number, *x, dialect);
                w.write_field(&*number)?
            }
            Count(Some(n)) => w.write_field(n.to_string())?,
            Number(None) | Count(None) => w.write_field("")?,
            Flag(b) => w.write_field(if *b { "true" } else { "false" })?,
        }
    }
    w.write_record(None::<&[u8]>)
}

/// The table as Parquet bytes, with typed columns (text, f64, u64, bool).
pub fn to_parquet(t: &Table) -> polars::prelude::PolarsResult<Vec<u8>> {
    use polars::prelude::*;
    let rows = t.rows();
    let mut columns = Vec::with_capacity(t.header.len());
    for (j, name) in t.header.iter().enumerate() {
        let cells = rows.iter().map(|r| &r[j]);
        let kind = rows
            .iter()
            .map(|r| &r[j])
            .find(|c| !matches!(c, Text(None) | Number(None) | Count(None)));
        let column = match kind {
            Some(Number(_)) => Column::new(
                name.into(),
                cells
                    .map(|c| if let Number(x) = c { *x } else { None })
                    .collect::<Vec<_>>(),
            ),
            Some(Count(_)) => Column::new(
                name.into(),
                cells
                    .map(|c| if let Count(x) = c { *x } else { None })
                    .collect::<Vec<_>>(),
            ),
            Some(Flag(_)) => Column::new(
                name.into(),
                cells
                    .map(|c| if let Flag(b) = c { Some(*b) } else { None })
                    .collect::<Vec<_>>(),
            ),
            _ => Column::new(
                name.into(),
                cells
                    .map(|c| if let Text(s) = c { s.clone() } else { None })
                    .collect::<Vec<_>>(),
            ),
        };
        columns.push(column);
    }
    let mut df = DataFrame::new(rows.len(), columns)?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut df)?;
    Ok(bytes)
}

/// changes: every figure's change between consecutive waves, one row per figure and pair
/// of waves. `figure` is network, dimension, pair, unit, municipality, leadership,
/// leadership_group or quality_unit; `key` and `key2` name it (e.g. rater and target role).
pub fn changes(all: &[crate::results::Changes]) -> Table<'_> {
    let mut t = Table::new(
        "changes",
        &[&[
            "from_wave",
            "to_wave",
            "figure",
            "municipality",
            "key",
            "key2",
            "from",
            "to",
            "n_from",
            "n_to",
            "n_paired",
            "change",
            "ci_low",
            "ci_high",
            "method",
            "verdict",
        ]],
    );
    for c in all {
        let mut push = |figure: &str,
                        municipality: Option<&str>,
                        key: Option<&str>,
                        key2: Option<&str>,
                        d: &crate::results::Difference| {
            t.push(vec![
                text(&c.from),
                text(&c.to),
                text(figure),
                Text(municipality.map(str::to_string)),
                Text(key.map(str::to_string)),
                Text(key2.map(str::to_string)),
                Number(d.from),
                Number(d.to),
                maybe(d.n_from),
                maybe(d.n_to),
                maybe(d.n_paired),
                Number(d.change),
                Number(d.ci_low),
                Number(d.ci_high),
                Text(d.method.clone()),
                text(&d.verdict),
            ]);
        };
        if let Some(n) = &c.network {
            push("network", None, None, None, n);
        }
        for d in &c.dimensions {
            push("dimension", None, Some(&d.dimension), None, &d.change);
        }
        for p in &c.pairs {
            push(
                "pair",
                None,
                Some(&p.rater_role),
                Some(&p.target_role),
                &p.change,
            );
        }
        for u in &c.units {
            push(
                "unit",
                u.municipality.as_deref(),
                Some(&u.unit),
                None,
                &u.change,
            );
        }
        for m in &c.municipalities {
            push("municipality", Some(&m.municipality), None, None, &m.change);
        }
        if let Some(l) = &c.leadership {
            push("leadership", None, None, None, &l.score);
            for g in &l.groups {
                push("leadership_group", None, Some(&g.group), None, &g.change);
            }
        }
        for u in &c.quality_units {
            push(
                "quality_unit",
                u.municipality.as_deref(),
                Some(&u.unit),
                None,
                &u.change,
            );
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::Pair;

    fn pair(r: &str, t: &str, score: Option<f64>) -> Pair {
        Pair {
            rater_role: r.into(),
            target_role: t.into(),
            estimate: Estimate {
                score,
                n: Some(5),
                suppressed: score.is_none(),
                ..Estimate::default()
            },
        }
    }

    #[test]
    fn matrix_has_rater_rows_and_target_columns_with_blanks_for_hidden_cells() {
        let rc = Rc {
            pairs: vec![
                pair("Læge", "Læge", Some(4.5)),
                pair("Læge", "Sygeplejerske", None),
                pair("Sygeplejerske", "Læge", Some(3.25)),
            ],
            ..Rc::default()
        };
        let text = String::from_utf8(to_csv(&matrix(&rc), Dialect::Plain).unwrap()).unwrap();
        assert_eq!(
            text,
            "rater_role,Læge,Sygeplejerske\nLæge,4.5,\nSygeplejerske,3.25,\n"
        );
    }

    #[test]
    fn pairs_are_written_long_with_every_estimate_field() {
        let rc = Rc {
            pairs: vec![pair("A", "B", Some(4.0))],
            ..Rc::default()
        };
        let text = String::from_utf8(to_csv(&pairs(&rc), Dialect::Plain).unwrap()).unwrap();
        assert_eq!(
            text,
            "rater_role,target_role,score,sd,n,ci_low,ci_high,band,suppressed\nA,B,4,,5,,,,false\n"
        );
    }

    #[test]
    fn excel_da_has_a_bom_semicolons_and_decimal_commas() {
        let rc = Rc {
            pairs: vec![pair("A", "B", Some(3.25))],
            ..Rc::default()
        };
        let bytes = to_csv(&pairs(&rc), Dialect::ExcelDa).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.contains("A;B;3,25;;5;;;;false"), "{text}");
    }

    #[test]
    fn numbers_keep_full_precision() {
        assert_eq!(
            format_number(1.0 / 3.0, Dialect::Plain),
            "0.3333333333333333"
        );
        assert_eq!(format_number(4.0, Dialect::Plain), "4");
    }

    #[test]
    fn parquet_tables_are_typed_and_read_back() {
        use polars::prelude::*;
        let rc = Rc {
            pairs: vec![pair("A", "B", Some(3.25)), pair("A", "C", None)],
            ..Rc::default()
        };
        let bytes = to_parquet(&pairs(&rc)).unwrap();
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .unwrap();
        assert_eq!(df.shape(), (2, 9));
        assert_eq!(df.column("score").unwrap().dtype(), &DataType::Float64);
        assert_eq!(df.column("n").unwrap().dtype(), &DataType::UInt64);
        assert_eq!(df.column("suppressed").unwrap().dtype(), &DataType::Boolean);
        assert_eq!(df.column("score").unwrap().null_count(), 1);
    }
}
