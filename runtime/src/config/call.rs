//! [`CallConfig`]: settings for one call, merged over its client's.

use crate::http::MinimumThroughput;
use crate::intercept::{Intercept, MutateRequest, RequestContext, SharedInterceptor};
use crate::retry::RetryConfig;
use crate::timeout::TimeoutConfig;
use http::{HeaderName, HeaderValue};
use std::fmt;
use std::time::Duration;

/// Headers the pipeline itself sets for the protocol, the endpoint and
/// the signature: a call cannot replace them with [`CallConfig::header`].
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-type",
    "content-length",
    "x-amz-target",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
];

/// Overrides for one call: what is set here wins over the client's
/// configuration for that call only; what is not set is the client's.
///
/// Given to a fluent builder's `customize`:
///
/// ```ignore
/// let output = client
///     .get_service()
///     .name("web")
///     .customize(|call| {
///         call.operation_timeout(Duration::from_secs(5))
///             .retry_config(RetryConfig::disabled())
///             .header("x-trace-tag", "checkout")
///             .mutate_request(|request| {
///                 request.headers_mut().insert("x-debug", "1".parse().unwrap());
///             })
///     })
///     .send()
///     .await?;
/// ```
///
/// Headers and hooks run before signing, so the signature covers them.
/// The connect timeout is not here: connections are pooled and shared by
/// the client's calls, so it belongs to the client (its config's
/// `timeout_config`). Nothing here can change where the request goes.
#[derive(Clone, Default)]
pub struct CallConfig {
    retry: Option<RetryConfig>,
    response_headers: Option<Option<Duration>>,
    minimum_throughput: Option<Option<MinimumThroughput>>,
    attempt: Option<Option<Duration>>,
    operation: Option<Option<Duration>>,
    headers: Vec<(String, String)>,
    interceptors: Vec<SharedInterceptor>,
}

impl fmt::Debug for CallConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header names only: a value may be a secret of the caller's.
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("CallConfig")
            .field("retry", &self.retry)
            .field("response_headers_timeout", &self.response_headers)
            .field("minimum_throughput", &self.minimum_throughput)
            .field("attempt_timeout", &self.attempt)
            .field("operation_timeout", &self.operation)
            .field("headers", &headers)
            .field("interceptors", &self.interceptors)
            .finish()
    }
}

impl CallConfig {
    /// No overrides.
    pub fn new() -> Self {
        Self::default()
    }

    /// Retries for this call: attempts and backoff. The retry quota, and
    /// in the adaptive mode the rate limiter, stay the client's (shared by
    /// its calls), so the mode is the client's.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// How long the whole call, retries included, may take (`None`: no
    /// limit).
    pub fn operation_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.operation = Some(timeout.into());
        self
    }

    /// How long each attempt may take (`None`: no limit).
    pub fn attempt_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.attempt = Some(timeout.into());
        self
    }

    /// How long each attempt may wait for response headers (`None`: no
    /// limit).
    pub fn response_headers_timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.response_headers = Some(timeout.into());
        self
    }

    /// Stalled-stream protection for the response body (`None`: off).
    pub fn minimum_throughput(mut self, minimum: impl Into<Option<MinimumThroughput>>) -> Self {
        self.minimum_throughput = Some(minimum.into());
        self
    }

    /// Sends `name: value` with the request (replacing a header of that
    /// name), signed. A name or value that is not a valid HTTP header, or
    /// a header the protocol or the signature sets (`host`,
    /// `content-type`, `x-amz-target`, `authorization`, `x-amz-date`, ...),
    /// fails the call before anything is sent.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Runs `hook` on the request of every attempt of this call, before it
    /// is signed (see [`RequestContext`] for what it may change).
    pub fn mutate_request(
        self,
        hook: impl Fn(&mut RequestContext<'_>) + Send + Sync + 'static,
    ) -> Self {
        self.interceptor(MutateRequest(hook))
    }

    /// Adds `interceptor` for this call, after the client's.
    pub fn interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.interceptors.push(SharedInterceptor::new(interceptor));
        self
    }

    /// The retry settings for the call, given the client's.
    pub(crate) fn retry(&self, client: RetryConfig) -> RetryConfig {
        self.retry.unwrap_or(client)
    }

    /// The time limits for the call, given the client's.
    pub(crate) fn timeouts(&self, client: TimeoutConfig) -> TimeoutConfig {
        let mut t = client;
        if let Some(v) = self.response_headers {
            t = t.with_response_headers_timeout(v);
        }
        if let Some(v) = self.minimum_throughput {
            t = t.with_minimum_throughput(v);
        }
        if let Some(v) = self.attempt {
            t = t.with_attempt_timeout(v);
        }
        if let Some(v) = self.operation {
            t = t.with_operation_timeout(v);
        }
        t
    }

    /// The call's interceptors.
    pub(crate) fn interceptors(&self) -> &[SharedInterceptor] {
        &self.interceptors
    }

    /// The extra headers, checked; the error says which one is unusable
    /// and why.
    pub(crate) fn parsed_headers(&self) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
        self.headers
            .iter()
            .map(|(name, value)| {
                let shown = crate::client::cap(&name.escape_debug().to_string(), 64);
                let parsed = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{shown}` is not a valid HTTP header name"))?;
                if RESERVED_HEADERS.contains(&parsed.as_str()) {
                    return Err(format!(
                        "the `{parsed}` header is set by the client itself and cannot be replaced"
                    ));
                }
                // The value is not quoted: it may be a secret.
                let value = HeaderValue::from_str(value).map_err(|_| {
                    format!("the value of header `{parsed}` is not a valid HTTP header value")
                })?;
                Ok((parsed, value))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_overrides_only_what_it_sets() {
        let client = TimeoutConfig::default()
            .with_response_headers_timeout(Some(Duration::from_secs(120)))
            .with_operation_timeout(Some(Duration::from_secs(300)));
        let call = CallConfig::new().operation_timeout(Duration::from_secs(5));
        let merged = call.timeouts(client);
        assert_eq!(merged.operation(), Some(Duration::from_secs(5)));
        assert_eq!(merged.response_headers(), Some(Duration::from_secs(120)));
        assert_eq!(merged.connect(), client.connect());
        // Off only when said so.
        let off = CallConfig::new().operation_timeout(None).timeouts(client);
        assert_eq!(off.operation(), None);
        assert_eq!(CallConfig::new().timeouts(client), client);
        let retry = RetryConfig::standard().with_max_attempts(7);
        assert_eq!(CallConfig::new().retry(retry), retry);
        assert_eq!(
            CallConfig::new()
                .retry_config(RetryConfig::disabled())
                .retry(retry)
                .max_attempts(),
            1
        );
    }

    #[test]
    fn later_settings_win_and_headers_and_hooks_add_up() {
        let call = CallConfig::new()
            .attempt_timeout(Duration::from_secs(1))
            .operation_timeout(Duration::from_secs(2))
            .header("x-a", "1")
            .mutate_request(|_| {})
            .operation_timeout(Duration::from_secs(9))
            .header("x-b", "2")
            .mutate_request(|_| {});
        let t = call.timeouts(TimeoutConfig::default());
        assert_eq!(t.attempt(), Some(Duration::from_secs(1)));
        assert_eq!(t.operation(), Some(Duration::from_secs(9)));
        let names: Vec<String> = call
            .parsed_headers()
            .unwrap()
            .iter()
            .map(|(n, _)| n.to_string())
            .collect();
        assert_eq!(names, ["x-a", "x-b"]);
        assert_eq!(call.interceptors().len(), 2);
    }

    #[test]
    fn unusable_or_reserved_headers_are_refused_without_quoting_values() {
        for (name, value, why) in [
            (
                "bad name",
                "v",
                "`bad name` is not a valid HTTP header name",
            ),
            (
                "Host",
                "evil.example",
                "the `host` header is set by the client itself",
            ),
            (
                "x-amz-target",
                "Other.Op",
                "the `x-amz-target` header is set by the client itself",
            ),
            (
                "authorization",
                "x",
                "the `authorization` header is set by the client itself",
            ),
            (
                "x-ok",
                "SECRET\nvalue",
                "the value of header `x-ok` is not a valid HTTP header value",
            ),
        ] {
            let err = CallConfig::new()
                .header(name, value)
                .parsed_headers()
                .unwrap_err();
            assert!(err.starts_with(why), "{name}: {err}");
            assert!(!err.contains("SECRET"), "{err}");
        }
    }

    #[test]
    fn debug_shows_header_names_only() {
        let call = CallConfig::new().header("x-token", "SENTINELvalue");
        let shown = format!("{call:?}");
        assert!(
            shown.contains("x-token") && !shown.contains("SENTINEL"),
            "{shown}"
        );
    }
}
