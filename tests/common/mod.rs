//! Helpers shared by the integration tests.

use std::fs;
use std::path::{Path, PathBuf};

/// Every file under `dir` (charts/ included) with its text.
pub fn output_texts(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(output_texts(&path));
        } else {
            let text = String::from_utf8_lossy(&fs::read(&path).unwrap()).into_owned();
            out.push((path, text));
        }
    }
    out
}
