//! The rules-engine standard library: the functions an endpoint rule set may
//! call, as plain Rust functions that generated resolvers call directly.
//!
//! Semantics follow the Smithy rules-engine standard library
//! (<https://smithy.io/2.0/additional-specs/rules-engine/standard-library.html>)
//! and its conformance tests. `isSet`, `not`, `booleanEquals`, `stringEquals`
//! and `getAttr` need no runtime support: the generator turns them into Rust
//! operators, `Option` checks and accessor calls. The AWS functions live in
//! [`aws`].
//!
//! Hidden from the documentation: only generated code should call these.

pub mod aws;
mod text;
mod url;

pub use self::text::{is_valid_host_label, substring};
pub use self::url::{parse_url, Url};

/// `uriEncode(value)`: RFC 3986 percent-encoding of every byte of the UTF-8 form
/// of `value` except the unreserved characters `A-Z a-z 0-9 - _ . ~`, with
/// uppercase hexadecimal digits (a space becomes `%20`, never `+`).
pub fn uri_encode(value: &str) -> String {
    crate::percent::encode(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encode_keeps_only_unreserved_characters() {
        assert_eq!(uri_encode("abcdefg"), "abcdefg");
        assert_eq!(uri_encode("abc:defg"), "abc%3Adefg");
        assert_eq!(
            uri_encode("0123456789.underscore_dash-Tilda~"),
            "0123456789.underscore_dash-Tilda~"
        );
        assert_eq!(
            uri_encode("/:,?#[]{}|@! $&'()*+;=%<>\"^`\\"),
            "%2F%3A%2C%3F%23%5B%5D%7B%7D%7C%40%21%20%24%26%27%28%29%2A%2B%3B%3D%25%3C%3E%22%5E%60%5C"
        );
        assert_eq!(uri_encode("\u{1F639}"), "%F0%9F%98%B9");
        assert_eq!(uri_encode(""), "");
    }
}
