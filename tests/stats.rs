//! The statistics engine against golden values from statsmodels / numpy / scipy
//! (scripts/golden/ols_reference.py wrote fixtures/stats/expected.json).

use std::fs;

use relcap::stats::agreement::{anova, rwg_j};
use relcap::stats::bootstrap::wild_cluster_p;
use relcap::stats::ols::{fit, SeType};
use relcap::stats::reliability::alpha;
use serde_json::Value;

fn expected() -> Value {
    serde_json::from_str(&fs::read_to_string("fixtures/stats/expected.json").unwrap()).unwrap()
}

struct Data {
    y: Vec<f64>,
    x1: Vec<f64>,
    x2: Vec<f64>,
    cluster: Vec<usize>,
}

fn data() -> Data {
    let mut r = csv::Reader::from_path("fixtures/stats/clustered.csv").unwrap();
    let mut d = Data {
        y: vec![],
        x1: vec![],
        x2: vec![],
        cluster: vec![],
    };
    for row in r.records() {
        let row = row.unwrap();
        d.cluster.push(row[0].parse().unwrap());
        d.y.push(row[1].parse().unwrap());
        d.x1.push(row[2].parse().unwrap());
        d.x2.push(row[3].parse().unwrap());
    }
    d
}

fn close(got: f64, want: &Value, what: &str) {
    let want = want.as_f64().unwrap();
    assert!(
        (got - want).abs() <= 1e-9 * want.abs().max(1e-3),
        "{what}: {got} vs statsmodels {want}"
    );
}

#[test]
fn classical_hc1_and_cr1_match_statsmodels() {
    let d = data();
    let e = expected();
    for (se, key) in [
        (SeType::Classical, "classical"),
        (SeType::Hc1, "hc1"),
        (SeType::Cr1, "cr1"),
    ] {
        let f = fit(
            &d.y,
            &[("x1", &d.x1), ("x2", &d.x2)],
            se,
            Some(&d.cluster),
            0.95,
        )
        .unwrap();
        let want = &e[key];
        for (j, c) in f.coefficients.iter().enumerate() {
            close(
                c.estimate,
                &want["estimate"][j],
                &format!("{key} {} estimate", c.term),
            );
            close(
                c.std_error,
                &want["std_error"][j],
                &format!("{key} {} se", c.term),
            );
            close(c.t.unwrap(), &want["t"][j], &format!("{key} {} t", c.term));
            close(c.p.unwrap(), &want["p"][j], &format!("{key} {} p", c.term));
            close(
                c.ci_low,
                &want["ci_low"][j],
                &format!("{key} {} ci_low", c.term),
            );
            close(
                c.ci_high,
                &want["ci_high"][j],
                &format!("{key} {} ci_high", c.term),
            );
        }
        close(f.r2.unwrap(), &want["r2"], &format!("{key} r2"));
        close(f.adj_r2.unwrap(), &want["adj_r2"], &format!("{key} adj_r2"));
        close(f.f.unwrap(), &want["f"], &format!("{key} F"));
        close(f.f_p.unwrap(), &want["f_p"], &format!("{key} F p"));
    }
}

#[test]
fn cluster_inference_uses_g_minus_1_degrees_of_freedom() {
    let d = data();
    let f = fit(&d.y, &[("x1", &d.x1)], SeType::Cr1, Some(&d.cluster), 0.95).unwrap();
    assert_eq!((f.clusters, f.df), (Some(8), 7.0));
}

#[test]
fn wild_cluster_bootstrap_matches_a_full_enumeration_in_numpy() {
    let d = data();
    let e = expected();
    for (j, key) in [(1, "wild_p_x1"), (2, "wild_p_x2")] {
        let b =
            wild_cluster_p(&d.y, &[("x1", &d.x1), ("x2", &d.x2)], &d.cluster, j, 999, 7).unwrap();
        assert!(b.enumerated && b.draws == 256);
        assert_eq!(b.p, e[key].as_f64().unwrap(), "{key}");
    }
}

#[test]
fn alpha_matches_numpy() {
    let e = &expected()["alpha"];
    let rows: Vec<Vec<f64>> = e["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    let columns: Vec<Vec<f64>> = (0..rows[0].len())
        .map(|i| rows.iter().map(|r| r[i]).collect())
        .collect();
    let a = alpha(&columns);
    close(a.alpha.unwrap(), &e["alpha"], "alpha");
    close(a.std_alpha.unwrap(), &e["std_alpha"], "std alpha");
    for (i, item) in a.items.iter().enumerate() {
        close(item.item_total.unwrap(), &e["item_total"][i], "item-total");
        close(
            item.alpha_if_dropped.unwrap(),
            &e["alpha_if_dropped"][i],
            "alpha if dropped",
        );
    }
}

#[test]
fn anova_icc_and_rwg_match_scipy_and_numpy() {
    let e = &expected();
    let groups: Vec<Vec<f64>> = ["a", "b", "c"]
        .iter()
        .map(|g| {
            e["anova"]["groups"][g]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    let a = anova(&groups).unwrap();
    close(a.f, &e["anova"]["f"], "F");
    close(a.p, &e["anova"]["p"], "p");
    close(a.icc1, &e["anova"]["icc1"], "ICC(1)");
    close(a.icc2, &e["anova"]["icc2"], "ICC(2)");
    let ratings: Vec<Vec<f64>> = e["rwg"]["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        })
        .collect();
    close(rwg_j(&ratings, 5).unwrap(), &e["rwg"]["rwg_j"], "rwg(j)");
}

mod change_properties {
    use proptest::prelude::*;
    use relcap::stats::change::{mean_change, Method};

    fn mean(v: &[(u32, f64)]) -> f64 {
        v.iter().map(|o| o.1).sum::<f64>() / v.len() as f64
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Whatever the overlap, the change is the difference of the two means, its interval
        /// contains it, and the method follows who answered in both waves.
        #[test]
        fn intervals_contain_the_change_and_the_method_follows_the_overlap(
            a in proptest::collection::vec(1u8..=5, 2..40),
            b in proptest::collection::vec(1u8..=5, 2..40),
            shift in 0u32..50,
        ) {
            let from: Vec<(u32, f64)> = a.iter().enumerate().map(|(i, v)| (i as u32, f64::from(*v))).collect();
            let to: Vec<(u32, f64)> = b.iter().enumerate().map(|(i, v)| (i as u32 + shift, f64::from(*v))).collect();
            if let Some(c) = mean_change(&from, &to, 0.95) {
                prop_assert!((c.change - (mean(&to) - mean(&from))).abs() < 1e-12);
                prop_assert!(c.ci.0 <= c.change + 1e-12 && c.change <= c.ci.1 + 1e-12);
                let paired = from.iter().filter(|(r, _)| to.iter().any(|(s, _)| s == r)).count();
                prop_assert_eq!(c.n_paired, paired);
                let expected = if paired < 2 {
                    Method::Welch
                } else if paired == from.len() && paired == to.len() {
                    Method::Paired
                } else {
                    Method::PartiallyPaired
                };
                prop_assert_eq!(c.method, expected);
            }
        }
    }
}
