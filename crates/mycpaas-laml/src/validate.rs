//! Validation (being written).

use crate::Response;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The document breaks a rule of the format.
    Error,
    /// The document is valid but likely wrong.
    Warning,
}

/// One finding of [`Response::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Where: `Response/Gather[2]/Play`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Response {
    /// Checks the rules of the format.
    pub fn validate(&self) -> Vec<Diagnostic> {
        Vec::new()
    }
}
