//! The Rust-facing intermediate representation: what the generated crate
//! contains, with every decision taken.
//!
//! Built from a [`Model`] and one service shape, the IR closes the service
//! over its operations and resources, decides every Rust name (through
//! [`crate::naming`] only), decides which members are `Option` (Smithy 2.0
//! client rules, see [`optional`]), which need a `Box` (recursion), which are
//! redacted, and which types need a serializer or a deserializer. Emission
//! reads the IR and decides nothing of that kind.

use crate::docs::html_to_markdown;
use crate::error::Error;
use crate::model::{EnumLiteral, Member, Model, Shape, ShapeId, ShapeKind, Simple, Traits};
use crate::naming;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The wire protocol of the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
}

impl Protocol {
    /// The request `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// How a timestamp is written on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimestampFormat {
    /// Seconds since the epoch, a JSON number (the awsJson default).
    EpochSeconds,
    /// RFC 3339 string.
    DateTime,
    /// IMF-fixdate string.
    HttpDate,
}

/// The Rust type of a member.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Type {
    String,
    Bool,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp(TimestampFormat),
    Blob,
    Document,
    /// A named type emitted in `types` (structure, union, enum) or `error`.
    Named(ShapeId),
    /// `smithy.api#Unit`: only as a union variant (a variant with no value).
    Unit,
    List {
        member: Box<Type>,
        sparse: bool,
    },
    Map {
        key: Box<Type>,
        value: Box<Type>,
        sparse: bool,
    },
}

/// A member of a structure, as a Rust field.
#[derive(Clone, Debug)]
pub struct Field {
    /// The member name as modelled: the JSON property name.
    pub member: String,
    /// The Rust field (and setter) name; may be a raw identifier (`r#type`).
    pub name: String,
    /// The value type (without `Option`/`Box`).
    pub ty: Type,
    /// The field is `Option<T>`.
    pub optional: bool,
    /// `@required`: a builder refuses to build without it.
    pub required: bool,
    /// A non-null `@default`, applied by the builder when unset.
    pub default: Option<Value>,
    /// Redacted in `Debug`.
    pub sensitive: bool,
    /// Boxed to break a recursive type.
    pub boxed: bool,
    /// `@idempotencyToken`: filled with a UUID v4 when unset.
    pub idempotency_token: bool,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated` message, if deprecated.
    pub deprecated: Option<Deprecation>,
}

/// `@deprecated`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deprecation {
    /// Why, and what to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

impl Deprecation {
    /// The note for `#[deprecated(note = ...)]`.
    pub fn note(&self) -> String {
        match (&self.message, &self.since) {
            (Some(m), Some(s)) => format!("{m} (since {s})"),
            (Some(m), None) => m.clone(),
            (None, Some(s)) => format!("deprecated since {s}"),
            (None, None) => "deprecated in the service model".to_owned(),
        }
    }
}

/// What a structure is for; decides optionality and where it is emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// An operation's input (treated as `@input`: every member optional).
    Input,
    /// An operation's output.
    Output,
    /// An error (`@error`).
    Error,
    /// Any other structure.
    Data,
}

/// `@error` details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// `"client"` or `"server"`.
    pub fault: String,
    /// `@httpError`, if any.
    pub http_status: Option<u16>,
    /// `@retryable`: `Some(true)` when it is a throttling error.
    pub retryable: Option<bool>,
}

/// A structure.
#[derive(Clone, Debug)]
pub struct Structure {
    /// The model shape.
    pub id: ShapeId,
    /// The Rust type name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Fields in model order.
    pub fields: Vec<Field>,
    /// `@sensitive` on the structure: its whole `Debug` is redacted.
    pub sensitive: bool,
    /// Set for errors.
    pub error: Option<ErrorInfo>,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
}

/// A union.
#[derive(Clone, Debug)]
pub struct Union {
    /// The model shape.
    pub id: ShapeId,
    /// The Rust type name.
    pub name: String,
    /// One variant per member (the `name` of each field is the variant name).
    pub variants: Vec<Field>,
    /// Redacted as a whole.
    pub sensitive: bool,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
}

/// A value of an enum.
#[derive(Clone, Debug)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The wire value.
    pub value: EnumLiteral,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
}

/// An enum or intEnum.
#[derive(Clone, Debug)]
pub struct Enum {
    /// The model shape.
    pub id: ShapeId,
    /// The Rust type name.
    pub name: String,
    /// `intEnum` (values are integers).
    pub int: bool,
    /// The known values.
    pub variants: Vec<EnumVariant>,
    /// Redacted in `Debug`.
    pub sensitive: bool,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
}

/// A named type emitted in `types` or `error`.
#[derive(Clone, Debug)]
pub enum TypeDef {
    /// A structure (or an error, in `error`).
    Structure(Structure),
    /// A union.
    Union(Union),
    /// An enum.
    Enum(Enum),
}

impl TypeDef {
    /// The Rust type name.
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Structure(s) => &s.name,
            TypeDef::Union(u) => &u.name,
            TypeDef::Enum(e) => &e.name,
        }
    }

    /// The module (file) name.
    pub fn module(&self) -> String {
        let m = naming::module_name(self.name());
        if RESERVED_MODULES.contains(&m.as_str()) {
            format!("{m}_")
        } else {
            m
        }
    }
}

/// Module names the generator uses itself inside `types/` and `error/`.
const RESERVED_MODULES: &[&str] = &["builders", "mod"];

/// `@paginated`, merged with the service's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Paginated {
    /// Input member holding the token (model name).
    pub input_token: String,
    /// Dotted output path of the next token.
    pub output_token: String,
    /// Dotted output path of the items, if named.
    pub items: Option<String>,
    /// Input member holding the page size, if named.
    pub page_size: Option<String>,
}

/// An operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The model shape.
    pub id: ShapeId,
    /// The model name (`CreateService`), used on the wire (`X-Amz-Target`).
    pub name: String,
    /// The Rust method and module name (`create_service`).
    pub method: String,
    /// The input structure (`CreateServiceInput`).
    pub input: Structure,
    /// The output structure (`CreateServiceOutput`).
    pub output: Structure,
    /// Modelled errors: the operation's and the service's, by shape ID.
    pub errors: Vec<ShapeId>,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// `@paginated`.
    pub paginated: Option<Paginated>,
    /// `smithy.waiters#waitable`, as in the model.
    pub waiters: Option<Value>,
    /// `@endpoint(hostPrefix)`.
    pub host_prefix: Option<String>,
}

/// An operation the generated client does not offer, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedOperation {
    /// The model name.
    pub name: String,
    /// Why it is left out.
    pub reason: String,
}

/// The whole generated client.
#[derive(Clone, Debug)]
pub struct Service {
    /// The service shape.
    pub id: ShapeId,
    /// Its shape name: the `X-Amz-Target` prefix.
    pub target_prefix: String,
    /// `aws.api#service` `sdkId` (`Proton`); the shape name when absent.
    pub sdk_id: String,
    /// `smithy.api#title`, else the sdkId.
    pub title: String,
    /// `version`.
    pub version: String,
    /// The wire protocol.
    pub protocol: Protocol,
    /// The SigV4 signing name.
    pub signing_name: String,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// Operations, by model name.
    pub operations: Vec<Operation>,
    /// Operations left out, by model name, with the reason (features the
    /// runtime does not implement).
    pub skipped: Vec<SkippedOperation>,
    /// Named types (`types/` and `error/`), by shape ID.
    pub types: BTreeMap<ShapeId, TypeDef>,
    /// Types that appear in requests (need a serializer).
    pub serialized: BTreeSet<ShapeId>,
    /// Types that appear in responses (need a deserializer).
    pub deserialized: BTreeSet<ShapeId>,
    /// `smithy.rules#endpointRuleSet`.
    pub endpoint_rule_set: Option<Value>,
    /// `smithy.rules#endpointTests`.
    pub endpoint_tests: Option<Value>,
}

impl Service {
    /// The named type for `id`.
    pub fn type_def(&self, id: &ShapeId) -> Option<&TypeDef> {
        self.types.get(id)
    }

    /// The error structure for `id`.
    pub fn error(&self, id: &ShapeId) -> Option<&Structure> {
        match self.types.get(id) {
            Some(TypeDef::Structure(s)) if s.role == Role::Error => Some(s),
            _ => None,
        }
    }

    /// The env-var suffix (`AWS_ENDPOINT_URL_<SUFFIX>`): the sdkId upper-cased, spaces to `_`.
    pub fn env_suffix(&self) -> String {
        self.sdk_id.to_ascii_uppercase().replace([' ', '-'], "_")
    }

    /// The `[services]` profile key: the sdkId lower-cased, spaces to `_`.
    pub fn profile_key(&self) -> String {
        self.sdk_id.to_ascii_lowercase().replace([' ', '-'], "_")
    }
}

/// Chooses the service to generate: `wanted` if given, else the only one.
pub fn select_service<'m>(model: &'m Model, wanted: Option<&str>) -> Result<&'m Shape, Error> {
    let services: Vec<&Shape> = model.services().collect();
    if let Some(w) = wanted {
        return services
            .iter()
            .find(|s| s.id.as_str() == w || s.id.name() == w)
            .copied()
            .ok_or_else(|| Error::UnknownService {
                path: model.source.clone(),
                service: w.to_owned(),
                available: services.iter().map(|s| s.id.to_string()).collect(),
            });
    }
    match services.as_slice() {
        [] => Err(Error::NoService {
            path: model.source.clone(),
        }),
        [one] => Ok(one),
        many => Err(Error::SeveralServices {
            path: model.source.clone(),
            services: many.iter().map(|s| s.id.to_string()).collect(),
        }),
    }
}

/// The operations bound to `service`, directly or through its resources
/// (lifecycle, `operations`, `collectionOperations`, nested resources).
pub fn operation_closure(model: &Model, service: &Shape) -> Vec<ShapeId> {
    let mut ops = BTreeSet::new();
    let mut seen_resources = BTreeSet::new();
    let ShapeKind::Service(svc) = &service.kind else {
        return Vec::new();
    };
    ops.extend(svc.operations.iter().cloned());
    let mut stack: Vec<ShapeId> = svc.resources.clone();
    while let Some(r) = stack.pop() {
        if !seen_resources.insert(r.clone()) {
            continue;
        }
        if let Some(ShapeKind::Resource(res)) = model.shape(&r).map(|s| &s.kind) {
            ops.extend(res.lifecycle.iter().cloned());
            ops.extend(res.operations.iter().cloned());
            ops.extend(res.collection_operations.iter().cloned());
            stack.extend(res.resources.iter().cloned());
        }
    }
    ops.into_iter()
        .filter(|id| {
            matches!(
                model.shape(id).map(|s| &s.kind),
                Some(ShapeKind::Operation { .. })
            )
        })
        .collect()
}

const PROTOCOL_NAMESPACES: &[&str] = &["aws.protocols", "smithy.protocols"];

fn protocol(model: &Model, service: &Shape) -> Result<Protocol, Error> {
    if service.traits.has("aws.protocols#awsJson1_0") {
        return Ok(Protocol::AwsJson1_0);
    }
    if service.traits.has("aws.protocols#awsJson1_1") {
        return Ok(Protocol::AwsJson1_1);
    }
    let found: Vec<String> = service
        .traits
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| {
            PROTOCOL_NAMESPACES
                .iter()
                .any(|ns| k.starts_with(&format!("{ns}#")))
        })
        .collect();
    Err(Error::UnsupportedProtocol {
        path: model.source.clone(),
        service: service.id.to_string(),
        found: if found.is_empty() {
            "no protocol trait".to_owned()
        } else {
            format!("protocol {}", found.join(", "))
        },
    })
}

fn deprecation(traits: &Traits) -> Option<Deprecation> {
    traits.get("smithy.api#deprecated").map(|v| Deprecation {
        message: v.get("message").and_then(Value::as_str).map(str::to_owned),
        since: v.get("since").and_then(Value::as_str).map(str::to_owned),
    })
}

fn docs(traits: &Traits) -> Option<String> {
    traits
        .documentation()
        .map(html_to_markdown)
        .filter(|d| !d.is_empty())
}

/// Smithy 2.0 optionality, client view (SPEC 1.7): every member of an
/// `@input` structure (all operation inputs here) is optional; otherwise
/// `@clientOptional` is optional, `@required` or a non-null `@default` is
/// present, and the rest optional.
pub fn optional(role: Role, member: &Member) -> bool {
    if role == Role::Input || member.traits.has("smithy.api#clientOptional") {
        return true;
    }
    if member.traits.has("smithy.api#required") {
        return false;
    }
    !matches!(member.traits.get("smithy.api#default"), Some(v) if !v.is_null())
}

/// Builds the IR for `service` in `model`.
pub fn build(model: &Model, service: &Shape) -> Result<Service, Error> {
    Builder::new(model, service)?.build()
}

struct Builder<'m> {
    model: &'m Model,
    service: &'m Shape,
    rename: BTreeMap<ShapeId, String>,
    /// Rust names of named types, decided up front.
    names: BTreeMap<ShapeId, String>,
}

impl<'m> Builder<'m> {
    fn new(model: &'m Model, service: &'m Shape) -> Result<Self, Error> {
        let rename = match &service.kind {
            ShapeKind::Service(s) => s.rename.clone(),
            _ => BTreeMap::new(),
        };
        Ok(Self {
            model,
            service,
            rename,
            names: BTreeMap::new(),
        })
    }

    fn unsupported(&self, shape: &ShapeId, message: impl Into<String>) -> Error {
        Error::Unsupported {
            path: self.model.source.clone(),
            shape: shape.to_string(),
            message: message.into(),
        }
    }

    fn shape(&self, id: &ShapeId) -> Result<&'m Shape, Error> {
        self.model.shape(id).ok_or_else(|| Error::MissingTarget {
            path: self.model.source.clone(),
            from: self.service.id.to_string(),
            target: id.to_string(),
        })
    }

    /// The Rust name decided for a named type (its shape name if, by a
    /// bug, none was decided: never a panic on model input).
    fn type_name<'a>(&'a self, id: &'a ShapeId) -> &'a str {
        self.names.get(id).map_or(id.name(), String::as_str)
    }

    fn model_name(&self, id: &ShapeId) -> String {
        self.rename
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.name().to_owned())
    }

    fn build(mut self) -> Result<Service, Error> {
        let model = self.model;
        let service = self.service;
        let protocol = protocol(model, service)?;
        let ShapeKind::Service(svc) = &service.kind else {
            return Err(self.unsupported(&service.id, "not a service shape"));
        };
        let (op_ids, skipped) = self.supported_operations(operation_closure(model, service))?;

        // Which named shapes are reachable, and from which side.
        let mut ser_roots = Vec::new();
        let mut de_roots = Vec::new();
        let mut error_ids = BTreeSet::new();
        for id in &op_ids {
            if let ShapeKind::Operation {
                input,
                output,
                errors,
            } = &self.shape(id)?.kind
            {
                ser_roots.extend(
                    self.shape(input)?
                        .members()
                        .iter()
                        .map(|m| m.target.clone()),
                );
                de_roots.extend(
                    self.shape(output)?
                        .members()
                        .iter()
                        .map(|m| m.target.clone()),
                );
                error_ids.extend(errors.iter().cloned());
            }
        }
        error_ids.extend(svc.errors.iter().cloned());
        for e in &error_ids {
            let shape = self.shape(e)?;
            if !shape.traits.has("smithy.api#error") {
                return Err(self.unsupported(e, "listed as an error but has no `@error` trait"));
            }
            de_roots.extend(shape.members().iter().map(|m| m.target.clone()));
        }
        let serialized = self.named_closure(&ser_roots)?;
        let mut deserialized = self.named_closure(&de_roots)?;
        deserialized.extend(error_ids.iter().cloned());

        // Decide type names once, deterministically (sorted by shape ID).
        let named: BTreeSet<ShapeId> = serialized.union(&deserialized).cloned().collect();
        let ids: Vec<ShapeId> = named.iter().cloned().collect();
        let mut names: Vec<String> = ids
            .iter()
            .map(|id| naming::type_name(&self.model_name(id)))
            .collect();
        naming::dedupe(&mut names);
        self.names = ids.iter().cloned().zip(names).collect();

        let boxed = self.recursive_members(&named)?;
        let mut types = BTreeMap::new();
        for id in &named {
            let shape = self.shape(id)?;
            let def = match &shape.kind {
                ShapeKind::Structure(_) => {
                    let role = if error_ids.contains(id) {
                        Role::Error
                    } else {
                        Role::Data
                    };
                    TypeDef::Structure(self.structure(
                        shape,
                        self.type_name(id).to_owned(),
                        role,
                        &boxed,
                    )?)
                }
                ShapeKind::Union(members) => TypeDef::Union(self.union(shape, members, &boxed)?),
                ShapeKind::Enum(values) | ShapeKind::IntEnum(values) => {
                    let int = matches!(shape.kind, ShapeKind::IntEnum(_));
                    let mut variant_names: Vec<String> = values
                        .iter()
                        .map(|v| naming::variant_name(&v.name))
                        .collect();
                    naming::dedupe(&mut variant_names);
                    TypeDef::Enum(Enum {
                        id: id.clone(),
                        name: self.type_name(id).to_owned(),
                        int,
                        variants: values
                            .iter()
                            .zip(variant_names)
                            .map(|(v, name)| EnumVariant {
                                name,
                                value: v.value.clone(),
                                docs: docs(&v.traits),
                                deprecated: deprecation(&v.traits),
                            })
                            .collect(),
                        sensitive: shape.traits.has("smithy.api#sensitive"),
                        docs: docs(&shape.traits),
                        deprecated: deprecation(&shape.traits),
                    })
                }
                _ => continue,
            };
            types.insert(id.clone(), def);
        }

        let paginated_defaults = service.traits.get("smithy.api#paginated");
        let mut operations = Vec::new();
        for id in &op_ids {
            let shape = self.shape(id)?;
            let ShapeKind::Operation {
                input,
                output,
                errors,
            } = &shape.kind
            else {
                continue;
            };
            let name = self.model_name(id);
            let mut errors: Vec<ShapeId> = errors.iter().chain(&svc.errors).cloned().collect();
            errors.sort_by(|a, b| self.type_name(a).cmp(self.type_name(b)));
            errors.dedup();
            let input_shape = self.shape(input)?;
            let output_shape = self.shape(output)?;
            operations.push(Operation {
                id: id.clone(),
                method: naming::field_name(&name),
                input: self.structure(
                    input_shape,
                    format!("{}Input", naming::type_name(&name)),
                    Role::Input,
                    &boxed,
                )?,
                output: self.structure(
                    output_shape,
                    format!("{}Output", naming::type_name(&name)),
                    Role::Output,
                    &boxed,
                )?,
                errors,
                docs: docs(&shape.traits),
                deprecated: deprecation(&shape.traits),
                paginated: self.paginated(shape, paginated_defaults)?,
                waiters: shape.traits.get("smithy.waiters#waitable").cloned(),
                host_prefix: shape
                    .traits
                    .get("smithy.api#endpoint")
                    .and_then(|e| e.get("hostPrefix"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                name,
            });
        }
        operations.sort_by(|a, b| a.name.cmp(&b.name));
        let mut methods: Vec<String> = operations.iter().map(|o| o.method.clone()).collect();
        naming::dedupe(&mut methods);
        for (op, method) in operations.iter_mut().zip(methods) {
            op.method = method;
        }

        let aws_service = service.traits.get("aws.api#service");
        let sdk_id = aws_service
            .and_then(|s| s.get("sdkId"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| service.id.name().to_owned());
        let signing_name = service
            .traits
            .get("aws.auth#sigv4")
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str)
            .or_else(|| {
                aws_service
                    .and_then(|s| s.get("endpointPrefix"))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned)
            .unwrap_or_else(|| sdk_id.to_ascii_lowercase());
        Ok(Service {
            id: service.id.clone(),
            target_prefix: service.id.name().to_owned(),
            title: service
                .traits
                .string("smithy.api#title")
                .map(str::to_owned)
                .unwrap_or_else(|| sdk_id.clone()),
            sdk_id,
            version: svc.version.clone(),
            protocol,
            signing_name,
            docs: docs(&service.traits),
            operations,
            skipped,
            types,
            serialized,
            deserialized,
            endpoint_rule_set: service.traits.get("smithy.rules#endpointRuleSet").cloned(),
            endpoint_tests: service.traits.get("smithy.rules#endpointTests").cloned(),
        })
    }

    /// Splits `ops` into those the client can offer and those it leaves out:
    /// operations with event streams (a `@streaming` member in the input or
    /// output) and operations whose endpoint must be discovered
    /// (`aws.api#clientDiscoveredEndpoint` with `required: true`), neither of
    /// which the runtime implements.
    fn supported_operations(
        &self,
        ops: Vec<ShapeId>,
    ) -> Result<(Vec<ShapeId>, Vec<SkippedOperation>), Error> {
        let mut kept = Vec::new();
        let mut skipped = Vec::new();
        for id in ops {
            let shape = self.shape(&id)?;
            let ShapeKind::Operation { input, output, .. } = &shape.kind else {
                continue;
            };
            let streaming = [input, output].into_iter().try_fold(None, |found, io| {
                if found.is_some() {
                    return Ok(found);
                }
                Ok::<_, Error>(self.shape(io)?.members().iter().find_map(|m| {
                    self.model
                        .shape(&m.target)
                        .filter(|t| t.traits.has("smithy.api#streaming"))
                        .map(|_| m.name.clone())
                }))
            })?;
            let discovery_required = shape
                .traits
                .get("aws.api#clientDiscoveredEndpoint")
                .and_then(|d| d.get("required"))
                .and_then(Value::as_bool)
                == Some(true);
            let reason = match (streaming, discovery_required) {
                (Some(member), _) => Some(format!(
                    "its member `{member}` is an event stream, which this client does not support yet"
                )),
                (None, true) => Some(
                    "it requires endpoint discovery, which this client does not implement".to_owned(),
                ),
                (None, false) => None,
            };
            match reason {
                Some(reason) => skipped.push(SkippedOperation {
                    name: self.model_name(&id),
                    reason,
                }),
                None => kept.push(id),
            }
        }
        Ok((kept, skipped))
    }

    /// The named shapes (structures, unions, enums) reachable from `roots`
    /// through members, list members and map keys/values.
    fn named_closure(&self, roots: &[ShapeId]) -> Result<BTreeSet<ShapeId>, Error> {
        let mut out = BTreeSet::new();
        let mut stack: Vec<ShapeId> = roots.to_vec();
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let shape = self.shape(&id)?;
            match &shape.kind {
                ShapeKind::Structure(ms) | ShapeKind::Union(ms) => {
                    if !shape.traits.has("smithy.api#unitType") {
                        out.insert(id.clone());
                    }
                    stack.extend(ms.iter().map(|m| m.target.clone()));
                }
                ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => {
                    out.insert(id.clone());
                }
                ShapeKind::List(m) => stack.push(m.target.clone()),
                ShapeKind::Map { key, value } => {
                    stack.push(key.target.clone());
                    stack.push(value.target.clone());
                }
                _ => {}
            }
        }
        Ok(out)
    }

    /// Members (`shape$member`) that must be boxed: those whose target, by
    /// direct structure/union containment (lists and maps already allocate),
    /// leads back to the containing shape.
    fn recursive_members(&self, named: &BTreeSet<ShapeId>) -> Result<BTreeSet<ShapeId>, Error> {
        let direct = |id: &ShapeId| -> Vec<ShapeId> {
            self.model
                .shape(id)
                .map(|s| {
                    s.members()
                        .iter()
                        .filter(|m| {
                            matches!(
                                self.model.shape(&m.target).map(|t| &t.kind),
                                Some(ShapeKind::Structure(_) | ShapeKind::Union(_))
                            )
                        })
                        .map(|m| m.target.clone())
                        .collect()
                })
                .unwrap_or_default()
        };
        let reaches = |from: &ShapeId, to: &ShapeId| -> bool {
            let mut stack = vec![from.clone()];
            let mut seen = BTreeSet::new();
            while let Some(id) = stack.pop() {
                if &id == to {
                    return true;
                }
                if seen.insert(id.clone()) {
                    stack.extend(direct(&id));
                }
            }
            false
        };
        let mut out = BTreeSet::new();
        for id in named {
            let shape = self.shape(id)?;
            for m in shape.members() {
                if direct(id).contains(&m.target) && reaches(&m.target, id) {
                    out.insert(id.member(&m.name));
                }
            }
        }
        Ok(out)
    }

    fn member_type(&self, member: &Member) -> Result<Type, Error> {
        let target = self.shape(&member.target)?;
        Ok(match &target.kind {
            ShapeKind::Simple(s) => match s {
                Simple::Blob => Type::Blob,
                Simple::Boolean => Type::Bool,
                Simple::String => Type::String,
                Simple::Byte => Type::Byte,
                Simple::Short => Type::Short,
                Simple::Integer => Type::Integer,
                Simple::Long => Type::Long,
                Simple::Float => Type::Float,
                Simple::Double => Type::Double,
                Simple::BigInteger => Type::BigInteger,
                Simple::BigDecimal => Type::BigDecimal,
                Simple::Document => Type::Document,
                Simple::Timestamp => {
                    let format = member
                        .traits
                        .string("smithy.api#timestampFormat")
                        .or_else(|| target.traits.string("smithy.api#timestampFormat"));
                    Type::Timestamp(match format {
                        None | Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                        Some("date-time") => TimestampFormat::DateTime,
                        Some("http-date") => TimestampFormat::HttpDate,
                        Some(other) => {
                            return Err(self.unsupported(
                                &member.target,
                                format!("unknown @timestampFormat `{other}`"),
                            ))
                        }
                    })
                }
            },
            ShapeKind::Enum(_)
            | ShapeKind::IntEnum(_)
            | ShapeKind::Structure(_)
            | ShapeKind::Union(_) => {
                if target.traits.has("smithy.api#unitType") {
                    return Err(self.unsupported(
                        &member.target,
                        "smithy.api#Unit may only be an operation input/output or a union member",
                    ));
                }
                Type::Named(member.target.clone())
            }
            ShapeKind::List(m) => Type::List {
                member: Box::new(self.member_type(m)?),
                sparse: target.traits.has("smithy.api#sparse"),
            },
            ShapeKind::Map { key, value } => Type::Map {
                key: Box::new(self.member_type(key)?),
                value: Box::new(self.member_type(value)?),
                sparse: target.traits.has("smithy.api#sparse"),
            },
            ShapeKind::Operation { .. } | ShapeKind::Resource(_) | ShapeKind::Service(_) => {
                return Err(self.unsupported(
                    &member.target,
                    "a member cannot target an operation, resource or service",
                ))
            }
        })
    }

    /// A member is redacted when it (1.0) or its target is `@sensitive`, or
    /// when it is a list/map holding sensitive simple values. Sensitive
    /// structures and unions redact themselves.
    fn sensitive(&self, member: &Member) -> bool {
        if member.traits.has("smithy.api#sensitive") {
            return true;
        }
        let Some(target) = self.model.shape(&member.target) else {
            return false;
        };
        match &target.kind {
            ShapeKind::List(m) => self.sensitive(m),
            ShapeKind::Map { key, value } => self.sensitive(key) || self.sensitive(value),
            ShapeKind::Structure(_) | ShapeKind::Union(_) => false,
            _ => target.traits.has("smithy.api#sensitive"),
        }
    }

    fn field(
        &self,
        owner: &ShapeId,
        member: &Member,
        role: Role,
        boxed: &BTreeSet<ShapeId>,
    ) -> Result<Field, Error> {
        let target = self.shape(&member.target)?;
        let merged_docs = docs(&member.traits).or_else(|| docs(&target.traits));
        let default = member
            .traits
            .get("smithy.api#default")
            .filter(|v| !v.is_null())
            .cloned();
        Ok(Field {
            member: member.name.clone(),
            name: naming::field_name(&member.name),
            ty: self.member_type(member)?,
            optional: optional(role, member),
            required: member.traits.has("smithy.api#required"),
            default,
            sensitive: self.sensitive(member),
            boxed: boxed.contains(&owner.member(&member.name)),
            idempotency_token: member.traits.has("smithy.api#idempotencyToken"),
            docs: merged_docs,
            deprecated: deprecation(&member.traits).or_else(|| deprecation(&target.traits)),
        })
    }

    fn structure(
        &self,
        shape: &Shape,
        name: String,
        role: Role,
        boxed: &BTreeSet<ShapeId>,
    ) -> Result<Structure, Error> {
        let mut fields = shape
            .members()
            .iter()
            .map(|m| self.field(&shape.id, m, role, boxed))
            .collect::<Result<Vec<_>, _>>()?;
        let mut names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        naming::dedupe(&mut names);
        for (f, n) in fields.iter_mut().zip(names) {
            f.name = n;
        }
        let error = match shape.traits.get("smithy.api#error") {
            Some(fault) if role == Role::Error => Some(ErrorInfo {
                fault: fault.as_str().unwrap_or("client").to_owned(),
                http_status: shape
                    .traits
                    .get("smithy.api#httpError")
                    .and_then(Value::as_u64)
                    .and_then(|s| u16::try_from(s).ok()),
                retryable: shape.traits.get("smithy.api#retryable").map(|r| {
                    r.get("throttling")
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                }),
            }),
            _ => None,
        };
        Ok(Structure {
            id: shape.id.clone(),
            name,
            role,
            fields,
            sensitive: shape.traits.has("smithy.api#sensitive"),
            error,
            docs: docs(&shape.traits),
            deprecated: deprecation(&shape.traits),
        })
    }

    fn union(
        &self,
        shape: &Shape,
        members: &[Member],
        boxed: &BTreeSet<ShapeId>,
    ) -> Result<Union, Error> {
        let mut variants = Vec::new();
        for m in members {
            let unit = self
                .model
                .shape(&m.target)
                .is_some_and(|t| t.traits.has("smithy.api#unitType"));
            let mut field = if unit {
                Field {
                    member: m.name.clone(),
                    name: String::new(),
                    ty: Type::Unit,
                    optional: false,
                    required: false,
                    default: None,
                    sensitive: false,
                    boxed: false,
                    idempotency_token: false,
                    docs: docs(&m.traits),
                    deprecated: deprecation(&m.traits),
                }
            } else {
                self.field(&shape.id, m, Role::Data, boxed)?
            };
            field.name = naming::variant_name(&m.name);
            field.optional = false;
            variants.push(field);
        }
        let mut names: Vec<String> = variants.iter().map(|v| v.name.clone()).collect();
        naming::dedupe(&mut names);
        for (v, n) in variants.iter_mut().zip(names) {
            v.name = n;
        }
        Ok(Union {
            id: shape.id.clone(),
            name: self.type_name(&shape.id).to_owned(),
            variants,
            sensitive: shape.traits.has("smithy.api#sensitive"),
            docs: docs(&shape.traits),
            deprecated: deprecation(&shape.traits),
        })
    }

    fn paginated(&self, op: &Shape, defaults: Option<&Value>) -> Result<Option<Paginated>, Error> {
        let Some(own) = op.traits.get("smithy.api#paginated") else {
            return Ok(None);
        };
        let get = |key: &str| {
            own.get(key)
                .or_else(|| defaults.and_then(|d| d.get(key)))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let (Some(input_token), Some(output_token)) = (get("inputToken"), get("outputToken"))
        else {
            return Err(self.unsupported(
                &op.id,
                "@paginated needs inputToken and outputToken (on the operation or the service)",
            ));
        };
        Ok(Some(Paginated {
            input_token,
            output_token,
            items: get("items"),
            page_size: get("pageSize"),
        }))
    }
}
