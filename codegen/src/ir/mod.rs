//! The Rust-facing intermediate representation: what the generated crate
//! contains, with every decision taken.
//!
//! [`build`] is the only code that reads the model. It closes the service
//! over its operations and resources, asks [`crate::naming`] for every Rust
//! name, decides each member's [`Presence`], which members need a `Box`
//! (recursion), which are redacted, which types need a serializer or a
//! deserializer, and turns every trait the client acts on into a typed
//! value: `@default` into a [`DefaultValue`], `@endpoint` into a
//! [`HostPrefix`], `@paginated` into member chains ([`Paginated`]),
//! waiters into acceptors over typed JMESPath ([`Waiter`]), the endpoint rule
//! set into a type-checked [`endpoint_rules::RuleSet`]. Every problem in
//! the model is an [`Error::Model`](crate::Error::Model) naming where it is.
//! Emission reads the IR and cannot fail.

mod build;
mod discovery;
pub mod jmespath;
pub mod jmespath_typed;
mod paginator;
mod path;
pub mod protocol_test;
pub mod trait_id;
mod typed_value;
mod value;
mod waiter;

pub use build::{build, build_customized, operation_closure, select_service, MAX_COLLECTION_DEPTH};
pub use path::{MemberPath, Step};
pub use protocol_test::{
    Body, Expected, ProtocolTest, QueryChecks, RequestTest, ResponseTest, TestCase, TestKind,
};
pub use typed_value::{epoch_seconds, TypedValue};
pub use value::{DefaultValue, Document};
pub use waiter::{
    Acceptor, AcceptorState, Matcher, PathComparator, PathMatcher, Root, WaiterReturns,
};

use crate::endpoint_rules;
use crate::model::{EnumLiteral, ShapeId};
use crate::naming::{self, Ident};
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

/// A cargo feature of the generated crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Feature {
    /// `serde`: `Serialize`/`Deserialize` (serde's) on every type.
    Serde,
    /// `test-util`: mocks, and the codec directions they need (output and
    /// error serializers, input deserializers).
    TestUtil,
}

impl Feature {
    /// The feature's name in `Cargo.toml` and `cfg(feature = ...)`.
    pub fn name(self) -> &'static str {
        match self {
            Feature::Serde => "serde",
            Feature::TestUtil => "test-util",
        }
    }
}

/// When a piece of generated code is compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Always: the client needs it.
    Always,
    /// Only with the feature on.
    Feature(Feature),
}

/// When each direction of a type's JSON codec is compiled: the direction
/// the client uses always, the other only for mocks (a mock answers with
/// outputs and errors, and reads inputs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Codecs {
    /// The JSON writer (requests; mocked responses).
    pub serialize: Gate,
    /// The JSON reader (responses; mocked requests).
    pub deserialize: Gate,
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

/// Whether a member must have a value, and who provides it when it has
/// none: one state instead of `@required`, `@default`, `@clientOptional`,
/// `@idempotencyToken` and the structure's role.
#[derive(Clone, Debug, PartialEq)]
pub enum Presence {
    /// `Option<T>`: unset is fine.
    Optional,
    /// `Option<T>` in an operation input (inputs are `@input`: every member
    /// may be unset on the wire), but `build()` refuses it unset because the
    /// model marks it `@required`.
    RequiredInput,
    /// `Option<T>` in an operation input, filled with a fresh UUID v4 when
    /// unset (`@idempotencyToken`).
    IdempotencyToken,
    /// `T`: `build()` refuses it unset, and a response without it gets the
    /// type's zero value (Smithy's client error correction).
    Required,
    /// `T`: the builder and the reader fill in the `@default` when unset.
    Default(DefaultValue),
}

impl Presence {
    /// The field is `Option<T>`.
    pub fn is_option(&self) -> bool {
        matches!(
            self,
            Presence::Optional | Presence::RequiredInput | Presence::IdempotencyToken
        )
    }

    /// `build()` fails when the member is unset.
    pub fn checked_on_build(&self) -> bool {
        matches!(self, Presence::RequiredInput | Presence::Required)
    }
}

/// A member of a structure, as a Rust field.
#[derive(Clone, Debug)]
pub struct Field {
    /// The member name as modelled: the JSON property name.
    pub member: String,
    /// The Rust field and setter name; may be a raw identifier (`r#type`).
    pub name: Ident,
    /// The setter that takes an `Option` (`set_type`).
    pub set_name: Ident,
    /// The value type (without `Option`/`Box`).
    pub ty: Type,
    /// Whether it must be set, and what fills it when it is not.
    pub presence: Presence,
    /// Redacted in `Debug`.
    pub sensitive: bool,
    /// Boxed to break a recursive type.
    pub boxed: bool,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated`, if deprecated.
    pub deprecated: Option<Deprecation>,
    /// Constraints and `@sensitive`, where they are declared.
    pub declared: Declarations,
    /// serde (feature `serde`) needs `rename` to `member`: neither the
    /// structure's [`Structure::serde_case`] nor the field name gives it.
    pub serde_rename: bool,
}

/// Numeric bounds of `@length` or `@range`, each number as the model
/// writes it (`@range` takes decimals; no float rounding).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bounds {
    /// `min`.
    pub min: Option<String>,
    /// `max`.
    pub max: Option<String>,
}

/// Traits as one shape or member declares them, kept for the changelog:
/// the constraint traits (the service enforces them; the generated client
/// does not, since a stricter client would refuse what a newer service
/// accepts, so they change no generated code) and `@sensitive` (which the
/// IR combines with the target's and the elements' into
/// [`Field::sensitive`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclaredTraits {
    /// `@length`.
    pub length: Option<Bounds>,
    /// `@pattern`.
    pub pattern: Option<String>,
    /// `@range`.
    pub range: Option<Bounds>,
    /// `@uniqueItems`.
    pub unique_items: bool,
    /// `@sensitive`.
    pub sensitive: bool,
}

/// Where a member's [`DeclaredTraits`] come from: the member itself and
/// its target (Smithy applies the member's over the target's, kind by kind).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Declarations {
    /// The name of the shape the member targets (`rename` applied).
    pub target: String,
    /// Declared on the member.
    pub member: DeclaredTraits,
    /// Declared on the target, for every member targeting it.
    pub on_target: DeclaredTraits,
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

/// What a structure is for; decides presence and where it is emitted.
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

/// `@error(...)`: who is at fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `client`.
    Client,
    /// `server`.
    Server,
}

impl Fault {
    /// As in the model.
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Client => "client",
            Fault::Server => "server",
        }
    }
}

/// `@error` details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorInfo {
    /// Who is at fault.
    pub fault: Fault,
    /// `@httpError`, if any.
    pub http_status: Option<u16>,
    /// `@retryable`: `Some(true)` when it is a throttling error.
    pub retryable: Option<bool>,
    /// The member holding the error message (`message`, any case, a string).
    pub message: Option<ErrorMessage>,
}

impl ErrorInfo {
    /// The HTTP status of the error: `@httpError`, else 400 for a client
    /// fault and 500 for a server fault (as the Smithy spec defaults it).
    pub fn status(&self) -> u16 {
        self.http_status.unwrap_or(match self.fault {
            Fault::Client => 400,
            Fault::Server => 500,
        })
    }
}

/// The message member of an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorMessage {
    /// Its field.
    pub field: Ident,
    /// The field is an `Option`.
    pub optional: bool,
    /// Redacted.
    pub sensitive: bool,
}

/// A structure.
#[derive(Clone, Debug)]
pub struct Structure {
    /// The model shape.
    pub id: ShapeId,
    /// Its name in the service (the service's `rename`, else the shape
    /// name): what the model and the changelog call it.
    pub shape_name: String,
    /// The Rust type name.
    pub name: Ident,
    /// Its builder's name (`<Name>Builder`).
    pub builder: Ident,
    /// Its module (file) name under `types/` or `error/`; for an operation's
    /// input and output, the operation's module.
    pub module: Ident,
    /// Its role.
    pub role: Role,
    /// Fields in model order.
    pub fields: Vec<Field>,
    /// `@sensitive` on the structure: its whole `Debug` is redacted.
    pub sensitive: bool,
    /// Set for errors.
    pub error: Option<ErrorInfo>,
    /// For an operation output: the private field (and method) holding the
    /// response's request ID.
    pub request_id: Option<Ident>,
    /// A response may omit a `@required` member of this type: the crate
    /// gives it a constructor of its corrected default (Smithy's client
    /// error correction: required members at their zero values, defaults
    /// filled in, the rest unset).
    pub corrected_default: bool,
    /// The serde `rename_all` rule of its fields (feature `serde`), when one
    /// gives most of them their JSON property names.
    pub serde_case: Option<naming::SerdeCase>,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
}

impl Structure {
    /// The HTTP status an error structure is answered with
    /// ([`ErrorInfo::status`]); 400 for a structure that is no error.
    pub fn error_status(&self) -> u16 {
        self.error.as_ref().map_or(400, ErrorInfo::status)
    }

    /// Whether `build()` can fail: some member is checked on build.
    pub fn fallible_build(&self) -> bool {
        self.fields.iter().any(|f| f.presence.checked_on_build())
    }

    /// When each direction of this structure's JSON codec is compiled: an
    /// input is written always and read for mocks, an output the other way
    /// round; other structures as [`Service::codecs`] says.
    pub fn codecs(&self, service: &Service) -> Codecs {
        let mock = Gate::Feature(Feature::TestUtil);
        match self.role {
            Role::Input => Codecs {
                serialize: Gate::Always,
                deserialize: mock,
            },
            Role::Output => Codecs {
                serialize: mock,
                deserialize: Gate::Always,
            },
            Role::Error | Role::Data => service.codecs(&self.id),
        }
    }
}

/// A variant of a union.
#[derive(Clone, Debug)]
pub struct Variant {
    /// The member name as modelled: the JSON property name.
    pub member: String,
    /// The Rust variant name.
    pub name: Ident,
    /// The value type; `None` for `smithy.api#Unit` (a variant without a value).
    pub ty: Option<Type>,
    /// Boxed to break a recursive type.
    pub boxed: bool,
    /// Redacted in `Debug` (the whole union is then redacted).
    pub sensitive: bool,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// Constraints and `@sensitive`, where they are declared.
    pub declared: Declarations,
}

/// A union.
#[derive(Clone, Debug)]
pub struct Union {
    /// The model shape.
    pub id: ShapeId,
    /// Its name in the service (`rename` applied).
    pub shape_name: String,
    /// The Rust type name.
    pub name: Ident,
    /// Its module (file) name under `types/`.
    pub module: Ident,
    /// One variant per member.
    pub variants: Vec<Variant>,
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
    /// The member name as modelled (`HEXAGON`).
    pub member: String,
    /// The Rust variant name.
    pub name: Ident,
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
    /// Its name in the service (`rename` applied).
    pub shape_name: String,
    /// The Rust type name.
    pub name: Ident,
    /// Its module (file) name under `types/`.
    pub module: Ident,
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
    pub fn name(&self) -> &Ident {
        match self {
            TypeDef::Structure(s) => &s.name,
            TypeDef::Union(u) => &u.name,
            TypeDef::Enum(e) => &e.name,
        }
    }

    /// Its name in the service (`rename` applied).
    pub fn shape_name(&self) -> &str {
        match self {
            TypeDef::Structure(s) => &s.shape_name,
            TypeDef::Union(u) => &u.shape_name,
            TypeDef::Enum(e) => &e.shape_name,
        }
    }

    /// The module (file) name.
    pub fn module(&self) -> &Ident {
        match self {
            TypeDef::Structure(s) => &s.module,
            TypeDef::Union(u) => &u.module,
            TypeDef::Enum(e) => &e.module,
        }
    }

    /// Emitted in `crate::error` rather than `crate::types`.
    pub fn is_error(&self) -> bool {
        matches!(self, TypeDef::Structure(s) if s.role == Role::Error)
    }
}

/// An input member an operation trait names (`inputToken`, `pageSize`).
#[derive(Clone, Debug, PartialEq)]
pub struct InputMember {
    /// The member name as modelled.
    pub member: String,
    /// Its field.
    pub field: Ident,
}

/// What a paginated operation's items are.
#[derive(Clone, Debug, PartialEq)]
pub enum ItemsKind {
    /// A list of `member`.
    List {
        /// The item type.
        member: Type,
        /// `@sparse`: items are `Option`s.
        sparse: bool,
    },
    /// A map: items are `(key, value)` pairs.
    Map {
        /// The key type.
        key: Type,
        /// The value type.
        value: Type,
        /// `@sparse`: values are `Option`s.
        sparse: bool,
    },
}

/// `@paginated`, merged with the service's defaults and resolved against
/// the input and output.
#[derive(Clone, Debug, PartialEq)]
pub struct Paginated {
    /// The input member holding the token.
    pub input_token: InputMember,
    /// The token's type: a string, or a map (some services page with a
    /// map of keys); the same in the input and the output.
    pub token: Type,
    /// `outputToken` as written (a dotted path).
    pub output_token_path: String,
    /// `outputToken` resolved: of type [`token`](Self::token).
    pub output_token: MemberPath,
    /// `items` as written, if named.
    pub items_path: Option<String>,
    /// `items` resolved, and what they are.
    pub items: Option<(MemberPath, ItemsKind)>,
    /// The input member holding the page size (an integer), if named.
    pub page_size: Option<InputMember>,
}

/// `smithy.waiters#waitable`: one waiter of an operation.
#[derive(Clone, Debug)]
pub struct Waiter {
    /// The model name (`ServiceCreated`).
    pub name: String,
    /// The client method (`wait_until_service_created`).
    pub method: Ident,
    /// The builder alias (`ServiceCreatedWaiter`).
    pub builder: Ident,
    /// What sends it (`ServiceCreatedWaiterHandle`).
    pub handle: Ident,
    /// The function deciding on each response (`service_created_acceptors`).
    pub acceptors_fn: Ident,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `minDelay`, seconds.
    pub min_delay: u64,
    /// `maxDelay`, seconds.
    pub max_delay: u64,
    /// In model order: the first that matches decides.
    pub acceptors: Vec<Acceptor>,
    /// What a successful wait returns.
    pub returns: WaiterReturns,
    /// Some acceptor reads the input.
    pub reads_input: bool,
}

/// `@endpoint(hostPrefix)`, parsed.
#[derive(Clone, Debug, PartialEq)]
pub struct HostPrefix {
    /// As written (`{Bucket}.data.`).
    pub template: String,
    /// Literal text and input labels, in order.
    pub parts: Vec<HostPart>,
}

/// A piece of a host prefix.
#[derive(Clone, Debug, PartialEq)]
pub enum HostPart {
    /// Text as is.
    Literal(String),
    /// The value of an input member (a string), checked as a host label.
    Label(InputMember),
}

/// A modelled error of an operation: a variant of its error enum.
#[derive(Clone, Debug)]
pub struct OperationError {
    /// The error shape.
    pub id: ShapeId,
    /// Its type in `crate::error`.
    pub ty: Ident,
    /// The variant of the operation's error enum.
    pub variant: Ident,
    /// The `is_<variant>()` method the variant gets.
    pub is_method: Ident,
    /// The variant of the crate-level `Error` holding this error type.
    pub crate_variant: Ident,
    /// The error code on the wire (the shape name).
    pub code: String,
    /// The first paragraph of the error's documentation.
    pub summary: Option<String>,
}

/// An operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// The model shape.
    pub id: ShapeId,
    /// The model name (`CreateService`), used on the wire (`X-Amz-Target`).
    pub name: String,
    /// Its requests' `X-Amz-Target` (`<service>.<name>`).
    pub target: String,
    /// The `Client` method, and the module under `operation/` (`create_service`).
    pub method: Ident,
    /// The fluent builder (`CreateServiceFluentBuilder`).
    pub fluent: Ident,
    /// The error enum (`CreateServiceError`).
    pub error: Ident,
    /// The input structure (`CreateServiceInput`).
    pub input: Structure,
    /// The output structure (`CreateServiceOutput`).
    pub output: Structure,
    /// Modelled errors: the operation's and the service's, by type name.
    pub errors: Vec<OperationError>,
    /// Markdown documentation.
    pub docs: Option<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// `@paginated`.
    pub paginated: Option<Paginated>,
    /// `smithy.waiters#waitable`, in model order.
    pub waiters: Vec<Waiter>,
    /// `@endpoint(hostPrefix)`.
    pub host_prefix: Option<HostPrefix>,
    /// `@requestCompression` listing `gzip`: the request body is
    /// gzip-compressed from the configured minimum size.
    pub request_compression: bool,
    /// The [`EndpointFromInput`](crate::customize::EndpointFromInput)
    /// customization: requests go to the URL this input member holds.
    pub endpoint_from_input: Option<InputMember>,
    /// `aws.api#clientDiscoveredEndpoint(required: true)`: requests go to
    /// the endpoint the service's discovery operation names.
    pub discovered_endpoint: Option<DiscoveredEndpoint>,
}

/// `aws.api#clientEndpointDiscovery` on the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointDiscovery {
    /// The discovery operation's wire name (`DescribeEndpoints`).
    pub operation: String,
    /// The error code that invalidates a discovered endpoint
    /// (`InvalidEndpointException`).
    pub invalid_endpoint_error: String,
    /// The discovery input has `Operation` and `Identifiers`.
    pub takes_identifiers: bool,
}

/// An operation whose endpoint must be discovered.
#[derive(Clone, Debug, PartialEq)]
pub struct DiscoveredEndpoint {
    /// The input's `aws.api#clientEndpointDiscoveryId` members: the
    /// discovery request names them, and they key the endpoint cache.
    pub identifiers: Vec<InputMember>,
}

/// The crate-level error: every modelled error of the service, so that
/// `?` converts any operation's error into it.
#[derive(Clone, Debug)]
pub struct CrateError {
    /// Its name (`Error`, at the crate root).
    pub name: Ident,
    /// One variant per modelled error type, by type name.
    pub variants: Vec<CrateErrorVariant>,
}

/// A variant of the crate-level error.
#[derive(Clone, Debug)]
pub struct CrateErrorVariant {
    /// The error shape.
    pub id: ShapeId,
    /// Its type in `crate::error`.
    pub ty: Ident,
    /// The variant.
    pub variant: Ident,
    /// Its `is_<variant>()` method.
    pub is_method: Ident,
    /// The error code on the wire.
    pub code: String,
    /// The first paragraph of the error's documentation.
    pub summary: Option<String>,
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
    /// The crate-level error.
    pub error: CrateError,
    /// Types that appear in requests (need a serializer).
    pub serialized: BTreeSet<ShapeId>,
    /// Types that appear in responses (need a deserializer).
    pub deserialized: BTreeSet<ShapeId>,
    /// The type-checked `smithy.rules#endpointRuleSet` with its
    /// `smithy.rules#endpointTests`.
    pub endpoint_rules: Option<endpoint_rules::RuleSet>,
    /// `aws.protocols#awsQueryCompatible`.
    pub query_compatible: bool,
    /// `aws.api#clientEndpointDiscovery`.
    pub endpoint_discovery: Option<EndpointDiscovery>,
    /// The `smithy.test` cases of the service's protocol that apply to
    /// clients, on its operations and their errors, in operation order.
    pub protocol_tests: Vec<ProtocolTest>,
}

impl Service {
    /// The named type for `id`.
    pub fn type_def(&self, id: &ShapeId) -> Option<&TypeDef> {
        self.types.get(id)
    }

    /// The structure named `id`, if `id` names one.
    pub fn structure(&self, id: &ShapeId) -> Option<&Structure> {
        match self.types.get(id) {
            Some(TypeDef::Structure(s)) => Some(s),
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

    /// When each direction of the JSON codec of the named type `id` is
    /// compiled: what the client sends or receives always, the rest with
    /// `test-util`.
    pub fn codecs(&self, id: &ShapeId) -> Codecs {
        let gate = |needed: bool| {
            if needed {
                Gate::Always
            } else {
                Gate::Feature(Feature::TestUtil)
            }
        };
        Codecs {
            serialize: gate(self.serialized.contains(id)),
            deserialize: gate(self.deserialized.contains(id)),
        }
    }

    /// Whether `ty` is a string enum (its values compare as strings).
    pub fn is_string_enum(&self, ty: &Type) -> bool {
        matches!(ty, Type::Named(id) if matches!(self.types.get(id), Some(TypeDef::Enum(e)) if !e.int))
    }
}
