//! `DateTime`: the instant type of Smithy `timestamp` members, and its three
//! wire formats (epoch seconds, RFC 3339 `date-time`, IMF-fixdate `http-date`).
//!
//! Epoch seconds are parsed from the decimal text itself, not through `f64`,
//! so `946845296.123` is exactly 123 ms past the second and formats back the
//! same way.

use crate::error::quoted;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;

/// An instant in UTC with nanosecond precision, as seconds (possibly negative)
/// and nanoseconds since the Unix epoch.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

/// The textual forms a timestamp takes on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Seconds since the epoch as a number, with an optional fraction (`1515531081.123`).
    EpochSeconds,
    /// RFC 3339 in UTC (`1985-04-12T23:20:50.52Z`); offsets are accepted when parsing.
    DateTime,
    /// IMF-fixdate (`Tue, 29 Apr 2014 18:30:38 GMT`).
    HttpDate,
}

/// A timestamp that could not be parsed or represented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeError {
    message: String,
}

impl DateTimeError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateTimeError {}

impl DateTime {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: DateTime = DateTime { secs: 0, nanos: 0 };

    /// The current time.
    pub fn now() -> Self {
        SystemTime::now().into()
    }

    /// Whole seconds since the epoch.
    pub const fn from_secs(secs: i64) -> Self {
        Self { secs, nanos: 0 }
    }

    /// Milliseconds since the epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Self {
            secs: millis.div_euclid(1000),
            nanos: (millis.rem_euclid(1000) as u32) * 1_000_000,
        }
    }

    /// Seconds since the epoch plus a nanosecond part (`nanos` < 1e9, always
    /// counted forward in time: -1.5 s is `(-2, 500_000_000)`).
    pub fn from_secs_and_nanos(secs: i64, nanos: u32) -> Result<Self, DateTimeError> {
        if nanos >= NANOS_PER_SEC {
            return Err(DateTimeError::new(format!(
                "nanoseconds must be below 1000000000, got {nanos}"
            )));
        }
        Ok(Self { secs, nanos })
    }

    /// Fractional seconds since the epoch; fails for NaN, infinities and
    /// values beyond the `i64` second range.
    pub fn from_secs_f64(value: f64) -> Result<Self, DateTimeError> {
        if !value.is_finite() || value.abs() >= 9.2e18 {
            return Err(DateTimeError::new(format!(
                "{value} is not a representable number of seconds"
            )));
        }
        let secs = value.floor();
        let nanos = ((value - secs) * f64::from(NANOS_PER_SEC)).round() as u32;
        let (secs, nanos) = if nanos >= NANOS_PER_SEC {
            (secs as i64 + 1, 0)
        } else {
            (secs as i64, nanos)
        };
        Ok(Self { secs, nanos })
    }

    /// Whole seconds since the epoch (rounded towards the past).
    pub const fn secs(&self) -> i64 {
        self.secs
    }

    /// The nanoseconds past [`secs`](Self::secs).
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as `f64` (loses precision below ~100 ns).
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / f64::from(NANOS_PER_SEC)
    }

    /// Seconds since the epoch (towards the past) and nanoseconds after them.
    pub(crate) fn parts(&self) -> (i64, u32) {
        (self.secs, self.nanos)
    }

    /// Milliseconds since the epoch, truncated towards the past.
    pub fn to_millis(&self) -> Result<i64, DateTimeError> {
        self.secs
            .checked_mul(1000)
            .and_then(|ms| ms.checked_add(i64::from(self.nanos / 1_000_000)))
            .ok_or_else(|| DateTimeError::new("timestamp out of the millisecond range"))
    }

    /// Parses `text` in the given format.
    pub fn from_str(text: &str, format: Format) -> Result<Self, DateTimeError> {
        match format {
            Format::EpochSeconds => parse_epoch_seconds(text),
            Format::DateTime => parse_rfc3339(text),
            Format::HttpDate => parse_http_date(text),
        }
    }

    /// Formats in the given format. `date-time` and `http-date` can only show
    /// years 0 through 9999.
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeError> {
        match format {
            Format::EpochSeconds => Ok(self.epoch_seconds_string()),
            Format::DateTime => self.rfc3339_string(),
            Format::HttpDate => self.http_date_string(),
        }
    }

    /// The whole second as `YYYYMMDDTHHMMSSZ` (SigV4's `X-Amz-Date`),
    /// written without `fmt`: signing does this on every attempt. Years 0
    /// through 9999 only, as [`Format::DateTime`].
    pub(crate) fn compact_utc(&self) -> Result<[u8; 16], DateTimeError> {
        let c = self.civil()?;
        let mut out = *b"00000000T000000Z";
        // `civil` checked the year: 0..=9999 fits four digits.
        let year = u32::try_from(c.year).unwrap_or(0);
        let mut put = |at: usize, width: usize, mut value: u32| {
            for i in (at..at + width).rev() {
                // A digit: `value % 10 < 10`.
                out[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, 4, year);
        put(4, 2, c.month);
        put(6, 2, c.day);
        put(9, 2, c.hour);
        put(11, 2, c.minute);
        put(13, 2, c.second);
        Ok(out)
    }

    fn epoch_seconds_string(&self) -> String {
        if self.nanos == 0 {
            return self.secs.to_string();
        }
        // Show the value as sign, whole part and fraction counted from zero:
        // (-2 s, 0.5e9 ns) is -1.5.
        let (negative, whole, frac) = if self.secs < 0 {
            (
                true,
                (self.secs + 1).unsigned_abs(),
                NANOS_PER_SEC - self.nanos,
            )
        } else {
            (false, self.secs as u64, self.nanos)
        };
        let digits = format!("{frac:09}");
        let digits = digits.trim_end_matches('0');
        format!("{}{whole}.{digits}", if negative { "-" } else { "" })
    }

    fn civil(&self) -> Result<Civil, DateTimeError> {
        let civil = Civil::from_epoch(self.secs);
        if !(0..=9999).contains(&civil.year) {
            return Err(DateTimeError::new(format!(
                "year {} cannot be written as a date",
                civil.year
            )));
        }
        Ok(civil)
    }

    fn rfc3339_string(&self) -> Result<String, DateTimeError> {
        let c = self.civil()?;
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        );
        if self.nanos != 0 {
            let digits = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(digits.trim_end_matches('0'));
        }
        out.push('Z');
        Ok(out)
    }

    fn http_date_string(&self) -> Result<String, DateTimeError> {
        let c = self.civil()?;
        let weekday = WEEKDAYS[(self.secs.div_euclid(86_400) + 4).rem_euclid(7) as usize];
        Ok(format!(
            "{weekday}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            c.day,
            MONTHS[(c.month - 1) as usize],
            c.year,
            c.hour,
            c.minute,
            c.second
        ))
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// RFC 3339 when the year fits, else epoch seconds.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rfc3339_string() {
            Ok(s) => f.write_str(&s),
            Err(_) => f.write_str(&self.epoch_seconds_string()),
        }
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(d) => Self {
                secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                // Saturating: a platform's earliest `SystemTime` can lie a
                // nanosecond or more beyond `i64` seconds before the epoch.
                let d = e.duration();
                let mut secs = 0i64.saturating_sub_unsigned(d.as_secs());
                let mut nanos = d.subsec_nanos();
                if nanos > 0 {
                    secs = secs.saturating_sub(1);
                    nanos = NANOS_PER_SEC - nanos;
                }
                Self { secs, nanos }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeError;

    fn try_from(t: DateTime) -> Result<Self, DateTimeError> {
        let out_of_range = || DateTimeError::new(format!("{t:?} is out of SystemTime's range"));
        if t.secs >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::new(t.secs as u64, t.nanos))
                .ok_or_else(out_of_range)
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(t.secs.unsigned_abs()))
                .and_then(|base| base.checked_add(Duration::from_nanos(u64::from(t.nanos))))
                .ok_or_else(out_of_range)
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A UTC calendar date and time of day.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Civil {
    /// Howard Hinnant's `civil_from_days`.
    fn from_epoch(secs: i64) -> Civil {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400) as u32;
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem % 3600 / 60,
            second: rem % 60,
        }
    }

    /// Howard Hinnant's `days_from_civil`, then seconds.
    fn to_epoch(&self) -> i64 {
        let y = self.year - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    fn validate(&self, text: &str) -> Result<(), DateTimeError> {
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        let days_in_month = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        // A leap second (":60") is read as the last second of its minute.
        if self.day == 0
            || self.day > days_in_month
            || self.hour > 23
            || self.minute > 59
            || self.second > 60
        {
            return Err(DateTimeError::new(format!(
                "{} is not a valid calendar date and time",
                quoted(text)
            )));
        }
        Ok(())
    }
}

/// Parses a JSON number (integer, fraction, exponent) as exact seconds and nanoseconds.
fn parse_epoch_seconds(text: &str) -> Result<DateTime, DateTimeError> {
    let invalid =
        || DateTimeError::new(format!("{} is not a number of epoch seconds", quoted(text)));
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if let Some((whole, nanos)) = plain_epoch_seconds(body.as_bytes()) {
        return Ok(signed(negative, whole, nanos));
    }
    let (mantissa, exponent) = match body.bytes().position(|b| b == b'e' || b == b'E') {
        Some(i) => (
            &body[..i],
            parse_exponent(&body[i + 1..]).ok_or_else(invalid)?,
        ),
        None => (body, 0),
    };
    let (int_part, frac_part) = match mantissa.bytes().position(|b| b == b'.') {
        Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
        None => (mantissa, ""),
    };
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(invalid());
    }
    // All digits with the decimal point moved by the exponent: the value is
    // digits[..point] . digits[point..].
    // (Read in place: this runs for every timestamp of every response.)
    let digits = int_part.bytes().chain(frac_part.bytes()).map(|b| b - b'0');
    let digit_count = int_part.len() + frac_part.len();
    let point = int_part.len() as i64 + exponent;
    let mut whole: u64 = 0;
    let mut nanos: u32 = 0;
    for (i, d) in digits.enumerate() {
        let i = i as i64;
        if i < point {
            whole = whole
                .checked_mul(10)
                .and_then(|w| w.checked_add(u64::from(d)))
                .ok_or_else(invalid)?;
        } else if i - point < 9 {
            nanos += u32::from(d) * 10u32.pow(8 - (i - point) as u32);
        }
    }
    // Zeros the exponent appends: one multiplication, not one per zero
    // (`0e2147483647` looped two billion times); zero stays zero.
    let zeros = point - digit_count as i64;
    if zeros > 0 && whole != 0 {
        let scale = u32::try_from(zeros)
            .ok()
            .and_then(|z| 10u64.checked_pow(z))
            .ok_or_else(invalid)?;
        whole = whole.checked_mul(scale).ok_or_else(invalid)?;
    }
    let whole = i64::try_from(whole).map_err(|_| invalid())?;
    Ok(signed(negative, whole, nanos))
}

/// The usual shape of epoch seconds, `seconds[.fraction]` (digits, at
/// least one, at most 18 before the point: no overflow), read in one pass;
/// `None` for any other shape, which the exact path then reads or rejects.
fn plain_epoch_seconds(body: &[u8]) -> Option<(i64, u32)> {
    let mut whole: i64 = 0;
    let mut i = 0;
    while let Some(&b) = body.get(i) {
        if !b.is_ascii_digit() {
            break;
        }
        if i == 18 {
            return None;
        }
        whole = whole * 10 + i64::from(b - b'0');
        i += 1;
    }
    let mut nanos = 0;
    match body.get(i) {
        None if i > 0 => {}
        Some(b'.') if body.len() > 1 => {
            for (k, &b) in body[i + 1..].iter().enumerate() {
                if !b.is_ascii_digit() {
                    return None;
                }
                if let Some(scale) = FRACTION_SCALES.get(k) {
                    nanos += u32::from(b - b'0') * scale;
                }
            }
        }
        _ => return None,
    }
    Some((whole, nanos))
}

/// What each of a fraction's first nine digits is worth in nanoseconds.
const FRACTION_SCALES: [u32; 9] = [
    100_000_000,
    10_000_000,
    1_000_000,
    100_000,
    10_000,
    1_000,
    100,
    10,
    1,
];

/// `whole.nanos` seconds, negated when `negative` (a negative time with a
/// fraction is the second before, plus the rest of it).
fn signed(negative: bool, whole: i64, nanos: u32) -> DateTime {
    if !negative {
        DateTime { secs: whole, nanos }
    } else if nanos == 0 {
        DateTime {
            secs: -whole,
            nanos: 0,
        }
    } else {
        DateTime {
            secs: -whole - 1,
            nanos: NANOS_PER_SEC - nanos,
        }
    }
}

/// An exponent `[+-]?digits`, saturated at ±2^40: beyond that every
/// mantissa either overflows or rounds to zero, so the exact value does not
/// matter, and any number of digits is read in one pass.
fn parse_exponent(text: &str) -> Option<i64> {
    const LIMIT: i64 = 1 << 40;
    let (negative, digits) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let magnitude = digits
        .bytes()
        .fold(0i64, |acc, b| (acc * 10 + i64::from(b - b'0')).min(LIMIT));
    Some(if negative { -magnitude } else { magnitude })
}

/// A cursor over ASCII text for the fixed-layout date formats.
struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn error(&self, what: &str) -> DateTimeError {
        DateTimeError::new(format!(
            "{} is not a valid {what} timestamp (at character {})",
            quoted(self.text),
            self.pos + 1
        ))
    }

    fn digits(&mut self, n: usize, what: &str) -> Result<u32, DateTimeError> {
        let end = self.pos + n;
        if end > self.bytes.len() || !self.bytes[self.pos..end].iter().all(u8::is_ascii_digit) {
            return Err(self.error(what));
        }
        let value = self.bytes[self.pos..end]
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
        self.pos = end;
        Ok(value)
    }

    fn expect(&mut self, options: &[u8], what: &str) -> Result<u8, DateTimeError> {
        match self.bytes.get(self.pos) {
            Some(b) if options.contains(b) => {
                self.pos += 1;
                Ok(*b)
            }
            _ => Err(self.error(what)),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Optional `.digits`, returned as nanoseconds (digits past the ninth ignored).
    fn fraction(&mut self, what: &str) -> Result<u32, DateTimeError> {
        if self.peek() != Some(b'.') {
            return Ok(0);
        }
        self.pos += 1;
        let start = self.pos;
        let mut nanos = 0u32;
        while let Some(b) = self.peek().filter(u8::is_ascii_digit) {
            let i = self.pos - start;
            if i < 9 {
                nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
            }
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error(what));
        }
        Ok(nanos)
    }

    fn done(&self, what: &str) -> Result<(), DateTimeError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.error(what))
        }
    }
}

fn parse_rfc3339(text: &str) -> Result<DateTime, DateTimeError> {
    const WHAT: &str = "RFC 3339 date-time";
    let mut s = Scanner::new(text);
    let year = s.digits(4, WHAT)?;
    s.expect(b"-", WHAT)?;
    let month = s.digits(2, WHAT)?;
    s.expect(b"-", WHAT)?;
    let day = s.digits(2, WHAT)?;
    s.expect(b"Tt", WHAT)?;
    let hour = s.digits(2, WHAT)?;
    s.expect(b":", WHAT)?;
    let minute = s.digits(2, WHAT)?;
    s.expect(b":", WHAT)?;
    let second = s.digits(2, WHAT)?;
    let nanos = s.fraction(WHAT)?;
    let offset_secs = match s.expect(b"Zz+-", WHAT)? {
        b'+' | b'-' => {
            let sign = if s.bytes[s.pos - 1] == b'-' { -1 } else { 1 };
            let oh = s.digits(2, WHAT)?;
            s.expect(b":", WHAT)?;
            let om = s.digits(2, WHAT)?;
            if oh > 23 || om > 59 {
                return Err(s.error(WHAT));
            }
            sign * i64::from(oh * 3600 + om * 60)
        }
        _ => 0,
    };
    s.done(WHAT)?;
    let civil = Civil {
        year: i64::from(year),
        month,
        day,
        hour,
        minute,
        second: second.min(59),
    };
    civil.validate(text)?;
    Ok(DateTime {
        secs: civil.to_epoch() - offset_secs,
        nanos,
    })
}

fn parse_http_date(text: &str) -> Result<DateTime, DateTimeError> {
    const WHAT: &str = "http-date";
    let mut s = Scanner::new(text);
    let name = text.get(0..3).ok_or_else(|| s.error(WHAT))?;
    if !WEEKDAYS.contains(&name) {
        return Err(s.error(WHAT));
    }
    s.pos = 3;
    s.expect(b",", WHAT)?;
    s.expect(b" ", WHAT)?;
    let day = s.digits(2, WHAT)?;
    s.expect(b" ", WHAT)?;
    let month_name = text.get(s.pos..s.pos + 3).ok_or_else(|| s.error(WHAT))?;
    let month = MONTHS
        .iter()
        .position(|m| *m == month_name)
        .ok_or_else(|| s.error(WHAT))? as u32
        + 1;
    s.pos += 3;
    s.expect(b" ", WHAT)?;
    let year = s.digits(4, WHAT)?;
    s.expect(b" ", WHAT)?;
    let hour = s.digits(2, WHAT)?;
    s.expect(b":", WHAT)?;
    let minute = s.digits(2, WHAT)?;
    s.expect(b":", WHAT)?;
    let second = s.digits(2, WHAT)?;
    let nanos = s.fraction(WHAT)?;
    if text.get(s.pos..) != Some(" GMT") {
        return Err(s.error(WHAT));
    }
    let civil = Civil {
        year: i64::from(year),
        month,
        day,
        hour,
        minute,
        second: second.min(59),
    };
    civil.validate(text)?;
    Ok(DateTime {
        secs: civil.to_epoch(),
        nanos,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(secs: i64, nanos: u32) -> DateTime {
        DateTime::from_secs_and_nanos(secs, nanos).unwrap()
    }

    #[test]
    fn epoch_seconds_parse_exactly() {
        let cases = [
            ("946845296", dt(946845296, 0)),
            ("946845296.123", dt(946845296, 123_000_000)),
            ("1.6E9", dt(1_600_000_000, 0)),
            ("1.6e+9", dt(1_600_000_000, 0)),
            ("1515531081.1234567891", dt(1515531081, 123_456_789)),
            ("-1.5", dt(-2, 500_000_000)),
            ("-1", dt(-1, 0)),
            ("-0.5", dt(-1, 500_000_000)),
            (".5", dt(0, 500_000_000)),
            ("5.", dt(5, 0)),
            ("0.000000001", dt(0, 1)),
            // Up to 18 digits before the point in one pass, more through
            // the exact path, which checks for overflow.
            ("999999999999999999.9", dt(999_999_999_999_999_999, 900_000_000)),
            ("9223372036854775807", dt(i64::MAX, 0)),
            ("123456e-3", dt(123, 456_000_000)),
            // Exponents are read in one pass, however long.
            ("0e2147483647", dt(0, 0)),
            ("0.0e99999999999999999999", dt(0, 0)),
            ("1e-99999999999999999999", dt(0, 0)),
            ("12e1", dt(120, 0)),
            ("5e18", dt(5_000_000_000_000_000_000, 0)),
            ("1e+0000000000000000000000000009", dt(1_000_000_000, 0)),
        ];
        for (text, want) in cases {
            assert_eq!(
                DateTime::from_str(text, Format::EpochSeconds).unwrap(),
                want,
                "{text}"
            );
        }
        for bad in [
            "",
            "-",
            "1.2.3",
            ".",
            "-.",
            "12a",
            "1.5x",
            "abc",
            "1e",
            "1e+-5",
            "NaN",
            "99999999999999999999",
            "9223372036854775808",
            "1e19",
            "1e2147483647",
            "1e99999999999999999999",
        ] {
            assert!(
                DateTime::from_str(bad, Format::EpochSeconds).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn epoch_seconds_format_keeps_fractions() {
        assert_eq!(
            dt(946845296, 0).fmt(Format::EpochSeconds).unwrap(),
            "946845296"
        );
        assert_eq!(
            dt(946845296, 123_000_000)
                .fmt(Format::EpochSeconds)
                .unwrap(),
            "946845296.123"
        );
        assert_eq!(
            dt(-2, 500_000_000).fmt(Format::EpochSeconds).unwrap(),
            "-1.5"
        );
        assert_eq!(dt(0, 1).fmt(Format::EpochSeconds).unwrap(), "0.000000001");
    }

    #[test]
    fn rfc3339_round_trip_and_offsets() {
        let t = DateTime::from_str("1985-04-12T23:20:50.52Z", Format::DateTime).unwrap();
        assert_eq!(t, dt(482196050, 520_000_000));
        assert_eq!(t.fmt(Format::DateTime).unwrap(), "1985-04-12T23:20:50.52Z");
        assert_eq!(
            DateTime::from_str("2019-12-16T22:48:18-01:00", Format::DateTime).unwrap(),
            dt(1576540098, 0)
        );
        assert_eq!(
            DateTime::from_str("2022-05-02T18:36:00+00:00", Format::DateTime).unwrap(),
            dt(1651516560, 0)
        );
        assert_eq!(
            DateTime::from_str("2000-01-02T20:34:56.123Z", Format::DateTime).unwrap(),
            dt(946845296, 123_000_000)
        );
        for bad in [
            "2019-02-30T00:00:00Z",
            "2019-12-16 22:48:18Z",
            "2019-12-16T22:48:18",
            "2019-12-16T22:48:18Zjunk",
            "2019-13-01T00:00:00Z",
            "",
        ] {
            let err = DateTime::from_str(bad, Format::DateTime).unwrap_err();
            assert!(err.to_string().contains(bad), "{err}");
        }
    }

    #[test]
    fn http_date_round_trip() {
        let t = DateTime::from_str("Tue, 29 Apr 2014 18:30:38 GMT", Format::HttpDate).unwrap();
        assert_eq!(t, dt(1398796238, 0));
        assert_eq!(
            t.fmt(Format::HttpDate).unwrap(),
            "Tue, 29 Apr 2014 18:30:38 GMT"
        );
        assert!(DateTime::from_str("Tue, 29 Foo 2014 18:30:38 GMT", Format::HttpDate).is_err());
    }

    #[test]
    fn system_time_conversions() {
        let t = dt(-2, 500_000_000);
        let st = SystemTime::try_from(t).unwrap();
        assert_eq!(DateTime::from(st), t);
        assert_eq!(
            SystemTime::try_from(dt(1, 5)).unwrap(),
            UNIX_EPOCH + Duration::new(1, 5)
        );
        assert_eq!(DateTime::from_millis(-1500), dt(-2, 500_000_000));
        assert_eq!(DateTime::from_secs_f64(1.25).unwrap(), dt(1, 250_000_000));
        assert!(DateTime::from_secs_f64(f64::NAN).is_err());
    }

    #[test]
    fn calendar_matches_day_by_day_counting() {
        let (mut year, mut month, mut day) = (1970i64, 1u32, 1u32);
        for days in 0..(366 * 450) {
            let c = Civil::from_epoch(days * 86_400 + 3723);
            assert_eq!((c.year, c.month, c.day), (year, month, day), "day {days}");
            assert_eq!((c.hour, c.minute, c.second), (1, 2, 3));
            assert_eq!(c.to_epoch(), days * 86_400 + 3723);
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let month_len = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            day += 1;
            if day > month_len {
                day = 1;
                month += 1;
                if month > 12 {
                    month = 1;
                    year += 1;
                }
            }
        }
    }

    #[test]
    fn years_outside_four_digits_are_errors_not_garbage() {
        assert!(DateTime::from_secs(i64::MAX / 2)
            .fmt(Format::DateTime)
            .is_err());
        assert_eq!(
            format!("{}", DateTime::from_secs(-62_167_219_201)),
            "-62167219201"
        );
    }
}
