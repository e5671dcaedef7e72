//! The pull reader generated deserializers call.
//!
//! The reader walks the input bytes once, without building a tree. Structure
//! deserializers call [`JsonReader::object`] with a closure that dispatches on
//! member names and skips the rest, so unknown members cost a skip and
//! nothing else. Errors say what was expected, where (the member path, e.g.
//! `service.pipeline.spec`) and at which byte.

use super::Deserialize;
use crate::datetime::{DateTime, Format};
use crate::{Blob, Document, Number};
use base64::Engine;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Deeper nesting than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 128;

/// A response body that is not the JSON the model describes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeserializeError {
    message: String,
    offset: usize,
    /// Member names and indices from the outside in, filled as the error
    /// travels out of nested readers.
    path: Vec<PathSegment>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum PathSegment {
    Key(String),
    Index(usize),
}

impl DeserializeError {
    fn new(message: impl Into<String>, offset: usize) -> Self {
        Self {
            message: message.into(),
            offset,
            path: Vec::new(),
        }
    }

    /// A custom error at the reader's position, for generated code.
    pub fn custom(reader: &JsonReader<'_>, message: impl Into<String>) -> Self {
        Self::new(message, reader.pos)
    }

    fn within(mut self, segment: PathSegment) -> Self {
        self.path.insert(0, segment);
        self
    }

    /// What went wrong, without the location.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The byte offset in the body where it went wrong.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The member path where it went wrong, e.g. `services[3].name`; empty at the top level.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for segment in &self.path {
            match segment {
                PathSegment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                PathSegment::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
}

impl std::fmt::Display for DeserializeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = self.path();
        if path.is_empty() {
            write!(f, "{} at byte {}", self.message, self.offset)
        } else {
            write!(f, "{} at `{path}` (byte {})", self.message, self.offset)
        }
    }
}

impl std::error::Error for DeserializeError {}

/// Parses a whole body as `T`. An empty (or all-whitespace) body reads as
/// `{}`, which awsJson allows for operations with empty output.
pub fn from_slice<T: Deserialize>(body: &[u8]) -> Result<T, DeserializeError> {
    let mut reader = JsonReader::new(body);
    if reader.at_end() {
        reader = JsonReader::new(b"{}");
    }
    let value = T::deserialize(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// A cursor over one JSON text.
#[derive(Debug)]
pub struct JsonReader<'a> {
    input: &'a [u8],
    /// The longest valid UTF-8 prefix of `input` (all of it, for a valid
    /// body), checked once: strings are sliced from it instead of each
    /// being checked again.
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> JsonReader<'a> {
    /// A reader at the start of `input`.
    pub fn new(input: &'a [u8]) -> Self {
        let text = match std::str::from_utf8(input) {
            Ok(text) => text,
            // Only a string can hold the invalid bytes without a syntax
            // error first; `raw_string` reports them there.
            Err(e) => std::str::from_utf8(&input[..e.valid_up_to()]).unwrap_or_default(),
        };
        Self {
            input,
            text,
            pos: 0,
            depth: 0,
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.input.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.input.get(self.pos).copied()
    }

    fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }

    /// Fails unless only whitespace is left.
    pub fn end(&mut self) -> Result<(), DeserializeError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("unexpected data after the JSON value")),
        }
    }

    fn error(&self, message: impl Into<String>) -> DeserializeError {
        DeserializeError::new(message, self.pos)
    }

    fn unexpected(&mut self, expected: &str) -> DeserializeError {
        let found = match self.peek() {
            None => "the end of the input".to_owned(),
            Some(b'{') => "an object".to_owned(),
            Some(b'[') => "an array".to_owned(),
            Some(b'"') => "a string".to_owned(),
            Some(b't' | b'f') => "a boolean".to_owned(),
            Some(b'n') => "null".to_owned(),
            Some(b'-' | b'0'..=b'9') => "a number".to_owned(),
            Some(b) => format!("the character {:?}", char::from(b)),
        };
        self.error(format!("expected {expected}, found {found}"))
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), DeserializeError> {
        if self.input[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("invalid literal"))
        }
    }

    /// Consumes a `null` if one comes next and says whether it did.
    pub fn read_null(&mut self) -> Result<bool, DeserializeError> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Reads one non-null `T`.
    pub fn read<T: Deserialize>(&mut self) -> Result<T, DeserializeError> {
        T::deserialize(self)
    }

    /// Reads `T`, or `None` for `null` (which awsJson treats as absent).
    pub fn nullable<T: Deserialize>(&mut self) -> Result<Option<T>, DeserializeError> {
        if self.read_null()? {
            Ok(None)
        } else {
            T::deserialize(self).map(Some)
        }
    }

    fn enter(&mut self) -> Result<(), DeserializeError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    /// Reads an object, calling `member` with each key; `member` must consume
    /// the value (read it or [`skip_value`](Self::skip_value)).
    ///
    /// Generic over `member`, so compiled once per structure: only the loop
    /// is here, the parsing is in the non-generic `object_start`,
    /// `member_name` and `object_next` (small, inlined), compiled once.
    pub fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, &str) -> Result<(), DeserializeError>,
    ) -> Result<(), DeserializeError> {
        if !self.object_start()? {
            return Ok(());
        }
        loop {
            let key = self.member_name()?;
            if let Err(e) = member(self, &key) {
                return Err(in_member(e, key));
            }
            if !self.object_next()? {
                return Ok(());
            }
        }
    }

    /// Enters an object: false when it is empty (and then read whole).
    fn object_start(&mut self) -> Result<bool, DeserializeError> {
        if self.peek() != Some(b'{') {
            return Err(self.unexpected("an object"));
        }
        self.enter()?;
        self.pos += 1;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// A member's name and its `:`.
    fn member_name(&mut self) -> Result<Cow<'a, str>, DeserializeError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a member name"));
        }
        let key = self.raw_string()?;
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:`"));
        }
        self.pos += 1;
        Ok(key)
    }

    /// After a member: true when another follows (`,`), false at the end of
    /// the object (`}`, then read).
    #[inline]
    fn object_next(&mut self) -> Result<bool, DeserializeError> {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b'}') => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            _ => Err(self.unexpected("`,` or `}`")),
        }
    }

    /// Reads an array, calling `element` once per element; `element` must
    /// consume it. Generic like [`object`](Self::object), with the parsing
    /// in non-generic `array_start` and `array_next`.
    pub fn array(
        &mut self,
        mut element: impl FnMut(&mut Self) -> Result<(), DeserializeError>,
    ) -> Result<(), DeserializeError> {
        if !self.array_start()? {
            return Ok(());
        }
        let mut index = 0;
        loop {
            if let Err(e) = element(self) {
                return Err(e.within(PathSegment::Index(index)));
            }
            index += 1;
            if !self.array_next()? {
                return Ok(());
            }
        }
    }

    /// Enters an array: false when it is empty (and then read whole).
    fn array_start(&mut self) -> Result<bool, DeserializeError> {
        if self.peek() != Some(b'[') {
            return Err(self.unexpected("an array"));
        }
        self.enter()?;
        self.pos += 1;
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// After an element: true when another follows (`,`), false at the end
    /// of the array (`]`, then read).
    #[inline]
    fn array_next(&mut self) -> Result<bool, DeserializeError> {
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(true)
            }
            Some(b']') => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            _ => Err(self.unexpected("`,` or `]`")),
        }
    }

    /// Skips one value of any kind.
    pub fn skip_value(&mut self) -> Result<(), DeserializeError> {
        match self.peek() {
            Some(b'{') => self.object(|r, _| r.skip_value()),
            Some(b'[') => self.array(|r| r.skip_value()),
            Some(b'"') => self.raw_string().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number_text().map(drop),
            _ => Err(self.unexpected("a value")),
        }
    }

    /// Reads a string, unescaped (borrowed when it has no escapes).
    pub fn str(&mut self) -> Result<Cow<'a, str>, DeserializeError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a string"));
        }
        self.raw_string()
    }

    /// Reads a string into an owned `String`.
    pub fn string(&mut self) -> Result<String, DeserializeError> {
        self.str().map(Cow::into_owned)
    }

    fn raw_string(&mut self) -> Result<Cow<'a, str>, DeserializeError> {
        let input = self.input;
        let start = self.pos + 1;
        // Up to the first byte that is not plain string content, in one scan.
        let Some(n) = input.get(start..).and_then(super::scan::plain_len) else {
            self.pos = input.len();
            return Err(self.error("unterminated string"));
        };
        let mut i = start + n;
        match input[i] {
            b'"' => {
                let Some(text) = self.text.get(start..i) else {
                    return Err(DeserializeError::new(
                        "string is not valid UTF-8",
                        self.text.len().max(start),
                    ));
                };
                self.pos = i + 1;
                return Ok(Cow::Borrowed(text));
            }
            b'\\' => {}
            _ => {
                self.pos = i;
                return Err(self.error("control character in string"));
            }
        }
        // Slow path: the string has escapes. Its escaped length bounds the
        // decoded one, so the buffer is allocated once, never grown.
        let mut out: Vec<u8> = Vec::with_capacity(escaped_len(&input[start..]));
        out.extend_from_slice(&input[start..i]);
        loop {
            match input.get(i) {
                None => {
                    self.pos = i;
                    return Err(self.error("unterminated string"));
                }
                Some(b'"') => {
                    self.pos = i + 1;
                    return String::from_utf8(out)
                        .map(Cow::Owned)
                        .map_err(|_| DeserializeError::new("string is not valid UTF-8", start));
                }
                Some(b'\\') => {
                    let escape = input.get(i + 1).copied();
                    i += 2;
                    let c = match escape {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let (c, next) = self.unicode_escape(i)?;
                            i = next;
                            c
                        }
                        _ => {
                            self.pos = i - 2;
                            return Err(self.error("invalid escape in string"));
                        }
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Some(0..=0x1f) => {
                    self.pos = i;
                    return Err(self.error("control character in string"));
                }
                Some(_) => {
                    // A run of plain content up to the next stop, at once.
                    let end = super::scan::plain_len(&input[i..]).map_or(input.len(), |n| i + n);
                    out.extend_from_slice(&input[i..end]);
                    i = end;
                }
            }
        }
    }

    /// Decodes the four hex digits at `i` (after `\u`), joining a surrogate pair.
    fn unicode_escape(&mut self, i: usize) -> Result<(char, usize), DeserializeError> {
        let hex4 = |at: usize| -> Option<u32> {
            let digits = self.input.get(at..at + 4)?;
            u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
        };
        let invalid = |at| DeserializeError::new("invalid \\u escape in string", at);
        let first = hex4(i).ok_or_else(|| invalid(i))?;
        if (0xD800..0xDC00).contains(&first) {
            if self.input.get(i + 4..i + 6) != Some(b"\\u") {
                return Err(invalid(i));
            }
            let second = hex4(i + 6).ok_or_else(|| invalid(i + 6))?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(invalid(i + 6));
            }
            let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
            let c = char::from_u32(code).ok_or_else(|| invalid(i))?;
            Ok((c, i + 10))
        } else {
            let c = char::from_u32(first).ok_or_else(|| invalid(i))?;
            Ok((c, i + 4))
        }
    }

    /// Reads a number and returns its text as written.
    pub fn number_text(&mut self) -> Result<&'a str, DeserializeError> {
        if !matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.unexpected("a number"));
        }
        let input = self.input;
        let start = self.pos;
        let mut i = start;
        if input.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |i: &mut usize| {
            let s = *i;
            while input.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > s
        };
        let mut ok = digits(&mut i);
        if input.get(i) == Some(&b'.') {
            i += 1;
            ok &= digits(&mut i);
        }
        if matches!(input.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(input.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            ok &= digits(&mut i);
        }
        if !ok {
            return Err(self.error("malformed number"));
        }
        self.pos = i;
        // Only ASCII digits, signs, '.', 'e' were accepted above: sliced
        // from the text checked once, unless it ended at an invalid byte
        // before this number.
        match self.text.get(start..i) {
            Some(text) => Ok(text),
            None => std::str::from_utf8(&input[start..i])
                .map_err(|_| DeserializeError::new("malformed number", start)),
        }
    }

    /// Reads a boolean.
    pub fn boolean(&mut self) -> Result<bool, DeserializeError> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|_| true),
            Some(b'f') => self.literal(b"false").map(|_| false),
            _ => Err(self.unexpected("a boolean")),
        }
    }

    /// Reads an integer that must fit `i64`.
    pub fn integer(&mut self) -> Result<i64, DeserializeError> {
        let start = self.pos;
        let text = self.number_text()?;
        text.parse::<i64>().map_err(|_| {
            let found = if text.contains(['.', 'e', 'E']) {
                "a number with a fraction or exponent"
            } else {
                "an integer out of the 64-bit range"
            };
            DeserializeError::new(
                format!("expected an integer, found {found} {}", size(text)),
                start,
            )
        })
    }

    /// Reads a floating-point number, accepting `"NaN"`, `"Infinity"`, `"-Infinity"`.
    pub fn float(&mut self) -> Result<f64, DeserializeError> {
        if self.peek() == Some(b'"') {
            let start = self.pos;
            return match &*self.raw_string()? {
                "NaN" => Ok(f64::NAN),
                "Infinity" => Ok(f64::INFINITY),
                "-Infinity" => Ok(f64::NEG_INFINITY),
                other => Err(DeserializeError::new(
                    format!(
                        "expected a number, found a string other than NaN, Infinity or -Infinity {}",
                        size(other)
                    ),
                    start,
                )),
            };
        }
        let start = self.pos;
        let text = self.number_text()?;
        text.parse::<f64>()
            .map_err(|_| DeserializeError::new(format!("malformed number {}", size(text)), start))
    }

    /// Reads a timestamp in `format`: a number for epoch seconds, else a string.
    pub fn timestamp(&mut self, format: Format) -> Result<DateTime, DeserializeError> {
        let start = self.pos;
        let (parsed, len) = match format {
            Format::EpochSeconds => {
                let text = self.number_text()?;
                (DateTime::from_str(text, format), text.len())
            }
            _ => {
                let text = self.str()?;
                (DateTime::from_str(&text, format), text.len())
            }
        };
        // Not the parser's message: it quotes the value.
        parsed.map_err(|_| {
            DeserializeError::new(
                format!("expected a timestamp in the {format:?} format ({len} bytes)"),
                start,
            )
        })
    }

    /// Reads a base64 string as bytes.
    pub fn blob(&mut self) -> Result<Blob, DeserializeError> {
        let start = self.pos;
        let text = self.str()?;
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Blob::new)
            .map_err(|_| DeserializeError::new("invalid base64", start))
    }

    /// Reads any value as a [`Document`].
    pub fn document(&mut self) -> Result<Document, DeserializeError> {
        Ok(match self.peek() {
            Some(b'{') => {
                let mut members = BTreeMap::new();
                self.object(|r, key| {
                    members.insert(key.to_owned(), r.document()?);
                    Ok(())
                })?;
                Document::Object(members)
            }
            Some(b'[') => {
                let mut items = Vec::new();
                self.array(|r| {
                    items.push(r.document()?);
                    Ok(())
                })?;
                Document::Array(items)
            }
            Some(b'"') => Document::String(self.string()?),
            Some(b't' | b'f') => Document::Bool(self.boolean()?),
            Some(b'n') => {
                self.literal(b"null")?;
                Document::Null
            }
            _ => {
                let start = self.pos;
                let text = self.number_text()?;
                let number = if let Ok(n) = text.parse::<u64>() {
                    Number::PosInt(n)
                } else if let Ok(n) = text.parse::<i64>() {
                    Number::NegInt(n)
                } else {
                    Number::Float(text.parse::<f64>().map_err(|_| {
                        DeserializeError::new(format!("malformed number {}", size(text)), start)
                    })?)
                };
                Document::Number(number)
            }
        })
    }
}

/// The length of the escaped string content at the start of `content` (up
/// to its closing quote; all of `content` when there is none): a bound on
/// the decoded length, since no escape is shorter than what it stands for.
fn escaped_len(content: &[u8]) -> usize {
    let mut i = 0;
    while let Some(n) = content.get(i..).and_then(super::scan::plain_len) {
        i += n;
        match content[i] {
            b'\\' => i += 2,
            _ => return i,
        }
    }
    content.len()
}

/// `e` as an error inside member `key` (out of the generic
/// [`JsonReader::object`], so compiled once).
fn in_member(e: DeserializeError, key: Cow<'_, str>) -> DeserializeError {
    e.within(PathSegment::Key(key.into_owned()))
}

/// `(N bytes)`: how a read error describes the offending value. Errors
/// name the kind and size of a value, never the value itself: it may be
/// `@sensitive`, and it may be megabytes long.
fn size(text: &str) -> String {
    format!("({} bytes)", text.len())
}

impl Deserialize for String {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        r.string()
    }
}

impl Deserialize for bool {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        r.boolean()
    }
}

macro_rules! deserialize_integers {
    ($($t:ty),*) => {$(
        impl Deserialize for $t {
            fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
                let start = r.pos;
                let v = r.integer()?;
                <$t>::try_from(v).map_err(|_| DeserializeError::new(
                    format!("an integer out of range for {}", stringify!($t)),
                    start,
                ))
            }
        }
    )*};
}
deserialize_integers!(i8, i16, i32, i64);

impl Deserialize for f64 {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        r.float()
    }
}

impl Deserialize for f32 {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        r.float().map(|v| v as f32)
    }
}

/// Epoch seconds, the awsJson default; members with another
/// `@timestampFormat` call [`JsonReader::timestamp`] directly.
impl Deserialize for DateTime {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        r.timestamp(Format::EpochSeconds)
    }
}

impl Deserialize for Blob {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        r.blob()
    }
}

impl Deserialize for Document {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        r.document()
    }

    fn from_null() -> Option<Self> {
        Some(Document::Null)
    }
}

/// Elements of `@sparse` lists and maps keep their nulls.
impl<T: Deserialize> Deserialize for Option<T> {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        T::deserialize(r).map(Some)
    }

    fn from_null() -> Option<Self> {
        Some(None)
    }
}

/// Dense lists drop `null` elements (they cannot hold them, and failing the
/// whole response over one would lose everything else in it).
impl<T: Deserialize> Deserialize for Vec<T> {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        let mut items = Vec::new();
        r.array(|r| {
            if r.read_null()? {
                items.extend(T::from_null());
            } else {
                items.push(T::deserialize(r)?);
            }
            Ok(())
        })?;
        Ok(items)
    }
}

/// Dense maps drop `null` values, as dense lists do.
impl<K: From<String> + Ord, V: Deserialize> Deserialize for BTreeMap<K, V> {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        let mut map = BTreeMap::new();
        r.object(|r, key| {
            let value = if r.read_null()? {
                V::from_null()
            } else {
                Some(V::deserialize(r)?)
            };
            if let Some(value) = value {
                map.insert(K::from(key.to_owned()), value);
            }
            Ok(())
        })?;
        Ok(map)
    }
}

impl<T: Deserialize> Deserialize for Box<T> {
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError> {
        T::deserialize(r).map(Box::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_objects_and_skips_unknown_members() {
        let body = br#" { "name" : "a\"b\u00e9\ud83d\ude00", "extra": {"x":[1,2,{"y":null}]}, "n": -12, "f": 1.5e2 } "#;
        let mut r = JsonReader::new(body);
        let (mut name, mut n, mut f) = (None, None, None);
        r.object(|r, key| {
            match key {
                "name" => name = r.nullable::<String>()?,
                "n" => n = r.nullable::<i32>()?,
                "f" => f = r.nullable::<f64>()?,
                _ => r.skip_value()?,
            }
            Ok(())
        })
        .unwrap();
        r.end().unwrap();
        assert_eq!(name.as_deref(), Some("a\"bé😀"));
        assert_eq!(n, Some(-12));
        assert_eq!(f, Some(150.0));
    }

    #[test]
    fn escaped_strings_decode_runs_between_escapes_into_one_buffer() {
        let text = r#"proton: ServiceSpec\n  \"naïve\" 😀 a long plain run after it\t\u00e9nd"#;
        let body = format!("\"{text}\"");
        let s: String = from_slice(body.as_bytes()).unwrap();
        assert_eq!(
            s,
            "proton: ServiceSpec\n  \"naïve\" 😀 a long plain run after it\ténd"
        );
        // The escaped length bounds the decoded one: no regrowth.
        assert_eq!(escaped_len(&body.as_bytes()[1..]), text.len());
        assert!(s.capacity() <= text.len());
        assert_eq!(escaped_len(br#"a\"b"#), 4);
        assert_eq!(escaped_len(br#"ab\"#), 3);
        for bad in [&br#""a\nb"#[..], b"\"a\\n\x01\"", b"\"a\\"] {
            assert!(from_slice::<String>(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn errors_name_the_member_path_and_byte() {
        let body = br#"{"items":[{"name":"a"},{"name":7}]}"#;
        let mut r = JsonReader::new(body);
        let err = r
            .object(|r, _| {
                r.array(|r| {
                    r.object(|r, _| {
                        r.string()?;
                        Ok(())
                    })
                })
            })
            .unwrap_err();
        assert_eq!(err.path(), "items[1].name");
        assert_eq!(
            err.to_string(),
            "expected a string, found a number at `items[1].name` (byte 31)"
        );
    }

    #[test]
    fn truncated_and_garbage_bodies_are_errors() {
        for body in [
            &b"{\"a\":"[..],
            b"{\"a\":\"x",
            b"<html>",
            b"{\"a\":1,}",
            b"{\"a\" 1}",
            b"[1 2]",
            b"{\"a\":tru}",
            b"{\"a\":\"\\q\"}",
            b"{\"a\":-}",
            b"{} {}",
        ] {
            let result: Result<BTreeMap<String, Document>, _> = from_slice(body);
            assert!(result.is_err(), "{:?}", String::from_utf8_lossy(body));
        }
    }

    #[test]
    fn invalid_utf8_in_a_string_is_an_error_at_its_byte() {
        let err = from_slice::<String>(b"\"ab\xffcd\"").unwrap_err();
        assert_eq!(err.message(), "string is not valid UTF-8");
        assert_eq!(err.offset(), 3);
        let err = from_slice::<Vec<String>>(b"[\"ok\", \"\\n\xc3\"]").unwrap_err();
        assert_eq!(err.message(), "string is not valid UTF-8");
        assert_eq!(
            from_slice::<Vec<String>>("[\"é\",\"ü\\n\"]".as_bytes()).unwrap(),
            ["é", "ü\n"]
        );
    }

    #[test]
    fn empty_body_is_an_empty_object() {
        let map: BTreeMap<String, Document> = from_slice(b"").unwrap();
        assert!(map.is_empty());
        let map: BTreeMap<String, Document> = from_slice(b"  \n").unwrap();
        assert!(map.is_empty());
    }

    #[test]
    fn dense_collections_drop_nulls_sparse_keep_them() {
        let dense: Vec<i32> = from_slice(b"[1,null,2]").unwrap();
        assert_eq!(dense, vec![1, 2]);
        let sparse: Vec<Option<i32>> = from_slice(b"[1,null,2]").unwrap();
        assert_eq!(sparse, vec![Some(1), None, Some(2)]);
        let map: BTreeMap<String, String> = from_slice(br#"{"a":"x","b":null}"#).unwrap();
        assert_eq!(map.len(), 1);
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let body = "[".repeat(100_000);
        let err = from_slice::<Document>(body.as_bytes()).unwrap_err();
        assert!(err.message().contains("nesting deeper"), "{err}");
    }

    #[test]
    fn timestamps_blobs_and_numbers() {
        let t: DateTime = from_slice(b"1.6E9").unwrap();
        assert_eq!(t, DateTime::from_secs(1_600_000_000));
        let b: Blob = from_slice(br#""Zm9v""#).unwrap();
        assert_eq!(b.as_ref(), b"foo");
        assert!(from_slice::<Blob>(br#""!!""#).is_err());
        assert!(from_slice::<i32>(b"3000000000").is_err());
        assert!(from_slice::<i32>(b"1.5").is_err());
        assert!(from_slice::<f64>(br#""NaN""#).unwrap().is_nan());
        let doc: Document = from_slice(br#"{"a":[1,-2,2.5,"s",true,null]}"#).unwrap();
        let expected = Document::Object(BTreeMap::from([(
            "a".to_owned(),
            Document::Array(vec![
                Document::Number(Number::PosInt(1)),
                Document::Number(Number::NegInt(-2)),
                Document::Number(Number::Float(2.5)),
                Document::String("s".into()),
                Document::Bool(true),
                Document::Null,
            ]),
        )]));
        assert_eq!(doc, expected);
        let text = crate::json::to_vec(&doc).unwrap();
        assert_eq!(from_slice::<Document>(&text).unwrap(), doc);
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert!(from_slice::<String>(b"\"\xff\"").is_err());
        assert!(from_slice::<String>(b"\"a\\n\xff\"").is_err());
    }
}
