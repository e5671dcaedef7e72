//! The interface generated code calls: the facts a crate states about its
//! service, what a call returns, and how an operation's error enum is
//! displayed. Kept small so the generated code stays small.

pub use super::discovery::EndpointDiscovery;
use super::wire_error::{write_capped, MAX_MESSAGE};
use crate::endpoint::{Endpoint, ResolveEndpointError};
use crate::error::{ErrorMeta, ProvideErrorMetadata, RequestError, RequestErrorKind};
use crate::json::DeserializeError;
use bytes::Bytes;

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
    /// `@awsQueryCompatible`: requests say `x-amzn-query-mode: true`, and
    /// error responses' `x-amzn-query-error` (`Code;Fault`) gives the code
    /// and fault type users see ([`ErrorMeta::code`], [`ErrorMeta::error_type`]).
    pub query_compatible: bool,
    /// Operations whose requests are gzip-compressed (`@requestCompression`
    /// listing `gzip`), when the body reaches the configured minimum size
    /// and compression is not disabled.
    pub compressed_operations: &'static [&'static str],
    /// `aws.api#clientEndpointDiscovery`: how operations routed
    /// [`Route::Discovered`] find their endpoint.
    pub endpoint_discovery: Option<EndpointDiscovery>,
    /// The service's compiled endpoint rules.
    pub resolve_endpoint: fn(&EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError>,
}

/// Where one call goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// To the endpoint that endpoint resolution gives.
    Endpoint,
    /// To that endpoint with this host prefix (`@endpoint(hostPrefix)`,
    /// already filled from the input and checked) in front of its host.
    HostPrefix(String),
    /// To the URL an input member holds (a customization of the operation:
    /// Machine Learning's `Predict` goes to its `PredictEndpoint`), checked
    /// as an endpoint URL.
    InputUrl {
        /// The member, for errors.
        member: &'static str,
        /// Its value.
        url: String,
    },
    /// To the endpoint the service's discovery operation names
    /// (`aws.api#clientDiscoveredEndpoint(required: true)`; see
    /// [`EndpointDiscovery`]), unless the client has an endpoint URL
    /// configured, which wins.
    Discovered {
        /// The input's `aws.api#clientEndpointDiscoveryId` members, by
        /// member name, with their values (unset ones left out).
        identifiers: Vec<(&'static str, String)>,
    },
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
pub struct ServiceError {
    /// Code, message, status, request ID.
    pub meta: ErrorMeta,
    /// The body, for parsing a modelled error.
    pub body: Bytes,
    /// Whether the body was cut at the error-body limit.
    pub truncated: bool,
}

impl std::fmt::Debug for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Neither the body nor the message: either may be sensitive.
        f.debug_struct("ServiceError")
            .field("code", &self.meta.code())
            .field("status", &self.meta.status())
            .field("request_id", &self.meta.request_id())
            .field("body_len", &self.body.len())
            .field("truncated", &self.truncated)
            .finish()
    }
}

/// A modelled error structure: parsed from an error body, then given the
/// response's metadata.
pub trait ModeledError: crate::json::Deserialize {
    /// Attaches code, status and request ID. Errors whose message is
    /// `@sensitive` drop the message from `meta` so it cannot leak through it.
    fn set_meta(&mut self, meta: ErrorMeta);
}

/// A modelled error as a `dyn Error`, for code that holds it as
/// `dyn Modeled`: coercing `dyn Modeled` to `dyn Error` directly is trait
/// upcasting, which needs Rust 1.86 (the crates declare 1.85).
pub trait AsError {
    /// `self` as an error.
    fn as_error(&self) -> &(dyn std::error::Error + 'static);
}

impl<T: std::error::Error + 'static> AsError for T {
    fn as_error(&self) -> &(dyn std::error::Error + 'static) {
        self
    }
}

/// A modelled error as its operation's error enum holds it.
pub trait Modeled: AsError + std::error::Error + ProvideErrorMetadata + 'static {
    /// The response's error code, HTTP status and request ID.
    fn error_meta(&self) -> &ErrorMeta;
}

/// A modelled error's message as its `Display` shows it: at most
/// [`MAX_MESSAGE`] bytes, then a truncation marker. The message came
/// from the server.
pub struct Capped<'a>(pub &'a str);

impl std::fmt::Display for Capped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_capped(f, &self.0, MAX_MESSAGE)
    }
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
            // The modelled error's text comes from the server: kept short.
            Self::Modeled(e) => {
                write_capped(f, &e.as_error(), MAX_MESSAGE)?;
                write!(f, " ({})", e.error_meta())
            }
            Self::Unhandled(e) => std::fmt::Display::fmt(e, f),
            Self::Request(e) => std::fmt::Display::fmt(e, f),
        }
    }

    /// The operation error's `source`: the error it holds.
    pub fn source(self) -> Option<&'a (dyn std::error::Error + 'static)> {
        match self {
            Self::Modeled(e) => Some(e.as_error()),
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

    /// [`ProvideErrorMetadata::code`] of the error held.
    pub fn code(self) -> Option<&'a str> {
        match self {
            Self::Modeled(e) => e.code(),
            Self::Unhandled(e) => e.code(),
            Self::Request(e) => e.code(),
        }
    }

    /// [`ProvideErrorMetadata::message`] of the error held.
    pub fn message(self) -> Option<&'a str> {
        match self {
            Self::Modeled(e) => e.message(),
            Self::Unhandled(e) => e.message(),
            Self::Request(e) => e.message(),
        }
    }

    /// [`ProvideErrorMetadata::request_id`] of the error held.
    pub fn request_id(self) -> Option<&'a str> {
        match self {
            Self::Modeled(e) => e.request_id(),
            Self::Unhandled(e) => e.request_id(),
            Self::Request(e) => e.request_id(),
        }
    }
}

/// The request ID of the response an operation output came in. Always
/// equal to any other, so outputs holding the same data compare equal
/// whichever response they came in.
#[derive(Clone, Default)]
pub struct RequestId(Option<String>);

impl RequestId {
    /// The ID, `None` for an output built in code.
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl PartialEq for RequestId {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.0, f)
    }
}

/// An operation output, which keeps the request ID of its response.
pub trait Output {
    /// Keeps `id`, the response's request ID (moved in: the response's
    /// copy is the only one).
    fn set_request_id(&mut self, id: Option<String>);
}

/// `id` as an output keeps it.
impl From<Option<String>> for RequestId {
    fn from(id: Option<String>) -> Self {
        Self(id)
    }
}

impl ServiceError {
    /// The awsJson error code (`X-Amzn-Errortype`, else the body's `code`,
    /// else its `__type`, sanitized) the modelled error is chosen by.
    /// Unlike [`ErrorMeta::code`], never the awsQuery code of an
    /// `@awsQueryCompatible` service.
    pub fn code(&self) -> Option<&str> {
        self.meta.code.as_deref()
    }

    /// Parses the body as modelled error `T` and attaches the metadata; a
    /// body that is not `T` is a [`RequestErrorKind::Response`] error.
    ///
    /// The error's metadata then leaves the message out: the model may
    /// mark it `@sensitive`, and only the generated `set_meta` knows.
    ///
    /// Generic over the error type only (one copy per error type, shared by
    /// every operation); what does not depend on it is not generic.
    pub fn modeled<T: ModeledError>(&self) -> Result<T, RequestError> {
        match crate::json::from_slice::<T>(body_or_empty(&self.body)) {
            Ok(mut value) => {
                value.set_meta(self.meta.clone());
                Ok(value)
            }
            Err(e) => Err(self.unparsed(e)),
        }
    }

    /// Why the body could not be read as the modelled error: malformed,
    /// or cut at the error-body limit.
    fn unparsed(&self, e: DeserializeError) -> RequestError {
        let without_message = self.meta.clone().without_message();
        let e = body_error(e, &without_message);
        if !self.truncated {
            return e;
        }
        // Cut at the limit: the body is exactly the limit long.
        RequestError::new(
            RequestErrorKind::Response,
            format!(
                "the {} error response is larger than {}, the limit set by \
                 `ResponseLimits::with_max_error_body` (`ConfigLoader::response_limits`); \
                 raise it to read such errors whole",
                self.meta.code().unwrap_or("unrecognised"),
                crate::bounded::describe_size(self.body.len() as u64)
            ),
        )
        .with_meta(without_message)
        .with_source(e)
    }
}

/// An empty body (or only whitespace) reads as `{}`: services answer
/// operations without output, and errors with the code in a header, with
/// no body.
fn body_or_empty(body: &[u8]) -> &[u8] {
    if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    }
}

/// A body that is not the expected JSON, as the call's error.
fn body_error(e: DeserializeError, meta: &ErrorMeta) -> RequestError {
    RequestError::new(
        RequestErrorKind::Response,
        format!("the response body is not the expected JSON: {e}"),
    )
    .with_meta(meta.clone())
    .with_source(e)
}

/// Parses a response body as `T`, reporting where it is malformed. An
/// empty body (or only whitespace) reads as `{}`: services answer operations
/// without output, and errors with the code in a header, with no body.
pub fn parse_body<T: crate::json::Deserialize>(
    body: &[u8],
    meta: &ErrorMeta,
) -> Result<T, RequestError> {
    crate::json::from_slice(body_or_empty(body)).map_err(|e| body_error(e, meta))
}

/// How a call ended when it did not succeed.
#[derive(Debug)]
pub enum CallError {
    /// The service answered with an error.
    Service(Box<ServiceError>),
    /// No usable answer.
    Request(RequestError),
}

impl From<RequestError> for CallError {
    fn from(e: RequestError) -> Self {
        CallError::Request(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_modelled_message_displays_at_most_the_cap() {
        let long = "m".repeat(50 * MAX_MESSAGE);
        let shown = format!("Conflict: {}", Capped(&long));
        assert!(shown.len() <= "Conflict: ".len() + MAX_MESSAGE + super::super::TRUNCATED.len());
        assert!(shown.ends_with(super::super::TRUNCATED));
        assert_eq!(Capped("short").to_string(), "short");
    }
}
