//! Configuration per client (`Config`, `Client::from_conf`) and per call
//! (`customize`), and interceptors, on the Proton client against the
//! loopback server, which re-verifies every signature: what a hook adds
//! before signing arrives signed and verified; nothing a hook or a call
//! does can send the request to another host.

use aws_proton::config::{
    BoxError, Builder, CallConfig, Credentials, Intercept, RequestContext, ResponseContext,
    RetryConfig, TimeoutConfig,
};
use aws_proton::{Client, Config};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use workspace_tests::{
    script, test_config, verify_signature, Reply, TestServer, ACCESS_KEY, SECRET_KEY,
};

/// Adds `x-tenant` before signing; records each response's status.
#[derive(Debug, Default)]
struct Tenant {
    statuses: Arc<Mutex<Vec<u16>>>,
}

impl Intercept for Tenant {
    fn name(&self) -> &'static str {
        "Tenant"
    }

    fn modify_before_signing(&self, request: &mut RequestContext<'_>) -> Result<(), BoxError> {
        request.headers_mut().insert("x-tenant", "blue".parse()?);
        Ok(())
    }

    fn read_after_response(&self, response: &ResponseContext<'_>) -> Result<(), BoxError> {
        self.statuses
            .lock()
            .unwrap()
            .push(response.status().as_u16());
        Ok(())
    }
}

fn signed_headers(authorization: &str) -> Vec<&str> {
    authorization
        .split(", ")
        .find_map(|p| p.strip_prefix("SignedHeaders="))
        .unwrap_or_default()
        .split(';')
        .collect()
}

const SERVICE: &str = r#"{"service":{"name":"web","arn":"a","templateName":"t","createdAt":1,"lastModifiedAt":1,"status":"ACTIVE"}}"#;

#[tokio::test]
async fn headers_added_before_signing_arrive_signed_and_verified() {
    let server = TestServer::start(script(vec![Reply::json(503, "{}"), Reply::ok(SERVICE)])).await;
    let sdk_config = test_config(&server.url()).await;
    let tenant = Tenant::default();
    let statuses = tenant.statuses.clone();
    let client = Client::from_conf(Builder::from(&sdk_config).interceptor(tenant).build());
    let output = client
        .get_service()
        .name("web")
        .customize(|call| {
            call.header("x-call-tag", "checkout")
                .mutate_request(|request| {
                    request
                        .headers_mut()
                        .insert("x-hooked", "yes".parse().unwrap());
                })
        })
        .send()
        .await
        .unwrap();
    assert_eq!(output.service.unwrap().name, "web");
    assert_eq!(*statuses.lock().unwrap(), [503, 200], "after each response");
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the retry was modified the same way");
    for sent in &requests {
        verify_signature(sent, SECRET_KEY).unwrap();
        assert_eq!(sent.header("x-tenant"), Some("blue"));
        assert_eq!(sent.header("x-call-tag"), Some("checkout"));
        assert_eq!(sent.header("x-hooked"), Some("yes"));
        let signed = signed_headers(sent.header("authorization").unwrap());
        for header in ["x-tenant", "x-call-tag", "x-hooked"] {
            assert!(signed.contains(&header), "{header} not in {signed:?}");
        }
    }
    // The server's check is real: a signed header changed afterwards fails it.
    let mut tampered = requests[1].clone();
    for (name, value) in &mut tampered.headers {
        if name == "x-hooked" {
            *value = "no".into();
        }
    }
    assert!(verify_signature(&tampered, SECRET_KEY).is_err());
    // The next call has the client's interceptor, not the call's headers.
    client.get_service().name("web").send().await.unwrap();
    let last = server.requests().pop().unwrap();
    assert_eq!(last.header("x-tenant"), Some("blue"));
    assert_eq!(last.header("x-call-tag"), None);
    assert_eq!(last.header("x-hooked"), None);
}

#[tokio::test]
async fn no_hook_or_call_header_can_send_the_request_to_another_host() {
    let server = TestServer::start(|_| Reply::ok(SERVICE)).await;
    let elsewhere = TestServer::start(|_| Reply::ok(SERVICE)).await;
    let client = Client::new(&test_config(&server.url()).await);
    let other_host = elsewhere.url().trim_start_matches("http://").to_owned();
    let err = client
        .get_service()
        .name("web")
        .customize(move |call| {
            call.mutate_request(move |request| {
                request
                    .headers_mut()
                    .insert("host", other_host.parse().unwrap());
            })
        })
        .send()
        .await
        .unwrap_err();
    let aws_proton::operation::get_service::GetServiceError::Request(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), aws_json_runtime::RequestErrorKind::Interceptor);
    assert!(
        e.to_string()
            .contains("interceptor `mutate_request` set a `host` header on GetService"),
        "{e}"
    );
    let err = client
        .get_service()
        .name("web")
        .customize(|call| call.header("Host", "127.0.0.1:1"))
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("header is set by the client itself"),
        "{err}"
    );
    assert!(server.requests().is_empty());
    assert!(elsewhere.requests().is_empty());
    assert_eq!(elsewhere.connections_opened(), 0);
}

#[tokio::test]
async fn a_client_overrides_the_shared_config_and_a_call_overrides_the_client() {
    let slow = TestServer::start(|_| Reply::ok(SERVICE).delay(Duration::from_millis(300))).await;
    let sdk_config = test_config("http://127.0.0.1:1").await;
    // Per client: the endpoint, and no retries.
    let client = Client::from_conf(
        Builder::from(&sdk_config)
            .endpoint_url(slow.url())
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    assert_eq!(client.config().retry_config().max_attempts(), 1);
    client.get_service().name("web").send().await.unwrap();
    // Per call: an operation timeout shorter than the server's delay.
    let err = client
        .get_service()
        .name("web")
        .customize(|call| call.operation_timeout(Duration::from_millis(50)))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("operation timeout of 50ms"), "{err}");
    // The shared config itself is unchanged.
    assert_eq!(sdk_config.retry_config().max_attempts(), 3);
    assert_eq!(slow.requests().len(), 2);
}

#[tokio::test]
async fn a_config_from_nothing_needs_no_environment() {
    let server = TestServer::start(|_| Reply::ok(SERVICE)).await;
    let config = Config::builder()
        .region("eu-west-1")
        .credentials_provider(Credentials::from_keys(ACCESS_KEY, SECRET_KEY, None))
        .endpoint_url(server.url())
        .timeout_config(TimeoutConfig::default().with_operation_timeout(Some(Duration::from_secs(5))))
        .build();
    let client = Client::from_conf(config);
    client.get_service().name("web").send().await.unwrap();
    let sent = &server.requests()[0];
    verify_signature(sent, SECRET_KEY).unwrap();
    assert!(
        sent.header("authorization")
            .unwrap()
            .contains("/eu-west-1/proton/aws4_request"),
        "{sent:?}"
    );
    // Without a region, every call says so, and nothing is sent.
    let client = Client::from_conf(Config::builder().endpoint_url(server.url()).build());
    let err = client.get_service().name("web").send().await.unwrap_err();
    assert!(err.to_string().contains("no AWS region set"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_customized_paginator_customizes_every_page() {
    let server = TestServer::start(script(vec![
        Reply::ok(r#"{"services":[],"nextToken":"p2"}"#),
        Reply::ok(r#"{"services":[]}"#),
    ]))
    .await;
    let client = Client::new(&test_config(&server.url()).await);
    let mut pages = client
        .list_services()
        .customize(|call: CallConfig| call.header("x-listing", "all"))
        .into_paginator();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        page.unwrap();
        n += 1;
    }
    assert_eq!(n, 2);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for sent in &requests {
        assert_eq!(sent.header("x-listing"), Some("all"));
        verify_signature(sent, SECRET_KEY).unwrap();
    }
}

/// What mocks build on: a client over an in-process `HttpClient` with test
/// defaults runs the whole pipeline (endpoint rules, signing, retries,
/// error parsing) without a network or an environment.
#[tokio::test(start_paused = true)]
async fn a_client_over_an_http_double_runs_the_whole_pipeline() {
    let double = workspace_tests::InProcess::new(script(vec![
        Reply::error(500, "InternalServerException", "try again"),
        Reply::ok(SERVICE),
        Reply::error(404, "ResourceNotFoundException", "no such service"),
    ]));
    let client = Client::from_conf(
        Config::builder()
            .http_client(double.clone())
            .with_test_defaults()
            .build(),
    );
    let output = client.get_service().name("web").send().await.unwrap();
    assert_eq!(output.service.unwrap().name, "web");
    let err = client.get_service().name("gone").send().await.unwrap_err();
    assert!(
        matches!(
            err,
            aws_proton::operation::get_service::GetServiceError::ResourceNotFoundException(_)
        ),
        "{err:?}"
    );
    let requests = double.requests();
    assert_eq!(requests.len(), 3, "retried once after the 500");
    for sent in &requests {
        assert_eq!(sent.uri, "https://proton.us-east-1.amazonaws.com/");
        assert_eq!(sent.operation(), "GetService");
        assert!(
            sent.header("authorization")
                .unwrap()
                .contains("Credential=ANOTREAL/"),
            "{sent:?}"
        );
    }
}
