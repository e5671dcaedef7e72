//! Support for the workspace's end-to-end tests: a real HTTP server on
//! 127.0.0.1 that plays an AWS JSON service.
//!
//! The server records every request, checks its SigV4 signature against its
//! own copy of the credentials (answering 403 `InvalidSignatureException` on
//! a mismatch, as AWS does), and answers with whatever the test's responder
//! returns. Nothing leaves loopback.

pub mod fakes;
mod faulty;
pub mod net;
pub mod protocol;
pub mod response_fuzz;
pub mod secrets;
pub mod trace_capture;
pub use faulty::{FaultyServer, Misbehaviour};

use aws_json_runtime::config::{ConfigLoader, SdkConfig};
use aws_json_runtime::credentials::Credentials;
use aws_json_runtime::env::Env;
use aws_json_runtime::region::Region;
use aws_json_runtime::retry::RetryConfig;
use aws_json_runtime::sigv4::{sign, SignableRequest, SigningParams, SigningSettings};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// The test credentials the client signs with and the server checks against.
pub const ACCESS_KEY: &str = "AKIDTESTLOOPBACK";
/// The secret half.
pub const SECRET_KEY: &str = "loopback/secret+key";

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// `POST`, ...
    pub method: String,
    /// Path and query.
    pub path: String,
    /// The URI as the request carried it: path and query for the loopback
    /// server, the full `https://host/…` for [`InProcess`].
    pub uri: String,
    /// Headers in arrival order, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// When it arrived (tokio clock).
    pub at: tokio::time::Instant,
}

impl Recorded {
    fn new(parts: &http::request::Parts, body: Vec<u8>) -> Self {
        Self {
            method: parts.method.to_string(),
            path: parts
                .uri
                .path_and_query()
                .map_or("/".into(), |p| p.to_string()),
            uri: parts.uri.to_string(),
            headers: parts
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body,
            at: tokio::time::Instant::now(),
        }
    }

    /// The first value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as a JSON document.
    pub fn json(&self) -> aws_json_runtime::Document {
        aws_json_runtime::json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "request body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The operation from `X-Amz-Target` (`Prefix.Operation` → `Operation`).
    pub fn operation(&self) -> &str {
        self.header("x-amz-target")
            .and_then(|t| t.split_once('.'))
            .map_or("", |(_, op)| op)
    }
}

/// What the server answers.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    delay: Option<Duration>,
}

impl Reply {
    /// `status` with a JSON body.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: vec![
                ("content-type".into(), "application/x-amz-json-1.0".into()),
                ("x-amzn-requestid".into(), "test-request-id".into()),
            ],
            body: body.into().into_bytes(),
            delay: None,
        }
    }

    /// `200` with `body`.
    pub fn ok(body: impl Into<String>) -> Self {
        Self::json(200, body)
    }

    /// An error with `__type` `code` and `message`.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        Self::json(
            status,
            format!(r#"{{"__type":"com.amazonaws.test#{code}","message":"{message}"}}"#),
        )
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Replaces the body with raw bytes (for malformed responses).
    pub fn raw_body(mut self, body: &[u8]) -> Self {
        self.body = body.to_vec();
        self
    }

    /// Waits this long before answering.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// `status` with exactly `headers` and `body` (nothing added).
    pub fn raw(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Self {
        Self {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.to_vec(),
            delay: None,
        }
    }

    /// `status` with `content_type` and `body`.
    pub fn with_content_type(status: u16, content_type: &str, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: vec![
                ("content-type".into(), content_type.into()),
                ("x-amzn-requestid".into(), "test-request-id".into()),
            ],
            body: body.into().into_bytes(),
            delay: None,
        }
    }

    /// The HTTP response (the delay is the caller's to apply).
    fn into_response(self) -> http::Response<Bytes> {
        let mut response = http::Response::builder().status(self.status);
        for (k, v) in &self.headers {
            response = response.header(k, v);
        }
        response
            .body(Bytes::from(self.body))
            .expect("valid test response")
    }
}

type Responder = Box<dyn FnMut(&Recorded) -> Reply + Send>;

struct State {
    requests: Mutex<Vec<Recorded>>,
    responder: Mutex<Responder>,
    auth: Auth,
    /// The server's clock minus the real one, in seconds.
    clock_offset: AtomicI64,
    connections_opened: AtomicUsize,
    connections_open: AtomicUsize,
    /// Whether requests are kept for [`TestServer::requests`].
    recording: AtomicBool,
}

/// What the server checks before answering.
#[derive(Clone, Debug)]
pub enum Auth {
    /// A SigV4 signature made with `secret` (any access key), with the JSON
    /// protocol's headers signed: a mismatch is answered 403
    /// `InvalidSignatureException`, as AWS does.
    Json(String),
    /// A SigV4 signature made with the secret of the access key the
    /// request names (one of these pairs), with `host`, `x-amz-date` and
    /// `content-type` signed: how STS checks `AssumeRole`. A mismatch is
    /// answered 403 `SignatureDoesNotMatch` in STS's XML.
    Query(Vec<(String, String)>),
    /// Nothing: the test looks at the requests itself (unsigned APIs).
    Unsigned,
}

/// A loopback server playing an AWS JSON service.
pub struct TestServer {
    addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Starts a server answering with `responder`, checking signatures made
    /// with [`SECRET_KEY`].
    pub async fn start(responder: impl FnMut(&Recorded) -> Reply + Send + 'static) -> Self {
        Self::start_with_secret(SECRET_KEY, responder).await
    }

    /// Starts a server that checks requests as `auth` says.
    pub async fn start_with_auth(
        auth: Auth,
        responder: impl FnMut(&Recorded) -> Reply + Send + 'static,
    ) -> Self {
        Self::start_inner(auth, Box::new(responder)).await
    }

    /// Starts a server that checks signatures against `secret`.
    pub async fn start_with_secret(
        secret: &str,
        responder: impl FnMut(&Recorded) -> Reply + Send + 'static,
    ) -> Self {
        Self::start_inner(Auth::Json(secret.to_owned()), Box::new(responder)).await
    }

    async fn start_inner(auth: Auth, responder: Responder) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let state = Arc::new(State {
            requests: Mutex::new(Vec::new()),
            responder: Mutex::new(responder),
            auth,
            clock_offset: AtomicI64::new(0),
            connections_opened: AtomicUsize::new(0),
            connections_open: AtomicUsize::new(0),
            recording: AtomicBool::new(true),
        });
        let accept_state = state.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let state = accept_state.clone();
                state.connections_opened.fetch_add(1, Ordering::SeqCst);
                state.connections_open.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let counted = state.clone();
                    let service = hyper::service::service_fn(move |req| handle(state.clone(), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                        .await;
                    counted.connections_open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Self { addr, state, task }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().clone()
    }

    /// Sets the server's clock `secs` seconds ahead of the real one
    /// (behind, if negative). Its `Date` headers follow it, and it refuses
    /// signatures more than 5 minutes off it as AWS does: 400
    /// `InvalidSignatureException`, "Signature expired" / "not yet current".
    pub fn set_clock_offset(&self, secs: i64) {
        self.state.clock_offset.store(secs, Ordering::SeqCst);
    }

    /// Stops (or resumes) keeping requests for [`requests`](Self::requests):
    /// a load test's memory figures are then the client's alone.
    pub fn set_recording(&self, on: bool) {
        self.state.recording.store(on, Ordering::SeqCst);
    }

    /// Connections accepted so far.
    pub fn connections_opened(&self) -> usize {
        self.state.connections_opened.load(Ordering::SeqCst)
    }

    /// Connections open now (closed by either side once hyper notices).
    pub fn open_connections(&self) -> usize {
        self.state.connections_open.load(Ordering::SeqCst)
    }
}

/// The server's time: the real time moved by its clock offset.
fn server_now(state: &State) -> SystemTime {
    let offset = state.clock_offset.load(Ordering::SeqCst);
    let by = Duration::from_secs(offset.unsigned_abs());
    let now = SystemTime::now();
    if offset >= 0 {
        now + by
    } else {
        now - by
    }
}

/// SigV4's 5-minute window, checked against the server's clock.
fn check_request_time(request: &Recorded, now: SystemTime) -> Result<(), Reply> {
    const WINDOW: Duration = Duration::from_secs(300);
    let Some(signed) = request
        .header("x-amz-date")
        .and_then(|d| parse_amz_date(d).ok())
    else {
        return Ok(()); // the signature check reports it
    };
    let basic = |t: SystemTime| {
        aws_json_runtime::DateTime::from(t)
            .fmt(aws_json_runtime::datetime::Format::DateTime)
            .unwrap_or_default()
            .replace(['-', ':'], "")
    };
    let (amz, server) = (basic(signed), basic(now));
    if signed + WINDOW < now {
        let message = format!(
            "Signature expired: {amz} is now earlier than {} ({server} - 5 min.)",
            basic(now - WINDOW)
        );
        return Err(Reply::error(400, "InvalidSignatureException", &message));
    }
    if signed > now + WINDOW {
        let message = format!(
            "Signature not yet current: {amz} is still later than {} ({server} + 5 min.)",
            basic(now + WINDOW)
        );
        return Err(Reply::error(400, "InvalidSignatureException", &message));
    }
    Ok(())
}

async fn handle(
    state: Arc<State>,
    request: http::Request<hyper::body::Incoming>,
) -> Result<http::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes().to_vec())
        .unwrap_or_default();
    let recorded = Recorded::new(&parts, body);
    if state.recording.load(Ordering::SeqCst) {
        state.requests.lock().unwrap().push(recorded.clone());
    }
    let verdict = match &state.auth {
        Auth::Json(secret) => verify_signature(&recorded, secret)
            .map_err(|why| Reply::error(403, "InvalidSignatureException", &why)),
        Auth::Query(keys) => {
            let secret_for =
                |key: &str| keys.iter().find(|(k, _)| k == key).map(|(_, s)| s.clone());
            verify_signature_with(
                &recorded,
                &secret_for,
                &["host", "x-amz-date", "content-type"],
            )
            .map_err(|why| fakes::sts_error(403, "SignatureDoesNotMatch", &why))
        }
        Auth::Unsigned => Ok(()),
    };
    let now = server_now(&state);
    let verdict = verdict.and_then(|()| match state.auth {
        Auth::Unsigned => Ok(()),
        _ => check_request_time(&recorded, now),
    });
    let reply = match verdict {
        Ok(()) => (state.responder.lock().unwrap())(&recorded),
        Err(reply) => reply,
    };
    let has_date = reply
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("date"));
    let reply = if has_date {
        reply
    } else {
        let date = aws_json_runtime::DateTime::from(now)
            .fmt(aws_json_runtime::datetime::Format::HttpDate)
            .unwrap_or_default();
        reply.header("date", &date)
    };
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    Ok(reply.into_response().map(Full::new))
}

/// Recomputes the request's SigV4 signature from `secret` and the request
/// itself (the signed headers it names, its `X-Amz-Date`, its scope).
pub fn verify_signature(request: &Recorded, secret: &str) -> Result<(), String> {
    verify_signature_with(
        request,
        &|_| Some(secret.to_owned()),
        &["host", "x-amz-date", "content-type", "x-amz-target"],
    )
}

/// Recomputes the request's SigV4 signature with the secret `secret_for`
/// gives for the access key it names, requiring `required` to be signed.
pub fn verify_signature_with(
    request: &Recorded,
    secret_for: &dyn Fn(&str) -> Option<String>,
    required: &[&str],
) -> Result<(), String> {
    let auth = request
        .header("authorization")
        .ok_or("no Authorization header")?;
    let rest = auth
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not an AWS4-HMAC-SHA256 signature")?;
    let mut credential = None;
    let mut signed_headers = None;
    let mut signature = None;
    for part in rest.split(", ") {
        match part.split_once('=') {
            Some(("Credential", v)) => credential = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(format!("unexpected Authorization part `{part}`")),
        }
    }
    let (credential, signed_headers, signature) = (
        credential.ok_or("no Credential")?,
        signed_headers.ok_or("no SignedHeaders")?,
        signature.ok_or("no Signature")?,
    );
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key, _date, region, service, "aws4_request"] = scope[..] else {
        return Err(format!("malformed credential scope `{credential}`"));
    };
    let amz_date = request.header("x-amz-date").ok_or("no X-Amz-Date")?;
    let time = parse_amz_date(amz_date)?;
    let names: Vec<&str> = signed_headers.split(';').collect();
    let secret = secret_for(access_key)
        .ok_or_else(|| format!("The security token included in the request is invalid: unknown access key `{access_key}`"))?;
    let secret = secret.as_str();
    for required in required {
        if !names.contains(required) {
            return Err(format!("`{required}` is not signed"));
        }
    }
    if request.header("x-amz-security-token").is_some() && !names.contains(&"x-amz-security-token")
    {
        return Err("`x-amz-security-token` is sent but not signed".into());
    }
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(k, _)| names.contains(&k.as_str()))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let output = sign(
        &SignableRequest {
            method: &request.method,
            uri: &request.path,
            headers: &headers,
            body: &request.body,
        },
        &SigningParams {
            access_key_id: access_key,
            secret_access_key: secret,
            session_token: None,
            region,
            service,
            time,
            settings: SigningSettings::default(),
        },
    )
    .map_err(|e| e.to_string())?;
    if output.signature == signature {
        Ok(())
    } else {
        Err(format!(
            "The request signature we calculated does not match the signature you provided. Canonical request:\n{}",
            output.canonical_request
        ))
    }
}

fn parse_amz_date(v: &str) -> Result<SystemTime, String> {
    let b = v.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return Err(format!("malformed X-Amz-Date `{v}`"));
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &v[0..4],
        &v[4..6],
        &v[6..8],
        &v[9..11],
        &v[11..13],
        &v[13..15]
    );
    let t = aws_json_runtime::DateTime::from_str(
        &rfc3339,
        aws_json_runtime::datetime::Format::DateTime,
    )
    .map_err(|e| e.to_string())?;
    SystemTime::try_from(t).map_err(|e| e.to_string())
}

/// A config for a client talking to `url`: static test credentials, region
/// `us-east-1`, fast retries, and an empty environment (nothing read from
/// the process or `~/.aws`).
pub async fn test_config(url: &str) -> SdkConfig {
    test_loader(url).load().await
}

/// The loader behind [`test_config`], for tests that change a setting.
pub fn test_loader(url: &str) -> ConfigLoader {
    ConfigLoader::default()
        .env(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]))
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::from_keys(ACCESS_KEY, SECRET_KEY, None))
        .endpoint_url(url)
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
}

/// `text` parsed as a JSON document, to compare request bodies with.
pub fn json(text: &str) -> aws_json_runtime::Document {
    aws_json_runtime::json::from_slice(text.as_bytes())
        .unwrap_or_else(|e| panic!("expected JSON is not JSON ({e}): {text}"))
}

/// An in-process stand-in for [`TestServer`]: an [`HttpClient`] that
/// answers each request with the responder's [`Reply`] without any network,
/// so tests can run on tokio's paused clock (real sockets would let the
/// clock jump while waiting for I/O). Records requests like the server
/// (with their arrival time on the tokio clock); checks no signatures.
///
/// [`HttpClient`]: aws_json_runtime::http::HttpClient
pub struct InProcess {
    requests: Mutex<Vec<Recorded>>,
    responder: Mutex<Responder>,
}

impl std::fmt::Debug for InProcess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InProcess").finish_non_exhaustive()
    }
}

impl InProcess {
    /// A double answering with `responder`.
    pub fn new(responder: impl FnMut(&Recorded) -> Reply + Send + 'static) -> Arc<Self> {
        Arc::new(Self {
            requests: Mutex::new(Vec::new()),
            responder: Mutex::new(Box::new(responder)),
        })
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// A config whose client sends through `double` (endpoint
    /// `https://in-process.test`, otherwise like [`test_config`]).
    pub async fn config(double: &Arc<Self>) -> SdkConfig {
        test_loader("https://in-process.test")
            .http_client(double.clone())
            .load()
            .await
    }
}

impl aws_json_runtime::http::HttpClient for InProcess {
    fn call(
        &self,
        request: aws_json_runtime::http::HttpRequest,
    ) -> aws_json_runtime::http::BoxFuture<
        '_,
        Result<aws_json_runtime::http::HttpResponse, aws_json_runtime::http::ConnectorError>,
    > {
        let (parts, body) = request.into_parts();
        let recorded = Recorded::new(&parts, body.to_vec());
        self.requests.lock().unwrap().push(recorded.clone());
        let reply = (self.responder.lock().unwrap())(&recorded);
        Box::pin(async move {
            if let Some(delay) = reply.delay {
                tokio::time::sleep(delay).await;
            }
            Ok(reply.into_response().map(Into::into))
        })
    }
}

/// A responder answering `replies` in order, then the last one forever.
pub fn script(replies: Vec<Reply>) -> impl FnMut(&Recorded) -> Reply + Send + 'static {
    assert!(!replies.is_empty(), "a script needs at least one reply");
    let mut next = 0;
    move |_| {
        let reply = replies[next.min(replies.len() - 1)].clone();
        next += 1;
        reply
    }
}
