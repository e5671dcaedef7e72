//! Per-call overrides (`ClientHandle::customize`), interceptors, and
//! clients built from a `ClientConfig`, on an HTTP double.

use super::test_support::{self, Fault, Faulty, SERVICE, SERVICE_WITH_RULES};
use super::*;
use crate::config::{ClientConfig, TimeoutConfig};
use crate::credentials::Credentials;
use crate::error::RequestErrorKind;
use crate::http::{BoxError, BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse};
use crate::intercept::{Intercept, RequestContext, ResponseContext};
use crate::retry::RetryConfig;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Answers each request with the next scripted status (repeating the
/// last), recording the requests.
#[derive(Debug)]
struct Double {
    statuses: Mutex<Vec<u16>>,
    requests: Mutex<Vec<Sent>>,
}

/// What a request carried.
#[derive(Clone, Debug)]
struct Sent {
    uri: http::Uri,
    headers: http::HeaderMap,
}

impl Sent {
    fn uri(&self) -> &http::Uri {
        &self.uri
    }

    fn headers(&self) -> &http::HeaderMap {
        &self.headers
    }
}

impl Double {
    fn new(statuses: &[u16]) -> Arc<Self> {
        Arc::new(Self {
            statuses: Mutex::new(statuses.iter().rev().copied().collect()),
            requests: Mutex::new(Vec::new()),
        })
    }

    fn requests(&self) -> Vec<Sent> {
        self.requests.lock().unwrap().clone()
    }
}

impl HttpClient for Double {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.requests.lock().unwrap().push(Sent {
            uri: request.uri().clone(),
            headers: request.headers().clone(),
        });
        let mut statuses = self.statuses.lock().unwrap();
        let status = if statuses.len() > 1 {
            statuses.pop().unwrap_or(200)
        } else {
            statuses.last().copied().unwrap_or(200)
        };
        Box::pin(async move {
            let body = if status == 200 {
                "{}"
            } else {
                r#"{"__type":"ServiceUnavailableException","message":"busy"}"#
            };
            Ok(http::Response::builder()
                .status(status)
                .header("x-amzn-requestid", format!("req-{status}"))
                .body(body.into())
                .unwrap())
        })
    }
}

fn signed_headers(request: &Sent) -> Vec<String> {
    let auth = request.headers()["authorization"].to_str().unwrap();
    let signed = auth
        .split(", ")
        .find_map(|p| p.strip_prefix("SignedHeaders="))
        .unwrap();
    signed.split(';').map(str::to_owned).collect()
}

async fn handle(double: &Arc<Double>) -> ClientHandle {
    test_support::handle(
        test_support::loader(double.clone())
            .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO)),
    )
    .await
}

#[tokio::test]
async fn a_customized_header_and_hook_are_sent_signed() {
    let double = Double::new(&[200]);
    let client = handle(&double).await;
    let customized = client.clone().customize(|call| {
        call.header("x-extra", "1").mutate_request(|request| {
            assert_eq!(request.operation(), "Op");
            let n = request.body().len();
            request
                .headers_mut()
                .insert("x-body-length", n.to_string().parse().unwrap());
        })
    });
    customized.call("Op", b"{}".to_vec()).await.unwrap();
    // The client itself is unchanged: the next call has neither.
    client.call("Op", b"{}".to_vec()).await.unwrap();
    let requests = double.requests();
    let first = &requests[0];
    assert_eq!(first.headers()["x-extra"], "1");
    assert_eq!(first.headers()["x-body-length"], "2");
    let signed = signed_headers(first);
    assert!(signed.contains(&"x-extra".to_owned()), "{signed:?}");
    assert!(signed.contains(&"x-body-length".to_owned()), "{signed:?}");
    assert!(!requests[1].headers().contains_key("x-extra"));
    assert!(!requests[1].headers().contains_key("x-body-length"));
}

#[tokio::test]
async fn customizing_twice_keeps_what_was_set() {
    let double = Double::new(&[200]);
    let client = handle(&double)
        .await
        .customize(|c| c.header("x-a", "1").retry_config(RetryConfig::disabled()))
        .customize(|c| c.header("x-b", "2"));
    client.call("Op", b"{}".to_vec()).await.unwrap();
    let sent = &double.requests()[0];
    assert_eq!(sent.headers()["x-a"], "1");
    assert_eq!(sent.headers()["x-b"], "2");
}

#[tokio::test]
async fn retries_can_be_changed_for_one_call() {
    let double = Double::new(&[503]);
    let client = handle(&double).await;
    let once = client
        .clone()
        .customize(|c| c.retry_config(RetryConfig::disabled()));
    assert!(once.call("Op", b"{}".to_vec()).await.is_err());
    assert_eq!(
        double.requests().len(),
        1,
        "one attempt for the customized call"
    );
    assert!(client.call("Op", b"{}".to_vec()).await.is_err());
    assert_eq!(
        double.requests().len(),
        4,
        "three more with the client's settings"
    );
}

#[tokio::test(start_paused = true)]
async fn timeouts_can_be_changed_for_one_call() {
    let http = Faulty::new(Fault::NoHeaders);
    let client = test_support::handle(
        test_support::loader(http.clone()).retry_config(RetryConfig::disabled()),
    )
    .await;
    let started = tokio::time::Instant::now();
    let err = client
        .clone()
        .customize(|c| c.operation_timeout(Duration::from_secs(2)))
        .call("Op", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CallError::Request(e) if e.is_timeout()),
        "{err:?}"
    );
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    // The client's own limit (30 s to response headers) for the next call,
    // and a call may lift a limit explicitly.
    let started = tokio::time::Instant::now();
    client.call("Op", b"{}".to_vec()).await.unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_secs(30));
    let started = tokio::time::Instant::now();
    let lifted = client
        .clone()
        .customize(|c| {
            c.response_headers_timeout(None)
                .attempt_timeout(Duration::from_secs(45))
        })
        .call("Op", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(
        matches!(&lifted, CallError::Request(e) if e.to_string().contains("attempt timeout")),
        "{lifted:?}"
    );
    assert_eq!(started.elapsed(), Duration::from_secs(45));
}

#[tokio::test]
async fn a_reserved_or_invalid_header_fails_the_call_before_sending() {
    let double = Double::new(&[200]);
    let client = handle(&double).await;
    for (name, why) in [
        ("host", "the `host` header is set by the client itself"),
        (
            "X-Amz-Target",
            "the `x-amz-target` header is set by the client itself",
        ),
        ("bad header", "is not a valid HTTP header name"),
    ] {
        let err = client
            .clone()
            .customize(|c| c.header(name, "v"))
            .call("Op", b"{}".to_vec())
            .await
            .unwrap_err();
        let CallError::Request(e) = err else {
            panic!("{name}: {err:?}")
        };
        assert_eq!(e.kind(), RequestErrorKind::Configuration);
        assert!(e.to_string().contains(why), "{name}: {e}");
    }
    assert!(double.requests().is_empty());
}

/// Records what it sees, and does what it is told.
#[derive(Debug, Default)]
struct Spy {
    name: &'static str,
    seen: Arc<Mutex<Vec<String>>>,
    set_host: bool,
    fail: bool,
}

impl Intercept for Spy {
    fn name(&self) -> &'static str {
        self.name
    }

    fn modify_before_signing(&self, request: &mut RequestContext<'_>) -> Result<(), BoxError> {
        self.seen.lock().unwrap().push(format!(
            "{} before signing {} attempt {} (authorization: {})",
            self.name,
            request.operation(),
            request.attempt(),
            request.headers().contains_key("authorization")
        ));
        if self.set_host {
            request
                .headers_mut()
                .insert("host", "elsewhere.example".parse().unwrap());
        }
        if self.fail {
            return Err("no, thanks".into());
        }
        Ok(())
    }

    fn read_after_response(&self, response: &ResponseContext<'_>) -> Result<(), BoxError> {
        self.seen.lock().unwrap().push(format!(
            "{} after response {} attempt {}: {} {:?} ({} bytes)",
            self.name,
            response.operation(),
            response.attempt(),
            response.status().as_u16(),
            response.headers().get("x-amzn-requestid"),
            response.body().len()
        ));
        Ok(())
    }
}

#[tokio::test]
async fn client_interceptors_then_call_interceptors_run_on_every_attempt() {
    let double = Double::new(&[503, 200]);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sdk = test_support::loader(double.clone())
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .load()
        .await;
    let config = crate::config::ClientConfigBuilder::from(&sdk)
        .interceptor(Spy {
            name: "client",
            seen: seen.clone(),
            ..Spy::default()
        })
        .build();
    let client = ClientHandle::from_conf(config, &SERVICE);
    let call_seen = seen.clone();
    client
        .customize(move |c| {
            c.interceptor(Spy {
                name: "call",
                seen: call_seen,
                ..Spy::default()
            })
        })
        .call("Op", b"{}".to_vec())
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        [
            "client before signing Op attempt 1 (authorization: false)",
            "call before signing Op attempt 1 (authorization: false)",
            "client after response Op attempt 1: 503 Some(\"req-503\") (57 bytes)",
            "call after response Op attempt 1: 503 Some(\"req-503\") (57 bytes)",
            "client before signing Op attempt 2 (authorization: false)",
            "call before signing Op attempt 2 (authorization: false)",
            "client after response Op attempt 2: 200 Some(\"req-200\") (2 bytes)",
            "call after response Op attempt 2: 200 Some(\"req-200\") (2 bytes)",
        ]
    );
}

/// The error of a call made with `spy` as its interceptor; nothing may
/// have been sent.
async fn hook_error(spy: Spy) -> crate::RequestError {
    let double = Double::new(&[200]);
    let client = handle(&double).await;
    let err = client
        .customize(|c| c.interceptor(spy))
        .call("Op", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(double.requests().is_empty(), "nothing was sent");
    let CallError::Request(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::Interceptor);
    e
}

#[tokio::test]
async fn a_hook_cannot_choose_the_host_and_a_failing_hook_ends_the_call_naming_itself() {
    let e = hook_error(Spy {
        name: "Redirector",
        set_host: true,
        ..Spy::default()
    })
    .await;
    assert!(
        e.to_string()
            .contains("interceptor `Redirector` set a `host` header on Op"),
        "{e}"
    );
    let e = hook_error(Spy {
        name: "Picky",
        fail: true,
        ..Spy::default()
    })
    .await;
    assert_eq!(
        e.to_string(),
        "interceptor failed: interceptor `Picky` failed in modify_before_signing: no, thanks"
    );
}

#[tokio::test]
async fn a_config_from_nothing_reads_no_environment_and_says_what_is_missing() {
    let double = Double::new(&[200]);
    // No region, no credentials.
    let client = ClientHandle::from_conf(
        ClientConfig::builder().http_client(double.clone()).build(),
        &SERVICE_WITH_RULES,
    );
    let err = client.call("Op", b"{}".to_vec()).await.unwrap_err();
    assert!(format!("{err:?}").contains("no AWS region set"), "{err:?}");
    let client = ClientHandle::from_conf(
        ClientConfig::builder()
            .http_client(double.clone())
            .region("eu-west-1")
            .build(),
        &SERVICE_WITH_RULES,
    );
    let CallError::Request(e) = client.call("Op", b"{}".to_vec()).await.unwrap_err() else {
        panic!()
    };
    assert_eq!(e.kind(), RequestErrorKind::Credentials);
    assert!(e.to_string().contains("no credentials provider set"), "{e}");
    assert!(double.requests().is_empty());
    // Test defaults: us-east-1 and the fake test keys; the rules decide
    // the endpoint (nothing from the environment).
    let config = ClientConfig::builder()
        .http_client(double.clone())
        .with_test_defaults()
        .build();
    assert!(config.errors().is_empty());
    assert_eq!(config.region().unwrap().as_ref(), "us-east-1");
    let client = ClientHandle::from_conf(config, &SERVICE_WITH_RULES);
    client.call("Op", b"{}".to_vec()).await.unwrap();
    let sent = &double.requests()[0];
    assert_eq!(sent.uri(), "https://test.us-east-1.amazonaws.com/");
    let auth = sent.headers()["authorization"].to_str().unwrap();
    assert!(auth.contains("Credential=ANOTREAL/"), "{auth}");
    // An invalid region is refused as from any source.
    let config = ClientConfig::builder().region("evil.com#").build();
    assert!(
        config
            .region()
            .unwrap_err()
            .to_string()
            .contains("invalid AWS region"),
        "{:?}",
        config.region()
    );
}

#[tokio::test]
async fn per_client_overrides_win_over_the_shared_config() {
    let double = Double::new(&[200]);
    let sdk = test_support::loader(double.clone())
        .env(crate::env::Env::from_vars([
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_MAX_ATTEMPTS", "zero"),
            ("AWS_ENDPOINT_URL_TEST", "https://from-env.example"),
        ]))
        .load()
        .await;
    assert_eq!(sdk.errors().len(), 1, "{:?}", sdk.errors());
    // Built as is, the client reports the unusable setting and would use
    // the environment's endpoint.
    let shared = ClientHandle::new(&sdk, &SERVICE_WITH_RULES);
    assert!(shared.call("Op", b"{}".to_vec()).await.is_err());
    assert_eq!(
        shared.resolve_endpoint().unwrap().url(),
        "https://from-env.example"
    );
    let config = crate::config::ClientConfigBuilder::from(&sdk)
        .region("ap-southeast-2")
        .credentials_provider(Credentials::from_keys("PERCLIENT", "S", None))
        .retry_config(RetryConfig::disabled())
        .endpoint_url("https://per-client.example")
        .timeout_config(TimeoutConfig::default().with_attempt_timeout(Some(Duration::from_secs(9))))
        .build();
    assert!(
        config.errors().is_empty(),
        "overriding retries makes AWS_MAX_ATTEMPTS moot"
    );
    assert_eq!(config.retry_config().max_attempts(), 1);
    assert_eq!(
        config.timeout_config().attempt(),
        Some(Duration::from_secs(9))
    );
    let client = ClientHandle::from_conf(config.clone(), &SERVICE_WITH_RULES);
    client.call("Op", b"{}".to_vec()).await.unwrap();
    let sent = &double.requests()[0];
    assert_eq!(sent.uri(), "https://per-client.example/");
    let auth = sent.headers()["authorization"].to_str().unwrap();
    assert!(auth.contains("Credential=PERCLIENT/"), "{auth}");
    assert!(auth.contains("/ap-southeast-2/test/aws4_request"), "{auth}");
    // A builder from the client config keeps everything.
    let again = config.to_builder().build();
    assert_eq!(again.region().unwrap().as_ref(), "ap-southeast-2");
    assert_eq!(again.endpoint_url(), Some("https://per-client.example"));
    assert_eq!(again.retry_config().max_attempts(), 1);
}

#[tokio::test]
async fn another_connect_timeout_gets_a_client_built_the_same_way() {
    let sdk = crate::config::ConfigLoader::default()
        .env(crate::env::Env::from_vars([(
            "AWS_EC2_METADATA_DISABLED",
            "true",
        )]))
        .region(crate::region::Region::new("us-east-1"))
        .credentials_provider(Credentials::for_tests())
        .load()
        .await;
    let same = ClientConfig::from(&sdk);
    assert!(
        same.http.recipe.is_some(),
        "the loader built the default client"
    );
    assert_eq!(same.http.connect, sdk.timeout_config().connect());
    let shorter = TimeoutConfig::default().with_connect_timeout(Some(Duration::from_millis(500)));
    let own = crate::config::ClientConfigBuilder::from(&sdk)
        .timeout_config(shorter)
        .build();
    assert_eq!(own.http.connect, Some(Duration::from_millis(500)));
    assert_eq!(
        format!("{:?}", own.http.recipe),
        format!(
            "{:?}",
            sdk.http_recipe
                .clone()
                .map(|r| r.connect_timeout(Some(Duration::from_millis(500))))
        )
    );
    // A client of yours keeps its own connect timeout.
    let double = Double::new(&[200]);
    let yours = crate::config::ClientConfigBuilder::from(&sdk)
        .http_client(double)
        .timeout_config(shorter)
        .build();
    assert!(yours.http.recipe.is_none());
}
