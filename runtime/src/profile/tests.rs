//! The file-format conformance table (cases from the AWS SDKs' shared
//! profile tests) and tests that cross the grammar, the merge rules and
//! the section types.

use super::*;
use crate::REDACTED;
type Flat = BTreeMap<String, BTreeMap<String, String>>;

fn flatten<'a>(sections: impl Iterator<Item = (&'a String, &'a Profile)>) -> Flat {
    sections
        .map(|(name, p)| {
            (
                name.clone(),
                p.properties
                    .iter()
                    .map(|(k, v)| (k.clone(), v.value.clone()))
                    .collect(),
            )
        })
        .collect()
}

fn profiles(set: &ProfileSet) -> Flat {
    flatten(set.profiles.iter())
}

fn expected(entries: &[(&str, &[(&str, &str)])]) -> Flat {
    entries
        .iter()
        .map(|(name, props)| {
            (
                name.to_string(),
                props
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        })
        .collect()
}

/// Expected profiles: name and its `(key, value)` pairs.
type Profiles = &'static [(&'static str, &'static [(&'static str, &'static str)])];

/// One parser case: config text, credentials text, and either the
/// profiles expected or a substring of the error.
struct Case {
    name: &'static str,
    config: &'static str,
    credentials: &'static str,
    expect: Result<Profiles, &'static str>,
}

const fn ok(
    name: &'static str,
    config: &'static str,
    credentials: &'static str,
    profiles: Profiles,
) -> Case {
    Case {
        name,
        config,
        credentials,
        expect: Ok(profiles),
    }
}

const fn err(
    name: &'static str,
    config: &'static str,
    credentials: &'static str,
    message: &'static str,
) -> Case {
    Case {
        name,
        config,
        credentials,
        expect: Err(message),
    }
}

const CASES: &[Case] = &[
    // Sections and names.
    ok("empty files have no profiles", "", "", &[]),
    ok("empty profile", "[profile foo]", "", &[("foo", &[])]),
    ok(
        "all valid name characters",
        "[profile some-thing:long/the_one%only.foo@bar+]\n[profile foo!bar]",
        "",
        &[("some-thing:long/the_one%only.foo@bar+", &[])],
    ),
    ok("names are trimmed", "[profile \tfoo \t]", "", &[("foo", &[])]),
    ok("tab separates prefix", "[profile\tfoo]", "", &[("foo", &[])]),
    ok(
        "whitespace inside brackets",
        "[   profile foo    ]\nname = value\n[profile bar]",
        "",
        &[("bar", &[]), ("foo", &[("name", "value")])],
    ),
    ok("sneaky profile name without space", "[profilefoo]\nname = value\n[profile bar]", "", &[("bar", &[])]),
    ok(
        "invalid profile names are ignored, in both files",
        "[profile in valid]\nname = value",
        "[in valid 2]\nname2 = value2",
        &[],
    ),
    ok(
        "properties of an invalid profile are not merged elsewhere",
        "[profile foo]\nname = value\n[profile in valid]\nx = 1\n[profile bar]\nname = value2",
        "",
        &[("bar", &[("name", "value2")]), ("foo", &[("name", "value")])],
    ),
    err("header needs ]", "[profile foo", "", "line 1: a section header must end with `]`"),
    // config vs credentials prefixes
    ok("config: bare [NAME] is ignored", "[foo]\nname = value", "", &[]),
    ok("config: bare [default] is a profile", "[default]\nname = value", "", &[("default", &[("name", "value")])]),
    ok("credentials: [profile NAME] is ignored", "", "[profile foo]\nname = value", &[]),
    ok("credentials: bare [NAME] is a profile", "", "[foo]\nname = value", &[("foo", &[("name", "value")])]),
    ok(
        "credentials: whitespace in brackets",
        "",
        "[   foo    ]\nname = value\n[profile bar]",
        &[("foo", &[("name", "value")])],
    ),
    ok(
        "credentials: sso-session without space is a profile",
        "",
        "[sso-sessionfoo]\nname = value\n[bar]",
        &[("bar", &[]), ("sso-sessionfoo", &[("name", "value")])],
    ),
    // [profile default] vs [default]
    ok(
        "[profile default] beats [default] (prefixed first)",
        "[profile default]\nname = value\n[default]\nname2 = value2",
        "",
        &[("default", &[("name", "value")])],
    ),
    ok(
        "[profile default] beats [default] (prefixed last)",
        "[default]\nname2 = value2\n[profile default]\nname = value",
        "",
        &[("default", &[("name", "value")])],
    ),
    ok(
        "[profile default] sections merge, [default] dropped, credentials merged",
        "[profile default]\nname = value\n[default]\nname2 = value2\n[profile default]\nname3 = value3",
        "[default]\nsecret=foo",
        &[("default", &[("name", "value"), ("name3", "value3"), ("secret", "foo")])],
    ),
    // Properties.
    err("property outside a section", "name = value", "", "line 1: expected a section header"),
    ok("property", "[profile foo]\nname = value", "", &[("foo", &[("name", "value")])]),
    ok("CRLF line endings", "[profile foo]\r\nname = value\r\n", "", &[("foo", &[("name", "value")])]),
    ok("= inside a value", "[profile foo]\nname = val=ue", "", &[("foo", &[("name", "val=ue")])]),
    ok("unicode value", "[profile foo]\nname = 😂", "", &[("foo", &[("name", "😂")])]),
    ok(
        "several properties",
        "[profile foo]\nname = value\nname2 = value2",
        "",
        &[("foo", &[("name", "value"), ("name2", "value2")])],
    ),
    ok("keys and values trimmed", "[profile foo]\nname \t=  \tvalue \t", "", &[("foo", &[("name", "value")])]),
    ok("empty value", "[profile foo]\nname =", "", &[("foo", &[("name", "")])]),
    err("empty key", "[profile foo]\n= value", "", "line 2: property has no name"),
    err("no equals sign", "[profile foo]\nkey : value", "", "line 2: expected an '=' sign defining a property"),
    ok("keys are lower-cased", "[profile foo]\nName = Value", "", &[("foo", &[("name", "Value")])]),
    ok(
        "all valid key characters",
        "[profile foo]\nABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ = value",
        "",
        &[("foo", &[("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789-_", "value")])],
    ),
    ok("invalid keys are ignored", "[profile foo]\nin valid = value", "", &[("foo", &[])]),
    ok(
        "blank lines ignored",
        "\t \n[profile foo]\n\t\n \nname = value\n\t \n[profile bar]\n \t",
        "",
        &[("bar", &[]), ("foo", &[("name", "value")])],
    ),
    ok("byte-order mark", "\u{feff}[default]\na = b", "", &[("default", &[("a", "b")])]),
    // Comments.
    ok(
        "# comments",
        "# Comment\n[profile foo] # Comment\nname = value # Comment with # sign",
        "",
        &[("foo", &[("name", "value")])],
    ),
    ok(
        "; comments",
        "; Comment\n[profile foo] ; Comment\nname = value ; Comment with ; sign",
        "",
        &[("foo", &[("name", "value")])],
    ),
    ok("empty comments", ";\n[profile foo];\nname = value ;\n", "", &[("foo", &[("name", "value")])]),
    ok(
        "comment right after a header",
        "[profile foo]; Adjacent semicolons\n[profile bar]# Adjacent pound signs",
        "",
        &[("bar", &[]), ("foo", &[])],
    ),
    ok(
        "comment characters right after a value are part of it",
        "[profile foo]\nname = value; Adjacent semicolons\nname2 = value# Adjacent pound signs",
        "",
        &[("foo", &[("name", "value; Adjacent semicolons"), ("name2", "value# Adjacent pound signs")])],
    ),
    // Continuations.
    ok("continuation", "[profile foo]\nname = value\n -continued", "", &[("foo", &[("name", "value\n-continued")])]),
    ok(
        "several continuations",
        "[profile foo]\nname = value\n -continued\n -and-continued",
        "",
        &[("foo", &[("name", "value\n-continued\n-and-continued")])],
    ),
    ok("continuations trimmed", "[profile foo]\nname = value\n \t -continued \t ", "", &[("foo", &[("name", "value\n-continued")])]),
    ok(
        "continuations keep # and ;",
        "[profile foo]\nname = value\n -continued # Comment\nn2 = v\n -c ; C",
        "",
        &[("foo", &[("name", "value\n-continued # Comment"), ("n2", "v\n-c ; C")])],
    ),
    ok("indented # is a continuation, not a comment", "[profile foo]\nname = value\n # not a comment", "", &[("foo", &[("name", "value\n# not a comment")])]),
    err("continuation outside a section", " -continued", "", "line 1: expected a section header"),
    err("continuation outside a property", "[profile foo]\n -continued", "", "line 2: this indented line continues no property"),
    err(
        "a header resets continuation",
        "[profile foo]\nname = value\n[profile foo]\n -continued",
        "",
        "line 4: this indented line continues no property",
    ),
    // Sub-properties.
    ok("sub-properties", "[profile foo]\ns3 =\n name = value", "", &[("foo", &[("s3", "\nname = value")])]),
    err("sub-property without =", "[profile foo]\ns3 =\n invalid", "", "line 3: expected an '=' sign defining a sub-property"),
    ok("sub-property with empty value", "[profile foo]\ns3 =\n name =", "", &[("foo", &[("s3", "\nname =")])]),
    err("sub-property without name", "[profile foo]\ns3 =\n = value", "", "line 3: sub-property has no name"),
    ok("sub-property with invalid name kept raw", "[profile foo]\ns3 =\n in valid = value", "", &[("foo", &[("s3", "\nin valid = value")])]),
    ok(
        "blank lines between sub-properties",
        "[profile foo]\ns3 =\n name = value\n\t \n name2 = value2",
        "",
        &[("foo", &[("s3", "\nname = value\nname2 = value2")])],
    ),
    // Merging.
    ok(
        "same profile twice in a file merges",
        "[profile foo]\nname = value\n[profile foo]\nname2 = value2",
        "",
        &[("foo", &[("name", "value"), ("name2", "value2")])],
    ),
    ok("last duplicate key wins", "[profile foo]\nname = value\nname = value2", "", &[("foo", &[("name", "value2")])]),
    ok(
        "last duplicate key wins across sections",
        "[profile foo]\nname = value\n[profile foo]\nname = value2",
        "",
        &[("foo", &[("name", "value2")])],
    ),
    ok(
        "last duplicate key wins, any letter case",
        "[profile foo]\nName = value\n[profile foo]\nname = value2",
        "",
        &[("foo", &[("name", "value2")])],
    ),
    ok(
        "[profile dev] in config and [dev] in credentials are one profile",
        "[profile foo]\nname = value",
        "[foo]\nname2 = value2",
        &[("foo", &[("name", "value"), ("name2", "value2")])],
    ),
    ok(
        "credentials file wins on a shared key",
        "[profile foo]\nname = value",
        "[foo]\nname = value2",
        &[("foo", &[("name", "value2")])],
    ),
];

#[test]
fn parser_table() {
    let mut failures = Vec::new();
    for case in CASES {
        let got = ProfileSet::from_strs("default", case.config, case.credentials);
        match (&case.expect, got) {
            (Ok(want), Ok(set)) => {
                if profiles(&set) != expected(want) {
                    failures.push(format!(
                        "{}: got {:?}, want {:?}",
                        case.name,
                        profiles(&set),
                        expected(want)
                    ));
                }
            }
            (Err(want), Err(e)) => {
                if !e.to_string().contains(want) {
                    failures.push(format!("{}: error `{e}` lacks `{want}`", case.name));
                }
            }
            (Ok(_), Err(e)) => failures.push(format!("{}: unexpected error `{e}`", case.name)),
            (Err(want), Ok(set)) => failures.push(format!(
                "{}: expected error `{want}`, parsed {:?}",
                case.name,
                profiles(&set)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn sso_sessions_and_services_sections() {
    let config = "[profile dev]\nregion = us-west-2\nservices = local\n\
                  credential_process = /opt/bin/creds --profile dev\n\
                  [services local]\nproton =\n  endpoint_url = http://localhost:4566\n  Other_Key = a=b\n\
                  s3 = plain-value-ignored\n\
                  [sso-session corp]\nsso_region = us-east-1\n\
                  [weird thing]\nx = y\n";
    let set = ProfileSet::from_strs("dev", config, "").unwrap();
    assert_eq!(set.get("region"), Some("us-west-2"));
    assert_eq!(
        set.service_setting("proton", "endpoint_url"),
        Some("http://localhost:4566")
    );
    assert_eq!(
        set.service_setting("PROTON", "ENDPOINT_URL"),
        Some("http://localhost:4566")
    );
    let local = set.services_section("local").unwrap();
    assert_eq!(local.get("proton", "other_key"), Some("a=b"));
    assert_eq!(local.service_names().collect::<Vec<_>>(), ["proton", "s3"]);
    assert_eq!(local.get("s3", "anything"), None);
    assert_eq!(
        set.sso_session("corp").unwrap().get("sso_region"),
        Some("us-east-1")
    );
    // sso-session and services sections are not profiles
    assert_eq!(set.profile_names().collect::<Vec<_>>(), ["dev"]);
    let warnings: Vec<_> = set.warnings().collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("[weird thing]") && w.contains("unknown section type")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("plain-value-ignored")),
        "{warnings:?}"
    );
}

#[test]
fn service_setting_needs_the_profile_to_name_the_section() {
    let config = "[default]\nregion = x\n[services local]\nproton =\n  endpoint_url = http://a\n";
    let set = ProfileSet::from_strs("default", config, "").unwrap();
    assert_eq!(set.service_setting("proton", "endpoint_url"), None);
    assert!(set.services_section("local").is_some());
}

#[test]
fn property_locations_and_case_insensitive_get() {
    let set = ProfileSet::from_strs(
        "dev",
        "# c\n[profile dev]\n\nRegion = eu-west-1\n",
        "[dev]\naws_access_key_id = AK\n",
    )
    .unwrap();
    let profile = set.selected_profile().unwrap();
    assert_eq!(profile.get("REGION"), Some("eu-west-1"));
    let region = profile.property("region").unwrap();
    assert_eq!(region.location().line(), 4);
    assert_eq!(region.location().kind(), FileKind::Config);
    assert_eq!(region.location().to_string(), "config file line 4");
    let key = profile.property("aws_access_key_id").unwrap();
    assert_eq!(key.location().kind(), FileKind::Credentials);
    assert_eq!(key.location().line(), 2);
}

#[test]
fn ignored_sections_are_explained() {
    let set =
        ProfileSet::from_strs("dev", "[dev]\nregion = x\n", "[profile dev]\na = b\n").unwrap();
    assert!(set.selected_profile().is_none());
    let about: Vec<_> = set.warnings_about("dev").collect();
    assert_eq!(about.len(), 2, "{about:?}");
    assert!(
        about[0].contains("[dev] at config file line 1 ignored"),
        "{about:?}"
    );
    assert!(about[0].contains("[profile dev]"), "{about:?}");
    assert!(
        about[1].contains("[profile dev] at credentials file line 1 ignored"),
        "{about:?}"
    );
}

#[test]
fn debug_redacts_secrets() {
    let set = ProfileSet::from_strs(
        "default",
        "[default]\ncredential_process = /bin/creds --password hunter2\n",
        "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = SECRETKEY\naws_session_token = TOKENVALUE\n",
    )
    .unwrap();
    let debug = format!("{set:?}");
    assert!(debug.contains("AKIDEXAMPLE"), "{debug}");
    for secret in ["SECRETKEY", "TOKENVALUE", "hunter2"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains(REDACTED), "{debug}");
}
