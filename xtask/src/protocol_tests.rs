//! `cargo xtask protocol-tests`: the Smithy conformance suite
//! (`../shared/protocol-tests`) against generated clients.
//!
//! Each service of the suite gets a client crate with its conformance tests
//! (`codegen::protocol_tests`, one test per client case) in a throwaway
//! workspace, `target/protocol-tests/`, built in `target/throwaway` (shared
//! with the generated-crates test, so dependencies compile once). Each
//! crate's tests run; every case is counted as passed, failed or skipped
//! (an `#[ignore]`d test, with its reason), a crate that does not compile
//! failing all its cases.

use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Where the suite is, from the project root.
pub const SUITE: &str = "../shared/protocol-tests";
/// The customizations every generated client gets, from the project root.
pub const CUSTOMIZATIONS: &str = "model/customizations.json";

/// How one case ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Its test passed.
    Passed,
    /// Its test failed, or its crate did not build.
    Failed,
    /// Skipped, with the reason.
    Skipped(String),
}

/// One case's result.
#[derive(Clone, Debug)]
pub struct CaseResult {
    /// The service shape.
    pub service: String,
    /// The case.
    pub case: codegen::protocol_tests::Case,
    /// How it ended.
    pub outcome: Outcome,
}

/// The whole run.
#[derive(Debug)]
pub struct Report {
    /// Every client case of the suite.
    pub cases: Vec<CaseResult>,
    /// Output of what failed (test output, compiler errors).
    pub failures: String,
    /// How long it took.
    pub elapsed: Duration,
}

impl Report {
    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|c| f(&c.outcome)).count()
    }

    /// Passed cases.
    pub fn passed(&self) -> usize {
        self.count(|o| *o == Outcome::Passed)
    }

    /// Failed cases.
    pub fn failed(&self) -> usize {
        self.count(|o| *o == Outcome::Failed)
    }

    /// Skipped cases.
    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped(_)))
    }

    /// `N passed, M failed, K skipped of T client cases`.
    pub fn summary(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped of {} client cases",
            self.passed(),
            self.failed(),
            self.skipped(),
            self.cases.len()
        )
    }
}

/// The crate name of a service's conformance client (`conformance-jsonrpc10`).
fn crate_name(service: &str) -> String {
    let name = service.rsplit('#').next().unwrap_or(service);
    let kebab: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("conformance-{kebab}")
}

/// Generates the workspace at `workspace`: one crate per service, with its
/// conformance tests in `tests/protocol.rs`; the cases, by service.
fn write_workspace(
    root: &Path,
    workspace: &Path,
) -> Result<Vec<(String, String, Vec<codegen::protocol_tests::Case>)>> {
    let suite = root.join(SUITE);
    let model = crate::load_model(root, &suite.join("model"))?;
    let customizations = crate::customizations(root)?;
    let mut services: Vec<String> = model.services().map(|s| s.id.to_string()).collect();
    services.sort();
    let mut crates = Vec::new();
    for service in services {
        let name = crate_name(&service);
        let options = codegen::Options {
            crate_name: Some(name.clone()),
            runtime_path: "../../../runtime".to_owned(),
            test_support_crate: Some(crate::TEST_SUPPORT_CRATE.to_owned()),
            protocol_tests: true,
            customizations: customizations.clone(),
            ..codegen::Options::default()
        };
        let generated = codegen::generate(&model, Some(&service), &options)
            .with_context(|| format!("generating {service}"))?;
        let tests = generated
            .protocol_tests
            .context("the protocol tests were asked for")?;
        let mut files = generated.files;
        files.insert("tests/protocol.rs".to_owned(), tests.text);
        if let Some(manifest) = files.get_mut("Cargo.toml") {
            manifest.push_str("workspace-tests = { path = \"../../../tests\" }\n");
        }
        codegen::output::write(&workspace.join(&name), &files, true)
            .with_context(|| format!("writing {}", workspace.join(&name).display()))?;
        crates.push((service, name, tests.cases));
    }
    let mut manifest = String::from(
        "# Throwaway workspace written by `cargo xtask protocol-tests`.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for (_, name, _) in &crates {
        let _ = writeln!(manifest, "    \"{name}\",");
    }
    manifest.push_str("]\n");
    std::fs::write(workspace.join("Cargo.toml"), manifest)?;
    // The project's versions: nothing new is resolved or fetched.
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock"))?;
    Ok(crates)
}

/// The outcome of each test function in libtest's output
/// (`test protocol_tests::x ... ok`).
pub fn parse_test_output(stdout: &str) -> Vec<(String, Outcome)> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, result) = rest.split_once(" ... ")?;
            let name = name.rsplit("::").next().unwrap_or(name).to_owned();
            let outcome = match result.trim() {
                "ok" => Outcome::Passed,
                "FAILED" => Outcome::Failed,
                r if r.starts_with("ignored") => {
                    Outcome::Skipped(r.strip_prefix("ignored, ").unwrap_or("ignored").to_owned())
                }
                _ => return None,
            };
            Some((name, outcome))
        })
        .collect()
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Generates and runs the suite.
pub fn run(root: &Path) -> Result<Report> {
    let started = Instant::now();
    let workspace = root.join("target").join("protocol-tests");
    std::fs::create_dir_all(&workspace)?;
    let crates = write_workspace(root, &workspace)?;
    let target: PathBuf = root.join("target").join("throwaway");
    let mut cases = Vec::new();
    let mut failures = String::new();
    for (service, name, generated) in crates {
        let output = cargo()
            .args(["test", "-p", &name, "--test", "protocol", "--no-fail-fast"])
            .current_dir(&workspace)
            .env("CARGO_TARGET_DIR", &target)
            // As the generated-crates test builds, so the two share builds.
            .env("RUSTFLAGS", "-Dwarnings")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .output()
            .with_context(|| format!("running cargo test -p {name}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let results = parse_test_output(&stdout);
        if results.is_empty() || !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let errors: Vec<&str> = stderr
                .lines()
                .filter(|l| {
                    !l.trim_start().starts_with("Compiling")
                        && !l.trim_start().starts_with("Running")
                })
                .take(200)
                .collect();
            let _ = writeln!(
                failures,
                "=== {name} ({service})\n{stdout}\n{}",
                errors.join("\n")
            );
        }
        for case in generated {
            let outcome = results
                .iter()
                .find(|(f, _)| *f == case.function)
                .map_or(Outcome::Failed, |(_, o)| o.clone());
            cases.push(CaseResult {
                service: service.clone(),
                case,
                outcome,
            });
        }
    }
    Ok(Report {
        cases,
        failures,
        elapsed: started.elapsed(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libtest_lines_become_outcomes() {
        let out = "running 3 tests\n\
            test protocol_tests::a_request ... ok\n\
            test protocol_tests::b_response ... FAILED\n\
            test protocol_tests::c_request ... ignored, the client leaves `X` out: events\n\
            test result: FAILED. 1 passed; 1 failed; 1 ignored\n";
        assert_eq!(
            parse_test_output(out),
            [
                ("a_request".to_owned(), Outcome::Passed),
                ("b_response".to_owned(), Outcome::Failed),
                (
                    "c_request".to_owned(),
                    Outcome::Skipped("the client leaves `X` out: events".to_owned())
                ),
            ]
        );
    }

    #[test]
    fn crate_names_come_from_the_service_shape() {
        assert_eq!(
            crate_name("aws.protocoltests.json10#JsonRpc10"),
            "conformance-jsonrpc10"
        );
        assert_eq!(
            crate_name("com.amazonaws.machinelearning#AmazonML_20141212"),
            "conformance-amazonml-20141212"
        );
    }
}
