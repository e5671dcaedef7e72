//! What `cargo xtask codegen` generates and where, shared by the CLI and
//! the test that keeps checked-in output from drifting.

use anyhow::{Context, Result};

pub mod bench;
use codegen::Files;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The model the project's client is generated from, by name.
pub const DEFAULT_MODEL: &str = "proton-2020-07-20";

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
}

/// The project root (the workspace this xtask belongs to).
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Generates the client from `model` (default: [`DEFAULT_MODEL`], found by
/// [`codegen::find_model`]) and the runtime's partition table from
/// `../shared/endpoints/partitions.json`.
pub fn generate(root: &Path, model: Option<&Path>, service: Option<&str>) -> Result<Generated> {
    let model_path = match model {
        Some(p) => p.to_path_buf(),
        None => codegen::find_model(root, DEFAULT_MODEL).map_err(anyhow::Error::msg)?,
    };
    let started = Instant::now();
    let model = codegen::Model::load(&model_path)?;
    let client = codegen::generate(&model, service, &codegen::Options::default())?;
    let elapsed = started.elapsed();
    let partitions_json = root.join("../shared/endpoints/partitions.json");
    let json = std::fs::read_to_string(&partitions_json)
        .with_context(|| format!("reading the partition table {}", partitions_json.display()))?;
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
                files: Files::from([("runtime/src/endpoint/partitions.rs".to_owned(), partitions)]),
                prune: false,
            },
        ],
        elapsed,
        skipped: client.skipped,
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
