//! Structures (with builders), unions and enums, and their JSON codecs.
//!
//! One file per named type under `src/types/` (errors under `src/error/`),
//! each holding the type, its builder, and the hidden `Serialize` /
//! `Deserialize` impls the type needs (only the directions the service
//! uses). Operation inputs and outputs reuse [`structure`] from
//! `operation.rs`.

use super::rust::{
    default_value, deprecated, doc, doc_or, field_type, ident, read_value, rt, rust_type,
    stored_type, write_value,
};
use crate::error::Error;
use crate::ir::{Enum, Field, Role, Service, Structure, Type, TypeDef, Union};
use crate::model::EnumLiteral;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `types/*.rs`, `types/mod.rs`, `error/*.rs`, `error/mod.rs`.
pub fn emit_types(service: &Service) -> Result<Vec<(String, TokenStream)>, Error> {
    let mut files = Vec::new();
    let mut types_mod = Vec::new();
    let mut types_builders = Vec::new();
    let mut error_mod = Vec::new();
    let mut error_builders = Vec::new();
    for (id, def) in &service.types {
        let module = def.module();
        let mod_ident = ident(&module);
        let name = format_ident!("{}", def.name());
        let ser = service.serialized.contains(id);
        let de = service.deserialized.contains(id);
        let (tokens, has_builder) = match def {
            TypeDef::Structure(s) => (structure(service, s, ser, de)?, true),
            TypeDef::Union(u) => (union(service, u, ser, de), false),
            TypeDef::Enum(e) => (enumeration(e, ser, de), false),
        };
        let is_error = matches!(def, TypeDef::Structure(s) if s.role == Role::Error);
        let dir = if is_error { "error" } else { "types" };
        files.push((format!("src/{dir}/{module}.rs"), tokens));
        let (m, b) = if is_error {
            (&mut error_mod, &mut error_builders)
        } else {
            (&mut types_mod, &mut types_builders)
        };
        m.push(quote!(mod #mod_ident; pub use #mod_ident::#name;));
        if has_builder {
            let builder = format_ident!("{}Builder", def.name());
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
    files.push((
        "src/error/mod.rs".to_owned(),
        quote! {
            //! Errors: the service's modelled errors, and what can go wrong on the
            //! way to an answer.
            #(#error_mod)*
            /// Builders for the errors in this module.
            pub mod builders {
                #(#error_builders)*
            }
            pub use ::aws_json_runtime::{BuildError, ErrorMeta, RequestError, RequestErrorKind, Unhandled};
        },
    ));
    Ok(files)
}

/// `generics` are the impl's (`<H>` for `Builder<H>`, whose handle is left
/// out of the output).
fn debug_impl(
    name: &str,
    fields: &[Field],
    sensitive_all: bool,
    ty: TokenStream,
    generics: TokenStream,
) -> TokenStream {
    let rt = rt();
    let label = name.to_string();
    let body = if sensitive_all {
        quote!(f.write_str(#rt::REDACTED))
    } else {
        let fields = fields.iter().map(|field| {
            let f_ident = ident(&field.name);
            let label = crate::naming::unraw(&field.name);
            if field.sensitive {
                quote!(d.field(#label, &#rt::Redacted);)
            } else {
                quote!(d.field(#label, &self.#f_ident);)
            }
        });
        quote! {
            let mut d = f.debug_struct(#label);
            #(#fields)*
            d.finish()
        }
    };
    quote! {
        impl #generics ::std::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

/// Whether `Debug` can be derived (nothing to redact).
fn plain_debug(fields: &[Field], sensitive_all: bool) -> bool {
    !sensitive_all && fields.iter().all(|f| !f.sensitive)
}

/// The setter argument type and the conversion into the stored value.
fn setter_arg(service: &Service, field: &Field) -> (TokenStream, TokenStream) {
    let t = rust_type(service, &field.ty);
    let into = match &field.ty {
        Type::String => true,
        Type::Named(id) => matches!(service.type_def(id), Some(TypeDef::Enum(_))),
        _ => false,
    };
    let value = if into {
        quote!(input.into())
    } else {
        quote!(input)
    };
    let value = if field.boxed {
        quote!(Box::new(#value))
    } else {
        value
    };
    if into {
        (quote!(impl Into<#t>), value)
    } else {
        (t, value)
    }
}

/// Which setters to generate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Setters {
    /// A builder's own: they set its fields; their docs link to the struct's.
    Builder,
    /// An operation input's builder, which users meet as the fluent builder:
    /// they set its fields and carry the members' full documentation.
    Fluent,
}

/// Builder setters: `x(value)` (appending for lists, inserting for maps)
/// and `set_x(Option<..>)` replacing.
pub fn setters(service: &Service, owner: &str, fields: &[Field], mode: Setters) -> TokenStream {
    let full_docs = mode == Setters::Fluent;
    let setters = fields.iter().map(|field| {
        let f = ident(&field.name);
        let plain = crate::naming::unraw(&field.name);
        let set = format_ident!("set_{}", plain);
        let stored = stored_type(service, field);
        let dep = deprecated(field.deprecated.as_ref());
        let docs = if full_docs {
            doc_or(field.docs.as_deref(), &format!("Sets `{plain}`."))
        } else {
            doc(&format!("Sets [`{owner}::{plain}`]."))
        };
        let set_doc = doc(&format!(
            "Sets or clears `{plain}` (see [`{plain}`](Self::{f})).",
            f = plain
        ));
        let single = match &field.ty {
            Type::List { member, sparse: false } if !field.boxed => {
                let (arg, conv) = setter_arg(
                    service,
                    &Field {
                        ty: (**member).clone(),
                        boxed: false,
                        ..field.clone()
                    },
                );
                let append_body = quote!(self.#f.get_or_insert_with(Vec::new).push(#conv); self);
                let append = doc(&format!(
                    "Appends one item to `{plain}`; use [`set_{plain}`](Self::set_{plain}) to replace the list."
                ));
                quote! {
                    #docs
                    #[doc = ""]
                    #append
                    #dep
                    pub fn #f(mut self, input: #arg) -> Self {
                        #append_body
                    }
                }
            }
            Type::Map { key, value, sparse: false } if !field.boxed => {
                let k = rust_type(service, key);
                let (arg, conv) = setter_arg(
                    service,
                    &Field {
                        ty: (**value).clone(),
                        boxed: false,
                        ..field.clone()
                    },
                );
                let insert_body = quote! {
                    self.#f.get_or_insert_with(::std::collections::BTreeMap::new).insert(key.into(), #conv);
                    self
                };
                let insert = doc(&format!(
                    "Inserts one entry into `{plain}`; use [`set_{plain}`](Self::set_{plain}) to replace the map."
                ));
                quote! {
                    #docs
                    #[doc = ""]
                    #insert
                    #dep
                    pub fn #f(mut self, key: impl Into<#k>, input: #arg) -> Self {
                        #insert_body
                    }
                }
            }
            _ => {
                let (arg, conv) = setter_arg(service, field);
                let body = quote!(self.#f = Some(#conv); self);
                quote! {
                    #docs
                    #dep
                    pub fn #f(mut self, input: #arg) -> Self {
                        #body
                    }
                }
            }
        };
        let set_body = quote!(self.#f = input; self);
        quote! {
            #single
            #set_doc
            #dep
            pub fn #set(mut self, input: Option<#stored>) -> Self {
                #set_body
            }
        }
    });
    quote!(#(#setters)*)
}

/// Whether the builder's `build` can fail: a present field with neither a
/// value nor a default, or an input's `@required` member (idempotency
/// tokens excepted: they are filled in when unset).
pub fn build_is_fallible(s: &Structure) -> bool {
    s.fields.iter().any(|f| {
        if f.optional {
            s.role == Role::Input && f.required && !f.idempotency_token
        } else {
            f.default.is_none()
        }
    })
}

/// The builder's `build`; see [`build_is_fallible`].
fn build_fn(service: &Service, s: &Structure) -> Result<TokenStream, Error> {
    let rt = rt();
    let name = format_ident!("{}", s.name);
    let label = &s.name;
    let fallible = build_is_fallible(s);
    let mut checks = Vec::new();
    let mut inits = Vec::new();
    for field in &s.fields {
        let f = ident(&field.name);
        let plain = crate::naming::unraw(&field.name);
        if field.optional {
            if s.role == Role::Input && field.required && !field.idempotency_token {
                checks.push(quote! {
                    if self.#f.is_none() {
                        return Err(#rt::BuildError::missing_member(#label, #plain));
                    }
                });
            }
            inits.push(quote!(#f: self.#f));
        } else if let Some(fallback) = default_fallback(service, s, field)? {
            inits.push(quote!(#f: self.#f.#fallback));
        } else {
            inits.push(quote!(#f: #rt::error::required(self.#f, #label, #plain)?));
        }
    }
    if s.role == Role::Error {
        inits.push(quote!(meta: Default::default()));
    }
    let doc_text = if fallible {
        format!(
            "Builds the [`{label}`]; fails, naming the member, when a required member is unset."
        )
    } else {
        format!("Builds the [`{label}`].")
    };
    let docs = doc(&doc_text);
    Ok(if fallible {
        quote! {
            #docs
            pub fn build(self) -> Result<#name, #rt::BuildError> {
                #(#checks)*
                Ok(#name { #(#inits),* })
            }
        }
    } else {
        quote! {
            #docs
            pub fn build(self) -> #name {
                #name { #(#inits),* }
            }
        }
    })
}

fn serialize_impl(s: &Structure) -> TokenStream {
    let rt = rt();
    let name = format_ident!("{}", s.name);
    let members = s.fields.iter().map(|field| {
        let f = ident(&field.name);
        let key = &field.member;
        if field.optional && super::rust::generic(&field.ty) {
            quote!(o.optional(#key, self.#f.as_ref());)
        } else if field.optional {
            let write = write_value(&field.ty, quote!(v), quote!(o.key(#key)));
            quote!(if let Some(v) = &self.#f { #write; })
        } else {
            let write = write_value(&field.ty, quote!(&self.#f), quote!(o.key(#key)));
            quote!(#write;)
        }
    });
    let o = if s.fields.is_empty() {
        quote!(o)
    } else {
        quote!(mut o)
    };
    quote! {
        #[doc(hidden)]
        impl #rt::json::Serialize for #name {
            fn serialize(&self, w: #rt::json::ValueWriter<'_>) {
                let #o = w.object();
                #(#members)*
                o.end();
            }
        }
    }
}

/// For a member with `@default`: the method call that turns the builder's
/// `Option` into the field's value (`unwrap_or(5i32)`, `unwrap_or_default()`,
/// `unwrap_or_else(|| "none".to_owned())`), the cheapest that clippy accepts.
fn default_fallback(
    service: &Service,
    s: &Structure,
    field: &Field,
) -> Result<Option<TokenStream>, Error> {
    let Some(default) = &field.default else {
        return Ok(None);
    };
    let at = s.id.member(&field.member).to_string();
    let value = default_value(service, &field.ty, default, &at)?;
    let empty = match default {
        serde_json::Value::String(text) => text.is_empty() && field.ty == Type::String,
        serde_json::Value::Array(items) => items.is_empty(),
        serde_json::Value::Object(members) => {
            members.is_empty() && matches!(field.ty, Type::Map { .. })
        }
        _ => false,
    };
    let copy = matches!(
        field.ty,
        Type::Bool
            | Type::Byte
            | Type::Short
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
    );
    Ok(Some(if field.boxed {
        quote!(unwrap_or_else(|| Box::new(#value)))
    } else if empty {
        quote!(unwrap_or_default())
    } else if copy {
        quote!(unwrap_or(#value))
    } else {
        quote!(unwrap_or_else(|| #value))
    }))
}

/// The value of a `@required` member read into `b.<field>`, filled with the
/// type's zero value when the response omits it (SPEC "client error
/// correction").
fn corrected(service: &Service, field: &Field) -> TokenStream {
    let rt = rt();
    let f = ident(&field.name);
    let named = match &field.ty {
        Type::Named(id) => Some((id, super::rust::named_path(service, id))),
        _ => None,
    };
    match named {
        None => quote!(b.#f.unwrap_or_default()),
        Some((id, path)) => match service.type_def(id) {
            Some(TypeDef::Enum(e)) if !e.int => quote!(b.#f.unwrap_or_else(|| #path::from(""))),
            Some(TypeDef::Enum(_)) => quote!(b.#f.unwrap_or_else(|| #path::from(0))),
            _ => {
                // A structure or union read from `{}` is its own corrected
                // zero value (members corrected recursively, a union Unknown).
                let zero = quote!(#rt::json::from_slice::<#path>(b"{}")?);
                let zero = if field.boxed {
                    quote!(Box::new(#zero))
                } else {
                    zero
                };
                quote!(match b.#f { Some(v) => v, None => #zero })
            }
        },
    }
}

fn deserialize_impl(service: &Service, s: &Structure) -> Result<TokenStream, Error> {
    let rt = rt();
    let name = format_ident!("{}", s.name);
    let builder = format_ident!("{}Builder", s.name);
    // Members are read into the builder, so model names only ever appear as
    // field accesses (`b.key`), never as locals that could shadow `r`/`key`.
    let arms = s.fields.iter().map(|field| {
        let f = ident(&field.name);
        let key = &field.member;
        if super::rust::generic(&field.ty) {
            // The field's type says what to read (`Box<T>` reads a `T`).
            return quote!(#key => b.#f = r.nullable()?);
        }
        let read = read_value(service, &field.ty);
        let read = if field.boxed {
            quote!(Box::new(#read))
        } else {
            read
        };
        quote!(#key => if !r.read_null()? { b.#f = Some(#read); })
    });
    let mut inits = Vec::with_capacity(s.fields.len());
    for field in &s.fields {
        let f = ident(&field.name);
        // An absent member takes its `@default`, else (a `@required` one) the
        // corrected zero value.
        inits.push(if field.optional {
            quote!(#f: b.#f)
        } else if let Some(fallback) = default_fallback(service, s, field)? {
            quote!(#f: b.#f.#fallback)
        } else {
            let value = corrected(service, field);
            quote!(#f: #value)
        });
    }
    let meta = if s.role == Role::Error {
        quote!(meta: Default::default())
    } else {
        quote!()
    };
    let body = if s.fields.is_empty() {
        quote!(r.object(|r, _| r.skip_value())?;)
    } else {
        quote! {
            let mut b = #builder::default();
            r.object(|r, key| {
                match key {
                    #(#arms,)*
                    _ => r.skip_value()?,
                }
                Ok(())
            })?;
        }
    };
    Ok(quote! {
        #[doc(hidden)]
        impl #rt::json::Deserialize for #name {
            fn deserialize(r: &mut #rt::json::JsonReader<'_>) -> Result<Self, #rt::json::DeserializeError> {
                #body
                Ok(#name { #(#inits,)* #meta })
            }
        }
    })
}

/// A structure, its builder, and the codecs asked for.
pub fn structure(
    service: &Service,
    s: &Structure,
    ser: bool,
    de: bool,
) -> Result<TokenStream, Error> {
    let name = format_ident!("{}", s.name);
    let builder = format_ident!("{}Builder", s.name);
    let docs = doc_or(
        s.docs.as_deref(),
        &format!("The `{}` structure.", s.id.name()),
    );
    let dep = deprecated(s.deprecated.as_ref());
    let fields = s.fields.iter().map(|field| {
        let f = ident(&field.name);
        let t = field_type(service, field);
        let docs = doc_or(field.docs.as_deref(), "");
        let dep = deprecated(field.deprecated.as_ref());
        let sensitive = if field.sensitive {
            doc("\n*This value is sensitive: `Debug` output redacts it.*")
        } else {
            quote!()
        };
        quote!(#docs #sensitive #dep pub #f: #t)
    });
    let meta_field = if s.role == Role::Error {
        let rt = rt();
        quote!(pub(crate) meta: #rt::ErrorMeta,)
    } else {
        quote!()
    };
    let builder_fields = s.fields.iter().map(|field| {
        let f = ident(&field.name);
        let t = stored_type(service, field);
        quote!(#f: Option<#t>)
    });
    let derive_debug = plain_debug(&s.fields, s.sensitive);
    let (derive, debug) = if derive_debug {
        (quote!(#[derive(Clone, PartialEq, Debug)]), quote!())
    } else {
        (
            quote!(#[derive(Clone, PartialEq)]),
            debug_impl(&s.name, &s.fields, s.sensitive, quote!(#name), quote!()),
        )
    };
    // An operation input's builder is also the operation's fluent builder and
    // its waiters' builders: it carries what sends it (`H`: nothing, the
    // client, or a waiter), so the setters exist once.
    let with_handle = s.role == Role::Input;
    // `struct Builder<H = ()>`, `impl<H> Builder<H>`.
    let (declared, generics, handle_field, rehandle) = if with_handle {
        let names = s.fields.iter().map(|field| ident(&field.name));
        (
            quote!(<H = ()>),
            quote!(<H>),
            quote!(handle: H,),
            quote! {
                /// The input set so far, with what will send it.
                pub(crate) fn with_handle<T>(self, handle: T) -> #builder<T> {
                    #builder { handle, #(#names: self.#names,)* }
                }
            },
        )
    } else {
        (quote!(), quote!(), quote!(), quote!())
    };
    let (bderive, bdebug) = if with_handle && !derive_debug {
        (
            quote!(#[derive(Clone, PartialEq, Default)]),
            debug_impl(
                &format!("{}Builder", s.name),
                &s.fields,
                s.sensitive,
                quote!(#builder #generics),
                generics.clone(),
            ),
        )
    } else if derive_debug {
        (
            quote!(#[derive(Clone, PartialEq, Default, Debug)]),
            quote!(),
        )
    } else {
        (
            quote!(#[derive(Clone, PartialEq, Default)]),
            debug_impl(
                &format!("{}Builder", s.name),
                &s.fields,
                s.sensitive,
                quote!(#builder),
                quote!(),
            ),
        )
    };
    let mode = if with_handle {
        Setters::Fluent
    } else {
        Setters::Builder
    };
    let setters = setters(service, &s.name, &s.fields, mode);
    let build = build_fn(service, s)?;
    let ser = if ser { serialize_impl(s) } else { quote!() };
    let de = if de {
        deserialize_impl(service, s)?
    } else {
        quote!()
    };
    let error_impls = if s.role == Role::Error {
        error_impls(s)
    } else {
        quote!()
    };
    let builder_doc = doc(&format!("A builder for [`{}`].", s.name));
    let new_doc = doc(&format!("A builder for [`{}`].", s.name));
    Ok(quote! {
        #docs
        #dep
        #[non_exhaustive]
        #derive
        pub struct #name {
            #(#fields,)*
            #meta_field
        }

        impl #name {
            #new_doc
            pub fn builder() -> #builder {
                #builder::default()
            }
        }

        #debug
        #error_impls

        #builder_doc
        #bderive
        pub struct #builder #declared {
            #handle_field
            #(#builder_fields,)*
        }

        impl #generics #builder #generics {
            #setters
            #build
            #rehandle
        }

        #bdebug
        #ser
        #de
    })
}

/// `Display` and `std::error::Error` for a modelled error: `Name: message`,
/// the message redacted when its shape is sensitive.
fn error_impls(s: &Structure) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let label = s.id.name();
    let message = s
        .fields
        .iter()
        .find(|f| f.member.eq_ignore_ascii_case("message") && f.ty == Type::String);
    let body = match message {
        Some(m) if m.sensitive => {
            let rt = rt();
            let fmt = format!("{label}: {{}}");
            quote!(write!(f, #fmt, #rt::REDACTED))
        }
        Some(m) => {
            let f_ident = ident(&m.name);
            let fmt = format!("{label}: {{}}");
            if m.optional {
                quote! {
                    match &self.#f_ident {
                        Some(m) => write!(f, #fmt, m),
                        None => f.write_str(#label),
                    }
                }
            } else {
                quote!(write!(f, #fmt, self.#f_ident))
            }
        }
        None => quote!(f.write_str(#label)),
    };
    let rt = rt();
    let set_meta = if message.is_some_and(|m| m.sensitive) {
        quote!(self.meta = meta.without_message();)
    } else {
        quote!(self.meta = meta;)
    };
    quote! {
        impl #name {
            /// The error code, HTTP status and request ID of the response.
            pub fn meta(&self) -> &#rt::ErrorMeta {
                &self.meta
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
        impl ::std::error::Error for #name {}
        #[doc(hidden)]
        impl #rt::client::ModeledError for #name {
            fn set_meta(&mut self, meta: #rt::ErrorMeta) {
                #set_meta
            }
        }
        #[doc(hidden)]
        impl #rt::client::Modeled for #name {
            fn error_meta(&self) -> &#rt::ErrorMeta {
                &self.meta
            }
        }
    }
}

fn union(service: &Service, u: &Union, ser: bool, de: bool) -> TokenStream {
    let rt = rt();
    let name = format_ident!("{}", u.name);
    let label = &u.name;
    let docs = doc_or(u.docs.as_deref(), &format!("The `{}` union.", u.id.name()));
    let dep = deprecated(u.deprecated.as_ref());
    let variants = u.variants.iter().map(|v| {
        let vname = format_ident!("{}", v.name);
        let docs = doc_or(v.docs.as_deref(), "");
        let dep = deprecated(v.deprecated.as_ref());
        if v.ty == Type::Unit {
            quote!(#docs #dep #vname)
        } else {
            let t = stored_type(service, v);
            quote!(#docs #dep #vname(#t))
        }
    });
    let sensitive = u.sensitive || u.variants.iter().any(|v| v.sensitive);
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
    let ser = if ser {
        let arms = u.variants.iter().map(|v| {
            let vname = format_ident!("{}", v.name);
            let key = &v.member;
            if v.ty == Type::Unit {
                quote!(Self::#vname => { o.key(#key).object().end(); })
            } else {
                let write = write_value(&v.ty, quote!(v), quote!(o.key(#key)));
                quote!(Self::#vname(v) => { #write; })
            }
        });
        let unknown_msg = format!("cannot send the `Unknown` variant of union `{label}`");
        quote! {
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
    } else {
        quote!()
    };
    let de = if de {
        let arms = u.variants.iter().map(|v| {
            let vname = format_ident!("{}", v.name);
            let key = &v.member;
            if v.ty == Type::Unit {
                quote!(#key => { r.skip_value()?; Self::#vname })
            } else {
                let read = read_value(service, &v.ty);
                let read = if v.boxed {
                    quote!(Box::new(#read))
                } else {
                    read
                };
                quote!(#key => Self::#vname(#read))
            }
        });
        let several = format!("more than one member of union `{label}` is set");
        quote! {
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
    } else {
        quote!()
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
    }
}

fn enumeration(e: &Enum, ser: bool, de: bool) -> TokenStream {
    if e.int {
        return int_enumeration(e, ser, de);
    }
    let rt = rt();
    let name = format_ident!("{}", e.name);
    let docs = doc_or(e.docs.as_deref(), &format!("The `{}` enum.", e.id.name()));
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
        let vname = format_ident!("{}", v.name);
        let fallback = format!("`{value}`");
        let docs = doc_or(v.docs.as_deref(), &fallback);
        let dep = deprecated(v.deprecated.as_ref());
        quote!(#docs #dep #vname)
    });
    let names: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
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
    let ser = if ser {
        quote! {
            #[doc(hidden)]
            impl #rt::json::Serialize for #name {
                fn serialize(&self, w: #rt::json::ValueWriter<'_>) {
                    w.string(self.as_str())
                }
            }
        }
    } else {
        quote!()
    };
    let de = if de {
        quote! {
            #[doc(hidden)]
            impl #rt::json::Deserialize for #name {
                fn deserialize(r: &mut #rt::json::JsonReader<'_>) -> Result<Self, #rt::json::DeserializeError> {
                    r.string().map(Self::from)
                }
            }
        }
    } else {
        quote!()
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
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#values => Self::#names,)*
                    _ => Self::Unknown(#rt::UnknownValue::new(value)),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from(value.to_owned())
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
    }
}

fn int_enumeration(e: &Enum, ser: bool, de: bool) -> TokenStream {
    let rt = rt();
    let name = format_ident!("{}", e.name);
    let docs = doc_or(e.docs.as_deref(), &format!("The `{}` enum.", e.id.name()));
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
        let vname = format_ident!("{}", v.name);
        let fallback = format!("`{value}`");
        let docs = doc_or(v.docs.as_deref(), &fallback);
        let dep = deprecated(v.deprecated.as_ref());
        quote!(#docs #dep #vname)
    });
    let names: Vec<_> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let ser = if ser {
        quote! {
            #[doc(hidden)]
            impl #rt::json::Serialize for #name {
                fn serialize(&self, w: #rt::json::ValueWriter<'_>) {
                    w.integer(i64::from(self.as_i32()))
                }
            }
        }
    } else {
        quote!()
    };
    let de = if de {
        quote! {
            #[doc(hidden)]
            impl #rt::json::Deserialize for #name {
                fn deserialize(r: &mut #rt::json::JsonReader<'_>) -> Result<Self, #rt::json::DeserializeError> {
                    <i32 as #rt::json::Deserialize>::deserialize(r).map(Self::from)
                }
            }
        }
    } else {
        quote!()
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
    }
}
