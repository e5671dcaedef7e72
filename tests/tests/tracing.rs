//! What a call traces (runtime feature `tracing`), captured at `TRACE`
//! with a subscriber that keeps every span and event field: the spans per
//! call and attempt, the events a user debugging a call needs, and none of
//! the secrets planted (secret key, session token, signature, sensitive
//! members and messages, URL password).

use aws_json_runtime::config::{ConfigLoader, TimeoutConfig};
use aws_json_runtime::credentials::Credentials;
use aws_json_runtime::env::Env;
use aws_json_runtime::region::Region;
use aws_json_runtime::retry::RetryConfig;
use aws_proton::Client;
use std::time::Duration;
use workspace_tests::trace_capture::Capture;
use workspace_tests::{script, Reply, TestServer};

const SECRET_KEY: &str = "SENTINELsecretaccesskey";
const SESSION_TOKEN: &str = "SENTINELsessiontoken";
const URL_PASSWORD: &str = "SENTINELurlpassword";
const SENSITIVE_MEMBER: &str = "SENTINELsensitivemember";
const SENSITIVE_MESSAGE: &str = "SENTINELsensitivemessage";

fn loader(url: &str) -> ConfigLoader {
    ConfigLoader::default()
        .env(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]))
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::from_keys(
            "AKIDTRACE",
            SECRET_KEY,
            Some(SESSION_TOKEN.to_owned()),
        ))
        .endpoint_url(url.replacen("http://", &format!("http://user:{URL_PASSWORD}@"), 1))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
}

fn service_body() -> String {
    format!(
        r#"{{"service":{{"name":"web","arn":"a","templateName":"t","createdAt":1,"lastModifiedAt":1,
        "status":"ACTIVE","spec":"{SENSITIVE_MEMBER}","description":"{SENSITIVE_MEMBER}"}}}}"#
    )
}

/// The signatures of every request `server` received.
fn signatures(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .filter_map(|r| {
            r.header("authorization")
                .and_then(|a| a.split("Signature=").nth(1))
                .map(str::to_owned)
        })
        .collect()
}

/// One line of `capture` matching all `parts`, or a failure showing all.
#[track_caller]
fn expect_line(capture: &Capture, parts: &[&str]) -> String {
    let found = capture.matching(parts);
    assert!(
        !found.is_empty(),
        "no trace line with {parts:?} in:\n{}",
        capture.text()
    );
    found[0].clone()
}

#[tokio::test]
async fn calls_trace_spans_and_decisions_and_never_a_secret() {
    let (capture, _guard) = Capture::start();
    // A 503 (retried), then success with sensitive members.
    let server = TestServer::start_with_secret(
        SECRET_KEY,
        script(vec![
            Reply::error(503, "ServiceUnavailableException", SENSITIVE_MESSAGE),
            Reply::ok(service_body()),
        ]),
    )
    .await;
    let client = Client::new(&loader(&server.url()).load().await);
    let output = client.get_service().name("web").send().await.unwrap();
    assert_eq!(output.service.unwrap().name, "web");
    let mut signed = signatures(&server);

    // One span per call, one per attempt inside it.
    let call = "call{ rpc.system=aws-api rpc.service=proton rpc.method=GetService}";
    expect_line(&capture, &["SPAN DEBUG", call]);
    expect_line(&capture, &["SPAN DEBUG attempt{ attempt=1}"]);
    expect_line(&capture, &["SPAN DEBUG attempt{ attempt=2}"]);
    // Where it went (no user info), with which credentials, what came back.
    let endpoint = expect_line(&capture, &["endpoint resolved", call]);
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    assert!(
        endpoint.contains(&format!("endpoint=http://127.0.0.1:{port}/")),
        "{endpoint}"
    );
    expect_line(
        &capture,
        &["credentials", "provider=Static", "attempt{ attempt=1}"],
    );
    expect_line(
        &capture,
        &[
            "message=response",
            "status=503",
            "request_id=test-request-id",
            "code=ServiceUnavailableException",
            "attempt{ attempt=1}",
        ],
    );
    expect_line(
        &capture,
        &[
            "message=retrying",
            "reason=transient error: ServiceUnavailableException (HTTP 503)",
            "attempt=1",
            "delay_ms=",
        ],
    );
    expect_line(
        &capture,
        &[
            "message=response",
            "status=200",
            "request_id=test-request-id",
            "attempt{ attempt=2}",
        ],
    );
    expect_line(
        &capture,
        &[
            "message=call finished",
            "attempts=2",
            "outcome=success",
            call,
        ],
    );

    // A modelled error with a sensitive message: not retried.
    let server = TestServer::start_with_secret(SECRET_KEY, |_| {
        Reply::error(400, "ValidationException", SENSITIVE_MESSAGE)
    })
    .await;
    let client = Client::new(&loader(&server.url()).load().await);
    client.get_service().name("web").send().await.unwrap_err();
    signed.extend(signatures(&server));
    expect_line(
        &capture,
        &[
            "message=not retrying",
            "reason=not retryable: ValidationException (HTTP 400)",
        ],
    );
    expect_line(
        &capture,
        &[
            "message=call finished",
            "attempts=1",
            "outcome=service_error",
        ],
    );

    // A server an hour ahead: the correction is traced.
    let server = TestServer::start_with_secret(SECRET_KEY, |_| Reply::ok(service_body())).await;
    server.set_clock_offset(3600);
    let client = Client::new(&loader(&server.url()).load().await);
    client.get_service().name("web").send().await.unwrap();
    signed.extend(signatures(&server));
    let skew = expect_line(
        &capture,
        &["INFO", "message=clock skew corrected", "offset_ms="],
    );
    let offset: i64 = skew
        .split("offset_ms=")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!((3_500_000..3_700_000).contains(&offset), "{skew}");
    expect_line(
        &capture,
        &["message=retrying", "reason=clock skew corrected"],
    );

    // Credentials from the environment, through the default chain and its
    // cache: the source is traced by name.
    let server = TestServer::start_with_secret(SECRET_KEY, |_| Reply::ok(service_body())).await;
    let config = ConfigLoader::default()
        .env(Env::from_vars([
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
            ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
            ("AWS_SESSION_TOKEN", SESSION_TOKEN),
        ]))
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .load()
        .await;
    Client::new(&config)
        .get_service()
        .name("web")
        .send()
        .await
        .unwrap();
    signed.extend(signatures(&server));
    expect_line(
        &capture,
        &[
            "message=credentials loaded",
            "provider=EnvironmentVariable",
            "expiry=never",
        ],
    );
    expect_line(
        &capture,
        &["message=credentials", "provider=EnvironmentVariable"],
    );

    // A server too slow for the response-headers timeout, every attempt.
    let server = TestServer::start_with_secret(SECRET_KEY, |_| {
        Reply::ok(service_body()).delay(Duration::from_secs(5))
    })
    .await;
    let config = loader(&server.url())
        .retry_config(RetryConfig::disabled())
        .timeout_config(
            TimeoutConfig::default().with_response_headers_timeout(Some(Duration::from_millis(50))),
        )
        .load()
        .await;
    Client::new(&config)
        .get_service()
        .name("web")
        .send()
        .await
        .unwrap_err();
    signed.extend(signatures(&server));
    expect_line(
        &capture,
        &[
            "message=timed out",
            "timeout=response_headers",
            "limit_ms=50",
        ],
    );
    expect_line(
        &capture,
        &["message=not retrying", "no attempt left", "timeout"],
    );
    expect_line(&capture, &["message=call finished", "outcome=timeout"]);

    // No secret, and no signature, anywhere in what was traced.
    let text = capture.text();
    assert!(signed.len() >= 7, "{signed:?}");
    for secret in [
        SECRET_KEY,
        SESSION_TOKEN,
        URL_PASSWORD,
        SENSITIVE_MEMBER,
        SENSITIVE_MESSAGE,
    ]
    .iter()
    .copied()
    .chain(signed.iter().map(String::as_str))
    {
        assert!(
            !text.contains(secret),
            "`{secret}` appears in the trace:\n{text}"
        );
    }
}
