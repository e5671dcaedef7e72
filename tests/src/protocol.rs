//! What generated conformance tests (`codegen::protocol_tests`) call: a
//! client config over the in-process double, the request checks of
//! `httpRequestTests` and the comparisons of `httpResponseTests`.
//!
//! Every check reports all that differs at once, with the request's
//! headers and body, so one failing case says what to fix.

pub use crate::{InProcess, Recorded, Reply};
use aws_json_runtime::config::SdkConfig;
use aws_json_runtime::retry::RetryConfig;
use aws_json_runtime::{Document, Number};
use std::fmt::{Debug, Write as _};
use std::sync::Arc;

/// A config whose clients send to `endpoint` through `double`: test
/// credentials, `us-east-1`, one attempt (a case's error is the answer, not
/// a reason to retry), nothing read from the environment.
pub async fn config(double: &Arc<InProcess>, endpoint: &str) -> SdkConfig {
    crate::test_loader(endpoint)
        .http_client(double.clone())
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .load()
        .await
}

/// Answers `200 {}` (request cases look only at the request).
pub fn ok(_: &Recorded) -> Reply {
    Reply::raw(200, &[], b"{}")
}

/// Answers with exactly this status, headers and body.
pub fn reply(
    status: u16,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
) -> impl FnMut(&Recorded) -> Reply + Send + 'static {
    move |_| Reply::raw(status, headers, body.as_bytes())
}

/// An expected body.
#[derive(Clone, Copy, Debug)]
pub enum Body<'a> {
    /// JSON: compared as parsed documents (member order and number
    /// spelling, `1` or `1.0`, do not matter).
    Json(&'a str),
    /// Compared byte for byte.
    Bytes(&'a [u8]),
}

/// What an `httpRequestTests` case expects.
#[derive(Clone, Copy, Debug)]
pub struct ExpectedRequest<'a> {
    /// `POST`.
    pub method: &'a str,
    /// The path.
    pub uri: &'a str,
    /// The host the request goes to.
    pub host: &'a str,
    /// `key=value` pairs of the query.
    pub query_params: &'a [&'a str],
    /// Query keys that must be absent.
    pub forbid_query_params: &'a [&'a str],
    /// Query keys that must be present.
    pub require_query_params: &'a [&'a str],
    /// Headers with their values (names in any case).
    pub headers: &'a [(&'a str, &'a str)],
    /// Headers that must be absent.
    pub forbid_headers: &'a [&'a str],
    /// Headers that must be present.
    pub require_headers: &'a [&'a str],
    /// The body, when the case gives one.
    pub body: Option<Body<'a>>,
}

/// The values of header `name`, joined as HTTP joins repeated headers.
fn header(request: &Recorded, name: &str) -> Option<String> {
    let values: Vec<&str> = request
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Checks the one request `double` received against `expected`; panics
/// listing every difference.
pub fn check_request(double: &InProcess, expected: &ExpectedRequest<'_>) {
    let requests = double.requests();
    let [request] = requests.as_slice() else {
        panic!(
            "expected one request, got {} (a call that cannot be built sends none)",
            requests.len()
        );
    };
    let mut wrong = Vec::new();
    if request.method != expected.method {
        wrong.push(format!(
            "method {} (expected {})",
            request.method, expected.method
        ));
    }
    let uri: http::Uri = request.uri.parse().unwrap_or_default();
    if uri.path() != expected.uri {
        wrong.push(format!(
            "path `{}` (expected `{}`)",
            uri.path(),
            expected.uri
        ));
    }
    if uri.host() != Some(expected.host) {
        wrong.push(format!(
            "sent to host {:?} (expected `{}`)",
            uri.host(),
            expected.host
        ));
    }
    let query: Vec<&str> = uri.query().map_or(Vec::new(), |q| q.split('&').collect());
    let key = |pair: &str| pair.split('=').next().unwrap_or_default().to_owned();
    for pair in expected.query_params {
        if !query.contains(pair) {
            wrong.push(format!("query parameter `{pair}` missing"));
        }
    }
    for k in expected.forbid_query_params {
        if query.iter().any(|p| key(p) == *k) {
            wrong.push(format!("query parameter `{k}` present"));
        }
    }
    for k in expected.require_query_params {
        if !query.iter().any(|p| key(p) == *k) {
            wrong.push(format!("query parameter `{k}` missing"));
        }
    }
    for (name, value) in expected.headers {
        match header(request, name) {
            Some(v) if v == *value => {}
            other => wrong.push(format!("header `{name}`: {other:?} (expected `{value}`)")),
        }
    }
    for name in expected.forbid_headers {
        if let Some(v) = header(request, name) {
            wrong.push(format!("header `{name}` present (`{v}`)"));
        }
    }
    for name in expected.require_headers {
        if header(request, name).is_none() {
            wrong.push(format!("header `{name}` missing"));
        }
    }
    match expected.body {
        None => {}
        Some(Body::Bytes(bytes)) if request.body != bytes => wrong.push(format!(
            "body `{}` (expected `{}`)",
            String::from_utf8_lossy(&request.body),
            String::from_utf8_lossy(bytes)
        )),
        Some(Body::Bytes(_)) => {}
        Some(Body::Json(text)) => {
            let wanted = crate::json(text);
            match aws_json_runtime::json::from_slice::<Document>(&request.body) {
                Ok(sent) if same_json(&sent, &wanted) => {}
                Ok(_) => wrong.push(format!(
                    "JSON body `{}` (expected `{text}`)",
                    String::from_utf8_lossy(&request.body)
                )),
                Err(e) => wrong.push(format!(
                    "body is not JSON ({e}): `{}`",
                    String::from_utf8_lossy(&request.body)
                )),
            }
        }
    }
    if !wrong.is_empty() {
        let mut report = String::from("the request differs from the case:\n");
        for w in &wrong {
            let _ = writeln!(report, "  - {w}");
        }
        let _ = writeln!(report, "sent: {} {}", request.method, request.uri);
        for (k, v) in &request.headers {
            if k != "authorization" {
                let _ = writeln!(report, "  {k}: {v}");
            }
        }
        panic!("{report}");
    }
}

/// JSON equality: objects as maps, numbers by value (`1` equals `1.0`).
pub fn same_json(a: &Document, b: &Document) -> bool {
    match (a, b) {
        (Document::Number(x), Document::Number(y)) => same_number(*x, *y),
        (Document::Array(x), Document::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_json(a, b))
        }
        (Document::Object(x), Document::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

fn same_number(x: Number, y: Number) -> bool {
    match (x.to_i64(), y.to_i64()) {
        (Some(a), Some(b)) => a == b,
        _ => match (x, y) {
            (Number::PosInt(a), Number::PosInt(b)) => a == b,
            _ => x.to_f64() == y.to_f64(),
        },
    }
}

/// A gzip body, decompressed (as a string: request bodies are JSON).
pub fn gunzip(body: &[u8]) -> String {
    use std::io::Read as _;
    let mut out = String::new();
    flate2::read::GzDecoder::new(body)
        .read_to_string(&mut out)
        .unwrap_or_else(|e| panic!("not a gzip body ({e})"));
    out
}

/// The output of a call that must have succeeded.
pub fn parsed<T, E: Debug>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("the response did not parse into the output: {e:?}"))
}

/// `actual` equals `expected`, where a float `NaN` equals `NaN` (the
/// values print the same: `Debug` spells every float exactly).
pub fn assert_same<T: PartialEq + Debug>(actual: &T, expected: &T) {
    if actual != expected && format!("{actual:?}") != format!("{expected:?}") {
        panic!("parsed:   {actual:?}\nexpected: {expected:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bodies_compare_by_value() {
        let same = |a: &str, b: &str| same_json(&crate::json(a), &crate::json(b));
        assert!(same(
            r#"{"a": 1.0, "b": [1, 2]}"#,
            r#"{"b": [1, 2], "a": 1}"#
        ));
        assert!(same(r#"{"f": "NaN"}"#, r#"{"f": "NaN"}"#));
        assert!(!same(r#"{"a": 1}"#, r#"{"a": 1, "b": null}"#));
        assert!(!same(r#"{"a": 1.5}"#, r#"{"a": 1}"#));
        assert!(!same("[1, 2]", "[2, 1]"));
        assert!(same("18446744073709551615", "18446744073709551615"));
    }

    #[test]
    fn nan_is_the_same_as_nan() {
        assert_same(&Some(f32::NAN), &Some(f32::NAN));
        let result = std::panic::catch_unwind(|| assert_same(&Some(1.0), &Some(2.0)));
        assert!(result.is_err());
    }
}
