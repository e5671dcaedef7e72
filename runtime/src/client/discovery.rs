//! Endpoint discovery (`aws.api#clientEndpointDiscovery`): operations
//! marked `aws.api#clientDiscoveredEndpoint(required: true)` go to an
//! endpoint the service's discovery operation (`DescribeEndpoints`) names.
//!
//! * **Cache**: per client, keyed as the SDKs key it: the access key ID of
//!   the credentials, plus the operation and its identifiers
//!   (`aws.api#clientEndpointDiscoveryId` members) for operations that have
//!   any. At most [`MAX_ENTRIES`] keys; a full cache drops expired entries,
//!   then the one expiring first.
//! * **Expiry**: an entry lives for the `CachePeriodInMinutes` the service
//!   gave, at least one minute and at most a day; a call after that
//!   discovers again.
//! * **Invalidation**: an answer with the modelled error code
//!   (`InvalidEndpointException`) removes the entry the call used, so the
//!   next call discovers again.
//! * **Validation**: a discovered address is a host (with an optional
//!   port), every label a valid host label, over `https`; anything else is
//!   refused before a request is signed for it.
//! * An endpoint URL configured for the client (code, environment,
//!   profile) wins: calls go there without discovery, as they must for a
//!   private (VPC) endpoint.
//!
//! Concurrent calls that miss the cache wait for one discovery call.

use super::abi::Route;
use super::request::Target;
use crate::document::Document;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Endpoint discovery as a service's model states it.
#[derive(Debug)]
pub struct EndpointDiscovery {
    /// The discovery operation (`DescribeEndpoints`).
    pub operation: &'static str,
    /// The error code saying a discovered endpoint is no longer valid
    /// (`InvalidEndpointException`).
    pub invalid_endpoint_error: &'static str,
}

/// The most keys a client's cache holds.
pub const MAX_ENTRIES: usize = 1000;

/// The shortest and longest time a discovered endpoint is used.
const MIN_PERIOD: Duration = Duration::from_secs(60);
const MAX_PERIOD: Duration = Duration::from_secs(24 * 60 * 60);

/// The longest discovered address accepted (a host name is at most 253
/// bytes; a port and a scheme fit in the rest).
const MAX_ADDRESS: usize = 300;

/// What a discovered endpoint is cached under.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Key {
    access_key_id: String,
    /// The operation and its identifiers, for operations that have any.
    operation: Option<(&'static str, Vec<(&'static str, String)>)>,
}

impl Key {
    pub(super) fn new(access_key_id: &str, operation: &'static str, route: &Route) -> Self {
        let identifiers = match route {
            Route::Discovered { identifiers } => identifiers.clone(),
            _ => Vec::new(),
        };
        Self {
            access_key_id: access_key_id.to_owned(),
            operation: (!identifiers.is_empty()).then_some((operation, identifiers)),
        }
    }

    /// The discovery request's body: `{}`, or the operation and its
    /// identifiers.
    pub(super) fn request_body(&self) -> Vec<u8> {
        let Some((operation, identifiers)) = &self.operation else {
            return b"{}".to_vec();
        };
        let identifiers: BTreeMap<String, Document> = identifiers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Document::from(value.as_str())))
            .collect();
        let body = Document::Object(BTreeMap::from([
            ("Operation".to_owned(), Document::from(*operation)),
            ("Identifiers".to_owned(), Document::Object(identifiers)),
        ]));
        // A document of strings always serializes.
        crate::json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec())
    }
}

impl std::fmt::Display for Key {
    /// The operation and identifier names only: never the access key ID.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.operation {
            None => f.write_str("the client's credentials"),
            Some((operation, identifiers)) => {
                write!(f, "{operation}")?;
                for (name, _) in identifiers {
                    write!(f, " {name}")?;
                }
                Ok(())
            }
        }
    }
}

/// A discovered endpoint and when it stops being used.
#[derive(Clone, Debug)]
pub(super) struct Discovered {
    pub(super) target: Target,
    pub(super) url: String,
    expires: Instant,
}

/// A client's discovered endpoints.
#[derive(Debug, Default)]
pub(super) struct Cache {
    entries: Mutex<HashMap<Key, Discovered>>,
    /// Held while discovering: concurrent misses wait for one call.
    pub(super) discovering: tokio::sync::Mutex<()>,
}

impl Cache {
    /// The endpoint cached under `key`, unless it expired.
    pub(super) fn get(&self, key: &Key, now: Instant) -> Option<Discovered> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).filter(|d| d.expires > now).cloned()
    }

    pub(super) fn insert(&self, key: Key, discovered: Discovered, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.retain(|_, d| d.expires > now);
            if entries.len() >= MAX_ENTRIES {
                if let Some(first) = entries
                    .iter()
                    .min_by_key(|(_, d)| d.expires)
                    .map(|(k, _)| k.clone())
                {
                    entries.remove(&first);
                }
            }
        }
        entries.insert(key, discovered);
    }

    /// Forgets the endpoint under `key` if it is still `url` (a newer
    /// discovery is kept).
    pub(super) fn invalidate(&self, key: &Key, url: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.get(key).is_some_and(|d| d.url == url) {
            entries.remove(key);
        }
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// The endpoint a discovery answer names (the first of `Endpoints`),
/// checked, with its expiry; or why the answer is unusable.
pub(super) fn parse_answer(body: &[u8], now: Instant) -> Result<Discovered, String> {
    let document: Document = crate::json::from_slice(body)
        .map_err(|e| format!("the answer is not the expected JSON: {e}"))?;
    let first = document
        .as_object()
        .and_then(|o| o.get("Endpoints"))
        .and_then(Document::as_array)
        .and_then(<[Document]>::first)
        .and_then(Document::as_object)
        .ok_or("the answer lists no endpoint")?;
    let address = first
        .get("Address")
        .and_then(Document::as_str)
        .ok_or("the endpoint has no `Address`")?;
    let minutes = match first.get("CachePeriodInMinutes") {
        None | Some(Document::Null) => 0,
        Some(d) => d
            .as_number()
            .and_then(|n| n.to_i64())
            .ok_or("`CachePeriodInMinutes` is not a whole number")?,
    };
    let period = Duration::from_secs(u64::try_from(minutes).unwrap_or(0).saturating_mul(60))
        .clamp(MIN_PERIOD, MAX_PERIOD);
    let url = endpoint_url(address)?;
    let target = Target::parse(&url)?;
    Ok(Discovered {
        target,
        url,
        expires: now + period,
    })
}

/// `https://<address>` for a discovered address: a host of valid host
/// labels, an optional port, optionally written with `https://`; nothing
/// else (no other scheme, user info, path, query or fragment).
pub(super) fn endpoint_url(address: &str) -> Result<String, String> {
    let shown = crate::client::cap(&address.escape_debug().to_string(), 64);
    let refuse = |why: &str| Err(format!("the discovered address `{shown}` {why}"));
    if address.len() > MAX_ADDRESS {
        return refuse("is too long");
    }
    let authority = match address.split_once("://") {
        None => address,
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") => rest,
        Some(_) => return refuse("is not an https address"),
    };
    let authority = authority.strip_suffix('/').unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        None => (authority, None),
        Some((host, port)) => (host, Some(port)),
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u16>().is_ok_and(|p| p > 0);
        if !valid {
            return refuse("has an unusable port");
        }
    }
    if host.is_empty() || !crate::endpoint::lib::is_valid_host_label(host, true) {
        return refuse("is not a host name of valid host labels");
    }
    Ok(format!("https://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovered_addresses_are_https_hosts_of_valid_labels() {
        for (address, url) in [
            (
                "ingest-cell2.timestream.us-east-1.amazonaws.com",
                "https://ingest-cell2.timestream.us-east-1.amazonaws.com",
            ),
            ("https://a.example.com", "https://a.example.com"),
            ("HTTPS://a.example.com/", "https://a.example.com"),
            ("a.example.com:8443", "https://a.example.com:8443"),
            ("127.0.0.1:443", "https://127.0.0.1:443"),
        ] {
            assert_eq!(endpoint_url(address).as_deref(), Ok(url), "{address}");
        }
        for address in [
            "",
            "http://a.example.com",
            "ftp://a.example.com",
            "user:pw@a.example.com",
            "a.example.com/path",
            "a.example.com?x=1",
            "a.example.com#f",
            "-a.example.com",
            "a..example.com",
            "a_b.example.com",
            "a.example.com:",
            "a.example.com:0",
            "a.example.com:99999",
            "a.example.com:8x",
            "[::1]:443",
            "a.example.com\r\nHost: evil",
            &"a".repeat(400),
        ] {
            let error = endpoint_url(address).expect_err(address);
            assert!(error.starts_with("the discovered address `"), "{error}");
        }
    }

    #[test]
    fn an_answer_gives_its_first_endpoint_for_its_period_within_bounds() {
        let now = Instant::now();
        let answer = br#"{"Endpoints":[{"Address":"a.example.com","CachePeriodInMinutes":10},{"Address":"b.example.com","CachePeriodInMinutes":1}]}"#;
        let d = parse_answer(answer, now).unwrap();
        assert_eq!(d.url, "https://a.example.com");
        assert_eq!(d.expires - now, Duration::from_secs(600));
        let zero = br#"{"Endpoints":[{"Address":"a.example.com","CachePeriodInMinutes":0}]}"#;
        assert_eq!(parse_answer(zero, now).unwrap().expires - now, MIN_PERIOD);
        let huge =
            br#"{"Endpoints":[{"Address":"a.example.com","CachePeriodInMinutes":99999999}]}"#;
        assert_eq!(parse_answer(huge, now).unwrap().expires - now, MAX_PERIOD);
        for (body, why) in [
            (&br#"{"Endpoints":[]}"#[..], "lists no endpoint"),
            (br#"{}"#, "lists no endpoint"),
            (
                br#"{"Endpoints":[{"CachePeriodInMinutes":1}]}"#,
                "no `Address`",
            ),
            (
                br#"{"Endpoints":[{"Address":"a.b","CachePeriodInMinutes":"x"}]}"#,
                "not a whole number",
            ),
            (
                br#"{"Endpoints":[{"Address":"http://a.b"}]}"#,
                "is not an https address",
            ),
            (br#"nope"#, "not the expected JSON"),
        ] {
            let error = parse_answer(body, now).unwrap_err();
            assert!(error.contains(why), "{error}");
        }
    }

    #[test]
    fn keys_hold_the_operation_and_identifiers_only_when_there_are_identifiers() {
        let plain = Key::new(
            "AKID",
            "Write",
            &Route::Discovered {
                identifiers: vec![],
            },
        );
        assert_eq!(
            plain,
            Key::new(
                "AKID",
                "Other",
                &Route::Discovered {
                    identifiers: vec![]
                }
            )
        );
        assert_ne!(
            plain,
            Key::new(
                "AKID2",
                "Write",
                &Route::Discovered {
                    identifiers: vec![]
                }
            )
        );
        assert_eq!(plain.request_body(), b"{}");
        let with_id = Key::new(
            "AKID",
            "Write",
            &Route::Discovered {
                identifiers: vec![("Table", "t1".to_owned())],
            },
        );
        assert_ne!(plain, with_id);
        assert_eq!(
            String::from_utf8(with_id.request_body()).unwrap(),
            r#"{"Identifiers":{"Table":"t1"},"Operation":"Write"}"#
        );
        assert!(!with_id.to_string().contains("AKID"));
        assert!(!plain.to_string().contains("AKID"));
    }

    #[test]
    fn the_cache_is_bounded_and_expires_and_invalidates_entries() {
        let cache = Cache::default();
        let now = Instant::now();
        let answer = |minutes: u64| {
            parse_answer(
                format!(r#"{{"Endpoints":[{{"Address":"a.example.com","CachePeriodInMinutes":{minutes}}}]}}"#).as_bytes(),
                now,
            )
            .unwrap()
        };
        let key = |i: usize| {
            Key::new(
                &format!("AK{i}"),
                "Op",
                &Route::Discovered {
                    identifiers: vec![],
                },
            )
        };
        for i in 0..MAX_ENTRIES + 10 {
            cache.insert(key(i), answer(10 + i as u64), now);
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
        // The entries expiring first went.
        assert!(cache.get(&key(0), now).is_none());
        assert!(cache.get(&key(MAX_ENTRIES + 9), now).is_some());
        let last = key(MAX_ENTRIES + 9);
        assert!(cache
            .get(&last, now + Duration::from_secs(60 * 10_000))
            .is_none());
        cache.invalidate(&last, "https://other.example.com");
        assert!(cache.get(&last, now).is_some());
        cache.invalidate(&last, "https://a.example.com");
        assert!(cache.get(&last, now).is_none());
    }
}
