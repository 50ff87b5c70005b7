//! Leader relations (Hedensted's practice): directed importance × functioning ratings,
//! their dyads, the dialogue list and per-leader counts.
//!
//! A direction A→B is flagged "important, not working" when importance ≥ `important_from`
//! and functioning ≤ `working_up_to` (default 4 and 3). A dyad {A, B} is flagged when either
//! direction is; its priority is the largest importance − functioning of a flagged direction.

use polars::prelude::*;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::answers::{col as a, Answers, Names, Pick};
use crate::config::RelationThresholds;
use crate::instruments::{FUNCTIONING, IMPORTANCE, RELATIONS};
use crate::measures::frame::codes;
use crate::results::{DialogueEntry, Direction, Dyad, LeaderRelations, Relations};

/// The note every relations output carries.
pub const CONFIDENTIALITY: &str = "These ratings name leaders and are identifiable by design. \
Share a dyad's figures with the two leaders concerned and the dialogue list with the leader group; \
do not publish them. --pseudonymize replaces names by codes.";

/// The directions rated, by rater and counterpart, sorted by the two and each pair once.
/// Keyed by codes, which sort like their names: the order is that of the names, without a
/// string a rating. A sorted list, found by halving: at national scale hundreds of
/// thousands of ratings, where a tree map took a quarter of the step's time.
type Ratings = Vec<((u32, u32), Direction)>;

/// The direction `key` of `ratings`, if rated.
fn rating(ratings: &Ratings, key: (u32, u32)) -> Option<&Direction> {
    ratings
        .binary_search_by_key(&key, |&(k, _)| k)
        .ok()
        .map(|i| &ratings[i].1)
}

/// The relation ratings, a row a rating, with each rater's coded columns; `None` when there
/// are none.
pub fn rows(answers: &Answers) -> PolarsResult<Option<DataFrame>> {
    let df = answers
        .spread(
            RELATIONS,
            &[
                (IMPORTANCE, Pick::Construct(IMPORTANCE)),
                (FUNCTIONING, Pick::Construct(FUNCTIONING)),
            ],
        )?
        .collect()?;
    Ok(Some(df).filter(|df| df.height() > 0))
}

/// Computes the relations section from the ratings of [`rows`] and the names their codes
/// are of.
pub fn compute(df: &DataFrame, names: &Names, t: RelationThresholds) -> PolarsResult<Relations> {
    let (raters, munis, units, targets) = (
        codes(df, a::RESPONDENT)?,
        codes(df, a::MUNICIPALITY)?,
        codes(df, a::UNIT)?,
        codes(df, a::TARGET)?,
    );
    let importance: Vec<Option<f64>> = df.column(IMPORTANCE)?.f64()?.iter().collect();
    let functioning: Vec<Option<f64>> = df.column(FUNCTIONING)?.f64()?.iter().collect();

    let mut home: Home = FxHashMap::default();
    // Each rated pair's rows in file order. The readers refuse a pair rated twice; were
    // one, its last rating would count.
    let mut rows: Vec<((u32, u32), usize)> = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let (Some(rater), Some(target)) = (raters[i], targets[i]) else {
            continue;
        };
        home.entry(rater).or_insert((munis[i], units[i]));
        rows.push(((rater, target), i));
    }
    rows.sort_by_key(|&(key, _)| key);
    let mut ratings: Ratings = Vec::with_capacity(rows.len());
    for (n, &(key, i)) in rows.iter().enumerate() {
        if rows.get(n + 1).is_some_and(|&(next, _)| next == key) {
            continue;
        }
        let mut d = Direction {
            importance: importance[i],
            functioning: functioning[i],
            flagged: false,
        };
        d.flagged = flagged(&d, t);
        ratings.push((key, d));
    }
    let dyads = dyads(&ratings, names, t);
    let dialogue = dialogue(&dyads);
    let leaders = leaders(&ratings, &home, names);
    Ok(Relations {
        confidentiality: CONFIDENTIALITY.into(),
        pseudonymized: false,
        dyads,
        dialogue,
        leaders,
    })
}

fn flagged(d: &Direction, t: RelationThresholds) -> bool {
    matches!((d.importance, d.functioning), (Some(i), Some(f)) if i >= t.important_from && f <= t.working_up_to)
}

fn important(d: &Direction, t: RelationThresholds) -> bool {
    d.importance.is_some_and(|i| i >= t.important_from)
}

fn priority(d: &Direction) -> Option<f64> {
    match (d.flagged, d.importance, d.functioning) {
        (true, Some(i), Some(f)) => Some(i - f),
        _ => None,
    }
}

fn dyads(ratings: &Ratings, names: &Names, t: RelationThresholds) -> Vec<Dyad> {
    let mut pairs: Vec<(u32, u32)> = ratings
        .iter()
        .map(|&((r, c), _)| (r.min(c), r.max(c)))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    // A dyad a task, in order.
    pairs
        .into_par_iter()
        .map(|(x, y)| {
            let ab = rating(ratings, (x, y)).cloned();
            let ba = rating(ratings, (y, x)).cloned();
            let both = ab.as_ref().zip(ba.as_ref());
            let present: Vec<&Direction> = ab.iter().chain(ba.iter()).collect();
            let functioning: Vec<f64> = present.iter().filter_map(|d| d.functioning).collect();
            let gap =
                |f: fn(&Direction) -> Option<f64>| both.and_then(|(p, q)| Some(f(p)? - f(q)?));
            let flagged_by_one_side_only = both.is_some_and(|(p, q)| p.flagged != q.flagged);
            let important_to_one_side_only =
                both.is_some_and(|(p, q)| important(p, t) != important(q, t));
            let one_direction_only = both.is_none();
            Dyad {
                mutual_functioning: (!functioning.is_empty())
                    .then(|| functioning.iter().sum::<f64>() / functioning.len() as f64),
                importance_gap: gap(|d| d.importance),
                functioning_gap: gap(|d| d.functioning),
                flagged: present.iter().any(|d| d.flagged),
                priority: present.iter().filter_map(|d| priority(d)).reduce(f64::max),
                one_direction_only,
                flagged_by_one_side_only,
                important_to_one_side_only,
                one_sided: one_direction_only
                    || flagged_by_one_side_only
                    || important_to_one_side_only,
                leader_a: names.name(x).to_string(),
                leader_b: names.name(y).to_string(),
                a_to_b: ab,
                b_to_a: ba,
            }
        })
        .collect()
}

/// The flagged dyads, highest priority first; the flagging leader (the one with the
/// higher priority when both flag) invites the other.
fn dialogue(dyads: &[Dyad]) -> Vec<DialogueEntry> {
    let mut entries: Vec<DialogueEntry> = dyads
        .iter()
        .filter(|d| d.flagged)
        .map(|d| {
            let (pa, pb) = (
                d.a_to_b.as_ref().and_then(priority),
                d.b_to_a.as_ref().and_then(priority),
            );
            let a_invites = match (pa, pb) {
                (Some(x), Some(y)) => x >= y,
                (Some(_), None) => true,
                _ => false,
            };
            let (inviter, invitee, own, other) = if a_invites {
                (&d.leader_a, &d.leader_b, &d.a_to_b, &d.b_to_a)
            } else {
                (&d.leader_b, &d.leader_a, &d.b_to_a, &d.a_to_b)
            };
            let own = own.clone().unwrap_or_default();
            let other = other.clone();
            DialogueEntry {
                rank: 0,
                inviter: inviter.clone(),
                invitee: invitee.clone(),
                priority: priority(&own).unwrap_or(0.0),
                importance: own.importance,
                functioning: own.functioning,
                invitee_importance: other.as_ref().and_then(|o| o.importance),
                invitee_functioning: other.as_ref().and_then(|o| o.functioning),
                flagged_by_both: pa.is_some() && pb.is_some(),
            }
        })
        .collect();
    entries.sort_by(|x, y| {
        y.priority
            .total_cmp(&x.priority)
            .then_with(|| (&x.inviter, &x.invitee).cmp(&(&y.inviter, &y.invitee)))
    });
    for (i, e) in entries.iter_mut().enumerate() {
        e.rank = i + 1;
    }
    entries
}

/// Each rater's municipality and unit, from their first rating.
type Home = FxHashMap<u32, (Option<u32>, Option<u32>)>;

fn leaders(ratings: &Ratings, home: &Home, names: &Names) -> Vec<LeaderRelations> {
    // One pass over the ratings: (rated, flagged, flagged by others) per leader.
    let mut counts: FxHashMap<u32, (usize, usize, usize)> = FxHashMap::default();
    for &((rater, counterpart), ref d) in ratings {
        let own = counts.entry(rater).or_default();
        own.0 += 1;
        own.1 += usize::from(d.flagged);
        counts.entry(counterpart).or_default().2 += usize::from(d.flagged);
    }
    // In the order of the leaders' codes, which is that of their names.
    let mut counts: Vec<(u32, (usize, usize, usize))> = counts.into_iter().collect();
    counts.sort_unstable_by_key(|&(leader, _)| leader);
    let name = |c: Option<u32>| c.map(|c| names.name(c).to_string());
    counts
        .into_iter()
        .map(|(leader, (rated, flagged, flagged_by))| {
            let (municipality, unit) = home.get(&leader).copied().unwrap_or_default();
            LeaderRelations {
                leader: names.name(leader).to_string(),
                municipality: name(municipality),
                unit: name(unit),
                relations_rated: rated,
                relations_flagged: flagged,
                flagged_by,
            }
        })
        .collect()
}
