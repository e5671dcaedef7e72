//! Rust names for the rule set's parameters, `assign`ed values and test cases.
//!
//! Every rule-set name gets one Rust identifier for the whole module, decided
//! once here, so two names that snake-case alike (`Region`, `region`) can never
//! meet in one scope under the same identifier.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use proc_macro2::{Ident, Span};

use super::ast::{Condition, Rule, RuleKind, RuleSet};

/// Identifiers the generated `resolve` uses itself.
const RESERVED: &[&str] = &["params"];

const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

pub(super) struct Names {
    idents: BTreeMap<String, Ident>,
}

impl Names {
    /// Names parameters first (so fields get the plain snake-case names), then
    /// every `assign` in rule order.
    pub fn new(rule_set: &RuleSet) -> Self {
        let mut taken: BTreeSet<String> = RESERVED.iter().map(|s| (*s).to_owned()).collect();
        let mut idents = BTreeMap::new();
        let mut add = |name: &str, idents: &mut BTreeMap<String, Ident>| {
            if !idents.contains_key(name) {
                let ident = unique(&snake_ident(name), &mut taken);
                idents.insert(name.to_owned(), Ident::new(&ident, Span::call_site()));
            }
        };
        for param in &rule_set.params {
            add(&param.name, &mut idents);
        }
        let mut assigned = Vec::new();
        collect_assigns(&rule_set.rules, &mut assigned);
        for name in assigned {
            add(name, &mut idents);
        }
        Names { idents }
    }

    /// The `Params` field (and local binding) of parameter `name`.
    pub fn field(&self, name: &str) -> Ident {
        self.local(name)
    }

    /// The local binding of parameter or assigned value `name`.
    pub fn local(&self, name: &str) -> Ident {
        match self.idents.get(name) {
            Some(ident) => ident.clone(),
            // Every name is registered up front; keep going with a fresh
            // spelling rather than failing if one ever is not.
            None => Ident::new(&snake_ident(name), Span::call_site()),
        }
    }
}

fn collect_assigns<'r>(rules: &'r [Rule], out: &mut Vec<&'r str>) {
    for rule in rules {
        out.extend(
            rule.conditions
                .iter()
                .filter_map(|c: &Condition| c.assign.as_deref()),
        );
        if let RuleKind::Tree(rules) = &rule.kind {
            collect_assigns(rules, out);
        }
    }
}

/// A snake-case Rust identifier for `name`: non-identifier characters become
/// `_`, a leading digit gets a `_` prefix, keywords get a `_` suffix.
pub(super) fn snake_ident(name: &str) -> String {
    let snake: String = name
        .to_snake_case()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut ident = snake
        .split('_')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if ident.is_empty() {
        ident.push_str("value");
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// `base`, or `base_2`, `base_3`… whichever is free; records the choice.
pub(super) fn unique(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = base.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) || RESERVED.contains(&candidate.as_str()) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_idents() {
        for (name, ident) in [
            ("UseFIPS", "use_fips"),
            ("UseDualStack", "use_dual_stack"),
            ("Region", "region"),
            ("PartitionResult", "partition_result"),
            ("bucketUrl", "bucket_url"),
            ("type", "type_"),
            ("Self", "self_"),
            ("3rdParty", "_3rd_party"),
            ("a-b.c", "a_b_c"),
            (
                "For region us-east-1 with FIPS enabled",
                "for_region_us_east_1_with_fips_enabled",
            ),
            ("???", "value"),
        ] {
            assert_eq!(snake_ident(name), ident, "{name}");
        }
    }

    #[test]
    fn collisions_get_numeric_suffixes() {
        let mut taken = BTreeSet::new();
        assert_eq!(unique("region", &mut taken), "region");
        assert_eq!(unique("region", &mut taken), "region_2");
        assert_eq!(unique("region", &mut taken), "region_3");
        assert_eq!(unique("params", &mut taken), "params_2");
    }
}
