//! Member paths resolved against the IR's structures: the dotted paths of
//! `@paginated` and the member accesses of waiter JMESPath.
//!
//! Paths name members as modelled (not Rust field names); each step records
//! the Rust field and what emission needs to reach it (`Option`, `Box`).

use super::{Field, Structure, Type, TypeDef};
use crate::model::ShapeId;
use crate::naming::Ident;
use std::collections::BTreeMap;

/// One member access.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The member name as modelled.
    pub member: String,
    /// Its Rust field.
    pub field: Ident,
    /// The field is `Option<T>`.
    pub optional: bool,
    /// The field is boxed.
    pub boxed: bool,
    /// The field's value type.
    pub ty: Type,
}

/// A chain of member accesses from a structure (possibly empty: the
/// structure itself).
#[derive(Clone, Debug, PartialEq)]
pub struct MemberPath {
    /// The type the path starts from.
    pub from: Type,
    /// The accesses, in order.
    pub steps: Vec<Step>,
}

impl MemberPath {
    /// The type the path ends at.
    pub fn ty(&self) -> &Type {
        self.steps.last().map_or(&self.from, |s| &s.ty)
    }

    /// Some step may be absent: the value is an `Option`.
    pub fn may_be_absent(&self) -> bool {
        self.steps.iter().any(|s| s.optional)
    }
}

/// A short name of an IR type for messages.
pub(super) fn describe(types: &BTreeMap<ShapeId, TypeDef>, ty: &Type) -> String {
    match ty {
        Type::Named(id) => match types.get(id) {
            Some(TypeDef::Structure(_)) => format!("structure `{}`", id.name()),
            Some(TypeDef::Union(_)) => format!("union `{}`", id.name()),
            Some(TypeDef::Enum(e)) if e.int => format!("intEnum `{}`", id.name()),
            Some(TypeDef::Enum(_)) => format!("enum `{}`", id.name()),
            None => format!("`{}`", id.name()),
        },
        Type::List { .. } => "a list".to_owned(),
        Type::Map { .. } => "a map".to_owned(),
        Type::Timestamp(_) => "timestamp".to_owned(),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// Looks up structures: the named types, plus the operation's input and
/// output (which are not among them).
pub(super) struct Structures<'a> {
    pub types: &'a BTreeMap<ShapeId, TypeDef>,
    pub extra: &'a [&'a Structure],
}

impl Structures<'_> {
    fn get(&self, ty: &Type) -> Option<&Structure> {
        let Type::Named(id) = ty else {
            return None;
        };
        match self.types.get(id) {
            Some(TypeDef::Structure(s)) => Some(s),
            _ => self.extra.iter().copied().find(|s| &s.id == id),
        }
    }

    /// The structure `ty` names, if it names one.
    pub fn structure(&self, ty: &Type) -> Option<&Structure> {
        self.get(ty)
    }

    /// Follows `members` (model names) from `from`; the error names the
    /// member that is missing or the value that has no members.
    pub fn resolve(&self, from: &Type, members: &[&str]) -> Result<MemberPath, String> {
        let mut steps: Vec<Step> = Vec::with_capacity(members.len());
        for (i, member) in members.iter().enumerate() {
            let current = steps.last().map_or(from, |s: &Step| &s.ty);
            let owner = self.get(current).ok_or_else(|| {
                format!(
                    "`{}` is {}, which has no members",
                    members[..i].join("."),
                    describe(self.types, current)
                )
            })?;
            let field: &Field = owner
                .fields
                .iter()
                .find(|f| f.member == *member)
                .ok_or_else(|| format!("`{}` has no member `{member}`", owner.id.name()))?;
            steps.push(Step {
                member: (*member).to_owned(),
                field: field.name.clone(),
                optional: field.presence.is_option(),
                boxed: field.boxed,
                ty: field.ty.clone(),
            });
        }
        Ok(MemberPath {
            from: from.clone(),
            steps,
        })
    }
}

/// Checks that a path segment is a plain identifier.
pub(super) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
