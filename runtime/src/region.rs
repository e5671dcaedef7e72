//! `Region`, and where it is found: set in code, else `AWS_REGION`, else
//! `AWS_DEFAULT_REGION`, else the selected profile's `region`, else (unless
//! `AWS_EC2_METADATA_DISABLED=true`) the instance's region from IMDS — the
//! AWS SDK for Rust's order.
//!
//! When none has one the error lists each place checked and why it gave
//! nothing, and how to set a region.

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

/// No region was found; says where it looked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionError {
    checked: Vec<String>,
}

impl RegionError {
    /// Each place checked, with why it gave no region.
    pub fn checked(&self) -> &[String] {
        &self.checked
    }
}

impl fmt::Display for RegionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no AWS region configured; checked: {}. Set one in code, with the AWS_REGION environment variable \
             (e.g. AWS_REGION=us-east-1), or with `region = us-east-1` in the profile in the shared config file",
            self.checked.join("; ")
        )
    }
}

impl std::error::Error for RegionError {}

/// The region from code, environment or profile, without contacting IMDS.
pub fn resolve_region_locally(
    explicit: Option<Region>,
    config: &ProviderConfig,
) -> Result<Region, RegionError> {
    let mut checked = Vec::new();
    local(explicit, config, &mut checked).ok_or(RegionError { checked })
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
        return Ok(region);
    }
    if config.env().is_true("AWS_EC2_METADATA_DISABLED") {
        checked.push("IMDS (disabled by AWS_EC2_METADATA_DISABLED=true)".to_owned());
    } else {
        match imds.get("/latest/meta-data/placement/region").await {
            Ok(region) if !region.trim().is_empty() => {
                return Ok(Region::new(region.trim().to_owned()))
            }
            Ok(_) => checked.push("IMDS (returned an empty region)".to_owned()),
            Err(e) => checked.push(format!("IMDS ({e})")),
        }
    }
    Err(RegionError { checked })
}

fn local(
    explicit: Option<Region>,
    config: &ProviderConfig,
    checked: &mut Vec<String>,
) -> Option<Region> {
    if let Some(region) = explicit {
        return Some(region);
    }
    let env = config.env();
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        match env.get(var) {
            Some(region) => return Some(Region::new(region.trim().to_owned())),
            None => checked.push(format!("{var} (not set)")),
        }
    }
    match config.profiles() {
        Err(e) => checked.push(format!("the shared config files ({e})")),
        Ok(profiles) => {
            let name = profiles.selected_profile_name();
            match profiles.selected_profile() {
                Some(profile) => match profile.get("region").map(str::trim) {
                    Some(region) if !region.is_empty() => {
                        return Some(Region::new(region.to_owned()))
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
}
