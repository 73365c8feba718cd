"""End-to-end: issuing from the invoice screen is one round trip.

Every use case that changes an invoice answers with the whole invoice screen
(the invoice, what the signed-in person may do with it, its payments and its
activity), so the screen shows that answer instead of fetching the invoice,
its payments and its audit trail again. The calls are counted through the
test build's hook (``window.__invoicerE2E``, compiled in only with the
``e2e`` feature), which sees every command ``ui/src/lib/api.ts`` sends.
"""

from __future__ import annotations

from selenium.webdriver.common.by import By

from conftest import install_error_hook
from test_documents import rendered_pages
from test_invoicing import ADMIN, CUSTOMER, draft_input, row_for
from ui import App

# What the screen fetches when it loads an invoice; none of it may follow an issue.
SCREEN_READS = {"get_invoice", "list_payments", "invoice_audit"}

# Marks the canvas of page 1 of the invoice's PDF, so that a later drawing is
# told apart from the draft preview drawn before.
MARK_PAGE = """
const canvas = document.querySelector('[data-testid="invoice-pdf"] [data-testid="pdf-page"][data-page="1"] canvas');
if (canvas) canvas.dataset.before = "1";
return !!canvas;
"""

# True once page 1 shows a canvas drawn after the mark (and nothing is pending).
REDRAWN = """
const viewer = document.querySelector('[data-testid="invoice-pdf"] [role="document"]');
const slot = document.querySelector('[data-testid="invoice-pdf"] [data-testid="pdf-page"][data-page="1"]');
const canvas = slot && slot.querySelector("canvas");
return !!canvas && slot.dataset.rendered === "true" && canvas.dataset.before !== "1"
  && viewer.getAttribute("aria-busy") !== "true";
"""

# The SHA-256 (hex) of what the page gets from the invoice's PDF URL, fetched
# as the viewer fetches it, outside the IPC layer.
FETCHED_SHA256 = """
const [id, done] = arguments;
const url = window.__TAURI_INTERNALS__.convertFileSrc("invoice/" + id, "invoicer-pdf");
fetch(url, {cache: "no-store"})
  .then((r) => r.ok ? r.arrayBuffer() : r.text().then((t) => { throw new Error(r.status + " " + t); }))
  .then((bytes) => crypto.subtle.digest("SHA-256", bytes))
  .then((d) => done({ok: [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("")}))
  .catch((e) => done({err: String(e)}));
"""

# What the page reads when the protocol refuses: the status and the ApiError.
FETCHED_REFUSAL = """
const [id, done] = arguments;
const url = window.__TAURI_INTERNALS__.convertFileSrc("invoice/" + id, "invoicer-pdf");
fetch(url, {cache: "no-store"})
  .then((r) => r.json().then((body) => done({status: r.status, body})))
  .catch((e) => done({err: String(e)}));
"""


def seed_draft(app: App) -> dict:
    """A company, a CA customer and one small draft (below the approval threshold)."""
    app.invoke(
        "setup",
        {"input": {"company_name": "Acme Consulting", "country": "US", "region": "CA",
                   "currency": "USD", "admin_email": ADMIN["email"], "admin_name": ADMIN["name"],
                   "admin_password": ADMIN["password"]}},
    )
    customer = app.invoke("create_customer", {"input": {**CUSTOMER, "email": "bob@buyer.example",
                                                        "tax_id": None, "currency": None}})
    return app.invoke("create_invoice", {"input": draft_input(customer["id"])})


def test_issuing_from_the_invoice_screen_is_one_call(driver):
    app = App(driver)
    draft = seed_draft(app)
    driver.refresh()
    install_error_hook(driver)

    row_for(app, CUSTOMER["company"]).find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-status", lambda t: t == "Draft", "Draft")
    # The screen offers what the backend allows: a small draft can be issued.
    app.clickable("invoice-issue")
    # The draft's preview is drawn first; its page is marked to tell it apart.
    app.visible("invoice-pdf-draft")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", app.visible("invoice-pdf"))
    app.wait().until(lambda _: rendered_pages(app, "invoice-pdf") >= 1, "the draft preview drawn")
    assert driver.execute_script(MARK_PAGE)

    app.reset_ipc_calls()
    app.click("invoice-issue")
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")
    # The activity comes with the answer too: created, then issued.
    app.wait().until(lambda _: len(app.all("audit-event")) == 2, "the issue in the activity")

    # The document panel turns into the archived copy, and the viewer draws
    # it afresh: its bytes came by URL from the `invoicer-pdf` protocol.
    app.visible("invoice-pdf-archived")
    # An issued invoice shows more sections above the document (its
    # reminders), which push it down; the viewer draws only pages in view.
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", app.visible("invoice-pdf"))
    app.wait().until(lambda _: driver.execute_script(REDRAWN), "the archived PDF drawn")

    calls = app.ipc_calls()
    # One call changes the invoice and brings back everything the screen
    # shows; nothing else, not even the PDF, goes through the IPC layer.
    assert calls == ["issue_invoice"], calls
    assert not SCREEN_READS.intersection(calls), calls
    # What that URL serves is the archived copy: its checksum is the one the
    # panel shows for the archive.
    archived_sha = app.visible("invoice-pdf-sha").get_attribute("title") or ""
    fetched = driver.execute_async_script(FETCHED_SHA256, draft["id"])
    assert "ok" in fetched, fetched
    assert fetched["ok"] in archived_sha, (fetched, archived_sha)
    # A refusal reaches the page as the ApiError a command would reject with.
    refused = driver.execute_async_script(FETCHED_REFUSAL, 999)
    assert refused.get("status") == 404, refused
    assert refused["body"]["code"] == "not_found", refused
    # After issuing, the screen offers what an issued invoice allows.
    assert app.present("invoice-void")
    assert app.present("payment-open")
    assert not app.present("invoice-issue")
