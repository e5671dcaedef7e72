//! The API changelog between two versions of a service model.
//!
//! This module owns comparing two loaded [`Model`]s (same loader as code
//! generation, so Smithy 1.0 and 2.0 files compare on equal terms) and
//! deciding what the update means for callers: which operations are new,
//! updated or removed, what each side of an updated operation gained or
//! lost, which changes are documentation-level only, and the semver
//! verdict. It also renders that result as a changelog in the style of the
//! Python SDK's release notes ([`render_text`]) or as JSON ([`render_json`]).
//!
//! The rules are written down in `docs/updating-the-model.md`; in short:
//!
//! * operations are compared by name over the service's closure
//!   (operations bound directly or through resources);
//! * an operation is *updated* when a shape reachable from its input or
//!   output (through structures, unions, lists and maps) gained or lost a
//!   member or an enum value, or changed a member's type or requiredness,
//!   or when the operation gained or lost a modelled error, pagination or
//!   a waiter;
//! * documentation, constraint traits (`@length`, `@pattern`, `@range`,
//!   `@uniqueItems`: the client does not enforce them) and other traits
//!   that leave the Rust API unchanged are reported as notes, never as
//!   updates;
//! * the verdict is about the generated Rust crate: see [`Verdict`].

use crate::error::Error;
use crate::ir;
use crate::model::{EnumLiteral, EnumValue, Member, Model, Shape, ShapeId, ShapeKind, Simple};
use crate::naming;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write};
use std::path::Path;

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
    fn label(self) -> &'static str {
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

/// Loads both model files with the codegen loader and compares them.
/// A file that does not load gives the loader's error.
pub fn diff_files(old: &Path, new: &Path, service: Option<&str>) -> Result<ApiDiff, Error> {
    let old = Model::load(old)?;
    let new = Model::load(new)?;
    diff(&old, &new, service)
}

/// Compares the service (`service`, or the only one) of two models.
pub fn diff(old: &Model, new: &Model, service: Option<&str>) -> Result<ApiDiff, Error> {
    let old = Ctx::new(old, service)?;
    let new = Ctx::new(new, service)?;
    Differ::new(old, new).run()
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

/// Documentation-level traits: a change is a docs-only change.
const DOC_TRAITS: &[&str] = &[
    "smithy.api#documentation",
    "smithy.api#externalDocumentation",
    "smithy.api#deprecated",
    "smithy.api#examples",
    "smithy.api#tags",
    "smithy.api#since",
    "smithy.api#title",
];

/// Constraint traits: the generated client does not check them (the service
/// does), so a change is a note, not an API change.
const CONSTRAINT_TRAITS: &[&str] = &[
    "smithy.api#length",
    "smithy.api#pattern",
    "smithy.api#range",
    "smithy.api#uniqueItems",
];

/// Traits compared structurally elsewhere (requiredness, enum values,
/// sparseness, pagination, waiters, member presence), or that only mark how
/// the model was written and leave any client unchanged (`@input`, `@box`,
/// which the loader turns into `@default`, ...).
const STRUCTURAL_TRAITS: &[&str] = &[
    "smithy.api#required",
    "smithy.api#default",
    "smithy.api#clientOptional",
    "smithy.api#enum",
    "smithy.api#enumValue",
    "smithy.api#sparse",
    "smithy.api#paginated",
    "smithy.waiters#waitable",
    "smithy.api#box",
    "smithy.api#input",
    "smithy.api#output",
    "smithy.api#suppress",
];

/// Traits that decide `T` vs `Option<T>` for a member, besides `@required`.
const PRESENCE_TRAITS: &[&str] = &["smithy.api#default", "smithy.api#clientOptional"];

/// Culprit kinds, most severe first: the verdict names culprits in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Culprit {
    RemovedOperation,
    RemovedMember,
    RemovedEnumValue,
    ChangedType,
    RequiredOnInput,
    OptionalOnOutput,
    RequiredOnOutput,
    OptionalNestedInput,
    Presence,
    BuildSignature,
    RenamedEnumValue,
    RemovedError,
    Pagination,
    RemovedWaiter,
}

/// Which way a shape is reached: decides which requiredness changes break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// From an operation input: callers build it.
    Input,
    /// From an operation output or an error: callers read it.
    Output,
}

/// One model and the service being compared in it.
struct Ctx<'m> {
    model: &'m Model,
    service: &'m Shape,
    errors: &'m [ShapeId],
    rename: Option<&'m BTreeMap<ShapeId, String>>,
}

impl<'m> Ctx<'m> {
    fn new(model: &'m Model, service: Option<&str>) -> Result<Self, Error> {
        let shape = ir::select_service(model, service)?;
        let (errors, rename) = match &shape.kind {
            ShapeKind::Service(s) => (s.errors.as_slice(), Some(&s.rename)),
            _ => (&[][..], None),
        };
        Ok(Self {
            model,
            service: shape,
            errors,
            rename,
        })
    }

    /// The shape `id`; a typed error (never a panic) if the model lacks it.
    fn shape(&self, id: &ShapeId) -> Result<&'m Shape, Error> {
        self.model.shape(id).ok_or_else(|| Error::MissingTarget {
            path: self.model.source.clone(),
            from: self.service.id.to_string(),
            target: id.to_string(),
        })
    }

    /// The shape's name in this service (`rename` applied).
    fn name(&self, id: &ShapeId) -> String {
        self.rename
            .and_then(|r| r.get(id))
            .cloned()
            .unwrap_or_else(|| id.name().to_owned())
    }

    /// `smithy.api#title`, else the sdkId, else the shape name.
    fn title(&self) -> String {
        let traits = &self.service.traits;
        traits
            .string("smithy.api#title")
            .or_else(|| {
                traits
                    .get("aws.api#service")
                    .and_then(|s| s.get("sdkId"))
                    .and_then(Value::as_str)
            })
            .map_or_else(|| self.service.id.name().to_owned(), str::to_owned)
    }

    /// The service's operations, by name.
    fn operations(&self) -> Result<BTreeMap<String, &'m Shape>, Error> {
        let mut ops = BTreeMap::new();
        for id in ir::operation_closure(self.model, self.service) {
            ops.insert(id.name().to_owned(), self.shape(&id)?);
        }
        Ok(ops)
    }

    /// An operation's modelled errors (its own and the service's), by name.
    fn op_errors(&self, op: &Shape) -> BTreeMap<String, ShapeId> {
        let own: &[ShapeId] = match &op.kind {
            ShapeKind::Operation { errors, .. } => errors,
            _ => &[],
        };
        own.iter()
            .chain(self.errors)
            .map(|id| (self.name(id), id.clone()))
            .collect()
    }

    /// `@paginated` of `op`, merged over the service's defaults.
    fn pagination(&self, op: &Shape) -> Option<Value> {
        let own = op.traits.get("smithy.api#paginated")?;
        let mut merged = self
            .service
            .traits
            .get("smithy.api#paginated")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        if let Some(own) = own.as_object() {
            for (k, v) in own {
                merged.insert(k.clone(), v.clone());
            }
        }
        Some(Value::Object(merged))
    }

    /// Waiters of `op`, by name.
    fn waiters(&self, op: &Shape) -> BTreeMap<String, Value> {
        op.traits
            .get("smithy.waiters#waitable")
            .and_then(Value::as_object)
            .map(|w| w.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// The type of `id` nested to the leaves; structures and unions met
    /// again below themselves become [`Node::Recursive`].
    fn node(&self, id: &ShapeId) -> Result<Node, Error> {
        self.node_in(id, &mut Vec::new())
    }

    fn node_in(&self, id: &ShapeId, stack: &mut Vec<ShapeId>) -> Result<Node, Error> {
        let shape = self.shape(id)?;
        if stack.contains(id) {
            return Ok(Node::Recursive(self.name(id)));
        }
        stack.push(id.clone());
        let node = self.node_kind(shape, stack);
        stack.pop();
        node
    }

    fn node_kind(&self, shape: &Shape, stack: &mut Vec<ShapeId>) -> Result<Node, Error> {
        Ok(match &shape.kind {
            ShapeKind::Simple(s) => Node::Leaf(simple_name(*s).to_owned()),
            ShapeKind::Enum(values) | ShapeKind::IntEnum(values) => {
                Node::Enum(values.iter().map(|v| v.value.clone()).collect())
            }
            ShapeKind::List(m) => Node::List(Box::new(self.node_in(&m.target, stack)?)),
            ShapeKind::Map { key, value } => Node::Map(
                Box::new(self.node_in(&key.target, stack)?),
                Box::new(self.node_in(&value.target, stack)?),
            ),
            ShapeKind::Structure(members) | ShapeKind::Union(members) => {
                let fields = members
                    .iter()
                    .map(|m| {
                        Ok(Field {
                            name: m.name.clone(),
                            required: is_required(m),
                            node: self.node_in(&m.target, stack)?,
                        })
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                if matches!(shape.kind, ShapeKind::Union(_)) {
                    Node::Union(fields)
                } else {
                    Node::Structure(fields)
                }
            }
            // Not valid member targets; shown by kind rather than refused,
            // since the loader accepted the model.
            ShapeKind::Operation { .. } => Node::Leaf("operation".to_owned()),
            ShapeKind::Resource(_) => Node::Leaf("resource".to_owned()),
            ShapeKind::Service(_) => Node::Leaf("service".to_owned()),
        })
    }

    /// A one-line label of a type, for "changed type" reports.
    fn type_label(&self, id: &ShapeId, depth: usize) -> String {
        let Some(shape) = self.model.shape(id) else {
            return id.name().to_owned();
        };
        if depth > 4 {
            return "...".to_owned();
        }
        let sparse = if shape.traits.has("smithy.api#sparse") {
            "sparse "
        } else {
            ""
        };
        match &shape.kind {
            ShapeKind::Simple(s) => simple_name(*s).to_owned(),
            ShapeKind::List(m) => {
                format!("{sparse}list<{}>", self.type_label(&m.target, depth + 1))
            }
            ShapeKind::Map { key, value } => format!(
                "{sparse}map<{}, {}>",
                self.type_label(&key.target, depth + 1),
                self.type_label(&value.target, depth + 1)
            ),
            ShapeKind::Enum(_) => format!("enum {}", self.name(id)),
            ShapeKind::IntEnum(_) => format!("intEnum {}", self.name(id)),
            ShapeKind::Structure(_) => format!("structure {}", self.name(id)),
            ShapeKind::Union(_) => format!("union {}", self.name(id)),
            ShapeKind::Operation { .. } | ShapeKind::Resource(_) | ShapeKind::Service(_) => {
                self.name(id)
            }
        }
    }
}

/// The botocore name of a simple type.
fn simple_name(s: Simple) -> &'static str {
    match s {
        Simple::Blob => "blob",
        Simple::Boolean => "boolean",
        Simple::String => "string",
        Simple::Byte => "byte",
        Simple::Short => "short",
        Simple::Integer => "integer",
        Simple::Long => "long",
        Simple::Float => "float",
        Simple::Double => "double",
        Simple::BigInteger => "bigInteger",
        Simple::BigDecimal => "bigDecimal",
        Simple::Timestamp => "timestamp",
        Simple::Document => "document",
    }
}

fn is_required(m: &Member) -> bool {
    m.traits.has("smithy.api#required")
}

fn literal_text(v: &EnumLiteral) -> String {
    match v {
        EnumLiteral::String(s) => s.clone(),
        EnumLiteral::Int(i) => i.to_string(),
    }
}

struct Differ<'m> {
    old: Ctx<'m>,
    new: Ctx<'m>,
    /// Breaking changes, deduplicated (a shape reached from many operations
    /// is reported once), in culprit order.
    breaking: BTreeSet<(Culprit, String)>,
    constraints: BTreeMap<String, BTreeSet<String>>,
    traits: BTreeMap<String, BTreeSet<String>>,
    /// Set when the walk of the current operation met any trait change.
    touched: bool,
    /// Shape pairs being compared, to stop at recursion.
    stack: Vec<(ShapeId, ShapeId)>,
}

impl<'m> Differ<'m> {
    fn new(old: Ctx<'m>, new: Ctx<'m>) -> Self {
        Self {
            old,
            new,
            breaking: BTreeSet::new(),
            constraints: BTreeMap::new(),
            traits: BTreeMap::new(),
            touched: false,
            stack: Vec::new(),
        }
    }

    fn breaks(&mut self, kind: Culprit, what: String) {
        self.breaking.insert((kind, what));
    }

    fn run(mut self) -> Result<ApiDiff, Error> {
        let old_ops = self.old.operations()?;
        let new_ops = self.new.operations()?;

        let mut new_operations = Vec::new();
        let mut updated_operations = Vec::new();
        let mut docs_only_operations = Vec::new();
        for (name, op) in &new_ops {
            match old_ops.get(name) {
                None => new_operations.push(self.new_operation(name, op)?),
                Some(old) => match self.operation(name, old, op)? {
                    Some(updated) => updated_operations.push(updated),
                    None if self.touched => docs_only_operations.push(name.clone()),
                    None => {}
                },
            }
        }
        let removed_operations: Vec<String> = old_ops
            .keys()
            .filter(|name| !new_ops.contains_key(*name))
            .cloned()
            .collect();
        for name in &removed_operations {
            self.breaks(
                Culprit::RemovedOperation,
                format!("removed operation {name}"),
            );
        }

        let (updated_errors, docs_only_errors) = self.errors(&old_ops, &new_ops)?;
        let service_changes = self.service_changes();

        let mut diff = ApiDiff {
            service: self.new.title(),
            new_operations,
            updated_operations,
            removed_operations,
            updated_errors,
            docs_only_operations,
            docs_only_errors,
            constraint_changes: std::mem::take(&mut self.constraints),
            trait_changes: std::mem::take(&mut self.traits),
            service_changes,
            verdict: Verdict::None,
            reasons: Vec::new(),
        };
        let (verdict, reasons) = self.verdict(&diff);
        diff.verdict = verdict;
        diff.reasons = reasons;
        Ok(diff)
    }

    fn new_operation(&self, name: &str, op: &Shape) -> Result<NewOperation, Error> {
        let ShapeKind::Operation { input, output, .. } = &op.kind else {
            return Err(self.not_an_operation(&self.new, op));
        };
        Ok(NewOperation {
            name: name.to_owned(),
            request: self.new.node(input)?,
            response: self.new.node(output)?,
            errors: self.new.op_errors(op).into_keys().collect(),
        })
    }

    fn not_an_operation(&self, ctx: &Ctx<'_>, shape: &Shape) -> Error {
        Error::Shape {
            path: ctx.model.source.clone(),
            shape: shape.id.to_string(),
            message: "bound as an operation but is not one".to_owned(),
        }
    }

    /// Compares an operation present in both models; `None` when its API
    /// is unchanged (then `self.touched` says whether anything else changed).
    fn operation(
        &mut self,
        name: &str,
        old: &Shape,
        new: &Shape,
    ) -> Result<Option<UpdatedOperation>, Error> {
        self.touched = false;
        let (
            ShapeKind::Operation {
                input: old_in,
                output: old_out,
                ..
            },
            ShapeKind::Operation {
                input: new_in,
                output: new_out,
                ..
            },
        ) = (&old.kind, &new.kind)
        else {
            return Err(self.not_an_operation(&self.new, new));
        };
        self.note_traits(name, &old.traits, &new.traits);
        let request = self.shape(Side::Input, old_in, new_in, true, &format!("{name} input"))?;
        let response = self.shape(
            Side::Output,
            old_out,
            new_out,
            true,
            &format!("{name} output"),
        )?;
        if request.is_some() {
            self.input_fallibility(old_in, new_in)?;
        }

        let old_errors = self.old.op_errors(old);
        let new_errors = self.new.op_errors(new);
        let errors_added: Vec<String> = new_errors
            .keys()
            .filter(|e| !old_errors.contains_key(*e))
            .cloned()
            .collect();
        let errors_removed: Vec<String> = old_errors
            .keys()
            .filter(|e| !new_errors.contains_key(*e))
            .cloned()
            .collect();
        for e in &errors_removed {
            self.breaks(
                Culprit::RemovedError,
                format!("removed error {e} from {name}"),
            );
        }

        let pagination = match (self.old.pagination(old), self.new.pagination(new)) {
            (None, Some(_)) => Some(TraitChange::Added),
            (Some(_), None) => Some(TraitChange::Removed),
            (Some(a), Some(b)) if a != b => Some(TraitChange::Changed),
            _ => None,
        };
        match pagination {
            Some(TraitChange::Removed) => {
                self.breaks(Culprit::Pagination, format!("removed pagination of {name}"))
            }
            // Another token or items path changes what a paginator yields.
            Some(TraitChange::Changed) => {
                self.breaks(Culprit::Pagination, format!("changed pagination of {name}"))
            }
            _ => {}
        }

        let old_waiters = self.old.waiters(old);
        let new_waiters = self.new.waiters(new);
        let mut waiters = BTreeMap::new();
        for (w, def) in &new_waiters {
            match old_waiters.get(w) {
                None => {
                    waiters.insert(w.clone(), TraitChange::Added);
                }
                // New acceptors change when a waiter stops, not how it is called.
                Some(old) if old != def => {
                    waiters.insert(w.clone(), TraitChange::Changed);
                }
                Some(_) => {}
            }
        }
        for w in old_waiters.keys() {
            if !new_waiters.contains_key(w) {
                waiters.insert(w.clone(), TraitChange::Removed);
                self.breaks(
                    Culprit::RemovedWaiter,
                    format!("removed waiter {w} of {name}"),
                );
            }
        }

        let updated = UpdatedOperation {
            name: name.to_owned(),
            request,
            response,
            errors_added,
            errors_removed,
            pagination,
            waiters,
        };
        Ok((!updated.parts().is_empty()).then_some(updated))
    }

    /// A top-level input's `build()` returns `Result` only while the input
    /// has a required member (idempotency tokens aside): losing the last one
    /// changes its signature even though each member change was additive.
    fn input_fallibility(&mut self, old: &ShapeId, new: &ShapeId) -> Result<(), Error> {
        let fallible = |shape: &Shape| {
            shape
                .members()
                .iter()
                .any(|m| is_required(m) && !m.traits.has("smithy.api#idempotencyToken"))
        };
        let was = fallible(self.old.shape(old)?);
        let is = fallible(self.new.shape(new)?);
        if was && !is {
            self.breaks(
                Culprit::BuildSignature,
                format!(
                    "{} has no required member left (its builder's build() no longer returns Result)",
                    self.new.name(new)
                ),
            );
        }
        Ok(())
    }

    /// Compares error structures modelled on operations of both models.
    fn errors(
        &mut self,
        old_ops: &BTreeMap<String, &Shape>,
        new_ops: &BTreeMap<String, &Shape>,
    ) -> Result<(Vec<UpdatedError>, Vec<String>), Error> {
        let old_errors: BTreeMap<String, ShapeId> = old_ops
            .values()
            .flat_map(|op| self.old.op_errors(op))
            .collect();
        let new_errors: BTreeMap<String, ShapeId> = new_ops
            .values()
            .flat_map(|op| self.new.op_errors(op))
            .collect();
        let mut updated = Vec::new();
        let mut docs_only = Vec::new();
        for (name, new_id) in &new_errors {
            let Some(old_id) = old_errors.get(name) else {
                continue;
            };
            self.touched = false;
            match self.shape(Side::Output, old_id, new_id, true, name)? {
                Some(delta) => updated.push(UpdatedError {
                    name: name.clone(),
                    delta,
                }),
                None if self.touched => docs_only.push(name.clone()),
                None => {}
            }
        }
        Ok((updated, docs_only))
    }

    fn service_changes(&self) -> Vec<String> {
        let (old, new) = (self.old.service, self.new.service);
        let mut changes = Vec::new();
        if let (ShapeKind::Service(a), ShapeKind::Service(b)) = (&old.kind, &new.kind) {
            if a.version != b.version {
                changes.push(format!("version {} -> {}", a.version, b.version));
            }
            if a.rename != b.rename {
                changes.push("rename".to_owned());
            }
        }
        let keys: BTreeSet<&String> = old
            .traits
            .iter()
            .chain(new.traits.iter())
            .map(|(k, _)| k)
            .collect();
        for k in keys {
            if old.traits.get(k) != new.traits.get(k) {
                changes.push(k.clone());
            }
        }
        changes
    }

    /// Records trait differences at `location` as documentation, constraint
    /// or other-trait notes.
    fn note_traits(
        &mut self,
        location: &str,
        old: &crate::model::Traits,
        new: &crate::model::Traits,
    ) {
        let keys: BTreeSet<&String> = old.iter().chain(new.iter()).map(|(k, _)| k).collect();
        for k in keys {
            if STRUCTURAL_TRAITS.contains(&k.as_str()) || old.get(k) == new.get(k) {
                continue;
            }
            self.touched = true;
            if DOC_TRAITS.contains(&k.as_str()) {
                continue;
            }
            let notes = if CONSTRAINT_TRAITS.contains(&k.as_str()) {
                &mut self.constraints
            } else {
                &mut self.traits
            };
            notes
                .entry(location.to_owned())
                .or_default()
                .insert(k.clone());
        }
    }

    /// Compares the type `old` (old model) with `new` (new model), reached
    /// through `at` (`Shape.member`). `top` is set for an operation's input
    /// or output and an error structure, whose Rust names do not come from
    /// the shape name.
    fn shape(
        &mut self,
        side: Side,
        old_id: &ShapeId,
        new_id: &ShapeId,
        top: bool,
        at: &str,
    ) -> Result<Option<Delta>, Error> {
        let pair = (old_id.clone(), new_id.clone());
        if self.stack.contains(&pair) {
            // Whatever differs below was reported where the walk first met it.
            return Ok(None);
        }
        self.stack.push(pair);
        let result = self.shape_kind(side, old_id, new_id, top, at);
        self.stack.pop();
        result
    }

    fn shape_kind(
        &mut self,
        side: Side,
        old_id: &ShapeId,
        new_id: &ShapeId,
        top: bool,
        at: &str,
    ) -> Result<Option<Delta>, Error> {
        let old = self.old.shape(old_id)?;
        let new = self.new.shape(new_id)?;
        let name = self.new.name(new_id);
        let same_name = top || self.old.name(old_id) == name;
        // Trait notes go to the shape, or to the member that reached it when
        // the member now targets another shape of the same kind (`Arn` ->
        // `RoleArn`): the old shape's traits are then compared with the new's.
        let here = if self.old.name(old_id) == name {
            name.clone()
        } else {
            at.to_owned()
        };
        let same_sparse =
            old.traits.has("smithy.api#sparse") == new.traits.has("smithy.api#sparse");
        let delta = match (&old.kind, &new.kind) {
            (ShapeKind::Simple(a), ShapeKind::Simple(b)) if a == b => {
                self.note_traits(&here, &old.traits, &new.traits);
                None
            }
            (ShapeKind::Enum(a), ShapeKind::Enum(b))
            | (ShapeKind::IntEnum(a), ShapeKind::IntEnum(b))
                if same_name =>
            {
                self.note_traits(&here, &old.traits, &new.traits);
                self.enum_values(&name, a, b).map(Delta::Enum)
            }
            (ShapeKind::List(a), ShapeKind::List(b)) if same_sparse => {
                self.note_traits(&here, &old.traits, &new.traits);
                let at = format!("{name}.member");
                self.note_traits(&at, &a.traits, &b.traits);
                self.shape(side, &a.target, &b.target, false, &at)?
                    .map(|d| Delta::List(Box::new(d)))
            }
            (
                ShapeKind::Map {
                    key: old_key,
                    value: old_value,
                },
                ShapeKind::Map {
                    key: new_key,
                    value: new_value,
                },
            ) if same_sparse => {
                self.note_traits(&here, &old.traits, &new.traits);
                let key_at = format!("{name}.key");
                let value_at = format!("{name}.value");
                self.note_traits(&key_at, &old_key.traits, &new_key.traits);
                self.note_traits(&value_at, &old_value.traits, &new_value.traits);
                let key = self.shape(side, &old_key.target, &new_key.target, false, &key_at)?;
                let value =
                    self.shape(side, &old_value.target, &new_value.target, false, &value_at)?;
                (key.is_some() || value.is_some()).then(|| Delta::Map {
                    key_type: self.new.type_label(&new_key.target, 0),
                    key: key.map(Box::new),
                    value: value.map(Box::new),
                })
            }
            (ShapeKind::Structure(a), ShapeKind::Structure(b))
            | (ShapeKind::Union(a), ShapeKind::Union(b))
                if same_name =>
            {
                self.note_traits(&here, &old.traits, &new.traits);
                let members = self.members(side, top, &name, a, b)?;
                (!members.is_empty()).then_some(Delta::Members(members))
            }
            _ => {
                let old_label = self.old.type_label(old_id, 0);
                let new_label = self.new.type_label(new_id, 0);
                self.breaks(
                    Culprit::ChangedType,
                    format!("changed type of {at}: {old_label} -> {new_label}"),
                );
                Some(Delta::Type {
                    old: old_label,
                    new: new_label,
                })
            }
        };
        Ok(delta)
    }

    fn enum_values(
        &mut self,
        name: &str,
        old: &[EnumValue],
        new: &[EnumValue],
    ) -> Option<EnumDelta> {
        let mut delta = EnumDelta::default();
        for v in new {
            match old.iter().find(|o| o.value == v.value) {
                None => delta.added.push(v.value.clone()),
                Some(o) => {
                    let at = format!("{name}.{}", literal_text(&v.value));
                    self.note_traits(&at, &o.traits, &v.traits);
                    // Only a change of the Rust variant name matters to callers.
                    if naming::variant_name(&o.name) != naming::variant_name(&v.name) {
                        self.breaks(
                            Culprit::RenamedEnumValue,
                            format!("renamed enum value {at}: {} -> {}", o.name, v.name),
                        );
                        delta.renamed.push(EnumRename {
                            value: v.value.clone(),
                            old: o.name.clone(),
                            new: v.name.clone(),
                        });
                    }
                }
            }
        }
        for o in old {
            if !new.iter().any(|v| v.value == o.value) {
                self.breaks(
                    Culprit::RemovedEnumValue,
                    format!("removed enum value {name}.{}", literal_text(&o.value)),
                );
                delta.removed.push(o.value.clone());
            }
        }
        (delta != EnumDelta::default()).then_some(delta)
    }

    fn members(
        &mut self,
        side: Side,
        top: bool,
        owner: &str,
        old: &[Member],
        new: &[Member],
    ) -> Result<Vec<MemberDelta>, Error> {
        let mut out = Vec::new();
        for m in new {
            let at = format!("{owner}.{}", m.name);
            let Some(o) = old.iter().find(|o| o.name == m.name) else {
                let required = is_required(m);
                if required && side == Side::Input {
                    self.breaks(
                        Culprit::RequiredOnInput,
                        format!("added required input member {at}"),
                    );
                }
                out.push(MemberDelta {
                    name: m.name.clone(),
                    change: MemberChange::Added {
                        required,
                        node: self.new.node(&m.target)?,
                    },
                });
                continue;
            };
            self.note_traits(&at, &o.traits, &m.traits);
            let required = (is_required(o) != is_required(m)).then_some(is_required(m));
            // A top-level input field is `Option<T>` whatever the model
            // says; everywhere else `@required` decides `T` vs `Option<T>`.
            let top_input = top && side == Side::Input;
            match (required, side) {
                (Some(true), Side::Input) => self.breaks(
                    Culprit::RequiredOnInput,
                    format!("made required on input: {at}"),
                ),
                (Some(false), Side::Input) if !top_input => self.breaks(
                    Culprit::OptionalNestedInput,
                    format!("made optional in a nested input structure: {at}"),
                ),
                (Some(true), Side::Output) => self.breaks(
                    Culprit::RequiredOnOutput,
                    format!("made required on output: {at}"),
                ),
                (Some(false), Side::Output) => self.breaks(
                    Culprit::OptionalOnOutput,
                    format!("made optional on output: {at}"),
                ),
                _ => {}
            }
            let presence: Vec<String> = PRESENCE_TRAITS
                .iter()
                .filter(|t| o.traits.get(t) != m.traits.get(t))
                .map(|t| (*t).to_owned())
                .collect();
            if !presence.is_empty() {
                self.touched = true;
                if top_input {
                    self.traits
                        .entry(at.clone())
                        .or_default()
                        .extend(presence.iter().cloned());
                } else {
                    self.breaks(
                        Culprit::Presence,
                        format!("changed {} of {at}", presence.join(", ")),
                    );
                }
            }
            let delta = self.shape(side, &o.target, &m.target, false, &at)?;
            let presence = if top_input { Vec::new() } else { presence };
            if required.is_some() || !presence.is_empty() || delta.is_some() {
                out.push(MemberDelta {
                    name: m.name.clone(),
                    change: MemberChange::Changed {
                        required,
                        presence,
                        delta,
                    },
                });
            }
        }
        for o in old {
            if !new.iter().any(|m| m.name == o.name) {
                self.breaks(
                    Culprit::RemovedMember,
                    format!("removed member {owner}.{}", o.name),
                );
                out.push(MemberDelta {
                    name: o.name.clone(),
                    change: MemberChange::Removed {
                        node: self.old.node(&o.target)?,
                    },
                });
            }
        }
        Ok(out)
    }

    fn verdict(&self, diff: &ApiDiff) -> (Verdict, Vec<String>) {
        if !self.breaking.is_empty() {
            let reasons = self.breaking.iter().map(|(_, what)| what.clone()).collect();
            return (Verdict::Breaking, reasons);
        }
        if diff.has_api_changes() {
            let mut reasons = Vec::new();
            let names = |v: Vec<&str>| few(&v, 5);
            if !diff.new_operations.is_empty() {
                reasons.push(format!(
                    "new operations: {}",
                    names(
                        diff.new_operations
                            .iter()
                            .map(|o| o.name.as_str())
                            .collect()
                    )
                ));
            }
            if !diff.updated_operations.is_empty() {
                reasons.push(format!(
                    "additions to {}",
                    names(
                        diff.updated_operations
                            .iter()
                            .map(|o| o.name.as_str())
                            .collect()
                    )
                ));
            }
            if !diff.updated_errors.is_empty() {
                reasons.push(format!(
                    "additions to errors {}",
                    names(
                        diff.updated_errors
                            .iter()
                            .map(|e| e.name.as_str())
                            .collect()
                    )
                ));
            }
            return (Verdict::Additive, reasons);
        }
        let mut reasons = Vec::new();
        let docs = diff.docs_only_operations.len() + diff.docs_only_errors.len();
        if docs > 0 {
            reasons.push(format!(
                "no API change; documentation or traits changed in {} operations and {} errors",
                diff.docs_only_operations.len(),
                diff.docs_only_errors.len()
            ));
        } else {
            reasons.push("no API change".to_owned());
        }
        if !diff.constraint_changes.is_empty() {
            reasons.push(format!(
                "constraint traits changed at {} locations",
                diff.constraint_changes.len()
            ));
        }
        if !diff.trait_changes.is_empty() {
            reasons.push(format!(
                "other traits changed at {} locations",
                diff.trait_changes.len()
            ));
        }
        if !diff.service_changes.is_empty() {
            reasons.push(format!(
                "service changed: {}",
                diff.service_changes.join(", ")
            ));
        }
        if docs == 0
            && diff.constraint_changes.is_empty()
            && diff.trait_changes.is_empty()
            && diff.service_changes.is_empty()
        {
            return (
                Verdict::None,
                vec!["no change to operations, shapes or traits".to_owned()],
            );
        }
        (Verdict::DocsOnly, reasons)
    }
}

/// `A, B, C, D, E and 3 more`.
fn few(names: &[&str], n: usize) -> String {
    let mut text = names.iter().take(n).copied().collect::<Vec<_>>().join(", ");
    if names.len() > n {
        let _ = write!(text, " and {} more", names.len() - n);
    }
    text
}

// ---------------------------------------------------------------------------
// Text rendering
// ---------------------------------------------------------------------------

/// How many verdict reasons the text's last line names.
const VERDICT_REASONS: usize = 5;

/// The changelog as text: the headline, new operations, updated operations,
/// updated errors, removed operations, notes, and the verdict on the last line.
pub fn render_text(diff: &ApiDiff, date: &str) -> String {
    let mut out = Vec::new();
    out.push(diff.headline(date));
    for op in &diff.new_operations {
        out.push(String::new());
        out.push(format!("{} (new)", op.name));
        out.push("Request".to_owned());
        out.extend(pretty(&op.request));
        out.push("Response".to_owned());
        out.extend(pretty(&op.response));
        if !op.errors.is_empty() {
            out.push(format!("Errors: {}", op.errors.join(", ")));
        }
    }
    for op in &diff.updated_operations {
        out.push(String::new());
        out.push(format!("{} (updated)", op.name));
        let parts = op.parts();
        out.push(format!("Changes ({})", parts.join(", ")));
        // A side is labelled only when the Changes line lists more than it.
        let label = parts.len() > 1;
        for (title, delta, input) in [
            ("Request", &op.request, true),
            ("Response", &op.response, false),
        ] {
            if let Some(delta) = delta {
                if label {
                    out.push(title.to_owned());
                }
                out.extend(delta_lines(delta, input));
            }
        }
        if !op.errors_added.is_empty() {
            out.push(format!("Errors (new): {}", op.errors_added.join(", ")));
        }
        if !op.errors_removed.is_empty() {
            out.push(format!(
                "Errors (removed): {}",
                op.errors_removed.join(", ")
            ));
        }
        if let Some(change) = op.pagination {
            out.push(format!("Pagination ({})", change.label()));
        }
        for (name, change) in &op.waiters {
            out.push(format!("Waiter {name} ({})", change.label()));
        }
    }
    for e in &diff.updated_errors {
        out.push(String::new());
        out.push(format!("{} (updated error)", e.name));
        out.extend(delta_lines(&e.delta, false));
    }
    if !diff.removed_operations.is_empty() {
        out.push(String::new());
        for name in &diff.removed_operations {
            out.push(format!("{name} (removed)"));
        }
    }
    out.push(String::new());
    if !diff.has_api_changes() {
        out.push("No API changes.".to_owned());
    }
    if !diff.docs_only_operations.is_empty() {
        out.push(format!(
            "Documentation changes: {}",
            diff.docs_only_operations.join(", ")
        ));
    }
    if !diff.docs_only_errors.is_empty() {
        out.push(format!(
            "Documentation changes (errors): {}",
            diff.docs_only_errors.join(", ")
        ));
    }
    if !diff.constraint_changes.is_empty() {
        out.push(format!(
            "Constraint changes (not checked by the client): {}",
            notes_text(&diff.constraint_changes)
        ));
    }
    if !diff.trait_changes.is_empty() {
        out.push(format!(
            "Other trait changes (no API change): {}",
            notes_text(&diff.trait_changes)
        ));
    }
    if !diff.service_changes.is_empty() {
        out.push(format!(
            "Service changes: {}",
            diff.service_changes.join(", ")
        ));
    }
    let mut reasons: Vec<&str> = diff
        .reasons
        .iter()
        .take(VERDICT_REASONS)
        .map(String::as_str)
        .collect();
    let more = diff.reasons.len().saturating_sub(VERDICT_REASONS);
    let more_text = format!("and {more} more");
    if more > 0 {
        reasons.push(&more_text);
    }
    out.push(format!("Verdict: {}: {}", diff.verdict, reasons.join("; ")));
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// `Shape.member (length, pattern), Other (range)`; the prelude namespace
/// is dropped for reading.
fn notes_text(notes: &BTreeMap<String, BTreeSet<String>>) -> String {
    notes
        .iter()
        .map(|(at, traits)| {
            let traits: Vec<&str> = traits
                .iter()
                .map(|t| t.strip_prefix("smithy.api#").unwrap_or(t))
                .collect();
            format!("{at} ({})", traits.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A Python string literal.
fn py_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn py_literal(v: &EnumLiteral) -> String {
    match v {
        EnumLiteral::String(s) => py_str(s),
        EnumLiteral::Int(i) => i.to_string(),
    }
}

fn py_set(values: &[EnumLiteral]) -> String {
    if values.is_empty() {
        return "set()".to_owned();
    }
    let items: Vec<String> = values.iter().map(py_literal).collect();
    format!("{{{}}}", items.join(", "))
}

/// A type on one line: `{'name': 'string', 'tags': [{'key': 'string'}]}`.
fn compact(node: &Node) -> String {
    match node {
        Node::Leaf(t) => py_str(t),
        Node::Enum(values) => py_set(values),
        Node::List(m) => format!("[{}]", compact(m)),
        Node::Map(k, v) => format!("{{{}: {}}}", compact(k), compact(v)),
        Node::Structure(fields) | Node::Union(fields) => {
            let items: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", py_str(&f.name), compact(&f.node)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Node::Recursive(name) => format!("<recursive {name}>"),
    }
}

/// A type over several lines, one member a line, `# required` after each
/// required member (on the line where the member starts).
fn pretty(node: &Node) -> Vec<String> {
    match node {
        Node::Structure(fields) | Node::Union(fields) if !fields.is_empty() => {
            let mut lines = vec!["{".to_owned()];
            for f in fields {
                let value = pretty(&f.node);
                let comment = if f.required { "  # required" } else { "" };
                let key = py_str(&f.name);
                match value.as_slice() {
                    [one] => lines.push(format!("    {key}: {one},{comment}")),
                    [first, middle @ .., last] => {
                        lines.push(format!("    {key}: {first}{comment}"));
                        lines.extend(middle.iter().map(|l| format!("    {l}")));
                        lines.push(format!("    {last},"));
                    }
                    [] => {}
                }
            }
            lines.push("}".to_owned());
            lines
        }
        Node::List(m) => wrap("[", &pretty(m), "]"),
        Node::Map(k, v) => wrap(&format!("{{{}: ", compact(k)), &pretty(v), "}"),
        other => vec![compact(other)],
    }
}

fn wrap(open: &str, inner: &[String], close: &str) -> Vec<String> {
    let mut lines: Vec<String> = inner.to_vec();
    if let Some(first) = lines.first_mut() {
        *first = format!("{open}{first}");
    }
    if let Some(last) = lines.last_mut() {
        last.push_str(close);
    }
    lines
}

/// One side of an updated operation: the literal of what was added, the
/// literal of what was removed (marked `(removed)`), then one line per
/// type, requiredness or presence change, by member path.
fn delta_lines(delta: &Delta, input: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(added) = projection(delta, Pick::Added) {
        lines.push(added);
    }
    if let Some(removed) = projection(delta, Pick::Removed) {
        lines.push(format!("{removed} (removed)"));
    }
    changed_lines(delta, "", input, &mut lines);
    lines
}

#[derive(Clone, Copy, PartialEq)]
enum Pick {
    Added,
    Removed,
}

/// The nested literal of only the added (or only the removed) parts.
fn projection(delta: &Delta, pick: Pick) -> Option<String> {
    match delta {
        Delta::Members(members) => {
            let items: Vec<String> = members
                .iter()
                .filter_map(|m| {
                    let value = match (&m.change, pick) {
                        (MemberChange::Added { node, .. }, Pick::Added)
                        | (MemberChange::Removed { node }, Pick::Removed) => Some(compact(node)),
                        (MemberChange::Changed { delta: Some(d), .. }, _) => projection(d, pick),
                        _ => None,
                    }?;
                    Some(format!("{}: {value}", py_str(&m.name)))
                })
                .collect();
            (!items.is_empty()).then(|| format!("{{{}}}", items.join(", ")))
        }
        Delta::Enum(e) => {
            let values = if pick == Pick::Added {
                &e.added
            } else {
                &e.removed
            };
            (!values.is_empty()).then(|| py_set(values))
        }
        Delta::List(d) => projection(d, pick).map(|s| format!("[{s}]")),
        Delta::Map {
            key_type,
            key,
            value,
        } => {
            let key = key.as_deref().and_then(|k| projection(k, pick));
            let value = value.as_deref().and_then(|v| projection(v, pick));
            match (key, value) {
                (None, None) => None,
                (Some(k), None) => Some(format!("{{{k}: ...}}")),
                (None, Some(v)) => Some(format!("{{{}: {v}}}", py_str(key_type))),
                (Some(k), Some(v)) => Some(format!("{{{k}: {v}}}")),
            }
        }
        Delta::Type { .. } => None,
    }
}

/// One line per change the literals do not show. `input`: the request
/// side, where a new member that is required breaks callers and is named.
fn changed_lines(delta: &Delta, path: &str, input: bool, out: &mut Vec<String>) {
    let here = if path.is_empty() { "(top level)" } else { path };
    match delta {
        Delta::Members(members) => {
            for m in members {
                let p = if path.is_empty() {
                    m.name.clone()
                } else {
                    format!("{path}.{}", m.name)
                };
                let (required, presence, delta) = match &m.change {
                    MemberChange::Changed {
                        required,
                        presence,
                        delta,
                    } => (required, presence, delta),
                    MemberChange::Added { required: true, .. } if input => {
                        out.push(format!("{p}: new required member"));
                        continue;
                    }
                    _ => continue,
                };
                match required {
                    Some(true) => out.push(format!("{p}: now required")),
                    Some(false) => out.push(format!("{p}: now optional")),
                    None => {}
                }
                for t in presence {
                    let t = t.strip_prefix("smithy.api#").unwrap_or(t);
                    out.push(format!("{p}: @{t} changed"));
                }
                if let Some(d) = delta {
                    changed_lines(d, &p, input, out);
                }
            }
        }
        Delta::Enum(e) => {
            for r in &e.renamed {
                out.push(format!(
                    "{here}: value {} renamed {} -> {}",
                    py_literal(&r.value),
                    r.old,
                    r.new
                ));
            }
        }
        Delta::List(d) => changed_lines(d, &format!("{path}[]"), input, out),
        Delta::Map { key, value, .. } => {
            if let Some(k) = key {
                changed_lines(k, &format!("{path}{{key}}"), input, out);
            }
            if let Some(v) = value {
                changed_lines(v, &format!("{path}{{}}"), input, out);
            }
        }
        Delta::Type { old, new } => out.push(format!(
            "{here}: {} -> {} (type changed)",
            py_str(old),
            py_str(new)
        )),
    }
}

// ---------------------------------------------------------------------------
// JSON rendering
// ---------------------------------------------------------------------------

/// The same content as [`render_text`], as pretty-printed JSON for tools.
pub fn render_json(diff: &ApiDiff, date: &str) -> String {
    let new_ops: Vec<Value> = diff
        .new_operations
        .iter()
        .map(|op| {
            json!({
                "operation": op.name,
                "request": node_json(&op.request),
                "response": node_json(&op.response),
                "errors": op.errors,
            })
        })
        .collect();
    let updated: Vec<Value> = diff
        .updated_operations
        .iter()
        .map(|op| {
            let mut o = Map::new();
            o.insert("operation".into(), json!(op.name));
            o.insert("changes".into(), json!(op.parts()));
            if let Some(d) = &op.request {
                o.insert("request".into(), delta_json(d));
            }
            if let Some(d) = &op.response {
                o.insert("response".into(), delta_json(d));
            }
            if !op.errors_added.is_empty() || !op.errors_removed.is_empty() {
                o.insert(
                    "errors".into(),
                    json!({"added": op.errors_added, "removed": op.errors_removed}),
                );
            }
            if let Some(p) = op.pagination {
                o.insert("pagination".into(), json!(trait_change_json(p)));
            }
            if !op.waiters.is_empty() {
                let w: Map<String, Value> = op
                    .waiters
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(trait_change_json(*v))))
                    .collect();
                o.insert("waiters".into(), Value::Object(w));
            }
            Value::Object(o)
        })
        .collect();
    let updated_errors: Vec<Value> = diff
        .updated_errors
        .iter()
        .map(|e| json!({"error": e.name, "changes": delta_json(&e.delta)}))
        .collect();
    let notes = |n: &BTreeMap<String, BTreeSet<String>>| -> Value {
        Value::Object(n.iter().map(|(k, v)| (k.clone(), json!(v))).collect())
    };
    let doc = json!({
        "date": date,
        "service": diff.service,
        "headline": diff.headline(date),
        "new": new_ops,
        "updated": updated,
        "removed": diff.removed_operations,
        "updated_errors": updated_errors,
        "documentation": {
            "operations": diff.docs_only_operations,
            "errors": diff.docs_only_errors,
        },
        "constraint_changes": notes(&diff.constraint_changes),
        "trait_changes": notes(&diff.trait_changes),
        "service_changes": diff.service_changes,
        "verdict": diff.verdict.as_str(),
        "reasons": diff.reasons,
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

fn trait_change_json(c: TraitChange) -> &'static str {
    match c {
        TraitChange::Added => "added",
        TraitChange::Removed => "removed",
        TraitChange::Changed => "changed",
    }
}

fn literal_json(v: &EnumLiteral) -> Value {
    match v {
        EnumLiteral::String(s) => json!(s),
        EnumLiteral::Int(i) => json!(i),
    }
}

fn literals_json(values: &[EnumLiteral]) -> Value {
    Value::Array(values.iter().map(literal_json).collect())
}

/// A type as JSON: a leaf is its name; aggregates are one-key objects
/// (`enum`, `list`, `map`, `structure` / `union` with `required`, `recursive`).
fn node_json(node: &Node) -> Value {
    match node {
        Node::Leaf(t) => json!(t),
        Node::Enum(values) => json!({ "enum": literals_json(values) }),
        Node::List(m) => json!({ "list": node_json(m) }),
        Node::Map(k, v) => json!({ "map": { "key": node_json(k), "value": node_json(v) } }),
        Node::Structure(fields) | Node::Union(fields) => {
            let kind = if matches!(node, Node::Union(_)) {
                "union"
            } else {
                "structure"
            };
            let members: Map<String, Value> = fields
                .iter()
                .map(|f| (f.name.clone(), node_json(&f.node)))
                .collect();
            let required: Vec<&str> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| f.name.as_str())
                .collect();
            let mut o = Map::new();
            o.insert(kind.into(), Value::Object(members));
            if !required.is_empty() {
                o.insert("required".into(), json!(required));
            }
            Value::Object(o)
        }
        Node::Recursive(name) => json!({ "recursive": name }),
    }
}

fn delta_json(delta: &Delta) -> Value {
    match delta {
        Delta::Members(members) => {
            let m: Map<String, Value> = members
                .iter()
                .map(|m| {
                    let v = match &m.change {
                        MemberChange::Added { required, node } => {
                            json!({ "added": node_json(node), "required": required })
                        }
                        MemberChange::Removed { node } => json!({ "removed": node_json(node) }),
                        MemberChange::Changed {
                            required,
                            presence,
                            delta,
                        } => {
                            let mut o = Map::new();
                            if let Some(r) = required {
                                o.insert("required".into(), json!(r));
                            }
                            if !presence.is_empty() {
                                o.insert("presence".into(), json!(presence));
                            }
                            if let Some(d) = delta {
                                o.insert("changes".into(), delta_json(d));
                            }
                            Value::Object(o)
                        }
                    };
                    (m.name.clone(), v)
                })
                .collect();
            json!({ "members": m })
        }
        Delta::Enum(e) => {
            let mut o = Map::new();
            if !e.added.is_empty() {
                o.insert("added".into(), literals_json(&e.added));
            }
            if !e.removed.is_empty() {
                o.insert("removed".into(), literals_json(&e.removed));
            }
            if !e.renamed.is_empty() {
                let r: Vec<Value> = e
                    .renamed
                    .iter()
                    .map(|r| json!({"value": literal_json(&r.value), "old": r.old, "new": r.new}))
                    .collect();
                o.insert("renamed".into(), Value::Array(r));
            }
            json!({ "enum": o })
        }
        Delta::List(d) => json!({ "list": delta_json(d) }),
        Delta::Map { key, value, .. } => {
            let mut o = Map::new();
            if let Some(k) = key {
                o.insert("key".into(), delta_json(k));
            }
            if let Some(v) = value {
                o.insert("value".into(), delta_json(v));
            }
            json!({ "map": o })
        }
        Delta::Type { old, new } => json!({ "type": { "old": old, "new": new } }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Smithy 2.0 model of a made-up `Widget` service bound to `ops`
    /// (shape names in namespace `w`), with `shapes` (JSON object entries).
    fn widgets(ops: &[&str], shapes: &str) -> Model {
        let ops: Vec<String> = ops
            .iter()
            .map(|o| format!(r#"{{"target":"w#{o}"}}"#))
            .collect();
        let sep = if shapes.trim().is_empty() { "" } else { "," };
        let text = format!(
            r#"{{"smithy":"2.0","shapes":{{
              "w#Widgets":{{"type":"service","version":"2024-01-01","operations":[{}],
                "traits":{{"aws.protocols#awsJson1_0":{{}},"smithy.api#title":"Widget Service"}}}}{sep}
              {shapes}
            }}}}"#,
            ops.join(","),
        );
        match Model::from_json(&text, "test.json") {
            Ok(m) => m,
            Err(e) => panic!("test model does not load: {e}\n{text}"),
        }
    }

    /// `DescribeWidget`: input `{id}`, output `{widget: Widget}`; `widget`
    /// is the body of the `Widget` structure, `extra` more shapes.
    fn describe(widget: &str, extra: &str) -> String {
        format!(
            r#""w#DescribeWidget":{{"type":"operation","input":{{"target":"w#DescribeWidgetInput"}},"output":{{"target":"w#DescribeWidgetOutput"}}}},
              "w#DescribeWidgetInput":{{"type":"structure","members":{{"id":{{"target":"smithy.api#String","traits":{{"smithy.api#required":{{}}}}}}}}}},
              "w#DescribeWidgetOutput":{{"type":"structure","members":{{"widget":{{"target":"w#Widget"}}}}}},
              "w#Widget":{widget}{extra}"#
        )
    }

    fn run(old: &Model, new: &Model) -> (ApiDiff, String) {
        let d = match diff(old, new, None) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let text = render_text(&d, "2024/01/02");
        (d, text)
    }

    fn last_line(text: &str) -> &str {
        text.lines().last().unwrap_or_default()
    }

    const SHAPE_V1: &str =
        r#","w#Shape":{"type":"enum","members":{"SQUARE":{"target":"smithy.api#Unit"}}}"#;
    const SHAPE_V2: &str = r#","w#Shape":{"type":"enum","members":{"SQUARE":{"target":"smithy.api#Unit"},"HEXAGON":{"target":"smithy.api#Unit"}}}"#;

    #[test]
    fn identical_models_have_no_changes() {
        let m = widgets(
            &["DescribeWidget"],
            &describe(
                r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"}}}"#,
                "",
            ),
        );
        let (d, text) = run(&m, &m);
        assert_eq!(d.verdict, Verdict::None);
        assert_eq!(
            text,
            "2024/01/02 - Widget Service - 0 new 0 updated api methods\n\nNo API changes.\n\
             Verdict: none: no change to operations, shapes or traits\n"
        );
    }

    #[test]
    fn new_operation_lists_request_and_response_to_the_leaves() {
        let widget = r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"}}}"#;
        let old = widgets(&["DescribeWidget"], &describe(widget, ""));
        let list = r#","w#ListWidgets":{"type":"operation","input":{"target":"w#ListIn"},"output":{"target":"w#ListOut"},"errors":[{"target":"w#Throttled"}]},
              "w#ListIn":{"type":"structure","members":{
                "owner":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}},
                "max":{"target":"smithy.api#Integer"}}},
              "w#ListOut":{"type":"structure","members":{
                "widgets":{"target":"w#WidgetList","traits":{"smithy.api#required":{}}},
                "tags":{"target":"w#Tags"},
                "shape":{"target":"w#Shape"}}},
              "w#WidgetList":{"type":"list","member":{"target":"w#Widget"}},
              "w#Tags":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"smithy.api#Timestamp"}},
              "w#Throttled":{"type":"structure","members":{},"traits":{"smithy.api#error":"client"}}"#;
        let new = widgets(
            &["DescribeWidget", "ListWidgets"],
            &describe(widget, &format!("{list}{SHAPE_V2}")),
        );
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::Additive);
        assert!(text.starts_with("2024/01/02 - Widget Service - 1 new 0 updated api methods\n"));
        let expected = "\
ListWidgets (new)
Request
{
    'owner': 'string',  # required
    'max': 'integer',
}
Response
{
    'widgets': [{  # required
        'name': 'string',
    }],
    'tags': {'string': 'timestamp'},
    'shape': {'SQUARE', 'HEXAGON'},
}
Errors: Throttled
";
        assert!(text.contains(expected), "{text}");
        assert_eq!(
            last_line(&text),
            "Verdict: additive: new operations: ListWidgets"
        );
    }

    #[test]
    fn updated_operation_shows_added_members_and_enum_values() {
        let old = widgets(
            &["DescribeWidget"],
            &describe(
                r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"},"shape":{"target":"w#Shape"}}}"#,
                SHAPE_V1,
            ),
        );
        let new = widgets(
            &["DescribeWidget"],
            &describe(
                r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"},"color":{"target":"smithy.api#String"},"shape":{"target":"w#Shape"}}}"#,
                SHAPE_V2,
            ),
        );
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::Additive);
        assert!(
            text.contains(
                "DescribeWidget (updated)\nChanges (response)\n{'widget': {'color': 'string', 'shape': {'HEXAGON'}}}\n"
            ),
            "{text}"
        );
        assert_eq!(
            last_line(&text),
            "Verdict: additive: additions to DescribeWidget"
        );
        let json: Value = serde_json::from_str(&render_json(&d, "2024/01/02")).unwrap_or_default();
        assert_eq!(json["verdict"], "additive");
        assert_eq!(
            json["updated"][0]["response"]["members"]["widget"]["changes"]["members"]["shape"]
                ["changes"]["enum"]["added"],
            json!(["HEXAGON"])
        );
    }

    #[test]
    fn changed_type_is_breaking() {
        let old = widgets(
            &["DescribeWidget"],
            &describe(
                r#"{"type":"structure","members":{"size":{"target":"smithy.api#Integer"}}}"#,
                "",
            ),
        );
        let new = widgets(
            &["DescribeWidget"],
            &describe(
                r#"{"type":"structure","members":{"size":{"target":"smithy.api#Long"}}}"#,
                "",
            ),
        );
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::Breaking);
        assert!(
            text.contains("Changes (response)\nwidget.size: 'integer' -> 'long' (type changed)\n"),
            "{text}"
        );
        assert_eq!(
            last_line(&text),
            "Verdict: breaking: changed type of Widget.size: integer -> long"
        );
    }

    #[test]
    fn a_target_swap_between_same_kind_shapes_is_no_type_change() {
        let old = widgets(
            &["DescribeWidget"],
            &describe(
                r#"{"type":"structure","members":{"arn":{"target":"w#Arn"}}}"#,
                r#","w#Arn":{"type":"string","traits":{"smithy.api#length":{"max":10}}}"#,
            ),
        );
        let new = widgets(
            &["DescribeWidget"],
            &describe(
                r#"{"type":"structure","members":{"arn":{"target":"w#RoleArn"}}}"#,
                r#","w#RoleArn":{"type":"string","traits":{"smithy.api#length":{"max":20}}}"#,
            ),
        );
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::DocsOnly, "{text}");
        assert!(
            text.contains("Constraint changes (not checked by the client): Widget.arn (length)\n"),
            "{text}"
        );
        assert!(
            text.contains("Documentation changes: DescribeWidget\n"),
            "{text}"
        );
    }

    #[test]
    fn requiredness_rules() {
        let op = |input_required: bool, nested_required: bool, output_required: bool| {
            let req = |r: bool| {
                if r {
                    r#","traits":{"smithy.api#required":{}}"#
                } else {
                    ""
                }
            };
            widgets(
                &["PutWidget"],
                &format!(
                    r#""w#PutWidget":{{"type":"operation","input":{{"target":"w#PutIn"}},"output":{{"target":"w#PutOut"}}}},
                    "w#PutIn":{{"type":"structure","members":{{
                        "id":{{"target":"smithy.api#String","traits":{{"smithy.api#required":{{}}}}}},
                        "name":{{"target":"smithy.api#String"{}}},
                        "spec":{{"target":"w#Spec"}}}}}},
                    "w#Spec":{{"type":"structure","members":{{"size":{{"target":"smithy.api#Integer"{}}}}}}},
                    "w#PutOut":{{"type":"structure","members":{{"etag":{{"target":"smithy.api#String"{}}}}}}}"#,
                    req(input_required),
                    req(nested_required),
                    req(output_required)
                ),
            )
        };
        let verdict = |old: &Model, new: &Model| {
            let (d, text) = run(old, new);
            (d.verdict, last_line(&text).to_owned(), text)
        };
        // Required on input: calls that worked are refused.
        let (v, line, text) = verdict(&op(false, false, false), &op(true, false, false));
        assert_eq!(v, Verdict::Breaking);
        assert_eq!(
            line,
            "Verdict: breaking: made required on input: PutIn.name"
        );
        assert!(
            text.contains("Changes (request)\nname: now required\n"),
            "{text}"
        );
        // Optional on a top-level input: the service accepts more.
        let (v, _, text) = verdict(&op(true, false, false), &op(false, false, false));
        assert_eq!(v, Verdict::Additive);
        assert!(text.contains("name: now optional\n"), "{text}");
        // Optional in a nested input structure: its Rust field type changes.
        let (v, line, _) = verdict(&op(false, true, false), &op(false, false, false));
        assert_eq!(v, Verdict::Breaking);
        assert_eq!(
            line,
            "Verdict: breaking: made optional in a nested input structure: Spec.size"
        );
        // Output, either way: `Option<T>` <-> `T` in Rust.
        let (v, line, _) = verdict(&op(false, false, false), &op(false, false, true));
        assert_eq!(v, Verdict::Breaking);
        assert_eq!(
            line,
            "Verdict: breaking: made required on output: PutOut.etag"
        );
        let (v, line, _) = verdict(&op(false, false, true), &op(false, false, false));
        assert_eq!(v, Verdict::Breaking);
        assert_eq!(
            line,
            "Verdict: breaking: made optional on output: PutOut.etag"
        );
    }

    #[test]
    fn a_new_required_input_member_is_breaking() {
        let old = widgets(
            &["DescribeWidget"],
            &describe(r#"{"type":"structure","members":{}}"#, ""),
        );
        let text = describe(r#"{"type":"structure","members":{}}"#, "").replace(
            r#""members":{"id""#,
            r#""members":{"region":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}},"id""#,
        );
        let new = widgets(&["DescribeWidget"], &text);
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::Breaking);
        assert!(
            text.contains("Changes (request)\n{'region': 'string'}\nregion: new required member\n"),
            "{text}"
        );
        assert_eq!(
            last_line(&text),
            "Verdict: breaking: added required input member DescribeWidgetInput.region"
        );
    }

    #[test]
    fn losing_the_last_required_input_member_changes_build() {
        let widget = r#"{"type":"structure","members":{}}"#;
        let old = widgets(&["DescribeWidget"], &describe(widget, ""));
        let text = describe(widget, "").replace(
            r#""id":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}}"#,
            r#""id":{"target":"smithy.api#String"}"#,
        );
        let new = widgets(&["DescribeWidget"], &text);
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::Breaking);
        assert_eq!(
            last_line(&text),
            "Verdict: breaking: DescribeWidgetInput has no required member left \
             (its builder's build() no longer returns Result)"
        );
    }

    #[test]
    fn removals_are_breaking_and_marked() {
        let ping = r#","w#Ping":{"type":"operation"}"#;
        let old = widgets(
            &["DescribeWidget", "Ping"],
            &describe(
                r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"},"shape":{"target":"w#Shape"}}}"#,
                &format!("{SHAPE_V2}{ping}"),
            ),
        );
        let new = widgets(
            &["DescribeWidget"],
            &describe(
                r#"{"type":"structure","members":{"shape":{"target":"w#Shape"}}}"#,
                SHAPE_V1,
            ),
        );
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::Breaking);
        assert_eq!(d.removed_operations, ["Ping"]);
        assert!(
            text.contains(
                "DescribeWidget (updated)\nChanges (response)\n{'widget': {'shape': {'HEXAGON'}, 'name': 'string'}} (removed)\n"
            ),
            "{text}"
        );
        assert!(text.contains("\nPing (removed)\n"), "{text}");
        assert_eq!(
            last_line(&text),
            "Verdict: breaking: removed operation Ping; removed member Widget.name; removed enum value Shape.HEXAGON"
        );
    }

    #[test]
    fn documentation_only_changes_are_not_updates() {
        let widget = |doc: &str| {
            format!(
                r#"{{"type":"structure","members":{{"name":{{"target":"smithy.api#String","traits":{{"smithy.api#documentation":"{doc}"}}}}}}}}"#
            )
        };
        let old = widgets(&["DescribeWidget"], &describe(&widget("The name."), ""));
        let new = widgets(
            &["DescribeWidget"],
            &describe(&widget("The widget's name."), ""),
        );
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::DocsOnly);
        assert!(d.updated_operations.is_empty());
        assert_eq!(d.docs_only_operations, ["DescribeWidget"]);
        assert!(
            text.ends_with(
                "\nNo API changes.\nDocumentation changes: DescribeWidget\n\
                 Verdict: docs-only: no API change; documentation or traits changed in 1 operations and 0 errors\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn changes_are_found_through_lists_maps_and_unions() {
        let body = |widget: &str| {
            format!(
                r#""w#DescribeWidget":{{"type":"operation","output":{{"target":"w#Out"}}}},
                "w#Out":{{"type":"structure","members":{{
                    "widgets":{{"target":"w#WidgetList"}},
                    "byName":{{"target":"w#WidgetMap"}},
                    "choice":{{"target":"w#Choice"}}}}}},
                "w#WidgetList":{{"type":"list","member":{{"target":"w#Widget"}}}},
                "w#WidgetMap":{{"type":"map","key":{{"target":"smithy.api#String"}},"value":{{"target":"w#Widget"}}}},
                "w#Choice":{{"type":"union","members":{{"widget":{{"target":"w#Widget"}},"none":{{"target":"smithy.api#Unit"}}}}}},
                "w#Widget":{widget}"#
            )
        };
        let old = widgets(
            &["DescribeWidget"],
            &body(r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"}}}"#),
        );
        let new = widgets(
            &["DescribeWidget"],
            &body(
                r#"{"type":"structure","members":{"name":{"target":"smithy.api#String"},"color":{"target":"smithy.api#String"}}}"#,
            ),
        );
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::Additive);
        assert!(
            text.contains(
                "{'widgets': [{'color': 'string'}], 'byName': {'string': {'color': 'string'}}, 'choice': {'widget': {'color': 'string'}}}\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn recursive_shapes_terminate() {
        let tree = |extra: &str| {
            format!(
                r#""w#GetTree":{{"type":"operation","output":{{"target":"w#TreeOut"}}}},
                "w#TreeOut":{{"type":"structure","members":{{"root":{{"target":"w#Node"}}}}}},
                "w#Node":{{"type":"structure","members":{{"children":{{"target":"w#Nodes"}}{extra}}}}},
                "w#Nodes":{{"type":"list","member":{{"target":"w#Node"}}}}"#
            )
        };
        let empty = widgets(&[], "");
        let old = widgets(&["GetTree"], &tree(""));
        let new = widgets(
            &["GetTree"],
            &tree(r#","label":{"target":"smithy.api#String"}"#),
        );
        let (_, text) = run(&empty, &old);
        assert!(
            text.contains("{\n    'root': {\n        'children': [<recursive Node>],\n    },\n}\n"),
            "{text}"
        );
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::Additive);
        assert!(text.contains("{'root': {'label': 'string'}}\n"), "{text}");
    }

    #[test]
    fn modelled_errors_added_and_removed() {
        let op = |errors: &str| {
            widgets(
                &["Ping"],
                &format!(
                    r#""w#Ping":{{"type":"operation","errors":[{errors}]}},
                    "w#Busy":{{"type":"structure","members":{{}},"traits":{{"smithy.api#error":"server"}}}},
                    "w#Gone":{{"type":"structure","members":{{}},"traits":{{"smithy.api#error":"client"}}}}"#
                ),
            )
        };
        let (d, text) = run(
            &op(r#"{"target":"w#Gone"}"#),
            &op(r#"{"target":"w#Gone"},{"target":"w#Busy"}"#),
        );
        assert_eq!(d.verdict, Verdict::Additive);
        assert!(
            text.contains("Ping (updated)\nChanges (errors)\nErrors (new): Busy\n"),
            "{text}"
        );
        let (d, text) = run(&op(r#"{"target":"w#Gone"}"#), &op(""));
        assert_eq!(d.verdict, Verdict::Breaking);
        assert_eq!(
            last_line(&text),
            "Verdict: breaking: removed error Gone from Ping"
        );
    }

    #[test]
    fn smithy_1_and_2_spellings_of_one_model_do_not_differ() {
        let v2 = widgets(
            &["DescribeWidget"],
            &describe(
                r#"{"type":"structure","members":{"shape":{"target":"w#Shape"},"tags":{"target":"w#Tags"}}}"#,
                &format!(
                    r#"{SHAPE_V2},"w#Tags":{{"type":"list","member":{{"target":"smithy.api#String"}},"traits":{{"smithy.api#uniqueItems":{{}}}}}}"#
                ),
            ),
        );
        let v1_text = r#"{"smithy":"1.0","shapes":{
            "w#Widgets":{"type":"service","version":"2024-01-01","operations":[{"target":"w#DescribeWidget"}],
              "traits":{"aws.protocols#awsJson1_0":{},"smithy.api#title":"Widget Service"}},
            "w#DescribeWidget":{"type":"operation","input":{"target":"w#DescribeWidgetInput"},"output":{"target":"w#DescribeWidgetOutput"}},
            "w#DescribeWidgetInput":{"type":"structure","members":{"id":{"target":"smithy.api#String","traits":{"smithy.api#required":{}}}}},
            "w#DescribeWidgetOutput":{"type":"structure","members":{"widget":{"target":"w#Widget"}}},
            "w#Widget":{"type":"structure","members":{"shape":{"target":"w#Shape"},"tags":{"target":"w#Tags"}}},
            "w#Shape":{"type":"string","traits":{"smithy.api#enum":[{"value":"SQUARE","name":"SQUARE"},{"value":"HEXAGON","name":"HEXAGON"}]}},
            "w#Tags":{"type":"set","member":{"target":"smithy.api#String"}}
        }}"#;
        let v1 = Model::from_json(v1_text, "v1.json").unwrap_or_else(|e| panic!("{e}"));
        let (d, text) = run(&v1, &v2);
        assert_eq!(d.verdict, Verdict::None, "{text}");
    }

    #[test]
    fn service_trait_changes_are_docs_only() {
        let old = widgets(&[], "");
        let text = r#"{"smithy":"2.0","shapes":{"w#Widgets":{"type":"service","version":"2024-01-01",
            "traits":{"aws.protocols#awsJson1_0":{},"smithy.api#title":"Widget Service","smithy.rules#endpointTests":{"version":"1.0"}}}}}"#;
        let new = Model::from_json(text, "new.json").unwrap_or_else(|e| panic!("{e}"));
        let (d, text) = run(&old, &new);
        assert_eq!(d.verdict, Verdict::DocsOnly);
        assert_eq!(
            last_line(&text),
            "Verdict: docs-only: no API change; service changed: smithy.rules#endpointTests"
        );
    }

    #[test]
    fn missing_service_is_the_loaders_error() {
        let m = Model::from_json(r#"{"smithy":"2.0","shapes":{}}"#, "empty.json")
            .unwrap_or_else(|e| panic!("{e}"));
        let err = diff(&m, &m, None).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "empty.json: the model has no service shape; a client is generated for one service"
            )
        );
    }
}
