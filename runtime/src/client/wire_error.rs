//! The error code and message of an error response (SPEC: awsJson error
//! code resolution and sanitising).

use crate::json::JsonReader;

/// Keeps the part before the first `:`, then the part after the first `#`:
/// `aws.protocoltests#FooError:http://internal...` → `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    match before_colon.split_once('#') {
        Some((_, name)) => name,
        None => before_colon,
    }
    .trim()
}

/// The longest error message kept in an error; longer ones are cut and
/// end with [`TRUNCATED`]. AWS messages are a sentence or a few; 4 KiB
/// keeps the longest validation messages whole and any error's text short.
pub const MAX_MESSAGE: usize = 4096;
/// The longest error code kept (AWS codes are identifiers of a few dozen
/// characters).
pub const MAX_CODE: usize = 256;
/// The longest request ID kept.
pub(crate) const MAX_REQUEST_ID: usize = 256;
/// Ends a text that was cut.
pub const TRUNCATED: &str = " … [truncated]";

/// The error code (header `X-Amzn-Errortype`, else the body's top-level
/// `code`, else its `__type`, sanitized) and message (`message`,
/// `Message` or `errorMessage`) of an error response. A body that is not a
/// JSON object gives neither. Both are capped ([`MAX_CODE`],
/// [`MAX_MESSAGE`]).
pub fn error_code_and_message(
    header: Option<&str>,
    body: &[u8],
) -> (Option<String>, Option<String>) {
    error_parts(header, body, false)
}

/// [`error_code_and_message`] of a body that may have been cut at the
/// error-body limit (`truncated`): a message cut short is kept, marked.
pub(crate) fn error_parts(
    header: Option<&str>,
    body: &[u8],
    truncated: bool,
) -> (Option<String>, Option<String>) {
    let (code, mut message) = scan(header, body);
    if truncated && message.is_none() {
        // The cut most likely fell inside the (long) message: end the
        // string there and read what arrived of it.
        message = scan(None, &closed(body)).1.map(|m| m + TRUNCATED);
    }
    let code = code
        .map(|c| sanitize_error_code(&c).to_owned())
        .filter(|c| !c.is_empty())
        .map(|c| cap(&c, MAX_CODE));
    (code, message.map(|m| cap(&m, MAX_MESSAGE)))
}

fn scan(header: Option<&str>, body: &[u8]) -> (Option<String>, Option<String>) {
    let mut code_field = None;
    let mut type_field = None;
    let mut message = None;
    let mut reader = JsonReader::new(body);
    // An error part way through keeps what was read before it.
    let _ = reader.object(|r, key| {
        match key {
            "code" => code_field = r.nullable::<String>()?,
            "__type" => type_field = r.nullable::<String>()?,
            "message" | "Message" | "errorMessage" if message.is_none() => {
                message = r.nullable::<String>()?
            }
            _ => r.skip_value()?,
        }
        Ok(())
    });
    let code = header.map(str::to_owned).or(code_field).or(type_field);
    (code, message)
}

/// `body` cut inside a string, closed: `{"message":"abc` → `{"message":"abc"}`.
/// An incomplete UTF-8 sequence or escape at the end is dropped first.
fn closed(body: &[u8]) -> Vec<u8> {
    let mut end = match std::str::from_utf8(body) {
        Err(e) if e.error_len().is_none() => e.valid_up_to(),
        _ => body.len(),
    };
    // A `\uXXXX` escape cut short, or a lone `\`.
    let tail_start = end.saturating_sub(6);
    if let Some(i) = body[tail_start..end].iter().rposition(|b| *b == b'\\') {
        let at = tail_start + i;
        let backslashes = body[..=at]
            .iter()
            .rev()
            .take_while(|b| **b == b'\\')
            .count();
        let complete = match body.get(at + 1) {
            Some(b'u') => end - at >= 6,
            Some(_) => at + 1 < end,
            None => false,
        };
        if backslashes % 2 == 1 && !complete {
            end = at;
        }
    }
    let mut out = Vec::with_capacity(end + 2);
    out.extend_from_slice(&body[..end]);
    out.extend_from_slice(b"\"}");
    out
}

/// `body` with every occurrence of each secret (of 8 bytes or more)
/// replaced by [`REDACTED`](crate::REDACTED). A body that is not UTF-8 is
/// returned as it is: it cannot be read as JSON, so no text is taken from
/// it. Linear in the body's size (`str::replace`).
pub(crate) fn scrub<'a>(
    body: bytes::Bytes,
    secrets: impl IntoIterator<Item = &'a str>,
) -> bytes::Bytes {
    let Ok(text) = std::str::from_utf8(&body) else {
        return body;
    };
    let mut scrubbed: Option<String> = None;
    for secret in secrets.into_iter().filter(|s| s.len() >= 8) {
        let current = scrubbed.as_deref().unwrap_or(text);
        if current.contains(secret) {
            scrubbed = Some(current.replace(secret, crate::REDACTED));
        }
    }
    scrubbed.map_or(body, bytes::Bytes::from)
}

/// `text`, cut to at most `max` bytes (on a character boundary) and marked
/// when longer.
pub(crate) fn cap(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{TRUNCATED}", &text[..end])
}

/// Writes `value`'s `Display` to `f`, at most `max` bytes of it, then
/// [`TRUNCATED`] if it was longer: an error's text stays short whatever
/// the server put in it.
pub(crate) fn write_capped(
    f: &mut std::fmt::Formatter<'_>,
    value: &dyn std::fmt::Display,
    max: usize,
) -> std::fmt::Result {
    struct Capped<'a, 'b> {
        f: &'a mut std::fmt::Formatter<'b>,
        left: usize,
        cut: bool,
    }
    impl std::fmt::Write for Capped<'_, '_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            if self.cut {
                return Ok(());
            }
            if s.len() <= self.left {
                self.left -= s.len();
                return self.f.write_str(s);
            }
            let mut end = self.left;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.cut = true;
            self.left = 0;
            self.f.write_str(&s[..end])
        }
    }
    let mut capped = Capped {
        f,
        left: max,
        cut: false,
    };
    std::fmt::write(&mut capped, format_args!("{value}"))?;
    if capped.cut {
        capped.f.write_str(TRUNCATED)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_per_spec() {
        let cases: &[(Option<&str>, &str, Option<&str>)] = &[
            (
                None,
                r#"{"__type":"com.amazonaws.proton#ValidationException","message":"m"}"#,
                Some("ValidationException"),
            ),
            (
                Some("ConflictException:http://internal.amazon.com/coral/"),
                r#"{"__type":"Other"}"#,
                Some("ConflictException"),
            ),
            (
                None,
                r#"{"code":"aws.x#ThrottlingException","__type":"Other"}"#,
                Some("ThrottlingException"),
            ),
            (
                None,
                r#"{"__type":"aws.protocoltests.json10#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"}"#,
                Some("FooError"),
            ),
            (None, r#"{"nested":{"__type":"Inner"}}"#, None),
            (None, "<html>", None),
            (None, "", None),
        ];
        for (header, body, want) in cases {
            let (code, _) = error_code_and_message(*header, body.as_bytes());
            assert_eq!(code.as_deref(), *want, "{header:?} {body}");
        }
        let (_, m) = error_code_and_message(None, br#"{"Message":"upper"}"#);
        assert_eq!(m.as_deref(), Some("upper"));
        let (_, m) = error_code_and_message(None, br#"{"errorMessage":"other"}"#);
        assert_eq!(m.as_deref(), Some("other"));
    }

    #[test]
    fn long_codes_and_messages_are_capped_and_marked() {
        let long = "é".repeat(MAX_MESSAGE);
        let body = format!(r#"{{"__type":"{}","message":"{long}"}}"#, "C".repeat(1000));
        let (code, message) = error_code_and_message(None, body.as_bytes());
        let (code, message) = (code.unwrap(), message.unwrap());
        assert_eq!(code.len(), MAX_CODE + TRUNCATED.len());
        assert!(message.ends_with(TRUNCATED), "{message}");
        assert!(message.len() <= MAX_MESSAGE + TRUNCATED.len());
        assert!(message
            .trim_end_matches(TRUNCATED)
            .chars()
            .all(|c| c == 'é'));
    }

    #[test]
    fn a_message_cut_by_the_body_limit_keeps_what_arrived() {
        let cases: &[(&[u8], &str)] = &[
            (br#"{"__type":"Big","message":"abc"#, "abc"),
            // A cut inside an escape or a UTF-8 sequence drops the fragment.
            (br#"{"__type":"Big","message":"ab\"#, "ab"),
            (br#"{"__type":"Big","message":"ab\u00"#, "ab"),
            (br#"{"__type":"Big","message":"ab\\"#, "ab\\"),
            (br#"{"__type":"Big","message":"ab\n"#, "ab\n"),
            (b"{\"__type\":\"Big\",\"message\":\"ab\xc3", "ab"),
        ];
        for (body, want) in cases {
            let (code, message) = error_parts(None, body, true);
            assert_eq!(code.as_deref(), Some("Big"));
            assert_eq!(message, Some(format!("{want}{TRUNCATED}")), "{body:?}");
        }
        // A complete message before the cut is kept as it is.
        let (_, message) = error_parts(None, br#"{"message":"whole","other":"xx"#, true);
        assert_eq!(message.as_deref(), Some("whole"));
        // Cut before any message: none.
        let (_, message) = error_parts(None, br#"{"__type":"A","list":[1,2"#, true);
        assert_eq!(message, None);
    }

    #[test]
    fn secrets_echoed_by_the_service_are_scrubbed() {
        let body = bytes::Bytes::from_static(
            br#"{"message":"should have been 'x-amz-security-token:TOKEN12345678
' with TOKEN12345678"}"#,
        );
        let out = scrub(body.clone(), ["TOKEN12345678", "short"]);
        let text = std::str::from_utf8(&out).unwrap();
        assert!(!text.contains("TOKEN12345678"), "{text}");
        assert_eq!(text.matches(crate::REDACTED).count(), 2);
        // Nothing to scrub: the same bytes, not a copy.
        let same = scrub(body.clone(), ["absent-secret"]);
        assert_eq!(same.as_ptr(), body.as_ptr());
        let binary = bytes::Bytes::from_static(b"\xffTOKEN12345678");
        assert_eq!(scrub(binary.clone(), ["TOKEN12345678"]), binary);
    }

    #[test]
    fn capped_display_never_fails_and_marks_the_cut() {
        struct Show<'a>(&'a dyn std::fmt::Display, usize);
        impl std::fmt::Display for Show<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write_capped(f, self.0, self.1)
            }
        }
        assert_eq!(Show(&"short", 10).to_string(), "short");
        assert_eq!(Show(&"0123456789", 10).to_string(), "0123456789");
        assert_eq!(
            Show(&"0123456789ab", 10).to_string(),
            format!("0123456789{TRUNCATED}")
        );
        assert_eq!(Show(&"ééé", 3).to_string(), format!("é{TRUNCATED}"));
    }
}
