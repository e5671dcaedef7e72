//! The crate's `README.md`: what crates.io shows and `cargo package`
//! includes. It says what the crate is, how to add it, the crate docs'
//! quick start ([`QuickStart`], the code `testgen` runs), the minimum Rust
//! version and the license; everything else is in the crate docs. Its
//! Rust code is compiled as doctests (`lib.rs` includes it under
//! `cfg(doctest)`).

use super::krate::QuickStart;
use super::Options;
use crate::ir::Service;

/// `README.md`, starting with `header` (an HTML comment with the
/// `@generated` marker, so the generator owns the file).
pub fn readme(service: &Service, options: &Options, header: &str) -> String {
    let name = options.crate_name(service);
    let krate = options.crate_ident(service).to_string();
    let title = &service.title;
    let mut text = format!(
        "{header}\n# {name}\n\nA Rust client for {title} (API version {}), generated from its Smithy model.\n",
        service.version
    );
    if let Some(first) = service.docs.as_deref().and_then(first_paragraph) {
        text.push_str(&format!("\n{first}\n"));
    }
    text.push_str(&format!(
        "\n## Quick start\n\n```toml\n[dependencies]\n{name} = \"{}\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n",
        requirement(&options.crate_version)
    ));
    if let Some(q) = QuickStart::new(service, &krate) {
        let body: String = q.code.lines().map(|l| format!("    {l}\n")).collect();
        text.push_str(&format!(
            "\nThe configuration comes from the environment and the shared files, as every AWS SDK reads it:\n\n```rust,no_run\n#[tokio::main]\nasync fn main() -> Result<(), {}> {{\n{body}    Ok(())\n}}\n```\n",
            q.error
        ));
    }
    text.push_str(&format!(
        "\nThe crate docs describe every operation, its errors, paginators, waiters, configuration and features.\n\n## Minimum Rust version\n\n{}\n\n## License\n\nApache-2.0\n",
        super::RUST_VERSION
    ));
    text
}

/// The version requirement users write for `version`: `0.3` for `0.3.1`,
/// `1` for `1.2.0` (Cargo's caret rules make both mean "compatible").
fn requirement(version: &str) -> String {
    let mut parts = version.split('.');
    match (parts.next(), parts.next()) {
        (Some("0"), Some(minor)) => format!("0.{minor}"),
        (Some(major), _) => major.to_owned(),
        (None, _) => version.to_owned(),
    }
}

/// The service docs' first paragraph that is prose (not a heading or a
/// list), for the README's summary.
fn first_paragraph(docs: &str) -> Option<&str> {
    docs.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with(['#', '-', '*', '|', '`', '<']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirements_are_caret_compatible_ranges() {
        assert_eq!(requirement("0.1.0"), "0.1");
        assert_eq!(requirement("0.12.3"), "0.12");
        assert_eq!(requirement("1.4.2"), "1");
        assert_eq!(requirement("2.0.0"), "2");
    }

    #[test]
    fn the_summary_is_the_first_prose_paragraph() {
        assert_eq!(
            first_paragraph("**Heading**\n\nThe service does things.\n\nMore."),
            Some("The service does things.")
        );
        assert_eq!(
            first_paragraph("- a list\n\n  The service does things. \n\nMore."),
            Some("The service does things.")
        );
        assert_eq!(first_paragraph("\n\n"), None);
    }
}
