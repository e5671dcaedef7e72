//! The typed form of a rule set, parsed from its JSON with a location for every
//! node so later errors can say where they are.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{EndpointRulesError, ParamType};

type Result<T> = std::result::Result<T, EndpointRulesError>;

pub(super) struct RuleSet {
    /// Sorted by name.
    pub params: Vec<Param>,
    pub rules: Vec<Rule>,
}

pub(super) struct Param {
    pub name: String,
    pub ty: ParamType,
    pub required: bool,
    pub default: Option<Value>,
    pub built_in: Option<String>,
    pub documentation: Option<String>,
}

impl Param {
    /// Whether the `Params` field holds a plain value (the default fills it)
    /// rather than an `Option`.
    pub fn has_value(&self) -> bool {
        self.default.is_some()
    }
}

pub(super) struct Rule {
    pub location: String,
    pub conditions: Vec<Condition>,
    pub kind: RuleKind,
}

pub(super) enum RuleKind {
    Endpoint(EndpointDef),
    Error(Expr),
    Tree(Vec<Rule>),
}

pub(super) struct Condition {
    pub location: String,
    /// A function call (`Expr::Call`, or `Expr::GetAttr` for `getAttr`).
    pub expr: Expr,
    pub assign: Option<String>,
}

pub(super) struct Call {
    pub name: String,
    pub args: Vec<Expr>,
}

pub(super) enum Expr {
    /// A string; every string literal in a rule set is a template.
    Template(Vec<TemplatePart>),
    Bool(bool),
    Int(i64),
    Ref(String),
    GetAttr {
        target: Box<Expr>,
        path: String,
    },
    Call(Call),
}

pub(super) enum TemplatePart {
    Literal(String),
    /// `{Name}` or `{Name#path}` (the latter a `GetAttr`).
    Expr(Expr),
}

pub(super) struct EndpointDef {
    pub url: Expr,
    pub headers: BTreeMap<String, Vec<Expr>>,
    pub properties: BTreeMap<String, Property>,
}

/// A property value: a JSON literal whose strings are templates.
pub(super) enum Property {
    Template(Vec<TemplatePart>),
    Bool(bool),
    Number(serde_json::Number),
    Array(Vec<Property>),
    Object(BTreeMap<String, Property>),
    Expr(Expr),
}

pub(super) fn parse_rule_set(value: &Value) -> Result<RuleSet> {
    let location = "endpointRuleSet";
    let object = expect_object(value, location)?;
    let params_value = object
        .get("parameters")
        .ok_or_else(|| EndpointRulesError::invalid(location, "has no `parameters`"))?;
    let params_object = expect_object(params_value, &format!("{location}.parameters"))?;
    let mut params = params_object
        .iter()
        .map(|(name, value)| parse_param(name, value))
        .collect::<Result<Vec<_>>>()?;
    params.sort_by(|a, b| a.name.cmp(&b.name));
    let rules_value = object
        .get("rules")
        .ok_or_else(|| EndpointRulesError::invalid(location, "has no `rules`"))?;
    let rules = parse_rules(rules_value, &format!("{location}.rules"))?;
    Ok(RuleSet { params, rules })
}

fn parse_param(name: &str, value: &Value) -> Result<Param> {
    let location = format!("endpointRuleSet.parameters.{name}");
    let object = expect_object(value, &location)?;
    let ty_name = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| EndpointRulesError::invalid(&location, "has no string `type`"))?;
    // The reference parser ignores case (Proton writes `String`/`Boolean`).
    let ty = match ty_name.to_ascii_lowercase().as_str() {
        "string" => ParamType::String,
        "boolean" => ParamType::Boolean,
        "stringarray" => ParamType::StringArray,
        _ => {
            return Err(EndpointRulesError::invalid(
                &location,
                format!(
                    "unknown parameter type `{ty_name}` (expected string, boolean or stringArray)"
                ),
            ))
        }
    };
    let required = match object.get("required") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(EndpointRulesError::invalid(
                &location,
                format!("`required` must be a boolean, found {other}"),
            ))
        }
    };
    let default = match object.get("default") {
        None | Some(Value::Null) => None,
        Some(default) => {
            let fits = match ty {
                ParamType::String => default.is_string(),
                ParamType::Boolean => default.is_boolean(),
                ParamType::StringArray => default
                    .as_array()
                    .is_some_and(|items| items.iter().all(Value::is_string)),
            };
            if !fits {
                return Err(EndpointRulesError::invalid(
                    &location,
                    format!("default {default} does not have the parameter's type `{ty_name}`"),
                ));
            }
            Some(default.clone())
        }
    };
    Ok(Param {
        name: name.to_owned(),
        ty,
        required,
        default,
        built_in: optional_string(object, "builtIn", &location)?,
        documentation: optional_string(object, "documentation", &location)?,
    })
}

fn parse_rules(value: &Value, location: &str) -> Result<Vec<Rule>> {
    expect_array(value, location)?
        .iter()
        .enumerate()
        .map(|(index, rule)| parse_rule(rule, &format!("{location}[{index}]")))
        .collect()
}

fn parse_rule(value: &Value, location: &str) -> Result<Rule> {
    let object = expect_object(value, location)?;
    let conditions = match object.get("conditions") {
        None => Vec::new(),
        Some(conditions) => {
            let conditions_location = format!("{location}.conditions");
            expect_array(conditions, &conditions_location)?
                .iter()
                .enumerate()
                .map(|(index, condition)| {
                    parse_condition(condition, &format!("{conditions_location}[{index}]"))
                })
                .collect::<Result<Vec<_>>>()?
        }
    };
    let ty = object
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| EndpointRulesError::invalid(location, "rule has no string `type`"))?;
    let member = |key: &str| {
        object.get(key).ok_or_else(|| {
            EndpointRulesError::invalid(location, format!("`{ty}` rule has no `{key}`"))
        })
    };
    let kind = match ty {
        "endpoint" => RuleKind::Endpoint(parse_endpoint(
            member("endpoint")?,
            &format!("{location}.endpoint"),
        )?),
        "error" => RuleKind::Error(parse_expr(member("error")?, &format!("{location}.error"))?),
        "tree" => RuleKind::Tree(parse_rules(member("rules")?, &format!("{location}.rules"))?),
        other => {
            return Err(EndpointRulesError::invalid(
                location,
                format!("unknown rule type `{other}` (expected endpoint, error or tree)"),
            ))
        }
    };
    Ok(Rule {
        location: location.to_owned(),
        conditions,
        kind,
    })
}

fn parse_condition(value: &Value, location: &str) -> Result<Condition> {
    let object = expect_object(value, location)?;
    let call = parse_call(object, location)?.ok_or_else(|| {
        EndpointRulesError::invalid(location, "a condition must be a function call (`fn`)")
    })?;
    let expr = if call.name == "getAttr" {
        get_attr_from_call(call, location)?
    } else {
        Expr::Call(call)
    };
    Ok(Condition {
        location: location.to_owned(),
        expr,
        assign: optional_string(object, "assign", location)?,
    })
}

/// `Some` if the object is a function call (`{"fn": …, "argv": […]}`).
fn parse_call(object: &serde_json::Map<String, Value>, location: &str) -> Result<Option<Call>> {
    let Some(name) = object.get("fn") else {
        return Ok(None);
    };
    let name = name
        .as_str()
        .ok_or_else(|| EndpointRulesError::invalid(location, "`fn` must be a string"))?;
    let argv_location = format!("{location}.argv");
    let args = match object.get("argv") {
        Some(argv) => expect_array(argv, &argv_location)?
            .iter()
            .enumerate()
            .map(|(index, arg)| parse_expr(arg, &format!("{argv_location}[{index}]")))
            .collect::<Result<Vec<_>>>()?,
        None => {
            return Err(EndpointRulesError::invalid(
                location,
                format!("call to `{name}` has no `argv`"),
            ))
        }
    };
    Ok(Some(Call {
        name: name.to_owned(),
        args,
    }))
}

pub(super) fn parse_expr(value: &Value, location: &str) -> Result<Expr> {
    match value {
        Value::String(text) => Ok(Expr::Template(parse_template(text, location)?)),
        Value::Bool(b) => Ok(Expr::Bool(*b)),
        Value::Number(n) => n.as_i64().map(Expr::Int).ok_or_else(|| {
            EndpointRulesError::invalid(location, format!("number {n} is not an integer"))
        }),
        Value::Object(object) => {
            if let Some(reference) = object.get("ref") {
                let name = reference.as_str().ok_or_else(|| {
                    EndpointRulesError::invalid(location, "`ref` must be a string")
                })?;
                return Ok(Expr::Ref(name.to_owned()));
            }
            match parse_call(object, location)? {
                Some(call) if call.name == "getAttr" => get_attr_from_call(call, location),
                Some(call) => Ok(Expr::Call(call)),
                None => Err(EndpointRulesError::invalid(
                    location,
                    "an object here must be a reference (`ref`) or a function call (`fn`)",
                )),
            }
        }
        Value::Null | Value::Array(_) => Err(EndpointRulesError::invalid(
            location,
            format!("expected a string, boolean, integer, `ref` or `fn`, found {value}"),
        )),
    }
}

fn get_attr_from_call(call: Call, location: &str) -> Result<Expr> {
    let mut args = call.args.into_iter();
    match (args.next(), args.next(), args.next()) {
        (Some(target), Some(Expr::Template(path)), None) => match path.as_slice() {
            [TemplatePart::Literal(path)] => Ok(Expr::GetAttr {
                target: Box::new(target),
                path: path.clone(),
            }),
            _ => Err(EndpointRulesError::invalid(
                location,
                "the path argument of `getAttr` must be a plain string",
            )),
        },
        _ => Err(EndpointRulesError::invalid(
            location,
            "`getAttr` takes two arguments: a value and a path string",
        )),
    }
}

/// Splits a template string: `{Name}` and `{Name#path}` are values, `{{` and
/// `}}` are literal braces.
fn parse_template(text: &str, location: &str) -> Result<Vec<TemplatePart>> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => {
                            return Err(EndpointRulesError::invalid(
                                location,
                                format!("unclosed `{{` in template {text:?}"),
                            ))
                        }
                    }
                }
                if !literal.is_empty() {
                    parts.push(TemplatePart::Literal(std::mem::take(&mut literal)));
                }
                let expr = match inner.split_once('#') {
                    Some((target, path)) => Expr::GetAttr {
                        target: Box::new(Expr::Ref(target.to_owned())),
                        path: path.to_owned(),
                    },
                    None => Expr::Ref(inner.clone()),
                };
                if inner.is_empty() || inner.starts_with('#') || inner.ends_with('#') {
                    return Err(EndpointRulesError::invalid(
                        location,
                        format!("empty reference `{{{inner}}}` in template {text:?}"),
                    ));
                }
                parts.push(TemplatePart::Expr(expr));
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Literal(literal));
    }
    Ok(parts)
}

fn parse_endpoint(value: &Value, location: &str) -> Result<EndpointDef> {
    let object = expect_object(value, location)?;
    let url = parse_expr(
        object
            .get("url")
            .ok_or_else(|| EndpointRulesError::invalid(location, "endpoint has no `url`"))?,
        &format!("{location}.url"),
    )?;
    let mut headers = BTreeMap::new();
    if let Some(value) = object.get("headers") {
        let headers_location = format!("{location}.headers");
        for (name, values) in expect_object(value, &headers_location)? {
            let header_location = format!("{headers_location}.{name}");
            let values = expect_array(values, &header_location)?
                .iter()
                .enumerate()
                .map(|(index, v)| parse_expr(v, &format!("{header_location}[{index}]")))
                .collect::<Result<Vec<_>>>()?;
            headers.insert(name.clone(), values);
        }
    }
    let mut properties = BTreeMap::new();
    if let Some(value) = object.get("properties") {
        let properties_location = format!("{location}.properties");
        for (name, property) in expect_object(value, &properties_location)? {
            properties.insert(
                name.clone(),
                parse_property(property, &format!("{properties_location}.{name}"))?,
            );
        }
    }
    Ok(EndpointDef {
        url,
        headers,
        properties,
    })
}

fn parse_property(value: &Value, location: &str) -> Result<Property> {
    Ok(match value {
        Value::String(text) => Property::Template(parse_template(text, location)?),
        Value::Bool(b) => Property::Bool(*b),
        Value::Number(n) => Property::Number(n.clone()),
        Value::Array(items) => Property::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| parse_property(item, &format!("{location}[{index}]")))
                .collect::<Result<Vec<_>>>()?,
        ),
        Value::Object(object) if object.contains_key("ref") || object.contains_key("fn") => {
            Property::Expr(parse_expr(value, location)?)
        }
        Value::Object(object) => Property::Object(
            object
                .iter()
                .map(|(key, item)| {
                    Ok((
                        key.clone(),
                        parse_property(item, &format!("{location}.{key}"))?,
                    ))
                })
                .collect::<Result<BTreeMap<_, _>>>()?,
        ),
        Value::Null => {
            return Err(EndpointRulesError::invalid(
                location,
                "property values cannot be null",
            ))
        }
    })
}

fn expect_object<'v>(
    value: &'v Value,
    location: &str,
) -> Result<&'v serde_json::Map<String, Value>> {
    value.as_object().ok_or_else(|| {
        EndpointRulesError::invalid(
            location,
            format!("expected an object, found {}", kind(value)),
        )
    })
}

fn expect_array<'v>(value: &'v Value, location: &str) -> Result<&'v Vec<Value>> {
    value.as_array().ok_or_else(|| {
        EndpointRulesError::invalid(
            location,
            format!("expected an array, found {}", kind(value)),
        )
    })
}

fn optional_string(
    object: &serde_json::Map<String, Value>,
    key: &str,
    location: &str,
) -> Result<Option<String>> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(EndpointRulesError::invalid(
            location,
            format!("`{key}` must be a string, found {}", kind(other)),
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(text: &str) -> Vec<String> {
        match parse_template(text, "here") {
            Ok(parts) => parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Literal(text) => format!("lit:{text}"),
                    TemplatePart::Expr(Expr::Ref(name)) => format!("ref:{name}"),
                    TemplatePart::Expr(Expr::GetAttr { target, path }) => match target.as_ref() {
                        Expr::Ref(name) => format!("attr:{name}#{path}"),
                        _ => "attr:?".to_owned(),
                    },
                    TemplatePart::Expr(_) => "?".to_owned(),
                })
                .collect(),
            Err(error) => vec![format!("error:{error}")],
        }
    }

    #[test]
    fn templates_split_into_literals_and_references() {
        assert_eq!(
            template("https://proton.{Region}.{PartitionResult#dnsSuffix}"),
            [
                "lit:https://proton.",
                "ref:Region",
                "lit:.",
                "attr:PartitionResult#dnsSuffix"
            ]
        );
        assert_eq!(template("{Endpoint}"), ["ref:Endpoint"]);
        assert_eq!(template("plain"), ["lit:plain"]);
        assert_eq!(template(""), ["lit:"]);
        assert_eq!(
            template("{{literal}} {A}}}"),
            ["lit:{literal} ", "ref:A", "lit:}"]
        );
    }

    #[test]
    fn malformed_templates_are_errors() {
        assert_eq!(
            template("https://{Region"),
            ["error:here: unclosed `{` in template \"https://{Region\""]
        );
        assert_eq!(
            template("a{}b"),
            ["error:here: empty reference `{}` in template \"a{}b\""]
        );
        assert_eq!(
            template("{X#}"),
            ["error:here: empty reference `{X#}` in template \"{X#}\""]
        );
    }
}
