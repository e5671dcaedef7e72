//! `parseURL` and the `URL` record it returns.

/// The record `parseURL` returns: the parts of an `http`/`https` URL that rule
/// sets read through `getAttr`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    scheme: String,
    authority: String,
    path: String,
    normalized_path: String,
    is_ip: bool,
}

impl Url {
    /// `scheme`: `http` or `https`, lowercase, without `://`.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// `authority`: host and port exactly as written (no port is added when the URL
    /// has none), without any userinfo. An IPv6 host keeps its brackets.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// `path`: the path as written; empty when the URL has none (`https://a.com`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `normalizedPath`: the path with a leading and a trailing `/` (`/` when empty).
    pub fn normalized_path(&self) -> &str {
        &self.normalized_path
    }

    /// `isIp`: whether the host is an IPv4 address (four dot-separated numbers of at
    /// most 255) or a bracketed IPv6 address.
    pub fn is_ip(&self) -> bool {
        self.is_ip
    }
}

/// `parseURL(value)`: splits an absolute `http`/`https` URL into a [`Url`].
///
/// `None` (the rule's condition fails) when the URL has a query (even an empty
/// `?`), a scheme other than `http`/`https`, no host, a port that is not a
/// number up to 65535, a malformed IPv6 literal, or whitespace or control
/// characters. A fragment is ignored. Host names are not validated beyond
/// that: `http://99_ab-.com` parses (rule sets use `isValidHostLabel` for that).
pub fn parse_url(value: &str) -> Option<Url> {
    if value.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return None;
    }
    let (scheme, rest) = value.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    // The fragment is never sent, so it takes no part in the endpoint.
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    if rest.contains('?') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    // Userinfo is never part of an endpoint: drop everything up to the last `@`.
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host_port)| host_port);
    let (host, port) = split_host_port(authority)?;
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| p <= 65535);
        if !valid {
            return None;
        }
    }
    let is_ip = host.starts_with('[') || is_ipv4(host);
    let normalized_path = if path.is_empty() {
        "/".to_owned()
    } else if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    Some(Url {
        scheme,
        authority: authority.to_owned(),
        path: path.to_owned(),
        normalized_path,
        is_ip,
    })
}

/// Splits `host[:port]` (host possibly a bracketed IPv6 literal); `None` if the
/// host is empty or malformed.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    let (host, after_host) = if authority.starts_with('[') {
        let close = authority.find(']')?;
        let (host, after) = authority.split_at(close + 1);
        let inner = &host[1..host.len() - 1];
        let valid_ipv6 = inner.contains(':')
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !valid_ipv6 {
            return None;
        }
        (host, after)
    } else {
        let (host, after) = match authority.find(':') {
            Some(colon) => authority.split_at(colon),
            None => (authority, ""),
        };
        if host.is_empty() || host.contains(['[', ']']) {
            return None;
        }
        (host, after)
    };
    match after_host.strip_prefix(':') {
        Some(port) => Some((host, Some(port))),
        None if after_host.is_empty() => Some((host, None)),
        None => None,
    }
}

fn is_ipv4(host: &str) -> bool {
    let mut parts = 0;
    for part in host.split('.') {
        parts += 1;
        let is_octet = !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u32>().is_ok_and(|n| n <= 255);
        if !is_octet {
            return false;
        }
    }
    parts == 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(url: &Url) -> (&str, &str, &str, &str, bool) {
        (
            url.scheme(),
            url.authority(),
            url.path(),
            url.normalized_path(),
            url.is_ip(),
        )
    }

    fn parse(value: &str) -> Url {
        match parse_url(value) {
            Some(url) => url,
            None => panic!("{value} should parse"),
        }
    }

    #[test]
    fn host_without_path() {
        let url = parse("https://example.com");
        assert_eq!(parts(&url), ("https", "example.com", "", "/", false));
        let url = parse("https://example.com/");
        assert_eq!(parts(&url), ("https", "example.com", "/", "/", false));
    }

    #[test]
    fn path_is_kept_and_normalized() {
        let url = parse("https://authority.com/custom-path");
        assert_eq!(
            parts(&url),
            (
                "https",
                "authority.com",
                "/custom-path",
                "/custom-path/",
                false
            )
        );
        let url = parse("http://192.168.1.1/foo/");
        assert_eq!(parts(&url), ("http", "192.168.1.1", "/foo/", "/foo/", true));
        let url = parse("https://a.com/a//b");
        assert_eq!(url.normalized_path(), "/a//b/");
    }

    #[test]
    fn ports_are_kept_as_written_and_never_added() {
        let url = parse("https://authority.com:8000/port");
        assert_eq!(
            parts(&url),
            ("https", "authority.com:8000", "/port", "/port/", false)
        );
        // An explicit default port stays (the rules-engine conformance tests expect
        // `[…]:443` back); a missing one is not filled in.
        assert_eq!(
            parse("http://example.com:80/foo/bar").authority(),
            "example.com:80"
        );
        assert_eq!(parse("https://example.com").authority(), "example.com");
        assert_eq!(parse("http://h:65535").authority(), "h:65535");
    }

    #[test]
    fn ip_addresses() {
        let url = parse("http://192.168.1.1:1234/foo/");
        assert_eq!(
            parts(&url),
            ("http", "192.168.1.1:1234", "/foo/", "/foo/", true)
        );
        let url = parse("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443");
        assert_eq!(
            parts(&url),
            (
                "https",
                "[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443",
                "",
                "/",
                true
            )
        );
        assert!(parse("https://[fe80::1]").is_ip());
        assert!(parse("https://[::ffff:192.0.2.1]/x").is_ip());
        assert!(parse("https://127.0.0.1").is_ip());
        // Not four numbers of at most 255: a (weird) DNS name.
        assert!(!parse("https://999.999.abc.blah").is_ip());
        assert!(!parse("https://256.1.1.1").is_ip());
        assert!(!parse("https://1.2.3").is_ip());
        assert!(!parse("https://1.2.3.4.5").is_ip());
    }

    #[test]
    fn scheme_is_lowercased_and_limited_to_http() {
        assert_eq!(parse("HTTPS://example.com").scheme(), "https");
        assert_eq!(parse_url("acbd://example.com"), None);
        assert_eq!(parse_url("wss://localhost:8443/path"), None);
        assert_eq!(parse_url("example.com"), None);
        assert_eq!(parse_url("://example.com"), None);
    }

    #[test]
    fn queries_are_rejected_fragments_ignored() {
        assert_eq!(parse_url("https://example.com/path?query1=foo"), None);
        assert_eq!(parse_url("https://example.com:8443?foo=bar&faz=baz"), None);
        assert_eq!(parse_url("https://example.com/?"), None);
        let url = parse("https://example.com/p#frag?not-a-query");
        assert_eq!(url.path(), "/p");
    }

    #[test]
    fn userinfo_is_dropped() {
        let url = parse("https://user:pass@example.com:8443/x");
        assert_eq!(url.authority(), "example.com:8443");
    }

    #[test]
    fn host_labels_are_not_validated() {
        assert_eq!(parse("http://99_ab.com").authority(), "99_ab.com");
        assert_eq!(parse("http://99_ab-.com").authority(), "99_ab-.com");
    }

    #[test]
    fn malformed_urls_are_rejected() {
        assert_eq!(parse_url("http://abc.com:a/foo"), None);
        assert_eq!(parse_url("http://abc.com:/foo"), None);
        assert_eq!(parse_url("http://abc.com:65536"), None);
        assert_eq!(parse_url("http://abc.com:123456"), None);
        assert_eq!(parse_url("https:///path"), None);
        assert_eq!(parse_url("https://"), None);
        assert_eq!(parse_url("https://a b.com"), None);
        assert_eq!(parse_url("https://a.com/\n"), None);
        assert_eq!(parse_url("https://[zz::1]"), None);
        assert_eq!(parse_url("https://[::1"), None);
        assert_eq!(parse_url("https://[::1]x"), None);
        assert_eq!(parse_url("https://a]b"), None);
    }
}
