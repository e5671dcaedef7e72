//! [`TypedValue`]s as Rust expressions against a generated crate: the one
//! place generated tests spell a value (a structure through its builder, an
//! enum by its variant, a timestamp, a blob...), driven by the IR type the
//! value fills.

use super::rust::{document, rt};
use crate::ir::{Field, Service, Structure, Type, TypeDef, TypedValue};
use crate::model::EnumLiteral;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// Renders values as expressions of the crate at `client` (a path:
/// `aws_proton`, or `crate` inside it).
pub struct Values<'s> {
    /// The service the types are of.
    pub service: &'s Service,
    /// The client crate's path.
    pub client: TokenStream,
}

impl Values<'_> {
    /// The path of a named type: `<client>::types::X` or `<client>::error::X`.
    pub fn type_path(&self, id: &crate::model::ShapeId) -> TokenStream {
        let client = &self.client;
        match self.service.type_def(id) {
            Some(def) if def.is_error() => {
                let name = def.name();
                quote!(#client::error::#name)
            }
            Some(def) => {
                let name = def.name();
                quote!(#client::types::#name)
            }
            None => {
                let name = crate::naming::camel_case(id.name());
                quote!(#client::types::#name)
            }
        }
    }

    /// An expression of `ty` (no `Option`, no `Box`) holding `value`.
    pub fn expr(&self, ty: &Type, value: &TypedValue) -> TokenStream {
        let rt = rt();
        match (ty, value) {
            (_, TypedValue::String(s)) => quote!(#s.to_owned()),
            (_, TypedValue::Bool(b)) => quote!(#b),
            (_, TypedValue::Integer(i)) => integer(*i),
            (ty, TypedValue::Float(f)) => float(ty, *f),
            (Type::BigDecimal, TypedValue::BigNumber(text)) => {
                quote!(#text.parse::<#rt::BigDecimal>().unwrap())
            }
            (_, TypedValue::BigNumber(text)) => quote!(#text.parse::<#rt::BigInteger>().unwrap()),
            (_, TypedValue::Timestamp { secs, nanos }) => {
                let secs = integer(*secs);
                if *nanos == 0 {
                    quote!(#rt::DateTime::from_secs(#secs))
                } else {
                    let nanos = Literal::u32_unsuffixed(*nanos);
                    quote!(#rt::DateTime::from_secs_and_nanos(#secs, #nanos).unwrap())
                }
            }
            (_, TypedValue::Blob(bytes)) => {
                let bytes = Literal::byte_string(bytes);
                quote!(#rt::Blob::new(#bytes.to_vec()))
            }
            (_, TypedValue::Document(d)) => document(d),
            (Type::Named(id), TypedValue::Enum { variant, value }) => {
                let path = self.type_path(id);
                match (variant, value) {
                    (Some(v), _) => quote!(#path::#v),
                    (None, EnumLiteral::String(s)) => quote!(#path::from(#s)),
                    (None, EnumLiteral::Int(i)) => {
                        let lit = integer(*i);
                        quote!(#path::from(#lit))
                    }
                }
            }
            (Type::Named(id), TypedValue::Structure(members)) => match self.service.type_def(id) {
                Some(TypeDef::Structure(s)) => {
                    let path = self.type_path(id);
                    self.build(quote!(#path::builder()), s, members)
                }
                _ => quote!(compile_error!("not a structure")),
            },
            (Type::Named(id), TypedValue::Union { variant, value }) => {
                let Some(TypeDef::Union(u)) = self.service.type_def(id) else {
                    return quote!(compile_error!("not a union"));
                };
                let Some(v) = u.variants.get(*variant) else {
                    return quote!(compile_error!("no such variant"));
                };
                let (path, name) = (self.type_path(id), &v.name);
                match (value, &v.ty) {
                    (Some(value), Some(ty)) => {
                        let value = self.expr(ty, value);
                        if v.boxed {
                            quote!(#path::#name(Box::new(#value)))
                        } else {
                            quote!(#path::#name(#value))
                        }
                    }
                    _ => quote!(#path::#name),
                }
            }
            (Type::List { member, sparse }, TypedValue::List(items)) => {
                let items = items.iter().map(|i| self.element(member, *sparse, i));
                quote!(vec![#(#items),*])
            }
            (
                Type::Map {
                    key,
                    value: v_ty,
                    sparse,
                },
                TypedValue::Map(entries),
            ) => {
                let entries = entries.iter().map(|(k, v)| {
                    let k = self.expr(key, k);
                    let v = self.element(v_ty, *sparse, v);
                    quote!((#k, #v))
                });
                quote!(::std::collections::BTreeMap::from([#(#entries),*]))
            }
            _ => quote!(compile_error!("a value that does not fit its type")),
        }
    }

    /// An item of a list or map: `Some(..)`/`None` when `sparse`.
    fn element(&self, ty: &Type, sparse: bool, value: &TypedValue) -> TokenStream {
        match (sparse, value) {
            (true, TypedValue::Null) => quote!(None),
            (true, v) => {
                let v = self.expr(ty, v);
                quote!(Some(#v))
            }
            (false, v) => self.expr(ty, v),
        }
    }

    /// A setter argument: setters taking `impl Into<String>` get a literal.
    fn arg(&self, ty: &Type, value: &TypedValue) -> TokenStream {
        match value {
            TypedValue::String(s) => quote!(#s),
            other => self.expr(ty, other),
        }
    }

    /// The setter calls setting `members` on a builder of a structure with
    /// `fields`, the way the generated setters take them (lists appended to
    /// item by item, maps inserted into entry by entry).
    pub fn setter_calls(
        &self,
        fields: &[Field],
        members: &[(usize, TypedValue)],
    ) -> Vec<TokenStream> {
        let mut calls = Vec::new();
        for (i, value) in members {
            let Some(field) = fields.get(*i) else {
                continue;
            };
            let (f, set) = (&field.name, &field.set_name);
            match (&field.ty, value) {
                (
                    Type::List {
                        member,
                        sparse: false,
                    },
                    TypedValue::List(items),
                ) if !field.boxed => {
                    if items.is_empty() {
                        calls.push(quote!(.#set(Some(Vec::new()))));
                    }
                    for item in items {
                        let item = self.arg(member, item);
                        calls.push(quote!(.#f(#item)));
                    }
                }
                (
                    Type::Map {
                        key,
                        value: v_ty,
                        sparse: false,
                    },
                    TypedValue::Map(entries),
                ) if !field.boxed => {
                    if entries.is_empty() {
                        calls.push(quote!(.#set(Some(::std::collections::BTreeMap::new()))));
                    }
                    for (k, v) in entries {
                        let (k, v) = (self.arg(key, k), self.arg(v_ty, v));
                        calls.push(quote!(.#f(#k, #v)));
                    }
                }
                (ty, value) => {
                    let v = self.arg(ty, value);
                    calls.push(quote!(.#f(#v)));
                }
            }
        }
        calls
    }

    /// `builder` with `members` set, then built (unwrapped when `build()`
    /// can fail).
    pub fn build(
        &self,
        builder: TokenStream,
        s: &Structure,
        members: &[(usize, TypedValue)],
    ) -> TokenStream {
        let calls = self.setter_calls(&s.fields, members);
        let unwrap = if s.fallible_build() {
            quote!(.unwrap())
        } else {
            quote!()
        };
        quote!(#builder #(#calls)* .build() #unwrap)
    }
}

/// An integer literal (the sign a separate token, as Rust reads it).
fn integer(i: i64) -> TokenStream {
    let magnitude = Literal::u64_unsuffixed(i.unsigned_abs());
    if i < 0 {
        quote!(-#magnitude)
    } else {
        quote!(#magnitude)
    }
}

/// A float of `ty` (`f32` or `f64`), `NaN` and the infinities included.
fn float(ty: &Type, f: f64) -> TokenStream {
    let t = match ty {
        Type::Float => quote!(f32),
        _ => quote!(f64),
    };
    if f.is_nan() {
        quote!(#t::NAN)
    } else if f == f64::INFINITY {
        quote!(#t::INFINITY)
    } else if f == f64::NEG_INFINITY {
        quote!(#t::NEG_INFINITY)
    } else {
        let magnitude = Literal::f64_unsuffixed(f.abs());
        if f.is_sign_negative() {
            quote!(-#magnitude)
        } else {
            quote!(#magnitude)
        }
    }
}
