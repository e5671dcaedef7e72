//! Huge and hostile models, built here (no large file is checked in):
//! no walk of the generator recurses once per link of a chain of shapes,
//! and nesting that cannot be legitimate is a located error.
//!
//! Every test runs on a thread with a deliberately small stack
//! ([`STACK`], 2 MiB, in a debug build): a walk that recursed per link
//! would overflow it (an abort, not a failure), so passing proves the
//! bound rather than leaning on a big main-thread stack.
//!
//! * a chain of [`CHAIN`] structures, each `@required` in the next, builds
//!   into the IR (and the required-cycle check passes); closing it into a
//!   cycle is the usual error, with the chain shortened;
//! * the diff of two such chains finds a change at the far end (breaking,
//!   additive, none), shown as nested only [`codegen::diff::MAX_SHOWN_DEPTH`]
//!   deep; a lattice of structures sharing members diffs without exploring
//!   its exponentially many paths;
//! * a smaller chain generates the whole crate and its tests, and so do
//!   wide structures nested in each other (samples bounded in size);
//! * lists and maps nested past [`codegen::ir::MAX_COLLECTION_DEPTH`] are a
//!   located error, at the limit they generate;
//! * node values nested past what the JSON and IDL readers accept are
//!   errors at `file:line:column`; endpoint rule trees and function calls
//!   nested as deep as those readers allow generate.

use codegen::diff::{self, Verdict};
use codegen::Model;
use serde_json::{json, Map, Value};

/// The stack the tests run on.
const STACK: usize = 2 << 20;
/// Links in the long chains.
const CHAIN: usize = 50_000;
const NS: &str = "deep.models";

/// Runs `f` on a thread with a [`STACK`]-sized stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("a thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

fn id(name: &str) -> String {
    format!("{NS}#{name}")
}

/// A model of one service with one operation whose input and output each
/// hold `root` (member `head`), plus `shapes`; `service_traits` are added
/// to the service's.
fn model_with(shapes: Map<String, Value>, root: &str, service_traits: Value) -> String {
    let mut traits = json!({
        "aws.protocols#awsJson1_0": {},
        "aws.auth#sigv4": {"name": "deep"},
        "aws.api#service": {"sdkId": "Deep"}
    });
    if let (Some(all), Value::Object(more)) = (traits.as_object_mut(), service_traits) {
        all.extend(more);
    }
    let mut all = Map::new();
    all.insert(
        id("Deep"),
        json!({"type": "service", "version": "2024-01-01",
               "operations": [{"target": id("Op")}], "traits": traits}),
    );
    all.insert(
        id("Op"),
        json!({"type": "operation", "input": {"target": id("OpInput")},
               "output": {"target": id("OpOutput")}}),
    );
    for io in ["OpInput", "OpOutput"] {
        all.insert(
            id(io),
            json!({"type": "structure", "members": {"head": {"target": root}}}),
        );
    }
    all.extend(shapes);
    json!({"smithy": "2.0", "shapes": all}).to_string()
}

fn model(shapes: Map<String, Value>, root: &str) -> String {
    model_with(shapes, root, json!({}))
}

fn load(text: &str, source: &str) -> Model {
    Model::from_json(text, source).unwrap_or_else(|e| panic!("{source} loads: {e}"))
}

/// `S0` → `S1` → ... → `S{n-1}`, each through a `@required` member
/// `next`; the last one's `next` targets `last` (`S0` closes a cycle).
/// `extra` adds an optional string member `extra` to the last one.
fn chain(n: usize, last: &str, extra: bool) -> String {
    let mut shapes = Map::new();
    for i in 0..n {
        let target = if i + 1 < n {
            id(&format!("S{}", i + 1))
        } else {
            last.to_owned()
        };
        let mut members =
            json!({"next": {"target": target, "traits": {"smithy.api#required": {}}}});
        if extra && i + 1 == n {
            members["extra"] = json!({"target": "smithy.api#String"});
        }
        shapes.insert(
            id(&format!("S{i}")),
            json!({"type": "structure", "members": members}),
        );
    }
    model(shapes, &id("S0"))
}

#[test]
fn a_chain_of_50_000_required_structures_builds_and_closed_it_is_a_located_error() {
    on_small_stack(|| {
        let model = load(&chain(CHAIN, "smithy.api#String", false), "chain.json");
        let shape = codegen::ir::select_service(&model, None).expect("the service");
        let service = codegen::ir::build(&model, shape).expect("a legal chain builds");
        assert_eq!(service.types.len(), CHAIN);

        let closed = load(&chain(CHAIN, &id("S0"), false), "closed.json");
        let shape = codegen::ir::select_service(&closed, None).expect("the service");
        let message = codegen::ir::build(&closed, shape)
            .expect_err("a cycle of required members is refused")
            .to_string();
        assert!(message.contains(&format!("`{}`", id("S0"))), "{message}");
        assert!(
            message.contains("contains itself through @required members"),
            "{message}"
        );
        // The chain is shortened, not 50,000 members long.
        assert!(
            message.contains(&format!("… {} more …", CHAIN - 6)),
            "{message}"
        );
        assert!(message.len() < 1_000, "{} bytes", message.len());
    });
}

#[test]
fn the_diff_of_two_50_000_chains_finds_a_change_at_the_far_end() {
    on_small_stack(|| {
        let ir = |text: &str| {
            let model = load(text, "chain.json");
            let shape = codegen::ir::select_service(&model, None).expect("the service");
            codegen::ir::build(&model, shape).expect("builds")
        };
        let old = ir(&chain(CHAIN, "smithy.api#String", false));
        let retyped = ir(&chain(CHAIN, "smithy.api#Integer", false));
        let extended = ir(&chain(CHAIN, "smithy.api#String", true));

        let none = diff::compare(&old, &old);
        assert_eq!(none.verdict, Verdict::None, "{:?}", none.reasons);

        let breaking = diff::compare(&old, &retyped);
        assert_eq!(breaking.verdict, Verdict::Breaking);
        let last = format!("S{}.next", CHAIN - 1);
        assert!(
            breaking
                .reasons
                .iter()
                .any(|r| r.contains(&last) && r.contains("string -> integer")),
            "{:?}",
            breaking.reasons
        );
        let text = diff::render_text(&breaking, "2024/01/01");
        assert!(
            text.contains("changes nested deeper than the changelog shows"),
            "{text}"
        );
        assert!(diff::render_json(&breaking, "2024/01/01").contains("\"deeper\": true"));

        let additive = diff::compare(&old, &extended);
        assert_eq!(
            additive.verdict,
            Verdict::Additive,
            "{:?}",
            additive.reasons
        );
        assert_eq!(additive.updated_operations.len(), 1);
        // A new operation's types are shown to the same depth.
        let added = diff::compare(&without_op(), &old);
        assert_eq!(added.new_operations.len(), 1);
        let text = diff::render_text(&added, "2024/01/01");
        assert!(text.contains(", not expanded>"), "{text}");
    });
}

/// The IR of a model whose one operation is not `Op`.
fn without_op() -> codegen::ir::Service {
    let text = model(Map::new(), "smithy.api#String").replace("#Op\"", "#Other\"");
    let model = load(&text, "other.json");
    let shape = codegen::ir::select_service(&model, None).expect("the service");
    codegen::ir::build(&model, shape).expect("builds")
}

/// `L0` .. `L{levels-1}`, each with members `a` and `b` both targeting the
/// next level (the last holds `leaf`): 2^levels paths through few shapes.
fn lattice(levels: usize, leaf: &str) -> String {
    let mut shapes = Map::new();
    for i in 0..levels {
        let next = if i + 1 < levels {
            id(&format!("L{}", i + 1))
        } else {
            leaf.to_owned()
        };
        shapes.insert(
            id(&format!("L{i}")),
            json!({"type": "structure", "members": {"a": {"target": next}, "b": {"target": next}}}),
        );
    }
    model(shapes, &id("L0"))
}

#[test]
fn a_lattice_of_shared_structures_diffs_without_walking_every_path() {
    on_small_stack(|| {
        // 2^60 paths: a walk of each would never end.
        let old = load(&lattice(60, "smithy.api#String"), "old.json");
        let new = load(&lattice(60, "smithy.api#Long"), "new.json");
        let found = diff::diff(&old, &new, None).expect("both build");
        assert_eq!(found.verdict, Verdict::Breaking);
        assert!(
            found
                .reasons
                .iter()
                .any(|r| r.contains("L59.a") && r.contains("string -> long")),
            "{:?}",
            found.reasons
        );
        let text = diff::render_text(&found, "2024/01/01");
        assert!(text.lines().count() < 1_000_000);
        let shape = codegen::ir::select_service(&new, None).expect("the service");
        let added = diff::compare(
            &without_op(),
            &codegen::ir::build(&new, shape).expect("builds"),
        );
        assert_eq!(added.new_operations.len(), 1);
        assert!(diff::render_text(&added, "2024/01/01").contains(", not expanded>"));
    });
}

#[test]
fn wide_structures_nested_in_each_other_generate_bounded_tests() {
    on_small_stack(|| {
        // 8 structures of 64 members, each member holding the next: the
        // generated tests' samples would expand 64^6 structures.
        let mut shapes = Map::new();
        for i in 0..8 {
            let next = if i + 1 < 8 {
                id(&format!("W{}", i + 1))
            } else {
                "smithy.api#String".to_owned()
            };
            let members: Map<String, Value> = (0..64)
                .map(|m| (format!("m{m}"), json!({"target": next})))
                .collect();
            shapes.insert(
                id(&format!("W{i}")),
                json!({"type": "structure", "members": members}),
            );
        }
        let model = load(&model(shapes, &id("W0")), "wide.json");
        let generated = codegen::generate(&model, None, &options()).expect("generates");
        let tests = generated.tests.expect("tests");
        // At most MAX_SAMPLE_TYPES structures of 64 members per sample.
        let bound = 4 * codegen::testgen::MAX_SAMPLE_TYPES * 64 * 40;
        assert!(tests.len() < bound, "{} bytes", tests.len());
    });
}

fn options() -> codegen::Options {
    codegen::Options {
        crate_name: Some("deep".to_owned()),
        test_support_crate: Some("workspace_tests".to_owned()),
        protocol_tests: true,
        ..codegen::Options::default()
    }
}

#[test]
fn a_chain_of_optional_structures_generates_the_crate_and_its_tests() {
    on_small_stack(|| {
        // Optional links: the generated tests' samples stop at their depth limit.
        let n = 1_000;
        let mut shapes = Map::new();
        for i in 0..n {
            let target = if i + 1 < n {
                id(&format!("S{}", i + 1))
            } else {
                "smithy.api#String".to_owned()
            };
            shapes.insert(
                id(&format!("S{i}")),
                json!({"type": "structure", "members": {"next": {"target": target}}}),
            );
        }
        let model = load(&model(shapes, &id("S0")), "chain.json");
        let generated = codegen::generate(&model, None, &options()).expect("generates");
        let all: String = generated.files.values().cloned().collect();
        assert!(all.contains(&format!("pub struct S{}", n - 1)));
        assert!(generated.tests.is_some());
    });
}

/// `C0` .. `C{depth-1}`: lists, or maps from string (`map`), each of the
/// next; the last of strings.
fn collections(depth: usize, map: bool) -> String {
    let mut shapes = Map::new();
    for i in 0..depth {
        let next = if i + 1 < depth {
            id(&format!("C{}", i + 1))
        } else {
            "smithy.api#String".to_owned()
        };
        let shape = if map {
            json!({"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": next}})
        } else {
            json!({"type": "list", "member": {"target": next}})
        };
        shapes.insert(id(&format!("C{i}")), shape);
    }
    let mut shapes_with_holder = shapes;
    shapes_with_holder.insert(
        id("Holder"),
        json!({"type": "structure", "members": {"deep": {"target": id("C0")}}}),
    );
    model(shapes_with_holder, &id("Holder"))
}

#[test]
fn lists_and_maps_nested_past_the_limit_are_a_located_error() {
    on_small_stack(|| {
        let limit = codegen::ir::MAX_COLLECTION_DEPTH;
        for map in [false, true] {
            let at_limit = load(&collections(limit, map), "limit.json");
            let generated = codegen::generate(&at_limit, None, &options());
            assert!(
                generated.is_ok(),
                "{:?}",
                generated.err().map(|e| e.to_string())
            );

            for depth in [limit + 1, 20_000] {
                let deep = load(&collections(depth, map), "deep.json");
                let message = codegen::generate(&deep, None, &options())
                    .expect_err("too deep")
                    .to_string();
                assert!(message.starts_with("deep.json"), "{message}");
                assert!(message.contains(&format!("`{}`", id("C0"))), "{message}");
                assert!(
                    message.contains(&format!("nests lists and maps more than {limit} deep")),
                    "{message}"
                );
                assert!(message.len() < 1_000, "{} bytes", message.len());
            }
        }
    });
}

/// Whether `message` starts `source:line:column`.
fn at_line_column(message: &str, source: &str) -> bool {
    message
        .strip_prefix(source)
        .and_then(|rest| rest.strip_prefix(':'))
        .is_some_and(|rest| {
            rest.splitn(3, ':')
                .take(2)
                .all(|n| n.trim().parse::<u32>().is_ok_and(|n| n > 0))
        })
}

#[test]
fn node_values_nested_past_what_the_readers_accept_are_located_errors() {
    on_small_stack(|| {
        // JSON: as deep as the reader accepts, a trait value loads and
        // generates; far deeper is an error at its line and column.
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let with_trait = |value: &str| {
            let mut text = model(Map::new(), "smithy.api#String");
            let at =
                text.find("\"traits\":{").expect("the service has traits") + "\"traits\":{".len();
            text.insert_str(at, &format!("\"x.y#deep\":{value},"));
            text
        };
        let kept = load(&with_trait(&nested(120)), "ok.json");
        codegen::generate(&kept, None, &options()).expect("a 120-deep value is kept");
        // Where the generator walks values: a document member's `@default`
        // and a protocol test's `params`, emitted as Rust expressions.
        let mut shapes = Map::new();
        let deep_value: Value = serde_json::from_str(&nested(100)).expect("JSON");
        shapes.insert(
            id("Holder"),
            json!({"type": "structure", "members": {
                "doc": {"target": "smithy.api#Document", "traits": {"smithy.api#default": deep_value}}
            }}),
        );
        let text = model(shapes, &id("Holder"));
        let generated = codegen::generate(&load(&text, "default.json"), None, &options())
            .expect("a 100-deep document default generates");
        let all: String = generated.files.values().cloned().collect();
        assert!(all.matches("Document::Array").count() >= 100);
        let mut text = model(Map::new(), "smithy.api#Document");
        let at = text.find("\"type\":\"operation\",").expect("the operation");
        let case = json!({"smithy.test#httpRequestTests": [{
            "id": "Deep", "protocol": "aws.protocols#awsJson1_0", "method": "POST", "uri": "/",
            "params": {"head": deep_value}
        }]});
        text.insert_str(at, &format!("\"traits\":{case},"));
        let generated = codegen::generate(&load(&text, "params.json"), None, &options())
            .expect("a 100-deep document parameter generates");
        let tests = generated.protocol_tests.expect("protocol tests").text;
        assert!(tests.matches("Document::Array").count() >= 100, "{tests}");

        for depth in [200, 100_000] {
            let message = Model::from_json(&with_trait(&nested(depth)), "deep.json")
                .expect_err("too deep")
                .to_string();
            assert!(at_line_column(&message, "deep.json"), "{message}");
        }

        // IDL: node values nest at most 64 deep.
        for depth in [65, 100_000] {
            let text = format!(
                "$version: \"2\"\nnamespace {NS}\n\n@documentation({})\nstring Deep\n",
                nested(depth)
            );
            let message = Model::from_idl(&text, "deep.smithy")
                .expect_err("too deep")
                .to_string();
            assert!(at_line_column(&message, "deep.smithy"), "{message}");
        }
    });
}

/// A rule set whose only rule is a tree `depth` trees deep, each level
/// with the condition `not(not(...(isSet(Region))))` `calls` calls deep.
fn rule_set(depth: usize, calls: usize) -> Value {
    let mut condition = json!({"fn": "isSet", "argv": [{"ref": "Region"}]});
    for _ in 0..calls {
        condition = json!({"fn": "not", "argv": [condition]});
        condition = json!({"fn": "not", "argv": [condition]});
    }
    let mut rule =
        json!({"conditions": [], "endpoint": {"url": "https://example.com"}, "type": "endpoint"});
    for _ in 0..depth {
        rule = json!({"conditions": [condition.clone()], "type": "tree", "rules": [
            rule,
            {"conditions": [], "error": "no region", "type": "error"}
        ]});
    }
    json!({
        "version": "1.0",
        "parameters": {"Region": {"type": "String", "builtIn": "AWS::Region"}},
        "rules": [rule]
    })
}

#[test]
fn endpoint_rules_nested_as_deep_as_json_allows_generate() {
    on_small_stack(|| {
        let tests = json!({"version": "1.0", "testCases": [
            {"documentation": "a region", "params": {"Region": "us-east-1"},
             "expect": {"endpoint": {"url": "https://example.com"}}},
            {"documentation": "none", "params": {}, "expect": {"error": "no region"}}
        ]});
        // Each tree level is two JSON levels, each `not` two: the deepest
        // the JSON reader accepts (128 levels) within the model.
        for (depth, calls) in [(58, 0), (1, 28)] {
            let text = model_with(
                Map::new(),
                "smithy.api#String",
                json!({"smithy.rules#endpointRuleSet": rule_set(depth, calls),
                       "smithy.rules#endpointTests": tests}),
            );
            let model = load(&text, "rules.json");
            let generated = codegen::generate(&model, None, &options());
            assert!(
                generated.is_ok(),
                "{depth} trees, {calls} calls: {}",
                generated.err().map(|e| e.to_string()).unwrap_or_default()
            );
        }
        // A rule set built in code (not read) deeper than the limit is
        // refused before anything walks it, naming where.
        for (depth, calls) in [(100, 0), (1, 100)] {
            let deep = rule_set(depth, calls);
            let message = codegen::endpoint_rules::compile_endpoint_rules(&deep, None)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                message.starts_with("endpointRuleSet.rules[0].")
                    && message.contains(&format!(
                        "nests more than {} levels",
                        codegen::endpoint_rules::MAX_NESTING
                    )),
                "{message}"
            );
        }
        // Deeper is the JSON reader's error, at its line and column.
        let text = model_with(
            Map::new(),
            "smithy.api#String",
            json!({"smithy.rules#endpointRuleSet": rule_set(100, 0)}),
        );
        let message = Model::from_json(&text, "rules.json")
            .expect_err("too deep")
            .to_string();
        assert!(at_line_column(&message, "rules.json"), "{message}");
    });
}
