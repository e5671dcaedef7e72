//! No panic from any input: arbitrary and structured input through every
//! parser of what the environment or a metadata server hands us. Each
//! target's result is `Ok` or an error that says something; a panic fails
//! the target (proptest then shrinks the input and prints it). The STS and
//! IAM Identity Center parsers have theirs in `credentials/fuzz_tests.rs`.
//!
//! Case counts under `cargo test` are in each target's `fuzz_config(N)`;
//! `PROPTEST_CASES` overrides them all.

use super::fuzz_config;
use crate::clock::ManualClock;
use crate::credentials::imds::ImdsCredentialsProvider;
use crate::credentials::json::{parse_json_credentials, JsonCredentials};
use crate::credentials::process::{parse_output, CredentialProcessProvider};
use crate::credentials::{Credentials, CredentialsCache};
use crate::datetime::{DateTime, Format};
use crate::endpoint::lib::aws::{parse_arn, partition};
use crate::endpoint::lib::{is_valid_host_label, parse_url, substring, uri_encode};
use crate::env::Env;
use crate::imds::{refresh_time, session_token};
use crate::json::{from_slice, JsonReader};
use crate::profile::ProfileSet;
use crate::provider_config::ProviderConfig;
use crate::{BigDecimal, BigInteger, Document};
use proptest::prelude::*;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A current-thread runtime for the async targets.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a test runtime")
        .block_on(future)
}

/// Any instant `SystemTime` holds around the epoch, up to ±2^40 s.
fn any_time() -> impl Strategy<Value = SystemTime> {
    (any::<bool>(), 0u64..(1 << 40), 0u32..1_000_000_000).prop_map(|(before, secs, nanos)| {
        let d = Duration::new(secs, nanos);
        if before {
            UNIX_EPOCH - d
        } else {
            UNIX_EPOCH + d
        }
    })
}

// ---- shared config and credentials files ----

/// Lines that exercise the grammar: headers of every kind (well and badly
/// formed), properties, continuations, sub-properties, comments.
fn profile_line() -> impl Strategy<Value = String> {
    let name = "[a-zA-Z0-9_ .:@/+%#;=\\[\\]\t-]{0,10}";
    prop_oneof![
        name.prop_map(|n| format!("[profile {n}]")),
        name.prop_map(|n| format!("[{n}]")),
        name.prop_map(|n| format!("[sso-session {n}]")),
        name.prop_map(|n| format!("[services {n}]")),
        name.prop_map(|n| format!("[{n}")),
        (name, name).prop_map(|(k, v)| format!("{k} = {v}")),
        (name, name).prop_map(|(k, v)| format!("{k}={v}")),
        name.prop_map(|v| format!("  {v}")),
        (name, name).prop_map(|(k, v)| format!("\t{k} = {v}")),
        name.prop_map(|c| format!("# {c}")),
        name.prop_map(|c| format!("; {c}")),
        Just(String::new()),
        Just("\u{feff}[default]".to_owned()),
        "\\PC{0,20}",
    ]
}

fn profile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(profile_line(), 0..30).prop_map(|lines| lines.join("\n")),
        prop::collection::vec(profile_line(), 0..30).prop_map(|lines| lines.join("\r\n")),
        "\\PC{0,200}",
        any::<String>(),
    ]
}

/// A parse result is usable or an error naming a line that exists.
fn check_profiles(result: Result<ProfileSet, crate::profile::ProfileError>, texts: [&str; 2]) {
    match result {
        Ok(set) => {
            // Every query works on whatever was parsed.
            let _ = format!("{set:?}");
            let _ = set.describe_files();
            let _ = set.warnings().count();
            for name in set.profile_names() {
                let profile = set.profile(name).expect("listed profile");
                for key in profile.keys() {
                    let _ = profile.get(key);
                    let _ = profile.property(key).map(|p| p.location().to_string());
                }
            }
            let _ = set.service_setting("proton", "endpoint_url");
            let _ = set.get("region");
        }
        Err(e) => {
            let lines = texts.iter().map(|t| t.lines().count()).max().unwrap_or(0);
            let line = e.line().expect("text errors name a line");
            assert!(
                line >= 1 && line <= lines.max(1),
                "line {line} of {lines}: {e}"
            );
            assert!(!e.message().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(fuzz_config(512))]

    #[test]
    fn profile_text_parses_or_names_a_line(config in profile_text(), credentials in profile_text()) {
        let result = ProfileSet::from_strs("default", &config, &credentials);
        check_profiles(result, [&config, &credentials]);
    }
}

proptest! {
    #![proptest_config(fuzz_config(32))]

    #[test]
    fn profile_files_load_or_fail_clearly(
        config in prop_oneof![profile_text().prop_map(String::into_bytes), prop::collection::vec(any::<u8>(), 0..2000)],
        credentials in prop::collection::vec(any::<u8>(), 0..2000),
        selected in "[a-z]{1,3}",
    ) {
        let dir = tempfile::tempdir().expect("temp dir");
        let (config_path, credentials_path) = (dir.path().join("config"), dir.path().join("credentials"));
        std::fs::write(&config_path, &config).expect("write");
        std::fs::write(&credentials_path, &credentials).expect("write");
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", config_path.to_string_lossy().into_owned()),
            ("AWS_SHARED_CREDENTIALS_FILE", credentials_path.to_string_lossy().into_owned()),
            ("AWS_PROFILE", selected),
        ]);
        match ProfileSet::load(&env) {
            Ok(set) => prop_assert_eq!(set.files().len(), 2),
            Err(e) => prop_assert!(e.path().is_some() && e.line().is_some(), "{}", e),
        }
    }
}

// ---- credential_process, container and IMDS documents ----

/// JSON values, well-formed, as the `serde_json` oracle writes them.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,12}".prop_map(serde_json::Value::from),
        Just(serde_json::Value::from("2021-09-21T04:16:53Z")),
        Just(serde_json::Value::from(
            "9999-12-31T23:59:60.999999999+23:59"
        )),
        Just(serde_json::Value::from("0000-01-01T00:00:00-23:59")),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("\\PC{0,6}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Credentials documents: the known keys (in any letter case) holding
/// arbitrary values, and unknown keys.
fn credentials_document() -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        Just("Version"),
        Just("version"),
        Just("AccessKeyId"),
        Just("SecretAccessKey"),
        Just("SessionToken"),
        Just("Token"),
        Just("Expiration"),
        Just("EXPIRATION"),
        Just("Code"),
        Just("Message"),
        Just("Other"),
    ];
    let value = prop_oneof![
        3 => json_value(),
        1 => Just(serde_json::Value::from(1)),
        1 => Just(serde_json::Value::from("Success")),
        1 => "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,12})?(Z|[+-][0-9]{2}:[0-9]{2})"
            .prop_map(serde_json::Value::from),
    ];
    prop::collection::vec((key, value), 0..8).prop_map(|members| {
        let object: serde_json::Map<String, serde_json::Value> = members
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        serde_json::to_vec(&object).expect("serializable")
    })
}

/// A document, arbitrary bytes, or a document with bytes cut or changed.
fn document_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        credentials_document(),
        prop::collection::vec(any::<u8>(), 0..200),
        (
            credentials_document(),
            any::<prop::sample::Index>(),
            any::<u8>()
        )
            .prop_map(|(mut doc, at, byte)| {
                if !doc.is_empty() {
                    let i = at.index(doc.len());
                    doc[i] = byte;
                }
                doc
            }),
        (credentials_document(), any::<prop::sample::Index>()).prop_map(|(doc, at)| {
            let cut = at.index(doc.len() + 1);
            doc[..cut].to_vec()
        }),
    ]
}

proptest! {
    #![proptest_config(fuzz_config(512))]

    #[test]
    fn credential_process_output_parses_or_says_why(output in document_bytes()) {
        match parse_output(&output) {
            Ok(credentials) => prop_assert!(!credentials.access_key_id().is_empty()),
            Err(why) => prop_assert!(!why.is_empty()),
        }
    }

    #[test]
    fn container_and_imds_documents_parse_or_say_why(body in document_bytes(), now in any_time()) {
        match parse_json_credentials(&body, "test") {
            Ok(JsonCredentials::Credentials(credentials)) => {
                // Outside expiries meet outside clocks: IMDS's extension of
                // stale credentials and the cache's refresh time.
                let clock = ManualClock::new(now);
                let config = ProviderConfig::new(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]))
                    .with_clock(clock.clock());
                let extended = ImdsCredentialsProvider::new(&config).extend_if_expired(credentials.clone());
                prop_assert_eq!(extended.access_key_id(), credentials.access_key_id());
                let cache = CredentialsCache::new(extended).with_clock(clock.clock());
                let _ = block_on(cache.credentials());
            }
            Ok(JsonCredentials::Error { code, .. }) => prop_assert_ne!(code.as_str(), "Success"),
            Err(why) => prop_assert!(!why.is_empty()),
        }
    }

    #[test]
    fn imds_token_answers_never_outlive_the_request(
        ttl in prop::option::of(prop_oneof![
            "[ -~]{0,24}",
            any::<u64>().prop_map(|n| n.to_string()),
            Just(u64::MAX.to_string()),
            Just("18446744073709551616".to_owned()),
        ]),
        body in prop::collection::vec(any::<u8>(), 0..64),
        requested in 1u64..=u64::from(u32::MAX),
        now in any_time(),
    ) {
        let header = ttl.and_then(|t| http::HeaderValue::from_str(&t).ok());
        if let Some((token, ttl)) = session_token(header.as_ref(), &body, requested) {
            prop_assert!(ttl <= Duration::from_secs(requested));
            prop_assert!(token.is_sensitive());
            prop_assert!(refresh_time(now, ttl) >= now);
        }
    }
}

proptest! {
    #![proptest_config(fuzz_config(16))]

    /// The real process path: arbitrary output through the pipes, at
    /// arbitrary output limits.
    #[cfg(unix)]
    #[test]
    fn credential_process_end_to_end(output in document_bytes(), max_output in 1usize..400) {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("out");
        std::fs::write(&file, &output).expect("write");
        let provider = CredentialProcessProvider::new(format!("cat '{}'", file.display()))
            .with_max_output(max_output);
        match block_on(provider.credentials()) {
            Ok(_) => prop_assert!(output.len() <= max_output),
            Err(e) => {
                let text = e.to_string();
                prop_assert!(!text.is_empty());
                if output.len() > max_output {
                    prop_assert!(text.contains("wrote more than"), "{}", text);
                }
            }
        }
    }

    /// IMDS and container answers from a loopback server: arbitrary token,
    /// TTL, role name, status and body.
    #[test]
    fn metadata_servers_answering_anything(
        token in "\\PC{0,20}",
        ttl in "[ -~]{0,22}",
        role in "\\PC{0,20}",
        status in prop_oneof![Just(200u16), 100u16..600],
        body in prop_oneof![credentials_document().prop_map(|d| String::from_utf8_lossy(&d).into_owned()), "\\PC{0,60}"],
    ) {
        use crate::credentials::container::ContainerCredentialsProvider;
        use crate::imds::ImdsClient;
        use crate::test_util::{Reply, TestServer};
        block_on(async {
            let server = TestServer::start(vec![
                Reply::ok(&token).with_header("x-aws-ec2-metadata-token-ttl-seconds", ttl.clone()),
                Reply::ok(&role),
                Reply::status(status, &body),
            ])
            .await;
            let config = ProviderConfig::new(Env::from_vars([("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url())]));
            let imds = ImdsClient::new(&config).with_retries(1, Duration::from_millis(1));
            let result = ImdsCredentialsProvider::new(&config).with_client(imds).credentials().await;
            if let Err(e) = result {
                assert!(!e.to_string().is_empty());
            }
            let server = TestServer::start(vec![Reply::status(status, &body)]).await;
            let config = ProviderConfig::new(Env::from_vars([("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/c")]));
            let result = ContainerCredentialsProvider::new(&config)
                .with_relative_uri_base(server.url())
                .with_retries(1, Duration::from_millis(1))
                .credentials()
                .await;
            if let Err(e) = result {
                assert!(!e.to_string().is_empty());
            }
        });
    }
}

// ---- timestamps, numbers, JSON ----

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[+-]?[0-9]{0,25}(\\.[0-9]{0,25})?([eE][+-]?[0-9]{0,25})?",
        "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,12})?([eE][+-]?[0-9]{1,4})?",
        "[0-9eE.+-]{0,12}",
        "\\PC{0,16}",
    ]
}

proptest! {
    #![proptest_config(fuzz_config(1024))]

    #[test]
    fn timestamps_parse_or_say_why(text in prop_oneof![
        number_text(),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,15})?([Zz]|[+-][0-9]{2}:[0-9]{2})",
        "(Mon|Tue|Sun|Xyz), [0-9]{2} (Jan|Feb|Dec|Foo) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,4})? GMT",
        "\\PC{0,40}",
    ]) {
        for format in [Format::EpochSeconds, Format::DateTime, Format::HttpDate] {
            match DateTime::from_str(&text, format) {
                Ok(parsed) => {
                    // What was read is written back and read again unchanged.
                    let written = parsed.fmt(Format::EpochSeconds).expect("epoch seconds always format");
                    prop_assert_eq!(DateTime::from_str(&written, Format::EpochSeconds).ok(), Some(parsed));
                    let _ = SystemTime::try_from(parsed);
                    let _ = parsed.to_string();
                    let _ = parsed.to_millis();
                }
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }

    #[test]
    fn numbers_parse_or_say_why(text in number_text()) {
        if let Ok(n) = text.parse::<BigInteger>() {
            prop_assert_eq!(n.as_str(), text.as_str());
        }
        if let Ok(n) = text.parse::<BigDecimal>() {
            prop_assert_eq!(n.as_str(), text.as_str());
        }
        let body = text.as_bytes();
        let _ = from_slice::<f64>(body);
        let _ = from_slice::<f32>(body);
        let _ = from_slice::<i8>(body);
        let _ = from_slice::<i64>(body);
        let _ = from_slice::<BigDecimal>(body);
        let _ = from_slice::<Document>(body);
        let _ = from_slice::<DateTime>(body);
    }

    #[test]
    fn json_reader_reads_valid_json_and_rejects_the_rest_cleanly(
        value in json_value(),
        cut in any::<prop::sample::Index>(),
        noise in prop::collection::vec(any::<u8>(), 0..40),
    ) {
        let text = serde_json::to_vec(&value).expect("serializable");
        // Valid JSON (nested at most 4 deep here) always reads.
        prop_assert!(from_slice::<Document>(&text).is_ok(), "{}", String::from_utf8_lossy(&text));
        let mut reader = JsonReader::new(&text);
        prop_assert!(reader.skip_value().is_ok() && reader.end().is_ok());
        // Cut or followed by noise: Ok or an error with a position inside.
        for body in [&text[..cut.index(text.len() + 1)], &[&text[..], &noise[..]].concat()] {
            if let Err(e) = from_slice::<Document>(body) {
                prop_assert!(e.offset() <= body.len(), "{} of {}", e.offset(), body.len());
                prop_assert!(!e.to_string().is_empty());
            }
        }
        let _ = from_slice::<Document>(&noise);
        let _ = from_slice::<Vec<Option<String>>>(&noise);
    }

    // ---- endpoint rule functions ----

    #[test]
    fn endpoint_functions_take_any_string(text in prop_oneof![
        "(https?|HTTP|ftp)://[a-z0-9.@:\\[\\]/?#%_-]{0,30}",
        "arn:[a-z0-9:/*-]{0,30}",
        "[a-z]{2}-[a-z]{0,8}-[0-9]{0,3}",
        "\\PC{0,40}",
    ], start in 0usize..50, stop in 0usize..50, reverse in any::<bool>()) {
        if let Some(url) = parse_url(&text) {
            prop_assert!(url.scheme() == "http" || url.scheme() == "https");
            prop_assert!(text.contains(url.authority()));
            prop_assert!(url.normalized_path().starts_with('/') && url.normalized_path().ends_with('/'));
        }
        if let Some(arn) = parse_arn(&text) {
            prop_assert!(text.starts_with("arn:"));
            prop_assert!(!arn.partition().is_empty() && !arn.service().is_empty());
        }
        prop_assert!(partition(&text).is_some());
        let _ = is_valid_host_label(&text, true);
        let _ = is_valid_host_label(&text, false);
        let _ = substring(&text, start, stop, reverse);
        let encoded = uri_encode(&text);
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)));
    }
}

/// A parser's error quotes at most a short prefix of a huge input.
#[test]
fn errors_quote_huge_inputs_briefly() {
    let huge = "9".repeat(1 << 20);
    let texts = [
        DateTime::from_str(&format!("{huge}x"), Format::EpochSeconds)
            .unwrap_err()
            .to_string(),
        DateTime::from_str(&huge, Format::DateTime)
            .unwrap_err()
            .to_string(),
        DateTime::from_str(&huge, Format::HttpDate)
            .unwrap_err()
            .to_string(),
        from_slice::<i64>(huge.as_bytes()).unwrap_err().to_string(),
        from_slice::<DateTime>(huge.as_bytes())
            .unwrap_err()
            .to_string(),
        format!("{huge}x")
            .parse::<BigInteger>()
            .unwrap_err()
            .to_string(),
        from_slice::<f64>(format!("\"{huge}\"").as_bytes())
            .unwrap_err()
            .to_string(),
    ];
    for text in texts {
        assert!(text.len() < 200, "{} bytes: {}", text.len(), &text[..200]);
        assert!(
            text.contains("(1048576 bytes)") || text.contains("(1048577 bytes)"),
            "{text}"
        );
    }
}

/// Credentials are what every document above turns into; their `Debug`
/// never shows the secret whatever the values.
#[test]
fn credentials_from_any_document_keep_secrets_out_of_debug() {
    let body = br#"{"AccessKeyId":"A","SecretAccessKey":"SENTINEL_SECRET","Token":"SENTINEL_TOKEN","Expiration":"2021-09-21T04:16:53Z"}"#;
    let Ok(JsonCredentials::Credentials(credentials)) = parse_json_credentials(body, "t") else {
        panic!("a valid document")
    };
    let debug = format!("{credentials:?}");
    assert!(!debug.contains("SENTINEL"), "{debug}");
    let _: &Credentials = &credentials;
}
