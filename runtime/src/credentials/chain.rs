//! Provider chains, and the default chain of the AWS SDK for Rust.

use super::cache::CredentialsCache;
use super::container::ContainerCredentialsProvider;
use super::environment::EnvironmentCredentialsProvider;
use super::imds::ImdsCredentialsProvider;
use super::profile::ProfileCredentialsProvider;
use super::web_identity::WebIdentityTokenProvider;
use super::{Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider};
use crate::http::BoxFuture;
use crate::provider_config::ProviderConfig;

/// Tries providers in order: the first credentials win; a provider that is
/// not configured passes to the next; any other error stops the chain and
/// is returned as is.
///
/// When no provider is configured the error is
/// [`NotConfigured`](super::CredentialsErrorKind::NotConfigured) and lists
/// every provider tried with its reason:
///
/// ```text
/// no credentials found: environment: AWS_ACCESS_KEY_ID not set; profile `default`: no profiles
/// defined; looked in /home/me/.aws/config (not found), /home/me/.aws/credentials (not found);
/// web identity (environment): AWS_WEB_IDENTITY_TOKEN_FILE not set; container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI
/// is set; IMDS: disabled by AWS_EC2_METADATA_DISABLED=true
/// ```
#[derive(Clone, Debug, Default)]
pub struct CredentialsChain {
    providers: Vec<SharedCredentialsProvider>,
}

impl CredentialsChain {
    /// A chain starting with `provider`.
    pub fn first_try(provider: impl ProvideCredentials + 'static) -> Self {
        Self {
            providers: vec![SharedCredentialsProvider::new(provider)],
        }
    }

    /// Adds `provider` after the others.
    pub fn or_else(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.providers
            .push(SharedCredentialsProvider::new(provider));
        self
    }

    /// Loads credentials from the first provider that has them.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let mut reasons = Vec::new();
        for provider in &self.providers {
            match provider.provide_credentials().await {
                Ok(credentials) => return Ok(credentials),
                Err(e) if e.is_not_configured() => reasons.push(e.to_string()),
                Err(e) => return Err(e),
            }
        }
        let tried = if reasons.is_empty() {
            "the chain has no providers".to_owned()
        } else {
            reasons.join("; ")
        };
        Err(CredentialsError::not_configured(
            "",
            format!("no credentials found: {tried}"),
        ))
    }
}

impl ProvideCredentials for CredentialsChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}

/// The AWS SDK for Rust's default chain, uncached: environment variables,
/// then the selected profile (static keys, `credential_process`, assumed
/// roles, web identity, IAM Identity Center), then web identity from the
/// environment (`AWS_WEB_IDENTITY_TOKEN_FILE`), then the container
/// endpoint, then IMDSv2, all reading `config`.
pub fn default_chain(config: &ProviderConfig) -> CredentialsChain {
    CredentialsChain::first_try(EnvironmentCredentialsProvider::new(config.env().clone()))
        .or_else(ProfileCredentialsProvider::new(config))
        .or_else(WebIdentityTokenProvider::from_env(config))
        .or_else(ContainerCredentialsProvider::new(config))
        .or_else(ImdsCredentialsProvider::new(config))
}

/// The default chain behind a [`CredentialsCache`] (with `config`'s clock):
/// what a client should use unless given credentials explicitly.
pub fn default_provider(config: &ProviderConfig) -> SharedCredentialsProvider {
    SharedCredentialsProvider::new(
        CredentialsCache::new(default_chain(config)).with_clock(config.clock().clone()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use crate::env::Env;
    use crate::imds::tests::token_reply;
    use crate::test_util::{Reply, TestServer};

    /// An environment that can never reach a real network or read a real
    /// `~/.aws`: no HOME, IMDS disabled unless the test overrides it.
    fn env(vars: &[(&str, &str)]) -> Env {
        let mut all: Vec<(String, String)> =
            vec![("AWS_EC2_METADATA_DISABLED".into(), "true".into())];
        all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Env::from_vars(all)
    }

    #[tokio::test]
    async fn env_beats_profile() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = dir.path().join("credentials");
        std::fs::write(
            &credentials,
            "[default]\naws_access_key_id = FROMPROFILE\naws_secret_access_key = S\n",
        )
        .unwrap();
        let path = credentials.to_str().unwrap();
        let chain = default_chain(&ProviderConfig::new(env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", path),
            ("AWS_ACCESS_KEY_ID", "FROMENV"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
        ])));
        let creds = chain.credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "FROMENV");
        assert_eq!(creds.provider_name(), "EnvironmentVariable");

        // Blank AWS_ACCESS_KEY_ID counts as unset: the profile is used.
        let chain = default_chain(&ProviderConfig::new(env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", path),
            ("AWS_ACCESS_KEY_ID", "  "),
            ("AWS_SECRET_ACCESS_KEY", "S"),
        ])));
        assert_eq!(
            chain.credentials().await.unwrap().access_key_id(),
            "FROMPROFILE"
        );
    }

    #[tokio::test]
    async fn profile_beats_container_and_container_beats_imds() {
        let server = TestServer::start(vec![Reply::ok(
            r#"{"AccessKeyId":"FROMCONTAINER","SecretAccessKey":"S","Token":"T","Expiration":"2030-01-01T00:00:00Z"}"#,
        )])
        .await;
        let full = format!("{}/creds", server.url());
        let dir = tempfile::tempdir().unwrap();
        let config_file = dir.path().join("config");
        std::fs::write(
            &config_file,
            "[default]\naws_access_key_id = FROMPROFILE\naws_secret_access_key = S\n",
        )
        .unwrap();
        let chain = default_chain(&ProviderConfig::new(env(&[
            ("AWS_CONFIG_FILE", config_file.to_str().unwrap()),
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &full),
        ])));
        assert_eq!(
            chain.credentials().await.unwrap().access_key_id(),
            "FROMPROFILE"
        );
        assert!(server.requests().is_empty());

        // Without the profile the container is next, and IMDS is never asked.
        let imds = TestServer::start(vec![]).await;
        let chain = default_chain(&ProviderConfig::new(Env::from_vars([
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", full.as_str()),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url().as_str()),
        ])));
        assert_eq!(
            chain.credentials().await.unwrap().access_key_id(),
            "FROMCONTAINER"
        );
        assert!(imds.requests().is_empty());
    }

    #[tokio::test]
    async fn imds_is_last() {
        let imds = TestServer::start(vec![
            token_reply("T", 21600),
            Reply::ok("role"),
            Reply::ok(r#"{"Code":"Success","AccessKeyId":"FROMIMDS","SecretAccessKey":"S","Token":"T","Expiration":"2030-01-01T00:00:00Z"}"#),
        ])
        .await;
        let chain = default_chain(&ProviderConfig::new(Env::from_vars([(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            imds.url(),
        )])));
        let creds = chain.credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "FROMIMDS");
        assert_eq!(creds.provider_name(), "IMDSv2");
    }

    #[tokio::test]
    async fn nothing_found_lists_every_source() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let credentials = dir.path().join("credentials");
        let chain = default_chain(&ProviderConfig::new(env(&[
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
        ])));
        let err = chain.credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::NotConfigured);
        assert_eq!(
            err.to_string(),
            format!(
                "no credentials found: \
                 environment: AWS_ACCESS_KEY_ID not set; \
                 profile `default`: no profiles defined; looked in {} (from AWS_CONFIG_FILE, not found), {} (from AWS_SHARED_CREDENTIALS_FILE, not found); \
                 web identity (environment): AWS_WEB_IDENTITY_TOKEN_FILE not set; \
                 container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set; \
                 IMDS: disabled by AWS_EC2_METADATA_DISABLED=true",
                config.display(),
                credentials.display()
            )
        );
    }

    #[tokio::test]
    async fn nothing_found_with_unreachable_imds() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let chain = default_chain(&ProviderConfig::new(Env::from_vars([(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            format!("http://{closed}"),
        )])));
        let err = chain.credentials().await.unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("no credentials found: environment: AWS_ACCESS_KEY_ID not set; profile `default`: no profiles defined; looked in ~/.aws/config (not read: no home directory"), "{text}");
        assert!(text.contains(&format!("; IMDS: no instance metadata service reachable (not running on EC2?): PUT http://{closed}/latest/api/token")), "{text}");
    }

    #[tokio::test]
    async fn a_configured_source_that_fails_stops_the_chain() {
        let imds = TestServer::start(vec![]).await;
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            "[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n",
        )
        .unwrap();
        let chain = default_chain(&ProviderConfig::new(Env::from_vars([
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_PROFILE", "dev"),
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url().as_str()),
        ])));
        let err = chain.credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(
            err.to_string()
                == "profile `dev`: profile `dev` names source_profile `base`, which does not exist",
            "{err}"
        );
        assert!(
            imds.requests().is_empty(),
            "IMDS must not be tried after a failure"
        );
    }

    #[tokio::test]
    async fn empty_chain_says_so() {
        let err = CredentialsChain::default().credentials().await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "no credentials found: the chain has no providers"
        );
    }

    #[tokio::test]
    async fn default_provider_caches() {
        let provider = default_provider(&ProviderConfig::new(env(&[
            ("AWS_ACCESS_KEY_ID", "A"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
        ])));
        assert_eq!(
            provider
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id(),
            "A"
        );
        assert!(format!("{provider:?}").contains("CredentialsCache"));
    }

    #[tokio::test]
    async fn debug_of_the_default_provider_leaks_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let credentials = dir.path().join("credentials");
        std::fs::write(&credentials, "[default]\naws_access_key_id = A\naws_secret_access_key = FILESECRET\naws_session_token = FILETOKEN\n").unwrap();
        let provider = default_provider(&ProviderConfig::new(env(&[
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
            ("AWS_SECRET_ACCESS_KEY", "ENVSECRET"),
            ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ENVAUTHTOKEN"),
        ])));
        let creds = provider.provide_credentials().await.unwrap();
        assert_eq!(creds.secret_access_key(), "FILESECRET");
        let debug = format!("{provider:?} {creds:?}");
        for secret in ["FILESECRET", "FILETOKEN", "ENVSECRET", "ENVAUTHTOKEN"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        assert!(debug.contains(crate::REDACTED), "{debug}");
    }
}
