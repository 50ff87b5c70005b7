//! Integration tests: run the real binary on the fixtures and read what it wrote.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod common;

const HANDMADE: &str = "fixtures/handmade/staff.csv";
const DEMO: &str = "examples/demo/staff.csv";

fn relcap() -> Command {
    Command::cargo_bin("relcap").unwrap()
}

/// Runs `relcap report` on `staff` with extra flags and returns the output folder.
fn report(staff: &str, flags: &[&str]) -> (tempfile::TempDir, PathBuf) {
    report_with(staff, flags, &[])
}

/// [`report`] with environment variables set.
fn report_with(staff: &str, flags: &[&str], env: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    relcap()
        .args(["report", "--quiet", "--staff", staff, "--out"])
        .arg(&out)
        .args(flags)
        .envs(env.iter().copied())
        .assert()
        .success();
    (tmp, out)
}

fn results(out: &Path) -> Value {
    serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap()
}

/// Checks that every field of `expected` is in `actual` with the same value; numbers
/// agree to 1e-9 relative.
fn assert_matches(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or_else(|| panic!("{path}.{k} is missing"));
                assert_matches(av, ev, &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{path}: length");
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                assert_matches(av, ev, &format!("{path}[{i}]"));
            }
        }
        (Value::Number(a), Value::Number(e)) => {
            let (a, e) = (a.as_f64().unwrap(), e.as_f64().unwrap());
            assert!(
                (a - e).abs() <= 1e-9 * e.abs().max(1.0),
                "{path}: {a} vs reference {e}"
            );
        }
        (a, e) => assert_eq!(a, e, "{path}"),
    }
}

fn reference(path: &str) -> Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-12)
}

// The hand-made fixture (fixtures/handmade/staff.csv), worked out by hand.
// Two roles, J = Jobkonsulent and S = Sagsbehandler; answers listed in the order
// frequent, timely, accurate, problem_solving | shared_goals, shared_knowledge, mutual_respect.
//
// R1001 J (Kommune A, Team 1, staff)   → J: 4 4 4 4 | 4 4 4   tie 4
//                                      → S: 2 3 3 – | 4 – 5   5 answered ≥ 4: tie 17/5 = 3.4
//                                            com 8/3 (3 of 4), rel 9/2 (2 of 3)
// R1002 J (Kommune A, Team 1, leader)  → J: all 5              tie 5
//                                      → S: 3 3 3 3 | – – –   tie 3; com 3; rel missing (0 of 3)
// R1003 S (Kommune A, Team 2, staff)   → J: 4 4 4 – | – – –   3 answered < 4: no tie; com 4
//                                      → S: all 2              tie 2
// R1004 S (Kommune A, Team 2, staff)   → J: 1 2 3 4 | 5 1 2   tie 18/7; com 10/4; rel 8/3
//                                      → S: all "Ikke relevant": no tie
// R1005 S (Kommune A, Team 2, staff)   → nothing answered: skipped, reason "no answers at all"
// R1006 J (Kommune B, Team 3, staff)   → J: all NA
//                                      → S: 3 4 3 4 | 3 4 3   tie 24/7; com 14/4; rel 10/3
//
// Respondent RC: R1001 (4 + 3.4)/2 = 3.7; R1002 (5 + 3)/2 = 4; R1003 2; R1004 18/7; R1006 24/7.
// Network RC = (3.7 + 4 + 2 + 18/7 + 24/7)/5 = 15.7/5 = 3.14, n = 5.
// Within (ties to own role): 4, 5, 2 → 11/3, n = 3. Between: 3.4, 3, 18/7, 24/7 → 12.4/4 = 3.1, n = 4.
// Communication: R1001 (4 + 8/3)/2, R1002 (5 + 3)/2, R1003 (4 + 2)/2, R1004 2.5, R1006 3.5 → 49/15.
// Relationship: R1001 (4 + 4.5)/2, R1002 5, R1003 2, R1004 8/3, R1006 10/3 → 17.25/5 = 3.45.
// Pairs: J→J (4, 5) = 4.5, n 2; J→S (3.4, 3, 24/7) n 3; S→J 18/7 n 1; S→S 2 n 1.
// Units: Team 1 (3.7, 4) = 3.85; Team 2 (2, 18/7) = 16/7; Team 3 24/7.
// Leader vs staff: leader 4 (n 1); staff (3.7 + 2 + 18/7 + 24/7)/4 = 2.925 (n 4).
#[test]
fn handmade_fixture_gives_the_hand_worked_figures() {
    let (_tmp, out) = report(HANDMADE, &["--min-n", "1"]);
    let r = results(&out);
    let net = &r["rc"]["network"];
    assert!(close(&net["score"], 15.7 / 5.0));
    assert_eq!(net["n_respondents"], 5);
    assert!(close(&net["within"], 11.0 / 3.0));
    assert!(close(&net["between"], 3.1));
    assert!(close(&net["communication"], 49.0 / 15.0));
    assert!(close(&net["relationship"], 3.45));
    let pairs = r["rc"]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 4);
    assert_eq!(pairs[0]["rater_role"], "Jobkonsulent");
    assert_eq!(pairs[0]["target_role"], "Jobkonsulent");
    assert!(close(&pairs[0]["score"], 4.5));
    assert!(close(&pairs[2]["score"], 18.0 / 7.0));
    assert_eq!(pairs[2]["n"], 1);
    let units = r["rc"]["units"].as_array().unwrap();
    assert!(close(&units[0]["score"], 3.85));
    assert!(close(&units[1]["score"], 16.0 / 7.0));
    let positions = r["rc"]["by_position"].as_array().unwrap();
    assert_eq!(positions[0]["position"], "leader");
    assert!(close(&positions[1]["score"], 2.925));
    let input = &r["inputs"][0];
    assert_eq!(
        (
            input["rows"].clone(),
            input["used"].clone(),
            input["skipped"].clone()
        ),
        (6.into(), 5.into(), 1.into())
    );
    assert_eq!(input["skipped_reasons"][0]["reason"], "no answers at all");
}

#[test]
fn handmade_fixture_matches_the_independent_pandas_reference() {
    let (_tmp, out) = report(HANDMADE, &["--min-n", "1"]);
    assert_matches(
        &results(&out)["rc"],
        &reference("fixtures/handmade/expected_rc.json"),
        "rc",
    );
}

#[test]
fn demo_data_matches_the_independent_pandas_reference() {
    let (_tmp, out) = report(DEMO, &["--min-n", "1"]);
    assert_matches(
        &results(&out)["rc"],
        &reference("fixtures/demo_expected_rc.json"),
        "rc",
    );
}

#[test]
fn exclude_own_role_leaves_own_role_ties_out_of_respondent_rc() {
    let (_tmp, out) = report(HANDMADE, &["--min-n", "1", "--exclude-own-role"]);
    let r = results(&out);
    assert_matches(
        &r["rc"],
        &reference("fixtures/handmade/expected_rc_exclude_own.json"),
        "rc",
    );
    // (3.4 + 3 + 18/7 + 24/7) / 4; R1003 rated only their own role.
    assert!(close(&r["rc"]["network"]["score"], 3.1));
    let reasons = r["inputs"][0]["skipped_reasons"].as_array().unwrap();
    assert!(reasons
        .iter()
        .any(|x| x["reason"].as_str().unwrap().contains("--exclude-own-role") && x["count"] == 1));
}

#[test]
fn figures_under_min_n_are_suppressed_everywhere() {
    let (_tmp, out) = report(HANDMADE, &[]);
    let r = results(&out);
    let rc = &r["rc"];
    assert!(
        close(&rc["network"]["score"], 15.7 / 5.0),
        "5 respondents reach min-n 5"
    );
    assert!(
        rc["network"]["within"].is_null(),
        "within rests on 3 respondents"
    );
    assert!(
        rc["network"]["between"].is_null(),
        "between rests on 4 respondents"
    );
    for p in rc["pairs"].as_array().unwrap() {
        assert_eq!(p["suppressed"], true);
        for field in ["score", "sd", "ci_low", "ci_high", "band"] {
            assert!(p[field].is_null(), "{field} shown for a suppressed pair");
        }
    }
    assert_eq!(rc["units_suppressed"], 3);
    assert!(rc["by_position"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["score"].is_null()));
    let matrix = fs::read_to_string(out.join("matrix.csv")).unwrap();
    assert_eq!(
        matrix,
        "rater_role,Jobkonsulent,Sagsbehandler\nJobkonsulent,,\nSagsbehandler,,\n"
    );
    let units = fs::read_to_string(out.join("units.csv")).unwrap();
    for line in units.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!((fields[2], fields[8]), ("", "true"), "{line}");
    }
}

#[test]
fn long_layout_gives_the_same_results_as_wide() {
    let mut wide = csv::Reader::from_path(HANDMADE).unwrap();
    let headers = wide.headers().unwrap().clone();
    let tmp = tempfile::tempdir().unwrap();
    let long_path = tmp.path().join("long.csv");
    let mut long = csv::Writer::from_path(&long_path).unwrap();
    long.write_record([
        "respondent",
        "role",
        "municipality",
        "unit",
        "position",
        "target",
        "dimension",
        "value",
    ])
    .unwrap();
    for row in wide.records() {
        let row = row.unwrap();
        for (i, h) in headers.iter().enumerate().skip(5) {
            let (dim, target) = h.split_once(':').unwrap();
            long.write_record([
                &row[0], &row[1], &row[2], &row[3], &row[4], target, dim, &row[i],
            ])
            .unwrap();
        }
    }
    long.flush().unwrap();
    let (_a, wide_out) = report(HANDMADE, &["--min-n", "1"]);
    let (_b, long_out) = report(long_path.to_str().unwrap(), &["--min-n", "1"]);
    assert_eq!(results(&wide_out)["rc"], results(&long_out)["rc"]);
    assert_eq!(results(&long_out)["inputs"][0]["layout"], "long");
}

#[test]
fn no_output_contains_a_respondent_id() {
    let (_tmp, out) = report(HANDMADE, &["--min-n", "1"]);
    for (path, text) in common::output_texts(&out) {
        assert!(
            !text.contains("R100"),
            "a respondent id was written to {path:?}"
        );
    }
    let (_tmp, out) = report(DEMO, &[]);
    let files = common::output_texts(&out);
    assert!(files.len() > 6);
    for (path, text) in files {
        for prefix in ["HED-0", "SOR-0", "BRØ-0"] {
            assert!(
                !text.contains(prefix),
                "a respondent id was written to {path:?}"
            );
        }
    }
}

#[test]
fn outputs_are_byte_for_byte_deterministic() {
    let (_a, one) = report(DEMO, &[]);
    let (_b, two) = report(DEMO, &[]);
    let names = [
        "results.json",
        "pairs.csv",
        "matrix.csv",
        "units.csv",
        "municipalities.csv",
        "dimensions.csv",
    ];
    for name in names {
        let same = fs::read(one.join(name)).unwrap() == fs::read(two.join(name)).unwrap();
        assert!(same, "{name} differs between two runs");
    }
}

#[test]
fn demo_has_one_unit_under_min_n_and_reports_it() {
    let (_tmp, out) = report(DEMO, &[]);
    let r = results(&out);
    // Sundhedsplejen (3 respondents) is hidden, and one more Sorø unit with it, so that
    // Sorø's figure cannot give Sundhedsplejen away.
    assert_eq!(r["rc"]["units_suppressed"], 2);
    assert_eq!(r["rc"]["pairs"].as_array().unwrap().len(), 49);
    assert!(r["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains(
            "1 of 11 units has fewer than 5 respondents and is not shown; 1 more is hidden"
        )));
    assert_eq!(r["rc"]["dimensions"].as_array().unwrap().len(), 7);
}

#[test]
fn fails_with_exit_2_when_the_role_column_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("staff.csv");
    fs::write(&file, "respondent,timely:Læge\nr1,4\n").unwrap();
    relcap()
        .args(["report", "--staff"])
        .arg(&file)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "staff.csv: required column \"role\" is missing",
        ))
        .stderr(predicate::str::contains("panicked").not());
    assert!(
        !tmp.path().join("out").exists(),
        "nothing is written after an error"
    );
}

#[test]
fn fails_with_exit_2_when_the_file_cannot_be_read() {
    let tmp = tempfile::tempdir().unwrap();
    relcap()
        .args(["report", "--staff", "no/such/staff.csv", "--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "error: no/such/staff.csv: cannot read the file",
        ));
}

#[test]
fn fails_with_exit_2_naming_line_and_column_of_a_bad_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("staff.csv");
    fs::write(
        &file,
        "respondent,role,timely:Jobkonsulent\nr1,Læge,4\nr2,Læge,7\nr3,Læge,0\n",
    )
    .unwrap();
    relcap()
        .args(["report", "--staff"])
        .arg(&file)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "staff.csv:3: column \"timely:Jobkonsulent\": \"7\" is not an answer on the 1–5 scale",
        ))
        .stderr(predicate::str::contains(
            "staff.csv:4: column \"timely:Jobkonsulent\": \"0\"",
        ));
}

#[test]
fn fails_with_exit_2_on_impossible_settings() {
    let tmp = tempfile::tempdir().unwrap();
    relcap()
        .args(["report", "--staff", HANDMADE, "--min-n", "0", "--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--min-n must be at least 1"));
    relcap()
        .args(["report", "--staff", HANDMADE])
        .assert()
        .code(2);
}

#[test]
fn extra_missing_codes_are_read_as_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("staff.csv");
    fs::write(
        &file,
        "respondent,role,timely:A,accurate:A,frequent:A,mutual_respect:A\nr1,A,4,4,4,9\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    relcap()
        .args(["report", "--staff"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    relcap()
        .args([
            "report",
            "--quiet",
            "--min-n",
            "1",
            "--missing",
            "9",
            "--staff",
        ])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    // 3 of 7 answered once 9 is missing: no tie, so nobody has a score.
    assert_eq!(results(&out)["inputs"][0]["used"], 0);
}

#[test]
fn the_results_are_the_same_whatever_the_number_of_threads() {
    // A lazy filter split its rows by the number of threads, and a mean or sd summed chunk
    // by chunk then differed in its last digits from one machine to another (the demo's
    // networks by position and its dimensions' sds between one and three threads).
    let run = |threads: &str, flags: &[&str]| {
        let env = [
            ("POLARS_MAX_THREADS", threads),
            ("RAYON_NUM_THREADS", threads),
        ];
        let (_tmp, out) = report_with(DEMO, flags, &env);
        let files = ["results.json", "dimensions.csv", "pairs.csv", "units.csv"];
        files.map(|f| (f, fs::read(out.join(f)).unwrap()))
    };
    for flags in [&[][..], &["--exclude-own-role"]] {
        let one = run("1", flags);
        for threads in ["2", "3", "8"] {
            for ((file, a), (_, b)) in one.iter().zip(run(threads, flags)) {
                assert!(
                    *a == b,
                    "{file} with {threads} threads differs from one thread ({flags:?})"
                );
            }
        }
    }
}
