//! The generator's errors. Each names the file and the shape (or member)
//! that caused it, so a broken model can be fixed without a debugger.

/// Why a model could not be loaded or turned into code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The model file could not be read.
    #[error("cannot read model file {path}: {source}")]
    Read {
        /// The path tried.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid JSON.
    #[error("{path}:{line}:{column}: invalid JSON: {message}")]
    Json {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A Smithy IDL file does not parse, or names a shape or trait that
    /// does not exist.
    #[error("{path}:{line}:{column}: {message}")]
    Idl {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column (in characters).
        column: usize,
        /// What was expected, and what was found.
        message: String,
    },
    /// A shape is malformed (wrong property type, unknown shape type, ...).
    #[error("{path}: shape `{shape}`: {message}")]
    Shape {
        /// The file.
        path: String,
        /// The shape or member ID.
        shape: String,
        /// What is wrong.
        message: String,
    },
    /// A member (or operation/resource/service reference) targets a shape that does not exist.
    #[error("{path}: `{from}` targets `{target}`, which is not defined in the model or the Smithy prelude")]
    MissingTarget {
        /// The file.
        path: String,
        /// The member or shape holding the reference.
        from: String,
        /// The missing shape ID.
        target: String,
    },
    /// The model has no service shape.
    #[error("{path}: the model has no service shape; a client is generated for one service")]
    NoService {
        /// The file.
        path: String,
    },
    /// The model has several service shapes and none was chosen.
    #[error("{path}: the model has {} service shapes ({}); choose one with --service", .services.len(), .services.join(", "))]
    SeveralServices {
        /// The file.
        path: String,
        /// Their IDs.
        services: Vec<String>,
    },
    /// `--service` named a shape that is not a service in the model.
    #[error("{path}: no service shape `{service}` in the model (services: {})", .available.join(", "))]
    UnknownService {
        /// The file.
        path: String,
        /// What was asked for.
        service: String,
        /// The services there are.
        available: Vec<String>,
    },
    /// The service uses a protocol this generator does not implement.
    #[error("{path}: service `{service}` uses {found}; supported protocols: aws.protocols#awsJson1_0, aws.protocols#awsJson1_1")]
    UnsupportedProtocol {
        /// The file.
        path: String,
        /// The service ID.
        service: String,
        /// The protocol trait(s) found, or "no protocol trait".
        found: String,
    },
    /// Something the model says cannot be expressed (a bad trait value, a
    /// path naming no member, a rule set that does not type-check, ...),
    /// found while building the IR.
    #[error("{path}: {at}: {message}")]
    Model {
        /// The file.
        path: String,
        /// The shape or member, the trait and the place in its value.
        at: Location,
        /// What and why.
        message: String,
    },
    /// A customization configuration (`model/customizations.json`) is
    /// malformed.
    #[error("{path}: at `{at}`: {message}")]
    Customization {
        /// The file.
        path: String,
        /// The JSON path of the entry.
        at: String,
        /// What is wrong.
        message: String,
    },
    /// A file other than the model could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// The path tried.
        path: String,
        /// The I/O error.
        message: String,
    },
    /// Emitted tokens did not parse as Rust: a generator bug, reported with the file.
    #[error("internal error: generated {file} is not valid Rust: {message}")]
    InvalidOutput {
        /// The generated file.
        file: String,
        /// The parser's message.
        message: String,
    },
}

/// Where in a model a problem is: a shape (or member), and when it is in a
/// trait's value, the trait and the JSON path inside the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The shape or member ID (`com.example#Op`, `com.example#In$name`).
    pub shape: String,
    /// The trait (`smithy.api#paginated`), if the problem is in one.
    pub trait_id: Option<String>,
    /// The JSON path inside the trait's value (`outputToken`,
    /// `ThingReady.acceptors[2].matcher.output.path`), if any.
    pub path: Option<String>,
}

impl Location {
    /// A shape or member.
    pub fn shape(shape: impl std::fmt::Display) -> Self {
        Self {
            shape: shape.to_string(),
            trait_id: None,
            path: None,
        }
    }

    /// A trait of a shape or member.
    pub fn in_trait(shape: impl std::fmt::Display, trait_id: &str) -> Self {
        Self {
            trait_id: Some(trait_id.to_owned()),
            ..Self::shape(shape)
        }
    }

    /// The same place, at `path` inside the trait value.
    pub fn at(&self, path: impl Into<String>) -> Self {
        Self {
            path: Some(path.into()),
            ..self.clone()
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`", self.shape)?;
        if let Some(t) = &self.trait_id {
            write!(f, ", trait `{t}`")?;
        }
        if let Some(p) = &self.path {
            write!(f, ", at `{p}`")?;
        }
        Ok(())
    }
}
