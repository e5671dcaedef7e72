//! Property tests of the parsers that read what STS, IAM Identity Center,
//! its OIDC service and the token cache hand us: arbitrary bytes, strings
//! built from each format's pieces, and mutations of valid answers must
//! give `Ok` or an error with a message, never a panic.
//!
//! Each property runs 256 cases in `cargo test`; set `PROPTEST_CASES`
//! (e.g. `PROPTEST_CASES=100000 cargo test -p aws-json-runtime fuzz_`)
//! for a long campaign.

use super::aws_call::json_error;
use super::sso::api::{parse_new_token, parse_role_credentials};
use super::sso::token;
use super::sts::{parse_credentials_body, xml};
use bytes::Bytes;
use proptest::prelude::*;

fn config() -> ProptestConfig {
    crate::reliability_tests::fuzz_config(256)
}

const VALID_XML: &str = r#"<?xml version="1.0"?><AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>"#;

const VALID_ROLE_JSON: &str = r#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","expiration":1893456000000}}"#;

const VALID_CACHE_JSON: &str = r#"{"startUrl":"https://x","region":"us-east-1","accessToken":"a","expiresAt":"2030-01-01T00:00:00Z","clientId":"c","clientSecret":"s","registrationExpiresAt":"2030-01-01T00:00:00Z","refreshToken":"r"}"#;

/// Strings made of XML's pieces: tags STS uses, entities good and bad,
/// CDATA, comments, declarations, stray text.
fn xml_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "<",
        ">",
        "</",
        "/>",
        "=",
        "\"",
        "'",
        " ",
        "\n",
        "x",
        "é",
        "\u{0}",
        "AssumeRoleResponse",
        "AssumeRoleResult",
        "Credentials",
        "AccessKeyId",
        "SecretAccessKey",
        "SessionToken",
        "Expiration",
        "ErrorResponse",
        "Error",
        "Code",
        "2030-01-01T00:00:00Z",
        "0e2147483647",
        "&amp;",
        "&lt;",
        "&#x41;",
        "&#0;",
        "&#x110000;",
        "&bogus;",
        "&",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "<?xml version=\"1.0\"?>",
        "<!DOCTYPE x [<!ENTITY e \"v\">]>",
        "xmlns:a=\"u\"",
        "a:",
    ]);
    prop::collection::vec(pieces, 0..64).prop_map(|v| v.concat())
}

/// Strings made of JSON's pieces and the keys these answers use.
fn json_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "\"",
        "\"roleCredentials\"",
        "\"accessKeyId\"",
        "\"secretAccessKey\"",
        "\"sessionToken\"",
        "\"expiration\"",
        "\"accessToken\"",
        "\"expiresIn\"",
        "\"refreshToken\"",
        "\"expiresAt\"",
        "\"registrationExpiresAt\"",
        "\"x\"",
        "\"2030-01-01T00:00:00Z\"",
        "\"2030-01-01T00:00:00UTC\"",
        "1",
        "-1",
        "0",
        "1e999",
        "-9223372036854775808",
        "9223372036854775807",
        "18446744073709551616",
        "1.5",
        "null",
        "true",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "\"\\",
        "é",
    ]);
    prop::collection::vec(pieces, 0..64).prop_map(|v| v.concat())
}

/// A valid document with a few bytes deleted, inserted or replaced.
fn mutated(valid: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let edit = (0usize..valid.len() + 1, 0u8..3, any::<u8>(), 1usize..8);
    prop::collection::vec(edit, 1..6).prop_map(move |edits| {
        let mut bytes = valid.as_bytes().to_vec();
        for (at, kind, byte, len) in edits {
            let at = at.min(bytes.len());
            match kind {
                0 => {
                    let end = (at + len).min(bytes.len());
                    bytes.drain(at..end);
                }
                1 => bytes.insert(at, byte),
                _ => {
                    if at < bytes.len() {
                        bytes[at] = byte;
                    }
                }
            }
        }
        bytes
    })
}

fn check_xml(body: &[u8]) {
    let paths: &[&[&str]] = &[&[
        "AssumeRoleResponse",
        "AssumeRoleResult",
        "Credentials",
        "AccessKeyId",
    ]];
    if let Err(e) = xml::extract(body, paths) {
        assert!(!e.is_empty());
    }
    match parse_credentials_body(body, "AssumeRole", "test") {
        Ok(creds) => {
            assert!(!creds.access_key_id().is_empty() && !creds.secret_access_key().is_empty())
        }
        Err(e) => assert!(!e.is_empty()),
    }
}

fn check_json(body: &[u8]) {
    match parse_role_credentials(body) {
        Ok(creds) => assert!(!creds.access_key_id().is_empty()),
        Err(e) => assert!(!e.is_empty()),
    }
    match parse_new_token(body) {
        Ok(t) => assert!(!t.access_token.is_empty() && !t.expires_in.is_zero()),
        Err(e) => assert!(!e.is_empty()),
    }
    match token::parse(body) {
        Ok(t) => {
            assert!(!t.access_token.is_empty());
            // What parses can be written back and read again.
            let again = token::parse(&token::serialize(&t).unwrap()).unwrap();
            assert_eq!(again, t);
        }
        Err(e) => assert!(!e.is_empty()),
    }
    for status in [400u16, 401, 500] {
        let response = http::Response::builder()
            .status(status)
            .header("x-amzn-errortype", "Code")
            .body(Bytes::copy_from_slice(body))
            .unwrap();
        let error = json_error(&response);
        assert!(!error.code.is_empty());
        assert!(
            error.message.len() <= 1100,
            "messages kept in errors are capped"
        );
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_sts_xml_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        check_xml(&body);
    }

    #[test]
    fn fuzz_sts_xml_pieces(body in xml_like()) {
        check_xml(body.as_bytes());
    }

    #[test]
    fn fuzz_sts_xml_mutated(body in mutated(VALID_XML)) {
        check_xml(&body);
    }

    #[test]
    fn fuzz_sso_json_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        check_json(&body);
    }

    #[test]
    fn fuzz_sso_json_pieces(body in json_like()) {
        check_json(body.as_bytes());
    }

    #[test]
    fn fuzz_sso_json_mutated(role in mutated(VALID_ROLE_JSON), cache in mutated(VALID_CACHE_JSON)) {
        check_json(&role);
        check_json(&cache);
    }
}

#[test]
fn valid_documents_parse() {
    check_xml(VALID_XML.as_bytes());
    assert!(parse_credentials_body(VALID_XML.as_bytes(), "AssumeRole", "t").is_ok());
    assert!(parse_role_credentials(VALID_ROLE_JSON.as_bytes()).is_ok());
    assert!(token::parse(VALID_CACHE_JSON.as_bytes()).is_ok());
}

#[test]
fn deep_and_long_xml_is_refused_or_read_in_bounded_memory() {
    // 100k nested elements: refused at the depth limit, no stack overflow.
    let deep = "<a>".repeat(100_000);
    assert!(xml::extract(deep.as_bytes(), &[&["a"]])
        .unwrap_err()
        .contains("nested deeper"));
    // A 1 MB text node in a kept element is read once.
    let long = format!("<R><A>{}</A></R>", "x".repeat(1_000_000));
    let found = xml::extract(long.as_bytes(), &[&["R", "A"]]).unwrap();
    assert_eq!(found[0].as_ref().map(String::len), Some(1_000_000));
}
