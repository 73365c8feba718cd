"""End-to-end: the Approvals screen in the real window.

A specialist clicks Issue on a 12,000.00 invoice, which waits for approval
instead; an approver signs in, sees the badge, opens the queue with the real
PDF beside it and approves with the keyboard, which issues the invoice (and
emails it, when "send on approval" is ticked). A rejection needs a reason, and
the maker sees it on the invoice.
"""

from __future__ import annotations

from pathlib import Path

from selenium.webdriver.common.by import By

from conftest import install_error_hook
from test_delivery import give_the_company_an_email, in_section, wait_for_file
from test_documents import rendered_pages
from test_invoicing import ADMIN, CUSTOMER, SPECIALIST, row_for
from ui import App

APPROVER = {"name": "Ann Approver", "email": "ann@acme.example", "password": "approver password"}


def seed_company(app: App) -> int:
    """The company, a specialist and an approver; answers the customer's id."""
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    for user, role in ((SPECIALIST, "specialist"), (APPROVER, "approver")):
        app.invoke("add_user", {"input": {"email": user["email"], "name": user["name"],
                                          "role": role, "password": user["password"]}})
    # Sending on approval needs the address every email is sent from.
    give_the_company_an_email(app)
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    return customer["id"]


def make_draft(app: App, customer_id: int, description: str) -> dict:
    """A 12,000.00 draft, made by whoever is signed in."""
    return app.invoke("create_invoice", {"input": {
        "customer_id": customer_id, "issue_date": None, "terms_days": None, "notes": None,
        "lines": [{"description": description, "quantity": "1", "unit_price": "12000.00",
                   "discount_percent": None, "tax_rate_id": None, "proration": None}],
    }})


def issue_in_the_window(app: App) -> None:
    """The specialist opens the draft and clicks Issue; over the threshold it waits instead."""
    app.click("nav-invoices")
    # The specialist's one invoice is the list's only row.
    app.visible("invoice-row")
    rows = app.all("invoice-row")
    assert len(rows) == 1, [app.text(r) for r in rows]
    rows[0].find_element(By.CSS_SELECTOR, "td").click()
    app.click("invoice-issue")
    app.wait_text("invoice-status", lambda t: t == "Pending approval", "Pending approval")
    # The invoice says which level waits and who may decide it.
    assert "Level 1 of 1" in app.text_of("invoice-approval-waiting")


def press(app: App, key: str) -> None:
    """A key press on the page, as a person at the keyboard makes it."""
    app.driver.find_element(By.TAG_NAME, "body").send_keys(key)


def test_an_approver_approves_from_the_queue_with_the_keyboard_and_it_is_issued_and_sent(driver, data_dir: Path):
    app = App(driver)
    seed_company(app)
    driver.refresh()
    install_error_hook(driver)
    app.visible("nav-invoices")
    app.sign_out()

    app.sign_in(SPECIALIST)
    # A specialist decides nothing, so the sidebar offers no queue.
    assert not app.present("nav-approvals")
    # The specialist makes the invoice in the editor, as a person does, and clicks Issue.
    app.click("nav-new-invoice")
    app.choose_containing("invoice-customer", CUSTOMER["name"])
    app.type("line-0-description", "Annual licence")
    app.type("line-0-quantity", "1")
    app.type("line-0-unit-price", "12000.00")
    app.wait_text("line-0-total", lambda t: "12,000.00" in t, "the line's total")
    app.click("invoice-save")
    app.wait_text("invoice-status", lambda t: t == "Draft", "Draft")
    app.click("invoice-issue")
    app.wait_text("invoice-status", lambda t: t == "Pending approval", "Pending approval")
    assert "Level 1 of 1" in app.text_of("invoice-approval-waiting")
    app.sign_out()

    app.sign_in(APPROVER)
    app.wait_text("nav-approvals-badge", lambda t: t == "1", "badge 1")
    [draft] = [{"id": r["invoice_id"]} for r in app.invoke("approval_queue")["rows"]]
    app.click("nav-approvals")
    row = app.visible(f"approval-row-{draft['id']}")
    assert CUSTOMER["name"] in app.text(row) or CUSTOMER["company"] in app.text(row), app.text(row)
    assert SPECIALIST["email"] in app.text(row)
    assert "Level 1 of 1" in app.text(row)
    # The shortcuts are on the screen, and the real PDF is drawn beside the list.
    assert "approve" in app.text_of("approvals-shortcuts")
    app.wait().until(lambda _: rendered_pages(app, "approvals-pdf") >= 1, "page 1 of the PDF drawn")
    send = app.visible("approvals-send")
    if not send.is_selected():
        send.click()
    app.screenshot("test_an_approver_approves_from_the_queue-queue")

    press(app, "a")
    app.visible("approvals-empty")
    assert not app.present("nav-approvals-badge")

    back = app.invoke("get_invoice", {"id": draft["id"]})["invoice"]
    assert back["number"], back
    assert back["status"] == "issued", back["status"]
    app.click("nav-invoices")
    row_for(app, back["number"]).find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-number", lambda t: t == back["number"], back["number"])
    # The window shows it issued, and its email delivered (to the outbox folder) once the sender ran.
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")
    app.wait().until(
        lambda _: [c.get_attribute("data-status")
                   for c in in_section(app, "invoice-deliveries", "delivery-status")] == ["sent"],
        "the email shown as sent",
    )
    app.screenshot("test_an_approver_approves_from_the_queue-issued")

    # Sent on approval: the email is an .eml file in the outbox folder (no SMTP server set).
    outbox = Path(app.invoke("email_settings")["outbox_dir"])
    eml = wait_for_file(outbox, "*.eml")
    assert back["number"] in eml.read_bytes().decode("utf-8", "replace")


def test_a_rejection_needs_a_reason_which_the_maker_sees(driver):
    app = App(driver)
    customer_id = seed_company(app)
    driver.refresh()
    install_error_hook(driver)
    app.visible("nav-invoices")
    app.sign_out()

    app.sign_in(SPECIALIST)
    draft = make_draft(app, customer_id, "Consulting, March")
    issue_in_the_window(app)
    app.sign_out()

    app.sign_in(APPROVER)
    app.click("nav-approvals")
    app.visible(f"approval-row-{draft['id']}")
    press(app, "r")
    # No reason, no rejection.
    app.click("approvals-reject-submit")
    app.visible("approvals-reject-error")
    app.type("approvals-reject-reason", "The hourly rate is last year's")
    app.click("approvals-reject-submit")
    app.visible("approvals-empty")
    app.sign_out()

    app.sign_in(SPECIALIST)
    app.open_invoices()
    app.visible("invoice-row")
    row = app.all("invoice-row")[0]
    row.find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-status", lambda t: t == "Rejected", "Rejected")
    assert "The hourly rate is last year's" in app.text_of("invoice-rejected-note")
    rejection = app.text_of("invoice-approval-rejection")
    assert APPROVER["email"] in rejection and "The hourly rate is last year's" in rejection, rejection
    app.screenshot("test_a_rejection_needs_a_reason_which_the_maker_sees-maker")


def test_approve_selected_approves_each_it_may_and_says_why_not_for_the_rest(driver):
    app = App(driver)
    customer_id = seed_company(app)
    # The admin makes one invoice (which the admin may then not approve), the specialist two.
    own = make_draft(app, customer_id, "Admin's own")
    app.invoke("submit_for_approval", {"id": own["id"]})
    driver.refresh()
    install_error_hook(driver)
    app.visible("nav-invoices")
    app.sign_out()
    app.sign_in(SPECIALIST)
    theirs = [make_draft(app, customer_id, f"Specialist's {n}") for n in (1, 2)]
    for draft in theirs:
        app.invoke("submit_for_approval", {"id": draft["id"]})
    app.sign_out()

    app.sign_in(ADMIN)
    app.wait_text("nav-approvals-badge", lambda t: t == "2", "badge 2")
    app.click("nav-approvals")
    # The oldest (the admin's own) is selected: its actions are disabled, saying why.
    refusal = app.text_of(f"approval-refusal-{own['id']}")
    assert refusal, "the refusal sentence is shown on the row"
    approve = app.visible("approvals-approve")
    assert not approve.is_enabled()
    assert approve.get_attribute("title") == refusal

    for invoice in [own, *theirs]:
        app.click(f"approval-check-{invoice['id']}")
    app.click("approvals-approve-selected")
    summary = app.text_of("approvals-outcomes")
    assert "2 invoices approved, 1 refused." in summary, summary
    assert "refused" in app.text_of(f"approvals-outcome-{own['id']}")
    assert refusal in app.text_of(f"approvals-outcome-{own['id']}")
    for draft in theirs:
        assert "approved and issued" in app.text_of(f"approvals-outcome-{draft['id']}")
        assert app.invoke("get_invoice", {"id": draft["id"]})["invoice"]["status"] == "issued"
    # The admin's own still waits, for someone else.
    app.visible(f"approval-row-{own['id']}")
    assert app.invoke("get_invoice", {"id": own["id"]})["invoice"]["status"] == "pending_approval"
