//! Runtime shared by generated AWS JSON protocol clients (awsJson1_0 / awsJson1_1).
//!
//! Generated crates depend on this crate alone. What they need but users
//! should not touch is `#[doc(hidden)]`.
#![deny(missing_docs)]

pub mod document;
pub mod endpoint;

pub use document::{Document, Number};
