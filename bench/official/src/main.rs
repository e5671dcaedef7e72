//! The bench program on the official AWS SDK for Rust (`aws-sdk-proton`).
//! Equivalent, call for call, to `bench/ours/src/main.rs`.
//!
//! ```text
//! bench-official demo <endpoint-url> <region>
//! bench-official load <endpoint-url> <region> <requests> <concurrency> <max-seconds>
//! bench-official large <endpoint-url> <region> <calls>
//! bench-official codec <file> <iterations>   # prints codec=n/a: the SDK's codec is private
//! ```

// aws-sdk-proton marks every operation deprecated ("AWS Proton is not
// accepting new customers"); the bench calls them all the same.
#![allow(deprecated)]

#[global_allocator]
static ALLOC: bench_common::CountingAlloc = bench_common::CountingAlloc;

use aws_config::BehaviorVersion;
use aws_sdk_proton::config::{Credentials, Region};
use aws_sdk_proton::Client;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

async fn client(endpoint_url: &str, region: &str) -> Client {
    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint_url)
        .credentials_provider(Credentials::new(
            "AKIDBENCH",
            "bench/secret",
            None,
            None,
            "bench",
        ))
        .load()
        .await;
    Client::new(&config)
}

async fn demo(client: &Client) -> Result<(), Error> {
    let mut pages = client.list_services().into_paginator().send();
    while let Some(page) = pages.next().await {
        for service in page?.services() {
            println!("service\t{}\t{}\t{}", service.name(), service.status(), service.arn());
        }
    }
    let got = client.get_service().name("bench-service").send().await?;
    if let Some(service) = got.service() {
        println!("get\t{}\t{}", service.name(), service.status());
    }
    let created = client
        .create_service()
        .name("bench-created")
        .template_name("bench-template")
        .template_major_version("1")
        .spec("proton: ServiceSpec\n")
        .send()
        .await?;
    if let Some(service) = created.service() {
        println!("create\t{}\t{}", service.name(), service.status());
    }
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

/// `calls` sequential ListServiceInstances calls answered with the server's
/// 1,000-item page; prints `calls=… us_per_call=… items=…`.
async fn large(client: &Client, calls: usize) -> Result<(), Error> {
    let mut items = client.list_service_instances().send().await?.service_instances().len();
    let started = Instant::now();
    for _ in 0..calls {
        items = client.list_service_instances().send().await?.service_instances().len();
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
        ["codec", ..] => {
            // The SDK's JSON (de)serializers are private to the crate; there is
            // nothing to call without the HTTP pipeline.
            println!("codec=n/a");
            Ok(())
        }
        _ => {
            eprintln!("usage: bench-official demo URL REGION | load URL REGION N C SECS | large URL REGION N | codec FILE N");
            std::process::exit(2)
        }
    }
}
