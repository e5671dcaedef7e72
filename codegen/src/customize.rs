//! Customizations: service-specific behaviour the AWS SDKs add to a few
//! services although their models do not state it. The generator's core
//! knows no service by name; each customization is a named hook, switched on
//! for particular shapes by configuration (`model/customizations.json`,
//! read by `cargo xtask`), and checked against the model by IR building
//! like any trait.
//!
//! Hooks:
//!
//! * [`EndpointFromInput`] (`endpointFromInput`): an operation whose
//!   requests go to the URL an input member holds, not to the resolved
//!   endpoint. Amazon Machine Learning's `Predict` is sent to the
//!   `PredictEndpoint` it is given (the SDKs' "set host to value of
//!   `PredictEndpoint`" customization; conformance case
//!   `MachinelearningPredictEndpoint`).
//!
//! The file:
//!
//! ```json
//! {
//!   "endpointFromInput": [
//!     { "operation": "com.amazonaws.machinelearning#Predict",
//!       "member": "PredictEndpoint",
//!       "why": "..." }
//!   ]
//! }
//! ```

use crate::error::Error;
use crate::model::ShapeId;
use serde_json::Value;
use std::path::Path;

/// The customizations the generator applies (none by default).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Customizations {
    /// Operations sent to a URL from their input.
    pub endpoint_from_input: Vec<EndpointFromInput>,
}

/// Hook `endpointFromInput`: requests of `operation` go to the URL its input
/// member `member` holds (checked as an endpoint URL when sent, like a
/// configured one; signed for the client's region). The member must be a
/// string; the operation may not also have an `@endpoint` host prefix.
#[derive(Clone, Debug, PartialEq)]
pub struct EndpointFromInput {
    /// The operation's shape ID.
    pub operation: ShapeId,
    /// The input member holding the URL.
    pub member: String,
    /// Why the service needs it (shown in the operation's docs).
    pub why: String,
}

impl Customizations {
    /// Reads the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::from_json(&text, &path.display().to_string())
    }

    /// Reads a configuration (`source` names it in errors).
    pub fn from_json(text: &str, source: &str) -> Result<Self, Error> {
        let bad = |at: &str, message: String| Error::Customization {
            path: source.to_owned(),
            at: at.to_owned(),
            message,
        };
        let value: Value =
            serde_json::from_str(text).map_err(|e| bad("", format!("not JSON: {e}")))?;
        let Value::Object(top) = &value else {
            return Err(bad("", "expected an object of hooks".to_owned()));
        };
        let mut out = Customizations::default();
        for (hook, entries) in top {
            match hook.as_str() {
                "endpointFromInput" => {
                    let Value::Array(entries) = entries else {
                        return Err(bad(hook, "expected a list".to_owned()));
                    };
                    for (i, entry) in entries.iter().enumerate() {
                        let at = format!("{hook}[{i}]");
                        let field = |key: &str| {
                            entry
                                .get(key)
                                .and_then(Value::as_str)
                                .filter(|s| !s.is_empty())
                                .map(str::to_owned)
                                .ok_or_else(|| bad(&at, format!("needs a string `{key}`")))
                        };
                        let operation = field("operation")?;
                        if !operation.contains('#') {
                            return Err(bad(
                                &at,
                                format!(
                                    "`{operation}` is not an absolute shape ID (`namespace#Name`)"
                                ),
                            ));
                        }
                        out.endpoint_from_input.push(EndpointFromInput {
                            operation: ShapeId::new(&operation),
                            member: field("member")?,
                            why: field("why")?,
                        });
                    }
                }
                other => {
                    return Err(bad(
                        other,
                        format!("unknown hook `{other}` (known: `endpointFromInput`)"),
                    ))
                }
            }
        }
        Ok(out)
    }

    /// The `endpointFromInput` hook of `operation`, if configured.
    pub fn endpoint_from_input(&self, operation: &ShapeId) -> Option<&EndpointFromInput> {
        self.endpoint_from_input
            .iter()
            .find(|c| &c.operation == operation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_are_read_and_mistakes_located() {
        let c = Customizations::from_json(
            r#"{"endpointFromInput": [{"operation": "a.b#Op", "member": "Url", "why": "it says so"}]}"#,
            "c.json",
        )
        .unwrap();
        let hook = c.endpoint_from_input(&ShapeId::new("a.b#Op")).unwrap();
        assert_eq!(hook.member, "Url");
        assert!(c.endpoint_from_input(&ShapeId::new("a.b#Other")).is_none());
        for (text, wanted) in [
            (
                r#"{"hostFromInput": []}"#,
                "c.json: at `hostFromInput`: unknown hook",
            ),
            (
                r#"{"endpointFromInput": [{"operation": "Op", "member": "U", "why": "w"}]}"#,
                "not an absolute shape ID",
            ),
            (
                r#"{"endpointFromInput": [{"operation": "a#Op", "why": "w"}]}"#,
                "at `endpointFromInput[0]`: needs a string `member`",
            ),
            ("[", "not JSON"),
        ] {
            let e = Customizations::from_json(text, "c.json")
                .unwrap_err()
                .to_string();
            assert!(e.contains(wanted), "{e}");
        }
    }
}
