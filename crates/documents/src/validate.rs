//! Checking template blocks before they are saved, and turning tera's errors into
//! located [`TemplateIssue`]s.

use tera::{Context, ErrorKind};

use crate::bundle::{BlockName, TemplateBlocks};
use crate::error::TemplateIssue;
use crate::locale::Locale;
use crate::printed::PrintedInvoice;
use crate::templating::{invoice_context, new_engine, ReminderFacts};

/// The largest template block accepted, in bytes: pages of text, far more than
/// any invoice block needs.
pub const MAX_BLOCK_BYTES: usize = 16 * 1024;

/// Every problem in `blocks`: syntax errors, unknown filters/tests/functions, and errors
/// raised while rendering each block strictly against the validation samples.
pub(crate) fn validate_blocks(blocks: &TemplateBlocks, locale: Locale) -> Vec<TemplateIssue> {
    let samples = PrintedInvoice::validation_samples();
    let invoice_contexts: Vec<Context> = samples
        .iter()
        .filter_map(|view| invoice_context(view, locale, None).ok())
        .collect();
    let reminder_contexts: Vec<Context> = [(1, 7), (2, 14), (3, 30)]
        .into_iter()
        .flat_map(|(step, days_overdue)| {
            let facts = ReminderFacts { step, days_overdue };
            samples
                .iter()
                .filter_map(move |view| invoice_context(view, locale, Some(facts)).ok())
        })
        .collect();

    let mut issues = Vec::new();
    for block in BlockName::ALL {
        let size = blocks.get(block).len();
        if size > MAX_BLOCK_BYTES {
            // Refused before tera or the typesetter sees it: a block this large
            // cannot fit an invoice and only costs time and memory.
            issues.push(TemplateIssue {
                block,
                line: 1,
                column: 1,
                message: format!(
                    "the block is {size} bytes; at most {MAX_BLOCK_BYTES} are allowed"
                ),
            });
            continue;
        }
        let mut tera = new_engine(locale);
        if let Err(e) = tera.add_raw_template(block.as_str(), blocks.get(block)) {
            issues.extend(issues_from_tera(block, &e));
            continue;
        }
        let contexts = if block.is_reminder() {
            &reminder_contexts
        } else {
            &invoice_contexts
        };
        let mut found: Vec<TemplateIssue> = Vec::new();
        for context in contexts {
            if let Err(e) = tera.render(block.as_str(), context) {
                for issue in issues_from_tera(block, &e) {
                    if !found.contains(&issue) {
                        found.push(issue);
                    }
                }
            }
        }
        issues.extend(found);
    }
    issues
}

/// Converts a tera error raised for `block` into located issues.
///
/// Syntax and rendering errors carry a span. Unknown filters, tests and functions are
/// found when templates are finalized and arrive as one message holding a report per
/// problem (`error: Unknown filter `x`` / ` --> name:line:column`), so those reports are
/// read back. Anything tera cannot place is reported at line 1, column 1.
pub(crate) fn issues_from_tera(block: BlockName, error: &tera::Error) -> Vec<TemplateIssue> {
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            vec![TemplateIssue {
                block,
                line: report.span().start_line.max(1),
                column: report.span().start_col + 1,
                message: report.message().to_string(),
            }]
        }
        ErrorKind::Msg(text) => {
            let parsed = parse_reports(block, text);
            if parsed.is_empty() {
                vec![unplaced(block, text.clone())]
            } else {
                parsed
            }
        }
        _ => vec![unplaced(block, error.to_string())],
    }
}

fn unplaced(block: BlockName, message: String) -> TemplateIssue {
    TemplateIssue {
        block,
        line: 1,
        column: 1,
        message,
    }
}

/// Reads `error: <message>` / ` --> <template>:<line>:<column>` pairs out of tera's
/// combined report text.
fn parse_reports(block: BlockName, text: &str) -> Vec<TemplateIssue> {
    let mut issues = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let Some(location) = line.trim_start().strip_prefix("--> ") {
            let mut parts = location.rsplitn(3, ':');
            let column = parts.next().and_then(|c| c.parse::<usize>().ok());
            let line_no = parts.next().and_then(|l| l.parse::<usize>().ok());
            if let (Some(m), Some(line_no), Some(column)) = (message.take(), line_no, column) {
                issues.push(TemplateIssue {
                    block,
                    line: line_no,
                    column,
                    message: m.to_string(),
                });
            }
        }
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::default_bundles;

    fn blocks_with(block: BlockName, source: &str) -> TemplateBlocks {
        let (_, bundle) = default_bundles().remove(0);
        let mut blocks = bundle.blocks().clone();
        blocks.set(block, source);
        blocks
    }

    #[test]
    fn default_bundles_are_valid() {
        for (name, bundle) in default_bundles() {
            assert_eq!(bundle.validate(), vec![], "{name}");
        }
    }

    #[test]
    fn syntax_error_is_located() {
        let blocks = blocks_with(
            BlockName::Intro,
            "Dear {{ customer.name }},\nplease pay {{ totals.total | money }",
        );
        let issues = validate_blocks(&blocks, Locale::EnUs);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].block, BlockName::Intro);
        assert_eq!(issues[0].line, 2);
    }

    #[test]
    fn unknown_filter_is_located() {
        let blocks = blocks_with(BlockName::Notes, "Total:\n  {{ totals.total | monee }}");
        let issues = validate_blocks(&blocks, Locale::EnUs);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!((issues[0].line, issues[0].column), (2, 21));
        assert!(issues[0].message.contains("monee"), "{}", issues[0].message);
    }

    #[test]
    fn unknown_variable_in_a_rarely_taken_branch_is_found() {
        let blocks = blocks_with(
            BlockName::RegionStatement,
            "{% if customer.region == \"CA\" %}\nCA: {{ customer.stat }}\n{% endif %}",
        );
        let issues = validate_blocks(&blocks, Locale::EnUs);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert_eq!(issues[0].line, 2);
    }
}
