//! Generates Rust clients for AWS services modelled in Smithy with the
//! awsJson1_0 / awsJson1_1 protocols.
//!
//! The pipeline has three stages, each testable alone:
//! [`model`] (JSON AST or Smithy IDL → typed shapes), [`ir`] (shapes → what the Rust code
//! looks like: names, presence, operations, typed traits; the only reader
//! of the model and the only place model errors are found), and [`emit`]
//! (IR → tokens, infallible), then [`render`] (tokens → formatted text).
//! [`output`] writes the files and checks them for drift.

pub mod customize;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod endpoint_rules;
pub mod error;
mod graph;
mod idl;
pub mod ir;
pub mod model;
pub mod naming;
pub mod output;
pub mod partitions;
pub mod protocol_tests;
pub mod render;
pub mod summary;
pub mod synthetic;
pub mod testgen;

pub use emit::{Files, Options, RUNTIME_VERSION};
pub use error::Error;
pub use model::Model;

/// Finds a published model by name: `<root>/model/<name>.json` when present,
/// else `<root>/../shared/models/<name>.json`. The error says where to get one.
pub fn find_model(root: &std::path::Path, name: &str) -> Result<std::path::PathBuf, String> {
    let candidates = [
        root.join("model").join(format!("{name}.json")),
        root.join("..")
            .join("shared")
            .join("models")
            .join(format!("{name}.json")),
    ];
    if let Some(found) = candidates.iter().find(|c| c.is_file()) {
        return Ok(found.clone());
    }
    Err(format!(
        "no model found: looked for {} and {}. Get the published model from \
         https://github.com/aws/api-models-aws (for Proton: \
         models/proton/service/2020-07-20/proton-2020-07-20.json) and put it in one of those \
         places, or pass --model PATH",
        candidates[0].display(),
        candidates[1].display()
    ))
}

/// A generated crate, and what it had to leave out.
#[derive(Debug)]
pub struct Generated {
    /// The files, by path relative to the crate root.
    pub files: Files,
    /// Operations not generated, with the reason (also in the crate docs).
    pub skipped: Vec<ir::SkippedOperation>,
    /// The end-to-end test file, when [`Options::test_support_crate`] asks
    /// for it.
    pub tests: Option<String>,
    /// The response property-test file ([`testgen::responses`]), with
    /// [`Generated::tests`].
    pub response_tests: Option<String>,
    /// The conformance test file, when [`Options::protocol_tests`] asks for it.
    pub protocol_tests: Option<protocol_tests::ProtocolTests>,
    /// Endpoint test cases emitted `#[ignore]`d because their expectation
    /// disagrees with [`Options::partitions`], with the reason.
    pub stale_endpoint_tests: Vec<endpoint_rules::StaleCase>,
}

/// Picks the service (`service`, or the only one), builds the IR once and
/// emits the crate (and its tests, if asked).
pub fn generate(
    model: &Model,
    service: Option<&str>,
    options: &Options,
) -> Result<Generated, Error> {
    let shape = ir::select_service(model, service)?;
    let mut service = ir::build_customized(model, shape, &options.customizations)?;
    let stale_endpoint_tests = match (&options.partitions, &mut service.endpoint_rules) {
        (Some(table), Some(rules)) => endpoint_rules::mark_stale_cases(rules, table),
        _ => Vec::new(),
    };
    let (tests, response_tests) = match &options.test_support_crate {
        Some(support_crate) => {
            let test_options = testgen::TestOptions {
                client_crate: options.crate_ident(&service).to_string(),
                support_crate: support_crate.clone(),
            };
            (
                Some(testgen::generate(&service, &test_options)?),
                Some(testgen::responses::generate(&service, &test_options)?),
            )
        }
        None => (None, None),
    };
    let protocol_tests = match (&options.test_support_crate, options.protocol_tests) {
        (Some(support_crate), true) => Some(protocol_tests::generate(
            &service,
            &protocol_tests::Options {
                client_crate: options.crate_ident(&service).to_string(),
                support_crate: support_crate.clone(),
            },
        )?),
        _ => None,
    };
    let header = emit::header(&service);
    let mut files = Files::new();
    for (path, tokens) in emit::rust_files(&service, options) {
        let text = render::render(&path, tokens)?;
        files.insert(path, format!("{header}{text}"));
    }
    files.insert("Cargo.toml".to_owned(), emit::cargo_toml(&service, options));
    files.insert("README.md".to_owned(), emit::readme(&service, options));
    Ok(Generated {
        files,
        skipped: service.skipped,
        tests,
        response_tests,
        protocol_tests,
        stale_endpoint_tests,
    })
}
