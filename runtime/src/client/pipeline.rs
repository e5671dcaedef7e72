//! [`ClientHandle`]: the configuration one client resolved, the retry
//! loop, and the operation timeout around it.

use super::abi::{parse_body, CallError, EndpointConfig, Operation, Response, Route, ServiceInfo};
use super::attempt::{Attempt, AttemptError, AttemptPlan};
use super::clock_skew::ClockSkew;
use super::discovery::{self, EndpointDiscovery, Key};
use super::request::Target;
use crate::compression::gzip;
use crate::config::{CallConfig, ClientConfig, ConfigError, SdkConfig, TimeoutConfig};
use crate::credentials::ProvideCredentials;
use crate::endpoint::Endpoint;
use crate::error::{RequestError, RequestErrorKind};
use crate::intercept::SharedInterceptor;
use crate::region::Region;
use crate::retry::adaptive::{ClientRateLimiter, RequestReason};
use crate::retry::{classify_response, jitter, RetryConfig, RetryKind, RetryMode, TokenBucket};
use crate::sigv4::SigningKeyCache;
use crate::trace::{self, event};
use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

pub(super) struct Inner {
    pub(super) service: &'static ServiceInfo,
    /// The client's settings, as given.
    pub(super) config: ClientConfig,
    pub(super) config_error: Option<ConfigError>,
    pub(super) quota: TokenBucket,
    pub(super) skew: ClockSkew,
    /// In the adaptive retry mode, shared by all calls of this client.
    pub(super) rate_limiter: Option<ClientRateLimiter>,
    /// The endpoint URL for this service: code, environment or profile.
    pub(super) endpoint_url: Option<String>,
    /// The `user-agent` header, or why the configured app name cannot be one.
    pub(super) user_agent: Result<HeaderValue, String>,
    /// The `content-type` header of the service's protocol.
    pub(super) content_type: Result<HeaderValue, String>,
    /// Where calls go, resolved at the first call that needs it: endpoint
    /// resolution depends only on this client's configuration.
    pub(super) resolved: OnceLock<Result<Resolved, String>>,
    /// The signing key of the last day, region and service signed for.
    pub(super) signing_keys: SigningKeyCache,
    /// Discovered endpoints ([`Route::Discovered`]).
    pub(super) discovery: discovery::Cache,
}

/// What endpoint resolution gave a client: the endpoint and its target.
pub(super) struct Resolved {
    pub(super) endpoint: Endpoint,
    pub(super) target: Target,
}

/// What a generated `Client` holds: the configuration resolved for one
/// service, shared by all clones; and what a fluent builder holds: that,
/// with the overrides of its one call.
#[derive(Clone)]
pub struct ClientHandle {
    pub(super) inner: Arc<Inner>,
    /// This call's overrides ([`customize`](Self::customize)).
    call: Option<Arc<CallConfig>>,
}

/// The operation a call is for: its name, and its `X-Amz-Target` value
/// when generated code knows it statically (else it is built from the
/// service's prefix and the name).
#[derive(Clone, Copy)]
pub(super) struct CallOperation {
    pub(super) name: &'static str,
    pub(super) target: Option<&'static str>,
}

/// A value the call either borrows from the client (the usual case) or
/// made for itself, boxed: the rare case is kept out of the call's state,
/// which holds a pointer either way.
enum MaybeBoxed<'a, T> {
    Borrowed(&'a T),
    Boxed(Box<T>),
}

impl<T> std::ops::Deref for MaybeBoxed<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Self::Borrowed(value) => value,
            Self::Boxed(value) => value,
        }
    }
}

/// The settings of one call: the client's with the call's overrides.
pub(super) struct CallSettings<'a> {
    pub(super) retry: RetryConfig,
    pub(super) timeouts: TimeoutConfig,
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) call: Option<&'a CallConfig>,
}

impl CallSettings<'_> {
    /// Every interceptor of the call: the client's, then the call's.
    pub(super) fn interceptors<'s>(
        &'s self,
        client: &'s [SharedInterceptor],
    ) -> impl Iterator<Item = &'s SharedInterceptor> {
        client
            .iter()
            .chain(self.call.map_or(&[][..], CallConfig::interceptors))
    }
}

impl std::fmt::Debug for ClientHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientHandle")
            .field("service", &self.inner.service.target_prefix)
            .field("region", &self.inner.config.region)
            .field(
                "endpoint_url",
                &self
                    .inner
                    .endpoint_url
                    .as_deref()
                    .map(crate::endpoint::redact_url),
            )
            .field("call", &self.call)
            .finish_non_exhaustive()
    }
}

/// The user agent: `<crate>/<version> aws-json-runtime/<version> [app/<name>]`,
/// or why the app name cannot be part of a header.
fn user_agent(service: &ServiceInfo, app_name: Option<&str>) -> Result<HeaderValue, String> {
    let mut ua = format!(
        "{} aws-json-runtime/{}",
        service.user_agent,
        env!("CARGO_PKG_VERSION")
    );
    if let Some(app) = app_name {
        ua.push_str(" app/");
        ua.push_str(app);
    }
    HeaderValue::from_maybe_shared(Bytes::from(ua)).map_err(|_| {
        format!(
            "the app name `{}` cannot be sent in the `user-agent` header",
            crate::client::cap(&app_name.unwrap_or_default().escape_debug().to_string(), 64)
        )
    })
}

impl ClientHandle {
    /// Resolves `config` for `service`.
    pub fn new(config: &SdkConfig, service: &'static ServiceInfo) -> Self {
        Self::from_conf(ClientConfig::from(config), service)
    }

    /// Resolves a client's `config` for `service`; the service's endpoint
    /// URL from the environment or profile is looked up now, when the
    /// config was made from a shared config.
    pub fn from_conf(config: ClientConfig, service: &'static ServiceInfo) -> Self {
        let endpoint_url = config.service_endpoint_url(service.env_suffix, service.profile_key);
        let user_agent = user_agent(service, config.app_name.as_deref());
        Self {
            inner: Arc::new(Inner {
                service,
                config_error: config.errors.first().cloned(),
                quota: TokenBucket::default(),
                skew: ClockSkew::default(),
                rate_limiter: (config.retry.mode() == RetryMode::Adaptive)
                    .then(ClientRateLimiter::new),
                endpoint_url,
                user_agent,
                // Static bytes: cloning it per request copies nothing.
                content_type: HeaderValue::from_maybe_shared(Bytes::from_static(
                    service.content_type.as_bytes(),
                ))
                .map_err(|_| {
                    format!(
                        "the content type `{}` cannot be sent in a header",
                        service.content_type.escape_debug()
                    )
                }),
                resolved: OnceLock::new(),
                signing_keys: SigningKeyCache::default(),
                discovery: discovery::Cache::default(),
                config,
            }),
            call: None,
        }
    }

    /// The client's configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// This handle with `customize` applied to the overrides of the call it
    /// makes (what a fluent builder's `customize` does); customizing again
    /// starts from the overrides set so far.
    pub fn customize(mut self, customize: impl FnOnce(CallConfig) -> CallConfig) -> Self {
        let current = self.call.take().map(|c| (*c).clone()).unwrap_or_default();
        self.call = Some(Arc::new(customize(current)));
        self
    }

    /// The endpoint the next call would go to.
    pub fn resolve_endpoint(&self) -> Result<Endpoint, RequestError> {
        self.endpoint()
            .map_err(|message| RequestError::new(RequestErrorKind::Configuration, message))
    }

    /// The endpoint of this client's configuration, or the message of the
    /// configuration error saying why there is none.
    fn endpoint(&self) -> Result<Endpoint, String> {
        let inner = &self.inner;
        let params = EndpointConfig {
            region: inner.config.region.as_ref().ok().map(Region::as_ref),
            use_fips: inner.config.use_fips,
            use_dual_stack: inner.config.use_dual_stack,
            endpoint_url: inner.endpoint_url.as_deref(),
        };
        (inner.service.resolve_endpoint)(&params).map_err(|e| {
            // A rule's message may quote the configured URL.
            let mut message = e.message().to_owned();
            if let Some(url) = inner.endpoint_url.as_deref() {
                message = message.replace(url, &crate::endpoint::redact_url(url));
            }
            message
        })
    }

    /// The endpoint and the target of the client's configuration, or the
    /// message of the configuration error saying why there is none.
    fn resolve_target(&self) -> Result<Resolved, String> {
        let endpoint = self.endpoint()?;
        let target =
            Target::parse(endpoint.url()).map_err(|why| unusable_endpoint(endpoint.url(), &why))?;
        Ok(Resolved { endpoint, target })
    }

    /// The clock skew correction in force, in milliseconds (service clock
    /// minus local clock; for tests and diagnostics).
    pub fn clock_skew_ms(&self) -> i64 {
        self.inner.skew.offset_ms()
    }

    /// The retry quota left (for tests and diagnostics).
    pub fn retry_quota(&self) -> u32 {
        self.inner.quota.available()
    }

    /// Sends operation `operation` with JSON `body`: endpoint, signing,
    /// timeouts and retries included.
    pub async fn call(
        &self,
        operation: &'static str,
        body: Vec<u8>,
    ) -> Result<Response, CallError> {
        self.call_routed(operation, body, Route::Endpoint).await
    }

    /// What every generated operation does: serializes `input`, calls
    /// `operation` at the resolved endpoint, and parses the output, which
    /// keeps the response's request ID; `error` turns a failed call into
    /// the operation's error.
    pub async fn send<I, O, E>(
        &self,
        operation: Operation,
        input: &I,
        error: fn(CallError) -> E,
    ) -> Result<O, E>
    where
        I: crate::json::Serialize,
        O: crate::json::Deserialize + super::Output,
        E: From<RequestError>,
    {
        self.send_routed(operation, input, Route::Endpoint, error)
            .await
    }

    /// [`send`](Self::send) to where `route` says (a host prefix, a URL
    /// from the input).
    pub async fn send_routed<I, O, E>(
        &self,
        operation: Operation,
        input: &I,
        route: Route,
        error: fn(CallError) -> E,
    ) -> Result<O, E>
    where
        I: crate::json::Serialize,
        O: crate::json::Deserialize + super::Output,
        E: From<RequestError>,
    {
        let body = crate::json::to_vec(input).map_err(RequestError::from)?;
        let operation = CallOperation {
            name: operation.name,
            target: Some(operation.target),
        };
        let response = self
            .call_boxed(operation, body, route)
            .await
            .map_err(error)?;
        let mut output: O = parse_body(&response.body, &response.meta)?;
        output.set_request_id(response.meta.request_id);
        Ok(output)
    }

    /// [`call`](Self::call) to where `route` says: the resolved endpoint,
    /// with a host prefix, or a URL from the input.
    ///
    /// Boxed, so the pipeline's state machine is compiled once, here: an
    /// `async fn`'s body is compiled in each crate that awaits it, and
    /// generated clients await this from every operation's generic `send`.
    pub fn call_routed(
        &self,
        operation: &'static str,
        body: Vec<u8>,
        route: Route,
    ) -> crate::http::BoxFuture<'_, Result<Response, CallError>> {
        let operation = CallOperation {
            name: operation,
            target: None,
        };
        self.call_boxed(operation, body, route)
    }

    /// [`call_routed`](Self::call_routed) of `operation`, whose
    /// `X-Amz-Target` value generated operations know statically.
    fn call_boxed(
        &self,
        operation: CallOperation,
        body: Vec<u8>,
        route: Route,
    ) -> crate::http::BoxFuture<'_, Result<Response, CallError>> {
        let span = trace::call_span(self.inner.service.signing_name, operation.name);
        Box::pin(trace::instrument(
            self.call_in_span(operation, body, route),
            span,
        ))
    }

    // Not an `async fn`, and the ones it awaits neither: an `async fn`'s
    // state holds each argument twice (as passed, and as the local it
    // moves into); an `async move` block holds it once. The call's state
    // is one allocation per call, above the allocator's small-size cache.
    #[allow(clippy::manual_async_fn)]
    fn call_in_span(
        &self,
        operation: CallOperation,
        body: Vec<u8>,
        route: Route,
    ) -> impl std::future::Future<Output = Result<Response, CallError>> + Send + '_ {
        async move {
            let call = self.call.as_deref();
            let operation_name = operation.name;
            let client = &self.inner.config;
            let headers = call
                .map(CallConfig::parsed_headers)
                .transpose()
                .map_err(|why| {
                    RequestError::new(
                        RequestErrorKind::Configuration,
                        format!("{operation_name} was customized with an unusable header: {why}"),
                    )
                })?
                .unwrap_or_default();
            let settings = CallSettings {
                retry: call.map_or(client.retry, |c| c.retry(client.retry)),
                timeouts: call.map_or(client.timeouts, |c| c.timeouts(client.timeouts)),
                headers,
                call,
            };
            let attempts = AtomicU32::new(0);
            // Pinned where it is: the timeout takes a reference, not a copy.
            let calls = std::pin::pin!(
                self.call_with_retries(operation, body, &route, &settings, &attempts)
            );
            let result = match settings.timeouts.operation() {
            None => calls.await,
            // Boxed: a timer (~120 bytes) the call's state holds only when
            // an operation timeout is set (none by default).
            Some(limit) => Box::pin(tokio::time::timeout(limit, calls)).await.unwrap_or_else(|_| {
                event!(debug, timeout = "operation", limit_ms = trace::millis(limit), "timed out");
                Err(RequestError::new(
                    RequestErrorKind::Timeout,
                    format!("{operation_name} did not complete within the operation timeout of {limit:?}"),
                )
                .into())
            }),
        };
            event!(
                debug,
                attempts = attempts.load(Ordering::Relaxed),
                outcome = match &result {
                    Ok(_) => "success",
                    Err(CallError::Service(_)) => "service_error",
                    Err(CallError::Request(e)) => request_error_outcome(e),
                },
                "call finished"
            );
            result
        }
    }

    /// `body` gzip-compressed, when `operation` is `@requestCompression`
    /// and the body is large enough (see [`crate::compression`]).
    fn compression(&self, operation: &str, body: &[u8]) -> Option<Vec<u8>> {
        let inner = &self.inner;
        (inner.service.compressed_operations.contains(&operation)
            && inner.config.compression.applies_to(body.len()))
        .then(|| gzip(body))
    }

    /// The endpoint and target of a call routed by `route`: the client's
    /// (resolved at its first call, then reused), with a host prefix, or a
    /// URL from the input.
    fn route(
        &self,
        route: &Route,
    ) -> Result<(MaybeBoxed<'_, Endpoint>, MaybeBoxed<'_, Target>), RequestError> {
        if let Route::InputUrl { member, url } = route {
            let target = Target::parse(url).map_err(|why| {
                RequestError::new(
                    RequestErrorKind::InvalidInput,
                    format!(
                        "`{member}` is where the request goes, but {}",
                        unusable_endpoint(url, &why)
                    ),
                )
            })?;
            return Ok((
                MaybeBoxed::Boxed(Box::new(Endpoint::new(url.clone()))),
                MaybeBoxed::Boxed(Box::new(target)),
            ));
        }
        let resolved = self
            .inner
            .resolved
            .get_or_init(|| self.resolve_target())
            .as_ref()
            .map_err(|message| {
                RequestError::new(RequestErrorKind::Configuration, message.clone())
            })?;
        let endpoint = &resolved.endpoint;
        let target = match route {
            Route::HostPrefix(prefix) => MaybeBoxed::Boxed(Box::new(
                resolved.target.with_host_prefix(prefix).map_err(|why| {
                    RequestError::new(
                        RequestErrorKind::Configuration,
                        unusable_endpoint(endpoint.url(), &why),
                    )
                })?,
            )),
            _ => MaybeBoxed::Borrowed(&resolved.target),
        };
        Ok((MaybeBoxed::Borrowed(endpoint), target))
    }

    #[allow(clippy::manual_async_fn)]
    fn call_with_retries<'a>(
        &'a self,
        operation: CallOperation,
        body: Vec<u8>,
        route: &'a Route,
        settings: &'a CallSettings<'_>,
        attempts: &'a AtomicU32,
    ) -> impl std::future::Future<Output = Result<Response, CallError>> + Send + 'a {
        async move {
            let inner = &self.inner;
            let operation_name = operation.name;
            if let Some(e) = &inner.config_error {
                return Err(
                    RequestError::new(RequestErrorKind::Configuration, e.to_string()).into(),
                );
            }
            let region =
                inner.config.region.as_ref().map_err(|e| {
                    RequestError::new(RequestErrorKind::Configuration, e.to_string())
                })?;
            let (endpoint, mut target) = self.route(route)?;
            // The endpoint discovered for this call, under its cache key: the
            // signing scope stays the resolved endpoint's.
            let mut discovered = None;
            if let (Route::Discovered { .. }, Some(discovery), None) = (
                route,
                &inner.service.endpoint_discovery,
                &inner.endpoint_url,
            ) {
                let (key, found) = self.discover(operation_name, route, discovery).await?;
                target = MaybeBoxed::Boxed(Box::new(found.target));
                // Boxed: the rare case, kept out of the call's state.
                discovered = Some(Box::new((key, found.url, discovery.invalid_endpoint_error)));
            }
            // The target never holds user info.
            event!(debug, endpoint = %target.uri(), "endpoint resolved");
            // Compressed once: every attempt sends (and signs) the same bytes.
            let (body, compressed) = match self.compression(operation_name, &body) {
                Some(gzipped) => (Bytes::from(gzipped), true),
                None => (Bytes::from(body), false),
            };
            let retry = &settings.retry;
            let max = retry.max_attempts();
            let mut last_retry_cost = None;
            let mut attempt = 1;
            let mut reason = RequestReason::InitialRequest;
            let mut skew_corrected = false;
            loop {
                attempts.store(attempt, Ordering::Relaxed);
                if let Some(limiter) = &inner.rate_limiter {
                    limiter.wait_for(reason).await;
                }
                let plan = AttemptPlan {
                    operation,
                    number: attempt,
                    region,
                    endpoint: &endpoint,
                    target: &target,
                    settings,
                    compressed,
                };
                // Pinned in place: the span's wrapper takes a reference, not a
                // copy of the attempt's state (~1 KB). In a block: its place in
                // this future's state ends with it, so the backoff's timer
                // below can share it.
                let outcome = {
                    let attempt_future = std::pin::pin!(self.attempt(&plan, body.clone()));
                    trace::instrument(attempt_future, trace::attempt_span(attempt)).await
                };
                let (kind, retry_after, error) = match outcome {
                    Ok(Attempt::Success(response)) => {
                        inner.quota.success(last_retry_cost);
                        if let Some(limiter) = &inner.rate_limiter {
                            limiter.update(false);
                        }
                        return Ok(response);
                    }
                    Ok(Attempt::Failed(error)) => {
                        if let Some((key, url, invalid)) = discovered.as_deref() {
                            if error.meta.code.as_deref() == Some(*invalid) {
                                event!(debug, "discovered endpoint invalidated");
                                inner.discovery.invalidate(key, url);
                            }
                        }
                        // Signed at the wrong time: the correction is kept for
                        // later calls even when no attempt is left for this one;
                        // the retry is once per call, at once, at no cost to the
                        // retry quota.
                        let corrected = !skew_corrected
                            && inner.skew.correct(
                                error.meta.code(),
                                error.server_date,
                                SystemTime::now(),
                            );
                        if corrected {
                            event!(
                                info,
                                offset_ms = inner.skew.offset_ms(),
                                "clock skew corrected"
                            );
                        }
                        if corrected && attempt < max {
                            event!(
                                debug,
                                reason = "clock skew corrected",
                                attempt,
                                delay_ms = 0,
                                "retrying"
                            );
                            skew_corrected = true;
                            attempt += 1;
                            reason = RequestReason::Retry;
                            continue;
                        }
                        let kind = classify_response(
                            error.meta.status,
                            error.meta.code.as_deref(),
                            inner.service.retryable_errors,
                        );
                        if let Some(limiter) = &inner.rate_limiter {
                            limiter.update(kind == RetryKind::Throttling);
                        }
                        (
                            kind,
                            error.retry_after,
                            CallError::Service(Box::new(error.error)),
                        )
                    }
                    Err(AttemptError::Retryable(e)) => {
                        (RetryKind::Transient, None, CallError::Request(e))
                    }
                    Err(AttemptError::Fatal(e)) => {
                        event!(debug, reason = "not retryable", "not retrying");
                        return Err(CallError::Request(e));
                    }
                };
                if kind == RetryKind::NotRetryable {
                    event!(debug, reason = %Why(kind, &error), "not retrying");
                    return Err(error);
                }
                if attempt >= max {
                    event!(debug, reason = %Why(kind, &error), max_attempts = max, "not retrying: no attempt left");
                    return Err(error);
                }
                let cost = kind.cost();
                if !inner.quota.try_acquire(cost) {
                    event!(debug, reason = %Why(kind, &error), "not retrying: the retry quota is exhausted");
                    return Err(error);
                }
                last_retry_cost = Some(cost);
                let delay = match retry_after {
                    Some(ms) => retry.retry_after(ms),
                    None => retry.backoff(attempt, jitter()),
                };
                event!(
                    debug,
                    reason = %Why(kind, &error),
                    attempt,
                    delay_ms = trace::millis(delay),
                    "retrying"
                );
                tokio::time::sleep(delay).await;
                attempt += 1;
                reason = if kind == RetryKind::Transient {
                    RequestReason::RetryTimeout
                } else {
                    RequestReason::Retry
                };
            }
        }
    }
}

impl ClientHandle {
    /// The endpoint discovered for `operation` (from the cache, or from a
    /// call of the discovery operation), with the key it is cached under.
    /// Boxed: this future contains a call future, which contains it.
    fn discover<'a>(
        &'a self,
        operation: &'static str,
        route: &'a Route,
        discovery: &'a EndpointDiscovery,
    ) -> crate::http::BoxFuture<'a, Result<(Key, discovery::Discovered), CallError>> {
        Box::pin(self.discover_now(operation, route, discovery))
    }

    async fn discover_now(
        &self,
        operation: &'static str,
        route: &Route,
        discovery: &EndpointDiscovery,
    ) -> Result<(Key, discovery::Discovered), CallError> {
        let inner = &self.inner;
        let credentials = inner
            .config
            .credentials
            .provide_credentials()
            .await
            .map_err(|e| {
                RequestError::new(RequestErrorKind::Credentials, e.to_string()).with_source(e)
            })?;
        let key = Key::new(credentials.access_key_id(), operation, route);
        let cache = &inner.discovery;
        if let Some(found) = cache.get(&key, tokio::time::Instant::now()) {
            return Ok((key, found));
        }
        // One discovery at a time: calls that missed wait, then find it.
        let _one = cache.discovering.lock().await;
        if let Some(found) = cache.get(&key, tokio::time::Instant::now()) {
            return Ok((key, found));
        }
        event!(debug, operation = discovery.operation, for_ = %key, "discovering the endpoint");
        // Without this call's overrides: the discovery call is the client's.
        let plain = ClientHandle {
            inner: Arc::clone(inner),
            call: None,
        };
        let response = plain
            .call_routed(discovery.operation, key.request_body(), Route::Endpoint)
            .await?;
        let found = discovery::parse_answer(&response.body, tokio::time::Instant::now()).map_err(
            |why| {
                RequestError::new(
                    RequestErrorKind::Response,
                    format!(
                        "{operation} goes to the endpoint {} names, but {why}",
                        discovery.operation
                    ),
                )
                .with_meta(response.meta.clone())
            },
        )?;
        event!(debug, endpoint = %found.target.uri(), "endpoint discovered");
        cache.insert(key.clone(), found.clone(), tokio::time::Instant::now());
        Ok((key, found))
    }
}

/// Why an endpoint URL cannot be sent to.
fn unusable_endpoint(url: &str, why: &str) -> String {
    format!(
        "the endpoint `{}` cannot be used: {why}",
        crate::endpoint::redact_url(url)
    )
}

/// The `outcome` of a call that got no answer, for its trace.
#[cfg(feature = "tracing")]
fn request_error_outcome(error: &RequestError) -> &'static str {
    match error.kind() {
        RequestErrorKind::InvalidInput => "invalid_input",
        RequestErrorKind::Configuration => "configuration_error",
        RequestErrorKind::Credentials => "credentials_error",
        RequestErrorKind::Timeout => "timeout",
        RequestErrorKind::Dispatch => "dispatch_error",
        RequestErrorKind::Response => "response_error",
        RequestErrorKind::Interceptor => "interceptor_error",
    }
}

/// Why a failed attempt is retried or not, for its trace: the kind of
/// failure with the error code and status (never the message, which the
/// service wrote and may be sensitive).
#[cfg(feature = "tracing")]
struct Why<'a>(RetryKind, &'a CallError);

#[cfg(feature = "tracing")]
impl std::fmt::Display for Why<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.0 {
            RetryKind::Throttling => "throttling",
            RetryKind::Transient => "transient error",
            RetryKind::Retryable => "retryable error",
            RetryKind::NotRetryable => "not retryable",
        };
        match self.1 {
            CallError::Service(e) => write!(
                f,
                "{kind}: {} (HTTP {})",
                e.meta.code().unwrap_or("no error code"),
                e.meta.status()
            ),
            CallError::Request(e) => {
                let what = match e.kind() {
                    RequestErrorKind::Timeout => "timeout",
                    RequestErrorKind::Dispatch => "connection failure",
                    _ => "request error",
                };
                write!(f, "{kind}: {what}")
            }
        }
    }
}
