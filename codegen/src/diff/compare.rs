//! Compares two IRs of one service: operations by name, then what each
//! side of an operation reaches (structures, unions, enums, lists, maps)
//! pairwise, member by member.
//!
//! The IR already holds every decision the generated crate is made of, so
//! the comparison reads those decisions instead of the model's traits: a
//! member's [`Presence`] says `T` or `Option<T>` and whether `build()`
//! checks it, a type's name is the one the crate uses, `@sensitive` is the
//! redaction the crate applies (member or target), pagination is what the
//! paginator follows. What the IR keeps only for the changelog
//! ([`ir::Declarations`]) is reported as notes.

use super::changes::{
    ApiDiff, Delta, EnumDelta, EnumRename, MemberChange, MemberDelta, NewOperation, Node,
    TraitChange, UpdatedError, UpdatedOperation, Verdict,
};
use super::verdict::{verdict, Culprit};
use super::view::{Shown, View, MAX_SHOWN_DEPTH, MAX_SHOWN_TYPES};
use crate::endpoint_rules::typed::{Block, Param, RequiredCheck, TestCase};
use crate::ir::{
    self, Acceptor, Matcher, Operation, PathComparator, Presence, Service, Structure, Type, TypeDef,
};
use crate::model::{EnumLiteral, ShapeId};
use std::collections::{BTreeMap, BTreeSet};

/// What the changelog calls each fact that changed without changing the
/// API: the Smithy trait it comes from, as it always has.
mod label {
    pub use crate::ir::trait_id::{
        AWS_SERVICE as SDK_ID, DEFAULT, DOCUMENTATION, ENDPOINT as HOST_PREFIX, ERROR, HTTP_ERROR,
        IDEMPOTENCY_TOKEN, LENGTH, PATTERN, RANGE, RETRYABLE, RULE_SET, RULE_TESTS, SENSITIVE,
        SIGV4 as SIGNING_NAME, TIMESTAMP_FORMAT, TITLE, UNIQUE_ITEMS,
    };
}

/// Compares the IR of the old model with the IR of the new one.
pub fn compare(old: &Service, new: &Service) -> ApiDiff {
    Differ {
        old: View(old),
        new: View(new),
        breaking: BTreeSet::new(),
        constraints: BTreeMap::new(),
        traits: BTreeMap::new(),
        touched: false,
        stack: Vec::new(),
        facts: None,
        changed_below: BTreeSet::new(),
        shown: 0,
    }
    .run()
}

/// Which way a type is reached: decides which presence changes break.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Dir {
    /// From an operation input: callers build it.
    Input,
    /// From an operation output or an error: callers read it.
    Output,
}

fn literal_text(v: &EnumLiteral) -> String {
    match v {
        EnumLiteral::String(s) => s.clone(),
        EnumLiteral::Int(i) => i.to_string(),
    }
}

fn default_of(p: &Presence) -> Option<&ir::DefaultValue> {
    match p {
        Presence::Default(v) => Some(v),
        _ => None,
    }
}

/// A waiter as its model writes it: what a change to it means to callers
/// (new acceptors change when it stops), compared without the types the
/// IR resolved its paths to.
fn waiter_definition(w: &ir::Waiter) -> impl PartialEq + '_ {
    let acceptors: Vec<_> = w.acceptors.iter().map(acceptor_definition).collect();
    (&w.docs, w.deprecated, w.min_delay, w.max_delay, acceptors)
}

fn acceptor_definition(a: &Acceptor) -> (ir::AcceptorState, String) {
    let matcher = match &a.matcher {
        Matcher::Success(b) => format!("success {b}"),
        Matcher::ErrorType(code) => format!("errorType {code}"),
        Matcher::Path(p) => {
            let (comparator, expected) = match &p.comparator {
                PathComparator::StringEquals(e) => ("stringEquals", e.clone()),
                PathComparator::BooleanEquals(e) => ("booleanEquals", e.to_string()),
                PathComparator::AllStringEquals(e) => ("allStringEquals", e.clone()),
                PathComparator::AnyStringEquals(e) => ("anyStringEquals", e.clone()),
            };
            let root = if p.input_output { "inputOutput" } else { "output" };
            format!("{root} {} {comparator} {expected}", p.text)
        }
    };
    (a.state, matcher)
}

struct Differ<'a> {
    old: View<'a>,
    new: View<'a>,
    /// Breaking changes, deduplicated (a type reached from many operations
    /// is reported once), in culprit order.
    breaking: BTreeSet<(Culprit, String)>,
    constraints: BTreeMap<String, BTreeSet<String>>,
    traits: BTreeMap<String, BTreeSet<String>>,
    /// Set when the walk of the current operation met any change that
    /// leaves the API alone (documentation, deprecation, notes).
    touched: bool,
    /// Type pairs being compared, to stop at recursion.
    stack: Vec<(ShapeId, ShapeId)>,
    /// Set during the first pass of a [`Differ::walk`].
    facts: Option<Facts>,
    /// During the second pass: the named types below which something differs.
    changed_below: BTreeSet<Key>,
    /// During the second pass: how many named types it has expanded.
    shown: usize,
}

/// A named type pair compared below a root: which way it is reached, the
/// old and new shape, and the member path reaching it (notes and type
/// changes are reported there).
type Key = (Dir, ShapeId, ShapeId, String);

/// The first pass of a walk: every named type pair reachable from the root
/// is compared once, from a work list, so a chain of any length needs no
/// stack; what each compares alone (its own members), and which pairs it
/// leads to.
#[derive(Default)]
struct Facts {
    queue: Vec<Key>,
    seen: BTreeSet<Key>,
    /// The pair being compared.
    current: Option<Key>,
    /// (pair, a pair it leads to).
    edges: Vec<(Key, Key)>,
    /// Pairs whose own members differ.
    changed: Vec<Key>,
}

impl Facts {
    /// The pairs that differ or lead to one that does.
    fn changed_below(self) -> BTreeSet<Key> {
        let mut parents: BTreeMap<&Key, Vec<&Key>> = BTreeMap::new();
        for (parent, child) in &self.edges {
            parents.entry(child).or_default().push(parent);
        }
        let mut out = BTreeSet::new();
        let mut todo: Vec<&Key> = self.changed.iter().collect();
        while let Some(key) = todo.pop() {
            if out.insert(key.clone()) {
                todo.extend(parents.get(key).into_iter().flatten().copied());
            }
        }
        out
    }
}

impl Differ<'_> {
    fn breaks(&mut self, kind: Culprit, what: String) {
        self.breaking.insert((kind, what));
    }

    /// Member `member` of `owner` was removed (its old type is `node`): a
    /// breaking change, and the delta that says so.
    fn removed_member(&mut self, owner: &str, member: &str, node: Node) -> MemberDelta {
        self.breaks(
            Culprit::RemovedMember,
            format!("removed member {owner}.{member}"),
        );
        MemberDelta {
            name: member.to_owned(),
            change: MemberChange::Removed { node },
        }
    }

    /// The type at `at` changed from `old` to `new` (both labels): a
    /// breaking change, and the delta that says so.
    fn changed_type(&mut self, at: &str, old: String, new: String) -> Delta {
        self.breaks(
            Culprit::ChangedType,
            format!("changed type of {at}: {old} -> {new}"),
        );
        Delta::Type { old, new }
    }

    /// A documentation-level difference: only marks the walk as touched.
    fn docs<T: PartialEq>(&mut self, old: &T, new: &T) {
        if old != new {
            self.touched = true;
        }
    }

    /// A trait-level difference at `location`, listed as an other-trait note.
    fn note<T: PartialEq>(&mut self, location: &str, label: &str, old: &T, new: &T) {
        if old != new {
            self.touched = true;
            self.traits
                .entry(location.to_owned())
                .or_default()
                .insert(label.to_owned());
        }
    }

    /// Compares from one root (the pair `root`, by `compare`) in two
    /// passes, so that no chain of types, however long, recurses deeper
    /// than [`MAX_SHOWN_DEPTH`]: first every pair reachable is compared once
    /// from a work list (every breaking change, note and documentation
    /// change is found there), then `compare` runs again to build the
    /// nested changes, descending only into pairs below which something
    /// differs, at most [`MAX_SHOWN_DEPTH`] deep and [`MAX_SHOWN_TYPES`]
    /// in all ([`Delta::Deeper`] past that).
    fn walk(
        &mut self,
        root: (ShapeId, ShapeId),
        mut compare: impl FnMut(&mut Self) -> Option<Delta>,
    ) -> Option<Delta> {
        self.stack.push(root);
        self.facts = Some(Facts::default());
        compare(self);
        while let Some(key) = self.facts.as_mut().and_then(|f| f.queue.pop()) {
            if let Some(facts) = &mut self.facts {
                facts.current = Some(key.clone());
            }
            let (dir, old, new, at) = &key;
            if self.compare_named(*dir, old, new, false, at).is_some() {
                if let Some(facts) = &mut self.facts {
                    facts.changed.push(key.clone());
                }
            }
        }
        self.changed_below = self
            .facts
            .take()
            .map(Facts::changed_below)
            .unwrap_or_default();
        self.shown = 0;
        let delta = compare(self);
        self.changed_below.clear();
        self.stack.pop();
        delta
    }

    /// A type as the changelog shows it; nothing while only facts are
    /// gathered (the first pass of [`Differ::walk`]).
    fn node_of(&self, view: View<'_>, ty: &Type) -> Node {
        if self.facts.is_some() {
            return Node::Leaf(String::new());
        }
        view.node(ty, &mut Shown::new(None))
    }

    fn run(mut self) -> ApiDiff {
        let old_ops = self.old.operations();
        let new_ops = self.new.operations();

        let mut new_operations = Vec::new();
        let mut updated_operations = Vec::new();
        let mut docs_only_operations = Vec::new();
        for (name, op) in &new_ops {
            match old_ops.get(name) {
                None => new_operations.push(self.new_operation(op)),
                Some(old) => match self.operation(old, op) {
                    Some(updated) => updated_operations.push(updated),
                    None if self.touched => docs_only_operations.push((*name).to_owned()),
                    None => {}
                },
            }
        }
        let removed_operations: Vec<String> = old_ops
            .keys()
            .filter(|name| !new_ops.contains_key(*name))
            .map(|name| (*name).to_owned())
            .collect();
        for name in &removed_operations {
            self.breaks(
                Culprit::RemovedOperation,
                format!("removed operation {name}"),
            );
        }

        let (updated_errors, docs_only_errors) = self.errors(&old_ops, &new_ops);
        let service_changes = self.service_changes();

        let mut diff = ApiDiff {
            service: self.new.0.title.clone(),
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
        let (verdict, reasons) = verdict(&self.breaking, &diff);
        diff.verdict = verdict;
        diff.reasons = reasons;
        diff
    }

    fn new_operation(&self, op: &Operation) -> NewOperation {
        let request = self
            .new
            .structure_node(&op.input, &mut Shown::new(Some(&op.input.id)));
        let response = self
            .new
            .structure_node(&op.output, &mut Shown::new(Some(&op.output.id)));
        NewOperation {
            name: op.name.clone(),
            request,
            response,
            errors: self.new.errors(op).into_keys().collect(),
        }
    }

    /// Compares an operation present in both; `None` when its API is
    /// unchanged (then `self.touched` says whether anything else changed).
    fn operation(&mut self, old: &Operation, new: &Operation) -> Option<UpdatedOperation> {
        self.touched = false;
        let name = new.name.as_str();
        self.docs(&old.docs, &new.docs);
        self.docs(&old.deprecated, &new.deprecated);
        let (old_prefix, new_prefix) = (
            old.host_prefix.as_ref().map(|h| &h.template),
            new.host_prefix.as_ref().map(|h| &h.template),
        );
        self.note(name, label::HOST_PREFIX, &old_prefix, &new_prefix);

        let request =
            self.top_structure(Dir::Input, &old.input, &new.input, &format!("{name} input"));
        let response = self.top_structure(
            Dir::Output,
            &old.output,
            &new.output,
            &format!("{name} output"),
        );
        if request.is_some() && old.input.fallible_build() && !new.input.fallible_build() {
            self.breaks(
                Culprit::BuildSignature,
                format!(
                    "{} has no required member left (its builder's build() no longer returns Result)",
                    new.input.shape_name
                ),
            );
        }

        let old_errors = self.old.errors(old);
        let new_errors = self.new.errors(new);
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

        let written = |p: &ir::Paginated| {
            (
                p.input_token.member.clone(),
                p.output_token_path.clone(),
                p.items_path.clone(),
                p.page_size.as_ref().map(|s| s.member.clone()),
            )
        };
        let pagination = match (&old.paginated, &new.paginated) {
            (None, Some(_)) => Some(TraitChange::Added),
            (Some(_), None) => Some(TraitChange::Removed),
            (Some(a), Some(b)) if written(a) != written(b) => Some(TraitChange::Changed),
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

        let mut waiters = BTreeMap::new();
        for w in &new.waiters {
            match old.waiters.iter().find(|o| o.name == w.name) {
                None => {
                    waiters.insert(w.name.clone(), TraitChange::Added);
                }
                // New acceptors change when a waiter stops, not how it is called.
                Some(o) if waiter_definition(o) != waiter_definition(w) => {
                    waiters.insert(w.name.clone(), TraitChange::Changed);
                }
                Some(_) => {}
            }
        }
        for o in &old.waiters {
            if !new.waiters.iter().any(|w| w.name == o.name) {
                waiters.insert(o.name.clone(), TraitChange::Removed);
                self.breaks(
                    Culprit::RemovedWaiter,
                    format!("removed waiter {} of {name}", o.name),
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
        (!updated.parts().is_empty()).then_some(updated)
    }

    /// Compares error structures modelled on operations of both models.
    fn errors(
        &mut self,
        old_ops: &BTreeMap<&str, &Operation>,
        new_ops: &BTreeMap<&str, &Operation>,
    ) -> (Vec<UpdatedError>, Vec<String>) {
        let old_errors: BTreeMap<String, ShapeId> = old_ops
            .values()
            .flat_map(|op| self.old.errors(op))
            .collect();
        let new_errors: BTreeMap<String, ShapeId> = new_ops
            .values()
            .flat_map(|op| self.new.errors(op))
            .collect();
        let mut updated = Vec::new();
        let mut docs_only = Vec::new();
        for (name, new_id) in &new_errors {
            let Some(old_id) = old_errors.get(name) else {
                continue;
            };
            self.touched = false;
            let root = (old_id.clone(), new_id.clone());
            let delta = self.walk(root, |d| d.compare_named(Dir::Output, old_id, new_id, true, name));
            match delta {
                Some(delta) => updated.push(UpdatedError {
                    name: name.clone(),
                    delta,
                }),
                None if self.touched => docs_only.push(name.clone()),
                None => {}
            }
        }
        (updated, docs_only)
    }

    /// What changed in the service itself: its version, then each fact
    /// by the trait it comes from.
    fn service_changes(&self) -> Vec<String> {
        let (old, new) = (self.old.0, self.new.0);
        let mut changes = Vec::new();
        if old.version != new.version {
            changes.push(format!("version {} -> {}", old.version, new.version));
        }
        if old.protocol != new.protocol {
            changes.push(format!("protocol {:?} -> {:?}", old.protocol, new.protocol));
        }
        fn rules(s: &Service) -> Option<(&[Param], &[RequiredCheck], bool, &Block)> {
            s.endpoint_rules
                .as_ref()
                .map(|r| (&r.params[..], &r.required[..], r.params_used, &r.rules))
        }
        fn tests(s: &Service) -> Option<&[TestCase]> {
            s.endpoint_rules.as_ref().map(|r| &r.tests[..])
        }
        for (label, changed) in [
            (label::SDK_ID, old.sdk_id != new.sdk_id),
            (label::SIGNING_NAME, old.signing_name != new.signing_name),
            (label::DOCUMENTATION, old.docs != new.docs),
            (label::TITLE, old.title != new.title),
            (label::RULE_SET, rules(old) != rules(new)),
            (label::RULE_TESTS, tests(old) != tests(new)),
        ] {
            if changed {
                changes.push(label.to_owned());
            }
        }
        changes
    }

    /// Compares an operation's input or output (`top`: its Rust name comes
    /// from the operation, so another shape there is no type change).
    fn top_structure(
        &mut self,
        dir: Dir,
        old: &Structure,
        new: &Structure,
        at: &str,
    ) -> Option<Delta> {
        let root = (old.id.clone(), new.id.clone());
        self.walk(root, |d| d.structure(dir, old, new, true, at))
    }

    fn structure(
        &mut self,
        dir: Dir,
        old: &Structure,
        new: &Structure,
        top: bool,
        at: &str,
    ) -> Option<Delta> {
        let here = self.here(&old.shape_name, &new.shape_name, at);
        self.docs(&old.docs, &new.docs);
        self.docs(&old.deprecated, &new.deprecated);
        self.note(&here, label::SENSITIVE, &old.sensitive, &new.sensitive);
        if let (Some(a), Some(b)) = (&old.error, &new.error) {
            self.note(&here, label::ERROR, &a.fault, &b.fault);
            self.note(&here, label::HTTP_ERROR, &a.http_status, &b.http_status);
            self.note(&here, label::RETRYABLE, &a.retryable, &b.retryable);
        }
        let members = self.members(dir, top, &new.shape_name, &old.fields, &new.fields);
        (!members.is_empty()).then_some(Delta::Members(members))
    }

    /// Where notes about a type go: its name, or, when the member reaching
    /// it now targets another type of the same kind (`Arn` -> `RoleArn`),
    /// that member (`at`).
    fn here(&self, old_name: &str, new_name: &str, at: &str) -> String {
        if old_name == new_name {
            new_name.to_owned()
        } else {
            at.to_owned()
        }
    }

    /// Compares the named types `old_id` (old IR) and `new_id` (new IR),
    /// reached through `at`.
    fn named(
        &mut self,
        dir: Dir,
        old_id: &ShapeId,
        new_id: &ShapeId,
        top: bool,
        at: &str,
    ) -> Option<Delta> {
        let pair = (old_id.clone(), new_id.clone());
        if self.stack.contains(&pair) {
            // Whatever differs below was reported where the walk first met it.
            return None;
        }
        if top {
            return self.compare_named(dir, old_id, new_id, top, at);
        }
        let key = (dir, old_id.clone(), new_id.clone(), at.to_owned());
        if let Some(facts) = &mut self.facts {
            if let Some(parent) = &facts.current {
                facts.edges.push((parent.clone(), key.clone()));
            }
            if facts.seen.insert(key.clone()) {
                facts.queue.push(key);
            }
            return None;
        }
        if !self.changed_below.contains(&key) {
            return None;
        }
        if self.stack.len() > MAX_SHOWN_DEPTH || self.shown >= MAX_SHOWN_TYPES {
            return Some(Delta::Deeper);
        }
        self.shown += 1;
        self.compare_named(dir, old_id, new_id, top, at)
    }

    /// [`Differ::named`] past its checks: compares the two named types,
    /// descending through [`Differ::named`].
    fn compare_named(
        &mut self,
        dir: Dir,
        old_id: &ShapeId,
        new_id: &ShapeId,
        top: bool,
        at: &str,
    ) -> Option<Delta> {
        let pair = (old_id.clone(), new_id.clone());
        let (old_ir, new_ir) = (self.old.0, self.new.0);
        let (Some(old), Some(new)) = (old_ir.types.get(old_id), new_ir.types.get(new_id)) else {
            return self.type_changed(
                &Type::Named(old_id.clone()),
                &Type::Named(new_id.clone()),
                at,
            );
        };
        let same_name = top || old.shape_name() == new.shape_name();
        self.stack.push(pair);
        let delta = match (old, new) {
            (TypeDef::Structure(a), TypeDef::Structure(b)) if same_name => {
                self.structure(dir, a, b, top, at)
            }
            (TypeDef::Union(a), TypeDef::Union(b)) if same_name => {
                let here = self.here(&a.shape_name, &b.shape_name, at);
                self.docs(&a.docs, &b.docs);
                self.docs(&a.deprecated, &b.deprecated);
                self.note(&here, label::SENSITIVE, &a.sensitive, &b.sensitive);
                let members = self.variants(dir, &b.shape_name, &a.variants, &b.variants);
                (!members.is_empty()).then_some(Delta::Members(members))
            }
            (TypeDef::Enum(a), TypeDef::Enum(b)) if same_name && a.int == b.int => {
                let here = self.here(&a.shape_name, &b.shape_name, at);
                self.docs(&a.docs, &b.docs);
                self.docs(&a.deprecated, &b.deprecated);
                self.note(&here, label::SENSITIVE, &a.sensitive, &b.sensitive);
                self.enum_values(&b.shape_name, a, b).map(Delta::Enum)
            }
            _ => self.type_changed(
                &Type::Named(old_id.clone()),
                &Type::Named(new_id.clone()),
                at,
            ),
        };
        self.stack.pop();
        delta
    }

    /// Compares two types reached through `at` (a member, a list element,
    /// a map key or value).
    fn types(&mut self, dir: Dir, old: &Type, new: &Type, at: &str) -> Option<Delta> {
        match (old, new) {
            (Type::Named(a), Type::Named(b)) => self.named(dir, a, b, false, at),
            (
                Type::List {
                    member: a,
                    sparse: sa,
                },
                Type::List {
                    member: b,
                    sparse: sb,
                },
            ) if sa == sb => self
                .types(dir, a, b, &format!("{at}[]"))
                .map(|d| Delta::List(Box::new(d))),
            (
                Type::Map {
                    key: old_key,
                    value: old_value,
                    sparse: sa,
                },
                Type::Map {
                    key: new_key,
                    value: new_value,
                    sparse: sb,
                },
            ) if sa == sb => {
                let key = self.types(dir, old_key, new_key, &format!("{at}{{key}}"));
                let value = self.types(dir, old_value, new_value, &format!("{at}{{}}"));
                (key.is_some() || value.is_some()).then(|| Delta::Map {
                    key_type: self.new.label(new_key, 0),
                    key: key.map(Box::new),
                    value: value.map(Box::new),
                })
            }
            (Type::Timestamp(a), Type::Timestamp(b)) => {
                // The Rust type is `DateTime` in every format: only the wire changes.
                self.note(at, label::TIMESTAMP_FORMAT, a, b);
                None
            }
            (a, b) if a == b => None,
            (a, b) => self.type_changed(a, b, at),
        }
    }

    fn type_changed(&mut self, old: &Type, new: &Type, at: &str) -> Option<Delta> {
        let old_label = self.old.label(old, 0);
        let new_label = self.new.label(new, 0);
        self.breaks(
            Culprit::ChangedType,
            format!("changed type of {at}: {old_label} -> {new_label}"),
        );
        Some(Delta::Type {
            old: old_label,
            new: new_label,
        })
    }

    fn enum_values(&mut self, name: &str, old: &ir::Enum, new: &ir::Enum) -> Option<EnumDelta> {
        let mut delta = EnumDelta::default();
        for v in &new.variants {
            match old.variants.iter().find(|o| o.value == v.value) {
                None => delta.added.push(v.value.clone()),
                Some(o) => {
                    let at = format!("{name}.{}", literal_text(&v.value));
                    self.docs(&o.docs, &v.docs);
                    self.docs(&o.deprecated, &v.deprecated);
                    // Only a change of the Rust variant name matters to callers.
                    if o.name != v.name {
                        self.breaks(
                            Culprit::RenamedEnumValue,
                            format!("renamed enum value {at}: {} -> {}", o.member, v.member),
                        );
                        delta.renamed.push(EnumRename {
                            value: v.value.clone(),
                            old: o.member.clone(),
                            new: v.member.clone(),
                        });
                    }
                }
            }
        }
        for o in &old.variants {
            if !new.variants.iter().any(|v| v.value == o.value) {
                self.breaks(
                    Culprit::RemovedEnumValue,
                    format!("removed enum value {name}.{}", literal_text(&o.value)),
                );
                delta.removed.push(o.value.clone());
            }
        }
        (delta != EnumDelta::default()).then_some(delta)
    }

    /// Notes on what a member and its target declare: a change of the
    /// member's own is noted at the member, a change of its target's at the
    /// target (or at the member, when it now targets another shape). The
    /// target's are not compared when the member's type changed (that
    /// change is reported, not what the unrelated shapes declare).
    /// `@sensitive` is noted only when the member's redaction changed (not
    /// when it moved between member and target), where it was declared or
    /// else (a list's elements became sensitive) at the member.
    fn declarations(
        &mut self,
        at: &str,
        (old, old_sensitive): (&ir::Declarations, bool),
        (new, new_sensitive): (&ir::Declarations, bool),
        delta: &Option<Delta>,
    ) {
        let target_at = self.here(&old.target, &new.target, at);
        let mut sets = vec![(at, &old.member, &new.member)];
        if !matches!(delta, Some(Delta::Type { .. })) {
            sets.push((target_at.as_str(), &old.on_target, &new.on_target));
        }
        let mut sensitive_noted = false;
        for (location, a, b) in sets {
            for (label, changed) in [
                (label::LENGTH, a.length != b.length),
                (label::PATTERN, a.pattern != b.pattern),
                (label::RANGE, a.range != b.range),
                (label::UNIQUE_ITEMS, a.unique_items != b.unique_items),
            ] {
                if changed {
                    self.touched = true;
                    self.constraints
                        .entry(location.to_owned())
                        .or_default()
                        .insert(label.to_owned());
                }
            }
            if old_sensitive != new_sensitive && a.sensitive != b.sensitive {
                self.note(location, label::SENSITIVE, &a.sensitive, &b.sensitive);
                sensitive_noted = true;
            }
        }
        if !sensitive_noted {
            self.note(at, label::SENSITIVE, &old_sensitive, &new_sensitive);
        }
    }

    fn members(
        &mut self,
        dir: Dir,
        top: bool,
        owner: &str,
        old: &[ir::Field],
        new: &[ir::Field],
    ) -> Vec<MemberDelta> {
        // A top-level input field is `Option<T>` whatever the model says.
        let top_input = top && dir == Dir::Input;
        let mut out = Vec::new();
        for m in new {
            let at = format!("{owner}.{}", m.member);
            let Some(o) = old.iter().find(|o| o.member == m.member) else {
                let required = m.presence.checked_on_build();
                if required && dir == Dir::Input {
                    self.breaks(
                        Culprit::RequiredOnInput,
                        format!("added required input member {at}"),
                    );
                }
                out.push(MemberDelta {
                    name: m.member.clone(),
                    change: MemberChange::Added {
                        required,
                        node: self.node_of(self.new, &m.ty),
                    },
                });
                continue;
            };
            self.docs(&o.docs, &m.docs);
            self.docs(&o.deprecated, &m.deprecated);
            let token = |p: &Presence| *p == Presence::IdempotencyToken;
            self.note(
                &at,
                label::IDEMPOTENCY_TOKEN,
                &token(&o.presence),
                &token(&m.presence),
            );

            let (was, is) = (o.presence.checked_on_build(), m.presence.checked_on_build());
            let required = (was != is).then_some(is);
            match (required, dir) {
                (Some(true), Dir::Input) => self.breaks(
                    Culprit::RequiredOnInput,
                    format!("made required on input: {at}"),
                ),
                (Some(false), Dir::Input) if !top_input => self.breaks(
                    Culprit::OptionalNestedInput,
                    format!("made optional in a nested input structure: {at}"),
                ),
                (Some(true), Dir::Output) => self.breaks(
                    Culprit::RequiredOnOutput,
                    format!("made required on output: {at}"),
                ),
                (Some(false), Dir::Output) => self.breaks(
                    Culprit::OptionalOnOutput,
                    format!("made optional on output: {at}"),
                ),
                _ => {}
            }
            // A default decides `T` vs `Option<T>` and what a reader fills in.
            let mut presence = Vec::new();
            if default_of(&o.presence) != default_of(&m.presence) {
                self.touched = true;
                self.breaks(
                    Culprit::Presence,
                    format!("changed {} of {at}", label::DEFAULT),
                );
                presence.push(label::DEFAULT.to_owned());
            }
            let mut delta = self.types(dir, &o.ty, &m.ty, &at);
            if o.boxed != m.boxed && !matches!(delta, Some(Delta::Type { .. })) {
                // The field's Rust type gains or loses its `Box` (a cycle
                // through it appeared or went away), whatever else changed
                // in the type it holds.
                let boxed = |view: View<'_>, f: &ir::Field| {
                    let label = view.label(&f.ty, 0);
                    if f.boxed {
                        format!("Box<{label}>")
                    } else {
                        label
                    }
                };
                let (old_label, new_label) = (boxed(self.old, o), boxed(self.new, m));
                let changed = self.changed_type(&at, old_label, new_label);
                if delta.is_none() {
                    delta = Some(changed);
                }
            }
            self.declarations(
                &at,
                (&o.declared, o.sensitive),
                (&m.declared, m.sensitive),
                &delta,
            );
            if required.is_some() || !presence.is_empty() || delta.is_some() {
                out.push(MemberDelta {
                    name: m.member.clone(),
                    change: MemberChange::Changed {
                        required,
                        presence,
                        delta,
                    },
                });
            }
        }
        for o in old {
            if !new.iter().any(|m| m.member == o.member) {
                let node = self.node_of(self.old, &o.ty);
                out.push(self.removed_member(owner, &o.member, node));
            }
        }
        out
    }

    /// A union's variants, compared like a structure's members (none is
    /// required; a variant without a value is an empty structure).
    fn variants(
        &mut self,
        dir: Dir,
        owner: &str,
        old: &[ir::Variant],
        new: &[ir::Variant],
    ) -> Vec<MemberDelta> {
        let unit = || Node::Structure(Vec::new());
        let mut out = Vec::new();
        for v in new {
            let at = format!("{owner}.{}", v.member);
            let Some(o) = old.iter().find(|o| o.member == v.member) else {
                out.push(MemberDelta {
                    name: v.member.clone(),
                    change: MemberChange::Added {
                        required: false,
                        node: v
                            .ty
                            .as_ref()
                            .map_or_else(unit, |t| self.node_of(self.new, t)),
                    },
                });
                continue;
            };
            self.docs(&o.docs, &v.docs);
            self.docs(&o.deprecated, &v.deprecated);
            let delta = match (&o.ty, &v.ty) {
                (None, None) => None,
                (Some(a), Some(b)) => self.types(dir, a, b, &at),
                (a, b) => {
                    let label = |view: View<'_>, t: &Option<Type>| {
                        t.as_ref()
                            .map_or_else(|| "structure Unit".to_owned(), |t| view.label(t, 0))
                    };
                    let (old_label, new_label) = (label(self.old, a), label(self.new, b));
                    Some(self.changed_type(&at, old_label, new_label))
                }
            };
            self.declarations(
                &at,
                (&o.declared, o.sensitive),
                (&v.declared, v.sensitive),
                &delta,
            );
            if let Some(delta) = delta {
                out.push(MemberDelta {
                    name: v.member.clone(),
                    change: MemberChange::Changed {
                        required: None,
                        presence: Vec::new(),
                        delta: Some(delta),
                    },
                });
            }
        }
        for o in old {
            if !new.iter().any(|v| v.member == o.member) {
                let node = o
                    .ty
                    .as_ref()
                    .map_or_else(unit, |t| self.node_of(self.old, t));
                out.push(self.removed_member(owner, &o.member, node));
            }
        }
        out
    }
}
