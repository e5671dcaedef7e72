//! `bench/RESULTS.md`: the machine the run happened on, the table, the notes.

use super::parse::cpu_model_and_count;
use super::table::render_table;
use super::Report;
use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

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

/// The whole `bench/RESULTS.md`.
pub fn render_results(environment: &str, report: &Report, elapsed: Duration) -> String {
    let mut out = String::from(
        "# Benchmarks: aws-proton against the official aws-sdk-proton\n\n\
         Written by `cargo xtask bench` (see `xtask/src/bench/`); the programs are in \
         `bench/` and do the same calls. Ratios are ours / official and ours / floor (the same \
         work with no SDK: plain hyper for calls, `serde_json` derive for the codec), measured \
         in one run on a shared machine, so absolute numbers are noisy; the ratios are what to \
         read.\n\n",
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
    use crate::bench::table::Row;

    #[test]
    fn results_hold_the_environment_the_table_and_the_notes() {
        let report = Report {
            rows: vec![Row::numbers("build (s)", 1.0, 4.0, 1, None)],
            notes: vec!["measured twice".to_owned()],
        };
        let text = render_results("- date: today\n", &report, Duration::from_secs(61));
        assert!(text.starts_with("# Benchmarks: aws-proton against the official aws-sdk-proton\n"));
        assert!(text.contains("\n- date: today\n- programs: "), "{text}");
        assert!(text.contains("- run took 61 s\n\n| measure |"), "{text}");
        assert!(
            text.contains("| build (s) | 1.0 | 4.0 | 0.25× |  |  |  |  |\n"),
            "{text}"
        );
        assert!(text.ends_with("\nNotes:\n\n- measured twice\n"), "{text}");
    }
}
