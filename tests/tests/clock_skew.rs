//! Clock skew correction against a loopback server whose clock is off by
//! an hour: it refuses signatures more than 5 minutes from its own time
//! (400 `InvalidSignatureException`, as AWS), and dates its answers by its
//! own clock. The client retries once, signed with the corrected time, and
//! keeps the correction for later calls.

use aws_proton::operation::list_services::ListServicesError;
use aws_proton::Client;
use workspace_tests::{test_loader, Reply, TestServer};

const HOUR: i64 = 3600;

async fn client(server: &TestServer) -> Client {
    Client::new(&test_loader(&server.url()).load().await)
}

fn amz_dates(server: &TestServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.header("x-amz-date").unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn a_server_an_hour_ahead_is_followed_and_remembered() {
    let server = TestServer::start(|_| Reply::ok(r#"{"services":[]}"#)).await;
    server.set_clock_offset(HOUR);
    let client = client(&server).await;
    client.list_services().send().await.unwrap();
    assert_eq!(server.requests().len(), 2, "refused once, then accepted");
    let dates = amz_dates(&server);
    assert_ne!(
        dates[0][..11],
        dates[1][..11],
        "{dates:?}: the retry is signed an hour later"
    );
    // The next call, and a clone's, are signed right the first time.
    client.list_services().send().await.unwrap();
    client.clone().list_services().send().await.unwrap();
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_server_an_hour_behind_is_followed_too() {
    let server = TestServer::start(|_| Reply::ok(r#"{"services":[]}"#)).await;
    server.set_clock_offset(-HOUR);
    let client = client(&server).await;
    client.list_services().send().await.unwrap();
    assert_eq!(server.requests().len(), 2);
    client.list_services().send().await.unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn without_retries_the_correction_still_serves_the_next_call() {
    let server = TestServer::start(|_| Reply::ok(r#"{"services":[]}"#)).await;
    server.set_clock_offset(HOUR);
    let config = test_loader(&server.url())
        .retry_config(aws_proton::config::RetryConfig::disabled())
        .load()
        .await;
    let client = Client::new(&config);
    let err = client.list_services().send().await.unwrap_err();
    let ListServicesError::Unhandled(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.meta().code(), Some("InvalidSignatureException"));
    assert!(
        e.meta().message().unwrap().starts_with("Signature expired"),
        "{err}"
    );
    client.list_services().send().await.unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn skew_is_retried_once_per_call_only() {
    // A server that answers the first request as skewed, dating it two
    // hours ahead although its clock is right: the corrected retry is then
    // refused as signed in the future, and that is the end of it.
    let server = TestServer::start(|_| {
        let date = aws_json_runtime::DateTime::from(
            std::time::SystemTime::now() + std::time::Duration::from_secs(2 * 3600),
        )
        .fmt(aws_json_runtime::datetime::Format::HttpDate)
        .unwrap();
        Reply::error(400, "RequestTimeTooSkewed", "too skewed").header("date", &date)
    })
    .await;
    let err = client(&server)
        .await
        .list_services()
        .send()
        .await
        .unwrap_err();
    let ListServicesError::Unhandled(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.meta().code(), Some("InvalidSignatureException"));
    assert!(
        e.meta()
            .message()
            .unwrap()
            .starts_with("Signature not yet current"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 2, "one skew retry per call");
}

#[tokio::test]
async fn a_wrong_secret_with_agreeing_clocks_is_not_taken_for_skew() {
    let server = TestServer::start_with_secret("another-secret", |_| Reply::ok("{}")).await;
    let err = client(&server)
        .await
        .list_services()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.meta().and_then(|m| m.code()),
        Some("InvalidSignatureException")
    );
    assert_eq!(
        server.requests().len(),
        1,
        "403 is not retried, and it is not skew"
    );
}
