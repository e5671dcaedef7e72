//! Credentials from the selected profile of the shared files.
//!
//! Within a profile the AWS SDK for Rust looks, in order, for an assume-role
//! setup (`role_arn`), `credential_source`, `web_identity_token_file`, SSO
//! settings, `credential_process`, and static keys (`aws_access_key_id`,
//! `aws_secret_access_key`, optional `aws_session_token`); the first found
//! decides. So `credential_process` wins over static keys in the same
//! profile (botocore's order differs).
//!
//! This client supports `credential_process` and static keys. A profile that
//! relies on one of the others gets an error naming the key — never a silent
//! fall-through to some other identity.
//!
//! As in the Rust SDK: no profiles at all, or no `[default]` when `default`
//! is selected, or a profile without any credential settings is "not
//! configured" (the chain moves on); a profile named by `AWS_PROFILE` that
//! does not exist, or files that do not parse, stop the chain.

use super::process::CredentialProcessProvider;
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::http::BoxFuture;
use crate::profile::{Profile, ProfileSet};
use crate::provider_config::ProviderConfig;
use std::time::Duration;

const PROVIDER_NAME: &str = "ProfileFile";

/// Profile keys this client does not act on, in the order the Rust SDK
/// checks them, with what they would have done.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("role_arn", "assume-role (STS)"),
    (
        "credential_source",
        "assume-role from a named credential source",
    ),
    ("web_identity_token_file", "web identity federation (STS)"),
    ("sso_session", "IAM Identity Center (SSO)"),
    ("sso_start_url", "IAM Identity Center (SSO)"),
    ("sso_account_id", "IAM Identity Center (SSO)"),
    ("sso_role_name", "IAM Identity Center (SSO)"),
    ("sso_region", "IAM Identity Center (SSO)"),
];

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
        let profile = match profiles.selected_profile() {
            Some(profile) => profile,
            None => return Err(missing_profile(profiles, source)),
        };
        for (key, what) in UNSUPPORTED {
            if let Some(property) = profile.property(key) {
                return Err(CredentialsError::invalid_configuration(
                    source,
                    format!(
                        "not supported by this client yet: `{key}` in profile `{name}` ({}) asks for {what}; \
                         use static keys or `credential_process` in this profile, or set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY",
                        property.location()
                    ),
                ));
            }
        }
        if let Some(property) = non_blank(profile, "credential_process") {
            let provider = CredentialProcessProvider::new(property.value())
                .with_timeout(self.process_timeout)
                .with_max_output(self.process_max_output)
                .with_source_name(format!(
                    "{source}: credential_process ({})",
                    property.location()
                ));
            return provider.credentials().await;
        }
        static_keys(profile, source)
    }
}

impl ProvideCredentials for ProfileCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}

fn non_blank<'a>(profile: &'a Profile, key: &str) -> Option<&'a crate::profile::Property> {
    profile
        .property(key)
        .filter(|p| !p.value().trim().is_empty())
}

fn static_keys(profile: &Profile, source: String) -> Result<Credentials, CredentialsError> {
    let id = non_blank(profile, "aws_access_key_id");
    let secret = non_blank(profile, "aws_secret_access_key");
    let token = non_blank(profile, "aws_session_token");
    match (id, secret) {
        (Some(id), Some(secret)) => Ok(Credentials::new(
            id.value(),
            secret.value(),
            token.map(|t| t.value().to_owned()),
            None,
            PROVIDER_NAME,
        )),
        (None, None) if token.is_none() => Err(CredentialsError::not_configured(
            source,
            "the profile has no credentials (none of aws_access_key_id, credential_process)",
        )),
        (Some(id), None) => Err(CredentialsError::invalid_configuration(
            source,
            format!(
                "aws_access_key_id is set ({}) but aws_secret_access_key is not",
                id.location()
            ),
        )),
        (None, Some(secret)) => Err(CredentialsError::invalid_configuration(
            source,
            format!(
                "aws_secret_access_key is set ({}) but aws_access_key_id is not",
                secret.location()
            ),
        )),
        (None, None) => Err(CredentialsError::invalid_configuration(
            source,
            "aws_session_token is set but aws_access_key_id and aws_secret_access_key are not",
        )),
    }
}

/// The error for a selected profile the files do not define.
fn missing_profile(profiles: &ProfileSet, source: String) -> CredentialsError {
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
            format!("AWS_PROFILE selects it, but there is {message}"),
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
    async fn unsupported_keys_are_reported_not_skipped() {
        for (config, key) in [
            ("[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\naws_access_key_id = A\naws_secret_access_key = S\n", "role_arn"),
            ("[profile dev]\ncredential_source = Environment\n", "credential_source"),
            ("[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = /t\n", "role_arn"),
            ("[profile dev]\nweb_identity_token_file = /t\n", "web_identity_token_file"),
            ("[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n", "sso_session"),
            ("[profile dev]\nsso_start_url = https://x\nsso_region = us-east-1\n", "sso_start_url"),
        ] {
            let err = provider("dev", config, "").credentials().await.unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration, "{err}");
            let text = err.to_string();
            assert!(
                text.starts_with(&format!("profile `dev`: not supported by this client yet: `{key}` in profile `dev` (config file line ")),
                "{text}"
            );
        }
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
            "profile `default`: aws_access_key_id is set (credentials file line 2) but aws_secret_access_key is not"
        );
        let err = provider("default", "", "[default]\naws_secret_access_key = SECRET\n")
            .credentials()
            .await
            .unwrap_err();
        assert!(!err.to_string().contains("SECRET\n"));
        assert!(err.to_string().contains(
            "aws_secret_access_key is set (credentials file line 2) but aws_access_key_id is not"
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
            "profile `default`: the profile has no credentials (none of aws_access_key_id, credential_process)"
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
