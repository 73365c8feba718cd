//! Emails formatted by lettre and read back by a real MIME parser
//! (mail-parser), as a mail client would read them.

use chrono::{TimeZone, Utc};
use invoicer_mail::message::format;
use invoicer_mail::{Attachment, MailError, OutboxFolder, OutgoingEmail, Party};
use mail_parser::{MessageParser, MimeHeaders};
use sha2::{Digest, Sha256};

const LINK: &str = "https://pay.example.com/INV-2026-00001?amount=1083.00&currency=USD";

fn pdf() -> Vec<u8> {
    // Bytes that would break a 7-bit or text transfer: the attachment must
    // arrive unchanged.
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    bytes
}

fn email() -> OutgoingEmail {
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
        bcc: vec!["archive@acme.test".into()],
        subject: "Invoice INV-2026-00001 from Acme — Zoë's order".into(),
        text: format!(
            "Dear Zoë,\n\nplease find invoice INV-2026-00001 attached.\nPay online: {LINK}\n"
        ),
        html: Some(format!(
            "<p>Dear Zoë,</p><p><a href=\"{LINK}\">Pay online</a></p>"
        )),
        attachment: Some(Attachment {
            file_name: "INV-2026-00001.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: pdf(),
        }),
        message_id: "<invoice-1.invoice.0@acme.test>".into(),
        date: Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap(),
    }
}

#[test]
fn an_invoice_email_reads_back_with_both_bodies_the_link_and_the_exact_pdf() {
    let bytes = format(&email(), false).unwrap();
    let msg = MessageParser::default().parse(&bytes).expect("valid MIME");

    assert_eq!(
        msg.subject(),
        Some("Invoice INV-2026-00001 from Acme — Zoë's order")
    );
    let from = msg.from().and_then(|a| a.first()).unwrap();
    assert_eq!(from.name(), Some("Acme Billing"));
    assert_eq!(from.address(), Some("billing@acme.test"));
    let reply_to = msg.reply_to().and_then(|a| a.first()).unwrap();
    assert_eq!(reply_to.address(), Some("accounts@acme.test"));
    assert_eq!(
        msg.to().and_then(|a| a.first()).unwrap().address(),
        Some("zoe@globex.test")
    );
    assert_eq!(
        msg.cc().and_then(|a| a.first()).unwrap().address(),
        Some("books@globex.test")
    );
    // Over SMTP the envelope carries Bcc; the header must not tell the others.
    assert!(msg.bcc().is_none(), "Bcc leaked into the message");
    assert_eq!(msg.message_id(), Some("invoice-1.invoice.0@acme.test"));
    // The Date is the caller's clock, not the machine's.
    assert_eq!(msg.date().unwrap().to_timestamp(), email().date.timestamp());

    assert!(msg.body_text(0).unwrap().contains(LINK));
    assert!(msg.body_html(0).unwrap().contains(LINK));

    let attachments: Vec<_> = msg.attachments().collect();
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].attachment_name(), Some("INV-2026-00001.pdf"));
    assert_eq!(
        hex::encode(Sha256::digest(attachments[0].contents())),
        hex::encode(Sha256::digest(pdf())),
        "the PDF did not arrive byte for byte"
    );
}

#[test]
fn line_breaks_in_header_text_are_refused_so_no_header_can_be_added() {
    let mut e = email();
    e.subject = "Invoice\r\nBcc: attacker@evil.test".into();
    assert!(matches!(format(&e, false), Err(MailError::LineBreak { field }) if field == "subject"));

    let mut e = email();
    e.from.name = "Acme\nBcc: attacker@evil.test".into();
    assert!(
        matches!(format(&e, false), Err(MailError::LineBreak { field }) if field == "from.name")
    );

    let mut e = email();
    e.cc = vec![
        "books@globex.test".into(),
        "x@y.test\r\nBcc: a@evil.test".into(),
    ];
    assert!(matches!(format(&e, false), Err(MailError::LineBreak { field }) if field == "cc[1]"));
}

#[test]
fn a_bad_address_is_refused_by_its_field_and_value() {
    let mut e = email();
    e.to = vec!["zoe@globex.test".into(), "not an address".into()];
    let err = format(&e, false).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("to[1]: \"not an address\" is not an email address"),
        "{err}"
    );
    let mut e = email();
    e.to.clear();
    assert!(matches!(format(&e, false), Err(MailError::NoRecipient)));
}

#[test]
fn the_outbox_folder_holds_one_openable_eml_per_delivery() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = OutboxFolder::new(dir.path().join("outbox"));
    let path = outbox.write(7, &email()).unwrap();
    assert_eq!(path, dir.path().join("outbox").join("delivery-7.eml"));
    // Written again (a retry after a crash), it is still one file.
    outbox.write(7, &email()).unwrap();
    let files: Vec<_> = std::fs::read_dir(outbox.dir()).unwrap().collect();
    assert_eq!(files.len(), 1, "no temporary or second copy is left");

    let bytes = std::fs::read(&path).unwrap();
    let msg = MessageParser::default().parse(&bytes).expect("valid MIME");
    // A person sends this file from a mail client, so it keeps its Bcc.
    assert_eq!(
        msg.bcc().and_then(|a| a.first()).unwrap().address(),
        Some("archive@acme.test")
    );
    assert_eq!(msg.attachments().count(), 1);
}
