//! AWS credentials: the [`Credentials`] type, the [`ProvideCredentials`]
//! trait, the providers of the AWS SDK for Rust's default chain, and the
//! cache in front of them.
//!
//! The default chain ([`default_provider`]) tries, in order:
//!
//! 1. environment variables ([`environment`]);
//! 2. the selected profile of the shared files ([`profile`]): static keys,
//!    a `credential_process` ([`process`]), IAM Identity Center ([`sso`]),
//!    a web-identity token file ([`web_identity`]), and roles assumed from
//!    any of these along `source_profile` chains ([`assume_role`]);
//! 3. web identity from the environment, `AWS_WEB_IDENTITY_TOKEN_FILE`
//!    ([`web_identity`]);
//! 4. the container credentials endpoint ([`container`]);
//! 5. the EC2 instance metadata service, IMDSv2 ([`imds`]).
//!
//! A source that is not configured ([`CredentialsErrorKind::NotConfigured`])
//! passes to the next; a source that is configured but fails stops the
//! chain with its error, as in the AWS SDK for Rust, so a broken
//! `credential_process`, or a web-identity token STS refuses, is reported
//! rather than silently replaced by instance credentials.

use crate::http::BoxFuture;
use crate::REDACTED;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

pub mod assume_role;
mod aws_call;
pub mod cache;
pub mod chain;
pub mod container;
mod container_address;
pub mod environment;
mod files;
#[cfg(test)]
mod fuzz_tests;
pub mod imds;
pub(crate) mod json;
pub mod process;
pub mod profile;
mod profile_chain;
pub mod sso;
mod sts;
pub mod web_identity;

pub use cache::CredentialsCache;
pub use chain::{default_chain, default_provider, CredentialsChain};

/// An AWS access key pair, optionally with a session token and an expiry.
///
/// `Debug` never prints the secret access key or the session token.
/// Cloning is cheap (the parts are shared): the cache hands out a clone
/// per request attempt.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    parts: Arc<Parts>,
}

#[derive(PartialEq, Eq)]
struct Parts {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
    provider_name: &'static str,
}

impl Credentials {
    /// Credentials from their parts; `provider_name` says where they came
    /// from (`"EnvironmentVariable"`, `"ProfileFile"`, ...).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
        provider_name: &'static str,
    ) -> Self {
        Self {
            parts: Arc::new(Parts {
                access_key_id: access_key_id.into(),
                secret_access_key: secret_access_key.into(),
                session_token,
                expiry,
                provider_name,
            }),
        }
    }

    /// Fixed, obviously fake credentials for tests (`ANOTREAL` /
    /// `notrealrnrELgWzOk3IfjzDKtFBhDby`, a session token `notarealsessiontoken`,
    /// no expiry, provider name `"Test"`): for a client pointed at a local
    /// double of a service, never at AWS.
    ///
    /// ```
    /// use aws_json_runtime::credentials::Credentials;
    /// let creds = Credentials::for_tests();
    /// assert_eq!(creds.access_key_id(), "ANOTREAL");
    /// ```
    pub fn for_tests() -> Self {
        Self::new(
            "ANOTREAL",
            "notrealrnrELgWzOk3IfjzDKtFBhDby",
            Some("notarealsessiontoken".to_owned()),
            None,
            "Test",
        )
    }

    /// Long-lived static credentials set in code (provider name `"Static"`).
    pub fn from_keys(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
    ) -> Self {
        Self::new(
            access_key_id,
            secret_access_key,
            session_token,
            None,
            "Static",
        )
    }

    /// The access key ID (`AKIA…` or `ASIA…`).
    pub fn access_key_id(&self) -> &str {
        &self.parts.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.parts.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.parts.session_token.as_deref()
    }

    /// When the credentials stop working; `None` for long-lived keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.parts.expiry
    }

    /// Which provider produced them.
    pub fn provider_name(&self) -> &'static str {
        self.parts.provider_name
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Credentials");
        let parts = &self.parts;
        s.field("provider_name", &parts.provider_name)
            .field("access_key_id", &parts.access_key_id)
            .field("secret_access_key", &REDACTED);
        if parts.session_token.is_some() {
            s.field("session_token", &REDACTED);
        } else {
            s.field("session_token", &None::<()>);
        }
        match parts.expiry {
            Some(expiry) => s.field("expiry", &crate::DateTime::from(expiry)),
            None => s.field("expiry", &"never"),
        };
        s.finish()
    }
}

/// Something that can produce [`Credentials`].
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    /// Loads credentials, or says why it could not.
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// The credentials [`provide_credentials`](Self::provide_credentials)
    /// would resolve to at once, when the provider holds them already (a
    /// static set, a cache's fresh ones): a call then signs with them
    /// without building a future. `None` (the default): ask
    /// `provide_credentials`.
    fn credentials_at_hand(&self) -> Option<Credentials> {
        None
    }
}

/// Static credentials provide themselves.
impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }

    fn credentials_at_hand(&self) -> Option<Credentials> {
        Some(self.clone())
    }
}

/// A cheaply clonable handle to a [`ProvideCredentials`].
#[derive(Clone)]
pub struct SharedCredentialsProvider(Arc<dyn ProvideCredentials>);

impl SharedCredentialsProvider {
    /// Shares `provider`.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self(Arc::new(provider))
    }
}

impl fmt::Debug for SharedCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        self.0.provide_credentials()
    }

    fn credentials_at_hand(&self) -> Option<Credentials> {
        self.0.credentials_at_hand()
    }
}

/// How a credentials source failed, which decides whether a chain goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsErrorKind {
    /// The source is not set up here (no variables, no profile, no
    /// endpoint reachable): a chain tries the next source.
    NotConfigured,
    /// The source is set up but its configuration is wrong or unsupported
    /// (a disallowed container URL, a profile using `role_arn`): a chain
    /// stops and reports it.
    InvalidConfiguration,
    /// The source is set up and was tried, but failed (a process exited
    /// non-zero, an endpoint answered 500): a chain stops and reports it.
    ProviderFailed,
}

/// Why credentials could not be loaded: which source, and what went wrong.
///
/// The message never contains a secret access key, session token or
/// authorization token.
#[derive(Clone, Debug)]
pub struct CredentialsError {
    kind: CredentialsErrorKind,
    source_name: Cow<'static, str>,
    message: String,
}

impl CredentialsError {
    fn new(
        kind: CredentialsErrorKind,
        source_name: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            source_name: source_name.into(),
            message: message.into(),
        }
    }

    /// `source_name` is not set up here; a chain moves on.
    pub fn not_configured(
        source_name: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(CredentialsErrorKind::NotConfigured, source_name, message)
    }

    /// `source_name` is set up wrongly; a chain stops.
    pub fn invalid_configuration(
        source_name: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(
            CredentialsErrorKind::InvalidConfiguration,
            source_name,
            message,
        )
    }

    /// `source_name` was tried and failed; a chain stops.
    pub fn provider_failed(
        source_name: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(CredentialsErrorKind::ProviderFailed, source_name, message)
    }

    /// Which kind of failure this is.
    pub fn kind(&self) -> CredentialsErrorKind {
        self.kind
    }

    /// Whether the source was simply not set up (a chain moves on).
    pub fn is_not_configured(&self) -> bool {
        self.kind == CredentialsErrorKind::NotConfigured
    }

    /// The source: `environment`, ``profile `dev` ``, `container`, `IMDS`, ...
    /// (empty for the chain's summary error).
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// What went wrong, without the source.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source_name.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.source_name, self.message)
        }
    }
}

impl std::error::Error for CredentialsError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn debug_redacts_secret_and_token() {
        let creds = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            Some("SESSIONTOKENVALUE".into()),
            Some(UNIX_EPOCH + Duration::from_secs(1_632_197_813)),
            "test",
        );
        let debug = format!("{creds:?}");
        assert!(debug.contains("AKIDEXAMPLE"), "{debug}");
        assert!(!debug.contains("wJalrXUtnFEMI"), "{debug}");
        assert!(!debug.contains("SESSIONTOKENVALUE"), "{debug}");
        assert_eq!(debug.matches(REDACTED).count(), 2, "{debug}");
        assert!(debug.contains("2021-09-21T04:16:53Z"), "{debug}");
        let no_token = format!("{:?}", Credentials::from_keys("A", "SECRET", None));
        assert!(!no_token.contains("SECRET\""), "{no_token}");
        assert!(no_token.contains("session_token: None"), "{no_token}");
        assert!(no_token.contains("expiry: \"never\""), "{no_token}");
    }

    #[tokio::test]
    async fn static_credentials_provide_themselves() {
        let creds = Credentials::from_keys("A", "S", None);
        let provider = SharedCredentialsProvider::new(creds.clone());
        assert_eq!(provider.provide_credentials().await.unwrap(), creds);
        assert_eq!(creds.provider_name(), "Static");
    }

    #[tokio::test]
    async fn test_credentials_are_fixed_and_obviously_fake() {
        let creds = Credentials::for_tests();
        assert_eq!(creds, Credentials::for_tests());
        assert_eq!(creds.access_key_id(), "ANOTREAL");
        assert_eq!(creds.secret_access_key(), "notrealrnrELgWzOk3IfjzDKtFBhDby");
        assert_eq!(creds.session_token(), Some("notarealsessiontoken"));
        assert_eq!((creds.expiry(), creds.provider_name()), (None, "Test"));
        // They serve as a provider, and print no secret either.
        let provided = SharedCredentialsProvider::new(creds.clone())
            .provide_credentials()
            .await;
        assert_eq!(provided.unwrap(), creds);
        assert!(!format!("{creds:?}").contains("notreal"));
    }

    #[test]
    fn error_display_names_the_source() {
        let e = CredentialsError::provider_failed("container", "HTTP 500");
        assert_eq!(e.to_string(), "container: HTTP 500");
        assert_eq!(e.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(!e.is_not_configured());
        let e = CredentialsError::not_configured("", "nothing");
        assert_eq!(e.to_string(), "nothing");
        assert!(e.is_not_configured());
    }
}
