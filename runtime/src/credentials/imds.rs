//! Credentials of the EC2 instance's IAM role, from IMDSv2.
//!
//! `GET /latest/meta-data/iam/security-credentials/` names the role; `GET
//! /latest/meta-data/iam/security-credentials/<role>` returns its
//! credentials, which must carry `"Code": "Success"` (see [`crate::imds`]
//! for tokens, endpoint, timeouts and retries).
//!
//! As in the AWS SDK for Rust: `AWS_EC2_METADATA_DISABLED=true` skips IMDS;
//! an unreachable service or no role attached (404) is "not configured";
//! anything else stops the chain. Credentials IMDS returns already expired
//! (it keeps serving the old ones during an outage of its own) are used
//! with their expiry moved 10–15 minutes ahead, so callers keep working and
//! retry later.

use super::json::{parse_json_credentials, JsonCredentials};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::http::BoxFuture;
use crate::imds::{ImdsClient, ImdsErrorKind};
use crate::provider_config::ProviderConfig;
use crate::retry::jitter;
use std::sync::Arc;
use std::time::Duration;

const SOURCE: &str = "IMDS";
const PROVIDER_NAME: &str = "IMDSv2";
const ROLE_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// Loads the instance role's credentials from IMDSv2.
#[derive(Clone, Debug)]
pub struct ImdsCredentialsProvider {
    config: ProviderConfig,
    client: Arc<ImdsClient>,
}

impl ImdsCredentialsProvider {
    /// A provider using an [`ImdsClient`] configured by `config`.
    pub fn new(config: &ProviderConfig) -> Self {
        Self {
            config: config.clone(),
            client: Arc::new(ImdsClient::new(config)),
        }
    }

    /// Uses `client` (e.g. with other timeouts) for the requests.
    pub fn with_client(mut self, client: ImdsClient) -> Self {
        self.client = Arc::new(client);
        self
    }

    /// Loads credentials.
    pub async fn credentials(&self) -> Result<Credentials, CredentialsError> {
        let env = self.config.env();
        if env.is_true("AWS_EC2_METADATA_DISABLED") {
            return Err(CredentialsError::not_configured(
                SOURCE,
                "disabled by AWS_EC2_METADATA_DISABLED=true",
            ));
        }
        let role = match self.client.get(ROLE_PATH).await {
            Ok(role) => role,
            Err(e) => {
                return Err(match e.kind() {
                    ImdsErrorKind::Unreachable => CredentialsError::not_configured(
                        SOURCE,
                        format!(
                            "no instance metadata service reachable (not running on EC2?): {e}"
                        ),
                    ),
                    ImdsErrorKind::ErrorResponse(404) => CredentialsError::not_configured(
                        SOURCE,
                        format!("no IAM role is attached to this instance: {e}"),
                    ),
                    ImdsErrorKind::InvalidConfiguration => {
                        CredentialsError::invalid_configuration(SOURCE, e.to_string())
                    }
                    _ => CredentialsError::provider_failed(SOURCE, e.to_string()),
                })
            }
        };
        let role = role.lines().next().unwrap_or("").trim();
        if role.is_empty() {
            return Err(CredentialsError::provider_failed(
                SOURCE,
                format!("GET {ROLE_PATH} returned no role name"),
            ));
        }
        let path = format!("{ROLE_PATH}{role}");
        let body = self
            .client
            .get(&path)
            .await
            .map_err(|e| CredentialsError::provider_failed(SOURCE, e.to_string()))?;
        match parse_json_credentials(body.as_bytes(), PROVIDER_NAME) {
            Ok(JsonCredentials::Credentials(credentials)) => Ok(self.extend_if_expired(credentials)),
            Ok(JsonCredentials::Error { code, message }) if code == "AssumeRoleUnauthorizedAccess" => {
                Err(CredentialsError::invalid_configuration(
                    SOURCE,
                    format!("GET {path} returned Code {code}: {message} (does role `{role}` trust ec2.amazonaws.com?)"),
                ))
            }
            Ok(JsonCredentials::Error { code, message }) => Err(CredentialsError::provider_failed(
                SOURCE,
                format!("GET {path} returned Code {code} instead of Success: {message}"),
            )),
            Err(why) => Err(CredentialsError::provider_failed(
                SOURCE,
                format!("GET {path}: {why}"),
            )),
        }
    }

    /// Moves an expiry already past to 10–15 minutes from now.
    pub(crate) fn extend_if_expired(&self, credentials: Credentials) -> Credentials {
        let now = self.config.clock().now();
        let extension = Duration::from_secs(600 + (jitter() * 300.0) as u64);
        match (credentials.expiry(), now.checked_add(extension)) {
            (Some(expiry), Some(extended)) if expiry <= now => Credentials::new(
                credentials.access_key_id(),
                credentials.secret_access_key(),
                credentials.session_token().map(str::to_owned),
                Some(extended),
                credentials.provider_name(),
            ),
            _ => credentials,
        }
    }
}

impl ProvideCredentials for ImdsCredentialsProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.credentials())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::credentials::CredentialsErrorKind;
    use crate::env::Env;
    use crate::imds::tests::token_reply;
    use crate::test_util::{Reply, TestServer};
    use std::time::UNIX_EPOCH;

    const CREDS: &str = "{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"2021-09-20T21:42:26Z\",\n  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"ASIARTEST\",\n  \"SecretAccessKey\" : \"testsecret\",\n  \"Token\" : \"testtoken\",\n  \"Expiration\" : \"2021-09-21T04:16:53Z\"\n}";
    /// 2021-09-21T04:16:53Z
    const EXPIRY: u64 = 1_632_197_813;

    fn provider(server: &TestServer, clock: &ManualClock) -> ImdsCredentialsProvider {
        let config = ProviderConfig::new(Env::from_vars([(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            server.url(),
        )]))
        .with_clock(clock.clock());
        ImdsCredentialsProvider::new(&config)
            .with_client(ImdsClient::new(&config).with_retries(4, Duration::from_millis(1)))
    }

    #[tokio::test]
    async fn token_role_credentials_with_exact_requests() {
        let server = TestServer::start(vec![
            token_reply("TOKEN_A", 21600),
            Reply::ok("my-role"),
            Reply::ok(CREDS),
        ])
        .await;
        let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(EXPIRY - 3));
        let creds = provider(&server, &clock).credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIARTEST");
        assert_eq!(creds.secret_access_key(), "testsecret");
        assert_eq!(creds.session_token(), Some("testtoken"));
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(EXPIRY))
        );
        assert_eq!(creds.provider_name(), "IMDSv2");
        let requests = server.requests();
        assert_eq!(requests.len(), 3);
        assert_eq!(
            (requests[0].method.as_str(), requests[0].path.as_str()),
            ("PUT", "/latest/api/token")
        );
        assert_eq!(
            requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
            Some("21600")
        );
        assert_eq!(requests[0].header("x-aws-ec2-metadata-token"), None);
        assert_eq!(
            (requests[1].method.as_str(), requests[1].path.as_str()),
            ("GET", "/latest/meta-data/iam/security-credentials/")
        );
        assert_eq!(
            requests[1].header("x-aws-ec2-metadata-token"),
            Some("TOKEN_A")
        );
        assert_eq!(
            (requests[2].method.as_str(), requests[2].path.as_str()),
            ("GET", "/latest/meta-data/iam/security-credentials/my-role")
        );
        assert_eq!(
            requests[2].header("x-aws-ec2-metadata-token"),
            Some("TOKEN_A")
        );
    }

    #[tokio::test]
    async fn role_is_read_each_time_token_is_reused() {
        let server = TestServer::start(vec![
            token_reply("TOKEN_A", 21600),
            Reply::ok("role-1"),
            Reply::ok(CREDS),
            Reply::ok("role-2\n"),
            Reply::ok(&CREDS.replace("ASIARTEST", "ASIARTEST2")),
        ])
        .await;
        let clock = ManualClock::new(UNIX_EPOCH);
        let provider = provider(&server, &clock);
        assert_eq!(
            provider.credentials().await.unwrap().access_key_id(),
            "ASIARTEST"
        );
        assert_eq!(
            provider.credentials().await.unwrap().access_key_id(),
            "ASIARTEST2"
        );
        let paths: Vec<_> = server.requests().iter().map(|r| r.path.clone()).collect();
        assert_eq!(
            paths,
            [
                "/latest/api/token",
                "/latest/meta-data/iam/security-credentials/",
                "/latest/meta-data/iam/security-credentials/role-1",
                "/latest/meta-data/iam/security-credentials/",
                "/latest/meta-data/iam/security-credentials/role-2",
            ]
        );
    }

    #[tokio::test]
    async fn code_other_than_success_is_an_error() {
        let server = TestServer::start(vec![
            token_reply("T", 21600),
            Reply::ok("r"),
            Reply::ok(r#"{"Code":"Failure","Message":"something broke"}"#),
        ])
        .await;
        let clock = ManualClock::new(UNIX_EPOCH);
        let err = provider(&server, &clock).credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
        assert_eq!(
            err.to_string(),
            "IMDS: GET /latest/meta-data/iam/security-credentials/r returned Code Failure instead of Success: something broke"
        );

        let server = TestServer::start(vec![
            token_reply("T", 21600),
            Reply::ok("r"),
            Reply::ok(r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"EC2 cannot assume the role r."}"#),
        ])
        .await;
        let err = provider(&server, &clock).credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
        assert!(err.to_string().contains("trust ec2.amazonaws.com"), "{err}");
    }

    #[tokio::test]
    async fn disabled_by_env_makes_no_request() {
        let server = TestServer::start(vec![]).await;
        let config = ProviderConfig::new(Env::from_vars([
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url().as_str()),
            ("AWS_EC2_METADATA_DISABLED", "TRUE"),
        ]));
        let err = ImdsCredentialsProvider::new(&config)
            .credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_configured());
        assert_eq!(
            err.to_string(),
            "IMDS: disabled by AWS_EC2_METADATA_DISABLED=true"
        );
        assert!(server.requests().is_empty());
    }

    #[tokio::test]
    async fn no_role_and_unreachable_are_not_configured() {
        let server = TestServer::start(vec![token_reply("T", 21600), Reply::status(404, "")]).await;
        let clock = ManualClock::new(UNIX_EPOCH);
        let err = provider(&server, &clock).credentials().await.unwrap_err();
        assert!(err.is_not_configured(), "{err}");
        assert!(
            err.to_string()
                .starts_with("IMDS: no IAM role is attached to this instance: GET "),
            "{err}"
        );

        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let config = ProviderConfig::new(Env::from_vars([(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            format!("http://{closed}"),
        )]));
        let err = ImdsCredentialsProvider::new(&config)
            .credentials()
            .await
            .unwrap_err();
        assert!(err.is_not_configured(), "{err}");
        assert!(
            err.to_string().starts_with(&format!(
                "IMDS: no instance metadata service reachable (not running on EC2?): PUT http://{closed}/latest/api/token (session token) failed: connection failed"
            )),
            "{err}"
        );
    }

    #[tokio::test]
    async fn expired_credentials_get_an_extended_expiry() {
        let server = TestServer::start(vec![
            token_reply("T", 21600),
            Reply::ok("r"),
            Reply::ok(CREDS),
        ])
        .await;
        let now = UNIX_EPOCH + Duration::from_secs(EXPIRY + 3600);
        let clock = ManualClock::new(now);
        let creds = provider(&server, &clock).credentials().await.unwrap();
        let expiry = creds.expiry().unwrap();
        assert!(expiry >= now + Duration::from_secs(600), "{expiry:?}");
        assert!(expiry <= now + Duration::from_secs(900), "{expiry:?}");
    }
}
