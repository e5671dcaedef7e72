//! How deep a rule set and its tests may nest, checked before anything
//! walks them: parsing, type checking, evaluating the tests and emission
//! all recurse along the rule tree, conditions and function arguments.

use super::EndpointRulesError;
use serde_json::Value;

/// The most levels of JSON objects and arrays a rule set or its tests may
/// nest. Both model readers already refuse deeper values (JSON: 128 for
/// the whole model; IDL: node values 64), so a model never meets it; it
/// holds for a value built any other way (a caller of
/// [`compile_endpoint_rules`](super::compile_endpoint_rules)).
pub const MAX_NESTING: usize = 128;

/// An error at the first value nested more than [`MAX_NESTING`] deep in
/// `value` (`root`: `endpointRuleSet` or `endpointTests`). Iterative: the
/// check itself cannot overflow whatever the depth.
pub(super) fn check_nesting(value: &Value, root: &str) -> Result<(), EndpointRulesError> {
    // Each entry: a value, its depth, and its path step from its parent.
    let mut todo: Vec<(&Value, usize, Vec<String>)> = vec![(value, 1, Vec::new())];
    while let Some((value, depth, path)) = todo.pop() {
        let children: Vec<(String, &Value)> = match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("[{i}]"), v))
                .collect(),
            Value::Object(entries) => entries.iter().map(|(k, v)| (format!(".{k}"), v)).collect(),
            _ => continue,
        };
        if depth > MAX_NESTING {
            // The path is as long as the nesting: name its start.
            let shown: String = path.iter().take(6).map(String::as_str).collect();
            let more = if path.len() > 6 { "…" } else { "" };
            return Err(EndpointRulesError::invalid(
                format!("{root}{shown}{more}"),
                format!("nests more than {MAX_NESTING} levels of objects and arrays"),
            ));
        }
        for (step, child) in children.into_iter().rev() {
            if matches!(child, Value::Array(_) | Value::Object(_)) {
                let mut child_path = path.clone();
                if child_path.len() < 7 {
                    child_path.push(step);
                }
                todo.push((child, depth + 1, child_path));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{check_nesting, MAX_NESTING};
    use serde_json::{json, Value};

    fn nested(depth: usize) -> Value {
        let mut value = json!({"ref": "Region"});
        for _ in 1..depth {
            value = json!({"rules": [value]});
        }
        value
    }

    #[test]
    fn values_up_to_the_limit_pass_and_deeper_ones_are_located() {
        // `{"rules": [...]}` is two levels; the innermost object one.
        assert!(check_nesting(&nested(MAX_NESTING / 2), "endpointRuleSet").is_ok());
        let error = check_nesting(&nested(MAX_NESTING / 2 + 1), "endpointRuleSet")
            .expect_err("too deep")
            .to_string();
        assert!(
            error.starts_with("endpointRuleSet.rules[0].rules[0].rules[0]…: nests more than 128"),
            "{error}"
        );
    }
}
