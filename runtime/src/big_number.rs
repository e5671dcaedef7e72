//! `BigInteger` and `BigDecimal`: arbitrary-precision numbers kept as their
//! decimal text, so nothing is lost between the wire and the caller.

use std::fmt;
use std::str::FromStr;

/// Text that is not a number of the expected kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BigNumberError {
    /// The text, quoted and cut ([`quoted`](crate::error::quoted)).
    text: String,
    kind: &'static str,
}

impl fmt::Display for BigNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is not {}", self.text, self.kind)
    }
}

impl std::error::Error for BigNumberError {}

/// `-?digits`.
fn is_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A JSON number: `-?digits(.digits)?([eE][+-]?digits)?`.
fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    digits(int)
        && frac.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

macro_rules! big_number {
    ($name:ident, $check:ident, $kind:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// The decimal text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self("0".to_owned())
            }
        }

        impl FromStr for $name {
            type Err = BigNumberError;

            fn from_str(s: &str) -> Result<Self, BigNumberError> {
                if $check(s) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(BigNumberError {
                        text: crate::error::quoted(s),
                        kind: $kind,
                    })
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl crate::json::Serialize for $name {
            fn serialize(&self, w: crate::json::ValueWriter<'_>) {
                w.number_text(&self.0)
            }
        }

        impl crate::json::Deserialize for $name {
            fn deserialize(
                r: &mut crate::json::JsonReader<'_>,
            ) -> Result<Self, crate::json::DeserializeError> {
                let text = r.number_text()?;
                text.parse().map_err(|e: BigNumberError| {
                    crate::json::DeserializeError::custom(r, e.to_string())
                })
            }
        }
    };
}

big_number!(
    BigInteger,
    is_integer,
    "an integer",
    "An integer of any size (Smithy `bigInteger`)."
);
big_number!(
    BigDecimal,
    is_decimal,
    "a decimal number",
    "A decimal number of any size and precision (Smithy `bigDecimal`)."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_round_trip() {
        let i: BigInteger = "-123456789012345678901234567890".parse().unwrap();
        assert_eq!(i.to_string(), "-123456789012345678901234567890");
        assert!("1.5".parse::<BigInteger>().is_err());
        let d: BigDecimal = "1.5e-300".parse().unwrap();
        assert_eq!(crate::json::to_vec(&d).unwrap(), b"1.5e-300");
        assert!("1.".parse::<BigDecimal>().is_err());
        assert!("abc".parse::<BigDecimal>().is_err());
        let back: BigDecimal = crate::json::from_slice(b"3.14159265358979323846264338").unwrap();
        assert_eq!(back.as_str(), "3.14159265358979323846264338");
        assert!(crate::json::from_slice::<BigInteger>(b"2.5").is_err());
    }
}
