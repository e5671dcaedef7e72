//! The changelog as text, in the style of the Python SDK's release notes.

use super::changes::{ApiDiff, Delta, MemberChange, Node};
use crate::ir::trait_id;
use crate::model::EnumLiteral;
use std::collections::{BTreeMap, BTreeSet};

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
                .map(|t| t.strip_prefix(trait_id::PRELUDE).unwrap_or(t))
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
        Node::Deeper(name) => format!("<{name}, not expanded>"),
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
        Delta::Type { .. } | Delta::Deeper => None,
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
                    let t = t.strip_prefix(trait_id::PRELUDE).unwrap_or(t);
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
        Delta::Deeper => out.push(format!(
            "{here}: changes nested deeper than the changelog shows (the verdict counts them)"
        )),
        Delta::Type { old, new } => out.push(format!(
            "{here}: {} -> {} (type changed)",
            py_str(old),
            py_str(new)
        )),
    }
}
