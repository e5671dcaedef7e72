//! The JSON writer generated serializers call.
//!
//! Writing cannot fail halfway with a half-written buffer in the caller's
//! hands: a value that has no JSON form (an `Unknown` union variant, a
//! timestamp outside the printable range) latches an error, and
//! [`to_vec`] returns it instead of the body.

use super::Serialize;
use crate::datetime::{DateTime, Format};
use crate::{Blob, Document, Number};
use base64::Engine;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A value that cannot be written as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SerializeError {
    message: String,
}

impl std::fmt::Display for SerializeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot serialize request: {}", self.message)
    }
}

impl std::error::Error for SerializeError {}

/// Serializes `value` as the JSON body of a request.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, SerializeError> {
    // serde_json's starting size: the first members without a reallocation.
    let mut writer = JsonWriter {
        out: String::with_capacity(128),
        error: None,
    };
    value.serialize(writer.value());
    writer.finish()
}

/// Owns the output buffer and the first error met.
#[derive(Default, Debug)]
pub struct JsonWriter {
    out: String,
    error: Option<String>,
}

impl JsonWriter {
    /// A writer positioned for one top-level value.
    #[inline]
    pub fn value(&mut self) -> ValueWriter<'_> {
        ValueWriter { w: self }
    }

    /// The JSON text, or the first error latched while writing.
    pub fn finish(self) -> Result<Vec<u8>, SerializeError> {
        match self.error {
            Some(message) => Err(SerializeError { message }),
            None => Ok(self.out.into_bytes()),
        }
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
        // Keep the text well-formed so the enclosing writers stay valid.
        self.out.push_str("null");
    }

    /// `s` as a JSON string. Most strings (every key, nearly every value)
    /// need no escape: one word-at-a-time scan and one copy, in a function
    /// small enough to be cheap to call; the rest goes to
    /// [`escaped_from`](Self::escaped_from).
    fn escaped(&mut self, s: &str) {
        match super::scan::plain_len(s.as_bytes()) {
            None => {
                let out = &mut self.out;
                out.reserve(s.len() + 2);
                out.push('"');
                out.push_str(s);
                out.push('"');
            }
            Some(first) => self.escaped_from(s, first),
        }
    }

    /// `s` as a JSON string, whose first byte to escape is at `first`.
    #[cold]
    #[inline(never)]
    fn escaped_from(&mut self, s: &str, first: usize) {
        let out = &mut self.out;
        out.reserve(s.len() + 8);
        out.push('"');
        let bytes = s.as_bytes();
        let mut start = 0;
        let mut next = Some(first);
        // Whole runs of plain bytes at a time.
        while let Some(offset) = next {
            let i = start + offset;
            out.push_str(&s[start..i]);
            let b = bytes[i];
            match b {
                b'"' => out.push_str(r#"\""#),
                b'\\' => out.push_str(r"\\"),
                b'\n' => out.push_str(r"\n"),
                b'\r' => out.push_str(r"\r"),
                b'\t' => out.push_str(r"\t"),
                0x08 => out.push_str(r"\b"),
                0x0c => out.push_str(r"\f"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str(r"\u00");
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 0xf)]));
                }
            }
            start = i + 1;
            next = super::scan::plain_len(&bytes[start..]);
        }
        out.push_str(&s[start..]);
        out.push('"');
    }

    /// Appends the decimal digits of `v`.
    fn unsigned(&mut self, v: u64) {
        self.out.push_str(itoa::Buffer::new().format(v));
    }

    fn integer(&mut self, v: i64) {
        self.out.push_str(itoa::Buffer::new().format(v));
    }
}

/// Writes exactly one JSON value.
#[must_use = "a ValueWriter must write a value"]
pub struct ValueWriter<'a> {
    w: &'a mut JsonWriter,
}

impl<'a> ValueWriter<'a> {
    /// A value of any type the runtime or generated code knows how to write.
    #[inline]
    pub fn value<T: Serialize + ?Sized>(self, v: &T) {
        v.serialize(self)
    }

    /// A string.
    #[inline]
    pub fn string(self, v: &str) {
        self.w.escaped(v)
    }

    /// `true` or `false`.
    #[inline]
    pub fn boolean(self, v: bool) {
        self.w.out.push_str(if v { "true" } else { "false" })
    }

    /// An integer.
    #[inline]
    pub fn integer(self, v: i64) {
        self.w.integer(v)
    }

    /// A floating-point number; NaN and the infinities are the strings
    /// `"NaN"`, `"Infinity"`, `"-Infinity"`.
    pub fn float(self, v: f64) {
        if v.is_nan() {
            self.w.out.push_str("\"NaN\"")
        } else if v.is_infinite() {
            self.w.out.push_str(if v > 0.0 {
                "\"Infinity\""
            } else {
                "\"-Infinity\""
            })
        } else {
            let _ = write!(self.w.out, "{v}");
        }
    }

    /// A number given as decimal text (Smithy `bigInteger` / `bigDecimal`).
    pub fn number_text(self, v: &str) {
        self.w.out.push_str(v)
    }

    /// A timestamp: a number for epoch seconds, else a string.
    pub fn timestamp(self, v: &DateTime, format: Format) {
        if format == Format::EpochSeconds {
            return self.epoch_seconds(v);
        }
        match v.fmt(format) {
            Ok(text) => self.w.escaped(&text),
            Err(e) => self.w.fail(e.to_string()),
        }
    }

    /// Epoch seconds, written in place (no intermediate `String`): the
    /// whole seconds, then the fraction without trailing zeros, as
    /// `DateTime::fmt` writes them (`12`, `1.5`, `-1.5`).
    fn epoch_seconds(self, v: &DateTime) {
        let (secs, nanos) = v.parts();
        if nanos == 0 {
            return self.w.integer(secs);
        }
        // (-2 s, 0.5e9 ns) is -1.5: sign, whole part, fraction from zero.
        let (whole, frac) = if secs < 0 {
            self.w.out.push('-');
            ((secs + 1).unsigned_abs(), 1_000_000_000 - nanos)
        } else {
            (secs.unsigned_abs(), nanos)
        };
        self.w.unsigned(whole);
        self.w.out.push('.');
        let mut digits = [b'0'; 9];
        let mut f = frac;
        for d in digits.iter_mut().rev() {
            *d = b'0' + (f % 10) as u8;
            f /= 10;
        }
        let len = digits.iter().rposition(|&d| d != b'0').map_or(0, |i| i + 1);
        for &d in &digits[..len] {
            self.w.out.push(char::from(d));
        }
    }

    /// A blob, base64-encoded.
    pub fn blob(self, v: &[u8]) {
        let encoded = base64::engine::general_purpose::STANDARD.encode(v);
        self.w.out.push('"');
        self.w.out.push_str(&encoded);
        self.w.out.push('"');
    }

    /// `null`.
    #[inline]
    pub fn null(self) {
        self.w.out.push_str("null")
    }

    /// Starts an object; call [`ObjectWriter::end`] when done.
    #[inline]
    pub fn object(self) -> ObjectWriter<'a> {
        self.w.out.push('{');
        ObjectWriter {
            w: self.w,
            first: true,
        }
    }

    /// Starts an array; call [`ArrayWriter::end`] when done.
    #[inline]
    pub fn array(self) -> ArrayWriter<'a> {
        self.w.out.push('[');
        ArrayWriter {
            w: self.w,
            first: true,
        }
    }

    /// Latches an error for a value that has no JSON form, naming it.
    pub fn invalid(self, message: impl Into<String>) {
        self.w.fail(message.into())
    }
}

/// Writes the members of one object.
pub struct ObjectWriter<'a> {
    w: &'a mut JsonWriter,
    first: bool,
}

impl ObjectWriter<'_> {
    /// Writes `"key":` and returns the writer for its value.
    #[inline]
    pub fn key(&mut self, key: &str) -> ValueWriter<'_> {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
        self.w.escaped(key);
        self.w.out.push(':');
        ValueWriter { w: self.w }
    }

    /// Writes `"key": value` when `value` is set; nothing when it is not
    /// (unset members are omitted, never `null`).
    #[inline]
    pub fn optional<T: Serialize + ?Sized>(&mut self, key: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.key(key).value(value);
        }
    }

    /// Closes the object.
    #[inline]
    pub fn end(self) {
        self.w.out.push('}');
    }
}

/// Writes the elements of one array.
pub struct ArrayWriter<'a> {
    w: &'a mut JsonWriter,
    first: bool,
}

impl ArrayWriter<'_> {
    /// Returns the writer for the next element.
    #[inline]
    pub fn element(&mut self) -> ValueWriter<'_> {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
        ValueWriter { w: self.w }
    }

    /// Closes the array.
    #[inline]
    pub fn end(self) {
        self.w.out.push(']');
    }
}

impl Serialize for str {
    #[inline]
    fn serialize(&self, w: ValueWriter<'_>) {
        w.string(self)
    }
}

impl Serialize for String {
    #[inline]
    fn serialize(&self, w: ValueWriter<'_>) {
        w.string(self)
    }
}

impl Serialize for bool {
    #[inline]
    fn serialize(&self, w: ValueWriter<'_>) {
        w.boolean(*self)
    }
}

macro_rules! serialize_integers {
    ($($t:ty),*) => {$(
        impl Serialize for $t {
            #[inline]
            fn serialize(&self, w: ValueWriter<'_>) {
                w.integer(i64::from(*self))
            }
        }
    )*};
}
serialize_integers!(i8, i16, i32, i64);

impl Serialize for f32 {
    fn serialize(&self, w: ValueWriter<'_>) {
        w.float(f64::from(*self))
    }
}

impl Serialize for f64 {
    fn serialize(&self, w: ValueWriter<'_>) {
        w.float(*self)
    }
}

/// Timestamps default to epoch seconds, the awsJson format; members with
/// another `@timestampFormat` call [`ValueWriter::timestamp`] directly.
impl Serialize for DateTime {
    #[inline]
    fn serialize(&self, w: ValueWriter<'_>) {
        w.timestamp(self, Format::EpochSeconds)
    }
}

impl Serialize for Blob {
    fn serialize(&self, w: ValueWriter<'_>) {
        w.blob(self.as_ref())
    }
}

impl Serialize for Document {
    fn serialize(&self, w: ValueWriter<'_>) {
        match self {
            Document::Null => w.null(),
            Document::Bool(b) => w.boolean(*b),
            Document::Number(Number::PosInt(n)) => w.w.unsigned(*n),
            Document::Number(Number::NegInt(n)) => w.integer(*n),
            Document::Number(Number::Float(f)) => w.float(*f),
            Document::String(s) => w.string(s),
            Document::Array(items) => items.serialize(w),
            Document::Object(members) => members.serialize(w),
        }
    }
}

/// Elements of a `@sparse` list or map may be null.
impl<T: Serialize> Serialize for Option<T> {
    fn serialize(&self, w: ValueWriter<'_>) {
        match self {
            Some(v) => v.serialize(w),
            None => w.null(),
        }
    }
}

impl<T: Serialize> Serialize for Vec<T> {
    fn serialize(&self, w: ValueWriter<'_>) {
        self.as_slice().serialize(w)
    }
}

impl<T: Serialize> Serialize for [T] {
    fn serialize(&self, w: ValueWriter<'_>) {
        let mut array = w.array();
        for item in self {
            item.serialize(array.element());
        }
        array.end();
    }
}

impl<K: AsRef<str>, V: Serialize> Serialize for BTreeMap<K, V> {
    fn serialize(&self, w: ValueWriter<'_>) {
        let mut object = w.object();
        for (k, v) in self {
            v.serialize(object.key(k.as_ref()));
        }
        object.end();
    }
}

impl<T: Serialize + ?Sized> Serialize for Box<T> {
    fn serialize(&self, w: ValueWriter<'_>) {
        (**self).serialize(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text<T: Serialize + ?Sized>(v: &T) -> String {
        String::from_utf8(to_vec(v).unwrap()).unwrap()
    }

    #[test]
    fn escapes_strings() {
        assert_eq!(text("a\"b\\c\n\u{1}é"), r#""a\"b\\c\n\u0001é""#);
    }

    #[test]
    fn escapes_runs_and_every_control_character() {
        assert_eq!(text("plain"), r#""plain""#);
        assert_eq!(text(""), r#""""#);
        assert_eq!(text("\"x\""), r#""\"x\"""#);
        assert_eq!(text("a\tb\rc\u{8}d\u{c}e/"), r#""a\tb\rc\bd\fe/""#);
        assert_eq!(text("\u{1f}\u{7f}é"), "\"\\u001f\u{7f}é\"");
        for b in 0u8..0x20 {
            let written = text(&char::from(b).to_string());
            let read: String = crate::json::from_slice(written.as_bytes()).unwrap();
            assert_eq!(read, char::from(b).to_string(), "{written}");
        }
    }

    #[test]
    fn integers_and_epoch_seconds_are_written_in_place() {
        for v in [0i64, 7, -7, 10, 1_700_000_000, i64::MAX, i64::MIN] {
            assert_eq!(text(&v), v.to_string());
        }
        assert_eq!(
            text(&Document::Number(Number::PosInt(u64::MAX))),
            u64::MAX.to_string()
        );
        let ts = |secs, nanos| text(&DateTime::from_secs_and_nanos(secs, nanos).unwrap());
        assert_eq!(ts(1_700_000_000, 0), "1700000000");
        assert_eq!(ts(1_700_000_100, 500_000_000), "1700000100.5");
        assert_eq!(ts(0, 1), "0.000000001");
        assert_eq!(ts(-2, 500_000_000), "-1.5");
        assert_eq!(ts(-1, 999_999_999), "-0.000000001");
        // The same text as the timestamp's own epoch-seconds format.
        for (secs, nanos) in [
            (0, 0),
            (-5, 250_000_000),
            (946_845_296, 123_000_000),
            (i64::MIN / 2, 0),
            (-1, 1),
        ] {
            let t = DateTime::from_secs_and_nanos(secs, nanos).unwrap();
            assert_eq!(text(&t), t.fmt(Format::EpochSeconds).unwrap(), "{secs} {nanos}");
        }
    }

    #[test]
    fn writes_nested_values() {
        let mut map = BTreeMap::new();
        map.insert("b".to_owned(), vec![1i32, 2]);
        map.insert("a".to_owned(), vec![]);
        assert_eq!(text(&map), r#"{"a":[],"b":[1,2]}"#);
        assert_eq!(
            text(&vec![Some(1.5f64), None, Some(f64::NAN)]),
            r#"[1.5,null,"NaN"]"#
        );
        assert_eq!(text(&Blob::new(b"foo".to_vec())), r#""Zm9v""#);
        assert_eq!(
            text(&DateTime::from_secs_and_nanos(946845296, 123_000_000).unwrap()),
            "946845296.123"
        );
    }

    #[test]
    fn invalid_values_fail_the_whole_body() {
        struct Bad;
        impl Serialize for Bad {
            fn serialize(&self, w: ValueWriter<'_>) {
                let mut o = w.object();
                o.key("u").invalid("union `U` has no known variant set");
                o.end();
            }
        }
        let err = to_vec(&Bad).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot serialize request: union `U` has no known variant set"
        );
    }
}
