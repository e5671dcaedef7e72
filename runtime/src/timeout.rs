//! [`TimeoutConfig`]: how long each phase of a call may wait.

use crate::http::MinimumThroughput;
use std::time::Duration;

/// Time limits applied to each call.
///
/// The defaults make every call end by itself, retries included, within
/// 2 minutes when a server stops answering:
///
/// * **connect**: 3.1 s, as the AWS SDKs.
/// * **response headers**: 30 s per attempt, from sending the request
///   (connecting included) to the response's status and headers. AWS
///   answers awsJson calls in well under a second, and the longest
///   documented server-side waits — SQS long polling — are at most 20 s.
///   30 s is half botocore's 60 s read timeout so that three attempts fit
///   in 2 minutes. Operations that hold the request longer (SWF
///   `PollFor*Task` and Step Functions `GetActivityTask`, 60 s;
///   `StartSyncExecution`, up to 5 minutes) need a higher limit: build
///   their client from a config with
///   [`with_response_headers_timeout`](Self::with_response_headers_timeout).
/// * **stalled body**: at least 1 byte per second over a 5 s grace period
///   ([`MinimumThroughput`], as the AWS SDK for Rust): a body that stops
///   fails its attempt about 5 s after its last byte.
/// * **attempt** and **operation**: no limit, as the AWS SDKs (a slow but
///   moving body, or a long retry sequence, is not cut off).
///
/// Worst case with defaults and 3 attempts: 3 × (30 s + 5.5 s) + 3 s of
/// backoff = 109.5 s, ending in a timeout error. Each limit can be
/// disabled, explicitly, with `None`; [`disabled`](Self::disabled) turns
/// all of them off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    response_headers: Option<Duration>,
    minimum_throughput: Option<MinimumThroughput>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    fn default() -> Self {
        Self {
            connect: Some(Duration::from_millis(3100)),
            response_headers: Some(Duration::from_secs(30)),
            minimum_throughput: Some(MinimumThroughput::default()),
            attempt: None,
            operation: None,
        }
    }
}

impl TimeoutConfig {
    /// No limit at all: a call may then wait forever on a silent server.
    pub fn disabled() -> Self {
        Self {
            connect: None,
            response_headers: None,
            minimum_throughput: None,
            attempt: None,
            operation: None,
        }
    }

    /// How long to wait for a connection (`None`: no limit).
    pub fn with_connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect = timeout;
        self
    }

    /// How long one attempt may wait for the response's headers, from
    /// sending the request (`None`: no limit). A timed-out attempt is
    /// retried like a connection failure.
    pub fn with_response_headers_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.response_headers = timeout;
        self
    }

    /// Stalled-stream protection for response bodies (`None`: a body may
    /// stop arriving forever).
    pub fn with_minimum_throughput(mut self, minimum: Option<MinimumThroughput>) -> Self {
        self.minimum_throughput = minimum;
        self
    }

    /// How long one attempt (send and read the whole response) may take;
    /// a timed-out attempt is retried like a connection failure.
    pub fn with_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt = timeout;
        self
    }

    /// How long a whole call, retries and backoff included, may take.
    pub fn with_operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation = timeout;
        self
    }

    /// The connect timeout.
    pub fn connect(&self) -> Option<Duration> {
        self.connect
    }

    /// The time limit to response headers, per attempt.
    pub fn response_headers(&self) -> Option<Duration> {
        self.response_headers
    }

    /// Stalled-stream protection.
    pub fn minimum_throughput(&self) -> Option<MinimumThroughput> {
        self.minimum_throughput
    }

    /// The per-attempt timeout.
    pub fn attempt(&self) -> Option<Duration> {
        self.attempt
    }

    /// The per-call timeout.
    pub fn operation(&self) -> Option<Duration> {
        self.operation
    }
}
