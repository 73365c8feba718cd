"""End-to-end: what a never-issued invoice waiting for approval lets a person do.

An invoice waiting for approval has no number and no archived PDF yet (the
final approval issues it), so it cannot be voided (a void invoice must keep a
number and a document); it can only be sent back to draft, with a reason,
which withdraws the request.
"""

from __future__ import annotations

from conftest import install_error_hook
from test_invoicing import ADMIN, CUSTOMER, row_for
from ui import App

APPROVER = {"name": "Ann Approver", "email": "ann@acme.example", "password": "approver password"}


def seed_pending_invoice(app: App) -> dict:
    """Ada makes a 12,000.00 invoice (over the 10,000.00 threshold) and submits it."""
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
    # Changing use cases answer with the whole invoice screen.
    pending = app.invoke("submit_for_approval", {"id": draft["id"]})["invoice"]
    assert pending["status"] == "pending_approval"
    return pending


def test_a_pending_invoice_is_sent_back_to_draft_not_voided(driver):
    app = App(driver)
    invoice = seed_pending_invoice(app)
    driver.refresh()
    install_error_hook(driver)

    row_for(app, CUSTOMER["company"]).find_element("css selector", "td").click()
    app.wait_text("invoice-status", lambda t: t == "Pending approval", "Pending approval")
    # The list shows the customer's company; no number, no archived PDF: nothing to void.
    assert not app.present("invoice-void")
    assert app.text_of("invoice-number") == "Draft"

    app.click("invoice-send-back")
    app.click("send-back-submit")
    assert "required" in app.text_of("error-reason").lower()
    app.type("send-back-reason", "Price changed before sending")
    app.click("send-back-submit")
    app.wait_text("invoice-status", lambda t: t == "Draft", "Draft")
    app.screenshot("test_a_pending_invoice_is_sent_back_to_draft_not_voided-draft")

    # The backend says the same whatever the page shows: the approval is gone
    # and a void is refused for a draft too.
    back = app.invoke("get_invoice", {"id": invoice["id"]})["invoice"]
    assert back["status"] == "draft" and back["number"] is None
    refused = app.invoke_error("void_invoice", {"input": {"invoice_id": invoice["id"], "reason": "x"}})
    assert refused["code"] == "invalid_state"
