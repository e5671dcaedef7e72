//! The JSON codec generated clients are built on.
//!
//! Generated code implements [`Serialize`] for the shapes a request can
//! carry and [`Deserialize`] for the shapes a response can carry; the
//! runtime implements both for strings, numbers, timestamps, blobs,
//! documents, lists (`Vec`) and maps (`BTreeMap`). The choice of a
//! hand-written codec over `serde` derive is explained, with numbers, in the
//! repository's ARCHITECTURE.md.

mod read;
mod scan;
mod write;

pub use read::{from_slice, DeserializeError, JsonReader};
pub use write::{to_vec, ArrayWriter, JsonWriter, ObjectWriter, SerializeError, ValueWriter};

/// A value that can be written as JSON.
pub trait Serialize {
    /// Writes `self` as exactly one JSON value.
    fn serialize(&self, w: ValueWriter<'_>);
}

/// A value that can be read from JSON.
pub trait Deserialize: Sized {
    /// Reads one non-null value.
    fn deserialize(r: &mut JsonReader<'_>) -> Result<Self, DeserializeError>;

    /// What a `null` element of a list or map becomes: `None` drops it
    /// (dense collections); `Option<T>` keeps it (sparse collections).
    fn from_null() -> Option<Self> {
        None
    }
}
