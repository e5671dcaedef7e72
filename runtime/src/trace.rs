//! What a client reports through [`tracing`](https://docs.rs/tracing)
//! (cargo feature `tracing`, on by default; off, this crate has no
//! `tracing` dependency and none of this is compiled).
//!
//! Nothing here is formatted unless a subscriber listens at that level: the
//! field values of a disabled span or event are never evaluated.
//!
//! # Spans
//!
//! | span | level | fields |
//! |---|---|---|
//! | `call`: one per operation call, retries included | `DEBUG` | `rpc.system` (`aws-api`), `rpc.service` (the signing name, e.g. `proton`), `rpc.method` (the operation, e.g. `GetService`) |
//! | `attempt`: one per attempt, inside `call` | `DEBUG` | `attempt` (1, 2, ...) |
//!
//! # Events
//!
//! | message | level | fields | when |
//! |---|---|---|---|
//! | `endpoint resolved` | `DEBUG` | `endpoint` (the URL sent to: user info removed) | once per call |
//! | `credentials` | `DEBUG` | `provider` (e.g. `EnvironmentVariable`, `Sso`, `Static`) | each attempt |
//! | `credentials loaded` | `DEBUG` | `provider`, `expiry` | a credentials cache (re)loads |
//! | `interceptor` | `TRACE` | `interceptor`, `hook` | each interceptor hook run |
//! | `response` | `DEBUG` | `status`, `request_id`, `code` (error responses) | each response |
//! | `retrying` | `DEBUG` | `reason`, `attempt` (the one that failed), `delay_ms` | a failed attempt is retried |
//! | `not retrying` | `DEBUG` | `reason` | a failed attempt ends the call |
//! | `clock skew corrected` | `INFO` | `offset_ms` (service clock minus local clock) | a signature was refused for the time |
//! | `timed out` | `DEBUG` | `timeout` (`response_headers`, `stalled_body`, `attempt`, `operation`), `limit_ms` | a limit ended an attempt or the call |
//! | `call finished` | `DEBUG` | `attempts`, `outcome` (`success`, `service_error`, or the request error's kind) | the call ends |
//!
//! Never recorded, at any level: credentials (keys, session tokens),
//! signatures and request or response headers, bodies (so no member,
//! sensitive or not, and no error message a service wrote), and URL user
//! info. `workspace-tests`'s secret sweep captures everything at `TRACE`
//! with sentinel secrets planted and fails if one appears.
//!
//! Events use this crate's module paths as targets
//! (`aws_json_runtime::client::pipeline`, ...), so
//! `RUST_LOG=aws_json_runtime=debug` selects them.

/// An event at `$level` (`trace`, `debug`, `info`, `warn`, `error`), with
/// `tracing`'s field syntax; nothing at all without the feature.
#[cfg(feature = "tracing")]
macro_rules! event {
    ($level:ident, $($arg:tt)+) => {
        ::tracing::$level!($($arg)+)
    };
}

#[cfg(not(feature = "tracing"))]
macro_rules! event {
    ($level:ident, $($arg:tt)+) => {};
}

pub(crate) use event;

use std::future::Future;

/// A span, or nothing without the feature.
#[cfg(feature = "tracing")]
pub(crate) type Span = tracing::Span;

/// Without the feature, a span is nothing.
#[cfg(not(feature = "tracing"))]
#[derive(Clone, Copy)]
pub(crate) struct Span;

/// The span of one operation call.
#[cfg(feature = "tracing")]
pub(crate) fn call_span(service: &'static str, operation: &'static str) -> Span {
    tracing::debug_span!(
        "call",
        rpc.system = "aws-api",
        rpc.service = service,
        rpc.method = operation
    )
}

#[cfg(not(feature = "tracing"))]
pub(crate) fn call_span(_service: &'static str, _operation: &'static str) -> Span {
    Span
}

/// The span of one attempt.
#[cfg(feature = "tracing")]
pub(crate) fn attempt_span(attempt: u32) -> Span {
    tracing::debug_span!("attempt", attempt)
}

#[cfg(not(feature = "tracing"))]
pub(crate) fn attempt_span(_attempt: u32) -> Span {
    Span
}

/// `future`, run inside `span`.
#[cfg(feature = "tracing")]
pub(crate) fn instrument<F: Future>(future: F, span: Span) -> impl Future<Output = F::Output> {
    tracing::Instrument::instrument(future, span)
}

#[cfg(not(feature = "tracing"))]
pub(crate) fn instrument<F: Future>(future: F, _span: Span) -> impl Future<Output = F::Output> {
    future
}

/// Milliseconds of `d`, for event fields.
#[cfg(feature = "tracing")]
pub(crate) fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
