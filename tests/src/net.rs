//! Network fakes for TLS trust and proxy tests, all on 127.0.0.1: a
//! certificate authority made at test time (`rcgen`), a TLS front end that
//! terminates TLS with a certificate from it and passes the bytes to a
//! plain [`TestServer`](crate::TestServer), and an HTTP `CONNECT` proxy
//! that counts its tunnels and refuses any target off loopback (it can
//! stand in for DNS: host names it is given go to loopback addresses).

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, SanType};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A CA made for one test, and a server certificate it signed for
/// `localhost`, `127.0.0.1`, `::1` and any host names it was given.
pub struct TestCa {
    ca_pem: String,
    server: Arc<rustls::ServerConfig>,
}

impl TestCa {
    /// Makes the CA and the server certificate.
    pub fn new() -> Self {
        Self::for_hosts(&[])
    }

    /// Makes the CA and a server certificate that also names `hosts`
    /// (reached through [`ConnectProxy::with_hosts`]).
    pub fn for_hosts(hosts: &[&str]) -> Self {
        let ca_key = KeyPair::generate().expect("CA key");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "aws-json test CA");
        let ca = ca_params.self_signed(&ca_key).expect("CA certificate");

        let key = KeyPair::generate().expect("server key");
        let mut names = vec!["localhost".to_owned()];
        names.extend(hosts.iter().map(|h| (*h).to_owned()));
        let mut params = CertificateParams::new(names).expect("server params");
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        params
            .subject_alt_names
            .push(SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        let cert = params
            .signed_by(&key, &ca, &ca_key)
            .expect("server certificate");

        let server = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::aws_lc_rs::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .expect("server TLS config");
        Self {
            ca_pem: ca.pem(),
            server: Arc::new(server),
        }
    }

    /// The CA certificate, PEM: what a client must trust.
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }
}

impl Default for TestCa {
    fn default() -> Self {
        Self::new()
    }
}

/// Terminates TLS on 127.0.0.1 and relays each connection to a plain
/// backend; counts handshakes that succeeded and failed.
pub struct TlsFront {
    addr: SocketAddr,
    ok: Arc<AtomicUsize>,
    groups: Arc<Mutex<Vec<String>>>,
    failed: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn loopback_addr(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .parse()
        .expect("a loopback test server URL")
}

impl TlsFront {
    /// TLS in front of `backend` (a [`TestServer`](crate::TestServer) URL).
    pub async fn start(ca: &TestCa, backend_url: &str) -> Self {
        let backend = loopback_addr(backend_url);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let acceptor = tokio_rustls::TlsAcceptor::from(ca.server.clone());
        let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (ok2, failed2) = (ok.clone(), failed.clone());
        let groups = Arc::new(Mutex::new(Vec::new()));
        let groups2 = groups.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (acceptor, ok, failed) = (acceptor.clone(), ok2.clone(), failed2.clone());
                let groups = groups2.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        failed.fetch_add(1, Ordering::SeqCst);
                        return;
                    };
                    if let Some(group) = tls.get_ref().1.negotiated_key_exchange_group() {
                        groups
                            .lock()
                            .expect("groups lock")
                            .push(format!("{:?}", group.name()));
                    }
                    ok.fetch_add(1, Ordering::SeqCst);
                    if let Ok(mut plain) = TcpStream::connect(backend).await {
                        let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                    }
                });
            }
        });
        Self {
            addr,
            ok,
            groups,
            failed,
            task,
        }
    }

    /// `https://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// Its loopback address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `https://localhost:<port>`.
    pub fn localhost_url(&self) -> String {
        format!("https://localhost:{}", self.addr.port())
    }

    /// Completed TLS handshakes.
    pub fn handshakes(&self) -> usize {
        self.ok.load(Ordering::SeqCst)
    }

    /// The key exchange group each completed handshake used
    /// (`X25519MLKEM768`, `X25519`, ...).
    pub fn key_exchange_groups(&self) -> Vec<String> {
        self.groups.lock().expect("groups lock").clone()
    }

    /// Handshakes the client broke off (it did not trust the certificate).
    pub fn refused_handshakes(&self) -> usize {
        self.failed.load(Ordering::SeqCst)
    }
}

/// An HTTP proxy on 127.0.0.1 that serves `CONNECT` only, to loopback
/// targets and to the `host:port`s it was given loopback addresses for
/// ([`with_hosts`](Self::with_hosts)) only, optionally requiring
/// `Proxy-Authorization: Basic`.
pub struct ConnectProxy {
    addr: SocketAddr,
    hosts: Arc<Mutex<Vec<(String, SocketAddr)>>>,
    tunnels: Arc<Mutex<Vec<String>>>,
    refused: Arc<AtomicUsize>,
    auth_headers: Arc<Mutex<Vec<Option<String>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ConnectProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ConnectProxy {
    /// Starts the proxy; with `basic` (`user:password`) set, tunnels need it.
    pub async fn start(basic: Option<&str>) -> Self {
        use base64::Engine;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let expected = basic.map(|b| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(b)
            )
        });
        let tunnels = Arc::new(Mutex::new(Vec::new()));
        let refused = Arc::new(AtomicUsize::new(0));
        let auth_headers = Arc::new(Mutex::new(Vec::new()));
        let hosts = Arc::new(Mutex::new(Vec::new()));
        let (t, r, a, h) = (
            tunnels.clone(),
            refused.clone(),
            auth_headers.clone(),
            hosts.clone(),
        );
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let tunnel = Tunnel {
                    expected: expected.clone(),
                    hosts: h.clone(),
                    tunnels: t.clone(),
                    refused: r.clone(),
                    auth_headers: a.clone(),
                };
                tokio::spawn(async move {
                    let _ = serve_connect(stream, tunnel).await;
                });
            }
        });
        Self {
            addr,
            hosts,
            tunnels,
            refused,
            auth_headers,
            task,
        }
    }

    /// Tunnels to each `host:port` go to its loopback address from now on:
    /// the proxy plays DNS for names that must never be looked up.
    pub fn with_hosts(self, hosts: &[(&str, SocketAddr)]) -> Self {
        let mut known = self.hosts.lock().unwrap();
        for (host, to) in hosts {
            assert!(
                to.ip().is_loopback(),
                "{host} must go to loopback, not {to}"
            );
            known.push(((*host).to_owned(), *to));
        }
        drop(known);
        self
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://<user:password>@127.0.0.1:<port>`.
    pub fn url_with(&self, userinfo: &str) -> String {
        format!("http://{userinfo}@{}", self.addr)
    }

    /// The `host:port` of every tunnel opened.
    pub fn tunnels(&self) -> Vec<String> {
        self.tunnels.lock().unwrap().clone()
    }

    /// Requests refused (bad credentials, not CONNECT, not loopback).
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::SeqCst)
    }

    /// The `Proxy-Authorization` header of each request.
    pub fn auth_headers(&self) -> Vec<Option<String>> {
        self.auth_headers.lock().unwrap().clone()
    }
}

/// What one proxied connection shares with the proxy.
struct Tunnel {
    expected: Option<String>,
    hosts: Arc<Mutex<Vec<(String, SocketAddr)>>>,
    tunnels: Arc<Mutex<Vec<String>>>,
    refused: Arc<AtomicUsize>,
    auth_headers: Arc<Mutex<Vec<Option<String>>>>,
}

async fn serve_connect(mut client: TcpStream, tunnel: Tunnel) -> std::io::Result<()> {
    let Tunnel {
        expected,
        hosts,
        tunnels,
        refused,
        auth_headers,
    } = tunnel;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    // Byte by byte, so nothing after the head is consumed; 8 KiB at most.
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > 8192 || client.read(&mut byte).await? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let auth = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.eq_ignore_ascii_case("proxy-authorization"))
        .map(|(_, v)| v.trim().to_owned());
    auth_headers.lock().unwrap().push(auth.clone());
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let refuse = |status: &'static str| {
        refused.fetch_add(1, Ordering::SeqCst);
        status
    };
    let answer = if method != "CONNECT" {
        Err(refuse("405 Method Not Allowed"))
    } else if expected.is_some() && auth != expected {
        Err(refuse(
            "407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"",
        ))
    } else {
        // Tests never leave loopback, whatever a client asks for.
        let host = target.rsplit_once(':').map_or("", |(h, _)| h);
        let known = hosts
            .lock()
            .unwrap()
            .iter()
            .find(|(name, _)| name == target)
            .map(|(_, to)| to.to_string());
        let addr = match known {
            Some(to) => Some(to),
            None if matches!(host, "127.0.0.1" | "localhost" | "[::1]") => {
                Some(target.replace("localhost", "127.0.0.1"))
            }
            None => None,
        };
        match addr {
            None => Err(refuse("403 Forbidden")),
            Some(addr) => match TcpStream::connect(addr.as_str()).await {
                Ok(upstream) => Ok(upstream),
                Err(_) => Err(refuse("502 Bad Gateway")),
            },
        }
    };
    match answer {
        Err(status) => {
            client
                .write_all(format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\n\r\n").as_bytes())
                .await
        }
        Ok(mut upstream) => {
            tunnels.lock().unwrap().push(target.to_owned());
            client
                .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
                .await?;
            tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
            Ok(())
        }
    }
}
