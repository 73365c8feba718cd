"""End-to-end: the "Due & overdue" view in the real window.

An overdue invoice is listed first with its days overdue (an invoice not yet due
comes after it); a payment is recorded from its row in one round trip and the
row shows the new balance; paying the rest takes the row off the view.
"""

from __future__ import annotations

from datetime import date, timedelta

from conftest import install_error_hook
from test_invoicing import ADMIN, CUSTOMER
from ui import App, digits


def issue(app: App, customer_id: int, issue_date: str | None) -> dict:
    draft = app.invoke("create_invoice", {"input": {
        "customer_id": customer_id, "issue_date": issue_date, "terms_days": 30, "notes": None,
        "lines": [{"description": "Consulting", "quantity": "2", "unit_price": "150.00",
                   "discount_percent": None, "tax_rate_id": None, "proration": None}],
    }})
    return app.invoke("issue_invoice", {"id": draft["id"]})["invoice"]


def rows(app: App) -> list:
    return app.all("due-row")


def row_by_id(app: App, invoice_id: int):
    for row in rows(app):
        if row.get_attribute("data-id") == str(invoice_id):
            return row
    return None


def cell(app: App, row, testid: str) -> str:
    return app.text(row.find_element("css selector", f'[data-testid="{testid}"]'))


def test_an_overdue_invoice_comes_first_and_is_paid_from_its_row(driver):
    app = App(driver)
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    # Issued today, due in 30 days; then one issued 45 days ago, 15 days overdue.
    ahead = issue(app, customer["id"], None)
    late = issue(app, customer["id"], (date.today() - timedelta(days=45)).isoformat())
    backend = app.invoke("due_invoices", {"query": {"overdue_only": False, "page": 1, "page_size": 50}})
    days = {r["id"]: r["days_overdue"] for r in backend["items"]}
    assert days[late["id"]] > 0 > days[ahead["id"]]
    driver.refresh()
    install_error_hook(driver)

    app.click("nav-due")
    app.wait_text("due-row", lambda t: late["number"] in t, "the overdue invoice first")
    listed = rows(app)
    assert [r.get_attribute("data-id") for r in listed] == [str(late["id"]), str(ahead["id"])]
    assert cell(app, listed[0], "due-days") == f"{days[late['id']]} days overdue"
    assert cell(app, listed[1], "due-days") == f"Due in {-days[ahead['id']]} days"
    assert digits(cell(app, listed[0], "due-balance")) == digits(late["balance"])
    assert "Step 1" in cell(app, listed[1], "due-next-reminder")
    app.screenshot("test_an_overdue_invoice_comes_first_and_is_paid_from_its_row-listed")

    # A partial payment from the row: the dialog's save is the one call, and the row shows the
    # balance it answered with.
    app.reset_ipc_calls()
    listed[0].find_element("css selector", '[data-testid="due-record-payment"]').click()
    app.type("payment-amount", "100.00")
    app.click("payment-submit")
    app.gone("payment-submit")
    expected = app.invoke("get_invoice", {"id": late["id"]})["invoice"]["balance"]
    app.wait().until(
        lambda _: digits(cell(app, row_by_id(app, late["id"]), "due-balance")) == digits(expected),
        "the row's new balance",
    )
    assert app.ipc_calls()[0] == "record_payment"
    assert app.ipc_calls().count("record_payment") == 1
    app.screenshot("test_an_overdue_invoice_comes_first_and_is_paid_from_its_row-partly-paid")

    # Paying the rest (the dialog starts at the balance) takes the row off the view.
    row_by_id(app, late["id"]).find_element("css selector", '[data-testid="due-record-payment"]').click()
    app.click("payment-submit")
    app.wait().until(lambda _: row_by_id(app, late["id"]) is None, "the paid invoice gone")
    assert [r.get_attribute("data-id") for r in rows(app)] == [str(ahead["id"])]
    assert app.invoke("get_invoice", {"id": late["id"]})["invoice"]["status"] == "paid"


def test_disputed_in_the_list_a_customers_reminders_switch_and_the_credit_note_format(driver):
    app = App(driver)
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    invoice = issue(app, customer["id"], None)
    app.invoke("dispute_invoice", {"input": {"invoice_id": invoice["id"], "reason": "Hours billed twice"}})
    driver.refresh()
    install_error_hook(driver)

    # The invoice list says the invoice is disputed and how long its window still runs.
    app.open_invoices()
    app.wait_text("invoice-row-disputed", lambda t: t == "Disputed · 30 days left", "the dispute chip")

    # The customer dialog's switch turns the customer's reminders off.
    app.click("nav-customers")
    app.visible("customer-row").find_element("css selector", "td").click()
    switch = app.visible("customer-send-reminders")
    assert switch.is_selected()
    switch.click()
    app.click("customer-save")
    app.gone("customer-save")
    assert app.invoke("customer_reminders", {"id": customer["id"]})["opt_out"] is True
    app.visible("customer-row").find_element("css selector", "td").click()
    assert not app.visible("customer-send-reminders").is_selected()
    app.screenshot("test_disputed_in_the_list_a_customers_reminders_switch_and_the_credit_note_format-customer")
    app.click("customer-save")
    app.gone("customer-save")

    # Settings → Company: the credit-note format is checked like the invoice format, at its field.
    app.click("nav-settings")
    app.click("settings-tab-company")
    assert app.visible("settings-credit-note-number-format").get_attribute("value") == "CN-{YYYY}-{SEQ:5}"
    app.type("settings-credit-note-number-format", "no sequence")
    app.click("settings-company-save")
    assert app.text_of("error-credit_note_number_format")
    app.type("settings-credit-note-number-format", "CR/{YYYY}/{SEQ:4}")
    app.click("settings-company-save")
    app.gone("error-credit_note_number_format")
    app.wait().until(
        lambda _: app.invoke("get_company")["credit_note_number_format"] == "CR/{YYYY}/{SEQ:4}",
        "the format saved",
    )
    app.screenshot("test_disputed_in_the_list_a_customers_reminders_switch_and_the_credit_note_format-settings")
