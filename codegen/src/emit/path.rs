//! Member paths over typed structures, compiled to Rust expressions: the
//! dotted paths of `@paginated` (`outputToken`, `items`) and the JMESPath
//! subset waiters use (field access `a.b.c`, with at most one list
//! projection `a[].b`).
//!
//! Paths name members as modelled (not Rust field names); a member of an
//! absent value is absent (JMESPath `null`).

use super::rust::ident;
use crate::ir::{Field, Service, Structure, Type, TypeDef};
use proc_macro2::TokenStream;
use quote::quote;

/// An expression during compilation.
#[derive(Clone)]
pub enum Value {
    /// A place of the current type (`output.service`), never absent.
    Place(TokenStream),
    /// An `Option<&T>` expression (`Option<&str>` for strings).
    Opt(TokenStream),
}

/// A compiled path: the expression and the Rust-side type it yields.
#[derive(Clone)]
pub struct Compiled {
    /// The value.
    pub value: Value,
    /// Its IR type.
    pub ty: Type,
}

/// The structure `ty` names, if it names one.
pub(super) fn structure<'a>(service: &'a Service, ty: &Type) -> Option<&'a Structure> {
    match ty {
        Type::Named(id) => match service.type_def(id) {
            Some(TypeDef::Structure(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// A short name of an IR type for messages.
pub fn describe(service: &Service, ty: &Type) -> String {
    match ty {
        Type::Named(id) => match service.type_def(id) {
            Some(TypeDef::Structure(_)) => format!("structure `{}`", id.name()),
            Some(TypeDef::Union(_)) => format!("union `{}`", id.name()),
            Some(TypeDef::Enum(e)) if e.int => format!("intEnum `{}`", id.name()),
            Some(TypeDef::Enum(_)) => format!("enum `{}`", id.name()),
            None => format!("`{}`", id.name()),
        },
        Type::List { .. } => "a list".to_owned(),
        Type::Map { .. } => "a map".to_owned(),
        other => format!("{other:?}").to_lowercase(),
    }
}

fn step(current: Compiled, owner: &Structure, member: &str) -> Result<Compiled, String> {
    let field: &Field = owner
        .fields
        .iter()
        .find(|f| f.member == member)
        .ok_or_else(|| format!("`{}` has no member `{member}`", owner.id.name()))?;
    let f = ident(&field.name);
    let deref = field.boxed || field.ty == Type::String;
    let value = match (current.value, field.optional) {
        (Value::Place(p), false) => Value::Place(quote!(#p.#f)),
        (Value::Place(p), true) if deref => Value::Opt(quote!(#p.#f.as_deref())),
        (Value::Place(p), true) => Value::Opt(quote!(#p.#f.as_ref())),
        (Value::Opt(o), true) if deref => Value::Opt(quote!(#o.and_then(|v| v.#f.as_deref()))),
        (Value::Opt(o), true) => Value::Opt(quote!(#o.and_then(|v| v.#f.as_ref()))),
        (Value::Opt(o), false) if field.ty == Type::String => {
            Value::Opt(quote!(#o.map(|v| v.#f.as_str())))
        }
        (Value::Opt(o), false) if field.boxed => Value::Opt(quote!(#o.map(|v| &*v.#f))),
        (Value::Opt(o), false) => Value::Opt(quote!(#o.map(|v| &v.#f))),
    };
    Ok(Compiled {
        value,
        ty: field.ty.clone(),
    })
}

/// Follows dotted `segments` from `root` (a place of structure `owner`).
pub fn follow(
    service: &Service,
    root: TokenStream,
    owner: &Structure,
    segments: &[&str],
) -> Result<Compiled, String> {
    let mut current = Compiled {
        value: Value::Place(root),
        ty: Type::Named(owner.id.clone()),
    };
    let mut owner = owner;
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            owner = structure(service, &current.ty).ok_or_else(|| {
                format!(
                    "`{}` is {}, which has no members",
                    segments[..i].join("."),
                    describe(service, &current.ty)
                )
            })?;
        }
        current = step(current, owner, segment)?;
    }
    Ok(current)
}

/// The value as `Option<&T>` (`Option<&str>` for strings).
pub fn as_option(c: &Compiled) -> TokenStream {
    match &c.value {
        Value::Opt(o) => o.clone(),
        Value::Place(p) if c.ty == Type::String => quote!(Some(#p.as_str())),
        Value::Place(p) => quote!(Some(&#p)),
    }
}

/// Checks that a path segment is a plain identifier.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
