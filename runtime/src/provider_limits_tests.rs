//! The IMDS and container-credential clients read responses within their
//! 64 KiB limit: a larger answer is refused with an error naming the limit,
//! whatever the endpoint sends.

use crate::credentials::container::ContainerCredentialsProvider;
use crate::env::Env;
use crate::imds::{ImdsClient, ImdsErrorKind};
use crate::provider_config::ProviderConfig;
use crate::test_util::{Reply, TestServer};
use std::time::Duration;

fn big() -> String {
    "x".repeat(65 * 1024)
}

/// An IMDS client for a server that answers a token, then `big()`.
async fn imds_answering_big() -> (TestServer, ImdsClient) {
    let server = TestServer::start(vec![
        Reply::ok("TOKEN").with_header("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
        Reply::ok(&big()),
    ])
    .await;
    let imds = ImdsClient::new(&ProviderConfig::new(Env::from_vars([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        server.url(),
    )])))
    .with_retries(1, Duration::from_millis(1));
    (server, imds)
}

#[tokio::test]
async fn imds_refuses_a_response_over_its_limit() {
    let (_server, imds) = imds_answering_big().await;
    let err = imds
        .get("/latest/meta-data/placement/region")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ImdsErrorKind::InvalidResponse);
    assert!(
        err.to_string().contains(
            "(Content-Length: 66560) is larger than 64 KiB (65536 bytes), the limit set by the IMDS response limit \
             (`ImdsClient::with_max_response_size`)"
        ),
        "{err}"
    );
    // Raised, the same answer is read.
    let (_server, imds) = imds_answering_big().await;
    let imds = imds.with_max_response_size(128 * 1024);
    assert_eq!(imds.get("/x").await.unwrap().len(), 65 * 1024);
}

#[tokio::test]
async fn container_credentials_refuse_a_response_over_their_limit() {
    let server = TestServer::start(vec![Reply::ok(&big())]).await;
    let provider = ContainerCredentialsProvider::new(&ProviderConfig::new(Env::from_vars([(
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/creds",
    )])))
    .with_relative_uri_base(server.url())
    .with_retries(3, Duration::from_millis(1));
    let err = provider.credentials().await.unwrap_err().to_string();
    assert!(
        err.contains("the limit set by the container credentials response limit"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 1, "not retried");
}
