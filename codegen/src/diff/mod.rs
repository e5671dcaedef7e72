//! The API changelog between two versions of a service model.
//!
//! Both models are loaded and built into the IR exactly as for code
//! generation, and the two IRs are compared ([`compare()`]): the changelog
//! is about the generated Rust crate, so it reads the decisions the crate
//! is made of (names, presence, types, redaction, pagination, waiters,
//! endpoint rules) rather than re-reading the model's traits. This module
//! owns deciding what an update means for callers — which operations are
//! new, updated or removed, what each side of an updated operation gained
//! or lost, which changes are documentation-level only, and the semver
//! verdict ([`Verdict`]) — and renders that result as a changelog in the
//! style of the Python SDK's release notes ([`render_text`]) or as JSON
//! ([`render_json`]).
//!
//! In short:
//!
//! * operations are compared by name over those the crate offers
//!   (bound directly or through resources; see [`crate::ir::Service::skipped`]);
//! * an operation is *updated* when a type reachable from its input or
//!   output (through structures, unions, lists and maps) gained or lost a
//!   member or an enum value, or changed a member's type or presence
//!   (`T` vs `Option<T>`, checked by `build()`, its default), or when the
//!   operation gained or lost a modelled error, pagination or a waiter;
//! * documentation, deprecation, constraint traits (`@length`, `@pattern`,
//!   `@range`, `@uniqueItems`: the client does not enforce them) and other
//!   facts that leave the Rust API unchanged (redaction, timestamp wire
//!   format, idempotency tokens, host prefixes, error details, the
//!   endpoint rules) are reported as notes, never as updates;
//! * the verdict is about the generated Rust crate: see [`Verdict`].
//!
//! `compare` walks the two IRs (each seen through `view`), `verdict`
//! decides, `changes` holds the result types, `text` and `json` render them.

mod changes;
mod compare;
mod json;
mod text;
mod verdict;
mod view;

pub use changes::{
    ApiDiff, Delta, EnumDelta, EnumRename, Field, MemberChange, MemberDelta, NewOperation, Node,
    TraitChange, UpdatedError, UpdatedOperation, Verdict,
};
pub use compare::compare;
pub use view::{MAX_SHOWN_DEPTH, MAX_SHOWN_TYPES};
pub use json::render_json;
pub use text::render_text;

use crate::error::Error;
use crate::ir;
use crate::model::Model;
use std::path::Path;

/// Loads both model files with the codegen loader and compares them.
/// A file that does not load gives the loader's error.
pub fn diff_files(old: &Path, new: &Path, service: Option<&str>) -> Result<ApiDiff, Error> {
    let old = Model::load(old)?;
    let new = Model::load(new)?;
    diff(&old, &new, service)
}

/// Compares the service (`service`, or the only one) of two models: each
/// is built into the IR as for generation (a model the generator refuses
/// gives its error), then the IRs are compared.
pub fn diff(old: &Model, new: &Model, service: Option<&str>) -> Result<ApiDiff, Error> {
    let old = ir::build(old, ir::select_service(old, service)?)?;
    let new = ir::build(new, ir::select_service(new, service)?)?;
    Ok(compare(&old, &new))
}

#[cfg(test)]
mod tests;
