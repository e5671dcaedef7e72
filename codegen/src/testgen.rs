//! Generated end-to-end tests: one `#[tokio::test]` per operation.
//!
//! From the IR, [`generate`] writes one integration-test file for the
//! generated client. Each test starts the loopback test server, calls its
//! operation through the client's fluent builder with every input member set
//! to a sample value ([`Samples`]), and checks that the request carried
//! `X-Amz-Target: <Service>.<Operation>`, the protocol's `Content-Type`, and
//! exactly the JSON body predicted here (compared as parsed documents, so
//! member order does not matter). The server then answers with a sample of
//! every output member, and the test checks the parsed output equals the
//! same sample built with the output's builder.
//!
//! With the client's `serde` feature, a `serde_round_trip` module adds one
//! test per operation (host-prefixed ones included): the output sample,
//! built, serializes with serde to the wire JSON (big numbers as strings)
//! and reads back into an equal value.
//!
//! Sample values come from one place ([`Samples`]) for both directions; each
//! [`Sample`] renders itself both as the JSON the wire should carry and as
//! the Rust expression building it.

use crate::emit::rust::{doc, document, inner_doc, rt, rt_declaration};
use crate::emit::QuickStart;
use crate::error::Error;
use crate::ir::{
    Document, Field, HostPart, Operation, Presence, Service, Structure, TimestampFormat, Type, TypeDef,
    Variant,
};
use crate::model::{EnumLiteral, ShapeId};
use crate::naming::Ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::{json, Map, Value};

pub mod responses;

/// Where the generated tests find their support code.
#[derive(Clone, Debug)]
pub struct TestOptions {
    /// The client crate as a Rust path (`aws_proton`).
    pub client_crate: String,
    /// The crate providing `TestServer`, `Reply` and `test_config`
    /// (`workspace_tests`).
    pub support_crate: String,
}

/// The deepest nesting of named types (structures, unions, enums) a sample
/// builds; deeper optional members are left unset.
pub const MAX_DEPTH: usize = 6;

/// How many named types one sample expands at most (an operation's input
/// or output, a member's value). Within [`MAX_DEPTH`] a structure with
/// many members each holding the next would otherwise grow as
/// members^6: 8 structures of 64 members took an hour and gigabytes of
/// tests. Past it the sample is cut as past [`MAX_DEPTH`].
pub const MAX_SAMPLE_TYPES: usize = 1_000;

/// Whole seconds of every sample timestamp: 2020-09-13T12:26:40Z, a Sunday.
const SAMPLE_SECS: i64 = 1_600_000_000;
/// The bytes of every sample blob.
const SAMPLE_BLOB: &[u8] = b"blob";
/// `SAMPLE_BLOB` in base64.
const SAMPLE_BLOB_BASE64: &str = "YmxvYg==";

/// A sample value of some member type.
#[derive(Clone, Debug, PartialEq)]
pub enum Sample {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A byte, short, integer or long.
    Integer(i64),
    /// A float or double (exactly representable in both).
    Float(f64),
    /// A big integer or big decimal, as decimal text.
    BigNumber {
        /// The decimal text.
        text: String,
        /// `BigDecimal` rather than `BigInteger`.
        decimal: bool,
    },
    /// A timestamp (2020-09-13T12:26:40Z, 1600000000 seconds), in a wire format.
    Timestamp(TimestampFormat),
    /// A blob.
    Blob,
    /// A document.
    Document(Document),
    /// An enum or intEnum value.
    Enum {
        /// The enum shape.
        id: ShapeId,
        /// The Rust variant.
        variant: Ident,
        /// The wire value.
        value: EnumLiteral,
    },
    /// A structure: `(field index, value)` for each member set.
    Structure {
        /// The structure shape.
        id: ShapeId,
        /// Members set, in model order.
        members: Vec<(usize, Sample)>,
    },
    /// A union: one variant (index), with its value unless it is a unit variant.
    Union {
        /// The union shape.
        id: ShapeId,
        /// The variant's index.
        variant: usize,
        /// Its value (`None` for `smithy.api#Unit`).
        value: Option<Box<Sample>>,
    },
    /// A list.
    List {
        /// The items.
        items: Vec<Sample>,
        /// `@sparse`.
        sparse: bool,
    },
    /// A map.
    Map {
        /// The entries.
        entries: Vec<(Sample, Sample)>,
        /// `@sparse`.
        sparse: bool,
    },
}

/// Builds deterministic sample values from the IR.
///
/// Strings are named after their member, numbers are fixed, enums take their
/// first value, unions their first variant that can be built, lists and maps
/// one element. A named type already being built further up (recursion),
/// nesting beyond [`MAX_DEPTH`] or past the [`MAX_SAMPLE_TYPES`] one sample
/// expands cuts the sample: an optional member is left
/// unset, a list or map is left empty, and a required member makes its
/// structure unbuildable (its parent then treats it the same way).
pub struct Samples<'s> {
    service: &'s Service,
    max_depth: usize,
    /// Named types the sample being built may still expand.
    left: std::cell::Cell<usize>,
}

impl<'s> Samples<'s> {
    /// Samples for `service`'s types, nesting at most [`MAX_DEPTH`] named types.
    pub fn new(service: &'s Service) -> Self {
        Self::with_max_depth(service, MAX_DEPTH)
    }

    /// Samples nesting at most `max_depth` named types.
    pub fn with_max_depth(service: &'s Service, max_depth: usize) -> Self {
        Self {
            service,
            max_depth,
            left: std::cell::Cell::new(MAX_SAMPLE_TYPES),
        }
    }

    /// A sample of an operation's input or output structure (every member
    /// that can be built is set).
    pub fn structure(&self, s: &Structure) -> Option<Sample> {
        self.left.set(MAX_SAMPLE_TYPES);
        self.structure_members(s, &mut vec![s.id.clone()])
    }

    /// A sample of `ty`, for the member called `member`.
    pub fn value(&self, ty: &Type, member: &str) -> Option<Sample> {
        self.left.set(MAX_SAMPLE_TYPES);
        self.sample(ty, member, &mut Vec::new())
    }

    fn structure_members(&self, s: &Structure, stack: &mut Vec<ShapeId>) -> Option<Sample> {
        let mut members = Vec::new();
        for (i, field) in s.fields.iter().enumerate() {
            match self.sample(&field.ty, &field.member, stack) {
                Some(v) => members.push((i, v)),
                None if field.presence.is_option()
                    || matches!(field.presence, Presence::Default(_)) => {}
                None => return None,
            }
        }
        Some(Sample::Structure {
            id: s.id.clone(),
            members,
        })
    }

    fn sample(&self, ty: &Type, member: &str, stack: &mut Vec<ShapeId>) -> Option<Sample> {
        Some(match ty {
            Type::String => Sample::String(member.to_owned()),
            Type::Bool => Sample::Bool(true),
            Type::Byte => Sample::Integer(7),
            Type::Short => Sample::Integer(300),
            Type::Integer => Sample::Integer(42),
            Type::Long => Sample::Integer(5_000_000_000),
            Type::Float | Type::Double => Sample::Float(1.5),
            Type::BigInteger => Sample::BigNumber {
                text: "12345".to_owned(),
                decimal: false,
            },
            Type::BigDecimal => Sample::BigNumber {
                text: "1.25".to_owned(),
                decimal: true,
            },
            Type::Timestamp(format) => Sample::Timestamp(*format),
            Type::Blob => Sample::Blob,
            Type::Document => Sample::Document(Document::Object(vec![(
                member.to_owned(),
                Document::Array(vec![
                    Document::String("document".to_owned()),
                    Document::PosInt(1),
                    Document::Bool(true),
                ]),
            )])),
            Type::List { member: m, sparse } => Sample::List {
                items: self.sample(m, member, stack).into_iter().collect(),
                sparse: *sparse,
            },
            Type::Map { key, value, sparse } => {
                let key = self.sample(key, &format!("{member}Key"), stack);
                let value = self.sample(value, member, stack);
                Sample::Map {
                    entries: key.zip(value).into_iter().collect(),
                    sparse: *sparse,
                }
            }
            Type::Named(id) => {
                if stack.contains(id) || stack.len() >= self.max_depth || self.left.get() == 0 {
                    return None;
                }
                self.left.set(self.left.get() - 1);
                stack.push(id.clone());
                let sample = self.named(id, stack);
                stack.pop();
                return sample;
            }
        })
    }

    fn named(&self, id: &ShapeId, stack: &mut Vec<ShapeId>) -> Option<Sample> {
        match self.service.type_def(id)? {
            TypeDef::Enum(e) => {
                let first = e.variants.first()?;
                Some(Sample::Enum {
                    id: id.clone(),
                    variant: first.name.clone(),
                    value: first.value.clone(),
                })
            }
            TypeDef::Structure(s) => self.structure_members(s, stack),
            TypeDef::Union(u) => u.variants.iter().enumerate().find_map(|(i, v)| {
                let value = match &v.ty {
                    None => None,
                    Some(ty) => Some(Box::new(self.sample(ty, &v.member, stack)?)),
                };
                Some(Sample::Union {
                    id: id.clone(),
                    variant: i,
                    value,
                })
            }),
        }
    }
}

impl Sample {
    /// The JSON the awsJson protocols put on the wire for this value.
    pub fn to_json(&self, service: &Service) -> Value {
        self.json(service, false)
    }

    /// The JSON the generated crate's `serde` feature writes for this value:
    /// the wire's, but big numbers are decimal strings.
    pub fn to_serde_json(&self, service: &Service) -> Value {
        self.json(service, true)
    }

    fn json(&self, service: &Service, serde: bool) -> Value {
        match self {
            Sample::String(s) => Value::String(s.clone()),
            Sample::Bool(b) => Value::Bool(*b),
            Sample::Integer(i) => json!(i),
            Sample::Float(f) => json!(f),
            Sample::BigNumber { text, .. } if serde => Value::String(text.clone()),
            Sample::BigNumber { text, .. } => {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
            }
            Sample::Timestamp(TimestampFormat::EpochSeconds) => json!(SAMPLE_SECS),
            Sample::Timestamp(TimestampFormat::DateTime) => json!("2020-09-13T12:26:40Z"),
            Sample::Timestamp(TimestampFormat::HttpDate) => {
                json!("Sun, 13 Sep 2020 12:26:40 GMT")
            }
            Sample::Blob => json!(SAMPLE_BLOB_BASE64),
            Sample::Document(v) => v.to_json(),
            Sample::Enum { value, .. } => match value {
                EnumLiteral::String(s) => json!(s),
                EnumLiteral::Int(i) => json!(i),
            },
            Sample::Structure { id, members } => {
                let fields = structure_fields(service, id);
                let mut out = Map::new();
                for (i, v) in members {
                    if let Some(f) = fields.get(*i) {
                        out.insert(f.member.clone(), v.json(service, serde));
                    }
                }
                Value::Object(out)
            }
            Sample::Union { id, variant, value } => {
                let key = union_variants(service, id)
                    .get(*variant)
                    .map_or_else(String::new, |v| v.member.clone());
                let value = value
                    .as_ref()
                    .map_or_else(|| json!({}), |v| v.json(service, serde));
                let mut out = Map::new();
                out.insert(key, value);
                Value::Object(out)
            }
            Sample::List { items, .. } => {
                Value::Array(items.iter().map(|v| v.json(service, serde)).collect())
            }
            Sample::Map { entries, .. } => {
                let mut out = Map::new();
                for (k, v) in entries {
                    let key = match k.json(service, serde) {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    out.insert(key, v.json(service, serde));
                }
                Value::Object(out)
            }
        }
    }
}

impl Sample {
    /// Whether building or reading this value uses anything `@deprecated`
    /// (a type, member, enum value or union variant).
    pub fn uses_deprecated(&self, service: &Service) -> bool {
        let type_deprecated = |id: &ShapeId| match service.type_def(id) {
            Some(TypeDef::Structure(s)) => s.deprecated.is_some(),
            Some(TypeDef::Union(u)) => u.deprecated.is_some(),
            Some(TypeDef::Enum(e)) => e.deprecated.is_some(),
            None => false,
        };
        match self {
            Sample::Enum { id, variant, .. } => {
                type_deprecated(id)
                    || matches!(service.type_def(id), Some(TypeDef::Enum(e))
                        if e.variants.iter().any(|v| &v.name == variant && v.deprecated.is_some()))
            }
            Sample::Structure { id, members } => {
                let fields = structure_fields(service, id);
                type_deprecated(id)
                    || members.iter().any(|(i, v)| {
                        fields.get(*i).is_some_and(|f| f.deprecated.is_some())
                            || v.uses_deprecated(service)
                    })
            }
            Sample::Union { id, variant, value } => {
                type_deprecated(id)
                    || union_variants(service, id)
                        .get(*variant)
                        .is_some_and(|v| v.deprecated.is_some())
                    || value.as_ref().is_some_and(|v| v.uses_deprecated(service))
            }
            Sample::List { items, .. } => items.iter().any(|v| v.uses_deprecated(service)),
            Sample::Map { entries, .. } => entries
                .iter()
                .any(|(k, v)| k.uses_deprecated(service) || v.uses_deprecated(service)),
            _ => false,
        }
    }
}

fn structure_fields<'a>(service: &'a Service, id: &ShapeId) -> &'a [Field] {
    if let Some(TypeDef::Structure(s)) = service.type_def(id) {
        return &s.fields;
    }
    service
        .operations
        .iter()
        .flat_map(|op| [&op.input, &op.output])
        .find(|s| &s.id == id)
        .map_or(&[], |s| &s.fields)
}

fn union_variants<'a>(service: &'a Service, id: &ShapeId) -> &'a [Variant] {
    match service.type_def(id) {
        Some(TypeDef::Union(u)) => &u.variants,
        _ => &[],
    }
}

/// Renders samples as Rust expressions against the client crate.
struct Render<'s> {
    service: &'s Service,
    client: TokenStream,
}

impl Render<'_> {
    fn type_path(&self, id: &ShapeId) -> TokenStream {
        let client = &self.client;
        let name = self.service.type_def(id).map_or_else(
            || crate::naming::camel_case(id.name()),
            |d| d.name().clone(),
        );
        quote!(#client::types::#name)
    }

    /// An expression of the value's type (no `Option`, no `Box`).
    fn value(&self, sample: &Sample) -> TokenStream {
        let rt = rt();
        match sample {
            Sample::String(s) => quote!(#s.to_owned()),
            Sample::Bool(b) => quote!(#b),
            Sample::Integer(i) => {
                let lit = Literal::i64_unsuffixed(*i);
                quote!(#lit)
            }
            Sample::Float(f) => {
                let lit = Literal::f64_unsuffixed(*f);
                quote!(#lit)
            }
            Sample::BigNumber { text, decimal } => {
                let ty = if *decimal {
                    quote!(#rt::BigDecimal)
                } else {
                    quote!(#rt::BigInteger)
                };
                quote!(#text.parse::<#ty>().unwrap())
            }
            Sample::Timestamp(_) => {
                let secs = Literal::i64_unsuffixed(SAMPLE_SECS);
                quote!(#rt::DateTime::from_secs(#secs))
            }
            Sample::Blob => {
                let bytes = Literal::byte_string(SAMPLE_BLOB);
                quote!(#rt::Blob::new(#bytes.to_vec()))
            }
            Sample::Document(v) => document(v),
            Sample::Enum { id, variant, .. } => {
                let path = self.type_path(id);
                quote!(#path::#variant)
            }
            Sample::Structure { id, members } => {
                let path = self.type_path(id);
                let s = match self.service.type_def(id) {
                    Some(TypeDef::Structure(s)) => s,
                    _ => return quote!(compile_error!("not a structure")),
                };
                self.build(quote!(#path::builder()), s, members)
            }
            Sample::Union { id, variant, value } => {
                let path = self.type_path(id);
                let Some(v) = union_variants(self.service, id).get(*variant) else {
                    return quote!(compile_error!("no such variant"));
                };
                let name = &v.name;
                match value {
                    None => quote!(#path::#name),
                    Some(value) => {
                        let value = self.value(value);
                        if v.boxed {
                            quote!(#path::#name(Box::new(#value)))
                        } else {
                            quote!(#path::#name(#value))
                        }
                    }
                }
            }
            Sample::List { items, sparse } => {
                let items = items.iter().map(|i| self.value(i));
                if *sparse {
                    quote!(vec![#(Some(#items)),*])
                } else {
                    quote!(vec![#(#items),*])
                }
            }
            Sample::Map { entries, sparse } => {
                let entries = entries.iter().map(|(k, v)| {
                    let k = self.value(k);
                    let v = self.value(v);
                    if *sparse {
                        quote!((#k, Some(#v)))
                    } else {
                        quote!((#k, #v))
                    }
                });
                quote!(::std::collections::BTreeMap::from([#(#entries),*]))
            }
        }
    }

    /// A setter argument: setters taking `impl Into<String>` get a literal.
    fn arg(&self, sample: &Sample) -> TokenStream {
        match sample {
            Sample::String(s) => quote!(#s),
            other => self.value(other),
        }
    }

    /// The setter calls setting `members` of a structure with `fields`, the
    /// way the generated setters take them (lists appended to item by item,
    /// maps inserted into entry by entry).
    fn setter_calls(&self, fields: &[Field], members: &[(usize, Sample)]) -> Vec<TokenStream> {
        let mut calls = Vec::new();
        for (i, sample) in members {
            let Some(field) = fields.get(*i) else {
                continue;
            };
            let f = &field.name;
            let set = &field.set_name;
            match (&field.ty, sample) {
                (Type::List { sparse: false, .. }, Sample::List { items, .. }) if !field.boxed => {
                    if items.is_empty() {
                        calls.push(quote!(.#set(Some(Vec::new()))));
                    }
                    for item in items {
                        let item = self.arg(item);
                        calls.push(quote!(.#f(#item)));
                    }
                }
                (Type::Map { sparse: false, .. }, Sample::Map { entries, .. }) if !field.boxed => {
                    if entries.is_empty() {
                        calls.push(quote!(.#set(Some(::std::collections::BTreeMap::new()))));
                    }
                    for (k, v) in entries {
                        let (k, v) = (self.arg(k), self.arg(v));
                        calls.push(quote!(.#f(#k, #v)));
                    }
                }
                _ => {
                    let v = self.arg(sample);
                    calls.push(quote!(.#f(#v)));
                }
            }
        }
        calls
    }

    /// `builder` with every member set, then built.
    fn build(
        &self,
        builder: TokenStream,
        s: &Structure,
        members: &[(usize, Sample)],
    ) -> TokenStream {
        let calls = self.setter_calls(&s.fields, members);
        let unwrap = if s.fallible_build() {
            quote!(.unwrap())
        } else {
            quote!()
        };
        quote!(#builder #(#calls)* .build() #unwrap)
    }
}

/// Where `op`'s request goes when the endpoint is [`IN_PROCESS_HOST`]: its
/// host prefix with each label replaced by the label member's sample
/// value, in front of that host. `None` for an operation without a host
/// prefix (it goes to the loopback server, whose address the test knows).
fn prefixed_host(op: &Operation, input: &Sample) -> Option<String> {
    let prefix = op.host_prefix.as_ref()?;
    let mut host = String::new();
    for part in &prefix.parts {
        match part {
            HostPart::Literal(text) => host.push_str(text),
            HostPart::Label(label) => {
                let sample = op
                    .input
                    .fields
                    .iter()
                    .position(|f| f.name == label.field)
                    .and_then(|i| members(input).iter().find(|(m, _)| *m == i));
                match sample {
                    Some((_, Sample::String(value))) => host.push_str(value),
                    // Samples set every member, and a label is a string
                    // member (the IR checks): not reached.
                    _ => host.push_str(&label.member),
                }
            }
        }
    }
    host.push_str(IN_PROCESS_HOST);
    Some(host)
}

/// The endpoint host of the support crate's `InProcess::config`.
const IN_PROCESS_HOST: &str = "in-process.test";

/// The sample input and output of `op`; an error when a required member can never be built.
fn samples(service: &Service, op: &Operation) -> Result<(Sample, Sample), Error> {
    let samples = Samples::new(service);
    let sample = |s: &Structure| {
        samples.structure(s).ok_or_else(|| Error::Model {
            path: service.id.to_string(),
            at: crate::error::Location::shape(&s.id),
            message: format!(
                "no sample value within {MAX_DEPTH} nested types ({MAX_SAMPLE_TYPES} in all): a required member nests too deep or recurses"
            ),
        })
    };
    Ok((sample(&op.input)?, sample(&op.output)?))
}

fn members(sample: &Sample) -> &[(usize, Sample)] {
    match sample {
        Sample::Structure { members, .. } => members,
        _ => &[],
    }
}

fn operation_test(
    service: &Service,
    render: &Render<'_>,
    op: &Operation,
) -> Result<TokenStream, Error> {
    let client = &render.client;
    let (input, output) = samples(service, op)?;
    let request = serde_json::to_string(&input.to_json(service)).unwrap_or_default();
    let response = serde_json::to_string(&output.to_json(service)).unwrap_or_default();
    let method = &op.method;
    let target = &op.target;
    let content_type = service.protocol.content_type();
    let calls = render.setter_calls(&op.input.fields, members(&input));
    let output_ty = &op.output.name;
    let expected = render.build(
        quote!(#client::operation::#method::#output_ty::builder()),
        &op.output,
        members(&output),
    );
    let docs = doc(&format!(
        "`{}`: every input member on the wire, every output member parsed.",
        op.name
    ));
    let (request, response) = (raw_string(&request), raw_string(&response));
    // An operation with a host prefix goes to the in-process double, which
    // records the host the request went to (the loopback server cannot
    // receive a prefixed host); the others go to the loopback server.
    let (start, host_check) = match prefixed_host(op, &input) {
        Some(host) => {
            let uri = format!("https://{host}/");
            (
                quote!(start_in_process),
                quote!(assert_eq!(request.uri, #uri, "the host prefix");),
            )
        }
        None => (quote!(start), quote!()),
    };
    // A test of deprecated API uses it on purpose.
    let allow = if op.deprecated.is_some()
        || op.input.deprecated.is_some()
        || op.output.deprecated.is_some()
        || input.uses_deprecated(service)
        || output.uses_deprecated(service)
    {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    Ok(quote! {
        #docs
        #[tokio::test]
        #allow
        async fn #method() {
            let (server, client) = #start(#response).await;
            let output = client.#method() #(#calls)* .send().await.unwrap();
            let request = only_request(server.requests());
            #host_check
            assert_eq!(request.header("x-amz-target"), Some(#target));
            assert_eq!(request.header("content-type"), Some(#content_type));
            assert_eq!(request.json(), json(#request));
            let expected = #expected;
            assert_eq!(output, expected);
        }
    })
}

/// With the client's `serde` feature: `op`'s output, every member set,
/// serializes to the JSON the wire carries (big numbers as strings) and
/// reads back into an equal value.
fn serde_test(service: &Service, render: &Render<'_>, op: &Operation) -> Result<TokenStream, Error> {
    let client = &render.client;
    let (_, output) = samples(service, op)?;
    let wire = serde_json::to_string(&output.to_serde_json(service)).unwrap_or_default();
    let wire = raw_string(&wire);
    let method = &op.method;
    let name = quote::format_ident!("{}_output", method.unraw());
    let output_ty = &op.output.name;
    let expected = render.build(
        quote!(#client::operation::#method::#output_ty::builder()),
        &op.output,
        members(&output),
    );
    let docs = doc(&format!(
        "`{}`'s output: serde writes the wire form and reads it back.",
        op.name
    ));
    // A test of deprecated API uses it on purpose (a deprecated operation's
    // output is deprecated too).
    let allow = if op.deprecated.is_some()
        || op.output.deprecated.is_some()
        || output.uses_deprecated(service)
    {
        quote!(#[allow(deprecated)])
    } else {
        quote!()
    };
    Ok(quote! {
        #docs
        #[test]
        #allow
        fn #name() {
            let expected = #expected;
            let written = serde_json::to_value(&expected).unwrap();
            let wire: serde_json::Value = serde_json::from_str(#wire).unwrap();
            assert_eq!(written, wire);
            let read: #client::operation::#method::#output_ty = serde_json::from_value(written).unwrap();
            assert_eq!(read, expected);
        }
    })
}

/// A raw string literal holding `text` (`r#"..."#`, with enough `#`s).
pub(crate) fn raw_string(text: &str) -> Literal {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}

/// The crate docs' quick start ([`QuickStart`]), run as written: it reads
/// its configuration from the process environment, so `quick_start` runs
/// it in a child process (this test binary, filtered to the ignored
/// `quick_start_child`) whose environment points at a loopback server and
/// at no shared files; the child refuses to run with any other endpoint.
fn quick_start_tests(service: &Service, options: &TestOptions) -> Result<TokenStream, Error> {
    let Some(q) = QuickStart::new(service, &options.client_crate) else {
        return Ok(TokenStream::new());
    };
    let invalid = |what: &str, e: proc_macro2::LexError| Error::InvalidOutput {
        file: "tests".to_owned(),
        message: format!("the quick start's {what} does not parse: {e}"),
    };
    let code: TokenStream = q.code.parse().map_err(|e| invalid("code", e))?;
    let error: TokenStream = q.error.parse().map_err(|e| invalid("error type", e))?;
    let operation = &q.operation;
    let debug_name = format!("{operation}Output");
    let support: TokenStream = options
        .support_crate
        .parse()
        .map_err(|e| invalid("support crate", e))?;
    Ok(quote! {
        /// The crate docs' quick start, run as written in a child process
        /// whose environment points at this test's loopback server.
        #[tokio::test]
        async fn quick_start() {
            let server = #support::TestServer::start(|_| Reply::ok("{}")).await;
            let exe = std::env::current_exe().unwrap();
            let child = tokio::process::Command::new(exe)
                .args(["operations::quick_start_child", "--exact", "--ignored", "--nocapture"])
                .env_clear()
                .env("AWS_ENDPOINT_URL", server.url())
                .env("AWS_REGION", "us-east-1")
                .env("AWS_ACCESS_KEY_ID", #support::ACCESS_KEY)
                .env("AWS_SECRET_ACCESS_KEY", #support::SECRET_KEY)
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .env("AWS_CONFIG_FILE", "/nonexistent/config")
                .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
                .output()
                .await
                .unwrap();
            let stdout = String::from_utf8_lossy(&child.stdout);
            let stderr = String::from_utf8_lossy(&child.stderr);
            assert!(child.status.success(), "the quick start failed:\n{stdout}\n{stderr}");
            assert!(stdout.contains("1 passed"), "the quick start did not run:\n{stdout}");
            assert!(stdout.contains(#debug_name), "no output printed:\n{stdout}");
            let request = only_request(server.requests());
            assert_eq!(request.operation(), #operation);
            #support::verify_signature(&request, #support::SECRET_KEY).unwrap();
        }

        /// The quick start itself; `quick_start` runs it. Its signature is
        /// the documented one: a service's error enum may be large.
        #[tokio::test]
        #[ignore = "run by `quick_start`, which points its environment at a loopback server"]
        #[allow(clippy::result_large_err)]
        async fn quick_start_child() -> Result<(), #error> {
            let endpoint = std::env::var("AWS_ENDPOINT_URL").unwrap_or_default();
            assert!(
                endpoint.starts_with("http://127.0.0.1:"),
                "run by `quick_start` only: it sets AWS_ENDPOINT_URL to its loopback server"
            );
            #code
            Ok(())
        }
    })
}

/// A crate path given in the options, as tokens.
fn parse_path(p: &str) -> Result<TokenStream, Error> {
    p.parse::<TokenStream>().map_err(|e| Error::InvalidOutput {
        file: "tests".to_owned(),
        message: format!("`{p}` is not a path: {e}"),
    })
}

/// Renders samples against the client crate the options name.
fn render<'s>(service: &'s Service, options: &TestOptions) -> Result<Render<'s>, Error> {
    Ok(Render {
        service,
        client: parse_path(&options.client_crate)?,
    })
}

/// The test file for `service`: one test per operation (operations the
/// client skips are listed in the file's docs instead).
pub fn generate(service: &Service, options: &TestOptions) -> Result<String, Error> {
    let render = render(service, options)?;
    let support = parse_path(&options.support_crate)?;
    let mut tests = Vec::new();
    let left_out: Vec<String> = service
        .skipped
        .iter()
        .map(|s| format!("`{}`: not generated ({})", s.name, s.reason))
        .collect();
    let mut serde_tests = Vec::new();
    for op in &service.operations {
        serde_tests.push(serde_test(service, &render, op)?);
        tests.push(operation_test(service, &render, op)?);
    }
    let quick_start = quick_start_tests(service, options)?;
    let prefixed = |op: &Operation| op.host_prefix.is_some();
    let (to_double, host_check) = if service.operations.iter().any(prefixed) {
        (
            " (an operation with a host prefix: to an in-process double, which records the host the request went to)",
            " the host,",
        )
    } else {
        ("", "")
    };
    let mut docs = format!(
        "One test per operation of `{}`: the call goes to a loopback server{to_double} with every input member set to a sample value; the test checks{host_check} the `X-Amz-Target` and `Content-Type` headers and the JSON body, then that a response with every output member set parses into the expected output.",
        service.id
    );
    if !left_out.is_empty() {
        docs.push_str("\n\nNot tested here:\n");
        for l in &left_out {
            docs.push_str(&format!("\n* {l}"));
        }
    }
    let module_docs = inner_doc(&docs);
    // The helpers the tests call: `start` for the loopback server,
    // `start_in_process` for operations with a host prefix.
    let client = &render.client;
    let start = if service.operations.iter().any(|op| !prefixed(op)) {
        quote! {
            /// A loopback server answering every request with `response`, and a client for it.
            async fn start(response: &'static str) -> (#support::TestServer, #client::Client) {
                let server = #support::TestServer::start(move |_| Reply::ok(response)).await;
                let client = #client::Client::new(&#support::test_config(&server.url()).await);
                (server, client)
            }
        }
    } else {
        quote!()
    };
    let start_in_process = if service.operations.iter().any(prefixed) {
        quote! {
            /// An in-process double answering every request with
            /// `response` (its endpoint is `https://in-process.test`), and a
            /// client for it.
            async fn start_in_process(
                response: &'static str,
            ) -> (::std::sync::Arc<#support::InProcess>, #client::Client) {
                let double = #support::InProcess::new(move |_| Reply::ok(response));
                let client = #client::Client::new(&#support::InProcess::config(&double).await);
                (double, client)
            }
        }
    } else {
        quote!()
    };
    // prettyplease, not rustfmt, formats the file: the tests sit in a
    // module rustfmt skips.
    let rt = rt();
    let rt_declaration = rt_declaration();
    let tokens = quote! {
        #module_docs
        #rt_declaration

        #[rustfmt::skip]
        mod operations {
            use #support::{Recorded, Reply};

            #start

            #start_in_process

            /// The one request of `requests`.
            fn only_request(mut requests: Vec<Recorded>) -> Recorded {
                assert_eq!(requests.len(), 1, "one request, no retries");
                requests.remove(0)
            }

            /// `text` parsed as a JSON document.
            fn json(text: &str) -> #rt::Document {
                #rt::json::from_slice(text.as_bytes()).unwrap()
            }

            #(#tests)*

            #quick_start
        }

        /// With the client's `serde` feature: every operation's output, every
        /// member set, serializes to the JSON the wire carries and reads back
        /// into an equal value.
        #[cfg(feature = "serde")]
        #[rustfmt::skip]
        mod serde_round_trip {
            #(#serde_tests)*
        }
    };
    Ok(format!(
        "{}{}",
        crate::emit::header(service),
        crate::render::render("tests", tokens)?
    ))
}
