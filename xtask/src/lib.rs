//! What `cargo xtask codegen` generates and where, shared by the CLI and
//! the test that keeps checked-in output from drifting.

use anyhow::{Context, Result};

pub mod protocol_tests;
use codegen::Files;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub mod update;
pub mod version;

/// The model the project's client is generated from, by name.
pub const DEFAULT_MODEL: &str = "proton-2020-07-20";

/// Where the generated per-operation end-to-end tests go, from the project root.
pub const OPERATION_TESTS: &str = "tests/tests/proton_operations.rs";

/// Where the generated response property tests go, from the project root.
pub const RESPONSE_TESTS: &str = "tests/tests/proton_responses.rs";

/// The crate the generated tests take the loopback server from.
pub const TEST_SUPPORT_CRATE: &str = "workspace_tests";

/// One generated artifact: files under a directory.
pub struct Output {
    /// Where the files go.
    pub dir: PathBuf,
    /// The files, relative to `dir`.
    pub files: Files,
    /// `dir` is a generated crate: generated-owned files the model no longer
    /// produces are removed (and reported by `--check`).
    pub prune: bool,
}

/// Everything `cargo xtask codegen` produces.
pub struct Generated {
    /// The model used.
    pub model: PathBuf,
    /// The outputs.
    pub outputs: Vec<Output>,
    /// How long loading and generating took (not writing).
    pub elapsed: Duration,
    /// Operations the model has that the client leaves out, with the reason.
    pub skipped: Vec<codegen::ir::SkippedOperation>,
    /// Endpoint test cases emitted `#[ignore]`d: their expectation
    /// disagrees with the runtime's partition table ([`partition_table`]).
    pub stale_endpoint_tests: Vec<codegen::endpoint_rules::StaleCase>,
}

/// The project root (the workspace this xtask belongs to).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The trait definitions Smithy IDL models are loaded with: the AWS
/// protocol, auth and service traits and `smithy.test`, in
/// `../shared/protocol-tests/traits/` beside the project (when present).
pub fn trait_definitions(root: &Path) -> Option<PathBuf> {
    let dir = root.join("../shared/protocol-tests/traits");
    dir.is_dir().then_some(dir)
}

/// Loads the model at `path`: a JSON AST file (`.json`) as it is; a Smithy
/// IDL file (`.smithy`) or a directory of model files together with
/// [`trait_definitions`], so `use aws.protocols#awsJson1_1` resolves to a
/// definition as it does in a Smithy build.
pub fn load_model(root: &Path, path: &Path) -> Result<codegen::Model> {
    let idl = path.is_dir() || path.extension().is_some_and(|e| e == "smithy");
    let model = match trait_definitions(root) {
        Some(traits) if idl => codegen::Model::load_all(&[path, traits.as_path()])?,
        _ => codegen::Model::load(path)?,
    };
    Ok(model)
}

/// `../shared/endpoints/partitions.json` beside the project.
pub fn partitions_json(root: &Path) -> PathBuf {
    root.join("../shared/endpoints/partitions.json")
}

/// The partition table the runtime embeds, read from [`partitions_json`]
/// (from which `cargo xtask codegen` generates the runtime's copy): every
/// generation checks the models' endpoint test cases against it. `None`
/// when the file is absent (then every case is emitted as written).
pub fn partition_table(root: &Path) -> Result<Option<codegen::partitions::PartitionTable>> {
    let path = partitions_json(root);
    if !path.is_file() {
        return Ok(None);
    }
    let json = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the partition table {}", path.display()))?;
    let table = codegen::partitions::PartitionTable::from_json(&json)
        .with_context(|| format!("in {}", path.display()))?;
    Ok(Some(table))
}

/// The customizations every generated client gets: `model/customizations.json`
/// (see `codegen::customize`), none when the file is absent.
pub fn customizations(root: &Path) -> Result<codegen::customize::Customizations> {
    let path = root.join(protocol_tests::CUSTOMIZATIONS);
    if !path.is_file() {
        return Ok(codegen::customize::Customizations::default());
    }
    Ok(codegen::customize::Customizations::load(&path)?)
}

/// Generates the project's client into `generated/proton/` from `model`
/// (default: [`DEFAULT_MODEL`], found by [`codegen::find_model`]) at the
/// version in [`version::VERSION_FILE`], its per-operation end-to-end tests
/// ([`OPERATION_TESTS`]) and response property tests ([`RESPONSE_TESTS`]),
/// and the runtime's partition table from `../shared/endpoints/partitions.json`.
pub fn generate(root: &Path, model: Option<&Path>, service: Option<&str>) -> Result<Generated> {
    let model_path = match model {
        Some(p) => p.to_path_buf(),
        None => codegen::find_model(root, DEFAULT_MODEL).map_err(anyhow::Error::msg)?,
    };
    let package = version::read_package(root)?;
    let started = Instant::now();
    let model = load_model(root, &model_path)?;
    generate_model(root, &model, model_path, service, &package, started)
}

/// [`generate`] from a loaded `model` (read from `model_path`) as `package`;
/// `started` is when loading began, for [`Generated::elapsed`].
pub(crate) fn generate_model(
    root: &Path,
    model: &codegen::Model,
    model_path: PathBuf,
    service: Option<&str>,
    package: &version::Package,
    started: Instant,
) -> Result<Generated> {
    let partitions_json = partitions_json(root);
    let json = std::fs::read_to_string(&partitions_json)
        .with_context(|| format!("reading the partition table {}", partitions_json.display()))?;
    let table = codegen::partitions::PartitionTable::from_json(&json)
        .with_context(|| format!("in {}", partitions_json.display()))?;
    let options = codegen::Options {
        test_support_crate: Some(TEST_SUPPORT_CRATE.to_owned()),
        runtime_version: runtime_version(root)?,
        crate_version: package.version.to_string(),
        repository: package.repository.clone(),
        customizations: customizations(root)?,
        partitions: Some(table),
        ..codegen::Options::default()
    };
    let client = codegen::generate(model, service, &options)?;
    let elapsed = started.elapsed();
    let tests = client.tests.context("the operation tests were asked for")?;
    let response_tests = client
        .response_tests
        .context("the response tests were asked for")?;
    let partitions = codegen::partitions::generate_partitions(&json)
        .with_context(|| format!("in {}", partitions_json.display()))?;
    Ok(Generated {
        model: model_path,
        outputs: vec![
            Output {
                dir: root.join("generated").join("proton"),
                files: client.files,
                prune: true,
            },
            Output {
                dir: root.to_path_buf(),
                files: Files::from([
                    ("runtime/src/endpoint/partitions.rs".to_owned(), partitions),
                    (OPERATION_TESTS.to_owned(), tests),
                    (RESPONSE_TESTS.to_owned(), response_tests),
                ]),
                prune: false,
            },
        ],
        elapsed,
        skipped: client.skipped,
        stale_endpoint_tests: client.stale_endpoint_tests,
    })
}

/// Where `cargo xtask codegen --out` writes a standalone crate and what it
/// calls it.
#[derive(Clone, Debug, Default)]
pub struct OutCrate<'a> {
    /// The package name; `None`: [`codegen::naming::package_name`] of the
    /// sdkId (`aws-sagemaker`, `aws-dynamodb-streams`).
    pub crate_name: Option<&'a str>,
    /// The runtime's path as the crate's `Cargo.toml` gives it (relative to
    /// the crate, or absolute); `None`: this project's `runtime/`, relative
    /// when the two share a root ([`path_between`]).
    pub runtime_path: Option<&'a str>,
}

/// Writes every output of `generated`: how many files were written
/// (changed or new) and removed (generated files the model no longer gives).
pub fn write(generated: &Generated) -> Result<(usize, usize)> {
    let (mut written, mut removed) = (0, 0);
    for out in &generated.outputs {
        let drift = codegen::output::write(&out.dir, &out.files, out.prune)
            .with_context(|| format!("writing {}", out.dir.display()))?;
        written += drift.changed.len() + drift.missing.len();
        removed += drift.extra.len();
    }
    Ok((written, removed))
}

/// Generates a standalone client crate for the service in `model` into
/// `out` (created if missing). It depends on the runtime by version (that
/// of `runtime/Cargo.toml`) and by path, as crates of one workspace do: it
/// builds against the local runtime today and against the published one
/// once the path is dropped.
pub fn generate_into(
    root: &Path,
    model: &Path,
    service: Option<&str>,
    out: &Path,
    krate: &OutCrate<'_>,
) -> Result<Generated> {
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let runtime_path = match krate.runtime_path {
        Some(path) => path.to_owned(),
        None => path_between(out, &root.join("runtime"))?,
    };
    let options = codegen::Options {
        crate_name: krate.crate_name.map(str::to_owned),
        runtime_path,
        runtime_version: runtime_version(root)?,
        customizations: customizations(root)?,
        partitions: partition_table(root)?,
        ..codegen::Options::default()
    };
    let started = Instant::now();
    let client = codegen::generate(&load_model(root, model)?, service, &options)?;
    let elapsed = started.elapsed();
    Ok(Generated {
        model: model.to_path_buf(),
        outputs: vec![Output {
            dir: out.to_path_buf(),
            files: client.files,
            prune: true,
        }],
        elapsed,
        skipped: client.skipped,
        stale_endpoint_tests: client.stale_endpoint_tests,
    })
}

/// The version requirement generated crates put on the runtime: the major
/// and minor of `runtime/Cargo.toml`'s `version` (`0.1.3` → `0.1`).
pub fn runtime_version(root: &Path) -> Result<String> {
    let path = root.join("runtime/Cargo.toml");
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let version = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with('[') || *l == "[package]")
        .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"'))
        .with_context(|| format!("no `version = \"…\"` in [package] of {}", path.display()))?;
    let mut parts = version.split('.');
    match (parts.next(), parts.next()) {
        (Some(major), Some(minor)) => Ok(format!("{major}.{minor}")),
        _ => anyhow::bail!("`{version}` in {} is not a semver version", path.display()),
    }
}

/// The path from directory `from` to `to` for a `Cargo.toml` (`/`-separated):
/// relative when the two share a root, else `to` made absolute.
pub fn path_between(from: &Path, to: &Path) -> Result<String> {
    let canonical = |p: &Path| {
        p.canonicalize()
            .with_context(|| format!("resolving {}", p.display()))
    };
    let (from, to) = (canonical(from)?, canonical(to)?);
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return Ok(to.display().to_string());
    }
    let mut parts: Vec<String> = from
        .components()
        .skip(common)
        .map(|_| "..".to_owned())
        .collect();
    parts.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// The stale files, one line each (`changed: generated/proton/src/lib.rs`).
pub fn check(root: &Path, generated: &Generated) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    for out in &generated.outputs {
        let drift = codegen::output::check(&out.dir, &out.files, out.prune)
            .with_context(|| format!("reading {}", out.dir.display()))?;
        let prefix = out
            .dir
            .strip_prefix(root)
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        for line in drift.lines() {
            let (what, path) = line.split_once(": ").unwrap_or(("changed", &line));
            let path = if prefix.is_empty() {
                path.to_owned()
            } else {
                format!("{prefix}/{path}")
            };
            stale.push(format!("{what}: {path}"));
        }
    }
    Ok(stale)
}

#[cfg(test)]
mod tests {
    use super::path_between;

    #[test]
    fn paths_between_directories_are_relative() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        for sub in ["a/b/out", "a/runtime", "c"] {
            std::fs::create_dir_all(base.join(sub)).unwrap();
        }
        let between =
            |from: &str, to: &str| path_between(&base.join(from), &base.join(to)).unwrap();
        assert_eq!(between("a/b/out", "a/runtime"), "../../runtime");
        assert_eq!(between("c", "a/runtime"), "../a/runtime");
        assert_eq!(between("a/runtime", "a/runtime"), ".");
        assert!(path_between(&base.join("missing"), &base.join("c"))
            .unwrap_err()
            .to_string()
            .contains("missing"));
    }
}
