//! Per-call customization and interceptors against the loopback server,
//! which re-verifies every signature: what a hook adds before signing
//! arrives signed and verified; nothing a hook does can send the request
//! to another host.

use aws_json_runtime::client::{CallError, ClientHandle, EndpointConfig, ServiceInfo};
use aws_json_runtime::config::ClientConfig;
use aws_json_runtime::endpoint::{Endpoint, ResolveEndpointError};
use aws_json_runtime::http::BoxError;
use aws_json_runtime::intercept::{Intercept, RequestContext};
use aws_json_runtime::RequestErrorKind;
use workspace_tests::{test_config, verify_signature, Reply, TestServer, SECRET_KEY};

fn configured_url(config: &EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError> {
    config
        .endpoint_url
        .map(Endpoint::new)
        .ok_or_else(|| ResolveEndpointError::new("no endpoint URL"))
}

/// Proton as the pipeline sees it, with rules that go to the configured URL.
static PROTON: ServiceInfo = ServiceInfo {
    target_prefix: "AwsProton20200720",
    content_type: "application/x-amz-json-1.0",
    signing_name: "proton",
    env_suffix: "PROTON",
    profile_key: "proton",
    user_agent: "aws-proton/0.1.0",
    retryable_errors: &[],
    query_compatible: false,
    compressed_operations: &[],
    resolve_endpoint: configured_url,
};

/// Adds `x-tenant` before signing.
#[derive(Debug)]
struct Tenant;

impl Intercept for Tenant {
    fn name(&self) -> &'static str {
        "Tenant"
    }

    fn modify_before_signing(&self, request: &mut RequestContext<'_>) -> Result<(), BoxError> {
        request.headers_mut().insert("x-tenant", "blue".parse()?);
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

#[tokio::test]
async fn headers_added_before_signing_arrive_signed_and_verified() {
    let server = TestServer::start(|_| Reply::ok("{}")).await;
    let sdk = test_config(&server.url()).await;
    let config = aws_json_runtime::config::ClientConfigBuilder::from(&sdk)
        .interceptor(Tenant)
        .build();
    let client = ClientHandle::from_conf(config, &PROTON);
    client
        .customize(|call| {
            call.header("x-call-tag", "checkout")
                .mutate_request(|request| {
                    request
                        .headers_mut()
                        .insert("x-hooked", "yes".parse().unwrap());
                })
        })
        .call("GetService", br#"{"name":"web"}"#.to_vec())
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "the server accepted the signature");
    let sent = &requests[0];
    verify_signature(sent, SECRET_KEY).unwrap();
    assert_eq!(sent.header("x-tenant"), Some("blue"));
    assert_eq!(sent.header("x-call-tag"), Some("checkout"));
    assert_eq!(sent.header("x-hooked"), Some("yes"));
    let signed = signed_headers(sent.header("authorization").unwrap());
    for header in ["x-tenant", "x-call-tag", "x-hooked"] {
        assert!(signed.contains(&header), "{header} not in {signed:?}");
    }
    // Tampering with a signed header after the fact is caught by the server.
    let mut tampered = sent.clone();
    for (name, value) in &mut tampered.headers {
        if name == "x-hooked" {
            *value = "no".into();
        }
    }
    assert!(verify_signature(&tampered, SECRET_KEY).is_err());
}

#[tokio::test]
async fn no_hook_can_send_the_request_to_another_host() {
    let server = TestServer::start(|_| Reply::ok("{}")).await;
    let elsewhere = TestServer::start(|_| Reply::ok("{}")).await;
    let client = ClientHandle::from_conf(
        ClientConfig::from(&test_config(&server.url()).await),
        &PROTON,
    );
    let other_host = elsewhere.url().trim_start_matches("http://").to_owned();
    let err = client
        .clone()
        .customize(move |call| {
            call.mutate_request(move |request| {
                request
                    .headers_mut()
                    .insert("host", other_host.parse().unwrap());
            })
        })
        .call("GetService", b"{}".to_vec())
        .await
        .unwrap_err();
    let CallError::Request(e) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::Interceptor);
    assert!(
        e.to_string()
            .contains("interceptor `mutate_request` set a `host` header on GetService"),
        "{e}"
    );
    // Nor through the call's headers.
    let err = client
        .customize(|call| call.header("Host", "127.0.0.1:1"))
        .call("GetService", b"{}".to_vec())
        .await
        .unwrap_err();
    assert!(
        format!("{err:?}").contains("header is set by the client itself"),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
    assert!(elsewhere.requests().is_empty());
    assert_eq!(elsewhere.connections_opened(), 0);
}
