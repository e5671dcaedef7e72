//! Crate-level files: `lib.rs`, `client.rs` (with the service description
//! the pipeline needs), `config.rs` and `Cargo.toml`.

use super::rust::{doc, inner_doc, rt, rt_declaration};
use super::Options;
use crate::ir::{Operation, Service, TypeDef};
use crate::naming::Ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The operation the crate docs use as an example: a `List*` operation
/// without required input, else any operation without required input.
fn example_operation(service: &Service) -> Option<&Operation> {
    let no_required = |op: &&Operation| !op.input.fallible_build();
    service
        .operations
        .iter()
        .filter(no_required)
        .find(|op| op.name.starts_with("List"))
        .or_else(|| service.operations.iter().find(no_required))
}

/// The crate docs' quick start: configuration from the environment, a
/// client, one call. `testgen` runs the same code against a loopback server,
/// so the docs show code that is known to work.
pub(crate) struct QuickStart {
    /// The statements, one per line (raw identifiers stay raw: this is code).
    pub code: String,
    /// The path of the error type `?` returns.
    pub error: String,
    /// The operation called.
    pub operation: String,
}

impl QuickStart {
    /// `None` when every operation needs input.
    pub(crate) fn new(service: &Service, krate: &str) -> Option<Self> {
        let op = example_operation(service)?;
        let method = &op.method;
        Some(Self {
            code: format!(
                "let config = {krate}::config::from_env().await;\n\
                 let client = {krate}::Client::new(&config);\n\
                 let output = client.{method}().send().await?;\n\
                 println!(\"{{output:?}}\");"
            ),
            error: format!("{krate}::operation::{method}::{}", op.error),
            operation: op.name.clone(),
        })
    }
}

/// `src/lib.rs`, `src/client.rs`, `src/config.rs`.
pub fn emit_rust(
    service: &Service,
    options: &Options,
    krate: &Ident,
) -> Vec<(String, TokenStream)> {
    vec![
        ("src/lib.rs".to_owned(), lib(service, krate)),
        ("src/client.rs".to_owned(), client(service, options, krate)),
        ("src/config.rs".to_owned(), config()),
        ("src/mock.rs".to_owned(), super::mock::module(service, krate)),
    ]
}

/// The crate docs' section on the cargo features.
const FEATURES_DOC: &str = "\n\n# Cargo features\n
- `tracing` (default): spans and events of every call.
- `test-util`: the `mock` module, typed rules answering calls in-process, for tests of code that uses this client.
- `serde`: serde's `Serialize` and `Deserialize` on every type of `types`, `error` and `operation`, in the form the protocol sends: members under their JSON names, unset members left out, timestamps as epoch seconds (or the string of the member's `@timestampFormat`), blobs as base64 strings, documents as the JSON value they hold, enums as their wire value (values this client does not know included), unions as an object with one member. Big integers and decimals are decimal strings (serde has no number of any size). A value serialized with it reads back into an equal value. **Sensitive members are serialized too**: `Debug` redacts them, serde does not. An output's request ID and an error's metadata (code, request ID) are not serialized.";

fn lib(service: &Service, krate: &Ident) -> TokenStream {
    let title = &service.title;
    let mut text = format!("A client for {title} (API version {}).", service.version);
    if let Some(q) = QuickStart::new(service, &krate.to_string()) {
        text.push_str(&format!(
            "\n\nQuick start: the configuration from the environment and the shared files, as every AWS SDK reads it, then one call.\n\n```no_run\n# async fn example() -> Result<(), {}> {{\n{}\n# Ok(())\n# }}\n```",
            q.error, q.code
        ));
    }
    if let Some(d) = &service.docs {
        text.push_str("\n\n");
        text.push_str(d);
    }
    if let Some(d) = &service.endpoint_discovery {
        text.push_str(&format!(
            "\n\n# Endpoint discovery\n\nOperations the model marks as requiring endpoint discovery go to the endpoint `{}` names: the client calls it at the first such call and when the endpoint expires or the service answers `{}`, and caches the answer per access key (and per operation and identifiers for operations that have discovery identifiers). A discovered address must be an `https` host of valid host labels. A configured endpoint URL (code, environment, profile) wins: calls go there without discovery.",
            d.operation, d.invalid_endpoint_error
        ));
    }
    if !service.skipped.is_empty() {
        text.push_str("\n\n# Operations not offered\n\nThe model has these operations, which this client leaves out:\n");
        for s in &service.skipped {
            text.push_str(&format!("\n- `{}`: {}.", s.name, s.reason));
        }
    }
    text.push_str(FEATURES_DOC);
    let crate_doc = inner_doc(&text);
    let rt = rt();
    let paginators = service
        .operations
        .iter()
        .any(|op| op.paginated.is_some())
        .then(|| {
            quote! {
                /// What `into_paginator()` returns, and its `.items()`.
                pub use #rt::paginator::{Items, Paginator};
            }
        });
    let waiters = service
        .operations
        .iter()
        .any(|op| !op.waiters.is_empty())
        .then(|| {
            quote! {
                /// Why a `wait_until_*` waiter did not succeed.
                pub use #rt::waiter::WaiterError;
            }
        });
    let rt_declaration = rt_declaration();
    let error = &service.error.name;
    quote! {
        #crate_doc
        // Deprecated members and operations are still part of the API; using
        // them inside this crate is not a warning (users still get one).
        #![allow(deprecated)]
        #![forbid(unsafe_code)]

        // Generated files are printed by prettyplease; rustfmt would reflow
        // them and `cargo xtask codegen --check` would then report drift.
        #[rustfmt::skip]
        pub mod client;
        #[rustfmt::skip]
        pub mod config;
        #[rustfmt::skip]
        pub mod endpoint;
        #[rustfmt::skip]
        pub mod error;
        #[cfg(feature = "test-util")]
        #[rustfmt::skip]
        pub mod mock;
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod types;

        pub use #rt::{BigDecimal, BigInteger, Blob, DateTime, Document};

        #rt_declaration
        pub use client::Client;
        pub use config::Config;
        pub use error::#error;
        #paginators
        #waiters

        /// The README's code, compiled by `cargo test` as doctests.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        pub struct ReadmeDoctests;
    }
}

/// The `ServiceInfo` the request pipeline needs about this service.
fn service_info(service: &Service, options: &Options) -> TokenStream {
    let rt = rt();
    let target = &service.target_prefix;
    let content_type = service.protocol.content_type();
    let signing = &service.signing_name;
    let env_suffix = service.env_suffix();
    let profile_key = service.profile_key();
    let user_agent = format!("{}/{}", options.crate_name(service), options.crate_version);
    let mut retryable: Vec<(String, bool)> = service
        .types
        .values()
        .filter_map(|t| match t {
            TypeDef::Structure(s) => s
                .error
                .as_ref()
                .and_then(|e| e.retryable)
                .map(|throttling| (s.id.name().to_owned(), throttling)),
            _ => None,
        })
        .collect();
    retryable.sort();
    let retryable = retryable
        .iter()
        .map(|(code, throttling)| quote!((#code, #throttling)));
    let query_compatible = service.query_compatible;
    let compressed = service
        .operations
        .iter()
        .filter(|op| op.request_compression)
        .map(|op| &op.name);
    let discovery = match &service.endpoint_discovery {
        None => quote!(None),
        Some(d) => {
            let (operation, error) = (&d.operation, &d.invalid_endpoint_error);
            quote!(Some(#rt::client::EndpointDiscovery {
                operation: #operation,
                invalid_endpoint_error: #error,
            }))
        }
    };
    quote! {
        /// What the request pipeline needs to know about this service.
        pub(crate) static SERVICE: #rt::client::ServiceInfo = #rt::client::ServiceInfo {
            target_prefix: #target,
            content_type: #content_type,
            signing_name: #signing,
            env_suffix: #env_suffix,
            profile_key: #profile_key,
            user_agent: #user_agent,
            retryable_errors: &[#(#retryable),*],
            query_compatible: #query_compatible,
            compressed_operations: &[#(#compressed),*],
            endpoint_discovery: #discovery,
            resolve_endpoint: crate::endpoint::resolve_from_config,
        };
    }
}

/// A `Client` method's docs: the model's (or a line saying what it
/// starts), then links to the input, output and error types and the
/// modelled errors, so a reader sees what to handle without leaving the page.
fn operation_docs(service: &Service, op: &Operation) -> String {
    let module = format!("crate::operation::{}", op.method);
    let mut text = op.docs.clone().unwrap_or_else(|| {
        format!(
            "Starts a `{}` request: set its input on the builder, then `send()` it.",
            op.name
        )
    });
    // Rustdoc cannot resolve a path through a raw identifier
    // (`operation::r#type`): such names stay code spans.
    let linkable = op.method.as_str() == op.method.unraw();
    let link = |name: String, path: String| {
        if linkable {
            format!("[`{name}`]({path})")
        } else {
            format!("`{name}`")
        }
    };
    let item = |name: &dyn std::fmt::Display| link(name.to_string(), format!("{module}::{name}"));
    let (input, output, error) = (&op.input.name, &op.output.name, &op.error);
    text.push_str(&format!(
        "\n\nInput: {}, set on the returned builder. Output: {}. Error: {}.",
        item(input),
        item(output),
        item(error)
    ));
    if let (Some(d), Some(discovered)) = (&service.endpoint_discovery, &op.discovered_endpoint) {
        let key = if discovered.identifiers.is_empty() {
            "the credentials' access key".to_owned()
        } else {
            let names: Vec<String> = discovered
                .identifiers
                .iter()
                .map(|i| format!("`{}`", i.member))
                .collect();
            format!("the credentials' access key and {}", names.join(", "))
        };
        text.push_str(&format!(
            "

The request goes to the endpoint `{}` names (endpoint discovery; cached per {key} for the period the service gives), unless the client has an endpoint URL configured.",
            d.operation
        ));
    }
    if op.errors.is_empty() {
        text.push_str("\n\nThe model lists no errors for this operation.");
    } else {
        text.push_str("\n\n# Errors\n\nThe errors the model lists:\n");
        for e in &op.errors {
            let variant = &e.variant;
            let variant = link(variant.to_string(), format!("{module}::{error}::{variant}"));
            text.push_str(&format!("\n- {variant}"));
            if let Some(summary) = &e.summary {
                // One list item: the summary's lines joined.
                let summary = summary.split_whitespace().collect::<Vec<_>>().join(" ");
                text.push_str(&format!(": {summary}"));
            }
        }
    }
    text
}

fn client(service: &Service, options: &Options, krate: &Ident) -> TokenStream {
    let rt = rt();
    let info = service_info(service, options);
    let title = &service.title;
    let methods = service.operations.iter().map(|op| {
        let method = &op.method;
        let module = &op.method;
        let fluent = &op.fluent;
        let docs = doc(&operation_docs(service, op));
        let dep = super::rust::deprecated(op.deprecated.as_ref());
        quote! {
            #docs
            #dep
            pub fn #method(&self) -> crate::operation::#module::#fluent {
                crate::operation::#module::#fluent::new(self.handle.clone())
            }
        }
    });
    let waiters = service
        .operations
        .iter()
        .flat_map(|op| super::waiter::client_methods(op, krate));
    let doc_text = format!(
        "A client for {title}.\n\nBuild it once from a shared config and clone it freely: clones share the configuration, the connection pool, the credentials cache and the retry quota."
    );
    let docs = doc(&doc_text);
    let mock = super::mock::client_impl(service);
    quote! {
        //! The client: one method per operation, and one per waiter.
        #docs
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: #rt::client::ClientHandle,
        }

        impl Client {
            /// Creates a client from a shared config (see [`crate::config::from_env`]).
            pub fn new(config: &#rt::config::SdkConfig) -> Self {
                Self { handle: #rt::client::ClientHandle::new(config, &SERVICE) }
            }

            /// Creates a client from a config of its own: a shared config with
            /// overrides (`config::Builder::from(&sdk_config)`), or one made
            /// from nothing ([`Config::builder`](crate::Config::builder)), which
            /// reads no environment.
            pub fn from_conf(config: crate::Config) -> Self {
                Self { handle: #rt::client::ClientHandle::from_conf(config, &SERVICE) }
            }

            /// This client's configuration.
            pub fn config(&self) -> &crate::Config {
                self.handle.config()
            }

            /// The endpoint requests go to with this client's configuration, or
            /// why there is none (for example FIPS requested in a partition without it).
            pub fn endpoint(&self) -> Result<#rt::endpoint::Endpoint, #rt::RequestError> {
                self.handle.resolve_endpoint()
            }

            #(#methods)*

            #(#waiters)*
        }

        #mock

        #info
    }
}

fn config() -> TokenStream {
    let rt = rt();
    quote! {
        //! Configuration: load a shared config, then build a [`Client`](crate::Client) from it.
        //!
        //! [`from_env`] reads the region, credentials, endpoint, retry and
        //! timeout settings the way the AWS SDKs do: code, then environment
        //! variables, then the shared `config` and `credentials` files.
        //! [`loader`] lets code set any of them first.
        //!
        //! One client can override the shared settings ([`Builder`]`::from(&sdk_config)`,
        //! then [`Client::from_conf`](crate::Client::from_conf)) and add
        //! [interceptors](Intercept); one call can override them with a fluent
        //! builder's `customize` ([`CallConfig`]).
        pub use #rt::config::{
            CallConfig, ClientConfig as Config, ClientConfigBuilder as Builder, ConfigLoader,
            MinimumThroughput, PoolConfig, ResponseLimits, SdkConfig, TimeoutConfig,
        };
        pub use #rt::credentials::{Credentials, ProvideCredentials};
        pub use #rt::env::Env;
        pub use #rt::http::{BoxError, HttpClient, HyperClient};
        pub use #rt::intercept::{Intercept, RequestContext, ResponseContext};
        pub use #rt::region::Region;
        pub use #rt::retry::RetryConfig;

        /// Loads the configuration from the environment and the shared config files.
        ///
        /// Loading never fails: a setting that cannot be used (no region, an
        /// invalid `AWS_MAX_ATTEMPTS`) makes each call fail with an error
        /// that says which setting and why.
        pub async fn from_env() -> SdkConfig {
            ConfigLoader::default().load().await
        }

        /// A loader: settings given to it win over the environment.
        pub fn loader() -> ConfigLoader {
            ConfigLoader::default()
        }
    }
}

/// `Cargo.toml`.
pub fn cargo_toml(service: &Service, options: &Options, header: &str) -> String {
    let repository = options
        .repository
        .as_ref()
        .map(|url| format!("repository = {}\n", toml_string(url)))
        .unwrap_or_default();
    let keywords = ["aws", "sdk", "client"]
        .into_iter()
        .map(str::to_owned)
        .chain(crate::naming::package_keyword(&service.sdk_id))
        .map(|k| toml_string(&k))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"{header}[package]
name = "{name}"
version = "{version}"
edition = "2021"
rust-version = "{rust_version}"
description = {description}
license = "Apache-2.0"
{repository}readme = "README.md"
keywords = [{keywords}]
categories = ["api-bindings", "web-programming::http-client"]

# docs.rs documents every feature.
[package.metadata.docs.rs]
all-features = true

[features]
default = ["aws-lc-rs", "tracing"]
# The runtime's features, so an application chooses them through this crate.
# TLS crypto provider: aws-lc-rs (post-quantum hybrid key exchange) or, with
# default features off, ring (classical key exchange, faster to build).
aws-lc-rs = ["aws-json-runtime/aws-lc-rs"]
ring = ["aws-json-runtime/ring"]
# Spans and events of every call (the runtime's `tracing` feature).
tracing = ["aws-json-runtime/tracing"]
# Also trust the operating system's certificate store.
native-roots = ["aws-json-runtime/native-roots"]
# Mocks answering calls in-process (`mock` module), for tests of code that uses this client.
test-util = ["aws-json-runtime/test-util"]
# serde's Serialize/Deserialize on every type, in the wire form (member names, timestamps, blobs).
serde = ["dep:serde", "aws-json-runtime/serde"]

[dependencies]
aws-json-runtime = {{ version = "{runtime_version}", path = "{runtime}", default-features = false }}
serde = {{ version = "1", features = ["derive"], optional = true }}

[dev-dependencies]
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
"#,
        name = options.crate_name(service),
        version = options.crate_version,
        description = toml_string(&format!(
            "A Rust client for {}, generated from its Smithy model.",
            service.title
        )),
        runtime = options.runtime_path,
        rust_version = super::RUST_VERSION,
        runtime_version = options.runtime_version,
    )
}

/// `text` as a TOML basic string: quoted, with `"`, `\` and control
/// characters escaped (a title or URL from outside cannot break the file).
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::toml_string;

    #[test]
    fn toml_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(toml_string("AWS Proton"), r#""AWS Proton""#);
        assert_eq!(toml_string(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(toml_string("a\nb"), r#""a\u000Ab""#);
    }
}
