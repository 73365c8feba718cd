"""End-to-end: Reconciliation in the real window. A bank statement is picked (named through the
e2e hook, as Bulk send's file is, because a native dialog cannot be clicked), mapped by its own
headers, imported — the line whose reference names an invoice is applied at once — and the
amount-and-customer proposal is confirmed by a click, after which the invoice shows Paid.
"""

from __future__ import annotations

from pathlib import Path

from conftest import install_error_hook
from test_invoicing import ADMIN, CUSTOMER, draft_input, row_for
from ui import App

PICK = "window.__invoicerE2E.pickStatementFile(arguments[0]); return true;"


def seed(app: App) -> list[dict]:
    """A company, a customer (Buyer Inc) and two issued invoices."""
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    app.invoke("set_tax_rate", {"input": {"country": "US", "region": "CA", "name": "CA sales tax",
                                          "rate": "8.25", "inclusive": False}})
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    invoices = []
    for _ in range(2):
        draft = app.invoke("create_invoice", {"input": draft_input(customer["id"])})
        invoices.append(app.invoke("issue_invoice", {"id": draft["id"]})["invoice"])
    return invoices


def test_a_statement_is_imported_and_a_proposal_confirmed_pays_the_invoice(driver, tmp_path: Path):
    app = App(driver)
    first, second = seed(app)
    customer = CUSTOMER["company"]
    statement = tmp_path / "bank.csv"
    statement.write_text(
        "Booking Date;Description;Payer Name;Amount\n"
        f"2026-03-02;Payment {first['number'].replace('-', ' ').lower()};{customer};{first['total']}\n"
        f"2026-03-03;March services;{customer};{second['total']}\n"
        "2026-03-03;Coffee;Bean Co;12.34\n",
        encoding="utf-8",
    )
    driver.refresh()
    install_error_hook(driver)

    app.click("nav-reconciliation")
    app.visible("reconcile-nothing-waiting")
    assert app.driver.execute_script(PICK, str(statement))
    app.click("reconcile-choose-file")
    app.visible("reconcile-mapping")
    # The bank's own headers map themselves, and the dry run says what importing will do.
    dry = app.text_of("reconcile-dry-run")
    assert "record 1 payment" in dry, dry
    assert "1 to confirm" in dry.replace("\n", " "), dry
    app.screenshot("test_reconciliation-mapping")

    app.click("reconcile-import")
    app.visible("reconcile-report")
    assert app.text_of("reconcile-counts").startswith("1 applied"), app.text_of("reconcile-counts")
    assert first["number"] in app.text_of("reconcile-applied")
    assert app.invoke("get_invoice", {"id": first["id"]})["invoice"]["status"] == "paid"

    # The proposal waits with its invoice; one click confirms it.
    to_confirm = app.visible("reconcile-to-confirm")
    assert second["number"] in app.text(to_confirm)
    assert "Coffee" in app.text_of("reconcile-unmatched")
    app.screenshot("test_reconciliation-waiting")
    app.reset_ipc_calls()
    app.click("reconcile-confirm")
    app.wait().until(lambda _: not app.present("reconcile-to-confirm"), "the proposal confirmed")
    assert app.ipc_calls() == ["confirm_statement_line"], app.ipc_calls()

    # The invoice shows Paid.
    app.click("nav-invoices")
    row_for(app, second["number"]).find_element("css selector", "td").click()
    app.wait_text("invoice-status", lambda t: t == "Paid", "Paid")
    app.screenshot("test_reconciliation-paid")
