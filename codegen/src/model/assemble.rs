//! Several model files → one set of JSON AST shapes, before typing.
//!
//! Owns what the Smithy spec says about combining files and the parts of a
//! model that only exist before flattening: identical duplicate shapes are
//! allowed, conflicting ones are not; metadata and repeated traits merge by
//! the trait-conflict rules (lists concatenate, equal values are fine, other
//! conflicts are errors); `apply` adds traits to shapes and members
//! (including members a shape inherits from mixins); members whose target is
//! elided take it from a `for` resource or from a mixin; mixins are copied
//! into the shapes that use them (member order, trait precedence and
//! `localTraits` as the spec orders) and then removed.
//!
//! Every file format produces [`Document`]s: the JSON AST reader here, the
//! IDL reader in `crate::idl`.

use crate::error::Error;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

const MIXIN: &str = "smithy.api#mixin";

/// Traits applied from outside a shape's definition.
#[derive(Clone, Debug)]
pub(crate) struct Apply {
    /// `namespace#Name` or `namespace#Name$member`.
    pub target: String,
    pub traits: Map<String, Value>,
    /// Where, for messages (`file` or `file:line:column`).
    pub location: String,
}

/// A member written `$name` in a structure bound to a resource (`for`).
#[derive(Clone, Debug)]
pub(crate) struct ResourceMember {
    pub shape: String,
    pub member: String,
    pub resource: String,
    pub location: String,
}

/// One model file, in JSON AST terms.
#[derive(Clone, Debug, Default)]
pub(crate) struct Document {
    /// The file, for messages.
    pub source: String,
    /// Its Smithy version (`"2.0"`, `"1.0"`, ...).
    pub version: String,
    /// Shape definitions by absolute ID (`apply` entries are in `applies`).
    pub shapes: Map<String, Value>,
    pub applies: Vec<Apply>,
    /// Metadata entries with where they were set.
    pub metadata: Vec<(String, Value, String)>,
    /// Where each shape and member is defined; missing ones are in `source`.
    pub locations: HashMap<String, String>,
    pub resource_members: Vec<ResourceMember>,
}

/// The merged, flattened shapes of a model.
#[derive(Debug)]
pub(crate) struct Assembled {
    pub version: String,
    /// Shape definitions without mixins, `apply` or elided targets.
    pub shapes: Map<String, Value>,
    /// Where each shape and member was defined.
    pub locations: HashMap<String, String>,
    /// Metadata of every file, merged.
    pub metadata: Map<String, Value>,
}

/// The trait-conflict rule, used for traits written twice, `apply` and
/// metadata: two lists concatenate, equal values are one, others conflict.
pub(crate) fn merge_value(
    into: &mut Map<String, Value>,
    key: &str,
    value: Value,
) -> Result<(), String> {
    match into.get_mut(key) {
        None => {
            into.insert(key.to_owned(), value);
            Ok(())
        }
        Some(Value::Array(existing)) if value.is_array() => {
            if let Value::Array(items) = value {
                existing.extend(items);
            }
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(existing) => Err(format!(
            "`{key}` is set twice with different values ({} and {})",
            short(existing),
            short(&value)
        )),
    }
}

/// A value for a message, at most about 60 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}...", &text[..i]),
        None => text,
    }
}

fn shape_error(location: &str, shape: &str, message: impl Into<String>) -> Error {
    Error::Shape {
        path: location.to_owned(),
        shape: shape.to_owned(),
        message: message.into(),
    }
}

impl Document {
    /// Reads a JSON AST document (already parsed from `source`).
    pub(crate) fn from_json(root: Value, source: &str) -> Result<Document, Error> {
        let err = |message: &str| shape_error(source, "(root)", message);
        let Value::Object(mut root) = root else {
            return Err(err("the model must be a JSON object"));
        };
        let version = root
            .get("smithy")
            .and_then(Value::as_str)
            .ok_or_else(|| err("missing the `smithy` version string (\"1.0\" or \"2.0\")"))?
            .to_owned();
        major_version(&version).ok_or_else(|| {
            err(&format!(
                "unsupported Smithy version `{version}` (supported: 1.0, 2.0)"
            ))
        })?;
        let mut doc = Document {
            source: source.to_owned(),
            version,
            ..Document::default()
        };
        match root.remove("metadata") {
            None => {}
            Some(Value::Object(entries)) => {
                for (k, v) in entries {
                    doc.metadata.push((k, v, source.to_owned()));
                }
            }
            Some(_) => return Err(err("`metadata` must be an object")),
        }
        let entries = match root.remove("shapes") {
            None => return Ok(doc),
            Some(Value::Object(o)) => o,
            Some(_) => return Err(err("`shapes` must be an object")),
        };
        for (id, body) in entries {
            if !id.contains('#') {
                return Err(shape_error(
                    source,
                    &id,
                    "shape IDs must be absolute (`namespace#Name`)",
                ));
            }
            let Value::Object(mut obj) = body else {
                return Err(shape_error(source, &id, "a shape must be a JSON object"));
            };
            if obj.get("type").and_then(Value::as_str) == Some("apply") {
                let traits = match obj.remove("traits") {
                    Some(Value::Object(t)) => t,
                    None => Map::new(),
                    Some(_) => return Err(shape_error(source, &id, "`traits` must be an object")),
                };
                doc.applies.push(Apply {
                    target: id,
                    traits,
                    location: source.to_owned(),
                });
            } else {
                doc.shapes.insert(id, Value::Object(obj));
            }
        }
        Ok(doc)
    }
}

/// `1` or `2` for the versions this loader reads.
pub(crate) fn major_version(version: &str) -> Option<u8> {
    match version {
        "1" | "1.0" => Some(1),
        v if v == "2" || v.starts_with("2.") => Some(2),
        _ => None,
    }
}

/// Merges `docs` into one set of flattened shapes.
pub(crate) fn assemble(docs: Vec<Document>) -> Result<Assembled, Error> {
    let mut version: Option<(String, String)> = None;
    let mut shapes = Map::new();
    let mut locations: HashMap<String, String> = HashMap::new();
    let mut metadata = Map::new();
    let mut metadata_origin: HashMap<String, String> = HashMap::new();
    let mut applies = Vec::new();
    let mut resource_members = Vec::new();
    // One file: where a shape is defined defaults to the model's name.
    let several = docs.len() > 1;
    let fallback = docs.first().map(|d| d.source.clone()).unwrap_or_default();
    for doc in docs {
        match &version {
            None => version = Some((doc.version.clone(), doc.source.clone())),
            Some((v, first)) if major_version(v) != major_version(&doc.version) => {
                return Err(shape_error(
                    &doc.source,
                    "(root)",
                    format!(
                        "is Smithy {} but {first} is Smithy {v}; files of different major versions cannot be loaded together",
                        doc.version
                    ),
                ))
            }
            Some(_) => {}
        }
        let location = |id: &str| {
            doc.locations
                .get(id)
                .cloned()
                .unwrap_or_else(|| doc.source.clone())
        };
        for (id, shape) in doc.shapes {
            match shapes.get(&id) {
                Some(existing) if *existing != shape => {
                    return Err(shape_error(
                        &location(&id),
                        &id,
                        format!(
                            "is defined differently in {}",
                            locations.get(&id).map_or("another file", String::as_str)
                        ),
                    ))
                }
                Some(_) => {}
                None => {
                    if several {
                        locations.insert(id.clone(), location(&id));
                    }
                    shapes.insert(id, shape);
                }
            }
        }
        for (key, value, at) in doc.metadata {
            merge_value(&mut metadata, &key, value).map_err(|message| {
                let other = metadata_origin.get(&key).cloned().unwrap_or_default();
                shape_error(&at, "(metadata)", format!("{message}; also set in {other}"))
            })?;
            metadata_origin.entry(key).or_insert(at);
        }
        for (id, at) in doc.locations {
            locations.entry(id).or_insert(at);
        }
        applies.extend(doc.applies);
        resource_members.extend(doc.resource_members);
    }
    let (version, _) = version.unwrap_or_else(|| ("2.0".to_owned(), String::new()));
    let mut assembler = Assembler {
        shapes,
        locations,
        fallback,
    };
    for member in resource_members {
        assembler.resource_target(&member)?;
    }
    assembler.apply_all(applies)?;
    assembler.flatten_mixins()?;
    assembler
        .shapes
        .retain(|_, shape| shape.get("traits").and_then(|t| t.get(MIXIN)).is_none());
    assembler.check_member_targets()?;
    Ok(Assembled {
        version,
        shapes: assembler.shapes,
        locations: assembler.locations,
        metadata,
    })
}

struct Assembler {
    shapes: Map<String, Value>,
    locations: HashMap<String, String>,
    /// Where shapes without a recorded location are (a single file).
    fallback: String,
}

/// The member objects of a shape: `members` entries, or the `member` of a
/// list, or the `key` and `value` of a map.
fn member_slot<'a>(shape: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    let obj = shape.as_object_mut()?;
    match obj.get("type").and_then(Value::as_str) {
        Some("list" | "set") if name == "member" => obj.get_mut("member"),
        Some("map") if name == "key" || name == "value" => obj.get_mut(name),
        Some("structure" | "union" | "enum" | "intEnum") => obj.get_mut("members")?.get_mut(name),
        _ => None,
    }
}

/// Adds an empty member `name` (no target yet) to a shape that has
/// members of that name: `members` of structures, unions and enums, the
/// `member` of a list, the `key` or `value` of a map.
fn add_member(shape: &mut Value, name: &str) {
    let Some(obj) = shape.as_object_mut() else {
        return;
    };
    let empty = || Value::Object(Map::new());
    match obj.get("type").and_then(Value::as_str) {
        Some("list" | "set") if name == "member" => {
            obj.insert(name.to_owned(), empty());
        }
        Some("map") if name == "key" || name == "value" => {
            obj.insert(name.to_owned(), empty());
        }
        Some("structure" | "union" | "enum" | "intEnum") => {
            let members = obj.entry("members").or_insert_with(empty);
            if let Some(members) = members.as_object_mut() {
                members.insert(name.to_owned(), empty());
            }
        }
        _ => {}
    }
}

fn has_mixins(shape: &Value) -> bool {
    shape
        .get("mixins")
        .and_then(Value::as_array)
        .is_some_and(|m| !m.is_empty())
}

fn traits_mut(obj: &mut Value) -> Option<&mut Map<String, Value>> {
    let obj = obj.as_object_mut()?;
    if !obj.contains_key("traits") {
        obj.insert("traits".to_owned(), Value::Object(Map::new()));
    }
    obj.get_mut("traits")?.as_object_mut()
}

fn target_of(member: &Value) -> Option<&str> {
    member.get("target").and_then(Value::as_str)
}

impl Assembler {
    fn location(&self, id: &str) -> String {
        self.locations
            .get(id)
            .or_else(|| self.locations.get(id.split('$').next().unwrap_or(id)))
            .unwrap_or(&self.fallback)
            .clone()
    }

    fn error(&self, id: &str, message: impl Into<String>) -> Error {
        shape_error(&self.location(id), id, message)
    }

    /// `structure S for R { $m }`: `m` targets what identifier or property
    /// `m` of `R` targets (a mixin may provide it instead).
    fn resource_target(&mut self, rm: &ResourceMember) -> Result<(), Error> {
        let resource = self.shapes.get(&rm.resource);
        if resource.and_then(|r| r.get("type")).and_then(Value::as_str) != Some("resource") {
            return Err(shape_error(
                &rm.location,
                &rm.shape,
                format!("`for {}` must name a resource shape", rm.resource),
            ));
        }
        let found = ["properties", "identifiers"].iter().find_map(|key| {
            resource
                .and_then(|r| r.get(key))
                .and_then(|ids| ids.get(&rm.member))
                .and_then(target_of)
                .map(str::to_owned)
        });
        let shape = self.shapes.get_mut(&rm.shape);
        let mixins = shape.as_deref().is_some_and(has_mixins);
        match (found, shape.and_then(|s| member_slot(s, &rm.member))) {
            (Some(target), Some(Value::Object(member))) => {
                member.insert("target".to_owned(), Value::String(target));
                Ok(())
            }
            (None, _) if mixins => Ok(()),
            _ => Err(shape_error(
                &rm.location,
                &format!("{}${}", rm.shape, rm.member),
                format!(
                    "`${}` elides its target, but resource `{}` has no identifier or property `{}`",
                    rm.member, rm.resource, rm.member
                ),
            )),
        }
    }

    /// Applies traits to shapes and members. A member the shape only
    /// inherits from its mixins is redefined by its traits alone (the
    /// target comes from the mixin when flattening, and the applied traits
    /// supersede the inherited ones, as for a member written `$name`), so
    /// shapes using this one as a mixin inherit the applied traits too.
    fn apply_all(&mut self, applies: Vec<Apply>) -> Result<(), Error> {
        for apply in applies {
            let (shape_id, member) = match apply.target.split_once('$') {
                Some((s, m)) => (s, Some(m)),
                None => (apply.target.as_str(), None),
            };
            let Some(shape) = self.shapes.get_mut(shape_id) else {
                return Err(shape_error(
                    &apply.location,
                    &apply.target,
                    "`apply` targets a shape that does not exist",
                ));
            };
            let dest = match member {
                None => traits_mut(shape),
                Some(name) => {
                    if member_slot(shape, name).is_none() && has_mixins(shape) {
                        add_member(shape, name);
                        self.locations
                            .entry(apply.target.clone())
                            .or_insert_with(|| apply.location.clone());
                    }
                    match member_slot(shape, name) {
                        Some(m) => traits_mut(m),
                        None => {
                            return Err(shape_error(
                                &apply.location,
                                &apply.target,
                                "`apply` targets a member that does not exist",
                            ))
                        }
                    }
                }
            };
            let Some(dest) = dest else {
                return Err(shape_error(
                    &apply.location,
                    &apply.target,
                    "a shape must be a JSON object",
                ));
            };
            for (k, v) in apply.traits {
                merge_value(dest, &k, v).map_err(|message| {
                    shape_error(&apply.location, &apply.target, format!("trait {message}"))
                })?;
            }
        }
        Ok(())
    }

    fn mixin_ids(&self, id: &str) -> Result<Vec<String>, Error> {
        let Some(list) = self.shapes.get(id).and_then(|s| s.get("mixins")) else {
            return Ok(Vec::new());
        };
        let list = list
            .as_array()
            .ok_or_else(|| self.error(id, "`mixins` must be an array"))?;
        list.iter()
            .map(|m| {
                target_of(m)
                    .map(str::to_owned)
                    .ok_or_else(|| self.error(id, "each entry of `mixins` needs a `target`"))
            })
            .collect()
    }

    /// Flattens every shape that uses mixins, mixins of mixins first.
    fn flatten_mixins(&mut self) -> Result<(), Error> {
        let users: Vec<String> = self
            .shapes
            .iter()
            .filter(|(_, s)| s.get("mixins").is_some())
            .map(|(id, _)| id.clone())
            .collect();
        let mut done: HashSet<String> = HashSet::new();
        for start in users {
            // Depth-first with an explicit stack: a long chain of mixins
            // cannot overflow the call stack.
            let mut stack = vec![(start, false)];
            let mut in_progress: HashSet<String> = HashSet::new();
            while let Some((id, children_done)) = stack.pop() {
                if done.contains(&id) {
                    continue;
                }
                if children_done {
                    self.flatten_one(&id)?;
                    in_progress.remove(&id);
                    done.insert(id);
                    continue;
                }
                in_progress.insert(id.clone());
                let mixins = self.mixin_ids(&id)?;
                stack.push((id.clone(), true));
                for mixin in mixins {
                    if in_progress.contains(&mixin) {
                        return Err(
                            self.error(&id, format!("mixins form a cycle through `{mixin}`"))
                        );
                    }
                    if !done.contains(&mixin)
                        && self
                            .shapes
                            .get(&mixin)
                            .is_some_and(|m| m.get("mixins").is_some())
                    {
                        stack.push((mixin, false));
                    }
                }
            }
        }
        Ok(())
    }

    /// Copies the (already flattened) mixins of `id` into it.
    fn flatten_one(&mut self, id: &str) -> Result<(), Error> {
        let ids = self.mixin_ids(id)?;
        let ty = self.shapes.get(id).and_then(|s| s.get("type")).cloned();
        let mut mixins = Vec::with_capacity(ids.len());
        for mixin_id in &ids {
            let mixin = self
                .shapes
                .get(mixin_id)
                .ok_or_else(|| self.error(id, format!("mixin `{mixin_id}` does not exist")))?;
            if mixin.get("traits").and_then(|t| t.get(MIXIN)).is_none() {
                return Err(self.error(
                    id,
                    format!("`{mixin_id}` is used as a mixin but has no `@mixin` trait"),
                ));
            }
            if mixin.get("type") != ty.as_ref() {
                return Err(self.error(
                    id,
                    format!(
                        "mixin `{mixin_id}` has type `{}`, but `{id}` has type `{}`; a mixin must have the type of the shapes using it",
                        type_name(mixin.get("type")),
                        type_name(ty.as_ref())
                    ),
                ));
            }
            mixins.push(mixin.clone());
        }
        let (locations, fallback) = (&self.locations, self.fallback.as_str());
        let Some(Value::Object(shape)) = self.shapes.get_mut(id) else {
            return Ok(());
        };
        shape.remove("mixins");

        // Traits: later mixins over earlier ones, the shape's own over all.
        let mut traits = Map::new();
        for mixin in &mixins {
            let local: Vec<&str> = mixin
                .pointer("/traits/smithy.api#mixin/localTraits")
                .and_then(Value::as_array)
                .map(|l| l.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(Value::Object(t)) = mixin.get("traits") {
                for (k, v) in t {
                    if k != MIXIN && !local.contains(&k.as_str()) {
                        traits.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        if let Some(Value::Object(own)) = shape.remove("traits") {
            traits.extend(own);
        }
        if !traits.is_empty() {
            shape.insert("traits".to_owned(), Value::Object(traits));
        }

        let member_error = |name: &str, message: String| {
            let member = format!("{id}${name}");
            let at = locations
                .get(&member)
                .or_else(|| locations.get(id))
                .map_or(fallback, String::as_str);
            shape_error(at, &member, message)
        };
        let keys = ordered_keys(
            mixins
                .iter()
                .filter_map(Value::as_object)
                .flat_map(|m| m.keys())
                .chain(shape.keys()),
        );
        for key in keys {
            match key.as_str() {
                "type" | "traits" | "mixins" => {}
                "members" => {
                    let mut merged = Map::new();
                    for mixin in &mixins {
                        if let Some(Value::Object(members)) = mixin.get("members") {
                            for (name, member) in members {
                                merge_member(&mut merged, name, member.clone(), false)
                                    .map_err(|m| member_error(name, m))?;
                            }
                        }
                    }
                    if let Some(Value::Object(own)) = shape.remove("members") {
                        for (name, member) in own {
                            merge_member(&mut merged, &name, member, true)
                                .map_err(|m| member_error(&name, m))?;
                        }
                    }
                    shape.insert("members".to_owned(), Value::Object(merged));
                }
                "member" | "key" | "value"
                    if matches!(
                        ty.as_ref().and_then(Value::as_str),
                        Some("list" | "set" | "map")
                    ) =>
                {
                    let mut merged = Map::new();
                    for mixin in &mixins {
                        if let Some(m) = mixin.get(&key) {
                            merge_member(&mut merged, &key, m.clone(), false)
                                .map_err(|m| member_error(&key, m))?;
                        }
                    }
                    if let Some(own) = shape.remove(&key) {
                        merge_member(&mut merged, &key, own, true)
                            .map_err(|m| member_error(&key, m))?;
                    }
                    if let Some(m) = merged.remove(&key) {
                        shape.insert(key, m);
                    }
                }
                _ => {
                    let inherited = mixins.iter().filter_map(|m| m.get(&key)).cloned();
                    let own = shape.remove(&key);
                    if let Some(value) = merge_property(inherited, own) {
                        shape.insert(key, value);
                    }
                }
            }
        }
        Ok(())
    }

    fn check_member_targets(&self) -> Result<(), Error> {
        for (id, shape) in &self.shapes {
            let mut members: Vec<(&str, &Value)> = Vec::new();
            if let Some(Value::Object(ms)) = shape.get("members") {
                members.extend(ms.iter().map(|(k, v)| (k.as_str(), v)));
            }
            for key in ["member", "key", "value"] {
                if let Some(m) = shape.get(key).filter(|m| m.is_object()) {
                    members.push((key, m));
                }
            }
            let is_enum = matches!(
                shape.get("type").and_then(Value::as_str),
                Some("enum" | "intEnum")
            );
            for (name, member) in members {
                if target_of(member).is_none() && !is_enum {
                    let member_id = format!("{id}${name}");
                    return Err(self.error(
                        &member_id,
                        format!("member `{name}` has no target: it is elided (`${name}`) or only given traits by `apply`, and no mixin or `for` resource defines it"),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn type_name(ty: Option<&Value>) -> &str {
    ty.and_then(Value::as_str).unwrap_or("shape without a type")
}

/// Adds `member` to `merged`: a new member goes last; one already there
/// (from an earlier mixin, or redefined by the shape itself when `own`)
/// keeps its place and target, and the newer traits win.
fn merge_member(
    merged: &mut Map<String, Value>,
    name: &str,
    member: Value,
    own: bool,
) -> Result<(), String> {
    let Some(existing) = merged.get_mut(name) else {
        merged.insert(name.to_owned(), member);
        return Ok(());
    };
    match (target_of(existing), target_of(&member)) {
        (Some(a), Some(b)) if a != b => {
            return Err(if own {
                format!("redefines an inherited member targeting `{a}` with target `{b}`; a redefined member must target the same shape")
            } else {
                format!(
                    "two mixins define member `{name}` with different targets (`{a}` and `{b}`)"
                )
            })
        }
        (None, Some(b)) => {
            let b = b.to_owned();
            if let Some(obj) = existing.as_object_mut() {
                obj.insert("target".to_owned(), Value::String(b));
            }
        }
        _ => {}
    }
    if let (Some(dest), Some(Value::Object(newer))) = (traits_mut(existing), member.get("traits")) {
        dest.extend(newer.clone());
    }
    if existing
        .get("traits")
        .and_then(Value::as_object)
        .is_some_and(Map::is_empty)
    {
        if let Some(obj) = existing.as_object_mut() {
            obj.remove("traits");
        }
    }
    Ok(())
}

/// A non-member property (service, resource, operation): lists
/// concatenate without repeats, maps merge with the shape's own keys
/// winning, other values are the shape's own or else the last mixin's.
fn merge_property(inherited: impl Iterator<Item = Value>, own: Option<Value>) -> Option<Value> {
    let mut result: Option<Value> = None;
    let mut seen = HashSet::new();
    for value in inherited.chain(own) {
        result = Some(match (result, value) {
            (Some(Value::Array(mut items)), Value::Array(more)) => {
                if seen.is_empty() {
                    seen.extend(items.iter().map(Value::to_string));
                }
                items.extend(
                    more.into_iter()
                        .filter(|item| seen.insert(item.to_string())),
                );
                Value::Array(items)
            }
            (Some(Value::Object(mut map)), Value::Object(more)) if !more.contains_key("target") => {
                map.extend(more);
                Value::Object(map)
            }
            (_, value) => value,
        });
    }
    result
}

/// Keys in first-seen order, without repeats.
fn ordered_keys<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut seen = HashSet::new();
    keys.filter(|k| seen.insert(*k)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(shapes: Value) -> Document {
        Document::from_json(json!({"smithy": "2.0", "shapes": shapes}), "test.json").unwrap()
    }

    #[test]
    fn list_traits_concatenate_equal_ones_merge_others_conflict() {
        let mut traits = Map::new();
        merge_value(&mut traits, "t", json!(["a"])).unwrap();
        merge_value(&mut traits, "t", json!(["b"])).unwrap();
        assert_eq!(traits["t"], json!(["a", "b"]));
        merge_value(&mut traits, "d", json!("x")).unwrap();
        merge_value(&mut traits, "d", json!("x")).unwrap();
        let err = merge_value(&mut traits, "d", json!("y")).unwrap_err();
        assert_eq!(
            err,
            "`d` is set twice with different values (\"x\" and \"y\")"
        );
    }

    #[test]
    fn mixin_members_come_first_and_local_traits_win() {
        let assembled = assemble(vec![doc(json!({
            "a#A": {"type": "structure", "traits": {"smithy.api#mixin": {"localTraits": ["smithy.api#private"]},
                     "smithy.api#private": {}, "x#t": 1, "smithy.api#documentation": "A"},
                    "members": {"id": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "generic"}}}},
            "a#B": {"type": "structure", "traits": {"smithy.api#mixin": {}, "x#t": 2},
                    "members": {"b": {"target": "smithy.api#String"}}},
            "a#S": {"type": "structure", "mixins": [{"target": "a#A"}, {"target": "a#B"}],
                    "traits": {"smithy.api#documentation": "S"},
                    "members": {"own": {"target": "smithy.api#String"}, "id": {"traits": {"smithy.api#required": {}}}}}
        }))])
        .unwrap();
        assert!(!assembled.shapes.contains_key("a#A"), "mixins are removed");
        let s = &assembled.shapes["a#S"];
        let names: Vec<&String> = s["members"].as_object().unwrap().keys().collect();
        assert_eq!(names, ["id", "b", "own"]);
        assert_eq!(s["members"]["id"]["target"], "smithy.api#String");
        assert_eq!(
            s["members"]["id"]["traits"]["smithy.api#documentation"],
            "generic"
        );
        assert!(s["members"]["id"]["traits"]
            .get("smithy.api#required")
            .is_some());
        assert_eq!(s["traits"]["x#t"], 2, "the later mixin wins");
        assert_eq!(
            s["traits"]["smithy.api#documentation"], "S",
            "the shape's own trait wins"
        );
        assert!(
            s["traits"].get("smithy.api#private").is_none(),
            "local traits stay"
        );
        assert!(s["traits"].get(MIXIN).is_none());
    }

    #[test]
    fn apply_reaches_inherited_members_and_supersedes_their_traits() {
        let mut d = doc(json!({
            "a#M": {"type": "structure", "traits": {"smithy.api#mixin": {}},
                    "members": {"m": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "generic"}}}},
            "a#S": {"type": "structure", "mixins": [{"target": "a#M"}], "members": {}},
            "a#S$m": {"type": "apply", "traits": {"smithy.api#documentation": "specific"}}
        }));
        d.applies.push(Apply {
            target: "a#M$m".into(),
            traits: Map::from_iter([("x#tag".to_owned(), json!(1))]),
            location: "here".into(),
        });
        let assembled = assemble(vec![d]).unwrap();
        let m = &assembled.shapes["a#S"]["members"]["m"];
        assert_eq!(m["traits"]["smithy.api#documentation"], "specific");
        assert_eq!(m["traits"]["x#tag"], 1, "applied to the mixin, inherited");
    }

    #[test]
    fn conflicts_and_cycles_are_errors() {
        let conflict = assemble(vec![
            doc(json!({"a#S": {"type": "string"}})),
            doc(json!({"a#S": {"type": "integer"}})),
        ])
        .unwrap_err();
        assert!(
            conflict.to_string().contains("is defined differently"),
            "{conflict}"
        );
        assemble(vec![
            doc(json!({"a#S": {"type": "string"}})),
            doc(json!({"a#S": {"type": "string"}})),
        ])
        .expect("identical definitions are one");
        let cycle = assemble(vec![doc(json!({
            "a#A": {"type": "structure", "mixins": [{"target": "a#B"}], "traits": {"smithy.api#mixin": {}}},
            "a#B": {"type": "structure", "mixins": [{"target": "a#A"}], "traits": {"smithy.api#mixin": {}}}
        }))])
        .unwrap_err();
        assert!(cycle.to_string().contains("mixins form a cycle"), "{cycle}");
    }

    #[test]
    fn service_mixins_merge_properties() {
        let assembled = assemble(vec![doc(json!({
            "a#Base": {"type": "service", "version": "1", "operations": [{"target": "a#A"}],
                       "rename": {"a#X": "X1", "a#Y": "Y1"}, "traits": {"smithy.api#mixin": {}}},
            "a#S": {"type": "service", "mixins": [{"target": "a#Base"}], "version": "2",
                    "operations": [{"target": "a#B"}], "rename": {"a#X": "X2"}}
        }))])
        .unwrap();
        let s = &assembled.shapes["a#S"];
        assert_eq!(s["version"], "2");
        assert_eq!(
            s["operations"],
            json!([{"target": "a#A"}, {"target": "a#B"}])
        );
        assert_eq!(s["rename"], json!({"a#X": "X2", "a#Y": "Y1"}));
    }
}
