//! Renderers: one report document, many formats (text, JSON, JUnit XML, SARIF 2.1.0, one-file HTML).
//!
//! A [`Document`] is a list of [`Case`]s (a chain validation, a linted file, a conformance vector,
//! an interop cell), each with its outcome and findings. Every command that produces a report
//! builds a `Document` and hands it to one of these functions.

use crate::Finding;
use serde::Serialize;

/// How a case ended, relative to what was expected of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "status", content = "reason")]
pub enum Outcome {
    /// As expected / valid / conformant.
    Pass,
    /// Not as expected / not valid / not conformant.
    Fail,
    /// Not run, with the reason.
    Skip(String),
    /// Could not be run (broken input, tool error), with the reason.
    Error(String),
}

/// One case of a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// Stable case name (a vector id, a file name, `rs->hr/qualified-esig`).
    pub name: String,
    /// A group (suite, state, file set) for JUnit classname and HTML sections.
    pub group: String,
    pub outcome: Outcome,
    /// The verdict as text (`TOTAL_PASSED`, `INDETERMINATE/NO_CERTIFICATE_CHAIN_FOUND`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<String>,
    /// The file the case is about, for SARIF locations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub findings: Vec<Finding>,
    /// Free text shown under the case (expected vs actual, citations).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub details: String,
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The tool run, e.g. `eidtrust conformance run`.
    pub title: String,
    pub cases: Vec<Case>,
}
