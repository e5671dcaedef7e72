//! Clock skew correction, as the AWS SDKs do it: when the service refuses
//! a signature because of the time (`RequestTimeTooSkewed`, `Signature
//! expired` as `InvalidSignatureException`, ...), the offset between the
//! response's `Date` and the local clock is adopted for every later
//! signature of the client, and the call is retried once at once.
//!
//! A refusal is only taken as skew when the `Date` says the clocks differ
//! by at least [`THRESHOLD`]: a wrong secret key (also
//! `InvalidSignatureException`) from a server whose clock agrees is not
//! retried. Every number here comes from a server, so the arithmetic is
//! checked, and an offset that would move the signing time outside what
//! SigV4 can write (1970 to 9999) is ignored.

use crate::datetime::{DateTime, Format};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Error codes with which services refuse a request signed at the wrong
/// time (the AWS SDKs' list).
pub const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
];

/// The smallest difference treated as skew: SigV4 signatures are accepted
/// up to 5 minutes off, and a response takes a moment to arrive.
pub const THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// The first instant `X-Amz-Date` cannot write (year 10000).
const YEAR_10000: Duration = Duration::from_secs(253_402_300_800);

/// The service's clock minus the local one, shared by all calls of a client.
#[derive(Debug, Default)]
pub(super) struct ClockSkew {
    offset_ms: AtomicI64,
}

impl ClockSkew {
    /// The time to sign with: the local clock, corrected.
    pub(super) fn now(&self) -> SystemTime {
        let now = SystemTime::now();
        shift(now, self.offset_ms.load(Ordering::Relaxed)).unwrap_or(now)
    }

    /// The correction in force, in milliseconds.
    pub(super) fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Learns from an error answer with `code`, sent by the service at
    /// `server_date` and received at local time `now`: `true` when it was a
    /// skew refusal and the correction changed, so a retry can succeed.
    pub(super) fn correct(
        &self,
        code: Option<&str>,
        server_date: Option<SystemTime>,
        now: SystemTime,
    ) -> bool {
        let (Some(code), Some(server_date)) = (code, server_date) else {
            return false;
        };
        if !CLOCK_SKEW_CODES.contains(&code) {
            return false;
        }
        let Some(observed) = difference_ms(server_date, now) else {
            return false;
        };
        let current = self.offset_ms.load(Ordering::Relaxed);
        let change = observed.checked_sub(current).map(i64::unsigned_abs);
        if change.is_none_or(|c| c < THRESHOLD.as_millis() as u64) {
            return false;
        }
        let signable = shift(now, observed)
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .is_some_and(|since| since < YEAR_10000);
        if !signable {
            return false;
        }
        self.offset_ms.store(observed, Ordering::Relaxed);
        true
    }
}

/// The `Date` header of a response, when it is a valid HTTP date.
pub(super) fn server_date(headers: &http::HeaderMap) -> Option<SystemTime> {
    let text = headers.get(http::header::DATE)?.to_str().ok()?;
    let date = DateTime::from_str(text.trim(), Format::HttpDate).ok()?;
    SystemTime::try_from(date).ok()
}

/// `a - b` in milliseconds, when it fits.
fn difference_ms(a: SystemTime, b: SystemTime) -> Option<i64> {
    match a.duration_since(b) {
        Ok(ahead) => i64::try_from(ahead.as_millis()).ok(),
        Err(behind) => i64::try_from(behind.duration().as_millis())
            .ok()
            .map(|ms| -ms),
    }
}

/// `t` moved by `ms` milliseconds, when that is a time.
fn shift(t: SystemTime, ms: i64) -> Option<SystemTime> {
    let by = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 {
        t.checked_add(by)
    } else {
        t.checked_sub(by)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn a_skew_refusal_with_a_distant_date_sets_the_offset_once() {
        let skew = ClockSkew::default();
        let now = at(1_700_000_000);
        assert!(skew.correct(Some("RequestTimeTooSkewed"), Some(now + HOUR), now));
        assert_eq!(skew.offset_ms(), 3_600_000);
        // The same answer again changes nothing: no second retry.
        assert!(!skew.correct(Some("RequestTimeTooSkewed"), Some(now + HOUR), now));
        // The clock the other way.
        assert!(skew.correct(Some("InvalidSignatureException"), Some(now - HOUR), now));
        assert_eq!(skew.offset_ms(), -3_600_000);
        let signing = skew.now();
        let expected = SystemTime::now() - HOUR;
        let diff = difference_ms(signing, expected).unwrap().abs();
        assert!(diff < 5_000, "{diff}");
    }

    #[test]
    fn other_errors_small_differences_and_missing_dates_are_not_skew() {
        let skew = ClockSkew::default();
        let now = at(1_700_000_000);
        assert!(!skew.correct(Some("ValidationException"), Some(now + HOUR), now));
        assert!(!skew.correct(None, Some(now + HOUR), now));
        assert!(!skew.correct(Some("InvalidSignatureException"), None, now));
        // A wrong secret from a server whose clock agrees (within 4 minutes).
        let near = now + Duration::from_secs(200);
        assert!(!skew.correct(Some("InvalidSignatureException"), Some(near), now));
        assert_eq!(skew.offset_ms(), 0);
    }

    #[test]
    fn dates_no_signature_can_carry_are_ignored() {
        let skew = ClockSkew::default();
        let now = at(1_700_000_000);
        // Year 9999, 23:59:59: still signable; a second more is not.
        assert!(skew.correct(Some("RequestExpired"), Some(at(253_402_300_799)), now));
        let skew = ClockSkew::default();
        assert!(!skew.correct(Some("RequestExpired"), Some(at(253_402_300_800)), now));
        // Far enough to overflow the millisecond arithmetic.
        if let Some(far) = UNIX_EPOCH.checked_add(Duration::from_secs(u64::MAX / 4)) {
            assert!(!skew.correct(Some("RequestExpired"), Some(far), now));
        }
        assert!(!skew.correct(Some("RequestExpired"), Some(UNIX_EPOCH - HOUR), at(10)));
        assert_eq!(skew.offset_ms(), 0);
    }

    #[test]
    fn the_date_header_is_parsed_strictly() {
        let date = |v: &str| {
            let mut h = http::HeaderMap::new();
            h.insert("date", v.parse().unwrap());
            server_date(&h)
        };
        assert_eq!(date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(at(784_111_777)));
        assert_eq!(date("yesterday"), None);
        assert_eq!(date("Sun, 06 Nov 99999 08:49:37 GMT"), None);
        assert_eq!(date(""), None);
        assert_eq!(server_date(&http::HeaderMap::new()), None);
    }
}
