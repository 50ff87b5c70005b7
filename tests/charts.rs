//! The charts (issue 6): every file drawn on the demo, markup that says what it shows,
//! charts not drawn when their data are hidden, and sizes that stay small at scale.

use std::fs;

use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, Value) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    Command::cargo_bin("relcap")
        .unwrap()
        .args(args)
        .arg("--quiet")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let r = serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    (tmp, out, r)
}

const FULL: [&str; 7] = [
    "report",
    "--staff",
    "examples/demo/staff.csv",
    "--leaders",
    "examples/demo/leaders.csv",
    "--citizens",
    "examples/demo/citizens.csv",
];

#[test]
fn the_demo_draws_all_eight_charts_with_titles_and_n() {
    let (_t, out, r) = run(&FULL);
    let expect = [
        ("rc_matrix.svg", "Relationel koordinering mellem roller"),
        ("rc_dimensions.svg", "De syv dimensioner"),
        ("rc_network.svg", "Koordinationsnetværket"),
        ("rc_units.svg", "Relationel koordinering i enhederne"),
        ("relations_quadrant.svg", "Vigtig, men fungerer ikke"),
        ("leadership.svg", "Rammesættende"),
        ("model_quality_on_rc.svg", "borgeroplevet kvalitet"),
        (
            "model_rc_on_leadership.svg",
            "Ledelse og relationel koordinering",
        ),
    ];
    for (file, title) in expect {
        let svg = fs::read_to_string(out.join("charts").join(file)).unwrap();
        assert!(svg.starts_with("<svg"), "{file}");
        assert!(svg.contains(title), "{file} lacks \"{title}\"");
        assert!(svg.contains("n = "), "{file} has no n");
        assert!(svg.len() < 2_000_000, "{file} is {} bytes", svg.len());
    }
    let charts = r["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 8);
    assert!(charts.iter().all(|c| c["drawn"] == true));
    // The unit chart says how many units are hidden.
    let units = fs::read_to_string(out.join("charts/rc_units.svg")).unwrap();
    assert!(units.contains("1 enhed med færre end 5 respondenter er ikke vist"));
}

#[test]
fn english_charts_use_english_words_and_decimal_points() {
    let mut args = FULL.to_vec();
    args.extend(["--lang", "en"]);
    let (_t, out, _) = run(&args);
    let svg = fs::read_to_string(out.join("charts/rc_matrix.svg")).unwrap();
    assert!(svg.contains("Relational coordination between roles"));
    assert!(svg.contains("moderate (3.5–4.0)"));
    let dims = fs::read_to_string(out.join("charts/rc_dimensions.svg")).unwrap();
    assert!(dims.contains("Mutual respect"));
}

#[test]
fn a_chart_with_only_hidden_data_is_not_drawn_and_says_why() {
    let (_t, out, r) = run(&["report", "--staff", "fixtures/handmade/staff.csv"]);
    let charts = r["charts"].as_array().unwrap();
    let matrix = charts
        .iter()
        .find(|c| c["file"] == "charts/rc_matrix.svg")
        .unwrap();
    assert_eq!(matrix["drawn"], false);
    assert!(matrix["reason"]
        .as_str()
        .unwrap()
        .contains("for få besvarelser"));
    assert!(!out.join("charts/rc_matrix.svg").exists());
    // The dimensions rest on 5 respondents each, so that chart is drawn.
    assert!(out.join("charts/rc_dimensions.svg").exists());
}

#[test]
fn respondent_level_data_are_never_points() {
    let (_t, out, r) = run(&FULL);
    let m = r["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "rc_on_leadership")
        .unwrap()
        .clone();
    assert!(m["scatter"]["points"].as_array().unwrap().is_empty());
    let bins = &m["scatter"]["bins"];
    for col in bins["counts"].as_array().unwrap() {
        for c in col.as_array().unwrap() {
            assert!(
                c.is_null() || c.as_u64().unwrap() >= 5,
                "a cell shows fewer than 5 respondents"
            );
        }
    }
    let svg = fs::read_to_string(out.join("charts/model_rc_on_leadership.svg")).unwrap();
    assert!(!svg.contains("<circle"), "respondents drawn as points");
}
