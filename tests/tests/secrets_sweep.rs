//! One sweep over every error path of a service call with sentinel secrets
//! planted: the secret key, the session token, sensitive members of input
//! and output, a sensitive error message, and a password in the endpoint
//! URL. Every `Debug`/`Display` (with `source` chains) of every value and
//! error produced must be free of all of them. (The credential providers'
//! own secrets are swept in `credentials_secrets.rs`.) Everything traced
//! meanwhile, at every level, is swept too.

use aws_json_runtime::config::{ConfigLoader, MinimumThroughput, TimeoutConfig};
use aws_json_runtime::credentials::Credentials;
use aws_json_runtime::env::Env;
use aws_json_runtime::region::Region;
use aws_json_runtime::retry::RetryConfig;
use aws_proton::Client;
use std::time::Duration;
use workspace_tests::secrets::Sweep;
use workspace_tests::trace_capture::Capture;
use workspace_tests::{FaultyServer, Misbehaviour, Reply, TestServer};

const SECRET_KEY: &str = "SENTINELsecretaccesskey";
const SESSION_TOKEN: &str = "SENTINELsessiontoken";
const URL_PASSWORD: &str = "SENTINELurlpassword";
const SENSITIVE_MEMBER: &str = "SENTINELsensitivemember";
const SENSITIVE_MESSAGE: &str = "SENTINELsensitivemessage";

const ALL: &[&str] = &[
    SECRET_KEY,
    SESSION_TOKEN,
    URL_PASSWORD,
    SENSITIVE_MEMBER,
    SENSITIVE_MESSAGE,
];

/// `http://user:<password>@127.0.0.1:<port>` for a server at `url`.
fn with_password(url: &str) -> String {
    url.replacen("http://", &format!("http://user:{URL_PASSWORD}@"), 1)
}

fn loader(url: &str) -> ConfigLoader {
    ConfigLoader::default()
        .env(Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]))
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::from_keys(
            "AKIDSWEEP",
            SECRET_KEY,
            Some(SESSION_TOKEN.to_owned()),
        ))
        .endpoint_url(with_password(url))
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
        .timeout_config(
            TimeoutConfig::default()
                .with_response_headers_timeout(Some(Duration::from_millis(200)))
                .with_minimum_throughput(Some(MinimumThroughput::new(
                    1,
                    Duration::from_millis(200),
                ))),
        )
}

fn service(spec: &str) -> String {
    format!(
        r#"{{"service":{{"name":"web","arn":"a","templateName":"t","createdAt":1,"lastModifiedAt":1,
        "status":"ACTIVE","spec":"{spec}","description":"{SENSITIVE_MEMBER}","statusMessage":"{SENSITIVE_MEMBER}"}}}}"#
    )
}

/// Every way the server answers GetService, by name.
fn answers() -> Vec<(&'static str, Reply)> {
    let validation = |body: String| Reply::json(400, body);
    vec![
        (
            "success with sensitive members",
            Reply::ok(service(SENSITIVE_MEMBER)),
        ),
        (
            "sensitive error message",
            Reply::error(400, "ValidationException", SENSITIVE_MESSAGE),
        ),
        (
            "sensitive message, then the body breaks off",
            validation(format!(
                r#"{{"__type":"ValidationException","message":"{SENSITIVE_MESSAGE}","more":"#
            )),
        ),
        (
            "sensitive message, then garbage",
            validation(format!(
                r#"{{"__type":"ValidationException","message":"{SENSITIVE_MESSAGE}"}} trailing"#
            )),
        ),
        (
            "sensitive message, then a wrongly typed member",
            validation(format!(
                r#"{{"message":"{SENSITIVE_MESSAGE}","__type":"ValidationException","message":7}}"#
            )),
        ),
        (
            "sensitive message longer than the error-body limit",
            validation(format!(
                r#"{{"__type":"ValidationException","message":"{SENSITIVE_MESSAGE}{}"}}"#,
                "x".repeat(2 << 20)
            )),
        ),
        (
            "sensitive member, then the body breaks off",
            Reply::ok("")
                .raw_body(format!(r#"{{"service":{{"spec":"{SENSITIVE_MEMBER}"#).as_bytes()),
        ),
        (
            "sensitive member with a bad escape",
            Reply::ok(service(&format!("{SENSITIVE_MEMBER}\\uZZZZ"))),
        ),
        (
            "sensitive member, then a wrongly typed member",
            Reply::ok(format!(
                r#"{{"service":{{"spec":"{SENSITIVE_MEMBER}","name":7}}}}"#
            )),
        ),
        (
            "an unmodelled error quoting the secret and token back",
            Reply::error(
                403,
                "SomethingElse",
                &format!("echo {SECRET_KEY} {SESSION_TOKEN}"),
            ),
        ),
        (
            "a 500 retried until the attempts run out",
            Reply::json(500, "{}"),
        ),
        (
            "throttled",
            Reply::error(429, "ThrottlingException", SENSITIVE_MESSAGE),
        ),
    ]
}

async fn sweep_call(sweep: &mut Sweep, what: &str, client: &Client) {
    let call = client.get_service().name("web");
    sweep.debug(&format!("{what}: fluent builder"), &call);
    match call.send().await {
        Ok(output) => sweep.debug(&format!("{what}: output"), &output),
        Err(e) => {
            sweep.error(&format!("{what}: error"), &e);
            if let Some(meta) = e.meta() {
                sweep.debug(&format!("{what}: error meta"), meta);
                sweep.display(&format!("{what}: error meta"), meta);
            }
        }
    }
}

#[tokio::test]
async fn no_secret_in_any_text_of_any_call_path() {
    let (capture, _guard) = Capture::start();
    let mut sweep = Sweep::new(ALL);
    for (what, reply) in answers() {
        let server = TestServer::start_with_secret(SECRET_KEY, move |_| reply.clone()).await;
        let config = loader(&server.url()).load().await;
        sweep.debug(&format!("{what}: config"), &config);
        let client = Client::new(&config);
        sweep.debug(&format!("{what}: client"), &client);
        sweep_call(&mut sweep, what, &client).await;
    }

    // A server that checks signatures with another secret answers with the
    // canonical request, signed headers and session token included.
    let server = TestServer::start_with_secret("another-secret", |_| Reply::ok("{}")).await;
    let client = Client::new(&loader(&server.url()).load().await);
    sweep_call(
        &mut sweep,
        "signature refused, canonical request echoed",
        &client,
    )
    .await;

    // No answer, a stalled body, a refused connection: errors about the URL.
    for (what, misbehaviour) in [
        ("no response headers", Misbehaviour::Silent),
        (
            "a stalled body",
            Misbehaviour::Stall {
                head: "HTTP/1.1 200 OK\r\ncontent-length: 100".into(),
                body_start: b"{".to_vec(),
            },
        ),
    ] {
        let server = FaultyServer::start(misbehaviour).await;
        let client = Client::new(&loader(&server.url()).load().await);
        sweep_call(&mut sweep, what, &client).await;
    }
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let client = Client::new(&loader(&format!("http://{closed}")).load().await);
    sweep_call(&mut sweep, "connection refused", &client).await;

    // Endpoint URLs that are refused, and the loader and endpoint themselves.
    for url in [
        "http://127.0.0.1:1#fragment",
        "http://127.0.0.1:1?query",
        "http://127.0.0.1:notaport",
    ] {
        let loader = loader(url);
        sweep.debug(&format!("loader for {url}"), &loader);
        let client = Client::new(&loader.load().await);
        sweep.debug(&format!("endpoint for {url}"), &client.endpoint());
        sweep_call(&mut sweep, &format!("endpoint URL {url}"), &client).await;
    }

    // Inputs with sensitive members, and the credentials.
    let input = aws_proton::operation::create_service::CreateServiceInput::builder()
        .name("svc")
        .spec(SENSITIVE_MEMBER)
        .description(SENSITIVE_MEMBER)
        .template_name("t")
        .template_major_version("1")
        .build()
        .unwrap();
    sweep.debug("CreateServiceInput", &input);
    sweep.debug(
        "credentials",
        &Credentials::from_keys("AKIDSWEEP", SECRET_KEY, Some(SESSION_TOKEN.to_owned())),
    );
    let traced = capture.lines();
    assert!(
        traced
            .iter()
            .filter(|l| l.contains("call finished"))
            .count()
            >= 15,
        "every call was traced: {traced:#?}"
    );
    for (i, line) in traced.iter().enumerate() {
        sweep.text(&format!("trace line {i}"), line);
    }
    assert!(
        sweep.checked().len() > 100,
        "{} texts checked",
        sweep.checked().len()
    );
}
