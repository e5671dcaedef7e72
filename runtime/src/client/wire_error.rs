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

/// The error code (header `X-Amzn-Errortype`, else the body's top-level
/// `code`, else its `__type`, sanitized) and message (`message`,
/// `Message` or `errorMessage`) of an error response. A body that is not a
/// JSON object gives neither.
pub fn error_code_and_message(
    header: Option<&str>,
    body: &[u8],
) -> (Option<String>, Option<String>) {
    let mut code_field = None;
    let mut type_field = None;
    let mut message = None;
    let mut reader = JsonReader::new(body);
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
    let code = header
        .map(str::to_owned)
        .or(code_field)
        .or(type_field)
        .map(|c| sanitize_error_code(&c).to_owned())
        .filter(|c| !c.is_empty());
    (code, message)
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
}
