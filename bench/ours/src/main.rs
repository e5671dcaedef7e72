//! The bench program on `aws-proton` (this repository's generated client).
//! Equivalent, call for call, to `bench/official/src/main.rs`.
//!
//! ```text
//! bench-ours demo <endpoint-url> <region>
//! bench-ours load <endpoint-url> <region> <requests> <concurrency> <max-seconds>
//! bench-ours large <endpoint-url> <region> <calls>
//! bench-ours request <endpoint-url> <region>   # the GetService request as sent, for bench-floor
//! ```

#[global_allocator]
static ALLOC: bench_common::CountingAlloc = bench_common::CountingAlloc;

use aws_proton::config::{Credentials, Region};
use aws_proton::Client;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

async fn client(endpoint_url: &str, region: &str) -> Client {
    let config = aws_proton::config::loader()
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint_url)
        .credentials_provider(Credentials::from_keys("AKIDBENCH", "bench/secret", None))
        .load()
        .await;
    Client::new(&config)
}

async fn demo(client: &Client) -> Result<(), Error> {
    let mut pages = client.list_services().into_paginator();
    while let Some(page) = pages.next().await {
        for service in &page?.services {
            println!("service\t{}\t{}\t{}", service.name, service.status, service.arn);
        }
    }
    let got = client.get_service().name("bench-service").send().await?;
    if let Some(service) = &got.service {
        println!("get\t{}\t{}", service.name, service.status);
    }
    let created = client
        .create_service()
        .name("bench-created")
        .template_name("bench-template")
        .template_major_version("1")
        .spec("proton: ServiceSpec\n")
        .send()
        .await?;
    println!("create\t{}\t{}", created.service.name, created.service.status);
    Ok(())
}

/// `requests` GetService calls from `concurrency` tasks, stopping early after
/// `max_seconds`; prints what [`bench_common::Measure::report`] prints.
async fn load(
    client: Client,
    requests: usize,
    concurrency: usize,
    max_seconds: f64,
) -> Result<(), Error> {
    // Warm-up: one call per task, all at once, so the pool holds as many
    // connections as the run needs (the floor connects its own up front).
    let warm_up: Vec<_> = (0..concurrency.min(requests))
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_service().name("warm-up").send().await })
        })
        .collect();
    for task in warm_up {
        task.await??;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(max_seconds);
    let measure = bench_common::Measure::start();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, next) = (client.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < deadline {
                let t = Instant::now();
                client.get_service().name("bench-service").send().await?;
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

/// An HTTP client that keeps the first request it is given and answers
/// none: what the pipeline hands to the transport, signed.
#[derive(Debug, Default)]
struct Capture(std::sync::Mutex<Option<aws_json_runtime::http::HttpRequest>>);

impl aws_json_runtime::http::HttpClient for Capture {
    fn call(
        &self,
        request: aws_json_runtime::http::HttpRequest,
    ) -> aws_json_runtime::http::BoxFuture<
        '_,
        Result<aws_json_runtime::http::HttpResponse, aws_json_runtime::http::ConnectorError>,
    > {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.get_or_insert(request);
        Box::pin(async {
            Err(aws_json_runtime::http::ConnectorError::new(
                aws_json_runtime::http::ConnectorErrorKind::Other,
                "captured, not sent",
            ))
        })
    }
}

/// Prints the GetService request the load sends (`method=`, `path=`,
/// `header=name: value` in the order sent, `body=`), signed once: what
/// `bench-floor` replays. Hyper adds `content-length` to both.
async fn request(endpoint_url: &str, region: &str) -> Result<(), Error> {
    let capture = Arc::new(Capture::default());
    let config = aws_proton::config::loader()
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint_url)
        .credentials_provider(Credentials::from_keys("AKIDBENCH", "bench/secret", None))
        .http_client(capture.clone())
        .retry_config(aws_json_runtime::retry::RetryConfig::disabled())
        .load()
        .await;
    // The call fails (nothing answers); the request is what matters.
    let _ = Client::new(&config).get_service().name("bench-service").send().await;
    let request = capture
        .0
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .ok_or("the client sent no request")?;
    println!("method={}", request.method());
    println!(
        "path={}",
        request.uri().path_and_query().map_or("/", |p| p.as_str())
    );
    for (name, value) in request.headers() {
        println!("header={name}: {}", value.to_str()?);
    }
    let body = std::str::from_utf8(request.body())?;
    if body.contains('\n') {
        return Err("the body spans lines; the request file holds one".into());
    }
    println!("body={body}");
    Ok(())
}

/// `calls` sequential ListServiceInstances calls answered with the server's
/// 1,000-item page; prints `calls=… us_per_call=… items=…`.
async fn large(client: &Client, calls: usize) -> Result<(), Error> {
    let mut items = client.list_service_instances().send().await?.service_instances.len();
    let started = Instant::now();
    for _ in 0..calls {
        items = client.list_service_instances().send().await?.service_instances.len();
    }
    let per_call = started.elapsed().as_secs_f64() * 1e6 / calls as f64;
    println!("calls={calls} us_per_call={per_call:.1} items={items}");
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["demo", url, region] => demo(&client(url, region).await).await,
        ["load", url, region, n, c, secs] => {
            load(client(url, region).await, n.parse()?, c.parse()?, secs.parse()?).await
        }
        ["large", url, region, n] => large(&client(url, region).await, n.parse()?).await,
        ["request", url, region] => request(url, region).await,
        _ => {
            eprintln!(
                "usage: bench-ours demo URL REGION | load URL REGION N C SECS | large URL REGION N | request URL REGION"
            );
            std::process::exit(2)
        }
    }
}
