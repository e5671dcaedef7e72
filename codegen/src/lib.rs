//! Generates Rust clients for AWS services modelled in Smithy with the
//! awsJson1_0 / awsJson1_1 protocols.
//!
//! The pipeline has three stages, each testable alone:
//! [`model`] (JSON AST → typed shapes), [`ir`] (shapes → what the Rust code
//! looks like: names, optionality, operations), and [`emit`] (IR → tokens →
//! formatted files). [`output`] writes the files and checks them for drift.

pub mod docs;
pub mod emit;
pub mod error;
pub mod ir;
pub mod model;
pub mod naming;
pub mod output;

pub use emit::{Files, Options};
pub use error::Error;
pub use model::Model;

/// Loads `model`, picks the service (`service`, or the only one), builds the
/// IR and emits the crate.
pub fn generate(model: &Model, service: Option<&str>, options: &Options) -> Result<Files, Error> {
    let shape = ir::select_service(model, service)?;
    let service = ir::build(model, shape)?;
    emit::generate(&service, options)
}
