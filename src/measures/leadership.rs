//! Leadership as staff see their own leader: dimension, group and leadership scores per
//! respondent, then their means per group, dimension, unit and municipality.
//!
//! Per respondent: a dimension score is the mean of its answered items; a group score the
//! mean of the group's answered dimensions, needing `min_answered(k)` of its k dimensions
//! (at least half by default); the leadership score the mean of all answered dimensions,
//! needing at least half of them.

use polars::prelude::*;

use crate::answers::{col as a, mask, with_mask, Answers, Pick, Sheet};
use crate::config::Settings;
use crate::instruments::{LEADERSHIP, LEADERSHIP_GROUPS};
use crate::measures::frame::{
    at, estimates_as, group_by_codes, moments_as, numbers, one_chunk, reliability_in, Numbers,
    OneChunk,
};
use crate::results::{
    Estimate, Leadership, LeadershipFigure, LeadershipMunicipality, LeadershipUnit, Reliability,
    Spread,
};
use crate::stats::summary::Summary;

/// The leadership dimensions of an instrument, each with its group, in reading order.
pub type Design = Vec<(String, String)>;

pub const SCORE: &str = "score";

/// The groups of a design in reporting order: framing, engaging, involving, then others
/// in the order they first appear.
pub fn groups(design: &Design) -> Vec<String> {
    let mut out: Vec<String> = LEADERSHIP_GROUPS
        .iter()
        .filter(|g| design.iter().any(|(dg, _)| dg == *g))
        .map(|g| g.to_string())
        .collect();
    for (g, _) in design {
        if !out.contains(g) {
            out.push(g.clone());
        }
    }
    out
}

fn dim_col(i: usize) -> String {
    format!("d{i}")
}

pub fn group_col(j: usize) -> String {
    format!("g{j}")
}

/// Each respondent's leadership score, the respondent as a code into the answers' names,
/// for the models; never written.
pub type RespondentScores = Vec<(u32, f64)>;

/// Computes the leadership section and each respondent's leadership score, or `None`
/// when the design has no dimensions; with `keep_frame`, also the respondents' scores as
/// a table (for the wave comparison), which is otherwise freed before the section's
/// figures are made (at national scale each is a hundred megabytes).
pub fn compute(
    answers: &Answers,
    design: &Design,
    s: &Settings,
    keep_frame: bool,
) -> PolarsResult<Option<(Leadership, RespondentScores, Option<DataFrame>)>> {
    if design.is_empty() {
        return Ok(None);
    }
    let groups = groups(design);
    let names = &answers.names;
    let (respondents, order) = respondents(answers, design, &groups, s)?;
    let mut summary_exprs: Vec<Expr> = moments_as(SCORE, "s_").to_vec();
    for j in 0..groups.len() {
        summary_exprs.extend(moments_as(&group_col(j), &format!("g{j}_")));
    }
    for i in 0..design.len() {
        summary_exprs.extend(moments_as(&dim_col(i), &format!("d{i}_")));
    }
    let layout = Layout {
        design,
        groups: &groups,
        s,
    };

    let overall = respondents
        .clone()
        .lazy()
        .select(summary_exprs.clone())
        .collect()?;
    let scores: RespondentScores = respondents
        .column(a::RESPONDENT)?
        .u32()?
        .iter()
        .zip(numbers(&respondents, SCORE)?)
        .filter_map(|(id, score)| Some((id?, score?)))
        .collect();
    // Respondents without a unit (municipality) are in no unit (municipality); the filter
    // is left out where there are none, as it copies every column.
    let known = |c: &str| -> PolarsResult<Option<Expr>> {
        Ok((respondents.column(c)?.null_count() > 0).then(|| col(c).is_not_null()))
    };
    let units_df = group_by_codes(
        &respondents,
        [a::MUNICIPALITY, a::UNIT],
        known(a::UNIT)?,
        &summary_exprs,
    )?;
    let by_municipality = respondents.clone().lazy();
    let by_municipality = match known(a::MUNICIPALITY)? {
        Some(e) => by_municipality.filter(e),
        None => by_municipality,
    };
    let munis_df = by_municipality
        .group_by([col(a::MUNICIPALITY)])
        .agg(summary_exprs)
        .collect()?;
    let frame = keep_frame.then_some(respondents);

    let (score, groups_fig, dims_fig) = layout.rows(&overall)?.pop().unwrap_or_default();
    let unit_munis = names.strings(&units_df, a::MUNICIPALITY)?;
    let unit_names = names.strings(&units_df, a::UNIT)?;
    let mut units = Vec::new();
    for (r, (score, groups, dimensions)) in layout.rows(&units_df)?.into_iter().enumerate() {
        units.push(LeadershipUnit {
            municipality: unit_munis[r].clone(),
            unit: unit_names[r].clone().unwrap_or_default(),
            score,
            groups,
            dimensions,
        });
    }
    units.sort_by(|x, y| (&x.municipality, &x.unit).cmp(&(&y.municipality, &y.unit)));
    let muni_names = names.strings(&munis_df, a::MUNICIPALITY)?;
    let mut municipalities = Vec::new();
    for (name, (score, groups, dimensions)) in muni_names.into_iter().zip(layout.rows(&munis_df)?) {
        municipalities.push(LeadershipMunicipality {
            municipality: name.unwrap_or_default(),
            score,
            groups,
            dimensions,
            between_units: Spread::default(),
        });
    }
    municipalities.sort_by(|x, y| x.municipality.cmp(&y.municipality));
    let leadership = Leadership {
        score,
        groups: groups_fig,
        dimensions: dims_fig,
        units,
        units_suppressed: 0,
        municipalities,
        reliability: reliability(answers, design, &order)?,
    };
    Ok(Some((leadership, scores, frame)))
}

/// One row per respondent who answered any leadership dimension, ordered by respondent:
/// respondent, municipality and unit (codes), each dimension's score (`d0`, `d1`, ...), the
/// leadership score and each group's (`g0`, ...), null where too few are answered; and the
/// order of the sheet's rows by respondent, all of them.
///
/// Read from the sheet in place, each score summed in dimension order over the answered
/// ones as the expressions of [`crate::answers::mean_if_enough`] sum them: through polars' lazy frames
/// (a spread of every column as floats, a filter, a sort) the step held four copies of
/// every respondent's answers at once, 350 MB at national scale.
fn respondents(
    answers: &Answers,
    design: &Design,
    groups: &[String],
    s: &Settings,
) -> PolarsResult<(DataFrame, Vec<IdxSize>)> {
    let picks: Vec<Pick> = design.iter().map(|(_, d)| Pick::Construct(d)).collect();
    // Without a sheet, the same table with no rows.
    let empty = Sheet {
        df: DataFrame::new_infer_height(vec![Column::new_empty(
            a::PERSON.into(),
            &DataType::UInt32,
        )])?,
        questions: Vec::new(),
    };
    let no_people = DataFrame::new_infer_height(
        [a::RESPONDENT, a::MUNICIPALITY, a::UNIT]
            .map(|c| Column::new_empty(c.into(), &DataType::UInt32))
            .to_vec(),
    )?;
    let (sheet, people, taken) = answers.in_place(LEADERSHIP, &picks).unwrap_or((
        &empty,
        &no_people,
        vec![Vec::new(); picks.len()],
    ));
    let rows = sheet.df.height();
    // Each dimension's answer columns, read in place.
    let columns = taken
        .iter()
        .map(|cols| {
            cols.iter()
                .map(|c| Numbers::of(sheet.df.column(c)?))
                .collect::<PolarsResult<Vec<_>>>()
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    let columns: Vec<Vec<_>> = columns
        .iter()
        .map(|d| d.iter().map(Numbers::in_place).collect())
        .collect();
    // Each row's person, and the people's codes.
    let person = one_chunk(sheet.df.column(a::PERSON)?.u32()?);
    let person = person.in_place().0;
    let [respondent, municipality, unit] = [a::RESPONDENT, a::MUNICIPALITY, a::UNIT]
        .map(|c| people.column(c).and_then(|c| Ok(one_chunk(c.u32()?))));
    let (respondent, municipality, unit) = (respondent?, municipality?, unit?);
    let coded = [&respondent, &municipality, &unit].map(OneChunk::in_place);
    let code = |k: usize, r: usize| at(&coded[k], person[r] as usize);
    // The rows by respondent (a missing code first), in their order where they share one:
    // as a file sorted by id gives them, they come in order already.
    let key = |r: usize| code(0, r).map_or(0, |c| u64::from(c) + 1);
    let mut order: Vec<IdxSize> = (0..rows as IdxSize).collect();
    if !(1..rows).all(|r| key(r - 1) <= key(r)) {
        order.sort_by_key(|&r| key(r as usize));
    }
    // A dimension's score: its one answer, or the mean of its answered items.
    let dimension = |d: usize, r: usize| -> Option<f64> {
        match columns[d].as_slice() {
            [] => None,
            [(values, valid)] => valid(r).then(|| values.get(r)),
            items => {
                let (mut sum, mut n) = (0.0, 0usize);
                for (values, valid) in items {
                    if valid(r) {
                        sum += values.get(r);
                        n += 1;
                    }
                }
                (n > 0).then(|| sum / n as f64)
            }
        }
    };
    // The scores over the dimensions of each, with how many must be answered: all of
    // them, then each group's.
    let over: Vec<(Vec<usize>, usize)> = std::iter::once((0..design.len()).collect())
        .chain(
            groups
                .iter()
                .map(|g| (0..design.len()).filter(|&i| design[i].0 == *g).collect()),
        )
        .map(|dims: Vec<usize>| {
            let min = s.min_answered(dims.len());
            (dims, min)
        })
        .collect();
    let room = order.len();
    let mut codes: [Filling<u32>; 3] = std::array::from_fn(|_| Filling::with_capacity(room));
    let mut dims: Vec<Filling<f64>> = (0..design.len())
        .map(|_| Filling::with_capacity(room))
        .collect();
    let mut scores: Vec<Filling<f64>> = (0..over.len())
        .map(|_| Filling::with_capacity(room))
        .collect();
    let mut values = vec![None; design.len()];
    for &r in &order {
        let r = r as usize;
        for (d, v) in values.iter_mut().enumerate() {
            *v = dimension(d, r);
        }
        if values.iter().all(Option::is_none) {
            continue;
        }
        for (k, c) in codes.iter_mut().enumerate() {
            c.push(code(k, r));
        }
        for (column, &v) in dims.iter_mut().zip(&values) {
            column.push(v);
        }
        for (column, (of, min)) in scores.iter_mut().zip(&over) {
            let (mut sum, mut n) = (0.0, 0usize);
            for v in of.iter().filter_map(|&d| values[d]) {
                sum += v;
                n += 1;
            }
            column.push((n >= *min).then(|| sum / n as f64));
        }
    }
    let mut frame: Vec<Column> = [a::RESPONDENT, a::MUNICIPALITY, a::UNIT]
        .into_iter()
        .zip(codes)
        .map(|(name, c)| c.into_column::<UInt32Type>(name))
        .collect();
    frame.extend(
        dims.into_iter()
            .enumerate()
            .map(|(i, v)| v.into_column::<Float64Type>(&dim_col(i))),
    );
    let names = std::iter::once(SCORE.to_string()).chain((0..groups.len()).map(group_col));
    frame.extend(
        names
            .zip(scores)
            .map(|(name, v)| v.into_column::<Float64Type>(&name)),
    );
    Ok((DataFrame::new_infer_height(frame)?, order))
}

/// A column being filled: its values (the default under a null) and where they are
/// valid, a byte a row where options of floats took sixteen.
struct Filling<T> {
    values: Vec<T>,
    valid: Vec<bool>,
}

impl<T: Copy + Default> Filling<T> {
    fn with_capacity(rows: usize) -> Self {
        Filling {
            values: Vec::with_capacity(rows),
            valid: Vec::with_capacity(rows),
        }
    }

    fn push(&mut self, value: Option<T>) {
        self.values.push(value.unwrap_or_default());
        self.valid.push(value.is_some());
    }

    fn into_column<P: PolarsNumericType<Native = T>>(self, name: &str) -> Column {
        let valid = mask(self.valid.iter().copied());
        with_mask::<P>(name, self.values, valid).into_column()
    }
}

/// The leadership questions (construct, item) in the design's order of dimensions, a
/// dimension's items by name; constructs outside the design last.
fn items(answers: &Answers, design: &Design) -> Vec<(String, Option<String>)> {
    let mut items = answers.questions(LEADERSHIP).to_vec();
    let position = |d: &str| {
        design
            .iter()
            .position(|(_, x)| x == d)
            .unwrap_or(usize::MAX)
    };
    items.sort_by(|x, y| (position(&x.0), &x.1).cmp(&(position(&y.0), &y.1)));
    items
}

/// Cronbach's alpha of the leadership items (each dimension's items, or the dimension
/// itself when it has one) over the respondents who answered every item, in respondent
/// order (`order`, the sheet's rows by respondent).
fn reliability(answers: &Answers, design: &Design, order: &[IdxSize]) -> PolarsResult<Reliability> {
    let items = items(answers, design);
    let picks: Vec<Pick> = items
        .iter()
        .map(|(construct, item)| Pick::Question(construct, item.as_deref()))
        .collect();
    let Some((sheet, _, taken)) = answers.in_place(LEADERSHIP, &picks) else {
        return Ok(Reliability::default());
    };
    if items.is_empty() {
        return Ok(Reliability::default());
    }
    // Each item's answers as stored, in respondent order; the complete cases are read in
    // place from them.
    let order = IdxCa::from_vec(PlSmallStr::EMPTY, order.to_vec());
    let cols: Vec<String> = (0..items.len()).map(|i| format!("i{i}")).collect();
    let gathered = taken
        .iter()
        .zip(&cols)
        .map(|(of, name)| match of.as_slice() {
            [one] => Ok(sheet.df.column(one)?.take(&order)?.with_name(name.into())),
            // A sheet's value column is one question (its construct and item).
            _ => polars_bail!(ComputeError: "a leadership question has {} columns", of.len()),
        })
        .collect::<PolarsResult<Vec<Column>>>()?;
    let wide = DataFrame::new(order.len(), gathered)?;
    let names: Vec<String> = items
        .iter()
        .map(|(c, i)| match i {
            Some(i) => format!("{c}:{i}"),
            None => c.clone(),
        })
        .collect();
    let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
    reliability_in(&wide, &cols, &names)
}

struct Layout<'a> {
    design: &'a Design,
    groups: &'a [String],
    s: &'a Settings,
}

impl Layout<'_> {
    /// The score, group and dimension figures of every row of a summary table.
    fn rows(&self, df: &DataFrame) -> PolarsResult<Vec<Row>> {
        let figures = |prefix: &str, group: &str, dimension: Option<&str>| {
            Ok(estimates_as(df, prefix, self.s)?
                .into_iter()
                .map(|e| LeadershipFigure {
                    group: group.to_string(),
                    dimension: dimension.map(str::to_string),
                    mean: e.score,
                    sd: e.sd,
                    n: e.n,
                    ci_low: e.ci_low,
                    ci_high: e.ci_high,
                    rank: None,
                    suppressed: false,
                })
                .collect::<Vec<_>>())
        };
        let scores = estimates_as(df, "s_", self.s)?;
        let groups: Vec<Vec<LeadershipFigure>> = self
            .groups
            .iter()
            .enumerate()
            .map(|(j, g)| figures(&format!("g{j}_"), g, None))
            .collect::<PolarsResult<_>>()?;
        let dims: Vec<Vec<LeadershipFigure>> = self
            .design
            .iter()
            .enumerate()
            .map(|(i, (g, d))| figures(&format!("d{i}_"), g, Some(d)))
            .collect::<PolarsResult<_>>()?;
        // Each row's figures moved out of the columns of figures, a row at a time.
        let mut groups: Vec<_> = groups.into_iter().map(Vec::into_iter).collect();
        let mut dims: Vec<_> = dims.into_iter().map(Vec::into_iter).collect();
        Ok(scores
            .into_iter()
            .map(|score| {
                (
                    score,
                    groups.iter_mut().filter_map(Iterator::next).collect(),
                    dims.iter_mut().filter_map(Iterator::next).collect(),
                )
            })
            .collect())
    }
}

/// A row's score, group and dimension figures.
type Row = (Estimate, Vec<LeadershipFigure>, Vec<LeadershipFigure>);

/// After the privacy pass: ranks the shown groups (1 = highest mean) and computes each
/// municipality's spread over its shown units, so nothing hidden shapes either.
pub fn finish(l: &mut Leadership) {
    rank(&mut l.groups);
    for u in &mut l.units {
        rank(&mut u.groups);
    }
    for m in &mut l.municipalities {
        rank(&mut m.groups);
        let means: Vec<f64> = l
            .units
            .iter()
            .filter(|u| u.municipality.as_deref() == Some(m.municipality.as_str()))
            .filter_map(|u| u.score.score)
            .collect();
        m.between_units = spread(&means);
    }
}

fn rank(groups: &mut [LeadershipFigure]) {
    let mut order: Vec<usize> = (0..groups.len())
        .filter(|&i| groups[i].mean.is_some())
        .collect();
    order.sort_by(|&x, &y| {
        groups[y]
            .mean
            .unwrap_or(f64::NAN)
            .total_cmp(&groups[x].mean.unwrap_or(f64::NAN))
    });
    for g in groups.iter_mut() {
        g.rank = None;
    }
    for (r, &i) in order.iter().enumerate() {
        groups[i].rank = Some(r + 1);
    }
}

/// sd, min and max of unit means; sd needs two units.
pub fn spread(means: &[f64]) -> Spread {
    let summary = Summary::of(means, 0.95);
    Spread {
        units: means.len(),
        sd: summary.and_then(|s| s.sd),
        min: means.iter().copied().reduce(f64::min),
        max: means.iter().copied().reduce(f64::max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{AnswersBuilder, Question, Respondent};
    use crate::measures::frame::{answered, mean_if_enough};

    /// The respondents' frame as polars' lazy frames made it before it was read in place:
    /// the reference the in-place reading must give to the last bit.
    fn respondents_through_polars(answers: &Answers, design: &Design, s: &Settings) -> DataFrame {
        let groups = groups(design);
        let dims: Vec<String> = (0..design.len()).map(dim_col).collect();
        let picks: Vec<(&str, Pick)> = dims
            .iter()
            .zip(design.iter())
            .map(|(c, (_, d))| (c.as_str(), Pick::Construct(d)))
            .collect();
        let all: Vec<&str> = dims.iter().map(String::as_str).collect();
        let mut scores = vec![mean_if_enough(&all, s.min_answered(all.len()))
            .unwrap()
            .alias(SCORE)];
        for (j, g) in groups.iter().enumerate() {
            let cols: Vec<String> = design
                .iter()
                .enumerate()
                .filter(|(_, (dg, _))| dg == g)
                .map(|(i, _)| dim_col(i))
                .collect();
            let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
            scores.push(
                mean_if_enough(&refs, s.min_answered(refs.len()))
                    .unwrap()
                    .alias(group_col(j)),
            );
        }
        let mut keep = vec![col(a::RESPONDENT), col(a::MUNICIPALITY), col(a::UNIT)];
        keep.extend(dims.iter().map(|d| col(d.as_str())));
        answers
            .spread(LEADERSHIP, &picks)
            .unwrap()
            .filter(answered(&all))
            .select(keep)
            .sort([a::RESPONDENT], SortMultipleOptions::default())
            .with_columns(scores)
            .collect()
            .unwrap()
    }

    /// Cronbach's alpha of the items as polars' lazy frames gave it: every item spread as
    /// floats, the complete rows filtered and sorted by respondent.
    fn reliability_through_polars(answers: &Answers, design: &Design) -> Reliability {
        let items = items(answers, design);
        if items.is_empty() {
            return Reliability::default();
        }
        let cols: Vec<String> = (0..items.len()).map(|i| format!("i{i}")).collect();
        let picks: Vec<(&str, Pick)> = cols
            .iter()
            .zip(&items)
            .map(|(c, (construct, item))| (c.as_str(), Pick::Question(construct, item.as_deref())))
            .collect();
        let complete = cols
            .iter()
            .fold(lit(true), |acc, c| acc.and(col(c.as_str()).is_not_null()));
        let wide = answers
            .spread(LEADERSHIP, &picks)
            .unwrap()
            .filter(complete)
            .sort([a::RESPONDENT], SortMultipleOptions::default())
            .collect()
            .unwrap();
        let names: Vec<String> = items
            .iter()
            .map(|(c, i)| i.as_ref().map_or(c.clone(), |i| format!("{c}:{i}")))
            .collect();
        let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
        reliability_in(&wide, &cols, &names).unwrap()
    }

    /// Leadership answers of `people` respondents, ids not in file order, in two
    /// municipalities and three units: a dimension of two items (one of them answered on
    /// a scale of halves, so its column holds floats), some answers missing, a respondent
    /// who answered nothing and some too few to score.
    fn sheet(people: usize) -> (Answers, Design) {
        let design: Design = [
            ("framing", "retning"),
            ("framing", "tydelighed"),
            ("engaging", "mening"),
            ("involving", "inddragelse"),
            ("involving", "dialog"),
        ]
        .map(|(g, d)| (g.to_string(), d.to_string()))
        .to_vec();
        let mut b = AnswersBuilder::default();
        let mut x: u64 = 7;
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        let (munis, units) = (["Aarhus", "Billund"], ["A", "B", "C"]);
        for p in 0..people {
            // Ids out of order: the sheet's rows are not in respondent order.
            let id = format!("r{:04}", (p * 37) % people);
            let who = Respondent {
                id: &id,
                role: "Lærer",
                municipality: Some(munis[p % 2]),
                unit: Some(units[p % 3]),
                ..Default::default()
            };
            let r = b.respondent("staff", &who);
            if p % 11 == 5 {
                continue;
            }
            for (d, (_, dim)) in design.iter().enumerate() {
                let items: &[Option<&str>] = if d == 1 {
                    &[Some("a"), Some("b")]
                } else {
                    &[None]
                };
                for &item in items {
                    let q = b.question(Question {
                        instrument: LEADERSHIP,
                        construct: dim,
                        target: None,
                        item,
                    });
                    let value = match (d, item) {
                        (1, Some("b")) => 1.0 + next(9) as f64 / 2.0,
                        _ => 1.0 + next(5) as f64,
                    };
                    b.push(r, q, (next(6) != 0).then_some(value));
                }
            }
        }
        (b.finish().unwrap(), design)
    }

    #[test]
    fn respondents_read_in_place_are_those_polars_lazy_frames_gave() {
        let s = Settings::default();
        for people in [0, 1, 40, 300] {
            let (answers, design) = sheet(people);
            let groups = groups(&design);
            let (ours, order) = respondents(&answers, &design, &groups, &s).unwrap();
            let theirs = respondents_through_polars(&answers, &design, &s);
            assert!(ours.equals_missing(&theirs), "{people}: {ours} {theirs}");
            assert!(people < 40 || ours.height() > people / 2, "{ours}");
            assert_eq!(
                reliability(&answers, &design, &order).unwrap(),
                reliability_through_polars(&answers, &design),
                "{people}"
            );
        }
    }

    #[test]
    fn groups_are_reported_framing_engaging_involving_then_others() {
        let design: Design = vec![
            ("involving".into(), "a".into()),
            ("egen".into(), "b".into()),
            ("framing".into(), "c".into()),
        ];
        assert_eq!(groups(&design), ["framing", "involving", "egen"]);
    }

    #[test]
    fn ranks_skip_hidden_groups_and_spread_needs_two_units_for_sd() {
        let fig = |mean: Option<f64>| LeadershipFigure {
            mean,
            ..Default::default()
        };
        let mut g = vec![fig(Some(3.0)), fig(None), fig(Some(4.0))];
        rank(&mut g);
        assert_eq!(
            g.iter().map(|f| f.rank).collect::<Vec<_>>(),
            [Some(2), None, Some(1)]
        );
        let s = spread(&[3.0]);
        assert_eq!(
            (s.units, s.sd, s.min, s.max),
            (1, None, Some(3.0), Some(3.0))
        );
        let s = spread(&[3.0, 4.0, 5.0]);
        assert_eq!((s.sd, s.min, s.max), (Some(1.0), Some(3.0), Some(5.0)));
    }
}
