//! Template bundles: the immutable set of tera sources and layout options an invoice is
//! issued with.
//!
//! A bundle is stored as one JSON document per template version and pinned by the
//! invoices issued with it, so its JSON form is part of the contract: fields are only
//! ever added (with defaults), never renamed.

mod defaults;
mod layout;

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{DocumentError, TemplateIssue};
use crate::pdf::PreparedLogo;
use crate::templating::CompiledTemplates;

pub use defaults::default_bundles;
pub use layout::{AccentColor, Columns, LayoutOptions, Logo, Paper};

/// The version of the bundle JSON layout this code writes.
pub const BUNDLE_FORMAT: u32 = 1;

/// The name of one text block of a bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockName {
    /// The document title printed at the top of the invoice ("Invoice", "Rechnung").
    Title,
    /// The sentence(s) above the line items.
    Intro,
    /// Notes below the totals (typically the invoice's own notes).
    Notes,
    /// How to pay: bank details, the payment link.
    PaymentInstructions,
    /// The small print at the bottom of every page (registered office, tax id).
    LegalFooter,
    /// A statement that depends on where the customer is (EU reverse charge, US state notes).
    RegionStatement,
    /// Subject of the email that delivers the invoice.
    EmailSubject,
    /// Body of the email that delivers the invoice.
    EmailBody,
    /// Subject of the first reminder (7 days overdue).
    #[serde(rename = "reminder_1_subject")]
    Reminder1Subject,
    /// Body of the first reminder.
    #[serde(rename = "reminder_1_body")]
    Reminder1Body,
    /// Subject of the second reminder (14 days overdue).
    #[serde(rename = "reminder_2_subject")]
    Reminder2Subject,
    /// Body of the second reminder.
    #[serde(rename = "reminder_2_body")]
    Reminder2Body,
    /// Subject of the third reminder (30 days overdue).
    #[serde(rename = "reminder_3_subject")]
    Reminder3Subject,
    /// Body of the third reminder.
    #[serde(rename = "reminder_3_body")]
    Reminder3Body,
}

impl BlockName {
    /// Every block, in the order editors list them.
    pub const ALL: [BlockName; 14] = [
        BlockName::Title,
        BlockName::Intro,
        BlockName::Notes,
        BlockName::PaymentInstructions,
        BlockName::LegalFooter,
        BlockName::RegionStatement,
        BlockName::EmailSubject,
        BlockName::EmailBody,
        BlockName::Reminder1Subject,
        BlockName::Reminder1Body,
        BlockName::Reminder2Subject,
        BlockName::Reminder2Body,
        BlockName::Reminder3Subject,
        BlockName::Reminder3Body,
    ];

    /// The blocks printed on the invoice PDF.
    pub const INVOICE: [BlockName; 6] = [
        BlockName::Title,
        BlockName::Intro,
        BlockName::Notes,
        BlockName::PaymentInstructions,
        BlockName::LegalFooter,
        BlockName::RegionStatement,
    ];

    /// The block's name as used in JSON and in the `templates/` files (`payment_instructions`).
    pub fn as_str(self) -> &'static str {
        match self {
            BlockName::Title => "title",
            BlockName::Intro => "intro",
            BlockName::Notes => "notes",
            BlockName::PaymentInstructions => "payment_instructions",
            BlockName::LegalFooter => "legal_footer",
            BlockName::RegionStatement => "region_statement",
            BlockName::EmailSubject => "email_subject",
            BlockName::EmailBody => "email_body",
            BlockName::Reminder1Subject => "reminder_1_subject",
            BlockName::Reminder1Body => "reminder_1_body",
            BlockName::Reminder2Subject => "reminder_2_subject",
            BlockName::Reminder2Body => "reminder_2_body",
            BlockName::Reminder3Subject => "reminder_3_subject",
            BlockName::Reminder3Body => "reminder_3_body",
        }
    }

    /// Whether the block is a reminder text, which sees the `reminder` variable.
    pub fn is_reminder(self) -> bool {
        matches!(
            self,
            BlockName::Reminder1Subject
                | BlockName::Reminder1Body
                | BlockName::Reminder2Subject
                | BlockName::Reminder2Body
                | BlockName::Reminder3Subject
                | BlockName::Reminder3Body
        )
    }
}

impl fmt::Display for BlockName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tera source of every text block of a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateBlocks {
    /// See [`BlockName::Title`].
    pub title: String,
    /// See [`BlockName::Intro`].
    pub intro: String,
    /// See [`BlockName::Notes`].
    pub notes: String,
    /// See [`BlockName::PaymentInstructions`].
    pub payment_instructions: String,
    /// See [`BlockName::LegalFooter`].
    pub legal_footer: String,
    /// See [`BlockName::RegionStatement`].
    pub region_statement: String,
    /// See [`BlockName::EmailSubject`].
    pub email_subject: String,
    /// See [`BlockName::EmailBody`].
    pub email_body: String,
    /// See [`BlockName::Reminder1Subject`].
    pub reminder_1_subject: String,
    /// See [`BlockName::Reminder1Body`].
    pub reminder_1_body: String,
    /// See [`BlockName::Reminder2Subject`].
    pub reminder_2_subject: String,
    /// See [`BlockName::Reminder2Body`].
    pub reminder_2_body: String,
    /// See [`BlockName::Reminder3Subject`].
    pub reminder_3_subject: String,
    /// See [`BlockName::Reminder3Body`].
    pub reminder_3_body: String,
}

impl TemplateBlocks {
    /// The source of one block.
    pub fn get(&self, name: BlockName) -> &str {
        match name {
            BlockName::Title => &self.title,
            BlockName::Intro => &self.intro,
            BlockName::Notes => &self.notes,
            BlockName::PaymentInstructions => &self.payment_instructions,
            BlockName::LegalFooter => &self.legal_footer,
            BlockName::RegionStatement => &self.region_statement,
            BlockName::EmailSubject => &self.email_subject,
            BlockName::EmailBody => &self.email_body,
            BlockName::Reminder1Subject => &self.reminder_1_subject,
            BlockName::Reminder1Body => &self.reminder_1_body,
            BlockName::Reminder2Subject => &self.reminder_2_subject,
            BlockName::Reminder2Body => &self.reminder_2_body,
            BlockName::Reminder3Subject => &self.reminder_3_subject,
            BlockName::Reminder3Body => &self.reminder_3_body,
        }
    }

    /// Replaces the source of one block.
    pub fn set(&mut self, name: BlockName, source: impl Into<String>) {
        let slot = match name {
            BlockName::Title => &mut self.title,
            BlockName::Intro => &mut self.intro,
            BlockName::Notes => &mut self.notes,
            BlockName::PaymentInstructions => &mut self.payment_instructions,
            BlockName::LegalFooter => &mut self.legal_footer,
            BlockName::RegionStatement => &mut self.region_statement,
            BlockName::EmailSubject => &mut self.email_subject,
            BlockName::EmailBody => &mut self.email_body,
            BlockName::Reminder1Subject => &mut self.reminder_1_subject,
            BlockName::Reminder1Body => &mut self.reminder_1_body,
            BlockName::Reminder2Subject => &mut self.reminder_2_subject,
            BlockName::Reminder2Body => &mut self.reminder_2_body,
            BlockName::Reminder3Subject => &mut self.reminder_3_subject,
            BlockName::Reminder3Body => &mut self.reminder_3_body,
        };
        *slot = source.into();
    }
}

/// An immutable template version: text blocks plus layout options.
///
/// Changing anything means building a new bundle ([`TemplateBundle::with_blocks`],
/// [`TemplateBundle::with_layout`]), which is what lets a bundle cache its compiled
/// templates and decoded logo: the first render pays for them, later renders reuse them.
#[derive(Clone, Serialize, Deserialize)]
pub struct TemplateBundle {
    /// Bundle JSON layout version, see [`BUNDLE_FORMAT`].
    #[serde(default = "default_format")]
    format: u32,
    blocks: TemplateBlocks,
    layout: LayoutOptions,
    #[serde(skip)]
    cache: BundleCache,
}

/// Work derived from a bundle's contents, done once per bundle value.
#[derive(Clone, Default)]
struct BundleCache {
    templates: OnceLock<Result<Arc<CompiledTemplates>, Vec<TemplateIssue>>>,
    logo: OnceLock<Result<Option<Arc<PreparedLogo>>, String>>,
}

fn default_format() -> u32 {
    BUNDLE_FORMAT
}

impl TemplateBundle {
    /// A bundle from its blocks and layout options.
    pub fn new(blocks: TemplateBlocks, layout: LayoutOptions) -> TemplateBundle {
        TemplateBundle {
            format: BUNDLE_FORMAT,
            blocks,
            layout,
            cache: BundleCache::default(),
        }
    }

    /// Reads a bundle from its JSON document.
    pub fn from_json(json: &str) -> Result<TemplateBundle, DocumentError> {
        serde_json::from_str(json).map_err(DocumentError::BundleJson)
    }

    /// The canonical JSON document of this bundle (compact, fields in declaration order),
    /// which is what the store saves and what [`TemplateBundle::checksum`] hashes.
    pub fn to_json(&self) -> String {
        // Serializing plain structs of strings, booleans and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// SHA-256 of [`TemplateBundle::to_json`], as lowercase hex.
    ///
    /// Two bundles with the same content always have the same checksum, so the store can
    /// tell whether an edit changed anything and an archive can prove which version an
    /// invoice was issued with.
    pub fn checksum(&self) -> String {
        hex::encode(Sha256::digest(self.to_json().as_bytes()))
    }

    /// The text blocks.
    pub fn blocks(&self) -> &TemplateBlocks {
        &self.blocks
    }

    /// The layout options.
    pub fn layout(&self) -> &LayoutOptions {
        &self.layout
    }

    /// A new bundle with these blocks and this bundle's layout.
    pub fn with_blocks(&self, blocks: TemplateBlocks) -> TemplateBundle {
        TemplateBundle::new(blocks, self.layout.clone())
    }

    /// A new bundle with this bundle's blocks and the given layout.
    pub fn with_layout(&self, layout: LayoutOptions) -> TemplateBundle {
        TemplateBundle::new(self.blocks.clone(), layout)
    }

    /// Checks every block and returns each problem found, with its block, line and column;
    /// an empty list means the bundle is usable.
    ///
    /// Besides tera syntax errors and unknown filters, tests or functions, each block is
    /// rendered strictly (undefined variables are errors) against
    /// [`PrintedInvoice::sample`](crate::PrintedInvoice::sample) and a few variations of it, so a
    /// misspelt variable is caught when the template is saved rather than when an invoice
    /// is issued.
    pub fn validate(&self) -> Vec<TemplateIssue> {
        crate::validate::validate_blocks(&self.blocks, self.layout.locale)
    }

    /// The compiled templates, compiled on first use.
    pub(crate) fn compiled(&self) -> Result<Arc<CompiledTemplates>, DocumentError> {
        self.cache
            .templates
            .get_or_init(|| {
                CompiledTemplates::compile(&self.blocks, self.layout.locale)
                    .map(Arc::new)
                    .map_err(|e| {
                        // Validation places problems per block; should it find none
                        // (blocks that only fail together), report tera's own message.
                        let issues = self.validate();
                        if issues.is_empty() {
                            crate::validate::issues_from_tera(BlockName::Title, &e)
                        } else {
                            issues
                        }
                    })
            })
            .clone()
            .map_err(DocumentError::Template)
    }

    /// The logo decoded for embedding, decoded on first use.
    pub(crate) fn prepared_logo(&self) -> Result<Option<Arc<PreparedLogo>>, DocumentError> {
        self.cache
            .logo
            .get_or_init(|| match &self.layout.logo {
                None => Ok(None),
                Some(logo) => PreparedLogo::decode(logo.png_bytes()).map(|l| Some(Arc::new(l))),
            })
            .clone()
            .map_err(DocumentError::Logo)
    }
}

impl PartialEq for TemplateBundle {
    fn eq(&self, other: &Self) -> bool {
        self.format == other.format && self.blocks == other.blocks && self.layout == other.layout
    }
}

impl fmt::Debug for TemplateBundle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TemplateBundle")
            .field("format", &self.format)
            .field("blocks", &self.blocks)
            .field("layout", &self.layout)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_keeps_content_and_checksum() {
        for (_, bundle) in default_bundles() {
            let json = bundle.to_json();
            let back = TemplateBundle::from_json(&json).unwrap();
            assert_eq!(back, bundle);
            assert_eq!(back.checksum(), bundle.checksum());
            assert_eq!(bundle.checksum().len(), 64);
        }
    }

    #[test]
    fn any_edit_changes_the_checksum() {
        let (_, bundle) = default_bundles().remove(0);
        let mut blocks = bundle.blocks().clone();
        blocks.set(BlockName::Title, "Tax invoice");
        let edited = bundle.with_blocks(blocks);
        assert_ne!(edited.checksum(), bundle.checksum());
        assert_eq!(edited.blocks().get(BlockName::Title), "Tax invoice");
    }

    #[test]
    fn block_names_match_their_json_keys() {
        let (_, bundle) = default_bundles().remove(0);
        let value: serde_json::Value = serde_json::from_str(&bundle.to_json()).unwrap();
        for name in BlockName::ALL {
            assert!(value["blocks"].get(name.as_str()).is_some(), "{name}");
            let json = serde_json::to_string(&name).unwrap();
            assert_eq!(json, format!("\"{name}\""));
        }
    }
}
