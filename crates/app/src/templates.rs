//! The template library use cases: seeding the defaults, reading versions,
//! saving new ones, previews.

use crate::api::{
    PaperView, SaveTemplateInput, TemplateBlocksView, TemplateHistoryEntry, TemplateLayoutView,
    TemplateRefInput, TemplateSummaryView, TemplateVersionView,
};
use crate::error::ErrorDetail;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::{DateTime, Utc};
use invoicer_documents as doc;
use invoicer_domain::audit::{canonical_time, NewAuditEvent};
use invoicer_domain::authorization::Permission;
use invoicer_domain::invoice::TemplateRef;
use invoicer_domain::ValidationErrors;
use invoicer_store::{StoreError, TemplateVersionRecord, Tx};
use serde_json::json;
use std::sync::Arc;

/// The default template for a company in `country`: German-speaking countries
/// get the German bundle, everyone else the English one.
fn default_for_country(country: &str) -> &'static str {
    match country {
        "DE" | "AT" | "CH" | "LI" => "standard-de",
        _ => "standard-en",
    }
}

/// Seeds the bundled default templates as version 1, once.
pub(crate) fn seed_default_templates(
    tx: &Tx<'_>,
    country: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if !tx.templates()?.is_empty() {
        return Ok(());
    }
    for (name, bundle) in doc::default_bundles() {
        let version = tx.insert_template_version(
            &name,
            &bundle.to_json(),
            &bundle.checksum(),
            "system",
            now,
        )?;
        tx.append_audit(
            NewAuditEvent::new(
                None,
                "template.seeded",
                format!("template:{name}"),
                json!({"version": version, "checksum": bundle.checksum()}),
            ),
            now,
        )?;
    }
    tx.set_default_template(default_for_country(country))?;
    Ok(())
}

fn blocks_from(view: &TemplateBlocksView) -> doc::TemplateBlocks {
    doc::TemplateBlocks {
        title: view.title.clone(),
        intro: view.intro.clone(),
        notes: view.notes.clone(),
        payment_instructions: view.payment_instructions.clone(),
        legal_footer: view.legal_footer.clone(),
        region_statement: view.region_statement.clone(),
        email_subject: view.email_subject.clone(),
        email_body: view.email_body.clone(),
        reminder_1_subject: view.reminder_1_subject.clone(),
        reminder_1_body: view.reminder_1_body.clone(),
        reminder_2_subject: view.reminder_2_subject.clone(),
        reminder_2_body: view.reminder_2_body.clone(),
        reminder_3_subject: view.reminder_3_subject.clone(),
        reminder_3_body: view.reminder_3_body.clone(),
    }
}

fn blocks_view(b: &doc::TemplateBlocks) -> TemplateBlocksView {
    TemplateBlocksView {
        title: b.title.clone(),
        intro: b.intro.clone(),
        notes: b.notes.clone(),
        payment_instructions: b.payment_instructions.clone(),
        legal_footer: b.legal_footer.clone(),
        region_statement: b.region_statement.clone(),
        email_subject: b.email_subject.clone(),
        email_body: b.email_body.clone(),
        reminder_1_subject: b.reminder_1_subject.clone(),
        reminder_1_body: b.reminder_1_body.clone(),
        reminder_2_subject: b.reminder_2_subject.clone(),
        reminder_2_body: b.reminder_2_body.clone(),
        reminder_3_subject: b.reminder_3_subject.clone(),
        reminder_3_body: b.reminder_3_body.clone(),
    }
}

fn layout_from(view: &TemplateLayoutView) -> Result<doc::LayoutOptions, ApiError> {
    let mut errs = ValidationErrors::new();
    let accent = view.accent_color.parse::<doc::AccentColor>();
    if accent.is_err() {
        errs.push(
            "layout.accent_color",
            &view.accent_color,
            "must be a colour like #1F6FEB",
        );
    }
    let locale = doc::Locale::from_tag(&view.locale);
    if locale.is_none() {
        errs.push(
            "layout.locale",
            &view.locale,
            "is not a supported locale (en-US, de-DE, …)",
        );
    }
    let logo = match view.logo_png_base64.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(b64) => match doc::Logo::try_from(b64.to_string()) {
            Ok(l) => Some(l),
            Err(e) => {
                errs.push("layout.logo_png_base64", "", e.to_string());
                None
            }
        },
    };
    errs.into_result()?;
    Ok(doc::LayoutOptions {
        accent_color: accent.map_err(|e| ApiError::new(ErrorCode::Validation, e.to_string()))?,
        logo,
        paper: match view.paper {
            PaperView::A4 => doc::Paper::A4,
            PaperView::Letter => doc::Paper::Letter,
        },
        columns: doc::Columns {
            quantity: view.show_quantity,
            unit_price: view.show_unit_price,
            discount: view.show_discount,
            tax_rate: view.show_tax_rate,
        },
        locale: locale.unwrap_or(doc::Locale::EnUs),
    })
}

fn layout_view(l: &doc::LayoutOptions) -> TemplateLayoutView {
    TemplateLayoutView {
        accent_color: l.accent_color.to_string(),
        paper: match l.paper {
            doc::Paper::A4 => PaperView::A4,
            doc::Paper::Letter => PaperView::Letter,
        },
        locale: l.locale.tag().to_string(),
        show_quantity: l.columns.quantity,
        show_unit_price: l.columns.unit_price,
        show_discount: l.columns.discount,
        show_tax_rate: l.columns.tax_rate,
        logo_png_base64: l.logo.clone().map(String::from),
    }
}

/// Builds and checks a bundle from input; template errors come back as
/// validation errors on `blocks.<block>` with their line and column.
/// Validation renders every block against sample invoices, so it runs under
/// the same time `budget` as any other rendering.
pub(crate) fn bundle_from_input(
    input: &SaveTemplateInput,
    budget: std::time::Duration,
) -> AppResult<doc::TemplateBundle> {
    let bundle = doc::TemplateBundle::new(blocks_from(&input.blocks), layout_from(&input.layout)?);
    let (bundle, issues) =
        crate::render_budget::within_budget(budget, input.name.trim(), move || {
            let issues = bundle.validate();
            Ok((bundle, issues))
        })?;
    if issues.is_empty() {
        return Ok(bundle);
    }
    // The position travels as numbers, so the editor can point at it without
    // reading the sentence; the sentence still says it for the CLI.
    let details: Vec<ErrorDetail> = issues
        .into_iter()
        .map(|i| ErrorDetail {
            line: u32::try_from(i.line).ok(),
            column: u32::try_from(i.column).ok(),
            reason: Some(i.message.clone()),
            ..ErrorDetail::new(
                format!("blocks.{}", i.block),
                format!("line {}, column {}: {}", i.line, i.column, i.message),
            )
        })
        .collect();
    let message = match details.as_slice() {
        [one] => format!("{}: {}", one.field, one.message),
        many => format!("{} fields need attention", many.len()),
    };
    Err(ApiError {
        code: ErrorCode::Validation,
        message,
        details: Some(details),
    })
}

fn parse_record(r: &TemplateVersionRecord) -> AppResult<doc::TemplateBundle> {
    doc::TemplateBundle::from_json(&r.bundle).map_err(|e| {
        ApiError::new(
            ErrorCode::Document,
            format!("template {} v{} cannot be read: {e}", r.name, r.version),
        )
    })
}

fn version_view(
    r: &TemplateVersionRecord,
    b: &doc::TemplateBundle,
    is_default: bool,
) -> TemplateVersionView {
    TemplateVersionView {
        name: r.name.clone(),
        version: r.version,
        checksum: r.checksum.clone(),
        author: r.author.clone(),
        created_at: canonical_time(r.created_at),
        is_default,
        blocks: blocks_view(b.blocks()),
        layout: layout_view(b.layout()),
    }
}

impl Invoicer {
    /// A stored template version, parsed once and cached: versions never change.
    pub(crate) fn bundle(
        &self,
        tx: &Tx<'_>,
        name: &str,
        version: Option<u32>,
    ) -> AppResult<(TemplateRef, Arc<doc::TemplateBundle>)> {
        let record = tx.template_version(name, version)?.ok_or_else(|| {
            ApiError::not_found(
                "template",
                match version {
                    Some(v) => format!("{name} v{v}"),
                    None => name.to_string(),
                },
            )
        })?;
        let key = (record.name.clone(), record.version);
        let mut cache = self.bundles.lock().unwrap_or_else(|p| p.into_inner());
        let bundle = match cache.get(&key) {
            Some(b) => b.clone(),
            None => {
                let b = Arc::new(parse_record(&record)?);
                cache.insert(key, b.clone());
                b
            }
        };
        Ok((
            TemplateRef {
                name: record.name,
                version: record.version,
            },
            bundle,
        ))
    }

    /// The templates in the library.
    pub fn list_templates(&self, session: &Session) -> AppResult<Vec<TemplateSummaryView>> {
        session.require(Permission::View)?;
        Ok(self
            .store
            .read(|tx| tx.templates())?
            .into_iter()
            .map(|t| TemplateSummaryView {
                name: t.name,
                current_version: t.current_version,
                is_default: t.is_default,
                updated_by: t.updated_by,
                updated_at: canonical_time(t.updated_at),
            })
            .collect())
    }

    /// One version of a template (the newest when no version is given).
    pub fn template(
        &self,
        session: &Session,
        input: &TemplateRefInput,
    ) -> AppResult<TemplateVersionView> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            let record = tx
                .template_version(&input.name, input.version)?
                .ok_or_else(|| ApiError::not_found("template", &input.name))?;
            let bundle = parse_record(&record)?;
            let is_default = tx.default_template()?.as_deref() == Some(record.name.as_str());
            Ok(version_view(&record, &bundle, is_default))
        })
    }

    /// Every version of a template, newest first.
    pub fn template_history(
        &self,
        session: &Session,
        name: &str,
    ) -> AppResult<Vec<TemplateHistoryEntry>> {
        session.require(Permission::View)?;
        let history = self.store.read(|tx| tx.template_history(name))?;
        if history.is_empty() {
            return Err(ApiError::not_found("template", name));
        }
        Ok(history
            .into_iter()
            .map(|r| TemplateHistoryEntry {
                version: r.version,
                checksum: r.checksum,
                author: r.author,
                created_at: canonical_time(r.created_at),
            })
            .collect())
    }

    /// Saves a template as a new immutable version (admins only). A template
    /// with errors is refused, so a broken version can never become current.
    pub fn save_template(
        &self,
        session: &Session,
        input: &SaveTemplateInput,
    ) -> AppResult<TemplateVersionView> {
        session.require(Permission::ManageTemplates)?;
        let name = input.name.trim();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ApiError::field(
                "name",
                &input.name,
                "must be letters, digits, '-' or '_', e.g. standard-fr",
            ));
        }
        let bundle = bundle_from_input(input, self.render_budget)?;
        // The blocks printed on the PDF must be printable; email and reminder
        // blocks are plain-text mail and may hold any script.
        let printed: Vec<(String, &str)> = [
            doc::BlockName::Title,
            doc::BlockName::Intro,
            doc::BlockName::Notes,
            doc::BlockName::PaymentInstructions,
            doc::BlockName::LegalFooter,
            doc::BlockName::RegionStatement,
        ]
        .into_iter()
        .map(|b| (format!("blocks.{b}"), bundle.blocks().get(b)))
        .collect();
        let fields: Vec<(&str, Option<&str>)> = printed
            .iter()
            .map(|(f, v)| (f.as_str(), Some(*v)))
            .collect();
        self.check_printable(&fields)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            let json = bundle.to_json();
            let checksum = bundle.checksum();
            let version =
                tx.insert_template_version(name, &json, &checksum, session.actor(), now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "template.saved",
                    format!("template:{name}"),
                    json!({"version": version, "checksum": checksum}),
                ),
                now,
            )?;
            if tx.default_template()?.is_none() {
                tx.set_default_template(name)?;
            }
            let record = tx
                .template_version(name, Some(version))?
                .ok_or_else(|| StoreError::Corrupt("saved version vanished".into()))?;
            let is_default = tx.default_template()?.as_deref() == Some(name);
            Ok(version_view(&record, &bundle, is_default))
        })
    }

    /// Makes a template the company default (admins only).
    pub fn set_default_template(&self, session: &Session, name: &str) -> AppResult<()> {
        session.require(Permission::ManageTemplates)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            if !tx.set_default_template(name)? {
                return Err(ApiError::not_found("template", name));
            }
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "template.default_set",
                    format!("template:{name}"),
                    json!({}),
                ),
                now,
            )?;
            Ok(())
        })
    }
}
