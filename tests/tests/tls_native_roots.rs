//! `TlsTrust::with_native_roots`: the operating system's store, which
//! `rustls-native-certs` reads from `SSL_CERT_FILE` when it is set. This
//! binary holds one test, so setting the variable races with nothing.

use aws_json_runtime::http::TlsTrust;
use aws_proton::Client;
use workspace_tests::net::{TestCa, TlsFront};
use workspace_tests::{test_loader, Reply, TestServer};

#[tokio::test]
async fn native_roots_are_trusted_when_asked_for() {
    let backend = TestServer::start(|_| Reply::ok(r#"{"services":[]}"#)).await;
    let ca = TestCa::new();
    let front = TlsFront::start(&ca, &backend.url()).await;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("system.pem");
    std::fs::write(&store, ca.ca_pem()).unwrap();
    std::env::set_var("SSL_CERT_FILE", &store);

    let call = |trust: TlsTrust| {
        let url = front.url();
        async move {
            let config = test_loader(&url).tls_trust(trust).load().await;
            Client::new(&config).list_services().send().await
        }
    };
    // Off by default: the system store is not consulted.
    assert!(call(TlsTrust::new()).await.is_err());
    assert!(call(TlsTrust::new().with_native_roots(true)).await.is_ok());
    assert_eq!(backend.requests().len(), 1);
}
