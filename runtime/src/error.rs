//! Errors raised before a request leaves the client.

use std::fmt;

/// A builder was asked to build a value it cannot: a `@required` member is unset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    member: &'static str,
}

impl BuildError {
    /// `member` of `shape` is required but was not set.
    pub fn missing_member(shape: &'static str, member: &'static str) -> Self {
        Self { shape, member }
    }

    /// The shape being built, e.g. `CreateServiceInput`.
    pub fn shape(&self) -> &str {
        self.shape
    }

    /// The missing member, as named by its setter (e.g. `name`).
    pub fn member(&self) -> &str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is required by {} but was not set",
            self.member, self.shape
        )
    }
}

impl std::error::Error for BuildError {}

/// `value`, or the error naming `member` of `shape` when it is unset.
#[doc(hidden)]
pub fn required<T>(
    value: Option<T>,
    shape: &'static str,
    member: &'static str,
) -> Result<T, BuildError> {
    value.ok_or(BuildError { shape, member })
}
