"""End-to-end: a usage threshold made on Triggers → Thresholds in the real window.

An admin adds a rule billing a customer's hours at 100.00 once 10 are
logged. It is disabled and offers no Enable until its test run has passed;
the test run shows the would-be invoice from sample entries (total,
outcome, PDF) and makes none. Once enabled, 12 logged hours cross the
threshold: the invoice is made at once, the tab shows the rule's progress
back at zero, and the invoice screen names the rule that made it.
"""

from __future__ import annotations

from selenium.webdriver.common.by import By

from conftest import install_error_hook
from test_approval_rules import seed_company
from test_invoicing import CUSTOMER
from ui import App

LIST_ALL = {"query": {
    "status": None, "customer_id": None, "date_from": None, "date_to": None, "search": None,
    "sort": "issue_date", "descending": False, "page": 1, "page_size": 50,
}}


def test_an_admin_creates_a_threshold_tests_it_and_enables_it(driver):
    app = App(driver)
    customer_id = seed_company(app)
    driver.refresh()
    install_error_hook(driver)

    app.click("nav-triggers")
    app.click("triggers-tab-thresholds")
    app.visible("thresholds-empty")
    app.click("threshold-add")
    app.type("threshold-name", "Bob's hours")
    app.choose_containing("threshold-customer", CUSTOMER["name"])
    app.type("threshold-price", "100.00")
    app.type("threshold-quantity", "10")
    # The terms and template fields every trigger editor shares: the template library is loaded
    # into the select, and both values are saved with the rule.
    app.type("threshold-terms", "14")
    app.choose_containing("threshold-template", "standard-en")
    app.click("threshold-save")
    app.visible("threshold-row")
    saved = app.invoke("list_thresholds")[0]
    assert (saved["terms_days"], saved["template"]) == (14, "standard-en"), saved
    assert app.text_of("threshold-state") == "Disabled — test it first"
    assert not app.present("threshold-enable")
    assert app.text_of("threshold-progress").startswith("0 of 10 h"), app.text_of("threshold-progress")

    app.click("threshold-test")
    total = app.text_of("threshold-test-total")
    assert total.startswith("2000.00 USD"), total
    assert "sample entries" in app.text_of("threshold-test-entries")
    assert "a draft for review" in app.text_of("threshold-test-outcome")
    app.visible("threshold-test-pdf")
    assert app.invoke("list_invoices", LIST_ALL)["total_count"] == 0, "the test run made no invoice"
    app.screenshot("test_thresholds-test-run")

    app.click("threshold-enable")
    app.wait_text("threshold-state", lambda t: t == "Active", "the rule active")

    # Twelve hours logged cross the threshold: one invoice, made at once.
    recorded = app.invoke("record_usage", {"input": {
        "customer_id": customer_id, "project": None, "measure": "hours", "quantity": "12",
        "unit_price": None, "description": "Consulting", "occurred_on": "2026-11-20", "reference": "TS-1",
    }})
    assert recorded["outcome"] == "draft", recorded
    page = app.invoke("list_invoices", LIST_ALL)
    assert page["total_count"] == 1, page
    assert page["items"][0]["total"] == "1200.00", page

    app.click("nav-invoices")
    app.visible("invoice-row")
    app.all("invoice-row")[0].find_element(By.CSS_SELECTOR, "td").click()
    trigger = app.text_of("invoice-trigger")
    assert "Bob's hours" in trigger, trigger
    app.screenshot("test_thresholds-invoice")
