//! A loopback server that misbehaves on purpose, speaking raw HTTP/1.1 over
//! TCP so it can do what a correct server never would: accept a request and
//! stay silent, stop in the middle of a body, or stream a body larger than
//! any client should read. It counts connections and the bytes it
//! managed to write, so tests can show what the client did and did not
//! read.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does after reading a request.
#[derive(Clone, Debug)]
pub enum Misbehaviour {
    /// Never answers (the connection stays open).
    Silent,
    /// Sends `head` (status line and headers, without the blank line) and
    /// `body_start`, then nothing more.
    Stall {
        /// `HTTP/1.1 200 OK\r\ncontent-length: 100`, ...
        head: String,
        /// The part of the body that is sent.
        body_start: Vec<u8>,
    },
    /// Sends `head`, `body_start`, then `chunk` repeatedly until `total`
    /// body bytes were written or the client closed the connection.
    Flood {
        /// Status line and headers, without the blank line.
        head: String,
        /// The first body bytes.
        body_start: Vec<u8>,
        /// Repeated after them.
        chunk: Vec<u8>,
        /// Body bytes in all.
        total: u64,
    },
}

#[derive(Default)]
struct Counters {
    accepted: AtomicUsize,
    requests: AtomicUsize,
    written: AtomicU64,
}

/// The misbehaving server; stops when dropped.
pub struct FaultyServer {
    addr: SocketAddr,
    counters: Arc<Counters>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FaultyServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultyServer {
    /// Starts a server answering every request with `what`.
    pub async fn start(what: Misbehaviour) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let counters = Arc::new(Counters::default());
        let c = counters.clone();
        let task = tokio::spawn(async move {
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((socket, _)) = listener.accept().await {
                c.accepted.fetch_add(1, Ordering::SeqCst);
                connections.spawn(serve(socket, what.clone(), c.clone()));
            }
        });
        Self {
            addr,
            counters,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.counters.accepted.load(Ordering::SeqCst)
    }

    /// Requests read so far.
    pub fn requests(&self) -> usize {
        self.counters.requests.load(Ordering::SeqCst)
    }

    /// Body bytes the server got into the socket (the client's kernel
    /// buffers included), over all connections.
    pub fn body_bytes_written(&self) -> u64 {
        self.counters.written.load(Ordering::SeqCst)
    }
}

async fn serve(mut socket: TcpStream, what: Misbehaviour, counters: Arc<Counters>) {
    if !read_request(&mut socket).await {
        return;
    }
    counters.requests.fetch_add(1, Ordering::SeqCst);
    match what {
        Misbehaviour::Silent => {
            // Hold the connection; the task ends with the server.
            std::future::pending::<()>().await;
        }
        Misbehaviour::Stall { head, body_start } => {
            let _ = socket.write_all(format!("{head}\r\n\r\n").as_bytes()).await;
            if socket.write_all(&body_start).await.is_ok() {
                counters
                    .written
                    .fetch_add(body_start.len() as u64, Ordering::SeqCst);
            }
            std::future::pending::<()>().await;
        }
        Misbehaviour::Flood {
            head,
            body_start,
            chunk,
            total,
        } => {
            if socket
                .write_all(format!("{head}\r\n\r\n").as_bytes())
                .await
                .is_err()
                || socket.write_all(&body_start).await.is_err()
            {
                return;
            }
            let mut sent = body_start.len() as u64;
            counters.written.fetch_add(sent, Ordering::SeqCst);
            while sent < total {
                let n = chunk
                    .len()
                    .min(usize::try_from(total - sent).unwrap_or(usize::MAX));
                if socket.write_all(&chunk[..n]).await.is_err() {
                    return;
                }
                sent += n as u64;
                counters.written.fetch_add(n as u64, Ordering::SeqCst);
            }
        }
    }
}

/// Reads one request (head and `Content-Length` body); `false` if the
/// connection ended first.
async fn read_request(socket: &mut TcpStream) -> bool {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    true
}
