//! The generation-time interpreter: which endpoint test cases the partition
//! table contradicts, and only those.

use super::stale::mark_stale_cases;
use crate::partitions::PartitionTable;
use serde_json::{json, Value};

/// A table where `us-iso-east-1` supports DualStack (as the runtime's newer
/// table says) and `aws-global` does not.
fn table() -> PartitionTable {
    let json = json!({"version": "1.1", "partitions": [
        {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
         "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                     "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"},
         "regions": {"us-east-1": {"description": "N. Virginia"},
                     "aws-global": {"description": "global", "supportsDualStack": false}}},
        {"id": "aws-iso", "regionRegex": "^us\\-iso\\-\\w+\\-\\d+$",
         "outputs": {"name": "aws-iso", "dnsSuffix": "c2s.ic.gov", "dualStackDnsSuffix": "api.aws.ic.gov",
                     "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-iso-east-1"},
         "regions": {"us-iso-east-1": {"description": "US ISO East"}}}
    ]});
    PartitionTable::from_json(&json.to_string()).expect("the test table reads")
}

/// The shape of the published rule sets: an endpoint URL (through
/// `parseURL`), then the partition with DualStack and `isValidHostLabel`.
fn rule_set() -> Value {
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": false, "type": "String"},
            "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": true, "default": false, "type": "Boolean"},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String"}
        },
        "rules": [
            {"conditions": [
                {"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                {"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"}
             ],
             "endpoint": {"url": "{url#scheme}://{url#authority}/custom"}, "type": "endpoint"},
            {"conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}
             ],
             "rules": [
                {"conditions": [{"fn": "not", "argv": [{"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, false]}]}],
                 "error": "Invalid region", "type": "error"},
                {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]}],
                 "rules": [
                    {"conditions": [{"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "p"}, "supportsDualStack"]}]}],
                     "endpoint": {"url": "https://svc.{Region}.{p#dualStackDnsSuffix}",
                                  "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}"}]},
                                  "headers": {"x-a": ["1", "2"]}},
                     "type": "endpoint"},
                    {"conditions": [], "error": "DualStack is enabled but this partition does not support DualStack", "type": "error"}
                 ],
                 "type": "tree"},
                {"conditions": [], "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}"}, "type": "endpoint"}
             ],
             "type": "tree"},
            {"conditions": [], "error": "Invalid Configuration: Missing Region", "type": "error"}
        ]
    })
}

fn case(documentation: &str, params: Value, expect: Value) -> Value {
    json!({"documentation": documentation, "params": params, "expect": expect})
}

fn ignored(cases: Vec<Value>) -> Vec<(String, Option<String>)> {
    let tests = json!({"version": "1.0", "testCases": cases});
    let mut rules = super::check(&rule_set(), Some(&tests)).expect("the rule set checks");
    let stale = mark_stale_cases(&mut rules, &table());
    let marked: Vec<(String, Option<String>)> = rules
        .tests
        .iter()
        .map(|t| (t.name.to_string(), t.ignore.clone()))
        .collect();
    let listed: Vec<(String, Option<String>)> = marked
        .iter()
        .filter(|(_, reason)| reason.is_some())
        .cloned()
        .collect();
    let returned: Vec<(String, Option<String>)> = stale
        .into_iter()
        .map(|s| (s.name, Some(s.reason)))
        .collect();
    assert_eq!(listed, returned, "every marked case is listed, in order");
    marked
}

#[test]
fn a_case_the_table_contradicts_is_marked_with_the_facts_it_read() {
    let marked = ignored(vec![
        case(
            "iso dualstack",
            json!({"Region": "us-iso-east-1", "UseDualStack": true}),
            json!({"error": "DualStack is enabled but this partition does not support DualStack"}),
        ),
        case(
            "global dualstack",
            json!({"Region": "aws-global", "UseDualStack": true}),
            json!({"error": "DualStack is enabled but this partition does not support DualStack"}),
        ),
    ]);
    let reason = marked[0].1.as_deref().expect("the iso case is stale");
    assert_eq!(
        reason,
        "stale expectation: the case expects partition `aws-iso` (region `us-iso-east-1`) \
         with supportsDualStack = false; the runtime's partition table (partitions.json) \
         has the opposite, and with it resolution gives \
         `https://svc.us-iso-east-1.api.aws.ic.gov`"
    );
    // A region override (aws-global) is read as the runtime reads it.
    assert_eq!(marked[1].1, None);
}

#[test]
fn cases_that_agree_are_kept_headers_and_properties_included() {
    let marked = ignored(vec![
        case(
            "plain",
            json!({"Region": "eu-west-1"}),
            json!({"endpoint": {"url": "https://svc.eu-west-1.amazonaws.com"}}),
        ),
        case(
            "dualstack",
            json!({"Region": "us-east-1", "UseDualStack": true}),
            json!({"endpoint": {
                "url": "https://svc.us-east-1.api.aws",
                "headers": {"x-a": ["1", "2"]},
                "properties": {"authSchemes": [{"signingRegion": "us-east-1", "name": "sigv4"}]}
            }}),
        ),
        case(
            "bad region",
            json!({"Region": "a_b"}),
            json!({"error": "Invalid region"}),
        ),
        case(
            "no region",
            json!({}),
            json!({"error": "Invalid Configuration: Missing Region"}),
        ),
    ]);
    assert!(
        marked.iter().all(|(_, reason)| reason.is_none()),
        "{marked:?}"
    );
}

#[test]
fn only_disagreements_the_partition_table_explains_are_marked() {
    let marked = ignored(vec![
        // Wrong, but no partition was read: a real failure, kept.
        case(
            "no region wrong",
            json!({}),
            json!({"error": "something else"}),
        ),
        // parseURL is not evaluated here: undetermined, kept.
        case(
            "endpoint",
            json!({"Region": "us-east-1", "Endpoint": "https://example.com"}),
            json!({"endpoint": {"url": "https://elsewhere.example.com/custom"}}),
        ),
        // A header the rules do not give: the partition was read, but no
        // flipped fact makes the case agree, so it is kept (and fails).
        case(
            "dualstack header",
            json!({"Region": "us-east-1", "UseDualStack": true}),
            json!({"endpoint": {"url": "https://svc.us-east-1.api.aws", "headers": {"x-a": ["1"]}}}),
        ),
    ]);
    assert_eq!(marked, [
        ("no_region_wrong".to_owned(), None),
        ("endpoint".to_owned(), None),
        ("dualstack_header".to_owned(), None),
    ]);
}

#[test]
fn a_marked_case_is_emitted_ignored_with_its_reason() {
    let tests = json!({"version": "1.0", "testCases": [case(
        "iso dualstack",
        json!({"Region": "us-iso-east-1", "UseDualStack": true}),
        json!({"error": "DualStack is enabled but this partition does not support DualStack"}),
    )]});
    let mut rules = super::check(&rule_set(), Some(&tests)).expect("the rule set checks");
    let before = crate::emit::endpoint::tests(&rules).to_string();
    assert!(!before.contains("ignore"), "{before}");
    mark_stale_cases(&mut rules, &table());
    let after = crate::emit::endpoint::tests(&rules).to_string();
    assert!(
        after.contains("# [ignore = \"stale expectation: the case expects partition"),
        "{after}"
    );
}
