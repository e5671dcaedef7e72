//! `cargo xtask corpus`: every model in `../shared/models/corpus/` generated
//! into one throwaway workspace (`target/corpus/`), each crate with its
//! generated per-operation tests (against the loopback server of
//! `workspace-tests`), then, per model, `cargo clippy --all-targets` with
//! warnings denied, its lib tests (the model's endpoint-rule cases; those
//! the runtime's newer partition table contradicts are generated
//! `#[ignore]`d and listed) and its per-operation tests (`cargo test --lib
//! --test operations`). One line per model, then a total; the
//! exit status fails when any model does. `--build` limits building and
//! testing to some models (all are still generated): `.ci/run` builds the
//! subset that covers the features, the full run is `cargo xtask corpus`.
//! Builds go to `target/throwaway`, the target directory the
//! `generated_crates` test builds the fixture crates in with the same flags,
//! so the runtime and dependencies built there are reused; it is deleted at
//! the end (the full corpus builds into many gigabytes) unless
//! `--keep-target`.

use anyhow::{bail, Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct CorpusArgs {
    /// Build and test only these models (file stems without the version,
    /// `timestream-write`, or crate names, `aws-timestream-write`),
    /// comma-separated; all models are still generated. Default: all.
    #[arg(long, value_delimiter = ',', value_name = "MODELS")]
    build: Option<Vec<String>>,
    /// The directory of models. Default: ../shared/models/corpus.
    #[arg(long, value_name = "DIR")]
    models: Option<PathBuf>,
    /// Keep target/throwaway after the run (deleted by default: disk).
    #[arg(long)]
    keep_target: bool,
}

/// What happened to one model.
struct ModelRun {
    /// The file stem (`timestream-write-2018-11-01`).
    stem: String,
    /// The crate's package name.
    krate: String,
    operations: usize,
    skipped: usize,
    waiters: usize,
    /// Endpoint test cases generated `#[ignore]`d, and why.
    stale: Vec<codegen::endpoint_rules::StaleCase>,
    generated_in: Duration,
    /// `None`: not selected for building.
    built: Option<Built>,
}

struct Built {
    clippy: Result<(), String>,
    /// Passed and failed tests, or why the tests did not run.
    tests: Result<(usize, usize), String>,
    took: Duration,
}

impl Built {
    fn ok(&self) -> bool {
        self.clippy.is_ok() && matches!(self.tests, Ok((_, 0)))
    }
}

pub fn run(args: CorpusArgs) -> Result<()> {
    let started = Instant::now();
    let root = xtask::project_root();
    let dir = args
        .models
        .clone()
        .unwrap_or_else(|| root.join("../shared/models/corpus"));
    let models = model_files(&dir)?;
    if models.is_empty() {
        bail!("no .json models in {}", dir.display());
    }
    let workspace = root.join("target/corpus");
    let target = root.join("target/throwaway");
    let partitions = xtask::partition_table(&root)?;
    let mut runs = Vec::new();
    for path in &models {
        runs.push(generate(&root, &workspace, path, partitions.as_ref())?);
    }
    write_workspace(&root, &workspace, &runs)?;
    if let Some(wanted) = &args.build {
        for name in wanted {
            if !runs.iter().any(|r| selects(name, r)) {
                bail!("--build {name}: no such model in {}", dir.display());
            }
        }
    }
    for run in &mut runs {
        let selected = args
            .build
            .as_ref()
            .is_none_or(|wanted| wanted.iter().any(|n| selects(n, run)));
        if selected {
            run.built = Some(build(&workspace, &target, &run.krate));
        }
        println!("{}", line(run));
        for stale in &run.stale {
            println!("    ignored endpoint test {}: {}", stale.name, stale.reason);
        }
    }
    println!("{}", total(&runs, started.elapsed()));
    if !args.keep_target {
        let _ = std::fs::remove_dir_all(&target);
    }
    let failed: Vec<&str> = runs
        .iter()
        .filter(|r| r.built.as_ref().is_some_and(|b| !b.ok()))
        .map(|r| r.stem.as_str())
        .collect();
    if !failed.is_empty() {
        bail!(
            "{} corpus models failed: {} (the workspace is kept in {})",
            failed.len(),
            failed.join(", "),
            workspace.display()
        );
    }
    Ok(())
}

/// The `.json` files of `dir`, sorted.
fn model_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry
            .with_context(|| format!("reading {}", dir.display()))?
            .path();
        if path.extension().is_some_and(|e| e == "json") {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// Whether `name` (as given to `--build`) picks `run`: the crate name, the
/// file stem, or the stem without its `-YYYY-MM-DD` version.
fn selects(name: &str, run: &ModelRun) -> bool {
    name == run.krate || name == run.stem || name == service_of(&run.stem)
}

/// `timestream-write-2018-11-01` → `timestream-write`.
fn service_of(stem: &str) -> &str {
    stem.rsplitn(4, '-').nth(3).unwrap_or(stem)
}

/// Generates the crate for `path` into `workspace/<stem>`, its endpoint
/// tests checked against `partitions`.
fn generate(
    root: &Path,
    workspace: &Path,
    path: &Path,
    partitions: Option<&codegen::partitions::PartitionTable>,
) -> Result<ModelRun> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .with_context(|| format!("{} has no UTF-8 file name", path.display()))?
        .to_owned();
    let started = Instant::now();
    let model = xtask::load_model(root, path)?;
    let options = codegen::Options {
        // workspace = <root>/target/corpus, crates one level below.
        runtime_path: "../../../runtime".to_owned(),
        runtime_version: xtask::runtime_version(root)?,
        test_support_crate: Some(xtask::TEST_SUPPORT_CRATE.to_owned()),
        customizations: xtask::customizations(root)?,
        partitions: partitions.cloned(),
        ..codegen::Options::default()
    };
    let generated = codegen::generate(&model, None, &options)
        .with_context(|| format!("generating {}", path.display()))?;
    let generated_in = started.elapsed();
    let mut files = generated.files;
    let manifest = files
        .get_mut("Cargo.toml")
        .context("the generated crate has a Cargo.toml")?;
    let krate = package_name(manifest)
        .with_context(|| format!("no package name in the Cargo.toml of {stem}"))?;
    manifest.push_str("workspace-tests = { path = \"../../../tests\" }\n");
    if let Some(tests) = generated.tests {
        files.insert("tests/operations.rs".to_owned(), tests);
    }
    let operations = files
        .keys()
        .filter(|f| f.starts_with("src/operation/") && !f.ends_with("/mod.rs"))
        .count();
    let waiters = files
        .get("src/client.rs")
        .map_or(0, |c| c.matches("pub fn wait_until_").count());
    let dir = workspace.join(&stem);
    codegen::output::write(&dir, &files, true)
        .with_context(|| format!("writing {}", dir.display()))?;
    Ok(ModelRun {
        stem,
        krate,
        operations,
        skipped: generated.skipped.len(),
        waiters,
        stale: generated.stale_endpoint_tests,
        generated_in,
        built: None,
    })
}

/// The `name = "…"` of a generated `[package]`.
fn package_name(manifest: &str) -> Option<String> {
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = \"")?.strip_suffix('"'))
        .map(str::to_owned)
}

/// The throwaway workspace's profile: no debug info. The crates are built
/// once, to be checked and tested, never debugged, and debug info is most
/// of what building them writes (measured in ARCHITECTURE.md, "The corpus").
const PROFILE: &str = "\n[profile.dev]\ndebug = 0\n";

/// The workspace manifest (with [`PROFILE`]), and our lock file so the crates build with the
/// dependency versions the project is tested with.
fn write_workspace(root: &Path, workspace: &Path, runs: &[ModelRun]) -> Result<()> {
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus`: a throwaway workspace of the corpus crates.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for run in runs {
        let _ = writeln!(manifest, "    \"{}\",", run.stem);
    }
    manifest.push_str("]\n");
    manifest.push_str(PROFILE);
    std::fs::write(workspace.join("Cargo.toml"), manifest)
        .with_context(|| format!("writing {}/Cargo.toml", workspace.display()))?;
    let lock = workspace.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock)
            .with_context(|| format!("copying Cargo.lock to {}", lock.display()))?;
    }
    Ok(())
}

/// Clippy with warnings denied, then the tests, of one crate.
fn build(workspace: &Path, target: &Path, krate: &str) -> Built {
    let started = Instant::now();
    let clippy = cargo(
        workspace,
        target,
        &[
            "clippy",
            "-p",
            krate,
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )
    .map(|_| ());
    let tests = match &clippy {
        // The lib tests (the model's endpoint-rule cases) and the
        // per-operation tests.
        Ok(()) => cargo(
            workspace,
            target,
            &["test", "-p", krate, "--lib", "--test", "operations"],
        )
        .and_then(|out| {
            test_counts(&out).ok_or_else(|| "no `test result:` line in the output".to_owned())
        }),
        Err(_) => Err("not run: clippy failed".to_owned()),
    };
    Built {
        clippy,
        tests,
        took: started.elapsed(),
    }
}

/// Runs cargo in the workspace with warnings denied; its stdout, or the
/// first lines of what it printed when it failed.
fn cargo(workspace: &Path, target: &Path, args: &[&str]) -> Result<String, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-Dwarnings")
        .env("RUSTDOCFLAGS", "-Dwarnings")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .map_err(|e| format!("running cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        return Ok(stdout);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr
        .lines()
        .chain(stdout.lines())
        .filter(|l| l.starts_with("error") || l.contains("FAILED") || l.contains("panicked"))
        .take(20)
        .collect();
    Err(format!("cargo {} failed:\n{}", args[0], errors.join("\n")))
}

/// Passed and failed tests summed over every `test result:` line.
fn test_counts(output: &str) -> Option<(usize, usize)> {
    let mut found = false;
    let (mut passed, mut failed) = (0, 0);
    for line in output.lines() {
        let Some(rest) = line.strip_prefix("test result: ") else {
            continue;
        };
        found = true;
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(what), Some(n)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = n.parse::<usize>() else { continue };
            match what {
                "passed" => passed += n,
                "failed" => failed += n,
                _ => {}
            }
        }
    }
    found.then_some((passed, failed))
}

/// One model's line.
fn line(run: &ModelRun) -> String {
    let mut out = format!(
        "{:<42} {:<34} {:>4} operations ({} skipped), {:>2} waiters, {} endpoint tests ignored, generated in {:.1} s",
        run.stem,
        run.krate,
        run.operations,
        run.skipped,
        run.waiters,
        run.stale.len(),
        run.generated_in.as_secs_f64()
    );
    match &run.built {
        None => out.push_str("; not built (--build)"),
        Some(b) => {
            let clippy = match &b.clippy {
                Ok(()) => "clippy ok".to_owned(),
                Err(e) => format!("clippy FAILED\n{e}"),
            };
            let tests = match &b.tests {
                Ok((passed, 0)) => format!("{passed} tests passed"),
                Ok((passed, failed)) => format!("{passed} tests passed, {failed} FAILED"),
                Err(e) => format!("tests {e}"),
            };
            let _ = write!(out, "; {clippy}; {tests}; {:.0} s", b.took.as_secs_f64());
        }
    }
    out
}

/// The closing line.
fn total(runs: &[ModelRun], took: Duration) -> String {
    let operations: usize = runs.iter().map(|r| r.operations).sum();
    let skipped: usize = runs.iter().map(|r| r.skipped).sum();
    let waiters: usize = runs.iter().map(|r| r.waiters).sum();
    let built: Vec<&Built> = runs.iter().filter_map(|r| r.built.as_ref()).collect();
    let ok = built.iter().filter(|b| b.ok()).count();
    let passed: usize = built
        .iter()
        .filter_map(|b| b.tests.as_ref().ok())
        .map(|t| t.0)
        .sum();
    let failed: usize = built
        .iter()
        .filter_map(|b| b.tests.as_ref().ok())
        .map(|t| t.1)
        .sum();
    format!(
        "total: {} models generated ({operations} operations, {skipped} skipped, {waiters} waiters); {} built and tested, {ok} green; {passed} tests passed, {failed} failed; {:.0} s",
        runs.len(),
        built.len(),
        took.as_secs_f64()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_counts_add_up_every_result_line() {
        let out = "running 2 tests\ntest result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
                   test result: FAILED. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1s\n";
        assert_eq!(test_counts(out), Some((5, 1)));
        assert_eq!(test_counts("error: could not compile"), None);
    }

    #[test]
    fn models_are_picked_by_service_stem_or_crate() {
        let run = ModelRun {
            stem: "timestream-write-2018-11-01".to_owned(),
            krate: "aws-timestream-write".to_owned(),
            operations: 0,
            skipped: 0,
            waiters: 0,
            stale: Vec::new(),
            generated_in: Duration::ZERO,
            built: None,
        };
        for name in [
            "timestream-write",
            "timestream-write-2018-11-01",
            "aws-timestream-write",
        ] {
            assert!(selects(name, &run), "{name}");
        }
        assert!(!selects("timestream", &run));
        assert_eq!(service_of("sso-admin-2020-07-20"), "sso-admin");
        assert_eq!(service_of("odd"), "odd");
    }

    #[test]
    fn the_workspace_builds_without_debug_info() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let workspace = dir.path().join("corpus");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&workspace).unwrap();
        std::fs::write(root.join("Cargo.lock"), "# lock\n").unwrap();
        let run = ModelRun {
            stem: "support-2013-04-15".to_owned(),
            krate: "aws-support".to_owned(),
            operations: 0,
            skipped: 0,
            waiters: 0,
            stale: Vec::new(),
            generated_in: Duration::ZERO,
            built: None,
        };
        write_workspace(&root, &workspace, &[run]).unwrap();
        let manifest = std::fs::read_to_string(workspace.join("Cargo.toml")).unwrap();
        assert!(
            manifest.ends_with("members = [\n    \"support-2013-04-15\",\n]\n\n[profile.dev]\ndebug = 0\n"),
            "{manifest}"
        );
    }

    #[test]
    fn the_package_name_is_read_from_the_manifest() {
        let manifest = "# header\n[package]\nname = \"aws-support\"\nversion = \"0.1.0\"\n";
        assert_eq!(package_name(manifest).as_deref(), Some("aws-support"));
        assert_eq!(package_name("[package]\n"), None);
    }
}
