//! Model → IR: the one place that reads the model.

use super::discovery;
use super::paginator::paginated;
use super::path::Structures;
use super::protocol_test::{RawCase, REQUEST_TESTS, RESPONSE_TESTS};
use super::trait_id;
use super::typed_value::Reader;
use super::waiter::Waiters;
use super::{
    Bounds, CrateError, CrateErrorVariant, Declarations, DeclaredTraits, DefaultValue,
    Deprecation, EndpointDiscovery, Enum, EnumVariant, ErrorInfo, ErrorMessage, Fault, Field,
    HostPart, HostPrefix, InputMember, Operation, OperationError, Presence, Protocol, Role,
    Service, SkippedOperation, Structure, TimestampFormat, Type, TypeDef, Union, Variant,
};
use super::{ProtocolTest, TestCase, TestKind};
use crate::customize::Customizations;
use crate::docs::html_to_markdown;
use crate::endpoint_rules;
use crate::error::{Error, Location};
use crate::model::{Member, Model, Shape, ShapeId, ShapeKind, Simple, Traits};
use crate::naming::{self, Ident, Namespace, Scope, StructureKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The `smithy.test` cases on `shape` that apply to clients of `protocol`.
fn raw_cases(shape: &Shape, protocol: Protocol) -> Vec<RawCase<'_>> {
    let mut cases = Vec::new();
    for (kind, trait_id) in [
        (TestKind::Request, REQUEST_TESTS),
        (TestKind::Response, RESPONSE_TESTS),
    ] {
        let Some(Value::Array(list)) = shape.traits.get(trait_id) else {
            continue;
        };
        for (index, value) in list.iter().enumerate() {
            let case = RawCase {
                kind,
                shape: shape.id.to_string(),
                index,
                value,
            };
            if case.applies(protocol) {
                cases.push(case);
            }
        }
    }
    cases
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
    traits.get(trait_id::DEPRECATED).map(|v| Deprecation {
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

fn structure_kind(role: Role) -> StructureKind {
    match role {
        Role::Input => StructureKind::Input,
        Role::Output => StructureKind::Output,
        Role::Error => StructureKind::Error,
        Role::Data => StructureKind::Data,
    }
}

/// Builds the IR for `service` in `model`, without customizations.
pub fn build(model: &Model, service: &Shape) -> Result<Service, Error> {
    build_customized(model, service, &Customizations::default())
}

/// Builds the IR for `service` in `model` with the `customizations` that
/// apply to its operations (each checked against the model).
pub fn build_customized(
    model: &Model,
    service: &Shape,
    customizations: &Customizations,
) -> Result<Service, Error> {
    Builder::new(model, service, customizations).build()
}

/// How deep lists and maps may nest in one member's type (`Vec<Vec<…>>`,
/// counting maps too): deeper is a model error naming the outermost. Real
/// models nest two or three; the limit keeps every walk of a type (here,
/// in emission, in the Rust compiler) shallow.
pub const MAX_COLLECTION_DEPTH: usize = 32;

struct Builder<'m> {
    model: &'m Model,
    service: &'m Shape,
    customizations: &'m Customizations,
    rename: BTreeMap<ShapeId, String>,
    /// Rust names of named types, decided up front.
    names: BTreeMap<ShapeId, Ident>,
}

impl<'m> Builder<'m> {
    fn new(model: &'m Model, service: &'m Shape, customizations: &'m Customizations) -> Self {
        let rename = match &service.kind {
            ShapeKind::Service(s) => s.rename.clone(),
            _ => BTreeMap::new(),
        };
        Self {
            model,
            service,
            customizations,
            rename,
            names: BTreeMap::new(),
        }
    }

    fn error(&self, at: Location, message: impl Into<String>) -> Error {
        Error::Model {
            path: self.model.source.clone(),
            at,
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

    /// The Rust name decided for a named type.
    fn type_name(&self, id: &ShapeId) -> Result<&Ident, Error> {
        self.names.get(id).ok_or_else(|| {
            self.error(
                Location::shape(id),
                "a member targets this shape, but it is not a structure, union or enum the client generates",
            )
        })
    }

    fn model_name(&self, id: &ShapeId) -> String {
        self.rename
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.name().to_owned())
    }

    /// Whether a shape is an enum (`Some(false)`) or an intEnum (`Some(true)`).
    fn int_enum(&self, id: &ShapeId) -> Option<bool> {
        match self.model.shape(id).map(|s| &s.kind) {
            Some(ShapeKind::Enum(_)) => Some(false),
            Some(ShapeKind::IntEnum(_)) => Some(true),
            _ => None,
        }
    }

    fn build(mut self) -> Result<Service, Error> {
        let model = self.model;
        let service = self.service;
        let protocol = protocol(model, service)?;
        let ShapeKind::Service(svc) = &service.kind else {
            return Err(self.error(Location::shape(&service.id), "not a service shape"));
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
            if !shape.traits.has(trait_id::ERROR) {
                return Err(self.error(
                    Location::shape(e),
                    "listed as an error but has no `@error` trait",
                ));
            }
            de_roots.extend(shape.members().iter().map(|m| m.target.clone()));
        }
        let serialized = self.named_closure(&ser_roots)?;
        let mut deserialized = self.named_closure(&de_roots)?;
        deserialized.extend(error_ids.iter().cloned());

        // Decide type names once, deterministically (sorted by shape ID).
        let named: BTreeSet<ShapeId> = serialized.union(&deserialized).cloned().collect();
        let wanted: Vec<(String, bool)> = named
            .iter()
            .map(|id| (self.model_name(id), error_ids.contains(id)))
            .collect();
        let wanted: Vec<(&str, bool)> = wanted.iter().map(|(n, e)| (n.as_str(), *e)).collect();
        self.names = named
            .iter()
            .cloned()
            .zip(naming::type_names(&wanted))
            .collect();
        let mut type_modules = Namespace::new(Scope::TypeModules);
        let mut error_modules = Namespace::new(Scope::TypeModules);

        let boxed = self.recursive_members(&named)?;
        let mut types = BTreeMap::new();
        for id in &named {
            let shape = self.shape(id)?;
            let name = self.type_name(id)?.clone();
            let is_error = error_ids.contains(id);
            let modules = if is_error {
                &mut error_modules
            } else {
                &mut type_modules
            };
            let module = modules.claim(naming::module_case(name.unraw()));
            let def = match &shape.kind {
                ShapeKind::Structure(_) => {
                    let role = if is_error { Role::Error } else { Role::Data };
                    TypeDef::Structure(self.structure(shape, name, module, role, &boxed)?)
                }
                ShapeKind::Union(members) => {
                    TypeDef::Union(self.union(shape, name, module, members, &boxed)?)
                }
                ShapeKind::Enum(values) | ShapeKind::IntEnum(values) => {
                    let int = matches!(shape.kind, ShapeKind::IntEnum(_));
                    let variant_names = Namespace::new(Scope::Variants)
                        .claim_all(values.iter().map(|v| naming::camel_case(&v.name)).collect());
                    TypeDef::Enum(Enum {
                        id: id.clone(),
                        shape_name: self.model_name(id),
                        name,
                        module,
                        int,
                        variants: values
                            .iter()
                            .zip(variant_names)
                            .map(|(v, name)| EnumVariant {
                                member: v.name.clone(),
                                name,
                                value: v.value.clone(),
                                docs: docs(&v.traits),
                                deprecated: deprecation(&v.traits),
                            })
                            .collect(),
                        sensitive: shape.traits.has(trait_id::SENSITIVE),
                        docs: docs(&shape.traits),
                        deprecated: deprecation(&shape.traits),
                    })
                }
                _ => continue,
            };
            types.insert(id.clone(), def);
        }

        let error = self.crate_error(&error_ids, &types)?;
        let endpoint_discovery = match service.traits.get(discovery::SERVICE_TRAIT) {
            None => None,
            Some(value) => Some(
                discovery::service(model, value, &op_ids, |id| self.model_name(id)).map_err(
                    |(at, m)| {
                        let location = Location::in_trait(&service.id, discovery::SERVICE_TRAIT);
                        self.error(at.map_or_else(|| location.clone(), |at| location.at(at)), m)
                    },
                )?,
            ),
        };
        let operations = self.operations(
            &op_ids,
            &svc.errors,
            &types,
            &boxed,
            &error,
            endpoint_discovery.as_ref(),
        )?;
        self.corrected_defaults(&mut types, &operations, &deserialized)?;
        let protocol_tests = self.protocol_tests(protocol, &operations, &types, &skipped)?;

        let aws_service = service.traits.get(trait_id::AWS_SERVICE);
        let sdk_id = aws_service
            .and_then(|s| s.get("sdkId"))
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| service.id.name().to_owned());
        let signing_name = service
            .traits
            .get(trait_id::SIGV4)
            .and_then(|s| s.get("name"))
            .and_then(Value::as_str)
            .or_else(|| {
                aws_service
                    .and_then(|s| s.get("endpointPrefix"))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned)
            .unwrap_or_else(|| sdk_id.to_ascii_lowercase());
        let endpoint_rules = match service.traits.get(trait_id::RULE_SET) {
            None => None,
            Some(rules) => Some(
                endpoint_rules::check(rules, service.traits.get(trait_id::RULE_TESTS)).map_err(
                    |e| {
                        let trait_id = if e.location().starts_with("endpointTests") {
                            trait_id::RULE_TESTS
                        } else {
                            trait_id::RULE_SET
                        };
                        self.error(
                            Location::in_trait(&service.id, trait_id).at(e.location()),
                            e.message(),
                        )
                    },
                )?,
            ),
        };
        Ok(Service {
            id: service.id.clone(),
            target_prefix: self.target_prefix().to_owned(),
            title: service
                .traits
                .string(trait_id::TITLE)
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
            error,
            serialized,
            deserialized,
            endpoint_rules,
            query_compatible: service.traits.has(trait_id::QUERY_COMPATIBLE),
            endpoint_discovery,
            protocol_tests,
        })
    }

    /// The client cases of `smithy.test` on the operations (in operation
    /// order) and on the errors they list (with the first operation listing
    /// each), named by their ids; cases of operations the client leaves out
    /// are kept as skipped, with the reason.
    fn protocol_tests(
        &self,
        protocol: Protocol,
        operations: &[Operation],
        types: &BTreeMap<ShapeId, TypeDef>,
        skipped: &[SkippedOperation],
    ) -> Result<Vec<ProtocolTest>, Error> {
        let reader = Reader { types };
        let mut tests: Vec<(RawCase<'_>, String, Result<TestCase, String>)> = Vec::new();
        let mut seen_errors = BTreeSet::new();
        let locate = |case: &RawCase<'_>, trait_id: &str, (at, message): (String, String)| {
            self.error(Location::in_trait(&case.shape, trait_id).at(at), message)
        };
        let trait_of = |kind: TestKind| match kind {
            TestKind::Request => REQUEST_TESTS,
            TestKind::Response => RESPONSE_TESTS,
        };
        for (index, op) in operations.iter().enumerate() {
            let shape = self.shape(&op.id)?;
            for case in raw_cases(shape, protocol) {
                let typed = match case.kind {
                    TestKind::Request => case.request(&reader, index, op),
                    TestKind::Response => case.response(&reader, index, op, None),
                }
                .map_err(|m| locate(&case, trait_of(case.kind), m))?;
                tests.push((case, op.name.clone(), typed));
            }
            for (e_index, e) in op.errors.iter().enumerate() {
                if !seen_errors.insert(e.id.clone()) {
                    continue;
                }
                let Some(TypeDef::Structure(error)) = types.get(&e.id) else {
                    continue;
                };
                for case in raw_cases(self.shape(&e.id)?, protocol) {
                    if case.kind != TestKind::Response {
                        continue;
                    }
                    let typed = case
                        .response(&reader, index, op, Some((e_index, error)))
                        .map_err(|m| locate(&case, RESPONSE_TESTS, m))?;
                    tests.push((case, op.name.clone(), typed));
                }
            }
        }
        for left_out in skipped {
            let id = operation_closure(self.model, self.service)
                .into_iter()
                .find(|id| self.model_name(id) == left_out.name);
            let Some(shape) = id.as_ref().and_then(|id| self.model.shape(id)) else {
                continue;
            };
            for case in raw_cases(shape, protocol) {
                let why = format!(
                    "the client leaves `{}` out: {}",
                    left_out.name, left_out.reason
                );
                tests.push((case, left_out.name.clone(), Err(why)));
            }
        }
        let names = Namespace::new(Scope::ProtocolTests).claim_all(
            tests
                .iter()
                .map(|(case, _, _)| {
                    naming::snake_case(&case.id()).suffixed(&format!("_{}", case.kind.as_str()))
                })
                .collect(),
        );
        Ok(tests
            .into_iter()
            .zip(names)
            .map(|((case, operation, typed), name)| ProtocolTest {
                id: case.id(),
                name,
                kind: case.kind,
                operation,
                docs: case
                    .value
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(|d| d.trim().to_owned())
                    .filter(|d| !d.is_empty()),
                case: typed,
            })
            .collect())
    }

    /// The `X-Amz-Target` prefix: the service shape's name.
    fn target_prefix(&self) -> &'m str {
        self.service.id.name()
    }

    /// The operations, sorted by model name, with every name they need and
    /// their traits resolved.
    fn operations(
        &self,
        op_ids: &[ShapeId],
        service_errors: &[ShapeId],
        types: &BTreeMap<ShapeId, TypeDef>,
        boxed: &BTreeSet<ShapeId>,
        crate_error: &CrateError,
        endpoint_discovery: Option<&EndpointDiscovery>,
    ) -> Result<Vec<Operation>, Error> {
        let mut shapes = Vec::new();
        for id in op_ids {
            let shape = self.shape(id)?;
            if let ShapeKind::Operation {
                input,
                output,
                errors,
            } = &shape.kind
            {
                shapes.push((self.model_name(id), shape, input, output, errors));
            }
        }
        shapes.sort_by(|a, b| a.0.cmp(&b.0));
        let mut client_methods = Namespace::new(Scope::ClientMethods);
        let methods =
            client_methods.claim_all(shapes.iter().map(|s| naming::snake_case(&s.0)).collect());

        let mut operations = Vec::new();
        for ((name, shape, input, output, errors), method) in shapes.into_iter().zip(methods) {
            let mut op_types = Namespace::new(Scope::OperationTypes);
            let mut op_functions = Namespace::new(Scope::OperationFunctions);
            let base = naming::camel_case(&name);
            let mut claim = |suffix: &str| op_types.claim(base.suffixed(suffix));
            let (input_name, output_name) = (claim("Input"), claim("Output"));
            let (error, fluent) = (claim("Error"), claim("FluentBuilder"));
            let input_builder = op_types.claim(input_name.suffixed("Builder"));
            let output_builder = op_types.claim(output_name.suffixed("Builder"));
            let input_id = input;
            let mut input = self.structure(
                self.shape(input)?,
                input_name,
                method.clone(),
                Role::Input,
                boxed,
            )?;
            input.builder = input_builder;
            let mut output = self.structure(
                self.shape(output)?,
                output_name,
                method.clone(),
                Role::Output,
                boxed,
            )?;
            output.builder = output_builder;

            let errors = self.operation_errors(errors, service_errors, types, crate_error)?;
            let structures = Structures {
                types,
                extra: &[&input, &output],
            };
            let paginated = match shape.traits.get(trait_id::PAGINATED) {
                None => None,
                Some(own) => Some(
                    paginated(
                        own,
                        self.service.traits.get(trait_id::PAGINATED),
                        &input,
                        &output,
                        &structures,
                    )
                    .map_err(|(at, m)| {
                        self.error(trait_location(&shape.id, trait_id::PAGINATED, &at), m)
                    })?,
                ),
            };
            let waiters = match shape.traits.get(trait_id::WAITABLE) {
                None => Vec::new(),
                Some(raw) => Waiters {
                    operation: &name,
                    structures,
                    input: &Type::Named(input.id.clone()),
                    output: &Type::Named(output.id.clone()),
                }
                .parse(raw, &mut client_methods, &mut op_types, &mut op_functions)
                .map_err(|(at, m)| {
                    self.error(trait_location(&shape.id, trait_id::WAITABLE, &at), m)
                })?,
            };
            let host_prefix = match shape.traits.get(trait_id::ENDPOINT) {
                None => None,
                Some(e) => Some(host_prefix(e, &input).map_err(|m| {
                    self.error(
                        Location::in_trait(&shape.id, trait_id::ENDPOINT).at("hostPrefix"),
                        m,
                    )
                })?),
            };
            let endpoint_from_input = match self.customizations.endpoint_from_input(&shape.id) {
                None => None,
                Some(hook) => Some(
                    endpoint_from_input(hook, &input, host_prefix.is_some()).map_err(|m| {
                        self.error(
                            Location::shape(&shape.id),
                            format!("customization `endpointFromInput`: {m}"),
                        )
                    })?,
                ),
            };
            let discovered_endpoint = match shape.traits.get(discovery::OPERATION_TRAIT) {
                None => None,
                Some(value) => {
                    let at = |at: Option<&str>| {
                        let location = Location::in_trait(&shape.id, discovery::OPERATION_TRAIT);
                        at.map_or_else(|| location.clone(), |at| location.at(at))
                    };
                    let input_shape = self.shape(input_id)?;
                    let found = discovery::operation(value, input_shape, &input, endpoint_discovery)
                        .map_err(|(path, m)| self.error(at(path), m))?;
                    if found.is_some() && (host_prefix.is_some() || endpoint_from_input.is_some()) {
                        return Err(self.error(
                            at(None),
                            "the operation's endpoint is discovered; it cannot also have a host prefix or go to a URL from its input",
                        ));
                    }
                    found
                }
            };
            let request_compression = shape
                .traits
                .get(trait_id::REQUEST_COMPRESSION)
                .and_then(|c| c.get("encodings"))
                .and_then(Value::as_array)
                .is_some_and(|e| {
                    e.iter()
                        .any(|e| e.as_str().is_some_and(|e| e.eq_ignore_ascii_case("gzip")))
                });
            operations.push(Operation {
                id: shape.id.clone(),
                method,
                fluent,
                error,
                input,
                output,
                errors,
                docs: docs(&shape.traits),
                deprecated: deprecation(&shape.traits),
                paginated,
                waiters,
                host_prefix,
                request_compression,
                endpoint_from_input,
                discovered_endpoint,
                target: format!("{}.{name}", self.target_prefix()),
                name,
            });
        }
        Ok(operations)
    }

    /// Marks the structures a response may omit as a `@required` member
    /// (through outputs, errors and the structures read from responses,
    /// transitively: a corrected default fills its own required members
    /// with theirs). Recursion through `@required` structure members, which
    /// Smithy forbids, would make that endless: it is a model error.
    fn corrected_defaults(
        &self,
        types: &mut BTreeMap<ShapeId, TypeDef>,
        operations: &[Operation],
        deserialized: &BTreeSet<ShapeId>,
    ) -> Result<(), Error> {
        let mut stack: Vec<ShapeId> = Vec::new();
        for s in operations.iter().map(|op| &op.output) {
            stack.extend(required_structures(types, s).into_iter().map(|(_, id)| id));
        }
        for (id, def) in types.iter() {
            if let (true, TypeDef::Structure(s)) = (deserialized.contains(id), def) {
                stack.extend(required_structures(types, s).into_iter().map(|(_, id)| id));
            }
        }
        let mut needed = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if needed.insert(id.clone()) {
                if let Some(TypeDef::Structure(s)) = types.get(&id) {
                    stack.extend(required_structures(types, s).into_iter().map(|(_, id)| id));
                }
            }
        }
        if let Some((start, chain)) = first_required_cycle(types, &needed) {
            let chain: Vec<&ShapeId> = chain.iter().collect();
            return Err(self.error(
                Location::shape(start),
                format!(
                    "contains itself through @required members ({}), which Smithy forbids: no value of it could ever be built",
                    chain_text(&chain)
                ),
            ));
        }
        for id in needed {
            if let Some(TypeDef::Structure(s)) = types.get_mut(&id) {
                s.corrected_default = true;
            }
        }
        Ok(())
    }

    /// Error types (by name, then shape ID, no duplicates) with their
    /// variant in an error enum and its `is_*` method.
    fn error_variants<'a>(
        &self,
        ids: impl IntoIterator<Item = &'a ShapeId>,
    ) -> Result<Vec<(Ident, &'a ShapeId, Ident, Ident)>, Error> {
        let mut errors: Vec<(&Ident, &ShapeId)> = Vec::new();
        for id in ids {
            errors.push((self.type_name(id)?, id));
        }
        errors.sort();
        errors.dedup();
        let variants = Namespace::new(Scope::ErrorVariants)
            .claim_all(errors.iter().map(|(name, _)| (*name).clone()).collect());
        let is_methods = Namespace::new(Scope::ErrorMethods).claim_all(
            variants
                .iter()
                .map(|v| naming::snake_case(v.unraw()).prefixed("is_"))
                .collect(),
        );
        Ok(errors
            .into_iter()
            .zip(variants)
            .zip(is_methods)
            .map(|(((ty, id), variant), is_method)| (ty.clone(), id, variant, is_method))
            .collect())
    }

    /// The crate-level error: a variant per modelled error of the offered
    /// operations and the service.
    fn crate_error(
        &self,
        error_ids: &BTreeSet<ShapeId>,
        types: &BTreeMap<ShapeId, TypeDef>,
    ) -> Result<CrateError, Error> {
        Ok(CrateError {
            name: naming::crate_error(),
            variants: self
                .error_variants(error_ids)?
                .into_iter()
                .map(|(ty, id, variant, is_method)| CrateErrorVariant {
                    id: id.clone(),
                    ty,
                    variant,
                    is_method,
                    code: id.name().to_owned(),
                    summary: error_summary(types, id),
                })
                .collect(),
        })
    }

    /// The modelled errors of an operation (its own and the service's),
    /// sorted by type name, with the variant each gets in its error enum
    /// and in the crate-level error.
    fn operation_errors(
        &self,
        own: &[ShapeId],
        service_errors: &[ShapeId],
        types: &BTreeMap<ShapeId, TypeDef>,
        crate_error: &CrateError,
    ) -> Result<Vec<OperationError>, Error> {
        let mut errors = Vec::new();
        for (ty, id, variant, is_method) in self.error_variants(own.iter().chain(service_errors))? {
            let crate_variant = crate_error
                .variants
                .iter()
                .find(|v| &v.id == id)
                .map(|v| v.variant.clone())
                .ok_or_else(|| {
                    self.error(Location::shape(id), "not an error of any offered operation or of the service")
                })?;
            errors.push(OperationError {
                id: id.clone(),
                ty,
                variant,
                is_method,
                crate_variant,
                code: id.name().to_owned(),
                summary: error_summary(types, id),
            });
        }
        Ok(errors)
    }

    /// Splits `ops` into those the client can offer and those it leaves out:
    /// operations with event streams (a `@streaming` member in the input or
    /// output), which the runtime does not implement.
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
            let mut streaming = None;
            for io in [input, output] {
                if streaming.is_none() {
                    streaming = self.shape(io)?.members().iter().find_map(|m| {
                        self.model
                            .shape(&m.target)
                            .filter(|t| t.traits.has(trait_id::STREAMING))
                            .map(|_| m.name.clone())
                    });
                }
            }
            let reason = streaming.map(|member| {
                format!(
                    "its member `{member}` is an event stream, which this client does not support yet"
                )
            });
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
                    if !shape.traits.has(trait_id::UNIT_TYPE) {
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
        // A member leads back to its shape exactly when its target shares
        // the shape's strongly connected component.
        let component = crate::graph::components(named.iter().cloned(), direct);
        let mut out = BTreeSet::new();
        for id in named {
            let shape = self.shape(id)?;
            let targets = direct(id);
            for m in shape.members() {
                if targets.contains(&m.target) && component.get(&m.target) == component.get(id) {
                    out.insert(id.member(&m.name));
                }
            }
        }
        Ok(out)
    }

    fn member_type(&self, member: &Member) -> Result<Type, Error> {
        self.member_type_in(member, &mut Vec::new())
    }

    /// The type of `member`, inside the lists and maps `outer` (each with
    /// the member leading on, outermost first). A list or map whose type
    /// holds itself with no structure or union on the way has no Rust type
    /// (Smithy forbids it): a located error, not an endless walk.
    fn member_type_in(
        &self,
        member: &Member,
        outer: &mut Vec<(ShapeId, ShapeId)>,
    ) -> Result<Type, Error> {
        let target = self.shape(&member.target)?;
        if matches!(target.kind, ShapeKind::List(_) | ShapeKind::Map { .. }) {
            if outer.len() >= MAX_COLLECTION_DEPTH {
                return Err(self.too_deep(outer));
            }
            if let Some(at) = outer.iter().position(|(c, _)| *c == member.target) {
                let chain: Vec<&ShapeId> = outer[at..].iter().map(|(_, m)| m).collect();
                return Err(self.error(
                    Location::shape(&member.target),
                    format!(
                        "contains itself through list and map members only ({}), which Smithy forbids: a recursive type must go through a structure or union",
                        chain_text(&chain)
                    ),
                ));
            }
        }
        let mut inner = |m: &Member| -> Result<Box<Type>, Error> {
            outer.push((member.target.clone(), member.target.member(&m.name)));
            let ty = self.member_type_in(m, outer);
            outer.pop();
            Ok(Box::new(ty?))
        };
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
                        .string(trait_id::TIMESTAMP_FORMAT)
                        .or_else(|| target.traits.string(trait_id::TIMESTAMP_FORMAT));
                    Type::Timestamp(match format {
                        None | Some("epoch-seconds") => TimestampFormat::EpochSeconds,
                        Some("date-time") => TimestampFormat::DateTime,
                        Some("http-date") => TimestampFormat::HttpDate,
                        Some(other) => {
                            return Err(self.error(
                                Location::in_trait(&member.target, trait_id::TIMESTAMP_FORMAT),
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
                if target.traits.has(trait_id::UNIT_TYPE) {
                    return Err(self.error(
                        Location::shape(&member.target),
                        "smithy.api#Unit may only be an operation input/output or a union member",
                    ));
                }
                Type::Named(member.target.clone())
            }
            ShapeKind::List(m) => Type::List {
                member: inner(m)?,
                sparse: target.traits.has(trait_id::SPARSE),
            },
            ShapeKind::Map { key, value } => Type::Map {
                key: inner(key)?,
                value: inner(value)?,
                sparse: target.traits.has(trait_id::SPARSE),
            },
            ShapeKind::Operation { .. } | ShapeKind::Resource(_) | ShapeKind::Service(_) => {
                return Err(self.error(
                    Location::shape(&member.target),
                    "a member cannot target an operation, resource or service",
                ))
            }
        })
    }

    /// The error for lists and maps nested deeper than
    /// [`MAX_COLLECTION_DEPTH`], at the outermost.
    fn too_deep(&self, outer: &[(ShapeId, ShapeId)]) -> Error {
        let through: Vec<&ShapeId> = outer.iter().map(|(_, m)| m).collect();
        let outermost = outer.first().map(|(c, _)| c.clone()).unwrap_or_else(|| self.service.id.clone());
        self.error(
            Location::shape(&outermost),
            format!(
                "nests lists and maps more than {MAX_COLLECTION_DEPTH} deep ({}), more than the generator allows: no service needs a `Vec<Vec<…>>` that deep, and the Rust compiler would not build it",
                chain_text(&through)
            ),
        )
    }

    /// A member is redacted when it (1.0) or its target is `@sensitive`, or
    /// when it is a list/map holding sensitive simple values. Sensitive
    /// structures and unions redact themselves.
    fn sensitive(&self, member: &Member) -> bool {
        self.sensitive_in(member, &mut Vec::new())
    }

    /// [`Self::sensitive`] inside the lists and maps `outer`; one that
    /// holds itself (refused by [`Self::member_type`]) ends the walk.
    fn sensitive_in<'a>(&'a self, member: &'a Member, outer: &mut Vec<&'a ShapeId>) -> bool {
        if member.traits.has(trait_id::SENSITIVE) {
            return true;
        }
        let Some(target) = self.model.shape(&member.target) else {
            return false;
        };
        let mut inner = |m: &'a Member| {
            if outer.contains(&&member.target) {
                return false;
            }
            outer.push(&member.target);
            let sensitive = self.sensitive_in(m, outer);
            outer.pop();
            sensitive
        };
        match &target.kind {
            ShapeKind::List(m) => inner(m),
            ShapeKind::Map { key, value } => inner(key) || inner(value),
            ShapeKind::Structure(_) | ShapeKind::Union(_) => false,
            _ => target.traits.has(trait_id::SENSITIVE),
        }
    }

    /// Smithy 2.0 presence, client view (SPEC 1.7): every member of an
    /// `@input` structure (all operation inputs here) is optional, `build()`
    /// checking the `@required` ones (idempotency tokens are filled in
    /// instead); otherwise `@clientOptional` is optional, a non-null
    /// `@default` is filled in, `@required` is required, the rest optional.
    fn presence(
        &self,
        owner: &ShapeId,
        role: Role,
        member: &Member,
        ty: &Type,
    ) -> Result<Presence, Error> {
        let traits = &member.traits;
        let required = traits.has(trait_id::REQUIRED);
        if role == Role::Input {
            return Ok(if traits.has(trait_id::IDEMPOTENCY_TOKEN) {
                Presence::IdempotencyToken
            } else if required {
                Presence::RequiredInput
            } else {
                Presence::Optional
            });
        }
        if traits.has(trait_id::CLIENT_OPTIONAL) {
            return Ok(Presence::Optional);
        }
        match traits.get(trait_id::DEFAULT).filter(|v| !v.is_null()) {
            Some(value) => DefaultValue::from_json(ty, value, &|id| self.int_enum(id))
                .map(Presence::Default)
                .map_err(|m| {
                    self.error(
                        Location::in_trait(owner.member(&member.name), trait_id::DEFAULT),
                        m,
                    )
                }),
            None if required => Ok(Presence::Required),
            None => Ok(Presence::Optional),
        }
    }

    /// The constraints and `@sensitive` of `member` (in `owner`) and of its target.
    fn declarations(
        &self,
        owner: &ShapeId,
        member: &Member,
        target: &Shape,
    ) -> Result<Declarations, Error> {
        Ok(Declarations {
            target: self.model_name(&target.id),
            member: self.declared(&owner.member(&member.name), &member.traits)?,
            on_target: self.declared(&target.id, &target.traits)?,
        })
    }

    /// The constraints and `@sensitive` in `traits` (of the shape or member
    /// `at`); a malformed constraint is a model error at the trait.
    fn declared(&self, at: &ShapeId, traits: &Traits) -> Result<DeclaredTraits, Error> {
        let bounds = |id: &str| -> Result<Option<Bounds>, Error> {
            let Some(value) = traits.get(id) else {
                return Ok(None);
            };
            if !value.is_object() {
                return Err(self.error(Location::in_trait(at, id), "must be an object"));
            }
            let bound = |key: &str| match value.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => Ok(Some(n.to_string())),
                Some(_) => Err(self.error(
                    Location::in_trait(at, id).at(key),
                    format!("`{key}` must be a number"),
                )),
            };
            Ok(Some(Bounds {
                min: bound("min")?,
                max: bound("max")?,
            }))
        };
        let pattern = match traits.get(trait_id::PATTERN) {
            None => None,
            Some(Value::String(p)) => Some(p.clone()),
            Some(_) => {
                return Err(self.error(
                    Location::in_trait(at, trait_id::PATTERN),
                    "must be a string",
                ))
            }
        };
        Ok(DeclaredTraits {
            length: bounds(trait_id::LENGTH)?,
            pattern,
            range: bounds(trait_id::RANGE)?,
            unique_items: traits.has(trait_id::UNIQUE_ITEMS),
            sensitive: traits.has(trait_id::SENSITIVE),
        })
    }

    fn structure(
        &self,
        shape: &Shape,
        name: Ident,
        module: Ident,
        role: Role,
        boxed: &BTreeSet<ShapeId>,
    ) -> Result<Structure, Error> {
        let model_names: Vec<&str> = shape.members().iter().map(|m| m.name.as_str()).collect();
        let names = naming::members(structure_kind(role), &model_names);
        let (serde_case, serde_renames) = {
            let wire: Vec<(&Ident, &str)> =
                names.iter().map(|(field, _)| field).zip(model_names.iter().copied()).collect();
            naming::serde_fields(&wire)
        };
        let mut fields = Vec::with_capacity(names.len());
        let members = shape.members().iter().zip(names).zip(serde_renames);
        for ((member, (field_name, set_name)), serde_rename) in members {
            let target = self.shape(&member.target)?;
            let ty = self.member_type(member)?;
            fields.push(Field {
                member: member.name.clone(),
                name: field_name,
                set_name,
                presence: self.presence(&shape.id, role, member, &ty)?,
                ty,
                sensitive: self.sensitive(member),
                boxed: boxed.contains(&shape.id.member(&member.name)),
                docs: docs(&member.traits).or_else(|| docs(&target.traits)),
                deprecated: deprecation(&member.traits).or_else(|| deprecation(&target.traits)),
                declared: self.declarations(&shape.id, member, target)?,
                serde_rename,
            });
        }
        let error = match shape.traits.get(trait_id::ERROR) {
            Some(fault) if role == Role::Error => Some(ErrorInfo {
                fault: match fault.as_str() {
                    Some("server") => Fault::Server,
                    _ => Fault::Client,
                },
                http_status: shape
                    .traits
                    .get(trait_id::HTTP_ERROR)
                    .and_then(Value::as_u64)
                    .and_then(|s| u16::try_from(s).ok()),
                retryable: shape.traits.get(trait_id::RETRYABLE).map(|r| {
                    r.get("throttling")
                        .and_then(Value::as_bool)
                        .unwrap_or(false)
                }),
                message: fields
                    .iter()
                    .find(|f| f.member.eq_ignore_ascii_case("message") && f.ty == Type::String)
                    .map(|f| ErrorMessage {
                        field: f.name.clone(),
                        optional: f.presence.is_option(),
                        sensitive: f.sensitive,
                    }),
            }),
            _ => None,
        };
        Ok(Structure {
            id: shape.id.clone(),
            shape_name: self.model_name(&shape.id),
            builder: name.suffixed("Builder"),
            name,
            module,
            role,
            fields,
            sensitive: shape.traits.has(trait_id::SENSITIVE),
            error,
            request_id: (role == Role::Output).then(naming::request_id),
            corrected_default: false,
            serde_case,
            docs: docs(&shape.traits),
            deprecated: deprecation(&shape.traits),
        })
    }

    fn union(
        &self,
        shape: &Shape,
        name: Ident,
        module: Ident,
        members: &[Member],
        boxed: &BTreeSet<ShapeId>,
    ) -> Result<Union, Error> {
        let names = Namespace::new(Scope::Variants).claim_all(
            members
                .iter()
                .map(|m| naming::camel_case(&m.name))
                .collect(),
        );
        let mut variants = Vec::with_capacity(members.len());
        for (m, variant_name) in members.iter().zip(names) {
            let target = self.shape(&m.target)?;
            let unit = target.traits.has(trait_id::UNIT_TYPE);
            variants.push(if unit {
                Variant {
                    member: m.name.clone(),
                    name: variant_name,
                    ty: None,
                    boxed: false,
                    sensitive: false,
                    docs: docs(&m.traits),
                    deprecated: deprecation(&m.traits),
                    declared: Declarations::default(),
                }
            } else {
                Variant {
                    member: m.name.clone(),
                    name: variant_name,
                    ty: Some(self.member_type(m)?),
                    boxed: boxed.contains(&shape.id.member(&m.name)),
                    sensitive: self.sensitive(m),
                    docs: docs(&m.traits).or_else(|| docs(&target.traits)),
                    deprecated: deprecation(&m.traits).or_else(|| deprecation(&target.traits)),
                    declared: self.declarations(&shape.id, m, target)?,
                }
            });
        }
        Ok(Union {
            id: shape.id.clone(),
            shape_name: self.model_name(&shape.id),
            name,
            module,
            variants,
            sensitive: shape.traits.has(trait_id::SENSITIVE),
            docs: docs(&shape.traits),
            deprecated: deprecation(&shape.traits),
        })
    }
}

/// The first paragraph of an error type's documentation.
fn error_summary(types: &BTreeMap<ShapeId, TypeDef>, id: &ShapeId) -> Option<String> {
    match types.get(id) {
        Some(TypeDef::Structure(s)) => s
            .docs
            .as_deref()
            .and_then(|d| d.split("\n\n").next())
            .map(str::to_owned),
        _ => None,
    }
}

/// The `@required` members of `s` that target structures: (member ID,
/// target).
fn required_structures(types: &BTreeMap<ShapeId, TypeDef>, s: &Structure) -> Vec<(ShapeId, ShapeId)> {
    s.fields
        .iter()
        .filter(|f| f.presence == Presence::Required)
        .filter_map(|f| match &f.ty {
            Type::Named(id) if matches!(types.get(id), Some(TypeDef::Structure(_))) => {
                Some((s.id.member(&f.member), id.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Members leading somewhere, for an error: `` `a` → `b` ``; a long chain
/// (a model may chain thousands) shows its first four and last two.
fn chain_text(members: &[&ShapeId]) -> String {
    const SHOWN: usize = 8;
    let quote = |m: &&ShapeId| format!("`{m}`");
    if members.len() <= SHOWN {
        return members.iter().map(quote).collect::<Vec<_>>().join(" → ");
    }
    let (head, rest) = members.split_at(4);
    let (left_out, tail) = rest.split_at(rest.len() - 2);
    format!(
        "{} → … {} more … → {}",
        head.iter().map(quote).collect::<Vec<_>>().join(" → "),
        left_out.len(),
        tail.iter().map(quote).collect::<Vec<_>>().join(" → ")
    )
}

/// The first structure of `needed` (in shape ID order) that holds itself
/// through `@required` structure members, with the members of the first
/// such cycle found from it (depth-first, in member order). Linear and
/// without recursion: a legal chain of tens of thousands of required
/// structures must neither overflow the stack nor take quadratic time.
fn first_required_cycle<'a>(
    types: &BTreeMap<ShapeId, TypeDef>,
    needed: &'a BTreeSet<ShapeId>,
) -> Option<(&'a ShapeId, Vec<ShapeId>)> {
    let targets = |id: &ShapeId| -> Vec<(ShapeId, ShapeId)> {
        match types.get(id) {
            Some(TypeDef::Structure(s)) => required_structures(types, s),
            _ => Vec::new(),
        }
    };
    let cyclic = crate::graph::on_cycles(needed.iter().cloned(), |id| {
        targets(id).into_iter().map(|(_, t)| t).collect()
    });
    let start = needed.iter().find(|id| cyclic.contains(*id))?;
    required_cycle(start, targets).map(|chain| (start, chain))
}

/// The members of a path from `start` back to itself through `targets`
/// (member, target), found depth-first with an explicit stack.
fn required_cycle(
    start: &ShapeId,
    targets: impl Fn(&ShapeId) -> Vec<(ShapeId, ShapeId)>,
) -> Option<Vec<ShapeId>> {
    let mut seen = BTreeSet::new();
    // Each frame: the (member, target) pairs of a structure and the next to try.
    let mut frames: Vec<(Vec<(ShapeId, ShapeId)>, usize)> = vec![(targets(start), 0)];
    let mut chain: Vec<ShapeId> = Vec::new();
    while let Some((edges, next)) = frames.last_mut() {
        let Some((member, target)) = edges.get(*next).cloned() else {
            frames.pop();
            chain.pop();
            continue;
        };
        *next += 1;
        if &target == start {
            chain.push(member);
            return Some(chain);
        }
        if seen.insert(target.clone()) {
            chain.push(member);
            frames.push((targets(&target), 0));
        }
    }
    None
}

/// Where a problem in a trait value is; `at` is a JSON path inside it.
fn trait_location(shape: &ShapeId, trait_id: &str, at: &str) -> Location {
    let location = Location::in_trait(shape, trait_id);
    if at.is_empty() {
        location
    } else {
        location.at(at)
    }
}

/// The input member an `endpointFromInput` customization sends requests
/// to: a string member of the input, on an operation without a host prefix.
fn endpoint_from_input(
    hook: &crate::customize::EndpointFromInput,
    input: &Structure,
    has_host_prefix: bool,
) -> Result<InputMember, String> {
    if has_host_prefix {
        return Err("the operation has an `@endpoint` host prefix; it cannot also go to a URL from its input".to_owned());
    }
    let field = input
        .fields
        .iter()
        .find(|f| f.member == hook.member)
        .ok_or_else(|| format!("the input has no member `{}`", hook.member))?;
    if field.ty != Type::String {
        return Err(format!("`{}` is not a string", hook.member));
    }
    Ok(InputMember {
        member: field.member.clone(),
        field: field.name.clone(),
    })
}

/// `@endpoint(hostPrefix: "{Bucket}.data.")`: literal text and input labels,
/// each label a string member of the input.
fn host_prefix(endpoint: &Value, input: &Structure) -> Result<HostPrefix, String> {
    let template = endpoint
        .get("hostPrefix")
        .and_then(Value::as_str)
        .ok_or("@endpoint needs a string `hostPrefix`")?;
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| format!("unclosed `{{` in hostPrefix `{template}`"))?;
        if open > 0 {
            parts.push(HostPart::Literal(rest[..open].to_owned()));
        }
        let member = &rest[open + 1..close];
        let field = input
            .fields
            .iter()
            .find(|f| f.member == member)
            .ok_or_else(|| {
                format!("hostPrefix `{template}` names `{member}`, which the input does not have")
            })?;
        if field.ty != Type::String {
            return Err(format!(
                "hostPrefix `{template}` names `{member}`, which is not a string"
            ));
        }
        parts.push(HostPart::Label(InputMember {
            member: member.to_owned(),
            field: field.name.clone(),
        }));
        rest = &rest[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("unopened `}}` in hostPrefix `{template}`"));
    }
    if !rest.is_empty() {
        parts.push(HostPart::Literal(rest.to_owned()));
    }
    Ok(HostPrefix {
        template: template.to_owned(),
        parts,
    })
}
