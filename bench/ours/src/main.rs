//! The bench program on `aws-proton` (this repository's generated client).
//! Equivalent, call for call, to `bench/official/src/main.rs`.
//!
//! ```text
//! bench-ours demo <endpoint-url> <region>
//! bench-ours load <endpoint-url> <region> <requests> <concurrency> <max-seconds>
//! bench-ours large <endpoint-url> <region> <calls>
//! bench-ours codec <list-service-instances.json> <get-service.json> <iterations>
//! bench-ours request <endpoint-url> <region>   # the GetService request as sent, for bench-floor
//! ```

#[global_allocator]
static ALLOC: bench_common::CountingAlloc = bench_common::CountingAlloc;

use aws_proton::config::{Credentials, Region};
mod mirror;

use aws_proton::operation::get_service::GetServiceOutput;
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

/// The median of `rounds` rounds, each the mean time of `iterations` runs
/// of `f`, in microseconds.
fn median_us(rounds: usize, iterations: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let started = Instant::now();
            for _ in 0..iterations {
                f();
            }
            started.elapsed().as_secs_f64() * 1e6 / iterations as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// The codec against `serde_json` with `serde` derive on mirror structs
/// (`mirror.rs`), same run, median of 5 rounds: parses the 1,000-item
/// ListServiceInstances answer in `list_path`, serializes a
/// ListServiceInstancesInput of as many filters, and parses the small
/// GetService answer in `get_path`, `iterations` times per round (the small
/// parse 100 times as often).
fn codec(list_path: &str, get_path: &str, iterations: usize) -> Result<(), Error> {
    use aws_json_runtime::json;
    const ROUNDS: usize = 5;
    let body = std::fs::read(list_path)?;
    let ours = json::from_slice::<ListServiceInstancesOutput>(&body)?;
    let theirs: mirror::ListServiceInstancesOutput = serde_json::from_slice(&body)?;
    let items = ours.service_instances.len();
    if theirs.service_instances.len() != items
        || theirs.service_instances[0].created_at.secs
            != ours.service_instances[0].created_at.as_secs_f64().floor() as i64
    {
        return Err("the two codecs read the answer differently".into());
    }
    let parse_us = median_us(ROUNDS, iterations, || {
        std::hint::black_box(
            json::from_slice::<ListServiceInstancesOutput>(std::hint::black_box(&body)).ok(),
        );
    });
    let serde_parse_us = median_us(ROUNDS, iterations, || {
        std::hint::black_box(
            serde_json::from_slice::<mirror::ListServiceInstancesOutput>(std::hint::black_box(
                &body,
            ))
            .ok(),
        );
    });

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
    let mirror_input = mirror::ListServiceInstancesInput {
        service_name: Some("bench".to_owned()),
        next_token: None,
        max_results: Some(100),
        filters: Some(
            (0..items)
                .map(|i| mirror::ListServiceInstancesFilter {
                    key: Some(mirror::ListServiceInstancesFilterBy::EnvironmentName),
                    value: Some(format!("environment-{i}")),
                })
                .collect(),
        ),
    };
    let written = json::to_vec(&input)?;
    let serde_written = serde_json::to_vec(&mirror_input)?;
    // Same document, member order aside.
    let as_value = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b);
    if as_value(&written)? != as_value(&serde_written)? {
        return Err("the two codecs wrote different documents".into());
    }
    let serialize_us = median_us(ROUNDS, iterations, || {
        std::hint::black_box(json::to_vec(std::hint::black_box(&input)).ok());
    });
    let serde_serialize_us = median_us(ROUNDS, iterations, || {
        std::hint::black_box(serde_json::to_vec(std::hint::black_box(&mirror_input)).ok());
    });

    let get = std::fs::read(get_path)?;
    let small = iterations * 100;
    json::from_slice::<GetServiceOutput>(&get)?;
    serde_json::from_slice::<mirror::GetServiceOutput>(&get)?;
    let get_parse_ns = 1e3
        * median_us(ROUNDS, small, || {
            std::hint::black_box(
                json::from_slice::<GetServiceOutput>(std::hint::black_box(&get)).ok(),
            );
        });
    let serde_get_parse_ns = 1e3
        * median_us(ROUNDS, small, || {
            std::hint::black_box(
                serde_json::from_slice::<mirror::GetServiceOutput>(std::hint::black_box(&get)).ok(),
            );
        });
    println!(
        "items={items} parse_bytes={} parse_us={parse_us:.1} serde_parse_us={serde_parse_us:.1} \
         serialize_bytes={} serialize_us={serialize_us:.1} serde_serialize_us={serde_serialize_us:.1} \
         get_bytes={} get_parse_ns={get_parse_ns:.0} serde_get_parse_ns={serde_get_parse_ns:.0}",
        body.len(),
        written.len(),
        get.len(),
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
        ["codec", list, get, n] => codec(list, get, n.parse()?),
        ["request", url, region] => request(url, region).await,
        _ => {
            eprintln!(
                "usage: bench-ours demo URL REGION | load URL REGION N C SECS | large URL REGION N | codec LIST-FILE GET-FILE N | request URL REGION"
            );
            std::process::exit(2)
        }
    }
}
