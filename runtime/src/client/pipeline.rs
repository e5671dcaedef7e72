//! [`ClientHandle`]: the configuration one client resolved, the retry
//! loop, and the operation timeout around it.

use super::abi::{parse_body, CallError, EndpointConfig, Response, ServiceInfo};
use super::attempt::{Attempt, AttemptError};
use super::clock_skew::ClockSkew;
use super::request::Target;
use crate::config::{ConfigError, SdkConfig, TimeoutConfig};
use crate::credentials::SharedCredentialsProvider;
use crate::endpoint::Endpoint;
use crate::error::{RequestError, RequestErrorKind};
use crate::http::{ResponseLimits, SharedHttpClient};
use crate::region::Region;
use crate::retry::adaptive::{ClientRateLimiter, RequestReason};
use crate::retry::{classify_response, jitter, RetryConfig, RetryKind, RetryMode, TokenBucket};
use bytes::Bytes;
use std::sync::Arc;
use std::time::SystemTime;

pub(super) struct Inner {
    pub(super) service: &'static ServiceInfo,
    pub(super) region: Result<Region, ConfigError>,
    pub(super) config_error: Option<ConfigError>,
    pub(super) credentials: SharedCredentialsProvider,
    pub(super) http: SharedHttpClient,
    pub(super) retry: RetryConfig,
    pub(super) quota: TokenBucket,
    pub(super) skew: ClockSkew,
    /// In the adaptive retry mode, shared by all calls of this client.
    pub(super) rate_limiter: Option<ClientRateLimiter>,
    pub(super) timeouts: TimeoutConfig,
    pub(super) limits: ResponseLimits,
    pub(super) endpoint_url: Option<String>,
    pub(super) use_fips: bool,
    pub(super) use_dual_stack: bool,
    pub(super) user_agent: String,
}

/// What a generated `Client` holds: the configuration resolved for one
/// service, shared by all clones.
#[derive(Clone)]
pub struct ClientHandle {
    pub(super) inner: Arc<Inner>,
}

impl std::fmt::Debug for ClientHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientHandle")
            .field("service", &self.inner.service.target_prefix)
            .field("region", &self.inner.region)
            .field(
                "endpoint_url",
                &self
                    .inner
                    .endpoint_url
                    .as_deref()
                    .map(crate::endpoint::redact_url),
            )
            .finish_non_exhaustive()
    }
}

/// The user agent: `<crate>/<version> aws-json-runtime/<version> [app/<name>]`.
fn user_agent(service: &ServiceInfo, app_name: Option<&str>) -> String {
    let mut ua = format!(
        "{} aws-json-runtime/{}",
        service.user_agent,
        env!("CARGO_PKG_VERSION")
    );
    if let Some(app) = app_name {
        ua.push_str(" app/");
        ua.push_str(app);
    }
    ua
}

impl ClientHandle {
    /// Resolves `config` for `service`.
    pub fn new(config: &SdkConfig, service: &'static ServiceInfo) -> Self {
        Self {
            inner: Arc::new(Inner {
                service,
                region: config.region.clone(),
                config_error: config.errors.first().cloned(),
                credentials: config.credentials.clone(),
                http: config.http_client.clone(),
                retry: config.retry,
                quota: TokenBucket::default(),
                skew: ClockSkew::default(),
                rate_limiter: (config.retry.mode() == RetryMode::Adaptive)
                    .then(ClientRateLimiter::new),
                timeouts: config.timeouts,
                limits: config.limits,
                endpoint_url: config.service_endpoint_url(service.env_suffix, service.profile_key),
                use_fips: config.use_fips,
                use_dual_stack: config.use_dual_stack,
                user_agent: user_agent(service, config.app_name()),
            }),
        }
    }

    /// The endpoint the next call would go to.
    pub fn resolve_endpoint(&self) -> Result<Endpoint, RequestError> {
        let inner = &self.inner;
        let params = EndpointConfig {
            region: inner.region.as_ref().ok().map(Region::as_ref),
            use_fips: inner.use_fips,
            use_dual_stack: inner.use_dual_stack,
            endpoint_url: inner.endpoint_url.as_deref(),
        };
        (inner.service.resolve_endpoint)(&params).map_err(|e| {
            // A rule's message may quote the configured URL.
            let mut message = e.message().to_owned();
            if let Some(url) = inner.endpoint_url.as_deref() {
                message = message.replace(url, &crate::endpoint::redact_url(url));
            }
            RequestError::new(RequestErrorKind::Configuration, message)
        })
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
        self.call_with_host_prefix(operation, body, None).await
    }

    /// What every generated operation does: serializes `input`, calls
    /// `operation` (with the host prefix, if it has one), and parses the
    /// output; `error` turns a failed call into the operation's error.
    pub async fn send<I, O, E>(
        &self,
        operation: &'static str,
        input: &I,
        host_prefix: Option<String>,
        error: fn(CallError) -> E,
    ) -> Result<O, E>
    where
        I: crate::json::Serialize,
        O: crate::json::Deserialize,
        E: From<RequestError>,
    {
        let body = crate::json::to_vec(input).map_err(RequestError::from)?;
        let response = self
            .call_with_host_prefix(operation, body, host_prefix)
            .await
            .map_err(error)?;
        Ok(parse_body(&response.body, &response.meta)?)
    }

    /// [`call`](Self::call) for an operation with an `@endpoint` host
    /// prefix: `host_prefix` (already filled from the input and checked) is
    /// put in front of the endpoint's host.
    pub async fn call_with_host_prefix(
        &self,
        operation: &'static str,
        body: Vec<u8>,
        host_prefix: Option<String>,
    ) -> Result<Response, CallError> {
        let calls = self.call_with_retries(operation, body, host_prefix.as_deref());
        match self.inner.timeouts.operation() {
            None => calls.await,
            Some(limit) => tokio::time::timeout(limit, calls).await.unwrap_or_else(|_| {
                Err(RequestError::new(
                    RequestErrorKind::Timeout,
                    format!("{operation} did not complete within the operation timeout of {limit:?}"),
                )
                .into())
            }),
        }
    }

    async fn call_with_retries(
        &self,
        operation: &'static str,
        body: Vec<u8>,
        host_prefix: Option<&str>,
    ) -> Result<Response, CallError> {
        let inner = &self.inner;
        if let Some(e) = &inner.config_error {
            return Err(RequestError::new(RequestErrorKind::Configuration, e.to_string()).into());
        }
        let region = inner
            .region
            .as_ref()
            .map_err(|e| RequestError::new(RequestErrorKind::Configuration, e.to_string()))?;
        let endpoint = self.resolve_endpoint()?;
        let target = Target::parse(endpoint.url())
            .and_then(|t| match host_prefix {
                Some(prefix) => t.with_host_prefix(prefix),
                None => Ok(t),
            })
            .map_err(|why| {
                RequestError::new(
                    RequestErrorKind::Configuration,
                    format!(
                        "the endpoint `{}` cannot be used: {why}",
                        crate::endpoint::redact_url(endpoint.url())
                    ),
                )
            })?;
        let body = Bytes::from(body);
        let max = inner.retry.max_attempts();
        let mut last_retry_cost = None;
        let mut attempt = 1;
        let mut reason = RequestReason::InitialRequest;
        let mut skew_corrected = false;
        loop {
            if let Some(limiter) = &inner.rate_limiter {
                limiter.wait_for(reason).await;
            }
            let outcome = self
                .attempt(operation, region, &endpoint, &target, body.clone())
                .await;
            let (kind, retry_after, error) = match outcome {
                Ok(Attempt::Success(response)) => {
                    inner.quota.success(last_retry_cost);
                    if let Some(limiter) = &inner.rate_limiter {
                        limiter.update(false);
                    }
                    return Ok(response);
                }
                Ok(Attempt::Failed(error)) => {
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
                    if corrected && attempt < max {
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
                    (kind, error.retry_after, CallError::Service(error.error))
                }
                Err(AttemptError::Retryable(e)) => {
                    (RetryKind::Transient, None, CallError::Request(e))
                }
                Err(AttemptError::Fatal(e)) => return Err(CallError::Request(e)),
            };
            if kind == RetryKind::NotRetryable || attempt >= max {
                return Err(error);
            }
            let cost = kind.cost();
            if !inner.quota.try_acquire(cost) {
                return Err(error);
            }
            last_retry_cost = Some(cost);
            let delay = match retry_after {
                Some(ms) => inner.retry.retry_after(ms),
                None => inner.retry.backoff(attempt, jitter()),
            };
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
