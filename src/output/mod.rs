//! Renders Results into the output files, which reach the output folder all at once.

pub mod charts;
pub mod i18n;
pub mod json;
pub mod report;
pub mod tables;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// An output folder being written. Every file goes into a staging folder beside it as soon
/// as it is made, so no output has to be held in memory until the rest are ready (at
/// national scale results.json alone is hundreds of megabytes); [`Staging::commit`] then
/// moves them into the folder together. Dropped uncommitted — an error, or an audit that
/// found something — the staging folder is removed, so a failed run never leaves a
/// half-written set of results behind.
pub struct Staging {
    dir: PathBuf,
    path: PathBuf,
}

impl Staging {
    /// Creates the staging folder for the output folder `dir`.
    pub fn new(dir: &Path) -> Result<Self> {
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let path = parent.join(format!(".{name}.relcap-{}", std::process::id()));
        fs::create_dir_all(&path).with_context(|| {
            format!(
                "cannot create a temporary folder {} beside the output folder",
                path.display()
            )
        })?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            path,
        })
    }

    /// Creates the file `name` (a path inside the output folder) in the staging folder.
    pub fn create(&self, name: &str) -> Result<fs::File> {
        let path = self.path.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        fs::File::create(&path).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Writes the file `name` into the staging folder.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        use std::io::Write;
        self.create(name)?
            .write_all(bytes)
            .with_context(|| format!("cannot write {}", self.path.join(name).display()))
    }

    /// Moves the files `names`, written into the staging folder, into the output folder
    /// (created if need be; other files in it are left as they are).
    pub fn commit(self, names: &[String]) -> Result<()> {
        let dir = &self.dir;
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
        for name in names {
            let to = dir.join(name);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            fs::rename(self.path.join(name), &to)
                .with_context(|| format!("cannot write {}", to.display()))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_files_move_into_the_folder_together_and_nothing_is_left_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let staging = Staging::new(&dir).unwrap();
        staging.write("a.csv", b"x\n").unwrap();
        staging.write("charts/b.svg", b"<svg/>").unwrap();
        assert!(!dir.exists(), "written before the commit");
        staging
            .commit(&["a.csv".into(), "charts/b.svg".into()])
            .unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"x\n");
        assert_eq!(fs::read(dir.join("charts/b.svg")).unwrap(), b"<svg/>");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging left behind"
        );
    }

    #[test]
    fn a_staging_folder_dropped_uncommitted_writes_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let staging = Staging::new(&dir).unwrap();
        staging.write("a.csv", b"x\n").unwrap();
        drop(staging);
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
