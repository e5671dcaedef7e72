//! `ProviderConfig`: what credential and region providers read the world
//! through — environment, shared files, clock and HTTP client — so that one
//! value decides whether they see the real machine or a test's fixtures.

use crate::clock::Clock;
use crate::config::TimeoutConfig;
use crate::env::{parse_bool, Env};
use crate::http::read::{read_body, BodyError, SizeLimit};
use crate::http::{ConnectorError, ConnectorErrorKind, HttpRequest, HyperClient, SharedHttpClient};
use crate::profile::{ProfileError, ProfileSet};
use crate::retry::{jitter, RetryConfig};
use bytes::Bytes;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The environment, shared files, clock and HTTP client providers use.
///
/// Cloning is cheap, and clones share the shared files once loaded: the
/// files are read at most once, on first use, like the AWS SDK for Rust.
///
/// ```
/// use aws_json_runtime::env::Env;
/// use aws_json_runtime::provider_config::ProviderConfig;
/// let config = ProviderConfig::new(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]));
/// assert!(config.profiles().unwrap().is_empty()); // no HOME: no ~/.aws
/// ```
#[derive(Clone, Debug)]
pub struct ProviderConfig {
    env: Env,
    clock: Clock,
    http_client: Option<SharedHttpClient>,
    /// For instance metadata and container credentials: never proxied.
    metadata_http_client: Option<SharedHttpClient>,
    profiles: Arc<OnceLock<Result<ProfileSet, ProfileError>>>,
    timeouts: TimeoutConfig,
    retry: RetryConfig,
    profile_name: Option<String>,
}

impl ProviderConfig {
    /// Providers reading `env` (and the shared files it points to), the
    /// system clock, and HTTP clients of their own (each provider builds one
    /// with the connect timeout the AWS SDK for Rust uses for it).
    pub fn new(env: Env) -> Self {
        Self {
            env,
            clock: Clock::system(),
            http_client: None,
            metadata_http_client: None,
            profiles: Arc::new(OnceLock::new()),
            timeouts: TimeoutConfig::default(),
            retry: RetryConfig::standard(),
            profile_name: None,
        }
    }

    /// Selects profile `name` of the shared files, whatever `AWS_PROFILE`
    /// says. Call before the files are first read.
    pub fn with_profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self.profiles = Arc::new(OnceLock::new());
        self
    }

    /// The profile selected in code, if any.
    pub fn profile_name(&self) -> Option<&str> {
        self.profile_name.as_deref()
    }

    /// Calls to AWS services made to get credentials (STS, IAM Identity
    /// Center) use these timeouts, as service calls do.
    pub fn with_timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Calls to AWS services made to get credentials (STS, IAM Identity
    /// Center) retry as these settings say, as service calls do.
    pub fn with_retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// The timeouts for calls to AWS services.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The retry settings for calls to AWS services.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The endpoint URL configured for one service outside code (SPEC
    /// §5.6): `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the
    /// profile's `[services]` section, the profile's `endpoint_url`; none
    /// when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the profile's
    /// `ignore_configured_endpoint_urls`) is true.
    pub fn configured_endpoint_url(&self, env_suffix: &str, profile_key: &str) -> Option<String> {
        let profiles = self.profiles().ok();
        let ignore = self.env.is_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")
            || profiles
                .and_then(|p| p.get("ignore_configured_endpoint_urls"))
                .is_some_and(|v| parse_bool(v) == Some(true));
        if ignore {
            return None;
        }
        self.env
            .get(&format!("AWS_ENDPOINT_URL_{env_suffix}"))
            .or_else(|| self.env.get("AWS_ENDPOINT_URL"))
            .or_else(|| {
                let profiles = profiles?;
                profiles
                    .service_setting(profile_key, "endpoint_url")
                    .map(str::to_owned)
                    .or_else(|| profiles.get("endpoint_url").map(str::to_owned))
            })
    }

    /// Sends the providers' HTTP requests (container, IMDS) through `client`.
    /// Per-request timeouts still apply around it.
    pub fn with_http_client(mut self, client: SharedHttpClient) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Sends instance-metadata and container-credential requests through
    /// `client` instead (the loader gives them a client without the proxy:
    /// those endpoints are on the host or link-local, never behind a proxy).
    pub fn with_metadata_http_client(mut self, client: SharedHttpClient) -> Self {
        self.metadata_http_client = Some(client);
        self
    }

    /// Reads the time from `clock`.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Uses `profiles` (already loaded, or the error loading them gave)
    /// instead of loading the shared files from `env`.
    pub fn with_profiles(mut self, profiles: Result<ProfileSet, ProfileError>) -> Self {
        let cell = OnceLock::new();
        let _ = cell.set(profiles);
        self.profiles = Arc::new(cell);
        self
    }

    /// The environment.
    pub fn env(&self) -> &Env {
        &self.env
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The HTTP client given with [`with_http_client`](Self::with_http_client).
    pub fn http_client(&self) -> Option<&SharedHttpClient> {
        self.http_client.as_ref()
    }

    /// The shared config and credentials files, loaded from the locations
    /// `env` gives on first call ([`ProfileSet::load`]).
    pub fn profiles(&self) -> Result<&ProfileSet, &ProfileError> {
        self.profiles
            .get_or_init(|| {
                let loaded = ProfileSet::load(&self.env);
                match &self.profile_name {
                    Some(name) => loaded.map(|set| set.with_selected_profile(name.clone())),
                    None => loaded,
                }
            })
            .as_ref()
    }

    /// The given client, else a new default client with `connect_timeout`.
    pub(crate) fn http_client_or_default(&self, connect_timeout: Duration) -> SharedHttpClient {
        match &self.http_client {
            Some(client) => client.clone(),
            None => SharedHttpClient::new(HyperClient::new(Some(connect_timeout))),
        }
    }

    /// For instance metadata and container credentials: the metadata
    /// client, else the given client, else a new direct default client.
    pub(crate) fn metadata_http_client_or_default(
        &self,
        connect_timeout: Duration,
    ) -> SharedHttpClient {
        match &self.metadata_http_client {
            Some(client) => client.clone(),
            None => self.http_client_or_default(connect_timeout),
        }
    }
}

/// Why [`send`] got no usable response.
#[derive(Debug)]
pub(crate) enum SendError {
    /// No whole response within the time allowed.
    TimedOut(Duration),
    /// The client failed (connection refused, reset, DNS, TLS...).
    Connector(ConnectorError),
    /// The body is larger than the caller's limit (retrying would not help).
    TooLarge(BodyError),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::TimedOut(after) => write!(f, "no response within {after:?}"),
            SendError::Connector(e) => write!(f, "{e}"),
            SendError::TooLarge(e) => write!(f, "{e}"),
        }
    }
}

/// Sends `request` and reads its body within `limit`, giving up after
/// `timeout` for the whole exchange.
pub(crate) async fn send(
    client: &SharedHttpClient,
    request: HttpRequest,
    timeout: Duration,
    limit: SizeLimit,
) -> Result<http::Response<Bytes>, SendError> {
    let exchange = async {
        let response = client.call(request).await.map_err(SendError::Connector)?;
        let (parts, body) = response.into_parts();
        let declared = crate::http::read::content_length(&parts.headers);
        match read_body(body, declared, limit, None).await {
            Ok(read) => Ok(http::Response::from_parts(parts, read.bytes)),
            Err(e @ BodyError::TooLarge { .. }) => Err(SendError::TooLarge(e)),
            Err(e) => Err(SendError::Connector(ConnectorError::new(
                ConnectorErrorKind::Io,
                e,
            ))),
        }
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result,
        Err(_) => Err(SendError::TimedOut(timeout)),
    }
}

/// Full-jitter exponential backoff before retry `attempt` (1-based):
/// `random × min(base × 2^(attempt−1), 20 s)`, the standard retry mode's
/// formula ([`RetryConfig::backoff`]) with `base` as its initial backoff.
pub(crate) fn backoff(base: Duration, attempt: u32) -> Duration {
    RetryConfig::standard()
        .with_initial_backoff(base)
        .backoff(attempt, jitter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_capped() {
        for attempt in 1..40 {
            let d = backoff(Duration::from_secs(1), attempt);
            assert!(d <= Duration::from_secs(20), "{d:?}");
            assert!(d <= Duration::from_secs(1) * 2u32.pow(attempt.min(16) - 1));
        }
    }

    #[test]
    fn profiles_load_once_from_env() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "[default]\nregion = a\n").unwrap();
        let provider_config = ProviderConfig::new(Env::from_vars([(
            "AWS_CONFIG_FILE",
            config.to_str().unwrap(),
        )]));
        assert_eq!(provider_config.profiles().unwrap().get("region"), Some("a"));
        // Loaded once: a later change to the file is not seen, by clones either.
        std::fs::write(&config, "[default]\nregion = b\n").unwrap();
        assert_eq!(
            provider_config.clone().profiles().unwrap().get("region"),
            Some("a")
        );
    }
}
