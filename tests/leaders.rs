//! Leader relations and leadership (issue 4), on hand-made fixtures worked out by hand.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod common;

fn relcap() -> Command {
    Command::cargo_bin("relcap").unwrap()
}

fn run(args: &[&str]) -> (tempfile::TempDir, PathBuf, Value) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    relcap()
        .args(args)
        .arg("--quiet")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let results = serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    (tmp, out, results)
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-12)
}

// fixtures/handmade/leaders.csv, by hand (importance, functioning; flagged = imp ≥ 4 and fun ≤ 3):
//   Anne→Bo (5, 2) flagged, priority 3      Bo→Anne (4, 4)
//   Anne→Carl (3, 2) not important          Carl→Anne (5, 3) flagged, priority 2
//   Bo→Carl (4, 3) flagged, priority 1      Carl→Bo (5, 1) flagged, priority 4
//   Dorte→Anne (2, 5)                       Dorte→Bo: both NA, a row that rates nothing
// Dyads (a < b by name):
//   {Anne, Bo}:   mutual functioning (2 + 4)/2 = 3; gaps 5 − 4 = 1 and 2 − 4 = −2;
//                 flagged by Anne only; both find it important; priority 3
//   {Anne, Carl}: mutual 2.5; gaps −2, −1; flagged by Carl only; important to Carl only
//   {Anne, Dorte}: only Dorte rated it: one direction only; mutual 5; no gaps
//   {Bo, Carl}:   mutual 2; gaps −1, 2; flagged by both; priority max(1, 4) = 4
// Dialogue: 1. Carl invites Bo (4, both flag); 2. Anne invites Bo (3); 3. Carl invites Anne (2).
// Leaders (rated, flagged, flagged by): Anne 2/1/1, Bo 2/1/2, Carl 2/2/1, Dorte 1/0/0.
#[test]
fn leader_relations_give_the_hand_worked_dyads_dialogue_and_counts() {
    let (_t, out, r) = run(&["relations", "--leaders", "fixtures/handmade/leaders.csv"]);
    let rel = &r["relations"];
    assert!(r["rc"].is_null() && r["leadership"].is_null());
    let dyads = rel["dyads"].as_array().unwrap();
    assert_eq!(dyads.len(), 4);
    let ab = &dyads[0];
    assert_eq!(
        (ab["leader_a"].as_str(), ab["leader_b"].as_str()),
        (Some("Anne"), Some("Bo"))
    );
    assert!(close(&ab["mutual_functioning"], 3.0));
    assert!(close(&ab["importance_gap"], 1.0) && close(&ab["functioning_gap"], -2.0));
    assert_eq!(ab["a_to_b"]["flagged"], true);
    assert_eq!(ab["b_to_a"]["flagged"], false);
    assert_eq!(
        (
            ab["flagged_by_one_side_only"].clone(),
            ab["important_to_one_side_only"].clone()
        ),
        (true.into(), false.into())
    );
    assert!(close(&ab["priority"], 3.0));
    let ac = &dyads[1];
    assert!(close(&ac["mutual_functioning"], 2.5));
    assert_eq!(ac["important_to_one_side_only"], true);
    let ad = &dyads[2];
    assert_eq!(ad["one_direction_only"], true);
    assert!(ad["a_to_b"].is_null() && ad["importance_gap"].is_null());
    assert!(close(&ad["mutual_functioning"], 5.0));
    assert_eq!(ad["flagged"], false);
    let bc = &dyads[3];
    assert!(close(&bc["priority"], 4.0));
    assert_eq!(bc["one_sided"], false);

    let dialogue = rel["dialogue"].as_array().unwrap();
    let order: Vec<(&str, &str, f64)> = dialogue
        .iter()
        .map(|e| {
            (
                e["inviter"].as_str().unwrap(),
                e["invitee"].as_str().unwrap(),
                e["priority"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("Carl", "Bo", 4.0),
            ("Anne", "Bo", 3.0),
            ("Carl", "Anne", 2.0)
        ]
    );
    assert_eq!(dialogue[0]["flagged_by_both"], true);
    assert!(close(&dialogue[2]["invitee_importance"], 3.0));

    let leaders: Vec<(String, u64, u64, u64)> = rel["leaders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["leader"].as_str().unwrap().to_string(),
                l["relations_rated"].as_u64().unwrap(),
                l["relations_flagged"].as_u64().unwrap(),
                l["flagged_by"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        leaders,
        [
            ("Anne".into(), 2, 1, 1),
            ("Bo".into(), 2, 1, 2),
            ("Carl".into(), 2, 2, 1),
            ("Dorte".into(), 1, 0, 0)
        ]
    );
    assert!(rel["confidentiality"]
        .as_str()
        .unwrap()
        .contains("identifiable by design"));
    assert!(r["notes"][0]
        .as_str()
        .unwrap()
        .contains("1 rows rate no relation"));
    let dialogue_csv = fs::read_to_string(out.join("relations_dialogue.csv")).unwrap();
    assert!(dialogue_csv.starts_with("rank,inviter,invitee,priority"));
    assert!(dialogue_csv.contains("\n1,Carl,Bo,4,5,1,4,3,true\n"));
}

#[test]
fn the_wide_layout_and_danish_labels_give_the_same_relations() {
    let (_a, _, long) = run(&["relations", "--leaders", "fixtures/handmade/leaders.csv"]);
    let (_b, _, wide) = run(&[
        "relations",
        "--leaders",
        "fixtures/handmade/leaders_wide.csv",
    ]);
    assert_eq!(long["relations"], wide["relations"]);
}

#[test]
fn thresholds_change_what_is_flagged() {
    // With "important" from 5, Bo→Carl (4, 3) is no longer flagged.
    let (_t, _, r) = run(&[
        "relations",
        "--leaders",
        "fixtures/handmade/leaders.csv",
        "--important-from",
        "5",
    ]);
    let bc = &r["relations"]["dyads"][3];
    assert_eq!(bc["a_to_b"]["flagged"], false);
    assert!(close(&bc["priority"], 4.0));
}

#[test]
fn pseudonymize_replaces_every_name_by_a_stable_code() {
    let (_t, out, r) = run(&[
        "relations",
        "--leaders",
        "fixtures/handmade/leaders.csv",
        "--pseudonymize",
    ]);
    assert_eq!(r["relations"]["pseudonymized"], true);
    assert_eq!(r["relations"]["dialogue"][0]["inviter"], "L03");
    assert_eq!(r["relations"]["dialogue"][0]["invitee"], "L02");
    let files = common::output_texts(&out);
    assert!(files
        .iter()
        .any(|(p, _)| p.ends_with("charts/relations_quadrant.svg")));
    for (path, text) in files {
        for name in ["Anne", "Bo,", "Bo ", "Carl", "Dorte"] {
            assert!(!text.contains(name), "{name} is still in {path:?}");
        }
    }
}

#[test]
fn a_leader_rating_themself_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("leaders.csv");
    fs::write(
        &file,
        "leader,counterpart,importance,functioning\nAnne,Bo,4,4\nAnne,Anne,5,5\n",
    )
    .unwrap();
    relcap()
        .args(["relations", "--leaders"])
        .arg(&file)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "leaders.csv:3: leader \"Anne\" rates their relation to themself",
        ));
}

// fixtures/handmade/leadership.csv, by hand. Dimensions: framing {retning, tydelighed},
// engaging {anerkendelse (items a1, a2), mening, succes}, involving {inddragelse, dialog, lytter}.
// A group needs at least half of its dimensions (1 of 2, 2 of 3); the score 4 of 8.
//   S1 (U1): framing (4+2)/2 = 3; engaging (4.5 + 4)/2 = 4.25; involving 14/3; score 28.5/7
//   S2 (U1): framing 3 (1 of 2); engaging only anerkendelse (1 of 3): missing; involving 4; score 18/5 = 3.6
//   S3 (U1): everything 5
//   S4 (U2): framing 2; engaging (2 + 3 + 3)/3 = 8/3; involving 1 of 3: missing; score 15/6 = 2.5
//   S5 (U2): framing 4; nothing else; score 1 of 8: missing
//   S6 (U3, Kommune B): framing 1; engaging (2 + 1 + 1)/3 = 4/3; involving 2; score 12/8 = 1.5
//   S7 (U3): nothing answered
// Groups: framing (3+3+5+2+4+1)/6 = 3; engaging (4.25 + 5 + 8/3 + 4/3)/4 = 3.3125;
//         involving (14/3 + 4 + 5 + 2)/4 = 47/12; ranked involving 1, engaging 2, framing 3.
// Score: (28.5/7 + 3.6 + 5 + 2.5 + 1.5)/5. Units: U1 (28.5/7 + 3.6 + 5)/3, n 3; U2 2.5, n 1.
// Kommune A: spread of the shown unit scores; at min-n 1: U1 and U2, sd = |U1 − U2|/√2.
#[test]
fn leadership_gives_the_hand_worked_figures() {
    let (_t, _, r) = run(&[
        "leadership",
        "--staff",
        "fixtures/handmade/leadership.csv",
        "--min-n",
        "1",
    ]);
    let l = &r["leadership"];
    assert!(r["rc"].is_null());
    let score = (28.5 / 7.0 + 3.6 + 5.0 + 2.5 + 1.5) / 5.0;
    assert!(close(&l["score"]["score"], score));
    assert_eq!(l["score"]["n"], 5);
    let groups: Vec<(&str, f64, u64, u64)> = l["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["group"].as_str().unwrap(),
                g["mean"].as_f64().unwrap(),
                g["n"].as_u64().unwrap(),
                g["rank"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(groups[0].0, "framing");
    assert!((groups[0].1 - 3.0).abs() < 1e-12 && groups[0].2 == 6 && groups[0].3 == 3);
    assert!((groups[1].1 - 3.3125).abs() < 1e-12 && groups[1].2 == 4 && groups[1].3 == 2);
    assert!((groups[2].1 - 47.0 / 12.0).abs() < 1e-12 && groups[2].2 == 4 && groups[2].3 == 1);
    let anerkendelse = &l["dimensions"][2];
    assert_eq!(anerkendelse["dimension"], "anerkendelse");
    assert!(close(&anerkendelse["mean"], 16.5 / 5.0));
    let u1 = (28.5 / 7.0 + 3.6 + 5.0) / 3.0;
    assert!(close(&l["units"][0]["score"]["score"], u1));
    assert!(close(&l["units"][1]["score"]["score"], 2.5));
    let a = &l["municipalities"][0]["between_units"];
    assert_eq!(a["units"], 2);
    assert!(close(&a["sd"], (u1 - 2.5) / 2f64.sqrt()));
    assert!(close(&a["min"], 2.5) && close(&a["max"], u1));
    let input = &r["inputs"][0];
    assert_eq!(
        (input["used"].as_u64(), input["skipped"].as_u64()),
        (Some(5), Some(2))
    );
}

#[test]
fn leadership_units_under_min_n_are_hidden_and_left_out_of_the_spread() {
    let (_t, _, r) = run(&[
        "leadership",
        "--staff",
        "fixtures/handmade/leadership.csv",
        "--min-n",
        "3",
    ]);
    let l = &r["leadership"];
    assert_eq!(l["units_suppressed"], 2);
    let u2 = &l["units"][1];
    assert_eq!(u2["score"]["suppressed"], true);
    assert!(u2["score"]["score"].is_null());
    assert!(u2["groups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["mean"].is_null() && g["rank"].is_null()));
    let a = &l["municipalities"][0]["between_units"];
    assert_eq!(a["units"], 1);
    assert!(a["sd"].is_null());
    // Kommune B has one respondent with a score: hidden.
    assert_eq!(l["municipalities"][1]["score"]["suppressed"], true);
}

#[test]
fn leadership_without_leadership_columns_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    relcap()
        .args([
            "leadership",
            "--staff",
            "fixtures/handmade/staff.csv",
            "--out",
        ])
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no leadership items"));
}

#[test]
fn report_runs_all_three_analyses_on_the_demo() {
    let (_t, out, r) = run(&[
        "report",
        "--staff",
        "examples/demo/staff.csv",
        "--leaders",
        "examples/demo/leaders.csv",
    ]);
    assert!(r["rc"]["network"]["score"].is_number());
    // The demo plants the seeds' order: involving > engaging > framing.
    let ranks: Vec<(&str, u64)> = r["leadership"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["group"].as_str().unwrap(), g["rank"].as_u64().unwrap()))
        .collect();
    assert_eq!(ranks, [("framing", 3), ("engaging", 2), ("involving", 1)]);
    // Sorø's Sundhedsplejen has 3 staff; one more Sorø unit is hidden so that it cannot
    // be worked out from the municipality's figure.
    assert_eq!(r["leadership"]["units_suppressed"], 2);
    let small = r["leadership"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["score"]["n"].is_null())
        .count();
    assert_eq!(small, 1);
    assert_eq!(r["relations"]["dialogue"][0]["inviter"], "Hanne Friis");
    assert_eq!(r["inputs"][1]["kind"], "leaders");
    for name in [
        "leadership.csv",
        "leadership_units.csv",
        "relations_dialogue.csv",
        "relations_dyads.csv",
    ] {
        assert!(out.join(name).exists(), "{name} missing");
    }
}
