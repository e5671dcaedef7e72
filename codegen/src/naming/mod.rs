//! Every Rust identifier the generator emits is decided here, once.
//!
//! Case conversion is `heck`'s; this module adds what heck does not know
//! about Rust and about the generated crate: keywords (raw identifiers where
//! Rust allows them, a `_` suffix where it does not), names that start with a
//! digit, and, per [`Scope`], the names the generated code (or the runtime it
//! re-exports, or the Rust prelude) already uses there. A wanted name that is
//! reserved in its scope gets the scope's suffix (`Result` → `ResultValue`,
//! a member `build` → `build_value`); two names that meet in one scope after
//! conversion are numbered in the order given (`foo_bar`, `foo_bar_2`). The
//! IR asks for every name through a [`Namespace`], so the same model always
//! gives the same names and no two items of one scope share one.

mod serde_case;

pub use serde_case::{serde_fields, SerdeCase};

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Span;
use quote::{ToTokens, TokenStreamExt};
use std::collections::BTreeSet;
use std::fmt;

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

/// Type names generated code uses unqualified in a type's own file: the Rust
/// prelude's types and traits, and names the crate root or the runtime give
/// users next to the generated types (including `Error` and `Config`, which
/// the developer-experience work adds at the crate root).
const PRELUDE_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "BTreeMap",
    "Blob",
    "Box",
    "BuildError",
    "Client",
    "Clone",
    "Config",
    "Copy",
    "DateTime",
    "Debug",
    "Default",
    "Display",
    "Document",
    "Drop",
    "Eq",
    "Err",
    "Error",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Hash",
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
    "Self",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "UnknownValue",
    "Unpin",
    "Vec",
];

/// What `crate::error` re-exports from the runtime next to the modelled
/// errors (E0252 if a modelled error took one of these names).
const ERROR_REEXPORTS: &[&str] = &[
    "BuildError",
    "ErrorMeta",
    "ProvideErrorMetadata",
    "RequestError",
    "RequestErrorKind",
    "Unhandled",
];

/// Methods the generator gives every structure's builder, or calls on it
/// (`Builder::default()` would resolve to an inherent setter named
/// `default`). `builder` is not among them: `X::builder()` is a function of
/// the structure, where a member is a field, and the builder has no
/// `builder` of its own, so a member `builder` clashes with nothing.
const BUILDER_METHODS: &[&str] = &["build", "default"];

/// What an operation input's builder has besides the setters: the handle
/// field, the methods of the fluent builder and the waiters, and the
/// per-call `customize` the developer-experience work adds.
const INPUT_BUILDER_METHODS: &[&str] = &[
    "customize",
    "handle",
    "into_paginator",
    "new",
    "send",
    "wait",
    "with_handle",
];

/// An error structure's `meta` field (and method).
const ERROR_MEMBERS: &[&str] = &["meta"];

/// What outputs gain from the developer-experience work (a request ID
/// kept beside the data).
const OUTPUT_MEMBERS: &[&str] = &["request_id"];

/// Variants the generator adds to enums and unions.
const ENUM_VARIANTS: &[&str] = &["Unknown"];

/// Variants the generator adds to every operation's error enum.
const ERROR_ENUM_VARIANTS: &[&str] = &["Request", "Unhandled"];

/// Methods of an operation's error enum (the `is_*` helpers are numbered
/// against these).
const ERROR_ENUM_METHODS: &[&str] = &[
    "code",
    "from_call",
    "from_service",
    "is_request",
    "is_unhandled",
    "message",
    "meta",
    "parts",
    "request_id",
];

/// Methods of the generated `Client` besides the operations and waiters.
const CLIENT_METHODS: &[&str] = &["config", "customize", "endpoint", "from_conf", "new"];

/// Items an operation module holds besides the per-operation ones: the
/// `send` function.
const OPERATION_FUNCTIONS: &[&str] = &["send"];

/// Module names `types/` and `error/` use themselves.
const TYPE_MODULES: &[&str] = &["builders", "mod"];

/// Identifiers the generated endpoint resolver uses itself.
const ENDPOINT_LOCALS: &[&str] = &["params"];

/// Names the generated endpoint test module imports.
const ENDPOINT_TESTS: &[&str] = &["Params", "resolve"];

/// What a generated protocol test file declares besides its tests.
const PROTOCOL_TESTS: &[&str] = &["protocol", "rt", "client"];

/// A Rust identifier decided by this module: valid where it is used, raw
/// (`r#type`) when it is a keyword that allows it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(String);

impl Ident {
    /// The identifier as written in code (`r#type`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Without the raw prefix (`type`), for docs, messages and file names.
    pub fn unraw(&self) -> &str {
        self.0.strip_prefix("r#").unwrap_or(&self.0)
    }

    /// The `proc_macro2` identifier.
    pub fn token(&self) -> proc_macro2::Ident {
        match self.0.strip_prefix("r#") {
            Some(raw) => proc_macro2::Ident::new_raw(raw, Span::call_site()),
            None => proc_macro2::Ident::new(&self.0, Span::call_site()),
        }
    }

    /// This name with `suffix` appended (`Foo` → `FooBuilder`), escaped again.
    pub fn suffixed(&self, suffix: &str) -> Ident {
        escape(format!("{}{suffix}", self.unraw()))
    }

    /// This name with `prefix` put before it (`name` → `set_name`), escaped again.
    pub fn prefixed(&self, prefix: &str) -> Ident {
        escape(format!("{prefix}{}", self.unraw()))
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl ToTokens for Ident {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        tokens.append(self.token());
    }
}

impl PartialEq<str> for Ident {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Ident {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

fn starts_with_digit(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Keeps only what may appear in an identifier: ASCII letters, digits and
/// `_` (other letters would trip the `uncommon_codepoints` lint); everything
/// else separates words.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                ' '
            }
        })
        .collect()
}

/// Makes `name` a valid identifier if it is a keyword: raw where Rust
/// allows it, a `_` suffix where it does not (`self` → `self_`).
fn escape(name: String) -> Ident {
    if NOT_RAW.contains(&name.as_str()) {
        Ident(format!("{name}_"))
    } else if KEYWORDS.contains(&name.as_str()) {
        Ident(format!("r#{name}"))
    } else {
        Ident(name)
    }
}

fn camel(raw: &str, empty: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    if name.is_empty() {
        name = empty.to_owned();
    }
    if starts_with_digit(&name) {
        name.insert(0, '_');
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push_str("Value");
    }
    name
}

fn snake(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if starts_with_digit(&name) {
        name.insert(0, '_');
    }
    name
}

/// `UpperCamelCase` for a type, an enum variant or anything else named in
/// that case (`HTMLBody` → `HtmlBody`, `3DModel` → `_3dModel`). Reserved
/// names are the [`Namespace`]'s business.
pub fn camel_case(raw: &str) -> Ident {
    Ident(camel(raw, "Shape"))
}

/// `snake_case` for a field, method, function or local (`resourceARN` →
/// `resource_arn`), keywords raw (`type` → `r#type`) or suffixed (`self` →
/// `self_`).
pub fn snake_case(raw: &str) -> Ident {
    escape(snake(raw))
}

/// A module (and file) name: `snake_case`; keywords get a `_` suffix since a
/// file cannot be named `r#type.rs`.
pub fn module_case(raw: &str) -> Ident {
    let name = snake(raw);
    if KEYWORDS.contains(&name.as_str()) || NOT_RAW.contains(&name.as_str()) {
        Ident(format!("{name}_"))
    } else {
        Ident(name)
    }
}

/// The name of a generated test function from its description (`For
/// region us-east-1` → `for_region_us_east_1`); `case_<index>` without one.
/// A name never starts with `_` (`3rd party` → `case_3rd_party`).
pub fn test_name(description: Option<&str>, index: usize) -> Ident {
    match description.filter(|d| !d.trim().is_empty()) {
        Some(d) => {
            let name = snake(d);
            match name.strip_prefix('_') {
                Some(rest) => escape(format!("case_{rest}")),
                None => escape(name),
            }
        }
        None => Ident(format!("case_{index}")),
    }
}

/// The Rust name of a package (`aws-proton` → `aws_proton`).
pub fn crate_ident(package: &str) -> Ident {
    module_case(&package.replace('-', "_"))
}

/// The package name for an sdkId: `aws-` and the sdkId lowercased, spaces
/// becoming hyphens (`SageMaker` → `aws-sagemaker`, `DynamoDB Streams` →
/// `aws-dynamodb-streams`), which is how users know the services (the
/// api-models-aws folder names). Splitting on case (`aws-sage-maker`) gives
/// names nobody searches for. Any other character a package name cannot
/// hold becomes a hyphen too; runs of hyphens are one.
pub fn package_name(sdk_id: &str) -> String {
    let mut name = String::from("aws");
    for word in sdk_id
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
    {
        name.push('-');
        name.push_str(&word.to_ascii_lowercase());
    }
    name
}

/// The crate-level error enum at the crate root (`aws_proton::Error`); no
/// type takes this name (`PRELUDE_TYPES` reserves it).
pub fn crate_error() -> Ident {
    Ident("Error".to_owned())
}

/// The private field (and public method) of an operation output holding the
/// request ID of the response; no member takes this name (`OUTPUT_MEMBERS`
/// reserves it).
pub fn request_id() -> Ident {
    Ident(OUTPUT_MEMBERS[0].to_owned())
}

/// The crates.io keyword naming the service: the package name without
/// `aws-` (`proton`, `dynamodb-streams`), or `None` when crates.io would
/// refuse it (a keyword has at most 20 characters and starts with a letter).
pub fn package_keyword(sdk_id: &str) -> Option<String> {
    let name = package_name(sdk_id);
    let keyword = name.strip_prefix("aws-")?;
    (keyword.len() <= 20 && keyword.starts_with(|c: char| c.is_ascii_alphabetic()))
        .then(|| keyword.to_owned())
}

/// Where a name is declared; decides what it may not be and how a clash is
/// resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Structures, unions and enums in `crate::types`, and modelled errors
    /// in `crate::error` (see [`type_names`]).
    Types,
    /// Modules (and files) in `types/` or `error/`.
    TypeModules,
    /// The members of a structure: its fields and setters (`x` and `set_x`).
    Members(StructureKind),
    /// The variants of an enum or a union.
    Variants,
    /// The variants of an operation's error enum.
    ErrorVariants,
    /// The `is_*` methods of an operation's error enum.
    ErrorMethods,
    /// The methods of `Client`: one per operation and one per waiter.
    ClientMethods,
    /// The types of an operation's module (`<Op>Input`, `<W>Waiter`, ...).
    OperationTypes,
    /// The functions of an operation's module (`send`, `<w>_acceptors`).
    OperationFunctions,
    /// The fields of the endpoint `Params` and the locals of `resolve`.
    EndpointLocals,
    /// The test functions of the endpoint test module.
    EndpointTests,
    /// The test functions of a generated protocol test file (one per
    /// `smithy.test` case).
    ProtocolTests,
}

/// What a structure is, for [`Scope::Members`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StructureKind {
    /// An operation input: its builder is also the fluent builder.
    Input,
    /// An operation output.
    Output,
    /// A modelled error.
    Error,
    /// Anything else.
    Data,
}

impl Scope {
    fn reserved(self) -> Vec<&'static str> {
        match self {
            Scope::Types | Scope::OperationTypes => PRELUDE_TYPES.to_vec(),
            Scope::TypeModules => TYPE_MODULES.to_vec(),
            Scope::Members(kind) => {
                let extra: &[&str] = match kind {
                    StructureKind::Input => INPUT_BUILDER_METHODS,
                    StructureKind::Output => OUTPUT_MEMBERS,
                    StructureKind::Error => ERROR_MEMBERS,
                    StructureKind::Data => &[],
                };
                [BUILDER_METHODS, extra].concat()
            }
            Scope::Variants => ENUM_VARIANTS.to_vec(),
            Scope::ErrorVariants => ERROR_ENUM_VARIANTS.to_vec(),
            Scope::ErrorMethods => ERROR_ENUM_METHODS.to_vec(),
            Scope::ClientMethods => CLIENT_METHODS.to_vec(),
            Scope::OperationFunctions => OPERATION_FUNCTIONS.to_vec(),
            Scope::EndpointLocals => ENDPOINT_LOCALS.to_vec(),
            Scope::EndpointTests => ENDPOINT_TESTS.to_vec(),
            Scope::ProtocolTests => PROTOCOL_TESTS.to_vec(),
        }
    }

    /// What a reserved name gets appended.
    fn reserved_suffix(self) -> &'static str {
        match self {
            Scope::Types | Scope::Variants | Scope::OperationTypes => "Value",
            Scope::ErrorVariants => "Error",
            Scope::TypeModules => "_",
            Scope::Members(_)
            | Scope::ErrorMethods
            | Scope::ClientMethods
            | Scope::OperationFunctions
            | Scope::EndpointLocals
            | Scope::EndpointTests
            | Scope::ProtocolTests => "_value",
        }
    }

    /// Whether numbers are separated by `_` (snake case) or not (camel case).
    fn snake(self) -> bool {
        !matches!(
            self,
            Scope::Types | Scope::Variants | Scope::ErrorVariants | Scope::OperationTypes
        )
    }
}

/// The names taken in one scope. Claiming a name returns it, or, when it is
/// reserved or already taken, the name it gets instead.
#[derive(Clone, Debug)]
pub struct Namespace {
    scope: Scope,
    reserved: BTreeSet<String>,
    taken: BTreeSet<String>,
}

impl Namespace {
    /// An empty namespace of `scope`.
    pub fn new(scope: Scope) -> Self {
        Self {
            scope,
            reserved: scope.reserved().into_iter().map(str::to_owned).collect(),
            taken: BTreeSet::new(),
        }
    }

    /// Makes `name` unavailable (a name the generator itself uses here).
    pub fn reserve(&mut self, name: &str) {
        self.reserved.insert(name.to_owned());
    }

    /// Claims one name; see [`Namespace::claim_all`].
    pub fn claim(&mut self, wanted: Ident) -> Ident {
        self.claim_all(vec![wanted]).remove(0)
    }

    /// Claims `wanted` in order: a reserved name gets the scope's suffix;
    /// a name already taken (earlier, or by an earlier one of these) gets
    /// the smallest number from 2 that is free and is not wanted by a later
    /// one of these, so an original name is never numbered away by a clash.
    pub fn claim_all(&mut self, wanted: Vec<Ident>) -> Vec<Ident> {
        let wanted: Vec<Ident> = wanted
            .into_iter()
            .map(|w| {
                if self.reserved.contains(w.unraw()) {
                    w.suffixed(self.scope.reserved_suffix())
                } else {
                    w
                }
            })
            .collect();
        let originals: BTreeSet<String> = wanted.iter().map(|w| w.unraw().to_owned()).collect();
        wanted
            .into_iter()
            .map(|w| {
                if !self.reserved.contains(w.unraw()) && self.taken.insert(w.unraw().to_owned()) {
                    return w;
                }
                // `self_` → `self_2`, not `self__2`.
                let separator = if self.scope.snake() && !w.unraw().ends_with('_') {
                    "_"
                } else {
                    ""
                };
                let mut n = 2;
                loop {
                    let candidate = w.suffixed(&format!("{separator}{n}"));
                    let text = candidate.unraw().to_owned();
                    if !originals.contains(&text)
                        && !self.reserved.contains(&text)
                        && self.taken.insert(text)
                    {
                        return candidate;
                    }
                    n += 1;
                }
            })
            .collect()
    }
}

/// The name an enum value or union member gets when nothing else in its
/// type clashes with it (`DEPLOYMENT_STATUS` → `DeploymentStatus`, `Unknown`
/// → `UnknownValue`): what the API diff compares across models.
pub fn variant_name(raw: &str) -> String {
    Namespace::new(Scope::Variants)
        .claim(camel_case(raw))
        .to_string()
}

/// The names of the named types (model names, after the service's
/// `rename`, in shape-ID order; `true` for a modelled error): one namespace
/// for `crate::types` and `crate::error`, so a structure and an error never
/// share a name, and an error never takes the name of a runtime error type
/// that `crate::error` re-exports (`RequestError` → `RequestErrorValue`).
pub fn type_names(wanted: &[(&str, bool)]) -> Vec<Ident> {
    let wanted = wanted
        .iter()
        .map(|(raw, is_error)| {
            let name = camel_case(raw);
            if *is_error && ERROR_REEXPORTS.contains(&name.unraw()) {
                name.suffixed(Scope::Types.reserved_suffix())
            } else {
                name
            }
        })
        .collect();
    Namespace::new(Scope::Types).claim_all(wanted)
}

/// The field name of each member of a structure of `kind` (model names in
/// model order), and the name of its `set_` setter. A member named like
/// another's `set_` setter yields to it (`set_name` → `set_name_value`).
pub fn members(kind: StructureKind, model_names: &[&str]) -> Vec<(Ident, Ident)> {
    let mut namespace = Namespace::new(Scope::Members(kind));
    let wanted: Vec<Ident> = model_names.iter().map(|m| snake_case(m)).collect();
    for w in &wanted {
        namespace.reserve(w.prefixed("set_").unraw());
    }
    namespace
        .claim_all(wanted)
        .into_iter()
        .map(|name| {
            let set = name.prefixed("set_");
            (name, set)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(scope: Scope, wanted: &[&str]) -> Vec<String> {
        let wanted = wanted
            .iter()
            .map(|w| {
                if scope.snake() {
                    snake_case(w)
                } else {
                    camel_case(w)
                }
            })
            .collect();
        Namespace::new(scope)
            .claim_all(wanted)
            .iter()
            .map(|i| i.as_str().to_owned())
            .collect()
    }

    #[test]
    fn type_names_table() {
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
            ("Config", "ConfigValue"),
            ("Error", "ErrorValue"),
            ("Self", "SelfValue"),
            ("3DModel", "_3dModel"),
            ("Type", "Type"),
            ("RequestError", "RequestError"),
            ("", "Shape"),
        ] {
            assert_eq!(claim(Scope::Types, &[raw]), [want], "{raw}");
        }
    }

    #[test]
    fn error_names_avoid_the_runtime_reexports() {
        let names = type_names(&[
            ("RequestError", true),
            ("Unhandled", true),
            ("BuildError", true),
            ("ErrorMeta", true),
            ("Error", true),
            ("ThrottlingException", true),
            ("RequestErrorKind", false),
            ("ThrottlingException", false),
        ]);
        let names: Vec<&str> = names.iter().map(Ident::as_str).collect();
        assert_eq!(
            names,
            [
                "RequestErrorValue",
                "UnhandledValue",
                "BuildErrorValue",
                "ErrorMetaValue",
                "ErrorValue",
                "ThrottlingException",
                "RequestErrorKind",
                "ThrottlingException2",
            ]
        );
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
            assert_eq!(snake_case(raw).as_str(), want, "{raw}");
        }
    }

    #[test]
    fn members_avoid_builder_methods_and_setters() {
        let names = |kind, model: &[&str]| -> Vec<(String, String)> {
            members(kind, model)
                .into_iter()
                .map(|(f, s)| (f.to_string(), s.to_string()))
                .collect()
        };
        assert_eq!(
            names(
                StructureKind::Data,
                &["build", "builder", "default", "send"]
            ),
            [
                ("build_value".into(), "set_build_value".into()),
                ("builder".into(), "set_builder".into()),
                ("default_value".into(), "set_default_value".into()),
                ("send".into(), "set_send".into()),
            ]
        );
        assert_eq!(
            names(
                StructureKind::Input,
                &["send", "handle", "wait", "customize", "new", "name"]
            ),
            [
                ("send_value".into(), "set_send_value".into()),
                ("handle_value".into(), "set_handle_value".into()),
                ("wait_value".into(), "set_wait_value".into()),
                ("customize_value".into(), "set_customize_value".into()),
                ("new_value".into(), "set_new_value".into()),
                ("name".into(), "set_name".into()),
            ]
        );
        assert_eq!(
            names(StructureKind::Error, &["meta", "message"]),
            [
                ("meta_value".into(), "set_meta_value".into()),
                ("message".into(), "set_message".into()),
            ]
        );
        assert_eq!(
            names(StructureKind::Output, &["request_id", "requestId"]),
            [
                ("request_id_value".into(), "set_request_id_value".into()),
                ("request_id_value_2".into(), "set_request_id_value_2".into()),
            ]
        );
        // A member named like another's `set_` setter yields, in either order.
        assert_eq!(
            names(StructureKind::Data, &["set_name", "name"]),
            [
                ("set_name_value".into(), "set_set_name_value".into()),
                ("name".into(), "set_name".into()),
            ]
        );
        assert_eq!(
            names(
                StructureKind::Data,
                &["type", "self", "fooBar", "foo_bar", "Self"]
            ),
            [
                ("r#type".into(), "set_type".into()),
                ("self_".into(), "set_self_".into()),
                ("foo_bar".into(), "set_foo_bar".into()),
                ("foo_bar_2".into(), "set_foo_bar_2".into()),
                ("self_2".into(), "set_self_2".into()),
            ]
        );
    }

    #[test]
    fn module_names() {
        assert_eq!(module_case("Type").as_str(), "type_");
        assert_eq!(module_case("ServiceSummary").as_str(), "service_summary");
        assert_eq!(module_case("self").as_str(), "self_");
        assert_eq!(
            claim(Scope::TypeModules, &["builders", "mod", "x"]),
            ["builders_", "mod_", "x"]
        );
        assert_eq!(crate_ident("aws-proton").as_str(), "aws_proton");
    }

    /// Every sdkId of the corpus (`../shared/models/corpus/`, whose file
    /// names are the api-models-aws folder names users know the services
    /// by), and the issue's examples.
    #[test]
    fn package_names_from_sdk_ids() {
        for (sdk_id, want) in [
            ("Proton", "aws-proton"),
            ("AppRunner", "aws-apprunner"),
            ("CloudControl", "aws-cloudcontrol"),
            ("Cognito Identity Provider", "aws-cognito-identity-provider"),
            (
                "Database Migration Service",
                "aws-database-migration-service",
            ),
            ("EMR", "aws-emr"),
            ("Glue", "aws-glue"),
            ("Lightsail", "aws-lightsail"),
            ("Rekognition", "aws-rekognition"),
            ("SageMaker", "aws-sagemaker"),
            ("ServiceDiscovery", "aws-servicediscovery"),
            ("SSO Admin", "aws-sso-admin"),
            ("Support", "aws-support"),
            ("SWF", "aws-swf"),
            ("Timestream Write", "aws-timestream-write"),
            ("Transfer", "aws-transfer"),
            ("VerifiedPermissions", "aws-verifiedpermissions"),
            ("DynamoDB Streams", "aws-dynamodb-streams"),
            ("CloudWatch Logs", "aws-cloudwatch-logs"),
            ("Secrets Manager", "aws-secrets-manager"),
            // Characters a package name cannot hold, and stray spaces.
            ("Elastic Load Balancing v2", "aws-elastic-load-balancing-v2"),
            ("  IoT  1Click ", "aws-iot-1click"),
            (
                "Route53 Recovery.Control/Config",
                "aws-route53-recovery-control-config",
            ),
            ("forecast_query", "aws-forecast_query"),
        ] {
            assert_eq!(package_name(sdk_id), want, "{sdk_id:?}");
            let ident = crate_ident(want);
            assert_eq!(ident.as_str(), want.replace('-', "_"), "{sdk_id:?}");
        }
    }

    #[test]
    fn package_keywords_are_ones_crates_io_takes() {
        for (sdk_id, want) in [
            ("Proton", Some("proton")),
            ("DynamoDB Streams", Some("dynamodb-streams")),
            ("Cognito Identity Provider", None),
            ("Route53 Recovery.Control/Config", None),
            ("  IoT  1Click ", Some("iot-1click")),
            ("1Click", None),
            ("", None),
        ] {
            assert_eq!(package_keyword(sdk_id).as_deref(), want, "{sdk_id:?}");
        }
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
            ("Result", "Result"),
            ("", "Shape"),
        ] {
            assert_eq!(claim(Scope::Variants, &[raw]), [want], "{raw}");
        }
    }

    #[test]
    fn error_enum_names() {
        assert_eq!(
            claim(
                Scope::ErrorVariants,
                &["Unhandled", "Request", "UnhandledError", "Conflict"]
            ),
            [
                "UnhandledError",
                "RequestError",
                "UnhandledError2",
                "Conflict"
            ]
        );
        assert_eq!(
            claim(
                Scope::ErrorMethods,
                &["is_conflict", "is_unhandled", "is_request"]
            ),
            ["is_conflict", "is_unhandled_value", "is_request_value"]
        );
    }

    #[test]
    fn client_and_operation_names() {
        assert_eq!(
            claim(
                Scope::ClientMethods,
                &["ListThings", "New", "Endpoint", "list_things"]
            ),
            [
                "list_things",
                "new_value",
                "endpoint_value",
                "list_things_2"
            ]
        );
        assert_eq!(
            claim(Scope::OperationFunctions, &["send", "ready_acceptors"]),
            ["send_value", "ready_acceptors"]
        );
        assert_eq!(
            claim(Scope::OperationTypes, &["GetThingInput", "GetThingInput"]),
            ["GetThingInput", "GetThingInput2"]
        );
    }

    #[test]
    fn endpoint_names() {
        assert_eq!(
            claim(
                Scope::EndpointLocals,
                &["Region", "region", "params", "UseFIPS", "type"]
            ),
            ["region", "region_2", "params_value", "use_fips", "r#type"]
        );
        assert_eq!(
            claim(Scope::EndpointTests, &["resolve", "Params", "nothing set"]),
            ["resolve_value", "params", "nothing_set"]
        );
    }

    #[test]
    fn test_names() {
        for (description, want) in [
            (
                Some("For region us-east-1 with FIPS enabled"),
                "for_region_us_east_1_with_fips_enabled",
            ),
            (Some("3rd party"), "case_3rd_party"),
            (Some("type"), "r#type"),
            (Some("???"), "value"),
            (Some("  "), "case_7"),
            (None, "case_7"),
            (Some("Région"), "r_gion"),
        ] {
            assert_eq!(test_name(description, 7).as_str(), want, "{description:?}");
        }
    }

    #[test]
    fn numbering_keeps_original_names() {
        assert_eq!(
            claim(Scope::Types, &["Ab", "Ab", "Ab2", "Ab"]),
            ["Ab", "Ab3", "Ab2", "Ab4"]
        );
        assert_eq!(
            claim(Scope::Members(StructureKind::Data), &["a", "a", "a_2"]),
            ["a", "a_3", "a_2"]
        );
    }

    #[test]
    fn raw_identifiers_render_raw() {
        let ident = snake_case("type");
        assert_eq!(ident.unraw(), "type");
        assert_eq!(quote::quote!(#ident).to_string(), "r#type");
        assert_eq!(ident.prefixed("set_").as_str(), "set_type");
        assert_eq!(camel_case("Foo").suffixed("Builder").as_str(), "FooBuilder");
    }
}
