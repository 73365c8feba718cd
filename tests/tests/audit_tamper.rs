//! The audit trail through the app: an edited or deleted row in the real file
//! is caught and named by seq. The append-only triggers are dropped first, as
//! anyone holding the file could.

use invoicer_app::api::ErrorCode;
use invoicer_tests::Fixture;

const DROP_TRIGGERS: &str =
    "DROP TRIGGER audit_events_append_only; DROP TRIGGER audit_events_undeletable;
     DROP TRIGGER audit_head_forward_only; DROP TRIGGER audit_head_undeletable;
     DROP TRIGGER invoice_documents_immutable;";

fn tampered(sql: &str) -> invoicer_app::api::AuditReport {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
    let raw = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    raw.execute_batch(DROP_TRIGGERS).unwrap();
    raw.execute(sql, []).unwrap();
    f.app.verify_audit(&f.admin).unwrap()
}

#[test]
fn an_edited_row_is_caught() {
    let r = tampered("UPDATE audit_events SET actor = 'mallory@evil.test' WHERE seq = 4");
    assert!(!r.intact);
    assert_eq!(r.first_broken_seq, Some(4));
}

#[test]
fn a_deleted_row_is_caught() {
    let r = tampered("DELETE FROM audit_events WHERE seq = 3");
    assert!(!r.intact);
    assert_eq!(r.first_broken_seq, Some(3));
}

#[test]
fn export_writes_every_event() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    let out = f.dir.path().join("audit.csv");
    let n = f.app.export_audit(&f.admin, &out).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count() as u64, n + 1);
    assert!(text.contains("invoice.issued"));
    assert!(text.starts_with("seq,at,actor,action,entity,data,prev_hash,hash"));
}

#[test]
fn a_replaced_pdf_is_refused_by_the_viewer_and_save_with_an_integrity_error() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    let original = f.app.invoice_pdf(&f.admin, inv.id).unwrap();
    let raw = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    raw.execute_batch(DROP_TRIGGERS).unwrap();
    raw.execute(
        "UPDATE invoice_documents SET pdf = ?1 WHERE invoice_id = ?2",
        rusqlite::params![b"%PDF-1.7 forged".to_vec(), inv.id],
    )
    .unwrap();
    let e = f.app.invoice_pdf(&f.admin, inv.id).unwrap_err();
    assert_eq!(e.code, ErrorCode::Integrity);
    assert!(e.message.contains("does not match"), "{}", e.message);
    let out = f.dir.path().join("saved.pdf");
    let input = invoicer_app::api::SavePdfInput {
        invoice_id: inv.id,
        path: out.display().to_string(),
    };
    assert_eq!(
        f.app.save_invoice_pdf(&f.admin, &input).unwrap_err().code,
        ErrorCode::Integrity
    );
    assert!(!out.exists());
    let r = f.app.verify_audit(&f.admin).unwrap();
    assert!(!r.intact);
    assert!(
        r.message
            .contains(original.file_name.trim_end_matches(".pdf")),
        "{}",
        r.message
    );
}
