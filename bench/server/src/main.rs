//! The loopback server the bench programs call: a fixed AWS JSON 1.0 answer
//! per operation (by `X-Amz-Target`), HTTP/1.1 keep-alive. It does not
//! check signatures. Two front ends with the same answers: hyper 1 on a
//! tokio runtime with a stated number of worker threads (the kind of front
//! end a real service has; what `cargo xtask bench` measures against), and
//! the older std one, a thread per connection.
//!
//! ```text
//! bench-server hyper WORKERS       # prints `listening on http://127.0.0.1:PORT`, serves until killed
//! bench-server std                 # the same, std thread per connection
//! bench-server dump-instances N    # prints the N-item ListServiceInstances answer
//! bench-server dump-get            # prints the GetService answer
//! ```

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

/// Items in the large `ListServiceInstances` answer.
const INSTANCES: usize = 1000;

fn service(name: &str) -> String {
    format!(
        r#"{{"name":"{name}","arn":"arn:aws:proton:us-east-1:123456789012:service/{name}","templateName":"bench-template","createdAt":1700000000,"lastModifiedAt":1700000100.5,"status":"ACTIVE","spec":"proton: ServiceSpec\n","description":"a service to bench with","branchName":"main"}}"#
    )
}

fn summary(name: &str) -> String {
    format!(
        r#"{{"name":"{name}","arn":"arn:aws:proton:us-east-1:123456789012:service/{name}","templateName":"bench-template","createdAt":1700000000,"lastModifiedAt":1700000100.5,"status":"ACTIVE"}}"#
    )
}

/// The `ListServiceInstances` answer with `n` items.
fn instances(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"name":"instance-{i}","arn":"arn:aws:proton:us-east-1:123456789012:service/bench/service-instance/instance-{i}","createdAt":1700000000.25,"lastDeploymentAttemptedAt":1700000100,"lastDeploymentSucceededAt":1700000200,"serviceName":"bench","environmentName":"env-{env}","templateName":"bench-template","templateMajorVersion":"1","templateMinorVersion":"{minor}","deploymentStatus":"SUCCEEDED","lastAttemptedDeploymentId":"d-{i:08}","lastSucceededDeploymentId":"d-{i:08}"}}"#,
                env = i % 7,
                minor = i % 3,
            )
        })
        .collect();
    format!(r#"{{"serviceInstances":[{}]}}"#, items.join(","))
}

struct Answers {
    list_page_1: Bytes,
    list_page_2: Bytes,
    get: Bytes,
    create: Bytes,
    instances: Bytes,
}

impl Answers {
    fn new() -> Self {
        Self {
            list_page_1: format!(
                r#"{{"services":[{},{}],"nextToken":"page-2"}}"#,
                summary("alpha"),
                summary("beta")
            )
            .into(),
            list_page_2: format!(r#"{{"services":[{}]}}"#, summary("gamma")).into(),
            get: format!(r#"{{"service":{}}}"#, service("bench-service")).into(),
            create: format!(r#"{{"service":{}}}"#, service("bench-created")).into(),
            instances: instances(INSTANCES).into(),
        }
    }

    /// The status and body for `operation` (cheap: `Bytes` clones share).
    fn answer(&self, operation: &str, body: &[u8]) -> (u16, Bytes) {
        match operation {
            "ListServices" if contains(body, b"nextToken") => (200, self.list_page_2.clone()),
            "ListServices" => (200, self.list_page_1.clone()),
            "GetService" => (200, self.get.clone()),
            "CreateService" => (200, self.create.clone()),
            "ListServiceInstances" => (200, self.instances.clone()),
            _ => (
                400,
                Bytes::from_static(
                    br#"{"__type":"com.amazonaws.proton#ValidationException","message":"not in the bench"}"#,
                ),
            ),
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn serve(stream: TcpStream, answers: &Answers) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    let mut body = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let (mut length, mut operation, mut close) = (0usize, String::new(), false);
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("x-amz-target") {
                operation = value.rsplit('.').next().unwrap_or("").to_owned();
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            }
        }
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
        let (status, answer) = answers.answer(&operation, &body);
        let reason = if status == 200 { "OK" } else { "Bad Request" };
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/x-amz-json-1.0\r\nx-amzn-requestid: bench-request\r\ncontent-length: {}\r\n\r\n",
            answer.len()
        );
        let mut out = Vec::with_capacity(head.len() + answer.len());
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&answer);
        writer.write_all(&out)?;
        if close {
            return Ok(());
        }
    }
}

/// One request on the hyper front end.
async fn answer_hyper(
    answers: Arc<Answers>,
    request: hyper::Request<hyper::body::Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, hyper::Error> {
    let operation = request
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit('.').next())
        .unwrap_or("")
        .to_owned();
    let body = request.into_body().collect().await?.to_bytes();
    let (status, answer) = answers.answer(&operation, &body);
    let mut response = hyper::Response::new(Full::new(answer));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or_default();
    let headers = response.headers_mut();
    headers.insert(
        "content-type",
        hyper::header::HeaderValue::from_static("application/x-amz-json-1.0"),
    );
    headers.insert(
        "x-amzn-requestid",
        hyper::header::HeaderValue::from_static("bench-request"),
    );
    Ok(response)
}

fn serve_hyper(listener: TcpListener, workers: usize, answers: Arc<Answers>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        loop {
            let (stream, _) = listener.accept().await?;
            stream.set_nodelay(true)?;
            let answers = answers.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    answer_hyper(answers.clone(), request)
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

fn serve_std(listener: TcpListener, answers: Arc<Answers>) -> std::io::Result<()> {
    for stream in listener.incoming() {
        let stream = stream?;
        let answers = answers.clone();
        std::thread::spawn(move || {
            let _ = serve(stream, &answers);
        });
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if let ["dump-instances", n] = args.as_slice() {
        println!("{}", instances(n.parse().unwrap_or(INSTANCES)));
        return Ok(());
    }
    if let ["dump-get"] = args.as_slice() {
        println!("{}", String::from_utf8_lossy(&Answers::new().get));
        return Ok(());
    }
    let workers = match args.as_slice() {
        ["hyper", n] => Some(n.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
            std::io::Error::other("bench-server hyper WORKERS: WORKERS must be a positive number")
        })?),
        ["std"] => None,
        _ => {
            eprintln!("usage: bench-server hyper WORKERS | std | dump-instances N | dump-get");
            std::process::exit(2)
        }
    };
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    let answers = Arc::new(Answers::new());
    match workers {
        Some(workers) => serve_hyper(listener, workers, answers),
        None => serve_std(listener, answers),
    }
}
