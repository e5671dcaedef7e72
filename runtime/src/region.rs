//! `Region`, and where it is found: set in code, else `AWS_REGION`, else
//! `AWS_DEFAULT_REGION`, else the selected profile's `region`, else (unless
//! `AWS_EC2_METADATA_DISABLED=true`) the instance's region from IMDS — the
//! AWS SDK for Rust's order.
//!
//! When none has one the error lists each place checked and why it gave
//! nothing, and how to set a region.
//!
//! A region becomes part of a host name (`proton.<region>.amazonaws.com`),
//! so whatever its source it must be one DNS label, as the SDKs require
//! ([`is_valid_region`]); anything else (`evil.com#`, `x@evil.com`) is a
//! configuration error naming the value and its source, found before
//! anything is signed or sent.

use crate::imds::ImdsClient;
use crate::provider_config::ProviderConfig;
use std::borrow::Cow;
use std::fmt;

/// An AWS region name such as `us-east-1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// The region called `name`.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Self(name.into())
    }

    /// The region called `name`, in a `const`.
    pub const fn from_static(name: &'static str) -> Self {
        Self(Cow::Borrowed(name))
    }
}

impl From<&'static str> for Region {
    fn from(name: &'static str) -> Self {
        Self::from_static(name)
    }
}

impl From<String> for Region {
    fn from(name: String) -> Self {
        Self::new(name)
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `name` can be a region: one DNS host label — ASCII letters,
/// digits and hyphens, 1 to 63 characters, not beginning or ending with a
/// hyphen (botocore's `valid_host_label`).
pub fn is_valid_region(name: &str) -> bool {
    let bytes = name.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

/// No usable region: none was found (says where it looked), or the one
/// found is not a valid region name (says which value and from where).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionError {
    checked: Vec<String>,
    invalid: Option<(String, String)>,
}

impl RegionError {
    /// Each place checked, with why it gave no region (empty when a region
    /// was found but is invalid).
    pub fn checked(&self) -> &[String] {
        &self.checked
    }

    /// Whether a region was found but is not a valid region name.
    pub fn is_invalid(&self) -> bool {
        self.invalid.is_some()
    }
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((value, source)) = &self.invalid {
            return write!(
                f,
                "invalid AWS region `{value}` from {source}: a region is one DNS label (ASCII letters, digits \
                 and hyphens, 1 to 63 characters, not beginning or ending with a hyphen), such as `us-east-1`"
            );
        }
        write!(
            f,
            "no AWS region configured; checked: {}. Set one in code, with the AWS_REGION environment variable \
             (e.g. AWS_REGION=us-east-1), or with `region = us-east-1` in the profile in the shared config file",
            self.checked.join("; ")
        )
    }
}

/// `region` from `source` if it is a valid region name, else the error
/// naming both (the value escaped and shortened: it came from outside).
fn checked(region: Region, source: impl FnOnce() -> String) -> Result<Region, RegionError> {
    if is_valid_region(region.as_ref()) {
        return Ok(region);
    }
    let shown = crate::client::cap(&region.as_ref().escape_debug().to_string(), 80);
    Err(RegionError {
        checked: Vec::new(),
        invalid: Some((shown, source())),
    })
}

impl std::error::Error for RegionError {}

/// `region`, set in code, if it is a valid region name.
pub(crate) fn check_code_region(region: Region) -> Result<Region, RegionError> {
    checked(region, || "code".to_owned())
}

/// The region from code, environment or profile, without contacting IMDS.
pub fn resolve_region_locally(
    explicit: Option<Region>,
    config: &ProviderConfig,
) -> Result<Region, RegionError> {
    let mut checked = Vec::new();
    local(explicit, config, &mut checked).unwrap_or(Err(RegionError {
        checked,
        invalid: None,
    }))
}

/// The region from code, environment, profile, or — last, and only when
/// `AWS_EC2_METADATA_DISABLED` is not `true` — IMDS
/// (`/latest/meta-data/placement/region`).
pub async fn resolve_region(
    explicit: Option<Region>,
    config: &ProviderConfig,
) -> Result<Region, RegionError> {
    resolve_region_with_imds(explicit, config, &ImdsClient::new(config)).await
}

/// [`resolve_region`] with a given IMDS client.
pub async fn resolve_region_with_imds(
    explicit: Option<Region>,
    config: &ProviderConfig,
    imds: &ImdsClient,
) -> Result<Region, RegionError> {
    let mut checked = Vec::new();
    if let Some(region) = local(explicit, config, &mut checked) {
        return region;
    }
    if config.env().is_true("AWS_EC2_METADATA_DISABLED") {
        checked.push("IMDS (disabled by AWS_EC2_METADATA_DISABLED=true)".to_owned());
    } else {
        match imds.get(IMDS_REGION_PATH).await {
            Ok(region) if !region.trim().is_empty() => {
                return self::checked(Region::new(region.trim().to_owned()), || {
                    format!("IMDS ({IMDS_REGION_PATH})")
                })
            }
            Ok(_) => checked.push("IMDS (returned an empty region)".to_owned()),
            Err(e) => checked.push(format!("IMDS ({e})")),
        }
    }
    Err(RegionError {
        checked,
        invalid: None,
    })
}

const IMDS_REGION_PATH: &str = "/latest/meta-data/placement/region";

/// The first region found in code, environment or profile, checked; `None`
/// when none has one (`checked` then says where it looked).
fn local(
    explicit: Option<Region>,
    config: &ProviderConfig,
    checked: &mut Vec<String>,
) -> Option<Result<Region, RegionError>> {
    if let Some(region) = explicit {
        return Some(check_code_region(region));
    }
    let env = config.env();
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        match env.get(var) {
            Some(region) => {
                return Some(self::checked(Region::new(region.trim().to_owned()), || {
                    var.to_owned()
                }))
            }
            None => checked.push(format!("{var} (not set)")),
        }
    }
    match config.profiles() {
        Err(e) => checked.push(format!("the shared config files ({e})")),
        Ok(profiles) => {
            let name = profiles.selected_profile_name();
            match profiles.selected_profile() {
                Some(profile) => match profile.property("region") {
                    Some(p) if !p.value().trim().is_empty() => {
                        let source = || format!("`region` in profile `{name}` ({})", p.location());
                        return Some(self::checked(
                            Region::new(p.value().trim().to_owned()),
                            source,
                        ));
                    }
                    _ => checked.push(format!(
                        "profile `{name}` (no `region` key; files: {})",
                        profiles.describe_files()
                    )),
                },
                None => checked.push(format!(
                    "profile `{name}` (no such profile in {})",
                    profiles.describe_files()
                )),
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::Env;
    use crate::imds::tests::token_reply;
    use crate::profile::ProfileSet;
    use crate::test_util::{Reply, TestServer};

    fn config(vars: &[(&str, &str)], profile: &str) -> ProviderConfig {
        ProviderConfig::new(Env::from_vars(vars.iter().copied()))
            .with_profiles(ProfileSet::from_strs("default", profile, ""))
    }

    #[test]
    fn region_type() {
        const R: Region = Region::from_static("us-east-1");
        assert_eq!(R.as_ref(), "us-east-1");
        assert_eq!(R.to_string(), "us-east-1");
        assert_eq!(Region::new(String::from("us-east-1")), R);
    }

    #[test]
    fn precedence() {
        let profile = "[default]\nregion = from-profile\n";
        let all = [
            ("AWS_REGION", "from-region"),
            ("AWS_DEFAULT_REGION", "from-default"),
        ];
        let r = resolve_region_locally(
            Some(Region::from_static("explicit")),
            &config(&all, profile),
        );
        assert_eq!(r.unwrap().as_ref(), "explicit");
        assert_eq!(
            resolve_region_locally(None, &config(&all, profile))
                .unwrap()
                .as_ref(),
            "from-region"
        );
        assert_eq!(
            resolve_region_locally(None, &config(&all[1..], profile))
                .unwrap()
                .as_ref(),
            "from-default"
        );
        assert_eq!(
            resolve_region_locally(None, &config(&[("AWS_REGION", " ")], profile))
                .unwrap()
                .as_ref(),
            "from-profile"
        );
    }

    #[test]
    fn no_region_explains_where_it_looked() {
        let err =
            resolve_region_locally(None, &config(&[], "[default]\noutput = json\n")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no AWS region configured; checked: AWS_REGION (not set); AWS_DEFAULT_REGION (not set); \
             profile `default` (no `region` key; files: the given config file, the given credentials file). \
             Set one in code, with the AWS_REGION environment variable (e.g. AWS_REGION=us-east-1), \
             or with `region = us-east-1` in the profile in the shared config file"
        );
        let broken = ProviderConfig::new(Env::from_vars([("A", "b")]))
            .with_profiles(ProfileSet::from_strs("default", "oops\n", ""));
        let err = resolve_region_locally(None, &broken).unwrap_err();
        assert!(
            err.checked()[2]
                .starts_with("the shared config files (error parsing config file line 1"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn imds_is_last_and_skipped_when_disabled() {
        let server =
            TestServer::start(vec![token_reply("T", 21600), Reply::ok("eu-central-1")]).await;
        let vars = [("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url())];
        let cfg = ProviderConfig::new(Env::from_vars(vars.clone()))
            .with_profiles(ProfileSet::from_strs("default", "", ""));
        assert_eq!(
            resolve_region(None, &cfg).await.unwrap().as_ref(),
            "eu-central-1"
        );
        let requests = server.requests();
        assert_eq!(requests[1].path, "/latest/meta-data/placement/region");
        assert_eq!(requests[1].header("x-aws-ec2-metadata-token"), Some("T"));

        // The profile's region wins: IMDS is not asked.
        let server = TestServer::start(vec![]).await;
        let cfg = ProviderConfig::new(Env::from_vars([(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            server.url(),
        )]))
        .with_profiles(ProfileSet::from_strs(
            "default",
            "[default]\nregion = from-profile\n",
            "",
        ));
        assert_eq!(
            resolve_region(None, &cfg).await.unwrap().as_ref(),
            "from-profile"
        );
        assert!(server.requests().is_empty());

        // Disabled: not asked, and said so.
        let cfg = ProviderConfig::new(Env::from_vars([
            ("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url()),
            ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ]))
        .with_profiles(ProfileSet::from_strs("dev", "", ""));
        let err = resolve_region(None, &cfg).await.unwrap_err();
        assert!(server.requests().is_empty());
        assert_eq!(
            err.checked(),
            [
                "AWS_REGION (not set)",
                "AWS_DEFAULT_REGION (not set)",
                "profile `dev` (no such profile in the given config file, the given credentials file)",
                "IMDS (disabled by AWS_EC2_METADATA_DISABLED=true)",
            ]
        );
    }

    #[tokio::test]
    async fn unreachable_imds_is_reported() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let cfg = ProviderConfig::new(Env::from_vars([(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            format!("http://{closed}"),
        )]));
        let err = resolve_region(None, &cfg).await.unwrap_err();
        assert!(
            err.checked()[3].starts_with(&format!("IMDS (PUT http://{closed}/latest/api/token (session token) failed: connection failed")),
            "{err}"
        );
    }

    #[test]
    fn a_region_is_one_dns_label() {
        for ok in [
            "us-east-1",
            "eu-central-1",
            "us-gov-west-1",
            "cn-north-1",
            "a",
            "A1",
            &"a".repeat(63),
        ] {
            assert!(is_valid_region(ok), "{ok}");
        }
        for bad in [
            "",
            "evil.com#",
            "evil.com?",
            "x@evil.com",
            "us-east-1.",
            "-us",
            "us-",
            "us east",
            "us_east",
            "us-east-1/",
            "ü",
            "us\nx",
            &"a".repeat(64),
            "evil.com:443",
            "[::1]",
        ] {
            assert!(!is_valid_region(bad), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn an_invalid_region_is_an_error_naming_the_value_and_its_source() {
        let profile = "[default]\nregion = x@evil.com\n";
        // Code, environment, profile text, and the expected value and source.
        type Case<'a> = (Option<Region>, Vec<(&'a str, &'a str)>, &'a str, &'a str);
        let cases: Vec<Case<'_>> = vec![
            (
                Some(Region::from_static("evil.com#")),
                vec![],
                "",
                "`evil.com#` from code",
            ),
            (
                None,
                vec![("AWS_REGION", "evil.com?")],
                "",
                "`evil.com?` from AWS_REGION",
            ),
            (
                None,
                vec![("AWS_DEFAULT_REGION", "x@evil.com")],
                "",
                "`x@evil.com` from AWS_DEFAULT_REGION",
            ),
            (
                None,
                vec![],
                profile,
                "`x@evil.com` from `region` in profile `default` (config file line 2)",
            ),
            // Found first, so used first: an invalid value is not skipped for a later source.
            (
                None,
                vec![("AWS_REGION", "bad/"), ("AWS_DEFAULT_REGION", "us-east-1")],
                "",
                "`bad/` from AWS_REGION",
            ),
            (
                None,
                vec![("AWS_REGION", "new\nline")],
                "",
                "`new\\nline` from AWS_REGION",
            ),
        ];
        for (explicit, vars, profile, want) in cases {
            let err = resolve_region(explicit, &config(&vars, profile))
                .await
                .unwrap_err();
            assert!(err.is_invalid());
            let text = err.to_string();
            assert!(
                text.starts_with(&format!(
                    "invalid AWS region {want}: a region is one DNS label"
                )),
                "{text}"
            );
        }
        // A very long value is shown shortened.
        let long = "a.".repeat(10_000);
        let err = resolve_region_locally(None, &config(&[("AWS_REGION", &long)], "")).unwrap_err();
        assert!(err.to_string().len() < 400, "{}", err.to_string().len());
    }

    #[tokio::test]
    async fn a_region_from_imds_is_checked_too() {
        let server = TestServer::start(vec![token_reply("T", 21600), Reply::ok("evil.com#")]).await;
        let cfg = ProviderConfig::new(Env::from_vars([(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            server.url(),
        )]))
        .with_profiles(ProfileSet::from_strs("default", "", ""));
        let err = resolve_region(None, &cfg).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid AWS region `evil.com#` from IMDS (/latest/meta-data/placement/region): a region is one DNS label \
             (ASCII letters, digits and hyphens, 1 to 63 characters, not beginning or ending with a hyphen), such as `us-east-1`"
        );
    }
}
