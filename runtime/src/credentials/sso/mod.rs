//! `SsoCredentialsProvider`: role credentials from IAM Identity Center
//! (formerly AWS SSO), for profiles set up by `aws configure sso`.
//!
//! Two profile forms exist, both supported:
//!
//! ```ini
//! [profile dev]                 # current: a shared sso-session section
//! sso_session = corp
//! sso_account_id = 111122223333
//! sso_role_name = Developer
//!
//! [sso-session corp]
//! sso_start_url = https://corp.awsapps.com/start
//! sso_region = us-east-1
//!
//! [profile old]                 # legacy: everything in the profile
//! sso_start_url = https://corp.awsapps.com/start
//! sso_region = us-east-1
//! sso_account_id = 111122223333
//! sso_role_name = Developer
//! ```
//!
//! The access token comes from the cache `aws sso login` writes
//! (`sso/token.rs`); with it the portal's `GetRoleCredentials` gives the role's
//! credentials (`sso/api.rs`). A missing or expired token is an error that
//! says to run `aws sso login`.

pub(crate) mod api;
pub(crate) mod token;

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::http::BoxFuture;
use crate::provider_config::ProviderConfig;
use std::borrow::Cow;
use std::fmt;
use token::{RefreshState, TokenSource};

/// What an IAM Identity Center profile names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoSettings {
    /// The AWS account (`sso_account_id`).
    pub account_id: String,
    /// The permission set's role (`sso_role_name`).
    pub role_name: String,
    /// The IAM Identity Center region (`sso_region`).
    pub region: String,
    /// The AWS access portal URL (`sso_start_url`).
    pub start_url: String,
    /// The `[sso-session NAME]` the token belongs to; `None` for a legacy
    /// profile (whose token cannot be refreshed).
    pub session_name: Option<String>,
}

/// Loads role credentials with a cached IAM Identity Center token.
pub struct SsoCredentialsProvider {
    settings: SsoSettings,
    token: TokenSource,
    config: ProviderConfig,
    state: tokio::sync::Mutex<RefreshState>,
    source_name: Cow<'static, str>,
}

impl SsoCredentialsProvider {
    /// A provider for `settings`; `profile_name` goes into the
    /// `aws sso login --profile NAME` advice errors give.
    pub fn new(settings: SsoSettings, profile_name: &str, config: &ProviderConfig) -> Self {
        let token = TokenSource {
            session_name: settings.session_name.clone(),
            start_url: settings.start_url.clone(),
            region: settings.region.clone(),
            login_hint: format!("run `aws sso login --profile {profile_name}` to sign in again"),
        };
        Self {
            settings,
            token,
            config: config.clone(),
            state: tokio::sync::Mutex::new(RefreshState::default()),
            source_name: Cow::Borrowed("SSO"),
        }
    }

    pub(crate) fn with_source_name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.source_name = name.into();
        self
    }

    /// Gets (refreshing if needed) the token, then the role's credentials.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let failed = |why: String| CredentialsError::provider_failed(self.source_name.clone(), why);
        let endpoint =
            api::endpoint(&self.config, &self.settings.region, false).map_err(|why| {
                CredentialsError::invalid_configuration(self.source_name.clone(), why)
            })?;
        let token = self
            .token
            .token(&self.config, &self.state)
            .await
            .map_err(failed)?;
        api::get_role_credentials(
            &self.config,
            &endpoint,
            &token,
            &self.settings.account_id,
            &self.settings.role_name,
        )
        .await
        .map_err(|e| {
            let mut why = format!(
                "IAM Identity Center GetRoleCredentials for role `{}` in account {} at {endpoint} failed: {e}",
                self.settings.role_name, self.settings.account_id
            );
            if let super::aws_call::CallError::Service { status: 401, .. } = e {
                why.push_str("; ");
                why.push_str(&self.token.login_hint);
            }
            failed(why)
        })
    }
}

impl fmt::Debug for SsoCredentialsProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SsoCredentialsProvider")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for SsoCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}
