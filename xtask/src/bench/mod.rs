//! `cargo xtask bench`: the generated client against the official AWS SDK
//! for Rust, side by side in one run.
//!
//! The programs live in `bench/` (a workspace of its own, so the official
//! crates never enter the main build): `bench-ours` on `aws-proton`,
//! `bench-official` on `aws-sdk-proton`, `bench-floor` (plain hyper 1
//! replaying the request ours sends, unsigned: the floor), `bench-common`
//! (their counting allocator and CPU-time report), and `bench-server`, the
//! loopback hyper 1 server all three call. This module tree belongs to the xtask
//! binary: `run` starts cargo, the programs and the server; `parse` reads
//! what they print; `sections` turns that into rows and notes (`features`:
//! clean builds with the generated crate's optional features); `table`
//! holds the rows, ratios, targets and verdicts; `results` writes
//! `bench/RESULTS.md`.

mod features;
mod parse;
mod results;
mod run;
mod sections;
mod table;

use anyhow::{bail, Context, Result};
use sections::Bench;
use std::collections::BTreeSet;
use std::path::Path;
use table::Row;

/// What can be measured; `--only` takes a comma-separated subset.
const SECTIONS: &[&str] = &[
    "build", "check", "size", "lines", "requests", "codec", "codegen", "features",
];

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Comma-separated sections: build,check,size,lines,requests,codec,codegen,features (default: all).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
    /// `-j` for every cargo build (default: the number of CPUs).
    #[arg(long)]
    jobs: Option<usize>,
    /// GetService calls per load run (at 64 tasks the floor makes 50,000
    /// in about half a second, too short a run to compare; the time bound
    /// ends the slower runs).
    #[arg(long, default_value_t = 200_000)]
    requests: usize,
    /// Upper bound of one load run, in seconds.
    #[arg(long, default_value_t = 10.0)]
    max_seconds: f64,
    /// Worker threads of the hyper loopback server (default: the number of CPUs).
    #[arg(long)]
    server_workers: Option<usize>,
    /// Write bench/RESULTS.md even when --only selects a subset (a full run always writes it).
    #[arg(long)]
    write: bool,
}

/// Runs the selected sections, prints the results and, for a full run or
/// with `--write`, writes them to `bench/RESULTS.md`.
pub fn main(args: BenchArgs) -> Result<()> {
    let root = xtask::project_root();
    let full = args.only.is_empty();
    let only = if full {
        SECTIONS.iter().map(|s| s.to_string()).collect()
    } else {
        args.only.into_iter().collect()
    };
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let jobs = args.jobs.unwrap_or(cpus);
    let started = std::time::Instant::now();
    let report = run(
        &root,
        Options {
            only,
            jobs,
            requests: args.requests,
            max_seconds: args.max_seconds,
            server_workers: args.server_workers.unwrap_or(cpus).max(1),
        },
    )?;
    let results = results::render_results(&results::environment(jobs), &report, started.elapsed());
    println!("{results}");
    if full || args.write {
        let path = root.join("bench").join("RESULTS.md");
        std::fs::write(&path, &results).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// Options of a run.
#[derive(Clone, Debug)]
pub struct Options {
    /// The sections to run (see [`SECTIONS`]).
    pub only: BTreeSet<String>,
    /// `-j` for every cargo build.
    pub jobs: usize,
    /// GetService calls per load run (bounded also by `max_seconds`).
    pub requests: usize,
    /// Upper bound of one load run.
    pub max_seconds: f64,
    /// Worker threads of the hyper loopback server.
    pub server_workers: usize,
}

/// A finished run.
pub struct Report {
    /// The rows, in section order.
    pub rows: Vec<Row>,
    /// Notes printed under the table (how things were measured, details).
    pub notes: Vec<String>,
}

/// Runs the selected sections.
fn run(root: &Path, opts: Options) -> Result<Report> {
    for s in &opts.only {
        if !SECTIONS.contains(&s.as_str()) {
            bail!("unknown section `{s}`; known: {}", SECTIONS.join(","));
        }
    }
    let on = |s: &str| opts.only.contains(s);
    let (check, build, size, lines, requests, codec, codegen, features) = (
        on("check"),
        on("build"),
        on("size"),
        on("lines"),
        on("requests"),
        on("codec"),
        on("codegen"),
        on("features"),
    );
    let mut b = Bench {
        root: root.to_path_buf(),
        cargo: run::Cargo {
            bench: root.join("bench"),
            jobs: opts.jobs,
        },
        opts,
        rows: Vec::new(),
        notes: Vec::new(),
    };
    if check {
        section(&mut b, "check", Bench::check);
    }
    if build {
        section(&mut b, "build", Bench::build);
    }
    if size {
        section(&mut b, "size", Bench::size);
    }
    if lines {
        section(&mut b, "lines", Bench::lines);
    }
    if requests || codec {
        section(&mut b, "requests/codec", |b| b.with_server(requests, codec));
    }
    if codegen {
        section(&mut b, "codegen", Bench::codegen);
    }
    // Last: its feature builds leave the program's target dir built with
    // features, which the sections above would rebuild.
    if features {
        section(&mut b, "features", Bench::features);
    }
    Ok(Report {
        rows: b.rows,
        notes: b.notes,
    })
}

/// Runs one section; a failure is reported in the notes and the run goes on
/// (a late failure must not throw away half an hour of clean builds).
fn section(b: &mut Bench, name: &str, f: impl FnOnce(&mut Bench) -> Result<()>) {
    eprintln!("bench: == {name}");
    if let Err(e) = f(b) {
        eprintln!("bench: section `{name}` failed: {e:#}");
        b.notes.push(format!("**Section `{name}` failed**: {e:#}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_sections_are_refused_before_anything_runs() {
        let opts = Options {
            only: ["size".to_owned(), "speed".to_owned()].into(),
            jobs: 1,
            requests: 1,
            max_seconds: 1.0,
            server_workers: 1,
        };
        let err = run(Path::new("/nonexistent"), opts).err().unwrap();
        assert_eq!(
            err.to_string(),
            "unknown section `speed`; known: build,check,size,lines,requests,codec,codegen,features"
        );
    }
}
