//! Cross-checks of stored facts: an issued invoice's totals, archived PDF and
//! paid amount must agree with its lines, its bytes, its payments and the
//! events that recorded them. The hash chain proves the events were not
//! edited; these checks prove the rows beside them were not edited either.

use crate::invoice_pdf::sha256_hex;
use crate::{ApiError, AppResult, ErrorCode};
use invoicer_domain::audit::AuditEvent;
use invoicer_domain::invoice::Invoice;
use invoicer_domain::Decimal;
use invoicer_store::Tx;
use std::str::FromStr;

/// The first fact about an issued invoice that disagrees with another, as a
/// sentence naming the invoice, or `None` when everything agrees.
pub(crate) fn invoice_mismatch(tx: &Tx<'_>, inv: &Invoice) -> AppResult<Option<String>> {
    let name = inv
        .number
        .clone()
        .unwrap_or_else(|| format!("id {}", inv.id));
    let differs = |what: &str, stored: &dyn std::fmt::Display, other: &dyn std::fmt::Display| {
        Some(format!(
            "invoice {name}: the stored {what} {stored} differs from {other}"
        ))
    };

    // Totals recomputed from the stored lines, under the invoice's own rounding.
    let recomputed = inv.content.totals(inv.rounding_scope, inv.rounding_mode);
    for (what, stored, again) in [
        ("subtotal", inv.totals.subtotal, recomputed.subtotal),
        (
            "discount",
            inv.totals.discount_total,
            recomputed.discount_total,
        ),
        ("tax", inv.totals.tax_total, recomputed.tax_total),
        ("total", inv.totals.total, recomputed.total),
    ] {
        if stored != again {
            return Ok(differs(
                what,
                &stored,
                &format!("{again} recomputed from its lines"),
            ));
        }
    }

    let events = tx.audit_for_entity(&format!("invoice:{}", inv.id))?;
    let Some(issued) = events.iter().find(|e| e.action == "invoice.issued") else {
        return Ok(Some(format!(
            "invoice {name}: it has a number but no invoice.issued event"
        )));
    };
    let data: serde_json::Value = serde_json::from_str(&issued.data).unwrap_or_default();
    let text = |key: &str| data.get(key).and_then(|v| v.as_str()).unwrap_or("");
    match Decimal::from_str(text("total")) {
        Ok(t) if t == inv.totals.total => {}
        _ => {
            return Ok(differs(
                "total",
                &inv.totals.total,
                &format!(
                    "{:?} in its invoice.issued event (seq {})",
                    text("total"),
                    issued.seq
                ),
            ))
        }
    }

    // The archived bytes hashed again, against the archive's own record, the
    // invoice row and the event.
    let Some((bytes, archived_sha)) = tx.archived_pdf(inv.id)? else {
        return Ok(Some(format!("invoice {name}: its archived PDF is missing")));
    };
    let actual = sha256_hex(&bytes);
    if actual != archived_sha {
        return Ok(Some(format!(
            "invoice {name}: the archived PDF was replaced (its bytes hash to {actual}, the archive records {archived_sha})"
        )));
    }
    if inv.pdf_sha256.as_deref() != Some(actual.as_str()) {
        return Ok(differs(
            "PDF hash",
            &inv.pdf_sha256.as_deref().unwrap_or("(none)"),
            &format!("the archived PDF's {actual}"),
        ));
    }
    if text("pdf_sha256") != actual {
        return Ok(Some(format!(
            "invoice {name}: the archived PDF hashes to {actual}, its invoice.issued event (seq {}) recorded {}",
            issued.seq,
            text("pdf_sha256")
        )));
    }

    // The paid amount is the sum of the payment rows less the refund rows,
    // and of the recorded events likewise.
    let c = inv.content.currency;
    let refunded: Decimal = tx.refunds(inv.id, c)?.iter().map(|r| r.amount).sum();
    let rows: Decimal = tx
        .payments(inv.id, c)?
        .iter()
        .map(|p| p.amount)
        .sum::<Decimal>()
        - refunded;
    if rows != inv.amount_paid {
        return Ok(differs(
            "paid amount",
            &inv.amount_paid,
            &format!("the sum of its payments less refunds, {rows}"),
        ));
    }
    // The credited amount is the sum of its credit notes and of their events.
    let notes = tx.credit_notes(Some(inv.id))?;
    let credited: Decimal = notes.iter().map(|n| n.amounts.total).sum();
    if credited != inv.amount_credited
        || amount_in_events(&events, "credit_note.issued", "total") != Some(credited)
    {
        return Ok(Some(format!(
            "invoice {name}: credited {}, its credit notes sum to {credited}",
            inv.amount_credited
        )));
    }
    let recorded = paid_in_events(&events)
        .zip(amount_in_events(&events, "payment.refunded", "amount"))
        .map(|(p, r)| p - r);
    if recorded != Some(rows) {
        return Ok(Some(format!(
            "invoice {name}: its payments sum to {rows}, their payment.recorded events to {}",
            recorded.map_or("an unreadable amount".to_string(), |d| d.to_string())
        )));
    }
    Ok(None)
}

/// The sum of the amounts in `payment.recorded` events, `None` if one is unreadable.
fn paid_in_events(events: &[AuditEvent]) -> Option<Decimal> {
    amount_in_events(events, "payment.recorded", "amount")
}

/// The sum of the decimal `key` of every `action` event, `None` if one is
/// unreadable.
fn amount_in_events(events: &[AuditEvent], action: &str, key: &str) -> Option<Decimal> {
    events
        .iter()
        .filter(|e| e.action == action)
        .map(|e| {
            let data: serde_json::Value = serde_json::from_str(&e.data).ok()?;
            Decimal::from_str(data.get(key)?.as_str()?).ok()
        })
        .sum()
}

/// Refuses archived bytes whose hash is not the one recorded at issue: a
/// replaced PDF is never handed out under the original's checksum.
pub(crate) fn check_archived(inv: &Invoice, bytes: &[u8], archived_sha: &str) -> AppResult<String> {
    let actual = sha256_hex(bytes);
    if actual == archived_sha && inv.pdf_sha256.as_deref() == Some(actual.as_str()) {
        return Ok(actual);
    }
    let name = inv.number.as_deref().unwrap_or("(no number)");
    tracing::error!(
        invoice = inv.id,
        number = name,
        actual = %actual,
        archived = archived_sha,
        recorded = ?inv.pdf_sha256,
        "archived PDF does not match its recorded SHA-256"
    );
    Err(ApiError::new(
        ErrorCode::Integrity,
        format!(
            "the archived PDF of invoice {name} does not match the SHA-256 recorded when it was issued; it was altered and is not shown (run `invoicer audit verify`)"
        ),
    ))
}
