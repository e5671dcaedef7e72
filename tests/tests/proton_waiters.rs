//! Waiters of the generated Proton client on tokio's paused clock, with an
//! in-process HTTP double: the acceptors (success, failure, `errorType`), the
//! delays between polls, the maximum wait, and unexpected errors.

use aws_json_runtime::waiter::WaiterError;
use aws_proton::operation::get_service::GetServiceError;
use aws_proton::types::ServiceStatus;
use aws_proton::Client;
use std::sync::Arc;
use std::time::Duration;
use workspace_tests::{script, InProcess, Reply};

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

fn service(status: &str) -> Reply {
    Reply::ok(format!(
        r#"{{"service":{{"name":"web","arn":"arn:web","templateName":"t","createdAt":1,"lastModifiedAt":1,"status":"{status}","spec":"s"}}}}"#
    ))
}

fn with_pipeline(status: &str) -> Reply {
    Reply::ok(format!(
        r#"{{"service":{{"name":"web","arn":"arn:web","templateName":"t","createdAt":1,"lastModifiedAt":1,"status":"ACTIVE","spec":"s",
        "pipeline":{{"arn":"arn:p","createdAt":1,"lastDeploymentAttemptedAt":1,"lastDeploymentSucceededAt":1,"templateName":"t",
        "templateMajorVersion":"1","templateMinorVersion":"0","deploymentStatus":"{status}"}}}}}}"#
    ))
}

fn not_found() -> Reply {
    Reply::error(400, "ResourceNotFoundException", "no such service")
}

/// Answers the `n`th request (0-based) with `script[n]`, then repeats the last.
async fn client(double: &Arc<InProcess>) -> Client {
    Client::new(&InProcess::config(double).await)
}

/// Seconds between consecutive requests.
fn gaps(double: &InProcess) -> Vec<Duration> {
    let requests = double.requests();
    requests.windows(2).map(|w| w[1].at - w[0].at).collect()
}

#[tokio::test(start_paused = true)]
async fn service_created_polls_until_active_and_returns_the_output() {
    let double = InProcess::new(script(vec![
        service("CREATE_IN_PROGRESS"),
        service("CREATE_IN_PROGRESS"),
        service("ACTIVE"),
    ]));
    let output = client(&double)
        .await
        .wait_until_service_created()
        .name("web")
        .wait(HOUR)
        .await
        .unwrap();
    assert_eq!(output.service.unwrap().status, ServiceStatus::Active);
    let requests = double.requests();
    assert_eq!(requests.len(), 3);
    for r in &requests {
        assert_eq!(r.operation(), "GetService");
        assert_eq!(r.body, br#"{"name":"web"}"#);
    }
    // minDelay 5: the first delay is 5 s, the second in [5, 10].
    let gaps = gaps(&double);
    assert_eq!(gaps[0], Duration::from_secs(5));
    assert!(
        gaps[1] >= Duration::from_secs(5) && gaps[1] <= Duration::from_secs(10),
        "{gaps:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn delays_grow_exponentially_with_jitter_up_to_max_delay() {
    // 14 polls of ServiceCreated (5 s / 4999 s), then success.
    let mut replies = vec![service("CREATE_IN_PROGRESS"); 14];
    replies.push(service("ACTIVE"));
    let double = InProcess::new(script(replies));
    client(&double)
        .await
        .wait_until_service_created()
        .name("web")
        .wait(Duration::from_secs(1_000_000))
        .await
        .unwrap();
    let gaps = gaps(&double);
    assert_eq!(gaps.len(), 14);
    for (i, gap) in gaps.iter().enumerate() {
        let attempt = i as u32 + 1;
        let ceiling = if attempt > 10 {
            4999
        } else {
            5 * 2u64.pow(attempt - 1)
        };
        assert!(
            *gap >= Duration::from_secs(5) && *gap <= Duration::from_secs(ceiling),
            "delay {attempt} is {gap:?}, not in [5 s, {ceiling} s]"
        );
        assert_eq!(gap.subsec_nanos(), 0, "whole seconds");
    }
}

#[tokio::test(start_paused = true)]
async fn a_failure_acceptor_ends_the_wait_at_once() {
    let double = InProcess::new(script(vec![service("CREATE_FAILED")]));
    let err = client(&double)
        .await
        .wait_until_service_created()
        .name("web")
        .wait(HOUR)
        .await
        .unwrap_err();
    let WaiterError::FailureState { waiter, response } = &err else {
        panic!("expected a failure state, got {err:?}")
    };
    assert_eq!(*waiter, "ServiceCreated");
    let output = response.as_ref().as_ref().unwrap();
    assert_eq!(
        output.service.as_ref().unwrap().status,
        ServiceStatus::CreateFailed
    );
    assert!(err.to_string().contains("failure state"), "{err}");
    assert_eq!(double.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn the_maximum_wait_is_never_overslept() {
    let double = InProcess::new(script(vec![service("CREATE_IN_PROGRESS")]));
    let start = tokio::time::Instant::now();
    let err = client(&double)
        .await
        .wait_until_service_created()
        .name("web")
        .wait(MINUTE)
        .await
        .unwrap_err();
    let WaiterError::MaxWaitExceeded {
        waiter,
        max_wait,
        attempts,
    } = err
    else {
        panic!("expected the max wait to pass, got {err:?}")
    };
    assert_eq!((waiter, max_wait), ("ServiceCreated", MINUTE));
    let requests = double.requests();
    assert_eq!(attempts as usize, requests.len());
    // The last poll happens at the deadline, and the waiter gives up then.
    assert_eq!(requests.last().unwrap().at - start, MINUTE);
    assert_eq!(start.elapsed(), MINUTE);
    for gap in gaps(&double) {
        assert!(gap <= MINUTE);
    }
}

#[tokio::test(start_paused = true)]
async fn a_max_wait_below_min_delay_polls_once_more_at_the_deadline() {
    let double = InProcess::new(script(vec![service("CREATE_IN_PROGRESS")]));
    let err = client(&double)
        .await
        .wait_until_service_created()
        .name("web")
        .wait(Duration::from_secs(3))
        .await
        .unwrap_err();
    assert!(
        matches!(err, WaiterError::MaxWaitExceeded { attempts: 2, .. }),
        "{err:?}"
    );
    assert_eq!(gaps(&double), [Duration::from_secs(3)]);
}

#[tokio::test(start_paused = true)]
async fn service_deleted_succeeds_on_resource_not_found() {
    let double = InProcess::new(script(vec![service("DELETE_IN_PROGRESS"), not_found()]));
    let () = client(&double)
        .await
        .wait_until_service_deleted()
        .name("web")
        .wait(HOUR)
        .await
        .unwrap();
    assert_eq!(double.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn component_deleted_succeeds_on_resource_not_found() {
    let double = InProcess::new(script(vec![not_found()]));
    let () = client(&double)
        .await
        .wait_until_component_deleted()
        .name("c")
        .wait(HOUR)
        .await
        .unwrap();
    assert_eq!(double.requests()[0].operation(), "GetComponent");
}

#[tokio::test(start_paused = true)]
async fn service_deleted_fails_on_delete_failed() {
    let double = InProcess::new(script(vec![service("DELETE_FAILED")]));
    let err = client(&double)
        .await
        .wait_until_service_deleted()
        .name("web")
        .wait(HOUR)
        .await
        .unwrap_err();
    assert!(matches!(err, WaiterError::FailureState { .. }), "{err:?}");
}

#[tokio::test(start_paused = true)]
async fn an_error_no_acceptor_expects_ends_the_wait() {
    let double = InProcess::new(script(vec![
        service("CREATE_IN_PROGRESS"),
        Reply::error(400, "AccessDeniedException", "no"),
    ]));
    let err = client(&double)
        .await
        .wait_until_service_created()
        .name("web")
        .wait(HOUR)
        .await
        .unwrap_err();
    let WaiterError::Operation(GetServiceError::AccessDeniedException(_)) = &err else {
        panic!("expected the operation error, got {err:?}")
    };
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(double.requests().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn resource_not_found_is_an_error_for_a_creation_waiter() {
    let double = InProcess::new(script(vec![not_found()]));
    let err = client(&double)
        .await
        .wait_until_service_created()
        .name("web")
        .wait(HOUR)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            WaiterError::Operation(GetServiceError::ResourceNotFoundException(_))
        ),
        "{err:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn service_pipeline_deployed_keeps_polling_without_a_pipeline() {
    let double = InProcess::new(script(vec![
        service("ACTIVE"),
        with_pipeline("IN_PROGRESS"),
        with_pipeline("SUCCEEDED"),
    ]));
    let output = client(&double)
        .await
        .wait_until_service_pipeline_deployed()
        .name("web")
        .wait(HOUR)
        .await
        .unwrap();
    assert!(output.service.unwrap().pipeline.is_some());
    // minDelay 10 for this waiter.
    assert_eq!(gaps(&double)[0], Duration::from_secs(10));
    assert_eq!(double.requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn a_later_success_acceptor_matches_too() {
    // EnvironmentTemplateVersionRegistered: DRAFT or PUBLISHED are success.
    let version = |status: &str| {
        Reply::ok(format!(
            r#"{{"environmentTemplateVersion":{{"templateName":"t","majorVersion":"1","minorVersion":"0","status":"{status}","arn":"a","createdAt":1,"lastModifiedAt":1}}}}"#
        ))
    };
    let double = InProcess::new(script(vec![
        version("REGISTRATION_IN_PROGRESS"),
        version("PUBLISHED"),
    ]));
    client(&double)
        .await
        .wait_until_environment_template_version_registered()
        .template_name("t")
        .major_version("1")
        .minor_version("0")
        .wait(HOUR)
        .await
        .unwrap();
    // minDelay 2 for this waiter.
    assert_eq!(gaps(&double), [Duration::from_secs(2)]);
}

#[tokio::test(start_paused = true)]
async fn a_missing_required_member_fails_before_polling() {
    let double = InProcess::new(script(vec![service("ACTIVE")]));
    let err = client(&double)
        .await
        .wait_until_service_created()
        .wait(HOUR)
        .await
        .unwrap_err();
    assert!(
        matches!(err, WaiterError::Operation(GetServiceError::Request(_))),
        "{err:?}"
    );
    assert!(double.requests().is_empty());
}

#[tokio::test]
async fn waiter_futures_and_paginators_can_be_spawned() {
    fn spawnable<T: Send + 'static>(_: &T) {}
    let double = InProcess::new(script(vec![service("ACTIVE")]));
    let client = client(&double).await;
    let wait = client.wait_until_service_created().name("web").wait(MINUTE);
    spawnable(&wait);
    spawnable(&client.list_services().into_paginator());
    spawnable(&client.list_services().into_paginator().items());
    let output = tokio::spawn(wait).await.unwrap().unwrap();
    assert_eq!(output.service.unwrap().name, "web");
}
