//! The measurements, one method per section: each runs what it needs and
//! adds its rows and notes.

use super::parse::{
    codec_stats, count_dir, is_official_runtime_crate, load_stats, parse_cargo_tree,
    parse_key_values, parse_timings_html, CodecStats, Lines, LoadStats,
};
use super::run::{
    cargo_program, registry_src_dirs, run_checked, BuildTime, Cargo, Helpers, Program, Server,
};
use super::table::{Row, Target};
use super::Options;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A run in progress: what has been measured so far.
pub struct Bench {
    /// The project root.
    pub root: PathBuf,
    /// Cargo on `bench/`.
    pub cargo: Cargo,
    /// The run's options.
    pub opts: Options,
    /// Rows so far, in section order.
    pub rows: Vec<Row>,
    /// Notes so far.
    pub notes: Vec<String>,
}

impl Bench {
    pub fn check(&mut self) -> Result<()> {
        let ours = self.cargo.clean(Program::Ours, &["check"])?;
        let official = self.cargo.clean(Program::Official, &["check"])?;
        // Issue 16: a cold check at most 0.2× the official's.
        self.rows.push(Row::numbers(
            "clean `cargo check` of the program (s)",
            ours.wall,
            official.wall,
            1,
            Some(Target::RatioAtMost(0.2)),
        ));
        self.rows.extend(cpu_row("… its CPU time", ours, official));
        Ok(())
    }

    pub fn build(&mut self) -> Result<()> {
        let mut times = Vec::new();
        let mut client = Vec::new();
        let mut runtime = Vec::new();
        for p in Program::BOTH {
            times.push(self.cargo.clean(p, &["build", "--release", "--timings"])?);
            let report = self
                .cargo
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
             wall time; the CPU rows are the user + system time of cargo and everything it ran \
             (compilers, build scripts, their C compilers), from `/proc/self/stat` of xtask, which \
             a loaded machine changes far less than the wall time. The client-crate row is that crate's unit duration in cargo's timings \
             report; the runtime row adds up the runtime crates' units (ours: aws-json-runtime; \
             official: aws-smithy-*, aws-runtime, aws-config, aws-types, aws-sigv4, \
             aws-credential-types), which overlap in time with other units.",
            self.opts.jobs
        ));
        self.rows.push(
            Row::numbers(
                "clean `cargo build --release` of the program (s)",
                times[0].wall,
                times[1].wall,
                1,
                None,
            )
            // Issue 16: a clean release build at most 0.2× the official's.
            .with_target(Target::RatioAtMost(0.2)),
        );
        self.rows
            .extend(cpu_row("… its CPU time", times[0], times[1]));
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

    pub fn size(&mut self) -> Result<()> {
        let mut unstripped = Vec::new();
        let mut stripped = Vec::new();
        let mut crates = Vec::new();
        for p in Program::BOTH {
            let bin = self.cargo.ensure_built(p)?;
            unstripped.push(std::fs::metadata(&bin)?.len());
            stripped.push(self.cargo.stripped_size(p)?);
            let tree = self.cargo.tree(p.package())?;
            // The bench's own crates (the program, `bench-common`) are not counted.
            crates.push(
                parse_cargo_tree(&tree)
                    .iter()
                    .filter(|(name, _)| !name.starts_with("bench-"))
                    .count(),
            );
        }
        self.rows.push(Row::bytes(
            "release binary, unstripped",
            unstripped[0],
            unstripped[1],
            None,
        ));
        self.rows.push(Row::bytes(
            "release binary, stripped (`strip`)",
            stripped[0],
            stripped[1],
            // Issue 16: at most 0.25× the official's.
            Some(Target::RatioAtMost(0.25)),
        ));
        self.rows.push(Row::numbers(
            "crates in the dependency graph (normal + build, the bench's own crates excluded)",
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

    pub fn lines(&mut self) -> Result<()> {
        let ours_crate = count_dir(&self.root.join("generated/proton/src"))?;
        let ours_rt = count_dir(&self.root.join("runtime/src"))?;
        let packages = parse_cargo_tree(&self.cargo.tree(Program::Official.package())?);
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

    /// The sections that need the loopback server: it runs once for all
    /// programs.
    pub fn with_server(&mut self, requests: bool, codec: bool) -> Result<()> {
        let helpers = self.cargo.build_helpers()?;
        let bins = [
            self.cargo.ensure_built(Program::Ours)?,
            self.cargo.ensure_built(Program::Official)?,
        ];
        let workers = self.opts.server_workers.to_string();
        let mut server = Server::start(&helpers.server, &["hyper", &workers])?;
        let url = server.url.clone();
        let result = (|| -> Result<()> {
            for bin in &bins {
                let out = run_checked(Command::new(bin).args(["demo", &url, "us-east-1"]))?;
                eprintln!("bench: {} demo:\n{}", bin.display(), out.trim_end());
            }
            if requests {
                self.requests(&bins, &helpers.floor, &url)?;
            }
            if codec {
                self.codec(&bins, &url, &helpers)?;
            }
            Ok(())
        })();
        server.stop();
        result
    }

    fn requests(&mut self, bins: &[PathBuf; 2], floor_bin: &Path, url: &str) -> Result<()> {
        // What ours sends, signed once, for the floor to replay.
        let request = run_checked(Command::new(&bins[0]).args(["request", url, "us-east-1"]))?;
        let request_file = self.cargo.server_dir().join("get-service-request.txt");
        std::fs::write(&request_file, &request)
            .with_context(|| format!("writing {}", request_file.display()))?;
        let request_file = request_file.display().to_string();
        self.notes.push(format!(
            "GetService load: {} calls or {} s, whichever ends first, shared by 1 or 64 tokio \
             tasks on the default multi-thread runtime, after one warm-up call per task (all at \
             once, so the pool holds the connections the run needs); all three programs against \
             the same `bench-server hyper {}` process (hyper 1 HTTP/1.1 on a tokio runtime with \
             {} worker threads, keep-alive, fixed answers, no signature check), in the order \
             ours, official, floor. The floor is `bench-floor`: plain hyper 1 \
             (`client::conn::http1`, one connection per task, no pool) sending, byte for byte, \
             the request ours sends (captured by `bench-ours request`: the same headers in the \
             same order, a fixed `Authorization` and `X-Amz-Date` signed once, the same body), \
             reading the answer whole; no SDK, no signing. Percentiles: nearest rank over every \
             call's latency. CPU per call: user + system time of the whole program \
             (`getrusage`) over the run, divided by the calls; allocations per call: a counting \
             global allocator in each program (allocations and reallocations).",
            self.opts.requests,
            self.opts.max_seconds,
            self.opts.server_workers,
            self.opts.server_workers,
        ));
        let captured: Vec<&str> = request
            .lines()
            .filter_map(|l| l.strip_prefix("header="))
            .map(|h| h.split_once(':').map_or(h, |(name, _)| name))
            .collect();
        self.notes.push(format!(
            "The request replayed by the floor: headers {} and the JSON body.",
            captured.join(", ")
        ));
        for concurrency in [1usize, 64] {
            let args = [
                url.to_owned(),
                "us-east-1".to_owned(),
                self.opts.requests.to_string(),
                concurrency.to_string(),
                self.opts.max_seconds.to_string(),
            ];
            let mut stats = Vec::new();
            for bin in bins {
                let out = run_checked(Command::new(bin).arg("load").args(&args))?;
                stats.push(load_stats(&out)?);
            }
            let out = run_checked(
                Command::new(floor_bin)
                    .args(["load", &request_file, url])
                    .args(&args[2..]),
            )?;
            stats.push(load_stats(&out)?);
            let (o, t, f) = (&stats[0], &stats[1], &stats[2]);
            eprintln!("bench: GetService c={concurrency}: ours {o:?}, official {t:?}, floor {f:?}");
            self.rows.extend(load_rows(concurrency, o, t, f));
            self.notes.push(format!(
                "GetService, {concurrency} task(s): ours {} requests in {:.2} s, official {} in \
                 {:.2} s, floor {} in {:.2} s.",
                o.requests, o.seconds, t.requests, t.seconds, f.requests, f.seconds
            ));
        }
        Ok(())
    }

    fn codec(&mut self, bins: &[PathBuf; 2], url: &str, helpers: &Helpers) -> Result<()> {
        let dir = self.cargo.server_dir();
        let fixture = |name: &str, args: &[&str]| -> Result<String> {
            let path = dir.join(name);
            let json = run_checked(Command::new(&helpers.server).args(args))?;
            std::fs::write(&path, json.trim_end())
                .with_context(|| format!("writing {}", path.display()))?;
            Ok(path.display().to_string())
        };
        let list = fixture(
            "list-service-instances-1000.json",
            &["dump-instances", "1000"],
        )?;
        let get = fixture("get-service.json", &["dump-get"])?;
        let out = run_checked(Command::new(&helpers.codec).args([&list, &get, "300"]))?;
        self.rows.extend(codec_rows(&codec_stats(&out)?));
        self.notes.push(
            "Codec rows (`bench-codec`, a program of its own so `serde` stays out of \
             `bench-ours`): our codec (the generated `Deserialize`/`Serialize` on the runtime's \
             reader and writer) against `serde_json` 1 with `serde` derive on mirror structs in \
             `bench/codec/src/mirror.rs` (the same field types: strings, optional strings, \
             timestamps read from epoch-seconds numbers, enums with an unknown-value fallback, \
             lists), in the floor column; same program, same run; each figure the median of 5 \
             rounds of 300 runs (30,000 for GetService). The program checks first that both \
             read the same items and write the same document. The official SDK's codec is \
             private to `aws-sdk-proton`."
                .to_owned(),
        );
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

    pub fn codegen(&mut self) -> Result<()> {
        let status = Command::new(cargo_program())
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

/// The rows of one load run: requests/s, p50, p99, CPU and allocations per
/// call, each with ours, official and floor, and the targets of issue 16
/// (≥ 1.5× the official SDK's requests/s; ≥ 0.9× the floor's with one task,
/// ≥ 0.8× with 64; p99 with 64 tasks ≤ 1.5× the floor's).
pub fn load_rows(concurrency: usize, o: &LoadStats, t: &LoadStats, f: &LoadStats) -> Vec<Row> {
    let rps_floor = if concurrency == 1 { 0.9 } else { 0.8 };
    let mut p99 = Row::numbers(
        &format!("GetService p99 latency, {concurrency} task(s) (µs)"),
        o.p99_us,
        t.p99_us,
        0,
        None,
    )
    .with_floor(f.p99_us, 0);
    if concurrency > 1 {
        p99 = p99.with_target(Target::FloorAtMost(1.5));
    }
    vec![
        Row::numbers(
            &format!("GetService requests/s, {concurrency} task(s)"),
            o.rps,
            t.rps,
            0,
            Some(Target::RatioAtLeast(1.5)),
        )
        .with_floor(f.rps, 0)
        .with_target(Target::FloorAtLeast(rps_floor)),
        Row::numbers(
            &format!("GetService p50 latency, {concurrency} task(s) (µs)"),
            o.p50_us,
            t.p50_us,
            0,
            None,
        )
        .with_floor(f.p50_us, 0),
        p99,
        Row::numbers(
            &format!("GetService CPU time per call, {concurrency} task(s) (µs, `getrusage`)"),
            o.cpu_us_per_call,
            t.cpu_us_per_call,
            1,
            None,
        )
        .with_floor(f.cpu_us_per_call, 1),
        Row::numbers(
            &format!("GetService heap allocations per call, {concurrency} task(s)"),
            o.allocs_per_call,
            t.allocs_per_call,
            0,
            None,
        )
        .with_floor(f.allocs_per_call, 0),
    ]
}

/// The codec rows: ours against `serde_json` derive (the floor column),
/// with the target of issue 16 (ours at least as fast in both directions on
/// the 1,000-item documents).
pub fn codec_rows(c: &CodecStats) -> Vec<Row> {
    let na = "n/a (not public API)";
    let mb_s = |bytes: f64, us: f64| bytes / us;
    let mut parse = Row::ours_only(
        &format!(
            "parse ListServiceInstances output, 1,000 items ({:.0} KiB), codec only (µs, median of 5)",
            c.parse_bytes / 1024.0
        ),
        format!("{:.0} ({:.0} MB/s)", c.parse_us, mb_s(c.parse_bytes, c.parse_us)),
        c.parse_us,
        na,
    )
    .with_floor(c.serde_parse_us, 0)
    .with_target(Target::FloorAtMost(1.0));
    parse.floor = format!(
        "{:.0} ({:.0} MB/s)",
        c.serde_parse_us,
        mb_s(c.parse_bytes, c.serde_parse_us)
    );
    let mut serialize = Row::ours_only(
        &format!(
            "serialize ListServiceInstances input, 1,000 filters ({:.0} KiB), codec only (µs, median of 5)",
            c.serialize_bytes / 1024.0
        ),
        format!(
            "{:.0} ({:.0} MB/s)",
            c.serialize_us,
            mb_s(c.serialize_bytes, c.serialize_us)
        ),
        c.serialize_us,
        na,
    )
    .with_floor(c.serde_serialize_us, 0)
    .with_target(Target::FloorAtMost(1.0));
    serialize.floor = format!(
        "{:.0} ({:.0} MB/s)",
        c.serde_serialize_us,
        mb_s(c.serialize_bytes, c.serde_serialize_us)
    );
    let get = Row::ours_only(
        &format!(
            "parse GetService output ({:.0} B), codec only (ns per parse, median of 5)",
            c.get_bytes
        ),
        format!("{:.0}", c.get_parse_ns),
        c.get_parse_ns,
        na,
    )
    .with_floor(c.serde_get_parse_ns, 0);
    vec![parse, serialize, get]
}

/// `measure`, in CPU seconds of ours' and the official's clean build; none
/// where CPU time could not be read.
fn cpu_row(measure: &str, ours: BuildTime, official: BuildTime) -> Option<Row> {
    Some(Row::numbers(
        &format!("{measure} (CPU s, user + system)"),
        ours.cpu?,
        official.cpu?,
        1,
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::table::render_table;

    #[test]
    fn codec_rows_put_serde_json_in_the_floor_column_and_judge_time_ratios() {
        let stats = CodecStats {
            parse_bytes: 465_000.0,
            parse_us: 1_500.0,
            serde_parse_us: 1_200.0,
            serialize_bytes: 52_000.0,
            serialize_us: 52.0,
            serde_serialize_us: 65.0,
            get_bytes: 420.0,
            get_parse_ns: 900.0,
            serde_get_parse_ns: 1_000.0,
        };
        let table = render_table(&codec_rows(&stats));
        let lines: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(
            lines[0],
            "| parse ListServiceInstances output, 1,000 items (454 KiB), codec only (µs, median of 5) | 1500 (310 MB/s) | n/a (not public API) | – | 1200 (388 MB/s) | 1.2× | ≤ 1× floor | **short of target** (1.2× floor, needs ≤ 1× floor) |"
        );
        assert_eq!(
            lines[1],
            "| serialize ListServiceInstances input, 1,000 filters (51 KiB), codec only (µs, median of 5) | 52 (1000 MB/s) | n/a (not public API) | – | 65 (800 MB/s) | 0.8× | ≤ 1× floor | meets |"
        );
        assert_eq!(
            lines[2],
            "| parse GetService output (420 B), codec only (ns per parse, median of 5) | 900 | n/a (not public API) | – | 1000 | 0.9× |  |  |"
        );
    }

    fn stats(rps: f64, p50: f64, p99: f64, cpu: f64, allocs: f64) -> LoadStats {
        LoadStats {
            requests: 1000,
            seconds: 1000.0 / rps,
            rps,
            p50_us: p50,
            p99_us: p99,
            cpu_us_per_call: cpu,
            allocs_per_call: allocs,
        }
    }

    #[test]
    fn load_rows_hold_the_three_programs_and_the_floor_targets() {
        let ours = stats(9_500.0, 90.0, 400.0, 30.0, 60.0);
        let official = stats(5_000.0, 190.0, 900.0, 80.0, 600.0);
        let floor = stats(10_000.0, 85.0, 300.0, 12.0, 13.0);
        let table = render_table(&load_rows(1, &ours, &official, &floor));
        let lines: Vec<&str> = table.lines().skip(2).collect();
        assert_eq!(
            lines[0],
            "| GetService requests/s, 1 task(s) | 9500 | 5000 | 1.9× | 10000 | 0.95× | ≥ 1.5×; ≥ 0.9× floor | meets; meets |"
        );
        // One task: no p99 target.
        assert_eq!(
            lines[2],
            "| GetService p99 latency, 1 task(s) (µs) | 400 | 900 | 0.44× | 300 | 1.3× |  |  |"
        );
        assert_eq!(
            lines[3],
            "| GetService CPU time per call, 1 task(s) (µs, `getrusage`) | 30.0 | 80.0 | 0.38× | 12.0 | 2.5× |  |  |"
        );
        assert_eq!(
            lines[4],
            "| GetService heap allocations per call, 1 task(s) | 60 | 600 | 0.1× | 13 | 4.6× |  |  |"
        );
        let table = render_table(&load_rows(64, &ours, &official, &floor));
        let lines: Vec<&str> = table.lines().skip(2).collect();
        assert!(
            lines[0].ends_with("| ≥ 1.5×; ≥ 0.8× floor | meets; meets |"),
            "{}",
            lines[0]
        );
        assert!(
            lines[2].ends_with("| 1.3× | ≤ 1.5× floor | meets |"),
            "{}",
            lines[2]
        );
        let slow = stats(6_000.0, 200.0, 2_000.0, 30.0, 60.0);
        let table = render_table(&load_rows(64, &slow, &official, &floor));
        assert!(
            table.contains("**short of target** (0.6× floor, needs ≥ 0.8× floor)"),
            "{table}"
        );
        assert!(
            table.contains("**short of target** (6.7× floor, needs ≤ 1.5× floor)"),
            "{table}"
        );
    }
}
