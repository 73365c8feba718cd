"""End-to-end: the dashboard is the home screen, its numbers open the lists behind them.

Three invoices are issued: one not yet due, one 15 days and one 60 days past due.
Signed in, the window opens on the dashboard, whose overdue total is the two
overdue balances (read in one `dashboard` call); clicking it lands on the
invoice list filtered to overdue in USD, showing exactly those two invoices. The
Reports screen's aging table has the same money in the right buckets, and
exports it as CSV. A screenshot of the dashboard with data is kept as
``artifacts/dashboard.png``.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from conftest import install_error_hook
from test_invoicing import ADMIN, CUSTOMER
from ui import App, digits

EXPORT = "window.__invoicerE2E.exportReportTo(arguments[0]); return true;"

# A date picked in a date field (WebKitGTK's picker cannot be typed into reliably).
SET_DATE = """
const input = document.querySelector(`[data-testid="${arguments[0]}"]`);
input.value = arguments[1];
input.dispatchEvent(new Event("change", { bubbles: true }));
"""


def issue(app: App, customer_id: int, days_ago: int, unit_price: str) -> dict:
    """An invoice issued `days_ago` days ago on Net 30 (so past due when more than 30)."""
    draft = app.invoke("create_invoice", {"input": {
        "customer_id": customer_id,
        "issue_date": (date.today() - timedelta(days=days_ago)).isoformat(),
        "terms_days": 30, "notes": None,
        "lines": [{"description": "Consulting", "quantity": "1", "unit_price": unit_price,
                   "discount_percent": None, "tax_rate_id": None, "proration": None}],
    }})
    return app.invoke("issue_invoice", {"id": draft["id"]})["invoice"]


def listed_numbers(app: App) -> list[str]:
    return sorted(app.text(r).split()[0] for r in app.all("invoice-row"))


def test_the_dashboard_opens_first_and_its_overdue_total_opens_the_overdue_invoices(driver, tmp_path: Path):
    app = App(driver)
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    current = issue(app, customer["id"], 0, "100.00")
    late = issue(app, customer["id"], 45, "250.00")  # due 15 days ago
    later = issue(app, customer["id"], 90, "400.00")  # due 60 days ago
    overdue_total = Decimal(late["balance"]) + Decimal(later["balance"])
    outstanding_total = overdue_total + Decimal(current["balance"])

    # Signed in (the page reloads with the session), the home screen is the dashboard, read in
    # one call.
    driver.refresh()
    install_error_hook(driver)
    app.visible("dashboard-overdue")
    assert app.driver.execute_script(
        "return document.querySelector('[data-testid=\"nav-dashboard\"]').getAttribute('aria-current');"
    ) == "page"
    overdue = app.wait_text("dashboard-overdue", lambda t: bool(digits(t)), "the overdue total")
    assert digits(overdue) == digits(f"{overdue_total:.2f}"), overdue
    assert digits(app.text_of("dashboard-outstanding")) == digits(f"{outstanding_total:.2f}")
    assert "dashboard" in app.ipc_calls()
    app.visible("dashboard-aging-chart")
    app.wait().until(
        lambda _: app.driver.execute_script(
            "return document.querySelectorAll('[data-testid=\"dashboard-aging-chart\"] svg rect, "
            "[data-testid=\"dashboard-aging-chart\"] svg path').length > 0;"
        ),
        "the aging chart drawn",
    )
    app.screenshot("dashboard")

    # Opening the dashboard again is one call.
    app.click("nav-customers")
    app.visible("customer-row")
    app.reset_ipc_calls()
    app.click("nav-dashboard")
    app.visible("dashboard-overdue")
    assert app.ipc_calls() == ["dashboard"], app.ipc_calls()

    # The overdue total of a currency opens the invoice list filtered to overdue in that currency:
    # exactly the two late invoices.
    assert app.visible("dashboard-overdue").get_attribute("data-currency") == "USD"
    app.click("dashboard-overdue")
    app.visible("invoices-search")
    assert app.visible("invoices-filter-status").get_attribute("value") == "overdue"
    assert app.visible("invoices-filter-currency").get_attribute("value") == "USD"
    app.wait().until(lambda _: len(app.all("invoice-row")) == 2, "the two overdue invoices")
    assert listed_numbers(app) == sorted([late["number"], later["number"]])

    # The outstanding total opens Due & overdue in its currency, every open invoice listed; the
    # failed-deliveries count opens Deliveries filtered to failed ones.
    app.click("nav-dashboard")
    app.click("dashboard-outstanding")
    assert app.visible("due-filter-currency").get_attribute("value") == "USD"
    assert app.visible("due-filter-window").get_attribute("value") == "all"
    app.wait().until(lambda _: len(app.all("due-row")) == 3, "the three open invoices")
    app.click("nav-dashboard")
    app.click("dashboard-needs-failed_deliveries")
    assert app.visible("deliveries-filter-status").get_attribute("value") == "failed"

    # The Reports screen's aging table: the same money, 250 in 1–30 and 400 in 31–60.
    app.click("nav-reports")
    total = app.wait_text("report-aging-total-amount", lambda t: bool(digits(t)), "the aging total")
    assert digits(total) == digits(f"{outstanding_total:.2f}")
    buckets = [app.text(c) for c in app.all("report-aging-total-bucket")]
    headers = [app.text(h) for h in app.visible("report-aging-table").find_elements("css selector", "thead th")]
    by_bucket = dict(zip(headers[2:], buckets))
    assert digits(by_bucket["Current"]) == digits(current["balance"]), by_bucket
    assert digits(by_bucket["1–30"]) == digits(late["balance"]), by_bucket
    assert digits(by_bucket["31–60"]) == digits(later["balance"]), by_bucket
    app.screenshot("test_the_dashboard_opens_first_and_its_overdue_total_opens_the_overdue_invoices-aging")

    # Bucket bounds typed in the filter bar: the report is asked for once, when the typing stops,
    # and the backend's buckets follow them (15 days past due in 1–15, 60 in 46+).
    app.reset_ipc_calls()
    app.type("report-filter-bucketBounds", "15, 45")
    app.wait().until(
        lambda _: "46+" in [app.text(h) for h in app.visible("report-aging-table").find_elements("css selector", "thead th")],
        "the typed buckets",
    )
    headers = [app.text(h) for h in app.visible("report-aging-table").find_elements("css selector", "thead th")]
    by_bucket = dict(zip(headers[2:], [app.text(c) for c in app.all("report-aging-total-bucket")]))
    assert digits(by_bucket["1–15"]) == digits(late["balance"]), by_bucket
    assert digits(by_bucket["46+"]) == digits(later["balance"]), by_bucket
    assert app.ipc_calls() == ["run_report"], app.ipc_calls()

    # The Collection tab states the DSO formula next to the figure, read in one call.
    app.reset_ipc_calls()
    app.click("report-tab-collection")
    assert "receivables" in app.wait_text("report-dso-formula", lambda t: "÷" in t, "the DSO formula")
    assert app.ipc_calls() == ["run_report"], app.ipc_calls()

    # A range the backend refuses (longer than it allows) is said at the From field, not as a
    # banner; clearing the field brings the report back.
    app.driver.execute_script(SET_DATE, "report-filter-from", "2000-01-01")
    app.wait_text("report-filter-error-from", lambda t: "2000-01-01" in t, "the refusal at From")
    assert not app.present("error-banner")
    app.driver.execute_script(SET_DATE, "report-filter-from", "")
    app.gone("report-filter-error-from")
    app.visible("report-dso-formula")
    app.click("report-tab-aging")
    app.visible("report-aging-table")

    # Export CSV streams the same report to the file chosen (named by the test hook instead of
    # the native dialog), in one call.
    out = tmp_path / "aging.csv"
    app.reset_ipc_calls()
    assert app.driver.execute_script(EXPORT, str(out))
    app.click("report-export")
    app.visible("success-banner")
    assert app.ipc_calls() == ["export_report_csv"], app.ipc_calls()
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert len(rows) >= 2, rows
    assert any(CUSTOMER["company"] in cell or CUSTOMER["name"] in cell for row in rows for cell in row), rows
