//! The bench program on `aws-proton` (this repository's generated client).
//! Equivalent, call for call, to `bench/official/src/main.rs`.
//!
//! ```text
//! bench-ours demo <endpoint-url> <region>
//! bench-ours load <endpoint-url> <region> <requests> <concurrency> <max-seconds>
//! bench-ours large <endpoint-url> <region> <calls>
//! bench-ours codec <list-service-instances.json> <iterations>
//! ```

use aws_proton::config::{Credentials, Region};
use aws_proton::operation::list_service_instances::{
    ListServiceInstancesInput, ListServiceInstancesOutput,
};
use aws_proton::types::{ListServiceInstancesFilter, ListServiceInstancesFilterBy};
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
/// `max_seconds`; prints `requests=… seconds=… rps=… p50_us=… p99_us=…`.
async fn load(
    client: Client,
    requests: usize,
    concurrency: usize,
    max_seconds: f64,
) -> Result<(), Error> {
    for _ in 0..concurrency.min(requests) {
        client.get_service().name("warm-up").send().await?;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs_f64(max_seconds);
    let started = Instant::now();
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
    let elapsed = started.elapsed();
    report(latencies, elapsed);
    Ok(())
}

fn report(mut latencies: Vec<Duration>, elapsed: Duration) {
    latencies.sort();
    let pct = |p: f64| {
        let rank = ((p / 100.0) * latencies.len() as f64).ceil() as usize;
        latencies[rank.clamp(1, latencies.len()) - 1].as_secs_f64() * 1e6
    };
    println!(
        "requests={} seconds={:.3} rps={:.1} p50_us={:.1} p99_us={:.1}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(50.0),
        pct(99.0),
    );
    let all: Vec<String> = latencies
        .iter()
        .map(|d| format!("{:.1}", d.as_secs_f64() * 1e6))
        .collect();
    println!("latencies_us={}", all.join(","));
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

/// Parses the 1,000-item ListServiceInstances answer in `path` and serializes
/// a ListServiceInstancesInput of as many filters, `iterations` times each,
/// through the runtime's JSON codec (what `send()` does, minus the network).
fn codec(path: &str, iterations: usize) -> Result<(), Error> {
    let body = std::fs::read(path)?;
    let parse = |b: &[u8]| aws_json_runtime::json::from_slice::<ListServiceInstancesOutput>(b);
    let items = parse(&body)?.service_instances.len();
    let started = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(parse(std::hint::black_box(&body))?);
    }
    let parse_us = started.elapsed().as_secs_f64() * 1e6 / iterations as f64;

    let filters = (0..items)
        .map(|i| {
            ListServiceInstancesFilter::builder()
                .key(ListServiceInstancesFilterBy::EnvironmentName)
                .value(format!("environment-{i}"))
                .build()
        })
        .collect();
    let input = ListServiceInstancesInput::builder()
        .service_name("bench")
        .set_filters(Some(filters))
        .max_results(100)
        .build();
    let written = aws_json_runtime::json::to_vec(&input)?.len();
    let started = Instant::now();
    for _ in 0..iterations {
        std::hint::black_box(aws_json_runtime::json::to_vec(std::hint::black_box(&input))?);
    }
    let serialize_us = started.elapsed().as_secs_f64() * 1e6 / iterations as f64;
    println!(
        "items={items} parse_bytes={} parse_us={parse_us:.1} parse_mb_s={:.1} serialize_bytes={written} serialize_us={serialize_us:.1} serialize_mb_s={:.1}",
        body.len(),
        body.len() as f64 / parse_us,
        written as f64 / serialize_us,
    );
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
        ["codec", path, n] => codec(path, n.parse()?),
        _ => {
            eprintln!(
                "usage: bench-ours demo URL REGION | load URL REGION N C SECS | large URL REGION N | codec FILE N"
            );
            std::process::exit(2)
        }
    }
}
