//! Load: 10,000 GetService calls from 256 tasks against one loopback
//! server. Every call succeeds, connections are reused (the server counts
//! them), and once the pool's idle timeout has passed the process holds the
//! same open file descriptors and, within 1 MiB, the same live heap as
//! after a warm-up.
//!
//! Part of `cargo test` (about 8 s in a debug build); for the figures:
//! `cargo test -p workspace-tests --release --test load -- --nocapture`

use aws_json_runtime::config::PoolConfig;
use aws_proton::Client;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use workspace_tests::{test_loader, Reply, TestServer};

/// The system allocator, counting the bytes live at any moment.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter is only arithmetic on the sizes it was given.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            LIVE.fetch_add(
                new_size as isize - layout.size() as isize,
                Ordering::Relaxed,
            );
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const CALLS: usize = 10_000;
const TASKS: usize = 256;
const IDLE: Duration = Duration::from_millis(500);

const SERVICE: &str = r#"{"service":{"name":"web","arn":"arn:aws:proton:us-east-1:1:service/web",
  "templateName":"t","createdAt":1600000000,"lastModifiedAt":1600000000,"status":"ACTIVE",
  "spec":"proton: ServiceSpec","templateMajorVersion":"1","templateMinorVersion":"0"}}"#;

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

fn live_heap() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// `calls` GetService calls spread over `TASKS` tasks; the failures.
async fn run(client: &Client, calls: usize) -> usize {
    let next = Arc::new(AtomicUsize::new(0));
    let failures = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let (client, next, failures) = (client.clone(), next.clone(), failures.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    match client.get_service().name("web").send().await {
                        Ok(output) if output.service.is_some() => {}
                        _ => {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a task panicked");
    }
    failures.load(Ordering::Relaxed)
}

/// Waits until the client's idle connections are closed and the server
/// has seen it.
async fn settle(server: &TestServer) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while server.open_connections() > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The pool's timer and the server tasks finish their last bookkeeping:
    // wait until the process's descriptors stop changing (a busy machine
    // may close the last sockets well after the server saw them go).
    let mut fds = open_fds();
    loop {
        tokio::time::sleep(IDLE * 2).await;
        let now = open_fds();
        if now == fds || tokio::time::Instant::now() >= deadline {
            break;
        }
        fds = now;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_calls_from_256_tasks() {
    let server = TestServer::start(|_| Reply::ok(SERVICE)).await;
    server.set_recording(false);
    let pool = PoolConfig::default().with_idle_timeout(Some(IDLE));
    let client = Client::new(&test_loader(&server.url()).pool_config(pool).load().await);

    // Warm-up: every lazily built thing (TLS roots, pools, task slabs) exists.
    assert_eq!(run(&client, 2 * TASKS).await, 0);
    settle(&server).await;
    let (fds_before, heap_before) = (open_fds(), live_heap());
    let connections_before = server.connections_opened();

    let started = std::time::Instant::now();
    let failures = run(&client, CALLS).await;
    let elapsed = started.elapsed();
    let connections = server.connections_opened() - connections_before;
    let fds_peak = open_fds();
    settle(&server).await;
    let (fds_after, heap_after) = (open_fds(), live_heap());

    println!(
        "load: {CALLS} calls from {TASKS} tasks in {elapsed:.2?}: {failures} failures, \
         {connections} connections opened; open fds {fds_before} before, {fds_peak} at the end \
         of the run, {fds_after} after the idle timeout; live heap {heap_before} bytes before, \
         {heap_after} after ({:+} bytes)",
        heap_after - heap_before
    );
    assert_eq!(failures, 0);
    assert!(
        connections <= CALLS / 10,
        "{connections} connections for {CALLS} calls"
    );
    // Fewer is fine (warm-up leftovers closed late); more is a leak.
    assert!(
        fds_after <= fds_before,
        "file descriptors leaked: {fds_before} before, {fds_after} after"
    );
    assert!(
        heap_after - heap_before <= 1 << 20,
        "live heap grew by {} bytes",
        heap_after - heap_before
    );
}
