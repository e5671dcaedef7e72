//! Type-checks a parsed rule set into a [`typed::RuleSet`](super::typed).
//!
//! Shape of what `resolve` becomes: one function; each rule is its
//! conditions wrapped around its body, innermost last. A condition becomes
//! `if <bool>` (consecutive ones joined with `&&`),
//! `if let Some(x) = <option>` when a later condition or the body uses the
//! bound value, or `let x = <value>;` for a value that cannot fail. Every body ends in
//! `return`, so a failed condition falls through to the next rule, and a
//! tree's rules are followed by its exhaustion error. Bindings are only kept
//! when used (tracked per binding while checking the inner rules first),
//! which keeps the output free of unused-variable warnings.

use std::collections::{BTreeMap, BTreeSet};

use super::ast::{self, Call, EndpointDef, Property, Rule, RuleKind, TemplatePart};
use super::typed::{self, Access, BoolExpr, Expr, Func};
use super::values::{
    attribute, attribute_names, expect, index_literal, may_be_unset, parse_path, LitVal, PathPart,
    Ty, Val,
};
use super::{EndpointRulesError, SUPPORTED_FUNCTIONS};
use crate::naming::Ident;

type Result<T> = std::result::Result<T, EndpointRulesError>;

/// A value visible to a condition or body.
#[derive(Clone)]
struct Var {
    ty: Ty,
    optional: bool,
    kind: VarKind,
}

#[derive(Clone)]
enum VarKind {
    /// Read from `params` each time (a parameter not narrowed by `isSet`).
    Param { field: Ident, has_value: bool },
    /// A local binding; `owned` for a `String` (read as `x.as_str()`).
    Local {
        ident: Ident,
        binding: usize,
        owned: bool,
    },
}

type Scope = BTreeMap<String, Var>;

/// How one condition wraps the code after it, before unused bindings are
/// dropped.
enum Wrapper {
    /// Always holds and binds nothing used later.
    Always,
    /// Never holds: the rule is dead.
    Never,
    If {
        cond: BoolExpr,
        /// `assign` of a boolean condition: the value is `true` inside.
        bind_true: Option<(usize, Ident)>,
    },
    IfLet {
        value: Expr,
        ident: Ident,
        binding: usize,
        /// The `Option` to test when the binding turns out unused.
        is_some: Expr,
    },
    Let {
        value: Expr,
        ident: Ident,
        binding: usize,
    },
}

pub(super) struct Checker<'a> {
    /// The identifier of each parameter and assigned name.
    names: &'a BTreeMap<String, Ident>,
    next_binding: usize,
    used: BTreeSet<usize>,
    params_used: bool,
}

/// Checks the rules of `rule_set`; `names` has an identifier for every
/// parameter and every `assign`.
pub(super) fn check_rules(
    rule_set: &ast::RuleSet,
    params: &[typed::Param],
    names: &BTreeMap<String, Ident>,
) -> Result<(Vec<typed::RequiredCheck>, bool, typed::Block)> {
    let mut checker = Checker {
        names,
        next_binding: 0,
        used: BTreeSet::new(),
        params_used: false,
    };
    let mut scope = Scope::new();
    let mut required = Vec::new();
    for (param, typed_param) in rule_set.params.iter().zip(params) {
        let field = typed_param.field.clone();
        let ty = Ty::of_param(param.ty);
        let var = if param.required && !param.has_value() {
            // Checked once up front; the rules then see a plain value.
            let binding = checker.new_binding();
            required.push((param, field.clone(), binding));
            Var {
                ty,
                optional: false,
                kind: VarKind::Local {
                    ident: field,
                    binding,
                    owned: false,
                },
            }
        } else {
            Var {
                ty,
                optional: !param.has_value(),
                kind: VarKind::Param {
                    field,
                    has_value: param.has_value(),
                },
            }
        };
        scope.insert(param.name.clone(), var);
    }
    let rules = checker.rules(&rule_set.rules, &scope, true, "endpointRuleSet.rules")?;
    let required = required
        .into_iter()
        .map(|(param, field, binding)| {
            checker.params_used = true;
            typed::RequiredCheck {
                name: param.name.clone(),
                field,
                ty: param.ty,
                bound: checker.used.contains(&binding),
            }
        })
        .collect();
    Ok((required, checker.params_used, rules))
}

impl Checker<'_> {
    fn new_binding(&mut self) -> usize {
        self.next_binding += 1;
        self.next_binding
    }

    fn local(&self, name: &str) -> Ident {
        match self.names.get(name) {
            Some(ident) => ident.clone(),
            // Every name is registered up front; keep going with a fresh
            // spelling rather than failing if one ever is not.
            None => crate::naming::snake_case(name),
        }
    }

    /// `rules` in order; they always end by returning (or, with `tail`, by
    /// the function's tail expression).
    fn rules(
        &mut self,
        rules: &[Rule],
        scope: &Scope,
        tail: bool,
        location: &str,
    ) -> Result<typed::Block> {
        let mut out = Vec::new();
        let mut terminated = false;
        for rule in rules {
            // Rules after one that always matches are unreachable; they are still
            // checked so their mistakes are reported.
            let checked = self.rule(rule, scope, tail && !terminated)?;
            if terminated {
                continue;
            }
            if let Some((rule, always)) = checked {
                out.push(rule);
                terminated = always;
            }
        }
        Ok(typed::Block {
            rules: out,
            exhausted: (!terminated).then(|| {
                format!(
                    "No endpoint rule matched these parameters (all rules of {location} failed)"
                )
            }),
            tail,
        })
    }

    /// The rule and whether it always matches; `None` if it never can.
    fn rule(
        &mut self,
        rule: &Rule,
        scope: &Scope,
        tail: bool,
    ) -> Result<Option<(typed::Rule, bool)>> {
        let mut scope = scope.clone();
        let mut wrappers = Vec::with_capacity(rule.conditions.len());
        for condition in &rule.conditions {
            // A function given an unset optional parameter makes its condition
            // false (the rules engine's evaluation of unset arguments): guard
            // each such parameter with an implicit `isSet` first.
            for name in unset_arguments(&condition.expr, &scope) {
                let guard = ast::Condition {
                    location: condition.location.clone(),
                    expr: ast::Expr::Call(Call {
                        name: "isSet".to_owned(),
                        args: vec![ast::Expr::Ref(name)],
                    }),
                    assign: None,
                };
                wrappers.push(self.condition(&guard, &mut scope)?);
            }
            wrappers.push(self.condition(condition, &mut scope)?);
        }
        let always = wrappers
            .iter()
            .all(|w| matches!(w, Wrapper::Always | Wrapper::Let { .. }));
        let body = self.body(&rule.kind, &scope, tail && always, &rule.location)?;
        if wrappers.iter().any(|w| matches!(w, Wrapper::Never)) {
            return Ok(None);
        }

        let mut conditions = Vec::new();
        for wrapper in wrappers {
            match wrapper {
                Wrapper::Always | Wrapper::Never => {}
                Wrapper::If { cond, bind_true } => {
                    conditions.push(typed::Condition::If(cond));
                    if let Some((binding, ident)) = bind_true {
                        if self.used.contains(&binding) {
                            conditions.push(typed::Condition::Let(ident, Expr::True));
                        }
                    }
                }
                Wrapper::IfLet {
                    value,
                    ident,
                    binding,
                    is_some,
                } => conditions.push(if self.used.contains(&binding) {
                    typed::Condition::IfLet(ident, value)
                } else {
                    typed::Condition::If(BoolExpr::IsSome {
                        expr: is_some,
                        negated: false,
                    })
                }),
                Wrapper::Let {
                    value,
                    ident,
                    binding,
                } => {
                    if self.used.contains(&binding) {
                        conditions.push(typed::Condition::Let(ident, value));
                    }
                }
            }
        }
        Ok(Some((typed::Rule { conditions, body }, always)))
    }

    fn body(
        &mut self,
        kind: &RuleKind,
        scope: &Scope,
        tail: bool,
        location: &str,
    ) -> Result<typed::Body> {
        Ok(match kind {
            RuleKind::Tree(rules) => {
                typed::Body::Tree(self.rules(rules, scope, tail, &format!("{location}.rules"))?)
            }
            RuleKind::Endpoint(endpoint) => typed::Body::Endpoint {
                endpoint: self.endpoint(endpoint, scope, location)?,
                tail,
            },
            RuleKind::Error(message) => {
                let message_location = format!("{location}.error");
                let message = self.expr(message, scope, &message_location)?;
                expect(&message, Ty::Str, &message_location, "an error message")?;
                // `Cow<'static, str>`: literals and `String`s go in as they are.
                let message = if message.owned || message.literal.is_some() {
                    message.expr
                } else {
                    Expr::ToOwned(Box::new(message.expr))
                };
                typed::Body::Error { message, tail }
            }
        })
    }

    fn endpoint(
        &mut self,
        endpoint: &EndpointDef,
        scope: &Scope,
        location: &str,
    ) -> Result<typed::Endpoint> {
        let url_location = format!("{location}.endpoint.url");
        let url = self.expr(&endpoint.url, scope, &url_location)?;
        expect(&url, Ty::Str, &url_location, "an endpoint URL")?;
        let mut headers = Vec::new();
        for (name, values) in &endpoint.headers {
            for (index, value) in values.iter().enumerate() {
                let value_location = format!("{location}.endpoint.headers.{name}[{index}]");
                let value = self.expr(value, scope, &value_location)?;
                expect(&value, Ty::Str, &value_location, "a header value")?;
                headers.push((name.clone(), value.expr));
            }
        }
        let mut properties = Vec::new();
        for (name, property) in &endpoint.properties {
            let value = self.property(
                property,
                scope,
                &format!("{location}.endpoint.properties.{name}"),
            )?;
            properties.push((name.clone(), value));
        }
        Ok(typed::Endpoint {
            url: url.expr,
            headers,
            properties,
        })
    }

    /// A property value, as a `Document`.
    fn property(
        &mut self,
        property: &Property,
        scope: &Scope,
        location: &str,
    ) -> Result<typed::Property> {
        Ok(match property {
            Property::Template(parts) => {
                typed::Property::Str(self.template(parts, scope, location)?.expr)
            }
            Property::Bool(b) => typed::Property::Constant(crate::ir::Document::Bool(*b)),
            Property::Number(n) => {
                let value = serde_json::Value::Number(n.clone());
                match crate::ir::Document::from_json(&value) {
                    Some(number) => typed::Property::Constant(number),
                    None => {
                        return Err(EndpointRulesError::invalid(
                            location,
                            format!("number {n} is not representable"),
                        ))
                    }
                }
            }
            Property::Array(items) => typed::Property::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(index, item)| {
                        self.property(item, scope, &format!("{location}[{index}]"))
                    })
                    .collect::<Result<Vec<_>>>()?,
            ),
            Property::Object(members) => {
                let mut entries = Vec::new();
                for (key, item) in members {
                    entries.push((
                        key.clone(),
                        self.property(item, scope, &format!("{location}.{key}"))?,
                    ));
                }
                typed::Property::Object(entries)
            }
            Property::Expr(expr) => {
                let value = self.expr(expr, scope, location)?;
                if value.optional {
                    return Err(may_be_unset(location, "a property value"));
                }
                match value.ty {
                    Ty::Str => typed::Property::Str(value.expr),
                    Ty::Bool => typed::Property::Bool(value.expr),
                    Ty::StrArray => typed::Property::StrArray(value.expr),
                    other => {
                        return Err(EndpointRulesError::invalid(
                            location,
                            format!("a property value cannot be {}", other.describe()),
                        ))
                    }
                }
            }
        })
    }

    fn condition(&mut self, condition: &ast::Condition, scope: &mut Scope) -> Result<Wrapper> {
        let location = condition.location.as_str();
        // `isSet(Param)` proves the parameter set for the rest of the rule: bind it.
        let narrowed = match &condition.expr {
            ast::Expr::Call(Call { name, args }) if name == "isSet" => match args.as_slice() {
                [ast::Expr::Ref(param)] => Some(param),
                _ => None,
            },
            _ => None,
        };
        if let Some(name) = narrowed {
            if let Some(Var {
                ty,
                optional: true,
                kind: VarKind::Param { field, .. },
            }) = scope.get(name).cloned()
            {
                if condition.assign.is_some() {
                    return Err(EndpointRulesError::invalid(
                        location,
                        "`assign` on `isSet` is not supported",
                    ));
                }
                self.params_used = true;
                let binding = self.new_binding();
                let access = match ty {
                    Ty::Str | Ty::StrArray => Access::AsDeref,
                    _ => Access::Plain,
                };
                scope.insert(
                    name.clone(),
                    Var {
                        ty,
                        optional: false,
                        kind: VarKind::Local {
                            ident: field.clone(),
                            binding,
                            owned: false,
                        },
                    },
                );
                return Ok(Wrapper::IfLet {
                    value: Expr::Param {
                        field: field.clone(),
                        access,
                    },
                    ident: field.clone(),
                    binding,
                    is_some: Expr::Param {
                        field,
                        access: Access::Plain,
                    },
                });
            }
        }

        let value = self.expr(&condition.expr, scope, location)?;
        let binding = match &condition.assign {
            None => None,
            Some(name) => {
                if scope.contains_key(name) {
                    return Err(EndpointRulesError::invalid(
                        location,
                        format!("`assign: {name}` would shadow a parameter or a value assigned by an enclosing condition"),
                    ));
                }
                Some((name.clone(), self.new_binding(), self.local(name)))
            }
        };
        let mut bind = |ty: Ty, owned: bool| {
            binding.clone().map(|(name, binding, ident)| {
                scope.insert(
                    name,
                    Var {
                        ty,
                        optional: false,
                        kind: VarKind::Local {
                            ident: ident.clone(),
                            binding,
                            owned,
                        },
                    },
                );
                (binding, ident)
            })
        };
        Ok(match (value.ty, value.optional) {
            (Ty::Bool, false) => {
                let cond = value.bool_expr();
                let bind_true = bind(Ty::Bool, false);
                match (cond, bind_true) {
                    (BoolExpr::Const(false), _) => Wrapper::Never,
                    (BoolExpr::Const(true), None) => Wrapper::Always,
                    (BoolExpr::Const(true), Some((binding, ident))) => Wrapper::Let {
                        value: Expr::True,
                        ident,
                        binding,
                    },
                    (cond, bind_true) => Wrapper::If { cond, bind_true },
                }
            }
            // An optional boolean holds when it is set and true.
            (Ty::Bool, true) => Wrapper::If {
                cond: BoolExpr::Eq {
                    lhs: value.expr,
                    rhs: Expr::SomeTrue,
                    negated: false,
                },
                bind_true: bind(Ty::Bool, false),
            },
            (ty, true) => match bind(ty, value.owned) {
                Some((binding, ident)) => Wrapper::IfLet {
                    value: value.expr.clone(),
                    ident,
                    binding,
                    is_some: value.expr,
                },
                None => Wrapper::If {
                    cond: BoolExpr::IsSome {
                        expr: value.expr,
                        negated: false,
                    },
                    bind_true: None,
                },
            },
            // A value that is always present: the condition always holds.
            (ty, false) => match bind(ty, value.owned) {
                Some((binding, ident)) => Wrapper::Let {
                    value: value.expr,
                    ident,
                    binding,
                },
                None => Wrapper::Always,
            },
        })
    }

    fn expr(&mut self, expr: &ast::Expr, scope: &Scope, location: &str) -> Result<Val> {
        match expr {
            ast::Expr::Template(parts) => self.template(parts, scope, location),
            ast::Expr::Bool(b) => Ok(Val::boolean(BoolExpr::Const(*b))),
            ast::Expr::Int(i) => Ok(Val {
                literal: Some(LitVal::Int(*i)),
                ..Val::new(Ty::Int, false, Expr::Int(*i))
            }),
            ast::Expr::Ref(name) => self.reference(name, scope, location),
            ast::Expr::GetAttr { target, path } => self.get_attr(target, path, scope, location),
            ast::Expr::Call(call) => self.call(call, scope, location),
        }
    }

    fn reference(&mut self, name: &str, scope: &Scope, location: &str) -> Result<Val> {
        let var = scope.get(name).ok_or_else(|| {
            EndpointRulesError::invalid(
                location,
                format!("`{name}` is neither a parameter nor a value assigned by an enclosing condition"),
            )
        })?;
        Ok(match &var.kind {
            VarKind::Param { field, has_value } => {
                self.params_used = true;
                let access = match (var.ty, has_value) {
                    (Ty::Str, true) => Access::AsStr,
                    (Ty::StrArray, true) => Access::AsSlice,
                    (Ty::Str | Ty::StrArray, false) => Access::AsDeref,
                    _ => Access::Plain,
                };
                Val::new(
                    var.ty,
                    var.optional,
                    Expr::Param {
                        field: field.clone(),
                        access,
                    },
                )
            }
            VarKind::Local {
                ident,
                binding,
                owned,
            } => {
                self.used.insert(*binding);
                let local = Expr::Local(ident.clone());
                let expr = if *owned {
                    Expr::AsStr(Box::new(local))
                } else {
                    local
                };
                Val::new(var.ty, var.optional, expr)
            }
        })
    }

    fn template(&mut self, parts: &[TemplatePart], scope: &Scope, location: &str) -> Result<Val> {
        match parts {
            [TemplatePart::Literal(text)] => return Ok(Val::str_literal(text)),
            [TemplatePart::Expr(expr)] => {
                let value = self.expr(expr, scope, location)?;
                expect(&value, Ty::Str, location, "a template value")?;
                return Ok(value);
            }
            _ => {}
        }
        // `[..].concat()` sizes the result once and copies each piece: cheaper
        // per request than `format!`, and literals need no brace escaping.
        let mut pieces = Vec::with_capacity(parts.len());
        for part in parts {
            match part {
                TemplatePart::Literal(text) => pieces.push(Expr::Str(text.clone())),
                TemplatePart::Expr(expr) => {
                    let value = self.expr(expr, scope, location)?;
                    expect(&value, Ty::Str, location, "a template value")?;
                    pieces.push(value.str_arg());
                }
            }
        }
        Ok(Val::owned_str(Expr::Concat(pieces)))
    }

    fn get_attr(
        &mut self,
        target: &ast::Expr,
        path: &str,
        scope: &Scope,
        location: &str,
    ) -> Result<Val> {
        let mut value = self.expr(target, scope, location)?;
        if value.optional {
            return Err(may_be_unset(location, "the target of `getAttr`"));
        }
        let parts = parse_path(path).map_err(|message| {
            EndpointRulesError::invalid(location, format!("getAttr path `{path}`: {message}"))
        })?;
        for part in parts {
            value = match part {
                PathPart::Key(key) => {
                    let (method, ty) = attribute(value.ty, &key).ok_or_else(|| {
                        EndpointRulesError::invalid(
                            location,
                            format!(
                                "getAttr path `{path}`: {} has no attribute `{key}` (it has: {})",
                                value.ty.describe(),
                                attribute_names(value.ty)
                            ),
                        )
                    })?;
                    Val::new(
                        ty,
                        false,
                        Expr::Attr {
                            target: Box::new(value.expr),
                            method,
                        },
                    )
                }
                PathPart::Index(index) => {
                    if value.ty != Ty::StrArray {
                        return Err(EndpointRulesError::invalid(
                            location,
                            format!(
                                "getAttr path `{path}`: cannot index {}",
                                value.ty.describe()
                            ),
                        ));
                    }
                    Val::new(
                        Ty::Str,
                        true,
                        Expr::Element {
                            target: Box::new(value.expr),
                            index,
                        },
                    )
                }
            };
        }
        Ok(value)
    }

    fn call(&mut self, call: &Call, scope: &Scope, location: &str) -> Result<Val> {
        let name = call.name.as_str();
        let arity = match name {
            "isSet" | "not" | "uriEncode" | "parseURL" | "aws.partition" | "aws.parseArn" => 1,
            "booleanEquals" | "stringEquals" | "isValidHostLabel" => 2,
            "substring" => 4,
            _ => {
                return Err(EndpointRulesError::UnknownFunction {
                    location: location.to_owned(),
                    name: name.to_owned(),
                    supported: SUPPORTED_FUNCTIONS,
                })
            }
        };
        if call.args.len() != arity {
            return Err(EndpointRulesError::invalid(
                location,
                format!(
                    "`{name}` takes {arity} argument(s), found {}",
                    call.args.len()
                ),
            ));
        }
        let mut args = Vec::with_capacity(arity);
        for (index, arg) in call.args.iter().enumerate() {
            args.push(self.expr(arg, scope, &format!("{location}.argv[{index}]"))?);
        }
        let arg = |index: usize, ty: Ty| -> Result<&Val> {
            let value = &args[index];
            let what = format!("argument {} of `{name}`", index + 1);
            expect(value, ty, location, &what)?;
            Ok(value)
        };
        let call = |func: Func, args: Vec<Expr>| Expr::Call(func, args);
        Ok(match name {
            "isSet" => {
                let value = &args[0];
                if value.optional {
                    // `params.x.is_some()` reads better than `params.x.as_deref().is_some()`.
                    let expr = match value.expr.clone() {
                        Expr::Param { field, .. } => Expr::Param {
                            field,
                            access: Access::Plain,
                        },
                        other => other,
                    };
                    Val::boolean(BoolExpr::IsSome {
                        expr,
                        negated: false,
                    })
                } else {
                    Val::boolean(BoolExpr::Const(true))
                }
            }
            "not" => Val::boolean(arg(0, Ty::Bool)?.bool_expr().negate()),
            "booleanEquals" => {
                let (a, b) = (arg(0, Ty::Bool)?.bool_expr(), arg(1, Ty::Bool)?.bool_expr());
                Val::boolean(match (a, b) {
                    (BoolExpr::Const(x), BoolExpr::Const(y)) => BoolExpr::Const(x == y),
                    (BoolExpr::Const(true), other) | (other, BoolExpr::Const(true)) => other,
                    (BoolExpr::Const(false), other) | (other, BoolExpr::Const(false)) => {
                        other.negate()
                    }
                    (a, b) => BoolExpr::Eq {
                        lhs: a.operand(),
                        rhs: b.operand(),
                        negated: false,
                    },
                })
            }
            "stringEquals" => {
                let (a, b) = (arg(0, Ty::Str)?, arg(1, Ty::Str)?);
                Val::boolean(match (&a.literal, &b.literal) {
                    (Some(x), Some(y)) => BoolExpr::Const(x == y),
                    _ => BoolExpr::Eq {
                        lhs: a.expr.clone(),
                        rhs: b.expr.clone(),
                        negated: false,
                    },
                })
            }
            "substring" => {
                let input = arg(0, Ty::Str)?.str_arg();
                let start = index_literal(arg(1, Ty::Int)?, location, "start")?;
                let stop = index_literal(arg(2, Ty::Int)?, location, "stop")?;
                let reverse = arg(3, Ty::Bool)?.bool_arg();
                Val::new(
                    Ty::Str,
                    true,
                    call(Func::Substring, vec![input, start, stop, reverse]),
                )
            }
            "uriEncode" => Val::owned_str(call(Func::UriEncode, vec![arg(0, Ty::Str)?.str_arg()])),
            "parseURL" => Val::new(
                Ty::Url,
                true,
                call(Func::ParseUrl, vec![arg(0, Ty::Str)?.str_arg()]),
            ),
            "isValidHostLabel" => {
                let input = arg(0, Ty::Str)?.str_arg();
                let allow_dots = arg(1, Ty::Bool)?.bool_arg();
                Val::boolean(BoolExpr::atom(call(
                    Func::IsValidHostLabel,
                    vec![input, allow_dots],
                )))
            }
            "aws.partition" => Val::new(
                Ty::Partition,
                true,
                call(Func::Partition, vec![arg(0, Ty::Str)?.str_arg()]),
            ),
            "aws.parseArn" => Val::new(
                Ty::Arn,
                true,
                call(Func::ParseArn, vec![arg(0, Ty::Str)?.str_arg()]),
            ),
            _ => {
                return Err(EndpointRulesError::UnknownFunction {
                    location: location.to_owned(),
                    name: name.to_owned(),
                    supported: SUPPORTED_FUNCTIONS,
                })
            }
        })
    }
}

/// Optional parameters passed directly as arguments to a function call in
/// `expr` (other than `isSet`), in order of appearance, without repeats.
fn unset_arguments(expr: &ast::Expr, scope: &Scope) -> Vec<String> {
    fn walk(expr: &ast::Expr, scope: &Scope, out: &mut Vec<String>) {
        match expr {
            ast::Expr::Call(Call { name, .. }) if name == "isSet" => {}
            ast::Expr::Call(Call { args, .. }) => {
                for arg in args {
                    match arg {
                        ast::Expr::Ref(name) => {
                            let optional_param = matches!(
                                scope.get(name.as_str()),
                                Some(Var {
                                    optional: true,
                                    kind: VarKind::Param { .. },
                                    ..
                                })
                            );
                            if optional_param && !out.contains(name) {
                                out.push(name.clone());
                            }
                        }
                        other => walk(other, scope, out),
                    }
                }
            }
            ast::Expr::GetAttr { target, .. } => walk(target, scope, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(expr, scope, &mut out);
    out
}

