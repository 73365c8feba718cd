"""End-to-end: "Issue & send" in the real window, and the delivery reaching `sent` while the
person watches.

The desktop shell starts the background jobs at launch and forwards the app's events to the
window, so the outbox sender picks the delivery up as soon as the invoice is issued (the command
nudges it) and the invoice screen shows each step as it happens: no reload, no polling. With no
SMTP server configured, mail goes to the outbox folder in the app's data folder as `.eml` files.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import time
from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import install_error_hook
from test_invoicing import ADMIN, CUSTOMER, draft_input, row_for, seed_issued_invoice
from test_round_trips import seed_draft
from ui import WAIT, App

REPO = Path(__file__).resolve().parent.parent.parent
# The window event name, as generated from the Rust constant for the UI.
APP_EVENT = json.loads(
    re.search(
        r"export const APP_EVENT = (\"[^\"]+\");",
        (REPO / "ui/src/lib/bindings/constants.ts").read_text(),
    ).group(1)
)

# Set on the page before the click; a reload would lose it.
MARK_PAGE = "window.__deliveryPageMark = 'still here'; return true;"
PAGE_MARK = "return window.__deliveryPageMark || null;"


def in_section(app: App, section: str, testid: str):
    """The elements with `testid` inside the element with test id `section`."""
    return app.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{section}"] [data-testid="{testid}"]')


def give_the_company_an_email(app: App) -> None:
    """Every email is sent from the company's address, so sending needs one (Settings → Company);
    a payment-link format puts a link in the email and on the invoice screen."""
    company = app.invoke("get_company")
    app.invoke(
        "update_company",
        {
            "input": {
                **company,
                "email": "billing@acme.example",
                "payment_link_format": "https://pay.acme.example/{number}?amount={balance}",
            }
        },
    )


def wait_for_file(folder: Path, pattern: str, timeout: float = WAIT) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
        time.sleep(0.1)
    listing = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else "no such folder"
    raise AssertionError(f"no {pattern} in {folder} after {timeout}s: {listing}")


# Emits an event to the window the way the shell's forwarder does (same name, same payload), from
# the page itself: it reaches the page's listener through Tauri's event system like one from Rust.
EMIT_APP_EVENT = """
const [event, payload, done] = arguments;
window.__TAURI_INTERNALS__
  .invoke("plugin:event|emit", { event, payload })
  .then(() => done({ ok: true }), (e) => done({ err: String(e) }));
"""


def emit_app_event(app: App, payload: dict) -> None:
    result = app.driver.execute_async_script(EMIT_APP_EVENT, APP_EVENT, payload)
    assert result.get("ok"), result


def test_the_sidebar_badge_follows_delivery_count_events(driver):
    app = App(driver)
    app.set_up_company(ADMIN)
    assert not app.present("nav-deliveries-badge")

    # The window listens: a delivery_counts event shows the badge at once, with no call to the backend.
    app.reset_ipc_calls()
    emit_app_event(app, {"type": "delivery_counts", "failed": 2, "unknown": 1})
    app.wait_text("nav-deliveries-badge", lambda t: t == "3", "a badge of 3")
    assert "2 failed" in (app.visible("nav-deliveries-badge").get_attribute("title") or "")
    assert app.ipc_calls() == []

    emit_app_event(app, {"type": "delivery_counts", "failed": 0, "unknown": 0})
    app.gone("nav-deliveries-badge")


def a_delivery(invoice: dict, status: str, second: int) -> dict:
    """A DeliveryView of `invoice` as the sender's events carry it."""
    return {
        "id": 9001, "invoice_id": invoice["id"], "invoice_number": invoice["number"],
        "customer_name": "Buyer Inc", "kind": "invoice", "step": 0, "to": ["bob@buyer.example"],
        "cc": [], "bcc": [], "status": status, "attempts": 0 if status == "queued" else 1,
        "max_attempts": 3, "next_attempt_at": None,
        "last_reply": {"code": 250, "text": "2.0.0 Ok"} if status == "sent" else None,
        "message_id": None, "created_at": "2026-03-02T09:00:00Z",
        "updated_at": f"2026-03-02T09:00:{second:02d}Z", "actions": [],
    }


def test_the_invoice_screen_follows_its_delivery_and_invoice_events(driver):
    app = App(driver)
    invoice = seed_issued_invoice(app)
    driver.refresh()
    install_error_hook(driver)
    row_for(app, invoice["number"]).find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")
    assert not app.present("invoice-deliveries")
    app.reset_ipc_calls()

    # The delivery's steps arrive as events and show in place; none costs a call to the backend.
    for second, status in enumerate(["queued", "sending", "sent"]):
        emit_app_event(app, {"type": "delivery_changed", "delivery": a_delivery(invoice, status, second)})
        app.wait().until(
            lambda _, status=status: [c.get_attribute("data-status")
                                      for c in in_section(app, "invoice-deliveries", "delivery-status")] == [status],
            f"the delivery shown as {status}",
        )
    # An older state arriving late changes nothing; another invoice's delivery is not shown here.
    emit_app_event(app, {"type": "delivery_changed", "delivery": a_delivery(invoice, "sending", 1)})
    other = {**a_delivery(invoice, "failed", 5), "id": 9002, "invoice_id": invoice["id"] + 1}
    emit_app_event(app, {"type": "delivery_changed", "delivery": other})
    emit_app_event(app, {"type": "invoice_changed", "invoice_id": invoice["id"] + 1})
    # Events arrive in order: once this one shows, the three above have been handled.
    emit_app_event(app, {"type": "delivery_counts", "failed": 1, "unknown": 0})
    app.wait_text("nav-deliveries-badge", lambda t: t == "1", "a badge of 1")
    chips = in_section(app, "invoice-deliveries", "delivery-status")
    assert [c.get_attribute("data-status") for c in chips] == ["sent"]
    assert "250" in app.text(in_section(app, "invoice-deliveries", "delivery-reply")[0])
    assert app.ipc_calls() == []
    app.screenshot("test_the_invoice_screen_follows_its_delivery_and_invoice_events-sent")

    # "This invoice changed" reads the screen again, once.
    emit_app_event(app, {"type": "invoice_changed", "invoice_id": invoice["id"]})
    app.wait().until(lambda _: app.ipc_calls() == ["get_invoice"], "the invoice read again")


def test_issue_and_send_shows_the_delivery_sent_without_a_reload(driver, data_dir: Path):
    app = App(driver)
    draft = seed_draft(app)
    give_the_company_an_email(app)
    # The page was started before the data existed: load it again, as a restart would.
    driver.refresh()
    install_error_hook(driver)
    row_for(app, "Draft").find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-status", lambda t: t == "Draft", "Draft")
    assert not app.present("invoice-deliveries")  # no email yet
    assert driver.execute_script(MARK_PAGE)

    # One click issues the invoice and queues its email, in one transaction.
    app.click("invoice-issue-and-send")
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")
    number = app.text_of("invoice-number")
    assert number.startswith("INV-"), number
    # The screen shows the link the email carries, for the balance owed now.
    link = app.text_of("invoice-payment-link")
    assert link.startswith(f"https://pay.acme.example/{number}?amount="), link

    # The sender job runs inside the app; its events move the row to "Sent" on this very page.
    def sent(_):
        chips = in_section(app, "invoice-deliveries", "delivery-status")
        return len(chips) == 1 and chips[0].get_attribute("data-status") == "sent"

    app.wait().until(sent, "the invoice's delivery shown as sent")
    assert driver.execute_script(PAGE_MARK) == "still here", "the page was reloaded"
    row = in_section(app, "invoice-deliveries", "delivery-row")[0]
    assert app.text(row.find_element(By.CSS_SELECTOR, '[data-testid="delivery-status"]')) == "Sent"
    assert "bob@buyer.example" in app.text(row.find_element(By.CSS_SELECTOR, '[data-testid="delivery-recipients"]'))
    assert app.text(row.find_element(By.CSS_SELECTOR, '[data-testid="delivery-attempts"]')).startswith("1 /")
    # Nothing is left for a person to do with a delivery that arrived.
    assert not row.find_elements(By.CSS_SELECTOR, '[data-testid="delivery-resend"]')
    app.screenshot("test_issue_and_send_shows_the_delivery_sent_without_a_reload-invoice")

    # No SMTP server: the email is an .eml file in the data folder's outbox, with the PDF
    # attached under the invoice's number.
    settings = app.invoke("email_settings")
    assert settings["smtp_configured"] is False
    outbox = Path(settings["outbox_dir"])
    assert outbox.resolve().is_relative_to(data_dir.resolve()), (outbox, data_dir)
    eml = wait_for_file(outbox, "*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert "bob@buyer.example" in str(message["To"])
    pdfs = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1, [p.get_content_type() for p in message.iter_attachments()]
    assert number in (pdfs[0].get_filename() or ""), pdfs[0].get_filename()
    assert pdfs[0].get_content().startswith(b"%PDF-")
    assert link in message.get_body(preferencelist=("plain",)).get_content()
    # Sent exactly once.
    assert len(list(outbox.glob("*.eml"))) == 1

    # The Deliveries screen lists it as sent, and the sidebar counts no delivery needing a person.
    app.click("nav-deliveries")

    def listed(_):
        for row in app.all("delivery-row"):
            if number in app.text(row) and row.get_attribute("data-status") == "sent":
                return row
        return False

    listed_row = app.wait().until(listed, f"a sent delivery of {number} listed")
    assert "bob@buyer.example" in app.text(listed_row)
    assert not app.present("nav-deliveries-badge")
    assert app.text_of("deliveries-counts") == "0 failed · 0 unknown"
    app.click("deliveries-filter-needs-person")
    app.visible("deliveries-empty")
    app.screenshot("test_issue_and_send_shows_the_delivery_sent_without_a_reload-deliveries")

    # The invoice number links back to the invoice.
    app.click("deliveries-filter-all")
    app.wait().until(listed, f"the delivery of {number} listed again")
    app.click("delivery-invoice")
    app.wait_text("invoice-number", lambda t: t == number, number)
    assert app.invoke("get_invoice", {"id": draft["id"]})["deliveries"][0]["status"] == "sent"


def test_settings_email_sends_a_test_email_to_the_outbox_folder(driver, data_dir: Path):
    app = App(driver)
    seed_draft(app)
    give_the_company_an_email(app)
    driver.refresh()
    install_error_hook(driver)
    app.visible("nav-invoices")

    app.click("nav-settings")
    app.click("settings-tab-email")
    # No SMTP server yet: mail goes to the outbox folder, which the tab names.
    outbox = Path(app.text_of("settings-email-outbox-dir"))
    assert outbox.resolve().is_relative_to(data_dir.resolve()), (outbox, data_dir)
    assert not app.present("settings-smtp-clear")
    # The password field is write-only: nothing is ever filled in from the backend.
    assert app.visible("settings-smtp-password").get_attribute("value") == ""

    app.type("settings-test-to", "ada@acme.example")
    app.click("settings-test-send")
    result = app.wait_text("settings-test-result", lambda t: ".eml" in t, "the .eml file written")
    eml = wait_for_file(outbox, "*.eml")
    assert str(eml) in result or eml.name in result, (result, eml)
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert "ada@acme.example" in str(message["To"])

    # The security's usual port is suggested when it changes.
    app.choose_containing("settings-smtp-security", "Implicit TLS")
    assert app.visible("settings-smtp-port").get_attribute("value") == "465"


def test_a_customers_cc_addresses_are_checked_at_their_field_and_kept(driver):
    app = App(driver)
    app.set_up_company(ADMIN)
    app.click("nav-customers")
    app.click("customer-add")
    for field, value in CUSTOMER.items():
        app.type(f"customer-{field}", value)
    app.type("customer-email", "bob@buyer.example")
    # The second address is broken: the backend names `cc[1]`, the form shows it at the Cc field.
    app.type("customer-cc", "boss@buyer.example, not-an-address")
    app.click("customer-save")
    message = app.text_of("error-cc")
    assert "valid email" in message, message
    app.type("customer-cc", "boss@buyer.example; boss@buyer.example")
    app.type("customer-bcc", "archive@acme.example")
    app.click("customer-save")
    app.gone("customer-save")
    saved = app.invoke("list_customers", {"search": None})[0]
    assert saved["cc"] == ["boss@buyer.example"], saved
    assert saved["bcc"] == ["archive@acme.example"], saved


def test_the_invoice_list_reads_itself_again_when_invoices_change_in_the_background(driver):
    app = App(driver)
    draft = seed_draft(app)
    driver.refresh()
    install_error_hook(driver)
    app.open_invoices()
    app.wait().until(lambda _: len(app.all("invoice-row")) == 1, "the one draft listed")
    assert driver.execute_script(MARK_PAGE)
    # Another actor (a background job, the CLI) makes a second invoice; the window hears of it.
    second = app.invoke("create_invoice", {"input": draft_input(draft["customer"]["id"])})
    emit_app_event(app, {"type": "invoice_changed", "invoice_id": second["id"]})
    app.wait().until(lambda _: len(app.all("invoice-row")) == 2, "the new invoice listed without a reload")
    assert driver.execute_script(PAGE_MARK) == "still here", "the page was reloaded"
