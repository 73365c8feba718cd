"""End-to-end: payment reminders and disputes as a person sees them.

Settings → Reminders saves the steps and shows the backend's refusal next to the
step at fault; an issued invoice shows its next scheduled reminder, is marked
disputed from its Reminders section (the days left in the window shown), and
the dispute is rejected again; the actions offered are the ones the backend
allows at each moment.
"""

from __future__ import annotations

from conftest import install_error_hook
from test_invoicing import ADMIN, CUSTOMER, row_for
from ui import App


def seed_issued_invoice(app: App) -> dict:
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    draft = app.invoke("create_invoice", {"input": {
        "customer_id": customer["id"], "issue_date": None, "terms_days": None, "notes": None,
        "lines": [{"description": "Consulting", "quantity": "2", "unit_price": "150.00",
                   "discount_percent": None, "tax_rate_id": None, "proration": None}],
    }})
    return app.invoke("issue_invoice", {"id": draft["id"]})["invoice"]


def test_reminder_steps_and_a_dispute_from_the_invoice(driver):
    app = App(driver)
    invoice = seed_issued_invoice(app)
    driver.refresh()
    install_error_hook(driver)

    # Settings → Reminders: an unsorted step is refused next to its field.
    app.click("nav-settings")
    app.click("settings-tab-reminders")
    # The policy arrives with the page's first call; wait for its rows.
    app.wait().until(lambda _: len(app.all("settings-reminder-offset")) == 3, "the three default steps")
    offsets = app.all("settings-reminder-offset")
    assert [o.get_attribute("value") for o in offsets] == ["7", "14", "30"]
    offsets[1].clear()
    offsets[1].send_keys("3")
    app.click("settings-reminders-save")
    error = app.wait_text("error-reminder_policy[1].offset_days", lambda t: "later" in t, "order error")
    assert "7" in error
    offsets = app.all("settings-reminder-offset")
    offsets[1].clear()
    offsets[1].send_keys("10")
    app.click("settings-reminders-save")
    app.gone("error-reminder_policy[1].offset_days")
    steps = app.invoke("reminder_policy")["steps"]
    assert [s["offset_days"] for s in steps] == [7, 10, 30]
    app.screenshot("test_reminder_steps_and_a_dispute_from_the_invoice-settings")

    # The invoice shows its next reminder and offers a dispute.
    app.click("nav-invoices")
    row_for(app, invoice["number"]).find_element("css selector", "td").click()
    app.wait_text("reminder-row", lambda t: "Scheduled for" in t, "the scheduled step")
    assert not app.present("dispute-reject")
    app.click("invoice-dispute")
    app.click("dispute-submit")
    assert "required" in app.text_of("error-reason").lower()
    app.type("dispute-reason", "Hours billed twice")
    app.click("dispute-submit")
    app.wait_text("invoice-dispute-state", lambda t: "30 days left" in t, "days left")
    assert "paused" in app.text_of("reminders-hold")
    assert not app.present("invoice-dispute")
    assert not app.present("reminder-send-now")
    app.wait_text("invoice-disputed", lambda t: t == "Disputed", "the Disputed chip")
    app.screenshot("test_reminder_steps_and_a_dispute_from_the_invoice-disputed")

    app.click("dispute-reject")
    app.wait_text("invoice-dispute-state", lambda t: "Dispute rejected" in t, "rejected")
    app.visible("reminder-send-now")
    assert app.invoke("invoice_dispute", {"id": invoice["id"]})["state"] == "rejected"
