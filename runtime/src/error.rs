//! Errors raised before a request leaves the client.

use std::fmt;

/// The most of a piece of outside input an error message quotes.
const MAX_QUOTED: usize = 64;

/// `text` in backticks for an error message, cut to its first 64 bytes (on
/// a character boundary) with its length when longer: a parser's error
/// says what it could not read without copying a whole hostile input
/// (a 64 MiB number) into the message.
pub(crate) fn quoted(text: &str) -> String {
    if text.len() <= MAX_QUOTED {
        return format!("`{text}`");
    }
    let mut end = MAX_QUOTED;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("`{}…` ({} bytes)", &text[..end], text.len())
}

/// A builder was asked to build a value it cannot: a `@required` member is unset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    member: &'static str,
}

impl BuildError {
    /// `member` of `shape` is required but was not set.
    pub fn missing_member(shape: &'static str, member: &'static str) -> Self {
        Self { shape, member }
    }

    /// The shape being built, e.g. `CreateServiceInput`.
    pub fn shape(&self) -> &str {
        self.shape
    }

    /// The missing member, as named by its setter (e.g. `name`).
    pub fn member(&self) -> &str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is required by {} but was not set",
            self.member, self.shape
        )
    }
}

impl std::error::Error for BuildError {}

/// `value`, or the error naming `member` of `shape` when it is unset.
#[doc(hidden)]
pub fn required<T>(
    value: Option<T>,
    shape: &'static str,
    member: &'static str,
) -> Result<T, BuildError> {
    value.ok_or(BuildError { shape, member })
}

/// What an error response said besides its modelled members: the error
/// code, message, HTTP status and request ID.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMeta {
    /// The awsJson error code (header, `code` or `__type`, sanitized): what
    /// the modelled error is chosen by and retries are classified by.
    pub(crate) code: Option<String>,
    pub(crate) message: Option<String>,
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    /// `x-amzn-query-error` of an `@awsQueryCompatible` service: the
    /// awsQuery code and fault type (`Customized`, `Sender`).
    pub(crate) query_error: Option<Box<(String, String)>>,
}

impl ErrorMeta {
    /// Metadata with these parts (for tests and mocks).
    pub fn new(
        code: Option<String>,
        message: Option<String>,
        status: u16,
        request_id: Option<String>,
    ) -> Self {
        Self {
            code,
            message,
            status,
            request_id,
            query_error: None,
        }
    }

    /// The same metadata with the awsQuery error code and fault type an
    /// `@awsQueryCompatible` service sent in `x-amzn-query-error` (for
    /// tests and mocks).
    pub fn with_query_error(
        mut self,
        code: impl Into<String>,
        error_type: impl Into<String>,
    ) -> Self {
        self.query_error = Some(Box::new((code.into(), error_type.into())));
        self
    }

    /// The error code, sanitized (`ValidationException`). For a service
    /// that is `@awsQueryCompatible`, the awsQuery code when the response
    /// carries one (`x-amzn-query-error`), so code written against the
    /// service's awsQuery API keeps matching the same codes.
    pub fn code(&self) -> Option<&str> {
        match self.query_error.as_deref() {
            Some((code, _)) => Some(code),
            None => self.code.as_deref(),
        }
    }

    /// The awsQuery fault type (`Sender` or `Receiver`) an
    /// `@awsQueryCompatible` service sent in `x-amzn-query-error`.
    pub fn error_type(&self) -> Option<&str> {
        self.query_error.as_deref().map(|(_, t)| t.as_str())
    }

    /// The top-level `message` of the error body.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `x-amzn-requestid` of the response, to quote to AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The same metadata without the message (for errors whose message is sensitive).
    pub fn without_message(mut self) -> Self {
        self.message = None;
        self
    }

    fn suffix(&self) -> String {
        format!(" ({self})")
    }
}

/// `HTTP <status>, request id <id>`.
impl fmt::Display for ErrorMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        Ok(())
    }
}

/// An error response whose code this client's model does not describe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unhandled {
    meta: ErrorMeta,
}

impl Unhandled {
    /// An unhandled error with `meta`.
    pub fn new(meta: ErrorMeta) -> Self {
        Self { meta }
    }

    /// Code, message, status and request ID.
    pub fn meta(&self) -> &ErrorMeta {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.meta.code.as_deref().unwrap_or("unknown error");
        match &self.meta.message {
            Some(m) => write!(f, "{code}: {m}{}", self.meta.suffix()),
            None => write!(f, "{code}{}", self.meta.suffix()),
        }
    }
}

impl std::error::Error for Unhandled {}

/// Why a call ended without an answer from the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestErrorKind {
    /// The input was invalid: a required member unset, a value with no JSON form.
    InvalidInput,
    /// The client is misconfigured: no region, an unusable setting, an
    /// endpoint rule that refuses the configuration.
    Configuration,
    /// No credentials could be found or loaded.
    Credentials,
    /// An attempt, or the whole call, took longer than its timeout.
    Timeout,
    /// The connection could not be made or broke.
    Dispatch,
    /// The service's response could not be read (not JSON, truncated, not the modelled shape).
    Response,
    /// An interceptor's hook failed (see [`crate::intercept`]).
    Interceptor,
}

/// A call that got no usable answer from the service.
///
/// Boxed inside: errors are rare, and a small error keeps every `Result`
/// and future that carries one small.
#[derive(Debug)]
pub struct RequestError(Box<RequestErrorInner>);

#[derive(Debug)]
struct RequestErrorInner {
    kind: RequestErrorKind,
    message: String,
    meta: Option<ErrorMeta>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl RequestError {
    /// An error of `kind` described by `message`.
    pub fn new(kind: RequestErrorKind, message: impl Into<String>) -> Self {
        Self(Box::new(RequestErrorInner {
            kind,
            message: message.into(),
            meta: None,
            source: None,
        }))
    }

    /// Attaches the underlying error.
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        self.0.source = Some(source.into());
        self
    }

    /// Attaches the status and request ID of the response that could not be read.
    pub fn with_meta(mut self, meta: ErrorMeta) -> Self {
        self.0.meta = Some(meta);
        self
    }

    /// What kind of failure this was.
    pub fn kind(&self) -> RequestErrorKind {
        self.0.kind
    }

    /// Status and request ID, when a response arrived but could not be read.
    pub fn meta(&self) -> Option<&ErrorMeta> {
        self.0.meta.as_ref()
    }

    /// Whether it was a timeout.
    pub fn is_timeout(&self) -> bool {
        self.0.kind == RequestErrorKind::Timeout
    }
}

impl From<crate::json::SerializeError> for RequestError {
    fn from(e: crate::json::SerializeError) -> Self {
        RequestError::new(RequestErrorKind::InvalidInput, e.to_string()).with_source(e)
    }
}

impl From<BuildError> for RequestError {
    fn from(e: BuildError) -> Self {
        RequestError::new(RequestErrorKind::InvalidInput, e.to_string()).with_source(e)
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.0.kind {
            RequestErrorKind::InvalidInput => "invalid input",
            RequestErrorKind::Configuration => "invalid configuration",
            RequestErrorKind::Credentials => "no credentials",
            RequestErrorKind::Timeout => "timed out",
            RequestErrorKind::Dispatch => "request failed",
            RequestErrorKind::Response => "unreadable response",
            RequestErrorKind::Interceptor => "interceptor failed",
        };
        write!(f, "{what}: {}", self.0.message)?;
        if let Some(meta) = &self.0.meta {
            f.write_str(&meta.suffix())?;
        }
        Ok(())
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
