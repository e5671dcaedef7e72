//! Smithy IDL 2.0 (`.smithy` files), read without the JVM.
//!
//! Each file is tokenized (`lexer`, `strings`), parsed into a syntax tree
//! (`parser`, `ast`), and lowered to the same JSON AST `Document` the
//! JSON reader produces (`lower`), so merging files, `apply`, mixins,
//! validation and the prelude stay in one place: `crate::model`. Lowering
//! resolves shape IDs, which needs every file of the model first: a
//! relative ID may name a shape of the namespace defined in another file.

mod ast;
mod lexer;
mod lower;
mod parser;
mod prelude;
mod strings;

use crate::error::Error;
use crate::model::assemble::Document;

/// A syntax error: where, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    /// Where.
    pub pos: lexer::Pos,
    /// What was expected, and what was found.
    pub message: String,
}

/// Reads IDL files (`(path, text)` pairs) into documents; `others` are the
/// model's documents in other formats, whose shapes IDL files may name.
pub(crate) fn documents(
    files: &[(String, String)],
    others: &[Document],
) -> Result<Vec<Document>, Error> {
    let mut parsed = Vec::with_capacity(files.len());
    for (path, text) in files {
        let file = parser::parse(text).map_err(|e| Error::Idl {
            path: path.clone(),
            line: e.pos.line as usize,
            column: e.pos.column as usize,
            message: e.message,
        })?;
        parsed.push((path, file));
    }
    let mut symbols = lower::Symbols::default();
    for doc in others {
        for (id, shape) in &doc.shapes {
            let ty = shape
                .get("type")
                .and_then(|t| t.as_str())
                .unwrap_or_default();
            symbols.insert(id.clone(), ty.to_owned());
        }
    }
    for (_, file) in &parsed {
        if let Some(ns) = &file.namespace {
            for shape in &file.shapes {
                symbols.insert(format!("{ns}#{}", shape.name), shape.kind.clone());
            }
        }
    }
    parsed
        .iter()
        .map(|(path, file)| lower::lower(file, path, &symbols))
        .collect()
}
