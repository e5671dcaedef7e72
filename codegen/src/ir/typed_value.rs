//! Values of IR types known at generation time ([`TypedValue`]): the
//! `params` of protocol test cases, checked against the structure they
//! fill, so emission turns them into Rust expressions without reading JSON.

use super::{Document, Field, Presence, Structure, Type, TypeDef};
use crate::model::{EnumLiteral, ShapeId};
use crate::naming::Ident;
use serde_json::Value;
use std::collections::BTreeMap;

/// A value of some [`Type`], as the type says (the type is known wherever
/// the value is used: the field, list member or map value it fills).
#[derive(Clone, Debug, PartialEq)]
pub enum TypedValue {
    /// `null` in a `@sparse` list or map.
    Null,
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A byte, short, integer or long, in range for its type.
    Integer(i64),
    /// A float or double; `NaN` and the infinities included.
    Float(f64),
    /// A big integer or big decimal, as decimal text.
    BigNumber(String),
    /// A timestamp: seconds since the epoch and nanoseconds.
    Timestamp {
        /// Whole seconds (negative before 1970).
        secs: i64,
        /// Nanoseconds, `0..1_000_000_000`.
        nanos: u32,
    },
    /// A blob's bytes.
    Blob(Vec<u8>),
    /// A document.
    Document(Document),
    /// An enum or intEnum value: the variant when the enum knows it.
    Enum {
        /// The variant, `None` for a value the enum does not list.
        variant: Option<Ident>,
        /// The wire value.
        value: EnumLiteral,
    },
    /// A structure: `(field index, value)` for each member set, in model order.
    Structure(Vec<(usize, TypedValue)>),
    /// A union: its variant (index) and the value (`None` for a unit variant).
    Union {
        /// The variant's index.
        variant: usize,
        /// Its value.
        value: Option<Box<TypedValue>>,
    },
    /// A list's items.
    List(Vec<TypedValue>),
    /// A map's entries, in the order given.
    Map(Vec<(TypedValue, TypedValue)>),
}

/// Where a value does not fit: a JSON path in the value and what is wrong.
pub type Misfit = (String, String);

/// Reads JSON values as [`TypedValue`]s of the service's types.
pub(super) struct Reader<'a> {
    /// Structures, unions and enums by shape.
    pub types: &'a BTreeMap<ShapeId, TypeDef>,
}

fn misfit(at: &str, message: impl Into<String>) -> Misfit {
    (at.to_owned(), message.into())
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_owned()
    } else {
        format!("{at}.{key}")
    }
}

impl Reader<'_> {
    /// The members of `s` set by `value` (an object; `null` members are unset).
    pub fn structure(
        &self,
        s: &Structure,
        value: &Value,
        at: &str,
    ) -> Result<Vec<(usize, TypedValue)>, Misfit> {
        self.members(&s.fields, s.id.name(), value, at)
    }

    fn members(
        &self,
        fields: &[Field],
        name: &str,
        value: &Value,
        at: &str,
    ) -> Result<Vec<(usize, TypedValue)>, Misfit> {
        let Value::Object(members) = value else {
            return Err(misfit(
                at,
                format!("expected an object for structure `{name}`, found {value}"),
            ));
        };
        let mut set = Vec::new();
        for (key, v) in members {
            let here = join(at, key);
            let Some(i) = fields.iter().position(|f| &f.member == key) else {
                return Err(misfit(
                    &here,
                    format!("structure `{name}` has no member `{key}`"),
                ));
            };
            if !v.is_null() {
                set.push((i, self.value(&fields[i].ty, v, &here)?));
            }
        }
        set.sort_by_key(|(i, _)| *i);
        Ok(set)
    }

    /// `value` as a value of `ty`.
    pub fn value(&self, ty: &Type, value: &Value, at: &str) -> Result<TypedValue, Misfit> {
        let wrong = || misfit(at, format!("{value} does not fit {}", type_label(ty)));
        let int = |min: i64, max: i64| {
            value
                .as_i64()
                .filter(|v| (min..=max).contains(v))
                .map(TypedValue::Integer)
                .ok_or_else(wrong)
        };
        match (ty, value) {
            (Type::String, Value::String(s)) => Ok(TypedValue::String(s.clone())),
            (Type::Bool, Value::Bool(b)) => Ok(TypedValue::Bool(*b)),
            (Type::Byte, _) => int(i8::MIN.into(), i8::MAX.into()),
            (Type::Short, _) => int(i16::MIN.into(), i16::MAX.into()),
            (Type::Integer, _) => int(i32::MIN.into(), i32::MAX.into()),
            (Type::Long, _) => int(i64::MIN, i64::MAX),
            (Type::Float | Type::Double, Value::Number(n)) => {
                n.as_f64().map(TypedValue::Float).ok_or_else(wrong)
            }
            (Type::Float | Type::Double, Value::String(s)) => match s.as_str() {
                "NaN" => Ok(TypedValue::Float(f64::NAN)),
                "Infinity" => Ok(TypedValue::Float(f64::INFINITY)),
                "-Infinity" => Ok(TypedValue::Float(f64::NEG_INFINITY)),
                _ => Err(wrong()),
            },
            (Type::BigInteger | Type::BigDecimal, Value::Number(n)) => {
                Ok(TypedValue::BigNumber(n.to_string()))
            }
            (Type::Timestamp(_), Value::Number(n)) => {
                epoch_seconds(&n.to_string()).ok_or_else(wrong)
            }
            // Protocol tests give blobs as their text, not base64.
            (Type::Blob, Value::String(s)) => Ok(TypedValue::Blob(s.as_bytes().to_vec())),
            (Type::Document, v) => Document::from_json(v)
                .map(TypedValue::Document)
                .ok_or_else(wrong),
            (Type::List { member, sparse }, Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let here = format!("{at}[{i}]");
                    match item {
                        Value::Null if *sparse => Ok(TypedValue::Null),
                        Value::Null => Err(misfit(&here, "null in a list that is not @sparse")),
                        item => self.value(member, item, &here),
                    }
                })
                .collect::<Result<_, _>>()
                .map(TypedValue::List),
            (
                Type::Map {
                    key,
                    value: v_ty,
                    sparse,
                },
                Value::Object(entries),
            ) => entries
                .iter()
                .map(|(k, v)| {
                    let here = join(at, k);
                    let key = self.value(key, &Value::String(k.clone()), &here)?;
                    let v = match v {
                        Value::Null if *sparse => TypedValue::Null,
                        Value::Null => {
                            return Err(misfit(&here, "null in a map that is not @sparse"))
                        }
                        v => self.value(v_ty, v, &here)?,
                    };
                    Ok((key, v))
                })
                .collect::<Result<_, _>>()
                .map(TypedValue::Map),
            (Type::Named(id), _) => self.named(id, value, at),
            _ => Err(wrong()),
        }
    }

    fn named(&self, id: &ShapeId, value: &Value, at: &str) -> Result<TypedValue, Misfit> {
        let wrong = || misfit(at, format!("{value} does not fit `{}`", id.name()));
        match self.types.get(id) {
            Some(TypeDef::Enum(e)) => {
                let literal = match (e.int, value) {
                    (false, Value::String(s)) => EnumLiteral::String(s.clone()),
                    (true, Value::Number(n)) => n
                        .as_i64()
                        .filter(|v| i32::try_from(*v).is_ok())
                        .map(EnumLiteral::Int)
                        .ok_or_else(wrong)?,
                    _ => return Err(wrong()),
                };
                let variant = e
                    .variants
                    .iter()
                    .find(|v| v.value == literal)
                    .map(|v| v.name.clone());
                Ok(TypedValue::Enum {
                    variant,
                    value: literal,
                })
            }
            Some(TypeDef::Structure(s)) => self.structure(s, value, at).map(TypedValue::Structure),
            Some(TypeDef::Union(u)) => {
                let Value::Object(members) = value else {
                    return Err(wrong());
                };
                let mut set = members.iter().filter(|(_, v)| !v.is_null());
                let (Some((key, v)), None) = (set.next(), set.next()) else {
                    return Err(misfit(
                        at,
                        format!("a union `{}` sets exactly one member", id.name()),
                    ));
                };
                let here = join(at, key);
                let Some(i) = u.variants.iter().position(|variant| &variant.member == key) else {
                    return Err(misfit(
                        &here,
                        format!("union `{}` has no member `{key}`", id.name()),
                    ));
                };
                let value = match &u.variants[i].ty {
                    None => None,
                    Some(ty) => Some(Box::new(self.value(ty, v, &here)?)),
                };
                Ok(TypedValue::Union { variant: i, value })
            }
            None => Err(misfit(
                at,
                format!("`{}` is not a type the client has", id.name()),
            )),
        }
    }

    /// The smallest members of `s` that make its builder succeed: each
    /// member `build()` checks, set to its type's smallest value (for the
    /// input of a response test, whose request nobody looks at).
    pub fn minimal(&self, s: &Structure) -> Option<Vec<(usize, TypedValue)>> {
        self.minimal_members(&s.fields, 0)
    }

    fn minimal_members(&self, fields: &[Field], depth: usize) -> Option<Vec<(usize, TypedValue)>> {
        fields
            .iter()
            .enumerate()
            .filter(|(_, f)| matches!(f.presence, Presence::Required | Presence::RequiredInput))
            .map(|(i, f)| Some((i, self.smallest(&f.ty, depth + 1)?)))
            .collect()
    }

    fn smallest(&self, ty: &Type, depth: usize) -> Option<TypedValue> {
        // Smithy refuses required members that recurse without a list or
        // map between; the bound only keeps a broken model from looping.
        if depth > 64 {
            return None;
        }
        Some(match ty {
            Type::String => TypedValue::String(String::new()),
            Type::Bool => TypedValue::Bool(false),
            Type::Byte | Type::Short | Type::Integer | Type::Long => TypedValue::Integer(0),
            Type::Float | Type::Double => TypedValue::Float(0.0),
            Type::BigInteger | Type::BigDecimal => TypedValue::BigNumber("0".to_owned()),
            Type::Timestamp(_) => TypedValue::Timestamp { secs: 0, nanos: 0 },
            Type::Blob => TypedValue::Blob(Vec::new()),
            Type::Document => TypedValue::Document(Document::Null),
            Type::List { .. } => TypedValue::List(Vec::new()),
            Type::Map { .. } => TypedValue::Map(Vec::new()),
            Type::Named(id) => match self.types.get(id)? {
                TypeDef::Enum(e) => {
                    let first = e.variants.first()?;
                    TypedValue::Enum {
                        variant: Some(first.name.clone()),
                        value: first.value.clone(),
                    }
                }
                TypeDef::Structure(s) => {
                    TypedValue::Structure(self.minimal_members(&s.fields, depth)?)
                }
                TypeDef::Union(u) => u.variants.iter().enumerate().find_map(|(i, v)| {
                    let value = match &v.ty {
                        None => None,
                        Some(ty) => Some(Box::new(self.smallest(ty, depth + 1)?)),
                    };
                    Some(TypedValue::Union { variant: i, value })
                })?,
            },
        })
    }
}

/// `946845296.123` → 946845296 s and 123,000,000 ns, exactly (from the
/// decimal text, not through a float); `-1.5` → -2 s + 500,000,000 ns.
pub fn epoch_seconds(text: &str) -> Option<TypedValue> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.contains(['e', 'E']) {
        // `1e3`: exact through a float only while small.
        let f: f64 = text.parse().ok()?;
        if !f.is_finite() || f.abs() > 1e15 {
            return None;
        }
        let secs = f.floor();
        let nanos = ((f - secs) * 1e9).round() as u32;
        return Some(TypedValue::Timestamp {
            secs: secs as i64,
            nanos: nanos.min(999_999_999),
        });
    }
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let mut nanos: u32 = 0;
    for (i, d) in fraction.bytes().take(9).enumerate() {
        nanos += u32::from(d - b'0') * 10u32.pow(8 - i as u32);
    }
    Some(if !negative {
        TypedValue::Timestamp { secs: whole, nanos }
    } else if nanos == 0 {
        TypedValue::Timestamp {
            secs: -whole,
            nanos: 0,
        }
    } else {
        TypedValue::Timestamp {
            secs: -whole - 1,
            nanos: 1_000_000_000 - nanos,
        }
    })
}

fn type_label(ty: &Type) -> String {
    match ty {
        Type::String => "a string".to_owned(),
        Type::Bool => "a boolean".to_owned(),
        Type::Byte => "a byte".to_owned(),
        Type::Short => "a short".to_owned(),
        Type::Integer => "an integer".to_owned(),
        Type::Long => "a long".to_owned(),
        Type::Float => "a float".to_owned(),
        Type::Double => "a double".to_owned(),
        Type::BigInteger => "a big integer".to_owned(),
        Type::BigDecimal => "a big decimal".to_owned(),
        Type::Timestamp(_) => "a timestamp (epoch seconds)".to_owned(),
        Type::Blob => "a blob (its text)".to_owned(),
        Type::Document => "a document".to_owned(),
        Type::Named(id) => format!("`{}`", id.name()),
        Type::List { .. } => "a list".to_owned(),
        Type::Map { .. } => "a map".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_are_read_exactly() {
        let ts = |secs, nanos| Some(TypedValue::Timestamp { secs, nanos });
        assert_eq!(epoch_seconds("946845296.123"), ts(946_845_296, 123_000_000));
        assert_eq!(epoch_seconds("0"), ts(0, 0));
        assert_eq!(epoch_seconds("1.000000001"), ts(1, 1));
        assert_eq!(epoch_seconds("-1.5"), ts(-2, 500_000_000));
        assert_eq!(epoch_seconds("-3"), ts(-3, 0));
        assert_eq!(epoch_seconds("1e3"), ts(1000, 0));
        assert_eq!(epoch_seconds("x"), None);
        assert_eq!(epoch_seconds("1.2.3"), None);
    }

    #[test]
    fn values_must_fit_their_type() {
        let types = BTreeMap::new();
        let r = Reader { types: &types };
        let list = Type::List {
            member: Box::new(Type::String),
            sparse: false,
        };
        let sparse = Type::List {
            member: Box::new(Type::String),
            sparse: true,
        };
        let v = |ty: &Type, json: Value| r.value(ty, &json, "p");
        assert_eq!(v(&Type::Byte, 127.into()), Ok(TypedValue::Integer(127)));
        assert!(v(&Type::Byte, 128.into()).is_err());
        assert!(v(&Type::Float, "nan".into()).is_err());
        assert!(matches!(v(&Type::Double, "NaN".into()), Ok(TypedValue::Float(f)) if f.is_nan()));
        assert_eq!(
            v(&Type::Blob, "hi".into()),
            Ok(TypedValue::Blob(b"hi".to_vec()))
        );
        assert_eq!(
            v(&sparse, serde_json::json!(["a", null])),
            Ok(TypedValue::List(vec![
                TypedValue::String("a".into()),
                TypedValue::Null
            ]))
        );
        assert_eq!(
            v(&list, serde_json::json!(["a", null])),
            Err((
                "p[1]".to_owned(),
                "null in a list that is not @sparse".to_owned()
            ))
        );
        assert_eq!(
            v(&Type::Integer, "5".into()),
            Err(("p".to_owned(), "\"5\" does not fit an integer".to_owned()))
        );
    }
}
