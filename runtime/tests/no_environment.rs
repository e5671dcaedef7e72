//! A client config built from nothing (`ClientConfig::builder()`) reads no
//! environment: with every setting the SDKs read planted in this process's
//! environment (its own test binary, so no other test sees them), a client
//! built with an HTTP double and test defaults ignores all of them. This is
//! what mocks rely on: the whole pipeline runs, nothing depends on the
//! machine.

use aws_json_runtime::client::{ClientHandle, EndpointConfig, ServiceInfo};
use aws_json_runtime::config::ClientConfig;
use aws_json_runtime::endpoint::{Endpoint, ResolveEndpointError};
use aws_json_runtime::http::{
    BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, ResponseBody,
};
use std::sync::{Arc, Mutex};

fn rules(config: &EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError> {
    match (config.endpoint_url, config.region) {
        (Some(url), _) => Ok(Endpoint::new(url)),
        (None, Some(region)) => Ok(Endpoint::new(format!("https://svc.{region}.amazonaws.com"))),
        (None, None) => Err(ResolveEndpointError::new("no region")),
    }
}

static SERVICE: ServiceInfo = ServiceInfo {
    target_prefix: "Svc",
    content_type: "application/x-amz-json-1.0",
    signing_name: "svc",
    env_suffix: "SVC",
    profile_key: "svc",
    user_agent: "svc/0",
    retryable_errors: &[],
    query_compatible: false,
    compressed_operations: &[],
    endpoint_discovery: None,
    resolve_endpoint: rules,
};

/// Records where each request went and with which key; answers `{}`.
#[derive(Debug, Default)]
struct Double(Mutex<Vec<(String, String)>>);

impl HttpClient for Double {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        let auth = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        self.0
            .lock()
            .unwrap()
            .push((request.uri().to_string(), auth));
        Box::pin(async { Ok(http::Response::new(ResponseBody::from("{}"))) })
    }
}

#[tokio::test]
async fn a_config_built_from_nothing_ignores_the_environment() {
    let dir = std::env::temp_dir().join(format!("no-env-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config_file = dir.join("config");
    std::fs::write(
        &config_file,
        "[default]\nregion = eu-north-1\nmax_attempts = nonsense\n",
    )
    .unwrap();
    for (k, v) in [
        ("AWS_REGION", "ap-south-1"),
        ("AWS_ACCESS_KEY_ID", "AKIDFROMENV"),
        ("AWS_SECRET_ACCESS_KEY", "secret-from-env"),
        ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
        ("AWS_ENDPOINT_URL_SVC", "http://127.0.0.1:9"),
        ("AWS_MAX_ATTEMPTS", "nonsense"),
        ("AWS_USE_FIPS_ENDPOINT", "maybe"),
        ("HTTPS_PROXY", "http://127.0.0.1:9"),
        ("AWS_CONFIG_FILE", config_file.to_str().unwrap()),
    ] {
        std::env::set_var(k, v);
    }
    let double = Arc::new(Double::default());
    let config = ClientConfig::builder()
        .http_client(double.clone())
        .with_test_defaults()
        .build();
    assert!(config.errors().is_empty(), "{:?}", config.errors());
    assert_eq!(config.region().unwrap().as_ref(), "us-east-1");
    assert_eq!(config.retry_config().max_attempts(), 3);
    assert!(!config.use_fips());
    let client = ClientHandle::from_conf(config, &SERVICE);
    client.call("Op", b"{}".to_vec()).await.unwrap();
    let sent = double.0.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "https://svc.us-east-1.amazonaws.com/");
    assert!(sent[0].1.contains("Credential=ANOTREAL/"), "{}", sent[0].1);
    std::fs::remove_dir_all(&dir).unwrap();
}
