//! Small helpers shared by the measures: reading polars results into Rust values, and
//! the expressions every measure uses.

use polars::prelude::*;

use crate::config::Settings;
use crate::results::{Estimate, Reliability, ReliabilityItem};
use crate::stats::reliability::{alpha, alpha_where, Alpha, Item};
use crate::stats::summary::Summary;

/// Defined beside the answers, which spread a dimension's items with it.
pub use crate::answers::mean_if_enough;

/// Mean, sample sd and count of the non-null values of `column`, named mean, sd and n.
pub fn moments(column: &str) -> [Expr; 3] {
    moments_as(column, "")
}

/// Reads the `moments` columns of a grouped table into estimates.
pub fn estimates(df: &DataFrame, s: &Settings) -> PolarsResult<Vec<Estimate>> {
    estimates_as(df, "", s)
}

/// Like [`moments`], with the names prefixed by `prefix` (mean becomes `{prefix}mean`).
pub fn moments_as(column: &str, prefix: &str) -> [Expr; 3] {
    [
        col(column).mean().alias(format!("{prefix}mean")),
        col(column).std(1).alias(format!("{prefix}sd")),
        col(column).count().alias(format!("{prefix}n")),
    ]
}

/// Reads the [`moments_as`] columns with `prefix` into estimates, one per row.
pub fn estimates_as(df: &DataFrame, prefix: &str, s: &Settings) -> PolarsResult<Vec<Estimate>> {
    let means = numbers(df, &format!("{prefix}mean"))?;
    let sds = numbers(df, &format!("{prefix}sd"))?;
    let ns = count(df, &format!("{prefix}n"))?;
    Ok(means
        .into_iter()
        .zip(sds)
        .zip(ns)
        .map(|((mean, sd), n)| estimate(mean, sd, n, s))
        .collect())
}

pub fn estimate(mean: Option<f64>, sd: Option<f64>, n: usize, s: &Settings) -> Estimate {
    let Some(mean) = mean else {
        return Estimate {
            n: Some(n),
            ..Estimate::default()
        };
    };
    let summary = Summary::from_moments(mean, sd, n, s.confidence);
    Estimate {
        score: Some(mean),
        sd: summary.sd,
        n: Some(n),
        ci_low: summary.ci.map(|c| c.0),
        ci_high: summary.ci.map(|c| c.1),
        band: Some(s.bands.classify(mean).to_string()),
        suppressed: false,
    }
}

pub fn numbers(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    let c = df.column(name)?.cast(&DataType::Float64)?;
    Ok(c.f64()?
        .iter()
        .map(|v| v.filter(|x| x.is_finite()))
        .collect())
}

/// The codes of a coded column (see [`crate::answers::Names`]).
pub fn codes(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u32>>> {
    let c = df.column(name)?.cast(&DataType::UInt32)?;
    Ok(c.u32()?.iter().collect())
}

pub fn count(df: &DataFrame, name: &str) -> PolarsResult<Vec<usize>> {
    Ok(numbers(df, name)?
        .iter()
        .map(|v| v.unwrap_or(0.0) as usize)
        .collect())
}

/// True where at least one of `columns` is answered.
pub fn answered(columns: &[&str]) -> Expr {
    columns
        .iter()
        .map(|c| col(*c).is_not_null())
        .reduce(|x, y| x.or(y))
        .unwrap_or(lit(false))
}

/// The rows of `df` that `keep` keeps (all without it), grouped by the two coded columns
/// `keys`, with `aggs`: the two key columns (UInt32 codes, null where a row's is), in no
/// particular order, then the aggregates.
///
/// Grouped by one integer that holds both codes: grouping by two columns encoded every
/// row's codes as bytes and hashed them, 170 MB for the RC pairs at national scale. The
/// groups and the order of their rows are the same, and so are the aggregates. The integer
/// holds each code's rank among the column's distinct codes, so it takes four bytes a row
/// where the two take no more (a role pair's, or a unit's within its municipality), eight
/// where they do.
pub fn group_by_codes(
    df: &DataFrame,
    keys: [&str; 2],
    keep: Option<Expr>,
    aggs: &[Expr],
) -> PolarsResult<DataFrame> {
    const KEY: &str = "\u{1f}key";
    let (first, second) = (
        one_chunk(df.column(keys[0])?.u32()?),
        one_chunk(df.column(keys[1])?.u32()?),
    );
    let (first, second) = (first.in_place(), second.in_place());
    let (first_ranks, second_ranks) = (Ranks::of(&first), Ranks::of(&second));
    // The pair's number: first rank × (second's ranks) + second rank.
    let width = second_ranks.count() as u64;
    let pair = |r: usize| first_ranks.rank(&first, r) * width + second_ranks.rank(&second, r);
    let mut with_key = df.clone();
    let narrow = (first_ranks.count() as u64)
        .checked_mul(width)
        .is_some_and(|n| n <= u64::from(u32::MAX));
    let key = if narrow {
        let key: Vec<u32> = (0..df.height()).map(|r| pair(r) as u32).collect();
        UInt32Chunked::from_vec(KEY.into(), key).into_column()
    } else {
        let key: Vec<u64> = (0..df.height()).map(pair).collect();
        UInt64Chunked::from_vec(KEY.into(), key).into_column()
    };
    with_key.with_column(key)?;
    let lf = with_key.lazy();
    let lf = match keep {
        Some(e) => lf.filter(e),
        None => lf,
    };
    let grouped = lf.group_by([col(KEY)]).agg(aggs).collect()?;
    let key = grouped.column(KEY)?.cast(&DataType::UInt64)?;
    let key = key.u64()?;
    let decode = |name: &str, of: &dyn Fn(u64) -> Option<u32>| {
        let codes = key.into_no_null_iter().map(of);
        UInt32Chunked::from_iter_options(name.into(), codes).into_column()
    };
    let mut columns = vec![
        decode(keys[0], &|k| first_ranks.code(k / width)),
        decode(keys[1], &|k| second_ranks.code(k % width)),
    ];
    columns.extend(
        grouped
            .columns()
            .iter()
            .filter(|c| c.name().as_str() != KEY)
            .cloned(),
    );
    DataFrame::new(grouped.height(), columns)
}

/// The distinct codes of a coded column, numbered in order from 1; 0 stands for a null.
struct Ranks {
    /// The distinct codes, in order.
    codes: Vec<u32>,
    /// Each code's rank, by code, up to the largest; empty when the codes are too large
    /// for a table (then a rank is found by halving `codes`).
    rank: Vec<u32>,
}

impl Ranks {
    fn of(column: &(&[u32], impl Fn(usize) -> bool)) -> Self {
        let rows = column.0.len();
        let present = || (0..rows).filter_map(|r| at(column, r));
        let top = present().max().map_or(0, |m| m as usize + 1);
        // A code is less than the number of names, which is about the number of rows or
        // fewer; a table by code then costs no more than the column.
        if top > rows.saturating_mul(4).max(1 << 16) {
            let mut codes: Vec<u32> = present().collect();
            codes.sort_unstable();
            codes.dedup();
            return Ranks {
                codes,
                rank: Vec::new(),
            };
        }
        let mut rank = vec![0u32; top];
        for c in present() {
            rank[c as usize] = 1;
        }
        let mut codes = Vec::new();
        for (c, r) in rank.iter_mut().enumerate() {
            if *r != 0 {
                codes.push(c as u32);
                *r = codes.len() as u32;
            }
        }
        Ranks { codes, rank }
    }

    /// How many ranks there are, the null's included.
    fn count(&self) -> usize {
        self.codes.len() + 1
    }

    /// The rank of row `r`'s code.
    fn rank(&self, column: &(&[u32], impl Fn(usize) -> bool), r: usize) -> u64 {
        at(column, r).map_or(0, |c| {
            let rank = match self.rank.get(c as usize) {
                Some(&rank) => rank as usize,
                None => self.codes.binary_search(&c).map_or(0, |i| i + 1),
            };
            rank as u64
        })
    }

    /// The code of `rank`, none for the null's.
    fn code(&self, rank: u64) -> Option<u32> {
        rank.checked_sub(1).map(|i| self.codes[i as usize])
    }
}

/// The value in row `i` of a column read in place ([`OneChunk::in_place`]), when it is not
/// null.
pub fn at<T: Copy>(column: &(&[T], impl Fn(usize) -> bool), i: usize) -> Option<T> {
    let (values, valid) = column;
    valid(i).then(|| values[i])
}

/// A numeric column in one chunk, to read in place.
pub struct OneChunk<T: PolarsNumericType>(ChunkedArray<T>);

/// `ca` in one chunk (no copy when it is in one already).
pub fn one_chunk<T: PolarsNumericType>(ca: &ChunkedArray<T>) -> OneChunk<T> {
    OneChunk(ca.rechunk().into_owned())
}

impl<T: PolarsNumericType> OneChunk<T> {
    /// The column, null also where `other` is null (the values are not copied).
    pub fn masked_by<U: PolarsNumericType>(&self, other: &OneChunk<U>) -> ChunkedArray<T> {
        let (Some(array), Some(mask)) = (
            self.0.downcast_iter().next(),
            other.0.downcast_iter().next(),
        ) else {
            return self.0.clone();
        };
        let validity = match (array.validity(), mask.validity()) {
            (Some(a), Some(b)) => Some(a & b),
            (a, b) => a.or(b).cloned(),
        };
        ChunkedArray::with_chunk(self.0.name().clone(), array.clone().with_validity(validity))
    }

    /// The values, read in place, and whether the value in a row is valid (not null). At
    /// national scale a copy of a column is millions of numbers; the value under a null is
    /// whatever polars left there.
    pub fn in_place(&self) -> (&[T::Native], impl Fn(usize) -> bool + '_) {
        let array = self.0.downcast_iter().next();
        let values = array.map_or(&[][..], |a| a.values().as_slice());
        let validity = array.and_then(|a| a.validity());
        (values, move |r| validity.is_none_or(|b| b.get_bit(r)))
    }
}

/// A column of numbers read in place as floats, whether held as bytes (answers, see
/// [`crate::answers::Answers`]) or as floats.
pub enum Numbers {
    Bytes(OneChunk<UInt8Type>),
    Floats(OneChunk<Float64Type>),
}

/// The values of a [`Numbers`], in place.
#[derive(Clone, Copy)]
pub enum Values<'a> {
    Bytes(&'a [u8]),
    Floats(&'a [f64]),
}

impl Values<'_> {
    /// The value in row `r` (whatever polars left there under a null).
    #[inline]
    pub fn get(&self, r: usize) -> f64 {
        match self {
            Values::Bytes(v) => f64::from(v[r]),
            Values::Floats(v) => v[r],
        }
    }
}

impl Item for Values<'_> {
    fn cases(&self) -> usize {
        match self {
            Values::Bytes(v) => v.len(),
            Values::Floats(v) => v.len(),
        }
    }

    #[inline]
    fn at(&self, case: usize) -> f64 {
        self.get(case)
    }
}

impl Numbers {
    /// `column` in one chunk: bytes when it holds bytes, else as floats.
    pub fn of(column: &Column) -> PolarsResult<Self> {
        Ok(match column.dtype() {
            DataType::UInt8 => Numbers::Bytes(one_chunk(column.u8()?)),
            _ => Numbers::Floats(one_chunk(column.f64()?)),
        })
    }

    /// The values, and whether the value in a row is valid (not null).
    pub fn in_place(&self) -> (Values<'_>, impl Fn(usize) -> bool + '_) {
        let (values, validity) = match self {
            Numbers::Bytes(c) => {
                let a = c.0.downcast_iter().next();
                let v = a.map_or(&[][..], |a| a.values().as_slice());
                (Values::Bytes(v), a.and_then(|a| a.validity()))
            }
            Numbers::Floats(c) => {
                let a = c.0.downcast_iter().next();
                let v = a.map_or(&[][..], |a| a.values().as_slice());
                (Values::Floats(v), a.and_then(|a| a.validity()))
            }
        };
        (values, move |r| validity.is_none_or(|b| b.get_bit(r)))
    }
}

/// Cronbach's alpha of the numeric `columns` of `df` over its complete cases: the rows where
/// every column holds a finite number. The columns' buffers are read in place: at national
/// scale a copy of the complete cases is millions of numbers per item.
pub fn reliability_in(
    df: &DataFrame,
    columns: &[&str],
    names: &[String],
) -> PolarsResult<Reliability> {
    let arrays: Vec<Numbers> = columns
        .iter()
        .map(|c| Numbers::of(df.column(c)?))
        .collect::<PolarsResult<_>>()?;
    let parts: Vec<_> = arrays.iter().map(Numbers::in_place).collect();
    let values: Vec<Values> = parts.iter().map(|p| p.0).collect();
    let complete = |r: usize| {
        parts
            .iter()
            .all(|(v, valid)| valid(r) && v.get(r).is_finite())
    };
    Ok(named(names, alpha_where(&values, complete)))
}

/// Cronbach's alpha of named items, `columns[item][case]` over complete cases.
pub fn reliability_of<C: AsRef<[f64]> + Sync>(names: &[String], columns: &[C]) -> Reliability {
    named(names, alpha(columns))
}

/// An alpha with its items named.
fn named(names: &[String], a: Alpha) -> Reliability {
    Reliability {
        alpha: a.alpha,
        std_alpha: a.std_alpha,
        n: a.n,
        items: names
            .iter()
            .zip(a.items)
            .map(|(item, s)| ReliabilityItem {
                item: item.clone(),
                item_total: s.item_total,
                alpha_if_dropped: s.alpha_if_dropped,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reliability_over_many_blocks_of_cases_is_that_of_the_cases_copied_out() {
        // Three blocks of cases and more, with every seventh row left out: the blocks are
        // counted in cases, so the sums are those of the cases alone, to the last digit,
        // whichever thread sums which block.
        let mut x: u64 = 1;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as f64 / (1u64 << 31) as f64 * 4.0 + 1.0
        };
        let rows = 25_000;
        let items: Vec<Vec<f64>> = (0..3)
            .map(|_| (0..rows).map(|_| next()).collect())
            .collect();
        let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let valid = |c: usize| (0..rows).map(move |r| (r + c) % 7 != 0);
        let df = DataFrame::new_infer_height(
            (0..3)
                .map(|c| {
                    let values = items[c]
                        .iter()
                        .zip(valid(c))
                        .map(|(&v, ok)| ok.then_some(v));
                    Float64Chunked::from_iter_options(names[c].as_str().into(), values)
                        .into_column()
                })
                .collect(),
        )
        .unwrap();
        let in_place = reliability_in(&df, &["a", "b", "c"], &names).unwrap();
        let complete = |r: usize| (0..3).all(|c| (r + c) % 7 != 0);
        let copied: Vec<Vec<f64>> = items
            .iter()
            .map(|v| (0..rows).filter(|&r| complete(r)).map(|r| v[r]).collect())
            .collect();
        assert!(copied[0].len() > 3 * 4096);
        assert_eq!(in_place, reliability_of(&names, &copied));
    }

    #[test]
    fn reliability_in_a_frame_is_that_of_its_columns() {
        let a = vec![1.0, 2.0, 3.0, 4.0, 5.0, 2.0];
        let b = vec![2.0, 2.0, 3.0, 5.0, 4.0, 1.0];
        let c = vec![1.0, 3.0, 3.0, 4.0, 5.0, 2.0];
        let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let df = df!("a" => &a, "b" => &b, "c" => &c).unwrap();
        let in_place = reliability_in(&df, &["a", "b", "c"], &names).unwrap();
        let copied = reliability_of(&names, &[a.clone(), b.clone(), c.clone()]);
        assert_eq!(in_place, copied);
        assert!(in_place.alpha.is_some_and(|x| x > 0.5), "{in_place:?}");
        // A row with a value that is not finite is not a complete case.
        let mut b_nan = b.clone();
        b_nan[2] = f64::NAN;
        let df = df!("a" => &a, "b" => &b_nan, "c" => &c).unwrap();
        let left_out = reliability_in(&df, &["a", "b", "c"], &names).unwrap();
        let without = |v: &[f64]| [&v[..2], &v[3..]].concat();
        let rest = [without(&a), without(&b), without(&c)];
        assert_eq!(left_out, reliability_of(&names, &rest));
        assert_eq!(left_out.n, 5);
        // Nor is a row with a null.
        let c_null: Vec<Option<f64>> = c
            .iter()
            .enumerate()
            .map(|(i, &x)| (i != 2).then_some(x))
            .collect();
        let df = df!("a" => &a, "b" => &b, "c" => &c_null).unwrap();
        let nulls_left_out = reliability_in(&df, &["a", "b", "c"], &names).unwrap();
        let rest = [without(&a), without(&b), without(&c)];
        assert_eq!(nulls_left_out, reliability_of(&names, &rest));
        assert_eq!(nulls_left_out.n, 5);
    }

    #[test]
    fn grouping_by_two_codes_as_one_gives_the_groups_of_the_two_columns() {
        // Codes up to the largest, nulls in either key, a group of one row, and values
        // whose sums depend on their order.
        let big = u32::MAX - 1;
        let first = [
            Some(3),
            Some(3),
            None,
            Some(big),
            Some(3),
            None,
            Some(0),
            Some(3),
        ];
        let second = [
            Some(1),
            Some(2),
            Some(1),
            Some(big),
            Some(1),
            None,
            Some(0),
            None,
        ];
        let x: Vec<Option<f64>> = (0..8)
            .map(|i| (i != 4).then(|| 0.1 * f64::from(i) + 1e16 * f64::from(i % 2)))
            .collect();
        let df = df!("f" => &first, "s" => &second, "x" => &x).unwrap();
        let by = |keep: Option<Expr>| {
            let ours = group_by_codes(&df, ["f", "s"], keep.clone(), &moments("x")).unwrap();
            let lf = df.clone().lazy();
            let lf = match keep {
                Some(e) => lf.filter(e),
                None => lf,
            };
            let theirs = lf
                .group_by([col("f"), col("s")])
                .agg(moments("x"))
                .collect()
                .unwrap();
            let sorted = |d: DataFrame| {
                d.sort(
                    ["f", "s"],
                    SortMultipleOptions::default().with_nulls_last(true),
                )
                .unwrap()
            };
            (sorted(ours), sorted(theirs))
        };
        let (ours, theirs) = by(None);
        assert_eq!(ours.height(), 7);
        assert!(ours.equals_missing(&theirs), "{ours} {theirs}");
        let (ours, theirs) = by(Some(col("s").is_not_null()));
        assert_eq!(ours.height(), 5);
        assert!(ours.equals_missing(&theirs), "{ours} {theirs}");
    }

    #[test]
    fn grouping_by_two_codes_with_many_distinct_values_gives_the_groups_of_the_two_columns() {
        // More distinct codes in each column than four bytes can number in pairs (the key
        // takes eight), some codes sparse, and groups of two rows whose sums depend on order.
        let rows = 140_000u32;
        let first: Vec<Option<u32>> = (0..rows)
            .map(|r| (r % 997 != 0).then_some((r / 2) * 3))
            .collect();
        let second: Vec<Option<u32>> = (0..rows).map(|r| Some(r / 2 + 7)).collect();
        let x: Vec<f64> = (0..rows)
            .map(|r| 0.1 * f64::from(r) + 1e15 * f64::from(r % 2))
            .collect();
        let df = df!("f" => &first, "s" => &second, "x" => &x).unwrap();
        let sorted = |d: DataFrame| {
            d.sort(
                ["f", "s"],
                SortMultipleOptions::default().with_nulls_last(true),
            )
            .unwrap()
        };
        let ours = sorted(group_by_codes(&df, ["f", "s"], None, &moments("x")).unwrap());
        let theirs = df
            .clone()
            .lazy()
            .group_by([col("f"), col("s")])
            .agg(moments("x"))
            .collect()
            .unwrap();
        let theirs = sorted(theirs);
        assert!(ours.height() > 70_000);
        assert!(ours.equals_missing(&theirs), "{ours} {theirs}");
    }
}
