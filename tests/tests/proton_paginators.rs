//! Paginators of the generated Proton client against a loopback server
//! serving several pages: pages and items in order, the token sent each
//! time, the page size, the end conditions (no token, empty token, a
//! repeated token) and errors.

use aws_json_runtime::RequestErrorKind;
use aws_proton::operation::list_service_instance_outputs::ListServiceInstanceOutputsError;
use aws_proton::operation::list_services::ListServicesError;
use aws_proton::Client;
use std::future::poll_fn;
use std::pin::Pin;
use workspace_tests::{test_config, test_loader, Recorded, Reply, TestServer};

fn summary(name: &str) -> String {
    format!(
        r#"{{"name":"{name}","arn":"arn:{name}","templateName":"t","createdAt":1,"lastModifiedAt":1,"status":"ACTIVE"}}"#
    )
}

fn page(names: &[&str], token: Option<&str>) -> Reply {
    let services: Vec<String> = names.iter().map(|n| summary(n)).collect();
    let token = token.map_or(String::new(), |t| format!(r#","nextToken":"{t}""#));
    Reply::ok(format!(r#"{{"services":[{}]{token}}}"#, services.join(",")))
}

/// The `nextToken` a request carried.
fn token(r: &Recorded) -> Option<String> {
    let body = String::from_utf8(r.body.clone()).unwrap();
    let doc: aws_json_runtime::Document =
        aws_json_runtime::json::from_slice(body.as_bytes()).unwrap();
    match doc {
        aws_json_runtime::Document::Object(map) => map.get("nextToken").map(|t| match t {
            aws_json_runtime::Document::String(s) => s.clone(),
            other => panic!("nextToken is {other:?}"),
        }),
        other => panic!("body is {other:?}"),
    }
}

/// Three pages: a, b | c | d, linked by tokens t1, t2.
fn three_pages(r: &Recorded) -> Reply {
    match token(r).as_deref() {
        None => page(&["a", "b"], Some("t1")),
        Some("t1") => page(&["c"], Some("t2")),
        Some("t2") => page(&["d"], None),
        Some(other) => Reply::error(400, "ValidationException", &format!("bad token {other}")),
    }
}

async fn client(server: &TestServer) -> Client {
    Client::new(&test_config(&server.url()).await)
}

#[tokio::test]
async fn pages_arrive_in_order_each_request_carrying_the_previous_token() {
    let server = TestServer::start(three_pages).await;
    let mut pages = client(&server).await.list_services().into_paginator();
    let mut names = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        names.push(
            page.services
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(names, [vec!["a", "b"], vec!["c"], vec!["d"]]);
    assert!(pages.next().await.is_none(), "the stream stays ended");
    let tokens: Vec<Option<String>> = server.requests().iter().map(token).collect();
    assert_eq!(tokens, [None, Some("t1".into()), Some("t2".into())]);
    for r in server.requests() {
        assert_eq!(r.operation(), "ListServices");
    }
}

#[tokio::test]
async fn items_flatten_the_pages_in_order() {
    let server = TestServer::start(three_pages).await;
    let mut items = client(&server)
        .await
        .list_services()
        .into_paginator()
        .items();
    let mut names = Vec::new();
    while let Some(item) = items.next().await {
        names.push(item.unwrap().name);
    }
    assert_eq!(names, ["a", "b", "c", "d"]);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn paginators_are_futures_core_streams() {
    use futures_core::Stream;
    let server = TestServer::start(three_pages).await;
    let mut items = client(&server)
        .await
        .list_services()
        .into_paginator()
        .items();
    let mut names = Vec::new();
    while let Some(item) = poll_fn(|cx| Pin::new(&mut items).poll_next(cx)).await {
        names.push(item.unwrap().name);
    }
    assert_eq!(names, ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn the_page_size_and_the_callers_members_are_sent_on_every_page() {
    let server = TestServer::start(three_pages).await;
    let mut pages = client(&server)
        .await
        .list_services()
        .into_paginator()
        .page_size(2);
    while let Some(page) = pages.next().await {
        page.unwrap();
    }
    let bodies: Vec<String> = server
        .requests()
        .iter()
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            r#"{"maxResults":2}"#,
            r#"{"nextToken":"t1","maxResults":2}"#,
            r#"{"nextToken":"t2","maxResults":2}"#,
        ]
    );
}

#[tokio::test]
async fn a_token_set_by_the_caller_starts_there() {
    let server = TestServer::start(three_pages).await;
    let mut items = client(&server)
        .await
        .list_services()
        .next_token("t1")
        .into_paginator()
        .items();
    let mut names = Vec::new();
    while let Some(item) = items.next().await {
        names.push(item.unwrap().name);
    }
    assert_eq!(names, ["c", "d"]);
}

#[tokio::test]
async fn an_empty_token_ends_the_pagination() {
    let server = TestServer::start(|r| match token(r) {
        None => page(&["a"], Some("")),
        Some(_) => panic!("no second request expected"),
    })
    .await;
    let mut pages = client(&server).await.list_services().into_paginator();
    assert_eq!(pages.next().await.unwrap().unwrap().services.len(), 1);
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_repeated_token_ends_with_an_error_instead_of_looping() {
    let server = TestServer::start(|r| match token(r).as_deref() {
        None => page(&["a"], Some("same")),
        Some("same") => page(&["b"], Some("same")),
        Some(other) => panic!("unexpected token {other}"),
    })
    .await;
    let mut pages = client(&server).await.list_services().into_paginator();
    assert_eq!(pages.next().await.unwrap().unwrap().services[0].name, "a");
    // The page is still yielded; the error follows it.
    assert_eq!(pages.next().await.unwrap().unwrap().services[0].name, "b");
    let err = pages.next().await.unwrap().unwrap_err();
    let ListServicesError::Request(e) = &err else {
        panic!("expected a request error, got {err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::Response);
    assert!(e.to_string().contains("same"), "{e}");
    assert!(pages.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_mid_way_is_yielded_and_ends_the_stream() {
    let server = TestServer::start(|r| match token(r).as_deref() {
        None => page(&["a", "b"], Some("t1")),
        _ => Reply::error(400, "ValidationException", "the token expired"),
    })
    .await;
    let mut items = client(&server)
        .await
        .list_services()
        .into_paginator()
        .items();
    assert_eq!(items.next().await.unwrap().unwrap().name, "a");
    assert_eq!(items.next().await.unwrap().unwrap().name, "b");
    let err = items.next().await.unwrap().unwrap_err();
    assert!(
        matches!(err, ListServicesError::ValidationException(_)),
        "{err:?}"
    );
    assert!(items.next().await.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_missing_required_member_is_the_first_and_only_item() {
    let server = TestServer::start(|_| Reply::ok("{}")).await;
    let mut pages = client(&server)
        .await
        .list_service_instance_outputs()
        .into_paginator();
    let err = pages.next().await.unwrap().unwrap_err();
    let ListServiceInstanceOutputsError::Request(e) = &err else {
        panic!("expected a request error, got {err:?}")
    };
    assert_eq!(e.kind(), RequestErrorKind::InvalidInput);
    assert!(pages.next().await.is_none());
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn nested_outputs_page_through_their_items() {
    // ListServiceInstanceOutputs: items `outputs`, no page size.
    let server = TestServer::start(|r| {
        if r.body.windows(2).any(|w| w == b"t1") {
            Reply::ok(r#"{"outputs":[{"key":"k2","valueString":"v2"}]}"#)
        } else {
            Reply::ok(r#"{"outputs":[{"key":"k1","valueString":"v1"}],"nextToken":"t1"}"#)
        }
    })
    .await;
    let config = test_loader(&server.url()).load().await;
    let mut items = Client::new(&config)
        .list_service_instance_outputs()
        .service_name("s")
        .service_instance_name("i")
        .into_paginator()
        .items();
    let mut keys = Vec::new();
    while let Some(item) = items.next().await {
        keys.push(item.unwrap().key.unwrap());
    }
    assert_eq!(keys, ["k1", "k2"]);
}
