//! `@paginated` (merged with the service's defaults) → member chains over
//! the operation's input and output, checked for the types the runtime's
//! paginator needs.

use super::path::{describe, is_identifier, Structures};
use super::{InputMember, ItemsKind, Paginated, Structure, Type};
use serde_json::Value;

/// The paginator of an operation with trait value `own` (the service's
/// `@paginated`, if any, supplies what `own` leaves out). Errors are
/// `(member of the trait value, message)`.
pub(super) fn paginated(
    own: &Value,
    defaults: Option<&Value>,
    input: &Structure,
    output: &Structure,
    structures: &Structures<'_>,
) -> Result<Paginated, (String, String)> {
    let get = |key: &str| -> Result<Option<String>, (String, String)> {
        match own.get(key).or_else(|| defaults.and_then(|d| d.get(key))) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err((
                key.to_owned(),
                format!("{key} must be a string, not {other}"),
            )),
        }
    };
    let (Some(input_token), Some(output_token_path)) = (get("inputToken")?, get("outputToken")?)
    else {
        return Err((
            String::new(),
            "@paginated needs inputToken and outputToken (on the operation or the service)"
                .to_owned(),
        ));
    };
    let input_member = |key: &str, member: &str, want: Type| {
        let field = input
            .fields
            .iter()
            .find(|f| f.member == member)
            .ok_or_else(|| {
                (
                    key.to_owned(),
                    format!("{key} `{member}` is not a member of the input"),
                )
            })?;
        if field.ty != want {
            let what = if want == Type::String {
                "a string"
            } else {
                "an integer"
            };
            return Err((key.to_owned(), format!("{key} `{member}` must be {what}")));
        }
        Ok(InputMember {
            member: member.to_owned(),
            field: field.name.clone(),
        })
    };
    let input_token = input_member("inputToken", &input_token, Type::String)?;
    let page_size = get("pageSize")?
        .map(|size| input_member("pageSize", &size, Type::Integer))
        .transpose()?;

    let from = Type::Named(output.id.clone());
    let follow = |key: &str, path: &str| {
        let segments: Vec<&str> = path.split('.').collect();
        if !segments.iter().all(|s| is_identifier(s)) {
            return Err((
                key.to_owned(),
                format!("{key} `{path}` is not a dotted member path"),
            ));
        }
        structures
            .resolve(&from, &segments)
            .map_err(|m| (key.to_owned(), format!("{key} `{path}`: {m}")))
    };
    let output_token = follow("outputToken", &output_token_path)?;
    if output_token.ty() != &Type::String {
        return Err((
            "outputToken".to_owned(),
            format!(
                "outputToken `{output_token_path}` must be a string, not {}",
                describe(structures.types, output_token.ty())
            ),
        ));
    }
    let items_path = get("items")?;
    let items = match &items_path {
        None => None,
        Some(path) => {
            let resolved = follow("items", path)?;
            let kind = match resolved.ty() {
                Type::List { member, sparse } => ItemsKind::List {
                    member: (**member).clone(),
                    sparse: *sparse,
                },
                Type::Map { key, value, sparse } => ItemsKind::Map {
                    key: (**key).clone(),
                    value: (**value).clone(),
                    sparse: *sparse,
                },
                other => {
                    return Err((
                        "items".to_owned(),
                        format!(
                            "items `{path}` must be a list or a map, not {}",
                            describe(structures.types, other)
                        ),
                    ))
                }
            };
            Some((resolved, kind))
        }
    };
    Ok(Paginated {
        input_token,
        output_token_path,
        output_token,
        items_path,
        items,
        page_size,
    })
}
