//! The line grammar: text → sections of `key = value` properties as
//! written (comments, continuation lines, sub-properties), in file order.
//! Nothing here decides what a section means; see `merge.rs`.

use super::{FileKind, Location, ProfileError};
use std::path::Path;

/// Spaces and tabs: the only characters the file format trims.
pub(super) const WHITESPACE: &[char] = &[' ', '\t'];
const COMMENT: &[char] = &['#', ';'];

/// A section as written, before validation.
pub(super) struct RawSection {
    pub(super) header: String,
    pub(super) line: usize,
    pub(super) properties: Vec<RawProperty>,
}

pub(super) struct RawProperty {
    pub(super) key: String,
    pub(super) value: String,
    pub(super) line: usize,
}

/// Parses the file's lines into sections of properties, in file order.
pub(super) fn parse(
    text: &str,
    kind: FileKind,
    path: Option<&Path>,
) -> Result<Vec<RawSection>, ProfileError> {
    // Editors on Windows may start the file with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sections: Vec<RawSection> = Vec::new();
    // The property continuation lines extend: its index in the last section,
    // and whether its value was empty (making the continuations sub-properties).
    let mut current: Option<(usize, bool)> = None;
    for (index, line) in text.lines().enumerate() {
        let error = |message: &str| {
            let location = Location {
                kind,
                path: path.map(Path::to_path_buf),
                line: index + 1,
            };
            ProfileError::at(location, message)
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
