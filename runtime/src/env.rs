//! `Env`: the process environment, or a fixed map standing in for it.
//!
//! Everything in this crate that reads configuration from environment
//! variables (credentials, region, profile selection, file locations, the
//! home directory) reads it through an [`Env`], so tests can inject a map and
//! never see the real environment or the real `~/.aws`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// The process environment ([`Env::real`]) or an injected set of variables
/// ([`Env::from_vars`]).
///
/// Cloning is cheap. `Debug` prints variable *names* only: values such as
/// `AWS_SECRET_ACCESS_KEY` must never reach a log.
#[derive(Clone)]
pub struct Env {
    vars: Option<Arc<BTreeMap<String, String>>>,
}

impl Env {
    /// The real process environment, read at each [`get`](Self::get).
    pub fn real() -> Self {
        Self { vars: None }
    }

    /// A fixed environment holding exactly `vars`, for tests.
    ///
    /// ```
    /// use aws_json_runtime::env::Env;
    /// let env = Env::from_vars([("AWS_REGION", "eu-west-1"), ("AWS_PROFILE", " ")]);
    /// assert_eq!(env.get("AWS_REGION").as_deref(), Some("eu-west-1"));
    /// assert_eq!(env.get("AWS_PROFILE"), None); // blank counts as unset
    /// ```
    pub fn from_vars<I, K, V>(vars: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            vars: Some(Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            )),
        }
    }

    /// The value of `name`, or `None` when it is unset, blank (empty or only
    /// whitespace) or not valid Unicode.
    ///
    /// Blank counts as unset everywhere: the SDKs treat a blank
    /// `AWS_ACCESS_KEY_ID` as unset, and no AWS setting has a meaningful
    /// blank value, while `export AWS_REGION=` is a common way to "unset" a
    /// variable in a shell script. The value is otherwise returned as is
    /// (not trimmed).
    pub fn get(&self, name: &str) -> Option<String> {
        let value = match &self.vars {
            None => std::env::var(name).ok(),
            Some(vars) => vars.get(name).cloned(),
        }?;
        if value.trim().is_empty() {
            None
        } else {
            Some(value)
        }
    }

    /// Whether `name` is set to `true`, in any letter case (surrounding
    /// whitespace ignored).
    pub fn is_true(&self, name: &str) -> bool {
        self.get(name).and_then(|v| parse_bool(&v)) == Some(true)
    }

    /// The user's home directory: `HOME`, else `USERPROFILE`, else (on
    /// Windows) `HOMEDRIVE` + `HOMEPATH`; `None` when none is set.
    ///
    /// Read from this `Env`, never from the OS user database, so an injected
    /// environment without `HOME` has no home directory and no `~/.aws`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(home) = self.get("HOME") {
            return Some(PathBuf::from(home));
        }
        if let Some(home) = self.get("USERPROFILE") {
            return Some(PathBuf::from(home));
        }
        if cfg!(windows) {
            if let (Some(drive), Some(path)) = (self.get("HOMEDRIVE"), self.get("HOMEPATH")) {
                return Some(PathBuf::from(format!("{drive}{path}")));
            }
        }
        None
    }
}

/// A boolean setting, from the environment or a profile: `true` or `false`
/// in any letter case, surrounding whitespace ignored; anything else is
/// `None` (callers decide whether that is an error or `false`).
pub(crate) fn parse_bool(value: &str) -> Option<bool> {
    let value = value.trim();
    if value.eq_ignore_ascii_case("true") {
        Some(true)
    } else if value.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

impl Default for Env {
    /// The real process environment.
    fn default() -> Self {
        Self::real()
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.vars {
            None => f.write_str("Env::real()"),
            Some(vars) => f
                .debug_struct("Env")
                .field("names", &vars.keys().collect::<Vec<_>>())
                .finish_non_exhaustive(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injected_values_and_blank_as_unset() {
        let env = Env::from_vars([
            ("A", "x"),
            ("EMPTY", ""),
            ("SPACES", "  \t"),
            ("PADDED", " v "),
        ]);
        assert_eq!(env.get("A").as_deref(), Some("x"));
        assert_eq!(env.get("EMPTY"), None);
        assert_eq!(env.get("SPACES"), None);
        assert_eq!(env.get("PADDED").as_deref(), Some(" v "));
        assert_eq!(env.get("MISSING"), None);
    }

    #[test]
    fn is_true_ignores_case() {
        let env = Env::from_vars([("A", "TRUE"), ("B", "yes"), ("C", "true ")]);
        assert!(env.is_true("A"));
        assert!(!env.is_true("B"));
        assert!(env.is_true("C"));
        assert!(!env.is_true("D"));
    }

    #[test]
    fn parse_bool_reads_true_and_false_only() {
        assert_eq!(parse_bool(" TRUE\t"), Some(true));
        assert_eq!(parse_bool("False"), Some(false));
        for other in ["", "1", "yes", "truee", "t"] {
            assert_eq!(parse_bool(other), None, "{other}");
        }
    }

    #[test]
    fn home_dir_prefers_home_then_userprofile() {
        let env = Env::from_vars([("HOME", "/h"), ("USERPROFILE", "/u")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("/h")));
        let env = Env::from_vars([("USERPROFILE", "/u")]);
        assert_eq!(env.home_dir(), Some(PathBuf::from("/u")));
        let env = Env::from_vars([("HOME", "")]);
        assert_eq!(env.home_dir(), None);
    }

    #[test]
    fn debug_shows_names_not_values() {
        let env = Env::from_vars([("AWS_SECRET_ACCESS_KEY", "very-secret")]);
        let debug = format!("{env:?}");
        assert!(debug.contains("AWS_SECRET_ACCESS_KEY"), "{debug}");
        assert!(!debug.contains("very-secret"), "{debug}");
    }
}
