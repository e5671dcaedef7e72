//! Endpoint discovery through the whole pipeline, on an HTTP double that
//! plays the service: `DescribeEndpoints` names an endpoint, and every
//! other operation answers where it was sent.

use super::test_support::{self, loader};
use super::*;
use crate::error::RequestErrorKind;
use crate::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, ResponseBody};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn rules(
    config: &EndpointConfig<'_>,
) -> Result<crate::endpoint::Endpoint, crate::endpoint::ResolveEndpointError> {
    Ok(crate::endpoint::Endpoint::new(
        config
            .endpoint_url
            .unwrap_or("https://ingest.test.us-east-1.amazonaws.com"),
    ))
}

static DISCOVERING: ServiceInfo = ServiceInfo {
    endpoint_discovery: Some(EndpointDiscovery {
        operation: "DescribeEndpoints",
        invalid_endpoint_error: "InvalidEndpointException",
    }),
    ..test_support::service(rules)
};

/// One request as the double saw it.
#[derive(Clone, Debug)]
struct Sent {
    target: String,
    uri: String,
    body: String,
    signed_by: String,
}

/// The service: `DescribeEndpoints` answers `address` (for `minutes`);
/// other operations answer `failure` once when set, else `200 {}`.
#[derive(Debug)]
struct Service {
    address: Mutex<String>,
    minutes: u64,
    failure: Mutex<Option<(u16, &'static str)>>,
    sent: Mutex<Vec<Sent>>,
}

impl Service {
    fn new(address: &str, minutes: u64) -> Arc<Self> {
        Arc::new(Self {
            address: Mutex::new(address.to_owned()),
            minutes,
            failure: Mutex::new(None),
            sent: Mutex::new(Vec::new()),
        })
    }

    fn sent(&self) -> Vec<Sent> {
        self.sent.lock().unwrap().clone()
    }

    fn discoveries(&self) -> usize {
        self.sent()
            .iter()
            .filter(|s| s.target == "Test.DescribeEndpoints")
            .count()
    }
}

impl HttpClient for Service {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        let header = |name: &str| {
            request
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        let sent = Sent {
            target: header("x-amz-target"),
            uri: request.uri().to_string(),
            body: String::from_utf8_lossy(request.body()).into_owned(),
            signed_by: header("authorization")
                .split("Credential=")
                .nth(1)
                .and_then(|c| c.split('/').next())
                .unwrap_or_default()
                .to_owned(),
        };
        let (status, body) = if sent.target == "Test.DescribeEndpoints" {
            let address = self.address.lock().unwrap().clone();
            (
                200,
                format!(
                    r#"{{"Endpoints":[{{"Address":"{address}","CachePeriodInMinutes":{}}}]}}"#,
                    self.minutes
                ),
            )
        } else {
            match self.failure.lock().unwrap().take() {
                Some((status, code)) => (status, format!(r#"{{"__type":"{code}","message":"m"}}"#)),
                None => (200, "{}".to_owned()),
            }
        };
        self.sent.lock().unwrap().push(sent);
        let response = http::Response::builder()
            .status(status)
            .body(ResponseBody::from(body))
            .unwrap();
        Box::pin(async { Ok(response) })
    }
}

async fn client(
    service: &Arc<Service>,
    loader: impl FnOnce(crate::config::ConfigLoader) -> crate::config::ConfigLoader,
) -> ClientHandle {
    let config = loader(test_support::loader(Arc::clone(service)))
        .load()
        .await;
    ClientHandle::new(&config, &DISCOVERING)
}

fn discovered(identifiers: &[(&'static str, &str)]) -> Route {
    Route::Discovered {
        identifiers: identifiers
            .iter()
            .map(|(k, v)| (*k, (*v).to_owned()))
            .collect(),
    }
}

#[tokio::test]
async fn operations_go_to_the_discovered_endpoint_found_once() {
    let service = Service::new("cell-2.ingest.test.amazonaws.com", 10);
    let client = client(&service, |l| l).await;
    for _ in 0..3 {
        client
            .call_routed("WriteRecords", b"{}".to_vec(), discovered(&[]))
            .await
            .unwrap();
    }
    let sent = service.sent();
    assert_eq!(sent.len(), 4, "{sent:#?}");
    // Discovery goes to the resolved endpoint, signed with the client's
    // credentials, and asks for nothing in particular.
    assert_eq!(sent[0].target, "Test.DescribeEndpoints");
    assert_eq!(sent[0].uri, "https://ingest.test.us-east-1.amazonaws.com/");
    assert_eq!(sent[0].body, "{}");
    assert_eq!(sent[0].signed_by, "AKID");
    for s in &sent[1..] {
        assert_eq!(s.target, "Test.WriteRecords");
        assert_eq!(s.uri, "https://cell-2.ingest.test.amazonaws.com/");
        assert_eq!(s.signed_by, "AKID");
    }
    // Other operations on the plain route stay on the resolved endpoint.
    client
        .call("DescribeEndpoints", b"{}".to_vec())
        .await
        .unwrap();
    assert_eq!(
        service.sent().last().unwrap().uri,
        "https://ingest.test.us-east-1.amazonaws.com/"
    );
}

#[tokio::test]
async fn identifiers_and_credentials_key_the_cache() {
    let service = Service::new("cell-1.test.amazonaws.com", 10);
    let client = client(&service, |l| l).await;
    let table = discovered(&[("TableName", "t1")]);
    client
        .call_routed("Write", b"{}".to_vec(), table.clone())
        .await
        .unwrap();
    client
        .call_routed("Write", b"{}".to_vec(), table)
        .await
        .unwrap();
    client
        .call_routed("Write", b"{}".to_vec(), discovered(&[("TableName", "t2")]))
        .await
        .unwrap();
    let asked: Vec<String> = service
        .sent()
        .into_iter()
        .filter(|s| s.target == "Test.DescribeEndpoints")
        .map(|s| s.body)
        .collect();
    assert_eq!(
        asked,
        [
            r#"{"Identifiers":{"TableName":"t1"},"Operation":"Write"}"#,
            r#"{"Identifiers":{"TableName":"t2"},"Operation":"Write"}"#
        ]
    );
    // Other credentials: discovered again, for that access key.
    let other = ClientHandle::new(
        &test_support::loader(Arc::clone(&service))
            .credentials_provider(crate::credentials::Credentials::from_keys(
                "AKID2", "S2", None,
            ))
            .load()
            .await,
        &DISCOVERING,
    );
    let before = service.discoveries();
    other
        .call_routed("Op", b"{}".to_vec(), discovered(&[]))
        .await
        .unwrap();
    assert_eq!(service.discoveries(), before + 1);
    assert_eq!(service.sent().last().unwrap().signed_by, "AKID2");
}

#[tokio::test(start_paused = true)]
async fn an_expired_endpoint_is_discovered_again() {
    let service = Service::new("a.test.amazonaws.com", 5);
    let client = client(&service, |l| l).await;
    let call = || client.call_routed("Op", b"{}".to_vec(), discovered(&[]));
    call().await.unwrap();
    *service.address.lock().unwrap() = "b.test.amazonaws.com".to_owned();
    tokio::time::advance(Duration::from_secs(4 * 60)).await;
    call().await.unwrap();
    assert_eq!(service.discoveries(), 1);
    assert_eq!(
        service.sent().last().unwrap().uri,
        "https://a.test.amazonaws.com/"
    );
    tokio::time::advance(Duration::from_secs(2 * 60)).await;
    call().await.unwrap();
    assert_eq!(service.discoveries(), 2);
    assert_eq!(
        service.sent().last().unwrap().uri,
        "https://b.test.amazonaws.com/"
    );
}

#[tokio::test]
async fn the_modelled_error_invalidates_the_endpoint() {
    let service = Service::new("a.test.amazonaws.com", 10);
    let client = client(&service, |l| l).await;
    let call = || client.call_routed("Op", b"{}".to_vec(), discovered(&[]));
    call().await.unwrap();
    // Another error keeps the endpoint.
    *service.failure.lock().unwrap() = Some((400, "ValidationException"));
    assert!(
        matches!(call().await, Err(CallError::Service(e)) if e.code() == Some("ValidationException"))
    );
    assert_eq!(service.discoveries(), 1);
    *service.address.lock().unwrap() = "b.test.amazonaws.com".to_owned();
    *service.failure.lock().unwrap() = Some((421, "InvalidEndpointException"));
    assert!(
        matches!(call().await, Err(CallError::Service(e)) if e.code() == Some("InvalidEndpointException"))
    );
    call().await.unwrap();
    assert_eq!(service.discoveries(), 2);
    assert_eq!(
        service.sent().last().unwrap().uri,
        "https://b.test.amazonaws.com/"
    );
}

#[tokio::test]
async fn an_unusable_discovered_address_is_refused_before_anything_is_signed_for_it() {
    for address in [
        "http://a.test.amazonaws.com",
        "evil.test/path",
        "user@evil.test",
        "a_b.test",
        "",
    ] {
        let service = Service::new(address, 10);
        let client = client(&service, |l| l).await;
        let error = match client
            .call_routed("Op", b"{}".to_vec(), discovered(&[]))
            .await
        {
            Err(CallError::Request(e)) => e,
            other => panic!("{address}: {other:?}"),
        };
        assert_eq!(error.kind(), RequestErrorKind::Response, "{address}");
        let text = error.to_string();
        assert!(
            text.contains("Op goes to the endpoint DescribeEndpoints names"),
            "{text}"
        );
        // Only the discovery call was sent.
        let sent = service.sent();
        assert_eq!(sent.len(), 1, "{address}: {sent:?}");
        assert_eq!(sent[0].target, "Test.DescribeEndpoints");
    }
}

#[tokio::test]
async fn a_configured_endpoint_url_wins_over_discovery() {
    let service = Service::new("a.test.amazonaws.com", 10);
    let client = client(&service, |l| l.endpoint_url("https://vpce.test.example")).await;
    client
        .call_routed("Op", b"{}".to_vec(), discovered(&[("Id", "x")]))
        .await
        .unwrap();
    let sent = service.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].uri, "https://vpce.test.example/");
}

#[tokio::test]
async fn concurrent_calls_that_miss_share_one_discovery() {
    let service = Service::new("a.test.amazonaws.com", 10);
    let client = client(&service, |l| l).await;
    let calls = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move {
            client
                .call_routed("Op", b"{}".to_vec(), discovered(&[]))
                .await
                .map(|_| ())
                .map_err(|e| format!("{e:?}"))
        })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(service.discoveries(), 1);
}

#[tokio::test]
async fn a_failed_discovery_fails_the_call_with_the_services_error() {
    #[derive(Debug)]
    struct Refusing;
    impl HttpClient for Refusing {
        fn call(&self, _: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
            let response = http::Response::builder()
                .status(403)
                .body(ResponseBody::from(
                    r#"{"__type":"AccessDeniedException","message":"no"}"#,
                ))
                .unwrap();
            Box::pin(async { Ok(response) })
        }
    }
    let client = ClientHandle::new(&loader(Refusing).load().await, &DISCOVERING);
    let result = client
        .call_routed("Op", b"{}".to_vec(), discovered(&[]))
        .await;
    assert!(
        matches!(&result, Err(CallError::Service(e)) if e.code() == Some("AccessDeniedException")),
        "{result:?}"
    );
}
