//! The two STS operations credential providers need, `AssumeRole` (signed
//! with the source credentials) and `AssumeRoleWithWebIdentity`
//! (unsigned), over STS's awsQuery protocol: a form-encoded `POST /`
//! answered with XML (read by [`xml`]).
//!
//! Where requests go ([`StsEndpoint::resolve`]) follows current SDKs:
//! `https://sts.<region>.<partition DNS suffix>`; with
//! `sts_regional_endpoints = legacy` (or `AWS_STS_REGIONAL_ENDPOINTS=legacy`)
//! the regions that historically used the global endpoint go to
//! `https://sts.amazonaws.com`, signed for `us-east-1`; an endpoint URL
//! configured for STS (`AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL`, a
//! `[services]` section's `sts`, the profile's `endpoint_url`) wins.

pub(crate) mod xml;

use super::aws_call::{request_id, truncate, Call, CallError, ServiceError};
use super::process::parse_expiration;
use super::Credentials;
use crate::endpoint::lib::aws::partition;
use crate::endpoint::lib::uri_encode;
use crate::http::{HttpRequest, ReadResponse};
use crate::provider_config::ProviderConfig;
use crate::region::is_valid_region;
use crate::sigv4::{sign_http_request, SigningParams, SigningSettings};
use bytes::Bytes;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const API_VERSION: &str = "2011-06-15";

/// Regions that used `sts.amazonaws.com` before regional endpoints became
/// the default (the SDKs' `legacy` setting keeps them there).
const LEGACY_GLOBAL_REGIONS: &[&str] = &[
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "aws-global",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// Where STS requests go and the region they are signed for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StsEndpoint {
    pub url: String,
    pub signing_region: String,
}

impl StsEndpoint {
    /// The endpoint for `region` under `config`'s settings; the error says
    /// which setting is wrong.
    pub(crate) fn resolve(config: &ProviderConfig, region: &str) -> Result<Self, String> {
        if !is_valid_region(region) {
            return Err(format!(
                "the STS region `{}` is not a valid region name (letters, digits and hyphens only)",
                region.escape_debug()
            ));
        }
        let legacy = regional_setting(config)?.unwrap_or(false);
        if let Some(url) = config.configured_endpoint_url("STS", "sts") {
            return Ok(Self {
                url: url.trim_end_matches('/').to_owned(),
                signing_region: region.to_owned(),
            });
        }
        if region == "aws-global" || (legacy && LEGACY_GLOBAL_REGIONS.contains(&region)) {
            return Ok(Self {
                url: "https://sts.amazonaws.com".to_owned(),
                signing_region: "us-east-1".to_owned(),
            });
        }
        let suffix = partition(region).map_or("amazonaws.com", |p| p.dns_suffix());
        Ok(Self {
            url: format!("https://sts.{region}.{suffix}"),
            signing_region: region.to_owned(),
        })
    }
}

/// `Some(true)` for `legacy`, `Some(false)` for `regional`, `None` unset.
fn regional_setting(config: &ProviderConfig) -> Result<Option<bool>, String> {
    let (value, from) = match config.env().get("AWS_STS_REGIONAL_ENDPOINTS") {
        Some(v) => (v, "AWS_STS_REGIONAL_ENDPOINTS".to_owned()),
        None => match config
            .profiles()
            .ok()
            .and_then(|p| p.get("sts_regional_endpoints").map(str::to_owned))
        {
            Some(v) => (v, "`sts_regional_endpoints` in the profile".to_owned()),
            None => return Ok(None),
        },
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "legacy" => Ok(Some(true)),
        "regional" => Ok(Some(false)),
        _ => Err(format!(
            "invalid {from}: `{}` (expected `regional` or `legacy`)",
            value.escape_debug()
        )),
    }
}

/// The parameters both operations share.
#[derive(Clone, Debug)]
pub(crate) struct RoleRequest<'a> {
    pub role_arn: &'a str,
    pub session_name: &'a str,
    pub external_id: Option<&'a str>,
    pub duration: Option<Duration>,
}

/// A session name as the AWS SDK for Rust makes one: `<prefix>-<millis>`.
pub(crate) fn default_session_name(prefix: &str, now: SystemTime) -> String {
    let millis = now
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    format!("{prefix}-{millis}")
}

/// Calls `AssumeRole` signed with `source`.
pub(crate) async fn assume_role(
    config: &ProviderConfig,
    endpoint: &StsEndpoint,
    source: &Credentials,
    request: &RoleRequest<'_>,
) -> Result<Credentials, CallError> {
    let mut form = form("AssumeRole", request);
    if let Some(id) = request.external_id {
        push_param(&mut form, "ExternalId", id);
    }
    let form = Bytes::from(form);
    let call = Call {
        config,
        retryable_codes: &[],
    };
    let response = call
        .send(
            || {
                let mut http = post(endpoint, form.clone())?;
                let params = SigningParams {
                    access_key_id: source.access_key_id(),
                    secret_access_key: source.secret_access_key(),
                    session_token: source.session_token(),
                    region: &endpoint.signing_region,
                    service: "sts",
                    time: config.clock().now(),
                    settings: SigningSettings::default(),
                };
                sign_http_request(&mut http, &params)
                    .map_err(|e| format!("cannot sign the STS request: {e}"))?;
                Ok(http)
            },
            parse_error,
        )
        .await?;
    parse_credentials(&response, "AssumeRole", "AssumeRoleProvider")
}

/// Calls `AssumeRoleWithWebIdentity` (unsigned: the token is the proof).
pub(crate) async fn assume_role_with_web_identity(
    config: &ProviderConfig,
    endpoint: &StsEndpoint,
    token: &str,
    request: &RoleRequest<'_>,
) -> Result<Credentials, CallError> {
    let mut form = form("AssumeRoleWithWebIdentity", request);
    push_param(&mut form, "WebIdentityToken", token);
    let form = Bytes::from(form);
    let call = Call {
        config,
        // The identity provider could not be reached by STS: worth another try.
        retryable_codes: &["IDPCommunicationError"],
    };
    let response = call
        .send(|| post(endpoint, form.clone()), parse_error)
        .await?;
    parse_credentials(&response, "AssumeRoleWithWebIdentity", "WebIdentityToken")
}

fn form(action: &str, request: &RoleRequest<'_>) -> String {
    let mut form = format!("Action={action}&Version={API_VERSION}");
    push_param(&mut form, "RoleArn", request.role_arn);
    push_param(&mut form, "RoleSessionName", request.session_name);
    if let Some(duration) = request.duration {
        push_param(
            &mut form,
            "DurationSeconds",
            &duration.as_secs().to_string(),
        );
    }
    form
}

fn push_param(form: &mut String, name: &str, value: &str) {
    form.push('&');
    form.push_str(name);
    form.push('=');
    form.push_str(&uri_encode(value));
}

fn post(endpoint: &StsEndpoint, form: Bytes) -> Result<HttpRequest, String> {
    http::Request::post(format!("{}/", endpoint.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .map_err(|e| format!("cannot build an STS request for `{}`: {e}", endpoint.url))
}

/// Reads `<ErrorResponse><Error><Code/><Message/></Error><RequestId/>`.
fn parse_error(response: &ReadResponse) -> ServiceError {
    let paths: &[&[&str]] = &[
        &["ErrorResponse", "Error", "Code"],
        &["ErrorResponse", "Error", "Message"],
        &["ErrorResponse", "RequestId"],
    ];
    match xml::extract(response.body(), paths) {
        Ok(mut found) => {
            let request_id = found[2].take().or_else(|| request_id(response));
            ServiceError {
                code: found[0]
                    .take()
                    .unwrap_or_else(|| format!("HTTP {}", response.status().as_u16())),
                message: truncate(found[1].take().unwrap_or_default()),
                request_id,
            }
        }
        Err(why) => ServiceError {
            code: format!("HTTP {}", response.status().as_u16()),
            message: format!("unreadable error answer: {why}"),
            request_id: request_id(response),
        },
    }
}

/// Reads `<{action}Response><{action}Result><Credentials>…`.
fn parse_credentials(
    response: &ReadResponse,
    action: &str,
    provider_name: &'static str,
) -> Result<Credentials, CallError> {
    let parsed = parse_credentials_body(response.body(), action, provider_name);
    parsed.map_err(|why| CallError::Failed(format!("unreadable STS {action} answer: {why}")))
}

/// The credentials in an STS answer body; the error never repeats a value.
pub(crate) fn parse_credentials_body(
    body: &[u8],
    action: &str,
    provider_name: &'static str,
) -> Result<Credentials, String> {
    let response = format!("{action}Response");
    let result = format!("{action}Result");
    let field = |name| [response.as_str(), result.as_str(), "Credentials", name];
    let fields = [
        field("AccessKeyId"),
        field("SecretAccessKey"),
        field("SessionToken"),
        field("Expiration"),
    ];
    let paths: Vec<&[&str]> = fields.iter().map(|f| &f[..]).collect();
    let mut found = xml::extract(body, &paths)?;
    let mut take = |i: usize, name: &str| {
        found[i]
            .take()
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("no {name} in {response}/{result}/Credentials"))
    };
    let access_key_id = take(0, "AccessKeyId")?;
    let secret = take(1, "SecretAccessKey")?;
    let token = take(2, "SessionToken")?;
    let expiration = parse_expiration(&take(3, "Expiration")?)?;
    Ok(Credentials::new(
        access_key_id,
        secret,
        Some(token),
        Some(expiration),
        provider_name,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;
    use crate::profile::ProfileSet;

    fn config(vars: &[(&str, &str)], profile: &str) -> ProviderConfig {
        ProviderConfig::new(Env::from_vars(vars.iter().copied()))
            .with_profiles(ProfileSet::from_strs("default", profile, ""))
    }

    fn url(config: &ProviderConfig, region: &str) -> Result<(String, String), String> {
        StsEndpoint::resolve(config, region).map(|e| (e.url, e.signing_region))
    }

    fn pair(url: &str, region: &str) -> Result<(String, String), String> {
        Ok((url.to_owned(), region.to_owned()))
    }

    #[test]
    fn regional_by_default_in_every_partition() {
        let c = config(&[], "");
        assert_eq!(
            url(&c, "us-east-1"),
            pair("https://sts.us-east-1.amazonaws.com", "us-east-1")
        );
        assert_eq!(
            url(&c, "eu-west-1"),
            pair("https://sts.eu-west-1.amazonaws.com", "eu-west-1")
        );
        assert_eq!(
            url(&c, "cn-north-1"),
            pair("https://sts.cn-north-1.amazonaws.com.cn", "cn-north-1")
        );
        assert_eq!(
            url(&c, "aws-global"),
            pair("https://sts.amazonaws.com", "us-east-1")
        );
    }

    #[test]
    fn legacy_sends_historical_regions_to_the_global_endpoint() {
        for c in [
            config(&[("AWS_STS_REGIONAL_ENDPOINTS", "legacy")], ""),
            config(&[], "[default]\nsts_regional_endpoints = legacy\n"),
        ] {
            assert_eq!(
                url(&c, "eu-west-1"),
                pair("https://sts.amazonaws.com", "us-east-1")
            );
            // Regions newer than the global endpoint stay regional.
            assert_eq!(
                url(&c, "af-south-1"),
                pair("https://sts.af-south-1.amazonaws.com", "af-south-1")
            );
        }
        // The environment wins over the profile.
        let c = config(
            &[("AWS_STS_REGIONAL_ENDPOINTS", "regional")],
            "[default]\nsts_regional_endpoints = legacy\n",
        );
        assert_eq!(
            url(&c, "us-west-2"),
            pair("https://sts.us-west-2.amazonaws.com", "us-west-2")
        );
        let c = config(&[("AWS_STS_REGIONAL_ENDPOINTS", "global")], "");
        assert_eq!(
            url(&c, "us-west-2").unwrap_err(),
            "invalid AWS_STS_REGIONAL_ENDPOINTS: `global` (expected `regional` or `legacy`)"
        );
    }

    #[test]
    fn configured_endpoint_urls_win() {
        let c = config(&[("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9/")], "");
        assert_eq!(
            url(&c, "eu-west-1"),
            pair("http://127.0.0.1:9", "eu-west-1")
        );
        let c = config(
            &[],
            "[default]\nservices = local\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:8\n",
        );
        assert_eq!(
            url(&c, "eu-west-1"),
            pair("http://127.0.0.1:8", "eu-west-1")
        );
    }

    #[test]
    fn a_region_must_be_a_host_label() {
        let c = config(&[], "");
        for bad in ["evil.com#", "x@evil.com", "a/b", "", "-x", "x-", "a b"] {
            let err = url(&c, bad).unwrap_err();
            assert!(err.contains("is not a valid region name"), "{bad}: {err}");
        }
    }

    #[test]
    fn forms_are_percent_encoded() {
        let mut f = form(
            "AssumeRole",
            &RoleRequest {
                role_arn: "arn:aws:iam::123456789012:role/a b+c",
                session_name: "s",
                external_id: None,
                duration: Some(Duration::from_secs(900)),
            },
        );
        push_param(&mut f, "ExternalId", "x&y=z");
        assert_eq!(
            f,
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fa%20b%2Bc\
             &RoleSessionName=s&DurationSeconds=900&ExternalId=x%26y%3Dz"
        );
    }

    #[test]
    fn credentials_and_errors_from_xml() {
        let body = br#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn><AssumedRoleId>ARO:s</AssumedRoleId></AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAEXAMPLE</AccessKeyId>
      <SecretAccessKey>SECRET</SecretAccessKey>
      <SessionToken>TOKEN+/=</SessionToken>
      <Expiration>2030-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;
        let creds = parse_credentials_body(body, "AssumeRole", "AssumeRoleProvider").unwrap();
        assert_eq!(creds.access_key_id(), "ASIAEXAMPLE");
        assert_eq!(creds.secret_access_key(), "SECRET");
        assert_eq!(creds.session_token(), Some("TOKEN+/="));
        assert_eq!(
            creds.expiry(),
            Some(UNIX_EPOCH + Duration::from_secs(1_893_456_000))
        );
        // The wrong action's answer has no credentials for this one.
        let err = parse_credentials_body(body, "AssumeRoleWithWebIdentity", "x").unwrap_err();
        assert_eq!(
            err,
            "no AccessKeyId in AssumeRoleWithWebIdentityResponse/AssumeRoleWithWebIdentityResult/Credentials"
        );
        let error = http::Response::builder()
            .status(403)
            .body(Bytes::from_static(
                b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>\
                  <Message>not &quot;allowed&quot;</Message></Error><RequestId>r-2</RequestId></ErrorResponse>",
            ))
            .unwrap();
        assert_eq!(
            parse_error(&error),
            ServiceError {
                code: "AccessDenied".into(),
                message: "not \"allowed\"".into(),
                request_id: Some("r-2".into()),
            }
        );
        let garbage = http::Response::builder()
            .status(500)
            .header("x-amzn-requestid", "r-3")
            .body(Bytes::from_static(b"<html>"))
            .unwrap();
        let e = parse_error(&garbage);
        assert_eq!(e.code, "HTTP 500");
        assert!(
            e.message.starts_with("unreadable error answer: "),
            "{}",
            e.message
        );
        assert_eq!(e.request_id.as_deref(), Some("r-3"));
    }
}
