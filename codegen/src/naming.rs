//! Every Rust identifier the generator emits is decided here, once.
//!
//! Case conversion is `heck`'s; this module adds what heck does not know
//! about Rust: keywords (raw identifiers where Rust allows them, a `_`
//! suffix where it does not), names that start with a digit, and type
//! names that would shadow the Rust prelude or the names generated code
//! uses unqualified.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is an error).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Type names generated code must be able to use unqualified: the Rust
/// prelude's types and traits, and the runtime names it imports. A shape
/// with one of these names gets the suffix `Value`.
const RESERVED_TYPES: &[&str] = &[
    // std prelude
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "Debug",
    "Display",
    "Hash",
    "Self",
    // runtime and generated names used unqualified
    "BTreeMap",
    "Blob",
    "BuildError",
    "DateTime",
    "Document",
    "UnknownValue",
    "Client",
    "Config",
];

/// Names an enum variant may not take because the generator adds them.
const RESERVED_VARIANTS: &[&str] = &["Unknown", "Unhandled", "Sdk"];

fn starts_with_digit(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Keeps only what may appear in an identifier: letters, digits and `_`;
/// everything else separates words.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// A type name (structure, union, enum, error): `UpperCamelCase`.
///
/// `HTMLBody` → `HtmlBody`, `ARN` → `Arn`, `Result` → `ResultValue`,
/// `3DModel` → `_3DModel`... see the tests for the full table.
pub fn type_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Shape".to_owned();
    }
    if starts_with_digit(&name) {
        name.insert(0, '_');
    }
    if RESERVED_TYPES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Value");
    }
    name
}

/// A field, method or function name: `snake_case`, keywords as raw
/// identifiers (`type` → `r#type`) or, where Rust forbids that, with a `_`
/// suffix (`self` → `self_`).
pub fn field_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if starts_with_digit(&name) {
        name.insert(0, '_');
    }
    escape_keyword(name)
}

/// A module (and file) name: `snake_case`; keywords get a `_` suffix since a
/// file cannot be named `r#type.rs`.
pub fn module_name(raw: &str) -> String {
    let name = field_name(raw);
    match name.strip_prefix("r#") {
        Some(kw) => format!("{kw}_"),
        None => name,
    }
}

/// An enum variant: `UpperCamelCase`; digits first get a `_` prefix
/// (`10GB` → `_10Gb`), generator-reserved names get `Value` appended.
pub fn variant_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if starts_with_digit(&name) {
        name.insert(0, '_');
    }
    if RESERVED_VARIANTS.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        name.push_str("Value");
    }
    name
}

/// Makes `name` a valid identifier if it is a keyword.
pub fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier text without a raw prefix (for messages and `set_` setters).
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Makes `names` unique by appending `2`, `3`, ... to later duplicates,
/// keeping the first as is. Used where two model names map to one Rust name
/// (`a-b` and `a_b` both become `AB`).
pub fn dedupe(names: &mut [String]) {
    let originals: std::collections::BTreeSet<String> = names.iter().cloned().collect();
    let mut taken = std::collections::BTreeSet::new();
    for name in names.iter_mut() {
        if taken.insert(name.clone()) {
            continue;
        }
        let base = name.clone();
        let mut n = 2;
        let mut candidate = format!("{base}{n}");
        while taken.contains(&candidate) || originals.contains(&candidate) {
            n += 1;
            candidate = format!("{base}{n}");
        }
        taken.insert(candidate.clone());
        *name = candidate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        for (raw, want) in [
            ("ServiceSummary", "ServiceSummary"),
            ("ARN", "Arn"),
            ("HTMLBody", "HtmlBody"),
            ("S3ObjectSource", "S3ObjectSource"),
            ("snake_case_shape", "SnakeCaseShape"),
            ("Result", "ResultValue"),
            ("String", "StringValue"),
            ("Option", "OptionValue"),
            ("Vec", "VecValue"),
            ("DateTime", "DateTimeValue"),
            ("Document", "DocumentValue"),
            ("Blob", "BlobValue"),
            ("Client", "ClientValue"),
            ("Self", "SelfValue"),
            ("3DModel", "_3dModel"),
            ("Type", "Type"),
            ("", "Shape"),
        ] {
            assert_eq!(type_name(raw), want, "{raw}");
        }
    }

    #[test]
    fn field_names() {
        for (raw, want) in [
            ("nextToken", "next_token"),
            ("HTMLBody", "html_body"),
            ("ARN", "arn"),
            ("resourceARN", "resource_arn"),
            ("s3Bucket", "s3_bucket"),
            ("type", "r#type"),
            ("Type", "r#type"),
            ("match", "r#match"),
            ("async", "r#async"),
            ("self", "self_"),
            ("Self", "self_"),
            ("super", "super_"),
            ("crate", "crate_"),
            ("1stValue", "_1st_value"),
            ("a-b", "a_b"),
            ("", "value"),
        ] {
            assert_eq!(field_name(raw), want, "{raw}");
        }
    }

    #[test]
    fn module_names() {
        assert_eq!(module_name("Type"), "type_");
        assert_eq!(module_name("ServiceSummary"), "service_summary");
        assert_eq!(module_name("self"), "self_");
    }

    #[test]
    fn variant_names() {
        for (raw, want) in [
            ("DEPLOYMENT_STATUS", "DeploymentStatus"),
            ("deploymentStatus", "DeploymentStatus"),
            ("us-east-1", "UsEast1"),
            ("10GB", "_10gb"),
            ("Unknown", "UnknownValue"),
            ("UNKNOWN", "UnknownValue"),
            ("Self", "SelfValue"),
            ("a.b", "AB"),
            ("", "Empty"),
        ] {
            assert_eq!(variant_name(raw), want, "{raw}");
        }
    }

    #[test]
    fn dedupe_appends_numbers() {
        let mut names = vec![
            "AB".to_owned(),
            "AB".to_owned(),
            "AB2".to_owned(),
            "AB".to_owned(),
        ];
        dedupe(&mut names);
        assert_eq!(names, ["AB", "AB3", "AB2", "AB4"]);
    }
}
