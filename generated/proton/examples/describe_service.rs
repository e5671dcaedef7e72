//! Describes a service, handling the modelled error a caller expects (no
//! such service) apart from every other failure.
//!
//! ```text
//! cargo run -p aws-proton --example describe_service -- <name>
//! ```
//!
//! The region, credentials and endpoint come from the environment and the
//! shared files, as for every AWS SDK. `tests/tests/examples.rs` runs
//! [`describe`] against a loopback server.

use aws_proton::operation::get_service::GetServiceError;
use aws_proton::Client;

/// One line about service `name`: its status, or that it does not exist.
/// Any other error (access denied, throttling after the retries, a
/// network failure) is returned to the caller.
pub async fn describe(client: &Client, name: &str) -> Result<String, GetServiceError> {
    match client.get_service().name(name).send().await {
        Ok(output) => Ok(match output.service {
            Some(service) => format!("{}: {}", service.name, service.status),
            None => format!("{name}: no details"),
        }),
        Err(GetServiceError::ResourceNotFoundException(_)) => {
            Ok(format!("{name}: no such service"))
        }
        Err(other) => Err(other),
    }
}

#[tokio::main]
async fn main() {
    let Some(name) = std::env::args().nth(1) else {
        eprintln!("usage: describe_service <name>");
        std::process::exit(2);
    };
    let config = aws_proton::config::from_env().await;
    let client = Client::new(&config);
    match describe(&client, &name).await {
        Ok(line) => println!("{line}"),
        Err(e) => {
            // The request id is what AWS support asks for.
            let request_id = e.meta().and_then(|m| m.request_id()).unwrap_or("none");
            eprintln!("{e} (request id {request_id})");
            std::process::exit(1);
        }
    }
}
