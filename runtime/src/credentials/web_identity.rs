//! `WebIdentityTokenProvider`: credentials of an IAM role from STS
//! `AssumeRoleWithWebIdentity`, with an OIDC token read from a file (EKS
//! IAM roles for service accounts, GitHub Actions, ...).
//!
//! From the environment, `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
//! optionally `AWS_ROLE_SESSION_NAME` (default `web-identity-token-<millis>`);
//! from a profile, `web_identity_token_file`, `role_arn` and
//! `role_session_name`. The file is read again for every call, since
//! Kubernetes rotates it. The request is unsigned: the token is the proof.
//!
//! Once `AWS_WEB_IDENTITY_TOKEN_FILE` is set the source counts as
//! configured, so a failure (an unreadable file, a refused token) stops the
//! default chain instead of falling through to instance metadata.

use super::assume_role::sts_endpoint;
use super::sts::{self, RoleRequest};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::http::BoxFuture;
use crate::provider_config::ProviderConfig;
use crate::region::Region;
use std::borrow::Cow;
use std::path::PathBuf;

/// The largest token file read (STS takes tokens up to 20,000 characters).
pub const MAX_TOKEN_FILE_BYTES: usize = 64 * 1024;

#[derive(Clone, Debug)]
enum Settings {
    /// Read the environment variables at each call.
    Environment,
    /// Given (by a profile or code).
    Given {
        token_file: PathBuf,
        role_arn: String,
        session_name: Option<String>,
    },
}

/// Exchanges a web-identity token for role credentials.
#[derive(Clone, Debug)]
pub struct WebIdentityTokenProvider {
    settings: Settings,
    region: Option<Region>,
    config: ProviderConfig,
    source_name: Cow<'static, str>,
}

impl WebIdentityTokenProvider {
    /// Reads `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and
    /// `AWS_ROLE_SESSION_NAME` from `config`'s environment.
    pub fn from_env(config: &ProviderConfig) -> Self {
        Self {
            settings: Settings::Environment,
            region: None,
            config: config.clone(),
            source_name: Cow::Borrowed("web identity (environment)"),
        }
    }

    /// Assumes `role_arn` with the token in `token_file`.
    pub fn new(
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
        config: &ProviderConfig,
    ) -> Self {
        Self {
            settings: Settings::Given {
                token_file: token_file.into(),
                role_arn: role_arn.into(),
                session_name: None,
            },
            region: None,
            config: config.clone(),
            source_name: Cow::Borrowed("web identity"),
        }
    }

    /// The role session name (default `web-identity-token-<millis>`).
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        if let Settings::Given { session_name, .. } = &mut self.settings {
            *session_name = Some(name.into());
        }
        self
    }

    /// The region of the STS endpoint (default: the configured region,
    /// else `us-east-1`).
    pub fn with_region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    pub(crate) fn with_source_name(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.source_name = name.into();
        self
    }

    /// Reads the token and exchanges it for credentials.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let (token_file, role_arn, session_name) = self.settings()?;
        let invalid =
            |why: String| CredentialsError::invalid_configuration(self.source_name.clone(), why);
        let token =
            crate::bounded::read_file(&token_file, MAX_TOKEN_FILE_BYTES).map_err(|why| {
                CredentialsError::provider_failed(
                    self.source_name.clone(),
                    format!(
                        "cannot read the web identity token file {}: {why}",
                        token_file.display()
                    ),
                )
            })?;
        let token = String::from_utf8(token).map_err(|_| {
            invalid(format!(
                "the web identity token file {} is not UTF-8 text",
                token_file.display()
            ))
        })?;
        let token = token.trim();
        if token.is_empty() {
            return Err(invalid(format!(
                "the web identity token file {} is empty",
                token_file.display()
            )));
        }
        let endpoint = sts_endpoint(&self.config, self.region.clone()).map_err(invalid)?;
        let session_name = session_name.unwrap_or_else(|| {
            sts::default_session_name("web-identity-token", self.config.clock().now())
        });
        let request = RoleRequest {
            role_arn: &role_arn,
            session_name: &session_name,
            external_id: None,
            duration: None,
        };
        sts::assume_role_with_web_identity(&self.config, &endpoint, token, &request)
            .await
            .map_err(|e| {
                CredentialsError::provider_failed(
                    self.source_name.clone(),
                    format!(
                        "STS AssumeRoleWithWebIdentity of `{role_arn}` at {} with the token in {} failed: {e}",
                        endpoint.url,
                        token_file.display()
                    ),
                )
            })
    }

    fn settings(&self) -> Result<(PathBuf, String, Option<String>), CredentialsError> {
        match &self.settings {
            Settings::Given {
                token_file,
                role_arn,
                session_name,
            } => Ok((token_file.clone(), role_arn.clone(), session_name.clone())),
            Settings::Environment => {
                let env = self.config.env();
                let Some(file) = env.get("AWS_WEB_IDENTITY_TOKEN_FILE") else {
                    return Err(CredentialsError::not_configured(
                        self.source_name.clone(),
                        "AWS_WEB_IDENTITY_TOKEN_FILE not set",
                    ));
                };
                let role_arn = env.get("AWS_ROLE_ARN").ok_or_else(|| {
                    CredentialsError::invalid_configuration(
                        self.source_name.clone(),
                        "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not",
                    )
                })?;
                Ok((
                    PathBuf::from(file),
                    role_arn.trim().to_owned(),
                    env.get("AWS_ROLE_SESSION_NAME")
                        .map(|s| s.trim().to_owned()),
                ))
            }
        }
    }
}

impl ProvideCredentials for WebIdentityTokenProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}
