//! Emits `smithy.rules#endpointTests` as `#[test]` functions: one per case,
//! named from its documentation, asserting the exact URL (and the headers and
//! properties when the case lists them) or the exact error text.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use super::ast::RuleSet;
use super::emit::{doc_attrs, number_document};
use super::naming::{snake_ident, unique, Names};
use super::{EndpointRulesError, ParamType};

type Result<T> = std::result::Result<T, EndpointRulesError>;

pub(super) fn emit_tests(rule_set: &RuleSet, names: &Names, tests: &Value) -> Result<TokenStream> {
    let cases = tests
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or_else(|| EndpointRulesError::invalid("endpointTests", "has no `testCases` array"))?;
    if cases.is_empty() {
        return Ok(TokenStream::new());
    }
    let mut taken = BTreeSet::new();
    let mut functions = Vec::with_capacity(cases.len());
    for (index, case) in cases.iter().enumerate() {
        let location = format!("endpointTests.testCases[{index}]");
        functions.push(emit_case(
            rule_set, names, case, &location, index, &mut taken,
        )?);
    }
    Ok(quote! {
        #[cfg(test)]
        mod tests {
            use super::{resolve, Params};

            #(#functions)*
        }
    })
}

fn emit_case(
    rule_set: &RuleSet,
    names: &Names,
    case: &Value,
    location: &str,
    index: usize,
    taken: &mut BTreeSet<String>,
) -> Result<TokenStream> {
    let documentation = case.get("documentation").and_then(Value::as_str);
    let base = match documentation {
        Some(doc) if !doc.trim().is_empty() => {
            let ident = snake_ident(doc);
            // A test name should not start with `_`; `_3rd` → `case_3rd`.
            match ident.strip_prefix('_') {
                Some(rest) => format!("case_{rest}"),
                None => ident,
            }
        }
        _ => format!("case_{index}"),
    };
    let name = Ident::new(&unique(&base, taken), Span::call_site());
    let doc = doc_attrs(documentation.unwrap_or_default());

    let params = params_literal(rule_set, names, case.get("params"), location)?;
    let expect = case
        .get("expect")
        .and_then(Value::as_object)
        .ok_or_else(|| EndpointRulesError::invalid(location, "has no `expect` object"))?;
    let check = match (expect.get("endpoint"), expect.get("error")) {
        (Some(endpoint), None) => endpoint_checks(endpoint, location)?,
        (None, Some(Value::String(message))) => quote! {
            let error = resolve(&params).expect_err("the endpoint rules should reject these parameters");
            assert_eq!(error.to_string(), #message);
        },
        _ => {
            return Err(EndpointRulesError::invalid(
                location,
                "`expect` must hold exactly one of `endpoint` (an object) or `error` (a string)",
            ))
        }
    };
    Ok(quote! {
        #doc
        #[test]
        fn #name() {
            let params = #params;
            #check
        }
    })
}

/// `Params { field: value, ..Default::default() }` for the case's parameters.
fn params_literal(
    rule_set: &RuleSet,
    names: &Names,
    params: Option<&Value>,
    location: &str,
) -> Result<TokenStream> {
    let given = match params {
        None | Some(Value::Null) => serde_json::Map::new(),
        Some(Value::Object(object)) => object.clone(),
        Some(_) => {
            return Err(EndpointRulesError::invalid(
                location,
                "`params` must be an object",
            ))
        }
    };
    if let Some(unknown) = given
        .keys()
        .find(|k| !rule_set.params.iter().any(|p| &p.name == *k))
    {
        return Err(EndpointRulesError::invalid(
            location,
            format!("sets `{unknown}`, which is not a parameter of the rule set"),
        ));
    }
    let mut fields = Vec::new();
    for param in &rule_set.params {
        let Some(value) = given.get(&param.name).filter(|v| !v.is_null()) else {
            continue;
        };
        let field = names.field(&param.name);
        let plain = match (param.ty, value) {
            (ParamType::String, Value::String(s)) => quote!(#s.to_owned()),
            (ParamType::Boolean, Value::Bool(b)) => quote!(#b),
            (ParamType::StringArray, Value::Array(items)) => {
                let items = items
                    .iter()
                    .map(|item| {
                        item.as_str().ok_or_else(|| {
                            EndpointRulesError::invalid(
                                location,
                                format!("`{}` must hold strings, found {item}", param.name),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                quote!(vec![#(#items.to_owned()),*])
            }
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
        let value = if param.has_value() {
            plain
        } else {
            quote!(Some(#plain))
        };
        fields.push(quote!(#field: #value));
    }
    Ok(if fields.is_empty() {
        quote!(Params::default())
    } else if fields.len() == rule_set.params.len() {
        quote!(Params { #(#fields),* })
    } else {
        quote!(Params { #(#fields,)* ..Default::default() })
    })
}

fn endpoint_checks(endpoint: &Value, location: &str) -> Result<TokenStream> {
    let url = endpoint.get("url").and_then(Value::as_str).ok_or_else(|| {
        EndpointRulesError::invalid(location, "`expect.endpoint` has no string `url`")
    })?;
    let mut checks = quote! {
        let endpoint = resolve(&params).expect("the endpoint rules should resolve these parameters");
        assert_eq!(endpoint.url(), #url);
    };
    if let Some(headers) = endpoint.get("headers") {
        let headers = headers.as_object().ok_or_else(|| {
            EndpointRulesError::invalid(location, "`expect.endpoint.headers` must be an object")
        })?;
        if headers.is_empty() {
            checks.extend(quote!(assert!(endpoint.headers().is_empty());));
        } else {
            let mut entries = Vec::new();
            for (name, values) in headers {
                let values = values
                    .as_array()
                    .map(|values| values.iter().filter_map(Value::as_str).collect::<Vec<_>>())
                    .filter(|strings| Some(strings.len()) == values.as_array().map(Vec::len))
                    .ok_or_else(|| {
                        EndpointRulesError::invalid(
                            location,
                            format!("expected header `{name}` must be an array of strings"),
                        )
                    })?;
                entries.push(quote!((#name.to_owned(), vec![#(#values.to_owned()),*])));
            }
            checks.extend(quote! {
                assert_eq!(endpoint.headers(), &::std::collections::BTreeMap::from([#(#entries),*]));
            });
        }
    }
    if let Some(properties) = endpoint.get("properties") {
        let properties = properties.as_object().ok_or_else(|| {
            EndpointRulesError::invalid(location, "`expect.endpoint.properties` must be an object")
        })?;
        if properties.is_empty() {
            checks.extend(quote!(assert!(endpoint.properties().is_empty());));
        } else {
            let entries = properties
                .iter()
                .map(|(name, value)| {
                    let value = json_document(value, location)?;
                    Ok(quote!((#name.to_owned(), #value)))
                })
                .collect::<Result<Vec<_>>>()?;
            checks.extend(quote! {
                assert_eq!(endpoint.properties(), &::std::collections::BTreeMap::from([#(#entries),*]));
            });
        }
    }
    Ok(checks)
}

/// A JSON value as a `Document` expression (expected values are plain JSON).
fn json_document(value: &Value, location: &str) -> Result<TokenStream> {
    let document = quote!(::aws_json_runtime::Document);
    Ok(match value {
        Value::Null => quote!(#document::Null),
        Value::Bool(b) => quote!(#document::Bool(#b)),
        Value::String(s) => quote!(#document::from(#s)),
        Value::Number(n) => number_document(n, location)?,
        Value::Array(items) => {
            let items = items
                .iter()
                .map(|item| json_document(item, location))
                .collect::<Result<Vec<_>>>()?;
            quote!(#document::Array(vec![#(#items),*]))
        }
        Value::Object(members) if members.is_empty() => {
            quote!(#document::Object(::std::collections::BTreeMap::new()))
        }
        Value::Object(members) => {
            let entries = members
                .iter()
                .map(|(key, item)| {
                    let item = json_document(item, location)?;
                    Ok(quote!((#key.to_owned(), #item)))
                })
                .collect::<Result<Vec<_>>>()?;
            quote!(#document::Object(::std::collections::BTreeMap::from([#(#entries),*])))
        }
    })
}
