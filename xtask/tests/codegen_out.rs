//! `cargo xtask codegen --model M --out DIR [--crate-name NAME]`: a
//! standalone crate for any awsJson service, written where asked.

fn fixture(name: &str) -> std::path::PathBuf {
    xtask::project_root()
        .join("codegen/tests/fixtures")
        .join(name)
}

fn write(generated: &xtask::Generated) {
    for out in &generated.outputs {
        codegen::output::write(&out.dir, &out.files, out.prune).unwrap();
    }
}

#[test]
fn a_standalone_crate_is_written_into_the_directory_asked_for() {
    let root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clients/features");
    let generated =
        xtask::generate_into(&root, &fixture("features.json"), None, &out, None).unwrap();
    assert_eq!(
        generated.outputs.len(),
        1,
        "only the crate: no Proton files, no partition table"
    );
    write(&generated);

    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains("name = \"aws-feature-test\""),
        "named after the sdkId:\n{manifest}"
    );
    let runtime = root.join("runtime").canonicalize().unwrap();
    assert!(
        manifest.contains(&format!("path = \"{}\"", runtime.display())),
        "depends on this project's runtime (absolute across roots):\n{manifest}"
    );
    assert!(out.join("src/lib.rs").is_file());
    let skipped: Vec<&str> = generated.skipped.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(skipped, ["DiscoveredOnly", "Subscribe"]);

    // Regenerating with another name rewrites only what changed, and a file
    // the user added beside the generated ones survives.
    std::fs::write(out.join("src/extra.rs"), "// mine\n").unwrap();
    let renamed = xtask::generate_into(
        &root,
        &fixture("features.json"),
        None,
        &out,
        Some("my-features"),
    )
    .unwrap();
    // Outside the project, stale files are named relative to the crate; the
    // name is in the manifest, the README, the docs' example and the user
    // agent.
    assert_eq!(
        xtask::check(&root, &renamed).unwrap(),
        [
            "changed: Cargo.toml",
            "changed: README.md",
            "changed: src/client.rs",
            "changed: src/lib.rs"
        ]
    );
    write(&renamed);
    assert!(std::fs::read_to_string(out.join("Cargo.toml"))
        .unwrap()
        .contains("name = \"my-features\""));
    assert!(out.join("src/extra.rs").is_file());
}

#[test]
fn inside_the_project_the_runtime_path_is_relative() {
    let root = xtask::project_root();
    let out = root.join("target/xtask-out-test/nested/crate");
    let generated = xtask::generate_into(&root, &fixture("enums.json"), None, &out, None).unwrap();
    let manifest = &generated.outputs[0].files["Cargo.toml"];
    assert!(
        manifest.contains(
            "aws-json-runtime = { path = \"../../../../runtime\", default-features = false }"
        ),
        "{manifest}"
    );
}

#[test]
fn a_broken_model_is_an_error_naming_the_file() {
    let root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let Err(error) = xtask::generate_into(&root, &missing, None, dir.path(), None) else {
        panic!("a missing model should not generate");
    };
    assert!(format!("{error:#}").contains("nope.json"), "{error:#}");
}
