//! Leadership as staff see their own leader: dimension, group and leadership scores per
//! respondent, then their means per group, dimension, unit and municipality.
//!
//! Per respondent: a dimension score is the mean of its answered items; a group score the
//! mean of the group's answered dimensions, needing `min_answered(k)` of its k dimensions
//! (at least half by default); the leadership score the mean of all answered dimensions,
//! needing at least half of them.

use polars::prelude::*;

use crate::answers::{col as a, Answers, Pick};
use crate::config::Settings;
use crate::instruments::{LEADERSHIP, LEADERSHIP_GROUPS};
use crate::measures::frame::{
    answered, estimates_as, group_by_codes, mean_if_enough, moments_as, numbers, reliability_in,
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
/// when the design has no dimensions.
pub fn compute(
    answers: &Answers,
    design: &Design,
    s: &Settings,
) -> PolarsResult<Option<(Leadership, RespondentScores, DataFrame)>> {
    if design.is_empty() {
        return Ok(None);
    }
    let groups = groups(design);
    let names = &answers.names;
    let dims: Vec<String> = (0..design.len()).map(dim_col).collect();
    let picks: Vec<(&str, Pick)> = dims
        .iter()
        .zip(design.iter())
        .map(|(c, (_, d))| (c.as_str(), Pick::Construct(d)))
        .collect();
    let all_refs: Vec<&str> = dims.iter().map(String::as_str).collect();
    let mut score_exprs =
        vec![mean_if_enough(&all_refs, s.min_answered(all_refs.len()))?.alias(SCORE)];
    for (j, g) in groups.iter().enumerate() {
        let cols: Vec<String> = design
            .iter()
            .enumerate()
            .filter(|(_, (dg, _))| dg == g)
            .map(|(i, _)| dim_col(i))
            .collect();
        let refs: Vec<&str> = cols.iter().map(String::as_str).collect();
        score_exprs.push(mean_if_enough(&refs, s.min_answered(refs.len()))?.alias(group_col(j)));
    }
    let mut keep = vec![col(a::RESPONDENT), col(a::MUNICIPALITY), col(a::UNIT)];
    keep.extend(dims.iter().map(|d| col(d.as_str())));
    let respondents = answers
        .spread(LEADERSHIP, &picks)?
        .filter(answered(&all_refs))
        .select(keep)
        .sort([a::RESPONDENT], SortMultipleOptions::default())
        .with_columns(score_exprs)
        .collect()?;
    // One chunk, so every reduction below runs over the same memory layout.
    let mut respondents = respondents;
    respondents.rechunk_mut();

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
    let units_df = group_by_codes(
        &respondents,
        [a::MUNICIPALITY, a::UNIT],
        Some(col(a::UNIT).is_not_null()),
        &summary_exprs,
    )?;
    let munis_df = respondents
        .clone()
        .lazy()
        .filter(col(a::MUNICIPALITY).is_not_null())
        .group_by([col(a::MUNICIPALITY)])
        .agg(summary_exprs)
        .collect()?;

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
        reliability: reliability(answers, design)?,
    };
    Ok(Some((leadership, scores, respondents)))
}

/// Cronbach's alpha of the leadership items (each dimension's items, or the dimension
/// itself when it has one) over the respondents who answered every item.
fn reliability(answers: &Answers, design: &Design) -> PolarsResult<Reliability> {
    let mut items: Vec<(String, Option<String>)> = answers.questions(LEADERSHIP).to_vec();
    let order = |d: &str| {
        design
            .iter()
            .position(|(_, x)| x == d)
            .unwrap_or(usize::MAX)
    };
    items.sort_by(|x, y| (order(&x.0), &x.1).cmp(&(order(&y.0), &y.1)));
    if items.is_empty() {
        return Ok(Reliability::default());
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
        .spread(LEADERSHIP, &picks)?
        .filter(complete)
        .sort([a::RESPONDENT], SortMultipleOptions::default())
        .collect()?;
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
