"""End-to-end: the archived PDF shown in the real window, and the template editor
refusing a broken template and saving a new version."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import install_error_hook
from test_invoicing import row_for, seed_issued_invoice
from ui import App


def rendered_pages(app: App, container: str) -> int:
    """How many PDF pages pdf.js has drawn inside the element `container`."""
    return app.driver.execute_script(
        "return document.querySelectorAll("
        "'[data-testid=\"' + arguments[0] + '\"] [data-testid=\"pdf-page\"][data-rendered=\"true\"]').length;",
        container,
    )


def test_issued_invoice_shows_its_archived_pdf(driver):
    app = App(driver)
    invoice = seed_issued_invoice(app)
    driver.refresh()
    install_error_hook(driver)

    row_for(app, invoice["number"]).find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("invoice-status", lambda t: t == "Issued", "Issued")
    panel = app.visible("invoice-pdf")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", panel)
    app.visible("invoice-pdf-archived")
    # The page shows the SHA-256 the backend recorded when it archived the PDF.
    sha = app.visible("invoice-pdf-sha")
    assert invoice["pdf_sha256"][:8] in app.text(sha) + (sha.get_attribute("title") or "")
    # pdf.js draws the real bytes in WebKitGTK: at least page 1 becomes a canvas.
    app.wait().until(lambda _: rendered_pages(app, "invoice-pdf") >= 1, "page 1 of the PDF drawn")
    assert "1" in app.text_of("pdf-page-count")
    page = app.driver.find_element(By.CSS_SELECTOR, '[data-testid="invoice-pdf"] [data-testid="pdf-page"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'});", page)
    app.screenshot("test_issued_invoice_shows_its_archived_pdf-pdf")


def test_template_editor_refuses_a_broken_block_and_saves_a_new_version(driver):
    app = App(driver)
    seed_issued_invoice(app)
    driver.refresh()
    install_error_hook(driver)

    app.click("nav-templates")
    rows = app.wait().until(lambda _: [r for r in app.all("template-row") if r.get_attribute("data-name") == "standard-en"], "standard-en listed")
    rows[0].find_element(By.CSS_SELECTOR, "td").click()
    app.wait_text("template-version", lambda t: t.startswith("Version 1"), "version 1")
    # The live preview renders the sample invoice with the real renderer.
    app.wait().until(lambda _: rendered_pages(app, "template-preview-pdf") >= 1, "preview drawn")

    # A misspelt variable on line 2 is reported where it is, and nothing is saved.
    app.type("template-block-intro", "Dear customer,")
    app.clickable("template-block-intro").send_keys(Keys.ENTER, "Thanks, {{ custmer.name }}")
    error = app.wait_text("template-error-intro", lambda t: "line 2" in t.lower(), "the error on line 2")
    assert "line 2, column 12" in error.lower(), error
    assert "custmer" in error
    app.click("template-save")
    app.visible("template-save-error")
    app.wait_text("template-version", lambda t: t.startswith("Version 1"), "still version 1")

    # Fixed, it saves as version 2.
    app.type("template-block-intro", "Dear {{ customer.name }},")
    app.gone("template-error-intro")
    app.click("template-save")
    app.wait_text("template-version", lambda t: t.startswith("Version 2"), "version 2")
    app.screenshot("test_template_editor_refuses_a_broken_block_and_saves_a_new_version-saved")
