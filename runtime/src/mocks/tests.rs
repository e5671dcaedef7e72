//! Rules, sequences and answers, on a hand-written client shaped like a
//! generated one (one operation, `GetThing`, with one modelled error).

use super::*;
use crate::client::{
    CallError, ClientHandle, EndpointConfig, ErrorParts, Modeled, ModeledError, Output, RequestId,
    ServiceInfo,
};
use crate::endpoint::{Endpoint, ResolveEndpointError};
use crate::error::{ErrorMeta, ProvideErrorMetadata, RequestErrorKind};
use crate::json::{self, JsonReader, ValueWriter};
use crate::{RequestError, Unhandled};

fn endpoint(_: &EndpointConfig<'_>) -> Result<Endpoint, ResolveEndpointError> {
    Ok(Endpoint::new("https://thing.test"))
}

static SERVICE: ServiceInfo = ServiceInfo {
    target_prefix: "Things",
    content_type: "application/x-amz-json-1.0",
    signing_name: "things",
    env_suffix: "THINGS",
    profile_key: "things",
    user_agent: "things/0",
    retryable_errors: &[("SlowDown", true)],
    resolve_endpoint: endpoint,
    query_compatible: false,
    compressed_operations: &[],
    endpoint_discovery: None,
};

#[derive(Clone, Debug, PartialEq)]
struct ThingInput {
    name: Option<String>,
}

impl json::Serialize for ThingInput {
    fn serialize(&self, w: ValueWriter<'_>) {
        let mut o = w.object();
        o.optional("name", self.name.as_ref());
        o.end();
    }
}

impl json::Deserialize for ThingInput {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, json::DeserializeError> {
        let mut name = None;
        r.object(|r, key| {
            match key {
                "name" => name = r.nullable()?,
                _ => r.skip_value()?,
            }
            Ok(())
        })?;
        Ok(Self { name })
    }
}

#[derive(Debug, PartialEq)]
struct ThingOutput {
    size: Option<i64>,
    request_id: RequestId,
}

fn output(size: i64) -> ThingOutput {
    ThingOutput {
        size: Some(size),
        request_id: RequestId::default(),
    }
}

impl json::Serialize for ThingOutput {
    fn serialize(&self, w: ValueWriter<'_>) {
        let mut o = w.object();
        o.optional("size", self.size.as_ref());
        o.end();
    }
}

impl json::Deserialize for ThingOutput {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, json::DeserializeError> {
        let mut size = None;
        r.object(|r, key| {
            match key {
                "size" => size = r.nullable()?,
                _ => r.skip_value()?,
            }
            Ok(())
        })?;
        Ok(Self {
            size,
            request_id: RequestId::default(),
        })
    }
}

impl Output for ThingOutput {
    fn set_request_id(&mut self, id: Option<String>) {
        self.request_id = id.into();
    }
}

#[derive(Debug)]
struct NotFound {
    message: Option<String>,
    meta: ErrorMeta,
}

impl std::fmt::Display for NotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NotFound: {:?}", self.message)
    }
}

impl std::error::Error for NotFound {}

impl json::Serialize for NotFound {
    fn serialize(&self, w: ValueWriter<'_>) {
        let mut o = w.object();
        o.optional("message", self.message.as_ref());
        o.end();
    }
}

impl json::Deserialize for NotFound {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, json::DeserializeError> {
        let mut message = None;
        r.object(|r, key| {
            match key {
                "message" => message = r.nullable()?,
                _ => r.skip_value()?,
            }
            Ok(())
        })?;
        Ok(Self {
            message,
            meta: ErrorMeta::default(),
        })
    }
}

impl ModeledError for NotFound {
    fn set_meta(&mut self, meta: ErrorMeta) {
        self.meta = meta;
    }
}

impl ProvideErrorMetadata for NotFound {
    fn code(&self) -> Option<&str> {
        Some("NotFound")
    }
    fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
    fn request_id(&self) -> Option<&str> {
        self.meta.request_id()
    }
}

impl Modeled for NotFound {
    fn error_meta(&self) -> &ErrorMeta {
        &self.meta
    }
}

#[derive(Debug)]
enum ThingError {
    NotFound(NotFound),
    Unhandled(Unhandled),
    Request(RequestError),
}

impl From<RequestError> for ThingError {
    fn from(e: RequestError) -> Self {
        Self::Request(e)
    }
}

impl ThingError {
    fn from_call(error: CallError) -> Self {
        match error {
            CallError::Request(e) => Self::Request(e),
            CallError::Service(e) => match e.meta.code() {
                Some("NotFound") => e.modeled().map_or_else(Self::Request, Self::NotFound),
                _ => Self::Unhandled(Unhandled::new(e.meta)),
            },
        }
    }

    fn parts(&self) -> ErrorParts<'_> {
        match self {
            Self::NotFound(e) => ErrorParts::Modeled(e),
            Self::Unhandled(e) => ErrorParts::Unhandled(e),
            Self::Request(e) => ErrorParts::Request(e),
        }
    }
}

// As generated: the modelled error knows its code and status, the enum
// forwards every variant.
impl MockError for NotFound {
    fn mock_answer(&self) -> ErrorAnswer<'_> {
        ErrorAnswer::Modeled {
            code: "NotFound",
            status: 404,
            error: self,
        }
    }
}

impl MockError for ThingError {
    fn mock_answer(&self) -> ErrorAnswer<'_> {
        match self {
            Self::NotFound(e) => e.mock_answer(),
            Self::Unhandled(e) => e.mock_answer(),
            Self::Request(e) => e.mock_answer(),
        }
    }
}

/// What `client.get_thing()` returns: the fluent builder.
struct GetThingFluent;

impl MockOperation for GetThingFluent {
    const NAME: &'static str = "GetThing";
    type Input = ThingInput;
    type Output = ThingOutput;
    type Error = ThingError;
}

struct Client {
    handle: ClientHandle,
}

impl Client {
    fn get_thing(&self) -> GetThingFluent {
        GetThingFluent
    }

    async fn call(&self, name: &str) -> Result<ThingOutput, ThingError> {
        let input = ThingInput {
            name: Some(name.to_owned()),
        };
        self.handle
            .send("GetThing", &input, ThingError::from_call)
            .await
    }
}

impl MockClient for Client {
    fn from_config(config: ClientConfig) -> Self {
        Self {
            handle: ClientHandle::from_conf(config, &SERVICE),
        }
    }

    fn decode_input(operation: &str, body: &[u8]) -> Option<Result<Input, DeserializeError>> {
        match operation {
            "GetThing" => Some(decode::<ThingInput>(body)),
            _ => None,
        }
    }
}

fn not_found(message: &str) -> ThingError {
    ThingError::NotFound(NotFound {
        message: Some(message.to_owned()),
        meta: ErrorMeta::default(),
    })
}

fn unhandled(code: &str, status: u16) -> ThingError {
    ThingError::Unhandled(Unhandled::new(ErrorMeta::new(
        Some(code.to_owned()),
        Some("slow down".to_owned()),
        status,
        None,
    )))
}

#[tokio::test]
async fn a_matching_rule_answers_with_its_output_and_the_request_is_recorded() {
    let web = crate::mock!(Client::get_thing)
        .match_requests(|input| input.name.as_deref() == Some("web"))
        .then_output(|| output(7));
    let any = crate::mock!(Client::get_thing).then_output(|| output(1));
    let mocks = Mocks::<Client>::new([&web, &any]);
    let client = mocks.client();

    let out = client.call("web").await.unwrap();
    assert_eq!(out, output(7));
    assert_eq!(out.request_id.get(), Some("mock-request-1"));
    assert_eq!(client.call("db").await.unwrap(), output(1));
    assert_eq!(client.call("web").await.unwrap(), output(7));
    assert_eq!((web.num_calls(), any.num_calls()), (2, 1));
    assert!(!web.is_exhausted(), "a then_output rule answers forever");

    let requests = mocks.requests();
    let names: Vec<_> = requests
        .iter()
        .map(|r| r.input::<ThingInput>().unwrap().name.clone().unwrap())
        .collect();
    assert_eq!(names, ["web", "db", "web"]);
    assert_eq!(requests[0].operation(), "GetThing");
    assert_eq!(requests[0].header("x-amz-target"), Some("Things.GetThing"));
    assert!(requests[0].header("authorization").is_some(), "signed");
    assert_eq!(requests[0].body(), br#"{"name":"web"}"#);
    assert!(requests[0].input::<String>().is_none(), "typed");
    let debug = format!("{:?}", requests[0]);
    assert!(
        debug.contains("web") && !debug.contains("Signature"),
        "{debug}"
    );
}

#[tokio::test]
async fn an_unmatched_call_fails_once_naming_the_operation_and_input() {
    let web = crate::mock!(Client::get_thing)
        .match_requests(|input| input.name.as_deref() == Some("web"))
        .then_output(|| output(7));
    let mocks = Mocks::<Client>::new([web]);
    let err = mocks.client().call("api").await.unwrap_err();
    let ThingError::Unhandled(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.code(), Some("NoMatchingMockRule"));
    assert_eq!(e.meta().status(), 400);
    let message = e.message().unwrap();
    assert!(
        message.contains("no mock rule answers GetThing")
            && message.contains(r#"ThingInput { name: Some("api") }"#)
            && message.contains("1 rule(s) for GetThing did not match"),
        "{message}"
    );
    assert_eq!(mocks.requests().len(), 1, "not retried");
}

#[tokio::test]
async fn a_modeled_error_arrives_parsed_with_its_status_and_request_id() {
    let rule = crate::mock!(Client::get_thing).then_error(|| not_found("no such thing"));
    let mocks = Mocks::<Client>::new([rule]);
    let err = mocks.client().call("web").await.unwrap_err();
    let ThingError::NotFound(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.message.as_deref(), Some("no such thing"));
    assert_eq!(e.meta.code(), Some("NotFound"));
    assert_eq!(e.meta.status(), 404);
    assert_eq!(err.parts().request_id(), Some("mock-request-1"));
    assert_eq!(err.parts().message(), Some("no such thing"));
    assert_eq!(mocks.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_sequence_answers_in_order_and_retries_run() {
    let rule = crate::mock!(Client::get_thing)
        .sequence()
        .error(|| unhandled("SlowDown", 400))
        .http_response(|| MockResponse::new(503))
        .output(|| output(3))
        .build();
    let mocks = Mocks::<Client>::new([&rule]);
    let client = mocks.client();
    assert_eq!(client.call("web").await.unwrap(), output(3));
    assert_eq!(
        mocks.requests().len(),
        3,
        "a throttling error and a 503 retried"
    );
    assert!(rule.is_exhausted());
    let err = client.call("web").await.unwrap_err();
    let message = err.parts().message().unwrap().to_owned();
    assert!(
        message.contains("the 1 rule(s) for GetThing are exhausted"),
        "{message}"
    );
}

#[tokio::test]
async fn times_repeats_the_last_answer_and_repeat_keeps_the_last_forever() {
    let rule = crate::mock!(Client::get_thing)
        .sequence()
        .output(|| output(1))
        .times(2)
        .output(|| output(2))
        .repeat();
    let mocks = Mocks::<Client>::new([&rule]);
    let client = mocks.client();
    let mut sizes = Vec::new();
    for _ in 0..4 {
        sizes.push(client.call("x").await.unwrap().size.unwrap());
    }
    assert_eq!(sizes, [1, 1, 2, 2]);
    assert_eq!(rule.num_calls(), 4);
    assert!(!rule.is_exhausted());

    let dropped = crate::mock!(Client::get_thing)
        .sequence()
        .output(|| output(1))
        .times(0)
        .build();
    assert!(dropped.is_exhausted(), "times(0) drops the answer");
}

#[tokio::test(start_paused = true)]
async fn an_error_without_answer_is_a_retried_connection_failure() {
    let rule = crate::mock!(Client::get_thing)
        .then_error(|| ThingError::Request(RequestError::new(RequestErrorKind::Dispatch, "reset")));
    let timeout = crate::mock!(Client::get_thing)
        .match_requests(|input| input.name.as_deref() == Some("slow"))
        .then_error(|| ThingError::Request(RequestError::new(RequestErrorKind::Timeout, "slow")));
    let mocks = Mocks::<Client>::new([&timeout, &rule]);
    let client = mocks.client();
    let err = client.call("web").await.unwrap_err();
    let ThingError::Request(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::Dispatch);
    assert!(e.to_string().contains("reset"), "{e}");
    assert_eq!(mocks.requests().len(), 3, "every attempt");
    let err = client.call("slow").await.unwrap_err();
    assert!(
        matches!(&err, ThingError::Request(e) if e.is_timeout()),
        "{err:?}"
    );
}

#[tokio::test]
async fn answers_that_cannot_be_sent_fail_saying_why() {
    let bad_status = crate::mock!(Client::get_thing)
        .match_requests(|input| input.name.as_deref() == Some("status"))
        .then_http_response(|| MockResponse::new(42));
    let bad_header = crate::mock!(Client::get_thing)
        .then_http_response(|| MockResponse::new(200).header("bad header", "x"));
    let mocks = Mocks::<Client>::new([bad_status, bad_header]);
    let client = mocks.client();
    for (name, want) in [
        ("status", "status 42 is not an HTTP status"),
        ("header", "header `bad header` is not a valid header"),
    ] {
        let err = client.call(name).await.unwrap_err();
        assert_eq!(err.parts().code(), Some("InvalidMockAnswer"));
        let message = err.parts().message().unwrap_or_default().to_owned();
        assert!(message.contains(want), "{message}");
    }
}

#[tokio::test]
async fn unhandled_errors_keep_code_message_status_and_request_id() {
    let rule = crate::mock!(Client::get_thing).then_error(|| {
        ThingError::Unhandled(Unhandled::new(ErrorMeta::new(
            Some("Teapot".to_owned()),
            Some("short and stout".to_owned()),
            418,
            Some("rid-1".to_owned()),
        )))
    });
    let mocks = Mocks::<Client>::new([rule]);
    let err = mocks.client().call("x").await.unwrap_err();
    let ThingError::Unhandled(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (e.code(), e.message(), e.meta().status(), e.request_id()),
        (Some("Teapot"), Some("short and stout"), 418, Some("rid-1"))
    );
}

#[test]
fn error_bodies_carry_the_code_before_the_members() {
    let with_members = response::error(
        ErrorAnswer::Modeled {
            code: "NotFound",
            status: 404,
            error: &NotFound {
                message: Some("m".to_owned()),
                meta: ErrorMeta::default(),
            },
        },
        "rid",
    )
    .unwrap();
    assert_eq!(with_members.status(), 404);
    let empty = response::error(
        ErrorAnswer::Modeled {
            code: "NotFound",
            status: 404,
            error: &NotFound {
                message: None,
                meta: ErrorMeta::default(),
            },
        },
        "rid",
    )
    .unwrap();
    let body = |r: HttpResponse| {
        let (_, body) = r.into_parts();
        futures_executor(body)
    };
    assert_eq!(
        body(with_members),
        br#"{"__type":"NotFound","message":"m"}"#
    );
    assert_eq!(body(empty), br#"{"__type":"NotFound"}"#);
}

#[test]
fn each_kind_of_error_answers_as_itself() {
    let answer = |e: &ThingError| format!("{:?}", e.mock_answer());
    assert_eq!(
        answer(&not_found("gone")),
        r#"Modeled { code: "NotFound", status: 404, .. }"#
    );
    let teapot = Unhandled::new(ErrorMeta::new(Some("Teapot".to_owned()), None, 418, None));
    assert!(
        matches!(teapot.mock_answer(), ErrorAnswer::Unhandled(e) if e.code() == Some("Teapot"))
    );
    let timeout = RequestError::new(RequestErrorKind::Timeout, "slow");
    assert!(matches!(timeout.mock_answer(), ErrorAnswer::Request(e) if e.is_timeout()));
    assert!(answer(&ThingError::Request(timeout)).starts_with("Request("));
}

/// The whole of an in-memory body.
fn futures_executor(mut body: ResponseBody) -> Vec<u8> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async move {
        let mut out = Vec::new();
        while let Some(chunk) = body.chunk().await {
            out.extend_from_slice(&chunk.unwrap());
        }
        out
    })
}
