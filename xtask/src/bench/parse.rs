//! Reading what the programs, cargo and the system say: cargo's timings
//! report (with `serde_json`), `cargo tree`, the programs' `key=value`
//! lines and latency lists, `/proc/cpuinfo`, and line counts of sources.

use super::table::percentile;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Unit durations, in seconds, from cargo's `--timings` HTML report
/// (`cargo-timing.html`, whose `const UNIT_DATA = [...]` holds one object
/// per unit with `"name"` and `"duration"`). Units of the same crate (its
/// build script, its lib) are added up under the crate's name.
pub fn parse_timings_html(html: &str) -> Result<BTreeMap<String, f64>> {
    #[derive(Deserialize)]
    struct Unit {
        name: String,
        duration: f64,
    }
    let start = html
        .find("UNIT_DATA")
        .context("no UNIT_DATA in the cargo timings report")?;
    let rest = &html[start..];
    let open = rest.find('[').context("UNIT_DATA is not an array")?;
    // The array is followed by `;` and more script: read one JSON value.
    let units: Vec<Unit> = serde_json::Deserializer::from_str(&rest[open..])
        .into_iter()
        .next()
        .context("UNIT_DATA is empty")?
        .context("UNIT_DATA is not a JSON array of units with a name and a duration")?;
    let mut by_crate = BTreeMap::new();
    for unit in units {
        *by_crate.entry(unit.name).or_insert(0.0) += unit.duration;
    }
    Ok(by_crate)
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

/// `key=value` pairs of a line like `requests=10 rps=5.0`.
pub fn parse_key_values(line: &str) -> BTreeMap<String, String> {
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
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
    /// CPU time (user + system, the whole program, `getrusage`) per call.
    pub cpu_us_per_call: f64,
    /// Heap allocations (the program's counting allocator) per call.
    pub allocs_per_call: f64,
}

/// Reads a program's `load` output: the `requests=… seconds=…
/// cpu_us_per_call=… allocs_per_call=…` line and the `latencies_us=…` list,
/// percentiles computed here with [`percentile`].
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
        cpu_us_per_call: get("cpu_us_per_call")?,
        allocs_per_call: get("allocs_per_call")?,
    })
}

/// What `bench-codec` printed: our codec and `serde_json` on the same
/// documents, medians of 5 rounds.
#[derive(Clone, Debug, PartialEq)]
pub struct CodecStats {
    /// Size of the 1,000-item ListServiceInstances answer.
    pub parse_bytes: f64,
    /// Parsing it, ours.
    pub parse_us: f64,
    /// Parsing it, `serde_json` derive.
    pub serde_parse_us: f64,
    /// Size of the 1,000-filter ListServiceInstances input.
    pub serialize_bytes: f64,
    /// Writing it, ours.
    pub serialize_us: f64,
    /// Writing it, `serde_json` derive.
    pub serde_serialize_us: f64,
    /// Size of the GetService answer.
    pub get_bytes: f64,
    /// Parsing it, ours, per parse.
    pub get_parse_ns: f64,
    /// Parsing it, `serde_json` derive, per parse.
    pub serde_get_parse_ns: f64,
}

/// Reads the last line of `bench-codec` output.
pub fn codec_stats(output: &str) -> Result<CodecStats> {
    let line = output.lines().last().unwrap_or("");
    let kv = parse_key_values(line);
    let get = |k: &str| -> Result<f64> {
        kv.get(k)
            .and_then(|v| v.parse().ok())
            .with_context(|| format!("no `{k}` in the codec output `{line}`"))
    };
    Ok(CodecStats {
        parse_bytes: get("parse_bytes")?,
        parse_us: get("parse_us")?,
        serde_parse_us: get("serde_parse_us")?,
        serialize_bytes: get("serialize_bytes")?,
        serialize_us: get("serialize_us")?,
        serde_serialize_us: get("serde_serialize_us")?,
        get_bytes: get("get_bytes")?,
        get_parse_ns: get("get_parse_ns")?,
        serde_get_parse_ns: get("serde_get_parse_ns")?,
    })
}

/// CPU seconds (user + system) of the waited-for children of a process, from
/// the text of its `/proc/<pid>/stat`: fields 16 and 17 (`cutime`, `cstime`)
/// in clock ticks, which Linux reports to user space at 100 per second
/// whatever the kernel's own tick rate. `None` when the text is not that.
pub fn children_cpu_secs(stat: &str) -> Option<f64> {
    // The command name (field 2) is in parentheses and may hold spaces; the
    // fields after its last `)` start with field 3.
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace().skip(16 - 3);
    let cutime: u64 = fields.next()?.parse().ok()?;
    let cstime: u64 = fields.next()?.parse().ok()?;
    Some((cutime + cstime) as f64 / 100.0)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_cpu_time_is_read_from_proc_stat() {
        // A command name with a space and a parenthesis, as the kernel writes it.
        let stat = "4242 (x (task) y) S 1 4242 4242 0 -1 4194560 900 1200 0 0 \
                    15 7 2345 655 20 0 1 0 100 1000 200 18446744073709551615";
        assert_eq!(children_cpu_secs(stat), Some(30.0));
        assert_eq!(children_cpu_secs("4242 (short) S 1 2 3"), None);
        assert_eq!(children_cpu_secs("no parenthesis"), None);
        assert_eq!(
            children_cpu_secs("1 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 x 5 20"),
            None
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
        assert_eq!(units["weird\"[name"], 0.1);
        assert_eq!(units.len(), 3);
        assert!(parse_timings_html("<html></html>").is_err());
        let err = parse_timings_html("const UNIT_DATA = [{\"name\":\"x\"}];").unwrap_err();
        assert!(
            format!("{err:#}").contains("with a name and a duration"),
            "{err:#}"
        );
        assert!(parse_timings_html("const UNIT_DATA = [{\"name\":").is_err());
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
        let out = "requests=4 seconds=2.000 rps=2.0 p50_us=0 p99_us=0 cpu_us_per_call=12.50 allocs_per_call=13.0\n\
                   latencies_us=40.0,10.0,30.0,20.0\n";
        let stats = load_stats(out).unwrap();
        assert_eq!(stats.requests, 4);
        assert_eq!(stats.rps, 2.0);
        assert_eq!(stats.p50_us, 20.0);
        assert_eq!(stats.p99_us, 40.0);
        assert_eq!(stats.cpu_us_per_call, 12.5);
        assert_eq!(stats.allocs_per_call, 13.0);
        assert!(load_stats("nothing").is_err());
        // A program that does not count is an error, not a zero.
        let err = load_stats("requests=4 seconds=2.000\nlatencies_us=1.0\n").unwrap_err();
        assert!(err.to_string().contains("cpu_us_per_call"), "{err}");
        let kv = parse_key_values("a=1 b=x=y c");
        assert_eq!(kv["a"], "1");
        assert_eq!(kv["b"], "x=y");
        assert_eq!(kv.len(), 2);
    }

    #[test]
    fn codec_output_is_read_whole_or_refused() {
        let out =
            "warming up\nitems=1000 parse_bytes=465000 parse_us=1500.5 serde_parse_us=1400.0 \
                   serialize_bytes=52000 serialize_us=60.0 serde_serialize_us=55.5 \
                   get_bytes=420 get_parse_ns=900 serde_get_parse_ns=1000\n";
        let stats = codec_stats(out).unwrap();
        assert_eq!(stats.parse_us, 1500.5);
        assert_eq!(stats.serde_serialize_us, 55.5);
        assert_eq!(stats.get_parse_ns, 900.0);
        let err = codec_stats("items=1000 parse_us=1\n").unwrap_err();
        assert!(err.to_string().contains("no `parse_bytes`"), "{err}");
    }

    #[test]
    fn cpu_model_and_core_count_come_from_cpuinfo() {
        let info = "processor\t: 0\nmodel name\t: Example CPU @ 2.0GHz\n\nprocessor\t: 1\nmodel name\t: Example CPU @ 2.0GHz\n";
        assert_eq!(
            cpu_model_and_count(info),
            ("Example CPU @ 2.0GHz".to_owned(), 2)
        );
    }
}
