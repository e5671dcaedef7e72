//! The ids of the Smithy traits the IR reads, in one place: IR building
//! looks them up in the model, and the changelog names a change after the
//! trait it comes from (`Other trait changes: X.y (sensitive)`).

/// Prefix of the Smithy prelude's traits, dropped when a changelog names one.
pub const PRELUDE: &str = "smithy.api#";

/// `@aws.api#service` (sdkId, endpoint prefix).
pub const AWS_SERVICE: &str = "aws.api#service";
/// `@aws.api#clientDiscoveredEndpoint`.
pub const CLIENT_DISCOVERED_ENDPOINT: &str = "aws.api#clientDiscoveredEndpoint";
/// `@aws.api#clientEndpointDiscovery` (the discovery operation and error).
pub const CLIENT_ENDPOINT_DISCOVERY: &str = "aws.api#clientEndpointDiscovery";
/// `@aws.api#clientEndpointDiscoveryId`.
pub const CLIENT_ENDPOINT_DISCOVERY_ID: &str = "aws.api#clientEndpointDiscoveryId";
/// `@aws.auth#sigv4` (the signing name).
pub const SIGV4: &str = "aws.auth#sigv4";
/// `@aws.protocols#awsQueryCompatible`.
pub const QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";
/// `@clientOptional`.
pub const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
/// `@default`.
pub const DEFAULT: &str = "smithy.api#default";
/// `@deprecated`.
pub const DEPRECATED: &str = "smithy.api#deprecated";
/// `@documentation`.
pub const DOCUMENTATION: &str = "smithy.api#documentation";
/// `@endpoint` (the host prefix).
pub const ENDPOINT: &str = "smithy.api#endpoint";
/// `@error`.
pub const ERROR: &str = "smithy.api#error";
/// `@httpError`.
pub const HTTP_ERROR: &str = "smithy.api#httpError";
/// `@idempotencyToken`.
pub const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
/// `@length`.
pub const LENGTH: &str = "smithy.api#length";
/// `@paginated`.
pub const PAGINATED: &str = "smithy.api#paginated";
/// `@pattern`.
pub const PATTERN: &str = "smithy.api#pattern";
/// `@range`.
pub const RANGE: &str = "smithy.api#range";
/// `@requestCompression`.
pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";
/// `@required`.
pub const REQUIRED: &str = "smithy.api#required";
/// `@retryable`.
pub const RETRYABLE: &str = "smithy.api#retryable";
/// `@smithy.rules#endpointRuleSet`.
pub const RULE_SET: &str = "smithy.rules#endpointRuleSet";
/// `@smithy.rules#endpointTests`.
pub const RULE_TESTS: &str = "smithy.rules#endpointTests";
/// `@sensitive`.
pub const SENSITIVE: &str = "smithy.api#sensitive";
/// `@sparse`.
pub const SPARSE: &str = "smithy.api#sparse";
/// `@streaming`.
pub const STREAMING: &str = "smithy.api#streaming";
/// `@timestampFormat`.
pub const TIMESTAMP_FORMAT: &str = "smithy.api#timestampFormat";
/// `@title`.
pub const TITLE: &str = "smithy.api#title";
/// `@uniqueItems`.
pub const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
/// `@unitType`.
pub const UNIT_TYPE: &str = "smithy.api#unitType";
/// `@smithy.waiters#waitable`.
pub const WAITABLE: &str = "smithy.waiters#waitable";
