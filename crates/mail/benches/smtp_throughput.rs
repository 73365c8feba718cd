//! SMTP throughput: 1,000 invoice emails, each with a real invoice PDF
//! (rendered once by invoicer-documents), sent to Postfix's smtp-sink on
//! 127.0.0.1, the way the outbox sender sends them: each message formatted
//! (MIME, base64 PDF), then handed to the transport.
//!
//! Runs:
//! - `SmtpRelay` with 1 connection (one thread) and with 4 connections (four
//!   threads), the data in one write (see `smtp/data_body.rs`);
//! - lettre's own `SmtpConnection::send` on one connection, whose body and
//!   terminator go in two writes: the ~40 ms Nagle/delayed-ACK stall the
//!   transport works around.
//!
//! Then the same two paths with a 40 KB attachment and with none, where
//! lettre's stall shows; last, over STARTTLS to aiosmtpd (a slower server)
//! to check that TLS brings no stall back.
//!
//! Prints messages/s and the client's CPU time per message (user + system,
//! from /proc/self/stat; the servers are other processes). Asserts nothing.
//! `SMTP_BENCH_MESSAGES` changes the count (default 1000).
//!
//! ```text
//! cargo bench -p invoicer-mail --bench smtp_throughput
//! ```

use chrono::{TimeZone, Utc};
use invoicer_documents::{default_bundles, PrintedInvoice, Renderer};
use invoicer_domain::smtp_settings::{SmtpSecurity, SmtpSettings};
use invoicer_mail::message::format;
use invoicer_mail::{Attachment, OutgoingEmail, Party, SmtpOptions, SmtpRelay, Transport};
use invoicer_test_smtp::{process_cpu_time as cpu_time, Behaviour, TestSmtp, TlsMode};
use lettre::address::Envelope;
use lettre::transport::smtp::client::SmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use std::time::{Duration, Instant};

fn email(pdf: &[u8], n: usize) -> OutgoingEmail {
    // An empty PDF means a message without attachment.
    let number = format!("INV-2026-{n:05}");
    let link = format!("https://pay.example.com/{number}?amount=1083.00&currency=USD");
    OutgoingEmail {
        from: Party {
            name: "Acme Billing".into(),
            address: "billing@acme.test".into(),
        },
        reply_to: Some(Party {
            name: "Acme Accounts".into(),
            address: "accounts@acme.test".into(),
        }),
        to: vec!["zoe@globex.test".into()],
        cc: vec!["books@globex.test".into()],
        bcc: vec![],
        subject: format!("Invoice {number} from Acme"),
        text: format!(
            "Dear Zoë,\n\nplease find invoice {number} attached.\nPay online: {link}\n\nAcme Billing\n"
        ),
        html: Some(format!(
            "<p>Dear Zoë,</p><p>please find invoice {number} attached.</p>\
             <p><a href=\"{link}\">Pay online</a></p><p>Acme Billing</p>"
        )),
        attachment: (!pdf.is_empty()).then(|| Attachment {
            file_name: format!("{number}.pdf"),
            content_type: "application/pdf".into(),
            bytes: pdf.to_vec(),
        }),
        message_id: format!("<invoice-{n}.invoice.0@acme.test>"),
        date: Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap(),
    }
}

struct Figures {
    messages: usize,
    wall: Duration,
    cpu: Duration,
}

impl Figures {
    fn print(&self, what: &str) {
        let rate = self.messages as f64 / self.wall.as_secs_f64();
        let cpu_per = self.cpu.as_secs_f64() * 1e6 / self.messages as f64;
        println!(
            "  {what:<40} {:>5} messages in {:>6.2} s = {rate:>7.0} msg/s, CPU {cpu_per:>6.0} µs/message",
            self.messages,
            self.wall.as_secs_f64()
        );
    }
}

fn measure(messages: usize, run: impl FnOnce()) -> Figures {
    let (cpu0, t0) = (cpu_time(), Instant::now());
    run();
    Figures {
        messages,
        wall: t0.elapsed(),
        cpu: cpu_time().saturating_sub(cpu0),
    }
}

fn relay(port: u16, connections: usize) -> SmtpRelay {
    SmtpRelay::new(
        SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: None,
        },
        None,
        SmtpOptions {
            connections,
            hello_name: Some("bench.invoicer.test".into()),
            ..SmtpOptions::default()
        },
    )
}

/// `messages` emails through `relay` from `threads` threads at once.
fn through_relay(relay: &SmtpRelay, pdf: &[u8], messages: usize, threads: usize) {
    std::thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for n in (t..messages).step_by(threads) {
                    if let Err(e) = relay.deliver(&email(pdf, n), n as i64) {
                        panic!("message {n} was not accepted: {e:?}");
                    }
                }
            });
        }
    });
}

/// `messages` emails through lettre's own `SmtpConnection::send` (body and
/// terminator in two writes) on one connection.
fn through_lettre(port: u16, pdf: &[u8], messages: usize) {
    let mut conn = SmtpConnection::connect(
        ("127.0.0.1", port),
        Some(Duration::from_secs(30)),
        &ClientId::Domain("bench.invoicer.test".into()),
        None,
        None,
    )
    .expect("connect to smtp-sink");
    for n in 0..messages {
        let email = email(pdf, n);
        let bytes = format(&email, false).expect("format");
        let envelope = Envelope::new(
            Some(email.from.address.parse().unwrap()),
            email
                .to
                .iter()
                .chain(&email.cc)
                .map(|a| a.parse().unwrap())
                .collect(),
        )
        .unwrap();
        conn.send(&envelope, &bytes).expect("accepted");
    }
    let _ = conn.quit();
}

fn main() {
    let messages: usize = std::env::var("SMTP_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let renderer = Renderer::new().expect("fonts");
    let (_, bundle) = default_bundles().into_iter().next().expect("a bundle");
    let pdf = renderer
        .render_pdf(&bundle, &PrintedInvoice::sample())
        .expect("the sample invoice renders");
    let message_size = format(&email(&pdf, 0), false).expect("format").len();
    let sink = TestSmtp::start(Behaviour::Sink);
    println!(
        "smtp_throughput: {messages} invoice emails, PDF {:.1} KB (message {:.1} KB), \
         to smtp-sink on 127.0.0.1:{}",
        pdf.len() as f64 / 1024.0,
        message_size as f64 / 1024.0,
        sink.port()
    );

    measure(messages, || {
        for n in 0..messages {
            std::hint::black_box(format(&email(&pdf, n), false).expect("format"));
        }
    })
    .print("formatting only (no SMTP)");

    for (connections, threads) in [(1, 1), (4, 4)] {
        let relay = relay(sink.port(), connections);
        // One message first, so the figures leave out connecting.
        through_relay(&relay, &pdf, 1, 1);
        measure(messages, || through_relay(&relay, &pdf, messages, threads)).print(&format!(
            "SmtpRelay, {connections} connection(s), {threads} thread(s)"
        ));
    }

    measure(messages, || through_lettre(sink.port(), &pdf, messages))
        .print("lettre SmtpConnection::send, 1 connection");

    // The stall depends on the size: a body larger than one loopback
    // segment (~64 KB) is acknowledged at once, so lettre's small second
    // write rarely waits; a smaller one waits for the delayed ACK.
    let slow = 200.min(messages);
    let blob = &pdf[..pdf.len().min(40 * 1024)];
    for (what, attachment) in [("a 40 KB attachment", blob), ("no attachment", &[][..])] {
        let size = format(&email(attachment, 0), false).expect("format").len();
        println!("with {what} ({:.1} KB messages):", size as f64 / 1024.0);
        let relay = relay(sink.port(), 1);
        through_relay(&relay, attachment, 1, 1);
        measure(messages, || through_relay(&relay, attachment, messages, 1))
            .print("SmtpRelay, 1 connection(s), 1 thread(s)");
        // Fewer: at ~40 ms each, 1,000 would take 40 s.
        measure(slow, || through_lettre(sink.port(), attachment, slow))
            .print("lettre SmtpConnection::send, 1 connection");
    }
    // Over TLS rustls may split the data into several writes; check that
    // no stall comes back. aiosmtpd (Python, storing each message) is the
    // slower party here, so this is a lower bound, not the client's speed.
    let tls_server = TestSmtp::start_tls(Behaviour::Accept, TlsMode::Starttls);
    let tls_relay = SmtpRelay::new(
        SmtpSettings {
            host: "127.0.0.1".into(),
            port: tls_server.port(),
            security: SmtpSecurity::Starttls,
            username: None,
        },
        None,
        SmtpOptions {
            connections: 1,
            trusted_certificates: vec![tls_server
                .certificate_pem()
                .expect("a certificate")
                .to_vec()],
            ..SmtpOptions::default()
        },
    );
    through_relay(&tls_relay, blob, 1, 1);
    println!("over STARTTLS to aiosmtpd (Python, stores each message):");
    measure(slow, || through_relay(&tls_relay, blob, slow, 1))
        .print("SmtpRelay, 1 connection(s), 40 KB attachment");
    measure(slow, || through_relay(&tls_relay, &pdf, slow, 1))
        .print("SmtpRelay, 1 connection(s), the PDF");
    println!("(CPU time from /proc/self/stat: 10 ms resolution over each run)");
}
