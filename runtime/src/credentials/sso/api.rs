//! The two IAM Identity Center operations the SSO provider calls: the
//! portal's `GetRoleCredentials` (`GET /federation/credentials` with the
//! bearer token in `x-amz-sso_bearer_token`) and the OIDC service's
//! `CreateToken` (`POST /token`, JSON) to refresh an access token. Both
//! are JSON (restJson1) services; their answers are read with the
//! runtime's JSON reader.

use crate::credentials::aws_call::{json_error, Call, CallError};
use crate::credentials::Credentials;
use crate::datetime::DateTime;
use crate::endpoint::lib::aws::partition;
use crate::endpoint::lib::uri_encode;
use crate::http::HttpRequest;
use crate::json::{JsonReader, JsonWriter};
use crate::provider_config::ProviderConfig;
use crate::region::is_valid_region;
use bytes::Bytes;
use std::time::{Duration, SystemTime};

/// The portal's or the OIDC service's endpoint in `region`, unless an
/// endpoint URL is configured for it (`AWS_ENDPOINT_URL_SSO` /
/// `AWS_ENDPOINT_URL_SSO_OIDC`, or `sso` / `sso_oidc` in `[services]`).
pub(crate) fn endpoint(
    config: &ProviderConfig,
    region: &str,
    oidc: bool,
) -> Result<String, String> {
    if !is_valid_region(region) {
        return Err(format!(
            "the sso_region `{}` is not a valid region name (letters, digits and hyphens only)",
            region.escape_debug()
        ));
    }
    let (env_suffix, key, host) = if oidc {
        ("SSO_OIDC", "sso_oidc", "oidc")
    } else {
        ("SSO", "sso", "portal.sso")
    };
    if let Some(url) = config.configured_endpoint_url(env_suffix, key) {
        return Ok(url.trim_end_matches('/').to_owned());
    }
    let suffix = partition(region).map_or("amazonaws.com", |p| p.dns_suffix());
    Ok(format!("https://{host}.{region}.{suffix}"))
}

/// Calls `GetRoleCredentials`.
pub(crate) async fn get_role_credentials(
    config: &ProviderConfig,
    endpoint: &str,
    access_token: &str,
    account_id: &str,
    role_name: &str,
) -> Result<Credentials, CallError> {
    let url = format!(
        "{endpoint}/federation/credentials?account_id={}&role_name={}",
        uri_encode(account_id),
        uri_encode(role_name)
    );
    let build = || -> Result<HttpRequest, String> {
        http::Request::get(&url)
            .header("x-amz-sso_bearer_token", access_token)
            .body(Bytes::new())
            .map_err(|_| format!("cannot build a request for {endpoint} (is the token text?)"))
    };
    let call = Call {
        config,
        retryable_codes: &[],
    };
    let response = call.send(build, json_error).await?;
    parse_role_credentials(response.body())
        .map_err(|why| CallError::Failed(format!("unreadable GetRoleCredentials answer: {why}")))
}

/// `{"roleCredentials": {"accessKeyId", "secretAccessKey", "sessionToken",
/// "expiration" (milliseconds since the epoch)}}`.
pub(crate) fn parse_role_credentials(body: &[u8]) -> Result<Credentials, String> {
    let (mut id, mut secret, mut token, mut expiration) = (None, None, None, None);
    let mut found = false;
    let mut reader = JsonReader::new(body);
    reader
        .object(|r, key| {
            if key != "roleCredentials" {
                return r.skip_value();
            }
            found = true;
            if r.read_null()? {
                return Ok(());
            }
            r.object(|r, key| {
                match key {
                    "accessKeyId" => id = r.nullable::<String>()?,
                    "secretAccessKey" => secret = r.nullable::<String>()?,
                    "sessionToken" => token = r.nullable::<String>()?,
                    "expiration" => expiration = r.nullable::<i64>()?,
                    _ => r.skip_value()?,
                }
                Ok(())
            })
        })
        .and_then(|()| reader.end())
        .map_err(|e| e.to_string())?;
    if !found {
        return Err("no `roleCredentials`".to_owned());
    }
    let missing = |name: &str| format!("no `roleCredentials.{name}`");
    let id = id
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("accessKeyId"))?;
    let secret = secret
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("secretAccessKey"))?;
    let token = token
        .filter(|v| !v.is_empty())
        .ok_or_else(|| missing("sessionToken"))?;
    let millis = expiration.ok_or_else(|| missing("expiration"))?;
    let expiry = DateTime::from_secs_and_nanos(
        millis.div_euclid(1000),
        // In 0..1000 ms, so at most 999,000,000 ns.
        (millis.rem_euclid(1000) * 1_000_000) as u32,
    )
    .and_then(SystemTime::try_from)
    .map_err(|e| format!("`roleCredentials.expiration` {millis} is not a usable time: {e}"))?;
    Ok(Credentials::new(
        id,
        secret,
        Some(token),
        Some(expiry),
        "SSO",
    ))
}

/// A refreshed access token.
pub(crate) struct NewToken {
    pub access_token: String,
    pub expires_in: Duration,
    pub refresh_token: Option<String>,
}

/// Calls `CreateToken` with the `refresh_token` grant.
pub(crate) async fn create_token(
    config: &ProviderConfig,
    endpoint: &str,
    client_id: &str,
    client_secret: &str,
    refresh_token: &str,
) -> Result<NewToken, CallError> {
    let mut writer = JsonWriter::default();
    {
        let mut object = writer.value().object();
        object.key("clientId").string(client_id);
        object.key("clientSecret").string(client_secret);
        object.key("grantType").string("refresh_token");
        object.key("refreshToken").string(refresh_token);
        object.end();
    }
    let body = Bytes::from(
        writer
            .finish()
            .map_err(|e| CallError::Failed(e.to_string()))?,
    );
    let url = format!("{endpoint}/token");
    let build = || -> Result<HttpRequest, String> {
        http::Request::post(&url)
            .header("content-type", "application/json")
            .body(body.clone())
            .map_err(|e| format!("cannot build a request for {url}: {e}"))
    };
    let call = Call {
        config,
        retryable_codes: &[],
    };
    let response = call.send(build, json_error).await?;
    parse_new_token(response.body())
        .map_err(|why| CallError::Failed(format!("unreadable CreateToken answer: {why}")))
}

/// `{"accessToken", "expiresIn" (seconds), "refreshToken"?, "tokenType"}`.
pub(crate) fn parse_new_token(body: &[u8]) -> Result<NewToken, String> {
    let (mut access, mut expires_in, mut refresh) = (None, None, None);
    let mut reader = JsonReader::new(body);
    reader
        .object(|r, key| {
            match key {
                "accessToken" => access = r.nullable::<String>()?,
                "expiresIn" => expires_in = r.nullable::<i64>()?,
                "refreshToken" => refresh = r.nullable::<String>()?,
                _ => r.skip_value()?,
            }
            Ok(())
        })
        .and_then(|()| reader.end())
        .map_err(|e| e.to_string())?;
    let access_token = access.filter(|v| !v.is_empty()).ok_or("no `accessToken`")?;
    let seconds = expires_in.ok_or("no `expiresIn`")?;
    let seconds = u64::try_from(seconds)
        .ok()
        .filter(|s| *s > 0)
        .ok_or_else(|| format!("`expiresIn` {seconds} is not a positive number of seconds"))?;
    Ok(NewToken {
        access_token,
        expires_in: Duration::from_secs(seconds),
        refresh_token: refresh.filter(|v| !v.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;
    use std::time::UNIX_EPOCH;

    #[test]
    fn endpoints() {
        let config = ProviderConfig::new(Env::from_vars([(
            "AWS_ENDPOINT_URL_SSO",
            "http://127.0.0.1:1/",
        )]));
        assert_eq!(
            endpoint(&config, "eu-west-1", false).unwrap(),
            "http://127.0.0.1:1"
        );
        assert_eq!(
            endpoint(&config, "eu-west-1", true).unwrap(),
            "https://oidc.eu-west-1.amazonaws.com"
        );
        let config = ProviderConfig::new(Env::from_vars(Vec::<(String, String)>::new()));
        assert_eq!(
            endpoint(&config, "cn-north-1", false).unwrap(),
            "https://portal.sso.cn-north-1.amazonaws.com.cn"
        );
        let err = endpoint(&config, "evil.com#", true).unwrap_err();
        assert_eq!(err, "the sso_region `evil.com#` is not a valid region name (letters, digits and hyphens only)");
    }

    #[test]
    fn role_credentials() {
        let creds = parse_role_credentials(
            br#"{"roleCredentials":{"accessKeyId":"ASIA","secretAccessKey":"S","sessionToken":"T","expiration":1893456000123}}"#,
        )
        .unwrap();
        assert_eq!(creds.access_key_id(), "ASIA");
        assert_eq!(creds.session_token(), Some("T"));
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_millis(1_893_456_000_123))
        );
        assert_eq!(creds.provider_name(), "SSO");
        for (body, want) in [
            (&br#"{}"#[..], "no `roleCredentials`"),
            (br#"{"roleCredentials":null}"#, "no `roleCredentials.accessKeyId`"),
            (br#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T"}}"#, "no `roleCredentials.expiration`"),
            (br#"{"roleCredentials":{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","expiration":"soon"}}"#, "expected"),
            (br#"[1]"#, "expected"),
        ] {
            let err = parse_role_credentials(body).unwrap_err();
            assert!(err.contains(want), "{}: {err}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn new_tokens() {
        let t = parse_new_token(br#"{"accessToken":"A","expiresIn":3600,"tokenType":"Bearer"}"#)
            .unwrap();
        assert_eq!(
            (t.access_token.as_str(), t.expires_in, t.refresh_token),
            ("A", Duration::from_secs(3600), None)
        );
        for (body, want) in [
            (&br#"{"expiresIn":1}"#[..], "no `accessToken`"),
            (
                br#"{"accessToken":"A","expiresIn":-5}"#,
                "`expiresIn` -5 is not a positive",
            ),
            (br#"{"accessToken":"A","expiresIn":1e400}"#, ""),
        ] {
            let err = parse_new_token(body).err().expect("an error");
            assert!(err.contains(want), "{err}");
        }
    }
}
