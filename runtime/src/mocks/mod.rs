//! Mocks for generated clients (feature `test-util`): typed rules that
//! answer calls in-process, at the HTTP seam, so every call still runs the
//! whole pipeline (serialization, signing, retries, error parsing, request
//! IDs) without a server.
//!
//! A generated crate built with its `test-util` feature re-exports this in
//! its `mock` module, with a complete example. In short:
//!
//! * [`mock!`](crate::mock)`(Client::get_thing)` starts a [`RuleBuilder`]
//!   for one operation; [`match_requests`](RuleBuilder::match_requests)
//!   narrows it to inputs a closure accepts (the typed input, as the client
//!   sent it);
//! * [`then_output`](RuleBuilder::then_output),
//!   [`then_error`](RuleBuilder::then_error) and
//!   [`then_http_response`](RuleBuilder::then_http_response) make a [`Rule`]
//!   answering every matching call; [`sequence`](RuleBuilder::sequence)
//!   makes one answering successive calls with successive answers;
//! * [`Mocks`] holds the rules, makes clients answered by them and records
//!   every request ([`MockRequest`]: the operation and its typed input).
//!
//! A call no rule answers fails with an error response (code
//! `NoMatchingMockRule`, HTTP 400, not retried) whose message names the
//! operation and shows the input (its `Debug`, so sensitive members stay
//! redacted).
//!
//! Answers are HTTP responses built from the values the closures return:
//! an output is serialized as the service would send it (status 200, a
//! request ID in `x-amzn-requestid`); a modelled error as an error response
//! with its code and the model's HTTP status; an unmodelled error with its
//! code, message and status; an error that got no answer
//! ([`RequestError`](crate::RequestError)) as a connection failure, or a
//! timeout, which the pipeline then retries like any other.

mod request;
mod response;
mod rule;

pub use request::MockRequest;
pub use response::{ErrorAnswer, MockError, MockResponse};
pub use rule::{Rule, RuleBuilder, SequenceBuilder};

use crate::config::{ClientConfig, ClientConfigBuilder};
use crate::http::{BoxFuture, ConnectorError, HttpClient, HttpRequest, HttpResponse, ResponseBody};
use crate::json::DeserializeError;
use bytes::Bytes;
use std::any::Any;
use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// Starts a [`RuleBuilder`] for the operation a client method calls:
/// `mock!(Client::get_thing)`.
#[macro_export]
macro_rules! mock {
    ($($method:tt)+) => {
        $crate::mocks::RuleBuilder::for_method($($method)+)
    };
}

/// An operation, as mocks see it: implemented by each generated fluent
/// builder, so `mock!(Client::get_thing)` knows the operation from the
/// method's return type.
pub trait MockOperation: 'static {
    /// The operation's name in the model (`GetThing`).
    const NAME: &'static str;
    /// Its input.
    type Input: crate::json::Deserialize + fmt::Debug + Send + Sync + 'static;
    /// Its output.
    type Output: crate::json::Serialize;
    /// Its error enum.
    type Error: MockError;
}

/// A generated client, as mocks see it.
pub trait MockClient: Sized {
    /// Whether the service's model has endpoint rules; without them a
    /// client needs an endpoint URL, and mock clients get [`MOCK_ENDPOINT`].
    const ENDPOINT_RULES: bool = true;

    /// A client with `config`.
    fn from_config(config: ClientConfig) -> Self;

    /// The input of `operation` read from a request `body`; `None` when the
    /// client has no such operation.
    fn decode_input(operation: &str, body: &[u8]) -> Option<Result<Input, DeserializeError>>;
}

/// The endpoint URL of mock clients of a service without endpoint rules:
/// the mocks answer every request, so it only names one (`.invalid` never
/// resolves, should a request ever get past them).
pub const MOCK_ENDPOINT: &str = "https://mocks.invalid";

/// A decoded input, typed behind `Any`, printable with its own `Debug`.
pub type Input = Arc<dyn MockInput>;

/// What a recorded input can do: be printed (its `Debug` redacts sensitive
/// members) and be looked at as its type.
pub trait MockInput: Any + fmt::Debug + Send + Sync {
    /// `self` as `Any`, to downcast to the input type.
    fn as_any(&self) -> &dyn Any;
}

impl<T: Any + fmt::Debug + Send + Sync> MockInput for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Reads `body` as input `T` (what a generated `decode_input` calls).
pub fn decode<T>(body: &[u8]) -> Result<Input, DeserializeError>
where
    T: crate::json::Deserialize + fmt::Debug + Send + Sync + 'static,
{
    crate::json::from_slice::<T>(body).map(|input| Arc::new(input) as Input)
}

/// Rules answering the calls of clients made from them, and the record of
/// every request those clients sent.
///
/// A generated crate names it `mock::Mocks` (`C` is its `Client`). Rules
/// are tried in the order given; the first whose operation is the call's,
/// whose [`match_requests`](RuleBuilder::match_requests) accepts the input
/// and which is not [exhausted](Rule::is_exhausted) answers.
pub struct Mocks<C> {
    shared: Arc<Shared>,
    client: PhantomData<fn() -> C>,
}

impl<C> Clone for Mocks<C> {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for Mocks<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mocks")
            .field("rules", &self.shared.rules)
            .field("requests", &self.shared.requests().len())
            .finish()
    }
}

/// [`MockClient::decode_input`] of the client the mocks are for.
type Decode = fn(&str, &[u8]) -> Option<Result<Input, DeserializeError>>;

struct Shared {
    rules: Vec<Rule>,
    requests: Mutex<Vec<MockRequest>>,
    decode: Decode,
    next_id: AtomicU64,
}

impl Shared {
    fn requests(&self) -> std::sync::MutexGuard<'_, Vec<MockRequest>> {
        // A panicking rule closure must not hide the record from the test.
        self.requests.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The answer to one request: recorded, then answered by the first
    /// rule that takes it, else by a `NoMatchingMockRule` error response.
    fn answer(&self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        let request_id = format!(
            "mock-request-{}",
            self.next_id.fetch_add(1, Ordering::Relaxed) + 1
        );
        let (parts, body) = request.into_parts();
        let operation = parts
            .headers
            .get("x-amz-target")
            .and_then(|v| v.to_str().ok())
            .and_then(|t| t.rsplit_once('.'))
            .map(|(_, op)| op.to_owned());
        let decoded = operation
            .as_deref()
            .map(|op| (op, (self.decode)(op, &body)));
        let input = match &decoded {
            Some((_, Some(Ok(input)))) => Some(input.clone()),
            _ => None,
        };
        self.requests().push(MockRequest::new(
            operation.clone().unwrap_or_default(),
            input,
            body,
            parts.headers,
        ));
        let (operation, input) = match decoded {
            None => {
                return Ok(response::failure(
                    "the request has no `X-Amz-Target` header naming its operation",
                    &request_id,
                ))
            }
            Some((op, None)) => {
                return Ok(response::failure(
                    &format!("this client has no operation `{op}`"),
                    &request_id,
                ))
            }
            Some((op, Some(Err(e)))) => {
                return Ok(response::failure(
                    &format!("the body of the {op} request is not its input: {e}"),
                    &request_id,
                ))
            }
            Some((op, Some(Ok(input)))) => (op, input),
        };
        let mut unmatched = 0;
        let mut exhausted = 0;
        for rule in self.rules.iter().filter(|r| r.operation() == operation) {
            // `(*input)`: the input, not the `Arc` holding it.
            match rule.take((*input).as_any()) {
                rule::Take::Answer(respond) => return respond(&request_id),
                rule::Take::NoMatch => unmatched += 1,
                rule::Take::Exhausted => exhausted += 1,
            }
        }
        Ok(response::failure_with_code(
            "NoMatchingMockRule",
            &format!(
                "no mock rule answers {operation} with input {input:?} ({})",
                match (unmatched, exhausted) {
                    (0, 0) => format!("no rule is for {operation}"),
                    (n, 0) => format!("{n} rule(s) for {operation} did not match"),
                    (0, e) => format!("the {e} rule(s) for {operation} are exhausted"),
                    (n, e) =>
                        format!("{n} rule(s) for {operation} did not match, {e} are exhausted"),
                }
            ),
            &request_id,
        ))
    }
}

impl<C: MockClient> Mocks<C> {
    /// Mocks answering with `rules`, tried in order (`[rule_a.clone(),
    /// rule_b.clone()]`, or `[&rule_a, &rule_b]` to keep asking the rules
    /// how often they answered).
    pub fn new<R: Into<Rule>>(rules: impl IntoIterator<Item = R>) -> Self {
        Self {
            shared: Arc::new(Shared {
                rules: rules.into_iter().map(Into::into).collect(),
                requests: Mutex::new(Vec::new()),
                decode: C::decode_input,
                next_id: AtomicU64::new(0),
            }),
            client: PhantomData,
        }
    }

    /// A client whose calls these rules answer: region `us-east-1`, test
    /// credentials, default retries and timeouts; nothing is read from the
    /// environment.
    pub fn client(&self) -> C {
        self.client_with(|config| config)
    }

    /// A client whose calls these rules answer, with the configuration
    /// [`client`](Self::client) uses changed by `configure` (retries,
    /// timeouts, interceptors; the HTTP client stays the mocks').
    pub fn client_with(
        &self,
        configure: impl FnOnce(ClientConfigBuilder) -> ClientConfigBuilder,
    ) -> C {
        let mut defaults = ClientConfig::builder().with_test_defaults();
        if !C::ENDPOINT_RULES {
            defaults = defaults.endpoint_url(MOCK_ENDPOINT);
        }
        let config = configure(defaults)
            .http_client(MockHttp(self.shared.clone()))
            .build();
        C::from_config(config)
    }

    /// Every request received so far, in order (each attempt of a retried
    /// call is one).
    pub fn requests(&self) -> Vec<MockRequest> {
        self.shared.requests().clone()
    }
}

/// The [`HttpClient`] the mocks answer through.
struct MockHttp(Arc<Shared>);

impl fmt::Debug for MockHttp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MockHttp")
    }
}

impl HttpClient for MockHttp {
    fn call(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        let answer = self.0.answer(request);
        Box::pin(async move { answer })
    }
}

/// An HTTP response with a body in memory.
fn http_response(status: http::StatusCode, headers: http::HeaderMap, body: Bytes) -> HttpResponse {
    let mut response = http::Response::new(ResponseBody::from(body));
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    response
}

#[cfg(test)]
mod tests;
