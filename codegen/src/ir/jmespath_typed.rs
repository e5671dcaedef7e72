//! A waiter's JMESPath typed against the operation's input and output.
//!
//! `Typer` turns a parsed [`Expr`] into a [`Typed`] tree: every node
//! knows the JMESPath type it yields ([`JType`], from the Smithy data model:
//! strings and enums are strings, numbers, timestamps and intEnums numbers,
//! structures and unions objects with known members, maps objects of one
//! value type, lists arrays of one element type) and every member access
//! names the Rust field it reads. Emission compiles the tree to Rust over
//! the typed structures (`emit/jmespath.rs`) and decides nothing.
//!
//! Semantics are the JMESPath specification's: a member of anything but an
//! object is null, projections drop nulls, `==` is deep equality, ordering
//! comparisons of anything but two numbers are null, `&&`/`||` return an
//! operand by its truthiness (`false`, `null`, `""`, `[]`, `{}` are falsy).
//! What the types make certain is decided here: an expression that could
//! only ever be null or an error (a member the structure does not have, a
//! function given an argument of a type it refuses) is a generation error
//! naming it, as Smithy's static analysis flags it (`WaitableTraitJmespathProblem`).
//! A function given null at run time is an evaluation error: the acceptor
//! does not match (as in the AWS SDK for Rust).
//!
//! Not compiled (an error naming the construct): documents and blobs (their
//! JMESPath value is only known at run time, or needs base64 text), object
//! literals and multi-select hashes (they build objects), `&&`/`||` whose
//! operands have different types where the value (not only its truthiness)
//! is used, and the functions that build new strings or sort by an
//! expression (`join`, `to_string`, `merge`, `sort_by`, `max_by`, `min_by`).

use super::jmespath::{Comparator, Expr};
use super::path::{describe, Structures};
use super::{Type, TypeDef};
use crate::model::ShapeId;
use crate::naming::Ident;
use serde_json::Value;

/// The JMESPath type of a value, as far as the model tells it. Any value
/// may also be null at run time.
#[derive(Clone, Debug, PartialEq)]
pub enum JType {
    /// Always null (the literal `` `null` ``).
    Null,
    /// `true` / `false`.
    Bool,
    /// A number (every numeric shape, timestamps in epoch seconds, intEnums).
    Number,
    /// A string (strings and enums, by value).
    String,
    /// A structure or union, by shape ID.
    Object(ShapeId),
    /// A map: string keys, values of one type.
    Map(Box<JType>),
    /// An array of elements of one type.
    List(Box<JType>),
    /// The root of an `inputOutput` matcher: `{input, output}`.
    InputOutput,
}

impl JType {
    /// A short description for messages.
    pub(super) fn describe(&self, structures: &Structures<'_>) -> String {
        match self {
            JType::Null => "null".to_owned(),
            JType::Bool => "a boolean".to_owned(),
            JType::Number => "a number".to_owned(),
            JType::String => "a string".to_owned(),
            JType::Object(id) => describe(structures.types, &Type::Named(id.clone())),
            JType::Map(_) => "a map".to_owned(),
            JType::List(e) => format!("a list of {}", plural(&e.describe(structures))),
            JType::InputOutput => "the `{input, output}` root".to_owned(),
        }
    }

    /// The Rust value is `Copy` (everything but lists and maps).
    pub fn is_copy(&self) -> bool {
        !matches!(self, JType::List(_) | JType::Map(_))
    }
}

fn plural(what: &str) -> String {
    what.strip_prefix("a ")
        .or_else(|| what.strip_prefix("an "))
        .map_or_else(|| what.to_owned(), |w| format!("{w}s"))
}

/// A typed JMESPath node: what it computes and the type it yields.
#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    /// What it computes.
    pub kind: Kind,
    /// What it yields.
    pub ty: JType,
}

impl Typed {
    /// How many times this node reads the current value (not counting what
    /// it evaluates on another value: a projection's elements, the right of
    /// `a.b`). A multi-select list also checks it for null.
    pub fn reads_current(&self) -> usize {
        fn truth(t: &Truth) -> usize {
            match t {
                Truth::Of(v, _) => v.reads_current(),
                Truth::Not(t) => truth(t),
                Truth::And(a, b) | Truth::Or(a, b) => truth(a) + truth(b),
            }
        }
        match &self.kind {
            Kind::Current | Kind::Field(_) | Kind::Index(_) | Kind::Slice { .. } => 1,
            Kind::Root(_) | Kind::Literal(_) | Kind::ExpRef(_) => 0,
            Kind::Then { first, .. } => first.reads_current(),
            Kind::Project { list, .. } => list.reads_current(),
            Kind::Flatten(x) | Kind::Values(x) => x.reads_current(),
            Kind::Filter { test, then } => truth(test) + then.reads_current(),
            Kind::Compare { lhs, rhs, .. } => lhs.reads_current() + rhs.reads_current(),
            Kind::And(a, b, _) | Kind::Or(a, b, _) => a.reads_current() + b.reads_current(),
            Kind::Truth(t) => truth(t),
            Kind::List(items) => 1 + items.iter().map(Typed::reads_current).sum::<usize>(),
            Kind::Call { args, .. } => args.iter().map(Typed::reads_current).sum(),
        }
    }
}

/// A typed node's computation. Nodes without an operand read the current
/// value (`@`).
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// `@`.
    Current,
    /// The operation's input or output (`input` / `output` of an
    /// `inputOutput` root).
    Root(super::Root),
    /// A member of the current object.
    Field(Access),
    /// `[n]` of the current array (negative: from the end).
    Index(i64),
    /// `[start:stop:step]` of the current array.
    Slice {
        /// First index.
        start: Option<i64>,
        /// End (exclusive).
        stop: Option<i64>,
        /// Step (not 0).
        step: Option<i64>,
    },
    /// `then` evaluated on the value of `first` (`a.b`, `a | b`).
    Then {
        /// The new current value.
        first: Box<Typed>,
        /// What is evaluated on it.
        then: Box<Typed>,
    },
    /// `each` on every element of the array `list`, nulls dropped.
    Project {
        /// The array.
        list: Box<Typed>,
        /// Evaluated with each element as the current value.
        each: Box<Typed>,
    },
    /// The array `list` with nested arrays spliced in.
    Flatten(Box<Typed>),
    /// The values of the map `map`, as an array.
    Values(Box<Typed>),
    /// In a filter projection: `then` when `test` holds, else null.
    Filter {
        /// The filter.
        test: Box<Truth>,
        /// The element (usually `@`).
        then: Box<Typed>,
    },
    /// `lhs == rhs` and the other comparisons (a boolean; ordering
    /// comparisons are null unless both sides are numbers).
    Compare {
        /// The comparator.
        op: Comparator,
        /// Left.
        lhs: Box<Typed>,
        /// Right.
        rhs: Box<Typed>,
    },
    /// `lhs && rhs` where its value is used: `rhs` if `lhs` is truthy
    /// (by the test), else `lhs`.
    And(Box<Typed>, Box<Typed>, TruthTest),
    /// `lhs || rhs` where its value is used: `lhs` if truthy (by the
    /// test), else `rhs`.
    Or(Box<Typed>, Box<Typed>, TruthTest),
    /// A truth test as a boolean (`!a`, and `&&`/`||` where only
    /// truthiness matters).
    Truth(Box<Truth>),
    /// A literal.
    Literal(Literal),
    /// `[a, b]`: a multi-select list.
    List(Vec<Typed>),
    /// A function call.
    Call {
        /// Which.
        function: Function,
        /// Its arguments (an expression reference for `map`'s first).
        args: Vec<Typed>,
    },
    /// `&expr`, `map`'s first argument: typed against the array's elements.
    ExpRef(Box<Typed>),
}

/// How a member is read from the current value.
#[derive(Clone, Debug, PartialEq)]
pub enum Access {
    /// A structure member.
    Member {
        /// As modelled.
        member: String,
        /// The Rust field.
        field: Ident,
        /// The field is an `Option`.
        optional: bool,
        /// The field is boxed.
        boxed: bool,
        /// Its value type.
        ty: Type,
    },
    /// A union member: the variant, when it is the one set.
    Variant {
        /// The union.
        union: ShapeId,
        /// The variant.
        variant: Ident,
        /// The value is boxed.
        boxed: bool,
        /// Its value type.
        ty: Type,
    },
    /// A key of a map.
    Key(String),
}

/// A truth test: JMESPath truthiness, and the boolean operators where only
/// it matters.
#[derive(Clone, Debug, PartialEq)]
pub enum Truth {
    /// `value` is truthy.
    Of(Typed, TruthTest),
    /// Not.
    Not(Box<Truth>),
    /// Both (the second evaluated only when the first holds).
    And(Box<Truth>, Box<Truth>),
    /// Either (the second evaluated only when the first does not hold).
    Or(Box<Truth>, Box<Truth>),
}

/// How a value's truthiness is decided.
#[derive(Clone, Debug, PartialEq)]
pub enum TruthTest {
    /// By its representation: not null, not `false`, not empty.
    Plain,
    /// A structure: truthy when some member is set. `always` when a member
    /// is always set (required or defaulted); else these optional fields.
    Structure {
        /// A member is always set.
        always: bool,
        /// The optional fields.
        optional: Vec<Ident>,
    },
}

/// A literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    String(String),
    /// An array (of one element type).
    List(Vec<Literal>),
}

/// The functions of the JMESPath specification that compile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Function {
    Abs,
    Avg,
    Ceil,
    Contains,
    EndsWith,
    Floor,
    Keys,
    Length,
    Map,
    Max,
    Min,
    NotNull,
    Reverse,
    Sort,
    StartsWith,
    Sum,
    ToArray,
    ToNumber,
    Type,
    Values,
}

impl Function {
    fn by_name(name: &str) -> Option<Function> {
        Some(match name {
            "abs" => Function::Abs,
            "avg" => Function::Avg,
            "ceil" => Function::Ceil,
            "contains" => Function::Contains,
            "ends_with" => Function::EndsWith,
            "floor" => Function::Floor,
            "keys" => Function::Keys,
            "length" => Function::Length,
            "map" => Function::Map,
            "max" => Function::Max,
            "min" => Function::Min,
            "not_null" => Function::NotNull,
            "reverse" => Function::Reverse,
            "sort" => Function::Sort,
            "starts_with" => Function::StartsWith,
            "sum" => Function::Sum,
            "to_array" => Function::ToArray,
            "to_number" => Function::ToNumber,
            "type" => Function::Type,
            "values" => Function::Values,
            _ => return None,
        })
    }
}

/// Types expressions against an operation's structures.
pub(super) struct Typer<'a> {
    pub structures: &'a Structures<'a>,
    pub input: &'a Type,
    pub output: &'a Type,
}

type Result<T> = std::result::Result<T, String>;

fn node(kind: Kind, ty: JType) -> Typed {
    Typed { kind, ty }
}

/// The type two branches (`&&`, `||`, `not_null`, list elements) share:
/// equal types, or one of them null.
fn unify(a: &JType, b: &JType) -> Option<JType> {
    match (a, b) {
        (JType::Null, t) | (t, JType::Null) => Some(t.clone()),
        (JType::List(x), JType::List(y)) => unify(x, y).map(|t| JType::List(Box::new(t))),
        (x, y) if x == y => Some(x.clone()),
        _ => None,
    }
}

impl Typer<'_> {
    /// Types `expr`, the path of an `output` matcher (the output is the
    /// current value) or of an `inputOutput` one (`{input, output}` is).
    pub fn path(&self, expr: &Expr, input_output: bool) -> Result<Typed> {
        let root = if input_output {
            JType::InputOutput
        } else {
            self.object_type(self.output)
        };
        self.value(expr, &root)
    }

    fn object_type(&self, ty: &Type) -> JType {
        match ty {
            Type::Named(id) => JType::Object(id.clone()),
            _ => JType::Null,
        }
    }

    fn describe(&self, ty: &JType) -> String {
        ty.describe(self.structures)
    }

    /// The JMESPath type of a member of Rust type `ty`.
    fn of_type(&self, ty: &Type, what: &str) -> Result<JType> {
        Ok(match ty {
            Type::String => JType::String,
            Type::Bool => JType::Bool,
            Type::Byte
            | Type::Short
            | Type::Integer
            | Type::Long
            | Type::Float
            | Type::Double
            | Type::BigInteger
            | Type::BigDecimal
            | Type::Timestamp(_) => JType::Number,
            Type::Blob => {
                return Err(format!(
                    "{what} is a blob, which JMESPath sees as base64 text the generated code does not compute"
                ))
            }
            Type::Document => {
                return Err(format!(
                    "{what} is a document, whose JMESPath type is only known at run time"
                ))
            }
            Type::List { member, .. } => JType::List(Box::new(self.of_type(member, what)?)),
            Type::Map { value, .. } => JType::Map(Box::new(self.of_type(value, what)?)),
            Type::Named(id) => match self.structures.types.get(id) {
                Some(TypeDef::Enum(e)) if e.int => JType::Number,
                Some(TypeDef::Enum(_)) => JType::String,
                _ => JType::Object(id.clone()),
            },
        })
    }

    /// Types `expr` where its value is used, with `cur` the current value's type.
    fn value(&self, expr: &Expr, cur: &JType) -> Result<Typed> {
        match expr {
            Expr::Identity => {
                if *cur == JType::InputOutput {
                    return Err(
                        "`@` of an inputOutput path is `{input, output}`, which the generated code does not build; name `input` or `output`"
                            .to_owned(),
                    );
                }
                Ok(node(Kind::Current, cur.clone()))
            }
            Expr::Field(name) => self.field(name, cur),
            Expr::Subexpr(first, then) | Expr::Pipe(first, then) => {
                let first = self.value(first, cur)?;
                let then = self.value(then, &first.ty)?;
                let ty = then.ty.clone();
                Ok(node(
                    Kind::Then {
                        first: Box::new(first),
                        then: Box::new(then),
                    },
                    ty,
                ))
            }
            Expr::Index(i) => match cur {
                JType::List(e) => Ok(node(Kind::Index(*i), (**e).clone())),
                other => Err(format!(
                    "`[{i}]` indexes {}, not a list",
                    self.describe(other)
                )),
            },
            Expr::Slice { start, stop, step } => match cur {
                JType::List(_) => Ok(node(
                    Kind::Slice {
                        start: *start,
                        stop: *stop,
                        step: *step,
                    },
                    cur.clone(),
                )),
                other => Err(format!("a slice of {}, not a list", self.describe(other))),
            },
            Expr::Projection { lhs, rhs } => {
                let list = self.value(lhs, cur)?;
                let JType::List(element) = &list.ty else {
                    return Err(format!(
                        "`{}` projects {}, not a list",
                        super::jmespath::show(lhs),
                        self.describe(&list.ty)
                    ));
                };
                let each = self.value(rhs, element)?;
                let ty = JType::List(Box::new(each.ty.clone()));
                Ok(node(
                    Kind::Project {
                        list: Box::new(list),
                        each: Box::new(each),
                    },
                    ty,
                ))
            }
            Expr::Flatten(inner) => {
                let list = self.value(inner, cur)?;
                let ty = match &list.ty {
                    JType::List(e) => match &**e {
                        JType::List(inner) => JType::List(inner.clone()),
                        _ => list.ty.clone(),
                    },
                    other => {
                        return Err(format!(
                            "`{}[]` flattens {}, not a list",
                            super::jmespath::show(inner),
                            self.describe(other)
                        ))
                    }
                };
                Ok(node(Kind::Flatten(Box::new(list)), ty))
            }
            Expr::ObjectValues(inner) => {
                let map = self.value(inner, cur)?;
                match &map.ty {
                    JType::Map(v) => {
                        let ty = JType::List(v.clone());
                        Ok(node(Kind::Values(Box::new(map)), ty))
                    }
                    other => Err(format!(
                        "`{}.*` takes the values of {}; the generator takes the values of maps only",
                        super::jmespath::show(inner),
                        self.describe(other)
                    )),
                }
            }
            Expr::Condition { predicate, then } => {
                let test = self.truth(predicate, cur)?;
                let then = self.value(then, cur)?;
                let ty = then.ty.clone();
                Ok(node(
                    Kind::Filter {
                        test: Box::new(test),
                        then: Box::new(then),
                    },
                    ty,
                ))
            }
            Expr::Comparison { op, lhs, rhs } => self.compare(*op, lhs, rhs, cur),
            Expr::And(a, b) | Expr::Or(a, b) => {
                let lhs = self.value(a, cur)?;
                let rhs = self.value(b, cur)?;
                let is_and = matches!(expr, Expr::And(..));
                let ty = unify(&lhs.ty, &rhs.ty).ok_or_else(|| {
                    format!(
                        "`{}` gives {} or {}; the generator compiles `{}` whose operands have one type, or where only its truthiness is used",
                        super::jmespath::show(expr),
                        self.describe(&lhs.ty),
                        self.describe(&rhs.ty),
                        if is_and { "&&" } else { "||" }
                    )
                })?;
                let test = self.truth_test(&lhs.ty);
                let (lhs, rhs) = (Box::new(lhs), Box::new(rhs));
                Ok(node(
                    if is_and {
                        Kind::And(lhs, rhs, test)
                    } else {
                        Kind::Or(lhs, rhs, test)
                    },
                    ty,
                ))
            }
            Expr::Not(_) => Ok(node(
                Kind::Truth(Box::new(self.truth(expr, cur)?)),
                JType::Bool,
            )),
            Expr::Literal(v) => {
                let (literal, ty) = literal(v)?;
                Ok(node(Kind::Literal(literal), ty))
            }
            Expr::MultiList(items) => {
                let items = items
                    .iter()
                    .map(|i| self.value(i, cur))
                    .collect::<Result<Vec<_>>>()?;
                let mut ty = JType::Null;
                for item in &items {
                    ty = unify(&ty, &item.ty).ok_or_else(|| {
                        format!(
                            "`{}` mixes {} and {}; the generator builds lists of one type",
                            super::jmespath::show(expr),
                            self.describe(&ty),
                            self.describe(&item.ty)
                        )
                    })?;
                }
                Ok(node(Kind::List(items), JType::List(Box::new(ty))))
            }
            Expr::MultiHash(_) => Err(format!(
                "`{}` builds an object (a multi-select hash), which the generator does not compile",
                super::jmespath::show(expr)
            )),
            Expr::Function { name, args } => self.call(name, args, cur),
            Expr::ExpRef(_) => Err(format!(
                "`{}`: an expression reference is only an argument of `map`",
                super::jmespath::show(expr)
            )),
        }
    }

    fn field(&self, name: &str, cur: &JType) -> Result<Typed> {
        let member_of =
            |what: String| format!("`{name}` is a member of {what}, which has no members");
        match cur {
            JType::InputOutput => match name {
                "input" => Ok(node(
                    Kind::Root(super::Root::Input),
                    self.object_type(self.input),
                )),
                "output" => Ok(node(
                    Kind::Root(super::Root::Output),
                    self.object_type(self.output),
                )),
                _ => Err("an inputOutput path must start with `input` or `output`".to_owned()),
            },
            JType::Object(id) => {
                let ty = Type::Named(id.clone());
                if let Some(s) = self.structures.structure(&ty) {
                    let f = s
                        .fields
                        .iter()
                        .find(|f| f.member == name)
                        .ok_or_else(|| format!("`{}` has no member `{name}`", id.name()))?;
                    let what = format!("`{}.{name}`", id.name());
                    return Ok(node(
                        Kind::Field(Access::Member {
                            member: name.to_owned(),
                            field: f.name.clone(),
                            optional: f.presence.is_option(),
                            boxed: f.boxed,
                            ty: f.ty.clone(),
                        }),
                        self.of_type(&f.ty, &what)?,
                    ));
                }
                match self.structures.types.get(id) {
                    Some(TypeDef::Union(u)) => {
                        let v = u
                            .variants
                            .iter()
                            .find(|v| v.member == name)
                            .ok_or_else(|| format!("`{}` has no member `{name}`", id.name()))?;
                        let what = format!("`{}.{name}`", id.name());
                        let Some(ty) = &v.ty else {
                            return Err(format!(
                                "{what} is a unit member, which has no value to read"
                            ));
                        };
                        Ok(node(
                            Kind::Field(Access::Variant {
                                union: id.clone(),
                                variant: v.name.clone(),
                                boxed: v.boxed,
                                ty: ty.clone(),
                            }),
                            self.of_type(ty, &what)?,
                        ))
                    }
                    _ => Err(member_of(self.describe(cur))),
                }
            }
            JType::Map(v) => Ok(node(
                Kind::Field(Access::Key(name.to_owned())),
                (**v).clone(),
            )),
            other => Err(member_of(self.describe(other))),
        }
    }

    /// `lhs op rhs`. A literal on one side takes the other side's type when
    /// it fits (`` tags == `[]` `` compares lists of strings).
    fn compare(&self, op: Comparator, lhs: &Expr, rhs: &Expr, cur: &JType) -> Result<Typed> {
        let mut l = self.value(lhs, cur)?;
        let mut r = self.value(rhs, cur)?;
        retype_literal(&mut l, &r.ty);
        retype_literal(&mut r, &l.ty);
        let ty = match op {
            Comparator::Eq | Comparator::Ne => {
                self.comparable(&l.ty, &r.ty).map_err(|why| {
                    format!(
                        "`{} {} {}` compares {why}",
                        super::jmespath::show(lhs),
                        op.as_str(),
                        super::jmespath::show(rhs)
                    )
                })?;
                JType::Bool
            }
            // Ordering is defined on numbers only; anything else is null.
            _ if l.ty == JType::Number && r.ty == JType::Number => JType::Bool,
            _ => JType::Null,
        };
        Ok(node(
            Kind::Compare {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r),
            },
            ty,
        ))
    }

    /// Whether values of types `a` and `b` can be compared for equality
    /// (values of different types are equal only when both are null;
    /// structures only with structures of the same shape).
    fn comparable(&self, a: &JType, b: &JType) -> Result<()> {
        match (a, b) {
            (JType::Object(x), JType::Object(y)) if x != y => Err(format!(
                "{} with {}: different shapes, which the generator does not compare member by member",
                self.describe(a),
                self.describe(b)
            )),
            (JType::Object(_), JType::Map(_)) | (JType::Map(_), JType::Object(_)) => Err(format!(
                "{} with {}, which the generator does not compare member by member",
                self.describe(a),
                self.describe(b)
            )),
            (JType::List(x), JType::List(y)) | (JType::Map(x), JType::Map(y)) => {
                self.comparable(x, y)
            }
            _ => Ok(()),
        }
    }

    /// Types `expr` where only its truthiness is used.
    fn truth(&self, expr: &Expr, cur: &JType) -> Result<Truth> {
        Ok(match expr {
            Expr::Not(inner) => Truth::Not(Box::new(self.truth(inner, cur)?)),
            Expr::And(a, b) => {
                Truth::And(Box::new(self.truth(a, cur)?), Box::new(self.truth(b, cur)?))
            }
            Expr::Or(a, b) => {
                Truth::Or(Box::new(self.truth(a, cur)?), Box::new(self.truth(b, cur)?))
            }
            other => {
                let value = self.value(other, cur)?;
                let test = self.truth_test(&value.ty);
                Truth::Of(value, test)
            }
        })
    }

    fn truth_test(&self, ty: &JType) -> TruthTest {
        match ty {
            JType::Object(id) => match self.structures.structure(&Type::Named(id.clone())) {
                Some(s) => TruthTest::Structure {
                    always: s.fields.iter().any(|f| !f.presence.is_option()),
                    optional: s
                        .fields
                        .iter()
                        .filter(|f| f.presence.is_option())
                        .map(|f| f.name.clone())
                        .collect(),
                },
                // A union always has its one member set.
                None => TruthTest::Plain,
            },
            _ => TruthTest::Plain,
        }
    }

    fn call(&self, name: &str, args: &[Expr], cur: &JType) -> Result<Typed> {
        let Some(function) = Function::by_name(name) else {
            let why = match name {
                "join" | "to_string" => "it builds a new string",
                "merge" => "it builds an object",
                "sort_by" | "max_by" | "min_by" => "it orders by an expression",
                _ => "it is not a JMESPath function",
            };
            return Err(format!("function `{name}` is not compiled: {why}"));
        };
        let arity = |n: usize| -> Result<()> {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!(
                    "function `{name}` takes {n} argument{}, not {}",
                    if n == 1 { "" } else { "s" },
                    args.len()
                ))
            }
        };
        let wrong = |i: usize, wants: &str, got: &JType| {
            format!(
                "argument {} of `{name}` must be {wants}, and `{}` is {}",
                i + 1,
                super::jmespath::show(&args[i]),
                self.describe(got)
            )
        };
        if function == Function::Map {
            arity(2)?;
            let list = self.value(&args[1], cur)?;
            let JType::List(element) = &list.ty else {
                return Err(wrong(1, "a list", &list.ty));
            };
            let Expr::ExpRef(each) = &args[0] else {
                return Err(format!(
                    "argument 1 of `map` must be an expression reference (`&expr`), not `{}`",
                    super::jmespath::show(&args[0])
                ));
            };
            let each = self.value(each, element)?;
            let ty = JType::List(Box::new(each.ty.clone()));
            return Ok(node(
                Kind::Call {
                    function,
                    args: vec![node(Kind::ExpRef(Box::new(each)), JType::Null), list],
                },
                ty,
            ));
        }
        let typed = args
            .iter()
            .map(|arg| self.value(arg, cur))
            .collect::<Result<Vec<_>>>()?;
        let t: Vec<&JType> = typed.iter().map(|a| &a.ty).collect();
        let is_list_of = |ty: &JType, want: &[JType]| matches!(ty, JType::List(e) if want.contains(&**e) || **e == JType::Null);
        let ty = match function {
            // Typed above: its first argument is an expression reference.
            Function::Map => JType::Null,
            Function::Length => {
                arity(1)?;
                match t[0] {
                    JType::String | JType::List(_) | JType::Map(_) => JType::Number,
                    other => return Err(wrong(0, "a string, a list or a map", other)),
                }
            }
            Function::Contains => {
                arity(2)?;
                match t[0] {
                    JType::String => {}
                    JType::List(e) => {
                        self.comparable(e, t[1])
                            .map_err(|why| format!("`contains` compares {why}"))?;
                    }
                    other => return Err(wrong(0, "a string or a list", other)),
                }
                JType::Bool
            }
            Function::StartsWith | Function::EndsWith => {
                arity(2)?;
                for (i, ty) in t.iter().enumerate() {
                    if **ty != JType::String {
                        return Err(wrong(i, "a string", ty));
                    }
                }
                JType::Bool
            }
            Function::Abs | Function::Ceil | Function::Floor => {
                arity(1)?;
                if *t[0] != JType::Number {
                    return Err(wrong(0, "a number", t[0]));
                }
                JType::Number
            }
            Function::Avg | Function::Sum => {
                arity(1)?;
                if !is_list_of(t[0], &[JType::Number]) {
                    return Err(wrong(0, "a list of numbers", t[0]));
                }
                JType::Number
            }
            Function::Max | Function::Min => {
                arity(1)?;
                match t[0] {
                    JType::List(e) if matches!(**e, JType::Number | JType::String) => (**e).clone(),
                    other => return Err(wrong(0, "a list of numbers or of strings", other)),
                }
            }
            Function::Sort => {
                arity(1)?;
                if !is_list_of(t[0], &[JType::Number, JType::String]) {
                    return Err(wrong(0, "a list of numbers or of strings", t[0]));
                }
                t[0].clone()
            }
            Function::Reverse => {
                arity(1)?;
                match t[0] {
                    JType::List(_) => t[0].clone(),
                    other => {
                        return Err(wrong(
                            0,
                            "a list (reversing a string builds a new one, which the generator does not compile)",
                            other,
                        ))
                    }
                }
            }
            Function::Keys | Function::Values => {
                arity(1)?;
                match t[0] {
                    JType::Map(v) if function == Function::Values => JType::List(v.clone()),
                    JType::Map(_) => JType::List(Box::new(JType::String)),
                    other => return Err(wrong(0, "a map", other)),
                }
            }
            Function::NotNull => {
                if args.is_empty() {
                    return Err("function `not_null` takes at least one argument".to_owned());
                }
                let mut ty = JType::Null;
                for (i, arg) in t.iter().enumerate() {
                    ty = unify(&ty, arg).ok_or_else(|| {
                        wrong(
                            i,
                            &format!("of the type of the others ({})", self.describe(&ty)),
                            arg,
                        )
                    })?;
                }
                ty
            }
            Function::Type => {
                arity(1)?;
                JType::String
            }
            Function::ToNumber => {
                arity(1)?;
                JType::Number
            }
            Function::ToArray => {
                arity(1)?;
                match t[0] {
                    JType::List(_) => t[0].clone(),
                    other => JType::List(Box::new(other.clone())),
                }
            }
        };
        Ok(node(
            Kind::Call {
                function,
                args: typed,
            },
            ty,
        ))
    }
}

/// A literal's value and type.
fn literal(value: &Value) -> Result<(Literal, JType)> {
    Ok(match value {
        Value::Null => (Literal::Null, JType::Null),
        Value::Bool(b) => (Literal::Bool(*b), JType::Bool),
        Value::Number(n) => (
            Literal::Number(
                n.as_f64()
                    .ok_or_else(|| format!("literal {n} is not a number"))?,
            ),
            JType::Number,
        ),
        Value::String(s) => (Literal::String(s.clone()), JType::String),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ty = JType::Null;
            for item in items {
                let (l, t) = literal(item)?;
                ty = unify(&ty, &t).ok_or_else(|| {
                    format!("literal `{value}` mixes types; the generator builds lists of one type")
                })?;
                out.push(l);
            }
            (Literal::List(out), JType::List(Box::new(ty)))
        }
        Value::Object(_) => {
            return Err(format!(
                "literal `{value}` is an object, which the generator does not build"
            ))
        }
    })
}

/// Gives a literal the type `want` when its value fits it (an empty or
/// all-null array becomes a list of `want`'s elements).
fn retype_literal(node: &mut Typed, want: &JType) {
    if !matches!(node.kind, Kind::Literal(_)) {
        return;
    }
    if let Some(ty) = unify(&node.ty, want) {
        if ty == *want {
            node.ty = ty;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_unify_with_null_and_element_wise() {
        let list = |t: JType| JType::List(Box::new(t));
        assert_eq!(unify(&JType::Null, &JType::String), Some(JType::String));
        assert_eq!(
            unify(&list(JType::Null), &list(JType::Number)),
            Some(list(JType::Number))
        );
        assert_eq!(unify(&JType::Bool, &JType::String), None);
    }

    #[test]
    fn literals_are_typed() {
        let (l, t) = literal(&serde_json::json!([1, null, 2.5])).unwrap();
        assert_eq!(t, JType::List(Box::new(JType::Number)));
        assert_eq!(
            l,
            Literal::List(vec![
                Literal::Number(1.0),
                Literal::Null,
                Literal::Number(2.5)
            ])
        );
        assert!(literal(&serde_json::json!({"a": 1}))
            .unwrap_err()
            .contains("is an object"));
        assert!(literal(&serde_json::json!([1, "a"]))
            .unwrap_err()
            .contains("mixes types"));
    }
}
