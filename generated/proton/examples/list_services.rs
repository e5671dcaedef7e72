//! Lists the services behind an AWS Proton endpoint.
//!
//! ```text
//! cargo run -p aws-proton --example list_services -- <endpoint-url> [region]
//! ```
//!
//! Credentials come from the usual places (environment, shared files,
//! container or instance metadata); the region from the second argument or
//! the usual places.

use aws_proton::config::Region;
use aws_proton::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let Some(endpoint_url) = args.next() else {
        eprintln!("usage: list_services <endpoint-url> [region]");
        std::process::exit(2);
    };
    let mut loader = aws_proton::config::loader().endpoint_url(endpoint_url);
    if let Some(region) = args.next() {
        loader = loader.region(Region::new(region));
    }
    let client = Client::new(&loader.load().await);

    let mut next_token = None;
    loop {
        let page = client
            .list_services()
            .set_next_token(next_token)
            .send()
            .await?;
        for service in &page.services {
            println!("{}\t{}\t{}", service.name, service.status, service.arn);
        }
        next_token = page.next_token;
        if next_token.is_none() {
            return Ok(());
        }
    }
}
