//! Runtime shared by generated AWS JSON protocol clients (awsJson1_0 / awsJson1_1).
//!
//! Generated crates depend on this crate alone. What they need but users
//! should not touch is `#[doc(hidden)]`.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod big_number;
pub mod blob;
mod bounded;
#[doc(hidden)]
pub mod client;
pub mod clock;
pub mod compression;
pub mod config;
pub mod credentials;
mod crypto;
pub mod datetime;
pub mod document;
pub mod endpoint;
pub mod enum_value;
pub mod env;
pub mod error;
pub mod http;
pub mod imds;
pub mod intercept;
#[doc(hidden)]
pub mod jmespath;
#[doc(hidden)]
pub mod json;
#[cfg(feature = "test-util")]
pub mod mocks;
pub mod paginator;
mod percent;
pub mod profile;
pub mod provider_config;
#[cfg(test)]
mod provider_limits_tests;
pub mod region;
#[cfg(test)]
mod reliability_tests;
pub mod retry;
#[cfg(feature = "serde")]
pub mod serde_wire;
pub mod sigv4;
#[cfg(test)]
mod test_util;
mod timeout;
pub mod trace;
pub mod waiter;

pub use big_number::{BigDecimal, BigInteger};
pub use blob::Blob;
pub use datetime::DateTime;
pub use document::{Document, Number};
pub use enum_value::UnknownValue;
pub use error::{
    BuildError, ErrorMeta, ProvideErrorMetadata, RequestError, RequestErrorKind, Unhandled,
};

/// What `Debug` prints in place of a value marked `@sensitive`.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";

/// Stands in for a sensitive value in `Debug` output: prints [`REDACTED`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl std::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(REDACTED)
    }
}
