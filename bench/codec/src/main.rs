//! The codec rows of the bench: the runtime's JSON codec (what the generated
//! `aws-proton` types use) against `serde_json` with `serde` derive on
//! mirror structs of the same shapes (`mirror.rs`), in one program and one
//! run. A program of its own, so `serde` never enters `bench-ours`, whose
//! build time and size are measured against the official SDK's.
//!
//! ```text
//! bench-codec <list-service-instances.json> <get-service.json> <iterations>
//! ```

mod mirror;

use aws_json_runtime::json;
use aws_proton::operation::get_service::GetServiceOutput;
use aws_proton::operation::list_service_instances::{
    ListServiceInstancesInput, ListServiceInstancesOutput,
};
use aws_proton::types::{ListServiceInstancesFilter, ListServiceInstancesFilterBy};
use std::time::Instant;

type Error = Box<dyn std::error::Error + Send + Sync>;

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

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [list, get, n] => codec(list, get, n.parse()?),
        _ => {
            eprintln!("usage: bench-codec LIST-FILE GET-FILE ITERATIONS");
            std::process::exit(2)
        }
    }
}
