//! The JSON credentials document the container endpoint and IMDS return.
//!
//! ```json
//! {"Code": "Success", "AccessKeyId": "…", "SecretAccessKey": "…",
//!  "Token": "…", "Expiration": "2021-09-21T04:16:53Z"}
//! ```
//!
//! Keys match in any letter case. A missing `Code` counts as success (the
//! container endpoint sends none); any other `Code` is an error document
//! whose `Message` explains it. On success all four fields are required, as
//! in the AWS SDK for Rust.

use super::process::parse_expiration;
use super::Credentials;
use crate::json::JsonReader;

/// What the document said.
#[derive(Debug)]
pub(crate) enum JsonCredentials {
    /// Credentials.
    Credentials(Credentials),
    /// An error document: its `Code` and `Message`.
    Error { code: String, message: String },
}

/// Parses a credentials document; the error says what is wrong without
/// repeating any value but `Expiration`.
pub(crate) fn parse_json_credentials(
    body: &[u8],
    provider_name: &'static str,
) -> Result<JsonCredentials, String> {
    let mut code = None;
    let mut message = None;
    let mut access_key_id = None;
    let mut secret_access_key = None;
    let mut token = None;
    let mut expiration = None;
    let mut reader = JsonReader::new(body);
    reader
        .object(|r, key| {
            let slot = match key {
                k if k.eq_ignore_ascii_case("Code") => &mut code,
                k if k.eq_ignore_ascii_case("Message") => &mut message,
                k if k.eq_ignore_ascii_case("AccessKeyId") => &mut access_key_id,
                k if k.eq_ignore_ascii_case("SecretAccessKey") => &mut secret_access_key,
                k if k.eq_ignore_ascii_case("Token") => &mut token,
                k if k.eq_ignore_ascii_case("Expiration") => &mut expiration,
                _ => return r.skip_value(),
            };
            *slot = r.nullable::<String>()?;
            Ok(())
        })
        .and_then(|()| reader.end())
        .map_err(|e| format!("the response is not the expected JSON object: {e}"))?;
    match code.as_deref() {
        None | Some("Success") => {}
        Some(_) => {
            return Ok(JsonCredentials::Error {
                code: code.unwrap_or_default(),
                message: message.unwrap_or_else(|| "no message".to_owned()),
            })
        }
    }
    let missing = |field: &str| format!("the response lacks `{field}`");
    let access_key_id = access_key_id.ok_or_else(|| missing("AccessKeyId"))?;
    let secret_access_key = secret_access_key.ok_or_else(|| missing("SecretAccessKey"))?;
    let token = token.ok_or_else(|| missing("Token"))?;
    let expiration = expiration.ok_or_else(|| missing("Expiration"))?;
    let expiry = parse_expiration(&expiration)?;
    Ok(JsonCredentials::Credentials(Credentials::new(
        access_key_id,
        secret_access_key,
        Some(token),
        Some(expiry),
        provider_name,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn success_document() {
        let body = br#"{
          "Code" : "Success", "LastUpdated" : "2021-09-17T20:57:08Z", "Type" : "AWS-HMAC",
          "AccessKeyId" : "ASIARTEST", "SecretAccessKey" : "xjtest", "Token" : "IQote///test",
          "Expiration" : "2021-09-18T03:31:56Z"
        }"#;
        let JsonCredentials::Credentials(creds) = parse_json_credentials(body, "t").unwrap() else {
            panic!("not credentials")
        };
        assert_eq!(creds.access_key_id(), "ASIARTEST");
        assert_eq!(creds.secret_access_key(), "xjtest");
        assert_eq!(creds.session_token(), Some("IQote///test"));
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_631_935_916))
        );
    }

    #[test]
    fn code_is_optional_and_keys_ignore_case() {
        let body = br#"{"RoleArn":"arn:aws:iam::1:role/r","accesskeyid":"A","SECRETACCESSKEY":"S","token":"T","expiration":"2009-02-13T23:31:30Z"}"#;
        let JsonCredentials::Credentials(creds) = parse_json_credentials(body, "t").unwrap() else {
            panic!("not credentials")
        };
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_234_567_890))
        );
    }

    #[test]
    fn error_document() {
        let body =
            br#"{"code":"AssumeRoleUnauthorizedAccess","message":"EC2 cannot assume the role."}"#;
        match parse_json_credentials(body, "t").unwrap() {
            JsonCredentials::Error { code, message } => {
                assert_eq!(code, "AssumeRoleUnauthorizedAccess");
                assert_eq!(message, "EC2 cannot assume the role.");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_fields_and_garbage() {
        let body = br#"{"AccessKeyId":"A","SecretAccessKey":"SECRET","Expiration":"2021-09-18T03:31:56Z"}"#;
        let err = parse_json_credentials(body, "t").unwrap_err();
        assert_eq!(err, "the response lacks `Token`");
        let err = parse_json_credentials(b"404 - Not Found", "t").unwrap_err();
        assert!(
            err.starts_with("the response is not the expected JSON object: expected an object"),
            "{err}"
        );
        let err = parse_json_credentials(b"[1]", "t").unwrap_err();
        assert!(err.contains("expected an object, found an array"), "{err}");
    }
}
