//! The wave comparison: each figure's change from one wave to the next, with the interval of
//! [`crate::stats::change`]. A change is computed only where the figure is shown in both
//! waves (after each wave's own privacy pass), so min-n holds per wave and per cell.

use std::collections::{BTreeMap, BTreeSet};

use polars::prelude::*;

use crate::answers::{col as a, Names};
use crate::config::Settings;
use crate::instruments::RC_DIMENSIONS;
use crate::measures::frame::numbers;
use crate::measures::leadership::{self, Design};
use crate::measures::quality;
use crate::measures::rc::{self, frame_col};
use crate::results::{
    Changes, Difference, DimensionChange, GroupChange, LeadershipChange, MunicipalityChange,
    PairChange, UnitChange, Wave,
};
use crate::stats::change::mean_change;

/// One wave: its published (privacy-passed) figures and the tables behind them.
pub struct WaveData<'a> {
    pub published: &'a Wave,
    pub rc: Option<&'a rc::Frames>,
    pub leadership: Option<&'a DataFrame>,
    pub quality: Option<&'a DataFrame>,
}

/// (value, n, suppressed) of a published figure.
type Shown = (Option<f64>, Option<usize>, bool);

/// Observations per group: group key (codes) → (respondent, value).
type Groups = BTreeMap<Vec<Option<u32>>, Vec<(u32, f64)>>;

fn codes(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u32>>> {
    let c = df.column(name)?.cast(&DataType::UInt32)?;
    Ok(c.u32()?.iter().collect())
}

/// The non-null values of `value`, grouped by the `keys` columns.
fn grouped(df: &DataFrame, keys: &[&str], value: &str) -> PolarsResult<Groups> {
    let respondents = codes(df, a::RESPONDENT)?;
    let values = numbers(df, value)?;
    let key_columns: Vec<Vec<Option<u32>>> = keys
        .iter()
        .map(|k| codes(df, k))
        .collect::<PolarsResult<_>>()?;
    let mut out = Groups::new();
    for i in 0..df.height() {
        let (Some(r), Some(v)) = (respondents[i], values[i]) else {
            continue;
        };
        let key: Vec<Option<u32>> = key_columns.iter().map(|c| c[i]).collect();
        out.entry(key).or_default().push((r, v));
    }
    Ok(out)
}

fn valid_ties(df: &DataFrame) -> PolarsResult<DataFrame> {
    df.clone()
        .lazy()
        .filter(col(frame_col::TIE).is_not_null())
        .collect()
}

/// The change of one figure, given how it was published in each wave and its observations.
fn difference(
    from: Option<Shown>,
    to: Option<Shown>,
    obs_from: Option<&Vec<(u32, f64)>>,
    obs_to: Option<&Vec<(u32, f64)>>,
    s: &Settings,
) -> Difference {
    let shown = |x: Option<Shown>| match x {
        Some((Some(v), Some(n), false)) => Some((v, n)),
        _ => None,
    };
    let (Some((v1, n1)), Some((v2, n2))) = (shown(from), shown(to)) else {
        return Difference {
            verdict: "not_shown".into(),
            suppressed: true,
            ..Difference::default()
        };
    };
    let empty = Vec::new();
    let c = mean_change(
        obs_from.unwrap_or(&empty),
        obs_to.unwrap_or(&empty),
        s.confidence,
    );
    let verdict = match &c {
        Some(c) if c.detectable() && c.change > 0.0 => "increase",
        Some(c) if c.detectable() => "decrease",
        _ => "no_detectable_change",
    };
    Difference {
        from: Some(v1),
        to: Some(v2),
        n_from: Some(n1),
        n_to: Some(n2),
        n_paired: c.as_ref().map(|c| c.n_paired),
        change: Some(v2 - v1),
        ci_low: c.as_ref().map(|c| c.ci.0),
        ci_high: c.as_ref().map(|c| c.ci.1),
        method: c.as_ref().map(|c| c.method.name().to_string()),
        verdict: verdict.into(),
        suppressed: false,
    }
}

/// The names of a group key, for matching the published figures.
fn key_names(names: &Names, key: &[Option<u32>]) -> Vec<Option<String>> {
    key.iter()
        .map(|c| c.map(|c| names.name(c).to_string()))
        .collect()
}

/// Every figure's change from `from` to `to`.
pub fn compare(
    from: &WaveData<'_>,
    to: &WaveData<'_>,
    names: &Names,
    design: Option<&Design>,
    s: &Settings,
) -> PolarsResult<Changes> {
    let mut out = Changes {
        from: from.published.label.clone(),
        to: to.published.label.clone(),
        network: None,
        dimensions: Vec::new(),
        pairs: Vec::new(),
        units: Vec::new(),
        municipalities: Vec::new(),
        leadership: None,
        quality_units: Vec::new(),
    };
    if let (Some(f), Some(t), Some(pf), Some(pt)) = (
        from.rc,
        to.rc,
        from.published.rc.as_ref(),
        to.published.rc.as_ref(),
    ) {
        rc_changes(&mut out, (f, pf), (t, pt), names, s)?;
    }
    if let (Some(f), Some(t), Some(pf), Some(pt), Some(design)) = (
        from.leadership,
        to.leadership,
        from.published.leadership.as_ref(),
        to.published.leadership.as_ref(),
        design,
    ) {
        let (gf, gt) = (
            grouped(f, &[], leadership::SCORE)?,
            grouped(t, &[], leadership::SCORE)?,
        );
        let score = difference(
            Some((pf.score.score, pf.score.n, pf.score.suppressed)),
            Some((pt.score.score, pt.score.n, pt.score.suppressed)),
            gf.get(&vec![]),
            gt.get(&vec![]),
            s,
        );
        let mut groups = Vec::new();
        for (j, g) in leadership::groups(design).iter().enumerate() {
            let column = leadership::group_col(j);
            let (gf, gt) = (grouped(f, &[], &column)?, grouped(t, &[], &column)?);
            let published = |l: &crate::results::Leadership| {
                l.groups
                    .iter()
                    .find(|x| &x.group == g)
                    .map(|x| (x.mean, x.n, x.suppressed))
            };
            groups.push(GroupChange {
                group: g.clone(),
                change: difference(
                    published(pf),
                    published(pt),
                    gf.get(&vec![]),
                    gt.get(&vec![]),
                    s,
                ),
            });
        }
        out.leadership = Some(LeadershipChange { score, groups });
    }
    if let (Some(f), Some(t), Some(pf), Some(pt)) = (
        from.quality,
        to.quality,
        from.published.quality.as_ref(),
        to.published.quality.as_ref(),
    ) {
        let keys = [a::MUNICIPALITY, a::UNIT];
        let (gf, gt) = (
            grouped(f, &keys, quality::SCORE)?,
            grouped(t, &keys, quality::SCORE)?,
        );
        let published = |q: &crate::results::Quality, m: &Option<String>, u: &str| {
            q.units
                .iter()
                .find(|x| &x.municipality == m && x.unit == u)
                .map(|x| (x.estimate.score, x.estimate.n, x.estimate.suppressed))
        };
        out.quality_units = unit_changes(&gf, &gt, names, s, |m, u| {
            (published(pf, m, u), published(pt, m, u))
        });
    }
    Ok(out)
}

/// The changes of units, keyed by (municipality, unit) codes in either wave.
fn unit_changes(
    gf: &Groups,
    gt: &Groups,
    names: &Names,
    s: &Settings,
    published: impl Fn(&Option<String>, &str) -> (Option<Shown>, Option<Shown>),
) -> Vec<UnitChange> {
    let keys: BTreeSet<&Vec<Option<u32>>> = gf.keys().chain(gt.keys()).collect();
    let mut out: Vec<UnitChange> = keys
        .into_iter()
        .filter_map(|key| {
            let n = key_names(names, key);
            let unit = n[1].clone()?;
            let (pf, pt) = published(&n[0], &unit);
            Some(UnitChange {
                municipality: n[0].clone(),
                change: difference(pf, pt, gf.get(key), gt.get(key), s),
                unit,
            })
        })
        .collect();
    out.sort_by(|x, y| (&x.municipality, &x.unit).cmp(&(&y.municipality, &y.unit)));
    out
}

fn rc_changes(
    out: &mut Changes,
    (f, pf): (&rc::Frames, &crate::results::Rc),
    (t, pt): (&rc::Frames, &crate::results::Rc),
    names: &Names,
    s: &Settings,
) -> PolarsResult<()> {
    // The network: respondent RC.
    let (rf, rt) = (
        grouped(&f.respondents, &[], frame_col::RC)?,
        grouped(&t.respondents, &[], frame_col::RC)?,
    );
    let network = |r: &crate::results::Rc| {
        Some((
            r.network.score,
            r.network.n_respondents,
            r.network.suppressed,
        ))
    };
    out.network = Some(difference(
        network(pf),
        network(pt),
        rf.get(&vec![]),
        rt.get(&vec![]),
        s,
    ));

    // The dimension profile: the ties that count toward respondent RC.
    let (sf, st) = (valid_ties(&f.scored_ties)?, valid_ties(&t.scored_ties)?);
    for (d, _) in RC_DIMENSIONS {
        let (gf, gt) = (grouped(&sf, &[], d)?, grouped(&st, &[], d)?);
        let published = |r: &crate::results::Rc| {
            r.dimensions
                .iter()
                .find(|x| x.dimension == d)
                .map(|x| (x.mean, x.n_respondents, x.suppressed))
        };
        out.dimensions.push(DimensionChange {
            dimension: d.to_string(),
            change: difference(
                published(pf),
                published(pt),
                gf.get(&vec![]),
                gt.get(&vec![]),
                s,
            ),
        });
    }

    // Role-pair cells: every valid tie.
    let (tf, tt) = (valid_ties(&f.ties)?, valid_ties(&t.ties)?);
    let keys = [a::ROLE, a::TARGET];
    let (gf, gt) = (
        grouped(&tf, &keys, frame_col::TIE)?,
        grouped(&tt, &keys, frame_col::TIE)?,
    );
    let all: BTreeSet<&Vec<Option<u32>>> = gf.keys().chain(gt.keys()).collect();
    for key in all {
        let n = key_names(names, key);
        let (Some(rater), Some(target)) = (n[0].clone(), n[1].clone()) else {
            continue;
        };
        let published = |r: &crate::results::Rc| {
            r.pairs
                .iter()
                .find(|x| x.rater_role == rater && x.target_role == target)
                .map(|x| (x.estimate.score, x.estimate.n, x.estimate.suppressed))
        };
        out.pairs.push(PairChange {
            change: difference(published(pf), published(pt), gf.get(key), gt.get(key), s),
            rater_role: rater,
            target_role: target,
        });
    }
    out.pairs
        .sort_by(|x, y| (&x.rater_role, &x.target_role).cmp(&(&y.rater_role, &y.target_role)));

    // Units and municipalities: respondent RC.
    let keys = [a::MUNICIPALITY, a::UNIT];
    let (gf, gt) = (
        grouped(&f.respondents, &keys, frame_col::RC)?,
        grouped(&t.respondents, &keys, frame_col::RC)?,
    );
    let unit = |r: &crate::results::Rc, m: &Option<String>, u: &str| {
        r.units
            .iter()
            .find(|x| &x.municipality == m && x.unit == u)
            .map(|x| (x.estimate.score, x.estimate.n, x.estimate.suppressed))
    };
    out.units = unit_changes(&gf, &gt, names, s, |m, u| (unit(pf, m, u), unit(pt, m, u)));

    let keys = [a::MUNICIPALITY];
    let (gf, gt) = (
        grouped(&f.respondents, &keys, frame_col::RC)?,
        grouped(&t.respondents, &keys, frame_col::RC)?,
    );
    let all: BTreeSet<&Vec<Option<u32>>> = gf.keys().chain(gt.keys()).collect();
    for key in all {
        let Some(m) = key_names(names, key)[0].clone() else {
            continue;
        };
        let published = |r: &crate::results::Rc| {
            r.municipalities
                .iter()
                .find(|x| x.municipality == m)
                .map(|x| (x.estimate.score, x.estimate.n, x.estimate.suppressed))
        };
        out.municipalities.push(MunicipalityChange {
            change: difference(published(pf), published(pt), gf.get(key), gt.get(key), s),
            municipality: m,
        });
    }
    out.municipalities
        .sort_by(|x, y| x.municipality.cmp(&y.municipality));
    Ok(())
}
