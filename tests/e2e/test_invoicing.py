"""End-to-end scenarios on the real desktop app: what a person clicks, and what they see."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from selenium.webdriver.common.by import By

from conftest import install_error_hook
from ui import App, digits

ADMIN = {"name": "Ada Admin", "email": "ada@acme.example", "password": "correct horse battery"}
SPECIALIST = {"name": "Sam Specialist", "email": "sam@acme.example", "password": "specialist password"}

CUSTOMER = {
    "name": "Bob Buyer",
    "company": "Buyer Inc",
    "address": "1 Market St",
    "city": "San Francisco",
    "postal_code": "94105",
    "region": "CA",
    "country": "US",
}

# description, quantity, unit price, discount %
LINES = [
    ("Design work", "10", "120.00", None),
    ("Hosting", "3", "19.99", "10"),
    ("Support hours", "1.5", "80.00", None),
]
# By hand, CA 8.25 %: nets 1200.00 + 53.97 (59.97 less 10 %) + 120.00 = 1373.97;
# tax 99.00 + 4.45 + 9.90 = 113.35; total 1487.32.
EXPECTED_TOTAL = "1487.32"
EXPECTED_TAX = "113.35"

NUMBER = re.compile(r"INV-(\d{4})-00001")


def draft_input(customer_id: int) -> dict:
    return {
        "customer_id": customer_id,
        "issue_date": None,
        "terms_days": None,
        "notes": None,
        "lines": [
            {"description": d, "quantity": q, "unit_price": p, "discount_percent": disc,
             "tax_rate_id": None, "proration": None}
            for d, q, p, disc in LINES
        ],
    }


def row_for(app: App, number: str, timeout: float | None = None):
    """The list row showing `number`, once it is there (the list is opened first if need be)."""
    app.open_invoices()

    def find(_):
        for row in app.all("invoice-row"):
            if number in app.text(row):
                return row
        return False

    return (app.wait(timeout) if timeout else app.wait()).until(find, f"an invoice row with {number}")


def test_first_run_customer_invoice_and_issue(driver):
    app = App(driver)

    # First run: the setup screen, then the signed-in app.
    app.set_up_company(ADMIN)
    assert app.text_of("user-name") == ADMIN["name"]

    # California sales tax, entered in Settings as an admin would.
    app.click("nav-settings")
    app.click("settings-tab-tax-rates")
    app.type("settings-tax-country", "US")
    app.type("settings-tax-region", "CA")
    app.type("settings-tax-name", "CA sales tax")
    app.type("settings-tax-rate", "8.25")
    app.click("settings-tax-add")
    app.wait().until(lambda _: len(app.all("settings-tax-row")) == 1, "the new tax rate listed")

    # A customer in California: a bad email is refused at the field, then fixed.
    app.click("nav-customers")
    app.click("customer-add")
    for field, value in CUSTOMER.items():
        app.type(f"customer-{field}", value)
    app.type("customer-email", "bob@buyer")
    app.click("customer-save")
    message = app.text_of("error-email")
    assert "email" in message.lower(), message
    app.type("customer-email", "bob@buyer.example")
    app.click("customer-save")
    app.gone("customer-save")
    app.wait().until(
        lambda _: any("Bob Buyer" in app.text(r) for r in app.all("customer-row")), "the customer listed"
    )
    customer_id = next(c["id"] for c in app.invoke("list_customers", {"search": None}))

    # A three-line invoice; the totals shown are the backend's.
    app.click("nav-new-invoice")
    app.choose_containing("invoice-customer", "Bob Buyer")
    for i, (description, quantity, price, discount) in enumerate(LINES):
        if i > 0:
            app.click("line-add")
        app.type(f"line-{i}-description", description)
        app.type(f"line-{i}-quantity", quantity)
        app.type(f"line-{i}-unit-price", price)
        if discount:
            app.type(f"line-{i}-discount", discount)
        # As a person would, wait for the line's computed total before going on: its
        # validation messages (shown when a field is left) come from the same preview.
        app.wait_text(f"line-{i}-total", lambda t: bool(digits(t)), "the line's total")
    expected = app.invoke("preview_totals", {"input": draft_input(customer_id)})
    assert expected["total"] == EXPECTED_TOTAL, expected
    assert expected["tax_total"] == EXPECTED_TAX, expected
    app.wait_text("totals-total", lambda t: digits(t) == digits(EXPECTED_TOTAL), EXPECTED_TOTAL)
    app.screenshot("test_first_run_customer_invoice_and_issue-editor")
    assert digits(app.text_of("totals-subtotal")) == digits(expected["subtotal"])
    assert digits(app.text_of("totals-tax")) == digits(expected["tax_total"])
    assert "$" in app.text_of("totals-total")

    # Saved as a draft, then issued with the first number of the year.
    app.click("invoice-save")
    app.wait_text("invoice-status", lambda t: t == "Draft", "Draft")
    app.click("invoice-issue")
    number = app.wait_text("invoice-number", NUMBER.fullmatch, "an INV-YYYY-00001 number")
    assert int(NUMBER.fullmatch(number).group(1)) in {dt.date.today().year, dt.date.today().year + 1}
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")
    assert digits(app.text_of("totals-total")) == digits(EXPECTED_TOTAL)
    app.screenshot("test_first_run_customer_invoice_and_issue-detail")

    # The list shows it, issued.
    app.click("nav-invoices")
    row = row_for(app, number)
    assert app.text(row.find_element(By.CSS_SELECTOR, "[data-status]")) == "Issued"
    assert "Buyer Inc" in app.text(row)  # the list names the company when there is one
    assert "1,487.32" in app.text(row)


def seed_issued_invoice(app: App) -> dict:
    """Sets up a company, a CA customer and one issued invoice through the page's own invoke()."""
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
    draft = app.invoke("create_invoice", {"input": draft_input(customer["id"])})
    return app.invoke("issue_invoice", {"id": draft["id"]})["invoice"]


def test_partial_payment_updates_status_and_balance(driver):
    app = App(driver)
    invoice = seed_issued_invoice(app)
    assert invoice["balance"] == EXPECTED_TOTAL
    # The page was started before the data existed: load it again, as a restart would.
    driver.refresh()
    install_error_hook(driver)

    row = row_for(app, invoice["number"])
    assert app.text(row.find_element(By.CSS_SELECTOR, "[data-status]")) == "Issued"
    row.find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")
    assert digits(app.text_of("totals-balance")) == digits(EXPECTED_TOTAL)

    app.click("payment-open")
    app.type("payment-amount", "500.00")
    app.type("payment-reference", "Wire 4711")
    app.click("payment-submit")
    app.gone("payment-submit")

    app.wait_text("invoice-status", lambda t: t == "Partially paid", "Partially paid")
    app.wait_text("totals-balance", lambda t: digits(t) == digits("987.32"), "a balance of 987.32")
    assert digits(app.text_of("totals-paid")) == digits("500.00")
    assert "Wire 4711" in app.text_of("payments")
    assert app.invoke("get_invoice", {"id": invoice["id"]})["invoice"]["balance"] == "987.32"
    app.screenshot("test_partial_payment_updates_status_and_balance-detail")

    app.click("nav-invoices")
    row = row_for(app, invoice["number"])
    assert app.text(row.find_element(By.CSS_SELECTOR, "[data-status]")) == "Partially paid"
    assert "987.32" in app.text(row)


def test_specialist_sees_no_settings_and_is_refused_admin_commands(driver):
    app = App(driver)
    app.set_up_company(ADMIN)

    # The admin adds a billing specialist in Settings → Users.
    app.click("nav-settings")
    app.click("settings-tab-users")
    app.wait().until(lambda _: len(app.all("settings-user-row")) == 1, "the admin listed")
    app.type("settings-user-name", SPECIALIST["name"])
    app.type("settings-user-email", SPECIALIST["email"])
    app.choose("settings-user-role", "Billing specialist")
    app.type("settings-user-password", SPECIALIST["password"])
    app.click("settings-user-add")
    app.wait().until(lambda _: len(app.all("settings-user-row")) == 2, "the specialist listed")
    assert any(SPECIALIST["email"] in app.text(r) for r in app.all("settings-user-row"))

    # Signed in as the specialist: no Settings in the navigation.
    app.sign_out()
    app.sign_in(SPECIALIST)
    assert app.text_of("user-name") == SPECIALIST["name"]
    assert app.present("nav-invoices") and app.present("nav-customers")
    assert not app.present("nav-settings")

    # The backend refuses what the UI hides, whatever the page sends.
    company = app.invoke("get_company")
    error = app.invoke_error("update_company", {"input": {**company, "name": "Taken Over Ltd"}})
    assert error["code"] == "forbidden", error
    assert error["message"]
    error = app.invoke_error(
        "add_user",
        {"input": {"email": "eve@acme.example", "name": "Eve", "role": "admin",
                   "password": "eve's password"}},
    )
    assert error["code"] == "forbidden", error
    assert app.invoke("get_company")["name"] == "Acme Consulting"


@pytest.mark.app_env(LANG="C.UTF-8", LANGUAGE="")
def test_invoice_list_loads_under_the_c_locale(driver):
    """Containers and minimal sessions run with LANG=C; WebKit then reports the
    language "C", which Intl rejects. The UI falls back to en-US (ui/src/lib/locale.ts)."""
    app = App(driver)
    invoice = seed_issued_invoice(app)
    driver.refresh()
    install_error_hook(driver)
    row_for(app, invoice["number"], timeout=5)


def test_void_needs_a_reason_and_keeps_the_number(driver):
    app = App(driver)
    invoice = seed_issued_invoice(app)
    driver.refresh()
    install_error_hook(driver)

    row_for(app, invoice["number"]).find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")
    app.click("invoice-void")
    # No reason: the backend refuses and the message stands next to the field.
    app.click("void-submit")
    assert "required" in app.text_of("error-reason").lower()
    app.type("void-reason", "Billed to the wrong customer")
    app.click("void-submit")
    app.wait_text("invoice-status", lambda t: t == "Void", "Void")
    assert app.text_of("invoice-number") == invoice["number"]
    assert "Billed to the wrong customer" in app.text_of("invoice-void-reason")
    app.screenshot("test_void_needs_a_reason_and_keeps_the_number-void")
