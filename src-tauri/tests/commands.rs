//! The IPC commands driven through Tauri's mock runtime, headless: what the UI
//! would receive from `invoke()`, including the refusals it never shows a
//! button for.

mod support;

use serde_json::{json, Value};
use support::*;

#[test]
fn a_specialist_is_refused_admin_commands_the_ui_hides() {
    let h = Harness::new();
    h.set_up();
    let user = h.ok(
        "add_user",
        json!({"input": {"email": SPECIALIST.0, "name": "Sam Specialist",
                         "role": "specialist", "password": SPECIALIST.1}}),
    );
    assert_eq!(user["role"], "specialist");
    h.ok("sign_out", json!({}));
    let me = h.sign_in(SPECIALIST);
    assert_eq!(me["email"], SPECIALIST.0);

    let mut company = h.ok("get_company", json!({}));
    company["name"] = json!("Taken Over Ltd");
    let e = h.err("update_company", json!({"input": company}));
    assert_eq!(code(&e), "forbidden", "{e}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    let e = h.err(
        "add_user",
        json!({"input": {"email": "eve@example.com", "name": "Eve",
                         "role": "admin", "password": "another password"}}),
    );
    assert_eq!(code(&e), "forbidden", "{e}");
    assert_eq!(code(&h.err("list_users", json!({}))), "forbidden");
    assert_eq!(code(&h.err("verify_audit", json!({}))), "forbidden");
    let rate = json!({"input": {"country": "US", "region": "CA", "name": "Sales tax",
                                "rate": "1", "inclusive": false}});
    assert_eq!(code(&h.err("set_tax_rate", rate)), "forbidden");
    assert_eq!(h.ok("get_company", json!({}))["name"], "Acme Consulting");
    // What a specialist may do still works.
    assert!(h.customer() > 0);
}

#[test]
fn calls_without_a_signed_in_user_are_unauthenticated() {
    let h = Harness::new();
    assert_eq!(
        h.ok("setup_status", json!({})),
        json!({"initialized": false, "signed_in": null})
    );
    let e = h.err("get_company", json!({}));
    assert_eq!(code(&e), "unauthenticated");
    assert_eq!(e["details"], Value::Null);

    h.set_up();
    let status = h.ok("setup_status", json!({}));
    assert_eq!(status["initialized"], true);
    assert_eq!(status["signed_in"]["email"], ADMIN.0);
    let company = h.ok("get_company", json!({}));
    h.ok("sign_out", json!({}));
    assert_eq!(h.ok("setup_status", json!({}))["signed_in"], Value::Null);

    for (cmd, args) in [
        ("list_customers", json!({"search": null})),
        (
            "list_invoices",
            json!({"query": {"status": null, "customer_id": null,
            "date_from": null, "date_to": null, "search": null, "sort": "issue_date",
            "descending": true, "page": 1, "page_size": 50}}),
        ),
        ("get_invoice", json!({"id": 1})),
        ("list_tax_rates", json!({})),
        ("update_company", json!({"input": company})),
        ("verify_audit", json!({})),
    ] {
        let e = h.err(cmd, args);
        assert_eq!(code(&e), "unauthenticated", "{cmd}: {e}");
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let e = h.err(
        "sign_in",
        json!({"input": {"email": ADMIN.0, "password": "wrong password"}}),
    );
    assert_eq!(code(&e), "auth_failed");
    assert_eq!(code(&h.err("get_company", json!({}))), "unauthenticated");
}

#[test]
fn validation_errors_arrive_with_field_details() {
    let h = Harness::new();
    let e = h.err(
        "setup",
        json!({"input": {"company_name": "Acme", "country": "US", "region": null,
                         "currency": "USD", "admin_email": "not-an-email",
                         "admin_name": "Ada", "admin_password": "short"}}),
    );
    assert_eq!(code(&e), "validation");
    let f = fields(&e);
    assert!(f.contains(&"admin_email".to_string()), "{e}");
    assert!(f.contains(&"admin_password".to_string()), "{e}");
    // The password itself never comes back.
    assert!(!e.to_string().contains("short\""), "{e}");

    h.set_up();
    let e = h.err(
        "create_customer",
        json!({"input": customer_input("bob@@example")}),
    );
    assert_eq!(code(&e), "validation");
    assert_eq!(fields(&e), vec!["email"], "{e}");

    let customer = h.customer();
    let e = h.err(
        "preview_totals",
        json!({"input": draft(customer, vec![
            line("Design", "2", "100.00", None),
            line("Hosting", "abc", "10.00", None),
        ])}),
    );
    assert_eq!(code(&e), "validation");
    assert!(fields(&e).contains(&"lines[1].quantity".to_string()), "{e}");

    // Arguments Tauri cannot deserialize are refused the same way, not with a
    // bare string: the UI can always match on `code`.
    let e = h.err("get_invoice", json!({"id": "seven"}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), vec!["id"]);
    let e = h.err("create_customer", json!({"input": {"name": "No address"}}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), vec!["input"]);
}

#[test]
fn a_draft_is_priced_issued_and_partly_paid() {
    let h = Harness::new();
    h.set_up();
    assert_eq!(
        code(&h.err(
            "setup",
            json!({"input": {
        "company_name": "Again", "country": "US", "region": null, "currency": "USD",
        "admin_email": "x@example.com", "admin_name": "X", "admin_password": "long enough pw"}})
        )),
        "already_initialized"
    );
    h.ok(
        "set_tax_rate",
        json!({"input": {"country": "US", "region": "CA", "name": "CA sales tax",
                         "rate": "8.25", "inclusive": false}}),
    );
    let customer = h.customer();
    let lines = vec![
        line("Design", "10", "120.00", None),
        line("Hosting", "3", "19.99", Some("10")),
        line("Support", "1.5", "80.00", None),
    ];
    let totals = h.ok(
        "preview_totals",
        json!({"input": draft(customer, lines.clone())}),
    );
    // 1200.00 + 53.973 (-> 53.97) + 120.00 = 1373.97 net; 8.25 % tax.
    assert_eq!(
        totals["subtotal"].as_str().map(|s| s.starts_with("13")),
        Some(true),
        "{totals}"
    );
    let invoice = h.ok("create_invoice", json!({"input": draft(customer, lines)}));
    assert_eq!(invoice["status"], "draft");
    assert_eq!(invoice["total"], totals["total"]);
    let id = invoice["id"].as_i64().expect("id");
    let issued = h.ok("issue_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(issued["status"], "issued");
    // The harness's clock says 2 March 2026 whatever day the tests run.
    assert_eq!(issued["number"], "INV-2026-00001", "{issued}");
    assert_eq!(issued["issue_date"], "2026-03-02", "{issued}");
    assert_eq!(issued["due_date"], "2026-04-01", "{issued}");

    let today = issued["issue_date"].clone();
    let paid = h.ok(
        "record_payment",
        json!({"input": {"invoice_id": id, "amount": "100.00", "date": today,
                         "reference": "wire 42"}}),
    );
    // A payment answers with the whole screen: the invoice, its payments and activity.
    assert_eq!(paid["payments"].as_array().map(Vec::len), Some(1));
    let paid = &paid["invoice"];
    assert_eq!(paid["status"], "partially_paid");
    assert_eq!(paid["amount_paid"], "100.00");
    let payments = h.ok("list_payments", json!({"id": id}));
    assert_eq!(payments.as_array().map(Vec::len), Some(1));
    let audit = h.ok("invoice_audit", json!({"id": id}));
    assert!(audit.as_array().is_some_and(|a| a.len() >= 3), "{audit}");
    assert_eq!(h.ok("verify_audit", json!({}))["intact"], true);
    let e = h.err(
        "update_invoice",
        json!({"input": {"invoice_id": id, "draft": draft(customer, vec![line("X", "1", "1", None)])}}),
    );
    assert_eq!(code(&e), "invalid_state", "{e}");
    assert_eq!(code(&h.err("get_invoice", json!({"id": 999}))), "not_found");

    // The invoice's PDF is no command: the page loads it by URL from the
    // `invoicer-pdf` protocol (tests/pdf_protocol.rs), outside the IPC layer.
    let e = h.err("invoice_pdf", json!({"id": id}));
    assert!(e.as_str().is_some_and(|m| m.contains("invoice_pdf")), "{e}");
}

#[test]
fn voiding_a_pending_invoice_is_refused_and_it_can_go_back_to_draft() {
    const APPROVER: (&str, &str) = ("pat@example.com", "approver password");
    let h = Harness::new();
    h.set_up();
    h.ok(
        "add_user",
        json!({"input": {"email": APPROVER.0, "name": "Pat Approver",
                         "role": "approver", "password": APPROVER.1}}),
    );
    let customer = h.customer();
    // 15,000.00: above the default approval threshold of 10,000.00.
    let invoice = h.ok(
        "create_invoice",
        json!({"input": draft(customer, vec![line("Design", "100", "150.00", None)])}),
    );
    let id = invoice["id"].as_i64().expect("id");
    h.ok("submit_for_approval", json!({"id": id}));

    // Waiting for approval it has no number, so there is nothing to void.
    let e = h.err(
        "void_invoice",
        json!({"input": {"invoice_id": id, "reason": "Customer cancelled"}}),
    );
    assert_eq!(code(&e), "invalid_state", "{e}");
    let still = h.ok("get_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(still["status"], "pending_approval");
    assert_eq!(still["number"], Value::Null);

    let back = h.ok(
        "send_back_to_draft",
        json!({"input": {"invoice_id": id, "reason": "Customer cancelled"}}),
    )["invoice"]
        .clone();
    assert_eq!(back["status"], "draft");
    assert_eq!(back["number"], Value::Null);

    // Submitted again, the approver's approval issues it.
    h.ok("submit_for_approval", json!({"id": id}));
    h.ok("sign_out", json!({}));
    h.sign_in(APPROVER);
    let issued = h.ok("approve_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(issued["status"], "issued");
    assert!(issued["number"].is_string());
}

#[test]
fn the_delivery_and_email_commands_are_registered_and_ask_for_a_session() {
    let h = Harness::new();
    h.set_up();
    h.ok("sign_out", json!({}));
    for (cmd, args) in [
        ("send_invoice", json!({"id": 1})),
        ("issue_and_send_invoice", json!({"id": 1})),
        ("deliveries", json!({"filter": {"needs_a_person": true}})),
        ("resend_delivery", json!({"id": 1})),
        ("mark_delivery_sent", json!({"id": 1})),
        ("email_settings", json!({})),
        (
            "save_smtp_settings",
            json!({"input": {"host": "smtp.example.com", "port": 587, "security": "starttls"}}),
        ),
        ("clear_smtp_settings", json!({})),
        ("rotate_payment_link_secret", json!({})),
        ("send_test_email", json!({"to": "bob@example.com"})),
    ] {
        let e = h.err(cmd, args);
        assert_eq!(code(&e), "unauthenticated", "{cmd}: {e}");
    }
    // A malformed filter is refused on its argument, like every other command's.
    h.sign_in(ADMIN);
    let e = h.err("deliveries", json!({"filter": {"status": "lost"}}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), ["filter"]);
}

#[test]
fn a_payment_with_its_method_a_previewed_credit_note_and_a_refund_cross_the_ipc() {
    let h = Harness::new();
    h.set_up();
    let customer = h.customer();
    let id = h.ok(
        "create_invoice",
        json!({"input": draft(customer, vec![line("Design", "2", "150.00", None)])}),
    )["id"]
        .as_i64()
        .expect("id");
    h.ok("issue_invoice", json!({"id": id}));
    let paid = h.ok(
        "record_payment",
        json!({"input": {"invoice_id": id, "amount": "100.00", "date": "2026-03-02",
                         "method": "card", "reference": null}}),
    );
    assert_eq!(paid["payments"][0]["method"], "card");
    let ask = json!({"input": {"invoice_id": id, "lines": [{"line": 1, "quantity": "1"}],
                               "reason": "One day was not worked"}});
    let preview = h.ok("preview_credit_note", ask.clone());
    let issued = h.ok("create_credit_note", ask);
    assert_eq!(issued["credit_note"]["total"], preview["total"]);
    assert_eq!(issued["credit_note"]["number"], "CN-2026-00001");
    assert_eq!(
        issued["screen"]["credit_notes"].as_array().map(Vec::len),
        Some(1)
    );
    let listed = h.ok("list_credit_notes", json!({"id": id}));
    assert_eq!(listed[0]["reason"], "One day was not worked");
    let e = h.err(
        "create_credit_note",
        json!({"input": {"invoice_id": id, "amount": "100000", "reason": "x"}}),
    );
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), ["amount"]);
    let refunded = h.ok(
        "record_refund",
        json!({"input": {"invoice_id": id, "amount": "10.00", "date": "2026-03-03",
                         "method": "card", "reference": null}}),
    );
    assert_eq!(refunded["refunds"][0]["amount"], "10.00");
}
