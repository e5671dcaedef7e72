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
    let input_member = |key: &str, member: &str, want: fn(&Type) -> bool, what: &str| {
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
        if !want(&field.ty) {
            return Err((
                key.to_owned(),
                format!(
                    "{key} `{member}` must be {what}, not {}",
                    describe(structures.types, &field.ty)
                ),
            ));
        }
        Ok((
            InputMember {
                member: member.to_owned(),
                field: field.name.clone(),
            },
            field.ty.clone(),
        ))
    };
    // A token is a string, or a map (DynamoDB pages with its keys).
    let is_token = |ty: &Type| matches!(ty, Type::String | Type::Map { .. });
    let (input_token, token) =
        input_member("inputToken", &input_token, is_token, "a string or a map")?;
    let page_size = get("pageSize")?
        .map(|size| input_member("pageSize", &size, |t| *t == Type::Integer, "an integer"))
        .transpose()?
        .map(|(member, _)| member);

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
    if output_token.ty() != &token {
        return Err((
            "outputToken".to_owned(),
            format!(
                "outputToken `{output_token_path}` is {}, but inputToken `{}` is {}: a page returns the token the next request sends",
                describe(structures.types, output_token.ty()),
                input_token.member,
                describe(structures.types, &token),
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
        token,
        output_token_path,
        output_token,
        items_path,
        items,
        page_size,
    })
}
