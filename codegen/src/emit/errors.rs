//! Error enums: each operation's (`<Op>Error`: its modelled errors, an
//! unmodelled error response, or no usable answer) and the crate-level
//! `Error` every operation error converts into, so `?` works in a function
//! returning it. Both share their shape, so their `Display`, `source`,
//! `meta`, `is_*` helpers and the runtime's `ProvideErrorMetadata` are
//! written once here.

use super::rust::{doc, rt};
use crate::ir::{Operation, Service};
use crate::naming::Ident;
use proc_macro2::TokenStream;
use quote::quote;

/// One modelled variant of an error enum.
struct Modeled<'a> {
    variant: &'a Ident,
    ty: &'a Ident,
    is_method: &'a Ident,
    code: &'a str,
    summary: Option<&'a str>,
}

/// The enum, its inherent methods and the trait impls both kinds of error
/// enum have.
/// `methods` go into the enum's inherent `impl`.
fn error_enum(
    name: &Ident,
    docs: &str,
    variants: &[Modeled<'_>],
    methods: TokenStream,
) -> TokenStream {
    let rt = rt();
    let docs = doc(docs);
    let defs = variants.iter().map(|m| {
        let (v, ty) = (m.variant, m.ty);
        let docs = match m.summary {
            Some(summary) => doc(&format!("`{}`: {summary}", m.code)),
            None => doc(&format!("The service answered with the error `{}`.", m.code)),
        };
        quote!(#docs #v(crate::error::#ty))
    });
    let parts = variants.iter().map(|m| {
        let v = m.variant;
        quote!(Self::#v(e) => #rt::client::ErrorParts::Modeled(e),)
    });
    let is_methods = variants.iter().map(|m| {
        let (v, is) = (m.variant, m.is_method);
        let docs = doc(&format!("Whether this is the `{}` error.", m.code));
        quote! {
            #docs
            pub fn #is(&self) -> bool {
                matches!(self, Self::#v(_))
            }
        }
    });
    quote! {
        #docs
        #[non_exhaustive]
        #[derive(Debug)]
        pub enum #name {
            #(#defs,)*
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

            #(#is_methods)*

            #methods

            fn parts(&self) -> #rt::client::ErrorParts<'_> {
                match self {
                    #(#parts)*
                    Self::Unhandled(e) => #rt::client::ErrorParts::Unhandled(e),
                    Self::Request(e) => #rt::client::ErrorParts::Request(e),
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

        impl #rt::ProvideErrorMetadata for #name {
            fn code(&self) -> Option<&str> {
                self.parts().code()
            }
            fn message(&self) -> Option<&str> {
                self.parts().message()
            }
            fn request_id(&self) -> Option<&str> {
                self.parts().request_id()
            }
        }
    }
}

/// An operation's error enum, how a failed call becomes one, and its
/// conversion into the crate-level error.
pub fn operation_error(service: &Service, op: &Operation) -> TokenStream {
    let rt = rt();
    let name = &op.error;
    let variants: Vec<Modeled<'_>> = op
        .errors
        .iter()
        .map(|e| Modeled {
            variant: &e.variant,
            ty: &e.ty,
            is_method: &e.is_method,
            code: &e.code,
            summary: e.summary.as_deref(),
        })
        .collect();
    let docs = format!(
        "What can go wrong with `{}`: the errors the model lists for it, an error response the model does not describe, or no usable answer at all.",
        op.name
    );
    // Each arm parses with `ServiceError::modeled::<T>`, generic over the
    // error type only: one copy per error type, shared by every operation
    // (a generic helper taking the variant was one per operation and error).
    let parses = op.errors.iter().map(|e| {
        let (v, code) = (&e.variant, &e.code);
        quote!(Some(#code) => Self::#v(e.modeled()?),)
    });
    let (service_error, from_service) = if op.errors.is_empty() {
        (quote!(Self::Unhandled(#rt::Unhandled::new(e.meta))), None)
    } else {
        let from_service = quote! {
            fn from_service(e: &#rt::client::ServiceError) -> Result<Self, #rt::RequestError> {
                let error = match e.code() {
                    #(#parses)*
                    _ => Self::Unhandled(#rt::Unhandled::new(e.meta.clone())),
                };
                Ok(error)
            }
        };
        (
            quote!(Self::from_service(&e).unwrap_or_else(Self::Request)),
            Some(from_service),
        )
    };
    let krate = &service.error.name;
    let into_crate = op.errors.iter().map(|e| {
        let (v, cv) = (&e.variant, &e.crate_variant);
        quote!(#name::#v(e) => Self::#cv(e),)
    });
    let from_call = quote! {
        fn from_call(error: #rt::client::CallError) -> Self {
            match error {
                #rt::client::CallError::Request(e) => Self::Request(e),
                #rt::client::CallError::Service(e) => #service_error,
            }
        }

        #from_service
    };
    let common = error_enum(name, &docs, &variants, from_call);
    let mock = super::mock::error_impl(op);
    quote! {
        #common
        #mock

        impl From<#name> for crate::#krate {
            fn from(e: #name) -> Self {
                match e {
                    #(#into_crate)*
                    #name::Unhandled(e) => Self::Unhandled(e),
                    #name::Request(e) => Self::Request(e),
                }
            }
        }
    }
}

/// The crate-level error (in `error/mod.rs`, re-exported at the root).
pub fn crate_error(service: &Service) -> TokenStream {
    let rt = rt();
    let error = &service.error;
    let name = &error.name;
    let variants: Vec<Modeled<'_>> = error
        .variants
        .iter()
        .map(|v| Modeled {
            variant: &v.variant,
            ty: &v.ty,
            is_method: &v.is_method,
            code: &v.code,
            summary: v.summary.as_deref(),
        })
        .collect();
    let docs = "Any error of this client: every operation's error converts into it (`?` works in a function returning it), as do [`RequestError`] and [`BuildError`].\n\nMatch on the modelled errors, or ask any error for its code, message and request ID with [`ProvideErrorMetadata`].";
    let common = error_enum(name, docs, &variants, quote!());
    quote! {
        #common

        impl From<#rt::BuildError> for #name {
            fn from(e: #rt::BuildError) -> Self {
                Self::Request(e.into())
            }
        }
    }
}
