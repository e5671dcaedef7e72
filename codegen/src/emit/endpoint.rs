//! `src/endpoint.rs`: `Params` and `resolve` written from the type-checked
//! rule set, one `#[test]` per `endpointTests` case, and the mapping from
//! the client's configuration (the built-ins) to the parameters.

use super::rust::{doc, document, document_array, document_object, inner_doc, rt};
use crate::endpoint_rules::typed::{
    Access, Block, Body, BoolExpr, Condition, Endpoint, Expect, Expr, Func, ParamValue, Property,
    RuleSet, TestCase,
};
use crate::endpoint_rules::ParamType;
use crate::ir::Service;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The whole `src/endpoint.rs`.
pub fn file(service: &Service) -> TokenStream {
    let rt = rt();
    let Some(rules) = &service.endpoint_rules else {
        let docs = inner_doc(
            "Endpoint resolution. The model has no endpoint rules, so requests\ngo to the configured endpoint URL, which must be set.",
        );
        return quote! {
            #docs
            pub(crate) fn resolve_from_config(
                config: &#rt::client::EndpointConfig<'_>,
            ) -> Result<#rt::endpoint::Endpoint, #rt::endpoint::ResolveEndpointError> {
                match config.endpoint_url {
                    Some(url) => Ok(#rt::endpoint::Endpoint::new(url)),
                    None => Err(#rt::endpoint::ResolveEndpointError::new(
                        "this service's model has no endpoint rules: set an endpoint URL",
                    )),
                }
            }
        };
    };
    let fields: Vec<TokenStream> = rules
        .params
        .iter()
        .filter_map(|p| {
            let field = &p.field;
            let plain = p.default.is_some();
            let value = match (p.built_in.as_deref()?, p.ty) {
                ("AWS::Region", ParamType::String) => quote!(config.region),
                ("SDK::Endpoint", ParamType::String) => quote!(config.endpoint_url),
                ("AWS::UseFIPS", ParamType::Boolean) => quote!(config.use_fips),
                ("AWS::UseDualStack", ParamType::Boolean) => quote!(config.use_dual_stack),
                // Other built-ins (account ID, S3 and STS settings) have no
                // configuration here; they keep the rule set's default.
                _ => return None,
            };
            Some(match (p.ty, plain) {
                (ParamType::Boolean, true) => quote!(#field: #value),
                (ParamType::Boolean, false) => quote!(#field: Some(#value)),
                (_, true) => {
                    quote!(#field: #value.map_or_else(|| Params::default().#field, str::to_owned))
                }
                (_, false) => quote!(#field: #value.map(str::to_owned)),
            })
        })
        .collect();
    let rest = if fields.len() == rules.params.len() {
        quote!()
    } else {
        quote!(..Params::default())
    };
    let docs = inner_doc(
        "Endpoint resolution, compiled from the service's endpoint rule set.\n\n[`resolve`] maps [`Params`] to an endpoint; the client fills the\nparameters from its configuration (region, FIPS, dual-stack,\nendpoint URL). Each of the model's endpoint test cases is a test below.",
    );
    let module = module(rules);
    let tests = tests(rules);
    quote! {
        #docs
        #module

        /// The rule set's parameters from the client's configuration.
        pub(crate) fn resolve_from_config(
            config: &#rt::client::EndpointConfig<'_>,
        ) -> Result<#rt::endpoint::Endpoint, #rt::endpoint::ResolveEndpointError> {
            resolve(&Params {
                #(#fields,)*
                #rest
            })
        }

        #tests
    }
}

/// `pub struct Params`, its `Default` (unless derived) and `pub fn resolve`.
pub fn module(rules: &RuleSet) -> TokenStream {
    let rt = rt();
    let params = params_struct(rules);
    let prologue = rules.required.iter().map(|check| {
        let field = &check.field;
        let message = format!("A required endpoint parameter is not set: {}", check.name);
        let error = quote!(#rt::endpoint::ResolveEndpointError::new(#message));
        if check.bound {
            let access = match check.ty {
                ParamType::String | ParamType::StringArray => quote!(params.#field.as_deref()),
                ParamType::Boolean => quote!(params.#field),
            };
            quote!(let Some(#field) = #access else { return Err(#error); };)
        } else {
            quote!(if params.#field.is_none() { return Err(#error); })
        }
    });
    let params_arg = if rules.params_used {
        quote!(params)
    } else {
        quote!(_params)
    };
    let body = block(&rules.rules);
    quote! {
        #params

        /// Resolves the endpoint for `params` with the service's endpoint rule set.
        ///
        /// Rules are tried in order and the first whose conditions all hold decides:
        /// an endpoint, or an error carrying the rule set's message.
        pub fn resolve(
            #params_arg: &Params,
        ) -> Result<#rt::endpoint::Endpoint, #rt::endpoint::ResolveEndpointError> {
            #(#prologue)*
            #body
        }
    }
}

fn param_value(value: &ParamValue) -> TokenStream {
    match value {
        ParamValue::String(s) => quote!(#s.to_owned()),
        ParamValue::Bool(b) => quote!(#b),
        ParamValue::StringArray(items) => quote!(vec![#(#items.to_owned()),*]),
    }
}

fn params_struct(rules: &RuleSet) -> TokenStream {
    let mut fields = Vec::new();
    let mut defaults = Vec::new();
    for param in &rules.params {
        let field = &param.field;
        let docs = doc(&param.docs);
        let plain = match param.ty {
            ParamType::String => quote!(String),
            ParamType::Boolean => quote!(bool),
            ParamType::StringArray => quote!(Vec<String>),
        };
        let (ty, default) = match &param.default {
            None => (quote!(Option<#plain>), quote!(None)),
            Some(value) => (plain, param_value(value)),
        };
        fields.push(quote! {
            #docs
            pub #field: #ty,
        });
        defaults.push(quote!(#field: #default,));
    }
    // Clippy rejects a hand-written `Default` that `derive` would produce.
    let derived = rules
        .params
        .iter()
        .all(|p| p.default.as_ref().is_none_or(ParamValue::is_rust_default));
    let (derive_default, default_impl) = if derived {
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
        /// Inputs of endpoint resolution, one field per rule-set parameter.
        ///
        /// `Params::default()` applies the rule set's defaults; set the other fields
        /// from the client configuration (see each field's built-in).
        #[derive(Clone, Debug, PartialEq, Eq #derive_default)]
        pub struct Params {
            #(#fields)*
        }

        #default_impl
    }
}

/// Statements evaluating the block's rules in order; they always end by
/// returning (or, in tail position, with the function's tail expression).
fn block(b: &Block) -> TokenStream {
    let rt = rt();
    let mut out: TokenStream = b.rules.iter().map(rule).collect();
    if let Some(message) = &b.exhausted {
        let error = quote!(#rt::endpoint::ResolveEndpointError::new(#message));
        out.extend(if b.tail {
            quote!(Err(#error))
        } else {
            quote!(return Err(#error);)
        });
    }
    out
}

/// Wraps `inner` in `if a && b { … }` for the pending conditions (collected
/// innermost first).
fn wrap_if(pending: &mut Vec<&BoolExpr>, inner: TokenStream) -> TokenStream {
    if pending.is_empty() {
        return inner;
    }
    let conditions: Vec<TokenStream> = pending.drain(..).rev().map(bool_expr).collect();
    quote!(if #(#conditions)&&* { #inner })
}

fn rule(r: &crate::endpoint_rules::typed::Rule) -> TokenStream {
    let mut inner = body(&r.body);
    let mut pending = Vec::new();
    for condition in r.conditions.iter().rev() {
        match condition {
            Condition::If(cond) => pending.push(cond),
            Condition::IfLet(ident, value) => {
                inner = wrap_if(&mut pending, inner);
                let value = expr(value);
                inner = quote!(if let Some(#ident) = #value { #inner });
            }
            Condition::Let(ident, value) => {
                inner = wrap_if(&mut pending, inner);
                let value = expr(value);
                inner = quote!(let #ident = #value; #inner);
            }
        }
    }
    wrap_if(&mut pending, inner)
}

fn body(b: &Body) -> TokenStream {
    let rt = rt();
    let (value, tail) = match b {
        Body::Tree(b) => return block(b),
        Body::Endpoint { endpoint: e, tail } => (endpoint(e), *tail),
        Body::Error { message, tail } => {
            let message = expr(message);
            (
                quote!(Err(#rt::endpoint::ResolveEndpointError::new(#message))),
                *tail,
            )
        }
    };
    if tail {
        value
    } else {
        quote!(return #value;)
    }
}

fn endpoint(e: &Endpoint) -> TokenStream {
    let rt = rt();
    let url = expr(&e.url);
    let mut tokens = quote!(#rt::endpoint::Endpoint::new(#url));
    for (name, value) in &e.headers {
        let value = expr(value);
        tokens = quote!(#tokens.with_header(#name, #value));
    }
    for (name, value) in &e.properties {
        let value = property(value);
        tokens = quote!(#tokens.with_property(#name, #value));
    }
    quote!(Ok(#tokens))
}

fn property(p: &Property) -> TokenStream {
    let rt = rt();
    match p {
        Property::Str(e) => {
            let e = expr(e);
            quote!(#rt::Document::from(#e))
        }
        Property::Bool(e) => {
            let e = expr(e);
            quote!(#rt::Document::Bool(#e))
        }
        Property::StrArray(e) => {
            let e = expr(e);
            quote!(#rt::Document::Array(#e.iter().cloned().map(#rt::Document::from).collect()))
        }
        Property::Constant(d) => document(d),
        Property::Array(items) => document_array(items.iter().map(property)),
        Property::Object(members) => {
            document_object(members.iter().map(|(k, v)| (k.as_str(), property(v))))
        }
    }
}

fn bool_expr(b: &BoolExpr) -> TokenStream {
    match b {
        BoolExpr::Const(b) => quote!(#b),
        BoolExpr::Atom { expr: e, negated } => {
            let e = expr(e);
            if *negated {
                quote!(!#e)
            } else {
                e
            }
        }
        BoolExpr::IsSome { expr: e, negated } => {
            let e = expr(e);
            if *negated {
                quote!(#e.is_none())
            } else {
                quote!(#e.is_some())
            }
        }
        BoolExpr::Eq { lhs, rhs, negated } => {
            let (lhs, rhs) = (expr(lhs), expr(rhs));
            if *negated {
                quote!(#lhs != #rhs)
            } else {
                quote!(#lhs == #rhs)
            }
        }
    }
}

fn expr(e: &Expr) -> TokenStream {
    let rt = rt();
    match e {
        Expr::Str(s) => quote!(#s),
        Expr::Int(i) => {
            let i = Literal::i64_unsuffixed(*i);
            quote!(#i)
        }
        Expr::True => quote!(true),
        Expr::SomeTrue => quote!(Some(true)),
        Expr::Param { field, access } => match access {
            Access::Plain => quote!(params.#field),
            Access::AsStr => quote!(params.#field.as_str()),
            Access::AsSlice => quote!(params.#field.as_slice()),
            Access::AsDeref => quote!(params.#field.as_deref()),
        },
        Expr::Local(ident) => quote!(#ident),
        Expr::AsStr(e) => {
            let e = expr(e);
            quote!(#e.as_str())
        }
        Expr::Borrow(e) => {
            let e = expr(e);
            quote!(&#e)
        }
        Expr::ToOwned(e) => {
            let e = expr(e);
            quote!(#e.to_owned())
        }
        Expr::Concat(pieces) => {
            let pieces = pieces.iter().map(expr);
            quote!([#(#pieces),*].concat())
        }
        Expr::Attr { target, method } => {
            let target = expr(target);
            let method = proc_macro2::Ident::new(method, proc_macro2::Span::call_site());
            quote!(#target.#method())
        }
        Expr::Element { target, index } => {
            let target = expr(target);
            let element = if *index == 0 {
                quote!(#target.first())
            } else {
                let index = Literal::usize_unsuffixed(*index);
                quote!(#target.get(#index))
            };
            quote!(#element.map(::std::string::String::as_str))
        }
        Expr::Call(func, args) => {
            let lib = quote!(#rt::endpoint::lib);
            let path = match func {
                Func::Substring => quote!(#lib::substring),
                Func::UriEncode => quote!(#lib::uri_encode),
                Func::ParseUrl => quote!(#lib::parse_url),
                Func::IsValidHostLabel => quote!(#lib::is_valid_host_label),
                Func::Partition => quote!(#lib::aws::partition),
                Func::ParseArn => quote!(#lib::aws::parse_arn),
            };
            let args = args.iter().map(expr);
            quote!(#path(#(#args),*))
        }
        Expr::Bool(b) => bool_expr(b),
        Expr::Paren(e) => {
            let e = expr(e);
            quote!((#e))
        }
    }
}

/// `#[cfg(test)] mod tests { … }`: one `#[test]` per case (nothing without
/// cases). Refers to `super::Params` and `super::resolve`.
pub fn tests(rules: &RuleSet) -> TokenStream {
    if rules.tests.is_empty() {
        return TokenStream::new();
    }
    let functions = rules.tests.iter().map(test);
    quote! {
        #[cfg(test)]
        mod tests {
            use super::{resolve, Params};

            #(#functions)*
        }
    }
}

fn test(case: &TestCase) -> TokenStream {
    let name = &case.name;
    let docs = doc(&case.docs);
    let fields = case.params.iter().map(|(field, value, optional)| {
        let value = param_value(value);
        if *optional {
            quote!(#field: Some(#value))
        } else {
            quote!(#field: #value)
        }
    });
    let params = if case.params.is_empty() {
        quote!(Params::default())
    } else if case.all_set {
        quote!(Params { #(#fields),* })
    } else {
        quote!(Params { #(#fields,)* ..Default::default() })
    };
    let check = match &case.expect {
        Expect::Error(message) => quote! {
            let error = resolve(&params).expect_err("the endpoint rules should reject these parameters");
            assert_eq!(error.to_string(), #message);
        },
        Expect::Endpoint {
            url,
            headers,
            properties,
        } => {
            let mut checks = quote! {
                let endpoint = resolve(&params).expect("the endpoint rules should resolve these parameters");
                assert_eq!(endpoint.url(), #url);
            };
            match headers {
                None => {}
                Some(h) if h.is_empty() => {
                    checks.extend(quote!(assert!(endpoint.headers().is_empty());))
                }
                Some(h) => {
                    let entries = h.iter().map(
                        |(name, values)| quote!((#name.to_owned(), vec![#(#values.to_owned()),*])),
                    );
                    checks.extend(quote! {
                        assert_eq!(endpoint.headers(), &::std::collections::BTreeMap::from([#(#entries),*]));
                    });
                }
            }
            match properties {
                None => {}
                Some(p) if p.is_empty() => {
                    checks.extend(quote!(assert!(endpoint.properties().is_empty());))
                }
                Some(p) => {
                    let entries = p.iter().map(|(name, value)| {
                        let value = document(value);
                        quote!((#name.to_owned(), #value))
                    });
                    checks.extend(quote! {
                        assert_eq!(endpoint.properties(), &::std::collections::BTreeMap::from([#(#entries),*]));
                    });
                }
            }
            checks
        }
    };
    let ignore = case
        .ignore
        .as_ref()
        .map(|reason| quote!(#[ignore = #reason]));
    quote! {
        #docs
        #[test]
        #ignore
        fn #name() {
            let params = #params;
            #check
        }
    }
}
