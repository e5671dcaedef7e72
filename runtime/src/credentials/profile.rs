//! Credentials from the selected profile of the shared files.
//!
//! The profile is first resolved into a plan (`profile_chain.rs`):
//! a base source — static keys, `credential_process`, IAM Identity Center
//! (`sso_session` / `sso_start_url`), a web-identity token file, or a
//! `credential_source` (`Environment`, `Ec2InstanceMetadata`,
//! `EcsContainer`) — then each `role_arn` along the `source_profile` chain
//! assumed in turn with STS. Within a profile the order is the AWS SDK for
//! Rust's: `role_arn`, web identity, SSO, `credential_process`, static
//! keys; so `credential_process` wins over static keys in the same profile
//! (botocore's order differs).
//!
//! As in the Rust SDK: no profiles at all, or no `[default]` when `default`
//! is selected, or a profile without any credential settings is "not
//! configured" (the chain moves on); a profile named by `AWS_PROFILE` that
//! does not exist, files that do not parse, or a profile set up wrongly
//! stop the chain with an error naming the profile and the line.

use super::assume_role::assume;
use super::container::ContainerCredentialsProvider;
use super::environment::EnvironmentCredentialsProvider;
use super::imds::ImdsCredentialsProvider;
use super::process::CredentialProcessProvider;
use super::profile_chain::{resolve, Base, Chain, ChainError};
use super::sso::SsoCredentialsProvider;
use super::sts::RoleRequest;
use super::web_identity::WebIdentityTokenProvider;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::http::BoxFuture;
use crate::profile::ProfileSet;
use crate::provider_config::ProviderConfig;
use std::borrow::Cow;
use std::time::Duration;

/// Reads credentials from the profile [`ProfileSet`] selects.
#[derive(Clone, Debug)]
pub struct ProfileCredentialsProvider {
    config: ProviderConfig,
    process_timeout: Duration,
    process_max_output: usize,
}

impl ProfileCredentialsProvider {
    /// A provider reading the shared files `config` gives.
    pub fn new(config: &ProviderConfig) -> Self {
        Self {
            config: config.clone(),
            process_timeout: super::process::DEFAULT_PROCESS_TIMEOUT,
            process_max_output: super::process::DEFAULT_MAX_OUTPUT,
        }
    }

    /// Time limit for a `credential_process` (default one minute).
    pub fn with_process_timeout(mut self, timeout: Duration) -> Self {
        self.process_timeout = timeout;
        self
    }

    /// Output limit for a `credential_process`, per stream (default 1 MiB,
    /// [`DEFAULT_MAX_OUTPUT`](super::process::DEFAULT_MAX_OUTPUT)).
    pub fn with_process_max_output(mut self, bytes: usize) -> Self {
        self.process_max_output = bytes;
        self
    }

    /// Loads the selected profile's credentials.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let profiles = match self.config.profiles() {
            Ok(profiles) => profiles,
            Err(e) => {
                return Err(CredentialsError::invalid_configuration(
                    "profile",
                    format!("the shared config files cannot be used: {e}"),
                ))
            }
        };
        let name = profiles.selected_profile_name();
        let source = format!("profile `{name}`");
        if profiles.selected_profile().is_none() {
            let selected_by = match self.config.profile_name() {
                Some(_) => "the loader's `profile_name`",
                None => "AWS_PROFILE",
            };
            return Err(missing_profile(profiles, source, selected_by));
        }
        let chain = match resolve(profiles) {
            Ok(chain) => chain,
            Err(ChainError::NoCredentials(why)) => {
                return Err(CredentialsError::not_configured(source, why))
            }
            Err(ChainError::Invalid(why)) => {
                return Err(CredentialsError::invalid_configuration(source, why))
            }
        };
        let mut credentials = self.base_credentials(&chain, &source).await?;
        for hop in &chain.roles {
            let hop_source: Cow<'static, str> = Cow::Owned(format!(
                "{source}: role_arn of profile `{}` ({})",
                hop.profile,
                hop.role_arn.location()
            ));
            let request = RoleRequest {
                role_arn: hop.role_arn.value().trim(),
                session_name: hop.session_name.unwrap_or(""),
                external_id: hop.external_id,
                duration: hop.duration,
            };
            credentials = assume(&self.config, None, &credentials, &request, &hop_source).await?;
        }
        Ok(credentials)
    }

    async fn base_credentials(
        &self,
        chain: &Chain<'_>,
        source: &str,
    ) -> Result<Credentials, CredentialsError> {
        let selected = self
            .config
            .profiles()
            .map(|p| p.selected_profile_name())
            .unwrap_or_default();
        let in_profile = |what: String| {
            if chain.base_profile == selected {
                format!("{source}: {what}")
            } else {
                format!("{source}: {what} of profile `{}`", chain.base_profile)
            }
        };
        match &chain.base {
            Base::StaticKeys(keys) => Ok(keys.clone()),
            Base::Process(command) => {
                CredentialProcessProvider::new(command.value())
                    .with_timeout(self.process_timeout)
                    .with_max_output(self.process_max_output)
                    .with_source_name(in_profile(format!(
                        "credential_process ({})",
                        command.location()
                    )))
                    .credentials()
                    .await
            }
            Base::WebIdentity {
                role_arn,
                token_file,
                session_name,
            } => {
                let mut provider = WebIdentityTokenProvider::new(
                    token_file.value().trim(),
                    *role_arn,
                    &self.config,
                )
                .with_source_name(in_profile(format!(
                    "web_identity_token_file ({})",
                    token_file.location()
                )));
                if let Some(name) = session_name {
                    provider = provider.with_session_name(*name);
                }
                provider.credentials().await
            }
            Base::Sso(settings) => {
                SsoCredentialsProvider::new(settings.clone(), selected, &self.config)
                    .with_source_name(in_profile("IAM Identity Center settings".to_owned()))
                    .credentials()
                    .await
            }
            Base::NamedSource(named) => {
                let name = in_profile(format!(
                    "credential_source = {} ({})",
                    named.value(),
                    named.location()
                ));
                let result = match named.value() {
                    "Environment" => {
                        EnvironmentCredentialsProvider::new(self.config.env().clone()).credentials()
                    }
                    "Ec2InstanceMetadata" => {
                        ImdsCredentialsProvider::new(&self.config)
                            .provide_credentials()
                            .await
                    }
                    _ => {
                        ContainerCredentialsProvider::new(&self.config)
                            .provide_credentials()
                            .await
                    }
                };
                // The profile asked for this source by name: its absence is
                // an error, not a reason to try something else.
                result.map_err(|e| {
                    CredentialsError::provider_failed(name, format!("gave no credentials: {e}"))
                })
            }
        }
    }
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}

/// The error for a selected profile the files do not define.
fn missing_profile(profiles: &ProfileSet, source: String, selected_by: &str) -> CredentialsError {
    let name = profiles.selected_profile_name();
    let mut message = if profiles.is_empty() {
        format!(
            "no profiles defined; looked in {}",
            profiles.describe_files()
        )
    } else {
        format!(
            "no such profile in {} (profiles there: {})",
            profiles.describe_files(),
            profiles.profile_names().collect::<Vec<_>>().join(", ")
        )
    };
    for warning in profiles.warnings_about(name) {
        message.push_str("; ");
        message.push_str(warning);
    }
    // No files, or the implicit default profile missing, just means profiles
    // are not in use here; a profile asked for by name must exist.
    if profiles.is_empty() || name == "default" {
        CredentialsError::not_configured(source, message)
    } else {
        CredentialsError::invalid_configuration(
            source,
            format!("{selected_by} selects it, but there is {message}"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::CredentialsErrorKind;
    use crate::env::Env;
    use crate::profile::ProfileError;

    fn provider(selected: &str, config: &str, credentials: &str) -> ProfileCredentialsProvider {
        let profiles = ProfileSet::from_strs(selected, config, credentials);
        ProfileCredentialsProvider::new(
            &ProviderConfig::new(Env::from_vars(Vec::<(String, String)>::new()))
                .with_profiles(profiles),
        )
    }

    #[tokio::test]
    async fn static_keys_from_either_file() {
        let creds = provider(
            "default",
            "[default]\naws_access_key_id = FROMCONFIG\n",
            "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\naws_session_token = TOKEN\n",
        )
        .credentials()
        .await
        .unwrap();
        assert_eq!(creds.access_key_id(), "AKID"); // credentials file wins
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), Some("TOKEN"));
        assert_eq!(creds.provider_name(), "ProfileFile");
    }

    #[tokio::test]
    async fn profile_dev_in_config_and_dev_in_credentials_merge() {
        let creds = provider(
            "dev",
            "[profile dev]\naws_access_key_id = AKID\n[dev]\naws_secret_access_key = IGNORED\n",
            "[dev]\naws_secret_access_key = SECRET\n[profile dev]\naws_session_token = IGNORED\n",
        )
        .credentials()
        .await
        .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), None);
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn credential_process_beats_static_keys() {
        let creds = provider(
            "default",
            "[default]\ncredential_process = printf '{\"Version\":1,\"AccessKeyId\":\"FROMPROCESS\",\"SecretAccessKey\":\"S\"}'\n",
            "[default]\naws_access_key_id = STATIC\naws_secret_access_key = S\n",
        )
        .credentials()
        .await
        .unwrap();
        assert_eq!(creds.access_key_id(), "FROMPROCESS");
        assert_eq!(creds.provider_name(), "CredentialProcess");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn credential_process_failure_names_profile_and_line() {
        let err = provider(
            "dev",
            "[profile dev]\n\ncredential_process = echo nope >&2; exit 2\n",
            "",
        )
        .credentials()
        .await
        .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
        assert_eq!(
            err.to_string(),
            "profile `dev`: credential_process (config file line 3): `echo` (arguments not shown) failed with exit status: 2; stderr: nope"
        );
    }

    #[tokio::test]
    async fn misconfigured_profiles_stop_the_chain_with_the_line() {
        let err = provider(
            "dev",
            "[profile dev]\nrole_arn = arn:aws:iam::1:role/r\n",
            "",
        )
        .credentials()
        .await
        .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(err.to_string().starts_with(
            "profile `dev`: profile `dev` sets role_arn (config file line 2) but neither source_profile nor credential_source"
        ), "{err}");
    }

    #[tokio::test]
    async fn credential_source_environment_assumes_nothing_without_keys() {
        // The named source is asked for by name: its absence is an error.
        let err = provider(
            "dev",
            "[profile dev]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n",
            "",
        )
        .credentials()
        .await
        .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
        assert_eq!(
            err.to_string(),
            "profile `dev`: credential_source = Environment (config file line 3): gave no credentials: environment: AWS_ACCESS_KEY_ID not set"
        );
    }

    #[tokio::test]
    async fn incomplete_static_keys() {
        let err = provider("default", "", "[default]\naws_access_key_id = A\n")
            .credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            err.to_string(),
            "profile `default`: profile `default` sets aws_access_key_id (credentials file line 2) but not aws_secret_access_key"
        );
        let err = provider("default", "", "[default]\naws_secret_access_key = SECRET\n")
            .credentials()
            .await
            .unwrap_err();
        assert!(!err.to_string().contains("SECRET\n"));
        assert!(err.to_string().contains(
            "sets aws_secret_access_key (credentials file line 2) but not aws_access_key_id"
        ));
    }

    #[tokio::test]
    async fn profile_without_credentials_is_not_configured() {
        let err = provider("default", "[default]\nregion = us-east-1\n", "")
            .credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_configured());
        assert_eq!(
            err.to_string(),
            "profile `default`: the profile has no credentials (none of aws_access_key_id, credential_process, role_arn, sso_session, sso_start_url, web_identity_token_file)"
        );
        // Blank keys count as absent.
        let err = provider(
            "default",
            "",
            "[default]\naws_access_key_id =\naws_secret_access_key =  \n",
        )
        .credentials()
        .await
        .unwrap_err();
        assert!(err.is_not_configured(), "{err}");
    }

    #[tokio::test]
    async fn missing_profiles() {
        // No profiles at all: not configured.
        let err = provider("dev", "", "").credentials().await.unwrap_err();
        assert!(err.is_not_configured());
        assert_eq!(
            err.to_string(),
            "profile `dev`: no profiles defined; looked in the given config file, the given credentials file"
        );
        // Implicit default missing: not configured.
        let err = provider("default", "[profile other]\n", "")
            .credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_configured());
        // A profile named by AWS_PROFILE must exist; ignored sections are explained.
        let err = provider("dev", "[dev]\nregion = x\n[profile other]\n", "")
            .credentials()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            err.to_string(),
            "profile `dev`: AWS_PROFILE selects it, but there is no such profile in the given config file, the given credentials file \
             (profiles there: other); [dev] at config file line 1 ignored: in the config file a profile section must be written [profile dev] \
             (only [default] may omit `profile`)"
        );
    }

    #[tokio::test]
    async fn unparsable_files_stop_the_chain() {
        let err: Result<ProfileSet, ProfileError> =
            ProfileSet::from_strs("default", "[default]\nbroken\n", "");
        let provider = ProfileCredentialsProvider::new(
            &ProviderConfig::new(Env::from_vars(Vec::<(String, String)>::new())).with_profiles(err),
        );
        let err = provider.credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert_eq!(
            err.to_string(),
            "profile: the shared config files cannot be used: error parsing config file line 2: expected an '=' sign defining a property"
        );
    }

    #[tokio::test]
    async fn files_from_env_in_a_temp_dir() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        let credentials = dir.path().join("credentials");
        std::fs::write(&config, "[profile dev]\nregion = us-west-2\n").unwrap();
        std::fs::write(
            &credentials,
            "[dev]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n",
        )
        .unwrap();
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", config.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
            ("AWS_PROFILE", "dev"),
        ]);
        let creds = ProfileCredentialsProvider::new(&ProviderConfig::new(env))
            .credentials()
            .await
            .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
    }
}
