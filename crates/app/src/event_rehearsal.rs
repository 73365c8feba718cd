//! Rendering an API event's PDF before its write transaction.
//!
//! Issuing renders the invoice's PDF, and the write lock is the one thing
//! API events queue for, so rendering inside it caps events per second at
//! one render at a time. The way `issue_invoice` already works for people
//! applies here too: rehearse the invoice the event will make on a read
//! connection, render it outside the lock with the number the series will
//! most likely give, and let the transaction reuse those bytes only if the
//! invoice it really issues prints exactly the same (`PdfInputs::same_as`,
//! number included); otherwise it renders again. Correctness never rests on
//! the guess, and the PDF is still archived in the number's transaction.
//!
//! Concurrent events would all guess the same next number, so rehearsals
//! take a ticket from an [`IssueQueue`]: the guess is the series' next
//! number plus the tickets still ahead, and the write transactions then run
//! in ticket order, so each guess comes true unless something else (a
//! person issuing, a refused event) took a number in between.

use crate::api::EventInput;
use crate::drafts::{build_content, chosen_template};
use crate::integration_events::typed_draft;
use crate::invoice_pdf::{not_initialized, PdfInputs};
use crate::{AppResult, Invoicer};
use chrono::{DateTime, Utc};
use invoicer_domain::event_actions::EventAction;
use invoicer_domain::invoice::Invoice;
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::money::Currency;
use invoicer_domain::Decimal;
use std::collections::BTreeSet;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// The longest a rehearsed event waits for its turn. Order only makes the
/// guessed numbers come true; if a turn never comes (a bug, a stuck render
/// past its budget) the event goes ahead and at worst renders again.
const TURN_WAIT: Duration = Duration::from_secs(10);

/// Tickets that order the write transactions of rehearsed API events.
#[derive(Debug, Default)]
pub(crate) struct IssueQueue {
    state: Mutex<QueueState>,
    turn: Condvar,
}

#[derive(Debug, Default)]
struct QueueState {
    /// The ticket the next rehearsal gets.
    next: u64,
    /// The ticket whose transaction may run now.
    serving: u64,
    /// Tickets given up before their turn (their rehearsal failed).
    abandoned: BTreeSet<u64>,
}

/// A place in the [`IssueQueue`]; handing it back (dropping it) lets the
/// next ticket's transaction run.
pub(crate) struct Ticket<'a> {
    queue: &'a IssueQueue,
    number: u64,
}

/// The queue held from the end of a ticket's transaction until the ticket
/// is handed back after the commit, so that no rehearsal guesses from a
/// series that already counts the commit while the queue does not yet (or
/// the other way round).
pub(crate) struct Closing<'a>(MutexGuard<'a, QueueState>);

impl IssueQueue {
    /// Takes the next ticket and, with the queue locked so that no other
    /// rehearsal guesses at the same time, `peek`'s next number plus the
    /// tickets ahead.
    fn take(&self, peek: impl FnOnce() -> AppResult<u64>) -> AppResult<(Ticket<'_>, u64)> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let next = peek()?;
        let number = state.next;
        state.next += 1;
        let ahead = number - state.serving;
        Ok((
            Ticket {
                queue: self,
                number,
            },
            next + ahead,
        ))
    }
}

impl Ticket<'_> {
    /// Waits (at most [`TURN_WAIT`]) until every earlier ticket is done.
    pub(crate) fn wait_turn(&self) {
        let state = self.queue.state.lock().unwrap_or_else(|p| p.into_inner());
        let _ = self
            .queue
            .turn
            .wait_timeout_while(state, TURN_WAIT, |s| s.serving < self.number)
            .unwrap_or_else(|p| p.into_inner());
    }
}

impl<'a> Ticket<'a> {
    /// Holds the queue until [`Ticket::close`]: taken at the end of the
    /// ticket's transaction, before it commits.
    pub(crate) fn closing(&self) -> Closing<'a> {
        Closing(self.queue.state.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Hands the ticket back after its transaction, with the queue held
    /// since [`Ticket::closing`] when it was taken.
    pub(crate) fn close(self, closing: Option<Closing<'a>>) {
        let queue = self.queue;
        let mut state = match closing {
            Some(Closing(state)) => state,
            None => queue.state.lock().unwrap_or_else(|p| p.into_inner()),
        };
        self.release(&mut state);
        std::mem::forget(self);
        drop(state);
        queue.turn.notify_all();
    }

    fn release(&self, state: &mut QueueState) {
        if state.serving == self.number {
            state.serving += 1;
            loop {
                let s = state.serving;
                if !state.abandoned.remove(&s) {
                    break;
                }
                state.serving += 1;
            }
        } else if state.serving < self.number {
            state.abandoned.insert(self.number);
        }
    }
}

impl Drop for Ticket<'_> {
    /// A ticket dropped without [`Ticket::close`] (its rehearsal failed, or
    /// a panic) is handed back all the same, so the queue never stalls.
    fn drop(&mut self) {
        let mut state = self.queue.state.lock().unwrap_or_else(|p| p.into_inner());
        self.release(&mut state);
        drop(state);
        self.queue.turn.notify_all();
    }
}

/// An event's PDF rendered before its transaction, with what it was
/// rendered from and its place in the queue.
pub(crate) struct Rehearsal<'a> {
    /// Held until the event's transaction is over.
    pub(crate) ticket: Ticket<'a>,
    /// What the PDF was rendered from (the guessed number included) and
    /// the rendered PDF; `None` for an event whose invoice cannot be
    /// rehearsed (a new customer) but will take a number in its turn.
    pub(crate) early: Option<(PdfInputs, Vec<u8>)>,
}

impl Invoicer {
    /// Rehearses `event` (with `key`) on a read connection and renders its
    /// PDF, or `None` when it cannot be rehearsed cheaply or would issue
    /// nothing: a disabled rule, a rule that makes drafts or asks for
    /// approval, a mapped payload, a due date, a new customer, a key
    /// already used. Those go the usual way, rendering in the transaction.
    pub(crate) fn rehearse_event(&self, event: &EventInput, key: &str) -> Option<Rehearsal<'_>> {
        // Any error here is the transaction's to report, with its field:
        // the rehearsal just gives up.
        self.try_rehearse(event, key, self.clock.now())
            .ok()
            .flatten()
    }

    fn try_rehearse(
        &self,
        event: &EventInput,
        key: &str,
        now: DateTime<Utc>,
    ) -> AppResult<Option<Rehearsal<'_>>> {
        let planned = self.store.read(|tx| -> AppResult<Option<_>> {
            if tx.api_response(key)?.is_some() {
                return Ok(None);
            }
            let rule = tx.event_rule(event.event_type)?;
            let issues = matches!(
                rule.settings.action,
                EventAction::Issue | EventAction::IssueAndSend
            );
            let mapped = event.data.is_some() && !rule.settings.mapping.is_empty();
            if !rule.enabled || !issues || mapped || event.due_date.is_some() {
                return Ok(None);
            }
            let c = &event.customer;
            let by_ref = match c.external_ref.as_deref().map(str::trim) {
                Some(r) if !r.is_empty() => tx.customer_by_external_ref(r)?,
                _ => None,
            };
            let customer = match (by_ref, c.email.as_deref().map(str::trim)) {
                (Some(found), _) => Some(found),
                (None, Some(e)) if !e.is_empty() => tx.customers_by_email(e)?.into_iter().next(),
                _ => None,
            };
            // A new customer is created in the transaction, so its invoice
            // cannot be printed before; it still queues for its number, so
            // that the guesses of the events behind it stay right.
            let Some(customer) = customer else {
                return Ok(Some(None));
            };
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let draft = typed_draft(event, &rule, customer.id, event.terms_days);
            let mut content = build_content(tx, &settings, &draft, today)?;
            if let Some(code) = event.currency.as_deref() {
                match Currency::from_code(code.trim()) {
                    Some(currency) => content.currency = currency,
                    None => return Ok(None),
                }
            }
            let template = chosen_template(tx, &draft)?;
            let totals = content.totals(settings.rounding_scope, settings.rounding_mode);
            let inv = Invoice {
                id: 0,
                number: None,
                status: InvoiceStatus::Draft,
                content,
                rounding_scope: settings.rounding_scope,
                rounding_mode: settings.rounding_mode,
                totals,
                amount_paid: Decimal::ZERO,
                amount_credited: Decimal::ZERO,
                created_by: 0,
                last_edited_by: 0,
                created_at: now,
                issued_at: None,
                void_reason: None,
                disputed_on: None,
                template,
                pdf_sha256: None,
            };
            // The template is chosen now; the number comes with the ticket.
            let unnumbered = self.pdf_inputs(tx, &inv, None, &settings)?;
            Ok(Some(Some((inv, settings, unnumbered))))
        })?;
        let (inv, settings, unnumbered) = match planned {
            None => return Ok(None),
            Some(None) => {
                let (ticket, _) = self.issue_queue.take(|| Ok(0))?;
                return Ok(Some(Rehearsal {
                    ticket,
                    early: None,
                }));
            }
            Some(Some(planned)) => planned,
        };
        let series = settings.number_format.series_key(inv.content.issue_date);
        let (ticket, seq) = self.issue_queue.take(|| {
            // A fresh read, so the guess counts every issue committed so far.
            self.store
                .read(|tx| Ok::<_, crate::ApiError>(tx.peek_in_series(&series)?))
        })?;
        let number = settings.number_format.render(inv.content.issue_date, seq);
        let inputs = unnumbered.numbered(&inv, &number, &settings);
        let pdf = self.render_within_budget(&inputs)?;
        Ok(Some(Rehearsal {
            ticket,
            early: Some((inputs, pdf)),
        }))
    }
}

#[cfg(test)]
mod tests;
