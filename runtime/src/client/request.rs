//! What an endpoint makes of a request: where it goes ([`Target`]: URI,
//! host prefix, `Host`) and the signing scope its `authSchemes` ask for.

use crate::endpoint::Endpoint;

/// The signing name and region an endpoint's `authSchemes` property asks
/// for (its first `sigv4` scheme), when the rules set one.
pub(super) fn signing_scope(endpoint: &Endpoint) -> (Option<&str>, Option<&str>) {
    let scheme = endpoint
        .property("authSchemes")
        .and_then(crate::Document::as_array)
        .and_then(|schemes| {
            schemes.iter().find(|s| {
                s.as_object()
                    .and_then(|o| o.get("name"))
                    .and_then(crate::Document::as_str)
                    == Some("sigv4")
            })
        })
        .and_then(crate::Document::as_object);
    let get = |key: &str| {
        scheme
            .and_then(|s| s.get(key))
            .and_then(crate::Document::as_str)
    };
    (get("signingName"), get("signingRegion"))
}

/// Where a request goes: the one place a request's URI and `Host` come
/// from. Built from the URL endpoint resolution produced (and the
/// operation's host prefix), checked again on the signed request just
/// before it is sent, so nothing in between can send it elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Target {
    /// `scheme://host[:port]/path/`, without user info.
    uri: http::Uri,
    /// The `Host` header the signature covers.
    host: String,
    /// `host` as a header value, built once.
    host_value: http::HeaderValue,
}

impl Target {
    /// The target of `url`, an endpoint URL: `http` or `https`, a host,
    /// an optional port and base path; no query, fragment or user info is
    /// sent (user info is dropped, the others refused).
    pub(super) fn parse(url: &str) -> Result<Self, String> {
        // `http::Uri` drops a fragment silently; an endpoint URL must not
        // carry one (`https://evil.com#.amazonaws.com`).
        if url.contains('#') {
            return Err("an endpoint URL cannot contain `#`".to_owned());
        }
        let uri: http::Uri = url
            .parse()
            .map_err(|e| format!("it is not a valid URL ({e})"))?;
        let scheme = match uri.scheme_str() {
            Some(s) if s.eq_ignore_ascii_case("https") => "https",
            Some(s) if s.eq_ignore_ascii_case("http") => "http",
            Some(_) => return Err("its scheme must be http or https".to_owned()),
            None => return Err("it is not an absolute URL (http:// or https://)".to_owned()),
        };
        if uri.query().is_some() {
            return Err("an endpoint URL cannot contain a query (`?`)".to_owned());
        }
        let host = uri
            .host()
            .filter(|h| !h.is_empty())
            .ok_or("it has no host")?;
        // The parser reads a port it cannot use (`host:`, `host:0evil.com`)
        // as none; insist that host and port are all the authority says.
        let authority = uri.authority().map_or("", |a| a.as_str());
        let given = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let read = match uri.port_u16() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        if !given.eq_ignore_ascii_case(&read) {
            return Err(format!(
                "`{}` is not a host with an optional port",
                given.escape_debug()
            ));
        }
        Self::build(scheme, host, uri.port_u16(), uri.path())
    }

    fn build(scheme: &str, host: &str, port: Option<u16>, path: &str) -> Result<Self, String> {
        let authority = match port {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        // awsJson requests go to the endpoint's path, which ends in `/`.
        let path = if path.ends_with('/') {
            path.to_owned()
        } else {
            format!("{path}/")
        };
        let uri = http::Uri::builder()
            .scheme(scheme)
            .authority(authority.as_str())
            .path_and_query(path.as_str())
            .build()
            .map_err(|e| format!("`{authority}` is not a valid host ({e})"))?;
        let host = crate::sigv4::host_from_uri(&uri).ok_or("it has no host")?;
        let host_value = http::HeaderValue::from_str(&host)
            .map_err(|_| format!("`{}` is not a valid host", host.escape_debug()))?;
        Ok(Self {
            uri,
            host,
            host_value,
        })
    }

    /// This target with `prefix` (already filled from the input and
    /// checked) in front of its host: `https://a.com` + `x.` → `https://x.a.com`.
    pub(super) fn with_host_prefix(&self, prefix: &str) -> Result<Self, String> {
        let host = self.uri.host().unwrap_or_default();
        Self::build(
            self.uri.scheme_str().unwrap_or("https"),
            &format!("{prefix}{host}"),
            self.uri.port_u16(),
            self.uri.path(),
        )
    }

    /// The URI to send to.
    pub(super) fn uri(&self) -> &http::Uri {
        &self.uri
    }

    /// The `Host` header a request here carries.
    pub(super) fn host_header(&self) -> http::HeaderValue {
        self.host_value.clone()
    }

    /// Whether `request` goes exactly here: its URI and its one `Host` header.
    pub(super) fn is_target_of<B>(&self, request: &http::Request<B>) -> bool {
        let mut hosts = request.headers().get_all(http::header::HOST).iter();
        let one_host = matches!(
            (hosts.next(), hosts.next()),
            (Some(host), None) if host.as_bytes() == self.host.as_bytes()
        );
        one_host && request.uri() == &self.uri
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(url: &str) -> String {
        Target::parse(url).map_or_else(|e| format!("error: {e}"), |t| t.uri().to_string())
    }

    #[test]
    fn request_uris() {
        assert_eq!(
            uri("https://proton.us-east-1.amazonaws.com"),
            "https://proton.us-east-1.amazonaws.com/"
        );
        assert_eq!(uri("http://127.0.0.1:8080"), "http://127.0.0.1:8080/");
        assert_eq!(
            uri("https://example.com/custom"),
            "https://example.com/custom/"
        );
        assert_eq!(
            uri("https://example.com/custom/"),
            "https://example.com/custom/"
        );
        assert_eq!(uri("HTTPS://Example.com"), "https://Example.com/");
        assert_eq!(uri("http://[::1]:9000"), "http://[::1]:9000/");
    }

    #[test]
    fn user_info_is_never_sent_and_odd_urls_are_refused() {
        let t = Target::parse("http://user:pass@example.com:8080/p").unwrap();
        assert_eq!(t.uri().to_string(), "http://example.com:8080/p/");
        assert_eq!(t.host, "example.com:8080");
        for (url, why) in [
            ("https://evil.com#.amazonaws.com", "cannot contain `#`"),
            ("https://evil.com?.amazonaws.com", "cannot contain a query"),
            ("ftp://example.com", "scheme must be http or https"),
            ("http://http://@a", "not a host with an optional port"),
            ("http://@-:0evil.com", "not a host with an optional port"),
            ("http://h:0080", "not a host with an optional port"),
            ("example.com", "not an absolute URL"),
            ("http://a b", "not a valid URL"),
            ("", "not a valid URL"),
        ] {
            let err = Target::parse(url).unwrap_err();
            assert!(err.contains(why), "{url}: {err}");
        }
    }

    #[test]
    fn host_prefixes_go_in_front_of_the_host() {
        let t = Target::parse("https://features.us-east-1.amazonaws.com").unwrap();
        let prefixed = t.with_host_prefix("bucket.data.").unwrap();
        assert_eq!(
            prefixed.uri().to_string(),
            "https://bucket.data.features.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            prefixed.host,
            "bucket.data.features.us-east-1.amazonaws.com"
        );
        // User info cannot swallow a prefix: it is gone before the prefix is added.
        let t = Target::parse("http://u:p@localhost:1").unwrap();
        assert_eq!(
            t.with_host_prefix("x.").unwrap().uri().to_string(),
            "http://x.localhost:1/"
        );
    }

    #[test]
    fn a_request_elsewhere_is_not_the_targets() {
        let t = Target::parse("https://a.example").unwrap();
        let request = |uri: &str, host: Option<&str>| {
            let mut b = http::Request::post(uri);
            if let Some(h) = host {
                b = b.header("host", h);
            }
            b.body(()).unwrap()
        };
        assert!(t.is_target_of(&request("https://a.example/", Some("a.example"))));
        assert!(!t.is_target_of(&request("https://a.example/", None)));
        assert!(!t.is_target_of(&request("https://a.example/", Some("b.example"))));
        assert!(!t.is_target_of(&request("https://b.example/", Some("a.example"))));
        assert!(!t.is_target_of(&request("http://a.example/", Some("a.example"))));
        // A second `Host`, even the right one, is not what was checked.
        let mut twice = request("https://a.example/", Some("a.example"));
        twice.headers_mut().append("host", t.host_header());
        assert!(!t.is_target_of(&twice));
        assert_eq!(t.host_header(), "a.example");
    }

    #[test]
    fn auth_schemes_override_the_signing_scope() {
        let plain = Endpoint::new("https://x");
        assert_eq!(signing_scope(&plain), (None, None));
        let mut scheme = std::collections::BTreeMap::new();
        scheme.insert("name".to_owned(), crate::Document::from("sigv4"));
        scheme.insert("signingName".to_owned(), crate::Document::from("other"));
        scheme.insert(
            "signingRegion".to_owned(),
            crate::Document::from("eu-west-1"),
        );
        let schemes = crate::Document::Array(vec![
            crate::Document::Object(
                [("name".to_owned(), crate::Document::from("sigv4a"))]
                    .into_iter()
                    .collect(),
            ),
            crate::Document::Object(scheme),
        ]);
        let endpoint = Endpoint::new("https://x").with_property("authSchemes", schemes);
        assert_eq!(signing_scope(&endpoint), (Some("other"), Some("eu-west-1")));
    }
}
