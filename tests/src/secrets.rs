//! A sweep for leaked secrets: register the sentinel values a test plants
//! (keys, tokens, sensitive members, URL passwords), then hand the sweep
//! every text the code under test produces — `Debug` and `Display` of
//! values and errors with their whole `source` chain, and (when tracing
//! exists) captured log output through [`Sweep::text`]. It fails naming the
//! secret and where it appeared.

use std::fmt::{Debug, Display};

/// Sentinel secrets and the texts checked against them.
#[derive(Debug)]
pub struct Sweep {
    secrets: Vec<String>,
    checked: Vec<String>,
}

impl Sweep {
    /// A sweep for `secrets` (each must be distinctive: a `SENTINEL…` value).
    pub fn new(secrets: &[&str]) -> Self {
        Self {
            secrets: secrets.iter().map(|s| (*s).to_owned()).collect(),
            checked: Vec::new(),
        }
    }

    /// Checks `text`, produced by `what`.
    #[track_caller]
    pub fn text(&mut self, what: &str, text: &str) {
        for secret in &self.secrets {
            assert!(
                !text.contains(secret.as_str()),
                "secret `{secret}` leaked in {what}: {text}"
            );
        }
        self.checked.push(what.to_owned());
    }

    /// Checks `Debug` (plain and `{:#?}`) of `value`.
    #[track_caller]
    pub fn debug(&mut self, what: &str, value: &dyn Debug) {
        self.text(&format!("{what} (Debug)"), &format!("{value:?}"));
        self.text(&format!("{what} (Debug, pretty)"), &format!("{value:#?}"));
    }

    /// Checks `Debug` and `Display` of `error` and of every error in its
    /// `source` chain.
    #[track_caller]
    pub fn error(&mut self, what: &str, error: &(dyn std::error::Error + 'static)) {
        let mut current = Some(error);
        let mut depth = 0;
        while let Some(e) = current {
            let label = format!("{what} (source {depth})");
            self.debug(&label, &e);
            self.display(&label, &e);
            current = e.source();
            depth += 1;
        }
    }

    /// Checks `Display` of `value`.
    #[track_caller]
    pub fn display(&mut self, what: &str, value: &dyn Display) {
        self.text(&format!("{what} (Display)"), &value.to_string());
    }

    /// What was checked, in order (for the test to assert coverage).
    pub fn checked(&self) -> &[String] {
        &self.checked
    }
}
