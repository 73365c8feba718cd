//! Mapping domain values to the IPC views.

use crate::api::{
    AuditEventView, CompanyView, CustomerView, ExchangeRateView, InvoiceDetail, InvoiceSummary,
    LineView, PaymentView, TaxLineView, TaxRateView, TotalsView, UserView,
};
use chrono::NaiveDate;
use invoicer_domain::audit::{canonical_time, AuditEvent};
use invoicer_domain::authorization::User;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::customer::Customer;
use invoicer_domain::invoice::Invoice;
use invoicer_domain::invoice_actions::{allowed_actions, Actor};
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::line::LineItem;
use invoicer_domain::payment::Payment;
use invoicer_domain::tax::TaxRate;
use invoicer_domain::totals::Totals;
use invoicer_domain::{Currency, Decimal};
use invoicer_store::InvoiceListRow;

/// Formats an amount with exactly the currency's decimals ("1672.45", "100").
pub(crate) fn amount(c: Currency, d: Decimal) -> String {
    let mut d = d;
    d.rescale(c.exponent());
    d.to_string()
}

/// Formats a unit price with at least the currency's decimals ("150.00",
/// "0.0125"), so prices line up with amounts.
pub(crate) fn price(c: Currency, d: Decimal) -> String {
    let mut d = d.normalize();
    if d.scale() < c.exponent() {
        d.rescale(c.exponent());
    }
    d.to_string()
}

/// Formats a quantity, price or rate without trailing zeros ("10", "0.0125").
pub(crate) fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

pub(crate) fn user_view(u: &User) -> UserView {
    UserView {
        id: u.id,
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role,
        active: u.active,
    }
}

pub(crate) fn company_view(s: &CompanySettings) -> CompanyView {
    CompanyView {
        name: s.name.clone(),
        country: s.country.clone(),
        region: s.region.clone(),
        currency: s.currency.code().to_string(),
        address: s.address.clone(),
        email: s.email.clone(),
        tax_id: s.tax_id.clone(),
        payment_terms_days: s.payment_terms_days,
        number_format: s.number_format.as_str().to_string(),
        credit_note_number_format: Some(s.credit_note_number_format.as_str().to_string()),
        rounding: s.rounding_scope,
        require_customer_tax_id: s.require_customer_tax_id,
        approval_threshold: amount(s.currency, s.approval_threshold),
        timezone: s.timezone.name().to_string(),
        payment_link_format: s.payment_link_format.clone(),
        reply_to: s.reply_to.clone(),
        exchange_rates: s
            .exchange_rates
            .iter()
            .map(|r| ExchangeRateView {
                currency: r.currency.code().to_string(),
                rate: r.rate.to_string(),
                valid_from: r.valid_from,
            })
            .collect(),
    }
}

pub(crate) fn customer_view(c: &Customer) -> CustomerView {
    CustomerView {
        id: c.id,
        name: c.name.clone(),
        company: c.company.clone(),
        email: c.email.clone(),
        address: c.address.clone(),
        city: c.city.clone(),
        region: c.region.clone(),
        postal_code: c.postal_code.clone(),
        country: c.country.clone(),
        tax_id: c.tax_id.clone(),
        currency: c.currency.map(|c| c.code().to_string()),
        template: c.template.clone(),
        cc: c.cc.clone(),
        bcc: c.bcc.clone(),
        external_ref: c.external_ref.clone(),
    }
}

pub(crate) fn tax_rate_view(t: &TaxRate) -> TaxRateView {
    TaxRateView {
        id: t.id.unwrap_or_default(),
        country: t.country.clone(),
        region: t.region.clone(),
        name: t.name.clone(),
        rate: plain(t.rate),
        inclusive: t.inclusive,
        compound: t.compound,
        position: t.position,
        manual: !t.automatic,
    }
}

/// The line's rates' names and rates, joined with " + " when several apply.
fn joined(l: &LineItem, part: impl Fn(&TaxRate) -> String) -> Option<String> {
    (!l.taxes.is_empty()).then(|| l.taxes.iter().map(part).collect::<Vec<_>>().join(" + "))
}

fn line_views(c: Currency, lines: &[LineItem], totals: &Totals) -> Vec<LineView> {
    lines
        .iter()
        .zip(&totals.lines)
        .enumerate()
        .map(|(i, (l, a))| LineView {
            position: u32::try_from(i).unwrap_or(u32::MAX),
            // Only a single rate is handed back for the editor to keep: a line
            // taxed by a whole group is left automatic, so saving it again
            // applies the group rather than its first rate alone.
            tax_rate_id: match l.taxes.as_slice() {
                [one] => one.id,
                _ => None,
            },
            description: l.description.clone(),
            quantity: plain(l.quantity),
            unit_price: price(c, l.unit_price),
            discount_percent: l.discount_percent.map(plain),
            tax_name: joined(l, |t| t.name.clone()),
            tax_rate: joined(l, |t| plain(t.rate)),
            tax_exempt_reason: l.tax_exemption.clone(),
            net: amount(c, a.net),
            tax: amount(c, a.tax),
            total: amount(c, a.total),
        })
        .collect()
}

fn tax_views(c: Currency, totals: &Totals) -> Vec<TaxLineView> {
    totals
        .tax_breakdown
        .iter()
        .map(|t| TaxLineView {
            name: t.name.clone(),
            rate: plain(t.rate),
            inclusive: t.inclusive,
            compound: t.compound,
            base: amount(c, t.base),
            tax: amount(c, t.tax),
        })
        .collect()
}

pub(crate) fn totals_view(c: Currency, lines: &[LineItem], t: &Totals) -> TotalsView {
    TotalsView {
        currency: c.code().to_string(),
        subtotal: amount(c, t.subtotal),
        discount_total: amount(c, t.discount_total),
        tax_total: amount(c, t.tax_total),
        total: amount(c, t.total),
        tax_breakdown: tax_views(c, t),
        lines: line_views(c, lines, t),
    }
}

/// The invoice as the screen shows it, with the actions `actor` may take on
/// it under `settings` (the approval threshold and exchange rates).
pub(crate) fn invoice_detail(
    inv: &Invoice,
    today: NaiveDate,
    created_by: &str,
    settings: &CompanySettings,
    actor: Actor,
    link_key: Option<&[u8]>,
) -> InvoiceDetail {
    let c = inv.content.currency;
    let decision = settings.approval_decision(inv.totals.total, c, inv.content.issue_date);
    InvoiceDetail {
        id: inv.id,
        number: inv.number.clone(),
        status: inv.status,
        display_status: inv.display_status(today),
        // `disputed_on` is set while a dispute is open and cleared when it is
        // resolved; past its window it is still open (and still pauses
        // reminders) until a person resolves it.
        disputed: inv.disputed_on.is_some(),
        customer: customer_view(&inv.content.customer),
        currency: c.code().to_string(),
        issue_date: inv.content.issue_date,
        due_date: inv.due_date(),
        terms_days: inv.content.terms_days,
        notes: inv.content.notes.clone(),
        subtotal: amount(c, inv.totals.subtotal),
        discount_total: amount(c, inv.totals.discount_total),
        tax_total: amount(c, inv.totals.tax_total),
        total: amount(c, inv.totals.total),
        amount_paid: amount(c, inv.amount_paid),
        amount_credited: amount(c, inv.amount_credited),
        balance: amount(c, inv.balance()),
        tax_breakdown: tax_views(c, &inv.totals),
        lines: line_views(c, &inv.content.lines, &inv.totals),
        created_by: created_by.to_string(),
        created_at: canonical_time(inv.created_at),
        issued_at: inv.issued_at.map(canonical_time),
        void_reason: inv.void_reason.clone(),
        // Before issue only the chosen name means anything: issuing pins the
        // newest version of it.
        template: inv.template.as_ref().map(|t| {
            if inv.was_issued() {
                format!("{} v{}", t.name, t.version)
            } else {
                t.name.clone()
            }
        }),
        pdf_sha256: inv.pdf_sha256.clone(),
        payment_link: inv
            .number
            .as_deref()
            .filter(|_| inv.status != InvoiceStatus::Void && inv.balance() > Decimal::ZERO)
            .and_then(|n| settings.payment_link(n, inv.balance(), c, link_key)),
        allowed_actions: allowed_actions(inv, actor, &decision)
            .into_iter()
            .map(Into::into)
            .collect(),
        // Filled in by the invoice screen, which reads the decisions.
        approval: None,
    }
}

/// How a list shows an open dispute that has `days_left` in its window.
pub(crate) fn dispute_label(days_left: i64) -> String {
    match days_left {
        ..=-1 => "Disputed · past its window".to_string(),
        1 => "Disputed · 1 day left".to_string(),
        n => format!("Disputed · {n} days left"),
    }
}

pub(crate) fn summary_view(r: &InvoiceListRow, today: NaiveDate) -> InvoiceSummary {
    InvoiceSummary {
        id: r.id,
        number: r.number.clone(),
        status: r.status,
        display_status: r.display_status,
        customer_id: r.customer_id,
        customer_name: r.customer_name.clone(),
        currency: r.currency.code().to_string(),
        issue_date: r.issue_date,
        due_date: r.due_date,
        total: amount(r.currency, r.total),
        balance: amount(r.currency, r.balance),
        dispute_label: r
            .dispute_ends_on
            .map(|end| dispute_label((end - today).num_days())),
    }
}

pub(crate) fn payment_view(p: &Payment, c: Currency, recorded_by: &str) -> PaymentView {
    PaymentView {
        id: p.id,
        invoice_id: p.invoice_id,
        amount: amount(c, p.amount),
        date: p.date,
        method: p.method.as_str().to_string(),
        reference: p.reference.clone(),
        recorded_by: recorded_by.to_string(),
        recorded_at: canonical_time(p.recorded_at),
    }
}

pub(crate) fn audit_view(e: &AuditEvent) -> AuditEventView {
    AuditEventView {
        seq: e.seq,
        at: canonical_time(e.at),
        actor: e.actor.clone(),
        action: e.action.clone(),
        entity: e.entity.clone(),
        data: e.data.clone(),
        hash: e.hash.clone(),
    }
}
