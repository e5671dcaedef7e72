//! HTTP proxies for the default HTTP client: which requests go through
//! one (`HTTPS_PROXY` / `https_proxy` for `https://` URLs, `HTTP_PROXY` /
//! `http_proxy` for `http://` ones, `NO_PROXY` / `no_proxy` for the
//! exceptions, or the loader's setting), and the connector that opens an
//! HTTP `CONNECT` tunnel through the proxy for each connection (TLS then
//! runs end to end inside it, so the proxy sees only the host and port).
//!
//! Proxy credentials come from the URL (`http://user:pass@proxy:3128`) and
//! are sent as `Proxy-Authorization: Basic`; they are never printed
//! (`Debug` shows `http://***@proxy:3128`). Only `http://` proxy URLs
//! are supported; anything else is a configuration error rather than a
//! silent direct connection. Requests to instance metadata and container
//! credentials never use the proxy: they get a client of their own.

use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::proxy::matcher::Matcher;
use hyper_util::rt::TokioIo;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::net::TcpStream;

use crate::endpoint::redact_url;
use crate::env::Env;

/// Where requests go through a proxy.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    http: Option<String>,
    https: Option<String>,
    no_proxy: Option<String>,
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("http", &self.http.as_deref().map(redact_url))
            .field("https", &self.https.as_deref().map(redact_url))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

/// A proxy setting that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyError(String);

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProxyError {}

impl ProxyConfig {
    /// No proxy at all, whatever the environment says.
    pub fn none() -> Self {
        Self::default()
    }

    /// Every request (`http://` and `https://`) through `url`.
    pub fn all(url: impl Into<String>) -> Self {
        let url = url.into();
        Self {
            http: Some(url.clone()),
            https: Some(url),
            no_proxy: None,
        }
    }

    /// `http://` requests through `url`.
    pub fn with_http(mut self, url: impl Into<String>) -> Self {
        self.http = Some(url.into());
        self
    }

    /// `https://` requests through `url`.
    pub fn with_https(mut self, url: impl Into<String>) -> Self {
        self.https = Some(url.into());
        self
    }

    /// Hosts that bypass the proxy: a comma-separated list of names (a
    /// name also matches its subdomains), IP addresses or CIDR ranges, or
    /// `*` for all.
    pub fn with_no_proxy(mut self, list: impl Into<String>) -> Self {
        self.no_proxy = Some(list.into());
        self
    }

    /// The settings in `env`: `HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, in
    /// upper or lower case (upper case wins).
    pub fn from_env(env: &Env) -> Self {
        let get = |name: &str| {
            env.get(name)
                .or_else(|| env.get(&name.to_ascii_lowercase()))
        };
        Self {
            http: get("HTTP_PROXY"),
            https: get("HTTPS_PROXY"),
            no_proxy: get("NO_PROXY"),
        }
    }

    /// Whether any request would go through a proxy.
    pub fn is_none(&self) -> bool {
        self.http.is_none() && self.https.is_none()
    }

    /// Checks every URL, then builds the matcher.
    pub(crate) fn matcher(&self) -> Result<Matcher, ProxyError> {
        for (which, url) in [("HTTP_PROXY", &self.http), ("HTTPS_PROXY", &self.https)] {
            if let Some(url) = url {
                check_url(which, url)?;
            }
        }
        Ok(Matcher::builder()
            .http(self.http.clone().unwrap_or_default())
            .https(self.https.clone().unwrap_or_default())
            .no(self.no_proxy.clone().unwrap_or_default())
            .build())
    }
}

/// Only `http://host:port` proxies (the scheme may be left out).
fn check_url(which: &str, url: &str) -> Result<(), ProxyError> {
    let shown = redact_url(url);
    let uri: http::Uri = url
        .trim()
        .parse()
        .map_err(|e| ProxyError(format!("invalid {which} `{shown}`: {e}")))?;
    match uri.scheme_str() {
        None | Some("http") => {}
        Some(other) => {
            return Err(ProxyError(format!(
                "unsupported {which} `{shown}`: the `{other}` scheme; only http:// proxies are supported (HTTPS requests are tunnelled through them with CONNECT)"
            )))
        }
    }
    match uri.host() {
        Some(host) if !host.is_empty() => Ok(()),
        _ => Err(ProxyError(format!("invalid {which} `{shown}`: no host"))),
    }
}

use super::BoxError;

/// Connects directly, or through a `CONNECT` tunnel when the matcher says
/// the destination goes through a proxy.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    direct: HttpConnector,
    /// `None`: no proxy configured, every connection is direct.
    matcher: Option<Arc<Matcher>>,
}

impl ProxyConnector {
    pub(crate) fn new(direct: HttpConnector, matcher: Option<Matcher>) -> Self {
        Self {
            direct,
            matcher: matcher.map(Arc::new),
        }
    }
}

impl tower_service::Service<http::Uri> for ProxyConnector {
    type Response = TokioIo<TcpStream>;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        tower_service::Service::<http::Uri>::poll_ready(&mut self.direct, cx).map_err(Into::into)
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        let mut direct = self.direct.clone();
        match self.matcher.as_ref().and_then(|m| m.intercept(&dst)) {
            None => Box::pin(async move { direct.call(dst).await.map_err(Into::into) }),
            Some(intercept) => {
                let mut tunnel = Tunnel::new(intercept.uri().clone(), direct);
                if let Some(auth) = intercept.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                // The tunnel's target needs its port: 80 for http://.
                let dst = with_port(dst);
                Box::pin(async move {
                    tower_service::Service::call(&mut tunnel, dst)
                        .await
                        .map_err(|e| -> BoxError {
                            Box::new(ProxyError(format!("proxy tunnel failed: {e}")))
                        })
                })
            }
        }
    }
}

fn with_port(dst: http::Uri) -> http::Uri {
    if dst.port().is_some() {
        return dst;
    }
    let port = if dst.scheme_str() == Some("http") {
        80
    } else {
        443
    };
    let Some(host) = dst.host() else { return dst };
    let authority = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut parts = dst.clone().into_parts();
    match authority.parse() {
        Ok(authority) => {
            parts.authority = Some(authority);
            http::Uri::from_parts(parts).unwrap_or(dst)
        }
        Err(_) => dst,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_redacted() {
        let debug = format!("{:?}", ProxyConfig::all("http://me:hunter2@proxy:3128"));
        assert!(
            !debug.contains("hunter2") && !debug.contains("me:"),
            "{debug}"
        );
        assert!(debug.contains("http://***@proxy:3128"), "{debug}");
    }

    #[test]
    fn environment_in_either_case() {
        let env = Env::from_vars([
            ("https_proxy", "http://lower:1"),
            ("HTTP_PROXY", "http://upper:2"),
            ("http_proxy", "http://lower:2"),
            ("no_proxy", "internal.example,10.0.0.0/8"),
        ]);
        let config = ProxyConfig::from_env(&env);
        assert_eq!(config.https.as_deref(), Some("http://lower:1"));
        assert_eq!(config.http.as_deref(), Some("http://upper:2"));
        assert_eq!(
            config.no_proxy.as_deref(),
            Some("internal.example,10.0.0.0/8")
        );
        let matcher = config.matcher().unwrap();
        let via = |url: &str| {
            matcher
                .intercept(&url.parse().unwrap())
                .map(|i| i.uri().to_string())
        };
        assert_eq!(
            via("https://proton.us-east-1.amazonaws.com/").as_deref(),
            Some("http://lower:1/")
        );
        assert_eq!(
            via("http://localhost:4566/").as_deref(),
            Some("http://upper:2/")
        );
        assert_eq!(via("https://api.internal.example/"), None);
        assert_eq!(via("https://10.1.2.3/"), None);
        assert!(ProxyConfig::from_env(&Env::from_vars(Vec::<(String, String)>::new())).is_none());
    }

    #[test]
    fn unusable_proxy_urls_are_errors_not_direct_connections() {
        for (url, want) in [
            (
                "https://proxy:3128",
                "unsupported HTTPS_PROXY `https://proxy:3128`: the `https` scheme",
            ),
            (
                "socks5://u:pw@proxy:1080",
                "unsupported HTTPS_PROXY `socks5://***@proxy:1080`: the `socks5` scheme",
            ),
            ("http://", "invalid HTTPS_PROXY `http://`"),
            (
                "http://exa mple:1",
                "invalid HTTPS_PROXY `http://exa mple:1`",
            ),
        ] {
            let err = ProxyConfig::none()
                .with_https(url)
                .matcher()
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(want), "{url}: {err}");
            assert!(!err.contains(":pw@"), "{err}");
        }
    }

    #[test]
    fn tunnel_targets_get_their_port() {
        assert_eq!(
            with_port("http://h/x".parse().unwrap()).to_string(),
            "http://h:80/x"
        );
        assert_eq!(
            with_port("https://h".parse().unwrap()).to_string(),
            "https://h:443/"
        );
        assert_eq!(
            with_port("https://[::1]/".parse().unwrap()).to_string(),
            "https://[::1]:443/"
        );
        assert_eq!(
            with_port("https://h:8443/".parse().unwrap()).to_string(),
            "https://h:8443/"
        );
    }
}
