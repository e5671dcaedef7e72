//! Pooled connections are released: idle ones close after the pool's idle
//! timeout (the pool's reaper task closes them), and no more than the
//! per-host cap stay idle. The loopback server counts the connections it
//! holds open.

use aws_json_runtime::config::PoolConfig;
use aws_proton::Client;
use std::time::Duration;
use workspace_tests::{test_loader, Reply, TestServer};

const SERVICES: &str = r#"{"services":[]}"#;

async fn burst(client: &Client, calls: usize) {
    let tasks: Vec<_> = (0..calls)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.list_services().send().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

/// Waits until `done`, checking every 20 ms; `false` if it has not happened
/// after `patience` (far longer than it should take: the machine is shared).
async fn eventually(patience: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = tokio::time::Instant::now() + patience;
    while tokio::time::Instant::now() < deadline {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    done()
}

#[tokio::test]
async fn idle_connections_close_after_the_idle_timeout() {
    let server = TestServer::start(|_| Reply::ok(SERVICES).delay(Duration::from_millis(50))).await;
    let pool = PoolConfig::default().with_idle_timeout(Some(Duration::from_millis(300)));
    let client = Client::new(&test_loader(&server.url()).pool_config(pool).load().await);
    burst(&client, 16).await;
    assert!(
        server.connections_opened() > 1,
        "concurrent calls use several connections"
    );
    assert!(server.open_connections() > 0, "kept for reuse at first");
    // The client is still alive: only the idle timeout can close them.
    assert!(
        eventually(Duration::from_secs(20), || server.open_connections() == 0).await,
        "{} connections still open",
        server.open_connections()
    );
    // And a later call opens a fresh one and works.
    client.list_services().send().await.unwrap();
}

#[tokio::test]
async fn no_more_than_the_per_host_cap_stay_idle() {
    let server = TestServer::start(|_| Reply::ok(SERVICES).delay(Duration::from_millis(50))).await;
    let pool = PoolConfig::default()
        .with_idle_timeout(Some(Duration::from_secs(3600)))
        .with_max_idle_per_host(2);
    let client = Client::new(&test_loader(&server.url()).pool_config(pool).load().await);
    burst(&client, 16).await;
    assert!(server.connections_opened() > 2);
    assert!(
        eventually(Duration::from_secs(20), || server.open_connections() <= 2).await,
        "{} connections still open",
        server.open_connections()
    );
}

#[tokio::test]
async fn sequential_calls_reuse_one_connection() {
    let server = TestServer::start(|_| Reply::ok(SERVICES)).await;
    let client = Client::new(&test_loader(&server.url()).load().await);
    for _ in 0..20 {
        client.list_services().send().await.unwrap();
    }
    assert_eq!(server.connections_opened(), 1);
}
