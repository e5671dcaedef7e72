//! The sections a file defines once merged: [`Profile`] (also used for
//! `[sso-session]` sections), its [`Property`] values, and
//! [`ServicesSection`]; `Debug` here never prints a secret.

use super::Location;
use crate::REDACTED;
use std::collections::BTreeMap;
use std::fmt;

/// One `key = value` of a section, with where it was written.
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    pub(super) value: String,
    pub(super) location: Location,
}

impl Property {
    /// The value, trimmed; continuation lines are joined with `\n`.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Where the key was written.
    pub fn location(&self) -> &Location {
        &self.location
    }
}

/// A named section of key/value properties: a profile, or an
/// `[sso-session]` section.
#[derive(Clone, PartialEq, Eq)]
pub struct Profile {
    pub(super) name: String,
    pub(super) properties: BTreeMap<String, Property>,
}

impl Profile {
    pub(super) fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            properties: BTreeMap::new(),
        }
    }

    /// The profile's name (`dev` for `[profile dev]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of `key` (any letter case), if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.property(key).map(Property::value)
    }

    /// The property `key` (any letter case) with its location, if set.
    pub fn property(&self, key: &str) -> Option<&Property> {
        self.properties.get(key.to_ascii_lowercase().as_str())
    }

    /// The keys set, lower-cased, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }

    /// Whether no key is set.
    pub fn is_empty(&self) -> bool {
        self.properties.is_empty()
    }
}

/// Keys whose values `Debug` must not print: secrets, tokens, and
/// `credential_process` (whose arguments may carry secrets).
fn is_sensitive_key(key: &str) -> bool {
    key.contains("secret") || key.contains("token") || key == "credential_process"
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Values<'a>(&'a BTreeMap<String, Property>);
        impl fmt::Debug for Values<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut map = f.debug_map();
                for (k, p) in self.0 {
                    if is_sensitive_key(k) {
                        map.entry(k, &REDACTED);
                    } else {
                        map.entry(k, &p.value);
                    }
                }
                map.finish()
            }
        }
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &Values(&self.properties))
            .finish()
    }
}

impl fmt::Debug for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A property does not know its key, so it cannot tell whether it is
        // a secret: print where it is, never what it is.
        f.debug_struct("Property")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// A `[services NAME]` section: per-service settings, written as
/// sub-properties.
///
/// ```ini
/// [services local]
/// proton =
///   endpoint_url = http://localhost:4566
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicesSection {
    pub(super) name: String,
    pub(super) services: BTreeMap<String, BTreeMap<String, String>>,
}

impl ServicesSection {
    /// The section's name (`local` above).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The setting `key` for `service` (the service's `sdkId`, lower-cased
    /// with spaces as `_`: `proton`); any letter case.
    pub fn get(&self, service: &str, key: &str) -> Option<&str> {
        self.services
            .get(service.to_ascii_lowercase().as_str())?
            .get(key.to_ascii_lowercase().as_str())
            .map(String::as_str)
    }

    /// The services this section configures.
    pub fn service_names(&self) -> impl Iterator<Item = &str> {
        self.services.keys().map(String::as_str)
    }
}
