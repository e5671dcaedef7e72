//! `SdkConfig`: the settings every client of this runtime is built from, and
//! the loader that fills them from code, the environment and the shared
//! config files (SPEC §5.6).
//!
//! Loading never fails: a setting that cannot be used (no region found, an
//! invalid `AWS_MAX_ATTEMPTS`) is kept as an error and returned, with what
//! was wrong and where it came from, by every call made with the config.
//! Service-specific settings (`AWS_ENDPOINT_URL_<SERVICE>`) are looked up
//! when a client is built from the config.

use crate::credentials::{default_provider, SharedCredentialsProvider};
use crate::env::{parse_bool, Env};
use crate::http::{HyperClient, SharedHttpClient};
use crate::provider_config::ProviderConfig;
use crate::region::{resolve_region, Region};
use crate::retry::RetryConfig;
use std::fmt;
use std::time::Duration;

/// Timeouts applied to each call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeoutConfig {
    connect: Option<Duration>,
    attempt: Option<Duration>,
    operation: Option<Duration>,
}

impl Default for TimeoutConfig {
    /// Connect: 3.1 s (as the AWS SDKs); no attempt or operation limit.
    fn default() -> Self {
        Self {
            connect: Some(Duration::from_millis(3100)),
            attempt: None,
            operation: None,
        }
    }
}

impl TimeoutConfig {
    /// How long to wait for a connection (`None`: no limit).
    pub fn with_connect_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.connect = timeout;
        self
    }

    /// How long one attempt (send and read the whole response) may take;
    /// a timed-out attempt is retried like a connection failure.
    pub fn with_attempt_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.attempt = timeout;
        self
    }

    /// How long a whole call, retries and backoff included, may take.
    pub fn with_operation_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.operation = timeout;
        self
    }

    /// The connect timeout.
    pub fn connect(&self) -> Option<Duration> {
        self.connect
    }

    /// The per-attempt timeout.
    pub fn attempt(&self) -> Option<Duration> {
        self.attempt
    }

    /// The per-call timeout.
    pub fn operation(&self) -> Option<Duration> {
        self.operation
    }
}

/// A setting from the environment or a profile that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// Shared configuration for clients: region, credentials, endpoint
/// settings, retries, timeouts and the HTTP client.
///
/// Build one with [`ConfigLoader`] (usually through the generated crate's
/// `config::from_env()`), then create any number of clients from it;
/// clients built from one config share its HTTP connection pool and
/// credentials cache.
#[derive(Clone)]
pub struct SdkConfig {
    pub(crate) region: Result<Region, ConfigError>,
    pub(crate) credentials: SharedCredentialsProvider,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) http_client: SharedHttpClient,
    pub(crate) app_name: Option<String>,
    pub(crate) providers: ProviderConfig,
    pub(crate) errors: Vec<ConfigError>,
}

impl fmt::Debug for SdkConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkConfig")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("app_name", &self.app_name)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

impl SdkConfig {
    /// The region, or why none could be found.
    pub fn region(&self) -> Result<&Region, &ConfigError> {
        self.region.as_ref()
    }

    /// The endpoint URL set in code; the environment's are resolved per
    /// service by [`service_endpoint_url`](Self::service_endpoint_url).
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// The retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The timeouts.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// The credentials provider.
    pub fn credentials_provider(&self) -> &SharedCredentialsProvider {
        &self.credentials
    }

    /// The HTTP client.
    pub fn http_client(&self) -> &SharedHttpClient {
        &self.http_client
    }

    /// Settings that could not be used; each call made with this config fails with the first.
    pub fn errors(&self) -> &[ConfigError] {
        &self.errors
    }

    /// The endpoint URL for one service (SPEC §5.6): code, then
    /// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
    /// `[services]` section, the profile's `endpoint_url`; everything but
    /// code is skipped when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (or the
    /// profile's `ignore_configured_endpoint_urls`) is true.
    pub fn service_endpoint_url(&self, env_suffix: &str, profile_key: &str) -> Option<String> {
        if let Some(explicit) = &self.endpoint_url {
            return Some(explicit.clone());
        }
        self.providers
            .configured_endpoint_url(env_suffix, profile_key)
    }

    /// The application name added to the user agent.
    pub fn app_name(&self) -> Option<&str> {
        self.app_name.as_deref()
    }
}

/// Builds an [`SdkConfig`]: every setting given here wins over the
/// environment and the shared config files.
#[derive(Default, Debug)]
pub struct ConfigLoader {
    region: Option<Region>,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    http_client: Option<SharedHttpClient>,
    env: Option<Env>,
    app_name: Option<String>,
}

impl ConfigLoader {
    /// The region to call.
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Where credentials come from (for example `Credentials::from_keys(...)`).
    pub fn credentials_provider(
        mut self,
        provider: impl crate::credentials::ProvideCredentials + 'static,
    ) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sends every request to this URL instead of the one the endpoint rules give.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = Some(use_fips);
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = Some(use_dual_stack);
        self
    }

    /// Retry settings.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Timeouts.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// The HTTP client (default: hyper + rustls).
    pub fn http_client(mut self, client: impl crate::http::HttpClient + 'static) -> Self {
        self.http_client = Some(SharedHttpClient::new(client));
        self
    }

    /// Reads this environment instead of the process's (for tests, or to
    /// ignore the process environment: `Env::from_vars::<_, &str, &str>([])`).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// An application name for the user agent.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Resolves every setting. Never fails: unusable settings are reported
    /// by the calls made with the config (see [`SdkConfig::errors`]).
    pub async fn load(self) -> SdkConfig {
        let env = self.env.unwrap_or_else(Env::real);
        let timeouts = self.timeouts.unwrap_or_default();
        let http_client = self
            .http_client
            .unwrap_or_else(|| SharedHttpClient::new(HyperClient::new(timeouts.connect())));
        let providers = ProviderConfig::new(env.clone()).with_http_client(http_client.clone());
        let mut errors = Vec::new();
        let region = resolve_region(self.region, &providers)
            .await
            .map_err(|e| ConfigError::new(e.to_string()));
        let setting = Settings {
            env: &env,
            providers: &providers,
        };
        let use_fips = self.use_fips.unwrap_or_else(|| {
            setting
                .boolean("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")
                .unwrap_or_else(|e| {
                    errors.push(e);
                    false
                })
        });
        let use_dual_stack = self.use_dual_stack.unwrap_or_else(|| {
            setting
                .boolean("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
                .unwrap_or_else(|e| {
                    errors.push(e);
                    false
                })
        });
        let retry = match self.retry {
            Some(r) => r,
            None => setting.retry().unwrap_or_else(|e| {
                errors.push(e);
                RetryConfig::standard()
            }),
        };
        // Credential providers that call AWS (STS, IAM Identity Center)
        // run under the same limits as service calls.
        let providers = providers
            .with_timeout_config(timeouts)
            .with_retry_config(retry);
        let credentials = self
            .credentials
            .unwrap_or_else(|| default_provider(&providers));
        SdkConfig {
            region,
            credentials,
            endpoint_url: self.endpoint_url,
            use_fips,
            use_dual_stack,
            retry,
            timeouts,
            http_client,
            app_name: self.app_name,
            providers,
            errors,
        }
    }
}

/// Reads one setting from the environment, else the selected profile.
struct Settings<'a> {
    env: &'a Env,
    providers: &'a ProviderConfig,
}

impl Settings<'_> {
    /// The value and where it came from.
    fn get(&self, var: &str, key: &str) -> Option<(String, String)> {
        if let Some(v) = self.env.get(var) {
            return Some((v, var.to_owned()));
        }
        let profiles = self.providers.profiles().ok()?;
        let value = profiles.get(key)?.to_owned();
        Some((
            value,
            format!("`{key}` in profile `{}`", profiles.selected_profile_name()),
        ))
    }

    fn boolean(&self, var: &str, key: &str) -> Result<bool, ConfigError> {
        match self.get(var, key) {
            None => Ok(false),
            Some((v, from)) => parse_bool(&v).ok_or_else(|| {
                ConfigError::new(format!(
                    "invalid {from}: `{v}` (expected `true` or `false`)"
                ))
            }),
        }
    }

    fn retry(&self) -> Result<RetryConfig, ConfigError> {
        if let Some((mode, from)) = self.get("AWS_RETRY_MODE", "retry_mode") {
            if !mode.trim().eq_ignore_ascii_case("standard") {
                return Err(ConfigError::new(format!(
                    "invalid {from}: `{mode}` (this client supports `standard`)"
                )));
            }
        }
        match self.get("AWS_MAX_ATTEMPTS", "max_attempts") {
            None => Ok(RetryConfig::standard()),
            Some((v, from)) => match v.trim().parse::<u32>() {
                Ok(n) if n >= 1 => Ok(RetryConfig::standard().with_max_attempts(n)),
                _ => Err(ConfigError::new(format!(
                    "invalid {from}: `{v}` (expected a whole number of attempts, at least 1)"
                ))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::Credentials;

    fn loader(vars: &[(&str, &str)]) -> ConfigLoader {
        let mut vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // Keep tests off the real files and the network.
        vars.push(("AWS_EC2_METADATA_DISABLED".into(), "true".into()));
        vars.push(("AWS_CONFIG_FILE".into(), "/nonexistent/config".into()));
        vars.push((
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            "/nonexistent/credentials".into(),
        ));
        ConfigLoader::default()
            .env(Env::from_vars(vars))
            .credentials_provider(Credentials::from_keys("AKID", "SECRET", None))
    }

    #[tokio::test]
    async fn code_beats_environment() {
        let config = loader(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
        ])
        .region(Region::new("us-east-2"))
        .use_fips(false)
        .load()
        .await;
        assert_eq!(config.region().unwrap().as_ref(), "us-east-2");
        assert!(!config.use_fips());
    }

    #[tokio::test]
    async fn environment_settings() {
        let config = loader(&[
            ("AWS_DEFAULT_REGION", "ap-south-1"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "TRUE"),
            ("AWS_MAX_ATTEMPTS", "1"),
        ])
        .load()
        .await;
        assert_eq!(config.region().unwrap().as_ref(), "ap-south-1");
        assert!(config.use_dual_stack());
        assert_eq!(config.retry_config().max_attempts(), 1);
        assert!(config.errors().is_empty());
    }

    #[tokio::test]
    async fn invalid_settings_are_reported_with_their_source() {
        let config = loader(&[
            ("AWS_REGION", "us-east-1"),
            ("AWS_MAX_ATTEMPTS", "0"),
            ("AWS_USE_FIPS_ENDPOINT", "maybe"),
        ])
        .load()
        .await;
        let errors: Vec<String> = config.errors().iter().map(|e| e.to_string()).collect();
        assert_eq!(
            errors,
            [
                "invalid AWS_USE_FIPS_ENDPOINT: `maybe` (expected `true` or `false`)",
                "invalid AWS_MAX_ATTEMPTS: `0` (expected a whole number of attempts, at least 1)",
            ]
        );
        let config = loader(&[("AWS_RETRY_MODE", "adaptive")]).load().await;
        assert_eq!(
            config.errors()[0].to_string(),
            "invalid AWS_RETRY_MODE: `adaptive` (this client supports `standard`)"
        );
    }

    #[tokio::test]
    async fn missing_region_is_kept_as_an_error() {
        let config = loader(&[]).load().await;
        let err = config.region().unwrap_err().to_string();
        assert!(err.contains("AWS_REGION"), "{err}");
    }

    #[tokio::test]
    async fn service_endpoint_url_precedence() {
        let vars = [
            ("AWS_ENDPOINT_URL", "http://global"),
            ("AWS_ENDPOINT_URL_PROTON", "http://proton"),
        ];
        let config = loader(&vars).load().await;
        assert_eq!(
            config.service_endpoint_url("PROTON", "proton").as_deref(),
            Some("http://proton")
        );
        assert_eq!(
            config.service_endpoint_url("OTHER", "other").as_deref(),
            Some("http://global")
        );
        let config = loader(&vars).endpoint_url("http://code").load().await;
        assert_eq!(
            config.service_endpoint_url("PROTON", "proton").as_deref(),
            Some("http://code")
        );
        let mut ignore = vars.to_vec();
        ignore.push(("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));
        let config = loader(&ignore).load().await;
        assert_eq!(config.service_endpoint_url("PROTON", "proton"), None);
    }

    #[tokio::test]
    async fn profile_settings_and_services_section() {
        let dir = tempfile::tempdir().unwrap();
        let config_path = dir.path().join("config");
        std::fs::write(
            &config_path,
            "[profile dev]\nregion = us-west-2\nmax_attempts = 5\nservices = local\n\n[services local]\nproton =\n  endpoint_url = http://localhost:4566\n",
        )
        .unwrap();
        let env = Env::from_vars([
            ("AWS_PROFILE", "dev"),
            ("AWS_CONFIG_FILE", config_path.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]);
        let config = ConfigLoader::default().env(env).load().await;
        assert_eq!(config.region().unwrap().as_ref(), "us-west-2");
        assert_eq!(config.retry_config().max_attempts(), 5);
        assert_eq!(
            config.service_endpoint_url("PROTON", "proton").as_deref(),
            Some("http://localhost:4566")
        );
        assert_eq!(config.service_endpoint_url("OTHER", "other"), None);
    }
}
