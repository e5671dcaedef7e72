//! Waiters (`smithy.waiters#waitable`): one builder per waiter in the
//! operation's module, whose `wait` runs the runtime's generic loop with the
//! waiter's acceptors compiled to Rust over the typed input and output.
//!
//! The IR has typed each acceptor's JMESPath; `jmespath.rs` compiles it,
//! this module wraps it in the acceptor checks and the waiter's builder.

use super::jmespath::Compiler;
use super::rust::{deprecated, doc, rt};
use crate::ir::{
    Acceptor, AcceptorState, Deprecation, Matcher, Operation, PathComparator, PathMatcher,
    Presence, Service, Type, Waiter, WaiterReturns,
};
use crate::naming::Ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The test of an `output` / `inputOutput` matcher, returning `state`
/// when it matches. Paths that compile to one expression stay one `if`;
/// others compute locals first, in a block an evaluation error leaves
/// (the acceptor then does not match).
fn path_check(service: &Service, op: &Operation, m: &PathMatcher, state: &TokenStream) -> TokenStream {
    let rt = rt();
    let compiled = Compiler::new(service, op).path(&m.typed, m.input_output);
    let value = compiled.value;
    let test = match &m.comparator {
        PathComparator::StringEquals(s) => quote!(#rt::waiter::string_equals(#value, #s)),
        PathComparator::BooleanEquals(b) => quote!(#rt::waiter::boolean_equals(#value, #b)),
        PathComparator::AllStringEquals(s) => {
            quote!(#rt::waiter::all_string_equals(#value.into_iter().flatten(), #s))
        }
        PathComparator::AnyStringEquals(s) => {
            quote!(#rt::waiter::any_string_equals(#value.into_iter().flatten(), #s))
        }
    };
    let ret = quote!(return Some(#rt::waiter::AcceptorState::#state););
    let stmts = compiled.stmts;
    if stmts.is_empty() {
        // An `inputOutput` path that reads only the input still needs a
        // successful response.
        return if m.reads_output {
            quote!(if matches!(response, Ok(output) if #test) { #ret })
        } else {
            quote!(if response.is_ok() && #test { #ret })
        };
    }
    let body = quote! {
        #(#stmts)*
        if #test {
            #ret
        }
    };
    let body = if compiled.fallible {
        quote!('acceptor: { #body })
    } else {
        body
    };
    if m.reads_output {
        quote!(if let Ok(output) = response { #body })
    } else {
        quote!(if response.is_ok() { #body })
    }
}

/// The check of one acceptor: returns its state when it matches.
fn check(service: &Service, op: &Operation, acceptor: &Acceptor) -> TokenStream {
    let rt = rt();
    let state = match acceptor.state {
        AcceptorState::Success => quote!(Success),
        AcceptorState::Failure => quote!(Failure),
        AcceptorState::Retry => quote!(Retry),
    };
    let test = match &acceptor.matcher {
        Matcher::Success(true) => quote!(response.is_ok()),
        Matcher::Success(false) => quote!(response.is_err()),
        Matcher::ErrorType(code) => quote!(
            matches!(response, Err(e) if #rt::waiter::error_code_is(e.meta(), #code))
        ),
        Matcher::Path(m) => return path_check(service, op, m, &state),
    };
    quote! {
        if #test {
            return Some(#rt::waiter::AcceptorState::#state);
        }
    }
}

/// A compiling `no_run` example calling the waiter (setting the first
/// required string member, if any).
fn example(op: &Operation, w: &Waiter, krate: &Ident) -> String {
    let method = &w.method;
    let setter = op
        .input
        .fields
        .iter()
        .find(|f| f.presence == Presence::RequiredInput && f.ty == Type::String)
        .map(|f| format!("\n    .{}(\"example\")", f.name))
        .unwrap_or_default();
    format!(
        "```no_run\n# async fn example(client: &{krate}::Client) {{\nlet result = client\n    .{method}(){setter}\n    .wait(std::time::Duration::from_secs(600))\n    .await;\nif let Err(e) = result {{\n    eprintln!(\"{{e}}\");\n}}\n# }}\n```"
    )
}

/// The builder of each waiter of `op` (in the operation's module).
pub fn emit(service: &Service, op: &Operation, krate: &Ident) -> TokenStream {
    let rt = rt();
    let input = &op.input.name;
    let input_builder = &op.input.builder;
    let output = &op.output.name;
    let error = &op.error;
    let mut out = TokenStream::new();
    for w in &op.waiters {
        let checks = w.acceptors.iter().map(|a| check(service, op, a));
        let input_param = if w.reads_input {
            quote!(input)
        } else {
            quote!(_input)
        };
        let output_label = output.unraw();
        let (ret, finish, returns_doc) = match w.returns {
            WaiterReturns::Output => (
                quote!(#output),
                quote!(match response {
                    Ok(output) => Ok(output),
                    Err(e) => Err(#rt::waiter::WaiterError::Operation(e)),
                }),
                format!("the [`{output_label}`] a success acceptor matched"),
            ),
            WaiterReturns::Nothing => (
                quote!(()),
                quote!({
                    let _ = response;
                    Ok(())
                }),
                "`()`: success is an error response (the resource is gone), so there is no output"
                    .to_owned(),
            ),
            WaiterReturns::Response => (
                quote!(Result<#output, #error>),
                quote!(Ok(response)),
                "the response a success acceptor matched, an output or an error".to_owned(),
            ),
        };
        let (builder, handle_ty, acceptors_fn) = (&w.builder, &w.handle, &w.acceptors_fn);
        let name = &w.name;
        let (min, max) = (w.min_delay, w.max_delay);
        let build = if op.input.fallible_build() {
            quote!(self.build().map_err(|e| #rt::waiter::WaiterError::Operation(#error::from(#rt::RequestError::from(e))))?)
        } else {
            quote!(self.build())
        };
        let handle_doc = doc(&format!(
            "What sends a [`{}`]: the client's handle, tagged with the waiter.",
            builder.unraw()
        ));
        let method = w.method.unraw();
        let mut struct_text = format!("The `{name}` waiter (polls `{}`).", op.name);
        if let Some(d) = &w.docs {
            struct_text.push_str("\n\n");
            struct_text.push_str(d);
        }
        struct_text.push_str(&format!(
            "\n\nMade by [`Client::{method}`](crate::Client::{method}); set the input, then call [`wait`](Self::wait)."
        ));
        let struct_doc = doc(&struct_text);
        let wait_doc = doc(&format!(
            "Polls `{op_name}` at once, then with delays from {min} s to {max} s (exponential, with jitter) until an acceptor ends the wait or `max_wait` has passed; never sleeps past `max_wait`.\n\nReturns {returns_doc}. Fails with [`WaiterError::FailureState`](crate::WaiterError::FailureState) when a failure acceptor matched, [`WaiterError::MaxWaitExceeded`](crate::WaiterError::MaxWaitExceeded) when `max_wait` ran out, and [`WaiterError::Operation`](crate::WaiterError::Operation) on an error no acceptor expects.\n\n{example}",
            example = example(op, w, krate),
            op_name = op.name,
        ));
        let dep = deprecated(w.deprecated.then(Deprecation::default).as_ref());
        out.extend(quote! {
            #struct_doc
            #dep
            pub type #builder = #input_builder<#handle_ty>;

            #handle_doc
            #dep
            #[derive(Clone, Debug)]
            pub struct #handle_ty(#rt::client::ClientHandle);

            impl #builder {
                pub(crate) fn new(handle: #rt::client::ClientHandle) -> Self {
                    <#input_builder>::default().with_handle(#handle_ty(handle))
                }

                #wait_doc
                pub async fn wait(self, max_wait: ::std::time::Duration) -> Result<#ret, #rt::waiter::WaiterError<#output, #error>> {
                    let handle = self.handle.0.clone();
                    let input = #build;
                    let handle = &handle;
                    let response = #rt::waiter::wait(
                        #name,
                        #rt::waiter::WaiterDelays { min_delay: #min, max_delay: #max },
                        max_wait,
                        input,
                        |input| send(handle, input),
                        #acceptors_fn,
                    )
                    .await?;
                    #finish
                }
            }

            /// The acceptors of the waiter, in model order: the first match decides.
            // A number the model's JMESPath compares with (`3.14`) is not
            // meant as a constant.
            #[allow(clippy::approx_constant)]
            fn #acceptors_fn(#input_param: &#input, response: &Result<#output, #error>) -> Option<#rt::waiter::AcceptorState> {
                #(#checks)*
                None
            }
        });
    }
    out
}

/// The client methods that start each waiter of `op`.
pub fn client_methods(op: &Operation, krate: &Ident) -> Vec<TokenStream> {
    let module = &op.method;
    op.waiters
        .iter()
        .map(|w| {
            let method = &w.method;
            let builder = &w.builder;
            let mut text = w.docs.clone().map(|d| d + "\n\n").unwrap_or_default();
            text.push_str(&format!(
                "Polls `{}`; see [`{builder}::wait`](crate::operation::{}::{builder}::wait) for what it returns.\n\n{}",
                op.name,
                op.method.unraw(),
                example(op, w, krate)
            ));
            let docs = doc(&text);
            let dep = deprecated(w.deprecated.then(Deprecation::default).as_ref());
            quote! {
                #docs
                #dep
                pub fn #method(&self) -> crate::operation::#module::#builder {
                    crate::operation::#module::#builder::new(self.handle.clone())
                }
            }
        })
        .collect()
}
