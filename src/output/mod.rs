//! Renders Results into bytes and writes them to the output folder all at once.

pub mod charts;
pub mod i18n;
pub mod json;
pub mod report;
pub mod tables;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One output file: its name inside the output folder and its bytes.
pub struct OutputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Writes every file to a temporary folder beside `dir`, then moves them into `dir`,
/// so a failed run never leaves a half-written set of results behind.
pub fn commit(dir: &Path, files: &[OutputFile]) -> Result<()> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let staging = parent.join(format!(".{name}.relcap-{}", std::process::id()));
    let written = write_all(&staging, files).and_then(|()| {
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
        for f in files {
            let to = dir.join(&f.name);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            fs::rename(staging.join(&f.name), &to)
                .with_context(|| format!("cannot write {}", to.display()))?;
        }
        Ok(())
    });
    let _ = fs::remove_dir_all(&staging);
    written
}

fn write_all(staging: &Path, files: &[OutputFile]) -> Result<()> {
    fs::create_dir_all(staging).with_context(|| {
        format!(
            "cannot create a temporary folder {} beside the output folder",
            staging.display()
        )
    })?;
    for f in files {
        let path = staging.join(&f.name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::write(&path, &f.bytes).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_moves_every_file_into_a_new_folder_and_cleans_up() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let files = [
            OutputFile {
                name: "a.csv".into(),
                bytes: b"x\n".to_vec(),
            },
            OutputFile {
                name: "b.json".into(),
                bytes: b"{}".to_vec(),
            },
        ];
        commit(&dir, &files).unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"x\n");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging left behind"
        );
    }
}
