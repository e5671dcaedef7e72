//! `cargo xtask diff OLD NEW`: the API changelog between two models and
//! the semver verdict, printed as text or JSON. The comparison and the
//! rendering live in `codegen::diff`; this file only parses arguments and
//! picks the date.

use anyhow::{bail, Result};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The older model (JSON AST, `.smithy`, or a directory).
    old: PathBuf,
    /// The newer model (JSON AST, `.smithy`, or a directory).
    new: PathBuf,
    /// The date on the headline, YYYY/MM/DD. Default: today (UTC).
    #[arg(long)]
    date: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The service shape to compare, when a model has several.
    #[arg(long)]
    service: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Prints the changelog. The verdict never changes the exit status (a
/// breaking update is information, not a failure); a model that does not
/// load does, with the loader's message.
pub fn run(args: DiffArgs) -> Result<()> {
    let date = match &args.date {
        Some(d) => parse_date(d)?,
        None => today_utc(),
    };
    let diff = codegen::diff::diff_files(&args.old, &args.new, args.service.as_deref())?;
    let text = match args.format {
        Format::Text => codegen::diff::render_text(&diff, &date),
        Format::Json => codegen::diff::render_json(&diff, &date),
    };
    print!("{text}");
    Ok(())
}

/// Checks a `YYYY/MM/DD` date (a real calendar day) and returns it as given.
pub(crate) fn parse_date(text: &str) -> Result<String> {
    let parts: Vec<&str> = text.split('/').collect();
    let valid = match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
            match (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) {
                (Ok(y), Ok(m), Ok(d)) => {
                    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
                }
                _ => false,
            }
        }
        _ => false,
    };
    if !valid || !text.bytes().all(|b| b.is_ascii_digit() || b == b'/') {
        bail!("invalid --date `{text}`: expected a calendar date as YYYY/MM/DD, e.g. 2023/04/13");
    }
    Ok(text.to_owned())
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Today's date in UTC as YYYY/MM/DD, from the system clock.
pub(crate) fn today_utc() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}/{m:02}/{d:02}")
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`), so no date crate is needed.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_validated() {
        assert_eq!(parse_date("2023/04/13").unwrap(), "2023/04/13");
        assert_eq!(parse_date("2024/02/29").unwrap(), "2024/02/29");
        for bad in [
            "2023-04-13",
            "2023/4/13",
            "2023/13/01",
            "2023/02/29",
            "1900/02/29",
            "2023/04/31",
            "2023/00/10",
            "+023/04/13",
            "today",
        ] {
            let err = parse_date(bad).unwrap_err().to_string();
            assert!(
                err.contains("expected a calendar date as YYYY/MM/DD"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_460), (2023, 4, 13));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        let today = today_utc();
        assert!(parse_date(&today).is_ok(), "{today}");
    }
}
