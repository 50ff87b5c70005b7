//! `relcap simulate` plants effects; the two standard models must find them (issue 8).

use std::fs;

use assert_cmd::Command;
use serde_json::Value;

fn relcap() -> Command {
    Command::cargo_bin("relcap").unwrap()
}

#[test]
fn the_standard_models_recover_the_planted_elasticities_within_their_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("sim");
    relcap()
        .args([
            "simulate",
            "--municipalities",
            "6",
            "--units",
            "10",
            "--staff",
            "30",
            "--citizens",
            "30",
            "--seed",
            "1",
            "--out",
        ])
        .arg(&data)
        .assert()
        .success();
    let sim: Value =
        serde_json::from_slice(&fs::read(data.join("simulation.json")).unwrap()).unwrap();
    let out = tmp.path().join("out");
    relcap()
        .args(["report", "--quiet", "--staff"])
        .arg(data.join("staff.csv"))
        .arg("--citizens")
        .arg(data.join("citizens.csv"))
        .arg("--leaders")
        .arg(data.join("leaders.csv"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let r: Value = serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    for m in r["models"].as_array().unwrap() {
        let name = m["name"].as_str().unwrap();
        let planted = sim["planted"][name].as_f64().unwrap();
        let c = &m["coefficients"][1];
        let (lo, hi) = (
            c["ci_low"].as_f64().unwrap(),
            c["ci_high"].as_f64().unwrap(),
        );
        assert!(
            lo <= planted && planted <= hi,
            "{name}: planted {planted} outside [{lo}, {hi}]"
        );
        assert!(
            hi - lo < 0.3,
            "{name}: the interval [{lo}, {hi}] is too wide to test anything"
        );
    }
    assert_eq!(r["models"].as_array().unwrap().len(), 2);
    // Every ninth unit is tiny: some units are under min-n.
    assert!(r["rc"]["units_suppressed"].as_u64().unwrap() >= 6);
    assert!(r["relations"]["dyads"].as_array().unwrap().len() > 50);
}

#[test]
fn a_simulation_is_the_same_for_the_same_seed() {
    let tmp = tempfile::tempdir().unwrap();
    for dir in ["a", "b"] {
        relcap()
            .args([
                "simulate",
                "--municipalities",
                "2",
                "--units",
                "3",
                "--staff",
                "8",
                "--seed",
                "9",
                "--out",
            ])
            .arg(tmp.path().join(dir))
            .assert()
            .success();
    }
    for f in ["staff.csv", "citizens.csv", "leaders.csv"] {
        assert_eq!(
            fs::read(tmp.path().join("a").join(f)).unwrap(),
            fs::read(tmp.path().join("b").join(f)).unwrap(),
            "{f}"
        );
    }
}
