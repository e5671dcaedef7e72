//! Member paths resolved by the IR (the dotted paths of `@paginated`)
//! compiled to Rust expressions over the typed structures. A member of an
//! absent value is absent.

use crate::ir::MemberPath;
use proc_macro2::TokenStream;
use quote::quote;

/// `path` followed from `root` (a place of the path's starting type), as
/// an `Option<&T>` of the type the path ends at.
pub fn follow(root: TokenStream, path: &MemberPath) -> TokenStream {
    // `Ok`: a place never absent; `Err`: an `Option<&T>` expression.
    let mut value: Result<TokenStream, TokenStream> = Ok(root);
    for step in &path.steps {
        let f = &step.field;
        value = match (value, step.optional) {
            (Ok(p), false) => Ok(quote!(#p.#f)),
            (Ok(p), true) if step.boxed => Err(quote!(#p.#f.as_deref())),
            (Ok(p), true) => Err(quote!(#p.#f.as_ref())),
            (Err(o), true) if step.boxed => Err(quote!(#o.and_then(|v| v.#f.as_deref()))),
            (Err(o), true) => Err(quote!(#o.and_then(|v| v.#f.as_ref()))),
            (Err(o), false) if step.boxed => Err(quote!(#o.map(|v| &*v.#f))),
            (Err(o), false) => Err(quote!(#o.map(|v| &v.#f))),
        };
    }
    match value {
        Ok(p) => quote!(Some(&#p)),
        Err(o) => o,
    }
}
