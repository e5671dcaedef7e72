//! The loopback server both bench programs call: a fixed AWS JSON 1.0 answer
//! per operation (by `X-Amz-Target`), HTTP/1.1 keep-alive, one thread per
//! connection, std only. It does not check signatures.
//!
//! ```text
//! bench-server                     # prints `listening on http://127.0.0.1:PORT`, serves until killed
//! bench-server dump-instances N    # prints the N-item ListServiceInstances answer
//! ```

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
    list_page_1: String,
    list_page_2: String,
    get: String,
    create: String,
    instances: String,
}

impl Answers {
    fn new() -> Self {
        Self {
            list_page_1: format!(
                r#"{{"services":[{},{}],"nextToken":"page-2"}}"#,
                summary("alpha"),
                summary("beta")
            ),
            list_page_2: format!(r#"{{"services":[{}]}}"#, summary("gamma")),
            get: format!(r#"{{"service":{}}}"#, service("bench-service")),
            create: format!(r#"{{"service":{}}}"#, service("bench-created")),
            instances: instances(INSTANCES),
        }
    }

    fn answer(&self, operation: &str, body: &[u8]) -> (u16, &str) {
        match operation {
            "ListServices" if contains(body, b"nextToken") => (200, &self.list_page_2),
            "ListServices" => (200, &self.list_page_1),
            "GetService" => (200, &self.get),
            "CreateService" => (200, &self.create),
            "ListServiceInstances" => (200, &self.instances),
            _ => (
                400,
                r#"{"__type":"com.amazonaws.proton#ValidationException","message":"not in the bench"}"#,
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
        out.extend_from_slice(answer.as_bytes());
        writer.write_all(&out)?;
        if close {
            return Ok(());
        }
    }
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [cmd, n] = args.as_slice() {
        if cmd == "dump-instances" {
            println!("{}", instances(n.parse().unwrap_or(INSTANCES)));
            return Ok(());
        }
    }
    let listener = TcpListener::bind("127.0.0.1:0")?;
    println!("listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    let answers = Arc::new(Answers::new());
    for stream in listener.incoming() {
        let stream = stream?;
        let answers = answers.clone();
        std::thread::spawn(move || {
            let _ = serve(stream, &answers);
        });
    }
    Ok(())
}
