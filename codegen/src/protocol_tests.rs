//! Generated conformance tests: one `#[tokio::test]` per `smithy.test`
//! case the IR carries ([`crate::ir::ProtocolTest`]).
//!
//! A request case builds the input from its `params` through the client's
//! fluent builder, sends it through an in-process HTTP double (the support
//! crate's `protocol` module) and checks method, path, query, the host the
//! request went to, headers (given, forbidden, required) and the body (as
//! JSON for JSON bodies, byte for byte otherwise). A response case answers
//! the call with its status, headers and body and compares the parsed output
//! (or modelled error, with the error code the client exposes) with the
//! `params` built through the builders. A case the IR marks skipped becomes
//! an `#[ignore]`d test whose reason says why.

use crate::emit::rust::{doc, inner_doc, rt_declaration};
use crate::emit::value::Values;
use crate::error::Error;
use crate::ir::{Expected, Operation, ProtocolTest, RequestTest, ResponseTest, Service, TestCase};
use crate::testgen::raw_string;
use proc_macro2::TokenStream;
use quote::quote;

/// The endpoint a case without a `host` is sent to.
const DEFAULT_HOST: &str = "example.com";

/// Where the generated tests find their support code.
#[derive(Clone, Debug)]
pub struct Options {
    /// The client crate as a Rust path (`aws_json_rpc_10`).
    pub client_crate: String,
    /// The crate with the `protocol` support module (`workspace_tests`).
    pub support_crate: String,
}

/// One generated test, for reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The test function.
    pub function: String,
    /// The case's `id`.
    pub id: String,
    /// `request` or `response`.
    pub kind: &'static str,
    /// The operation it calls.
    pub operation: String,
    /// Why it is skipped (`#[ignore]`d), if it is.
    pub skipped: Option<String>,
}

/// The generated test file and its cases.
#[derive(Clone, Debug)]
pub struct ProtocolTests {
    /// The file's text (an integration test of the client crate).
    pub text: String,
    /// Every case, in the file's order.
    pub cases: Vec<Case>,
}

fn parse_path(p: &str) -> Result<TokenStream, Error> {
    p.parse::<TokenStream>().map_err(|e| Error::InvalidOutput {
        file: "protocol tests".to_owned(),
        message: format!("`{p}` is not a path: {e}"),
    })
}

/// The test file for `service`'s protocol test cases.
pub fn generate(service: &Service, options: &Options) -> Result<ProtocolTests, Error> {
    let values = Values {
        service,
        client: parse_path(&options.client_crate)?,
    };
    let support = parse_path(&options.support_crate)?;
    let mut tests = Vec::new();
    let mut cases = Vec::new();
    for test in &service.protocol_tests {
        tests.push(test_fn(&values, test));
        cases.push(Case {
            function: test.name.unraw().to_owned(),
            id: test.id.clone(),
            kind: test.kind.as_str(),
            operation: test.operation.clone(),
            skipped: test.case.as_ref().err().cloned(),
        });
    }
    let mut docs = format!(
        "The conformance cases (`smithy.test`) of `{}` that apply to clients: {} tests, one per case.",
        service.id,
        cases.len()
    );
    let skipped: Vec<&Case> = cases.iter().filter(|c| c.skipped.is_some()).collect();
    if !skipped.is_empty() {
        docs.push_str("\n\nSkipped (each test is `#[ignore]`d with its reason):\n");
        for c in skipped {
            docs.push_str(&format!(
                "\n* `{}` ({}): {}",
                c.id,
                c.kind,
                c.skipped.as_deref().unwrap_or_default()
            ));
        }
    }
    let module_docs = inner_doc(&docs);
    let rt_declaration = rt_declaration();
    let tokens = quote! {
        #module_docs
        #[allow(unused_imports)]
        #rt_declaration

        #[rustfmt::skip]
        mod protocol_tests {
            use #support::protocol;

            #(#tests)*
        }
    };
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| Error::InvalidOutput {
        file: "protocol tests".to_owned(),
        message: e.to_string(),
    })?;
    Ok(ProtocolTests {
        text: format!(
            "{}{}",
            crate::emit::header(service),
            prettyplease::unparse(&file)
        ),
        cases,
    })
}

fn test_fn(values: &Values<'_>, test: &ProtocolTest) -> TokenStream {
    let name = &test.name;
    let mut text = format!(
        "`{}` ({} of `{}`)",
        test.id,
        test.kind.as_str(),
        test.operation
    );
    if let Some(d) = &test.docs {
        text.push_str(&format!(": {d}"));
    }
    let docs = doc(&text);
    let body = match &test.case {
        Err(reason) => {
            return quote! {
                #docs
                #[tokio::test]
                #[ignore = #reason]
                async fn #name() {}
            }
        }
        Ok(TestCase::Request(r)) => request(values, r),
        Ok(TestCase::Response(r)) => response(values, r),
    };
    // A case exercising deprecated API does so on purpose.
    quote! {
        #docs
        #[tokio::test]
        #[allow(deprecated)]
        async fn #name() {
            #body
        }
    }
}

fn strs(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

fn pairs(items: &[(String, String)]) -> TokenStream {
    let items = items.iter().map(|(k, v)| quote!((#k, #v)));
    quote!(&[#(#items),*])
}

/// `client.<op>()` with `members` set, sent.
fn call(
    values: &Values<'_>,
    op: &Operation,
    members: &[(usize, crate::ir::TypedValue)],
) -> TokenStream {
    let method = &op.method;
    let calls = values.setter_calls(&op.input.fields, members);
    quote!(client.#method() #(#calls)* .send().await)
}

fn client(values: &Values<'_>, endpoint: &str) -> TokenStream {
    let krate = &values.client;
    let url = format!("https://{endpoint}");
    quote!(let client = #krate::Client::new(&protocol::config(&double, #url).await);)
}

fn operation<'s>(values: &Values<'s>, index: usize) -> &'s Operation {
    &values.service.operations[index]
}

fn request(values: &Values<'_>, r: &RequestTest) -> TokenStream {
    let op = operation(values, r.operation);
    let host = r.host.as_deref().unwrap_or(DEFAULT_HOST);
    let client = client(values, host);
    let call = call(values, op, &r.input);
    let (method, uri) = (&r.method, &r.uri);
    // The host the request goes to: `resolvedHost`, else the endpoint's.
    let resolved = r
        .resolved_host
        .clone()
        .unwrap_or_else(|| host.split('/').next().unwrap_or(host).to_owned());
    let headers = pairs(&r.headers);
    let forbid = strs(&r.forbid_headers);
    let require = strs(&r.require_headers);
    let (query, forbid_query, require_query) = (
        strs(&r.query.params),
        strs(&r.query.forbid),
        strs(&r.query.require),
    );
    let body = match &r.body {
        None => quote!(None),
        Some(b) if b.is_json() => {
            let text = raw_string(&b.text);
            quote!(Some(protocol::Body::Json(#text)))
        }
        Some(b) => {
            let text = raw_string(&b.text);
            quote!(Some(protocol::Body::Bytes(#text.as_bytes())))
        }
    };
    quote! {
        let double = protocol::InProcess::new(protocol::ok);
        #client
        // Only the request matters here: whatever the call returns.
        let _ = #call;
        protocol::check_request(&double, &protocol::ExpectedRequest {
            method: #method,
            uri: #uri,
            host: #resolved,
            query_params: #query,
            forbid_query_params: #forbid_query,
            require_query_params: #require_query,
            headers: #headers,
            forbid_headers: #forbid,
            require_headers: #require,
            body: #body,
        });
    }
}

fn response(values: &Values<'_>, r: &ResponseTest) -> TokenStream {
    let op = operation(values, r.operation);
    let krate = &values.client;
    let client = client(values, DEFAULT_HOST);
    let call = call(values, op, &r.input);
    let status = r.status;
    let headers = pairs(&r.headers);
    let body = raw_string(&r.body);
    let module = &op.method;
    let check = match &r.expected {
        Expected::Output(members) => {
            let output = &op.output.name;
            let expected = values.build(
                quote!(#krate::operation::#module::#output::builder()),
                &op.output,
                members,
            );
            quote! {
                let output = protocol::parsed(result);
                let expected = #expected;
                protocol::assert_same(&output, &expected);
            }
        }
        Expected::Error {
            error,
            members,
            code,
            error_type,
        } => {
            let e = &op.errors[*error];
            let Some(shape) = values.service.structure(&e.id) else {
                return quote!(compile_error!("not an error structure"););
            };
            let (error_enum, variant, ty) = (&op.error, &e.variant, &e.ty);
            // Field by field: the error's metadata is the response's.
            let fields: Vec<TokenStream> = shape
                .fields
                .iter()
                .map(|f| {
                    let name = &f.name;
                    quote!(protocol::assert_same(&error.#name, &expected.#name);)
                })
                .collect();
            let expected = if fields.is_empty() {
                quote!()
            } else {
                let built = values.build(quote!(#krate::error::#ty::builder()), shape, members);
                quote!(let expected = #built;)
            };
            let error_type = match error_type {
                Some(t) => quote!(Some(#t)),
                None => quote!(None),
            };
            let wanted = format!("the `{}` error", e.code);
            quote! {
                let error = match result {
                    Err(#krate::operation::#module::#error_enum::#variant(e)) => e,
                    other => panic!("expected {}, got {other:?}", #wanted),
                };
                #expected
                #(#fields)*
                assert_eq!(error.meta().code(), Some(#code), "the error code the client exposes");
                assert_eq!(error.meta().error_type(), #error_type, "the awsQuery error type");
            }
        }
    };
    quote! {
        let double = protocol::InProcess::new(protocol::reply(#status, #headers, #body));
        #client
        let result = #call;
        #check
    }
}
