//! Calls to the AWS services that credential providers depend on (STS,
//! IAM Identity Center's portal and its OIDC service), under the limits
//! service calls have: each attempt within a time limit, the whole call
//! within the operation timeout when one is set, answers within a size
//! limit, throttling and transient failures retried with the configured
//! attempts and full-jitter backoff.
//!
//! Requests are built afresh for each attempt (a signature carries the
//! time), and nothing here prints a request: bodies carry web-identity
//! and refresh tokens, headers carry bearer tokens.

use crate::http::read::SizeLimit;
use crate::http::{HttpRequest, ReadResponse};
use crate::provider_config::{send, ProviderConfig, SendError};
use crate::retry::{jitter, THROTTLING_CODES, TRANSIENT_CODES, TRANSIENT_STATUSES};
use std::time::Duration;

/// How long one attempt may take when the configuration sets neither an
/// attempt nor a response-headers timeout: botocore's read timeout. A
/// credentials call that hangs must not hang the service call waiting
/// for it.
pub(crate) const DEFAULT_ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest answer read: credentials answers are a few kilobytes.
pub(crate) const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;

/// What an error answer said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ServiceError {
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

/// Why a call gave no usable answer.
#[derive(Debug)]
pub(crate) enum CallError {
    /// The service answered with an error (after any retries).
    Service { status: u16, error: ServiceError },
    /// No answer, or one that cannot be used (after any retries).
    Failed(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Service { status, error } => {
                write!(f, "{} (HTTP {status})", error.code)?;
                if !error.message.is_empty() {
                    write!(f, ": {}", error.message)?;
                }
                if let Some(id) = &error.request_id {
                    write!(f, " (request ID {id})")?;
                }
                Ok(())
            }
            CallError::Failed(why) => f.write_str(why),
        }
    }
}

/// One operation of one service, as a credentials provider calls it.
pub(crate) struct Call<'a> {
    pub config: &'a ProviderConfig,
    /// Error codes this operation may retry beyond the common throttling
    /// and transient ones (STS's `IDPCommunicationError`).
    pub retryable_codes: &'static [&'static str],
}

impl Call<'_> {
    /// Sends what `build` makes (again for each attempt) and returns the
    /// first 2xx answer; `parse_error` reads an error answer's body.
    pub(crate) async fn send(
        &self,
        build: impl Fn() -> Result<HttpRequest, String>,
        parse_error: impl Fn(&ReadResponse) -> ServiceError,
    ) -> Result<ReadResponse, CallError> {
        let work = self.attempts(build, parse_error);
        match self.config.timeout_config().operation() {
            Some(limit) => tokio::time::timeout(limit, work).await.unwrap_or_else(|_| {
                Err(CallError::Failed(format!(
                    "no answer within the operation timeout ({limit:?})"
                )))
            }),
            None => work.await,
        }
    }

    async fn attempts(
        &self,
        build: impl Fn() -> Result<HttpRequest, String>,
        parse_error: impl Fn(&ReadResponse) -> ServiceError,
    ) -> Result<ReadResponse, CallError> {
        let retry = self.config.retry_config();
        let timeouts = self.config.timeout_config();
        // These answers are a few KiB and arrive with their headers, so the
        // time to response headers bounds the whole answer.
        let attempt_timeout = timeouts
            .attempt()
            .or(timeouts.response_headers())
            .unwrap_or(DEFAULT_ATTEMPT_TIMEOUT);
        let client = self
            .config
            .http_client_or_default(timeouts.connect().unwrap_or(Duration::from_secs(3)));
        let mut attempt = 1;
        loop {
            let request = build().map_err(CallError::Failed)?;
            let limit = SizeLimit {
                max: MAX_RESPONSE_BYTES,
                truncate: false,
                name: "the credentials-service answer limit (fixed: such answers are a few KiB)",
            };
            let (error, retryable) = match send(&client, request, attempt_timeout, limit).await {
                Err(e @ SendError::TooLarge(_)) => (CallError::Failed(e.to_string()), false),
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => {
                    let status = response.status().as_u16();
                    let error = parse_error(&response);
                    let retryable = TRANSIENT_STATUSES.contains(&status)
                        || THROTTLING_CODES.contains(&error.code.as_str())
                        || TRANSIENT_CODES.contains(&error.code.as_str())
                        || self.retryable_codes.contains(&error.code.as_str());
                    (CallError::Service { status, error }, retryable)
                }
                Err(SendError::TimedOut(after)) => (
                    CallError::Failed(format!("no answer within {after:?}")),
                    true,
                ),
                Err(SendError::Connector(e)) => (CallError::Failed(e.to_string()), true),
            };
            if !retryable || attempt >= retry.max_attempts() {
                return Err(match error {
                    CallError::Failed(why) if attempt > 1 => {
                        CallError::Failed(format!("{why} (after {attempt} attempts)"))
                    }
                    error => error,
                });
            }
            tokio::time::sleep(retry.backoff(attempt, jitter())).await;
            attempt += 1;
        }
    }
}

/// The `x-amzn-requestid` header, when the answer has one.
pub(crate) fn request_id(response: &ReadResponse) -> Option<String> {
    response
        .headers()
        .get("x-amzn-requestid")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The error of a JSON service (IAM Identity Center, its OIDC service):
/// the code from `x-amzn-errortype`, else the body's `__type`, `code` or
/// OAuth `error`; the message from `message` or `error_description`.
pub(crate) fn json_error(response: &ReadResponse) -> ServiceError {
    use crate::json::JsonReader;
    let header = response
        .headers()
        .get("x-amzn-errortype")
        .and_then(|v| v.to_str().ok());
    let (code, message) = crate::client::error_code_and_message(header, response.body());
    let (mut oauth_error, mut description) = (None, None);
    let mut reader = JsonReader::new(response.body());
    let _ = reader.object(|r, key| {
        match key {
            "error" => oauth_error = r.nullable::<String>().ok().flatten(),
            "error_description" => description = r.nullable::<String>().ok().flatten(),
            _ => r.skip_value()?,
        }
        Ok(())
    });
    ServiceError {
        code: code
            .or(oauth_error)
            .unwrap_or_else(|| format!("HTTP {}", response.status().as_u16())),
        message: truncate(message.or(description).unwrap_or_default()),
        request_id: request_id(response),
    }
}

/// Keeps an error message kept in an error to a readable size (the same
/// cap as service errors).
pub(crate) fn truncate(message: String) -> String {
    crate::client::cap(&message, crate::client::MAX_MESSAGE)
}
