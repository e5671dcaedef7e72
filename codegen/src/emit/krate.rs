//! Crate-level files: `lib.rs` and `Cargo.toml`.

use super::rust::doc;
use super::Options;
use crate::error::Error;
use crate::ir::Service;
use proc_macro2::TokenStream;
use quote::quote;

/// `src/lib.rs`.
pub fn emit_rust(service: &Service) -> Result<Vec<(String, TokenStream)>, Error> {
    let title = &service.title;
    let mut crate_doc = format!("A client for {title} (API version {}).", service.version);
    if let Some(d) = &service.docs {
        crate_doc.push_str("\n\n");
        crate_doc.push_str(d);
    }
    let crate_doc = crate_doc
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
    let _ = doc;
    let lib = quote! {
        #crate_doc
        // Deprecated members and operations are still part of the API; using
        // them inside this crate is not a warning (users still get one).
        #![allow(deprecated)]

        pub mod error;
        pub mod operation;
        pub mod types;

        pub use ::aws_json_runtime::{BigDecimal, BigInteger, Blob, DateTime, Document};
    };
    Ok(vec![("src/lib.rs".to_owned(), lib)])
}

/// `Cargo.toml`.
pub fn cargo_toml(service: &Service, options: &Options, header: &str) -> String {
    format!(
        r#"{header}[package]
name = "{name}"
version = "{version}"
edition = "2021"
description = "A Rust client for {title}, generated from its Smithy model."
license = "Apache-2.0"

[dependencies]
aws-json-runtime = {{ path = "{runtime}" }}
"#,
        name = options.crate_name,
        version = options.crate_version,
        title = service.title,
        runtime = options.runtime_path,
    )
}
