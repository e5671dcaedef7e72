//! Member paths resolved by the IR, compiled to Rust expressions over the
//! typed structures: the dotted paths of `@paginated` and the member
//! accesses of waiter JMESPath. A member of an absent value is absent
//! (JMESPath `null`).

use crate::ir::{MemberPath, Type};
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

/// A compiled path: the expression and the type it yields.
#[derive(Clone)]
pub struct Compiled {
    /// The value.
    pub value: Value,
    /// Its IR type.
    pub ty: Type,
}

impl Compiled {
    /// The value as `Option<&T>` (`Option<&str>` for strings).
    pub fn as_option(&self) -> TokenStream {
        match &self.value {
            Value::Opt(o) => o.clone(),
            Value::Place(p) if self.ty == Type::String => quote!(Some(#p.as_str())),
            Value::Place(p) => quote!(Some(&#p)),
        }
    }
}

/// Follows `path` from `root` (a place of the path's starting type).
pub fn follow(root: TokenStream, path: &MemberPath) -> Compiled {
    let mut value = Value::Place(root);
    for step in &path.steps {
        let f = &step.field;
        let deref = step.boxed || step.ty == Type::String;
        value = match (value, step.optional) {
            (Value::Place(p), false) => Value::Place(quote!(#p.#f)),
            (Value::Place(p), true) if deref => Value::Opt(quote!(#p.#f.as_deref())),
            (Value::Place(p), true) => Value::Opt(quote!(#p.#f.as_ref())),
            (Value::Opt(o), true) if deref => Value::Opt(quote!(#o.and_then(|v| v.#f.as_deref()))),
            (Value::Opt(o), true) => Value::Opt(quote!(#o.and_then(|v| v.#f.as_ref()))),
            (Value::Opt(o), false) if step.ty == Type::String => {
                Value::Opt(quote!(#o.map(|v| v.#f.as_str())))
            }
            (Value::Opt(o), false) if step.boxed => Value::Opt(quote!(#o.map(|v| &*v.#f))),
            (Value::Opt(o), false) => Value::Opt(quote!(#o.map(|v| &v.#f))),
        };
    }
    Compiled {
        value,
        ty: path.ty().clone(),
    }
}
