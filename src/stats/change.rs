//! The change of a mean between two waves, with its confidence interval.
//!
//! Every figure relcap compares across waves is a mean of observations that belong to
//! respondents, and the same respondent may answer in both waves. Observations come as
//! (respondent, value) pairs; a respondent who answers in both waves gives a pair.
//!
//! - One observation per respondent and wave (respondent RC, a unit's respondents, a
//!   role-pair cell, leadership, citizen quality): the partially overlapping samples t-test
//!   of Derrick, Russ, Toher & White (2017), as in R's `Partiallyoverlapping::Partover.test`
//!   with unequal variances. With no respondent in both waves it *is* Welch's test; with
//!   every respondent in both waves it *is* the paired t-test; in between it uses the pairs'
//!   correlation and interpolates the degrees of freedom.
//! - Several observations per respondent (the dimension profile, which averages a
//!   respondent's ties): the cluster-robust (CR1) variance of the difference of the two
//!   means, clustered by respondent across both waves, on t(G − 1) — OLS of the value on a
//!   wave dummy with errors clustered by respondent, as statsmodels and Stata compute it.

use rustc_hash::FxHashMap;

use crate::stats::summary::t_quantile;

/// How the interval of a change was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// No respondent answered in both waves: Welch's unequal-variance t.
    Welch,
    /// Every respondent answered in both waves: the paired t.
    Paired,
    /// Some respondents answered in both waves: Derrick et al.'s partially overlapping t.
    PartiallyPaired,
    /// Several observations per respondent: cluster-robust by respondent.
    Clustered,
}

impl Method {
    pub fn name(self) -> &'static str {
        match self {
            Method::Welch => "welch",
            Method::Paired => "paired",
            Method::PartiallyPaired => "partially_paired",
            Method::Clustered => "clustered",
        }
    }
}

/// A change from one wave's mean to the next, `to − from`.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub from: f64,
    pub to: f64,
    pub change: f64,
    pub se: f64,
    pub df: f64,
    pub ci: (f64, f64),
    pub n_from: usize,
    pub n_to: usize,
    /// Respondents with an observation in both waves.
    pub n_paired: usize,
    pub method: Method,
}

impl Change {
    /// The change from mean `m.0` to `m.1` with variance `var` on `df` degrees of freedom;
    /// `None` when the interval is undefined.
    fn of(
        (n_from, n_to): (usize, usize),
        (m1, m2): (f64, f64),
        var: f64,
        df: f64,
        n_paired: usize,
        method: Method,
        confidence: f64,
    ) -> Option<Change> {
        let se = var.max(0.0).sqrt();
        let change = m2 - m1;
        Some(Change {
            from: m1,
            to: m2,
            change,
            se,
            df,
            ci: interval(change, se, df, confidence)?,
            n_from,
            n_to,
            n_paired,
            method,
        })
    }

    /// Whether the interval excludes 0; otherwise the change is "no detectable change".
    pub fn detectable(&self) -> bool {
        self.ci.0 > 0.0 || self.ci.1 < 0.0
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn var(v: &[f64]) -> f64 {
    let m = mean(v);
    v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)
}

fn interval(change: f64, se: f64, df: f64, confidence: f64) -> Option<(f64, f64)> {
    if !(df.is_finite() && df > 0.0 && se.is_finite()) {
        return None;
    }
    let t = t_quantile(1.0 - (1.0 - confidence) / 2.0, df)?;
    Some((change - t * se, change + t * se))
}

/// The change of the mean from `from` to `to`, each a list of (respondent, value); `None`
/// when either wave has fewer than two observations or the interval is undefined.
pub fn mean_change(from: &[(u32, f64)], to: &[(u32, f64)], confidence: f64) -> Option<Change> {
    if from.len() < 2 || to.len() < 2 {
        return None;
    }
    let once = |obs: &[(u32, f64)]| {
        let mut seen = FxHashMap::default();
        seen.reserve(obs.len());
        obs.iter().all(|(r, v)| seen.insert(*r, *v).is_none())
    };
    if !(once(from) && once(to)) {
        return clustered(from, to, confidence);
    }
    let later: FxHashMap<u32, f64> = to.iter().copied().collect();
    let pairs: Vec<(f64, f64)> = from
        .iter()
        .filter_map(|(r, a)| later.get(r).map(|b| (*a, *b)))
        .collect();
    let x1: Vec<f64> = from.iter().map(|o| o.1).collect();
    let x2: Vec<f64> = to.iter().map(|o| o.1).collect();
    let (n1, n2, nc) = (x1.len() as f64, x2.len() as f64, pairs.len() as f64);
    let (v1, v2) = (var(&x1), var(&x2));
    let (m1, m2) = (mean(&x1), mean(&x2));
    let welch_df = (v1 / n1 + v2 / n2).powi(2)
        / ((v1 / n1).powi(2) / (n1 - 1.0) + (v2 / n2).powi(2) / (n2 - 1.0));
    // One pair gives no correlation; it is then treated as two independent answers.
    let (method, se2, df) = if pairs.len() < 2 {
        (Method::Welch, v1 / n1 + v2 / n2, welch_df)
    } else {
        let a: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        let b: Vec<f64> = pairs.iter().map(|p| p.1).collect();
        let (va, vb) = (var(&a), var(&b));
        let r = if va == 0.0 || vb == 0.0 {
            0.0
        } else {
            let (ma, mb) = (mean(&a), mean(&b));
            let cov = pairs.iter().map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / (nc - 1.0);
            cov / (va * vb).sqrt()
        };
        let se2 = v1 / n1 + v2 / n2 - 2.0 * r * nc * v1.sqrt() * v2.sqrt() / (n1 * n2);
        let (na, nb) = (n1 - nc, n2 - nc);
        let df = (nc - 1.0) + (welch_df - nc + 1.0) / (na + nb + 2.0 * nc) * (na + nb);
        let method = if na == 0.0 && nb == 0.0 {
            Method::Paired
        } else {
            Method::PartiallyPaired
        };
        (method, se2, df)
    };
    // In the paired case with no variance at all the Welch df is NaN, but the df is nc − 1.
    let df = if method == Method::Paired {
        nc - 1.0
    } else {
        df
    };
    Change::of(
        (from.len(), to.len()),
        (m1, m2),
        se2,
        df,
        pairs.len(),
        method,
        confidence,
    )
}

/// The change of a mean over observations clustered in respondents, CR1 by respondent.
fn clustered(from: &[(u32, f64)], to: &[(u32, f64)], confidence: f64) -> Option<Change> {
    let x1: Vec<f64> = from.iter().map(|o| o.1).collect();
    let x2: Vec<f64> = to.iter().map(|o| o.1).collect();
    let (m1, m2) = (mean(&x1), mean(&x2));
    let (n1, n2) = (x1.len() as f64, x2.len() as f64);
    // Each respondent's contribution to the difference of the means.
    let mut score: FxHashMap<u32, f64> = FxHashMap::default();
    for (r, v) in to {
        *score.entry(*r).or_default() += (v - m2) / n2;
    }
    for (r, v) in from {
        *score.entry(*r).or_default() -= (v - m1) / n1;
    }
    let paired = {
        let later: rustc_hash::FxHashSet<u32> = to.iter().map(|o| o.0).collect();
        let mut both: Vec<u32> = from
            .iter()
            .map(|o| o.0)
            .filter(|r| later.contains(r))
            .collect();
        both.sort_unstable();
        both.dedup();
        both.len()
    };
    let g = score.len() as f64;
    if g < 2.0 {
        return None;
    }
    // Summed in respondent order, so the last digit never depends on hashing.
    let mut contributions: Vec<(u32, f64)> = score.into_iter().collect();
    contributions.sort_unstable_by_key(|c| c.0);
    // CR1 as statsmodels and Stata apply it to OLS of the value on a wave dummy (k = 2).
    let n = n1 + n2;
    let v = g / (g - 1.0) * (n - 1.0) / (n - 2.0)
        * contributions.iter().map(|(_, s)| s * s).sum::<f64>();
    Change::of(
        (from.len(), to.len()),
        (m1, m2),
        v,
        g - 1.0,
        paired,
        Method::Clustered,
        confidence,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(ids: &[u32], values: &[f64]) -> Vec<(u32, f64)> {
        ids.iter().copied().zip(values.iter().copied()).collect()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    // Independent waves, worked by hand: from 3, 4, 5 (mean 4, variance 1) to 4, 5, 6, 5
    // (mean 5, variance 2/3). se² = 1/3 + (2/3)/4 = 1/2. Welch df = (1/2)² / ((1/3)²/2 +
    // (1/6)²/3) = 27/7. t(0.975, 27/7) = 2.8175 (scipy.stats.t.ppf; see
    // scripts/golden/change_reference.py, which also runs scipy's ttest_ind).
    #[test]
    fn independent_waves_use_welch() {
        let c = mean_change(
            &obs(&[1, 2, 3], &[3.0, 4.0, 5.0]),
            &obs(&[4, 5, 6, 7], &[4.0, 5.0, 6.0, 5.0]),
            0.95,
        )
        .unwrap();
        assert_eq!(c.method, Method::Welch);
        close(c.change, 1.0);
        close(c.se, 0.5f64.sqrt());
        close(c.df, 27.0 / 7.0);
        // scipy: ttest_ind([4,5,6,5],[3,4,5], equal_var=False).confidence_interval()
        close(c.ci.0, -0.9922547967028099);
        close(c.ci.1, 2.99225479670281);
        assert!(!c.detectable());
        assert_eq!((c.n_from, c.n_to, c.n_paired), (3, 4, 0));
    }

    // The same three respondents twice, worked by hand: differences 1, 2, 0 (mean 1, sd 1),
    // se = 1/√3, df = 2, t(0.975, 2) = 4.302652729749464, so 1 ± 2.4841... — no
    // detectable change. scipy: ttest_rel([4,6,5],[3,4,5]).confidence_interval().
    #[test]
    fn the_same_respondents_are_paired() {
        let c = mean_change(
            &obs(&[1, 2, 3], &[3.0, 4.0, 5.0]),
            &obs(&[3, 1, 2], &[5.0, 4.0, 6.0]),
            0.95,
        )
        .unwrap();
        assert_eq!(c.method, Method::Paired);
        close(c.change, 1.0);
        close(c.se, 1.0 / 3f64.sqrt());
        close(c.df, 2.0);
        close(c.ci.0, 1.0 - 4.302652729749464 / 3f64.sqrt());
        close(c.ci.1, 1.0 + 4.302652729749464 / 3f64.sqrt());
        assert!(!c.detectable());
        assert_eq!(c.n_paired, 3);
    }

    // A consistent gain of about 1 by every respondent is detectable when paired, though
    // the spread between respondents hides it from an unpaired comparison.
    #[test]
    fn pairing_finds_a_change_that_independent_samples_would_miss() {
        let before = [1.0, 2.0, 3.0, 4.0, 5.0];
        let after = [2.0, 3.0, 4.1, 4.9, 5.8];
        let paired = mean_change(
            &obs(&[1, 2, 3, 4, 5], &before),
            &obs(&[1, 2, 3, 4, 5], &after),
            0.95,
        )
        .unwrap();
        let independent = mean_change(
            &obs(&[1, 2, 3, 4, 5], &before),
            &obs(&[6, 7, 8, 9, 10], &after),
            0.95,
        )
        .unwrap();
        close(paired.change, independent.change);
        assert!(paired.detectable());
        assert!(!independent.detectable());
    }

    // Partly the same respondents: values from scripts/golden/change_reference.py, an
    // independent implementation of Partover.test(var.equal = FALSE).
    #[test]
    fn partly_the_same_respondents_use_the_partially_overlapping_t() {
        let c = mean_change(
            &obs(&[1, 2, 3, 4, 5, 6], &[3.0, 4.0, 2.0, 5.0, 3.0, 4.0]),
            &obs(&[1, 2, 3, 4, 7, 8, 9], &[4.0, 4.0, 3.0, 5.0, 5.0, 4.0, 3.0]),
            0.95,
        )
        .unwrap();
        assert_eq!(c.method, Method::PartiallyPaired);
        assert_eq!(c.n_paired, 4);
        close(c.change, 4.0 - 3.5);
        close(c.se, GOLDEN_PARTIAL.0);
        close(c.df, GOLDEN_PARTIAL.1);
        close(c.ci.0, GOLDEN_PARTIAL.2);
        close(c.ci.1, GOLDEN_PARTIAL.3);
    }

    const GOLDEN_PARTIAL: (f64, f64, f64, f64) = (
        0.35189180142722276,
        5.4710218867285,
        -0.381_637_219_515_370_8,
        1.3816372195153708,
    );

    // Respondents 1 and 2 with two ties in both waves, respondent 3 only in the second.
    // By hand: means 2.5 → 3.5; each respondent's contribution to the difference,
    // Σ(to − 3.5)/6 − Σ(from − 2.5)/4: r1 −2/6 + 2/4 = 1/6, r2 2/6 − 2/4 = −1/6, r3 0.
    // V = G/(G−1)·(N−1)/(N−2)·Σ = 3/2 · 9/8 · 2/36 = 3/32; se = √(3/32) = 0.306186...,
    // which is statsmodels' CR1 of OLS on a wave dummy (scripts/golden/change_reference.py).
    #[test]
    fn ties_are_clustered_by_respondent() {
        let c = mean_change(
            &obs(&[1, 1, 2, 2], &[1.0, 2.0, 3.0, 4.0]),
            &obs(&[1, 1, 2, 2, 3, 3], &[2.0, 3.0, 4.0, 5.0, 3.0, 4.0]),
            0.95,
        )
        .unwrap();
        assert_eq!(c.method, Method::Clustered);
        assert_eq!(c.n_paired, 2);
        close(c.from, 2.5);
        close(c.to, 3.5);
        close(c.df, 2.0);
        close(c.se, (3.0f64 / 32.0).sqrt());
        close(c.se, 0.30618621784789657);
    }

    #[test]
    fn too_few_observations_give_no_change() {
        assert!(mean_change(&obs(&[1], &[3.0]), &obs(&[1, 2], &[3.0, 4.0]), 0.95).is_none());
    }
}
