//! Effect models: one specification, fitted with the statistics engine and turned into a
//! result with its effect statement, bootstrap and warnings. Used by `report`'s standard
//! models and by `relcap regress`.

use crate::results::{Bootstrap, Effect, Model, ModelCoefficient};
use crate::stats::bootstrap::wild_cluster_p;
use crate::stats::effects;
use crate::stats::ols::{fit, FitError, SeType};

/// Fewer clusters than this get a warning and, by default, a wild cluster bootstrap.
pub const FEW_CLUSTERS: usize = 20;

/// What to fit.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: String,
    pub y: String,
    pub x: Vec<String>,
    /// Take logs of y and every x.
    pub log_log: bool,
    pub se: SeType,
    /// What the clusters are (a column name or a level such as "municipality").
    pub cluster_by: Option<String>,
    /// Wild bootstrap draws: `None` = 999 when CR1 has fewer than 20 clusters.
    pub bootstrap: Option<usize>,
    pub seed: u64,
    pub confidence: f64,
}

/// The observations of a model, in their original units.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub y: Vec<f64>,
    /// One vector per predictor, in `Spec::x` order.
    pub x: Vec<Vec<f64>>,
    /// Each observation's cluster, numbered 0.. in order of first appearance
    /// ([`cluster_ids`]), for CR1.
    pub clusters: Option<Vec<usize>>,
}

/// Numbers the clusters of `labels` 0, 1, ... in the order they first appear.
pub fn cluster_ids<K: std::hash::Hash + Eq>(labels: impl IntoIterator<Item = K>) -> Vec<usize> {
    let mut index: rustc_hash::FxHashMap<K, usize> = rustc_hash::FxHashMap::default();
    labels
        .into_iter()
        .map(|l| {
            let next = index.len();
            *index.entry(l).or_insert(next)
        })
        .collect()
}

/// Fits `spec` on `data`. Logs must be taken of positive values: the caller checks them
/// where it can name the line; here a non-positive value is an error of its own.
pub fn estimate(spec: &Spec, data: &Data) -> Result<Model, FitError> {
    let transform = |v: &[f64], name: &str| -> Result<Vec<f64>, FitError> {
        if !spec.log_log {
            return Ok(v.to_vec());
        }
        if v.iter().any(|x| *x <= 0.0) {
            return Err(FitError::NotFinite {
                term: format!("ln({name})"),
            });
        }
        Ok(v.iter().map(|x| x.ln()).collect())
    };
    let y = transform(&data.y, &spec.y)?;
    let xs: Vec<Vec<f64>> = data
        .x
        .iter()
        .zip(&spec.x)
        .map(|(v, n)| transform(v, n))
        .collect::<Result<_, _>>()?;
    let names: Vec<String> = spec
        .x
        .iter()
        .map(|n| {
            if spec.log_log {
                format!("ln({n})")
            } else {
                n.clone()
            }
        })
        .collect();
    let terms: Vec<(&str, &[f64])> = names
        .iter()
        .zip(&xs)
        .map(|(n, v)| (n.as_str(), v.as_slice()))
        .collect();
    let ids = data.clusters.as_deref();
    let f = fit(&y, &terms, spec.se, ids, spec.confidence)?;

    let mut warnings = Vec::new();
    let mut bootstrap = None;
    let mut boot_p: Vec<Option<f64>> = vec![None; f.k];
    if let (SeType::Cr1, Some(g), Some(ids)) = (spec.se, f.clusters, ids.as_ref()) {
        if g < FEW_CLUSTERS {
            warnings.push(format!(
                "only {g} clusters: cluster-robust tests can reject too often with fewer than {FEW_CLUSTERS} (Cameron, Gelbach & Miller 2008); read the wild cluster bootstrap p"
            ));
        }
        let draws = spec
            .bootstrap
            .unwrap_or(if g < FEW_CLUSTERS { 999 } else { 0 });
        if draws > 0 {
            let mut info = None;
            for (j, slot) in boot_p.iter_mut().enumerate().skip(1) {
                let b = wild_cluster_p(&y, &terms, ids, j, draws, spec.seed)?;
                *slot = Some(b.p);
                info = Some((b.draws, b.enumerated));
            }
            if let Some((draws, enumerated)) = info {
                bootstrap = Some(Bootstrap {
                    method: "wild cluster bootstrap-t, restricted, Rademacher weights".into(),
                    draws,
                    enumerated,
                    seed: spec.seed,
                });
            }
        }
    }
    if f.n < 30 {
        warnings.push(format!(
            "only {} observations: estimates are imprecise",
            f.n
        ));
    }

    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let coefficients: Vec<ModelCoefficient> = f
        .coefficients
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let effect = (j > 0).then(|| {
                let e = if spec.log_log {
                    Some((
                        effects::log_log(c.estimate, c.ci_low, c.ci_high, 10.0),
                        "log-log: (1.1^β − 1)·100",
                    ))
                } else {
                    effects::at_means(
                        c.estimate,
                        c.ci_low,
                        c.ci_high,
                        mean(&xs[j - 1]),
                        mean(&y),
                        10.0,
                    )
                    .map(|e| (e, "linear at the means: 10·b·x̄/ȳ"))
                };
                e.map(|(e, definition)| Effect {
                    term: spec.x[j - 1].clone(),
                    definition: definition.into(),
                    y_change_pct: e.pct,
                    ci_low: e.low,
                    ci_high: e.high,
                    approximation_pct: e.approximation,
                    statement: format!(
                        "+10 % {} → {:+.1} % {} (95 % CI {:+.1} to {:+.1} %)",
                        spec.x[j - 1],
                        e.pct,
                        spec.y,
                        e.low,
                        e.high
                    ),
                })
            });
            ModelCoefficient {
                term: c.term.clone(),
                estimate: c.estimate,
                std_error: c.std_error,
                t: c.t,
                p: c.p,
                ci_low: c.ci_low,
                ci_high: c.ci_high,
                bootstrap_p: boot_p[j],
                effect_10pct: effect.flatten(),
            }
        })
        .collect();
    Ok(Model {
        name: spec.name.clone(),
        y: if spec.log_log {
            format!("ln({})", spec.y)
        } else {
            spec.y.clone()
        },
        x: names,
        transform: if spec.log_log { "log-log" } else { "linear" }.into(),
        se_type: spec.se.name().into(),
        cluster_by: spec.cluster_by.clone().filter(|_| spec.se == SeType::Cr1),
        n: f.n,
        k: f.k,
        clusters: f.clusters,
        df: f.df,
        r2: f.r2,
        adj_r2: f.adj_r2,
        f: f.f,
        f_p: f.f_p,
        resid_sd: f.resid_sd,
        effect_10pct: coefficients.get(1).and_then(|c| c.effect_10pct.clone()),
        coefficients,
        bootstrap,
        warnings,
        vcov: (0..f.k)
            .map(|i| (0..f.k).map(|j| f.cov[(i, j)]).collect())
            .collect(),
        scatter: None,
    })
}

/// The fitted line of a one-predictor model and its pointwise 95 % band at `steps` points
/// across [x_min, x_max] (original scale): ŷ ± t(df)·√(V₀₀ + 2xV₀₁ + x²V₁₁), back-transformed
/// when the model is log-log.
pub fn fitted_line(m: &Model, x_min: f64, x_max: f64, steps: usize) -> Vec<[f64; 4]> {
    if m.coefficients.len() != 2
        || m.vcov.len() != 2
        || x_max.partial_cmp(&x_min) != Some(std::cmp::Ordering::Greater)
    {
        return Vec::new();
    }
    let log = m.transform == "log-log";
    let (a, b) = (m.coefficients[0].estimate, m.coefficients[1].estimate);
    let v = &m.vcov;
    let t = crate::stats::summary::t_quantile(0.975, m.df).unwrap_or(1.96);
    (0..=steps)
        .map(|i| {
            let x = x_min + (x_max - x_min) * i as f64 / steps as f64;
            let u = if log { x.ln() } else { x };
            let fit = a + b * u;
            let se = (v[0][0] + 2.0 * u * v[0][1] + u * u * v[1][1])
                .max(0.0)
                .sqrt();
            let back = |y: f64| if log { y.exp() } else { y };
            [x, back(fit), back(fit - t * se), back(fit + t * se)]
        })
        .collect()
}

fn span(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(*x), hi.max(*x))
        })
}

/// A grid of `bins` × `bins` cells over the range of x and y, evenly spaced on the log
/// scale when `log` is set; cells with fewer than `min_n` observations are null.
pub fn histogram(
    x: &[f64],
    y: &[f64],
    bins: usize,
    log: bool,
    min_n: usize,
    of: &str,
) -> Option<crate::results::Bins> {
    let tf = |v: f64| if log { v.ln() } else { v };
    let range = |v: &[f64]| -> Option<(f64, f64)> {
        let lo = v.iter().copied().map(tf).fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().map(tf).fold(f64::NEG_INFINITY, f64::max);
        (lo.is_finite() && hi.is_finite()).then_some(if hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, hi + 0.5)
        })
    };
    let ((x0, x1), (y0, y1)) = (range(x)?, range(y)?);
    let index = |v: f64, lo: f64, hi: f64| {
        (((tf(v) - lo) / (hi - lo) * bins as f64) as usize).min(bins - 1)
    };
    let mut counts = vec![vec![0usize; bins]; bins];
    for (a, b) in x.iter().zip(y) {
        counts[index(*a, x0, x1)][index(*b, y0, y1)] += 1;
    }
    let back = |v: f64| if log { v.exp() } else { v };
    let edges = |lo: f64, hi: f64| {
        (0..=bins)
            .map(|i| back(lo + (hi - lo) * i as f64 / bins as f64))
            .collect()
    };
    Some(crate::results::Bins {
        of: of.into(),
        x_edges: edges(x0, x1),
        y_edges: edges(y0, y1),
        counts: counts
            .into_iter()
            .map(|col| col.into_iter().map(|c| (c >= min_n).then_some(c)).collect())
            .collect(),
    })
}

/// `quality_on_rc`, unit level: ln(unit quality) ~ ln(unit RC), over the units with at
/// least min-n respondents and min-n citizens, clustered by municipality. Runs before the
/// privacy pass; the chart points of units that pass hides are dropped there.
/// The unit-level scatter shows each unit as a point up to this many units, and counts
/// them in a grid beyond.
pub const UNIT_POINTS_UP_TO: usize = 2000;

pub fn quality_on_rc(
    rc: &crate::results::Rc,
    quality: &crate::results::Quality,
    s: &crate::config::Settings,
) -> Result<Model, String> {
    let mut data = Data::default();
    let mut munis = Vec::new();
    let mut keys = Vec::new();
    let enough = |e: &crate::results::Estimate| e.n.unwrap_or(0) >= s.min_n;
    // Each unit's quality looked up by key: a scan per unit was quadratic in units.
    let quality_of: std::collections::HashMap<(Option<&str>, &str), Option<f64>> = quality
        .units
        .iter()
        .filter(|q| enough(&q.estimate))
        .map(|q| {
            (
                (q.municipality.as_deref(), q.unit.as_str()),
                q.estimate.score,
            )
        })
        .collect();
    for u in rc.units.iter().filter(|u| enough(&u.estimate)) {
        let Some(x) = u.estimate.score else { continue };
        let q = quality_of
            .get(&(u.municipality.as_deref(), u.unit.as_str()))
            .copied()
            .flatten();
        if let Some(y) = q {
            data.y.push(y);
            data.x.push(vec![x]);
            munis.push(u.municipality.clone());
            keys.push((u.municipality.clone(), u.unit.clone()));
        }
    }
    let x: Vec<f64> = data.x.iter().map(|v| v[0]).collect();
    data.x = vec![x];
    let clustered = munis.iter().all(Option::is_some) && !munis.is_empty();
    if clustered {
        data.clusters = Some(cluster_ids(munis.iter().flatten()));
    }
    let spec = Spec {
        name: "quality_on_rc".into(),
        y: "unit quality".into(),
        x: vec!["unit RC".into()],
        log_log: true,
        se: if clustered { SeType::Cr1 } else { SeType::Hc1 },
        cluster_by: Some("municipality".into()),
        bootstrap: s.bootstrap,
        seed: s.seed,
        confidence: s.confidence,
    };
    let points: Vec<[f64; 2]> = data.x[0]
        .iter()
        .zip(&data.y)
        .map(|(x, y)| [*x, *y])
        .collect();
    let mut model = estimate(&spec, &data).map_err(|e| {
        format!(
            "quality_on_rc not fitted: {e} ({} units have at least {} respondents and {} citizens)",
            data.y.len(),
            s.min_n,
            s.min_n
        )
    })?;
    let (lo, hi) = span(&data.x[0]);
    // Beyond a few thousand units, points are a cloud of megabytes: the chart counts units
    // in a grid instead, hiding cells of fewer than min-n units so no cell singles one out
    // (the privacy pass, which drops the points of hidden units, runs later).
    model.scatter = Some(if points.len() > UNIT_POINTS_UP_TO {
        crate::results::Scatter {
            points: Vec::new(),
            point_units: Vec::new(),
            bins: histogram(&data.x[0], &data.y, 30, true, s.min_n, "units"),
            line: fitted_line(&model, lo, hi, 40),
        }
    } else {
        crate::results::Scatter {
            points,
            point_units: keys,
            bins: None,
            line: fitted_line(&model, lo, hi, 40),
        }
    });
    if !clustered {
        model.warnings.push(
            "no municipality for every unit, so errors are HC1, not clustered by municipality"
                .into(),
        );
    }
    Ok(model)
}

/// `rc_on_leadership`, respondent level: ln(respondent RC) ~ ln(leadership score), over
/// every respondent with both scores, clustered by unit.
pub fn rc_on_leadership(
    rc: &crate::measures::rc::RespondentScores,
    leadership: &crate::measures::leadership::RespondentScores,
    s: &crate::config::Settings,
) -> Result<Model, String> {
    let lead: rustc_hash::FxHashMap<u32, f64> = leadership.iter().copied().collect();
    let mut data = Data::default();
    let mut x = Vec::new();
    let mut units = Vec::new();
    let mut without_unit = 0;
    for r in rc {
        let Some(l) = lead.get(&r.id) else {
            continue;
        };
        let Some(unit) = r.unit else {
            without_unit += 1;
            continue;
        };
        data.y.push(r.score);
        x.push(*l);
        units.push((r.municipality, unit));
    }
    data.x = vec![x];
    data.clusters = Some(cluster_ids(units));
    let spec = Spec {
        name: "rc_on_leadership".into(),
        y: "respondent RC".into(),
        x: vec!["leadership score".into()],
        log_log: true,
        se: SeType::Cr1,
        cluster_by: Some("unit".into()),
        bootstrap: s.bootstrap,
        seed: s.seed,
        confidence: s.confidence,
    };
    let mut model = estimate(&spec, &data).map_err(|e| {
        format!(
            "rc_on_leadership not fitted: {e} ({} respondents have both scores and a unit)",
            data.y.len()
        )
    })?;
    let (lo, hi) = span(&data.x[0]);
    model.scatter = Some(crate::results::Scatter {
        points: Vec::new(),
        point_units: Vec::new(),
        // About 20 respondents a cell on average, so that cells clear min-n: 4 to 30 a side.
        bins: histogram(
            &data.x[0],
            &data.y,
            ((data.y.len() as f64 / 20.0).sqrt() as usize).clamp(4, 30),
            true,
            s.min_n,
            "respondents",
        ),
        line: fitted_line(&model, lo, hi, 40),
    });
    if without_unit > 0 {
        model.warnings.push(format!(
            "{without_unit} respondents with both scores have no unit and were left out"
        ));
    }
    Ok(model)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_two_thousand_units_the_scatter_counts_units_in_a_grid_instead_of_points() {
        use crate::results::{Estimate, Quality, Rc, Unit};
        let unit = |u: usize, score: f64| Unit {
            municipality: Some(format!("K{}", u % 40)),
            unit: format!("E{u}"),
            estimate: Estimate {
                score: Some(score),
                n: Some(20),
                ..Estimate::default()
            },
        };
        let s = crate::config::Settings::default();
        let fit = |units: usize| {
            let mut rc = Rc::default();
            let mut q = Quality::default();
            for u in 0..units {
                let x = 2.0 + (u % 97) as f64 / 40.0;
                rc.units.push(unit(u, x));
                q.units
                    .push(unit(u, 0.5 * x + 1.0 + (u % 13) as f64 / 30.0));
            }
            quality_on_rc(&rc, &q, &s).unwrap().scatter.unwrap()
        };
        let few = fit(300);
        assert_eq!((few.points.len(), few.bins.is_none()), (300, true));
        let many = fit(UNIT_POINTS_UP_TO + 1);
        assert!(many.points.is_empty() && many.point_units.is_empty());
        let bins = many.bins.unwrap();
        assert_eq!(bins.of, "units");
        let counted: usize = bins.counts.iter().flatten().flatten().sum();
        assert!(counted <= UNIT_POINTS_UP_TO + 1 && counted > 0);
        assert!(bins
            .counts
            .iter()
            .flatten()
            .flatten()
            .all(|&c| c >= s.min_n));
    }

    #[test]
    fn clusters_are_numbered_in_order_of_first_appearance() {
        assert_eq!(cluster_ids(["b", "a", "b", "c", "a"]), [0, 1, 0, 2, 1]);
        assert_eq!(
            cluster_ids([(Some(3u32), 1u32), (None, 1), (Some(3), 1)]),
            [0, 1, 0]
        );
        assert!(cluster_ids(Vec::<String>::new()).is_empty());
    }

    #[test]
    fn histograms_hide_cells_under_min_n_and_span_the_data() {
        let x = [1.0, 1.0, 1.0, 4.0, 4.0];
        let y = [2.0, 2.0, 2.0, 5.0, 5.0];
        let b = histogram(&x, &y, 2, false, 3, "respondents").unwrap();
        assert_eq!(b.x_edges, [1.0, 2.5, 4.0]);
        assert_eq!(b.counts, vec![vec![Some(3), None], vec![None, None]]);
        let b = histogram(&[1.0, 10.0, 100.0], &[1.0, 1.0, 1.0], 2, true, 1, "units").unwrap();
        assert!((b.x_edges[1] - 10.0).abs() < 1e-9, "log-spaced edges");
    }
}
