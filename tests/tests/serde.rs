//! The Proton client's `serde` feature: every type serializes in its wire
//! form (JSON member names, epoch-second timestamps, enum values), a dumped
//! output reads back into an equal value, unknown enum values round-trip,
//! sensitive members are written, and request IDs and error metadata are
//! not. (`proton_operations.rs` round-trips every operation's output.)

use aws_proton::error::ResourceNotFoundException;
use aws_proton::mock::{mock, Mocks};
use aws_proton::operation::get_service::GetServiceOutput;
use aws_proton::types::{Service, ServiceStatus};
use aws_proton::{Client, DateTime};
use serde_json::json;

fn service(status: ServiceStatus) -> Service {
    Service::builder()
        .name("web")
        .arn("arn:aws:proton:us-east-1:1:service/web")
        .template_name("t")
        .created_at(DateTime::from_secs_and_nanos(1_600_000_000, 250_000_000).unwrap())
        .last_modified_at(DateTime::from_secs(1_600_000_000))
        .status(status)
        .spec("secret spec")
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_output_from_a_call_dumps_in_wire_form_and_reads_back() {
    let rule = mock!(Client::get_service).then_output(|| {
        GetServiceOutput::builder()
            .service(service(ServiceStatus::Active))
            .build()
    });
    let mocks = Mocks::new([rule]);
    let output = mocks
        .client()
        .get_service()
        .name("web")
        .send()
        .await
        .unwrap();
    assert!(output.request_id().is_some());

    let dumped = serde_json::to_value(&output).unwrap();
    assert_eq!(
        dumped,
        json!({"service": {
            "name": "web",
            "arn": "arn:aws:proton:us-east-1:1:service/web",
            "templateName": "t",
            "createdAt": 1_600_000_000.25,
            "lastModifiedAt": 1_600_000_000,
            "status": "ACTIVE",
            "spec": "secret spec",
        }}),
        "wire names, unset members left out, the sensitive spec written, no request ID"
    );
    let read: GetServiceOutput = serde_json::from_value(dumped).unwrap();
    assert_eq!(read, output);
    assert_eq!(read.request_id(), None);
}

#[test]
fn unknown_enum_values_round_trip() {
    let status = ServiceStatus::from("PAUSED_BY_A_NEWER_SERVICE");
    assert!(matches!(status, ServiceStatus::Unknown(_)));
    let text = serde_json::to_string(&service(status.clone())).unwrap();
    assert!(text.contains(r#""status":"PAUSED_BY_A_NEWER_SERVICE""#), "{text}");
    let read: Service = serde_json::from_str(&text).unwrap();
    assert_eq!(read.status, status);
    assert_eq!(read.status.as_str(), "PAUSED_BY_A_NEWER_SERVICE");
}

#[test]
fn a_missing_required_member_is_an_error_naming_it() {
    let err = serde_json::from_value::<Service>(json!({"name": "web"})).unwrap_err();
    assert!(err.to_string().contains("missing field `arn`"), "{err}");
}

#[test]
fn errors_write_their_members_but_not_their_metadata() {
    let e = ResourceNotFoundException::builder()
        .message("no such service")
        .build()
        .unwrap();
    let dumped = serde_json::to_value(&e).unwrap();
    assert_eq!(dumped, json!({"message": "no such service"}));
    let read: ResourceNotFoundException = serde_json::from_value(dumped).unwrap();
    assert_eq!(read, e);
}
