//! Locating and reading the shared files: `AWS_CONFIG_FILE` /
//! `AWS_SHARED_CREDENTIALS_FILE` or their defaults under the home
//! directory, and what was found there ([`SourceFile`]).

use super::{FileKind, ProfileError, ProfileSet};
use crate::bounded::{self, BoundedReadError};
use crate::env::Env;
use std::fmt;
use std::path::{Path, PathBuf};

/// The largest shared config or credentials file read: 16 MiB.
///
/// Not configurable, because it is far above any real file (a thousand
/// profiles take about 200 KB); what it stops is a setting naming the wrong
/// file (`AWS_CONFIG_FILE=/dev/zero`, a log), which would otherwise be read
/// whole into memory.
pub const MAX_FILE_SIZE: usize = 16 << 20;

/// What happened when a shared file was looked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// Read and parsed.
    Loaded,
    /// No file at the path.
    NotFound,
    /// The path is under `~` but no home directory is known (`HOME` and
    /// `USERPROFILE` are unset), so nothing was read.
    NoHomeDirectory,
    /// The file exists but could not be read (the reason), or is not UTF-8.
    Unreadable(String),
}

/// One of the shared files: where it was looked for and what was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    pub(super) kind: FileKind,
    pub(super) path: Option<PathBuf>,
    pub(super) named_by: Option<&'static str>,
    pub(super) status: FileStatus,
}

impl SourceFile {
    /// Config or credentials.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The path looked at (`None` for text given directly, or a `~` path
    /// with no home directory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The environment variable that chose the path, if one did.
    pub fn named_by(&self) -> Option<&'static str> {
        self.named_by
    }

    /// What was found there.
    pub fn status(&self) -> &FileStatus {
        &self.status
    }
}

impl fmt::Display for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{}", path.display())?,
            None if self.status == FileStatus::NoHomeDirectory => {
                f.write_str(self.kind.default_path())?
            }
            None => write!(f, "the given {}", self.kind.noun())?,
        }
        let mut notes = Vec::new();
        if let Some(var) = self.named_by {
            notes.push(format!("from {var}"));
        }
        match &self.status {
            FileStatus::Loaded => {}
            FileStatus::NotFound => notes.push("not found".to_owned()),
            FileStatus::NoHomeDirectory => {
                notes.push("not read: no home directory, HOME and USERPROFILE are unset".into())
            }
            FileStatus::Unreadable(why) => notes.push(format!("unreadable: {why}")),
        }
        if !notes.is_empty() {
            write!(f, " ({})", notes.join(", "))?;
        }
        Ok(())
    }
}

impl ProfileSet {
    /// Reads the config file, then the credentials file, from the locations
    /// `env` gives (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, else
    /// under `env`'s home directory), and selects `AWS_PROFILE` (default
    /// `default`).
    ///
    /// Missing or unreadable files are recorded in [`files`](Self::files),
    /// not returned as errors (as in the AWS SDK for Rust); a file that
    /// breaks the format, or is larger than [`MAX_FILE_SIZE`], is an error.
    pub fn load(env: &Env) -> Result<Self, ProfileError> {
        Self::load_with_limit(env, MAX_FILE_SIZE)
    }

    pub(super) fn load_with_limit(env: &Env, max_file_size: usize) -> Result<Self, ProfileError> {
        let selected = env
            .get("AWS_PROFILE")
            .map(|p| p.trim().to_owned())
            .unwrap_or_else(|| "default".to_owned());
        let home = env.home_dir();
        let mut set = Self::empty(selected);
        for kind in [FileKind::Config, FileKind::Credentials] {
            let (text_path, named_by) = match env.get(kind.env_var()) {
                Some(path) => (path, Some(kind.env_var())),
                None => (kind.default_path().to_owned(), None),
            };
            let Some(path) = expand_home(&text_path, home.as_deref()) else {
                set.files.push(SourceFile {
                    kind,
                    path: None,
                    named_by,
                    status: FileStatus::NoHomeDirectory,
                });
                continue;
            };
            let status = match bounded::read_file(&path, max_file_size) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        set.merge_text(kind, Some(&path), &text)?;
                        FileStatus::Loaded
                    }
                    Err(e) => FileStatus::Unreadable(format!(
                        "not valid UTF-8 (byte {})",
                        e.utf8_error().valid_up_to()
                    )),
                },
                Err(BoundedReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                    FileStatus::NotFound
                }
                Err(BoundedReadError::Io(e)) => FileStatus::Unreadable(e.to_string()),
                Err(e @ BoundedReadError::TooLarge { .. }) => {
                    let named = match named_by {
                        Some(var) => format!("{var} names"),
                        None => format!("{} is", kind.default_path()),
                    };
                    return Err(ProfileError::file(
                        kind,
                        Some(&path),
                        format!(
                            "the file is {e} for a shared {}; the limit is fixed because real files are far smaller (a thousand profiles take about 200 KB): check that {named} the right file",
                            kind.noun()
                        ),
                    ));
                }
            };
            set.files.push(SourceFile {
                kind,
                path: Some(path),
                named_by,
                status,
            });
        }
        Ok(set)
    }
}

/// `~` or `~/…` under `home`; `None` when that needs a home and there is none.
fn expand_home(path: &str, home: Option<&Path>) -> Option<PathBuf> {
    let rest = if path == "~" {
        Some("")
    } else {
        path.strip_prefix("~/")
            .or_else(|| path.strip_prefix("~\\").filter(|_| cfg!(windows)))
    };
    match rest {
        None => Some(PathBuf::from(path)),
        Some(rest) => {
            let mut out = home?.to_path_buf();
            for part in rest.split(['/', '\\']).filter(|p| !p.is_empty()) {
                out.push(part);
            }
            Some(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn error_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "[default]\nregion = us-east-1\nbroken line\n").unwrap();
        let env = Env::from_vars([("AWS_CONFIG_FILE", config.to_str().unwrap())]);
        let err = ProfileSet::load(&env).unwrap_err();
        assert_eq!(err.line(), Some(3));
        assert_eq!(err.path(), Some(config.as_path()));
        assert_eq!(
            err.to_string(),
            format!(
                "error parsing {} line 3: expected an '=' sign defining a property",
                config.display()
            )
        );
    }

    #[test]
    fn load_from_env_paths_and_home() {
        let dir = tempfile::tempdir().unwrap();
        let aws = dir.path().join(".aws");
        std::fs::create_dir(&aws).unwrap();
        std::fs::write(
            aws.join("config"),
            "[profile dev]\nregion = from-config\nk = config\n",
        )
        .unwrap();
        std::fs::write(aws.join("credentials"), "[dev]\nk = credentials\n").unwrap();
        let home = dir.path().to_str().unwrap();

        // Default locations under HOME.
        let set =
            ProfileSet::load(&Env::from_vars([("HOME", home), ("AWS_PROFILE", "dev")])).unwrap();
        assert_eq!(set.selected_profile_name(), "dev");
        assert_eq!(set.get("region"), Some("from-config"));
        assert_eq!(set.get("k"), Some("credentials"));
        assert!(set
            .files()
            .iter()
            .all(|f| f.status() == &FileStatus::Loaded));
        assert_eq!(set.files()[0].path(), Some(aws.join("config").as_path()));

        // USERPROFILE when HOME is unset.
        let set = ProfileSet::load(&Env::from_vars([("USERPROFILE", home)])).unwrap();
        assert_eq!(set.selected_profile_name(), "default");
        assert!(set.profile("dev").is_some());

        // `~/` in an env-var path expands to the home directory.
        let set = ProfileSet::load(&Env::from_vars([
            ("HOME", home),
            ("AWS_CONFIG_FILE", "~/.aws/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "~/nothing-here"),
        ]))
        .unwrap();
        assert_eq!(set.profile("dev").unwrap().get("k"), Some("config"));
        assert_eq!(set.files()[1].status(), &FileStatus::NotFound);
        assert_eq!(
            set.files()[1].named_by(),
            Some("AWS_SHARED_CREDENTIALS_FILE")
        );
    }

    #[test]
    fn missing_files_are_not_errors_but_are_described() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let credentials = dir.path().join("credentials");
        // Explicitly named and missing: the SDK for Rust only warns; so do we.
        let set = ProfileSet::load(&Env::from_vars([
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ]))
        .unwrap();
        assert!(set.is_empty());
        assert_eq!(
            set.describe_files(),
            format!(
                "{} (from AWS_CONFIG_FILE, not found), {} (from AWS_SHARED_CREDENTIALS_FILE, not found)",
                config.display(),
                credentials.display()
            )
        );
        // Default locations without any home directory: nothing is read.
        let set = ProfileSet::load(&Env::from_vars([("AWS_PROFILE", "x")])).unwrap();
        assert!(set.is_empty());
        assert_eq!(set.files()[0].status(), &FileStatus::NoHomeDirectory);
        assert!(set.describe_files().starts_with(
            "~/.aws/config (not read: no home directory, HOME and USERPROFILE are unset)"
        ));
    }

    #[test]
    fn unreadable_files_are_recorded() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad"), b"[default]\nregion = \xff\n").unwrap();
        let set = ProfileSet::load(&Env::from_vars([
            ("AWS_CONFIG_FILE", dir.path().to_str().unwrap()), // a directory
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.path().join("bad").to_str().unwrap(),
            ),
        ]))
        .unwrap();
        assert!(matches!(set.files()[0].status(), FileStatus::Unreadable(_)));
        assert_eq!(
            set.files()[1].status(),
            &FileStatus::Unreadable("not valid UTF-8 (byte 19)".into())
        );
    }

    #[test]
    fn a_file_over_the_size_limit_is_an_error_naming_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = dir.path().join("credentials");
        let config = dir.path().join("config");
        std::fs::write(&config, "[default]\n").unwrap();
        // Exactly at the limit is fine; one byte more is not.
        std::fs::write(&credentials, "[default]\na = b\n").unwrap();
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ]);
        assert!(ProfileSet::load_with_limit(&env, 16).is_ok());
        std::fs::write(&credentials, "[default]\na = bc\n").unwrap();
        let err = ProfileSet::load_with_limit(&env, 16).unwrap_err();
        assert_eq!(err.line(), None);
        assert_eq!(err.file_kind(), FileKind::Credentials);
        assert_eq!(
            err.to_string(),
            format!(
                "cannot use {}: the file is larger than the limit of 16 bytes for a shared credentials file; \
                 the limit is fixed because real files are far smaller (a thousand profiles take about 200 KB): \
                 check that AWS_SHARED_CREDENTIALS_FILE names the right file",
                credentials.display()
            )
        );

        // The real limit, against a sparse file one byte over it.
        let big = std::fs::File::create(&config).unwrap();
        big.set_len(MAX_FILE_SIZE as u64 + 1).unwrap();
        let err = ProfileSet::load(&env).unwrap_err();
        assert!(
            err.to_string().contains(
                "larger than the limit of 16 MiB (16777216 bytes) for a shared config file"
            ),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_file_stops_at_the_limit() {
        // Claims size 0 and never ends: read whole, it would exhaust memory.
        let env = Env::from_vars([("AWS_CONFIG_FILE", "/dev/zero")]);
        let err = ProfileSet::load(&env).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot use /dev/zero: the file is larger than the limit of 16 MiB"),
            "{err}"
        );
        assert!(
            err.to_string()
                .ends_with("check that AWS_CONFIG_FILE names the right file"),
            "{err}"
        );
    }

    #[test]
    fn expand_home_rules() {
        let home = Path::new("/h");
        assert_eq!(expand_home("~", Some(home)), Some(PathBuf::from("/h")));
        assert_eq!(
            expand_home("~/a/b", Some(home)),
            Some(PathBuf::from("/h/a/b"))
        );
        assert_eq!(expand_home("~a/b", Some(home)), Some(PathBuf::from("~a/b")));
        assert_eq!(expand_home("/abs", None), Some(PathBuf::from("/abs")));
        assert_eq!(expand_home("~/a", None), None);
    }
}
