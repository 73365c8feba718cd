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


def test_links_to_the_outside_open_nothing(app, request):
    app.set_up_company(ADMIN)
    home = app.driver.current_url
    # As a link in a customer's address or a payment link would be, same window and new window.
    app.driver.execute_script(
        """
        for (const [id, target] of [["e2e-link", "_self"], ["e2e-link-new", "_blank"]]) {
          const a = document.createElement("a");
          a.href = "https://example.com/pay/" + id;
          a.target = target;
          a.dataset.testid = id;
          a.textContent = id;
          document.body.prepend(a);
        }
        """
    )
    app.click("e2e-link")
    app.wait().until(
        lambda _: "refused a navigation away from the app url=https://example.com/pay/e2e-link"
        in app_log(request.node.name),
        "the refusal of the link in the app's log",
    )
    app.click("e2e-link-new")
    app.wait().until(
        lambda _: "refused to open a new window url=https://example.com/pay/e2e-link-new" in app_log(request.node.name),
        "the refusal of the new window in the app's log",
    )
    assert app.driver.current_url == home
    assert len(app.driver.window_handles) == 1
    app.visible("nav-invoices")


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
