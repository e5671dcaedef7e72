//! Compiles a Smithy endpoint rule set (`smithy.rules#endpointRuleSet`) into
//! Rust, and its `smithy.rules#endpointTests` into `#[test]` functions.
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
//! Pipeline: `ast` parses the JSON into a typed rule set, `emit` type-checks
//! and emits `Params` + `resolve`, `tests_gen` emits the test module.

mod ast;
mod emit;
mod naming;
mod tests_gen;

use proc_macro2::TokenStream;
use quote::quote;

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

/// One parameter of a rule set, as the client generator needs to know it to
/// fill `Params` from the client configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointParam {
    /// Name in the model, e.g. `UseFIPS`.
    pub name: String,
    /// Field of the generated `Params`, e.g. `use_fips`.
    pub field: String,
    /// Value type.
    pub ty: ParamType,
    /// Whether resolution needs a value (from the caller or `default`).
    pub required: bool,
    /// The rule set's default, applied by `Params::default()`; a field with a
    /// default is not an `Option`.
    pub default: Option<serde_json::Value>,
    /// The built-in that supplies the value, e.g. `AWS::Region`, `AWS::UseFIPS`,
    /// `AWS::UseDualStack`, `SDK::Endpoint`.
    pub built_in: Option<String>,
    /// The parameter documentation from the rule set.
    pub documentation: Option<String>,
}

/// The compiled rule set.
#[derive(Clone, Debug)]
pub struct EndpointModule {
    /// Parameters, sorted by model name (the order of the `Params` fields).
    pub params: Vec<EndpointParam>,
    /// Items of the client's `src/endpoint.rs`: `pub struct Params`,
    /// `impl Default for Params` (unless derived) and `pub fn resolve`.
    /// Paths into the runtime are absolute (`::aws_json_runtime::…`).
    pub module: TokenStream,
    /// `#[cfg(test)] mod tests { … }`: one `#[test]` per `endpointTests` case
    /// (empty when no tests were given). Refers to `super::Params` and
    /// `super::resolve`, so it must sit next to `module`.
    pub tests: TokenStream,
}

impl EndpointModule {
    /// `module` followed by `tests`, formatted as the body of a Rust file.
    pub fn render(&self) -> Result<String, EndpointRulesError> {
        let (module, tests) = (&self.module, &self.tests);
        format_tokens(quote!(#module #tests))
    }
}

/// Formats tokens holding a sequence of items as Rust source (`syn` + `prettyplease`).
pub fn format_tokens(tokens: TokenStream) -> Result<String, EndpointRulesError> {
    let file =
        syn::parse2::<syn::File>(tokens).map_err(|e| EndpointRulesError::Syntax(e.to_string()))?;
    Ok(prettyplease::unparse(&file))
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
    /// The emitted tokens did not parse as Rust (a generator bug).
    #[error("generated endpoint module is not valid Rust: {0}")]
    Syntax(String),
}

impl EndpointRulesError {
    fn invalid(location: impl Into<String>, message: impl Into<String>) -> Self {
        EndpointRulesError::Invalid {
            location: location.into(),
            message: message.into(),
        }
    }
}

/// The functions [`compile_endpoint_rules`] implements.
pub const SUPPORTED_FUNCTIONS: &str = "isSet, not, booleanEquals, stringEquals, getAttr, substring, uriEncode, parseURL, isValidHostLabel, aws.partition, aws.parseArn";

/// Compiles `rule_set` (the value of `smithy.rules#endpointRuleSet`) and, when
/// given, `tests` (the value of `smithy.rules#endpointTests`).
pub fn compile_endpoint_rules(
    rule_set: &serde_json::Value,
    tests: Option<&serde_json::Value>,
) -> Result<EndpointModule, EndpointRulesError> {
    let rule_set = ast::parse_rule_set(rule_set)?;
    let names = naming::Names::new(&rule_set);
    let module = emit::emit_module(&rule_set, &names)?;
    let tests = match tests {
        Some(tests) => tests_gen::emit_tests(&rule_set, &names, tests)?,
        None => TokenStream::new(),
    };
    let params = rule_set
        .params
        .iter()
        .map(|param| EndpointParam {
            name: param.name.clone(),
            field: names.field(&param.name).to_string(),
            ty: param.ty,
            required: param.required,
            default: param.default.clone(),
            built_in: param.built_in.clone(),
            documentation: param.documentation.clone(),
        })
        .collect();
    Ok(EndpointModule {
        params,
        module,
        tests,
    })
}
