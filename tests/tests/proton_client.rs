//! End-to-end behaviour of the generated Proton client against a loopback
//! server: the wire format, signing, errors, retries, idempotency tokens,
//! timeouts, malformed responses and configuration errors.

use aws_json_runtime::RequestErrorKind;
use aws_proton::operation::create_service_instance::CreateServiceInstanceError;
use aws_proton::operation::list_services::ListServicesError;
use aws_proton::types::ServiceStatus;
use aws_proton::Client;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use workspace_tests::{test_config, test_loader, Reply, TestServer};

const SERVICES: &str = r#"{"services":[{"name":"web","arn":"arn:aws:proton:us-east-1:1:service/web",
  "templateName":"t","createdAt":1.6E9,"lastModifiedAt":1600000000.5,"status":"ACTIVE","extra":{"ignored":[1,2]},
  "description":null}],"nextToken":"abc"}"#;

async fn client(server: &TestServer) -> Client {
    Client::new(&test_config(&server.url()).await)
}

async fn client_without_retries(server: &TestServer) -> Client {
    let config = test_loader(&server.url())
        .retry_config(aws_proton::config::RetryConfig::disabled())
        .load()
        .await;
    Client::new(&config)
}

#[tokio::test]
async fn list_services_on_the_wire() {
    let server = TestServer::start(|_| Reply::ok(SERVICES)).await;
    let output = client(&server).await.list_services().send().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/"));
    assert_eq!(r.header("content-type"), Some("application/x-amz-json-1.0"));
    assert_eq!(
        r.header("x-amz-target"),
        Some("AwsProton20200720.ListServices")
    );
    assert_eq!(r.body, b"{}");
    let ua = r.header("user-agent").unwrap();
    assert!(ua.starts_with("aws-proton/0.1.0 aws-json-runtime/"), "{ua}");
    assert!(r
        .header("authorization")
        .unwrap()
        .contains("/us-east-1/proton/aws4_request"));

    assert_eq!(output.next_token.as_deref(), Some("abc"));
    let s = &output.services[0];
    assert_eq!(s.name, "web");
    assert_eq!(s.status, ServiceStatus::Active);
    assert_eq!(s.created_at, aws_proton::DateTime::from_secs(1_600_000_000));
    assert_eq!(s.last_modified_at.subsec_nanos(), 500_000_000);
    assert_eq!(s.description, None, "null is absent");
}

#[tokio::test]
async fn set_members_are_sent_with_their_model_names() {
    let server = TestServer::start(|_| Reply::ok(r#"{"services":[]}"#)).await;
    client(&server)
        .await
        .list_services()
        .max_results(10)
        .next_token("tok")
        .send()
        .await
        .unwrap();
    let body = String::from_utf8(server.requests()[0].body.clone()).unwrap();
    assert_eq!(body, r#"{"nextToken":"tok","maxResults":10}"#);
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let body = SERVICES.replace("\"ACTIVE\"", "\"SOMETHING_NEW\"");
    let server = TestServer::start(move |_| Reply::ok(body.clone())).await;
    let output = client(&server).await.list_services().send().await.unwrap();
    let status = &output.services[0].status;
    assert!(matches!(status, ServiceStatus::Unknown(_)));
    assert_eq!(status.as_str(), "SOMETHING_NEW");
}

#[tokio::test]
async fn escaped_enum_values_are_read_as_the_value_they_spell() {
    let body = SERVICES.replace("\"ACTIVE\"", r#""ACT\u0049VE""#);
    let server = TestServer::start(move |_| Reply::ok(body.clone())).await;
    let output = client(&server).await.list_services().send().await.unwrap();
    assert_eq!(output.services[0].status, ServiceStatus::Active);
}

#[test]
fn enum_values_convert_alike_from_str_and_string() {
    assert_eq!(ServiceStatus::from("ACTIVE"), ServiceStatus::Active);
    assert_eq!(ServiceStatus::from(String::from("ACTIVE")), ServiceStatus::Active);
    let new = ServiceStatus::from("SOMETHING_NEW");
    assert_eq!(new.as_str(), "SOMETHING_NEW");
    assert_eq!(ServiceStatus::from(String::from("SOMETHING_NEW")), new);
    assert_eq!("SOMETHING_NEW".parse::<ServiceStatus>(), Ok(new));
}

#[tokio::test]
async fn empty_body_is_a_valid_empty_output() {
    let server = TestServer::start(|_| Reply::ok("")).await;
    client(&server)
        .await
        .tag_resource()
        .resource_arn("arn:x")
        .tags(
            aws_proton::types::Tag::builder()
                .key("k")
                .value("v")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].json(),
        aws_json_runtime::json::from_slice(
            br#"{"resourceArn":"arn:x","tags":[{"key":"k","value":"v"}]}"#
        )
        .unwrap()
    );
}

#[tokio::test]
async fn a_server_with_other_credentials_rejects_the_signature() {
    let server = TestServer::start_with_secret("not-the-client-secret", |_| Reply::ok("{}")).await;
    let err = client_without_retries(&server)
        .await
        .list_services()
        .send()
        .await
        .unwrap_err();
    let ListServicesError::Unhandled(e) = &err else {
        panic!("expected an unhandled error, got {err:?}")
    };
    assert_eq!(e.meta().code(), Some("InvalidSignatureException"));
    assert_eq!(e.meta().status(), 403);
    // And the same client's signatures do verify against the right secret.
    let good = TestServer::start(|_| Reply::ok(SERVICES)).await;
    client(&good).await.list_services().send().await.unwrap();
}

#[tokio::test]
async fn required_members_are_checked_before_sending() {
    let server = TestServer::start(|_| Reply::ok("{}")).await;
    let err = client(&server)
        .await
        .create_service_instance()
        .name("i")
        .spec("s")
        .send()
        .await
        .unwrap_err();
    let CreateServiceInstanceError::Request(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::InvalidInput);
    assert_eq!(
        err.to_string(),
        "invalid input: `service_name` is required by CreateServiceInstanceInput but was not set"
    );
    assert!(server.requests().is_empty(), "nothing was sent");
}

/// The three places an error code can be, each with every modelled error of `ListServices`.
#[tokio::test]
async fn modelled_errors_from_each_code_location() {
    let cases = [
        ("AccessDeniedException", 403),
        ("InternalServerException", 500),
        ("ThrottlingException", 429),
        ("ValidationException", 400),
    ];
    for (code, status) in cases {
        for location in ["header", "code", "__type"] {
            let reply = match location {
                "header" => Reply::json(status, r#"{"message":"m","__type":"Misleading"}"#).header(
                    "x-amzn-errortype",
                    &format!("{code}:http://internal.amazon.com/coral/"),
                ),
                "code" => Reply::json(
                    status,
                    format!(r#"{{"code":"aws.proton#{code}","__type":"Other","message":"m"}}"#),
                ),
                _ => Reply::json(
                    status,
                    format!(r#"{{"__type":"com.amazonaws.proton#{code}","message":"m"}}"#),
                ),
            };
            let server = TestServer::start(move |_| reply.clone()).await;
            let err = client_without_retries(&server)
                .await
                .list_services()
                .send()
                .await
                .unwrap_err();
            let meta = err
                .meta()
                .unwrap_or_else(|| panic!("{code} via {location}: {err:?}"));
            assert_eq!(meta.code(), Some(code), "{location}");
            assert_eq!(meta.status(), status);
            assert_eq!(meta.request_id(), Some("test-request-id"));
            let message = match &err {
                ListServicesError::AccessDeniedException(e) => &e.message,
                ListServicesError::InternalServerException(e) => &e.message,
                ListServicesError::ThrottlingException(e) => &e.message,
                ListServicesError::ValidationException(e) => &e.message,
                other => panic!("{code} via {location} gave {other:?}"),
            };
            assert_eq!(message, "m");
            // The message is sensitive in the Proton model: Display redacts it, on one line.
            let line = err.to_string();
            assert_eq!(
                line,
                format!("{code}: *** Sensitive Data Redacted *** (HTTP {status}, request id test-request-id)")
            );
            assert!(
                !format!("{err:?}").contains("\"m\""),
                "Debug must not show the message"
            );
        }
    }
}

#[tokio::test]
async fn unknown_error_codes_are_unhandled_with_their_details() {
    let server =
        TestServer::start(|_| Reply::error(418, "TeapotException", "short and stout")).await;
    let err = client(&server)
        .await
        .list_services()
        .send()
        .await
        .unwrap_err();
    let ListServicesError::Unhandled(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.meta().code(), Some("TeapotException"));
    assert_eq!(e.meta().message(), Some("short and stout"));
    assert_eq!(
        err.to_string(),
        "TeapotException: short and stout (HTTP 418, request id test-request-id)"
    );
}

#[tokio::test]
async fn a_500_then_a_200_succeeds_after_one_retry() {
    let n = Arc::new(AtomicUsize::new(0));
    let counter = n.clone();
    let server = TestServer::start(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::json(500, "{}"),
        _ => Reply::ok(SERVICES),
    })
    .await;
    client(&server).await.list_services().send().await.unwrap();
    assert_eq!(server.requests().len(), 2);
    let r = server.requests();
    assert_ne!(r[0].header("authorization"), None, "each attempt is signed");
    assert!(workspace_tests::verify_signature(&r[1], workspace_tests::SECRET_KEY).is_ok());
}

#[tokio::test]
async fn throttling_is_retried_until_attempts_run_out() {
    let server = TestServer::start(|_| Reply::error(429, "ThrottlingException", "slow down")).await;
    let err = client(&server)
        .await
        .list_services()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, ListServicesError::ThrottlingException(_)),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 3, "3 attempts by default");
}

#[tokio::test]
async fn validation_errors_are_not_retried() {
    let server = TestServer::start(|_| Reply::error(400, "ValidationException", "bad")).await;
    let err = client(&server)
        .await
        .list_services()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, ListServicesError::ValidationException(_)));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn max_attempts_from_the_environment() {
    let server = TestServer::start(|_| Reply::json(503, "{}")).await;
    let config = aws_proton::config::loader()
        .env(aws_proton::config::Env::from_vars([
            ("AWS_MAX_ATTEMPTS", "1"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ]))
        .region(aws_proton::config::Region::new("us-east-1"))
        .credentials_provider(aws_proton::config::Credentials::from_keys(
            workspace_tests::ACCESS_KEY,
            workspace_tests::SECRET_KEY,
            None,
        ))
        .endpoint_url(server.url())
        .load()
        .await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, ListServicesError::Unhandled(_)), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn idempotency_token_is_generated_once_and_kept_across_retries() {
    let n = Arc::new(AtomicUsize::new(0));
    let counter = n.clone();
    let created = r#"{"serviceInstance":{"name":"i","arn":"a","createdAt":1,"lastDeploymentAttemptedAt":1,
      "lastDeploymentSucceededAt":1,"serviceName":"s","environmentName":"e","templateName":"t",
      "templateMajorVersion":"1","templateMinorVersion":"0","deploymentStatus":"IN_PROGRESS"}}"#;
    let server = TestServer::start(move |_| match counter.fetch_add(1, Ordering::SeqCst) {
        0 | 1 => Reply::json(502, "{}"),
        _ => Reply::ok(created),
    })
    .await;
    let client = client(&server).await;
    let call = || {
        client
            .create_service_instance()
            .name("i")
            .service_name("s")
            .spec("spec")
    };
    let output = call().send().await.unwrap();
    assert_eq!(output.service_instance.name, "i");
    let tokens: Vec<String> = server
        .requests()
        .iter()
        .map(|r| {
            r.json().as_object().unwrap()["clientToken"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(tokens.len(), 3);
    assert!(tokens.iter().all(|t| t == &tokens[0]), "{tokens:?}");
    let t = &tokens[0];
    assert_eq!(t.len(), 36);
    assert_eq!(&t[14..15], "4", "UUID v4: {t}");
    // A second call gets a new token; a caller's token is sent unchanged.
    call().send().await.unwrap();
    call().client_token("mine").send().await.unwrap();
    let r = server.requests();
    assert_ne!(
        r[3].json().as_object().unwrap()["clientToken"],
        r[0].json().as_object().unwrap()["clientToken"]
    );
    assert_eq!(
        r[4].json().as_object().unwrap()["clientToken"].as_str(),
        Some("mine")
    );
}

#[tokio::test]
async fn attempt_timeout_is_reported_as_a_timeout() {
    let server = TestServer::start(|_| Reply::ok(SERVICES).delay(Duration::from_secs(5))).await;
    let config = test_loader(&server.url())
        .timeout_config(
            aws_proton::config::TimeoutConfig::default()
                .with_attempt_timeout(Some(Duration::from_millis(100))),
        )
        .load()
        .await;
    let started = std::time::Instant::now();
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    let ListServicesError::Request(e) = &err else {
        panic!("{err:?}")
    };
    assert!(e.is_timeout(), "{err}");
    assert_eq!(server.requests().len(), 3, "timed-out attempts are retried");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        err.to_string()
            .starts_with("timed out: no response to ListServices within the attempt timeout"),
        "{err}"
    );
}

#[tokio::test]
async fn operation_timeout_bounds_the_whole_call() {
    let server = TestServer::start(|_| Reply::ok(SERVICES).delay(Duration::from_secs(5))).await;
    let config = test_loader(&server.url())
        .timeout_config(
            aws_proton::config::TimeoutConfig::default()
                .with_operation_timeout(Some(Duration::from_millis(150))),
        )
        .load()
        .await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    let ListServicesError::Request(e) = &err else {
        panic!("{err:?}")
    };
    assert!(e.is_timeout(), "{err}");
}

#[tokio::test]
async fn malformed_responses_are_errors_not_panics() {
    for body in [
        &b"{\"services\": ["[..],
        b"<html>oops</html>",
        b"{\"services\":[{\"name\":7}]}",
        b"\xff\xfe",
    ] {
        let server = TestServer::start(move |_| Reply::ok("").raw_body(body)).await;
        let err = client(&server)
            .await
            .list_services()
            .send()
            .await
            .unwrap_err();
        let ListServicesError::Request(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.kind(), RequestErrorKind::Response, "{err}");
        assert_eq!(e.meta().unwrap().request_id(), Some("test-request-id"));
        assert!(
            err.to_string()
                .starts_with("unreadable response: the response body is not the expected JSON"),
            "{err}"
        );
    }
    // A wrongly typed member names its path.
    let server = TestServer::start(|_| Reply::ok(r#"{"services":[{"name":7}]}"#)).await;
    let err = client(&server)
        .await
        .list_services()
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("at `services[0].name`"), "{err}");
    // An HTML error page is an unhandled error with its status.
    let server = TestServer::start(|_| Reply::json(404, "<html>not found</html>")).await;
    let err = client(&server)
        .await
        .list_services()
        .send()
        .await
        .unwrap_err();
    let ListServicesError::Unhandled(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((e.meta().status(), e.meta().code()), (404, None));
}

#[tokio::test]
async fn connection_failures_are_dispatch_errors() {
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = test_loader(&format!("http://{addr}"))
        .retry_config(aws_proton::config::RetryConfig::disabled())
        .load()
        .await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    let ListServicesError::Request(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::Dispatch, "{err}");
}

#[tokio::test]
async fn configuration_errors_fail_calls_before_sending() {
    let server = TestServer::start(|_| Reply::ok("{}")).await;
    // No region anywhere.
    let config = aws_proton::config::loader()
        .env(aws_proton::config::Env::from_vars([
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ]))
        .endpoint_url(server.url())
        .load()
        .await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    let ListServicesError::Request(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::Configuration);
    assert!(err.to_string().contains("AWS_REGION"), "{err}");
    // No credentials anywhere: the error lists each source.
    let config = aws_proton::config::loader()
        .env(aws_proton::config::Env::from_vars([
            ("AWS_EC2_METADATA_DISABLED", "true"),
            ("AWS_CONFIG_FILE", "/nonexistent/config"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"),
        ]))
        .region(aws_proton::config::Region::new("us-east-1"))
        .endpoint_url(server.url())
        .load()
        .await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("no credentials: "), "{msg}");
    for source in ["environment", "profile", "container", "IMDS"] {
        assert!(msg.contains(source), "{source} missing from: {msg}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn endpoint_rule_errors_are_configuration_errors() {
    let server = TestServer::start(|_| Reply::ok("{}")).await;
    let config = test_loader(&server.url()).use_fips(true).load().await;
    let err = Client::new(&config)
        .list_services()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid configuration: Invalid Configuration: FIPS and custom endpoint are not supported"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn without_an_endpoint_url_the_rules_choose_the_host() {
    let env = aws_proton::config::Env::from_vars([("AWS_EC2_METADATA_DISABLED", "true")]);
    let base = || {
        aws_proton::config::loader()
            .env(env.clone())
            .credentials_provider(aws_proton::config::Credentials::from_keys("a", "b", None))
    };
    let endpoint = |config| Client::new(&config).endpoint().unwrap().url().to_owned();
    let us = base()
        .region(aws_proton::config::Region::new("us-east-1"))
        .load()
        .await;
    assert_eq!(endpoint(us), "https://proton.us-east-1.amazonaws.com");
    let fips = base()
        .region(aws_proton::config::Region::new("us-east-1"))
        .use_fips(true)
        .load()
        .await;
    assert_eq!(
        endpoint(fips),
        "https://proton-fips.us-east-1.amazonaws.com"
    );
    let dual = base()
        .region(aws_proton::config::Region::new("us-east-1"))
        .use_dual_stack(true)
        .load()
        .await;
    assert_eq!(endpoint(dual), "https://proton.us-east-1.api.aws");
    let cn = base()
        .region(aws_proton::config::Region::new("cn-north-1"))
        .load()
        .await;
    assert_eq!(endpoint(cn), "https://proton.cn-north-1.amazonaws.com.cn");
    // AWS_ENDPOINT_URL_PROTON beats AWS_ENDPOINT_URL.
    let env = aws_proton::config::Env::from_vars([
        ("AWS_EC2_METADATA_DISABLED", "true"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_ENDPOINT_URL", "http://global.example"),
        ("AWS_ENDPOINT_URL_PROTON", "http://proton.example"),
    ]);
    let config = aws_proton::config::loader().env(env).load().await;
    assert_eq!(endpoint(config), "http://proton.example");
}

#[tokio::test]
async fn sensitive_members_are_redacted_in_debug() {
    let input = aws_proton::operation::create_service::CreateServiceInput::builder()
        .name("svc")
        .spec("secret-spec")
        .description("secret-description")
        .template_name("t")
        .template_major_version("1")
        .build()
        .unwrap();
    let debug = format!("{input:?}");
    assert!(
        debug.contains("spec: *** Sensitive Data Redacted ***"),
        "{debug}"
    );
    assert!(
        debug.contains("description: *** Sensitive Data Redacted ***"),
        "{debug}"
    );
    assert!(!debug.contains("secret-"), "{debug}");
    assert!(debug.contains("name: Some(\"svc\")"), "{debug}");
    let server = TestServer::start(|_| Reply::ok("{}")).await;
    let fluent = client(&server).await.create_service().spec("secret-spec");
    assert!(!format!("{fluent:?}").contains("secret-spec"));
}
