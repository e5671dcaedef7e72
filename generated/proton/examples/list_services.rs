//! Lists every service in the account and region through the paginator:
//! one service at a time, the next page fetched when the previous one is
//! used up.
//!
//! ```text
//! cargo run -p aws-proton --example list_services
//! ```
//!
//! The region, credentials and endpoint come from the environment and the
//! shared files, as for every AWS SDK (`AWS_REGION`, `AWS_PROFILE`,
//! `AWS_ENDPOINT_URL`, ...). `tests/tests/examples.rs` runs
//! [`all_services`] against a loopback server.

use aws_proton::operation::list_services::ListServicesError;
use aws_proton::types::ServiceSummary;
use aws_proton::Client;

/// Every service, page after page.
pub async fn all_services(client: &Client) -> Result<Vec<ServiceSummary>, ListServicesError> {
    let mut items = client.list_services().into_paginator().items();
    let mut services = Vec::new();
    while let Some(service) = items.next().await {
        services.push(service?);
    }
    Ok(services)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_proton::config::from_env().await;
    let client = Client::new(&config);
    for service in all_services(&client).await? {
        println!("{}\t{}\t{}", service.name, service.status, service.arn);
    }
    Ok(())
}
