//! The public shapes of the `smithy.api` prelude, by name, with their shape
//! types: what a relative shape ID resolves to when neither a `use`
//! statement nor the current namespace defines it, and what value an
//! annotation trait (`@name` without a value) gets.
//!
//! Private prelude shapes (`NonEmptyString`, ...) cannot be referred to
//! from other namespaces, so they are not listed.

/// The prelude namespace.
pub const NAMESPACE: &str = "smithy.api";

const SHAPES: &[(&str, &str)] = &[
    // Simple types and the unit type.
    ("String", "string"),
    ("Blob", "blob"),
    ("BigInteger", "bigInteger"),
    ("BigDecimal", "bigDecimal"),
    ("Timestamp", "timestamp"),
    ("Document", "document"),
    ("Boolean", "boolean"),
    ("Byte", "byte"),
    ("Short", "short"),
    ("Integer", "integer"),
    ("Long", "long"),
    ("Float", "float"),
    ("Double", "double"),
    ("PrimitiveBoolean", "boolean"),
    ("PrimitiveByte", "byte"),
    ("PrimitiveShort", "short"),
    ("PrimitiveInteger", "integer"),
    ("PrimitiveLong", "long"),
    ("PrimitiveFloat", "float"),
    ("PrimitiveDouble", "double"),
    ("Unit", "structure"),
    // Traits.
    ("addedDefault", "structure"),
    ("auth", "list"),
    ("authDefinition", "structure"),
    ("box", "structure"),
    ("clientOptional", "structure"),
    ("cors", "structure"),
    ("default", "document"),
    ("deprecated", "structure"),
    ("documentation", "string"),
    ("endpoint", "structure"),
    ("enum", "list"),
    ("enumValue", "document"),
    ("error", "enum"),
    ("eventHeader", "structure"),
    ("eventPayload", "structure"),
    ("examples", "list"),
    ("externalDocumentation", "map"),
    ("hostLabel", "structure"),
    ("http", "structure"),
    ("httpApiKeyAuth", "structure"),
    ("httpBasicAuth", "structure"),
    ("httpBearerAuth", "structure"),
    ("httpChecksumRequired", "structure"),
    ("httpDigestAuth", "structure"),
    ("httpError", "integer"),
    ("httpHeader", "string"),
    ("httpLabel", "structure"),
    ("httpPayload", "structure"),
    ("httpPrefixHeaders", "string"),
    ("httpQuery", "string"),
    ("httpQueryParams", "structure"),
    ("httpResponseCode", "structure"),
    ("idRef", "structure"),
    ("idempotencyToken", "structure"),
    ("idempotent", "structure"),
    ("input", "structure"),
    ("internal", "structure"),
    ("jsonName", "string"),
    ("length", "structure"),
    ("mediaType", "string"),
    ("mixin", "structure"),
    ("nestedProperties", "structure"),
    ("noReplace", "structure"),
    ("notProperty", "structure"),
    ("optionalAuth", "structure"),
    ("output", "structure"),
    ("paginated", "structure"),
    ("pattern", "string"),
    ("private", "structure"),
    ("property", "structure"),
    ("protocolDefinition", "structure"),
    ("range", "structure"),
    ("readonly", "structure"),
    ("recommended", "structure"),
    ("references", "list"),
    ("requestCompression", "structure"),
    ("required", "structure"),
    ("requiresLength", "structure"),
    ("resourceIdentifier", "string"),
    ("retryable", "structure"),
    ("sensitive", "structure"),
    ("since", "string"),
    ("sparse", "structure"),
    ("streaming", "structure"),
    ("suppress", "list"),
    ("tags", "list"),
    ("timestampFormat", "enum"),
    ("title", "string"),
    ("trait", "structure"),
    ("traitValidators", "map"),
    ("uniqueItems", "structure"),
    ("unitType", "structure"),
    ("unstable", "structure"),
    ("xmlAttribute", "structure"),
    ("xmlFlattened", "structure"),
    ("xmlName", "string"),
    ("xmlNamespace", "structure"),
];

/// The shape type of public prelude shape `name`.
pub fn shape_type(name: &str) -> Option<&'static str> {
    SHAPES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = super::SHAPES.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), super::SHAPES.len());
    }
}
