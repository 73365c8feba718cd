//! Errors of the documents crate.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::bundle::BlockName;

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// One or more blocks of the template bundle are broken.
    #[error("the template bundle has {} problem(s): {}", .0.len(), summary(.0))]
    Template(Vec<TemplateIssue>),
    /// The accent colour is not written `#RRGGBB`.
    #[error("invalid accent colour {0:?}: expected #RRGGBB, e.g. #1F6FEB")]
    InvalidColour(String),
    /// The logo could not be read.
    #[error("the logo cannot be used: {0}")]
    Logo(String),
    /// The bundle JSON document could not be read.
    #[error("the template bundle JSON cannot be read: {0}")]
    BundleJson(#[source] serde_json::Error),
    /// The invoice data could not be handed to the template engine.
    #[error("the invoice data cannot be passed to the templates: {0}")]
    Context(String),
    /// A bundled font could not be parsed or subset.
    #[error("the bundled font {font} cannot be used: {reason}")]
    Font {
        /// Which font.
        font: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// The PDF could not be assembled.
    #[error("the PDF cannot be written: {0}")]
    Pdf(String),
    /// Some text holds a character the invoice font cannot draw (or a
    /// right-to-left script the typesetter cannot order), so the document is
    /// refused rather than written with a replacement character.
    #[error("{} (U+{:04X}) cannot be printed with the invoice font", .0, u32::from(*.0))]
    Unprintable(char),
}

/// One problem in one block of a template bundle, located so an editor can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateIssue {
    /// The broken block.
    pub block: BlockName,
    /// 1-based line in the block's source.
    pub line: usize,
    /// 1-based column (in characters) in that line.
    pub column: usize,
    /// What is wrong, e.g. "Unknown filter `monee`".
    pub message: String,
}

impl fmt::Display for TemplateIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.block, self.line, self.column, self.message
        )
    }
}

fn summary(issues: &[TemplateIssue]) -> String {
    issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
