//! `AssumeRoleProvider`: credentials of an IAM role, from STS `AssumeRole`
//! signed with another provider's credentials.
//!
//! The profile provider builds one per `role_arn` hop of a profile chain;
//! code can build one directly.

use super::sts::{self, RoleRequest, StsEndpoint};
use super::{Credentials, CredentialsError, ProvideCredentials, SharedCredentialsProvider};
use crate::http::BoxFuture;
use crate::provider_config::ProviderConfig;
use crate::region::{resolve_region_locally, Region};
use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// Assumes `role_arn` with the credentials of a source provider.
///
/// The session name defaults to `aws-sdk-rust-<millis>`; the region of the
/// STS endpoint to the configured one (environment, then profile), else
/// `us-east-1`.
pub struct AssumeRoleProvider {
    role_arn: String,
    session_name: Option<String>,
    external_id: Option<String>,
    duration: Option<Duration>,
    region: Option<Region>,
    source: SharedCredentialsProvider,
    config: ProviderConfig,
    source_name: Cow<'static, str>,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` using `source`'s credentials, calling STS as
    /// `config` says (HTTP client, timeouts, retries, endpoint settings).
    pub fn new(
        role_arn: impl Into<String>,
        source: impl ProvideCredentials + 'static,
        config: &ProviderConfig,
    ) -> Self {
        Self {
            role_arn: role_arn.into(),
            session_name: None,
            external_id: None,
            duration: None,
            region: None,
            source: SharedCredentialsProvider::new(source),
            config: config.clone(),
            source_name: Cow::Borrowed("assume role"),
        }
    }

    /// The role session name (default `aws-sdk-rust-<millis>`).
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = Some(name.into());
        self
    }

    /// The external ID the role's trust policy asks for.
    pub fn with_external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// How long the role's credentials last (STS allows 15 minutes up to
    /// the role's maximum; its default is one hour).
    pub fn with_duration(mut self, duration: Duration) -> Self {
        self.duration = Some(duration);
        self
    }

    /// The region of the STS endpoint.
    pub fn with_region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Loads the source credentials, then assumes the role.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source.provide_credentials().await?;
        let request = RoleRequest {
            role_arn: &self.role_arn,
            session_name: self.session_name.as_deref().unwrap_or(""),
            external_id: self.external_id.as_deref(),
            duration: self.duration,
        };
        assume(
            &self.config,
            self.region.clone(),
            &source,
            &request,
            &self.source_name,
        )
        .await
    }
}

/// Assumes `request.role_arn` with `source` (an empty session name gets
/// the default); errors are `source_name`'s.
pub(crate) async fn assume(
    config: &ProviderConfig,
    region: Option<Region>,
    source: &Credentials,
    request: &RoleRequest<'_>,
    source_name: &str,
) -> Result<Credentials, CredentialsError> {
    let endpoint = sts_endpoint(config, region)
        .map_err(|why| CredentialsError::invalid_configuration(source_name.to_owned(), why))?;
    let default_name;
    let mut request = request.clone();
    if request.session_name.is_empty() {
        default_name = sts::default_session_name("aws-sdk-rust", config.clock().now());
        request.session_name = &default_name;
    }
    sts::assume_role(config, &endpoint, source, &request)
        .await
        .map_err(|e| {
            CredentialsError::provider_failed(
                source_name.to_owned(),
                format!(
                    "STS AssumeRole of `{}` at {} failed: {e}",
                    request.role_arn, endpoint.url
                ),
            )
        })
}

/// The STS endpoint for `region`, else the configured region, else
/// `us-east-1` (the AWS SDK for Rust's fallback).
pub(crate) fn sts_endpoint(
    config: &ProviderConfig,
    region: Option<Region>,
) -> Result<StsEndpoint, String> {
    let region = match region {
        Some(region) => region,
        None => match resolve_region_locally(None, config) {
            Ok(region) => region,
            // A region that is set but unusable is an error, not a reason
            // to fall back to us-east-1.
            Err(e) if e.is_invalid() => return Err(e.to_string()),
            Err(_) => Region::from_static("us-east-1"),
        },
    };
    StsEndpoint::resolve(config, region.as_ref())
}

impl fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("role_arn", &self.role_arn)
            .field("session_name", &self.session_name)
            .field(
                "external_id",
                &self.external_id.as_ref().map(|_| crate::Redacted),
            )
            .field("duration", &self.duration)
            .field("region", &self.region)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}
