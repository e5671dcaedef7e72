//! `smithy.waiters#waitable` → typed waiters.
//!
//! Each acceptor's JMESPath is parsed into a [`jmespath::Expr`] and typed
//! against the operation's input and output ([`Typer`]): the whole
//! JMESPath grammar that compiles to Rust over the typed structures
//! (member access, projections, filters, flatten, slices, comparisons,
//! `&&`/`||`/`!`, literals, multi-select lists, functions), then checked
//! against the comparator: `stringEquals` needs a string, `booleanEquals` a
//! boolean, `allStringEquals` / `anyStringEquals` a list of strings. What
//! does not type is an error naming the waiter, the acceptor and the
//! expression.

use super::jmespath::{self, Expr};
use super::jmespath_typed::{JType, Kind, Truth, Typed, Typer};
use super::path::Structures;
use super::{Type, Waiter};
use crate::docs::html_to_markdown;
use crate::naming::{self, Namespace};
use serde_json::Value;

/// What an acceptor decides when it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait succeeded.
    Success,
    /// The wait failed.
    Failure,
    /// Poll again.
    Retry,
}

/// One acceptor.
#[derive(Clone, Debug)]
pub struct Acceptor {
    /// What it decides.
    pub state: AcceptorState,
    /// When it matches.
    pub matcher: Matcher,
}

/// When an acceptor matches.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// `success: true` (any output) or `success: false` (any error).
    Success(bool),
    /// An error with this code (an error shape's name).
    ErrorType(String),
    /// `output` or `inputOutput`: a comparison over a JMESPath.
    Path(Box<PathMatcher>),
}

/// An `output` or `inputOutput` matcher.
#[derive(Clone, Debug)]
pub struct PathMatcher {
    /// The JMESPath as written.
    pub text: String,
    /// The JMESPath, parsed.
    pub expr: Expr,
    /// The JMESPath, typed against the input and output.
    pub typed: Typed,
    /// How its value is compared.
    pub comparator: PathComparator,
    /// An `inputOutput` matcher: the path starts at `{input, output}`
    /// (else at the output).
    pub input_output: bool,
    /// The path reads the input.
    pub reads_input: bool,
    /// The path reads the output (an `inputOutput` path may read only the input).
    pub reads_output: bool,
}

/// What a path's value is compared with.
#[derive(Clone, Debug, PartialEq)]
pub enum PathComparator {
    /// A string equal to this.
    StringEquals(String),
    /// A boolean equal to this.
    BooleanEquals(bool),
    /// A non-empty list whose every element is a string equal to this.
    AllStringEquals(String),
    /// A list with an element equal to this.
    AnyStringEquals(String),
}

/// Where a path starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// The operation's input.
    Input,
    /// The operation's output.
    Output,
}

/// What a successful wait returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaiterReturns {
    /// Every success acceptor matches an output: the output.
    Output,
    /// Every success acceptor matches an error: nothing.
    Nothing,
    /// Both: the final response.
    Response,
}

/// The context of one operation's waiters.
pub(super) struct Waiters<'a> {
    /// The operation's model name, for messages.
    pub operation: &'a str,
    pub structures: Structures<'a>,
    pub input: &'a Type,
    pub output: &'a Type,
}

impl Waiters<'_> {
    /// The waiters of the trait value `raw`, in model order; errors are
    /// `(JSON path in the trait value, message)`.
    pub fn parse(
        &self,
        raw: &Value,
        client_methods: &mut Namespace,
        types: &mut Namespace,
        functions: &mut Namespace,
    ) -> Result<Vec<Waiter>, (String, String)> {
        let map = raw
            .as_object()
            .ok_or_else(|| (String::new(), "must be an object of waiters".to_owned()))?;
        let mut out = Vec::new();
        for (name, w) in map {
            let at = |path: &str| {
                if path.is_empty() {
                    name.clone()
                } else {
                    format!("{name}.{path}")
                }
            };
            let bad = |path: &str, message: String| {
                (
                    at(path),
                    format!("waiter `{name}` of operation `{}`: {message}", self.operation),
                )
            };
            let delay = |key: &str, default: u64| match w.get(key) {
                None => Ok(default),
                Some(v) => v.as_u64().filter(|v| *v >= 1).ok_or_else(|| {
                    bad(key, format!("{key} must be a positive integer, not {v}"))
                }),
            };
            let min_delay = delay("minDelay", 2)?;
            let max_delay = delay("maxDelay", 120)?;
            if max_delay < min_delay {
                return Err(bad(
                    "maxDelay",
                    format!("maxDelay {max_delay} is below minDelay {min_delay}"),
                ));
            }
            let raw_acceptors = w
                .get("acceptors")
                .and_then(Value::as_array)
                .filter(|a| !a.is_empty())
                .ok_or_else(|| bad("acceptors", "needs a non-empty `acceptors` list".to_owned()))?;
            let mut acceptors = Vec::with_capacity(raw_acceptors.len());
            for (i, a) in raw_acceptors.iter().enumerate() {
                let path = format!("acceptors[{i}]");
                acceptors.push(
                    self.acceptor(a)
                        .map_err(|(p, m)| bad(&format!("{path}{p}"), m))?,
                );
            }
            let success: Vec<bool> = acceptors
                .iter()
                .filter(|a| a.state == AcceptorState::Success)
                .map(|a| !matches!(a.matcher, Matcher::ErrorType(_) | Matcher::Success(false)))
                .collect();
            let returns = if !success.is_empty() && success.iter().all(|o| *o) {
                WaiterReturns::Output
            } else if !success.is_empty() && success.iter().all(|o| !*o) {
                WaiterReturns::Nothing
            } else {
                WaiterReturns::Response
            };
            let reads_input = acceptors
                .iter()
                .any(|a| matches!(&a.matcher, Matcher::Path(p) if p.reads_input));
            let snake = naming::snake_case(name);
            let camel = naming::camel_case(name);
            let builder = types.claim(camel.suffixed("Waiter"));
            out.push(Waiter {
                method: client_methods.claim(snake.prefixed("wait_until_")),
                handle: types.claim(builder.suffixed("Handle")),
                builder,
                acceptors_fn: functions.claim(snake.suffixed("_acceptors")),
                docs: w
                    .get("documentation")
                    .and_then(Value::as_str)
                    .map(html_to_markdown)
                    .filter(|d| !d.is_empty()),
                deprecated: w.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
                name: name.clone(),
                min_delay,
                max_delay,
                acceptors,
                returns,
                reads_input,
            });
        }
        Ok(out)
    }

    /// One acceptor; errors are `(path below the acceptor, message)`.
    fn acceptor(&self, acceptor: &Value) -> Result<super::Acceptor, (String, String)> {
        let state = match acceptor.get("state").and_then(Value::as_str) {
            Some("success") => AcceptorState::Success,
            Some("failure") => AcceptorState::Failure,
            Some("retry") => AcceptorState::Retry,
            _ => {
                return Err((
                    ".state".to_owned(),
                    format!("acceptor {acceptor} needs a state: success, failure or retry"),
                ))
            }
        };
        let matcher = acceptor
            .get("matcher")
            .and_then(Value::as_object)
            .filter(|m| m.len() == 1)
            .and_then(|m| m.iter().next())
            .ok_or_else(|| {
                (
                    ".matcher".to_owned(),
                    format!("acceptor {acceptor} needs a matcher with exactly one member"),
                )
            })?;
        let (kind, value) = matcher;
        let at = |p: &str| format!(".matcher.{kind}{p}");
        let matcher = match kind.as_str() {
            "success" => match value.as_bool() {
                Some(b) => Matcher::Success(b),
                None => {
                    return Err((
                        at(""),
                        format!("matcher `success` must be a boolean, not {value}"),
                    ))
                }
            },
            "errorType" => {
                let code = value.as_str().ok_or_else(|| {
                    (
                        at(""),
                        format!("matcher `errorType` must be a string, not {value}"),
                    )
                })?;
                // An absolute shape ID names the error by its shape name.
                Matcher::ErrorType(code.rsplit('#').next().unwrap_or(code).to_owned())
            }
            "output" | "inputOutput" => {
                let get = |key: &str| {
                    value.get(key).and_then(Value::as_str).ok_or_else(|| {
                        (
                            at(&format!(".{key}")),
                            format!("matcher `{kind}` needs a string `{key}`"),
                        )
                    })
                };
                let (path, expected, comparator) =
                    (get("path")?, get("expected")?, get("comparator")?);
                let problem = |m: String| {
                    (
                        at(".path"),
                        format!(
                            "JMESPath `{}` ({comparator} \"{expected}\"): {m}",
                            excerpt(path)
                        ),
                    )
                };
                let expr = jmespath::parse(path).map_err(|e| problem(e.to_string()))?;
                let input_output = kind == "inputOutput";
                let typer = Typer {
                    structures: &self.structures,
                    input: self.input,
                    output: self.output,
                };
                let typed = typer.path(&expr, input_output).map_err(&problem)?;
                let comparator = comparator_for(&typed.ty, comparator, expected, &self.structures)
                    .map_err(problem)?;
                let (reads_input, reads_output) = if input_output {
                    (reads(&typed, Root::Input), reads(&typed, Root::Output))
                } else {
                    (false, typed.reads_current() > 0 || reads(&typed, Root::Output))
                };
                Matcher::Path(Box::new(PathMatcher {
                    text: path.to_owned(),
                    expr,
                    typed,
                    comparator,
                    input_output,
                    reads_input,
                    reads_output,
                }))
            }
            other => return Err((at(""), format!("unknown matcher `{other}`"))),
        };
        Ok(super::Acceptor { state, matcher })
    }
}

/// `text` as a message quotes it: its first 100 characters, `…` for the rest.
fn excerpt(text: &str) -> String {
    const MAX: usize = 100;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// The comparator of a path whose value has type `ty`.
fn comparator_for(
    ty: &JType,
    comparator: &str,
    expected: &str,
    structures: &Structures<'_>,
) -> Result<PathComparator, String> {
    let strings = JType::List(Box::new(JType::String));
    let (wants, ok) = match comparator {
        "stringEquals" => ("a string", *ty == JType::String),
        "booleanEquals" => ("a boolean", *ty == JType::Bool),
        "allStringEquals" | "anyStringEquals" => ("a list of strings", *ty == strings),
        other => return Err(format!("unknown comparator `{other}`")),
    };
    if !ok {
        return Err(format!(
            "{comparator} needs {wants}, and this is {}",
            ty.describe(structures)
        ));
    }
    let expected = expected.to_owned();
    Ok(match comparator {
        "stringEquals" => PathComparator::StringEquals(expected),
        "booleanEquals" => match expected.as_str() {
            "true" => PathComparator::BooleanEquals(true),
            "false" => PathComparator::BooleanEquals(false),
            _ => return Err("booleanEquals expects \"true\" or \"false\"".to_owned()),
        },
        "allStringEquals" => PathComparator::AllStringEquals(expected),
        _ => PathComparator::AnyStringEquals(expected),
    })
}

/// Whether `typed` reads the input or output named `root`.
fn reads(typed: &Typed, root: Root) -> bool {
    fn truth(t: &Truth, root: Root) -> bool {
        match t {
            Truth::Of(v, _) => reads(v, root),
            Truth::Not(t) => truth(t, root),
            Truth::And(a, b) | Truth::Or(a, b) => truth(a, root) || truth(b, root),
        }
    }
    match &typed.kind {
        Kind::Root(r) => *r == root,
        Kind::Current
        | Kind::Field(_)
        | Kind::Index(_)
        | Kind::Slice { .. }
        | Kind::Literal(_) => false,
        Kind::Then { first: a, then: b }
        | Kind::Project { list: a, each: b }
        | Kind::Compare { lhs: a, rhs: b, .. }
        | Kind::And(a, b, _)
        | Kind::Or(a, b, _) => reads(a, root) || reads(b, root),
        Kind::Flatten(a) | Kind::Values(a) | Kind::ExpRef(a) => reads(a, root),
        Kind::Filter { test, then } => truth(test, root) || reads(then, root),
        Kind::Truth(t) => truth(t, root),
        Kind::List(items) | Kind::Call { args: items, .. } => items.iter().any(|i| reads(i, root)),
    }
}
