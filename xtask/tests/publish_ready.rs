//! The crates we publish (the runtime and the generated client) carry what
//! crates.io and docs.rs need, and nothing in them points only at a path:
//! `cargo package -p aws-json-runtime -p aws-proton` (run by `.ci/run`)
//! packages and builds them together; this test checks the manifests
//! without building anything.

use serde_json::Value;
use std::process::Command;

const PUBLISHED: [&str; 2] = ["aws-json-runtime", "aws-proton"];

fn metadata() -> Value {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(xtask::project_root())
        .output()
        .expect("cargo metadata runs");
    assert!(
        output.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}

fn package<'a>(metadata: &'a Value, name: &str) -> &'a Value {
    metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} is a workspace member"))
}

fn non_empty(package: &Value, field: &str) -> bool {
    match &package[field] {
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => false,
    }
}

#[test]
fn published_crates_have_the_metadata_crates_io_and_docs_rs_need() {
    let metadata = metadata();
    for name in PUBLISHED {
        let package = package(&metadata, name);
        for field in [
            "description",
            "license",
            "repository",
            "readme",
            "keywords",
            "categories",
            "rust_version",
        ] {
            assert!(non_empty(package, field), "{name}: `{field}` is missing");
        }
        assert_eq!(
            package["metadata"]["docs"]["rs"]["all-features"],
            Value::Bool(true),
            "{name}: docs.rs must build every feature (package.metadata.docs.rs)"
        );
        assert!(
            package["publish"].is_null(),
            "{name} must be publishable to crates.io"
        );
        let readme = package["readme"].as_str().unwrap_or_default();
        let manifest = package["manifest_path"].as_str().unwrap_or_default();
        let dir = std::path::Path::new(manifest).parent().expect("manifest dir");
        assert!(dir.join(readme).is_file(), "{name}: readme {readme} does not exist");
    }
}

/// A path-only dependency (`path = "…"` without `version`) cannot be
/// published; crates.io users get the version, local builds the path.
#[test]
fn published_crates_depend_on_each_other_by_version() {
    let metadata = metadata();
    for name in PUBLISHED {
        for dependency in package(&metadata, name)["dependencies"].as_array().expect("deps") {
            let dev = dependency["kind"] == "dev";
            if dependency["path"].is_string() && !dev {
                assert_ne!(
                    dependency["req"], "*",
                    "{name} depends on {} by path only",
                    dependency["name"]
                );
            }
        }
    }
    let runtime = package(&metadata, "aws-json-runtime")["version"].as_str().unwrap();
    let on_runtime = package(&metadata, "aws-proton")["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "aws-json-runtime")
        .expect("aws-proton depends on the runtime");
    let req = on_runtime["req"].as_str().unwrap();
    let major_minor = runtime.rsplit_once('.').map_or(runtime, |(mm, _)| mm);
    assert!(
        req.trim_start_matches(['^', '=']).starts_with(major_minor),
        "aws-proton requires aws-json-runtime {req}, the runtime is {runtime}"
    );
}
