//! Tokens → formatted Rust text: `syn` parses them (so a bad emission is
//! caught here, naming the file) and `prettyplease` prints.

use crate::error::Error;
use proc_macro2::TokenStream;

/// Parses and pretty-prints one file's tokens; `file` names it in the error.
pub fn render(file: &str, tokens: TokenStream) -> Result<String, Error> {
    let parsed = syn::parse2::<syn::File>(tokens).map_err(|e| Error::InvalidOutput {
        file: file.to_owned(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&parsed))
}
