//! The `features` section: clean release builds of our program with each
//! optional feature of the generated crate on, next to the default build
//! measured in the same run (feature-gated code is reported in its own
//! rows; the default build is what the performance targets are about).

use super::run::{BuildTime, Program};
use super::sections::Bench;
use super::table::{format_ratio, ratio, Row};
use anyhow::Result;

/// The generated crate's optional features measured, as `--features` of the program.
pub const FEATURES: &[&str] = &["serde", "test-util"];

/// Our side of a feature row: seconds, and the ratio to the default build.
pub fn feature_cell(secs: f64, default: f64) -> String {
    match ratio(secs, default) {
        Some(r) => format!("{secs:.1} ({} the default build)", format_ratio(r)),
        None => format!("{secs:.1}"),
    }
}

impl Bench {
    pub fn features(&mut self) -> Result<()> {
        let default = self.cargo.clean(Program::Ours, &["build", "--release"])?;
        let mut builds = vec![("default features".to_owned(), default)];
        for feature in FEATURES {
            let flag = format!("aws-proton/{feature}");
            let time = self
                .cargo
                .clean(Program::Ours, &["build", "--release", "--features", &flag])?;
            builds.push((format!("`{feature}`"), time));
        }
        // CPU time is the build's cost; wall time follows the machine's load.
        let cost = |t: BuildTime| t.cpu.unwrap_or(t.wall);
        let unit = if default.cpu.is_some() {
            "CPU s, user + system"
        } else {
            "s, wall"
        };
        self.rows.push(Row::ours_only(
            &format!("clean `cargo build --release` of our program, default features ({unit}, this section's own run)"),
            format!("{:.1}", cost(default)),
            cost(default),
            "n/a (ours only)",
        ));
        for (feature, time) in &builds[1..] {
            self.rows.push(Row::ours_only(
                &format!("… with aws-proton's {feature} feature ({unit})"),
                feature_cell(cost(*time), cost(default)),
                cost(*time),
                "n/a (ours only)",
            ));
        }
        let walls: Vec<String> = builds
            .iter()
            .map(|(name, t)| format!("{name} {:.1} s", t.wall))
            .collect();
        self.notes.push(format!(
            "Features: clean `cargo build --release -j {}` of `bench-ours` in a row (target dir \
             removed before each): default features, then `--features aws-proton/<feature>` for each \
             of {}; ratios to the default build of the same section. Wall times: {}.",
            self.opts.jobs,
            FEATURES.join(", "),
            walls.join(", ")
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feature_row_states_its_ratio_to_the_default_build() {
        assert_eq!(feature_cell(120.0, 100.0), "120.0 (1.2× the default build)");
        assert_eq!(feature_cell(5.0, 0.0), "5.0");
    }
}
