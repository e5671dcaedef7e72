//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN`.
//!
//! As in the AWS SDK for Rust: blank counts as unset, `SECRET_ACCESS_KEY` is
//! a legacy fallback for the secret, and a key ID without a secret is "not
//! configured" (the chain moves on) rather than an error.

use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::env::Env;
use crate::http::BoxFuture;

const SOURCE: &str = "environment";
const PROVIDER_NAME: &str = "EnvironmentVariable";

/// Reads static credentials from environment variables.
#[derive(Clone, Debug)]
pub struct EnvironmentCredentialsProvider {
    env: Env,
}

impl EnvironmentCredentialsProvider {
    /// A provider reading `env`.
    pub fn new(env: Env) -> Self {
        Self { env }
    }

    /// The credentials the variables hold, or why there are none.
    pub fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let Some(access_key_id) = self.env.get("AWS_ACCESS_KEY_ID") else {
            return Err(CredentialsError::not_configured(
                SOURCE,
                "AWS_ACCESS_KEY_ID not set",
            ));
        };
        let Some(secret) = self
            .env
            .get("AWS_SECRET_ACCESS_KEY")
            .or_else(|| self.env.get("SECRET_ACCESS_KEY"))
        else {
            return Err(CredentialsError::not_configured(
                SOURCE,
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ));
        };
        let session_token = self
            .env
            .get("AWS_SESSION_TOKEN")
            .map(|t| t.trim().to_owned());
        Ok(Credentials::new(
            access_key_id,
            secret,
            session_token,
            None,
            PROVIDER_NAME,
        ))
    }
}

impl ProvideCredentials for EnvironmentCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let result = self.credentials();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Credentials, CredentialsError> {
        EnvironmentCredentialsProvider::new(Env::from_vars(vars.iter().copied())).credentials()
    }

    #[test]
    fn keys_and_token() {
        let creds = load(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", " TOKEN\n"),
        ])
        .unwrap();
        assert_eq!(creds.access_key_id(), "AKID");
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), Some("TOKEN"));
        assert_eq!(creds.expiry(), None);
        assert_eq!(creds.provider_name(), "EnvironmentVariable");
    }

    #[test]
    fn blank_token_is_no_token() {
        for token in ["", "  "] {
            let creds = load(&[
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", "SECRET"),
                ("AWS_SESSION_TOKEN", token),
            ])
            .unwrap();
            assert_eq!(creds.session_token(), None);
        }
    }

    #[test]
    fn legacy_secret_fallback() {
        let creds = load(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", " "),
            ("SECRET_ACCESS_KEY", "LEGACY"),
        ])
        .unwrap();
        assert_eq!(creds.secret_access_key(), "LEGACY");
    }

    #[test]
    fn blank_or_missing_keys_are_not_configured() {
        for (id, secret, why) in [
            ("", "secret", "AWS_ACCESS_KEY_ID not set"),
            (" ", "secret", "AWS_ACCESS_KEY_ID not set"),
            ("\t", "", "AWS_ACCESS_KEY_ID not set"),
            (
                "access",
                "",
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ),
            (
                "access",
                "  ",
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not",
            ),
        ] {
            let err =
                load(&[("AWS_ACCESS_KEY_ID", id), ("AWS_SECRET_ACCESS_KEY", secret)]).unwrap_err();
            assert!(err.is_not_configured(), "{err}");
            assert_eq!(err.to_string(), format!("environment: {why}"));
        }
        let err = load(&[]).unwrap_err();
        assert_eq!(err.to_string(), "environment: AWS_ACCESS_KEY_ID not set");
    }
}
