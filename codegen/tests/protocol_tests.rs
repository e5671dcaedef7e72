//! The conformance suite's cases as the IR carries them: every client case
//! of every service typed (none skipped with the project's customizations),
//! and broken cases refused with where they are.

mod common;

use codegen::customize::Customizations;
use codegen::ir::{self, Expected, TestCase, TestKind, TypedValue};
use codegen::Model;
use std::path::PathBuf;

fn suite() -> Model {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/protocol-tests");
    Model::load_all(&[dir.join("model"), dir.join("traits")]).unwrap_or_else(|e| panic!("{e}"))
}

fn customizations() -> Customizations {
    Customizations::load(&common::project_root().join("model/customizations.json")).unwrap()
}

#[test]
fn every_client_case_of_the_suite_is_typed() {
    let model = suite();
    let customizations = customizations();
    let mut total = 0;
    let mut ids = std::collections::BTreeSet::new();
    for service in model.services() {
        let ir = ir::build_customized(&model, service, &customizations)
            .unwrap_or_else(|e| panic!("{e}"));
        for test in &ir.protocol_tests {
            assert!(test.case.is_ok(), "{}: skipped: {:?}", test.id, test.case);
            assert!(
                ids.insert((test.id.clone(), test.kind)),
                "{} twice",
                test.id
            );
            total += 1;
        }
    }
    // 199 cases in the suite, 10 of them for servers only.
    assert_eq!(total, 189);
}

#[test]
fn params_become_typed_values() {
    let model = suite();
    let service = model
        .services()
        .find(|s| s.id.as_str() == "aws.protocoltests.json#JsonProtocol")
        .unwrap();
    let ir = ir::build(&model, service).unwrap();
    let find = |id: &str, kind: TestKind| {
        ir.protocol_tests
            .iter()
            .find(|t| t.id == id && t.kind == kind)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let Ok(TestCase::Response(fractional)) =
        &find("AwsJson11DateTimeWithFractionalSeconds", TestKind::Response).case
    else {
        panic!("a response case")
    };
    let Expected::Output(members) = &fractional.expected else {
        panic!("an output")
    };
    assert_eq!(
        members[..],
        [(
            0,
            TypedValue::Timestamp {
                secs: 946_845_296,
                nanos: 123_000_000
            }
        )]
    );
    let sparse = find("AwsJson11SparseListsSerializeNull", TestKind::Request);
    assert_eq!(
        sparse.name.unraw(),
        "aws_json11_sparse_lists_serialize_null_request"
    );
    let Ok(TestCase::Request(request)) = &sparse.case else {
        panic!("a request case")
    };
    assert_eq!(
        request.input,
        [(0, TypedValue::List(vec![TypedValue::Null]))]
    );
    let Ok(TestCase::Response(error)) =
        &find("AwsJson11FooErrorUsingXAmznErrorType", TestKind::Response).case
    else {
        panic!("a response case")
    };
    assert!(matches!(&error.expected, Expected::Error { code, .. } if code == "FooError"));
    // Without the customization, the Machine Learning case still builds:
    // the hook is what sends it elsewhere.
    let ml = model
        .services()
        .find(|s| s.id.name() == "AmazonML_20141212")
        .unwrap();
    let plain = ir::build(&model, ml).unwrap();
    assert!(plain.operations[0].endpoint_from_input.is_none());
    let custom = ir::build_customized(&model, ml, &customizations()).unwrap();
    assert_eq!(
        custom.operations[0]
            .endpoint_from_input
            .as_ref()
            .map(|m| m.member.as_str()),
        Some("PredictEndpoint")
    );
}

const BROKEN: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "t#S": { "type": "service", "version": "1", "operations": [{"target": "t#Op"}],
             "traits": { "aws.protocols#awsJson1_0": {} } },
    "t#Op": { "type": "operation", "input": {"target": "t#In"},
              "traits": { "smithy.test#httpRequestTests": [
                  {"id": "Good", "protocol": "aws.protocols#awsJson1_0", "method": "POST", "uri": "/", "params": {"n": 1}},
                  {"id": "Bad", "protocol": "aws.protocols#awsJson1_0", "method": "POST", "uri": "/", "params": {"n": "one"}}
              ] } },
    "t#In": { "type": "structure", "members": { "n": {"target": "smithy.api#Integer"}, "u": {"target": "smithy.api#String"} } }
  }
}"#;

#[test]
fn params_that_do_not_fit_are_located() {
    let model = Model::from_json(BROKEN, "broken.json").unwrap();
    let e = codegen::generate(&model, None, &codegen::Options::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "broken.json: `t#Op`, trait `smithy.test#httpRequestTests`, at `[1].params.n`: \"one\" does not fit an integer"
    );
}

#[test]
fn customizations_are_checked_against_the_model() {
    let model = Model::from_json(&BROKEN.replace("\"n\": \"one\"", "\"n\": 2"), "m.json").unwrap();
    for (member, wanted) in [
        ("missing", "the input has no member `missing`"),
        ("n", "`n` is not a string"),
    ] {
        let options = codegen::Options {
            customizations: Customizations::from_json(
                &format!(r#"{{"endpointFromInput": [{{"operation": "t#Op", "member": "{member}", "why": "w"}}]}}"#),
                "c.json",
            )
            .unwrap(),
            ..codegen::Options::default()
        };
        let e = codegen::generate(&model, None, &options)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("customization `endpointFromInput`") && e.contains(wanted),
            "{e}"
        );
    }
}
