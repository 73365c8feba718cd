//! The message a delivery sends: subject and body from the invoice's pinned
//! template version, a plain-text and an HTML part, the archived PDF named by
//! the invoice number, and the payment link for the balance at send time.

use crate::drafts::load;
use crate::invoice_pdf::{file_name, not_initialized};
use crate::printed_invoice::printed_invoice;
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use chrono::{DateTime, Utc};
use invoicer_domain::company::CompanySettings;
use invoicer_domain::delivery::{Delivery, DeliveryKind};
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::reminder_schedule::DisputeState;
use invoicer_domain::Decimal;
use invoicer_mail::{Attachment, OutgoingEmail, Party};
use invoicer_store::Tx;

/// Subject, text, HTML and attachment of one email.
type Parts = (String, String, String, Option<Attachment>);

impl Invoicer {
    /// Reminder step `step` of invoice `id`: written with the tone the
    /// scheduler recorded for the step, from the invoice's pinned template
    /// version, for the balance open now, with the archived PDF attached and
    /// the step's late fee (if it charged one) stated below the text.
    fn reminder_email(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        id: i64,
        step: u32,
        link_key: Option<&[u8]>,
        now: DateTime<Utc>,
    ) -> AppResult<Parts> {
        let inv = load(tx, id)?;
        let steps = tx.reminders_of(id)?;
        // Fees of earlier sent steps stay owed: the total states them all.
        let fees: Decimal = steps
            .iter()
            .filter(|r| r.step <= step)
            .filter_map(|r| r.late_fee)
            .sum();
        let recorded = steps.into_iter().find(|r| r.step == step).ok_or_else(|| {
            ApiError::new(
                ErrorCode::Integrity,
                format!("reminder step {step} of invoice {id} was never recorded"),
            )
        })?;
        // A reminder queued before the invoice was paid, credited or disputed
        // must not go out after all.
        if !matches!(
            inv.status,
            InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid
        ) || inv.balance() <= Decimal::ZERO
            || tx.dispute_state(id)? != DisputeState::None
        {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                format!(
                    "the invoice no longer needs reminding (it is {}{})",
                    inv.status.as_str(),
                    if inv.disputed_on.is_some() {
                        ", disputed"
                    } else {
                        ""
                    }
                ),
            ));
        }
        let number = inv.number.clone().ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidState,
                "only an issued invoice is reminded",
            )
        })?;
        let template = inv.template.clone().ok_or_else(|| {
            ApiError::new(
                ErrorCode::Integrity,
                "the issued invoice has no pinned template",
            )
        })?;
        let (pdf, _sha256) = tx.archived_pdf(id)?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::Integrity,
                "the issued invoice has no archived PDF",
            )
        })?;
        let (_, bundle) = self.bundle(tx, &template.name, Some(template.version))?;
        let mut view = printed_invoice(&inv, None, settings);
        view.payment_link =
            settings.payment_link(&number, inv.balance(), inv.content.currency, link_key);
        let today = now.with_timezone(&settings.timezone).date_naive();
        let rendered = self
            .renderer
            .render_reminder(&bundle, &view, recorded.tone.blocks(), today)
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Document,
                    format!(
                        "the reminder template of {} v{} failed: {e}",
                        template.name, template.version
                    ),
                )
            })?;
        let mut text = rendered.body;
        if let Some(fee) = recorded.late_fee {
            let code = inv.content.currency.code();
            text.push_str(&format!(
                "\n\nLate fee: {fee} {code}, charged once with this reminder.\n\
                 Total now due: {} {code} (open balance {} {code} plus late fees of {fees} {code}).\n",
                inv.balance() + fees,
                inv.balance()
            ));
        }
        let html = text_to_html(&text);
        Ok((
            rendered.subject.trim().to_string(),
            text,
            html,
            Some(Attachment {
                file_name: file_name(Some(&number), id),
                content_type: "application/pdf".into(),
                bytes: pdf,
            }),
        ))
    }

    /// The email for `d`, as it is sent now.
    pub(crate) fn delivery_email(
        &self,
        tx: &Tx<'_>,
        d: &Delivery,
        message_id: &str,
        link_key: Option<&[u8]>,
        now: DateTime<Utc>,
    ) -> AppResult<OutgoingEmail> {
        let settings = tx.company()?.ok_or_else(not_initialized)?;
        let from = sender(&settings)?;
        let (subject, text, html, attachment) = match (d.kind, d.invoice_id) {
            (DeliveryKind::Test, _) => {
                let text = format!(
                    "This is a test email from Invoicer for {}.\n\nIf you can read it, \
                     invoices will reach your customers the same way.\n",
                    settings.name
                );
                let html = text_to_html(&text);
                (
                    format!("Invoicer test email from {}", settings.name),
                    text,
                    html,
                    None,
                )
            }
            (DeliveryKind::Invoice, Some(id)) => {
                let inv = load(tx, id)?;
                let number = inv.number.clone().ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::InvalidState,
                        "only an issued invoice can be sent",
                    )
                })?;
                let template = inv.template.clone().ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::Integrity,
                        "the issued invoice has no pinned template",
                    )
                })?;
                let (pdf, _sha256) = tx.archived_pdf(id)?.ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::Integrity,
                        "the issued invoice has no archived PDF",
                    )
                })?;
                let (_, bundle) = self.bundle(tx, &template.name, Some(template.version))?;
                let mut view = printed_invoice(&inv, None, &settings);
                // The email asks for what is owed when it is sent, signed when
                // a signing key is stored; the archived PDF keeps its own link.
                view.payment_link =
                    settings.payment_link(&number, inv.balance(), inv.content.currency, link_key);
                let rendered = self.renderer.render_email(&bundle, &view).map_err(|e| {
                    ApiError::new(
                        ErrorCode::Document,
                        format!(
                            "the email template of {} v{} failed: {e}",
                            template.name, template.version
                        ),
                    )
                })?;
                let html = text_to_html(&rendered.body);
                (
                    rendered.subject.trim().to_string(),
                    rendered.body,
                    html,
                    Some(Attachment {
                        file_name: file_name(Some(&number), id),
                        content_type: "application/pdf".into(),
                        bytes: pdf,
                    }),
                )
            }
            (DeliveryKind::Reminder, Some(id)) => {
                self.reminder_email(tx, &settings, id, d.step, link_key, now)?
            }
            (DeliveryKind::CreditNote, _) => self.credit_note_message(tx, &settings, d)?,
            (kind, _) => {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!("{kind:?} emails are not built yet"),
                ))
            }
        };
        Ok(OutgoingEmail {
            reply_to: settings.reply_to.as_ref().map(|address| Party {
                name: settings.name.clone(),
                address: address.clone(),
            }),
            from,
            to: d.recipients.to.clone(),
            cc: d.recipients.cc.clone(),
            bcc: d.recipients.bcc.clone(),
            subject,
            text,
            html: Some(html),
            attachment,
            message_id: message_id.to_string(),
            date: now,
        })
    }
}

/// The sender of every email: the company's name and address.
pub(crate) fn sender(settings: &CompanySettings) -> AppResult<Party> {
    match settings.email.as_deref().map(str::trim) {
        Some(address) if invoicer_domain::customer::is_plausible_email(address) => Ok(Party {
            name: settings.name.clone(),
            address: address.to_string(),
        }),
        other => Err(ApiError::field(
            "company.email",
            other.unwrap_or(""),
            "set the company's email address in Settings: every email is sent from it",
        )),
    }
}

/// The HTML alternative of a plain-text body: the same words, escaped, one
/// paragraph per blank-line-separated block, and links made clickable.
pub(crate) fn text_to_html(text: &str) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.4\">",
    );
    for paragraph in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        html.push_str("<p>");
        let lines: Vec<String> = paragraph.lines().map(linked_line).collect();
        html.push_str(&lines.join("<br>"));
        html.push_str("</p>");
    }
    html.push_str("</body></html>");
    html
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A line with each `https://` or `http://` word turned into a link.
fn linked_line(line: &str) -> String {
    line.split(' ')
        .map(|word| {
            if word.starts_with("https://") || word.starts_with("http://") {
                let url = escape(word);
                format!("<a href=\"{url}\">{url}</a>")
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::text_to_html;

    #[test]
    fn the_html_part_escapes_text_and_links_the_payment_link() {
        let html = text_to_html(
            "Dear <Ann> & co,\n\nPay here: https://pay.example.com/INV-1?amount=5&currency=EUR\nThanks",
        );
        assert!(html.contains("<p>Dear &lt;Ann&gt; &amp; co,</p>"), "{html}");
        assert!(
            html.contains("<a href=\"https://pay.example.com/INV-1?amount=5&amp;currency=EUR\">"),
            "{html}"
        );
        assert!(html.contains("<br>Thanks</p>"), "{html}");
    }
}
