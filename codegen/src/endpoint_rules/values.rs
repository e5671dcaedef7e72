//! The values the checker works with: the static types of rule-set values,
//! the attributes `getAttr` reads, a checked expression ([`Val`]), and the
//! checks every argument goes through.

use super::typed::{BoolExpr, Expr};
use super::{EndpointRulesError, ParamType};

type Result<T> = std::result::Result<T, EndpointRulesError>;

/// Static types of rule-set values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ty {
    Str,
    Bool,
    Int,
    StrArray,
    Partition,
    Url,
    Arn,
}

impl Ty {
    pub(super) fn describe(self) -> &'static str {
        match self {
            Ty::Str => "a string",
            Ty::Bool => "a boolean",
            Ty::Int => "an integer",
            Ty::StrArray => "a string array",
            Ty::Partition => "a partition (from aws.partition)",
            Ty::Url => "a URL (from parseURL)",
            Ty::Arn => "an ARN (from aws.parseArn)",
        }
    }

    pub(super) fn of_param(ty: ParamType) -> Ty {
        match ty {
            ParamType::String => Ty::Str,
            ParamType::Boolean => Ty::Bool,
            ParamType::StringArray => Ty::StrArray,
        }
    }
}

/// The attributes `getAttr` can read from each record type: rule-set name,
/// runtime accessor, attribute type.
pub(super) fn attribute(ty: Ty, key: &str) -> Option<(&'static str, Ty)> {
    attributes(ty)
        .iter()
        .find(|(name, _, _)| *name == key)
        .map(|(_, method, ty)| (*method, *ty))
}

/// The rule-set name of the attribute of `ty` read by runtime accessor
/// `method` (`supports_dual_stack` → `supportsDualStack`).
pub(super) fn attribute_rule_name(ty: Ty, method: &str) -> Option<&'static str> {
    attributes(ty)
        .iter()
        .find(|(_, m, _)| *m == method)
        .map(|(name, _, _)| *name)
}

fn attributes(ty: Ty) -> &'static [(&'static str, &'static str, Ty)] {
    match ty {
        Ty::Partition => &[
            ("name", "name", Ty::Str),
            ("dnsSuffix", "dns_suffix", Ty::Str),
            ("dualStackDnsSuffix", "dual_stack_dns_suffix", Ty::Str),
            ("supportsFIPS", "supports_fips", Ty::Bool),
            ("supportsDualStack", "supports_dual_stack", Ty::Bool),
            ("implicitGlobalRegion", "implicit_global_region", Ty::Str),
        ],
        Ty::Url => &[
            ("scheme", "scheme", Ty::Str),
            ("authority", "authority", Ty::Str),
            ("path", "path", Ty::Str),
            ("normalizedPath", "normalized_path", Ty::Str),
            ("isIp", "is_ip", Ty::Bool),
        ],
        Ty::Arn => &[
            ("partition", "partition", Ty::Str),
            ("service", "service", Ty::Str),
            ("region", "region", Ty::Str),
            ("accountId", "account_id", Ty::Str),
            ("resourceId", "resource_id", Ty::StrArray),
        ],
        _ => &[],
    }
}

pub(super) fn attribute_names(ty: Ty) -> &'static str {
    match ty {
        Ty::Partition => "name, dnsSuffix, dualStackDnsSuffix, supportsFIPS, supportsDualStack, implicitGlobalRegion",
        Ty::Url => "scheme, authority, path, normalizedPath, isIp",
        Ty::Arn => "partition, service, region, accountId, resourceId",
        _ => "none",
    }
}

/// A checked expression.
#[derive(Clone)]
pub(super) struct Val {
    pub ty: Ty,
    pub optional: bool,
    /// Strings: `&str` unless `owned` (`String`); string arrays: `&[String]`;
    /// partitions: `&'static Partition`; URLs and ARNs: a place of type `Url`
    /// / `Arn`; optionals: `Option<…>` of those.
    pub expr: Expr,
    pub owned: bool,
    /// Set for non-optional booleans.
    pub boolean: Option<BoolExpr>,
    /// Statically known string or integer value.
    pub literal: Option<LitVal>,
}

#[derive(Clone, PartialEq)]
pub(super) enum LitVal {
    Str(String),
    Int(i64),
}

impl Val {
    pub fn new(ty: Ty, optional: bool, expr: Expr) -> Self {
        let boolean = (ty == Ty::Bool && !optional).then(|| BoolExpr::atom(expr.clone()));
        Val {
            ty,
            optional,
            expr,
            owned: false,
            boolean,
            literal: None,
        }
    }

    pub fn boolean(b: BoolExpr) -> Self {
        Val {
            ty: Ty::Bool,
            optional: false,
            expr: Expr::Bool(Box::new(b.clone())),
            owned: false,
            boolean: Some(b),
            literal: None,
        }
    }

    pub fn str_literal(text: &str) -> Self {
        Val {
            literal: Some(LitVal::Str(text.to_owned())),
            ..Val::new(Ty::Str, false, Expr::Str(text.to_owned()))
        }
    }

    pub fn owned_str(expr: Expr) -> Self {
        Val {
            owned: true,
            ..Val::new(Ty::Str, false, expr)
        }
    }

    /// As an `&str` argument.
    pub fn str_arg(&self) -> Expr {
        if self.owned {
            Expr::Borrow(Box::new(self.expr.clone()))
        } else {
            self.expr.clone()
        }
    }

    pub fn bool_expr(&self) -> BoolExpr {
        self.boolean
            .clone()
            .unwrap_or_else(|| BoolExpr::atom(self.expr.clone()))
    }

    /// As an argument where a `bool` goes.
    pub fn bool_arg(&self) -> Expr {
        Expr::Bool(Box::new(self.bool_expr()))
    }
}

pub(super) fn expect(value: &Val, ty: Ty, location: &str, what: &str) -> Result<()> {
    if value.ty != ty {
        return Err(EndpointRulesError::invalid(
            location,
            format!(
                "{what} must be {}, found {}",
                ty.describe(),
                value.ty.describe()
            ),
        ));
    }
    if value.optional {
        return Err(may_be_unset(location, what));
    }
    Ok(())
}

pub(super) fn may_be_unset(location: &str, what: &str) -> EndpointRulesError {
    EndpointRulesError::invalid(
        location,
        format!(
            "{what} may be unset here; prove it set with `isSet` or bind it with `assign` in an earlier condition"
        ),
    )
}

/// A substring index: a non-negative integer literal.
pub(super) fn index_literal(value: &Val, location: &str, what: &str) -> Result<Expr> {
    match value.literal {
        Some(LitVal::Int(i)) if i >= 0 => Ok(Expr::Int(i)),
        _ => Err(EndpointRulesError::invalid(
            location,
            format!("substring {what} must be a non-negative integer literal"),
        )),
    }
}

pub(super) enum PathPart {
    Key(String),
    Index(usize),
}

/// `a.b[2]` → `a`, `b`, `[2]`; an index may only end the path.
pub(super) fn parse_path(path: &str) -> std::result::Result<Vec<PathPart>, String> {
    let mut parts = Vec::new();
    for component in path.split('.') {
        match component.split_once('[') {
            Some((key, rest)) => {
                let index = rest
                    .strip_suffix(']')
                    .ok_or_else(|| format!("`{component}` must end with `]`"))?;
                let index = index
                    .parse::<usize>()
                    .map_err(|_| format!("`{index}` is not a non-negative index"))?;
                if !key.is_empty() {
                    parts.push(PathPart::Key(key.to_owned()));
                }
                parts.push(PathPart::Index(index));
            }
            None if component.is_empty() => return Err("empty path component".to_owned()),
            None => parts.push(PathPart::Key(component.to_owned())),
        }
    }
    let last = parts.len().saturating_sub(1);
    if parts
        .iter()
        .enumerate()
        .any(|(i, part)| matches!(part, PathPart::Index(_)) && i != last)
    {
        return Err("an index may only be the last element".to_owned());
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getattr_paths() {
        let describe = |path: &str| match parse_path(path) {
            Ok(parts) => parts
                .iter()
                .map(|p| match p {
                    PathPart::Key(k) => k.clone(),
                    PathPart::Index(i) => format!("[{i}]"),
                })
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(describe("dnsSuffix"), "dnsSuffix");
        assert_eq!(describe("resourceId[2]"), "resourceId [2]");
        assert_eq!(describe("[0]"), "[0]");
        assert_eq!(describe("a.b"), "a b");
        assert_eq!(
            describe("a[0].b"),
            "error: an index may only be the last element"
        );
        assert_eq!(describe("a[x]"), "error: `x` is not a non-negative index");
        assert_eq!(describe("a[1"), "error: `a[1` must end with `]`");
        assert_eq!(describe("a..b"), "error: empty path component");
    }
}
