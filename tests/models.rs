//! Models, citizen quality, reliability and aggregation (issue 5), end to end: the binary's
//! figures against independent references (scripts/golden/models_reference.py and
//! scripts/golden/ols_reference.py).

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn relcap() -> Command {
    Command::cargo_bin("relcap").unwrap()
}

fn json(path: &str) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn demo() -> (tempfile::TempDir, PathBuf, Value) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    relcap()
        .args([
            "report",
            "--quiet",
            "--staff",
            "examples/demo/staff.csv",
            "--leaders",
            "examples/demo/leaders.csv",
            "--citizens",
            "examples/demo/citizens.csv",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let r = serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    (tmp, out, r)
}

fn close(got: &Value, want: &Value, what: &str) {
    let (g, w) = (got.as_f64().unwrap(), want.as_f64().unwrap());
    assert!(
        (g - w).abs() <= 1e-9 * w.abs().max(1e-6),
        "{what}: {g} vs reference {w}"
    );
}

#[test]
fn both_standard_models_match_statsmodels_on_the_demo() {
    let (_t, _, r) = demo();
    let e = json("fixtures/demo_expected_models.json");
    let models = r["models"].as_array().unwrap();
    assert_eq!(models.len(), 2);
    for m in models {
        let name = m["name"].as_str().unwrap();
        let want = &e[name];
        assert_eq!(m["n"], want["n"], "{name} n");
        assert_eq!(m["clusters"], want["clusters"], "{name} clusters");
        assert_eq!(m["transform"], "log-log");
        assert_eq!(m["se_type"], "cr1");
        assert_eq!(
            m["coefficients"][0]["term"], "intercept",
            "the intercept comes first"
        );
        for j in 0..2 {
            let c = &m["coefficients"][j];
            for field in ["estimate", "std_error", "p", "ci_low", "ci_high"] {
                close(&c[field], &want[field][j], &format!("{name} {field}[{j}]"));
            }
        }
        close(&m["r2"], &want["r2"], &format!("{name} r2"));
        // The effect statement carries the slope and its interval through 1.1^β.
        let beta = m["coefficients"][1]["estimate"].as_f64().unwrap();
        let lo = m["coefficients"][1]["ci_low"].as_f64().unwrap();
        let effect = &m["effect_10pct"];
        assert!(
            (effect["y_change_pct"].as_f64().unwrap() - (1.1f64.powf(beta) - 1.0) * 100.0).abs()
                < 1e-9
        );
        assert!(
            (effect["ci_low"].as_f64().unwrap() - (1.1f64.powf(lo) - 1.0) * 100.0).abs() < 1e-9
        );
        // Fewer than 20 clusters: a warning and a bootstrap p.
        assert!(m["warnings"][0].as_str().unwrap().contains("clusters"));
        assert!(m["coefficients"][1]["bootstrap_p"].is_number());
    }
    assert_eq!(models[0]["name"], "quality_on_rc");
    // 3 municipalities: 2^3 sign vectors, enumerated.
    assert_eq!(models[0]["bootstrap"]["enumerated"], true);
    assert_eq!(models[0]["bootstrap"]["draws"], 8);
}

#[test]
fn reliability_aggregation_and_unit_quality_match_the_reference() {
    let (_t, out, r) = demo();
    let e = json("fixtures/demo_expected_models.json");
    let rel = &r["rc"]["reliability"];
    assert_eq!(rel["n"], e["rc_alpha"]["n"]);
    close(&rel["alpha"], &e["rc_alpha"]["alpha"], "alpha");
    assert_eq!(rel["items"].as_array().unwrap().len(), 7);
    let agg = &r["rc"]["aggregation"];
    for field in ["f", "p", "icc1", "icc2", "rwg_median"] {
        close(&agg[field], &e["aggregation"][field], field);
    }
    assert_eq!(
        (agg["units"].clone(), agg["n"].clone()),
        (
            e["aggregation"]["units"].clone(),
            e["aggregation"]["n"].clone()
        )
    );
    let units = r["quality"]["units"].as_array().unwrap();
    let want = e["quality_units"].as_array().unwrap();
    assert_eq!(units.len(), want.len());
    for (u, w) in units.iter().zip(want) {
        assert_eq!(u["unit"], w["unit"]);
        if u["suppressed"] == false {
            assert_eq!(u["n"], w["n"]);
            close(&u["score"], &w["score"], "unit quality");
        } else if u["n"].is_null() {
            assert!(
                w["n"].as_u64().unwrap() < 5,
                "a hidden n that was not small"
            );
        } else {
            assert_eq!(u["n"], w["n"], "a complement keeps its n");
        }
    }
    assert!(r["leadership"]["reliability"]["alpha"].is_number());
    let csv = fs::read_to_string(out.join("models.csv")).unwrap();
    assert!(csv.starts_with("model,transform,se_type,n,clusters,r2,term,estimate"));
}

#[test]
fn regress_prints_the_same_model_as_statsmodels() {
    let e = json("fixtures/stats/expected.json");
    let output = relcap()
        .args([
            "regress",
            "fixtures/stats/clustered.csv",
            "--y",
            "y",
            "--x",
            "x1",
            "--x",
            "x2",
            "--cluster",
            "cluster",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let m: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(m["se_type"], "cr1");
    assert_eq!(m["clusters"], 8);
    for j in 0..3 {
        let c = &m["coefficients"][j];
        close(&c["estimate"], &e["cr1"]["estimate"][j], "estimate");
        close(&c["std_error"], &e["cr1"]["std_error"][j], "se");
        close(&c["p"], &e["cr1"]["p"][j], "p");
    }
    assert_eq!(m["coefficients"][1]["bootstrap_p"], e["wild_p_x1"]);
    relcap()
        .args([
            "regress",
            "fixtures/stats/clustered.csv",
            "--y",
            "y",
            "--x",
            "x1",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("heteroskedasticity-robust (HC1)"))
        .stdout(predicate::str::contains("effect: +10 % x1"));
    relcap()
        .args([
            "regress",
            "fixtures/stats/clustered.csv",
            "--y",
            "y",
            "--x",
            "x1",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("model,transform,se_type"));
}

#[test]
fn regress_reports_bad_values_with_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("t.csv");
    fs::write(&file, "y;x;g\n1,5;2;a\nx;3;a\n2;-1;b\n3;NA;b\n4;4;c\n").unwrap();
    relcap()
        .args(["regress"])
        .arg(&file)
        .args(["--y", "y", "--x", "x", "--log-log"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "t.csv:3: column \"y\": \"x\" is not a number",
        ))
        .stderr(predicate::str::contains(
            "t.csv:4: column \"x\": \"-1\" is not positive",
        ));
    relcap()
        .args(["regress"])
        .arg(&file)
        .args(["--y", "y", "--x", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "required column \"nope\" is missing",
        ));
    relcap()
        .args(["regress"])
        .arg(&file)
        .args(["--y", "y", "--x", "x", "--se", "cr1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--se cr1 needs --cluster"));
}

#[test]
fn regress_refuses_collinear_predictors_and_one_cluster() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("t.csv");
    fs::write(
        &file,
        "y,a,b,g\n1,1,2,k\n3,2,4,k\n2,3,6,k\n5,4,8,k\n4,5,10,k\n",
    )
    .unwrap();
    relcap()
        .args(["regress"])
        .arg(&file)
        .args(["--y", "y", "--x", "a", "--x", "b"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "\"b\" is a linear combination of the terms before it",
        ));
    relcap()
        .args(["regress"])
        .arg(&file)
        .args(["--y", "y", "--x", "a", "--cluster", "g"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("at least 2 clusters"));
}

#[test]
fn a_duplicate_citizen_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("citizens.csv");
    fs::write(&file, "citizen,unit,quality:a\nc1,U,4\nc1,U,5\n").unwrap();
    relcap()
        .args([
            "report",
            "--staff",
            "fixtures/handmade/staff.csv",
            "--citizens",
        ])
        .arg(&file)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "citizens.csv:3: column \"citizen\": citizen \"c1\" already has a row on line 2",
        ));
}
