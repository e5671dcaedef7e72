//! The generated client against loopback servers that misbehave: silent,
//! stalling mid-body, or sending more than any limit allows. Limits are
//! set short here so the tests are fast; that the defaults end a call
//! within 2 minutes is shown on a paused clock in
//! `runtime/src/client/limit_tests.rs`.

use aws_json_runtime::config::{MinimumThroughput, ResponseLimits, TimeoutConfig};
use aws_json_runtime::RequestErrorKind;
use aws_proton::operation::list_services::ListServicesError;
use aws_proton::Client;
use std::time::Duration;
use workspace_tests::{test_loader, FaultyServer, Misbehaviour};

const MIB: u64 = 1024 * 1024;

fn short_timeouts() -> TimeoutConfig {
    TimeoutConfig::default()
        .with_response_headers_timeout(Some(Duration::from_millis(300)))
        .with_minimum_throughput(Some(MinimumThroughput::new(1, Duration::from_millis(300))))
}

async fn list_services(server: &FaultyServer, timeouts: TimeoutConfig) -> ListServicesError {
    let config = test_loader(&server.url())
        .timeout_config(timeouts)
        .load()
        .await;
    Client::new(&config)
        .list_services()
        .send()
        .await
        .expect_err("the server misbehaves")
}

fn request_kind(err: &ListServicesError) -> RequestErrorKind {
    match err {
        ListServicesError::Request(e) => e.kind(),
        other => panic!("expected a request error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_silent_server_times_out_on_every_attempt() {
    let server = FaultyServer::start(Misbehaviour::Silent).await;
    let err = list_services(&server, short_timeouts()).await;
    assert_eq!(request_kind(&err), RequestErrorKind::Timeout, "{err}");
    assert_eq!(server.requests(), 3, "a timeout is retried");
    assert!(
        err.to_string().contains("response-headers timeout"),
        "{err}"
    );
}

#[tokio::test]
async fn a_body_that_stops_half_way_times_out() {
    let server = FaultyServer::start(Misbehaviour::Stall {
        head: "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.0\r\ncontent-length: 100"
            .into(),
        body_start: br#"{"services":["#.to_vec(),
    })
    .await;
    let err = list_services(&server, short_timeouts()).await;
    assert_eq!(request_kind(&err), RequestErrorKind::Timeout, "{err}");
    assert_eq!(server.requests(), 3);
    assert!(
        err.to_string().contains("the response body stalled"),
        "{err}"
    );
}

#[tokio::test]
async fn a_declared_200_mb_body_is_refused_unread() {
    let server = FaultyServer::start(Misbehaviour::Flood {
        head: format!("HTTP/1.1 200 OK\r\ncontent-length: {}", 200 * MIB),
        body_start: br#"{"services":["#.to_vec(),
        chunk: vec![b' '; 64 * 1024],
        total: 200 * MIB,
    })
    .await;
    let err = list_services(&server, TimeoutConfig::default()).await;
    assert_eq!(request_kind(&err), RequestErrorKind::Response, "{err}");
    assert!(
        err.to_string()
            .contains("(Content-Length: 209715200) is larger than 64 MiB (67108864 bytes)"),
        "{err}"
    );
    assert_eq!(server.requests(), 1, "not retried");
    // Only what the sockets buffered was written, not the body.
    assert!(
        server.body_bytes_written() < 64 * MIB,
        "{}",
        server.body_bytes_written()
    );
}

#[tokio::test]
async fn an_undeclared_body_is_cut_at_the_limit() {
    let server = FaultyServer::start(Misbehaviour::Flood {
        head: "HTTP/1.1 200 OK\r\nconnection: close".into(),
        body_start: br#"{"services":["#.to_vec(),
        chunk: vec![b' '; 64 * 1024],
        total: 200 * MIB,
    })
    .await;
    let config = test_loader(&server.url())
        .response_limits(ResponseLimits::default().with_max_body(MIB))
        .load()
        .await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    assert_eq!(request_kind(&err), RequestErrorKind::Response, "{err}");
    assert!(
        err.to_string().contains(
            "larger than 1 MiB (1048576 bytes), the limit set by `ResponseLimits::with_max_body`"
        ),
        "{err}"
    );
    assert!(
        server.body_bytes_written() < 64 * MIB,
        "{}",
        server.body_bytes_written()
    );
}

#[tokio::test]
async fn a_50_mb_error_message_is_read_up_to_the_error_limit_and_displayed_short() {
    let total = 50 * MIB;
    let server = FaultyServer::start(Misbehaviour::Flood {
        head: format!(
            "HTTP/1.1 500 Internal Server Error\r\nx-amzn-requestid: rid\r\ncontent-length: {}",
            total + 2
        ),
        body_start: br#"{"__type":"InternalServerException","message":""#.to_vec(),
        chunk: vec![b'x'; 64 * 1024],
        total,
    })
    .await;
    let err = list_services(&server, TimeoutConfig::default()).await;
    assert_eq!(server.requests(), 3, "a 500 is retried");
    // Each attempt stopped reading at 1 MiB: the server could not write
    // the 50 MB (only what the sockets buffer).
    assert!(
        server.body_bytes_written() < 3 * 20 * MIB,
        "{} bytes written",
        server.body_bytes_written()
    );
    let text = err.to_string();
    assert!(text.len() < 1000, "{} bytes of Display", text.len());
    assert_eq!(
        text,
        "unreadable response: the InternalServerException error response is larger than 1 MiB (1048576 bytes), \
         the limit set by `ResponseLimits::with_max_error_body` (`ConfigLoader::response_limits`); \
         raise it to read such errors whole (HTTP 500, request id rid)"
    );
    assert!(format!("{err:?}").len() < 2000, "Debug is short too");
}

#[tokio::test]
async fn a_400_with_a_50_mb_message_is_not_buffered_and_displays_short() {
    let total = 50 * MIB;
    let server = FaultyServer::start(Misbehaviour::Flood {
        head: format!(
            "HTTP/1.1 400 Bad Request\r\nx-amzn-requestid: rid\r\ncontent-length: {}",
            total + 2
        ),
        body_start: br#"{"__type":"ValidationException","message":""#.to_vec(),
        chunk: vec![b'x'; 64 * 1024],
        total,
    })
    .await;
    let err = list_services(&server, TimeoutConfig::default()).await;
    assert_eq!(server.requests(), 1, "a validation error is not retried");
    assert!(
        server.body_bytes_written() < 20 * MIB,
        "{}",
        server.body_bytes_written()
    );
    assert_eq!(request_kind(&err), RequestErrorKind::Response);
    assert!(
        err.to_string().len() < 1000,
        "{} bytes",
        err.to_string().len()
    );
    assert!(format!("{err:?}").len() < 2000);
}
