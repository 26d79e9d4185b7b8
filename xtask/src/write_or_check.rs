//! Writing files a command derives (generated code, README sections, API
//! snapshots), or with `--check` comparing them: the one implementation
//! behind `generate [--check]`, `coverage [--check]` and `api-guard
//! [--bless]`.

use std::path::{Path, PathBuf};

use crate::error::{Result, XtaskError};

/// What [`write_or_check`] found.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The files whose contents differed from the expected ones (relative
    /// to the root, as given): written, or in check mode stale.
    pub changed: Vec<PathBuf>,
    /// In check mode, a unified diff (current → expected) of every stale
    /// file; empty otherwise.
    pub diff: String,
}

impl Outcome {
    /// Whether every file already held its expected contents.
    pub fn is_current(&self) -> bool {
        self.changed.is_empty()
    }
}

/// For each `(path, expected contents)`, with `path` relative to `root`:
/// writes the file where it differs (creating directories), or with
/// `check` writes nothing and diffs it. A missing file counts as empty.
pub fn write_or_check<P, S>(root: &Path, files: &[(P, S)], check: bool) -> Result<Outcome>
where
    P: AsRef<Path>,
    S: AsRef<str>,
{
    let mut outcome = Outcome::default();
    for (rel, expected) in files {
        let (rel, expected) = (rel.as_ref(), expected.as_ref());
        let path = root.join(rel);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(expected) {
            continue;
        }
        outcome.changed.push(rel.to_path_buf());
        if check {
            outcome.diff.push_str(&unified_diff(
                rel,
                current.as_deref().unwrap_or(""),
                expected,
            ));
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| XtaskError::io(dir, e))?;
        }
        std::fs::write(&path, expected).map_err(|e| XtaskError::io(&path, e))?;
    }
    Ok(outcome)
}

/// A unified diff of one file, `a/<path>` → `b/<path>`, 3 lines of context.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_then_checks_then_diffs_a_one_byte_change() {
        let dir = std::env::temp_dir().join(format!("xtask-woc-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let files = [("sub/g.rs", "pub fn a() {}\npub fn b() {}\n")];

        let check = write_or_check(&dir, &files, true).unwrap();
        assert_eq!(
            check.changed,
            [PathBuf::from("sub/g.rs")],
            "missing is stale"
        );
        assert!(check.diff.contains("+pub fn b() {}"), "{}", check.diff);
        assert!(!dir.join("sub/g.rs").exists(), "check writes nothing");

        let written = write_or_check(&dir, &files, false).unwrap();
        assert_eq!(written.changed.len(), 1);
        assert!(written.diff.is_empty());
        assert!(write_or_check(&dir, &files, true).unwrap().is_current());
        assert!(write_or_check(&dir, &files, false).unwrap().is_current());

        std::fs::write(dir.join("sub/g.rs"), "pub fn a() {}\npub fn c() {}\n").unwrap();
        let stale = write_or_check(&dir, &files, true).unwrap();
        assert!(
            stale.diff.contains("--- a/sub/g.rs")
                && stale.diff.contains("+++ b/sub/g.rs")
                && stale.diff.contains("-pub fn c() {}")
                && stale.diff.contains("+pub fn b() {}"),
            "{}",
            stale.diff
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_unwritable_path_is_an_error_naming_it() {
        let dir = std::env::temp_dir().join(format!("xtask-woc-err-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("file"), "").unwrap();
        let e = write_or_check(&dir, &[("file/inner.rs", "x")], false).unwrap_err();
        assert!(e.to_string().contains("file"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
