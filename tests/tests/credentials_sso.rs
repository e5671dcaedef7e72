//! IAM Identity Center (SSO) profiles end to end: the token cache as
//! `aws sso login` leaves it, a loopback portal (`GetRoleCredentials`) and
//! a loopback OIDC service (`CreateToken` refresh).

use aws_json_runtime::credentials::{default_chain, CredentialsErrorKind};
use aws_json_runtime::env::Env;
use aws_json_runtime::provider_config::ProviderConfig;
use aws_json_runtime::retry::RetryConfig;
use aws_json_runtime::DateTime;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};
use workspace_tests::fakes::{create_token, json_service_error, role_credentials};
use workspace_tests::{Auth, Reply, TestServer};

/// SHA-1 of `corp` and of the legacy start URL, computed outside Rust:
/// the cache file names every AWS SDK and the CLI agree on.
const CORP_CACHE: &str = "ee0bfd2552fbd840c02cc48b6e823320543c450f.json";
const LEGACY_CACHE: &str = "79e435d7a515078e81c9dffc35f38d5687ebd3a7.json";

const PROFILES: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev Role\n\
                        [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\
                        [profile old]\nsso_start_url = https://legacy.awsapps.com/start\nsso_region = eu-west-1\n\
                        sso_account_id = 444455556666\nsso_role_name = Old\n";

struct World {
    dir: tempfile::TempDir,
    portal: TestServer,
    oidc: TestServer,
}

impl World {
    async fn new(
        portal: impl FnMut(&workspace_tests::Recorded) -> Reply + Send + 'static,
        oidc: impl FnMut(&workspace_tests::Recorded) -> Reply + Send + 'static,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config"), PROFILES).unwrap();
        Self {
            dir,
            portal: TestServer::start_with_auth(Auth::Unsigned, portal).await,
            oidc: TestServer::start_with_auth(Auth::Unsigned, oidc).await,
        }
    }

    fn config(&self, profile: &str) -> ProviderConfig {
        let home = self.dir.path().display().to_string();
        let config = self.dir.path().join("config").display().to_string();
        ProviderConfig::new(Env::from_vars([
            ("HOME", home.as_str()),
            ("AWS_CONFIG_FILE", config.as_str()),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_PROFILE", profile),
            ("AWS_ENDPOINT_URL_SSO", self.portal.url().as_str()),
            ("AWS_ENDPOINT_URL_SSO_OIDC", self.oidc.url().as_str()),
        ]))
        .with_retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
    }

    fn cache(&self, name: &str) -> PathBuf {
        self.dir.path().join(".aws/sso/cache").join(name)
    }

    fn write_cache(&self, name: &str, json: &str) {
        let path = self.cache(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, json).unwrap();
    }
}

fn rfc3339(t: SystemTime) -> String {
    DateTime::from(t)
        .fmt(aws_json_runtime::datetime::Format::DateTime)
        .unwrap()
}

/// A cache entry expiring `expires_in` from now (negative: expired), with
/// refresh data when `refresh` is set.
fn token_json(access: &str, expires_in: i64, refresh: bool) -> String {
    let now = SystemTime::now();
    let at = if expires_in >= 0 {
        now + Duration::from_secs(expires_in as u64)
    } else {
        now - Duration::from_secs((-expires_in) as u64)
    };
    let mut json = format!(
        r#"{{"accessToken":"{access}","expiresAt":"{}","region":"eu-west-1","startUrl":"https://corp.awsapps.com/start""#,
        rfc3339(at)
    );
    if refresh {
        json.push_str(&format!(
            r#","clientId":"client-1","clientSecret":"client-secret-value","refreshToken":"refresh-token-value","registrationExpiresAt":"{}""#,
            rfc3339(now + Duration::from_secs(86_400))
        ));
    }
    json.push('}');
    json
}

fn portal_ok(r: &workspace_tests::Recorded) -> Reply {
    let token = r.header("x-amz-sso_bearer_token").unwrap_or("");
    if token.starts_with("valid") {
        role_credentials(
            &format!("ASIA-{token}"),
            "sso-secret",
            "sso-session-token",
            4_102_444_800_000,
        )
    } else {
        json_service_error(
            401,
            "UnauthorizedException",
            "Session token not found or invalid",
        )
    }
}

fn no_oidc(_: &workspace_tests::Recorded) -> Reply {
    json_service_error(500, "InternalServerException", "OIDC must not be called")
}

#[tokio::test]
async fn a_cached_token_buys_role_credentials() {
    let world = World::new(portal_ok, no_oidc).await;
    world.write_cache(CORP_CACHE, &token_json("valid-1", 3600, true));
    let creds = default_chain(&world.config("dev"))
        .credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIA-valid-1");
    assert_eq!(creds.session_token(), Some("sso-session-token"));
    assert_eq!(creds.provider_name(), "SSO");
    assert_eq!(
        creds.expiry(),
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(4_102_444_800))
    );
    let requests = world.portal.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.method, "GET");
    assert_eq!(
        r.path,
        "/federation/credentials?account_id=111122223333&role_name=Dev%20Role"
    );
    assert_eq!(r.header("authorization"), None);
    assert!(
        world.oidc.requests().is_empty(),
        "a token far from expiry is not refreshed"
    );
}

#[tokio::test]
async fn a_token_near_expiry_is_refreshed_and_written_back() {
    let world = World::new(portal_ok, |r| {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/token"));
        create_token("valid-refreshed", 28_800, Some("refresh-token-2"))
    })
    .await;
    world.write_cache(CORP_CACHE, &token_json("valid-old", 120, true));
    let creds = default_chain(&world.config("dev"))
        .credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIA-valid-refreshed");

    let oidc = world.oidc.requests();
    assert_eq!(oidc.len(), 1);
    let body = oidc[0].json();
    let field = |k: &str| body.as_object().unwrap()[k].as_str().unwrap().to_owned();
    assert_eq!(field("grantType"), "refresh_token");
    assert_eq!(field("clientId"), "client-1");
    assert_eq!(field("clientSecret"), "client-secret-value");
    assert_eq!(field("refreshToken"), "refresh-token-value");

    // The cache now holds the new token and refresh token, owner-only.
    let path = world.cache(CORP_CACHE);
    let cached = aws_json_runtime::json::from_slice::<aws_json_runtime::Document>(
        &std::fs::read(&path).unwrap(),
    )
    .unwrap();
    let cached = cached.as_object().unwrap();
    assert_eq!(cached["accessToken"].as_str(), Some("valid-refreshed"));
    assert_eq!(cached["refreshToken"].as_str(), Some("refresh-token-2"));
    assert_eq!(cached["clientId"].as_str(), Some("client-1"));
    let expires = DateTime::from_str(
        cached["expiresAt"].as_str().unwrap(),
        aws_json_runtime::datetime::Format::DateTime,
    )
    .unwrap();
    let left = expires.as_secs_f64() - DateTime::from(SystemTime::now()).as_secs_f64();
    assert!((28_000.0..=28_801.0).contains(&left), "{left}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
    assert_eq!(leftovers, 1, "no temporary file is left");
}

#[tokio::test]
async fn a_failed_refresh_keeps_a_token_that_still_works() {
    let world = World::new(portal_ok, |_| {
        json_service_error(400, "InvalidGrantException", "Invalid grant provided")
    })
    .await;
    world.write_cache(CORP_CACHE, &token_json("valid-still", 120, true));
    let creds = default_chain(&world.config("dev"))
        .credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIA-valid-still");
    assert_eq!(world.oidc.requests().len(), 1, "not retried: invalid grant");
    // The cache is left as it was.
    let text = std::fs::read_to_string(world.cache(CORP_CACHE)).unwrap();
    assert!(text.contains("valid-still"));
}

#[tokio::test]
async fn an_expired_token_says_to_sign_in_again() {
    let world = World::new(portal_ok, |_| {
        json_service_error(400, "InvalidGrantException", "Invalid grant provided")
    })
    .await;
    let login = "run `aws sso login --profile dev` to sign in again";
    for (cache, wanted) in [
        // No cache file at all.
        (
            None,
            &["profile `dev`: IAM Identity Center settings: no usable cached IAM Identity Center token (cannot read "][..],
        ),
        // Expired, with no way to refresh.
        (
            Some(token_json("valid-but-expired", -60, false)),
            &["IAM Identity Center token in ", " expired at "][..],
        ),
        // Expired, and the refresh is refused.
        (
            Some(token_json("valid-but-expired", -60, true)),
            &[
                " and could not be refreshed (SSO-OIDC CreateToken at ",
                "InvalidGrantException (HTTP 400): Invalid grant provided",
            ][..],
        ),
        // The portal refusing the token gives the same advice.
        (
            Some(token_json("revoked", 3600, false)),
            &[
                "GetRoleCredentials for role `Dev Role` in account 111122223333",
                "UnauthorizedException (HTTP 401): Session token not found or invalid",
            ][..],
        ),
    ] {
        if let Some(json) = &cache {
            world.write_cache(CORP_CACHE, json);
        }
        let err = default_chain(&world.config("dev")).credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
        let text = err.to_string();
        for want in wanted {
            assert!(text.contains(want), "{want} not in {text}");
        }
        assert!(text.ends_with(login), "{text}");
        for secret in ["valid-but-expired", "client-secret-value", "refresh-token-value"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    // Only the last case had a token worth showing the portal.
    assert_eq!(world.portal.requests().len(), 1);
}

#[tokio::test]
async fn legacy_profiles_use_the_start_url_cache_and_never_refresh() {
    let world = World::new(portal_ok, no_oidc).await;
    // Refresh data present, token near expiry: legacy tokens are not refreshed.
    world.write_cache(LEGACY_CACHE, &token_json("valid-legacy", 60, true));
    let creds = default_chain(&world.config("old"))
        .credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIA-valid-legacy");
    assert!(world.oidc.requests().is_empty());
    assert_eq!(
        world.portal.requests()[0].path,
        "/federation/credentials?account_id=444455556666&role_name=Old"
    );
}

#[tokio::test]
async fn portal_throttling_is_retried_and_malformed_answers_are_errors() {
    let mut n = 0;
    let world = World::new(
        move |r| {
            n += 1;
            match n {
                1 => json_service_error(429, "TooManyRequestsException", "slow down"),
                2 => portal_ok(r),
                _ => Reply::with_content_type(
                    200,
                    "application/json",
                    r#"{"roleCredentials":{"accessKeyId":"A""#,
                ),
            }
        },
        no_oidc,
    )
    .await;
    world.write_cache(CORP_CACHE, &token_json("valid-2", 3600, false));
    let creds = default_chain(&world.config("dev"))
        .credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIA-valid-2");
    assert_eq!(world.portal.requests().len(), 2);
    let err = default_chain(&world.config("dev"))
        .credentials()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("failed: unreadable GetRoleCredentials answer: "),
        "{err}"
    );
}
