//! One attempt of a call: build and sign the request, send it, and sort
//! the answer into success, service error or a failure to retry.

use super::abi::{Response, ServiceError};
use super::clock_skew::server_date;
use super::pipeline::{CallOperation, CallSettings, ClientHandle};
use super::request::{signing_scope, Target};
use super::wire_error::{cap, error_parts, scrub, MAX_REQUEST_ID};
use crate::credentials::{Credentials, ProvideCredentials};
use crate::endpoint::Endpoint;
use crate::error::{ErrorMeta, RequestError, RequestErrorKind};
use crate::http::read::{content_length, read_body, BodyError, SizeLimit};
use crate::http::timer::until;
use crate::http::{BoxFuture, ConnectorError, ConnectorErrorKind, HttpRequest, HttpResponse};
use crate::intercept::{RequestContext, ResponseContext};
use crate::region::Region;
use crate::sigv4::{sign_http_request_with, SigningParams, SigningSettings};
use crate::trace::event;
use bytes::Bytes;
use http::HeaderValue;
use std::time::SystemTime;

const X_AMZ_TARGET: http::HeaderName = http::HeaderName::from_static("x-amz-target");
// The request ID's headers, the first present wins (typed: looking one up
// by `&str` parses the name each time).
const X_AMZN_REQUESTID: http::HeaderName = http::HeaderName::from_static("x-amzn-requestid");
const X_AMZ_REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-amz-request-id");

/// The headers every request gets: content type, target, user agent,
/// content length, host, date, authorization, and a session token or the
/// query mode.
const REQUEST_HEADERS: usize = 9;

/// `x-amz-target: <prefix>.<operation>`, written without `fmt` into a
/// buffer of exactly its size (the header value takes it as it is); `None`
/// when a name cannot be in a header.
fn target_header(prefix: &str, operation: &str) -> Option<HeaderValue> {
    let mut value = Vec::with_capacity(prefix.len() + 1 + operation.len());
    value.extend_from_slice(prefix.as_bytes());
    value.push(b'.');
    value.extend_from_slice(operation.as_bytes());
    HeaderValue::from_maybe_shared(Bytes::from(value)).ok()
}

/// The decimal digits of 0 to 999, three for each (`000`, `001`, ...,
/// `999`): a length below 1,000 is a slice of them.
static LENGTHS: [u8; 3000] = three_digit_numbers();

const fn three_digit_numbers() -> [u8; 3000] {
    let mut digits = [0; 3000];
    let mut n = 0;
    while n < 1000 {
        digits[3 * n] = b'0' + (n / 100) as u8;
        digits[3 * n + 1] = b'0' + (n / 10 % 10) as u8;
        digits[3 * n + 2] = b'0' + (n % 10) as u8;
        n += 1;
    }
    digits
}

/// `Content-Length: n`: below 1,000 (most awsJson requests) static bytes,
/// nothing allocated; else one allocation of exactly its size
/// (`HeaderValue::from(usize)` makes two: a 20-byte buffer, then the
/// shared header `Bytes` needs for a buffer with room to spare).
fn length_header(n: usize) -> HeaderValue {
    if n < 1000 {
        let leading_zeros = match n {
            0..=9 => 2,
            10..=99 => 1,
            _ => 0,
        };
        let digits = LENGTHS.get(3 * n + leading_zeros..3 * n + 3);
        if let Some(Ok(value)) =
            digits.map(|d| HeaderValue::from_maybe_shared(Bytes::from_static(d)))
        {
            return value;
        }
    }
    let digits = itoa::Buffer::new().format(n).as_bytes().to_vec();
    match HeaderValue::from_maybe_shared(Bytes::from(digits)) {
        Ok(value) => value,
        // Unreachable: digits are a valid header value.
        Err(_) => HeaderValue::from(n),
    }
}

/// What one attempt works on: the call's settings and where it goes.
pub(super) struct AttemptPlan<'a> {
    /// The operation's name and, when known statically, its
    /// `X-Amz-Target` value.
    pub(super) operation: CallOperation,
    pub(super) number: u32,
    pub(super) region: &'a Region,
    pub(super) endpoint: &'a Endpoint,
    pub(super) target: &'a Target,
    pub(super) settings: &'a CallSettings<'a>,
    /// The body is gzip-compressed (`Content-Encoding: gzip`).
    pub(super) compressed: bool,
}

impl ClientHandle {
    // Not an `async fn` (nor is `exchange`): an `async fn`'s state holds
    // each argument twice, an `async move` block once.
    #[allow(clippy::manual_async_fn)]
    pub(super) fn attempt<'a>(
        &'a self,
        plan: &'a AttemptPlan<'_>,
        body: Bytes,
    ) -> impl std::future::Future<Output = Result<Attempt, AttemptError>> + Send + 'a {
        async move {
            let operation = plan.operation.name;
            // In a block: the request's slot in this future's state ends with
            // it, so the exchange's can take its place.
            let (send, credentials) = {
                let request = self.build_request(plan, body)?;
                // Credentials are fetched per attempt: the cache hands out the
                // same ones until they near expiry, and a long retry sequence
                // then signs with fresh ones. Fresh ones at hand (static, or a
                // cache's) need no future.
                let provider = &self.inner.config.credentials;
                let (mut request, credentials) = match provider.credentials_at_hand() {
                    Some(credentials) => (request, credentials),
                    None => {
                        // Boxed while the provider is waited for: the rare
                        // case, and the request (~250 bytes) is then not part
                        // of every attempt's state.
                        let request = Box::new(request);
                        let credentials = provider.provide_credentials().await.map_err(|e| {
                            AttemptError::Fatal(
                                RequestError::new(RequestErrorKind::Credentials, e.to_string())
                                    .with_source(e),
                            )
                        })?;
                        (*request, credentials)
                    }
                };
                self.sign_request(plan, &mut request, &credentials)?;
                // The transport's future is made here: the exchange's state
                // then holds it, not the request as well.
                (self.inner.config.http.client.call(request), credentials)
            };
            // Pinned where it is: the timeout takes a reference, not a copy of
            // its state.
            let exchange = std::pin::pin!(self.exchange(plan, send, &credentials));
            match plan.settings.timeouts.attempt() {
                None => exchange.await,
                // Boxed: a timer (~120 bytes) the attempt's state holds only
                // when an attempt timeout is set (none by default).
                Some(limit) => Box::pin(tokio::time::timeout(limit, exchange))
                    .await
                    .unwrap_or_else(|_| {
                        event!(
                            debug,
                            timeout = "attempt",
                            limit_ms = crate::trace::millis(limit),
                            "timed out"
                        );
                        Err(AttemptError::Retryable(RequestError::new(
                            RequestErrorKind::Timeout,
                            format!(
                            "no response to {operation} within the attempt timeout of {limit:?} \
                             (`TimeoutConfig::with_attempt_timeout`)"
                        ),
                        )))
                    }),
            }
        }
    }

    /// Sends `request` and reads the answer within the configured limits.
    #[allow(clippy::manual_async_fn)]
    fn exchange<'a>(
        &'a self,
        plan: &'a AttemptPlan<'_>,
        send: BoxFuture<'a, Result<HttpResponse, ConnectorError>>,
        credentials: &'a Credentials,
    ) -> impl std::future::Future<Output = Result<Attempt, AttemptError>> + Send + 'a {
        async move {
            let operation = plan.operation.name;
            let timeouts = &plan.settings.timeouts;
            let inner = &self.inner;
            // The attempt's one timer: the response-headers timeout, then the
            // stall checks of the body (see `http::timer`).
            let started = tokio::time::Instant::now();
            let headers_deadline = timeouts
                .response_headers()
                .and_then(|limit| Some((limit, started.checked_add(limit)?)));
            let mut timer = std::pin::pin!(tokio::time::sleep_until(
                headers_deadline.map_or(started, |(_, at)| at)
            ));
            let response = match headers_deadline {
            None => send.await,
            Some((limit, at)) => until(send, at, timer.as_mut()).await.ok_or_else(|| {
                event!(
                    debug,
                    timeout = "response_headers",
                    limit_ms = crate::trace::millis(limit),
                    "timed out"
                );
                AttemptError::Retryable(RequestError::new(
                    RequestErrorKind::Timeout,
                    format!(
                        "no response headers for {operation} within {limit:?} \
                         (the response-headers timeout, `TimeoutConfig::with_response_headers_timeout`)"
                    ),
                ))
            })?,
        };
            let response = response.map_err(|e| {
                let kind = match e.kind() {
                    ConnectorErrorKind::Timeout => RequestErrorKind::Timeout,
                    _ => RequestErrorKind::Dispatch,
                };
                AttemptError::Retryable(RequestError::new(kind, e.to_string()).with_source(e))
            })?;
            let (parts, body) = response.into_parts();
            let request_id = [X_AMZN_REQUESTID, X_AMZ_REQUEST_ID]
                .iter()
                .find_map(|h| parts.headers.get(h))
                .and_then(|v| v.to_str().ok())
                .map(|v| cap(v, MAX_REQUEST_ID));
            let status = parts.status.as_u16();
            let success = parts.status.is_success();
            let limits = &inner.config.limits;
            let limit = if success {
                SizeLimit {
                    max: limits.max_body(),
                    truncate: false,
                    name: "`ResponseLimits::with_max_body` (`ConfigLoader::response_limits`)",
                }
            } else {
                SizeLimit {
                    max: limits.max_error_body(),
                    truncate: true,
                    name: "`ResponseLimits::with_max_error_body` (`ConfigLoader::response_limits`)",
                }
            };
            let read = read_body(
                body,
                content_length(&parts.headers),
                limit,
                timeouts
                    .minimum_throughput()
                    .map(|min| (min, timer.as_mut())),
            )
            .await
            .map_err(|e| {
                let meta = ErrorMeta::new(None, None, status, request_id.clone());
                if let BodyError::Stalled { .. } = e {
                    event!(debug, timeout = "stalled_body", status, "timed out");
                }
                match e {
                    BodyError::TooLarge { .. } => AttemptError::Fatal(
                        RequestError::new(
                            RequestErrorKind::Response,
                            format!("the response to {operation} was refused: {e}"),
                        )
                        .with_meta(meta),
                    ),
                    BodyError::Stalled { .. } => AttemptError::Retryable(
                        RequestError::new(RequestErrorKind::Timeout, e.to_string()).with_meta(meta),
                    ),
                    BodyError::Transport(_) => AttemptError::Retryable(
                        RequestError::new(RequestErrorKind::Dispatch, e.to_string())
                            .with_meta(meta)
                            .with_source(e),
                    ),
                }
            })?;
            let context = ResponseContext {
                operation,
                attempt: plan.number,
                status: parts.status,
                headers: &parts.headers,
                body: &read.bytes,
            };
            for interceptor in plan.settings.interceptors(&inner.config.interceptors) {
                let interceptor = interceptor.get();
                event!(
                    trace,
                    interceptor = interceptor.name(),
                    hook = "read_after_response",
                    "interceptor"
                );
                interceptor
                    .read_after_response(&context)
                    .map_err(|e| hook_failed(interceptor.name(), "read_after_response", e))?;
            }
            if success {
                event!(
                    debug,
                    status,
                    request_id = request_id.as_deref(),
                    "response"
                );
                return Ok(Attempt::Success(Response {
                    body: read.bytes,
                    meta: ErrorMeta::new(None, None, status, request_id),
                }));
            }
            let header_code = parts
                .headers
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok());
            let query_error = if inner.service.query_compatible {
                parts
                    .headers
                    .get("x-amzn-query-error")
                    .and_then(|v| v.to_str().ok())
                    .and_then(query_error)
            } else {
                None
            };
            // Services echo signed headers in signature errors ("The Canonical
            // String for this request should have been ..."), session token
            // included: it must not reach an error's text.
            let secrets = [
                Some(credentials.secret_access_key()),
                credentials.session_token(),
            ];
            let body = scrub(read.bytes, secrets.iter().flatten().copied());
            let (code, message) = error_parts(header_code, &body, read.truncated);
            event!(
                debug,
                status,
                request_id = request_id.as_deref(),
                code = code.as_deref(),
                "response"
            );
            let retry_after = parts
                .headers
                .get("x-amz-retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let mut meta = ErrorMeta::new(code, message, status, request_id);
            if let Some((code, fault)) = query_error {
                meta = meta.with_query_error(code, fault);
            }
            Ok(Attempt::Failed(FailedAttempt {
                meta: meta.clone(),
                retry_after,
                server_date: server_date(&parts.headers),
                error: ServiceError {
                    meta,
                    body,
                    truncated: read.truncated,
                },
            }))
        }
    }

    /// The request of an attempt, as interceptors left it, before it is
    /// signed.
    fn build_request(
        &self,
        plan: &AttemptPlan<'_>,
        body: Bytes,
    ) -> Result<HttpRequest, AttemptError> {
        let AttemptPlan {
            operation,
            endpoint,
            target,
            settings,
            ..
        } = *plan;
        let CallOperation {
            name: operation,
            target: amz_target,
        } = operation;
        let inner = &self.inner;
        let service = inner.service;
        let fatal = |message: String| {
            AttemptError::Fatal(RequestError::new(RequestErrorKind::Configuration, message))
        };
        let user_agent = inner.user_agent.clone().map_err(fatal)?;
        let content_type = inner.content_type.clone().map_err(fatal)?;
        let target_header = match amz_target {
            // Static bytes: nothing is allocated or copied.
            Some(value) => {
                HeaderValue::from_maybe_shared(Bytes::from_static(value.as_bytes())).ok()
            }
            None => target_header(service.target_prefix, operation),
        }
        .ok_or_else(|| fatal(format!("`{operation}` cannot be sent in `x-amz-target`")))?;
        let mut request = http::Request::new(body);
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = target.uri().clone();
        // Room for every header the request gets (ours, the endpoint's, the
        // call's, the signature's), so the map never grows.
        let headers = request.headers_mut();
        headers.reserve(
            REQUEST_HEADERS
                + endpoint.headers().values().map(Vec::len).sum::<usize>()
                + settings.headers.len(),
        );
        headers.insert(http::header::CONTENT_TYPE, content_type);
        headers.insert(X_AMZ_TARGET, target_header);
        headers.insert(http::header::USER_AGENT, user_agent);
        if service.query_compatible {
            headers.insert(
                http::HeaderName::from_static("x-amzn-query-mode"),
                HeaderValue::from_static("true"),
            );
        }
        for (name, values) in endpoint.headers() {
            if name.eq_ignore_ascii_case("host") {
                // The host is the endpoint URL's, and only that.
                return Err(fatal(format!(
                    "the endpoint `{}` sets a `host` header, which is not allowed",
                    crate::endpoint::redact_url(endpoint.url())
                )));
            }
            let invalid = |e: &dyn std::fmt::Display| {
                fatal(format!(
                    "the endpoint `{}` does not make a valid request: {e}",
                    crate::endpoint::redact_url(endpoint.url())
                ))
            };
            let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| invalid(&e))?;
            for value in values {
                let value = HeaderValue::from_str(value).map_err(|e| invalid(&e))?;
                request.headers_mut().append(name.clone(), value);
            }
        }
        // The call's headers and hooks, before signing: the signature
        // covers what they add. None may choose the host.
        for (name, value) in &settings.headers {
            request.headers_mut().insert(name, value.clone());
        }
        if plan.compressed {
            // Compression is the last coding applied: it comes last.
            let encoding = match request.headers().get(http::header::CONTENT_ENCODING) {
                Some(v) => http::HeaderValue::from_bytes(&[v.as_bytes(), b", gzip"].concat())
                    .unwrap_or(http::HeaderValue::from_static("gzip")),
                None => http::HeaderValue::from_static("gzip"),
            };
            request
                .headers_mut()
                .insert(http::header::CONTENT_ENCODING, encoding);
        }
        for interceptor in settings.interceptors(&inner.config.interceptors) {
            let interceptor = interceptor.get();
            event!(
                trace,
                interceptor = interceptor.name(),
                hook = "modify_before_signing",
                "interceptor"
            );
            interceptor
                .modify_before_signing(&mut RequestContext::new(
                    operation,
                    plan.number,
                    &mut request,
                ))
                .map_err(|e| hook_failed(interceptor.name(), "modify_before_signing", e))?;
            if request.headers().contains_key(http::header::HOST) {
                return Err(AttemptError::Fatal(RequestError::new(
                    RequestErrorKind::Interceptor,
                    format!(
                        "interceptor `{}` set a `host` header on {operation}: the host is the \
                         one endpoint resolution chose, and only that",
                        interceptor.name()
                    ),
                )));
            }
        }
        // The length of what is sent, whatever the hooks did to the body;
        // signed with the rest.
        let length = length_header(request.body().len());
        request
            .headers_mut()
            .insert(http::header::CONTENT_LENGTH, length);
        Ok(request)
    }

    /// Signs `request` with `credentials` for where it goes, and checks it
    /// still goes there.
    fn sign_request(
        &self,
        plan: &AttemptPlan<'_>,
        request: &mut HttpRequest,
        credentials: &Credentials,
    ) -> Result<(), AttemptError> {
        let AttemptPlan {
            operation,
            region,
            endpoint,
            target,
            ..
        } = *plan;
        let operation = operation.name;
        let inner = &self.inner;
        let service = inner.service;
        let fatal = |message: String| {
            AttemptError::Fatal(RequestError::new(RequestErrorKind::Configuration, message))
        };
        event!(debug, provider = credentials.provider_name(), "credentials");
        let (signing_name, signing_region) = signing_scope(endpoint);
        let params = SigningParams {
            access_key_id: credentials.access_key_id(),
            secret_access_key: credentials.secret_access_key(),
            session_token: credentials.session_token(),
            region: signing_region.unwrap_or(region.as_ref()),
            service: signing_name.unwrap_or(service.signing_name),
            time: inner.skew.now(),
            settings: SigningSettings::default(),
        };
        // The host endpoint resolution chose, and only that.
        request
            .headers_mut()
            .insert(http::header::HOST, target.host_header());
        sign_http_request_with(request, &params, Some(&inner.signing_keys)).map_err(|e| {
            AttemptError::Fatal(
                RequestError::new(
                    RequestErrorKind::Configuration,
                    format!("cannot sign the request: {e}"),
                )
                .with_source(e),
            )
        })?;
        // Nothing between endpoint resolution and here may send the request
        // elsewhere; checked on what is actually sent.
        if !target.is_target_of(request) {
            return Err(fatal(format!(
                "refusing to send {operation} to `{}`: endpoint resolution chose `{}`",
                crate::endpoint::redact_url(&request.uri().to_string()),
                target.uri()
            )));
        }
        Ok(())
    }
}

/// `x-amzn-query-error: Code;Fault` of an `@awsQueryCompatible` service:
/// both parts non-empty, each capped, else nothing.
fn query_error(header: &str) -> Option<(String, String)> {
    let (code, fault) = header.split_once(';')?;
    let (code, fault) = (code.trim(), fault.trim());
    if code.is_empty() || fault.is_empty() || fault.contains(';') {
        return None;
    }
    Some((cap(code, super::MAX_CODE), cap(fault, super::MAX_CODE)))
}

/// The error ending a call whose interceptor's `hook` failed.
fn hook_failed(name: &str, hook: &str, error: crate::http::BoxError) -> AttemptError {
    AttemptError::Fatal(
        RequestError::new(
            RequestErrorKind::Interceptor,
            format!("interceptor `{name}` failed in {hook}: {error}"),
        )
        .with_source(error),
    )
}

pub(super) enum Attempt {
    Success(Response),
    Failed(FailedAttempt),
}

pub(super) struct FailedAttempt {
    pub(super) meta: ErrorMeta,
    pub(super) retry_after: Option<u64>,
    /// The response's `Date`, for clock skew correction.
    pub(super) server_date: Option<SystemTime>,
    pub(super) error: ServiceError,
}

pub(super) enum AttemptError {
    /// Timeouts and connection failures: retried as transient.
    Retryable(RequestError),
    /// Credentials, signing, a bad endpoint: retrying cannot help.
    Fatal(RequestError),
}

#[cfg(test)]
mod tests {
    use super::length_header;

    #[test]
    fn length_header_is_the_decimal_length() {
        for n in [0, 7, 9, 10, 24, 99, 100, 299, 999, 1000, 65_536, usize::MAX] {
            assert_eq!(length_header(n), http::HeaderValue::from(n), "{n}");
        }
    }
}
