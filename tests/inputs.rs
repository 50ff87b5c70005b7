//! Integration tests for reading exports as they come (issue 3): encodings, delimiters,
//! header rows, labels, XLSX, codebooks, and an exact error for every broken case.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn relcap() -> Command {
    Command::cargo_bin("relcap").unwrap()
}

fn report_ok(staff: &Path, flags: &[&str]) -> (tempfile::TempDir, Value) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    relcap()
        .args(["report", "--quiet", "--staff"])
        .arg(staff)
        .arg("--out")
        .arg(&out)
        .args(flags)
        .assert()
        .success();
    let results = serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    (tmp, results)
}

/// Writes `bytes` to a file called `name` in a new folder and runs `relcap report` on it,
/// expecting exit code 2 with every `expected` text on stderr.
fn report_fails(name: &str, bytes: &[u8], expected: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join(name);
    fs::write(&file, bytes).unwrap();
    let mut assert = relcap()
        .args(["report", "--staff"])
        .arg(&file)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("panicked").not());
    for text in expected {
        assert = assert.stderr(predicate::str::contains(*text));
    }
    assert!(
        !tmp.path().join("out").exists(),
        "nothing is written after an error"
    );
}

#[test]
fn the_same_survey_saved_seven_ways_gives_identical_results() {
    let dir = PathBuf::from("fixtures/formats");
    let (_t, reference) = report_ok(&dir.join("utf8.csv"), &[]);
    assert_eq!(reference["rc"]["pairs"].as_array().unwrap().len(), 42);
    let expect = [
        ("windows1252_semicolon.csv", "windows-1252", Some(";")),
        ("utf8_bom.csv", "UTF-8", Some(",")),
        ("utf16.txt", "UTF-16LE", Some("tab")),
        ("qualtrics.csv", "UTF-8", Some(",")),
        ("labels.csv", "UTF-8", Some(",")),
        ("survey.xlsx", "xlsx, sheet \"Dataset\"", None),
    ];
    for (name, encoding, delimiter) in expect {
        let (_t, r) = report_ok(&dir.join(name), &[]);
        assert_eq!(r["rc"], reference["rc"], "{name} gives other results");
        let input = &r["inputs"][0];
        assert_eq!(input["encoding"], encoding, "{name}");
        assert_eq!(input["delimiter"].as_str(), delimiter, "{name}");
        assert_eq!(input["rows"], 60, "{name}");
    }
    let (_t, r) = report_ok(&dir.join("qualtrics.csv"), &[]);
    assert_eq!(r["inputs"][0]["header_rows"], 3);
    // Danish letters survive every encoding.
    let (_t, r) = report_ok(&dir.join("windows1252_semicolon.csv"), &[]);
    let units: Vec<&str> = r["rc"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert!(units.contains(&"Skoleområdet"), "{units:?}");
}

#[test]
fn a_codebook_reads_a_surveyxact_style_export_like_the_default_convention() {
    let (_a, plain) = report_ok(Path::new("fixtures/handmade/staff.csv"), &["--min-n", "1"]);
    let (_b, coded) = report_ok(
        Path::new("examples/codebook/export.csv"),
        &[
            "--min-n",
            "1",
            "--codebook",
            "examples/codebook/codebook.toml",
        ],
    );
    assert_eq!(plain["rc"], coded["rc"]);
}

#[test]
fn init_drafts_a_codebook_that_reads_the_export_it_came_from() {
    let tmp = tempfile::tempdir().unwrap();
    let codebook = tmp.path().join("codebook.toml");
    relcap()
        .args(["init", "fixtures/handmade/staff.csv", "--out"])
        .arg(&codebook)
        .assert()
        .success();
    relcap()
        .args(["init", "fixtures/handmade/staff.csv", "--out"])
        .arg(&codebook)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    let (_a, plain) = report_ok(Path::new("fixtures/handmade/staff.csv"), &["--min-n", "1"]);
    let (_b, coded) = report_ok(
        Path::new("fixtures/handmade/staff.csv"),
        &["--min-n", "1", "--codebook", codebook.to_str().unwrap()],
    );
    assert_eq!(plain["rc"], coded["rc"]);
}

#[test]
fn an_answer_out_of_range_names_line_and_column() {
    report_fails(
        "staff.csv",
        "respondent,role,timely:Jobkonsulent\nr1,Læge,4\nr2,Læge,4\nr3,Læge,4\nr4,Læge,4\nr5,Læge,7\n".as_bytes(),
        &["staff.csv:6: column \"timely:Jobkonsulent\": \"7\" is not an answer on the 1–5 scale"],
    );
}

#[test]
fn an_unknown_label_names_line_and_column() {
    report_fails(
        "staff.csv",
        "respondent,role,timely:Læge\nr1,Læge,Ofte\nr2,Læge,Tit\n".as_bytes(),
        &["staff.csv:3: column \"timely:Læge\": \"Tit\" is not a known answer label of the rc_timely scale"],
    );
}

#[test]
fn rows_with_too_few_or_too_many_fields_are_all_listed() {
    report_fails(
        "staff.csv",
        b"respondent,role,timely:A\nr1,A,4\nr2,A\nr3,A,4,5\n",
        &[
            "staff.csv:3: the row has 2 fields, the header has 3",
            "staff.csv:4: the row has 4 fields, the header has 3",
        ],
    );
}

#[test]
fn a_duplicate_respondent_id_names_both_lines() {
    report_fails(
        "staff.csv",
        b"respondent,role,timely:A\nr1,A,4\nr2,A,4\nr1,A,5\n",
        &["staff.csv:4: column \"respondent\": respondent \"r1\" already has a row on line 2"],
    );
}

#[test]
fn a_missing_required_column_is_named() {
    report_fails(
        "staff.csv",
        b"id,role,timely:A\nr1,A,4\n",
        &["staff.csv: required column \"respondent\" is missing (the header has: id, role, timely:A)"],
    );
}

#[test]
fn empty_header_only_binary_and_undecodable_files_are_refused() {
    report_fails("staff.csv", b"", &["staff.csv: the file is empty"]);
    report_fails(
        "staff.csv",
        b"respondent,role,timely:A\r\n",
        &["staff.csv: the file has a header but no data rows"],
    );
    report_fails(
        "staff.csv",
        b"respondent,role\nr1\x00\x01,A\n",
        &["staff.csv:2: the file looks binary"],
    );
    report_fails(
        "staff.csv",
        &[0xFF, 0xFE, b'r', 0, b'\n', 0, 0x00, 0xD8, b'x', 0],
        &["staff.csv:2: the file cannot be decoded as UTF-16LE"],
    );
    report_fails(
        "staff.xlsx",
        b"PK\x03\x04broken",
        &["staff.xlsx:1: cannot read the workbook"],
    );
}

#[test]
fn problems_are_listed_all_at_once_and_capped_with_a_count() {
    let mut text = String::from("respondent,role,timely:A\n");
    for i in 0..30 {
        text.push_str(&format!("r{i},A,8\n"));
    }
    report_fails(
        "staff.csv",
        text.as_bytes(),
        &[
            "staff.csv:2: column",
            "staff.csv:21: column",
            "staff.csv: … and 10 more problems",
        ],
    );
}

#[test]
fn lenient_reads_bad_answers_as_missing_and_records_each_one() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("staff.csv");
    fs::write(
        &file,
        "respondent,role,timely:A,accurate:A\nr1,A,7,4\nr2,A,Tit,4\n",
    )
    .unwrap();
    let (_t, r) = report_ok(&file, &["--lenient", "--min-n", "1"]);
    let problems = r["inputs"][0]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2);
    assert_eq!(problems[0]["line"], 2);
    assert_eq!(problems[0]["column"], "timely:A");
    assert_eq!(problems[1]["line"], 3);
    assert!(r["notes"][0]
        .as_str()
        .unwrap()
        .contains("2 answers were not valid"));
}

#[test]
fn a_failed_run_leaves_the_previous_results_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("results.json"), "old").unwrap();
    let bad = tmp.path().join("staff.csv");
    fs::write(&bad, "respondent,role,timely:A\nr1,A,9\n").unwrap();
    relcap()
        .args(["report", "--staff"])
        .arg(&bad)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(fs::read_to_string(out.join("results.json")).unwrap(), "old");
    let names: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "a staging folder was left behind: {names:?}"
    );
}

#[test]
fn validate_lists_every_problem_of_every_file_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.csv");
    fs::write(&bad, "respondent,role,timely:A\nr1,A,9\nr1,A,4\n").unwrap();
    relcap()
        .args(["validate", "fixtures/formats/survey.xlsx"])
        .arg(&bad)
        .assert()
        .code(2)
        .stdout(predicate::str::contains(
            "fixtures/formats/survey.xlsx: ok — 60 rows, 60 respondents",
        ))
        .stderr(predicate::str::contains(
            "bad.csv:2: column \"timely:A\": \"9\" is not an answer",
        ))
        .stderr(predicate::str::contains(
            "bad.csv:3: column \"respondent\": respondent \"r1\" already has a row on line 2",
        ))
        .stderr(predicate::str::contains("1 of 2 files have problems"));
    relcap()
        .args(["validate", "--missing", "9"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"9\"").not());
    relcap()
        .args(["validate", "examples/demo/staff.csv"])
        .assert()
        .success();
}

#[test]
fn a_broken_codebook_names_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let cb = tmp.path().join("cb.toml");
    fs::write(&cb, "[columns]\nrespondent = \"id\"\n\n[[items]]\ncolumn = \"Q1\"\ninstrument = \"rc\"\nconstruct = \"speed\"\ntarget = \"A\"\n").unwrap();
    relcap()
        .args(["validate", "fixtures/handmade/staff.csv", "--codebook"])
        .arg(&cb)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cb.toml:5: item \"Q1\": \"speed\" is not a relational-coordination dimension",
        ));
}

#[test]
fn staff_items_a_codebook_puts_in_the_citizens_instrument_are_read_as_before() {
    // The staff files are read beside the citizen and leader files, each into a builder
    // of its own; when a codebook gives staff items the instrument of another kind of
    // file, the other files are read again after the staff, as one reading would.
    let tmp = tempfile::tempdir().unwrap();
    let codebook = fs::read_to_string("examples/codebook/codebook.toml").unwrap();
    let last = codebook.rfind("instrument = \"rc\"").unwrap();
    let mut shared = codebook.clone();
    shared.replace_range(
        last..last + "instrument = \"rc\"".len(),
        "instrument = \"quality\"",
    );
    let run = |name: &str, text: &str| -> Value {
        let cb = tmp.path().join(format!("{name}.toml"));
        fs::write(&cb, text).unwrap();
        let out = tmp.path().join(name);
        relcap()
            .args(["report", "--quiet", "--min-n", "1"])
            .args(["--staff", "examples/codebook/export.csv", "--codebook"])
            .arg(&cb)
            .args(["--citizens", "examples/demo/citizens.csv"])
            .args(["--leaders", "fixtures/handmade/leaders.csv", "--out"])
            .arg(&out)
            .assert()
            .success();
        serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap()
    };
    let (apart, shared) = (run("apart", &codebook), run("shared", &shared));
    let used = |r: &Value| -> Vec<u64> {
        let inputs = r["inputs"].as_array().unwrap();
        inputs.iter().map(|i| i["used"].as_u64().unwrap()).collect()
    };
    assert_eq!(used(&apart), [5, 308, 4]);
    assert_eq!(used(&shared), used(&apart));
    assert_eq!(shared["quality"], apart["quality"]);
    assert_eq!(shared["relations"], apart["relations"]);
    assert_ne!(shared["rc"], apart["rc"], "one RC item fewer");
}
