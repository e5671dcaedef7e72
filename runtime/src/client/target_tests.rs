//! A request goes to the host endpoint resolution chose, and only there:
//! user info is never sent or shown, URLs that hide another host are
//! refused, an endpoint cannot set `Host`, a host prefix lands in front of
//! the host.

use super::test_support::{self, loader, Recording, SERVICE_WITH_RULES};
use super::*;
use crate::endpoint::{Endpoint, ResolveEndpointError};
use crate::error::RequestErrorKind;
use std::sync::Arc;

async fn client(http: &Arc<Recording>, url: Option<&str>) -> ClientHandle {
    let mut l = loader(http.clone());
    if let Some(url) = url {
        l = l.endpoint_url(url);
    }
    ClientHandle::new(&l.load().await, &SERVICE_WITH_RULES)
}

fn sent(http: &Recording) -> Vec<(String, Option<String>)> {
    http.sent.lock().unwrap().clone()
}

#[tokio::test]
async fn user_info_in_an_endpoint_url_is_neither_sent_nor_shown() {
    let http = Arc::new(Recording::default());
    let client = client(&http, Some("http://user:s3cret@example.test:8080/base")).await;
    client.call("Op", b"{}".to_vec()).await.unwrap();
    assert_eq!(
        sent(&http),
        [(
            "http://example.test:8080/base/".to_owned(),
            Some("example.test:8080".to_owned())
        )]
    );
    let debug = format!("{client:?}");
    assert!(
        !debug.contains("s3cret") && !debug.contains("user"),
        "{debug}"
    );
    assert!(
        debug.contains("http://***@example.test:8080/base"),
        "{debug}"
    );
}

#[tokio::test]
async fn urls_that_hide_another_host_are_refused_before_sending() {
    for url in [
        "https://evil.com#.amazonaws.com",
        "https://evil.com?.amazonaws.com",
        "https://u:s3cret@evil.com#x",
        "evil.com",
    ] {
        let http = Arc::new(Recording::default());
        let Err(CallError::Request(e)) = client(&http, Some(url))
            .await
            .call("Op", b"{}".to_vec())
            .await
        else {
            panic!("{url} was accepted")
        };
        assert_eq!(e.kind(), RequestErrorKind::Configuration, "{e}");
        assert!(e.to_string().contains("cannot be used"), "{e}");
        assert!(!e.to_string().contains("s3cret"), "{e}");
        assert!(sent(&http).is_empty(), "{url}");
    }
}

#[tokio::test]
async fn the_region_host_and_a_host_prefix() {
    let http = Arc::new(Recording::default());
    let client = client(&http, None).await;
    client.call("Op", b"{}".to_vec()).await.unwrap();
    client
        .call_routed("Op", b"{}".to_vec(), Route::HostPrefix("data.".to_owned()))
        .await
        .unwrap();
    let hosts: Vec<Option<String>> = sent(&http).into_iter().map(|(_, h)| h).collect();
    assert_eq!(
        hosts,
        [
            Some("test.us-east-1.amazonaws.com".to_owned()),
            Some("data.test.us-east-1.amazonaws.com".to_owned())
        ]
    );
}

fn with_host_header(_: &EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError> {
    Ok(Endpoint::new("https://good.example").with_header("Host", "evil.example"))
}

static SETS_HOST: ServiceInfo = test_support::service(with_host_header);

#[tokio::test]
async fn an_endpoint_cannot_set_the_host_header() {
    let http = Arc::new(Recording::default());
    let client = ClientHandle::new(&loader(http.clone()).load().await, &SETS_HOST);
    let Err(CallError::Request(e)) = client.call("Op", b"{}".to_vec()).await else {
        panic!("a Host header from the endpoint was accepted")
    };
    assert_eq!(e.kind(), RequestErrorKind::Configuration);
    assert!(e.to_string().contains("sets a `host` header"), "{e}");
    assert!(sent(&http).is_empty());
}
