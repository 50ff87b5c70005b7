//! The report and the pipeline outputs (issue 7).

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

mod common;

fn relcap() -> Command {
    Command::cargo_bin("relcap").unwrap()
}

fn example(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    relcap()
        .args(["report", "--example", "--quiet", "--out"])
        .arg(&out)
        .args(extra)
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    (tmp, out)
}

#[test]
fn the_example_report_is_one_self_contained_danish_page_in_order() {
    let (_t, out) = example(&[]);
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<html lang=\"da\">"));
    let sections = [
        "<h2>Sammenfatning</h2>",
        ">Relationel koordinering</h2>",
        ">Lederrelationer</h2>",
        ">Ledelse</h2>",
        ">Sammenhænge</h2>",
        ">Datakvalitet</h2>",
        "<h2>Metode</h2>",
    ];
    let mut at = 0;
    for s in sections {
        let i = html[at..]
            .find(s)
            .unwrap_or_else(|| panic!("{s} missing or out of order"))
            + at;
        at = i;
    }
    // Self-contained: charts inline, nothing fetched, no script.
    assert_eq!(html.matches("<svg").count(), 8);
    let without_svg_ns = html.replace("http://www.w3.org/2000/svg", "");
    for remote in ["http://", "https://", "<script", "<link", "<img", "@import"] {
        assert!(
            !without_svg_ns.contains(remote),
            "the report refers to {remote}"
        );
    }
    assert!(html.contains("@page { size: A4"));
    assert!(
        html.contains("Fortroligt"),
        "the relations section says it names leaders"
    );
    assert!(html.contains("hænger sammen") || html.contains("højere borgeroplevet kvalitet"));
}

#[test]
fn the_markdown_report_has_the_same_sections_and_links_the_charts() {
    let (_t, out) = example(&["--lang", "en"]);
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    for s in [
        "## Summary",
        "## Relational coordination",
        "## Leader relations",
        "## Leadership",
        "## Effect models",
        "## Data quality",
        "## Method",
    ] {
        assert!(md.contains(s), "{s}");
    }
    assert!(md.contains("![Role matrix: how each role rates the others.](charts/rc_matrix.svg)"));
    let html = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("The dialogue list"));
}

#[test]
fn no_output_names_a_respondent_or_a_citizen() {
    let (_t, out) = example(&["--parquet"]);
    for (path, text) in common::output_texts(&out) {
        for id in ["HED-0", "SOR-0", "BRØ-0", "B000", "B001", "B002"] {
            assert!(!text.contains(id), "{id} in {path:?}");
        }
    }
}

#[test]
fn excel_da_tables_have_a_bom_semicolons_and_decimal_commas() {
    let (_t, out) = example(&["--csv-dialect", "excel-da"]);
    let bytes = fs::read(out.join("units.csv")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("municipality;unit;score;sd;n;"));
    let row = text.lines().nth(1).unwrap();
    assert!(row.split(';').nth(2).unwrap().contains(','), "{row}");
}

#[test]
fn parquet_adds_one_file_per_table() {
    let (_t, out) = example(&["--parquet"]);
    for t in [
        "pairs",
        "units",
        "leadership",
        "models",
        "relations_dialogue",
        "quality_units",
    ] {
        let bytes = fs::read(out.join("parquet").join(format!("{t}.parquet"))).unwrap();
        assert!(bytes.starts_with(b"PAR1"), "{t}");
    }
}

#[test]
fn the_terminal_summary_fits_a_screen_and_quiet_silences_it() {
    let tmp = tempfile::tempdir().unwrap();
    let output = relcap()
        .args(["report", "--example", "--out"])
        .arg(tmp.path().join("o"))
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stderr).unwrap();
    assert!(text.contains("network RC 3.73 (moderate)"));
    assert!(text.lines().count() <= 25, "{} lines", text.lines().count());
    assert!(
        !text.contains('\u{1b}'),
        "no progress escape codes when stderr is not a terminal"
    );
}

#[test]
fn completions_and_the_man_page_come_from_the_cli() {
    relcap()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("relcap"));
    relcap()
        .args(["man"])
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH relcap"))
        .stdout(predicate::str::contains("report"));
    relcap()
        .args(["schema"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"schema_version\""));
}

#[test]
fn example_and_input_files_exclude_each_other() {
    relcap()
        .args(["report", "--example", "--staff", "x.csv", "--out", "o"])
        .assert()
        .code(2);
    relcap()
        .args(["report", "--out", "o"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--staff"));
}
