//! The secrets the assume-role, web-identity and IAM Identity Center paths
//! handle — the web-identity token, SSO access and refresh tokens, the
//! OIDC client secret, and the secret keys and session tokens STS and the
//! portal hand back — and a proxy password never appear in any `Debug` or
//! `Display` (with `source` chains) of the providers, their errors, the
//! credentials, the config or the client, on success or on any error path
//! (refused, expired, throttled, malformed answers carrying them; a proxy
//! refusing the password, or unreachable), nor in anything traced
//! meanwhile. Uses the shared [`Sweep`].

use aws_json_runtime::credentials::{default_provider, ProvideCredentials};
use aws_json_runtime::env::Env;
use aws_json_runtime::provider_config::ProviderConfig;
use aws_json_runtime::retry::RetryConfig;
use std::time::{Duration, SystemTime};
use workspace_tests::fakes::{
    create_token, json_service_error, role_credentials, sts_credentials, sts_error,
};
use workspace_tests::net::ConnectProxy;
use workspace_tests::secrets::Sweep;
use workspace_tests::{test_loader, Auth, Reply, TestServer};

const WEB_TOKEN: &str = "SENTINELwebidentitytoken";
const SSO_ACCESS: &str = "SENTINELssoaccesstoken";
const SSO_REFRESH: &str = "SENTINELssorefreshtoken";
const CLIENT_SECRET: &str = "SENTINELoidcclientsecret";
const BASE_SECRET: &str = "SENTINELbasesecretkey";
const STS_SECRET: &str = "SENTINELstssecretkey";
const STS_TOKEN: &str = "SENTINELstssessiontoken";
const PORTAL_SECRET: &str = "SENTINELportalsecretkey";
const PORTAL_TOKEN: &str = "SENTINELportalsessiontoken";
const PROXY_PASSWORD: &str = "SENTINELproxypassword";

const ALL: &[&str] = &[
    WEB_TOKEN,
    SSO_ACCESS,
    SSO_REFRESH,
    CLIENT_SECRET,
    BASE_SECRET,
    STS_SECRET,
    STS_TOKEN,
    PORTAL_SECRET,
    PORTAL_TOKEN,
];

/// Every way the STS and IAM Identity Center fakes can answer.
#[derive(Clone, Copy, Debug)]
enum Answer {
    Ok,
    Refused,
    Throttled,
    Malformed,
    /// A well-formed answer whose secret breaks the format mid-way.
    SecretThenGarbage,
}

const ANSWERS: [Answer; 5] = [
    Answer::Ok,
    Answer::Refused,
    Answer::Throttled,
    Answer::Malformed,
    Answer::SecretThenGarbage,
];

fn sts_answer(answer: Answer, action: &str) -> Reply {
    match answer {
        Answer::Ok => sts_credentials(action, "ASIASTS", STS_SECRET, STS_TOKEN, "2099-01-01T00:00:00Z"),
        Answer::Refused => sts_error(403, "AccessDenied", "not authorized"),
        Answer::Throttled => sts_error(400, "Throttling", "Rate exceeded"),
        Answer::Malformed => Reply::with_content_type(200, "text/xml", "<AssumeRoleResponse><"),
        Answer::SecretThenGarbage => Reply::with_content_type(
            200,
            "text/xml",
            format!("<{action}Response><{action}Result><Credentials><SecretAccessKey>{STS_SECRET}&{STS_TOKEN};</SecretAccessKey>"),
        ),
    }
}

fn portal_answer(answer: Answer) -> Reply {
    match answer {
        Answer::Ok => {
            role_credentials("ASIAPORTAL", PORTAL_SECRET, PORTAL_TOKEN, 4_102_444_800_000)
        }
        Answer::Refused => json_service_error(
            401,
            "UnauthorizedException",
            "Session token not found or invalid",
        ),
        Answer::Throttled => json_service_error(429, "TooManyRequestsException", "slow down"),
        Answer::Malformed => {
            Reply::with_content_type(200, "application/json", "{\"roleCredentials\":")
        }
        Answer::SecretThenGarbage => Reply::with_content_type(
            200,
            "application/json",
            format!(
                r#"{{"roleCredentials":{{"secretAccessKey":"{PORTAL_SECRET}","sessionToken":{PORTAL_TOKEN}}}}}"#
            ),
        ),
    }
}

fn oidc_answer(answer: Answer) -> Reply {
    match answer {
        Answer::Ok => create_token(SSO_ACCESS, 3600, Some(SSO_REFRESH)),
        Answer::Refused => {
            json_service_error(400, "InvalidGrantException", "Invalid grant provided")
        }
        Answer::Throttled => json_service_error(429, "SlowDownException", "slow down"),
        Answer::Malformed => Reply::with_content_type(200, "application/json", "{\"accessToken\":"),
        Answer::SecretThenGarbage => Reply::with_content_type(
            200,
            "application/json",
            format!(r#"{{"accessToken":"{SSO_ACCESS}","expiresIn":"{SSO_REFRESH}"}}"#),
        ),
    }
}

fn rfc3339(t: SystemTime) -> String {
    aws_json_runtime::DateTime::from(t)
        .fmt(aws_json_runtime::datetime::Format::DateTime)
        .unwrap()
}

#[tokio::test]
async fn no_new_secret_appears_in_any_printout() {
    let (capture, _guard) = workspace_tests::trace_capture::Capture::start();
    let mut sweep = Sweep::new(ALL);
    let mut checked = 0;
    for answer in ANSWERS {
        let sts = TestServer::start_with_auth(Auth::Unsigned, move |r| {
            let action = workspace_tests::fakes::form(r)["Action"].clone();
            sts_answer(answer, &action)
        })
        .await;
        let portal =
            TestServer::start_with_auth(Auth::Unsigned, move |_| portal_answer(answer)).await;
        let oidc = TestServer::start_with_auth(Auth::Unsigned, move |_| oidc_answer(answer)).await;

        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("token");
        std::fs::write(&token_file, WEB_TOKEN).unwrap();
        let config_file = dir.path().join("config");
        std::fs::write(
            &config_file,
            format!(
                "[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n\
                 [profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {BASE_SECRET}\n\
                 [profile web]\nrole_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = {}\n\
                 [profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n\
                 [sso-session corp]\nsso_start_url = https://corp\nsso_region = eu-west-1\n",
                token_file.display()
            ),
        )
        .unwrap();
        // A token near expiry, so the OIDC refresh path runs too; then an
        // expired one, so the refresh failure is an error.
        let cache = dir
            .path()
            .join(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json");
        std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
        for (profile, expires_in) in [("role", 0i64), ("web", 0), ("sso", 60), ("sso", -60)] {
            let at = if expires_in >= 0 {
                SystemTime::now() + Duration::from_secs(expires_in as u64)
            } else {
                SystemTime::now() - Duration::from_secs(60)
            };
            std::fs::write(
                &cache,
                format!(
                    r#"{{"accessToken":"{SSO_ACCESS}","expiresAt":"{}","clientId":"c","clientSecret":"{CLIENT_SECRET}","refreshToken":"{SSO_REFRESH}","registrationExpiresAt":"{}"}}"#,
                    rfc3339(at),
                    rfc3339(SystemTime::now() + Duration::from_secs(86_400))
                ),
            )
            .unwrap();
            let env = Env::from_vars([
                ("HOME", dir.path().to_str().unwrap()),
                ("AWS_CONFIG_FILE", config_file.to_str().unwrap()),
                ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
                ("AWS_EC2_METADATA_DISABLED", "true"),
                ("AWS_PROFILE", profile),
                ("AWS_ENDPOINT_URL_STS", sts.url().as_str()),
                ("AWS_ENDPOINT_URL_SSO", portal.url().as_str()),
                ("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url().as_str()),
            ]);
            let config = ProviderConfig::new(env).with_retry_config(
                RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)),
            );
            let provider = default_provider(&config);
            let what = format!("{profile} with {answer:?}");
            match provider.provide_credentials().await {
                Ok(creds) => sweep.debug(&what, &creds),
                Err(e) => sweep.error(&what, &e),
            }
            sweep.debug(&what, &provider);
            sweep.debug(&what, &config);
            checked += 1;
        }
    }
    assert_eq!(checked, 20);
    // Nor in anything traced meanwhile, at any level.
    let traced = capture.text();
    assert!(traced.contains("credentials loaded"), "{traced}");
    sweep.text("the trace", &traced);
}

#[tokio::test]
async fn a_proxy_password_appears_in_no_printout() {
    let (capture, _guard) = workspace_tests::trace_capture::Capture::start();
    let backend = TestServer::start(|_| Reply::ok(r#"{"services":[]}"#)).await;
    let proxy = ConnectProxy::start(Some("alice:SENTINELproxypassword")).await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut sweep = Sweep::new(ALL);
    for (what, proxy_url) in [
        (
            "accepted",
            proxy.url_with(&format!("alice:{PROXY_PASSWORD}")),
        ),
        ("refused", proxy.url_with(&format!("bob:{PROXY_PASSWORD}"))),
        (
            "unreachable",
            format!("http://alice:{PROXY_PASSWORD}@{closed}"),
        ),
        (
            "unsupported",
            format!("socks5://alice:{PROXY_PASSWORD}@{closed}"),
        ),
    ] {
        let config = test_loader(&backend.url())
            .env(Env::from_vars([
                ("AWS_EC2_METADATA_DISABLED", "true"),
                ("HTTP_PROXY", proxy_url.as_str()),
            ]))
            .retry_config(RetryConfig::disabled())
            .load()
            .await;
        let client = aws_proton::Client::new(&config);
        match client.list_services().send().await {
            Ok(output) => sweep.debug(what, &output),
            Err(e) => sweep.error(what, &e),
        }
        sweep.debug(what, &config);
        sweep.debug(what, &client);
        sweep.debug(what, config.http_client());
    }
    assert_eq!(
        proxy.tunnels().len(),
        1,
        "only the accepted password opened a tunnel"
    );
    let traced = capture.text();
    assert!(traced.contains("call finished"), "{traced}");
    sweep.text("the trace", &traced);
    assert!(sweep.checked().len() >= 4 * 4);
}
