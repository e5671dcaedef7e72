//! Creates a service from a service template, then waits until Proton
//! reports it created (the model's `ServiceCreated` waiter: polls
//! `GetService` with growing delays until the service is `ACTIVE`, or fails
//! at once when its creation failed).
//!
//! ```text
//! cargo run -p aws-proton --example create_service -- <name> <template> <major-version> <spec.yaml>
//! ```
//!
//! The region, credentials and endpoint come from the environment and the
//! shared files, as for every AWS SDK. `tests/tests/examples.rs` runs
//! [`create_and_wait`] against a loopback server.

use aws_proton::types::Service;
use aws_proton::Client;
use std::error::Error;
use std::time::Duration;

/// What to create.
pub struct NewService<'a> {
    /// The service's name.
    pub name: &'a str,
    /// The service template it is created from.
    pub template: &'a str,
    /// The template's major version.
    pub major_version: &'a str,
    /// The service spec (YAML), as the template expects it.
    pub spec: &'a str,
}

/// Creates `new` and returns the service once Proton reports it created;
/// gives up after `max_wait`.
pub async fn create_and_wait(
    client: &Client,
    new: &NewService<'_>,
    max_wait: Duration,
) -> Result<Service, Box<dyn Error + Send + Sync>> {
    client
        .create_service()
        .name(new.name)
        .template_name(new.template)
        .template_major_version(new.major_version)
        .spec(new.spec)
        .send()
        .await?;
    let created = client
        .wait_until_service_created()
        .name(new.name)
        .wait(max_wait)
        .await?;
    created
        .service
        .ok_or_else(|| "GetService answered without the service".into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error + Send + Sync>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, template, major_version, spec_file] = args.as_slice() else {
        eprintln!("usage: create_service <name> <template> <major-version> <spec.yaml>");
        std::process::exit(2);
    };
    let spec = std::fs::read_to_string(spec_file)
        .map_err(|e| format!("reading the spec {spec_file}: {e}"))?;
    let config = aws_proton::config::from_env().await;
    let client = Client::new(&config);
    let new = NewService {
        name,
        template,
        major_version,
        spec: &spec,
    };
    let service = create_and_wait(&client, &new, Duration::from_secs(30 * 60)).await?;
    println!("{} is {} ({})", service.name, service.status, service.arn);
    Ok(())
}
