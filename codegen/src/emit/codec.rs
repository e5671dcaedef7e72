//! The JSON read/write code for one value of an IR type.

use super::rust::{rt, RustType};
use crate::ir::{Service, TimestampFormat, Type};
use proc_macro2::TokenStream;
use quote::quote;

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
        let t = RustType::of(service, ty);
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
            let t = RustType::of(service, ty);
            quote!(r.read::<#t>()?)
        }
    }
}
