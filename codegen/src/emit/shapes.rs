//! The files of `types/` and `error/`: one per named type (a structure with
//! its builder, a union, or an enum, each with the JSON codec directions the
//! service uses), and the modules listing them. Structures are in
//! `structure.rs`.

use super::codec::{read_value, write_value};
use super::rust::{deprecated, doc, doc_opt, gated, rt, RustType};
use super::structure::structure;
use crate::ir::{Codecs, Enum, Service, TypeDef, Union};
use crate::model::EnumLiteral;
use proc_macro2::TokenStream;
use quote::quote;

/// `types/*.rs`, `types/mod.rs`, `error/*.rs`, `error/mod.rs`.
pub fn emit_types(service: &Service) -> Vec<(String, TokenStream)> {
    let rt = rt();
    let mut files = Vec::new();
    let mut types_mod = Vec::new();
    let mut types_builders = Vec::new();
    let mut error_mod = Vec::new();
    let mut error_builders = Vec::new();
    for (id, def) in &service.types {
        let mod_ident = def.module();
        let module = mod_ident.unraw();
        let name = def.name();
        let codecs = service.codecs(id);
        let (tokens, has_builder) = match def {
            TypeDef::Structure(s) => (structure(service, s, None), true),
            TypeDef::Union(u) => (union(service, u, codecs), false),
            TypeDef::Enum(e) => (enumeration(e, codecs), false),
        };
        let is_error = def.is_error();
        let dir = if is_error { "error" } else { "types" };
        files.push((format!("src/{dir}/{module}.rs"), tokens));
        let (m, b) = if is_error {
            (&mut error_mod, &mut error_builders)
        } else {
            (&mut types_mod, &mut types_builders)
        };
        m.push(quote!(mod #mod_ident; pub use #mod_ident::#name;));
        if let (true, TypeDef::Structure(s)) = (has_builder, def) {
            let builder = &s.builder;
            b.push(quote!(pub use super::#mod_ident::#builder;));
        }
    }
    files.push((
        "src/types/mod.rs".to_owned(),
        quote! {
            //! The data types of the service API: structures, unions and enums.
            //!
            //! Structures are built with their builder (`Type::builder()`); enums
            //! keep values this client does not know in their `Unknown` variant.
            #(#types_mod)*
            /// Builders for the structures in this module.
            pub mod builders {
                #(#types_builders)*
            }
        },
    ));
    let crate_error = super::errors::crate_error(service);
    files.push((
        "src/error/mod.rs".to_owned(),
        quote! {
            //! Errors: the service's modelled errors, the crate-level error any
            //! operation's error converts into, and what can go wrong on the way
            //! to an answer.
            #(#error_mod)*
            /// Builders for the errors in this module.
            pub mod builders {
                #(#error_builders)*
            }
            pub use #rt::{
                BuildError, ErrorMeta, ProvideErrorMetadata, RequestError, RequestErrorKind,
                Unhandled,
            };
            #crate_error
        },
    ));
    files
}

fn union(service: &Service, u: &Union, codecs: Codecs) -> TokenStream {
    let rt = rt();
    let name = &u.name;
    let label = u.name.unraw();
    let docs = doc_opt(u.docs.as_deref());
    let dep = deprecated(u.deprecated.as_ref());
    let variants = u.variants.iter().map(|v| {
        let vname = &v.name;
        let docs = doc_opt(v.docs.as_deref());
        let dep = deprecated(v.deprecated.as_ref());
        match &v.ty {
            None => quote!(#docs #dep #vname),
            Some(ty) => {
                let t = RustType::of(service, ty);
                let t = if v.boxed { quote!(Box<#t>) } else { quote!(#t) };
                quote!(#docs #dep #vname(#t))
            }
        }
    });
    let sensitive = u.sensitive || u.variants.iter().any(|v| v.sensitive);
    let serde = super::serde::union(u);
    let (derive, debug) = if sensitive {
        (
            quote!(#[derive(Clone, PartialEq)]),
            quote! {
                impl ::std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#rt::REDACTED)
                    }
                }
            },
        )
    } else {
        (quote!(#[derive(Clone, PartialEq, Debug)]), quote!())
    };
    let ser = {
        let gate = gated(codecs.serialize);
        let arms = u.variants.iter().map(|v| {
            let vname = &v.name;
            let key = &v.member;
            match &v.ty {
                None => quote!(Self::#vname => { o.key(#key).object().end(); }),
                Some(ty) => {
                    let write = write_value(ty, quote!(v), quote!(o.key(#key)));
                    quote!(Self::#vname(v) => { #write; })
                }
            }
        });
        let unknown_msg = format!("cannot send the `Unknown` variant of union `{label}`");
        quote! {
            #gate
            #[doc(hidden)]
            impl #rt::json::Serialize for #name {
                fn serialize(&self, w: #rt::json::ValueWriter<'_>) {
                    if let Self::Unknown = self {
                        return w.invalid(#unknown_msg);
                    }
                    let mut o = w.object();
                    match self {
                        #(#arms)*
                        Self::Unknown => {}
                    }
                    o.end();
                }
            }
        }
    };
    let de = {
        let gate = gated(codecs.deserialize);
        let arms = u.variants.iter().map(|v| {
            let vname = &v.name;
            let key = &v.member;
            match &v.ty {
                None => quote!(#key => { r.skip_value()?; Self::#vname }),
                Some(ty) => {
                    let read = read_value(service, ty);
                    let read = if v.boxed {
                        quote!(Box::new(#read))
                    } else {
                        read
                    };
                    quote!(#key => Self::#vname(#read))
                }
            }
        });
        let several = format!("more than one member of union `{label}` is set");
        quote! {
            #gate
            #[doc(hidden)]
            impl #rt::json::Deserialize for #name {
                fn deserialize(r: &mut #rt::json::JsonReader<'_>) -> Result<Self, #rt::json::DeserializeError> {
                    let mut value = None;
                    r.object(|r, key| {
                        // `__type` is informational and nulls mean absent (awsJson).
                        if key == "__type" || r.read_null()? {
                            return if key == "__type" { r.skip_value() } else { Ok(()) };
                        }
                        let v = match key {
                            #(#arms,)*
                            _ => { r.skip_value()?; Self::Unknown }
                        };
                        if value.is_some() {
                            return Err(#rt::json::DeserializeError::custom(r, #several));
                        }
                        value = Some(v);
                        Ok(())
                    })?;
                    Ok(value.unwrap_or(Self::Unknown))
                }
            }
        }
    };
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #derive
        pub enum #name {
            #(#variants,)*
            /// A member this client does not know (the service added it after
            /// this client was generated). It cannot be sent.
            Unknown,
        }
        #debug
        #ser
        #de
        #serde
    }
}

fn enumeration(e: &Enum, codecs: Codecs) -> TokenStream {
    if e.int {
        return int_enumeration(e, codecs);
    }
    let rt = rt();
    let name = &e.name;
    let docs = doc_opt(e.docs.as_deref());
    let dep = deprecated(e.deprecated.as_ref());
    let values: Vec<String> = e
        .variants
        .iter()
        .map(|v| match &v.value {
            EnumLiteral::String(s) => s.clone(),
            EnumLiteral::Int(i) => i.to_string(),
        })
        .collect();
    let variants = e.variants.iter().zip(&values).map(|(v, value)| {
        let vname = &v.name;
        let fallback = format!("`{value}`");
        let docs = doc(v.docs.as_deref().unwrap_or(&fallback));
        let dep = deprecated(v.deprecated.as_ref());
        quote!(#docs #dep #vname)
    });
    let names: Vec<_> = e.variants.iter().map(|v| &v.name).collect();
    let serde = super::serde::enumeration(&quote!(#name), false);
    let (derive, debug) = if e.sensitive {
        (
            quote!(#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]),
            quote! {
                impl ::std::fmt::Debug for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#rt::REDACTED)
                    }
                }
            },
        )
    } else {
        (
            quote!(#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]),
            quote!(),
        )
    };
    let (ser_gate, de_gate) = (gated(codecs.serialize), gated(codecs.deserialize));
    let ser = quote! {
        #ser_gate
        #[doc(hidden)]
        impl #rt::json::Serialize for #name {
            fn serialize(&self, w: #rt::json::ValueWriter<'_>) {
                w.string(self.as_str())
            }
        }
    };
    let de = quote! {
        #de_gate
        #[doc(hidden)]
        impl #rt::json::Deserialize for #name {
            fn deserialize(r: &mut #rt::json::JsonReader<'_>) -> Result<Self, #rt::json::DeserializeError> {
                r.str().map(|value| {
                    Self::known(&value).unwrap_or_else(|| Self::Unknown(#rt::UnknownValue::new(value.into_owned())))
                })
            }
        }
    };
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #derive
        pub enum #name {
            #(#variants,)*
            /// A value this client does not know (the service added it after this
            /// client was generated); it is sent back unchanged.
            Unknown(#rt::UnknownValue),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#names => #values,)*
                    Self::Unknown(v) => v.as_str(),
                }
            }

            /// Every value this client knows, as sent on the wire.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }

            /// The known value `value` is, if it is one: what is read needs no
            /// copy unless it is unknown.
            fn known(value: &str) -> Option<Self> {
                match value {
                    #(#values => Some(Self::#names),)*
                    _ => None,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                Self::known(&value).unwrap_or_else(|| Self::Unknown(#rt::UnknownValue::new(value)))
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Unknown(#rt::UnknownValue::new(value.to_owned())))
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #debug
        #ser
        #de
        #serde
    }
}

fn int_enumeration(e: &Enum, codecs: Codecs) -> TokenStream {
    let rt = rt();
    let name = &e.name;
    let docs = doc_opt(e.docs.as_deref());
    let dep = deprecated(e.deprecated.as_ref());
    let values: Vec<i32> = e
        .variants
        .iter()
        .map(|v| match v.value {
            EnumLiteral::Int(i) => i32::try_from(i).unwrap_or_default(),
            EnumLiteral::String(_) => 0,
        })
        .collect();
    let variants = e.variants.iter().zip(&values).map(|(v, value)| {
        let vname = &v.name;
        let fallback = format!("`{value}`");
        let docs = doc(v.docs.as_deref().unwrap_or(&fallback));
        let dep = deprecated(v.deprecated.as_ref());
        quote!(#docs #dep #vname)
    });
    let names: Vec<_> = e.variants.iter().map(|v| &v.name).collect();
    let (ser_gate, de_gate) = (gated(codecs.serialize), gated(codecs.deserialize));
    let serde = super::serde::enumeration(&quote!(#name), true);
    let ser = quote! {
        #ser_gate
        #[doc(hidden)]
        impl #rt::json::Serialize for #name {
            fn serialize(&self, w: #rt::json::ValueWriter<'_>) {
                w.integer(i64::from(self.as_i32()))
            }
        }
    };
    let de = quote! {
        #de_gate
        #[doc(hidden)]
        impl #rt::json::Deserialize for #name {
            fn deserialize(r: &mut #rt::json::JsonReader<'_>) -> Result<Self, #rt::json::DeserializeError> {
                <i32 as #rt::json::Deserialize>::deserialize(r).map(Self::from)
            }
        }
    };
    quote! {
        #docs
        #dep
        #[non_exhaustive]
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub enum #name {
            #(#variants,)*
            /// A value this client does not know; it is sent back unchanged.
            Unknown(i32),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(Self::#names => #values,)*
                    Self::Unknown(v) => *v,
                }
            }

            /// Every value this client knows.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#values => Self::#names,)*
                    other => Self::Unknown(other),
                }
            }
        }

        #ser
        #de
        #serde
    }
}
