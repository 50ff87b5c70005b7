//! Relational coordination: ties, role-pair cells, respondent, unit and network scores.
//!
//! Definitions (Gittell; ../domain.md §1.4), for respondent i in role r rating role g:
//! - tie RC(i,g): the mean of the answered dimensions, when at least `min_answered(7)` are
//!   answered; communication and relationship sub-scores likewise over their 4 and 3;
//! - pair cell r → g: the mean of the valid ties of the respondents in role r;
//! - respondent RC: the mean of i's valid ties (own role included unless excluded);
//! - unit, municipality and network RC: the mean of respondent RC over their respondents;
//! - within / between: the mean of valid ties to the own role / to other roles.
//!
//! This module computes raw figures; `privacy` decides which of them may be shown.

use polars::prelude::*;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::answers::{col as a, mask, with_mask, Answers, Names, Pick};
use crate::config::Settings;
use crate::instruments::{Subindex, RC, RC_DIMENSIONS};
use crate::measures::frame::{at, one_chunk, reliability_in, Numbers, OneChunk, Values};
use crate::measures::frame::{codes, estimate, estimates, group_by_codes, moments, numbers};
use crate::results::{
    Aggregation, Dimension, Municipality, Network, Pair, PositionNetwork, Rc, Reason, Reliability,
    Unit,
};
use crate::stats::agreement;
use crate::stats::summary::clustered_mean_interval;

/// Column names of the intermediate tables.
const TIE: &str = "tie";
const COM: &str = "communication";
const REL: &str = "relationship";
const RC_SCORE: &str = "rc";

/// How many respondents ended up with a score, and why the others did not.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Accounting {
    pub respondents: usize,
    pub used: usize,
    pub skipped_reasons: Vec<Reason>,
}

/// Computes every RC figure from the Answers table.
/// Each respondent's RC with their municipality and unit, for the models; never written.
pub type RespondentScores = Vec<RespondentScore>;

/// A respondent's RC; id, municipality and unit are codes into the answers' names.
#[derive(Debug, Clone, PartialEq)]
pub struct RespondentScore {
    pub id: u32,
    pub municipality: Option<u32>,
    pub unit: Option<u32>,
    pub score: f64,
}

/// The intermediate tables behind the RC figures, kept for the wave comparison: every tie
/// (respondent, role, target, the seven dimensions and the tie score), the ties that count
/// toward respondent RC, and one row per scored respondent. Coded columns as in Answers,
/// and the dimensions as the Answers hold them (bytes, mostly; read with `Numbers`).
#[derive(Debug, Clone)]
pub struct Frames {
    pub ties: DataFrame,
    pub scored_ties: DataFrame,
    pub respondents: DataFrame,
}

/// Column names of [`Frames`].
pub mod frame_col {
    pub const TIE: &str = super::TIE;
    pub const RC: &str = super::RC_SCORE;
}

/// The RC sheet is taken out of `answers`: nothing else reads it, and once the ties are
/// made it is freed (at national scale it is hundreds of megabytes).
pub fn compute(
    answers: &mut Answers,
    s: &Settings,
    keep_frames: bool,
) -> PolarsResult<(Rc, Accounting, RespondentScores, Option<Frames>)> {
    let picks: Vec<(&str, Pick)> = RC_DIMENSIONS
        .iter()
        .map(|(d, _)| (*d, Pick::Construct(d)))
        .collect();
    let (rc_rows, people) = answers.take_rows(RC, &picks)?;
    let names = &answers.names;
    let rows = rc_rows.collect()?;
    // The rows' last holder is `ties`, which frees them once the ties are gathered and
    // before their scores are made.
    let (ties, answering) = ties(rows, &people, s)?;
    // Whether each tie is to the rater's own role (null where either role is missing).
    let own = {
        let role = of_people(&ties, &people, a::ROLE)?;
        ties.column(a::TARGET)?.u32()?.equal(role.u32()?)
    };
    let scored_ties = if s.exclude_own_role {
        // Filtered eagerly, so every column stays in one chunk (see `network`).
        ties.filter(&!&own)?
    } else {
        ties.clone()
    };
    let (respondents, runs) = respondents(&scored_ties, &people, s)?;

    // Codes sort like their strings, so the distinct codes give the positions in order.
    let mut positions: Vec<u32> = codes(&respondents, a::POSITION)?
        .into_iter()
        .flatten()
        .collect();
    positions.sort_unstable();
    positions.dedup();
    // The figures below only read the ties and respondents: they are made in two halves
    // side by side, each figure by the same code on whichever thread, so the results do
    // not depend on the split.
    let (by_respondents, by_ties) = rayon::join(
        || -> PolarsResult<_> {
            let by_position = positions
                .iter()
                .map(|&p| {
                    Ok(PositionNetwork {
                        network: network(&ties, &own, &respondents, &people, Some(p), s)?,
                        position: names.name(p).to_string(),
                    })
                })
                .collect::<PolarsResult<Vec<_>>>()?;
            Ok((
                by_position,
                network(&ties, &own, &respondents, &people, None, s)?,
                units(&respondents, names, s)?,
                municipalities(&respondents, names, s)?,
                aggregation(&respondents, &runs, &scored_ties, s)?,
                respondent_scores(&respondents)?,
            ))
        },
        || -> PolarsResult<_> {
            Ok((
                dimensions(&scored_ties, &people, s)?,
                pairs(&ties, &people, names, s)?,
                reliability(&scored_ties)?,
                accounting(answering, &ties, &people, &respondents, s)?,
            ))
        },
    );
    let (by_position, network, units, municipalities, aggregation, scores) = by_respondents?;
    let (dimensions, pairs, reliability, accounting) = by_ties?;
    let rc = Rc {
        network,
        by_position,
        dimensions,
        pairs,
        units,
        units_suppressed: 0,
        municipalities,
        reliability,
        aggregation,
    };
    // The tables for the wave comparison, with each tie's respondent and role.
    let frames = if keep_frames {
        let with_codes = |df: &DataFrame| -> PolarsResult<DataFrame> {
            let mut df = df.clone();
            for c in [a::RESPONDENT, a::ROLE] {
                df.with_column(of_people(&df, &people, c)?)?;
            }
            Ok(df)
        };
        Some(Frames {
            ties: with_codes(&ties)?,
            scored_ties: with_codes(&scored_ties)?,
            respondents,
        })
    } else {
        None
    };
    Ok((rc, accounting, scores, frames))
}

/// The people's column `c` for each row of `ties` (by its person), named `c`.
fn of_people(ties: &DataFrame, people: &DataFrame, c: &str) -> PolarsResult<Column> {
    people.column(c)?.take(ties.column(a::PERSON)?.u32()?)
}

/// Each tie's respondent, read through its person: the ties hold the person only.
struct TieRespondents {
    person: OneChunk<UInt32Type>,
    respondent: OneChunk<UInt32Type>,
}

impl TieRespondents {
    fn of(ties: &DataFrame, people: &DataFrame) -> PolarsResult<Self> {
        Ok(TieRespondents {
            person: one_chunk(ties.column(a::PERSON)?.u32()?),
            respondent: one_chunk(people.column(a::RESPONDENT)?.u32()?),
        })
    }

    /// The respondent's code of tie `r`, if it has one.
    fn reader(&self) -> impl Fn(usize) -> Option<u32> + '_ {
        let person = self.person.in_place().0;
        let respondent = self.respondent.in_place();
        move |r| at(&respondent, person[r] as usize)
    }

    /// How many respondents have a tie that `keep` keeps, counted by the runs of one
    /// respondent (the ties are ordered by respondent): no copy of the respondents and no
    /// hash set of them. A missing code counts as one respondent, as polars' n_unique
    /// counts it.
    fn count(&self, keep: impl Fn(usize) -> bool) -> usize {
        let who = self.reader();
        let mut last = None;
        let mut n = 0;
        for r in (0..self.person.in_place().0.len()).filter(|&r| keep(r)) {
            let code = Some(who(r));
            if code != last {
                n += 1;
                last = code;
            }
        }
        n
    }
}

/// Where a boolean column is true (not null and true), read in one chunk.
fn one_chunk_bools(column: &BooleanChunked) -> impl Fn(usize) -> bool {
    let array = column.rechunk().downcast_iter().next().cloned();
    move |r| {
        array
            .as_ref()
            .is_some_and(|a| a.validity().is_none_or(|v| v.get_bit(r)) && a.value(r))
    }
}

/// One row per respondent and rated role with at least one answer: the seven dimension
/// answers and the tie score, null unless enough of them are answered. (A tie's two
/// sub-scores are worked out where they are averaged, in [`respondents`]: as columns they
/// were a hundred megabytes at national scale.)
///
/// Sorted by respondent and rated role, so every later sum runs over the same order and
/// results are byte-for-byte reproducible whatever the thread scheduling, and a
/// respondent's ties are one run. The rows are ordered by a counting sort on the codes and
/// the scores summed in one pass in dimension order: at national scale these are millions
/// of rows, where a general sort and horizontal sums over whole columns cost seconds.
///
/// Also gives how many respondents the rows have, and how many of them answered anything
/// (see [`answering`]), from the same look at each row.
fn ties(
    rows: DataFrame,
    people: &DataFrame,
    s: &Settings,
) -> PolarsResult<(DataFrame, (usize, usize))> {
    let all: Vec<&str> = RC_DIMENSIONS.iter().map(|(d, _)| *d).collect();
    let (order, persons, answering) = {
        let dims: Vec<Numbers> = all
            .iter()
            .map(|d| Numbers::of(rows.column(d)?))
            .collect::<PolarsResult<_>>()?;
        let dims: Vec<_> = dims.iter().map(Numbers::in_place).collect();
        // Whether each row has an answer, asked once.
        let answered: Vec<bool> = (0..rows.height())
            .map(|r| dims.iter().any(|(_, valid)| valid(r)))
            .collect();
        let person = one_chunk(rows.column(a::PERSON)?.u32()?);
        let person = person.in_place().0;
        let respondent = one_chunk(people.column(a::RESPONDENT)?.u32()?);
        let respondent = respondent.in_place();
        let answering = answering(person, &respondent, &answered);
        let target = one_chunk(rows.column(a::TARGET)?.u32()?);
        let who = |r: usize| at(&respondent, person[r] as usize);
        let order = tie_order(who, &target, |r| answered[r]);
        let persons: Vec<IdxSize> = order.iter().map(|&r| person[r as usize]).collect();
        (
            order,
            IdxCa::from_vec(PlSmallStr::EMPTY, persons),
            answering,
        )
    };
    // The answers as stored, a byte each where they are whole numbers (see `Answers`), and
    // so they stay in the ties: as floats they would be hundreds of megabytes. The target
    // and answers are gathered from the rows, the respondent's codes from the people.
    let mut kept = vec![a::TARGET];
    kept.extend(&all);
    let mut gathered = rows
        .select(kept)?
        .take(&IdxCa::from_vec(PlSmallStr::EMPTY, order))?;
    drop(rows);
    gathered.rechunk_mut();
    // The person's codes (respondent, role, municipality, ...) are read from the people by
    // the tie's person where needed (see `TieRespondents`, `of_people`), not repeated on
    // each tie: at national scale each was 25 MB of the scores step's peak.
    let person = persons.with_name(a::PERSON.into()).into_column();
    let mut columns = vec![gathered.column(a::TARGET)?.clone(), person];
    for d in &all {
        columns.push(gathered.column(d)?.clone());
    }
    drop(gathered);
    let mut ties = DataFrame::new_infer_height(columns)?;
    ties.rechunk_mut();
    let dims: Vec<Numbers> = all
        .iter()
        .map(|d| Numbers::of(ties.column(d)?))
        .collect::<PolarsResult<_>>()?;
    let dims: Vec<_> = dims.iter().map(Numbers::in_place).collect();
    let (picked, min) = score_dims(None, s);
    // The tie score, a block of rows a task.
    const BLOCK: usize = 1 << 16;
    let rows = ties.height();
    let (mut values, mut valid) = (vec![0.0; rows], vec![false; rows]);
    values
        .par_chunks_mut(BLOCK)
        .zip(valid.par_chunks_mut(BLOCK))
        .enumerate()
        .for_each(|(b, (values, valid))| {
            for (i, (v, ok)) in values.iter_mut().zip(valid.iter_mut()).enumerate() {
                let score = tie_score(&dims, &picked, min, b * BLOCK + i);
                *v = score.unwrap_or(0.0);
                *ok = score.is_some();
            }
        });
    drop(dims);
    ties.hstack_mut(&[floats(TIE, values, &valid)])?;
    Ok((ties, answering))
}

/// The dimensions of the tie score (all seven), or of a sub-index, by position in
/// [`RC_DIMENSIONS`] (the order they are summed in), and how many must be answered.
fn score_dims(subindex: Option<Subindex>, s: &Settings) -> (Vec<usize>, usize) {
    let picked: Vec<usize> = RC_DIMENSIONS
        .iter()
        .enumerate()
        .filter(|(_, (_, of))| subindex.is_none_or(|s| s == *of))
        .map(|(k, _)| k)
        .collect();
    let min = s.min_answered(picked.len());
    (picked, min)
}

/// The score of tie `r` over the dimensions `picked` (see [`score_dims`]): the mean of those
/// answered, summed in their order, when at least `min` are.
fn tie_score(
    dims: &[(Values<'_>, impl Fn(usize) -> bool)],
    picked: &[usize],
    min: usize,
    r: usize,
) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0usize);
    for &k in picked {
        let (v, answered) = &dims[k];
        if answered(r) {
            sum += v.get(r);
            n += 1;
        }
    }
    (n >= min).then(|| sum / n as f64)
}

/// `values` as a column, null where `valid` is false.
fn floats(name: &str, values: Vec<f64>, valid: &[bool]) -> Column {
    with_mask::<Float64Type>(name, values, mask(valid.iter().copied())).into_column()
}

/// The positions of the rows `answered` keeps, ordered by respondent and then rated role
/// (codes, which sort like their names; a missing code first), rows with the same two in
/// their order: each respondent's rows gathered (they mostly come together already, in
/// order; else by a counting sort on the respondent), then each respondent's few rows
/// sorted by role.
fn tie_order(
    respondent: impl Fn(usize) -> Option<u32>,
    target: &OneChunk<UInt32Type>,
    answered: impl Fn(usize) -> bool,
) -> Vec<IdxSize> {
    let whom = target.in_place();
    // A row's code plus one, and 0 for a missing code, which comes first. (A code is less
    // than the number of names, and no more than u32::MAX names are numbered.)
    let key = |code: Option<u32>| code.map_or(0, |c| c + 1);
    // The kept rows and their respondents' keys, worked out once.
    let (kept, keys): (Vec<IdxSize>, Vec<u32>) = (0..whom.0.len())
        .filter(|&r| answered(r))
        .map(|r| (r as IdxSize, key(respondent(r))))
        .unzip();
    let by_role = |rows: &mut [IdxSize]| rows.sort_by_key(|&r| key(at(&whom, r as usize)));
    if keys.windows(2).all(|w| w[0] <= w[1]) {
        // Each respondent's rows are one run already, the runs in order.
        let mut order = kept;
        let mut begin = 0;
        for end in 1..=keys.len() {
            if end == keys.len() || keys[end] != keys[begin] {
                by_role(&mut order[begin..end]);
                begin = end;
            }
        }
        return order;
    }
    let buckets = keys.iter().max().map_or(0, |&m| m as usize + 2);
    let mut start = vec![0usize; buckets];
    for &k in &keys {
        start[k as usize + 1] += 1;
    }
    for b in 1..buckets {
        start[b] += start[b - 1];
    }
    let mut order = vec![0 as IdxSize; kept.len()];
    let mut next = start.clone();
    for (&r, &k) in kept.iter().zip(&keys) {
        order[next[k as usize]] = r;
        next[k as usize] += 1;
    }
    for b in 0..buckets.saturating_sub(1) {
        by_role(&mut order[start[b]..start[b + 1]]);
    }
    order
}

/// One row per respondent with at least one valid tie: respondent RC and sub-scores, sorted
/// by respondent; and each row's run of ties (first, end). (Each dimension's mean over a
/// respondent's valid ties is worked out where it is read, in [`aggregation`]: as columns
/// they were 51 MB of the scores step's peak at national scale.)
///
/// The ties are sorted by respondent, so a respondent's ties are one run; each figure is a
/// pass over its column, run by run. Each mean is the sum of the respondent's valid values
/// in row order over their count, as polars' group-by mean computes it for a group of
/// fewer than 128 rows (a respondent rates a few roles), so the figures are those of a
/// group-by to the last digit.
fn respondents(
    scored_ties: &DataFrame,
    people: &DataFrame,
    s: &Settings,
) -> PolarsResult<(DataFrame, Vec<Run>)> {
    let tied = TieRespondents::of(scored_ties, people)?;
    let code = tied.reader();
    let rows = scored_ties.height();
    // The runs of one respondent: (first row, end).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut begin = 0;
    for r in 1..=rows {
        if r == rows || code(r) != code(begin) {
            runs.push((begin, r));
            begin = r;
        }
    }
    let tie = one_chunk(scored_ties.column(TIE)?.f64()?);
    let tie = tie.in_place();
    // A respondent without a valid tie has no score, nor one without a code.
    let (tie_means, tie_counts) = run_means_of(|r| at(&tie, r), &runs);
    let kept: Vec<usize> = (0..runs.len())
        .filter(|&i| tie_counts[i] > 0 && code(runs[i].0).is_some())
        .collect();
    let runs: Vec<Run> = kept
        .iter()
        .map(|&i| [runs[i].0 as IdxSize, runs[i].1 as IdxSize])
        .collect();

    // Every run kept has a respondent.
    let ids = runs
        .iter()
        .map(|&[b, _]| code(b as usize).unwrap_or_default())
        .collect();
    let mut respondent = UInt32Chunked::from_vec(a::RESPONDENT.into(), ids);
    respondent.set_sorted_flag(polars::series::IsSorted::Ascending);
    let mut columns = vec![respondent.into_column()];
    // The respondent's codes, those of the person of their first tie.
    let person = one_chunk(scored_ties.column(a::PERSON)?.u32()?);
    let person = person.in_place().0;
    for c in [a::ROLE, a::MUNICIPALITY, a::UNIT, a::POSITION] {
        let of = one_chunk(people.column(c)?.u32()?);
        let of = of.in_place();
        let v = runs
            .iter()
            .map(|&[b, _]| at(&of, person[b as usize] as usize));
        columns.push(UInt32Chunked::from_iter_options(c.into(), v).into_column());
    }
    // Every respondent kept has a valid tie, so a score.
    let tie_means: Vec<f64> = kept.iter().map(|&i| tie_means[i]).collect();
    columns.push(Float64Chunked::from_vec(RC_SCORE.into(), tie_means).into_column());
    // The sub-scores over every tie, each tie's worked out as the tie score is.
    let dims: Vec<Numbers> = RC_DIMENSIONS
        .iter()
        .map(|(d, _)| Numbers::of(scored_ties.column(d)?))
        .collect::<PolarsResult<_>>()?;
    let dims: Vec<_> = dims.iter().map(Numbers::in_place).collect();
    let subindices: [_; FIGURES] =
        [Subindex::Communication, Subindex::Relationship].map(|x| score_dims(Some(x), s));
    // The two sub-scores: each respondent's means, and whether they have one. Both in one
    // pass over a block of respondents' ties, a block a task, so each tie's answers are
    // read once; each mean is still the sum of its values in row order over their count,
    // as a pass a figure gives it.
    const FIGURES: usize = 2;
    const RUNS: usize = 4096;
    let mut means = vec![vec![0.0; runs.len()]; FIGURES];
    let mut have = vec![vec![false; runs.len()]; FIGURES];
    let mut mean_blocks: Vec<_> = means.iter_mut().map(|m| m.chunks_mut(RUNS)).collect();
    let mut have_blocks: Vec<_> = have.iter_mut().map(|h| h.chunks_mut(RUNS)).collect();
    let blocks: Vec<(_, Vec<_>, Vec<_>)> = runs
        .chunks(RUNS)
        .map(|block| {
            let m = mean_blocks.iter_mut().map(|c| c.next().unwrap_or_default());
            let h = have_blocks.iter_mut().map(|c| c.next().unwrap_or_default());
            (block, m.collect(), h.collect())
        })
        .collect();
    blocks
        .into_par_iter()
        .for_each(|(block, mut means, mut have)| {
            for (j, &[begin, end]) in block.iter().enumerate() {
                let (mut sum, mut n) = ([0.0; FIGURES], [0usize; FIGURES]);
                for r in begin as usize..end as usize {
                    for (f, (picked, min)) in subindices.iter().enumerate() {
                        if let Some(x) = tie_score(&dims, picked, *min, r) {
                            sum[f] += x;
                            n[f] += 1;
                        }
                    }
                }
                for f in 0..FIGURES {
                    means[f][j] = mean(sum[f], n[f]);
                    have[f][j] = n[f] > 0;
                }
            }
        });
    let rest: Vec<Column> = [COM, REL]
        .into_iter()
        .zip(means.into_iter().zip(&have))
        .map(|(name, (means, have))| floats(name, means, have))
        .collect();
    columns.extend(rest);
    Ok((DataFrame::new_infer_height(columns)?, runs))
}

/// A respondent's run of ties: the first and the end.
type Run = [IdxSize; 2];

/// The mean of each dimension over the valid ties of a run (a tie score's), summed in row
/// order; none for a dimension without an answer there.
fn dimension_means(
    dims: &[(Values<'_>, impl Fn(usize) -> bool)],
    tie_valid: impl Fn(usize) -> bool,
    [begin, end]: Run,
) -> [Option<f64>; RC_DIMENSIONS.len()] {
    let (mut sum, mut n) = ([0.0; RC_DIMENSIONS.len()], [0usize; RC_DIMENSIONS.len()]);
    for r in (begin as usize..end as usize).filter(|&r| tie_valid(r)) {
        for (k, (values, valid)) in dims.iter().enumerate() {
            if valid(r) {
                sum[k] += values.get(r);
                n[k] += 1;
            }
        }
    }
    std::array::from_fn(|k| (n[k] > 0).then(|| mean(sum[k], n[k])))
}

/// Each run's mean of the rows' values (none for a row left out), summed in row order, and
/// how many rows that is (the mean is 0 without one).
fn run_means_of(
    value: impl Fn(usize) -> Option<f64>,
    runs: &[(usize, usize)],
) -> (Vec<f64>, Vec<usize>) {
    let mut means = Vec::with_capacity(runs.len());
    let mut counts = Vec::with_capacity(runs.len());
    for &(begin, end) in runs {
        let (mut sum, mut n) = (0.0, 0usize);
        for x in (begin..end).filter_map(&value) {
            sum += x;
            n += 1;
        }
        means.push(mean(sum, n));
        counts.push(n);
    }
    (means, counts)
}

/// The mean of `n` values summing to `sum`; 0 without one.
fn mean(sum: f64, n: usize) -> f64 {
    if n > 0 {
        sum / n as f64
    } else {
        0.0
    }
}

fn respondent_scores(respondents: &DataFrame) -> PolarsResult<RespondentScores> {
    let (ids, munis, units) = (
        codes(respondents, a::RESPONDENT)?,
        codes(respondents, a::MUNICIPALITY)?,
        codes(respondents, a::UNIT)?,
    );
    let scores = numbers(respondents, RC_SCORE)?;
    Ok(ids
        .into_iter()
        .zip(munis)
        .zip(units)
        .zip(scores)
        .filter_map(|(((id, municipality), unit), score)| {
            Some(RespondentScore {
                id: id?,
                municipality,
                unit,
                score: score?,
            })
        })
        .collect())
}

/// Cronbach's alpha of the seven dimensions over the ties that answered all seven, read
/// in place from the ties frame (no copy of the complete cases).
fn reliability(scored_ties: &DataFrame) -> PolarsResult<Reliability> {
    let dims: Vec<&str> = RC_DIMENSIONS.iter().map(|(d, _)| *d).collect();
    let names: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
    reliability_in(scored_ties, &dims, &names)
}

/// ANOVA, ICC(1), ICC(2) and median rwg(j) over the units with at least min-n respondents.
///
/// The respondents' columns are read in place and only each unit's list of respondents is
/// gathered: at national scale a copy of every column as options, and a profile vector a
/// respondent, were a quarter of a gigabyte at the scores step's peak.
fn aggregation(
    respondents: &DataFrame,
    runs: &[Run],
    scored_ties: &DataFrame,
    s: &Settings,
) -> PolarsResult<Aggregation> {
    let munis = one_chunk(respondents.column(a::MUNICIPALITY)?.u32()?);
    let units = one_chunk(respondents.column(a::UNIT)?.u32()?);
    let scores = one_chunk(respondents.column(RC_SCORE)?.f64()?);
    let (munis, units, scores) = (munis.in_place(), units.in_place(), scores.in_place());
    let dims: Vec<Numbers> = RC_DIMENSIONS
        .iter()
        .map(|(d, _)| Numbers::of(scored_ties.column(d)?))
        .collect::<PolarsResult<_>>()?;
    let dims: Vec<_> = dims.iter().map(Numbers::in_place).collect();
    let tie = one_chunk(scored_ties.column(TIE)?.f64()?);
    let tie_valid = tie.in_place().1;
    let score = |i: usize| finite(&scores, i);
    // Each scored respondent with a unit, by unit (codes sort like their strings: units in
    // the order of their names), each unit's respondents in row order, as a stable sort
    // gives them.
    let mut members: Vec<((Option<u32>, u32), u32)> = (0..respondents.height())
        .filter_map(|i| match (at(&units, i), score(i)) {
            (Some(unit), Some(_)) => Some(((at(&munis, i), unit), i as u32)),
            _ => None,
        })
        .collect();
    members.par_sort_by_key(|m| m.0);
    let members: Vec<&[_]> = members
        .chunk_by(|x, y| x.0 == y.0)
        .filter(|rows| rows.len() >= s.min_n)
        .collect();
    let groups: Vec<Vec<f64>> = members
        .iter()
        .map(|rows| {
            rows.iter()
                .filter_map(|&(_, i)| score(i as usize))
                .collect()
        })
        .collect();
    let anova = agreement::anova(&groups);
    // The dimension profiles of a unit's respondents who have all seven.
    let rwgs: Vec<f64> = members
        .iter()
        .filter_map(|rows| {
            let profiles: Vec<[f64; RC_DIMENSIONS.len()]> = rows
                .iter()
                .filter_map(|&(_, i)| {
                    let means = dimension_means(&dims, &tie_valid, runs[i as usize]);
                    let mut profile = [0.0; RC_DIMENSIONS.len()];
                    for (p, m) in profile.iter_mut().zip(means) {
                        *p = m.filter(|x| x.is_finite())?;
                    }
                    Some(profile)
                })
                .collect();
            agreement::rwg_j(&profiles, 5)
        })
        .collect();
    Ok(Aggregation {
        icc1: anova.as_ref().map(|a| a.icc1),
        icc2: anova.as_ref().map(|a| a.icc2),
        f: anova.as_ref().map(|a| a.f),
        p: anova.as_ref().map(|a| a.p),
        rwg_median: agreement::median(&rwgs),
        units: members.len(),
        n: groups.iter().map(Vec::len).sum(),
    })
}

/// [`at`], when the value is finite.
fn finite(column: &(&[f64], impl Fn(usize) -> bool), i: usize) -> Option<f64> {
    at(column, i).filter(|x| x.is_finite())
}

/// The network figures over every respondent, or over those in the position with the code
/// `position`; `own` says which ties are to the rater's own role.
///
/// Each figure is taken over a column in one chunk, filtered eagerly: a lazy filter splits
/// the rows by the number of threads, and a mean or sd summed chunk by chunk then differed
/// in its last digits from one machine to another.
fn network(
    ties: &DataFrame,
    own: &BooleanChunked,
    respondents: &DataFrame,
    people: &DataFrame,
    position: Option<u32>,
    s: &Settings,
) -> PolarsResult<Network> {
    // The respondents in the position, and the ties of their people.
    let only = position
        .map(|p| respondents.column(a::POSITION)?.u32().map(|c| c.equal(p)))
        .transpose()?;
    let ties_only = match position {
        Some(p) => {
            let of = one_chunk(people.column(a::POSITION)?.u32()?);
            let of = of.in_place();
            let person = one_chunk(ties.column(a::PERSON)?.u32()?);
            let keep = person
                .in_place()
                .0
                .iter()
                .map(|&q| at(&of, q as usize) == Some(p));
            Some(BooleanChunked::from_iter_values(PlSmallStr::EMPTY, keep))
        }
        None => None,
    };
    let of = |df: &DataFrame, name: &str, keep: Option<&BooleanChunked>| -> PolarsResult<Column> {
        let c = df.column(name)?;
        match keep {
            Some(k) => c.filter(k),
            None => Ok(c.clone()),
        }
    };
    let score = moments_of(&of(respondents, RC_SCORE, only.as_ref())?)?;
    let com = moments_of(&of(respondents, COM, only.as_ref())?)?;
    let rel = moments_of(&of(respondents, REL, only.as_ref())?)?;
    // Within and between: a tie to one's own role, or to another (a null role is neither).
    let (within, between) = match ties_only {
        Some(only) => (own & &only, &!own & &only),
        None => (own.clone(), !own),
    };
    let valid = ties.column(TIE)?.is_not_null();
    // The respondents with a valid tie that `keep` keeps (see `TieRespondents::count`):
    // a filtered copy of the respondents and a hash set of them were tens of megabytes at
    // national scale.
    let tied = TieRespondents::of(ties, people)?;
    let raters = |keep: &BooleanChunked| -> PolarsResult<usize> {
        let kept = one_chunk_bools(&(keep & &valid));
        Ok(tied.count(kept))
    };
    let e = estimate(score.0, score.1, score.2, s);
    Ok(Network {
        score: e.score,
        sd: e.sd,
        ci_low: e.ci_low,
        ci_high: e.ci_high,
        band: e.band,
        n_respondents: e.n,
        within: moments_of(&of(ties, TIE, Some(&within))?)?.0,
        n_within: Some(raters(&within)?),
        between: moments_of(&of(ties, TIE, Some(&between))?)?.0,
        n_between: Some(raters(&between)?),
        communication: com.0,
        n_communication: Some(com.2),
        relationship: rel.0,
        n_relationship: Some(rel.2),
        suppressed: false,
    })
}

/// The mean, sample sd and count of the non-null values of `column`, as the expressions of
/// [`moments`] give them (a figure that is not finite is none). Taken over one chunk (see
/// [`network`]).
fn moments_of(column: &Column) -> PolarsResult<(Option<f64>, Option<f64>, usize)> {
    let x = column.cast(&DataType::Float64)?.rechunk();
    let x = x.f64()?;
    let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
    Ok((finite(x.mean()), finite(x.std(1)), x.len() - x.null_count()))
}

/// [`moments_of`] the values of `answers` in the rows where `keep` is not null.
fn moments_of_bytes(
    answers: &OneChunk<UInt8Type>,
    keep: &OneChunk<Float64Type>,
) -> (Option<f64>, Option<f64>, usize) {
    let masked = answers.masked_by(keep);
    let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
    let n = masked.len() - masked.null_count();
    (finite(masked.mean()), finite(masked.std(1)), n)
}

/// The dimension profile over the valid ties that count toward respondent RC.
fn dimensions(
    scored_ties: &DataFrame,
    people: &DataFrame,
    s: &Settings,
) -> PolarsResult<Vec<Dimension>> {
    // One dimension at a time: the valid ties of all seven at once are a copy of the seven
    // columns, hundreds of megabytes at national scale. Each figure is taken over one
    // chunk (see `network`).
    let valid = scored_ties.column(TIE)?.is_not_null();
    let tie = one_chunk(scored_ties.column(TIE)?.f64()?);
    let moments: Vec<(Option<f64>, Option<f64>, usize)> = RC_DIMENSIONS
        .iter()
        .map(|(d, _)| {
            let column = scored_ties.column(d)?;
            match column.dtype() {
                // Answers held as bytes are whole numbers: read in place with the invalid
                // ties masked out, with no copy. Their sums are exact, whatever the order
                // or grouping, and the variance reads the values that are not null in
                // order, so the figures are those of the filtered column as floats, to
                // the last digit.
                DataType::UInt8 => {
                    let answers = one_chunk(column.u8()?);
                    Ok(moments_of_bytes(&answers, &tie))
                }
                _ => moments_of(&column.filter(&valid)?),
            }
        })
        .collect::<PolarsResult<_>>()?;
    let means: Vec<Option<f64>> = moments.iter().map(|m| m.0).collect();
    let clustered = clustered_sums(scored_ties, people, &means)?;
    RC_DIMENSIONS
        .iter()
        .zip(moments)
        .zip(clustered)
        .map(|(((d, sub), (mean, sd, n)), (sum_sq, g))| {
            let ci = match (mean, sum_sq) {
                (Some(m), Some(sum_sq)) => clustered_mean_interval(m, sum_sq, n, g, s.confidence),
                _ => None,
            };
            Ok(Dimension {
                dimension: d.to_string(),
                subindex: sub.name().to_string(),
                mean,
                sd,
                n: Some(n),
                n_respondents: Some(g),
                ci_low: ci.map(|c| c.0),
                ci_high: ci.map(|c| c.1),
                suppressed: false,
            })
        })
        .collect()
}

/// For each dimension, Σ_g S_g² and g, the number of respondents who answered it, for the
/// respondent-clustered interval of its mean (a respondent's ties are not independent):
/// S_g is respondent g's sum of deviations from the mean over its valid ties. Σ_g S_g² is
/// none without a valid tie.
///
/// The ties are sorted by respondent, so a respondent's ties are one run: one pass over
/// the frame, read in place, instead of a group-by over every valid tie. Each S_g is summed
/// in row order and the squares in respondent order, so the last digits never depend on
/// how the work was split.
fn clustered_sums(
    ties: &DataFrame,
    people: &DataFrame,
    means: &[Option<f64>],
) -> PolarsResult<Vec<(Option<f64>, usize)>> {
    let tied = TieRespondents::of(ties, people)?;
    let tie_column = one_chunk(ties.column(TIE)?.f64()?);
    let dims: Vec<Numbers> = RC_DIMENSIONS
        .iter()
        .map(|(d, _)| Numbers::of(ties.column(d)?))
        .collect::<PolarsResult<_>>()?;
    let who = tied.reader();
    let (tie, tie_valid) = tie_column.in_place();
    let dims: Vec<_> = dims.iter().map(Numbers::in_place).collect();
    // A dimension at a time, side by side.
    let out = dims
        .par_iter()
        .zip(means)
        .map(|((values, valid), mean)| {
            let mean = mean.unwrap_or(0.0);
            let mut out: (Option<f64>, usize) = (None, 0);
            let (mut sum, mut n) = (0.0, 0usize);
            let flush = |sum: &mut f64, n: &mut usize, out: &mut (Option<f64>, usize)| {
                let s = *sum - *n as f64 * mean;
                out.0 = Some(out.0.unwrap_or(0.0) + s * s);
                out.1 += usize::from(*n > 0);
                (*sum, *n) = (0.0, 0);
            };
            let mut current = None;
            for r in (0..tie.len()).filter(|&r| tie_valid(r)) {
                let g = who(r);
                if current != Some(g) {
                    if current.is_some() {
                        flush(&mut sum, &mut n, &mut out);
                    }
                    current = Some(g);
                }
                if valid(r) {
                    sum += values.get(r);
                    n += 1;
                }
            }
            if current.is_some() {
                flush(&mut sum, &mut n, &mut out);
            }
            out
        })
        .collect();
    Ok(out)
}

/// Every directed pair that was rated at all; n counts the valid ties.
fn pairs(
    ties: &DataFrame,
    people: &DataFrame,
    names: &Names,
    s: &Settings,
) -> PolarsResult<Vec<Pair>> {
    let df = pair_moments(ties, people)?;
    let raters = names.strings(&df, a::ROLE)?;
    let targets = names.strings(&df, a::TARGET)?;
    let estimates = estimates(&df, s)?;
    let mut out: Vec<Pair> = raters
        .into_iter()
        .zip(targets)
        .zip(estimates)
        .map(|((r, t), estimate)| Pair {
            rater_role: r.unwrap_or_default(),
            target_role: t.unwrap_or_default(),
            estimate,
        })
        .collect();
    out.sort_by(|x, y| (&x.rater_role, &x.target_role).cmp(&(&y.rater_role, &y.target_role)));
    Ok(out)
}

/// A pair of roles' codes: the rater's and the rated.
type PairKey = (Option<u32>, Option<u32>);

/// The [`moments`] of the tie scores of each (rater's role, rated role), in no order: the
/// columns role, target, mean, sd and n. The ties of a pair are found by the rater's role,
/// read through each tie's person, and grouped here, and the moments taken by polars'
/// aggregations over those groups, which are a group-by's: a group-by needed the role
/// gathered onto every tie and a key column, and hashed them (90 MB of the scores step's
/// peak at national scale, where the groups alone are 25 MB).
fn pair_moments(ties: &DataFrame, people: &DataFrame) -> PolarsResult<DataFrame> {
    let person = one_chunk(ties.column(a::PERSON)?.u32()?);
    let person = person.in_place().0;
    let role = one_chunk(people.column(a::ROLE)?.u32()?);
    let role = role.in_place();
    let target = one_chunk(ties.column(a::TARGET)?.u32()?);
    let target = target.in_place();
    // Each pair's rows in row order, the pairs in the order first met; a respondent's ties
    // share their role, so the pair before is mostly the one looked up.
    let mut keys: Vec<PairKey> = Vec::new();
    let mut index: FxHashMap<PairKey, usize> = FxHashMap::default();
    let (mut first, mut all): (Vec<IdxSize>, Vec<Vec<IdxSize>>) = (Vec::new(), Vec::new());
    for (r, &p) in person.iter().enumerate() {
        let key = (at(&role, p as usize), at(&target, r));
        let g = *index.entry(key).or_insert_with(|| {
            keys.push(key);
            first.push(r as IdxSize);
            all.push(Vec::new());
            keys.len() - 1
        });
        all[g].push(r as IdxSize);
    }
    let tie = ties.column(TIE)?;
    let valid = one_chunk(tie.f64()?);
    let valid = valid.in_place().1;
    let n: Vec<IdxSize> = all
        .iter()
        .map(|rows| rows.iter().filter(|&&r| valid(r as usize)).count() as IdxSize)
        .collect();
    let groups: Vec<IdxItem> = first
        .into_iter()
        .zip(all)
        .map(|(f, rows)| (f, rows.into()))
        .collect();
    let groups = GroupsType::Idx(GroupsIdx::from(groups));
    // SAFETY: every group's rows are rows of the ties, which `tie` is a column of.
    let (mean, sd) = unsafe { (tie.agg_mean(&groups), tie.agg_std(&groups, 1)) };
    let codes = |name: &str, k: fn(&PairKey) -> Option<u32>| {
        UInt32Chunked::from_iter_options(name.into(), keys.iter().map(k)).into_column()
    };
    DataFrame::new(
        keys.len(),
        vec![
            codes(a::ROLE, |k| k.0),
            codes(a::TARGET, |k| k.1),
            mean.with_name("mean".into()),
            sd.with_name("sd".into()),
            IdxCa::from_vec("n".into(), n).into_column(),
        ],
    )
}

fn units(respondents: &DataFrame, names: &Names, s: &Settings) -> PolarsResult<Vec<Unit>> {
    let df = group_by_codes(
        respondents,
        [a::MUNICIPALITY, a::UNIT],
        Some(col(a::UNIT).is_not_null()),
        &moments(RC_SCORE),
    )?;
    let munis = names.strings(&df, a::MUNICIPALITY)?;
    let unit_names = names.strings(&df, a::UNIT)?;
    let mut out: Vec<Unit> = munis
        .into_iter()
        .zip(unit_names)
        .zip(estimates(&df, s)?)
        .map(|((m, u), estimate)| Unit {
            municipality: m,
            unit: u.unwrap_or_default(),
            estimate,
        })
        .collect();
    out.sort_by(|x, y| (&x.municipality, &x.unit).cmp(&(&y.municipality, &y.unit)));
    Ok(out)
}

fn municipalities(
    respondents: &DataFrame,
    names: &Names,
    s: &Settings,
) -> PolarsResult<Vec<Municipality>> {
    let df = respondents
        .clone()
        .lazy()
        .filter(col(a::MUNICIPALITY).is_not_null())
        .group_by([col(a::MUNICIPALITY)])
        .agg(moments(RC_SCORE))
        .collect()?;
    let mut out: Vec<Municipality> = names
        .strings(&df, a::MUNICIPALITY)?
        .into_iter()
        .zip(estimates(&df, s)?)
        .map(|(m, estimate)| Municipality {
            municipality: m.unwrap_or_default(),
            estimate,
        })
        .collect();
    out.sort_by(|x, y| x.municipality.cmp(&y.municipality));
    Ok(out)
}

/// How many respondents the RC rows have (each row's person in `person`, each person's
/// respondent code in `respondent`), and how many of them answered anything (whether each
/// row did in `answered`): one pass over the rows, marking each respondent's code (a missing code counts as one
/// respondent, as polars' `n_unique` counts a null), where counting them with polars
/// gathered every row's respondent and hashed them twice.
fn answering(
    person: &[u32],
    respondent: &(&[u32], impl Fn(usize) -> bool),
    answered: &[bool],
) -> (usize, usize) {
    // Bit 1: has a row; bit 2: answered something. The last slot is the missing code.
    let codes = respondent.0.iter().max().map_or(0, |&m| m as usize + 1);
    let mut seen = vec![0u8; codes + 1];
    for (r, &p) in person.iter().enumerate() {
        let slot = at(respondent, p as usize).map_or(codes, |c| c as usize);
        seen[slot] |= 1 | u8::from(answered[r]) << 1;
    }
    let count = |bit: u8| seen.iter().filter(|&&s| s & bit != 0).count();
    (count(1), count(2))
}

fn accounting(
    (all, answered): (usize, usize),
    ties: &DataFrame,
    people: &DataFrame,
    respondents: &DataFrame,
    s: &Settings,
) -> PolarsResult<Accounting> {
    // The ties are sorted by respondent: one respondent's are one run.
    let with_tie = {
        let tie = one_chunk(ties.column(TIE)?.f64()?);
        let (_, valid) = tie.in_place();
        TieRespondents::of(ties, people)?.count(valid)
    };
    let used = respondents.height();
    let mut reasons = vec![
        Reason {
            code: "no_answers".into(),
            reason: "no answers at all".into(),
            count: all - answered,
        },
        Reason {
            code: "too_few_dimensions".into(),
            reason: format!(
                "no rated role with at least {} of the 7 dimensions answered",
                s.min_answered(RC_DIMENSIONS.len())
            ),
            count: answered - with_tie,
        },
        Reason {
            code: "own_role_only".into(),
            reason: "rated only their own role, which --exclude-own-role leaves out".into(),
            count: with_tie - used,
        },
    ];
    reasons.retain(|r| r.count > 0);
    Ok(Accounting {
        respondents: all,
        used,
        skipped_reasons: reasons,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs' moments equal a polars group-by's of the role gathered onto every tie, to
    /// the bit: groups of thousands of ties (past any short-group path), scores that are not
    /// whole, null scores, and a null role and target.
    #[test]
    fn pair_moments_are_those_of_a_group_by_on_the_gathered_role() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        let (people, ties) = (3_000usize, 40_000usize);
        let role: Vec<Option<u32>> = (0..people)
            .map(|_| Some(next(6) as u32).filter(|&r| r != 5))
            .collect();
        let person: Vec<u32> = (0..ties).map(|_| next(people as u64) as u32).collect();
        let target: Vec<Option<u32>> = (0..ties)
            .map(|_| Some(next(7) as u32).filter(|&t| t != 6))
            .collect();
        let tie: Vec<Option<f64>> = (0..ties)
            .map(|_| match next(10) {
                0 => None,
                1 => Some(1.0 + next(1000) as f64 / 997.0),
                _ => Some(1.0 + next(29) as f64 / 7.0),
            })
            .collect();
        let people_df = DataFrame::new(
            people,
            vec![UInt32Chunked::from_iter_options(a::ROLE.into(), role.into_iter()).into_column()],
        )
        .unwrap();
        let ties_df = DataFrame::new(
            ties,
            vec![
                UInt32Chunked::from_vec(a::PERSON.into(), person).into_column(),
                UInt32Chunked::from_iter_options(a::TARGET.into(), target.into_iter())
                    .into_column(),
                Float64Chunked::from_iter_options(TIE.into(), tie.into_iter()).into_column(),
            ],
        )
        .unwrap();
        let by_pair = DataFrame::new(
            ties,
            vec![
                of_people(&ties_df, &people_df, a::ROLE).unwrap(),
                ties_df.column(a::TARGET).unwrap().clone(),
                ties_df.column(TIE).unwrap().clone(),
            ],
        )
        .unwrap();
        let sorted = |df: DataFrame| {
            let df = df
                .sort(
                    [a::ROLE, a::TARGET],
                    SortMultipleOptions::default().with_nulls_last(false),
                )
                .unwrap();
            let column = |c: &str| df.column(c).unwrap().cast(&DataType::Float64).unwrap();
            let bits = |c: &str| -> Vec<Option<u64>> {
                column(c)
                    .f64()
                    .unwrap()
                    .iter()
                    .map(|x| x.map(f64::to_bits))
                    .collect()
            };
            ["role", "target", "mean", "sd", "n"].map(bits)
        };
        let want =
            sorted(group_by_codes(&by_pair, [a::ROLE, a::TARGET], None, &moments(TIE)).unwrap());
        let got = sorted(pair_moments(&ties_df, &people_df).unwrap());
        assert_eq!(got, want);
        // 6 roles (one null) × 7 targets (one null), each of 700 to 1,000 scored ties.
        assert_eq!(got[0].len(), 42);
        let ns: Vec<f64> = got[4].iter().map(|n| f64::from_bits(n.unwrap())).collect();
        assert!(ns.iter().all(|&n| n > 700.0), "{ns:?}");
    }

    fn codes_of(name: &str, v: &[Option<u32>]) -> OneChunk<UInt32Type> {
        one_chunk(&UInt32Chunked::from_iter_options(
            name.into(),
            v.iter().copied(),
        ))
    }

    #[test]
    fn ties_are_ordered_by_respondent_then_role_and_unanswered_rows_dropped() {
        // Rows in file order: respondents 7, 2, 7, none, 2, 2; row 4 has no answer.
        let who = codes_of("r", &[Some(7), Some(2), Some(7), None, Some(2), Some(2)]);
        let whom = codes_of("t", &[Some(5), Some(9), Some(1), Some(3), Some(4), None]);
        let who = who.in_place();
        let order = tie_order(|r| at(&who, r), &whom, |r| r != 4);
        // The missing respondent first, then 2 (its missing role first) and 7 by role.
        assert_eq!(order, vec![3, 5, 1, 2, 0]);
    }

    #[test]
    fn byte_answers_masked_by_the_valid_ties_have_the_moments_of_those_ties_as_floats() {
        // Enough rows for polars' sums and variance to work in blocks, nulls in both.
        let rows = 10_000u32;
        let answers: Vec<Option<u8>> = (0..rows)
            .map(|r| (r % 11 != 3).then_some((1 + (r * 7 + r / 13) % 5) as u8))
            .collect();
        let tie: Vec<Option<f64>> = (0..rows)
            .map(|r| (r % 17 != 5).then_some(f64::from(r % 9) / 3.0))
            .collect();
        let answers = UInt8Chunked::from_iter_options("d".into(), answers.into_iter());
        let tie = Float64Chunked::from_iter_options("t".into(), tie.into_iter());
        let masked = moments_of_bytes(&one_chunk(&answers), &one_chunk(&tie));
        let filtered =
            moments_of(&answers.into_column().filter(&tie.is_not_null()).unwrap()).unwrap();
        let bits = |m: (Option<f64>, Option<f64>, usize)| {
            (m.0.map(f64::to_bits), m.1.map(f64::to_bits), m.2)
        };
        assert_eq!(bits(masked), bits(filtered));
        assert!(masked.2 > 8000 && masked.2 < 9000, "{masked:?}");
    }

    proptest::proptest! {
        #[test]
        fn ties_are_ordered_as_a_stable_sort_by_respondent_then_role(
            rows in proptest::collection::vec(
                (proptest::option::of(0u32..6), proptest::option::of(0u32..4), 0u8..5),
                0..40,
            ),
            presorted in proptest::bool::ANY,
        ) {
            // Respondents in order or not (the two ways `tie_order` takes), roles not.
            let mut rows = rows;
            if presorted {
                rows.sort_by_key(|r| r.0.map_or(0, |c| c + 1));
            }
            let who: Vec<Option<u32>> = rows.iter().map(|r| r.0).collect();
            let whom: Vec<Option<u32>> = rows.iter().map(|r| r.1).collect();
            let (who, whom) = (codes_of("r", &who), codes_of("t", &whom));
            let who = who.in_place();
            // A row with 0 left out, as an unanswered one.
            let answered = |r: usize| rows[r].2 != 0;
            let order = tie_order(|r| at(&who, r), &whom, answered);
            let key = |c: Option<u32>| c.map_or(0, |c| c + 1);
            let mut expected: Vec<IdxSize> =
                (0..rows.len()).filter(|&r| answered(r)).map(|r| r as IdxSize).collect();
            expected.sort_by_key(|&r| (key(rows[r as usize].0), key(rows[r as usize].1)));
            proptest::prop_assert_eq!(order, expected);
        }
    }

    /// RC answers of 12 respondents rating three roles each, some missing, the dimensions
    /// as `dtype` (bytes, as the Answers hold whole numbers, or floats): the rows, and the
    /// people they point to. The people are not in the order of their codes, so a code
    /// read by the row's number instead of its person's is caught.
    fn sheet(dtype: &DataType) -> (DataFrame, DataFrame) {
        let rows = 36u32;
        let code = |n: u32, f: &dyn Fn(u32) -> u32| {
            UInt32Chunked::from_vec("".into(), (0..n).map(f).collect())
        };
        // Row r is respondent (r * 7) % 12, person p respondent (p * 5) % 12: the person
        // of respondent c is (c * 5) % 12.
        let respondent = |p: u32| (p * 5) % 12;
        let mut columns = vec![
            code(rows, &|r| (((r * 7) % 12) * 5) % 12)
                .with_name(a::PERSON.into())
                .into_column(),
            code(rows, &|r| r % 3)
                .with_name(a::TARGET.into())
                .into_column(),
        ];
        for (k, (d, _)) in RC_DIMENSIONS.iter().enumerate() {
            let k = k as u32;
            let v = (0..rows).map(|r| {
                // A dimension missing here and there; rows 0, 9, 18 and 27 with two
                // dimensions only (no tie score), row 35 with none (no tie).
                let answered = (r + k) % 5 != 0 || r % 4 == 0;
                let few = r % 9 == 0 && k > 1;
                (answered && !few && r != 35).then(|| f64::from((r * 3 + k * k) % 5 + 1))
            });
            let c = Float64Chunked::from_iter_options((*d).into(), v).into_column();
            columns.push(c.cast(dtype).unwrap());
        }
        let people = vec![
            code(12, &respondent)
                .with_name(a::RESPONDENT.into())
                .into_column(),
            code(12, &|p| respondent(p) % 3)
                .with_name(a::ROLE.into())
                .into_column(),
            code(12, &|_| 0)
                .with_name(a::MUNICIPALITY.into())
                .into_column(),
            code(12, &|p| respondent(p) / 6)
                .with_name(a::UNIT.into())
                .into_column(),
            code(12, &|_| 1).with_name(a::POSITION.into()).into_column(),
        ];
        (
            DataFrame::new_infer_height(columns).unwrap(),
            DataFrame::new_infer_height(people).unwrap(),
        )
    }

    #[test]
    fn respondents_are_accounted_for_by_what_they_answered() {
        // Person 0 answers two roles in full, person 1 one dimension of each of two roles
        // (no tie score), person 2 nothing; their respondent codes are 12, 10 and 11.
        let persons = [0u32, 0, 1, 1, 2];
        let full = [true, true, false, false, false];
        let one = [true, true, true, true, false];
        let mut columns = vec![
            UInt32Chunked::from_vec(a::PERSON.into(), persons.to_vec()).into_column(),
            UInt32Chunked::from_vec(a::TARGET.into(), vec![1, 2, 1, 2, 1]).into_column(),
        ];
        for (k, (d, _)) in RC_DIMENSIONS.iter().enumerate() {
            let answered = if k == 0 { one } else { full };
            let v = answered.map(|x| x.then_some(4u8));
            columns.push(UInt8Chunked::from_iter_options((*d).into(), v.into_iter()).into_column());
        }
        let rows = DataFrame::new_infer_height(columns).unwrap();
        let code = |name: &str, v: Vec<u32>| UInt32Chunked::from_vec(name.into(), v).into_column();
        let people = DataFrame::new_infer_height(vec![
            code(a::RESPONDENT, vec![12, 10, 11]),
            code(a::ROLE, vec![1, 1, 2]),
            code(a::MUNICIPALITY, vec![0, 0, 0]),
            code(a::UNIT, vec![3, 3, 3]),
            code(a::POSITION, vec![5, 5, 5]),
        ])
        .unwrap();
        let s = Settings::default();
        let (ties, counted) = ties(rows, &people, &s).unwrap();
        assert_eq!(counted, (3, 2));
        assert_eq!(ties.height(), 4);
        let respondents = respondents(&ties, &people, &s).unwrap().0;
        let acc = accounting(counted, &ties, &people, &respondents, &s).unwrap();
        assert_eq!((acc.respondents, acc.used), (3, 1));
        let reasons: Vec<(&str, usize)> = acc
            .skipped_reasons
            .iter()
            .map(|r| (r.code.as_str(), r.count))
            .collect();
        assert_eq!(reasons, [("no_answers", 1), ("too_few_dimensions", 1)]);
    }

    #[test]
    fn ties_gather_each_rows_codes_from_its_person() {
        let (rows, people) = sheet(&DataType::UInt8);
        let (ties, _) = ties(rows, &people, &Settings::default()).unwrap();
        assert_eq!(ties.height(), 35);
        let codes = |c: &str| codes(&ties, c).unwrap();
        // The ties hold the person; its respondent and role are the people's.
        let tied = TieRespondents::of(&ties, &people).unwrap();
        let who: Vec<Option<u32>> = (0..ties.height()).map(tied.reader()).collect();
        let role = of_people(&ties, &people, a::ROLE).unwrap();
        let roles: Vec<Option<u32>> = role.u32().unwrap().iter().collect();
        let persons = codes(a::PERSON);
        for r in 0..ties.height() {
            let who = who[r].unwrap();
            assert_eq!(roles[r], Some(who % 3), "row {r}");
            // Respondent c is person (c * 5) % 12.
            assert_eq!(persons[r], Some((who * 5) % 12), "row {r}");
        }
        // Ordered by respondent, then by rated role.
        let pairs: Vec<_> = who.iter().zip(codes(a::TARGET)).collect();
        assert!(pairs.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(who.first(), Some(&Some(0)));
        // The respondents' codes are their people's.
        let respondents = respondents(&ties, &people, &Settings::default()).unwrap().0;
        let of = |c: &str| crate::measures::frame::codes(&respondents, c).unwrap();
        let (who, units) = (of(a::RESPONDENT), of(a::UNIT));
        assert_eq!(who.len(), 12);
        for (who, unit) in who.iter().zip(units) {
            assert_eq!(unit, Some(who.unwrap() / 6));
        }
    }

    #[test]
    fn the_figures_are_the_same_whether_the_answers_are_bytes_or_floats() {
        let s = Settings::default();
        let figures = |dtype: &DataType| {
            let (rows, people) = sheet(dtype);
            let (ties, _) = ties(rows, &people, &s).unwrap();
            let (respondents, runs) = respondents(&ties, &people, &s).unwrap();
            let dims = dimensions(&ties, &people, &s).unwrap();
            let alpha = reliability(&ties).unwrap();
            let agreement = aggregation(&respondents, &runs, &ties, &s).unwrap();
            (ties, respondents, dims, alpha, agreement)
        };
        let (bytes, floats) = (figures(&DataType::UInt8), figures(&DataType::Float64));
        assert_eq!(
            bytes.0.column(RC_DIMENSIONS[0].0).unwrap().dtype(),
            &DataType::UInt8
        );
        let as_floats = |df: &DataFrame| {
            let mut df = df.clone();
            for (d, _) in RC_DIMENSIONS {
                let c = df.column(d).unwrap().cast(&DataType::Float64).unwrap();
                df.with_column(c).unwrap();
            }
            df
        };
        assert!(as_floats(&bytes.0).equals_missing(&floats.0));
        assert_eq!(bytes.0.height(), 35);
        assert_eq!(bytes.0.column(TIE).unwrap().null_count(), 4);
        assert!(bytes.1.equals_missing(&floats.1));
        assert_eq!(bytes.2, floats.2);
        assert!(bytes
            .2
            .iter()
            .all(|d| d.mean.is_some() && d.ci_low.is_some()));
        assert_eq!(bytes.3, floats.3);
        assert!(bytes.3.alpha.is_some() && bytes.3.n > 3, "{:?}", bytes.3);
        assert_eq!(bytes.4, floats.4);
        assert!(bytes.4.rwg_median.is_some(), "{:?}", bytes.4);
    }
}
