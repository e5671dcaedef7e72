//! The syntax tree of one IDL file, as written: shape IDs are not resolved
//! yet (that needs every file of the model; see `lower`).

use super::lexer::Pos;

/// A shape ID as written (relative or absolute, maybe with `$member`).
#[derive(Clone, Debug, PartialEq)]
pub struct IdRef {
    /// The text.
    pub text: String,
    /// Where it is.
    pub pos: Pos,
}

/// A node value.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    /// An unquoted string: a syntactic shape ID, resolved when lowered.
    ShapeId(IdRef),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// `@id` or `@id(value)`.
#[derive(Clone, Debug, PartialEq)]
pub struct TraitApp {
    /// The trait's shape ID.
    pub id: IdRef,
    /// `None` for an annotation (`@id` or `@id()`), whose value depends on
    /// the trait's shape type.
    pub value: Option<Node>,
}

/// Documentation comments and traits before a shape or member.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traits {
    /// The `///` lines, joined with `\n`.
    pub docs: Option<String>,
    /// The traits, in order.
    pub traits: Vec<TraitApp>,
}

/// A member of a structure, union, list, map, enum or intEnum.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub name: String,
    pub pos: Pos,
    pub traits: Traits,
    /// `None` when elided (`$name`) or for enum members.
    pub target: Option<IdRef>,
    /// `= value` (a default for structures, the value for enums).
    pub value: Option<Node>,
}

/// What follows a shape's name.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// Simple shapes.
    None,
    /// Structures, unions, lists, maps, enums, intEnums.
    Members(Vec<Member>),
    /// Services and resources: their properties.
    Entity(Vec<(String, Node)>),
    Operation(Operation),
}

/// An operation's properties.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Operation {
    pub input: Option<IdRef>,
    pub output: Option<IdRef>,
    pub errors: Option<Vec<IdRef>>,
}

/// A shape statement (inline input/output structures become their own).
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    /// The shape type keyword (`structure`, `intEnum`, ...).
    pub kind: String,
    pub name: String,
    pub pos: Pos,
    pub traits: Traits,
    /// `with [...]`.
    pub mixins: Vec<IdRef>,
    /// `for Resource`.
    pub resource: Option<IdRef>,
    pub body: Body,
}

/// `apply Target @trait` or `apply Target { @a @b }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Apply {
    pub target: IdRef,
    pub traits: Vec<TraitApp>,
}

/// One `.smithy` file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    /// `$version`, as written (default "2.0").
    pub version: String,
    /// `metadata key = value`, in order.
    pub metadata: Vec<(String, Node, Pos)>,
    pub namespace: Option<String>,
    /// `use` statements: imported name → absolute ID.
    pub uses: Vec<IdRef>,
    pub shapes: Vec<Shape>,
    pub applies: Vec<Apply>,
}
