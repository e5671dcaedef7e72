//! The Proton client's mocks (feature `test-util`): typed rules answering
//! at the HTTP seam, so the whole pipeline runs: outputs, modelled errors,
//! retries, unmatched calls, paginators and waiters (on tokio's paused
//! clock), and the record of every request.

use aws_json_runtime::waiter::WaiterError;
use aws_proton::error::{ProvideErrorMetadata, ResourceNotFoundException, ThrottlingException};
use aws_proton::mock::{mock, MockResponse, Mocks};
use aws_proton::operation::create_service::{CreateServiceInput, CreateServiceOutput};
use aws_proton::operation::get_service::{GetServiceError, GetServiceInput, GetServiceOutput};
use aws_proton::operation::list_services::{ListServicesInput, ListServicesOutput};
use aws_proton::types::{Service, ServiceStatus, ServiceSummary};
use aws_proton::{Client, DateTime};
use std::time::Duration;

fn service(name: &str, status: ServiceStatus) -> Service {
    Service::builder()
        .name(name)
        .arn(format!("arn:aws:proton:us-east-1:1:service/{name}"))
        .template_name("t")
        .created_at(DateTime::from_secs(1_600_000_000))
        .last_modified_at(DateTime::from_secs(1_600_000_000))
        .status(status)
        .spec("spec")
        .build()
        .unwrap()
}

fn get_service_output(name: &str, status: ServiceStatus) -> GetServiceOutput {
    GetServiceOutput::builder()
        .service(service(name, status))
        .build()
}

fn not_found() -> GetServiceError {
    GetServiceError::ResourceNotFoundException(
        ResourceNotFoundException::builder()
            .message("no such service")
            .build()
            .unwrap(),
    )
}

fn throttled() -> GetServiceError {
    GetServiceError::ThrottlingException(
        ThrottlingException::builder()
            .message("slow down")
            .build()
            .unwrap(),
    )
}

#[tokio::test]
async fn a_matching_rule_answers_with_its_output() {
    let web = mock!(Client::get_service)
        .match_requests(|input| input.name.as_deref() == Some("web"))
        .then_output(|| get_service_output("web", ServiceStatus::Active));
    let mocks = Mocks::new([&web]);
    let client = mocks.client();

    let output = client.get_service().name("web").send().await.unwrap();
    assert_eq!(output, get_service_output("web", ServiceStatus::Active));
    assert_eq!(output.request_id(), Some("mock-request-1"));
    assert_eq!(web.num_calls(), 1);

    let requests = mocks.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].operation(), "GetService");
    let input = requests[0].input::<GetServiceInput>().unwrap();
    assert_eq!(input.name.as_deref(), Some("web"));
    assert_eq!(
        requests[0].header("x-amz-target"),
        Some("AwsProton20200720.GetService")
    );
}

#[tokio::test]
async fn a_modelled_error_arrives_as_its_variant() {
    let rule = mock!(Client::get_service).then_error(not_found);
    let mocks = Mocks::new([rule]);
    let err = mocks
        .client()
        .get_service()
        .name("gone")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    assert!(!err.is_throttling_exception());
    let GetServiceError::ResourceNotFoundException(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.message, "no such service", "parsed from the answer");
    assert_eq!(err.code(), Some("ResourceNotFoundException"));
    assert_eq!(err.request_id(), Some("mock-request-1"));
    assert_eq!(err.meta().unwrap().status(), 404, "the model's @httpError");
    assert_eq!(err.message(), None, "the model marks the message sensitive");
    assert_eq!(mocks.requests().len(), 1, "not retried");
}

#[tokio::test(start_paused = true)]
async fn a_throttling_error_is_retried_and_the_next_answer_succeeds() {
    let rule = mock!(Client::get_service)
        .sequence()
        .error(throttled)
        .http_response(|| MockResponse::new(503))
        .output(|| get_service_output("web", ServiceStatus::Active))
        .build();
    let mocks = Mocks::new([&rule]);
    let output = mocks
        .client()
        .get_service()
        .name("web")
        .send()
        .await
        .unwrap();
    assert_eq!(output.service.as_ref().unwrap().name, "web");
    assert_eq!(output.request_id(), Some("mock-request-3"));
    assert_eq!(mocks.requests().len(), 3, "two retries");
    assert!(rule.is_exhausted());
}

#[tokio::test(start_paused = true)]
async fn retries_run_out_against_a_rule_that_keeps_throttling() {
    let rule = mock!(Client::get_service).then_error(throttled);
    let mocks = Mocks::new([&rule]);
    let err = mocks
        .client()
        .get_service()
        .name("web")
        .send()
        .await
        .unwrap_err();
    assert!(err.is_throttling_exception(), "{err:?}");
    assert_eq!(rule.num_calls(), 3, "the default three attempts");
}

#[tokio::test]
async fn a_client_can_be_configured_with_other_retries() {
    let rule = mock!(Client::get_service).then_error(throttled);
    let mocks = Mocks::new([&rule]);
    let client = mocks
        .client_with(|config| config.retry_config(aws_proton::config::RetryConfig::disabled()));
    let err = client.get_service().name("web").send().await.unwrap_err();
    assert!(err.is_throttling_exception());
    assert_eq!(rule.num_calls(), 1, "retries disabled");
}

#[tokio::test]
async fn an_unmatched_call_fails_naming_the_operation_and_input() {
    let web = mock!(Client::get_service)
        .match_requests(|input| input.name.as_deref() == Some("web"))
        .then_output(|| get_service_output("web", ServiceStatus::Active));
    let mocks = Mocks::new([web]);
    let client = mocks.client();
    let err = client.get_service().name("api").send().await.unwrap_err();
    assert_eq!(err.code(), Some("NoMatchingMockRule"), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("no mock rule answers GetService")
            && message.contains(r#"GetServiceInput { name: Some("api") }"#),
        "{message}"
    );
    let err = client.list_services().send().await.unwrap_err();
    assert!(
        err.to_string().contains("no rule is for ListServices"),
        "{err}"
    );
    assert_eq!(mocks.requests().len(), 2, "recorded, not retried");
}

#[tokio::test]
async fn sensitive_input_members_stay_redacted_in_the_record_and_messages() {
    let mocks = Mocks::new(Vec::<aws_proton::mock::Rule>::new());
    let client = mocks.client();
    let err = client
        .create_service()
        .name("svc")
        .template_name("t")
        .template_major_version("1")
        .spec("SENTINELspec")
        .send()
        .await
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("SENTINELspec"));
    let requests = mocks.requests();
    assert!(!format!("{requests:?}").contains("SENTINELspec"));
    let input = requests[0].input::<CreateServiceInput>().unwrap();
    assert_eq!(input.spec.as_deref(), Some("SENTINELspec"), "typed access");
    let _: Option<&CreateServiceOutput> = None;
}

/// Pages linked by tokens, each answered by a rule matching the token.
#[tokio::test]
async fn a_paginator_reads_every_mocked_page() {
    fn page(names: &[&str], token: Option<&str>) -> ListServicesOutput {
        let mut b = ListServicesOutput::builder().set_next_token(token.map(str::to_owned));
        for name in names {
            b = b.services(
                ServiceSummary::builder()
                    .name(*name)
                    .arn("arn")
                    .template_name("t")
                    .created_at(DateTime::from_secs(1))
                    .last_modified_at(DateTime::from_secs(1))
                    .status(ServiceStatus::Active)
                    .build()
                    .unwrap(),
            );
        }
        b.build().unwrap()
    }
    let by_token = |token: Option<&'static str>| {
        mock!(Client::list_services)
            .match_requests(move |input| input.next_token.as_deref() == token)
    };
    let mocks = Mocks::new([
        by_token(None).then_output(|| page(&["a", "b"], Some("t1"))),
        by_token(Some("t1")).then_output(|| page(&["c"], Some("t2"))),
        by_token(Some("t2")).then_output(|| page(&["d"], None)),
    ]);
    let mut items = mocks.client().list_services().into_paginator().items();
    let mut names = Vec::new();
    while let Some(item) = items.next().await {
        names.push(item.unwrap().name);
    }
    assert_eq!(names, ["a", "b", "c", "d"]);
    let tokens: Vec<Option<String>> = mocks
        .requests()
        .iter()
        .map(|r| r.input::<ListServicesInput>().unwrap().next_token.clone())
        .collect();
    assert_eq!(tokens, [None, Some("t1".into()), Some("t2".into())]);
}

#[tokio::test(start_paused = true)]
async fn a_waiter_polls_the_mocks_until_the_service_is_active() {
    let rule = mock!(Client::get_service)
        .sequence()
        .output(|| get_service_output("web", ServiceStatus::CreateInProgress))
        .times(3)
        .output(|| get_service_output("web", ServiceStatus::Active))
        .build();
    let mocks = Mocks::new([&rule]);
    let started = tokio::time::Instant::now();
    let output = mocks
        .client()
        .wait_until_service_created()
        .name("web")
        .wait(Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(output.service.unwrap().status, ServiceStatus::Active);
    assert_eq!(rule.num_calls(), 4);
    assert!(
        started.elapsed() >= Duration::from_secs(15),
        "three delays of 5 s or more"
    );
}

#[tokio::test(start_paused = true)]
async fn a_deletion_waiter_succeeds_on_the_mocked_not_found_error() {
    let rule = mock!(Client::get_service)
        .sequence()
        .output(|| get_service_output("web", ServiceStatus::DeleteInProgress))
        .error(not_found)
        .build();
    let mocks = Mocks::new([&rule]);
    mocks
        .client()
        .wait_until_service_deleted()
        .name("web")
        .wait(Duration::from_secs(3600))
        .await
        .unwrap();
    assert!(rule.is_exhausted());

    let failing = mock!(Client::get_service)
        .then_output(|| get_service_output("web", ServiceStatus::CreateFailed));
    let mocks = Mocks::new([failing]);
    let err = mocks
        .client()
        .wait_until_service_created()
        .name("web")
        .wait(Duration::from_secs(3600))
        .await
        .unwrap_err();
    assert!(matches!(err, WaiterError::FailureState { .. }), "{err:?}");
    assert_eq!(err.code(), None, "the wait ended on an output");
}
