//! The rules-engine functions that work on text alone: `substring`,
//! `isValidHostLabel` and `aws.parseArn`.
//!
//! Nothing here names another module of the runtime: the generator's rule
//! interpreter (`codegen/src/endpoint_rules/eval.rs`) compiles this file as
//! a module of its own, so the endpoint cases it evaluates at generation time
//! and the resolvers generated crates run share one implementation.

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

/// The record `aws.parseArn` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arn {
    partition: String,
    service: String,
    region: String,
    account_id: String,
    resource_id: Vec<String>,
}

impl Arn {
    /// `partition`, e.g. `aws` (never empty).
    pub fn partition(&self) -> &str {
        &self.partition
    }

    /// `service`, e.g. `s3` (never empty).
    pub fn service(&self) -> &str {
        &self.service
    }

    /// `region` (may be empty).
    pub fn region(&self) -> &str {
        &self.region
    }

    /// `accountId` (may be empty).
    pub fn account_id(&self) -> &str {
        &self.account_id
    }

    /// `resourceId`: the resource part split on both `:` and `/`.
    pub fn resource_id(&self) -> &[String] {
        &self.resource_id
    }
}

/// `aws.parseArn(value)`: splits `arn:partition:service:region:account:resource`.
///
/// `None` unless there are at least six `:`-separated parts, the first is `arn`,
/// and partition, service and resource are non-empty. Everything after the fifth
/// `:` is the resource, split on `:` and `/` into `resourceId`.
pub fn parse_arn(value: &str) -> Option<Arn> {
    let mut parts = value.splitn(6, ':');
    let (arn, partition, service, region, account_id, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account_id.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
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

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:s3:us-east-2:012345678:outpost:op-1234");
        let arn = arn.as_ref();
        assert_eq!(arn.map(Arn::partition), Some("aws"));
        assert_eq!(arn.map(Arn::service), Some("s3"));
        assert_eq!(arn.map(Arn::region), Some("us-east-2"));
        assert_eq!(arn.map(Arn::account_id), Some("012345678"));
        assert_eq!(
            arn.map(Arn::resource_id),
            Some(&["outpost".to_owned(), "op-1234".to_owned()][..])
        );
        let arn = parse_arn("arn:aws:s3:::my_corporate_bucket/Development/*");
        assert_eq!(arn.as_ref().map(Arn::region), Some(""));
        assert_eq!(arn.as_ref().map(Arn::account_id), Some(""));
        assert_eq!(
            arn.as_ref().map(|a| a.resource_id().join("|")),
            Some("my_corporate_bucket|Development|*".to_owned())
        );
        let arn = parse_arn("arn:aws:iam::123456789012:user/a:b/c");
        assert_eq!(
            arn.as_ref().map(|a| a.resource_id().join("|")),
            Some("user|a|b|c".to_owned())
        );
    }

    #[test]
    fn invalid_arns() {
        assert_eq!(parse_arn("arn:aws:s3:us-east-2:012345678:"), None);
        assert_eq!(parse_arn("arn:aws:s3:us-east-2:012345678"), None);
        assert_eq!(parse_arn("arn::s3:us-east-2:012345678:r"), None);
        assert_eq!(parse_arn("arn:aws::us-east-2:012345678:r"), None);
        assert_eq!(parse_arn("arm:aws:s3:us-east-2:012345678:r"), None);
        assert_eq!(parse_arn(""), None);
        assert_eq!(parse_arn("not an arn"), None);
    }
}
