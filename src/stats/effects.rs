//! Effect statements: what +10 % in X means for Y, with the interval carried through.
//!
//! - Log-log model ln Y = α + β ln X: +10 % X multiplies Y by 1.1^β, so the change is
//!   (1.1^β − 1)·100 %; the interval is (1.1^lo − 1, 1.1^hi − 1)·100 %, and 10·β is the
//!   familiar linear approximation (domain.md §3.1; β = 0.4115 gives 4.00 %).
//! - Linear model Y = a + bX, at the means: +10 % of X̄ moves Y by 0.1·b·X̄, which is
//!   10·b·X̄/Ȳ % of Ȳ; the interval uses b's bounds.

/// An effect in percent with its interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PercentEffect {
    pub pct: f64,
    pub low: f64,
    pub high: f64,
    /// 10·β for log-log models.
    pub approximation: Option<f64>,
}

/// The effect of +`step` % X in a log-log model with slope β and interval [lo, hi].
pub fn log_log(beta: f64, lo: f64, hi: f64, step: f64) -> PercentEffect {
    let m = 1.0 + step / 100.0;
    let pct = |b: f64| (m.powf(b) - 1.0) * 100.0;
    PercentEffect {
        pct: pct(beta),
        low: pct(lo),
        high: pct(hi),
        approximation: Some(step * beta),
    }
}

/// The effect of +`step` % of X̄ in a linear model, in percent of Ȳ; `None` when Ȳ = 0.
pub fn at_means(
    b: f64,
    lo: f64,
    hi: f64,
    x_mean: f64,
    y_mean: f64,
    step: f64,
) -> Option<PercentEffect> {
    if y_mean == 0.0 {
        return None;
    }
    let pct = |b: f64| step * b * x_mean / y_mean;
    let (a, c) = (pct(lo), pct(hi));
    Some(PercentEffect {
        pct: pct(b),
        low: a.min(c),
        high: a.max(c),
        approximation: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_worked_numbers_come_out() {
        // domain.md §3.1: β = 0.40 → 3.89 %; 0.4115 → 4.00 %; 0.70 → 6.90 %; 0.7099 → 7.00 %.
        for (beta, want) in [(0.40, 3.89), (0.4115, 4.00), (0.70, 6.90), (0.7099, 7.00)] {
            let e = log_log(beta, beta, beta, 10.0);
            assert!((e.pct - want).abs() < 0.005, "{beta}: {}", e.pct);
        }
        let e = log_log(0.4, 0.1, 0.7, 10.0);
        assert!((e.low - (1.1f64.powf(0.1) - 1.0) * 100.0).abs() < 1e-12);
        assert!((e.approximation.unwrap() - 4.0).abs() < 1e-12);
    }

    #[test]
    fn linear_effects_are_taken_at_the_means() {
        // b = 0.5, X̄ = 4, Ȳ = 2: +0.4 in X moves Y by 0.2, which is 10 % of Ȳ.
        let e = at_means(0.5, 0.25, 0.75, 4.0, 2.0, 10.0).unwrap();
        assert!(
            (e.pct - 10.0).abs() < 1e-12
                && (e.low - 5.0).abs() < 1e-12
                && (e.high - 15.0).abs() < 1e-12
        );
        let e = at_means(0.5, 0.25, 0.75, 4.0, -2.0, 10.0).unwrap();
        assert!(e.low < e.high);
        assert!(at_means(1.0, 0.0, 2.0, 1.0, 0.0, 10.0).is_none());
    }
}
