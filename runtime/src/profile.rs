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

use crate::env::Env;
use crate::REDACTED;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Spaces and tabs: the only characters the file format trims.
const WHITESPACE: &[char] = &[' ', '\t'];
const COMMENT: &[char] = &['#', ';'];

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

    fn noun(self) -> &'static str {
        match self {
            FileKind::Config => "config file",
            FileKind::Credentials => "credentials file",
        }
    }
}

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
    kind: FileKind,
    path: Option<PathBuf>,
    named_by: Option<&'static str>,
    status: FileStatus,
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

/// A shared file that does not follow the file format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileError {
    location: Location,
    message: String,
}

impl ProfileError {
    /// Where the bad line is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// What is wrong with it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error parsing {}: {}", self.location, self.message)
    }
}

impl std::error::Error for ProfileError {}

/// One `key = value` of a section, with where it was written.
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    value: String,
    location: Location,
}

impl Property {
    /// The value, trimmed; continuation lines are joined with `\n`.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Where the key was written.
    pub fn location(&self) -> &Location {
        &self.location
    }
}

/// A named section of key/value properties: a profile, or an
/// `[sso-session]` section.
#[derive(Clone, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, Property>,
}

impl Profile {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            properties: BTreeMap::new(),
        }
    }

    /// The profile's name (`dev` for `[profile dev]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of `key` (any letter case), if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(Property::value)
    }

    /// The property `key` (any letter case) with its location, if set.
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.get(key.to_ascii_lowercase().as_str())
    }

    /// The keys set, lower-cased, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty()
    }
}

/// Keys whose values `Debug` must not print: secrets, tokens, and
/// `credential_process` (whose arguments may carry secrets).
fn is_sensitive_key(key: &str) -> bool {
    key.contains("secret") || key.contains("token") || key == "credential_process"
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Values<'a>(&'a BTreeMap<String, Property>);
        impl fmt::Debug for Values<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (k, p) in self.0 {
                    if is_sensitive_key(k) {
                        map.entry(k, &REDACTED);
                    } else {
                        map.entry(k, &p.value);
                    }
                }
                map.finish()
            }
        }
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &Values(&self.properties))
            .finish()
    }
}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A property does not know its key, so it cannot tell whether it is
        // a secret: print where it is, never what it is.
        f.debug_struct("Property")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// A `[services NAME]` section: per-service settings, written as
/// sub-properties.
///
/// ```ini
/// [services local]
/// proton =
///   endpoint_url = http://localhost:4566
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicesSection {
    name: String,
    services: BTreeMap<String, BTreeMap<String, String>>,
}

impl ServicesSection {
    /// The section's name (`local` above).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The setting `key` for `service` (the service's `sdkId`, lower-cased
    /// with spaces as `_`: `proton`); any letter case.
    pub fn get(&self, service: &str, key: &str) -> Option<&str> {
        self.services
            .get(service.to_ascii_lowercase().as_str())?
            .get(key.to_ascii_lowercase().as_str())
            .map(String::as_str)
    }

    /// The services this section configures.
    pub fn service_names(&self) -> impl Iterator<Item = &str> {
        self.services.keys().map(String::as_str)
    }
}

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

    /// Reads the config file, then the credentials file, from the locations
    /// `env` gives (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, else
    /// under `env`'s home directory), and selects `AWS_PROFILE` (default
    /// `default`).
    ///
    /// Missing or unreadable files are recorded in [`files`](Self::files),
    /// not returned as errors (as in the AWS SDK for Rust); a file that
    /// breaks the format is an error.
    pub fn load(env: &Env) -> Result<Self, ProfileError> {
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
            let status = match std::fs::read(&path) {
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
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileStatus::NotFound,
                Err(e) => FileStatus::Unreadable(e.to_string()),
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

    /// Parses `text` as a file of `kind` and merges it in (later wins).
    fn merge_text(
        &mut self,
        kind: FileKind,
        path: Option<&Path>,
        text: &str,
    ) -> Result<(), ProfileError> {
        let sections = parse(text, kind, path)?;
        let location = |line| Location {
            kind,
            path: path.map(Path::to_path_buf),
            line,
        };

        // `[profile default]` anywhere in a config file hides that file's `[default]`.
        let has_prefixed_default = kind == FileKind::Config
            && sections
                .iter()
                .any(|s| split_header(&s.header) == (Some("profile"), "default"));

        for section in &sections {
            let at = location(section.line);
            let (prefix, name) = split_header(&section.header);
            let target = match (kind, prefix) {
                (FileKind::Config, None) if name == "default" => {
                    if has_prefixed_default {
                        self.warn(
                            Some("default"),
                            format!("[default] at {at} ignored: [profile default] in the same file takes priority"),
                        );
                        continue;
                    }
                    Target::Profile
                }
                (FileKind::Config, None) => {
                    self.warn(
                        Some(name),
                        format!(
                            "[{name}] at {at} ignored: in the config file a profile section must be written [profile {name}] (only [default] may omit `profile`)"
                        ),
                    );
                    continue;
                }
                (FileKind::Config, Some(prefix)) => {
                    if !is_valid_identifier(name) {
                        self.warn(
                            (prefix == "profile").then_some(name),
                            format!("[{prefix} {name}] at {at} ignored: `{name}` is not a valid name (allowed: letters, digits and _-/.%@:+)"),
                        );
                        continue;
                    }
                    match prefix {
                        "profile" => Target::Profile,
                        "sso-session" => Target::SsoSession,
                        "services" => Target::Services,
                        other => {
                            self.warn(
                                None,
                                format!("[{other} {name}] at {at} ignored: unknown section type `{other}`"),
                            );
                            continue;
                        }
                    }
                }
                (FileKind::Credentials, Some("profile")) => {
                    self.warn(
                        Some(name),
                        format!("[profile {name}] at {at} ignored: in the credentials file a profile section is written [{name}], without `profile`"),
                    );
                    continue;
                }
                (FileKind::Credentials, Some(prefix)) => {
                    self.warn(
                        None,
                        format!("[{prefix} {name}] at {at} ignored: such sections belong in the config file"),
                    );
                    continue;
                }
                (FileKind::Credentials, None) => {
                    if !is_valid_identifier(name) {
                        self.warn(
                            Some(name),
                            format!("[{name}] at {at} ignored: `{name}` is not a valid name (allowed: letters, digits and _-/.%@:+)"),
                        );
                        continue;
                    }
                    Target::Profile
                }
            };

            match target {
                Target::Profile | Target::SsoSession => {
                    let mut valid = Vec::new();
                    for p in &section.properties {
                        if is_valid_identifier(&p.key) {
                            valid.push(p);
                        } else {
                            self.warn(
                                None,
                                format!(
                                    "key `{}` at {} ignored: not a valid name (allowed: letters, digits and _-/.%@:+)",
                                    p.key,
                                    location(p.line)
                                ),
                            );
                        }
                    }
                    let map = if target == Target::Profile {
                        &mut self.profiles
                    } else {
                        &mut self.sso_sessions
                    };
                    let entry = map
                        .entry(name.to_owned())
                        .or_insert_with(|| Profile::new(name));
                    for p in valid {
                        entry.properties.insert(
                            p.key.clone(),
                            Property {
                                value: p.value.clone(),
                                location: location(p.line),
                            },
                        );
                    }
                }
                Target::Services => {
                    let mut parsed: Vec<(String, Vec<(String, String)>)> = Vec::new();
                    for p in &section.properties {
                        if !is_valid_identifier(&p.key) {
                            self.warn(
                                None,
                                format!(
                                    "`{}` at {} ignored: not a valid service name",
                                    p.key,
                                    location(p.line)
                                ),
                            );
                            continue;
                        }
                        let mut settings = Vec::new();
                        for line in p.value.split('\n').filter(|l| !l.trim().is_empty()) {
                            match line.split_once('=') {
                                Some((k, v)) => settings.push((
                                    k.trim_matches(WHITESPACE).to_ascii_lowercase(),
                                    v.trim_matches(WHITESPACE).to_owned(),
                                )),
                                None => self.warn(
                                    None,
                                    format!(
                                        "`{line}` under `{}` at {} ignored: a [services] section holds `service =` lines followed by indented `key = value` lines",
                                        p.key,
                                        location(p.line)
                                    ),
                                ),
                            }
                        }
                        parsed.push((p.key.clone(), settings));
                    }
                    let entry =
                        self.services
                            .entry(name.to_owned())
                            .or_insert_with(|| ServicesSection {
                                name: name.to_owned(),
                                services: BTreeMap::new(),
                            });
                    for (service, settings) in parsed {
                        entry.services.entry(service).or_default().extend(settings);
                    }
                }
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Profile,
    SsoSession,
    Services,
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

/// `[A-Za-z0-9_\-/.%@:+]+`
fn is_valid_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

/// Splits a header's inside into prefix and name: `profile  dev` →
/// (`profile`, `dev`); `dev` → (none, `dev`).
fn split_header(header: &str) -> (Option<&str>, &str) {
    let header = header.trim_matches(WHITESPACE);
    match header.split_once(WHITESPACE) {
        Some((prefix, name)) => (Some(prefix.trim()), name.trim()),
        None => (None, header.trim()),
    }
}

/// A section as written, before validation.
struct RawSection {
    header: String,
    line: usize,
    properties: Vec<RawProperty>,
}

struct RawProperty {
    key: String,
    value: String,
    line: usize,
}

/// Parses the file's lines into sections of properties, in file order.
fn parse(text: &str, kind: FileKind, path: Option<&Path>) -> Result<Vec<RawSection>, ProfileError> {
    // Editors on Windows may start the file with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Vec<RawSection> = Vec::new();
    // The property continuation lines extend: its index in the last section,
    // and whether its value was empty (making the continuations sub-properties).
    let mut current: Option<(usize, bool)> = None;
    for (index, line) in text.lines().enumerate() {
        let error = |message: &str| ProfileError {
            location: Location {
                kind,
                path: path.map(Path::to_path_buf),
                line: index + 1,
            },
            message: message.to_owned(),
        };
        if line.trim_matches(WHITESPACE).is_empty() || line.starts_with(COMMENT) {
            continue;
        }
        if line.starts_with('[') {
            let header = strip_comment(line, false)
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .ok_or_else(|| error("a section header must end with `]` (`[profile NAME]`)"))?;
            sections.push(RawSection {
                header: header.to_owned(),
                line: index + 1,
                properties: Vec::new(),
            });
            current = None;
        } else if line.starts_with(WHITESPACE) {
            let Some(section) = sections.last_mut() else {
                return Err(error(
                    "expected a section header like [default] before this indented line",
                ));
            };
            let Some((at, sub_properties)) = current else {
                return Err(error(
                    "this indented line continues no property (indented lines continue the value of the `key =` line above them)",
                ));
            };
            if sub_properties && !line.trim_matches(WHITESPACE).is_empty() {
                parse_property_line(line).map_err(|e| error(&e.message("sub-property")))?;
            }
            let property = &mut section.properties[at];
            property.value.push('\n');
            property.value.push_str(line.trim_matches(WHITESPACE));
        } else {
            let Some(section) = sections.last_mut() else {
                return Err(error(
                    "expected a section header like [default] before the first property",
                ));
            };
            let (key, value) =
                parse_property_line(line).map_err(|e| error(&e.message("property")))?;
            section.properties.push(RawProperty {
                key,
                value: value.to_owned(),
                line: index + 1,
            });
            current = Some((section.properties.len() - 1, value.is_empty()));
        }
    }
    Ok(sections)
}

enum PropertyError {
    NoEquals,
    NoName,
}

impl PropertyError {
    fn message(&self, what: &str) -> String {
        match self {
            PropertyError::NoEquals => format!("expected an '=' sign defining a {what}"),
            PropertyError::NoName => format!("{what} has no name before '='"),
        }
    }
}

/// `key = value # comment` → (`key`, `value`), key lower-cased.
fn parse_property_line(line: &str) -> Result<(String, &str), PropertyError> {
    let line = strip_comment(line, true);
    let (key, value) = line.split_once('=').ok_or(PropertyError::NoEquals)?;
    let key = key.trim_matches(WHITESPACE);
    if key.is_empty() {
        return Err(PropertyError::NoName);
    }
    Ok((key.to_ascii_lowercase(), value.trim_matches(WHITESPACE)))
}

/// Trims the line and cuts a trailing comment; in property lines the
/// comment character must follow whitespace (`b#c` is a value).
fn strip_comment(line: &str, needs_whitespace: bool) -> &str {
    let line = line.trim_matches(WHITESPACE);
    let mut previous_is_space = false;
    for (index, c) in line.char_indices() {
        if COMMENT.contains(&c) && (previous_is_space || !needs_whitespace) {
            return line[..index].trim_matches(WHITESPACE);
        }
        previous_is_space = c.is_whitespace();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    type Flat = BTreeMap<String, BTreeMap<String, String>>;

    fn flatten<'a>(sections: impl Iterator<Item = (&'a String, &'a Profile)>) -> Flat {
        sections
            .map(|(name, p)| {
                (
                    name.clone(),
                    p.properties
                        .iter()
                        .map(|(k, v)| (k.clone(), v.value.clone()))
                        .collect(),
                )
            })
            .collect()
    }

    fn profiles(set: &ProfileSet) -> Flat {
        flatten(set.profiles.iter())
    }

    fn expected(entries: &[(&str, &[(&str, &str)])]) -> Flat {
        entries
            .iter()
            .map(|(name, props)| {
                (
                    name.to_string(),
                    props
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                )
            })
            .collect()
    }

    /// Expected profiles: name and its `(key, value)` pairs.
    type Profiles = &'static [(&'static str, &'static [(&'static str, &'static str)])];

    /// One parser case: config text, credentials text, and either the
    /// profiles expected or a substring of the error.
    struct Case {
        name: &'static str,
        config: &'static str,
        credentials: &'static str,
        expect: Result<Profiles, &'static str>,
    }

    const fn ok(
        name: &'static str,
        config: &'static str,
        credentials: &'static str,
        profiles: Profiles,
    ) -> Case {
        Case {
            name,
            config,
            credentials,
            expect: Ok(profiles),
        }
    }

    const fn err(
        name: &'static str,
        config: &'static str,
        credentials: &'static str,
        message: &'static str,
    ) -> Case {
        Case {
            name,
            config,
            credentials,
            expect: Err(message),
        }
    }

    const CASES: &[Case] = &[
        // Sections and names.
        ok("empty files have no profiles", "", "", &[]),
        ok("empty profile", "[profile foo]", "", &[("foo", &[])]),
        ok(
            "all valid name characters",
            "[profile some-thing:long/the_one%only.foo@bar+]\n[profile foo!bar]",
            "",
            &[("some-thing:long/the_one%only.foo@bar+", &[])],
        ),
        ok("names are trimmed", "[profile \tfoo \t]", "", &[("foo", &[])]),
        ok("tab separates prefix", "[profile\tfoo]", "", &[("foo", &[])]),
        ok(
            "whitespace inside brackets",
            "[   profile foo    ]\nname = value\n[profile bar]",
            "",
            &[("bar", &[]), ("foo", &[("name", "value")])],
        ),
        ok("sneaky profile name without space", "[profilefoo]\nname = value\n[profile bar]", "", &[("bar", &[])]),
        ok(
            "invalid profile names are ignored, in both files",
            "[profile in valid]\nname = value",
            "[in valid 2]\nname2 = value2",
            &[],
        ),
        ok(
            "properties of an invalid profile are not merged elsewhere",
            "[profile foo]\nname = value\n[profile in valid]\nx = 1\n[profile bar]\nname = value2",
            "",
            &[("bar", &[("name", "value2")]), ("foo", &[("name", "value")])],
        ),
        err("header needs ]", "[profile foo", "", "line 1: a section header must end with `]`"),
        // config vs credentials prefixes
        ok("config: bare [NAME] is ignored", "[foo]\nname = value", "", &[]),
        ok("config: bare [default] is a profile", "[default]\nname = value", "", &[("default", &[("name", "value")])]),
        ok("credentials: [profile NAME] is ignored", "", "[profile foo]\nname = value", &[]),
        ok("credentials: bare [NAME] is a profile", "", "[foo]\nname = value", &[("foo", &[("name", "value")])]),
        ok(
            "credentials: whitespace in brackets",
            "",
            "[   foo    ]\nname = value\n[profile bar]",
            &[("foo", &[("name", "value")])],
        ),
        ok(
            "credentials: sso-session without space is a profile",
            "",
            "[sso-sessionfoo]\nname = value\n[bar]",
            &[("bar", &[]), ("sso-sessionfoo", &[("name", "value")])],
        ),
        // [profile default] vs [default]
        ok(
            "[profile default] beats [default] (prefixed first)",
            "[profile default]\nname = value\n[default]\nname2 = value2",
            "",
            &[("default", &[("name", "value")])],
        ),
        ok(
            "[profile default] beats [default] (prefixed last)",
            "[default]\nname2 = value2\n[profile default]\nname = value",
            "",
            &[("default", &[("name", "value")])],
        ),
        ok(
            "[profile default] sections merge, [default] dropped, credentials merged",
            "[profile default]\nname = value\n[default]\nname2 = value2\n[profile default]\nname3 = value3",
            "[default]\nsecret=foo",
            &[("default", &[("name", "value"), ("name3", "value3"), ("secret", "foo")])],
        ),
        // Properties.
        err("property outside a section", "name = value", "", "line 1: expected a section header"),
        ok("property", "[profile foo]\nname = value", "", &[("foo", &[("name", "value")])]),
        ok("CRLF line endings", "[profile foo]\r\nname = value\r\n", "", &[("foo", &[("name", "value")])]),
        ok("= inside a value", "[profile foo]\nname = val=ue", "", &[("foo", &[("name", "val=ue")])]),
        ok("unicode value", "[profile foo]\nname = 😂", "", &[("foo", &[("name", "😂")])]),
        ok(
            "several properties",
            "[profile foo]\nname = value\nname2 = value2",
            "",
            &[("foo", &[("name", "value"), ("name2", "value2")])],
        ),
        ok("keys and values trimmed", "[profile foo]\nname \t=  \tvalue \t", "", &[("foo", &[("name", "value")])]),
        ok("empty value", "[profile foo]\nname =", "", &[("foo", &[("name", "")])]),
        err("empty key", "[profile foo]\n= value", "", "line 2: property has no name"),
        err("no equals sign", "[profile foo]\nkey : value", "", "line 2: expected an '=' sign defining a property"),
        ok("keys are lower-cased", "[profile foo]\nName = Value", "", &[("foo", &[("name", "Value")])]),
        ok(
            "all valid key characters",
            "[profile foo]\nABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ = value",
            "",
            &[("foo", &[("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789-_", "value")])],
        ),
        ok("invalid keys are ignored", "[profile foo]\nin valid = value", "", &[("foo", &[])]),
        ok(
            "blank lines ignored",
            "\t \n[profile foo]\n\t\n \nname = value\n\t \n[profile bar]\n \t",
            "",
            &[("bar", &[]), ("foo", &[("name", "value")])],
        ),
        ok("byte-order mark", "\u{feff}[default]\na = b", "", &[("default", &[("a", "b")])]),
        // Comments.
        ok(
            "# comments",
            "# Comment\n[profile foo] # Comment\nname = value # Comment with # sign",
            "",
            &[("foo", &[("name", "value")])],
        ),
        ok(
            "; comments",
            "; Comment\n[profile foo] ; Comment\nname = value ; Comment with ; sign",
            "",
            &[("foo", &[("name", "value")])],
        ),
        ok("empty comments", ";\n[profile foo];\nname = value ;\n", "", &[("foo", &[("name", "value")])]),
        ok(
            "comment right after a header",
            "[profile foo]; Adjacent semicolons\n[profile bar]# Adjacent pound signs",
            "",
            &[("bar", &[]), ("foo", &[])],
        ),
        ok(
            "comment characters right after a value are part of it",
            "[profile foo]\nname = value; Adjacent semicolons\nname2 = value# Adjacent pound signs",
            "",
            &[("foo", &[("name", "value; Adjacent semicolons"), ("name2", "value# Adjacent pound signs")])],
        ),
        // Continuations.
        ok("continuation", "[profile foo]\nname = value\n -continued", "", &[("foo", &[("name", "value\n-continued")])]),
        ok(
            "several continuations",
            "[profile foo]\nname = value\n -continued\n -and-continued",
            "",
            &[("foo", &[("name", "value\n-continued\n-and-continued")])],
        ),
        ok("continuations trimmed", "[profile foo]\nname = value\n \t -continued \t ", "", &[("foo", &[("name", "value\n-continued")])]),
        ok(
            "continuations keep # and ;",
            "[profile foo]\nname = value\n -continued # Comment\nn2 = v\n -c ; C",
            "",
            &[("foo", &[("name", "value\n-continued # Comment"), ("n2", "v\n-c ; C")])],
        ),
        ok("indented # is a continuation, not a comment", "[profile foo]\nname = value\n # not a comment", "", &[("foo", &[("name", "value\n# not a comment")])]),
        err("continuation outside a section", " -continued", "", "line 1: expected a section header"),
        err("continuation outside a property", "[profile foo]\n -continued", "", "line 2: this indented line continues no property"),
        err(
            "a header resets continuation",
            "[profile foo]\nname = value\n[profile foo]\n -continued",
            "",
            "line 4: this indented line continues no property",
        ),
        // Sub-properties.
        ok("sub-properties", "[profile foo]\ns3 =\n name = value", "", &[("foo", &[("s3", "\nname = value")])]),
        err("sub-property without =", "[profile foo]\ns3 =\n invalid", "", "line 3: expected an '=' sign defining a sub-property"),
        ok("sub-property with empty value", "[profile foo]\ns3 =\n name =", "", &[("foo", &[("s3", "\nname =")])]),
        err("sub-property without name", "[profile foo]\ns3 =\n = value", "", "line 3: sub-property has no name"),
        ok("sub-property with invalid name kept raw", "[profile foo]\ns3 =\n in valid = value", "", &[("foo", &[("s3", "\nin valid = value")])]),
        ok(
            "blank lines between sub-properties",
            "[profile foo]\ns3 =\n name = value\n\t \n name2 = value2",
            "",
            &[("foo", &[("s3", "\nname = value\nname2 = value2")])],
        ),
        // Merging.
        ok(
            "same profile twice in a file merges",
            "[profile foo]\nname = value\n[profile foo]\nname2 = value2",
            "",
            &[("foo", &[("name", "value"), ("name2", "value2")])],
        ),
        ok("last duplicate key wins", "[profile foo]\nname = value\nname = value2", "", &[("foo", &[("name", "value2")])]),
        ok(
            "last duplicate key wins across sections",
            "[profile foo]\nname = value\n[profile foo]\nname = value2",
            "",
            &[("foo", &[("name", "value2")])],
        ),
        ok(
            "last duplicate key wins, any letter case",
            "[profile foo]\nName = value\n[profile foo]\nname = value2",
            "",
            &[("foo", &[("name", "value2")])],
        ),
        ok(
            "[profile dev] in config and [dev] in credentials are one profile",
            "[profile foo]\nname = value",
            "[foo]\nname2 = value2",
            &[("foo", &[("name", "value"), ("name2", "value2")])],
        ),
        ok(
            "credentials file wins on a shared key",
            "[profile foo]\nname = value",
            "[foo]\nname = value2",
            &[("foo", &[("name", "value2")])],
        ),
    ];

    #[test]
    fn parser_table() {
        let mut failures = Vec::new();
        for case in CASES {
            let got = ProfileSet::from_strs("default", case.config, case.credentials);
            match (&case.expect, got) {
                (Ok(want), Ok(set)) => {
                    if profiles(&set) != expected(want) {
                        failures.push(format!(
                            "{}: got {:?}, want {:?}",
                            case.name,
                            profiles(&set),
                            expected(want)
                        ));
                    }
                }
                (Err(want), Err(e)) => {
                    if !e.to_string().contains(want) {
                        failures.push(format!("{}: error `{e}` lacks `{want}`", case.name));
                    }
                }
                (Ok(_), Err(e)) => failures.push(format!("{}: unexpected error `{e}`", case.name)),
                (Err(want), Ok(set)) => failures.push(format!(
                    "{}: expected error `{want}`, parsed {:?}",
                    case.name,
                    profiles(&set)
                )),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn sso_sessions_and_services_sections() {
        let config = "[profile dev]\nregion = us-west-2\nservices = local\n\
                      credential_process = /opt/bin/creds --profile dev\n\
                      [services local]\nproton =\n  endpoint_url = http://localhost:4566\n  Other_Key = a=b\n\
                      s3 = plain-value-ignored\n\
                      [sso-session corp]\nsso_region = us-east-1\n\
                      [weird thing]\nx = y\n";
        let set = ProfileSet::from_strs("dev", config, "").unwrap();
        assert_eq!(set.get("region"), Some("us-west-2"));
        assert_eq!(
            set.service_setting("proton", "endpoint_url"),
            Some("http://localhost:4566")
        );
        assert_eq!(
            set.service_setting("PROTON", "ENDPOINT_URL"),
            Some("http://localhost:4566")
        );
        let local = set.services_section("local").unwrap();
        assert_eq!(local.get("proton", "other_key"), Some("a=b"));
        assert_eq!(local.service_names().collect::<Vec<_>>(), ["proton", "s3"]);
        assert_eq!(local.get("s3", "anything"), None);
        assert_eq!(
            set.sso_session("corp").unwrap().get("sso_region"),
            Some("us-east-1")
        );
        // sso-session and services sections are not profiles
        assert_eq!(set.profile_names().collect::<Vec<_>>(), ["dev"]);
        let warnings: Vec<_> = set.warnings().collect();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("[weird thing]") && w.contains("unknown section type")),
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|w| w.contains("plain-value-ignored")),
            "{warnings:?}"
        );
    }

    #[test]
    fn service_setting_needs_the_profile_to_name_the_section() {
        let config =
            "[default]\nregion = x\n[services local]\nproton =\n  endpoint_url = http://a\n";
        let set = ProfileSet::from_strs("default", config, "").unwrap();
        assert_eq!(set.service_setting("proton", "endpoint_url"), None);
        assert!(set.services_section("local").is_some());
    }

    #[test]
    fn property_locations_and_case_insensitive_get() {
        let set = ProfileSet::from_strs(
            "dev",
            "# c\n[profile dev]\n\nRegion = eu-west-1\n",
            "[dev]\naws_access_key_id = AK\n",
        )
        .unwrap();
        let profile = set.selected_profile().unwrap();
        assert_eq!(profile.get("REGION"), Some("eu-west-1"));
        let region = profile.property("region").unwrap();
        assert_eq!(region.location().line(), 4);
        assert_eq!(region.location().kind(), FileKind::Config);
        assert_eq!(region.location().to_string(), "config file line 4");
        let key = profile.property("aws_access_key_id").unwrap();
        assert_eq!(key.location().kind(), FileKind::Credentials);
        assert_eq!(key.location().line(), 2);
    }

    #[test]
    fn ignored_sections_are_explained() {
        let set =
            ProfileSet::from_strs("dev", "[dev]\nregion = x\n", "[profile dev]\na = b\n").unwrap();
        assert!(set.selected_profile().is_none());
        let about: Vec<_> = set.warnings_about("dev").collect();
        assert_eq!(about.len(), 2, "{about:?}");
        assert!(
            about[0].contains("[dev] at config file line 1 ignored"),
            "{about:?}"
        );
        assert!(about[0].contains("[profile dev]"), "{about:?}");
        assert!(
            about[1].contains("[profile dev] at credentials file line 1 ignored"),
            "{about:?}"
        );
    }

    #[test]
    fn debug_redacts_secrets() {
        let set = ProfileSet::from_strs(
            "default",
            "[default]\ncredential_process = /bin/creds --password hunter2\n",
            "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = SECRETKEY\naws_session_token = TOKENVALUE\n",
        )
        .unwrap();
        let debug = format!("{set:?}");
        assert!(debug.contains("AKIDEXAMPLE"), "{debug}");
        for secret in ["SECRETKEY", "TOKENVALUE", "hunter2"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains(REDACTED), "{debug}");
    }

    #[test]
    fn error_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "[default]\nregion = us-east-1\nbroken line\n").unwrap();
        let env = Env::from_vars([("AWS_CONFIG_FILE", config.to_str().unwrap())]);
        let err = ProfileSet::load(&env).unwrap_err();
        assert_eq!(err.location().line(), 3);
        assert_eq!(err.location().path(), Some(config.as_path()));
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
