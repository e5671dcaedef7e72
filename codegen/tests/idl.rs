//! Smithy IDL models: the conformance suite's models load, IDL twins of the
//! JSON fixtures generate byte-identical crates, IDL constructs mean what
//! their JSON AST equivalents mean, and broken IDL gives located errors.

mod common;

use codegen::model::ShapeId;
use codegen::Model;
use serde_json::Value;
use std::path::PathBuf;

fn generate(model: &Model, name: &str) -> codegen::Files {
    codegen::generate(model, None, &common::options(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .files
}

/// `../shared/protocol-tests/<dir>` next to the project.
fn protocol_tests(dir: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/protocol-tests")
        .join(dir);
    assert!(
        path.is_dir(),
        "missing {}: the conformance suite lives in ../shared/protocol-tests",
        path.display()
    );
    path
}

#[test]
fn the_conformance_suite_loads_with_its_trait_definitions() {
    let model = Model::load_all(&[protocol_tests("model"), protocol_tests("traits")])
        .unwrap_or_else(|e| panic!("{e}"));
    let services: Vec<&str> = model.services().map(|s| s.id.as_str()).collect();
    assert_eq!(
        services,
        [
            "aws.protocoltests.json#JsonProtocol",
            "aws.protocoltests.json10#JsonRpc10",
            "aws.protocoltests.json10#QueryCompatibleJsonRpc10",
            "com.amazonaws.machinelearning#AmazonML_20141212",
        ]
    );
    // Every test case is there once, with its protocol resolved through
    // the files' `use` statements.
    let mut ids = Vec::new();
    for shape in model.shapes.values() {
        for kind in [
            "smithy.test#httpRequestTests",
            "smithy.test#httpResponseTests",
        ] {
            for case in shape
                .traits
                .get(kind)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let protocol = case["protocol"].as_str().unwrap();
                assert!(
                    protocol.starts_with("aws.protocols#awsJson1_"),
                    "{protocol}"
                );
                ids.push((kind, case["id"].as_str().unwrap().to_owned()));
            }
        }
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    // `grep -c 'id: "'` over the suite finds 202: three are metadata.
    assert_eq!((count, ids.len()), (199, 199));
    // Trait definitions load as shapes; their mixins are flattened.
    let aws_json = &model.shapes[&ShapeId::new("aws.protocols#awsJson1_0")];
    assert!(aws_json.traits.has("smithy.api#trait"));
    let members: Vec<&str> = aws_json.members().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(members, ["http", "eventStreamHttp"]);
    assert!(
        !aws_json.traits.has("smithy.api#private"),
        "a local trait of the mixin"
    );
    assert_eq!(
        model.metadata["suppressions"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn idl_twins_of_fixtures_generate_byte_identical_crates() {
    for name in ["unions", "features", "resources"] {
        let json = Model::load(&common::fixture(&format!("{name}.json"))).unwrap();
        let idl = Model::load(&common::fixture(&format!("{name}.smithy")))
            .unwrap_or_else(|e| panic!("{e}"));
        let (json_files, idl_files) = (generate(&json, name), generate(&idl, name));
        assert_eq!(
            json_files.keys().collect::<Vec<_>>(),
            idl_files.keys().collect::<Vec<_>>(),
            "{name}"
        );
        for (path, text) in &json_files {
            assert!(text == &idl_files[path], "{name}: {path} differs");
        }
    }
}

fn idl_fixture(name: &str) -> PathBuf {
    common::fixture(&format!("idl/{name}"))
}

/// The shapes on which two models differ, for a readable failure.
fn differences(a: &Model, b: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for (id, shape) in &a.shapes {
        match b.shapes.get(id) {
            None => out.push(format!("only in the first: {id}")),
            Some(other) if other != shape => out.push(format!("{id}:\n  {shape:?}\n  {other:?}")),
            Some(_) => {}
        }
    }
    out.extend(
        b.shapes
            .keys()
            .filter(|id| !a.shapes.contains_key(*id))
            .map(|id| format!("only in the second: {id}")),
    );
    out
}

#[test]
fn every_idl_construct_means_what_its_json_ast_equivalent_means() {
    let idl = Model::load_all(&[idl_fixture("syntax.smithy"), idl_fixture("other.smithy")])
        .unwrap_or_else(|e| panic!("{e}"));
    let json = Model::load(&idl_fixture("syntax.json")).unwrap();
    assert_eq!(differences(&json, &idl), Vec::<String>::new());
    assert_eq!(json.metadata, idl.metadata);
}

#[test]
fn mixins_and_elided_targets_flatten_as_the_spec_orders() {
    let idl = Model::load(&idl_fixture("mixins.smithy")).unwrap_or_else(|e| panic!("{e}"));
    let flattened = Model::load(&idl_fixture("mixins.json")).unwrap();
    assert_eq!(differences(&flattened, &idl), Vec::<String>::new());
}

#[test]
fn broken_idl_gives_file_line_column_and_what_was_expected() {
    let cases = [
        ("apply-missing-member", "6:7: shape `a#S$missing`: `apply` targets a member that does not exist"),
        ("duplicate-member", "6:5: duplicate member `a` in `S`"),
        ("elided-not-an-identifier", "5:6: shape `a#S$id`: `$id` elides its target, but resource `a#R` has no identifier or property `id`"),
        ("elided-without-mixin", "5:6: `$id` elides its target, but `S` has no mixins (`with [...]`) or resource (`for ...`) to take it from"),
        ("enum-values-on-one-line", "5:14: expected a line break after the value of `A`, found `B`"),
        ("invalid-escape", "4:20: invalid escape `\\q` (expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX or an escaped line break)"),
        ("leading-zero", "5:18: a number cannot start with `0` followed by digits"),
        ("missing-colon", "5:10: expected `:` after member `name`, found `String`"),
        ("mixin-cycle", "8:1: shape `a#B`: mixins form a cycle through `a#A`"),
        ("mixin-of-another-type", "7:1: shape `a#I`: mixin `a#M` has type `string`, but `a#I` has type `integer`; a mixin must have the type of the shapes using it"),
        ("no-line-break", "4:10: expected a line break after the shape statement, found `string`"),
        ("redefined-member-target", "10:5: shape `a#S$id`: redefines an inherited member targeting `smithy.api#String` with target `smithy.api#Integer`; a redefined member must target the same shape"),
        ("shape-before-namespace", "3:1: a namespace statement must come before any shape or apply statement"),
        ("text-block-on-one-line", "4:16: a text block must start with a line break after the opening `\"\"\"`"),
        ("too-deep", "2:81: values nest more than 64 levels deep"),
        ("trait-conflict", "7:7: shape `a#S`: trait `smithy.api#documentation` is set twice with different values (\"one\" and \"two\")"),
        ("unclosed-structure", "6:1: expected a member name or `}` to close `S`, found the end of the file"),
        ("unclosed-trait", "5:1: expected `]`, found the end of the file"),
        ("unknown-service-property", "4:1: unknown property `operation` of service `S` (expected one of: version, operations, resources, errors, rename)"),
        ("unknown-target", "5:11: unknown shape `Strnig` (the target of member `name`): not imported with `use`, not defined in namespace `a` by any file of the model, and not in the Smithy prelude"),
        ("unknown-trait", "5:6: unknown trait `@requried`: not imported with `use`, not defined in namespace `a`, and not a Smithy prelude trait"),
        ("unsupported-version", "1:11: unsupported Smithy IDL version `3.0` (supported: 1.0, 2.x)"),
        ("unterminated-string", "4:16: unterminated string: expected a closing `\"`"),
        ("use-conflict", "4:5: `use y#Thing` conflicts with `use x#Thing`: both would be called `Thing`"),
    ];
    let dir = common::fixture("broken-idl");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let named: Vec<String> = cases
        .iter()
        .map(|(name, _)| format!("{name}.smithy"))
        .collect();
    assert_eq!(files, named, "every broken fixture has an expected message");
    for (name, expected) in cases {
        let path = dir.join(format!("{name}.smithy"));
        let err = Model::load(&path).expect_err(name).to_string();
        assert_eq!(err, format!("{}:{expected}", path.display()), "{name}");
    }
}

#[test]
fn idl_1_0_files_are_read_with_1_0_semantics_and_without_2_0_syntax() {
    let model = Model::from_idl(
        r#"$version: "1.0"
namespace a

@enum([{value: "x", name: "X"}])
string Letter

integer Count

@box
integer Maybe

set Tags {
    member: String
}

structure S {
    count: Count
    maybe: Maybe
    tags: Tags
}
"#,
        "v1.smithy",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(model.smithy_version, "1.0");
    let s = &model.shapes[&ShapeId::new("a#S")];
    let default = |name: &str| {
        s.members()
            .iter()
            .find(|m| m.name == name)
            .unwrap()
            .traits
            .get("smithy.api#default")
            .cloned()
    };
    assert_eq!(
        default("count"),
        Some(Value::from(0)),
        "non-boxed numbers default to 0 in 1.0"
    );
    assert_eq!(default("maybe"), None);
    assert!(model.shapes[&ShapeId::new("a#Tags")]
        .traits
        .has("smithy.api#uniqueItems"));
    assert!(matches!(
        model.shapes[&ShapeId::new("a#Letter")].kind,
        codegen::model::ShapeKind::Enum(_)
    ));

    let err = Model::from_idl(
        "$version: \"1.0\"\nnamespace a\nstructure S with [M] {}\n",
        "v1.smithy",
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "v1.smithy:3:13: mixins (`with [...]`): only in Smithy IDL 2.0 (this file says `$version: \"1.0\"`)"
    );
}

#[test]
fn files_of_both_formats_and_directories_are_one_model() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "shared.json",
        r#"{"smithy": "2.0", "shapes": {"a.shared#Id": {"type": "string"}}}"#,
    );
    write(
        "svc/main.smithy",
        "$version: \"2\"\nnamespace a.svc\nuse a.shared#Id\n\nstructure Thing {\n    id: Id\n    more: More\n}\n",
    );
    // Another file of the same namespace: `More` resolves across files,
    // and `apply` reaches a shape of the JSON file.
    write(
        "svc/more.smithy",
        "$version: \"2\"\nnamespace a.svc\n\nstring More\n\napply a.shared#Id @length(min: 1)\n",
    );
    // The same shape again, identically, is one shape; hidden directories
    // are not part of the model.
    write(
        "svc/again.smithy",
        "$version: \"2\"\nnamespace a.svc\n\nstring More\n",
    );
    write(".hidden/broken.smithy", "not a model");
    let model = Model::load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let thing = &model.shapes[&ShapeId::new("a.svc#Thing")];
    let targets: Vec<&str> = thing.members().iter().map(|m| m.target.as_str()).collect();
    assert_eq!(targets, ["a.shared#Id", "a.svc#More"]);
    assert!(model.shapes[&ShapeId::new("a.shared#Id")]
        .traits
        .has("smithy.api#length"));

    // A different definition of the same shape names both files.
    write(
        "svc/clash.smithy",
        "$version: \"2\"\nnamespace a.svc\n\ninteger More\n",
    );
    let err = Model::load(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("clash.smithy:4:1: shape `a.svc#More`: is defined differently in "),
        "{err}"
    );
    assert!(err.contains("again.smithy:4:1"), "{err}");
}
