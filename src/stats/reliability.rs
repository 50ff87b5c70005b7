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

/// `width` sums over the cases of `blocks`, which `sum` accumulates a block at a time
/// (given the block's number, see [`Blocks::cases`]) into sums that start from zero; the blocks' sums are then added in block order, since
/// over millions of ties a running sum would gather rounding error with every case.
/// Blocks count the cases, not the rows they come from, so the sums are those of the cases
/// alone, however they were picked out. As each block's sums start from zero and are
/// added in order, they are the same whichever thread sums which block: the blocks are
/// summed side by side.
fn blocked_sum(blocks: &Blocks, width: usize, sum: impl Fn(usize, &mut [f64]) + Sync) -> Vec<f64> {
    use rayon::prelude::*;
    let parts: Vec<Vec<f64>> = (0..blocks.starts.len())
        .into_par_iter()
        .map(|b| {
            let mut part = vec![0.0; width];
            sum(b, &mut part);
            part
        })
        .collect();
    let mut sums = vec![0.0; width];
    for part in parts {
        sums.iter_mut().zip(part).for_each(|(s, p)| *s += p);
    }
    sums
}

/// Cases a block.
const BLOCK: usize = 4096;

/// The cases (rows) `keep` accepts among `rows` rows, in blocks of [`BLOCK`] cases: the
/// row each block starts at, found in one pass, so the blocks can be summed apart. Which
/// rows are cases is asked once, a bit a row: a case of the RC reliability is a tie that
/// answered all seven dimensions, seven look-ups, and the sums pass over the cases twice.
struct Blocks {
    /// Bit `r % 64` of word `r / 64`: whether row `r` is a case.
    kept: Vec<u64>,
    rows: usize,
    starts: Vec<usize>,
    n: usize,
}

impl Blocks {
    fn new(rows: usize, keep: impl Fn(usize) -> bool + Sync) -> Self {
        use rayon::prelude::*;
        let kept: Vec<u64> = (0..rows.div_ceil(64))
            .into_par_iter()
            .map(|w| {
                (0..64)
                    .filter(|&i| w * 64 + i < rows && keep(w * 64 + i))
                    .fold(0u64, |bits, i| bits | 1 << i)
            })
            .collect();
        let mut starts = Vec::new();
        let mut n: usize = 0;
        for (w, &bits) in kept.iter().enumerate() {
            // A block starts at case number n.next_multiple_of(BLOCK), at most one a word.
            let next = n.next_multiple_of(BLOCK);
            let count = bits.count_ones() as usize;
            if next < n + count {
                let mut rest = bits;
                for _ in 0..next - n {
                    rest &= rest - 1;
                }
                starts.push(w * 64 + rest.trailing_zeros() as usize);
            }
            n += count;
        }
        Blocks {
            kept,
            rows,
            starts,
            n,
        }
    }

    /// The cases of block `b`.
    fn cases(&self, b: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.starts.get(b + 1).copied().unwrap_or(self.rows);
        (self.starts[b]..end).filter(|&r| self.kept[r / 64] >> (r % 64) & 1 == 1)
    }
}

/// Raw alpha of k items from their variances and the variance of their total.
fn raw_alpha(k: usize, sum_vars: f64, var_total: f64) -> Option<f64> {
    (k >= 2 && var_total > 0.0).then(|| k as f64 / (k as f64 - 1.0) * (1.0 - sum_vars / var_total))
}

/// One item's answers, read a case at a time: a vector or slice of floats, or a column of
/// answers read in place (see `measures::frame::Values`).
pub trait Item {
    fn cases(&self) -> usize;
    fn at(&self, case: usize) -> f64;
}

impl<C: AsRef<[f64]>> Item for C {
    fn cases(&self) -> usize {
        self.as_ref().len()
    }

    #[inline]
    fn at(&self, case: usize) -> f64 {
        self.as_ref()[case]
    }
}

/// Alpha of k items over n complete cases, given as `columns[item][case]` (vectors or
/// borrowed slices, such as a polars column's buffer).
pub fn alpha<C: AsRef<[f64]> + Sync>(columns: &[C]) -> Alpha {
    alpha_where(columns, |_| true)
}

/// Alpha of k items over the cases `keep` accepts (the complete cases), read in place from
/// `columns[item][case]`.
///
/// Everything comes from the items' centred cross products, taken in two passes (the
/// means, then the products): an item's variance is its diagonal entry, a total's variance
/// the sum of its items' block, and an item's covariance with the other items the sum of
/// its row without the diagonal — the covariance-matrix route R's `psych::alpha` takes.
/// At national scale that is two passes over millions of ties instead of one per figure.
pub fn alpha_where<C: Item + Sync>(columns: &[C], keep: impl Fn(usize) -> bool + Sync) -> Alpha {
    let k = columns.len();
    let rows = columns.iter().map(Item::cases).min().unwrap_or(0);
    let blocks = Blocks::new(rows, keep);
    let n = blocks.n;
    let sums = blocked_sum(&blocks, k, |b, part| {
        for r in blocks.cases(b) {
            for (s, c) in part.iter_mut().zip(columns) {
                *s += c.at(r);
            }
        }
    });
    let means: Vec<f64> = sums.iter().map(|s| s / n as f64).collect();
    // Centred cross products, the upper triangle of a k × k matrix in row order.
    let cross = blocked_sum(&blocks, k * k, |b, part| {
        let mut d = vec![0.0; k];
        for r in blocks.cases(b) {
            for ((d, c), m) in d.iter_mut().zip(columns).zip(&means) {
                *d = c.at(r) - m;
            }
            for i in 0..k {
                let row = &mut part[i * k..(i + 1) * k];
                for j in i..k {
                    row[j] += d[i] * d[j];
                }
            }
        }
    });
    let c = |i: usize, j: usize| cross[i.min(j) * k + i.max(j)];
    let corr = |cov: f64, va: f64, vb: f64| (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt());
    let mut rs = Vec::new();
    for i in 0..k {
        for j in i + 1..k {
            rs.push(corr(c(i, j), c(i, i), c(j, j)));
        }
    }
    let std_alpha = if rs.is_empty() || rs.iter().any(Option::is_none) {
        None
    } else {
        let rbar = rs.iter().flatten().sum::<f64>() / rs.len() as f64;
        Some(k as f64 * rbar / (1.0 + (k as f64 - 1.0) * rbar))
    };
    let df = n as f64 - 1.0;
    // The cross products summed over the items that are kept: n − 1 times a total's variance.
    let block = |skip: Option<usize>| -> f64 {
        let kept = |j: &usize| Some(*j) != skip;
        (0..k)
            .filter(kept)
            .map(|j| (0..k).filter(kept).map(|l| c(j, l)).sum::<f64>())
            .sum()
    };
    let alpha_without = |skip: Option<usize>| -> Option<f64> {
        let kept = k - usize::from(skip.is_some());
        if kept < 2 || n < 2 {
            return None;
        }
        let sum_vars: f64 = (0..k)
            .filter(|&j| Some(j) != skip)
            .map(|j| c(j, j) / df)
            .sum();
        raw_alpha(kept, sum_vars, block(skip) / df)
    };
    let items = (0..k)
        .map(|i| {
            let with_rest: f64 = (0..k).filter(|&j| j != i).map(|j| c(i, j)).sum();
            ItemStats {
                item_total: if n >= 2 {
                    corr(with_rest, c(i, i), block(Some(i)))
                } else {
                    None
                },
                alpha_if_dropped: alpha_without(Some(i)),
            }
        })
        .collect();
    Alpha {
        alpha: alpha_without(None),
        std_alpha,
        n,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_start_at_every_block_th_case_and_hold_the_cases_in_order() {
        // Cases every third row and in a run of 200 rows, over several blocks.
        let rows = 5 * BLOCK + 1000;
        let keep = |r: usize| r % 3 == 0 || (7000..7200).contains(&r);
        let blocks = Blocks::new(rows, keep);
        let cases: Vec<usize> = (0..rows).filter(|&r| keep(r)).collect();
        assert_eq!(blocks.n, cases.len());
        let starts: Vec<usize> = cases.iter().copied().step_by(BLOCK).collect();
        assert_eq!(blocks.starts, starts);
        let walked: Vec<usize> = (0..starts.len()).flat_map(|b| blocks.cases(b)).collect();
        assert_eq!(walked, cases);
        assert!((0..starts.len() - 1).all(|b| blocks.cases(b).count() == BLOCK));
    }
}
