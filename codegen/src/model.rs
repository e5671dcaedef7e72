//! The Smithy semantic model, loaded from the JSON AST (Smithy 1.0 and 2.0)
//! or the Smithy IDL (`crate::idl`), one file or many.
//!
//! This module owns reading model files into typed shapes and nothing
//! more: `sources` finds and reads the files, `assemble` merges them (with
//! `apply`, mixins and elided targets), and the loader here normalizes the
//! differences between IDL versions (1.0 `set` becomes a list, the 1.0
//! `@enum` trait on a string becomes an enum shape, 1.0 non-boxed numbers
//! get their zero default), adds the prelude, and checks that every member
//! target exists. Deciding what the Rust code looks like is the IR's job
//! (`crate::ir`).

pub(crate) mod assemble;
mod sources;

use crate::error::Error;
use assemble::{Assembled, Document};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;

/// An absolute shape ID, `namespace#Name` (members are `namespace#Name$member`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(String);

impl ShapeId {
    /// Wraps an absolute ID.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The whole ID.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `#`.
    pub fn namespace(&self) -> &str {
        self.0.split_once('#').map_or("", |(ns, _)| ns)
    }

    /// The shape name: between `#` and any `$`.
    pub fn name(&self) -> &str {
        let rest = self.0.split_once('#').map_or(self.0.as_str(), |(_, n)| n);
        rest.split_once('$').map_or(rest, |(n, _)| n)
    }

    /// The ID of member `member` of this shape.
    pub fn member(&self, member: &str) -> ShapeId {
        ShapeId(format!("{}${member}", self.0))
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// Trait values by absolute trait ID.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traits(BTreeMap<String, Value>);

impl Traits {
    /// The value of trait `id` (e.g. `smithy.api#documentation`).
    pub fn get(&self, id: &str) -> Option<&Value> {
        self.0.get(id)
    }

    /// Whether trait `id` is present.
    pub fn has(&self, id: &str) -> bool {
        self.0.contains_key(id)
    }

    /// A string-valued trait.
    pub fn string(&self, id: &str) -> Option<&str> {
        self.get(id).and_then(Value::as_str)
    }

    /// `smithy.api#documentation`.
    pub fn documentation(&self) -> Option<&str> {
        self.string("smithy.api#documentation")
    }

    /// All traits, by ID.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter()
    }

    fn insert(&mut self, id: String, value: Value) {
        self.0.insert(id, value);
    }
}

/// A member of an aggregate shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The member name as modelled (the JSON property name on the wire).
    pub name: String,
    /// The shape it targets.
    pub target: ShapeId,
    /// Traits applied to the member itself.
    pub traits: Traits,
}

/// A value of an enum or intEnum shape.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumValue {
    /// The member name (1.0: the `name` of the `@enum` entry, or the value).
    pub name: String,
    /// The wire value.
    pub value: EnumLiteral,
    /// Member traits (documentation, deprecated, tags).
    pub traits: Traits,
}

/// The wire value of an enum member.
#[derive(Clone, Debug, PartialEq)]
pub enum EnumLiteral {
    /// A string enum value.
    String(String),
    /// An intEnum value.
    Int(i64),
}

/// The simple types (those with no members).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Simple {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
}

/// A shape's kind and its kind-specific properties.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)]
pub enum ShapeKind {
    Simple(Simple),
    /// A string enum (2.0 `enum`, or 1.0 `string` with `@enum`).
    Enum(Vec<EnumValue>),
    IntEnum(Vec<EnumValue>),
    List(Member),
    Map {
        key: Member,
        value: Member,
    },
    Structure(Vec<Member>),
    Union(Vec<Member>),
    Operation {
        input: ShapeId,
        output: ShapeId,
        errors: Vec<ShapeId>,
    },
    Resource(Resource),
    Service(Service),
}

/// A resource's bindings.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resource {
    /// Lifecycle operations in order: create, put, read, update, delete, list.
    pub lifecycle: Vec<ShapeId>,
    /// `operations`.
    pub operations: Vec<ShapeId>,
    /// `collectionOperations`.
    pub collection_operations: Vec<ShapeId>,
    /// Child resources.
    pub resources: Vec<ShapeId>,
}

/// A service shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Service {
    /// `version`.
    pub version: String,
    /// Operations bound directly.
    pub operations: Vec<ShapeId>,
    /// Resources bound directly.
    pub resources: Vec<ShapeId>,
    /// Errors common to every operation.
    pub errors: Vec<ShapeId>,
    /// `rename`: shape ID → the name to use for it in this service.
    pub rename: BTreeMap<ShapeId, String>,
}

/// One shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// Its absolute ID.
    pub id: ShapeId,
    /// What it is.
    pub kind: ShapeKind,
    /// Its traits.
    pub traits: Traits,
}

impl Shape {
    /// The members of a structure or union (none for other kinds).
    pub fn members(&self) -> &[Member] {
        match &self.kind {
            ShapeKind::Structure(m) | ShapeKind::Union(m) => m,
            _ => &[],
        }
    }
}

/// A loaded, validated model.
#[derive(Clone, Debug)]
pub struct Model {
    /// Where it was loaded from (for messages).
    pub source: String,
    /// The `smithy` version string of the file.
    pub smithy_version: String,
    /// Every shape, the prelude included, by ID.
    pub shapes: BTreeMap<ShapeId, Shape>,
    /// Model metadata, merged over every file (lists concatenate).
    pub metadata: Map<String, Value>,
}

impl Model {
    /// Reads and loads the model at `path`: a JSON AST file, a `.smithy`
    /// IDL file, or a directory of both (read recursively, as one model).
    pub fn load(path: &Path) -> Result<Model, Error> {
        if path.is_dir() || sources::is_idl(path) {
            return Model::load_all(&[path]);
        }
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.display().to_string(),
            source,
        })?;
        Model::from_json(&text, &path.display().to_string())
    }

    /// Loads several files and directories (`.json` and `.smithy`) into
    /// one model: shapes may refer to each other across files, `apply`
    /// statements reach shapes of other files, and the same file named
    /// twice is read once.
    pub fn load_all<P: AsRef<Path>>(paths: &[P]) -> Result<Model, Error> {
        let paths: Vec<&Path> = paths.iter().map(AsRef::as_ref).collect();
        sources::load(&paths)
    }

    /// Loads a model from JSON AST text; `source` names it in errors.
    pub fn from_json(text: &str, source: &str) -> Result<Model, Error> {
        let root: Value = serde_json::from_str(text).map_err(|e| Error::Json {
            path: source.to_owned(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
        let doc = Document::from_json(root, source)?;
        Model::from_documents(source, vec![doc])
    }

    /// Loads a model from one Smithy IDL file's text; `source` names it in
    /// errors, which carry `source:line:column`.
    pub fn from_idl(text: &str, source: &str) -> Result<Model, Error> {
        let docs = crate::idl::documents(&[(source.to_owned(), text.to_owned())], &[])?;
        Model::from_documents(source, docs)
    }

    /// Merges and loads documents; `source` names the model.
    pub(crate) fn from_documents(source: &str, docs: Vec<Document>) -> Result<Model, Error> {
        let assembled = assemble::assemble(docs)?;
        Loader {
            source,
            locations: &assembled.locations,
        }
        .load(&assembled)
    }

    /// The shape with ID `id`.
    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// The service shapes in the model.
    pub fn services(&self) -> impl Iterator<Item = &Shape> {
        self.shapes
            .values()
            .filter(|s| matches!(s.kind, ShapeKind::Service(_)))
    }
}

/// serde_json appends " at line L column C"; we print the position ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

struct Loader<'a> {
    source: &'a str,
    /// Where each shape and member is defined (`file` or `file:line:column`).
    locations: &'a HashMap<String, String>,
}

impl Loader<'_> {
    /// Where `id` (a shape or member) is defined, else the model's name.
    fn location(&self, id: &str) -> String {
        let root = id.split('$').next().unwrap_or(id);
        self.locations
            .get(id)
            .or_else(|| self.locations.get(root))
            .map_or_else(|| self.source.to_owned(), Clone::clone)
    }

    fn shape_error(&self, shape: &str, message: impl Into<String>) -> Error {
        Error::Shape {
            path: self.location(shape),
            shape: shape.to_owned(),
            message: message.into(),
        }
    }

    fn load(&self, assembled: &Assembled) -> Result<Model, Error> {
        let v1 = assemble::major_version(&assembled.version) == Some(1);
        let mut shapes = BTreeMap::new();
        for (id, body) in &assembled.shapes {
            let obj = body
                .as_object()
                .ok_or_else(|| self.shape_error(id, "a shape must be a JSON object"))?;
            let traits = self.traits(id, obj.get("traits"))?;
            let shape = self.shape(id, obj, traits, v1)?;
            shapes.insert(shape.id.clone(), shape);
        }
        for shape in prelude() {
            shapes.entry(shape.id.clone()).or_insert(shape);
        }
        if v1 {
            upgrade_v1(&mut shapes);
        }
        let model = Model {
            source: self.source.to_owned(),
            smithy_version: assembled.version.clone(),
            shapes,
            metadata: assembled.metadata.clone(),
        };
        self.check_targets(&model)?;
        Ok(model)
    }

    fn traits(&self, id: &str, value: Option<&Value>) -> Result<Traits, Error> {
        let mut traits = Traits::default();
        match value {
            None => {}
            Some(Value::Object(o)) => {
                for (k, v) in o {
                    traits.insert(k.clone(), v.clone());
                }
            }
            Some(_) => return Err(self.shape_error(id, "`traits` must be an object")),
        }
        Ok(traits)
    }

    fn target(&self, id: &str, value: Option<&Value>, what: &str) -> Result<ShapeId, Error> {
        value
            .and_then(|v| v.get("target"))
            .and_then(Value::as_str)
            .map(ShapeId::new)
            .ok_or_else(|| self.shape_error(id, format!("{what} needs a `target`")))
    }

    fn member(&self, shape: &str, name: &str, value: Option<&Value>) -> Result<Member, Error> {
        let member_id = format!("{shape}${name}");
        let target = self.target(&member_id, value, "a member")?;
        let traits = self.traits(&member_id, value.and_then(|v| v.get("traits")))?;
        Ok(Member {
            name: name.to_owned(),
            target,
            traits,
        })
    }

    fn members(&self, id: &str, obj: &Map<String, Value>) -> Result<Vec<Member>, Error> {
        match obj.get("members") {
            None => Ok(Vec::new()),
            Some(Value::Object(members)) => members
                .iter()
                .map(|(name, m)| self.member(id, name, Some(m)))
                .collect(),
            Some(_) => Err(self.shape_error(id, "`members` must be an object")),
        }
    }

    fn refs(&self, id: &str, obj: &Map<String, Value>, key: &str) -> Result<Vec<ShapeId>, Error> {
        match obj.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| self.target(id, Some(item), &format!("each entry of `{key}`")))
                .collect(),
            Some(_) => Err(self.shape_error(id, format!("`{key}` must be an array"))),
        }
    }

    fn shape(
        &self,
        id: &str,
        obj: &Map<String, Value>,
        traits: Traits,
        v1: bool,
    ) -> Result<Shape, Error> {
        let ty = obj
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| self.shape_error(id, "missing the `type` property"))?;
        let simple = |s| Ok(ShapeKind::Simple(s));
        let kind = match ty {
            "blob" => simple(Simple::Blob),
            "boolean" => simple(Simple::Boolean),
            "string" => match traits.get("smithy.api#enum") {
                Some(values) => self.enum_trait_values(id, values).map(ShapeKind::Enum),
                None => simple(Simple::String),
            },
            "byte" => simple(Simple::Byte),
            "short" => simple(Simple::Short),
            "integer" => simple(Simple::Integer),
            "long" => simple(Simple::Long),
            "float" => simple(Simple::Float),
            "double" => simple(Simple::Double),
            "bigInteger" => simple(Simple::BigInteger),
            "bigDecimal" => simple(Simple::BigDecimal),
            "timestamp" => simple(Simple::Timestamp),
            "document" => simple(Simple::Document),
            "enum" => self.enum_members(id, obj, false).map(ShapeKind::Enum),
            "intEnum" => self.enum_members(id, obj, true).map(ShapeKind::IntEnum),
            "list" | "set" => {
                let member = self.member(id, "member", obj.get("member"))?;
                Ok(ShapeKind::List(member))
            }
            "map" => Ok(ShapeKind::Map {
                key: self.member(id, "key", obj.get("key"))?,
                value: self.member(id, "value", obj.get("value"))?,
            }),
            "structure" => self.members(id, obj).map(ShapeKind::Structure),
            "union" => self.members(id, obj).map(ShapeKind::Union),
            "operation" => {
                let unit = || ShapeId::new("smithy.api#Unit");
                let input = match obj.get("input") {
                    Some(v) => self.target(id, Some(v), "`input`")?,
                    None => unit(),
                };
                let output = match obj.get("output") {
                    Some(v) => self.target(id, Some(v), "`output`")?,
                    None => unit(),
                };
                Ok(ShapeKind::Operation {
                    input,
                    output,
                    errors: self.refs(id, obj, "errors")?,
                })
            }
            "resource" => {
                let mut lifecycle = Vec::new();
                for key in ["create", "put", "read", "update", "delete", "list"] {
                    if let Some(v) = obj.get(key) {
                        lifecycle.push(self.target(id, Some(v), &format!("`{key}`"))?);
                    }
                }
                Ok(ShapeKind::Resource(Resource {
                    lifecycle,
                    operations: self.refs(id, obj, "operations")?,
                    collection_operations: self.refs(id, obj, "collectionOperations")?,
                    resources: self.refs(id, obj, "resources")?,
                }))
            }
            "service" => {
                let mut rename = BTreeMap::new();
                if let Some(r) = obj.get("rename") {
                    let r = r
                        .as_object()
                        .ok_or_else(|| self.shape_error(id, "`rename` must be an object"))?;
                    for (from, to) in r {
                        let to = to.as_str().ok_or_else(|| {
                            self.shape_error(id, format!("`rename` of `{from}` must be a string"))
                        })?;
                        rename.insert(ShapeId::new(from), to.to_owned());
                    }
                }
                Ok(ShapeKind::Service(Service {
                    version: obj
                        .get("version")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    operations: self.refs(id, obj, "operations")?,
                    resources: self.refs(id, obj, "resources")?,
                    errors: self.refs(id, obj, "errors")?,
                    rename,
                }))
            }
            other => Err(self.shape_error(
                id,
                format!(
                    "unknown shape type `{other}` (expected one of: blob, boolean, string, byte, \
                     short, integer, long, float, double, bigInteger, bigDecimal, timestamp, \
                     document, enum, intEnum, list, set, map, structure, union, operation, \
                     resource, service, apply)"
                ),
            )),
        }?;
        let mut traits = traits;
        if ty == "set" || (v1 && ty == "list" && traits.has("smithy.api#uniqueItems")) {
            traits.insert("smithy.api#uniqueItems".into(), Value::Object(Map::new()));
        }
        Ok(Shape {
            id: ShapeId::new(id),
            kind,
            traits,
        })
    }

    /// 2.0 `enum` / `intEnum` members: each targets `smithy.api#Unit` and
    /// carries its value in `@enumValue` (default: the member name).
    fn enum_members(
        &self,
        id: &str,
        obj: &Map<String, Value>,
        int: bool,
    ) -> Result<Vec<EnumValue>, Error> {
        self.members(id, obj)?
            .into_iter()
            .map(|m| {
                let value = match (m.traits.get("smithy.api#enumValue"), int) {
                    (None, false) => EnumLiteral::String(m.name.clone()),
                    (Some(Value::String(s)), false) => EnumLiteral::String(s.clone()),
                    (Some(v), true) if v.as_i64().is_some() => {
                        EnumLiteral::Int(v.as_i64().unwrap_or_default())
                    }
                    _ => {
                        return Err(self.shape_error(
                            &format!("{id}${}", m.name),
                            if int {
                                "an intEnum member needs an integer `smithy.api#enumValue`"
                            } else {
                                "`smithy.api#enumValue` of an enum member must be a string"
                            },
                        ))
                    }
                };
                Ok(EnumValue {
                    name: m.name,
                    value,
                    traits: m.traits,
                })
            })
            .collect()
    }

    /// The 1.0 `@enum` trait: `[{value, name?, documentation?, deprecated?, tags?}]`.
    fn enum_trait_values(&self, id: &str, values: &Value) -> Result<Vec<EnumValue>, Error> {
        let entries = values
            .as_array()
            .ok_or_else(|| self.shape_error(id, "`smithy.api#enum` must be an array"))?;
        entries
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                let value = entry.get("value").and_then(Value::as_str).ok_or_else(|| {
                    self.shape_error(
                        id,
                        format!("entry {i} of `smithy.api#enum` has no string `value`"),
                    )
                })?;
                let mut traits = Traits::default();
                if let Some(doc) = entry.get("documentation") {
                    traits.insert("smithy.api#documentation".into(), doc.clone());
                }
                if entry.get("deprecated").and_then(Value::as_bool) == Some(true) {
                    traits.insert("smithy.api#deprecated".into(), Value::Object(Map::new()));
                }
                let name = entry
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or(value)
                    .to_owned();
                Ok(EnumValue {
                    name,
                    value: EnumLiteral::String(value.to_owned()),
                    traits,
                })
            })
            .collect()
    }

    fn check_targets(&self, model: &Model) -> Result<(), Error> {
        let check = |from: String, target: &ShapeId| -> Result<(), Error> {
            if model.shapes.contains_key(target) {
                Ok(())
            } else {
                Err(Error::MissingTarget {
                    path: self.location(from.split(' ').next().unwrap_or_default()),
                    from,
                    target: target.to_string(),
                })
            }
        };
        for shape in model.shapes.values() {
            let id = &shape.id;
            match &shape.kind {
                ShapeKind::Structure(ms) | ShapeKind::Union(ms) => {
                    for m in ms {
                        check(id.member(&m.name).to_string(), &m.target)?;
                    }
                }
                ShapeKind::List(m) => check(id.member("member").to_string(), &m.target)?,
                ShapeKind::Map { key, value } => {
                    check(id.member("key").to_string(), &key.target)?;
                    check(id.member("value").to_string(), &value.target)?;
                }
                ShapeKind::Operation {
                    input,
                    output,
                    errors,
                } => {
                    check(format!("{id} (input)"), input)?;
                    check(format!("{id} (output)"), output)?;
                    for e in errors {
                        check(format!("{id} (errors)"), e)?;
                    }
                }
                ShapeKind::Resource(r) => {
                    for t in r
                        .lifecycle
                        .iter()
                        .chain(&r.operations)
                        .chain(&r.collection_operations)
                        .chain(&r.resources)
                    {
                        check(id.to_string(), t)?;
                    }
                }
                ShapeKind::Service(s) => {
                    for t in s.operations.iter().chain(&s.resources).chain(&s.errors) {
                        check(id.to_string(), t)?;
                    }
                }
                ShapeKind::Simple(_) | ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => {}
            }
        }
        Ok(())
    }
}

/// Smithy 1.0 → 2.0 nullability: a member targeting a non-boxed boolean or
/// number shape (neither it nor its target carries `@box`) was non-null with
/// a zero default, which 2.0 spells `@default(0)` / `@default(false)`.
fn upgrade_v1(shapes: &mut BTreeMap<ShapeId, Shape>) {
    let zero_default: BTreeMap<ShapeId, Value> = shapes
        .values()
        // The prelude's `Boolean`, `Integer`, ... were boxed in 1.0; only
        // its `Primitive*` shapes (which carry a default) were not.
        .filter(|s| {
            !s.traits.has("smithy.api#box")
                && (s.id.namespace() != "smithy.api" || s.traits.has("smithy.api#default"))
        })
        .filter_map(|s| match s.kind {
            ShapeKind::Simple(Simple::Boolean) => Some((s.id.clone(), Value::Bool(false))),
            ShapeKind::Simple(
                Simple::Byte
                | Simple::Short
                | Simple::Integer
                | Simple::Long
                | Simple::Float
                | Simple::Double,
            ) => Some((s.id.clone(), Value::from(0))),
            _ => None,
        })
        .collect();
    for shape in shapes.values_mut() {
        if let ShapeKind::Structure(ms) = &mut shape.kind {
            for m in ms {
                if m.traits.has("smithy.api#box") || m.traits.has("smithy.api#default") {
                    continue;
                }
                if let Some(zero) = zero_default.get(&m.target) {
                    m.traits.insert("smithy.api#default".into(), zero.clone());
                }
            }
        }
    }
}

/// The `smithy.api` prelude shapes a model may target without defining.
fn prelude() -> Vec<Shape> {
    let mut out = Vec::new();
    let mut add = |name: &str, kind: ShapeKind, default: Option<Value>| {
        let mut traits = Traits::default();
        if let Some(d) = default {
            traits.insert("smithy.api#default".into(), d);
        }
        if name == "Unit" {
            traits.insert("smithy.api#unitType".into(), Value::Object(Map::new()));
        }
        out.push(Shape {
            id: ShapeId::new(format!("smithy.api#{name}")),
            kind,
            traits,
        });
    };
    use Simple::*;
    for (name, s) in [
        ("String", String),
        ("Blob", Blob),
        ("BigInteger", BigInteger),
        ("BigDecimal", BigDecimal),
        ("Timestamp", Timestamp),
        ("Document", Document),
        ("Boolean", Boolean),
        ("Byte", Byte),
        ("Short", Short),
        ("Integer", Integer),
        ("Long", Long),
        ("Float", Float),
        ("Double", Double),
    ] {
        add(name, ShapeKind::Simple(s), None);
    }
    add(
        "PrimitiveBoolean",
        ShapeKind::Simple(Boolean),
        Some(Value::Bool(false)),
    );
    for (name, s) in [
        ("PrimitiveByte", Byte),
        ("PrimitiveShort", Short),
        ("PrimitiveInteger", Integer),
        ("PrimitiveLong", Long),
        ("PrimitiveFloat", Float),
        ("PrimitiveDouble", Double),
    ] {
        add(name, ShapeKind::Simple(s), Some(Value::from(0)));
    }
    add("Unit", ShapeKind::Structure(Vec::new()), None);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(json: &str) -> Result<Model, Error> {
        Model::from_json(json, "test.json")
    }

    #[test]
    fn shape_id_parts() {
        let id = ShapeId::new("a.b#Foo$bar");
        assert_eq!(id.namespace(), "a.b");
        assert_eq!(id.name(), "Foo");
        assert_eq!(ShapeId::new("a#Foo").member("x").as_str(), "a#Foo$x");
    }

    #[test]
    fn prelude_resolves_without_being_defined() {
        let m = load(
            r#"{"smithy":"2.0","shapes":{"a#S":{"type":"structure","members":{
                "s":{"target":"smithy.api#String"},"u":{"target":"smithy.api#PrimitiveInteger"}}}}}"#,
        )
        .unwrap();
        assert!(m.shape(&ShapeId::new("smithy.api#String")).is_some());
        assert!(m
            .shape(&ShapeId::new("smithy.api#PrimitiveInteger"))
            .unwrap()
            .traits
            .has("smithy.api#default"));
    }

    #[test]
    fn v1_enum_trait_set_and_box() {
        let m = load(
            r#"{"smithy":"1.0","shapes":{
              "a#E":{"type":"string","traits":{"smithy.api#enum":[{"value":"deploymentStatus","name":"DEPLOYMENT_STATUS"},{"value":"x"}]}},
              "a#L":{"type":"set","member":{"target":"smithy.api#String"}},
              "a#Boxed":{"type":"integer","traits":{"smithy.api#box":{}}},
              "a#Plain":{"type":"integer"},
              "a#S":{"type":"structure","members":{"b":{"target":"a#Boxed"},"p":{"target":"a#Plain"},"q":{"target":"smithy.api#Integer"}}}
            }}"#,
        )
        .unwrap();
        let ShapeKind::Enum(values) = &m.shape(&ShapeId::new("a#E")).unwrap().kind else {
            panic!("not an enum")
        };
        assert_eq!(values[0].name, "DEPLOYMENT_STATUS");
        assert_eq!(
            values[0].value,
            EnumLiteral::String("deploymentStatus".into())
        );
        assert_eq!(values[1].name, "x");
        let list = m.shape(&ShapeId::new("a#L")).unwrap();
        assert!(matches!(list.kind, ShapeKind::List(_)));
        assert!(list.traits.has("smithy.api#uniqueItems"));
        let s = m.shape(&ShapeId::new("a#S")).unwrap();
        let default = |n: &str| {
            s.members()
                .iter()
                .find(|m| m.name == n)
                .unwrap()
                .traits
                .get("smithy.api#default")
                .cloned()
        };
        assert_eq!(default("b"), None);
        assert_eq!(default("p"), Some(Value::from(0)));
        assert_eq!(default("q"), None, "the 1.0 prelude Integer is boxed");
    }

    #[test]
    fn apply_and_mixins_merge() {
        let m = load(
            r#"{"smithy":"2.0","shapes":{
              "a#Base":{"type":"structure","members":{"id":{"target":"smithy.api#String"}},"traits":{"smithy.api#mixin":{},"smithy.api#documentation":"base"}},
              "a#S":{"type":"structure","mixins":[{"target":"a#Base"}],"members":{"n":{"target":"smithy.api#String"}}},
              "a#S$n":{"type":"apply","traits":{"smithy.api#required":{}}}
            }}"#,
        )
        .unwrap();
        assert!(m.shape(&ShapeId::new("a#Base")).is_none());
        let s = m.shape(&ShapeId::new("a#S")).unwrap();
        let names: Vec<_> = s.members().iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["id", "n"]);
        assert!(s.members()[1].traits.has("smithy.api#required"));
        assert_eq!(s.traits.documentation(), Some("base"));
    }

    #[test]
    fn member_order_follows_the_file() {
        let m = load(
            r#"{"smithy":"2.0","shapes":{"a#S":{"type":"structure","members":{
                "zeta":{"target":"smithy.api#String"},"alpha":{"target":"smithy.api#String"}}}}}"#,
        )
        .unwrap();
        let names: Vec<_> = m.shapes[&ShapeId::new("a#S")]
            .members()
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(names, ["zeta", "alpha"]);
    }
}
