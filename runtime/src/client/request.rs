//! What an endpoint makes of a request: its URI, a host prefix in front of
//! its host, and the signing scope its `authSchemes` ask for.

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

/// `endpoint` with `prefix` in front of its host (`https://a.com` + `x.` →
/// `https://x.a.com`); headers and properties are kept.
pub(super) fn with_host_prefix(endpoint: &Endpoint, prefix: &str) -> Endpoint {
    let url = endpoint.url();
    let url = match url.find("://") {
        Some(i) => format!("{}{prefix}{}", &url[..i + 3], &url[i + 3..]),
        None => format!("{prefix}{url}"),
    };
    let mut out = Endpoint::new(url);
    for (name, values) in endpoint.headers() {
        for v in values {
            out = out.with_header(name.clone(), v.clone());
        }
    }
    for (name, value) in endpoint.properties() {
        out = out.with_property(name.clone(), value.clone());
    }
    out
}

/// awsJson requests go to the endpoint's path, which ends in `/`.
pub(super) fn request_uri(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        None => format!("{url}/"),
        Some(_) if url.ends_with('/') => url.to_owned(),
        Some(_) => format!("{url}/"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_uris() {
        assert_eq!(
            request_uri("https://proton.us-east-1.amazonaws.com"),
            "https://proton.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            request_uri("http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(
            request_uri("https://example.com/custom"),
            "https://example.com/custom/"
        );
        assert_eq!(
            request_uri("https://example.com/custom/"),
            "https://example.com/custom/"
        );
    }

    #[test]
    fn host_prefixes_go_in_front_of_the_host() {
        let e = Endpoint::new("https://features.us-east-1.amazonaws.com").with_header("x-a", "1");
        let prefixed = with_host_prefix(&e, "bucket.data.");
        assert_eq!(
            prefixed.url(),
            "https://bucket.data.features.us-east-1.amazonaws.com"
        );
        assert_eq!(prefixed.header("x-a"), Some(&["1".to_owned()][..]));
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
