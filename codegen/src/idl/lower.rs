//! The syntax tree of one IDL file → a JSON AST [`Document`], resolving
//! every shape ID against the whole model.
//!
//! Relative shape IDs resolve as the spec orders: a `use` statement, then a
//! shape of the file's namespace (in any file of the model), then the
//! prelude. A reference that must name a shape (member targets, mixins,
//! operation and service bindings, `apply` targets) and resolves to nothing
//! is an error at its position; so is a relative trait name that resolves to
//! nothing (a misspelt `@requried`). Unquoted strings in trait values are
//! syntactic shape IDs: resolved the same way, falling back to the current
//! namespace as the spec says (`smithy.api` in metadata).

use super::ast::{self, Body, IdRef, Node};
use super::lexer::Pos;
use super::prelude;
use crate::error::Error;
use crate::model::assemble::{merge_value, Apply, Document, ResourceMember};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// Every shape the model defines (in any file), with its shape type.
#[derive(Debug, Default)]
pub(crate) struct Symbols {
    types: HashMap<String, String>,
}

impl Symbols {
    /// Records shape `id` of type `ty`.
    pub(crate) fn insert(&mut self, id: String, ty: String) {
        self.types.entry(id).or_insert(ty);
    }

    /// The shape type of `id` (prelude included).
    fn type_of(&self, id: &str) -> Option<&str> {
        if let Some(name) = id.strip_prefix("smithy.api#") {
            if let Some(ty) = prelude::shape_type(name) {
                return Some(ty);
            }
        }
        self.types.get(id).map(String::as_str)
    }
}

const SERVICE_PROPERTIES: [&str; 5] = ["version", "operations", "resources", "errors", "rename"];
const RESOURCE_PROPERTIES: [&str; 11] = [
    "identifiers",
    "properties",
    "create",
    "put",
    "read",
    "update",
    "delete",
    "list",
    "operations",
    "collectionOperations",
    "resources",
];

/// Lowers `file` (read from `path`) to a JSON AST document.
pub(crate) fn lower(file: &ast::File, path: &str, symbols: &Symbols) -> Result<Document, Error> {
    let mut lower = Lower {
        path,
        namespace: file.namespace.as_deref().unwrap_or(prelude::NAMESPACE),
        uses: HashMap::new(),
        symbols,
        doc: Document {
            source: path.to_owned(),
            version: file.version.clone(),
            ..Document::default()
        },
    };
    for (key, value, pos) in &file.metadata {
        let value = lower.node(value, true);
        lower
            .doc
            .metadata
            .push((key.clone(), value, lower.location(*pos)));
    }
    for used in &file.uses {
        let (_, name) = used.text.split_once('#').unwrap_or(("", &used.text));
        match lower.uses.get(name) {
            Some(previous) if *previous != used.text => {
                return Err(lower.error(
                    used.pos,
                    format!(
                        "`use {}` conflicts with `use {previous}`: both would be called `{name}`",
                        used.text
                    ),
                ))
            }
            _ => {
                lower.uses.insert(name.to_owned(), used.text.clone());
            }
        }
    }
    for shape in &file.shapes {
        lower.shape(shape)?;
    }
    for apply in &file.applies {
        let target = lower.reference(&apply.target, "the target of `apply`", true)?;
        let traits = lower.traits(&ast::Traits {
            docs: None,
            traits: apply.traits.clone(),
        })?;
        lower.doc.applies.push(Apply {
            target,
            traits,
            location: lower.location(apply.target.pos),
        });
    }
    Ok(lower.doc)
}

struct Lower<'a> {
    path: &'a str,
    namespace: &'a str,
    /// Imported name → absolute shape ID.
    uses: HashMap<String, String>,
    symbols: &'a Symbols,
    doc: Document,
}

fn target(id: String) -> Value {
    Value::Object(Map::from_iter([("target".to_owned(), Value::String(id))]))
}

impl Lower<'_> {
    fn location(&self, pos: Pos) -> String {
        format!("{}:{}:{}", self.path, pos.line, pos.column)
    }

    fn error(&self, pos: Pos, message: impl Into<String>) -> Error {
        Error::Idl {
            path: self.path.to_owned(),
            line: pos.line as usize,
            column: pos.column as usize,
            message: message.into(),
        }
    }

    /// A relative root shape name, resolved (`None` when nothing defines it).
    fn relative(&self, name: &str) -> Option<String> {
        if let Some(id) = self.uses.get(name) {
            return Some(id.clone());
        }
        let local = format!("{}#{name}", self.namespace);
        if self.symbols.types.contains_key(&local) {
            return Some(local);
        }
        prelude::shape_type(name).map(|_| format!("{}#{name}", prelude::NAMESPACE))
    }

    /// A reference that must name a shape of the model (or, when
    /// `member` allows it, a member of one).
    fn reference(&self, id: &IdRef, what: &str, member: bool) -> Result<String, Error> {
        let (root, member_name) = match id.text.split_once('$') {
            Some((root, m)) if member => (root, Some(m)),
            Some(_) => {
                return Err(self.error(
                    id.pos,
                    format!("{what} must be a shape, not a member (`{}`)", id.text),
                ))
            }
            None => (id.text.as_str(), None),
        };
        let absolute = if root.contains('#') {
            root.to_owned()
        } else {
            self.relative(root).ok_or_else(|| {
                self.error(
                    id.pos,
                    format!(
                        "unknown shape `{root}` ({what}): not imported with `use`, not defined in namespace `{}` by any file of the model, and not in the Smithy prelude",
                        self.namespace
                    ),
                )
            })?
        };
        if self.symbols.type_of(&absolute).is_none() {
            return Err(self.error(
                id.pos,
                format!("unknown shape `{absolute}` ({what}): no file of the model defines it"),
            ));
        }
        Ok(match member_name {
            Some(m) => format!("{absolute}${m}"),
            None => absolute,
        })
    }

    /// A trait's shape ID. Absolute and imported IDs are taken as written
    /// (as in the JSON AST, a trait need not be defined in the model); a
    /// relative one that resolves to nothing is a mistake.
    fn trait_id(&self, id: &IdRef) -> Result<String, Error> {
        if id.text.contains('$') {
            return Err(self.error(
                id.pos,
                format!("a trait is a shape, not a member (`@{}`)", id.text),
            ));
        }
        if id.text.contains('#') {
            return Ok(id.text.clone());
        }
        self.relative(&id.text).ok_or_else(|| {
            self.error(
                id.pos,
                format!(
                    "unknown trait `@{}`: not imported with `use`, not defined in namespace `{}`, and not a Smithy prelude trait",
                    id.text, self.namespace
                ),
            )
        })
    }

    /// An unquoted string in a value: a shape ID, resolved if possible.
    fn syntactic(&self, id: &IdRef, metadata: bool) -> String {
        if id.text.contains('#') {
            return id.text.clone();
        }
        let (root, member) = match id.text.split_once('$') {
            Some((root, m)) => (root, Some(m)),
            None => (id.text.as_str(), None),
        };
        let absolute = if metadata {
            format!("{}#{root}", prelude::NAMESPACE)
        } else {
            self.relative(root)
                .unwrap_or_else(|| format!("{}#{root}", self.namespace))
        };
        match member {
            Some(m) => format!("{absolute}${m}"),
            None => absolute,
        }
    }

    fn node(&self, node: &Node, metadata: bool) -> Value {
        match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.clone()),
            Node::ShapeId(id) => Value::String(self.syntactic(id, metadata)),
            Node::Array(items) => {
                Value::Array(items.iter().map(|n| self.node(n, metadata)).collect())
            }
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.node(v, metadata)))
                    .collect(),
            ),
        }
    }

    /// The value of an annotation trait (`@name`): `{}` for structures and
    /// maps (and traits the model does not define), `[]` for lists, else
    /// `null`, as the reference implementation does.
    fn annotation(&self, id: &str) -> Value {
        match self.symbols.type_of(id) {
            None | Some("structure" | "map") => Value::Object(Map::new()),
            Some("list" | "set") => Value::Array(Vec::new()),
            Some(_) => Value::Null,
        }
    }

    fn traits(&self, traits: &ast::Traits) -> Result<Map<String, Value>, Error> {
        let mut out = Map::new();
        for app in &traits.traits {
            let id = self.trait_id(&app.id)?;
            let value = match &app.value {
                Some(node) => self.node(node, false),
                None => self.annotation(&id),
            };
            merge_value(&mut out, &id, value)
                .map_err(|message| self.error(app.id.pos, format!("trait {message}")))?;
        }
        if let Some(docs) = &traits.docs {
            // An explicit `@documentation` wins over `///` lines.
            out.entry("smithy.api#documentation")
                .or_insert_with(|| Value::String(docs.clone()));
        }
        Ok(out)
    }

    fn shape(&mut self, shape: &ast::Shape) -> Result<(), Error> {
        let id = format!("{}#{}", self.namespace, shape.name);
        if let Some(used) = self.uses.get(&shape.name) {
            return Err(self.error(
                shape.pos,
                format!("shape `{}` conflicts with `use {used}`", shape.name),
            ));
        }
        if let Some(first) = self
            .doc
            .locations
            .get(&id)
            .filter(|_| self.doc.shapes.contains_key(&id))
        {
            return Err(self.error(
                shape.pos,
                format!("shape `{}` is already defined at {first}", shape.name),
            ));
        }
        let mut obj = Map::new();
        obj.insert("type".to_owned(), Value::String(shape.kind.clone()));
        if !shape.mixins.is_empty() {
            let mixins = shape
                .mixins
                .iter()
                .map(|m| self.reference(m, "a mixin", false).map(target))
                .collect::<Result<Vec<_>, _>>()?;
            obj.insert("mixins".to_owned(), Value::Array(mixins));
        }
        let resource = match &shape.resource {
            Some(r) => Some(self.reference(r, "the resource of `for`", false)?),
            None => None,
        };
        match &shape.body {
            Body::None => {}
            Body::Members(members) => self.members(&id, shape, resource, members, &mut obj)?,
            Body::Entity(properties) => self.entity(shape, properties, &mut obj)?,
            Body::Operation(op) => {
                for (key, value) in [("input", &op.input), ("output", &op.output)] {
                    if let Some(v) = value {
                        let what = format!("the operation's {key}");
                        obj.insert(key.to_owned(), target(self.reference(v, &what, false)?));
                    }
                }
                if let Some(errors) = &op.errors {
                    let errors = errors
                        .iter()
                        .map(|e| self.reference(e, "an operation error", false).map(target))
                        .collect::<Result<Vec<_>, _>>()?;
                    obj.insert("errors".to_owned(), Value::Array(errors));
                }
            }
        }
        let traits = self.traits(&shape.traits)?;
        if !traits.is_empty() {
            obj.insert("traits".to_owned(), Value::Object(traits));
        }
        self.doc
            .locations
            .insert(id.clone(), self.location(shape.pos));
        self.doc.shapes.insert(id, Value::Object(obj));
        Ok(())
    }

    fn members(
        &mut self,
        id: &str,
        shape: &ast::Shape,
        resource: Option<String>,
        members: &[ast::Member],
        obj: &mut Map<String, Value>,
    ) -> Result<(), Error> {
        let is_enum = matches!(shape.kind.as_str(), "enum" | "intEnum");
        let mut lowered = Map::new();
        for member in members {
            let member_id = format!("{id}${}", member.name);
            let mut value = Map::new();
            let mut traits = self.traits(&member.traits)?;
            if is_enum {
                value.insert(
                    "target".to_owned(),
                    Value::String("smithy.api#Unit".to_owned()),
                );
            } else if let Some(t) = &member.target {
                let what = format!("the target of member `{}`", member.name);
                value.insert(
                    "target".to_owned(),
                    Value::String(self.reference(t, &what, false)?),
                );
            } else if let Some(resource) = &resource {
                self.doc.resource_members.push(ResourceMember {
                    shape: id.to_owned(),
                    member: member.name.clone(),
                    resource: resource.clone(),
                    location: self.location(member.pos),
                });
            } else if shape.mixins.is_empty() {
                return Err(self.error(
                    member.pos,
                    format!(
                        "`${}` elides its target, but `{}` has no mixins (`with [...]`) or resource (`for ...`) to take it from",
                        member.name, shape.name
                    ),
                ));
            }
            if let Some(v) = &member.value {
                let key = if is_enum {
                    "smithy.api#enumValue"
                } else {
                    "smithy.api#default"
                };
                merge_value(&mut traits, key, self.node(v, false))
                    .map_err(|message| self.error(member.pos, format!("trait {message}")))?;
            }
            if !traits.is_empty() {
                value.insert("traits".to_owned(), Value::Object(traits));
            }
            self.doc
                .locations
                .insert(member_id, self.location(member.pos));
            lowered.insert(member.name.clone(), Value::Object(value));
        }
        match shape.kind.as_str() {
            "list" | "set" | "map" => obj.extend(lowered),
            _ => {
                obj.insert("members".to_owned(), Value::Object(lowered));
            }
        }
        Ok(())
    }

    /// Service and resource properties.
    fn entity(
        &self,
        shape: &ast::Shape,
        properties: &[(String, Node)],
        obj: &mut Map<String, Value>,
    ) -> Result<(), Error> {
        let allowed: &[&str] = if shape.kind == "service" {
            &SERVICE_PROPERTIES
        } else {
            &RESOURCE_PROPERTIES
        };
        let bad = |message: String| {
            self.error(
                shape.pos,
                format!("{} `{}`: {message}", shape.kind, shape.name),
            )
        };
        let id_of = |node: &Node, what: &str| -> Result<String, Error> {
            match node {
                Node::ShapeId(id) => self.reference(id, what, false),
                Node::String(s) => self.reference(
                    &IdRef {
                        text: s.clone(),
                        pos: shape.pos,
                    },
                    what,
                    false,
                ),
                _ => Err(bad(format!("{what} must be a shape ID"))),
            }
        };
        for (key, node) in properties {
            if !allowed.contains(&key.as_str()) {
                return Err(self.error(
                    shape.pos,
                    format!(
                        "unknown property `{key}` of {} `{}` (expected one of: {})",
                        shape.kind,
                        shape.name,
                        allowed.join(", ")
                    ),
                ));
            }
            let value = match (key.as_str(), node) {
                ("version", Node::String(v)) => Value::String(v.clone()),
                ("version", _) => return Err(bad("`version` must be a string".to_owned())),
                ("rename", Node::Object(entries)) => {
                    let mut map = Map::new();
                    for (from, to) in entries {
                        match to {
                            Node::String(to) => {
                                map.insert(from.clone(), Value::String(to.clone()));
                            }
                            _ => return Err(bad(format!("`rename` of `{from}` must be a string"))),
                        }
                    }
                    Value::Object(map)
                }
                ("identifiers" | "properties", Node::Object(entries)) => {
                    let mut map = Map::new();
                    for (name, node) in entries {
                        let what = format!("{key} entry `{name}`");
                        map.insert(name.clone(), target(id_of(node, &what)?));
                    }
                    Value::Object(map)
                }
                ("rename" | "identifiers" | "properties", _) => {
                    return Err(bad(format!("`{key}` must be an object")))
                }
                (
                    "operations" | "resources" | "errors" | "collectionOperations",
                    Node::Array(items),
                ) => {
                    let what = format!("an entry of `{key}`");
                    Value::Array(
                        items
                            .iter()
                            .map(|n| id_of(n, &what).map(target))
                            .collect::<Result<_, _>>()?,
                    )
                }
                ("operations" | "resources" | "errors" | "collectionOperations", _) => {
                    return Err(bad(format!("`{key}` must be a list of shape IDs")))
                }
                (_, node) => target(id_of(node, &format!("`{key}`"))?),
            };
            obj.insert(key.clone(), value);
        }
        Ok(())
    }
}
