//! The audit trail through the app: an edited or deleted row in the real file
//! is caught and named by seq.

use invoicer_tests::Fixture;

fn tampered(sql: &str) -> invoicer_app::api::AuditReport {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
    let raw = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
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
