//! Credentials from a container credentials endpoint (ECS task roles, EKS
//! Pod Identity, or any HTTP server speaking the same format).
//!
//! * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (checked first) →
//!   `GET http://169.254.170.2<uri>`.
//! * Else `AWS_CONTAINER_CREDENTIALS_FULL_URI`, accepted only over `https`,
//!   or over `http` when every address of its host is a loopback address,
//!   `169.254.170.2` (ECS), `169.254.170.23` or `fd00:ec2::23` (EKS); a
//!   host name is resolved once to check, and the request goes to the
//!   checked address (`container_address`: no second lookup).
//! * `Authorization` header from the file named by
//!   `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (preferred, re-read on each
//!   load since it rotates) or from `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
//!
//! Timeouts as in the AWS SDK for Rust: 2 s to connect, 5 s for the
//! response. Up to 3 attempts with jittered backoff when the endpoint cannot
//! be reached, answers 5xx, or answers 2xx with an unreadable body; other
//! answers fail at once.

use super::container_address::{pin_full_uri, Pinned, Resolver};
use super::json::{parse_json_credentials, JsonCredentials};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::bounded::{self, BoundedReadError};
use crate::http::read::SizeLimit;
use crate::http::{BoxFuture, HttpRequest, SharedHttpClient};
use crate::provider_config::{backoff, send, ProviderConfig, SendError};
use bytes::Bytes;
use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

const SOURCE: &str = "container";
const PROVIDER_NAME: &str = "EcsContainer";
const BASE_URL: &str = "http://169.254.170.2";
const ENV_RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
const ENV_FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
const ENV_TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
const ENV_TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
/// The largest response read: a credentials document is about 1.5 KiB.
const MAX_RESPONSE: u64 = 64 * 1024;

/// The largest authorization token file read: 64 KiB. Fixed, because
/// tokens (EKS Pod Identity service-account JWTs) are about 1 KB and HTTP
/// servers refuse header values far below this size; what it stops is the
/// variable naming the wrong file.
pub const MAX_TOKEN_FILE_SIZE: usize = 64 << 10;

/// Loads credentials from the container credentials endpoint.
#[derive(Debug)]
pub struct ContainerCredentialsProvider {
    config: ProviderConfig,
    base_url: String,
    connect_timeout: Duration,
    read_timeout: Duration,
    max_attempts: u32,
    retry_base_delay: Duration,
    max_response: u64,
    http: OnceLock<SharedHttpClient>,
    /// An unusable `AWS_METADATA_SERVICE_*` setting, reported when used.
    settings_error: Option<String>,
    resolver: Resolver,
}

impl ContainerCredentialsProvider {
    /// A provider configured by `config`'s environment: 2 s to connect, 5 s
    /// for the answer, 3 attempts, unless `AWS_METADATA_SERVICE_TIMEOUT` /
    /// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` (or the profile's
    /// `metadata_service_timeout` / `metadata_service_num_attempts`) say
    /// otherwise, as in botocore.
    pub fn new(config: &ProviderConfig) -> Self {
        let settings = crate::imds::metadata_service_settings(config);
        Self {
            config: config.clone(),
            base_url: BASE_URL.to_owned(),
            connect_timeout: settings.timeout.unwrap_or(Duration::from_secs(2)),
            read_timeout: settings.timeout.unwrap_or(Duration::from_secs(5)),
            max_attempts: settings.attempts.unwrap_or(3),
            retry_base_delay: Duration::from_secs(1),
            max_response: MAX_RESPONSE,
            http: OnceLock::new(),
            settings_error: settings.error,
            resolver: Resolver::system(),
        }
    }

    /// Resolves full-URI host names with `resolver` (tests: no DNS).
    #[cfg(test)]
    pub(crate) fn with_resolver(mut self, resolver: Resolver) -> Self {
        self.resolver = resolver;
        self
    }

    /// Resolves `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` against `base_url`
    /// instead of `http://169.254.170.2` (for tests on loopback).
    pub fn with_relative_uri_base(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// Connect and response timeouts (defaults 2 s and 5 s). The connect
    /// timeout applies to the client this provider builds; with a client
    /// from [`ProviderConfig::with_http_client`] only their sum bounds each
    /// attempt.
    pub fn with_timeouts(mut self, connect: Duration, read: Duration) -> Self {
        self.connect_timeout = connect;
        self.read_timeout = read;
        self
    }

    /// Attempts per load (default 3; at least 1) and the base of the
    /// jittered exponential backoff between them (default 1 s).
    pub fn with_retries(mut self, max_attempts: u32, base_delay: Duration) -> Self {
        self.max_attempts = max_attempts.max(1);
        self.retry_base_delay = base_delay;
        self
    }

    /// The largest response body read (default 64 KiB); a larger one fails
    /// the load without a retry.
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

    /// The endpoint URL from the environment, pinned to the checked
    /// address for a full URI over http.
    async fn url(&self) -> Result<Pinned, CredentialsError> {
        let env = self.config.env();
        if let Some(relative) = env.get(ENV_RELATIVE_URI) {
            if !relative.starts_with('/') {
                return Err(CredentialsError::invalid_configuration(
                    SOURCE,
                    format!("{ENV_RELATIVE_URI}=`{relative}` must start with `/`"),
                ));
            }
            let url = format!("{}{relative}", self.base_url.trim_end_matches('/'));
            return match url.parse::<http::Uri>() {
                Ok(_) => Ok(Pinned::as_is(url)),
                Err(e) => Err(CredentialsError::invalid_configuration(
                    SOURCE,
                    format!(
                        "{ENV_RELATIVE_URI}=`{relative}` does not make a valid URL ({url}): {e}"
                    ),
                )),
            };
        }
        if let Some(full) = env.get(ENV_FULL_URI) {
            return pin_full_uri(&full, &self.resolver).await.map_err(|why| {
                CredentialsError::invalid_configuration(
                    SOURCE,
                    format!("{ENV_FULL_URI}=`{full}` is not allowed: {why}"),
                )
            });
        }
        Err(CredentialsError::not_configured(
            SOURCE,
            format!("neither {ENV_RELATIVE_URI} nor {ENV_FULL_URI} is set"),
        ))
    }

    /// The `Authorization` header value, if one is configured.
    fn authorization(&self) -> Result<Option<http::HeaderValue>, CredentialsError> {
        let env = self.config.env();
        let (token, origin) = if let Some(path) = env.get(ENV_TOKEN_FILE) {
            let cannot_read = |why: String| {
                CredentialsError::invalid_configuration(
                    SOURCE,
                    format!("cannot read the authorization token file {path} (from {ENV_TOKEN_FILE}): {why}"),
                )
            };
            let text = match bounded::read_file(Path::new(&path), MAX_TOKEN_FILE_SIZE) {
                Ok(bytes) => String::from_utf8(bytes)
                    .map_err(|_| cannot_read("it is not UTF-8 text".to_owned()))?,
                Err(e @ BoundedReadError::TooLarge { .. }) => {
                    return Err(cannot_read(format!(
                        "it is {e} for a token; the limit is fixed because tokens are about 1 KB and HTTP servers refuse much smaller headers: check that {ENV_TOKEN_FILE} names the right file"
                    )))
                }
                Err(BoundedReadError::Io(e)) => return Err(cannot_read(e.to_string())),
            };
            // Token files are usually written with a trailing newline, which
            // is not allowed in a header value.
            (
                text.trim().to_owned(),
                format!("the file {path} (from {ENV_TOKEN_FILE})"),
            )
        } else if let Some(token) = env.get(ENV_TOKEN) {
            (token.trim().to_owned(), ENV_TOKEN.to_owned())
        } else {
            return Ok(None);
        };
        let mut value = http::HeaderValue::from_str(&token).map_err(|_| {
            // Never echo the token: say only where it came from.
            CredentialsError::invalid_configuration(
                SOURCE,
                format!("the authorization token in {origin} is not a valid HTTP header value (it has control or non-ASCII characters)"),
            )
        })?;
        value.set_sensitive(true);
        Ok(Some(value))
    }

    /// Loads credentials from the endpoint.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let Pinned { url, host } = self.url().await?;
        if let Some(why) = &self.settings_error {
            return Err(CredentialsError::invalid_configuration(SOURCE, why.clone()));
        }
        let authorization = self.authorization()?;
        let timeout = self.connect_timeout.saturating_add(self.read_timeout);
        let mut attempt = 1;
        loop {
            let mut request = http::Request::get(&url).header("accept", "application/json");
            if let Some(host) = &host {
                request = request.header("host", host.as_str());
            }
            if let Some(value) = &authorization {
                request = request.header("authorization", value.clone());
            }
            let request: HttpRequest = request.body(Bytes::new()).map_err(|e| {
                CredentialsError::invalid_configuration(
                    SOURCE,
                    format!("cannot request {url}: {e}"),
                )
            })?;
            let limit = SizeLimit {
                max: self.max_response,
                truncate: false,
                name: "the container credentials response limit (`ContainerCredentialsProvider::with_max_response_size`)",
            };
            let outcome = match send(self.http(), request, timeout, limit).await {
                Err(e @ (SendError::TimedOut(_) | SendError::Connector(_))) => {
                    Retry::Yes(format!("GET {url} failed: {e}"))
                }
                Err(e @ SendError::TooLarge(_)) => Retry::No(format!("GET {url} failed: {e}")),
                Ok(response) => {
                    let status = response.status();
                    let body = response.body();
                    if status.is_success() {
                        match parse_json_credentials(body, PROVIDER_NAME) {
                            Ok(JsonCredentials::Credentials(credentials)) => {
                                return Ok(credentials)
                            }
                            Ok(JsonCredentials::Error { code, message }) => Retry::No(format!(
                                "GET {url} answered {status} with error [{code}]: {message}"
                            )),
                            Err(why) => {
                                Retry::Yes(format!("GET {url} answered {status}, but {why}"))
                            }
                        }
                    } else {
                        let detail = match parse_json_credentials(body, PROVIDER_NAME) {
                            Ok(JsonCredentials::Error { code, message }) => {
                                format!(" with error [{code}]: {message}")
                            }
                            _ => String::new(),
                        };
                        let message = format!("GET {url} answered {status}{detail}");
                        if status.is_server_error() {
                            Retry::Yes(message)
                        } else {
                            Retry::No(message)
                        }
                    }
                }
            };
            match outcome {
                Retry::Yes(_) if attempt < self.max_attempts => {
                    tokio::time::sleep(backoff(self.retry_base_delay, attempt)).await;
                    attempt += 1;
                }
                Retry::Yes(message) | Retry::No(message) => {
                    let tries = if attempt > 1 {
                        format!(" (after {attempt} attempts)")
                    } else {
                        String::new()
                    };
                    return Err(CredentialsError::provider_failed(
                        SOURCE,
                        format!("{message}{tries}"),
                    ));
                }
            }
        }
    }
}

enum Retry {
    Yes(String),
    No(String),
}

impl ProvideCredentials for ContainerCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use crate::env::Env;
    use crate::http::{ConnectorError, HttpClient, HttpResponse};
    use crate::test_util::{Reply, TestServer};
    use std::sync::{Arc, Mutex};

    const CREDS: &str = r#"{"RoleArn":"arn:aws:iam::123456789:role/ecs-task-role","AccessKeyId":"ASIARTEST","SecretAccessKey":"SECRETTEST","Token":"TOKENTEST","Expiration":"2009-02-13T23:31:30Z"}"#;

    fn provider(vars: &[(&str, &str)], server: &TestServer) -> ContainerCredentialsProvider {
        ContainerCredentialsProvider::new(&ProviderConfig::new(Env::from_vars(
            vars.iter().copied(),
        )))
        .with_relative_uri_base(server.url())
        .with_retries(3, Duration::from_millis(1))
    }

    #[tokio::test]
    async fn metadata_service_settings_apply_to_the_container_endpoint() {
        let server = TestServer::start(vec![Reply::status(500, ""), Reply::ok(CREDS)]).await;
        let provider = ContainerCredentialsProvider::new(&ProviderConfig::new(Env::from_vars([
            (ENV_RELATIVE_URI, "/creds"),
            ("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "1"),
        ])))
        .with_relative_uri_base(server.url());
        let err = provider.credentials().await.unwrap_err();
        assert!(err.to_string().contains("500"), "{err}");
        assert_eq!(server.requests().len(), 1, "one attempt only");
        let provider = ContainerCredentialsProvider::new(&ProviderConfig::new(Env::from_vars([
            (ENV_RELATIVE_URI, "/creds"),
            ("AWS_METADATA_SERVICE_TIMEOUT", "-1"),
        ])))
        .with_relative_uri_base(server.url());
        let err = provider.credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(
            err.to_string()
                .starts_with("container: invalid AWS_METADATA_SERVICE_TIMEOUT: `-1`"),
            "{err}"
        );
        assert_eq!(
            server.requests().len(),
            1,
            "nothing sent with an invalid setting"
        );
    }

    #[tokio::test]
    async fn relative_uri_goes_to_the_base_host() {
        let server = TestServer::start(vec![Reply::ok(CREDS)]).await;
        let creds = provider(&[(ENV_RELATIVE_URI, "/creds")], &server)
            .credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "ASIARTEST");
        assert_eq!(creds.session_token(), Some("TOKENTEST"));
        assert_eq!(creds.provider_name(), "EcsContainer");
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].method, "GET");
        assert_eq!(requests[0].path, "/creds");
        assert_eq!(requests[0].header("accept"), Some("application/json"));
        assert_eq!(requests[0].header("authorization"), None);
    }

    #[tokio::test]
    async fn default_base_is_the_ecs_address() {
        let p = ContainerCredentialsProvider::new(&ProviderConfig::new(Env::from_vars([(
            ENV_RELATIVE_URI,
            "/creds",
        )])));
        assert_eq!(p.url().await.unwrap().url, "http://169.254.170.2/creds");
    }

    #[tokio::test]
    async fn relative_uri_wins_over_full_uri() {
        let server = TestServer::start(vec![Reply::ok(CREDS)]).await;
        provider(
            &[
                (ENV_RELATIVE_URI, "/relative"),
                (ENV_FULL_URI, "http://10.0.0.1/creds"),
            ],
            &server,
        )
        .credentials()
        .await
        .unwrap();
        assert_eq!(server.requests()[0].path, "/relative");
    }

    #[tokio::test]
    async fn full_uri_on_loopback_with_token_file() {
        let server = TestServer::start(vec![Reply::ok(CREDS)]).await;
        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, "Bearer from-file\n").unwrap();
        let full = format!("{}/v1/credentials?x=1", server.url());
        provider(
            &[
                (ENV_FULL_URI, &full),
                (ENV_TOKEN_FILE, token_file.to_str().unwrap()),
                (ENV_TOKEN, "from-env"),
            ],
            &server,
        )
        .credentials()
        .await
        .unwrap();
        let request = &server.requests()[0];
        assert_eq!(request.path, "/v1/credentials?x=1");
        assert_eq!(request.header("authorization"), Some("Bearer from-file"));
    }

    #[tokio::test]
    async fn token_file_over_the_size_limit_is_refused_before_any_request() {
        let server = TestServer::start(vec![Reply::ok(CREDS), Reply::ok(CREDS)]).await;
        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("token");
        let load = |file: String| {
            let server = &server;
            async move {
                provider(
                    &[(ENV_RELATIVE_URI, "/creds"), (ENV_TOKEN_FILE, &file)],
                    server,
                )
                .credentials()
                .await
            }
        };
        // At the limit (a trailing newline included) it is used.
        let mut token = "x".repeat(MAX_TOKEN_FILE_SIZE - 1);
        token.push('\n');
        std::fs::write(&token_file, &token).unwrap();
        load(token_file.to_str().unwrap().to_owned()).await.unwrap();
        // One byte more is refused, naming the limit, without echoing the token.
        std::fs::write(&token_file, format!("{token}x")).unwrap();
        let err = load(token_file.to_str().unwrap().to_owned())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        let text = err.to_string();
        assert!(
            text.contains("larger than the limit of 64 KiB (65536 bytes) for a token"),
            "{text}"
        );
        assert!(
            text.contains("check that AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names the right file"),
            "{text}"
        );
        assert!(!text.contains("xxxx"), "{text}");
        // An endless file stops at the limit too.
        if cfg!(unix) {
            let err = load("/dev/zero".to_owned()).await.unwrap_err();
            assert!(err.to_string().contains("larger than the limit"), "{err}");
        }
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn full_uri_with_token_from_env_and_localhost_name() {
        let server = TestServer::start(vec![Reply::ok(CREDS)]).await;
        let full = server.url().replace("127.0.0.1", "localhost") + "/c";
        provider(&[(ENV_FULL_URI, &full), (ENV_TOKEN, "Basic abc")], &server)
            .credentials()
            .await
            .unwrap();
        assert_eq!(
            server.requests()[0].header("authorization"),
            Some("Basic abc")
        );
    }

    #[tokio::test]
    async fn full_uri_rules() {
        let check = |uri: &'static str| async move {
            ContainerCredentialsProvider::new(&ProviderConfig::new(Env::from_vars([(
                ENV_FULL_URI,
                uri,
            )])))
            .url()
            .await
        };
        for ok in [
            "https://example.com/creds",
            "http://127.0.0.1:8080/creds",
            "http://127.0.0.2/creds",
            "http://[::1]/creds",
            "http://169.254.170.2/creds",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
        ] {
            assert_eq!(check(ok).await.unwrap(), Pinned::as_is(ok.to_owned()));
        }
        let err = check("http://10.0.0.1/creds").await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            err.to_string(),
            "container: AWS_CONTAINER_CREDENTIALS_FULL_URI=`http://10.0.0.1/creds` is not allowed: plain http is allowed only to \
             loopback addresses, 169.254.170.2, 169.254.170.23 and fd00:ec2::23, and 10.0.0.1 is not one of them; use https"
        );
        for (bad, why) in [
            (
                "ftp://127.0.0.1/x",
                "the scheme must be https or http, not `ftp`",
            ),
            ("/relative", "it is not an absolute URL"),
            (
                "http://169.254.169.254/x",
                "169.254.169.254 is not one of them",
            ),
        ] {
            let err = check(bad).await.unwrap_err();
            assert!(err.to_string().contains(why), "{err}");
        }
    }

    #[tokio::test]
    async fn not_configured_without_variables() {
        let server = TestServer::start(vec![]).await;
        let err = provider(&[(ENV_TOKEN, "t")], &server)
            .credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_configured());
        assert_eq!(
            err.to_string(),
            "container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"
        );
        assert!(server.requests().is_empty());
    }

    #[tokio::test]
    async fn retries_5xx_and_garbage_then_succeeds() {
        let server = TestServer::start(vec![
            Reply::status(500, "it broke"),
            Reply::ok("not json"),
            Reply::ok(CREDS),
        ])
        .await;
        let creds = provider(&[(ENV_RELATIVE_URI, "/creds")], &server)
            .credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "ASIARTEST");
        assert_eq!(server.requests().len(), 3);
    }

    #[tokio::test]
    async fn gives_up_after_three_attempts() {
        let server = TestServer::start(vec![
            Reply::status(503, ""),
            Reply::status(503, ""),
            Reply::status(503, ""),
            Reply::ok(CREDS),
        ])
        .await;
        let err = provider(&[(ENV_RELATIVE_URI, "/creds")], &server)
            .credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
        assert_eq!(
            err.to_string(),
            format!(
                "container: GET {}/creds answered 503 Service Unavailable (after 3 attempts)",
                server.url()
            )
        );
        assert_eq!(server.requests().len(), 3);
    }

    #[tokio::test]
    async fn client_errors_are_not_retried_and_show_code() {
        let server = TestServer::start(vec![Reply::status(
            400,
            r#"{"code":"InvalidToken","message":"The token is wrong"}"#,
        )])
        .await;
        let err = provider(&[(ENV_RELATIVE_URI, "/creds")], &server)
            .credentials()
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("container: GET {}/creds answered 400 Bad Request with error [InvalidToken]: The token is wrong", server.url())
        );
        assert_eq!(server.requests().len(), 1);
    }

    #[tokio::test]
    async fn timeout_is_reported() {
        let server = TestServer::start(vec![Reply::Hang, Reply::Hang]).await;
        let err = provider(&[(ENV_RELATIVE_URI, "/creds")], &server)
            .with_timeouts(Duration::from_millis(100), Duration::from_millis(100))
            .with_retries(2, Duration::from_millis(1))
            .credentials()
            .await
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "container: GET {}/creds failed: no response within 200ms (after 2 attempts)",
                server.url()
            )
        );
    }

    #[tokio::test]
    async fn bad_token_is_not_echoed() {
        let server = TestServer::start(vec![]).await;
        let err = provider(
            &[
                (ENV_RELATIVE_URI, "/creds"),
                (ENV_TOKEN, "secret\u{7f}token"),
            ],
            &server,
        )
        .credentials()
        .await
        .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(!err.to_string().contains("secret"), "{err}");
        assert!(
            err.to_string()
                .contains("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
            "{err}"
        );
        let err = provider(
            &[
                (ENV_RELATIVE_URI, "/creds"),
                (ENV_TOKEN_FILE, "/nonexistent/token"),
            ],
            &server,
        )
        .credentials()
        .await
        .unwrap_err();
        assert!(
            err.to_string().starts_with(
                "container: cannot read the authorization token file /nonexistent/token"
            ),
            "{err}"
        );
    }

    /// An HTTP client that logs requests with `Debug`, as a careless one might.
    #[derive(Debug, Default)]
    struct DebugLoggingClient(Arc<Mutex<Vec<String>>>);

    impl HttpClient for DebugLoggingClient {
        fn call(
            &self,
            request: HttpRequest,
        ) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
            self.0.lock().unwrap().push(format!("{request:?}"));
            Box::pin(async {
                Ok(http::Response::builder()
                    .status(200)
                    .body(CREDS.into())
                    .unwrap())
            })
        }
    }

    #[tokio::test]
    async fn authorization_header_is_marked_sensitive() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let config = ProviderConfig::new(Env::from_vars([
            (ENV_RELATIVE_URI, "/creds"),
            (ENV_TOKEN, "Bearer TOPSECRETTOKEN"),
        ]))
        .with_http_client(SharedHttpClient::new(DebugLoggingClient(log.clone())));
        let creds = ContainerCredentialsProvider::new(&config)
            .credentials()
            .await
            .unwrap();
        let logged = log.lock().unwrap().join("\n");
        assert!(logged.contains("authorization"), "{logged}");
        assert!(!logged.contains("TOPSECRETTOKEN"), "{logged}");
        // The credentials' own Debug hides the secret and session token too.
        let debug = format!("{creds:?}");
        assert!(
            !debug.contains("SECRETTEST") && !debug.contains("TOKENTEST"),
            "{debug}"
        );
        assert!(debug.contains(crate::REDACTED), "{debug}");
    }
}
