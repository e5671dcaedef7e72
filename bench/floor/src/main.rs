//! The floor of the GetService load: a plain hyper 1 client sending, byte
//! for byte, the request `bench-ours request` captured (its headers in its
//! order, the fixed `Authorization` and `X-Amz-Date` signed once, the same
//! body) with no SDK and no signing work: one connection per task
//! (`hyper::client::conn::http1`, no pool), the answer's body read whole.
//! Whatever ours spends above this is the SDK's.
//!
//! ```text
//! bench-floor load <request-file> <endpoint-url> <requests> <concurrency> <max-seconds>
//! ```
//!
//! The request file is what `bench-ours request` prints: `method=`, `path=`,
//! one `header=name: value` per header, `body=`.

#[global_allocator]
static ALLOC: bench_common::CountingAlloc = bench_common::CountingAlloc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::header::{HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The captured request.
struct Template {
    method: Method,
    path: String,
    headers: HeaderMap,
    body: Bytes,
}

impl Template {
    fn read(path: &str) -> Result<Template, Error> {
        let text = std::fs::read_to_string(path)?;
        let (mut method, mut target, mut body) = (None, None, None);
        let mut headers = HeaderMap::new();
        for line in text.lines() {
            if let Some(m) = line.strip_prefix("method=") {
                method = Some(Method::from_bytes(m.as_bytes())?);
            } else if let Some(p) = line.strip_prefix("path=") {
                target = Some(p.to_owned());
            } else if let Some(h) = line.strip_prefix("header=") {
                let (name, value) = h.split_once(": ").ok_or("a header line without `: `")?;
                headers.append(
                    HeaderName::from_bytes(name.as_bytes())?,
                    HeaderValue::from_str(value)?,
                );
            } else if let Some(b) = line.strip_prefix("body=") {
                body = Some(Bytes::from(b.to_owned()));
            }
        }
        Ok(Template {
            method: method.ok_or("no method= line")?,
            path: target.ok_or("no path= line")?,
            headers,
            body: body.ok_or("no body= line")?,
        })
    }

    fn request(&self) -> Result<Request<Full<Bytes>>, Error> {
        let mut request = Request::builder()
            .method(self.method.clone())
            .uri(self.path.as_str())
            .body(Full::new(self.body.clone()))?;
        *request.headers_mut() = self.headers.clone();
        Ok(request)
    }
}

async fn connect(
    addr: &str,
) -> Result<hyper::client::conn::http1::SendRequest<Full<Bytes>>, Error> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

async fn call(
    sender: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    template: &Template,
) -> Result<(), Error> {
    sender.ready().await?;
    let response = sender.send_request(template.request()?).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    if !status.is_success() {
        return Err(format!("status {status}: {}", String::from_utf8_lossy(&body)).into());
    }
    std::hint::black_box(body);
    Ok(())
}

async fn load(
    template: Template,
    addr: String,
    requests: usize,
    concurrency: usize,
    max_seconds: f64,
) -> Result<(), Error> {
    let template = Arc::new(template);
    let mut senders = Vec::new();
    // Connect and warm up, one call per connection, as the SDK programs do.
    for _ in 0..concurrency {
        let mut sender = connect(&addr).await?;
        call(&mut sender, &template).await?;
        senders.push(sender);
    }
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(max_seconds);
    let measure = bench_common::Measure::start();
    let mut tasks = Vec::new();
    for mut sender in senders {
        let (template, next) = (template.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < deadline {
                let t = Instant::now();
                call(&mut sender, &template).await?;
                latencies.push(t.elapsed());
            }
            Ok::<_, Error>(latencies)
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await??);
    }
    measure.report(latencies);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["load", file, url, n, c, secs] => {
            let addr = url
                .strip_prefix("http://")
                .ok_or("the endpoint URL must be http://HOST:PORT")?
                .trim_end_matches('/')
                .to_owned();
            load(Template::read(file)?, addr, n.parse()?, c.parse()?, secs.parse()?).await
        }
        _ => {
            eprintln!("usage: bench-floor load REQUEST-FILE URL N C SECS");
            std::process::exit(2)
        }
    }
}
