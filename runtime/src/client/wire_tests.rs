//! What the awsJson protocols ask of every call, on an HTTP double:
//! `Content-Length`, empty bodies, `@awsQueryCompatible` (the query-mode
//! header, `x-amzn-query-error` codes), `@requestCompression` (gzip, its
//! minimum size and switch from code, environment and profile), and
//! requests routed to a URL from the input.

use super::test_support::{self, loader};
use super::*;
use crate::config::{ClientConfig, ConfigLoader};
use crate::endpoint::{Endpoint, ResolveEndpointError};
use crate::env::Env;
use crate::error::RequestErrorKind;
use crate::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, ResponseBody};
use std::io::Read as _;
use std::sync::{Arc, Mutex};

fn endpoint(_: &EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError> {
    Ok(Endpoint::new("https://example.test"))
}

static QUERY_COMPATIBLE: ServiceInfo = ServiceInfo {
    query_compatible: true,
    ..test_support::service(endpoint)
};

static COMPRESSING: ServiceInfo = ServiceInfo {
    compressed_operations: &["Put"],
    ..test_support::service(endpoint)
};

/// Records every request whole and answers each with one response.
#[derive(Debug)]
struct Wire {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: &'static str,
    sent: Mutex<Vec<http::Request<bytes::Bytes>>>,
}

impl Wire {
    fn answering(
        status: u16,
        headers: &[(&'static str, &'static str)],
        body: &'static str,
    ) -> Arc<Self> {
        Arc::new(Self {
            status,
            headers: headers.to_vec(),
            body,
            sent: Mutex::new(Vec::new()),
        })
    }

    fn ok() -> Arc<Self> {
        Self::answering(200, &[], "{}")
    }

    fn only(&self) -> http::Request<bytes::Bytes> {
        let mut sent = self.sent.lock().unwrap();
        assert_eq!(sent.len(), 1, "one request");
        sent.remove(0)
    }
}

impl HttpClient for Wire {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.sent.lock().unwrap().push(request);
        let mut response = http::Response::builder().status(self.status);
        for (k, v) in &self.headers {
            response = response.header(*k, *v);
        }
        let response = response.body(ResponseBody::from(self.body)).unwrap();
        Box::pin(async { Ok(response) })
    }
}

async fn handle(
    wire: &Arc<Wire>,
    service: &'static ServiceInfo,
    vars: &[(&str, &str)],
) -> ClientHandle {
    let mut vars: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    vars.push(("AWS_EC2_METADATA_DISABLED".into(), "true".into()));
    ClientHandle::new(
        &loader(wire.clone()).env(Env::from_vars(vars)).load().await,
        service,
    )
}

fn header<'r>(request: &'r http::Request<bytes::Bytes>, name: &str) -> Option<&'r str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

fn gunzip(body: &[u8]) -> String {
    let mut out = String::new();
    flate2::read::GzDecoder::new(body)
        .read_to_string(&mut out)
        .expect("a gzip body");
    out
}

#[tokio::test]
async fn every_request_says_its_content_length() {
    let wire = Wire::ok();
    let client = handle(&wire, &test_support::SERVICE, &[]).await;
    client.call("Op", b"{\"a\":1}".to_vec()).await.unwrap();
    let request = wire.only();
    assert_eq!(header(&request, "content-length"), Some("7"));
    assert_eq!(header(&request, "x-amzn-query-mode"), None);
}

#[test]
fn an_empty_body_reads_as_an_empty_object() {
    let meta = crate::ErrorMeta::default();
    for body in [&b""[..], b"  \n", b"{}"] {
        let parsed: crate::Document = parse_body(body, &meta).unwrap();
        assert_eq!(parsed, crate::Document::Object(Default::default()));
    }
    assert!(parse_body::<crate::Document>(b"nope", &meta).is_err());
}

#[tokio::test]
async fn query_compatible_services_send_the_query_mode_and_expose_query_codes() {
    let wire = Wire::answering(
        400,
        &[("x-amzn-query-error", "Customized;Sender")],
        r#"{"__type":"aws.test#CustomCodeError","message":"Hi"}"#,
    );
    let client = handle(&wire, &QUERY_COMPATIBLE, &[]).await;
    let Err(CallError::Service(e)) = client.call("Op", b"{}".to_vec()).await else {
        panic!("an error response")
    };
    assert_eq!(header(&wire.only(), "x-amzn-query-mode"), Some("true"));
    // The modelled error is found by its awsJson code; users see the awsQuery one.
    assert_eq!(e.code(), Some("CustomCodeError"));
    assert_eq!(e.meta.code(), Some("Customized"));
    assert_eq!(e.meta.error_type(), Some("Sender"));
    assert_eq!(e.meta.message(), Some("Hi"));
}

#[tokio::test]
async fn the_query_error_header_counts_only_when_well_formed_and_query_compatible() {
    for (service, value) in [
        (&QUERY_COMPATIBLE, "Customized"),
        (&QUERY_COMPATIBLE, ";Sender"),
        (&QUERY_COMPATIBLE, "Customized;"),
        (&QUERY_COMPATIBLE, "a;b;c"),
        (&test_support::SERVICE, "Customized;Sender"),
    ] {
        let wire = Wire::answering(
            400,
            &[("x-amzn-query-error", value)],
            r#"{"__type":"Plain"}"#,
        );
        let client = handle(&wire, service, &[]).await;
        let Err(CallError::Service(e)) = client.call("Op", b"{}".to_vec()).await else {
            panic!("an error response")
        };
        assert_eq!(e.meta.code(), Some("Plain"), "{value}");
        assert_eq!(e.meta.error_type(), None, "{value}");
    }
}

/// A JSON body of about `len` bytes.
fn body_of(len: usize) -> Vec<u8> {
    format!("{{\"data\":\"{}\"}}", "x".repeat(len.saturating_sub(11))).into_bytes()
}

async fn sent_by(
    loader: ConfigLoader,
    wire: &Arc<Wire>,
    operation: &'static str,
    body: Vec<u8>,
) -> http::Request<bytes::Bytes> {
    let client = ClientHandle::new(&loader.load().await, &COMPRESSING);
    client.call(operation, body).await.unwrap();
    wire.only()
}

#[tokio::test]
async fn compressed_operations_send_gzip_from_the_minimum_size() {
    let wire = Wire::ok();
    let body = body_of(10_240);
    let request = sent_by(loader(wire.clone()), &wire, "Put", body.clone()).await;
    assert_eq!(header(&request, "content-encoding"), Some("gzip"));
    let length = request.body().len().to_string();
    assert_eq!(header(&request, "content-length"), Some(length.as_str()));
    assert_eq!(gunzip(request.body()).as_bytes(), &body[..]);

    // One byte short, another operation: as is.
    for (operation, len) in [("Put", 10_239), ("Get", 20_000)] {
        let request = sent_by(loader(wire.clone()), &wire, operation, body_of(len)).await;
        assert_eq!(
            header(&request, "content-encoding"),
            None,
            "{operation} {len}"
        );
        assert_eq!(request.body().len(), len);
    }
}

#[tokio::test]
async fn compression_follows_code_then_environment_then_profile() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[default]\ndisable_request_compression = true\nrequest_min_compression_size_bytes = 100\n",
    )
    .unwrap();
    let config = config.to_str().unwrap().to_owned();
    let with_env = |vars: Vec<(&str, &str)>| {
        let wire = Wire::ok();
        let mut vars: Vec<(String, String)> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        vars.push(("AWS_EC2_METADATA_DISABLED".into(), "true".into()));
        (loader(wire.clone()).env(Env::from_vars(vars)), wire)
    };
    let gzipped = |r: &http::Request<bytes::Bytes>| header(r, "content-encoding") == Some("gzip");

    // The profile disables it.
    let (l, w) = with_env(vec![("AWS_CONFIG_FILE", &config)]);
    assert!(!gzipped(&sent_by(l, &w, "Put", body_of(20_000)).await));
    // The environment wins over the profile.
    let (l, w) = with_env(vec![
        ("AWS_CONFIG_FILE", &config),
        ("AWS_DISABLE_REQUEST_COMPRESSION", "false"),
    ]);
    assert!(
        gzipped(&sent_by(l, &w, "Put", body_of(200)).await),
        "profile minimum of 100 bytes"
    );
    let (l, w) = with_env(vec![("AWS_DISABLE_REQUEST_COMPRESSION", "true")]);
    assert!(!gzipped(&sent_by(l, &w, "Put", body_of(20_000)).await));
    let (l, w) = with_env(vec![("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0")]);
    assert!(gzipped(&sent_by(l, &w, "Put", b"{}".to_vec()).await));
    // Code wins over both.
    let (l, w) = with_env(vec![("AWS_DISABLE_REQUEST_COMPRESSION", "true")]);
    assert!(gzipped(
        &sent_by(
            l.disable_request_compression(false),
            &w,
            "Put",
            body_of(20_000)
        )
        .await
    ));
    let (l, w) = with_env(vec![("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0")]);
    let request = sent_by(
        l.request_min_compression_size_bytes(50_000),
        &w,
        "Put",
        body_of(20_000),
    )
    .await;
    assert!(!gzipped(&request));
}

#[tokio::test]
async fn unusable_compression_settings_fail_every_call_naming_them() {
    for (var, value) in [
        ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "10485761"),
        ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "-1"),
        ("AWS_DISABLE_REQUEST_COMPRESSION", "maybe"),
    ] {
        let wire = Wire::ok();
        let client = handle(&wire, &COMPRESSING, &[(var, value)]).await;
        let Err(CallError::Request(e)) = client.call("Put", b"{}".to_vec()).await else {
            panic!("{var}={value} was accepted")
        };
        assert_eq!(e.kind(), RequestErrorKind::Configuration);
        assert!(
            e.to_string().contains(var) && e.to_string().contains(value),
            "{e}"
        );
        assert!(wire.sent.lock().unwrap().is_empty());
    }
    // Set in code, out of range, too; a client config overriding it is fine again.
    let wire = Wire::ok();
    let sdk = loader(wire.clone())
        .request_min_compression_size_bytes(20_000_000)
        .load()
        .await;
    let client = ClientHandle::new(&sdk, &COMPRESSING);
    assert!(client.call("Put", b"{}".to_vec()).await.is_err());
    let config = ClientConfig::from(&sdk)
        .to_builder()
        .request_min_compression_size_bytes(0)
        .build();
    assert_eq!(config.request_compression().min_size_bytes(), 0);
    let client = ClientHandle::from_conf(config, &COMPRESSING);
    client.call("Put", b"{}".to_vec()).await.unwrap();
    assert_eq!(header(&wire.only(), "content-encoding"), Some("gzip"));
}

#[tokio::test]
async fn a_route_from_the_input_sends_there_and_is_checked() {
    let wire = Wire::ok();
    let client = handle(&wire, &test_support::SERVICE, &[]).await;
    let route = Route::InputUrl {
        member: "PredictEndpoint",
        url: "https://custom.example.com/".to_owned(),
    };
    client
        .call_routed("Predict", b"{}".to_vec(), route)
        .await
        .unwrap();
    let request = wire.only();
    assert_eq!(request.uri().to_string(), "https://custom.example.com/");
    assert_eq!(header(&request, "host"), Some("custom.example.com"));

    for url in [
        "ftp://custom.example.com",
        "https://a.example#.b",
        "not a url",
    ] {
        let route = Route::InputUrl {
            member: "PredictEndpoint",
            url: url.to_owned(),
        };
        let Err(CallError::Request(e)) = client.call_routed("Predict", b"{}".to_vec(), route).await
        else {
            panic!("{url} was accepted")
        };
        assert_eq!(e.kind(), RequestErrorKind::InvalidInput, "{e}");
        assert!(e.to_string().contains("PredictEndpoint"), "{e}");
    }
    assert!(wire.sent.lock().unwrap().is_empty());
}
