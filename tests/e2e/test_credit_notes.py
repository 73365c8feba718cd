"""Payments with their method and credit notes from the invoice screen of the real app."""

from __future__ import annotations

import re

from conftest import install_error_hook
from selenium.webdriver.common.by import By
from test_invoicing import row_for, seed_issued_invoice
from ui import App, digits


def test_record_a_payment_then_issue_a_credit_note_and_see_both_listed(driver):
    app = App(driver)
    invoice = seed_issued_invoice(app)
    driver.refresh()
    install_error_hook(driver)
    row_for(app, invoice["number"]).find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")

    # A payment by cheque, from the invoice screen.
    app.click("payment-open")
    app.type("payment-amount", "500.00")
    app.choose("payment-method", "Cheque")
    app.type("payment-reference", "CHQ 1001")
    app.click("payment-submit")
    app.gone("payment-submit")
    app.wait_text("invoice-status", lambda t: t == "Partially paid", "Partially paid")
    assert "Cheque" in app.text_of("payments")

    # A credit note of 100.00: the dialog shows the backend's tax split before issuing
    # (100 × 113.35 / 1487.32 = 7.62).
    app.click("credit-note-open-dialog")
    app.click("credit-mode-amount")
    app.type("credit-amount", "100.00")
    app.wait_text("credit-preview-tax", lambda t: digits(t) == digits("7.62"), "a tax of 7.62")
    assert digits(app.text_of("credit-preview-net")) == digits("92.38")
    assert digits(app.text_of("credit-preview-balance")) == digits("887.32")
    app.type("credit-reason", "Support hours not used")
    app.screenshot("test_credit_notes-dialog")
    app.click("credit-note-submit")
    app.gone("credit-note-submit")

    number = app.wait_text("credit-note-number", lambda t: re.fullmatch(r"CN-\d{4}-00001", t) is not None,
                           "the first credit-note number")
    app.wait_text("totals-balance", lambda t: digits(t) == digits("887.32"), "a balance of 887.32")
    assert digits(app.text_of("totals-credited")) == digits("100.00")
    listed = app.text_of("invoice-credit-notes")
    assert number in listed and "Support hours not used" in listed
    assert "CHQ 1001" in app.text_of("payments")
    assert app.text_of("invoice-status") == "Partially paid"

    # The credit note's own archived PDF opens in the window.
    app.click("credit-note-open")
    app.visible("credit-note-pdf")
    assert invoice["number"] in app.text_of("credit-note-viewer")
    app.screenshot("test_credit_notes-listed")
    # Paying back part of the cheque raises the balance again.
    app.click("refund-open")
    app.type("refund-amount", "100.00")
    app.choose("refund-method", "Bank transfer")
    app.click("refund-submit")
    app.gone("refund-submit")
    app.wait_text("totals-balance", lambda t: digits(t) == digits("987.32"), "a balance of 987.32")
    assert "Refund" in app.text_of("payments")

    screen = app.invoke("get_invoice", {"id": invoice["id"]})
    assert screen["credit_notes"][0]["number"] == number
    assert screen["payments"][0]["method"] == "cheque"
    assert screen["refunds"][0]["amount"] == "100.00"
