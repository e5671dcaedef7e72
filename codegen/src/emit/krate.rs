//! Crate-level files: `lib.rs` (with the service description the pipeline
//! needs), `client.rs`, `config.rs`, `endpoint.rs` and `Cargo.toml`.

use super::rust::{doc, ident, rt};
use super::Options;
use crate::endpoint_rules::{compile_endpoint_rules, EndpointModule, ParamType};
use crate::error::Error;
use crate::ir::{Operation, Role, Service, TypeDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

fn inner_doc(text: &str) -> TokenStream {
    text.lines()
        .map(|l| {
            let l = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            quote!(#![doc = #l])
        })
        .collect()
}

/// The operation the crate docs use as an example: a `List*` operation
/// without required input, else any operation without required input.
fn example_operation(service: &Service) -> Option<&Operation> {
    let no_required = |op: &&Operation| op.input.fields.iter().all(|f| !f.required);
    service
        .operations
        .iter()
        .filter(no_required)
        .find(|op| op.name.starts_with("List"))
        .or_else(|| service.operations.iter().find(no_required))
}

/// `src/lib.rs`, `src/client.rs`, `src/config.rs`, `src/endpoint.rs`.
pub fn emit_rust(
    service: &Service,
    options: &Options,
) -> Result<Vec<(String, TokenStream)>, Error> {
    Ok(vec![
        ("src/lib.rs".to_owned(), lib(service, options)),
        ("src/client.rs".to_owned(), client(service, options)?),
        ("src/config.rs".to_owned(), config()),
        ("src/endpoint.rs".to_owned(), endpoint(service)?),
    ])
}

fn lib(service: &Service, options: &Options) -> TokenStream {
    let title = &service.title;
    let krate = options.crate_name(service).replace('-', "_");
    let mut text = format!("A client for {title} (API version {}).", service.version);
    if let Some(op) = example_operation(service) {
        // Raw identifiers (`r#type`) stay raw: this is code.
        let method = &op.method;
        let module = &op.method;
        let error = format!("{}Error", op.input.name.trim_end_matches("Input"));
        text.push_str(&format!(
            "\n\n```no_run\n# async fn example() -> Result<(), {krate}::operation::{module}::{error}> {{\n\
             let config = {krate}::config::from_env().await;\n\
             let client = {krate}::Client::new(&config);\n\
             let output = client.{method}().send().await?;\n\
             println!(\"{{output:?}}\");\n# Ok(())\n# }}\n```"
        ));
    }
    if let Some(d) = &service.docs {
        text.push_str("\n\n");
        text.push_str(d);
    }
    if !service.skipped.is_empty() {
        text.push_str("\n\n# Operations not offered\n\nThe model has these operations, which this client leaves out:\n");
        for s in &service.skipped {
            text.push_str(&format!("\n- `{}`: {}.", s.name, s.reason));
        }
    }
    let crate_doc = inner_doc(&text);
    let paginators = service
        .operations
        .iter()
        .any(|op| op.paginated.is_some())
        .then(|| {
            quote! {
                /// What `into_paginator()` returns, and its `.items()`.
                pub use ::aws_json_runtime::paginator::{Items, Paginator};
            }
        });
    let waiters = service
        .operations
        .iter()
        .any(|op| op.waiters.is_some())
        .then(|| {
            quote! {
                /// Why a `wait_until_*` waiter did not succeed.
                pub use ::aws_json_runtime::waiter::WaiterError;
            }
        });
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
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod types;

        pub use ::aws_json_runtime::{BigDecimal, BigInteger, Blob, DateTime, Document};

        /// The runtime, by a short path for the generated code.
        pub(crate) use ::aws_json_runtime as rt;
        pub use client::Client;
        #paginators
        #waiters
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
            TypeDef::Structure(s) if s.role == Role::Error => s
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
            resolve_endpoint: crate::endpoint::resolve_from_config,
        };
    }
}

fn client(service: &Service, options: &Options) -> Result<TokenStream, Error> {
    let rt = rt();
    let info = service_info(service, options);
    let title = &service.title;
    let methods = service.operations.iter().map(|op| {
        let method = ident(&op.method);
        let module = ident(&op.method);
        let fluent = format_ident!("{}FluentBuilder", op.input.name.trim_end_matches("Input"));
        let docs = doc(op
            .docs
            .as_deref()
            .unwrap_or(&format!("Calls `{}`.", op.name)));
        let dep = super::rust::deprecated(op.deprecated.as_ref());
        quote! {
            #docs
            #dep
            pub fn #method(&self) -> crate::operation::#module::#fluent {
                crate::operation::#module::#fluent::new(self.handle.clone())
            }
        }
    });
    let mut waiters = Vec::new();
    for op in &service.operations {
        waiters.extend(super::waiter::client_methods(
            op,
            &options.crate_name(service).replace('-', "_"),
        )?);
    }
    let doc_text = format!(
        "A client for {title}.\n\nBuild it once from a shared config and clone it freely: clones share the configuration, the connection pool, the credentials cache and the retry quota."
    );
    let docs = doc(&doc_text);
    Ok(quote! {
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

            /// The endpoint requests go to with this client's configuration, or
            /// why there is none (for example FIPS requested in a partition without it).
            pub fn endpoint(&self) -> Result<#rt::endpoint::Endpoint, #rt::RequestError> {
                self.handle.resolve_endpoint()
            }

            #(#methods)*

            #(#waiters)*
        }

        #info
    })
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
        pub use #rt::config::{ConfigLoader, MinimumThroughput, PoolConfig, ResponseLimits, SdkConfig, TimeoutConfig};
        pub use #rt::credentials::{Credentials, ProvideCredentials};
        pub use #rt::env::Env;
        pub use #rt::http::{HttpClient, HyperClient};
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

/// `src/endpoint.rs`: the compiled rules, their tests, and the mapping from
/// the client's configuration (the built-ins) to the rules' parameters.
fn endpoint(service: &Service) -> Result<TokenStream, Error> {
    let rt = rt();
    let rule_error = |e: crate::endpoint_rules::EndpointRulesError| Error::Unsupported {
        path: String::new(),
        shape: service.id.to_string(),
        message: format!("endpoint rules: {e}"),
    };
    let Some(rule_set) = &service.endpoint_rule_set else {
        return Ok(quote! {
            //! Endpoint resolution. The model has no endpoint rules, so requests
            //! go to the configured endpoint URL, which must be set.
            pub(crate) fn resolve_from_config(
                config: &#rt::client::EndpointConfig<'_>,
            ) -> Result<#rt::endpoint::Endpoint, #rt::endpoint::ResolveEndpointError> {
                match config.endpoint_url {
                    Some(url) => Ok(#rt::endpoint::Endpoint::new(url)),
                    None => Err(#rt::endpoint::ResolveEndpointError::new(
                        "this service's model has no endpoint rules: set an endpoint URL",
                    )),
                }
            }
        });
    };
    let EndpointModule {
        params,
        module,
        tests,
    } = compile_endpoint_rules(rule_set, service.endpoint_tests.as_ref()).map_err(rule_error)?;
    let fields: Vec<TokenStream> = params
        .iter()
        .filter_map(|p| {
            let field = ident(&p.field);
            let plain = p.default.is_some();
            let value = match (p.built_in.as_deref()?, p.ty) {
                ("AWS::Region", ParamType::String) => quote!(config.region),
                ("SDK::Endpoint", ParamType::String) => quote!(config.endpoint_url),
                ("AWS::UseFIPS", ParamType::Boolean) => quote!(config.use_fips),
                ("AWS::UseDualStack", ParamType::Boolean) => quote!(config.use_dual_stack),
                // Other built-ins (account ID, S3 and STS settings) have no
                // configuration here; they keep the rule set's default.
                _ => return None,
            };
            Some(match (p.ty, plain) {
                (ParamType::Boolean, true) => quote!(#field: #value),
                (ParamType::Boolean, false) => quote!(#field: Some(#value)),
                (_, true) => {
                    quote!(#field: #value.map_or_else(|| Params::default().#field, str::to_owned))
                }
                (_, false) => quote!(#field: #value.map(str::to_owned)),
            })
        })
        .collect();
    let rest = if fields.len() == params.len() {
        quote!()
    } else {
        quote!(..Params::default())
    };
    Ok(quote! {
        //! Endpoint resolution, compiled from the service's endpoint rule set.
        //!
        //! [`resolve`] maps [`Params`] to an endpoint; the client fills the
        //! parameters from its configuration (region, FIPS, dual-stack,
        //! endpoint URL). Each of the model's endpoint test cases is a test below.
        #module

        /// The rule set's parameters from the client's configuration.
        pub(crate) fn resolve_from_config(
            config: &#rt::client::EndpointConfig<'_>,
        ) -> Result<#rt::endpoint::Endpoint, #rt::endpoint::ResolveEndpointError> {
            resolve(&Params {
                #(#fields,)*
                #rest
            })
        }

        #tests
    })
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

[dev-dependencies]
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}
"#,
        name = options.crate_name(service),
        version = options.crate_version,
        title = service.title,
        runtime = options.runtime_path,
    )
}
