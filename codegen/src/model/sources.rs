//! Which files make up a model, and reading them: files named directly,
//! and every `.smithy` and `.json` file under a directory (recursively, in
//! name order, each file once however it is reached).

use super::assemble::Document;
use super::Model;
use crate::error::Error;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Whether `path` is a Smithy IDL file (by its extension).
pub(crate) fn is_idl(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "smithy")
}

fn is_model_file(path: &Path) -> bool {
    is_idl(path) || path.extension().is_some_and(|e| e == "json")
}

fn read_error(path: &Path, source: std::io::Error) -> Error {
    Error::Read {
        path: path.display().to_string(),
        source,
    }
}

/// Loads the files and directories in `paths` as one model.
pub(crate) fn load(paths: &[&Path]) -> Result<Model, Error> {
    let mut files = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        let before = files.len();
        collect(path, &mut files, &mut seen)?;
        if files.len() == before && path.is_dir() {
            return Err(read_error(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no .smithy or .json model files in this directory",
                ),
            ));
        }
    }
    let mut json = Vec::new();
    let mut idl = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| read_error(file, e))?;
        let name = file.display().to_string();
        if is_idl(file) {
            idl.push((name, text));
        } else {
            let root: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::Json {
                path: name.clone(),
                line: e.line(),
                column: e.column(),
                message: super::strip_position(&e.to_string()),
            })?;
            json.push(Document::from_json(root, &name)?);
        }
    }
    let idl_docs = crate::idl::documents(&idl, &json)?;
    json.extend(idl_docs);
    let name = paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Model::from_documents(&name, json)
}

/// Adds `path` (a file, or the model files under a directory, depth
/// first in name order) to `files`. An explicit stack, not recursion: a
/// directory tree as deep as paths allow cannot overflow the stack.
fn collect(
    path: &Path,
    files: &mut Vec<PathBuf>,
    seen: &mut HashSet<PathBuf>,
) -> Result<(), Error> {
    let mut todo = vec![path.to_path_buf()];
    while let Some(path) = todo.pop() {
        let meta = std::fs::metadata(&path).map_err(|e| read_error(&path, e))?;
        // The canonical path identifies a file or directory reached twice
        // (named twice, or through a symbolic link, which could loop).
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        if !seen.insert(canonical) {
            continue;
        }
        if !meta.is_dir() {
            files.push(path);
            continue;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&path)
            .map_err(|e| read_error(&path, e))?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(|e| read_error(&path, e))?;
        entries.sort();
        let wanted = entries.into_iter().filter(|entry| {
            let hidden = entry
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            !hidden && (entry.is_dir() || is_model_file(entry))
        });
        // Reversed onto the stack, so the first in name order comes next.
        let at = todo.len();
        todo.extend(wanted);
        todo[at..].reverse();
    }
    Ok(())
}
