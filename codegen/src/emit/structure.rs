//! A structure, its builder, and its JSON codec. Operation inputs and
//! outputs and modelled errors are structures too.

use super::codec::{generic, read_value, write_value};
use super::rust::{deprecated, doc, doc_opt, document, enum_def, gated, rt, RustType};
use crate::ir::{DefaultValue, Field, Gate, Presence, Role, Service, Structure, Type, TypeDef};
use crate::naming::Ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `generics` are the impl's (`<H>` for `Builder<H>`, whose handle is left
/// out of the output).
/// `request_id` is the output's request-ID field, printed last.
pub(super) fn debug_impl(
    label: &str,
    fields: &[Field],
    sensitive_all: bool,
    request_id: Option<&Ident>,
    ty: TokenStream,
    generics: TokenStream,
) -> TokenStream {
    let rt = rt();
    let body = if sensitive_all {
        quote!(f.write_str(#rt::REDACTED))
    } else {
        let fields = fields.iter().map(|field| {
            let f = &field.name;
            let label = field.name.unraw();
            if field.sensitive {
                quote!(d.field(#label, &#rt::Redacted);)
            } else {
                quote!(d.field(#label, &self.#f);)
            }
        });
        let request_id = request_id.map(|id| {
            let label = id.unraw();
            quote!(d.field(#label, &self.#id);)
        });
        quote! {
            let mut d = f.debug_struct(#label);
            #(#fields)*
            #request_id
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

/// The setter argument type and the conversion into the stored value.
fn setter_arg(service: &Service, ty: &Type, boxed: bool) -> (TokenStream, TokenStream) {
    let t = RustType::of(service, ty);
    let into = *ty == Type::String || enum_def(service, ty).is_some();
    let value = if into {
        quote!(input.into())
    } else {
        quote!(input)
    };
    let value = if boxed {
        quote!(Box::new(#value))
    } else {
        value
    };
    if into {
        (quote!(impl Into<#t>), value)
    } else {
        (quote!(#t), value)
    }
}

/// Which setters to generate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setters {
    /// A builder's own: they set its fields; their docs link to the struct's.
    Builder,
    /// An operation input's builder, which users meet as the fluent builder:
    /// they set its fields and carry the members' full documentation.
    Fluent,
}

/// Builder setters: `x(value)` (appending for lists, inserting for maps)
/// and `set_x(Option<..>)` replacing.
fn setters(service: &Service, owner: &str, fields: &[Field], mode: Setters) -> TokenStream {
    let setters = fields.iter().map(|field| {
        let f = &field.name;
        let plain = field.name.unraw();
        let set = &field.set_name;
        let stored = RustType::stored(service, field);
        let dep = deprecated(field.deprecated.as_ref());
        let mut text = match mode {
            Setters::Fluent => field.docs.clone().unwrap_or_default(),
            Setters::Builder => format!("Sets [`{owner}::{plain}`]."),
        };
        if field.presence.checked_on_build() {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(match mode {
                Setters::Fluent => "**Required**: without it, `build()` fails and nothing is sent.",
                Setters::Builder => "**Required**: [`build`](Self::build) fails without it.",
            });
        }
        let docs = doc(&text);
        let set_doc = doc(&format!(
            "Sets or clears `{plain}` (see [`{plain}`](Self::{plain}))."
        ));
        let single = match &field.ty {
            Type::List {
                member,
                sparse: false,
            } if !field.boxed => {
                let (arg, conv) = setter_arg(service, member, false);
                let append = doc(&format!(
                    "Appends one item to `{plain}`; use [`{set}`](Self::{set}) to replace the list."
                ));
                let separator = if text.is_empty() { quote!() } else { quote!(#[doc = ""]) };
                quote! {
                    #docs
                    #separator
                    #append
                    #dep
                    pub fn #f(mut self, input: #arg) -> Self {
                        self.#f.get_or_insert_with(Vec::new).push(#conv);
                        self
                    }
                }
            }
            Type::Map {
                key,
                value,
                sparse: false,
            } if !field.boxed => {
                let k = RustType::of(service, key);
                let (arg, conv) = setter_arg(service, value, false);
                let insert = doc(&format!(
                    "Inserts one entry into `{plain}`; use [`{set}`](Self::{set}) to replace the map."
                ));
                let separator = if text.is_empty() { quote!() } else { quote!(#[doc = ""]) };
                quote! {
                    #docs
                    #separator
                    #insert
                    #dep
                    pub fn #f(mut self, key: impl Into<#k>, input: #arg) -> Self {
                        self.#f.get_or_insert_with(::std::collections::BTreeMap::new).insert(key.into(), #conv);
                        self
                    }
                }
            }
            _ => {
                let (arg, conv) = setter_arg(service, &field.ty, field.boxed);
                quote! {
                    #docs
                    #dep
                    pub fn #f(mut self, input: #arg) -> Self {
                        self.#f = Some(#conv);
                        self
                    }
                }
            }
        };
        quote! {
            #single
            #set_doc
            #dep
            pub fn #set(mut self, input: Option<#stored>) -> Self {
                self.#f = input;
                self
            }
        }
    });
    quote!(#(#setters)*)
}

/// The builder's `build`: fails, naming the member, exactly when some
/// member is checked on build (see [`Structure::fallible_build`]).
fn build_fn(service: &Service, s: &Structure) -> TokenStream {
    let rt = rt();
    let name = &s.name;
    let label = s.name.unraw();
    let mut checks = Vec::new();
    let mut inits = Vec::new();
    for field in &s.fields {
        let f = &field.name;
        let plain = field.name.unraw();
        inits.push(match &field.presence {
            Presence::Optional | Presence::IdempotencyToken => quote!(#f: self.#f),
            Presence::RequiredInput => {
                checks.push(quote! {
                    if self.#f.is_none() {
                        return Err(#rt::BuildError::missing_member(#label, #plain));
                    }
                });
                quote!(#f: self.#f)
            }
            Presence::Default(value) => {
                let fallback = default_fallback(service, field, value);
                quote!(#f: self.#f.#fallback)
            }
            Presence::Required => quote!(#f: #rt::error::required(self.#f, #label, #plain)?),
        });
    }
    inits.extend(extra_inits(s));
    if s.fallible_build() {
        let docs = doc(&format!(
            "Builds the [`{label}`]; fails, naming the member, when a required member is unset."
        ));
        quote! {
            #docs
            pub fn build(self) -> Result<#name, #rt::BuildError> {
                #(#checks)*
                Ok(#name { #(#inits),* })
            }
        }
    } else {
        let docs = doc(&format!("Builds the [`{label}`]."));
        quote! {
            #docs
            pub fn build(self) -> #name {
                #name { #(#inits),* }
            }
        }
    }
}

/// The fields a structure has besides its members, as a value without
/// data: an error's metadata, an output's request ID.
fn extra_inits(s: &Structure) -> Vec<TokenStream> {
    let mut inits = Vec::new();
    if s.role == Role::Error {
        inits.push(quote!(meta: Default::default()));
    }
    if let Some(id) = &s.request_id {
        inits.push(quote!(#id: Default::default()));
    }
    inits
}

fn serialize_impl(s: &Structure, gate: Gate) -> TokenStream {
    let gate = gated(gate);
    let rt = rt();
    let name = &s.name;
    let members = s.fields.iter().map(|field| {
        let f = &field.name;
        let key = &field.member;
        let optional = field.presence.is_option();
        if optional && generic(&field.ty) {
            quote!(o.optional(#key, self.#f.as_ref());)
        } else if optional {
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
        #gate
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

/// A Rust expression for a `@default` value of type `ty`.
pub(super) fn default_value(service: &Service, ty: &Type, value: &DefaultValue) -> TokenStream {
    let rt = rt();
    let t = RustType::of(service, ty);
    match value {
        DefaultValue::String(s) => quote!(#s.to_owned()),
        DefaultValue::Bool(b) => quote!(#b),
        // The IR checked that the value is in range for the type.
        DefaultValue::Integer(v) => {
            let lit = match ty {
                Type::Byte => Literal::i8_suffixed(*v as i8),
                Type::Short => Literal::i16_suffixed(*v as i16),
                Type::Integer => Literal::i32_suffixed(*v as i32),
                _ => Literal::i64_suffixed(*v),
            };
            quote!(#lit)
        }
        DefaultValue::Float(v) => {
            let lit = match ty {
                Type::Float => Literal::f32_suffixed(*v as f32),
                _ => Literal::f64_suffixed(*v),
            };
            quote!(#lit)
        }
        DefaultValue::BigNumber(text) => {
            quote!(<#t as ::std::str::FromStr>::from_str(#text).unwrap_or_default())
        }
        DefaultValue::EpochSeconds(text) => {
            quote!(#rt::DateTime::from_str(#text, #rt::datetime::Format::EpochSeconds).unwrap_or_default())
        }
        DefaultValue::DateTime(text) => {
            quote!(#rt::DateTime::from_str(#text, #rt::datetime::Format::DateTime).unwrap_or_default())
        }
        DefaultValue::Blob(bytes) => {
            let lit = Literal::byte_string(bytes);
            quote!(#rt::Blob::new(#lit.to_vec()))
        }
        DefaultValue::Document(d) => document(d),
        DefaultValue::EmptyList => quote!(Vec::new()),
        DefaultValue::EmptyMap => quote!(::std::collections::BTreeMap::new()),
        DefaultValue::Enum(s) => quote!(#t::from(#s)),
        DefaultValue::IntEnum(v) => quote!(#t::from(#v)),
    }
}

/// For a member with `@default`: the method call that turns the builder's
/// `Option` into the field's value (`unwrap_or(5i32)`, `unwrap_or_default()`,
/// `unwrap_or_else(|| "none".to_owned())`), the cheapest that clippy accepts.
fn default_fallback(service: &Service, field: &Field, default: &DefaultValue) -> TokenStream {
    let value = default_value(service, &field.ty, default);
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
    if field.boxed {
        quote!(unwrap_or_else(|| Box::new(#value)))
    } else if default.is_rust_default() {
        quote!(unwrap_or_default())
    } else if copy {
        quote!(unwrap_or(#value))
    } else {
        quote!(unwrap_or_else(|| #value))
    }
}

/// The zero value of a `@required` member's type, which a response that
/// omits the member stands for (Smithy's client error correction).
enum Zero {
    /// Rust's `Default` (`""`, `0`, `false`, `[]`, the epoch, ...).
    RustDefault,
    /// A structure's corrected default: this function.
    Call(TokenStream),
    /// An enum's empty value: computed when needed.
    Lazy(TokenStream),
    /// A union's `Unknown`: a constant.
    Eager(TokenStream),
}

fn zero(service: &Service, ty: &Type) -> Zero {
    let Type::Named(id) = ty else {
        return Zero::RustDefault;
    };
    let path = RustType::of(service, ty);
    match service.type_def(id) {
        Some(TypeDef::Structure(_)) => Zero::Call(quote!(#path::corrected_default)),
        Some(TypeDef::Union(_)) => Zero::Eager(quote!(#path::Unknown)),
        Some(TypeDef::Enum(e)) if e.int => Zero::Lazy(quote!(#path::from(0))),
        Some(TypeDef::Enum(_)) => Zero::Lazy(quote!(#path::from(""))),
        None => Zero::RustDefault,
    }
}

/// The value of a `@required` member read into `b.<field>`, its zero value
/// when the response omits it.
fn corrected(service: &Service, field: &Field) -> TokenStream {
    let f = &field.name;
    match (zero(service, &field.ty), field.boxed) {
        (Zero::RustDefault, _) => quote!(b.#f.unwrap_or_default()),
        (Zero::Call(function), false) => quote!(b.#f.unwrap_or_else(#function)),
        (Zero::Call(function), true) => quote!(b.#f.unwrap_or_else(|| Box::new(#function()))),
        (Zero::Lazy(value), false) => quote!(b.#f.unwrap_or_else(|| #value)),
        (Zero::Eager(value), false) => quote!(b.#f.unwrap_or(#value)),
        (Zero::Lazy(value) | Zero::Eager(value), true) => {
            quote!(b.#f.unwrap_or_else(|| Box::new(#value)))
        }
    }
}

/// `corrected_default()`, for a structure a response may omit as a
/// required member.
fn corrected_default_fn(service: &Service, s: &Structure) -> TokenStream {
    if !s.corrected_default {
        return quote!();
    }
    let inits = s.fields.iter().map(|field| {
        let f = &field.name;
        let value = match &field.presence {
            Presence::Required => match zero(service, &field.ty) {
                Zero::RustDefault => quote!(Default::default()),
                Zero::Call(function) => quote!(#function()),
                Zero::Lazy(value) | Zero::Eager(value) => value,
            },
            Presence::Default(value) => default_value(service, &field.ty, value),
            Presence::Optional | Presence::RequiredInput | Presence::IdempotencyToken => {
                return quote!(#f: None);
            }
        };
        if field.boxed {
            quote!(#f: Box::new(#value))
        } else {
            quote!(#f: #value)
        }
    });
    let meta = if s.role == Role::Error {
        quote!(meta: Default::default(),)
    } else {
        quote!()
    };
    let docs = doc(&format!(
        "The `{}` a response stands for when it omits one that is required (Smithy's client error correction): required members at their zero values, defaults filled in, the rest unset.",
        s.name.unraw()
    ));
    quote! {
        #docs
        pub(crate) fn corrected_default() -> Self {
            Self { #(#inits,)* #meta }
        }
    }
}

fn deserialize_impl(service: &Service, s: &Structure, gate: Gate) -> TokenStream {
    let gate = gated(gate);
    let rt = rt();
    let name = &s.name;
    let builder = &s.builder;
    // Members are read into the builder, so model names only ever appear as
    // field accesses (`b.key`), never as locals that could shadow `r`/`key`.
    let arms = s.fields.iter().map(|field| {
        let f = &field.name;
        let key = &field.member;
        if generic(&field.ty) {
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
    // An absent member takes its `@default`, else (a `@required` one) the
    // corrected zero value.
    let inits = s.fields.iter().map(|field| {
        let f = &field.name;
        match &field.presence {
            Presence::Default(value) => {
                let fallback = default_fallback(service, field, value);
                quote!(#f: b.#f.#fallback)
            }
            Presence::Required => {
                let value = corrected(service, field);
                quote!(#f: #value)
            }
            _ => quote!(#f: b.#f),
        }
    });
    let extra = extra_inits(s);
    let body = if s.fields.is_empty() {
        quote!(r.object(|r, _| r.skip_value())?;)
    } else {
        // An input's builder is generic over its handle: `<B>` is `B<()>`.
        let builder = if s.role == Role::Input {
            quote!(<#builder>)
        } else {
            quote!(#builder)
        };
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
    quote! {
        #gate
        #[doc(hidden)]
        impl #rt::json::Deserialize for #name {
            fn deserialize(r: &mut #rt::json::JsonReader<'_>) -> Result<Self, #rt::json::DeserializeError> {
                #body
                Ok(#name { #(#inits,)* #(#extra,)* })
            }
        }
    }
}

/// An output's request ID: the field, its method, and what the pipeline
/// sets it with.
fn request_id(s: &Structure) -> [TokenStream; 3] {
    let Some(id) = &s.request_id else {
        return [quote!(), quote!(), quote!()];
    };
    let rt = rt();
    let name = &s.name;
    [
        {
            let skip = super::serde::skip();
            quote!(#skip pub(crate) #id: #rt::client::RequestId,)
        },
        quote! {
            /// The `x-amzn-requestid` of the response this output came in, to
            /// quote to AWS support (`None` for an output built in code). It
            /// takes no part in `==`: outputs holding the same data are equal.
            pub fn #id(&self) -> Option<&str> {
                self.#id.get()
            }
        },
        quote! {
            #[doc(hidden)]
            impl #rt::client::Output for #name {
                fn set_request_id(&mut self, id: Option<String>) {
                    self.#id = id.into();
                }
            }
        },
    ]
}

/// A structure, its builder, and its JSON codec (the directions
/// [`Structure::codecs`] asks for); `about` documents it when the model
/// does not (an operation's input and output).
pub fn structure(service: &Service, s: &Structure, about: Option<&str>) -> TokenStream {
    let name = &s.name;
    let builder = &s.builder;
    let label = s.name.unraw();
    let error_doc = s
        .error
        .as_ref()
        .map(|_| format!("The error the service answers with code `{}`.", s.id.name()));
    let docs = doc_opt(s.docs.as_deref().or(about).or(error_doc.as_deref()));
    let dep = deprecated(s.deprecated.as_ref());
    let fields = s.fields.iter().map(|field| {
        let f = &field.name;
        let t = RustType::field(service, field);
        let docs = doc_opt(field.docs.as_deref());
        let dep = deprecated(field.deprecated.as_ref());
        let sensitive = if field.sensitive {
            doc("\n*This value is sensitive: `Debug` output redacts it (serde's `Serialize`, with the `serde` feature, writes it).*")
        } else {
            quote!()
        };
        let serde = super::serde::field(field);
        quote!(#docs #sensitive #dep #serde pub #f: #t)
    });
    let meta_field = if s.role == Role::Error {
        let rt = rt();
        let skip = super::serde::skip();
        quote!(#skip pub(crate) meta: #rt::ErrorMeta,)
    } else {
        quote!()
    };
    let [request_id_field, request_id_method, request_id_impl] = request_id(s);
    let builder_fields = s.fields.iter().map(|field| {
        let f = &field.name;
        let t = RustType::stored(service, field);
        quote!(#f: Option<#t>)
    });
    let derive_debug = !s.sensitive && s.fields.iter().all(|f| !f.sensitive);
    let (derive, debug) = if derive_debug {
        (quote!(#[derive(Clone, PartialEq, Debug)]), quote!())
    } else {
        (
            quote!(#[derive(Clone, PartialEq)]),
            debug_impl(
                label,
                &s.fields,
                s.sensitive,
                s.request_id.as_ref(),
                quote!(#name),
                quote!(),
            ),
        )
    };
    // An operation input's builder is also the operation's fluent builder and
    // its waiters' builders: it carries what sends it (`H`: nothing, the
    // client, or a waiter), so the setters exist once.
    let with_handle = s.role == Role::Input;
    // `struct Builder<H = ()>`, `impl<H> Builder<H>`.
    let (declared, generics, handle_field, rehandle) = if with_handle {
        let names = s.fields.iter().map(|field| &field.name);
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
    let builder_label = s.builder.unraw();
    let (bderive, bdebug) = if derive_debug {
        (
            quote!(#[derive(Clone, PartialEq, Default, Debug)]),
            quote!(),
        )
    } else {
        (
            quote!(#[derive(Clone, PartialEq, Default)]),
            debug_impl(
                builder_label,
                &s.fields,
                s.sensitive,
                None,
                quote!(#builder #generics),
                generics.clone(),
            ),
        )
    };
    let mode = if with_handle {
        Setters::Fluent
    } else {
        Setters::Builder
    };
    let setters = setters(service, label, &s.fields, mode);
    let build = build_fn(service, s);
    let codecs = s.codecs(service);
    let ser = serialize_impl(s, codecs.serialize);
    let de = deserialize_impl(service, s, codecs.deserialize);
    let error_impls = if s.role == Role::Error {
        error_impls(s)
    } else {
        quote!()
    };
    let builder_doc = doc(&format!("A builder for [`{label}`]."));
    let corrected_default = corrected_default_fn(service, s);
    let serde_derive = super::serde::derive(s.serde_case);
    quote! {
            #docs
            #dep
            #[non_exhaustive]
            #derive
            #serde_derive
            pub struct #name {
                #(#fields,)*
                #meta_field
                #request_id_field
            }

            impl #name {
                #builder_doc
                pub fn builder() -> #builder {
                    #builder::default()
                }
                #request_id_method

                #corrected_default
            }

            #debug
            #request_id_impl
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
    }
}

/// `Display` and `std::error::Error` for a modelled error: `Name: message`,
/// the message redacted when its shape is sensitive.
fn error_impls(s: &Structure) -> TokenStream {
    let rt = rt();
    let name = &s.name;
    let label = s.id.name();
    let fmt = format!("{label}: {{}}");
    let message = s.error.as_ref().and_then(|e| e.message.as_ref());
    let body = match message {
        Some(m) if m.sensitive => quote!(write!(f, #fmt, #rt::REDACTED)),
        Some(m) => {
            let field = &m.field;
            if m.optional {
                quote! {
                    match &self.#field {
                        Some(m) => write!(f, #fmt, #rt::client::Capped(m)),
                        None => f.write_str(#label),
                    }
                }
            } else {
                quote!(write!(f, #fmt, #rt::client::Capped(&self.#field)))
            }
        }
        None => quote!(f.write_str(#label)),
    };
    let set_meta = if message.is_some_and(|m| m.sensitive) {
        quote!(self.meta = meta.without_message();)
    } else {
        quote!(self.meta = meta;)
    };
    let message_of = match message {
        Some(m) if m.sensitive => quote!(None),
        Some(m) => {
            let field = &m.field;
            if m.optional {
                quote!(self.#field.as_deref().or_else(|| self.meta.message()))
            } else {
                quote!(Some(&self.#field))
            }
        }
        None => quote!(self.meta.message()),
    };
    let mock = super::mock::modeled_error_impl(s);
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
        impl #rt::ProvideErrorMetadata for #name {
            fn code(&self) -> Option<&str> {
                Some(#label)
            }
            fn message(&self) -> Option<&str> {
                #message_of
            }
            fn request_id(&self) -> Option<&str> {
                self.meta.request_id()
            }
        }
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
        #mock
    }
}
