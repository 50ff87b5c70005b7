//! Decides what may be shown, in one pass over the Results before anything is rendered.
//!
//! 1. Primary suppression: a figure based on fewer than min-n distinct respondents loses its
//!    value, spread and interval, and its n is replaced by null ("fewer than min-n").
//! 2. Complementary suppression: where a total is the n-weighted mean of its parts, a hidden
//!    part could be computed back — (n_total·mean_total − Σ n_i·mean_i) / n_hidden. So in
//!    every hierarchy relcap reports, further parts (the smallest shown first) or finally
//!    the total are hidden until what is hidden, taken together with the respondents in no
//!    part, is either nothing or at least min-n respondents. Then only the mean of a group
//!    of at least min-n can be derived, never a hidden figure on its own.
//!
//! Hierarchies: network → municipalities → units (or network → units without
//! municipalities); network → leader/staff, for each network figure; within-role RC →
//! the diagonal role-pair cells; between-role RC → the other cells; and the same
//! municipality/unit hierarchies for leadership (score, each group, each dimension) and
//! citizen quality. Leader names are replaced by codes when asked.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::results::{
    Estimate, Leadership, LeadershipFigure, Network, Quality, Rc, Relations, Results,
};

/// A figure of a hierarchy as the complement rule sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    pub n: usize,
    pub hidden: bool,
}

/// The complement rule for one hierarchy: which parts to hide as well (indices, smallest n
/// first) and whether the total must be hidden. The parts' n may add up to less than the
/// total's: the rest are respondents in no part, whose mean is as good as hidden.
pub fn complement(total: Cell, parts: &[Cell], min_n: usize) -> (Vec<usize>, bool) {
    if total.hidden {
        return (Vec::new(), false);
    }
    let mut hidden: Vec<bool> = parts.iter().map(|p| p.hidden).collect();
    let remainder = total.n.saturating_sub(parts.iter().map(|p| p.n).sum());
    let mut extra = Vec::new();
    loop {
        let hidden_n: usize = remainder
            + parts
                .iter()
                .zip(&hidden)
                .filter(|(_, h)| **h)
                .map(|(p, _)| p.n)
                .sum::<usize>();
        if hidden_n == 0 || hidden_n >= min_n {
            return (extra, false);
        }
        let smallest = (0..parts.len())
            .filter(|&i| !hidden[i])
            .min_by_key(|&i| (parts[i].n, i));
        match smallest {
            Some(i) => {
                hidden[i] = true;
                extra.push(i);
            }
            None => return (extra, true),
        }
    }
}

/// Something the complement rule can hide.
trait Figure {
    fn n(&self) -> usize;
    fn hidden(&self) -> bool;
    fn hide(&mut self);
    fn cell(&self) -> Cell {
        Cell {
            n: self.n(),
            hidden: self.hidden(),
        }
    }
}

impl Figure for Estimate {
    fn n(&self) -> usize {
        self.n.unwrap_or(0)
    }
    fn hidden(&self) -> bool {
        self.suppressed
    }
    fn hide(&mut self) {
        *self = Estimate {
            n: self.n,
            suppressed: true,
            ..Estimate::default()
        };
    }
}

impl Figure for LeadershipFigure {
    fn n(&self) -> usize {
        self.n.unwrap_or(0)
    }
    fn hidden(&self) -> bool {
        self.suppressed
    }
    fn hide(&mut self) {
        *self = LeadershipFigure {
            group: std::mem::take(&mut self.group),
            dimension: self.dimension.take(),
            n: self.n,
            suppressed: true,
            ..LeadershipFigure::default()
        };
    }
}

/// One figure of a Network: its value and n.
struct Sub<'a> {
    value: &'a mut Option<f64>,
    n: usize,
}

impl Figure for Sub<'_> {
    fn n(&self) -> usize {
        self.n
    }
    fn hidden(&self) -> bool {
        self.value.is_none()
    }
    fn hide(&mut self) {
        *self.value = None;
    }
}

fn network_subs(net: &mut Network) -> [Sub<'_>; 5] {
    [
        Sub {
            n: net.n_respondents.unwrap_or(0),
            value: &mut net.score,
        },
        Sub {
            n: net.n_within.unwrap_or(0),
            value: &mut net.within,
        },
        Sub {
            n: net.n_between.unwrap_or(0),
            value: &mut net.between,
        },
        Sub {
            n: net.n_communication.unwrap_or(0),
            value: &mut net.communication,
        },
        Sub {
            n: net.n_relationship.unwrap_or(0),
            value: &mut net.relationship,
        },
    ]
}

/// Applies the complement rule to a total and its parts.
fn protect<T: Figure + ?Sized, P: Figure + ?Sized>(
    total: &mut T,
    parts: &mut [&mut P],
    min_n: usize,
) {
    let cells: Vec<Cell> = parts.iter().map(|p| p.cell()).collect();
    let (extra, hide_total) = complement(total.cell(), &cells, min_n);
    for i in extra {
        parts[i].hide();
    }
    if hide_total {
        total.hide();
    }
}

/// The hierarchy total → municipalities → units, or total → units when there are no
/// municipalities: `munis` are (name, figure) and `units` (municipality, figure).
fn protect_tree<'a, T: Figure + ?Sized, F: Figure + 'a>(
    total: &mut T,
    mut munis: Vec<(&'a str, &'a mut F)>,
    mut units: Vec<(Option<&'a str>, &'a mut F)>,
    min_n: usize,
) {
    if munis.is_empty() {
        let mut parts: Vec<&mut F> = units.iter_mut().map(|(_, f)| &mut **f).collect();
        protect(total, &mut parts, min_n);
        return;
    }
    let mut parts: Vec<&mut F> = munis.iter_mut().map(|(_, f)| &mut **f).collect();
    protect(total, &mut parts, min_n);
    // Units grouped by municipality once: a scan of every unit per municipality was
    // quadratic at national scale.
    let mut by_muni: std::collections::HashMap<&str, Vec<&mut F>> =
        std::collections::HashMap::new();
    for (u, f) in units.iter_mut() {
        if let Some(u) = u {
            by_muni.entry(*u).or_default().push(&mut **f);
        }
    }
    for (name, m) in munis.iter_mut() {
        let mut parts = by_muni.remove(*name).unwrap_or_default();
        protect(&mut **m, &mut parts, min_n);
    }
}

/// The privacy pass over everything a run found, applied once before any output is rendered.
pub fn apply_all(results: &mut Results) {
    let min_n = results.settings.min_n;
    if let Some(rc) = &mut results.rc {
        apply(rc, min_n);
    }
    if let Some(l) = &mut results.leadership {
        suppress_leadership(l, min_n);
    }
    if let Some(q) = &mut results.quality {
        suppress_quality(q, min_n);
    }
    if let (Some(r), true) = (&mut results.relations, results.settings.pseudonymize) {
        pseudonymize(r);
    }
    // A model's chart shows unit means as points: only of units that are still shown.
    type Key<'a> = (Option<&'a str>, &'a str);
    fn shown_units(units: Option<&Vec<crate::results::Unit>>) -> Option<HashSet<Key<'_>>> {
        units.map(|us| {
            us.iter()
                .filter(|u| !u.estimate.suppressed)
                .map(|u| (u.municipality.as_deref(), u.unit.as_str()))
                .collect()
        })
    }
    let rc_units = shown_units(results.rc.as_ref().map(|r| &r.units));
    let q_units = shown_units(results.quality.as_ref().map(|q| &q.units));
    let shown = |units: &Option<HashSet<Key<'_>>>, key: &(Option<String>, String)| {
        units
            .as_ref()
            .is_some_and(|us| us.contains(&(key.0.as_deref(), key.1.as_str())))
    };
    let keeps: Vec<Option<Vec<bool>>> = results
        .models
        .iter()
        .map(|m| {
            m.scatter.as_ref().map(|s| {
                s.point_units
                    .iter()
                    .map(|k| shown(&rc_units, k) && shown(&q_units, k))
                    .collect()
            })
        })
        .collect();
    for (m, keep) in results.models.iter_mut().zip(keeps) {
        if let (Some(s), Some(keep)) = (&mut m.scatter, keep) {
            if !s.point_units.is_empty() {
                let mut i = 0;
                s.points.retain(|_| {
                    i += 1;
                    keep[i - 1]
                });
                let mut j = 0;
                s.point_units.retain(|_| {
                    j += 1;
                    keep[j - 1]
                });
            }
        }
    }
}

fn primary(e: &mut Estimate, min_n: usize) {
    if e.n() < min_n {
        e.hide();
    }
}

/// n below min-n is not shown either: it reads "fewer than min-n".
fn hide_small_n(n: &mut Option<usize>, min_n: usize) {
    // A count of 0 says only that there is no figure; it gives nothing away.
    if n.is_some_and(|n| n > 0 && n < min_n) {
        *n = None;
    }
}

fn apply(rc: &mut Rc, min_n: usize) {
    // Primary suppression.
    for e in rc
        .pairs
        .iter_mut()
        .map(|p| &mut p.estimate)
        .chain(rc.units.iter_mut().map(|u| &mut u.estimate))
        .chain(rc.municipalities.iter_mut().map(|m| &mut m.estimate))
    {
        primary(e, min_n);
    }
    for d in &mut rc.dimensions {
        if d.n_respondents.unwrap_or(0) < min_n {
            d.mean = None;
            d.sd = None;
            d.ci_low = None;
            d.ci_high = None;
            d.suppressed = true;
        }
    }
    for net in
        std::iter::once(&mut rc.network).chain(rc.by_position.iter_mut().map(|p| &mut p.network))
    {
        for mut s in network_subs(net) {
            if s.n < min_n {
                s.hide();
            }
        }
    }

    // Complementary suppression: municipalities and units.
    let network_n = rc.network.n_respondents.unwrap_or(0);
    let mut network_score = Sub {
        n: network_n,
        value: &mut rc.network.score,
    };
    protect_tree(
        &mut network_score,
        rc.municipalities
            .iter_mut()
            .map(|m| (m.municipality.as_str(), &mut m.estimate))
            .collect(),
        rc.units
            .iter_mut()
            .map(|u| (u.municipality.as_deref(), &mut u.estimate))
            .collect(),
        min_n,
    );
    // Leaders and staff, for each network figure.
    if !rc.by_position.is_empty() {
        let mut totals = network_subs(&mut rc.network);
        let mut per_position: Vec<[Sub<'_>; 5]> = rc
            .by_position
            .iter_mut()
            .map(|p| network_subs(&mut p.network))
            .collect();
        for (k, total) in totals.iter_mut().enumerate() {
            let mut parts: Vec<&mut Sub<'_>> = per_position.iter_mut().map(|p| &mut p[k]).collect();
            protect(total, &mut parts, min_n);
        }
    }
    // Within-role RC and the diagonal; between-role RC and the other cells (tie-weighted).
    let within_n = rc.network.n_within.unwrap_or(0);
    let mut within = Sub {
        n: within_n,
        value: &mut rc.network.within,
    };
    let (mut diagonal, mut others): (Vec<&mut Estimate>, Vec<&mut Estimate>) =
        (Vec::new(), Vec::new());
    for p in &mut rc.pairs {
        if p.rater_role == p.target_role {
            diagonal.push(&mut p.estimate);
        } else {
            others.push(&mut p.estimate);
        }
    }
    protect(&mut within, &mut diagonal, min_n);
    let ties: usize = others.iter().map(|e| e.n()).sum();
    let mut between = Sub {
        n: ties,
        value: &mut rc.network.between,
    };
    protect(&mut between, &mut others, min_n);

    // What a hidden network score takes with it.
    for net in
        std::iter::once(&mut rc.network).chain(rc.by_position.iter_mut().map(|p| &mut p.network))
    {
        if net.score.is_none() {
            net.sd = None;
            net.ci_low = None;
            net.ci_high = None;
            net.band = None;
            net.suppressed = true;
        }
        for n in [
            &mut net.n_respondents,
            &mut net.n_within,
            &mut net.n_between,
            &mut net.n_communication,
            &mut net.n_relationship,
        ] {
            hide_small_n(n, min_n);
        }
    }
    for e in rc
        .pairs
        .iter_mut()
        .map(|p| &mut p.estimate)
        .chain(rc.units.iter_mut().map(|u| &mut u.estimate))
        .chain(rc.municipalities.iter_mut().map(|m| &mut m.estimate))
    {
        hide_small_n(&mut e.n, min_n);
    }
    for d in &mut rc.dimensions {
        if d.n_respondents.is_some_and(|n| n > 0 && n < min_n) {
            d.n = None;
            d.n_respondents = None;
        }
    }
    rc.units_suppressed = rc.units.iter().filter(|u| u.estimate.suppressed).count();
}

/// Leadership figures are staff ratings of one identifiable person, their own leader: a
/// unit's figures are shown only when at least min-n of its staff answered, and never
/// when the municipality's figures would give them away.
fn suppress_leadership(l: &mut Leadership, min_n: usize) {
    primary(&mut l.score, min_n);
    for f in l.groups.iter_mut().chain(l.dimensions.iter_mut()) {
        if f.n() < min_n {
            f.hide();
        }
    }
    for u in &mut l.units {
        primary(&mut u.score, min_n);
        for f in u.groups.iter_mut().chain(u.dimensions.iter_mut()) {
            if f.n() < min_n {
                f.hide();
            }
        }
    }
    for m in &mut l.municipalities {
        primary(&mut m.score, min_n);
        for f in m.groups.iter_mut().chain(m.dimensions.iter_mut()) {
            if f.n() < min_n {
                f.hide();
            }
        }
    }
    // The leadership score, then each group and dimension figure, as its own hierarchy.
    protect_tree(
        &mut l.score,
        l.municipalities
            .iter_mut()
            .map(|m| (m.municipality.as_str(), &mut m.score))
            .collect(),
        l.units
            .iter_mut()
            .map(|u| (u.municipality.as_deref(), &mut u.score))
            .collect(),
        min_n,
    );
    let figure_count = l.groups.len() + l.dimensions.len();
    for k in 0..figure_count {
        let total: &mut LeadershipFigure = if k < l.groups.len() {
            &mut l.groups[k]
        } else {
            &mut l.dimensions[k - l.groups.len()]
        };
        let munis = l
            .municipalities
            .iter_mut()
            .filter_map(|m| {
                figure_at(&mut m.groups, &mut m.dimensions, k).map(|f| (m.municipality.as_str(), f))
            })
            .collect();
        let units = l
            .units
            .iter_mut()
            .filter_map(|u| {
                figure_at(&mut u.groups, &mut u.dimensions, k)
                    .map(|f| (u.municipality.as_deref(), f))
            })
            .collect();
        protect_tree(total, munis, units, min_n);
    }
    for e in std::iter::once(&mut l.score)
        .chain(l.units.iter_mut().map(|u| &mut u.score))
        .chain(l.municipalities.iter_mut().map(|m| &mut m.score))
    {
        hide_small_n(&mut e.n, min_n);
    }
    for f in l
        .groups
        .iter_mut()
        .chain(l.dimensions.iter_mut())
        .chain(
            l.units
                .iter_mut()
                .flat_map(|u| u.groups.iter_mut().chain(u.dimensions.iter_mut())),
        )
        .chain(
            l.municipalities
                .iter_mut()
                .flat_map(|m| m.groups.iter_mut().chain(m.dimensions.iter_mut())),
        )
    {
        hide_small_n(&mut f.n, min_n);
    }
    l.units_suppressed = l.units.iter().filter(|u| u.score.suppressed).count();
}

/// The k-th figure of a unit or municipality: its groups first, then its dimensions.
fn figure_at<'a>(
    groups: &'a mut [LeadershipFigure],
    dims: &'a mut [LeadershipFigure],
    k: usize,
) -> Option<&'a mut LeadershipFigure> {
    if k < groups.len() {
        groups.get_mut(k)
    } else {
        dims.get_mut(k - groups.len())
    }
}

fn suppress_quality(q: &mut Quality, min_n: usize) {
    primary(&mut q.score, min_n);
    for e in q
        .units
        .iter_mut()
        .map(|u| &mut u.estimate)
        .chain(q.municipalities.iter_mut().map(|m| &mut m.estimate))
    {
        primary(e, min_n);
    }
    protect_tree(
        &mut q.score,
        q.municipalities
            .iter_mut()
            .map(|m| (m.municipality.as_str(), &mut m.estimate))
            .collect(),
        q.units
            .iter_mut()
            .map(|u| (u.municipality.as_deref(), &mut u.estimate))
            .collect(),
        min_n,
    );
    for e in std::iter::once(&mut q.score)
        .chain(q.units.iter_mut().map(|u| &mut u.estimate))
        .chain(q.municipalities.iter_mut().map(|m| &mut m.estimate))
    {
        hide_small_n(&mut e.n, min_n);
    }
    q.units_suppressed = q.units.iter().filter(|u| u.estimate.suppressed).count();
}

/// Replaces every leader name by a code, L01, L02, … in name order, so the codes sort as
/// the names did and every list keeps its order.
pub fn pseudonymize(r: &mut Relations) {
    let names: BTreeSet<String> = r
        .leaders
        .iter()
        .map(|l| l.leader.clone())
        .chain(
            r.dyads
                .iter()
                .flat_map(|d| [d.leader_a.clone(), d.leader_b.clone()]),
        )
        .collect();
    let width = names.len().to_string().len().max(2);
    let code: BTreeMap<String, String> = names
        .into_iter()
        .enumerate()
        .map(|(i, n)| (n, format!("L{:0width$}", i + 1)))
        .collect();
    let swap = |s: &mut String| *s = code[s.as_str()].clone();
    for d in &mut r.dyads {
        swap(&mut d.leader_a);
        swap(&mut d.leader_b);
    }
    for e in &mut r.dialogue {
        swap(&mut e.inviter);
        swap(&mut e.invitee);
    }
    for l in &mut r.leaders {
        swap(&mut l.leader);
    }
    r.pseudonymized = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Municipality, Pair, Unit};

    fn shown(score: f64, n: usize) -> Estimate {
        Estimate {
            score: Some(score),
            sd: Some(0.4),
            n: Some(n),
            ci_low: Some(score - 0.3),
            ci_high: Some(score + 0.3),
            band: Some("moderate".into()),
            suppressed: false,
        }
    }

    fn cell(n: usize, hidden: bool) -> Cell {
        Cell { n, hidden }
    }

    #[test]
    fn one_hidden_part_takes_the_smallest_other_part_with_it() {
        // Units of 10, 10 and 3 in a municipality of 23: hide the 3, then one 10.
        let (extra, total) = complement(
            cell(23, false),
            &[cell(10, false), cell(10, false), cell(3, true)],
            5,
        );
        assert_eq!((extra, total), (vec![0], false));
    }

    #[test]
    fn respondents_in_no_part_count_as_hidden() {
        // 4 respondents have no unit: with the 3 hidden, 7 are hidden together — enough.
        assert_eq!(
            complement(
                cell(27, false),
                &[cell(10, false), cell(10, false), cell(3, true)],
                5
            ),
            (vec![], false)
        );
        // 2 respondents in no part and nothing else hidden: their mean is derivable.
        assert_eq!(
            complement(cell(22, false), &[cell(10, false), cell(10, false)], 5),
            (vec![0], false)
        );
    }

    #[test]
    fn with_no_part_left_to_hide_the_total_goes() {
        assert_eq!(
            complement(cell(8, false), &[cell(3, true), cell(5, false)], 5),
            (vec![1], false)
        );
        assert_eq!(
            complement(cell(3, false), &[cell(3, true)], 5),
            (vec![], true)
        );
        assert_eq!(
            complement(cell(20, true), &[cell(3, true), cell(17, false)], 5),
            (vec![], false)
        );
    }

    #[test]
    fn a_municipality_of_10_10_3_shows_nothing_that_gives_the_3_away() {
        let mut rc = Rc {
            network: Network {
                score: Some(3.8),
                n_respondents: Some(23),
                ..Network::default()
            },
            municipalities: vec![Municipality {
                municipality: "K".into(),
                estimate: shown(3.8, 23),
            }],
            units: vec![
                Unit {
                    municipality: Some("K".into()),
                    unit: "A".into(),
                    estimate: shown(3.9, 10),
                },
                Unit {
                    municipality: Some("K".into()),
                    unit: "B".into(),
                    estimate: shown(3.7, 10),
                },
                Unit {
                    municipality: Some("K".into()),
                    unit: "C".into(),
                    estimate: shown(3.8, 3),
                },
            ],
            ..Rc::default()
        };
        apply(&mut rc, 5);
        let hidden: Vec<bool> = rc.units.iter().map(|u| u.estimate.suppressed).collect();
        assert_eq!(hidden, [true, false, true], "the 3 and one 10 are hidden");
        assert_eq!(rc.units[2].estimate.n, None, "n below min-n is not shown");
        assert_eq!(rc.units[0].estimate.n, Some(10));
        assert_eq!(rc.units_suppressed, 2);
        assert!(rc.municipalities[0].estimate.score.is_some());
    }

    #[test]
    fn the_diagonal_is_protected_against_within_role_rc() {
        let pair = |r: &str, t: &str, n: usize| Pair {
            rater_role: r.into(),
            target_role: t.into(),
            estimate: shown(4.0, n),
        };
        let mut rc = Rc {
            network: Network {
                score: Some(3.9),
                n_respondents: Some(30),
                within: Some(4.1),
                n_within: Some(23),
                between: Some(3.6),
                n_between: Some(30),
                ..Network::default()
            },
            pairs: vec![
                pair("A", "A", 10),
                pair("B", "B", 10),
                pair("C", "C", 3),
                pair("A", "B", 10),
                pair("B", "A", 9),
            ],
            ..Rc::default()
        };
        apply(&mut rc, 5);
        let diag: Vec<bool> = rc.pairs[..3]
            .iter()
            .map(|p| p.estimate.suppressed)
            .collect();
        assert_eq!(diag.iter().filter(|h| **h).count(), 2, "{diag:?}");
        assert!(rc.network.within.is_some());
    }
}
