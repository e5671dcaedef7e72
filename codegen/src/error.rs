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
    /// Something the model says cannot be expressed (a bad trait value, an
    /// unresolvable name collision, ...).
    #[error("{path}: `{shape}`: {message}")]
    Unsupported {
        /// The file.
        path: String,
        /// The shape or member ID.
        shape: String,
        /// What and why.
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
