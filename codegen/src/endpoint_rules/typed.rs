//! The type-checked rule set: what `check` decides and `emit` writes.
//!
//! Every value has a Rust type and a known way to be read; every condition is
//! already classified (`if`, `if let`, `let`) with the bindings that turned
//! out unused dropped; every rule knows whether it returns or is the tail of
//! `resolve`. Emission walks this tree and cannot fail.

use super::ParamType;
use crate::ir::Document;
use crate::naming::Ident;

/// A rule set with its tests, ready to emit.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleSet {
    /// Parameters, sorted by model name (the order of the `Params` fields).
    pub params: Vec<Param>,
    /// Required parameters without a default, checked before the rules run.
    pub required: Vec<RequiredCheck>,
    /// `resolve` reads its `params` argument.
    pub params_used: bool,
    /// The rules of the rule set, in the tail of `resolve`.
    pub rules: Block,
    /// One test per `endpointTests` case.
    pub tests: Vec<TestCase>,
}

/// A parameter of the rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Name in the model, e.g. `UseFIPS`.
    pub name: String,
    /// Field of the generated `Params`, e.g. `use_fips`.
    pub field: Ident,
    /// Value type.
    pub ty: ParamType,
    /// Whether resolution needs a value (from the caller or `default`).
    pub required: bool,
    /// The rule set's default, applied by `Params::default()`; a field with a
    /// default is not an `Option`.
    pub default: Option<ParamValue>,
    /// The built-in that supplies the value, e.g. `AWS::Region`.
    pub built_in: Option<String>,
    /// Markdown documentation (the rule set's, then the built-in, default
    /// and requiredness).
    pub docs: String,
}

/// A parameter value (a default, or a test case's).
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A string array.
    StringArray(Vec<String>),
}

impl ParamValue {
    /// Equal to Rust's `Default` for the type (`""`, `false`, `[]`).
    pub fn is_rust_default(&self) -> bool {
        match self {
            ParamValue::String(s) => s.is_empty(),
            ParamValue::Bool(b) => !b,
            ParamValue::StringArray(items) => items.is_empty(),
        }
    }
}

/// A required parameter without default, checked up front.
#[derive(Clone, Debug, PartialEq)]
pub struct RequiredCheck {
    /// The model name (for the error message).
    pub name: String,
    /// The field, also the local it is bound to.
    pub field: Ident,
    /// Its type.
    pub ty: ParamType,
    /// The rules read the value (bind it), or only need it set.
    pub bound: bool,
}

/// Rules tried in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// The rules that can match, in order.
    pub rules: Vec<Rule>,
    /// When no rule always matches: the error when all fail.
    pub exhausted: Option<String>,
    /// The block is the tail of `resolve` (no `return`).
    pub tail: bool,
}

/// One rule: its conditions around its body.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Outermost first.
    pub conditions: Vec<Condition>,
    /// What it does when they hold.
    pub body: Body,
}

/// How one condition wraps the code after it.
#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    /// `if <cond>` (consecutive ones are joined with `&&`).
    If(BoolExpr),
    /// `if let Some(<ident>) = <value>`.
    IfLet(Ident, Expr),
    /// `let <ident> = <value>;`.
    Let(Ident, Expr),
}

/// What a rule does.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    /// A nested block.
    Tree(Block),
    /// Return (or, in tail position, evaluate to) this endpoint.
    Endpoint {
        /// The endpoint.
        endpoint: Endpoint,
        /// In tail position.
        tail: bool,
    },
    /// Return (or evaluate to) an error with this message.
    Error {
        /// A string expression (`Cow`-compatible: a literal or a `String`).
        message: Expr,
        /// In tail position.
        tail: bool,
    },
}

/// An endpoint.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    /// The URL, a string expression.
    pub url: Expr,
    /// Header values in order, by name.
    pub headers: Vec<(String, Expr)>,
    /// Properties, by name.
    pub properties: Vec<(String, Property)>,
}

/// A property value, as a `Document` expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Property {
    /// `Document::from(<string expression>)`.
    Str(Expr),
    /// `Document::Bool(<bool expression>)`.
    Bool(Expr),
    /// A string array value: `Document::Array` of its strings.
    StrArray(Expr),
    /// A constant (numbers, literal booleans).
    Constant(Document),
    /// An array.
    Array(Vec<Property>),
    /// An object.
    Object(Vec<(String, Property)>),
}

/// A runtime function of `endpoint::lib`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    /// `substring(input, start, stop, reverse)`.
    Substring,
    /// `uri_encode(input)`.
    UriEncode,
    /// `parse_url(input)`.
    ParseUrl,
    /// `is_valid_host_label(input, allow_dots)`.
    IsValidHostLabel,
    /// `aws::partition(region)`.
    Partition,
    /// `aws::parse_arn(input)`.
    ParseArn,
}

/// How a parameter is read from `params`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// `params.x` (a boolean, or an `Option` tested with `is_some`).
    Plain,
    /// `params.x.as_str()` (a string with a default).
    AsStr,
    /// `params.x.as_slice()` (a string array with a default).
    AsSlice,
    /// `params.x.as_deref()` (an optional string or string array).
    AsDeref,
}

/// A typed value expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A string literal (`&'static str`).
    Str(String),
    /// An integer literal.
    Int(i64),
    /// `true`.
    True,
    /// `Some(true)`.
    SomeTrue,
    /// A parameter.
    Param {
        /// The field.
        field: Ident,
        /// How it is read.
        access: Access,
    },
    /// A local binding.
    Local(Ident),
    /// `x.as_str()` of an owned string.
    AsStr(Box<Expr>),
    /// `&x` of an owned string.
    Borrow(Box<Expr>),
    /// `x.to_owned()`.
    ToOwned(Box<Expr>),
    /// `[a, b, ...].concat()` of `&str`s.
    Concat(Vec<Expr>),
    /// `x.method()`: an attribute of a partition, URL or ARN.
    Attr {
        /// The record.
        target: Box<Expr>,
        /// Its accessor.
        method: &'static str,
    },
    /// `x.first()` / `x.get(i)`, as `Option<&str>`.
    Element {
        /// The string array.
        target: Box<Expr>,
        /// The index.
        index: usize,
    },
    /// A runtime function call.
    Call(Func, Vec<Expr>),
    /// A boolean used as a value.
    Bool(Box<BoolExpr>),
    /// `(x)`.
    Paren(Box<Expr>),
}

/// A boolean expression, kept structured so negation and comparison with
/// literals fold into the idiomatic form (`!x`, `x.is_none()`, `a != b`).
#[derive(Clone, Debug, PartialEq)]
pub enum BoolExpr {
    /// A constant.
    Const(bool),
    /// A boolean value, maybe negated.
    Atom {
        /// The value.
        expr: Expr,
        /// `!x`.
        negated: bool,
    },
    /// `x.is_some()` / `x.is_none()`.
    IsSome {
        /// The option.
        expr: Expr,
        /// `is_none`.
        negated: bool,
    },
    /// `a == b` / `a != b`.
    Eq {
        /// Left operand.
        lhs: Expr,
        /// Right operand.
        rhs: Expr,
        /// `!=`.
        negated: bool,
    },
}

impl BoolExpr {
    /// `expr` as a boolean.
    pub fn atom(expr: Expr) -> Self {
        BoolExpr::Atom {
            expr,
            negated: false,
        }
    }

    /// The negation.
    pub fn negate(self) -> Self {
        match self {
            BoolExpr::Const(b) => BoolExpr::Const(!b),
            BoolExpr::Atom { expr, negated } => BoolExpr::Atom {
                expr,
                negated: !negated,
            },
            BoolExpr::IsSome { expr, negated } => BoolExpr::IsSome {
                expr,
                negated: !negated,
            },
            BoolExpr::Eq { lhs, rhs, negated } => BoolExpr::Eq {
                lhs,
                rhs,
                negated: !negated,
            },
        }
    }

    /// As an operand of `==` (comparisons do not chain in Rust).
    pub fn operand(self) -> Expr {
        match self {
            BoolExpr::Eq { .. } => Expr::Paren(Box::new(Expr::Bool(Box::new(self)))),
            BoolExpr::Atom {
                expr,
                negated: false,
            } => expr,
            other => Expr::Bool(Box::new(other)),
        }
    }
}

/// One `endpointTests` case.
#[derive(Clone, Debug, PartialEq)]
pub struct TestCase {
    /// The test function.
    pub name: Ident,
    /// Markdown documentation.
    pub docs: String,
    /// The parameters set: field, value, whether the field is an `Option`.
    pub params: Vec<(Ident, ParamValue, bool)>,
    /// Every parameter is set (no `..Default::default()`).
    pub all_set: bool,
    /// What resolution must give.
    pub expect: Expect,
    /// Emitted `#[ignore = "<this>"]`: the expectation disagrees with the
    /// partition table the runtime embeds (see `stale::mark_stale_cases`).
    pub ignore: Option<String>,
}

/// The expected result of a test case.
#[derive(Clone, Debug, PartialEq)]
pub enum Expect {
    /// An endpoint.
    Endpoint {
        /// Its URL.
        url: String,
        /// Its headers, when the case lists them.
        headers: Option<Vec<(String, Vec<String>)>>,
        /// Its properties, when the case lists them.
        properties: Option<Vec<(String, Document)>>,
    },
    /// An error with this text.
    Error(String),
}
