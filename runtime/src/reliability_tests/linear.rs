//! Every parser of outside input is linear in it: for each adversarial
//! family (long exponents, long digit runs, deep nesting, long runs of one
//! character, many sections or lines), doubling the input at most about
//! doubles the time ([`assert_linear`]).
//!
//! The families are those that break naive parsers: a loop per unit of an
//! exponent's *value* (`0e2147483647` took 1.5 s before), re-scanning a
//! prefix per character (quadratic), backtracking over repeated classes.

use super::{assert_linear, from};
use crate::datetime::{DateTime, Format};
use crate::endpoint::lib::aws::{parse_arn, partition};
use crate::endpoint::lib::parse_url;
use crate::json::{from_slice, JsonReader};
use crate::profile::ProfileSet;
use crate::{BigDecimal, BigInteger, Document};
use std::hint::black_box;

fn epoch(text: &str) {
    let _ = black_box(DateTime::from_str(black_box(text), Format::EpochSeconds));
}

#[test]
fn timestamps() {
    // The exponent's value grows tenfold per digit: 2, 4, then 8 digits
    // (a loop per unit of it took 1.5 s at 10 digits).
    assert_linear(
        "epoch seconds, exponent value of 0",
        (2, 2),
        |n| format!("0e{}", "9".repeat(n)),
        |t| epoch(t),
    );
    assert_linear(
        "epoch seconds, exponent value of 1",
        (2, 2),
        |n| format!("1e-{}", "9".repeat(n)),
        |t| epoch(t),
    );
    // The exponent's digit count doubles.
    assert_linear(
        "epoch seconds, long exponent of 0",
        from(4),
        |n| format!("0e{}", "9".repeat(n)),
        |t| epoch(t),
    );
    assert_linear(
        "epoch seconds, long negative exponent",
        from(4),
        |n| format!("1e-{}", "9".repeat(n)),
        |t| epoch(t),
    );
    assert_linear(
        "epoch seconds, long zero mantissa",
        from(4),
        |n| format!("{}e{}", "0".repeat(n), "9".repeat(n)),
        |t| epoch(t),
    );
    assert_linear(
        "epoch seconds, long fraction",
        from(4),
        |n| format!("1.{}", "1".repeat(n)),
        |t| epoch(t),
    );
    assert_linear(
        "epoch seconds, leading zeros",
        from(4),
        |n| format!("{}1", "0".repeat(n)),
        |t| epoch(t),
    );
    assert_linear(
        "date-time, long fraction",
        from(4),
        |n| format!("2020-01-01T00:00:00.{}Z", "1".repeat(n)),
        |t| {
            let _ = black_box(DateTime::from_str(t, Format::DateTime));
        },
    );
    assert_linear(
        "http-date, long fraction",
        from(4),
        |n| format!("Wed, 01 Jan 2020 00:00:00.{} GMT", "1".repeat(n)),
        |t| {
            let _ = black_box(DateTime::from_str(t, Format::HttpDate));
        },
    );
    assert_linear(
        "JSON epoch-seconds member, long exponent",
        from(4),
        |n| format!("0e{}", "7".repeat(n)).into_bytes(),
        |body| {
            let _ = black_box(from_slice::<DateTime>(body));
        },
    );
}

#[test]
fn numbers() {
    assert_linear(
        "big integer, long digit run",
        from(16),
        |n| "9".repeat(n),
        |t| {
            let _ = black_box(t.parse::<BigInteger>());
        },
    );
    assert_linear(
        "big decimal, long exponent",
        from(16),
        |n| format!("1.5e-{}", "9".repeat(n)),
        |t| {
            let _ = black_box(t.parse::<BigDecimal>());
        },
    );
    for (family, make) in [
        (
            "JSON double, long exponent",
            (|n| format!("1e{}", "9".repeat(n))) as fn(usize) -> String,
        ),
        ("JSON double, long mantissa", |n| {
            format!("{}.{}", "1".repeat(n), "2".repeat(n))
        }),
        ("JSON double, long zero fraction then exponent", |n| {
            format!("0.{}1e{}", "0".repeat(n), "3".repeat(n))
        }),
    ] {
        assert_linear(
            family,
            from(16),
            |n| make(n).into_bytes(),
            |body| {
                let _ = black_box(from_slice::<f64>(body));
            },
        );
        assert_linear(
            family,
            from(16),
            |n| make(n).into_bytes(),
            |body| {
                let _ = black_box(from_slice::<Document>(body));
            },
        );
        assert_linear(
            family,
            from(16),
            |n| make(n).into_bytes(),
            |body| {
                let _ = black_box(from_slice::<BigDecimal>(body));
            },
        );
    }
}

fn skip(body: &[u8]) {
    let mut reader = JsonReader::new(body);
    let _ = black_box(reader.skip_value());
}

#[test]
fn json_pull_reader() {
    // Deep nesting stops at the depth cap; the rest must still be scanned once.
    assert_linear(
        "deep array nesting",
        from(64),
        |n| format!("{}{}", "[".repeat(n), "]".repeat(n)).into_bytes(),
        |b| skip(b),
    );
    assert_linear(
        "deep object nesting",
        from(64),
        |n| "{\"a\":".repeat(n).into_bytes(),
        |b| skip(b),
    );
    assert_linear(
        "long plain string",
        from(64),
        |n| format!("\"{}\"", "a".repeat(n)).into_bytes(),
        |b| {
            let _ = black_box(from_slice::<String>(b));
        },
    );
    assert_linear(
        "long run of escapes",
        from(64),
        |n| format!("\"{}\"", "\\n".repeat(n)).into_bytes(),
        |b| {
            let _ = black_box(from_slice::<String>(b));
        },
    );
    assert_linear(
        "long run of \\u escapes and surrogate pairs",
        from(64),
        |n| format!("\"{}\"", "\\u00e9\\ud83d\\ude00".repeat(n)).into_bytes(),
        |b| {
            let _ = black_box(from_slice::<String>(b));
        },
    );
    assert_linear(
        "unterminated string of backslashes",
        from(64),
        |n| format!("\"{}", "\\\\".repeat(n)).into_bytes(),
        |b| skip(b),
    );
    assert_linear(
        "long run of whitespace",
        from(64),
        |n| format!("{}1", " ".repeat(n)).into_bytes(),
        |b| skip(b),
    );
    assert_linear(
        "many object members",
        from(64),
        |n| {
            let mut s = String::from("{");
            for i in 0..n {
                s.push_str(&format!("\"k{i}\":[1,\"x\",null,true],"));
            }
            s.push_str("\"end\":0}");
            s.into_bytes()
        },
        |b| {
            let _ = black_box(from_slice::<Document>(b));
        },
    );
    assert_linear(
        "many array elements",
        from(64),
        |n| format!("[{}0]", "0,".repeat(n)).into_bytes(),
        |b| {
            let _ = black_box(from_slice::<Vec<i64>>(b));
        },
    );
    assert_linear(
        "error deep inside nesting",
        from(64),
        |n| format!("{}x", "[".repeat(n.min(100)) + &" ".repeat(n)).into_bytes(),
        |b| {
            let _ = black_box(from_slice::<Document>(b));
        },
    );
}

fn profile(config: &str) {
    let _ = black_box(ProfileSet::from_strs("default", config, config));
}

#[test]
fn profile_files() {
    assert_linear(
        "many sections",
        from(16),
        |n| {
            (0..n)
                .map(|i| format!("[profile p{i}]\nregion = r{i}\n"))
                .collect::<String>()
        },
        |t| profile(t),
    );
    assert_linear(
        "one section repeated",
        from(16),
        |n| "[profile a]\nk = v\n".repeat(n),
        |t| profile(t),
    );
    assert_linear(
        "many keys in one section",
        from(16),
        |n| {
            let mut s = String::from("[default]\n");
            for i in 0..n {
                s.push_str(&format!("key{i} = value\n"));
            }
            s
        },
        |t| profile(t),
    );
    assert_linear(
        "long continuation",
        from(16),
        |n| format!("[default]\nk = v\n{}", " more\n".repeat(n)),
        |t| profile(t),
    );
    assert_linear(
        "long sub-property block",
        from(16),
        |n| {
            format!(
                "[services s]\nproton =\n{}",
                "  endpoint_url = x\n".repeat(n)
            )
        },
        |t| profile(t),
    );
    assert_linear(
        "long run of one character in a value",
        from(64),
        |n| format!("[default]\nk = {}", "a".repeat(n)),
        |t| profile(t),
    );
    assert_linear(
        "long run of comment characters",
        from(64),
        |n| format!("[default]\nk = v{}", " #".repeat(n)),
        |t| profile(t),
    );
    assert_linear(
        "long run of `[`",
        from(64),
        |n| "[".repeat(n),
        |t| profile(t),
    );
    assert_linear(
        "long run of `=`",
        from(64),
        |n| format!("[default]\n{}", "=".repeat(n)),
        |t| profile(t),
    );
    assert_linear(
        "many ignored sections (warnings)",
        from(16),
        |n| "[bad name]\nk = v\n".repeat(n),
        |t| profile(t),
    );
    assert_linear(
        "many blank and comment lines",
        from(16),
        |n| "\n# c\n; c\n \t\n".repeat(n),
        |t| profile(t),
    );
}

#[test]
fn endpoint_urls_arns_and_regions() {
    for (family, make) in [
        (
            "URL, long host",
            (|n| format!("https://{}.com/p", "a".repeat(n))) as fn(usize) -> String,
        ),
        ("URL, long run of `@`", |n| {
            format!("https://{}h", "@".repeat(n))
        }),
        ("URL, long run of `:`", |n| {
            format!("https://h{}", ":".repeat(n))
        }),
        ("URL, long run of `[`", |n| {
            format!("https://{}", "[".repeat(n))
        }),
        ("URL, long run of `/`", |n| {
            format!("https://h{}", "/".repeat(n))
        }),
        ("URL, long run of `.` digits", |n| {
            format!("http://{}", "1.".repeat(n))
        }),
        ("URL, long IPv6 literal", |n| {
            format!("http://[{}]", "0:".repeat(n))
        }),
        ("URL, long run of `://`", |n| "://".repeat(n)),
    ] {
        assert_linear(family, from(64), make, |url| {
            let _ = black_box(parse_url(url));
        });
    }
    for (family, make) in [
        (
            "ARN, long run of `:`",
            (|n| format!("arn:{}", ":".repeat(n))) as fn(usize) -> String,
        ),
        ("ARN, long resource of `/`", |n| {
            format!("arn:aws:s3:us-east-1:1:{}", "a/".repeat(n))
        }),
        ("ARN, long run of one character", |n| "a".repeat(n)),
    ] {
        assert_linear(family, from(64), make, |arn| {
            let _ = black_box(parse_arn(arn));
        });
    }
    // Region patterns are matched by backtracking over `\w+` / `\d+`.
    for (family, make) in [
        (
            "region, long word run",
            (|n| format!("us-{}", "a".repeat(n))) as fn(usize) -> String,
        ),
        ("region, long word and digit runs", |n| {
            format!("us-{}-{}x", "a".repeat(n), "1".repeat(n))
        }),
        ("region, long run of `-`", |n| {
            format!("cn{}", "-".repeat(n))
        }),
    ] {
        assert_linear(family, from(64), make, |region| {
            let _ = black_box(partition(region));
        });
    }
}
