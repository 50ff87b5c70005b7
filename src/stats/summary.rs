//! Descriptive statistics of one group: mean, standard deviation and the t interval.

use statrs::distribution::{ContinuousCDF, StudentsT};

/// A group's mean with its spread and uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub mean: f64,
    /// Sample standard deviation (n − 1 in the denominator); `None` when n < 2.
    pub sd: Option<f64>,
    pub n: usize,
    /// The two-sided t confidence interval; `None` when n < 2.
    pub ci: Option<(f64, f64)>,
}

impl Summary {
    /// Builds the summary from a mean, sample sd and n, as group-bys return them.
    pub fn from_moments(mean: f64, sd: Option<f64>, n: usize, confidence: f64) -> Self {
        let sd = sd.filter(|s| s.is_finite() && n >= 2);
        Summary {
            mean,
            sd,
            n,
            ci: sd.and_then(|s| t_interval(mean, s, n, confidence)),
        }
    }

    /// The summary of a slice of values (used by tests and small tables).
    pub fn of(values: &[f64], confidence: f64) -> Option<Self> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = (n >= 2).then(|| {
            let ss: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
            (ss / (n - 1) as f64).sqrt()
        });
        Some(Self::from_moments(mean, sd, n, confidence))
    }
}

/// The t interval of a mean: x̄ ± t(1 − α/2; n − 1) · s / √n, where α = 1 − `confidence`.
/// Needs n ≥ 2; with s = 0 the interval is the point itself.
pub fn t_interval(mean: f64, sd: f64, n: usize, confidence: f64) -> Option<(f64, f64)> {
    if n < 2 || !sd.is_finite() {
        return None;
    }
    let t = t_quantile(1.0 - (1.0 - confidence) / 2.0, (n - 1) as f64)?;
    let half = t * sd / (n as f64).sqrt();
    Some((mean - half, mean + half))
}

/// The `p` quantile of Student's t distribution with `df` degrees of freedom.
///
/// statrs inverts the CDF numerically, which takes milliseconds; a run asks for the same
/// few quantiles thousands of times (one interval per unit and role pair), so they are
/// remembered per thread.
pub fn t_quantile(p: f64, df: f64) -> Option<f64> {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<(u64, u64), Option<f64>>> =
            Default::default();
    }
    CACHE.with(|cache| {
        *cache
            .borrow_mut()
            .entry((p.to_bits(), df.to_bits()))
            .or_insert_with(|| StudentsT::new(0.0, 1.0, df).ok().map(|t| t.inverse_cdf(p)))
    })
}

/// The interval of a mean of N values in G clusters, cluster-robust: the CR1 variance of an
/// intercept-only regression, V = G/(G − 1)·ΣS²_g/N² with S_g the sum of a cluster's
/// deviations from the mean, and t on G − 1 degrees of freedom. `sum_sq` is ΣS²_g.
pub fn clustered_mean_interval(
    mean: f64,
    sum_sq: f64,
    n: usize,
    g: usize,
    confidence: f64,
) -> Option<(f64, f64)> {
    if g < 2 || n == 0 {
        return None;
    }
    let v = g as f64 / (g as f64 - 1.0) * sum_sq / (n as f64).powi(2);
    let t = t_quantile(1.0 - (1.0 - confidence) / 2.0, (g - 1) as f64)?;
    let half = t * v.max(0.0).sqrt();
    Some((mean - half, mean + half))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Golden values from scipy.stats (scripts/golden/summary.py):
    // t.ppf(0.975, df) for df = 1, 4, 29 and the interval of [1, 2, 4, 4, 5].
    #[test]
    fn t_quantiles_match_scipy() {
        let cases = [
            (1.0, 12.706204736174694),
            (4.0, 2.7764451051977934),
            (29.0, 2.045229642132703),
        ];
        for (df, want) in cases {
            let got = t_quantile(0.975, df).unwrap();
            assert!((got - want).abs() < 1e-9, "df={df}: {got} vs {want}");
        }
    }

    #[test]
    fn summary_of_five_values_matches_scipy() {
        let s = Summary::of(&[1.0, 2.0, 4.0, 4.0, 5.0], 0.95).unwrap();
        assert!((s.mean - 3.2).abs() < 1e-12);
        assert!((s.sd.unwrap() - 1.6431676725154984).abs() < 1e-12);
        let (lo, hi) = s.ci.unwrap();
        assert!((lo - 1.1597378580252329).abs() < 1e-9, "{lo}");
        assert!((hi - 5.2402621419747675).abs() < 1e-9, "{hi}");
    }

    #[test]
    fn one_value_has_no_spread_and_no_interval() {
        let s = Summary::of(&[3.0], 0.95).unwrap();
        assert_eq!((s.sd, s.ci), (None, None));
        assert!(Summary::of(&[], 0.95).is_none());
    }

    #[test]
    fn identical_values_give_a_zero_width_interval() {
        let s = Summary::of(&[4.0, 4.0, 4.0], 0.95).unwrap();
        assert_eq!(s.ci, Some((4.0, 4.0)));
    }

    #[test]
    fn the_clustered_interval_equals_an_intercept_only_cr1_fit() {
        // The OLS engine's CR1 is checked against statsmodels (tests/stats.rs).
        let y = [3.0, 4.0, 5.0, 2.0, 4.0, 4.0, 5.0, 1.0, 3.0];
        let g = [0, 0, 0, 1, 1, 2, 2, 2, 2];
        let f = crate::stats::ols::fit(&y, &[], crate::stats::ols::SeType::Cr1, Some(&g), 0.95)
            .unwrap();
        let mean = y.iter().sum::<f64>() / 9.0;
        let mut sums = [0.0; 3];
        for (v, c) in y.iter().zip(g) {
            sums[c] += v - mean;
        }
        let ss: f64 = sums.iter().map(|s| s * s).sum();
        let (lo, hi) = clustered_mean_interval(mean, ss, 9, 3, 0.95).unwrap();
        let c = &f.coefficients[0];
        assert!(
            (lo - c.ci_low).abs() < 1e-12 && (hi - c.ci_high).abs() < 1e-12,
            "{lo} {hi} vs {} {}",
            c.ci_low,
            c.ci_high
        );
    }
}
