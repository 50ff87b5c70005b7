//! Decides what may be shown: every figure behind fewer than min-n respondents is blanked,
//! and leader names are replaced by codes when asked.

use std::collections::{BTreeMap, BTreeSet};

use crate::results::{Estimate, Leadership, LeadershipFigure, Network, Rc, Relations, Results};

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
        suppress(&mut q.score, min_n);
        for u in &mut q.units {
            suppress(&mut u.estimate, min_n);
        }
        q.units_suppressed = q.units.iter().filter(|u| u.estimate.suppressed).count();
        for m in &mut q.municipalities {
            suppress(&mut m.estimate, min_n);
        }
    }
    if let (Some(r), true) = (&mut results.relations, results.settings.pseudonymize) {
        pseudonymize(r);
    }
}

fn suppress_figures(figures: &mut [LeadershipFigure], min_n: usize) {
    for f in figures {
        if f.n < min_n {
            *f = LeadershipFigure {
                group: std::mem::take(&mut f.group),
                dimension: f.dimension.take(),
                n: f.n,
                suppressed: true,
                ..LeadershipFigure::default()
            };
        }
    }
}

/// Leadership figures are staff ratings of one identifiable person, their own leader: a
/// unit's figures are shown only when at least min-n of its staff answered.
fn suppress_leadership(l: &mut Leadership, min_n: usize) {
    suppress(&mut l.score, min_n);
    suppress_figures(&mut l.groups, min_n);
    suppress_figures(&mut l.dimensions, min_n);
    for u in &mut l.units {
        suppress(&mut u.score, min_n);
        suppress_figures(&mut u.groups, min_n);
        suppress_figures(&mut u.dimensions, min_n);
    }
    l.units_suppressed = l.units.iter().filter(|u| u.score.suppressed).count();
    for m in &mut l.municipalities {
        suppress(&mut m.score, min_n);
        suppress_figures(&mut m.groups, min_n);
        suppress_figures(&mut m.dimensions, min_n);
    }
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

/// Suppresses, in place, every figure in `rc` based on fewer than `min_n` distinct
/// respondents: its score, sd, interval and band are removed and `suppressed` is set.
/// Counts stay, so a reader can see why a figure is missing.
fn apply(rc: &mut Rc, min_n: usize) {
    suppress_network(&mut rc.network, min_n);
    for p in &mut rc.by_position {
        suppress_network(&mut p.network, min_n);
    }
    for d in &mut rc.dimensions {
        if d.n_respondents < min_n {
            d.mean = None;
            d.sd = None;
            d.ci_low = None;
            d.ci_high = None;
            d.suppressed = true;
        }
    }
    for p in &mut rc.pairs {
        suppress(&mut p.estimate, min_n);
    }
    for u in &mut rc.units {
        suppress(&mut u.estimate, min_n);
    }
    rc.units_suppressed = rc.units.iter().filter(|u| u.estimate.suppressed).count();
    for m in &mut rc.municipalities {
        suppress(&mut m.estimate, min_n);
    }
}

fn suppress(e: &mut Estimate, min_n: usize) {
    if e.n < min_n {
        *e = Estimate {
            n: e.n,
            suppressed: true,
            ..Estimate::default()
        };
    }
}

fn suppress_network(net: &mut Network, min_n: usize) {
    let hide = |value: &mut Option<f64>, n: usize| {
        if n < min_n {
            *value = None;
        }
    };
    hide(&mut net.within, net.n_within);
    hide(&mut net.between, net.n_between);
    hide(&mut net.communication, net.n_communication);
    hide(&mut net.relationship, net.n_relationship);
    if net.n_respondents < min_n {
        net.score = None;
        net.sd = None;
        net.ci_low = None;
        net.ci_high = None;
        net.band = None;
        net.suppressed = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Pair, Unit};

    fn shown(n: usize) -> Estimate {
        Estimate {
            score: Some(3.9),
            sd: Some(0.4),
            n,
            ci_low: Some(3.5),
            ci_high: Some(4.3),
            band: Some("moderate".into()),
            suppressed: false,
        }
    }

    #[test]
    fn figures_below_min_n_lose_score_sd_ci_and_band_but_keep_n() {
        let mut rc = Rc {
            pairs: vec![
                Pair {
                    rater_role: "A".into(),
                    target_role: "B".into(),
                    estimate: shown(4),
                },
                Pair {
                    rater_role: "A".into(),
                    target_role: "C".into(),
                    estimate: shown(5),
                },
            ],
            units: vec![Unit {
                municipality: None,
                unit: "U".into(),
                estimate: shown(3),
            }],
            ..Rc::default()
        };
        apply(&mut rc, 5);
        let small = &rc.pairs[0].estimate;
        assert!(small.suppressed);
        assert_eq!(
            (small.score, small.sd, small.ci_low, small.ci_high),
            (None, None, None, None)
        );
        assert_eq!((small.band.as_deref(), small.n), (None, 4));
        assert_eq!(rc.pairs[1].estimate, shown(5));
        assert_eq!(rc.units_suppressed, 1);
    }

    #[test]
    fn network_sub_figures_are_suppressed_on_their_own_n() {
        let mut rc = Rc {
            network: Network {
                score: Some(4.0),
                n_respondents: 12,
                within: Some(4.5),
                n_within: 3,
                between: Some(3.8),
                n_between: 12,
                ..Network::default()
            },
            ..Rc::default()
        };
        apply(&mut rc, 5);
        let n = &rc.network;
        assert_eq!((n.score, n.within, n.between), (Some(4.0), None, Some(3.8)));
        assert!(!n.suppressed);
        // communication has n = 0 here, so it can never be shown.
        assert_eq!(n.communication, None);
    }
}
