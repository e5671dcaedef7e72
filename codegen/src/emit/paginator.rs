//! `into_paginator()` on the fluent builder of a `@paginated` operation, and
//! the small trait impls through which the runtime's generic
//! [`Paginator`](aws_json_runtime::paginator) reads and sets tokens, the page
//! size and the items.

use super::path::follow;
use super::rust::{doc, rt, RustType};
use crate::ir::{ItemsKind, MemberPath, Operation, Service};
use crate::naming::Ident;
use proc_macro2::TokenStream;
use quote::quote;

/// What the operation module gains: the fluent builder's `into_paginator`
/// method, and the trait impls (module level).
pub struct Emitted {
    pub method: TokenStream,
    pub impls: TokenStream,
}

/// The by-value path to the items: `self.a.and_then(|v| v.b).unwrap_or_default()`.
fn items_expr(path: &MemberPath) -> TokenStream {
    let mut expr = quote!(self);
    let mut is_option = false;
    for step in &path.steps {
        let f = &step.field;
        let unbox = if step.boxed {
            quote!(.map(|b| *b))
        } else {
            quote!()
        };
        expr = match (is_option, step.optional) {
            (false, true) => quote!(#expr.#f #unbox),
            (false, false) if step.boxed => quote!((*#expr.#f)),
            (false, false) => quote!(#expr.#f),
            (true, true) => quote!(#expr.and_then(|v| v.#f) #unbox),
            (true, false) if step.boxed => quote!(#expr.map(|v| *v.#f)),
            (true, false) => quote!(#expr.map(|v| v.#f)),
        };
        is_option |= step.optional;
    }
    if is_option {
        expr = quote!(#expr.unwrap_or_default());
    }
    expr
}

/// The paginator of `op`, if it is paginated.
pub fn paginator(service: &Service, op: &Operation, krate: &Ident) -> Option<Emitted> {
    let p = op.paginated.as_ref()?;
    let rt = rt();
    let input = &op.input.name;
    let output = &op.output.name;
    let error = &op.error;

    let token = &p.input_token.field;
    let token_ty = RustType::of(service, &p.token);
    let mut impls = quote! {
        impl #rt::paginator::PaginatedInput for #input {
            type Token = #token_ty;
            fn token(&self) -> Option<&Self::Token> {
                self.#token.as_ref()
            }
            fn set_token(&mut self, token: Self::Token) {
                self.#token = Some(token);
            }
        }
    };

    let next = follow(quote!(self), &p.output_token);
    impls.extend(quote! {
        impl #rt::paginator::PaginatedOutput for #output {
            type Token = #token_ty;
            fn next_token(&self) -> Option<&Self::Token> {
                #next
            }
        }
    });

    if let Some(size) = &p.page_size {
        let f = &size.field;
        impls.extend(quote! {
            impl #rt::paginator::PageSize for #input {
                fn set_page_size(&mut self, size: i32) {
                    self.#f = Some(size);
                }
            }
        });
    }

    if let Some((path, kind)) = &p.items {
        let expr = items_expr(path);
        let (item, expr) = match kind {
            ItemsKind::List { member, sparse } => {
                let item = RustType::of(service, member).sparse(*sparse);
                (quote!(#item), expr)
            }
            ItemsKind::Map { key, value, sparse } => {
                let k = RustType::of(service, key);
                let v = RustType::of(service, value).sparse(*sparse);
                (quote!((#k, #v)), quote!(#expr.into_iter().collect()))
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

    let method = op.method.unraw();
    let module = &op.method;
    let output_token = &p.output_token_path;
    let error_name = error.unraw();
    let mut text = format!(
        "Sends the request, then again for each next page: a stream of pages (also [`next`](crate::Paginator::next) without a futures crate), ending after the page without a `{output_token}`."
    );
    if let Some(items) = &p.items_path {
        text.push_str(&format!(
            " Take `.items()` for a stream of the `{items}` of every page instead."
        ));
    }
    if let Some(size) = &p.page_size {
        text.push_str(&format!(" `.page_size(n)` sets `{}`.", size.member));
    }
    text.push_str(&format!(
        "\n\nAn error is yielded and ends the stream; so does a page whose `{output_token}` is the token just sent.\n\n```no_run\n# async fn example(client: &{krate}::Client) -> Result<(), {krate}::operation::{module}::{error_name}> {{\nlet mut pages = client.{method}().into_paginator()"
    ));
    if p.page_size.is_some() {
        text.push_str(".page_size(10)");
    }
    text.push_str(
        ";\nwhile let Some(page) = pages.next().await {\n    println!(\"{:?}\", page?);\n}\n",
    );
    if p.items.is_some() {
        text.push_str(&format!(
            "let mut items = client.{method}().into_paginator().items();\nwhile let Some(item) = items.next().await {{\n    println!(\"{{:?}}\", item?);\n}}\n"
        ));
    }
    text.push_str("# Ok(())\n# }\n```");
    let docs = doc(&text);
    let build = if op.input.fallible_build() {
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
    Some(Emitted { method, impls })
}
