//! A client for the EC2 instance metadata service, IMDSv2 only.
//!
//! Each read first gets a session token (`PUT /latest/api/token` with
//! `x-aws-ec2-metadata-token-ttl-seconds: 21600`), cached until two minutes
//! before its TTL runs out, and sends it as `x-aws-ec2-metadata-token`.
//! There is no fallback to IMDSv1, as in the AWS SDK for Rust.
//!
//! Endpoint, first found: [`ImdsClient::with_endpoint`];
//! `AWS_EC2_METADATA_SERVICE_ENDPOINT`; profile key
//! `ec2_metadata_service_endpoint`; then by mode
//! (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` or profile key
//! `ec2_metadata_service_endpoint_mode`, `IPv4` or `IPv6`):
//! `http://169.254.169.254` or `http://[fd00:ec2::254]`.
//!
//! Like the Rust SDK: 1 s connect and 1 s response timeouts, up to 4
//! attempts, retrying 5xx and 401 (after dropping the token) but not other
//! statuses, and not timeouts or unreachable endpoints (so a machine that is
//! not on EC2 finds out in about a second).

use crate::http::read::SizeLimit;
use crate::http::{HttpRequest, SharedHttpClient};
use crate::provider_config::{backoff, send, ProviderConfig, SendError};
use bytes::Bytes;
use std::fmt;
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

const TOKEN_PATH: &str = "/latest/api/token";
const TTL_HEADER: &str = "x-aws-ec2-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "x-aws-ec2-metadata-token";
/// A token is replaced this long before it expires.
const TOKEN_REFRESH_BUFFER: Duration = Duration::from_secs(120);
const ENV_ENDPOINT: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
const ENV_ENDPOINT_MODE: &str = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
const PROFILE_ENDPOINT: &str = "ec2_metadata_service_endpoint";
const PROFILE_ENDPOINT_MODE: &str = "ec2_metadata_service_endpoint_mode";
/// The largest response read: metadata values (credentials, region, a
/// token) are a few KiB; user data, the largest, is at most 16 KiB.
const MAX_RESPONSE: u64 = 64 * 1024;

/// The IMDSv2 client.
pub struct ImdsClient {
    config: ProviderConfig,
    endpoint: Option<String>,
    connect_timeout: Duration,
    read_timeout: Duration,
    max_attempts: u32,
    retry_base_delay: Duration,
    token_ttl: Duration,
    max_response: u64,
    http: OnceLock<SharedHttpClient>,
    token: tokio::sync::Mutex<Option<Token>>,
    /// An unusable `AWS_METADATA_SERVICE_*` setting, reported by requests.
    settings_error: Option<String>,
}

/// The largest `AWS_METADATA_SERVICE_TIMEOUT` accepted, in seconds.
pub const MAX_METADATA_SERVICE_TIMEOUT_SECS: f64 = 300.0;
/// The most `AWS_METADATA_SERVICE_NUM_ATTEMPTS` accepted.
pub const MAX_METADATA_SERVICE_ATTEMPTS: u32 = 10;

/// The settings botocore and the AWS CLI read for instance metadata and
/// container credentials: `AWS_METADATA_SERVICE_TIMEOUT` (or the profile's
/// `metadata_service_timeout`), seconds for connecting and for the answer,
/// and `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (`metadata_service_num_attempts`),
/// the attempts per request. `None` where unset; the error names the
/// setting, its source and the accepted range.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct MetadataServiceSettings {
    pub timeout: Option<Duration>,
    pub attempts: Option<u32>,
    pub error: Option<String>,
}

pub(crate) fn metadata_service_settings(config: &ProviderConfig) -> MetadataServiceSettings {
    let profiles = config.profiles().ok();
    let get = |var: &str, key: &str| {
        config
            .env()
            .get(var)
            .map(|v| (v, var.to_owned()))
            .or_else(|| {
                let p = profiles?;
                let v = p.get(key)?.to_owned();
                Some((
                    v,
                    format!("`{key}` in profile `{}`", p.selected_profile_name()),
                ))
            })
    };
    let mut settings = MetadataServiceSettings::default();
    let mut errors = Vec::new();
    if let Some((v, from)) = get("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout") {
        match v.trim().parse::<f64>() {
            Ok(secs) if secs > 0.0 && secs <= MAX_METADATA_SERVICE_TIMEOUT_SECS => {
                settings.timeout = Duration::try_from_secs_f64(secs).ok();
            }
            _ => errors.push(format!(
                "invalid {from}: `{}` (expected a number of seconds above 0, at most {MAX_METADATA_SERVICE_TIMEOUT_SECS})",
                v.escape_debug()
            )),
        }
    }
    if let Some((v, from)) = get(
        "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
        "metadata_service_num_attempts",
    ) {
        match v.trim().parse::<u32>() {
            Ok(n) if (1..=MAX_METADATA_SERVICE_ATTEMPTS).contains(&n) => settings.attempts = Some(n),
            _ => errors.push(format!(
                "invalid {from}: `{}` (expected a whole number of attempts from 1 to {MAX_METADATA_SERVICE_ATTEMPTS})",
                v.escape_debug()
            )),
        }
    }
    if !errors.is_empty() {
        settings.error = Some(errors.join("; "));
    }
    settings
}

struct Token {
    value: http::HeaderValue,
    /// Endpoint the token is for: it changes if the environment does.
    endpoint: String,
    refresh_at: SystemTime,
}

impl fmt::Debug for ImdsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The cached token is a credential: never print it.
        f.debug_struct("ImdsClient")
            .field("endpoint", &self.endpoint)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

/// What kind of failure an [`ImdsError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImdsErrorKind {
    /// The endpoint settings are invalid.
    InvalidConfiguration,
    /// No response: connection refused, timed out... (usually: not on EC2).
    Unreachable,
    /// The service answered with this error status.
    ErrorResponse(u16),
    /// The service answered 2xx with something unusable.
    InvalidResponse,
}

/// Why an IMDS read failed; the message says which request and why.
#[derive(Clone, Debug)]
pub struct ImdsError {
    kind: ImdsErrorKind,
    message: String,
}

impl ImdsError {
    fn new(kind: ImdsErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ImdsErrorKind {
        self.kind
    }
}

impl fmt::Display for ImdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ImdsError {}

enum Attempt<T> {
    Done(Result<T, ImdsError>),
    Retry(ImdsError),
}

impl ImdsClient {
    /// A client configured by `config` (environment, profile, clock, HTTP
    /// client): 1 s to connect and 1 s for each answer, 4 attempts, unless
    /// `AWS_METADATA_SERVICE_TIMEOUT` / `AWS_METADATA_SERVICE_NUM_ATTEMPTS`
    /// (or the profile's `metadata_service_timeout` /
    /// `metadata_service_num_attempts`) say otherwise; an invalid value
    /// makes every request fail with an error naming it.
    pub fn new(config: &ProviderConfig) -> Self {
        let settings = metadata_service_settings(config);
        let timeout = settings.timeout.unwrap_or(Duration::from_secs(1));
        Self {
            config: config.clone(),
            endpoint: None,
            connect_timeout: timeout,
            read_timeout: timeout,
            max_attempts: settings.attempts.unwrap_or(4),
            retry_base_delay: Duration::from_secs(1),
            token_ttl: Duration::from_secs(21_600),
            max_response: MAX_RESPONSE,
            http: OnceLock::new(),
            token: tokio::sync::Mutex::new(None),
            settings_error: settings.error,
        }
    }

    /// Uses `endpoint` (e.g. `http://127.0.0.1:1338`) whatever the environment says.
    pub fn with_endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// Connect and response timeouts (default 1 s each). The connect
    /// timeout applies to the client this one builds; with a client from
    /// [`ProviderConfig::with_http_client`] their sum bounds each request.
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    /// Attempts per request (default 4; at least 1) and the base of the
    /// jittered exponential backoff between them (default 1 s).
    pub fn with_retries(mut self, max_attempts: u32, base_delay: Duration) -> Self {
        self.max_attempts = max_attempts.max(1);
        self.retry_base_delay = base_delay;
        self
    }

    /// The session token TTL to ask for (default 21600 s, six hours).
    pub fn with_token_ttl(mut self, ttl: Duration) -> Self {
        self.token_ttl = ttl;
        self
    }

    /// The largest response body read (default 64 KiB); a larger one is an
    /// [`ImdsErrorKind::InvalidResponse`] error.
    pub fn with_max_response_size(mut self, bytes: u64) -> Self {
        self.max_response = bytes;
        self
    }

    fn http(&self) -> &SharedHttpClient {
        self.http.get_or_init(|| {
            self.config
                .metadata_http_client_or_default(self.connect_timeout)
        })
    }

    /// The endpoint requests go to, without a trailing `/`.
    pub fn endpoint(&self) -> Result<String, ImdsError> {
        let invalid = |what: String| ImdsError::new(ImdsErrorKind::InvalidConfiguration, what);
        let env = self.config.env();
        // Profile settings are optional here: broken shared files are
        // reported by whoever needs them, not by every IMDS read.
        let profile = self.config.profiles().ok();
        let explicit = self
            .endpoint
            .clone()
            .map(|e| (e, "the configured endpoint".to_owned()))
            .or_else(|| env.get(ENV_ENDPOINT).map(|e| (e, ENV_ENDPOINT.to_owned())))
            .or_else(|| {
                let set = profile?;
                let p = set.selected_profile()?.property(PROFILE_ENDPOINT)?;
                Some((
                    p.value().to_owned(),
                    format!("{PROFILE_ENDPOINT} ({})", p.location()),
                ))
            });
        if let Some((endpoint, origin)) = explicit {
            let endpoint = endpoint.trim().trim_end_matches('/').to_owned();
            return match endpoint.parse::<http::Uri>() {
                Ok(uri) if uri.scheme().is_some() && uri.authority().is_some() => Ok(endpoint),
                _ => Err(invalid(format!(
                    "the IMDS endpoint `{endpoint}` from {origin} is not an absolute http(s) URL"
                ))),
            };
        }
        let mode = env
            .get(ENV_ENDPOINT_MODE)
            .map(|m| (m, ENV_ENDPOINT_MODE.to_owned()))
            .or_else(|| {
                let set = profile?;
                let p = set.selected_profile()?.property(PROFILE_ENDPOINT_MODE)?;
                Some((
                    p.value().to_owned(),
                    format!("{PROFILE_ENDPOINT_MODE} ({})", p.location()),
                ))
            });
        match mode {
            None => Ok("http://169.254.169.254".to_owned()),
            Some((mode, _)) if mode.trim().eq_ignore_ascii_case("ipv4") => {
                Ok("http://169.254.169.254".to_owned())
            }
            Some((mode, _)) if mode.trim().eq_ignore_ascii_case("ipv6") => {
                Ok("http://[fd00:ec2::254]".to_owned())
            }
            Some((mode, origin)) => Err(invalid(format!(
                "the IMDS endpoint mode `{mode}` from {origin} is neither IPv4 nor IPv6"
            ))),
        }
    }

    /// Reads the metadata at `path` (e.g. `/latest/meta-data/placement/region`).
    pub async fn get(&self, path: &str) -> Result<String, ImdsError> {
        if let Some(why) = &self.settings_error {
            return Err(ImdsError::new(
                ImdsErrorKind::InvalidConfiguration,
                why.clone(),
            ));
        }
        let endpoint = self.endpoint()?;
        let url = format!("{endpoint}{path}");
        let (url, endpoint) = (url.as_str(), endpoint.as_str());
        self.with_retries_loop(move || async move {
            let token = match self.token(endpoint).await {
                Ok(token) => token,
                Err(e) => return Attempt::Done(Err(e)),
            };
            let request = http::Request::get(url)
                .header(TOKEN_HEADER, token)
                .body(Bytes::new());
            let response = match self.send(request, &format!("GET {url}")).await {
                Ok(response) => response,
                Err(e) => return Attempt::Done(Err(e)),
            };
            let status = response.status();
            if status.is_success() {
                return Attempt::Done(String::from_utf8(response.into_body().to_vec()).map_err(
                    |_| {
                        ImdsError::new(
                            ImdsErrorKind::InvalidResponse,
                            format!("GET {url} answered with a body that is not UTF-8"),
                        )
                    },
                ));
            }
            let error = ImdsError::new(
                ImdsErrorKind::ErrorResponse(status.as_u16()),
                format!("GET {url} answered {status}"),
            );
            if status.as_u16() == 401 {
                // The token expired or was revoked: get a new one.
                *self.token.lock().await = None;
                Attempt::Retry(error)
            } else if status.is_server_error() {
                Attempt::Retry(error)
            } else {
                Attempt::Done(Err(error))
            }
        })
        .await
    }

    /// A valid session token for `endpoint`, from the cache or a new one.
    async fn token(&self, endpoint: &str) -> Result<http::HeaderValue, ImdsError> {
        // Held across the fetch so concurrent reads wait for one token.
        let mut cached = self.token.lock().await;
        let now = self.config.clock().now();
        if let Some(token) = cached.as_ref() {
            if token.endpoint == endpoint && now < token.refresh_at {
                return Ok(token.value.clone());
            }
        }
        let url = format!("{endpoint}{TOKEN_PATH}");
        let requested = self.token_ttl.as_secs().max(1);
        let url = url.as_str();
        let (value, ttl) = self
            .with_retries_loop(move || async move {
                let request = http::Request::put(url)
                    .header(TTL_HEADER, requested.to_string())
                    .body(Bytes::new());
                let response = match self.send(request, &format!("PUT {url} (session token)")).await
                {
                    Ok(response) => response,
                    Err(e) => return Attempt::Done(Err(e)),
                };
                let status = response.status();
                if status.is_success() {
                    let token =
                        session_token(response.headers().get(TTL_HEADER), response.body(), requested);
                    return Attempt::Done(token.ok_or_else(|| {
                        ImdsError::new(
                            ImdsErrorKind::InvalidResponse,
                            format!("PUT {url} answered {status} without a usable token"),
                        )
                    }));
                }
                let hint = match status.as_u16() {
                    400 => " (the token TTL was refused)",
                    403 => " (IMDS is disabled on this instance, or the request was forwarded through a proxy)",
                    404 | 405 => " (this endpoint does not support IMDSv2)",
                    _ => "",
                };
                let error = ImdsError::new(
                    ImdsErrorKind::ErrorResponse(status.as_u16()),
                    format!("PUT {url} (session token) answered {status}{hint}"),
                );
                if status.is_server_error() || status.as_u16() == 401 {
                    Attempt::Retry(error)
                } else {
                    Attempt::Done(Err(error))
                }
            })
            .await?;
        let refresh_at = refresh_time(now, ttl);
        *cached = Some(Token {
            value: value.clone(),
            endpoint: endpoint.to_owned(),
            refresh_at,
        });
        Ok(value)
    }

    async fn send(
        &self,
        request: Result<HttpRequest, http::Error>,
        what: &str,
    ) -> Result<http::Response<Bytes>, ImdsError> {
        let request = request.map_err(|e| {
            ImdsError::new(
                ImdsErrorKind::InvalidConfiguration,
                format!("cannot build {what}: {e}"),
            )
        })?;
        send(
            self.http(),
            request,
            self.connect_timeout.saturating_add(self.read_timeout),
            SizeLimit {
                max: self.max_response,
                truncate: false,
                name: "the IMDS response limit (`ImdsClient::with_max_response_size`)",
            },
        )
        .await
        .map_err(|e| {
            let kind = match e {
                SendError::TooLarge(_) => ImdsErrorKind::InvalidResponse,
                SendError::TimedOut(_) | SendError::Connector(_) => ImdsErrorKind::Unreachable,
            };
            ImdsError::new(kind, format!("{what} failed: {e}"))
        })
    }

    async fn with_retries_loop<T, F, Fut>(&self, mut attempt: F) -> Result<T, ImdsError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Attempt<T>>,
    {
        let mut n = 1;
        loop {
            match attempt().await {
                Attempt::Done(result) => return result,
                Attempt::Retry(e) if n >= self.max_attempts => {
                    return Err(ImdsError::new(
                        e.kind,
                        if n > 1 {
                            format!("{} (after {n} attempts)", e.message)
                        } else {
                            e.message
                        },
                    ))
                }
                Attempt::Retry(_) => {
                    tokio::time::sleep(backoff(self.retry_base_delay, n)).await;
                    n += 1;
                }
            }
        }
    }
}

/// The session token of a successful `PUT /latest/api/token` answer and how
/// long it may be used: the TTL the service granted, but never more than the
/// `requested` seconds (an absent, garbled or larger TTL counts as the
/// requested one), so no header value can push expiry past what was asked.
pub(crate) fn session_token(
    ttl_header: Option<&http::HeaderValue>,
    body: &[u8],
    requested: u64,
) -> Option<(http::HeaderValue, Duration)> {
    let ttl = ttl_header
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(requested, |granted| granted.min(requested));
    let mut value = std::str::from_utf8(body)
        .ok()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .and_then(|t| http::HeaderValue::from_str(t).ok())?;
    value.set_sensitive(true);
    Some((value, Duration::from_secs(ttl)))
}

/// When a token obtained at `now` and valid for `ttl` is replaced: two
/// minutes before it expires; at once (no caching) when that instant is not
/// representable (a clock at the end of time).
pub(crate) fn refresh_time(now: SystemTime, ttl: Duration) -> SystemTime {
    now.checked_add(ttl.saturating_sub(TOKEN_REFRESH_BUFFER))
        .unwrap_or(now)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::env::Env;
    use crate::test_util::{Reply, TestServer};
    use std::time::UNIX_EPOCH;

    pub(crate) fn token_reply(token: &str, ttl: u64) -> Reply {
        Reply::ok(token).with_header(TTL_HEADER, ttl.to_string())
    }

    fn client(server: &TestServer, clock: &ManualClock) -> ImdsClient {
        ImdsClient::new(
            &ProviderConfig::new(Env::from_vars([(ENV_ENDPOINT, server.url())]))
                .with_clock(clock.clock()),
        )
        .with_retries(4, Duration::from_millis(1))
    }

    #[tokio::test]
    async fn token_then_get_with_token_header() {
        let server =
            TestServer::start(vec![token_reply("TOKEN_A", 21600), Reply::ok("us-west-2")]).await;
        let clock = ManualClock::new(UNIX_EPOCH);
        let value = client(&server, &clock)
            .get("/latest/meta-data/placement/region")
            .await
            .unwrap();
        assert_eq!(value, "us-west-2");
        let requests = server.requests();
        assert_eq!(requests[0].method, "PUT");
        assert_eq!(requests[0].path, "/latest/api/token");
        assert_eq!(requests[0].header(TTL_HEADER), Some("21600"));
        assert_eq!(requests[0].header(TOKEN_HEADER), None);
        assert_eq!(requests[1].method, "GET");
        assert_eq!(requests[1].path, "/latest/meta-data/placement/region");
        assert_eq!(requests[1].header(TOKEN_HEADER), Some("TOKEN_A"));
    }

    #[tokio::test]
    async fn token_is_cached_until_shortly_before_its_ttl() {
        let server = TestServer::start(vec![
            token_reply("TOKEN_A", 600),
            Reply::ok("one"),
            Reply::ok("two"),
            token_reply("TOKEN_B", 600),
            Reply::ok("three"),
        ])
        .await;
        let clock = ManualClock::new(UNIX_EPOCH);
        let client = client(&server, &clock).with_token_ttl(Duration::from_secs(600));
        assert_eq!(client.get("/a").await.unwrap(), "one");
        clock.advance(Duration::from_secs(400));
        assert_eq!(client.get("/a").await.unwrap(), "two");
        clock.advance(Duration::from_secs(100)); // 500 s: within 120 s of the 600 s TTL
        assert_eq!(client.get("/a").await.unwrap(), "three");
        let tokens: Vec<_> = server
            .requests()
            .iter()
            .map(|r| {
                (
                    r.method.clone(),
                    r.header(TOKEN_HEADER).map(str::to_owned),
                    r.header(TTL_HEADER).map(str::to_owned),
                )
            })
            .collect();
        assert_eq!(
            tokens,
            [
                ("PUT".into(), None, Some("600".into())),
                ("GET".into(), Some("TOKEN_A".into()), None),
                ("GET".into(), Some("TOKEN_A".into()), None),
                ("PUT".into(), None, Some("600".into())),
                ("GET".into(), Some("TOKEN_B".into()), None),
            ]
        );
    }

    #[tokio::test]
    async fn retries_5xx_and_401_with_a_new_token() {
        let server = TestServer::start(vec![
            Reply::status(500, ""),
            token_reply("TOKEN_A", 21600),
            Reply::status(503, ""),
            Reply::status(401, ""),
            token_reply("TOKEN_B", 21600),
            Reply::ok("ok"),
        ])
        .await;
        let clock = ManualClock::new(UNIX_EPOCH);
        assert_eq!(client(&server, &clock).get("/x").await.unwrap(), "ok");
        let seen: Vec<_> = server
            .requests()
            .iter()
            .map(|r| format!("{} {} {:?}", r.method, r.path, r.header(TOKEN_HEADER)))
            .collect();
        assert_eq!(
            seen,
            [
                "PUT /latest/api/token None",
                "PUT /latest/api/token None",
                "GET /x Some(\"TOKEN_A\")",
                "GET /x Some(\"TOKEN_A\")",
                "PUT /latest/api/token None",
                "GET /x Some(\"TOKEN_B\")",
            ]
        );
    }

    #[tokio::test]
    async fn no_retry_on_404_or_403_and_at_most_four_attempts() {
        let server = TestServer::start(vec![token_reply("T", 21600), Reply::status(404, "")]).await;
        let clock = ManualClock::new(UNIX_EPOCH);
        let err = client(&server, &clock).get("/missing").await.unwrap_err();
        assert_eq!(err.kind(), ImdsErrorKind::ErrorResponse(404));
        assert_eq!(
            err.to_string(),
            format!("GET {}/missing answered 404 Not Found", server.url())
        );
        assert_eq!(server.requests().len(), 2);

        let server = TestServer::start(vec![Reply::status(403, "")]).await;
        let err = client(&server, &clock).get("/x").await.unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("PUT {}/latest/api/token (session token) answered 403 Forbidden (IMDS is disabled on this instance, or the request was forwarded through a proxy)", server.url())
        );

        let server = TestServer::start((0..5).map(|_| Reply::status(500, "")).collect()).await;
        let err = client(&server, &clock).get("/x").await.unwrap_err();
        assert!(
            err.to_string()
                .ends_with("answered 500 Internal Server Error (after 4 attempts)"),
            "{err}"
        );
        assert_eq!(server.requests().len(), 4);
    }

    #[tokio::test]
    async fn metadata_service_timeout_and_attempts_settings() {
        // From the environment: 2 attempts, each answer within 0.2 s.
        let server = TestServer::start(vec![
            Reply::status(500, ""),
            Reply::status(500, ""),
            Reply::status(500, ""),
        ])
        .await;
        let env = Env::from_vars([
            (ENV_ENDPOINT, server.url().as_str()),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2"),
            ("AWS_METADATA_SERVICE_TIMEOUT", "0.2"),
        ]);
        let err = ImdsClient::new(&ProviderConfig::new(env.clone()))
            .get("/x")
            .await
            .unwrap_err();
        assert!(err.to_string().ends_with("(after 2 attempts)"), "{err}");
        assert_eq!(server.requests().len(), 2);
        let hang = TestServer::start(vec![Reply::Hang]).await;
        let env = Env::from_vars([
            (ENV_ENDPOINT, hang.url().as_str()),
            ("AWS_METADATA_SERVICE_TIMEOUT", "0.2"),
        ]);
        let err = ImdsClient::new(&ProviderConfig::new(env))
            .get("/x")
            .await
            .unwrap_err();
        assert!(
            err.to_string().ends_with("no response within 400ms"),
            "{err}"
        );

        // From the profile, and the environment wins over it.
        let profile =
            "[default]\nmetadata_service_timeout = 3\nmetadata_service_num_attempts = 7\n";
        let config = |vars: Vec<(&str, &str)>| {
            ProviderConfig::new(Env::from_vars(vars)).with_profiles(
                crate::profile::ProfileSet::from_strs("default", profile, ""),
            )
        };
        let settings = metadata_service_settings(&config(vec![]));
        assert_eq!(
            (settings.timeout, settings.attempts),
            (Some(Duration::from_secs(3)), Some(7))
        );
        let settings =
            metadata_service_settings(&config(vec![("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "1")]));
        assert_eq!(settings.attempts, Some(1));

        // Invalid values are errors naming the setting, reported on use.
        for (var, value, want) in [
            ("AWS_METADATA_SERVICE_TIMEOUT", "0", "invalid AWS_METADATA_SERVICE_TIMEOUT: `0` (expected a number of seconds above 0, at most 300)"),
            ("AWS_METADATA_SERVICE_TIMEOUT", "NaN", "invalid AWS_METADATA_SERVICE_TIMEOUT: `NaN`"),
            ("AWS_METADATA_SERVICE_TIMEOUT", "1e400", "invalid AWS_METADATA_SERVICE_TIMEOUT: `1e400`"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0", "invalid AWS_METADATA_SERVICE_NUM_ATTEMPTS: `0` (expected a whole number of attempts from 1 to 10)"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "99999999999", "invalid AWS_METADATA_SERVICE_NUM_ATTEMPTS: `99999999999`"),
        ] {
            let err = ImdsClient::new(&config(vec![(var, value)])).get("/x").await.unwrap_err();
            assert_eq!(err.kind(), ImdsErrorKind::InvalidConfiguration);
            assert!(err.to_string().starts_with(want), "{err}");
        }
        let settings = metadata_service_settings(
            &ProviderConfig::new(Env::from_vars(Vec::<(String, String)>::new())).with_profiles(
                crate::profile::ProfileSet::from_strs(
                    "default",
                    "[default]\nmetadata_service_timeout = soon\n",
                    "",
                ),
            ),
        );
        assert_eq!(
            settings.error.as_deref(),
            Some("invalid `metadata_service_timeout` in profile `default`: `soon` (expected a number of seconds above 0, at most 300)")
        );
    }

    #[tokio::test]
    async fn unreachable_and_timeouts_are_not_retried() {
        let server = TestServer::start(vec![Reply::Hang]).await;
        let clock = ManualClock::new(UNIX_EPOCH);
        let err = client(&server, &clock)
            .with_timeouts(Duration::from_millis(100), Duration::from_millis(100))
            .get("/x")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ImdsErrorKind::Unreachable);
        assert_eq!(
            err.to_string(),
            format!(
                "PUT {}/latest/api/token (session token) failed: no response within 200ms",
                server.url()
            )
        );
        assert_eq!(server.requests().len(), 1);

        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let err = ImdsClient::new(&ProviderConfig::new(Env::from_vars([(
            ENV_ENDPOINT,
            format!("http://{closed}"),
        )])))
        .get("/x")
        .await
        .unwrap_err();
        assert_eq!(err.kind(), ImdsErrorKind::Unreachable);
        assert!(
            err.to_string().contains("failed: connection failed"),
            "{err}"
        );
    }

    #[test]
    fn endpoint_resolution() {
        let endpoint = |vars: &[(&str, &str)], config: &str| {
            let provider_config = ProviderConfig::new(Env::from_vars(vars.iter().copied()))
                .with_profiles(crate::profile::ProfileSet::from_strs("default", config, ""));
            ImdsClient::new(&provider_config).endpoint()
        };
        assert_eq!(endpoint(&[], "").unwrap(), "http://169.254.169.254");
        assert_eq!(
            endpoint(&[(ENV_ENDPOINT_MODE, "IPv6")], "").unwrap(),
            "http://[fd00:ec2::254]"
        );
        assert_eq!(
            endpoint(
                &[],
                "[default]\nec2_metadata_service_endpoint_mode = ipv6\n"
            )
            .unwrap(),
            "http://[fd00:ec2::254]"
        );
        assert_eq!(
            endpoint(
                &[(ENV_ENDPOINT_MODE, "IPv4")],
                "[default]\nec2_metadata_service_endpoint_mode = ipv6\n"
            )
            .unwrap(),
            "http://169.254.169.254"
        );
        assert_eq!(
            endpoint(
                &[],
                "[default]\nec2_metadata_service_endpoint = http://a:1/\n"
            )
            .unwrap(),
            "http://a:1"
        );
        assert_eq!(
            endpoint(
                &[(ENV_ENDPOINT, "http://b:2")],
                "[default]\nec2_metadata_service_endpoint = http://a:1/\n"
            )
            .unwrap(),
            "http://b:2"
        );
        let err = endpoint(&[(ENV_ENDPOINT_MODE, "IPv5")], "").unwrap_err();
        assert_eq!(err.kind(), ImdsErrorKind::InvalidConfiguration);
        assert_eq!(err.to_string(), "the IMDS endpoint mode `IPv5` from AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE is neither IPv4 nor IPv6");
        let err = endpoint(
            &[],
            "[default]\nec2_metadata_service_endpoint = not a url\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the IMDS endpoint `not a url` from ec2_metadata_service_endpoint (config file line 2) is not an absolute http(s) URL"
        );
    }

    #[tokio::test]
    async fn a_huge_or_garbled_token_ttl_is_capped_at_the_requested_one() {
        let server = TestServer::start(vec![
            Reply::ok("TOKEN_A").with_header(TTL_HEADER, u64::MAX.to_string()),
            Reply::ok("one"),
            Reply::ok("two"),
            Reply::ok("TOKEN_B").with_header(TTL_HEADER, "-5"),
            Reply::ok("three"),
        ])
        .await;
        let clock = ManualClock::new(UNIX_EPOCH);
        let client = client(&server, &clock).with_token_ttl(Duration::from_secs(600));
        // 18446744073709551615 s from now overflowed `SystemTime` (a panic).
        assert_eq!(client.get("/a").await.unwrap(), "one");
        clock.advance(Duration::from_secs(479));
        assert_eq!(client.get("/a").await.unwrap(), "two");
        // Used for the requested 600 s less the 120 s buffer, not for u64::MAX s.
        clock.advance(Duration::from_secs(1));
        assert_eq!(client.get("/a").await.unwrap(), "three");
        let tokens: Vec<_> = server
            .requests()
            .iter()
            .filter_map(|r| r.header(TOKEN_HEADER).map(str::to_owned))
            .collect();
        assert_eq!(tokens, ["TOKEN_A", "TOKEN_A", "TOKEN_B"]);
    }

    #[test]
    fn token_refresh_time_never_overflows() {
        let end_of_time = UNIX_EPOCH + Duration::from_secs(i64::MAX as u64);
        assert_eq!(
            refresh_time(end_of_time, Duration::from_secs(21600)),
            end_of_time
        );
        assert_eq!(
            refresh_time(UNIX_EPOCH, Duration::from_secs(600)),
            UNIX_EPOCH + Duration::from_secs(480)
        );
        assert_eq!(
            refresh_time(UNIX_EPOCH, Duration::from_secs(60)),
            UNIX_EPOCH
        );
    }

    #[tokio::test]
    async fn debug_hides_the_token() {
        let server = TestServer::start(vec![
            token_reply("SECRET_TOKEN_VALUE", 21600),
            Reply::ok("x"),
        ])
        .await;
        let clock = ManualClock::new(UNIX_EPOCH);
        let client = client(&server, &clock);
        client.get("/x").await.unwrap();
        assert!(client.token.lock().await.is_some());
        let debug = format!("{client:?}");
        assert!(debug.starts_with("ImdsClient"), "{debug}");
        assert!(!debug.contains("SECRET_TOKEN_VALUE"), "{debug}");
    }
}
