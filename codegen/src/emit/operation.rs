//! One module per operation under `src/operation/`: its input and output
//! structures with their builders and codecs, its error enum, and the
//! fluent builder whose `send` makes the call.

use super::rust::{deprecated, doc, inner_doc, rt};
use super::structure::structure;
use crate::ir::{HostPart, HostPrefix, Operation, Service};
use crate::naming::Ident;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `operation/<op>.rs` for each operation, and `operation/mod.rs`.
pub fn emit_operations(service: &Service, krate: &Ident) -> Vec<(String, TokenStream)> {
    let mut files = Vec::new();
    let mut mods = Vec::new();
    for op in &service.operations {
        files.push((
            format!("src/operation/{}.rs", op.method.unraw()),
            operation(service, op, krate),
        ));
        let m = &op.method;
        let method = op.method.unraw();
        let docs = doc(&format!(
            "`{}`: see [`Client::{method}`](crate::Client::{method}).",
            op.name
        ));
        let dep = deprecated(op.deprecated.as_ref());
        mods.push(quote!(#docs #dep pub mod #m;));
    }
    let module_doc =
        inner_doc("One module per operation: its input, output, error and call builder.");
    files.push((
        "src/operation/mod.rs".to_owned(),
        quote! {
            #module_doc
            #(#mods)*
        },
    ));
    files
}

/// The code filling an `@endpoint` host prefix (`{bucket}.data.`) from the
/// input, each label checked as a host label.
fn host_prefix(prefix: &HostPrefix) -> TokenStream {
    let rt = rt();
    let mut checks = Vec::new();
    let mut parts = Vec::new();
    for part in &prefix.parts {
        match part {
            HostPart::Literal(text) => parts.push(quote!(#text)),
            HostPart::Label(member) => {
                let f = &member.field;
                let local = format_ident!("label_{}", parts.len());
                let message = format!(
                    "`{}` goes into the host name, so it must be a valid host label (1-63 letters, digits or hyphens, not starting with a hyphen), not `{{}}`",
                    member.field.unraw()
                );
                checks.push(quote! {
                    let #local = input.#f.as_deref().unwrap_or_default();
                    if !#rt::endpoint::lib::is_valid_host_label(#local, false) {
                        return Err(#rt::RequestError::new(#rt::RequestErrorKind::InvalidInput, format!(#message, #local)).into());
                    }
                });
                parts.push(quote!(#local));
            }
        }
    }
    quote! {
        #(#checks)*
        let host_prefix = [#(#parts),*].concat();
    }
}

/// The operation as the runtime's `send` takes it: its name and its
/// requests' `X-Amz-Target`, static.
fn called(op: &Operation) -> TokenStream {
    let rt = rt();
    let (name, target) = (&op.name, &op.target);
    quote!(#rt::client::Operation { name: #name, target: #target })
}

/// The identifiers an operation whose endpoint is discovered names, and
/// its call routed to the discovered endpoint.
fn discovered(op: &Operation) -> (TokenStream, TokenStream) {
    let rt = rt();
    let (operation, error) = (called(op), &op.error);
    let identifiers = op.discovered_endpoint.iter().flat_map(|d| &d.identifiers);
    let pushes: Vec<TokenStream> = identifiers
        .map(|id| {
            let (f, name) = (&id.field, &id.member);
            quote! {
                if let Some(value) = &input.#f {
                    identifiers.push((#name, value.clone()));
                }
            }
        })
        .collect();
    let setup = if pushes.is_empty() {
        quote!(let identifiers = Vec::new();)
    } else {
        quote! {
            let mut identifiers = Vec::new();
            #(#pushes)*
        }
    };
    (
        setup,
        quote!(handle.send_routed(#operation, &input, #rt::client::Route::Discovered { identifiers }, #error::from_call)),
    )
}

fn fluent(op: &Operation, paginator: TokenStream) -> TokenStream {
    let rt = rt();
    let fluent = &op.fluent;
    let input = &op.input.name;
    let input_builder = &op.input.builder;
    let output = &op.output.name;
    let error = &op.error;
    let op_name = &op.name;
    let operation = called(op);
    let build = if op.input.fallible_build() {
        quote!(self.build().map_err(#rt::RequestError::from)?)
    } else {
        quote!(self.build())
    };
    let tokens: Vec<TokenStream> = op
        .input
        .fields
        .iter()
        .filter(|f| f.presence == crate::ir::Presence::IdempotencyToken)
        .map(|f| {
            let f = &f.name;
            quote! {
                if input.#f.is_none() {
                    input.#f = Some(#rt::client::idempotency_token());
                }
            }
        })
        .collect();
    let input_binding = if tokens.is_empty() {
        quote!(input)
    } else {
        quote!(mut input)
    };
    let (prefix, call) = match (&op.host_prefix, &op.endpoint_from_input) {
        _ if op.discovered_endpoint.is_some() => discovered(op),
        (Some(prefix), _) => (
            host_prefix(prefix),
            quote!(handle.send_routed(#operation, &input, #rt::client::Route::HostPrefix(host_prefix), #error::from_call)),
        ),
        (None, Some(member)) => {
            let (f, name) = (&member.field, &member.member);
            let url = quote!(input.#f.clone().unwrap_or_default());
            (
                quote!(),
                quote!(handle.send_routed(#operation, &input, #rt::client::Route::InputUrl { member: #name, url: #url }, #error::from_call)),
            )
        }
        (None, None) => (
            quote!(),
            quote!(handle.send(#operation, &input, #error::from_call)),
        ),
    };
    let builder_label = input_builder.unraw();
    let docs = doc(&format!(
        "Builds and sends a `{op_name}` request: set the input with the setters of [`{builder_label}`] (this is that builder, holding the client), then call [`send`]({builder_label}::send)."
    ));
    let send_docs = doc(&format!(
        "Sends the request.\n\nFails with [`{}::Request`] before sending anything when a required member is unset; the error names it.",
        error.unraw()
    ));
    quote! {
        #docs
        pub type #fluent = #input_builder<#rt::client::ClientHandle>;

        impl #fluent {
            pub(crate) fn new(handle: #rt::client::ClientHandle) -> Self {
                <#input_builder>::default().with_handle(handle)
            }

            /// Overrides the client's settings for this call only: timeouts,
            /// retries, extra headers, hooks that change the request before it
            /// is signed (see [`CallConfig`](crate::config::CallConfig)).
            pub fn customize(
                mut self,
                customize: impl FnOnce(crate::config::CallConfig) -> crate::config::CallConfig,
            ) -> Self {
                self.handle = self.handle.customize(customize);
                self
            }

            #send_docs
            pub async fn send(self) -> Result<#output, #error> {
                let handle = self.handle.clone();
                let input = #build;
                send(&handle, input).await
            }

            #paginator
        }

        /// Sends `input` (also used by paginators and waiters, which resend one input).
        pub(crate) async fn send(handle: &#rt::client::ClientHandle, #input_binding: #input) -> Result<#output, #error> {
            #(#tokens)*
            #prefix
            #call.await
        }
    }
}

fn operation(service: &Service, op: &Operation, krate: &Ident) -> TokenStream {
    let method = op.method.unraw();
    let module_doc = inner_doc(&format!(
        "`{}`: its input, output and errors, and the builder [`Client::{method}`](crate::Client::{method}) returns.",
        op.name
    ));
    let input = structure(
        service,
        &op.input,
        Some(&format!(
            "The input of `{}`: what [`Client::{method}`](crate::Client::{method}) sends.",
            op.name
        )),
    );
    let output = structure(
        service,
        &op.output,
        Some(&format!("The output of `{}`: what a successful call returns.", op.name)),
    );
    let error = super::errors::operation_error(service, op);
    let (into_paginator, paginator_impls) = match super::paginator::paginator(service, op, krate) {
        Some(p) => (p.method, p.impls),
        None => (quote!(), quote!()),
    };
    let fluent = fluent(op, into_paginator);
    let waiters = super::waiter::emit(service, op, krate);
    let mock = super::mock::operation_impl(op);
    quote! {
        #module_doc
        #input
        #output
        #error
        #fluent
        #mock
        #paginator_impls
        #waiters
    }
}
