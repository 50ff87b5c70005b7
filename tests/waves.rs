//! Waves (issue 9): two hand-worked examples through the whole `relcap report`.
//!
//! Every respondent (role A) rates role B the same on all seven dimensions, so a
//! respondent's RC is that value and the network RC is their mean. With --min-n 3:
//! - paired.csv (a wave column): r1, r2, r3 give 3, 4, 5 in 2024 and 4, 5, 5 in 2025.
//!   Differences 1, 1, 0: mean 2/3, sd √(1/3), se 1/3, df 2, t(0.975, 2) = 4.3027, so
//!   2/3 ± 1.4342 = (−0.7676, 2.1009): no detectable change.
//! - before.csv (r1–r3: 3, 4, 5) and after.csv (r4–r7: 4, 5, 5, 4), labelled on the
//!   command line: independent. Means 4 and 4.5, variances 1 and 1/3, se² = 1/3 + 1/12 =
//!   5/12, Welch df = (5/12)² / ((1/3)²/2 + (1/12)²/3) = 3, t(0.975, 3) = 3.1824, so
//!   0.5 ± 2.0543 = (−1.5543, 2.5543).
//!
//! Both intervals agree with scipy's ttest_rel / ttest_ind(equal_var=False)
//! (scripts/golden/change_reference.py computes the same kind of values).

use std::fs;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn relcap() -> Command {
    Command::cargo_bin("relcap").unwrap()
}

fn report(args: &[&str]) -> (tempfile::TempDir, Value) {
    let (tmp, _, results) = report_in(args);
    (tmp, results)
}

fn report_in(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, Value) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    relcap()
        .args(args)
        .args(["--min-n", "3", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let results = serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    (tmp, out, results)
}

fn close(v: &Value, want: f64) {
    let got = v.as_f64().unwrap_or(f64::NAN);
    assert!((got - want).abs() < 1e-9, "{got} != {want}");
}

#[test]
fn the_same_respondents_in_a_wave_column_are_compared_paired() {
    let (_tmp, r) = report(&["report", "--staff", "fixtures/handmade/waves/paired.csv"]);
    let labels: Vec<&str> = r["waves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2024", "2025"]);
    close(&r["waves"][0]["rc"]["network"]["score"], 4.0);
    close(&r["waves"][1]["rc"]["network"]["score"], 14.0 / 3.0);
    // The main sections are the latest wave's.
    close(&r["rc"]["network"]["score"], 14.0 / 3.0);
    let c = &r["changes"][0];
    assert_eq!(
        (c["from"].as_str(), c["to"].as_str()),
        (Some("2024"), Some("2025"))
    );
    let n = &c["network"];
    assert_eq!(n["method"], "paired");
    assert_eq!(n["n_paired"], 3);
    close(&n["change"], 2.0 / 3.0);
    close(&n["ci_low"], 2.0 / 3.0 - 4.302652729749464 / 3.0);
    close(&n["ci_high"], 2.0 / 3.0 + 4.302652729749464 / 3.0);
    close(&n["ci_low"], -0.7675509099164876);
    assert_eq!(n["verdict"], "no_detectable_change");
    // The role-pair cell A → B holds the same ties, so the same change.
    let cell = &c["pairs"][0];
    assert_eq!(
        (cell["rater_role"].as_str(), cell["target_role"].as_str()),
        (Some("A"), Some("B"))
    );
    close(&cell["ci_high"], 2.100884243249821);
}

#[test]
fn labelled_files_of_different_respondents_are_compared_with_welch() {
    let (_tmp, r) = report(&[
        "report",
        "--staff",
        "2024=fixtures/handmade/waves/before.csv",
        "--staff",
        "2025=fixtures/handmade/waves/after.csv",
    ]);
    let n = &r["changes"][0]["network"];
    assert_eq!(n["method"], "welch");
    assert_eq!(n["n_paired"], 0);
    assert_eq!(
        (n["n_from"].as_u64(), n["n_to"].as_u64()),
        (Some(3), Some(4))
    );
    close(&n["change"], 0.5);
    close(
        &n["ci_low"],
        0.5 - 3.182446305284263 * (5.0f64 / 12.0).sqrt(),
    );
    close(&n["ci_low"], -1.554260256760521);
    close(&n["ci_high"], 2.554260256760521);
    assert_eq!(n["verdict"], "no_detectable_change");
    // The input summaries count each file's own respondents.
    assert_eq!(r["inputs"][0]["used"], 3);
    assert_eq!(r["inputs"][1]["used"], 4);
}

#[test]
fn changes_csv_lists_the_same_changes() {
    let (_tmp, out, r) = report_in(&["report", "--staff", "fixtures/handmade/waves/paired.csv"]);
    let csv = fs::read_to_string(out.join("changes.csv")).unwrap();
    let network = csv
        .lines()
        .find(|l| l.starts_with("2024,2025,network,"))
        .expect("a network row");
    let fields: Vec<&str> = network.split(',').collect();
    assert_eq!(fields[14], "paired");
    assert_eq!(fields[15], "no_detectable_change");
    let ci_low: f64 = fields[12].parse().unwrap();
    assert_eq!(Some(ci_low), r["changes"][0]["network"]["ci_low"].as_f64());
}

#[test]
fn min_n_applies_per_wave() {
    // At the default min-n of 5 neither wave may be shown, so neither may the change.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    relcap()
        .args([
            "report",
            "--staff",
            "fixtures/handmade/waves/paired.csv",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let r: Value = serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    let n = &r["changes"][0]["network"];
    assert_eq!(n["verdict"], "not_shown");
    assert!(n["change"].is_null() && n["ci_low"].is_null());
    assert!(r["waves"][0]["rc"]["network"]["score"].is_null());
}

/// `relcap report` with `args` exits 2 and says `message`.
fn refused(args: &[&str], message: &str) {
    relcap()
        .arg("report")
        .args(args)
        .arg("--out")
        .arg(tempfile::tempdir().unwrap().path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(message));
}

#[test]
fn a_file_without_a_wave_next_to_labelled_ones_is_refused() {
    refused(
        &[
            "--staff",
            "2024=fixtures/handmade/waves/before.csv",
            "--staff",
            "fixtures/handmade/waves/after.csv",
        ],
        "after.csv: has no wave",
    );
}

#[test]
fn the_same_respondent_in_two_files_of_one_wave_is_refused() {
    refused(
        &[
            "--staff",
            "fixtures/handmade/waves/before.csv",
            "--staff",
            "fixtures/handmade/waves/before.csv",
        ],
        "twice: the same respondent is in two files of one wave",
    );
}

#[test]
fn two_files_that_number_their_respondents_alike_are_refused_not_merged() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, unit: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!("respondent,role,unit,timely:Læge\n1,Læge,{unit},4\n2,Læge,{unit},3\n"),
        )
        .unwrap();
        path.display().to_string()
    };
    let (a, b) = (write("a.csv", "Nord"), write("b.csv", "Syd"));
    refused(
        &["--staff", &a, "--staff", &b],
        "the id \"1\" belongs to two respondents (role Læge, municipality –, unit Nord; and role Læge, municipality –, unit Syd)",
    );
}

#[test]
fn the_same_wave_twice_is_refused() {
    refused(
        &[
            "--staff",
            "2024=fixtures/handmade/waves/before.csv",
            "--staff",
            "2024=fixtures/handmade/waves/after.csv",
        ],
        "wave \"2024\"",
    );
}

#[test]
fn every_kind_of_input_can_have_the_same_waves() {
    // The demo citizens and leaders given as both waves: the same people answering the same
    // way, so every quality change is zero and not detectable.
    let (_tmp, r) = report(&[
        "report",
        "--staff",
        "2024=examples/demo/staff.csv",
        "--staff",
        "2025=examples/demo/staff-2025.csv",
        "--citizens",
        "2024=examples/demo/citizens.csv",
        "--citizens",
        "2025=examples/demo/citizens.csv",
        "--leaders",
        "2024=examples/demo/leaders.csv",
        "--leaders",
        "2025=examples/demo/leaders.csv",
    ]);
    assert_eq!(r["waves"].as_array().unwrap().len(), 2);
    assert_eq!(r["changes"].as_array().unwrap().len(), 1);
    let quality = r["changes"][0]["quality_units"].as_array().unwrap();
    assert!(!quality.is_empty());
    for u in quality.iter().filter(|u| !u["change"].is_null()) {
        assert_eq!(u["method"], "paired");
        assert_eq!(u["verdict"], "no_detectable_change");
        assert!(u["change"].as_f64().unwrap().abs() < 1e-12);
    }
    let used: Vec<u64> = r["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["used"].as_u64().unwrap())
        .collect();
    assert_eq!(used[0], 193);
    assert_eq!(used[2], used[3]);
}
