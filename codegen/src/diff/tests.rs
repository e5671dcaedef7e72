//! The rules, on small made-up models: what each kind of change gives.

use super::*;
use crate::model::Model;
use serde_json::{json, Value};

/// A Smithy 2.0 model of a made-up `Widget` service bound to `ops`
/// (shape names in namespace `w`), with `shapes` (JSON object entries).
fn widgets(ops: &[&str], shapes: &str) -> Model {
    let ops: Vec<String> = ops
        .iter()
        .map(|o| format!(r#"{{"target":"w#{o}"}}"#))
        .collect();
    let sep = if shapes.trim().is_empty() { "" } else { "," };
    let text = format!(
        r#"{{"smithy":"2.0","shapes":{{
              "w#Widgets":{{"type":"service","version":"2024-01-01","operations":[{}],
                "traits":{{"aws.protocols#awsJson1_0":{{}},"smithy.api#title":"Widget Service"}}}}{sep}
              {shapes}
            }}}}"#,
        ops.join(","),
    );
    match Model::from_json(&text, "test.json") {
        Ok(m) => m,
        Err(e) => panic!("test model does not load: {e}\n{text}"),
    }
}

/// `DescribeWidget`: input `{id}`, output `{widget: Widget}`; `widget`
/// is the body of the `Widget` structure, `extra` more shapes.
fn describe(widget: &str, extra: &str) -> String {
    format!(
        r#""w#DescribeWidget":{{"type":"operation","input":{{"target":"w#DescribeWidgetInput"}},"output":{{"target":"w#DescribeWidgetOutput"}}}},
              "w#DescribeWidgetInput":{{"type":"structure","members":{{"id":{{"target":"smithy.api#String","traits":{{"smithy.api#required":{{}}}}}}}}}},
              "w#DescribeWidgetOutput":{{"type":"structure","members":{{"widget":{{"target":"w#Widget"}}}}}},
              "w#Widget":{widget}{extra}"#
    )
}

fn run(old: &Model, new: &Model) -> (ApiDiff, String) {
    let d = match diff(old, new, None) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let text = render_text(&d, "2024/01/02");
    (d, text)
}

fn last_line(text: &str) -> &str {
    text.lines().last().unwrap_or_default()
}

const SHAPE_V1: &str =
    r#","w#Shape":{"type":"enum","members":{"SQUARE":{"target":"smithy.api#Unit"}}}"#;
const SHAPE_V2: &str = r#","w#Shape":{"type":"enum","members":{"SQUARE":{"target":"smithy.api#Unit"},"HEXAGON":{"target":"smithy.api#Unit"}}}"#;

#[test]
fn identical_models_have_no_changes() {
    let m = widgets(
        &["DescribeWidget"],
        &describe(
            r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"}}}"#,
            "",
        ),
    );
    let (d, text) = run(&m, &m);
    assert_eq!(d.verdict, Verdict::None);
    assert_eq!(
        text,
        "2024/01/02 - Widget Service - 0 new 0 updated api methods\n\nNo API changes.\n\
             Verdict: none: no change to operations, shapes or traits\n"
    );
}

#[test]
fn new_operation_lists_request_and_response_to_the_leaves() {
    let widget = r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"}}}"#;
    let old = widgets(&["DescribeWidget"], &describe(widget, ""));
    let list = r#","w#ListWidgets":{"type":"operation","input":{"target":"w#ListIn"},"output":{"target":"w#ListOut"},"errors":[{"target":"w#Throttled"}]},
              "w#ListIn":{"type":"structure","members":{
                "owner":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}},
                "max":{"target":"smithy.api#Integer"}}},
              "w#ListOut":{"type":"structure","members":{
                "widgets":{"target":"w#WidgetList","traits":{"smithy.api#required":{}}},
                "tags":{"target":"w#Tags"},
                "shape":{"target":"w#Shape"}}},
              "w#WidgetList":{"type":"list","member":{"target":"w#Widget"}},
              "w#Tags":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"smithy.api#Timestamp"}},
              "w#Throttled":{"type":"structure","members":{},"traits":{"smithy.api#error":"client"}}"#;
    let new = widgets(
        &["DescribeWidget", "ListWidgets"],
        &describe(widget, &format!("{list}{SHAPE_V2}")),
    );
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::Additive);
    assert!(text.starts_with("2024/01/02 - Widget Service - 1 new 0 updated api methods\n"));
    let expected = "\
ListWidgets (new)
Request
{
    'owner': 'string',  # required
    'max': 'integer',
}
Response
{
    'widgets': [{  # required
        'name': 'string',
    }],
    'tags': {'string': 'timestamp'},
    'shape': {'SQUARE', 'HEXAGON'},
}
Errors: Throttled
";
    assert!(text.contains(expected), "{text}");
    assert_eq!(
        last_line(&text),
        "Verdict: additive: new operations: ListWidgets"
    );
}

#[test]
fn updated_operation_shows_added_members_and_enum_values() {
    let old = widgets(
        &["DescribeWidget"],
        &describe(
            r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"},"shape":{"target":"w#Shape"}}}"#,
            SHAPE_V1,
        ),
    );
    let new = widgets(
        &["DescribeWidget"],
        &describe(
            r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"},"color":{"target":"smithy.api#String"},"shape":{"target":"w#Shape"}}}"#,
            SHAPE_V2,
        ),
    );
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::Additive);
    assert!(
            text.contains(
                "DescribeWidget (updated)\nChanges (response)\n{'widget': {'color': 'string', 'shape': {'HEXAGON'}}}\n"
            ),
            "{text}"
        );
    assert_eq!(
        last_line(&text),
        "Verdict: additive: additions to DescribeWidget"
    );
    let json: Value = serde_json::from_str(&render_json(&d, "2024/01/02")).unwrap_or_default();
    assert_eq!(json["verdict"], "additive");
    assert_eq!(
        json["updated"][0]["response"]["members"]["widget"]["changes"]["members"]["shape"]
            ["changes"]["enum"]["added"],
        json!(["HEXAGON"])
    );
}

#[test]
fn changed_type_is_breaking() {
    let old = widgets(
        &["DescribeWidget"],
        &describe(
            r#"{"type":"structure","members":{"size":{"target":"smithy.api#Integer"}}}"#,
            "",
        ),
    );
    let new = widgets(
        &["DescribeWidget"],
        &describe(
            r#"{"type":"structure","members":{"size":{"target":"smithy.api#Long"}}}"#,
            "",
        ),
    );
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::Breaking);
    assert!(
        text.contains("Changes (response)\nwidget.size: 'integer' -> 'long' (type changed)\n"),
        "{text}"
    );
    assert_eq!(
        last_line(&text),
        "Verdict: breaking: changed type of Widget.size: integer -> long"
    );
}

#[test]
fn a_target_swap_between_same_kind_shapes_is_no_type_change() {
    let old = widgets(
        &["DescribeWidget"],
        &describe(
            r#"{"type":"structure","members":{"arn":{"target":"w#Arn"}}}"#,
            r#","w#Arn":{"type":"string","traits":{"smithy.api#length":{"max":10}}}"#,
        ),
    );
    let new = widgets(
        &["DescribeWidget"],
        &describe(
            r#"{"type":"structure","members":{"arn":{"target":"w#RoleArn"}}}"#,
            r#","w#RoleArn":{"type":"string","traits":{"smithy.api#length":{"max":20}}}"#,
        ),
    );
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::DocsOnly, "{text}");
    assert!(
        text.contains("Constraint changes (not checked by the client): Widget.arn (length)\n"),
        "{text}"
    );
    assert!(
        text.contains("Documentation changes: DescribeWidget\n"),
        "{text}"
    );
}

#[test]
fn requiredness_rules() {
    let op = |input_required: bool, nested_required: bool, output_required: bool| {
        let req = |r: bool| {
            if r {
                r#","traits":{"smithy.api#required":{}}"#
            } else {
                ""
            }
        };
        widgets(
            &["PutWidget"],
            &format!(
                r#""w#PutWidget":{{"type":"operation","input":{{"target":"w#PutIn"}},"output":{{"target":"w#PutOut"}}}},
                    "w#PutIn":{{"type":"structure","members":{{
                        "id":{{"target":"smithy.api#String","traits":{{"smithy.api#required":{{}}}}}},
                        "name":{{"target":"smithy.api#String"{}}},
                        "spec":{{"target":"w#Spec"}}}}}},
                    "w#Spec":{{"type":"structure","members":{{"size":{{"target":"smithy.api#Integer"{}}}}}}},
                    "w#PutOut":{{"type":"structure","members":{{"etag":{{"target":"smithy.api#String"{}}}}}}}"#,
                req(input_required),
                req(nested_required),
                req(output_required)
            ),
        )
    };
    let verdict = |old: &Model, new: &Model| {
        let (d, text) = run(old, new);
        (d.verdict, last_line(&text).to_owned(), text)
    };
    // Required on input: calls that worked are refused.
    let (v, line, text) = verdict(&op(false, false, false), &op(true, false, false));
    assert_eq!(v, Verdict::Breaking);
    assert_eq!(
        line,
        "Verdict: breaking: made required on input: PutIn.name"
    );
    assert!(
        text.contains("Changes (request)\nname: now required\n"),
        "{text}"
    );
    // Optional on a top-level input: the service accepts more.
    let (v, _, text) = verdict(&op(true, false, false), &op(false, false, false));
    assert_eq!(v, Verdict::Additive);
    assert!(text.contains("name: now optional\n"), "{text}");
    // Optional in a nested input structure: its Rust field type changes.
    let (v, line, _) = verdict(&op(false, true, false), &op(false, false, false));
    assert_eq!(v, Verdict::Breaking);
    assert_eq!(
        line,
        "Verdict: breaking: made optional in a nested input structure: Spec.size"
    );
    // Output, either way: `Option<T>` <-> `T` in Rust.
    let (v, line, _) = verdict(&op(false, false, false), &op(false, false, true));
    assert_eq!(v, Verdict::Breaking);
    assert_eq!(
        line,
        "Verdict: breaking: made required on output: PutOut.etag"
    );
    let (v, line, _) = verdict(&op(false, false, true), &op(false, false, false));
    assert_eq!(v, Verdict::Breaking);
    assert_eq!(
        line,
        "Verdict: breaking: made optional on output: PutOut.etag"
    );
}

#[test]
fn a_new_required_input_member_is_breaking() {
    let old = widgets(
        &["DescribeWidget"],
        &describe(r#"{"type":"structure","members":{}}"#, ""),
    );
    let text = describe(r#"{"type":"structure","members":{}}"#, "").replace(
            r#""members":{"id""#,
            r#""members":{"region":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}},"id""#,
        );
    let new = widgets(&["DescribeWidget"], &text);
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::Breaking);
    assert!(
        text.contains("Changes (request)\n{'region': 'string'}\nregion: new required member\n"),
        "{text}"
    );
    assert_eq!(
        last_line(&text),
        "Verdict: breaking: added required input member DescribeWidgetInput.region"
    );
}

#[test]
fn losing_the_last_required_input_member_changes_build() {
    let widget = r#"{"type":"structure","members":{}}"#;
    let old = widgets(&["DescribeWidget"], &describe(widget, ""));
    let text = describe(widget, "").replace(
        r#""id":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}}"#,
        r#""id":{"target":"smithy.api#String"}"#,
    );
    let new = widgets(&["DescribeWidget"], &text);
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::Breaking);
    assert_eq!(
        last_line(&text),
        "Verdict: breaking: DescribeWidgetInput has no required member left \
             (its builder's build() no longer returns Result)"
    );
}

#[test]
fn removals_are_breaking_and_marked() {
    let ping = r#","w#Ping":{"type":"operation"}"#;
    let old = widgets(
        &["DescribeWidget", "Ping"],
        &describe(
            r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"},"shape":{"target":"w#Shape"}}}"#,
            &format!("{SHAPE_V2}{ping}"),
        ),
    );
    let new = widgets(
        &["DescribeWidget"],
        &describe(
            r#"{"type":"structure","members":{"shape":{"target":"w#Shape"}}}"#,
            SHAPE_V1,
        ),
    );
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::Breaking);
    assert_eq!(d.removed_operations, ["Ping"]);
    assert!(
            text.contains(
                "DescribeWidget (updated)\nChanges (response)\n{'widget': {'shape': {'HEXAGON'}, 'name': 'string'}} (removed)\n"
            ),
            "{text}"
        );
    assert!(text.contains("\nPing (removed)\n"), "{text}");
    assert_eq!(
            last_line(&text),
            "Verdict: breaking: removed operation Ping; removed member Widget.name; removed enum value Shape.HEXAGON"
        );
}

#[test]
fn documentation_only_changes_are_not_updates() {
    let widget = |doc: &str| {
        format!(
            r#"{{"type":"structure","members":{{"name":{{"target":"smithy.api#String","traits":{{"smithy.api#documentation":"{doc}"}}}}}}}}"#
        )
    };
    let old = widgets(&["DescribeWidget"], &describe(&widget("The name."), ""));
    let new = widgets(
        &["DescribeWidget"],
        &describe(&widget("The widget's name."), ""),
    );
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::DocsOnly);
    assert!(d.updated_operations.is_empty());
    assert_eq!(d.docs_only_operations, ["DescribeWidget"]);
    assert!(
            text.ends_with(
                "\nNo API changes.\nDocumentation changes: DescribeWidget\n\
                 Verdict: docs-only: no API change; documentation or traits changed in 1 operations and 0 errors\n"
            ),
            "{text}"
        );
}

#[test]
fn changes_are_found_through_lists_maps_and_unions() {
    let body = |widget: &str| {
        format!(
            r#""w#DescribeWidget":{{"type":"operation","output":{{"target":"w#Out"}}}},
                "w#Out":{{"type":"structure","members":{{
                    "widgets":{{"target":"w#WidgetList"}},
                    "byName":{{"target":"w#WidgetMap"}},
                    "choice":{{"target":"w#Choice"}}}}}},
                "w#WidgetList":{{"type":"list","member":{{"target":"w#Widget"}}}},
                "w#WidgetMap":{{"type":"map","key":{{"target":"smithy.api#String"}},"value":{{"target":"w#Widget"}}}},
                "w#Choice":{{"type":"union","members":{{"widget":{{"target":"w#Widget"}},"none":{{"target":"smithy.api#Unit"}}}}}},
                "w#Widget":{widget}"#
        )
    };
    let old = widgets(
        &["DescribeWidget"],
        &body(r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"}}}"#),
    );
    let new = widgets(
        &["DescribeWidget"],
        &body(
            r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"},"color":{"target":"smithy.api#String"}}}"#,
        ),
    );
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::Additive);
    assert!(
            text.contains(
                "{'widgets': [{'color': 'string'}], 'byName': {'string': {'color': 'string'}}, 'choice': {'widget': {'color': 'string'}}}\n"
            ),
            "{text}"
        );
}

#[test]
fn recursive_shapes_terminate() {
    let tree = |extra: &str| {
        format!(
            r#""w#GetTree":{{"type":"operation","output":{{"target":"w#TreeOut"}}}},
                "w#TreeOut":{{"type":"structure","members":{{"root":{{"target":"w#Node"}}}}}},
                "w#Node":{{"type":"structure","members":{{"children":{{"target":"w#Nodes"}}{extra}}}}},
                "w#Nodes":{{"type":"list","member":{{"target":"w#Node"}}}}"#
        )
    };
    let empty = widgets(&[], "");
    let old = widgets(&["GetTree"], &tree(""));
    let new = widgets(
        &["GetTree"],
        &tree(r#","label":{"target":"smithy.api#String"}"#),
    );
    let (_, text) = run(&empty, &old);
    assert!(
        text.contains("{\n    'root': {\n        'children': [<recursive Node>],\n    },\n}\n"),
        "{text}"
    );
    let (d, text) = run(&old, &new);
    assert_eq!(d.verdict, Verdict::Additive);
    assert!(text.contains("{'root': {'label': 'string'}}\n"), "{text}");
}

#[test]
fn modelled_errors_added_and_removed() {
    let op = |errors: &str| {
        widgets(
            &["Ping"],
            &format!(
                r#""w#Ping":{{"type":"operation","errors":[{errors}]}},
                    "w#Busy":{{"type":"structure","members":{{}},"traits":{{"smithy.api#error":"server"}}}},
                    "w#Gone":{{"type":"structure","members":{{}},"traits":{{"smithy.api#error":"client"}}}}"#
            ),
        )
    };
    let (d, text) = run(
        &op(r#"{"target":"w#Gone"}"#),
        &op(r#"{"target":"w#Gone"},{"target":"w#Busy"}"#),
    );
    assert_eq!(d.verdict, Verdict::Additive);
    assert!(
        text.contains("Ping (updated)\nChanges (errors)\nErrors (new): Busy\n"),
        "{text}"
    );
    let (d, text) = run(&op(r#"{"target":"w#Gone"}"#), &op(""));
    assert_eq!(d.verdict, Verdict::Breaking);
    assert_eq!(
        last_line(&text),
        "Verdict: breaking: removed error Gone from Ping"
    );
}

#[test]
fn smithy_1_and_2_spellings_of_one_model_do_not_differ() {
    let v2 = widgets(
        &["DescribeWidget"],
        &describe(
            r#"{"type":"structure","members":{"shape":{"target":"w#Shape"},"tags":{"target":"w#Tags"}}}"#,
            &format!(
                r#"{SHAPE_V2},"w#Tags":{{"type":"list","member":{{"target":"smithy.api#String"}},"traits":{{"smithy.api#uniqueItems":{{}}}}}}"#
            ),
        ),
    );
    let v1_text = r#"{"smithy":"1.0","shapes":{
            "w#Widgets":{"type":"service","version":"2024-01-01","operations":[{"target":"w#DescribeWidget"}],
              "traits":{"aws.protocols#awsJson1_0":{},"smithy.api#title":"Widget Service"}},
            "w#DescribeWidget":{"type":"operation","input":{"target":"w#DescribeWidgetInput"},"output":{"target":"w#DescribeWidgetOutput"}},
            "w#DescribeWidgetInput":{"type":"structure","members":{"id":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}}}},
            "w#DescribeWidgetOutput":{"type":"structure","members":{"widget":{"target":"w#Widget"}}},
            "w#Widget":{"type":"structure","members":{"shape":{"target":"w#Shape"},"tags":{"target":"w#Tags"}}},
            "w#Shape":{"type":"string","traits":{"smithy.api#enum":[{"value":"SQUARE","name":"SQUARE"},{"value":"HEXAGON","name":"HEXAGON"}]}},
            "w#Tags":{"type":"set","member":{"target":"smithy.api#String"}}
        }}"#;
    let v1 = Model::from_json(v1_text, "v1.json").unwrap_or_else(|e| panic!("{e}"));
    let (d, text) = run(&v1, &v2);
    assert_eq!(d.verdict, Verdict::None, "{text}");
}

#[test]
fn service_changes_the_crate_shows_are_docs_only() {
    let old = widgets(&[], "");
    let service = |traits: &str| {
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{"w#Widgets":{{"type":"service","version":"2024-01-01",
            "traits":{{"aws.protocols#awsJson1_0":{{}},"smithy.api#title":"Widget Service"{traits}}}}}}}}}"#
        );
        Model::from_json(&text, "new.json").unwrap_or_else(|e| panic!("{e}"))
    };
    let (d, text) = run(
        &old,
        &service(r#","smithy.api#documentation":"Makes widgets.""#),
    );
    assert_eq!(d.verdict, Verdict::DocsOnly);
    assert_eq!(
        last_line(&text),
        "Verdict: docs-only: no API change; service changed: smithy.api#documentation"
    );
    // Test cases without a rule set generate nothing, and facts of the
    // service the client does not use (ARN namespace, CloudFormation name)
    // change nothing the crate is made of.
    let unused = r#","smithy.rules#endpointTests":{"version":"1.0"},
        "aws.api#service":{"sdkId":"Widgets","arnNamespace":"widgets","cloudFormationName":"Widgets"}"#;
    let (d, text) = run(&old, &service(unused));
    assert_eq!(d.verdict, Verdict::None, "{text}");
}

#[test]
fn missing_service_is_the_loaders_error() {
    let m = Model::from_json(r#"{"smithy":"2.0","shapes":{}}"#, "empty.json")
        .unwrap_or_else(|e| panic!("{e}"));
    let err = diff(&m, &m, None).err().map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some("empty.json: the model has no service shape; a client is generated for one service")
    );
}

/// `DescribeWidget` whose `Widget` has the members `members` (JSON object
/// entries), with `extra` shapes: a one-liner for the tests below.
fn widget_with(members: &str, extra: &str) -> Model {
    widgets(
        &["DescribeWidget"],
        &describe(
            &format!(r#"{{"type":"structure","members":{{{members}}}}}"#),
            extra,
        ),
    )
}

#[test]
fn rewrapped_html_documentation_is_no_change() {
    // The crate's docs are Markdown: the same words wrapped differently
    // give the same crate, so nothing is to be released.
    let doc = |d: &str| {
        widget_with(
            &format!(
                r#""name":{{"target":"smithy.api#String","traits":{{"smithy.api#documentation":"{d}"}}}}"#
            ),
            "",
        )
    };
    let (d, text) = run(
        &doc("<p>The name of\\n   the widget.</p>"),
        &doc("<p>The name of the widget.</p>"),
    );
    assert_eq!(d.verdict, Verdict::None, "{text}");
    let (d, _) = run(
        &doc("<p>The name.</p>"),
        &doc("<p>The <i>new</i> name.</p>"),
    );
    assert_eq!(d.verdict, Verdict::DocsOnly);
    assert_eq!(d.docs_only_operations, ["DescribeWidget"]);
}

#[test]
fn redaction_is_noted_where_declared_and_only_when_it_changes() {
    let model = |member_sensitive: bool, target_sensitive: bool| {
        let member = if member_sensitive {
            r#","traits":{"smithy.api#sensitive":{}}"#
        } else {
            ""
        };
        let target = if target_sensitive {
            r#","traits":{"smithy.api#sensitive":{}}"#
        } else {
            ""
        };
        widget_with(
            &format!(r#""secret":{{"target":"w#Secret"{member}}},"other":{{"target":"w#Secret"}}"#),
            &format!(r#","w#Secret":{{"type":"string"{target}}}"#),
        )
    };
    // Moved from the member to its target: `secret` is redacted either
    // way, `other` (on the same target) now is.
    let (d, text) = run(&model(true, false), &model(false, true));
    assert!(
        text.contains("Other trait changes (no API change): Secret (sensitive)\n"),
        "{text}"
    );
    assert!(!text.contains("Widget.secret"), "{text}");
    assert_eq!(d.verdict, Verdict::DocsOnly);
    // The shared target made sensitive: one note, at the target.
    let (_, text) = run(&model(false, false), &model(false, true));
    assert!(
        text.contains("Other trait changes (no API change): Secret (sensitive)\n"),
        "{text}"
    );
    let (_, text) = run(&model(false, false), &model(true, false));
    assert!(
        text.contains("Other trait changes (no API change): Widget.secret (sensitive)\n"),
        "{text}"
    );
}

#[test]
fn constraints_are_noted_where_they_are_declared() {
    let model = |member: &str, target: &str, ty: &str| {
        widget_with(
            &format!(
                r#""arn":{{"target":"w#Arn"{member}}},"size":{{"target":"smithy.api#Integer"}}"#
            ),
            &format!(r#","w#Arn":{{"type":"{ty}"{target}}}"#),
        )
    };
    let length = r#","traits":{"smithy.api#length":{"min":1,"max":20}}"#;
    let longer =
        r#","traits":{"smithy.api#length":{"min":1,"max":2048},"smithy.api#pattern":"^arn:"}"#;
    let (d, text) = run(&model("", length, "string"), &model("", longer, "string"));
    assert_eq!(d.verdict, Verdict::DocsOnly);
    assert!(
        text.contains("Constraint changes (not checked by the client): Arn (length, pattern)\n"),
        "{text}"
    );
    // The member's own constraint shadows the target's, which did not change.
    let (_, text) = run(
        &model("", length, "string"),
        &model(longer, length, "string"),
    );
    assert!(
        text.contains(
            "Constraint changes (not checked by the client): Widget.arn (length, pattern)\n"
        ),
        "{text}"
    );
    // A changed type is the change; the constraints of unrelated shapes are not compared.
    let (d, text) = run(&model("", length, "string"), &model("", "", "integer"));
    assert_eq!(d.verdict, Verdict::Breaking);
    assert!(!text.contains("Constraint changes"), "{text}");
}

#[test]
fn presence_is_what_the_crate_makes_of_required_and_default() {
    let model = |traits: &str| {
        widget_with(
            &format!(r#""count":{{"target":"smithy.api#Integer"{traits}}}"#),
            "",
        )
    };
    let optional = model("");
    let required = model(r#","traits":{"smithy.api#required":{}}"#);
    let defaulted = model(r#","traits":{"smithy.api#default":0}"#);
    let both = model(r#","traits":{"smithy.api#required":{},"smithy.api#default":0}"#);
    let other_default = model(r#","traits":{"smithy.api#default":5}"#);
    // `@required` on a member with a default: `i32` either way, filled in when absent.
    let (d, text) = run(&defaulted, &both);
    assert_eq!(d.verdict, Verdict::None, "{text}");
    // A default on an optional output member: `Option<i32>` becomes `i32`.
    let (d, text) = run(&optional, &defaulted);
    assert_eq!(d.verdict, Verdict::Breaking);
    assert_eq!(
        last_line(&text),
        "Verdict: breaking: changed smithy.api#default of Widget.count"
    );
    assert!(text.contains("widget.count: @default changed\n"), "{text}");
    // Another default: what a reader fills in changes.
    let (d, _) = run(&defaulted, &other_default);
    assert_eq!(d.verdict, Verdict::Breaking);
    // Required to defaulted: `i32` both, but the builder no longer checks it.
    let (d, text) = run(&required, &defaulted);
    assert_eq!(d.verdict, Verdict::Breaking);
    assert!(
        text.contains("made optional on output: Widget.count"),
        "{text}"
    );
}

#[test]
fn a_member_that_becomes_boxed_changes_its_type() {
    // `Node.child` is `Option<Leaf>` until `Leaf` can hold a `Node`: then
    // the cycle needs a `Box`.
    let model = |leaf: &str| {
        widgets(
            &["GetNode"],
            &format!(
                r#""w#GetNode":{{"type":"operation","output":{{"target":"w#Out"}}}},
                "w#Out":{{"type":"structure","members":{{"node":{{"target":"w#Node"}}}}}},
                "w#Node":{{"type":"structure","members":{{"child":{{"target":"w#Leaf"}}}}}},
                "w#Leaf":{{"type":"structure","members":{{"x":{{"target":"smithy.api#String"}}{leaf}}}}}"#
            ),
        )
    };
    let (d, text) = run(&model(""), &model(r#","back":{"target":"w#Node"}"#));
    assert_eq!(d.verdict, Verdict::Breaking, "{text}");
    assert!(
        d.reasons.contains(
            &"changed type of Node.child: structure Leaf -> Box<structure Leaf>".to_owned()
        ),
        "{:?}",
        d.reasons
    );
}

#[test]
fn waiters_compare_as_written_without_defaults_spelled_out() {
    let model = |waiter: &str| {
        widgets(
            &["GetWidget"],
            &format!(
                r#""w#GetWidget":{{"type":"operation","output":{{"target":"w#Out"}},
                    "traits":{{"smithy.waiters#waitable":{{"WidgetReady":{{{waiter}"acceptors":[
                        {{"state":"success","matcher":{{"output":{{"path":"status","expected":"READY","comparator":"stringEquals"}}}}}}]}}}}}}}},
                "w#Out":{{"type":"structure","members":{{"status":{{"target":"smithy.api#String"}}}}}}"#
            ),
        )
    };
    // `minDelay` 2 is the default: the same waiter.
    let (d, text) = run(&model(""), &model(r#""minDelay":2,"#));
    assert_eq!(d.verdict, Verdict::None, "{text}");
    let (d, text) = run(&model(""), &model(r#""minDelay":5,"#));
    assert_eq!(d.verdict, Verdict::Additive);
    assert!(
        text.contains("GetWidget (updated)\nChanges (waiters)\nWaiter WidgetReady (updated)\n"),
        "{text}"
    );
}

#[test]
fn union_variants_and_enum_variant_names() {
    let model = |variants: &str, shape: &str| {
        widget_with(
            r#""choice":{"target":"w#Choice"},"shape":{"target":"w#Shape"}"#,
            &format!(
                r#","w#Choice":{{"type":"union","members":{{"name":{{"target":"smithy.api#String"}}{variants}}}}},
                "w#Shape":{{"type":"enum","members":{{{shape}}}}}"#
            ),
        )
    };
    let square = r#""SQUARE":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"SQ"}}"#;
    let boxy = r#""BOX":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"SQ"}}"#;
    let (d, text) = run(
        &model("", square),
        &model(r#","none":{"target":"smithy.api#Unit"}"#, square),
    );
    assert_eq!(d.verdict, Verdict::Additive);
    assert!(
        text.contains("{'widget': {'choice': {'none': {}}}}\n"),
        "{text}"
    );
    // The wire value stays, the Rust variant is renamed.
    let (d, text) = run(&model("", square), &model("", boxy));
    assert_eq!(d.verdict, Verdict::Breaking);
    assert!(
        text.contains("widget.shape: value 'SQ' renamed SQUARE -> BOX\n"),
        "{text}"
    );
    assert_eq!(
        last_line(&text),
        "Verdict: breaking: renamed enum value Shape.SQ: SQUARE -> BOX"
    );
}

#[test]
fn a_timestamp_format_is_a_wire_note() {
    let model = |format: &str| {
        widget_with(
            &format!(
                r#""at":{{"target":"smithy.api#Timestamp","traits":{{"smithy.api#timestampFormat":"{format}"}}}}"#
            ),
            "",
        )
    };
    let (d, text) = run(&model("epoch-seconds"), &model("date-time"));
    assert_eq!(d.verdict, Verdict::DocsOnly);
    assert!(
        text.contains("Other trait changes (no API change): Widget.at (timestampFormat)\n"),
        "{text}"
    );
}

#[test]
fn a_new_model_the_generator_refuses_gives_its_error() {
    let old = widget_with(r#""name":{"target":"smithy.api#String"}"#, "");
    let new = widgets(
        &["ListWidgets"],
        r#""w#ListWidgets":{"type":"operation","input":{"target":"w#In"},"output":{"target":"w#Out"},
            "traits":{"smithy.api#paginated":{"inputToken":"next","outputToken":"missing"}}},
        "w#In":{"type":"structure","members":{"next":{"target":"smithy.api#String"}}},
        "w#Out":{"type":"structure","members":{}}"#,
    );
    let err = diff(&old, &new, None)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("trait `smithy.api#paginated`") && err.contains("outputToken"),
        "{err}"
    );
}
