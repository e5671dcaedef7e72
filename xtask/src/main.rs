//! `cargo xtask`: the project's developer commands, a thin shell over the
//! `codegen` library.

use anyhow::{bail, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

mod bench;
mod corpus;
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
    /// Take a new model (NEW.json): print the changelog and verdict, put the
    /// model in model/, bump the crate version by the verdict, regenerate.
    Update(UpdateArgs),
    /// Benchmark against the official SDK (programs in bench/) and write bench/RESULTS.md.
    Bench(bench::BenchArgs),
    /// Generate every model of ../shared/models/corpus/, then lint (clippy -D warnings) and test each crate.
    Corpus(corpus::CorpusArgs),
    /// Run the Smithy conformance suite (../shared/protocol-tests) against generated clients.
    ProtocolTests(ProtocolTestsArgs),
}

#[derive(clap::Args)]
struct ProtocolTestsArgs {
    /// Also list every case with its outcome.
    #[arg(long)]
    verbose: bool,
}

fn protocol_tests(args: ProtocolTestsArgs) -> Result<()> {
    let root = xtask::project_root();
    let report = xtask::protocol_tests::run(&root)?;
    if !report.failures.is_empty() {
        eprintln!("{}", report.failures);
    }
    for result in &report.cases {
        let case = &result.case;
        let label = format!(
            "{} {} ({}, {})",
            result.service, case.id, case.kind, case.operation
        );
        match &result.outcome {
            xtask::protocol_tests::Outcome::Failed => println!("FAILED   {label}"),
            xtask::protocol_tests::Outcome::Skipped(why) => println!("skipped  {label}: {why}"),
            xtask::protocol_tests::Outcome::Passed if args.verbose => println!("ok       {label}"),
            xtask::protocol_tests::Outcome::Passed => {}
        }
    }
    println!(
        "conformance suite run in {:.0?} (generated clients in target/protocol-tests/)",
        report.elapsed
    );
    println!("{}", report.summary());
    if report.failed() > 0 {
        bail!("{} conformance cases failed", report.failed());
    }
    Ok(())
}

#[derive(clap::Args)]
struct CodegenArgs {
    /// The model: a Smithy JSON AST file, a Smithy IDL 2.0 `.smithy` file, or
    /// a directory of both (IDL models are loaded with the trait definitions
    /// in ../shared/protocol-tests/traits/). Default:
    /// model/proton-2020-07-20.json, else ../shared/models/proton-2020-07-20.json.
    #[arg(long)]
    model: Option<PathBuf>,
    /// The service shape to generate, when the model has several.
    #[arg(long)]
    service: Option<String>,
    /// Fail, listing the stale files, if the checked-in output differs from what the model gives.
    #[arg(long)]
    check: bool,
    /// Write a standalone client crate for the model's service into DIR
    /// (depending on the runtime by version and path) instead of
    /// generated/proton/. Needs --model.
    #[arg(long, value_name = "DIR", requires = "model")]
    out: Option<PathBuf>,
    /// The package name with --out. Default: aws- and the sdkId lowercased,
    /// spaces to hyphens (SageMaker: aws-sagemaker; DynamoDB Streams: aws-dynamodb-streams).
    #[arg(long, value_name = "NAME", requires = "out")]
    crate_name: Option<String>,
    /// With --out: the runtime's path as the crate's Cargo.toml gives it
    /// (relative to DIR, or absolute). Default: this project's runtime/,
    /// relative to DIR when they share a root.
    #[arg(long, value_name = "PATH", requires = "out")]
    runtime_path: Option<String>,
}

#[derive(clap::Args)]
struct UpdateArgs {
    /// The new model, a Smithy JSON AST file as AWS publishes it.
    new: PathBuf,
    /// The service shape, when the model has several.
    #[arg(long)]
    service: Option<String>,
    /// The date on the changelog's headline, YYYY/MM/DD. Default: today (UTC).
    #[arg(long)]
    date: Option<String>,
}

fn update(args: UpdateArgs) -> Result<()> {
    let date = match &args.date {
        Some(d) => diff::parse_date(d)?,
        None => diff::today_utc(),
    };
    let root = xtask::project_root();
    let update = xtask::update::update(&root, &args.new, args.service.as_deref(), &date)?;
    print!("{}", update.report());
    Ok(())
}

fn codegen(args: CodegenArgs) -> Result<()> {
    let root = xtask::project_root();
    let generated = match (&args.out, &args.model) {
        (Some(out), Some(model)) => xtask::generate_into(
            &root,
            model,
            args.service.as_deref(),
            out,
            &xtask::OutCrate {
                crate_name: args.crate_name.as_deref(),
                runtime_path: args.runtime_path.as_deref(),
            },
        )?,
        _ => xtask::generate(&root, args.model.as_deref(), args.service.as_deref())?,
    };
    let files: usize = generated.outputs.iter().map(|o| o.files.len()).sum();
    for skipped in &generated.skipped {
        eprintln!(
            "warning: operation `{}` is not generated: {}",
            skipped.name, skipped.reason
        );
    }
    for stale in &generated.stale_endpoint_tests {
        eprintln!(
            "note: endpoint test `{}` is emitted #[ignore]d: {}",
            stale.name, stale.reason
        );
    }
    if args.check {
        let stale = xtask::check(&root, &generated)?;
        if !stale.is_empty() {
            for line in &stale {
                eprintln!("  {line}");
            }
            bail!(
                "{} generated files are stale (they differ from what {} gives); run `cargo xtask codegen`",
                stale.len(),
                generated.model.display()
            );
        }
        println!(
            "generated code is up to date with {} ({files} files, generated in {:.0?})",
            generated.model.display(),
            generated.elapsed
        );
        return Ok(());
    }
    let (written, removed) = xtask::write(&generated)?;
    let lines: usize = generated
        .outputs
        .iter()
        .flat_map(|o| o.files.values())
        .map(|f| f.lines().count())
        .sum();
    println!(
        "generated {files} files ({lines} lines) from {} in {:.0?}; {written} written, {removed} removed",
        generated.model.display(),
        generated.elapsed,
    );
    Ok(())
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Codegen(args) => codegen(args),
        Command::Diff(args) => diff::run(args),
        Command::Update(args) => update(args),
        Command::Bench(args) => bench::main(args),
        Command::Corpus(args) => corpus::run(args),
        Command::ProtocolTests(args) => protocol_tests(args),
    }
}
