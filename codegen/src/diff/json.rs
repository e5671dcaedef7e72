//! The changelog as JSON, for tools: the same content as the text.

use super::changes::{ApiDiff, Delta, MemberChange, Node, TraitChange};
use crate::model::EnumLiteral;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The same content as [`render_text`](super::render_text), as pretty-printed JSON for tools.
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
        Node::Deeper(name) => json!({ "notExpanded": name }),
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
        Delta::Deeper => json!({ "deeper": true }),
    }
}
