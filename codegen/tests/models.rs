//! Loading: every published model, the operation closure, and a clear
//! error (never a panic) for each kind of broken model.

mod common;

use codegen::{ir, Error, Model};

fn load_err(name: &str) -> String {
    let path = common::fixture(&format!("broken/{name}"));
    let err = Model::load(&path)
        .and_then(|m| codegen::generate(&m, None, &common::options("broken")))
        .expect_err("a broken model must not load");
    err.to_string()
}

#[test]
fn every_published_model_loads_and_generates() {
    let dir = common::shared_model("proton-2020-07-20.json");
    let dir = dir.parent().unwrap();
    let mut paths: Vec<_> = std::fs::read_dir(dir.join("history"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.push(dir.join("proton-2020-07-20.json"));
    paths.sort();
    assert_eq!(paths.len(), 10, "{paths:?}");
    for path in paths {
        let model = Model::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let generated = codegen::generate(&model, None, &common::options("proton"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(generated.files.contains_key("src/lib.rs"));
        assert!(
            generated.skipped.is_empty(),
            "Proton needs nothing unsupported"
        );
    }
}

#[test]
fn operation_counts_follow_the_closure_over_resources() {
    let expected = [
        ("history/proton-2021-07-02.json", 49),
        ("history/proton-2021-12-02.json", 67),
        ("history/proton-2022-06-09.json", 75),
        ("history/proton-2023-04-13.json", 84),
        ("proton-2020-07-20.json", 87),
    ];
    for (name, count) in expected {
        let model = Model::load(&common::shared_model(name)).unwrap();
        let service = ir::select_service(&model, None).unwrap();
        assert_eq!(
            ir::operation_closure(&model, service).len(),
            count,
            "{name}"
        );
        let ir = ir::build(&model, service).unwrap();
        assert_eq!(ir.operations.len(), count, "{name}");
    }
}

#[test]
fn nested_resources_and_collection_operations_are_in_the_closure() {
    let model = Model::load(&common::fixture("resources.json")).unwrap();
    let service = ir::select_service(&model, None).unwrap();
    let names: Vec<String> = ir::operation_closure(&model, service)
        .iter()
        .map(|id| id.name().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "CountShelves",
            "CreateShelf",
            "DeleteBook",
            "GetShelf",
            "ListShelves",
            "Ping",
            "PolishShelf",
            "PutBook"
        ]
    );
}

#[test]
fn missing_file_names_the_path() {
    let err = Model::load(std::path::Path::new("/nonexistent/model.json")).unwrap_err();
    assert!(matches!(err, Error::Read { .. }));
    assert!(
        err.to_string()
            .starts_with("cannot read model file /nonexistent/model.json:"),
        "{err}"
    );
}

#[test]
fn invalid_json_gives_line_and_column() {
    let err = load_err("invalid-json.json");
    assert!(err.contains("invalid-json.json:4:"), "{err}");
    assert!(err.contains("invalid JSON: trailing comma"), "{err}");
}

#[test]
fn missing_target_names_member_and_target() {
    let err = load_err("missing-target.json");
    assert!(
        err.ends_with("`a#In$thing` targets `a#DoesNotExist`, which is not defined in the model or the Smithy prelude"),
        "{err}"
    );
}

#[test]
fn unknown_shape_type_is_named() {
    let err = load_err("unknown-type.json");
    assert!(
        err.contains("shape `a#Weird`: unknown shape type `tuple`"),
        "{err}"
    );
}

#[test]
fn no_service_or_several_services() {
    let err = load_err("no-service.json");
    assert!(
        err.ends_with("the model has no service shape; a client is generated for one service"),
        "{err}"
    );
    let err = load_err("two-services.json");
    assert!(
        err.ends_with("the model has 2 service shapes (a#One, a#Two); choose one with --service"),
        "{err}"
    );
    let model = Model::load(&common::fixture("broken/two-services.json")).unwrap();
    assert!(codegen::generate(&model, Some("a#Two"), &common::options("two")).is_ok());
    let err = codegen::generate(&model, Some("a#Three"), &common::options("two")).unwrap_err();
    assert!(
        err.to_string().contains("no service shape `a#Three`"),
        "{err}"
    );
}

#[test]
fn unsupported_protocol_names_what_it_found() {
    let err = load_err("unsupported-protocol.json");
    assert!(
        err.ends_with("service `a#Rest` uses protocol aws.protocols#restJson1; supported protocols: aws.protocols#awsJson1_0, aws.protocols#awsJson1_1"),
        "{err}"
    );
}

#[test]
fn generation_is_deterministic() {
    let model = Model::load(&common::shared_model("proton-2020-07-20.json")).unwrap();
    let a = codegen::generate(&model, None, &common::options("proton"))
        .unwrap()
        .files;
    let model = Model::load(&common::shared_model("proton-2020-07-20.json")).unwrap();
    let b = codegen::generate(&model, None, &common::options("proton"))
        .unwrap()
        .files;
    assert_eq!(a.len(), b.len());
    for (path, text) in &a {
        assert_eq!(Some(text), b.get(path), "{path} differs between two runs");
    }
    for text in a.values() {
        assert!(
            ["// @generated", "# @generated", "<!-- @generated"]
                .iter()
                .any(|marker| text.starts_with(marker)),
            "every generated file starts with the @generated marker"
        );
    }
}

#[test]
fn unsupported_jmespath_names_the_operation_the_waiter_and_the_expression() {
    let err = load_err("waiter-jmespath.json");
    assert!(
        err.contains(
            "`example.broken#GetThing`, trait `smithy.waiters#waitable`, at `ThingExists.acceptors[0].matcher.output.path`: "
        ),
        "{err}"
    );
    assert!(err.contains("waiter `ThingExists`"), "{err}");
    assert!(err.contains("operation `GetThing`"), "{err}");
    // The supported part (a filter, `length`, `>`, `&&`) passes; the error
    // names the construct that is not compiled.
    assert!(
        err.contains(
            "JMESPath `length(things[?@ == `\"a\"`]) > `0` && join(`\",\"`, things) == `\"a\"``"
        ),
        "{err}"
    );
    assert!(
        err.contains("function `join` is not compiled: it builds a new string"),
        "{err}"
    );
}

#[test]
fn a_comparator_on_the_wrong_type_is_a_codegen_error() {
    let err = load_err("waiter-type.json");
    assert!(err.contains("waiter `ThingReady`"), "{err}");
    assert!(
        err.contains("stringEquals needs a string, and this is a number"),
        "{err}"
    );
}

#[test]
fn a_paginated_output_token_must_have_the_input_tokens_type() {
    let err = load_err("paginated-token-type.json");
    assert!(
        err.ends_with(
            "`example.broken#GetThing`, trait `smithy.api#paginated`, at `outputToken`: outputToken `state` is integer, but inputToken `token` is string: a page returns the token the next request sends"
        ),
        "{err}"
    );
}

/// Every problem the IR finds in a model names the file, the shape or
/// member, the trait and the place inside its value; none starts with an
/// empty location.
#[test]
fn model_errors_say_where() {
    for (fixture, location, message) in [
        (
            "bad-default.json",
            "`example.broken#GetThingOutput$count`, trait `smithy.api#default`",
            "@default value \"five\" does not fit the member's type",
        ),
        (
            "host-prefix.json",
            "`example.broken#PutThing`, trait `smithy.api#endpoint`, at `hostPrefix`",
            "hostPrefix `{Bucket}.data.` names `Bucket`, which the input does not have",
        ),
        (
            "endpoint-rules.json",
            "`example.broken#Svc`, trait `smithy.rules#endpointRuleSet`, at `endpointRuleSet.rules[0].conditions[0]`",
            "unknown endpoint rules function `aws.isVirtualHostableS3Bucket`",
        ),
        (
            "endpoint-tests.json",
            "`example.broken#Svc`, trait `smithy.rules#endpointTests`, at `endpointTests.testCases[0]`",
            "sets `Regoin`, which is not a parameter of the rule set",
        ),
        (
            "required-recursion.json",
            "`example.broken#Edge`",
            "contains itself through @required members (`example.broken#Edge$to` → `example.broken#Node$edge`), which Smithy forbids",
        ),
        (
            "list-recursion.json",
            "`example.broken#Nest`",
            "contains itself through list and map members only (`example.broken#Nest$member`), which Smithy forbids: a recursive type must go through a structure or union",
        ),
        (
            "map-recursion.json",
            "`example.broken#Table`",
            "contains itself through list and map members only (`example.broken#Table$value` → `example.broken#Rows$member`), which Smithy forbids: a recursive type must go through a structure or union",
        ),
        (
            "paginated-token-type.json",
            "`example.broken#GetThing`, trait `smithy.api#paginated`, at `outputToken`",
            "outputToken `state` is integer, but inputToken `token` is string",
        ),
        (
            "waiter-type.json",
            "`example.broken#GetThing`, trait `smithy.waiters#waitable`, at `ThingReady.acceptors[0].matcher.output.path`",
            "waiter `ThingReady` of operation `GetThing`: JMESPath `state` (stringEquals \"READY\")",
        ),
        (
            "discovery-no-service-trait.json",
            "`example.broken#Write`, trait `aws.api#clientDiscoveredEndpoint`, at `required`",
            "the operation requires endpoint discovery, but the service has no `aws.api#clientEndpointDiscovery` trait",
        ),
        (
            "discovery-output.json",
            "`example.broken#Svc`, trait `aws.api#clientEndpointDiscovery`, at `operation`",
            "the output of `example.broken#DescribeEndpoints` must hold `Endpoints`, a list of structures with a string `Address` and an integer `CachePeriodInMinutes`",
        ),
        (
            "discovery-identifiers.json",
            "`example.broken#Write`, trait `aws.api#clientDiscoveredEndpoint`",
            "the input has discovery identifiers, but the input of `DescribeEndpoints` has no `Operation` and `Identifiers` to send them in",
        ),
    ] {
        let err = load_err(fixture);
        let expected = format!("broken/{fixture}: {location}: {message}");
        assert!(err.contains(&expected), "{fixture}:\n  got  {err}\n  want {expected}");
    }
}

/// A waiter path nested deeper than any walk of it may go is refused with
/// where it is, not a stack overflow (parsing it, typing it, emitting it
/// and dropping it all recurse).
#[test]
fn a_waiter_path_nested_too_deep_is_a_located_error() {
    let path = common::fixture("broken/waiter-type.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let n = 50_000;
    for deep in [
        format!("{}state{}", "(".repeat(n), ")".repeat(n)),
        vec!["state"; n].join(" || "),
    ] {
        let model = text.replace("\"path\": \"state\"", &format!("\"path\": \"{deep}\""));
        assert_ne!(model, text);
        let err = Model::from_json(&model, "deep.json")
            .and_then(|m| codegen::generate(&m, None, &common::options("deep")))
            .expect_err("too deep")
            .to_string();
        let location = "deep.json: `example.broken#GetThing`, trait `smithy.waiters#waitable`, at `ThingReady.acceptors[0].matcher.output.path`";
        assert!(err.starts_with(location), "{}", &err[..300.min(err.len())]);
        assert!(err.len() < 500, "the message quotes a piece of the path: {err}");
        assert!(
            err.contains("the expression nests more than 64 levels deep"),
            "{}",
            &err[..300.min(err.len())]
        );
    }
}

/// The default package name of every corpus model (`../shared/models/corpus/`,
/// named as in api-models-aws: `<service>-<version>.json`) is `aws-<service>`:
/// the name users know the service by, from the sdkId alone.
#[test]
fn corpus_crates_are_named_after_the_sdk_id_as_users_know_it() {
    let dir = common::shared_model("corpus/README.md");
    let dir = dir.parent().unwrap();
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 16, "{paths:?}");
    for path in paths {
        let stem = path.file_stem().unwrap().to_str().unwrap();
        // `sso-admin-2020-07-20` → `sso-admin`
        let folder = stem.rsplitn(4, '-').nth(3).unwrap();
        let model = Model::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let shape = ir::select_service(&model, None).unwrap();
        let service = ir::build(&model, shape).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            codegen::Options::default().crate_name(&service),
            format!("aws-{folder}"),
            "{}",
            path.display()
        );
    }
}

/// Every published waiter we have (the corpus, Proton and its history)
/// compiles: the IR types each acceptor's JMESPath against the model and
/// the crate has one `wait_until_*` method per waiter the model declares.
/// (`cargo xtask corpus` then builds and lints the corpus crates.)
#[test]
fn every_waiter_of_the_corpus_and_the_history_models_compiles() {
    let proton = common::shared_model("proton-2020-07-20.json");
    let dir = proton.parent().unwrap();
    let mut paths = vec![proton.clone()];
    for sub in ["corpus", "history"] {
        paths.extend(
            std::fs::read_dir(dir.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "json")),
        );
    }
    paths.sort();
    assert_eq!(paths.len(), 26, "{paths:?}");
    let mut total = 0;
    for path in paths {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let declared: usize = json["shapes"]
            .as_object()
            .unwrap()
            .values()
            .filter_map(|s| s["traits"]["smithy.waiters#waitable"].as_object())
            .map(|w| w.len())
            .sum();
        let model = Model::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let generated = codegen::generate(&model, None, &common::options("corpus"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let methods = generated.files["src/client.rs"]
            .matches("pub fn wait_until_")
            .count();
        assert_eq!(methods, declared, "{}", path.display());
        total += declared;
    }
    assert_eq!(total, 125, "the corpus and history declare 125 waiters");
}
