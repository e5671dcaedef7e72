//! One attempt of a call: build and sign the request, send it, and sort
//! the answer into success, service error or a failure to retry.

use super::abi::{Response, ServiceError};
use super::pipeline::ClientHandle;
use super::request::{request_uri, signing_scope};
use super::wire_error::error_code_and_message;
use crate::credentials::ProvideCredentials;
use crate::endpoint::Endpoint;
use crate::error::{ErrorMeta, RequestError, RequestErrorKind};
use crate::http::{ConnectorErrorKind, HttpRequest};
use crate::region::Region;
use crate::sigv4::{sign_http_request, SigningParams, SigningSettings};
use bytes::Bytes;
use std::time::SystemTime;

impl ClientHandle {
    pub(super) async fn attempt(
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

pub(super) enum Attempt {
    Success(Response),
    Failed(FailedAttempt),
}

pub(super) struct FailedAttempt {
    pub(super) meta: ErrorMeta,
    pub(super) retry_after: Option<u64>,
    pub(super) error: ServiceError,
}

pub(super) enum AttemptError {
    /// Timeouts and connection failures: retried as transient.
    Retryable(RequestError),
    /// Credentials, signing, a bad endpoint: retrying cannot help.
    Fatal(RequestError),
}
