//! Privacy that holds against differencing (issue 10): nothing hidden can be computed back
//! from what is shown, in the fixture and for random hierarchies.

use std::fs;

use assert_cmd::Command;
use proptest::prelude::*;
use relcap::privacy::{complement, Cell};
use serde_json::Value;

fn run(staff: &str) -> Value {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    Command::cargo_bin("relcap")
        .unwrap()
        .args(["report", "--quiet", "--staff", staff, "--out"])
        .arg(&out)
        .assert()
        .success();
    serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap()
}

/// What an attacker can compute: the total's sum minus the shown parts' sums, over the
/// respondents not in a shown part. Returns the n of that hidden remainder when it is a
/// single figure they could isolate (the only hidden part, with the total shown).
fn isolatable(total: (&Value, &Value), parts: &[(&Value, &Value)]) -> Option<u64> {
    let (t_value, t_n) = total;
    if t_value.is_null() {
        return None;
    }
    let t_n = t_n.as_u64().unwrap();
    let shown_n: u64 = parts
        .iter()
        .filter(|(v, _)| !v.is_null())
        .map(|(_, n)| n.as_u64().unwrap())
        .sum();
    let hidden_n = t_n - shown_n;
    (hidden_n > 0 && hidden_n < 5).then_some(hidden_n)
}

#[test]
fn a_municipality_of_10_10_and_3_gives_no_figure_for_the_3() {
    let r = run("fixtures/privacy/staff.csv");
    let rc = &r["rc"];
    let muni = &rc["municipalities"][0];
    let units = rc["units"].as_array().unwrap();
    let sizes: Vec<&Value> = units.iter().map(|u| &u["n"]).collect();
    assert_eq!(
        sizes,
        [&Value::from(10), &Value::from(10), &Value::Null],
        "n of the 3 is not shown"
    );
    assert!(units[2]["score"].is_null());
    let parts: Vec<(&Value, &Value)> = units.iter().map(|u| (&u["score"], &u["n"])).collect();
    assert_eq!(isolatable((&muni["score"], &muni["n"]), &parts), None);
    // One of the tens is hidden with it: the municipality's figure is still shown.
    assert_eq!(units.iter().filter(|u| u["suppressed"] == true).count(), 2);
    assert!(muni["score"].is_number());
}

#[test]
fn role_pair_cells_cannot_be_worked_out_from_within_and_between_role_rc() {
    let r = run("fixtures/privacy/staff.csv");
    let rc = &r["rc"];
    let pairs = rc["pairs"].as_array().unwrap();
    let diagonal: Vec<(&Value, &Value)> = pairs
        .iter()
        .filter(|p| p["rater_role"] == p["target_role"])
        .map(|p| (&p["score"], &p["n"]))
        .collect();
    // Gamma rates itself with 3 raters: hidden, and Beta's diagonal with it.
    assert_eq!(diagonal.iter().filter(|(v, _)| v.is_null()).count(), 2);
    assert_eq!(
        isolatable(
            (&rc["network"]["within"], &rc["network"]["n_within"]),
            &diagonal
        ),
        None
    );
    let off: Vec<&Value> = pairs
        .iter()
        .filter(|p| p["rater_role"] != p["target_role"])
        .collect();
    let hidden_off = off.iter().filter(|p| p["score"].is_null()).count();
    assert!(
        hidden_off == 0 || hidden_off >= 2,
        "a single hidden between-role cell is derivable"
    );
}

#[test]
fn leader_and_staff_splits_do_not_give_the_leaders_away() {
    let r = run("fixtures/privacy/staff.csv");
    let rc = &r["rc"];
    let positions = rc["by_position"].as_array().unwrap();
    assert_eq!(positions[0]["position"], "leader");
    assert!(
        positions[0]["score"].is_null() && positions[0]["n_respondents"].is_null(),
        "3 leaders are hidden"
    );
    let parts: Vec<(&Value, &Value)> = positions
        .iter()
        .map(|p| (&p["score"], &p["n_respondents"]))
        .collect();
    let parts_n: Vec<(&Value, Value)> = parts
        .iter()
        .map(|(v, n)| {
            (
                *v,
                if n.is_null() {
                    Value::from(0)
                } else {
                    (*n).clone()
                },
            )
        })
        .collect();
    let parts_ref: Vec<(&Value, &Value)> = parts_n.iter().map(|(v, n)| (*v, n)).collect();
    assert_eq!(
        isolatable(
            (&rc["network"]["score"], &rc["network"]["n_respondents"]),
            &parts_ref
        ),
        None
    );
    for f in ["within", "between", "communication", "relationship"] {
        assert!(positions[0][f].is_null(), "leaders' {f} shown");
        assert!(
            positions[1][f].is_null(),
            "staff's {f} shown next to the network's: the leaders' would follow"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// For random hierarchies, after the rule: either the total is hidden, or what is hidden
    /// (hidden parts plus the respondents in no part) is nothing or at least min-n
    /// respondents — so no hidden part's mean can be solved for on its own.
    #[test]
    fn no_hidden_figure_can_be_solved_for(
        sizes in prop::collection::vec(1usize..40, 1..12),
        remainder in 0usize..8,
        min_n in 2usize..10,
    ) {
        let total_n: usize = sizes.iter().sum::<usize>() + remainder;
        let parts: Vec<Cell> = sizes.iter().map(|&n| Cell { n, hidden: n < min_n }).collect();
        let total = Cell { n: total_n, hidden: total_n < min_n };
        let (extra, hide_total) = complement(total, &parts, min_n);
        let mut hidden: Vec<bool> = parts.iter().map(|p| p.hidden).collect();
        for i in &extra {
            prop_assert!(!hidden[*i], "a part hidden twice");
            hidden[*i] = true;
        }
        if !(total.hidden || hide_total) {
            let hidden_n: usize = remainder + parts.iter().zip(&hidden).filter(|(_, h)| **h).map(|(p, _)| p.n).sum::<usize>();
            prop_assert!(hidden_n == 0 || hidden_n >= min_n, "{hidden_n} respondents are hidden together, fewer than {min_n}");
            // Every primary-hidden part is hidden together with something else.
            let hidden_things = hidden.iter().filter(|h| **h).count() + usize::from(remainder > 0);
            for (p, h) in parts.iter().zip(&hidden) {
                if *h && p.n < min_n {
                    prop_assert!(hidden_things >= 2, "a small part is the only hidden figure");
                }
            }
        }
        // Never more than needed: the complements are the smallest shown parts.
        for i in &extra {
            for (j, p) in parts.iter().enumerate() {
                if !hidden[j] {
                    prop_assert!(parts[*i].n <= p.n, "hid {} while {} stayed shown", parts[*i].n, p.n);
                }
            }
        }
    }
}

#[test]
fn audit_passes_a_clean_folder_and_catches_ids_small_figures_and_derivable_units() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let relcap = || Command::cargo_bin("relcap").unwrap();
    relcap()
        .args([
            "report",
            "--quiet",
            "--staff",
            "fixtures/privacy/staff.csv",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    relcap()
        .arg("audit")
        .arg(&out)
        .args(["--staff", "fixtures/privacy/staff.csv"])
        .assert()
        .success()
        .stderr(predicates::str::contains("no findings"));
    // An id slipped into a table.
    let units = out.join("units.csv");
    let text = fs::read_to_string(&units).unwrap();
    fs::write(&units, format!("{text}P-007\n")).unwrap();
    // A small unit shown again, as an unsafe tool would.
    let path = out.join("results.json");
    let mut r: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    r["rc"]["units"][2]["score"] = 3.1.into();
    r["rc"]["units"][2]["n"] = 3.into();
    r["rc"]["units"][0]["score"] = 3.6.into();
    fs::write(&path, serde_json::to_vec(&r).unwrap()).unwrap();
    relcap()
        .arg("audit")
        .arg(&out)
        .args(["--staff", "fixtures/privacy/staff.csv"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "units.csv: contains the input id \"P-007\"",
        ))
        .stdout(predicates::str::contains(
            "score 3.1 is shown on 3 respondents",
        ));
}

#[test]
fn a_report_whose_outputs_would_hold_an_input_id_writes_nothing() {
    // A unit named like a respondent: its name would be in results.json and units.csv,
    // which are audited as they are written, before any reaches the folder.
    let tmp = tempfile::tempdir().unwrap();
    let staff = tmp.path().join("staff.csv");
    let text = fs::read_to_string("fixtures/privacy/staff.csv").unwrap();
    fs::write(&staff, text.replace("Enhed 1", "P-001")).unwrap();
    let out = tmp.path().join("out");
    Command::cargo_bin("relcap")
        .unwrap()
        .args(["report", "--quiet", "--staff"])
        .arg(&staff)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("so nothing was written"))
        .stderr(predicates::str::contains(
            "results.json: contains the input id \"P-001\"",
        ))
        .stderr(predicates::str::contains(
            "units.csv: contains the input id \"P-001\"",
        ))
        .stderr(predicates::str::contains("found 2 problems"));
    assert!(!out.exists(), "the output folder was made");
    let left: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["staff.csv"], "a staging folder was left behind");
}
