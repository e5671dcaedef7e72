//! The names serde gives a structure's fields (the `serde` feature): one
//! `rename_all` rule per structure, and a `rename` of its own only on a
//! field whose JSON property name neither the rule nor the field name gives.
//! The rules are serde_derive's own (`RenameRule::apply_to_field`), so what
//! is left out here is exactly what serde puts back.

use super::Ident;

/// A serde `rename_all` rule for the fields of a structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SerdeCase {
    /// `service_name` → `serviceName`.
    Camel,
    /// `service_name` → `ServiceName`.
    Pascal,
}

impl SerdeCase {
    /// The rule as `rename_all` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            SerdeCase::Camel => "camelCase",
            SerdeCase::Pascal => "PascalCase",
        }
    }

    /// The property name serde gives the field `field` (its name without
    /// `r#`, as serde reads it) under this rule.
    fn apply(self, field: &str) -> String {
        let mut pascal = String::with_capacity(field.len());
        let mut capitalize = true;
        for ch in field.chars() {
            if ch == '_' {
                capitalize = true;
            } else if capitalize {
                pascal.push(ch.to_ascii_uppercase());
                capitalize = false;
            } else {
                pascal.push(ch);
            }
        }
        match self {
            SerdeCase::Pascal => pascal,
            SerdeCase::Camel => {
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
        }
    }
}

/// For a structure whose fields are `(field name, JSON property name)`: the
/// `rename_all` rule that leaves the fewest fields needing a `rename` of
/// their own (none when the field names already give the most), and for
/// each field whether it needs one.
pub fn serde_fields(fields: &[(&Ident, &str)]) -> (Option<SerdeCase>, Vec<bool>) {
    let renames = |rule: Option<SerdeCase>| -> Vec<bool> {
        fields
            .iter()
            .map(|(name, wire)| {
                let name = name.unraw();
                match rule {
                    None => name != *wire,
                    Some(rule) => rule.apply(name) != *wire,
                }
            })
            .collect()
    };
    [None, Some(SerdeCase::Camel), Some(SerdeCase::Pascal)]
        .into_iter()
        .map(|rule| (rule, renames(rule)))
        .min_by_key(|(_, renames)| renames.iter().filter(|r| **r).count())
        .unwrap_or((None, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::naming::snake_case;

    /// serde_derive itself, on the field names the generator makes of
    /// member names, agrees with [`SerdeCase::apply`].
    #[test]
    fn the_rules_are_serdes_own() {
        macro_rules! under {
            ($rule:literal) => {{
                #[derive(serde::Serialize, Default)]
                #[serde(rename_all = $rule)]
                struct Fields {
                    service_name: u8,
                    s3_bucket: u8,
                    arn: u8,
                    r#type: u8,
                    x_amz_id2: u8,
                    a: u8,
                    _3d_model: u8,
                }
                serde_json::to_value(Fields::default())
            }};
        }
        let fields = [
            "service_name",
            "s3_bucket",
            "arn",
            "type",
            "x_amz_id2",
            "a",
            "_3d_model",
        ];
        for (rule, json) in [
            (SerdeCase::Camel, under!("camelCase")),
            (SerdeCase::Pascal, under!("PascalCase")),
        ] {
            let json = json.expect("serializes");
            let keys: Vec<&String> = json.as_object().expect("object").keys().collect();
            let ours: Vec<String> = fields.iter().map(|f| rule.apply(f)).collect();
            assert_eq!(keys, ours.iter().collect::<Vec<_>>(), "{rule:?}");
        }
    }

    fn choose(members: &[&str]) -> (Option<&'static str>, Vec<bool>) {
        let names: Vec<Ident> = members.iter().map(|m| snake_case(m)).collect();
        let fields: Vec<(&Ident, &str)> = names.iter().zip(members.iter().copied()).collect();
        let (rule, renames) = serde_fields(&fields);
        (rule.map(SerdeCase::as_str), renames)
    }

    #[test]
    fn the_rule_that_names_most_fields_is_chosen() {
        // camelCase members: only the one the rule misses is renamed.
        assert_eq!(
            choose(&["serviceName", "arn", "spec", "ARN2"]),
            (Some("camelCase"), vec![false, false, false, true])
        );
        // PascalCase members (awsJson1_1 services).
        assert_eq!(
            choose(&["ServiceName", "Arn", "NextToken"]),
            (Some("PascalCase"), vec![false, false, false])
        );
        // Field names that are the property names need no rule.
        assert_eq!(
            choose(&["arn", "name", "type"]),
            (None, vec![false, false, false])
        );
        assert_eq!(choose(&[]), (None, vec![]));
        // A member the field name does not spell keeps its own rename.
        assert_eq!(
            choose(&["snake_case_member", "x"]),
            (None, vec![false, false])
        );
        assert_eq!(choose(&["HTMLBody", "body"]), (None, vec![true, false]));
    }
}
