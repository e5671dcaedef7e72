//! The pipeline's retry behaviour, on tokio's paused clock with a fake HTTP
//! client, so backoff delays can be measured exactly.

use super::test_support;
use super::*;
use crate::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse};
use crate::retry::RetryConfig;
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Status, body and headers of one scripted answer.
type Answer = (u16, &'static str, Vec<(&'static str, &'static str)>);

/// Answers from a script (repeating the last answer), recording when each request came.
#[derive(Debug, Default)]
struct Scripted {
    answers: Mutex<VecDeque<Answer>>,
    calls: Mutex<Vec<Instant>>,
}

impl HttpClient for Scripted {
    fn call(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        Box::pin(async move {
            self.calls.lock().unwrap().push(Instant::now());
            let mut answers = self.answers.lock().unwrap();
            let (status, body, headers) = if answers.len() > 1 {
                answers.pop_front().unwrap()
            } else {
                answers.front().cloned().unwrap()
            };
            let mut response = http::Response::builder().status(status);
            for (k, v) in headers {
                response = response.header(k, v);
            }
            Ok(response.body(body.into()).unwrap())
        })
    }
}

async fn handle(http: Arc<Scripted>, retry: RetryConfig) -> ClientHandle {
    test_support::handle(test_support::loader(http).retry_config(retry)).await
}

fn scripted(answers: Vec<Answer>) -> Arc<Scripted> {
    Arc::new(Scripted {
        answers: Mutex::new(answers.into()),
        calls: Mutex::new(Vec::new()),
    })
}

fn gaps(http: &Scripted) -> Vec<Duration> {
    let calls = http.calls.lock().unwrap();
    calls.windows(2).map(|w| w[1] - w[0]).collect()
}

#[tokio::test(start_paused = true)]
async fn backoff_is_full_jitter_below_the_exponential_ceiling() {
    let http = scripted(vec![(503, "{}", vec![])]);
    let client = handle(http.clone(), RetryConfig::standard().with_max_attempts(5)).await;
    // 10 calls × 4 retries × 10 tokens stays within the 500-token quota.
    for _ in 0..10 {
        assert!(client.call("Op", b"{}".to_vec()).await.is_err());
    }
    let calls = http.calls.lock().unwrap().len();
    assert_eq!(calls, 50, "5 attempts a call");
    let gaps = gaps(&http);
    // Gaps inside one call: retry n waits below min(2^(n-1), 20) seconds.
    let mut seen_positive = false;
    for call in 0..10 {
        for retry in 1..5u32 {
            let gap = gaps[call * 5 + (retry as usize - 1)];
            let ceiling = Duration::from_secs(1u64 << (retry - 1)).min(Duration::from_secs(20));
            // `<=`: the paused clock rounds sleeps up to whole milliseconds.
            assert!(gap <= ceiling, "retry {retry}: {gap:?} > {ceiling:?}");
            seen_positive |= gap > Duration::ZERO;
        }
    }
    assert!(seen_positive, "delays are random, not all zero");
}

#[tokio::test(start_paused = true)]
async fn throttling_honours_retry_after_capped_at_20s() {
    let http = scripted(vec![
        (
            400,
            r#"{"__type":"ThrottlingException"}"#,
            vec![("x-amz-retry-after", "1500")],
        ),
        (
            400,
            r#"{"__type":"ThrottlingException"}"#,
            vec![("x-amz-retry-after", "60000")],
        ),
        (200, "{}", vec![]),
    ]);
    let client = handle(http.clone(), RetryConfig::standard()).await;
    client.call("Op", b"{}".to_vec()).await.unwrap();
    assert_eq!(
        gaps(&http),
        [Duration::from_millis(1500), Duration::from_secs(20)]
    );
}

#[tokio::test(start_paused = true)]
async fn outlandish_retry_after_values_are_capped_or_ignored() {
    let throttled = |value: &'static str| {
        (
            400,
            r#"{"__type":"ThrottlingException"}"#,
            vec![("x-amz-retry-after", value)],
        )
    };
    let http = scripted(vec![
        throttled("18446744073709551615"),
        throttled("99999999999999999999999"),
        throttled("-5"),
        (200, "{}", vec![]),
    ]);
    let retry = RetryConfig::standard().with_max_attempts(4);
    let client = handle(http.clone(), retry).await;
    client.call("Op", b"{}".to_vec()).await.unwrap();
    let gaps = gaps(&http);
    // u64::MAX ms is capped at 20 s; values that are not a u64 are
    // ignored for the usual backoff (retries 2 and 3: below 2 s and 4 s).
    assert_eq!(gaps[0], Duration::from_secs(20));
    assert!(gaps[1] <= Duration::from_secs(2), "{gaps:?}");
    assert!(gaps[2] <= Duration::from_secs(4), "{gaps:?}");
}

#[tokio::test(start_paused = true)]
async fn an_empty_retry_quota_stops_retries() {
    let http = scripted(vec![(500, "{}", vec![])]);
    let client = handle(http.clone(), RetryConfig::standard()).await;
    // Each failing call spends 2 retries × 10 tokens (5xx is transient): 25 calls drain 500.
    for _ in 0..25 {
        assert!(client.call("Op", b"{}".to_vec()).await.is_err());
    }
    assert_eq!(http.calls.lock().unwrap().len(), 75);
    assert_eq!(client.retry_quota(), 0);
    assert!(client.call("Op", b"{}".to_vec()).await.is_err());
    assert_eq!(
        http.calls.lock().unwrap().len(),
        76,
        "no retry without quota"
    );
}

#[tokio::test(start_paused = true)]
async fn successes_refill_the_quota() {
    let http = scripted(vec![(500, "{}", vec![]), (200, "{}", vec![])]);
    let client = handle(http.clone(), RetryConfig::standard()).await;
    client.call("Op", b"{}".to_vec()).await.unwrap();
    assert_eq!(client.retry_quota(), 500, "the retry's 10 tokens came back");
    let http = scripted(vec![(400, r#"{"__type":"ValidationException"}"#, vec![])]);
    let client = handle(http.clone(), RetryConfig::standard()).await;
    let Err(CallError::Service(e)) = client.call("Op", b"{}".to_vec()).await else {
        panic!("expected a service error")
    };
    assert_eq!(e.meta.code(), Some("ValidationException"));
    assert_eq!(http.calls.lock().unwrap().len(), 1, "not retried");
}

#[tokio::test(start_paused = true)]
async fn adaptive_mode_paces_calls_after_throttling() {
    let throttled = (400, r#"{"__type":"ThrottlingException"}"#, vec![]);
    let ok = (200, "{}", vec![]);
    // Standard mode: after throttling, the next calls go out at once.
    let http = scripted(vec![throttled.clone(), ok.clone()]);
    let client = handle(
        http.clone(),
        RetryConfig::standard().with_initial_backoff(Duration::ZERO),
    )
    .await;
    for _ in 0..20 {
        client.call("Op", b"{}".to_vec()).await.unwrap();
    }
    let standard: Duration = gaps(&http).iter().sum();
    assert_eq!(standard, Duration::ZERO);
    // Adaptive mode: the throttling answer turns the rate limiter on, and
    // the same 20 calls are spread out (at most 0.5 tokens a second at
    // first, since nothing had been measured yet).
    let http = scripted(vec![throttled, ok]);
    let client = handle(
        http.clone(),
        RetryConfig::adaptive().with_initial_backoff(Duration::ZERO),
    )
    .await;
    for _ in 0..20 {
        client.call("Op", b"{}".to_vec()).await.unwrap();
    }
    let adaptive: Duration = gaps(&http).iter().sum();
    assert!(adaptive >= Duration::from_secs(5), "{adaptive:?}");
    // The retry itself waited for its 5 tokens.
    assert!(
        gaps(&http)[0] >= Duration::from_secs(5),
        "{:?}",
        gaps(&http)
    );
}
