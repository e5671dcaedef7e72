//! The table: rows of our side, the official SDK's and the floor (what the
//! same work costs with no SDK: plain hyper for calls, `serde_json` for the
//! codec), ratios (ours / official, ours / floor), targets and verdicts, and
//! the number formats the table uses.

use std::fmt::Write as _;

/// What the project aims for, per row (a row may have several).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// ours/official must be at most this.
    RatioAtMost(f64),
    /// ours/official must be at least this.
    RatioAtLeast(f64),
    /// ours/floor must be at most this.
    FloorAtMost(f64),
    /// ours/floor must be at least this.
    FloorAtLeast(f64),
    /// ours must be under this many seconds.
    SecondsUnder(f64),
}

impl Target {
    /// How the target reads in the table (`≤ 0.25×`, `≥ 1.5×`,
    /// `≥ 0.9× floor`, `< 1 s`).
    pub fn describe(self) -> String {
        match self {
            Target::RatioAtMost(r) => format!("≤ {}", format_ratio(r)),
            Target::RatioAtLeast(r) => format!("≥ {}", format_ratio(r)),
            Target::FloorAtMost(r) => format!("≤ {} floor", format_ratio(r)),
            Target::FloorAtLeast(r) => format!("≥ {} floor", format_ratio(r)),
            Target::SecondsUnder(s) => format!("< {s} s"),
        }
    }

    /// `meets` or `short of target (…)`; `None` when a side it needs was
    /// not measured.
    pub fn verdict(self, row: &Row) -> Option<String> {
        let (ours, official, floor) = (row.ours_value, row.official_value, row.floor_value);
        let (met, is) = match self {
            Target::RatioAtMost(t) => {
                let r = ratio(ours?, official?)?;
                (r <= t, format_ratio(r))
            }
            Target::RatioAtLeast(t) => {
                let r = ratio(ours?, official?)?;
                (r >= t, format_ratio(r))
            }
            Target::FloorAtMost(t) => {
                let r = ratio(ours?, floor?)?;
                (r <= t, format!("{} floor", format_ratio(r)))
            }
            Target::FloorAtLeast(t) => {
                let r = ratio(ours?, floor?)?;
                (r >= t, format!("{} floor", format_ratio(r)))
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

/// One table row: a measure, the sides, the targets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// What is measured, with its unit.
    pub measure: String,
    /// Our side, formatted.
    pub ours: String,
    /// The official side, formatted.
    pub official: String,
    /// The floor, formatted (empty when the row has none).
    pub floor: String,
    /// Our number (for the ratio), when measured.
    pub ours_value: Option<f64>,
    /// The official number, when measured.
    pub official_value: Option<f64>,
    /// The floor's number, when the row has one.
    pub floor_value: Option<f64>,
    /// The project's targets for this row.
    pub targets: Vec<Target>,
}

impl Row {
    /// A row of two numbers shown with `decimals`.
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
            targets: target.into_iter().collect(),
            ..Row::default()
        }
    }

    /// A row of two byte counts, shown as [`format_bytes`].
    pub fn bytes(measure: &str, ours: u64, official: u64, target: Option<Target>) -> Self {
        Row {
            measure: measure.to_owned(),
            ours: format_bytes(ours),
            official: format_bytes(official),
            ours_value: Some(ours as f64),
            official_value: Some(official as f64),
            targets: target.into_iter().collect(),
            ..Row::default()
        }
    }

    /// A row where only our side has a number.
    pub fn ours_only(measure: &str, ours: String, value: f64, official: &str) -> Self {
        Row {
            measure: measure.to_owned(),
            ours,
            official: official.to_owned(),
            ours_value: Some(value),
            ..Row::default()
        }
    }

    /// Adds a target.
    pub fn with_target(mut self, target: Target) -> Self {
        self.targets.push(target);
        self
    }

    /// Sets the floor: `value`, shown with `decimals`.
    pub fn with_floor(mut self, value: f64, decimals: usize) -> Self {
        self.floor = format!("{value:.decimals$}");
        self.floor_value = Some(value);
        self
    }
}

/// The Markdown table: measure, ours, official, ours/official, floor,
/// ours/floor, targets, verdicts.
pub fn render_table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| measure | aws-proton (ours) | aws-sdk-proton (official) | ours / official | floor | ours / floor | target | verdict |\n\
         |---|--:|--:|--:|--:|--:|---|---|\n",
    );
    let shown = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => ratio(a, b).map(format_ratio),
        _ => None,
    };
    for row in rows {
        let to_official = shown(row.ours_value, row.official_value);
        let to_floor = shown(row.ours_value, row.floor_value);
        let targets: Vec<String> = row.targets.iter().map(|t| t.describe()).collect();
        let verdicts: Vec<String> = row.targets.iter().filter_map(|t| t.verdict(row)).collect();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.measure,
            row.ours,
            row.official,
            to_official.as_deref().unwrap_or("–"),
            row.floor,
            match (&to_floor, row.floor_value) {
                (Some(r), _) => r.as_str(),
                (None, Some(_)) => "–",
                (None, None) => "",
            },
            targets.join("; "),
            verdicts.join("; "),
        );
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

    fn sides(ours: Option<f64>, official: Option<f64>, floor: Option<f64>) -> Row {
        Row {
            ours_value: ours,
            official_value: official,
            floor_value: floor,
            ..Row::default()
        }
    }

    #[test]
    fn verdicts_say_plainly_where_we_fall_short() {
        let build = Target::RatioAtMost(0.25);
        let v = |t: Target, o, f| t.verdict(&sides(o, f, None));
        assert_eq!(v(build, Some(10.0), Some(50.0)).unwrap(), "meets");
        assert_eq!(
            v(build, Some(20.0), Some(50.0)).unwrap(),
            "**short of target** (0.4×, needs ≤ 0.25×)"
        );
        let rps = Target::RatioAtLeast(1.5);
        assert_eq!(v(rps, Some(300.0), Some(100.0)).unwrap(), "meets");
        assert!(v(rps, Some(120.0), Some(100.0))
            .unwrap()
            .starts_with("**short of target** (1.2×"));
        let codegen = Target::SecondsUnder(1.0);
        assert_eq!(v(codegen, Some(0.4), None).unwrap(), "meets");
        assert_eq!(
            v(codegen, Some(1.25), None).unwrap(),
            "**short of target** (1.25 s, needs < 1 s)"
        );
        assert_eq!(v(build, Some(1.0), None), None);
    }

    #[test]
    fn floor_targets_compare_ours_with_the_floor_not_the_official_sdk() {
        let rps = Target::FloorAtLeast(0.9);
        assert_eq!(rps.describe(), "≥ 0.9× floor");
        // 9,500 req/s against a floor of 10,000: meets, whatever the official SDK did.
        let row = sides(Some(9_500.0), Some(100_000.0), Some(10_000.0));
        assert_eq!(rps.verdict(&row).unwrap(), "meets");
        let row = sides(Some(8_000.0), Some(1_000.0), Some(10_000.0));
        assert_eq!(
            rps.verdict(&row).unwrap(),
            "**short of target** (0.8× floor, needs ≥ 0.9× floor)"
        );
        let p99 = Target::FloorAtMost(1.5);
        assert_eq!(
            p99.verdict(&sides(Some(1.4), None, Some(1.0))).unwrap(),
            "meets"
        );
        assert_eq!(
            p99.verdict(&sides(Some(2.1), None, Some(1.0))).unwrap(),
            "**short of target** (2.1× floor, needs ≤ 1.5× floor)"
        );
        // No floor measured: no verdict.
        assert_eq!(rps.verdict(&sides(Some(1.0), Some(1.0), None)), None);
    }

    #[test]
    fn table_has_both_columns_ratio_and_verdict() {
        let rows = vec![
            Row::numbers("build (s)", 30.0, 240.0, 1, Some(Target::RatioAtMost(0.25))),
            Row::ours_only("parse (µs)", "900".into(), 900.0, "n/a (not public API)")
                .with_floor(1000.0, 0)
                .with_target(Target::FloorAtMost(1.0)),
            Row::bytes("binary", 1024 * 1024, 4 * 1024 * 1024, None),
            Row::numbers("req/s", 9000.0, 3000.0, 0, Some(Target::RatioAtLeast(1.5)))
                .with_floor(12000.0, 0)
                .with_target(Target::FloorAtLeast(0.9)),
        ];
        let table = render_table(&rows);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 6);
        assert_eq!(
            lines[0],
            "| measure | aws-proton (ours) | aws-sdk-proton (official) | ours / official | floor | ours / floor | target | verdict |"
        );
        assert_eq!(
            lines[2],
            "| build (s) | 30.0 | 240.0 | 0.12× |  |  | ≤ 0.25× | meets |"
        );
        assert_eq!(
            lines[3],
            "| parse (µs) | 900 | n/a (not public API) | – | 1000 | 0.9× | ≤ 1× floor | meets |"
        );
        assert_eq!(
            lines[4],
            "| binary | 1.0 MiB | 4.0 MiB | 0.25× |  |  |  |  |"
        );
        assert_eq!(
            lines[5],
            "| req/s | 9000 | 3000 | 3× | 12000 | 0.75× | ≥ 1.5×; ≥ 0.9× floor | meets; **short of target** (0.75× floor, needs ≥ 0.9× floor) |"
        );
    }

    #[test]
    fn bytes_are_human_readable() {
        assert_eq!(format_bytes(512), "512 B");
        assert_eq!(format_bytes(10 * 1024), "10 KiB");
        assert_eq!(format_bytes(3 * 1024 * 1024 + 512 * 1024), "3.5 MiB");
    }
}
