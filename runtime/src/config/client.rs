//! [`ClientConfig`]: the configuration of one client, made from a shared
//! [`SdkConfig`] with per-client overrides, or from nothing at all (no
//! environment read: what tests and mocks need).

use super::{ConfigError, RequestCompression, SdkConfig, Setting};
use crate::credentials::{
    Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider,
};
use crate::http::{
    BoxFuture, HttpClient, HyperClient, HyperClientBuilder, ResponseLimits, SharedHttpClient,
};
use crate::intercept::{Intercept, SharedInterceptor};
use crate::provider_config::ProviderConfig;
use crate::region::Region;
use crate::retry::RetryConfig;
use crate::timeout::TimeoutConfig;
use std::fmt;

/// The configuration one client is built from (a generated crate calls it
/// `Config` and builds its `Client` with `Client::from_conf`).
///
/// Make one from a shared config, overriding what this client needs:
///
/// ```ignore
/// let sdk_config = aws_proton::config::from_env().await;
/// let config = aws_proton::config::Builder::from(&sdk_config)
///     .region("eu-west-1")
///     .timeout_config(TimeoutConfig::default().with_operation_timeout(Some(Duration::from_secs(30))))
///     .interceptor(MyInterceptor)
///     .build();
/// let client = aws_proton::Client::from_conf(config);
/// ```
///
/// or from nothing, reading no environment variable, file or metadata
/// service: [`ClientConfig::builder`]. That is how a client talks to a
/// test double: give it an [`HttpClient`] answering in-process and
/// [`with_test_defaults`](ClientConfigBuilder::with_test_defaults).
///
/// Building never fails: an unusable setting (no region, an invalid one)
/// fails every call made with the config, with an error saying which
/// setting and why.
#[derive(Clone)]
pub struct ClientConfig {
    pub(crate) region: Result<Region, ConfigError>,
    pub(crate) credentials: SharedCredentialsProvider,
    pub(crate) endpoint_url: Option<String>,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) limits: ResponseLimits,
    pub(crate) compression: RequestCompression,
    pub(crate) http: HttpSetting,
    pub(crate) app_name: Option<String>,
    /// Where a service's configured endpoint URL is looked up
    /// (`AWS_ENDPOINT_URL_<SERVICE>`, the profile); `None`: nowhere.
    pub(crate) providers: Option<ProviderConfig>,
    pub(crate) errors: Vec<ConfigError>,
    pub(crate) interceptors: Vec<SharedInterceptor>,
}

/// The HTTP client and, when this crate built it, how: so that a client
/// with another connect timeout gets a client built the same way.
#[derive(Clone, Debug)]
pub(crate) struct HttpSetting {
    pub(crate) client: SharedHttpClient,
    /// The builder the client came from, its connect timeout included.
    pub(crate) recipe: Option<HyperClientBuilder>,
    pub(crate) connect: Option<std::time::Duration>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
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
            .field("http_client", &self.http.client)
            .field("app_name", &self.app_name)
            .field("interceptors", &self.interceptors)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// A builder starting from nothing: no region, no credentials, the
    /// default HTTP client without proxies, default retries and timeouts.
    /// Nothing is read from the environment, the shared files or instance
    /// metadata, now or later.
    pub fn builder() -> ClientConfigBuilder {
        ClientConfigBuilder::default()
    }

    /// A builder starting from this config.
    pub fn to_builder(&self) -> ClientConfigBuilder {
        ClientConfigBuilder {
            region: Some(self.region.clone()),
            credentials: Some(self.credentials.clone()),
            endpoint_url: self.endpoint_url.clone(),
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            retry: self.retry,
            timeouts: self.timeouts,
            limits: self.limits,
            compression: self.compression,
            http: Http::Inherited(self.http.clone()),
            app_name: self.app_name.clone(),
            providers: self.providers.clone(),
            errors: self.errors.clone(),
            interceptors: self.interceptors.clone(),
        }
    }

    /// The region, or why there is none.
    pub fn region(&self) -> Result<&Region, &ConfigError> {
        self.region.as_ref()
    }

    /// The credentials provider.
    pub fn credentials_provider(&self) -> &SharedCredentialsProvider {
        &self.credentials
    }

    /// The endpoint URL set in code (the environment's is looked up per
    /// service when a client is built).
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

    /// Request compression of `@requestCompression` operations.
    pub fn request_compression(&self) -> &RequestCompression {
        &self.compression
    }

    /// The HTTP client.
    pub fn http_client(&self) -> &SharedHttpClient {
        &self.http.client
    }

    /// The interceptors every call runs, in order.
    pub fn interceptors(&self) -> &[SharedInterceptor] {
        &self.interceptors
    }

    /// Settings that could not be used; each call fails with the first.
    pub fn errors(&self) -> &[ConfigError] {
        &self.errors
    }

    /// The endpoint URL for one service: code, else (for a config made
    /// from an [`SdkConfig`]) the environment's and profile's.
    pub(crate) fn service_endpoint_url(
        &self,
        env_suffix: &str,
        profile_key: &str,
    ) -> Option<String> {
        if let Some(explicit) = &self.endpoint_url {
            return Some(explicit.clone());
        }
        self.providers
            .as_ref()
            .and_then(|p| p.configured_endpoint_url(env_suffix, profile_key))
    }
}

impl From<&SdkConfig> for ClientConfig {
    fn from(sdk_config: &SdkConfig) -> Self {
        ClientConfigBuilder::from(sdk_config).build()
    }
}

/// Where a builder's HTTP client comes from.
#[derive(Clone, Debug, Default)]
enum Http {
    /// The default client, built with the connect timeout.
    #[default]
    Default,
    /// The shared config's (or the config's this builder started from).
    Inherited(HttpSetting),
    /// Set on this builder.
    Explicit(SharedHttpClient),
}

/// Builds a [`ClientConfig`], starting from nothing
/// ([`ClientConfig::builder`]), from a shared config
/// (`ClientConfigBuilder::from(&sdk_config)`) or from a client's config
/// ([`ClientConfig::to_builder`]). Each setting replaces the one it
/// started with.
#[derive(Clone, Debug, Default)]
pub struct ClientConfigBuilder {
    region: Option<Result<Region, ConfigError>>,
    credentials: Option<SharedCredentialsProvider>,
    endpoint_url: Option<String>,
    use_fips: bool,
    use_dual_stack: bool,
    retry: RetryConfig,
    timeouts: TimeoutConfig,
    limits: ResponseLimits,
    compression: RequestCompression,
    http: Http,
    app_name: Option<String>,
    providers: Option<ProviderConfig>,
    errors: Vec<ConfigError>,
    interceptors: Vec<SharedInterceptor>,
}

impl From<&SdkConfig> for ClientConfigBuilder {
    fn from(sdk: &SdkConfig) -> Self {
        Self {
            region: Some(sdk.region.clone()),
            credentials: Some(sdk.credentials.clone()),
            endpoint_url: sdk.endpoint_url.clone(),
            use_fips: sdk.use_fips,
            use_dual_stack: sdk.use_dual_stack,
            retry: sdk.retry,
            timeouts: sdk.timeouts,
            limits: sdk.limits,
            compression: sdk.compression,
            http: Http::Inherited(HttpSetting {
                client: sdk.http_client.clone(),
                recipe: sdk.http_recipe.clone(),
                connect: sdk.timeouts.connect(),
            }),
            app_name: sdk.app_name.clone(),
            providers: Some(sdk.providers.clone()),
            errors: sdk.errors.clone(),
            interceptors: Vec::new(),
        }
    }
}

impl ClientConfigBuilder {
    /// The region to call; checked as every region is (one DNS label such
    /// as `us-east-1`).
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        let checked = crate::region::check_code_region(region.into())
            .map_err(|e| ConfigError::new(e.to_string()));
        self.region = Some(checked);
        self
    }

    /// Where credentials come from (static ones: `Credentials::from_keys(...)`).
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(SharedCredentialsProvider::new(provider));
        self
    }

    /// Sends this client's requests to `url` instead of where the
    /// endpoint rules say (and instead of any endpoint URL from the
    /// environment or the shared config).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Uses FIPS endpoints.
    pub fn use_fips(mut self, use_fips: bool) -> Self {
        self.use_fips = use_fips;
        self.errors.retain(|e| e.setting != Some(Setting::UseFips));
        self
    }

    /// Uses dual-stack (IPv4 and IPv6) endpoints.
    pub fn use_dual_stack(mut self, use_dual_stack: bool) -> Self {
        self.use_dual_stack = use_dual_stack;
        self.errors
            .retain(|e| e.setting != Some(Setting::UseDualStack));
        self
    }

    /// Retry settings (an unusable `AWS_MAX_ATTEMPTS` or `AWS_RETRY_MODE`
    /// of the shared config no longer matters for this client).
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self.errors.retain(|e| e.setting != Some(Setting::Retry));
        self
    }

    /// Timeouts. A different connect timeout than the shared config's
    /// gives this client a default HTTP client of its own, built as the
    /// shared one was (trust, proxies, pool settings); with an HTTP client
    /// you supplied, the connect timeout is that client's.
    pub fn timeout_config(mut self, timeouts: TimeoutConfig) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// Response size limits.
    pub fn response_limits(mut self, limits: ResponseLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Turns gzip compression of `@requestCompression` operations' request
    /// bodies off (`true`) or on (an unusable compression setting of the
    /// shared config no longer matters for this client).
    pub fn disable_request_compression(mut self, disable: bool) -> Self {
        self.compression = self.compression.with_disabled(disable);
        if disable {
            self.errors
                .retain(|e| e.setting != Some(Setting::Compression));
        }
        self
    }

    /// The smallest request body compressed, 0 to 10,485,760 bytes (a
    /// value out of range fails every call, naming it).
    pub fn request_min_compression_size_bytes(mut self, bytes: u32) -> Self {
        self.errors
            .retain(|e| e.setting != Some(Setting::Compression));
        match RequestCompression::check(bytes.into(), "request_min_compression_size_bytes") {
            Ok(bytes) => self.compression = self.compression.with_min_size_bytes(bytes),
            Err(e) => self
                .errors
                .push(ConfigError::new(e).about(Setting::Compression)),
        }
        self
    }

    /// The HTTP client: another HTTP stack, or a test double answering
    /// in-process (every call still runs the whole pipeline: endpoint,
    /// signing, retries, error parsing).
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http = Http::Explicit(SharedHttpClient::new(client));
        self.errors.retain(|e| e.setting != Some(Setting::Http));
        self
    }

    /// An application name for the user agent.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    /// Adds `interceptor`, run by every call of the client, after those
    /// added before.
    pub fn interceptor(mut self, interceptor: impl Intercept + 'static) -> Self {
        self.interceptors.push(SharedInterceptor::new(interceptor));
        self
    }

    /// Region `us-east-1` and [`Credentials::for_tests`] where none is
    /// set: a client for a test double, never for AWS. Reads nothing from
    /// the environment.
    pub fn with_test_defaults(mut self) -> Self {
        if self.region.is_none() {
            self = self.region(Region::from_static("us-east-1"));
        }
        if self.credentials.is_none() {
            self = self.credentials_provider(Credentials::for_tests());
        }
        self
    }

    /// The config.
    pub fn build(self) -> ClientConfig {
        let region = self.region.unwrap_or_else(|| {
            Err(ConfigError::new(
                "no AWS region set: this client config was not made from a shared config, so give \
                 it one with `region(\"us-east-1\")`",
            ))
        });
        let credentials = self
            .credentials
            .unwrap_or_else(|| SharedCredentialsProvider::new(NoCredentials));
        let connect = self.timeouts.connect();
        let http = match self.http {
            Http::Explicit(client) => HttpSetting {
                client,
                recipe: None,
                connect,
            },
            Http::Inherited(setting) => match &setting.recipe {
                Some(recipe) if setting.connect != connect => recipe
                    .clone()
                    .connect_timeout(connect)
                    .build()
                    .map(|client| HttpSetting {
                        client: SharedHttpClient::new(client),
                        recipe: Some(recipe.clone().connect_timeout(connect)),
                        connect,
                    })
                    // It was built with these settings once already.
                    .unwrap_or(setting),
                _ => setting,
            },
            Http::Default => {
                let recipe = HyperClient::builder().connect_timeout(connect);
                HttpSetting {
                    client: SharedHttpClient::new(HyperClient::new(connect)),
                    recipe: Some(recipe),
                    connect,
                }
            }
        };
        ClientConfig {
            region,
            credentials,
            endpoint_url: self.endpoint_url,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            retry: self.retry,
            timeouts: self.timeouts,
            limits: self.limits,
            compression: self.compression,
            http,
            app_name: self.app_name,
            providers: self.providers,
            errors: self.errors,
            interceptors: self.interceptors,
        }
    }
}

/// The credentials of a config given none.
#[derive(Debug)]
struct NoCredentials;

impl ProvideCredentials for NoCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async {
            Err(CredentialsError::not_configured(
                "client config",
                "no credentials provider set: this client config was not made from a shared \
                 config, so give it one with `credentials_provider(...)`",
            ))
        })
    }
}
