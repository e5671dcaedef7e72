//! Turning the selected profile into a plan: one base source of
//! credentials, then the roles to assume with them, innermost first.
//!
//! ```ini
//! [profile prod]            # AssumeRole prod-role with dev's credentials,
//! role_arn = arn:…:prod-role
//! source_profile = dev
//!
//! [profile dev]             # which are dev-role's, assumed with base's keys
//! role_arn = arn:…:dev-role
//! source_profile = base
//!
//! [profile base]
//! aws_access_key_id = …
//! ```
//!
//! gives base = `base`'s static keys, roles = [dev-role, prod-role]. As in
//! the AWS SDKs: within one profile `role_arn` comes first (with either
//! `source_profile` or `credential_source`), unless
//! `web_identity_token_file` is also set, which makes the profile a web
//! identity base; then SSO, then `credential_process`, then static keys.
//! A profile reached through `source_profile` that has static keys uses
//! them, whatever else it sets; a profile naming itself as its
//! `source_profile` assumes its role with its own keys. A chain that comes
//! back to a profile already visited is an error listing the chain.

use super::sso::SsoSettings;
use super::Credentials;
use crate::profile::{Profile, ProfileSet, Property};
use std::time::Duration;

const PROVIDER_NAME: &str = "ProfileFile";

/// The `credential_source` values the SDKs define.
pub(crate) const CREDENTIAL_SOURCES: &[&str] =
    &["Environment", "Ec2InstanceMetadata", "EcsContainer"];

/// Where the first credentials come from.
#[derive(Debug)]
pub(crate) enum Base<'a> {
    StaticKeys(Credentials),
    /// `credential_source` of a profile with `role_arn`.
    NamedSource(&'a Property),
    WebIdentity {
        role_arn: &'a str,
        token_file: &'a Property,
        session_name: Option<&'a str>,
    },
    Sso(SsoSettings),
    Process(&'a Property),
}

/// One `role_arn` to assume.
#[derive(Debug)]
pub(crate) struct RoleHop<'a> {
    pub profile: &'a str,
    pub role_arn: &'a Property,
    pub session_name: Option<&'a str>,
    pub external_id: Option<&'a str>,
    pub duration: Option<Duration>,
}

/// The plan for the selected profile.
#[derive(Debug)]
pub(crate) struct Chain<'a> {
    /// The profile that holds the base.
    pub base_profile: &'a str,
    pub base: Base<'a>,
    /// Applied in order, each with the previous credentials.
    pub roles: Vec<RoleHop<'a>>,
}

/// Why there is no plan.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ChainError {
    /// The selected profile sets no credentials at all: a chain moves on.
    NoCredentials(String),
    /// The profiles are set up wrongly.
    Invalid(String),
}

/// The plan for `profiles`' selected profile (which must exist).
pub(crate) fn resolve(profiles: &ProfileSet) -> Result<Chain<'_>, ChainError> {
    let mut name = profiles.selected_profile_name();
    let mut visited: Vec<&str> = Vec::new();
    let mut roles = Vec::new();
    loop {
        let Some(profile) = profiles.profile(name) else {
            let from = visited.last().copied().unwrap_or("");
            return Err(ChainError::Invalid(format!(
                "profile `{from}` names source_profile `{name}`, which does not exist"
            )));
        };
        let name_in_profile = profile.name();
        if visited.contains(&name) {
            visited.push(name);
            return Err(ChainError::Invalid(format!(
                "the source_profile chain loops: {}",
                visited
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" -> ")
            )));
        }
        visited.push(name);
        if visited.len() > 1 {
            if let Some(Ok(keys)) = static_keys(profile) {
                return Ok(Chain {
                    base_profile: name_in_profile,
                    base: Base::StaticKeys(keys),
                    roles: reversed(roles),
                });
            }
        }
        let role_arn = profile
            .property("role_arn")
            .filter(|_| profile.property("web_identity_token_file").is_none());
        let Some(role_arn) = role_arn else {
            let base = base(profiles, profile, visited.len() == 1)?;
            return Ok(Chain {
                base_profile: name_in_profile,
                base,
                roles: reversed(roles),
            });
        };
        roles.push(role_hop(profile, role_arn)?);
        let source_profile = profile.property("source_profile");
        let credential_source = profile.property("credential_source");
        match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                return Err(invalid(profile, "sets both source_profile and credential_source; set only one"))
            }
            (None, None) => {
                return Err(invalid(
                    profile,
                    &format!(
                        "sets role_arn ({}) but neither source_profile nor credential_source, so there are no credentials to assume it with",
                        role_arn.location()
                    ),
                ))
            }
            (None, Some(source)) => {
                if !CREDENTIAL_SOURCES.contains(&source.value()) {
                    return Err(invalid(
                        profile,
                        &format!(
                            "has credential_source = {} ({}), which is not one of {}",
                            source.value(),
                            source.location(),
                            CREDENTIAL_SOURCES.join(", ")
                        ),
                    ));
                }
                return Ok(Chain {
                    base_profile: name_in_profile,
                    base: Base::NamedSource(source),
                    roles: reversed(roles),
                });
            }
            (Some(source), None) if source.value() == name => {
                // Assume the role with this profile's own keys.
                let keys = static_keys(profile).unwrap_or_else(|| {
                    Err(invalid(
                        profile,
                        "is its own source_profile but has no aws_access_key_id / aws_secret_access_key",
                    ))
                })?;
                return Ok(Chain {
                    base_profile: name_in_profile,
                    base: Base::StaticKeys(keys),
                    roles: reversed(roles),
                });
            }
            (Some(source), None) => name = source.value(),
        }
    }
}

fn reversed<T>(mut v: Vec<T>) -> Vec<T> {
    v.reverse();
    v
}

fn invalid(profile: &Profile, what: &str) -> ChainError {
    ChainError::Invalid(format!("profile `{}` {what}", profile.name()))
}

fn role_hop<'a>(profile: &'a Profile, role_arn: &'a Property) -> Result<RoleHop<'a>, ChainError> {
    if let Some(mfa) = profile.property("mfa_serial") {
        return Err(invalid(
            profile,
            &format!(
                "sets mfa_serial ({}): assuming a role with MFA is not supported without a token provider \
                 (get session credentials with the MFA code first, e.g. `aws sts get-session-token`, and use those)",
                mfa.location()
            ),
        ));
    }
    let duration = match profile.property("duration_seconds") {
        None => None,
        Some(p) => match p.value().trim().parse::<u64>() {
            Ok(secs) if (900..=43_200).contains(&secs) => Some(Duration::from_secs(secs)),
            _ => {
                return Err(invalid(
                    profile,
                    &format!(
                        "has duration_seconds = {} ({}): expected a whole number of seconds from 900 to 43200",
                        p.value(),
                        p.location()
                    ),
                ))
            }
        },
    };
    Ok(RoleHop {
        profile: profile.name(),
        role_arn,
        session_name: non_blank(profile, "role_session_name").map(Property::value),
        external_id: non_blank(profile, "external_id").map(Property::value),
        duration,
    })
}

fn non_blank<'a>(profile: &'a Profile, key: &str) -> Option<&'a Property> {
    profile
        .property(key)
        .filter(|p| !p.value().trim().is_empty())
}

/// The base of a profile without a role to assume.
fn base<'a>(
    profiles: &'a ProfileSet,
    profile: &'a Profile,
    selected: bool,
) -> Result<Base<'a>, ChainError> {
    if let Some(token_file) = profile.property("web_identity_token_file") {
        let Some(role_arn) = non_blank(profile, "role_arn") else {
            return Err(invalid(
                profile,
                &format!(
                    "sets web_identity_token_file ({}) but not role_arn",
                    token_file.location()
                ),
            ));
        };
        return Ok(Base::WebIdentity {
            role_arn: role_arn.value(),
            token_file,
            session_name: non_blank(profile, "role_session_name").map(Property::value),
        });
    }
    if let Some(source) = profile.property("credential_source") {
        return Err(invalid(
            profile,
            &format!(
                "sets credential_source ({}) without role_arn",
                source.location()
            ),
        ));
    }
    if let Some(sso) = sso(profiles, profile)? {
        return Ok(Base::Sso(sso));
    }
    if let Some(command) = non_blank(profile, "credential_process") {
        return Ok(Base::Process(command));
    }
    match static_keys(profile) {
        Some(Ok(keys)) => Ok(Base::StaticKeys(keys)),
        Some(Err(e)) => Err(e),
        None if selected => Err(ChainError::NoCredentials(
            "the profile has no credentials (none of aws_access_key_id, credential_process, role_arn, sso_session, sso_start_url, web_identity_token_file)".to_owned(),
        )),
        None => Err(invalid(
            profile,
            "is a source_profile but has no credentials (none of aws_access_key_id, credential_process, role_arn, sso_session, sso_start_url, web_identity_token_file)",
        )),
    }
}

/// Static keys: `None` when the profile sets none of them.
fn static_keys(profile: &Profile) -> Option<Result<Credentials, ChainError>> {
    let id = non_blank(profile, "aws_access_key_id");
    let secret = non_blank(profile, "aws_secret_access_key");
    let token = non_blank(profile, "aws_session_token");
    match (id, secret) {
        (Some(id), Some(secret)) => Some(Ok(Credentials::new(
            id.value(),
            secret.value(),
            token.map(|t| t.value().to_owned()),
            None,
            PROVIDER_NAME,
        ))),
        (None, None) if token.is_none() => None,
        (Some(id), None) => Some(Err(invalid(
            profile,
            &format!(
                "sets aws_access_key_id ({}) but not aws_secret_access_key",
                id.location()
            ),
        ))),
        (None, Some(secret)) => Some(Err(invalid(
            profile,
            &format!(
                "sets aws_secret_access_key ({}) but not aws_access_key_id",
                secret.location()
            ),
        ))),
        (None, None) => Some(Err(invalid(
            profile,
            "sets aws_session_token but not aws_access_key_id and aws_secret_access_key",
        ))),
    }
}

/// The profile's IAM Identity Center settings, if it has any.
fn sso(profiles: &ProfileSet, profile: &Profile) -> Result<Option<SsoSettings>, ChainError> {
    let get = |p: &Profile, key: &str| non_blank(p, key).map(|v| v.value().trim().to_owned());
    let (start_url, region, session_name) = if let Some(session) = non_blank(profile, "sso_session")
    {
        let session_name = session.value().trim();
        let Some(section) = profiles.sso_session(session_name) else {
            return Err(invalid(
                profile,
                &format!(
                    "sets sso_session = {session_name} ({}) but there is no [sso-session {session_name}] section",
                    session.location()
                ),
            ));
        };
        let mut missing = Vec::new();
        let start_url = get(section, "sso_start_url");
        let region = get(section, "sso_region");
        if start_url.is_none() {
            missing.push("sso_start_url");
        }
        if region.is_none() {
            missing.push("sso_region");
        }
        if !missing.is_empty() {
            return Err(ChainError::Invalid(format!(
                "[sso-session {session_name}] does not set {}",
                missing.join(" or ")
            )));
        }
        for (key, value) in [("sso_start_url", &start_url), ("sso_region", &region)] {
            if let Some(own) = get(profile, key) {
                if Some(&own) != value.as_ref() {
                    return Err(invalid(
                        profile,
                        &format!(
                            "sets {key} = {own}, which differs from [sso-session {session_name}]'s"
                        ),
                    ));
                }
            }
        }
        (start_url, region, Some(session_name.to_owned()))
    } else if [
        "sso_start_url",
        "sso_region",
        "sso_account_id",
        "sso_role_name",
    ]
    .iter()
    .any(|k| non_blank(profile, k).is_some())
    {
        (
            get(profile, "sso_start_url"),
            get(profile, "sso_region"),
            None,
        )
    } else {
        return Ok(None);
    };
    let account_id = get(profile, "sso_account_id");
    let role_name = get(profile, "sso_role_name");
    let mut missing = Vec::new();
    for (key, value) in [
        ("sso_start_url", &start_url),
        ("sso_region", &region),
        ("sso_account_id", &account_id),
        ("sso_role_name", &role_name),
    ] {
        if value.is_none() {
            missing.push(key);
        }
    }
    match (start_url, region, account_id, role_name) {
        (Some(start_url), Some(region), Some(account_id), Some(role_name)) => {
            Ok(Some(SsoSettings {
                account_id,
                role_name,
                region,
                start_url,
                session_name,
            }))
        }
        _ => Err(invalid(
            profile,
            &format!(
                "is an IAM Identity Center profile but does not set {}",
                missing.join(", ")
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(selected: &str, config: &str) -> Result<String, ChainError> {
        let profiles = ProfileSet::from_strs(selected, config, "").unwrap();
        resolve(&profiles).map(|chain| {
            let base = match &chain.base {
                Base::StaticKeys(k) => format!("keys {}", k.access_key_id()),
                Base::NamedSource(s) => format!("source {}", s.value()),
                Base::WebIdentity {
                    role_arn,
                    token_file,
                    session_name,
                } => {
                    format!("web {role_arn} {} {session_name:?}", token_file.value())
                }
                Base::Sso(s) => {
                    format!("sso {} {} {:?}", s.account_id, s.role_name, s.session_name)
                }
                Base::Process(p) => format!("process {}", p.value()),
            };
            let roles: Vec<String> = chain
                .roles
                .iter()
                .map(|r| format!("{}:{}", r.profile, r.role_arn.value()))
                .collect();
            format!("{}: {base} | {}", chain.base_profile, roles.join(" "))
        })
    }

    fn invalid_text(selected: &str, config: &str) -> String {
        match plan(selected, config) {
            Err(ChainError::Invalid(text)) => text,
            other => panic!("expected an invalid-configuration error, got {other:?}"),
        }
    }

    #[test]
    fn chains_of_any_length() {
        let config = "[profile a]\nrole_arn = ra\nsource_profile = b\n\
                      [profile b]\nrole_arn = rb\nsource_profile = c\n\
                      [profile c]\nrole_arn = rc\nsource_profile = d\n\
                      [profile d]\naws_access_key_id = AKD\naws_secret_access_key = S\n";
        assert_eq!(plan("a", config).unwrap(), "d: keys AKD | c:rc b:rb a:ra");
        assert_eq!(plan("c", config).unwrap(), "d: keys AKD | c:rc");
    }

    #[test]
    fn static_keys_win_in_source_profiles_only() {
        let config = "[profile a]\nrole_arn = ra\nsource_profile = b\naws_access_key_id = AKA\naws_secret_access_key = S\n\
                      [profile b]\nrole_arn = rb\nsource_profile = c\naws_access_key_id = AKB\naws_secret_access_key = S\n";
        assert_eq!(plan("a", config).unwrap(), "b: keys AKB | a:ra");
    }

    #[test]
    fn self_reference_and_credential_source() {
        let config = "[profile a]\nrole_arn = ra\nsource_profile = a\naws_access_key_id = AKA\naws_secret_access_key = S\n\
                      [profile e]\nrole_arn = re\ncredential_source = Environment\n\
                      [profile f]\nrole_arn = rf\nsource_profile = e\n";
        assert_eq!(plan("a", config).unwrap(), "a: keys AKA | a:ra");
        assert_eq!(plan("e", config).unwrap(), "e: source Environment | e:re");
        assert_eq!(
            plan("f", config).unwrap(),
            "e: source Environment | e:re f:rf"
        );
    }

    #[test]
    fn cycles_are_reported_with_the_chain() {
        let config = "[profile a]\nrole_arn = ra\nsource_profile = b\n\
                      [profile b]\nrole_arn = rb\nsource_profile = c\n\
                      [profile c]\nrole_arn = rc\nsource_profile = a\n";
        assert_eq!(
            invalid_text("a", config),
            "the source_profile chain loops: `a` -> `b` -> `c` -> `a`"
        );
    }

    #[test]
    fn web_identity_sso_process_static_order() {
        let config = "[profile w]\nrole_arn = rw\nweb_identity_token_file = /t\nsource_profile = x\ncredential_process = p\n\
                      [profile s]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\ncredential_process = p\n\
                      [sso-session corp]\nsso_start_url = https://corp\nsso_region = us-east-1\n\
                      [profile l]\nsso_start_url = https://old\nsso_region = us-east-1\nsso_account_id = 2\nsso_role_name = r2\n\
                      [profile p]\ncredential_process = run\naws_access_key_id = A\naws_secret_access_key = S\n\
                      [profile r]\nrole_arn = rr\nsource_profile = w\n";
        assert_eq!(plan("w", config).unwrap(), "w: web rw /t None | ");
        assert_eq!(plan("s", config).unwrap(), "s: sso 1 r Some(\"corp\") | ");
        assert_eq!(plan("l", config).unwrap(), "l: sso 2 r2 None | ");
        assert_eq!(plan("p", config).unwrap(), "p: process run | ");
        assert_eq!(plan("r", config).unwrap(), "w: web rw /t None | r:rr");
    }

    #[test]
    fn configuration_errors_name_the_problem() {
        for (config, want) in [
            ("[profile a]\nrole_arn = r\n", "profile `a` sets role_arn (config file line 2) but neither source_profile nor credential_source"),
            ("[profile a]\nrole_arn = r\nsource_profile = b\ncredential_source = Environment\n", "sets both source_profile and credential_source"),
            ("[profile a]\nrole_arn = r\ncredential_source = Bogus\n", "credential_source = Bogus (config file line 3), which is not one of Environment, Ec2InstanceMetadata, EcsContainer"),
            ("[profile a]\nrole_arn = r\nsource_profile = nope\n", "profile `a` names source_profile `nope`, which does not exist"),
            ("[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nregion = x\n", "profile `b` is a source_profile but has no credentials"),
            ("[profile a]\nrole_arn = r\nsource_profile = a\n", "profile `a` is its own source_profile but has no aws_access_key_id"),
            ("[profile a]\nrole_arn = r\nsource_profile = b\nmfa_serial = arn:mfa\n", "sets mfa_serial (config file line 4): assuming a role with MFA is not supported without a token provider"),
            ("[profile a]\nrole_arn = r\nsource_profile = b\nduration_seconds = 60\n", "has duration_seconds = 60 (config file line 4): expected a whole number of seconds from 900 to 43200"),
            ("[profile a]\nweb_identity_token_file = /t\n", "sets web_identity_token_file (config file line 2) but not role_arn"),
            ("[profile a]\ncredential_source = Environment\n", "sets credential_source (config file line 2) without role_arn"),
            ("[profile a]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n", "sets sso_session = corp (config file line 2) but there is no [sso-session corp] section"),
            ("[profile a]\nsso_session = corp\nsso_account_id = 1\n[sso-session corp]\nsso_region = us-east-1\n", "[sso-session corp] does not set sso_start_url"),
            ("[profile a]\nsso_session = corp\nsso_account_id = 1\n[sso-session corp]\nsso_region = us-east-1\nsso_start_url = u\n", "is an IAM Identity Center profile but does not set sso_role_name"),
            ("[profile a]\nsso_session = corp\nsso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = r\n[sso-session corp]\nsso_region = us-east-1\nsso_start_url = u\n", "sets sso_region = eu-west-1, which differs from [sso-session corp]'s"),
            ("[profile a]\nsso_start_url = u\nsso_role_name = r\n", "does not set sso_region, sso_account_id"),
        ] {
            let text = invalid_text("a", config);
            assert!(text.contains(want), "{config}\n{text}");
        }
        assert!(matches!(
            plan("a", "[profile a]\nregion = x\n"),
            Err(ChainError::NoCredentials(_))
        ));
    }
}
