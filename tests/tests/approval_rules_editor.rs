//! The approval rules as Settings → Approvals reads and saves them, through
//! the app's one API on a real data folder: one call each way, admins only,
//! refused fields named by the page's paths, nothing half-saved, audited
//! with the rules before and after, and the saved rules decide the next
//! invoice.

use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::{line, Fixture};

fn level(min_total: &str, approvers: u32) -> ApprovalLevelView {
    ApprovalLevelView {
        min_total: min_total.into(),
        approvers,
    }
}

fn fields(e: &ApiError) -> Vec<(String, Option<String>)> {
    e.details
        .as_ref()
        .unwrap()
        .iter()
        .map(|d| (d.field.clone(), d.value.clone()))
        .collect()
}

#[test]
fn an_admin_lowers_the_first_level_and_a_6000_invoice_then_waits() {
    let f = Fixture::new();
    let rules = f.app.approval_rules(&f.admin).unwrap();
    assert_eq!(rules.currency, "USD");
    assert_eq!(
        rules.levels,
        vec![level("10000.00", 1), level("100000.00", 2)]
    );
    assert!(!rules.every_invoice);
    assert_eq!(
        rules.sources,
        ["manual", "bulk", "recurring", "api", "threshold"]
    );

    let mut changed = rules.clone();
    changed.levels[0].min_total = "5000".into();
    changed.scoped.push(ScopedRuleView {
        scope: RuleScopeView::Customer {
            customer_id: f.customer.id,
            customer_name: None,
        },
        min_total: Some("50000".into()),
        approvers: 2,
    });
    let saved = f.app.update_approval_rules(&f.admin, &changed).unwrap();
    assert_eq!(saved.levels[0], level("5000", 1));
    assert_eq!(
        saved.scoped[0].scope,
        RuleScopeView::Customer {
            customer_id: f.customer.id,
            customer_name: Some(f.customer.name.clone()),
        }
    );
    // The company screen's single threshold follows the first level.
    assert_eq!(
        f.app.company(&f.admin).unwrap().approval_threshold,
        "5000.00"
    );

    let maker = f.user("maker@acme.test", Role::Specialist);
    let draft = DraftInput {
        customer_id: f.customer.id,
        issue_date: None,
        terms_days: None,
        notes: None,
        template: None,
        lines: vec![line("Consulting", "40", "150.00", None)],
    };
    let inv = f.app.create_invoice(&maker, &draft).unwrap();
    assert_eq!(inv.subtotal, "6000.00");
    let screen = f.app.issue_invoice(&maker, inv.id).unwrap().invoice;
    assert_eq!(screen.status, InvoiceStatus::PendingApproval);
    assert_eq!(
        screen.approval.unwrap().rule,
        "total ≥ 5,000.00 USD: one approver"
    );

    let out = f.dir.path().join("audit.csv");
    f.app.export_audit(&f.admin, &out).unwrap();
    let csv = std::fs::read_to_string(out).unwrap();
    let event = csv
        .lines()
        .find(|l| l.contains("approval_rules.updated"))
        .expect("the change is audited");
    assert!(event.contains(&f.admin.user().email), "{event}");
    assert!(
        event.contains("10000.00") && event.contains("5000"),
        "{event}"
    );
}

#[test]
fn refused_rules_name_each_field_by_its_path_and_change_nothing() {
    let f = Fixture::new();
    let before = f.app.approval_rules(&f.admin).unwrap();
    let mut bad = before.clone();
    bad.levels[1].min_total = "12,000".into();
    bad.levels[0].approvers = 4;
    bad.scoped.push(ScopedRuleView {
        scope: RuleScopeView::Customer {
            customer_id: 999,
            customer_name: None,
        },
        min_total: None,
        approvers: 1,
    });
    bad.scoped.push(ScopedRuleView {
        scope: RuleScopeView::Template {
            template: "no such template".into(),
        },
        min_total: None,
        approvers: 1,
    });
    bad.scoped.push(ScopedRuleView {
        scope: RuleScopeView::Source {
            source: "fax".into(),
        },
        min_total: None,
        approvers: 1,
    });
    let e = f.app.update_approval_rules(&f.admin, &bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(
        fields(&e),
        vec![
            ("levels[0].approvers".into(), Some("4".into())),
            ("levels[1].min_total".into(), Some("12,000".into())),
            ("scoped[0].scope".into(), Some("999".into())),
            ("scoped[1].scope".into(), Some("no such template".into())),
            ("scoped[2].scope".into(), Some("fax".into())),
        ]
    );

    // Readable but out of order: the second level below the first.
    let mut unordered = before.clone();
    unordered.levels[1].min_total = "9000".into();
    let e = f
        .app
        .update_approval_rules(&f.admin, &unordered)
        .unwrap_err();
    assert_eq!(
        fields(&e),
        vec![("levels[1].min_total".into(), Some("9000".into()))]
    );
    let reason = e.details.unwrap()[0].reason.clone().unwrap();
    assert!(reason.contains("levels[0].min_total"), "{reason}");

    let mut none = before.clone();
    none.levels.clear();
    let e = f.app.update_approval_rules(&f.admin, &none).unwrap_err();
    assert_eq!(fields(&e)[0].0, "levels");

    assert_eq!(f.app.approval_rules(&f.admin).unwrap(), before);
}

#[test]
fn only_admins_read_or_replace_the_rules() {
    let f = Fixture::new();
    let rules = f.app.approval_rules(&f.admin).unwrap();
    for (email, role) in [
        ("sam@acme.test", Role::Specialist),
        ("ann@acme.test", Role::Approver),
    ] {
        let who = f.user(email, role);
        let e = f.app.approval_rules(&who).unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden, "{email}");
        let mut every = rules.clone();
        every.every_invoice = true;
        let e = f.app.update_approval_rules(&who, &every).unwrap_err();
        assert_eq!(e.code, ErrorCode::Forbidden, "{email}");
    }
    assert!(!f.app.approval_rules(&f.admin).unwrap().every_invoice);
}

#[test]
fn every_invoice_and_a_source_rule_save_and_read_back() {
    let f = Fixture::new();
    let mut rules = f.app.approval_rules(&f.admin).unwrap();
    rules.every_invoice = true;
    rules.scoped.push(ScopedRuleView {
        scope: RuleScopeView::Source {
            source: "bulk".into(),
        },
        min_total: None,
        approvers: 1,
    });
    rules.scoped.push(ScopedRuleView {
        scope: RuleScopeView::Template {
            template: f.standard_template().name,
        },
        min_total: Some("20000.00".into()),
        approvers: 2,
    });
    let saved = f.app.update_approval_rules(&f.admin, &rules).unwrap();
    assert_eq!(saved, f.app.approval_rules(&f.admin).unwrap());
    assert!(saved.every_invoice);
    assert_eq!(saved.scoped.len(), 2);
    assert_eq!(saved.scoped[1].min_total.as_deref(), Some("20000.00"));
    // The CLI's view of the settings is the same rules.
    let s = f.app.settings_json(&f.admin).unwrap();
    assert_eq!(s["approval_rules"]["scoped"][0]["scope"]["source"], "bulk");
    assert_eq!(s["approval_rules"]["every_invoice"], true);
}
