//! Assumed roles and web identity, end to end: the profile and default
//! chains against a loopback STS that checks the form and the SigV4
//! signature (with the secret of the key that signed) and answers XML.

use aws_json_runtime::credentials::profile::ProfileCredentialsProvider;
use aws_json_runtime::credentials::web_identity::WebIdentityTokenProvider;
use aws_json_runtime::credentials::{default_chain, CredentialsErrorKind};
use aws_json_runtime::env::Env;
use aws_json_runtime::provider_config::ProviderConfig;
use aws_json_runtime::retry::RetryConfig;
use std::path::Path;
use std::time::Duration;
use workspace_tests::fakes::{form, sts_credentials, sts_error};
use workspace_tests::{Auth, Reply, TestServer};

const EXPIRES: &str = "2099-01-01T00:00:00Z";

/// A world with only what the test writes: a config file in `dir`, no
/// credentials file, IMDS off, STS on the loopback server.
fn world(dir: &Path, config: &str, sts: &TestServer, extra: &[(&str, &str)]) -> ProviderConfig {
    let config_path = dir.join("config");
    std::fs::write(&config_path, config).unwrap();
    let mut vars: Vec<(String, String)> = vec![
        ("HOME".into(), dir.display().to_string()),
        ("AWS_CONFIG_FILE".into(), config_path.display().to_string()),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            dir.join("none").display().to_string(),
        ),
        ("AWS_EC2_METADATA_DISABLED".into(), "true".into()),
        ("AWS_ENDPOINT_URL_STS".into(), sts.url()),
        ("AWS_REGION".into(), "eu-west-1".into()),
    ];
    vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    ProviderConfig::new(Env::from_vars(vars))
        .with_retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
}

fn keys(pairs: &[(&str, &str)]) -> Auth {
    Auth::Query(
        pairs
            .iter()
            .map(|(k, s)| (k.to_string(), s.to_string()))
            .collect(),
    )
}

const CHAIN: &str = "[profile prod]\nrole_arn = arn:aws:iam::111:role/prod\nsource_profile = dev\n\
                     role_session_name = me\nexternal_id = ext-1\nduration_seconds = 1800\n\
                     [profile dev]\nrole_arn = arn:aws:iam::222:role/dev\nsource_profile = base\n\
                     [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n";

#[tokio::test]
async fn a_role_chain_signs_each_hop_with_the_previous_credentials() {
    let sts = TestServer::start_with_auth(
        keys(&[("AKIDBASE", "base-secret"), ("ASIADEV", "dev-secret")]),
        |r| {
            let f = form(r);
            assert_eq!(f["Action"], "AssumeRole");
            assert_eq!(f["Version"], "2011-06-15");
            match f["RoleArn"].as_str() {
                "arn:aws:iam::222:role/dev" => {
                    sts_credentials("AssumeRole", "ASIADEV", "dev-secret", "dev-token", EXPIRES)
                }
                "arn:aws:iam::111:role/prod" => sts_credentials(
                    "AssumeRole",
                    "ASIAPROD",
                    "prod-secret",
                    "prod-token",
                    EXPIRES,
                ),
                other => sts_error(403, "AccessDenied", &format!("no role {other}")),
            }
        },
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = world(dir.path(), CHAIN, &sts, &[("AWS_PROFILE", "prod")]);
    let creds = default_chain(&config).credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAPROD");
    assert_eq!(creds.secret_access_key(), "prod-secret");
    assert_eq!(creds.session_token(), Some("prod-token"));
    assert_eq!(creds.provider_name(), "AssumeRoleProvider");

    let requests = sts.requests();
    assert_eq!(requests.len(), 2);
    let (first, second) = (&requests[0], &requests[1]);
    assert_eq!(
        first.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert!(first
        .header("authorization")
        .unwrap()
        .contains("Credential=AKIDBASE/"));
    // Regional signing scope, from AWS_REGION.
    assert!(first
        .header("authorization")
        .unwrap()
        .contains("/eu-west-1/sts/aws4_request"));
    assert_eq!(first.header("x-amz-security-token"), None);
    let f = form(first);
    assert!(f["RoleSessionName"].starts_with("aws-sdk-rust-"), "{f:?}");
    assert!(
        f["RoleSessionName"]["aws-sdk-rust-".len()..]
            .parse::<u64>()
            .is_ok(),
        "{f:?}"
    );
    assert!(
        !f.contains_key("ExternalId") && !f.contains_key("DurationSeconds"),
        "{f:?}"
    );
    // The second hop is signed with the first hop's temporary credentials.
    assert!(second
        .header("authorization")
        .unwrap()
        .contains("Credential=ASIADEV/"));
    assert_eq!(second.header("x-amz-security-token"), Some("dev-token"));
    let f = form(second);
    assert_eq!(
        (
            f["RoleSessionName"].as_str(),
            f["ExternalId"].as_str(),
            f["DurationSeconds"].as_str()
        ),
        ("me", "ext-1", "1800")
    );
}

#[tokio::test]
async fn a_wrong_signature_is_refused_by_the_fake() {
    // The fake STS really checks: keys it does not know are refused.
    let sts = TestServer::start_with_auth(keys(&[("AKIDBASE", "other-secret")]), |_| {
        sts_credentials("AssumeRole", "ASIA", "S", "T", EXPIRES)
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = world(dir.path(), CHAIN, &sts, &[("AWS_PROFILE", "dev")]);
    let err = default_chain(&config).credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "profile `dev`: role_arn of profile `dev` ({} line 8): STS AssumeRole of `arn:aws:iam::222:role/dev` at {} failed: SignatureDoesNotMatch (HTTP 403): The request signature we calculated",
            dir.path().join("config").display(),
            sts.url()
        )),
        "{text}"
    );
    assert!(text.ends_with("(request ID sts-error-1)"), "{text}");
    assert!(!text.contains("base-secret"), "{text}");
}

#[tokio::test]
async fn sts_errors_are_reported_and_throttling_is_retried() {
    let dir = tempfile::tempdir().unwrap();
    let accepted = keys(&[("AKIDBASE", "base-secret")]);
    // Access denied, expired token: reported at once, not retried.
    for (code, message) in [
        (
            "AccessDenied",
            "User: arn:aws:iam::1:user/u is not authorized to perform: sts:AssumeRole",
        ),
        (
            "ExpiredToken",
            "The security token included in the request is expired",
        ),
    ] {
        let sts =
            TestServer::start_with_auth(accepted.clone(), move |_| sts_error(403, code, message))
                .await;
        let config = world(dir.path(), CHAIN, &sts, &[("AWS_PROFILE", "dev")]);
        let err = default_chain(&config).credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed);
        assert!(
            err.to_string().ends_with(&format!(
                "failed: {code} (HTTP 403): {message} (request ID sts-error-1)"
            )),
            "{err}"
        );
        assert_eq!(sts.requests().len(), 1, "{code} is not retried");
    }
    // Throttling twice, then success: three attempts, credentials.
    let mut n = 0;
    let sts = TestServer::start_with_auth(accepted.clone(), move |_| {
        n += 1;
        if n < 3 {
            sts_error(400, "Throttling", "Rate exceeded")
        } else {
            sts_credentials("AssumeRole", "ASIADEV", "S", "T", EXPIRES)
        }
    })
    .await;
    let config = world(dir.path(), CHAIN, &sts, &[("AWS_PROFILE", "dev")]);
    assert_eq!(
        default_chain(&config)
            .credentials()
            .await
            .unwrap()
            .access_key_id(),
        "ASIADEV"
    );
    assert_eq!(sts.requests().len(), 3);
    // Throttled on every attempt: the configured attempts, then the error.
    let sts = TestServer::start_with_auth(accepted.clone(), |_| {
        sts_error(400, "Throttling", "Rate exceeded")
    })
    .await;
    let config = world(dir.path(), CHAIN, &sts, &[("AWS_PROFILE", "dev")]);
    let err = default_chain(&config).credentials().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("failed: Throttling (HTTP 400): Rate exceeded"),
        "{err}"
    );
    assert_eq!(sts.requests().len(), 3);
    // A 200 whose XML is malformed, or lacks the credentials.
    for (body, want) in [
        ("<AssumeRoleResponse><AssumeRoleResult>", "unreadable STS AssumeRole answer: malformed XML: the document ends inside an element"),
        ("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId></Credentials></AssumeRoleResult></AssumeRoleResponse>", "unreadable STS AssumeRole answer: no SecretAccessKey in AssumeRoleResponse/AssumeRoleResult/Credentials"),
        ("{\"not\":\"xml\"}", "unreadable STS AssumeRole answer: malformed XML at byte 0: text outside the root element"),
    ] {
        let sts = TestServer::start_with_auth(accepted.clone(), move |_| Reply::with_content_type(200, "text/xml", body)).await;
        let config = world(dir.path(), CHAIN, &sts, &[("AWS_PROFILE", "dev")]);
        let err = default_chain(&config).credentials().await.unwrap_err();
        assert!(err.to_string().ends_with(want), "{err}");
    }
}

#[tokio::test]
async fn credential_source_environment_signs_with_the_environment_keys() {
    let sts = TestServer::start_with_auth(keys(&[("AKIDENV", "env-secret")]), |_| {
        sts_credentials("AssumeRole", "ASIAROLE", "S", "T", EXPIRES)
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = world(
        dir.path(),
        "[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\ncredential_source = Environment\n",
        &sts,
        &[
            ("AWS_PROFILE", "ci"),
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ],
    );
    // Not through the default chain, whose environment provider would win.
    let creds = ProfileCredentialsProvider::new(&config)
        .credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAROLE");
}

#[tokio::test]
async fn an_invalid_sts_endpoint_setting_sends_nothing() {
    let sts = TestServer::start_with_auth(keys(&[("AKIDBASE", "base-secret")]), |_| {
        sts_credentials("AssumeRole", "ASIA", "S", "T", EXPIRES)
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = world(
        dir.path(),
        CHAIN,
        &sts,
        &[
            ("AWS_PROFILE", "dev"),
            ("AWS_STS_REGIONAL_ENDPOINTS", "bogus"),
        ],
    );
    let err = default_chain(&config).credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert!(
        err.to_string().ends_with(
            "invalid AWS_STS_REGIONAL_ENDPOINTS: `bogus` (expected `regional` or `legacy`)"
        ),
        "{err}"
    );
    assert!(sts.requests().is_empty());
    // A region that is not a host label is refused before anything is signed.
    let config = world(
        dir.path(),
        CHAIN,
        &sts,
        &[("AWS_PROFILE", "dev"), ("AWS_REGION", "evil.com#")],
    );
    let err = default_chain(&config).credentials().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("invalid AWS region `evil.com#` from AWS_REGION: a region is one DNS label"),
        "{err}"
    );
    assert!(sts.requests().is_empty());
}

fn web_identity_server() -> impl FnMut(&workspace_tests::Recorded) -> Reply + Send + 'static {
    |r| {
        let f = form(r);
        assert_eq!(f["Action"], "AssumeRoleWithWebIdentity");
        match f["WebIdentityToken"].as_str() {
            "expired-jwt" => sts_error(
                400,
                "ExpiredTokenException",
                "Token expired: current date/time 1 must be before the expiration date/time 0",
            ),
            "bad-jwt" => sts_error(
                400,
                "InvalidIdentityToken",
                "Couldn't retrieve verification key from your identity provider",
            ),
            "flaky-jwt" => sts_error(
                400,
                "IDPCommunicationError",
                "the identity provider could not be reached",
            ),
            token => sts_credentials(
                "AssumeRoleWithWebIdentity",
                &format!("ASIA-{token}"),
                "web-secret",
                "web-token",
                EXPIRES,
            ),
        }
    }
}

#[tokio::test]
async fn web_identity_from_the_environment_rereads_the_token_file() {
    let sts = TestServer::start_with_auth(Auth::Unsigned, web_identity_server()).await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "jwt-one\n").unwrap();
    let token_path = token_file.display().to_string();
    let config = world(
        dir.path(),
        "",
        &sts,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token_path.as_str()),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"),
            ("AWS_ROLE_SESSION_NAME", "pod-session"),
        ],
    );
    let chain = default_chain(&config);
    let creds = chain.credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIA-jwt-one");
    assert_eq!(creds.provider_name(), "WebIdentityToken");
    std::fs::write(&token_file, "jwt-two").unwrap();
    assert_eq!(
        chain.credentials().await.unwrap().access_key_id(),
        "ASIA-jwt-two"
    );

    let requests = sts.requests();
    let r = &requests[0];
    assert_eq!(
        r.header("authorization"),
        None,
        "AssumeRoleWithWebIdentity is unsigned"
    );
    let f = form(r);
    assert_eq!(f["RoleArn"], "arn:aws:iam::1:role/pod");
    assert_eq!(f["RoleSessionName"], "pod-session");
    assert_eq!(f["WebIdentityToken"], "jwt-one");
}

#[tokio::test]
async fn web_identity_failures_stop_the_chain_before_imds() {
    let sts = TestServer::start_with_auth(Auth::Unsigned, web_identity_server()).await;
    let imds = TestServer::start_with_auth(Auth::Unsigned, |_| Reply::ok("")).await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    let token_path = token_file.display().to_string();
    for (token, want) in [
        (
            "expired-jwt",
            "ExpiredTokenException (HTTP 400): Token expired",
        ),
        (
            "bad-jwt",
            "InvalidIdentityToken (HTTP 400): Couldn't retrieve verification key",
        ),
        (
            "flaky-jwt",
            "IDPCommunicationError (HTTP 400): the identity provider could not be reached",
        ),
    ] {
        std::fs::write(&token_file, token).unwrap();
        // IMDS is enabled and reachable, should the chain fall through to it.
        let config = world(
            dir.path(),
            "",
            &sts,
            &[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", token_path.as_str()),
                ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"),
                ("AWS_EC2_METADATA_DISABLED", "false"),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url().as_str()),
            ],
        );
        let err = default_chain(&config).credentials().await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::ProviderFailed, "{err}");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "web identity (environment): STS AssumeRoleWithWebIdentity of `arn:aws:iam::1:role/pod` at {} with the token in {token_path} failed: {want}",
                sts.url()
            )),
            "{text}"
        );
        assert!(
            !text.contains(token),
            "the token never appears in errors: {text}"
        );
    }
    // The identity provider's outage was retried (3 attempts), the others not.
    let forms: Vec<_> = sts
        .requests()
        .iter()
        .map(|r| form(r)["WebIdentityToken"].clone())
        .collect();
    assert_eq!(
        forms,
        [
            "expired-jwt",
            "bad-jwt",
            "flaky-jwt",
            "flaky-jwt",
            "flaky-jwt"
        ]
    );
    assert!(imds.requests().is_empty(), "IMDS must not be tried");

    // A missing file and a missing role are configuration errors.
    let config = world(
        dir.path(),
        "",
        &sts,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token"),
            ("AWS_ROLE_ARN", "r"),
        ],
    );
    let err = default_chain(&config).credentials().await.unwrap_err();
    assert!(err.to_string().starts_with("web identity (environment): cannot read the web identity token file /nonexistent/token: "), "{err}");
    let config = world(
        dir.path(),
        "",
        &sts,
        &[("AWS_WEB_IDENTITY_TOKEN_FILE", token_path.as_str())],
    );
    let err = default_chain(&config).credentials().await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::InvalidConfiguration);
    assert_eq!(
        err.to_string(),
        "web identity (environment): AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not"
    );
}

#[tokio::test]
async fn web_identity_from_a_profile_then_a_role() {
    let sts = TestServer::start_with_auth(Auth::Unsigned, |r| {
        let f = form(r);
        match f["Action"].as_str() {
            "AssumeRoleWithWebIdentity" => sts_credentials(
                "AssumeRoleWithWebIdentity",
                "ASIAWEB",
                "web-secret",
                "web-token",
                EXPIRES,
            ),
            _ => {
                // Signed with the web identity credentials.
                assert!(r
                    .header("authorization")
                    .unwrap()
                    .contains("Credential=ASIAWEB/"));
                assert_eq!(r.header("x-amz-security-token"), Some("web-token"));
                sts_credentials("AssumeRole", "ASIATARGET", "S", "T", EXPIRES)
            }
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "jwt").unwrap();
    let profile = format!(
        "[profile web]\nrole_arn = arn:aws:iam::1:role/web\nweb_identity_token_file = {}\nrole_session_name = s1\n\
         [profile target]\nrole_arn = arn:aws:iam::2:role/target\nsource_profile = web\n",
        token_file.display()
    );
    let config = world(dir.path(), &profile, &sts, &[("AWS_PROFILE", "target")]);
    let creds = default_chain(&config).credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIATARGET");
    let requests = sts.requests();
    assert_eq!(form(&requests[0])["RoleSessionName"], "s1");
    assert_eq!(requests.len(), 2);
}

#[tokio::test]
async fn a_web_identity_provider_in_code() {
    let sts = TestServer::start_with_auth(Auth::Unsigned, web_identity_server()).await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "code-jwt").unwrap();
    let config = world(dir.path(), "", &sts, &[]);
    let provider = WebIdentityTokenProvider::new(&token_file, "arn:aws:iam::1:role/x", &config)
        .with_session_name("named");
    assert_eq!(
        provider.credentials().await.unwrap().access_key_id(),
        "ASIA-code-jwt"
    );
    assert_eq!(form(&sts.requests()[0])["RoleSessionName"], "named");
    let debug = format!("{provider:?}");
    assert!(!debug.contains("code-jwt"), "{debug}");
}

#[tokio::test]
async fn credential_source_container_and_instance_metadata() {
    let sts = TestServer::start_with_auth(keys(&[("ASIASOURCE", "source-secret")]), |_| {
        sts_credentials("AssumeRole", "ASIAROLE", "S", "T", EXPIRES)
    })
    .await;
    let source = r#"{"Code":"Success","AccessKeyId":"ASIASOURCE","SecretAccessKey":"source-secret","Token":"source-token","Expiration":"2099-01-01T00:00:00Z"}"#;
    let container = TestServer::start_with_auth(Auth::Unsigned, move |_| Reply::ok(source)).await;
    let imds = TestServer::start_with_auth(Auth::Unsigned, move |r| match r.path.as_str() {
        "/latest/api/token" => {
            Reply::ok("t").header("x-aws-ec2-metadata-token-ttl-seconds", "21600")
        }
        "/latest/meta-data/iam/security-credentials/" => Reply::ok("role"),
        _ => Reply::ok(source),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let container_uri = format!("{}/creds", container.url());
    let imds_url = imds.url();
    for (source_name, vars) in [
        (
            "EcsContainer",
            vec![("AWS_CONTAINER_CREDENTIALS_FULL_URI", container_uri.as_str())],
        ),
        (
            "Ec2InstanceMetadata",
            vec![
                ("AWS_EC2_METADATA_DISABLED", "false"),
                ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url.as_str()),
            ],
        ),
    ] {
        let mut vars = vars;
        vars.push(("AWS_PROFILE", "role"));
        let profile = format!(
            "[profile role]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = {source_name}\n"
        );
        let config = world(dir.path(), &profile, &sts, &vars);
        let creds = default_chain(&config).credentials().await.unwrap();
        assert_eq!(creds.access_key_id(), "ASIAROLE", "{source_name}");
    }
    let requests = sts.requests();
    assert_eq!(requests.len(), 2);
    for r in &requests {
        assert!(r
            .header("authorization")
            .unwrap()
            .contains("Credential=ASIASOURCE/"));
        assert_eq!(r.header("x-amz-security-token"), Some("source-token"));
    }
}

#[tokio::test]
async fn the_profile_comes_before_web_identity_from_the_environment() {
    let sts = TestServer::start_with_auth(Auth::Unsigned, web_identity_server()).await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "jwt").unwrap();
    let config = world(
        dir.path(),
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = S\n",
        &sts,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"),
        ],
    );
    let creds = default_chain(&config).credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDPROFILE");
    assert!(sts.requests().is_empty());
}

#[tokio::test]
async fn an_sts_that_never_answers_times_out_like_a_service() {
    use aws_json_runtime::config::TimeoutConfig;
    let sts = TestServer::start_with_auth(Auth::Unsigned, |_| {
        sts_credentials("AssumeRoleWithWebIdentity", "A", "S", "T", EXPIRES)
            .delay(Duration::from_secs(30))
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "jwt").unwrap();
    let config = world(
        dir.path(),
        "",
        &sts,
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"),
        ],
    )
    .with_timeout_config(
        TimeoutConfig::default().with_response_headers_timeout(Some(Duration::from_millis(200))),
    )
    .with_retry_config(
        RetryConfig::standard()
            .with_max_attempts(2)
            .with_initial_backoff(Duration::from_millis(1)),
    );
    let started = std::time::Instant::now();
    let err = default_chain(&config).credentials().await.unwrap_err();
    assert!(
        err.to_string()
            .ends_with("failed: no answer within 200ms (after 2 attempts)"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(sts.requests().len(), 2);
}

#[tokio::test]
async fn an_assume_role_provider_in_code() {
    use aws_json_runtime::credentials::assume_role::AssumeRoleProvider;
    use aws_json_runtime::credentials::Credentials;
    let sts = TestServer::start_with_auth(keys(&[("AKIDCODE", "code-secret")]), |r| {
        let f = form(r);
        assert_eq!(f["RoleArn"], "arn:aws:iam::9:role/code");
        sts_credentials("AssumeRole", "ASIACODE", "S", "T", EXPIRES)
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let config = world(dir.path(), "", &sts, &[]);
    let provider = AssumeRoleProvider::new(
        "arn:aws:iam::9:role/code",
        Credentials::from_keys("AKIDCODE", "code-secret", None),
        &config,
    )
    .with_session_name("from-code")
    .with_external_id("SENTINELexternalid")
    .with_duration(Duration::from_secs(3600))
    .with_region(aws_json_runtime::region::Region::new("ap-southeast-2"));
    assert_eq!(
        provider.credentials().await.unwrap().access_key_id(),
        "ASIACODE"
    );
    let r = &sts.requests()[0];
    let f = form(r);
    assert_eq!(
        (
            f["RoleSessionName"].as_str(),
            f["ExternalId"].as_str(),
            f["DurationSeconds"].as_str()
        ),
        ("from-code", "SENTINELexternalid", "3600")
    );
    // The region given in code scopes the signature.
    assert!(r
        .header("authorization")
        .unwrap()
        .contains("/ap-southeast-2/sts/aws4_request"));
    // The external ID is not printed.
    assert!(!format!("{provider:?}").contains("SENTINELexternalid"));
}
