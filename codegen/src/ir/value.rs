//! Typed constant values from the model: `@default` values and documents.
//!
//! The model gives them as JSON; they are checked against the member's type
//! here, once, so emission turns them into Rust literals without looking at
//! JSON again.

use super::Type;
use crate::model::ShapeId;
use serde_json::Value;
use std::fmt;

/// A document value (`smithy.api#Document`), members in model order.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// `null`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    /// Any other number (finite).
    Float(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Document>),
    /// An object, members in model order.
    Object(Vec<(String, Document)>),
}

impl Document {
    /// From JSON; `None` for a number that is not finite (JSON cannot hold
    /// one, so only a misbehaving parser could give it).
    pub fn from_json(value: &Value) -> Option<Document> {
        Some(match value {
            Value::Null => Document::Null,
            Value::Bool(b) => Document::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => Document::PosInt(u),
                (_, Some(i), _) => Document::NegInt(i),
                (_, _, Some(f)) if f.is_finite() => Document::Float(f),
                _ => return None,
            },
            Value::String(s) => Document::String(s.clone()),
            Value::Array(items) => Document::Array(
                items
                    .iter()
                    .map(Document::from_json)
                    .collect::<Option<_>>()?,
            ),
            Value::Object(members) => Document::Object(
                members
                    .iter()
                    .map(|(k, v)| Some((k.clone(), Document::from_json(v)?)))
                    .collect::<Option<_>>()?,
            ),
        })
    }
}

impl Document {
    /// As JSON.
    pub fn to_json(&self) -> Value {
        match self {
            Document::Null => Value::Null,
            Document::Bool(b) => Value::Bool(*b),
            Document::PosInt(u) => Value::from(*u),
            Document::NegInt(i) => Value::from(*i),
            Document::Float(f) => Value::from(*f),
            Document::String(s) => Value::String(s.clone()),
            Document::Array(items) => Value::Array(items.iter().map(Document::to_json).collect()),
            Document::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

impl fmt::Display for Document {
    /// As JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Document::Null => f.write_str("null"),
            Document::Bool(b) => write!(f, "{b}"),
            Document::PosInt(u) => write!(f, "{u}"),
            Document::NegInt(i) => write!(f, "{i}"),
            Document::Float(x) => write!(f, "{x:?}"),
            Document::String(s) => write!(f, "{s:?}"),
            Document::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Document::Object(members) => {
                f.write_str("{")?;
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{k:?}:{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// A member's `@default`, checked against its type.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// A byte, short, integer or long, in range for the member's type.
    Integer(i64),
    /// A float or double.
    Float(f64),
    /// A big integer or big decimal, as decimal text.
    BigNumber(String),
    /// A timestamp given as epoch seconds (a JSON number, as written).
    EpochSeconds(String),
    /// A timestamp given as an RFC 3339 string.
    DateTime(String),
    /// A blob (the model gives base64).
    Blob(Vec<u8>),
    /// A document.
    Document(Document),
    /// `[]`.
    EmptyList,
    /// `{}`.
    EmptyMap,
    /// A string enum's value (as on the wire).
    Enum(String),
    /// An intEnum's value.
    IntEnum(i32),
}

impl DefaultValue {
    /// The value Rust's `Default` gives the member's type too (`""`, `[]`,
    /// `{}`): the builder can then use `unwrap_or_default()`.
    pub fn is_rust_default(&self) -> bool {
        match self {
            DefaultValue::String(s) => s.is_empty(),
            DefaultValue::EmptyList | DefaultValue::EmptyMap => true,
            _ => false,
        }
    }

    /// Checks `value` (the trait's JSON) against `ty`; the error says what
    /// does not fit.
    ///
    /// `int_enum` tells whether a named type is an enum (`Some(false)`) or
    /// an intEnum (`Some(true)`).
    pub(super) fn from_json(
        ty: &Type,
        value: &Value,
        int_enum: &dyn Fn(&ShapeId) -> Option<bool>,
    ) -> Result<DefaultValue, String> {
        let bad = || format!("@default value {value} does not fit the member's type");
        let int = |min: i64, max: i64| {
            value
                .as_i64()
                .filter(|v| (min..=max).contains(v))
                .map(DefaultValue::Integer)
                .ok_or_else(bad)
        };
        match (ty, value) {
            (Type::String, Value::String(s)) => Ok(DefaultValue::String(s.clone())),
            (Type::Bool, Value::Bool(b)) => Ok(DefaultValue::Bool(*b)),
            (Type::Byte, _) => int(i8::MIN.into(), i8::MAX.into()),
            (Type::Short, _) => int(i16::MIN.into(), i16::MAX.into()),
            (Type::Integer, _) => int(i32::MIN.into(), i32::MAX.into()),
            (Type::Long, _) => int(i64::MIN, i64::MAX),
            (Type::Float | Type::Double, Value::Number(n)) => {
                n.as_f64().map(DefaultValue::Float).ok_or_else(bad)
            }
            (Type::BigInteger | Type::BigDecimal, Value::Number(n)) => {
                Ok(DefaultValue::BigNumber(n.to_string()))
            }
            (Type::Timestamp(_), Value::Number(n)) => Ok(DefaultValue::EpochSeconds(n.to_string())),
            (Type::Timestamp(_), Value::String(s)) => Ok(DefaultValue::DateTime(s.clone())),
            (Type::Blob, Value::String(s)) => base64_decode(s)
                .map(DefaultValue::Blob)
                .ok_or_else(|| format!("@default value {value} is not base64")),
            (Type::Document, v) => Document::from_json(v)
                .map(DefaultValue::Document)
                .ok_or_else(bad),
            (Type::List { .. }, Value::Array(a)) if a.is_empty() => Ok(DefaultValue::EmptyList),
            (Type::Map { .. }, Value::Object(o)) if o.is_empty() => Ok(DefaultValue::EmptyMap),
            (Type::Named(id), Value::String(s)) => match int_enum(id) {
                Some(false) => Ok(DefaultValue::Enum(s.clone())),
                _ => Err(bad()),
            },
            (Type::Named(id), Value::Number(n)) => match int_enum(id) {
                Some(true) => n
                    .as_i64()
                    .and_then(|v| i32::try_from(v).ok())
                    .map(DefaultValue::IntEnum)
                    .ok_or_else(bad),
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for DefaultValue {
    /// As the model writes it (JSON).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefaultValue::String(s) | DefaultValue::DateTime(s) | DefaultValue::Enum(s) => {
                write!(f, "{s:?}")
            }
            DefaultValue::Bool(b) => write!(f, "{b}"),
            DefaultValue::Integer(i) => write!(f, "{i}"),
            DefaultValue::IntEnum(i) => write!(f, "{i}"),
            DefaultValue::Float(x) => write!(f, "{x:?}"),
            DefaultValue::BigNumber(t) | DefaultValue::EpochSeconds(t) => f.write_str(t),
            DefaultValue::Blob(bytes) => write!(f, "{:?}", base64_encode(bytes)),
            DefaultValue::Document(d) => write!(f, "{d}"),
            DefaultValue::EmptyList => f.write_str("[]"),
            DefaultValue::EmptyMap => f.write_str("{}"),
        }
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = BASE64.iter().position(|&b| b == c)?;
        buf = (buf << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(BASE64[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(ty: Type, value: Value) -> Result<DefaultValue, String> {
        DefaultValue::from_json(&ty, &value, &|_| None)
    }

    #[test]
    fn defaults_are_checked_against_the_type() {
        assert_eq!(check(Type::Integer, json!(5)), Ok(DefaultValue::Integer(5)));
        assert!(check(Type::Byte, json!(300)).is_err());
        assert!(check(Type::Integer, json!("5")).is_err());
        assert!(check(Type::Integer, json!(1.5)).is_err());
        assert_eq!(
            check(Type::Double, json!(0.5)),
            Ok(DefaultValue::Float(0.5))
        );
        assert_eq!(
            check(Type::Blob, json!("Zm9v")),
            Ok(DefaultValue::Blob(b"foo".to_vec()))
        );
        assert_eq!(
            check(Type::Blob, json!("!!")),
            Err("@default value \"!!\" is not base64".to_owned())
        );
        assert_eq!(
            check(
                Type::List {
                    member: Box::new(Type::String),
                    sparse: false
                },
                json!([])
            ),
            Ok(DefaultValue::EmptyList)
        );
        assert!(check(
            Type::List {
                member: Box::new(Type::String),
                sparse: false
            },
            json!(["a"])
        )
        .is_err());
        assert!(check(Type::Named(ShapeId::new("a#E")), json!("x")).is_err());
    }

    #[test]
    fn defaults_display_as_json() {
        for (ty, value) in [
            (Type::String, json!("none")),
            (Type::Integer, json!(5)),
            (Type::Double, json!(0.5)),
            (Type::Blob, json!("Zm9v")),
            (Type::Blob, json!("Zm8=")),
            (Type::Document, json!({"a": [1, true, null, -2, 1.5]})),
            (
                Type::Timestamp(super::super::TimestampFormat::EpochSeconds),
                json!(0),
            ),
        ] {
            let text = check(ty, value.clone()).unwrap().to_string();
            assert_eq!(text, value.to_string());
        }
    }
}
