//! Answers of the AWS services credential providers call, for
//! [`TestServer`](crate::TestServer) responders: STS (awsQuery: form in,
//! XML out), the IAM Identity Center portal and its OIDC service (JSON).
//! The server checks STS signatures itself ([`Auth::Query`](crate::Auth)).

use crate::{Recorded, Reply};
use std::collections::BTreeMap;

/// The form fields of an awsQuery request, percent-decoded.
pub fn form(request: &Recorded) -> BTreeMap<String, String> {
    String::from_utf8_lossy(&request.body)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => out.push(b),
                    Err(_) => out.extend_from_slice(&bytes[i..i + 3]),
                }
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A successful STS answer for `action` (`AssumeRole`,
/// `AssumeRoleWithWebIdentity`) carrying these credentials.
pub fn sts_credentials(
    action: &str,
    key_id: &str,
    secret: &str,
    token: &str,
    expiration: &str,
) -> Reply {
    Reply::with_content_type(
        200,
        "text/xml",
        format!(
            r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/test/session</Arn><AssumedRoleId>AROATEST:session</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>{key_id}</AccessKeyId>
      <SecretAccessKey>{secret}</SecretAccessKey>
      <SessionToken>{token}</SessionToken>
      <Expiration>{expiration}</Expiration>
    </Credentials>
  </{action}Result>
  <ResponseMetadata><RequestId>sts-request-1</RequestId></ResponseMetadata>
</{action}Response>"#
        ),
    )
}

/// An STS error answer.
pub fn sts_error(status: u16, code: &str, message: &str) -> Reply {
    let message = message.replace('&', "&amp;").replace('<', "&lt;");
    Reply::with_content_type(
        status,
        "text/xml",
        format!(
            r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>sts-error-1</RequestId></ErrorResponse>"#
        ),
    )
}

/// A `GetRoleCredentials` answer.
pub fn role_credentials(key_id: &str, secret: &str, token: &str, expiration_millis: i64) -> Reply {
    Reply::with_content_type(
        200,
        "application/json",
        format!(
            r#"{{"roleCredentials":{{"accessKeyId":"{key_id}","secretAccessKey":"{secret}","sessionToken":"{token}","expiration":{expiration_millis}}}}}"#
        ),
    )
}

/// A `CreateToken` answer.
pub fn create_token(access_token: &str, expires_in: i64, refresh_token: Option<&str>) -> Reply {
    let refresh = refresh_token
        .map(|t| format!(r#","refreshToken":"{t}""#))
        .unwrap_or_default();
    Reply::with_content_type(
        200,
        "application/json",
        format!(
            r#"{{"accessToken":"{access_token}","expiresIn":{expires_in},"tokenType":"Bearer"{refresh}}}"#
        ),
    )
}

/// A JSON error of IAM Identity Center or its OIDC service.
pub fn json_service_error(status: u16, code: &str, message: &str) -> Reply {
    Reply::with_content_type(
        status,
        "application/json",
        format!(r#"{{"message":"{message}"}}"#),
    )
    .header("x-amzn-errortype", code)
}
