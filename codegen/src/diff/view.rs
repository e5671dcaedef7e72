//! One side of the comparison: an IR with the lookups the changelog
//! needs (model names, types nested to the leaves, one-line type labels).

use super::changes::{Field, Node};
use crate::ir::{Operation, Service, Structure, Type, TypeDef};
use crate::model::ShapeId;
use std::collections::BTreeMap;

/// One side's IR, with the lookups the comparison needs.
#[derive(Clone, Copy)]
pub(super) struct View<'a>(pub(super) &'a Service);

impl<'a> View<'a> {
    /// The model name of a named type (`rename` applied).
    pub(super) fn name(self, id: &ShapeId) -> String {
        self.0
            .types
            .get(id)
            .map_or_else(|| id.name().to_owned(), |d| d.shape_name().to_owned())
    }

    pub(super) fn operations(self) -> BTreeMap<&'a str, &'a Operation> {
        self.0
            .operations
            .iter()
            .map(|op| (op.name.as_str(), op))
            .collect()
    }

    /// An operation's modelled errors (its own and the service's), by name.
    pub(super) fn errors(self, op: &Operation) -> BTreeMap<String, ShapeId> {
        op.errors
            .iter()
            .map(|e| (self.name(&e.id), e.id.clone()))
            .collect()
    }

    /// The type nested to the leaves; named types met again below
    /// themselves become [`Node::Recursive`].
    pub(super) fn node(self, ty: &Type, stack: &mut Vec<ShapeId>) -> Node {
        match ty {
            Type::List { member, .. } => Node::List(Box::new(self.node(member, stack))),
            Type::Map { key, value, .. } => Node::Map(
                Box::new(self.node(key, stack)),
                Box::new(self.node(value, stack)),
            ),
            Type::Named(id) => {
                if stack.contains(id) {
                    return Node::Recursive(self.name(id));
                }
                stack.push(id.clone());
                let node = match self.0.types.get(id) {
                    Some(TypeDef::Structure(s)) => self.structure_node(s, stack),
                    Some(TypeDef::Union(u)) => Node::Union(
                        u.variants
                            .iter()
                            .map(|v| Field {
                                name: v.member.clone(),
                                required: false,
                                node: v
                                    .ty
                                    .as_ref()
                                    .map_or(Node::Structure(Vec::new()), |t| self.node(t, stack)),
                            })
                            .collect(),
                    ),
                    Some(TypeDef::Enum(e)) => {
                        Node::Enum(e.variants.iter().map(|v| v.value.clone()).collect())
                    }
                    None => Node::Leaf(id.name().to_owned()),
                };
                stack.pop();
                node
            }
            simple => Node::Leaf(simple_name(simple).to_owned()),
        }
    }

    pub(super) fn structure_node(self, s: &Structure, stack: &mut Vec<ShapeId>) -> Node {
        Node::Structure(
            s.fields
                .iter()
                .map(|f| Field {
                    name: f.member.clone(),
                    required: f.presence.checked_on_build(),
                    node: self.node(&f.ty, stack),
                })
                .collect(),
        )
    }

    /// A one-line label of a type, for "changed type" reports.
    pub(super) fn label(self, ty: &Type, depth: usize) -> String {
        if depth > 4 {
            return "...".to_owned();
        }
        let sparse = |s: bool| if s { "sparse " } else { "" };
        match ty {
            Type::List { member, sparse: s } => {
                format!("{}list<{}>", sparse(*s), self.label(member, depth + 1))
            }
            Type::Map {
                key,
                value,
                sparse: s,
            } => format!(
                "{}map<{}, {}>",
                sparse(*s),
                self.label(key, depth + 1),
                self.label(value, depth + 1)
            ),
            Type::Named(id) => {
                let kind = match self.0.types.get(id) {
                    Some(TypeDef::Structure(_)) => "structure ",
                    Some(TypeDef::Union(_)) => "union ",
                    Some(TypeDef::Enum(e)) if e.int => "intEnum ",
                    Some(TypeDef::Enum(_)) => "enum ",
                    None => "",
                };
                format!("{kind}{}", self.name(id))
            }
            simple => simple_name(simple).to_owned(),
        }
    }
}

/// The model's name of a simple type (`string`, `integer`, `timestamp`, ...).
fn simple_name(ty: &Type) -> &'static str {
    match ty {
        Type::String => "string",
        Type::Bool => "boolean",
        Type::Byte => "byte",
        Type::Short => "short",
        Type::Integer => "integer",
        Type::Long => "long",
        Type::Float => "float",
        Type::Double => "double",
        Type::BigInteger => "bigInteger",
        Type::BigDecimal => "bigDecimal",
        Type::Timestamp(_) => "timestamp",
        Type::Blob => "blob",
        Type::Document => "document",
        Type::Named(_) => "structure",
        Type::List { .. } => "list",
        Type::Map { .. } => "map",
    }
}
