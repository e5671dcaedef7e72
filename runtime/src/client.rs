//! The operation pipeline every generated call goes through: resolve the
//! endpoint, sign, send, classify the answer, retry, and hand back either
//! the 2xx response or the error response for the generated code to parse.
//!
//! Nothing here is generic over the operation: a call is an operation name
//! and a JSON body, so this code is compiled once, in this crate, not once
//! per operation in the client crate.

use crate::config::{ConfigError, SdkConfig, TimeoutConfig};
use crate::credentials::{ProvideCredentials, SharedCredentialsProvider};
use crate::endpoint::{Endpoint, ResolveEndpointError};
use crate::error::{ErrorMeta, RequestError, RequestErrorKind};
use crate::http::{ConnectorErrorKind, HttpRequest, SharedHttpClient};
use crate::json::{DeserializeError, JsonReader};
use crate::region::Region;
use crate::retry::{classify_response, jitter, RetryConfig, RetryKind, TokenBucket};
use crate::sigv4::{sign_http_request, SigningParams, SigningSettings};
use bytes::Bytes;
use std::sync::Arc;
use std::time::SystemTime;

/// What endpoint rules read from the client's configuration (the rule
/// sets' built-ins).
#[derive(Clone, Copy, Debug)]
pub struct EndpointConfig<'a> {
    /// `AWS::Region`.
    pub region: Option<&'a str>,
    /// `AWS::UseFIPS`.
    pub use_fips: bool,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: bool,
    /// `SDK::Endpoint`.
    pub endpoint_url: Option<&'a str>,
}

/// The static facts a generated crate tells the pipeline about its service.
#[derive(Debug)]
pub struct ServiceInfo {
    /// The `X-Amz-Target` prefix: the service shape's name.
    pub target_prefix: &'static str,
    /// The request `Content-Type` (`application/x-amz-json-1.0` or `-1.1`).
    pub content_type: &'static str,
    /// The SigV4 signing name.
    pub signing_name: &'static str,
    /// `AWS_ENDPOINT_URL_<this>`.
    pub env_suffix: &'static str,
    /// The key in a `[services]` profile section.
    pub profile_key: &'static str,
    /// `<crate>/<version>` for the user agent.
    pub user_agent: &'static str,
    /// Modelled `@retryable` errors by code, `true` for throttling ones.
    pub retryable_errors: &'static [(&'static str, bool)],
    /// The service's compiled endpoint rules.
    pub resolve_endpoint: fn(&EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError>,
}

/// A 2xx response.
#[derive(Debug)]
pub struct Response {
    /// The body.
    pub body: Bytes,
    /// Status and request ID, for errors about the body.
    pub meta: ErrorMeta,
}

/// A non-2xx response that retries did not cure.
#[derive(Debug)]
pub struct ServiceError {
    /// Code, message, status, request ID.
    pub meta: ErrorMeta,
    /// The body, for parsing a modelled error.
    pub body: Bytes,
}

/// A modelled error structure: parsed from an error body, then given the
/// response's metadata.
pub trait ModeledError: crate::json::Deserialize {
    /// Attaches code, status and request ID. Errors whose message is
    /// `@sensitive` drop the message from `meta` so it cannot leak through it.
    fn set_meta(&mut self, meta: ErrorMeta);
}

/// A modelled error as its operation's error enum holds it.
pub trait Modeled: std::error::Error + 'static {
    /// The response's error code, HTTP status and request ID.
    fn error_meta(&self) -> &ErrorMeta;
}

/// One value of an operation's error enum, seen by kind: what its
/// `Display`, `source` and `meta` are written once for.
#[derive(Clone, Copy)]
pub enum ErrorParts<'a> {
    /// A modelled error.
    Modeled(&'a dyn Modeled),
    /// An error code the model does not describe.
    Unhandled(&'a crate::Unhandled),
    /// No usable answer.
    Request(&'a RequestError),
}

impl<'a> ErrorParts<'a> {
    /// The operation error's `Display`: a modelled error with its code,
    /// status and request ID; the others as they display themselves.
    pub fn fmt(self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Modeled(e) => write!(f, "{e} ({})", e.error_meta()),
            Self::Unhandled(e) => std::fmt::Display::fmt(e, f),
            Self::Request(e) => std::fmt::Display::fmt(e, f),
        }
    }

    /// The operation error's `source`: the error it holds.
    pub fn source(self) -> Option<&'a (dyn std::error::Error + 'static)> {
        match self {
            Self::Modeled(e) => Some(e),
            Self::Unhandled(e) => Some(e),
            Self::Request(e) => Some(e),
        }
    }

    /// The error code, HTTP status and request ID, when the service answered.
    pub fn meta(self) -> Option<&'a ErrorMeta> {
        match self {
            Self::Modeled(e) => Some(e.error_meta()),
            Self::Unhandled(e) => Some(e.meta()),
            Self::Request(e) => e.meta(),
        }
    }
}

impl ServiceError {
    /// Parses the body as modelled error `T` and attaches the metadata; a
    /// body that is not `T` is a [`RequestErrorKind::Response`] error.
    pub fn modeled<T: ModeledError>(self) -> Result<T, RequestError> {
        let mut value: T = parse_body(&self.body, &self.meta)?;
        value.set_meta(self.meta);
        Ok(value)
    }

    /// The operation error for modelled error `T` (`variant` wraps it), or
    /// the operation's request error when the body is not `T`.
    pub fn parse_as<T: ModeledError, E: From<RequestError>>(self, variant: fn(T) -> E) -> E {
        self.modeled().map_or_else(E::from, variant)
    }
}

/// Parses a response body as `T`, reporting where it is malformed.
pub fn parse_body<T: crate::json::Deserialize>(
    body: &[u8],
    meta: &ErrorMeta,
) -> Result<T, RequestError> {
    crate::json::from_slice(body).map_err(|e: DeserializeError| {
        RequestError::new(
            RequestErrorKind::Response,
            format!("the response body is not the expected JSON: {e}"),
        )
        .with_meta(meta.clone())
        .with_source(e)
    })
}

/// How a call ended when it did not succeed.
#[derive(Debug)]
pub enum CallError {
    /// The service answered with an error.
    Service(ServiceError),
    /// No usable answer.
    Request(RequestError),
}

impl From<RequestError> for CallError {
    fn from(e: RequestError) -> Self {
        CallError::Request(e)
    }
}

struct Inner {
    service: &'static ServiceInfo,
    region: Result<Region, ConfigError>,
    config_error: Option<ConfigError>,
    credentials: SharedCredentialsProvider,
    http: SharedHttpClient,
    retry: RetryConfig,
    quota: TokenBucket,
    timeouts: TimeoutConfig,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    user_agent: String,
}

/// What a generated `Client` holds: the configuration resolved for one
/// service, shared by all clones.
#[derive(Clone)]
pub struct ClientHandle {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for ClientHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientHandle")
            .field("service", &self.inner.service.target_prefix)
            .field("region", &self.inner.region)
            .field("endpoint_url", &self.inner.endpoint_url)
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
                timeouts: config.timeouts,
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
            RequestError::new(RequestErrorKind::Configuration, e.message().to_owned())
                .with_source(e)
        })
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
        let mut endpoint = self.resolve_endpoint()?;
        if let Some(prefix) = host_prefix {
            endpoint = with_host_prefix(&endpoint, prefix);
        }
        let body = Bytes::from(body);
        let max = inner.retry.max_attempts();
        let mut last_retry_cost = None;
        let mut attempt = 1;
        loop {
            let outcome = self
                .attempt(operation, region, &endpoint, body.clone())
                .await;
            let (kind, retry_after, error) = match outcome {
                Ok(Attempt::Success(response)) => {
                    inner.quota.success(last_retry_cost);
                    return Ok(response);
                }
                Ok(Attempt::Failed(error)) => {
                    let kind = classify_response(
                        error.meta.status,
                        error.meta.code.as_deref(),
                        inner.service.retryable_errors,
                    );
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
        }
    }

    async fn attempt(
        &self,
        operation: &'static str,
        region: &Region,
        endpoint: &Endpoint,
        body: Bytes,
    ) -> Result<Attempt, AttemptError> {
        let inner = &self.inner;
        let request = self
            .build_request(operation, region, endpoint, body)
            .await?;
        let send = inner.http.call(request);
        let response = match inner.timeouts.attempt() {
            None => send.await,
            Some(limit) => match tokio::time::timeout(limit, send).await {
                Ok(r) => r,
                Err(_) => {
                    return Err(AttemptError::Retryable(RequestError::new(
                        RequestErrorKind::Timeout,
                        format!(
                            "no response to {operation} within the attempt timeout of {limit:?}"
                        ),
                    )))
                }
            },
        };
        let response = response.map_err(|e| {
            let kind = match e.kind() {
                ConnectorErrorKind::Timeout => RequestErrorKind::Timeout,
                _ => RequestErrorKind::Dispatch,
            };
            AttemptError::Retryable(RequestError::new(kind, e.to_string()).with_source(e))
        })?;
        let (parts, body) = response.into_parts();
        let request_id = ["x-amzn-requestid", "x-amz-request-id"]
            .iter()
            .find_map(|h| parts.headers.get(*h))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let status = parts.status.as_u16();
        if parts.status.is_success() {
            return Ok(Attempt::Success(Response {
                body,
                meta: ErrorMeta::new(None, None, status, request_id),
            }));
        }
        let header_code = parts
            .headers
            .get("x-amzn-errortype")
            .and_then(|v| v.to_str().ok());
        let (code, message) = error_code_and_message(header_code, &body);
        let retry_after = parts
            .headers
            .get("x-amz-retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let meta = ErrorMeta::new(code, message, status, request_id);
        Ok(Attempt::Failed(FailedAttempt {
            meta: meta.clone(),
            retry_after,
            error: ServiceError { meta, body },
        }))
    }

    async fn build_request(
        &self,
        operation: &'static str,
        region: &Region,
        endpoint: &Endpoint,
        body: Bytes,
    ) -> Result<HttpRequest, AttemptError> {
        let inner = &self.inner;
        let service = inner.service;
        let uri = request_uri(endpoint.url());
        let mut builder = http::Request::post(&uri)
            .header("content-type", service.content_type)
            .header(
                "x-amz-target",
                format!("{}.{operation}", service.target_prefix),
            )
            .header("user-agent", &inner.user_agent);
        for (name, values) in endpoint.headers() {
            for value in values {
                builder = builder.header(name.as_str(), value.as_str());
            }
        }
        let mut request = builder.body(body).map_err(|e| {
            AttemptError::Fatal(
                RequestError::new(
                    RequestErrorKind::Configuration,
                    format!(
                        "the endpoint `{}` does not make a valid request: {e}",
                        endpoint.url()
                    ),
                )
                .with_source(e),
            )
        })?;
        // Credentials are fetched per attempt: the cache hands out the same
        // ones until they near expiry, and a long retry sequence then
        // signs with fresh ones.
        let credentials = inner.credentials.provide_credentials().await.map_err(|e| {
            AttemptError::Fatal(
                RequestError::new(RequestErrorKind::Credentials, e.to_string()).with_source(e),
            )
        })?;
        let (signing_name, signing_region) = signing_scope(endpoint);
        let params = SigningParams {
            access_key_id: credentials.access_key_id(),
            secret_access_key: credentials.secret_access_key(),
            session_token: credentials.session_token(),
            region: signing_region.unwrap_or(region.as_ref()),
            service: signing_name.unwrap_or(service.signing_name),
            time: SystemTime::now(),
            settings: SigningSettings::default(),
        };
        sign_http_request(&mut request, &params).map_err(|e| {
            AttemptError::Fatal(
                RequestError::new(
                    RequestErrorKind::Configuration,
                    format!("cannot sign the request: {e}"),
                )
                .with_source(e),
            )
        })?;
        Ok(request)
    }
}

enum Attempt {
    Success(Response),
    Failed(FailedAttempt),
}

struct FailedAttempt {
    meta: ErrorMeta,
    retry_after: Option<u64>,
    error: ServiceError,
}

enum AttemptError {
    /// Timeouts and connection failures: retried as transient.
    Retryable(RequestError),
    /// Credentials, signing, a bad endpoint: retrying cannot help.
    Fatal(RequestError),
}

/// The signing name and region an endpoint's `authSchemes` property asks
/// for (its first `sigv4` scheme), when the rules set one.
fn signing_scope(endpoint: &Endpoint) -> (Option<&str>, Option<&str>) {
    let scheme = endpoint
        .property("authSchemes")
        .and_then(crate::Document::as_array)
        .and_then(|schemes| {
            schemes.iter().find(|s| {
                s.as_object()
                    .and_then(|o| o.get("name"))
                    .and_then(crate::Document::as_str)
                    == Some("sigv4")
            })
        })
        .and_then(crate::Document::as_object);
    let get = |key: &str| {
        scheme
            .and_then(|s| s.get(key))
            .and_then(crate::Document::as_str)
    };
    (get("signingName"), get("signingRegion"))
}

/// `endpoint` with `prefix` in front of its host (`https://a.com` + `x.` →
/// `https://x.a.com`); headers and properties are kept.
fn with_host_prefix(endpoint: &Endpoint, prefix: &str) -> Endpoint {
    let url = endpoint.url();
    let url = match url.find("://") {
        Some(i) => format!("{}{prefix}{}", &url[..i + 3], &url[i + 3..]),
        None => format!("{prefix}{url}"),
    };
    let mut out = Endpoint::new(url);
    for (name, values) in endpoint.headers() {
        for v in values {
            out = out.with_header(name.clone(), v.clone());
        }
    }
    for (name, value) in endpoint.properties() {
        out = out.with_property(name.clone(), value.clone());
    }
    out
}

/// awsJson requests go to the endpoint's path, which ends in `/`.
fn request_uri(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        None => format!("{url}/"),
        Some(_) if url.ends_with('/') => url.to_owned(),
        Some(_) => format!("{url}/"),
    }
}

/// Keeps the part before the first `:`, then the part after the first `#`:
/// `aws.protocoltests#FooError:http://internal...` → `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    match before_colon.split_once('#') {
        Some((_, name)) => name,
        None => before_colon,
    }
    .trim()
}

/// The error code (header `X-Amzn-Errortype`, else the body's top-level
/// `code`, else its `__type`, sanitized) and message (`message`,
/// `Message` or `errorMessage`) of an error response. A body that is not a
/// JSON object gives neither.
pub fn error_code_and_message(
    header: Option<&str>,
    body: &[u8],
) -> (Option<String>, Option<String>) {
    let mut code_field = None;
    let mut type_field = None;
    let mut message = None;
    let mut reader = JsonReader::new(body);
    let _ = reader.object(|r, key| {
        match key {
            "code" => code_field = r.nullable::<String>()?,
            "__type" => type_field = r.nullable::<String>()?,
            "message" | "Message" | "errorMessage" if message.is_none() => {
                message = r.nullable::<String>()?
            }
            _ => r.skip_value()?,
        }
        Ok(())
    });
    let code = header
        .map(str::to_owned)
        .or(code_field)
        .or(type_field)
        .map(|c| sanitize_error_code(&c).to_owned())
        .filter(|c| !c.is_empty());
    (code, message)
}

/// A fresh idempotency token: a random UUID v4.
pub fn idempotency_token() -> String {
    let mut bytes = [0u8; 16];
    if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).is_err() {
        // Without OS randomness, fall back to the clock and a counter: still
        // unique per call in this process, which is what the token is for.
        static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        bytes[..8].copy_from_slice(&nanos.to_le_bytes());
        bytes[8..].copy_from_slice(&n.to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_per_spec() {
        let cases: &[(Option<&str>, &str, Option<&str>)] = &[
            (
                None,
                r#"{"__type":"com.amazonaws.proton#ValidationException","message":"m"}"#,
                Some("ValidationException"),
            ),
            (
                Some("ConflictException:http://internal.amazon.com/coral/"),
                r#"{"__type":"Other"}"#,
                Some("ConflictException"),
            ),
            (
                None,
                r#"{"code":"aws.x#ThrottlingException","__type":"Other"}"#,
                Some("ThrottlingException"),
            ),
            (
                None,
                r#"{"__type":"aws.protocoltests.json10#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#,
                Some("FooError"),
            ),
            (None, r#"{"nested":{"__type":"Inner"}}"#, None),
            (None, "<html>", None),
            (None, "", None),
        ];
        for (header, body, want) in cases {
            let (code, _) = error_code_and_message(*header, body.as_bytes());
            assert_eq!(code.as_deref(), *want, "{header:?} {body}");
        }
        let (_, m) = error_code_and_message(None, br#"{"Message":"upper"}"#);
        assert_eq!(m.as_deref(), Some("upper"));
        let (_, m) = error_code_and_message(None, br#"{"errorMessage":"other"}"#);
        assert_eq!(m.as_deref(), Some("other"));
    }

    #[test]
    fn request_uris() {
        assert_eq!(
            request_uri("https://proton.us-east-1.amazonaws.com"),
            "https://proton.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            request_uri("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            request_uri("https://example.com/custom"),
            "https://example.com/custom/"
        );
        assert_eq!(
            request_uri("https://example.com/custom/"),
            "https://example.com/custom/"
        );
    }

    #[test]
    fn host_prefixes_go_in_front_of_the_host() {
        let e = Endpoint::new("https://features.us-east-1.amazonaws.com").with_header("x-a", "1");
        let prefixed = with_host_prefix(&e, "bucket.data.");
        assert_eq!(
            prefixed.url(),
            "https://bucket.data.features.us-east-1.amazonaws.com"
        );
        assert_eq!(prefixed.header("x-a"), Some(&["1".to_owned()][..]));
    }

    #[test]
    fn auth_schemes_override_the_signing_scope() {
        let plain = Endpoint::new("https://x");
        assert_eq!(signing_scope(&plain), (None, None));
        let mut scheme = std::collections::BTreeMap::new();
        scheme.insert("name".to_owned(), crate::Document::from("sigv4"));
        scheme.insert("signingName".to_owned(), crate::Document::from("other"));
        scheme.insert(
            "signingRegion".to_owned(),
            crate::Document::from("eu-west-1"),
        );
        let schemes = crate::Document::Array(vec![
            crate::Document::Object(
                [("name".to_owned(), crate::Document::from("sigv4a"))]
                    .into_iter()
                    .collect(),
            ),
            crate::Document::Object(scheme),
        ]);
        let endpoint = Endpoint::new("https://x").with_property("authSchemes", schemes);
        assert_eq!(signing_scope(&endpoint), (Some("other"), Some("eu-west-1")));
    }

    #[test]
    fn idempotency_tokens_are_uuid_v4() {
        let a = idempotency_token();
        let b = idempotency_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'));
        assert!(matches!(
            parts[3].chars().next(),
            Some('8' | '9' | 'a' | 'b')
        ));
    }
}

/// The pipeline's retry behaviour, on tokio's paused clock with a fake HTTP
/// client, so backoff delays can be measured exactly.
#[cfg(test)]
mod retry_tests {
    use super::*;
    use crate::config::ConfigLoader;
    use crate::credentials::Credentials;
    use crate::env::Env;
    use crate::http::{BoxFuture, ConnectorError, HttpClient, HttpResponse};
    use std::collections::VecDeque;
    use std::sync::Mutex;
    use std::time::Duration;
    use tokio::time::Instant;

    /// Status, body and headers of one scripted answer.
    type Answer = (u16, &'static str, Vec<(&'static str, &'static str)>);

    /// Answers from a script (repeating the last answer), recording when each request came.
    #[derive(Debug, Default)]
    struct Scripted {
        answers: Mutex<VecDeque<Answer>>,
        calls: Mutex<Vec<Instant>>,
    }

    impl HttpClient for Scripted {
        fn call(
            &self,
            _request: HttpRequest,
        ) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
            Box::pin(async move {
                self.calls.lock().unwrap().push(Instant::now());
                let mut answers = self.answers.lock().unwrap();
                let (status, body, headers) = if answers.len() > 1 {
                    answers.pop_front().unwrap()
                } else {
                    answers.front().cloned().unwrap()
                };
                let mut response = http::Response::builder().status(status);
                for (k, v) in headers {
                    response = response.header(k, v);
                }
                Ok(response.body(Bytes::from_static(body.as_bytes())).unwrap())
            })
        }
    }

    fn endpoint(_: &EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError> {
        Ok(Endpoint::new("https://example.test"))
    }

    static SERVICE: ServiceInfo = ServiceInfo {
        target_prefix: "Test",
        content_type: "application/x-amz-json-1.0",
        signing_name: "test",
        env_suffix: "TEST",
        profile_key: "test",
        user_agent: "test/0",
        retryable_errors: &[("ThrottlingException", true)],
        resolve_endpoint: endpoint,
    };

    async fn handle(http: Arc<Scripted>, retry: RetryConfig) -> ClientHandle {
        let config = ConfigLoader::default()
            .env(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]))
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::from_keys("AKID", "SECRET", None))
            .http_client(http)
            .retry_config(retry)
            .load()
            .await;
        ClientHandle::new(&config, &SERVICE)
    }

    fn scripted(answers: Vec<Answer>) -> Arc<Scripted> {
        Arc::new(Scripted {
            answers: Mutex::new(answers.into()),
            calls: Mutex::new(Vec::new()),
        })
    }

    fn gaps(http: &Scripted) -> Vec<Duration> {
        let calls = http.calls.lock().unwrap();
        calls.windows(2).map(|w| w[1] - w[0]).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn backoff_is_full_jitter_below_the_exponential_ceiling() {
        let http = scripted(vec![(503, "{}", vec![])]);
        let client = handle(http.clone(), RetryConfig::standard().with_max_attempts(5)).await;
        // 10 calls × 4 retries × 10 tokens stays within the 500-token quota.
        for _ in 0..10 {
            assert!(client.call("Op", b"{}".to_vec()).await.is_err());
        }
        let calls = http.calls.lock().unwrap().len();
        assert_eq!(calls, 50, "5 attempts a call");
        let gaps = gaps(&http);
        // Gaps inside one call: retry n waits below min(2^(n-1), 20) seconds.
        let mut seen_positive = false;
        for call in 0..10 {
            for retry in 1..5u32 {
                let gap = gaps[call * 5 + (retry as usize - 1)];
                let ceiling = Duration::from_secs(1u64 << (retry - 1)).min(Duration::from_secs(20));
                assert!(gap < ceiling, "retry {retry}: {gap:?} >= {ceiling:?}");
                seen_positive |= gap > Duration::ZERO;
            }
        }
        assert!(seen_positive, "delays are random, not all zero");
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_honours_retry_after_capped_at_20s() {
        let http = scripted(vec![
            (
                400,
                r#"{"__type":"ThrottlingException"}"#,
                vec![("x-amz-retry-after", "1500")],
            ),
            (
                400,
                r#"{"__type":"ThrottlingException"}"#,
                vec![("x-amz-retry-after", "60000")],
            ),
            (200, "{}", vec![]),
        ]);
        let client = handle(http.clone(), RetryConfig::standard()).await;
        client.call("Op", b"{}".to_vec()).await.unwrap();
        assert_eq!(
            gaps(&http),
            [Duration::from_millis(1500), Duration::from_secs(20)]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn an_empty_retry_quota_stops_retries() {
        let http = scripted(vec![(500, "{}", vec![])]);
        let client = handle(http.clone(), RetryConfig::standard()).await;
        // Each failing call spends 2 retries × 10 tokens (5xx is transient): 25 calls drain 500.
        for _ in 0..25 {
            assert!(client.call("Op", b"{}".to_vec()).await.is_err());
        }
        assert_eq!(http.calls.lock().unwrap().len(), 75);
        assert_eq!(client.retry_quota(), 0);
        assert!(client.call("Op", b"{}".to_vec()).await.is_err());
        assert_eq!(
            http.calls.lock().unwrap().len(),
            76,
            "no retry without quota"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn successes_refill_the_quota() {
        let http = scripted(vec![(500, "{}", vec![]), (200, "{}", vec![])]);
        let client = handle(http.clone(), RetryConfig::standard()).await;
        client.call("Op", b"{}".to_vec()).await.unwrap();
        assert_eq!(client.retry_quota(), 500, "the retry's 10 tokens came back");
        let http = scripted(vec![(400, r#"{"__type":"ValidationException"}"#, vec![])]);
        let client = handle(http.clone(), RetryConfig::standard()).await;
        let Err(CallError::Service(e)) = client.call("Op", b"{}".to_vec()).await else {
            panic!("expected a service error")
        };
        assert_eq!(e.meta.code(), Some("ValidationException"));
        assert_eq!(http.calls.lock().unwrap().len(), 1, "not retried");
    }
}
