//! `smithy.waiters#waitable` → typed waiters.
//!
//! Each acceptor's JMESPath is parsed into a [`jmespath::Expr`] and then
//! typed against the operation's input and output. What the generator
//! compiles today: member access `a.b.c` and one list projection `a[].b`
//! (the forms published waiters use most), compared with `stringEquals`,
//! `booleanEquals`, `allStringEquals` or `anyStringEquals`. Anything else is
//! an error naming the waiter, the acceptor and the expression.

use super::jmespath::{self, Expr};
use super::path::{describe, Structures};
use super::{MemberPath, Type, TypeDef, Waiter};
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
    /// The comparison over what the path selects, typed.
    pub comparison: Comparison,
    /// The path reads the output (an `inputOutput` path may read only the input).
    pub reads_output: bool,
}

/// Where a path starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// The operation's input.
    Input,
    /// The operation's output.
    Output,
}

/// Members followed from the input or the output.
#[derive(Clone, Debug)]
pub struct RootedPath {
    /// Input or output.
    pub root: Root,
    /// The members.
    pub path: MemberPath,
}

/// Strings (or enum values) a path selects.
#[derive(Clone, Debug)]
pub enum Strings {
    /// The elements of a list.
    List {
        /// The list.
        list: RootedPath,
        /// The list is `@sparse`.
        sparse: bool,
    },
    /// `list[].element`: a member of each element of a list (elements where
    /// it is null are left out).
    Projection {
        /// The list.
        list: RootedPath,
        /// The list is `@sparse`.
        sparse: bool,
        /// The members from each element.
        element: MemberPath,
    },
}

/// The comparison of an acceptor: what it reads, typed, and the expected
/// value.
#[derive(Clone, Debug)]
pub enum Comparison {
    /// The selected string (or enum value) equals `expected`.
    StringEquals {
        /// A string or an enum.
        value: RootedPath,
        /// The expected value.
        expected: String,
    },
    /// The selected boolean equals `expected`.
    BooleanEquals {
        /// A boolean.
        value: RootedPath,
        /// The expected value.
        expected: bool,
    },
    /// Every selected string equals `expected` (and there is at least one).
    AllStringEquals {
        /// The strings.
        values: Strings,
        /// The expected value.
        expected: String,
    },
    /// Some selected string equals `expected`.
    AnyStringEquals {
        /// The strings.
        values: Strings,
        /// The expected value.
        expected: String,
    },
}

impl Comparison {
    fn root(&self) -> Root {
        match self {
            Comparison::StringEquals { value, .. } | Comparison::BooleanEquals { value, .. } => {
                value.root
            }
            Comparison::AllStringEquals { values, .. }
            | Comparison::AnyStringEquals { values, .. } => match values {
                Strings::List { list, .. } | Strings::Projection { list, .. } => list.root,
            },
        }
    }
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
                    format!(
                        "waiter `{name}` of operation `{}`: {message}",
                        self.operation
                    ),
                )
            };
            let delay = |key: &str, default: u64| match w.get(key) {
                None => Ok(default),
                Some(v) => v
                    .as_u64()
                    .filter(|v| *v >= 1)
                    .ok_or_else(|| bad(key, format!("{key} must be a positive integer, not {v}"))),
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
            let reads_input = acceptors.iter().any(
                |a| matches!(&a.matcher, Matcher::Path(p) if p.comparison.root() == Root::Input),
            );
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
                deprecated: w
                    .get("deprecated")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
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
                        format!("JMESPath `{path}` ({comparator} \"{expected}\"): {m}"),
                    )
                };
                let expr = jmespath::parse(path).map_err(|e| problem(e.to_string()))?;
                let comparison = self
                    .compare(kind == "inputOutput", &expr, comparator, expected)
                    .map_err(problem)?;
                Matcher::Path(Box::new(PathMatcher {
                    text: path.to_owned(),
                    reads_output: comparison.root() == Root::Output,
                    expr,
                    comparison,
                }))
            }
            other => return Err((at(""), format!("unknown matcher `{other}`"))),
        };
        Ok(super::Acceptor { state, matcher })
    }

    /// Types `expr` for `comparator`.
    fn compare(
        &self,
        input_output: bool,
        expr: &Expr,
        comparator: &str,
        expected: &str,
    ) -> Result<Comparison, String> {
        let (members, projection) = split(expr)?;
        let members: Vec<&str> = members.iter().map(String::as_str).collect();
        let (root, from, members) = if input_output {
            match members.split_first() {
                Some((&"input", rest)) => (Root::Input, self.input, rest),
                Some((&"output", rest)) => (Root::Output, self.output, rest),
                _ => {
                    return Err("an inputOutput path must start with `input` or `output`".to_owned())
                }
            }
        } else {
            (Root::Output, self.output, &members[..])
        };
        if members.is_empty() {
            return Err("the path must name a member".to_owned());
        }
        let types = self.structures.types;
        let path = RootedPath {
            root,
            path: self.structures.resolve(from, members)?,
        };
        let strings = |path: RootedPath| -> Result<Strings, String> {
            let Type::List { member, sparse } = path.path.ty().clone() else {
                return Err(match projection {
                    Some(_) => format!(
                        "`{}[]` projects {}, not a list",
                        members.join("."),
                        describe(types, path.path.ty())
                    ),
                    None => format!(
                        "{comparator} needs a list, and this is {}",
                        describe(types, path.path.ty())
                    ),
                });
            };
            match &projection {
                Some(rest) if !rest.is_empty() => {
                    if !self.structures.has_members(&member) {
                        return Err(format!(
                            "`{}` lists {}, which has no members",
                            members.join("."),
                            describe(types, &member)
                        ));
                    }
                    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
                    let element = self.structures.resolve(&member, &rest)?;
                    if !self.is_string(element.ty()) {
                        return Err(format!(
                            "{comparator} needs a string, and this is {}",
                            describe(types, element.ty())
                        ));
                    }
                    Ok(Strings::Projection {
                        list: path,
                        sparse,
                        element,
                    })
                }
                _ => {
                    if !self.is_string(&member) {
                        return Err(format!(
                            "{comparator} needs a list of strings, and this lists {}",
                            describe(types, &member)
                        ));
                    }
                    Ok(Strings::List { list: path, sparse })
                }
            }
        };
        let expected = expected.to_owned();
        match comparator {
            "allStringEquals" => Ok(Comparison::AllStringEquals {
                values: strings(path)?,
                expected,
            }),
            "anyStringEquals" => Ok(Comparison::AnyStringEquals {
                values: strings(path)?,
                expected,
            }),
            "stringEquals" | "booleanEquals" if projection.is_some() => Err(format!(
                "a projection gives a list, which {comparator} cannot compare"
            )),
            "stringEquals" => {
                if !self.is_string(path.path.ty()) {
                    return Err(format!(
                        "{comparator} needs a string, and this is {}",
                        describe(types, path.path.ty())
                    ));
                }
                Ok(Comparison::StringEquals {
                    value: path,
                    expected,
                })
            }
            "booleanEquals" => {
                let expected = match expected.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => return Err("booleanEquals expects \"true\" or \"false\"".to_owned()),
                };
                if path.path.ty() != &Type::Bool {
                    return Err(format!(
                        "{comparator} needs a boolean, and this is {}",
                        describe(types, path.path.ty())
                    ));
                }
                Ok(Comparison::BooleanEquals {
                    value: path,
                    expected,
                })
            }
            other => Err(format!("unknown comparator `{other}`")),
        }
    }

    fn is_string(&self, ty: &Type) -> bool {
        match ty {
            Type::String => true,
            Type::Named(id) => {
                matches!(self.structures.types.get(id), Some(TypeDef::Enum(e)) if !e.int)
            }
            _ => false,
        }
    }
}

/// A chain of fields (`a.b.c`).
fn fields(expr: &Expr, out: &mut Vec<String>) -> Result<(), String> {
    match expr {
        Expr::Field(name) => {
            out.push(name.clone());
            Ok(())
        }
        Expr::Subexpr(lhs, rhs) => {
            fields(lhs, out)?;
            fields(rhs, out)
        }
        other => Err(unsupported(other)),
    }
}

fn field_chain(expr: &Expr) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    fields(expr, &mut out)?;
    Ok(out)
}

/// The member access `a.b` and the optional projection `[].c.d` of a
/// supported expression.
fn split(expr: &Expr) -> Result<(Vec<String>, Option<Vec<String>>), String> {
    match expr {
        Expr::Projection { lhs, rhs } => {
            let Expr::Flatten(list) = &**lhs else {
                return Err(unsupported(expr));
            };
            let rest = match &**rhs {
                Expr::Identity => Vec::new(),
                Expr::Projection { .. } => {
                    return Err("unsupported JMESPath: more than one projection".to_owned())
                }
                other => field_chain(other)?,
            };
            Ok((field_chain(list)?, Some(rest)))
        }
        other => Ok((field_chain(other)?, None)),
    }
}

/// The message for an expression the generator cannot compile yet.
fn unsupported(expr: &Expr) -> String {
    let what = match expr {
        Expr::Function { name, .. } => format!("function `{name}`"),
        Expr::Comparison { op, .. } => format!("comparison `{}`", op.as_str()),
        Expr::Projection { rhs, .. } if matches!(**rhs, Expr::Condition { .. }) => {
            "a filter projection `[?…]`".to_owned()
        }
        Expr::Projection { .. } => "a projection other than `a[].b`".to_owned(),
        Expr::Index(_) => "an index `[n]`".to_owned(),
        Expr::Slice { .. } => "a slice".to_owned(),
        Expr::ObjectValues(_) => "a wildcard `*`".to_owned(),
        Expr::Flatten(_) => "a flatten `[]`".to_owned(),
        Expr::And(..) => "`&&`".to_owned(),
        Expr::Or(..) => "`||`".to_owned(),
        Expr::Not(_) => "`!`".to_owned(),
        Expr::Literal(_) => "a literal".to_owned(),
        Expr::MultiList(_) | Expr::MultiHash(_) => "a multi-select".to_owned(),
        Expr::Pipe(..) => "a pipe `|`".to_owned(),
        Expr::Identity => "`@`".to_owned(),
        Expr::ExpRef(_) => "an expression reference `&`".to_owned(),
        Expr::Condition { .. } => "a filter".to_owned(),
        Expr::Field(_) | Expr::Subexpr(..) => "this member access".to_owned(),
    };
    format!(
        "unsupported JMESPath: only member access (`a.b`) and one list projection (`a[].b`) are supported, not {what}"
    )
}
