"""What a person does with the window, by `data-testid`, and what the backend says."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
WAIT = 15  # seconds; generous for a debug build on a busy two-core machine

# The backend as the page's own code reaches it: through the test hook that `ui/src/main.ts`
# installs in builds with the `e2e` cargo feature only (`make e2e`), so every call is logged.
INVOKE = """
const [command, args, done] = arguments;
if (!window.__invoicerE2E) {
  done({ missing: true });
  return;
}
window.__invoicerE2E.invoke(command, args).then(
  (value) => done({ ok: value === undefined ? null : value }),
  (error) => done({ err: error }),
);
"""
NO_HOOK = "the app has no window.__invoicerE2E: build it with `cargo build -p invoicer-desktop --features e2e`"


class Rejected(Exception):
    """An invoke() that the backend refused; `.error` is the ApiError object."""

    def __init__(self, command: str, error):
        super().__init__(f"{command} was refused: {error}")
        self.error = error


def tid(testid: str) -> tuple[str, str]:
    return (By.CSS_SELECTOR, f'[data-testid="{testid}"]')


def digits(text: str) -> str:
    """The digits of a shown or sent amount: '$1,487.32' and '1487.32' both give '148732'."""
    return re.sub(r"\D", "", text)


@dataclass
class App:
    driver: WebDriver

    # --- the backend, as the page's own code reaches it ---------------------------------
    def invoke(self, command: str, args: dict | None = None):
        result = self.driver.execute_async_script(INVOKE, command, args or {})
        if result.get("missing"):
            raise AssertionError(NO_HOOK)
        if "err" in result:
            raise Rejected(command, result["err"])
        return result["ok"]

    def invoke_error(self, command: str, args: dict | None = None) -> dict:
        try:
            value = self.invoke(command, args)
        except Rejected as r:
            return r.error
        raise AssertionError(f"{command} succeeded but must be refused: {value}")

    def ipc_calls(self) -> list[str]:
        """The names of the commands the page sent since the last reset, oldest first."""
        calls = self.driver.execute_script("return window.__invoicerE2E ? window.__invoicerE2E.ipcCalls() : null;")
        if calls is None:
            raise AssertionError(NO_HOOK)
        return list(calls)

    def reset_ipc_calls(self) -> None:
        """Starts counting the page's commands afresh."""
        if not self.driver.execute_script(
            "if (!window.__invoicerE2E) return false; window.__invoicerE2E.resetIpcCalls(); return true;"
        ):
            raise AssertionError(NO_HOOK)

    # --- finding and waiting ----------------------------------------------------------------
    def wait(self, timeout: float = WAIT) -> WebDriverWait:
        return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,))

    def visible(self, testid: str) -> WebElement:
        return self.wait().until(EC.visibility_of_element_located(tid(testid)), f"{testid} visible")

    def clickable(self, testid: str) -> WebElement:
        return self.wait().until(EC.element_to_be_clickable(tid(testid)), f"{testid} clickable")

    def gone(self, testid: str) -> None:
        self.wait().until(EC.invisibility_of_element_located(tid(testid)), f"{testid} gone")

    def present(self, testid: str) -> bool:
        return bool(self.driver.find_elements(*tid(testid)))

    def all(self, testid: str) -> list[WebElement]:
        return self.driver.find_elements(*tid(testid))

    def text(self, el: WebElement) -> str:
        """The element's rendered text (innerText): WebKitWebDriver's own element text
        comes back empty for some visible elements (e.g. ellipsised ones)."""
        return (self.driver.execute_script("return arguments[0].innerText;", el) or "").strip()

    def text_of(self, testid: str) -> str:
        return self.text(self.visible(testid))

    def wait_text(self, testid: str, predicate, what: str) -> str:
        """Waits until the element's text satisfies `predicate`; returns the text."""

        def check(_):
            els = self.driver.find_elements(*tid(testid))
            if els and els[0].is_displayed():
                text = self.text(els[0])
                return text if predicate(text) else False
            return False

        return self.wait().until(check, f"{testid} to show {what}")

    def screenshot(self, name: str) -> None:
        """Keeps a picture of the window as `artifacts/<name>.png` (the fixture takes the last one)."""
        ARTIFACTS.mkdir(exist_ok=True)
        self.driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))

    # --- doing ------------------------------------------------------------------------------
    def click(self, testid: str) -> None:
        self.clickable(testid).click()

    def type(self, testid: str, text: str) -> None:
        """Types into a field as a person would, replacing what it held."""
        el = self.clickable(testid)
        el.click()
        el.send_keys(Keys.CONTROL, "a")
        el.send_keys(Keys.BACKSPACE)
        el.send_keys(text)

    def choose(self, testid: str, visible_text: str) -> None:
        Select(self.clickable(testid)).select_by_visible_text(visible_text)

    def choose_containing(self, testid: str, fragment: str) -> None:
        select = Select(self.clickable(testid))
        for option in select.options:
            if fragment in option.text:
                select.select_by_visible_text(option.text)
                return
        raise AssertionError(f"{testid} has no option containing {fragment!r}: {[o.text for o in select.options]}")

    # --- whole steps a person takes ---------------------------------------------------------
    def set_up_company(self, admin: dict) -> None:
        self.type("setup-company-name", "Acme Consulting")
        self.choose_containing("setup-currency", "USD")
        self.type("setup-country", "US")
        self.type("setup-region", "CA")
        self.type("setup-admin-name", admin["name"])
        self.type("setup-admin-email", admin["email"])
        self.type("setup-admin-password", admin["password"])
        self.type("setup-admin-password-confirm", admin["password"])
        self.click("setup-submit")
        self.visible("nav-invoices")

    def sign_in(self, user: dict) -> None:
        self.type("signin-email", user["email"])
        self.type("signin-password", user["password"])
        self.click("signin-submit")
        self.visible("nav-invoices")

    def open_invoices(self) -> None:
        """Shows the invoice list, as a person clicks Invoices (the dashboard is the home screen)."""
        if not self.present("invoices-search"):
            self.click("nav-invoices")
        self.visible("invoices-search")

    def sign_out(self) -> None:
        self.click("signout")
        self.visible("signin-email")
