//! Field-level validation errors that name the field, the value and the reason.

use serde::Serialize;
use std::fmt;

/// One rejected field: which field, what was given, and why it was refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field's path as the user sees it, e.g. `email` or `lines[2].quantity`.
    pub field: String,
    /// The value that was given, as text (empty when the field was missing).
    pub value: String,
    /// A sentence saying why the value was refused.
    pub message: String,
}

/// Every field error found in one input, collected so the user sees them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationErrors {
    /// The individual field errors, in the order the fields were checked.
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a refused field.
    pub fn push(
        &mut self,
        field: impl Into<String>,
        value: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.errors.push(FieldError {
            field: field.into(),
            value: value.into(),
            message: message.into(),
        });
    }

    /// Whether nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Adds every error of `other`, prefixing its field paths with `prefix`.
    pub fn extend_prefixed(&mut self, prefix: &str, other: ValidationErrors) {
        for e in other.errors {
            self.errors.push(FieldError {
                field: format!("{prefix}.{}", e.field),
                ..e
            });
        }
    }

    /// `Ok(())` when empty, otherwise the collected errors.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// A single-field error, for the common case of one refused value.
    pub fn single(
        field: impl Into<String>,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        let mut v = Self::new();
        v.push(field, value, message);
        v
    }
}

/// Trims an optional text field, treating blank as absent: forms and CSV
/// cells send "" for "not given".
pub fn non_blank(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|e| {
                if e.value.is_empty() {
                    format!("{}: {}", e.field, e.message)
                } else {
                    format!("{} ({:?}): {}", e.field, e.value, e.message)
                }
            })
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Checks a printed text field: at most `max` characters and no control
/// characters (a newline only where `multiline`), because printed fields run
/// into fixed boxes on a PDF that can never change once issued.
pub fn check_printed(
    errs: &mut ValidationErrors,
    field: &str,
    value: &str,
    max: usize,
    multiline: bool,
) {
    let count = value.chars().count();
    if count > max {
        errs.push(
            field,
            value.chars().take(40).collect::<String>(),
            format!("is too long ({count} characters; at most {max})"),
        );
        return;
    }
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !(multiline && (*c == '\n' || *c == '\r')))
    {
        errs.push(
            field,
            value.escape_debug().to_string(),
            format!(
                "contains the control character U+{:04X}, which cannot be printed",
                u32::from(c)
            ),
        );
    }
}
