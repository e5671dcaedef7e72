//! The operation pipeline every generated call goes through: resolve the
//! endpoint, sign, send, classify the answer, retry, and hand back either
//! the 2xx response or the error response for the generated code to parse.
//!
//! Nothing here is generic over the operation: a call is an operation name
//! and a JSON body, so this code is compiled once, in this crate, not once
//! per operation in the client crate.
//!
//! * `abi`: the small interface generated code calls ([`ServiceInfo`],
//!   [`ClientHandle::send`], [`ServiceError::modeled`], [`ErrorParts`], ...);
//! * `pipeline`: [`ClientHandle`], the retry loop and the timeouts around it;
//! * `attempt`: one attempt: build, sign, send, read the answer;
//! * `discovery`: endpoint discovery (the cache, reading and checking
//!   what the discovery operation names);
//! * `request`: what an endpoint makes of a request (URI, host prefix,
//!   signing scope);
//! * `wire_error`: the error code and message of an error response;
//! * `token`: idempotency tokens.

mod abi;
mod attempt;
mod clock_skew;
#[cfg(test)]
mod customize_tests;
mod discovery;
#[cfg(test)]
mod discovery_tests;
#[cfg(test)]
mod limit_tests;
mod pipeline;
mod request;
#[cfg(test)]
mod retry_tests;
#[cfg(test)]
mod target_tests;
#[cfg(test)]
mod test_support;
mod token;
mod wire_error;
#[cfg(test)]
mod wire_tests;

pub use abi::{
    parse_body, CallError, Capped, EndpointConfig, EndpointDiscovery, ErrorParts, Modeled,
    ModeledError, Operation, Output, RequestId, Response, Route, ServiceError, ServiceInfo,
};
pub use clock_skew::CLOCK_SKEW_CODES;
pub use pipeline::ClientHandle;
pub use token::idempotency_token;
pub(crate) use wire_error::cap;
pub use wire_error::{
    error_code_and_message, sanitize_error_code, MAX_CODE, MAX_MESSAGE, TRUNCATED,
};
