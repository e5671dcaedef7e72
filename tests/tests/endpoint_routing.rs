//! A request sent with a region and no endpoint URL goes to the host the
//! endpoint rules give. The HTTP client is a capturing test double, so
//! nothing leaves the process.

use aws_proton::config::{Credentials, Env, Region};
use aws_proton::Client;
use workspace_tests::{InProcess, Reply};

async fn sent_to(region: &str, fips: bool, dual_stack: bool) -> (String, Option<String>) {
    let double = InProcess::new(|_| Reply::ok(r#"{"services":[]}"#));
    let config = aws_proton::config::loader()
        .env(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]))
        .region(Region::new(region.to_owned()))
        .credentials_provider(Credentials::from_keys("AKID", "SECRET", None))
        .use_fips(fips)
        .use_dual_stack(dual_stack)
        .http_client(double.clone())
        .load()
        .await;
    Client::new(&config).list_services().send().await.unwrap();
    let sent = double.requests();
    assert_eq!(sent.len(), 1);
    (
        sent[0].uri.clone(),
        sent[0].header("host").map(str::to_owned),
    )
}

#[tokio::test]
async fn requests_go_to_the_host_the_rules_give() {
    let cases = [
        (
            "us-east-1",
            false,
            false,
            "https://proton.us-east-1.amazonaws.com/",
        ),
        (
            "us-east-1",
            true,
            false,
            "https://proton-fips.us-east-1.amazonaws.com/",
        ),
        (
            "us-east-1",
            false,
            true,
            "https://proton.us-east-1.api.aws/",
        ),
        (
            "cn-north-1",
            true,
            true,
            "https://proton-fips.cn-north-1.api.amazonwebservices.com.cn/",
        ),
        (
            "us-gov-west-1",
            false,
            false,
            "https://proton.us-gov-west-1.amazonaws.com/",
        ),
        (
            "xx-foo-1",
            false,
            false,
            "https://proton.xx-foo-1.amazonaws.com/",
        ),
    ];
    for (region, fips, dual, url) in cases {
        let (uri, host) = sent_to(region, fips, dual).await;
        assert_eq!(uri, url, "{region} fips={fips} dual={dual}");
        let expected_host = url.trim_start_matches("https://").trim_end_matches('/');
        assert_eq!(
            host.as_deref(),
            Some(expected_host),
            "the signed Host header matches"
        );
    }
}
