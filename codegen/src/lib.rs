//! Generates Rust clients for AWS services modelled in Smithy with the
//! awsJson1_0 / awsJson1_1 protocols.
//!
//! The pipeline has three stages, each testable alone:
//! [`model`] (JSON AST → typed shapes), [`ir`] (shapes → what the Rust code
//! looks like: names, optionality, operations), and [`emit`] (IR → tokens →
//! formatted files).

pub mod docs;
pub mod error;
pub mod model;
pub mod naming;

pub use error::Error;
