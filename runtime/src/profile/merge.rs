//! The merge rules: which raw sections of the config and credentials files
//! become profiles, `[sso-session]` or `[services]` sections, which are
//! ignored (with a warning saying why), and how repeated sections and keys
//! combine (later wins, credentials file last).

use super::parse::{parse, WHITESPACE};
use super::section::{Profile, Property, ServicesSection};
use super::{FileKind, Location, ProfileError, ProfileSet};
use std::collections::BTreeMap;
use std::path::Path;

impl ProfileSet {
    /// Parses `text` as a file of `kind` and merges it in (later wins).
    pub(super) fn merge_text(
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
