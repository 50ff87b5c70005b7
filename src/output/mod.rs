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

/// The folder inside the staging folder that the files replaced by [`Staging::commit`] are
/// moved into; no output's name begins with a dot.
const REPLACED: &str = ".replaced";

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
    ///
    /// A file of the same name from an earlier run is first moved aside into the staging
    /// folder, and removed with it: renaming a new file over an old one makes ext4 write the
    /// new file's data to the disk before the rename returns (its `auto_da_alloc`), which
    /// at national scale held the run for a quarter of a second or more. Should the new file
    /// then fail to move in, the old one is put back.
    pub fn commit(self, names: &[String]) -> Result<()> {
        let dir = &self.dir;
        fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
        let replaced = self.path.join(REPLACED);
        for name in names {
            let to = dir.join(name);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            let from = self.path.join(name);
            let cannot = || format!("cannot write {}", to.display());
            // Only a file (or a link) is moved aside: a folder in the way stays where it is,
            // and the rename below fails on it.
            let old = fs::symlink_metadata(&to).is_ok_and(|m| !m.is_dir());
            let aside = replaced.join(name);
            if old {
                if let Some(parent) = aside.parent() {
                    fs::create_dir_all(parent)
                        .with_context(|| format!("cannot create {}", parent.display()))?;
                }
                fs::rename(&to, &aside).with_context(cannot)?;
            }
            if let Err(e) = fs::rename(&from, &to) {
                if old {
                    let _ = fs::rename(&aside, &to);
                }
                return Err(e).with_context(cannot);
            }
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
    fn files_of_an_earlier_run_are_replaced_and_a_folder_in_the_way_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        fs::create_dir_all(dir.join("charts")).unwrap();
        fs::write(dir.join("a.csv"), b"old\n").unwrap();
        fs::write(dir.join("charts/b.svg"), b"<old/>").unwrap();
        fs::write(dir.join("kept.txt"), b"mine").unwrap();
        let staging = Staging::new(&dir).unwrap();
        staging.write("a.csv", b"new\n").unwrap();
        staging.write("charts/b.svg", b"<new/>").unwrap();
        staging
            .commit(&["a.csv".into(), "charts/b.svg".into()])
            .unwrap();
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"new\n");
        assert_eq!(fs::read(dir.join("charts/b.svg")).unwrap(), b"<new/>");
        assert_eq!(fs::read(dir.join("kept.txt")).unwrap(), b"mine");
        assert_eq!(
            fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging or the replaced files left behind"
        );

        // A folder where a file goes: the commit fails, and the folder and what it holds
        // stay as they were.
        fs::create_dir_all(dir.join("c.csv")).unwrap();
        fs::write(dir.join("c.csv/inside.txt"), b"mine").unwrap();
        let staging = Staging::new(&dir).unwrap();
        staging.write("c.csv", b"new\n").unwrap();
        assert!(staging.commit(&["c.csv".into()]).is_err());
        assert_eq!(fs::read(dir.join("c.csv/inside.txt")).unwrap(), b"mine");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);

        // A new file that cannot move in (here: never written): the old one is put back.
        let staging = Staging::new(&dir).unwrap();
        assert!(staging.commit(&["a.csv".into()]).is_err());
        assert_eq!(fs::read(dir.join("a.csv")).unwrap(), b"new\n");
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
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
