//! The IAM Identity Center token cache: `~/.aws/sso/cache/<sha1>.json`,
//! written by `aws sso login`, where `<sha1>` is the lower-case hex SHA-1
//! of the `sso-session` name (or, for a legacy profile, of the start URL),
//! as every AWS SDK derives it.
//!
//! A token of an `sso-session` that is within five minutes of expiry is
//! refreshed with the OIDC service's `CreateToken` when the cache holds a
//! refresh token and an unexpired client registration, at most once per
//! 30 seconds, and the cache file is replaced atomically with the result
//! (owner-only permissions). Legacy tokens cannot be refreshed.

use super::api;
use crate::credentials::files::write_private_atomic;
use crate::datetime::{DateTime, Format};
use crate::json::{JsonReader, JsonWriter};
use crate::provider_config::ProviderConfig;
use crate::Redacted;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Refresh a token this long before it expires.
pub const REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);
/// Try refreshing at most this often.
pub const MIN_TIME_BETWEEN_REFRESHES: Duration = Duration::from_secs(30);
/// The largest cache file read.
pub const MAX_CACHE_FILE_BYTES: usize = 64 * 1024;

/// The cache file for `identifier` under `home`; None without a crypto
/// library feature (no SHA-1: see `crypto`).
pub(crate) fn cache_path(home: &Path, identifier: &str) -> Option<PathBuf> {
    let digest = crate::crypto::sha1(identifier.as_bytes())?;
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Some(
        home.join(".aws")
            .join("sso")
            .join("cache")
            .join(format!("{hex}.json")),
    )
}

/// A cached token; `Debug` shows no token, secret or refresh token.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct CachedToken {
    pub access_token: String,
    pub expires_at: SystemTime,
    pub refresh_token: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub registration_expires_at: Option<SystemTime>,
    pub region: Option<String>,
    pub start_url: Option<String>,
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("access_token", &Redacted)
            .field("expires_at", &DateTime::from(self.expires_at))
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| Redacted),
            )
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| Redacted),
            )
            .field(
                "registration_expires_at",
                &self.registration_expires_at.map(DateTime::from),
            )
            .field("region", &self.region)
            .field("start_url", &self.start_url)
            .finish()
    }
}

impl CachedToken {
    /// Whether the cache holds what a refresh needs (expiry not considered).
    fn refreshable(&self) -> bool {
        self.refresh_token.is_some()
            && self.client_id.is_some()
            && self.client_secret.is_some()
            && self.registration_expires_at.is_some()
    }
}

/// Reads a cache file's JSON; the error names the field, never a value
/// but a timestamp's.
pub(crate) fn parse(body: &[u8]) -> Result<CachedToken, String> {
    let mut strings: [Option<String>; 8] = Default::default();
    const KEYS: [&str; 8] = [
        "accessToken",
        "expiresAt",
        "refreshToken",
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "region",
        "startUrl",
    ];
    let mut reader = JsonReader::new(body);
    reader
        .object(
            |r, key| match KEYS.iter().position(|k| k.eq_ignore_ascii_case(key)) {
                Some(i) => {
                    strings[i] = r.nullable::<String>()?;
                    Ok(())
                }
                None => r.skip_value(),
            },
        )
        .and_then(|()| reader.end())
        .map_err(|e| format!("not the expected JSON object: {e}"))?;
    let [access, expires, refresh, client_id, client_secret, registration, region, start_url] =
        strings;
    let access_token = access.filter(|t| !t.is_empty()).ok_or("no `accessToken`")?;
    let expires_at = time(&expires.ok_or("no `expiresAt`")?, "expiresAt")?;
    let registration_expires_at = registration
        .map(|t| time(&t, "registrationExpiresAt"))
        .transpose()?;
    Ok(CachedToken {
        access_token,
        expires_at,
        refresh_token: refresh.filter(|t| !t.is_empty()),
        client_id,
        client_secret,
        registration_expires_at,
        region,
        start_url,
    })
}

/// RFC 3339; older CLI versions wrote `…UTC` for `Z`.
fn time(text: &str, field: &str) -> Result<SystemTime, String> {
    let normalized = match text.strip_suffix("UTC") {
        Some(rest) => format!("{rest}Z"),
        None => text.to_owned(),
    };
    DateTime::from_str(&normalized, Format::DateTime)
        .and_then(SystemTime::try_from)
        .map_err(|e| {
            format!(
                "`{field}` `{}` is not an RFC 3339 date-time: {e}",
                text.escape_debug()
            )
        })
}

/// The cache file's JSON for `token`, in the AWS CLI's field order.
pub(crate) fn serialize(token: &CachedToken) -> Result<Vec<u8>, String> {
    let format = |t: SystemTime| {
        DateTime::from(t)
            .fmt(Format::DateTime)
            .map_err(|e| e.to_string())
    };
    let mut writer = JsonWriter::default();
    {
        let mut object = writer.value().object();
        object.optional("startUrl", token.start_url.as_deref());
        object.optional("region", token.region.as_deref());
        object.key("accessToken").string(&token.access_token);
        object.key("expiresAt").string(&format(token.expires_at)?);
        object.optional("clientId", token.client_id.as_deref());
        object.optional("clientSecret", token.client_secret.as_deref());
        if let Some(t) = token.registration_expires_at {
            object.key("registrationExpiresAt").string(&format(t)?);
        }
        object.optional("refreshToken", token.refresh_token.as_deref());
        object.end();
    }
    writer.finish().map_err(|e| e.to_string())
}

/// Where a token comes from.
#[derive(Clone, Debug)]
pub(crate) struct TokenSource {
    /// The `sso-session` name; `None` for a legacy profile.
    pub session_name: Option<String>,
    pub start_url: String,
    pub region: String,
    /// What to tell the user to run: `aws sso login --profile NAME`.
    pub login_hint: String,
}

/// What the provider remembers between calls.
#[derive(Debug, Default)]
pub(crate) struct RefreshState {
    last_attempt: Option<SystemTime>,
}

impl TokenSource {
    fn identifier(&self) -> &str {
        self.session_name.as_deref().unwrap_or(&self.start_url)
    }

    /// A usable access token: the cached one, refreshed first when it is
    /// near expiry and can be.
    pub(crate) async fn token(
        &self,
        config: &ProviderConfig,
        state: &tokio::sync::Mutex<RefreshState>,
    ) -> Result<String, String> {
        let home = config.env().home_dir().ok_or_else(|| {
            format!(
                "no home directory (HOME is not set), so no IAM Identity Center token cache to read; {}",
                self.login_hint
            )
        })?;
        let path = cache_path(&home, self.identifier()).ok_or_else(|| {
            "the IAM Identity Center token cache's file name is a SHA-1, which needs the \
             runtime's `aws-lc-rs` or `ring` feature (this build has neither)"
                .to_owned()
        })?;
        let data = crate::bounded::read_file(&path, MAX_CACHE_FILE_BYTES).map_err(|why| {
            format!(
                "no usable cached IAM Identity Center token (cannot read {}: {why}); {}",
                path.display(),
                self.login_hint
            )
        })?;
        let token = parse(&data).map_err(|why| {
            format!(
                "the cached IAM Identity Center token {} cannot be used ({why}); {}",
                path.display(),
                self.login_hint
            )
        })?;
        let now = config.clock().now();
        let expired = token.expires_at <= now;
        let expires_soon = token
            .expires_at
            .checked_sub(REFRESH_BUFFER)
            .is_none_or(|t| t <= now);
        let mut state = state.lock().await;
        let may_try = state.last_attempt.is_none_or(|last| {
            now.duration_since(last)
                .map_or(true, |gap| gap >= MIN_TIME_BETWEEN_REFRESHES)
        });
        let registration_valid = token.registration_expires_at.is_some_and(|t| t > now);
        let refreshable = self.session_name.is_some() && token.refreshable() && registration_valid;
        let expired_error = |extra: &str| {
            format!(
                "the IAM Identity Center token in {} expired at {}{extra}; {}",
                path.display(),
                DateTime::from(token.expires_at),
                self.login_hint
            )
        };
        if !(expires_soon && refreshable && may_try) {
            return if expired {
                Err(expired_error(""))
            } else {
                Ok(token.access_token)
            };
        }
        state.last_attempt = Some(now);
        match self.refresh(config, &token, now).await {
            Ok(refreshed) => {
                // A token that cannot be saved still works for this process.
                let _ = serialize(&refreshed).and_then(|data| write_private_atomic(&path, &data));
                Ok(refreshed.access_token)
            }
            Err(_) if !expired => Ok(token.access_token),
            Err(why) => Err(expired_error(&format!(
                " and could not be refreshed ({why})"
            ))),
        }
    }

    async fn refresh(
        &self,
        config: &ProviderConfig,
        token: &CachedToken,
        now: SystemTime,
    ) -> Result<CachedToken, String> {
        let (Some(client_id), Some(client_secret), Some(refresh_token)) = (
            token.client_id.as_deref(),
            token.client_secret.as_deref(),
            token.refresh_token.as_deref(),
        ) else {
            return Err("the cache holds no refresh token".to_owned());
        };
        let endpoint = api::endpoint(config, &self.region, true)?;
        let new = api::create_token(config, &endpoint, client_id, client_secret, refresh_token)
            .await
            .map_err(|e| format!("SSO-OIDC CreateToken at {endpoint} failed: {e}"))?;
        let expires_at = now
            .checked_add(new.expires_in)
            .ok_or("SSO-OIDC CreateToken gave an expiry too far in the future")?;
        Ok(CachedToken {
            access_token: new.access_token,
            expires_at,
            refresh_token: new.refresh_token.or_else(|| token.refresh_token.clone()),
            client_id: token.client_id.clone(),
            client_secret: token.client_secret.clone(),
            registration_expires_at: token.registration_expires_at,
            region: Some(self.region.clone()),
            start_url: Some(self.start_url.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn file_names_are_the_sdks() {
        // The AWS SDKs' shared test cases for the cache key.
        let home = Path::new("/home/u");
        assert_eq!(
            cache_path(home, "https://d-abc123.awsapps.com/start").as_deref(),
            Some(Path::new(
                "/home/u/.aws/sso/cache/40a89917e3175433e361b710a9d43528d7f1890a.json"
            ))
        );
        assert_eq!(
            cache_path(home, "admin").as_deref(),
            Some(Path::new(
                "/home/u/.aws/sso/cache/d033e22ae348aeb5660fc2140aec35850c4da997.json"
            ))
        );
    }

    #[test]
    fn parse_and_write_round_trip() {
        let token = parse(
            br#"{"startUrl":"https://d-123.awsapps.com/start","region":"us-west-2","accessToken":"cachedtoken",
                 "expiresAt":"2021-12-25T21:30:00Z","clientId":"clientid","clientSecret":"YSBzZWNyZXQ=",
                 "registrationExpiresAt":"2022-12-25T13:30:00Z","refreshToken":"cachedrefreshtoken","extra":[1]}"#,
        )
        .unwrap();
        assert_eq!(
            token.expires_at,
            UNIX_EPOCH + Duration::from_secs(1_640_467_800)
        );
        assert!(token.refreshable());
        let again = parse(&serialize(&token).unwrap()).unwrap();
        assert_eq!(again, token);
        let debug = format!("{token:?}");
        for secret in ["cachedtoken", "YSBzZWNyZXQ", "cachedrefreshtoken"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        // Older CLI versions wrote `UTC` for `Z`.
        let old = parse(br#"{"accessToken":"a","expiresAt":"2021-12-25T21:30:00UTC"}"#).unwrap();
        assert_eq!(old.expires_at, token.expires_at);
        assert!(!old.refreshable());
    }

    #[test]
    fn bad_cache_files() {
        for (body, want) in [
            (&b"{}"[..], "no `accessToken`"),
            (br#"{"accessToken":"secret-value"}"#, "no `expiresAt`"),
            (
                br#"{"accessToken":"a","expiresAt":"soon"}"#,
                "`expiresAt` `soon` is not an RFC 3339",
            ),
            (b"not json", "not the expected JSON object"),
        ] {
            let err = parse(body).unwrap_err();
            assert!(err.contains(want), "{err}");
            assert!(!err.contains("secret-value"), "{err}");
        }
    }
}
