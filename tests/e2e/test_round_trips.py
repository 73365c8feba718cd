"""End-to-end: issuing from the invoice screen is one round trip.

Every use case that changes an invoice answers with the whole invoice screen
(the invoice, what the signed-in person may do with it, its payments and its
activity), so the screen shows that answer instead of fetching the invoice,
its payments and its audit trail again. The calls are counted through the
test build's hook (``window.__invoicerE2E``, compiled in only with the
``e2e`` feature), which sees every command ``ui/src/lib/api.ts`` sends.
"""

from __future__ import annotations

from selenium.webdriver.common.by import By

from conftest import install_error_hook
from test_invoicing import ADMIN, CUSTOMER, draft_input, row_for
from ui import App

# What the screen fetches when it loads an invoice; none of it may follow an issue.
SCREEN_READS = {"get_invoice", "list_payments", "invoice_audit"}


def seed_draft(app: App) -> dict:
    """A company, a CA customer and one small draft (below the approval threshold)."""
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    return app.invoke("create_invoice", {"input": draft_input(customer["id"])})


def test_issuing_from_the_invoice_screen_is_one_call(driver):
    app = App(driver)
    seed_draft(app)
    driver.refresh()
    install_error_hook(driver)

    row_for(app, CUSTOMER["company"]).find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-status", lambda t: t == "Draft", "Draft")
    # The screen offers what the backend allows: a small draft can be issued.
    app.clickable("invoice-issue")

    app.reset_ipc_calls()
    app.click("invoice-issue")
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")
    # The activity comes with the answer too: created, then issued.
    app.wait().until(lambda _: len(app.all("audit-event")) == 2, "the issue in the activity")

    calls = app.ipc_calls()
    # One call changes the invoice and brings back everything the screen shows.
    assert calls.count("issue_invoice") == 1, calls
    assert not SCREEN_READS.intersection(calls), calls
    # The only other request is the viewer fetching the bytes of the newly
    # archived PDF, which is the document itself, not screen data.
    assert [c for c in calls if c != "issue_invoice"] in ([], ["invoice_pdf"]), calls
    # After issuing, the screen offers what an issued invoice allows.
    assert app.present("invoice-void")
    assert app.present("payment-open")
    assert not app.present("invoice-issue")
