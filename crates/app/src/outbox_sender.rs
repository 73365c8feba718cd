//! The outbox sender: takes due deliveries, marks each `sending` before the
//! transport sees it, hands it over, and records what happened with an audit
//! event per attempt, acting as the system principal.
//!
//! The rule that keeps a crash from sending twice: the `sending` mark is
//! committed before the SMTP transaction starts, and a delivery found
//! `sending` when a sender starts ([`Invoicer::recover_interrupted_deliveries`])
//! becomes `unknown`, never queued again by itself.

use crate::api::{AppEvent, NotificationView};
use crate::fault_points;
use crate::mail_transport::ChosenTransport;
use crate::process_lock::ProcessLock;
use crate::{AppResult, Invoicer};
use chrono::{DateTime, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::delivery::{Delivery, DeliveryEvent, DeliveryStatus, SmtpReply};
use invoicer_domain::retry_policy::{AttemptFailure, NextStep};
use invoicer_mail::Transport;
use invoicer_store::DeliveryChange;
use serde_json::json;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

/// The sender's name, in the audit (`system:outbox_sender`) and in progress.
pub(crate) const SENDER: &str = "outbox_sender";

/// How many due deliveries one pass takes at most.
const BATCH: u32 = 1_000;

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SendPass {
    /// Deliveries attempted.
    pub(crate) done: u32,
    /// Attempts that did not end `sent`.
    pub(crate) failed: u32,
    /// When the next retry is due, if one waits; `now` when due deliveries
    /// were left for the next pass.
    pub(crate) next_due: Option<DateTime<Utc>>,
}

/// How an attempt ended, as the outbox records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AttemptEnd {
    /// The delivery is `sent`.
    Sent,
    /// It ended in this other status.
    Other(DeliveryStatus),
    /// Another sender had taken it already.
    Skipped,
}

/// The audit actor of the sender.
pub(crate) fn sender_actor() -> String {
    crate::jobs::system_actor(SENDER)
}

impl Invoicer {
    /// Turns every delivery left `sending` by a process that died mid-attempt
    /// into `unknown`, with an audit event each, and says how many. Run when
    /// a sender starts: nothing else may be sending then.
    pub(crate) fn recover_interrupted_deliveries(&self) -> AppResult<usize> {
        let now = self.clock.now();
        let actor = sender_actor();
        let ids = self.store.write(|tx| -> AppResult<_> {
            let ids = tx.interrupt_sending_deliveries(now)?;
            for id in &ids {
                let d = tx.delivery(*id)?;
                tx.append_audit(
                    NewAuditEvent::new(
                        Some(&actor),
                        "delivery.interrupted",
                        entity(d.as_ref().and_then(|d| d.invoice_id), *id),
                        json!({"delivery_id": id, "status": "unknown",
                               "message_id": d.as_ref().and_then(|d| d.message_id.clone()),
                               "reason": "the sender stopped while this email was being handed to the server; it may have arrived"}),
                    ),
                    now,
                )?;
            }
            Ok(ids)
        })?;
        if !ids.is_empty() {
            tracing::warn!(
                count = ids.len(),
                "deliveries interrupted mid-send are now unknown"
            );
            for id in &ids {
                self.publish_delivery(*id);
            }
            self.publish(AppEvent::Notification(NotificationView {
                title: "Emails need a decision".into(),
                body: format!(
                    "{} email(s) were being sent when Invoicer stopped and may or may not have arrived. Resend or mark them sent.",
                    ids.len()
                ),
                topic: "deliveries".into(),
            }));
            self.publish_counts();
        }
        Ok(ids.len())
    }

    /// One pass of the outbox sender as a job runs it: takes the sender lock
    /// if `lock` does not hold it yet (recovering interrupted deliveries when
    /// it does), then sends what is due. `None` when another process holds
    /// the lock and sends instead.
    pub(crate) fn outbox_pass(
        &self,
        lock: &mut Option<ProcessLock>,
        cancelled: &(dyn Fn() -> bool + Sync),
        progress: &(dyn Fn(u32, u32, Option<String>, u32) + Sync),
    ) -> AppResult<Option<SendPass>> {
        if lock.is_none() {
            let Some(taken) = self.try_sender_lock()? else {
                return Ok(None);
            };
            *lock = Some(taken);
            // Nobody else can be sending now: what is `sending` was cut off.
            self.recover_interrupted_deliveries()?;
        }
        let chosen = self.mail_transport()?;
        self.send_due_deliveries(&chosen, cancelled, progress)
            .map(Some)
    }

    /// One pass of the sender: every delivery due now, `parallel` at a time,
    /// until done or `cancelled()` (each attempt under way is finished).
    pub(crate) fn send_due_deliveries(
        &self,
        chosen: &ChosenTransport,
        cancelled: &(dyn Fn() -> bool + Sync),
        progress: &(dyn Fn(u32, u32, Option<String>, u32) + Sync),
    ) -> AppResult<SendPass> {
        let now = self.clock.now();
        let due = self.store.read(|tx| tx.due_deliveries(now, BATCH))?;
        let total = u32::try_from(due.len()).unwrap_or(u32::MAX);
        let link_key = self.payment_link_key();
        let next = AtomicUsize::new(0);
        let done = AtomicU32::new(0);
        let failed = AtomicU32::new(0);
        let work = || -> AppResult<()> {
            loop {
                if cancelled() {
                    return Ok(());
                }
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(d) = due.get(i) else {
                    return Ok(());
                };
                let end =
                    self.attempt_delivery(chosen.transport.as_ref(), d, link_key.as_deref())?;
                if end == AttemptEnd::Skipped {
                    continue;
                }
                if end != AttemptEnd::Sent {
                    failed.fetch_add(1, Ordering::SeqCst);
                }
                let n = done.fetch_add(1, Ordering::SeqCst) + 1;
                progress(n, total, Some(describe(d)), failed.load(Ordering::SeqCst));
            }
        };
        let workers = chosen.parallel.clamp(1, 16).min(due.len().max(1));
        let results: Vec<AppResult<()>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers).map(|_| s.spawn(work)).collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(crate::ApiError::new(
                            crate::ErrorCode::Internal,
                            "a sender thread panicked",
                        ))
                    })
                })
                .collect()
        });
        for r in results {
            r?;
        }
        let left = due.len() == BATCH as usize;
        let next_due = if left {
            Some(self.clock.now())
        } else {
            self.store.read(|tx| tx.next_retry_at())?
        };
        Ok(SendPass {
            done: done.into_inner(),
            failed: failed.into_inner(),
            next_due,
        })
    }

    /// One attempt at `d`: claim, build, hand over, record.
    pub(crate) fn attempt_delivery(
        &self,
        transport: &dyn Transport,
        d: &Delivery,
        link_key: Option<&[u8]>,
    ) -> AppResult<AttemptEnd> {
        let now = self.clock.now();
        let attempt = d.attempts + 1;
        let message_id = self.new_message_id(d.id, attempt)?;
        let claimed = self.store.write(|tx| -> AppResult<_> {
            // Status first, then the claim: the domain decides the move is
            // legal; the store's compare-and-set decides who makes it.
            let to = d.status.apply(&DeliveryEvent::Claim)?;
            Ok(tx.change_delivery(
                &DeliveryChange {
                    id: d.id,
                    from: d.status,
                    to,
                    starts_attempt: true,
                    resets_attempts: false,
                    next_attempt_at: None,
                    reply: None,
                    message_id: Some(&message_id),
                },
                now,
            )?)
        })?;
        if !claimed {
            return Ok(AttemptEnd::Skipped);
        }
        self.publish_delivery(d.id);
        fault_points::reached("after_claim");
        let email = self
            .store
            .read(|tx| self.delivery_email(tx, d, &message_id, link_key, now));
        let outcome = match email {
            Ok(email) => transport.deliver(&email, d.id).map(|a| a.reply),
            // A message that cannot be built will not build on the next try
            // either: give up with the reason, for a person to fix and resend.
            Err(e) => Err(AttemptFailure::Reply {
                code: 0,
                text: format!("the message could not be built: {}", e.message),
            }),
        };
        if outcome.is_ok() {
            fault_points::reached("after_smtp_accept");
        }
        self.record_attempt(d, attempt, &message_id, outcome, &transport.describe())
    }

    fn record_attempt(
        &self,
        d: &Delivery,
        attempt: u32,
        message_id: &str,
        outcome: Result<SmtpReply, AttemptFailure>,
        via: &str,
    ) -> AppResult<AttemptEnd> {
        let now = self.clock.now();
        let policy = self.store.read(crate::deliveries::retry_policy)?;
        let (event, reply, action) = match &outcome {
            Ok(reply) => (DeliveryEvent::Accepted, reply.clone(), "delivery.sent"),
            Err(failure) => {
                let reply = failure_reply(failure);
                let cant_build = matches!(failure, AttemptFailure::Reply { code: 0, .. });
                let step = if cant_build {
                    NextStep::GiveUp
                } else {
                    policy.after_failure(failure, attempt, now, jitter())
                };
                match step {
                    NextStep::RetryAt(at) => (
                        DeliveryEvent::RetryAt(at),
                        reply,
                        "delivery.retry_scheduled",
                    ),
                    NextStep::GiveUp => (DeliveryEvent::GiveUp, reply, "delivery.failed"),
                    NextStep::AskAPerson => (DeliveryEvent::Interrupted, reply, "delivery.unknown"),
                }
            }
        };
        let to = DeliveryStatus::Sending.apply(&event)?;
        let next_attempt_at = match event {
            DeliveryEvent::RetryAt(at) => Some(at),
            _ => None,
        };
        let actor = sender_actor();
        let recorded = self.store.write(|tx| -> AppResult<_> {
            let changed = tx.change_delivery(
                &DeliveryChange {
                    id: d.id,
                    from: DeliveryStatus::Sending,
                    to,
                    starts_attempt: false,
                    resets_attempts: false,
                    next_attempt_at,
                    reply: Some(&reply),
                    message_id: None,
                },
                now,
            )?;
            if changed {
                tx.append_audit(
                    NewAuditEvent::new(
                        Some(&actor),
                        action,
                        entity(d.invoice_id, d.id),
                        json!({"delivery_id": d.id, "kind": d.kind, "step": d.step,
                               "attempt": attempt, "status": to,
                               "reply_code": reply.code, "reply": reply.text,
                               "message_id": message_id, "via": via,
                               "next_attempt_at": next_attempt_at.map(|t| t.to_rfc3339()),
                               "to": d.recipients.to}),
                    ),
                    now,
                )?;
            }
            Ok(changed)
        })?;
        if !recorded {
            tracing::warn!(
                delivery = d.id,
                "the delivery changed while it was being sent; its outcome was not recorded"
            );
        }
        self.publish_delivery(d.id);
        if let Some(invoice) = d.invoice_id {
            self.publish(AppEvent::InvoiceChanged {
                invoice_id: invoice,
            });
        }
        if to.needs_a_person() {
            self.publish(AppEvent::Notification(NotificationView {
                title: if to == DeliveryStatus::Failed {
                    "An email could not be sent".into()
                } else {
                    "An email may not have arrived".into()
                },
                body: format!("{}: {} {}", describe(d), reply.code, reply.text),
                topic: "deliveries".into(),
            }));
            self.publish_counts();
        }
        Ok(if to == DeliveryStatus::Sent {
            AttemptEnd::Sent
        } else {
            AttemptEnd::Other(to)
        })
    }

    /// A Message-ID unique to this attempt: `<d42.a1.<random>@<domain>>`,
    /// the domain taken from the company's address.
    fn new_message_id(&self, id: i64, attempt: u32) -> AppResult<String> {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| {
            crate::ApiError::new(crate::ErrorCode::Internal, format!("no randomness: {e}"))
        })?;
        let domain = self
            .store
            .read(|tx| tx.company())?
            .and_then(|c| c.email)
            .and_then(|e| e.rsplit_once('@').map(|(_, d)| d.to_string()))
            .unwrap_or_else(|| "invoicer.localhost".into());
        Ok(format!(
            "<d{id}.a{attempt}.{}@{domain}>",
            hex::encode(random)
        ))
    }

    /// Tells listeners a delivery changed, with its current row.
    pub(crate) fn publish_delivery(&self, id: i64) {
        match self.delivery_view_by_id(id) {
            Ok(Some(view)) => self.publish(AppEvent::DeliveryChanged { delivery: view }),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "could not read a delivery to publish it"),
        }
    }

    /// Tells listeners the failed and unknown counts.
    pub(crate) fn publish_counts(&self) {
        if let Ok((failed, unknown)) = self.store.read(|tx| tx.delivery_counts()) {
            self.publish(AppEvent::DeliveryCounts { failed, unknown });
        }
    }
}

/// The audit entity a delivery's events are filed under: its invoice, so the
/// invoice's activity shows them, or the delivery itself for a test email.
pub(crate) fn entity(invoice_id: Option<i64>, delivery_id: i64) -> String {
    match invoice_id {
        Some(i) => format!("invoice:{i}"),
        None => format!("delivery:{delivery_id}"),
    }
}

/// A failure as the reply shown to a person; code 0 when no server answered.
fn failure_reply(f: &AttemptFailure) -> SmtpReply {
    match f {
        AttemptFailure::Reply { code, text } => SmtpReply {
            code: *code,
            text: text.clone(),
        },
        AttemptFailure::Connection(m) => SmtpReply {
            code: 0,
            text: format!("no connection: {m}"),
        },
        AttemptFailure::AfterData(m) => SmtpReply {
            code: 0,
            text: format!("the connection broke after the message was sent, before the server confirmed it: {m}"),
        },
    }
}

/// A jitter share for the retry policy (0..=1000), so deliveries that failed
/// together do not all retry at the same instant.
fn jitter() -> u16 {
    let mut b = [0u8; 2];
    if getrandom::fill(&mut b).is_err() {
        return 500;
    }
    u16::from_le_bytes(b) % 1001
}

fn describe(d: &Delivery) -> String {
    match d.invoice_id {
        Some(i) => format!(
            "{:?} email for invoice {i} to {}",
            d.kind,
            d.recipients.to.join(", ")
        ),
        None => format!("test email to {}", d.recipients.to.join(", ")),
    }
}
