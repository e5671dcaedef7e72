//! What feature `test-util` adds for mocks: the `mock` module (the
//! runtime's rules and `Mocks`, named for this crate, with a complete
//! example), and the impls that let the runtime's mocks know each operation
//! (`MockOperation` on its fluent builder), answer with each error enum
//! (`MockError`) and make and decode for the `Client` (`MockClient`). The
//! codec directions mocks need come with the types (see
//! [`Structure::codecs`](crate::ir::Structure::codecs)).

use super::rust::{cfg, inner_doc, rt};
use crate::ir::{Feature, Operation, Presence, Service, Structure, Type};
use crate::naming::Ident;
use proc_macro2::TokenStream;
use quote::quote;

/// `MockOperation` for an operation's fluent builder.
pub fn operation_impl(op: &Operation) -> TokenStream {
    let rt = rt();
    let cfg = cfg(Feature::TestUtil);
    let (fluent, input, output, error, name) = (
        &op.fluent,
        &op.input.name,
        &op.output.name,
        &op.error,
        &op.name,
    );
    quote! {
        #cfg
        #[doc(hidden)]
        impl #rt::mocks::MockOperation for #fluent {
            const NAME: &'static str = #name;
            type Input = #input;
            type Output = #output;
            type Error = #error;
        }
    }
}

/// `MockError` for an operation's error enum: each variant answers as the
/// error it holds does (a modelled error by [`modeled_error_impl`], the
/// others by the runtime), so the code and status of a modelled error are
/// written once, on its type.
pub fn error_impl(op: &Operation) -> TokenStream {
    let rt = rt();
    let cfg = cfg(Feature::TestUtil);
    let name = &op.error;
    let variants = op.errors.iter().map(|e| &e.variant);
    quote! {
        #cfg
        #[doc(hidden)]
        impl #rt::mocks::MockError for #name {
            fn mock_answer(&self) -> #rt::mocks::ErrorAnswer<'_> {
                match self {
                    #(Self::#variants(e) => e.mock_answer(),)*
                    Self::Unhandled(e) => e.mock_answer(),
                    Self::Request(e) => e.mock_answer(),
                }
            }
        }
    }
}

/// `MockError` for a modelled error structure: an error response with its
/// code and the HTTP status the model gives it, its members as the body.
pub fn modeled_error_impl(s: &Structure) -> TokenStream {
    let rt = rt();
    let cfg = cfg(Feature::TestUtil);
    let name = &s.name;
    let code = s.id.name();
    let status = s.error_status();
    quote! {
        #cfg
        #[doc(hidden)]
        impl #rt::mocks::MockError for #name {
            fn mock_answer(&self) -> #rt::mocks::ErrorAnswer<'_> {
                #rt::mocks::ErrorAnswer::Modeled { code: #code, status: #status, error: self }
            }
        }
    }
}

/// `MockClient` for `Client` (in `client.rs`, beside its private handle):
/// a client from a config, and every operation's input decoder.
pub fn client_impl(service: &Service) -> TokenStream {
    let rt = rt();
    let cfg = cfg(Feature::TestUtil);
    let arms = service.operations.iter().map(|op| {
        let (name, module, input) = (&op.name, &op.method, &op.input.name);
        quote!(#name => Some(#rt::mocks::decode::<crate::operation::#module::#input>(body)),)
    });
    // Without endpoint rules a client needs an endpoint URL: the mocks give one.
    let endpoint_rules = service
        .endpoint_rules
        .is_none()
        .then(|| quote!(const ENDPOINT_RULES: bool = false;));
    quote! {
        #cfg
        #[doc(hidden)]
        impl #rt::mocks::MockClient for Client {
            #endpoint_rules

            fn from_config(config: #rt::config::ClientConfig) -> Self {
                Self { handle: #rt::client::ClientHandle::from_conf(config, &SERVICE) }
            }

            fn decode_input(
                operation: &str,
                body: &[u8],
            ) -> Option<Result<#rt::mocks::Input, #rt::json::DeserializeError>> {
                match operation {
                    #(#arms)*
                    _ => None,
                }
            }
        }
    }
}

/// `src/mock.rs`.
pub fn module(service: &Service, krate: &Ident) -> TokenStream {
    let rt = rt();
    let docs = inner_doc(&module_docs(service, krate));
    quote! {
        #docs

        pub use #rt::mock;
        pub use #rt::mocks::{MockRequest, MockResponse, Rule, RuleBuilder, SequenceBuilder};

        /// Rules answering the calls of the clients made from them
        /// ([`client`](Mocks::client)), and the record of every request
        /// those clients sent ([`requests`](Mocks::requests)).
        pub type Mocks = #rt::mocks::Mocks<crate::Client>;
    }
}

/// An operation good for the example: a string member to match on and
/// nothing else required in its input, an output built without checks,
/// and a modelled error whose only required member is its message.
struct Example<'s> {
    op: &'s Operation,
    member: &'s crate::ir::Field,
    error: Option<(&'s crate::ir::OperationError, &'s Structure)>,
}

fn example(service: &Service) -> Option<Example<'_>> {
    let candidates = service.operations.iter().filter_map(|op| {
        if op.output.fallible_build() || op.deprecated.is_some() || discovers(service, op) {
            return None;
        }
        let member = op
            .input
            .fields
            .iter()
            .find(|f| f.ty == Type::String && f.deprecated.is_none() && !f.sensitive)?;
        let others_required = op
            .input
            .fields
            .iter()
            .any(|f| f.name != member.name && f.presence.checked_on_build());
        if others_required {
            return None;
        }
        let error = op
            .errors
            .iter()
            .filter_map(|e| {
                let s = service.structure(&e.id)?;
                let message = s.error.as_ref()?.message.as_ref()?;
                let only_message = s
                    .fields
                    .iter()
                    .all(|f| !f.presence.checked_on_build() || f.name == message.field);
                (only_message && s.deprecated.is_none()).then_some((e, s))
            })
            // A "not found" error reads best in an example.
            .max_by_key(|(e, _)| e.code.contains("NotFound"));
        Some(Example { op, member, error })
    });
    let mut best = None;
    for c in candidates {
        let rank = (
            c.error.is_some(),
            c.op.name.starts_with("Get"),
            c.member.presence == Presence::RequiredInput,
        );
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Whether a mock client's call of `op` first calls the discovery operation
/// (the operation requires endpoint discovery, and mock clients of a
/// service with endpoint rules get no endpoint URL, which would skip it).
fn discovers(service: &Service, op: &Operation) -> bool {
    op.discovered_endpoint.is_some() && service.endpoint_rules.is_some()
}

fn module_docs(service: &Service, krate: &Ident) -> String {
    let mut text = String::from(
        "Mocks (feature `test-util`): answer this crate's calls in-process, with typed rules, to test code that uses the client without a server.\n\n\
         A rule is for one operation: `mock!(Client::<method>)`, optionally narrowed with `match_requests` (a closure given the typed input), then `then_output`, `then_error` (a modelled error, an unmodelled one, or one that got no answer), `then_http_response`, or a `sequence()` of answers for successive calls. [`Mocks`] holds the rules (tried in order: the first that takes a call answers), makes clients answered by them, and records every request with its typed input.\n\n\
         The mocks answer at the HTTP seam: each call runs the whole pipeline (serialization, signing, retries, error parsing, request IDs), so retries, paginators and waiters behave as against the service. Retries and waiters wait between attempts: run such tests on tokio's paused clock (`#[tokio::test(start_paused = true)]`), where the waits take no time. A call no rule answers fails with an error response (code `NoMatchingMockRule`, not retried) naming the operation and showing the input (sensitive members redacted).",
    );
    if let Some(discovery) = service
        .endpoint_discovery
        .as_ref()
        .filter(|_| service.operations.iter().any(|op| discovers(service, op)))
    {
        text.push_str(&format!(
            "\n\nOperations whose endpoint is discovered call `{}` first, as against the service: a rule must answer it too (with an `https` address), or give the client an endpoint URL (`mocks.client_with(|c| c.endpoint_url(\"https://mocks.invalid\"))`), which skips discovery.",
            discovery.operation
        ));
    }
    let Some(example) = example(service) else {
        return text;
    };
    let op = example.op;
    let (method, module) = (&op.method, &op.method);
    let (input, output, error) = (&op.input.name, &op.output.name, &op.error);
    let field = &example.member.name;
    let mut uses = String::new();
    let uses_rest = format!(
        "use {krate}::mock::{{mock, Mocks}};\nuse {krate}::operation::{module}::{{{error}, {input}, {output}}};\nuse {krate}::Client;\n"
    );
    let mut rules = format!(
        "let found = mock!(Client::{method})\n    .match_requests(|input| input.{field}.as_deref() == Some(\"web\"))\n    .then_output(|| {output}::builder().build());\n"
    );
    let mut calls = format!(
        "let output = client.{method}().{field}(\"web\").send().await.unwrap();\nassert_eq!(output.request_id(), Some(\"mock-request-1\"));\n"
    );
    let mut names = "[&found]".to_owned();
    if let Some((e, s)) = example.error {
        let (ty, variant, is) = (&e.ty, &e.variant, &e.is_method);
        let message = s.error.as_ref().and_then(|i| i.message.as_ref());
        let set_message = message
            .map(|m| format!(".{}(\"no such thing\")", m.field))
            .unwrap_or_default();
        let unwrap = if s.fallible_build() { ".unwrap()" } else { "" };
        uses.push_str(&format!(
            "use {krate}::error::{{ProvideErrorMetadata, {ty}}};\n"
        ));
        rules.push_str(&format!(
            "let missing = mock!(Client::{method}).then_error(|| {{\n    let error = {ty}::builder(){set_message}.build(){unwrap};\n    {error}::{variant}(error)\n}});\n"
        ));
        calls.push_str(&format!(
            "let error = client.{method}().{field}(\"api\").send().await.unwrap_err();\nassert!(error.{is}());\nassert_eq!(error.code(), Some(\"{}\"));\n",
            e.code
        ));
        match message {
            Some(m) if m.sensitive => calls.push_str(
                "// The model marks the message sensitive: it is not shown.\nassert_eq!(error.message(), None);\n",
            ),
            Some(_) => calls.push_str("assert_eq!(error.message(), Some(\"no such thing\"));\n"),
            None => {}
        }
        names = "[&found, &missing]".to_owned();
    }
    uses.push_str(&uses_rest);
    text.push_str(&format!(
        "\n\n```\n{uses}\n# #[tokio::main]\n# async fn main() {{\n{rules}let mocks = Mocks::new({names});\nlet client = mocks.client();\n\n{calls}\nassert_eq!(found.num_calls(), 1);\nlet requests = mocks.requests();\nlet input = requests[0].input::<{input}>().unwrap();\nassert_eq!(input.{field}.as_deref(), Some(\"web\"));\n# }}\n```\n\n\
         A sequence answers successive calls, for example a throttling error and then an output to see a retry (`mock!(Client::{method}).sequence().error(|| ...).output(|| ...).build()`); once every answer was given the rule is exhausted and later calls fall through to the rules after it (`repeat()` instead of `build()` keeps giving the last answer)."
    ));
    text
}
