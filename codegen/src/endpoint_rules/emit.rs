//! Type-checks a parsed rule set and emits `Params` and `resolve`.
//!
//! Emission shape: one function; each rule is its conditions wrapped around its
//! body, innermost last. A condition becomes `if <bool>` (consecutive ones joined
//! with `&&`), `if let Some(x) = <option>` when a later condition or the body
//! uses the bound value, or `let x = <value>;` for a value that cannot fail.
//! Every body ends in `return`, so a failed condition falls through to the next
//! rule, and a tree's rules are followed by its exhaustion error. Bindings are
//! only emitted when used (tracked per binding while emitting the inner code
//! first), which keeps the output free of unused-variable warnings.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::ast::{
    Call, Condition, EndpointDef, Expr, Property, Rule, RuleKind, RuleSet, TemplatePart,
};
use super::naming::Names;
use super::{EndpointRulesError, ParamType, SUPPORTED_FUNCTIONS};

type Result<T> = std::result::Result<T, EndpointRulesError>;

/// Static types of rule-set values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Str,
    Bool,
    Int,
    StrArray,
    Partition,
    Url,
    Arn,
}

impl Ty {
    fn describe(self) -> &'static str {
        match self {
            Ty::Str => "a string",
            Ty::Bool => "a boolean",
            Ty::Int => "an integer",
            Ty::StrArray => "a string array",
            Ty::Partition => "a partition (from aws.partition)",
            Ty::Url => "a URL (from parseURL)",
            Ty::Arn => "an ARN (from aws.parseArn)",
        }
    }

    fn of_param(ty: ParamType) -> Ty {
        match ty {
            ParamType::String => Ty::Str,
            ParamType::Boolean => Ty::Bool,
            ParamType::StringArray => Ty::StrArray,
        }
    }
}

/// The attributes `getAttr` can read from each record type: rule-set name,
/// runtime accessor, attribute type.
fn attribute(ty: Ty, key: &str) -> Option<(&'static str, Ty)> {
    let table: &[(&str, &str, Ty)] = match ty {
        Ty::Partition => &[
            ("name", "name", Ty::Str),
            ("dnsSuffix", "dns_suffix", Ty::Str),
            ("dualStackDnsSuffix", "dual_stack_dns_suffix", Ty::Str),
            ("supportsFIPS", "supports_fips", Ty::Bool),
            ("supportsDualStack", "supports_dual_stack", Ty::Bool),
            ("implicitGlobalRegion", "implicit_global_region", Ty::Str),
        ],
        Ty::Url => &[
            ("scheme", "scheme", Ty::Str),
            ("authority", "authority", Ty::Str),
            ("path", "path", Ty::Str),
            ("normalizedPath", "normalized_path", Ty::Str),
            ("isIp", "is_ip", Ty::Bool),
        ],
        Ty::Arn => &[
            ("partition", "partition", Ty::Str),
            ("service", "service", Ty::Str),
            ("region", "region", Ty::Str),
            ("accountId", "account_id", Ty::Str),
            ("resourceId", "resource_id", Ty::StrArray),
        ],
        _ => &[],
    };
    table
        .iter()
        .find(|(name, _, _)| *name == key)
        .map(|(_, method, ty)| (*method, *ty))
}

fn attribute_names(ty: Ty) -> &'static str {
    match ty {
        Ty::Partition => "name, dnsSuffix, dualStackDnsSuffix, supportsFIPS, supportsDualStack, implicitGlobalRegion",
        Ty::Url => "scheme, authority, path, normalizedPath, isIp",
        Ty::Arn => "partition, service, region, accountId, resourceId",
        _ => "none",
    }
}

/// A boolean expression, kept structured so negation and comparison with
/// literals fold into the idiomatic form (`!x`, `x.is_none()`, `a != b`)
/// instead of `x == true` or `!(a == b)`.
#[derive(Clone)]
enum BoolExpr {
    Const(bool),
    Atom {
        tokens: TokenStream,
        negated: bool,
    },
    IsSome {
        tokens: TokenStream,
        negated: bool,
    },
    Eq {
        lhs: TokenStream,
        rhs: TokenStream,
        negated: bool,
    },
}

impl BoolExpr {
    fn atom(tokens: TokenStream) -> Self {
        BoolExpr::Atom {
            tokens,
            negated: false,
        }
    }

    fn not(self) -> Self {
        match self {
            BoolExpr::Const(b) => BoolExpr::Const(!b),
            BoolExpr::Atom { tokens, negated } => BoolExpr::Atom {
                tokens,
                negated: !negated,
            },
            BoolExpr::IsSome { tokens, negated } => BoolExpr::IsSome {
                tokens,
                negated: !negated,
            },
            BoolExpr::Eq { lhs, rhs, negated } => BoolExpr::Eq {
                lhs,
                rhs,
                negated: !negated,
            },
        }
    }

    fn tokens(&self) -> TokenStream {
        match self {
            BoolExpr::Const(b) => quote!(#b),
            BoolExpr::Atom {
                tokens,
                negated: false,
            } => tokens.clone(),
            BoolExpr::Atom {
                tokens,
                negated: true,
            } => quote!(!#tokens),
            BoolExpr::IsSome {
                tokens,
                negated: false,
            } => quote!(#tokens.is_some()),
            BoolExpr::IsSome {
                tokens,
                negated: true,
            } => quote!(#tokens.is_none()),
            BoolExpr::Eq {
                lhs,
                rhs,
                negated: false,
            } => quote!(#lhs == #rhs),
            BoolExpr::Eq {
                lhs,
                rhs,
                negated: true,
            } => quote!(#lhs != #rhs),
        }
    }

    /// Tokens usable as an operand of `==` (comparisons do not chain in Rust).
    fn operand(&self) -> TokenStream {
        let tokens = self.tokens();
        match self {
            BoolExpr::Eq { .. } => quote!((#tokens)),
            _ => tokens,
        }
    }
}

/// A compiled expression.
#[derive(Clone)]
struct Val {
    ty: Ty,
    optional: bool,
    /// Rust tokens. Strings: `&str` unless `owned` (`String`); booleans: see
    /// `boolean`; string arrays: `&[String]`; partitions: `&'static Partition`;
    /// URLs and ARNs: a place of type `Url` / `Arn`; optionals: `Option<…>` of those.
    tokens: TokenStream,
    owned: bool,
    /// Set for non-optional booleans.
    boolean: Option<BoolExpr>,
    /// Statically known string or integer value.
    literal: Option<LitVal>,
}

#[derive(Clone, PartialEq)]
enum LitVal {
    Str(String),
    Int(i64),
}

impl Val {
    fn new(ty: Ty, optional: bool, tokens: TokenStream) -> Self {
        let boolean = (ty == Ty::Bool && !optional).then(|| BoolExpr::atom(tokens.clone()));
        Val {
            ty,
            optional,
            tokens,
            owned: false,
            boolean,
            literal: None,
        }
    }

    fn boolean(expr: BoolExpr) -> Self {
        Val {
            ty: Ty::Bool,
            optional: false,
            tokens: expr.tokens(),
            owned: false,
            boolean: Some(expr),
            literal: None,
        }
    }

    fn str_literal(text: &str) -> Self {
        Val {
            literal: Some(LitVal::Str(text.to_owned())),
            ..Val::new(Ty::Str, false, quote!(#text))
        }
    }

    fn owned_str(tokens: TokenStream) -> Self {
        Val {
            owned: true,
            ..Val::new(Ty::Str, false, tokens)
        }
    }

    /// As an `&str` argument.
    fn str_arg(&self) -> TokenStream {
        let tokens = &self.tokens;
        if self.owned {
            quote!(&#tokens)
        } else {
            tokens.clone()
        }
    }

    fn bool_expr(&self) -> BoolExpr {
        self.boolean
            .clone()
            .unwrap_or_else(|| BoolExpr::atom(self.tokens.clone()))
    }
}

/// A value visible to a condition or body.
#[derive(Clone)]
struct Var {
    ty: Ty,
    optional: bool,
    kind: VarKind,
}

#[derive(Clone)]
enum VarKind {
    /// Read from `params` each time (a parameter not narrowed by `isSet`).
    Param { field: Ident, has_value: bool },
    /// A local binding; `owned` for a `String` (read as `x.as_str()`).
    Local {
        ident: Ident,
        binding: usize,
        owned: bool,
    },
}

type Scope = BTreeMap<String, Var>;

/// How one condition wraps the code after it.
enum Wrapper {
    /// Always holds and binds nothing used later.
    Always,
    /// Never holds: the rule is dead.
    Never,
    If {
        cond: BoolExpr,
        /// `assign` of a boolean condition: the value is `true` inside.
        bind_true: Option<(usize, Ident)>,
    },
    IfLet {
        value: TokenStream,
        ident: Ident,
        binding: usize,
        /// The `Option` to test when the binding turns out unused.
        is_some: TokenStream,
    },
    Let {
        value: TokenStream,
        ident: Ident,
        binding: usize,
    },
}

enum Item {
    If(BoolExpr),
    IfLet(Ident, TokenStream),
    Let(Ident, TokenStream),
}

struct Compiler<'a> {
    names: &'a Names,
    next_binding: usize,
    used: BTreeSet<usize>,
    params_used: bool,
}

pub(super) fn emit_module(rule_set: &RuleSet, names: &Names) -> Result<TokenStream> {
    let mut compiler = Compiler {
        names,
        next_binding: 0,
        used: BTreeSet::new(),
        params_used: false,
    };
    let mut scope = Scope::new();
    let mut required = Vec::new();
    for param in &rule_set.params {
        let field = names.field(&param.name);
        let ty = Ty::of_param(param.ty);
        let var = if param.required && !param.has_value() {
            // Checked once up front; the rules then see a plain value.
            let binding = compiler.new_binding();
            required.push((param, binding));
            Var {
                ty,
                optional: false,
                kind: VarKind::Local {
                    ident: field,
                    binding,
                    owned: false,
                },
            }
        } else {
            Var {
                ty,
                optional: !param.has_value(),
                kind: VarKind::Param {
                    field,
                    has_value: param.has_value(),
                },
            }
        };
        scope.insert(param.name.clone(), var);
    }
    let body = compiler.emit_rules(&rule_set.rules, &scope, true, "endpointRuleSet.rules")?;
    let mut prologue = TokenStream::new();
    for (param, binding) in required {
        compiler.params_used = true;
        let field = names.field(&param.name);
        let message = format!("A required endpoint parameter is not set: {}", param.name);
        let error = quote!(::aws_json_runtime::endpoint::ResolveEndpointError::new(#message));
        prologue.extend(if compiler.used.contains(&binding) {
            let access = optional_param_access(param.ty, &field);
            quote!(let Some(#field) = #access else { return Err(#error); };)
        } else {
            quote!(if params.#field.is_none() { return Err(#error); })
        });
    }
    let params_arg = if compiler.params_used {
        quote!(params)
    } else {
        quote!(_params)
    };
    let params_struct = params_struct(rule_set, names);
    Ok(quote! {
        #params_struct

        #[doc = " Resolves the endpoint for `params` with the service's endpoint rule set."]
        #[doc = ""]
        #[doc = " Rules are tried in order and the first whose conditions all hold decides:"]
        #[doc = " an endpoint, or an error carrying the rule set's message."]
        pub fn resolve(
            #params_arg: &Params,
        ) -> Result<
            ::aws_json_runtime::endpoint::Endpoint,
            ::aws_json_runtime::endpoint::ResolveEndpointError,
        > {
            #prologue
            #body
        }
    })
}

fn optional_param_access(ty: ParamType, field: &Ident) -> TokenStream {
    match ty {
        ParamType::String | ParamType::StringArray => quote!(params.#field.as_deref()),
        ParamType::Boolean => quote!(params.#field),
    }
}

fn params_struct(rule_set: &RuleSet, names: &Names) -> TokenStream {
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    let mut all_rust_defaults = true;
    for param in &rule_set.params {
        let field = names.field(&param.name);
        let mut doc = param.documentation.clone().unwrap_or_default();
        if let Some(built_in) = &param.built_in {
            doc.push_str(&format!("\n\nBuilt-in: `{built_in}`."));
        }
        if let Some(default) = &param.default {
            doc.push_str(&format!("\n\nDefault: `{default}`."));
        } else if param.required {
            doc.push_str("\n\nRequired: resolution fails while this is `None`.");
        }
        let doc = doc_attrs(doc.trim());
        let plain = match param.ty {
            ParamType::String => quote!(String),
            ParamType::Boolean => quote!(bool),
            ParamType::StringArray => quote!(Vec<String>),
        };
        let (ty, default) = match &param.default {
            None => (quote!(Option<#plain>), quote!(None)),
            Some(value) => {
                let (tokens, is_rust_default) = default_value(value);
                all_rust_defaults &= is_rust_default;
                (plain, tokens)
            }
        };
        fields.push(quote! {
            #doc
            pub #field: #ty,
        });
        defaults.push(quote!(#field: #default,));
    }
    // Clippy rejects a hand-written `Default` that `derive` would produce.
    let (derive_default, default_impl) = if all_rust_defaults {
        (quote!(, Default), TokenStream::new())
    } else {
        (
            TokenStream::new(),
            quote! {
                impl Default for Params {
                    fn default() -> Self {
                        Params { #(#defaults)* }
                    }
                }
            },
        )
    };
    quote! {
        #[doc = " Inputs of endpoint resolution, one field per rule-set parameter."]
        #[doc = ""]
        #[doc = " `Params::default()` applies the rule set's defaults; set the other fields"]
        #[doc = " from the client configuration (see each field's built-in)."]
        #[derive(Clone, Debug, PartialEq, Eq #derive_default)]
        pub struct Params {
            #(#fields)*
        }

        #default_impl
    }
}

/// Tokens for a parameter default, and whether it equals Rust's `Default`.
fn default_value(value: &serde_json::Value) -> (TokenStream, bool) {
    match value {
        serde_json::Value::Bool(b) => (quote!(#b), !*b),
        serde_json::Value::String(s) => (quote!(#s.to_owned()), s.is_empty()),
        serde_json::Value::Array(items) => {
            let items = items.iter().filter_map(serde_json::Value::as_str);
            let tokens = quote!(vec![#(#items.to_owned()),*]);
            (tokens, value.as_array().is_some_and(Vec::is_empty))
        }
        // The parser only lets defaults of the parameter's type through.
        _ => (quote!(Default::default()), true),
    }
}

/// `#[doc]` attributes for free text from a model.
///
/// Brackets and angle brackets would otherwise be read as links or HTML by
/// rustdoc, and bare URLs warn under `-D warnings`: the former are escaped,
/// URLs become autolinks (`<https://…>`).
pub(super) fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.trim().is_empty() {
            String::new()
        } else {
            let words: Vec<String> = line.split(' ').map(doc_word).collect();
            format!(" {}", words.join(" "))
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

fn doc_word(word: &str) -> String {
    let escape = |text: &str| {
        text.replace('[', "\\[")
            .replace(']', "\\]")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let Some(start) = word.find("https://").or_else(|| word.find("http://")) else {
        return escape(word);
    };
    let (prefix, rest) = word.split_at(start);
    let end = rest.find(['<', '>', '"', '\'']).unwrap_or(rest.len());
    let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
    let suffix = &rest[url.len()..];
    // Already an autolink (`<https://…>`): keep one pair of brackets.
    let (prefix, suffix) = match (prefix.strip_suffix('<'), suffix.strip_prefix('>')) {
        (Some(prefix), Some(suffix)) => (prefix, suffix),
        _ => (prefix, suffix),
    };
    format!("{}<{url}>{}", escape(prefix), escape(suffix))
}

impl Compiler<'_> {
    fn new_binding(&mut self) -> usize {
        self.next_binding += 1;
        self.next_binding
    }

    /// Statements evaluating `rules` in order; they always end by returning
    /// (or, with `tail`, by the function's tail expression).
    fn emit_rules(
        &mut self,
        rules: &[Rule],
        scope: &Scope,
        tail: bool,
        location: &str,
    ) -> Result<TokenStream> {
        let mut out = TokenStream::new();
        let mut terminated = false;
        for rule in rules {
            // Rules after one that always matches are unreachable; they are still
            // compiled so their mistakes are reported.
            let code = self.emit_rule(rule, scope, tail && !terminated)?;
            if terminated {
                continue;
            }
            if let Some((tokens, always)) = code {
                out.extend(tokens);
                terminated = always;
            }
        }
        if !terminated {
            let message = format!(
                "No endpoint rule matched these parameters (all rules of {location} failed)"
            );
            let error = quote!(::aws_json_runtime::endpoint::ResolveEndpointError::new(#message));
            out.extend(if tail {
                quote!(Err(#error))
            } else {
                quote!(return Err(#error);)
            });
        }
        Ok(out)
    }

    /// The rule's code and whether it always matches; `None` if it never can.
    fn emit_rule(
        &mut self,
        rule: &Rule,
        scope: &Scope,
        tail: bool,
    ) -> Result<Option<(TokenStream, bool)>> {
        let mut scope = scope.clone();
        let mut wrappers = Vec::with_capacity(rule.conditions.len());
        for condition in &rule.conditions {
            // A function given an unset optional parameter makes its condition
            // false (the rules engine's evaluation of unset arguments): guard
            // each such parameter with an implicit `isSet` first.
            for name in unset_arguments(&condition.expr, &scope) {
                let guard = Condition {
                    location: condition.location.clone(),
                    expr: Expr::Call(Call {
                        name: "isSet".to_owned(),
                        args: vec![Expr::Ref(name)],
                    }),
                    assign: None,
                };
                wrappers.push(self.compile_condition(&guard, &mut scope)?);
            }
            wrappers.push(self.compile_condition(condition, &mut scope)?);
        }
        let always = wrappers
            .iter()
            .all(|w| matches!(w, Wrapper::Always | Wrapper::Let { .. }));
        let body = self.emit_body(&rule.kind, &scope, tail && always, &rule.location)?;
        if wrappers.iter().any(|w| matches!(w, Wrapper::Never)) {
            return Ok(None);
        }

        let mut items = Vec::new();
        for wrapper in wrappers {
            match wrapper {
                Wrapper::Always | Wrapper::Never => {}
                Wrapper::If { cond, bind_true } => {
                    items.push(Item::If(cond));
                    if let Some((binding, ident)) = bind_true {
                        if self.used.contains(&binding) {
                            items.push(Item::Let(ident, quote!(true)));
                        }
                    }
                }
                Wrapper::IfLet {
                    value,
                    ident,
                    binding,
                    is_some,
                } => items.push(if self.used.contains(&binding) {
                    Item::IfLet(ident, value)
                } else {
                    Item::If(BoolExpr::IsSome {
                        tokens: is_some,
                        negated: false,
                    })
                }),
                Wrapper::Let {
                    value,
                    ident,
                    binding,
                } => {
                    if self.used.contains(&binding) {
                        items.push(Item::Let(ident, value));
                    }
                }
            }
        }

        let mut inner = body;
        let mut pending: Vec<BoolExpr> = Vec::new();
        for item in items.into_iter().rev() {
            match item {
                Item::If(cond) => pending.push(cond),
                Item::IfLet(ident, value) => {
                    inner = wrap_if(&mut pending, inner);
                    inner = quote!(if let Some(#ident) = #value { #inner });
                }
                Item::Let(ident, value) => {
                    inner = wrap_if(&mut pending, inner);
                    inner = quote!(let #ident = #value; #inner);
                }
            }
        }
        inner = wrap_if(&mut pending, inner);
        Ok(Some((inner, always)))
    }

    fn emit_body(
        &mut self,
        kind: &RuleKind,
        scope: &Scope,
        tail: bool,
        location: &str,
    ) -> Result<TokenStream> {
        let value = match kind {
            RuleKind::Tree(rules) => {
                return self.emit_rules(rules, scope, tail, &format!("{location}.rules"));
            }
            RuleKind::Endpoint(endpoint) => self.endpoint(endpoint, scope, location)?,
            RuleKind::Error(message) => {
                let message_location = format!("{location}.error");
                let message = self.compile_expr(message, scope, &message_location)?;
                expect(&message, Ty::Str, &message_location, "an error message")?;
                let tokens = &message.tokens;
                // `Cow<'static, str>`: literals and `String`s go in as they are.
                let message = if message.owned || message.literal.is_some() {
                    tokens.clone()
                } else {
                    quote!(#tokens.to_owned())
                };
                quote!(Err(::aws_json_runtime::endpoint::ResolveEndpointError::new(#message)))
            }
        };
        Ok(if tail { value } else { quote!(return #value;) })
    }

    fn endpoint(
        &mut self,
        endpoint: &EndpointDef,
        scope: &Scope,
        location: &str,
    ) -> Result<TokenStream> {
        let url_location = format!("{location}.endpoint.url");
        let url = self.compile_expr(&endpoint.url, scope, &url_location)?;
        expect(&url, Ty::Str, &url_location, "an endpoint URL")?;
        let url = url.tokens;
        let mut tokens = quote!(::aws_json_runtime::endpoint::Endpoint::new(#url));
        for (name, values) in &endpoint.headers {
            for (index, value) in values.iter().enumerate() {
                let value_location = format!("{location}.endpoint.headers.{name}[{index}]");
                let value = self.compile_expr(value, scope, &value_location)?;
                expect(&value, Ty::Str, &value_location, "a header value")?;
                let value = value.tokens;
                tokens = quote!(#tokens.with_header(#name, #value));
            }
        }
        for (name, property) in &endpoint.properties {
            let value = self.property(
                property,
                scope,
                &format!("{location}.endpoint.properties.{name}"),
            )?;
            tokens = quote!(#tokens.with_property(#name, #value));
        }
        Ok(quote!(Ok(#tokens)))
    }

    /// A property value as a `Document` expression.
    fn property(
        &mut self,
        property: &Property,
        scope: &Scope,
        location: &str,
    ) -> Result<TokenStream> {
        Ok(match property {
            Property::Template(parts) => {
                let value = self.compile_template(parts, scope, location)?;
                let value = value.tokens;
                quote!(::aws_json_runtime::Document::from(#value))
            }
            Property::Bool(b) => quote!(::aws_json_runtime::Document::Bool(#b)),
            Property::Number(n) => number_document(n, location)?,
            Property::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.property(item, scope, &format!("{location}[{index}]"))
                    })
                    .collect::<Result<Vec<_>>>()?;
                quote!(::aws_json_runtime::Document::Array(vec![#(#items),*]))
            }
            Property::Object(members) => {
                let mut entries = Vec::new();
                for (key, item) in members {
                    let value = self.property(item, scope, &format!("{location}.{key}"))?;
                    entries.push(quote!((#key.to_owned(), #value)));
                }
                if entries.is_empty() {
                    quote!(::aws_json_runtime::Document::Object(
                        ::std::collections::BTreeMap::new()
                    ))
                } else {
                    quote!(::aws_json_runtime::Document::Object(::std::collections::BTreeMap::from([#(#entries),*])))
                }
            }
            Property::Expr(expr) => {
                let value = self.compile_expr(expr, scope, location)?;
                if value.optional {
                    return Err(may_be_unset(location, "a property value"));
                }
                let tokens = &value.tokens;
                match value.ty {
                    Ty::Str => quote!(::aws_json_runtime::Document::from(#tokens)),
                    Ty::Bool => quote!(::aws_json_runtime::Document::Bool(#tokens)),
                    Ty::StrArray => quote!(::aws_json_runtime::Document::Array(
                        #tokens.iter().cloned().map(::aws_json_runtime::Document::from).collect()
                    )),
                    other => {
                        return Err(EndpointRulesError::invalid(
                            location,
                            format!("a property value cannot be {}", other.describe()),
                        ))
                    }
                }
            }
        })
    }

    fn compile_condition(&mut self, condition: &Condition, scope: &mut Scope) -> Result<Wrapper> {
        let location = condition.location.as_str();
        // `isSet(Param)` proves the parameter set for the rest of the rule: bind it.
        let narrowed = match &condition.expr {
            Expr::Call(Call { name, args }) if name == "isSet" => match args.as_slice() {
                [Expr::Ref(param)] => Some(param),
                _ => None,
            },
            _ => None,
        };
        if let Some(name) = narrowed {
            if let Some(Var {
                ty,
                optional: true,
                kind: VarKind::Param { field, .. },
            }) = scope.get(name).cloned()
            {
                if condition.assign.is_some() {
                    return Err(EndpointRulesError::invalid(
                        location,
                        "`assign` on `isSet` is not supported",
                    ));
                }
                self.params_used = true;
                let binding = self.new_binding();
                let param_ty = match ty {
                    Ty::Str => ParamType::String,
                    Ty::StrArray => ParamType::StringArray,
                    _ => ParamType::Boolean,
                };
                let value = optional_param_access(param_ty, &field);
                scope.insert(
                    name.clone(),
                    Var {
                        ty,
                        optional: false,
                        kind: VarKind::Local {
                            ident: field.clone(),
                            binding,
                            owned: false,
                        },
                    },
                );
                return Ok(Wrapper::IfLet {
                    value,
                    ident: field.clone(),
                    binding,
                    is_some: quote!(params.#field),
                });
            }
        }

        let value = self.compile_expr(&condition.expr, scope, location)?;
        let binding = match &condition.assign {
            None => None,
            Some(name) => {
                if scope.contains_key(name) {
                    return Err(EndpointRulesError::invalid(
                        location,
                        format!("`assign: {name}` would shadow a parameter or a value assigned by an enclosing condition"),
                    ));
                }
                Some((name.clone(), self.new_binding(), self.names.local(name)))
            }
        };
        let mut bind = |ty: Ty, owned: bool| {
            binding.clone().map(|(name, binding, ident)| {
                scope.insert(
                    name,
                    Var {
                        ty,
                        optional: false,
                        kind: VarKind::Local {
                            ident: ident.clone(),
                            binding,
                            owned,
                        },
                    },
                );
                (binding, ident)
            })
        };
        Ok(match (value.ty, value.optional) {
            (Ty::Bool, false) => {
                let cond = value.bool_expr();
                let bind_true = bind(Ty::Bool, false);
                match (cond, bind_true) {
                    (BoolExpr::Const(false), _) => Wrapper::Never,
                    (BoolExpr::Const(true), None) => Wrapper::Always,
                    (BoolExpr::Const(true), Some((binding, ident))) => Wrapper::Let {
                        value: quote!(true),
                        ident,
                        binding,
                    },
                    (cond, bind_true) => Wrapper::If { cond, bind_true },
                }
            }
            (Ty::Bool, true) => {
                // An optional boolean holds when it is set and true.
                let tokens = &value.tokens;
                Wrapper::If {
                    cond: BoolExpr::Eq {
                        lhs: tokens.clone(),
                        rhs: quote!(Some(true)),
                        negated: false,
                    },
                    bind_true: bind(Ty::Bool, false),
                }
            }
            (ty, true) => match bind(ty, value.owned) {
                Some((binding, ident)) => Wrapper::IfLet {
                    value: value.tokens.clone(),
                    ident,
                    binding,
                    is_some: value.tokens,
                },
                None => Wrapper::If {
                    cond: BoolExpr::IsSome {
                        tokens: value.tokens,
                        negated: false,
                    },
                    bind_true: None,
                },
            },
            // A value that is always present: the condition always holds.
            (ty, false) => match bind(ty, value.owned) {
                Some((binding, ident)) => Wrapper::Let {
                    value: value.tokens,
                    ident,
                    binding,
                },
                None => Wrapper::Always,
            },
        })
    }

    fn compile_expr(&mut self, expr: &Expr, scope: &Scope, location: &str) -> Result<Val> {
        match expr {
            Expr::Template(parts) => self.compile_template(parts, scope, location),
            Expr::Bool(b) => Ok(Val::boolean(BoolExpr::Const(*b))),
            Expr::Int(i) => Ok(Val {
                literal: Some(LitVal::Int(*i)),
                ..Val::new(Ty::Int, false, quote!(#i))
            }),
            Expr::Ref(name) => self.reference(name, scope, location),
            Expr::GetAttr { target, path } => self.get_attr(target, path, scope, location),
            Expr::Call(call) => self.compile_call(call, scope, location),
        }
    }

    fn reference(&mut self, name: &str, scope: &Scope, location: &str) -> Result<Val> {
        let var = scope.get(name).ok_or_else(|| {
            EndpointRulesError::invalid(
                location,
                format!("`{name}` is neither a parameter nor a value assigned by an enclosing condition"),
            )
        })?;
        Ok(match &var.kind {
            VarKind::Param { field, has_value } => {
                self.params_used = true;
                let tokens = match (var.ty, has_value) {
                    (Ty::Str, true) => quote!(params.#field.as_str()),
                    (Ty::StrArray, true) => quote!(params.#field.as_slice()),
                    (Ty::Str | Ty::StrArray, false) => quote!(params.#field.as_deref()),
                    _ => quote!(params.#field),
                };
                Val::new(var.ty, var.optional, tokens)
            }
            VarKind::Local {
                ident,
                binding,
                owned,
            } => {
                self.used.insert(*binding);
                let tokens = if *owned {
                    quote!(#ident.as_str())
                } else {
                    quote!(#ident)
                };
                Val::new(var.ty, var.optional, tokens)
            }
        })
    }

    fn compile_template(
        &mut self,
        parts: &[TemplatePart],
        scope: &Scope,
        location: &str,
    ) -> Result<Val> {
        match parts {
            [TemplatePart::Literal(text)] => return Ok(Val::str_literal(text)),
            [TemplatePart::Expr(expr)] => {
                let value = self.compile_expr(expr, scope, location)?;
                expect(&value, Ty::Str, location, "a template value")?;
                return Ok(value);
            }
            _ => {}
        }
        // `[..].concat()` sizes the result once and copies each piece: cheaper
        // per request than `format!`, and literals need no brace escaping.
        let mut pieces = Vec::with_capacity(parts.len());
        for part in parts {
            match part {
                TemplatePart::Literal(text) => pieces.push(quote!(#text)),
                TemplatePart::Expr(expr) => {
                    let value = self.compile_expr(expr, scope, location)?;
                    expect(&value, Ty::Str, location, "a template value")?;
                    pieces.push(value.str_arg());
                }
            }
        }
        Ok(Val::owned_str(quote!([#(#pieces),*].concat())))
    }

    fn get_attr(
        &mut self,
        target: &Expr,
        path: &str,
        scope: &Scope,
        location: &str,
    ) -> Result<Val> {
        let mut value = self.compile_expr(target, scope, location)?;
        if value.optional {
            return Err(may_be_unset(location, "the target of `getAttr`"));
        }
        let parts = parse_path(path).map_err(|message| {
            EndpointRulesError::invalid(location, format!("getAttr path `{path}`: {message}"))
        })?;
        for part in parts {
            let tokens = &value.tokens;
            value = match part {
                PathPart::Key(key) => {
                    let (method, ty) = attribute(value.ty, &key).ok_or_else(|| {
                        EndpointRulesError::invalid(
                            location,
                            format!(
                                "getAttr path `{path}`: {} has no attribute `{key}` (it has: {})",
                                value.ty.describe(),
                                attribute_names(value.ty)
                            ),
                        )
                    })?;
                    let method = Ident::new(method, proc_macro2::Span::call_site());
                    Val::new(ty, false, quote!(#tokens.#method()))
                }
                PathPart::Index(index) => {
                    if value.ty != Ty::StrArray {
                        return Err(EndpointRulesError::invalid(
                            location,
                            format!(
                                "getAttr path `{path}`: cannot index {}",
                                value.ty.describe()
                            ),
                        ));
                    }
                    let element = if index == 0 {
                        quote!(#tokens.first())
                    } else {
                        let index = Literal::usize_unsuffixed(index);
                        quote!(#tokens.get(#index))
                    };
                    Val::new(
                        Ty::Str,
                        true,
                        quote!(#element.map(::std::string::String::as_str)),
                    )
                }
            };
        }
        Ok(value)
    }

    fn compile_call(&mut self, call: &Call, scope: &Scope, location: &str) -> Result<Val> {
        let name = call.name.as_str();
        let arity = match name {
            "isSet" | "not" | "uriEncode" | "parseURL" | "aws.partition" | "aws.parseArn" => 1,
            "booleanEquals" | "stringEquals" | "isValidHostLabel" => 2,
            "substring" => 4,
            _ => {
                return Err(EndpointRulesError::UnknownFunction {
                    location: location.to_owned(),
                    name: name.to_owned(),
                    supported: SUPPORTED_FUNCTIONS,
                })
            }
        };
        if call.args.len() != arity {
            return Err(EndpointRulesError::invalid(
                location,
                format!(
                    "`{name}` takes {arity} argument(s), found {}",
                    call.args.len()
                ),
            ));
        }
        let mut args = Vec::with_capacity(arity);
        for (index, arg) in call.args.iter().enumerate() {
            args.push(self.compile_expr(arg, scope, &format!("{location}.argv[{index}]"))?);
        }
        let arg = |index: usize, ty: Ty| -> Result<&Val> {
            let value = &args[index];
            let what = format!("argument {} of `{name}`", index + 1);
            expect(value, ty, location, &what)?;
            Ok(value)
        };
        let lib = quote!(::aws_json_runtime::endpoint::lib);
        Ok(match name {
            "isSet" => {
                let value = &args[0];
                if value.optional {
                    let tokens = match &call.args[0] {
                        // `params.x.is_some()` reads better than `params.x.as_deref().is_some()`.
                        Expr::Ref(name) => match scope.get(name.as_str()).map(|v| &v.kind) {
                            Some(VarKind::Param { field, .. }) => quote!(params.#field),
                            _ => value.tokens.clone(),
                        },
                        _ => value.tokens.clone(),
                    };
                    Val::boolean(BoolExpr::IsSome {
                        tokens,
                        negated: false,
                    })
                } else {
                    Val::boolean(BoolExpr::Const(true))
                }
            }
            "not" => Val::boolean(arg(0, Ty::Bool)?.bool_expr().not()),
            "booleanEquals" => {
                let (a, b) = (arg(0, Ty::Bool)?.bool_expr(), arg(1, Ty::Bool)?.bool_expr());
                Val::boolean(match (a, b) {
                    (BoolExpr::Const(x), BoolExpr::Const(y)) => BoolExpr::Const(x == y),
                    (BoolExpr::Const(true), other) | (other, BoolExpr::Const(true)) => other,
                    (BoolExpr::Const(false), other) | (other, BoolExpr::Const(false)) => {
                        other.not()
                    }
                    (a, b) => BoolExpr::Eq {
                        lhs: a.operand(),
                        rhs: b.operand(),
                        negated: false,
                    },
                })
            }
            "stringEquals" => {
                let (a, b) = (arg(0, Ty::Str)?, arg(1, Ty::Str)?);
                Val::boolean(match (&a.literal, &b.literal) {
                    (Some(x), Some(y)) => BoolExpr::Const(x == y),
                    _ => BoolExpr::Eq {
                        lhs: a.tokens.clone(),
                        rhs: b.tokens.clone(),
                        negated: false,
                    },
                })
            }
            "substring" => {
                let input = arg(0, Ty::Str)?.str_arg();
                let start = index_literal(arg(1, Ty::Int)?, location, "start")?;
                let stop = index_literal(arg(2, Ty::Int)?, location, "stop")?;
                let reverse = arg(3, Ty::Bool)?.bool_expr().tokens();
                Val::new(
                    Ty::Str,
                    true,
                    quote!(#lib::substring(#input, #start, #stop, #reverse)),
                )
            }
            "uriEncode" => {
                let input = arg(0, Ty::Str)?.str_arg();
                Val::owned_str(quote!(#lib::uri_encode(#input)))
            }
            "parseURL" => {
                let input = arg(0, Ty::Str)?.str_arg();
                Val::new(Ty::Url, true, quote!(#lib::parse_url(#input)))
            }
            "isValidHostLabel" => {
                let input = arg(0, Ty::Str)?.str_arg();
                let allow_dots = arg(1, Ty::Bool)?.bool_expr().tokens();
                Val::boolean(BoolExpr::atom(
                    quote!(#lib::is_valid_host_label(#input, #allow_dots)),
                ))
            }
            "aws.partition" => {
                let input = arg(0, Ty::Str)?.str_arg();
                Val::new(Ty::Partition, true, quote!(#lib::aws::partition(#input)))
            }
            "aws.parseArn" => {
                let input = arg(0, Ty::Str)?.str_arg();
                Val::new(Ty::Arn, true, quote!(#lib::aws::parse_arn(#input)))
            }
            _ => {
                return Err(EndpointRulesError::UnknownFunction {
                    location: location.to_owned(),
                    name: name.to_owned(),
                    supported: SUPPORTED_FUNCTIONS,
                })
            }
        })
    }
}

/// Optional parameters passed directly as arguments to a function call in
/// `expr` (other than `isSet`), in order of appearance, without repeats.
fn unset_arguments(expr: &Expr, scope: &Scope) -> Vec<String> {
    fn walk(expr: &Expr, scope: &Scope, out: &mut Vec<String>) {
        match expr {
            Expr::Call(Call { name, .. }) if name == "isSet" => {}
            Expr::Call(Call { args, .. }) => {
                for arg in args {
                    match arg {
                        Expr::Ref(name) => {
                            let optional_param = matches!(
                                scope.get(name.as_str()),
                                Some(Var {
                                    optional: true,
                                    kind: VarKind::Param { .. },
                                    ..
                                })
                            );
                            if optional_param && !out.contains(name) {
                                out.push(name.clone());
                            }
                        }
                        other => walk(other, scope, out),
                    }
                }
            }
            Expr::GetAttr { target, .. } => walk(target, scope, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(expr, scope, &mut out);
    out
}

/// Wraps `inner` in `if a && b { … }` for the pending conditions (collected
/// innermost first).
fn wrap_if(pending: &mut Vec<BoolExpr>, inner: TokenStream) -> TokenStream {
    if pending.is_empty() {
        return inner;
    }
    let conditions: Vec<TokenStream> = pending.drain(..).rev().map(|c| c.tokens()).collect();
    quote!(if #(#conditions)&&* { #inner })
}

fn expect(value: &Val, ty: Ty, location: &str, what: &str) -> Result<()> {
    if value.ty != ty {
        return Err(EndpointRulesError::invalid(
            location,
            format!(
                "{what} must be {}, found {}",
                ty.describe(),
                value.ty.describe()
            ),
        ));
    }
    if value.optional {
        return Err(may_be_unset(location, what));
    }
    Ok(())
}

fn may_be_unset(location: &str, what: &str) -> EndpointRulesError {
    EndpointRulesError::invalid(
        location,
        format!(
            "{what} may be unset here; prove it set with `isSet` or bind it with `assign` in an earlier condition"
        ),
    )
}

fn index_literal(value: &Val, location: &str, what: &str) -> Result<Literal> {
    match value.literal {
        Some(LitVal::Int(i)) if i >= 0 => usize::try_from(i)
            .map(Literal::usize_unsuffixed)
            .map_err(|_| {
                EndpointRulesError::invalid(location, format!("substring {what} {i} is too large"))
            }),
        _ => Err(EndpointRulesError::invalid(
            location,
            format!("substring {what} must be a non-negative integer literal"),
        )),
    }
}

pub(super) fn number_document(n: &serde_json::Number, location: &str) -> Result<TokenStream> {
    let number = quote!(::aws_json_runtime::Number);
    if let Some(u) = n.as_u64() {
        let u = Literal::u64_unsuffixed(u);
        return Ok(quote!(::aws_json_runtime::Document::Number(#number::PosInt(#u))));
    }
    if let Some(i) = n.as_i64() {
        let magnitude = Literal::u64_unsuffixed(i.unsigned_abs());
        return Ok(quote!(::aws_json_runtime::Document::Number(#number::NegInt(-#magnitude))));
    }
    match n.as_f64() {
        Some(f) if f.is_finite() => {
            let magnitude = Literal::f64_unsuffixed(f.abs());
            let sign = if f.is_sign_negative() {
                quote!(-)
            } else {
                quote!()
            };
            Ok(quote!(::aws_json_runtime::Document::Number(#number::Float(#sign #magnitude))))
        }
        _ => Err(EndpointRulesError::invalid(
            location,
            format!("number {n} is not representable"),
        )),
    }
}

enum PathPart {
    Key(String),
    Index(usize),
}

/// `a.b[2]` → `a`, `b`, `[2]`; an index may only end the path.
fn parse_path(path: &str) -> std::result::Result<Vec<PathPart>, String> {
    let mut parts = Vec::new();
    for component in path.split('.') {
        match component.split_once('[') {
            Some((key, rest)) => {
                let index = rest
                    .strip_suffix(']')
                    .ok_or_else(|| format!("`{component}` must end with `]`"))?;
                let index = index
                    .parse::<usize>()
                    .map_err(|_| format!("`{index}` is not a non-negative index"))?;
                if !key.is_empty() {
                    parts.push(PathPart::Key(key.to_owned()));
                }
                parts.push(PathPart::Index(index));
            }
            None if component.is_empty() => return Err("empty path component".to_owned()),
            None => parts.push(PathPart::Key(component.to_owned())),
        }
    }
    let last = parts.len().saturating_sub(1);
    if parts
        .iter()
        .enumerate()
        .any(|(i, part)| matches!(part, PathPart::Index(_)) && i != last)
    {
        return Err("an index may only be the last element".to_owned());
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_text_is_escaped_and_urls_become_autolinks() {
        for (word, doc) in [
            ("plain", "plain"),
            ("[see]", "\\[see\\]"),
            ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
            ("https://example.com", "<https://example.com>"),
            (
                "https://example.com/stages.",
                "<https://example.com/stages>.",
            ),
            ("(https://example.com/a),", "(<https://example.com/a>),"),
            ("<https://example.com>.", "<https://example.com>."),
            ("x<http://a.b>y", "x<http://a.b>y"),
        ] {
            assert_eq!(doc_word(word), doc, "{word}");
        }
    }

    #[test]
    fn getattr_paths() {
        let describe = |path: &str| match parse_path(path) {
            Ok(parts) => parts
                .iter()
                .map(|p| match p {
                    PathPart::Key(k) => k.clone(),
                    PathPart::Index(i) => format!("[{i}]"),
                })
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(describe("dnsSuffix"), "dnsSuffix");
        assert_eq!(describe("resourceId[2]"), "resourceId [2]");
        assert_eq!(describe("[0]"), "[0]");
        assert_eq!(describe("a.b"), "a b");
        assert_eq!(
            describe("a[0].b"),
            "error: an index may only be the last element"
        );
        assert_eq!(describe("a[x]"), "error: `x` is not a non-negative index");
        assert_eq!(describe("a[1"), "error: `a[1` must end with `]`");
        assert_eq!(describe("a..b"), "error: empty path component");
    }
}
