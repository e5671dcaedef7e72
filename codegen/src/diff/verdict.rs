//! The semver verdict: the breaking changes found by the comparison (each
//! a culprit, most severe kind first), else what was added, else what
//! changed without touching the API.

use super::changes::{ApiDiff, Verdict};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Culprit kinds, most severe first: the verdict names culprits in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Culprit {
    RemovedOperation,
    RemovedMember,
    RemovedEnumValue,
    ChangedType,
    RequiredOnInput,
    OptionalOnOutput,
    RequiredOnOutput,
    OptionalNestedInput,
    Presence,
    BuildSignature,
    RenamedEnumValue,
    RemovedError,
    Pagination,
    RemovedWaiter,
}

/// The verdict on `diff` and why, given the breaking changes found.
pub(super) fn verdict(
    breaking: &BTreeSet<(Culprit, String)>,
    diff: &ApiDiff,
) -> (Verdict, Vec<String>) {
    if !breaking.is_empty() {
        let reasons = breaking.iter().map(|(_, what)| what.clone()).collect();
        return (Verdict::Breaking, reasons);
    }
    if diff.has_api_changes() {
        let mut reasons = Vec::new();
        let names = |v: Vec<&str>| few(&v, 5);
        if !diff.new_operations.is_empty() {
            reasons.push(format!(
                "new operations: {}",
                names(
                    diff.new_operations
                        .iter()
                        .map(|o| o.name.as_str())
                        .collect()
                )
            ));
        }
        if !diff.updated_operations.is_empty() {
            reasons.push(format!(
                "additions to {}",
                names(
                    diff.updated_operations
                        .iter()
                        .map(|o| o.name.as_str())
                        .collect()
                )
            ));
        }
        if !diff.updated_errors.is_empty() {
            reasons.push(format!(
                "additions to errors {}",
                names(
                    diff.updated_errors
                        .iter()
                        .map(|e| e.name.as_str())
                        .collect()
                )
            ));
        }
        return (Verdict::Additive, reasons);
    }
    let mut reasons = Vec::new();
    let docs = diff.docs_only_operations.len() + diff.docs_only_errors.len();
    if docs > 0 {
        reasons.push(format!(
            "no API change; documentation or traits changed in {} operations and {} errors",
            diff.docs_only_operations.len(),
            diff.docs_only_errors.len()
        ));
    } else {
        reasons.push("no API change".to_owned());
    }
    if !diff.constraint_changes.is_empty() {
        reasons.push(format!(
            "constraint traits changed at {} locations",
            diff.constraint_changes.len()
        ));
    }
    if !diff.trait_changes.is_empty() {
        reasons.push(format!(
            "other traits changed at {} locations",
            diff.trait_changes.len()
        ));
    }
    if !diff.service_changes.is_empty() {
        reasons.push(format!(
            "service changed: {}",
            diff.service_changes.join(", ")
        ));
    }
    if docs == 0
        && diff.constraint_changes.is_empty()
        && diff.trait_changes.is_empty()
        && diff.service_changes.is_empty()
    {
        return (
            Verdict::None,
            vec!["no change to operations, shapes or traits".to_owned()],
        );
    }
    (Verdict::DocsOnly, reasons)
}

/// `A, B, C, D, E and 3 more`.
fn few(names: &[&str], n: usize) -> String {
    let mut text = names.iter().take(n).copied().collect::<Vec<_>>().join(", ");
    if names.len() > n {
        let _ = write!(text, " and {} more", names.len() - n);
    }
    text
}
