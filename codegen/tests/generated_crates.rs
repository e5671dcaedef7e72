//! Every fixture model, and a synthetic model of 300 operations and 2,000
//! shapes, generated into one throwaway workspace (`target/generated-crates`)
//! and built the way users build them: `cargo clippy --all-targets` and
//! `cargo doc` with warnings denied, then `cargo test`, which runs, against
//! the loopback server of `workspace-tests`, each fixture's generated
//! per-operation tests (`tests/operations.rs`, as for Proton) and its
//! hand-written wire tests (`fixtures/<name>.wire.rs`, copied to the crate's
//! `tests/wire.rs`).
//!
//! `GENERATED_CRATES_WRITE_ONLY=1` only writes the workspace, to work on a
//! fixture's wire tests there with `cargo test -p fixture-<name>`.

mod common;

use common::{cargo, cargo_has_clippy, fixture, project_root, throwaway_target_dir, write};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// Fixture models that generate a client crate (the `broken/` ones do not).
fn fixture_models() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture(""))
        .expect("fixtures directory")
        .map(|entry| entry.expect("fixture entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Writes the crate `name` generated from `model` into `workspace/name`,
/// with the fixture's wire tests when it has some.
fn write_crate(workspace: &Path, name: &str, model: &codegen::Model, wire_tests: Option<String>) {
    // One generated end-to-end test per operation, as for Proton (not for the
    // synthetic crate, which is only checked).
    let options = codegen::Options {
        crate_name: Some(format!("fixture-{name}")),
        // workspace = <root>/target/generated-crates
        runtime_path: "../../../runtime".to_owned(),
        test_support_crate: (name != "synthetic").then(|| "workspace_tests".to_owned()),
        ..codegen::Options::default()
    };
    let generated = codegen::generate(model, None, &options)
        .unwrap_or_else(|e| panic!("fixture `{name}` generates: {e}"));
    let mut files = generated.files;
    if let Some(operation_tests) = generated.tests {
        files.insert("tests/operations.rs".to_owned(), operation_tests);
    }
    let manifest = files.get_mut("Cargo.toml").expect("a Cargo.toml");
    let last_table = manifest.lines().rev().find(|l| l.starts_with('['));
    assert_eq!(
        last_table,
        Some("[dev-dependencies]"),
        "the generated Cargo.toml ends with its dev-dependencies"
    );
    manifest.push_str("workspace-tests = { path = \"../../../tests\" }\n");
    let dir = workspace.join(name);
    match wire_tests {
        Some(text) => {
            files.insert("tests/wire.rs".to_owned(), text);
        }
        None => {
            let _ = std::fs::remove_file(dir.join("tests/wire.rs"));
        }
    }
    // Only changed files are rewritten, so cargo rebuilds only what changed.
    codegen::output::write(&dir, &files, true).expect("write the generated crate");
}

fn run(workspace: &Path, what: &str, args: &[&str]) -> String {
    let started = Instant::now();
    let output = cargo(workspace, &throwaway_target_dir(), args);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The first errors say what is wrong; thousands more would bury them.
    let stderr: Vec<&str> = stderr.lines().take(300).collect();
    assert!(
        output.status.success(),
        "{what} failed on the generated crates (kept in {}):\n{stdout}\n{}",
        workspace.display(),
        stderr.join("\n")
    );
    println!("{what}: {:.1?}", started.elapsed());
    stdout
}

#[test]
fn generated_crates_are_warning_free_and_pass_their_tests() {
    let root = project_root();
    let workspace = root.join("target").join("generated-crates");
    let mut members = Vec::new();
    for name in fixture_models() {
        let model = codegen::Model::load(&fixture(&format!("{name}.json")))
            .unwrap_or_else(|e| panic!("fixture `{name}` loads: {e}"));
        let wire = std::fs::read_to_string(fixture(&format!("{name}.wire.rs"))).ok();
        write_crate(&workspace, &name, &model, wire);
        members.push(name);
    }

    let text = codegen::synthetic::model(300, 2000);
    let model = codegen::Model::from_json(&text, "synthetic model").expect("synthetic model loads");
    let started = Instant::now();
    write_crate(&workspace, "synthetic", &model, None);
    println!(
        "synthetic model (300 operations, {} shapes): generated and written in {:.0?} (debug build)",
        model.shapes.len(),
        started.elapsed()
    );
    members.push("synthetic".to_owned());

    let mut manifest = String::from(
        "# Throwaway workspace of generated crates, written by codegen/tests/generated_crates.rs.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for member in &members {
        writeln!(manifest, "    \"{member}\",").unwrap();
    }
    manifest.push_str("]\n");
    write(&workspace.join("Cargo.toml"), &manifest);
    // Same versions as the project, so nothing new is resolved or fetched.
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).expect("copy Cargo.lock");

    if std::env::var_os("GENERATED_CRATES_WRITE_ONLY").is_some() {
        println!(
            "generated crates written to {}; not built",
            workspace.display()
        );
        return;
    }
    // Every feature combination must be warning-free: none (what users
    // build by default) and all (`serde`, `test-util`; each is additive
    // and independent of the other).
    if cargo_has_clippy() {
        for (what, features) in [
            ("cargo clippy", None),
            ("cargo clippy --all-features", Some("--all-features")),
        ] {
            let mut args = vec!["clippy", "--workspace", "--all-targets"];
            args.extend(features);
            args.extend(["--", "-D", "warnings"]);
            run(&workspace, what, &args);
        }
    } else {
        println!("cargo clippy is not installed: clippy check of the generated crates skipped");
    }
    // The synthetic crate is checked by clippy only: its docs are those of the
    // fixtures at scale, and its tests would compile 300 operations' worth of
    // code again for one doctest.
    for (what, features) in [
        ("cargo doc", None),
        ("cargo doc --all-features", Some("--all-features")),
    ] {
        let mut args = vec![
            "doc",
            "--workspace",
            "--no-deps",
            "--exclude",
            "fixture-synthetic",
        ];
        args.extend(features);
        run(&workspace, what, &args);
    }
    // With every feature: the per-operation and wire tests, and the doc
    // tests of the features (the mock module's example).
    let stdout = run(
        &workspace,
        "cargo test --all-features",
        &[
            "test",
            "--workspace",
            "--all-features",
            "--exclude",
            "fixture-synthetic",
        ],
    );
    let wire_fixtures: Vec<&String> = members
        .iter()
        .filter(|name| fixture(&format!("{name}.wire.rs")).is_file())
        .collect();
    assert!(
        wire_fixtures.len() >= 6,
        "wire tests exist for the fixtures: {wire_fixtures:?}"
    );
    let passed = stdout
        .lines()
        .filter(|l| l.starts_with("test ") && l.ends_with(" ... ok"))
        .count();
    println!(
        "{passed} tests passed in the generated crates ({} with wire tests)",
        wire_fixtures.len()
    );
    let mock_examples = stdout
        .lines()
        .filter(|l| l.contains("src/mock.rs - mock") && l.ends_with(" ... ok"))
        .count();
    assert!(
        mock_examples >= 5,
        "the mock module's example runs in most fixtures: {mock_examples}"
    );
}
