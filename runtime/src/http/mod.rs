//! The HTTP seam: a small trait any HTTP client can implement, the default
//! implementation on hyper 1 + rustls, and the limits every response is
//! read within.
//!
//! * `body`: [`ResponseBody`], what an [`HttpClient`] answers with;
//! * `limits`: [`ResponseLimits`] (size) and [`MinimumThroughput`]
//!   (stalled-stream protection), the user-facing settings;
//! * `read`: reading a body within those limits (used by the call pipeline
//!   and by the IMDS and container-credential clients);
//! * `throughput`: the sliding window behind stalled-stream protection;
//! * `timer`: the one timer of an attempt, shared by the response-headers
//!   timeout and the stall checks;
//! * `hyper_client`: [`HyperClient`] and its connection pool ([`PoolConfig`]);
//! * `tls`: which certificate authorities it trusts ([`TlsTrust`]);
//! * `proxy`: which requests it sends through an HTTP proxy, and the
//!   `CONNECT` tunnels that carry them ([`ProxyConfig`]).
//!
//! Requests are whole `Bytes` (an awsJson request is one small JSON
//! document); responses stream, so that the caller, not the transport,
//! decides how much to read and how long to wait for it.

mod body;
mod hyper_client;
mod limits;
mod proxy;
pub(crate) mod read;
mod throughput;
pub(crate) mod timer;
mod tls;

pub use body::{BoxError, ResponseBody};
pub use hyper_client::{HyperClient, HyperClientBuilder, HyperClientError, PoolConfig};
pub use limits::{MinimumThroughput, ResponseLimits};
pub use proxy::{ProxyConfig, ProxyError};
pub use tls::{TlsTrust, TlsTrustError, MAX_CA_BUNDLE_BYTES};

use bytes::Bytes;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A request as the client sends it.
pub type HttpRequest = http::Request<Bytes>;
/// A response as an [`HttpClient`] returns it: status and headers, the
/// body still to be read.
pub type HttpResponse = http::Response<ResponseBody>;
/// A response whose body was read (within its limits).
pub type ReadResponse = http::Response<Bytes>;
/// The future an [`HttpClient`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends one HTTP request and returns the response once its headers arrived.
///
/// Implement this to use another HTTP stack, or to answer requests in tests
/// without a network. Timeouts around a call, and the size and throughput
/// limits on the body, are applied by the caller; an implementation only
/// needs to report its own failures.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// Sends `request`; resolves when the response's headers arrived.
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
