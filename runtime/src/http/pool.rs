//! The default client's connection pool, over `hyper::client::conn::http1`:
//! per scheme and authority, the connections not in use, most recently
//! used first; a connection goes back when its response body has been read
//! to the end (a body dropped earlier takes its connection with it), and a
//! reaper task closes those idle longer than [`PoolConfig`]'s idle timeout.
//!
//! Per request this costs a short mutex-held scan (hosts compared as
//! bytes; no hashing), a readiness check of the connection taken, and the
//! request's URI rewritten to origin form (`/path?query`, a `Bytes`
//! clone); nothing is spawned per request (hyper-util's legacy pool spawns
//! a task to return each connection).

use super::body::{BoxError, ResponseBody};
use super::hyper_client::PoolConfig;
use super::{ConnectorError, ConnectorErrorKind, HttpRequest, HttpResponse};
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// How a pool opens a connection to `scheme://authority` (TCP, TLS, proxy
/// tunnel): the hyper-util connector stack the client was built with.
pub(crate) type Connector = hyper_rustls::HttpsConnector<super::proxy::ProxyConnector>;

type Sender = SendRequest<Full<Bytes>>;

/// A request is sent again on another connection when the one it was
/// given turned out closed before anything was written (a server's
/// keep-alive timeout racing the request); at most this many times.
const UNSENT_RETRIES: usize = 2;

/// The pool: shared by every clone of a [`HyperClient`](super::HyperClient).
pub(crate) struct Pool {
    connector: Connector,
    config: PoolConfig,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    hosts: Vec<Host>,
    /// Whether a reaper task is watching the idle connections.
    reaping: bool,
    /// Reaper tasks started.
    #[cfg(test)]
    reapers: usize,
}

impl State {
    /// The entry of `scheme://authority`, added when there is none.
    fn host(&mut self, https: bool, authority: &str) -> &mut Host {
        let at = self
            .hosts
            .iter()
            .position(|h| h.https == https && h.authority.as_bytes() == authority.as_bytes());
        let i = match at {
            Some(i) => i,
            None => {
                self.hosts.push(Host {
                    https,
                    authority: Arc::from(authority),
                    idle: Vec::new(),
                });
                self.hosts.len() - 1
            }
        };
        &mut self.hosts[i]
    }
}

/// The idle connections to one `scheme://authority`.
struct Host {
    https: bool,
    authority: Arc<str>,
    /// Most recently returned last.
    idle: Vec<Idle>,
}

struct Idle {
    sender: Sender,
    since: Instant,
}

/// Which pool entry a connection belongs to.
#[derive(Clone)]
struct Key {
    https: bool,
    authority: Arc<str>,
}

impl Pool {
    pub(crate) fn new(connector: Connector, config: PoolConfig) -> Arc<Self> {
        Arc::new(Self {
            connector,
            config,
            state: Mutex::new(State::default()),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends `request` (an absolute URI: where to connect) on an idle
    /// connection to its host, or a new one. The checks and the URI
    /// rewrite happen here, before the future is built: its state holds
    /// only what waiting needs.
    pub(crate) fn send(
        self: &Arc<Self>,
        request: HttpRequest,
    ) -> super::BoxFuture<'static, Result<HttpResponse, ConnectorError>> {
        match prepare(request) {
            Ok(prepared) => Box::pin(Arc::clone(self).send_prepared(prepared)),
            Err(e) => Box::pin(std::future::ready(Err(e))),
        }
    }

    /// What [`send`](Self::send) waits for. An `async move` block, not an
    /// `async fn`, which would keep `prepared` twice in its state.
    // Not an `async fn` on purpose (see above): its state would hold the
    // arguments twice.
    #[allow(clippy::manual_async_fn)]
    fn send_prepared(
        self: Arc<Self>,
        prepared: Prepared,
    ) -> impl std::future::Future<Output = Result<HttpResponse, ConnectorError>> + Send {
        async move {
            let (sender, key) = self.take_idle(prepared.https, prepared.authority()).await;
            let mut sender = match sender {
                Some(sender) => sender,
                // Boxed, as below: connecting is the rare case, and its
                // state (~2 KB) would otherwise be part of every request's
                // future.
                None => Box::pin(self.connect(&prepared.target)).await?,
            };
            let unsent = match sender.try_send_request(prepared.request).await {
                Ok(response) => return Ok(self.response(response, key, sender)),
                Err(mut e) => match e.take_message() {
                    // Not written: another connection can take it.
                    Some(back) => back,
                    None => {
                        return Err(ConnectorError::new(ConnectorErrorKind::Io, e.into_error()))
                    }
                },
            };
            Box::pin(self.send_again(unsent, &prepared.target, key)).await
        }
    }

    /// Sends `request`, which a connection gave back unwritten (it turned
    /// out closed), on new connections: at most [`UNSENT_RETRIES`] times.
    async fn send_again(
        self: &Arc<Self>,
        mut request: http::Request<Full<Bytes>>,
        target: &http::Uri,
        key: Key,
    ) -> Result<HttpResponse, ConnectorError> {
        let mut unsent = 1;
        loop {
            let mut sender = self.connect(target).await?;
            match sender.try_send_request(request).await {
                Ok(response) => return Ok(self.response(response, key, sender)),
                Err(mut e) => match e.take_message() {
                    Some(back) if unsent < UNSENT_RETRIES => {
                        unsent += 1;
                        request = back;
                    }
                    _ => return Err(ConnectorError::new(ConnectorErrorKind::Io, e.into_error())),
                },
            }
        }
    }

    /// The response, its body returning `sender` to the pool when read.
    fn response(
        self: &Arc<Self>,
        response: http::Response<Incoming>,
        key: Key,
        sender: Sender,
    ) -> HttpResponse {
        let (parts, body) = response.into_parts();
        let body = PooledBody {
            body,
            back: Some(Back {
                pool: Arc::downgrade(self),
                key,
                sender,
            }),
        };
        http::Response::from_parts(parts, ResponseBody::pooled(body))
    }

    /// An idle connection to the host, ready to send (closed and expired
    /// ones are dropped on the way), and the host's key.
    async fn take_idle(&self, https: bool, authority: &str) -> (Option<Sender>, Key) {
        loop {
            let (found, key) = {
                let mut state = self.lock();
                let host = state.host(https, authority);
                let now = Instant::now();
                let mut found = None;
                while let Some(idle) = host.idle.pop() {
                    if !idle.sender.is_closed() && !self.expired(&idle, now) {
                        found = Some(idle.sender);
                        break;
                    }
                }
                let key = Key {
                    https,
                    authority: Arc::clone(&host.authority),
                };
                (found, key)
            };
            let Some(mut sender) = found else {
                return (None, key);
            };
            // Usually ready at once; a connection whose last response was
            // just read may need its task to run first. An error: it closed.
            if sender.ready().await.is_ok() {
                return (Some(sender), key);
            }
        }
    }

    /// Reaper tasks started so far.
    #[cfg(test)]
    pub(crate) fn reapers_started(&self) -> usize {
        self.lock().reapers
    }

    fn expired(&self, idle: &Idle, now: Instant) -> bool {
        self.config
            .idle_timeout()
            .is_some_and(|limit| now.saturating_duration_since(idle.since) >= limit)
    }

    /// A new connection to `uri`'s host, its task spawned.
    async fn connect(&self, uri: &http::Uri) -> Result<Sender, ConnectorError> {
        use tower_service::Service;
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| {
            invalid("the default HTTP client runs on a tokio runtime, and there is none")
        })?;
        let mut connector = self.connector.clone();
        std::future::poll_fn(|cx| connector.poll_ready(cx))
            .await
            .map_err(connect_error)?;
        let io = connector.call(uri.clone()).await.map_err(connect_error)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|e| ConnectorError::new(ConnectorErrorKind::Io, e))?;
        runtime.spawn(async move {
            // Its errors reach the request using it.
            let _ = connection.await;
        });
        Ok(sender)
    }

    /// Keeps `sender` for the next request to its host, unless the host
    /// has as many idle connections as allowed or it closed.
    fn give_back(self: Arc<Self>, key: &Key, sender: Sender) {
        let max = self.config.max_idle_per_host();
        if max == 0 || sender.is_closed() {
            return;
        }
        let mut state = self.lock();
        // Added again if the reaper removed the host meanwhile.
        let host = state.host(key.https, &key.authority);
        if host.idle.len() >= max {
            drop(state);
            return; // `sender` dropped: its connection closes.
        }
        host.idle.push(Idle {
            sender,
            since: Instant::now(),
        });
        if let Some(timeout) = self.config.idle_timeout() {
            if !state.reaping {
                if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                    state.reaping = true;
                    #[cfg(test)]
                    {
                        state.reapers += 1;
                    }
                    drop(state);
                    runtime.spawn(reap(Arc::downgrade(&self), timeout));
                }
            }
        }
    }
}

/// Closes idle connections once they have been idle for `timeout`, waking
/// at the next expiry; ends when no connection was idle at two passes a
/// `timeout` apart (the next one kept starts another) or the pool is gone.
/// Not at the first pass that finds none: in a busy pool that is usual
/// (the connection just kept is in use again), and a reaper spawned per
/// request would be the cost.
async fn reap(pool: Weak<Pool>, timeout: Duration) {
    /// Clears the pool's `reaping` flag if the task ends unexpectedly (its
    /// runtime may shut down while it sleeps).
    struct Reaping {
        pool: Weak<Pool>,
        armed: bool,
    }
    impl Drop for Reaping {
        fn drop(&mut self) {
            if let (true, Some(pool)) = (self.armed, self.pool.upgrade()) {
                pool.lock().reaping = false;
            }
        }
    }
    // A timeout of years is as good as none, and keeps the arithmetic safe.
    let timeout = timeout.min(Duration::from_secs(100 * 365 * 86_400));
    let mut reaping = Reaping {
        pool: pool.clone(),
        armed: true,
    };
    // Passes in a row that found no connection idle.
    let mut empty_passes = 0;
    loop {
        let next = {
            let Some(pool) = pool.upgrade() else { return };
            let now = Instant::now();
            let mut closing = Vec::new();
            let mut state = pool.lock();
            for host in &mut state.hosts {
                let (keep, expired): (Vec<Idle>, Vec<Idle>) = std::mem::take(&mut host.idle)
                    .into_iter()
                    .partition(|idle| {
                        !idle.sender.is_closed()
                            && now.saturating_duration_since(idle.since) < timeout
                    });
                host.idle = keep;
                closing.extend(expired);
            }
            state.hosts.retain(|h| !h.idle.is_empty());
            let oldest = state
                .hosts
                .iter()
                .flat_map(|h| &h.idle)
                .map(|i| i.since)
                .min();
            empty_passes = if oldest.is_none() { empty_passes + 1 } else { 0 };
            let done = empty_passes >= 2;
            if done {
                // Decided under the lock: the next connection kept starts
                // another reaper.
                state.reaping = false;
                reaping.armed = false;
            }
            drop(state);
            // Dropping a sender closes its connection (outside the lock).
            drop(closing);
            match oldest {
                None if done => return,
                None => now + timeout,
                Some(since) => since + timeout,
            }
        };
        tokio::time::sleep_until(next).await;
    }
}

/// A request made ready for a connection: its URI in origin form, the
/// absolute one kept as where to connect.
struct Prepared {
    request: http::Request<Full<Bytes>>,
    target: http::Uri,
    https: bool,
}

impl Prepared {
    /// `prepare` checked it is there.
    fn authority(&self) -> &str {
        self.target.authority().map_or("", |a| a.as_str())
    }
}

/// Checks that `request` says where to connect, sets its `Host` when
/// missing, and rewrites its URI to origin form (`/path?query`: the
/// connection already goes to the host).
fn prepare(mut request: HttpRequest) -> Result<Prepared, ConnectorError> {
    let origin = request
        .uri()
        .path_and_query()
        .cloned()
        .map_or_else(|| http::Uri::from_static("/"), http::Uri::from);
    let target = std::mem::replace(request.uri_mut(), origin);
    let https = match target.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(invalid("the request URI has no http or https scheme")),
    };
    if target.authority().is_none_or(|a| a.as_str().is_empty()) {
        return Err(invalid("the request URI has no host"));
    }
    if !request.headers().contains_key(http::header::HOST) {
        // As hyper-util sends it: the port only when not the scheme's.
        let host = crate::sigv4::host_from_uri(&target)
            .and_then(|h| http::HeaderValue::from_str(&h).ok())
            .ok_or_else(|| invalid("the request URI has no usable host"))?;
        request.headers_mut().insert(http::header::HOST, host);
    }
    let (parts, body) = request.into_parts();
    Ok(Prepared {
        request: http::Request::from_parts(parts, Full::new(body)),
        target,
        https,
    })
}

/// The response body: the connection goes back to the pool when it has
/// been read to the end.
pub(crate) struct PooledBody {
    body: Incoming,
    back: Option<Back>,
}

struct Back {
    pool: Weak<Pool>,
    key: Key,
    sender: Sender,
}

impl PooledBody {
    fn done(&mut self) {
        if let Some(back) = self.back.take() {
            if let Some(pool) = back.pool.upgrade() {
                pool.give_back(&back.key, back.sender);
            }
        }
    }
}

impl Body for PooledBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = &mut *self;
        let frame = Pin::new(&mut this.body).poll_frame(cx);
        match &frame {
            Poll::Ready(None) => this.done(),
            Poll::Ready(Some(Ok(_))) if this.body.is_end_stream() => this.done(),
            // An error: the connection is not reused.
            Poll::Ready(Some(Err(_))) => this.back = None,
            _ => {}
        }
        frame
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

fn invalid(why: &'static str) -> ConnectorError {
    ConnectorError::new(ConnectorErrorKind::Other, why)
}

fn connect_error(e: BoxError) -> ConnectorError {
    let kind = if is_timeout(e.as_ref()) {
        ConnectorErrorKind::Timeout
    } else {
        ConnectorErrorKind::Io
    };
    ConnectorError::new(kind, e)
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
