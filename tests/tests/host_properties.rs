//! Property tests: whatever region or endpoint URL a configuration holds,
//! resolving the endpoint and calling never panics, and a request either
//! is refused before anything is sent (a configuration error) or goes to
//! exactly the host the rules allow — `proton.<region>.<partition suffix>`
//! for a region, the URL's own host for an endpoint URL.
//!
//! Each property runs 256 cases in `cargo test`; set `PROPTEST_CASES`
//! (e.g. `PROPTEST_CASES=100000 cargo test -p workspace-tests --test host_properties`)
//! for a long campaign.

use aws_json_runtime::endpoint::lib::aws::partition;
use aws_json_runtime::region::is_valid_region;
use aws_json_runtime::RequestErrorKind;
use aws_proton::config::{Credentials, Env, Region};
use aws_proton::operation::list_services::ListServicesError;
use aws_proton::Client;
use proptest::prelude::*;
use workspace_tests::{InProcess, Recorded, Reply};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Strings built from the characters that change where a URL points.
fn tricky(max: usize) -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "z",
        "Z",
        "0",
        "9",
        "-",
        ".",
        "#",
        "?",
        "@",
        ":",
        "/",
        "\\",
        "%",
        "%2e",
        "[",
        "]",
        " ",
        "\t",
        "\n",
        "ü",
        "evil.com",
        "us-east-1",
        "amazonaws.com",
        "//",
        "http://",
    ]);
    prop::collection::vec(pieces, 0..max).prop_map(|p| p.concat())
}

fn regions() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9-]{1,70}",
        tricky(12),
        prop::sample::select(vec![
            "evil.com#".to_owned(),
            "evil.com?".to_owned(),
            "x@evil.com".to_owned(),
            "us-east-1".to_owned(),
            "cn-north-1".to_owned(),
            "us-gov-west-1".to_owned(),
        ]),
    ]
}

fn endpoint_urls() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        (
            prop::sample::select(vec!["http://", "https://", "HTTPS://", "ftp://", ""]),
            tricky(8),
            "[a-z0-9.-]{1,20}",
            prop::option::of(0u32..70000),
            tricky(8),
        )
            .prop_map(|(scheme, user, host, port, rest)| {
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                format!("{scheme}{user}@{host}{port}{rest}")
            }),
        (
            prop::sample::select(vec!["http://", "https://"]),
            "[a-z0-9.-]{1,20}",
            tricky(10),
        )
            .prop_map(|(scheme, host, rest)| format!("{scheme}{host}{rest}")),
    ]
}

/// One call of ListServices through an in-process double, on a fresh
/// single-threaded runtime: what was sent, and how the call ended.
fn call(
    region: &str,
    endpoint_url: Option<&str>,
) -> (Vec<Recorded>, Result<(), ListServicesError>) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let double = InProcess::new(|_| Reply::ok("{}"));
        let mut loader = aws_proton::config::loader()
            .env(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]))
            .credentials_provider(Credentials::from_keys("AKID", "SECRET", None))
            .region(Region::new(region.to_owned()))
            .http_client(double.clone());
        if let Some(url) = endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        let result = Client::new(&config)
            .list_services()
            .send()
            .await
            .map(|_| ());
        (double.requests(), result)
    })
}

fn configuration_error(result: &Result<(), ListServicesError>) -> bool {
    matches!(result, Err(ListServicesError::Request(e)) if e.kind() == RequestErrorKind::Configuration)
}

/// The host and port of `uri` (`scheme://authority/...`), read by hand: the
/// test's own reading, not the client's parser.
fn authority(uri: &str) -> &str {
    let rest = uri.split_once("://").map_or(uri, |(_, r)| r);
    rest.split('/').next().unwrap_or(rest)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_region_is_refused_or_becomes_exactly_the_rules_host(region in regions()) {
        let (sent, result) = call(&region, None);
        if is_valid_region(&region) {
            prop_assert!(result.is_ok(), "{region:?}: {result:?}");
            prop_assert_eq!(sent.len(), 1);
            let suffix = partition(&region).expect("always a partition").dns_suffix();
            let want = format!("proton.{region}.{suffix}");
            prop_assert_eq!(authority(&sent[0].uri), want.as_str());
            prop_assert_eq!(sent[0].header("host"), Some(want.as_str()));
        } else {
            prop_assert!(configuration_error(&result), "{region:?}: {result:?}");
            prop_assert!(sent.is_empty(), "{region:?} was sent to {}", sent[0].uri);
            let text = result.unwrap_err().to_string();
            prop_assert!(text.contains("invalid AWS region"), "{text}");
        }
    }

    #[test]
    fn an_endpoint_url_is_refused_or_its_own_host_is_the_only_one_used(url in endpoint_urls()) {
        let (sent, result) = call("us-east-1", Some(&url));
        if sent.is_empty() {
            prop_assert!(configuration_error(&result), "{url:?}: {result:?}");
            return Ok(());
        }
        prop_assert_eq!(sent.len(), 1);
        prop_assert!(result.is_ok(), "{url:?}: {result:?}");
        // Nothing that can move the host, or carry credentials, survives.
        prop_assert!(!url.contains('#') && !url.contains('?'), "{url:?} was sent");
        let uri = &sent[0].uri;
        prop_assert!(!authority(uri).contains('@'), "user info sent: {uri}");
        // The host sent is the URL's host, after any user info.
        let given = authority(&url);
        let given_host = given.rsplit_once('@').map_or(given, |(_, h)| h);
        let sent_authority = authority(uri);
        prop_assert!(
            given_host.eq_ignore_ascii_case(sent_authority)
                || given_host.eq_ignore_ascii_case(&format!("{sent_authority}:443"))
                || given_host.eq_ignore_ascii_case(&format!("{sent_authority}:80")),
            "{url:?} went to {uri}"
        );
        let host = sent[0].header("host").unwrap_or_default();
        prop_assert!(sent_authority.eq_ignore_ascii_case(host) || sent_authority.starts_with(&format!("{host}:")), "Host {host} for {uri}");
    }
}

#[test]
fn the_hostile_regions_of_the_issue_are_refused() {
    for region in ["evil.com#", "evil.com?", "x@evil.com"] {
        let (sent, result) = call(region, None);
        assert!(configuration_error(&result), "{region}");
        assert!(sent.is_empty());
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    // Where a followed redirect would go: a second loopback server.
    let elsewhere = workspace_tests::TestServer::start(|_| Reply::ok("{}")).await;
    let location = format!("{}/", elsewhere.url());
    let server = workspace_tests::TestServer::start(move |_| {
        Reply::json(307, "{}").header("location", &location)
    })
    .await;
    let config = workspace_tests::test_loader(&server.url()).load().await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    let ListServicesError::Unhandled(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.meta().status(), 307);
    assert_eq!(server.requests().len(), 1);
    assert!(elsewhere.requests().is_empty(), "the redirect was followed");
}
