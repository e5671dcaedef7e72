//! Which endpoint test cases the runtime's partition table contradicts: a
//! case whose expectation disagrees with what the compiled resolver will
//! answer, because that table differs from the one of the model's release,
//! is marked `#[ignore]` naming the partition fact ([`mark_stale_cases`]).
//!
//! A disagreement is put down to the table only when it explains it: the
//! case agrees once some of the boolean facts resolution read
//! (`supportsFIPS`, `supportsDualStack` of a partition looked up) are
//! flipped, the fewest first (`super::eval` runs the case each way). Any
//! other disagreement stays a failing test (a bug of the compiled resolver,
//! or of the model); a case the interpreter cannot evaluate is kept.

use super::eval::{canonical, run, Fact, Outcome, FLIPPABLE};
use super::typed::{Expect, RuleSet, TestCase};
use super::values::{attribute_rule_name, Ty};
use crate::ir::Document;
use crate::partitions::PartitionTable;
use std::collections::BTreeMap;

/// Whether `outcome` is what `expect` asks for, compared as the generated
/// test compares (headers and properties only when the case lists them).
fn agrees(outcome: &Outcome, expect: &Expect) -> bool {
    match (outcome, expect) {
        (Outcome::Error(got), Expect::Error(want)) => got == want,
        (
            Outcome::Endpoint {
                url,
                headers,
                properties,
            },
            Expect::Endpoint {
                url: want_url,
                headers: want_headers,
                properties: want_properties,
            },
        ) => {
            let headers_agree = want_headers.as_ref().is_none_or(|want| {
                let want: BTreeMap<String, Vec<String>> = want.iter().cloned().collect();
                &want == headers
            });
            let properties_agree = want_properties.as_ref().is_none_or(|want| {
                let want: BTreeMap<String, Document> =
                    want.iter().map(|(k, v)| (k.clone(), canonical(v))).collect();
                &want == properties
            });
            url == want_url && headers_agree && properties_agree
        }
        _ => false,
    }
}

/// A test case marked ignored, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaleCase {
    /// The test function's name.
    pub name: String,
    /// The reason, as `#[ignore]` gives it.
    pub reason: String,
}

/// Marks every test case of `rules` whose expectation disagrees with what
/// resolution gives under `table` when flipping some boolean facts of the
/// partitions it looked up makes it agree: its `ignore` names those facts,
/// as the case expects them and as `table` has them. Returns the cases
/// marked, in order.
pub fn mark_stale_cases(rules: &mut RuleSet, table: &PartitionTable) -> Vec<StaleCase> {
    let reasons: Vec<Option<String>> = rules
        .tests
        .iter()
        .map(|case| stale_reason(rules, case, table))
        .collect();
    let mut stale = Vec::new();
    for (case, reason) in rules.tests.iter_mut().zip(reasons) {
        if let Some(reason) = reason {
            stale.push(StaleCase {
                name: case.name.to_string(),
                reason: reason.clone(),
            });
            case.ignore = Some(reason);
        }
    }
    stale
}

/// Why `case` is stale under `table`, or `None` when it agrees or the
/// table does not explain the disagreement.
fn stale_reason(rules: &RuleSet, case: &TestCase, table: &PartitionTable) -> Option<String> {
    let first = run(rules, case, table, &[]);
    let outcome = first.outcome.ok()?;
    if agrees(&outcome, &case.expect) {
        return None;
    }
    // Every boolean fact of a partition looked up, read or not (a flip may
    // take resolution down a branch that reads another one).
    let facts: Vec<Fact> = first
        .looked_up
        .iter()
        .flat_map(|(partition, _)| FLIPPABLE.iter().map(move |m| (partition.clone(), *m)))
        .collect();
    // A handful of facts (two per partition looked up): every subset, the
    // smallest first.
    if facts.is_empty() || facts.len() > 8 {
        return None;
    }
    let mut subsets: Vec<Vec<Fact>> = (1u32..1 << facts.len())
        .map(|bits| {
            facts
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .map(|(_, f)| f.clone())
                .collect()
        })
        .collect();
    subsets.sort_by_key(Vec::len);
    let explains = |flipped: &Vec<Fact>| {
        let flipped_run = run(rules, case, table, flipped);
        // Only facts resolution read can explain it.
        flipped.iter().all(|f| flipped_run.read.contains(f))
            && flipped_run
                .outcome
                .is_ok_and(|o| agrees(&o, &case.expect))
    };
    let smallest = subsets.iter().find(|f| explains(f))?.len();
    // Every explanation of that size (FIPS with DualStack fails when either
    // is unsupported): the reason names them all.
    let explanations: Vec<Vec<Fact>> = subsets
        .into_iter()
        .filter(|f| f.len() == smallest && explains(f))
        .collect();
    Some(reason(&outcome, &first.looked_up, &explanations, table))
}

/// `stale expectation: the case expects partition `aws-iso` (region
/// `us-iso-east-1`) with supportsDualStack = false; the runtime's
/// partition table (partitions.json) has the opposite, and with it
/// resolution gives `https://…``; alternative explanations joined by `, or`.
fn reason(
    outcome: &Outcome,
    looked_up: &[(String, String)],
    explanations: &[Vec<Fact>],
    table: &PartitionTable,
) -> String {
    let expected: Vec<String> = explanations
        .iter()
        .map(|flipped| expectation(looked_up, flipped, table))
        .collect();
    let gives = match outcome {
        Outcome::Endpoint { url, .. } => format!("resolution gives `{url}`"),
        Outcome::Error(message) => format!("resolution fails with \"{message}\""),
    };
    format!(
        "stale expectation: the case expects {}; the runtime's partition table (partitions.json) has the opposite, and with it {gives}",
        expected.join(", or ")
    )
}

/// `partition `aws-iso` (region `us-iso-east-1`) with supportsDualStack =
/// false`: the `flipped` facts as the case expects them.
fn expectation(looked_up: &[(String, String)], flipped: &[Fact], table: &PartitionTable) -> String {
    let mut by_partition: Vec<String> = Vec::new();
    for (partition, region) in looked_up {
        let facts: Vec<&str> = flipped
            .iter()
            .filter(|(p, _)| p == partition)
            .map(|(_, method)| *method)
            .collect();
        if facts.is_empty() {
            continue;
        }
        let actual = table.partition(region);
        let expected: Vec<String> = facts
            .iter()
            .map(|method| {
                let value = if *method == "supports_fips" {
                    actual.supports_fips
                } else {
                    actual.supports_dual_stack
                };
                let name = attribute_rule_name(Ty::Partition, method).unwrap_or(method);
                format!("{name} = {}", !value)
            })
            .collect();
        by_partition.push(format!(
            "partition `{partition}` (region `{region}`) with {}",
            expected.join(" and ")
        ));
    }
    by_partition.join(" and ")
}
