//! The generated client crate's version: kept in `model/crate.json`
//! (`{"version": "0.1.0"}`), a checked-in data file beside the model rather
//! than Rust source, read by `cargo xtask codegen` and bumped by
//! `cargo xtask update` according to the diff's verdict. The same file may
//! name the crate's `repository` (the `Cargo.toml` URL crates.io links to);
//! rewriting the version keeps it.

use anyhow::{bail, Context, Result};
use codegen::diff::Verdict;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where the version lives, from the project root.
pub const VERSION_FILE: &str = "model/crate.json";

/// A release version, `MAJOR.MINOR.PATCH` (no pre-release or build part:
/// the generated crate is only ever released as a plain version).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Breaking releases once 1.0.
    pub major: u64,
    /// Additions (and, while 0.x, breaking releases).
    pub minor: u64,
    /// Documentation-only releases.
    pub patch: u64,
}

impl Version {
    /// Parses `1.2.3`; anything else is an error quoting the text.
    pub fn parse(text: &str) -> Result<Version> {
        let parts: Vec<&str> = text.split('.').collect();
        let number = |s: &str| -> Option<u64> {
            // Cargo refuses leading zeros (`01`) and signs; so do we.
            let canonical = !s.is_empty()
                && s.bytes().all(|b| b.is_ascii_digit())
                && (s == "0" || !s.starts_with('0'));
            canonical.then(|| s.parse().ok()).flatten()
        };
        match parts.as_slice() {
            [a, b, c] => match (number(a), number(b), number(c)) {
                (Some(major), Some(minor), Some(patch)) => Ok(Version {
                    major,
                    minor,
                    patch,
                }),
                _ => bail!("invalid version `{text}`: expected MAJOR.MINOR.PATCH, e.g. 0.1.0"),
            },
            _ => bail!("invalid version `{text}`: expected MAJOR.MINOR.PATCH, e.g. 0.1.0"),
        }
    }

    /// The next version for an update with this verdict: breaking → major
    /// (minor while 0.x, as Cargo reads 0.x minors as breaking); additive →
    /// minor; docs-only → patch; none → unchanged (no release).
    pub fn bump(self, verdict: Verdict) -> Result<Version> {
        let overflow = || anyhow::anyhow!("version {self} cannot be bumped: a number overflows");
        let Version {
            major,
            minor,
            patch,
        } = self;
        Ok(match verdict {
            Verdict::None => self,
            Verdict::DocsOnly => Version {
                patch: patch.checked_add(1).ok_or_else(overflow)?,
                ..self
            },
            Verdict::Additive => Version {
                major,
                minor: minor.checked_add(1).ok_or_else(overflow)?,
                patch: 0,
            },
            Verdict::Breaking if major == 0 => Version {
                major,
                minor: minor.checked_add(1).ok_or_else(overflow)?,
                patch: 0,
            },
            Verdict::Breaking => Version {
                major: major.checked_add(1).ok_or_else(overflow)?,
                minor: 0,
                patch: 0,
            },
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The version file of the project at `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(VERSION_FILE)
}

/// What [`VERSION_FILE`] says about the generated package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// Its version.
    pub version: Version,
    /// Its `repository` URL, if the file names one.
    pub repository: Option<String>,
}

/// The file as a JSON object, for reading and for rewriting one key.
fn read_object(path: &Path) -> Result<serde_json::Map<String, serde_json::Value>> {
    let text = std::fs::read_to_string(path).with_context(|| {
        format!(
            "reading the generated crate's version from {} (a JSON file such as {{\"version\": \"0.1.0\"}})",
            path.display()
        )
    })?;
    let value: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
    match value {
        serde_json::Value::Object(map) => Ok(map),
        _ => Err(not_a_version_object(path)),
    }
}

/// The error for a file that is not an object with a string `version`.
fn not_a_version_object(path: &Path) -> anyhow::Error {
    anyhow::anyhow!(
        "{}: expected an object with a string \"version\", e.g. {{\"version\": \"0.1.0\"}}",
        path.display()
    )
}

/// Reads `root`'s [`VERSION_FILE`].
pub fn read_package(root: &Path) -> Result<Package> {
    let path = path(root);
    let map = read_object(&path)?;
    let Some(version) = map.get("version").and_then(|v| v.as_str()) else {
        return Err(not_a_version_object(&path));
    };
    let version = Version::parse(version).with_context(|| format!("in {}", path.display()))?;
    let repository = match map.get("repository") {
        None => None,
        Some(serde_json::Value::String(url)) if url.starts_with("https://") => Some(url.clone()),
        Some(other) => bail!(
            "{}: \"repository\" must be an https:// URL string, found {other}",
            path.display()
        ),
    };
    Ok(Package {
        version,
        repository,
    })
}

/// Reads the generated crate's version from `root`'s [`VERSION_FILE`].
pub fn read(root: &Path) -> Result<Version> {
    Ok(read_package(root)?.version)
}

/// Writes `version` to `root`'s [`VERSION_FILE`], keeping its other keys.
pub fn write(root: &Path, version: Version) -> Result<()> {
    let path = path(root);
    let mut map = if path.exists() {
        read_object(&path)?
    } else {
        serde_json::Map::new()
    };
    map.insert(
        "version".to_owned(),
        serde_json::Value::String(version.to_string()),
    );
    let mut text = serde_json::to_string_pretty(&map)?;
    text.push('\n');
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn versions_bump_by_verdict() {
        let table = [
            ("0.1.0", Verdict::Breaking, "0.2.0"),
            ("0.1.3", Verdict::Additive, "0.2.0"),
            ("0.1.3", Verdict::DocsOnly, "0.1.4"),
            ("0.1.3", Verdict::None, "0.1.3"),
            ("1.4.2", Verdict::Breaking, "2.0.0"),
            ("1.4.2", Verdict::Additive, "1.5.0"),
            ("1.4.2", Verdict::DocsOnly, "1.4.3"),
            ("1.4.2", Verdict::None, "1.4.2"),
        ];
        for (from, verdict, to) in table {
            assert_eq!(v(from).bump(verdict).unwrap(), v(to), "{from} {verdict}");
        }
        let max = format!("1.{}.0", u64::MAX);
        let err = v(&max).bump(Verdict::Additive).unwrap_err().to_string();
        assert!(err.contains("overflows"), "{err}");
    }

    #[test]
    fn versions_are_checked() {
        assert_eq!(v("10.0.7").to_string(), "10.0.7");
        for bad in [
            "",
            "1",
            "1.2",
            "1.2.3.4",
            "1.2.x",
            "01.2.3",
            "-1.2.3",
            "1.2.3-beta",
            "1..3",
            "99999999999999999999.0.0",
        ] {
            let err = Version::parse(bad).unwrap_err().to_string();
            assert!(err.contains("expected MAJOR.MINOR.PATCH"), "{bad}: {err}");
        }
    }

    #[test]
    fn the_version_file_round_trips_and_bad_files_are_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("model")).unwrap();
        let err = format!("{:#}", read(dir.path()).unwrap_err());
        assert!(err.contains("crate.json"), "{err}");
        write(dir.path(), v("0.7.1")).unwrap();
        assert_eq!(read(dir.path()).unwrap(), v("0.7.1"));
        for (text, wanted) in [
            ("{", "not JSON"),
            ("{\"version\": 1}", "string \"version\""),
            ("{\"version\": \"one\"}", "invalid version `one`"),
        ] {
            std::fs::write(path(dir.path()), text).unwrap();
            let err = format!("{:#}", read(dir.path()).unwrap_err());
            assert!(
                err.contains(wanted) && err.contains("crate.json"),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn the_repository_is_read_and_kept_when_the_version_is_written() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("model")).unwrap();
        std::fs::write(
            path(dir.path()),
            r#"{"version": "0.1.0", "repository": "https://example.com/r"}"#,
        )
        .unwrap();
        write(dir.path(), v("0.2.0")).unwrap();
        assert_eq!(
            read_package(dir.path()).unwrap(),
            Package {
                version: v("0.2.0"),
                repository: Some("https://example.com/r".to_owned()),
            }
        );
        for bad in [r#""ftp://x""#, "1", r#""http://x""#] {
            std::fs::write(
                path(dir.path()),
                format!(r#"{{"version": "0.1.0", "repository": {bad}}}"#),
            )
            .unwrap();
            let err = format!("{:#}", read_package(dir.path()).unwrap_err());
            assert!(err.contains("\"repository\" must be an https:// URL"), "{bad}: {err}");
        }
    }
}
