//! One module per operation under `src/operation/`: its input and output
//! structures with their builders and codecs.

use super::rust::{deprecated, doc, ident};
use super::shapes::structure;
use crate::error::Error;
use crate::ir::{Operation, Service};
use proc_macro2::TokenStream;
use quote::quote;

/// `operation/<op>.rs` for each operation, and `operation/mod.rs`.
pub fn emit_operations(service: &Service) -> Result<Vec<(String, TokenStream)>, Error> {
    let mut files = Vec::new();
    let mut mods = Vec::new();
    for op in &service.operations {
        files.push((
            format!("src/operation/{}.rs", crate::naming::unraw(&op.method)),
            operation(service, op)?,
        ));
        let m = ident(&op.method);
        let docs = doc(&format!("The `{}` operation.", op.name));
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

fn operation(service: &Service, op: &Operation) -> Result<TokenStream, Error> {
    let module_doc = match &op.docs {
        Some(d) => format!("`{}`: {d}", op.name),
        None => format!("`{}`.", op.name),
    };
    let module_doc = module_doc
        .lines()
        .map(|l| {
            let l = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#![doc = #l])
        })
        .collect::<TokenStream>();
    let input = structure(service, &op.input, true, false)?;
    let output = structure(service, &op.output, false, true)?;
    Ok(quote! {
        #module_doc
        #input
        #output
    })
}
