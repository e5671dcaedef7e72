//! `cargo xtask update NEW.json`: a model update in one command. It compares
//! the current model with the new one (the changelog and verdict of
//! `codegen::diff`), generates the client from the new model at the version
//! the verdict calls for, and only when all of that succeeded puts the model
//! in `model/`, the version in [`crate::version::VERSION_FILE`] and the
//! generated files in place.

use crate::version::{self, Version};
use crate::{generate_model, load_model, DEFAULT_MODEL};
use anyhow::{bail, Context, Result};
use codegen::diff::Verdict;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What an update did.
#[derive(Debug)]
pub struct Update {
    /// The changelog from the previous model to the new one (text, with the
    /// verdict line).
    pub changelog: String,
    /// The verdict.
    pub verdict: Verdict,
    /// The model compared against (the one `cargo xtask codegen` read before).
    pub previous_model: PathBuf,
    /// Where the new model now is.
    pub model: PathBuf,
    /// The crate version before.
    pub previous_version: Version,
    /// The crate version now.
    pub version: Version,
    /// Generated files written (changed or new).
    pub written: usize,
    /// Generated files removed (the model no longer gives them).
    pub removed: usize,
}

impl Update {
    /// What `cargo xtask update` prints: the changelog, what was done, and
    /// what to review next.
    pub fn report(&self) -> String {
        let mut out = self.changelog.clone();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "Model: {} (compared with {})",
            self.model.display(),
            self.previous_model.display()
        );
        let bump = match self.verdict {
            Verdict::None => "unchanged (verdict none: no release needed)".to_owned(),
            verdict => {
                let part = match verdict {
                    Verdict::Breaking if self.previous_version.major == 0 => "minor, while 0.x",
                    Verdict::Breaking => "major",
                    Verdict::Additive => "minor",
                    _ => "patch",
                };
                format!(
                    "{} -> {} ({verdict}: {part})",
                    self.previous_version, self.version
                )
            }
        };
        let _ = writeln!(out, "Crate version: {bump}, in {}", version::VERSION_FILE);
        let _ = writeln!(
            out,
            "Regenerated: {} files written, {} removed.",
            self.written, self.removed
        );
        let _ = writeln!(out);
        let _ = writeln!(out, "Review next:");
        let _ = writeln!(out, "  cargo test --workspace");
        let _ = writeln!(
            out,
            "  cargo insta review    (proton_api_surface shows the API change member by member; it should agree with the changelog above)"
        );
        let _ = writeln!(out, "  git diff generated/ model/");
        out
    }
}

/// Updates the project at `root` to the model `new` (a JSON AST file):
/// see the module docs. `date` (`YYYY/MM/DD`) heads the changelog. Nothing
/// is written if the new model does not load, does not compare (a model
/// the generator refuses) or does not generate.
pub fn update(root: &Path, new: &Path, service: Option<&str>, date: &str) -> Result<Update> {
    if new.extension().is_none_or(|e| e != "json") {
        bail!(
            "{}: expected a Smithy JSON AST file (`.json`), as AWS publishes models",
            new.display()
        );
    }
    let previous_model = codegen::find_model(root, DEFAULT_MODEL).map_err(anyhow::Error::msg)?;
    let previous = version::read_package(root)?;
    let previous_version = previous.version;
    let old = load_model(root, &previous_model)
        .with_context(|| format!("loading the current model {}", previous_model.display()))?;
    let started = Instant::now();
    let new_model = load_model(root, new)
        .with_context(|| format!("loading the new model {}", new.display()))?;
    let diff = codegen::diff::diff(&old, &new_model, service)?;
    let version = previous_version.bump(diff.verdict)?;

    let dest = root.join("model").join(format!("{DEFAULT_MODEL}.json"));
    let package = version::Package {
        version,
        ..previous
    };
    let generated = generate_model(root, &new_model, dest.clone(), service, &package, started)?;

    if !same_file(new, &dest) {
        std::fs::copy(new, &dest)
            .with_context(|| format!("copying {} to {}", new.display(), dest.display()))?;
    }
    if version != previous_version {
        version::write(root, version)?;
    }
    let (written, removed) = crate::write(&generated)?;
    Ok(Update {
        changelog: codegen::diff::render_text(&diff, date),
        verdict: diff.verdict,
        previous_model,
        model: dest,
        previous_version,
        version,
        written,
        removed,
    })
}

/// Whether `a` and `b` name one existing file (copying a file onto itself
/// would truncate it).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
