//! What the pipeline's unit tests share: a test service, a loader for a
//! client over an HTTP double, and a double whose answers misbehave on
//! purpose (never answering, stalling mid-body, endless bodies).

use super::*;
use crate::config::ConfigLoader;
use crate::credentials::Credentials;
use crate::endpoint::{Endpoint, ResolveEndpointError};
use crate::env::Env;
use crate::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, ResponseBody};
use crate::region::Region;
use bytes::Bytes;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

fn endpoint(_: &EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError> {
    Ok(Endpoint::new("https://example.test"))
}

/// A test service whose endpoint rules are `resolve_endpoint`.
pub(super) const fn service(
    resolve_endpoint: fn(&EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError>,
) -> ServiceInfo {
    ServiceInfo {
        target_prefix: "Test",
        content_type: "application/x-amz-json-1.0",
        signing_name: "test",
        env_suffix: "TEST",
        profile_key: "test",
        user_agent: "test/0",
        retryable_errors: &[("ThrottlingException", true)],
        query_compatible: false,
        compressed_operations: &[],
        endpoint_discovery: None,
        resolve_endpoint,
    }
}

pub(super) static SERVICE: ServiceInfo = service(endpoint);

/// A loader for a client sending through `http`, with everything else
/// fixed and default (timeouts, limits, retries).
pub(super) fn loader(http: impl HttpClient + 'static) -> ConfigLoader {
    ConfigLoader::default()
        .env(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]))
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::from_keys("AKID", "SECRET", None))
        .http_client(http)
}

pub(super) async fn handle(loader: ConfigLoader) -> ClientHandle {
    ClientHandle::new(&loader.load().await, &SERVICE)
}

/// Rules as generated ones do: the configured endpoint URL, else a host
/// made from the region.
fn rules(config: &EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError> {
    match (config.endpoint_url, config.region) {
        (Some(url), _) => Ok(Endpoint::new(url)),
        (None, Some(region)) => Ok(Endpoint::new(format!(
            "https://test.{region}.amazonaws.com"
        ))),
        (None, None) => Err(ResolveEndpointError::new("no region")),
    }
}

/// [`SERVICE`] with endpoint rules that read the configuration.
pub(super) static SERVICE_WITH_RULES: ServiceInfo = service(rules);

/// Records each request's URI and `Host`, and answers `200 {}`.
#[derive(Debug, Default)]
pub(super) struct Recording {
    pub(super) sent: Mutex<Vec<(String, Option<String>)>>,
}

impl HttpClient for Recording {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        let host = request
            .headers()
            .get("host")
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned);
        self.sent
            .lock()
            .unwrap()
            .push((request.uri().to_string(), host));
        Box::pin(async { Ok(http::Response::new(ResponseBody::from("{}"))) })
    }
}

/// How a [`Faulty`] answers.
#[derive(Clone, Debug)]
pub(super) enum Fault {
    /// Never sends headers.
    NoHeaders,
    /// Headers after `delay`, then `count` copies of `chunk`, then the end
    /// (or nothing more, ever, if `hang`).
    Body {
        delay: Duration,
        status: u16,
        headers: Vec<(&'static str, String)>,
        prefix: Bytes,
        chunk: Bytes,
        count: u64,
        hang: bool,
    },
}

impl Fault {
    pub(super) fn body(status: u16, chunk: impl Into<Vec<u8>>, count: u64, hang: bool) -> Self {
        Fault::Body {
            delay: Duration::ZERO,
            status,
            headers: Vec::new(),
            prefix: Bytes::new(),
            chunk: Bytes::from(chunk.into()),
            count,
            hang,
        }
    }

    pub(super) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        if let Fault::Body { headers, .. } = &mut self {
            headers.push((name, value.into()));
        }
        self
    }

    /// Sends `first` before the repeated chunks.
    pub(super) fn prefixed(mut self, first: &'static [u8]) -> Self {
        if let Fault::Body { prefix, .. } = &mut self {
            *prefix = Bytes::from_static(first);
        }
        self
    }

    pub(super) fn after(mut self, wait: Duration) -> Self {
        if let Fault::Body { delay, .. } = &mut self {
            *delay = wait;
        }
        self
    }
}

/// An HTTP double answering every request with one [`Fault`], counting
/// requests and the body bytes the client actually pulled.
#[derive(Debug)]
pub(super) struct Faulty {
    fault: Fault,
    pub(super) calls: Mutex<Vec<Instant>>,
    pub(super) pulled: Arc<AtomicU64>,
}

impl Faulty {
    pub(super) fn new(fault: Fault) -> Arc<Self> {
        Arc::new(Self {
            fault,
            calls: Mutex::new(Vec::new()),
            pulled: Arc::new(AtomicU64::new(0)),
        })
    }

    pub(super) fn attempts(&self) -> usize {
        self.calls.lock().unwrap().len()
    }

    pub(super) fn pulled(&self) -> u64 {
        self.pulled.load(Ordering::SeqCst)
    }
}

impl HttpClient for Faulty {
    fn call(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        self.calls.lock().unwrap().push(Instant::now());
        let fault = self.fault.clone();
        let pulled = self.pulled.clone();
        Box::pin(async move {
            match fault {
                Fault::NoHeaders => std::future::pending().await,
                Fault::Body {
                    delay,
                    status,
                    headers,
                    prefix,
                    chunk,
                    count,
                    hang,
                } => {
                    tokio::time::sleep(delay).await;
                    let mut response = http::Response::builder().status(status);
                    for (k, v) in headers {
                        response = response.header(k, v);
                    }
                    let body = Chunks {
                        prefix: (!prefix.is_empty()).then_some(prefix),
                        chunk,
                        left: count,
                        hang,
                        pulled,
                    };
                    Ok(response.body(ResponseBody::streaming(body)).unwrap())
                }
            }
        })
    }
}

/// A body produced lazily, so a "50 MB" body costs the test nothing.
struct Chunks {
    prefix: Option<Bytes>,
    chunk: Bytes,
    left: u64,
    hang: bool,
    pulled: Arc<AtomicU64>,
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        if let Some(first) = self.prefix.take() {
            self.pulled.fetch_add(first.len() as u64, Ordering::SeqCst);
            return Poll::Ready(Some(Ok(http_body::Frame::data(first))));
        }
        if self.left > 0 {
            self.left -= 1;
            self.pulled
                .fetch_add(self.chunk.len() as u64, Ordering::SeqCst);
            Poll::Ready(Some(Ok(http_body::Frame::data(self.chunk.clone()))))
        } else if self.hang {
            // Never woken: the reader's own timer decides when to give up.
            Poll::Pending
        } else {
            Poll::Ready(None)
        }
    }
}
