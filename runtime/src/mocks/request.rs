//! [`MockRequest`]: a request the mocks received.

use super::Input;
use bytes::Bytes;
use http::HeaderMap;
use std::fmt;

/// A request a mocked client sent: its operation and typed input (and, for
/// checks of the wire, its headers and body).
#[derive(Clone)]
pub struct MockRequest {
    operation: String,
    input: Option<Input>,
    body: Bytes,
    headers: HeaderMap,
}

impl MockRequest {
    pub(super) fn new(
        operation: String,
        input: Option<Input>,
        body: Bytes,
        headers: HeaderMap,
    ) -> Self {
        Self {
            operation,
            input,
            body,
            headers,
        }
    }

    /// The operation called (`GetThing`); empty when the request named none.
    pub fn operation(&self) -> &str {
        &self.operation
    }

    /// The input, when it is a `T` (`request.input::<GetThingInput>()`).
    pub fn input<T: 'static>(&self) -> Option<&T> {
        self.input.as_deref()?.as_any().downcast_ref()
    }

    /// The JSON body as sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// A header as sent (`x-amz-target`, `authorization`, ...).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The operation and the input's own `Debug` (sensitive members redacted);
/// never the headers (the signature) or the body.
impl fmt::Debug for MockRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockRequest")
            .field("operation", &self.operation)
            .field("input", &self.input)
            .finish_non_exhaustive()
    }
}
