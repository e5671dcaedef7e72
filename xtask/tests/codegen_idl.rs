//! `cargo xtask codegen --model PATH` with Smithy IDL: a `.smithy` file or
//! a directory, loaded with the shared trait definitions.

use codegen::model::ShapeId;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    xtask::project_root()
        .join("codegen/tests/fixtures")
        .join(name)
}

fn protocol_tests() -> PathBuf {
    let dir = xtask::project_root().join("../shared/protocol-tests/model");
    assert!(dir.is_dir(), "missing {}", dir.display());
    dir
}

#[test]
fn a_smithy_model_generates_the_crate_its_json_twin_does() {
    let root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    let from_json = xtask::generate_into(
        &root,
        &fixture("features.json"),
        None,
        &dir.path().join("a"),
        &xtask::OutCrate::default(),
    )
    .unwrap();
    let from_idl = xtask::generate_into(
        &root,
        &fixture("features.smithy"),
        None,
        &dir.path().join("b"),
        &xtask::OutCrate::default(),
    )
    .unwrap();
    assert_eq!(from_json.outputs[0].files, from_idl.outputs[0].files);
    let skipped = |g: &xtask::Generated| -> Vec<String> {
        g.skipped.iter().map(|s| s.name.clone()).collect()
    };
    assert_eq!(skipped(&from_json), skipped(&from_idl));
}

#[test]
fn a_directory_of_smithy_files_is_one_model() {
    let root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    // The awsJson1_0 service's files use shapes of ../shared-types.smithy
    // and traits of ../../traits/: the whole directory is one model.
    let generated = xtask::generate_into(
        &root,
        &protocol_tests(),
        Some("aws.protocoltests.json10#JsonRpc10"),
        dir.path(),
        &xtask::OutCrate::default(),
    )
    .unwrap();
    let files = &generated.outputs[0].files;
    assert!(
        files["Cargo.toml"].contains("name = \"aws-json-rpc-10\""),
        "named after the sdkId \"JSON RPC 10\":\n{}",
        files["Cargo.toml"]
    );
    assert!(files.contains_key("src/operation/simple_scalar_properties.rs"));

    // Several services: the error lists them.
    let Err(several) = xtask::generate_into(
        &root,
        &protocol_tests(),
        None,
        dir.path(),
        &xtask::OutCrate::default(),
    ) else {
        panic!("four services, none chosen");
    };
    assert!(
        format!("{several:#}").contains("aws.protocoltests.json10#JsonRpc10"),
        "{several:#}"
    );
}

#[test]
fn idl_models_load_with_the_shared_trait_definitions_json_models_alone() {
    let root = xtask::project_root();
    let trait_shape = ShapeId::new("aws.protocols#awsJson1_1");
    let idl = xtask::load_model(&root, &fixture("features.smithy")).unwrap();
    assert!(xtask::trait_definitions(&root).is_some());
    assert!(
        idl.shape(&trait_shape).is_some(),
        "the definition is loaded"
    );
    let json = xtask::load_model(&root, &fixture("features.json")).unwrap();
    assert!(
        json.shape(&trait_shape).is_none(),
        "JSON models are read as they are"
    );
}

#[test]
fn a_broken_smithy_model_is_an_error_with_file_line_and_column() {
    let root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.smithy");
    std::fs::write(
        &path,
        "$version: \"2\"\nnamespace a\n\nstructure S {\n    x: Nope\n}\n",
    )
    .unwrap();
    let Err(error) = xtask::generate_into(
        &root,
        &path,
        None,
        &dir.path().join("out"),
        &xtask::OutCrate::default(),
    ) else {
        panic!("the target does not exist");
    };
    assert_eq!(
        format!("{error:#}"),
        format!(
            "{}:5:8: unknown shape `Nope` (the target of member `x`): not imported with `use`, \
             not defined in namespace `a` by any file of the model, and not in the Smithy prelude",
            path.display()
        )
    );
}
