//! Ordinary least squares by Householder QR, with classical, HC1 and CR1 standard errors.
//!
//! Model: y = Xβ + ε, X = [1, x₁ … x_p], n observations, k = p + 1 coefficients.
//! - β = R⁻¹Qᵀy from the QR decomposition of X with its columns scaled to unit length
//!   (never the normal equations); (XᵀX)⁻¹ = R⁻¹R⁻ᵀ, unscaled.
//! - classical: V = σ̂²(XᵀX)⁻¹, σ̂² = RSS/(n − k); inference on t(n − k).
//! - HC1 (MacKinnon & White 1985): V = n/(n − k) · (XᵀX)⁻¹ Σ eᵢ² xᵢxᵢᵀ (XᵀX)⁻¹; t(n − k),
//!   as R's `lmtest::coeftest(m, sandwich::vcovHC(m, "HC1"))`.
//! - CR1 (Liang & Zeger; Stata): V = G/(G − 1)·(N − 1)/(N − K) · (XᵀX)⁻¹ Σ_g X_gᵀe_g e_gᵀX_g (XᵀX)⁻¹;
//!   inference on t(G − 1) (Cameron & Miller 2015), as statsmodels' `cov_type="cluster"`.
//! - The model F is the Wald test of all slopes with V, on (k − 1, df) degrees of freedom;
//!   with classical errors it is the usual ANOVA F.

use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ContinuousCDF, FisherSnedecor, StudentsT};

/// Which covariance matrix the standard errors come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeType {
    Classical,
    Hc1,
    Cr1,
}

impl SeType {
    pub fn name(self) -> &'static str {
        match self {
            SeType::Classical => "classical",
            SeType::Hc1 => "hc1",
            SeType::Cr1 => "cr1",
        }
    }
}

/// Why a model cannot be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error("the model has {k} coefficients but only {n} observations; it needs more observations than coefficients")]
    TooFewObservations { n: usize, k: usize },
    #[error("\"{term}\" is a linear combination of the terms before it (perfect collinearity), so its effect cannot be separated; drop it or another term")]
    Collinear { term: String },
    #[error("clustered standard errors need a cluster for every observation")]
    NoClusters,
    #[error("clustered standard errors need at least 2 clusters; the data have {0}")]
    TooFewClusters(usize),
    #[error("\"{term}\" has a value that is not a finite number")]
    NotFinite { term: String },
}

/// One coefficient with its inference.
#[derive(Debug, Clone, PartialEq)]
pub struct Coefficient {
    pub term: String,
    pub estimate: f64,
    pub std_error: f64,
    /// Null when the standard error is 0.
    pub t: Option<f64>,
    pub p: Option<f64>,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    pub coefficients: Vec<Coefficient>,
    pub n: usize,
    pub k: usize,
    pub se_type: SeType,
    /// Number of clusters, for CR1.
    pub clusters: Option<usize>,
    /// Degrees of freedom of the t and F reference distributions.
    pub df: f64,
    /// Null when y does not vary.
    pub r2: Option<f64>,
    pub adj_r2: Option<f64>,
    /// Wald F of all slopes; null without slopes or when it cannot be formed.
    pub f: Option<f64>,
    pub f_p: Option<f64>,
    pub resid_sd: f64,
    pub residuals: Vec<f64>,
    /// The coefficient covariance matrix used for inference.
    pub cov: DMatrix<f64>,
}

/// Fits y on an intercept and `terms` (name, values), with standard errors of `se`.
/// `clusters` gives each observation's cluster number and is needed for CR1.
pub fn fit(
    y: &[f64],
    terms: &[(&str, &[f64])],
    se: SeType,
    clusters: Option<&[usize]>,
    confidence: f64,
) -> Result<Fit, FitError> {
    let n = y.len();
    let k = terms.len() + 1;
    if n <= k {
        return Err(FitError::TooFewObservations { n, k });
    }
    let names: Vec<&str> = std::iter::once("intercept")
        .chain(terms.iter().map(|t| t.0))
        .collect();
    if y.iter().any(|v| !v.is_finite()) {
        return Err(FitError::NotFinite { term: "y".into() });
    }
    for (name, values) in terms {
        if values.len() != n || values.iter().any(|v| !v.is_finite()) {
            return Err(FitError::NotFinite {
                term: name.to_string(),
            });
        }
    }
    let design = Design::new(terms, n, &names)?;
    let beta = design.solve(y);
    let mut residuals = design.residuals(y, &beta);
    // An exact fit leaves only rounding noise; call it zero so no t is made of noise.
    let y_scale = y.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    if residuals.iter().all(|e| e.abs() <= 1e-12 * y_scale) {
        residuals.iter_mut().for_each(|e| *e = 0.0);
    }
    let (xs, scale, bread_s) = (&design.xs, &design.scale, &design.bread_s);
    let rss: f64 = residuals.iter().map(|e| e * e).sum();
    let df_resid = (n - k) as f64;

    let (cov_s, df, g) = match se {
        SeType::Classical => (bread_s * (rss / df_resid), df_resid, None),
        SeType::Hc1 => {
            let mut meat = DMatrix::zeros(k, k);
            for (i, e) in residuals.iter().enumerate() {
                let xi = xs.row(i).transpose();
                meat += &xi * xi.transpose() * (e * e);
            }
            (
                bread_s * meat * bread_s * (n as f64 / df_resid),
                df_resid,
                None,
            )
        }
        SeType::Cr1 => {
            let ids = clusters
                .filter(|c| c.len() == n)
                .ok_or(FitError::NoClusters)?;
            let (cov_s, g) = design.cr1_scaled(&residuals, ids)?;
            (cov_s, g as f64 - 1.0, Some(g))
        }
    };
    let cov = DMatrix::from_fn(k, k, |i, j| cov_s[(i, j)] / (scale[i] * scale[j]));

    let t_dist = StudentsT::new(0.0, 1.0, df).expect("df is positive");
    let t_crit =
        crate::stats::summary::t_quantile(1.0 - (1.0 - confidence) / 2.0, df).unwrap_or(f64::NAN);
    let coefficients = (0..k)
        .map(|j| {
            let std_error = cov[(j, j)].max(0.0).sqrt();
            let t = (std_error > 0.0).then(|| beta[j] / std_error);
            Coefficient {
                term: names[j].to_string(),
                estimate: beta[j],
                std_error,
                t,
                p: t.map(|t| 2.0 * t_dist.sf(t.abs())),
                ci_low: beta[j] - t_crit * std_error,
                ci_high: beta[j] + t_crit * std_error,
            }
        })
        .collect();

    let mean_y = y.iter().sum::<f64>() / n as f64;
    let tss: f64 = y.iter().map(|v| (v - mean_y).powi(2)).sum();
    let r2 = (tss > 0.0).then(|| 1.0 - rss / tss);
    let adj_r2 = r2.map(|r2| 1.0 - (1.0 - r2) * (n as f64 - 1.0) / df_resid);
    let (f, f_p) = wald_f(&beta, &cov, df).map_or((None, None), |(f, p)| (Some(f), Some(p)));
    Ok(Fit {
        coefficients,
        n,
        k,
        se_type: se,
        clusters: g,
        df,
        r2,
        adj_r2,
        f,
        f_p,
        resid_sd: (rss / df_resid).sqrt(),
        residuals,
        cov,
    })
}

/// The design matrix of a model, decomposed once so it can be solved for many outcomes
/// (the wild bootstrap refits the same X thousands of times).
pub struct Design {
    x: DMatrix<f64>,
    /// X with unit-length columns, and the lengths.
    xs: DMatrix<f64>,
    scale: Vec<f64>,
    q: DMatrix<f64>,
    r_inv: DMatrix<f64>,
    /// (XsᵀXs)⁻¹ = R⁻¹R⁻ᵀ.
    bread_s: DMatrix<f64>,
}

impl Design {
    /// An intercept and `terms`; fails on a constant or collinear term.
    pub fn new(terms: &[(&str, &[f64])], n: usize, names: &[&str]) -> Result<Self, FitError> {
        let k = terms.len() + 1;
        let x = DMatrix::from_fn(n, k, |i, j| if j == 0 { 1.0 } else { terms[j - 1].1[i] });
        // Scale each column to unit length: QR then works on comparable columns, which
        // keeps ill-conditioned designs such as Longley accurate.
        let scale: Vec<f64> = (0..k).map(|j| x.column(j).norm()).collect();
        if let Some(j) = scale.iter().position(|s| *s == 0.0) {
            return Err(FitError::Collinear {
                term: names[j].to_string(),
            });
        }
        let xs = DMatrix::from_fn(n, k, |i, j| x[(i, j)] / scale[j]);
        let qr = xs.clone().qr();
        let r = qr.r();
        for j in 0..k {
            if r[(j, j)].abs() < 1e-10 {
                return Err(FitError::Collinear {
                    term: names[j].to_string(),
                });
            }
        }
        let r_inv = r
            .solve_upper_triangular(&DMatrix::identity(k, k))
            .ok_or_else(|| FitError::Collinear {
                term: names[k - 1].to_string(),
            })?;
        let bread_s = &r_inv * r_inv.transpose();
        Ok(Design {
            q: qr.q(),
            x,
            xs,
            scale,
            r_inv,
            bread_s,
        })
    }

    /// β = R⁻¹Qᵀy, unscaled.
    pub fn solve(&self, y: &[f64]) -> Vec<f64> {
        let qty = self.q.tr_mul(&DVector::from_column_slice(y));
        let beta_s = &self.r_inv * qty;
        beta_s.iter().zip(&self.scale).map(|(b, s)| b / s).collect()
    }

    pub fn residuals(&self, y: &[f64], beta: &[f64]) -> Vec<f64> {
        let fitted = &self.x * DVector::from_column_slice(beta);
        y.iter().zip(fitted.iter()).map(|(y, f)| y - f).collect()
    }

    /// The CR1 covariance in the scaled coordinates, and the number of clusters.
    fn cr1_scaled(
        &self,
        residuals: &[f64],
        ids: &[usize],
    ) -> Result<(DMatrix<f64>, usize), FitError> {
        let (n, k) = self.xs.shape();
        let mut sums: std::collections::BTreeMap<usize, DVector<f64>> = Default::default();
        for i in 0..n {
            let s = sums.entry(ids[i]).or_insert_with(|| DVector::zeros(k));
            *s += self.xs.row(i).transpose() * residuals[i];
        }
        let g = sums.len();
        if g < 2 {
            return Err(FitError::TooFewClusters(g));
        }
        let mut meat = DMatrix::zeros(k, k);
        for s in sums.values() {
            meat += s * s.transpose();
        }
        let factor = g as f64 / (g as f64 - 1.0) * (n as f64 - 1.0) / (n - k) as f64;
        Ok((&self.bread_s * meat * &self.bread_s * factor, g))
    }

    /// The CR1 standard error of coefficient `j`.
    pub fn cr1_se(&self, residuals: &[f64], ids: &[usize], j: usize) -> Result<f64, FitError> {
        let (cov_s, _) = self.cr1_scaled(residuals, ids)?;
        Ok(cov_s[(j, j)].max(0.0).sqrt() / self.scale[j])
    }
}

/// The Wald F of all slopes: β_sᵀ V_ss⁻¹ β_s / q on (q, df).
fn wald_f(beta: &[f64], cov: &DMatrix<f64>, df: f64) -> Option<(f64, f64)> {
    let q = beta.len() - 1;
    if q == 0 {
        return None;
    }
    let b = DVector::from_iterator(q, beta[1..].iter().copied());
    let v = cov.view((1, 1), (q, q)).into_owned();
    let f = (b.transpose() * v.try_inverse()? * &b)[(0, 0)] / q as f64;
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    let dist = FisherSnedecor::new(q as f64, df).ok()?;
    Some((f, dist.sf(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NIST StRD Longley (https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml):
    /// y = Employed, x = GNP deflator, GNP, Unemployed, Armed forces, Population, Year.
    const LONGLEY: [[f64; 7]; 16] = [
        [60323.0, 83.0, 234289.0, 2356.0, 1590.0, 107608.0, 1947.0],
        [61122.0, 88.5, 259426.0, 2325.0, 1456.0, 108632.0, 1948.0],
        [60171.0, 88.2, 258054.0, 3682.0, 1616.0, 109773.0, 1949.0],
        [61187.0, 89.5, 284599.0, 3351.0, 1650.0, 110929.0, 1950.0],
        [63221.0, 96.2, 328975.0, 2099.0, 3099.0, 112075.0, 1951.0],
        [63639.0, 98.1, 346999.0, 1932.0, 3594.0, 113270.0, 1952.0],
        [64989.0, 99.0, 365385.0, 1870.0, 3547.0, 115094.0, 1953.0],
        [63761.0, 100.0, 363112.0, 3578.0, 3350.0, 116219.0, 1954.0],
        [66019.0, 101.2, 397469.0, 2904.0, 3048.0, 117388.0, 1955.0],
        [67857.0, 104.6, 419180.0, 2822.0, 2857.0, 118734.0, 1956.0],
        [68169.0, 108.4, 442769.0, 2936.0, 2798.0, 120445.0, 1957.0],
        [66513.0, 110.8, 444546.0, 4681.0, 2637.0, 121950.0, 1958.0],
        [68655.0, 112.6, 482704.0, 3813.0, 2552.0, 123366.0, 1959.0],
        [69564.0, 114.2, 502601.0, 3931.0, 2514.0, 125368.0, 1960.0],
        [69331.0, 115.7, 518173.0, 4806.0, 2572.0, 127852.0, 1961.0],
        [70551.0, 116.9, 554894.0, 4007.0, 2827.0, 130081.0, 1962.0],
    ];
    /// NIST's certified estimates and standard errors, intercept first.
    const CERTIFIED: [(f64, f64); 7] = [
        (-3482258.63459582, 890420.383607373),
        (15.0618722713733, 84.9149257747669),
        (-0.358191792925910E-01, 0.334910077722432E-01),
        (-2.02022980381683, 0.488399681651699),
        (-1.03322686717359, 0.214274163161675),
        (-0.511041056535807E-01, 0.226073200069370),
        (1829.15146461355, 455.478499142212),
    ];

    fn significant_digits(got: f64, want: f64) -> f64 {
        -((got - want).abs() / want.abs()).log10()
    }

    fn longley_fit() -> Fit {
        let y: Vec<f64> = LONGLEY.iter().map(|r| r[0]).collect();
        let cols: Vec<Vec<f64>> = (1..7)
            .map(|j| LONGLEY.iter().map(|r| r[j]).collect())
            .collect();
        let names = [
            "deflator",
            "gnp",
            "unemployed",
            "armed_forces",
            "population",
            "year",
        ];
        let terms: Vec<(&str, &[f64])> = names
            .iter()
            .zip(&cols)
            .map(|(n, c)| (*n, c.as_slice()))
            .collect();
        fit(&y, &terms, SeType::Classical, None, 0.95).unwrap()
    }

    #[test]
    fn longley_matches_nist_to_at_least_nine_significant_digits() {
        let f = longley_fit();
        for (c, (b, se)) in f.coefficients.iter().zip(CERTIFIED) {
            let (db, dse) = (
                significant_digits(c.estimate, b),
                significant_digits(c.std_error, se),
            );
            assert!(
                db >= 9.0,
                "{}: estimate {} vs {b} ({db:.1} digits)",
                c.term,
                c.estimate
            );
            assert!(
                dse >= 9.0,
                "{}: std error {} vs {se} ({dse:.1} digits)",
                c.term,
                c.std_error
            );
        }
        assert!(significant_digits(f.resid_sd, 304.854073561965) >= 9.0);
        assert!(significant_digits(f.r2.unwrap(), 0.995479004577296) >= 9.0);
        // NIST: regression SS 184172401.944494 on 6 df, residual SS 836424.055505915 on 9 df.
        let f_cert = (184172401.944494 / 6.0) / (836424.055505915 / 9.0);
        assert!(
            significant_digits(f.f.unwrap(), f_cert) >= 8.0,
            "{}",
            f.f.unwrap()
        );
    }

    #[test]
    fn perfect_collinearity_is_an_error_naming_the_term() {
        let x1 = [1.0, 2.0, 3.0, 4.0, 5.0];
        let x2 = [2.0, 4.0, 6.0, 8.0, 10.0];
        let y = [1.0, 3.0, 2.0, 5.0, 4.0];
        let err = fit(&y, &[("a", &x1), ("b", &x2)], SeType::Classical, None, 0.95).unwrap_err();
        assert_eq!(err, FitError::Collinear { term: "b".into() });
        let constant = [3.0; 5];
        let err = fit(&y, &[("c", &constant)], SeType::Classical, None, 0.95).unwrap_err();
        assert_eq!(err, FitError::Collinear { term: "c".into() });
    }

    #[test]
    fn too_few_observations_and_clusters_are_errors() {
        let err = fit(
            &[1.0, 2.0],
            &[("a", &[1.0, 2.0])],
            SeType::Classical,
            None,
            0.95,
        )
        .unwrap_err();
        assert_eq!(err, FitError::TooFewObservations { n: 2, k: 2 });
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [1.0, 3.0, 2.0, 5.0];
        let one = [0, 0, 0, 0];
        assert_eq!(
            fit(&y, &[("a", &x)], SeType::Cr1, Some(&one), 0.95).unwrap_err(),
            FitError::TooFewClusters(1)
        );
        assert_eq!(
            fit(&y, &[("a", &x)], SeType::Cr1, None, 0.95).unwrap_err(),
            FitError::NoClusters
        );
        assert!(matches!(
            fit(
                &[1.0, f64::NAN, 3.0],
                &[("a", &[1.0, 2.0, 4.0])],
                SeType::Classical,
                None,
                0.95
            ),
            Err(FitError::NotFinite { .. })
        ));
    }

    #[test]
    fn a_constant_outcome_has_no_r2_and_zero_slopes_without_t() {
        let f = fit(
            &[2.0; 4],
            &[("a", &[1.0, 2.0, 3.0, 5.0])],
            SeType::Classical,
            None,
            0.95,
        )
        .unwrap();
        assert_eq!(f.r2, None);
        assert!(f.coefficients[1].estimate.abs() < 1e-12);
        assert_eq!(f.coefficients[1].t, None);
    }
}
