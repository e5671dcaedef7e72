//! `smithy.rules#endpointTests` → typed test cases, checked against the
//! rule set's parameters.

use serde_json::Value;
use std::collections::BTreeMap;

use super::typed::{Expect, Param, ParamValue, TestCase};
use super::{EndpointRulesError, ParamType};
use crate::docs::plain_text_to_markdown;
use crate::ir::Document;
use crate::naming::{self, Namespace, Scope};

type Result<T> = std::result::Result<T, EndpointRulesError>;

/// The test cases of `tests` (the trait value).
pub(super) fn test_cases(params: &[Param], tests: &Value) -> Result<Vec<TestCase>> {
    let cases = tests
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or_else(|| EndpointRulesError::invalid("endpointTests", "has no `testCases` array"))?;
    let mut names = Namespace::new(Scope::EndpointTests);
    let mut out = Vec::with_capacity(cases.len());
    for (index, case) in cases.iter().enumerate() {
        let location = format!("endpointTests.testCases[{index}]");
        let documentation = case.get("documentation").and_then(Value::as_str);
        let name = names.claim(naming::test_name(documentation, index));
        let (params_set, all_set) = case_params(params, case.get("params"), &location)?;
        let expect = case
            .get("expect")
            .and_then(Value::as_object)
            .ok_or_else(|| EndpointRulesError::invalid(&location, "has no `expect` object"))?;
        let expect = match (expect.get("endpoint"), expect.get("error")) {
            (Some(endpoint), None) => expected_endpoint(endpoint, &location)?,
            (None, Some(Value::String(message))) => Expect::Error(message.clone()),
            _ => return Err(EndpointRulesError::invalid(
                &location,
                "`expect` must hold exactly one of `endpoint` (an object) or `error` (a string)",
            )),
        };
        out.push(TestCase {
            name,
            docs: plain_text_to_markdown(documentation.unwrap_or_default()),
            params: params_set,
            all_set,
            expect,
            ignore: None,
        });
    }
    Ok(out)
}

/// The parameters a case sets (field, value, field is an `Option`), and
/// whether it sets them all.
type CaseParams = Vec<(crate::naming::Ident, ParamValue, bool)>;

fn case_params(
    params: &[Param],
    given: Option<&Value>,
    location: &str,
) -> Result<(CaseParams, bool)> {
    let given = match given {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(object)) => object.clone(),
        Some(_) => {
            return Err(EndpointRulesError::invalid(
                location,
                "`params` must be an object",
            ))
        }
    };
    if let Some(unknown) = given.keys().find(|k| !params.iter().any(|p| &p.name == *k)) {
        return Err(EndpointRulesError::invalid(
            location,
            format!("sets `{unknown}`, which is not a parameter of the rule set"),
        ));
    }
    let mut out = Vec::new();
    for param in params {
        let Some(value) = given.get(&param.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let value = match (param.ty, value) {
            (ParamType::String, Value::String(s)) => ParamValue::String(s.clone()),
            (ParamType::Boolean, Value::Bool(b)) => ParamValue::Bool(*b),
            (ParamType::StringArray, Value::Array(items)) => ParamValue::StringArray(
                items
                    .iter()
                    .map(|item| {
                        item.as_str().map(str::to_owned).ok_or_else(|| {
                            EndpointRulesError::invalid(
                                location,
                                format!("`{}` must hold strings, found {item}", param.name),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            _ => {
                return Err(EndpointRulesError::invalid(
                    location,
                    format!(
                        "`{}` is {:?} but the case gives {value}",
                        param.name, param.ty
                    ),
                ))
            }
        };
        out.push((param.field.clone(), value, param.default.is_none()));
    }
    let all_set = out.len() == params.len();
    Ok((out, all_set))
}

fn expected_endpoint(endpoint: &Value, location: &str) -> Result<Expect> {
    let url = endpoint.get("url").and_then(Value::as_str).ok_or_else(|| {
        EndpointRulesError::invalid(location, "`expect.endpoint` has no string `url`")
    })?;
    let headers = match endpoint.get("headers") {
        None => None,
        Some(headers) => {
            let headers = headers.as_object().ok_or_else(|| {
                EndpointRulesError::invalid(location, "`expect.endpoint.headers` must be an object")
            })?;
            let mut out = Vec::new();
            for (name, values) in headers {
                let values = values
                    .as_array()
                    .map(|values| {
                        values
                            .iter()
                            .map(|v| v.as_str().map(str::to_owned))
                            .collect::<Option<Vec<_>>>()
                    })
                    .and_then(|v| v)
                    .ok_or_else(|| {
                        EndpointRulesError::invalid(
                            location,
                            format!("expected header `{name}` must be an array of strings"),
                        )
                    })?;
                out.push((name.clone(), values));
            }
            Some(out)
        }
    };
    let properties = match endpoint.get("properties") {
        None => None,
        Some(properties) => {
            let properties = properties.as_object().ok_or_else(|| {
                EndpointRulesError::invalid(
                    location,
                    "`expect.endpoint.properties` must be an object",
                )
            })?;
            let mut out = Vec::new();
            for (name, value) in properties {
                let document = Document::from_json(value).ok_or_else(|| {
                    EndpointRulesError::invalid(
                        location,
                        format!("property `{name}` holds a number that is not representable"),
                    )
                })?;
                out.push((name.clone(), document));
            }
            Some(out)
        }
    };
    Ok(Expect::Endpoint {
        url: url.to_owned(),
        headers,
        properties,
    })
}

/// The identifier of each parameter and `assign`ed name: parameters first
/// (so fields get the plain snake-case names), then every `assign` in rule
/// order, all in one namespace (two names that snake-case alike, `Region`
/// and `region`, never meet under one identifier).
pub(super) fn local_names(
    rule_set: &super::ast::RuleSet,
) -> BTreeMap<String, crate::naming::Ident> {
    let mut wanted: Vec<&str> = rule_set.params.iter().map(|p| p.name.as_str()).collect();
    collect_assigns(&rule_set.rules, &mut wanted);
    let mut unique: Vec<&str> = Vec::new();
    for name in wanted {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    let idents = Namespace::new(Scope::EndpointLocals)
        .claim_all(unique.iter().map(|n| naming::snake_case(n)).collect());
    unique.into_iter().map(str::to_owned).zip(idents).collect()
}

fn collect_assigns<'r>(rules: &'r [super::ast::Rule], out: &mut Vec<&'r str>) {
    for rule in rules {
        out.extend(rule.conditions.iter().filter_map(|c| c.assign.as_deref()));
        if let super::ast::RuleKind::Tree(rules) = &rule.kind {
            collect_assigns(rules, out);
        }
    }
}
