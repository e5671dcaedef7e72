//! Endpoint rule compilation, end to end: the Proton rule set and hand-written
//! fixtures (covering the functions Proton does not use) are compiled into one
//! throwaway crate that depends on the runtime, whose generated `#[test]`s are
//! then run with `cargo test` (and checked with clippy and rustdoc) under
//! `-D warnings`.
//!
//! The throwaway crate builds into [`common::throwaway_target_dir`], shared
//! with the generated fixture crates, so the runtime's dependencies are
//! compiled once.

mod common;

use common::{cargo, cargo_has_clippy, write};
use std::path::Path;

use codegen::endpoint_rules::{
    compile_endpoint_rules, EndpointModule, EndpointRulesError, ParamType,
};
use proc_macro2::Ident;
use quote::quote;
use serde_json::{json, Value};

const PROTON_MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/models/proton-2020-07-20.json"
);
const PROTON_SERVICE: &str = "com.amazonaws.proton#AwsProton20200720";

fn proton_traits() -> (Value, Value) {
    let text = std::fs::read_to_string(PROTON_MODEL).expect("the Proton model is readable");
    let model: Value = serde_json::from_str(&text).expect("the Proton model is JSON");
    let traits = &model["shapes"][PROTON_SERVICE]["traits"];
    (
        traits["smithy.rules#endpointRuleSet"].clone(),
        traits["smithy.rules#endpointTests"].clone(),
    )
}

fn compile(rule_set: &Value, tests: Option<&Value>) -> EndpointModule {
    match compile_endpoint_rules(rule_set, tests) {
        Ok(module) => module,
        Err(error) => panic!("rule set should compile: {error}"),
    }
}

fn compile_error(rule_set: Value) -> String {
    match compile_endpoint_rules(&rule_set, None) {
        Ok(module) => panic!("rule set should not compile, got:\n{}", module.module),
        Err(error) => error.to_string(),
    }
}

/// A hand-written rule set with its `endpointTests`.
struct Fixture {
    module: &'static str,
    rule_set: &'static str,
    tests: &'static str,
}

impl Fixture {
    fn parse(&self) -> (Value, Value) {
        let parse = |text: &str, what: &str| -> Value {
            match serde_json::from_str(text) {
                Ok(value) => value,
                Err(error) => panic!("fixture `{}` {what}: {error}", self.module),
            }
        };
        (parse(self.rule_set, "rule set"), parse(self.tests, "tests"))
    }

    fn case_count(&self) -> usize {
        self.parse().1["testCases"].as_array().map_or(0, Vec::len)
    }
}

/// substring, uriEncode, isValidHostLabel, parseURL, aws.parseArn, not,
/// stringEquals, templates, `assign` of optional and plain values, required
/// parameters without default.
const FUNCTIONS: Fixture = Fixture {
    module: "functions",
    rule_set: r##"{
      "version": "1.0",
      "parameters": {
        "TestCaseId": {"type": "string", "required": true, "documentation": "Selects the function under test."},
        "Input": {"type": "string", "required": true, "documentation": "What the function gets."}
      },
      "rules": [
        {"conditions": [{"fn": "stringEquals", "argv": ["{TestCaseId}", "substring-forward"]},
                        {"fn": "substring", "argv": ["{Input}", 0, 4, false], "assign": "output"}],
         "error": "The value is: `{output}`", "type": "error"},
        {"conditions": [{"fn": "stringEquals", "argv": [{"ref": "TestCaseId"}, "substring-reverse"]},
                        {"fn": "substring", "argv": [{"ref": "Input"}, 0, 4, true], "assign": "output"}],
         "error": "The value is: `{output}`", "type": "error"},
        {"conditions": [{"fn": "stringEquals", "argv": ["substring-of-template", "{TestCaseId}"]},
                        {"fn": "substring", "argv": ["prefix-{Input}", 8, 10, false], "assign": "output"}],
         "error": "The value is: `{output}`", "type": "error"},
        {"conditions": [{"fn": "stringEquals", "argv": ["{TestCaseId}", "uri-encode"]},
                        {"fn": "uriEncode", "argv": ["{Input}"], "assign": "encoded"}],
         "endpoint": {"url": "https://example.com/{encoded}"}, "type": "endpoint"},
        {"conditions": [{"fn": "stringEquals", "argv": ["{TestCaseId}", "host-label"]}],
         "type": "tree", "rules": [
           {"conditions": [{"fn": "isValidHostLabel", "argv": ["{Input}", false]}],
            "endpoint": {"url": "https://{Input}.example.com"}, "type": "endpoint"},
           {"conditions": [{"fn": "isValidHostLabel", "argv": [{"ref": "Input"}, true]}],
            "endpoint": {"url": "https://{Input}.dotted.example.com"}, "type": "endpoint"},
           {"conditions": [], "error": "Invalid host label: {Input}", "type": "error"}
         ]},
        {"conditions": [{"fn": "stringEquals", "argv": ["{TestCaseId}", "parse-url"]}],
         "type": "tree", "rules": [
           {"conditions": [{"fn": "parseURL", "argv": ["{Input}"], "assign": "url"}],
            "type": "tree", "rules": [
              {"conditions": [{"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}, true]}],
               "endpoint": {"url": "{url#scheme}://{url#authority}{url#normalizedPath}is-ip"}, "type": "endpoint"},
              {"conditions": [{"fn": "stringEquals", "argv": ["{url#path}", ""]}],
               "endpoint": {"url": "https://{url#scheme}-{url#authority}.example.com/no-path"}, "type": "endpoint"},
              {"conditions": [{"fn": "getAttr", "argv": [{"ref": "url"}, "path"], "assign": "path"}],
               "endpoint": {"url": "https://{url#authority}/path-is{path}"}, "type": "endpoint"}
            ]},
           {"conditions": [], "error": "Not a URL: {Input}", "type": "error"}
         ]},
        {"conditions": [{"fn": "stringEquals", "argv": ["{TestCaseId}", "parse-arn"]}],
         "type": "tree", "rules": [
           {"conditions": [{"fn": "aws.parseArn", "argv": ["{Input}"], "assign": "arn"},
                           {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[0]"], "assign": "first"},
                           {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "second"},
                           {"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "arn"}, "region"]}, ""]}]}],
            "endpoint": {"url": "https://{arn#service}.{arn#region}.{arn#partition}.example.com/{arn#accountId}/{first}/{second}"},
            "type": "endpoint"},
           {"conditions": [{"fn": "aws.parseArn", "argv": ["{Input}"], "assign": "arn"}],
            "error": "ARN without region or second resource part: {arn#service}", "type": "error"},
           {"conditions": [], "error": "Not an ARN: {Input}", "type": "error"}
         ]},
        {"conditions": [], "error": "No tests matched", "type": "error"}
      ]
    }"##,
    tests: r##"{"version": "1.0", "testCases": [
      {"documentation": "substring of a long enough string",
       "params": {"TestCaseId": "substring-forward", "Input": "abcdefg"}, "expect": {"error": "The value is: `abcd`"}},
      {"documentation": "substring of a string of exactly the right length",
       "params": {"TestCaseId": "substring-forward", "Input": "abcd"}, "expect": {"error": "The value is: `abcd`"}},
      {"documentation": "substring of a short string",
       "params": {"TestCaseId": "substring-forward", "Input": "abc"}, "expect": {"error": "No tests matched"}},
      {"documentation": "substring of a non-ASCII string",
       "params": {"TestCaseId": "substring-forward", "Input": "\u00e9abcd"}, "expect": {"error": "No tests matched"}},
      {"documentation": "substring counts from the end when reversed",
       "params": {"TestCaseId": "substring-reverse", "Input": "abcdefg"}, "expect": {"error": "The value is: `defg`"}},
      {"documentation": "substring of a template",
       "params": {"TestCaseId": "substring-of-template", "Input": "abcdef"}, "expect": {"error": "The value is: `bc`"}},
      {"documentation": "uriEncode",
       "params": {"TestCaseId": "uri-encode", "Input": "a b/c:d~e_f.g-\u00e9"},
       "expect": {"endpoint": {"url": "https://example.com/a%20b%2Fc%3Ad~e_f.g-%C3%A9"}}},
      {"documentation": "a plain host label",
       "params": {"TestCaseId": "host-label", "Input": "us-east-1"}, "expect": {"endpoint": {"url": "https://us-east-1.example.com"}}},
      {"documentation": "a dotted host label",
       "params": {"TestCaseId": "host-label", "Input": "part1.part2"}, "expect": {"endpoint": {"url": "https://part1.part2.dotted.example.com"}}},
      {"documentation": "consecutive dots are not a host label",
       "params": {"TestCaseId": "host-label", "Input": "part1..part2"}, "expect": {"error": "Invalid host label: part1..part2"}},
      {"documentation": "a leading dash is not a host label",
       "params": {"TestCaseId": "host-label", "Input": "-bad"}, "expect": {"error": "Invalid host label: -bad"}},
      {"documentation": "parseURL with a path",
       "params": {"TestCaseId": "parse-url", "Input": "https://authority.com/custom-path"},
       "expect": {"endpoint": {"url": "https://authority.com/path-is/custom-path"}}},
      {"documentation": "parseURL without a path",
       "params": {"TestCaseId": "parse-url", "Input": "HTTPS://authority.com"},
       "expect": {"endpoint": {"url": "https://https-authority.com.example.com/no-path"}}},
      {"documentation": "parseURL of an IPv4 address with a port",
       "params": {"TestCaseId": "parse-url", "Input": "http://192.168.1.1:1234/foo"},
       "expect": {"endpoint": {"url": "http://192.168.1.1:1234/foo/is-ip"}}},
      {"documentation": "parseURL of an IPv6 address with an explicit default port",
       "params": {"TestCaseId": "parse-url", "Input": "https://[2001:db8::1]:443"},
       "expect": {"endpoint": {"url": "https://[2001:db8::1]:443/is-ip"}}},
      {"documentation": "parseURL rejects a query",
       "params": {"TestCaseId": "parse-url", "Input": "https://example.com/path?query=1"},
       "expect": {"error": "Not a URL: https://example.com/path?query=1"}},
      {"documentation": "parseURL rejects other schemes",
       "params": {"TestCaseId": "parse-url", "Input": "ftp://example.com"}, "expect": {"error": "Not a URL: ftp://example.com"}},
      {"documentation": "parseArn with region and two resource parts",
       "params": {"TestCaseId": "parse-arn", "Input": "arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap"},
       "expect": {"endpoint": {"url": "https://s3.us-west-2.aws.example.com/123456789012/accesspoint/my-ap"}}},
      {"documentation": "parseArn without a region",
       "params": {"TestCaseId": "parse-arn", "Input": "arn:aws:s3:::bucket/key"},
       "expect": {"error": "ARN without region or second resource part: s3"}},
      {"documentation": "parseArn with one resource part",
       "params": {"TestCaseId": "parse-arn", "Input": "arn:aws:sqs:us-east-1:123456789012:queue"},
       "expect": {"error": "ARN without region or second resource part: sqs"}},
      {"documentation": "parseArn of something else",
       "params": {"TestCaseId": "parse-arn", "Input": "arn:aws:s3"}, "expect": {"error": "Not an ARN: arn:aws:s3"}},
      {"documentation": "a required parameter without default must be set",
       "params": {"TestCaseId": "uri-encode"}, "expect": {"error": "A required endpoint parameter is not set: Input"}},
      {"documentation": "an unknown test case id",
       "params": {"TestCaseId": "nothing", "Input": "x"}, "expect": {"error": "No tests matched"}}
    ]}"##,
};

/// Nested trees, bindings used in inner trees, tree exhaustion, headers,
/// properties (nested objects, arrays, numbers, templates, references),
/// string-array parameters with `getAttr` indexes, optional booleans,
/// string defaults, `{{`/`}}` escapes and terminal trees.
const TREES: Fixture = Fixture {
    module: "trees",
    rule_set: r##"{
      "version": "1.0",
      "parameters": {
        "Region": {"type": "String", "builtIn": "AWS::Region", "documentation": "The region, e.g. `us-east-1` [see docs] <https://example.com>. (https://example.com/regions), <b>bold</b>"},
        "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false, "documentation": "FIPS endpoints."},
        "Stage": {"type": "String", "required": true, "default": "prod", "documentation": "Deployment stage, see https://example.com/stages"},
        "Tags": {"type": "stringArray", "documentation": "Tags; the first picks a host."},
        "Flag": {"type": "Boolean"}
      },
      "rules": [
        {"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]},
                        {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}],
         "type": "tree", "rules": [
           {"conditions": [{"fn": "stringEquals", "argv": [{"ref": "Stage"}, "beta"]}],
            "type": "tree", "rules": [
              {"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
               "endpoint": {
                 "url": "https://beta-fips.{Region}.{PartitionResult#dnsSuffix}",
                 "headers": {"x-stage": ["beta"], "x-multi": ["*", "{Region}", "{PartitionResult#name}"]},
                 "properties": {
                   "authSchemes": [{"name": "sigv4", "signingName": "svc", "signingRegion": "{Region}", "disableDoubleEncoding": true}],
                   "count": 3, "negative": -2, "ratio": 1.5,
                   "nested": {"empty": {}, "list": []},
                   "stage": {"ref": "Stage"}
                 }
               },
               "type": "endpoint"}
            ]},
           {"conditions": [{"fn": "isSet", "argv": [{"ref": "Tags"}]},
                           {"fn": "getAttr", "argv": [{"ref": "Tags"}, "[0]"], "assign": "FirstTag"}],
            "endpoint": {"url": "https://{FirstTag}.{Region}.{PartitionResult#dualStackDnsSuffix}", "properties": {"tags": {"ref": "Tags"}}},
            "type": "endpoint"},
           {"conditions": [{"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, "supportsFIPS"]}, {"ref": "UseFIPS"}]}],
            "endpoint": {"url": "https://{Stage}.{Region}.{PartitionResult#dnsSuffix}", "headers": {}, "properties": {}},
            "type": "endpoint"},
           {"conditions": [], "error": "Unsupported: {Stage} in {PartitionResult#name} ({PartitionResult#implicitGlobalRegion}), {{escaped}}", "type": "error"}
         ]},
        {"conditions": [{"fn": "isSet", "argv": [{"ref": "Flag"}]},
                        {"fn": "booleanEquals", "argv": [{"ref": "Flag"}, false]}],
         "error": "Flag is set to false", "type": "error"},
        {"conditions": [{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Region"}]}]},
                        {"fn": "isSet", "argv": [{"ref": "Flag"}]}],
         "endpoint": {"url": "https://global.example.com"}, "type": "endpoint"},
        {"conditions": [], "error": "Missing Region", "type": "error"}
      ]
    }"##,
    tests: r##"{"version": "1.0", "testCases": [
      {"documentation": "beta with FIPS: headers and properties",
       "params": {"Region": "us-west-2", "Stage": "beta", "UseFIPS": true},
       "expect": {"endpoint": {
         "url": "https://beta-fips.us-west-2.amazonaws.com",
         "headers": {"x-multi": ["*", "us-west-2", "aws"], "x-stage": ["beta"]},
         "properties": {
           "authSchemes": [{"disableDoubleEncoding": true, "name": "sigv4", "signingName": "svc", "signingRegion": "us-west-2"}],
           "count": 3, "negative": -2, "ratio": 1.5, "nested": {"empty": {}, "list": []}, "stage": "beta"}}}},
      {"documentation": "beta without FIPS exhausts the tree",
       "params": {"Region": "us-west-2", "Stage": "beta"},
       "expect": {"error": "No endpoint rule matched these parameters (all rules of endpointRuleSet.rules[0].rules[0].rules failed)"}},
      {"documentation": "the first tag picks the host",
       "params": {"Region": "cn-north-1", "Tags": ["blue", "green"]},
       "expect": {"endpoint": {"url": "https://blue.cn-north-1.api.amazonwebservices.com.cn", "properties": {"tags": ["blue", "green"]}}}},
      {"documentation": "no first tag falls through",
       "params": {"Region": "us-east-1", "Tags": [], "UseFIPS": true},
       "expect": {"endpoint": {"url": "https://prod.us-east-1.amazonaws.com", "headers": {}, "properties": {}}}},
      {"documentation": "a terminal tree does not fall through to later rules",
       "params": {"Region": "us-east-1", "Flag": false},
       "expect": {"error": "Unsupported: prod in aws (us-east-1), {escaped}"}},
      {"documentation": "an optional boolean set to false",
       "params": {"Flag": false}, "expect": {"error": "Flag is set to false"}},
      {"documentation": "an optional boolean set to true",
       "params": {"Flag": true}, "expect": {"endpoint": {"url": "https://global.example.com"}}},
      {"documentation": "nothing set",
       "expect": {"error": "Missing Region"}},
      {"documentation": "Nothing set!",
       "params": {"Region": null},
       "expect": {"error": "Missing Region"}}
    ]}"##,
};

/// Dead rules (a false literal condition, rules after an unconditional one), an
/// unconditional `assign`, and required parameters no rule reads.
const STATIC_RULES: Fixture = Fixture {
    module: "static_rules",
    rule_set: r##"{
      "version": "1.0",
      "parameters": {
        "Needed": {"type": "string", "required": true, "documentation": "Must be set, though no rule reads it."},
        "Unused": {"type": "string"}
      },
      "rules": [
        {"conditions": [{"fn": "booleanEquals", "argv": [true, false]}], "error": "never", "type": "error"},
        {"conditions": [{"fn": "uriEncode", "argv": ["a b"], "assign": "encoded"}],
         "endpoint": {"url": "https://static.example.com/{encoded}"}, "type": "endpoint"},
        {"conditions": [], "error": "unreachable", "type": "error"}
      ]
    }"##,
    tests: r##"{"version": "1.0", "testCases": [
      {"documentation": "the unconditional rule", "params": {"Needed": "x"}, "expect": {"endpoint": {"url": "https://static.example.com/a%20b"}}},
      {"params": {"Needed": "x", "Unused": "y"}, "expect": {"endpoint": {"url": "https://static.example.com/a%20b"}}},
      {"documentation": "a required parameter nobody reads", "expect": {"error": "A required endpoint parameter is not set: Needed"}}
    ]}"##,
};

/// Older published rule sets (Proton's of 2022-10-25) pass optional
/// parameters straight to functions: an unset argument makes the condition
/// false, so the next rule is tried.
const UNSET_ARGUMENTS: Fixture = Fixture {
    module: "unset_arguments",
    rule_set: r##"{
      "version": "1.0",
      "parameters": {
        "Region": {"type": "string", "builtIn": "AWS::Region"},
        "Endpoint": {"type": "string", "builtIn": "SDK::Endpoint"}
      },
      "rules": [
        {"conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}], "type": "tree", "rules": [
          {"conditions": [{"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"}],
           "endpoint": {"url": "{url#scheme}://{url#authority}/{p#name}"}, "type": "endpoint"},
          {"conditions": [], "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}"}, "type": "endpoint"}
        ]},
        {"conditions": [], "error": "no region", "type": "error"}
      ]
    }"##,
    tests: r##"{"version": "1.0", "testCases": [
      {"documentation": "region and endpoint", "params": {"Region": "us-east-1", "Endpoint": "https://example.com"}, "expect": {"endpoint": {"url": "https://example.com/aws"}}},
      {"documentation": "region only", "params": {"Region": "cn-north-1"}, "expect": {"endpoint": {"url": "https://svc.cn-north-1.amazonaws.com.cn"}}},
      {"documentation": "neither", "params": {"Endpoint": "https://example.com"}, "expect": {"error": "no region"}}
    ]}"##,
};

const FIXTURES: [Fixture; 4] = [FUNCTIONS, TREES, STATIC_RULES, UNSET_ARGUMENTS];

#[test]
fn proton_params_describe_the_built_ins() {
    let (rule_set, tests) = proton_traits();
    let module = compile(&rule_set, Some(&tests));
    let params: Vec<_> = module
        .rule_set
        .params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.field.as_str(),
                p.ty,
                p.required,
                p.built_in.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            (
                "Endpoint",
                "endpoint",
                ParamType::String,
                false,
                Some("SDK::Endpoint")
            ),
            (
                "Region",
                "region",
                ParamType::String,
                false,
                Some("AWS::Region")
            ),
            (
                "UseDualStack",
                "use_dual_stack",
                ParamType::Boolean,
                true,
                Some("AWS::UseDualStack")
            ),
            (
                "UseFIPS",
                "use_fips",
                ParamType::Boolean,
                true,
                Some("AWS::UseFIPS")
            ),
        ]
    );
    assert_eq!(
        module.rule_set.params[3].default,
        Some(codegen::endpoint_rules::typed::ParamValue::Bool(false))
    );
}

#[test]
fn proton_endpoint_module_snapshot() {
    let (rule_set, tests) = proton_traits();
    let first = compile(&rule_set, Some(&tests)).render().expect("renders");
    let second = compile(&rule_set, Some(&tests)).render().expect("renders");
    assert_eq!(first, second, "generation must be deterministic");
    insta::assert_snapshot!("proton_endpoint_module", first);
}

#[test]
fn test_names_are_sanitized_and_deduplicated() {
    let (rule_set, tests) = TREES.parse();
    let module = compile(&rule_set, Some(&tests));
    let tests = module.tests.to_string();
    assert!(tests.contains("fn nothing_set ()"), "{tests}");
    assert!(tests.contains("fn nothing_set_2 ()"), "{tests}");
    let (rule_set, tests) = STATIC_RULES.parse();
    let tests = compile(&rule_set, Some(&tests)).tests.to_string();
    assert!(tests.contains("fn case_1 ()"), "{tests}");
}

fn rule_set_with(parameters: Value, rules: Value) -> Value {
    json!({"version": "1.0", "parameters": parameters, "rules": rules})
}

fn region_param() -> Value {
    json!({"Region": {"type": "string", "builtIn": "AWS::Region"}, "Flag": {"type": "boolean", "required": true, "default": false}})
}

#[test]
fn unknown_functions_are_named() {
    let error = compile_error(rule_set_with(
        region_param(),
        json!([{"conditions": [{"fn": "aws.isVirtualHostableS3Bucket", "argv": ["x", false]}], "error": "e", "type": "error"}]),
    ));
    assert!(
        error.starts_with(
            "endpointRuleSet.rules[0].conditions[0]: unknown endpoint rules function `aws.isVirtualHostableS3Bucket` (supported: isSet,"
        ),
        "{error}"
    );
}

#[test]
fn type_errors_say_where_and_what() {
    let cases = [
        (
            json!([{"conditions": [{"fn": "stringEquals", "argv": [{"fn": "substring", "argv": ["abc", 0, 1, false]}, "x"]}], "error": "e", "type": "error"}]),
            "endpointRuleSet.rules[0].conditions[0]: argument 1 of `stringEquals` may be unset here; prove it set with `isSet` or bind it with `assign` in an earlier condition",
        ),
        (
            json!([{"conditions": [], "endpoint": {"url": "https://{Region}.example.com"}, "type": "endpoint"}]),
            "endpointRuleSet.rules[0].endpoint.url: a template value may be unset here",
        ),
        (
            json!([{"conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, "true"]}], "error": "e", "type": "error"}]),
            "endpointRuleSet.rules[0].conditions[0]: argument 2 of `booleanEquals` must be a boolean, found a string",
        ),
        (
            json!([{"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}, {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}],
                    "endpoint": {"url": "https://{p#dnsSufix}"}, "type": "endpoint"}]),
            "endpointRuleSet.rules[0].endpoint.url: getAttr path `dnsSufix`: a partition (from aws.partition) has no attribute `dnsSufix` (it has: name, dnsSuffix,",
        ),
        (
            json!([{"conditions": [{"fn": "isSet", "argv": [{"ref": "Regoin"}]}], "error": "e", "type": "error"}]),
            "endpointRuleSet.rules[0].conditions[0].argv[0]: `Regoin` is neither a parameter nor a value assigned by an enclosing condition",
        ),
        (
            json!([{"conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "type": "tree", "rules": [
                       {"conditions": [{"fn": "aws.partition", "argv": ["{Region}"], "assign": "Region"}], "error": "e", "type": "error"}]}]),
            "endpointRuleSet.rules[0].rules[0].conditions[0]: `assign: Region` would shadow a parameter",
        ),
        (
            json!([{"conditions": [], "type": "tree", "rules": [
                       {"conditions": [{"fn": "aws.partition", "argv": ["x"], "assign": "p"}], "error": "e", "type": "error"}]},
                   {"conditions": [], "error": "{p#name}", "type": "error"}]),
            "endpointRuleSet.rules[1].error: `p` is neither a parameter nor a value assigned by an enclosing condition",
        ),
        (
            json!([{"conditions": [{"fn": "substring", "argv": ["abc", -1, 2, false], "assign": "s"}], "error": "{s}", "type": "error"}]),
            "endpointRuleSet.rules[0].conditions[0]: substring start must be a non-negative integer literal",
        ),
        (
            json!([{"conditions": [{"fn": "not", "argv": [true, false]}], "error": "e", "type": "error"}]),
            "endpointRuleSet.rules[0].conditions[0]: `not` takes 1 argument(s), found 2",
        ),
        (
            json!([{"conditions": [], "type": "leaf"}]),
            "endpointRuleSet.rules[0]: unknown rule type `leaf` (expected endpoint, error or tree)",
        ),
        (
            json!([{"conditions": [{"fn": "parseURL", "argv": ["https://a"], "assign": "u"}], "error": "{u#path[0]}", "type": "error"}]),
            "endpointRuleSet.rules[0].error: getAttr path `path[0]`: cannot index a string",
        ),
    ];
    for (rules, expected) in cases {
        let error = compile_error(rule_set_with(region_param(), rules));
        assert!(
            error.starts_with(expected),
            "expected `{expected}`\n     got `{error}`"
        );
    }
}

#[test]
fn parameter_and_test_errors() {
    let error = compile_error(
        json!({"version": "1.0", "parameters": {"X": {"type": "integer"}}, "rules": []}),
    );
    assert_eq!(
        error,
        "endpointRuleSet.parameters.X: unknown parameter type `integer` (expected string, boolean or stringArray)"
    );
    let error = compile_error(
        json!({"version": "1.0", "parameters": {"X": {"type": "boolean", "required": true, "default": "no"}}, "rules": []}),
    );
    assert_eq!(
        error,
        "endpointRuleSet.parameters.X: default \"no\" does not have the parameter's type `boolean`"
    );
    let rule_set = rule_set_with(
        region_param(),
        json!([{"conditions": [], "error": "e", "type": "error"}]),
    );
    let tests = json!({"testCases": [{"params": {"Regoin": "x"}, "expect": {"error": "e"}}]});
    let error = compile_endpoint_rules(&rule_set, Some(&tests)).map(|_| ());
    assert!(
        matches!(&error, Err(EndpointRulesError::Invalid { location, message })
            if location == "endpointTests.testCases[0]" && message.contains("`Regoin`, which is not a parameter")),
        "{error:?}"
    );
    let tests = json!({"testCases": [{"params": {"Flag": "yes"}, "expect": {"error": "e"}}]});
    let error = compile_endpoint_rules(&rule_set, Some(&tests))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "endpointTests.testCases[0]: `Flag` is Boolean but the case gives \"yes\""
    );
}

/// Compiles Proton and the fixtures into one crate and runs its tests (and
/// rustdoc and clippy) with `-D warnings`: the emitted code must build warning-free and
/// every `endpointTests` case must pass.
#[test]
fn generated_resolvers_compile_warning_free_and_pass_their_tests() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen sits inside the workspace")
        .to_path_buf();
    let (rule_set, tests) = proton_traits();
    let mut modules = vec![("proton".to_owned(), compile(&rule_set, Some(&tests)), 25)];
    for fixture in &FIXTURES {
        let (rule_set, tests) = fixture.parse();
        modules.push((
            fixture.module.to_owned(),
            compile(&rule_set, Some(&tests)),
            fixture.case_count(),
        ));
    }
    assert_eq!(
        tests["testCases"].as_array().map(Vec::len),
        Some(25),
        "the Proton model should carry 25 endpoint tests"
    );

    let items = modules.iter().map(|(name, module, _)| {
        let name = Ident::new(name, proc_macro2::Span::call_site());
        let (items, tests) = (&module.module, &module.tests);
        quote! {
            pub mod #name {
                #items
                #tests
            }
        }
    });
    let lib = codegen::render::render(
        "endpoint resolvers",
        quote! {
            #![doc = " Generated endpoint resolvers under test."]
            /// The runtime, by the path generated code uses.
            pub(crate) use ::aws_json_runtime as rt;
            #(#items)*
        },
    )
    .expect("generated modules format");
    let lib = format!("{lib}\n{BENCH}");

    let dir = tempfile::Builder::new()
        .prefix("endpoint-rules-e2e")
        .tempdir()
        .expect("temporary directory");
    let runtime = workspace.join("runtime");
    let manifest = format!(
        r#"[package]
name = "endpoint-rules-e2e"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
aws-json-runtime = {{ path = {runtime:?} }}

# Optimized so the timing test measures something meaningful.
[profile.dev.package.endpoint-rules-e2e]
opt-level = 3
[profile.dev.package.aws-json-runtime]
opt-level = 3

[workspace]
"#,
        runtime = runtime.display().to_string()
    );
    write(&dir.path().join("Cargo.toml"), &manifest);
    write(&dir.path().join("src/lib.rs"), &lib);
    // Same versions as the workspace, so nothing new is resolved or fetched.
    std::fs::copy(workspace.join("Cargo.lock"), dir.path().join("Cargo.lock"))
        .expect("copy Cargo.lock");
    if std::env::var_os("KEEP_ENDPOINT_E2E").is_some() {
        println!("throwaway crate kept at {}", dir.path().display());
        let _kept = dir.keep();
        return;
    }

    let target = common::throwaway_target_dir();
    let output = cargo(dir.path(), &target, &["test", "--", "--show-output"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cargo test failed:\n{stdout}\n{stderr}"
    );
    for line in stdout.lines().filter(|l| l.contains("ns/call")) {
        println!("{line}");
    }
    for (name, _, expected) in &modules {
        let prefix = format!("test {name}::tests::");
        let passed = stdout
            .lines()
            .filter(|l| l.starts_with(&prefix) && l.ends_with(" ... ok"))
            .count();
        assert_eq!(passed, *expected, "passing tests of `{name}`:\n{stdout}");
    }

    let output = cargo(dir.path(), &target, &["doc", "--no-deps"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "rustdoc warns about generated code:\n{stderr}"
    );

    if cargo_has_clippy() {
        let output = cargo(
            dir.path(),
            &target,
            &["clippy", "--all-targets", "--", "-D", "warnings"],
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "clippy found problems in generated code:\n{stderr}"
        );
    } else {
        println!("cargo clippy is not installed: clippy check of the generated code skipped");
    }
}

/// Timing of the compiled Proton resolver (printed, never asserted).
const BENCH: &str = r#"
#[cfg(test)]
mod bench {
    use crate::proton::{resolve, Params};
    use std::hint::black_box;
    use std::time::Instant;

    fn time(label: &str, params: &Params) {
        const CALLS: u32 = 200_000;
        for _ in 0..1_000 {
            black_box(resolve(black_box(params)).is_ok());
        }
        let start = Instant::now();
        for _ in 0..CALLS {
            black_box(resolve(black_box(params)).is_ok());
        }
        let ns = start.elapsed().as_nanos() / u128::from(CALLS);
        println!("proton endpoint resolution, {label}: {ns} ns/call");
    }

    #[test]
    fn proton_resolve_ns_per_call() {
        let region = |r: &str| Some(r.to_owned());
        time("us-east-1", &Params { region: region("us-east-1"), ..Params::default() });
        time("cn-north-1 FIPS+dual-stack", &Params { region: region("cn-north-1"), use_fips: true, use_dual_stack: true, ..Params::default() });
        time("unlisted region via regex", &Params { region: region("us-isob-west-9"), ..Params::default() });
        time("custom endpoint", &Params { endpoint: Some("https://example.com".to_owned()), ..Params::default() });
        time("missing region (error)", &Params::default());
    }
}
"#;
