//! `Document`: an untyped JSON-like value (Smithy `document` shapes, endpoint properties).

use std::collections::BTreeMap;

/// A number inside a [`Document`], kept in the widest lossless form it was read in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    /// A number with a fraction or exponent, or out of integer range.
    Float(f64),
}

impl Number {
    /// The value as `f64` (integers above 2^53 lose precision).
    pub fn to_f64(self) -> f64 {
        match self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }

    /// The value as `i64` when it is an integer that fits.
    pub fn to_i64(self) -> Option<i64> {
        match self {
            Number::PosInt(v) => i64::try_from(v).ok(),
            Number::NegInt(v) => Some(v),
            Number::Float(_) => None,
        }
    }
}

/// An untyped value: what a Smithy `document` member holds.
///
/// Objects keep their keys sorted so that equal documents print and serialize
/// identically.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Document {
    /// JSON `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Document>),
    /// An object.
    Object(BTreeMap<String, Document>),
}

impl Document {
    /// The string inside, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Document::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean inside, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Document::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number inside, if this is a number.
    pub fn as_number(&self) -> Option<Number> {
        match self {
            Document::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Document]> {
        match self {
            Document::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&BTreeMap<String, Document>> {
        match self {
            Document::Object(o) => Some(o),
            _ => None,
        }
    }
}

impl From<&str> for Document {
    fn from(v: &str) -> Self {
        Document::String(v.to_owned())
    }
}

impl From<String> for Document {
    fn from(v: String) -> Self {
        Document::String(v)
    }
}

impl From<bool> for Document {
    fn from(v: bool) -> Self {
        Document::Bool(v)
    }
}

impl From<i64> for Document {
    fn from(v: i64) -> Self {
        Document::Number(if v < 0 {
            Number::NegInt(v)
        } else {
            Number::PosInt(v as u64)
        })
    }
}

impl From<f64> for Document {
    fn from(v: f64) -> Self {
        Document::Number(Number::Float(v))
    }
}

impl From<Vec<Document>> for Document {
    fn from(v: Vec<Document>) -> Self {
        Document::Array(v)
    }
}

impl From<BTreeMap<String, Document>> for Document {
    fn from(v: BTreeMap<String, Document>) -> Self {
        Document::Object(v)
    }
}
