//! The HTTP answers mocks give: outputs, errors, raw responses, and the
//! mocks' own failures.

use super::http_response;
use crate::error::{RequestError, Unhandled};
use crate::http::{ConnectorError, ConnectorErrorKind, HttpResponse};
use crate::json::{JsonWriter, Serialize};
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use std::fmt;

/// An error as mocks answer with it: implemented by the generated
/// operation error enums (each variant answers as the error it holds), by
/// each generated modelled error (its code and status, written once per
/// error type), and here by [`Unhandled`] and [`RequestError`].
pub trait MockError {
    /// What the service would have answered.
    fn mock_answer(&self) -> ErrorAnswer<'_>;
}

impl MockError for Unhandled {
    fn mock_answer(&self) -> ErrorAnswer<'_> {
        ErrorAnswer::Unhandled(self)
    }
}

impl MockError for RequestError {
    fn mock_answer(&self) -> ErrorAnswer<'_> {
        ErrorAnswer::Request(self)
    }
}

/// An error as an answer (what a generated [`MockError`] returns).
#[non_exhaustive]
pub enum ErrorAnswer<'a> {
    /// A modelled error: an error response with this code and status, and
    /// the error's members as its body.
    Modeled {
        /// The error code.
        code: &'static str,
        /// The HTTP status the model gives it.
        status: u16,
        /// The error structure.
        error: &'a dyn Serialize,
    },
    /// An error response the model does not describe.
    Unhandled(&'a Unhandled),
    /// No answer: a connection failure, or a timeout.
    Request(&'a RequestError),
}

impl fmt::Debug for ErrorAnswer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Modeled { code, status, .. } => f
                .debug_struct("Modeled")
                .field("code", code)
                .field("status", status)
                .finish_non_exhaustive(),
            Self::Unhandled(e) => f.debug_tuple("Unhandled").field(e).finish(),
            Self::Request(e) => f.debug_tuple("Request").field(e).finish(),
        }
    }
}

/// An HTTP response a rule answers with as it is (see
/// [`RuleBuilder::then_http_response`](super::RuleBuilder::then_http_response)).
#[derive(Clone, Debug)]
pub struct MockResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
}

impl MockResponse {
    /// A response with `status` and an empty body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// A response with `status` and the JSON `body`.
    pub fn json(status: u16, body: impl Into<Bytes>) -> Self {
        Self::new(status)
            .header("content-type", "application/x-amz-json-1.0")
            .body(body)
    }

    /// Adds a header (`x-amzn-requestid` replaces the mocks' own request ID).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The body.
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    pub(super) fn into_http(self, request_id: &str) -> HttpResponse {
        let Ok(status) = StatusCode::from_u16(self.status) else {
            return failure(
                &format!(
                    "the mock response's status {} is not an HTTP status",
                    self.status
                ),
                request_id,
            );
        };
        let mut headers = HeaderMap::new();
        for (name, value) in &self.headers {
            match (
                HeaderName::try_from(name.as_str()),
                HeaderValue::try_from(value.as_str()),
            ) {
                (Ok(name), Ok(value)) => {
                    headers.append(name, value);
                }
                _ => {
                    return failure(
                        &format!("the mock response's header `{name}` is not a valid header"),
                        request_id,
                    )
                }
            }
        }
        if !headers.contains_key("x-amzn-requestid") {
            insert_request_id(&mut headers, request_id);
        }
        http_response(status, headers, self.body)
    }
}

fn insert_request_id(headers: &mut HeaderMap, request_id: &str) {
    if let Ok(value) = HeaderValue::try_from(request_id) {
        headers.insert("x-amzn-requestid", value);
    }
}

/// A JSON response with `status` and `body`, and the request ID.
fn json_response(status: StatusCode, body: Vec<u8>, request_id: &str) -> HttpResponse {
    let mut headers = HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    insert_request_id(&mut headers, request_id);
    http_response(status, headers, Bytes::from(body))
}

/// `value` as the service would send it, or the mocks' failure saying why
/// it cannot be sent.
pub(super) fn output(value: &dyn Serialize, request_id: &str) -> HttpResponse {
    match crate::json::to_vec(value) {
        Ok(body) => json_response(StatusCode::OK, body, request_id),
        Err(e) => failure(&format!("the mock output cannot be sent: {e}"), request_id),
    }
}

/// The answer of an error.
pub(super) fn error(
    answer: ErrorAnswer<'_>,
    request_id: &str,
) -> Result<HttpResponse, ConnectorError> {
    Ok(match answer {
        ErrorAnswer::Modeled {
            code,
            status,
            error,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
            match error_body(code, error) {
                Ok(body) => json_response(status, body, request_id),
                Err(e) => failure(
                    &format!("the mock {code} error cannot be sent: {e}"),
                    request_id,
                ),
            }
        }
        ErrorAnswer::Unhandled(e) => {
            let meta = e.meta();
            let status = StatusCode::from_u16(meta.status())
                .ok()
                .filter(|s| s.is_client_error() || s.is_server_error())
                .unwrap_or(StatusCode::BAD_REQUEST);
            let mut writer = JsonWriter::default();
            let mut o = writer.value().object();
            if let Some(code) = meta.code() {
                o.key("__type").string(code);
            }
            if let Some(message) = meta.message() {
                o.key("message").string(message);
            }
            o.end();
            let body = writer.finish().unwrap_or_default();
            json_response(status, body, meta.request_id().unwrap_or(request_id))
        }
        ErrorAnswer::Request(e) => {
            let kind = if e.is_timeout() {
                ConnectorErrorKind::Timeout
            } else {
                ConnectorErrorKind::Io
            };
            return Err(ConnectorError::new(kind, format!("mock answer: {e}")));
        }
    })
}

/// `{"__type": code, ...the members of error}`.
fn error_body(code: &str, error: &dyn Serialize) -> Result<Vec<u8>, crate::json::SerializeError> {
    let members = crate::json::to_vec(error)?;
    let mut writer = JsonWriter::default();
    writer.value().string(code);
    let code = writer.finish()?;
    // `members` is an object: `{` then its members, if any.
    let rest = match members.strip_prefix(b"{") {
        Some(rest) => rest,
        None => return Ok(members),
    };
    let mut body = Vec::with_capacity(members.len() + code.len() + 12);
    body.extend_from_slice(b"{\"__type\":");
    body.extend_from_slice(&code);
    if rest != b"}" {
        body.push(b',');
    }
    body.extend_from_slice(rest);
    Ok(body)
}

/// The mocks' own failure: an error response (HTTP 400, not retried)
/// with `code` and `message`.
pub(super) fn failure_with_code(code: &str, message: &str, request_id: &str) -> HttpResponse {
    let mut writer = JsonWriter::default();
    let mut o = writer.value().object();
    o.key("__type").string(code);
    o.key("message").string(message);
    o.end();
    json_response(
        StatusCode::BAD_REQUEST,
        writer.finish().unwrap_or_default(),
        request_id,
    )
}

/// A mock that cannot answer as asked: `InvalidMockAnswer`.
pub(super) fn failure(message: &str, request_id: &str) -> HttpResponse {
    failure_with_code("InvalidMockAnswer", message, request_id)
}
