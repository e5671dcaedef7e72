//! Token helpers shared by the emitters: identifiers, doc attributes, the
//! Rust type of an IR type, default values, and the JSON read/write code
//! for one value.

use crate::error::Error;
use crate::ir::{Deprecation, Field, Role, Service, TimestampFormat, Type, TypeDef};
use crate::naming;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

/// An identifier, raw when the name says so (`r#type`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` lines for Markdown text.
pub fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

/// Documentation from the model, or `fallback` when it has none.
pub fn doc_or(docs: Option<&str>, fallback: &str) -> TokenStream {
    doc(docs.unwrap_or(fallback))
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

/// The runtime crate's path.
pub fn rt() -> TokenStream {
    quote!(crate::rt)
}

/// The runtime crate's path from outside the generated crate (its tests).
pub fn rt_extern() -> TokenStream {
    quote!(::aws_json_runtime)
}

/// The path of a named type: `crate::types::X` or `crate::error::X`.
pub fn named_path(service: &Service, id: &crate::model::ShapeId) -> TokenStream {
    match service.type_def(id) {
        Some(TypeDef::Structure(s)) if s.role == Role::Error => {
            let name = format_ident!("{}", s.name);
            quote!(crate::error::#name)
        }
        Some(def) => {
            let name = format_ident!("{}", def.name());
            quote!(crate::types::#name)
        }
        // The IR only references named types it emits.
        None => {
            let name = format_ident!("{}", naming::type_name(id.name()));
            quote!(crate::types::#name)
        }
    }
}

/// The Rust type of `ty` (without `Option`/`Box`).
pub fn rust_type(service: &Service, ty: &Type) -> TokenStream {
    let rt = rt();
    match ty {
        Type::String => quote!(String),
        Type::Bool => quote!(bool),
        Type::Byte => quote!(i8),
        Type::Short => quote!(i16),
        Type::Integer => quote!(i32),
        Type::Long => quote!(i64),
        Type::Float => quote!(f32),
        Type::Double => quote!(f64),
        Type::BigInteger => quote!(#rt::BigInteger),
        Type::BigDecimal => quote!(#rt::BigDecimal),
        Type::Timestamp(_) => quote!(#rt::DateTime),
        Type::Blob => quote!(#rt::Blob),
        Type::Document => quote!(#rt::Document),
        Type::Named(id) => named_path(service, id),
        Type::Unit => quote!(()),
        Type::List { member, sparse } => {
            let m = rust_type(service, member);
            if *sparse {
                quote!(Vec<Option<#m>>)
            } else {
                quote!(Vec<#m>)
            }
        }
        Type::Map { key, value, sparse } => {
            let k = rust_type(service, key);
            let v = rust_type(service, value);
            if *sparse {
                quote!(::std::collections::BTreeMap<#k, Option<#v>>)
            } else {
                quote!(::std::collections::BTreeMap<#k, #v>)
            }
        }
    }
}

/// The field's type as declared: with `Box` and `Option` as decided.
pub fn field_type(service: &Service, field: &Field) -> TokenStream {
    let mut t = rust_type(service, &field.ty);
    if field.boxed {
        t = quote!(Box<#t>);
    }
    if field.optional {
        t = quote!(Option<#t>);
    }
    t
}

/// The field's value type with `Box` but without `Option` (what a builder holds inside its `Option`).
pub fn stored_type(service: &Service, field: &Field) -> TokenStream {
    let t = rust_type(service, &field.ty);
    if field.boxed {
        quote!(Box<#t>)
    } else {
        t
    }
}

fn is_enum(service: &Service, ty: &Type) -> bool {
    matches!(ty, Type::Named(id) if matches!(service.type_def(id), Some(TypeDef::Enum(e)) if !e.int))
}

/// A Rust expression for a `@default` value of type `ty`.
pub fn default_value(
    service: &Service,
    ty: &Type,
    value: &Value,
    at: &str,
) -> Result<TokenStream, Error> {
    let rt = rt();
    let bad = || Error::Unsupported {
        path: String::new(),
        shape: at.to_owned(),
        message: format!("@default value {value} does not fit the member's type"),
    };
    Ok(match (ty, value) {
        (Type::String, Value::String(s)) => quote!(#s.to_owned()),
        (Type::Bool, Value::Bool(b)) => quote!(#b),
        (Type::Byte, Value::Number(n)) => {
            let v = n
                .as_i64()
                .and_then(|v| i8::try_from(v).ok())
                .ok_or_else(bad)?;
            quote!(#v)
        }
        (Type::Short, Value::Number(n)) => {
            let v = n
                .as_i64()
                .and_then(|v| i16::try_from(v).ok())
                .ok_or_else(bad)?;
            quote!(#v)
        }
        (Type::Integer, Value::Number(n)) => {
            let v = n
                .as_i64()
                .and_then(|v| i32::try_from(v).ok())
                .ok_or_else(bad)?;
            quote!(#v)
        }
        (Type::Long, Value::Number(n)) => {
            let v = n.as_i64().ok_or_else(bad)?;
            quote!(#v)
        }
        (Type::Float, Value::Number(n)) => {
            let v = n.as_f64().ok_or_else(bad)? as f32;
            quote!(#v)
        }
        (Type::Double, Value::Number(n)) => {
            let v = n.as_f64().ok_or_else(bad)?;
            quote!(#v)
        }
        (Type::BigInteger | Type::BigDecimal, Value::Number(n)) => {
            let text = n.to_string();
            let t = rust_type(service, ty);
            quote!(<#t as ::std::str::FromStr>::from_str(#text).unwrap_or_default())
        }
        (Type::Timestamp(_), Value::Number(n)) => {
            let text = n.to_string();
            quote!(#rt::DateTime::from_str(#text, #rt::datetime::Format::EpochSeconds).unwrap_or_default())
        }
        (Type::Timestamp(_), Value::String(s)) => {
            quote!(#rt::DateTime::from_str(#s, #rt::datetime::Format::DateTime).unwrap_or_default())
        }
        (Type::Blob, Value::String(s)) => {
            let bytes = base64_decode(s).ok_or_else(bad)?;
            let lit = proc_macro2::Literal::byte_string(&bytes);
            quote!(#rt::Blob::new(#lit.to_vec()))
        }
        (Type::Document, v) => document_literal(v, &rt),
        (Type::List { .. }, Value::Array(a)) if a.is_empty() => quote!(Vec::new()),
        (Type::Map { .. }, Value::Object(o)) if o.is_empty() => {
            quote!(::std::collections::BTreeMap::new())
        }
        (Type::Named(id), Value::String(s)) if is_enum(service, ty) => {
            let path = named_path(service, id);
            quote!(#path::from(#s))
        }
        (Type::Named(id), Value::Number(n)) => {
            let v = n
                .as_i64()
                .and_then(|v| i32::try_from(v).ok())
                .ok_or_else(bad)?;
            let path = named_path(service, id);
            quote!(#path::from(#v))
        }
        _ => return Err(bad()),
    })
}

/// A document literal; `rt` is the runtime's path where the code goes.
pub(crate) fn document_literal(v: &Value, rt: &TokenStream) -> TokenStream {
    match v {
        Value::Null => quote!(#rt::Document::Null),
        Value::Bool(b) => quote!(#rt::Document::Bool(#b)),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => quote!(#rt::Document::Number(#rt::Number::PosInt(#u))),
            (_, Some(i), _) => quote!(#rt::Document::Number(#rt::Number::NegInt(#i))),
            (_, _, f) => {
                let f = f.unwrap_or_default();
                quote!(#rt::Document::Number(#rt::Number::Float(#f)))
            }
        },
        Value::String(s) => quote!(#rt::Document::String(#s.to_owned())),
        Value::Array(items) => {
            let items = items.iter().map(|item| document_literal(item, rt));
            quote!(#rt::Document::Array(vec![#(#items),*]))
        }
        Value::Object(members) => {
            let entries = members.iter().map(|(k, v)| {
                let v = document_literal(v, rt);
                quote!((#k.to_owned(), #v))
            });
            quote!(#rt::Document::Object(::std::collections::BTreeMap::from([#(#entries),*])))
        }
    }
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn format_tokens(format: TimestampFormat) -> TokenStream {
    let rt = rt();
    match format {
        TimestampFormat::EpochSeconds => quote!(#rt::datetime::Format::EpochSeconds),
        TimestampFormat::DateTime => quote!(#rt::datetime::Format::DateTime),
        TimestampFormat::HttpDate => quote!(#rt::datetime::Format::HttpDate),
    }
}

/// Whether the runtime's generic `Serialize`/`Deserialize` impls write `ty`
/// correctly: everything except timestamps in a non-default format.
pub fn generic(ty: &Type) -> bool {
    match ty {
        Type::Timestamp(f) => *f == TimestampFormat::EpochSeconds,
        Type::List { member, .. } => generic(member),
        Type::Map { key, value, .. } => generic(key) && generic(value),
        _ => true,
    }
}

/// Code writing `value` (an expression of type `&T`) into the
/// `ValueWriter` expression `w`.
pub fn write_value(ty: &Type, value: TokenStream, w: TokenStream) -> TokenStream {
    if generic(ty) {
        return quote!(#w.value(#value));
    }
    match ty {
        Type::Timestamp(f) => {
            let f = format_tokens(*f);
            quote!(#w.timestamp(#value, #f))
        }
        Type::List { member, sparse } => {
            let item = if *sparse {
                let inner = write_value(member, quote!(v), quote!(w));
                quote!(let w = a.element(); match item { Some(v) => #inner, None => w.null() })
            } else {
                let inner = write_value(member, quote!(item), quote!(a.element()));
                quote!(#inner)
            };
            quote!({
                let mut a = #w.array();
                for item in #value { #item; }
                a.end();
            })
        }
        Type::Map {
            value: v_ty,
            sparse,
            ..
        } => {
            let item = if *sparse {
                let inner = write_value(v_ty, quote!(v), quote!(w));
                quote!(let w = o.key(k.as_ref()); match item { Some(v) => #inner, None => w.null() })
            } else {
                let inner = write_value(v_ty, quote!(item), quote!(o.key(k.as_ref())));
                quote!(#inner)
            };
            quote!({
                let mut o = #w.object();
                for (k, item) in #value { #item; }
                o.end();
            })
        }
        _ => quote!(#w.value(#value)),
    }
}

/// An expression reading one non-null value of `ty` from the reader `r`.
pub fn read_value(service: &Service, ty: &Type) -> TokenStream {
    if generic(ty) {
        let t = rust_type(service, ty);
        return quote!(r.read::<#t>()?);
    }
    match ty {
        Type::Timestamp(f) => {
            let f = format_tokens(*f);
            quote!(r.timestamp(#f)?)
        }
        Type::List { member, sparse } => {
            let inner = read_value(service, member);
            let push = if *sparse {
                quote!(items.push(if r.read_null()? { None } else { Some(#inner) }))
            } else {
                quote!(if !r.read_null()? { items.push(#inner) })
            };
            quote!({
                let mut items = Vec::new();
                r.array(|r| { #push; Ok(()) })?;
                items
            })
        }
        Type::Map { value, sparse, .. } => {
            let inner = read_value(service, value);
            let insert = if *sparse {
                quote!(let v = if r.read_null()? { None } else { Some(#inner) }; map.insert(k.to_owned().into(), v))
            } else {
                quote!(if !r.read_null()? { map.insert(k.to_owned().into(), #inner); })
            };
            quote!({
                let mut map = ::std::collections::BTreeMap::new();
                r.object(|r, k| { #insert; Ok(()) })?;
                map
            })
        }
        _ => {
            let t = rust_type(service, ty);
            quote!(r.read::<#t>()?)
        }
    }
}
