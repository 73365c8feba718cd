"""End-to-end: Settings → Approvals in the real window.

An admin lowers the first approval level from 10,000.00 to 5,000.00 and
saves; the page says in a sentence what the level now means, and a refused
amount is shown next to its field. A specialist's 6,000.00 invoice then
waits for approval when Issue is clicked, instead of being issued.
"""

from __future__ import annotations

from selenium.webdriver.common.by import By

from conftest import install_error_hook
from test_invoicing import ADMIN, CUSTOMER, SPECIALIST
from ui import App


def seed_company(app: App) -> int:
    """The company (its admin signed in), a specialist and a customer; answers the customer's id."""
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    app.invoke("add_user", {"input": {"email": SPECIALIST["email"], "name": SPECIALIST["name"],
                                      "role": "specialist", "password": SPECIALIST["password"]}})
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    return customer["id"]


def test_an_admin_lowers_the_first_level_and_a_6000_invoice_then_waits(driver):
    app = App(driver)
    customer_id = seed_company(app)
    driver.refresh()
    install_error_hook(driver)

    app.click("nav-settings")
    app.click("settings-tab-approvals")
    sentence = app.text_of("approval-level-sentence-0")
    assert "$10,000.00 or more and below $100,000.00" in sentence, sentence
    assert "one approver" in sentence, sentence

    # A comma is not a decimal the backend reads: refused next to the field, nothing saved.
    app.type("approval-level-min-total-0", "5,000")
    app.click("approval-rules-save")
    refused = app.text_of("error-levels[0].min_total")
    assert "5,000" in refused and "number" in refused, refused
    assert app.invoke("approval_rules")["levels"][0]["min_total"] == "10000.00"

    app.type("approval-level-min-total-0", "5000.00")
    app.wait_text("approval-level-sentence-0", lambda t: "$5,000.00 or more" in t, "the new amount in words")
    # A rule for the customer, picked from the list, for their large invoices only.
    app.click("approval-add-rule")
    app.choose_containing("approval-rule-customer-0", CUSTOMER["name"])
    app.type("approval-rule-min-total-0", "50000")
    app.choose("approval-rule-approvers-0", "2 approvers")
    rule = app.text_of("approval-rule-sentence-0")
    assert f"for {CUSTOMER['name']} totalling $50,000.00 or more need two different approvers" in rule, rule
    app.reset_ipc_calls()
    app.click("approval-rules-save")
    app.visible("success-banner")
    assert not app.present("error-levels[0].min_total")
    # Saved in one call.
    assert app.ipc_calls().count("update_approval_rules") == 1, app.ipc_calls()
    saved = app.invoke("approval_rules")
    assert saved["levels"][0]["min_total"] == "5000.00", saved
    assert saved["scoped"] == [{"scope": {"kind": "customer", "customer_id": customer_id,
                                          "customer_name": CUSTOMER["name"]},
                                "min_total": "50000", "approvers": 2}], saved["scoped"]
    app.screenshot("test_an_admin_lowers_the_first_level-saved")
    app.sign_out()

    app.sign_in(SPECIALIST)
    # Settings is an admin's screen: a specialist has no way there, and the backend refuses anyway.
    assert not app.present("nav-settings")
    assert app.invoke_error("approval_rules")["code"] == "forbidden"
    app.invoke("create_invoice", {"input": {
        "customer_id": customer_id, "issue_date": None, "terms_days": None, "notes": None,
        "lines": [{"description": "Workshop", "quantity": "1", "unit_price": "6000.00",
                   "discount_percent": None, "tax_rate_id": None, "proration": None}],
    }})
    app.click("nav-invoices")
    app.visible("invoice-row")
    app.all("invoice-row")[0].find_element(By.CSS_SELECTOR, "td").click()
    app.click("invoice-issue")
    app.wait_text("invoice-status", lambda t: t == "Pending approval", "Pending approval")
    assert app.text_of("invoice-number") == "Draft"
    rule = app.text_of("invoice-approval-rule")
    assert "5,000.00" in rule, rule
    app.screenshot("test_an_admin_lowers_the_first_level-pending")
