//! Effect models: one specification, fitted with the statistics engine and turned into a
//! result with its effect statement, bootstrap and warnings. Used by `report`'s standard
//! models and by `relcap regress`.

use std::collections::BTreeMap;

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
    /// Each observation's cluster label, for CR1.
    pub clusters: Option<Vec<String>>,
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
    let ids: Option<Vec<usize>> = data.clusters.as_ref().map(|labels| {
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for l in labels {
            let next = index.len();
            index.entry(l.as_str()).or_insert(next);
        }
        labels.iter().map(|l| index[l.as_str()]).collect()
    });
    let f = fit(&y, &terms, spec.se, ids.as_deref(), spec.confidence)?;

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
    })
}

/// `quality_on_rc`, unit level: ln(unit quality) ~ ln(unit RC), over the units shown in
/// both (at least min-n respondents and min-n citizens), clustered by municipality.
/// Runs after the privacy pass, so it uses exactly the units that are shown.
pub fn quality_on_rc(
    rc: &crate::results::Rc,
    quality: &crate::results::Quality,
    s: &crate::config::Settings,
) -> Result<Model, String> {
    let mut data = Data::default();
    let mut munis = Vec::new();
    for u in &rc.units {
        let Some(x) = u.estimate.score else { continue };
        let q = quality
            .units
            .iter()
            .find(|q| q.municipality == u.municipality && q.unit == u.unit)
            .and_then(|q| q.estimate.score);
        if let Some(y) = q {
            data.y.push(y);
            data.x.push(vec![x]);
            munis.push(u.municipality.clone());
        }
    }
    let x: Vec<f64> = data.x.iter().map(|v| v[0]).collect();
    data.x = vec![x];
    let clustered = munis.iter().all(Option::is_some) && !munis.is_empty();
    if clustered {
        data.clusters = Some(munis.into_iter().flatten().collect());
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
    let mut model = estimate(&spec, &data).map_err(|e| {
        format!(
            "quality_on_rc not fitted: {e} ({} units have at least {} respondents and {} citizens)",
            data.y.len(),
            s.min_n,
            s.min_n
        )
    })?;
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
    let lead: std::collections::HashMap<&str, f64> =
        leadership.iter().map(|(id, v)| (id.as_str(), *v)).collect();
    let mut data = Data::default();
    let mut x = Vec::new();
    let mut units = Vec::new();
    let mut without_unit = 0;
    for r in rc {
        let Some(l) = lead.get(r.id.as_str()) else {
            continue;
        };
        let Some(unit) = &r.unit else {
            without_unit += 1;
            continue;
        };
        data.y.push(r.score);
        x.push(*l);
        units.push(format!(
            "{}\u{1f}{unit}",
            r.municipality.as_deref().unwrap_or("")
        ));
    }
    data.x = vec![x];
    data.clusters = Some(units);
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
    if without_unit > 0 {
        model.warnings.push(format!(
            "{without_unit} respondents with both scores have no unit and were left out"
        ));
    }
    Ok(model)
}
