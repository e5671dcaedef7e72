//! `cargo xtask bench`: the generated client against the official AWS SDK
//! for Rust, side by side in one run.
//!
//! The two programs live in `bench/` (a workspace of its own, so the
//! official crates never enter the main build): `bench-ours` on
//! `aws-proton`, `bench-official` on `aws-sdk-proton`, and `bench-server`,
//! the loopback server both call. This module runs the measurements and
//! renders the Markdown table; the small pure pieces (ratios, percentiles,
//! verdicts, parsing of cargo's output) are unit-tested.

use anyhow::{bail, Context, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What can be measured; `--only` takes a comma-separated subset.
pub const SECTIONS: &[&str] = &[
    "build", "check", "size", "lines", "requests", "codec", "codegen",
];

/// One of the two programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Program {
    /// `bench-ours`, on `aws-proton`.
    Ours,
    /// `bench-official`, on `aws-sdk-proton`.
    Official,
}

impl Program {
    /// Both, ours first.
    pub const BOTH: [Program; 2] = [Program::Ours, Program::Official];

    /// The short name (`ours`, `official`): target dir `bench/target-<name>`.
    pub fn name(self) -> &'static str {
        match self {
            Program::Ours => "ours",
            Program::Official => "official",
        }
    }

    /// The cargo package and binary.
    pub fn package(self) -> &'static str {
        match self {
            Program::Ours => "bench-ours",
            Program::Official => "bench-official",
        }
    }

    /// The client crate whose compile time and lines are reported alone.
    pub fn client_crate(self) -> &'static str {
        match self {
            Program::Ours => "aws-proton",
            Program::Official => "aws-sdk-proton",
        }
    }
}

/// What the project aims for, per row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// ours/official must be at most this.
    RatioAtMost(f64),
    /// ours/official must be at least this.
    RatioAtLeast(f64),
    /// ours must be under this many seconds.
    SecondsUnder(f64),
}

impl Target {
    /// How the target reads in the table (`≤ 0.25×`, `≥ 1.5×`, `< 1 s`).
    pub fn describe(self) -> String {
        match self {
            Target::RatioAtMost(r) => format!("≤ {}", format_ratio(r)),
            Target::RatioAtLeast(r) => format!("≥ {}", format_ratio(r)),
            Target::SecondsUnder(s) => format!("< {s} s"),
        }
    }

    /// `meets` or `short of target (…)`; `None` when a side was not measured.
    pub fn verdict(self, ours: Option<f64>, official: Option<f64>) -> Option<String> {
        let (met, is) = match self {
            Target::RatioAtMost(t) => {
                let r = ratio(ours?, official?)?;
                (r <= t, format_ratio(r))
            }
            Target::RatioAtLeast(t) => {
                let r = ratio(ours?, official?)?;
                (r >= t, format_ratio(r))
            }
            Target::SecondsUnder(t) => {
                let s = ours?;
                (s < t, format!("{s:.2} s"))
            }
        };
        Some(if met {
            "meets".to_owned()
        } else {
            format!("**short of target** ({is}, needs {})", self.describe())
        })
    }
}

/// ours / official, when both are finite and official is not zero.
pub fn ratio(ours: f64, official: f64) -> Option<f64> {
    let r = ours / official;
    (official != 0.0 && r.is_finite()).then_some(r)
}

/// `0.23×`, `1.5×`, `12×`: two significant digits, at most.
pub fn format_ratio(r: f64) -> String {
    let digits = if r >= 10.0 {
        0
    } else if r >= 1.0 {
        1
    } else if r >= 0.1 {
        2
    } else {
        3
    };
    let text = format!("{r:.digits$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    format!("{text}×")
}

/// The nearest-rank percentile `p` (0–100) of `sorted` (ascending);
/// `None` when empty.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

/// `key=value` pairs of a line like `requests=10 rps=5.0`.
pub fn parse_key_values(line: &str) -> BTreeMap<String, String> {
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// Unit durations, in seconds, from cargo's `--timings` HTML report
/// (`cargo-timing.html`, whose `UNIT_DATA` array has one object per unit
/// with `"name"`, `"target"` and `"duration"`). Units of the same crate
/// (its build script, its lib) are added up under the crate's name.
pub fn parse_timings_html(html: &str) -> Result<BTreeMap<String, f64>> {
    let start = html
        .find("UNIT_DATA")
        .context("no UNIT_DATA in the cargo timings report")?;
    let rest = &html[start..];
    let open = rest.find('[').context("UNIT_DATA is not an array")?;
    let close = matching_bracket(&rest[open..]).context("UNIT_DATA is not closed")?;
    let array = &rest[open + 1..open + close];
    let mut units = BTreeMap::new();
    for object in split_top_level_objects(array) {
        let name = json_string_field(object, "name").context("a unit without a name")?;
        let duration =
            json_number_field(object, "duration").context("a unit without a duration")?;
        *units.entry(name).or_insert(0.0) += duration;
    }
    Ok(units)
}

/// The offset of the `]` closing the `[` at offset 0, skipping strings.
fn matching_bracket(s: &str) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, c) in s.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => depth += 1,
            ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The `{…}` objects directly inside a JSON array's text.
fn split_top_level_objects(array: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = array;
    while let Some(open) = rest.find('{') {
        let Some(close) = matching_bracket(&rest[open..]) else {
            break;
        };
        out.push(&rest[open..=open + close]);
        rest = &rest[open + close + 1..];
    }
    out
}

/// The text after `"key":` in a flat JSON object, whitespace skipped.
fn json_field<'a>(object: &'a str, key: &str) -> Option<&'a str> {
    let needle = format!("\"{key}\"");
    let at = object.find(&needle)? + needle.len();
    let rest = object[at..].trim_start().strip_prefix(':')?;
    Some(rest.trim_start())
}

fn json_string_field(object: &str, key: &str) -> Option<String> {
    let rest = json_field(object, key)?.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_owned())
}

fn json_number_field(object: &str, key: &str) -> Option<f64> {
    let rest = json_field(object, key)?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// The distinct packages (`name version`) in `cargo tree --prefix none`
/// output: `(*)`, `(proc-macro)` and path suffixes dropped.
pub fn parse_cargo_tree(output: &str) -> BTreeSet<(String, String)> {
    output
        .lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?;
            let version = words.next()?.strip_prefix('v')?;
            Some((name.to_owned(), version.to_owned()))
        })
        .collect()
}

/// The runtime crates of the official SDK (what `aws-sdk-proton` shares
/// with every other service crate): `aws-smithy-*`, `aws-runtime*`,
/// `aws-config`, `aws-types`, `aws-sigv4`, `aws-credential-types`.
pub fn is_official_runtime_crate(name: &str) -> bool {
    name.starts_with("aws-smithy-")
        || name.starts_with("aws-runtime")
        || matches!(
            name,
            "aws-config" | "aws-types" | "aws-sigv4" | "aws-credential-types"
        )
}

/// Lines of Rust source: all lines, and code lines (not blank, not only a
/// `//` comment).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lines {
    /// Every line of every `.rs` file.
    pub all: usize,
    /// Lines that are neither blank nor comments (`//`, `///`, `//!`).
    pub code: usize,
}

impl std::ops::Add for Lines {
    type Output = Lines;
    fn add(self, other: Lines) -> Lines {
        Lines {
            all: self.all + other.all,
            code: self.code + other.code,
        }
    }
}

/// Counts the lines of one file's text.
pub fn count_lines(text: &str) -> Lines {
    let mut lines = Lines::default();
    for line in text.lines() {
        lines.all += 1;
        let t = line.trim();
        if !t.is_empty() && !t.starts_with("//") {
            lines.code += 1;
        }
    }
    lines
}

/// Lines of every `.rs` file under `dir`, recursively.
pub fn count_dir(dir: &Path) -> Result<Lines> {
    let mut total = Lines::default();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            total = total + count_dir(&path)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            total = total + count_lines(&text);
        }
    }
    Ok(total)
}

/// One table row: a measure, both sides, the target.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// What is measured, with its unit.
    pub measure: String,
    /// Our side, formatted.
    pub ours: String,
    /// The official side, formatted.
    pub official: String,
    /// Our number (for the ratio), when measured.
    pub ours_value: Option<f64>,
    /// The official number, when measured.
    pub official_value: Option<f64>,
    /// The project's target, if this row has one.
    pub target: Option<Target>,
}

impl Row {
    /// A row of two numbers shown with `unit` and `decimals`.
    pub fn numbers(
        measure: &str,
        ours: f64,
        official: f64,
        decimals: usize,
        target: Option<Target>,
    ) -> Self {
        Row {
            measure: measure.to_owned(),
            ours: format!("{ours:.decimals$}"),
            official: format!("{official:.decimals$}"),
            ours_value: Some(ours),
            official_value: Some(official),
            target,
        }
    }

    /// A row where only our side has a number.
    pub fn ours_only(measure: &str, ours: String, value: f64, official: &str) -> Self {
        Row {
            measure: measure.to_owned(),
            ours,
            official: official.to_owned(),
            ours_value: Some(value),
            official_value: None,
            target: None,
        }
    }

    /// Sets the target.
    pub fn with_target(mut self, target: Target) -> Self {
        self.target = Some(target);
        self
    }
}

/// The Markdown table: measure, ours, official, ratio (ours/official),
/// target, verdict.
pub fn render_table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| measure | aws-proton (ours) | aws-sdk-proton (official) | ours / official | target | verdict |\n\
         |---|--:|--:|--:|---|---|\n",
    );
    for row in rows {
        let ratio = match (row.ours_value, row.official_value) {
            (Some(o), Some(t)) => ratio(o, t).map(format_ratio),
            _ => None,
        };
        let target = row.target.map(Target::describe);
        let verdict = row
            .target
            .and_then(|t| t.verdict(row.ours_value, row.official_value));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            row.measure,
            row.ours,
            row.official,
            ratio.as_deref().unwrap_or("–"),
            target.as_deref().unwrap_or(""),
            verdict.as_deref().unwrap_or(""),
        );
    }
    out
}

/// Human-readable bytes: `1.2 MiB`, `830 KiB`.
pub fn format_bytes(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", b / (1024.0 * 1024.0))
    } else if b >= 1024.0 {
        format!("{:.0} KiB", b / 1024.0)
    } else {
        format!("{bytes} B")
    }
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
}

/// A finished run.
pub struct Report {
    /// The rows, in section order.
    pub rows: Vec<Row>,
    /// Notes printed under the table (how things were measured, details).
    pub notes: Vec<String>,
}

struct Bench {
    root: PathBuf,
    bench: PathBuf,
    opts: Options,
    rows: Vec<Row>,
    notes: Vec<String>,
}

/// Runs the selected sections.
pub fn run(root: &Path, opts: Options) -> Result<Report> {
    for s in &opts.only {
        if !SECTIONS.contains(&s.as_str()) {
            bail!("unknown section `{s}`; known: {}", SECTIONS.join(","));
        }
    }
    let mut b = Bench {
        root: root.to_path_buf(),
        bench: root.join("bench"),
        opts,
        rows: Vec::new(),
        notes: Vec::new(),
    };
    let on = |s: &str| b.opts.only.contains(s);
    let (check, build, size, lines, requests, codec, codegen) = (
        on("check"),
        on("build"),
        on("size"),
        on("lines"),
        on("requests"),
        on("codec"),
        on("codegen"),
    );
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

fn run_checked(cmd: &mut Command) -> Result<String> {
    let output = cmd
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {cmd:?}"))?;
    if !output.status.success() {
        bail!("{cmd:?} failed: {}", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

impl Bench {
    fn target_dir(&self, p: Program) -> PathBuf {
        self.bench.join(format!("target-{}", p.name()))
    }

    fn binary(&self, p: Program) -> PathBuf {
        self.target_dir(p).join("release").join(p.package())
    }

    fn cargo(&self, args: &[&str], target_dir: &Path) -> Command {
        let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        cmd.current_dir(&self.bench)
            .args(args)
            .arg("--target-dir")
            .arg(target_dir)
            .arg("-j")
            .arg(self.opts.jobs.to_string())
            .env_remove("RUSTFLAGS")
            .env("CARGO_TERM_COLOR", "never");
        cmd
    }

    /// Wall seconds of a clean `cargo <what>` of program `p`.
    fn clean_cargo(&self, p: Program, what: &[&str]) -> Result<f64> {
        let dir = self.target_dir(p);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        let mut args = what.to_vec();
        args.extend(["-p", p.package()]);
        eprintln!(
            "bench: clean `cargo {}` of {} ...",
            args.join(" "),
            p.package()
        );
        let started = Instant::now();
        let output = self.cargo(&args, &dir).stdout(Stdio::null()).output()?;
        let secs = started.elapsed().as_secs_f64();
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
            bail!(
                "cargo {} failed ({}):\n{}",
                args.join(" "),
                output.status,
                tail.into_iter().rev().collect::<Vec<_>>().join("\n")
            );
        }
        eprintln!("bench:   {secs:.1} s");
        Ok(secs)
    }

    fn check(&mut self) -> Result<()> {
        let ours = self.clean_cargo(Program::Ours, &["check"])?;
        let official = self.clean_cargo(Program::Official, &["check"])?;
        self.rows.push(Row::numbers(
            "clean `cargo check` of the program (s)",
            ours,
            official,
            1,
            None,
        ));
        Ok(())
    }

    fn build(&mut self) -> Result<()> {
        let mut secs = Vec::new();
        let mut client = Vec::new();
        let mut runtime = Vec::new();
        for p in Program::BOTH {
            secs.push(self.clean_cargo(p, &["build", "--release", "--timings"])?);
            let report = self
                .target_dir(p)
                .join("cargo-timings")
                .join("cargo-timing.html");
            let html = std::fs::read_to_string(&report)
                .with_context(|| format!("reading {}", report.display()))?;
            let units = parse_timings_html(&html)?;
            client.push(
                units.get(p.client_crate()).copied().with_context(|| {
                    format!("{} is not in {}", p.client_crate(), report.display())
                })?,
            );
            let rt: f64 = units
                .iter()
                .filter(|(name, _)| match p {
                    Program::Ours => name.as_str() == "aws-json-runtime",
                    Program::Official => is_official_runtime_crate(name),
                })
                .map(|(_, d)| d)
                .sum();
            runtime.push(rt);
        }
        self.notes.push(format!(
            "Clean builds: the program's target dir (`bench/target-<name>`) removed, then \
             `cargo build --release --timings -j {}` (and, for the check row, `cargo check`), \
             wall time. The client-crate row is that crate's unit duration in cargo's timings \
             report; the runtime row adds up the runtime crates' units (ours: aws-json-runtime; \
             official: aws-smithy-*, aws-runtime, aws-config, aws-types, aws-sigv4, \
             aws-credential-types), which overlap in time with other units.",
            self.opts.jobs
        ));
        self.rows.push(
            Row::numbers(
                "clean `cargo build --release` of the program (s)",
                secs[0],
                secs[1],
                1,
                None,
            )
            .with_target(Target::RatioAtMost(0.25)),
        );
        self.rows.push(Row::numbers(
            "… the client crate alone (s, `--timings` unit duration)",
            client[0],
            client[1],
            1,
            None,
        ));
        self.rows.push(Row::numbers(
            "… its runtime crates (s, sum of `--timings` unit durations)",
            runtime[0],
            runtime[1],
            1,
            None,
        ));
        Ok(())
    }

    /// Builds `p` in release if its binary is missing (no-op when fresh).
    fn ensure_built(&self, p: Program) -> Result<PathBuf> {
        let status = self
            .cargo(
                &["build", "--release", "-q", "-p", p.package()],
                &self.target_dir(p),
            )
            .status()?;
        if !status.success() {
            bail!("building {} failed", p.package());
        }
        Ok(self.binary(p))
    }

    fn size(&mut self) -> Result<()> {
        let mut unstripped = Vec::new();
        let mut stripped = Vec::new();
        let mut crates = Vec::new();
        for p in Program::BOTH {
            let bin = self.ensure_built(p)?;
            unstripped.push(std::fs::metadata(&bin)?.len());
            let copy = self.target_dir(p).join(format!("{}.stripped", p.package()));
            std::fs::copy(&bin, &copy)?;
            run_checked(Command::new("strip").arg(&copy))?;
            stripped.push(std::fs::metadata(&copy)?.len());
            let tree = run_checked(
                Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                    .current_dir(&self.bench)
                    .args(["tree", "-q", "-e", "normal,build", "--prefix", "none", "-p"])
                    .arg(p.package()),
            )?;
            // The program itself is not counted.
            crates.push(parse_cargo_tree(&tree).len().saturating_sub(1));
        }
        let bytes_row = |measure: &str, v: &[u64], target: Option<Target>| Row {
            measure: measure.to_owned(),
            ours: format_bytes(v[0]),
            official: format_bytes(v[1]),
            ours_value: Some(v[0] as f64),
            official_value: Some(v[1] as f64),
            target,
        };
        self.rows
            .push(bytes_row("release binary, unstripped", &unstripped, None));
        self.rows.push(bytes_row(
            "release binary, stripped (`strip`)",
            &stripped,
            Some(Target::RatioAtMost(1.0 / 3.0)),
        ));
        self.rows.push(Row::numbers(
            "crates in the dependency graph (normal + build, program excluded)",
            crates[0] as f64,
            crates[1] as f64,
            0,
            None,
        ));
        self.notes.push(
            "Binary sizes: the release binary as cargo builds it (cargo's default release \
             profile), and a copy run through binutils `strip`. Crates: distinct packages in \
             `cargo tree -e normal,build` of the program."
                .to_owned(),
        );
        Ok(())
    }

    fn lines(&mut self) -> Result<()> {
        let ours_crate = count_dir(&self.root.join("generated/proton/src"))?;
        let ours_rt = count_dir(&self.root.join("runtime/src"))?;
        let tree = run_checked(
            Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
                .current_dir(&self.bench)
                .args([
                    "tree",
                    "-q",
                    "-e",
                    "normal,build",
                    "--prefix",
                    "none",
                    "-p",
                    "bench-official",
                ]),
        )?;
        let packages = parse_cargo_tree(&tree);
        let registry = registry_src_dirs()?;
        let find = |name: &str, version: &str| -> Result<PathBuf> {
            let dir_name = format!("{name}-{version}");
            registry
                .iter()
                .map(|r| r.join(&dir_name).join("src"))
                .find(|d| d.is_dir())
                .with_context(|| format!("{dir_name} is not in the cargo registry sources"))
        };
        let (sdk_name, sdk_version) = packages
            .iter()
            .find(|(n, _)| n == "aws-sdk-proton")
            .context("aws-sdk-proton is not in bench-official's dependencies")?;
        let their_crate = count_dir(&find(sdk_name, sdk_version)?)?;
        let mut their_rt = Lines::default();
        let mut rt_names = Vec::new();
        for (name, version) in packages
            .iter()
            .filter(|(n, _)| is_official_runtime_crate(n))
        {
            their_rt = their_rt + count_dir(&find(name, version)?)?;
            rt_names.push(format!("{name} {version}"));
        }
        self.notes.push(format!(
            "Official runtime crates counted: {}. Ours: `runtime/src` (aws-json-runtime).",
            rt_names.join(", ")
        ));
        let both = ours_crate + ours_rt;
        let theirs = their_crate + their_rt;
        let target = Target::RatioAtMost(1.0 / 3.0);
        self.rows.push(
            Row::numbers(
                "lines of Rust, client crate (code: not blank, not comment)",
                ours_crate.code as f64,
                their_crate.code as f64,
                0,
                None,
            )
            .with_target(target),
        );
        self.rows.push(
            Row::numbers(
                "lines of Rust, client crate (all lines)",
                ours_crate.all as f64,
                their_crate.all as f64,
                0,
                None,
            )
            .with_target(target),
        );
        self.rows.push(Row::numbers(
            "lines of Rust, client crate + runtime (code)",
            both.code as f64,
            theirs.code as f64,
            0,
            None,
        ));
        self.rows.push(Row::numbers(
            "lines of Rust, client crate + runtime (all lines)",
            both.all as f64,
            theirs.all as f64,
            0,
            None,
        ));
        Ok(())
    }

    fn with_server(&mut self, requests: bool, codec: bool) -> Result<()> {
        let server_dir = self.bench.join("target-server");
        let status = self
            .cargo(
                &["build", "--release", "-q", "-p", "bench-server"],
                &server_dir,
            )
            .status()?;
        if !status.success() {
            bail!("building bench-server failed");
        }
        let bins = [
            self.ensure_built(Program::Ours)?,
            self.ensure_built(Program::Official)?,
        ];
        let server_bin = server_dir.join("release").join("bench-server");
        let mut server = Server::start(&server_bin)?;
        let url = server.url.clone();
        let result = (|| -> Result<()> {
            for bin in &bins {
                let out = run_checked(Command::new(bin).args(["demo", &url, "us-east-1"]))?;
                eprintln!("bench: {} demo:\n{}", bin.display(), out.trim_end());
            }
            if requests {
                self.requests(&bins, &url)?;
            }
            if codec {
                self.codec(&bins, &url, &server_bin)?;
            }
            Ok(())
        })();
        server.stop();
        result
    }

    fn requests(&mut self, bins: &[PathBuf; 2], url: &str) -> Result<()> {
        self.notes.push(format!(
            "GetService load: {} calls or {} s, whichever ends first, shared by 1 or 64 tokio \
             tasks on the default multi-thread runtime, after as many warm-up calls as tasks; \
             both programs against the same `bench-server` process (std, a thread per \
             connection, keep-alive, fixed answers, no signature check), ours first. \
             Percentiles: nearest rank over every call's latency.",
            self.opts.requests, self.opts.max_seconds
        ));
        for concurrency in [1usize, 64] {
            let mut stats = Vec::new();
            for bin in bins {
                let out = run_checked(Command::new(bin).args([
                    "load",
                    url,
                    "us-east-1",
                    &self.opts.requests.to_string(),
                    &concurrency.to_string(),
                    &self.opts.max_seconds.to_string(),
                ]))?;
                stats.push(load_stats(&out)?);
            }
            let (o, t) = (&stats[0], &stats[1]);
            eprintln!("bench: GetService c={concurrency}: ours {o:?}, official {t:?}");
            self.rows.push(
                Row::numbers(
                    &format!("GetService requests/s, {concurrency} task(s)"),
                    o.rps,
                    t.rps,
                    0,
                    None,
                )
                .with_target(Target::RatioAtLeast(1.5)),
            );
            self.rows.push(Row::numbers(
                &format!("GetService p50 latency, {concurrency} task(s) (µs)"),
                o.p50_us,
                t.p50_us,
                0,
                None,
            ));
            self.rows.push(Row::numbers(
                &format!("GetService p99 latency, {concurrency} task(s) (µs)"),
                o.p99_us,
                t.p99_us,
                0,
                None,
            ));
            self.notes.push(format!(
                "GetService, {concurrency} task(s): ours {} requests in {:.2} s, official {} in {:.2} s.",
                o.requests, o.seconds, t.requests, t.seconds
            ));
        }
        Ok(())
    }

    fn codec(&mut self, bins: &[PathBuf; 2], url: &str, server_bin: &Path) -> Result<()> {
        let fixture = self
            .bench
            .join("target-server")
            .join("list-service-instances-1000.json");
        let json = run_checked(Command::new(server_bin).args(["dump-instances", "1000"]))?;
        std::fs::write(&fixture, json.trim_end())?;
        let fixture = fixture.display().to_string();
        let out = run_checked(Command::new(&bins[0]).args(["codec", &fixture, "300"]))?;
        let kv = parse_key_values(out.lines().last().unwrap_or(""));
        let num = |k: &str| -> Result<f64> {
            kv.get(k)
                .and_then(|v| v.parse().ok())
                .with_context(|| format!("no `{k}` in the codec output: {out}"))
        };
        let (parse_us, parse_mb) = (num("parse_us")?, num("parse_mb_s")?);
        let (ser_us, ser_mb) = (num("serialize_us")?, num("serialize_mb_s")?);
        let (parse_bytes, ser_bytes) = (num("parse_bytes")?, num("serialize_bytes")?);
        let na = "n/a (not public API)";
        self.rows.push(Row::ours_only(
            &format!(
                "parse ListServiceInstances output, 1,000 items ({:.0} KiB), codec only (µs)",
                parse_bytes / 1024.0
            ),
            format!("{parse_us:.0} ({parse_mb:.0} MB/s)"),
            parse_us,
            na,
        ));
        self.rows.push(Row::ours_only(
            &format!(
                "serialize ListServiceInstances input, 1,000 filters ({:.0} KiB), codec only (µs)",
                ser_bytes / 1024.0
            ),
            format!("{ser_us:.0} ({ser_mb:.0} MB/s)"),
            ser_us,
            na,
        ));
        let mut per_call = Vec::new();
        for bin in bins {
            let out = run_checked(Command::new(bin).args(["large", url, "us-east-1", "200"]))?;
            let kv = parse_key_values(out.lines().last().unwrap_or(""));
            per_call.push(
                kv.get("us_per_call")
                    .and_then(|v| v.parse::<f64>().ok())
                    .with_context(|| format!("no us_per_call in {out}"))?,
            );
        }
        self.rows.push(Row::numbers(
            "ListServiceInstances, 1,000 items, whole call over loopback (µs/call)",
            per_call[0],
            per_call[1],
            0,
            None,
        ));
        self.notes.push(
            "The official SDK's JSON (de)serializers are private to `aws-sdk-proton`, so its codec \
             cannot be timed alone; the whole-call row (serialize, sign, loopback HTTP, parse of the \
             same 1,000-item answer) is the comparable measure."
                .to_owned(),
        );
        Ok(())
    }

    fn codegen(&mut self) -> Result<()> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(&cargo)
            .current_dir(&self.root)
            .args(["build", "--release", "-q", "-p", "xtask"])
            .status()?;
        if !status.success() {
            bail!("building xtask in release failed");
        }
        let xtask = self.root.join("target").join("release").join("xtask");
        let mut best = f64::INFINITY;
        let mut said = String::new();
        for _ in 0..3 {
            let started = Instant::now();
            said = run_checked(Command::new(&xtask).current_dir(&self.root).arg("codegen"))?;
            best = best.min(started.elapsed().as_secs_f64());
        }
        self.rows.push(
            Row::ours_only(
                "`cargo xtask codegen` on the Proton model, release xtask, wall (s, best of 3)",
                format!("{best:.2}"),
                best,
                "n/a (smithy-rs generates with Gradle; not run)",
            )
            .with_target(Target::SecondsUnder(1.0)),
        );
        self.notes
            .push(format!("`xtask codegen` said: {}", said.trim_end()));
        Ok(())
    }
}

/// What one load run printed.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadStats {
    /// Calls made.
    pub requests: usize,
    /// Wall time of the run.
    pub seconds: f64,
    /// requests / seconds.
    pub rps: f64,
    /// Median latency.
    pub p50_us: f64,
    /// 99th percentile latency.
    pub p99_us: f64,
}

/// Reads a program's `load` output: the `requests=… seconds=…` line and the
/// `latencies_us=…` list, percentiles computed here with [`percentile`].
pub fn load_stats(output: &str) -> Result<LoadStats> {
    let summary = output
        .lines()
        .find(|l| l.starts_with("requests="))
        .context("no `requests=` line in the load output")?;
    let kv = parse_key_values(summary);
    let get = |k: &str| -> Result<f64> {
        kv.get(k)
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("no `{k}` in `{summary}`"))
    };
    let mut latencies: Vec<f64> = output
        .lines()
        .find_map(|l| l.strip_prefix("latencies_us="))
        .context("no `latencies_us=` line in the load output")?
        .split(',')
        .filter_map(|v| v.parse().ok())
        .collect();
    latencies.sort_by(f64::total_cmp);
    let requests = get("requests")? as usize;
    let seconds = get("seconds")?;
    Ok(LoadStats {
        requests,
        seconds,
        rps: requests as f64 / seconds,
        p50_us: percentile(&latencies, 50.0).context("no latencies")?,
        p99_us: percentile(&latencies, 99.0).context("no latencies")?,
    })
}

/// `$CARGO_HOME/registry/src/*` (default `~/.cargo`).
fn registry_src_dirs() -> Result<Vec<PathBuf>> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .context("neither CARGO_HOME nor HOME is set")?;
    let src = home.join("registry").join("src");
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(&src).with_context(|| format!("reading {}", src.display()))? {
        dirs.push(entry?.path());
    }
    Ok(dirs)
}

/// The loopback server process, stopped on drop.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(bin: &Path) -> Result<Server> {
        let mut child = Command::new(bin)
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;
        let stdout = child.stdout.take().context("no server stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let Some(url) = line.trim().strip_prefix("listening on ") else {
            let _ = child.kill();
            bail!("the bench server said `{}`", line.trim());
        };
        Ok(Server {
            url: url.to_owned(),
            child,
        })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The environment the run happened in: date, toolchain, CPU.
pub fn environment(jobs: usize) -> String {
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let (model, cores) = cpu_model_and_count(&cpuinfo);
    format!(
        "- date: {date}\n- toolchain: {rustc}\n- CPU: {model}, {cores} logical cores (`cargo -j {jobs}`)\n"
    )
}

/// The first `model name` and the number of `processor` entries.
pub fn cpu_model_and_count(cpuinfo: &str) -> (String, usize) {
    let field = |line: &str, key: &str| {
        line.split_once(':')
            .filter(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_owned())
    };
    let model = cpuinfo
        .lines()
        .find_map(|l| field(l, "model name"))
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let count = cpuinfo
        .lines()
        .filter(|l| field(l, "processor").is_some())
        .count();
    (model, count)
}

/// The whole `bench/RESULTS.md`.
pub fn render_results(environment: &str, report: &Report, elapsed: Duration) -> String {
    let mut out = String::from(
        "# Benchmarks: aws-proton against the official aws-sdk-proton\n\n\
         Written by `cargo xtask bench` (see `xtask/src/bench.rs`); both programs are in \
         `bench/` and do the same calls. Ratios are ours / official, measured in one run on \
         a shared machine, so absolute numbers are noisy; the ratios are what to read.\n\n",
    );
    out.push_str(environment);
    out.push_str(
        "- programs: `bench/ours` (aws-proton + aws-json-runtime, `config::loader()`) and \
         `bench/official` (aws-sdk-proton and aws-config with their default features, \
         `aws_config::defaults`); both page through ListServices with `into_paginator()`, \
         both set the endpoint URL, the region and static credentials, \
         and call ListServices (all pages), GetService and CreateService.\n",
    );
    let _ = writeln!(out, "- run took {:.0} s\n", elapsed.as_secs_f64());
    out.push_str(&render_table(&report.rows));
    if !report.notes.is_empty() {
        out.push_str("\nNotes:\n\n");
        for note in &report.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_are_formatted_with_two_significant_digits() {
        assert_eq!(format_ratio(0.2345), "0.23×");
        assert_eq!(format_ratio(0.25), "0.25×");
        assert_eq!(format_ratio(1.5), "1.5×");
        assert_eq!(format_ratio(2.0), "2×");
        assert_eq!(format_ratio(12.4), "12×");
        assert_eq!(format_ratio(0.0456), "0.046×");
        assert_eq!(format_ratio(1.0 / 3.0), "0.33×");
        assert_eq!(ratio(1.0, 4.0), Some(0.25));
        assert_eq!(ratio(1.0, 0.0), None);
    }

    #[test]
    fn percentile_is_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(50.0));
        assert_eq!(percentile(&v, 99.0), Some(99.0));
        assert_eq!(percentile(&v, 100.0), Some(100.0));
        assert_eq!(percentile(&v, 0.0), Some(1.0));
        assert_eq!(percentile(&[7.0], 99.0), Some(7.0));
        assert_eq!(percentile(&[1.0, 2.0, 3.0], 50.0), Some(2.0));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn verdicts_say_plainly_where_we_fall_short() {
        let build = Target::RatioAtMost(0.25);
        assert_eq!(build.verdict(Some(10.0), Some(50.0)).unwrap(), "meets");
        assert_eq!(
            build.verdict(Some(20.0), Some(50.0)).unwrap(),
            "**short of target** (0.4×, needs ≤ 0.25×)"
        );
        let rps = Target::RatioAtLeast(1.5);
        assert_eq!(rps.verdict(Some(300.0), Some(100.0)).unwrap(), "meets");
        assert!(rps
            .verdict(Some(120.0), Some(100.0))
            .unwrap()
            .starts_with("**short of target** (1.2×"));
        let codegen = Target::SecondsUnder(1.0);
        assert_eq!(codegen.verdict(Some(0.4), None).unwrap(), "meets");
        assert_eq!(
            codegen.verdict(Some(1.25), None).unwrap(),
            "**short of target** (1.25 s, needs < 1 s)"
        );
        assert_eq!(build.verdict(Some(1.0), None), None);
    }

    #[test]
    fn table_has_both_columns_ratio_and_verdict() {
        let rows = vec![
            Row::numbers("build (s)", 30.0, 240.0, 1, Some(Target::RatioAtMost(0.25))),
            Row::ours_only("parse (µs)", "900".into(), 900.0, "n/a (not public API)"),
        ];
        let table = render_table(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("| measure | aws-proton (ours) | aws-sdk-proton (official) |"));
        assert_eq!(
            lines[2],
            "| build (s) | 30.0 | 240.0 | 0.12× | ≤ 0.25× | meets |"
        );
        assert_eq!(
            lines[3],
            "| parse (µs) | 900 | n/a (not public API) | – |  |  |"
        );
    }

    #[test]
    fn timings_html_units_are_summed_per_crate() {
        let html = r#"<script>
const UNIT_DATA = [
  {"i":0,"name":"aws-proton","version":"0.1.0","mode":"todo","target":"","start":1.0,"duration":12.5,"rmeta_time":5.0,"unlocked_units":[1],"unlocked_rmeta_units":[]},
  {"i":1,"name":"ring","version":"0.17.8","mode":"run-custom-build","target":" build script (run)","start":0.5,"duration":3.25,"unlocked_units":[],"unlocked_rmeta_units":[]},
  {"i":2,"name":"ring","version":"0.17.8","mode":"todo","target":"","start":4.0,"duration":2.0,"unlocked_units":[],"unlocked_rmeta_units":[]},
  {"i":3,"name":"weird\"[name","version":"1","target":"","duration":1e-1}
];
const CONCURRENCY_DATA = [{"t":0.0}];
</script>"#;
        let units = parse_timings_html(html).unwrap();
        assert_eq!(units["aws-proton"], 12.5);
        assert_eq!(units["ring"], 5.25);
        assert_eq!(units.len(), 3);
        assert!(parse_timings_html("<html></html>").is_err());
    }

    #[test]
    fn cargo_tree_packages_are_deduplicated() {
        let out = "bench-ours v0.1.0 (/w/bench/ours)\naws-proton v0.1.0 (/w/generated/proton)\n\
                   tokio v1.54.1\ntokio-macros v2.6.0 (proc-macro)\ntokio v1.54.1 (*)\n\n";
        let set = parse_cargo_tree(out);
        assert_eq!(set.len(), 4);
        assert!(set.contains(&("tokio".to_owned(), "1.54.1".to_owned())));
        assert!(is_official_runtime_crate("aws-smithy-runtime-api"));
        assert!(is_official_runtime_crate("aws-runtime"));
        assert!(is_official_runtime_crate("aws-config"));
        assert!(!is_official_runtime_crate("aws-sdk-proton"));
        assert!(!is_official_runtime_crate("aws-lc-rs"));
    }

    #[test]
    fn lines_count_code_apart_from_comments_and_blanks() {
        let text = "//! crate docs\n\n/// item docs\nfn f() {\n    // note\n    1\n}\n";
        assert_eq!(count_lines(text), Lines { all: 7, code: 3 });
    }

    #[test]
    fn load_output_is_read_and_percentiles_recomputed() {
        let out = "requests=4 seconds=2.000 rps=2.0 p50_us=0 p99_us=0\nlatencies_us=40.0,10.0,30.0,20.0\n";
        let stats = load_stats(out).unwrap();
        assert_eq!(stats.requests, 4);
        assert_eq!(stats.rps, 2.0);
        assert_eq!(stats.p50_us, 20.0);
        assert_eq!(stats.p99_us, 40.0);
        assert!(load_stats("nothing").is_err());
        let kv = parse_key_values("a=1 b=x=y c");
        assert_eq!(kv["a"], "1");
        assert_eq!(kv["b"], "x=y");
        assert_eq!(kv.len(), 2);
    }

    #[test]
    fn cpu_model_and_core_count_come_from_cpuinfo() {
        let info = "processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\n\nprocessor\t: 1\nmodel name\t: Example CPU @ 2.0GHz\n";
        assert_eq!(
            cpu_model_and_count(info),
            ("Example CPU @ 2.0GHz".to_owned(), 2)
        );
    }

    #[test]
    fn bytes_are_human_readable() {
        assert_eq!(format_bytes(512), "512 B");
        assert_eq!(format_bytes(10 * 1024), "10 KiB");
        assert_eq!(format_bytes(3 * 1024 * 1024 + 512 * 1024), "3.5 MiB");
    }
}
