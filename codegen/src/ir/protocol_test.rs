//! `smithy.test#httpRequestTests` / `httpResponseTests` as typed test
//! cases: the cases of the service's protocol that apply to clients, on its
//! operations and on the errors they list, with `params` read as
//! [`TypedValue`]s of the input, output or error they fill.

use super::typed_value::{Misfit, Reader, TypedValue};
use super::{Operation, Protocol};
use crate::naming::Ident;
use serde_json::Value;

/// The trait holding request test cases.
pub const REQUEST_TESTS: &str = "smithy.test#httpRequestTests";
/// The trait holding response test cases.
pub const RESPONSE_TESTS: &str = "smithy.test#httpResponseTests";
/// The `vendorParamsShape` whose `code` and `type` are the error code and
/// awsQuery fault type the client must expose.
pub const ERROR_CODE_PARAMS: &str = "aws.protocoltests.config#ErrorCodeParams";

/// One test case for the client.
#[derive(Clone, Debug)]
pub struct ProtocolTest {
    /// The case's `id`.
    pub id: String,
    /// The test function.
    pub name: Ident,
    /// A request or a response case.
    pub kind: TestKind,
    /// The operation it calls (model name).
    pub operation: String,
    /// `documentation`, as Markdown.
    pub docs: Option<String>,
    /// What the test does, or why it is skipped.
    pub case: Result<TestCase, String>,
}

/// Request or response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TestKind {
    /// `httpRequestTests`.
    Request,
    /// `httpResponseTests`.
    Response,
}

impl TestKind {
    /// `request` or `response`.
    pub fn as_str(self) -> &'static str {
        match self {
            TestKind::Request => "request",
            TestKind::Response => "response",
        }
    }
}

/// What a case checks.
#[derive(Clone, Debug)]
pub enum TestCase {
    /// The request a call sends.
    Request(RequestTest),
    /// What a response parses into.
    Response(ResponseTest),
}

/// A body as the case gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// The text.
    pub text: String,
    /// `bodyMediaType`: JSON bodies are compared as JSON, others byte for byte.
    pub media_type: Option<String>,
}

impl Body {
    /// Compared as JSON (`application/json` or a `+json` type).
    pub fn is_json(&self) -> bool {
        self.media_type.as_deref().is_some_and(|t| {
            let t = t.split(';').next().unwrap_or(t).trim();
            t == "application/json" || t.ends_with("+json")
        })
    }
}

/// An `httpRequestTests` case.
#[derive(Clone, Debug)]
pub struct RequestTest {
    /// Index of the operation in [`super::Service::operations`].
    pub operation: usize,
    /// The input members set.
    pub input: Vec<(usize, TypedValue)>,
    /// `method`.
    pub method: String,
    /// `uri`: the request's path.
    pub uri: String,
    /// `host`: the endpoint the client is configured with (host and path).
    pub host: Option<String>,
    /// `resolvedHost`: the host the request must go to (else `host`'s).
    pub resolved_host: Option<String>,
    /// `queryParams`, `forbidQueryParams`, `requireQueryParams`.
    pub query: QueryChecks,
    /// Headers that must have these values.
    pub headers: Vec<(String, String)>,
    /// Headers that must be absent.
    pub forbid_headers: Vec<String>,
    /// Headers that must be present.
    pub require_headers: Vec<String>,
    /// The expected body, when the case gives one.
    pub body: Option<Body>,
}

/// The query string checks of a request case.
#[derive(Clone, Debug, Default)]
pub struct QueryChecks {
    /// `key=value` pairs that must be there.
    pub params: Vec<String>,
    /// Keys that must be absent.
    pub forbid: Vec<String>,
    /// Keys that must be present.
    pub require: Vec<String>,
}

/// An `httpResponseTests` case.
#[derive(Clone, Debug)]
pub struct ResponseTest {
    /// Index of the operation in [`super::Service::operations`].
    pub operation: usize,
    /// The input members set: the smallest input that builds.
    pub input: Vec<(usize, TypedValue)>,
    /// `code`.
    pub status: u16,
    /// `headers` of the response.
    pub headers: Vec<(String, String)>,
    /// `body`, empty when absent.
    pub body: String,
    /// What it must parse into.
    pub expected: Expected,
}

/// What a response case expects.
#[derive(Clone, Debug)]
pub enum Expected {
    /// The output with these members.
    Output(Vec<(usize, TypedValue)>),
    /// A modelled error.
    Error {
        /// Index in the operation's [`super::Operation::errors`].
        error: usize,
        /// Its members.
        members: Vec<(usize, TypedValue)>,
        /// The error code the client must expose (`vendorParams.code`, else the shape name).
        code: String,
        /// The awsQuery fault type it must expose (`vendorParams.type`).
        error_type: Option<String>,
    },
}

/// One raw case with where it is.
pub(super) struct RawCase<'m> {
    pub kind: TestKind,
    /// The shape the trait is on (operation or error), for locations.
    pub shape: String,
    /// Index of the case in the trait's list.
    pub index: usize,
    pub value: &'m Value,
}

impl RawCase<'_> {
    fn str(&self, key: &str) -> Option<String> {
        self.value
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    fn strings(&self, key: &str) -> Vec<String> {
        self.value
            .get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn headers(&self) -> Vec<(String, String)> {
        self.value
            .get("headers")
            .and_then(Value::as_object)
            .map(|h| {
                h.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The case's `id`.
    pub fn id(&self) -> String {
        self.str("id").unwrap_or_default()
    }

    /// Whether it applies to clients of `protocol`: its `protocol` is the
    /// service's and `appliesTo` is not `server`.
    pub fn applies(&self, protocol: Protocol) -> bool {
        let wanted = match protocol {
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
        };
        self.str("protocol").as_deref() == Some(wanted)
            && self.str("appliesTo").as_deref() != Some("server")
    }

    /// The JSON path of `key` in the trait value (`[3].params`).
    pub fn path(&self, key: &str) -> String {
        if key.is_empty() {
            format!("[{}]", self.index)
        } else {
            format!("[{}].{key}", self.index)
        }
    }

    fn params(&self) -> Value {
        self.value
            .get("params")
            .cloned()
            .unwrap_or_else(|| Value::Object(Default::default()))
    }

    /// Why the client cannot run this case, if it cannot.
    fn unsupported(&self) -> Option<String> {
        if let Some(shape) = self.str("vendorParamsShape") {
            if shape != ERROR_CODE_PARAMS || self.kind == TestKind::Request {
                return Some(format!(
                    "its vendorParams (`{shape}`) configure the client in a way this test generator does not apply"
                ));
            }
        } else if self.value.get("vendorParams").is_some() {
            return Some(
                "its vendorParams have no vendorParamsShape saying what they mean".to_owned(),
            );
        }
        if let Some(scheme) = self.str("authScheme") {
            if scheme != "aws.auth#sigv4" {
                return Some(format!(
                    "it uses auth scheme `{scheme}`; the client signs with SigV4 only"
                ));
            }
        }
        None
    }

    /// The typed request case for `op`, or why it is skipped.
    pub fn request(
        &self,
        reader: &Reader<'_>,
        op_index: usize,
        op: &Operation,
    ) -> Result<Result<TestCase, String>, Misfit> {
        if let Some(why) = self.unsupported() {
            return Ok(Err(why));
        }
        let input = reader.structure(&op.input, &self.params(), &self.path("params"))?;
        let body = self.str("body").map(|text| Body {
            text,
            media_type: self.str("bodyMediaType"),
        });
        Ok(Ok(TestCase::Request(RequestTest {
            operation: op_index,
            input,
            method: self.str("method").unwrap_or_else(|| "POST".to_owned()),
            uri: self.str("uri").unwrap_or_else(|| "/".to_owned()),
            host: self.str("host"),
            resolved_host: self.str("resolvedHost"),
            query: QueryChecks {
                params: self.strings("queryParams"),
                forbid: self.strings("forbidQueryParams"),
                require: self.strings("requireQueryParams"),
            },
            headers: self.headers(),
            forbid_headers: self.strings("forbidHeaders"),
            require_headers: self.strings("requireHeaders"),
            body,
        })))
    }

    /// The typed response case for `op`: its output, or (`error`: index in
    /// the operation's errors) one of its errors; or why it is skipped.
    pub fn response(
        &self,
        reader: &Reader<'_>,
        op_index: usize,
        op: &Operation,
        error: Option<(usize, &super::Structure)>,
    ) -> Result<Result<TestCase, String>, Misfit> {
        if let Some(why) = self.unsupported() {
            return Ok(Err(why));
        }
        let status = self
            .value
            .get("code")
            .and_then(Value::as_u64)
            .and_then(|c| u16::try_from(c).ok())
            .filter(|c| (100..=599).contains(c))
            .ok_or_else(|| {
                (
                    self.path("code"),
                    "`code` must be an HTTP status, 100 to 599".to_owned(),
                )
            })?;
        let params = self.params();
        let at = self.path("params");
        let expected = match error {
            None => Expected::Output(reader.structure(&op.output, &params, &at)?),
            Some((index, shape)) => {
                let vendor = |key: &str| {
                    self.value
                        .get("vendorParams")
                        .and_then(|v| v.get(key))
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                };
                Expected::Error {
                    error: index,
                    members: reader.structure(shape, &params, &at)?,
                    code: vendor("code").unwrap_or_else(|| shape.id.name().to_owned()),
                    error_type: vendor("type"),
                }
            }
        };
        let input = reader.minimal(&op.input).ok_or_else(|| {
            (
                self.path(""),
                format!("no input of `{}` can be built to call it", op.name),
            )
        })?;
        Ok(Ok(TestCase::Response(ResponseTest {
            operation: op_index,
            input,
            status,
            headers: self.headers(),
            body: self.str("body").unwrap_or_default(),
            expected,
        })))
    }
}
