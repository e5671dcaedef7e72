//! Helpers shared by the codegen integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

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

/// The project root.
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The target directory shared by the throwaway crates tests build (generated
/// fixture crates, endpoint resolvers): `target/throwaway` of the project,
/// so dependencies compile once across tests and runs.
pub fn throwaway_target_dir() -> PathBuf {
    project_root().join("target").join("throwaway")
}

/// Writes `contents` to `path`, creating parent directories.
pub fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create directory");
    }
    std::fs::write(path, contents).expect("write file");
}

fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// Runs `cargo <args>` in `dir` with warnings denied for rustc and rustdoc.
pub fn cargo(dir: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    Command::new(cargo_bin())
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-Dwarnings")
        .env("RUSTDOCFLAGS", "-Dwarnings")
        // Throwaway crates are built once per run: incremental data would only
        // cost disk (gigabytes for the synthetic crate) and time.
        .env("CARGO_INCREMENTAL", "0")
        // Would take precedence over RUSTFLAGS if inherited from an outer build.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// Whether `cargo clippy` is installed.
pub fn cargo_has_clippy() -> bool {
    Command::new(cargo_bin())
        .args(["clippy", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}
