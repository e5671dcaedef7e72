//! One side of the comparison: an IR with the lookups the changelog
//! needs (model names, types nested to the leaves, one-line type labels).

use super::changes::{Field, Node};
use crate::ir::{Operation, Service, Structure, Type, TypeDef};
use crate::model::ShapeId;
use std::collections::BTreeMap;

/// How many named types deep the changelog nests a type or a change
/// (below an operation's input or output, an error, a new member); deeper
/// ones are shown by name ([`Node::Deeper`], [`Delta::Deeper`]). The
/// comparison itself goes to the end of any chain: the verdict counts
/// every change.
///
/// [`Delta::Deeper`]: super::Delta::Deeper
pub const MAX_SHOWN_DEPTH: usize = 32;

/// How many named types one shown type (or one side of an operation's
/// changes) expands at most: a model whose types share members in a
/// lattice would otherwise expand to exponentially many.
pub const MAX_SHOWN_TYPES: usize = 10_000;

/// What one shown tree has left: the named types it is inside, and how
/// many more it may expand.
pub(super) struct Shown {
    stack: Vec<ShapeId>,
    left: usize,
}

impl Shown {
    /// A tree inside `outer` (an operation's input or output), or at the top.
    pub(super) fn new(outer: Option<&ShapeId>) -> Self {
        Shown {
            stack: outer.into_iter().cloned().collect(),
            left: MAX_SHOWN_TYPES,
        }
    }
}

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
    /// themselves become [`Node::Recursive`], those past what `shown`
    /// allows [`Node::Deeper`].
    pub(super) fn node(self, ty: &Type, shown: &mut Shown) -> Node {
        match ty {
            Type::List { member, .. } => Node::List(Box::new(self.node(member, shown))),
            Type::Map { key, value, .. } => Node::Map(
                Box::new(self.node(key, shown)),
                Box::new(self.node(value, shown)),
            ),
            Type::Named(id) => {
                if shown.stack.contains(id) {
                    return Node::Recursive(self.name(id));
                }
                if shown.stack.len() >= MAX_SHOWN_DEPTH || shown.left == 0 {
                    return Node::Deeper(self.name(id));
                }
                shown.left -= 1;
                let stack = shown;
                stack.stack.push(id.clone());
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
                stack.stack.pop();
                node
            }
            simple => Node::Leaf(simple_name(simple).to_owned()),
        }
    }

    pub(super) fn structure_node(self, s: &Structure, stack: &mut Shown) -> Node {
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
