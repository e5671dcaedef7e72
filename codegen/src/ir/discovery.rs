//! Endpoint discovery typed from the model: `aws.api#clientEndpointDiscovery`
//! on the service (the discovery operation and the error that invalidates a
//! discovered endpoint), `aws.api#clientDiscoveredEndpoint` on operations,
//! `aws.api#clientEndpointDiscoveryId` on their input members.
//!
//! The runtime builds the discovery request and reads its answer itself, so
//! the shapes of the discovery operation are checked here against what the
//! Smithy specification requires of them: an input of at most `Operation`
//! (string) and `Identifiers` (map), an output whose `Endpoints` list holds
//! structures with a string `Address` and an integer `CachePeriodInMinutes`.

use super::{DiscoveredEndpoint, EndpointDiscovery, InputMember, Structure, Type};
use crate::model::{Model, Shape, ShapeId, ShapeKind, Simple};
use serde_json::Value;

pub(super) use super::trait_id::{
    CLIENT_DISCOVERED_ENDPOINT as OPERATION_TRAIT, CLIENT_ENDPOINT_DISCOVERY as SERVICE_TRAIT,
};
use super::trait_id::CLIENT_ENDPOINT_DISCOVERY_ID as ID_TRAIT;

/// A problem: the path in the trait value (if any) and what is wrong.
pub(super) type Problem = (Option<&'static str>, String);

/// The service's `aws.api#clientEndpointDiscovery`, checked; `operations`
/// are the service's operations, `name` gives a shape's wire name.
pub(super) fn service(
    model: &Model,
    value: &Value,
    operations: &[ShapeId],
    name: impl Fn(&ShapeId) -> String,
) -> Result<EndpointDiscovery, Problem> {
    let id = |key: &'static str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .map(ShapeId::new)
            .ok_or((Some(key), format!("needs a shape ID `{key}`")))
    };
    let (operation, error) = (id("operation")?, id("error")?);
    if !operations.contains(&operation) {
        return Err((
            Some("operation"),
            format!(
                "names `{operation}`, which is not an operation of the service the client offers"
            ),
        ));
    }
    match model.shape(&error) {
        Some(shape) if shape.traits.has("smithy.api#error") => {}
        _ => {
            return Err((
                Some("error"),
                format!("names `{error}`, which is not an `@error` structure"),
            ))
        }
    }
    let Some(ShapeKind::Operation { input, output, .. }) = model.shape(&operation).map(|s| &s.kind)
    else {
        return Err((
            Some("operation"),
            format!("`{operation}` is not an operation"),
        ));
    };
    let input = model.shape(input).map(Shape::members).unwrap_or_default();
    let input_member = |member: &str| input.iter().find(|m| m.name == member);
    for m in input {
        let fits = match m.name.as_str() {
            "Operation" => is(model, &m.target, |k| {
                matches!(k, ShapeKind::Simple(Simple::String))
            }),
            "Identifiers" => is(model, &m.target, |k| matches!(k, ShapeKind::Map { .. })),
            _ => false,
        };
        if !fits {
            return Err((
                Some("operation"),
                format!(
                    "the input of `{operation}` has a member `{}`; a discovery operation's input may hold only a string `Operation` and a map `Identifiers`",
                    m.name
                ),
            ));
        }
    }
    check_output(model, &operation, output)?;
    Ok(EndpointDiscovery {
        operation: name(&operation),
        invalid_endpoint_error: name(&error),
        takes_identifiers: input_member("Operation").is_some()
            && input_member("Identifiers").is_some(),
    })
}

/// Whether `target` is a shape of a kind `kind` accepts.
fn is(model: &Model, target: &ShapeId, kind: impl Fn(&ShapeKind) -> bool) -> bool {
    model.shape(target).is_some_and(|s| kind(&s.kind))
}

/// The discovery output: `Endpoints`, a list of structures with a string
/// `Address` and an integer `CachePeriodInMinutes`.
fn check_output(model: &Model, operation: &ShapeId, output: &ShapeId) -> Result<(), Problem> {
    let wrong = || {
        (
            Some("operation"),
            format!(
                "the output of `{operation}` must hold `Endpoints`, a list of structures with a string `Address` and an integer `CachePeriodInMinutes`"
            ),
        )
    };
    let member = |shape: &ShapeId, name: &str| {
        model
            .shape(shape)
            .and_then(|s| s.members().iter().find(|m| m.name == name))
            .map(|m| m.target.clone())
    };
    let endpoints = member(output, "Endpoints").ok_or_else(wrong)?;
    let Some(ShapeKind::List(item)) = model.shape(&endpoints).map(|s| &s.kind) else {
        return Err(wrong());
    };
    let item = &item.target;
    let address = member(item, "Address").ok_or_else(wrong)?;
    let period = member(item, "CachePeriodInMinutes").ok_or_else(wrong)?;
    let integer = |k: &ShapeKind| {
        matches!(
            k,
            ShapeKind::Simple(Simple::Long | Simple::Integer | Simple::Short | Simple::Byte)
        )
    };
    if !is(model, &address, |k| {
        matches!(k, ShapeKind::Simple(Simple::String))
    }) || !is(model, &period, integer)
    {
        return Err(wrong());
    }
    Ok(())
}

/// An operation's `aws.api#clientDiscoveredEndpoint`: `Some` when discovery
/// is required (operations where it is optional go to the resolved
/// endpoint, as the SDKs' default is), with the input's identifier members.
pub(super) fn operation(
    value: &Value,
    input_shape: &Shape,
    input: &Structure,
    service: Option<&EndpointDiscovery>,
) -> Result<Option<DiscoveredEndpoint>, Problem> {
    if value.get("required").and_then(Value::as_bool) != Some(true) {
        return Ok(None);
    }
    let Some(service) = service else {
        return Err((
            Some("required"),
            format!("the operation requires endpoint discovery, but the service has no `{SERVICE_TRAIT}` trait"),
        ));
    };
    let mut identifiers = Vec::new();
    for m in input_shape.members() {
        if !m.traits.has(ID_TRAIT) {
            continue;
        }
        let field = input
            .fields
            .iter()
            .find(|f| f.member == m.name)
            .filter(|f| f.ty == Type::String)
            .ok_or_else(|| {
                (
                    None,
                    format!("the input member `{}` is a discovery identifier (`{ID_TRAIT}`) but not a string", m.name),
                )
            })?;
        identifiers.push(InputMember {
            member: m.name.clone(),
            field: field.name.clone(),
        });
    }
    if !identifiers.is_empty() && !service.takes_identifiers {
        return Err((
            None,
            format!(
                "the input has discovery identifiers, but the input of `{}` has no `Operation` and `Identifiers` to send them in",
                service.operation
            ),
        ));
    }
    Ok(Some(DiscoveredEndpoint { identifiers }))
}
