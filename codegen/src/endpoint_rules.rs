//! Smithy endpoint rule sets (`smithy.rules#endpointRuleSet`) and their
//! tests (`smithy.rules#endpointTests`): parsed and type-checked into a
//! [`RuleSet`] while the IR is built; `crate::emit::endpoint` writes it as
//! Rust.
//!
//! The rule set is not interpreted at run time: each rule becomes nested `if` /
//! `if let` blocks in one `resolve` function, every value has a Rust type, and
//! the standard-library functions are direct calls into
//! `aws_json_runtime::endpoint::lib`. Consequences, all deliberate:
//!
//! * the rule set is type-checked here, with the Smithy rules (an optional value
//!   must be proven set by `isSet` or bound by `assign` before a function, a
//!   template or `getAttr` uses it), so a broken rule set fails generation with
//!   an error naming its location (`endpointRuleSet.rules[1].conditions[0]`);
//! * an unknown function is a generation error naming it;
//! * the output depends only on the input: parameters sorted by name, maps in
//!   key order, rules in file order.
//!
//! Pipeline: `ast` parses the JSON into an untyped rule set with locations,
//! `check` type-checks it into a [`typed::RuleSet`] (names from
//! [`crate::naming`]), `cases` checks the tests against the parameters.

mod ast;
mod cases;
mod check;
mod eval;
mod nesting;
#[cfg(test)]
mod stale_tests;
pub mod stale;
pub mod typed;
mod values;

use crate::docs::plain_text_to_markdown;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

pub use nesting::MAX_NESTING;
pub use stale::{mark_stale_cases, StaleCase};
pub use typed::RuleSet;

/// The type of an endpoint parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamType {
    /// `string` (Rust `String`).
    String,
    /// `boolean` (Rust `bool`).
    Boolean,
    /// `stringArray` (Rust `Vec<String>`, rules 1.1).
    StringArray,
}

/// Why a rule set or its tests could not be compiled.
#[derive(Debug, thiserror::Error)]
pub enum EndpointRulesError {
    /// A function the generator does not implement.
    #[error("{location}: unknown endpoint rules function `{name}` (supported: {supported})")]
    UnknownFunction {
        /// Where the call is, e.g. `endpointRuleSet.rules[0].conditions[1]`.
        location: String,
        /// The function name as written.
        name: String,
        /// The functions the generator implements.
        supported: &'static str,
    },
    /// Malformed or ill-typed input.
    #[error("{location}: {message}")]
    Invalid {
        /// Where the problem is, e.g. `endpointRuleSet.parameters.Region` or
        /// `endpointTests.testCases[3]`.
        location: String,
        /// What is wrong.
        message: String,
    },
}

impl EndpointRulesError {
    fn invalid(location: impl Into<String>, message: impl Into<String>) -> Self {
        EndpointRulesError::Invalid {
            location: location.into(),
            message: message.into(),
        }
    }

    /// Where the problem is (`endpointRuleSet.rules[0].conditions[1]`).
    pub fn location(&self) -> &str {
        match self {
            EndpointRulesError::UnknownFunction { location, .. }
            | EndpointRulesError::Invalid { location, .. } => location,
        }
    }

    /// What is wrong, without the location.
    pub fn message(&self) -> String {
        match self {
            EndpointRulesError::UnknownFunction {
                name, supported, ..
            } => format!("unknown endpoint rules function `{name}` (supported: {supported})"),
            EndpointRulesError::Invalid { message, .. } => message.clone(),
        }
    }
}

/// The functions [`check`] implements.
pub const SUPPORTED_FUNCTIONS: &str = "isSet, not, booleanEquals, stringEquals, getAttr, substring, uriEncode, parseURL, isValidHostLabel, aws.partition, aws.parseArn";

/// Type-checks `rule_set` (the value of `smithy.rules#endpointRuleSet`) and,
/// when given, `tests` (the value of `smithy.rules#endpointTests`).
pub fn check(rule_set: &Value, tests: Option<&Value>) -> Result<RuleSet, EndpointRulesError> {
    nesting::check_nesting(rule_set, "endpointRuleSet")?;
    if let Some(tests) = tests {
        nesting::check_nesting(tests, "endpointTests")?;
    }
    let parsed = ast::parse_rule_set(rule_set)?;
    let names = cases::local_names(&parsed);
    let params: Vec<typed::Param> = parsed
        .params
        .iter()
        .map(|param| {
            let mut docs = plain_text_to_markdown(param.documentation.as_deref().unwrap_or(""));
            if let Some(built_in) = &param.built_in {
                docs.push_str(&format!("\n\nBuilt-in: `{built_in}`."));
            }
            if let Some(default) = &param.default {
                docs.push_str(&format!("\n\nDefault: `{default}`."));
            } else if param.required {
                docs.push_str("\n\nRequired: resolution fails while this is `None`.");
            }
            typed::Param {
                name: param.name.clone(),
                field: names
                    .get(&param.name)
                    .cloned()
                    .unwrap_or_else(|| crate::naming::snake_case(&param.name)),
                ty: param.ty,
                required: param.required,
                default: param.default.as_ref().map(|d| match d {
                    Value::Bool(b) => typed::ParamValue::Bool(*b),
                    Value::Array(items) => typed::ParamValue::StringArray(
                        items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect(),
                    ),
                    other => typed::ParamValue::String(other.as_str().unwrap_or("").to_owned()),
                }),
                built_in: param.built_in.clone(),
                docs: docs.trim().to_owned(),
            }
        })
        .collect();
    let (required, params_used, rules) = check::check_rules(&parsed, &params, &names)?;
    let tests = match tests {
        Some(tests) => cases::test_cases(&params, tests)?,
        None => Vec::new(),
    };
    Ok(RuleSet {
        params,
        required,
        params_used,
        rules,
        tests,
    })
}

/// A rule set compiled on its own (outside a service): what the endpoint
/// module of a generated crate holds.
#[derive(Clone, Debug)]
pub struct EndpointModule {
    /// The type-checked rule set.
    pub rule_set: RuleSet,
    /// `pub struct Params`, `impl Default for Params` (unless derived) and
    /// `pub fn resolve`. Paths into the runtime start with `crate::rt`.
    pub module: TokenStream,
    /// `#[cfg(test)] mod tests { … }`: one `#[test]` per `endpointTests` case
    /// (empty when no tests were given). Refers to `super::Params` and
    /// `super::resolve`, so it must sit next to `module`.
    pub tests: TokenStream,
}

impl EndpointModule {
    /// `module` followed by `tests`, formatted as the body of a Rust file.
    pub fn render(&self) -> Result<String, crate::Error> {
        let (module, tests) = (&self.module, &self.tests);
        crate::render::render("endpoint module", quote!(#module #tests))
    }
}

/// Checks `rule_set` and `tests` and emits them.
pub fn compile_endpoint_rules(
    rule_set: &Value,
    tests: Option<&Value>,
) -> Result<EndpointModule, EndpointRulesError> {
    let rule_set = check(rule_set, tests)?;
    Ok(EndpointModule {
        module: crate::emit::endpoint::module(&rule_set),
        tests: crate::emit::endpoint::tests(&rule_set),
        rule_set,
    })
}
