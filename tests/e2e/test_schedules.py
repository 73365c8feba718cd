"""End-to-end: a recurring schedule made on the Triggers screen in the real window.

An admin adds a monthly schedule from today: the editor shows its next 12
occurrences. It is disabled and offers no Enable until its test run has
passed; the test run shows the would-be invoice (total, outcome, PDF) and
makes none. Once enabled, the schedule job makes today's invoice, and the
invoice screen names the schedule that made it.
"""

from __future__ import annotations

from selenium.webdriver.common.by import By

from conftest import install_error_hook
from test_approval_rules import seed_company
from test_invoicing import CUSTOMER
from ui import App


def test_a_schedule_is_tested_then_enabled_and_its_invoice_names_it(driver):
    app = App(driver)
    seed_company(app)
    driver.refresh()
    install_error_hook(driver)

    app.click("nav-triggers")
    app.visible("schedules-empty")
    app.click("schedule-add")
    app.type("schedule-name", "Bob's retainer")
    app.choose_containing("schedule-customer", CUSTOMER["name"])
    app.type("schedule-line-description", "Monthly retainer")
    app.type("schedule-line-price", "500.00")
    app.click("schedule-save")
    app.wait().until(lambda _: len(app.all("schedule-preview-row")) == 12, "12 occurrences previewed")
    assert app.text_of("schedule-state") == "Disabled — test it first"
    assert not app.present("schedule-enable")

    app.click("schedule-test")
    total = app.text_of("schedule-test-total")
    assert total.startswith("500.00 USD"), total
    assert "a draft for review" in app.text_of("schedule-test-outcome")
    app.visible("schedule-test-pdf")
    assert app.invoke("list_invoices", {"query": {
        "status": None, "customer_id": None, "date_from": None, "date_to": None, "search": None,
        "sort": "issue_date", "descending": False, "page": 1, "page_size": 50,
    }})["total_count"] == 0, "the test run made no invoice"
    app.screenshot("test_a_schedule_is_tested-test-run")

    app.click("schedule-enable")
    app.wait_text("schedule-state", lambda t: t == "Active", "the schedule active")

    # Enabling nudges the jobs: today's period becomes a draft without anyone typing.
    def made(_):
        page = app.invoke("list_invoices", {"query": {
            "status": None, "customer_id": None, "date_from": None, "date_to": None, "search": None,
            "sort": "issue_date", "descending": False, "page": 1, "page_size": 50,
        }})
        return page["items"] if page["total_count"] == 1 else False

    invoice = app.wait().until(made, "the schedule's invoice made")[0]
    app.click("nav-invoices")
    app.visible("invoice-row")
    app.all("invoice-row")[0].find_element(By.CSS_SELECTOR, "td").click()
    trigger = app.text_of("invoice-trigger")
    assert "Bob's retainer" in trigger, trigger
    assert invoice["total"] == "500.00", invoice
    app.screenshot("test_a_schedule_is_tested-invoice")
