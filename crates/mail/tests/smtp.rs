//! The transports against real servers: the SMTP transport against aiosmtpd
//! on 127.0.0.1 (started per test by invoicer-test-smtp, told to accept,
//! defer, refuse or hang up), and the outbox folder on a real disk. What
//! arrives is read back by a real MIME parser.

use chrono::{TimeZone, Utc};
use invoicer_domain::retry_policy::AttemptFailure;
use invoicer_domain::smtp_settings::{SmtpSecurity, SmtpSettings};
use invoicer_mail::{
    Attachment, OutboxFolder, OutgoingEmail, Party, SmtpOptions, SmtpPassword, SmtpRelay, Transport,
};
use invoicer_test_smtp::{closed_port, Behaviour, TestSmtp, TlsMode};
use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::time::Duration;

const LINK: &str = "https://pay.example.com/INV-2026-00001?amount=1083.00&currency=USD";
const WAIT: Duration = Duration::from_secs(30);

fn pdf() -> Vec<u8> {
    // Every byte value: the attachment must arrive unchanged.
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(40_000));
    bytes
}

fn email(n: u32) -> OutgoingEmail {
    OutgoingEmail {
        from: Party {
            name: "Acme Billing".into(),
            address: "billing@acme.test".into(),
        },
        reply_to: None,
        to: vec!["zoe@globex.test".into()],
        cc: vec!["books@globex.test".into()],
        bcc: vec!["archive@acme.test".into()],
        subject: format!("Invoice INV-2026-{n:05} from Acme"),
        // A line that starts with a dot must arrive as written, not be
        // taken for the end of the data or lose its dot.
        text: format!("Dear Zoë,\n\nplease pay: {LINK}\n.\n..and a line with dots\n"),
        html: Some(format!("<p><a href=\"{LINK}\">Pay online</a></p>")),
        attachment: Some(Attachment {
            file_name: format!("INV-2026-{n:05}.pdf"),
            content_type: "application/pdf".into(),
            bytes: pdf(),
        }),
        message_id: format!("<invoice-{n}.invoice.0@acme.test>"),
        date: Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap(),
    }
}

fn relay_with(server: &TestSmtp, username: Option<&str>, password: Option<&str>) -> SmtpRelay {
    SmtpRelay::new(
        SmtpSettings {
            host: server.host().into(),
            port: server.port(),
            security: SmtpSecurity::None,
            username: username.map(str::to_string),
        },
        password.map(SmtpPassword::new),
        SmtpOptions {
            hello_name: Some("invoicer.test".into()),
            ..SmtpOptions::default()
        },
    )
}

/// A relay to `server` secured as `security`, trusting the server's
/// self-signed certificate when `trust` is set.
fn tls_relay(
    server: &TestSmtp,
    security: SmtpSecurity,
    trust: bool,
    user: Option<&str>,
) -> SmtpRelay {
    SmtpRelay::new(
        SmtpSettings {
            host: server.host().into(),
            port: server.port(),
            security,
            username: user.map(str::to_string),
        },
        user.map(|_| SmtpPassword::new("s3cret")),
        SmtpOptions {
            hello_name: Some("invoicer.test".into()),
            trusted_certificates: if trust {
                vec![server.certificate_pem().unwrap().to_vec()]
            } else {
                vec![]
            },
            ..SmtpOptions::default()
        },
    )
}

fn relay(server: &TestSmtp) -> SmtpRelay {
    relay_with(server, None, None)
}

fn reply_code(failure: &AttemptFailure) -> Option<u16> {
    match failure {
        AttemptFailure::Reply { code, .. } => Some(*code),
        _ => None,
    }
}

#[test]
fn a_message_arrives_once_and_parses_with_the_exact_pdf_and_bcc_only_in_the_envelope() {
    let server = TestSmtp::start(Behaviour::Accept);
    let accepted = relay(&server).deliver(&email(1), 1).unwrap();
    assert_eq!(accepted.reply.code, 250, "{:?}", accepted.reply);
    assert!(
        accepted.reply.text.contains("queued"),
        "{:?}",
        accepted.reply
    );
    assert_eq!(accepted.file, None);

    let messages = server.wait_for_messages(1, WAIT);
    assert_eq!(messages.len(), 1, "exactly one copy arrives");
    let msg = MessageParser::default()
        .parse(&messages[0])
        .expect("valid MIME");
    assert_eq!(msg.subject(), Some("Invoice INV-2026-00001 from Acme"));
    assert_eq!(msg.message_id(), Some("invoice-1.invoice.0@acme.test"));
    let text = msg.body_text(0).unwrap();
    assert!(text.contains(LINK), "{text}");
    assert!(
        text.contains("\r\n.\r\n..and a line with dots"),
        "dot lines arrive unchanged: {text:?}"
    );
    let pdf_part = msg.attachment(0).expect("the PDF is attached");
    assert_eq!(pdf_part.attachment_name(), Some("INV-2026-00001.pdf"));
    assert_eq!(
        Sha256::digest(pdf_part.contents()),
        Sha256::digest(pdf()),
        "the PDF arrives byte for byte"
    );
    assert!(msg.bcc().is_none(), "Bcc never appears in the headers");

    let envelopes = server.envelopes();
    assert_eq!(envelopes[0].mail_from, "billing@acme.test");
    assert_eq!(
        envelopes[0].rcpt_to,
        ["zoe@globex.test", "books@globex.test", "archive@acme.test"]
    );
}

#[test]
fn a_temporary_refusal_after_the_data_is_a_451_reply_and_the_next_attempt_is_accepted() {
    let server = TestSmtp::start(Behaviour::SoftRejectData(1));
    let relay = relay(&server);
    let first = relay.deliver(&email(1), 1).unwrap_err();
    assert_eq!(reply_code(&first), Some(451), "{first:?}");
    let second = relay.deliver(&email(1), 1).unwrap();
    assert_eq!(second.reply.code, 250);
    assert_eq!(server.wait_for_messages(1, WAIT).len(), 1);
}

#[test]
fn a_temporary_refusal_of_a_recipient_is_a_451_reply_and_the_connection_carries_on() {
    let server = TestSmtp::start(Behaviour::SoftRejectRcpt(1));
    let relay = relay(&server);
    let first = relay.deliver(&email(1), 1).unwrap_err();
    assert_eq!(reply_code(&first), Some(451), "{first:?}");
    assert!(relay.deliver(&email(1), 1).is_ok());
    assert_eq!(server.wait_for_messages(1, WAIT).len(), 1);
}

#[test]
fn a_permanent_refusal_is_a_550_reply_with_the_servers_text() {
    let server = TestSmtp::start(Behaviour::RejectData);
    let failure = relay(&server).deliver(&email(1), 1).unwrap_err();
    match &failure {
        AttemptFailure::Reply { code, text } => {
            assert_eq!(*code, 550);
            assert!(text.contains("this message is refused"), "{text}");
        }
        other => panic!("expected a 550 reply, got {other:?}"),
    }
    assert!(server.messages().is_empty());
}

#[test]
fn a_server_that_is_down_is_a_connection_failure() {
    let port = closed_port();
    let relay = SmtpRelay::new(
        SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: None,
        },
        None,
        SmtpOptions::default(),
    );
    match relay.deliver(&email(1), 1).unwrap_err() {
        AttemptFailure::Connection(why) => {
            assert!(why.contains(&format!("127.0.0.1:{port}")), "{why}")
        }
        other => panic!("expected a connection failure, got {other:?}"),
    }
    assert!(matches!(
        relay.test_connection(),
        Err(AttemptFailure::Connection(_))
    ));
}

#[test]
fn a_connection_dropped_after_the_data_is_reported_as_after_data_not_as_retryable() {
    let server = TestSmtp::start(Behaviour::DropAfterData);
    let failure = relay(&server).deliver(&email(1), 1).unwrap_err();
    assert!(
        matches!(failure, AttemptFailure::AfterData(_)),
        "{failure:?}"
    );
    // The server did take it: which is exactly why nobody may resend blindly.
    assert_eq!(server.wait_for_messages(1, WAIT).len(), 1);
}

#[test]
fn starttls_demanded_but_not_offered_is_refused_before_anything_is_sent() {
    let server = TestSmtp::start(Behaviour::Accept);
    let relay = SmtpRelay::new(
        SmtpSettings {
            host: server.host().into(),
            port: server.port(),
            security: SmtpSecurity::Starttls,
            username: Some("billing".into()),
        },
        Some(SmtpPassword::new("s3cret")),
        SmtpOptions::default(),
    );
    for failure in [
        relay.deliver(&email(1), 1).unwrap_err(),
        relay.test_connection().unwrap_err(),
    ] {
        match failure {
            AttemptFailure::Connection(why) => {
                assert!(why.contains("does not offer STARTTLS"), "{why}");
                assert!(why.contains("never falls back"), "{why}");
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    assert!(server.messages().is_empty());
}

#[test]
fn signing_in_on_loopback_works_and_a_wrong_password_is_a_535_reply() {
    let server = TestSmtp::start(Behaviour::RequireAuth {
        username: "billing".into(),
        password: "s3cret".into(),
    });
    let good = relay_with(&server, Some("billing"), Some("s3cret"));
    assert_eq!(good.deliver(&email(1), 1).unwrap().reply.code, 250);
    let check = good.test_connection().unwrap();
    assert_eq!(check.code, 221);
    assert!(check.text.contains("signed in as billing"), "{check:?}");

    let wrong = relay_with(&server, Some("billing"), Some("guess"));
    let failure = wrong.deliver(&email(2), 2).unwrap_err();
    assert_eq!(reply_code(&failure), Some(535), "{failure:?}");
    assert!(!format!("{wrong:?} {}", wrong.describe()).contains("guess"));

    let no_password = relay_with(&server, Some("billing"), None);
    match no_password.deliver(&email(3), 3).unwrap_err() {
        AttemptFailure::Connection(why) => assert!(why.contains("no password"), "{why}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(server.wait_for_messages(1, WAIT).len(), 1);
}

#[test]
fn several_threads_through_one_transport_deliver_each_message_exactly_once() {
    let server = TestSmtp::start(Behaviour::Accept);
    let relay = relay(&server);
    let (threads, each) = (6u32, 8u32);
    std::thread::scope(|s| {
        for t in 0..threads {
            let relay = &relay;
            s.spawn(move || {
                for i in 0..each {
                    let n = t * 100 + i;
                    relay.deliver(&email(n), i64::from(n)).unwrap();
                }
            });
        }
    });
    let total = (threads * each) as usize;
    let messages = server.wait_for_messages(total, WAIT);
    assert_eq!(messages.len(), total);
    let ids: BTreeSet<String> = messages
        .iter()
        .map(|m| {
            MessageParser::default()
                .parse(m)
                .and_then(|m| m.message_id().map(str::to_string))
                .unwrap()
        })
        .collect();
    assert_eq!(ids.len(), total, "every message arrived exactly once");
}

#[test]
fn the_outbox_folder_transport_writes_an_eml_file_that_parses_with_its_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let folder = OutboxFolder::new(dir.path().join("outbox"));
    let accepted = folder.deliver(&email(7), 7).unwrap();
    let file = accepted.file.expect("the file written");
    assert_eq!(accepted.reply.code, 250);
    assert_eq!(
        accepted.reply.text,
        format!("written to {}", file.display())
    );
    let bytes = std::fs::read(&file).unwrap();
    let msg = MessageParser::default().parse(&bytes).expect("valid MIME");
    assert_eq!(
        msg.attachment(0).unwrap().contents(),
        pdf().as_slice(),
        "the PDF is in the file byte for byte"
    );
    // Kept in the file, for the person who sends it from a mail client.
    assert!(msg.bcc().is_some());
    assert!(folder.describe().contains("outbox"));
}

#[test]
fn an_outbox_folder_that_cannot_be_written_is_a_temporary_failure() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("outbox");
    tempfile::NamedTempFile::new_in(dir.path())
        .unwrap()
        .persist(&blocker)
        .unwrap();
    let failure = OutboxFolder::new(&blocker)
        .deliver(&email(1), 1)
        .unwrap_err();
    match failure {
        AttemptFailure::Connection(why) => assert!(why.contains("outbox folder"), "{why}"),
        other => panic!("expected a temporary failure, got {other:?}"),
    }
}

#[test]
fn a_message_that_cannot_be_formatted_is_refused_for_good_before_connecting() {
    let mut bad = email(1);
    bad.subject = "Hello\r\nBcc: victim@example.com".into();
    let port = closed_port();
    let relay = SmtpRelay::new(
        SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: None,
        },
        None,
        SmtpOptions::default(),
    );
    // 5xx: the retry policy gives up at once, and no connection is tried
    // (the port is closed, which would be a Connection failure).
    let failure = relay.deliver(&bad, 1).unwrap_err();
    assert_eq!(reply_code(&failure), Some(554), "{failure:?}");
}

#[test]
fn a_pooled_connection_the_server_closed_is_replaced_without_failing_the_message() {
    let server = TestSmtp::start(Behaviour::HangUpAfterEach);
    let relay = SmtpRelay::new(
        SmtpSettings {
            host: server.host().into(),
            port: server.port(),
            security: SmtpSecurity::None,
            username: None,
        },
        None,
        SmtpOptions {
            connections: 1,
            ..SmtpOptions::default()
        },
    );
    for n in 1..=3 {
        let accepted = relay.deliver(&email(n), i64::from(n));
        assert!(accepted.is_ok(), "message {n}: {accepted:?}");
    }
    assert_eq!(server.wait_for_messages(3, WAIT).len(), 3);
}

#[test]
fn starttls_encrypts_before_signing_in() {
    // The server offers AUTH only after STARTTLS, so signing in proves the
    // connection was upgraded.
    let server = TestSmtp::start_tls(
        Behaviour::RequireAuth {
            username: "billing".into(),
            password: "s3cret".into(),
        },
        TlsMode::Starttls,
    );
    let relay = tls_relay(&server, SmtpSecurity::Starttls, true, Some("billing"));
    assert_eq!(relay.deliver(&email(1), 1).unwrap().reply.code, 250);
    let check = relay.test_connection().unwrap();
    assert!(
        check.text.contains("encrypted, signed in as billing"),
        "{check:?}"
    );
    let messages = server.wait_for_messages(1, WAIT);
    assert_eq!(messages.len(), 1);
    assert!(MessageParser::default().parse(&messages[0]).is_some());
}

#[test]
fn implicit_tls_delivers_and_an_untrusted_certificate_is_refused() {
    let server = TestSmtp::start_tls(Behaviour::Accept, TlsMode::Implicit);
    let trusted = tls_relay(&server, SmtpSecurity::Tls, true, None);
    assert_eq!(trusted.deliver(&email(1), 1).unwrap().reply.code, 250);
    assert_eq!(server.wait_for_messages(1, WAIT).len(), 1);

    let untrusted = tls_relay(&server, SmtpSecurity::Tls, false, None);
    match untrusted.deliver(&email(2), 2).unwrap_err() {
        AttemptFailure::Connection(why) => assert!(why.contains("certificate"), "{why}"),
        other => panic!("expected a refused certificate, got {other:?}"),
    }
    assert_eq!(server.messages().len(), 1, "nothing more was sent");
}

#[test]
fn postfixs_smtp_sink_takes_messages_for_the_benchmark() {
    let sink = TestSmtp::start(Behaviour::Sink);
    let accepted = relay(&sink).deliver(&email(1), 1).unwrap();
    assert_eq!(accepted.reply.code, 250, "{:?}", accepted.reply);
    assert!(sink.messages().is_empty(), "smtp-sink keeps nothing");
}

#[test]
fn a_non_ascii_address_goes_only_to_a_server_that_offers_smtputf8() {
    let mut email = email(1);
    email.to = vec!["zoë@globex.test".into()];
    // smtp-sink does not offer SMTPUTF8: refused for good, nothing sent.
    let sink = TestSmtp::start(Behaviour::Sink);
    let failure = relay(&sink).deliver(&email, 1).unwrap_err();
    match &failure {
        AttemptFailure::Reply { code: 553, text } => assert!(text.contains("SMTPUTF8"), "{text}"),
        other => panic!("expected a 553 refusal, got {other:?}"),
    }
    // aiosmtpd offers it: the message arrives, addressed as written.
    let server = TestSmtp::start(Behaviour::Accept);
    assert!(relay(&server).deliver(&email, 1).is_ok());
    server.wait_for_messages(1, WAIT);
    assert!(server.envelopes()[0]
        .rcpt_to
        .contains(&"zoë@globex.test".to_string()));
}

fn impatient(port: u16) -> SmtpRelay {
    SmtpRelay::new(
        SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: None,
        },
        None,
        SmtpOptions {
            // Long enough for a busy machine to answer every step before
            // the data; the silent server never answers after it.
            timeout: Duration::from_secs(2),
            ..SmtpOptions::default()
        },
    )
}

#[test]
fn a_server_that_never_greets_times_out_as_a_connection_failure() {
    // Connections are taken by the kernel's backlog, never answered.
    let mute = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = mute.local_addr().unwrap().port();
    match impatient(port).deliver(&email(1), 1).unwrap_err() {
        AttemptFailure::Connection(why) => assert!(why.contains("did not answer in time"), "{why}"),
        other => panic!("expected a connection failure, got {other:?}"),
    }
}

#[test]
fn a_server_silent_after_the_data_times_out_as_after_data() {
    let server = TestSmtp::start(Behaviour::SilentAfterData);
    match impatient(server.port()).deliver(&email(1), 1).unwrap_err() {
        AttemptFailure::AfterData(why) => assert!(why.contains("did not answer in time"), "{why}"),
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    assert_eq!(server.wait_for_messages(1, WAIT).len(), 1);
}
