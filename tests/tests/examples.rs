//! The examples of `generated/proton/examples/`, compiled here as modules
//! and run against a loopback server: what they show is known to work.
//! (Their `main`s read the real environment and are only built.)

#[allow(dead_code)]
#[path = "../../generated/proton/examples/list_services.rs"]
mod list_services;

#[allow(dead_code)]
#[path = "../../generated/proton/examples/create_service.rs"]
mod create_service;

#[allow(dead_code)]
#[path = "../../generated/proton/examples/describe_service.rs"]
mod describe_service;

use aws_proton::operation::create_service::CreateServiceError;
use aws_proton::operation::get_service::GetServiceError;
use aws_proton::operation::list_services::ListServicesError;
use aws_proton::types::ServiceStatus;
use aws_proton::Client;
use std::time::Duration;
use workspace_tests::{
    json, test_config, verify_signature, Recorded, Reply, TestServer, SECRET_KEY,
};

async fn client(server: &TestServer) -> Client {
    Client::new(&test_config(&server.url()).await)
}

fn service(name: &str, status: &str) -> String {
    format!(
        r#"{{"name":"{name}","arn":"arn:{name}","templateName":"t","createdAt":1,"lastModifiedAt":1,"status":"{status}","spec":"s"}}"#
    )
}

fn body(r: &Recorded) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

#[tokio::test]
async fn list_services_follows_every_page() {
    let server = TestServer::start(|r| {
        let page = |names: &[&str], token: &str| {
            let items: Vec<String> = names.iter().map(|n| service(n, "ACTIVE")).collect();
            Reply::ok(format!(r#"{{"services":[{}]{token}}}"#, items.join(",")))
        };
        let body = body(r);
        if body.contains(r#""nextToken":"t1""#) {
            page(&["c"], r#","nextToken":"t2""#)
        } else if body.contains(r#""nextToken":"t2""#) {
            page(&["d"], "")
        } else {
            page(&["a", "b"], r#","nextToken":"t1""#)
        }
    })
    .await;
    let services = list_services::all_services(&client(&server).await)
        .await
        .unwrap();
    let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "one request per page");
    for r in &requests {
        assert_eq!(r.operation(), "ListServices");
        verify_signature(r, SECRET_KEY).unwrap();
    }
}

#[tokio::test]
async fn list_services_returns_the_error_of_a_failing_page() {
    let server = TestServer::start(|r| {
        if body(r).contains("nextToken") {
            Reply::error(400, "ValidationException", "bad token")
        } else {
            Reply::ok(format!(
                r#"{{"services":[{}],"nextToken":"t1"}}"#,
                service("a", "ACTIVE")
            ))
        }
    })
    .await;
    let err = list_services::all_services(&client(&server).await)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ListServicesError::ValidationException(_)),
        "{err:?}"
    );
}

fn new_service() -> create_service::NewService<'static> {
    create_service::NewService {
        name: "web",
        template: "fargate",
        major_version: "1",
        spec: "proton: ServiceSpec\n",
    }
}

#[tokio::test]
async fn create_service_creates_then_waits_until_active() {
    let server = TestServer::start(|r| match r.operation() {
        "CreateService" => Reply::ok(format!(
            r#"{{"service":{}}}"#,
            service("web", "CREATE_IN_PROGRESS")
        )),
        _ => Reply::ok(format!(r#"{{"service":{}}}"#, service("web", "ACTIVE"))),
    })
    .await;
    let created = create_service::create_and_wait(
        &client(&server).await,
        &new_service(),
        Duration::from_secs(60),
    )
    .await
    .unwrap();
    assert_eq!(created.name, "web");
    assert_eq!(created.status, ServiceStatus::Active);
    let requests = server.requests();
    let operations: Vec<&str> = requests.iter().map(Recorded::operation).collect();
    assert_eq!(operations, ["CreateService", "GetService"]);
    assert_eq!(
        requests[0].json(),
        json(
            r#"{"name":"web","templateName":"fargate","templateMajorVersion":"1","spec":"proton: ServiceSpec\n"}"#
        )
    );
    assert_eq!(requests[1].json(), json(r#"{"name":"web"}"#));
}

#[tokio::test]
async fn create_service_reports_a_failed_creation() {
    let server = TestServer::start(|r| match r.operation() {
        "CreateService" => Reply::ok(format!(
            r#"{{"service":{}}}"#,
            service("web", "CREATE_IN_PROGRESS")
        )),
        _ => Reply::ok(format!(
            r#"{{"service":{}}}"#,
            service("web", "CREATE_FAILED")
        )),
    })
    .await;
    let err = create_service::create_and_wait(
        &client(&server).await,
        &new_service(),
        Duration::from_secs(60),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("ServiceCreated"), "{err}");
    assert_eq!(server.requests().len(), 2, "no polling after a failure");
}

#[tokio::test]
async fn create_service_returns_a_modelled_error_of_the_create_call() {
    let server =
        TestServer::start(|_| Reply::error(402, "ServiceQuotaExceededException", "too many")).await;
    let err = create_service::create_and_wait(
        &client(&server).await,
        &new_service(),
        Duration::from_secs(60),
    )
    .await
    .unwrap_err();
    let err = err
        .downcast_ref::<CreateServiceError>()
        .expect("the CreateService error");
    assert!(
        matches!(err, CreateServiceError::ServiceQuotaExceededException(_)),
        "{err:?}"
    );
    assert_eq!(
        server.requests().len(),
        1,
        "no waiting after a failed create"
    );
}

#[tokio::test]
async fn describe_service_tells_a_missing_service_from_other_errors() {
    let server = TestServer::start(|r| match r.json() {
        d if d == json(r#"{"name":"web"}"#) => {
            Reply::ok(format!(r#"{{"service":{}}}"#, service("web", "ACTIVE")))
        }
        d if d == json(r#"{"name":"gone"}"#) => {
            Reply::error(400, "ResourceNotFoundException", "no such service")
        }
        _ => Reply::error(403, "AccessDeniedException", "not yours"),
    })
    .await;
    let client = client(&server).await;
    assert_eq!(
        describe_service::describe(&client, "web").await.unwrap(),
        "web: ACTIVE"
    );
    assert_eq!(
        describe_service::describe(&client, "gone").await.unwrap(),
        "gone: no such service"
    );
    let err = describe_service::describe(&client, "secret")
        .await
        .unwrap_err();
    assert!(
        matches!(err, GetServiceError::AccessDeniedException(_)),
        "{err:?}"
    );
    assert_eq!(
        err.meta().and_then(|m| m.code()),
        Some("AccessDeniedException")
    );
}
