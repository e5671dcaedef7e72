//! The shared `config` / `credentials` files: locating, parsing and merging
//! them into a [`ProfileSet`].
//!
//! The rules are those of the AWS SDKs and Tools reference (file format) as
//! implemented by the AWS SDK for Rust:
//!
//! * Lines starting with `#` or `;` are comments. After a section header a
//!   comment may follow directly (`[profile a]# c`); after a property value
//!   it needs whitespace before it (`a = b # c` is `b`, `a = b#c` is `b#c`).
//! * `key = value`, both trimmed of spaces and tabs; keys are lower-cased.
//!   A line starting with whitespace continues the previous value (joined
//!   with `\n`); if that value was empty the continuation lines are
//!   sub-properties (`key = value`), as in `[services]` sections.
//! * In the **config** file a profile is `[default]` or `[profile NAME]`;
//!   `[NAME]` is ignored, and `[profile default]` makes that file's
//!   `[default]` ignored. `[sso-session NAME]` and `[services NAME]` are other
//!   section types. In the **credentials** file a profile is `[NAME]` and
//!   `[profile NAME]` is ignored.
//! * Profiles of the same name are merged, config file first, so the
//!   credentials file wins on a key present in both.
//! * Profile, section and key names must match `[A-Za-z0-9_\-/.%@:+]+`;
//!   others are ignored.
//! * A missing file is not an error, whether at its default location or
//!   named by `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` (the Rust SDK
//!   only logs a warning for the latter). Nothing is lost, though: what was
//!   read, what was missing and every ignored section or key is kept in the
//!   [`ProfileSet`] ([`files`](ProfileSet::files),
//!   [`warnings`](ProfileSet::warnings)) so "profile not found" errors can
//!   say why.
//!
//! A line the grammar cannot read (a property outside any section, a
//! property without `=`, a header without `]`) is a [`ProfileError`] naming
//! the file and line.
//!
//! Module layout: `file.rs` locates and reads the two files, `parse.rs` is
//! the line grammar (text → raw sections), `merge.rs` the rules that turn
//! the raw sections of both files into profiles, and `section.rs` the
//! resulting [`Profile`] and [`ServicesSection`] types.

mod file;
mod merge;
mod parse;
mod section;
#[cfg(test)]
mod tests;

pub use file::{FileStatus, SourceFile, MAX_FILE_SIZE};
pub use section::{Profile, Property, ServicesSection};

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Which of the two shared files a text came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// The config file (`AWS_CONFIG_FILE`, default `~/.aws/config`).
    Config,
    /// The credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`).
    Credentials,
}

impl FileKind {
    /// The environment variable that overrides this file's location.
    pub fn env_var(self) -> &'static str {
        match self {
            FileKind::Config => "AWS_CONFIG_FILE",
            FileKind::Credentials => "AWS_SHARED_CREDENTIALS_FILE",
        }
    }

    /// The default location, relative to the home directory (`~`).
    pub fn default_path(self) -> &'static str {
        match self {
            FileKind::Config => "~/.aws/config",
            FileKind::Credentials => "~/.aws/credentials",
        }
    }

    pub(super) fn noun(self) -> &'static str {
        match self {
            FileKind::Config => "config file",
            FileKind::Credentials => "credentials file",
        }
    }
}

/// Where a value was written: file and 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    kind: FileKind,
    path: Option<PathBuf>,
    line: usize,
}

impl Location {
    /// The file's path (`None` for text given directly).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based line number.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Config or credentials file.
    pub fn kind(&self) -> FileKind {
        self.kind
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "{} line {}", path.display(), self.line),
            None => write!(f, "{} line {}", self.kind.noun(), self.line),
        }
    }
}

/// A shared file that cannot be used: a line that does not follow the file
/// format, or a file too large to be a shared config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    kind: FileKind,
    path: Option<PathBuf>,
    line: Option<usize>,
    message: String,
}

impl ProfileError {
    /// An error about one line.
    pub(crate) fn at(location: Location, message: impl Into<String>) -> Self {
        Self {
            kind: location.kind,
            path: location.path,
            line: Some(location.line),
            message: message.into(),
        }
    }

    /// An error about a file as a whole.
    pub(crate) fn file(kind: FileKind, path: Option<&Path>, message: impl Into<String>) -> Self {
        Self {
            kind,
            path: path.map(Path::to_path_buf),
            line: None,
            message: message.into(),
        }
    }

    /// Config or credentials file.
    pub fn file_kind(&self) -> FileKind {
        self.kind
    }

    /// The file's path (`None` for text given directly).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The 1-based number of the bad line; `None` when the error is about
    /// the file as a whole.
    pub fn line(&self) -> Option<usize> {
        self.line
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.line {
            Some(_) => "error parsing ",
            None => "cannot use ",
        })?;
        match &self.path {
            Some(path) => write!(f, "{}", path.display())?,
            None => f.write_str(self.kind.noun())?,
        }
        if let Some(line) = self.line {
            write!(f, " line {line}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ProfileError {}

/// The merged contents of the shared config and credentials files, and the
/// profile selected by `AWS_PROFILE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSet {
    selected: String,
    profiles: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Profile>,
    services: BTreeMap<String, ServicesSection>,
    files: Vec<SourceFile>,
    warnings: Vec<Warning>,
}

/// Something in a file that was ignored, and the profile it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Warning {
    about: Option<String>,
    message: String,
}

impl ProfileSet {
    fn empty(selected: String) -> Self {
        Self {
            selected,
            profiles: BTreeMap::new(),
            sso_sessions: BTreeMap::new(),
            services: BTreeMap::new(),
            files: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Parses the text of a config file and a credentials file (either may be
    /// empty) with `selected` as the selected profile; for tests and for
    /// callers that keep the files elsewhere.
    pub fn from_strs(
        selected: impl Into<String>,
        config: &str,
        credentials: &str,
    ) -> Result<Self, ProfileError> {
        let mut set = Self::empty(selected.into());
        for (kind, text) in [
            (FileKind::Config, config),
            (FileKind::Credentials, credentials),
        ] {
            set.merge_text(kind, None, text)?;
            set.files.push(SourceFile {
                kind,
                path: None,
                named_by: None,
                status: FileStatus::Loaded,
            });
        }
        Ok(set)
    }

    /// The same files with `name` selected instead (what
    /// `ConfigLoader::profile_name` does).
    pub fn with_selected_profile(mut self, name: impl Into<String>) -> Self {
        self.selected = name.into();
        self
    }

    /// The selected profile's name: `AWS_PROFILE`, or `default`.
    pub fn selected_profile_name(&self) -> &str {
        &self.selected
    }

    /// The selected profile, if the files define it.
    pub fn selected_profile(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// The value of `key` in the selected profile.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.selected_profile()?.get(key)
    }

    /// The profile called `name`.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The names of all profiles, sorted.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// Whether the files define no profile at all.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// The `[sso-session NAME]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// The `[services NAME]` section.
    pub fn services_section(&self, name: &str) -> Option<&ServicesSection> {
        self.services.get(name)
    }

    /// The setting `key` for `service` from the `[services]` section the
    /// selected profile names in its `services` key, e.g.
    /// `service_setting("proton", "endpoint_url")`.
    pub fn service_setting(&self, service: &str, key: &str) -> Option<&str> {
        let section = self.get("services")?;
        self.services.get(section)?.get(service, key)
    }

    /// The files looked for, in load order (config, then credentials).
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The files as one line for messages: `/h/.aws/config, /h/.aws/credentials (not found)`.
    pub fn describe_files(&self) -> String {
        if self.files.is_empty() {
            return "no files".to_owned();
        }
        self.files
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What the files contained that was ignored (invalid names, sections in
    /// the wrong file), each with its location.
    pub fn warnings(&self) -> impl Iterator<Item = &str> {
        self.warnings.iter().map(|w| w.message.as_str())
    }

    /// Warnings about sections that would have defined profile `name`.
    pub(crate) fn warnings_about<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.warnings
            .iter()
            .filter(move |w| w.about.as_deref() == Some(name))
            .map(|w| w.message.as_str())
    }

    fn warn(&mut self, about: Option<&str>, message: String) {
        self.warnings.push(Warning {
            about: about.map(str::to_owned),
            message,
        });
    }
}
