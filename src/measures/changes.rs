//! The wave comparison: each figure's change from one wave to the next, with the interval of
//! [`crate::stats::change`]. A change is computed only where the figure is shown in both
//! waves (after each wave's own privacy pass), so min-n holds per wave and per cell.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use polars::prelude::*;

use crate::answers::{col as a, Names};
use crate::config::Settings;
use crate::instruments::RC_DIMENSIONS;
use crate::measures::frame::{codes, numbers};
use crate::measures::leadership::{self, Design};
use crate::measures::quality;
use crate::measures::rc::{self, frame_col};
use crate::results::{
    Changes, Difference, DimensionChange, Estimate, GroupChange, LeadershipChange,
    MunicipalityChange, PairChange, UnitChange, Wave,
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

fn shown(e: &Estimate) -> Shown {
    (e.score, e.n, e.suppressed)
}

/// Observations per group: group key (codes) → (respondent, value).
type Groups = BTreeMap<Vec<Option<u32>>, Vec<(u32, f64)>>;

/// Published figures by the names of their key (role pair, municipality and unit, ...).
type Published = HashMap<Vec<Option<String>>, Shown>;

/// The non-null values of each of `values`, grouped by the `keys` columns, in one pass
/// over the respondent and key columns.
fn grouped(df: &DataFrame, keys: &[&str], values: &[&str]) -> PolarsResult<Vec<Groups>> {
    let respondents = codes(df, a::RESPONDENT)?;
    let key_columns: Vec<Vec<Option<u32>>> = keys
        .iter()
        .map(|k| codes(df, k))
        .collect::<PolarsResult<_>>()?;
    let keys: Vec<Vec<Option<u32>>> = (0..df.height())
        .map(|i| key_columns.iter().map(|c| c[i]).collect())
        .collect();
    values
        .iter()
        .map(|value| {
            let mut out = Groups::new();
            for (i, v) in numbers(df, value)?.into_iter().enumerate() {
                if let (Some(r), Some(v)) = (respondents[i], v) {
                    out.entry(keys[i].clone()).or_default().push((r, v));
                }
            }
            Ok(out)
        })
        .collect()
}

/// The observations of each of `values` over the whole table (no key).
fn totals(df: &DataFrame, values: &[&str]) -> PolarsResult<Vec<Vec<(u32, f64)>>> {
    Ok(grouped(df, &[], values)?
        .into_iter()
        .map(|mut g| g.remove(&Vec::new()).unwrap_or_default())
        .collect())
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

/// The changes of keyed figures (role pairs, units, municipalities): every key found in
/// either wave, in key order (codes sort like their names), with the names of its key.
fn keyed(
    (gf, pf): (&Groups, &Published),
    (gt, pt): (&Groups, &Published),
    names: &Names,
    s: &Settings,
) -> Vec<(Vec<Option<String>>, Difference)> {
    let keys: BTreeSet<&Vec<Option<u32>>> = gf.keys().chain(gt.keys()).collect();
    keys.into_iter()
        .map(|key| {
            let n: Vec<Option<String>> = key
                .iter()
                .map(|c| c.map(|c| names.name(c).to_string()))
                .collect();
            let d = difference(
                pf.get(&n).copied(),
                pt.get(&n).copied(),
                gf.get(key),
                gt.get(key),
                s,
            );
            (n, d)
        })
        .collect()
}

/// The changes of units keyed by (municipality, unit).
fn unit_changes(
    from: (&Groups, &Published),
    to: (&Groups, &Published),
    names: &Names,
    s: &Settings,
) -> Vec<UnitChange> {
    keyed(from, to, names, s)
        .into_iter()
        .filter_map(|(mut n, change)| {
            let unit = n.pop().flatten()?;
            Some(UnitChange {
                municipality: n.pop().flatten(),
                unit,
                change,
            })
        })
        .collect()
}

fn units_published(units: &[crate::results::Unit]) -> Published {
    units
        .iter()
        .map(|u| {
            (
                vec![u.municipality.clone(), Some(u.unit.clone())],
                shown(&u.estimate),
            )
        })
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
        // The score first, then each group's column.
        let groups = leadership::groups(design);
        let columns: Vec<String> = std::iter::once(leadership::SCORE.to_string())
            .chain((0..groups.len()).map(leadership::group_col))
            .collect();
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        let (of, ot) = (totals(f, &columns)?, totals(t, &columns)?);
        let group = |l: &crate::results::Leadership, g: &str| {
            l.groups
                .iter()
                .find(|x| x.group == g)
                .map(|x| (x.mean, x.n, x.suppressed))
        };
        out.leadership = Some(LeadershipChange {
            score: difference(
                Some(shown(&pf.score)),
                Some(shown(&pt.score)),
                Some(&of[0]),
                Some(&ot[0]),
                s,
            ),
            groups: groups
                .iter()
                .enumerate()
                .map(|(j, g)| GroupChange {
                    group: g.clone(),
                    change: difference(
                        group(pf, g),
                        group(pt, g),
                        Some(&of[j + 1]),
                        Some(&ot[j + 1]),
                        s,
                    ),
                })
                .collect(),
        });
    }
    if let (Some(f), Some(t), Some(pf), Some(pt)) = (
        from.quality,
        to.quality,
        from.published.quality.as_ref(),
        to.published.quality.as_ref(),
    ) {
        let keys = [a::MUNICIPALITY, a::UNIT];
        let (gf, gt) = (
            grouped(f, &keys, &[quality::SCORE])?.remove(0),
            grouped(t, &keys, &[quality::SCORE])?.remove(0),
        );
        out.quality_units = unit_changes(
            (&gf, &units_published(&pf.units)),
            (&gt, &units_published(&pt.units)),
            names,
            s,
        );
    }
    Ok(out)
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
        totals(&f.respondents, &[frame_col::RC])?,
        totals(&t.respondents, &[frame_col::RC])?,
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
        Some(&rf[0]),
        Some(&rt[0]),
        s,
    ));

    // The dimension profile: the ties that count toward respondent RC.
    let dims: Vec<&str> = RC_DIMENSIONS.iter().map(|(d, _)| *d).collect();
    let (df, dt) = (
        totals(&valid_ties(&f.scored_ties)?, &dims)?,
        totals(&valid_ties(&t.scored_ties)?, &dims)?,
    );
    for (i, d) in dims.iter().enumerate() {
        let published = |r: &crate::results::Rc| {
            r.dimensions
                .iter()
                .find(|x| x.dimension == *d)
                .map(|x| (x.mean, x.n_respondents, x.suppressed))
        };
        out.dimensions.push(DimensionChange {
            dimension: d.to_string(),
            change: difference(published(pf), published(pt), Some(&df[i]), Some(&dt[i]), s),
        });
    }

    // Role-pair cells: every valid tie.
    let keys = [a::ROLE, a::TARGET];
    let (gf, gt) = (
        grouped(&valid_ties(&f.ties)?, &keys, &[frame_col::TIE])?.remove(0),
        grouped(&valid_ties(&t.ties)?, &keys, &[frame_col::TIE])?.remove(0),
    );
    let pairs = |r: &crate::results::Rc| -> Published {
        r.pairs
            .iter()
            .map(|p| {
                (
                    vec![Some(p.rater_role.clone()), Some(p.target_role.clone())],
                    shown(&p.estimate),
                )
            })
            .collect()
    };
    out.pairs = keyed((&gf, &pairs(pf)), (&gt, &pairs(pt)), names, s)
        .into_iter()
        .filter_map(|(n, change)| {
            let [Some(rater), Some(target)] = <[Option<String>; 2]>::try_from(n).ok()? else {
                return None;
            };
            Some(PairChange {
                rater_role: rater,
                target_role: target,
                change,
            })
        })
        .collect();

    // Units and municipalities: respondent RC.
    let keys = [a::MUNICIPALITY, a::UNIT];
    let (gf, gt) = (
        grouped(&f.respondents, &keys, &[frame_col::RC])?.remove(0),
        grouped(&t.respondents, &keys, &[frame_col::RC])?.remove(0),
    );
    out.units = unit_changes(
        (&gf, &units_published(&pf.units)),
        (&gt, &units_published(&pt.units)),
        names,
        s,
    );

    let keys = [a::MUNICIPALITY];
    let (gf, gt) = (
        grouped(&f.respondents, &keys, &[frame_col::RC])?.remove(0),
        grouped(&t.respondents, &keys, &[frame_col::RC])?.remove(0),
    );
    let municipalities = |r: &crate::results::Rc| -> Published {
        r.municipalities
            .iter()
            .map(|m| (vec![Some(m.municipality.clone())], shown(&m.estimate)))
            .collect()
    };
    out.municipalities = keyed(
        (&gf, &municipalities(pf)),
        (&gt, &municipalities(pt)),
        names,
        s,
    )
    .into_iter()
    .filter_map(|(mut n, change)| {
        Some(MunicipalityChange {
            municipality: n.pop().flatten()?,
            change,
        })
    })
    .collect();
    Ok(())
}
