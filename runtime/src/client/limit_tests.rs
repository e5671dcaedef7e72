//! The pipeline's time and size limits against servers that misbehave on
//! purpose, on tokio's paused clock: with default settings every call ends
//! by itself within 2 minutes, and no response costs more memory than its
//! limit.

use super::test_support::{handle, loader, Fault, Faulty};
use super::*;
use crate::config::{ResponseLimits, TimeoutConfig};
use crate::error::{ErrorMeta, RequestError, RequestErrorKind};
use crate::http::MinimumThroughput;
use std::time::Duration;
use tokio::time::Instant;

const TWO_MINUTES: Duration = Duration::from_secs(120);
const MIB: u64 = 1024 * 1024;

fn request_error(result: Result<Response, CallError>) -> RequestError {
    match result {
        Err(CallError::Request(e)) => e,
        other => panic!("expected a request error, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_server_that_never_sends_headers_ends_the_call_within_two_minutes() {
    let http = Faulty::new(Fault::NoHeaders);
    let client = handle(loader(http.clone())).await;
    let started = Instant::now();
    let err = request_error(client.call("Op", b"{}".to_vec()).await);
    let elapsed = started.elapsed();
    assert_eq!(err.kind(), RequestErrorKind::Timeout, "{err}");
    assert_eq!(http.attempts(), 3, "a timeout is retried");
    // 3 × 30 s, plus at most 1 s + 2 s of backoff.
    assert!(
        elapsed >= Duration::from_secs(90) && elapsed < Duration::from_secs(93),
        "{elapsed:?}"
    );
    assert!(elapsed < TWO_MINUTES);
    assert_eq!(
        err.to_string(),
        "timed out: no response headers for Op within 30s \
         (the response-headers timeout, `TimeoutConfig::with_response_headers_timeout`)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_body_that_stalls_ends_the_call_within_two_minutes() {
    // Headers at once, a few bytes, then nothing.
    let http = Faulty::new(Fault::body(200, b"{\"a\":".to_vec(), 1, true));
    let client = handle(loader(http.clone())).await;
    let started = Instant::now();
    let err = request_error(client.call("Op", b"{}".to_vec()).await);
    assert_eq!(err.kind(), RequestErrorKind::Timeout, "{err}");
    assert_eq!(http.attempts(), 3);
    assert!(
        started.elapsed() < Duration::from_secs(3 * 6 + 3),
        "{:?}",
        started.elapsed()
    );
    assert!(
        err.to_string()
            .starts_with("timed out: the response body stalled"),
        "{err}"
    );
    assert_eq!(err.meta().map(ErrorMeta::status), Some(200));
}

#[tokio::test(start_paused = true)]
async fn the_worst_case_with_defaults_is_under_two_minutes() {
    // Headers just before the 30 s limit, a byte, then a stall: the
    // longest a silent server can hold each attempt.
    let fault = Fault::body(200, b"{".to_vec(), 1, true).after(Duration::from_millis(29_999));
    let http = Faulty::new(fault);
    let client = handle(loader(http.clone())).await;
    let started = Instant::now();
    let err = request_error(client.call("Op", b"{}".to_vec()).await);
    let elapsed = started.elapsed();
    assert_eq!(err.kind(), RequestErrorKind::Timeout, "{err}");
    assert_eq!(http.attempts(), 3);
    // 3 × (30 s + 5.5 s) + 3 s of backoff at most.
    assert!(elapsed <= Duration::from_millis(109_500), "{elapsed:?}");
    assert!(elapsed < TWO_MINUTES);
}

#[tokio::test(start_paused = true)]
async fn limits_are_off_only_when_disabled_explicitly() {
    let http = Faulty::new(Fault::body(200, b"{".to_vec(), 1, true));
    let client = handle(loader(http.clone()).timeout_config(TimeoutConfig::disabled())).await;
    let waited =
        tokio::time::timeout(Duration::from_secs(3600), client.call("Op", b"{}".to_vec())).await;
    assert!(
        waited.is_err(),
        "without limits the stalled body is awaited"
    );
    // Limits chosen by the caller apply instead of the defaults.
    let timeouts = TimeoutConfig::default()
        .with_response_headers_timeout(Some(Duration::from_secs(2)))
        .with_minimum_throughput(Some(MinimumThroughput::new(1, Duration::from_secs(1))));
    let http = Faulty::new(Fault::NoHeaders);
    let client = handle(loader(http.clone()).timeout_config(timeouts)).await;
    let started = Instant::now();
    let err = request_error(client.call("Op", b"{}".to_vec()).await);
    assert!(err.to_string().contains("within 2s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(9));
}

#[tokio::test(start_paused = true)]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let fault = Fault::body(200, vec![b'x'; 64 * 1024], 3200, false)
        .with_header("content-length", (200 * MIB).to_string())
        .with_header("x-amzn-requestid", "rid");
    let http = Faulty::new(fault);
    let client = handle(loader(http.clone())).await;
    let err = request_error(client.call("Op", b"{}".to_vec()).await);
    assert_eq!(err.kind(), RequestErrorKind::Response);
    assert_eq!(
        http.attempts(),
        1,
        "the same request would get the same answer"
    );
    assert_eq!(http.pulled(), 0, "nothing was read");
    assert_eq!(
        err.to_string(),
        "unreadable response: the response to Op was refused: the response body \
         (Content-Length: 209715200) is larger than 64 MiB (67108864 bytes), the limit set by `ResponseLimits::with_max_body` \
         (`ConfigLoader::response_limits`); raise it there if such responses are expected \
         (HTTP 200, request id rid)"
    );
}

#[tokio::test(start_paused = true)]
async fn an_undeclared_body_is_counted_and_cut_at_the_limit() {
    let limits = ResponseLimits::default().with_max_body(MIB);
    let http = Faulty::new(Fault::body(200, vec![b'x'; 64 * 1024], 3200, false));
    let client = handle(loader(http.clone()).response_limits(limits)).await;
    let err = request_error(client.call("Op", b"{}".to_vec()).await);
    assert_eq!(err.kind(), RequestErrorKind::Response);
    assert!(
        err.to_string()
            .contains("larger than 1 MiB (1048576 bytes), the limit set by"),
        "{err}"
    );
    assert!(http.pulled() <= MIB + 64 * 1024, "{}", http.pulled());
    // Up to the limit, a body is read whole.
    let http = Faulty::new(Fault::body(200, vec![b' '; 64 * 1024], 16, false));
    let client = handle(loader(http.clone()).response_limits(limits)).await;
    let response = client.call("Op", b"{}".to_vec()).await.unwrap();
    assert_eq!(response.body.len() as u64, MIB);
}

#[tokio::test(start_paused = true)]
async fn a_huge_error_message_is_read_only_up_to_the_error_limit() {
    // A 500 whose message is 50 MB: retried, each attempt reading at most
    // the 1 MiB error-body limit.
    let fault = Fault::body(500, vec![b'x'; 64 * 1024], 800, false)
        .prefixed(br#"{"__type":"InternalFailure","message":""#)
        .with_header("x-amzn-requestid", "rid");
    let http = Faulty::new(fault);
    let client = handle(loader(http.clone())).await;
    let Err(CallError::Service(e)) = client.call("Op", b"{}".to_vec()).await else {
        panic!("expected a service error")
    };
    assert_eq!(http.attempts(), 3);
    assert!(http.pulled() <= 3 * (MIB + 64 * 1024), "{}", http.pulled());
    assert_eq!(e.meta.code(), Some("InternalFailure"));
    assert!(e.truncated);
    assert_eq!(e.body.len() as u64, MIB);
    let message = e.meta.message().unwrap();
    assert!(message.ends_with(crate::client::wire_error::TRUNCATED));
    assert!(message.len() < 4200, "{}", message.len());
    let unhandled = crate::Unhandled::new(e.meta.clone());
    assert!(unhandled.to_string().len() < 4300);
    // Parsing it as a modelled error says which limit cut it.
    let err = e.modeled::<Failure>().unwrap_err();
    assert!(
        err.to_string().starts_with(
            "unreadable response: the InternalFailure error response is larger than 1 MiB (1048576 bytes), \
         the limit set by `ResponseLimits::with_max_error_body`"
        ),
        "{err}"
    );
    assert!(err.to_string().len() < 400);
}

/// A modelled error with no members.
#[derive(Debug)]
struct Failure;

impl crate::json::Deserialize for Failure {
    fn deserialize(
        r: &mut crate::json::JsonReader<'_>,
    ) -> Result<Self, crate::json::DeserializeError> {
        r.skip_value()?;
        Ok(Failure)
    }
}

impl ModeledError for Failure {
    fn set_meta(&mut self, _: ErrorMeta) {}
}
