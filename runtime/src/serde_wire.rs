//! serde's `Serialize` and `Deserialize` for the runtime's value types, in
//! their wire representation (feature `serde`), and the adapters generated
//! code uses for members whose wire form is not the type's own.
//!
//! - [`DateTime`]: epoch seconds, a number (an integer when the time has no
//!   fraction), as awsJson sends timestamps by default. Members with another
//!   `@timestampFormat` use [`As`]`<`[`DateTimeText`]`>` or
//!   [`As`]`<`[`HttpDateText`]`>`: the RFC 3339 or IMF-fixdate string.
//! - [`Blob`]: its bytes in standard base64, a string.
//! - [`Document`]: the JSON value it holds.
//! - [`UnknownValue`]: the raw enum value, a string.
//! - [`BigInteger`] and [`BigDecimal`]: their decimal text as a string (the
//!   wire's JSON number may not fit serde's numbers); a number is read too.
//!
//! Reading epoch seconds from a float goes through the float's shortest
//! decimal form, so any time with up to microsecond precision reads back
//! exactly as it was written.

use crate::datetime::Format;
use crate::{BigDecimal, BigInteger, Blob, DateTime, Document, Number, UnknownValue};
use base64::Engine as _;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

fn timestamp<S: Serializer>(v: &DateTime, format: Format, s: S) -> Result<S::Ok, S::Error> {
    if format == Format::EpochSeconds {
        return if v.subsec_nanos() == 0 {
            s.serialize_i64(v.secs())
        } else {
            s.serialize_f64(v.as_secs_f64())
        };
    }
    let text = v.fmt(format).map_err(serde::ser::Error::custom)?;
    s.serialize_str(&text)
}

struct TimestampVisitor(Format);

impl Visitor<'_> for TimestampVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Format::EpochSeconds => f.write_str("a timestamp in epoch seconds (a number)"),
            Format::DateTime => f.write_str("an RFC 3339 timestamp"),
            Format::HttpDate => f.write_str("an IMF-fixdate timestamp"),
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
        self.parse(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
        self.parse(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
        if !v.is_finite() {
            return Err(E::custom(format!(
                "{v} is not a representable number of seconds"
            )));
        }
        // `{}` prints the shortest text that reads back as `v`: the decimal
        // the writer started from, for up to microsecond precision.
        self.parse(&format!("{v}"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        self.parse(v)
    }
}

impl TimestampVisitor {
    fn parse<E: de::Error>(&self, text: &str) -> Result<DateTime, E> {
        DateTime::from_str(text, self.0).map_err(E::custom)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        timestamp(self, Format::EpochSeconds, s)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TimestampVisitor(Format::EpochSeconds))
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(self.as_ref()))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Blob::new)
            .map_err(|_| de::Error::custom("invalid base64 in a blob"))
    }
}

impl Serialize for UnknownValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UnknownValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(UnknownValue::new)
    }
}

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Document::Null => s.serialize_unit(),
            Document::Bool(b) => s.serialize_bool(*b),
            Document::Number(Number::PosInt(n)) => s.serialize_u64(*n),
            Document::Number(Number::NegInt(n)) => s.serialize_i64(*n),
            Document::Number(Number::Float(n)) => s.serialize_f64(*n),
            Document::String(v) => s.serialize_str(v),
            Document::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Document::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Document;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a document (any JSON value)")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Document, E> {
        Ok(Document::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Document, D::Error> {
        Document::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Document, E> {
        Ok(Document::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Document, E> {
        Ok(Document::Number(match u64::try_from(v) {
            Ok(n) => Number::PosInt(n),
            Err(_) => Number::NegInt(v),
        }))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Document, E> {
        Ok(Document::Number(Number::PosInt(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Document, E> {
        Ok(Document::Number(Number::Float(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Document, E> {
        Ok(Document::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Document, E> {
        Ok(Document::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Document::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
        let mut members = BTreeMap::new();
        while let Some((k, v)) = map.next_entry::<String, Document>()? {
            members.insert(k, v);
        }
        Ok(Document::Object(members))
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DocumentVisitor)
    }
}

struct BigNumberVisitor<T>(&'static str, PhantomData<T>);

impl<T: std::str::FromStr<Err = crate::big_number::BigNumberError>> Visitor<'_>
    for BigNumberVisitor<T>
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.visit_str(&format!("{v}"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        v.parse().map_err(E::custom)
    }
}

macro_rules! big_number_serde {
    ($name:ident, $expecting:literal) => {
        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(BigNumberVisitor($expecting, PhantomData))
            }
        }
    };
}

big_number_serde!(BigInteger, "an integer (decimal text or a number)");
big_number_serde!(BigDecimal, "a decimal number (decimal text or a number)");

/// How a value of `T` is written and read when its wire form is not `T`'s
/// own `Serialize`/`Deserialize` (a timestamp in a non-default format, or a
/// collection of them).
pub trait WireAs<T> {
    /// Writes `value`.
    fn serialize_as<S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error>;
    /// Reads a value.
    fn deserialize_as<'de, D: Deserializer<'de>>(d: D) -> Result<T, D::Error>;
}

/// The field adapter generated code names in `#[serde(with = "...")]`:
/// `As::<A>` writes and reads the field as `A` says.
pub struct As<A>(PhantomData<A>);

impl<A> As<A> {
    /// Writes `value` as `A` says.
    pub fn serialize<T, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error>
    where
        A: WireAs<T>,
    {
        A::serialize_as(value, s)
    }

    /// Reads a value as `A` says.
    pub fn deserialize<'de, T, D: Deserializer<'de>>(d: D) -> Result<T, D::Error>
    where
        A: WireAs<T>,
    {
        A::deserialize_as(d)
    }
}

/// A timestamp as an RFC 3339 string (`@timestampFormat("date-time")`).
pub struct DateTimeText;

/// A timestamp as an IMF-fixdate string (`@timestampFormat("http-date")`).
pub struct HttpDateText;

/// A timestamp as epoch seconds, a number (the default), for collections
/// of adapted values.
pub struct EpochSeconds;

macro_rules! timestamp_as {
    ($name:ident, $format:expr) => {
        impl WireAs<DateTime> for $name {
            fn serialize_as<S: Serializer>(value: &DateTime, s: S) -> Result<S::Ok, S::Error> {
                timestamp(value, $format, s)
            }

            fn deserialize_as<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime, D::Error> {
                d.deserialize_any(TimestampVisitor($format))
            }
        }
    };
}

timestamp_as!(DateTimeText, Format::DateTime);
timestamp_as!(HttpDateText, Format::HttpDate);
timestamp_as!(EpochSeconds, Format::EpochSeconds);

/// A value written and read by its own impls (inside another adapter).
pub struct Plain;

impl<T: Serialize + for<'de> Deserialize<'de>> WireAs<T> for Plain {
    fn serialize_as<S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
        value.serialize(s)
    }

    fn deserialize_as<'de, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
        T::deserialize(d)
    }
}

/// An `Option<T>` whose value `A` writes (`None` is null).
pub struct OptionOf<A>(PhantomData<A>);

/// A `Vec<T>` whose items `A` writes.
pub struct ListOf<A>(PhantomData<A>);

/// A `BTreeMap<K, T>` whose values `A` writes.
pub struct MapOf<A>(PhantomData<A>);

/// `&T` written as `A` says (a union member's value).
pub struct Adapted<'a, A, T>(&'a T, PhantomData<A>);

impl<'a, A, T> Adapted<'a, A, T> {
    /// `value`, to be written as `A` says.
    pub fn new(value: &'a T) -> Self {
        Adapted(value, PhantomData)
    }
}

impl<A: WireAs<T>, T> Serialize for Adapted<'_, A, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        A::serialize_as(self.0, s)
    }
}

/// A `T` read as `A` says (a union member's value).
pub struct ReadAs<A, T>(T, PhantomData<A>);

impl<A, T> ReadAs<A, T> {
    /// The value read.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<'de, A: WireAs<T>, T> Deserialize<'de> for ReadAs<A, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        A::deserialize_as(d).map(|v| ReadAs(v, PhantomData))
    }
}

impl<A: WireAs<T>, T> WireAs<Option<T>> for OptionOf<A> {
    fn serialize_as<S: Serializer>(value: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_some(&Adapted::<A, T>(v, PhantomData)),
            None => s.serialize_none(),
        }
    }

    fn deserialize_as<'de, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
        Ok(Option::<ReadAs<A, T>>::deserialize(d)?.map(|v| v.0))
    }
}

impl<A: WireAs<T>, T> WireAs<Vec<T>> for ListOf<A> {
    fn serialize_as<S: Serializer>(value: &Vec<T>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(value.iter().map(|v| Adapted::<A, T>(v, PhantomData)))
    }

    fn deserialize_as<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        Ok(Vec::<ReadAs<A, T>>::deserialize(d)?
            .into_iter()
            .map(|v| v.0)
            .collect())
    }
}

impl<A: WireAs<T>, K: Serialize + Ord + for<'de> Deserialize<'de>, T> WireAs<BTreeMap<K, T>>
    for MapOf<A>
{
    fn serialize_as<S: Serializer>(value: &BTreeMap<K, T>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(value.iter().map(|(k, v)| (k, Adapted::<A, T>(v, PhantomData))))
    }

    fn deserialize_as<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<K, T>, D::Error> {
        Ok(BTreeMap::<K, ReadAs<A, T>>::deserialize(d)?
            .into_iter()
            .map(|(k, v)| (k, v.0))
            .collect())
    }
}

/// `{}`: how a union's unit member is written.
#[derive(Clone, Copy, Debug)]
pub struct EmptyObject;

impl Serialize for EmptyObject {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_map(Some(0))?.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap()
    }

    #[test]
    fn timestamps_are_epoch_seconds_and_read_back_exactly() {
        let whole = DateTime::from_secs(1_600_000_000);
        assert_eq!(json(&whole), "1600000000");
        let millis = DateTime::from_secs_and_nanos(1_600_000_000, 123_000_000).unwrap();
        assert_eq!(json(&millis), "1600000000.123");
        assert_eq!(serde_json::from_str::<DateTime>("1600000000.123").unwrap(), millis);
        let micros = DateTime::from_secs_and_nanos(-5, 999_999_000).unwrap();
        let text = json(&micros);
        assert_eq!(serde_json::from_str::<DateTime>(&text).unwrap(), micros);
        assert!(serde_json::from_str::<DateTime>("\"soon\"").is_err());
    }

    #[test]
    fn adapted_timestamps_are_strings_in_their_format() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct T {
            #[serde(with = "As::<DateTimeText>")]
            at: DateTime,
            #[serde(with = "As::<OptionOf<HttpDateText>>")]
            when: Option<DateTime>,
            #[serde(with = "As::<ListOf<OptionOf<DateTimeText>>>")]
            list: Vec<Option<DateTime>>,
            #[serde(with = "As::<MapOf<EpochSeconds>>")]
            map: BTreeMap<String, DateTime>,
        }
        let at = DateTime::from_secs(1_600_000_000);
        let t = T {
            at,
            when: Some(at),
            list: vec![Some(at), None],
            map: BTreeMap::from([("k".to_owned(), at)]),
        };
        let text = json(&t);
        assert_eq!(
            text,
            r#"{"at":"2020-09-13T12:26:40Z","when":"Sun, 13 Sep 2020 12:26:40 GMT","list":["2020-09-13T12:26:40Z",null],"map":{"k":1600000000}}"#
        );
        assert_eq!(serde_json::from_str::<T>(&text).unwrap(), t);
    }

    #[test]
    fn blobs_documents_unknown_values_and_big_numbers() {
        let blob = Blob::new(b"foo".to_vec());
        assert_eq!(json(&blob), r#""Zm9v""#);
        assert_eq!(serde_json::from_str::<Blob>(r#""Zm9v""#).unwrap(), blob);
        assert!(serde_json::from_str::<Blob>(r#""!!""#).is_err());

        let text = r#"{"a":[1,-2,2.5,"s",true,null],"b":{}}"#;
        let doc: Document = serde_json::from_str(text).unwrap();
        assert_eq!(json(&doc), text);
        assert_eq!(doc, crate::json::from_slice::<Document>(text.as_bytes()).unwrap());

        let unknown = UnknownValue::new("NEW_VALUE".to_owned());
        assert_eq!(json(&unknown), r#""NEW_VALUE""#);
        assert_eq!(serde_json::from_str::<UnknownValue>(r#""NEW_VALUE""#).unwrap(), unknown);

        let big: BigInteger = "123456789012345678901234567890".parse().unwrap();
        assert_eq!(json(&big), r#""123456789012345678901234567890""#);
        assert_eq!(serde_json::from_str::<BigInteger>(&json(&big)).unwrap(), big);
        assert_eq!(serde_json::from_str::<BigDecimal>("2.5").unwrap().as_str(), "2.5");
        assert!(serde_json::from_str::<BigInteger>(r#""1.5""#).is_err());
        assert_eq!(json(&EmptyObject), "{}");
    }
}
