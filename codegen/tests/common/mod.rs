//! Helpers shared by the codegen integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `codegen/tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `../shared/models/<name>` next to the project root; fails loudly when absent.
pub fn shared_model(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models")
        .join(name);
    assert!(
        path.is_file(),
        "missing {}: the published models live in ../shared/models next to the project",
        path.display()
    );
    path
}

/// Options for fixture crates.
pub fn options(name: &str) -> codegen::Options {
    codegen::Options {
        crate_name: Some(format!("fixture-{name}")),
        ..codegen::Options::default()
    }
}

/// All generated files of a fixture, concatenated with their paths.
pub fn generate_fixture(name: &str) -> String {
    let model = codegen::Model::load(&fixture(&format!("{name}.json"))).unwrap();
    let files = codegen::generate(&model, None, &options(name))
        .unwrap()
        .files;
    let mut out = String::new();
    for (path, text) in files {
        out.push_str(&format!("=== {path} ===\n{text}\n"));
    }
    out
}
