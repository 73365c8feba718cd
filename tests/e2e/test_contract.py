"""The page's contract with the shell: it stays on the app's own origin, and the test hook counts
the IPC calls a screen makes (the hook exists only in builds with the `e2e` feature)."""

from __future__ import annotations

from conftest import ARTIFACTS
from test_invoicing import ADMIN


def app_log(name: str) -> str:
    return (ARTIFACTS / f"{name}.log").read_text(errors="replace")


def test_the_window_cannot_leave_the_app(app, request):
    app.set_up_company(ADMIN)
    home = app.driver.current_url
    assert home.startswith(("tauri://localhost", "http://tauri.localhost"))

    for away in ["https://example.com/", "about:blank"]:
        app.driver.execute_script("window.location = arguments[0];", away)
        # The shell logs each refusal; once it has, the page must still be the app, signed in.
        app.wait().until(
            lambda _: f"refused a navigation away from the app url={away}" in app_log(request.node.name),
            f"the refusal of {away} in the app's log",
        )
        assert app.driver.current_url == home
        app.visible("nav-invoices")
        assert app.invoke("get_company")["name"] == "Acme Consulting"


def test_opening_the_invoice_list_costs_two_calls(app):
    app.set_up_company(ADMIN)
    app.click("nav-customers")
    app.visible("customers-empty")
    app.reset_ipc_calls()

    app.click("nav-invoices")
    app.visible("invoices-empty")
    # One page of invoices and the customers for the filter, each once, and nothing else.
    app.wait().until(lambda _: len(app.ipc_calls()) >= 2, "the invoice list's calls")
    assert sorted(app.ipc_calls()) == ["list_customers", "list_invoices"]

    app.reset_ipc_calls()
    assert app.ipc_calls() == []
