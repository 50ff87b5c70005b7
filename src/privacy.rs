//! Decides what may be shown: every figure behind fewer than min-n respondents is blanked.

use crate::results::{Estimate, Network, Rc};

/// Suppresses, in place, every figure in `rc` based on fewer than `min_n` distinct
/// respondents: its score, sd, interval and band are removed and `suppressed` is set.
/// Counts stay, so a reader can see why a figure is missing.
pub fn apply(rc: &mut Rc, min_n: usize) {
    suppress_network(&mut rc.network, min_n);
    for p in &mut rc.by_position {
        suppress_network(&mut p.network, min_n);
    }
    for d in &mut rc.dimensions {
        if d.n_respondents < min_n {
            d.mean = None;
            d.sd = None;
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
