//! Retry modes: which failures are retried, how long to wait, the retry
//! quota that keeps a struggling service from being hammered, and (in the
//! adaptive mode) the client-side rate limiter of [`adaptive`].
//!
//! Follows the AWS SDKs' standard mode (SDK reference guide, "Retry
//! behavior"): at most `max_attempts` attempts (3 by default), exponential
//! backoff with full jitter capped at 20 s, and a token bucket of 500 shared
//! by all calls of one client, where a retry costs 5 (10 after a timeout or
//! connection failure) and a success pays back.

use std::sync::Mutex;
use std::time::Duration;

pub mod adaptive;

/// How a client retries (`AWS_RETRY_MODE`, the profile's `retry_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RetryMode {
    /// The AWS SDKs' standard mode: attempts, backoff and the retry quota.
    /// `legacy` in the settings means this: the SDKs' legacy modes are each
    /// SDK's own historical default, which for the Rust SDK is standard.
    #[default]
    Standard,
    /// Standard, plus a client-side rate limiter that slows every attempt
    /// down after throttling answers ([`adaptive::ClientRateLimiter`]).
    Adaptive,
}

/// Retry settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    mode: RetryMode,
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// Standard mode: 3 attempts, backoff from 1 s up to 20 s.
    pub const fn standard() -> Self {
        Self {
            mode: RetryMode::Standard,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// Adaptive mode: standard, plus client-side rate limiting after
    /// throttling.
    pub const fn adaptive() -> Self {
        Self::standard().with_mode(RetryMode::Adaptive)
    }

    /// The mode.
    pub const fn with_mode(mut self, mode: RetryMode) -> Self {
        self.mode = mode;
        self
    }

    /// The retry mode.
    pub const fn mode(&self) -> RetryMode {
        self.mode
    }

    /// No retries: one attempt.
    pub const fn disabled() -> Self {
        Self::standard().with_max_attempts(1)
    }

    /// Total attempts including the first; 0 is treated as 1.
    pub const fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = if max_attempts == 0 { 1 } else { max_attempts };
        self
    }

    /// The backoff base: the first retry waits up to this long.
    pub const fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest any single backoff can be.
    pub const fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Total attempts including the first.
    pub const fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before retry number `retry` (1 for the first retry), with
    /// full jitter: `jitter × min(initial × 2^(retry−1), max)`, `jitter` in `[0, 1)`.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let exp = 2f64.powi(retry.saturating_sub(1).min(62) as i32);
        let ceiling =
            (self.initial_backoff.as_secs_f64() * exp).min(self.max_backoff.as_secs_f64());
        // A NaN jitter counts as 0; a ceiling beyond `Duration` (from huge
        // configured backoffs) is capped rather than panicking.
        let jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        Duration::try_from_secs_f64(ceiling * jitter).unwrap_or(self.max_backoff)
    }

    /// A server-given retry delay (`x-amz-retry-after`, milliseconds), capped
    /// at the maximum backoff.
    pub fn retry_after(&self, millis: u64) -> Duration {
        Duration::from_millis(millis).min(self.max_backoff)
    }
}

/// Why a failed attempt may be retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryKind {
    /// The service asked the client to slow down (throttling codes, modelled
    /// throttling errors).
    Throttling,
    /// A timeout, connection failure, unreadable response or 5xx answer: the
    /// request may not have been processed at all.
    Transient,
    /// A modelled `@retryable` error or a transient error code.
    Retryable,
    /// Anything else: retrying would get the same answer.
    NotRetryable,
}

impl RetryKind {
    /// What a retry of this kind costs from the quota.
    pub fn cost(self) -> u32 {
        match self {
            RetryKind::Transient => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        }
    }
}

/// Error codes AWS SDKs treat as throttling.
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes AWS SDKs treat as transient.
pub const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// HTTP statuses retried whatever the error code.
pub const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// Classifies an error response. `modeled` is the service's list of
/// `@retryable` errors by code, with `true` for throttling ones.
pub fn classify_response(status: u16, code: Option<&str>, modeled: &[(&str, bool)]) -> RetryKind {
    if let Some(code) = code {
        if let Some((_, throttling)) = modeled.iter().find(|(c, _)| *c == code) {
            return if *throttling {
                RetryKind::Throttling
            } else {
                RetryKind::Retryable
            };
        }
        if THROTTLING_CODES.contains(&code) {
            return RetryKind::Throttling;
        }
        if TRANSIENT_CODES.contains(&code) {
            return RetryKind::Retryable;
        }
    }
    if TRANSIENT_STATUSES.contains(&status) {
        RetryKind::Transient
    } else {
        RetryKind::NotRetryable
    }
}

const CAPACITY: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const SUCCESS_REWARD: u32 = 1;

/// The retry quota: retries spend tokens, successes earn them back. When it
/// is empty, failures are returned at once instead of retried.
#[derive(Debug)]
pub struct TokenBucket {
    tokens: Mutex<u32>,
}

impl Default for TokenBucket {
    fn default() -> Self {
        Self::new(CAPACITY)
    }
}

impl TokenBucket {
    /// A full bucket of `capacity` tokens (500 in standard mode).
    pub fn new(capacity: u32) -> Self {
        Self {
            tokens: Mutex::new(capacity),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, u32> {
        // The counter is always valid, even if a holder panicked.
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes `cost` tokens for a retry; `false` (nothing taken) when too few are left.
    pub fn try_acquire(&self, cost: u32) -> bool {
        let mut tokens = self.lock();
        if *tokens >= cost {
            *tokens -= cost;
            true
        } else {
            false
        }
    }

    /// Records a successful call: a call that needed retries returns the
    /// cost of its last retry, a first-try success adds one token.
    pub fn success(&self, last_retry_cost: Option<u32>) {
        let mut tokens = self.lock();
        *tokens = (*tokens + last_retry_cost.unwrap_or(SUCCESS_REWARD)).min(CAPACITY);
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        *self.lock()
    }
}

/// A uniform random number in `[0, 1)` from the operating system's
/// generator (through the crypto library, see `crypto`): the one source of
/// randomness for retry backoff, waiter delays and credential refresh jitter.
pub fn jitter() -> f64 {
    let mut bytes = [0u8; 8];
    // The generator only fails if the OS has no randomness source at all (or,
    // without a crypto feature, no rustls provider is installed); a fixed mid
    // value then still gives a sane backoff.
    if !crate::crypto::fill_random(&mut bytes) {
        return 0.5;
    }
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROTON: &[(&str, bool)] = &[
        ("InternalServerException", false),
        ("ThrottlingException", true),
    ];

    #[test]
    fn classification() {
        assert_eq!(classify_response(500, None, PROTON), RetryKind::Transient);
        for status in [502, 503, 504] {
            assert_eq!(
                classify_response(status, Some("Whatever"), PROTON),
                RetryKind::Transient
            );
        }
        assert_eq!(
            classify_response(500, Some("InternalServerException"), PROTON),
            RetryKind::Retryable
        );
        assert_eq!(
            classify_response(429, Some("ThrottlingException"), PROTON),
            RetryKind::Throttling
        );
        assert_eq!(
            classify_response(400, Some("SlowDown"), &[]),
            RetryKind::Throttling
        );
        assert_eq!(
            classify_response(400, Some("RequestTimeout"), &[]),
            RetryKind::Retryable
        );
        assert_eq!(
            classify_response(400, Some("ValidationException"), PROTON),
            RetryKind::NotRetryable
        );
        assert_eq!(
            classify_response(409, Some("ConflictException"), PROTON),
            RetryKind::NotRetryable
        );
        assert_eq!(
            classify_response(404, None, PROTON),
            RetryKind::NotRetryable
        );
    }

    #[test]
    fn backoff_is_jittered_exponential_and_capped() {
        let c = RetryConfig::standard();
        assert_eq!(c.backoff(1, 0.999_999), Duration::from_secs_f64(0.999_999));
        assert_eq!(c.backoff(2, 0.5), Duration::from_secs(1));
        assert_eq!(c.backoff(3, 0.5), Duration::from_secs(2));
        assert_eq!(
            c.backoff(10, 0.999_999),
            Duration::from_secs_f64(20.0 * 0.999_999)
        );
        assert_eq!(c.backoff(1000, 1.0), Duration::from_secs(20));
        assert_eq!(c.backoff(1, 0.0), Duration::ZERO);
        assert_eq!(c.retry_after(60_000), Duration::from_secs(20));
        assert_eq!(c.retry_after(1500), Duration::from_millis(1500));
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
            assert!(c.backoff(30, j) <= Duration::from_secs(20));
        }
    }

    #[test]
    fn quota_drains_and_refills() {
        let bucket = TokenBucket::default();
        let mut retries = 0;
        while bucket.try_acquire(RetryKind::Retryable.cost()) {
            retries += 1;
        }
        assert_eq!(retries, 100, "500 tokens at 5 per retry");
        assert!(!bucket.try_acquire(5));
        bucket.success(Some(5));
        assert_eq!(bucket.available(), 5);
        bucket.success(None);
        assert_eq!(bucket.available(), 6);
        let full = TokenBucket::default();
        full.success(None);
        assert_eq!(full.available(), 500, "capped at capacity");
        assert_eq!(RetryKind::Transient.cost(), 10);
    }

    #[test]
    fn max_attempts() {
        assert_eq!(RetryConfig::default().max_attempts(), 3);
        assert_eq!(RetryConfig::disabled().max_attempts(), 1);
        assert_eq!(
            RetryConfig::standard().with_max_attempts(0).max_attempts(),
            1
        );
    }
}
