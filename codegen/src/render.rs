//! Tokens → formatted Rust text: `syn` parses them (so a bad emission is
//! caught here, naming the file), a blank line goes between items, and
//! `prettyplease` prints.
//!
//! The blank lines are for the reader of a snapshot or a model update's
//! diff: without them prettyplease prints items back to back, and a change
//! to one item reads as a change to its neighbours.

use crate::error::Error;
use proc_macro2::TokenStream;
use syn::{File, ImplItem, Item, TraitItem};

/// Parses and pretty-prints one file's tokens; `file` names it in the error.
pub fn render(file: &str, tokens: TokenStream) -> Result<String, Error> {
    let mut parsed = syn::parse2::<File>(tokens).map_err(|e| Error::InvalidOutput {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    space_out(&mut parsed);
    Ok(prettyplease::unparse(&parsed))
}

/// Puts a blank line between items at every level (the file, `mod`
/// blocks, `impl` and `trait` blocks) and after a file's inner docs. An
/// empty `Verbatim` item is what prettyplease prints as a line break. Runs
/// of `use` and body-less `mod` declarations stay together, as rustfmt
/// users write them.
fn space_out(file: &mut File) {
    space_items(&mut file.items);
    if !file.attrs.is_empty() && !file.items.is_empty() {
        file.items.insert(0, blank_item());
    }
}

fn blank_item() -> Item {
    Item::Verbatim(TokenStream::new())
}

/// A `use` or a `mod x;`: declarations listed without blank lines.
fn is_declaration(item: &Item) -> bool {
    match item {
        Item::Use(_) => true,
        Item::Mod(m) => m.content.is_none(),
        _ => false,
    }
}

fn space_items(items: &mut Vec<Item>) {
    for item in items.iter_mut() {
        match item {
            Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    space_items(inner);
                }
            }
            Item::Impl(i) => interleave(&mut i.items, |_, _| true, || {
                ImplItem::Verbatim(TokenStream::new())
            }),
            Item::Trait(t) => interleave(&mut t.items, |_, _| true, || {
                TraitItem::Verbatim(TokenStream::new())
            }),
            _ => {}
        }
    }
    interleave(
        items,
        |before, after| !(is_declaration(before) && is_declaration(after)),
        blank_item,
    );
}

/// Inserts `blank()` between neighbours for which `between` holds.
fn interleave<T>(items: &mut Vec<T>, between: impl Fn(&T, &T) -> bool, blank: impl Fn() -> T) {
    let old = std::mem::take(items);
    let mut out: Vec<T> = Vec::with_capacity(old.len() * 2);
    let mut previous: Option<usize> = None;
    for item in old {
        if let Some(p) = previous {
            if between(&out[p], &item) {
                out.push(blank());
            }
        }
        previous = Some(out.len());
        out.push(item);
    }
    *items = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn items_are_separated_by_blank_lines() {
        let text = render(
            "test",
            quote! {
                #![doc = " Docs."]
                mod a;
                pub use a::A;
                /// One.
                pub struct One;
                impl One {
                    pub fn a(&self) {}
                    pub fn b(&self) {}
                }
                mod inner {
                    pub fn c() {}
                    pub fn d() {}
                }
            },
        )
        .unwrap();
        assert_eq!(
            text,
            "//! Docs.\n\nmod a;\npub use a::A;\n\n/// One.\npub struct One;\n\nimpl One {\n    pub fn a(&self) {}\n\n    pub fn b(&self) {}\n}\n\nmod inner {\n    pub fn c() {}\n\n    pub fn d() {}\n}\n"
        );
    }
}
