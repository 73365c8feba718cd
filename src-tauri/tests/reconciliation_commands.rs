//! The reconciliation commands through Tauri's mock runtime, as the
//! Reconciliation screen calls them: refused without a session, the mapping
//! step's preview (auto-mapped, with its dry run), the import, the waiting
//! list and a decision on one line.

mod support;

use serde_json::json;
use support::*;

#[test]
fn the_reconciliation_commands_are_registered_and_ask_for_a_session() {
    let h = Harness::new();
    h.set_up();
    h.ok("sign_out", json!({}));
    let input = json!({"path": "/nowhere.csv", "dry_run": true});
    for (cmd, args) in [
        ("pick_statement_file", json!({})),
        ("preview_statement", json!({ "input": input })),
        ("import_statement", json!({ "input": input })),
        ("statement_matches", json!({})),
        ("confirm_statement_line", json!({"input": {"line_id": 1}})),
        ("dismiss_statement_line", json!({"input": {"line_id": 1}})),
    ] {
        let e = h.err(cmd, args);
        assert_eq!(code(&e), "unauthenticated", "{cmd}: {e}");
    }
}

#[test]
fn a_statement_is_previewed_imported_and_its_proposal_confirmed() {
    let h = Harness::new();
    h.set_up();
    let customer = h.customer();
    let mut numbers = Vec::new();
    for price in ["100.00", "40.00"] {
        let lines = vec![line("Work", "1", price, None)];
        let invoice = h.ok("create_invoice", json!({"input": draft(customer, lines)}));
        let id = invoice["id"].as_i64().unwrap();
        let issued = h.ok("issue_invoice", json!({"id": id}))["invoice"].clone();
        numbers.push((
            id,
            issued["number"].as_str().unwrap().to_string(),
            issued["total"].as_str().unwrap().to_string(),
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bank.csv");
    let csv = format!(
        "Booking Date;Description;Payer Name;Amount\n2026-03-02;Thanks {};Buyer Inc;{}\n2026-03-02;March;Buyer Inc;{}\n",
        numbers[0].1, numbers[0].2, numbers[1].2
    );
    std::fs::File::create(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, csv.as_bytes()))
        .unwrap();
    let path = path.display().to_string();

    let preview = h.ok(
        "preview_statement",
        json!({"input": {"path": path, "dry_run": true}}),
    );
    assert_eq!(preview["missing"], json!([]));
    assert_eq!(
        preview["columns"][3],
        json!({"header": "Amount", "field": "amount"})
    );
    assert_eq!(preview["report"]["counts"]["applied"], 1);
    assert_eq!(preview["report"]["counts"]["proposed"], 1);

    let report = h.ok(
        "import_statement",
        json!({"input": {"path": path, "dry_run": false, "save_profile": "Bank"}}),
    );
    assert_eq!(report["counts"]["applied"], 1);
    let waiting = h.ok("statement_matches", json!({}));
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    assert_eq!(waiting[0]["invoice_number"], numbers[1].1.as_str());
    assert_eq!(waiting[0]["basis"], "amount_and_customer");

    let done = h.ok(
        "confirm_statement_line",
        json!({"input": {"line_id": waiting[0]["line_id"]}}),
    );
    assert_eq!(done["status"], "applied");
    let screen = h.ok("get_invoice", json!({"id": numbers[1].0}));
    assert_eq!(screen["invoice"]["status"], "paid");
    assert_eq!(h.ok("statement_matches", json!({})), json!([]));
    let again = h.ok(
        "preview_statement",
        json!({"input": {"path": path, "profile": "Bank", "dry_run": true}}),
    );
    assert_eq!(again["profiles"], json!(["Bank"]));
    assert_eq!(again["report"]["counts"]["already_imported"], 2);
}
