//! The generated response property tests (`codegen::testgen::responses`):
//! one test and one output strategy per operation, one strategy per type a
//! response carries, recursive types cut to their sample, for every
//! fixture model.

mod common;

use codegen::ir::{self, Service};
use codegen::testgen::TestOptions;
use codegen::Model;

fn fixture_service(name: &str) -> Service {
    let model = Model::load(&common::fixture(&format!("{name}.json"))).unwrap();
    ir::build(&model, ir::select_service(&model, None).unwrap()).unwrap()
}

fn generate(service: &Service) -> String {
    codegen::testgen::responses::generate(
        service,
        &TestOptions {
            client_crate: "my_client".to_owned(),
            support_crate: "my_support".to_owned(),
        },
    )
    .unwrap()
}

#[test]
fn every_fixture_gets_one_deterministic_test_per_operation() {
    let mut names: Vec<String> = std::fs::read_dir(common::fixture(""))
        .unwrap()
        .filter_map(|e| {
            let path = e.unwrap().path();
            (path.extension()? == "json").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for name in names {
        let service = fixture_service(&name);
        let text = generate(&service);
        assert_eq!(text, generate(&service), "{name}: not deterministic");
        assert!(text.starts_with("// @generated"), "{name}");
        assert!(text.contains("use my_support::response_fuzz::{self as fuzz, Gen, Outcome};"));
        assert_eq!(
            text.matches("#[test]").count(),
            service.operations.len(),
            "{name}: one test per operation"
        );
        for op in &service.operations {
            let method = op.method.unraw();
            assert!(
                text.contains(&format!("fn output_{method}() -> Gen")),
                "{name}: {method}"
            );
            assert!(
                text.contains(&format!("fn {}()", op.method.as_str())),
                "{name}: {method}"
            );
            for e in &op.errors {
                assert!(
                    text.contains(&format!("Outcome::Modeled(\"{}\"", e.code)),
                    "{name}: {method} reads {}",
                    e.code
                );
            }
        }
    }
}

#[test]
fn recursive_types_hold_their_sample_and_get_no_strategy() {
    let text = generate(&fixture_service("recursion"));
    // Tree (through TreeList and TreeMap), A <-> B and Expr recurse.
    for recursive in ["tree", "a", "b", "expr"] {
        assert!(
            !text.contains(&format!("fn type_{recursive}()")),
            "{recursive}:\n{text}"
        );
    }
    assert!(text.contains("fuzz::literal("), "{text}");
}

#[test]
fn each_kind_of_type_gets_its_strategy() {
    let enums = generate(&fixture_service("enums"));
    assert!(enums.contains("fuzz::string_enum(&["), "{enums}");
    assert!(enums.contains("fuzz::int_enum(&["), "{enums}");
    let unions = generate(&fixture_service("unions"));
    assert!(unions.contains("fuzz::union("), "{unions}");
    assert!(unions.contains("fuzz::map("), "{unions}");
    assert!(unions.contains("fuzz::list("), "{unions}");
    let primitives = generate(&fixture_service("primitives"));
    for strategy in [
        "fuzz::string()",
        "fuzz::boolean()",
        "fuzz::integer(i8::MIN.into(), i8::MAX.into())",
        "fuzz::integer(i64::MIN, i64::MAX)",
        "fuzz::float32()",
        "fuzz::float64()",
        "fuzz::big_integer()",
        "fuzz::big_decimal()",
        "fuzz::epoch_seconds()",
        "fuzz::blob()",
        "fuzz::document()",
    ] {
        assert!(primitives.contains(strategy), "{strategy}:\n{primitives}");
    }
}
