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
mod url;

pub use self::url::{parse_url, Url};

/// `substring(input, start, stop, reverse)`: the characters `start..stop` of `input`.
///
/// `start` is inclusive and `stop` exclusive. With `reverse`, both count from the
/// end of the string, but the result still reads forwards:
/// `substring("abcdefg", 0, 4, true)` is `"defg"`.
///
/// `None` when `input` holds a non-ASCII character (indices count characters, and
/// the rules engine only defines them for ASCII), when `start >= stop`, or when
/// `input` is shorter than `stop`.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if start >= stop || !input.is_ascii() || input.len() < stop {
        return None;
    }
    // ASCII input: byte offsets are character offsets, so slicing cannot panic.
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    input.get(from..to)
}

/// `uriEncode(value)`: RFC 3986 percent-encoding of every byte of the UTF-8 form
/// of `value` except the unreserved characters `A-Z a-z 0-9 - _ . ~`, with
/// uppercase hexadecimal digits (a space becomes `%20`, never `+`).
pub fn uri_encode(value: &str) -> String {
    crate::percent::encode(value)
}

/// `isValidHostLabel(value, allowSubDomains)`: whether `value` is an RFC 1123 host
/// label: 1 to 63 characters from `A-Z a-z 0-9 -`, the first one a letter or digit.
///
/// With `allow_dots`, `value` may be several such labels joined by `.`; every
/// label must be valid, so an empty label (`a..b`, `a.`, `.a`) is rejected.
pub fn is_valid_host_label(value: &str, allow_dots: bool) -> bool {
    if allow_dots {
        value.split('.').all(is_single_host_label)
    } else {
        is_single_host_label(value)
    }
}

fn is_single_host_label(label: &str) -> bool {
    let bytes = label.as_bytes();
    match bytes.first() {
        Some(first) if first.is_ascii_alphanumeric() => {
            bytes.len() <= 63
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_forwards() {
        assert_eq!(substring("abcdefg", 0, 4, false), Some("abcd"));
        assert_eq!(substring("abcd", 0, 4, false), Some("abcd"));
        assert_eq!(substring("defg", 1, 3, false), Some("ef"));
        assert_eq!(substring("\u{7f}abcdef", 0, 4, false), Some("\u{7f}abc"));
    }

    #[test]
    fn substring_reverse_counts_from_the_end() {
        assert_eq!(substring("abcdefg", 0, 4, true), Some("defg"));
        assert_eq!(substring("defg", 0, 4, true), Some("defg"));
        assert_eq!(substring("abcdefg", 1, 3, true), Some("ef"));
    }

    #[test]
    fn substring_rejects_short_input_empty_range_and_non_ascii() {
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 0, 4, true), None);
        assert_eq!(substring("", 0, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("abc", 3, 1, false), None);
        // One character but three bytes: must not be counted as long enough.
        assert_eq!(substring("\u{fdfd}", 0, 1, false), None);
        assert_eq!(substring("\u{fdfd}abcd", 1, 3, false), None);
        assert_eq!(substring("a\u{1F431}b", 0, 1, false), None);
    }

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

    #[test]
    fn host_labels() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(is_valid_host_label("3aws4", false));
        assert!(is_valid_host_label(&"a".repeat(63), false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label("-foo", false));
        assert!(!is_valid_host_label("a_b", false));
        assert!(!is_valid_host_label("part1 part2", false));
        assert!(!is_valid_host_label("caf\u{e9}", false));
        assert!(!is_valid_host_label("a.b", false));
    }

    #[test]
    fn host_labels_with_dots() {
        assert!(is_valid_host_label("a.b", true));
        assert!(is_valid_host_label("part1.part2", true));
        assert!(is_valid_host_label("a-b.foo", true));
        assert!(is_valid_host_label("us-east-1", true));
        let two_long_labels = format!("{}.{}", "a".repeat(63), "a".repeat(63));
        assert!(is_valid_host_label(&two_long_labels, true));
        assert!(!is_valid_host_label(&format!("{}.a", "a".repeat(64)), true));
        assert!(!is_valid_host_label("", true));
        assert!(!is_valid_host_label(".", true));
        assert!(!is_valid_host_label("part1.", true));
        assert!(!is_valid_host_label(".foo", true));
        assert!(!is_valid_host_label("part1..part2", true));
        assert!(!is_valid_host_label("part1.-part2", true));
        assert!(!is_valid_host_label("a_b.c", true));
    }
}
