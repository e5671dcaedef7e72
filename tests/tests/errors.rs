//! Errors that are short to handle, against a loopback server: `?` into the
//! crate-level `aws_proton::Error`, the `is_*` helpers, code, message and
//! request ID on every kind of error (`ProvideErrorMetadata`), and the
//! request ID of successful outputs (which takes no part in `==`).

use aws_json_runtime::RequestErrorKind;
use aws_proton::error::ProvideErrorMetadata;
use aws_proton::operation::create_service::CreateServiceInput;
use aws_proton::operation::get_service::GetServiceError;
use aws_proton::operation::list_services::ListServicesOutput;
use aws_proton::{Client, Error};
use workspace_tests::{test_config, Reply, TestServer};

async fn client(server: &TestServer) -> Client {
    Client::new(&test_config(&server.url()).await)
}

/// Two different operations, each error converted by `?`.
async fn two_calls(client: &Client) -> Result<usize, Error> {
    let services = client.list_services().send().await?.services.len();
    client.get_service().name("web").send().await?;
    Ok(services)
}

#[tokio::test]
async fn question_marks_convert_every_operation_error_into_the_crate_error() {
    let server = TestServer::start(|r| match r.operation() {
        "ListServices" => Reply::ok(r#"{"services":[]}"#),
        _ => Reply::error(404, "ResourceNotFoundException", "no such service"),
    })
    .await;
    let client = client(&server).await;
    let err = two_calls(&client).await.unwrap_err();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    assert!(!err.is_validation_exception());
    assert!(matches!(err, Error::ResourceNotFoundException(_)));
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.request_id(), Some("test-request-id"));
    assert_eq!(err.message(), None, "the message is sensitive in the model");
    assert_eq!(err.meta().unwrap().status(), 404);
    // Converting keeps the text.
    let direct = client.get_service().name("web").send().await.unwrap_err();
    assert_eq!(err.to_string(), direct.to_string());
    assert_eq!(
        err.to_string(),
        "ResourceNotFoundException: *** Sensitive Data Redacted *** (HTTP 404, request id test-request-id)"
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn unmodelled_errors_and_failures_without_an_answer_convert_too() {
    let server =
        TestServer::start(|_| Reply::error(418, "TeapotException", "short and stout")).await;
    let err = two_calls(&client(&server).await).await.unwrap_err();
    let Error::Unhandled(_) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (err.code(), err.message(), err.request_id()),
        (
            Some("TeapotException"),
            Some("short and stout"),
            Some("test-request-id")
        )
    );

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let config = workspace_tests::test_loader(&format!("http://{closed}"))
        .retry_config(aws_proton::config::RetryConfig::disabled())
        .load()
        .await;
    let err = two_calls(&Client::new(&config)).await.unwrap_err();
    let Error::Request(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::Dispatch);
    assert_eq!(
        (err.code(), err.message(), err.request_id()),
        (None, None, None)
    );
}

#[test]
fn build_errors_convert_into_request_errors() {
    fn build() -> Result<CreateServiceInput, Error> {
        Ok(CreateServiceInput::builder().name("svc").build()?)
    }
    let err = build().unwrap_err();
    let Error::Request(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::InvalidInput);
    assert!(
        err.to_string()
            .contains("is required by CreateServiceInput"),
        "{err}"
    );
    assert_eq!(err.code(), None);
}

/// A predicate on an operation error, such as `is_throttling_exception`.
type IsHelper = fn(&GetServiceError) -> bool;

#[tokio::test]
async fn the_is_helpers_name_each_modelled_error() {
    let cases: [(&str, u16, IsHelper); 5] = [
        (
            "AccessDeniedException",
            403,
            GetServiceError::is_access_denied_exception,
        ),
        (
            "InternalServerException",
            500,
            GetServiceError::is_internal_server_exception,
        ),
        (
            "ResourceNotFoundException",
            404,
            GetServiceError::is_resource_not_found_exception,
        ),
        (
            "ThrottlingException",
            429,
            GetServiceError::is_throttling_exception,
        ),
        (
            "ValidationException",
            400,
            GetServiceError::is_validation_exception,
        ),
    ];
    for (code, status, _) in &cases {
        let reply = Reply::error(*status, code, "m");
        let server = TestServer::start(move |_| reply.clone()).await;
        let config = workspace_tests::test_loader(&server.url())
            .retry_config(aws_proton::config::RetryConfig::disabled())
            .load()
            .await;
        let err = Client::new(&config)
            .get_service()
            .name("web")
            .send()
            .await
            .unwrap_err();
        for (other, _, is) in &cases {
            assert_eq!(is(&err), other == code, "{other} on a {code}");
        }
        assert_eq!(err.code(), Some(*code));
    }
}

#[tokio::test]
async fn outputs_keep_the_request_id_and_compare_by_their_data() {
    let server = TestServer::start(|_| {
        Reply::ok(r#"{"services":[],"nextToken":"t"}"#).header("x-amzn-requestid", "ignored")
    })
    .await;
    let output = client(&server).await.list_services().send().await.unwrap();
    assert_eq!(
        output.request_id(),
        Some("test-request-id"),
        "the first header"
    );
    let built = ListServicesOutput::builder()
        .set_services(Some(Vec::new()))
        .next_token("t")
        .build()
        .unwrap();
    assert_eq!(built.request_id(), None);
    assert_eq!(output, built, "the request ID takes no part in ==");
    assert!(format!("{output:?}").contains("test-request-id"));
}
