//! Is a unit-level mean meaningful? One-way ANOVA, ICC(1), ICC(2) (Bliese 2000) and
//! rwg(j) (James, Demaree & Wolf 1984).
//!
//! With J groups of sizes n_j, N = Σn_j: MSB = Σn_j(ȳ_j − ȳ)²/(J − 1), MSW = ΣΣ(y − ȳ_j)²/(N − J);
//! F = MSB/MSW on (J − 1, N − J); ICC(1) = (MSB − MSW)/(MSB + (k₀ − 1)·MSW) with
//! k₀ = (N − Σn_j²/N)/(J − 1); ICC(2) = (MSB − MSW)/MSB.

use statrs::distribution::{ContinuousCDF, FisherSnedecor};

#[derive(Debug, Clone, PartialEq)]
pub struct Anova {
    pub f: f64,
    pub p: f64,
    pub icc1: f64,
    pub icc2: f64,
    pub groups: usize,
    pub n: usize,
}

/// The one-way ANOVA of `groups`; needs two groups and more values than groups.
pub fn anova(groups: &[Vec<f64>]) -> Option<Anova> {
    let j = groups.len();
    let n: usize = groups.iter().map(Vec::len).sum();
    if j < 2 || n <= j || groups.iter().any(Vec::is_empty) {
        return None;
    }
    let grand = groups.iter().flatten().sum::<f64>() / n as f64;
    let means: Vec<f64> = groups
        .iter()
        .map(|g| g.iter().sum::<f64>() / g.len() as f64)
        .collect();
    let ssb: f64 = groups
        .iter()
        .zip(&means)
        .map(|(g, m)| g.len() as f64 * (m - grand).powi(2))
        .sum();
    let ssw: f64 = groups
        .iter()
        .zip(&means)
        .map(|(g, m)| g.iter().map(|y| (y - m).powi(2)).sum::<f64>())
        .sum();
    let (msb, msw) = (ssb / (j - 1) as f64, ssw / (n - j) as f64);
    if msw <= 0.0 || msb <= 0.0 {
        return None;
    }
    let f = msb / msw;
    let p = FisherSnedecor::new((j - 1) as f64, (n - j) as f64)
        .ok()?
        .sf(f);
    let sum_sq: f64 = groups.iter().map(|g| (g.len() as f64).powi(2)).sum();
    let k0 = (n as f64 - sum_sq / n as f64) / (j - 1) as f64;
    Some(Anova {
        f,
        p,
        icc1: (msb - msw) / (msb + (k0 - 1.0) * msw),
        icc2: (msb - msw) / msb,
        groups: j,
        n,
    })
}

/// rwg(j) of one group's ratings, `ratings[rater][item]`, against a uniform null on an
/// A-point scale (σ²_EU = (A² − 1)/12): with s̄² the mean of the item variances,
/// rwg(j) = J(1 − s̄²/σ²_EU) / (J(1 − s̄²/σ²_EU) + s̄²/σ²_EU); 0 when s̄² > σ²_EU.
/// Needs two raters.
pub fn rwg_j<R: AsRef<[f64]>>(ratings: &[R], scale_points: u32) -> Option<f64> {
    let raters = ratings.len();
    let items = ratings.first()?.as_ref().len();
    if raters < 2 || items == 0 {
        return None;
    }
    let sigma_eu = (f64::from(scale_points).powi(2) - 1.0) / 12.0;
    let mean_var = (0..items)
        .map(|i| {
            let col: Vec<f64> = ratings.iter().map(|r| r.as_ref()[i]).collect();
            let m = col.iter().sum::<f64>() / raters as f64;
            col.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (raters - 1) as f64
        })
        .sum::<f64>()
        / items as f64;
    let ratio = mean_var / sigma_eu;
    if ratio > 1.0 {
        return Some(0.0);
    }
    let j = items as f64;
    Some(j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio))
}

/// The median of a non-empty slice.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.to_vec();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len() % 2 == 0 {
        (v[m - 1] + v[m]) / 2.0
    } else {
        v[m]
    })
}
