//! The generated per-operation tests: sample values (recursion and depth
//! cuts, enum and union picks, the JSON they put on the wire) and the test
//! file for each fixture model.

mod common;

use codegen::ir::{self, Operation, Service};
use codegen::testgen::{Samples, TestOptions};
use codegen::Model;
use serde_json::{json, Value};

fn ir_service(model: &Model) -> Service {
    ir::build(model, ir::select_service(model, None).unwrap()).unwrap()
}

fn fixture_service(name: &str) -> Service {
    ir_service(&Model::load(&common::fixture(&format!("{name}.json"))).unwrap())
}

fn op<'s>(service: &'s Service, name: &str) -> &'s Operation {
    service.operations.iter().find(|o| o.name == name).unwrap()
}

/// The JSON of the sample input and output of `op`.
fn sample_json(samples: &Samples<'_>, service: &Service, op: &Operation) -> (Value, Value) {
    let input = samples.structure(&op.input).unwrap().to_json(service);
    let output = samples.structure(&op.output).unwrap().to_json(service);
    (input, output)
}

#[test]
fn recursion_is_cut_where_the_type_repeats() {
    let service = fixture_service("recursion");
    let walk = op(&service, "Walk");
    let (input, output) = sample_json(&Samples::new(&service), &service, walk);
    // `Tree.parent` (optional) is left unset, `children` and `byName` (lists
    // and maps of `Tree`) are empty; `Expr` takes its first variant.
    let tree = json!({"value": "value", "children": [], "byName": {}});
    assert_eq!(input, json!({"tree": tree, "expr": {"literal": 42}}));
    // `A.b` is a `B`, whose required `a` would repeat `A`: `B` cannot be
    // built, so the optional `b` is left unset.
    assert_eq!(
        output,
        json!({"tree": tree, "a": {}, "expr": {"literal": 42}})
    );
}

#[test]
fn nesting_is_cut_at_the_maximum_depth() {
    let service = fixture_service("recursion");
    let walk = op(&service, "Walk");
    // Depth 1 is the operation input itself: every named member is cut.
    let shallow = Samples::with_max_depth(&service, 1);
    assert_eq!(sample_json(&shallow, &service, walk).0, json!({}));

    // A required member that is cut makes its structure unbuildable.
    let enums = fixture_service("enums");
    let paint = op(&enums, "Paint");
    assert!(Samples::with_max_depth(&enums, 1)
        .structure(&paint.output)
        .is_none());
}

#[test]
fn enums_take_their_first_value() {
    let service = fixture_service("enums");
    let paint = op(&service, "Paint");
    let (input, output) = sample_json(&Samples::new(&service), &service, paint);
    assert_eq!(
        input["color"],
        json!("red"),
        "the enumValue, not the member name"
    );
    assert_eq!(input["level"], json!(1), "intEnum");
    assert_eq!(input["palette"], json!({"red": 42}), "enum map keys");
    assert_eq!(output["colors"], json!(["red"]));
}

#[test]
fn unions_take_their_first_buildable_variant() {
    let service = fixture_service("unions");
    let send = op(&service, "Send");
    let (input, output) = sample_json(&Samples::new(&service), &service, send);
    assert_eq!(input, json!({"value": {"text": "text"}}));
    assert_eq!(output["values"], json!([{"text": "text"}]));

    let model = Model::from_json(
        &json!({
            "smithy": "2.0",
            "shapes": {
                "example.pick#Pick": {
                    "type": "service", "version": "1", "operations": [{"target": "example.pick#Go"}],
                    "traits": {"aws.protocols#awsJson1_1": {}, "aws.auth#sigv4": {"name": "pick"}}
                },
                "example.pick#Go": {
                    "type": "operation",
                    "input": {"target": "example.pick#GoInput"},
                    "output": {"target": "example.pick#GoOutput"}
                },
                "example.pick#GoInput": {"type": "structure", "members": {
                    "node": {"target": "example.pick#Node"}
                }},
                "example.pick#GoOutput": {"type": "structure", "members": {
                    "signal": {"target": "example.pick#Signal", "traits": {"smithy.api#required": {}}}
                }},
                "example.pick#Node": {"type": "union", "members": {
                    "child": {"target": "example.pick#Node"},
                    "leaf": {"target": "smithy.api#String"}
                }},
                "example.pick#Signal": {"type": "union", "members": {
                    "none": {"target": "smithy.api#Unit"},
                    "some": {"target": "smithy.api#Integer"}
                }}
            }
        })
        .to_string(),
        "pick.json",
    )
    .unwrap();
    let service = ir_service(&model);
    let go = op(&service, "Go");
    let (input, output) = sample_json(&Samples::new(&service), &service, go);
    assert_eq!(
        input,
        json!({"node": {"leaf": "leaf"}}),
        "`child` would repeat `Node`"
    );
    assert_eq!(output, json!({"signal": {"none": {}}}), "a unit variant");
}

#[test]
fn samples_of_every_simple_type_match_the_wire_format() {
    let service = fixture_service("primitives");
    let echo = op(&service, "Echo");
    let (input, _) = sample_json(&Samples::new(&service), &service, echo);
    let fields: Vec<_> = echo
        .input
        .fields
        .iter()
        .map(|f| f.member.as_str())
        .collect();
    let object = input.as_object().unwrap();
    assert_eq!(
        object.keys().map(String::as_str).collect::<Vec<_>>(),
        fields,
        "every member, in model order"
    );
    assert_eq!(input["blob"], json!("YmxvYg=="));
    assert_eq!(input["boolean"], json!(true));
    assert_eq!(input["string"], json!("string"));
}

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(common::fixture(""))
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            (path.extension()? == "json").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    names
}

#[test]
fn generated_tests_are_deterministic_and_cover_every_operation() {
    let names = fixture_names();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        let model = Model::load(&common::fixture(&format!("{name}.json"))).unwrap();
        let generate = || {
            let options = codegen::Options {
                test_support_crate: Some("support".to_owned()),
                ..common::options(&name)
            };
            codegen::generate(&model, None, &options)
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .tests
                .expect("tests were asked for")
        };
        let first = generate();
        assert_eq!(first, generate(), "{name}: not deterministic");
        assert!(first.starts_with("// @generated"), "{name}");
        assert!(
            first.contains(&format!("fixture_{}::Client", name.replace('-', "_"))),
            "{name}: the client crate is named from the options"
        );
        let service = ir_service(&model);
        // Operations with a host prefix included: they go to the in-process double.
        let tested = service.operations.len();
        // Plus the crate docs' quick start and the child process it runs,
        // when an operation needs no input.
        let quick_start = if first.contains("async fn quick_start()") {
            assert!(first.contains("async fn quick_start_child()"), "{name}");
            2
        } else {
            0
        };
        assert_eq!(
            first.matches("#[tokio::test]").count(),
            tested + quick_start,
            "{name}: one test per operation"
        );
        for skipped in &service.skipped {
            assert!(
                first.contains(&format!("`{}`: not generated", skipped.name)),
                "{name}"
            );
        }
    }
}

/// The generated test file of fixture `name`, for client crate `my_client`
/// and support crate `my_support`.
fn tests_of(name: &str) -> String {
    codegen::testgen::generate(
        &fixture_service(name),
        &TestOptions {
            client_crate: "my_client".to_owned(),
            support_crate: "my_support".to_owned(),
        },
    )
    .unwrap()
}

#[test]
fn the_test_file_names_its_support_crate_and_checks_the_protocol() {
    let text = tests_of("primitives");
    assert!(text.contains("use my_support::{Recorded, Reply};"));
    assert!(text.contains("my_support::test_config(&server.url())"));
    assert!(text.contains("my_client::Client::new"));
    assert!(text.contains(r#"Some("PrimitiveService.Echo")"#));
    assert!(
        text.contains(r#"Some("application/x-amz-json-1.1")"#),
        "awsJson1_1"
    );
}

#[test]
fn an_operation_with_a_host_prefix_is_tested_through_the_in_process_double() {
    let text = tests_of("features");
    // `PutData` has `@endpoint(hostPrefix: "{bucket}.data.")`; its sample
    // `bucket` is the member's name.
    let put_data = text
        .split("async fn ")
        .find(|t| t.starts_with("put_data()"))
        .expect("a test for PutData");
    assert!(put_data.contains("start_in_process("), "{put_data}");
    assert!(
        put_data.contains(r#"request.uri, "https://bucket.data.in-process.test/", "the host prefix""#),
        "{put_data}"
    );
    assert!(text.contains("my_support::InProcess::config(&double)"));
    assert!(!text.contains("`PutData`: sends to"), "PutData is not left out");
}
