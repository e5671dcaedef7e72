//! Which container-credential endpoints plain `http` may reach, and pinning
//! the request to the address that was checked.
//!
//! A full URI over `http` is accepted only when every address its host
//! resolves to is loopback, `169.254.170.2` (ECS), `169.254.170.23` or
//! `fd00:ec2::23` (EKS). The host is resolved once, here; the request then
//! goes to the first checked address, with the URI's host in `Host`, so a
//! second lookup (a DNS-rebinding window) never happens. `https` needs no
//! check: TLS authenticates the host whatever it resolves to.

use crate::http::BoxFuture;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

/// Hosts plain `http` may go to besides loopback.
const ALLOWED_IPS: [IpAddr; 3] = [
    IpAddr::V4(Ipv4Addr::new(169, 254, 170, 2)),
    IpAddr::V4(Ipv4Addr::new(169, 254, 170, 23)),
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x23)),
];

type ResolveFn =
    dyn Fn(String, u16) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>> + Send + Sync;

/// Resolves a host name (the system resolver, or a test's).
#[derive(Clone)]
pub(crate) struct Resolver(Arc<ResolveFn>);

impl Resolver {
    /// The system resolver.
    pub(crate) fn system() -> Self {
        Self(Arc::new(|host, port| {
            Box::pin(async move {
                Ok(tokio::net::lookup_host((host.as_str(), port))
                    .await?
                    .map(|a| a.ip())
                    .collect())
            })
        }))
    }

    /// A resolver answering with `resolve`.
    #[cfg(test)]
    pub(crate) fn from_fn(
        resolve: impl Fn(String, u16) -> BoxFuture<'static, std::io::Result<Vec<IpAddr>>>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        Self(Arc::new(resolve))
    }
}

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Resolver")
    }
}

/// Where a credentials request goes: the URL to connect to and, when that
/// URL names a checked address instead of the configured host, the `Host`
/// header to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pinned {
    pub url: String,
    pub host: Option<String>,
}

impl Pinned {
    /// A URL sent as it is.
    pub(crate) fn as_is(url: String) -> Self {
        Self { url, host: None }
    }
}

fn is_allowed(ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    };
    ip.is_loopback() || ALLOWED_IPS.contains(&ip)
}

/// Accepts https as it is; accepts http only when all of the host's
/// addresses are allowed, and then pins the request to the first of them.
pub(crate) async fn pin_full_uri(text: &str, resolver: &Resolver) -> Result<Pinned, String> {
    let uri: http::Uri = text
        .parse()
        .map_err(|e| format!("it is not a valid URL ({e})"))?;
    match uri.scheme_str() {
        Some("https") => return Ok(Pinned::as_is(text.to_owned())),
        Some("http") => {}
        Some(other) => return Err(format!("the scheme must be https or http, not `{other}`")),
        None => return Err("it is not an absolute URL".to_owned()),
    }
    let host = uri.host().ok_or("it has no host")?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let port = uri.port_u16().unwrap_or(80);
    let literal = bare.parse::<IpAddr>().ok();
    let addresses: Vec<IpAddr> = match literal {
        Some(ip) => vec![ip],
        None => (resolver.0)(bare.to_owned(), port)
            .await
            .map_err(|e| format!("could not resolve `{host}` to check that it is allowed: {e}"))?,
    };
    let Some(first) = addresses.first().copied() else {
        return Err(format!("`{host}` resolves to no address"));
    };
    let refused: Vec<String> = addresses
        .iter()
        .filter(|ip| !is_allowed(**ip))
        .map(ToString::to_string)
        .collect();
    if !refused.is_empty() {
        let which = match literal {
            Some(_) => format!("{host} is not one of them"),
            None => format!("`{host}` resolves to {}", refused.join(", ")),
        };
        return Err(format!(
            "plain http is allowed only to loopback addresses, 169.254.170.2, 169.254.170.23 and fd00:ec2::23, and {which}; use https"
        ));
    }
    if literal.is_some() {
        return Ok(Pinned::as_is(text.to_owned()));
    }
    let address = match first {
        IpAddr::V4(v4) => format!("{v4}:{port}"),
        IpAddr::V6(v6) => format!("[{v6}]:{port}"),
    };
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    Ok(Pinned {
        url: format!("http://{address}{path}"),
        host: Some(match uri.port_u16() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_owned(),
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A resolver giving each answer in turn (the last forever), counting lookups.
    fn answering(answers: Vec<Vec<IpAddr>>) -> (Resolver, Arc<AtomicUsize>) {
        let lookups = Arc::new(AtomicUsize::new(0));
        let counted = lookups.clone();
        let resolver = Resolver::from_fn(move |_, _| {
            let n = counted.fetch_add(1, Ordering::SeqCst);
            let answer = answers[n.min(answers.len() - 1)].clone();
            Box::pin(async move { Ok(answer) })
        });
        (resolver, lookups)
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[tokio::test]
    async fn a_name_is_resolved_once_and_the_checked_address_pinned() {
        let (resolver, lookups) = answering(vec![vec![ip("127.0.0.1")], vec![ip("10.0.0.1")]]);
        let pinned = pin_full_uri("http://creds.invalid:8080/v1/x?a=b", &resolver)
            .await
            .unwrap();
        assert_eq!(
            pinned,
            Pinned {
                url: "http://127.0.0.1:8080/v1/x?a=b".to_owned(),
                host: Some("creds.invalid:8080".to_owned()),
            }
        );
        assert_eq!(lookups.load(Ordering::SeqCst), 1);
    }

    /// Addresses that must be refused or allowed, checked without
    /// connecting anywhere.
    #[tokio::test]
    async fn every_resolved_address_must_be_allowed() {
        for (answer, allowed) in [
            (vec![ip("10.0.0.1")], false),
            (vec![ip("127.0.0.1"), ip("10.0.0.1")], false),
            (vec![ip("169.254.169.254")], false),
            (vec![ip("::ffff:10.0.0.1")], false),
            (vec![ip("169.254.170.2")], true),
            (vec![ip("169.254.170.23")], true),
            (vec![ip("fd00:ec2::23")], true),
            (vec![ip("::ffff:127.0.0.1")], true),
            (vec![ip("::1"), ip("127.0.0.2")], true),
        ] {
            let (resolver, _) = answering(vec![answer.clone()]);
            let result = pin_full_uri("http://name.invalid/creds", &resolver).await;
            assert_eq!(result.is_ok(), allowed, "{answer:?}: {result:?}");
        }
        let (resolver, _) = answering(vec![vec![ip("fd00:ec2::23")]]);
        let pinned = pin_full_uri("http://eks.invalid/v1", &resolver)
            .await
            .unwrap();
        assert_eq!(pinned.url, "http://[fd00:ec2::23]:80/v1");
        assert_eq!(pinned.host.as_deref(), Some("eks.invalid"));
        let (resolver, _) = answering(vec![vec![]]);
        let err = pin_full_uri("http://none.invalid/", &resolver)
            .await
            .unwrap_err();
        assert_eq!(err, "`none.invalid` resolves to no address");
    }

    #[tokio::test]
    async fn https_and_address_literals_are_not_resolved() {
        let (resolver, lookups) = answering(vec![vec![ip("10.0.0.1")]]);
        for url in [
            "https://creds.example/x",
            "http://127.0.0.1:9/x",
            "http://[::1]/x",
            "http://169.254.170.2/v2/credentials/abc",
        ] {
            let pinned = pin_full_uri(url, &resolver).await.unwrap();
            assert_eq!(pinned, Pinned::as_is(url.to_owned()));
        }
        assert_eq!(lookups.load(Ordering::SeqCst), 0);
    }

    /// The one connecting test: loopback only. The resolver answers the
    /// allowed loopback address first and a refused one after (a rebinding
    /// attack); the request still goes where the check said, with the
    /// configured name in `Host`, after a single lookup.
    #[tokio::test]
    async fn the_provider_connects_to_the_checked_address() {
        use crate::credentials::container::ContainerCredentialsProvider;
        use crate::env::Env;
        use crate::provider_config::ProviderConfig;
        use crate::test_util::{Reply, TestServer};
        let creds = r#"{"AccessKeyId":"AKID","SecretAccessKey":"S","Token":"T","Expiration":"2099-01-01T00:00:00Z"}"#;
        let server = TestServer::start(vec![Reply::ok(creds)]).await;
        let port = server.url().rsplit(':').next().unwrap().to_owned();
        let full = format!("http://creds.invalid:{port}/creds");
        let (resolver, lookups) = answering(vec![vec![ip("127.0.0.1")], vec![ip("10.0.0.1")]]);
        let provider = ContainerCredentialsProvider::new(&ProviderConfig::new(Env::from_vars([(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            full.as_str(),
        )])))
        .with_resolver(resolver);
        let credentials = provider.credentials().await.unwrap();
        assert_eq!(credentials.access_key_id(), "AKID");
        let requests = server.requests();
        assert_eq!(requests.len(), 1);
        assert_eq!(requests[0].path, "/creds");
        assert_eq!(
            requests[0].header("host"),
            Some(format!("creds.invalid:{port}").as_str())
        );
        assert_eq!(lookups.load(Ordering::SeqCst), 1, "resolved once");
    }
}
