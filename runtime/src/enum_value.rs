//! Support for open enums: values the model did not list are kept, not dropped.

/// A value of an enum that this client's model does not list (the service
/// added it later). It is sent back exactly as it was received.
///
/// Only the runtime and generated code create these, so a known value can
/// never hide inside `Unknown`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    #[doc(hidden)]
    pub fn new(value: String) -> Self {
        Self(value)
    }

    /// The raw value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
