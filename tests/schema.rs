//! schema/results.schema.json is generated from the Rust result types; this test fails
//! when they drift apart. Regenerate with: cargo run -- schema > schema/results.schema.json

use std::fs;

#[test]
fn the_shipped_json_schema_is_current() {
    let mut generated = serde_json::to_string_pretty(&relcap::results::schema()).unwrap();
    generated.push('\n');
    let shipped = fs::read_to_string("schema/results.schema.json").unwrap_or_default();
    assert!(
        generated == shipped,
        "schema/results.schema.json is out of date: run `cargo run -- schema > schema/results.schema.json`"
    );
}

#[test]
fn results_json_validates_against_the_schema_s_required_fields() {
    // A light structural check without a validator crate: every property the schema marks
    // required at the top level is present in a real results.json.
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string("schema/results.schema.json").unwrap()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    assert_cmd::Command::cargo_bin("relcap")
        .unwrap()
        .args(["report", "--example", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let results: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
    for field in schema["required"].as_array().unwrap() {
        assert!(
            results.get(field.as_str().unwrap()).is_some(),
            "results.json lacks {field}"
        );
    }
    assert_eq!(results["schema_version"], relcap::results::SCHEMA_VERSION);
}
