"""End-to-end: what an approved, never-issued invoice lets a person do.

An approved invoice has no number and no archived PDF yet, so it cannot be
voided (a void invoice must keep a number and a document); it can only be sent
back to draft, with a reason, which withdraws the approval.
"""

from __future__ import annotations

from conftest import install_error_hook
from test_invoicing import ADMIN, CUSTOMER, row_for
from ui import App

APPROVER = {"name": "Ann Approver", "email": "ann@acme.example", "password": "approver password"}


def seed_approved_invoice(app: App) -> dict:
    """Ada makes a 12,000.00 invoice (over the 10,000.00 threshold) and submits it; Ann approves it."""
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    app.invoke("add_user", {"input": {"email": APPROVER["email"], "name": APPROVER["name"],
                                      "role": "approver", "password": APPROVER["password"]}})
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    draft = app.invoke("create_invoice", {"input": {
        "customer_id": customer["id"], "issue_date": None, "terms_days": None, "notes": None,
        "lines": [{"description": "Annual licence", "quantity": "1", "unit_price": "12000.00",
                   "discount_percent": None, "tax_rate_id": None, "proration": None}],
    }})
    app.invoke("submit_for_approval", {"id": draft["id"]})
    app.invoke("sign_in", {"input": {"email": APPROVER["email"], "password": APPROVER["password"]}})
    # Changing use cases answer with the whole invoice screen.
    approved = app.invoke("approve_invoice", {"id": draft["id"]})["invoice"]
    assert approved["status"] == "approved"
    app.invoke("sign_in", {"input": {"email": ADMIN["email"], "password": ADMIN["password"]}})
    return approved


def test_an_approved_invoice_is_sent_back_to_draft_not_voided(driver):
    app = App(driver)
    invoice = seed_approved_invoice(app)
    driver.refresh()
    install_error_hook(driver)

    row_for(app, CUSTOMER["company"]).find_element("css selector", "td").click()
    app.wait_text("invoice-status", lambda t: t == "Approved", "Approved")
    # The list shows the customer's company; no number, no archived PDF: nothing to void.
    assert not app.present("invoice-void")
    assert app.text_of("invoice-number") == "Draft"

    app.click("invoice-send-back")
    app.click("send-back-submit")
    assert "required" in app.text_of("error-reason").lower()
    app.type("send-back-reason", "Price changed before sending")
    app.click("send-back-submit")
    app.wait_text("invoice-status", lambda t: t == "Draft", "Draft")
    app.screenshot("test_an_approved_invoice_is_sent_back_to_draft_not_voided-draft")

    # The backend says the same whatever the page shows: the approval is gone
    # and a void is refused for a draft too.
    back = app.invoke("get_invoice", {"id": invoice["id"]})["invoice"]
    assert back["status"] == "draft" and back["number"] is None
    refused = app.invoke_error("void_invoice", {"input": {"invoice_id": invoice["id"], "reason": "x"}})
    assert refused["code"] == "invalid_state"
