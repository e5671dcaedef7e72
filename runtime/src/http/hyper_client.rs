//! [`HyperClient`], the default [`HttpClient`]: hyper 1 over HTTP/1.1, TLS
//! by rustls with the Mozilla roots compiled in (plus what [`TlsTrust`]
//! adds), optional HTTP proxies ([`ProxyConfig`]), and a connection pool of
//! our own (`pool.rs`) whose idle connections a timer closes
//! ([`PoolConfig`]).

use super::pool::Pool;
use super::proxy::ProxyConnector;
use super::{
    BoxFuture, ConnectorError, ConnectorErrorKind, HttpClient, HttpRequest, HttpResponse,
    ProxyConfig, ProxyError, TlsTrust, TlsTrustError,
};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// How the default client keeps connections for reuse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolConfig {
    idle_timeout: Option<Duration>,
    max_idle_per_host: usize,
}

impl Default for PoolConfig {
    /// Idle connections close after 60 s; at most 64 idle per host.
    ///
    /// 60 s keeps connections warm for a client that calls at least once a
    /// minute and gives the sockets of a burst back within a minute; it is
    /// the AWS SDK for Java's idle time, under the 90 s of Go's. 64 idle
    /// connections per host serve 64 concurrent calls without a new
    /// handshake, while a burst of thousands does not keep thousands of
    /// sockets open once it is over.
    fn default() -> Self {
        Self {
            idle_timeout: Some(Duration::from_secs(60)),
            max_idle_per_host: 64,
        }
    }
}

impl PoolConfig {
    /// How long an unused connection is kept (`None`: until the server
    /// closes it; not recommended).
    pub fn with_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// How many unused connections are kept per host (0: none, every call
    /// opens a connection).
    pub fn with_max_idle_per_host(mut self, max: usize) -> Self {
        self.max_idle_per_host = max;
        self
    }

    /// The idle timeout.
    pub fn idle_timeout(&self) -> Option<Duration> {
        self.idle_timeout
    }

    /// The per-host idle cap.
    pub fn max_idle_per_host(&self) -> usize {
        self.max_idle_per_host
    }
}

/// The default client: hyper 1 over HTTP/1.1, TLS by rustls with the
/// Mozilla root certificates compiled in, connections pooled.
#[derive(Clone)]
pub struct HyperClient {
    /// The connection pool (shared by clones), or why there is none (no
    /// TLS crypto provider).
    inner: Result<Arc<Pool>, &'static str>,
    proxy: ProxyConfig,
    trust: TlsTrust,
}

impl fmt::Debug for HyperClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The proxy's Debug shows no password.
        f.debug_struct("HyperClient")
            .field("proxy", &self.proxy)
            .field("trust", &self.trust)
            .finish_non_exhaustive()
    }
}

/// Builds a [`HyperClient`] with a connect timeout, pool, trusted roots
/// and proxies of your choice.
#[derive(Clone, Debug, Default)]
pub struct HyperClientBuilder {
    connect_timeout: Option<Duration>,
    pool: PoolConfig,
    trust: TlsTrust,
    proxy: ProxyConfig,
}

impl HyperClientBuilder {
    /// How long a connection attempt may take (`None`: no limit).
    pub fn connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The connection pool.
    pub fn pool(mut self, pool: PoolConfig) -> Self {
        self.pool = pool;
        self
    }

    /// The certificate authorities to trust.
    pub fn tls_trust(mut self, trust: TlsTrust) -> Self {
        self.trust = trust;
        self
    }

    /// The proxies to use (default: none).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = proxy;
        self
    }

    /// The client, or why the trust or proxy settings cannot be used.
    pub fn build(self) -> Result<HyperClient, HyperClientError> {
        let roots = self.trust.root_store().map_err(HyperClientError::Tls)?;
        let matcher = if self.proxy.is_none() {
            None
        } else {
            Some(self.proxy.matcher().map_err(HyperClientError::Proxy)?)
        };
        Ok(HyperClient::assemble(
            self.connect_timeout,
            self.pool,
            roots,
            matcher,
            self.trust,
            self.proxy,
        ))
    }
}

/// Trust or proxy settings a [`HyperClient`] cannot be built with.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HyperClientError {
    /// A CA bundle or the native store cannot be used.
    Tls(TlsTrustError),
    /// A proxy URL cannot be used.
    Proxy(ProxyError),
}

impl fmt::Display for HyperClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HyperClientError::Tls(e) => e.fmt(f),
            HyperClientError::Proxy(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for HyperClientError {}

/// The TLS crypto provider every client uses: aws-lc-rs (the default
/// feature), whose default key exchange groups start with the post-quantum
/// hybrid X25519MLKEM768, or ring when only the `ring` feature is on
/// (classical key exchange; faster to build). Chosen per client rather than
/// through rustls's process-wide default, so another crate installing or
/// enabling a provider changes nothing here and nothing can panic over two
/// providers being enabled. With neither feature, the process-wide default
/// the application installed (`rustls::crypto::CryptoProvider::install_default`),
/// if any.
pub(crate) fn crypto_provider() -> Option<Arc<rustls::crypto::CryptoProvider>> {
    #[cfg(feature = "aws-lc-rs")]
    {
        let mut provider = rustls::crypto::aws_lc_rs::default_provider();
        // The post-quantum hybrid first, whatever the rustls version: before
        // 0.23.48 it comes last unless rustls's `prefer-post-quantum`
        // feature (a default one, which we turn off) is on.
        let hybrid = rustls::crypto::aws_lc_rs::kx_group::X25519MLKEM768;
        provider.kx_groups.retain(|g| g.name() != hybrid.name());
        provider.kx_groups.insert(0, hybrid);
        Some(Arc::new(provider))
    }
    #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
    {
        // Deprecated since rustls 0.23.48 for its lack of post-quantum key
        // exchange: a user who turns `aws-lc-rs` off has chosen that.
        #[allow(deprecated)]
        Some(Arc::new(rustls::crypto::ring::default_provider()))
    }
    #[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
    {
        rustls::crypto::CryptoProvider::get_default().cloned()
    }
}

/// Why a client built without a TLS crypto provider cannot send.
const NO_PROVIDER: &str = "aws-json-runtime has no TLS crypto provider: enable its `aws-lc-rs` \
     (default) or `ring` feature, or install a process-wide rustls provider \
     (`CryptoProvider::install_default`) before building the client";

impl HyperClient {
    /// A client whose connection attempts give up after `connect_timeout`,
    /// with the default pool.
    pub fn new(connect_timeout: Option<Duration>) -> Self {
        Self::with_pool(connect_timeout, PoolConfig::default())
    }

    /// A client with `connect_timeout` and `pool`, the compiled-in roots
    /// and no proxy.
    pub fn with_pool(connect_timeout: Option<Duration>, pool: PoolConfig) -> Self {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        Self::assemble(
            connect_timeout,
            pool,
            roots,
            None,
            TlsTrust::default(),
            ProxyConfig::none(),
        )
    }

    /// A builder for a client with other trust or proxy settings.
    pub fn builder() -> HyperClientBuilder {
        HyperClientBuilder::default()
    }

    /// The proxies this client uses.
    pub fn proxy(&self) -> &ProxyConfig {
        &self.proxy
    }

    fn assemble(
        connect_timeout: Option<Duration>,
        pool: PoolConfig,
        roots: rustls::RootCertStore,
        matcher: Option<hyper_util::client::proxy::matcher::Matcher>,
        trust: TlsTrust,
        proxy: ProxyConfig,
    ) -> Self {
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(connect_timeout);
        http.set_nodelay(true);
        let connector = ProxyConnector::new(http, matcher);
        let Some(provider) = crypto_provider() else {
            return Self {
                inner: Err(NO_PROVIDER),
                proxy,
                trust,
            };
        };
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map(|b| b.with_root_certificates(roots).with_no_client_auth());
        let Ok(tls) = tls else {
            // The providers above always support the default protocol
            // versions; an installed process-wide one might not.
            return Self {
                inner: Err(
                    "the TLS crypto provider supports none of rustls's default protocol versions",
                ),
                proxy,
                trust,
            };
        };
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .wrap_connector(connector);
        Self {
            inner: Ok(Pool::new(https, pool)),
            proxy,
            trust,
        }
    }
}

impl HttpClient for HyperClient {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        match &self.inner {
            Ok(pool) => pool.send(request),
            Err(why) => Box::pin(std::future::ready(Err(ConnectorError::new(
                ConnectorErrorKind::Io,
                *why,
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{ConnectorErrorKind, SharedHttpClient};
    use bytes::Bytes;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[cfg(feature = "aws-lc-rs")]
    #[test]
    fn the_post_quantum_hybrid_key_exchange_is_offered_first() {
        let groups: Vec<_> = crypto_provider()
            .unwrap()
            .kx_groups
            .iter()
            .map(|g| g.name())
            .collect();
        assert_eq!(groups[0], rustls::NamedGroup::X25519MLKEM768, "{groups:?}");
        assert!(groups.contains(&rustls::NamedGroup::X25519), "{groups:?}");
    }

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
        let mut body = response.into_body();
        assert_eq!(
            body.exact_len(),
            Some(7),
            "Content-Length is known before reading"
        );
        assert_eq!(&body.chunk().await.unwrap().unwrap()[..], b"{\"a\":1}");
        let seen = server.await.unwrap();
        assert!(seen.starts_with("POST / HTTP/1.1\r\n"), "{seen}");
        assert!(
            seen.contains("content-type: application/x-amz-json-1.0"),
            "{seen}"
        );
    }

    /// A loopback server answering every request on a connection with
    /// `answer` (after reading up to the end of a `{}` body); counts the
    /// connections it accepted.
    async fn server(answer: &'static [u8]) -> (std::net::SocketAddr, Arc<AtomicUsize>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted = Arc::new(AtomicUsize::new(0));
        let count = accepted.clone();
        tokio::spawn(async move {
            loop {
                let (mut socket, _) = listener.accept().await.unwrap();
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let mut request = Vec::new();
                    loop {
                        let n = socket.read(&mut buf).await.unwrap_or(0);
                        if n == 0 {
                            return;
                        }
                        request.extend_from_slice(&buf[..n]);
                        if request.ends_with(b"{}") {
                            request.clear();
                            if socket.write_all(answer).await.is_err() {
                                return;
                            }
                        }
                    }
                });
            }
        });
        (addr, accepted)
    }

    fn post(addr: std::net::SocketAddr) -> HttpRequest {
        http::Request::post(format!("http://{addr}/"))
            .body(Bytes::from_static(b"{}"))
            .unwrap()
    }

    /// Reads `body` to its end.
    async fn read_all(mut body: crate::http::ResponseBody) -> Vec<u8> {
        let mut all = Vec::new();
        while let Some(chunk) = body.chunk().await {
            all.extend_from_slice(&chunk.unwrap());
        }
        all
    }

    #[tokio::test]
    async fn connections_are_reused_once_their_body_was_read() {
        let (addr, accepted) = server(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").await;
        let client = HyperClient::new(Some(Duration::from_secs(2)));
        for _ in 0..5 {
            let response = client.call(post(addr)).await.unwrap();
            assert_eq!(read_all(response.into_body()).await, b"ok");
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
        // A body dropped before its end takes its connection with it.
        let response = client.call(post(addr)).await.unwrap();
        drop(response);
        let response = client.call(post(addr)).await.unwrap();
        assert_eq!(read_all(response.into_body()).await, b"ok");
        assert_eq!(accepted.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_reaper_watches_a_busy_pool() {
        let (addr, accepted) = server(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").await;
        let client = HyperClient::new(Some(Duration::from_secs(2)));
        // Each call takes the connection the one before gave back: a reaper
        // seeing none idle for a moment stays (it used to end, and the next
        // connection kept started another, one task per request).
        for _ in 0..50 {
            let response = client.call(post(addr)).await.unwrap();
            assert_eq!(read_all(response.into_body()).await, b"ok");
            tokio::task::yield_now().await;
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
        let pool = client.inner.as_ref().unwrap();
        assert_eq!(pool.reapers_started(), 1);
    }

    #[tokio::test]
    async fn a_connection_the_server_closes_is_not_reused() {
        let (addr, accepted) =
            server(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok").await;
        let client = HyperClient::new(Some(Duration::from_secs(2)));
        for _ in 0..3 {
            let response = client.call(post(addr)).await.unwrap();
            assert_eq!(read_all(response.into_body()).await, b"ok");
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn the_host_header_comes_from_the_uri_when_missing() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = vec![0u8; 4096];
            let n = socket.read(&mut buf).await.unwrap();
            socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                .await
                .unwrap();
            String::from_utf8(buf[..n].to_vec()).unwrap()
        });
        let client = HyperClient::new(Some(Duration::from_secs(2)));
        let request = http::Request::get(format!("http://{addr}/latest/api?x=1"))
            .body(Bytes::new())
            .unwrap();
        let response = client.call(request).await.unwrap();
        assert!(read_all(response.into_body()).await.is_empty());
        let seen = server.await.unwrap();
        assert!(
            seen.starts_with("GET /latest/api?x=1 HTTP/1.1\r\n"),
            "{seen}"
        );
        assert!(seen.contains(&format!("host: {addr}\r\n")), "{seen}");
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
