//! The limits on what a response may cost: its size ([`ResponseLimits`])
//! and how slowly its body may arrive ([`MinimumThroughput`]).

use std::time::Duration;

/// One mebibyte.
const MIB: u64 = 1024 * 1024;

/// How large a response body may be.
///
/// Both limits are enforced while the body arrives: a `Content-Length`
/// above the limit is refused before reading, and bytes are counted as
/// they come, so a client never holds more than the limit of one body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseLimits {
    max_body: u64,
    max_error_body: u64,
}

impl Default for ResponseLimits {
    /// A 64 MiB response body, a 1 MiB error body.
    ///
    /// 64 MiB is well above the largest awsJson responses AWS documents
    /// (DynamoDB's `BatchGetItem` returns at most 16 MB, `Query` and `Scan`
    /// pages 1 MB), so no legitimate answer is refused, while a hostile or
    /// broken endpoint cannot make a call hold hundreds of megabytes.
    /// Error responses are a code, a message and a few members: 1 MiB
    /// leaves room for the largest modelled ones, and a longer error body
    /// is read only up to the limit (its message truncated, marked so), not
    /// refused.
    fn default() -> Self {
        Self {
            max_body: 64 * MIB,
            max_error_body: MIB,
        }
    }
}

impl ResponseLimits {
    /// The largest 2xx response body, in bytes; a larger one fails the call
    /// with an error naming this limit (it is not retried: the same
    /// request would get the same answer).
    pub fn with_max_body(mut self, bytes: u64) -> Self {
        self.max_body = bytes;
        self
    }

    /// How much of an error response body is read, in bytes; the rest is
    /// discarded (the connection is closed rather than drained).
    pub fn with_max_error_body(mut self, bytes: u64) -> Self {
        self.max_error_body = bytes;
        self
    }

    /// The largest 2xx response body.
    pub fn max_body(&self) -> u64 {
        self.max_body
    }

    /// How much of an error body is read.
    pub fn max_error_body(&self) -> u64 {
        self.max_error_body
    }
}

/// Stalled-stream protection: a response body must arrive at
/// `bytes_per_sec` or faster, measured over a sliding window of `grace`;
/// the first `grace` after the headers is free. A body that falls below
/// ends its attempt with a timeout error, which is retried.
///
/// The default, as the AWS SDK for Rust: at least 1 byte per second over a
/// 5 s grace period. It catches a body that stopped (a dead peer, a
/// half-open connection) within about 5 s without ever failing a slow but
/// moving one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MinimumThroughput {
    bytes_per_sec: u64,
    grace: Duration,
}

impl Default for MinimumThroughput {
    fn default() -> Self {
        Self::new(1, Duration::from_secs(5))
    }
}

impl MinimumThroughput {
    /// At least `bytes_per_sec` over every window of `grace`.
    pub const fn new(bytes_per_sec: u64, grace: Duration) -> Self {
        Self {
            bytes_per_sec,
            grace,
        }
    }

    /// The slowest acceptable rate.
    pub fn bytes_per_sec(&self) -> u64 {
        self.bytes_per_sec
    }

    /// The window the rate is measured over, and the free start.
    pub fn grace(&self) -> Duration {
        self.grace
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let l = ResponseLimits::default();
        assert_eq!((l.max_body(), l.max_error_body()), (64 << 20, 1 << 20));
        let m = MinimumThroughput::default();
        assert_eq!((m.bytes_per_sec(), m.grace()), (1, Duration::from_secs(5)));
    }
}
