//! TLS trust and HTTP proxies end to end, all on 127.0.0.1: a TLS front
//! end with a certificate from a CA made at test time, in front of the
//! signature-checking loopback server, and a `CONNECT` proxy that counts
//! its tunnels.

use aws_json_runtime::http::{ProxyConfig, TlsTrust};
use aws_json_runtime::retry::RetryConfig;
use aws_json_runtime::RequestErrorKind;
use aws_proton::operation::list_services::ListServicesError;
use aws_proton::Client;
use workspace_tests::net::{ConnectProxy, TestCa, TlsFront};
use workspace_tests::{test_loader, Auth, Reply, TestServer, ACCESS_KEY, SECRET_KEY};

const SERVICES: &str = r#"{"services":[]}"#;

/// The request error inside an operation error.
fn request_error(err: &ListServicesError) -> &aws_json_runtime::RequestError {
    match err {
        ListServicesError::Request(e) => e,
        other => panic!("expected a request error, got {other:?}"),
    }
}

fn env(vars: &[(&str, &str)]) -> aws_json_runtime::env::Env {
    let mut all = vec![("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned())];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    aws_json_runtime::env::Env::from_vars(all)
}

async fn client(url: &str, vars: &[(&str, &str)]) -> Client {
    let config = test_loader(url)
        .env(env(vars))
        .retry_config(RetryConfig::disabled())
        .load()
        .await;
    Client::new(&config)
}

#[tokio::test]
async fn a_private_ca_is_refused_by_default_and_trusted_when_given() {
    let backend = TestServer::start(|_| Reply::ok(SERVICES)).await;
    let ca = TestCa::new();
    let front = TlsFront::start(&ca, &backend.url()).await;
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("ca.pem");
    std::fs::write(&bundle, ca.ca_pem()).unwrap();
    let bundle = bundle.to_str().unwrap();

    // Not trusted by default: the handshake fails, nothing reaches the service.
    let err = client(&front.url(), &[])
        .await
        .list_services()
        .send()
        .await
        .unwrap_err();
    let err = request_error(&err);
    assert_eq!(err.kind(), RequestErrorKind::Dispatch, "{err}");
    assert!(err.to_string().contains("certificate"), "{err}");
    // The front end counts the broken-off handshake once its side ends.
    for _ in 0..200 {
        if front.refused_handshakes() >= 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(front.refused_handshakes() >= 1);
    assert!(backend.requests().is_empty());

    // Trusted through AWS_CA_BUNDLE, the profile's ca_bundle, or code.
    client(&front.url(), &[("AWS_CA_BUNDLE", bundle)])
        .await
        .list_services()
        .send()
        .await
        .unwrap();
    let config_file = dir.path().join("config");
    std::fs::write(&config_file, format!("[default]\nca_bundle = {bundle}\n")).unwrap();
    client(
        &front.localhost_url(),
        &[("AWS_CONFIG_FILE", config_file.to_str().unwrap())],
    )
    .await
    .list_services()
    .send()
    .await
    .unwrap();
    let config = test_loader(&front.url())
        .env(env(&[]))
        .tls_trust(TlsTrust::new().with_ca_bundle_pem("test CA", ca.ca_pem()))
        .load()
        .await;
    Client::new(&config).list_services().send().await.unwrap();
    assert_eq!(backend.requests().len(), 3, "each signed request arrived");

    // An unusable bundle fails every call with a configuration error
    // naming it, before anything is sent.
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate").unwrap();
    let handshakes = front.handshakes() + front.refused_handshakes();
    for path in [garbage.to_str().unwrap(), "/nonexistent/ca.pem"] {
        let err = client(&front.url(), &[("AWS_CA_BUNDLE", path)])
            .await
            .list_services()
            .send()
            .await
            .unwrap_err();
        let err = request_error(&err);
        assert_eq!(err.kind(), RequestErrorKind::Configuration, "{err}");
        assert!(err.to_string().contains(path), "{err}");
    }
    assert_eq!(front.handshakes() + front.refused_handshakes(), handshakes);
}

/// The default crypto provider (aws-lc-rs) offers the post-quantum hybrid
/// key exchange first, and a server that supports it gets it.
#[tokio::test]
async fn tls_negotiates_post_quantum_hybrid_key_exchange() {
    let backend = TestServer::start(|_| Reply::ok(SERVICES)).await;
    let ca = TestCa::new();
    let front = TlsFront::start(&ca, &backend.url()).await;
    let config = test_loader(&front.url())
        .env(env(&[]))
        .tls_trust(TlsTrust::new().with_ca_bundle_pem("test CA", ca.ca_pem()))
        .load()
        .await;
    Client::new(&config).list_services().send().await.unwrap();
    assert_eq!(front.key_exchange_groups(), ["X25519MLKEM768"]);
}

#[tokio::test]
async fn https_goes_through_a_connect_proxy_with_credentials() {
    let backend = TestServer::start(|_| Reply::ok(SERVICES)).await;
    let ca = TestCa::new();
    let front = TlsFront::start(&ca, &backend.url()).await;
    let proxy = ConnectProxy::start(Some("alice:p@ss")).await;
    let target = front.url().trim_start_matches("https://").to_owned();
    let trust = TlsTrust::new().with_ca_bundle_pem("test CA", ca.ca_pem());
    let load = |vars: Vec<(&'static str, String)>, proxy_config: Option<ProxyConfig>| {
        let trust = trust.clone();
        let url = front.url();
        async move {
            let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let mut loader = test_loader(&url)
                .env(env(&vars))
                .tls_trust(trust)
                .retry_config(RetryConfig::disabled());
            if let Some(p) = proxy_config {
                loader = loader.proxy(p);
            }
            loader.load().await
        }
    };

    // Upper-case HTTPS_PROXY with the password percent-encoded in the URL:
    // one tunnel, reused by the next calls (the connection is pooled).
    let url = proxy.url_with("alice:p%40ss");
    let config = load(vec![("HTTPS_PROXY", url.clone())], None).await;
    let client = Client::new(&config);
    for _ in 0..3 {
        client.list_services().send().await.unwrap();
    }
    assert_eq!(proxy.tunnels(), [target]);
    assert_eq!(backend.requests().len(), 3);
    assert_eq!(
        proxy.auth_headers(),
        [Some("Basic YWxpY2U6cEBzcw==".to_owned())]
    );
    // The password is in no printout.
    let printed = format!("{config:?} {client:?} {:?}", config.http_client());
    assert!(
        !printed.contains("p%40ss") && !printed.contains("p@ss"),
        "{printed}"
    );

    // Lower-case https_proxy; NO_PROXY bypasses; the loader's setting wins.
    let config = load(vec![("https_proxy", url.clone())], None).await;
    Client::new(&config).list_services().send().await.unwrap();
    assert_eq!(proxy.tunnels().len(), 2);
    let config = load(
        vec![
            ("HTTPS_PROXY", url.clone()),
            ("NO_PROXY", "localhost,127.0.0.1".into()),
        ],
        None,
    )
    .await;
    Client::new(&config).list_services().send().await.unwrap();
    let config = load(
        vec![("HTTPS_PROXY", url.clone())],
        Some(ProxyConfig::none()),
    )
    .await;
    Client::new(&config).list_services().send().await.unwrap();
    assert_eq!(proxy.tunnels().len(), 2, "no tunnel when bypassed");
    let config = load(vec![], Some(ProxyConfig::all(url.clone()))).await;
    Client::new(&config).list_services().send().await.unwrap();
    assert_eq!(proxy.tunnels().len(), 3);

    // Wrong credentials: the proxy refuses, the error says so without the password.
    let refused = proxy.refused();
    let config = load(
        vec![("HTTPS_PROXY", proxy.url_with("alice:wrong-secret"))],
        None,
    )
    .await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("proxy"), "{text}");
    assert!(!text.contains("wrong-secret"), "{text}");
    assert_eq!(proxy.refused(), refused + 1);

    // An unusable proxy URL is a configuration error, never a direct call.
    let before = backend.requests().len();
    let config = load(
        vec![("HTTPS_PROXY", "socks5://alice:sockpass@127.0.0.1:1".into())],
        None,
    )
    .await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    let err = request_error(&err);
    assert_eq!(err.kind(), RequestErrorKind::Configuration, "{err}");
    assert!(
        err.to_string()
            .contains("only http:// proxies are supported"),
        "{err}"
    );
    assert!(!err.to_string().contains("sockpass"), "{err}");
    assert_eq!(backend.requests().len(), before);
}

#[tokio::test]
async fn http_proxy_carries_plain_http_endpoints() {
    let backend = TestServer::start(|_| Reply::ok(SERVICES)).await;
    let proxy = ConnectProxy::start(None).await;
    let client = client(&backend.url(), &[("HTTP_PROXY", &proxy.url())]).await;
    client.list_services().send().await.unwrap();
    assert_eq!(
        proxy.tunnels(),
        [backend.url().trim_start_matches("http://").to_owned()]
    );
    // HTTPS_PROXY alone does not apply to http:// URLs.
    let direct = TestServer::start(|_| Reply::ok(SERVICES)).await;
    let client2 = self::client(&direct.url(), &[("HTTPS_PROXY", &proxy.url())]).await;
    client2.list_services().send().await.unwrap();
    assert_eq!(proxy.tunnels().len(), 1);
}

#[tokio::test]
async fn instance_metadata_and_container_credentials_are_never_proxied() {
    let imds = TestServer::start_with_auth(Auth::Unsigned, |r| match (r.method.as_str(), r.path.as_str()) {
        ("PUT", "/latest/api/token") => Reply::ok("imds-token").header("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
        (_, "/latest/meta-data/iam/security-credentials/") => Reply::ok("role"),
        (_, "/latest/meta-data/iam/security-credentials/role") => Reply::ok(format!(
            r#"{{"Code":"Success","AccessKeyId":"{ACCESS_KEY}","SecretAccessKey":"{SECRET_KEY}","Token":"T","Expiration":"2099-01-01T00:00:00Z"}}"#
        )),
        (_, "/latest/meta-data/placement/region") => Reply::ok("us-east-1"),
        _ => Reply::json(404, "{}"),
    })
    .await;
    let container = TestServer::start_with_auth(Auth::Unsigned, |_| {
        Reply::ok(format!(
            r#"{{"AccessKeyId":"{ACCESS_KEY}","SecretAccessKey":"{SECRET_KEY}","Token":"T","Expiration":"2099-01-01T00:00:00Z"}}"#
        ))
    })
    .await;
    let backend = TestServer::start(|_| Reply::ok(SERVICES)).await;
    let proxy = ConnectProxy::start(None).await;
    let container_uri = format!("{}/creds", container.url());
    for vars in [
        // Region and credentials from IMDS on loopback.
        vec![("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url())],
        // Credentials from the container endpoint; IMDS off, so nothing
        // ever goes to the real link-local address.
        vec![
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_uri.clone()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
            ("AWS_REGION", "us-east-1".to_owned()),
        ],
    ] {
        let mut all: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        all.push(("HTTP_PROXY".into(), proxy.url()));
        all.push(("HTTPS_PROXY".into(), proxy.url()));
        all.push(("AWS_CONFIG_FILE".into(), "/nonexistent".into()));
        all.push(("AWS_SHARED_CREDENTIALS_FILE".into(), "/nonexistent".into()));
        let config = aws_json_runtime::config::ConfigLoader::default()
            .env(aws_json_runtime::env::Env::from_vars(all))
            .endpoint_url(backend.url())
            .load()
            .await;
        Client::new(&config).list_services().send().await.unwrap();
    }
    assert!(!imds.requests().is_empty() && !container.requests().is_empty());
    // Only the service calls went through the proxy.
    let backend_addr = backend.url().trim_start_matches("http://").to_owned();
    assert_eq!(proxy.tunnels(), [backend_addr.clone(), backend_addr]);
    assert_eq!(proxy.refused(), 0);
}
