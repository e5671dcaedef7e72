//! `cargo xtask`: the project's developer commands, a thin shell over the
//! `codegen` library.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod diff;

#[derive(Parser)]
#[command(about = "Developer commands for the aws-json client generator")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the client from the model (or, with --check, verify the checked-in copy).
    Codegen(CodegenArgs),
    /// Print the API changelog between two models (OLD NEW) and the semver verdict.
    Diff(diff::DiffArgs),
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// The Smithy JSON AST model. Default: model/proton-2020-07-20.json, else
    /// ../shared/models/proton-2020-07-20.json.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The service shape to generate, when the model has several.
    #[arg(long)]
    service: Option<String>,
    /// Fail, listing the stale files, if the checked-in output differs from what the model gives.
    #[arg(long)]
    check: bool,
}

const DEFAULT_MODEL: &str = "proton-2020-07-20";

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(args: CodegenArgs) -> Result<()> {
    let root = project_root();
    let model_path = match args.model {
        Some(p) => p,
        None => codegen::find_model(&root, DEFAULT_MODEL).map_err(anyhow::Error::msg)?,
    };
    let started = Instant::now();
    let model = codegen::Model::load(&model_path)?;
    let options = codegen::Options {
        crate_name: "aws-proton".to_owned(),
        crate_version: "0.1.0".to_owned(),
        runtime_path: "../../runtime".to_owned(),
    };
    let files = codegen::generate(&model, args.service.as_deref(), &options)?;
    let generated_in = started.elapsed();
    let out_dir = root.join("generated").join("proton");
    if args.check {
        let drift = codegen::output::check(&out_dir, &files)
            .with_context(|| format!("reading {}", out_dir.display()))?;
        if !drift.is_empty() {
            for line in drift.lines() {
                eprintln!("  {line}");
            }
            bail!(
                "{} is stale ({} files differ from what {} gives); run `cargo xtask codegen`",
                out_dir.display(),
                drift.lines().len(),
                model_path.display()
            );
        }
        println!(
            "{} is up to date with {} ({} files, generated in {:.0?})",
            out_dir.display(),
            model_path.display(),
            files.len(),
            generated_in
        );
        return Ok(());
    }
    let drift = codegen::output::write(&out_dir, &files)
        .with_context(|| format!("writing {}", out_dir.display()))?;
    let lines: usize = files.values().map(|f| f.lines().count()).sum();
    println!(
        "generated {} ({} files, {} lines) from {} in {:.0?}; {} written, {} removed",
        out_dir.display(),
        files.len(),
        lines,
        model_path.display(),
        generated_in,
        drift.changed.len() + drift.missing.len(),
        drift.extra.len()
    );
    Ok(())
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Codegen(args) => codegen(args),
        Command::Diff(args) => diff::run(args),
    }
}
