//! serde's `Serialize`/`Deserialize` on every generated type (feature
//! `serde`), in the wire form: members under their JSON property names (the
//! IR's [`Field::member`]), unset members left out, timestamps, blobs,
//! documents and enums as the protocol writes them (the runtime's
//! `serde_wire` module), unions as one-member objects.
//!
//! Structures derive serde's traits; a member whose wire form is not its
//! type's own (a timestamp in a non-default format, or a collection of
//! them) names a runtime adapter. Enums and unions get written impls.

use super::codec::generic;
use super::rust::{cfg, rt};
use crate::ir::{Feature, Field, TimestampFormat, Type, Union};
use crate::naming::SerdeCase;
use proc_macro2::TokenStream;
use quote::quote;

/// `#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]`, with
/// the structure's `rename_all` rule if it has one.
pub fn derive(case: Option<SerdeCase>) -> TokenStream {
    let name = Feature::Serde.name();
    let rename_all = case.map(|case| {
        let case = case.as_str();
        quote!(, serde(rename_all = #case))
    });
    quote!(#[cfg_attr(feature = #name, derive(::serde::Serialize, ::serde::Deserialize) #rename_all)])
}

/// A field that is not a member (an output's request ID, an error's
/// metadata): left out, and empty when read.
pub fn skip() -> TokenStream {
    let name = Feature::Serde.name();
    quote!(#[cfg_attr(feature = #name, serde(skip))])
}

/// The adapter writing `ty`, as Rust type text, when the runtime's own impls
/// do not write it in its wire form.
fn adapter(ty: &Type) -> Option<String> {
    if generic(ty) {
        return None;
    }
    let m = "crate::rt::serde_wire";
    Some(match ty {
        Type::Timestamp(TimestampFormat::EpochSeconds) => format!("{m}::EpochSeconds"),
        Type::Timestamp(TimestampFormat::DateTime) => format!("{m}::DateTimeText"),
        Type::Timestamp(TimestampFormat::HttpDate) => format!("{m}::HttpDateText"),
        Type::List { member, sparse } => {
            let inner = adapter_of(member, *sparse);
            format!("{m}::ListOf<{inner}>")
        }
        Type::Map { value, sparse, .. } => {
            let inner = adapter_of(value, *sparse);
            format!("{m}::MapOf<{inner}>")
        }
        _ => format!("{m}::Plain"),
    })
}

fn adapter_of(ty: &Type, optional: bool) -> String {
    let inner = adapter(ty).unwrap_or_else(|| "crate::rt::serde_wire::Plain".to_owned());
    if optional {
        format!("crate::rt::serde_wire::OptionOf<{inner}>")
    } else {
        inner
    }
}

/// A structure field's attributes: its wire name, unless the field name or
/// the structure's rule gives it; unset (`None`) members are left out and
/// read as unset; the adapter, if its type needs one. `None` when it needs
/// none of them.
pub fn field(field: &Field) -> Option<TokenStream> {
    let name = Feature::Serde.name();
    let optional = field.presence.is_option();
    let mut parts = Vec::new();
    if field.serde_rename {
        let wire = &field.member;
        parts.push(quote!(rename = #wire));
    }
    // serde reads an absent `Option` member as `None` by itself, but not
    // through `with`: then `default` says so.
    let with = adapter(&field.ty).is_some() && !field.boxed;
    if optional && with {
        parts.push(quote!(default));
    }
    if optional {
        parts.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if with {
        let path = format!("crate::rt::serde_wire::As::<{}>", adapter_of(&field.ty, optional));
        parts.push(quote!(with = #path));
    }
    (!parts.is_empty()).then(|| quote!(#[cfg_attr(feature = #name, serde(#(#parts),*))]))
}

/// `Serialize`/`Deserialize` for a string enum (`int`: an intEnum): the
/// value as on the wire; values this client does not know read into and
/// write from `Unknown` unchanged.
pub fn enumeration(name: &TokenStream, int: bool) -> TokenStream {
    let gate = cfg(Feature::Serde);
    let (write, read) = if int {
        (
            quote!(s.serialize_i32(self.as_i32())),
            quote!(<i32 as ::serde::Deserialize>::deserialize(d).map(Self::from)),
        )
    } else {
        (
            quote!(s.serialize_str(self.as_str())),
            quote!(<String as ::serde::Deserialize>::deserialize(d).map(Self::from)),
        )
    };
    quote! {
        #gate
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                #write
            }
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #read
            }
        }
    }
}

/// `Serialize`/`Deserialize` for a union: an object with the set member
/// under its wire name (a unit member's value is `{}`); `Unknown` is `{}`,
/// and an object without a member it knows reads as `Unknown`, as from the
/// wire.
pub fn union(u: &Union) -> TokenStream {
    let gate = cfg(Feature::Serde);
    let rt = rt();
    let name = &u.name;
    let label = u.name.unraw();
    // By its full path: a local name (`Members`, a generic) cannot shadow it.
    let path = quote!(crate::types::#name);
    let write_arms = u.variants.iter().map(|v| {
        let vname = &v.name;
        let key = &v.member;
        match &v.ty {
            None => quote!(Self::#vname => m.serialize_entry(#key, &#rt::serde_wire::EmptyObject)?,),
            Some(ty) => match adapter(ty) {
                Some(a) if !v.boxed => {
                    let a: TokenStream = a.parse().unwrap_or_default();
                    quote!(Self::#vname(v) => m.serialize_entry(#key, &#rt::serde_wire::Adapted::<#a, _>::new(v))?,)
                }
                _ => quote!(Self::#vname(v) => m.serialize_entry(#key, v)?,),
            },
        }
    });
    let read_arms = u.variants.iter().map(|v| {
        let vname = &v.name;
        let key = &v.member;
        match &v.ty {
            None => quote!(#key => { m.next_value::<::serde::de::IgnoredAny>()?; #path::#vname }),
            Some(ty) => match adapter(ty) {
                Some(a) if !v.boxed => {
                    let a: TokenStream = a.parse().unwrap_or_default();
                    quote!(#key => #path::#vname(m.next_value::<#rt::serde_wire::ReadAs<#a, _>>()?.into_inner()))
                }
                _ => quote!(#key => #path::#vname(m.next_value()?)),
            },
        }
    });
    let expecting = format!("union `{label}`: an object with one member");
    let several = format!("more than one member of union `{label}` is set");
    quote! {
        #gate
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let known = !matches!(self, Self::Unknown);
                let mut m = s.serialize_map(Some(usize::from(known)))?;
                match self {
                    #(#write_arms)*
                    Self::Unknown => {}
                }
                m.end()
            }
        }

        #gate
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Members;
                impl<'de> ::serde::de::Visitor<'de> for Members {
                    type Value = #path;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<M: ::serde::de::MapAccess<'de>>(self, mut m: M) -> Result<#path, M::Error> {
                        let mut value = None;
                        while let Some(key) = m.next_key::<String>()? {
                            let v = match key.as_str() {
                                #(#read_arms,)*
                                _ => { m.next_value::<::serde::de::IgnoredAny>()?; #path::Unknown }
                            };
                            if value.is_some() {
                                return Err(::serde::de::Error::custom(#several));
                            }
                            value = Some(v);
                        }
                        Ok(value.unwrap_or(#path::Unknown))
                    }
                }
                d.deserialize_map(Members)
            }
        }
    }
}
