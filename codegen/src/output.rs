//! Writing generated files to disk, and checking checked-in output for drift.
//!
//! The generator owns the files of a generated crate that carry its
//! `@generated` header on their first line (`Cargo.toml`, `README.md` and
//! files under `src/`); other files (examples, hand-written tests, a user's own modules)
//! are never removed.

use crate::emit::Files;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How a directory differs from what the model gives.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drift {
    /// Files whose content differs.
    pub changed: Vec<String>,
    /// Files the generator produces that are missing.
    pub missing: Vec<String>,
    /// Files under `src/` the generator no longer produces.
    pub extra: Vec<String>,
}

impl Drift {
    /// No difference.
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }

    /// One line per stale file: `changed: src/lib.rs`, ...
    pub fn lines(&self) -> Vec<String> {
        let tag = |t: &str, v: &[String]| v.iter().map(|p| format!("{t}: {p}")).collect::<Vec<_>>();
        let mut out = tag("changed", &self.changed);
        out.extend(tag("missing", &self.missing));
        out.extend(tag("not generated any more", &self.extra));
        out
    }
}

/// Generated-owned files present in `dir` (relative paths, `/`-separated).
fn owned_files(dir: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for top in ["Cargo.toml", "README.md"] {
        if is_generated(&dir.join(top))? {
            out.insert(top.to_owned());
        }
    }
    let mut stack = vec![dir.join("src")];
    while let Some(d) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if let (Ok(rel), true) = (path.strip_prefix(dir), is_generated(&path)?) {
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(out)
}

/// Whether the file at `path` exists and its first line has the `@generated` marker.
fn is_generated(path: &Path) -> std::io::Result<bool> {
    use std::io::{BufRead, Read};
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let mut first = Vec::new();
    std::io::BufReader::new(file.take(4096)).read_until(b'\n', &mut first)?;
    Ok(String::from_utf8_lossy(&first).contains("@generated"))
}

/// Compares `dir` with `files`. With `prune`, `dir` is a generated crate
/// and generated-owned files there that `files` lacks count as extra.
pub fn check(dir: &Path, files: &Files, prune: bool) -> std::io::Result<Drift> {
    let present = if prune {
        owned_files(dir)?
    } else {
        BTreeSet::new()
    };
    let mut drift = Drift::default();
    for (rel, content) in files {
        match std::fs::read_to_string(dir.join(rel)) {
            Ok(existing) if existing == *content => {}
            Ok(_) => drift.changed.push(rel.clone()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => drift.missing.push(rel.clone()),
            Err(e) => return Err(e),
        }
    }
    drift.extra = present
        .into_iter()
        .filter(|p| !files.contains_key(p))
        .collect();
    Ok(drift)
}

/// Writes `files` into `dir`, touching only files whose content changed (so
/// cargo rebuilds only what changed) and, with `prune`, removing
/// generated-owned files the model no longer produces. Returns what it changed.
pub fn write(dir: &Path, files: &Files, prune: bool) -> std::io::Result<Drift> {
    let drift = check(dir, files, prune)?;
    for rel in drift.changed.iter().chain(&drift.missing) {
        let path: PathBuf = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &files[rel])?;
    }
    for rel in &drift.extra {
        std::fs::remove_file(dir.join(rel))?;
    }
    Ok(drift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_then_check_reports_each_kind_of_drift() {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::from([
            ("Cargo.toml".to_owned(), "[package]\n".to_owned()),
            ("src/lib.rs".to_owned(), "mod a;\n".to_owned()),
            ("src/a.rs".to_owned(), "// a\n".to_owned()),
        ]);
        let first = write(dir.path(), &files, true).unwrap();
        assert_eq!(first.missing.len(), 3);
        assert!(check(dir.path(), &files, true).unwrap().is_empty());

        std::fs::write(dir.path().join("src/a.rs"), "// edited\n").unwrap();
        std::fs::remove_file(dir.path().join("src/lib.rs")).unwrap();
        std::fs::write(
            dir.path().join("src/old.rs"),
            "// @generated by an older model\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("src/mine.rs"), "// a user's own module\n").unwrap();
        std::fs::create_dir_all(dir.path().join("examples")).unwrap();
        std::fs::write(dir.path().join("examples/hand_written.rs"), "").unwrap();
        let drift = check(dir.path(), &files, true).unwrap();
        assert_eq!(
            drift.lines(),
            [
                "changed: src/a.rs",
                "missing: src/lib.rs",
                "not generated any more: src/old.rs"
            ]
        );
        assert!(
            check(dir.path(), &files, false).unwrap().extra.is_empty(),
            "no pruning"
        );

        write(dir.path(), &files, true).unwrap();
        assert!(check(dir.path(), &files, true).unwrap().is_empty());
        assert!(!dir.path().join("src/old.rs").exists());
        assert!(
            dir.path().join("src/mine.rs").exists(),
            "files without the @generated marker are never removed"
        );
        assert!(
            dir.path().join("examples/hand_written.rs").exists(),
            "not generator-owned"
        );
    }
}
