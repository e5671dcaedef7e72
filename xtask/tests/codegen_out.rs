//! `cargo xtask codegen --model M --out DIR [--crate-name NAME] [--runtime-path PATH]`:
//! a standalone crate for any awsJson service, written where asked, that
//! depends on the runtime by version and path. Nothing here depends on
//! where the checkout or the system's temporary directory are.

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    xtask::project_root()
        .join("codegen/tests/fixtures")
        .join(name)
}

fn write(generated: &xtask::Generated) {
    for out in &generated.outputs {
        codegen::output::write(&out.dir, &out.files, out.prune).unwrap();
    }
}

/// The `(version, path)` of the runtime dependency in `manifest`.
fn runtime_dependency(manifest: &str) -> (String, String) {
    let line = manifest
        .lines()
        .find_map(|l| l.strip_prefix("aws-json-runtime = { version = \""))
        .unwrap_or_else(|| panic!("a versioned runtime dependency:\n{manifest}"));
    let (version, rest) = line
        .split_once("\", path = \"")
        .expect("version, then path");
    let path = rest
        .strip_suffix("\", default-features = false }")
        .expect("the path, then default features off (the crate forwards them)");
    (version.to_owned(), path.to_owned())
}

/// Where the crate in `dir` finds the runtime (`path` relative to `dir`, or absolute).
fn resolves_to(dir: &Path, path: &str) -> PathBuf {
    dir.join(path)
        .canonicalize()
        .unwrap_or_else(|e| panic!("{path} from {}: {e}", dir.display()))
}

#[test]
fn a_standalone_crate_is_written_into_the_directory_asked_for() {
    let root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("clients/features");
    let generated = xtask::generate_into(
        &root,
        &fixture("features.json"),
        None,
        &out,
        &xtask::OutCrate::default(),
    )
    .unwrap();
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
    // Relative or absolute depending on where the checkout and the temporary
    // directory are: either way it leads to this project's runtime.
    let (version, path) = runtime_dependency(&manifest);
    assert_eq!(
        resolves_to(&out, &path),
        root.join("runtime").canonicalize().unwrap()
    );
    assert_eq!(version, xtask::runtime_version(&root).unwrap());
    assert!(out.join("src/lib.rs").is_file());
    let skipped: Vec<&str> = generated.skipped.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(skipped, ["Subscribe"]);

    // Regenerating with another name rewrites only what changed, and a file
    // the user added beside the generated ones survives.
    std::fs::write(out.join("src/extra.rs"), "// mine\n").unwrap();
    let renamed = xtask::generate_into(
        &root,
        &fixture("features.json"),
        None,
        &out,
        &xtask::OutCrate {
            crate_name: Some("my-features"),
            ..Default::default()
        },
    )
    .unwrap();
    // Outside the project, stale files are named relative to the crate; the
    // name is in the manifest, the README, the docs' examples (crate docs,
    // mock module) and the user agent.
    assert_eq!(
        xtask::check(&root, &renamed).unwrap(),
        [
            "changed: Cargo.toml",
            "changed: README.md",
            "changed: src/client.rs",
            "changed: src/lib.rs",
            "changed: src/mock.rs"
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
    let generated = xtask::generate_into(
        &root,
        &fixture("enums.json"),
        None,
        &out,
        &xtask::OutCrate::default(),
    )
    .unwrap();
    let (_, path) = runtime_dependency(&generated.outputs[0].files["Cargo.toml"]);
    assert_eq!(path, "../../../../runtime");
}

/// A checkout inside the temporary directory (a clone under /tmp), with the
/// crate written beside it: the path is relative and still leads to the
/// checkout's runtime. The checkout is a copy of what generation reads from
/// it: the runtime's manifest and the fixture.
#[test]
fn a_checkout_under_the_temporary_directory_is_no_different() {
    let real_root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    let checkout = dir.path().join("clone");
    std::fs::create_dir_all(checkout.join("runtime")).unwrap();
    std::fs::copy(
        real_root.join("runtime/Cargo.toml"),
        checkout.join("runtime/Cargo.toml"),
    )
    .unwrap();
    let out = dir.path().join("out/enums");
    let generated = xtask::generate_into(
        &checkout,
        &fixture("enums.json"),
        None,
        &out,
        &xtask::OutCrate::default(),
    )
    .unwrap();
    let (version, path) = runtime_dependency(&generated.outputs[0].files["Cargo.toml"]);
    assert_eq!(path, "../../clone/runtime");
    assert_eq!(
        resolves_to(&out, &path),
        checkout.join("runtime").canonicalize().unwrap()
    );
    assert_eq!(version, xtask::runtime_version(&real_root).unwrap());
}

#[test]
fn the_runtime_path_can_be_chosen() {
    let root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    for chosen in ["../vendor/aws-json-runtime", "/opt/rust/aws-json-runtime"] {
        let generated = xtask::generate_into(
            &root,
            &fixture("enums.json"),
            None,
            dir.path(),
            &xtask::OutCrate {
                runtime_path: Some(chosen),
                ..Default::default()
            },
        )
        .unwrap();
        let (_, path) = runtime_dependency(&generated.outputs[0].files["Cargo.toml"]);
        assert_eq!(path, chosen, "written as given");
    }
}

#[test]
fn crates_ask_for_the_runtime_version_the_runtime_has() {
    let root = xtask::project_root();
    assert_eq!(
        xtask::runtime_version(&root).unwrap(),
        codegen::RUNTIME_VERSION,
        "codegen::RUNTIME_VERSION (the default for in-tree crates) follows runtime/Cargo.toml"
    );
}

#[test]
fn a_broken_model_is_an_error_naming_the_file() {
    let root = xtask::project_root();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    let Err(error) = xtask::generate_into(
        &root,
        &missing,
        None,
        dir.path(),
        &xtask::OutCrate::default(),
    ) else {
        panic!("a missing model should not generate");
    };
    assert!(format!("{error:#}").contains("nope.json"), "{error:#}");
}
