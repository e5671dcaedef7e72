//! The `features` section: clean release builds of our program with each
//! optional feature of the generated crate on, next to the default build
//! measured in the same run (feature-gated code is reported in its own
//! rows; the default build is what the performance targets are about).

use super::run::Program;
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
        self.rows.push(Row::ours_only(
            "clean `cargo build --release` of our program, default features (s, this section's own run)",
            format!("{default:.1}"),
            default,
            "n/a (ours only)",
        ));
        for feature in FEATURES {
            let flag = format!("aws-proton/{feature}");
            let secs = self
                .cargo
                .clean(Program::Ours, &["build", "--release", "--features", &flag])?;
            self.rows.push(Row::ours_only(
                &format!("… with aws-proton's `{feature}` feature (s)"),
                feature_cell(secs, default),
                secs,
                "n/a (ours only)",
            ));
        }
        self.notes.push(format!(
            "Features: three clean `cargo build --release -j {}` of `bench-ours` in a row (target dir \
             removed before each): default features, then `--features aws-proton/<feature>` for each \
             of {}; ratios to the default build of the same section.",
            self.opts.jobs,
            FEATURES.join(", ")
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
