//! A small interpreter of the type-checked rule set, run at generation time
//! on an `endpointTests` case with the partition table the runtime embeds
//! ([`PartitionTable`]), optionally reading some boolean partition facts as
//! their opposite: what [`super::stale`] needs to tell the cases that table
//! contradicts.
//!
//! It walks [`typed`](super::typed) as the emitted Rust runs it: rules in
//! order, conditions outermost first (`if`, `if let`, `let`), the first
//! matching body decides, a block that runs out gives its exhaustion error.
//! The standard-library functions are evaluated as the runtime's
//! `endpoint::lib` evaluates them, except `parseURL`: a case that reaches it
//! is [`Undetermined`] and kept as the model wrote it.

use super::typed::{
    Access, Block, Body, BoolExpr, Condition, Endpoint, Expr, Func, ParamValue, Property, RuleSet,
    TestCase,
};
use crate::ir::Document;
use crate::naming::Ident;
use crate::partitions::{PartitionFacts, PartitionTable};
use std::collections::BTreeMap;
use text::{is_valid_host_label, parse_arn, substring, Arn};

// The runtime's own files, compiled here as modules: the cases are evaluated
// by the code generated resolvers run (`endpoint::lib` of the runtime), not
// by a copy of it. Neither file names anything else of the runtime.
#[allow(dead_code)]
#[path = "../../../runtime/src/endpoint/lib/text.rs"]
mod text;
#[allow(dead_code)]
#[path = "../../../runtime/src/percent.rs"]
mod percent;

/// The interpreter cannot tell (a function it does not evaluate, or a value
/// of an unexpected kind).
#[derive(Debug)]
pub struct Undetermined;

type Eval<T> = Result<T, Undetermined>;

/// A value while evaluating.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    Array(Vec<String>),
    Opt(Option<Box<Value>>),
    Partition(PartitionFacts),
    Arn(Arn),
}

/// What resolution gives: an endpoint or an error message.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// An endpoint.
    Endpoint {
        /// Its URL.
        url: String,
        /// Its headers.
        headers: BTreeMap<String, Vec<String>>,
        /// Its properties, objects with sorted keys.
        properties: BTreeMap<String, Document>,
    },
    /// An error with this message.
    Error(String),
}

/// A boolean fact of a partition: its name and the accessor
/// (`supports_dual_stack`).
pub(super) type Fact = (String, &'static str);

/// The boolean partition attributes, whose flipping can explain a stale case.
pub(super) const FLIPPABLE: [&str; 2] = ["supports_fips", "supports_dual_stack"];

struct Interpreter<'a> {
    table: &'a PartitionTable,
    /// Each parameter's field: whether it has a default (a plain field), and
    /// its value for this case.
    params: BTreeMap<&'a Ident, (bool, Option<Value>)>,
    locals: Vec<(Ident, Value)>,
    /// Facts read as the opposite of what the table says.
    flipped: &'a [Fact],
    /// Each partition looked up, with the region it was looked up for.
    looked_up: Vec<(String, String)>,
    /// The boolean facts read.
    read: Vec<Fact>,
}

/// What a run found.
pub(super) struct Run {
    /// What resolution gave.
    pub(super) outcome: Eval<Outcome>,
    /// Each partition looked up (name, region).
    pub(super) looked_up: Vec<(String, String)>,
    /// The boolean facts read.
    pub(super) read: Vec<Fact>,
}

/// What `case` resolves to with `table`, reading the `flipped` facts as
/// their opposite.
pub(super) fn run(
    rules: &RuleSet,
    case: &TestCase,
    table: &PartitionTable,
    flipped: &[Fact],
) -> Run {
    let mut params = BTreeMap::new();
    for param in &rules.params {
        let set = case
            .params
            .iter()
            .find(|(field, _, _)| *field == param.field)
            .map(|(_, value, _)| value);
        let value = set.or(param.default.as_ref()).map(param_value);
        params.insert(&param.field, (param.default.is_some(), value));
    }
    let mut interpreter = Interpreter {
        table,
        params,
        locals: Vec::new(),
        flipped,
        looked_up: Vec::new(),
        read: Vec::new(),
    };
    let outcome = interpreter.resolve(rules);
    Run {
        outcome,
        looked_up: interpreter.looked_up,
        read: interpreter.read,
    }
}

fn param_value(value: &ParamValue) -> Value {
    match value {
        ParamValue::String(s) => Value::Str(s.clone()),
        ParamValue::Bool(b) => Value::Bool(*b),
        ParamValue::StringArray(items) => Value::Array(items.clone()),
    }
}

impl Interpreter<'_> {
    fn resolve(&mut self, rules: &RuleSet) -> Eval<Outcome> {
        for check in &rules.required {
            let value = match self.params.get(&check.field) {
                Some((_, Some(value))) => value.clone(),
                _ => {
                    return Ok(Outcome::Error(format!(
                        "A required endpoint parameter is not set: {}",
                        check.name
                    )))
                }
            };
            if check.bound {
                self.locals.push((check.field.clone(), value));
            }
        }
        self.block(&rules.rules)
    }

    fn block(&mut self, block: &Block) -> Eval<Outcome> {
        for rule in &block.rules {
            let depth = self.locals.len();
            let outcome = self.rule(&rule.conditions, &rule.body);
            self.locals.truncate(depth);
            if let Some(outcome) = outcome? {
                return Ok(outcome);
            }
        }
        match &block.exhausted {
            Some(message) => Ok(Outcome::Error(message.clone())),
            // The checker proved some rule always matches.
            None => Err(Undetermined),
        }
    }

    /// The rule's outcome, or `None` when a condition fails.
    fn rule(&mut self, conditions: &[Condition], body: &Body) -> Eval<Option<Outcome>> {
        for condition in conditions {
            match condition {
                Condition::If(cond) => {
                    if !self.bool_expr(cond)? {
                        return Ok(None);
                    }
                }
                Condition::IfLet(ident, value) => match self.expr(value)? {
                    Value::Opt(Some(inner)) => self.locals.push((ident.clone(), *inner)),
                    Value::Opt(None) => return Ok(None),
                    _ => return Err(Undetermined),
                },
                Condition::Let(ident, value) => {
                    let value = self.expr(value)?;
                    self.locals.push((ident.clone(), value));
                }
            }
        }
        Ok(Some(match body {
            Body::Tree(block) => self.block(block)?,
            Body::Endpoint { endpoint, .. } => self.endpoint(endpoint)?,
            Body::Error { message, .. } => Outcome::Error(self.string(message)?),
        }))
    }

    fn endpoint(&mut self, endpoint: &Endpoint) -> Eval<Outcome> {
        let url = self.string(&endpoint.url)?;
        let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (name, value) in &endpoint.headers {
            let value = self.string(value)?;
            headers.entry(name.clone()).or_default().push(value);
        }
        let mut properties = BTreeMap::new();
        for (name, value) in &endpoint.properties {
            let value = self.property(value)?;
            properties.insert(name.clone(), value);
        }
        Ok(Outcome::Endpoint {
            url,
            headers,
            properties,
        })
    }

    fn property(&mut self, property: &Property) -> Eval<Document> {
        Ok(match property {
            Property::Str(e) => Document::String(self.string(e)?),
            Property::Bool(e) => match self.expr(e)? {
                Value::Bool(b) => Document::Bool(b),
                _ => return Err(Undetermined),
            },
            Property::StrArray(e) => match self.expr(e)? {
                Value::Array(items) => {
                    Document::Array(items.into_iter().map(Document::String).collect())
                }
                _ => return Err(Undetermined),
            },
            Property::Constant(d) => canonical(d),
            Property::Array(items) => Document::Array(
                items
                    .iter()
                    .map(|item| self.property(item))
                    .collect::<Eval<_>>()?,
            ),
            Property::Object(members) => {
                let mut sorted = BTreeMap::new();
                for (key, value) in members {
                    sorted.insert(key.clone(), self.property(value)?);
                }
                Document::Object(sorted.into_iter().collect())
            }
        })
    }

    fn string(&mut self, e: &Expr) -> Eval<String> {
        match self.expr(e)? {
            Value::Str(s) => Ok(s),
            _ => Err(Undetermined),
        }
    }

    fn bool_expr(&mut self, b: &BoolExpr) -> Eval<bool> {
        Ok(match b {
            BoolExpr::Const(b) => *b,
            BoolExpr::Atom { expr, negated } => match self.expr(expr)? {
                Value::Bool(b) => b != *negated,
                _ => return Err(Undetermined),
            },
            BoolExpr::IsSome { expr, negated } => match self.expr(expr)? {
                Value::Opt(o) => o.is_some() != *negated,
                _ => return Err(Undetermined),
            },
            BoolExpr::Eq { lhs, rhs, negated } => {
                (self.expr(lhs)? == self.expr(rhs)?) != *negated
            }
        })
    }

    fn expr(&mut self, e: &Expr) -> Eval<Value> {
        Ok(match e {
            Expr::Str(s) => Value::Str(s.clone()),
            Expr::Int(i) => Value::Int(*i),
            Expr::True => Value::Bool(true),
            Expr::SomeTrue => Value::Opt(Some(Box::new(Value::Bool(true)))),
            Expr::Param { field, access } => {
                let (plain, value) = self.params.get(field).cloned().ok_or(Undetermined)?;
                match (access, plain) {
                    (Access::Plain, false) | (Access::AsDeref, _) => {
                        Value::Opt(value.map(Box::new))
                    }
                    _ => value.ok_or(Undetermined)?,
                }
            }
            Expr::Local(ident) => self
                .locals
                .iter()
                .rev()
                .find(|(name, _)| name == ident)
                .map(|(_, value)| value.clone())
                .ok_or(Undetermined)?,
            Expr::AsStr(e) | Expr::Borrow(e) | Expr::ToOwned(e) | Expr::Paren(e) => {
                self.expr(e)?
            }
            Expr::Concat(pieces) => {
                let mut out = String::new();
                for piece in pieces {
                    out.push_str(&self.string(piece)?);
                }
                Value::Str(out)
            }
            Expr::Attr { target, method } => {
                let target = self.expr(target)?;
                self.attribute(target, method)?
            }
            Expr::Element { target, index } => match self.expr(target)? {
                Value::Array(items) => {
                    Value::Opt(items.get(*index).cloned().map(|s| Box::new(Value::Str(s))))
                }
                _ => return Err(Undetermined),
            },
            Expr::Call(func, args) => {
                let args = args
                    .iter()
                    .map(|a| self.expr(a))
                    .collect::<Eval<Vec<_>>>()?;
                self.call(*func, args)?
            }
            Expr::Bool(b) => Value::Bool(self.bool_expr(b)?),
        })
    }

    fn attribute(&mut self, target: Value, method: &'static str) -> Eval<Value> {
        Ok(match target {
            Value::Partition(facts) => match method {
                "name" => Value::Str(facts.name.clone()),
                "dns_suffix" => Value::Str(facts.dns_suffix.clone()),
                "dual_stack_dns_suffix" => Value::Str(facts.dual_stack_dns_suffix.clone()),
                "implicit_global_region" => Value::Str(facts.implicit_global_region.clone()),
                "supports_fips" | "supports_dual_stack" => {
                    let value = if method == "supports_fips" {
                        facts.supports_fips
                    } else {
                        facts.supports_dual_stack
                    };
                    let fact = (facts.name.clone(), method);
                    let flipped = self.flipped.contains(&fact);
                    if !self.read.contains(&fact) {
                        self.read.push(fact);
                    }
                    Value::Bool(value != flipped)
                }
                _ => return Err(Undetermined),
            },
            Value::Arn(arn) => match method {
                "partition" => Value::Str(arn.partition().to_owned()),
                "service" => Value::Str(arn.service().to_owned()),
                "region" => Value::Str(arn.region().to_owned()),
                "account_id" => Value::Str(arn.account_id().to_owned()),
                "resource_id" => Value::Array(arn.resource_id().to_vec()),
                _ => return Err(Undetermined),
            },
            _ => return Err(Undetermined),
        })
    }

    fn call(&mut self, func: Func, args: Vec<Value>) -> Eval<Value> {
        let text = |index: usize| match args.get(index) {
            Some(Value::Str(s)) => Ok(s.as_str()),
            _ => Err(Undetermined),
        };
        Ok(match func {
            Func::Substring => {
                let (input, start, stop, reverse) = match (&args[..], text(0)?) {
                    ([_, Value::Int(start), Value::Int(stop), Value::Bool(reverse)], input) => {
                        (input, *start, *stop, *reverse)
                    }
                    _ => return Err(Undetermined),
                };
                let (start, stop) = (
                    usize::try_from(start).map_err(|_| Undetermined)?,
                    usize::try_from(stop).map_err(|_| Undetermined)?,
                );
                Value::Opt(
                    substring(input, start, stop, reverse)
                        .map(|s| Box::new(Value::Str(s.to_owned()))),
                )
            }
            Func::UriEncode => Value::Str(percent::encode(text(0)?)),
            Func::IsValidHostLabel => match args.get(1) {
                Some(Value::Bool(allow_dots)) => {
                    Value::Bool(is_valid_host_label(text(0)?, *allow_dots))
                }
                _ => return Err(Undetermined),
            },
            Func::Partition => {
                let region = text(0)?;
                let facts = self.table.partition(region).clone();
                let lookup = (facts.name.clone(), region.to_owned());
                if !self.looked_up.contains(&lookup) {
                    self.looked_up.push(lookup);
                }
                Value::Opt(Some(Box::new(Value::Partition(facts))))
            }
            Func::ParseArn => Value::Opt(parse_arn(text(0)?).map(|a| Box::new(Value::Arn(a)))),
            // Not evaluated here: the case is kept as written.
            Func::ParseUrl => return Err(Undetermined),
        })
    }
}

/// `d` with every object's members sorted by key (the runtime's documents
/// are ordered maps).
pub(super) fn canonical(d: &Document) -> Document {
    match d {
        Document::Array(items) => Document::Array(items.iter().map(canonical).collect()),
        Document::Object(members) => {
            let sorted: BTreeMap<&String, Document> =
                members.iter().map(|(k, v)| (k, canonical(v))).collect();
            Document::Object(sorted.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        other => other.clone(),
    }
}

