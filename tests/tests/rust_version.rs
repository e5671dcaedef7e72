//! The minimum supported Rust version, checked offline from `cargo
//! metadata`: every crate of the workspace declares the one the generator
//! writes into generated crates ([`codegen::emit::RUST_VERSION`]), and no
//! package of the lock file this platform builds (any target, any feature)
//! declares a newer one.

use codegen::emit::RUST_VERSION;
use serde_json::Value;
use std::process::Command;

/// The host's target triple, from `cargo -vV`.
fn host() -> String {
    let out = Command::new(env!("CARGO"))
        .arg("-vV")
        .output()
        .expect("running cargo -vV");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("cargo -vV names the host")
        .to_owned()
}

/// The resolved graph with every feature, for this platform: offline,
/// cargo can read the manifests only of packages a build has downloaded,
/// which are the host's (packages only other platforms use were checked
/// when the lock file was made, by the resolver's `fallback` mode; see
/// README).
fn metadata() -> Value {
    let host = host();
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .args(["--all-features", "--filter-platform", &host])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("running cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

/// `1.85` / `1.85.0` as numbers; `None` for anything else.
fn version(text: &str) -> Option<(u64, u64, u64)> {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().flatten().unwrap_or(0);
    let patch = parts.next().flatten().unwrap_or(0);
    Some((major, minor, patch))
}

/// A package of the resolved graph.
struct Package {
    name: String,
    version: String,
    rust_version: Option<String>,
    /// A member of this workspace.
    ours: bool,
}

fn packages(metadata: &Value) -> Vec<Package> {
    let members: Vec<&str> = metadata["workspace_members"]
        .as_array()
        .expect("workspace_members")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| Package {
            name: p["name"].as_str().unwrap_or_default().to_owned(),
            version: p["version"].as_str().unwrap_or_default().to_owned(),
            rust_version: p["rust_version"].as_str().map(str::to_owned),
            ours: members.contains(&p["id"].as_str().unwrap_or_default()),
        })
        .collect()
}

#[test]
fn every_workspace_crate_declares_the_generators_rust_version() {
    let packages = packages(&metadata());
    let ours: Vec<&Package> = packages.iter().filter(|p| p.ours).collect();
    assert!(
        ours.iter().any(|p| p.name == "aws-proton"),
        "the generated crate is a workspace member"
    );
    let wrong: Vec<String> = ours
        .iter()
        .filter(|p| p.rust_version.as_deref() != Some(RUST_VERSION))
        .map(|p| format!("{}: {:?}", p.name, p.rust_version))
        .collect();
    assert!(
        wrong.is_empty(),
        "not rust-version {RUST_VERSION}: {wrong:?}"
    );
}

#[test]
fn no_dependency_needs_a_newer_rust() {
    let ours = version(RUST_VERSION).expect("RUST_VERSION is a version");
    let packages = packages(&metadata());
    let deps: Vec<&Package> = packages.iter().filter(|p| !p.ours).collect();
    assert!(
        deps.len() > 50,
        "the lock file's packages are listed: {}",
        deps.len()
    );
    let newer: Vec<String> = deps
        .iter()
        .filter_map(|p| {
            let rv = p.rust_version.as_deref()?;
            match version(rv) {
                Some(needed) if needed <= ours => None,
                _ => Some(format!("{} {} needs Rust {rv}", p.name, p.version)),
            }
        })
        .collect();
    assert!(
        newer.is_empty(),
        "dependencies newer than rust-version {RUST_VERSION} (pick older versions in Cargo.lock, \
         e.g. `CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback cargo update -p NAME`): {newer:#?}"
    );
}

#[test]
fn versions_compare_as_numbers() {
    assert_eq!(version("1.85"), Some((1, 85, 0)));
    assert_eq!(version("1.85.1"), Some((1, 85, 1)));
    assert!(version("1.9").unwrap() < version("1.85").unwrap());
    assert_eq!(version("latest"), None);
}
