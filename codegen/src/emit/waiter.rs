//! Waiters (`smithy.waiters#waitable`): one builder per waiter in the
//! operation's module, whose `wait` runs the runtime's generic loop with the
//! waiter's acceptors compiled to Rust over the typed input and output.
//!
//! The JMESPath of `output` and `inputOutput` matchers is compiled here, not
//! interpreted at run time. Supported: member access `a.b.c` and one list
//! projection `a[].b`; anything else is a codegen error naming the
//! operation, the waiter and the expression.

use super::path::{self, as_option, describe, structure, Compiled, Value};
use super::rust::{deprecated, doc, ident, rt};
use super::shapes::build_is_fallible;
use crate::error::Error;
use crate::ir::{Deprecation, Operation, Service, Structure, Type, TypeDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value as Json;

/// A waiter of an operation, as the client needs it.
pub struct Waiter {
    /// The model name (`ServiceCreated`).
    pub name: String,
    /// `wait_until_service_created`.
    pub method: String,
    /// `ServiceCreatedWaiter`.
    pub builder: String,
    /// The waiter's documentation, if any.
    pub docs: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    min_delay: u64,
    max_delay: u64,
    acceptors: Vec<Json>,
}

fn bad(op: &Operation, waiter: &str, message: String) -> Error {
    Error::Unsupported {
        path: String::new(),
        shape: op.id.to_string(),
        message: format!("waiter `{waiter}` of operation `{}`: {message}", op.name),
    }
}

/// The waiters of `op`, in model order.
pub fn waiters(op: &Operation) -> Result<Vec<Waiter>, Error> {
    let Some(raw) = &op.waiters else {
        return Ok(Vec::new());
    };
    let Some(map) = raw.as_object() else {
        return Err(bad(
            op,
            "?",
            "smithy.waiters#waitable is not an object".to_owned(),
        ));
    };
    let mut out = Vec::new();
    for (name, w) in map {
        let int = |key: &str, default: u64| match w.get(key) {
            None => Ok(default),
            Some(v) => v.as_u64().filter(|v| *v >= 1).ok_or_else(|| {
                bad(
                    op,
                    name,
                    format!("{key} must be a positive integer, not {v}"),
                )
            }),
        };
        let min_delay = int("minDelay", 2)?;
        let max_delay = int("maxDelay", 120)?;
        if max_delay < min_delay {
            return Err(bad(
                op,
                name,
                format!("maxDelay {max_delay} is below minDelay {min_delay}"),
            ));
        }
        let acceptors = w
            .get("acceptors")
            .and_then(Json::as_array)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| bad(op, name, "needs a non-empty `acceptors` list".to_owned()))?
            .clone();
        let snake = crate::naming::field_name(name);
        out.push(Waiter {
            method: format!("wait_until_{}", crate::naming::unraw(&snake)),
            builder: format!("{}Waiter", crate::naming::type_name(name)),
            docs: w
                .get("documentation")
                .and_then(Json::as_str)
                .map(crate::docs::html_to_markdown),
            deprecated: w.get("deprecated").and_then(Json::as_bool).unwrap_or(false),
            name: name.clone(),
            min_delay,
            max_delay,
            acceptors,
        });
    }
    Ok(out)
}

/// What a successful wait returns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Returns {
    /// Every success acceptor matches an output.
    Output,
    /// Every success acceptor matches an error: nothing to return.
    Nothing,
    /// Both: the final response.
    Response,
}

struct Compiler<'a> {
    service: &'a Service,
    op: &'a Operation,
    waiter: &'a str,
    uses_input: bool,
    uses_output: bool,
}

impl Compiler<'_> {
    fn bad(&self, message: String) -> Error {
        bad(self.op, self.waiter, message)
    }

    /// One acceptor: `(condition over input and response, matches an output?)`.
    fn acceptor(&mut self, acceptor: &Json) -> Result<(TokenStream, bool), Error> {
        let rt = rt();
        let matcher = acceptor
            .get("matcher")
            .and_then(Json::as_object)
            .filter(|m| m.len() == 1)
            .ok_or_else(|| {
                self.bad(format!(
                    "acceptor {acceptor} needs a matcher with exactly one member"
                ))
            })?;
        let (kind, value) = matcher.iter().next().expect("one member");
        match kind.as_str() {
            "success" => match value.as_bool() {
                Some(true) => Ok((quote!(response.is_ok()), true)),
                Some(false) => Ok((quote!(response.is_err()), false)),
                None => Err(self.bad(format!("matcher `success` must be a boolean, not {value}"))),
            },
            "errorType" => {
                let code = value.as_str().ok_or_else(|| {
                    self.bad(format!("matcher `errorType` must be a string, not {value}"))
                })?;
                // An absolute shape ID names the error by its shape name.
                let code = code.rsplit('#').next().unwrap_or(code);
                Ok((
                    quote!(
                        matches!(response, Err(e) if #rt::waiter::error_code_is(e.meta(), #code))
                    ),
                    false,
                ))
            }
            "output" | "inputOutput" => {
                let get = |key: &str| {
                    value
                        .get(key)
                        .and_then(Json::as_str)
                        .ok_or_else(|| self.bad(format!("matcher `{kind}` needs a string `{key}`")))
                };
                let (path, expected, comparator) =
                    (get("path")?, get("expected")?, get("comparator")?);
                self.uses_output = false;
                let test = self
                    .comparison(kind == "inputOutput", path, expected, comparator)
                    .map_err(|m| {
                        self.bad(format!(
                            "JMESPath `{path}` ({comparator} \"{expected}\"): {m}"
                        ))
                    })?;
                // An `inputOutput` path that reads only the input still
                // needs a successful response.
                let matched = if self.uses_output {
                    quote!(matches!(response, Ok(output) if #test))
                } else {
                    quote!(response.is_ok() && #test)
                };
                Ok((matched, true))
            }
            other => Err(self.bad(format!("unknown matcher `{other}`"))),
        }
    }

    fn comparison(
        &mut self,
        input_output: bool,
        path: &str,
        expected: &str,
        comparator: &str,
    ) -> Result<TokenStream, String> {
        let rt = rt();
        // Parse: identifiers separated by dots, one of them may end in `[]`.
        let mut segments = Vec::new();
        let mut projection = None;
        for (i, raw) in path.split('.').enumerate() {
            let (name, projected) = match raw.strip_suffix("[]") {
                Some(name) => (name, true),
                None => (raw, false),
            };
            if !path::is_identifier(name) {
                return Err(format!(
                    "unsupported JMESPath: only member access (`a.b`) and one list projection (`a[].b`) are supported, `{raw}` is neither"
                ));
            }
            if projected {
                if projection.is_some() {
                    return Err("unsupported JMESPath: more than one projection".to_owned());
                }
                projection = Some(i);
            }
            segments.push(name);
        }
        let (root, owner, segments): (TokenStream, &Structure, &[&str]) = if input_output {
            match segments.split_first() {
                Some((&"input", rest)) => {
                    self.uses_input = true;
                    (quote!(input), &self.op.input, rest)
                }
                Some((&"output", rest)) => {
                    self.uses_output = true;
                    (quote!(output), &self.op.output, rest)
                }
                _ => {
                    return Err("an inputOutput path must start with `input` or `output`".to_owned())
                }
            }
        } else {
            self.uses_output = true;
            (quote!(output), &self.op.output, &segments[..])
        };
        if segments.is_empty() {
            return Err("the path must name a member".to_owned());
        }
        let projection = projection.map(|p| if input_output { p - 1 } else { p });
        let service = self.service;
        let strings = |c: &Compiled| -> Result<TokenStream, String> {
            // An iterator of `Option<&str>` over a list value.
            let Type::List { member, sparse } = &c.ty else {
                return Err(format!(
                    "{comparator} needs a list, and this is {}",
                    describe(service, &c.ty)
                ));
            };
            if !is_string(service, member) {
                return Err(format!(
                    "{comparator} needs a list of strings, and this lists {}",
                    describe(service, member)
                ));
            }
            let each = if *sparse {
                quote!(.map(|v| v.as_ref().map(|v| v.as_str())))
            } else {
                quote!(.map(|v| Some(v.as_str())))
            };
            Ok(match &c.value {
                Value::Place(p) => quote!(#p.iter() #each),
                Value::Opt(o) => quote!(#o.into_iter().flatten() #each),
            })
        };
        let values = match projection {
            None => {
                let c = path::follow(service, root, owner, segments)?;
                match comparator {
                    "stringEquals" => {
                        let v = string_value(service, &c, comparator)?;
                        return Ok(quote!(#rt::waiter::string_equals(#v, #expected)));
                    }
                    "booleanEquals" => {
                        let b = match expected {
                            "true" => true,
                            "false" => false,
                            _ => {
                                return Err("booleanEquals expects \"true\" or \"false\"".to_owned())
                            }
                        };
                        let v = match (&c.ty, &c.value) {
                            (Type::Bool, Value::Place(p)) => quote!(Some(#p)),
                            (Type::Bool, Value::Opt(o)) => quote!(#o.copied()),
                            (other, _) => {
                                return Err(format!(
                                    "booleanEquals needs a boolean, and this is {}",
                                    describe(service, other)
                                ))
                            }
                        };
                        return Ok(quote!(#rt::waiter::boolean_equals(#v, #b)));
                    }
                    "allStringEquals" | "anyStringEquals" => strings(&c)?,
                    other => return Err(format!("unknown comparator `{other}`")),
                }
            }
            Some(p) => {
                if !matches!(comparator, "allStringEquals" | "anyStringEquals") {
                    return Err(format!(
                        "a projection gives a list, which {comparator} cannot compare"
                    ));
                }
                let list = path::follow(service, root, owner, &segments[..=p])?;
                let Type::List { member, sparse } = &list.ty else {
                    return Err(format!(
                        "`{}[]` projects {}, not a list",
                        segments[..=p].join("."),
                        describe(service, &list.ty)
                    ));
                };
                let rest = &segments[p + 1..];
                let elements = match &list.value {
                    Value::Place(p) => quote!(#p.iter()),
                    Value::Opt(o) => quote!(#o.into_iter().flatten()),
                };
                let elements = if *sparse {
                    quote!(#elements.flatten())
                } else {
                    elements
                };
                if rest.is_empty() {
                    strings(&Compiled {
                        value: list.value.clone(),
                        ty: list.ty.clone(),
                    })?
                } else {
                    let Some(element) = structure(service, member) else {
                        return Err(format!(
                            "`{}` lists {}, which has no members",
                            segments[..=p].join("."),
                            describe(service, member)
                        ));
                    };
                    let c = path::follow(service, quote!(e), element, rest)?;
                    let v = string_value(service, &c, comparator)?;
                    match c.value {
                        // Never null: one value per element.
                        Value::Place(_) => quote!(#elements.map(|e| #v)),
                        // A projection leaves out the elements where the path is null.
                        Value::Opt(_) => quote!(#elements.filter_map(|e| #v).map(Some)),
                    }
                }
            }
        };
        Ok(match comparator {
            "allStringEquals" => quote!(#rt::waiter::all_string_equals(#values, #expected)),
            _ => quote!(#rt::waiter::any_string_equals(#values, #expected)),
        })
    }
}

fn is_string(service: &Service, ty: &Type) -> bool {
    match ty {
        Type::String => true,
        Type::Named(id) => matches!(service.type_def(id), Some(TypeDef::Enum(e)) if !e.int),
        _ => false,
    }
}

/// The value as `Option<&str>`: a string, or an enum's value.
fn string_value(service: &Service, c: &Compiled, comparator: &str) -> Result<TokenStream, String> {
    if !is_string(service, &c.ty) {
        return Err(format!(
            "{comparator} needs a string, and this is {}",
            describe(service, &c.ty)
        ));
    }
    Ok(match (&c.ty, &c.value) {
        (Type::String, _) => as_option(c),
        (_, Value::Place(p)) => quote!(Some(#p.as_str())),
        (_, Value::Opt(o)) => quote!(#o.map(|v| v.as_str())),
    })
}

/// A compiling `no_run` example calling the waiter (setting the first
/// required string member, if any).
fn example(op: &Operation, w: &Waiter, krate: &str) -> String {
    let method = &w.method;
    let setter = op
        .input
        .fields
        .iter()
        .find(|f| f.required && f.ty == Type::String)
        .map(|f| format!("\n    .{}(\"example\")", crate::naming::unraw(&f.name)))
        .unwrap_or_default();
    format!(
        "```no_run\n# async fn example(client: &{krate}::Client) {{\nlet result = client\n    .{method}(){setter}\n    .wait(std::time::Duration::from_secs(600))\n    .await;\nif let Err(e) = result {{\n    eprintln!(\"{{e}}\");\n}}\n# }}\n```"
    )
}

/// The builder of each waiter of `op` (in the operation's module).
pub fn emit(service: &Service, op: &Operation, krate: &str) -> Result<TokenStream, Error> {
    let rt = rt();
    let base = op.input.name.trim_end_matches("Input");
    let input = format_ident!("{}", op.input.name);
    let input_builder = format_ident!("{}Builder", op.input.name);
    let output = format_ident!("{}", op.output.name);
    let error = format_ident!("{base}Error");
    let mut out = TokenStream::new();
    for w in waiters(op)? {
        let mut compiler = Compiler {
            service,
            op,
            waiter: &w.name,
            uses_input: false,
            uses_output: false,
        };
        let mut checks = Vec::new();
        let mut success_on_output = Vec::new();
        for a in &w.acceptors {
            let state = match a.get("state").and_then(Json::as_str) {
                Some("success") => quote!(Success),
                Some("failure") => quote!(Failure),
                Some("retry") => quote!(Retry),
                _ => {
                    return Err(bad(
                        op,
                        &w.name,
                        format!("acceptor {a} needs a state: success, failure or retry"),
                    ))
                }
            };
            let (test, on_output) = compiler.acceptor(a)?;
            if a.get("state").and_then(Json::as_str) == Some("success") {
                success_on_output.push(on_output);
            }
            checks.push(quote! {
                if #test {
                    return Some(#rt::waiter::AcceptorState::#state);
                }
            });
        }
        let returns = if success_on_output.is_empty() {
            Returns::Response
        } else if success_on_output.iter().all(|o| *o) {
            Returns::Output
        } else if success_on_output.iter().all(|o| !*o) {
            Returns::Nothing
        } else {
            Returns::Response
        };
        let input_param = if compiler.uses_input {
            quote!(input)
        } else {
            quote!(_input)
        };
        let acceptors_fn = format_ident!(
            "{}_acceptors",
            crate::naming::unraw(&crate::naming::field_name(&w.name))
        );
        let builder = format_ident!("{}", w.builder);
        let (ret, finish, returns_doc) = match returns {
            Returns::Output => (
                quote!(#output),
                quote!(match response {
                    Ok(output) => Ok(output),
                    Err(e) => Err(#rt::waiter::WaiterError::Operation(e)),
                }),
                format!("the [`{output}`] a success acceptor matched"),
            ),
            Returns::Nothing => (
                quote!(()),
                quote!({
                    let _ = response;
                    Ok(())
                }),
                "`()`: success is an error response (the resource is gone), so there is no output"
                    .to_owned(),
            ),
            Returns::Response => (
                quote!(Result<#output, #error>),
                quote!(Ok(response)),
                "the response a success acceptor matched, an output or an error".to_owned(),
            ),
        };
        let name = &w.name;
        let (min, max) = (w.min_delay, w.max_delay);
        let build = if build_is_fallible(&op.input) {
            quote!(self.build().map_err(|e| #rt::waiter::WaiterError::Operation(#error::from(#rt::RequestError::from(e))))?)
        } else {
            quote!(self.build())
        };
        let handle_ty = format_ident!("{}Handle", w.builder);
        let handle_doc = doc(&format!(
            "What sends a [`{}`]: the client's handle, tagged with the waiter.",
            w.builder
        ));
        let method = &w.method;
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
            "Polls `{op_name}` at once, then with delays from {min} s to {max} s (exponential, with jitter) until an acceptor ends the wait or `max_wait` has passed; never sleeps past `max_wait`.\n\nReturns {returns_doc}. Fails with [`WaiterError::FailureState`]({rt_doc}::waiter::WaiterError::FailureState) when a failure acceptor matched, [`WaiterError::MaxWaitExceeded`]({rt_doc}::waiter::WaiterError::MaxWaitExceeded) when `max_wait` ran out, and [`WaiterError::Operation`]({rt_doc}::waiter::WaiterError::Operation) on an error no acceptor expects.\n\n{example}",
            example = example(op, &w, krate),
            op_name = op.name,
            rt_doc = "aws_json_runtime",
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
            fn #acceptors_fn(#input_param: &#input, response: &Result<#output, #error>) -> Option<#rt::waiter::AcceptorState> {
                #(#checks)*
                None
            }
        });
    }
    Ok(out)
}

/// The client methods that start each waiter of `op`.
pub fn client_methods(op: &Operation, krate: &str) -> Result<Vec<TokenStream>, Error> {
    let module = ident(&op.method);
    Ok(waiters(op)?
        .iter()
        .map(|w| {
            let method = ident(&w.method);
            let builder = format_ident!("{}", w.builder);
            let mut text = w
                .docs
                .clone()
                .unwrap_or_else(|| format!("The `{}` waiter.", w.name));
            text.push_str(&format!(
                "\n\nPolls `{}`; see [`{}::wait`](crate::operation::{}::{}::wait) for what it returns.\n\n{}",
                op.name,
                w.builder,
                crate::naming::unraw(&op.method),
                w.builder,
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
        .collect())
}
