//! The `features` section: clean release builds of our program with each
//! optional feature of the generated crate on, and with the other TLS crypto
//! provider, next to the default build measured in the same run
//! (feature-gated code is reported in its own rows; the default build is
//! what the performance targets are about).

use super::run::{BuildTime, Program};
use super::sections::Bench;
use super::table::{format_bytes, format_ratio, ratio, Row};
use anyhow::Result;

/// The builds measured besides the default one: what the row says, and the
/// cargo arguments that choose it.
pub const VARIANTS: &[(&str, &[&str])] = &[
    (
        "with aws-proton's `serde` feature",
        &["--features", "aws-proton/serde"],
    ),
    (
        "with aws-proton's `test-util` feature",
        &["--features", "aws-proton/test-util"],
    ),
    (
        "with `ring` as the TLS crypto provider instead of aws-lc-rs",
        &["--no-default-features", "--features", "ring"],
    ),
];

/// A variant's cell: its figure, and the ratio to the default build's.
pub fn variant_cell(value: f64, default: f64, shown: String) -> String {
    match ratio(value, default) {
        Some(r) => format!("{shown} ({} the default build)", format_ratio(r)),
        None => shown,
    }
}

impl Bench {
    pub fn features(&mut self) -> Result<()> {
        let mut builds = Vec::new();
        for (name, args) in std::iter::once(&("default features", &[][..])).chain(VARIANTS) {
            let mut what = vec!["build", "--release"];
            what.extend_from_slice(args);
            let time = self.cargo.clean(Program::Ours, &what)?;
            let size = self.cargo.stripped_size(Program::Ours)?;
            builds.push((*name, time, size));
        }
        // CPU time is the build's cost; wall time follows the machine's load.
        let cost = |t: BuildTime| t.cpu.unwrap_or(t.wall);
        let unit = if builds[0].1.cpu.is_some() {
            "CPU s, user + system"
        } else {
            "s, wall"
        };
        let (_, default, default_size) = builds[0];
        for (i, (name, time, size)) in builds.iter().enumerate() {
            let (build, stripped) = if i == 0 {
                (format!("{:.1}", cost(*time)), format_bytes(*size))
            } else {
                (
                    variant_cell(cost(*time), cost(default), format!("{:.1}", cost(*time))),
                    variant_cell(*size as f64, default_size as f64, format_bytes(*size)),
                )
            };
            self.rows.push(Row::ours_only(
                &format!(
                    "clean `cargo build --release` of our program, {name} ({unit}; this section's own run)"
                ),
                build,
                cost(*time),
                "n/a (ours only)",
            ));
            self.rows.push(Row::ours_only(
                &format!("… its release binary, stripped, {name}"),
                stripped,
                *size as f64,
                "n/a (ours only)",
            ));
        }
        let walls: Vec<String> = builds
            .iter()
            .map(|(name, t, _)| format!("{name} {:.1} s", t.wall))
            .collect();
        self.notes.push(format!(
            "Features: clean `cargo build --release -j {}` of `bench-ours` in a row (target dir \
             removed before each): default features, then each variant ({}); ratios to the \
             default build of the same section. Wall times: {}.",
            self.opts.jobs,
            VARIANTS
                .iter()
                .map(|(_, args)| format!("`{}`", args.join(" ")))
                .collect::<Vec<_>>()
                .join(", "),
            walls.join(", ")
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variant_cell_states_its_ratio_to_the_default_build() {
        assert_eq!(
            variant_cell(120.0, 100.0, "120.0".to_owned()),
            "120.0 (1.2× the default build)"
        );
        assert_eq!(variant_cell(5.0, 0.0, "5.0".to_owned()), "5.0");
        assert_eq!(
            variant_cell(
                3.0 * 1024.0 * 1024.0,
                6.0 * 1024.0 * 1024.0,
                format_bytes(3 << 20)
            ),
            "3.0 MiB (0.5× the default build)"
        );
    }
}
