//! What changed between two versions of a service's API: the result of
//! [`compare`](super::compare), which the text and JSON renderers read.

use crate::model::EnumLiteral;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What an update means for the generated crate's version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Nothing compared differs.
    None,
    /// Only documentation, constraint traits, service-level traits (endpoint
    /// rules, ...) or other traits that leave the Rust API unchanged: a patch.
    DocsOnly,
    /// Only additions (new operations, members, enum values, errors,
    /// pagination, waiters; a top-level input member made optional): a minor.
    Additive,
    /// Something callers may rely on changed or went away: a major (a minor
    /// while the crate is 0.x).
    Breaking,
}

impl Verdict {
    /// `breaking`, `additive`, `docs-only` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::None => "none",
            Verdict::DocsOnly => "docs-only",
            Verdict::Additive => "additive",
            Verdict::Breaking => "breaking",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A type as the changelog shows it, nested to the leaves.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// A simple type, by its botocore name (`string`, `integer`, `timestamp`, ...).
    Leaf(String),
    /// An enum or intEnum: its values, in model order.
    Enum(Vec<EnumLiteral>),
    /// A list (or 1.0 set) of its member.
    List(Box<Node>),
    /// A map: key, value.
    Map(Box<Node>, Box<Node>),
    /// A structure's members, in model order.
    Structure(Vec<Field>),
    /// A union's members, in model order.
    Union(Vec<Field>),
    /// A structure or union met again below itself: its shape name.
    Recursive(String),
    /// A structure or union the changelog does not expand (nested more
    /// than [`MAX_SHOWN_DEPTH`](super::MAX_SHOWN_DEPTH) named types deep,
    /// or past the [`MAX_SHOWN_TYPES`](super::MAX_SHOWN_TYPES) one type
    /// shows): its shape name.
    Deeper(String),
}

/// A member of a [`Node::Structure`] or [`Node::Union`].
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The member name as modelled (the JSON key on the wire).
    pub name: String,
    /// `@required`.
    pub required: bool,
    /// Its type.
    pub node: Node,
}

/// What changed in one type, between the old and the new model.
#[derive(Clone, Debug, PartialEq)]
pub enum Delta {
    /// Members of a structure or union, in new-model order, then removed
    /// members in old-model order. Only changed members are listed.
    Members(Vec<MemberDelta>),
    /// Values of an enum or intEnum.
    Enum(EnumDelta),
    /// A list's member.
    List(Box<Delta>),
    /// A map's key and/or value.
    Map {
        /// The key type's botocore name, for rendering `{'string': ...}`.
        key_type: String,
        /// Change of the key type (an enum key gaining values, ...).
        key: Option<Box<Delta>>,
        /// Change of the value type.
        value: Option<Box<Delta>>,
    },
    /// Something differs further down than the changelog nests (more than
    /// [`MAX_SHOWN_DEPTH`](super::MAX_SHOWN_DEPTH) named types deep, or
    /// past the [`MAX_SHOWN_TYPES`](super::MAX_SHOWN_TYPES) one side
    /// shows); the verdict and its reasons still count it.
    Deeper,
    /// The type was replaced by an unrelated one (`integer` → `long`, or a
    /// structure, union or enum with another name: another Rust type).
    Type {
        /// Label of the old type.
        old: String,
        /// Label of the new type.
        new: String,
    },
}

/// Enum values added, removed or renamed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnumDelta {
    /// New values, in new-model order.
    pub added: Vec<EnumLiteral>,
    /// Values gone, in old-model order.
    pub removed: Vec<EnumLiteral>,
    /// Values whose member name changed so that the Rust variant is renamed.
    pub renamed: Vec<EnumRename>,
}

/// An enum value kept on the wire whose Rust variant changes name.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumRename {
    /// The wire value.
    pub value: EnumLiteral,
    /// The old member name.
    pub old: String,
    /// The new member name.
    pub new: String,
}

/// One changed member.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberDelta {
    /// The member name as modelled.
    pub name: String,
    /// How it changed.
    pub change: MemberChange,
}

/// How a member changed.
#[derive(Clone, Debug, PartialEq)]
pub enum MemberChange {
    /// A new member.
    Added {
        /// `@required`.
        required: bool,
        /// Its type.
        node: Node,
    },
    /// A member gone; its old type.
    Removed {
        /// Its type in the old model.
        node: Node,
    },
    /// A member in both models.
    Changed {
        /// The new requiredness, when it changed.
        required: Option<bool>,
        /// `@default` / `@clientOptional` when they changed: they decide
        /// `T` vs `Option<T>` in Rust like `@required` does.
        presence: Vec<String>,
        /// Change of its type.
        delta: Option<Delta>,
    },
}

/// An operation only in the new model.
#[derive(Clone, Debug, PartialEq)]
pub struct NewOperation {
    /// The operation name.
    pub name: String,
    /// Its input, nested to the leaves.
    pub request: Node,
    /// Its output, nested to the leaves.
    pub response: Node,
    /// Its modelled errors (the operation's and the service's), sorted.
    pub errors: Vec<String>,
}

/// Added, removed or changed (for operation-level traits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TraitChange {
    /// Present only in the new model.
    Added,
    /// Present only in the old model.
    Removed,
    /// Present in both, with different values.
    Changed,
}

impl TraitChange {
    pub(super) fn label(self) -> &'static str {
        match self {
            TraitChange::Added => "new",
            TraitChange::Removed => "removed",
            TraitChange::Changed => "updated",
        }
    }
}

/// An operation in both models whose API changed.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdatedOperation {
    /// The operation name.
    pub name: String,
    /// What changed in the input.
    pub request: Option<Delta>,
    /// What changed in the output.
    pub response: Option<Delta>,
    /// Modelled errors the operation gained (sorted).
    pub errors_added: Vec<String>,
    /// Modelled errors the operation lost (sorted).
    pub errors_removed: Vec<String>,
    /// `@paginated` (merged with the service's defaults) added, removed or changed.
    pub pagination: Option<TraitChange>,
    /// Waiters (`smithy.waiters#waitable`) added, removed or changed, by name.
    pub waiters: BTreeMap<String, TraitChange>,
}

impl UpdatedOperation {
    /// What the `Changes (...)` line lists: `request`, `response`, `errors`,
    /// `pagination`, `waiters`, in that order.
    pub fn parts(&self) -> Vec<&'static str> {
        let mut parts = Vec::new();
        if self.request.is_some() {
            parts.push("request");
        }
        if self.response.is_some() {
            parts.push("response");
        }
        if !self.errors_added.is_empty() || !self.errors_removed.is_empty() {
            parts.push("errors");
        }
        if self.pagination.is_some() {
            parts.push("pagination");
        }
        if !self.waiters.is_empty() {
            parts.push("waiters");
        }
        parts
    }
}

/// An error structure (modelled on some operation) whose members changed.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdatedError {
    /// The error shape name.
    pub name: String,
    /// What changed in it.
    pub delta: Delta,
}

/// Everything that changed between two models of one service.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiDiff {
    /// The service title of the new model (`smithy.api#title`, else the sdkId).
    pub service: String,
    /// Operations only in the new model, by name.
    pub new_operations: Vec<NewOperation>,
    /// Operations in both whose API changed, by name.
    pub updated_operations: Vec<UpdatedOperation>,
    /// Operations only in the old model, by name.
    pub removed_operations: Vec<String>,
    /// Error structures whose members changed, by name (not counted as
    /// operations: each would otherwise update every operation that has it).
    pub updated_errors: Vec<UpdatedError>,
    /// Operations whose API is unchanged but whose documentation,
    /// constraints or other traits (own or of a reachable shape) changed.
    pub docs_only_operations: Vec<String>,
    /// Error structures, likewise.
    pub docs_only_errors: Vec<String>,
    /// Constraint traits that changed, by location (`Shape` or
    /// `Shape.member`): not API changes, since the client does not enforce them.
    pub constraint_changes: BTreeMap<String, BTreeSet<String>>,
    /// Other traits that changed without changing the Rust API
    /// (`@timestampFormat`, `@idempotencyToken`, `@sensitive`, ...), by location.
    pub trait_changes: BTreeMap<String, BTreeSet<String>>,
    /// Traits of the service shape that changed (endpoint rules, ...), and
    /// its version when that changed.
    pub service_changes: Vec<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// Why: for `breaking`, every culprit (most severe kind first); otherwise
    /// a summary of what changed.
    pub reasons: Vec<String>,
}

impl ApiDiff {
    /// `<date> - <service> - <N> new <M> updated api methods`.
    pub fn headline(&self, date: &str) -> String {
        format!(
            "{date} - {} - {} new {} updated api methods",
            self.service,
            self.new_operations.len(),
            self.updated_operations.len()
        )
    }

    /// Whether any operation or error structure changed its API.
    pub fn has_api_changes(&self) -> bool {
        !(self.new_operations.is_empty()
            && self.updated_operations.is_empty()
            && self.removed_operations.is_empty()
            && self.updated_errors.is_empty())
    }
}
