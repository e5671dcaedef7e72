//! `SdkConfig`: the settings every client of this runtime is built from, and
//! the loader that fills them from code, the environment and the shared
//! config files (SPEC §5.6).
//!
//! Loading never fails: a setting that cannot be used (no region found, an
//! invalid `AWS_MAX_ATTEMPTS`) is kept as an error and returned, with what
//! was wrong and where it came from, by every call made with the config.
//! Service-specific settings (`AWS_ENDPOINT_URL_<SERVICE>`) are looked up
//! when a client is built from the config.

mod call;
mod client;

pub use call::CallConfig;
pub use client::{ClientConfig, ClientConfigBuilder};

pub use crate::compression::RequestCompression;
use crate::credentials::{default_provider, SharedCredentialsProvider};
use crate::env::{parse_bool, Env};
use crate::http::{HyperClient, HyperClientBuilder, ProxyConfig, SharedHttpClient, TlsTrust};
pub use crate::http::{MinimumThroughput, PoolConfig, ResponseLimits};
use crate::provider_config::ProviderConfig;
use crate::region::{resolve_region, Region};
use crate::retry::RetryConfig;
pub use crate::timeout::TimeoutConfig;
use std::fmt;

/// A setting from the environment or a profile that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
    /// The setting it is about, when overriding that setting for one
    /// client makes the error moot.
    setting: Option<Setting>,
}

/// Settings a client config can override, making the shared config's
/// error about them moot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Setting {
    UseFips,
    UseDualStack,
    Retry,
    Http,
    Compression,
}

impl ConfigError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            setting: None,
        }
    }

    fn about(mut self, setting: Setting) -> Self {
        self.setting = Some(setting);
        self
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
    pub(crate) limits: ResponseLimits,
    pub(crate) compression: RequestCompression,
    pub(crate) http_client: SharedHttpClient,
    /// How the loader built `http_client` (none when given one): a client
    /// config with another connect timeout builds its own the same way.
    pub(crate) http_recipe: Option<HyperClientBuilder>,
    pub(crate) app_name: Option<String>,
    pub(crate) providers: ProviderConfig,
    pub(crate) errors: Vec<ConfigError>,
}

impl fmt::Debug for SdkConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SdkConfig")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field(
                "endpoint_url",
                &self
                    .endpoint_url
                    .as_deref()
                    .map(crate::endpoint::redact_url),
            )
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .field("limits", &self.limits)
            .field("compression", &self.compression)
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

    /// The response size limits.
    pub fn response_limits(&self) -> &ResponseLimits {
        &self.limits
    }

    /// The credentials provider.
    pub fn credentials_provider(&self) -> &SharedCredentialsProvider {
        &self.credentials
    }

    /// Request compression of `@requestCompression` operations.
    pub fn request_compression(&self) -> &RequestCompression {
        &self.compression
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
///
/// # Defaults that bound a call
///
/// With nothing set, no call can wait or grow without limit:
///
/// | setting | default | set with |
/// |---|---|---|
/// | connect timeout | 3.1 s | [`TimeoutConfig::with_connect_timeout`] |
/// | time to response headers, per attempt | 30 s | [`TimeoutConfig::with_response_headers_timeout`] |
/// | stalled body: minimum throughput over a grace period | 1 byte/s over 5 s | [`TimeoutConfig::with_minimum_throughput`] |
/// | whole attempt | none | [`TimeoutConfig::with_attempt_timeout`] |
/// | whole call, retries included | none | [`TimeoutConfig::with_operation_timeout`] |
/// | attempts | 3 (backoff ≤ 1 s, then ≤ 2 s) | [`retry_config`](Self::retry_config), `AWS_MAX_ATTEMPTS` |
/// | response body | 64 MiB | [`ResponseLimits::with_max_body`] |
/// | error body read | 1 MiB (the rest discarded) | [`ResponseLimits::with_max_error_body`] |
/// | idle pooled connection | closed after 60 s | [`PoolConfig::with_idle_timeout`] |
/// | idle connections per host | 64 | [`PoolConfig::with_max_idle_per_host`] |
///
/// So a server that never answers, or stalls in the middle of a body,
/// costs a call at most 3 × (30 s + 5.5 s of stall detection) + 3 s of
/// backoff = 109.5 s, under 2 minutes, ending in a timeout error
/// ([`TimeoutConfig`] explains each choice). Credential providers have
/// limits of their own (IMDS: 1 s + 1 s, 4 attempts; container: 2 s + 5 s,
/// 3 attempts).
#[derive(Default, Debug)]
pub struct ConfigLoader {
    region: Option<Region>,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<RedactedUrl>,
    use_fips: Option<bool>,
    use_dual_stack: Option<bool>,
    retry: Option<RetryConfig>,
    timeouts: Option<TimeoutConfig>,
    limits: Option<ResponseLimits>,
    disable_request_compression: Option<bool>,
    request_min_compression_size_bytes: Option<u32>,
    pool: Option<PoolConfig>,
    http_client: Option<SharedHttpClient>,
    tls_trust: Option<TlsTrust>,
    proxy: Option<ProxyConfig>,
    env: Option<Env>,
    app_name: Option<String>,
    profile_name: Option<String>,
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
        self.endpoint_url = Some(RedactedUrl(url.into()));
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

    /// Timeouts and stalled-stream protection (defaults in the table above).
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// Response size limits (default: 64 MiB body, 1 MiB of an error body).
    pub fn response_limits(mut self, limits: ResponseLimits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// Turns gzip compression of `@requestCompression` operations' request
    /// bodies off (`true`) or on, instead of `AWS_DISABLE_REQUEST_COMPRESSION`
    /// / the profile's `disable_request_compression` (default: on).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.disable_request_compression = Some(disable);
        self
    }

    /// The smallest request body compressed, 0 to 10,485,760 bytes, instead
    /// of `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` / the profile's
    /// `request_min_compression_size_bytes` (default: 10,240). A value out
    /// of range fails every call, naming it.
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.request_min_compression_size_bytes = Some(bytes);
        self
    }

    /// The default HTTP client's connection pool (default: idle connections
    /// closed after 60 s, at most 64 per host). Not used with
    /// [`http_client`](Self::http_client).
    pub fn pool_config(mut self, pool: PoolConfig) -> Self {
        self.pool = Some(pool);
        self
    }

    /// The HTTP client (default: hyper + rustls, see [`HyperClient`]).
    pub fn http_client(mut self, client: impl crate::http::HttpClient + 'static) -> Self {
        self.http_client = Some(SharedHttpClient::new(client));
        self
    }

    /// The certificate authorities the default HTTP client trusts, instead
    /// of `AWS_CA_BUNDLE` / the profile's `ca_bundle`: for example
    /// `TlsTrust::new().with_ca_bundle_file("corp CA", path)?`. The Mozilla
    /// roots compiled in are always trusted too. Not used with
    /// [`http_client`](Self::http_client).
    pub fn tls_trust(mut self, trust: TlsTrust) -> Self {
        self.tls_trust = Some(trust);
        self
    }

    /// The proxies the default HTTP client uses, instead of `HTTPS_PROXY`,
    /// `HTTP_PROXY` and `NO_PROXY` (`ProxyConfig::none()` turns proxies
    /// off). Instance metadata and container credentials are never
    /// proxied. Not used with [`http_client`](Self::http_client).
    pub fn proxy(mut self, proxy: ProxyConfig) -> Self {
        self.proxy = Some(proxy);
        self
    }

    /// Reads this environment instead of the process's (for tests, or to
    /// ignore the process environment: `Env::from_vars::<_, &str, &str>([])`).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }

    /// Uses profile `name` of the shared files for every setting and for
    /// credentials, whatever `AWS_PROFILE` says.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile_name = Some(name.into());
        self
    }

    /// An application name for the user agent.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Resolves every setting. Never fails: unusable settings are reported
    /// by the calls made with the config (see [`SdkConfig::errors`]).
    ///
    /// Boxed, so what it runs (profile files, region and IMDS lookups) is
    /// compiled once, in this crate, rather than in the application's
    /// crate that awaits it.
    pub fn load(self) -> crate::http::BoxFuture<'static, SdkConfig> {
        Box::pin(self.resolve())
    }

    async fn resolve(self) -> SdkConfig {
        let env = self.env.unwrap_or_else(Env::real);
        let timeouts = self.timeouts.unwrap_or_default();
        let pool = self.pool.unwrap_or_default();
        let mut providers = ProviderConfig::new(env.clone());
        if let Some(name) = self.profile_name {
            providers = providers.with_profile_name(name);
        }
        let mut errors = Vec::new();
        let mut http_recipe = None;
        let http_client = match self.http_client {
            Some(client) => client,
            None => {
                let trust = self
                    .tls_trust
                    .map(Ok)
                    .unwrap_or_else(|| trust_from_settings(&env, &providers));
                let trust = trust.unwrap_or_else(|e| {
                    errors.push(e.about(Setting::Http));
                    TlsTrust::default()
                });
                let proxy = self.proxy.unwrap_or_else(|| ProxyConfig::from_env(&env));
                let builder = HyperClient::builder()
                    .connect_timeout(timeouts.connect())
                    .pool(pool)
                    .tls_trust(trust);
                if !proxy.is_none() {
                    // Instance metadata and container credentials are on
                    // the host or link-local: never through the proxy.
                    if let Ok(direct) = builder.clone().build() {
                        providers =
                            providers.with_metadata_http_client(SharedHttpClient::new(direct));
                    }
                }
                let builder = builder.proxy(proxy);
                match builder.clone().build() {
                    Ok(client) => {
                        http_recipe = Some(builder);
                        SharedHttpClient::new(client)
                    }
                    Err(e) => {
                        // Every call fails with this error; the client is
                        // only there for the config's shape.
                        errors.push(ConfigError::new(e.to_string()).about(Setting::Http));
                        SharedHttpClient::new(HyperClient::with_pool(timeouts.connect(), pool))
                    }
                }
            }
        };
        let providers = providers.with_http_client(http_client.clone());
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
                    errors.push(e.about(Setting::UseFips));
                    false
                })
        });
        let use_dual_stack = self.use_dual_stack.unwrap_or_else(|| {
            setting
                .boolean("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")
                .unwrap_or_else(|e| {
                    errors.push(e.about(Setting::UseDualStack));
                    false
                })
        });
        let retry = match self.retry {
            Some(r) => r,
            None => setting.retry().unwrap_or_else(|e| {
                errors.push(e.about(Setting::Retry));
                RetryConfig::standard()
            }),
        };
        let compression = setting
            .compression(
                self.disable_request_compression,
                self.request_min_compression_size_bytes,
            )
            .unwrap_or_else(|e| {
                errors.push(e.about(Setting::Compression));
                RequestCompression::default()
            });
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
            endpoint_url: self.endpoint_url.map(|u| u.0),
            use_fips,
            use_dual_stack,
            retry,
            timeouts,
            limits: self.limits.unwrap_or_default(),
            compression,
            http_client,
            http_recipe,
            app_name: self.app_name,
            providers,
            errors,
        }
    }
}

/// `AWS_CA_BUNDLE`, else the profile's `ca_bundle`, added to the
/// compiled-in roots; an unusable bundle is a configuration error.
fn trust_from_settings(env: &Env, providers: &ProviderConfig) -> Result<TlsTrust, ConfigError> {
    let setting = Settings { env, providers };
    match setting.get("AWS_CA_BUNDLE", "ca_bundle") {
        None => Ok(TlsTrust::default()),
        Some((path, from)) => TlsTrust::new()
            .with_ca_bundle_file(&from, std::path::Path::new(path.trim()))
            .map_err(|e| ConfigError::new(e.to_string())),
    }
}

/// An endpoint URL whose `Debug` hides user info (`http://user:pass@host`).
#[derive(Clone)]
struct RedactedUrl(String);

impl fmt::Debug for RedactedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&crate::endpoint::redact_url(&self.0), f)
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

    /// Request compression: each setting from code, else the environment,
    /// else the profile; a minimum size out of range is an error naming
    /// where it came from.
    fn compression(
        &self,
        disable: Option<bool>,
        min_size: Option<u32>,
    ) -> Result<RequestCompression, ConfigError> {
        let disabled = match disable {
            Some(d) => d,
            None => self.boolean(
                "AWS_DISABLE_REQUEST_COMPRESSION",
                "disable_request_compression",
            )?,
        };
        let min_size = match min_size {
            Some(bytes) => RequestCompression::check(
                bytes.into(),
                "request_min_compression_size_bytes set in code",
            ),
            None => match self.get(
                "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
                "request_min_compression_size_bytes",
            ) {
                None => Ok(crate::compression::DEFAULT_MIN_SIZE_BYTES),
                Some((v, from)) => match v.trim().parse::<u64>() {
                    Ok(bytes) => RequestCompression::check(bytes, &from),
                    Err(_) => Err(format!(
                        "invalid {from}: `{v}` (expected a whole number of bytes, 0 to {})",
                        crate::compression::MAX_MIN_SIZE_BYTES
                    )),
                },
            },
        }
        .map_err(ConfigError::new)?;
        Ok(RequestCompression::default()
            .with_disabled(disabled)
            .with_min_size_bytes(min_size))
    }

    fn retry(&self) -> Result<RetryConfig, ConfigError> {
        let mut retry = RetryConfig::standard();
        if let Some((mode, from)) = self.get("AWS_RETRY_MODE", "retry_mode") {
            retry = match mode.trim().to_ascii_lowercase().as_str() {
                // The SDKs' `legacy` is each SDK's historical default,
                // which for the Rust SDK is the standard mode.
                "standard" | "legacy" => retry,
                "adaptive" => RetryConfig::adaptive(),
                _ => {
                    return Err(ConfigError::new(format!(
                        "invalid {from}: `{mode}` (expected `standard`, `adaptive` or `legacy`)"
                    )))
                }
            };
        }
        match self.get("AWS_MAX_ATTEMPTS", "max_attempts") {
            None => Ok(retry),
            Some((v, from)) => match v.trim().parse::<u32>() {
                Ok(n) if n >= 1 => Ok(retry.with_max_attempts(n)),
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
    use crate::credentials::{Credentials, ProvideCredentials};

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
    async fn imds_token_ttl_of_u64_max_does_not_panic_the_loader() {
        use crate::test_util::{Reply, TestServer};
        let server = TestServer::start(vec![
            Reply::ok("TOKEN").with_header(
                "x-aws-ec2-metadata-token-ttl-seconds",
                "18446744073709551615",
            ),
            Reply::ok("us-west-2"),
        ])
        .await;
        let env = Env::from_vars([
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()),
            ("AWS_CONFIG_FILE", "/nonexistent/config".to_owned()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/credentials".to_owned(),
            ),
        ]);
        let config = ConfigLoader::default()
            .env(env)
            .credentials_provider(Credentials::from_keys("AKID", "SECRET", None))
            .load()
            .await;
        assert_eq!(config.region().unwrap().as_ref(), "us-west-2");
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
        let config = loader(&[("AWS_RETRY_MODE", "fast")]).load().await;
        assert_eq!(
            config.errors()[0].to_string(),
            "invalid AWS_RETRY_MODE: `fast` (expected `standard`, `adaptive` or `legacy`)"
        );
    }

    #[tokio::test]
    async fn retry_modes() {
        use crate::retry::RetryMode;
        async fn mode(vars: &[(&'static str, &'static str)]) -> (RetryMode, u32) {
            let config = loader(vars).load().await;
            assert!(config.errors().is_empty(), "{:?}", config.errors());
            (
                config.retry_config().mode(),
                config.retry_config().max_attempts(),
            )
        }
        assert_eq!(mode(&[]).await, (RetryMode::Standard, 3));
        assert_eq!(
            mode(&[("AWS_RETRY_MODE", "Adaptive")]).await,
            (RetryMode::Adaptive, 3)
        );
        assert_eq!(
            mode(&[("AWS_RETRY_MODE", "adaptive"), ("AWS_MAX_ATTEMPTS", "5")]).await,
            (RetryMode::Adaptive, 5)
        );
        assert_eq!(
            mode(&[("AWS_RETRY_MODE", "legacy")]).await,
            (RetryMode::Standard, 3)
        );
    }

    #[tokio::test]
    async fn profile_name_in_code_beats_aws_profile() {
        let dir = tempfile::tempdir().unwrap();
        let config_path = dir.path().join("config");
        std::fs::write(
            &config_path,
            "[default]\nregion = us-east-1\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = S\n\
             [profile dev]\nregion = eu-west-3\naws_access_key_id = DEVKEY\naws_secret_access_key = S\nmax_attempts = 7\n",
        )
        .unwrap();
        let env = Env::from_vars([
            ("AWS_PROFILE", "default"),
            ("AWS_CONFIG_FILE", config_path.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]);
        let config = ConfigLoader::default()
            .env(env.clone())
            .profile_name("dev")
            .load()
            .await;
        assert_eq!(config.region().unwrap().as_ref(), "eu-west-3");
        assert_eq!(config.retry_config().max_attempts(), 7);
        let creds = config
            .credentials_provider()
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "DEVKEY");
        // Without it, AWS_PROFILE decides.
        let config = ConfigLoader::default().env(env.clone()).load().await;
        assert_eq!(config.region().unwrap().as_ref(), "us-east-1");
        // A profile named in code must exist; the error says who named it.
        let config = ConfigLoader::default()
            .env(env)
            .profile_name("nope")
            .load()
            .await;
        let err = config
            .credentials_provider()
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            err.to_string().starts_with("profile `nope`: the loader's `profile_name` selects it, but there is no such profile"),
            "{err}"
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
