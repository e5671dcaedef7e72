//! The AWS rules-engine functions: `aws.partition` and `aws.parseArn`
//! (<https://smithy.io/2.0/aws/rules-engine/library-functions.html>).

use crate::endpoint::partitions::{self, PatternPart};

pub use super::text::{parse_arn, Arn};

/// The record `aws.partition` returns: the partition a region belongs to.
///
/// Instances are static data embedded from `partitions.json`
/// (see `runtime/src/endpoint/partitions.rs`).
#[derive(Debug, PartialEq, Eq)]
pub struct Partition {
    pub(crate) name: &'static str,
    pub(crate) dns_suffix: &'static str,
    pub(crate) dual_stack_dns_suffix: &'static str,
    pub(crate) supports_fips: bool,
    pub(crate) supports_dual_stack: bool,
    pub(crate) implicit_global_region: &'static str,
}

impl Partition {
    /// `name`: the partition id, e.g. `aws`, `aws-cn`.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// `dnsSuffix`, e.g. `amazonaws.com`.
    pub fn dns_suffix(&self) -> &'static str {
        self.dns_suffix
    }

    /// `dualStackDnsSuffix`, e.g. `api.aws`.
    pub fn dual_stack_dns_suffix(&self) -> &'static str {
        self.dual_stack_dns_suffix
    }

    /// `supportsFIPS`.
    pub fn supports_fips(&self) -> bool {
        self.supports_fips
    }

    /// `supportsDualStack`.
    pub fn supports_dual_stack(&self) -> bool {
        self.supports_dual_stack
    }

    /// `implicitGlobalRegion`: the region global endpoints of the partition live in.
    pub fn implicit_global_region(&self) -> &'static str {
        self.implicit_global_region
    }
}

/// Whether the whole of `input` matches `pattern` (anchored at both ends).
///
/// Backtracks over the lengths `\w+`/`\d+` may take; patterns have a handful of
/// parts and regions are short, so this stays cheap.
pub(crate) fn matches_pattern(pattern: &[PatternPart], input: &str) -> bool {
    let Some((first, rest)) = pattern.split_first() else {
        return input.is_empty();
    };
    match *first {
        PatternPart::Literal(text) => input
            .strip_prefix(text)
            .is_some_and(|tail| matches_pattern(rest, tail)),
        PatternPart::OneOf(alternatives) => alternatives.iter().any(|text| {
            input
                .strip_prefix(text)
                .is_some_and(|tail| matches_pattern(rest, tail))
        }),
        PatternPart::Word => {
            matches_repeat(rest, input, |b| b.is_ascii_alphanumeric() || b == b'_')
        }
        PatternPart::Digits => matches_repeat(rest, input, |b| b.is_ascii_digit()),
    }
}

fn matches_repeat(rest: &[PatternPart], input: &str, class: fn(u8) -> bool) -> bool {
    let run = input.bytes().take_while(|b| class(*b)).count();
    // The class is ASCII, so every split point inside the run is a char boundary.
    (1..=run).rev().any(|len| {
        input
            .get(len..)
            .is_some_and(|tail| matches_pattern(rest, tail))
    })
}

/// `aws.partition(region)`: the partition `region` belongs to.
///
/// 1. A partition that lists `region` explicitly (with that region's overrides
///    applied to the partition's outputs);
/// 2. else the first partition, in `partitions.json` order, whose `regionRegex`
///    matches;
/// 3. else the `aws` partition, so unknown regions such as `xx-foo-1` still resolve.
///
/// Always `Some` with the embedded table (the generator checks it has an `aws`
/// partition); the `Option` is the rules-engine signature.
pub fn partition(region: &str) -> Option<&'static Partition> {
    if let Ok(index) = partitions::REGIONS.binary_search_by(|(name, _)| (*name).cmp(region)) {
        return Some(partitions::REGIONS[index].1);
    }
    let by_pattern = partitions::PATTERNS
        .iter()
        .find(|(pattern, _)| matches_pattern(pattern, region))
        .map(|(_, partition)| *partition);
    Some(by_pattern.unwrap_or(partitions::DEFAULT))
}


#[cfg(test)]
mod tests {
    use super::*;

    fn partition_of(region: &str) -> &'static Partition {
        match partition(region) {
            Some(partition) => partition,
            None => panic!("{region} has no partition"),
        }
    }

    #[test]
    fn explicit_regions_resolve_to_their_partition() {
        assert_eq!(partition_of("us-east-1").name(), "aws");
        assert_eq!(partition_of("us-east-1").dns_suffix(), "amazonaws.com");
        assert_eq!(partition_of("cn-north-1").name(), "aws-cn");
        assert_eq!(partition_of("cn-north-1").dns_suffix(), "amazonaws.com.cn");
        assert_eq!(
            partition_of("cn-north-1").dual_stack_dns_suffix(),
            "api.amazonwebservices.com.cn"
        );
        assert_eq!(partition_of("us-gov-west-1").name(), "aws-us-gov");
        assert_eq!(partition_of("us-iso-east-1").name(), "aws-iso");
        assert_eq!(partition_of("us-isob-east-1").name(), "aws-iso-b");
        // Global pseudo-regions match no regex: only the explicit list places them.
        assert_eq!(partition_of("aws-global").name(), "aws");
        assert_eq!(partition_of("aws-cn-global").name(), "aws-cn");
        assert_eq!(partition_of("aws-us-gov-global").name(), "aws-us-gov");
    }

    #[test]
    fn embedded_regions_are_sorted_for_binary_search() {
        let names: Vec<&str> = partitions::REGIONS.iter().map(|(name, _)| *name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(names, sorted);
        assert_eq!(partitions::DEFAULT.name(), "aws");
    }

    #[test]
    fn unlisted_regions_resolve_by_pattern() {
        assert_eq!(partition_of("us-west-9").name(), "aws");
        assert_eq!(partition_of("cn-south-7").name(), "aws-cn");
        assert_eq!(partition_of("us-gov-south-4").name(), "aws-us-gov");
        assert_eq!(partition_of("us-iso-north-2").name(), "aws-iso");
        assert_eq!(partition_of("us-isob-north-2").name(), "aws-iso-b");
        assert_eq!(partition_of("us-isof-east-9").name(), "aws-iso-f");
        assert_eq!(partition_of("eu-isoe-north-3").name(), "aws-iso-e");
        assert_eq!(partition_of("eusc-de-north-2").name(), "aws-eusc");
    }

    #[test]
    fn unknown_regions_fall_back_to_aws() {
        let aws = partition_of("xx-foo-1");
        assert_eq!(aws.name(), "aws");
        assert_eq!(aws.implicit_global_region(), "us-east-1");
        assert!(aws.supports_fips() && aws.supports_dual_stack());
        assert_eq!(partition_of("").name(), "aws");
        assert_eq!(partition_of("cn-north").name(), "aws");
        assert_eq!(partition_of("us-east-1\u{e9}").name(), "aws");
    }

    #[test]
    fn pattern_matching_backtracks_and_anchors() {
        use PatternPart::*;
        // ^(us|eu)\-\w+\-\d+$
        let pattern = [
            OneOf(&["us", "eu"]),
            Literal("-"),
            Word,
            Literal("-"),
            Digits,
        ];
        assert!(matches_pattern(&pattern, "us-east-1"));
        assert!(matches_pattern(&pattern, "eu-a_b-12"));
        assert!(!matches_pattern(&pattern, "us-east-1x"));
        assert!(!matches_pattern(&pattern, "xus-east-1"));
        assert!(!matches_pattern(&pattern, "us--1"));
        assert!(!matches_pattern(&pattern, "us-iso-east-1"));
        // \w+ must give characters back for the following literal to match.
        let pattern = [Word, Literal("b1"), Digits];
        assert!(matches_pattern(&pattern, "aab12"));
        assert!(matches_pattern(&[], ""));
        assert!(!matches_pattern(&[], "a"));
    }
}
