//! One module per operation under `src/operation/`: its input and output
//! structures with their builders and codecs, its error enum, and the
//! fluent builder whose `send` makes the call.

use super::rust::{deprecated, doc, ident, rt};
use super::shapes::{build_is_fallible, structure};
use crate::error::Error;
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `operation/<op>.rs` for each operation, and `operation/mod.rs`.
pub fn emit_operations(
    service: &Service,
    krate: &str,
) -> Result<Vec<(String, TokenStream)>, Error> {
    let mut files = Vec::new();
    let mut mods = Vec::new();
    for op in &service.operations {
        files.push((
            format!("src/operation/{}.rs", crate::naming::unraw(&op.method)),
            operation(service, op, krate)?,
        ));
        let m = ident(&op.method);
        let docs = doc(&format!(
            "`{}`: see [`Client::{}`](crate::Client::{}).",
            op.name,
            crate::naming::unraw(&op.method),
            crate::naming::unraw(&op.method)
        ));
        let dep = deprecated(op.deprecated.as_ref());
        mods.push(quote!(#docs #dep pub mod #m;));
    }
    files.push((
        "src/operation/mod.rs".to_owned(),
        quote! {
            //! One module per operation: its input, output, error and call builder.
            #(#mods)*
        },
    ));
    Ok(files)
}

/// The name of an error enum variant: the error type's name, unless it
/// would clash with the variants the generator adds.
fn variant(name: &str) -> proc_macro2::Ident {
    match name {
        "Unhandled" | "Request" => format_ident!("{name}Error"),
        _ => format_ident!("{name}"),
    }
}

fn error_enum(service: &Service, op: &Operation) -> TokenStream {
    let rt = rt();
    let name = format_ident!("{}Error", op.input.name.trim_end_matches("Input"));
    let errors: Vec<_> = op
        .errors
        .iter()
        .filter_map(|id| service.error(id))
        .collect();
    let variants = errors.iter().map(|e| {
        let v = variant(&e.name);
        let ty = format_ident!("{}", e.name);
        let docs = match e.docs.as_deref().and_then(|d| d.split("\n\n").next()) {
            Some(summary) => doc(&format!("`{}`: {summary}", e.id.name())),
            None => doc(&format!("The `{}` error.", e.id.name())),
        };
        quote!(#docs #v(crate::error::#ty))
    });
    let parts = errors.iter().map(|e| {
        let v = variant(&e.name);
        quote!(Self::#v(e) => #rt::client::ErrorParts::Modeled(e),)
    });
    let parses: Vec<TokenStream> = errors
        .iter()
        .map(|e| {
            let v = variant(&e.name);
            let code = e.id.name();
            quote!(Some(#code) => e.parse_as(Self::#v),)
        })
        .collect();
    let doc_text = format!(
        "What can go wrong with `{}`: the errors the model lists for it, an error response the model does not describe, or no usable answer at all.",
        op.name
    );
    let docs = doc(&doc_text);
    let unhandled = quote!(Self::Unhandled(#rt::Unhandled::new(e.meta)));
    let service_error = if parses.is_empty() {
        unhandled
    } else {
        quote! {
            match e.meta.code() {
                #(#parses)*
                _ => #unhandled,
            }
        }
    };
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#variants,)*
            /// The service answered with an error this client's model does not describe.
            Unhandled(#rt::Unhandled),
            /// No usable answer: invalid input, configuration or credentials, a
            /// timeout, a connection failure, or a response that could not be read.
            Request(#rt::RequestError),
        }

        impl #name {
            /// The error code, HTTP status and request ID, when the service answered.
            pub fn meta(&self) -> Option<&#rt::ErrorMeta> {
                self.parts().meta()
            }

            fn parts(&self) -> #rt::client::ErrorParts<'_> {
                match self {
                    #(#parts)*
                    Self::Unhandled(e) => #rt::client::ErrorParts::Unhandled(e),
                    Self::Request(e) => #rt::client::ErrorParts::Request(e),
                }
            }

            fn from_call(error: #rt::client::CallError) -> Self {
                match error {
                    #rt::client::CallError::Request(e) => Self::Request(e),
                    #rt::client::CallError::Service(e) => #service_error,
                }
            }
        }

        impl From<#rt::RequestError> for #name {
            fn from(e: #rt::RequestError) -> Self {
                Self::Request(e)
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.parts().fmt(f)
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                self.parts().source()
            }
        }
    }
}

/// The code filling an `@endpoint` host prefix (`{bucket}.data.`) from the
/// input, each label checked as a host label; `None` without a prefix.
fn host_prefix(op: &Operation) -> Result<Option<TokenStream>, Error> {
    let rt = rt();
    let Some(template) = &op.host_prefix else {
        return Ok(None);
    };
    let bad = |message: String| Error::Unsupported {
        path: String::new(),
        shape: op.id.to_string(),
        message,
    };
    let mut checks = Vec::new();
    let mut parts = Vec::new();
    let mut rest = template.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| bad(format!("unclosed `{{` in hostPrefix `{template}`")))?;
        if open > 0 {
            let literal = &rest[..open];
            parts.push(quote!(#literal));
        }
        let member = &rest[open + 1..close];
        let field = op
            .input
            .fields
            .iter()
            .find(|f| f.member == member)
            .ok_or_else(|| {
                bad(format!(
                    "hostPrefix `{template}` names `{member}`, which the input does not have"
                ))
            })?;
        let f = ident(&field.name);
        let local = format_ident!("label_{}", parts.len());
        let message = format!(
            "`{}` goes into the host name, so it must be a valid host label (1-63 letters, digits or hyphens, not starting with a hyphen), not `{{}}`",
            crate::naming::unraw(&field.name)
        );
        checks.push(quote! {
            let #local = input.#f.as_deref().unwrap_or_default();
            if !#rt::endpoint::lib::is_valid_host_label(#local, false) {
                return Err(#rt::RequestError::new(#rt::RequestErrorKind::InvalidInput, format!(#message, #local)).into());
            }
        });
        parts.push(quote!(#local));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(quote!(#rest));
    }
    Ok(Some(quote! {
        #(#checks)*
        let host_prefix = [#(#parts),*].concat();
    }))
}

fn fluent(op: &Operation, paginator: TokenStream) -> Result<TokenStream, Error> {
    let rt = rt();
    let base = op.input.name.trim_end_matches("Input");
    let fluent = format_ident!("{base}FluentBuilder");
    let input = format_ident!("{}", op.input.name);
    let input_builder = format_ident!("{}Builder", op.input.name);
    let output = format_ident!("{}", op.output.name);
    let error = format_ident!("{base}Error");
    let op_name = &op.name;
    let build = if build_is_fallible(&op.input) {
        quote!(self.build().map_err(#rt::RequestError::from)?)
    } else {
        quote!(self.build())
    };
    let tokens = op
        .input
        .fields
        .iter()
        .filter(|f| f.idempotency_token)
        .map(|f| {
            let f = ident(&f.name);
            quote! {
                if input.#f.is_none() {
                    input.#f = Some(#rt::client::idempotency_token());
                }
            }
        });
    let has_tokens = op.input.fields.iter().any(|f| f.idempotency_token);
    let input_binding = if has_tokens {
        quote!(mut input)
    } else {
        quote!(input)
    };
    let (prefix, host_prefix_arg) = match host_prefix(op)? {
        Some(prefix) => (prefix, quote!(Some(host_prefix))),
        None => (quote!(), quote!(None)),
    };
    let docs = doc(&format!(
        "Builds and sends a `{op_name}` request: set the input with the setters of [`{input}Builder`] (this is that builder, holding the client), then call [`send`]({input}Builder::send).",
        input = op.input.name
    ));
    let send_docs = doc(&format!(
        "Sends the request.\n\nFails with [`{base}Error::Request`] before sending anything when a required member is unset; the error names it."
    ));
    Ok(quote! {
        #docs
        pub type #fluent = #input_builder<#rt::client::ClientHandle>;

        impl #fluent {
            pub(crate) fn new(handle: #rt::client::ClientHandle) -> Self {
                <#input_builder>::default().with_handle(handle)
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
            handle.send(#op_name, &input, #host_prefix_arg, #error::from_call).await
        }
    })
}

fn operation(service: &Service, op: &Operation, krate: &str) -> Result<TokenStream, Error> {
    let module_doc = format!(
        "`{}`: its input, output and errors, and the builder [`Client::{}`](crate::Client::{}) returns.",
        op.name,
        crate::naming::unraw(&op.method),
        crate::naming::unraw(&op.method)
    );
    let input = structure(service, &op.input, true, false)?;
    let output = structure(service, &op.output, false, true)?;
    let error = error_enum(service, op);
    let (into_paginator, paginator_impls) = match super::paginator::paginator(service, op, krate)? {
        Some(p) => (p.method, p.impls),
        None => (quote!(), quote!()),
    };
    let fluent = fluent(op, into_paginator)?;
    let waiters = super::waiter::emit(service, op, krate)?;
    Ok(quote! {
        #![doc = #module_doc]
        #input
        #output
        #error
        #fluent
        #paginator_impls
        #waiters
    })
}
