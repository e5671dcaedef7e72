//! The token helpers every emitter shares, each the one place for its
//! decision: the runtime's path ([`rt`]), doc attributes ([`doc`],
//! [`inner_doc`]), `#[deprecated]`, document literals ([`document`]) and the
//! spelling of IR types ([`RustType`]).

use crate::ir::{Deprecation, Document, Field, Service, TimestampFormat, Type, TypeDef};
use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};
use std::fmt;

/// The runtime crate's path in every emitted file: the generated crate
/// declares `pub(crate) use ::aws_json_runtime as rt;` at its root (short
/// paths keep prettyplease from wrapping lines), and so does every other
/// crate root the generator writes code for (generated tests).
pub fn rt() -> TokenStream {
    quote!(crate::rt)
}

/// The declaration that makes [`rt`] resolve, for a crate root.
pub fn rt_declaration() -> TokenStream {
    quote! {
        /// The runtime, by a short path for the generated code.
        pub(crate) use ::aws_json_runtime as rt;
    }
}

fn doc_lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    })
}

/// `#[doc = "..."]` lines for Markdown text (each line gets the space that
/// `///` puts after the slashes).
pub fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = "..."]` lines (module and crate docs, `//!`).
pub fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// Documentation from the model, or nothing.
pub fn doc_opt(docs: Option<&str>) -> TokenStream {
    docs.map(doc).unwrap_or_default()
}

/// `#[deprecated(note = ...)]` when deprecated.
pub fn deprecated(d: Option<&Deprecation>) -> TokenStream {
    match d {
        Some(d) => {
            let note = d.note();
            quote!(#[deprecated(note = #note)])
        }
        None => quote!(),
    }
}

/// A `Document` literal.
pub fn document(value: &Document) -> TokenStream {
    let rt = rt();
    match value {
        Document::Null => quote!(#rt::Document::Null),
        Document::Bool(b) => quote!(#rt::Document::Bool(#b)),
        Document::PosInt(u) => {
            let u = Literal::u64_unsuffixed(*u);
            quote!(#rt::Document::Number(#rt::Number::PosInt(#u)))
        }
        Document::NegInt(i) => {
            let magnitude = Literal::u64_unsuffixed(i.unsigned_abs());
            quote!(#rt::Document::Number(#rt::Number::NegInt(-#magnitude)))
        }
        Document::Float(f) => {
            let magnitude = Literal::f64_unsuffixed(f.abs());
            let sign = if f.is_sign_negative() {
                quote!(-)
            } else {
                quote!()
            };
            quote!(#rt::Document::Number(#rt::Number::Float(#sign #magnitude)))
        }
        Document::String(s) => quote!(#rt::Document::from(#s)),
        Document::Array(items) => document_array(items.iter().map(document)),
        Document::Object(members) => {
            document_object(members.iter().map(|(k, v)| (k.as_str(), document(v))))
        }
    }
}

/// `Document::Array` of these element expressions (documents built at run
/// time share the container spelling with literals).
pub fn document_array(items: impl Iterator<Item = TokenStream>) -> TokenStream {
    let rt = rt();
    quote!(#rt::Document::Array(vec![#(#items),*]))
}

/// `Document::Object` of these members (name, value expression).
pub fn document_object<'a>(members: impl Iterator<Item = (&'a str, TokenStream)>) -> TokenStream {
    let rt = rt();
    let entries: Vec<TokenStream> = members
        .map(|(k, v)| quote!((#k.to_owned(), #v)))
        .collect();
    if entries.is_empty() {
        quote!(#rt::Document::Object(::std::collections::BTreeMap::new()))
    } else {
        quote!(#rt::Document::Object(::std::collections::BTreeMap::from([#(#entries),*])))
    }
}

/// An IR type as Rust spells it: in code ([`ToTokens`]: full paths) and in
/// the API listing ([`fmt::Display`]: short names, timestamps with their
/// wire format).
#[derive(Clone, Debug)]
pub enum RustType {
    /// `String`, `bool`, `i32`, ...
    Primitive(&'static str),
    /// A runtime type: `BigInteger`, `Blob`, `Document`, ...
    Runtime(&'static str),
    /// `DateTime`, written in this format.
    Timestamp(TimestampFormat),
    /// A generated type: in `crate::error` for errors, else `crate::types`.
    Named {
        /// `error` or `types`.
        error: bool,
        /// The type name.
        name: crate::naming::Ident,
    },
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// `Option<T>`.
    Option(Box<RustType>),
    /// `Box<T>`.
    Box(Box<RustType>),
    /// `BTreeMap<K, V>`.
    Map(Box<RustType>, Box<RustType>),
}

impl RustType {
    /// The type of `ty` (without `Option`/`Box`).
    pub fn of(service: &Service, ty: &Type) -> RustType {
        match ty {
            Type::String => RustType::Primitive("String"),
            Type::Bool => RustType::Primitive("bool"),
            Type::Byte => RustType::Primitive("i8"),
            Type::Short => RustType::Primitive("i16"),
            Type::Integer => RustType::Primitive("i32"),
            Type::Long => RustType::Primitive("i64"),
            Type::Float => RustType::Primitive("f32"),
            Type::Double => RustType::Primitive("f64"),
            Type::BigInteger => RustType::Runtime("BigInteger"),
            Type::BigDecimal => RustType::Runtime("BigDecimal"),
            Type::Timestamp(f) => RustType::Timestamp(*f),
            Type::Blob => RustType::Runtime("Blob"),
            Type::Document => RustType::Runtime("Document"),
            Type::Named(id) => match service.type_def(id) {
                Some(def) => RustType::Named {
                    error: def.is_error(),
                    name: def.name().clone(),
                },
                // The IR only references named types it emits.
                None => RustType::Named {
                    error: false,
                    name: crate::naming::camel_case(id.name()),
                },
            },
            Type::List { member, sparse } => {
                RustType::Vec(Box::new(Self::of(service, member).sparse(*sparse)))
            }
            Type::Map { key, value, sparse } => RustType::Map(
                Box::new(Self::of(service, key)),
                Box::new(Self::of(service, value).sparse(*sparse)),
            ),
        }
    }

    /// The field's type as declared: with `Box` and `Option` as decided.
    pub fn field(service: &Service, field: &Field) -> RustType {
        Self::stored(service, field).sparse(field.presence.is_option())
    }

    /// The field's value type with `Box` but without `Option` (what a
    /// builder holds inside its `Option`).
    pub fn stored(service: &Service, field: &Field) -> RustType {
        let t = Self::of(service, &field.ty);
        if field.boxed {
            RustType::Box(Box::new(t))
        } else {
            t
        }
    }

    /// `Option<self>` when `optional`.
    pub fn sparse(self, optional: bool) -> RustType {
        if optional {
            RustType::Option(Box::new(self))
        } else {
            self
        }
    }
}

impl ToTokens for RustType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let rt = rt();
        tokens.extend(match self {
            RustType::Primitive(name) => {
                let name = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
                quote!(#name)
            }
            RustType::Runtime(name) => {
                let name = proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
                quote!(#rt::#name)
            }
            RustType::Timestamp(_) => quote!(#rt::DateTime),
            RustType::Named { error: true, name } => quote!(crate::error::#name),
            RustType::Named { error: false, name } => quote!(crate::types::#name),
            RustType::Vec(t) => quote!(Vec<#t>),
            RustType::Option(t) => quote!(Option<#t>),
            RustType::Box(t) => quote!(Box<#t>),
            RustType::Map(k, v) => quote!(::std::collections::BTreeMap<#k, #v>),
        });
    }
}

impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::Primitive(name) | RustType::Runtime(name) => f.write_str(name),
            RustType::Timestamp(format) => write!(f, "DateTime<{format:?}>"),
            RustType::Named { name, .. } => write!(f, "{name}"),
            RustType::Vec(t) => write!(f, "Vec<{t}>"),
            RustType::Option(t) => write!(f, "Option<{t}>"),
            RustType::Box(t) => write!(f, "Box<{t}>"),
            RustType::Map(k, v) => write!(f, "BTreeMap<{k}, {v}>"),
        }
    }
}

/// Whether `ty` names an enum or intEnum.
pub fn enum_def<'s>(service: &'s Service, ty: &Type) -> Option<&'s crate::ir::Enum> {
    match ty {
        Type::Named(id) => match service.type_def(id) {
            Some(TypeDef::Enum(e)) => Some(e),
            _ => None,
        },
        _ => None,
    }
}
