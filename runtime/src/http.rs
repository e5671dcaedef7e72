//! The HTTP seam: a small trait any HTTP client can implement, and the
//! default implementation on hyper 1 + rustls.
//!
//! Bodies are whole `Bytes` in both directions: awsJson requests and
//! responses are single JSON documents, so streaming would buy nothing and
//! cost every implementer complexity.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A request as the client sends it.
pub type HttpRequest = http::Request<Bytes>;
/// A response with its whole body read.
pub type HttpResponse = http::Response<Bytes>;
/// The future an [`HttpClient`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and reads the whole response.
///
/// Implement this to use another HTTP stack, or to answer requests in tests
/// without a network. Timeouts around a call are applied by the caller; an
/// implementation only needs to report its own failures.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request`.
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>>;
}

/// A shared client is a client: tests keep an `Arc` to their double to
/// inspect what it received.
impl<T: HttpClient + ?Sized> HttpClient for Arc<T> {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        (**self).call(request)
    }
}

/// A cheaply clonable handle to an [`HttpClient`].
#[derive(Clone, Debug)]
pub struct SharedHttpClient(Arc<dyn HttpClient>);

impl SharedHttpClient {
    /// Shares `client`.
    pub fn new(client: impl HttpClient + 'static) -> Self {
        Self(Arc::new(client))
    }

    /// Sends `request`.
    pub fn call(
        &self,
        request: HttpRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.0.call(request)
    }
}

/// Why a request got no response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConnectorErrorKind {
    /// Connecting, or waiting for the response, took too long.
    Timeout,
    /// The connection could not be made or broke (refused, reset, TLS failure, DNS).
    Io,
    /// Anything else (a request the client could not send).
    Other,
}

/// A request that got no response.
#[derive(Debug)]
pub struct ConnectorError {
    kind: ConnectorErrorKind,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl ConnectorError {
    /// An error of `kind` caused by `source`.
    pub fn new(
        kind: ConnectorErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self {
            kind,
            source: source.into(),
        }
    }

    /// What kind of failure this was.
    pub fn kind(&self) -> ConnectorErrorKind {
        self.kind
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ConnectorErrorKind::Timeout => "timed out",
            ConnectorErrorKind::Io => "connection failed",
            ConnectorErrorKind::Other => "request failed",
        };
        // Include the whole cause chain: hyper's top-level messages alone
        // ("client error (Connect)") say too little.
        write!(f, "{what}: {}", self.source)?;
        let mut cause = self.source.source();
        while let Some(c) = cause {
            write!(f, ": {c}")?;
            cause = c.source();
        }
        Ok(())
    }
}

impl std::error::Error for ConnectorError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

type HyperInner = hyper_util::client::legacy::Client<
    hyper_rustls::HttpsConnector<hyper_util::client::legacy::connect::HttpConnector>,
    Full<Bytes>,
>;

/// The default client: hyper 1 over HTTP/1.1, TLS by rustls with the
/// Mozilla root certificates compiled in, connections pooled.
#[derive(Clone)]
pub struct HyperClient {
    inner: HyperInner,
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HyperClient").finish_non_exhaustive()
    }
}

impl HyperClient {
    /// A client whose connection attempts give up after `connect_timeout`.
    pub fn new(connect_timeout: Option<Duration>) -> Self {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(connect_timeout);
        http.set_nodelay(true);
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map(|b| {
            b.with_root_certificates(rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            })
            .with_no_client_auth()
        });
        let https = match tls {
            Ok(tls) => hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls)
                .https_or_http()
                .enable_http1()
                .wrap_connector(http),
            // The ring provider always supports the default protocol
            // versions; should that ever change, fall back to rustls's own
            // process-wide defaults rather than refusing to build a client.
            Err(_) => hyper_rustls::HttpsConnectorBuilder::new()
                .with_webpki_roots()
                .https_or_http()
                .enable_http1()
                .wrap_connector(http),
        };
        let inner =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .pool_idle_timeout(Duration::from_secs(90))
                .build(https);
        Self { inner }
    }
}

impl HttpClient for HyperClient {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let request = http::Request::from_parts(parts, Full::new(body));
            let response = self.inner.request(request).await.map_err(|e| {
                let kind = if e.is_connect() {
                    if is_timeout(&e) {
                        ConnectorErrorKind::Timeout
                    } else {
                        ConnectorErrorKind::Io
                    }
                } else {
                    ConnectorErrorKind::Io
                };
                ConnectorError::new(kind, e)
            })?;
            let (parts, body) = response.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| ConnectorError::new(ConnectorErrorKind::Io, e))?
                .to_bytes();
            Ok(http::Response::from_parts(parts, body))
        })
    }
}

fn is_timeout(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(c) = cause {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            if io.kind() == std::io::ErrorKind::TimedOut {
                return true;
            }
        }
        cause = c.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn sends_and_reads_over_loopback() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let mut request = Vec::new();
            loop {
                let n = socket.read(&mut buf).await.unwrap();
                request.extend_from_slice(&buf[..n]);
                if request.ends_with(b"{}") {
                    break;
                }
            }
            socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 7\r\nx-amzn-requestid: r1\r\n\r\n{\"a\":1}")
                .await
                .unwrap();
            String::from_utf8(request).unwrap()
        });
        let client = SharedHttpClient::new(HyperClient::new(Some(Duration::from_secs(2))));
        let request = http::Request::post(format!("http://{addr}/"))
            .header("content-type", "application/x-amz-json-1.0")
            .body(Bytes::from_static(b"{}"))
            .unwrap();
        let response = client.call(request).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["x-amzn-requestid"], "r1");
        assert_eq!(&response.body()[..], b"{\"a\":1}");
        let seen = server.await.unwrap();
        assert!(seen.starts_with("POST / HTTP/1.1\r\n"), "{seen}");
        assert!(
            seen.contains("content-type: application/x-amz-json-1.0"),
            "{seen}"
        );
    }

    #[tokio::test]
    async fn refused_connection_is_an_io_error() {
        // Bind then drop a listener so the port is very likely closed.
        let addr = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        let client = HyperClient::new(Some(Duration::from_secs(2)));
        let request = http::Request::get(format!("http://{addr}/"))
            .body(Bytes::new())
            .unwrap();
        let err = client.call(request).await.unwrap_err();
        assert_eq!(err.kind(), ConnectorErrorKind::Io);
        assert!(err.to_string().starts_with("connection failed"), "{err}");
    }
}
