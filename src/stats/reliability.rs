//! Cronbach's alpha (Cronbach 1951), raw and standardized, with corrected item-total
//! correlations and alpha if an item is dropped (as R's `psych::alpha` reports them).
//!
//! Over n complete cases of k items with sample variances s²ᵢ and total-score variance s²_T:
//! α = k/(k − 1)·(1 − Σs²ᵢ/s²_T); standardized α = k·r̄/(1 + (k − 1)·r̄), r̄ the mean
//! inter-item correlation; the item-total correlation of item i is its correlation with
//! the sum of the other items.

/// Alpha of a set of items.
#[derive(Debug, Clone, PartialEq)]
pub struct Alpha {
    pub alpha: Option<f64>,
    pub std_alpha: Option<f64>,
    pub n: usize,
    /// Per item: the corrected item-total correlation and alpha without the item.
    pub items: Vec<ItemStats>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemStats {
    pub item_total: Option<f64>,
    pub alpha_if_dropped: Option<f64>,
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

fn var(v: &[f64]) -> f64 {
    let m = mean(v);
    v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() as f64 - 1.0)
}

fn corr(a: &[f64], b: &[f64]) -> Option<f64> {
    corr_with(a, b, mean(a), mean(b))
}

/// The correlation of `a` and `b`, given their means.
fn corr_with(a: &[f64], b: &[f64], ma: f64, mb: f64) -> Option<f64> {
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let (va, vb): (f64, f64) = (
        a.iter().map(|x| (x - ma).powi(2)).sum(),
        b.iter().map(|y| (y - mb).powi(2)).sum(),
    );
    (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt())
}

/// Raw alpha of k items from their variances and the variance of their total.
fn raw_alpha(k: usize, sum_vars: f64, var_total: f64) -> Option<f64> {
    (k >= 2 && var_total > 0.0).then(|| k as f64 / (k as f64 - 1.0) * (1.0 - sum_vars / var_total))
}

/// Alpha of k items over n complete cases, given as `columns[item][case]` (vectors or
/// borrowed slices, such as a polars column's buffer).
pub fn alpha<C: AsRef<[f64]>>(columns: &[C]) -> Alpha {
    let columns: Vec<&[f64]> = columns.iter().map(AsRef::as_ref).collect();
    let k = columns.len();
    let n = columns.first().map_or(0, |c| c.len());
    // Each item's mean once; the pairs' correlations then take one pass each.
    let means: Vec<f64> = columns.iter().map(|c| mean(c)).collect();
    let mut rs = Vec::new();
    for i in 0..k {
        for j in i + 1..k {
            rs.push(corr_with(columns[i], columns[j], means[i], means[j]));
        }
    }
    let std_alpha = if rs.is_empty() || rs.iter().any(Option::is_none) {
        None
    } else {
        let rbar = rs.iter().flatten().sum::<f64>() / rs.len() as f64;
        Some(k as f64 * rbar / (1.0 + (k as f64 - 1.0) * rbar))
    };
    // Each item's variance once; the totals with and without each item summed in item
    // order, so every figure is the same to the last digit as summing the kept columns.
    let vars: Vec<f64> = columns.iter().map(|c| var(c)).collect();
    let total_without = |skip: Option<usize>| -> Vec<f64> {
        (0..n)
            .map(|c| {
                (0..k)
                    .filter(|&j| Some(j) != skip)
                    .map(|j| columns[j][c])
                    .sum()
            })
            .collect()
    };
    let alpha_without = |skip: Option<usize>, total: &[f64]| -> Option<f64> {
        let kept = k - usize::from(skip.is_some());
        if kept < 2 || n < 2 {
            return None;
        }
        let sum_vars: f64 = (0..k).filter(|&j| Some(j) != skip).map(|j| vars[j]).sum();
        raw_alpha(kept, sum_vars, var(total))
    };
    let items = (0..k)
        .map(|i| {
            let rest_total = total_without(Some(i));
            ItemStats {
                item_total: if n >= 2 {
                    corr(columns[i], &rest_total)
                } else {
                    None
                },
                alpha_if_dropped: alpha_without(Some(i), &rest_total),
            }
        })
        .collect();
    Alpha {
        alpha: alpha_without(None, &total_without(None)),
        std_alpha,
        n,
        items,
    }
}
