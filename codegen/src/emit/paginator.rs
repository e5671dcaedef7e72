//! `into_paginator()` on the fluent builder of a `@paginated` operation, and
//! the small trait impls through which the runtime's generic
//! [`Paginator`](aws_json_runtime::paginator) reads and sets tokens, the page
//! size and the items.

use super::path::{self, as_option, describe};
use super::rust::{doc, ident, rt, rust_type};
use super::shapes::build_is_fallible;
use crate::error::Error;
use crate::ir::{Operation, Paginated, Service, Structure, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// What the operation module gains: the fluent builder's `into_paginator`
/// method, and the trait impls (module level).
pub struct Emitted {
    pub method: TokenStream,
    pub impls: TokenStream,
}

fn bad(op: &Operation, message: String) -> Error {
    Error::Unsupported {
        path: String::new(),
        shape: op.id.to_string(),
        message: format!("@paginated: {message}"),
    }
}

fn input_field<'a>(
    op: &'a Operation,
    member: &str,
    what: &str,
) -> Result<&'a crate::ir::Field, Error> {
    op.input
        .fields
        .iter()
        .find(|f| f.member == member)
        .ok_or_else(|| {
            bad(
                op,
                format!("{what} `{member}` is not a member of the input"),
            )
        })
}

fn segments<'a>(op: &Operation, what: &str, path: &'a str) -> Result<Vec<&'a str>, Error> {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().all(|s| path::is_identifier(s)) {
        Ok(segments)
    } else {
        Err(bad(
            op,
            format!("{what} `{path}` is not a dotted member path"),
        ))
    }
}

/// The by-value path to the items: `self.a.and_then(|v| v.b).unwrap_or_default()`.
fn items_expr(
    service: &Service,
    output: &Structure,
    segments: &[&str],
) -> Result<(TokenStream, Type), String> {
    // (expression, is it an Option, type)
    let mut expr = quote!(self);
    let mut is_option = false;
    let mut owner = output;
    let mut ty = Type::Named(output.id.clone());
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            owner = match &ty {
                Type::Named(id) => match service.type_def(id) {
                    Some(crate::ir::TypeDef::Structure(s)) => s,
                    _ => {
                        return Err(format!(
                            "`{}` is {}, which has no members",
                            segments[..i].join("."),
                            describe(service, &ty)
                        ))
                    }
                },
                _ => {
                    return Err(format!(
                        "`{}` is {}, which has no members",
                        segments[..i].join("."),
                        describe(service, &ty)
                    ))
                }
            };
        }
        let field = owner
            .fields
            .iter()
            .find(|f| f.member == *segment)
            .ok_or_else(|| format!("`{}` has no member `{segment}`", owner.id.name()))?;
        let f = ident(&field.name);
        let unbox = if field.boxed {
            quote!(.map(|b| *b))
        } else {
            quote!()
        };
        expr = match (is_option, field.optional) {
            (false, true) => quote!(#expr.#f #unbox),
            (false, false) if field.boxed => quote!((*#expr.#f)),
            (false, false) => quote!(#expr.#f),
            (true, true) => quote!(#expr.and_then(|v| v.#f) #unbox),
            (true, false) if field.boxed => quote!(#expr.map(|v| *v.#f)),
            (true, false) => quote!(#expr.map(|v| v.#f)),
        };
        is_option |= field.optional;
        ty = field.ty.clone();
    }
    if is_option {
        expr = quote!(#expr.unwrap_or_default());
    }
    Ok((expr, ty))
}

/// The paginator of `op`, if it is paginated.
pub fn paginator(service: &Service, op: &Operation, krate: &str) -> Result<Option<Emitted>, Error> {
    let Some(p) = &op.paginated else {
        return Ok(None);
    };
    let Paginated {
        input_token,
        output_token,
        items,
        page_size,
    } = p;
    let rt = rt();
    let base = op.input.name.trim_end_matches("Input");
    let input = format_ident!("{}", op.input.name);
    let output = format_ident!("{}", op.output.name);
    let error = format_ident!("{base}Error");

    let token_field = input_field(op, input_token, "inputToken")?;
    if token_field.ty != Type::String {
        return Err(bad(
            op,
            format!("inputToken `{input_token}` must be a string"),
        ));
    }
    let token = ident(&token_field.name);
    let mut impls = quote! {
        impl #rt::paginator::PaginatedInput for #input {
            fn token(&self) -> Option<&str> {
                self.#token.as_deref()
            }
            fn set_token(&mut self, token: String) {
                self.#token = Some(token);
            }
        }
    };

    let out_segments = segments(op, "outputToken", output_token)?;
    let compiled = path::follow(service, quote!(self), &op.output, &out_segments)
        .map_err(|m| bad(op, format!("outputToken `{output_token}`: {m}")))?;
    if compiled.ty != Type::String {
        return Err(bad(
            op,
            format!(
                "outputToken `{output_token}` must be a string, not {}",
                describe(service, &compiled.ty)
            ),
        ));
    }
    let next = as_option(&compiled);
    impls.extend(quote! {
        impl #rt::paginator::PaginatedOutput for #output {
            fn next_token(&self) -> Option<&str> {
                #next
            }
        }
    });

    if let Some(size) = page_size {
        let field = input_field(op, size, "pageSize")?;
        if field.ty != Type::Integer {
            return Err(bad(op, format!("pageSize `{size}` must be an integer")));
        }
        let f = ident(&field.name);
        impls.extend(quote! {
            impl #rt::paginator::PageSize for #input {
                fn set_page_size(&mut self, size: i32) {
                    self.#f = Some(size);
                }
            }
        });
    }

    if let Some(items) = items {
        let item_segments = segments(op, "items", items)?;
        let (expr, ty) = items_expr(service, &op.output, &item_segments)
            .map_err(|m| bad(op, format!("items `{items}`: {m}")))?;
        let (item, expr) = match &ty {
            Type::List { member, sparse } => {
                let m = rust_type(service, member);
                (if *sparse { quote!(Option<#m>) } else { m }, expr)
            }
            Type::Map { key, value, sparse } => {
                let k = rust_type(service, key);
                let v = rust_type(service, value);
                let v = if *sparse { quote!(Option<#v>) } else { v };
                (quote!((#k, #v)), quote!(#expr.into_iter().collect()))
            }
            other => {
                return Err(bad(
                    op,
                    format!(
                        "items `{items}` must be a list or a map, not {}",
                        describe(service, other)
                    ),
                ))
            }
        };
        impls.extend(quote! {
            impl #rt::paginator::PageItems for #output {
                type Item = #item;
                fn into_items(self) -> Vec<Self::Item> {
                    #expr
                }
            }
        });
    }

    let method = crate::naming::unraw(&op.method);
    let module = &op.method;
    let mut text = format!(
        "Sends the request, then again for each next page: a stream of pages (also [`next`]({rt}::paginator::Paginator::next) without a futures crate), ending after the page without a `{output_token}`.",
        rt = "aws_json_runtime"
    );
    if let Some(items) = items {
        text.push_str(&format!(
            " Take `.items()` for a stream of the `{items}` of every page instead."
        ));
    }
    if let Some(size) = page_size {
        text.push_str(&format!(" `.page_size(n)` sets `{size}`."));
    }
    text.push_str(&format!(
        "\n\nAn error is yielded and ends the stream; so does a page whose `{output_token}` is the token just sent.\n\n```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), {krate}::operation::{module}::{base}Error> {{\nlet mut pages = client.{method}().into_paginator()"
    ));
    if page_size.is_some() {
        text.push_str(".page_size(10)");
    }
    text.push_str(
        ";\nwhile let Some(page) = pages.next().await {\n    println!(\"{:?}\", page?);\n}\n",
    );
    if items.is_some() {
        text.push_str(&format!(
            "let mut items = client.{method}().into_paginator().items();\nwhile let Some(item) = items.next().await {{\n    println!(\"{{:?}}\", item?);\n}}\n"
        ));
    }
    text.push_str("# Ok(())\n# }\n```");
    let docs = doc(&text);
    let build = if build_is_fallible(&op.input) {
        quote!(self.build().map_err(|e| #error::from(#rt::RequestError::from(e))))
    } else {
        quote!(Ok(self.build()))
    };
    let method = quote! {
        #docs
        pub fn into_paginator(self) -> #rt::paginator::Paginator<#input, #output, #error> {
            let handle = self.handle.clone();
            #rt::paginator::Paginator::new(handle, #build, |handle, input| {
                Box::pin(async move { send(&handle, input).await })
            })
        }
    };
    Ok(Some(Emitted { method, impls }))
}
