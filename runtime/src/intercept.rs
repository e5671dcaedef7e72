//! Interceptors: code of yours that runs inside every attempt of a call,
//! before the request is signed and after the response is read.
//!
//! Register one for every call of a client with the client config's
//! `interceptor` (`aws_proton::Config::builder().interceptor(...)`), or for
//! one call with [`CallConfig::interceptor`](crate::config::CallConfig::interceptor)
//! (or, for a closure, [`CallConfig::mutate_request`](crate::config::CallConfig::mutate_request)).
//! Client interceptors run first, in the order added, then the call's.
//!
//! The shape follows the AWS SDK for Rust's `Intercept` trait, reduced to
//! the two hooks people use:
//!
//! * [`modify_before_signing`](Intercept::modify_before_signing) may change
//!   the request's headers and body; the signature then covers them. It
//!   cannot change where the request goes: the context gives no way to
//!   change the URI, a `Host` header it sets fails the call naming the
//!   interceptor, and the signed request is checked against the endpoint
//!   resolution chose before anything is sent.
//! * [`read_after_response`](Intercept::read_after_response) sees each
//!   response (status, headers, the body as read within the response
//!   limits) before the client decides whether to retry.
//!
//! Both run once per attempt, on a request built afresh from the call's
//! input, so a retry is modified the same way. An error from a hook ends
//! the call with a [`RequestError`](crate::RequestError) of kind
//! [`Interceptor`](crate::RequestErrorKind::Interceptor) naming the
//! interceptor and the hook; it is not retried.

use crate::http::{BoxError, HttpRequest};
use bytes::Bytes;
use http::{HeaderMap, Method, StatusCode, Uri};
use std::fmt;
use std::sync::Arc;

/// A hook into every attempt of a call. Every method has a default that
/// does nothing; implement the ones you need.
///
/// ```
/// use aws_json_runtime::http::BoxError;
/// use aws_json_runtime::intercept::{Intercept, RequestContext};
///
/// /// Tags every request with the caller's tenant.
/// #[derive(Debug)]
/// struct Tenant(&'static str);
///
/// impl Intercept for Tenant {
///     fn name(&self) -> &'static str {
///         "Tenant"
///     }
///
///     fn modify_before_signing(&self, request: &mut RequestContext<'_>) -> Result<(), BoxError> {
///         request.headers_mut().insert("x-tenant", self.0.parse()?);
///         Ok(())
///     }
/// }
/// ```
pub trait Intercept: fmt::Debug + Send + Sync {
    /// A name for error messages and traces.
    fn name(&self) -> &'static str;

    /// Runs before the request of an attempt is signed: may change its
    /// headers and body (the signature covers the changes), not its URI or
    /// `Host`.
    fn modify_before_signing(&self, request: &mut RequestContext<'_>) -> Result<(), BoxError> {
        let _ = request;
        Ok(())
    }

    /// Runs when an attempt's response has been read, before the client
    /// decides whether the call succeeded, failed or is retried. Not run
    /// when no response was read (a timeout, a connection failure, a body
    /// over its limit).
    fn read_after_response(&self, response: &ResponseContext<'_>) -> Result<(), BoxError> {
        let _ = response;
        Ok(())
    }
}

/// A cheaply clonable, shared [`Intercept`].
#[derive(Clone)]
pub struct SharedInterceptor(Arc<dyn Intercept>);

impl SharedInterceptor {
    /// Shares `interceptor`.
    pub fn new(interceptor: impl Intercept + 'static) -> Self {
        Self(Arc::new(interceptor))
    }

    /// The interceptor.
    pub fn get(&self) -> &dyn Intercept {
        &*self.0
    }
}

impl fmt::Debug for SharedInterceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the name: an interceptor may hold something secret.
        f.write_str(self.0.name())
    }
}

/// What [`Intercept::modify_before_signing`] sees: the request of one
/// attempt, before signing. Headers and body can be changed; the URI
/// cannot.
#[derive(Debug)]
pub struct RequestContext<'a> {
    operation: &'static str,
    attempt: u32,
    request: &'a mut HttpRequest,
}

impl<'a> RequestContext<'a> {
    pub(crate) fn new(operation: &'static str, attempt: u32, request: &'a mut HttpRequest) -> Self {
        Self {
            operation,
            attempt,
            request,
        }
    }

    /// The operation called, e.g. `GetService`.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The attempt: 1 for the first, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP method (`POST` for every awsJson call).
    pub fn method(&self) -> &Method {
        self.request.method()
    }

    /// Where the request goes (what endpoint resolution chose).
    pub fn uri(&self) -> &Uri {
        self.request.uri()
    }

    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        self.request.headers()
    }

    /// The headers, to change. Setting `Host` fails the call; the signing
    /// headers (`Authorization`, `X-Amz-Date`, `X-Amz-Security-Token`) are
    /// replaced by signing.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        self.request.headers_mut()
    }

    /// The body (the operation's input as JSON).
    pub fn body(&self) -> &Bytes {
        self.request.body()
    }

    /// Replaces the body.
    pub fn set_body(&mut self, body: impl Into<Bytes>) {
        *self.request.body_mut() = body.into();
    }
}

/// What [`Intercept::read_after_response`] sees: one attempt's response,
/// its body read (an error body only up to the error-body limit).
#[derive(Debug)]
pub struct ResponseContext<'a> {
    pub(crate) operation: &'static str,
    pub(crate) attempt: u32,
    pub(crate) status: StatusCode,
    pub(crate) headers: &'a HeaderMap,
    pub(crate) body: &'a Bytes,
}

impl ResponseContext<'_> {
    /// The operation called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The attempt: 1 for the first, 2 for the first retry, ...
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.headers
    }

    /// The body as read.
    pub fn body(&self) -> &Bytes {
        self.body
    }
}

/// A closure as a before-signing interceptor (what
/// [`CallConfig::mutate_request`](crate::config::CallConfig::mutate_request) registers).
pub(crate) struct MutateRequest<F>(pub(crate) F);

impl<F> fmt::Debug for MutateRequest<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("mutate_request")
    }
}

impl<F> Intercept for MutateRequest<F>
where
    F: Fn(&mut RequestContext<'_>) + Send + Sync,
{
    fn name(&self) -> &'static str {
        "mutate_request"
    }

    fn modify_before_signing(&self, request: &mut RequestContext<'_>) -> Result<(), BoxError> {
        (self.0)(request);
        Ok(())
    }
}
